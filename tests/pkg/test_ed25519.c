/*
 * Tests of the runtime's Ed25519 verifier (src/pkg/ed25519.c) and of the
 * field, group and scalar code under it.
 *
 * The oracle is libsodium 1.0.18's crypto_sign_verify_detached: the runtime
 * must accept exactly what it accepts. Beyond the RFC 8032 vectors and the
 * random differential (valid, corrupted signature, corrupted message, wrong
 * key), the edge cases are built so that the Ed25519 equation itself holds
 * and only the rule under test (canonical S, small-order A or R, canonical
 * A) can reject; the internal group code confirms that the equation holds.
 * Inputs come from a fixed-seed generator so a failure replays exactly.
 *
 * Run without arguments for the deterministic tests; "random K N" runs
 * shard K of N of the 10,000-message differential (ctest runs the shards
 * side by side).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ed25519.h"
#include "fe25519.h"
#include "ge25519.h"
#include "sc25519.h"

#define RANDOM_MESSAGES 10000
#define MAX_RANDOM_LEN  300

static uint64_t rng_state;

/* splitmix64: small, fast, and reproducible across platforms. */
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void rng_fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rng_next();
}

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = strlen(hex) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,       0xd6,
                                        0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, [31] = 0x10};

static const uint8_t identity_enc[32] = {1};

/* p = 2^255 - 19, little-endian. */
static void set_p(uint8_t p[32])
{
    memset(p, 0xff, 32);
    p[0] = 0xed;
    p[31] = 0x7f;
}

/* Little-endian 32-byte addition, carry out dropped. */
static void add32(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
    unsigned c = 0;
    for (int i = 0; i < 32; i++) {
        c += (unsigned)a[i] + b[i];
        out[i] = (uint8_t)c;
        c >>= 8;
    }
}

/* Runs both verifiers, requires them to agree and to give want. */
static void check_verdict(const uint8_t sig[64], const uint8_t *msg, size_t len,
                          const uint8_t pk[32], int want, const char *what, long index)
{
    int ours = mbpf_ed25519_verify(sig, msg, len, pk);
    int theirs = crypto_sign_verify_detached(sig, msg, len, pk);
    if (ours != theirs || ours != want)
        fail_msg("%s #%ld (len %zu): mbpf %d, libsodium %d, want %d", what, index, len, ours,
                 theirs, want);
}

/* The secret scalar a (reduced mod L) and public key A = [a]B of seed. */
static void key_from_seed(uint8_t pk[32], uint8_t sk[64], uint8_t a[32], const uint8_t seed[32])
{
    uint8_t h[64];
    assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
    crypto_hash_sha512(h, seed, 32);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
    memset(h + 32, 0, 32);
    crypto_core_ed25519_scalar_reduce(a, h);
}

/* h = SHA-512(R || A || M) mod L, the RFC 8032 challenge, via libsodium. */
static void challenge(uint8_t h[32], const uint8_t R[32], const uint8_t A[32], const uint8_t *m,
                      size_t len)
{
    crypto_hash_sha512_state st;
    uint8_t d[64];
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, R, 32);
    crypto_hash_sha512_update(&st, A, 32);
    crypto_hash_sha512_update(&st, m, len);
    crypto_hash_sha512_final(&st, d);
    crypto_core_ed25519_scalar_reduce(h, d);
}

/* The encoding of [a]A + [b]B from the group code. */
static void dsm_bytes(uint8_t out[32], const uint8_t a[32], const mbpf_ge_p3 *A,
                      const uint8_t b[32])
{
    mbpf_ge_p3 r;
    mbpf_ge_double_scalarmult_base(&r, a, A, b);
    mbpf_ge_tobytes(out, &r);
}

/* Whether encode([S]B - [h]A) == R, by the verifier's own group code: the
 * Ed25519 equation, without the acceptance rules around it. */
static int equation_holds(const uint8_t R[32], const uint8_t A[32], const uint8_t h[32],
                          const uint8_t S[32])
{
    mbpf_ge_p3 p;
    uint8_t check[32];
    if (mbpf_ge_frombytes(&p, A) != 0) return 0;
    mbpf_ge_neg(&p, &p);
    dsm_bytes(check, h, &p, S);
    return memcmp(check, R, 32) == 0;
}

