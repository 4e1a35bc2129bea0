/*
 * Map micro-benchmarks: per-operation cost of lookup and update for every
 * map type, with 4-byte keys and 8-byte values (plus the 1-byte-key
 * "count packets per source byte" pattern). Prints nanoseconds per
 * operation; bench/maps/callgrind.sh runs each operation under callgrind
 * for exact instruction counts. Prints figures, asserts nothing.
 *
 * Usage: bench_maps [OP [ITERATIONS]]   (no OP: every operation)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mbpf_map.h"

#define NOINLINE __attribute__((noinline))

static mbpf_map_t *new_map(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max)
{
    mbpf_map_def_t d;
    memset(&d, 0, sizeof d);
    memcpy(d.name, "bench", 6);
    d.type = type;
    d.key_size = ks;
    d.value_size = vs;
    d.max_entries = max;
    size_t sz;
    mbpf_map_t *m = malloc(sizeof *m);
    void *storage = NULL;
    if (!m || mbpf_map_storage_size(&d, 2, SIZE_MAX, &sz, NULL) ||
        posix_memalign(&storage, 64, sz) || mbpf_map_init(m, &d, 2, storage, sz)) {
        fprintf(stderr, "bench_maps: cannot create map type %u\n", type);
        exit(1);
    }
    return m;
}

static volatile uint64_t sink;

/* Indexed maps: keys are little-endian u32 indices. */
static uint8_t idx_keys[256][4];

static NOINLINE void bench_array_lookup(mbpf_map_t *m, unsigned n)
{
    uint8_t v[8];
    for (unsigned i = 0; i < n; i++) mbpf_map_lookup(m, idx_keys[i & 255], 4, v, 8);
    sink = v[0];
}

static NOINLINE void bench_array_update(mbpf_map_t *m, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) mbpf_map_update(m, idx_keys[i & 255], 4, &v, 8, 0);
}

static NOINLINE void bench_hash_lookup(mbpf_map_t *m, unsigned n)
{
    uint8_t v[8];
    for (unsigned i = 0; i < n; i++) {
        uint32_t k = i & 255;
        mbpf_map_lookup(m, &k, 4, v, 8);
    }
    sink = v[0];
}

static NOINLINE void bench_hash_update(mbpf_map_t *m, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t k = i & 255;
        mbpf_map_update(m, &k, 4, &v, 8, 0);
    }
}

/* Count packets per source byte: lookup, then update with the count + 1. */
static NOINLINE void bench_count_by_byte(mbpf_map_t *m, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint8_t k = (uint8_t)(i * 7);
        uint64_t v = 0;
        mbpf_map_lookup(m, &k, 1, &v, 8);
        v++;
        mbpf_map_update(m, &k, 1, &v, 8, 0);
    }
}

static NOINLINE void bench_counter_add(mbpf_map_t *m, unsigned n)
{
    for (unsigned i = 0; i < n; i++) mbpf_map_counter_add(m, i & 255, 1, NULL);
}

static NOINLINE void bench_counter_get(mbpf_map_t *m, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) mbpf_map_counter_get(m, i & 255, &v);
    sink = v;
}

static int drop_record(void *ctx, const void *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return 0;
}

/* One 8-byte record out and back in. */
static NOINLINE void bench_ringbuf_output_consume(mbpf_map_t *m, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        mbpf_map_ringbuf_output(m, &v, 8);
        mbpf_map_ringbuf_consume(m, drop_record, NULL, 1);
    }
}

static uint8_t lpm_keys[256][8];

static NOINLINE void bench_lpm_lookup(mbpf_map_t *m, unsigned n)
{
    uint8_t v[8];
    for (unsigned i = 0; i < n; i++) mbpf_map_lookup(m, lpm_keys[i & 255], 8, v, 8);
    sink = v[0];
}

