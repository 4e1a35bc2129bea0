/* SHA-512 (FIPS 180-4), for Ed25519 verification in the runtime. */
#ifndef MBPF_SHA512_H
#define MBPF_SHA512_H

#include <stddef.h>
#include <stdint.h>

typedef struct mbpf_sha512 {
    uint64_t state[8];
    uint64_t count_lo, count_hi; /* message length in bytes, 128-bit */
    uint8_t block[128];
    size_t block_len;
} mbpf_sha512_t;

void mbpf_sha512_init(mbpf_sha512_t *h);
void mbpf_sha512_update(mbpf_sha512_t *h, const void *data, size_t len);
void mbpf_sha512_final(mbpf_sha512_t *h, uint8_t out[64]);
/* One-shot digest of data[0..len). */
void mbpf_sha512(const void *data, size_t len, uint8_t out[64]);

#endif
