/*
 * Shared internals of the map library: storage layout, value slots, the
 * bounded spin, and the per-type entry points map.c dispatches to.
 *
 * Concurrency scheme (docs/MAPS.md has the long form):
 *
 *  - A value lives in a *slot*: one 32-bit sequence word followed by the
 *    value as 32-bit words. The sequence word is a seqlock that doubles as
 *    the slot's writer lock: a writer moves it from even to odd with a
 *    compare-and-swap, stores the words, and releases it at +2. Readers take
 *    no lock: they read the sequence (retrying while odd), copy the words
 *    with relaxed atomic loads, and retry if the sequence changed. Every
 *    shared word is accessed atomically, so there is no data race.
 *  - Array types: one slot per (CPU, index); writers to different entries
 *    or CPUs never contend.
 *  - Hash types: chains of nodes in a fixed pool, one chain per bucket, each
 *    bucket with a sequence word that changes only when a node is unlinked
 *    from it. Readers walk the chain and read the node's slot, then check
 *    the bucket sequence: a node deleted (and possibly reused) during the
 *    read is detected and the read retried. Overwriting an existing key
 *    locks only its slot (then re-checks the bucket sequence); inserting,
 *    deleting, and every LRU update take the map's spinlock (so LRU
 *    slot writes, all under it, need no compare-and-swap). Deleting
 *    locks and releases each of the node's slots after unlinking, so no
 *    slot writer that found the node before the unlink can still be
 *    writing when the node is reused.
 *  - LPM tries add a map-wide sequence around structural changes so a
 *    lookup's several probes see one state of the trie.
 *  - Every spin a caller can meet is bounded by MBPF_MAP_SPIN_LIMIT: an
 *    operation that would wait longer (a writer interrupted on its own CPU
 *    by a program that reads the same entry) fails with MBPF_MAP_E_BUSY
 *    instead of hanging. Two waits are unbounded because they only wait
 *    for another writer's few-instruction critical section: a delete
 *    flushing slot writers, and the 64-bit counter fallback lock.
 */
#ifndef MBPF_MAP_INTERNAL_H
#define MBPF_MAP_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "atomic64.h"
#include "hashfn.h"
#include "mbpf_atomic.h"
#include "mbpf_map.h"

#ifndef MBPF_MAP_SPIN_LIMIT
#define MBPF_MAP_SPIN_LIMIT (1u << 22)
#endif

#define MAP_NIL 0xFFFFFFFFu

/* A build for size (-Os, as the Cortex-M port) keeps one general copy of
 * each hash operation instead of one per common key and value shape, and
 * lets the compiler choose what to inline: about 5 KB less code on
 * Cortex-M4 for some 20-40% more instructions per hash operation. Define
 * MBPF_MAPS_COMPACT to 0 or 1 to choose otherwise. */
#ifndef MBPF_MAPS_COMPACT
#ifdef __OPTIMIZE_SIZE__
#define MBPF_MAPS_COMPACT 1
#else
#define MBPF_MAPS_COMPACT 0
#endif
#endif

/* For the few helpers of an operation's hot path that the compiler's size
 * heuristics would otherwise leave as calls (each one's body is smaller
 * than the call it replaces, or it has one caller per entry point). */
#if defined(__GNUC__) && !MBPF_MAPS_COMPACT
#define MAP_HOT static inline __attribute__((always_inline))
#else
#define MAP_HOT static inline
#endif
/* And the other way, for the general case beside a hot path's common one
 * (or an entry point's checked path), so that the common case keeps a
 * leaf's short prologue. */
#if defined(__GNUC__)
#define MAP_APART static __attribute__((noinline, unused))
#else
#define MAP_APART static inline
#endif

/* Node words of hash-type maps, followed by the key words. */
enum {
    NODE_NEXT = 0, /* next node in the bucket chain (or free list) */
    NODE_HASH = 1,
    NODE_LRU_PREV = 2,
    NODE_LRU_NEXT = 3,
    NODE_REF = 4, /* LRU: looked up since last moved to the head */
    NODE_KEY = 5,
};

typedef atomic_uint map_word_t;
_Static_assert(sizeof(map_word_t) == 4, "map words must be 32-bit");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "maps need lock-free 32-bit atomics");