static NOINLINE void bench_lpm_update(mbpf_map_t *m, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        uint8_t k[8] = {24, 0, 0, 0, 10, 1, (uint8_t)i, 0};
        mbpf_map_update(m, k, 8, &v, 8, 0);
    }
}

typedef struct bench {
    const char *name;
    void (*fn)(mbpf_map_t *, unsigned);
    uint32_t type, ks;
} bench_t;

static const bench_t benches[] = {
    {"array_lookup", bench_array_lookup, MBPF_MAP_ARRAY, 0},
    {"array_update", bench_array_update, MBPF_MAP_ARRAY, 0},
    {"percpu_array_lookup", bench_array_lookup, MBPF_MAP_PERCPU_ARRAY, 0},
    {"percpu_array_update", bench_array_update, MBPF_MAP_PERCPU_ARRAY, 0},
    {"hash_lookup", bench_hash_lookup, MBPF_MAP_HASH, 4},
    {"hash_update", bench_hash_update, MBPF_MAP_HASH, 4},
    {"lru_hash_lookup", bench_hash_lookup, MBPF_MAP_LRU_HASH, 4},
    {"lru_hash_update", bench_hash_update, MBPF_MAP_LRU_HASH, 4},
    {"percpu_hash_lookup", bench_hash_lookup, MBPF_MAP_PERCPU_HASH, 4},
    {"percpu_hash_update", bench_hash_update, MBPF_MAP_PERCPU_HASH, 4},
    {"hash_count_by_byte", bench_count_by_byte, MBPF_MAP_HASH, 1},
    {"counter_add", bench_counter_add, MBPF_MAP_COUNTER, 0},
    {"counter_get", bench_counter_get, MBPF_MAP_COUNTER, 0},
    {"ringbuf_output_consume", bench_ringbuf_output_consume, MBPF_MAP_RINGBUF, 0},
    {"lpm_lookup", bench_lpm_lookup, MBPF_MAP_LPM_TRIE, 8},
    {"lpm_update", bench_lpm_update, MBPF_MAP_LPM_TRIE, 8},
};

static mbpf_map_t *prepare(const bench_t *b)
{
    mbpf_map_t *m;
    if (b->type == MBPF_MAP_RINGBUF) return new_map(b->type, 0, 0, 4096);
    m = new_map(b->type, b->ks, 8, 1024);
    uint64_t v = 1;
    if (b->ks == 4 && b->type != MBPF_MAP_LPM_TRIE)
        for (uint32_t k = 0; k < 256; k++) mbpf_map_update(m, &k, 4, &v, 8, 0);
    if (b->type == MBPF_MAP_LPM_TRIE) {
        /* A small routing table: /8, /16, /24 and /32 routes. */
        static const uint8_t lens[4] = {8, 16, 24, 32};
        for (uint32_t i = 0; i < 64; i++) {
            uint8_t k[8] = {lens[i % 4], 0, 0, 0, 10, (uint8_t)(i % 16), (uint8_t)i, 1};
            mbpf_map_update(m, k, 8, &v, 8, 0);
        }
    }
    return m;
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 1000000;
    for (uint32_t i = 0; i < 256; i++) {
        idx_keys[i][0] = (uint8_t)i;
        uint8_t k[8] = {32, 0, 0, 0, 10, (uint8_t)(i % 16), (uint8_t)i, (uint8_t)(i * 3)};
        memcpy(lpm_keys[i], k, 8);
    }
    int ran = 0;
    printf("%-24s %10s %12s\n", "operation", "ns/op", "iterations");
    for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
        const bench_t *b = &benches[i];
        if (only && strcmp(only, b->name) != 0) continue;
        mbpf_map_t *m = prepare(b);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        b->fn(m, n);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
        printf("%-24s %10.1f %12u\n", b->name, ns / n, n);
        ran++;
        /* storage and m are left to process exit */
    }
    if (!ran) {
        fprintf(stderr, "bench_maps: unknown operation '%s'\n", only);
        return 2;
    }
    return 0;
}
