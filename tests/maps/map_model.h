/*
 * A reference model of every map type and a driver that decodes a byte
 * string into a map configuration and a sequence of operations, runs each
 * on a real map and on the model, and compares every result. The model
 * test feeds it long pseudo-random strings; the fuzzer feeds it libFuzzer's.
 */
#ifndef MAP_MODEL_H
#define MAP_MODEL_H

#include <stddef.h>
#include <stdint.h>

typedef struct model_stats {
    uint64_t ops;       /* operations compared */
    uint64_t full;      /* updates refused with MBPF_MAP_E_FULL or ring drops */
    uint64_t evictions; /* LRU inserts that evicted */
    uint64_t iter_deletes;
} model_stats_t;

/* Runs data as a program; returns 0, or -1 with why describing the first
 * divergence between the map and the model. type_hint, if non-zero,
 * overrides the map type chosen by the first byte. */
int model_run(const uint8_t *data, size_t len, uint32_t type_hint, model_stats_t *st, char *why,
              size_t why_len);

#endif
