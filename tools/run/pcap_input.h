/*
 * Packet input of `mbpf run`: reads pcap and pcapng capture files through
 * libpcap and derives what a NET_RX / NET_TX context needs from each record
 * (pkt_len, data_len, l2_proto). Every failure comes back as a complete
 * message in err ("cap.pcap: not a pcap file: unknown file format").
 */
#ifndef MBPF_PCAP_INPUT_H
#define MBPF_PCAP_INPUT_H

#include <stddef.h>
#include <stdint.h>

#define MBPF_PCAP_ERR_MAX 512

/* Return codes. mbpf_pcap_next also returns 1 when it produced a packet. */
#define MBPF_PCAP_OK    0
#define MBPF_PCAP_EFAIL (-1) /* error described in err */

/* Link types (libpcap DLT_* values as returned by pcap_datalink) that
 * mbpf_pcap_l2_proto understands; others give l2_proto 0. */
#define MBPF_DLT_NULL       0
#define MBPF_DLT_EN10MB     1
#define MBPF_DLT_RAW        12
#define MBPF_DLT_LOOP       108
#define MBPF_DLT_LINUX_SLL  113
#define MBPF_DLT_IPV4       228
#define MBPF_DLT_IPV6       229
#define MBPF_DLT_LINUX_SLL2 276

#define MBPF_ETH_P_IPV4   0x0800u
#define MBPF_ETH_P_ARP    0x0806u
#define MBPF_ETH_P_8021Q  0x8100u
#define MBPF_ETH_P_8021AD 0x88A8u
#define MBPF_ETH_P_IPV6   0x86DDu

typedef struct mbpf_pcap_in mbpf_pcap_in_t;

/* One capture record. data points into the reader and stays valid only
 * until the next mbpf_pcap_next or mbpf_pcap_close. */
typedef struct mbpf_pcap_pkt {
    uint64_t index;   /* 0-based record number in the file */
    uint64_t ts_ns;   /* capture time, nanoseconds since the Unix epoch */
    uint32_t caplen;  /* bytes present in data */
    uint32_t origlen; /* length of the packet on the wire */
    int linktype;     /* DLT_* of the interface it was captured on */
    const uint8_t *data;
} mbpf_pcap_pkt_t;

/* What a NET_RX / NET_TX context is filled from. */
typedef struct mbpf_pcap_net {
    uint32_t pkt_len;  /* origlen, raised to caplen if a record claims less */
    uint32_t data_len; /* caplen */
    uint16_t l2_proto; /* EtherType when known, else 0 */
} mbpf_pcap_net_t;

/* Opens a pcap or pcapng file (timestamps read at nanosecond precision).
 * On success *out owns the file until mbpf_pcap_close. Errors:
 * "PATH: <strerror>" when the file cannot be opened and
 * "PATH: not a pcap file: <libpcap's reason>" when libpcap rejects it. */
int mbpf_pcap_open(const char *path, mbpf_pcap_in_t **out, char *err, size_t errcap);

/* Reads the next record into *pkt. Returns 1 with a packet, 0 at the end of
 * the file, MBPF_PCAP_EFAIL on a damaged file ("PATH: packet N: <reason>",
 * N counting from 1); records read before the damage stay valid. */
int mbpf_pcap_next(mbpf_pcap_in_t *in, mbpf_pcap_pkt_t *pkt, char *err, size_t errcap);

/* Link type (DLT_*) and snapshot length of the file (first interface for
 * pcapng). */
int mbpf_pcap_linktype(const mbpf_pcap_in_t *in);
uint32_t mbpf_pcap_snaplen(const mbpf_pcap_in_t *in);

/* Closes the file and frees the reader; NULL is ignored. */
void mbpf_pcap_close(mbpf_pcap_in_t *in);

/* The EtherType of a frame of the given link type, 0 when unknown:
 * DLT_EN10MB: the type field, or the one after a single 802.1Q / 802.1ad
 * tag (0x8100 / 0x88A8 itself if the frame ends inside the tag); 0 for
 * 802.3 length fields (< 0x0600) and frames shorter than 14 bytes.
 * DLT_RAW: 0x0800 or 0x86DD from the IP version nibble. DLT_IPV4: 0x0800.
 * DLT_IPV6: 0x86DD. DLT_NULL / DLT_LOOP: from the address family (either
 * byte order for DLT_NULL). DLT_LINUX_SLL / SLL2: the protocol field. */
uint16_t mbpf_pcap_l2_proto(int linktype, const uint8_t *data, uint32_t caplen);

/* Fills *net from a record. */
void mbpf_pcap_net_info(const mbpf_pcap_pkt_t *pkt, mbpf_pcap_net_t *net);

#endif
