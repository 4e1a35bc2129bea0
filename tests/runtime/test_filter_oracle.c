/*
 * The NET_RX filter example (examples/net_rx_filter) against libpcap's own
 * compiled classic-BPF filter for the same rule: on every packet of the
 * captures shipped with python3-dpkt and of a large set of mutated
 * packets (truncated, fragmented, odd header lengths, other protocols,
 * addresses around the blocked prefix), the program's verdict must equal
 * the oracle's decision. The program is the example file itself, compiled
 * by the ujs shell, with the example's own manifest, run by the runtime
 * with the interpreter-only engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_oracle.h"
#include "js_util.h"
#include "mbpf_ctx.h"
#include "mbpf_map.h"
#include "pcap_input.h"

#ifndef EXAMPLES_DIR
#error "EXAMPLES_DIR must name the examples directory"
#endif
#ifndef DPKT_DATA_DIR
#define DPKT_DATA_DIR "/usr/share/doc/python3-dpkt/examples/data"
#endif

#define NET_RX  MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)
#define DLT_ETH 1

/* The example's default rules, as a tcpdump expression. */
static const char rule[] = "ip and ip[0] & 0xf0 = 0x40 and ip[0] & 0x0f >= 5 and "
                           "(ip proto 1 or src net 216.239.32.0/19 or "
                           "((tcp or udp) and dst port 53))";

static mbpf_runtime_t *rt;
static mbpf_program_t *prog;
static mbpf_bpf_oracle_t *oracle;
static uint64_t compared, dropped;

static int setup(void **state)
{
    (void)state;
    mbpf_runtime_config_t cfg;
    tk_config(&cfg, tp_platform(1, 1, 0));
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
    prog = js_load_example(rt, EXAMPLES_DIR, "net_rx_filter", NET_RX);

    char err[256];
    if (mbpf_bpf_oracle_compile(rule, DLT_ETH, 0, &oracle, err, sizeof err) != 0)
        fail_msg("oracle: %s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mbpf_bpf_oracle_free(oracle);
    mbpf_runtime_shutdown(rt);
    return 0;
}

/* Runs one packet through both filters and fails on any difference. */
static void compare(const uint8_t *data, uint32_t caplen, uint32_t origlen, const char *what,
                    uint64_t index)
{
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, origlen, caplen, 0, 0, data, NULL};
    c.l2_proto = mbpf_pcap_l2_proto(DLT_ETH, data, caplen);
    if (caplen < origlen) c.flags = MBPF_CTX_F_TRUNCATED;
    int32_t verdict = -1;
    assert_int_equal(mbpf_run(rt, NET_RX, &c, sizeof c, &verdict), 0);
    int want = mbpf_bpf_oracle_match(oracle, data, caplen, origlen) ? MBPF_NET_DROP : MBPF_NET_PASS;
    if (verdict != want) {
        fprintf(stderr, "%s packet %llu (caplen %u): program %d, libpcap %d; bytes:", what,
                (unsigned long long)index, caplen, verdict, want);
        for (uint32_t i = 0; i < caplen && i < 64; i++) fprintf(stderr, " %02x", data[i]);
        fprintf(stderr, "\n");
    }
    assert_int_equal(verdict, want);
    compared++;
    dropped += verdict == MBPF_NET_DROP;
}

/* damaged: the file ends inside a record (the packets before it count). */
static void replay(const char *path, bool damaged, uint64_t *count)
{
    mbpf_pcap_in_t *in;
    char err[256];
    if (mbpf_pcap_open(path, &in, err, sizeof err) != 0) fail_msg("%s", err);
    assert_int_equal(mbpf_pcap_linktype(in), DLT_ETH);
    mbpf_pcap_pkt_t pkt;
    int r;
    while ((r = mbpf_pcap_next(in, &pkt, err, sizeof err)) == 1) {
        compare(pkt.data, pkt.caplen, pkt.origlen, path, pkt.index);
        ++*count;
    }
    if (damaged ? r != MBPF_PCAP_EFAIL : r != 0) fail_msg("%s: read status %d: %s", path, r, err);
    mbpf_pcap_close(in);
}

static void test_real_captures(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool damaged;
    } files[] = {{"http.pcap", false},
                 {"dns_icmp.pcap", false},
                 {"truncated_dns.pcap", false},
                 {"truncated_dns_2.pcap", true},
                 {"nb6-http.pcap", false}};
    uint64_t total = 0, before = dropped;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", DPKT_DATA_DIR, files[i].name);
        replay(path, files[i].damaged, &total);
    }
    /* http.pcap alone has 43 packets, 5 of them from 216.239.32.0/19 or DNS;
     * dns_icmp.pcap is mostly ICMP: both verdicts must occur */
    assert_true(total > 100);
    assert_true(dropped - before > 20);
    assert_true(dropped - before < total);
    mbpf_program_stats_t st;
    assert_int_equal(mbpf_program_stats(prog, &st), 0);
    assert_int_equal(st.successes, st.invocations); /* no packet made it fail */
}

