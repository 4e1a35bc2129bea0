/*
 * The load pipeline: every rejection with its exact code and message, in
 * pipeline order; no allocation survives any failed load (including an
 * allocation failure at every step and a failure in every instance);
 * unload and shutdown free everything and run mbpf_fini.
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
#include "exec_double.h"
#include "mbpf_map.h"
#include "rt_test_util.h"
#include "ujs.h"

static mbpf_runtime_t *rt;
static mbpf_runtime_config_t cfg;
static tk_key_t key_a, key_b;

static int setup(void **state)
{
    (void)state;
    dbl_reset();
    tk_config(&cfg, tp_platform(4, 1, 0));
    rt = mbpf_runtime_init(&cfg);
    return rt ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mbpf_runtime_shutdown(rt);
    rt = NULL;
    assert_int_equal(tp_live(), 0);
    assert_int_equal(atomic_load(&dbl.creates), atomic_load(&dbl.destroys));
    return 0;
}

/* Re-creates rt with cfg as edited by the test. */
static void reinit(void)
{
    mbpf_runtime_shutdown(rt);
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
}

/* Loads pkg and expects code and message; nothing may stay allocated. */
static void expect_reject(const uint8_t *pkg, size_t len, int code, const char *msg)
{
    long live = tp_live();
    uint32_t loaded = mbpf_program_list(rt, NULL, 0);
    mbpf_program_t *p = (mbpf_program_t *)1;
    int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
    if (rc != code) fail_msg("expected %d, got %d: %s", code, rc, mbpf_last_error(rt));
    assert_null(p);
    assert_int_equal(mbpf_last_error_code(rt), code);
    if (msg) assert_string_equal(mbpf_last_error(rt), msg);
    assert_int_equal(tp_live(), live);
    assert_int_equal(mbpf_program_list(rt, NULL, 0), loaded);
}

static void expect_manifest_reject(const mbpf_manifest_t *m, const char *script, int code,
                                   const char *msg)
{
    size_t len;
    uint8_t *pkg = tk_build(m, script, NULL, &len);
    expect_reject(pkg, len, code, msg);
    free(pkg);
}

/* ---- accepted ----------------------------------------------------------- */

static void test_load_valid_package_creates_one_instance_per_cpu(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "prog", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_LOG | MBPF_CAP_MAP_READ;
    m.map_count = 1;
    m.maps[0] = (mbpf_map_def_t){"hits", MBPF_MAP_COUNTER, 0, 8, 4, 0};
    size_t len;
    uint8_t *pkg = tk_build(&m, "ret=0", NULL, &len);
    mbpf_program_t *p = NULL;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), MBPF_OK);
    free(pkg);
    assert_non_null(p);
    assert_string_equal(mbpf_last_error(rt), "");
    assert_int_equal(atomic_load(&dbl.creates), 4);
    assert_int_equal(atomic_load(&dbl.starts), 4);
    assert_int_equal(atomic_load(&dbl.inits), 1);
    assert_int_equal(dbl.last_caps, MBPF_CAP_LOG | MBPF_CAP_MAP_READ);
    assert_int_equal(dbl.last_map_count, 1);
    assert_int_equal(dbl.last_budget_steps, 1000);
    assert_int_equal(dbl.last_budget_helpers, 16);
    mbpf_program_info_t info;
    assert_int_equal(mbpf_program_info(p, &info), 0);
    assert_string_equal(info.name, "prog");
    assert_int_equal(info.hook_type, MBPF_HOOK_NET_RX);
    assert_int_equal(info.map_count, 1);
    assert_int_equal(info.sig_valid, 0);
    assert_ptr_equal(mbpf_program_find(rt, "prog"), p);
    assert_null(mbpf_program_find(rt, "other"));
    mbpf_program_t *list[2];
    assert_int_equal(mbpf_program_list(rt, list, 2), 1);
    assert_ptr_equal(list[0], p);
    struct mbpf_map *hits = mbpf_program_map(p, "hits");
    assert_non_null(hits);
    assert_int_equal(mbpf_map_key_len(hits), 4);
    assert_null(mbpf_program_map(p, "nope"));
    assert_int_equal(mbpf_program_unload(rt, p), 0);
    assert_int_equal(atomic_load(&dbl.finis), 1);
    assert_int_equal(atomic_load(&dbl.destroys), 4);
}

