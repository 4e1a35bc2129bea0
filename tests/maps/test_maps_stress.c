/*
 * Multi-threaded stress tests: several writer and reader threads on one map.
 * They check the invariants concurrency must keep — no torn value (every
 * value carries a self-check), no lost counter increment, no lost,
 * duplicated or corrupted ring record among those reported written, no key
 * returned twice by one iteration — and they are the tests ThreadSanitizer
 * runs (label "stress"; configure with -DMBPF_SANITIZE=thread).
 * MBPF_STRESS_SCALE multiplies the iteration counts; MBPF_STRESS_FILTER (a
 * cmocka name pattern) selects tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "hashfn.h" /* to pick keys that share a bucket */
#include "maps_test_util.h"

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

#define WRITERS 2
#define READERS 2

static unsigned iters(unsigned base)
{
    const char *s = getenv("MBPF_STRESS_SCALE");
    unsigned k = s ? (unsigned)strtoul(s, NULL, 0) : 1;
    return (UNDER_TSAN ? base / 4 : base / 2) * (k ? k : 1);
}

typedef struct shared {
    test_map_t t;
    uint32_t vs, nkeys;
    unsigned n;
    atomic_int writers_left;
    atomic_ulong torn, dup, busy, ok_reads;
} shared_t;

typedef struct worker {
    shared_t *s;
    uint32_t id;
    pthread_t th;
} worker_t;

/* Threads wait here until all exist, so readers and writers overlap. */
static atomic_int started;

static void start_together(int nthreads)
{
    atomic_fetch_add(&started, 1);
    while (atomic_load(&started) < nthreads) sched_yield();
}

/* Counts a writer's update or delete result when "no such key" and "map
 * full" are expected outcomes: BUSY as busy, anything else as a failure. */
static void count_write(shared_t *s, int r)
{
    if (r == MBPF_MAP_E_BUSY)
        atomic_fetch_add(&s->busy, 1);
    else if (r && r != MBPF_MAP_E_NOENT && r != MBPF_MAP_E_FULL)
        atomic_fetch_add(&s->torn, 1);
}

static void run_threads(shared_t *s, void *(*writer)(void *), void *(*reader)(void *))
{
    worker_t w[WRITERS + READERS];
    atomic_init(&s->writers_left, WRITERS);
    atomic_store(&started, 0);
    for (uint32_t i = 0; i < WRITERS + READERS; i++) {
        w[i].s = s;
        w[i].id = i;
        assert_int_equal(pthread_create(&w[i].th, NULL, i < WRITERS ? writer : reader, &w[i]), 0);
    }
    for (uint32_t i = 0; i < WRITERS + READERS; i++) pthread_join(w[i].th, NULL);
    print_message("[ STRESS   ] %u ops/thread, %lu checked reads, %lu busy\n", s->n,
                  (unsigned long)atomic_load(&s->ok_reads), (unsigned long)atomic_load(&s->busy));
    assert_int_equal(atomic_load(&s->torn), 0);
    assert_int_equal(atomic_load(&s->dup), 0);
}

/* A value is words w[0] = key, w[1] = generation, w[i] = mix(key, gen, i)
 * (a u64 value: w[0] = key ^ mix(key, gen, 1)): any mixture of two writes
 * fails the check. */
static uint32_t mixw(uint32_t key, uint32_t gen, uint32_t i)
{
    uint32_t x = key * 0x9E3779B1u ^ gen * 0x85EBCA77u ^ i * 0xC2B2AE3Du;
    x ^= x >> 15;
    return x * 0x2C1B3C6Du;
}

static void make_value(uint32_t *v, uint32_t words, uint32_t key, uint32_t gen)
{
    v[0] = key;
    v[1] = gen;
    for (uint32_t i = 2; i < words; i++) v[i] = mixw(key, gen, i);
    if (words == 2) v[0] ^= mixw(key, gen, 1); /* so a u64 torn between writes shows */
}

static int value_ok(const uint32_t *v, uint32_t words, uint32_t key)
{
    if (v[0] != (words == 2 ? key ^ mixw(key, v[1], 1) : key)) return 0;
    for (uint32_t i = 2; i < words; i++)
        if (v[i] != mixw(key, v[1], i)) return 0;
    return 1;
}

static int all_zero(const uint32_t *v, uint32_t words)
{
    for (uint32_t i = 0; i < words; i++)
        if (v[i]) return 0;
    return 1;
}

