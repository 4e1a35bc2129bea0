/*
 * Tests of the .mbpf container reader and writer and of CRC-32.
 *
 * Malformed inputs are made by writing a valid container and then editing
 * one header or table field, so each test breaks exactly one rule and checks
 * the error code and the part of the message that names the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "crc32.h"

#define assert_pkg_error(rc_expr, want, diag, needle)                                              \
    do {                                                                                           \
        int rc_ = (rc_expr);                                                                       \
        if (rc_ != (want))                                                                         \
            fail_msg("rc %d, want %d (%s); diag: %s", rc_, (int)(want), #want, (diag).msg);        \
        if (!strstr((diag).msg, (needle)))                                                         \
            fail_msg("diag \"%s\" does not contain \"%s\"", (diag).msg, (needle));                 \
    } while (0)

#define assert_pkg_ok(rc_expr, diag)                                                               \
    do {                                                                                           \
        int rc_ = (rc_expr);                                                                       \
        if (rc_ != 0) fail_msg("rc %d; diag: %s", rc_, (diag).msg);                                \
    } while (0)

static const char manifest_data[] = "{\"program_name\":\"t\"}"; /* 20 bytes + NUL */
/* Bytecode stand-in: 37 bytes 0xFB, 0x01, 2, 3, ..., 36 (see setup_bytecode). */
static uint8_t bytecode_data[37];
static const uint8_t maps_data[5] = {'m', 'a', 'p', 's', 0};
static const uint8_t debug_data[9] = {'d', 'e', 'b', 'u', 'g', '.', 's', 'y', 'm'};

/* Manifest (20 bytes) and bytecode (37 bytes): header 52, manifest at 56,
 * bytecode at 80, file size 117. */
static const mbpf_section_in_t two_sections[] = {
    {MBPF_SEC_MANIFEST, manifest_data, 20},
    {MBPF_SEC_BYTECODE, bytecode_data, sizeof bytecode_data},
};

static const mbpf_section_in_t all_sections[] = {
    {MBPF_SEC_MANIFEST, manifest_data, 20},
    {MBPF_SEC_BYTECODE, bytecode_data, sizeof bytecode_data},
    {MBPF_SEC_MAPS, maps_data, sizeof maps_data},
    {MBPF_SEC_DEBUG, debug_data, sizeof debug_data},
};

static int setup_bytecode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bytecode_data; i++) bytecode_data[i] = (uint8_t)i;
    bytecode_data[0] = 0xFB;
    bytecode_data[1] = 0x01;
    return 0;
}

#define N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* Byte offset of a field of table entry i (0 type, 4 offset, 8 length, 12 crc32). */
static size_t desc(uint32_t i, size_t field)
{
    return MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * i + field;
}
enum { F_TYPE = 0, F_OFFSET = 4, F_LENGTH = 8, F_CRC = 12 };

static size_t build(const mbpf_section_in_t *secs, uint32_t n, int with_sig, uint8_t *buf,
                    size_t cap)
{
    mbpf_diag_t d = {{0}};
    size_t len = 0;
    assert_pkg_ok(mbpf_container_write(secs, n, with_sig, buf, cap, &len, &d), d);
    return len;
}

static int parse(const uint8_t *buf, size_t len, mbpf_container_t *c, mbpf_diag_t *d)
{
    memset(d->msg, 0, sizeof d->msg);
    return mbpf_container_parse(buf, len, c, d);
}

/* Re-computes the file CRC after a test edited the header, so that only the
 * edited rule is broken. */
static void refresh_file_crc(uint8_t *buf, size_t end)
{
    put32(buf + MBPF_PKG_FILE_CRC_OFFSET, 0);
    put32(buf + MBPF_PKG_FILE_CRC_OFFSET, mbpf_crc32(0, buf, end));
}

/* ---- CRC-32 ---- */

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

static void test_crc32_matches_zlib_check_value(void **state)
{
    (void)state;
    assert_int_equal(mbpf_crc32(0, "123456789", 9), 0xCBF43926u);
}

static void test_crc32_matches_known_vectors(void **state)
{
    (void)state;
    uint8_t zeros[32], ones[32];
    memset(zeros, 0, sizeof zeros);
    memset(ones, 0xFF, sizeof ones);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    assert_int_equal(mbpf_crc32(0, "", 0), 0x00000000u);
    assert_int_equal(mbpf_crc32(0, NULL, 0), 0x00000000u);
    assert_int_equal(mbpf_crc32(0, "a", 1), 0xE8B7BE43u);
    assert_int_equal(mbpf_crc32(0, "abc", 3), 0x352441C2u);
    assert_int_equal(mbpf_crc32(0, fox, strlen(fox)), 0x414FA339u);
    assert_int_equal(mbpf_crc32(0, zeros, sizeof zeros), 0x190A55ADu);
    assert_int_equal(mbpf_crc32(0, ones, sizeof ones), 0xFF6CAB0Bu);
}

static void test_crc32_chained_calls_equal_one_call(void **state)
{
    (void)state;
    const char *s = "123456789";
    for (size_t cut = 0; cut <= 9; cut++) {
        uint32_t crc = mbpf_crc32(mbpf_crc32(0, s, cut), s + cut, 9 - cut);
        assert_int_equal(crc, 0xCBF43926u);
    }
}