static void test_load_signed_package_under_required_signature(void **state)
{
    (void)state;
    cfg.policy.require_signature = 1;
    cfg.policy.trusted_keys = (const uint8_t(*)[32])key_b.pub;
    cfg.policy.trusted_key_count = 1;
    reinit();
    mbpf_manifest_t m;
    tk_manifest(&m, "signed", MBPF_HOOK_NET_RX);
    size_t len;
    uint8_t *pkg = tk_build(&m, "ret=0", &key_b, &len);
    mbpf_program_t *p = NULL;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    free(pkg);
    mbpf_program_info_t info;
    mbpf_program_info(p, &info);
    assert_int_equal(info.sig_valid, 1);
    assert_int_equal(info.sig_key_index, 0);
}

static void test_load_persistent_package_is_not_copied(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "xip", MBPF_HOOK_NET_RX);
    size_t len;
    uint8_t *pkg = tk_build(&m, "ret=0", NULL, &len);
    mbpf_program_t *p = NULL;
    long before = atomic_load(&tp.allocs);
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    long copied = atomic_load(&tp.allocs) - before;
    mbpf_program_unload(rt, p);
    mbpf_load_opts_t opts = {MBPF_LOAD_F_PKG_PERSISTENT};
    before = atomic_load(&tp.allocs);
    assert_int_equal(mbpf_program_load(rt, pkg, len, &opts, &p), 0);
    assert_int_equal(atomic_load(&tp.allocs) - before, copied - 1);
    mbpf_program_unload(rt, p);
    free(pkg);
}

/* ---- real packages made by `mbpf pack` (tests/fuzz/corpus/package) -------- */

/* Public key of the seed 00 01 .. 1f that signed the corpus. */
static const uint8_t corpus_pub[32] = {
    0x03, 0xa1, 0x07, 0xbf, 0xf3, 0xce, 0x10, 0xbe, 0x1d, 0x70, 0xdd, 0x18, 0xe7, 0x4b, 0xc0, 0x99,
    0x67, 0xe4, 0xd6, 0x30, 0x9b, 0xa5, 0x0d, 0x5f, 0x1d, 0xdc, 0x86, 0x64, 0x12, 0x55, 0x31, 0xb8,
};

static uint8_t *read_corpus(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", MBPF_CORPUS_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    static uint8_t buf[65536];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static void test_load_real_packages_under_required_signature(void **state)
{
    (void)state;
    cfg.policy.require_signature = 1;
    cfg.policy.trusted_keys = (const uint8_t(*)[32])corpus_pub;
    cfg.policy.trusted_key_count = 1;
    /* the corpus packages carry the examples' bytecode_version, the real
     * engine's; the double plays that engine here */
    dbl_ops.bytecode_version = UJS_BYTECODE_VERSION;
    reinit();
    size_t len;
    uint8_t *pkg = read_corpus("example-signed.mbpf", &len);
    mbpf_program_t *p = NULL;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    assert_non_null(mbpf_program_map(p, "blocked_ports"));
    assert_non_null(mbpf_program_map(p, "verdicts"));
    assert_int_equal(dbl.last_budget_time, 500);
    mbpf_program_info_t info;
    mbpf_program_info(p, &info);
    assert_string_equal(info.name, "net_rx_filter");
    assert_int_equal(info.sig_valid, 1);
    static const struct {
        const char *file;
        int code;
    } rejected[] = {
        {"example-unsigned.mbpf", MBPF_E_SIG_REQUIRED},
        {"broken-magic.mbpf", MBPF_E_PKG_FORMAT},
        {"broken-truncated.mbpf", MBPF_E_PKG_FORMAT},
        {"broken-bytecode-crc.mbpf", MBPF_E_PKG_CRC},
        {"broken-signature.mbpf", MBPF_E_SIG_INVALID},
        {"min-signed-other-key.mbpf", MBPF_E_SIG_INVALID},
    };
    for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
        pkg = read_corpus(rejected[i].file, &len);
        int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
        if (rc != rejected[i].code)
            fail_msg("%s: %d %s", rejected[i].file, rc, mbpf_last_error(rt));
    }
}

