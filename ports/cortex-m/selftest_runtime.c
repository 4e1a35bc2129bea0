/*
 * The runtime with the real engine on the target: the interpreter-only
 * engine (ujs_kernel) under the runtime's ujs binding (mbpf_ujs), as a
 * kernel links them, loading signed packages whose bytecode the host
 * compiled (pkg_fixture.h; ports/cortex-m/programs). The bytecode was
 * produced on a 64-bit x86 host and runs here unchanged: every verdict,
 * counter and map value below is the one JavaScript semantics give.
 *
 * With `-icount shift=0` (ports/cortex-m/run) the platform clock advances
 * one nanosecond per instruction, so the time figures printed here are
 * instruction counts.
 */
#include <stdint.h>
#include <string.h>

#include "container.h"
#include "mbpf.h"
#include "mbpf_ctx.h"
#include "mbpf_map.h"
#include "pkg_fixture.h"
#include "platform_cm.h"
#include "selftest.h"
#include "startup.h"

#define NET_RX MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)

static mbpf_runtime_t *rt;

static int32_t run_pkt(const uint8_t *data, uint32_t len)
{
    mbpf_ctx_net_v1_t c = {.abi_version = MBPF_CTX_ABI_V1,
                           .ifindex = 1,
                           .pkt_len = len,
                           .data_len = len,
                           .l2_proto = 0,
                           .flags = 0,
                           .data = data,
                           .read_fn = NULL};
    int32_t rc = -99;
    if (mbpf_run(rt, NET_RX, &c, sizeof c, &rc) != 0) return -100;
    return rc;
}

static int32_t run_byte(uint8_t b)
{
    return run_pkt(&b, 1);
}

static mbpf_program_stats_t stats_of(const mbpf_program_t *p)
{
    mbpf_program_stats_t s;
    memset(&s, 0xEE, sizeof s);
    if (mbpf_program_stats(p, &s) != 0) say("   mbpf_program_stats failed\n");
    return s;
}

/* Loads pkg (in place: a package in flash) and attaches it to NET_RX. */
static mbpf_program_t *load_attach(const uint8_t *pkg, size_t len, uint32_t flags)
{
    mbpf_load_opts_t opts = {.flags = flags};
    mbpf_program_t *p = NULL;
    int rc = mbpf_program_load(rt, pkg, len, &opts, &p);
    CHECK_OK(rc);
    if (rc != 0) {
        say("   load: %s\n", mbpf_last_error(rt));
        return NULL;
    }
    CHECK_OK(mbpf_program_attach(rt, p, MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)));
    return p;
}

static void unload(mbpf_program_t *p)
{
    if (p) CHECK_OK(mbpf_program_unload(rt, p));
}

/* Instructions per event, averaged over n runs of one packet. */
static uint64_t insns_per_run(const uint8_t *data, uint32_t len, uint32_t n)
{
    uint64_t t0 = platform_cm_now_ns();
    for (uint32_t i = 0; i < n; i++) run_pkt(data, len);
    return (platform_cm_now_ns() - t0) / n;
}

