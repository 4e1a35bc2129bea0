/*
 * Tests of the whole-package check (src/pkg/package.c): the signature
 * policy, required sections, the MAPS section, and the robustness test of
 * issue 2 — every truncation and every single-byte corruption of a valid
 * signed package is rejected.
 *
 * Packages are built in-process with the container writer and signed with
 * libsodium, so these tests depend on nothing but the runtime library.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ed25519.h"
#include "mbpf.h"
#include "package.h"

/* ---- fixtures ---------------------------------------------------------- */

typedef struct keypair {
    uint8_t pub[32];
    uint8_t sk[64];
} keypair_t;

static keypair_t key_a, key_b;

/* One 32-byte key as the array-of-keys the policy takes. */
#define KEYS(k) ((const uint8_t(*)[32]) & (k))

static void make_key(keypair_t *k, uint8_t fill)
{
    uint8_t seed[32];
    memset(seed, fill, sizeof seed);
    crypto_sign_seed_keypair(k->pub, k->sk, seed);
}

static void fill_manifest(mbpf_manifest_t *m)
{
    memset(m, 0, sizeof *m);
    strcpy(m->program_name, "net_rx_filter");
    strcpy(m->program_version, "1.2.0");
    m->hook_type = MBPF_HOOK_NET_RX;
    m->hook_ctx_abi_version = 1;
    strcpy(m->entry_symbol, "mbpf_prog");
    m->bytecode_version = 1;
    m->target_word_size = MBPF_TARGET_ANY;
    m->target_endianness = MBPF_TARGET_ANY;
    m->mbpf_api_version = MBPF_API_VERSION;
    m->heap_size = 16384;
    m->max_steps = 10000;
    m->max_helpers = 64;
    m->capabilities = MBPF_CAP_LOG | MBPF_CAP_MAP_READ;
}

static size_t encode_manifest(const mbpf_manifest_t *m, uint8_t *out, size_t cap)
{
    size_t len = 0;
    mbpf_diag_t diag = {{0}};
    int rc = mbpf_manifest_encode_cbor(m, out, cap, &len, &diag);
    if (rc != 0) fail_msg("encode manifest: %d %s", rc, diag.msg);
    return len;
}

/* A tiny CBOR writer for the MAPS section (an array of map objects). */
typedef struct cbuf {
    uint8_t b[512];
    size_t n;
} cbuf_t;

static void cb_head(cbuf_t *c, unsigned major, uint32_t v)
{
    if (v < 24) {
        c->b[c->n++] = (uint8_t)(major << 5 | v);
    } else if (v < 256) {
        c->b[c->n++] = (uint8_t)(major << 5 | 24);
        c->b[c->n++] = (uint8_t)v;
    } else if (v < 65536) {
        c->b[c->n++] = (uint8_t)(major << 5 | 25);
        c->b[c->n++] = (uint8_t)(v >> 8);
        c->b[c->n++] = (uint8_t)v;
    } else {
        c->b[c->n++] = (uint8_t)(major << 5 | 26);
        for (int s = 24; s >= 0; s -= 8) c->b[c->n++] = (uint8_t)(v >> s);
    }
}

static void cb_text(cbuf_t *c, const char *s)
{
    size_t n = strlen(s);
    cb_head(c, 3, (uint32_t)n);
    memcpy(c->b + c->n, s, n);
    c->n += n;
}

static void cb_map_def(cbuf_t *c, const char *name, const char *type, uint32_t key_size,
                       uint32_t value_size, uint32_t max_entries)
{
    cb_head(c, 5, 6);
    cb_text(c, "name");
    cb_text(c, name);
    cb_text(c, "type");
    cb_text(c, type);
    cb_text(c, "key_size");
    cb_head(c, 0, key_size);
    cb_text(c, "value_size");
    cb_head(c, 0, value_size);
    cb_text(c, "max_entries");
    cb_head(c, 0, max_entries);
    cb_text(c, "flags");
    cb_head(c, 0, 0);
}

static const cbuf_t *maps_section(void)
{
    static cbuf_t c;
    c.n = 0;
    cb_head(&c, 4, 2);
    cb_map_def(&c, "blocked_ports", "hash", 2, 1, 64);
    cb_map_def(&c, "stats", "array", 0, 8, 2);
    return &c;
}

