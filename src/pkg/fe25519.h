/*
 * Arithmetic in GF(2^255 - 19), the field under Ed25519, for the verifier
 * only (src/pkg/ed25519.c). Variable time: it only ever handles public data.
 *
 * An element is 10 unsigned limbs in radix 2^25.5: limb i holds bits from
 * ceil(25.5 * i), 26 bits wide for even i and 25 bits for odd i. Products
 * of two limbs fit 64 bits on any target, so 32-bit CPUs need no 128-bit
 * type. Limbs are kept loosely reduced; the bounds every function needs
 * and gives are stated with it:
 *   tight  - limb i <= 2^w(i) + 2^16 (value < 2p); what mul, sq, sub,
 *            neg, frombytes and the constants produce.
 *   loose  - limb i <= 3 * 2^w(i) + 2^18: a sum of at most three tight
 *            elements, made by add without carrying.
 * mul, sq and sub accept loose inputs; the bound is what keeps every 64-bit
 * column sum of a product below 2^63 and every limb of f + 4p - g positive.
 */
#ifndef MBPF_FE25519_H
#define MBPF_FE25519_H

#include <stdint.h>

typedef uint32_t mbpf_fe[10];

/* h = the low 255 bits of s (little-endian); bit 255 is ignored and values
 * >= p are kept as they are (still correct mod p). Gives tight. */
void mbpf_fe_frombytes(mbpf_fe h, const uint8_t s[32]);
/* s = canonical little-endian encoding of f (fully reduced mod p); f tight
 * or loose. */
void mbpf_fe_tobytes(uint8_t s[32], const mbpf_fe f);

void mbpf_fe_copy(mbpf_fe h, const mbpf_fe f);
void mbpf_fe_zero(mbpf_fe h);
void mbpf_fe_one(mbpf_fe h);

/* h = f + g without carrying: loose as long as f and g together hold at
 * most three tight elements. */
void mbpf_fe_add(mbpf_fe h, const mbpf_fe f, const mbpf_fe g);
/* h = f - g; f, g tight or loose, h tight. */
void mbpf_fe_sub(mbpf_fe h, const mbpf_fe f, const mbpf_fe g);
/* h = -f; f tight or loose, h tight. */
void mbpf_fe_neg(mbpf_fe h, const mbpf_fe f);
/* h = f * g and h = f^2; inputs tight or loose, h tight. h may alias. */
void mbpf_fe_mul(mbpf_fe h, const mbpf_fe f, const mbpf_fe g);
void mbpf_fe_sq(mbpf_fe h, const mbpf_fe f);
/* h = 1/f (0 for f = 0). */
void mbpf_fe_invert(mbpf_fe h, const mbpf_fe f);
/* h = f^((p-5)/8), the core of the square root in point decoding. */
void mbpf_fe_pow22523(mbpf_fe h, const mbpf_fe f);

/* 1 if f = 0 mod p, else 0. */
int mbpf_fe_iszero(const mbpf_fe f);
/* The low bit of f's canonical encoding: RFC 8032's "negative" x. */
int mbpf_fe_isodd(const mbpf_fe f);

#endif
