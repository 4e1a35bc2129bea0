/*
 * JSON tokenizer. The one idea: the grammar is a small state machine
 * (expecting a value, a key, or what follows a value) over a bounded stack
 * of open containers, so the reader never recurses and every syntax error
 * is found at the byte where the state machine has no move; that byte's
 * line and column are the error's position. Strings are decoded into the
 * reader's own buffer; one longer than the buffer is still checked to its
 * end and its full length reported, so length limits name the real size.
 */
#include "json_reader.h"

#include <string.h>

enum {
    ST_VALUE,       /* a value: at the top, after ':' or after ',' in an array */
    ST_FIRST_VALUE, /* after '[': a value or ']' */
    ST_FIRST_KEY,   /* after '{': a key or '}' */
    ST_KEY,         /* after ',' in an object: a key */
    ST_AFTER,       /* after a value: ',' or the closing bracket, or the end */
    ST_DONE,
};

void mbpf_json_reader_init(mbpf_json_reader_t *r, const void *buf, size_t len, const char *doc)
{
    memset(r, 0, sizeof *r);
    r->p = buf;
    r->len = len;
    r->doc = doc;
    r->state = ST_VALUE;
}

/* Computed only for an error, so the reader tracks no lines while it runs. */
void mbpf_json_line_col(const void *buf, size_t pos, uint32_t *line, uint32_t *col)
{
    const uint8_t *p = buf;
    uint32_t l = 1, c = 1;
    for (size_t i = 0; i < pos; i++) {
        if (p[i] == '\n') {
            if (l < UINT32_MAX) l++;
            c = 1;
        } else if ((p[i] & 0xC0) != 0x80 && c < UINT32_MAX) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int fail_code(const mbpf_json_reader_t *r, mbpf_diag_t *diag, int code, size_t at,
                     const char *msg)
{
    uint32_t line, col;
    mbpf_json_line_col(r->p, at, &line, &col);
    if (r->doc)
        mbpf_diag_set(diag, "%s: %u:%u: %s", r->doc, (unsigned)line, (unsigned)col, msg);
    else
        mbpf_diag_set(diag, "%u:%u: %s", (unsigned)line, (unsigned)col, msg);
    return code;
}

static int fail(const mbpf_json_reader_t *r, mbpf_diag_t *diag, size_t at, const char *msg)
{
    return fail_code(r, diag, MBPF_PKG_E_MANIFEST_SYNTAX, at, msg);
}

static void skip_ws(mbpf_json_reader_t *r)
{
    while (r->pos < r->len) {
        uint8_t c = r->p[r->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        r->pos++;
    }
}

static void put(mbpf_json_reader_t *r, size_t *out, uint8_t b)
{
    if (*out < sizeof r->str) r->str[*out] = (char)b;
    (*out)++;
}

static int hex4(const mbpf_json_reader_t *r, size_t at, uint32_t *cp)
{
    if (r->len - at < 4) return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++) {
        uint8_t c = r->p[at + i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10u;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10u;
        else
            return -1;
        v = v << 4 | d;
    }
    *cp = v;
    return 0;
}

/* Decodes the escape at r->pos (a backslash) of the string opened at start
 * and appends its UTF-8 bytes. */
static int read_escape(mbpf_json_reader_t *r, size_t start, size_t *out, mbpf_diag_t *diag)
{
    size_t at = r->pos;
    if (r->len - at < 2) return fail(r, diag, start, "unterminated string");
    uint8_t e = r->p[at + 1];
    r->pos = at + 2;
    uint32_t cp;
    switch (e) {
    case '"':
    case '\\':
    case '/': put(r, out, e); return 0;
    case 'b': put(r, out, '\b'); return 0;
    case 'f': put(r, out, '\f'); return 0;
    case 'n': put(r, out, '\n'); return 0;
    case 'r': put(r, out, '\r'); return 0;
    case 't': put(r, out, '\t'); return 0;
    case 'u': break;
    default:
        if (e > 0x20 && e < 0x7F) {
            char msg[32];
            mbpf_fmt(msg, sizeof msg, "invalid escape '\\%c'", (char)e);
            return fail(r, diag, at, msg);
        }
        return fail(r, diag, at, "invalid escape");
    }
    if (hex4(r, r->pos, &cp) != 0) return fail(r, diag, at, "invalid \\u escape");
    r->pos += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(r, diag, at, "unpaired surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t lo;
        if (r->len - r->pos < 2 || r->p[r->pos] != '\\' || r->p[r->pos + 1] != 'u' ||
            hex4(r, r->pos + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
            return fail(r, diag, at, "unpaired surrogate in \\u escape");
        r->pos += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (cp < 0x80) {
        put(r, out, (uint8_t)cp);
    } else if (cp < 0x800) {
        put(r, out, (uint8_t)(0xC0 | cp >> 6));
        put(r, out, (uint8_t)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        put(r, out, (uint8_t)(0xE0 | cp >> 12));
        put(r, out, (uint8_t)(0x80 | (cp >> 6 & 0x3F)));
        put(r, out, (uint8_t)(0x80 | (cp & 0x3F)));
    } else {
        put(r, out, (uint8_t)(0xF0 | cp >> 18));
        put(r, out, (uint8_t)(0x80 | (cp >> 12 & 0x3F)));
        put(r, out, (uint8_t)(0x80 | (cp >> 6 & 0x3F)));
        put(r, out, (uint8_t)(0x80 | (cp & 0x3F)));
    }
    return 0;
}

static int read_string(mbpf_json_reader_t *r, mbpf_tok_t *tok, mbpf_diag_t *diag)
{
    size_t start = r->pos;
    size_t out = 0;
    r->pos++; /* the opening quote */
    for (;;) {
        if (r->pos >= r->len) return fail(r, diag, start, "unterminated string");
        uint8_t c = r->p[r->pos];
        if (c == '"') break;
        if (c < 0x20) return fail(r, diag, r->pos, "control character in string (escape it)");
        if (c == '\\') {
            int rc = read_escape(r, start, &out, diag);
            if (rc != 0) return rc;
            continue;
        }
        size_t n = mbpf_utf8_seq_len(r->p + r->pos, r->len - r->pos);
        if (n == 0) return fail(r, diag, r->pos, "invalid UTF-8");
        for (size_t i = 0; i < n; i++) put(r, &out, r->p[r->pos + i]);
        r->pos += n;
    }
    r->pos++; /* the closing quote */
    tok->type = MBPF_TOK_TEXT;
    tok->text = r->str;
    tok->len = out;
    tok->avail = out < sizeof r->str ? out : sizeof r->str;
    return 0;
}

static int is_digit(const mbpf_json_reader_t *r, size_t at)
{
    return at < r->len && r->p[at] >= '0' && r->p[at] <= '9';
}

static int read_number(mbpf_json_reader_t *r, mbpf_tok_t *tok, mbpf_diag_t *diag)
{
    int neg = 0, is_float = 0;
    if (r->p[r->pos] == '-') {
        neg = 1;
        r->pos++;
    }
    size_t int_start = r->pos;
    if (!is_digit(r, r->pos)) return fail(r, diag, r->pos, "expected a digit");
    if (r->p[r->pos] == '0') {
        r->pos++;
        if (is_digit(r, r->pos)) return fail(r, diag, int_start, "leading zeros not allowed");
    } else {
        while (is_digit(r, r->pos)) r->pos++;
    }
    size_t int_end = r->pos;
    if (r->pos < r->len && r->p[r->pos] == '.') {
        r->pos++;
        if (!is_digit(r, r->pos)) return fail(r, diag, r->pos, "expected a digit after '.'");
        while (is_digit(r, r->pos)) r->pos++;
        is_float = 1;
    }
    if (r->pos < r->len && (r->p[r->pos] == 'e' || r->p[r->pos] == 'E')) {
        r->pos++;
        if (r->pos < r->len && (r->p[r->pos] == '+' || r->p[r->pos] == '-')) r->pos++;
        if (!is_digit(r, r->pos)) return fail(r, diag, r->pos, "expected a digit in exponent");
        while (is_digit(r, r->pos)) r->pos++;
        is_float = 1;
    }
    uint64_t v = 0;
    for (size_t i = int_start; i < int_end && !is_float; i++) {
        uint64_t d = (uint64_t)(r->p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            is_float = 1; /* beyond the integer range */
        else
            v = v * 10 + d;
    }
    if (neg && v == 0) is_float = 1; /* -0 is no integer of CBOR's */
    if (is_float) {
        tok->type = MBPF_TOK_FLOAT;
    } else if (neg) {
        tok->type = MBPF_TOK_NEGINT;
        tok->u = v - 1;
    } else {
        tok->type = MBPF_TOK_UINT;
        tok->u = v;
    }
    return 0;
}

static int read_literal(mbpf_json_reader_t *r, mbpf_tok_t *tok, mbpf_diag_t *diag)
{
    static const struct {
        const char *word;
        size_t len;
        mbpf_tok_type_t type;
        uint64_t u;
    } lits[] = {
        {"true", 4, MBPF_TOK_BOOL, 1},
        {"false", 5, MBPF_TOK_BOOL, 0},
        {"null", 4, MBPF_TOK_NULL, 0},
    };
    for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        if (r->len - r->pos >= lits[i].len &&
            memcmp(r->p + r->pos, lits[i].word, lits[i].len) == 0) {
            r->pos += lits[i].len;
            tok->type = lits[i].type;
            tok->u = lits[i].u;
            return 0;
        }
    }
    return fail(r, diag, r->pos, "expected a value");
}

static int open_container(mbpf_json_reader_t *r, mbpf_tok_t *tok, mbpf_diag_t *diag, int obj)
{
    if (r->depth == MBPF_MANIFEST_MAX_DEPTH) {
        char msg[32];
        mbpf_fmt(msg, sizeof msg, "nesting deeper than %d", MBPF_MANIFEST_MAX_DEPTH);
        return fail_code(r, diag, MBPF_PKG_E_MANIFEST_LIMIT, r->pos, msg);
    }
    r->is_obj[r->depth++] = (uint8_t)obj;
    r->pos++;
    tok->type = obj ? MBPF_TOK_MAP_BEGIN : MBPF_TOK_ARRAY_BEGIN;
    r->state = obj ? ST_FIRST_KEY : ST_FIRST_VALUE;
    return 0;
}

static void close_container(mbpf_json_reader_t *r, mbpf_tok_t *tok)
{
    r->depth--;
    r->pos++;
    tok->type = r->is_obj[r->depth] ? MBPF_TOK_MAP_END : MBPF_TOK_ARRAY_END;
    r->state = ST_AFTER;
}

static int read_value(mbpf_json_reader_t *r, mbpf_tok_t *tok, mbpf_diag_t *diag)
{
    uint8_t c = r->p[r->pos];
    int rc;
    if (c == '{' || c == '[') return open_container(r, tok, diag, c == '{');
    if (c == '"')
        rc = read_string(r, tok, diag);
    else if (c == '-' || (c >= '0' && c <= '9'))
        rc = read_number(r, tok, diag);
    else
        rc = read_literal(r, tok, diag);
    if (rc == 0) r->state = ST_AFTER;
    return rc;
}

int mbpf_json_reader_next(void *reader, mbpf_tok_t *tok, mbpf_diag_t *diag)
{
    mbpf_json_reader_t *r = reader;
    memset(tok, 0, sizeof *tok);
    for (;;) {
        skip_ws(r);
        tok->pos = r->pos;
        int at_end = r->pos >= r->len;
        uint8_t c = at_end ? 0 : r->p[r->pos];

        if (r->state == ST_DONE) {
            tok->type = MBPF_TOK_EOF;
            return 0;
        }
        if (r->state == ST_AFTER && r->depth == 0) {
            if (!at_end) return fail(r, diag, r->pos, "unexpected characters after the value");
            r->state = ST_DONE;
            tok->type = MBPF_TOK_EOF;
            return 0;
        }
        if (at_end) return fail(r, diag, r->pos, "unexpected end of input");

        if (r->state == ST_AFTER) {
            int obj = r->is_obj[r->depth - 1];
            if (c == ',') {
                r->pos++;
                r->state = obj ? ST_KEY : ST_VALUE;
                continue;
            }
            if (c == (obj ? '}' : ']')) {
                close_container(r, tok);
                return 0;
            }
            return fail(r, diag, r->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
        if ((r->state == ST_FIRST_KEY && c == '}') || (r->state == ST_FIRST_VALUE && c == ']')) {
            close_container(r, tok);
            return 0;
        }
        if (r->state == ST_FIRST_KEY || r->state == ST_KEY) {
            if (c != '"')
                return fail(r, diag, r->pos,
                            r->state == ST_FIRST_KEY ? "expected a string key or '}'"
                                                     : "expected a string key");
            int rc = read_string(r, tok, diag);
            if (rc != 0) return rc;
            skip_ws(r);
            if (r->pos >= r->len || r->p[r->pos] != ':')
                return fail(r, diag, r->pos,
                            r->pos >= r->len ? "unexpected end of input" : "expected ':'");
            r->pos++;
            r->state = ST_VALUE;
            return 0;
        }
        return read_value(r, tok, diag);
    }
}
