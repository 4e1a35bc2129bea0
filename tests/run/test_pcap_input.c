/*
 * Tests of pcap reading and of the NET_RX fields derived from each record.
 * Expected figures for the python3-dpkt captures were computed with dpkt
 * (dpkt.pcap.Reader plus a struct-level walk of the record headers), not
 * with libpcap, so the two implementations check each other.
 */
#define _POSIX_C_SOURCE 200809L /* access, unlink */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pcap_input.h"
#include "pcap_writer.h"

#define ERRCAP 512

/* Path of a dpkt capture, or NULL (and a skip) when python3-dpkt is absent. */
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

typedef struct totals {
    uint64_t count;
    uint64_t caplen_sum;
    uint64_t origlen_sum;
    uint64_t first_ts, last_ts;
    uint32_t max_caplen;
    uint64_t proto_ipv4, proto_ipv6, proto_arp, proto_pppoe_sess, proto_other;
    int linktype;
    uint32_t snaplen;
} totals_t;

/* Reads a whole file; returns the final status (0 or EFAIL). */
static int read_all(const char *path, totals_t *t, char *err)
{
    mbpf_pcap_in_t *in;
    mbpf_pcap_pkt_t pkt;
    int rc;
    memset(t, 0, sizeof *t);
    assert_int_equal(mbpf_pcap_open(path, &in, err, ERRCAP), MBPF_PCAP_OK);
    t->linktype = mbpf_pcap_linktype(in);
    t->snaplen = mbpf_pcap_snaplen(in);
    while ((rc = mbpf_pcap_next(in, &pkt, err, ERRCAP)) == 1) {
        mbpf_pcap_net_t net;
        assert_int_equal(pkt.index, t->count);
        assert_int_equal(pkt.linktype, t->linktype);
        assert_non_null(pkt.data);
        if (t->count == 0) t->first_ts = pkt.ts_ns;
        t->last_ts = pkt.ts_ns;
        t->count++;
        t->caplen_sum += pkt.caplen;
        t->origlen_sum += pkt.origlen;
        if (pkt.caplen > t->max_caplen) t->max_caplen = pkt.caplen;
        mbpf_pcap_net_info(&pkt, &net);
        assert_int_equal(net.data_len, pkt.caplen);
        assert_int_equal(net.pkt_len, pkt.origlen);
        switch (net.l2_proto) {
        case 0x0800: t->proto_ipv4++; break;
        case 0x86DD: t->proto_ipv6++; break;
        case 0x0806: t->proto_arp++; break;
        case 0x8864: t->proto_pppoe_sess++; break;
        default: t->proto_other++; break;
        }
    }
    mbpf_pcap_close(in);
    return rc;
}

static void test_pcap_http_counts_lengths_and_timestamps(void **state)
{
    (void)state;
    char path[512], err[ERRCAP];
    totals_t t;
    if (!dpkt_file("http.pcap", path, sizeof path)) skip();
    assert_int_equal(read_all(path, &t, err), 0);
    assert_int_equal(t.count, 43);
    assert_int_equal(t.caplen_sum, 25091);
    assert_int_equal(t.origlen_sum, 25091);
    assert_int_equal(t.max_caplen, 1484);
    assert_int_equal(t.linktype, MBPF_DLT_EN10MB);
    assert_int_equal(t.snaplen, 65535);
    assert_int_equal(t.first_ts, 1084443427311224000ull);
    assert_int_equal(t.last_ts, 1084443457704928000ull);
    assert_int_equal(t.proto_ipv4, 43);
    assert_int_equal(t.proto_other + t.proto_arp + t.proto_ipv6, 0);
}

static void test_pcap_dns_icmp_counts_and_lengths(void **state)
{
    (void)state;
    char path[512], err[ERRCAP];
    totals_t t;
    if (!dpkt_file("dns_icmp.pcap", path, sizeof path)) skip();
    assert_int_equal(read_all(path, &t, err), 0);
    assert_int_equal(t.count, 32);
    assert_int_equal(t.caplen_sum, 3100);
    assert_int_equal(t.origlen_sum, 3100);
    assert_int_equal(t.max_caplen, 124);
    assert_int_equal(t.snaplen, 262144);
    assert_int_equal(t.first_ts, 1369953917270862000ull);
    assert_int_equal(t.last_ts, 1369953930408495000ull);
    assert_int_equal(t.proto_ipv4, 32);
}