static const char bytecode[] = "function mbpf_prog(ctx) { return ctx.readU8(0) === 0xFF ? 1 : 0; }";
static const char debug_info[] = "mbpf_prog 1:0";

enum { WITH_MANIFEST = 1, WITH_BYTECODE = 2, WITH_MAPS = 4, WITH_DEBUG = 8 };

/* Builds a package (malloc'd, exact size) and signs it with k if given. */
static uint8_t *build(int parts, const keypair_t *k, size_t *out_len)
{
    mbpf_manifest_t m;
    fill_manifest(&m);
    static uint8_t man[4096];
    size_t man_len = encode_manifest(&m, man, sizeof man);
    const cbuf_t *maps = maps_section();

    mbpf_section_in_t secs[4];
    uint32_t n = 0;
    if (parts & WITH_MANIFEST)
        secs[n++] = (mbpf_section_in_t){MBPF_SEC_MANIFEST, man, (uint32_t)man_len};
    if (parts & WITH_BYTECODE)
        secs[n++] = (mbpf_section_in_t){MBPF_SEC_BYTECODE, bytecode, sizeof bytecode - 1};
    if (parts & WITH_MAPS)
        secs[n++] = (mbpf_section_in_t){MBPF_SEC_MAPS, maps->b, (uint32_t)maps->n};
    if (parts & WITH_DEBUG)
        secs[n++] = (mbpf_section_in_t){MBPF_SEC_DEBUG, debug_info, sizeof debug_info - 1};

    size_t size;
    assert_int_equal(mbpf_container_size(secs, n, k != NULL, &size), 0);
    uint8_t *buf = malloc(size);
    assert_non_null(buf);
    size_t len;
    mbpf_diag_t diag = {{0}};
    int rc = mbpf_container_write(secs, n, k != NULL, buf, size, &len, &diag);
    if (rc != 0) fail_msg("container_write: %d %s", rc, diag.msg);
    assert_int_equal(len, size);
    if (k) {
        mbpf_container_t c;
        const uint8_t *msg, *sig;
        size_t msg_len;
        assert_int_equal(mbpf_container_parse(buf, len, &c, NULL), 0);
        assert_int_equal(mbpf_container_sign_region(&c, &msg, &msg_len, &sig), 0);
        crypto_sign_detached(buf + (sig - buf), NULL, msg, msg_len, k->sk);
    }
    *out_len = len;
    return buf;
}

#define ALL_PARTS (WITH_MANIFEST | WITH_BYTECODE | WITH_MAPS | WITH_DEBUG)

static int check(const uint8_t *buf, size_t len, const mbpf_pkg_policy_t *policy,
                 mbpf_package_t *pk, mbpf_diag_t *diag)
{
    memset(diag, 0, sizeof *diag);
    return mbpf_package_check(buf, len, policy, pk, diag);
}

/* ---- accepted packages -------------------------------------------------- */

static void test_package_unsigned_accepted_without_policy(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(WITH_MANIFEST | WITH_BYTECODE, NULL, &len);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), 0);
    assert_int_equal(pk.sig_status, MBPF_SIG_ABSENT);
    assert_int_equal(pk.key_index, -1);
    assert_string_equal(pk.manifest.program_name, "net_rx_filter");
    assert_string_equal(pk.manifest.program_version, "1.2.0");
    assert_int_equal(pk.manifest.hook_type, MBPF_HOOK_NET_RX);
    assert_int_equal(pk.manifest.heap_size, 16384);
    assert_int_equal(pk.bytecode_len, sizeof bytecode - 1);
    assert_memory_equal(pk.bytecode, bytecode, sizeof bytecode - 1);
    assert_true(pk.bytecode > buf && pk.bytecode + pk.bytecode_len <= buf + len);
    assert_null(pk.debug);
    assert_int_equal(pk.debug_len, 0);
    assert_int_equal(pk.manifest.map_count, 0);
    free(buf);
}

static void test_package_signed_verified_with_trusted_key(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_a, &len);
    mbpf_pkg_policy_t policy = {
        .trusted_keys = KEYS(key_a.pub), .trusted_key_count = 1, .require_signature = 1};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), 0);
    assert_int_equal(pk.sig_status, MBPF_SIG_VALID);
    assert_int_equal(pk.key_index, 0);
    assert_true(pk.container.flags & MBPF_PKG_F_SIGNED);
    free(buf);
}

