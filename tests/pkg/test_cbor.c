/*
 * Tests of the CBOR reader and writer, and their cross-check against
 * libcbor: what we write libcbor reads back as the same items (and, for
 * canonical items, byte for byte as libcbor writes them), and what libcbor
 * writes, including non-shortest heads, we read as the same tokens.
 * Manifest-level CBOR cases (truncation, corruption, libcbor-built
 * manifests, CBOR-only type errors) are here too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cbor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_reader.h"
#include "cbor_writer.h"
#include "manifest.h"
#include "manifest_json.h"
#include "manifest_reader.h"
#include "mbpf.h"

static size_t from_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = hex; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        unsigned v;
        assert_int_equal(sscanf(p, "%2x", &v), 1);
        assert_true(n < cap);
        out[n++] = (uint8_t)v;
        p += 2;
    }
    return n;
}

/* Renders the token stream of buf[0..len) as text ("{ 'a' 1 [ ] }"), or
 * returns the error code with the message in d. */
static int tokens(const uint8_t *buf, size_t len, char *out, size_t cap, mbpf_diag_t *d)
{
    mbpf_cbor_reader_t r;
    mbpf_tok_t t;
    size_t o = 0;
    out[0] = '\0';
    mbpf_cbor_reader_init(&r, buf, len, "t");
    for (;;) {
        int rc = mbpf_cbor_reader_next(&r, &t, d);
        if (rc != 0) return rc;
        char item[96];
        switch (t.type) {
        case MBPF_TOK_EOF: return 0;
        case MBPF_TOK_MAP_BEGIN:
            snprintf(item, sizeof item, "{%llu", (unsigned long long)t.u);
            break;
        case MBPF_TOK_MAP_END: snprintf(item, sizeof item, "}"); break;
        case MBPF_TOK_ARRAY_BEGIN:
            snprintf(item, sizeof item, "[%llu", (unsigned long long)t.u);
            break;
        case MBPF_TOK_ARRAY_END: snprintf(item, sizeof item, "]"); break;
        case MBPF_TOK_TEXT: snprintf(item, sizeof item, "'%.*s'", (int)t.len, t.text); break;
        case MBPF_TOK_BYTES: snprintf(item, sizeof item, "b%zu", t.len); break;
        case MBPF_TOK_UINT: snprintf(item, sizeof item, "%llu", (unsigned long long)t.u); break;
        case MBPF_TOK_NEGINT: snprintf(item, sizeof item, "n%llu", (unsigned long long)t.u); break;
        case MBPF_TOK_BOOL: snprintf(item, sizeof item, "%s", t.u ? "true" : "false"); break;
        case MBPF_TOK_NULL: snprintf(item, sizeof item, "null"); break;
        case MBPF_TOK_FLOAT: snprintf(item, sizeof item, "float"); break;
        }
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? " " : "", item);
        assert_true(o < cap);
    }
}

static void expect_tokens(const char *hex, const char *want)
{
    uint8_t buf[128];
    char got[512];
    mbpf_diag_t d = {{0}};
    size_t n = from_hex(hex, buf, sizeof buf);
    int rc = tokens(buf, n, got, sizeof got, &d);
    if (rc != 0) print_message("%s: %s\n", hex, d.msg);
    assert_int_equal(rc, 0);
    assert_string_equal(got, want);
}

static void expect_reject(const char *hex, int code, const char *msg)
{
    uint8_t buf[128];
    char got[512];
    mbpf_diag_t d = {{0}};
    size_t n = from_hex(hex, buf, sizeof buf);
    /* a heap copy of exactly n bytes, so ASan sees any read past the end */
    uint8_t *copy = malloc(n ? n : 1);
    memcpy(copy, buf, n);
    int rc = tokens(copy, n, got, sizeof got, &d);
    free(copy);
    if (rc != code || strcmp(d.msg, msg) != 0) print_message("%s: %d %s\n", hex, rc, d.msg);
    assert_int_equal(rc, code);
    assert_string_equal(d.msg, msg);
}

/* ---- reader ---- */

static void test_reader_tokens_every_type(void **state)
{
    (void)state;
    expect_tokens("a3 61 61 01 62 62 62 82 20 f5 63 63 63 63 a0",
                  "{3 'a' 1 'bb' [2 n0 true ] 'ccc' {0 } }");
    expect_tokens("84 f4 f6 43 01 02 03 fb 3f f1 99 99 99 99 99 9a", "[4 false null b3 float ]");
    expect_tokens("f9 3c 00", "float");
    expect_tokens("fa 47 c3 50 00", "float");
    expect_tokens("1b ff ff ff ff ff ff ff ff", "18446744073709551615");
    expect_tokens("3b ff ff ff ff ff ff ff ff", "n18446744073709551615");
    expect_tokens("60", "''");
}

static void test_reader_accepts_non_shortest_heads(void **state)
{
    (void)state;
    expect_tokens("18 05", "5");
    expect_tokens("19 00 05", "5");
    expect_tokens("1a 00 00 00 05", "5");
    expect_tokens("1b 00 00 00 00 00 00 00 05", "5");
    expect_tokens("38 00", "n0");
    expect_tokens("78 01 61", "'a'");
    expect_tokens("99 00 01 01", "[1 1 ]");
    expect_tokens("b8 00", "{0 }");
}

