/*
 * On-target self-test of the runtime libraries (mbpf_util, mbpf_pkg,
 * mbpf_maps) as the cross toolchain builds them, run on a Cortex-M4 under
 * QEMU (ports/cortex-m/run). Each check compares an exact expected value,
 * so a difference between the host and this 32-bit target (type sizes,
 * 64-bit arithmetic and atomics, alignment, varargs) shows up as a failed
 * line naming the expression, the value got and the value wanted.
 *
 * Output ends with "N passed, N failed"; the image exits with semihosting
 * status 0 only when nothing failed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "crc32.h"
#include "mbpf.h"
#include "mbpf_fmt.h"
#include "mbpf_map.h"
#include "package.h"
#include "pkg_fixture.h"
#include "platform_cm.h"
#include "selftest.h"
#include "semihost.h"
#include "startup.h"

/* The allocator's region: all RAM between .bss and the stack. */
extern uint8_t __arena_start[], __arena_end[];

static unsigned passed, failed;
const mbpf_platform_t *plat;

void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    mbpf_vfmt(line, sizeof line, fmt, ap);
    va_end(ap);
    semihost_write0(line);
}

void check_u64(int line, const char *file, const char *expr, uint64_t got, uint64_t want)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    say("FAIL %s:%d: %s: got %llu (0x%llx), want %llu (0x%llx)\n", file, line, expr,
        (unsigned long long)got, (unsigned long long)got, (unsigned long long)want,
        (unsigned long long)want);
}

void check_i64(int line, const char *file, const char *expr, int64_t got, int64_t want)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    say("FAIL %s:%d: %s: got %lld, want %lld\n", file, line, expr, (long long)got, (long long)want);
}

void check_str(int line, const char *file, const char *expr, const char *got, const char *want)
{
    if (strcmp(got, want) == 0) {
        passed++;
        return;
    }
    failed++;
    say("FAIL %s:%d: %s: got \"%s\", want \"%s\"\n", file, line, expr, got, want);
}

void check_true(int line, const char *file, const char *expr, int ok)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    say("FAIL %s:%d: %s\n", file, line, expr);
}

void section(const char *name)
{
    say("== %s\n", name);
}

/* ---- mbpf_util ---------------------------------------------------------- */

static void test_fmt(void)
{
    section("util: mbpf_fmt (64-bit and size_t varargs on a 32-bit target)");
    char b[64];
    CHECK_U(mbpf_fmt(b, sizeof b, "%llu", (unsigned long long)UINT64_MAX), 20);
    CHECK_S(b, "18446744073709551615");
    mbpf_fmt(b, sizeof b, "%lld", (long long)INT64_MIN);
    CHECK_S(b, "-9223372036854775808");
    mbpf_fmt(b, sizeof b, "%llx", 0x0123456789abcdefull);
    CHECK_S(b, "123456789abcdef");
    mbpf_fmt(b, sizeof b, "%zu %zx", (size_t)SIZE_MAX, (size_t)0xbeef);
    CHECK_S(b, "4294967295 beef");
    mbpf_fmt(b, sizeof b, "%d %u %x %ld %lu", -7, 4000000000u, 0xcafeu, -100000L, 3000000000UL);
    CHECK_S(b, "-7 4000000000 cafe -100000 3000000000");
    mbpf_fmt(b, sizeof b, "[%.*s|%c|%s|%%]", 3, "abcdef", 'z', "str");
    CHECK_S(b, "[abc|z|str|%]");
    /* Truncation keeps the NUL inside the buffer. */
    CHECK_U(mbpf_fmt(b, 5, "hello world"), 4);
    CHECK_S(b, "hell");
}

/* ---- mbpf_pkg: CRC-32 ---------------------------------------------------- */

