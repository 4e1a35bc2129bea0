/*
 * JSON manifest input for the tools: a strict validating pass, cJSON for
 * the tree, then JSON -> CBOR -> the runtime decoder, which owns the schema.
 *
 * The validating pass runs the runtime JSON reader's grammar (strict RFC
 * 8259) and reports the first error with its line and column in the same
 * words. It exists because cJSON alone is lenient ("01", "1.", control
 * bytes as whitespace, raw tabs in strings, a byte-order mark, strings cut
 * at \u0000) and its error pointer is imprecise (one byte late for a
 * missing key, the last byte for an unexpected end). cJSON's pointer is
 * kept for the case that cJSON refuses text the pass accepted.
 *
 * The pass also records every number token in document order with its
 * exact integer value; cJSON keeps numbers only as doubles, and walking its
 * tree visits numbers in the same order, so each number item is matched
 * with its token. That is how "1.0" stays a float (a type error) and
 * 18446744073709551615 stays exact.
 */
#include "manifest_json.h"

#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_writer.h"
#include "manifest_reader.h"
#include "pkg_error.h"

enum { NUM_UINT, NUM_NEGINT, NUM_FLOAT };

typedef struct num {
    int kind;
    uint64_t u; /* NUM_UINT: the value; NUM_NEGINT: the integer -1 - u */
} num_t;

typedef struct lexer {
    const uint8_t *p;
    size_t len;
    size_t pos;
    num_t *nums;
    size_t num_count, num_cap;
    /* the first error */
    int code;
    size_t err_pos;
    char msg[96];
} lexer_t;

static void lex_error(lexer_t *lx, int code, size_t at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void lex_error(lexer_t *lx, int code, size_t at, const char *fmt, ...)
{
    va_list ap;
    lx->code = code;
    lx->err_pos = at;
    va_start(ap, fmt);
    vsnprintf(lx->msg, sizeof lx->msg, fmt, ap);
    va_end(ap);
}

static int is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hex4(const lexer_t *lx, size_t at, uint32_t *cp)
{
    if (lx->len - at < 4) return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++) {
        uint8_t c = lx->p[at + i];
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

static int lex_string(lexer_t *lx)
{
    size_t start = lx->pos++;
    for (;;) {
        if (lx->pos >= lx->len) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, start, "unterminated string");
            return -1;
        }
        uint8_t c = lx->p[lx->pos];
        if (c == '"') {
            lx->pos++;
            return 0;
        }
        if (c < 0x20) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos,
                      "control character in string (escape it)");
            return -1;
        }
        if (c != '\\') {
            size_t n = mbpf_utf8_seq_len(lx->p + lx->pos, lx->len - lx->pos);
            if (n == 0) {
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos, "invalid UTF-8");
                return -1;
            }
            lx->pos += n;
            continue;
        }
        size_t at = lx->pos;
        if (lx->len - at < 2) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, start, "unterminated string");
            return -1;
        }
        uint8_t e = lx->p[at + 1];
        lx->pos = at + 2;
        if (strchr("\"\\/bfnrt", e) && e != '\0') continue;
        if (e != 'u') {
            if (e > 0x20 && e < 0x7F)
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, at, "invalid escape '\\%c'", e);
            else
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, at, "invalid escape");
            return -1;
        }
        uint32_t cp, lo;
        if (hex4(lx, lx->pos, &cp) != 0) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, at, "invalid \\u escape");
            return -1;
        }
        lx->pos += 4;
        if (cp == 0) {
            /* cJSON would cut the string here; no schema string holds NUL. */
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, at, "\\u0000 not allowed in a manifest");
            return -1;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, at, "unpaired surrogate in \\u escape");
            return -1;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (lx->len - lx->pos < 6 || lx->p[lx->pos] != '\\' || lx->p[lx->pos + 1] != 'u' ||
                hex4(lx, lx->pos + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, at, "unpaired surrogate in \\u escape");
                return -1;
            }
            lx->pos += 6;
        }
    }
}