static void test_package_signed_matches_second_trusted_key(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_b, &len);
    uint8_t keys[2][32];
    memcpy(keys[0], key_a.pub, 32);
    memcpy(keys[1], key_b.pub, 32);
    mbpf_pkg_policy_t policy = {.trusted_keys = (const uint8_t(*)[32])keys, .trusted_key_count = 2};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), 0);
    assert_int_equal(pk.sig_status, MBPF_SIG_VALID);
    assert_int_equal(pk.key_index, 1);
    free(buf);
}

static void test_package_signed_unchecked_without_keys(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_a, &len);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), 0);
    assert_int_equal(pk.sig_status, MBPF_SIG_UNCHECKED);
    assert_int_equal(pk.key_index, -1);
    mbpf_pkg_policy_t policy = {0};
    assert_int_equal(check(buf, len, &policy, &pk, &diag), 0);
    assert_int_equal(pk.sig_status, MBPF_SIG_UNCHECKED);
    free(buf);
}

static void test_package_unsigned_accepted_with_keys_when_not_required(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(WITH_MANIFEST | WITH_BYTECODE, NULL, &len);
    mbpf_pkg_policy_t policy = {.trusted_keys = KEYS(key_a.pub), .trusted_key_count = 1};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), 0);
    assert_int_equal(pk.sig_status, MBPF_SIG_ABSENT);
    free(buf);
}

/* ---- signature policy failures ------------------------------------------ */

static void test_package_signed_with_untrusted_key_rejected(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_b, &len);
    mbpf_pkg_policy_t policy = {.trusted_keys = KEYS(key_a.pub), .trusted_key_count = 1};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), MBPF_PKG_E_SIG_INVALID);
    assert_string_equal(diag.msg, "signature: does not verify under any of 1 trusted key");
    assert_int_equal(pk.sig_status, MBPF_SIG_ABSENT);
    assert_int_equal(pk.key_index, -1);
    free(buf);
}

static void test_package_unsigned_rejected_when_signature_required(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(WITH_MANIFEST | WITH_BYTECODE, NULL, &len);
    mbpf_pkg_policy_t policy = {
        .trusted_keys = KEYS(key_a.pub), .trusted_key_count = 1, .require_signature = 1};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), MBPF_PKG_E_SIG_REQUIRED);
    assert_string_equal(diag.msg, "signature: package is unsigned and policy requires a signature");
    free(buf);
}

static void test_package_signed_rejected_when_required_without_keys(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_a, &len);
    mbpf_pkg_policy_t policy = {.require_signature = 1};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), MBPF_PKG_E_SIG_NO_KEYS);
    assert_string_equal(diag.msg,
                        "signature: policy requires a signature but no trusted key given");
    free(buf);
}

static void test_package_key_count_without_keys_is_invalid_arg(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_a, &len);
    mbpf_pkg_policy_t policy = {.trusted_key_count = 1};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), MBPF_PKG_E_INVALID_ARG);
    assert_int_equal(check(NULL, 10, NULL, &pk, &diag), MBPF_PKG_E_INVALID_ARG);
    assert_int_equal(check(buf, len, NULL, NULL, &diag), MBPF_PKG_E_INVALID_ARG);
    free(buf);
}

typedef struct hook_state {
    int calls;
    int answer;
    const uint8_t *last_key;
    size_t last_len;
} hook_state_t;

static int counting_verify(void *user, const uint8_t pub[32], const uint8_t *msg, size_t len,
                           const uint8_t sig[64])
{
    hook_state_t *h = user;
    h->calls++;
    h->last_key = pub;
    h->last_len = len;
    (void)msg;
    (void)sig;
    return h->answer;
}

