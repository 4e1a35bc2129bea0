/*
 * pcap / pcapng reading for `mbpf run`, a thin layer over libpcap's offline
 * API. libpcap owns the file format (both byte orders, micro- and
 * nanosecond variants, pcapng); this file adds the project's error
 * messages and the link-layer decoding a NET_RX context needs. The
 * l2_proto decoding never reads past caplen: every field access is guarded
 * by a length check written as `caplen < off + n` with small constants.
 */
#define _DEFAULT_SOURCE /* fileno, and the BSD types pcap.h uses */
#include "pcap_input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "run_err.h"

struct mbpf_pcap_in {
    pcap_t *pcap;
    uint64_t next_index;
    char path[]; /* for messages */
};

int mbpf_pcap_open(const char *path, mbpf_pcap_in_t **out, char *err, size_t errcap)
{
    char pcap_err[PCAP_ERRBUF_SIZE];
    struct stat st;
    mbpf_pcap_in_t *in = NULL;
    FILE *f = NULL;

    *out = NULL;
    f = fopen(path, "rb");
    if (!f) {
        mbpf_run_err(err, errcap, "%s: %s", path, strerror(errno));
        return MBPF_PCAP_EFAIL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        mbpf_run_err(err, errcap, "%s: %s", path, strerror(EISDIR));
        goto fail;
    }
    size_t plen = strlen(path);
    in = plen < SIZE_MAX - sizeof *in ? calloc(1, sizeof *in + plen + 1) : NULL;
    if (!in) {
        mbpf_run_err(err, errcap, "%s: out of memory", path);
        goto fail;
    }
    pcap_err[0] = '\0';
    in->pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
    if (!in->pcap) {
        /* libpcap leaves the FILE open when it rejects it. */
        mbpf_run_err(err, errcap, "%s: not a pcap file: %s", path, pcap_err);
        goto fail;
    }
    memcpy(in->path, path, plen + 1);
    *out = in;
    return MBPF_PCAP_OK;

fail:
    free(in);
    fclose(f);
    return MBPF_PCAP_EFAIL;
}

int mbpf_pcap_next(mbpf_pcap_in_t *in, mbpf_pcap_pkt_t *pkt, char *err, size_t errcap)
{
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc = pcap_next_ex(in->pcap, &hdr, &data);

    if (rc == PCAP_ERROR_BREAK) return 0; /* end of file */
    if (rc != 1) {
        mbpf_run_err(err, errcap, "%s: packet %llu: %s", in->path,
                     (unsigned long long)in->next_index + 1, pcap_geterr(in->pcap));
        return MBPF_PCAP_EFAIL;
    }
    /* Files store unsigned 32-bit seconds, so tv_sec fits and the product
     * stays below 2^63; the checks keep that true for any libpcap. */
    uint64_t sec = hdr->ts.tv_sec < 0 ? 0 : (uint64_t)hdr->ts.tv_sec;
    uint64_t frac = hdr->ts.tv_usec < 0 ? 0 : (uint64_t)hdr->ts.tv_usec; /* ns: see open */
    if (sec > (UINT64_MAX - frac) / 1000000000u) sec = (UINT64_MAX - frac) / 1000000000u;
    pkt->index = in->next_index++;
    pkt->ts_ns = sec * 1000000000u + frac;
    pkt->caplen = hdr->caplen;
    pkt->origlen = hdr->len;
    pkt->linktype = pcap_datalink(in->pcap);
    pkt->data = data;
    return 1;
}

int mbpf_pcap_linktype(const mbpf_pcap_in_t *in)
{
    return pcap_datalink(in->pcap);
}

uint32_t mbpf_pcap_snaplen(const mbpf_pcap_in_t *in)
{
    int s = pcap_snapshot(in->pcap);
    return s < 0 ? 0 : (uint32_t)s;
}

void mbpf_pcap_close(mbpf_pcap_in_t *in)
{
    if (!in) return;
    pcap_close(in->pcap);
    free(in);
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Values below 0x0600 are 802.3 lengths or Linux pseudo-protocols. */
static uint16_t only_ethertype(uint16_t type)
{
    return type < 0x0600 ? 0 : type;
}

static uint16_t ether_type(const uint8_t *data, uint32_t caplen)
{
    if (caplen < 14) return 0;
    uint16_t type = be16(data + 12);
    if (type == MBPF_ETH_P_8021Q || type == MBPF_ETH_P_8021AD) {
        if (caplen < 18) return type; /* the tag is all we know */
        type = be16(data + 16);
    }
    return only_ethertype(type);
}

static uint16_t ip_version(const uint8_t *data, uint32_t caplen)
{
    if (caplen < 1) return 0;
    switch (data[0] >> 4) {
    case 4: return MBPF_ETH_P_IPV4;
    case 6: return MBPF_ETH_P_IPV6;
    default: return 0;
    }
}

/* BSD address families: AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30
 * depending on the BSD that wrote the capture. */
static uint16_t bsd_family(uint32_t af)
{
    if (af == 2) return MBPF_ETH_P_IPV4;
    if (af == 24 || af == 28 || af == 30) return MBPF_ETH_P_IPV6;
    return 0;
}

uint16_t mbpf_pcap_l2_proto(int linktype, const uint8_t *data, uint32_t caplen)
{
    if (!data) return 0;
    switch (linktype) {
    case MBPF_DLT_EN10MB: return ether_type(data, caplen);
    case MBPF_DLT_RAW: return ip_version(data, caplen);
    case MBPF_DLT_IPV4: return MBPF_ETH_P_IPV4;
    case MBPF_DLT_IPV6: return MBPF_ETH_P_IPV6;
    case MBPF_DLT_NULL: {
        /* Host byte order of the machine that captured: try both. */
        if (caplen < 4) return 0;
        uint16_t p = bsd_family(le32(data));
        return p ? p : bsd_family(be32(data));
    }
    case MBPF_DLT_LOOP: return caplen < 4 ? 0 : bsd_family(be32(data));
    case MBPF_DLT_LINUX_SLL: return caplen < 16 ? 0 : only_ethertype(be16(data + 14));
    case MBPF_DLT_LINUX_SLL2: return caplen < 2 ? 0 : only_ethertype(be16(data));
    default: return 0;
    }
}

void mbpf_pcap_net_info(const mbpf_pcap_pkt_t *pkt, mbpf_pcap_net_t *net)
{
    net->data_len = pkt->caplen;
    net->pkt_len = pkt->origlen < pkt->caplen ? pkt->caplen : pkt->origlen;
    net->l2_proto = mbpf_pcap_l2_proto(pkt->linktype, pkt->data, pkt->caplen);
}
