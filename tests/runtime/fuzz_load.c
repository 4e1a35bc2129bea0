/*
 * Fuzz harness for the load path: mbpf_program_load of arbitrary bytes into
 * a runtime with the scripted executor double, under a policy that trusts
 * the key of the package corpus (tests/fuzz/corpus/package, signed with the
 * fixed seed 00 01 .. 1f) and allows everything else, and again with no
 * keys (signatures unchecked) on a copy whose CRCs are recomputed, so that
 * mutations reach the manifest and policy checks behind the CRC wall. A
 * package that loads is attached, run once and unloaded. Every outcome must
 * leave the counting allocator balanced and a message for every failure.
 *
 * Built twice: fuzz_load with the double (fast; reaches every policy
 * check), fuzz_load_ujs with the real engine binding (MBPF_FUZZ_REAL_ENGINE:
 * bytecode verified, loaded and run, under small budget ceilings so a
 * mutated program that loops ends quickly).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "crc32.h"
#ifndef MBPF_FUZZ_REAL_ENGINE
#include "exec_double.h"
#endif
#include "mbpf_ctx.h"
#include "rt_test_util.h"

static const uint8_t fuzz_pub[1][32] = {{
    0x03, 0xa1, 0x07, 0xbf, 0xf3, 0xce, 0x10, 0xbe, 0x1d, 0x70, 0xdd, 0x18, 0xe7, 0x4b, 0xc0, 0x99,
    0x67, 0xe4, 0xd6, 0x30, 0x9b, 0xa5, 0x0d, 0x5f, 0x1d, 0xdc, 0x86, 0x64, 0x12, 0x55, 0x31, 0xb8,
}};

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

/* Recomputes the nonzero section CRCs and the file CRC of a parsed copy. */
static void fix_crcs(uint8_t *buf, const mbpf_container_t *c)
{
    size_t end = c->len;
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (s->type == MBPF_SEC_SIG) {
            end = s->offset;
            continue;
        }
        if (s->crc32 == 0) continue;
        uint32_t crc = mbpf_crc32(0, buf + s->offset, s->length);
        uint8_t *d = buf + MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * i + 12;
        for (int b = 0; b < 4; b++) d[b] = (uint8_t)(crc >> (8 * b));
    }
    if (c->file_crc32 == 0) return;
    static const uint8_t zero[4];
    uint32_t crc = mbpf_crc32(0, buf, MBPF_PKG_FILE_CRC_OFFSET);
    crc = mbpf_crc32(crc, zero, 4);
    crc = mbpf_crc32(crc, buf + MBPF_PKG_FILE_CRC_OFFSET + 4, end - MBPF_PKG_FILE_CRC_OFFSET - 4);
    for (int b = 0; b < 4; b++) buf[MBPF_PKG_FILE_CRC_OFFSET + b] = (uint8_t)(crc >> (8 * b));
}

static void load_once(const uint8_t *data, size_t size, int with_key)
{
#ifndef MBPF_FUZZ_REAL_ENGINE
    dbl_reset();
    dbl_ops.min_heap_size = 0;
#endif
    mbpf_runtime_config_t cfg;
    mbpf_runtime_config_init(&cfg, tp_platform(2, 1, 0));
    if (with_key) {
        cfg.policy.trusted_keys = fuzz_pub;
        cfg.policy.trusted_key_count = 1;
    }
    cfg.policy.max_heap_size = 1u << 20;
#ifdef MBPF_FUZZ_REAL_ENGINE
    cfg.policy.max_steps = 20000;
    cfg.policy.max_helpers = 1000;
    cfg.policy.max_heap_size = 64u << 10;
#else
    cfg.policy.max_steps = UINT32_MAX;
    cfg.policy.max_helpers = UINT32_MAX;
#endif
    cfg.policy.max_map_bytes = (size_t)4 << 20;
    mbpf_runtime_t *rt = mbpf_runtime_init(&cfg);
    REQUIRE(rt);
    mbpf_program_t *p = NULL;
    int rc = mbpf_program_load(rt, data, size, NULL, &p);
    REQUIRE(rc <= 0);
    if (rc == 0) {
        REQUIRE(p);
        mbpf_program_info_t info;
        REQUIRE(mbpf_program_info(p, &info) == 0);
        mbpf_hook_id_t hook = MBPF_HOOK_ID(info.hook_type, 0);
        REQUIRE(mbpf_program_attach(rt, p, hook) == 0);
        static uint8_t ctx[256]; /* large enough for every v1 context, abi 1 */
        ctx[0] = 1;
        int32_t out;
        REQUIRE(mbpf_run(rt, hook, ctx, sizeof ctx, &out) == 0);
        REQUIRE(mbpf_program_unload(rt, p) == 0);
    } else {
        REQUIRE(!p);
        REQUIRE(mbpf_last_error(rt)[0] != '\0');
        REQUIRE(mbpf_last_error_code(rt) == rc);
    }
    mbpf_runtime_shutdown(rt);
    REQUIRE(tp_live() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_once(data, size, 1);
    mbpf_container_t c;
    if (mbpf_container_parse(data, size, &c, NULL) != 0) return 0;
    uint8_t *copy = malloc(size);
    REQUIRE(copy);
    memcpy(copy, data, size);
    fix_crcs(copy, &c);
    load_once(copy, size, 0);
    free(copy);
    return 0;
}