/* The mutable header at the start of every map's storage. */
struct mbpf_map_shared {
    mbpf_spinlock_t lock;      /* hash-type structure; ring producers */
    mbpf_spinlock_t cons_lock; /* ring consumer */
    map_word_t seq;            /* LPM: map-wide seqlock */
    map_word_t count;          /* keys stored (hash types) */
    uint32_t free_head;        /* free node list (under lock) */
    uint32_t lru_head;         /* most recently updated (under lock) */
    uint32_t lru_tail;         /* least recently updated (under lock) */
    map_word_t ring_prod;      /* bytes reserved, free-running */
    map_word_t ring_cons;      /* bytes consumed, free-running */
    map_u64_t ring_written;
    map_u64_t ring_dropped;
};

typedef struct map_bucket {
    map_word_t seq;
    map_word_t head;
} map_bucket_t;

static inline void cpu_relax(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __builtin_ia32_pause();
#elif defined(__GNUC__) && (defined(__aarch64__) || defined(__ARM_ARCH_7A__))
    __asm__ __volatile__("yield");
#endif
}

static inline uint32_t ld(const map_word_t *w)
{
    return atomic_load_explicit((map_word_t *)w, memory_order_relaxed);
}

static inline uint32_t ld_acq(const map_word_t *w)
{
    return atomic_load_explicit((map_word_t *)w, memory_order_acquire);
}

static inline void st(map_word_t *w, uint32_t v)
{
    atomic_store_explicit(w, v, memory_order_relaxed);
}

static inline void st_rel(map_word_t *w, uint32_t v)
{
    atomic_store_explicit(w, v, memory_order_release);
}

static inline uint32_t le32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline void put_le32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

/* The last, partial word (len < 4 bytes) of a key or value, laid out as
 * memcpy would (so words compare and hash the same on every path) without
 * a variable-length memcpy call or a byte loop. */
static inline uint32_t tail_pack(const uint8_t *p, uint32_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* the same value without the zeroed buffer (a load of it, on gcc) */
    uint32_t w = len > 0 ? p[0] : 0;
    if (len > 1) w |= (uint32_t)p[1] << 8;
    if (len > 2) w |= (uint32_t)p[2] << 16;
    return w;
#else
    uint8_t b[4] = {0, 0, 0, 0};
    if (len > 0) b[0] = p[0];
    if (len > 1) b[1] = p[1];
    if (len > 2) b[2] = p[2];
    uint32_t v;
    memcpy(&v, b, 4);
    return v;
#endif
}

static inline void tail_unpack(uint8_t *p, uint32_t v, uint32_t len)
{
    uint8_t b[4];
    memcpy(b, &v, 4);
    if (len > 0) p[0] = b[0];
    if (len > 1) p[1] = b[1];
    if (len > 2) p[2] = b[2];
}

/* Copies len bytes from words w to out with relaxed atomic loads. */
static inline void words_load(const map_word_t *w, void *out, uint32_t len)
{
    uint8_t *o = out;
    if (len == 8) { /* the common u64 value, without the loop */
        uint32_t v[2] = {ld(&w[0]), ld(&w[1])};
        memcpy(o, v, 8);
        return;
    }
    uint32_t n = len / 4;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = ld(&w[i]);
        memcpy(o + 4 * i, &v, 4);
    }
    if (len % 4) tail_unpack(o + 4 * n, ld(&w[n]), len % 4);
}

/* Stores len bytes of in (NULL: zeroes) into words w, zero-padding the
 * last word, with relaxed atomic stores. */
static inline void words_store(map_word_t *w, const void *in, uint32_t len)
{
    const uint8_t *p = in;
    if (len == 8 && p) {
        uint32_t v[2];
        memcpy(v, p, 8);
        st(&w[0], v[0]);
        st(&w[1], v[1]);
        return;
    }
    uint32_t n = len / 4;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = 0;
        if (p) memcpy(&v, p + 4 * i, 4);
        st(&w[i], v);
    }
    if (len % 4) st(&w[n], p ? tail_pack(p + 4 * n, len % 4) : 0);
}