static void test_pcap_nb6_l2_proto_mix(void **state)
{
    (void)state;
    char path[512], err[ERRCAP];
    totals_t t;
    if (!dpkt_file("nb6-http.pcap", path, sizeof path)) skip();
    assert_int_equal(read_all(path, &t, err), 0);
    assert_int_equal(t.count, 62);
    assert_int_equal(t.caplen_sum, 7793);
    assert_int_equal(t.origlen_sum, 7793);
    assert_int_equal(t.snaplen, 32767);
    assert_int_equal(t.proto_pppoe_sess, 46);
    assert_int_equal(t.proto_ipv4, 10);
    assert_int_equal(t.proto_arp, 6);
    assert_int_equal(t.proto_other + t.proto_ipv6, 0);
}

static void test_pcap_truncated_record_gives_pkt_len_above_data_len(void **state)
{
    (void)state;
    char path[512], err[ERRCAP];
    mbpf_pcap_in_t *in;
    mbpf_pcap_pkt_t pkt;
    mbpf_pcap_net_t net;
    if (!dpkt_file("truncated_dns.pcap", path, sizeof path)) skip();
    assert_int_equal(mbpf_pcap_open(path, &in, err, ERRCAP), 0);
    assert_int_equal(mbpf_pcap_next(in, &pkt, err, ERRCAP), 1);
    mbpf_pcap_net_info(&pkt, &net);
    assert_int_equal(net.data_len, 200);
    assert_int_equal(net.pkt_len, 238);
    assert_int_equal(net.l2_proto, 0x0800);
    assert_int_equal(mbpf_pcap_next(in, &pkt, err, ERRCAP), 0);
    assert_int_equal(mbpf_pcap_next(in, &pkt, err, ERRCAP), 0);
    mbpf_pcap_close(in);
}

static void test_pcap_damaged_tail_reports_packet_number(void **state)
{
    (void)state;
    char path[512], err[ERRCAP], want[1024];
    totals_t t;
    /* One good record (caplen 200 of 282) and 7 stray bytes. */
    if (!dpkt_file("truncated_dns_2.pcap", path, sizeof path)) skip();
    assert_int_equal(read_all(path, &t, err), MBPF_PCAP_EFAIL);
    assert_int_equal(t.count, 1);
    assert_int_equal(t.caplen_sum, 200);
    assert_int_equal(t.origlen_sum, 282);
    snprintf(want, sizeof want,
             "%s: packet 2: truncated dump file; tried to read 16 header bytes, only got 7", path);
    assert_string_equal(err, want);
}

/* The committed capture written by data/gen_vlan_pcap.py. */
static void test_pcap_vlan_capture_l2_proto_per_packet(void **state)
{
    (void)state;
    static const struct {
        uint32_t caplen, origlen;
        uint16_t l2_proto;
    } want[] = {
        {54, 54, 0x0800}, /* IPv4 */
        {58, 58, 0x0800}, /* 802.1Q, IPv4 inside */
        {78, 78, 0x86DD}, /* 802.1Q, IPv6 inside */
        {42, 42, 0x0806}, /* ARP */
        {62, 62, 0x8100}, /* 802.1ad then 802.1Q: one tag is stripped */
        {52, 52, 0x0000}, /* 802.3 length field */
        {16, 58, 0x8100}, /* ends inside the tag */
        {30, 54, 0x0800}, /* cut after the IP header start */
    };
    char err[ERRCAP];
    mbpf_pcap_in_t *in;
    mbpf_pcap_pkt_t pkt;
    size_t n = 0;
    int rc;
    assert_int_equal(mbpf_pcap_open(MBPF_RUN_DATA_DIR "/vlan.pcap", &in, err, ERRCAP), 0);
    while ((rc = mbpf_pcap_next(in, &pkt, err, ERRCAP)) == 1) {
        mbpf_pcap_net_t net;
        assert_true(n < sizeof want / sizeof want[0]);
        mbpf_pcap_net_info(&pkt, &net);
        assert_int_equal(pkt.ts_ns, (1700000000ull + n) * 1000000000ull + n * 1000000ull);
        assert_int_equal(net.data_len, want[n].caplen);
        assert_int_equal(net.pkt_len, want[n].origlen);
        assert_int_equal(net.l2_proto, want[n].l2_proto);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, sizeof want / sizeof want[0]);
    mbpf_pcap_close(in);
}

/* ---- files written by the test's own writer ---- */

static const uint8_t frame_vlan_v6[] = {
    0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x81, 0x00, 0x20, 0x07, 0x86, 0xdd, 0x60, 0, 0, 0,
};
static const uint8_t frame_ipv4_raw[] = {0x45, 0, 0,  20, 0, 1, 0,  0, 64, 17,
                                         0,    0, 10, 0,  0, 1, 10, 0, 0,  2};