static void test_trivial(void)
{
    section("runtime: trivial filter in a 2 KiB heap (bytecode from " FIXTURE_HOST ")");
    platform_cm_stats_t m0, m1;
    platform_cm_stats(&m0);
    uint64_t t0 = platform_cm_now_ns();
    const void *mark = startup_stack_mark();
    mbpf_program_t *p =
        load_attach(fixture_trivial_pkg, sizeof fixture_trivial_pkg, MBPF_LOAD_F_PKG_PERSISTENT);
    size_t load_stack = startup_stack_depth(mark);
    uint64_t load_ns = platform_cm_now_ns() - t0;
    if (!p) return;
    platform_cm_stats(&m1);
    say("   load (signature checked, bytecode verified in place) took %llu us, %zu bytes of "
        "stack; the program holds %zu bytes of RAM\n",
        (unsigned long long)(load_ns / 1000), load_stack, m1.used - m0.used);
    mbpf_program_info_t info;
    CHECK_OK(mbpf_program_info(p, &info));
    CHECK_S(info.name, "trivial");
    CHECK_U(info.heap_size, 2048);
    CHECK_I(info.sig_valid, 1);
    CHECK_I(info.sig_key_index, 0);

    static const uint8_t drop_me[] = {0xFF, 0x00, 0x01};
    static const uint8_t pass_me[] = {0xFE, 0xFF, 0xFF, 0xFF};
    CHECK_I(run_byte(0xFF), MBPF_NET_DROP);
    CHECK_I(run_byte(0x00), MBPF_NET_PASS);
    CHECK_I(run_byte(0x7F), MBPF_NET_PASS);
    CHECK_I(run_pkt(drop_me, sizeof drop_me), MBPF_NET_DROP);
    CHECK_I(run_pkt(pass_me, sizeof pass_me), MBPF_NET_PASS);
    /* An empty packet: readU8(0) throws RangeError, the safe default (DROP
     * in this runtime's configuration) is the verdict. */
    CHECK_I(run_pkt(pass_me, 0), MBPF_NET_DROP);
    mbpf_program_stats_t s = stats_of(p);
    CHECK_U(s.invocations, 6);
    CHECK_U(s.successes, 5);
    CHECK_U(s.exceptions, 1);

    /* The event path allocates nothing from the platform, and a program
     * that allocates nothing itself leaves the JS heap as it was. */
    platform_cm_stats_t a0, a1;
    platform_cm_stats(&a0);
    mbpf_heap_stats_t h0, hs;
    CHECK_OK(mbpf_program_heap_stats(p, 0, &h0));
    mark = startup_stack_mark();
    uint64_t per_drop = insns_per_run(drop_me, sizeof drop_me, 1000);
    size_t run_stack = startup_stack_depth(mark);
    uint64_t per_pass = insns_per_run(pass_me, sizeof pass_me, 1000);
    platform_cm_stats(&a1);
    CHECK_U(a1.used, a0.used);
    CHECK_U(a1.failed, a0.failed);
    s = stats_of(p);
    CHECK_U(s.invocations, 2006);
    CHECK_U(s.successes, 2005);
    say("   mbpf_run: %llu instructions per event (drop), %llu (pass), %zu bytes of stack\n",
        (unsigned long long)per_drop, (unsigned long long)per_pass, run_stack);

    CHECK_OK(mbpf_program_heap_stats(p, 0, &hs));
    CHECK_U(hs.gc_count, h0.gc_count);
    CHECK_U(hs.heap_used, h0.heap_used);
    CHECK_U(hs.heap_size, 2048);
    CHECK(hs.heap_peak <= hs.heap_size);
    CHECK(hs.heap_used <= hs.heap_peak);
    say("   heap: %lu of %lu bytes in use, peak %lu; value stack peak %lu; %lu collections\n",
        (unsigned long)hs.heap_used, (unsigned long)hs.heap_size, (unsigned long)hs.heap_peak,
        (unsigned long)hs.stack_peak, (unsigned long)hs.gc_count);
    CHECK_OK(mbpf_program_detach(rt, p, NET_RX));
    CHECK_I(run_byte(0xFF), MBPF_NET_PASS); /* nothing attached */
    unload(p);
}

static void test_spin(void)
{
    section("runtime: an infinite loop ends on the step budget");
    mbpf_program_t *p =
        load_attach(fixture_spin_pkg, sizeof fixture_spin_pkg, MBPF_LOAD_F_PKG_PERSISTENT);
    if (!p) return;
    uint64_t t0 = platform_cm_now_ns();
    CHECK_I(run_byte(0x00), MBPF_NET_DROP);
    uint64_t one = platform_cm_now_ns() - t0;
    CHECK_I(run_byte(0xFF), MBPF_NET_DROP);
    CHECK_I(run_byte(0x01), MBPF_NET_DROP);
    mbpf_program_stats_t s = stats_of(p);
    CHECK_U(s.invocations, 3);
    CHECK_U(s.budget_steps, 3);
    CHECK_U(s.successes, 0);
    CHECK_U(s.exceptions, 0);
    say("   one event of 1000 steps took %llu instructions\n", (unsigned long long)one);
    /* The instance is free again after each stop. */
    mbpf_heap_stats_t hs;
    CHECK_OK(mbpf_program_heap_stats(p, 0, &hs));
    unload(p);
}