/* ---- arrays ----------------------------------------------------------- */

static void *array_writer(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint32_t v[16], words = s->vs / 4;
    uint64_t rng = 0x1234 + w->id;
    for (unsigned i = 0; i < s->n; i++) {
        uint32_t idx = rng_below(&rng, s->nkeys);
        uint8_t k[4];
        key32(k, idx);
        make_value(v, words, idx, i * WRITERS + w->id);
        int r = s->t.m.def.type == MBPF_MAP_PERCPU_ARRAY
                    ? mbpf_map_update_cpu(&s->t.m, w->id, k, 4, v, s->vs, MBPF_MAP_ANY)
                    : mbpf_map_update(&s->t.m, k, 4, v, s->vs, MBPF_MAP_ANY);
        if (r == MBPF_MAP_E_BUSY)
            atomic_fetch_add(&s->busy, 1);
        else if (r)
            atomic_fetch_add(&s->torn, 1);
    }
    atomic_fetch_sub(&s->writers_left, 1);
    return NULL;
}

static void *array_reader(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint32_t v[16], words = s->vs / 4;
    uint64_t rng = 0x9876 + w->id;
    unsigned i = 0;
    while (atomic_load(&s->writers_left) > 0 || i < s->n / 4) {
        i++;
        uint32_t idx = rng_below(&rng, s->nkeys), cpu = rng_below(&rng, s->t.m.ncpu);
        uint8_t k[4];
        key32(k, idx);
        int r = mbpf_map_lookup_cpu(&s->t.m, cpu, k, 4, v, s->vs);
        if (r == MBPF_MAP_E_BUSY) {
            atomic_fetch_add(&s->busy, 1);
            continue;
        }
        if (r || !(all_zero(v, words) || value_ok(v, words, idx)))
            atomic_fetch_add(&s->torn, 1);
        else
            atomic_fetch_add_explicit(&s->ok_reads, 1, memory_order_relaxed);
    }
    return NULL;
}

static void stress_array(uint32_t type)
{
    shared_t *s = calloc(1, sizeof *s);
    s->vs = 64;
    s->nkeys = 8;
    s->n = iters(200000);
    assert_int_equal(test_map_new(&s->t, type, 0, s->vs, s->nkeys, WRITERS), 0);
    run_threads(s, array_writer, array_reader);
    test_map_free(&s->t);
    free(s);
}

static void test_stress_array_values_never_torn(void **st)
{
    (void)st;
    stress_array(MBPF_MAP_ARRAY);
}

static void test_stress_percpu_array_values_never_torn(void **st)
{
    (void)st;
    stress_array(MBPF_MAP_PERCPU_ARRAY);
}

/* ---- hash types ------------------------------------------------------- */

static void *hash_writer(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint32_t v[16], words = s->vs / 4;
    uint64_t rng = 0x5555 + w->id;
    int percpu = s->t.m.def.type == MBPF_MAP_PERCPU_HASH;
    for (unsigned i = 0; i < s->n; i++) {
        uint32_t key = rng_below(&rng, s->nkeys), op = rng_below(&rng, 8);
        make_value(v, words, key, i * WRITERS + w->id);
        int r;
        if (op < 5)
            r = mbpf_map_update_cpu(&s->t.m, percpu ? w->id : 0, &key, 4, v, s->vs,
                                    op == 4   ? MBPF_MAP_NOEXIST
                                    : op == 3 ? MBPF_MAP_EXIST
                                              : 0);
        else
            r = mbpf_map_delete(&s->t.m, &key, 4);
        if (r == MBPF_MAP_E_BUSY)
            atomic_fetch_add(&s->busy, 1);
        else if (r && r != MBPF_MAP_E_FULL && r != MBPF_MAP_E_NOENT && r != MBPF_MAP_E_EXIST)
            atomic_fetch_add(&s->torn, 1);
    }
    atomic_fetch_sub(&s->writers_left, 1);
    return NULL;
}