/*
 * The eight points of order dividing 8, as [j]T for j = 0..7 with T of
 * order 8 (y = y8, x even). libsodium's point addition builds the
 * multiples, and the test checks that T has order exactly 8, so the list
 * does not rest on the verifier's own constants.
 */
static void small_order_points(uint8_t pts[8][32])
{
    static const uint8_t t8[32] = {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
                                   0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
                                   0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05};
    memcpy(pts[0], identity_enc, 32);
    memcpy(pts[1], t8, 32);
    for (int j = 2; j < 8; j++)
        assert_int_equal(crypto_core_ed25519_add(pts[j], pts[j - 1], t8), 0);
    uint8_t eight[32];
    assert_int_equal(crypto_core_ed25519_add(eight, pts[7], t8), 0);
    assert_memory_equal(eight, identity_enc, 32);
    for (int i = 0; i < 8; i++)
        for (int j = i + 1; j < 8; j++) assert_memory_not_equal(pts[i], pts[j], 32);
}

/* RFC 8032 section 7.1, TEST 1, 2, 3, 1024 and SHA(abc). */
static const struct {
    const char *name, *seed, *pk, *msg, *sig;
} rfc_vectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
     "46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11"
     "d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc"
     "6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
     "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
     "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
     "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
     "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
     "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
     "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
     "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
     "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
     "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
     "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
     "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
     "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
     "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
     "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
     "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
     "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
     "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
     "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
     "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
     "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
     "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
     "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
     "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
     "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
     "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
     "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
     "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
     "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
     "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
     "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
     "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d"
     "94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e"
     "0303dca179c138ac17ad9bef1177331a704"},
};

#define N_RFC (sizeof rfc_vectors / sizeof rfc_vectors[0])

typedef struct {
    uint8_t pk[32], sig[64], msg[1024];
    size_t len;
} vector_t;

/* Decodes vector i and checks it against libsodium's deterministic signer,
 * so a typo in the tables cannot pass unnoticed. */
static void load_vector(vector_t *v, size_t i)
{
    uint8_t seed[32], pk[32], sk[64], sig[64];
    assert_int_equal(unhex(seed, 32, rfc_vectors[i].seed), 32);
    assert_int_equal(unhex(v->pk, 32, rfc_vectors[i].pk), 32);
    v->len = unhex(v->msg, sizeof v->msg, rfc_vectors[i].msg);
    assert_int_equal(unhex(v->sig, 64, rfc_vectors[i].sig), 64);
    assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
    assert_memory_equal(pk, v->pk, 32);
    assert_int_equal(crypto_sign_detached(sig, NULL, v->msg, v->len, sk), 0);
    assert_memory_equal(sig, v->sig, 64);
}

static void test_ed25519_rfc8032_vectors_verify(void **state)
{
    (void)state;
    static const size_t lens[N_RFC] = {0, 1, 2, 1023, 64};
    for (size_t i = 0; i < N_RFC; i++) {
        vector_t v;
        load_vector(&v, i);
        assert_int_equal(v.len, lens[i]);
        check_verdict(v.sig, v.msg, v.len, v.pk, 0, rfc_vectors[i].name, (long)i);
    }
}