/* Compares words w with key[0..len) (len bytes, zero-padded words). */
static inline bool words_equal(const map_word_t *w, const void *key, uint32_t len)
{
    const uint8_t *k = key;
    if (len == 4) { /* the common 4-byte key (an address, a pid), without the loop */
        uint32_t v;
        memcpy(&v, k, 4);
        return ld(&w[0]) == v;
    }
    uint32_t n = len / 4;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v;
        memcpy(&v, k + 4 * i, 4);
        if (ld(&w[i]) != v) return false;
    }
    return len % 4 == 0 || ld(&w[n]) == tail_pack(k + 4 * n, len % 4);
}

/* Reads a slot's value into out (see the scheme above). */
MAP_APART int slot_read_any(const map_word_t *s, void *out, uint32_t len)
{
    for (uint32_t i = 0; i < MBPF_MAP_SPIN_LIMIT; i++) {
        uint32_t q = ld_acq(s);
        if (q & 1) {
            cpu_relax();
            continue;
        }
        words_load(s + 1, out, len);
        atomic_thread_fence(memory_order_acquire);
        if (ld(s) == q) return MBPF_MAP_OK;
    }
    return MBPF_MAP_E_BUSY;
}

/* slot_read of the common 8-byte value (a count, a u64), in its own loop so
 * that the general copy's set-up stays out of it. */
static inline int slot_read8(const map_word_t *s, void *out)
{
    for (uint32_t i = 0; i < MBPF_MAP_SPIN_LIMIT; i++) {
        uint32_t q = ld_acq(s);
        if (q & 1) {
            cpu_relax();
            continue;
        }
        uint32_t v[2] = {ld(&s[1]), ld(&s[2])};
        atomic_thread_fence(memory_order_acquire);
        if (ld(s) == q) {
            memcpy(out, v, 8);
            return MBPF_MAP_OK;
        }
    }
    return MBPF_MAP_E_BUSY;
}

MAP_HOT int slot_read(const map_word_t *s, void *out, uint32_t len)
{
    return len == 8 ? slot_read8(s, out) : slot_read_any(s, out, len);
}

/* Locks a slot for writing; *q gets the (even) sequence it had. With
 * bounded set, fails with MBPF_MAP_E_BUSY after MBPF_MAP_SPIN_LIMIT tries. */
static inline int slot_lock(map_word_t *s, uint32_t *q, bool bounded)
{
    for (uint32_t i = 0;; i++) {
        uint32_t v = ld(s);
        if (!(v & 1) && atomic_compare_exchange_weak_explicit(s, &v, v + 1, memory_order_acq_rel,
                                                              memory_order_relaxed)) {
            atomic_thread_fence(memory_order_release);
            *q = v;
            return MBPF_MAP_OK;
        }
        if (bounded && i >= MBPF_MAP_SPIN_LIMIT) return MBPF_MAP_E_BUSY;
        cpu_relax();
    }
}

/* Unlocks a slot; changed says whether the value was written. */
static inline void slot_unlock(map_word_t *s, uint32_t q, bool changed)
{
    st_rel(s, changed ? q + 2 : q);
}

static inline int slot_write(map_word_t *s, const void *in, uint32_t len)
{
    uint32_t q;
    int r = slot_lock(s, &q, true);
    if (r) return r;
    words_store(s + 1, in, len);
    slot_unlock(s, q, true);
    return MBPF_MAP_OK;
}

/* slot_write for a writer that holds the map lock in a map whose every
 * slot writer does (LRU): the sequence moves without a compare-and-swap. */
static inline void slot_write_locked(map_word_t *s, const void *in, uint32_t len)
{
    uint32_t q = ld(s);
    st(s, q + 1);
    atomic_thread_fence(memory_order_release);
    words_store(s + 1, in, len);
    st_rel(s, q + 2);
}

/* Takes the map spinlock, giving up with MBPF_MAP_E_BUSY (see above). */
static inline int map_lock(mbpf_map_t *m)
{
    for (uint32_t i = 0; i < MBPF_MAP_SPIN_LIMIT; i++) {
        if (mbpf_spin_trylock(&m->sh->lock)) return MBPF_MAP_OK;
        cpu_relax();
    }
    return MBPF_MAP_E_BUSY;
}

static inline void map_unlock(mbpf_map_t *m)
{
    mbpf_spin_unlock(&m->sh->lock);
}

/* The slot of entry (or node) idx for CPU cpu: CPU-major, so one CPU's
 * slots share cache lines only with each other. */