static void test_crc32_matches_bitwise_reference_on_random_data(void **state)
{
    (void)state;
    uint8_t buf[1024];
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    for (size_t n = 0; n <= sizeof buf; n += 37)
        assert_int_equal(mbpf_crc32(0, buf, n), crc32_bitwise(buf, n));
}

/* ---- writer and round trips ---- */

static void check_round_trip(const mbpf_section_in_t *secs, uint32_t n, int with_sig)
{
    uint8_t buf[1024];
    size_t want = 0;
    assert_int_equal(mbpf_container_size(secs, n, with_sig, &want), 0);
    size_t len = build(secs, n, with_sig, buf, sizeof buf);
    assert_int_equal(len, want);

    mbpf_container_t c;
    mbpf_diag_t d;
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_ok(mbpf_container_check_crcs(&c, &d), d);
    assert_ptr_equal(c.base, buf);
    assert_int_equal(c.len, len);
    assert_int_equal(c.format_version, MBPF_PKG_FORMAT_VERSION);
    assert_int_equal(c.section_count, n + (with_sig ? 1 : 0));
    assert_int_equal(c.header_size, 20 + 16 * c.section_count);
    assert_int_not_equal(c.file_crc32, 0);

    uint32_t flags = with_sig ? MBPF_PKG_F_SIGNED : 0;
    uint32_t prev_end = c.header_size;
    for (uint32_t i = 0; i < n; i++) {
        const mbpf_section_t *s = &c.sections[i];
        assert_int_equal(s->type, secs[i].type);
        assert_int_equal(s->length, secs[i].length);
        assert_int_equal(s->offset % MBPF_PKG_SECTION_ALIGN, 0);
        assert_true(s->offset >= prev_end);
        assert_true(s->offset - prev_end < MBPF_PKG_SECTION_ALIGN);
        for (uint32_t k = prev_end; k < s->offset; k++) assert_int_equal(buf[k], 0);
        if (secs[i].length > 0)
            assert_memory_equal(mbpf_container_data(&c, s), secs[i].data, secs[i].length);
        assert_int_equal(s->crc32, mbpf_crc32(0, secs[i].data, secs[i].length));
        if (secs[i].type == MBPF_SEC_DEBUG) flags |= MBPF_PKG_F_DEBUG;
        if (secs[i].type >= MBPF_SEC_MANIFEST && secs[i].type <= MBPF_SEC_DEBUG)
            assert_ptr_equal(mbpf_container_find(&c, secs[i].type), s);
        prev_end = s->offset + s->length;
    }
    assert_int_equal(c.flags, flags);
    const mbpf_section_t *sig = mbpf_container_find(&c, MBPF_SEC_SIG);
    if (with_sig) {
        assert_ptr_equal(sig, &c.sections[n]);
        assert_int_equal(sig->offset % MBPF_PKG_SECTION_ALIGN, 0);
        assert_int_equal(sig->length, MBPF_PKG_SIG_SIZE);
        assert_int_equal(sig->offset + sig->length, len);
        assert_int_equal(sig->crc32, 0);
        for (size_t k = sig->offset; k < len; k++) assert_int_equal(buf[k], 0);
    } else {
        assert_null(sig);
        assert_int_equal(prev_end, len);
    }
}

static void test_round_trip_manifest_and_bytecode(void **state)
{
    (void)state;
    check_round_trip(two_sections, N(two_sections), 0);
}

static void test_round_trip_all_known_sections_signed_sets_both_flags(void **state)
{
    (void)state;
    check_round_trip(all_sections, N(all_sections), 1);
}

static void test_round_trip_single_section_unsigned(void **state)
{
    (void)state;
    check_round_trip(all_sections + 1, 1, 0);
}

static void test_round_trip_sig_only(void **state)
{
    (void)state;
    check_round_trip(NULL, 0, 1);
}

static void test_round_trip_keeps_unknown_and_empty_sections(void **state)
{
    (void)state;
    const mbpf_section_in_t secs[] = {
        {0, maps_data, 3},
        {MBPF_SEC_MANIFEST, manifest_data, 20},
        {77, debug_data, sizeof debug_data},
        {77, NULL, 0}, /* unknown types may repeat */
        {MBPF_SEC_DEBUG, NULL, 0},
        {0xFFFFFFFFu, bytecode_data, 1},
        {MBPF_SEC_BYTECODE, bytecode_data, sizeof bytecode_data},
    };
    check_round_trip(secs, N(secs), 0);
    check_round_trip(secs, N(secs), 1);
}

static void test_round_trip_maximum_section_count(void **state)
{
    (void)state;
    mbpf_section_in_t secs[MBPF_PKG_MAX_SECTIONS];
    for (uint32_t i = 0; i < MBPF_PKG_MAX_SECTIONS; i++)
        secs[i] = (mbpf_section_in_t){100 + i, bytecode_data, i + 1};
    check_round_trip(secs, MBPF_PKG_MAX_SECTIONS, 0);
    check_round_trip(secs, MBPF_PKG_MAX_SECTIONS - 1, 1);
}