/* Each of the 512 signature bits of each vector, flipped alone. */
static void test_ed25519_rfc8032_every_signature_bit_flip_rejected(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_RFC; i++) {
        vector_t v;
        load_vector(&v, i);
        for (int bit = 0; bit < 512; bit++) {
            v.sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            check_verdict(v.sig, v.msg, v.len, v.pk, -1, rfc_vectors[i].name, bit);
            v.sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
}

/*
 * The differential: RANDOM_MESSAGES messages of random length 0..300, each
 * under a fresh key, in four cases: the valid signature, one random bit of
 * R or S flipped, one random bit of the message flipped (for the empty
 * message: one byte appended), and another key (from the seed with its
 * first byte changed). Message i draws from its own seed, so the shards
 * split the work freely.
 */
static void run_random_differential(int shard, int shards)
{
    for (long i = shard; i < RANDOM_MESSAGES; i += shards) {
        uint8_t seed[32], pk[32], sk[64], sig[64], bad[64], other_pk[32], other_sk[64];
        uint8_t msg[MAX_RANDOM_LEN + 1];
        rng_state = UINT64_C(0x6d62706600000000) + (uint64_t)i;
        rng_fill(seed, sizeof seed);
        assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
        size_t len = (size_t)(rng_next() % (MAX_RANDOM_LEN + 1));
        rng_fill(msg, len);
        assert_int_equal(crypto_sign_detached(sig, NULL, msg, len, sk), 0);

        check_verdict(sig, msg, len, pk, 0, "valid", i);

        memcpy(bad, sig, 64);
        unsigned bit = (unsigned)(rng_next() % 512);
        bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        check_verdict(bad, msg, len, pk, -1, "signature bit flipped", i);

        if (len == 0) {
            msg[0] = (uint8_t)rng_next();
            check_verdict(sig, msg, 1, pk, -1, "byte appended", i);
        } else {
            bit = (unsigned)(rng_next() % (len * 8));
            msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            check_verdict(sig, msg, len, pk, -1, "message bit flipped", i);
            msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }

        seed[0] ^= 1;
        assert_int_equal(crypto_sign_seed_keypair(other_pk, other_sk, seed), 0);
        check_verdict(sig, msg, len, other_pk, -1, "wrong key", i);
    }
}

static void test_ed25519_random_messages_match_libsodium(void **state)
{
    const int *shard = *state;
    run_random_differential(shard[0], shard[1]);
}

/* Makes a valid signature of a 1-byte message under a fresh key. */
static void make_signed(vector_t *v, uint8_t a[32], uint64_t seed_no)
{
    uint8_t seed[32], sk[64];
    rng_state = seed_no;
    rng_fill(seed, 32);
    key_from_seed(v->pk, sk, a, seed);
    v->len = 1;
    v->msg[0] = (uint8_t)seed_no;
    assert_int_equal(crypto_sign_detached(v->sig, NULL, v->msg, v->len, sk), 0);
}

/* S and S + kL satisfy the same equation ([L]B is the identity); only the
 * canonical-S rule rejects the second. */
static void test_ed25519_s_not_below_L_rejected(void **state)
{
    (void)state;
    vector_t v;
    uint8_t a[32], h[32], s_plus_l[32];
    make_signed(&v, a, 11);
    challenge(h, v.sig, v.pk, v.msg, v.len);
    check_verdict(v.sig, v.msg, v.len, v.pk, 0, "canonical S", 0);

    add32(s_plus_l, v.sig + 32, group_order);
    assert_true(equation_holds(v.sig, v.pk, h, s_plus_l));
    assert_int_equal(mbpf_sc_is_canonical(s_plus_l), 0);
    vector_t w = v;
    memcpy(w.sig + 32, s_plus_l, 32);
    check_verdict(w.sig, w.msg, w.len, w.pk, -1, "S + L", 0);

    /* S + 2L, S + 15L: still below 2^256, all rejected. */
    for (int k = 2; k <= 15; k++) {
        add32(w.sig + 32, w.sig + 32, group_order);
        check_verdict(w.sig, w.msg, w.len, w.pk, -1, "S + kL", k);
    }

    /* S = L exactly, S = 2^256 - 1, and the first value with a top nibble
     * set (2^252, still below L, so canonical but not a valid S here). */
    memcpy(w.sig + 32, group_order, 32);
    check_verdict(w.sig, w.msg, w.len, w.pk, -1, "S = L", 0);
    memset(w.sig + 32, 0xff, 32);
    check_verdict(w.sig, w.msg, w.len, w.pk, -1, "S = 2^256 - 1", 0);
    memset(w.sig + 32, 0, 32);
    w.sig[63] = 0x10;
    assert_int_equal(mbpf_sc_is_canonical(w.sig + 32), 1);
    check_verdict(w.sig, w.msg, w.len, w.pk, -1, "S = 2^252", 0);
}

/*
 * A small-order public key A: with R = [r]B and S = r the equation
 * [S]B = R + [h]A holds whenever [h]A is the identity, which this finds by
 * trying messages. Each of the 8 small-order encodings must still be
 * rejected, as must their non-canonical spellings (y = p, p + 1, and the
 * sign bit set on x = 0), which the equation cannot even decode.
 */
static void test_ed25519_small_order_public_keys_rejected(void **state)
{
    (void)state;
    uint8_t pts[8][32];
    small_order_points(pts);
    for (int j = 0; j < 8; j++) {
        assert_int_equal(mbpf_ge_has_small_order(pts[j]), 1);
        int found = 0;
        for (uint64_t n = 0; n < 1000 && !found; n++) {
            uint8_t wide[64], r[32], sig[64], h[32], msg[8];
            rng_state = UINT64_C(0x500) + (uint64_t)j * 1000 + n;
            rng_fill(wide, 64);
            crypto_core_ed25519_scalar_reduce(r, wide);
            assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(sig, r), 0);
            memcpy(sig + 32, r, 32);
            rng_fill(msg, sizeof msg);
            challenge(h, sig, pts[j], msg, sizeof msg);
            if (!equation_holds(sig, pts[j], h, sig + 32)) continue;
            found = 1;
            check_verdict(sig, msg, sizeof msg, pts[j], -1, "small-order A", j);
        }
        if (!found) fail_msg("no message made the equation hold for small-order A #%d", j);
    }

    uint8_t p_le[32], spelled[32];
    vector_t v;
    uint8_t a[32];
    make_signed(&v, a, 12);
    set_p(p_le);
    for (int sign = 0; sign < 2; sign++) {
        memcpy(spelled, p_le, 32); /* y = p, i.e. 0 */
        spelled[31] |= (uint8_t)(sign << 7);
        check_verdict(v.sig, v.msg, v.len, spelled, -1, "y = p", sign);
        spelled[0]++; /* y = p + 1, i.e. 1 */
        check_verdict(v.sig, v.msg, v.len, spelled, -1, "y = p + 1", sign);
        for (int j = 0; j < 8; j++) {
            memcpy(spelled, pts[j], 32);
            spelled[31] ^= (uint8_t)(sign << 7);
            assert_int_equal(mbpf_ge_has_small_order(spelled), 1);
            check_verdict(v.sig, v.msg, v.len, spelled, -1, "small-order A, sign flipped", j);
        }
    }
}

