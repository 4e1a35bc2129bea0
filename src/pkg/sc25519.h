/*
 * Scalars modulo the Ed25519 group order
 * L = 2^252 + 27742317777372353535851937790883648493, as 32-byte
 * little-endian strings. Variable time: used on public data only.
 */
#ifndef MBPF_SC25519_H
#define MBPF_SC25519_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s < L (the only encoding RFC 8032 accepts for S), else 0. */
int mbpf_sc_is_canonical(const uint8_t s[32]);
/* out = x mod L for the 512-bit little-endian x (a SHA-512 digest). */
void mbpf_sc_reduce64(uint8_t out[32], const uint8_t x[64]);
/* h = SHA-512(R || A || msg[0..len)) mod L, the RFC 8032 challenge. Kept
 * out of the verifier's own frame so the hash state is off the stack
 * during the scalar multiplication. */
void mbpf_sc_challenge(uint8_t h[32], const uint8_t R[32], const uint8_t A[32], const uint8_t *msg,
                       size_t len);

#endif
