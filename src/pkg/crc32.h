/* CRC-32 (IEEE 802.3, reflected, the zlib/PNG one). A 16-entry nibble
 * table keeps ROM at 64 bytes while costing two lookups per byte. */
#ifndef MBPF_CRC32_H
#define MBPF_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc over buf[0..len). Start with crc = 0; the result of one call
 * feeds the next, so mbpf_crc32(mbpf_crc32(0, a, n), b, m) == crc of a||b. */
uint32_t mbpf_crc32(uint32_t crc, const void *buf, size_t len);

#endif
