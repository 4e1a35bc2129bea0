/* Test-only pcap/pcapng writer; see pcap_writer.h. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include "pcap_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put16(FILE *f, int be, uint32_t v)
{
    uint8_t b[2] = {(uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8)};
    fwrite(b, 1, 2, f);
}

static void put32(FILE *f, int be, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++) b[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
    fwrite(b, 1, 4, f);
}

int tw_write_pcap(const char *path, int big_endian, int nano, uint32_t linktype, uint32_t snaplen,
                  const tw_rec_t *recs, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    put32(f, big_endian, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
    put16(f, big_endian, 2);
    put16(f, big_endian, 4);
    put32(f, big_endian, 0); /* thiszone */
    put32(f, big_endian, 0); /* sigfigs */
    put32(f, big_endian, snaplen);
    put32(f, big_endian, linktype);
    for (size_t i = 0; i < n; i++) {
        put32(f, big_endian, recs[i].sec);
        put32(f, big_endian, recs[i].frac);
        put32(f, big_endian, recs[i].caplen);
        put32(f, big_endian, recs[i].origlen);
        fwrite(recs[i].data, 1, recs[i].caplen, f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

int tw_write_pcapng(const char *path, uint32_t linktype, const tw_rec_t *recs, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    /* Section Header Block: type, length, byte-order magic, version 1.0,
     * section length unknown (-1), length again. */
    put32(f, 0, 0x0a0d0d0au);
    put32(f, 0, 28);
    put32(f, 0, 0x1a2b3c4du);
    put16(f, 0, 1);
    put16(f, 0, 0);
    put32(f, 0, 0xffffffffu);
    put32(f, 0, 0xffffffffu);
    put32(f, 0, 28);
    /* Interface Description Block: linktype, reserved, snaplen 0. */
    put32(f, 0, 1);
    put32(f, 0, 20);
    put16(f, 0, linktype);
    put16(f, 0, 0);
    put32(f, 0, 0);
    put32(f, 0, 20);
    for (size_t i = 0; i < n; i++) {
        uint32_t padded = (recs[i].caplen + 3u) & ~3u;
        uint32_t len = 32 + padded;
        uint64_t ts = (uint64_t)recs[i].sec * 1000000u + recs[i].frac;
        put32(f, 0, 6);
        put32(f, 0, len);
        put32(f, 0, 0); /* interface 0 */
        put32(f, 0, (uint32_t)(ts >> 32));
        put32(f, 0, (uint32_t)ts);
        put32(f, 0, recs[i].caplen);
        put32(f, 0, recs[i].origlen);
        fwrite(recs[i].data, 1, recs[i].caplen, f);
        static const uint8_t zero[4];
        fwrite(zero, 1, padded - recs[i].caplen, f);
        put32(f, 0, len);
    }
    return fclose(f) == 0 ? 0 : -1;
}

void tw_temp_path(char *buf, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s/mbpf_run_test_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(buf);
    if (fd >= 0) close(fd);
}