static int digit_at(const lexer_t *lx, size_t at)
{
    return at < lx->len && lx->p[at] >= '0' && lx->p[at] <= '9';
}

static int lex_number(lexer_t *lx)
{
    int neg = 0, is_float = 0;
    if (lx->p[lx->pos] == '-') {
        neg = 1;
        lx->pos++;
    }
    size_t int_start = lx->pos;
    if (!digit_at(lx, lx->pos)) {
        lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos, "expected a digit");
        return -1;
    }
    if (lx->p[lx->pos] == '0') {
        lx->pos++;
        if (digit_at(lx, lx->pos)) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, int_start, "leading zeros not allowed");
            return -1;
        }
    } else {
        while (digit_at(lx, lx->pos)) lx->pos++;
    }
    size_t int_end = lx->pos;
    if (lx->pos < lx->len && lx->p[lx->pos] == '.') {
        lx->pos++;
        if (!digit_at(lx, lx->pos)) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos, "expected a digit after '.'");
            return -1;
        }
        while (digit_at(lx, lx->pos)) lx->pos++;
        is_float = 1;
    }
    if (lx->pos < lx->len && (lx->p[lx->pos] == 'e' || lx->p[lx->pos] == 'E')) {
        lx->pos++;
        if (lx->pos < lx->len && (lx->p[lx->pos] == '+' || lx->p[lx->pos] == '-')) lx->pos++;
        if (!digit_at(lx, lx->pos)) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos, "expected a digit in exponent");
            return -1;
        }
        while (digit_at(lx, lx->pos)) lx->pos++;
        is_float = 1;
    }
    uint64_t v = 0;
    for (size_t i = int_start; i < int_end && !is_float; i++) {
        uint64_t d = (uint64_t)(lx->p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            is_float = 1;
        else
            v = v * 10 + d;
    }
    if (neg && v == 0) is_float = 1;

    if (lx->num_count == lx->num_cap) {
        size_t cap = lx->num_cap ? lx->num_cap * 2 : 32;
        num_t *nv = realloc(lx->nums, cap * sizeof *nv);
        if (!nv) {
            lex_error(lx, MBPF_PKG_E_NOSPACE, lx->pos, "out of memory");
            return -1;
        }
        lx->nums = nv;
        lx->num_cap = cap;
    }
    num_t *n = &lx->nums[lx->num_count++];
    n->kind = is_float ? NUM_FLOAT : neg ? NUM_NEGINT : NUM_UINT;
    n->u = n->kind == NUM_NEGINT ? v - 1 : v;
    return 0;
}

enum { ST_VALUE, ST_FIRST_VALUE, ST_FIRST_KEY, ST_KEY, ST_COLON, ST_AFTER };

static int lex_literal(lexer_t *lx)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (lx->len - lx->pos >= n && memcmp(lx->p + lx->pos, words[i], n) == 0) {
            lx->pos += n;
            return 0;
        }
    }
    lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos, "expected a value");
    return -1;
}

/* Validates the whole text with the grammar of the runtime's JSON reader
 * (src/pkg/json_reader.c), so both report the same error at the same
 * place; stops at the first error (lx->code). */
