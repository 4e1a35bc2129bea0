/*
 * Ed25519 signature verification (RFC 8032), verify-only: the runtime never
 * signs. Accepts exactly what libsodium's crypto_sign_verify_detached
 * accepts: S must be canonical (< L), A and R must decode, and small-order A
 * or R are rejected.
 */
#ifndef MBPF_ED25519_H
#define MBPF_ED25519_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0 when sig is a valid signature of msg[0..len) under pub, -1
 * otherwise. Stack use is about 3.3 KiB. */
int mbpf_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len,
                        const uint8_t pub[32]);

#endif