static void check_two_records(const char *path, int linktype, uint64_t ts0, uint64_t ts1)
{
    char err[ERRCAP];
    mbpf_pcap_in_t *in;
    mbpf_pcap_pkt_t pkt;
    mbpf_pcap_net_t net;
    assert_int_equal(mbpf_pcap_open(path, &in, err, ERRCAP), 0);
    assert_int_equal(mbpf_pcap_linktype(in), linktype);
    assert_int_equal(mbpf_pcap_next(in, &pkt, err, ERRCAP), 1);
    assert_int_equal(pkt.ts_ns, ts0);
    assert_int_equal(pkt.caplen, sizeof frame_vlan_v6);
    assert_int_equal(pkt.origlen, 100);
    assert_memory_equal(pkt.data, frame_vlan_v6, sizeof frame_vlan_v6);
    mbpf_pcap_net_info(&pkt, &net);
    assert_int_equal(net.l2_proto, linktype == MBPF_DLT_EN10MB ? 0x86DD : 0);
    assert_int_equal(net.pkt_len, 100);
    assert_int_equal(mbpf_pcap_next(in, &pkt, err, ERRCAP), 1);
    assert_int_equal(pkt.index, 1);
    assert_int_equal(pkt.ts_ns, ts1);
    assert_int_equal(pkt.caplen, sizeof frame_ipv4_raw);
    assert_memory_equal(pkt.data, frame_ipv4_raw, sizeof frame_ipv4_raw);
    assert_int_equal(mbpf_pcap_next(in, &pkt, err, ERRCAP), 0);
    mbpf_pcap_close(in);
}

static void test_pcap_reads_both_byte_orders_and_nanosecond_files(void **state)
{
    (void)state;
    char path[256];
    tw_rec_t recs[] = {
        {7, 999999, sizeof frame_vlan_v6, 100, frame_vlan_v6},
        {8, 1, sizeof frame_ipv4_raw, sizeof frame_ipv4_raw, frame_ipv4_raw},
    };
    tw_temp_path(path, sizeof path);
    assert_int_equal(tw_write_pcap(path, 1, 0, 1, 65535, recs, 2), 0);
    check_two_records(path, MBPF_DLT_EN10MB, 7999999000ull, 8000001000ull);
    assert_int_equal(tw_write_pcap(path, 0, 0, 1, 65535, recs, 2), 0);
    check_two_records(path, MBPF_DLT_EN10MB, 7999999000ull, 8000001000ull);
    recs[0].frac = 999999999;
    assert_int_equal(tw_write_pcap(path, 1, 1, 1, 65535, recs, 2), 0);
    check_two_records(path, MBPF_DLT_EN10MB, 7999999999ull, 8000000001ull);
    unlink(path);
}

static void test_pcap_reads_pcapng(void **state)
{
    (void)state;
    char path[256];
    tw_rec_t recs[] = {
        {7, 999999, sizeof frame_vlan_v6, 100, frame_vlan_v6},
        {4000000000u, 1, sizeof frame_ipv4_raw, sizeof frame_ipv4_raw, frame_ipv4_raw},
    };
    tw_temp_path(path, sizeof path);
    assert_int_equal(tw_write_pcapng(path, 1, recs, 2), 0);
    check_two_records(path, MBPF_DLT_EN10MB, 7999999000ull, 4000000000000001000ull);
    unlink(path);
}

static void test_pcap_linktype_raw_maps_to_dlt_raw(void **state)
{
    (void)state;
    char path[256], err[ERRCAP];
    mbpf_pcap_in_t *in;
    mbpf_pcap_pkt_t pkt;
    mbpf_pcap_net_t net;
    tw_rec_t rec = {1, 0, sizeof frame_ipv4_raw, sizeof frame_ipv4_raw, frame_ipv4_raw};
    tw_temp_path(path, sizeof path);
    assert_int_equal(tw_write_pcap(path, 0, 0, 101 /* LINKTYPE_RAW */, 65535, &rec, 1), 0);
    assert_int_equal(mbpf_pcap_open(path, &in, err, ERRCAP), 0);
    assert_int_equal(mbpf_pcap_linktype(in), MBPF_DLT_RAW);
    assert_int_equal(mbpf_pcap_next(in, &pkt, err, ERRCAP), 1);
    mbpf_pcap_net_info(&pkt, &net);
    assert_int_equal(net.l2_proto, 0x0800);
    mbpf_pcap_close(in);
    unlink(path);
}

/* A record claiming fewer wire bytes than it holds: pkt_len is raised so
 * that data_len <= pkt_len always holds for the context. */
static void test_pcap_origlen_below_caplen_is_raised(void **state)
{
    (void)state;
    mbpf_pcap_pkt_t pkt = {0, 0, 20, 10, MBPF_DLT_RAW, frame_ipv4_raw};
    mbpf_pcap_net_t net;
    mbpf_pcap_net_info(&pkt, &net);
    assert_int_equal(net.pkt_len, 20);
    assert_int_equal(net.data_len, 20);
    assert_int_equal(net.l2_proto, 0x0800);
}