static void test_package_platform_verify_hook_decides(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_a, &len);
    uint8_t keys[2][32];
    memcpy(keys[0], key_b.pub, 32);
    memcpy(keys[1], key_a.pub, 32);
    hook_state_t h = {0, -1, NULL, 0};
    mbpf_pkg_policy_t policy = {.trusted_keys = (const uint8_t(*)[32])keys,
                                .trusted_key_count = 2,
                                .verify = counting_verify,
                                .verify_user = &h};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), MBPF_PKG_E_SIG_INVALID);
    assert_int_equal(h.calls, 2);
    assert_ptr_equal(h.last_key, keys[1]);
    assert_int_equal(h.last_len, len - MBPF_PKG_SIG_SIZE);

    h = (hook_state_t){0, 0, NULL, 0};
    assert_int_equal(check(buf, len, &policy, &pk, &diag), 0);
    assert_int_equal(h.calls, 1);
    assert_int_equal(pk.sig_status, MBPF_SIG_VALID);
    assert_int_equal(pk.key_index, 0);
    free(buf);
}

/* ---- sections ------------------------------------------------------------ */

static void test_package_missing_manifest_rejected(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(WITH_BYTECODE, NULL, &len);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), MBPF_PKG_E_SECTION_MISSING);
    assert_string_equal(diag.msg, "package: required MANIFEST section (type 1) missing");
    free(buf);
}

static void test_package_missing_bytecode_rejected(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(WITH_MANIFEST | WITH_DEBUG, &key_a, &len);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), MBPF_PKG_E_SECTION_MISSING);
    assert_string_equal(diag.msg, "package: required BYTECODE section (type 2) missing");
    free(buf);
}

static void test_package_maps_section_decoded(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, NULL, &len);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), 0);
    assert_int_equal(pk.manifest.map_count, 2);
    assert_string_equal(pk.manifest.maps[0].name, "blocked_ports");
    assert_int_equal(pk.manifest.maps[0].type, MBPF_MAP_HASH);
    assert_int_equal(pk.manifest.maps[0].key_size, 2);
    assert_int_equal(pk.manifest.maps[0].value_size, 1);
    assert_int_equal(pk.manifest.maps[0].max_entries, 64);
    assert_string_equal(pk.manifest.maps[1].name, "stats");
    assert_int_equal(pk.manifest.maps[1].type, MBPF_MAP_ARRAY);
    assert_int_equal(pk.manifest.maps[1].value_size, 8);
    assert_int_equal(pk.manifest.maps[1].max_entries, 2);
    free(buf);
}

static void test_package_maps_in_manifest_and_section_rejected(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    fill_manifest(&m);
    m.map_count = 1;
    strcpy(m.maps[0].name, "stats");
    m.maps[0].type = MBPF_MAP_ARRAY;
    m.maps[0].value_size = 8;
    m.maps[0].max_entries = 2;
    static uint8_t man[4096];
    size_t man_len = encode_manifest(&m, man, sizeof man);
    const cbuf_t *maps = maps_section();
    mbpf_section_in_t secs[] = {
        {MBPF_SEC_MANIFEST, man, (uint32_t)man_len},
        {MBPF_SEC_BYTECODE, bytecode, sizeof bytecode - 1},
        {MBPF_SEC_MAPS, maps->b, (uint32_t)maps->n},
    };
    static uint8_t buf[8192];
    size_t len;
    assert_int_equal(mbpf_container_write(secs, 3, 0, buf, sizeof buf, &len, NULL), 0);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), MBPF_PKG_E_MANIFEST_DUPLICATE);
    assert_true(diag.msg[0] != 0);
}

static void test_package_debug_section_exposed(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_a, &len);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), 0);
    assert_int_equal(pk.debug_len, sizeof debug_info - 1);
    assert_memory_equal(pk.debug, debug_info, sizeof debug_info - 1);
    assert_true(pk.container.flags & MBPF_PKG_F_DEBUG);
    free(buf);
}

static void test_package_malformed_manifest_rejected(void **state)
{
    (void)state;
    static const uint8_t junk[] = {0xff, 0x00, 0x13};
    mbpf_section_in_t secs[] = {
        {MBPF_SEC_MANIFEST, junk, sizeof junk},
        {MBPF_SEC_BYTECODE, bytecode, sizeof bytecode - 1},
    };
    static uint8_t buf[1024];
    size_t len;
    assert_int_equal(mbpf_container_write(secs, 2, 0, buf, sizeof buf, &len, NULL), 0);
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), MBPF_PKG_E_MANIFEST_SYNTAX);
    assert_true(diag.msg[0] != 0);
}

