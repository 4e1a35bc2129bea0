/*
 * Classic-BPF oracle over libpcap. The compiled program is kept; the dead
 * pcap handle is needed only to compile and is closed straight away.
 */
#define _DEFAULT_SOURCE /* fileno, and the BSD types pcap.h uses */
#include "bpf_oracle.h"

#include <stdlib.h>

#include <pcap/pcap.h>

#include "run_err.h"

#define DEFAULT_SNAPLEN 262144

struct mbpf_bpf_oracle {
    struct bpf_program prog;
};

int mbpf_bpf_oracle_compile(const char *expr, int linktype, uint32_t snaplen,
                            mbpf_bpf_oracle_t **out, char *err, size_t errcap)
{
    *out = NULL;
    if (snaplen == 0 || snaplen > INT32_MAX) snaplen = DEFAULT_SNAPLEN;
    mbpf_bpf_oracle_t *o = calloc(1, sizeof *o);
    if (!o) {
        mbpf_run_err(err, errcap, "filter '%s': out of memory", expr);
        return MBPF_ORACLE_EFAIL;
    }
    pcap_t *dead = pcap_open_dead(linktype, (int)snaplen);
    if (!dead) {
        mbpf_run_err(err, errcap, "filter '%s': cannot open a link type %d handle", expr, linktype);
        free(o);
        return MBPF_ORACLE_EFAIL;
    }
    if (pcap_compile(dead, &o->prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        mbpf_run_err(err, errcap, "filter '%s': %s", expr, pcap_geterr(dead));
        pcap_close(dead);
        free(o);
        return MBPF_ORACLE_EFAIL;
    }
    pcap_close(dead);
    *out = o;
    return MBPF_ORACLE_OK;
}

int mbpf_bpf_oracle_match(const mbpf_bpf_oracle_t *o, const uint8_t *data, uint32_t caplen,
                          uint32_t origlen)
{
    return bpf_filter(o->prog.bf_insns, data, origlen, caplen) != 0;
}

uint32_t mbpf_bpf_oracle_insn_count(const mbpf_bpf_oracle_t *o)
{
    return o->prog.bf_len;
}

void mbpf_bpf_oracle_free(mbpf_bpf_oracle_t *o)
{
    if (!o) return;
    pcap_freecode(&o->prog);
    free(o);
}