static void test_throws(void)
{
    section("runtime: exceptions are counted, the instance stays usable");
    mbpf_program_t *p =
        load_attach(fixture_throws_pkg, sizeof fixture_throws_pkg, MBPF_LOAD_F_PKG_PERSISTENT);
    if (!p) return;
    static const uint8_t two[] = {2, 3};
    for (int i = 0; i < 50; i++) {               /* enough garbage for collections */
        CHECK_I(run_byte(1), MBPF_NET_DROP);     /* TypeError, message built by concatenation */
        CHECK_I(run_pkt(two, 2), MBPF_NET_DROP); /* RangeError: read past data_len */
    }
    mbpf_program_stats_t s = stats_of(p);
    CHECK_U(s.invocations, 100);
    CHECK_U(s.exceptions, 100);
    CHECK_U(s.successes, 0);
    mbpf_heap_stats_t hs;
    CHECK_OK(mbpf_program_heap_stats(p, 0, &hs));
    CHECK(hs.heap_peak <= hs.heap_size);
    say("   after 100 exceptions: heap peak %lu of %lu bytes, %lu collections\n",
        (unsigned long)hs.heap_peak, (unsigned long)hs.heap_size, (unsigned long)hs.gc_count);
    unload(p);
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 0x811c9dc5u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x01000193u;
    return h;
}

static uint32_t seen_count(mbpf_map_t *m, uint8_t key)
{
    uint8_t v[4];
    if (mbpf_map_lookup(m, &key, 1, v, 4) != 0) return 0;
    return le32(v);
}