static void hash_iterate_once(shared_t *s)
{
    /* Keys come back in a strict order, so none may repeat in one pass even
     * while writers insert and delete. */
    uint32_t seen[256], n = 0, k;
    int r = mbpf_map_next_key(&s->t.m, NULL, 0, &k, 4);
    while (r == 0 && n < 256) {
        for (uint32_t j = 0; j < n; j++)
            if (seen[j] == k) atomic_fetch_add(&s->dup, 1);
        seen[n++] = k;
        r = mbpf_map_next_key(&s->t.m, &k, 4, &k, 4);
    }
    if (r == MBPF_MAP_E_BUSY)
        atomic_fetch_add(&s->busy, 1);
    else if (r != MBPF_MAP_E_NOENT)
        atomic_fetch_add(&s->dup, 1);
}

static void *hash_reader(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint32_t v[16], words = s->vs / 4;
    uint64_t rng = 0xABCD + w->id;
    unsigned i = 0;
    while (atomic_load(&s->writers_left) > 0 || i < s->n / 4) {
        i++;
        uint32_t key = rng_below(&rng, s->nkeys), cpu = rng_below(&rng, s->t.m.ncpu);
        if (rng_below(&rng, 512) == 0) {
            hash_iterate_once(s);
            continue;
        }
        int r = mbpf_map_lookup_cpu(&s->t.m, cpu, &key, 4, v, s->vs);
        if (r == MBPF_MAP_E_BUSY) {
            atomic_fetch_add(&s->busy, 1);
            continue;
        }
        if (r == MBPF_MAP_E_NOENT) continue;
        /* A per-CPU hash slot is zero until that CPU writes it. */
        int percpu_zero = s->t.m.def.type == MBPF_MAP_PERCPU_HASH && all_zero(v, words);
        if (r || !(percpu_zero || value_ok(v, words, key)))
            atomic_fetch_add(&s->torn, 1);
        else
            atomic_fetch_add_explicit(&s->ok_reads, 1, memory_order_relaxed);
    }
    return NULL;
}

static void stress_hash(uint32_t type, uint32_t vs)
{
    shared_t *s = calloc(1, sizeof *s);
    s->vs = vs;
    s->nkeys = 48; /* keys > max_entries: the map is often full */
    s->n = iters(200000);
    assert_int_equal(test_map_new(&s->t, type, 4, s->vs, 32, WRITERS), 0);
    run_threads(s, hash_writer, hash_reader);
    assert_true(mbpf_map_count(&s->t.m) <= 32);
    test_map_free(&s->t);
    free(s);
}

static void test_stress_hash_values_never_torn(void **st)
{
    (void)st;
    stress_hash(MBPF_MAP_HASH, 32);
}

/* 4-byte keys and 8-byte values: the shape with its own first tries. */
static void test_stress_hash_u64_values_never_torn(void **st)
{
    (void)st;
    stress_hash(MBPF_MAP_HASH, 8);
}

static void test_stress_lru_hash_values_never_torn(void **st)
{
    (void)st;
    stress_hash(MBPF_MAP_LRU_HASH, 32);
}

static void test_stress_percpu_hash_values_never_torn(void **st)
{
    (void)st;
    stress_hash(MBPF_MAP_PERCPU_HASH, 32);
}

/* A lookup whose output array is its own key array (key size = value
 * size) must keep searching for the key it was given when a delete in the
 * same bucket makes it retry. One key stays in the map while writers
 * insert and delete keys chosen (with the map's own hash) to share its
 * bucket; its value is no key, so a retry that searched with the value
 * would come back empty. */
#define ALIAS_KS    16u
#define ALIAS_CHURN 3u

static void alias_key(uint32_t k[4], uint32_t which)
{
    k[0] = 0x6B6579u;
    k[1] = k[2] = which;
    k[3] = ~which;
}

static uint32_t alias_churn[ALIAS_CHURN];

static void *alias_writer(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint64_t rng = 0x1234 + w->id;
    for (unsigned i = 0; i < s->n; i++) {
        uint32_t k[4], v[4];
        alias_key(k, alias_churn[rng_below(&rng, ALIAS_CHURN)]);
        make_value(v, 4, k[1], i);
        int r = i & 1 ? mbpf_map_delete(&s->t.m, k, ALIAS_KS)
                      : mbpf_map_update(&s->t.m, k, ALIAS_KS, v, ALIAS_KS, 0);
        count_write(s, r);
    }
    atomic_fetch_sub(&s->writers_left, 1);
    return NULL;
}

