/*
 * Bounded, allocation-free CBOR (RFC 8949) tokenizer for manifests.
 *
 * Accepted: unsigned and negative integers, byte and text strings, arrays
 * and maps, all of definite length; false, true, null; half, single and
 * double floats (as MBPF_TOK_FLOAT, for the schema to reject with a type
 * error). Integer and length heads need not be in shortest form: that is a
 * rule for encoders (ours emits canonical CBOR), and other encoders, e.g.
 * libcbor's fixed-width builders, do emit longer heads.
 *
 * Rejected (MBPF_PKG_E_MANIFEST_SYNTAX): indefinite lengths, tags,
 * undefined and other simple values, reserved additional information, a
 * stray break, invalid UTF-8 in text, a string or container running past
 * the end, anything after the top-level item. Nesting deeper than
 * MBPF_MANIFEST_MAX_DEPTH gives MBPF_PKG_E_MANIFEST_LIMIT.
 */
#ifndef MBPF_CBOR_READER_H
#define MBPF_CBOR_READER_H

#include <stddef.h>
#include <stdint.h>

#include "manifest_reader.h"

typedef struct mbpf_cbor_reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
    const char *doc; /* message prefix, e.g. "manifest" */
    uint32_t depth;
    int started;
    struct {
        uint64_t left; /* items still to read (a map counts keys and values) */
        uint8_t is_map;
    } stack[MBPF_MANIFEST_MAX_DEPTH];
} mbpf_cbor_reader_t;

/* Prepares r to read buf[0..len). doc prefixes error messages. */
void mbpf_cbor_reader_init(mbpf_cbor_reader_t *r, const void *buf, size_t len, const char *doc);

/* mbpf_tok_next_fn over a mbpf_cbor_reader_t. TEXT/BYTES point into buf. */
int mbpf_cbor_reader_next(void *reader, mbpf_tok_t *tok, mbpf_diag_t *diag);

#endif