/* ---- rejections, in pipeline order --------------------------------------- */

static void test_load_rejects_bad_arguments(void **state)
{
    (void)state;
    mbpf_program_t *p;
    assert_int_equal(mbpf_program_load(NULL, "x", 1, NULL, &p), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_program_load(rt, NULL, 1, NULL, &p), MBPF_E_INVALID_ARG);
    assert_string_equal(mbpf_last_error(rt), "load: pkg is NULL");
    assert_int_equal(mbpf_program_load(rt, "x", 1, NULL, NULL), MBPF_E_INVALID_ARG);
    assert_string_equal(mbpf_last_error(rt), "load: out_prog is NULL");
    mbpf_load_opts_t opts = {0x80};
    assert_int_equal(mbpf_program_load(rt, "x", 1, &opts, &p), MBPF_E_INVALID_ARG);
    assert_string_equal(mbpf_last_error(rt), "load: opts.flags 0x80 has unknown bits");
    assert_int_equal(mbpf_program_replace(rt, NULL, "x", 1, NULL, &p), MBPF_E_INVALID_ARG);
    assert_string_equal(mbpf_last_error(rt), "replace: old program is NULL");
}

static void test_load_rejects_bad_container(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    size_t len;
    uint8_t *pkg = tk_build(&m, "ret=0", NULL, &len);
    pkg[0] ^= 0xFF;
    expect_reject(pkg, len, MBPF_E_PKG_FORMAT, "container: magic 0x4d4250b9 is not 0x4d425046");
    pkg[0] ^= 0xFF;
    expect_reject(pkg, 10, MBPF_E_PKG_FORMAT,
                  "container: file size 10 below the fixed header size 20");
    pkg[len - 1] ^= 1; /* last byte of the bytecode section */
    expect_reject(pkg, len, MBPF_E_PKG_CRC, NULL);
    assert_non_null(strstr(mbpf_last_error(rt), "container: section 1 (type 2): crc32 0x"));
    free(pkg);
}

static void test_load_rejects_by_signature_policy(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    size_t ulen, slen;
    uint8_t *unsigned_pkg = tk_build(&m, "ret=0", NULL, &ulen);
    uint8_t *signed_a = tk_build(&m, "ret=0", &key_a, &slen);

    cfg.policy.require_signature = 1;
    reinit();
    expect_reject(unsigned_pkg, ulen, MBPF_E_SIG_REQUIRED,
                  "signature: package is unsigned and policy requires a signature");
    expect_reject(signed_a, slen, MBPF_E_SIG_NO_KEYS,
                  "signature: policy requires a signature but no trusted key given");

    cfg.policy.trusted_keys = (const uint8_t(*)[32])key_b.pub;
    cfg.policy.trusted_key_count = 1;
    reinit();
    expect_reject(signed_a, slen, MBPF_E_SIG_INVALID,
                  "signature: does not verify under any of 1 trusted key");
    free(unsigned_pkg);
    free(signed_a);
}

static void test_load_rejects_invalid_manifest(void **state)
{
    (void)state;
    static const char man[] = "{\"program_name\": \"x\"}";
    static const char code[] = "ret=0";
    mbpf_section_in_t secs[2] = {{MBPF_SEC_MANIFEST, man, sizeof man - 1},
                                 {MBPF_SEC_BYTECODE, code, sizeof code - 1}};
    uint8_t buf[512];
    size_t len;
    assert_int_equal(mbpf_container_write(secs, 2, 0, buf, sizeof buf, &len, NULL), 0);
    expect_reject(buf, len, MBPF_E_MANIFEST, "manifest: program_version: missing");
}