static void test_write_produces_exact_header_bytes(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, N(two_sections), 0, buf, sizeof buf);
    assert_int_equal(len, 117);
    static const uint8_t header[] = {
        0x46, 0x50, 0x42, 0x4D, /* magic 0x4D425046, little-endian */
        1,    0,                /* format_version */
        52,   0,                /* header_size */
        0,    0,    0,    0,    /* flags */
        2,    0,    0,    0,    /* section_count */
    };
    assert_memory_equal(buf, header, sizeof header);
    assert_int_equal(get32(buf + desc(0, F_TYPE)), MBPF_SEC_MANIFEST);
    assert_int_equal(get32(buf + desc(0, F_OFFSET)), 56);
    assert_int_equal(get32(buf + desc(0, F_LENGTH)), 20);
    assert_int_equal(get32(buf + desc(0, F_CRC)), mbpf_crc32(0, manifest_data, 20));
    assert_int_equal(get32(buf + desc(1, F_TYPE)), MBPF_SEC_BYTECODE);
    assert_int_equal(get32(buf + desc(1, F_OFFSET)), 80);
    assert_int_equal(get32(buf + desc(1, F_LENGTH)), 37);
    uint8_t copy[256];
    memcpy(copy, buf, len);
    put32(copy + MBPF_PKG_FILE_CRC_OFFSET, 0);
    assert_int_equal(get32(buf + MBPF_PKG_FILE_CRC_OFFSET), mbpf_crc32(0, copy, len));
}

static void test_write_is_deterministic_whatever_the_buffer_held(void **state)
{
    (void)state;
    uint8_t a[512], b[512];
    memset(a, 0xAA, sizeof a);
    memset(b, 0x55, sizeof b);
    size_t la = build(all_sections, N(all_sections), 1, a, sizeof a);
    size_t lb = build(all_sections, N(all_sections), 1, b, sizeof b);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_int_equal(a[la], 0xAA); /* nothing written past the package */
}

static void test_size_agrees_with_write_for_many_layouts(void **state)
{
    (void)state;
    static uint8_t big[4096], out[8192];
    for (uint32_t n = 0; n <= 4; n++) {
        for (uint32_t len0 = 0; len0 < 20; len0++) {
            for (int sig = 0; sig <= 1; sig++) {
                if (n == 0 && !sig) continue;
                mbpf_section_in_t secs[4] = {{0}};
                for (uint32_t i = 0; i < n; i++)
                    secs[i] = (mbpf_section_in_t){10 + i, big, len0 * (i + 1) + i * 9};
                size_t want = 0, got = 0;
                mbpf_diag_t d;
                assert_int_equal(mbpf_container_size(secs, n, sig, &want), 0);
                assert_pkg_ok(mbpf_container_write(secs, n, sig, out, sizeof out, &got, &d), d);
                assert_int_equal(got, want);
                /* And one byte less is refused, reporting the size needed. */
                assert_pkg_error(mbpf_container_write(secs, n, sig, out, want - 1, &got, &d),
                                 MBPF_PKG_E_NOSPACE, d, "below package size");
                assert_int_equal(got, want);
            }
        }
    }
}