/* The signature is checked before the manifest is parsed: a package whose
 * manifest is garbage but whose signature is wrong fails on the signature. */
static void test_package_signature_checked_before_manifest(void **state)
{
    (void)state;
    static const uint8_t junk[] = {0xff, 0x00, 0x13};
    mbpf_section_in_t secs[] = {
        {MBPF_SEC_MANIFEST, junk, sizeof junk},
        {MBPF_SEC_BYTECODE, bytecode, sizeof bytecode - 1},
    };
    static uint8_t buf[1024];
    size_t len;
    assert_int_equal(mbpf_container_write(secs, 2, 1, buf, sizeof buf, &len, NULL), 0);
    mbpf_pkg_policy_t policy = {.trusted_keys = KEYS(key_a.pub), .trusted_key_count = 1};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, &policy, &pk, &diag), MBPF_PKG_E_SIG_INVALID);
}

static void test_package_crc_checked_before_signature(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = build(ALL_PARTS, &key_a, &len);
    const mbpf_container_t *c;
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(buf, len, NULL, &pk, &diag), 0);
    c = &pk.container;
    size_t code_off = c->sections[1].offset;
    buf[code_off] ^= 1;
    hook_state_t h = {0, 0, NULL, 0};
    mbpf_pkg_policy_t policy = {.trusted_keys = KEYS(key_a.pub),
                                .trusted_key_count = 1,
                                .verify = counting_verify,
                                .verify_user = &h};
    assert_int_equal(check(buf, len, &policy, &pk, &diag), MBPF_PKG_E_SECTION_CRC);
    assert_int_equal(h.calls, 0);
    free(buf);
}

/* ---- robustness (issue 2) ----------------------------------------------- */

typedef struct robust_stats {
    unsigned long verify_calls;
} robust_stats_t;

static int builtin_counting_verify(void *user, const uint8_t pub[32], const uint8_t *msg,
                                   size_t len, const uint8_t sig[64])
{
    ((robust_stats_t *)user)->verify_calls++;
    return mbpf_ed25519_verify(sig, msg, len, pub);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int err_index(int rc)
{
    return -rc < 64 ? -rc : 63;
}

static void report_histogram(const char *what, const unsigned long *hist)
{
    for (int e = 1; e < 64; e++)
        if (hist[e]) print_message("  %s: %-44s %lu\n", what, mbpf_pkg_strerror(-e), hist[e]);
}

static void test_package_every_truncation_rejected(void **state)
{
    (void)state;
    size_t len;
    uint8_t *pkg = build(ALL_PARTS, &key_a, &len);
    robust_stats_t st = {0};
    mbpf_pkg_policy_t policy = {.trusted_keys = KEYS(key_a.pub),
                                .trusted_key_count = 1,
                                .verify = builtin_counting_verify,
                                .verify_user = &st};
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(pkg, len, &policy, &pk, &diag), 0);
    assert_int_equal(pk.sig_status, MBPF_SIG_VALID);
    st.verify_calls = 0;

    unsigned long hist[64] = {0};
    double t0 = now_s();
    for (size_t n = 0; n < len; n++) {
        /* An exact-size copy, so ASan sees any read past the end. */
        uint8_t *cut = malloc(n ? n : 1);
        assert_non_null(cut);
        memcpy(cut, pkg, n);
        int rc = check(n ? cut : NULL, n, &policy, &pk, &diag);
        if (rc >= 0) fail_msg("truncation to %zu of %zu bytes accepted", n, len);
        if (diag.msg[0] == 0) fail_msg("truncation to %zu: error %d without a message", n, rc);
        hist[err_index(rc)]++;
        free(cut);
    }
    double dt = now_s() - t0;
    print_message("truncation: %zu lengths rejected, %lu signature checks, %.3f s\n", len,
                  st.verify_calls, dt);
    report_histogram("truncation", hist);
    free(pkg);
}

/* Sanitized, unoptimised builds run the built-in Ed25519 verifier about 20
 * times slower; there it checks every SLOW_CRYPTO_STRIDE-th corrupted
 * signature value and libsodium's verifier the others, so every corruption
 * is still checked and rejected. Optimised builds use the built-in one for
 * all. */
