/*
 * Bounded string formatting for runtime code, which may not use libc stdio.
 *
 * mbpf_fmt understands a small printf subset: %s %.*s %c %d %u %x %ld %lu
 * %lx %lld %llu %llx %zu %zx %% (no widths or padding). Output is always
 * NUL-terminated when cap > 0 and silently truncated when it does not fit.
 */
#ifndef MBPF_FMT_H
#define MBPF_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into dst[0..cap). Returns the length written, excluding the NUL. */
size_t mbpf_fmt(char *dst, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
size_t mbpf_vfmt(char *dst, size_t cap, const char *fmt, va_list ap);

/* A formatted "last error" message that names the field, value and limit. */
#define MBPF_DIAG_MAX 192
typedef struct mbpf_diag {
    char msg[MBPF_DIAG_MAX];
} mbpf_diag_t;

/* Sets d->msg (d may be NULL, then nothing happens). */
void mbpf_diag_set(mbpf_diag_t *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
