/*
 * CBOR encoder. Every value goes through put_head, which picks the shortest
 * head for its argument; put_raw is the only place that touches the buffer,
 * and it checks room with the overflow-safe form (n > cap - len) and keeps
 * counting past the end so the caller learns the size it needs.
 */
#include "cbor_writer.h"

#include <stdint.h>
#include <string.h>

#include "pkg_error.h"

void mbpf_cbor_writer_init(mbpf_cbor_writer_t *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->len = 0;
}

static void put_raw(mbpf_cbor_writer_t *w, const void *p, size_t n)
{
    if (w->len <= w->cap && n <= w->cap - w->len && n > 0) memcpy(w->buf + w->len, p, n);
    w->len = n > SIZE_MAX - w->len ? SIZE_MAX : w->len + n;
}

static void put_head(mbpf_cbor_writer_t *w, unsigned major, uint64_t arg)
{
    uint8_t h[9];
    size_t n;
    uint8_t mt = (uint8_t)(major << 5);
    if (arg < 24) {
        h[0] = (uint8_t)(mt | arg);
        n = 1;
    } else if (arg <= 0xFF) {
        h[0] = mt | 24;
        n = 2;
    } else if (arg <= 0xFFFF) {
        h[0] = mt | 25;
        n = 3;
    } else if (arg <= 0xFFFFFFFFu) {
        h[0] = mt | 26;
        n = 5;
    } else {
        h[0] = mt | 27;
        n = 9;
    }
    for (size_t i = n; i-- > 1;) {
        h[i] = (uint8_t)arg;
        arg >>= 8;
    }
    put_raw(w, h, n);
}

void mbpf_cbor_put_uint(mbpf_cbor_writer_t *w, uint64_t v)
{
    put_head(w, 0, v);
}

void mbpf_cbor_put_negint(mbpf_cbor_writer_t *w, uint64_t n)
{
    put_head(w, 1, n);
}

void mbpf_cbor_put_text(mbpf_cbor_writer_t *w, const char *s, size_t len)
{
    put_head(w, 3, len);
    put_raw(w, s, len);
}

void mbpf_cbor_put_cstr(mbpf_cbor_writer_t *w, const char *s)
{
    mbpf_cbor_put_text(w, s, strlen(s));
}

void mbpf_cbor_put_bytes(mbpf_cbor_writer_t *w, const void *p, size_t len)
{
    put_head(w, 2, len);
    put_raw(w, p, len);
}

void mbpf_cbor_put_array(mbpf_cbor_writer_t *w, uint64_t count)
{
    put_head(w, 4, count);
}

void mbpf_cbor_put_map(mbpf_cbor_writer_t *w, uint64_t pairs)
{
    put_head(w, 5, pairs);
}

void mbpf_cbor_put_bool(mbpf_cbor_writer_t *w, int v)
{
    uint8_t b = v ? 0xF5 : 0xF4;
    put_raw(w, &b, 1);
}

void mbpf_cbor_put_null(mbpf_cbor_writer_t *w)
{
    uint8_t b = 0xF6;
    put_raw(w, &b, 1);
}

void mbpf_cbor_put_float64_bits(mbpf_cbor_writer_t *w, uint64_t bits)
{
    uint8_t h[9];
    h[0] = 0xFB;
    for (int i = 8; i >= 1; i--) {
        h[i] = (uint8_t)bits;
        bits >>= 8;
    }
    put_raw(w, h, sizeof h);
}

int mbpf_cbor_writer_finish(const mbpf_cbor_writer_t *w, size_t *len)
{
    if (len) *len = w->len;
    return w->len <= w->cap ? 0 : MBPF_PKG_E_NOSPACE;
}
