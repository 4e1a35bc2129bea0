/*
 * CBOR tokenizer. The one idea: the reader keeps, for every open container,
 * how many items it still holds; when that count reaches zero the next call
 * yields the container's END token instead of reading bytes. So the walker
 * sees the same bracketed stream as from JSON, and the reader needs no
 * recursion and only MBPF_MANIFEST_MAX_DEPTH counters of state.
 *
 * Every length is checked against the bytes left before it is used: a
 * string of n bytes needs n bytes, an array of n items at least n bytes, a
 * map of n pairs at least 2n, so absurd counts fail at once as truncation.
 */
#include "cbor_reader.h"

#include <string.h>

void mbpf_cbor_reader_init(mbpf_cbor_reader_t *r, const void *buf, size_t len, const char *doc)
{
    memset(r, 0, sizeof *r);
    r->p = buf;
    r->len = len;
    r->doc = doc;
}

static int syntax(const mbpf_cbor_reader_t *r, mbpf_diag_t *diag, size_t at, const char *what)
{
    mbpf_diag_set(diag, "%s: offset %zu: %s", r->doc, at, what);
    return MBPF_PKG_E_MANIFEST_SYNTAX;
}

static const char *const major_names[8] = {
    "unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag",
    "simple value",
};

int mbpf_cbor_reader_next(void *reader, mbpf_tok_t *tok, mbpf_diag_t *diag)
{
    mbpf_cbor_reader_t *r = reader;
    memset(tok, 0, sizeof *tok);
    tok->pos = r->pos;

    if (r->depth > 0 && r->stack[r->depth - 1].left == 0) {
        r->depth--;
        tok->type = r->stack[r->depth].is_map ? MBPF_TOK_MAP_END : MBPF_TOK_ARRAY_END;
        return 0;
    }
    if (r->started && r->depth == 0) {
        if (r->pos != r->len) {
            mbpf_diag_set(diag, "%s: offset %zu: data after the top-level item (%zu bytes)", r->doc,
                          r->pos, r->len - r->pos);
            return MBPF_PKG_E_MANIFEST_SYNTAX;
        }
        tok->type = MBPF_TOK_EOF;
        return 0;
    }
    r->started = 1;

    size_t start = r->pos;
    if (start >= r->len) return syntax(r, diag, start, start == 0 ? "empty" : "unexpected end");
    uint8_t ib = r->p[start];
    unsigned major = ib >> 5, ai = ib & 31u;
    size_t pos = start + 1;
    uint64_t arg = ai;

    if (ai >= 24 && ai <= 27) {
        size_t n = (size_t)1 << (ai - 24);
        if (n > r->len - pos) return syntax(r, diag, start, "unexpected end");
        arg = 0;
        for (size_t i = 0; i < n; i++) arg = arg << 8 | r->p[pos + i];
        pos += n;
    } else if (ai == 31) {
        if (major >= 2 && major <= 5) {
            mbpf_diag_set(diag, "%s: offset %zu: indefinite-length %s not allowed", r->doc, start,
                          major_names[major]);
            return MBPF_PKG_E_MANIFEST_SYNTAX;
        }
        if (major == 7) return syntax(r, diag, start, "unexpected break");
        return syntax(r, diag, start, "reserved additional information 31");
    } else if (ai > 27) {
        mbpf_diag_set(diag, "%s: offset %zu: reserved additional information %u", r->doc, start,
                      ai);
        return MBPF_PKG_E_MANIFEST_SYNTAX;
    }

    size_t left = r->len - pos;
    switch (major) {
    case 0:
        tok->type = MBPF_TOK_UINT;
        tok->u = arg;
        break;
    case 1:
        tok->type = MBPF_TOK_NEGINT;
        tok->u = arg;
        break;
    case 2:
    case 3:
        if (arg > left) return syntax(r, diag, start, "string runs past the end");
        tok->type = major == 2 ? MBPF_TOK_BYTES : MBPF_TOK_TEXT;
        tok->text = (const char *)r->p + pos;
        tok->len = tok->avail = (size_t)arg;
        if (major == 3) {
            for (size_t i = 0; i < tok->len;) {
                size_t n = mbpf_utf8_seq_len(r->p + pos + i, tok->len - i);
                if (n == 0) return syntax(r, diag, pos + i, "invalid UTF-8 in text string");
                i += n;
            }
        }
        pos += (size_t)arg;
        break;
    case 4:
    case 5:
        /* Each item takes at least one byte. */
        if ((major == 4 && arg > left) || (major == 5 && arg > left / 2)) {
            mbpf_diag_set(diag, "%s: offset %zu: %s of %llu %s runs past the end", r->doc, start,
                          major_names[major], (unsigned long long)arg,
                          major == 4 ? "items" : "pairs");
            return MBPF_PKG_E_MANIFEST_SYNTAX;
        }
        if (r->depth == MBPF_MANIFEST_MAX_DEPTH) {
            mbpf_diag_set(diag, "%s: offset %zu: nesting deeper than %d", r->doc, start,
                          MBPF_MANIFEST_MAX_DEPTH);
            return MBPF_PKG_E_MANIFEST_LIMIT;
        }
        tok->type = major == 4 ? MBPF_TOK_ARRAY_BEGIN : MBPF_TOK_MAP_BEGIN;
        tok->u = arg;
        break;
    case 6:
        mbpf_diag_set(diag, "%s: offset %zu: tag %llu not allowed", r->doc, start,
                      (unsigned long long)arg);
        return MBPF_PKG_E_MANIFEST_SYNTAX;
    default: /* 7 */
        if (ai == 20 || ai == 21) {
            tok->type = MBPF_TOK_BOOL;
            tok->u = ai == 21;
        } else if (ai == 22) {
            tok->type = MBPF_TOK_NULL;
        } else if (ai >= 25) {
            tok->type = MBPF_TOK_FLOAT;
        } else if (ai == 23) {
            return syntax(r, diag, start, "undefined not allowed");
        } else {
            mbpf_diag_set(diag, "%s: offset %zu: simple value %llu not allowed", r->doc, start,
                          (unsigned long long)arg);
            return MBPF_PKG_E_MANIFEST_SYNTAX;
        }
        break;
    }

    /* The item is complete: count it in its parent, open it if a container. */
    if (r->depth > 0) r->stack[r->depth - 1].left--;
    if (major == 4 || major == 5) {
        r->stack[r->depth].is_map = major == 5;
        r->stack[r->depth].left = major == 5 ? arg * 2 : arg;
        r->depth++;
    }
    r->pos = pos;
    return 0;
}
