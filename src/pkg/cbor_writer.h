/*
 * CBOR (RFC 8949) encoder writing into a caller-given buffer, always in
 * preferred serialization: every integer and length head in its shortest
 * form, definite lengths only. Used for canonical manifests and by the tools
 * to turn JSON into CBOR.
 *
 * Writes never fail one by one: once the buffer is full the writer keeps
 * counting, so mbpf_cbor_writer_finish reports the size the whole encoding
 * needs (and a NULL/0 buffer measures).
 */
#ifndef MBPF_CBOR_WRITER_H
#define MBPF_CBOR_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct mbpf_cbor_writer {
    uint8_t *buf;
    size_t cap;
    size_t len; /* bytes the encoding needs so far (saturates at SIZE_MAX) */
} mbpf_cbor_writer_t;

void mbpf_cbor_writer_init(mbpf_cbor_writer_t *w, uint8_t *buf, size_t cap);

void mbpf_cbor_put_uint(mbpf_cbor_writer_t *w, uint64_t v);
void mbpf_cbor_put_negint(mbpf_cbor_writer_t *w, uint64_t n); /* the integer -1 - n */
void mbpf_cbor_put_text(mbpf_cbor_writer_t *w, const char *s, size_t len);
void mbpf_cbor_put_cstr(mbpf_cbor_writer_t *w, const char *s);
void mbpf_cbor_put_bytes(mbpf_cbor_writer_t *w, const void *p, size_t len);
void mbpf_cbor_put_array(mbpf_cbor_writer_t *w, uint64_t count); /* then count items */
void mbpf_cbor_put_map(mbpf_cbor_writer_t *w, uint64_t pairs);   /* then key, value, ... */
void mbpf_cbor_put_bool(mbpf_cbor_writer_t *w, int v);
void mbpf_cbor_put_null(mbpf_cbor_writer_t *w);
/* An IEEE 754 binary64 given by its bit pattern (runtime code has no FPU). */
void mbpf_cbor_put_float64_bits(mbpf_cbor_writer_t *w, uint64_t bits);

/* Sets *len (nullable) to the size of the encoding. Returns 0, or
 * MBPF_PKG_E_NOSPACE when it did not fit (the buffer then holds a prefix). */
int mbpf_cbor_writer_finish(const mbpf_cbor_writer_t *w, size_t *len);

#endif
