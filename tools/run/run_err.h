/* Bounded error formatting shared by the run-input library. */
#ifndef MBPF_RUN_ERR_H
#define MBPF_RUN_ERR_H

#include <stddef.h>

/* Formats err like snprintf (never overflows, always terminated when
 * errcap > 0; err may be NULL when errcap is 0). */
void mbpf_run_err(char *err, size_t errcap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