static inline map_word_t *slot_at(const mbpf_map_t *m, uint32_t cpu, uint32_t idx)
{
    size_t i = (size_t)cpu * m->def.max_entries + idx;
    return (map_word_t *)m->slots + i * m->slot_words;
}

/* slot_at with the value size given, so that a constant one (the common
 * 8 bytes) folds the stride. */
static inline map_word_t *slot_vs(const mbpf_map_t *m, uint32_t cpu, uint32_t idx, uint32_t vs)
{
    size_t i = (size_t)cpu * m->def.max_entries + idx;
    return (map_word_t *)m->slots + i * (1 + (vs + 3) / 4);
}

static inline map_word_t *node_at(const mbpf_map_t *m, uint32_t n)
{
    return (map_word_t *)m->nodes + (size_t)n * m->node_words;
}

static inline bool map_is_percpu(const mbpf_map_t *m)
{
    return m->def.type == MBPF_MAP_PERCPU_ARRAY || m->def.type == MBPF_MAP_PERCPU_HASH;
}

/* The checked-argument entry points of mbpf_map_t. */
typedef int (*map_lookup_fn)(mbpf_map_t *m, uint32_t cpu, const void *key, void *out);
typedef int (*map_update_fn)(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                             uint32_t flags);

/* array.c: array and per-CPU array (idx already range-checked). */
int map_array_lookup(mbpf_map_t *m, uint32_t cpu, uint32_t idx, void *out);
int map_array_update(mbpf_map_t *m, uint32_t cpu, uint32_t idx, const void *val, uint32_t flags);
void map_array_init(mbpf_map_t *m);

/* hash.c: the chained table behind hash, per-CPU hash, LRU hash and LPM. */
void map_hash_init(mbpf_map_t *m);
int map_hash_lookup(mbpf_map_t *m, uint32_t cpu, const void *key, void *out);
int map_hash_update(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags);
int map_hash_delete(mbpf_map_t *m, const void *key);
int map_hash_next_key(mbpf_map_t *m, const void *prev, void *out);

/* A key ready for the table: its bytes, its hash h and, for a key of at
 * most 8 bytes, the two zero-padded words its node stores (which then
 * stand for the bytes: bytes may be NULL). */
typedef struct map_hkey {
    const void *bytes;
    uint32_t h;
    uint32_t w[2];
} map_hkey_t;

/* Packs key (key_len bytes) and hashes it. */
void map_hash_key(const mbpf_map_t *m, const void *key, map_hkey_t *k);
/* With the map lock held: *created tells whether a node was added. */
int map_hash_update_locked(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, const void *val,
                           uint32_t flags, bool *created);
int map_hash_delete_locked(mbpf_map_t *m, const map_hkey_t *k);
/* Unlinks node n (with the map lock held) and returns it to the free list. */
void map_hash_remove_node(mbpf_map_t *m, uint32_t n);
/* Lock-free lookup of k reading slot cpu; *node gets the node. */
int map_hash_find(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, void *out, uint32_t *node);

/* lru.c: recency list of LRU hash maps (map lock held, except lru_mark). */
void map_lru_push_head(mbpf_map_t *m, uint32_t n);
void map_lru_unlink(mbpf_map_t *m, uint32_t n);
void map_lru_touch(mbpf_map_t *m, uint32_t n);
void map_lru_mark(mbpf_map_t *m, uint32_t n);
uint32_t map_lru_victim(mbpf_map_t *m);

/* percpu.c */
uint32_t map_this_cpu(const mbpf_map_t *m);
int map_lookup_sum(mbpf_map_t *m, const void *key, uint64_t *out);

/* counter.c */
void map_counter_init(mbpf_map_t *m);
int map_counter_lookup(mbpf_map_t *m, uint32_t idx, void *out);
int map_counter_update(mbpf_map_t *m, uint32_t idx, const void *val, uint32_t flags);

/* ringbuf.c */
void map_ringbuf_init(mbpf_map_t *m);

/* lpm.c */
void map_lpm_init(mbpf_map_t *m);
int map_lpm_lookup(mbpf_map_t *m, uint32_t cpu, const void *key, void *out);
int map_lpm_update(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags);
int map_lpm_delete(mbpf_map_t *m, const void *key);
int map_lpm_next_key(mbpf_map_t *m, const void *prev, void *out);

#endif