static void lex(lexer_t *lx)
{
    int state = ST_VALUE;
    unsigned depth = 0;
    uint8_t is_obj[MBPF_MANIFEST_MAX_DEPTH];
    for (;;) {
        while (lx->pos < lx->len && is_ws(lx->p[lx->pos])) lx->pos++;
        if (state == ST_AFTER && depth == 0) {
            if (lx->pos < lx->len)
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos,
                          "unexpected characters after the value");
            return;
        }
        if (lx->pos >= lx->len) {
            lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos, "unexpected end of input");
            return;
        }
        uint8_t c = lx->p[lx->pos];
        switch (state) {
        case ST_AFTER: {
            int obj = is_obj[depth - 1];
            if (c == ',') {
                lx->pos++;
                state = obj ? ST_KEY : ST_VALUE;
            } else if (c == (obj ? '}' : ']')) {
                lx->pos++;
                depth--;
            } else {
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos,
                          obj ? "expected ',' or '}'" : "expected ',' or ']'");
                return;
            }
            break;
        }
        case ST_COLON:
            if (c != ':') {
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos, "expected ':'");
                return;
            }
            lx->pos++;
            state = ST_VALUE;
            break;
        case ST_FIRST_KEY:
        case ST_KEY:
            if (c == '}' && state == ST_FIRST_KEY) {
                lx->pos++;
                depth--;
                state = ST_AFTER;
            } else if (c == '"') {
                if (lex_string(lx) != 0) return;
                state = ST_COLON;
            } else {
                lex_error(lx, MBPF_PKG_E_MANIFEST_SYNTAX, lx->pos,
                          state == ST_FIRST_KEY ? "expected a string key or '}'"
                                                : "expected a string key");
                return;
            }
            break;
        default: /* ST_VALUE, ST_FIRST_VALUE */
            if (c == ']' && state == ST_FIRST_VALUE) {
                lx->pos++;
                depth--;
                state = ST_AFTER;
            } else if (c == '{' || c == '[') {
                if (depth == MBPF_MANIFEST_MAX_DEPTH) {
                    lex_error(lx, MBPF_PKG_E_MANIFEST_LIMIT, lx->pos, "nesting deeper than %d",
                              MBPF_MANIFEST_MAX_DEPTH);
                    return;
                }
                is_obj[depth++] = c == '{';
                lx->pos++;
                state = c == '{' ? ST_FIRST_KEY : ST_FIRST_VALUE;
            } else {
                int rc = c == '"'                             ? lex_string(lx)
                         : c == '-' || (c >= '0' && c <= '9') ? lex_number(lx)
                                                              : lex_literal(lx);
                if (rc != 0) return;
                state = ST_AFTER;
            }
            break;
        }
    }
}

/* ---- cJSON tree -> CBOR ---- */

typedef struct conv {
    mbpf_cbor_writer_t w;
    const lexer_t *lx;
    size_t next_num;
} conv_t;

static int emit(conv_t *c, const cJSON *it, int depth)
{
    const cJSON *ch;
    uint64_t n = 0;
    switch (it->type & 0xFF) {
    case cJSON_False: mbpf_cbor_put_bool(&c->w, 0); return 0;
    case cJSON_True: mbpf_cbor_put_bool(&c->w, 1); return 0;
    case cJSON_NULL: mbpf_cbor_put_null(&c->w); return 0;
    case cJSON_String: mbpf_cbor_put_cstr(&c->w, it->valuestring); return 0;
    case cJSON_Number: {
        if (c->next_num >= c->lx->num_count) return -1;
        const num_t *num = &c->lx->nums[c->next_num++];
        if (num->kind == NUM_UINT) {
            mbpf_cbor_put_uint(&c->w, num->u);
        } else if (num->kind == NUM_NEGINT) {
            mbpf_cbor_put_negint(&c->w, num->u);
        } else {
            uint64_t bits;
            double d = it->valuedouble;
            memcpy(&bits, &d, sizeof bits);
            mbpf_cbor_put_float64_bits(&c->w, bits);
        }
        return 0;
    }
    case cJSON_Array:
    case cJSON_Object:
        if (depth > MBPF_MANIFEST_MAX_DEPTH) return -1; /* the validator stops these first */
        for (ch = it->child; ch; ch = ch->next) n++;
        if ((it->type & 0xFF) == cJSON_Array)
            mbpf_cbor_put_array(&c->w, n);
        else
            mbpf_cbor_put_map(&c->w, n);
        for (ch = it->child; ch; ch = ch->next) {
            if ((it->type & 0xFF) == cJSON_Object) {
                if (!ch->string) return -1;
                mbpf_cbor_put_cstr(&c->w, ch->string);
            }
            if (emit(c, ch, depth + 1) != 0) return -1;
        }
        return 0;
    default: return -1;
    }
}

/* ---- entry points ---- */

