/*
 * The token stream between the manifest's syntax readers and its one schema
 * walker (manifest.c). cbor_reader.c and json_reader.c turn bytes into the
 * same tokens, so the walker, and with it every schema rule and message, is
 * shared by both formats.
 *
 * A reader checks syntax only: well-formedness, nesting depth
 * (<= MBPF_MANIFEST_MAX_DEPTH containers), UTF-8 validity of text, and that
 * nothing follows the top-level item. It reports errors as
 * MBPF_PKG_E_MANIFEST_SYNTAX (or _LIMIT for nesting) with a position:
 * "manifest: offset 12: ..." for CBOR, "manifest: 3:14: ..." for JSON.
 * Containers always end with a synthesized MAP_END / ARRAY_END, and the
 * document with MBPF_TOK_EOF.
 */
#ifndef MBPF_MANIFEST_READER_H
#define MBPF_MANIFEST_READER_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

typedef enum mbpf_tok_type {
    MBPF_TOK_EOF = 0, /* after the top-level item; nothing follows it */
    MBPF_TOK_MAP_BEGIN,
    MBPF_TOK_MAP_END,
    MBPF_TOK_ARRAY_BEGIN,
    MBPF_TOK_ARRAY_END,
    MBPF_TOK_TEXT,   /* valid UTF-8, may contain NUL bytes */
    MBPF_TOK_BYTES,  /* CBOR byte string; no schema field accepts one */
    MBPF_TOK_UINT,   /* u */
    MBPF_TOK_NEGINT, /* the integer -1 - u */
    MBPF_TOK_BOOL,   /* u is 0 or 1 */
    MBPF_TOK_NULL,
    MBPF_TOK_FLOAT, /* any non-integer number; its value is not decoded */
} mbpf_tok_type_t;

typedef struct mbpf_tok {
    mbpf_tok_type_t type;
    /* TEXT/BYTES: the decoded string is len bytes long; its first avail
     * bytes are readable at text (avail < len only when a JSON string is
     * longer than the reader's buffer; no schema string is). The bytes stay
     * valid until the next call of the reader. */
    const char *text;
    size_t len;
    size_t avail;
    uint64_t u;
    size_t pos; /* byte offset of the token in the input */
} mbpf_tok_t;

/* Reads the next token into *tok. Returns 0, or an error code with diag set
 * (after an error the reader must not be called again). */
typedef int (*mbpf_tok_next_fn)(void *reader, mbpf_tok_t *tok, mbpf_diag_t *diag);

/* Length (1..4) of the well-formed UTF-8 sequence at p[0..n), or 0 when it is
 * malformed: truncated, overlong, a surrogate, above U+10FFFF, or a stray
 * continuation byte. Shared by both readers so they accept the same text. */
static inline size_t mbpf_utf8_seq_len(const uint8_t *p, size_t n)
{
    if (n == 0) return 0;
    uint8_t b = p[0];
    if (b < 0x80) return 1;
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        if (b == 0xE0) lo = 0xA0; /* overlong */
        if (b == 0xED) hi = 0x9F; /* UTF-16 surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        if (b == 0xF0) lo = 0x90; /* overlong */
        if (b == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < need) return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < need; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return need;
}

#endif
