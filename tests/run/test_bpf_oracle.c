/*
 * Tests of the classic-BPF oracle. Packet counts for each filter on the
 * python3-dpkt captures were computed independently with dpkt (parsing
 * Ethernet / PPPoE / IP / TCP / UDP headers in Python); libpcap's compiled
 * filters must decide the same number of packets. A hand-written C decision
 * is also compared with the oracle packet by packet, the way the NET_RX
 * demo test will compare a microBPF filter.
 */
#define _POSIX_C_SOURCE 200809L /* access */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bpf_oracle.h"
#include "pcap_input.h"

#define ERRCAP 512

static const char *dpkt_file(const char *name, char *buf, size_t cap)
{
    if (MBPF_DPKT_DIR[0] == '\0') {
        print_message("SKIP: python3-dpkt test captures not found at configure time\n");
        return NULL;
    }
    snprintf(buf, cap, "%s/%s", MBPF_DPKT_DIR, name);
    if (access(buf, R_OK) != 0) {
        print_message("SKIP: %s not readable\n", buf);
        return NULL;
    }
    return buf;
}

/* Number of packets of path the filter expr accepts (and the total). */
static uint64_t count_matches(const char *path, const char *expr, uint64_t *total)
{
    char err[ERRCAP];
    mbpf_pcap_in_t *in;
    mbpf_pcap_pkt_t pkt;
    mbpf_bpf_oracle_t *o;
    uint64_t n = 0;
    int rc;
    *total = 0;
    assert_int_equal(mbpf_pcap_open(path, &in, err, ERRCAP), 0);
    rc = mbpf_bpf_oracle_compile(expr, mbpf_pcap_linktype(in), mbpf_pcap_snaplen(in), &o, err,
                                 ERRCAP);
    if (rc != 0) fail_msg("%s", err);
    while ((rc = mbpf_pcap_next(in, &pkt, err, ERRCAP)) == 1) {
        n += (uint64_t)mbpf_bpf_oracle_match(o, pkt.data, pkt.caplen, pkt.origlen);
        (*total)++;
    }
    assert_int_equal(rc, 0);
    mbpf_bpf_oracle_free(o);
    mbpf_pcap_close(in);
    return n;
}

typedef struct expect {
    const char *expr;
    uint64_t count;
} expect_t;

static void check_counts(const char *file, uint64_t total, const expect_t *e, size_t n)
{
    char path[512];
    if (!dpkt_file(file, path, sizeof path)) skip();
    for (size_t i = 0; i < n; i++) {
        uint64_t t;
        uint64_t got = count_matches(path, e[i].expr, &t);
        if (got != e[i].count)
            fail_msg("%s: '%s': %llu, want %llu", file, e[i].expr, (unsigned long long)got,
                     (unsigned long long)e[i].count);
        assert_int_equal(t, total);
    }
}

static void test_oracle_counts_on_http_pcap(void **state)
{
    (void)state;
    static const expect_t e[] = {
        {"tcp port 80", 41},
        {"tcp dst port 80", 19},
        {"udp port 53", 2},
        {"tcp[tcpflags] & tcp-syn != 0", 2},
        {"", 43},
        {"ip6", 0},
        {"not tcp port 80", 2},
    };
    check_counts("http.pcap", 43, e, sizeof e / sizeof e[0]);
}

static void test_oracle_counts_on_dns_icmp_pcap(void **state)
{
    (void)state;
    static const expect_t e[] = {{"icmp", 22}, {"udp port 53", 10}, {"tcp", 0}, {"ip", 32}};
    check_counts("dns_icmp.pcap", 32, e, sizeof e / sizeof e[0]);
}

/* PPPoE session frames are invisible to "tcp port 80" unless the filter
 * says pppoes: the 10 plain-IPv4 packets are port 80, and so are 10 of the
 * 46 PPPoE ones. */
static void test_oracle_counts_on_nb6_pcap(void **state)
{
    (void)state;
    static const expect_t e[] = {
        {"tcp port 80", 10},
        {"arp", 6},
        {"pppoes", 46},
        {"pppoes and tcp port 80", 10},
        {"pppoes and udp port 1701", 19},
        {"ip", 10},
    };
    check_counts("nb6-http.pcap", 62, e, sizeof e / sizeof e[0]);
}

/* The committed data/vlan.pcap (see gen_vlan_pcap.py for each frame). */
static void test_oracle_counts_on_vlan_pcap(void **state)
{
    (void)state;
    static const expect_t e[] = {
        {"tcp port 80", 1},                   /* frame 1; 8 is cut before the ports */
        {"vlan and tcp port 80", 1},          /* frame 2 */
        {"vlan", 4},                          /* frames 2, 3, 5, 7 */
        {"vlan 200 and ip6", 1},              /* frame 3 */
        {"vlan and vlan and udp port 53", 1}, /* frame 5 */
        {"arp", 1},
        {"ip", 2}, /* frames 1 and 8 */
    };
    uint64_t t;
    for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
        uint64_t got = count_matches(MBPF_RUN_DATA_DIR "/vlan.pcap", e[i].expr, &t);
        if (got != e[i].count)
            fail_msg("'%s': %llu, want %llu", e[i].expr, (unsigned long long)got,
                     (unsigned long long)e[i].count);
        assert_int_equal(t, 8);
    }
}