static void test_write_reports_nospace_with_needed_size(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t len = 0;
    mbpf_diag_t d;
    assert_pkg_error(mbpf_container_write(two_sections, 2, 0, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_NOSPACE, d, "output capacity 64 below package size 117");
    assert_int_equal(len, 117);
    assert_pkg_error(mbpf_container_write(two_sections, 2, 0, NULL, 0, &len, &d),
                     MBPF_PKG_E_NOSPACE, d, "output capacity 0");
    assert_int_equal(len, 117);
}

static void test_write_rejects_sig_in_input(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len;
    mbpf_diag_t d;
    const mbpf_section_in_t secs[] = {{MBPF_SEC_MANIFEST, manifest_data, 20},
                                      {MBPF_SEC_SIG, bytecode_data, 64}};
    assert_pkg_error(mbpf_container_write(secs, 2, 0, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_INVALID_ARG, d,
                     "section 1 (type 5): SIG is appended by the writer");
    assert_int_equal(mbpf_container_size(secs, 2, 0, &len), MBPF_PKG_E_INVALID_ARG);
}

static void test_write_rejects_duplicate_known_section(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len;
    mbpf_diag_t d;
    const mbpf_section_in_t secs[] = {{MBPF_SEC_BYTECODE, bytecode_data, 3},
                                      {MBPF_SEC_MANIFEST, manifest_data, 20},
                                      {MBPF_SEC_BYTECODE, bytecode_data, 4}};
    assert_pkg_error(mbpf_container_write(secs, 3, 0, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_INVALID_ARG, d, "section 2 (type 2): duplicate of section 0");
    assert_int_equal(mbpf_container_size(secs, 3, 0, &len), MBPF_PKG_E_INVALID_ARG);
}

static void test_write_rejects_too_many_sections(void **state)
{
    (void)state;
    mbpf_section_in_t secs[MBPF_PKG_MAX_SECTIONS + 1];
    for (uint32_t i = 0; i < N(secs); i++) secs[i] = (mbpf_section_in_t){100 + i, maps_data, 1};
    uint8_t buf[1024];
    size_t len;
    mbpf_diag_t d;
    assert_pkg_error(mbpf_container_write(secs, N(secs), 0, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_INVALID_ARG, d, "17 sections exceed the maximum of 16");
    assert_pkg_error(mbpf_container_write(secs, 16, 1, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_INVALID_ARG, d, "16 sections plus SIG exceed the maximum of 16");
    /* A count near UINT32_MAX must not wrap when SIG is added to it. */
    assert_int_equal(mbpf_container_size(secs, UINT32_MAX, 1, &len), MBPF_PKG_E_INVALID_ARG);
}

static void test_write_rejects_no_sections(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t len;
    mbpf_diag_t d;
    assert_pkg_error(mbpf_container_write(NULL, 0, 0, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_INVALID_ARG, d, "at least one section");
}

static void test_write_rejects_null_data_with_length(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len;
    mbpf_diag_t d;
    const mbpf_section_in_t secs[] = {{MBPF_SEC_MANIFEST, NULL, 4}};
    assert_pkg_error(mbpf_container_write(secs, 1, 0, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_INVALID_ARG, d, "section 0 (type 1): NULL data for length 4");
}

static void test_size_rejects_packages_beyond_u32(void **state)
{
    (void)state;
    static const uint8_t dummy[1]; /* never read: the size check comes first */
    size_t len = 0;
    mbpf_diag_t d;
    /* One section: header 36, data at 40; 40 + length must stay <= UINT32_MAX. */
    mbpf_section_in_t one[] = {{MBPF_SEC_BYTECODE, dummy, UINT32_MAX - 40}};
    assert_int_equal(mbpf_container_size(one, 1, 0, &len), 0);
    assert_int_equal(len, (size_t)UINT32_MAX);
    one[0].length = UINT32_MAX - 39;
    assert_int_equal(mbpf_container_size(one, 1, 0, &len), MBPF_PKG_E_INVALID_ARG);
    uint8_t buf[64];
    assert_pkg_error(mbpf_container_write(one, 1, 0, buf, sizeof buf, &len, &d),
                     MBPF_PKG_E_INVALID_ARG, d, "package size 4294967296 exceeds the format limit");

    const mbpf_section_in_t two[] = {{MBPF_SEC_MANIFEST, dummy, 0xFFFFFFF0u},
                                     {MBPF_SEC_BYTECODE, dummy, 0x20}};
    assert_int_equal(mbpf_container_size(two, 2, 0, &len), MBPF_PKG_E_INVALID_ARG);
    /* The SIG appended after a section that just fits must be counted too. */
    one[0].length = UINT32_MAX - 40 - 64;
    assert_int_equal(mbpf_container_size(one, 1, 0, &len), 0);
    assert_int_equal(mbpf_container_size(one, 1, 1, &len), MBPF_PKG_E_INVALID_ARG);
}

/* ---- reader: header ---- */

static void test_parse_rejects_buffer_shorter_than_header(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    (void)len;
    mbpf_container_t c;
    mbpf_diag_t d;
    assert_pkg_error(parse(buf, 19, &c, &d), MBPF_PKG_E_TRUNCATED, d,
                     "container: file size 19 below the fixed header size 20");
    assert_pkg_error(parse(NULL, 0, &c, &d), MBPF_PKG_E_TRUNCATED, d, "file size 0");
}

static void test_parse_rejects_wrong_magic(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    memcpy(buf, "MBPF", 4); /* the byte-swapped magic */
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_MAGIC, d,
                     "container: magic 0x4650424d is not 0x4d425046");
}

static void test_parse_rejects_unsupported_format_version(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put16(buf + 4, 2);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_FORMAT_VERSION, d,
                     "container: format_version 2 not supported");
    put16(buf + 4, 0);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_FORMAT_VERSION, d, "format_version 0");
}

static void test_parse_rejects_zero_section_count(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 12, 0);
    put16(buf + 6, 20);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_COUNT, d,
                     "container: section_count 0 outside 1..16");
}

static void test_parse_rejects_section_count_above_max(void **state)
{
    (void)state;
    uint8_t buf[512] = {0};
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    (void)len;
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 12, 17);
    put16(buf + 6, 20 + 16 * 17);
    assert_pkg_error(parse(buf, sizeof buf, &c, &d), MBPF_PKG_E_SECTION_COUNT, d,
                     "section_count 17 outside 1..16");
}

static void test_parse_rejects_section_count_whose_table_size_wraps(void **state)
{
    (void)state;
    /* 20 + 16 * 0x10000001 wraps to 36 in 32 bits: a naive check would
     * accept header_size 36 and read a table of 0x10000001 entries. */
    uint8_t buf[256];
    size_t len = build(all_sections + 1, 1, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 12, 0x10000001u);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_COUNT, d,
                     "section_count 268435457 outside 1..16");
}

static void test_parse_rejects_header_size_mismatch(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put16(buf + 6, 56);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_HEADER_SIZE, d,
                     "container: header_size 56 does not match 20 + 16 * section_count 2 = 52");
}

