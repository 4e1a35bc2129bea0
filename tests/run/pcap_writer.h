/*
 * Writes small pcap and pcapng files for the tests, byte by byte from the
 * file-format specifications (not through libpcap), so the reader is
 * checked against an independent writer.
 */
#ifndef MBPF_TEST_PCAP_WRITER_H
#define MBPF_TEST_PCAP_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct tw_rec {
    uint32_t sec;
    uint32_t frac; /* microseconds, or nanoseconds in a nanosecond file */
    uint32_t caplen;
    uint32_t origlen;
    const uint8_t *data; /* caplen bytes */
} tw_rec_t;

/* Classic pcap: linktype is the on-file LINKTYPE_* value. Returns 0. */
int tw_write_pcap(const char *path, int big_endian, int nano, uint32_t linktype, uint32_t snaplen,
                  const tw_rec_t *recs, size_t n);

/* pcapng: one section, one interface (microsecond timestamps), one
 * Enhanced Packet Block per record. Returns 0. */
int tw_write_pcapng(const char *path, uint32_t linktype, const tw_rec_t *recs, size_t n);

/* A fresh temporary file name (the file exists, empty); the caller
 * unlinks it. */
void tw_temp_path(char *buf, size_t cap);

#endif
