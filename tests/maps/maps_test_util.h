/* Helpers shared by the map tests: make a map over malloc'd storage. */
#ifndef MAPS_TEST_UTIL_H
#define MAPS_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mbpf_map.h"

typedef struct test_map {
    mbpf_map_t m;
    void *storage;
    size_t size;
} test_map_t;

static inline mbpf_map_def_t test_def(uint32_t type, uint32_t key_size, uint32_t value_size,
                                      uint32_t max_entries)
{
    mbpf_map_def_t d;
    memset(&d, 0, sizeof d);
    memcpy(d.name, "m", 2);
    d.type = type;
    d.key_size = key_size;
    d.value_size = value_size;
    d.max_entries = max_entries;
    return d;
}

/* Returns 0 or the map error; the storage is freed by test_map_free. */
static inline int test_map_new(test_map_t *t, uint32_t type, uint32_t key_size, uint32_t value_size,
                               uint32_t max_entries, uint32_t ncpu)
{
    mbpf_map_def_t d = test_def(type, key_size, value_size, max_entries);
    memset(t, 0, sizeof *t);
    int r = mbpf_map_storage_size(&d, ncpu, SIZE_MAX, &t->size, NULL);
    if (r) return r;
    t->storage = malloc(t->size ? t->size : 1);
    if (!t->storage) return MBPF_MAP_E_INVALID_ARG;
    memset(t->storage, 0xA5, t->size); /* init must not rely on zeroed memory */
    return mbpf_map_init(&t->m, &d, ncpu, t->storage, t->size);
}

static inline void test_map_free(test_map_t *t)
{
    free(t->storage);
    t->storage = NULL;
}

static inline void key32(uint8_t k[4], uint32_t v)
{
    k[0] = (uint8_t)v;
    k[1] = (uint8_t)(v >> 8);
    k[2] = (uint8_t)(v >> 16);
    k[3] = (uint8_t)(v >> 24);
}

static inline uint32_t le32_of(const uint8_t k[4])
{
    return (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 24;
}

/* A small deterministic PRNG (xorshift64*), so failures replay. */
static inline uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static inline uint32_t rng_below(uint64_t *s, uint32_t n)
{
    return (uint32_t)((rng_next(s) >> 32) % n);
}

#endif