/*
 * A small-order R: take A' = A + T (T of order 8, so A' has a torsion
 * part) and S = h a. Then [S]B = R + [h]A' exactly when R = -[h]T, which
 * holds for one R among the eight on average per message. The equation
 * holds, and both verifiers must still reject because R has small order.
 */
static void test_ed25519_small_order_R_rejected_even_when_equation_holds(void **state)
{
    (void)state;
    uint8_t pts[8][32], a[32], mixed[32];
    vector_t v;
    small_order_points(pts);
    make_signed(&v, a, 13);
    assert_int_equal(crypto_core_ed25519_add(mixed, v.pk, pts[1]), 0);

    int found[8] = {0}, left = 8;
    for (uint64_t n = 0; n < 2000 && left > 0; n++) {
        uint8_t msg[8];
        rng_state = UINT64_C(0x600) + n;
        rng_fill(msg, sizeof msg);
        for (int j = 0; j < 8; j++) {
            uint8_t sig[64], h[32];
            if (found[j]) continue;
            memcpy(sig, pts[j], 32);
            challenge(h, sig, mixed, msg, sizeof msg);
            crypto_core_ed25519_scalar_mul(sig + 32, h, a);
            if (!equation_holds(sig, mixed, h, sig + 32)) continue;
            found[j] = 1;
            left--;
            check_verdict(sig, msg, sizeof msg, mixed, -1, "small-order R", j);
        }
    }
    if (left > 0) fail_msg("%d small-order R values never satisfied the equation", left);
}