static void *alias_reader(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    unsigned i = 0;
    while (atomic_load(&s->writers_left) > 0 || i < s->n / 4) {
        i++;
        uint32_t kv[4];
        alias_key(kv, 0);
        int r = mbpf_map_lookup(&s->t.m, kv, ALIAS_KS, kv, ALIAS_KS);
        if (r == MBPF_MAP_E_BUSY) {
            atomic_fetch_add(&s->busy, 1);
            continue;
        }
        if (r || !value_ok(kv, 4, 0))
            atomic_fetch_add(&s->torn, 1);
        else
            atomic_fetch_add_explicit(&s->ok_reads, 1, memory_order_relaxed);
    }
    return NULL;
}

static void test_stress_hash_lookup_into_its_key_survives_retry(void **st)
{
    (void)st;
    shared_t *s = calloc(1, sizeof *s);
    s->n = iters(200000);
    assert_int_equal(test_map_new(&s->t, MBPF_MAP_HASH, ALIAS_KS, ALIAS_KS, 1 + ALIAS_CHURN, 1), 0);
    const mbpf_map_t *m = &s->t.m;
    uint32_t k[4], v[4];
    alias_key(k, 0);
    uint32_t bucket = map_hash(k, ALIAS_KS, m->seed) & m->bucket_mask;
    for (uint32_t which = 1, n = 0; n < ALIAS_CHURN; which++) {
        alias_key(k, which);
        if ((map_hash(k, ALIAS_KS, m->seed) & m->bucket_mask) == bucket) alias_churn[n++] = which;
    }
    alias_key(k, 0);
    make_value(v, 4, 0, 7);
    assert_int_equal(mbpf_map_update(&s->t.m, k, ALIAS_KS, v, ALIAS_KS, 0), 0);
    run_threads(s, alias_writer, alias_reader);
    test_map_free(&s->t);
    free(s);
}

/* ---- LPM ---------------------------------------------------------------- */

/* Prefixes are 10.x.0.0/16 and 10.x.y.0/24 for x, y < 4; the value names the
 * prefix, so a reader can check the match is a real, matching prefix. */
static void lpm_prefix(uint8_t k[8], uint32_t which)
{
    uint32_t plen = which & 1 ? 24 : 16;
    key32(k, plen);
    k[4] = 10;
    k[5] = (uint8_t)(which >> 1 & 3);
    k[6] = plen == 24 ? (uint8_t)(which >> 3 & 3) : 0;
    k[7] = 0;
}

static void *lpm_writer(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint64_t rng = 0x777 + w->id;
    for (unsigned i = 0; i < s->n; i++) {
        uint32_t which = rng_below(&rng, 32);
        uint8_t k[8];
        lpm_prefix(k, which);
        uint32_t v[4];
        make_value(v, 4, which, i);
        int r = rng_below(&rng, 3) ? mbpf_map_update(&s->t.m, k, 8, v, 16, 0)
                                   : mbpf_map_delete(&s->t.m, k, 8);
        count_write(s, r);
    }
    atomic_fetch_sub(&s->writers_left, 1);
    return NULL;
}

static void *lpm_reader(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint64_t rng = 0x4242 + w->id;
    unsigned i = 0;
    while (atomic_load(&s->writers_left) > 0 || i < s->n / 4) {
        i++;
        uint8_t k[8] = {32,
                        0,
                        0,
                        0,
                        10,
                        (uint8_t)rng_below(&rng, 4),
                        (uint8_t)rng_below(&rng, 4),
                        (uint8_t)rng_below(&rng, 256)};
        uint32_t v[4];
        int r = mbpf_map_lookup(&s->t.m, k, 8, v, 16);
        if (r == MBPF_MAP_E_BUSY) {
            atomic_fetch_add(&s->busy, 1);
            continue;
        }
        if (r == MBPF_MAP_E_NOENT) continue;
        uint8_t pk[8];
        lpm_prefix(pk, v[0] & 31);
        int match = v[0] < 32 && pk[5] == k[5] && (pk[0] == 16 || pk[6] == k[6]);
        if (r || !value_ok(v, 4, v[0]) || !match)
            atomic_fetch_add(&s->torn, 1);
        else
            atomic_fetch_add_explicit(&s->ok_reads, 1, memory_order_relaxed);
    }
    return NULL;
}

