/*
 * JSON manifest input for the tools: a strict syntax pass, cJSON for the
 * tree, then JSON -> CBOR -> the runtime decoder, which owns the schema.
 *
 * The syntax pass is the runtime's own JSON reader (src/pkg/json_reader.c)
 * run to the end of the text, so there is one JSON grammar and a syntax
 * error reads as the loader's, with the file name in front. It exists
 * because cJSON alone is lenient ("01", "1.", control bytes as whitespace,
 * raw tabs in strings, a byte-order mark) and its error pointer is
 * imprecise (one byte late for a missing key, the last byte for an
 * unexpected end). cJSON's pointer is kept for the case that cJSON refuses
 * text the pass accepted. The reader accepts \u0000, which cJSON would cut
 * a string at; the pass refuses it (no schema string may hold a NUL).
 *
 * The pass also records every number token in document order with its
 * exact integer value; cJSON keeps numbers only as doubles, and walking its
 * tree visits numbers in the same order, so each number item is matched
 * with its token. That is how "1.0" stays a float (a type error) and
 * 18446744073709551615 stays exact.
 */
#include "manifest_json.h"

#include <cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_writer.h"
#include "json_reader.h"
#include "manifest_reader.h"
#include "pkg_error.h"

typedef struct num {
    mbpf_tok_type_t type; /* MBPF_TOK_UINT, _NEGINT or _FLOAT */
    uint64_t u;           /* as in mbpf_tok_t */
} num_t;

typedef struct nums {
    num_t *v;
    size_t count, cap;
} nums_t;

static int nums_push(nums_t *n, const mbpf_tok_t *tok)
{
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 32;
        num_t *v = realloc(n->v, cap * sizeof *v);
        if (!v) return -1;
        n->v = v;
        n->cap = cap;
    }
    n->v[n->count++] = (num_t){.type = tok->type, .u = tok->u};
    return 0;
}

/* Offset of the first \u0000 escape in the string whose opening quote is
 * at p[start], or 0 when it has none. The reader has checked the string,
 * so it is closed and its escapes are complete. */
static size_t find_nul_escape(const uint8_t *p, size_t start)
{
    for (size_t i = start + 1; p[i] != '"'; i++) {
        if (p[i] != '\\') continue;
        if (p[i + 1] == 'u' && memcmp(p + i + 2, "0000", 4) == 0) return i;
        i++; /* the escaped character; a \uXXXX's digits are no quote */
    }
    return 0;
}

/* ---- cJSON tree -> CBOR ---- */

typedef struct conv {
    mbpf_cbor_writer_t w;
    const nums_t *nums;
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
        if (c->next_num >= c->nums->count) return -1;
        const num_t *num = &c->nums->v[c->next_num++];
        if (num->type == MBPF_TOK_UINT) {
            mbpf_cbor_put_uint(&c->w, num->u);
        } else if (num->type == MBPF_TOK_NEGINT) {
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
        if (depth > MBPF_MANIFEST_MAX_DEPTH) return -1; /* the syntax pass stops these first */
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

static int report_at(const char *file, const uint8_t *p, size_t pos, int code, const char *msg,
                     char *err, size_t errcap)
{
    uint32_t line, col;
    mbpf_json_line_col(p, pos, &line, &col);
    if (err && errcap)
        snprintf(err, errcap, "%s:%" PRIu32 ":%" PRIu32 ": %s", file, line, col, msg);
    return code;
}

/* The syntax pass: the runtime's JSON reader to the end of the text.
 * Appends each number token to *nums. Returns 0 or an error code with err
 * set, except MBPF_PKG_E_NOSPACE, which the caller reports. */
static int check_syntax(const uint8_t *p, size_t len, const char *file, nums_t *nums, char *err,
                        size_t errcap)
{
    mbpf_json_reader_t r;
    mbpf_tok_t tok;
    mbpf_diag_t diag = {{0}};
    mbpf_json_reader_init(&r, p, len, NULL);
    do {
        int rc = mbpf_json_reader_next(&r, &tok, &diag);
        if (rc != 0) {
            if (err && errcap) snprintf(err, errcap, "%s:%s", file, diag.msg);
            return rc;
        }
        if (tok.type == MBPF_TOK_TEXT) {
            size_t at = find_nul_escape(p, tok.pos);
            if (at != 0)
                return report_at(file, p, at, MBPF_PKG_E_MANIFEST_SYNTAX,
                                 "\\u0000 not allowed in a manifest", err, errcap);
        } else if (tok.type == MBPF_TOK_UINT || tok.type == MBPF_TOK_NEGINT ||
                   tok.type == MBPF_TOK_FLOAT) {
            if (nums_push(nums, &tok) != 0) return MBPF_PKG_E_NOSPACE;
        }
    } while (tok.type != MBPF_TOK_EOF);
    return 0;
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

    char *copy = NULL;
    cJSON *root = NULL;
    nums_t nums = {0};
    int rc = check_syntax(p, len, file, &nums, err, errcap);
    if (rc == MBPF_PKG_E_NOSPACE) goto oom;
    if (rc != 0) goto out;

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

    conv_t c = {.nums = &nums};
    mbpf_cbor_writer_init(&c.w, NULL, 0);
    if (emit(&c, root, 1) != 0 || c.next_num != nums.count) goto internal;
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
    free(nums.v);
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

int mbpf_tool_is_json(const uint8_t *data, size_t len, uint8_t open)
{
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    return i < len && data[i] == open;
}