static void test_load_rejects_incompatible_api_version(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.mbpf_api_version = 2u << 16;
    expect_manifest_reject(&m, "", MBPF_E_API_VERSION,
                           "manifest: mbpf_api_version 2.0 not supported by runtime API 1.0");
    m.mbpf_api_version = 1u << 16 | 1;
    expect_manifest_reject(&m, "", MBPF_E_API_VERSION,
                           "manifest: mbpf_api_version 1.1 not supported by runtime API 1.0");
    /* An older minor of a newer runtime is fine. */
    cfg.policy.api_version = 1u << 16 | 3;
    reinit();
    m.mbpf_api_version = 1u << 16 | 2;
    size_t len;
    uint8_t *pkg = tk_build(&m, "", NULL, &len);
    mbpf_program_t *p;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    free(pkg);
}

static void test_load_rejects_unknown_or_newer_helper_version(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.helper_version_count = 1;
    strcpy(m.helper_versions[0].name, "frob");
    m.helper_versions[0].version = 1u << 16;
    expect_manifest_reject(&m, "", MBPF_E_HELPER_VERSION,
                           "manifest: helper_versions.frob: no such helper");
    strcpy(m.helper_versions[0].name, "emit");
    m.helper_versions[0].version = 1u << 16 | 1;
    expect_manifest_reject(&m, "", MBPF_E_HELPER_VERSION,
                           "manifest: helper_versions.emit: 1.1 not supported by runtime 1.0");
    m.helper_versions[0].version = 2u << 16;
    expect_manifest_reject(&m, "", MBPF_E_HELPER_VERSION,
                           "manifest: helper_versions.emit: 2.0 not supported by runtime 1.0");
}

static void test_load_rejects_capability_outside_policy(void **state)
{
    (void)state;
    cfg.policy.allowed_caps = MBPF_CAP_LOG | MBPF_CAP_MAP_READ;
    reinit();
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_LOG | MBPF_CAP_EMIT | MBPF_CAP_TIME;
    expect_manifest_reject(&m, "", MBPF_E_CAPABILITY,
                           "manifest: capabilities: CAP_EMIT not granted by policy");
}

static void test_load_rejects_unsupported_hook_and_ctx_abi(void **state)
{
    (void)state;
    cfg.policy.hook_types = MBPF_HOOK_BIT(MBPF_HOOK_NET_RX);
    reinit();
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_SECURITY);
    expect_manifest_reject(&m, "", MBPF_E_HOOK_TYPE,
                           "manifest: hook_type SECURITY not supported by runtime");
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.hook_ctx_abi_version = 2;
    expect_manifest_reject(&m, "", MBPF_E_CTX_ABI,
                           "manifest: hook_ctx_abi_version 2 outside supported [1, 1] for NET_RX");
}

static void test_load_rejects_other_target(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    unsigned bits = (unsigned)sizeof(void *) * 8, other = bits == 64 ? 32 : 64;
    char msg[128];
    m.target_word_size = (uint8_t)other;
    snprintf(msg, sizeof msg, "manifest: target.word_size %u differs from runtime %u", other, bits);
    expect_manifest_reject(&m, "", MBPF_E_TARGET, msg);
    m.target_word_size = (uint8_t)bits; /* this build: accepted with "any" endianness */
    const uint16_t one = 1;
    int little = *(const uint8_t *)&one == 1;
    m.target_endianness = little ? MBPF_TARGET_BIG : MBPF_TARGET_LITTLE;
    snprintf(msg, sizeof msg, "manifest: target.endianness %s differs from runtime %s",
             little ? "big" : "little", little ? "little" : "big");
    expect_manifest_reject(&m, "", MBPF_E_TARGET, msg);
    m.target_endianness = little ? MBPF_TARGET_LITTLE : MBPF_TARGET_BIG;
    m.bytecode_version = 7;
    expect_manifest_reject(&m, "", MBPF_E_BYTECODE_VERSION,
                           "manifest: bytecode_version 7 differs from engine 1");
    m.bytecode_version = 1;
    size_t len;
    uint8_t *pkg = tk_build(&m, "", NULL, &len);
    mbpf_program_t *p;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    free(pkg);
}