/* ---- errors ---- */

static void expect_open_error(const char *path, const char *suffix)
{
    char err[ERRCAP], want[1024];
    mbpf_pcap_in_t *in = (mbpf_pcap_in_t *)&in;
    assert_int_equal(mbpf_pcap_open(path, &in, err, ERRCAP), MBPF_PCAP_EFAIL);
    assert_null(in);
    snprintf(want, sizeof want, "%s: %s", path, suffix);
    assert_string_equal(err, want);
}

static void test_pcap_open_errors_name_the_file(void **state)
{
    (void)state;
    char path[256];
    expect_open_error("/nonexistent/cap.pcap", "No such file or directory");
    expect_open_error("/", "Is a directory");

    tw_temp_path(path, sizeof path);
    expect_open_error(path, "not a pcap file: truncated dump file; tried to read 4 file header "
                            "bytes, only got 0");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("tracepoint id=1\n# not a capture at all\n", f);
    fclose(f);
    expect_open_error(path, "not a pcap file: unknown file format");
    unlink(path);
}

/* ---- l2_proto decoding ---- */

static void test_l2_proto_ethernet_and_vlan(void **state)
{
    (void)state;
    uint8_t f[20] = {0};
    f[12] = 0x08, f[13] = 0x00;
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 14), 0x0800);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 13), 0);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, NULL, 14), 0);
    f[12] = 0x05, f[13] = 0xdc; /* 1500: an 802.3 length */
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 20), 0);
    f[12] = 0x06, f[13] = 0x00; /* 0x0600: the first EtherType */
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 20), 0x0600);
    f[12] = 0x81, f[13] = 0x00, f[16] = 0x86, f[17] = 0xdd;
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 18), 0x86DD);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 17), 0x8100);
    f[12] = 0x88, f[13] = 0xa8;
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 18), 0x86DD);
    f[16] = 0x00, f[17] = 0x2e; /* tag followed by an 802.3 length */
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_EN10MB, f, 18), 0);
}

static void test_l2_proto_ip_and_cooked_link_types(void **state)
{
    (void)state;
    uint8_t v4[1] = {0x45}, v6[1] = {0x60}, bad[1] = {0x50};
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_RAW, v4, 1), 0x0800);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_RAW, v6, 1), 0x86DD);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_RAW, bad, 1), 0);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_RAW, v4, 0), 0);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_IPV4, v6, 0), 0x0800);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_IPV6, v4, 0), 0x86DD);

    uint8_t null_le[4] = {2, 0, 0, 0}, null_be[4] = {0, 0, 0, 30}, null_x[4] = {0, 0, 0, 7};
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_NULL, null_le, 4), 0x0800);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_NULL, null_be, 4), 0x86DD);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_NULL, null_x, 4), 0);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_NULL, null_le, 3), 0);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_LOOP, null_be, 4), 0x86DD);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_LOOP, null_le, 4), 0);

    uint8_t sll[16] = {0};
    sll[14] = 0x08, sll[15] = 0x06;
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_LINUX_SLL, sll, 16), 0x0806);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_LINUX_SLL, sll, 15), 0);
    sll[14] = 0x00, sll[15] = 0x04; /* ETH_P_802_2 pseudo-protocol */
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_LINUX_SLL, sll, 16), 0);
    uint8_t sll2[2] = {0x86, 0xdd};
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_LINUX_SLL2, sll2, 2), 0x86DD);
    assert_int_equal(mbpf_pcap_l2_proto(MBPF_DLT_LINUX_SLL2, sll2, 1), 0);
    assert_int_equal(mbpf_pcap_l2_proto(147 /* DLT_USER0 */, sll2, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pcap_http_counts_lengths_and_timestamps),
        cmocka_unit_test(test_pcap_dns_icmp_counts_and_lengths),
        cmocka_unit_test(test_pcap_nb6_l2_proto_mix),
        cmocka_unit_test(test_pcap_truncated_record_gives_pkt_len_above_data_len),
        cmocka_unit_test(test_pcap_damaged_tail_reports_packet_number),
        cmocka_unit_test(test_pcap_vlan_capture_l2_proto_per_packet),
        cmocka_unit_test(test_pcap_reads_both_byte_orders_and_nanosecond_files),
        cmocka_unit_test(test_pcap_reads_pcapng),
        cmocka_unit_test(test_pcap_linktype_raw_maps_to_dlt_raw),
        cmocka_unit_test(test_pcap_origlen_below_caplen_is_raised),
        cmocka_unit_test(test_pcap_open_errors_name_the_file),
        cmocka_unit_test(test_l2_proto_ethernet_and_vlan),
        cmocka_unit_test(test_l2_proto_ip_and_cooked_link_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
