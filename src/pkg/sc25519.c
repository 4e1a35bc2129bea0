/*
 * Scalar arithmetic mod L for the verifier: the canonical-S check and the
 * challenge h = SHA-512(R || A || M) mod L. The reduction is Barrett's
 * (Handbook of Applied Cryptography, algorithm 14.42) in base 2^32 with
 * k = 8: one multiplication by mu = floor(2^512 / L) estimates the
 * quotient, and subtracting L while the remainder is >= L finishes it.
 * HAC bounds the estimate's error by 2; for this L it is at most 1 (the
 * error exceeds 1 only if frac(2^512 / L) were above 1 - 2^-28, and it is
 * about 0.22), so the loop runs at most once.
 */
#include "sc25519.h"

#include "sha512.h"

/* L and mu in 32-bit little-endian limbs. */
static const uint32_t L_limbs[8] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de,
                                    0x00000000, 0x00000000, 0x00000000, 0x10000000};
static const uint32_t mu[9] = {0x0a2c131b, 0xed9ce5a3, 0x086329a7, 0x2106215d, 0xffffffeb,
                               0xffffffff, 0xffffffff, 0xffffffff, 0x0000000f};

static uint32_t load32_le(const uint8_t *s)
{
    return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
}

int mbpf_sc_is_canonical(const uint8_t s[32])
{
    for (int i = 7; i >= 0; i--) {
        uint32_t v = load32_le(s + 4 * i);
        if (v != L_limbs[i]) return v < L_limbs[i];
    }
    return 0; /* s == L */
}

/* r >= L for a 9-limb r. */
static int geq_L(const uint32_t r[9])
{
    if (r[8] != 0) return 1;
    for (int i = 7; i >= 0; i--)
        if (r[i] != L_limbs[i]) return r[i] > L_limbs[i];
    return 1;
}

void mbpf_sc_reduce64(uint8_t out[32], const uint8_t x[64])
{
    uint32_t xl[16], q2[18] = {0}, r2[9] = {0}, r[9];
    uint64_t t;
    uint32_t carry;

    for (int i = 0; i < 16; i++) xl[i] = load32_le(x + 4 * i);

    /* q1 = floor(x / b^7) is xl[7..15]; q2 = q1 * mu. */
    for (int i = 0; i < 9; i++) {
        carry = 0;
        for (int j = 0; j < 9; j++) {
            t = (uint64_t)xl[7 + i] * mu[j] + q2[i + j] + carry;
            q2[i + j] = (uint32_t)t;
            carry = (uint32_t)(t >> 32);
        }
        q2[i + 9] = carry;
    }

    /* q3 = floor(q2 / b^9) is q2[9..17]; r2 = q3 * L mod b^9. */
    for (int i = 0; i < 9; i++) {
        carry = 0;
        for (int j = 0; j < 8 && i + j < 9; j++) {
            t = (uint64_t)q2[9 + i] * L_limbs[j] + r2[i + j] + carry;
            r2[i + j] = (uint32_t)t;
            carry = (uint32_t)(t >> 32);
        }
        if (i == 0) r2[8] = carry;
    }

    /* r = (x mod b^9) - r2 mod b^9, which is x - q3 * L, below 3L. */
    uint32_t borrow = 0;
    for (int i = 0; i < 9; i++) {
        t = (uint64_t)xl[i] - r2[i] - borrow;
        r[i] = (uint32_t)t;
        borrow = (uint32_t)(t >> 63);
    }

    while (geq_L(r)) {
        borrow = 0;
        for (int i = 0; i < 9; i++) {
            t = (uint64_t)r[i] - (i < 8 ? L_limbs[i] : 0) - borrow;
            r[i] = (uint32_t)t;
            borrow = (uint32_t)(t >> 63);
        }
    }

    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)r[i];
        out[4 * i + 1] = (uint8_t)(r[i] >> 8);
        out[4 * i + 2] = (uint8_t)(r[i] >> 16);
        out[4 * i + 3] = (uint8_t)(r[i] >> 24);
    }
}

void mbpf_sc_challenge(uint8_t h[32], const uint8_t R[32], const uint8_t A[32], const uint8_t *msg,
                       size_t len)
{
    mbpf_sha512_t hs;
    uint8_t digest[64];
    mbpf_sha512_init(&hs);
    mbpf_sha512_update(&hs, R, 32);
    mbpf_sha512_update(&hs, A, 32);
    mbpf_sha512_update(&hs, msg, len);
    mbpf_sha512_final(&hs, digest);
    mbpf_sc_reduce64(h, digest);
}