static void test_load_rejects_heap_size_out_of_range(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.heap_size = 512;
    expect_manifest_reject(&m, "", MBPF_E_HEAP_SIZE,
                           "manifest: heap_size 512 below engine minimum 1024");
    m.heap_size = 256 * 1024 + 1;
    expect_manifest_reject(&m, "", MBPF_E_HEAP_SIZE,
                           "manifest: heap_size 262145 above policy ceiling 262144");
}

static void test_load_rejects_budgets_above_ceilings(void **state)
{
    (void)state;
    cfg.policy.max_steps = 100;
    cfg.policy.max_helpers = 10;
    cfg.policy.max_wall_time_us = 50;
    reinit();
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.max_steps = 101;
    m.max_helpers = 10;
    expect_manifest_reject(&m, "", MBPF_E_BUDGET,
                           "manifest: budgets.max_steps 101 above policy ceiling 100");
    m.max_steps = 100;
    m.max_helpers = 11;
    expect_manifest_reject(&m, "", MBPF_E_BUDGET,
                           "manifest: budgets.max_helpers 11 above policy ceiling 10");
    m.max_helpers = 10;
    m.max_wall_time_us = 51;
    expect_manifest_reject(&m, "", MBPF_E_BUDGET,
                           "manifest: budgets.max_wall_time_us 51 above policy ceiling 50");
    /* No wall-time budget: the policy's ceiling becomes the budget. */
    m.max_wall_time_us = 0;
    size_t len;
    uint8_t *pkg = tk_build(&m, "", NULL, &len);
    mbpf_program_t *p;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    assert_int_equal(dbl.last_budget_time, 50);
    free(pkg);
}

static void test_load_without_clock_passes_no_wall_time_budget(void **state)
{
    (void)state;
    mbpf_runtime_shutdown(rt);
    tk_config(&cfg, tp_platform(1, 0, 0));
    rt = mbpf_runtime_init(&cfg);
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.max_wall_time_us = 10;
    size_t len;
    uint8_t *pkg = tk_build(&m, "", NULL, &len);
    mbpf_program_t *p;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    assert_int_equal(dbl.last_budget_time, 0);
    free(pkg);
}

static void test_load_rejects_duplicate_name(void **state)
{
    (void)state;
    tk_load(rt, "dup", MBPF_HOOK_NET_RX, "");
    mbpf_manifest_t m;
    tk_manifest(&m, "dup", MBPF_HOOK_NET_RX);
    expect_manifest_reject(&m, "", MBPF_E_EXISTS, "load: program 'dup' is already loaded");
}

static void test_load_rejects_bad_or_oversized_maps(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.map_count = 2;
    m.maps[0] = (mbpf_map_def_t){"ok", MBPF_MAP_ARRAY, 0, 8, 16, 0};
    m.maps[1] = (mbpf_map_def_t){"ring", MBPF_MAP_RINGBUF, 0, 0, 1000, 0};
    expect_manifest_reject(
        &m, "", MBPF_E_MAP,
        "map 'ring': max_entries 1000 is not a power of two >= 16 (ring capacity in bytes)");

    cfg.policy.max_map_bytes = 4096;
    reinit();
    m.maps[1] = (mbpf_map_def_t){"big", MBPF_MAP_ARRAY, 0, 64, 64, 0};
    size_t ok_size, big_size;
    assert_int_equal(mbpf_map_storage_size(&m.maps[0], 4, SIZE_MAX, &ok_size, NULL), 0);
    assert_int_equal(mbpf_map_storage_size(&m.maps[1], 4, SIZE_MAX, &big_size, NULL), 0);
    char msg[160];
    snprintf(msg, sizeof msg, "map 'big': %zu bytes exceed the policy ceiling of 4096 (%zu in use)",
             big_size, ok_size);
    expect_manifest_reject(&m, "", MBPF_E_MAP_TOO_LARGE, msg);
}

