/*
 * Fuzz harness for the whole-package check (mbpf_package_check).
 *
 * Each input is checked three ways: under a fixed trusted key, without
 * keys, and — when the container parses — once more with every nonzero CRC
 * recomputed, so that mutations reach the manifest and MAPS decoders behind
 * the CRC wall. On success the result must point inside the input and hold
 * only bounded, terminated data; the three outcomes must agree with the
 * policy semantics (no keys is never stricter than a trusted key).
 *
 * The trusted key is the public half of the fixed seed 00 01 02 .. 1f; the
 * signed seed packages in corpus/package were signed with it
 * (tests/fuzz/make_package_corpus.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "package.h"

static const uint8_t fuzz_pub[1][32] = {{
    0x03, 0xa1, 0x07, 0xbf, 0xf3, 0xce, 0x10, 0xbe, 0x1d, 0x70, 0xdd, 0x18, 0xe7, 0x4b, 0xc0, 0x99,
    0x67, 0xe4, 0xd6, 0x30, 0x9b, 0xa5, 0x0d, 0x5f, 0x1d, 0xdc, 0x86, 0x64, 0x12, 0x55, 0x31, 0xb8,
}};

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) __builtin_trap();                                                             \
    } while (0)

static int inside(const uint8_t *p, size_t n, const uint8_t *data, size_t size)
{
    return p >= data && (size_t)(p - data) <= size && n <= size - (size_t)(p - data);
}

static size_t bounded_strlen(const char *s, size_t cap)
{
    size_t n = 0;
    while (n < cap && s[n]) n++;
    REQUIRE(n < cap); /* terminated inside its array */
    return n;
}

static void check_result(const mbpf_package_t *pk, const uint8_t *data, size_t size)
{
    const mbpf_container_t *c = &pk->container;
    REQUIRE(c->base == data && c->len == size);
    REQUIRE(c->section_count >= 1 && c->section_count <= MBPF_PKG_MAX_SECTIONS);
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        REQUIRE(s->offset >= c->header_size);
        REQUIRE(inside(data + s->offset, s->length, data, size));
    }
    REQUIRE(pk->bytecode != NULL && inside(pk->bytecode, pk->bytecode_len, data, size));
    if (pk->debug)
        REQUIRE(inside(pk->debug, pk->debug_len, data, size));
    else
        REQUIRE(pk->debug_len == 0);

    const mbpf_manifest_t *m = &pk->manifest;
    bounded_strlen(m->program_name, sizeof m->program_name);
    bounded_strlen(m->program_version, sizeof m->program_version);
    bounded_strlen(m->entry_symbol, sizeof m->entry_symbol);
    REQUIRE(m->map_count <= MBPF_MANIFEST_MAX_MAPS);
    REQUIRE(m->helper_version_count <= MBPF_MANIFEST_MAX_HELPER_VERSIONS);
    for (uint32_t i = 0; i < m->map_count; i++)
        bounded_strlen(m->maps[i].name, sizeof m->maps[i].name);
    for (uint32_t i = 0; i < m->helper_version_count; i++)
        bounded_strlen(m->helper_versions[i].name, sizeof m->helper_versions[i].name);

    int signed_pkg = mbpf_container_find(c, MBPF_SEC_SIG) != NULL;
    REQUIRE(signed_pkg == ((c->flags & MBPF_PKG_F_SIGNED) != 0));
    if (pk->sig_status == MBPF_SIG_VALID)
        REQUIRE(signed_pkg && pk->key_index == 0);
    else
        REQUIRE(pk->key_index == -1);
    if (pk->sig_status == MBPF_SIG_ABSENT) REQUIRE(!signed_pkg);
}

static int run(const uint8_t *data, size_t size, const mbpf_pkg_policy_t *policy,
               mbpf_package_t *pk)
{
    mbpf_diag_t diag;
    memset(&diag, 0x55, sizeof diag);
    int rc = mbpf_package_check(data, size, policy, pk, &diag);
    REQUIRE(rc <= 0);
    if (rc == 0)
        check_result(pk, data, size);
    else
        bounded_strlen(diag.msg, sizeof diag.msg); /* every failure leaves a message */
    return rc;
}

/* Recomputes every nonzero section CRC and the file CRC of a copy. */
static void fix_crcs(uint8_t *buf, const mbpf_container_t *c)
{
    const mbpf_section_t *sig = NULL;
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (s->type == MBPF_SEC_SIG) sig = s;
        if (s->crc32 == 0 || s->type == MBPF_SEC_SIG) continue;
        uint32_t crc = mbpf_crc32(0, buf + s->offset, s->length);
        uint8_t *d = buf + MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * i + 12;
        for (int b = 0; b < 4; b++) d[b] = (uint8_t)(crc >> (8 * b));
    }
    if (c->file_crc32 == 0) return;
    size_t end = sig ? sig->offset : c->len;
    static const uint8_t zero[4];
    uint32_t crc = mbpf_crc32(0, buf, MBPF_PKG_FILE_CRC_OFFSET);
    crc = mbpf_crc32(crc, zero, 4);
    crc = mbpf_crc32(crc, buf + MBPF_PKG_FILE_CRC_OFFSET + 4, end - MBPF_PKG_FILE_CRC_OFFSET - 4);
    for (int b = 0; b < 4; b++) buf[MBPF_PKG_FILE_CRC_OFFSET + b] = (uint8_t)(crc >> (8 * b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mbpf_package_t pk;
    const mbpf_pkg_policy_t trusted = {.trusted_keys = fuzz_pub, .trusted_key_count = 1};
    const mbpf_pkg_policy_t required = {
        .trusted_keys = fuzz_pub, .trusted_key_count = 1, .require_signature = 1};

    int with_key = run(data, size, &trusted, &pk);
    int sig_valid = with_key == 0 && pk.sig_status == MBPF_SIG_VALID;
    int no_keys = run(data, size, NULL, &pk);
    /* Keys only add the signature check. */
    if (with_key == 0) REQUIRE(no_keys == 0);
    if (no_keys == 0 && with_key != 0) REQUIRE(with_key == MBPF_PKG_E_SIG_INVALID);
    int req = run(data, size, &required, &pk);
    REQUIRE((req == 0) == sig_valid);

    /* Past the CRC wall: same input with consistent CRCs, no keys. */
    mbpf_container_t c;
    if (size >= MBPF_PKG_HEADER_FIXED_SIZE + 4 && mbpf_container_parse(data, size, &c, NULL) == 0) {
        uint8_t *copy = malloc(size);
        if (!copy) return 0;
        memcpy(copy, data, size);
        fix_crcs(copy, &c);
        int rc = run(copy, size, NULL, &pk);
        REQUIRE(rc != MBPF_PKG_E_SECTION_CRC && rc != MBPF_PKG_E_FILE_CRC);
        free(copy);
    }
    return 0;
}