static void test_stress_lpm_matches_are_real_prefixes(void **st)
{
    (void)st;
    shared_t *s = calloc(1, sizeof *s);
    s->n = iters(100000);
    assert_int_equal(test_map_new(&s->t, MBPF_MAP_LPM_TRIE, 8, 16, 24, 1), 0);
    run_threads(s, lpm_writer, lpm_reader);
    test_map_free(&s->t);
    free(s);
}

/* ---- counter ------------------------------------------------------------ */

static void *counter_writer(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    for (unsigned i = 0; i < s->n; i++) {
        /* Index 0 counts ones; index 1 adds 2^32 - 1 to carry across words. */
        if (mbpf_map_counter_add(&s->t.m, 0, 1, NULL) ||
            mbpf_map_counter_add(&s->t.m, 1, 0xFFFFFFFFull, NULL))
            atomic_fetch_add(&s->torn, 1);
    }
    return NULL;
}

static void *counter_reader(void *p)
{
    worker_t *w = p;
    shared_t *s = w->s;
    start_together(WRITERS + READERS);
    uint64_t last = 0;
    for (unsigned i = 0; i < s->n; i++) {
        uint64_t v;
        uint8_t k[4] = {1, 0, 0, 0}, out[8];
        if (mbpf_map_counter_get(&s->t.m, 0, &v)) atomic_fetch_add(&s->torn, 1);
        if (v < last) atomic_fetch_add(&s->torn, 1); /* counters only grow */
        last = v;
        if (mbpf_map_lookup(&s->t.m, k, 4, out, 8)) atomic_fetch_add(&s->torn, 1);
        uint64_t big = 0;
        for (int b = 7; b >= 0; b--) big = big << 8 | out[b];
        if (big % 0xFFFFFFFFull) atomic_fetch_add(&s->torn, 1);
        atomic_fetch_add_explicit(&s->ok_reads, 1, memory_order_relaxed);
    }
    return NULL;
}

static void test_stress_counter_loses_no_increment(void **st)
{
    (void)st;
    shared_t *s = calloc(1, sizeof *s);
    s->n = iters(400000);
    assert_int_equal(test_map_new(&s->t, MBPF_MAP_COUNTER, 0, 8, 2, 1), 0);
    run_threads(s, counter_writer, counter_reader);
    uint64_t v;
    assert_int_equal(mbpf_map_counter_get(&s->t.m, 0, &v), 0);
    assert_int_equal(v, (uint64_t)WRITERS * s->n);
    assert_int_equal(mbpf_map_counter_get(&s->t.m, 1, &v), 0);
    assert_true(v == (uint64_t)WRITERS * s->n * 0xFFFFFFFFull);
    test_map_free(&s->t);
    free(s);
}

/* ---- ring buffer -------------------------------------------------------- */

#define PRODUCERS 3

typedef struct ring_shared {
    test_map_t t;
    unsigned n;
    atomic_int producers_left;
    atomic_ulong ok[PRODUCERS], full[PRODUCERS];
    /* Consumer-side state: only touched inside consume callbacks, which the
     * map's consumer lock serialises. */
    uint64_t got[PRODUCERS];
    int64_t last_seq[PRODUCERS];
    uint64_t bad;
} ring_shared_t;

typedef struct ring_worker {
    ring_shared_t *s;
    uint32_t id;
    pthread_t th;
} ring_worker_t;

/* Record: u32 producer, u32 seq, then payload bytes derived from both. */
static void *ring_producer(void *p)
{
    ring_worker_t *w = p;
    ring_shared_t *s = w->s;
    start_together(PRODUCERS + 2);
    uint64_t rng = 0x3131 + w->id;
    uint8_t rec[120];
    for (unsigned i = 0; i < s->n; i++) {
        uint32_t len = 8 + rng_below(&rng, sizeof rec - 8);
        memcpy(rec, &w->id, 4);
        memcpy(rec + 4, &i, 4);
        for (uint32_t j = 8; j < len; j++) rec[j] = (uint8_t)(w->id * 31 + i * 7 + j);
        int r = mbpf_map_ringbuf_output(&s->t.m, rec, len);
        if (r == 0)
            atomic_fetch_add(&s->ok[w->id], 1);
        else if (r == MBPF_MAP_E_RING_FULL || r == MBPF_MAP_E_BUSY) {
            atomic_fetch_add(&s->full[w->id], 1);
            sched_yield(); /* let the consumers run, as a real producer would */
        } else
            abort();
    }
    atomic_fetch_sub(&s->producers_left, 1);
    return NULL;
}