static void test_crc32(void)
{
    section("pkg: CRC-32");
    CHECK_U(mbpf_crc32(0, "123456789", 9), 0xCBF43926u); /* the standard check value */
    CHECK_U(mbpf_crc32(mbpf_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
    CHECK_U(mbpf_crc32(0, "", 0), 0);
    CHECK_U(mbpf_crc32(0, fixture_pkg, 16),
            mbpf_crc32(mbpf_crc32(0, fixture_pkg, 7), fixture_pkg + 7, 9));
}

/* ---- platform ------------------------------------------------------------ */

static void test_platform(void)
{
    section("platform: arena allocator, CPU, clock, log");
    platform_cm_stats_t s0, s;
    platform_cm_stats(&s0);

    CHECK_U(plat->cpu_count(plat->user), 1);
    CHECK_U(plat->cpu_id(plat->user), 0);

    uint8_t *a = plat->alloc(plat->user, 1);
    uint8_t *b = plat->alloc(plat->user, 13);
    uint8_t *c = plat->alloc(plat->user, 0);
    CHECK(a && b && c);
    CHECK_U((uintptr_t)a % 8, 0);
    CHECK_U((uintptr_t)b % 8, 0);
    CHECK_U((uintptr_t)c % 8, 0);
    CHECK(b >= a + 1 && c >= b + 13);
    memset(b, 0xA5, 13);
    platform_cm_stats(&s);
    CHECK_U(s.used - s0.used, 3 * 8 + 8 + 16 + 0); /* header + rounded size each */

    /* Freed out of order: nothing returns until the top block goes. */
    plat->free(plat->user, a);
    plat->free(plat->user, b);
    platform_cm_stats(&s);
    CHECK_U(s.used - s0.used, 48);
    plat->free(plat->user, c);
    platform_cm_stats(&s);
    CHECK_U(s.used, s0.used);
    plat->free(plat->user, NULL);

    /* Too large: refused and counted, nothing changes. */
    CHECK(plat->alloc(plat->user, SIZE_MAX) == NULL);
    CHECK(plat->alloc(plat->user, s.capacity - s.used) == NULL); /* no room for the header */
    void *all = plat->alloc(plat->user, s.capacity - s.used - 8);
    CHECK(all != NULL);
    CHECK(plat->alloc(plat->user, 0) == NULL);
    plat->free(plat->user, all);
    platform_cm_stats(&s);
    CHECK_U(s.used, s0.used);
    CHECK_U(s.failed - s0.failed, 3);

    /* The clock advances and never goes back, across many reads. */
    uint64_t t0 = plat->now_ns(plat->user), prev = t0;
    int mono = 1;
    for (int i = 0; i < 20000; i++) {
        uint64_t t = plat->now_ns(plat->user);
        if (t < prev) mono = 0;
        prev = t;
    }
    CHECK(mono);
    CHECK(prev > t0);
    CHECK_U(t0 % 40, 0); /* whole 25 MHz ticks */

    static const char msg[] = "platform log line (not NUL-terminated)XXXX";
    plat->log(plat->user, MBPF_LOG_INFO, msg, sizeof msg - 5);
}

/* ---- mbpf_pkg: package check ------------------------------------------- */

/* Large (about 2.6 KiB): static, not on the stack. */
static mbpf_package_t pkg;
static _Alignas(8) uint8_t copy[sizeof fixture_pkg];

void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void refresh_crcs(uint8_t *buf, size_t len, uint32_t sec_index)
{
    mbpf_container_t c;
    if (mbpf_container_parse(buf, len, &c, NULL) != 0) return;
    const mbpf_section_t *s = &c.sections[sec_index];
    put_le32(buf + MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * sec_index + 12,
             mbpf_crc32(0, buf + s->offset, s->length));
    const mbpf_section_t *sig = mbpf_container_find(&c, MBPF_SEC_SIG);
    put_le32(buf + MBPF_PKG_FILE_CRC_OFFSET, 0);
    put_le32(buf + MBPF_PKG_FILE_CRC_OFFSET, mbpf_crc32(0, buf, sig ? sig->offset : len));
}

static size_t check_stack;
static uint64_t check_ns;

static int timed_check(const void *buf, size_t len, const mbpf_pkg_policy_t *pol, mbpf_diag_t *diag)
{
    const void *mark = startup_stack_mark();
    uint64_t t0 = platform_cm_now_ns();
    int rc = mbpf_package_check(buf, len, pol, &pkg, diag);
    check_ns = platform_cm_now_ns() - t0;
    check_stack = startup_stack_depth(mark);
    return rc;
}

static void test_package(void)
{
    section("pkg: signed package of examples/net_rx_filter");
    uint8_t k[2][32];
    memcpy(k[0], fixture_pub, 32);
    memcpy(k[1], fixture_other_pub, 32);
    mbpf_pkg_policy_t pol = {
        .trusted_keys = (const uint8_t(*)[32])k, .trusted_key_count = 1, .require_signature = 1};
    mbpf_diag_t d = {{0}};

    CHECK_OK(timed_check(fixture_pkg, sizeof fixture_pkg, &pol, &d));
    if (d.msg[0]) say("   diag: %s\n", d.msg);
    say("   check with signature took %llu us, %zu bytes of stack\n",
        (unsigned long long)(check_ns / 1000), check_stack);
    CHECK_I(pkg.sig_status, MBPF_SIG_VALID);
    CHECK_I(pkg.key_index, 0);
    CHECK_U(pkg.container.section_count, 3);
    CHECK_U(pkg.container.flags, MBPF_PKG_F_SIGNED);

    const mbpf_manifest_t *m = &pkg.manifest;
    CHECK_S(m->program_name, "net_rx_filter");
    CHECK_S(m->program_version, "1.1.0");
    CHECK_U(m->hook_type, MBPF_HOOK_NET_RX);
    CHECK_U(m->hook_ctx_abi_version, 1);
    CHECK_S(m->entry_symbol, "mbpf_prog");
    CHECK_U(m->bytecode_version, 3);
    CHECK_U(m->target_word_size, MBPF_TARGET_ANY);
    CHECK_U(m->target_endianness, MBPF_TARGET_ANY);
    CHECK_U(m->mbpf_api_version, 0x10000);
    CHECK_U(m->heap_size, 16384);
    CHECK_U(m->max_steps, 10000);
    CHECK_U(m->max_helpers, 64);
    CHECK_U(m->max_wall_time_us, 500);
    CHECK_U(m->capabilities, MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE);
    CHECK_U(m->helper_version_count, 0);
    CHECK_U(m->map_count, 4);
    CHECK_S(m->maps[0].name, "blocked_protos");
    CHECK_U(m->maps[0].type, MBPF_MAP_ARRAY);
    CHECK_U(m->maps[0].key_size, 0);
    CHECK_U(m->maps[0].value_size, 1);
    CHECK_U(m->maps[0].max_entries, 256);
    CHECK_S(m->maps[1].name, "blocked_nets");
    CHECK_U(m->maps[1].type, MBPF_MAP_LPM_TRIE);
    CHECK_U(m->maps[1].key_size, 8);
    CHECK_U(m->maps[1].value_size, 1);
    CHECK_U(m->maps[1].max_entries, 64);
    CHECK_S(m->maps[2].name, "blocked_ports");
    CHECK_U(m->maps[2].type, MBPF_MAP_HASH);
    CHECK_U(m->maps[2].key_size, 2);
    CHECK_U(m->maps[2].value_size, 1);
    CHECK_U(m->maps[2].max_entries, 64);
    CHECK_U(m->maps[2].flags, 0);
    CHECK_S(m->maps[3].name, "verdicts");
    CHECK_U(m->maps[3].type, MBPF_MAP_COUNTER);
    CHECK_U(m->maps[3].key_size, 0);
    CHECK_U(m->maps[3].value_size, 8);
    CHECK_U(m->maps[3].max_entries, 2);
    /* Bytecode is used in place, in the caller's (flash) buffer, aligned. */
    CHECK(pkg.bytecode > fixture_pkg &&
          pkg.bytecode + pkg.bytecode_len <= fixture_pkg + sizeof fixture_pkg);
    CHECK_U((uintptr_t)pkg.bytecode % 8, 0);
    CHECK(pkg.bytecode_len > 0);
    CHECK(pkg.debug == NULL);

    section("pkg: policies and keys");
    pol.trusted_keys = (const uint8_t(*)[32])k;
    pol.trusted_key_count = 2;
    memcpy(k[0], fixture_other_pub, 32);
    memcpy(k[1], fixture_pub, 32);
    CHECK_OK(mbpf_package_check(fixture_pkg, sizeof fixture_pkg, &pol, &pkg, &d));
    CHECK_I(pkg.key_index, 1);
    pol.trusted_key_count = 1; /* only the other key */
    CHECK_I(mbpf_package_check(fixture_pkg, sizeof fixture_pkg, &pol, &pkg, &d),
            MBPF_PKG_E_SIG_INVALID);
    pol.trusted_key_count = 0;
    pol.trusted_keys = NULL;
    CHECK_I(mbpf_package_check(fixture_pkg, sizeof fixture_pkg, &pol, &pkg, &d),
            MBPF_PKG_E_SIG_NO_KEYS);
    CHECK_OK(mbpf_package_check(fixture_pkg, sizeof fixture_pkg, NULL, &pkg, &d));
    CHECK_I(pkg.sig_status, MBPF_SIG_UNCHECKED);

    section("pkg: corrupted copies");
    pol.trusted_keys = (const uint8_t(*)[32])k;
    pol.trusted_key_count = 2;
    memcpy(copy, fixture_pkg, sizeof copy);
    CHECK_OK(mbpf_package_check(copy, sizeof copy, &pol, &pkg, &d));
    const mbpf_section_t *bc = mbpf_container_find(&pkg.container, MBPF_SEC_BYTECODE);
    const mbpf_section_t *sg = mbpf_container_find(&pkg.container, MBPF_SEC_SIG);
    CHECK(bc != NULL && sg != NULL);
    if (!bc || !sg) return;
    uint32_t bc_off = bc->offset, bc_index = (uint32_t)(bc - pkg.container.sections);
    uint32_t sig_off = sg->offset;

    /* One flipped bit in the bytecode: the section CRC catches it. */
    copy[bc_off + 5] ^= 0x10;
    CHECK_I(mbpf_package_check(copy, sizeof copy, &pol, &pkg, &d), MBPF_PKG_E_SECTION_CRC);
    CHECK(strncmp(d.msg, "container: section 1 (type 2): crc32", 36) == 0);
    /* The same edit with the CRCs redone: only Ed25519 can notice. */
    refresh_crcs(copy, sizeof copy, bc_index);
    CHECK_I(timed_check(copy, sizeof copy, &pol, &d), MBPF_PKG_E_SIG_INVALID);
    /* A flipped bit in the signature itself. */
    memcpy(copy, fixture_pkg, sizeof copy);
    copy[sig_off + 40] ^= 0x01;
    CHECK_I(mbpf_package_check(copy, sizeof copy, &pol, &pkg, &d), MBPF_PKG_E_SIG_INVALID);
    /* Truncated: the SIG section now runs past the end. */
    CHECK_I(mbpf_package_check(fixture_pkg, sizeof fixture_pkg - 100, &pol, &pkg, &d),
            MBPF_PKG_E_SECTION_BOUNDS);
    /* Bad magic. */
    memcpy(copy, fixture_pkg, sizeof copy);
    copy[0] ^= 0xFF;
    CHECK_I(mbpf_package_check(copy, sizeof copy, &pol, &pkg, &d), MBPF_PKG_E_MAGIC);
    /* Failure leaves no stale result behind. */
    CHECK(pkg.bytecode == NULL);
}

/* ---- mbpf_maps ----------------------------------------------------------- */

/* Sizes, allocates (through the platform, as the runtime will) and
 * initialises a map for one CPU. */
static int map_new(mbpf_map_t *m, const char *name, uint32_t type, uint32_t key_size,
                   uint32_t value_size, uint32_t max_entries, void **storage)
{
    mbpf_map_def_t def = {
        .type = type, .key_size = key_size, .value_size = value_size, .max_entries = max_entries};
    strncpy(def.name, name, sizeof def.name - 1);
    size_t size = 0;
    mbpf_diag_t d = {{0}};
    int rc = mbpf_map_storage_size(&def, 1, SIZE_MAX, &size, &d);
    if (rc != 0) {
        say("   %s: %s\n", name, d.msg);
        return rc;
    }
    *storage = plat->alloc(plat->user, size);
    if (!*storage) return MBPF_MAP_E_TOO_LARGE;
    say("   %s: %zu bytes of storage\n", name, size);
    rc = mbpf_map_init(m, &def, 1, *storage, size);
    mbpf_map_set_cpu_source(m, plat->cpu_id, plat->user);
    return rc;
}

uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_map_array(void)
{
    section("maps: array");
    mbpf_map_t m;
    void *st;
    CHECK_OK(map_new(&m, "arr", MBPF_MAP_ARRAY, 0, 8, 4, &st));
    uint8_t key[4] = {2, 0, 0, 0}, v[8], out[8];
    CHECK_OK(mbpf_map_lookup(&m, key, 4, out, 8));
    CHECK_U(le32(out) | le32(out + 4), 0); /* zeroed at init */
    for (int i = 0; i < 8; i++) v[i] = (uint8_t)(0x11 * (i + 1));
    CHECK_OK(mbpf_map_update(&m, key, 4, v, 8, MBPF_MAP_ANY));
    CHECK_OK(mbpf_map_lookup(&m, key, 4, out, 8));
    CHECK(memcmp(out, v, 8) == 0);
    uint64_t sum = 0;
    CHECK_OK(mbpf_map_lookup_sum(&m, key, 4, &sum));
    CHECK_U(sum, 0x8877665544332211ull);
    CHECK_I(mbpf_map_update(&m, key, 4, v, 8, MBPF_MAP_NOEXIST), MBPF_MAP_E_EXIST);
    CHECK_I(mbpf_map_lookup(&m, key, 3, out, 8), MBPF_MAP_E_KEY_SIZE);
    CHECK_I(mbpf_map_lookup(&m, key, 4, out, 7), MBPF_MAP_E_VALUE_SIZE);
    CHECK_I(mbpf_map_delete(&m, key, 4), MBPF_MAP_E_NOTSUP);
    key[0] = 4;
    CHECK_I(mbpf_map_lookup(&m, key, 4, out, 8), MBPF_MAP_E_INDEX);
    uint8_t next[4];
    CHECK_OK(mbpf_map_next_key(&m, NULL, 0, next, 4));
    CHECK_U(le32(next), 0);
    key[0] = 3;
    CHECK_I(mbpf_map_next_key(&m, key, 4, next, 4), MBPF_MAP_E_NOENT);
    CHECK_U(mbpf_map_count(&m), 4);
    plat->free(plat->user, st);
}

static void test_map_hash(void)
{
    section("maps: hash (keys and values at odd addresses)");
    mbpf_map_t m;
    void *st;
    CHECK_OK(map_new(&m, "hash", MBPF_MAP_HASH, 4, 4, 4, &st));
    /* Keys and values from Uint8Arrays can sit at any address. */
    _Alignas(4) uint8_t raw[32];
    uint8_t *key = raw + 1, *val = raw + 9, *out = raw + 17;
    for (uint32_t i = 1; i <= 4; i++) {
        put_le32(key, i * 1000);
        put_le32(val, i * 7);
        CHECK_OK(mbpf_map_update(&m, key, 4, val, 4, MBPF_MAP_NOEXIST));
    }
    put_le32(key, 5000);
    CHECK_I(mbpf_map_update(&m, key, 4, val, 4, MBPF_MAP_ANY), MBPF_MAP_E_FULL);
    CHECK_I(mbpf_map_update(&m, key, 4, val, 4, MBPF_MAP_EXIST), MBPF_MAP_E_NOENT);
    CHECK_I(mbpf_map_lookup(&m, key, 4, out, 4), MBPF_MAP_E_NOENT);
    put_le32(key, 3000);
    CHECK_OK(mbpf_map_lookup(&m, key, 4, out, 4));
    CHECK_U(le32(out), 21);
    CHECK_I(mbpf_map_update(&m, key, 4, val, 4, MBPF_MAP_NOEXIST), MBPF_MAP_E_EXIST);
    put_le32(val, 0xDEADBEEFu);
    CHECK_OK(mbpf_map_update(&m, key, 4, val, 4, MBPF_MAP_EXIST));
    CHECK_OK(mbpf_map_lookup(&m, key, 4, out, 4));
    CHECK_U(le32(out), 0xDEADBEEFu);
    put_le32(key, 2000);
    CHECK_OK(mbpf_map_delete(&m, key, 4));
    CHECK_I(mbpf_map_delete(&m, key, 4), MBPF_MAP_E_NOENT);
    CHECK_U(mbpf_map_count(&m), 3);

    /* Iteration returns each remaining key exactly once. */
    uint32_t seen = 0, n = 0;
    uint8_t *prev = NULL;
    uint8_t cur[4], prevbuf[4];
    while (n < 10 && mbpf_map_next_key(&m, prev, prev ? 4 : 0, cur, 4) == 0) {
        uint32_t k = le32(cur);
        if (k % 1000 == 0 && k >= 1000 && k <= 4000) seen |= 1u << (k / 1000);
        n++;
        memcpy(prevbuf, cur, 4);
        prev = prevbuf;
    }
    CHECK_U(n, 3);
    CHECK_U(seen, (1u << 1) | (1u << 3) | (1u << 4));
    /* The freed node is reusable. */
    put_le32(key, 5000);
    CHECK_OK(mbpf_map_update(&m, key, 4, val, 4, MBPF_MAP_NOEXIST));
    CHECK_U(mbpf_map_count(&m), 4);
    plat->free(plat->user, st);
}

static void test_map_lru(void)
{
    section("maps: LRU hash (second-chance eviction)");
    mbpf_map_t m;
    void *st;
    CHECK_OK(map_new(&m, "lru", MBPF_MAP_LRU_HASH, 4, 4, 2, &st));
    uint8_t k[4], v[4], out[4];
    for (uint32_t i = 1; i <= 2; i++) {
        put_le32(k, i);
        put_le32(v, i * 10);
        CHECK_OK(mbpf_map_update(&m, k, 4, v, 4, MBPF_MAP_ANY));
    }
    /* 1 is the least recently updated, but referenced: it gets a second
     * chance, so inserting 3 evicts 2. */
    put_le32(k, 1);
    CHECK_OK(mbpf_map_lookup(&m, k, 4, out, 4));
    put_le32(k, 3);
    put_le32(v, 30);
    CHECK_OK(mbpf_map_update(&m, k, 4, v, 4, MBPF_MAP_ANY));
    CHECK_U(mbpf_map_count(&m), 2);
    put_le32(k, 2);
    CHECK_I(mbpf_map_lookup(&m, k, 4, out, 4), MBPF_MAP_E_NOENT);
    put_le32(k, 1);
    CHECK_OK(mbpf_map_lookup(&m, k, 4, out, 4));
    CHECK_U(le32(out), 10);
    put_le32(k, 3);
    CHECK_OK(mbpf_map_lookup(&m, k, 4, out, 4));
    CHECK_U(le32(out), 30);
    /* Order is now 1 (least recent), 3, both marked by the lookups above:
     * each gets its second chance in turn, after which 1 is least recent
     * again and unmarked, so inserting 4 evicts 1. */
    put_le32(k, 4);
    CHECK_OK(mbpf_map_update(&m, k, 4, v, 4, MBPF_MAP_ANY));
    put_le32(k, 1);
    CHECK_I(mbpf_map_lookup(&m, k, 4, out, 4), MBPF_MAP_E_NOENT);
    put_le32(k, 3);
    CHECK_OK(mbpf_map_lookup(&m, k, 4, out, 4));
    plat->free(plat->user, st);
}

static void test_map_counter(void)
{
    section("maps: counter (64-bit, lock-striped on Armv7-M)");
    mbpf_map_t m;
    void *st;
    CHECK_OK(map_new(&m, "cnt", MBPF_MAP_COUNTER, 0, 8, 2, &st));
    uint64_t v = 0;
    CHECK_OK(mbpf_map_counter_add(&m, 0, 5, &v));
    CHECK_U(v, 5);
    CHECK_OK(mbpf_map_counter_add(&m, 0, UINT64_MAX, &v)); /* adding -1 */
    CHECK_U(v, 4);
    CHECK_OK(mbpf_map_counter_add(&m, 1, 0xFFFFFFFFu, &v));
    CHECK_OK(mbpf_map_counter_add(&m, 1, 1, &v)); /* carry into the high word */
    CHECK_U(v, 0x100000000ull);
    CHECK_OK(mbpf_map_counter_get(&m, 1, &v));
    CHECK_U(v, 0x100000000ull);
    uint8_t key[4] = {1, 0, 0, 0};
    uint64_t sum = 0;
    CHECK_OK(mbpf_map_lookup_sum(&m, key, 4, &sum));
    CHECK_U(sum, 0x100000000ull);
    CHECK_OK(mbpf_map_counter_reset(&m, 0, &v));
    CHECK_U(v, 4);
    CHECK_OK(mbpf_map_counter_get(&m, 0, &v));
    CHECK_U(v, 0);
    CHECK_I(mbpf_map_counter_add(&m, 2, 1, NULL), MBPF_MAP_E_INDEX);
    plat->free(plat->user, st);
}

struct ring_seen {
    uint32_t n;
    size_t len[4];
    uint8_t first[4];
};

static int ring_cb(void *ctx, const void *data, size_t len)
{
    struct ring_seen *s = ctx;
    if (s->n < 4) {
        s->len[s->n] = len;
        s->first[s->n] = len ? *(const uint8_t *)data : 0;
    }
    s->n++;
    return 0;
}

static void test_map_ringbuf(void)
{
    section("maps: ring buffer");
    mbpf_map_t m;
    void *st;
    CHECK_OK(map_new(&m, "ring", MBPF_MAP_RINGBUF, 0, 0, 64, &st));
    uint8_t rec[40];
    for (int i = 0; i < 40; i++) rec[i] = (uint8_t)(0xA0 + i);
    CHECK_OK(mbpf_map_ringbuf_output(&m, rec, 3));                       /* 8 + 8 bytes */
    CHECK_OK(mbpf_map_ringbuf_output(&m, rec + 1, 20));                  /* 8 + 24 bytes */
    CHECK_I(mbpf_map_ringbuf_output(&m, rec, 16), MBPF_MAP_E_RING_FULL); /* 24 > 16 left */
    mbpf_map_ringbuf_stats_t s;
    CHECK_OK(mbpf_map_ringbuf_stats(&m, &s));
    CHECK_U(s.written, 2);
    CHECK_U(s.dropped, 1);
    CHECK_U(s.pending, 48);
    CHECK_U(s.capacity, 64);
    struct ring_seen seen = {0};
    CHECK_I(mbpf_map_ringbuf_consume(&m, ring_cb, &seen, 0), 2);
    CHECK_U(seen.n, 2);
    CHECK_U(seen.len[0], 3);
    CHECK_U(seen.first[0], 0xA0);
    CHECK_U(seen.len[1], 20);
    CHECK_U(seen.first[1], 0xA1);
    /* At position 48 a 24-byte record does not fit before the end: a
     * padding record fills 48..64 and the record starts at 0. */
    CHECK_OK(mbpf_map_ringbuf_output(&m, rec + 2, 16));
    CHECK_OK(mbpf_map_ringbuf_stats(&m, &s));
    CHECK_U(s.pending, 16 + 24);
    memset(&seen, 0, sizeof seen);
    CHECK_I(mbpf_map_ringbuf_consume(&m, ring_cb, &seen, 0), 1);
    CHECK_U(seen.len[0], 16);
    CHECK_U(seen.first[0], 0xA2);
    CHECK_OK(mbpf_map_ringbuf_stats(&m, &s));
    CHECK_U(s.pending, 0);
    CHECK_U(s.written, 3);
    plat->free(plat->user, st);
}

static void lpm_key(uint8_t k[8], uint32_t prefix, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    put_le32(k, prefix);
    k[4] = a;
    k[5] = b;
    k[6] = c;
    k[7] = d;
}

static uint32_t lpm_get(mbpf_map_t *m, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    uint8_t k[8], out[4];
    lpm_key(k, 32, a, b, c, d);
    if (mbpf_map_lookup(m, k, 8, out, 4) != 0) return 0;
    return le32(out);
}

static void test_map_lpm(void)
{
    section("maps: LPM trie (IPv4 routes)");
    mbpf_map_t m;
    void *st;
    CHECK_OK(map_new(&m, "routes", MBPF_MAP_LPM_TRIE, 8, 4, 8, &st));
    static const struct {
        uint8_t prefix, a, b, c, d;
        uint32_t value;
    } routes[] = {
        {8, 10, 0, 0, 0, 1}, {16, 10, 1, 0, 0, 2}, {24, 10, 1, 2, 0, 3}, {0, 0, 0, 0, 0, 4}};
    uint8_t k[8], v[4];
    for (unsigned i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        lpm_key(k, routes[i].prefix, routes[i].a, routes[i].b, routes[i].c, routes[i].d);
        put_le32(v, routes[i].value);
        CHECK_OK(mbpf_map_update(&m, k, 8, v, 4, MBPF_MAP_NOEXIST));
    }
    CHECK_U(lpm_get(&m, 10, 1, 2, 3), 3);
    CHECK_U(lpm_get(&m, 10, 1, 9, 9), 2);
    CHECK_U(lpm_get(&m, 10, 9, 9, 9), 1);
    CHECK_U(lpm_get(&m, 192, 168, 1, 1), 4);
    /* Stored normalised: 10.1.2.99/24 is 10.1.2.0/24. */
    lpm_key(k, 24, 10, 1, 2, 99);
    CHECK_I(mbpf_map_update(&m, k, 8, v, 4, MBPF_MAP_NOEXIST), MBPF_MAP_E_EXIST);
    lpm_key(k, 16, 10, 1, 0, 0);
    CHECK_OK(mbpf_map_delete(&m, k, 8));
    CHECK_U(lpm_get(&m, 10, 1, 9, 9), 1);
    CHECK_U(lpm_get(&m, 10, 1, 2, 3), 3);
    lpm_key(k, 33, 10, 1, 0, 0);
    CHECK_I(mbpf_map_update(&m, k, 8, v, 4, MBPF_MAP_ANY), MBPF_MAP_E_PREFIX);
    CHECK_U(mbpf_map_count(&m), 3);
    plat->free(plat->user, st);
}

static void test_map_percpu(void)
{
    section("maps: per-CPU array on one CPU");
    mbpf_map_t m;
    void *st;
    CHECK_OK(map_new(&m, "pcpu", MBPF_MAP_PERCPU_ARRAY, 0, 4, 2, &st));
    uint8_t k[4] = {1, 0, 0, 0}, v[4], out[4];
    put_le32(v, 77);
    CHECK_OK(mbpf_map_update(&m, k, 4, v, 4, MBPF_MAP_ANY));
    CHECK_OK(mbpf_map_lookup_cpu(&m, 0, k, 4, out, 4));
    CHECK_U(le32(out), 77);
    CHECK_I(mbpf_map_lookup_cpu(&m, 1, k, 4, out, 4), MBPF_MAP_E_CPU);
    plat->free(plat->user, st);
}

int main(void)
{
    plat = platform_cm_init(__arena_start, (size_t)(__arena_end - __arena_start));
    say("microBPF runtime libraries self-test: Cortex-M4 (mps2-an386), %zu-bit size_t\n",
        sizeof(size_t) * 8);

    test_fmt();
    test_crc32();
    test_platform();
    test_package();
    /* Nothing is allocated now: start the peak over, for the maps alone. */
    platform_cm_reset();
    test_map_array();
    test_map_hash();
    test_map_lru();
    test_map_counter();
    test_map_ringbuf();
    test_map_lpm();
    test_map_percpu();
    platform_cm_stats_t s;
    platform_cm_stats(&s);
    CHECK_U(s.used, 0); /* every map's storage came back */
    size_t maps_peak = s.peak;

    platform_cm_reset();
    test_runtime();
    test_irq_counter();
    platform_cm_stats(&s);
    CHECK_U(s.used, 0); /* the runtimes returned everything */

    say("== resources\n   stack high-water %zu of %zu bytes; arena peak: maps %zu, runtime %zu of "
        "%zu bytes\n",
        startup_stack_used(), startup_stack_size(), maps_peak, s.peak, s.capacity);
    say("   sizeof: mbpf_package_t %zu, mbpf_manifest_t %zu, mbpf_map_t %zu\n",
        sizeof(mbpf_package_t), sizeof(mbpf_manifest_t), sizeof(mbpf_map_t));
    say("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