/* An independent decision for "tcp port 80" over Ethernet/IPv4. */
static int hand_tcp_port_80(const uint8_t *d, uint32_t caplen)
{
    if (caplen < 14 || d[12] != 0x08 || d[13] != 0x00) return 0;
    if (caplen < 14 + 20) return 0;
    const uint8_t *ip = d + 14;
    uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
    if (ip[9] != 6) return 0;
    if ((ip[6] & 0x1f) != 0 || ip[7] != 0) return 0; /* later fragments */
    if (ihl > caplen - 14 || caplen - 14 - ihl < 4) return 0;
    const uint8_t *tcp = ip + ihl;
    unsigned sport = (unsigned)tcp[0] << 8 | tcp[1], dport = (unsigned)tcp[2] << 8 | tcp[3];
    return sport == 80 || dport == 80;
}

static void test_oracle_agrees_with_hand_filter_on_every_packet(void **state)
{
    (void)state;
    static const char *const files[] = {"http.pcap", "dns_icmp.pcap", "nb6-http.pcap"};
    char path[512], err[ERRCAP];
    uint64_t checked = 0;
    for (size_t f = 0; f < 3; f++) {
        mbpf_pcap_in_t *in;
        mbpf_pcap_pkt_t pkt;
        mbpf_bpf_oracle_t *o;
        if (!dpkt_file(files[f], path, sizeof path)) skip();
        assert_int_equal(mbpf_pcap_open(path, &in, err, ERRCAP), 0);
        assert_int_equal(
            mbpf_bpf_oracle_compile("tcp port 80", mbpf_pcap_linktype(in), 0, &o, err, ERRCAP), 0);
        assert_true(mbpf_bpf_oracle_insn_count(o) > 0);
        while (mbpf_pcap_next(in, &pkt, err, ERRCAP) == 1) {
            int want = hand_tcp_port_80(pkt.data, pkt.caplen);
            if (mbpf_bpf_oracle_match(o, pkt.data, pkt.caplen, pkt.origlen) != want)
                fail_msg("%s packet %llu: oracle disagrees", files[f],
                         (unsigned long long)pkt.index + 1);
            checked++;
        }
        mbpf_bpf_oracle_free(o);
        mbpf_pcap_close(in);
    }
    assert_int_equal(checked, 43 + 32 + 62);
}

static void test_oracle_rejects_reads_past_caplen(void **state)
{
    (void)state;
    char err[ERRCAP];
    mbpf_bpf_oracle_t *o;
    uint8_t f[14] = {0};
    f[12] = 0x08;
    assert_int_equal(mbpf_bpf_oracle_compile("ip", MBPF_DLT_EN10MB, 0, &o, err, ERRCAP), 0);
    assert_int_equal(mbpf_bpf_oracle_match(o, f, 14, 60), 1);
    assert_int_equal(mbpf_bpf_oracle_match(o, f, 13, 60), 0);
    mbpf_bpf_oracle_free(o);
    assert_int_equal(mbpf_bpf_oracle_compile("tcp port 80", MBPF_DLT_EN10MB, 0, &o, err, ERRCAP),
                     0);
    assert_int_equal(mbpf_bpf_oracle_match(o, f, 14, 60), 0);
    mbpf_bpf_oracle_free(o);
}

/* The message is "filter 'EXPR': " and libpcap's reason; the reason's
 * wording changes between libpcap versions, so only a key phrase of it is
 * checked. */
static void expect_compile_error(const char *expr, int linktype, const char *phrase)
{
    char err[ERRCAP], prefix[256];
    mbpf_bpf_oracle_t *o = (mbpf_bpf_oracle_t *)&o;
    assert_int_equal(mbpf_bpf_oracle_compile(expr, linktype, 0, &o, err, ERRCAP),
                     MBPF_ORACLE_EFAIL);
    assert_null(o);
    snprintf(prefix, sizeof prefix, "filter '%s': ", expr);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err + strlen(prefix), phrase))
        fail_msg("got '%s', want '%s...%s...'", err, prefix, phrase);
}

static void test_oracle_bad_expressions_fail_clearly(void **state)
{
    (void)state;
    /* libpcap 1.10.3: "filter 'tcp prot 80': can't parse filter expression:
     * syntax error" */
    expect_compile_error("tcp prot 80", MBPF_DLT_EN10MB, "syntax error");
    expect_compile_error("port 70000", MBPF_DLT_EN10MB, "70000 > 65535");
    expect_compile_error("ether host 02:00:00:00:00:01", MBPF_DLT_RAW, "ethernet address");
    expect_compile_error("tcp port 80 and", MBPF_DLT_EN10MB, "syntax error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_counts_on_http_pcap),
        cmocka_unit_test(test_oracle_counts_on_dns_icmp_pcap),
        cmocka_unit_test(test_oracle_counts_on_nb6_pcap),
        cmocka_unit_test(test_oracle_counts_on_vlan_pcap),
        cmocka_unit_test(test_oracle_agrees_with_hand_filter_on_every_packet),
        cmocka_unit_test(test_oracle_rejects_reads_past_caplen),
        cmocka_unit_test(test_oracle_bad_expressions_fail_clearly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