static int ring_check(void *ctx, const void *data, size_t len)
{
    ring_shared_t *s = ctx;
    const uint8_t *rec = data;
    uint32_t id, seq;
    if (len < 8) {
        s->bad++;
        return 0;
    }
    memcpy(&id, rec, 4);
    memcpy(&seq, rec + 4, 4);
    if (id >= PRODUCERS) {
        s->bad++;
        return 0;
    }
    for (size_t j = 8; j < len; j++)
        if (rec[j] != (uint8_t)(id * 31 + seq * 7 + j)) s->bad++;
    /* One producer's records arrive in the order it wrote them. */
    if ((int64_t)seq <= s->last_seq[id]) s->bad++;
    s->last_seq[id] = seq;
    s->got[id]++;
    return 0;
}

static void *ring_consumer(void *p)
{
    ring_worker_t *w = p;
    ring_shared_t *s = w->s;
    start_together(PRODUCERS + 2);
    for (;;) {
        int done = atomic_load(&s->producers_left) == 0;
        int r = mbpf_map_ringbuf_consume(&s->t.m, ring_check, s, 1 + w->id);
        if (r < 0 && r != MBPF_MAP_E_BUSY) abort();
        if (done && r == 0) break;
    }
    return NULL;
}

static void test_stress_ringbuf_loses_and_duplicates_no_written_record(void **st)
{
    (void)st;
    ring_shared_t *s = calloc(1, sizeof *s);
    s->n = iters(100000);
    for (int i = 0; i < PRODUCERS; i++) s->last_seq[i] = -1;
    atomic_init(&s->producers_left, PRODUCERS);
    atomic_store(&started, 0);
    assert_int_equal(test_map_new(&s->t, MBPF_MAP_RINGBUF, 0, 0, 4096, 1), 0);
    ring_worker_t w[PRODUCERS + 2];
    for (uint32_t i = 0; i < PRODUCERS + 2; i++) {
        w[i].s = s;
        w[i].id = i < PRODUCERS ? i : i - PRODUCERS;
        assert_int_equal(
            pthread_create(&w[i].th, NULL, i < PRODUCERS ? ring_producer : ring_consumer, &w[i]),
            0);
    }
    for (uint32_t i = 0; i < PRODUCERS + 2; i++) pthread_join(w[i].th, NULL);
    /* Drain anything the consumers left (they stop on an empty poll). */
    while (mbpf_map_ringbuf_consume(&s->t.m, ring_check, s, 0) > 0) {
    }
    mbpf_map_ringbuf_stats_t rs;
    assert_int_equal(mbpf_map_ringbuf_stats(&s->t.m, &rs), 0);
    uint64_t ok = 0, full = 0, got = 0;
    for (int i = 0; i < PRODUCERS; i++) {
        assert_int_equal(s->got[i], atomic_load(&s->ok[i]));
        ok += atomic_load(&s->ok[i]);
        full += atomic_load(&s->full[i]);
        got += s->got[i];
    }
    print_message("[ STRESS   ] %u records/producer: %llu written, %llu dropped\n", s->n,
                  (unsigned long long)ok, (unsigned long long)full);
    assert_int_equal(s->bad, 0);
    assert_int_equal(rs.written, ok);
    assert_int_equal(rs.dropped, full);
    assert_int_equal(got, ok);
    assert_int_equal(rs.pending, 0);
    test_map_free(&s->t);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress_array_values_never_torn),
        cmocka_unit_test(test_stress_percpu_array_values_never_torn),
        cmocka_unit_test(test_stress_hash_values_never_torn),
        cmocka_unit_test(test_stress_hash_u64_values_never_torn),
        cmocka_unit_test(test_stress_lru_hash_values_never_torn),
        cmocka_unit_test(test_stress_percpu_hash_values_never_torn),
        cmocka_unit_test(test_stress_hash_lookup_into_its_key_survives_retry),
        cmocka_unit_test(test_stress_lpm_matches_are_real_prefixes),
        cmocka_unit_test(test_stress_counter_loses_no_increment),
        cmocka_unit_test(test_stress_ringbuf_loses_and_duplicates_no_written_record),
    };
    /* e.g. "*_loses_*": the counter and ring tests only */
    const char *filter = getenv("MBPF_STRESS_FILTER");
    if (filter) cmocka_set_test_filter(filter);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