static void test_load_rejects_what_the_engine_rejects(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    expect_manifest_reject(&m, "create=bytecode", MBPF_E_BYTECODE,
                           "instance 0: bytecode: scripted create failure");
    expect_manifest_reject(&m, "create=heap create_at=2", MBPF_E_HEAP_SIZE,
                           "instance 2: bytecode: scripted create failure");
    expect_manifest_reject(&m, "top=throw", MBPF_E_PROGRAM_INIT,
                           "top-level code (instance 0): exception: scripted");
    expect_manifest_reject(&m, "init=steps", MBPF_E_PROGRAM_INIT,
                           "mbpf_init (instance 0): budget max_steps exhausted: scripted");
    expect_manifest_reject(&m, "init=oom", MBPF_E_PROGRAM_INIT,
                           "mbpf_init (instance 0): out of memory: scripted");
    assert_int_equal(atomic_load(&dbl.finis), 0); /* fini never runs after a failed init */
    assert_int_equal(atomic_load(&dbl.creates), atomic_load(&dbl.destroys));
}

/* ---- allocation failures ------------------------------------------------- */

static void test_load_allocation_failure_at_every_step_leaves_nothing(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    tk_manifest(&m, "p", MBPF_HOOK_NET_RX);
    m.map_count = 2;
    m.maps[0] = (mbpf_map_def_t){"a", MBPF_MAP_ARRAY, 0, 8, 16, 0};
    m.maps[1] = (mbpf_map_def_t){"h", MBPF_MAP_HASH, 4, 8, 16, 0};
    size_t len;
    uint8_t *pkg = tk_build(&m, "ret=1", NULL, &len);
    long base = atomic_load(&tp.calls);
    mbpf_program_t *p;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    long steps = atomic_load(&tp.calls) - base;
    assert_true(steps >= 2 + 1 + 4 + 1 + 4); /* prog, pkg, bytecode, 2 maps x2, array, 4 inst */
    mbpf_program_unload(rt, p);
    long live = tp_live();
    for (long k = 1; k <= steps; k++) {
        tp.fail_at = atomic_load(&tp.calls) + k;
        p = (mbpf_program_t *)1;
        int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
        if (rc != MBPF_E_NOMEM) fail_msg("step %ld: %d %s", k, rc, mbpf_last_error(rt));
        assert_null(p);
        assert_int_equal(tp_live(), live);
        assert_int_equal(atomic_load(&dbl.creates), atomic_load(&dbl.destroys));
    }
    tp.fail_at = 0;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), 0);
    free(pkg);
}

static void test_runtime_init_allocation_failure_leaves_nothing(void **state)
{
    (void)state;
    mbpf_runtime_shutdown(rt);
    tk_config(&cfg, tp_platform(2, 1, 0));
    cfg.policy.trusted_keys = (const uint8_t(*)[32])key_a.pub;
    cfg.policy.trusted_key_count = 1;
    cfg.deferred_hooks = MBPF_HOOK_BIT(MBPF_HOOK_TRACEPOINT);
    for (long k = 1; k <= 5; k++) {
        tp.fail_at = atomic_load(&tp.calls) + k;
        assert_null(mbpf_runtime_init(&cfg));
        assert_int_equal(tp_live(), 0);
    }
    tp.fail_at = 0;
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
    assert_int_equal(tp_live(), 5); /* rt, keys, active, queue records, queue sequence */
}