/*
 * Public keys with a torsion part, A' = A + [j]T: libsodium accepts them
 * (they are not small order), and with S = r + h a a signature is valid
 * under its cofactorless check exactly when [h]([j]T) is the identity,
 * i.e. when 8 divides j * (h mod L). This pins both the reduction of h mod
 * L and the cofactorless comparison.
 */
static void test_ed25519_mixed_order_public_keys_match_libsodium(void **state)
{
    (void)state;
    uint8_t pts[8][32];
    int accepted = 0, rejected = 0;
    small_order_points(pts);
    for (int n = 0; n < 400; n++) {
        vector_t v;
        uint8_t a[32], mixed[32], wide[64], r[32], h[32], ha[32], sig[64];
        int j = 1 + n % 7;
        make_signed(&v, a, UINT64_C(0x700) + (uint64_t)n);
        assert_int_equal(crypto_core_ed25519_add(mixed, v.pk, pts[j]), 0);
        rng_fill(wide, 64);
        crypto_core_ed25519_scalar_reduce(r, wide);
        assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(sig, r), 0);
        challenge(h, sig, mixed, v.msg, v.len);
        crypto_core_ed25519_scalar_mul(ha, h, a);
        crypto_core_ed25519_scalar_add(sig + 32, r, ha);
        int valid = (j * (h[0] & 7)) % 8 == 0;
        check_verdict(sig, v.msg, v.len, mixed, valid ? 0 : -1, "mixed-order A", n);
        if (valid)
            accepted++;
        else
            rejected++;
    }
    assert_true(accepted > 20);
    assert_true(rejected > 200);
}

/*
 * y >= p spelled into a public key: y = p + k for k = 0..18 (all that fit
 * in 255 bits), both sign bits. Several y = k are curve points, so these
 * are non-canonical encodings of real points; libsodium rejects them all.
 */
static void test_ed25519_noncanonical_public_keys_rejected(void **state)
{
    (void)state;
    uint8_t p_le[32], a[32];
    vector_t v;
    int real_points = 0;
    set_p(p_le);
    make_signed(&v, a, 14);
    for (int k = 0; k <= 18; k++) {
        for (int sign = 0; sign < 2; sign++) {
            uint8_t canon[32] = {(uint8_t)k}, enc[32];
            mbpf_ge_p3 p;
            canon[31] = (uint8_t)(sign << 7);
            memcpy(enc, p_le, 32);
            enc[0] = (uint8_t)(enc[0] + k);
            enc[31] |= (uint8_t)(sign << 7);
            if (k >= 2 && mbpf_ge_frombytes(&p, canon) == 0) real_points++;
            assert_int_equal(mbpf_ge_frombytes(&p, enc), -1);
            check_verdict(v.sig, v.msg, v.len, enc, -1, "y = p + k", k);
        }
    }
    assert_true(real_points >= 10);
}

/* Random 32-byte strings as keys: about half are not curve points. Both
 * verifiers must reject every one (none is the signer's key). */
static void test_ed25519_random_public_keys_rejected(void **state)
{
    (void)state;
    vector_t v;
    uint8_t a[32];
    int off_curve = 0;
    make_signed(&v, a, 15);
    rng_state = 16;
    for (int n = 0; n < 200; n++) {
        uint8_t pk[32];
        mbpf_ge_p3 p;
        rng_fill(pk, 32);
        if (mbpf_ge_frombytes(&p, pk) != 0) off_curve++;
        check_verdict(v.sig, v.msg, v.len, pk, -1, "random key", n);
    }
    assert_true(off_curve > 50);
}

/* [a]A + [b]B from the group code against libsodium's scalar
 * multiplications and addition, including every entry of the base table
 * ([k]B for k = 1..16 and their negatives through b = L - k). */