static void test_reader_rejects_malformed_and_unsupported(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        int code;
        const char *msg;
    } cases[] = {
        {"", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: empty"},
        {"18", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: unexpected end"},
        {"1b 00 00", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: unexpected end"},
        {"62 61", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: string runs past the end"},
        {"5f", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 0: indefinite-length byte string not allowed"},
        {"7f", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 0: indefinite-length text string not allowed"},
        {"9f ff", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: indefinite-length array not allowed"},
        {"bf ff", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: indefinite-length map not allowed"},
        {"81 9f ff", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 1: indefinite-length array not allowed"},
        {"1f", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: reserved additional information 31"},
        {"3f", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: reserved additional information 31"},
        {"df", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: reserved additional information 31"},
        {"1c", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: reserved additional information 28"},
        {"5d", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: reserved additional information 29"},
        {"fe", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: reserved additional information 30"},
        {"c0 00", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: tag 0 not allowed"},
        {"d8 20 60", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: tag 32 not allowed"},
        {"f7", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: undefined not allowed"},
        {"e0", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: simple value 0 not allowed"},
        {"f3", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: simple value 19 not allowed"},
        {"f8 20", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: simple value 32 not allowed"},
        {"f8 14", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: simple value 20 not allowed"},
        {"ff", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: unexpected break"},
        {"81 ff", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 1: unexpected break"},
        {"00 00", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 1: data after the top-level item (1 bytes)"},
        {"a0 a0 a0", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 1: data after the top-level item (2 bytes)"},
        {"81", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: array of 1 items runs past the end"},
        {"82 01", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: array of 2 items runs past the end"},
        {"a1 00", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 0: map of 1 pairs runs past the end"},
        {"9b ff ff ff ff ff ff ff ff 00", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 0: array of 18446744073709551615 items runs past the end"},
        {"bb 80 00 00 00 00 00 00 00 00 00", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 0: map of 9223372036854775808 pairs runs past the end"},
        {"7b ff ff ff ff ff ff ff ff 61", MBPF_PKG_E_MANIFEST_SYNTAX,
         "t: offset 0: string runs past the end"},
        {"62 c3 28", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 1: invalid UTF-8 in text string"},
        {"63 ed a0 80", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 1: invalid UTF-8 in text string"},
        {"62 c0 af", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 1: invalid UTF-8 in text string"},
        {"64 61 f4 90 80", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 2: invalid UTF-8 in text string"},
        {"61 80", MBPF_PKG_E_MANIFEST_SYNTAX, "t: offset 1: invalid UTF-8 in text string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_reject(cases[i].hex, cases[i].code, cases[i].msg);
    /* byte strings are not text: no UTF-8 rule */
    expect_tokens("42 c3 28", "b2");
}

static void test_reader_nesting_limit(void **state)
{
    (void)state;
    expect_tokens("81 81 81 81 81 81 81 81 00", "[1 [1 [1 [1 [1 [1 [1 [1 0 ] ] ] ] ] ] ] ]");
    expect_tokens("a1 60 a1 60 a1 60 a1 60 a1 60 a1 60 a1 60 80",
                  "{1 '' {1 '' {1 '' {1 '' {1 '' {1 '' {1 '' [0 ] } } } } } } }");
    expect_reject("81 81 81 81 81 81 81 81 81 00", MBPF_PKG_E_MANIFEST_LIMIT,
                  "t: offset 8: nesting deeper than 8");
    expect_reject("81 81 81 81 81 81 81 81 a0", MBPF_PKG_E_MANIFEST_LIMIT,
                  "t: offset 8: nesting deeper than 8");
}

/* ---- writer ---- */

#define EXPECT_ENC(stmt, hex)                                                                      \
    do {                                                                                           \
        uint8_t got_[64], want_[64];                                                               \
        size_t n_, wn_;                                                                            \
        mbpf_cbor_writer_t w_;                                                                     \
        mbpf_cbor_writer_t *w = &w_;                                                               \
        mbpf_cbor_writer_init(w, got_, sizeof got_);                                               \
        stmt;                                                                                      \
        assert_int_equal(mbpf_cbor_writer_finish(w, &n_), 0);                                      \
        wn_ = from_hex(hex, want_, sizeof want_);                                                  \
        assert_int_equal(n_, wn_);                                                                 \
        assert_memory_equal(got_, want_, n_);                                                      \
    } while (0)

/* RFC 8949 appendix A, the items this writer can make. */
static void test_writer_matches_rfc8949_examples(void **state)
{
    (void)state;
    EXPECT_ENC(mbpf_cbor_put_uint(w, 0), "00");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 1), "01");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 10), "0a");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 23), "17");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 24), "1818");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 25), "1819");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 100), "1864");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 1000), "1903e8");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 1000000), "1a000f4240");
    EXPECT_ENC(mbpf_cbor_put_uint(w, 1000000000000ull), "1b000000e8d4a51000");
    EXPECT_ENC(mbpf_cbor_put_uint(w, UINT64_MAX), "1bffffffffffffffff");
    EXPECT_ENC(mbpf_cbor_put_negint(w, UINT64_MAX), "3bffffffffffffffff");
    EXPECT_ENC(mbpf_cbor_put_negint(w, 0), "20");
    EXPECT_ENC(mbpf_cbor_put_negint(w, 9), "29");
    EXPECT_ENC(mbpf_cbor_put_negint(w, 99), "3863");
    EXPECT_ENC(mbpf_cbor_put_negint(w, 999), "3903e7");
    EXPECT_ENC(mbpf_cbor_put_float64_bits(w, 0x3ff199999999999aull), "fb3ff199999999999a");
    EXPECT_ENC(mbpf_cbor_put_bool(w, 0), "f4");
    EXPECT_ENC(mbpf_cbor_put_bool(w, 1), "f5");
    EXPECT_ENC(mbpf_cbor_put_null(w), "f6");
    EXPECT_ENC(mbpf_cbor_put_bytes(w, "", 0), "40");
    EXPECT_ENC(mbpf_cbor_put_bytes(w, "\x01\x02\x03\x04", 4), "4401020304");
    EXPECT_ENC(mbpf_cbor_put_cstr(w, ""), "60");
    EXPECT_ENC(mbpf_cbor_put_cstr(w, "a"), "6161");
    EXPECT_ENC(mbpf_cbor_put_cstr(w, "IETF"), "6449455446");
    EXPECT_ENC(mbpf_cbor_put_cstr(w, "\"\\"), "62225c");
    EXPECT_ENC(mbpf_cbor_put_cstr(w, "\xc3\xbc"), "62c3bc");
    EXPECT_ENC(mbpf_cbor_put_cstr(w, "\xe6\xb0\xb4"), "63e6b0b4");
    EXPECT_ENC(mbpf_cbor_put_array(w, 0), "80");
    EXPECT_ENC((mbpf_cbor_put_array(w, 3), mbpf_cbor_put_uint(w, 1), mbpf_cbor_put_uint(w, 2),
                mbpf_cbor_put_uint(w, 3)),
               "83010203");
    EXPECT_ENC(mbpf_cbor_put_map(w, 0), "a0");
    EXPECT_ENC((mbpf_cbor_put_map(w, 2), mbpf_cbor_put_cstr(w, "a"), mbpf_cbor_put_uint(w, 1),
                mbpf_cbor_put_cstr(w, "b"), mbpf_cbor_put_array(w, 2), mbpf_cbor_put_uint(w, 2),
                mbpf_cbor_put_uint(w, 3)),
               "a26161016162820203");
}

static void test_writer_keeps_counting_past_the_end(void **state)
{
    (void)state;
    uint8_t buf[8];
    size_t n;
    mbpf_cbor_writer_t w;
    memset(buf, 0xAA, sizeof buf);
    mbpf_cbor_writer_init(&w, buf, 3);
    mbpf_cbor_put_uint(&w, 1);       /* 1 byte: fits */
    mbpf_cbor_put_uint(&w, 1000000); /* 5 bytes: does not */
    mbpf_cbor_put_cstr(&w, "x");     /* 2 bytes would fit, but after a gap: dropped */
    assert_int_equal(mbpf_cbor_writer_finish(&w, &n), MBPF_PKG_E_NOSPACE);
    assert_int_equal(n, 8);
    assert_int_equal(buf[0], 0x01);
    for (int i = 1; i < 8; i++) assert_int_equal(buf[i], 0xAA);

    mbpf_cbor_writer_init(&w, NULL, 100); /* measuring */
    mbpf_cbor_put_map(&w, 1);
    mbpf_cbor_put_cstr(&w, "abc");
    mbpf_cbor_put_uint(&w, 70000);
    assert_int_equal(mbpf_cbor_writer_finish(&w, &n), MBPF_PKG_E_NOSPACE);
    assert_int_equal(n, 1 + 4 + 5);
}

/* ---- cross-check with libcbor: heads ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A value with a random magnitude, so every head size is exercised. */
static uint64_t rnd_value(void)
{
    static const uint64_t edges[] = {
        0, 1, 23, 24, 255, 256, 65535, 65536, 0xFFFFFFFF, 0x100000000ull, UINT64_MAX};
    uint64_t r = rnd();
    if (r % 4 == 0) return edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
    return rnd() >> (rnd() % 64);
}

static void test_writer_heads_match_libcbor(void **state)
{
    (void)state;
    for (int i = 0; i < 20000; i++) {
        uint64_t v = rnd_value();
        unsigned char theirs[16];
        uint8_t ours[16];
        mbpf_cbor_writer_t w;
        size_t tn, on;
        int kind = i % 5;

        mbpf_cbor_writer_init(&w, ours, sizeof ours);
        switch (kind) {
        case 0:
            mbpf_cbor_put_uint(&w, v);
            tn = cbor_encode_uint(v, theirs, sizeof theirs);
            break;
        case 1:
            mbpf_cbor_put_negint(&w, v);
            tn = cbor_encode_negint(v, theirs, sizeof theirs);
            break;
        case 2:
            mbpf_cbor_put_array(&w, v);
            tn = cbor_encode_array_start((size_t)v, theirs, sizeof theirs);
            break;
        case 3:
            mbpf_cbor_put_map(&w, v);
            tn = cbor_encode_map_start((size_t)v, theirs, sizeof theirs);
            break;
        default:
            mbpf_cbor_put_uint(&w, v);
            ours[0] |= 0x60; /* a text string head of length v */
            tn = cbor_encode_string_start((size_t)v, theirs, sizeof theirs);
            break;
        }
        assert_int_equal(mbpf_cbor_writer_finish(&w, &on), 0);
        assert_int_equal(on, tn);
        assert_memory_equal(ours, theirs, on);

        if (kind <= 1) { /* and libcbor reads our integers back */
            struct cbor_load_result res;
            cbor_item_t *item = cbor_load(ours, on, &res);
            assert_non_null(item);
            assert_int_equal(res.read, on);
            assert_true(kind == 0 ? cbor_isa_uint(item) : cbor_isa_negint(item));
            assert_true(cbor_get_int(item) == v);
            cbor_decref(&item);
        }
    }
}

/* ---- cross-check with libcbor: random documents ---- */

static size_t rnd_utf8(char *out, size_t max_chars)
{
    size_t n = 0, chars = (size_t)(rnd() % (max_chars + 1));
    for (size_t i = 0; i < chars; i++) {
        uint32_t cp;
        switch (rnd() % 4) {
        case 0: cp = 0x20 + (uint32_t)(rnd() % 0x5F); break;
        case 1: cp = 0x80 + (uint32_t)(rnd() % 0x780); break;
        case 2:
            cp = 0x800 + (uint32_t)(rnd() % 0xF800);
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xE000;
            break;
        default: cp = 0x10000 + (uint32_t)(rnd() % 0x100000); break;
        }
        if (cp < 0x80) {
            out[n++] = (char)cp;
        } else if (cp < 0x800) {
            out[n++] = (char)(0xC0 | cp >> 6);
            out[n++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[n++] = (char)(0xE0 | cp >> 12);
            out[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[n++] = (char)(0xF0 | cp >> 18);
            out[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
            out[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[n++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    return n;
}

/* Builds a random libcbor item; *canonical is cleared when it uses a
 * non-shortest integer width or a non-binary64 float. */
static cbor_item_t *rnd_item(int depth, int *canonical)
{
    int kind = (int)(rnd() % (depth < MBPF_MANIFEST_MAX_DEPTH ? 10 : 7));
    uint64_t v = rnd_value();
    switch (kind) {
    case 0:
    case 1: {
        int width = (int)(rnd() % 4), min = v <= 0xFF         ? 0
                                            : v <= 0xFFFF     ? 1
                                            : v <= 0xFFFFFFFF ? 2
                                                              : 3;
        if (width < min || rnd() % 2) width = min;
        if (width != min) *canonical = 0;
        if (kind == 0) {
            switch (width) {
            case 0: return cbor_build_uint8((uint8_t)v);
            case 1: return cbor_build_uint16((uint16_t)v);
            case 2: return cbor_build_uint32((uint32_t)v);
            default: return cbor_build_uint64(v);
            }
        }
        switch (width) {
        case 0: return cbor_build_negint8((uint8_t)v);
        case 1: return cbor_build_negint16((uint16_t)v);
        case 2: return cbor_build_negint32((uint32_t)v);
        default: return cbor_build_negint64(v);
        }
    }
    case 2: {
        char s[256];
        size_t n = rnd_utf8(s, 40);
        return cbor_build_stringn(s, n);
    }
    case 3: {
        uint8_t b[32];
        size_t n = (size_t)(rnd() % sizeof b);
        for (size_t i = 0; i < n; i++) b[i] = (uint8_t)rnd();
        return cbor_build_bytestring(b, n);
    }
    case 4: return cbor_build_bool(rnd() % 2);
    case 5:
        if (rnd() % 2) return cbor_new_null();
        if (rnd() % 2) {
            *canonical = 0;
            return cbor_build_float4((float)(rnd() % 1000) / 8.0f);
        }
        return cbor_build_float8((double)(int64_t)rnd() / 3.0);
    case 6: return cbor_build_uint8((uint8_t)v);
    case 7:
    case 8: {
        size_t n = (size_t)(rnd() % 5);
        cbor_item_t *a = cbor_new_definite_array(n);
        for (size_t i = 0; i < n; i++)
            assert_true(cbor_array_push(a, cbor_move(rnd_item(depth + 1, canonical))));
        return a;
    }
    default: {
        size_t n = (size_t)(rnd() % 4);
        cbor_item_t *m = cbor_new_definite_map(n);
        for (size_t i = 0; i < n; i++) {
            struct cbor_pair p = {cbor_move(rnd_item(MBPF_MANIFEST_MAX_DEPTH, canonical)),
                                  cbor_move(rnd_item(depth + 1, canonical))};
            assert_true(cbor_map_add(m, p));
        }
        return m;
    }
    }
}

/* Our reader must see exactly the libcbor item tree. */
static void match_tree(mbpf_cbor_reader_t *r, const cbor_item_t *it)
{
    mbpf_tok_t t;
    mbpf_diag_t d;
    assert_int_equal(mbpf_cbor_reader_next(r, &t, &d), 0);
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT:
        assert_int_equal(t.type, MBPF_TOK_UINT);
        assert_true(t.u == cbor_get_int(it));
        break;
    case CBOR_TYPE_NEGINT:
        assert_int_equal(t.type, MBPF_TOK_NEGINT);
        assert_true(t.u == cbor_get_int(it));
        break;
    case CBOR_TYPE_STRING:
        assert_int_equal(t.type, MBPF_TOK_TEXT);
        assert_int_equal(t.len, cbor_string_length(it));
        assert_memory_equal(t.text, cbor_string_handle(it), t.len);
        break;
    case CBOR_TYPE_BYTESTRING:
        assert_int_equal(t.type, MBPF_TOK_BYTES);
        assert_int_equal(t.len, cbor_bytestring_length(it));
        assert_memory_equal(t.text, cbor_bytestring_handle(it), t.len);
        break;
    case CBOR_TYPE_ARRAY:
        assert_int_equal(t.type, MBPF_TOK_ARRAY_BEGIN);
        assert_int_equal(t.u, cbor_array_size(it));
        for (size_t i = 0; i < cbor_array_size(it); i++) match_tree(r, cbor_array_handle(it)[i]);
        assert_int_equal(mbpf_cbor_reader_next(r, &t, &d), 0);
        assert_int_equal(t.type, MBPF_TOK_ARRAY_END);
        break;
    case CBOR_TYPE_MAP:
        assert_int_equal(t.type, MBPF_TOK_MAP_BEGIN);
        assert_int_equal(t.u, cbor_map_size(it));
        for (size_t i = 0; i < cbor_map_size(it); i++) {
            match_tree(r, cbor_map_handle(it)[i].key);
            match_tree(r, cbor_map_handle(it)[i].value);
        }
        assert_int_equal(mbpf_cbor_reader_next(r, &t, &d), 0);
        assert_int_equal(t.type, MBPF_TOK_MAP_END);
        break;
    case CBOR_TYPE_FLOAT_CTRL:
        if (!cbor_float_ctrl_is_ctrl(it)) {
            assert_int_equal(t.type, MBPF_TOK_FLOAT);
        } else if (cbor_is_bool(it)) {
            assert_int_equal(t.type, MBPF_TOK_BOOL);
            assert_int_equal(t.u, cbor_get_bool(it));
        } else {
            assert_true(cbor_is_null(it));
            assert_int_equal(t.type, MBPF_TOK_NULL);
        }
        break;
    default: fail_msg("unexpected libcbor type");
    }
}

/* Writes the libcbor item tree with our writer. */
static void write_tree(mbpf_cbor_writer_t *w, const cbor_item_t *it)
{
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT: mbpf_cbor_put_uint(w, cbor_get_int(it)); break;
    case CBOR_TYPE_NEGINT: mbpf_cbor_put_negint(w, cbor_get_int(it)); break;
    case CBOR_TYPE_STRING:
        mbpf_cbor_put_text(w, (const char *)cbor_string_handle(it), cbor_string_length(it));
        break;
    case CBOR_TYPE_BYTESTRING:
        mbpf_cbor_put_bytes(w, cbor_bytestring_handle(it), cbor_bytestring_length(it));
        break;
    case CBOR_TYPE_ARRAY:
        mbpf_cbor_put_array(w, cbor_array_size(it));
        for (size_t i = 0; i < cbor_array_size(it); i++) write_tree(w, cbor_array_handle(it)[i]);
        break;
    case CBOR_TYPE_MAP:
        mbpf_cbor_put_map(w, cbor_map_size(it));
        for (size_t i = 0; i < cbor_map_size(it); i++) {
            write_tree(w, cbor_map_handle(it)[i].key);
            write_tree(w, cbor_map_handle(it)[i].value);
        }
        break;
    default:
        if (cbor_float_ctrl_is_ctrl(it) && cbor_is_bool(it)) {
            mbpf_cbor_put_bool(w, cbor_get_bool(it));
        } else if (cbor_float_ctrl_is_ctrl(it)) {
            mbpf_cbor_put_null(w);
        } else {
            double dv = cbor_float_get_float(it);
            uint64_t bits;
            memcpy(&bits, &dv, sizeof bits);
            mbpf_cbor_put_float64_bits(w, bits);
        }
        break;
    }
}

/* Same items, whatever the encoding widths. */
static void same_items(const cbor_item_t *a, const cbor_item_t *b)
{
    assert_int_equal(cbor_typeof(a), cbor_typeof(b));
    switch (cbor_typeof(a)) {
    case CBOR_TYPE_UINT:
    case CBOR_TYPE_NEGINT: assert_true(cbor_get_int(a) == cbor_get_int(b)); break;
    case CBOR_TYPE_STRING:
        assert_int_equal(cbor_string_length(a), cbor_string_length(b));
        assert_memory_equal(cbor_string_handle(a), cbor_string_handle(b), cbor_string_length(a));
        break;
    case CBOR_TYPE_BYTESTRING:
        assert_int_equal(cbor_bytestring_length(a), cbor_bytestring_length(b));
        assert_memory_equal(cbor_bytestring_handle(a), cbor_bytestring_handle(b),
                            cbor_bytestring_length(a));
        break;
    case CBOR_TYPE_ARRAY:
        assert_int_equal(cbor_array_size(a), cbor_array_size(b));
        for (size_t i = 0; i < cbor_array_size(a); i++)
            same_items(cbor_array_handle(a)[i], cbor_array_handle(b)[i]);
        break;
    case CBOR_TYPE_MAP:
        assert_int_equal(cbor_map_size(a), cbor_map_size(b));
        for (size_t i = 0; i < cbor_map_size(a); i++) {
            same_items(cbor_map_handle(a)[i].key, cbor_map_handle(b)[i].key);
            same_items(cbor_map_handle(a)[i].value, cbor_map_handle(b)[i].value);
        }
        break;
    default:
        assert_int_equal(cbor_float_ctrl_is_ctrl(a), cbor_float_ctrl_is_ctrl(b));
        if (cbor_float_ctrl_is_ctrl(a))
            assert_int_equal(cbor_ctrl_value(a), cbor_ctrl_value(b));
        else
            assert_true(cbor_float_get_float(a) == cbor_float_get_float(b));
        break;
    }
}

static void test_random_documents_agree_with_libcbor(void **state)
{
    (void)state;
    unsigned canonical_count = 0;
    for (int iter = 0; iter < 3000; iter++) {
        int canonical = 1;
        cbor_item_t *tree = rnd_item(1, &canonical);
        unsigned char *theirs = NULL;
        size_t theirs_cap = 0;
        size_t tn = cbor_serialize_alloc(tree, &theirs, &theirs_cap);
        assert_true(tn > 0);

        /* libcbor -> our reader */
        mbpf_cbor_reader_t r;
        mbpf_tok_t t;
        mbpf_diag_t d;
        mbpf_cbor_reader_init(&r, theirs, tn, "t");
        match_tree(&r, tree);
        assert_int_equal(mbpf_cbor_reader_next(&r, &t, &d), 0);
        assert_int_equal(t.type, MBPF_TOK_EOF);

        /* our writer -> libcbor */
        mbpf_cbor_writer_t w;
        size_t on;
        mbpf_cbor_writer_init(&w, NULL, 0);
        write_tree(&w, tree);
        uint8_t *ours = malloc(w.len);
        assert_non_null(ours);
        mbpf_cbor_writer_init(&w, ours, w.len);
        write_tree(&w, tree);
        assert_int_equal(mbpf_cbor_writer_finish(&w, &on), 0);
        struct cbor_load_result res;
        cbor_item_t *back = cbor_load(ours, on, &res);
        assert_non_null(back);
        assert_int_equal(res.error.code, CBOR_ERR_NONE);
        assert_int_equal(res.read, on);
        same_items(tree, back);
        /* canonical items: byte for byte what libcbor writes */
        if (canonical) {
            canonical_count++;
            assert_int_equal(on, tn);
            assert_memory_equal(ours, theirs, on);
        }
        cbor_decref(&back);
        cbor_decref(&tree);
        free(ours);
        free(theirs);
    }
    print_message("%u of 3000 random documents canonical (byte-compared)\n", canonical_count);
    assert_true(canonical_count > 300);
}

/* ---- manifests ---- */

static char *read_fixture(size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/net_rx_full.json", MBPF_TEST_FIXTURES);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[65536];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static void fixture_manifest(mbpf_manifest_t *m)
{
    size_t len;
    char err[256];
    const char *json = read_fixture(&len);
    assert_int_equal(mbpf_tool_manifest_from_json(json, len, "fixture", m, err, sizeof err), 0);
}

static cbor_item_t *lookup(const cbor_item_t *map, const char *key)
{
    assert_true(cbor_isa_map(map));
    for (size_t i = 0; i < cbor_map_size(map); i++) {
        const cbor_item_t *k = cbor_map_handle(map)[i].key;
        if (cbor_isa_string(k) && cbor_string_length(k) == strlen(key) &&
            memcmp(cbor_string_handle(k), key, strlen(key)) == 0)
            return cbor_map_handle(map)[i].value;
    }
    fail_msg("key %s not found", key);
    return NULL;
}

static void assert_text(const cbor_item_t *it, const char *s)
{
    assert_true(cbor_isa_string(it));
    assert_int_equal(cbor_string_length(it), strlen(s));
    assert_memory_equal(cbor_string_handle(it), s, strlen(s));
}

static void assert_keys_canonical(const cbor_item_t *map)
{
    for (size_t i = 1; i < cbor_map_size(map); i++) {
        const cbor_item_t *a = cbor_map_handle(map)[i - 1].key, *b = cbor_map_handle(map)[i].key;
        size_t la = cbor_string_length(a), lb = cbor_string_length(b);
        assert_true(la < lb ||
                    (la == lb && memcmp(cbor_string_handle(a), cbor_string_handle(b), la) < 0));
    }
}

static void test_manifest_encoding_read_by_libcbor(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    fixture_manifest(&m);
    uint8_t buf[4096];
    size_t n;
    mbpf_diag_t d;
    assert_int_equal(mbpf_manifest_encode_cbor(&m, buf, sizeof buf, &n, &d), 0);

    struct cbor_load_result res;
    cbor_item_t *root = cbor_load(buf, n, &res);
    assert_non_null(root);
    assert_int_equal(res.error.code, CBOR_ERR_NONE);
    assert_int_equal(res.read, n);
    assert_true(cbor_map_is_definite(root));
    assert_int_equal(cbor_map_size(root), 13);
    assert_keys_canonical(root);
    assert_text(cbor_map_handle(root)[0].key, "maps");

    assert_text(lookup(root, "program_name"), "net_rx_filter");
    assert_text(lookup(root, "program_version"), "1.2.0");
    assert_text(lookup(root, "hook_type"), "NET_RX");
    assert_text(lookup(root, "entry_symbol"), "mbpf_prog");
    const cbor_item_t *heap = lookup(root, "heap_size");
    assert_true(cbor_isa_uint(heap));
    assert_int_equal(cbor_get_int(heap), 16384);
    assert_int_equal(cbor_int_get_width(heap), CBOR_INT_16); /* shortest */
    assert_int_equal(cbor_get_int(lookup(root, "mbpf_api_version")), 0x10000);
    assert_int_equal(cbor_int_get_width(lookup(root, "mbpf_api_version")), CBOR_INT_32);
    assert_int_equal(cbor_get_int(lookup(root, "hook_ctx_abi_version")), 1);
    assert_int_equal(cbor_int_get_width(lookup(root, "hook_ctx_abi_version")), CBOR_INT_8);

    const cbor_item_t *target = lookup(root, "target");
    assert_keys_canonical(target);
    assert_text(lookup(target, "word_size"), "any");
    assert_text(lookup(target, "endianness"), "any");
    const cbor_item_t *budgets = lookup(root, "budgets");
    assert_keys_canonical(budgets);
    assert_int_equal(cbor_get_int(lookup(budgets, "max_steps")), 100000);
    assert_int_equal(cbor_get_int(lookup(budgets, "max_helpers")), 64);
    assert_int_equal(cbor_get_int(lookup(budgets, "max_wall_time_us")), 500);

    const cbor_item_t *caps = lookup(root, "capabilities");
    assert_int_equal(cbor_array_size(caps), 4);
    assert_text(cbor_array_handle(caps)[0], "CAP_LOG");
    assert_text(cbor_array_handle(caps)[1], "CAP_MAP_READ");
    assert_text(cbor_array_handle(caps)[2], "CAP_MAP_WRITE");
    assert_text(cbor_array_handle(caps)[3], "CAP_EMIT");

    const cbor_item_t *helpers = lookup(root, "helper_versions");
    assert_int_equal(cbor_map_size(helpers), 2);
    assert_int_equal(cbor_get_int(lookup(helpers, "emit")), 0x10000);

    const cbor_item_t *maps = lookup(root, "maps");
    assert_int_equal(cbor_array_size(maps), 5);
    for (size_t i = 0; i < 5; i++) {
        const cbor_item_t *def = cbor_array_handle(maps)[i];
        assert_int_equal(cbor_map_size(def), 6);
        assert_keys_canonical(def);
        assert_text(lookup(def, "name"), m.maps[i].name);
        assert_text(lookup(def, "type"), mbpf_map_type_name(m.maps[i].type));
        assert_int_equal(cbor_get_int(lookup(def, "key_size")), m.maps[i].key_size);
        assert_int_equal(cbor_get_int(lookup(def, "value_size")), m.maps[i].value_size);
        assert_int_equal(cbor_get_int(lookup(def, "max_entries")), m.maps[i].max_entries);
        assert_int_equal(cbor_get_int(lookup(def, "flags")), m.maps[i].flags);
    }
    /* and libcbor writes the same bytes back */
    unsigned char *again = NULL;
    size_t cap = 0;
    size_t an = cbor_serialize_alloc(root, &again, &cap);
    assert_int_equal(an, n);
    assert_memory_equal(again, buf, n);
    free(again);
    cbor_decref(&root);
}

static void put(cbor_item_t *map, const char *key, cbor_item_t *value)
{
    struct cbor_pair p = {cbor_move(cbor_build_string(key)), cbor_move(value)};
    assert_true(cbor_map_add(map, p));
}

/* The fixture, built with libcbor in schema order with wide integer heads
 * and some enumerations as numbers. */
static cbor_item_t *libcbor_fixture(size_t spare)
{
    cbor_item_t *root = cbor_new_definite_map(13 + spare);
    put(root, "program_name", cbor_build_string("net_rx_filter"));
    put(root, "program_version", cbor_build_string("1.2.0"));
    put(root, "hook_type", cbor_build_uint8(MBPF_HOOK_NET_RX));
    put(root, "hook_ctx_abi_version", cbor_build_uint64(1));
    put(root, "entry_symbol", cbor_build_string("mbpf_prog"));
    put(root, "bytecode_version", cbor_build_uint32(1));
    cbor_item_t *target = cbor_new_definite_map(2);
    put(target, "endianness", cbor_build_string("any"));
    put(target, "word_size", cbor_build_string("any"));
    put(root, "target", target);
    put(root, "mbpf_api_version", cbor_build_uint64(65536));
    put(root, "heap_size", cbor_build_uint32(16384));
    cbor_item_t *budgets = cbor_new_definite_map(3);
    put(budgets, "max_wall_time_us", cbor_build_uint16(500));
    put(budgets, "max_steps", cbor_build_uint32(100000));
    put(budgets, "max_helpers", cbor_build_uint64(64));
    put(root, "budgets", budgets);
    cbor_item_t *caps = cbor_new_definite_array(4);
    assert_true(cbor_array_push(caps, cbor_move(cbor_build_string("CAP_LOG"))));
    assert_true(cbor_array_push(caps, cbor_move(cbor_build_uint16(MBPF_CAP_MAP_READ))));
    assert_true(cbor_array_push(caps, cbor_move(cbor_build_string("CAP_MAP_WRITE"))));
    assert_true(cbor_array_push(caps, cbor_move(cbor_build_uint8(MBPF_CAP_EMIT))));
    put(root, "capabilities", caps);
    cbor_item_t *helpers = cbor_new_definite_map(2);
    put(helpers, "emit", cbor_build_uint32(65536));
    put(helpers, "log", cbor_build_uint64(65536));
    put(root, "helper_versions", helpers);
    static const struct {
        const char *name;
        uint8_t type;
        uint32_t k, v, e, f;
    } defs[] = {
        {"blocklist", MBPF_MAP_HASH, 4, 1, 1024, 0},   {"per_proto", MBPF_MAP_ARRAY, 0, 8, 256, 0},
        {"pkts", MBPF_MAP_COUNTER, 0, 8, 2, 0},        {"events", MBPF_MAP_RINGBUF, 0, 64, 4096, 0},
        {"prefixes", MBPF_MAP_LPM_TRIE, 8, 4, 256, 1},
    };
    cbor_item_t *maps = cbor_new_definite_array(5);
    for (size_t i = 0; i < 5; i++) {
        cbor_item_t *def = cbor_new_definite_map(defs[i].f ? 6 : 5);
        put(def, "name", cbor_build_string(defs[i].name));
        put(def, "type",
            i % 2 ? cbor_build_uint8(defs[i].type)
                  : cbor_build_string(mbpf_map_type_name(defs[i].type)));
        put(def, "key_size", cbor_build_uint32(defs[i].k));
        put(def, "value_size", cbor_build_uint16((uint16_t)defs[i].v));
        put(def, "max_entries", cbor_build_uint64(defs[i].e));
        if (defs[i].f) put(def, "flags", cbor_build_uint8((uint8_t)defs[i].f));
        assert_true(cbor_array_push(maps, cbor_move(def)));
    }
    put(root, "maps", maps);
    return root;
}

static int decode_item(const cbor_item_t *item, mbpf_manifest_t *m, mbpf_diag_t *d)
{
    unsigned char *buf = NULL;
    size_t cap = 0;
    size_t n = cbor_serialize_alloc(item, &buf, &cap);
    assert_true(n > 0);
    int rc = mbpf_manifest_decode_cbor(buf, n, m, d);
    free(buf);
    return rc;
}

static void test_libcbor_built_manifest_decodes(void **state)
{
    (void)state;
    mbpf_manifest_t want, got;
    mbpf_diag_t d = {{0}};
    fixture_manifest(&want);
    cbor_item_t *root = libcbor_fixture(0);
    int rc = decode_item(root, &got, &d);
    if (rc != 0) print_message("%s\n", d.msg);
    assert_int_equal(rc, 0);
    assert_memory_equal(&got, &want, sizeof got);
    cbor_decref(&root);
}

static void test_libcbor_built_bad_manifests_rejected(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    mbpf_diag_t d;

    cbor_item_t *root = libcbor_fixture(1);
    put(root, "heap_size", cbor_build_uint8(1));
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_DUPLICATE);
    assert_string_equal(d.msg, "manifest: heap_size: duplicate key");
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    struct cbor_pair p = {cbor_move(cbor_build_uint8(1)), cbor_move(cbor_build_uint8(2))};
    assert_true(cbor_map_add(root, p));
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_TYPE);
    assert_string_equal(d.msg, "manifest: expected a string key, got 1");
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    put(root, "program_name", cbor_build_bytestring((const uint8_t *)"p", 1));
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_TYPE);
    assert_string_equal(d.msg, "manifest: program_name: expected a string, got a byte string");
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    put(root, "heap_size", cbor_build_float2(1.0f));
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_TYPE);
    assert_string_equal(
        d.msg, "manifest: heap_size: expected an unsigned integer, got a non-integer number");
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    put(root, "heap_size", cbor_build_float4(4096.0f));
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_TYPE);
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    put(root, "heap_size",
        cbor_build_tag(2, cbor_move(cbor_build_bytestring((const uint8_t *)"\1", 1))));
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_SYNTAX);
    assert_string_equal(d.msg, "manifest: offset 11: tag 2 not allowed");
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    put(root, "heap_size", cbor_new_undef());
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_SYNTAX);
    assert_string_equal(d.msg, "manifest: offset 11: undefined not allowed");
    cbor_decref(&root);

    root = cbor_new_indefinite_map();
    put(root, "heap_size", cbor_build_uint8(1));
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_SYNTAX);
    assert_string_equal(d.msg, "manifest: offset 0: indefinite-length map not allowed");
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    cbor_item_t *chunks = cbor_new_indefinite_string();
    assert_true(cbor_string_add_chunk(chunks, cbor_move(cbor_build_string("p"))));
    put(root, "program_name", chunks);
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_SYNTAX);
    assert_string_equal(d.msg, "manifest: offset 14: indefinite-length text string not allowed");
    cbor_decref(&root);

    root = cbor_new_definite_map(1);
    cbor_item_t *arr = cbor_new_indefinite_array();
    put(root, "capabilities", arr);
    assert_int_equal(decode_item(root, &m, &d), MBPF_PKG_E_MANIFEST_SYNTAX);
    assert_string_equal(d.msg, "manifest: offset 14: indefinite-length array not allowed");
    cbor_decref(&root);
}

/* Every prefix of a valid manifest is malformed CBOR, and says so. */
static void test_truncated_manifest_at_every_length_fails_cleanly(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    fixture_manifest(&m);
    static uint8_t canon[4096];
    size_t canon_len;
    mbpf_diag_t d;
    assert_int_equal(mbpf_manifest_encode_cbor(&m, canon, sizeof canon, &canon_len, &d), 0);
    cbor_item_t *root = libcbor_fixture(0);
    unsigned char *wide = NULL;
    size_t cap = 0, wide_len = cbor_serialize_alloc(root, &wide, &cap);
    cbor_decref(&root);

    const uint8_t *docs[] = {canon, wide};
    size_t lens[] = {canon_len, wide_len};
    for (int k = 0; k < 2; k++) {
        for (size_t len = 0; len < lens[k]; len++) {
            uint8_t *copy = malloc(len ? len : 1);
            memcpy(copy, docs[k], len);
            mbpf_manifest_t out;
            memset(&out, 0x55, sizeof out);
            int rc = mbpf_manifest_decode_cbor(copy, len, &out, &d);
            free(copy);
            if (rc != MBPF_PKG_E_MANIFEST_SYNTAX) print_message("len %zu: %s\n", len, d.msg);
            assert_int_equal(rc, MBPF_PKG_E_MANIFEST_SYNTAX);
            assert_memory_equal(d.msg, "manifest: offset ", 17);
            for (size_t i = 0; i < sizeof out; i++) assert_int_equal(((uint8_t *)&out)[i], 0);
        }
        mbpf_manifest_t out;
        assert_int_equal(mbpf_manifest_decode_cbor(docs[k], lens[k], &out, &d), 0);
        assert_memory_equal(&out, &m, sizeof m);
    }
    free(wide);
}

/* Every single-byte change is either rejected with a manifest error or
 * yields a manifest that validates and round-trips. */
static void test_corrupted_manifest_bytes_handled(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    fixture_manifest(&m);
    static uint8_t canon[4096], again[4096];
    size_t n, n2;
    mbpf_diag_t d;
    assert_int_equal(mbpf_manifest_encode_cbor(&m, canon, sizeof canon, &n, &d), 0);
    static const uint8_t patterns[] = {0x00, 0xFF, 0x1F, 0x5F, 0x7F, 0x9F, 0xBF, 0xF7, 0x18, 0x1B};
    unsigned accepted = 0, rejected = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t p = 0; p < sizeof patterns + 2; p++) {
            uint8_t *copy = malloc(n);
            memcpy(copy, canon, n);
            copy[i] = p < sizeof patterns ? patterns[p]
                                          : (uint8_t)(copy[i] ^ (p == sizeof patterns ? 1 : 0x80));
            mbpf_manifest_t out, back;
            int rc = mbpf_manifest_decode_cbor(copy, n, &out, &d);
            free(copy);
            if (rc == 0) {
                accepted++;
                assert_int_equal(mbpf_manifest_validate(&out, &d), 0);
                assert_int_equal(mbpf_manifest_encode_cbor(&out, again, sizeof again, &n2, &d), 0);
                assert_int_equal(mbpf_manifest_decode_cbor(again, n2, &back, &d), 0);
                assert_memory_equal(&out, &back, sizeof out);
            } else {
                rejected++;
                assert_true(rc <= MBPF_PKG_E_MANIFEST_SYNTAX && rc >= MBPF_PKG_E_MANIFEST_VALUE);
                assert_memory_equal(d.msg, "manifest: ", 10);
            }
        }
    }
    print_message("single-byte corruptions: %u accepted, %u rejected\n", accepted, rejected);
    assert_true(rejected > accepted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_tokens_every_type),
        cmocka_unit_test(test_reader_accepts_non_shortest_heads),
        cmocka_unit_test(test_reader_rejects_malformed_and_unsupported),
        cmocka_unit_test(test_reader_nesting_limit),
        cmocka_unit_test(test_writer_matches_rfc8949_examples),
        cmocka_unit_test(test_writer_keeps_counting_past_the_end),
        cmocka_unit_test(test_writer_heads_match_libcbor),
        cmocka_unit_test(test_random_documents_agree_with_libcbor),
        cmocka_unit_test(test_manifest_encoding_read_by_libcbor),
        cmocka_unit_test(test_libcbor_built_manifest_decodes),
        cmocka_unit_test(test_libcbor_built_bad_manifests_rejected),
        cmocka_unit_test(test_truncated_manifest_at_every_length_fails_cleanly),
        cmocka_unit_test(test_corrupted_manifest_bytes_handled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