static void test_count(void)
{
    section("runtime: a program updates a hash map; the host reads it back");
    /* Loaded without PKG_PERSISTENT: the bytecode is copied into RAM. */
    mbpf_program_t *p = load_attach(fixture_count_pkg, sizeof fixture_count_pkg, 0);
    if (!p) return;
    mbpf_map_t *seen = mbpf_program_map(p, "seen");
    mbpf_map_t *sums = mbpf_program_map(p, "sums");
    CHECK(seen != NULL && sums != NULL);
    if (!seen || !sums) return;
    static const uint8_t a[] = {7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static const uint8_t b[] = {9};
    static const uint8_t c[] = {7, 0x80, 0xFF};
    CHECK_I(run_pkt(a, 1), 1);
    CHECK_I(run_pkt(a, sizeof a), 2);
    CHECK_I(run_pkt(b, sizeof b), 1);
    CHECK_I(run_pkt(c, sizeof c), 3);
    CHECK_U(seen_count(seen, 7), 3);
    CHECK_U(seen_count(seen, 9), 1);
    uint8_t k = 8, v[4];
    CHECK_I(mbpf_map_lookup(seen, &k, 1, v, 4), MBPF_MAP_E_NOENT);
    CHECK_U(mbpf_map_count(seen), 2);
    /* FNV-1a with Math.imul and >>> 0, computed in double-based JS on a
     * soft-float core, equals the C uint32_t arithmetic. */
    uint8_t idx[4] = {1, 0, 0, 0};
    CHECK_OK(mbpf_map_lookup(sums, idx, 4, v, 4));
    CHECK_U(le32(v), fnv1a(c, sizeof c));
    CHECK_I(run_pkt(a, sizeof a), 4);
    CHECK_OK(mbpf_map_lookup(sums, idx, 4, v, 4));
    CHECK_U(le32(v), fnv1a(a, sizeof a));
    /* The host writes, the program sees it. */
    k = 5;
    put_le32(v, 100);
    CHECK_OK(mbpf_map_update(seen, &k, 1, v, 4, MBPF_MAP_NOEXIST));
    CHECK_I(run_byte(5), 101);
    CHECK_U(seen_count(seen, 5), 101);
    uint64_t per = insns_per_run(a, sizeof a, 200);
    CHECK_U(seen_count(seen, 7), 204);
    mbpf_program_stats_t s = stats_of(p);
    CHECK_U(s.invocations, 206);
    CHECK_U(s.successes, 206);
    say("   %llu instructions per event (16-byte packet: 2 lookups, 2 updates, checksum loop)\n",
        (unsigned long long)per);
    unload(p);
}

/* Ethernet + IPv4 (20-byte header, no options) from src, then 8 bytes of
 * a transport header to port dport. */
static void ip_packet(uint8_t pkt[42], uint16_t ethertype, uint8_t proto, const uint8_t src[4],
                      uint16_t dport)
{
    memset(pkt, 0, 42);
    pkt[12] = (uint8_t)(ethertype >> 8);
    pkt[13] = (uint8_t)ethertype;
    pkt[14] = 0x45;
    pkt[14 + 9] = proto;
    memcpy(pkt + 14 + 12, src, 4);
    pkt[14 + 20 + 2] = (uint8_t)(dport >> 8);
    pkt[14 + 20 + 3] = (uint8_t)dport;
}

static uint64_t counter(mbpf_map_t *m, uint32_t i)
{
    uint64_t v = UINT64_MAX;
    mbpf_map_counter_get(m, i, &v);
    return v;
}

static void test_net_rx_filter(void)
{
    section("runtime: examples/net_rx_filter (rules from mbpf_init and from the host)");
    mbpf_program_t *p = load_attach(fixture_pkg, sizeof fixture_pkg, MBPF_LOAD_F_PKG_PERSISTENT);
    if (!p) return;
    mbpf_map_t *ports = mbpf_program_map(p, "blocked_ports");
    mbpf_map_t *verdicts = mbpf_program_map(p, "verdicts");
    CHECK(ports != NULL && verdicts != NULL);
    if (!ports || !verdicts) return;
    /* mbpf_init blocked ICMP, 216.239.32.0/19 and port 53; the host adds
     * port 8080. */
    uint8_t port[2] = {8080 >> 8, 8080 & 0xFF}, one = 1;
    CHECK_OK(mbpf_map_update(ports, port, 2, &one, 1, MBPF_MAP_NOEXIST));
    port[0] = 0;
    port[1] = 53;
    CHECK_I(mbpf_map_update(ports, port, 2, &one, 1, MBPF_MAP_NOEXIST), MBPF_MAP_E_EXIST);

    static const uint8_t lan[4] = {10, 0, 0, 7}, google[4] = {216, 239, 40, 1};
    uint8_t pkt[42];
    ip_packet(pkt, 0x0800, 17, lan, 53);
    CHECK_I(run_pkt(pkt, sizeof pkt), MBPF_NET_DROP);
    ip_packet(pkt, 0x0800, 6, lan, 53);
    CHECK_I(run_pkt(pkt, sizeof pkt), MBPF_NET_DROP);
    ip_packet(pkt, 0x0800, 17, lan, 8080);
    CHECK_I(run_pkt(pkt, sizeof pkt), MBPF_NET_DROP);
    ip_packet(pkt, 0x0800, 1, lan, 0); /* ICMP */
    CHECK_I(run_pkt(pkt, sizeof pkt), MBPF_NET_DROP);
    ip_packet(pkt, 0x0800, 17, google, 80);
    CHECK_I(run_pkt(pkt, sizeof pkt), MBPF_NET_DROP);
    ip_packet(pkt, 0x0800, 17, lan, 80);
    CHECK_I(run_pkt(pkt, sizeof pkt), MBPF_NET_PASS);
    ip_packet(pkt, 0x0806, 17, lan, 53); /* ARP */
    CHECK_I(run_pkt(pkt, sizeof pkt), MBPF_NET_PASS);
    ip_packet(pkt, 0x0800, 17, lan, 53);
    CHECK_I(run_pkt(pkt, 30), MBPF_NET_PASS); /* truncated before the source address */
    CHECK_U(counter(verdicts, 0), 3);
    CHECK_U(counter(verdicts, 1), 5);

    uint64_t per_drop = insns_per_run(pkt, sizeof pkt, 100);
    ip_packet(pkt, 0x0800, 17, lan, 80);
    uint64_t per_pass = insns_per_run(pkt, sizeof pkt, 100);
    CHECK_U(counter(verdicts, 0), 103);
    CHECK_U(counter(verdicts, 1), 105);
    mbpf_program_stats_t s = stats_of(p);
    CHECK_U(s.invocations, 208);
    CHECK_U(s.successes, 208);
    mbpf_heap_stats_t hs;
    CHECK_OK(mbpf_program_heap_stats(p, 0, &hs));
    say("   %llu instructions per UDP packet to a blocked port, %llu per one that passes all "
        "rules; heap peak %lu of %lu bytes\n",
        (unsigned long long)per_drop, (unsigned long long)per_pass, (unsigned long)hs.heap_peak,
        (unsigned long)hs.heap_size);
    unload(p);
}

static _Alignas(8) uint8_t tampered[sizeof fixture_trivial_pkg];

static int load_code(const void *pkg, size_t len)
{
    mbpf_program_t *p = (mbpf_program_t *)&p;
    int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
    if (rc == 0) mbpf_program_unload(rt, p);
    CHECK(rc == 0 || p == NULL);
    return rc;
}

static void test_signatures(void)
{
    section("runtime: signature policy");
    CHECK_OK(load_code(fixture_trivial_pkg, sizeof fixture_trivial_pkg));
    CHECK_I(load_code(fixture_trivial_unsigned_pkg, sizeof fixture_trivial_unsigned_pkg),
            MBPF_E_SIG_REQUIRED);
    /* A bytecode byte changed, CRCs left alone: the CRC check stops it. */
    memcpy(tampered, fixture_trivial_pkg, sizeof tampered);
    mbpf_container_t c;
    CHECK_OK(mbpf_container_parse(tampered, sizeof tampered, &c, NULL));
    const mbpf_section_t *bc = mbpf_container_find(&c, MBPF_SEC_BYTECODE);
    CHECK(bc != NULL);
    if (!bc) return;
    uint32_t bc_index = (uint32_t)(bc - c.sections);
    tampered[bc->offset + 8] ^= 0x01;
    CHECK_I(load_code(tampered, sizeof tampered), MBPF_E_PKG_CRC);
    /* The same edit with the CRCs redone: only the signature notices. */
    refresh_crcs(tampered, sizeof tampered, bc_index);
    CHECK_I(load_code(tampered, sizeof tampered), MBPF_E_SIG_INVALID);
    CHECK(strstr(mbpf_last_error(rt), "signature") != NULL);
    say("   tampered: %s\n", mbpf_last_error(rt));
}

void test_runtime(void)
{
    mbpf_runtime_config_t cfg;
    mbpf_runtime_config_init(&cfg, plat);
    cfg.policy.trusted_keys = &fixture_pub;
    cfg.policy.trusted_key_count = 1;
    cfg.policy.require_signature = 1;
    cfg.policy.max_heap_size = 16384;
    cfg.safe_default[MBPF_HOOK_NET_RX] = MBPF_NET_DROP; /* fail closed */
    section("runtime: init (trusted key, signatures required, NET_RX fails closed)");
    platform_cm_stats_t a0, a1;
    platform_cm_stats(&a0);
    rt = mbpf_runtime_init(&cfg);
    CHECK(rt != NULL);
    if (!rt) return;
    platform_cm_stats(&a1);
    say("   runtime: %zu bytes from the platform\n", a1.used - a0.used);

    test_trivial();
    test_spin();
    test_throws();
    test_count();
    test_net_rx_filter();
    test_signatures();

    mbpf_runtime_shutdown(rt);
    rt = NULL;
    platform_cm_stats(&a1);
    CHECK_U(a1.used, a0.used); /* every block came back */
}