static void line_col(const uint8_t *p, size_t pos, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
    for (size_t i = 0; i < pos; i++) {
        if (p[i] == '\n') {
            l++;
            c = 1;
        } else if ((p[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int report_at(const char *file, const uint8_t *p, size_t pos, int code, const char *msg,
                     char *err, size_t errcap)
{
    unsigned line, col;
    line_col(p, pos, &line, &col);
    if (err && errcap) snprintf(err, errcap, "%s:%u:%u: %s", file, line, col, msg);
    return code;
}

int mbpf_tool_json_to_cbor(const char *text, size_t len, const char *filename, uint8_t **out,
                           size_t *out_len, char *err, size_t errcap)
{
    const char *file = filename ? filename : "<input>";
    const uint8_t *p = (const uint8_t *)text;
    if (err && errcap) err[0] = '\0';
    if (!out || !out_len || (!text && len > 0) || len == SIZE_MAX) {
        if (err && errcap) snprintf(err, errcap, "%s: invalid argument", file);
        return MBPF_PKG_E_INVALID_ARG;
    }
    *out = NULL;
    *out_len = 0;

    int rc = 0;
    char *copy = NULL;
    cJSON *root = NULL;
    lexer_t lx = {.p = p, .len = len};
    lex(&lx);
    if (lx.code == MBPF_PKG_E_NOSPACE) goto oom;
    if (lx.code != 0) {
        rc = report_at(file, p, lx.err_pos, lx.code, lx.msg, err, errcap);
        goto out;
    }

    /* The text is valid JSON now; cJSON builds the tree. It gets a
     * NUL-terminated copy: it may look at the byte after a token. */
    copy = malloc(len + 1);
    if (!copy) goto oom;
    if (len) memcpy(copy, text, len);
    copy[len] = '\0';
    root = cJSON_ParseWithLengthOpts(copy, len, NULL, 0);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t pos = at && at >= copy && at <= copy + len ? (size_t)(at - copy) : 0;
        rc = report_at(file, p, pos, MBPF_PKG_E_MANIFEST_SYNTAX, "cJSON could not parse this", err,
                       errcap);
        goto out;
    }

    conv_t c = {.lx = &lx};
    mbpf_cbor_writer_init(&c.w, NULL, 0);
    if (emit(&c, root, 1) != 0 || c.next_num != lx.num_count) goto internal;
    size_t need = c.w.len;
    uint8_t *buf = malloc(need ? need : 1);
    if (!buf) goto oom;
    c.next_num = 0;
    mbpf_cbor_writer_init(&c.w, buf, need);
    if (emit(&c, root, 1) != 0 || mbpf_cbor_writer_finish(&c.w, out_len) != 0) {
        free(buf);
        goto internal;
    }
    *out = buf;
    goto out;

oom:
    if (err && errcap) snprintf(err, errcap, "%s: out of memory", file);
    rc = MBPF_PKG_E_NOSPACE;
    goto out;
internal:
    if (err && errcap) snprintf(err, errcap, "%s: internal error converting JSON to CBOR", file);
    rc = MBPF_PKG_E_INVALID_ARG;
out:
    cJSON_Delete(root);
    free(copy);
    free(lx.nums);
    return rc;
}

int mbpf_tool_manifest_from_json(const char *text, size_t len, const char *filename,
                                 mbpf_manifest_t *out, char *err, size_t errcap)
{
    const char *file = filename ? filename : "<input>";
    uint8_t *cbor;
    size_t cbor_len;
    if (!out) {
        if (err && errcap) snprintf(err, errcap, "%s: invalid argument", file);
        return MBPF_PKG_E_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    int rc = mbpf_tool_json_to_cbor(text, len, filename, &cbor, &cbor_len, err, errcap);
    if (rc != 0) return rc;
    mbpf_diag_t diag = {{0}};
    rc = mbpf_manifest_decode_cbor(cbor, cbor_len, out, &diag);
    free(cbor);
    if (rc != 0 && err && errcap) snprintf(err, errcap, "%s: %s", file, diag.msg);
    return rc;
}