static void test_ge_double_scalarmult_matches_libsodium(void **state)
{
    (void)state;
    uint8_t zero[32] = {0}, base[32], one[32] = {1};
    mbpf_ge_p3 B;
    assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(base, one), 0);
    assert_int_equal(mbpf_ge_frombytes(&B, base), 0);
    for (int k = 1; k <= 16; k++) {
        uint8_t b[32] = {(uint8_t)k}, want[32], got[32], negk[32], neg[32];
        assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(want, b), 0);
        dsm_bytes(got, zero, &B, b);
        assert_memory_equal(got, want, 32);
        dsm_bytes(got, b, &B, zero);
        assert_memory_equal(got, want, 32);
        crypto_core_ed25519_scalar_negate(negk, b);
        crypto_core_ed25519_sub(neg, identity_enc, want);
        dsm_bytes(got, zero, &B, negk);
        assert_memory_equal(got, neg, 32);
    }

    rng_state = 17;
    for (int n = 0; n < 100; n++) {
        uint8_t wide[64], k[32], a[32], b[32], A[32], aA[32], bB[32], want[32], got[32];
        mbpf_ge_p3 P;
        rng_fill(wide, 64);
        crypto_core_ed25519_scalar_reduce(k, wide);
        rng_fill(wide, 64);
        crypto_core_ed25519_scalar_reduce(a, wide);
        rng_fill(wide, 64);
        crypto_core_ed25519_scalar_reduce(b, wide);
        assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(A, k), 0);
        assert_int_equal(crypto_scalarmult_ed25519_noclamp(aA, a, A), 0);
        assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(bB, b), 0);
        assert_int_equal(crypto_core_ed25519_add(want, aA, bB), 0);
        assert_int_equal(mbpf_ge_frombytes(&P, A), 0);
        dsm_bytes(got, a, &P, b);
        assert_memory_equal(got, want, 32);
    }
}

/* Decoding round-trips every point libsodium makes, and the sign bit of a
 * point with x = 0 (the identity and (0, -1)) is refused as RFC 8032
 * section 5.1.3 says. */
static void test_ge_frombytes_round_trips_and_refuses_negative_zero_x(void **state)
{
    (void)state;
    rng_state = 18;
    for (int n = 0; n < 100; n++) {
        uint8_t wide[64], k[32], A[32], back[32];
        mbpf_ge_p3 P;
        rng_fill(wide, 64);
        crypto_core_ed25519_scalar_reduce(k, wide);
        assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(A, k), 0);
        assert_int_equal(mbpf_ge_frombytes(&P, A), 0);
        mbpf_ge_tobytes(back, &P);
        assert_memory_equal(back, A, 32);
    }
    uint8_t pts[8][32], enc[32];
    mbpf_ge_p3 P;
    small_order_points(pts);
    memcpy(enc, pts[0], 32); /* identity: x = 0 */
    enc[31] |= 0x80;
    assert_int_equal(mbpf_ge_frombytes(&P, enc), -1);
    memcpy(enc, pts[4], 32); /* (0, -1) */
    assert_int_equal(mbpf_ge_frombytes(&P, enc), 0);
    enc[31] |= 0x80;
    assert_int_equal(mbpf_ge_frombytes(&P, enc), -1);
}

static void test_sc_is_canonical_at_boundaries(void **state)
{
    (void)state;
    uint8_t s[32];
    memcpy(s, group_order, 32);
    assert_int_equal(mbpf_sc_is_canonical(s), 0); /* L */
    s[0]--;
    assert_int_equal(mbpf_sc_is_canonical(s), 1); /* L - 1 */
    s[0] += 2;
    assert_int_equal(mbpf_sc_is_canonical(s), 0); /* L + 1 */
    memset(s, 0, 32);
    assert_int_equal(mbpf_sc_is_canonical(s), 1); /* 0 */
    s[16] = 1;
    s[31] = 0x10;
    assert_int_equal(mbpf_sc_is_canonical(s), 0); /* 2^252 + 2^128 > L */
    memset(s, 0xff, 32);
    assert_int_equal(mbpf_sc_is_canonical(s), 0);
}

/* x mod L against libsodium for random x and for x = kL + d near the
 * places where the Barrett estimate is off by one or two. */