/* xorshift64*: a fixed, portable sequence. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

/* An Ethernet + IPv4 + TCP/UDP/other packet with randomised fields that
 * matter to the rule; returns its full length. */
static uint32_t make_packet(uint8_t *p, uint32_t cap)
{
    memset(p, 0, cap);
    uint32_t ihl_words = rnd(8) == 0 ? rnd(16) : 5 + rnd(3); /* mostly valid, some odd */
    uint32_t l4 = 14 + ihl_words * 4;
    uint32_t len = l4 + 8 + rnd(40);
    if (len > cap) len = cap;
    p[12] = rnd(10) == 0 ? 0x86 : 0x08; /* mostly IPv4 */
    p[13] = rnd(10) == 0 ? 0xDD : 0x00;
    p[14] = (uint8_t)((rnd(12) == 0 ? rnd(16) : 4) << 4 | ihl_words);
    static const uint8_t protos[] = {1, 6, 17, 2, 47, 58, 132};
    p[23] = protos[rnd(sizeof protos)];
    if (rnd(6) == 0) { /* a fragment, sometimes with the MF bit only */
        uint32_t off = rnd(3) == 0 ? 0 : 1 + rnd(0x1fff);
        p[20] = (uint8_t)((rnd(2) ? 0x20 : 0) | off >> 8);
        p[21] = (uint8_t)off;
    }
    /* source: inside, at the edges of, or outside 216.239.32.0/19 */
    static const uint8_t srcs[][4] = {{216, 239, 32, 0},   {216, 239, 63, 255}, {216, 239, 31, 255},
                                      {216, 239, 64, 0},   {216, 238, 40, 1},   {10, 0, 0, 1},
                                      {145, 254, 160, 237}};
    memcpy(p + 26, srcs[rnd(sizeof srcs / sizeof srcs[0])], 4);
    if (rnd(4) == 0) p[29] = (uint8_t)rnd(256);
    /* ports: 53 as destination or source, others */
    static const uint16_t ports[] = {53, 80, 443, 5353, 0, 13568 /* 53 byte-swapped */};
    uint16_t dport = ports[rnd(sizeof ports / sizeof ports[0])];
    uint16_t sport = ports[rnd(sizeof ports / sizeof ports[0])];
    if (l4 + 4 <= cap) {
        p[l4] = (uint8_t)(sport >> 8);
        p[l4 + 1] = (uint8_t)sport;
        p[l4 + 2] = (uint8_t)(dport >> 8);
        p[l4 + 3] = (uint8_t)dport;
    }
    /* now and then, noise anywhere in the headers */
    for (uint32_t k = rnd(3) == 0 ? rnd(4) : 0; k > 0; k--)
        p[rnd(l4 + 4 < cap ? l4 + 4 : cap)] ^= (uint8_t)(1u << rnd(8));
    return len;
}

static void test_mutated_packets(void **state)
{
    (void)state;
    uint8_t pkt[128];
    uint64_t before = dropped;
    const uint32_t n = 30000;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = make_packet(pkt, sizeof pkt);
        /* a third are truncated at every possible point of the headers */
        uint32_t caplen = rnd(3) == 0 ? rnd(len + 1) : len;
        compare(pkt, caplen, len, "mutated", i);
    }
    assert_true(dropped - before > n / 10);
    assert_true(dropped - before < n - n / 10);
}

static void test_rules_are_maps_the_kernel_can_change(void **state)
{
    (void)state;
    /* unblock DNS from the host side: a DNS query now passes */
    mbpf_map_t *ports = mbpf_program_map(prog, "blocked_ports");
    assert_non_null(ports);
    uint8_t key[2] = {0, 53}, zero = 0;
    assert_int_equal(mbpf_map_update(ports, key, 2, &zero, 1, MBPF_MAP_EXIST), 0);
    uint8_t p[64];
    memset(p, 0, sizeof p);
    p[12] = 0x08;
    p[14] = 0x45;
    p[23] = 17;
    p[26] = 10;
    p[36] = 0;
    p[37] = 53;
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, sizeof p, sizeof p, 0x0800, 0, p, NULL};
    int32_t v;
    assert_int_equal(mbpf_run(rt, NET_RX, &c, sizeof c, &v), 0);
    assert_int_equal(v, MBPF_NET_PASS);
    /* the verdict counters add up */
    mbpf_map_t *verdicts = mbpf_program_map(prog, "verdicts");
    uint64_t passed, drops;
    assert_int_equal(mbpf_map_counter_get(verdicts, 0, &passed), 0);
    assert_int_equal(mbpf_map_counter_get(verdicts, 1, &drops), 0);
    assert_int_equal(drops, dropped);
    assert_int_equal(passed + drops, compared + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_captures),
        cmocka_unit_test(test_mutated_packets),
        cmocka_unit_test(test_rules_are_maps_the_kernel_can_change),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