static void test_runtime_init_rejects_invalid_config(void **state)
{
    (void)state;
    mbpf_runtime_config_t bad = cfg;
    bad.deferred_hooks = MBPF_HOOK_BIT(MBPF_HOOK_NET_RX);
    assert_null(mbpf_runtime_init(&bad));
    assert_string_equal(tp.log, "config: deferred_hooks 0x8: only observer hooks can be deferred");
    bad = cfg;
    bad.cpu_count = 5000;
    assert_null(mbpf_runtime_init(&bad));
    assert_string_equal(tp.log, "config: cpu_count 5000 outside [1, 4096]");
    bad = cfg;
    bad.policy.hook_types = 1;
    assert_null(mbpf_runtime_init(&bad));
    assert_null(mbpf_runtime_init(NULL));
    bad = cfg;
    bad.platform = NULL;
    assert_null(mbpf_runtime_init(&bad));
}

/* ---- unload ---------------------------------------------------------------- */

static void test_unload_runs_fini_best_effort_and_frees_everything(void **state)
{
    (void)state;
    long live = tp_live();
    mbpf_program_t *p = tk_load(rt, "f", MBPF_HOOK_NET_RX, "fini=throw");
    assert_int_equal(mbpf_program_attach(rt, p, MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)), 0);
    int before = tp.log_count;
    assert_int_equal(mbpf_program_unload(rt, p), 0);
    assert_int_equal(atomic_load(&dbl.finis), 1);
    assert_int_equal(tp.log_count, before + 1);
    assert_string_equal(tp.log, "program 'f': mbpf_fini: exception: scripted");
    assert_int_equal(tp_live(), live);
    assert_int_equal(mbpf_program_unload(rt, NULL), MBPF_E_INVALID_ARG);
    /* Shutdown unloads what is left, with fini. */
    tk_load(rt, "g", MBPF_HOOK_NET_RX, "");
    tk_load(rt, "h", MBPF_HOOK_NET_RX, "");
    mbpf_runtime_shutdown(rt);
    rt = NULL;
    assert_int_equal(atomic_load(&dbl.finis), 3);
    assert_int_equal(tp_live(), 0);
    rt = mbpf_runtime_init(&cfg);
}

static void test_error_messages_are_distinct(void **state)
{
    (void)state;
    for (int a = 0; a >= MBPF_E_BUSY; a--) {
        assert_string_not_equal(mbpf_strerror(a), "unknown error");
        for (int b = a - 1; b >= MBPF_E_BUSY; b--)
            assert_string_not_equal(mbpf_strerror(a), mbpf_strerror(b));
    }
    assert_string_equal(mbpf_strerror(MBPF_E_BUSY - 1), "unknown error");
    assert_string_equal(mbpf_strerror(1), "unknown error");
    assert_int_equal(mbpf_version(), MBPF_VERSION_NUMBER);
    assert_string_equal(mbpf_version_string(), "0.1.0");
}

int main(void)
{
    tk_keygen(&key_a, 0xA1);
    tk_keygen(&key_b, 0xB2);
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_load_valid_package_creates_one_instance_per_cpu),
        T(test_load_signed_package_under_required_signature),
        T(test_load_persistent_package_is_not_copied),
        T(test_load_real_packages_under_required_signature),
        T(test_load_rejects_bad_arguments),
        T(test_load_rejects_bad_container),
        T(test_load_rejects_by_signature_policy),
        T(test_load_rejects_invalid_manifest),
        T(test_load_rejects_incompatible_api_version),
        T(test_load_rejects_unknown_or_newer_helper_version),
        T(test_load_rejects_capability_outside_policy),
        T(test_load_rejects_unsupported_hook_and_ctx_abi),
        T(test_load_rejects_other_target),
        T(test_load_rejects_heap_size_out_of_range),
        T(test_load_rejects_budgets_above_ceilings),
        T(test_load_without_clock_passes_no_wall_time_budget),
        T(test_load_rejects_duplicate_name),
        T(test_load_rejects_bad_or_oversized_maps),
        T(test_load_rejects_what_the_engine_rejects),
        T(test_load_allocation_failure_at_every_step_leaves_nothing),
        T(test_runtime_init_allocation_failure_leaves_nothing),
        T(test_runtime_init_rejects_invalid_config),
        T(test_unload_runs_fini_best_effort_and_frees_everything),
        T(test_error_messages_are_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