static void test_sc_reduce64_matches_libsodium(void **state)
{
    (void)state;
    uint8_t x[64], want[32], got[32];
    rng_state = 19;
    for (int n = 0; n < 2000; n++) {
        rng_fill(x, 64);
        if (n % 4 == 1) memset(x + 32 + n % 32, 0, 32 - n % 32); /* shorter values */
        if (n % 4 == 2) memset(x, 0xff, 64 - n % 17);
        crypto_core_ed25519_scalar_reduce(want, x);
        mbpf_sc_reduce64(got, x);
        assert_memory_equal(got, want, 32);
    }
    /* x = L * m + d for small m (by repeated addition) and d in -2..2. */
    uint8_t acc[64] = {0};
    for (int m = 0; m < 64; m++) {
        for (int d = -2; d <= 2; d++) {
            memcpy(x, acc, 64);
            if (d >= 0) {
                unsigned c = (unsigned)d;
                for (int i = 0; i < 64 && c; i++) {
                    c += x[i];
                    x[i] = (uint8_t)c;
                    c >>= 8;
                }
            } else {
                unsigned b = (unsigned)-d;
                for (int i = 0; i < 64 && b; i++) {
                    unsigned v = (unsigned)x[i] + 256 - b;
                    x[i] = (uint8_t)v;
                    b = v >> 8 ? 0 : 1;
                }
            }
            crypto_core_ed25519_scalar_reduce(want, x);
            mbpf_sc_reduce64(got, x);
            assert_memory_equal(got, want, 32);
        }
        unsigned c = 0;
        for (int i = 0; i < 64; i++) {
            c += (unsigned)acc[i] + (i < 32 ? group_order[i] : 0);
            acc[i] = (uint8_t)c;
            c >>= 8;
        }
    }
    memset(x, 0xff, 64);
    crypto_core_ed25519_scalar_reduce(want, x);
    mbpf_sc_reduce64(got, x);
    assert_memory_equal(got, want, 32);
}

