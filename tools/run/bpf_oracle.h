/*
 * The classic-BPF oracle: libpcap compiles a tcpdump filter expression
 * (pcap_compile on a pcap_open_dead handle of the capture's link type) and
 * bpf_filter decides each packet. Tests compare a microBPF filter's verdict
 * on every packet with this oracle's decision for the same rule.
 */
#ifndef MBPF_BPF_ORACLE_H
#define MBPF_BPF_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#define MBPF_ORACLE_OK    0
#define MBPF_ORACLE_EFAIL (-1) /* error described in err */

typedef struct mbpf_bpf_oracle mbpf_bpf_oracle_t;

/* Compiles expr (optimised, netmask unknown) for packets of the given link
 * type (DLT_*) captured with snaplen (0 means 262144). On success *out is
 * freed with mbpf_bpf_oracle_free. A bad expression fails with
 * "filter 'EXPR': <libpcap's reason>", e.g. "filter 'tcp prot 80': syntax
 * error". */
int mbpf_bpf_oracle_compile(const char *expr, int linktype, uint32_t snaplen,
                            mbpf_bpf_oracle_t **out, char *err, size_t errcap);

/* 1 if the filter accepts the packet (caplen bytes at data, origlen on the
 * wire), 0 if it rejects it, as bpf_filter decides: loads past caplen
 * reject. */
int mbpf_bpf_oracle_match(const mbpf_bpf_oracle_t *o, const uint8_t *data, uint32_t caplen,
                          uint32_t origlen);

/* Number of classic-BPF instructions of the compiled filter. */
uint32_t mbpf_bpf_oracle_insn_count(const mbpf_bpf_oracle_t *o);

/* Frees the oracle; NULL is ignored. */
void mbpf_bpf_oracle_free(mbpf_bpf_oracle_t *o);

#endif