static void test_parse_rejects_buffer_ending_inside_section_table(void **state)
{
    (void)state;
    uint8_t buf[256];
    build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    assert_pkg_error(parse(buf, 40, &c, &d), MBPF_PKG_E_TRUNCATED, d,
                     "container: file size 40 ends inside the section table (header_size 52)");
}

static void test_parse_rejects_unknown_flag_bits(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 8, 0x80000004u);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_FLAGS, d,
                     "container: flags 0x80000004 has unknown bits 0x80000004");
}

static void test_parse_rejects_signed_flag_without_sig(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 8, MBPF_PKG_F_SIGNED);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_FLAGS, d,
                     "flags 0x1 has SIGNED but there is no SIG section");
}

static void test_parse_rejects_sig_without_signed_flag(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 8, 0);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_FLAGS, d,
                     "flags 0x0 lack SIGNED but there is a SIG section");
}

static void test_parse_rejects_debug_flag_without_debug_section(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 8, MBPF_PKG_F_DEBUG);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_FLAGS, d,
                     "flags 0x2 has DEBUG but there is no DEBUG section");
}

static void test_parse_rejects_debug_section_without_debug_flag(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(all_sections, N(all_sections), 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + 8, MBPF_PKG_F_SIGNED);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_FLAGS, d,
                     "flags 0x1 lack DEBUG but there is a DEBUG section");
}

static void test_parse_rejects_null_arguments(void **state)
{
    (void)state;
    mbpf_container_t c;
    mbpf_diag_t d;
    uint8_t buf[4] = {0};
    assert_pkg_error(parse(NULL, 10, &c, &d), MBPF_PKG_E_INVALID_ARG, d, "NULL buffer");
    assert_pkg_error(parse(buf, sizeof buf, NULL, &d), MBPF_PKG_E_INVALID_ARG, d, "NULL output");
}

/* ---- reader: sections ---- */

static void test_parse_rejects_section_past_file_end(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(1, F_LENGTH), 38);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_BOUNDS, d,
                     "container: section 1 (type 2): offset 80 + length 38 exceeds file size 117");
}

static void test_parse_rejects_section_offset_past_file_end(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(1, F_OFFSET), 4096);
    put32(buf + desc(1, F_LENGTH), 0);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_BOUNDS, d,
                     "section 1 (type 2): offset 4096 + length 0 exceeds file size 117");
}

static void test_parse_rejects_offset_plus_length_that_wraps(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    /* 0xFFFFFFF0 + 0x20 wraps to 0x10 in 32 bits. */
    put32(buf + desc(1, F_OFFSET), 0xFFFFFFF0u);
    put32(buf + desc(1, F_LENGTH), 0x20);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_BOUNDS, d,
                     "section 1 (type 2): offset 4294967280 + length 32 exceeds file size 117");
    /* A valid offset with a length that wraps. */
    put32(buf + desc(1, F_OFFSET), 80);
    put32(buf + desc(1, F_LENGTH), 0xFFFFFFFFu);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_BOUNDS, d,
                     "offset 80 + length 4294967295 exceeds file size 117");
}

static void test_parse_rejects_section_inside_header(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(0, F_OFFSET), 48); /* overlaps the last table entry */
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_BOUNDS, d,
                     "section 0 (type 1): offset 48 lies inside the header and section table "
                     "(header_size 52)");
    put32(buf + desc(0, F_OFFSET), 0);
    put32(buf + desc(0, F_LENGTH), 0); /* even an empty section */
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_BOUNDS, d, "offset 0 lies inside");
}

static void test_parse_rejects_overlapping_sections(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(1, F_OFFSET), 75); /* manifest is [56, 76) */
    put32(buf + desc(1, F_LENGTH), 10);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_OVERLAP, d,
                     "container: section 1 (type 2): offset 75 + length 10 overlaps section 0 "
                     "(type 1): offset 56 + length 20");
    /* One section wholly inside another. */
    put32(buf + desc(1, F_OFFSET), 60);
    put32(buf + desc(1, F_LENGTH), 4);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_OVERLAP, d,
                     "offset 60 + length 4 overlaps section 0");
    /* The same bytes twice. */
    put32(buf + desc(1, F_OFFSET), 56);
    put32(buf + desc(1, F_LENGTH), 20);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_OVERLAP, d,
                     "offset 56 + length 20 overlaps section 0");
}

static void test_parse_accepts_adjacent_and_empty_sections(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(1, F_OFFSET), 76); /* right after the manifest, unaligned */
    put32(buf + desc(1, F_LENGTH), 41);
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    put32(buf + desc(1, F_OFFSET), 60); /* empty, inside the manifest: shares no byte */
    put32(buf + desc(1, F_LENGTH), 0);
    assert_pkg_ok(parse(buf, len, &c, &d), d);
}