/* Encodings at and above p reduce to their canonical value. */
static void test_fe_tobytes_reduces_noncanonical_values(void **state)
{
    (void)state;
    static const struct {
        uint8_t low;  /* byte 0 */
        uint8_t rest; /* bytes 1..30 */
        uint8_t top;  /* byte 31 (bit 255 is ignored) */
        uint8_t want_low;
        int want_zero_rest; /* canonical value < 256 */
    } cases[] = {
        {0xec, 0xff, 0x7f, 0xec, 0}, /* p - 1 stays */
        {0xed, 0xff, 0x7f, 0x00, 1}, /* p -> 0 */
        {0xee, 0xff, 0x7f, 0x01, 1}, /* p + 1 -> 1 */
        {0xff, 0xff, 0x7f, 0x12, 1}, /* 2^255 - 1 -> 18 */
        {0xff, 0xff, 0xff, 0x12, 1}, /* bit 255 ignored */
        {0x00, 0x00, 0x00, 0x00, 1}, /* 0 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t in[32], out[32];
        mbpf_fe f;
        in[0] = cases[i].low;
        memset(in + 1, cases[i].rest, 30);
        in[31] = cases[i].top;
        mbpf_fe_frombytes(f, in);
        mbpf_fe_tobytes(out, f);
        assert_int_equal(out[0], cases[i].want_low);
        if (cases[i].want_zero_rest) {
            for (int k = 1; k < 32; k++) assert_int_equal(out[k], 0);
            assert_int_equal(mbpf_fe_iszero(f), cases[i].want_low == 0);
        } else {
            assert_memory_equal(out + 1, in + 1, 30);
            assert_int_equal(out[31], 0x7f);
        }
    }
}

/* The tight bound of fe25519.h: limb i at most 2^w(i) + 2^16. */
static void assert_tight(const mbpf_fe f)
{
    for (int i = 0; i < 10; i++) {
        uint32_t bound = (1u << ((i & 1) ? 25 : 26)) + (1u << 16);
        if (f[i] > bound) fail_msg("limb %d = %#x exceeds the tight bound %#x", i, f[i], bound);
    }
}

static void assert_fe_hex(const mbpf_fe f, const char *hex)
{
    uint8_t want[32], got[32];
    assert_int_equal(unhex(want, 32, hex), 32);
    mbpf_fe_tobytes(got, f);
    assert_memory_equal(got, want, 32);
}

/*
 * The limb bounds fe25519.h promises, at their extremes: every limb of a
 * loose element at 3 * 2^w + 2^18 and of a tight one at 2^w + 2^16. An
 * overflow anywhere in mul, sq, sub or the carries would change the
 * result (the expected values were computed with exact integers), and
 * every result must be tight again.
 */
static void test_fe_ops_at_limb_bounds_match_exact_arithmetic(void **state)
{
    (void)state;
    mbpf_fe loose, tight, r;
    for (int i = 0; i < 10; i++) {
        int w = (i & 1) ? 25 : 26;
        loose[i] = 3u * (1u << w) + (1u << 18);
        tight[i] = (1u << w) + (1u << 16);
    }
    assert_fe_hex(loose, "3900040c0010180020600080c0000001030004060008180020300040c0000001");
    mbpf_fe_mul(r, loose, loose);
    assert_tight(r);
    assert_fe_hex(r, "1e06bed2ca9048c666ed2d6b58b8ed262a8062f3291527370d203197e7673328");
    mbpf_fe_sq(r, loose);
    assert_tight(r);
    assert_fe_hex(r, "1e06bed2ca9048c666ed2d6b58b8ed262a8062f3291527370d203197e7673328");
    mbpf_fe_mul(r, loose, tight);
    assert_tight(r);
    assert_fe_hex(r, "5983ccef34d46ab791f2d91ab792fb3563a0bc504bbbb64f035ed0359ee20c31");
    mbpf_fe_mul(r, tight, tight);
    assert_tight(r);
    assert_fe_hex(r, "73613afa0d61cd6f724ebb06e2f08e583628c81a53ec91d4007475a1883b030e");
    mbpf_fe_sub(r, loose, tight);
    assert_tight(r);
    assert_fe_hex(r, "26000308000c1000184000608000c0000200030400061000182000308000c000");
    mbpf_fe_sub(r, tight, loose);
    assert_tight(r);
    assert_fe_hex(r, "c7fffcf7fff3efffe7bfff9f7fff3ffffdfffcfbfff9efffe7dfffcf7fff3f7f");
    mbpf_fe_neg(r, loose);
    assert_tight(r);
    mbpf_fe_add(r, r, loose);
    assert_int_equal(mbpf_fe_iszero(r), 1);
}

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "random") == 0) {
        static int shard[2];
        shard[0] = atoi(argv[2]);
        shard[1] = atoi(argv[3]);
        if (shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) return 2;
        const struct CMUnitTest random_tests[] = {
            cmocka_unit_test_prestate(test_ed25519_random_messages_match_libsodium, shard),
        };
        return cmocka_run_group_tests(random_tests, setup, NULL);
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s [random SHARD SHARDS]\n", argv[0]);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ed25519_rfc8032_vectors_verify),
        cmocka_unit_test(test_ed25519_rfc8032_every_signature_bit_flip_rejected),
        cmocka_unit_test(test_ed25519_s_not_below_L_rejected),
        cmocka_unit_test(test_ed25519_small_order_public_keys_rejected),
        cmocka_unit_test(test_ed25519_small_order_R_rejected_even_when_equation_holds),
        cmocka_unit_test(test_ed25519_mixed_order_public_keys_match_libsodium),
        cmocka_unit_test(test_ed25519_noncanonical_public_keys_rejected),
        cmocka_unit_test(test_ed25519_random_public_keys_rejected),
        cmocka_unit_test(test_ge_double_scalarmult_matches_libsodium),
        cmocka_unit_test(test_ge_frombytes_round_trips_and_refuses_negative_zero_x),
        cmocka_unit_test(test_sc_is_canonical_at_boundaries),
        cmocka_unit_test(test_sc_reduce64_matches_libsodium),
        cmocka_unit_test(test_fe_tobytes_reduces_noncanonical_values),
        cmocka_unit_test(test_fe_ops_at_limb_bounds_match_exact_arithmetic),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