#if defined(__SANITIZE_ADDRESS__)
#define SLOW_CRYPTO 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOW_CRYPTO 1
#endif
#endif
#ifdef SLOW_CRYPTO
#define SLOW_CRYPTO_STRIDE 16u
#else
#define SLOW_CRYPTO_STRIDE 1u
#endif

static int sodium_counting_verify(void *user, const uint8_t pub[32], const uint8_t *msg, size_t len,
                                  const uint8_t sig[64])
{
    ((robust_stats_t *)user)->verify_calls++;
    return crypto_sign_verify_detached(sig, msg, len, pub) == 0 ? 0 : -1;
}

static void test_package_every_byte_corruption_rejected(void **state)
{
    (void)state;
    size_t len;
    uint8_t *pkg = build(ALL_PARTS, &key_a, &len);
    robust_stats_t st = {0}, sodium_st = {0};
    mbpf_pkg_policy_t policy = {.trusted_keys = KEYS(key_a.pub),
                                .trusted_key_count = 1,
                                .verify = builtin_counting_verify,
                                .verify_user = &st};
    mbpf_pkg_policy_t sodium_policy = policy;
    sodium_policy.verify = sodium_counting_verify;
    sodium_policy.verify_user = &sodium_st;
    mbpf_package_t pk;
    mbpf_diag_t diag;
    assert_int_equal(check(pkg, len, &policy, &pk, &diag), 0);
    st.verify_calls = 0;
    size_t sig_off = len - MBPF_PKG_SIG_SIZE;

    unsigned long hist[64] = {0}, cases = 0;
    double t0 = now_s();
    for (size_t off = 0; off < len; off++) {
        uint8_t orig = pkg[off];
        for (unsigned v = 0; v < 256; v++) {
            if (v == orig) continue;
            pkg[off] = (uint8_t)v;
            const mbpf_pkg_policy_t *p =
                off >= sig_off && v % SLOW_CRYPTO_STRIDE != 0 ? &sodium_policy : &policy;
            int rc = check(pkg, len, p, &pk, &diag);
            if (rc >= 0) fail_msg("byte %zu changed 0x%02x -> 0x%02x accepted", off, orig, v);
            if (diag.msg[0] == 0)
                fail_msg("byte %zu -> 0x%02x: error %d without a message", off, v, rc);
            hist[err_index(rc)]++;
            cases++;
        }
        pkg[off] = orig;
    }
    double dt = now_s() - t0;
    assert_int_equal(cases, len * 255);
    print_message("corruption: %lu single-byte corruptions of a %zu-byte package rejected, "
                  "%lu checks by the built-in verifier, %lu by libsodium, %.3f s\n",
                  cases, len, st.verify_calls, sodium_st.verify_calls, dt);
    report_histogram("corruption", hist);
    free(pkg);
}

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0) return -1;
    make_key(&key_a, 0xA1);
    make_key(&key_b, 0xB2);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_unsigned_accepted_without_policy),
        cmocka_unit_test(test_package_signed_verified_with_trusted_key),
        cmocka_unit_test(test_package_signed_matches_second_trusted_key),
        cmocka_unit_test(test_package_signed_unchecked_without_keys),
        cmocka_unit_test(test_package_unsigned_accepted_with_keys_when_not_required),
        cmocka_unit_test(test_package_signed_with_untrusted_key_rejected),
        cmocka_unit_test(test_package_unsigned_rejected_when_signature_required),
        cmocka_unit_test(test_package_signed_rejected_when_required_without_keys),
        cmocka_unit_test(test_package_key_count_without_keys_is_invalid_arg),
        cmocka_unit_test(test_package_platform_verify_hook_decides),
        cmocka_unit_test(test_package_missing_manifest_rejected),
        cmocka_unit_test(test_package_missing_bytecode_rejected),
        cmocka_unit_test(test_package_maps_section_decoded),
        cmocka_unit_test(test_package_maps_in_manifest_and_section_rejected),
        cmocka_unit_test(test_package_debug_section_exposed),
        cmocka_unit_test(test_package_malformed_manifest_rejected),
        cmocka_unit_test(test_package_signature_checked_before_manifest),
        cmocka_unit_test(test_package_crc_checked_before_signature),
        cmocka_unit_test(test_package_every_truncation_rejected),
        cmocka_unit_test(test_package_every_byte_corruption_rejected),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