static void test_parse_rejects_duplicate_singleton_sections(void **state)
{
    (void)state;
    for (uint32_t type = MBPF_SEC_MANIFEST; type <= MBPF_SEC_DEBUG; type++) {
        const mbpf_section_in_t secs[] = {{MBPF_SEC_MANIFEST, manifest_data, 20},
                                          {MBPF_SEC_BYTECODE, bytecode_data, 37},
                                          {MBPF_SEC_MAPS, maps_data, 5},
                                          {99, debug_data, 9}};
        uint8_t buf[512];
        size_t len = build(secs, N(secs), 0, buf, sizeof buf);
        put32(buf + desc(3, F_TYPE), type);
        if (type == MBPF_SEC_DEBUG) { /* make the original unknown one a DEBUG too */
            put32(buf + desc(2, F_TYPE), type);
            put32(buf + 8, MBPF_PKG_F_DEBUG);
        }
        mbpf_container_t c;
        mbpf_diag_t d;
        char want[80];
        snprintf(want, sizeof want, "section 3 (type %u): duplicate of section %u", type,
                 type == MBPF_SEC_DEBUG ? 2u : type - 1);
        assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_DUPLICATE, d, want);
    }
}

static void test_parse_rejects_duplicate_sig(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(two_sections, 2, 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(0, F_TYPE), MBPF_SEC_SIG);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_DUPLICATE, d,
                     "section 2 (type 5): duplicate of section 0");
}

static void test_parse_skips_unknown_section_types(void **state)
{
    (void)state;
    const mbpf_section_in_t secs[] = {{42, maps_data, 5},
                                      {MBPF_SEC_BYTECODE, bytecode_data, 37},
                                      {42, debug_data, 9},
                                      {0, NULL, 0}};
    uint8_t buf[512];
    size_t len = build(secs, N(secs), 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_ok(mbpf_container_check_crcs(&c, &d), d);
    assert_int_equal(c.section_count, 5);
    assert_ptr_equal(mbpf_container_find(&c, MBPF_SEC_BYTECODE), &c.sections[1]);
    assert_null(mbpf_container_find(&c, MBPF_SEC_MANIFEST));
    assert_null(mbpf_container_find(&c, MBPF_SEC_MAPS));
    assert_ptr_equal(mbpf_container_find(&c, 42), &c.sections[0]);
}

static void test_parse_checks_bounds_and_overlap_of_unknown_sections(void **state)
{
    (void)state;
    const mbpf_section_in_t secs[] = {{MBPF_SEC_BYTECODE, bytecode_data, 37}, {1000, maps_data, 5}};
    uint8_t buf[256];
    size_t len = build(secs, N(secs), 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(1, F_LENGTH), 6);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_BOUNDS, d,
                     "section 1 (type 1000): offset 96 + length 6 exceeds file size 101");
    put32(buf + desc(1, F_OFFSET), 80);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SECTION_OVERLAP, d,
                     "section 1 (type 1000): offset 80 + length 6 overlaps section 0 (type 2)");
}

