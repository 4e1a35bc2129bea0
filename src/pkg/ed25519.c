/*
 * Ed25519 signature verification (RFC 8032 5.1.7), verify-only.
 *
 * The acceptance rules are libsodium's crypto_sign_verify_detached (1.0.18,
 * default build), so a package signed and checked by the host tools is
 * judged the same way by the runtime:
 *   - S must be canonical (S < L);
 *   - R and A must not encode a small-order point (by y-coordinate,
 *     whatever the sign bit; see mbpf_ge_has_small_order);
 *   - A must be a canonical encoding (y < p) of a curve point (RFC 8032
 *     also refuses x = 0 with the sign bit set, which libsodium's decoder
 *     does not; it never decides a case, as those keys have small order);
 *   - the check is cofactorless: with h = SHA-512(R || A || M) mod L,
 *     R' = [S]B - [h]A is computed and its encoding must equal R byte for
 *     byte. A non-canonical or off-curve R therefore never matches, and no
 *     separate decoding of R is needed.
 *
 * Not constant time: the key, signature and message are all public.
 */
#include "ed25519.h"

#include <string.h>

#include "ge25519.h"
#include "sc25519.h"

int mbpf_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len,
                        const uint8_t pub[32])
{
    const uint8_t *R = sig, *S = sig + 32;
    mbpf_ge_p3 p; /* -A, then R' = [S]B - [h]A */
    uint8_t h[32], check[32];

    if (!mbpf_sc_is_canonical(S)) return -1;
    if (mbpf_ge_has_small_order(R) || mbpf_ge_has_small_order(pub)) return -1;
    if (mbpf_ge_frombytes(&p, pub) != 0) return -1;
    mbpf_ge_neg(&p, &p);
    mbpf_sc_challenge(h, R, pub, msg, len);
    mbpf_ge_double_scalarmult_base(&p, h, &p, S);
    mbpf_ge_tobytes(check, &p);
    return memcmp(check, R, 32) == 0 ? 0 : -1;
}
