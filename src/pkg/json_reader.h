/*
 * Bounded, allocation-free JSON (RFC 8259, strict) tokenizer for manifests.
 *
 * Strict means: no comments, no trailing commas, no single quotes, no
 * leading zeros, no raw control characters in strings, only the escapes of
 * the RFC (\uXXXX surrogate pairs are combined; a lone surrogate is an
 * error), valid UTF-8 only, no byte-order mark, whitespace is space, tab,
 * CR and LF, nothing after the top-level value.
 *
 * Numbers: an integer literal in [-2^64+1, 2^64-1] is MBPF_TOK_UINT or
 * MBPF_TOK_NEGINT; anything else that is a valid JSON number (a fraction,
 * an exponent, -0, or an integer beyond that range) is MBPF_TOK_FLOAT, which
 * the schema rejects with a type error. Positions in messages are
 * LINE:COL, both 1-based, COL counted in characters (UTF-8 code points).
 */
#ifndef MBPF_JSON_READER_H
#define MBPF_JSON_READER_H

#include <stddef.h>
#include <stdint.h>

#include "manifest_reader.h"

/* Decoded strings are kept up to this many bytes (see mbpf_tok_t.avail);
 * longer ones are still checked in full and their length reported. */
#define MBPF_JSON_STR_BUF 128

typedef struct mbpf_json_reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
    const char *doc; /* message prefix, e.g. "manifest", or NULL */
    uint32_t depth;
    uint8_t state;
    uint8_t is_obj[MBPF_MANIFEST_MAX_DEPTH];
    char str[MBPF_JSON_STR_BUF];
} mbpf_json_reader_t;

/* Prepares r to read buf[0..len). doc prefixes error messages
 * ("manifest: 3:14: ..."); with doc NULL they start at the position
 * ("3:14: ..."), for callers that put their own name in front. */
void mbpf_json_reader_init(mbpf_json_reader_t *r, const void *buf, size_t len, const char *doc);

/* mbpf_tok_next_fn over a mbpf_json_reader_t. TEXT points into r->str. */
int mbpf_json_reader_next(void *reader, mbpf_tok_t *tok, mbpf_diag_t *diag);

/* The 1-based line and column (in code points) of byte offset pos in
 * buf[0..pos), as error messages give them. */
void mbpf_json_line_col(const void *buf, size_t pos, uint32_t *line, uint32_t *col);

#endif
