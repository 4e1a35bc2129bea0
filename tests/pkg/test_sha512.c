/*
 * Tests of the runtime's SHA-512 (src/pkg/sha512.c): the FIPS 180-4 / NIST
 * example vectors, streaming against one-shot, and libsodium's
 * crypto_hash_sha512 as the oracle on random and boundary-length inputs.
 * Inputs come from a fixed-seed generator so a failure replays exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "sha512.h"

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

static void unhex(uint8_t *out, const char *hex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static void assert_digest(const uint8_t got[64], const char *want_hex)
{
    uint8_t want[64];
    assert_int_equal(strlen(want_hex), 128);
    unhex(want, want_hex, 64);
    assert_memory_equal(got, want, 64);
}

static void test_sha512_empty_message_matches_fips_vector(void **state)
{
    (void)state;
    uint8_t d[64];
    mbpf_sha512(NULL, 0, d);
    assert_digest(d, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

static void test_sha512_abc_matches_fips_vector(void **state)
{
    (void)state;
    uint8_t d[64];
    mbpf_sha512("abc", 3, d);
    assert_digest(d, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

/* 112 bytes: the padding no longer fits, so the length goes in a second
 * block. */
static void test_sha512_896_bit_two_block_message_matches_fips_vector(void **state)
{
    (void)state;
    static const char msg[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                              "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    uint8_t d[64];
    assert_int_equal(strlen(msg), 112);
    mbpf_sha512(msg, strlen(msg), d);
    assert_digest(d, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                     "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

/* One million 'a' fed in chunks of 1, 2, 3, ... 200 bytes, cycling, so
 * every block boundary is crossed at a different offset. */
static void test_sha512_million_a_in_odd_chunks_matches_fips_vector(void **state)
{
    (void)state;
    static uint8_t a[200];
    memset(a, 'a', sizeof a);
    mbpf_sha512_t h;
    mbpf_sha512_init(&h);
    size_t left = 1000000, chunk = 1;
    while (left > 0) {
        size_t n = chunk < left ? chunk : left;
        mbpf_sha512_update(&h, a, n);
        left -= n;
        chunk = chunk % 200 + 1;
    }
    uint8_t d[64];
    mbpf_sha512_final(&h, d);
    assert_digest(d, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
                     "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

static void test_sha512_streaming_random_splits_equals_one_shot(void **state)
{
    (void)state;
    static uint8_t msg[2000];
    rng_state = 1;
    for (int iter = 0; iter < 500; iter++) {
        size_t len = (size_t)(rng_next() % sizeof msg);
        rng_fill(msg, len);
        uint8_t want[64], got[64];
        mbpf_sha512(msg, len, want);

        mbpf_sha512_t h;
        mbpf_sha512_init(&h);
        size_t off = 0;
        while (off < len) {
            /* Mostly short pieces, sometimes empty, sometimes long. */
            size_t piece = (size_t)(rng_next() % 7 == 0 ? rng_next() % 300 : rng_next() % 20);
            if (piece > len - off) piece = len - off;
            mbpf_sha512_update(&h, msg + off, piece);
            off += piece;
        }
        mbpf_sha512_update(&h, NULL, 0);
        mbpf_sha512_final(&h, got);
        assert_memory_equal(got, want, 64);
    }
}

/* Every length 0..400 covers each padding case: the 0x80 byte and the
 * 16-byte length fitting in the last block or spilling into a new one. */
static void test_sha512_every_length_to_400_matches_libsodium(void **state)
{
    (void)state;
    uint8_t msg[400], want[64], got[64];
    rng_state = 2;
    rng_fill(msg, sizeof msg);
    for (size_t len = 0; len <= sizeof msg; len++) {
        crypto_hash_sha512(want, msg, len);
        mbpf_sha512(msg, len, got);
        assert_memory_equal(got, want, 64);
    }
}

static void test_sha512_random_inputs_match_libsodium(void **state)
{
    (void)state;
    static uint8_t msg[20000];
    uint8_t want[64], got[64];
    rng_state = 3;
    for (int iter = 0; iter < 200; iter++) {
        size_t len = (size_t)(rng_next() % sizeof msg);
        rng_fill(msg, len);
        crypto_hash_sha512(want, msg, len);
        mbpf_sha512(msg, len, got);
        assert_memory_equal(got, want, 64);
    }
}

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha512_empty_message_matches_fips_vector),
        cmocka_unit_test(test_sha512_abc_matches_fips_vector),
        cmocka_unit_test(test_sha512_896_bit_two_block_message_matches_fips_vector),
        cmocka_unit_test(test_sha512_million_a_in_odd_chunks_matches_fips_vector),
        cmocka_unit_test(test_sha512_streaming_random_splits_equals_one_shot),
        cmocka_unit_test(test_sha512_every_length_to_400_matches_libsodium),
        cmocka_unit_test(test_sha512_random_inputs_match_libsodium),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
