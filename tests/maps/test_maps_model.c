/*
 * Randomized model tests: for each map type, many long pseudo-random
 * operation sequences (full maps, LRU eviction order, deletion and
 * insertion during iteration, overlapping LPM prefixes, ring wrap-around
 * and drops) run against the map and the reference model in map_model.c.
 * MBPF_MODEL_SEED changes the sequences, MBPF_MODEL_SCALE multiplies their
 * number; a failure prints the seed and program to replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "map_model.h"
#include "maps_test_util.h"

#define PROGRAM_BYTES 6000

static uint64_t base_seed(void)
{
    const char *s = getenv("MBPF_MODEL_SEED");
    return s ? strtoull(s, NULL, 0) : 0x6D6170732D6D6F64ull;
}

static unsigned scale(void)
{
    const char *s = getenv("MBPF_MODEL_SCALE");
    unsigned v = s ? (unsigned)strtoul(s, NULL, 0) : 1;
    return v ? v : 1;
}

static void run_type(uint32_t type, const char *name)
{
    static uint8_t prog[PROGRAM_BYTES];
    model_stats_t st = {0};
    char why[256];
    unsigned programs = 400 * scale();
    uint64_t seed0 = base_seed() ^ (uint64_t)type * 0x9E3779B97F4A7C15ull;
    for (unsigned p = 0; p < programs; p++) {
        uint64_t s = seed0 + p;
        if (!s) s = 1;
        for (size_t i = 0; i < sizeof prog; i++) prog[i] = (uint8_t)(rng_next(&s) >> 56);
        /* Cycle the configuration bytes so every size and CPU count is hit. */
        prog[1] = (uint8_t)p;
        prog[2] = (uint8_t)(p / 8);
        prog[3] = (uint8_t)(p / 3);
        prog[4] = (uint8_t)(p / 5);
        if (model_run(prog, sizeof prog, type, &st, why, sizeof why) != 0) {
            print_error("%s: seed 0x%llx program %u: %s\n", name, (unsigned long long)base_seed(),
                        p, why);
            fail();
        }
    }
    print_message("[ MODEL    ] %-12s %llu ops, %llu full/drops, %llu evictions, %llu "
                  "deletes during iteration\n",
                  name, (unsigned long long)st.ops, (unsigned long long)st.full,
                  (unsigned long long)st.evictions, (unsigned long long)st.iter_deletes);
}

static void test_model_array(void **s)
{
    (void)s;
    run_type(MBPF_MAP_ARRAY, "array");
}
static void test_model_hash(void **s)
{
    (void)s;
    run_type(MBPF_MAP_HASH, "hash");
}
static void test_model_lru_hash(void **s)
{
    (void)s;
    run_type(MBPF_MAP_LRU_HASH, "lru_hash");
}
static void test_model_percpu_array(void **s)
{
    (void)s;
    run_type(MBPF_MAP_PERCPU_ARRAY, "percpu_array");
}
static void test_model_percpu_hash(void **s)
{
    (void)s;
    run_type(MBPF_MAP_PERCPU_HASH, "percpu_hash");
}
static void test_model_counter(void **s)
{
    (void)s;
    run_type(MBPF_MAP_COUNTER, "counter");
}
static void test_model_ringbuf(void **s)
{
    (void)s;
    run_type(MBPF_MAP_RINGBUF, "ringbuf");
}
static void test_model_lpm_trie(void **s)
{
    (void)s;
    run_type(MBPF_MAP_LPM_TRIE, "lpm_trie");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_array),       cmocka_unit_test(test_model_hash),
        cmocka_unit_test(test_model_lru_hash),    cmocka_unit_test(test_model_percpu_array),
        cmocka_unit_test(test_model_percpu_hash), cmocka_unit_test(test_model_counter),
        cmocka_unit_test(test_model_ringbuf),     cmocka_unit_test(test_model_lpm_trie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
