/*
 * Differential fuzz harness for the runtime's Ed25519 verifier: whatever
 * the input, mbpf_ed25519_verify must give the same verdict as libsodium's
 * crypto_sign_verify_detached, or the harness aborts.
 *
 * Arbitrary bytes almost never form a valid signature, so the first byte
 * picks one of three readings of the rest:
 *   0 raw      pk[32] sig[64] msg...: the early rules (canonical S, small
 *              order, point decoding) on anything at all.
 *   1 signed   seed[32] mask[96] msg...: msg signed under the seed's key,
 *              then mask XORed into pk || sig. A zero mask is a valid
 *              signature, so mutations explore the near-valid ones.
 *   2 torsion  seed[32] j[1] r[32] msg...: the key plus [j]T for T of
 *              order 8, signed with nonce r. Valid under libsodium's
 *              cofactorless check only when 8 divides j * (h mod L).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ed25519.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A point of order 8 (y = y8, x even). */
static const uint8_t t8[32] = {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
                               0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
                               0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05};

static void compare(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32])
{
    int ours = mbpf_ed25519_verify(sig, msg, len, pk);
    int theirs = crypto_sign_verify_detached(sig, msg, len, pk);
    if (ours != theirs) abort();
}

/* The secret scalar a (clamped, reduced mod L) of a seed. */
static void secret_scalar(uint8_t a[32], const uint8_t seed[32])
{
    uint8_t h[64];
    crypto_hash_sha512(h, seed, 32);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
    memset(h + 32, 0, 32);
    crypto_core_ed25519_scalar_reduce(a, h);
}

static void fuzz_signed(const uint8_t *data, size_t size)
{
    uint8_t pk[32], sk[64], sig[64];
    if (size < 32 + 96) return;
    const uint8_t *mask = data + 32, *msg = data + 128;
    size_t len = size - 128;
    crypto_sign_seed_keypair(pk, sk, data);
    crypto_sign_detached(sig, NULL, msg, len, sk);
    for (int i = 0; i < 32; i++) pk[i] ^= mask[i];
    for (int i = 0; i < 64; i++) sig[i] ^= mask[32 + i];
    compare(sig, msg, len, pk);
}

static void fuzz_torsion(const uint8_t *data, size_t size)
{
    uint8_t pk[32], sk[64], a[32], torsion[32], mixed[32], r[32], sig[64], h[32], ha[32];
    uint8_t wide[64] = {0};
    crypto_hash_sha512_state st;
    if (size < 32 + 1 + 32) return;
    const uint8_t *msg = data + 65;
    size_t len = size - 65;

    crypto_sign_seed_keypair(pk, sk, data);
    secret_scalar(a, data);
    memcpy(torsion, t8, 32);
    for (int j = data[32] & 7; j > 1; j--)
        if (crypto_core_ed25519_add(torsion, torsion, t8) != 0) abort();
    if ((data[32] & 7) == 0) {
        memcpy(mixed, pk, 32);
    } else if (crypto_core_ed25519_add(mixed, pk, torsion) != 0) {
        abort();
    }

    memcpy(wide, data + 33, 32);
    crypto_core_ed25519_scalar_reduce(r, wide);
    if (crypto_scalarmult_ed25519_base_noclamp(sig, r) != 0) return; /* r = 0 */
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, sig, 32);
    crypto_hash_sha512_update(&st, mixed, 32);
    crypto_hash_sha512_update(&st, msg, len);
    crypto_hash_sha512_final(&st, wide);
    crypto_core_ed25519_scalar_reduce(h, wide);
    crypto_core_ed25519_scalar_mul(ha, h, a);
    crypto_core_ed25519_scalar_add(sig + 32, r, ha);
    compare(sig, msg, len, mixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0) abort();
        ready = 1;
    }
    if (size < 1) return 0;
    switch (data[0] % 3) {
    case 0:
        if (size >= 1 + 96) compare(data + 33, data + 97, size - 97, data + 1);
        break;
    case 1: fuzz_signed(data + 1, size - 1); break;
    default: fuzz_torsion(data + 1, size - 1); break;
    }
    return 0;
}
