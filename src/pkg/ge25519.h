/*
 * Points of the Ed25519 curve -x^2 + y^2 = 1 + d x^2 y^2 over
 * GF(2^255 - 19), just what signature verification needs: decoding,
 * the small-order blacklist and [a]A + [b]B. Variable time throughout:
 * verification handles only public data.
 */
#ifndef MBPF_GE25519_H
#define MBPF_GE25519_H

#include <stdint.h>

#include "fe25519.h"

/* Extended coordinates (RFC 8032 5.1.4): x = X/Z, y = Y/Z, x*y = T/Z. */
typedef struct mbpf_ge_p3 {
    mbpf_fe X, Y, Z, T;
} mbpf_ge_p3;

/* Decodes s into p as RFC 8032 5.1.3 does: returns -1, leaving p
 * unspecified, when y >= p, when no x exists, or when x = 0 but the sign
 * bit is set; 0 otherwise. */
int mbpf_ge_frombytes(mbpf_ge_p3 *p, const uint8_t s[32]);
/* s = RFC 8032 encoding of p. */
void mbpf_ge_tobytes(uint8_t s[32], const mbpf_ge_p3 *p);
/* r = -p. r may be p. */
void mbpf_ge_neg(mbpf_ge_p3 *r, const mbpf_ge_p3 *p);
/* 1 if the y-coordinate of s (its low 255 bits, reduced or not) is that of
 * a point of order 1, 2, 4 or 8, whatever the sign bit says; else 0. This
 * is libsodium's encoding blacklist (ge25519_has_small_order). */
int mbpf_ge_has_small_order(const uint8_t s[32]);
/* out = [a]A + [b]B, B the base point; a and b are little-endian scalars
 * below 2^255, and out may be A. The caller encodes out, so the inversion
 * that takes does not stack on this function's frame (about 2.5 KiB,
 * mostly the table of multiples of A). */
void mbpf_ge_double_scalarmult_base(mbpf_ge_p3 *out, const uint8_t a[32], const mbpf_ge_p3 *A,
                                    const uint8_t b[32]);

#endif
