/*
 * The hash of hash-type keys, inline because every hash operation starts
 * with it: word-at-a-time multiply/xor-shift mixing with a final avalanche, in 32-bit arithmetic so
 * it is as cheap on a Cortex-M as on a PC. Keys are mostly short (an address, a port, a byte), so
 * the cost is dominated by the finaliser, which spreads every input bit over every output bit; the
 * bucket index takes the low bits.
 *
 * Each map has its own seed (mbpf_map_init derives one from the map's name
 * and storage address; mbpf_map_reseed sets one), so keys that collide in
 * one map do not collide in another and an attacker who controls keys (for
 * example source addresses) cannot precompute colliding sets for every
 * device. The hash depends on the CPU's byte order, which only changes
 * iteration order.
 */
#ifndef MBPF_MAP_HASHFN_H
#define MBPF_MAP_HASHFN_H

#include <stdint.h>
#include <string.h>

static inline uint32_t rotl32(uint32_t x, unsigned r)
{
    return x << r | x >> (32u - r);
}

static inline uint32_t mix(uint32_t h, uint32_t w)
{
    h ^= w * 0x9E3779B1u;
    h = rotl32(h, 15) * 0x85EBCA77u;
    return h;
}

static inline uint32_t hash_start(uint32_t len, uint32_t seed)
{
    return seed ^ (len * 0xC2B2AE3Du);
}

/* Avalanche: xor-shift-multiply rounds. */
static inline uint32_t hash_final(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x7FEB352Du;
    h ^= h >> 15;
    h *= 0x846CA68Bu;
    h ^= h >> 16;
    return h;
}

static inline uint32_t map_hash(const void *key, uint32_t len, uint32_t seed)
{
    const uint8_t *k = key;
    uint32_t h = hash_start(len, seed);
    uint32_t n = len;
    for (; n >= 4; n -= 4, k += 4) {
        uint32_t w;
        memcpy(&w, k, 4);
        h = mix(h, w);
    }
    if (n) {
        uint8_t b[4] = {0, 0, 0, 0};
        for (uint32_t j = 0; j < n; j++) b[j] = k[j];
        uint32_t w;
        memcpy(&w, b, 4);
        h = mix(h, w);
    }
    return hash_final(h);
}

/* map_hash of a key of 1 to 8 bytes given as its two zero-padded words
 * (w1 unused up to 4 bytes): the same value without the byte loop. */
static inline uint32_t map_hash_small(uint32_t w0, uint32_t w1, uint32_t len, uint32_t seed)
{
    uint32_t h = mix(hash_start(len, seed), w0);
    if (len > 4) h = mix(h, w1);
    return hash_final(h);
}

#endif