static void test_check_crcs_detects_corrupt_unknown_section(void **state)
{
    (void)state;
    const mbpf_section_in_t secs[] = {{MBPF_SEC_BYTECODE, bytecode_data, 37}, {1000, maps_data, 5}};
    uint8_t buf[256];
    size_t len = build(secs, N(secs), 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    buf[96] ^= 0x20;
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_error(mbpf_container_check_crcs(&c, &d), MBPF_PKG_E_SECTION_CRC, d,
                     "section 1 (type 1000): crc32 0x");
}

/* ---- reader: SIG ---- */

static void test_parse_rejects_sig_not_last_in_table(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(two_sections, 2, 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    /* Swap table entries 1 and 2: the file layout stays valid. */
    uint8_t tmp[16];
    memcpy(tmp, buf + desc(1, 0), 16);
    memcpy(buf + desc(1, 0), buf + desc(2, 0), 16);
    memcpy(buf + desc(2, 0), tmp, 16);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SIG_PLACEMENT, d,
                     "container: section 1 (type 5): SIG must be the last section "
                     "(section_count 3)");
}

static void test_parse_rejects_sig_with_wrong_length(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(two_sections, 2, 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    uint32_t off = get32(buf + desc(2, F_OFFSET));
    put32(buf + desc(2, F_OFFSET), off + 32);
    put32(buf + desc(2, F_LENGTH), 32);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SIG_PLACEMENT, d,
                     "section 2 (type 5): SIG length 32 is not 64");
}

static void test_parse_rejects_sig_not_ending_at_file_end(void **state)
{
    (void)state;
    uint8_t buf[512] = {0};
    size_t len = build(two_sections, 2, 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    assert_int_equal(len, 200); /* SIG at 136 */
    assert_pkg_error(parse(buf, len + 8, &c, &d), MBPF_PKG_E_SIG_PLACEMENT, d,
                     "section 2 (type 5): SIG ends at 200, not at file size 208");
}

static void test_parse_rejects_sig_with_nonzero_crc(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(two_sections, 2, 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(2, F_CRC), 0x1234);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SIG_PLACEMENT, d,
                     "section 2 (type 5): SIG crc32 0x1234 is not 0");
}

static void test_parse_rejects_empty_section_after_sig_offset(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(all_sections, 2, 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    assert_int_equal(len, 200);          /* SIG at 136 */
    put32(buf + desc(0, F_OFFSET), 200); /* empty, at the file end, outside the signed bytes */
    put32(buf + desc(0, F_LENGTH), 0);
    assert_pkg_error(parse(buf, len, &c, &d), MBPF_PKG_E_SIG_PLACEMENT, d,
                     "section 0 (type 1): offset 200 + length 0 extends past SIG offset 136");
}

static void test_sign_region_covers_every_byte_before_sig(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(all_sections, N(all_sections), 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    const uint8_t *msg = NULL, *sig = NULL;
    size_t msg_len = 0;
    assert_int_equal(mbpf_container_sign_region(&c, &msg, &msg_len, &sig), 0);
    assert_ptr_equal(msg, buf);
    assert_int_equal(msg_len, len - MBPF_PKG_SIG_SIZE);
    assert_ptr_equal(sig, buf + len - MBPF_PKG_SIG_SIZE);
}

static void test_sign_region_of_unsigned_container_fails(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    const uint8_t *msg, *sig;
    size_t msg_len;
    assert_int_equal(mbpf_container_sign_region(&c, &msg, &msg_len, &sig), MBPF_PKG_E_SIG_REQUIRED);
}

/* ---- CRCs ---- */

static void test_check_crcs_detects_corrupt_section(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    buf[80 + 10] ^= 0x01;
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    char want[96];
    uint32_t stored = mbpf_crc32(0, bytecode_data, 37), got = mbpf_crc32(0, buf + 80, 37);
    snprintf(want, sizeof want, "section 1 (type 2): crc32 0x%x does not match computed 0x%x",
             stored, got);
    assert_pkg_error(mbpf_container_check_crcs(&c, &d), MBPF_PKG_E_SECTION_CRC, d, want);
}

static void test_check_crcs_detects_corrupt_padding_by_file_crc(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    buf[77] = 0xEE; /* padding between manifest and bytecode: in no section */
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_error(mbpf_container_check_crcs(&c, &d), MBPF_PKG_E_FILE_CRC, d,
                     "over bytes [0, 117)");
    assert_true(strstr(d.msg, "container: file_crc32 0x") == d.msg);
}

static void test_check_crcs_detects_edited_header_by_file_crc(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(all_sections, N(all_sections), 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    put32(buf + desc(2, F_TYPE), 3000); /* MAPS becomes an unknown section */
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_error(mbpf_container_check_crcs(&c, &d), MBPF_PKG_E_FILE_CRC, d,
                     "does not match computed");
}

static void test_check_crcs_skips_absent_crcs(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    buf[60] ^= 0xFF;
    buf[90] ^= 0xFF;
    put32(buf + desc(0, F_CRC), 0);
    put32(buf + desc(1, F_CRC), 0);
    put32(buf + MBPF_PKG_FILE_CRC_OFFSET, 0);
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_ok(mbpf_container_check_crcs(&c, &d), d);
}

static void test_file_crc_covers_bytes_before_sig_only(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(all_sections, N(all_sections), 1, buf, sizeof buf);
    mbpf_container_t c;
    mbpf_diag_t d;
    for (size_t i = len - MBPF_PKG_SIG_SIZE; i < len; i++) buf[i] = (uint8_t)(i * 7);
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_ok(mbpf_container_check_crcs(&c, &d), d);
    /* While a byte just before the SIG is covered (the padding before it). */
    size_t sig_off = len - MBPF_PKG_SIG_SIZE;
    uint32_t last_end = c.sections[3].offset + c.sections[3].length;
    assert_true(last_end < sig_off);
    buf[sig_off - 1] = 1;
    char want[64];
    snprintf(want, sizeof want, "over bytes [0, %zu)", sig_off);
    assert_pkg_error(mbpf_container_check_crcs(&c, &d), MBPF_PKG_E_FILE_CRC, d, want);
    refresh_file_crc(buf, sig_off);
    assert_pkg_ok(parse(buf, len, &c, &d), d);
    assert_pkg_ok(mbpf_container_check_crcs(&c, &d), d);
}

/* ---- robustness ---- */

/* Each truncation is copied into a heap block of exactly that size, so that
 * ASan reports any read past the end. */
static void check_every_truncation_fails(const uint8_t *pkg, size_t len)
{
    for (size_t n = 0; n < len; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, pkg, n);
        mbpf_container_t c;
        mbpf_diag_t d;
        int rc = parse(n ? copy : NULL, n, &c, &d);
        if (rc != MBPF_PKG_E_TRUNCATED && rc != MBPF_PKG_E_SECTION_BOUNDS &&
            rc != MBPF_PKG_E_SIG_PLACEMENT)
            fail_msg("truncation to %zu bytes: rc %d (%s)", n, rc, d.msg);
        assert_true(strncmp(d.msg, "container: ", 11) == 0);
        free(copy);
    }
}

static void test_every_truncation_of_valid_container_fails(void **state)
{
    (void)state;
    uint8_t buf[512];
    size_t len = build(two_sections, 2, 0, buf, sizeof buf);
    check_every_truncation_fails(buf, len);
    len = build(all_sections, N(all_sections), 1, buf, sizeof buf);
    check_every_truncation_fails(buf, len);
}

/* With both kinds of CRC present, no single-byte change of an unsigned
 * container passes parse and check_crcs together. */
static void test_every_single_byte_corruption_is_detected(void **state)
{
    (void)state;
    static const uint8_t masks[] = {0x01, 0x80, 0xFF};
    uint8_t buf[512], copy[512];
    size_t len = build(all_sections, N(all_sections), 0, buf, sizeof buf);
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy(copy, buf, len);
            copy[i] ^= masks[m];
            mbpf_container_t c;
            mbpf_diag_t d;
            int rc = parse(copy, len, &c, &d);
            if (rc == 0) rc = mbpf_container_check_crcs(&c, &d);
            if (rc == 0) fail_msg("byte %zu ^ 0x%x accepted", i, masks[m]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_matches_zlib_check_value),
        cmocka_unit_test(test_crc32_matches_known_vectors),
        cmocka_unit_test(test_crc32_chained_calls_equal_one_call),
        cmocka_unit_test(test_crc32_matches_bitwise_reference_on_random_data),
        cmocka_unit_test(test_round_trip_manifest_and_bytecode),
        cmocka_unit_test(test_round_trip_all_known_sections_signed_sets_both_flags),
        cmocka_unit_test(test_round_trip_single_section_unsigned),
        cmocka_unit_test(test_round_trip_sig_only),
        cmocka_unit_test(test_round_trip_keeps_unknown_and_empty_sections),
        cmocka_unit_test(test_round_trip_maximum_section_count),
        cmocka_unit_test(test_write_produces_exact_header_bytes),
        cmocka_unit_test(test_write_is_deterministic_whatever_the_buffer_held),
        cmocka_unit_test(test_size_agrees_with_write_for_many_layouts),
        cmocka_unit_test(test_write_reports_nospace_with_needed_size),
        cmocka_unit_test(test_write_rejects_sig_in_input),
        cmocka_unit_test(test_write_rejects_duplicate_known_section),
        cmocka_unit_test(test_write_rejects_too_many_sections),
        cmocka_unit_test(test_write_rejects_no_sections),
        cmocka_unit_test(test_write_rejects_null_data_with_length),
        cmocka_unit_test(test_size_rejects_packages_beyond_u32),
        cmocka_unit_test(test_parse_rejects_buffer_shorter_than_header),
        cmocka_unit_test(test_parse_rejects_wrong_magic),
        cmocka_unit_test(test_parse_rejects_unsupported_format_version),
        cmocka_unit_test(test_parse_rejects_zero_section_count),
        cmocka_unit_test(test_parse_rejects_section_count_above_max),
        cmocka_unit_test(test_parse_rejects_section_count_whose_table_size_wraps),
        cmocka_unit_test(test_parse_rejects_header_size_mismatch),
        cmocka_unit_test(test_parse_rejects_buffer_ending_inside_section_table),
        cmocka_unit_test(test_parse_rejects_unknown_flag_bits),
        cmocka_unit_test(test_parse_rejects_signed_flag_without_sig),
        cmocka_unit_test(test_parse_rejects_sig_without_signed_flag),
        cmocka_unit_test(test_parse_rejects_debug_flag_without_debug_section),
        cmocka_unit_test(test_parse_rejects_debug_section_without_debug_flag),
        cmocka_unit_test(test_parse_rejects_null_arguments),
        cmocka_unit_test(test_parse_rejects_section_past_file_end),
        cmocka_unit_test(test_parse_rejects_section_offset_past_file_end),
        cmocka_unit_test(test_parse_rejects_offset_plus_length_that_wraps),
        cmocka_unit_test(test_parse_rejects_section_inside_header),
        cmocka_unit_test(test_parse_rejects_overlapping_sections),
        cmocka_unit_test(test_parse_accepts_adjacent_and_empty_sections),
        cmocka_unit_test(test_parse_rejects_duplicate_singleton_sections),
        cmocka_unit_test(test_parse_rejects_duplicate_sig),
        cmocka_unit_test(test_parse_skips_unknown_section_types),
        cmocka_unit_test(test_parse_checks_bounds_and_overlap_of_unknown_sections),
        cmocka_unit_test(test_check_crcs_detects_corrupt_unknown_section),
        cmocka_unit_test(test_parse_rejects_sig_not_last_in_table),
        cmocka_unit_test(test_parse_rejects_sig_with_wrong_length),
        cmocka_unit_test(test_parse_rejects_sig_not_ending_at_file_end),
        cmocka_unit_test(test_parse_rejects_sig_with_nonzero_crc),
        cmocka_unit_test(test_parse_rejects_empty_section_after_sig_offset),
        cmocka_unit_test(test_sign_region_covers_every_byte_before_sig),
        cmocka_unit_test(test_sign_region_of_unsigned_container_fails),
        cmocka_unit_test(test_check_crcs_detects_corrupt_section),
        cmocka_unit_test(test_check_crcs_detects_corrupt_padding_by_file_crc),
        cmocka_unit_test(test_check_crcs_detects_edited_header_by_file_crc),
        cmocka_unit_test(test_check_crcs_skips_absent_crcs),
        cmocka_unit_test(test_file_crc_covers_bytes_before_sig_only),
        cmocka_unit_test(test_every_truncation_of_valid_container_fails),
        cmocka_unit_test(test_every_single_byte_corruption_is_detected),
    };
    return cmocka_run_group_tests(tests, setup_bytecode, NULL);
}
