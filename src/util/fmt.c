/*
 * Bounded formatter: the runtime needs human-readable errors ("manifest:
 * heap_size 512 below platform minimum 2048") without libc's stdio, so this
 * implements just the conversions our messages use.
 */
#include "mbpf_fmt.h"

#include <stdint.h>

typedef struct out {
    char *dst;
    size_t cap;
    size_t len;
} out_t;

static void put(out_t *o, char c)
{
    if (o->cap > 0 && o->len < o->cap - 1) o->dst[o->len++] = c;
}

static void put_str(out_t *o, const char *s, size_t max)
{
    if (!s) s = "(null)";
    for (size_t i = 0; i < max && s[i]; i++) put(o, s[i]);
}

static void put_unsigned(out_t *o, unsigned long long v, unsigned base)
{
    char buf[24];
    size_t n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v != 0);
    while (n > 0) put(o, buf[--n]);
}

static void put_signed(out_t *o, long long v)
{
    if (v < 0) {
        put(o, '-');
        /* Negate in unsigned arithmetic so LLONG_MIN does not overflow. */
        put_unsigned(o, 0ULL - (unsigned long long)v, 10);
    } else {
        put_unsigned(o, (unsigned long long)v, 10);
    }
}

size_t mbpf_vfmt(char *dst, size_t cap, const char *fmt, va_list ap)
{
    out_t o = {dst, cap, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        if (*p == '.' && p[1] == '*' && p[2] == 's') {
            int prec = va_arg(ap, int);
            const char *s = va_arg(ap, const char *);
            put_str(&o, s, prec < 0 ? (size_t)-1 : (size_t)prec);
            p += 2;
            continue;
        }
        int longs = 0, size_t_arg = 0;
        while (*p == 'l') {
            longs++;
            p++;
        }
        if (*p == 'z') {
            size_t_arg = 1;
            p++;
        }
        switch (*p) {
        case 's': put_str(&o, va_arg(ap, const char *), (size_t)-1); break;
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case 'd':
            if (longs >= 2)
                put_signed(&o, va_arg(ap, long long));
            else if (longs == 1)
                put_signed(&o, va_arg(ap, long));
            else
                put_signed(&o, va_arg(ap, int));
            break;
        case 'u':
        case 'x': {
            unsigned base = *p == 'x' ? 16 : 10;
            unsigned long long v;
            if (size_t_arg)
                v = va_arg(ap, size_t);
            else if (longs >= 2)
                v = va_arg(ap, unsigned long long);
            else if (longs == 1)
                v = va_arg(ap, unsigned long);
            else
                v = va_arg(ap, unsigned);
            put_unsigned(&o, v, base);
            break;
        }
        case '%': put(&o, '%'); break;
        case '\0':
            p--; /* lone '%' at the end: stop at the NUL */
            break;
        default:
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }
    if (cap > 0) dst[o.len] = '\0';
    return o.len;
}

size_t mbpf_fmt(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = mbpf_vfmt(dst, cap, fmt, ap);
    va_end(ap);
    return n;
}

void mbpf_diag_set(mbpf_diag_t *d, const char *fmt, ...)
{
    if (!d) return;
    va_list ap;
    va_start(ap, fmt);
    mbpf_vfmt(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
}
