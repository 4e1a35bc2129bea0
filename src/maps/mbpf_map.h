/*
 * Maps: the bounded, preallocated key/value stores, counters and ring
 * buffers that hold a program's state (spec §10, docs/MAPS.md).
 *
 * This library knows nothing of JavaScript. The runtime sizes a map from its
 * definition (mbpf_map_storage_size), allocates the storage through the
 * platform allocator at load, and initialises it in place (mbpf_map_init);
 * after that no operation allocates. The JS helpers call the operations
 * below with (pointer, length) views of Uint8Arrays, and the kernel host API
 * is exactly these functions.
 *
 * Keys and values are byte strings of the definition's key_size and
 * value_size. Array, per-CPU array and counter maps are indexed: their key is
 * a 4-byte little-endian u32 index in [0, max_entries). An LPM trie's key is
 * a 4-byte little-endian prefix length followed by key_size - 4 data bytes.
 *
 * Every operation returns 0 or a negative mbpf_map_err code. Operations are
 * safe to call concurrently from any number of CPUs and threads; lookups on
 * array, hash and LRU maps take no lock (see "Concurrency" in docs/MAPS.md).
 */
#ifndef MBPF_MAP_H
#define MBPF_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h" /* mbpf_map_def_t */
#include "mbpf.h"     /* map types and definition flags */
#include "mbpf_fmt.h" /* mbpf_diag_t */

typedef enum mbpf_map_err {
    MBPF_MAP_OK = 0,
    MBPF_MAP_E_INVALID_ARG = -1, /* NULL pointer or zero CPU count */
    MBPF_MAP_E_TYPE = -2,        /* unknown map type */
    MBPF_MAP_E_KEY_SIZE = -3,    /* key length does not match the map (or bad definition) */
    MBPF_MAP_E_VALUE_SIZE = -4,  /* value length does not match the map (or bad definition) */
    MBPF_MAP_E_MAX_ENTRIES = -5, /* definition's max_entries out of range */
    MBPF_MAP_E_FLAGS = -6,       /* unknown definition or update flags */
    MBPF_MAP_E_TOO_LARGE = -7,   /* storage size overflows or exceeds the ceiling */
    MBPF_MAP_E_STORAGE = -8,     /* storage too small or not 8-byte aligned */
    MBPF_MAP_E_NOENT = -9,       /* key not found, or no next key */
    MBPF_MAP_E_EXIST = -10,      /* MBPF_MAP_NOEXIST and the key exists */
    MBPF_MAP_E_FULL = -11,       /* map holds max_entries keys (E2BIG) */
    MBPF_MAP_E_INDEX = -12,      /* array index not below max_entries */
    MBPF_MAP_E_CPU = -13,        /* CPU number not below the map's CPU count */
    MBPF_MAP_E_NOTSUP = -14,     /* operation not supported by this map type */
    MBPF_MAP_E_PREFIX = -15,     /* LPM prefix length above the key's data bits */
    MBPF_MAP_E_RING_FULL = -16,  /* ring buffer has no room: record dropped */
    MBPF_MAP_E_BUSY = -17,       /* a concurrent writer held the entry too long */
} mbpf_map_err_t;

/* Fixed message for an error code ("unknown map error" for others). */
const char *mbpf_map_strerror(int err);

/* Update flags (same values as eBPF's BPF_ANY / BPF_NOEXIST / BPF_EXIST). */
#define MBPF_MAP_ANY     0u /* create or overwrite */
#define MBPF_MAP_NOEXIST 1u /* create only: MBPF_MAP_E_EXIST if present */
#define MBPF_MAP_EXIST   2u /* overwrite only: MBPF_MAP_E_NOENT if absent */

/* Definition limits (checked by mbpf_map_storage_size and mbpf_map_init). */
#define MBPF_MAP_KEY_MAX         256u       /* key_size of hash types and LPM */
#define MBPF_MAP_VALUE_MAX       65536u     /* value_size */
#define MBPF_MAP_ENTRIES_MAX     (1u << 30) /* max_entries (ring: capacity in bytes) */
#define MBPF_MAP_CPU_MAX         4096u      /* CPU count a map can be sized for */
#define MBPF_MAP_RING_MIN        16u        /* smallest ring capacity in bytes */
#define MBPF_MAP_RING_RECORD_HDR 8u         /* bytes of ring overhead per record */

/* A map handle. The runtime owns it (and the storage it points to); fields
 * are set by mbpf_map_init and read-only afterwards. Treat as opaque. */
typedef struct mbpf_map {
    mbpf_map_def_t def;
    uint32_t ncpu;      /* CPUs the map was sized for */
    uint32_t nslots;    /* value slots per entry: ncpu for per-CPU types, else 1 */
    uint32_t key_len;   /* bytes of a key as passed to operations */
    uint32_t key_words; /* key_len rounded up to 32-bit words */
    uint32_t val_words; /* value_size rounded up to 32-bit words */
    uint32_t slot_words;
    uint32_t node_words;
    uint32_t bucket_mask;
    uint32_t seed;
    uint32_t lpm_bits; /* LPM: data bits (8 * (key_size - 4)) */
    uint32_t ring_mask;
    struct mbpf_map_shared *sh; /* shared mutable header at the start of storage */
    void *buckets;
    void *nodes;
    void *slots;
    void *extra; /* LPM prefix counts, ring data */
    uint32_t (*cpu_id)(void *user);
    void *cpu_user;
    /* Chosen by mbpf_map_init for the map's type and sizes: lookup and
     * update with arguments already checked (cpu below ncpu, key and value
     * of the map's sizes, flags known). */
    int (*lookup_fn)(struct mbpf_map *m, uint32_t cpu, const void *key, void *out);
    int (*update_fn)(struct mbpf_map *m, uint32_t cpu, const void *key, const void *val,
                     uint32_t flags);
    /* The same on the calling CPU's slot (cpu is ignored): lookup_fn and
     * update_fn themselves, but for per-CPU types, whose entries ask the
     * CPU source (and check its answer) first. */
    int (*lookup_here_fn)(struct mbpf_map *m, uint32_t cpu, const void *key, void *out);
    int (*update_here_fn)(struct mbpf_map *m, uint32_t cpu, const void *key, const void *val,
                          uint32_t flags);
} mbpf_map_t;

/* Computes the storage bytes a map needs on ncpu CPUs, checking the
 * definition and every multiplication for overflow. Fails with
 * MBPF_MAP_E_TOO_LARGE if the size exceeds ceiling (the policy limit; pass
 * SIZE_MAX for none). diag (may be NULL) names the field, value and limit. */
int mbpf_map_storage_size(const mbpf_map_def_t *def, uint32_t ncpu, size_t ceiling, size_t *out,
                          mbpf_diag_t *diag);

/* Initialises map m over storage[0..size), which must be 8-byte aligned and
 * at least mbpf_map_storage_size bytes; the map is empty (arrays and
 * counters zeroed). The map does not own storage. Calls nothing outside
 * this library. */
int mbpf_map_init(mbpf_map_t *m, const mbpf_map_def_t *def, uint32_t ncpu, void *storage,
                  size_t size);

/* True if m was created from a definition equal to def (name, type, sizes,
 * flags) for ncpu CPUs: a replacement program may keep the map (hot swap). */
int mbpf_map_def_matches(const mbpf_map_t *m, const mbpf_map_def_t *def, uint32_t ncpu);

/* Sets how the map learns the calling CPU for per-CPU types (default: CPU
 * 0). The runtime passes the platform's cpu_id. Call before sharing m. */
void mbpf_map_set_cpu_source(mbpf_map_t *m, uint32_t (*cpu_id)(void *user), void *user);

/* Replaces the per-map hash seed (default: derived from the map's name and
 * storage address). Fails with MBPF_MAP_E_BUSY unless the map is empty.
 * Call before sharing m. */
int mbpf_map_reseed(mbpf_map_t *m, uint32_t seed);

/* Bytes of a key as operations take it: 4 for indexed types, key_size
 * otherwise, 0 for ring buffers. */
uint32_t mbpf_map_key_len(const mbpf_map_t *m);

/* Keys currently stored (hash types, LPM); max_entries for indexed types;
 * 0 for ring buffers. A snapshot under concurrent updates. */
uint32_t mbpf_map_count(const mbpf_map_t *m);

/* Copies the value of key into out[0..out_len) (out_len == value_size).
 * Per-CPU types read the calling CPU's slot; LPM tries return the value of
 * the longest stored prefix matching the key. MBPF_MAP_E_NOENT if absent.
 * LRU maps mark the entry referenced (see eviction order). */
int mbpf_map_lookup(mbpf_map_t *m, const void *key, size_t key_len, void *out, size_t out_len);

/* As mbpf_map_lookup, reading CPU cpu's slot of a per-CPU map (cpu is
 * ignored by other types but must still be below the map's CPU count). */
int mbpf_map_lookup_cpu(mbpf_map_t *m, uint32_t cpu, const void *key, size_t key_len, void *out,
                        size_t out_len);

/* Reads key's value as an unsigned little-endian integer (value_size 1, 2,
 * 4 or 8) summed over every CPU slot, modulo 2^64; for counters, the
 * counter. MBPF_MAP_E_VALUE_SIZE for other value sizes. */
int mbpf_map_lookup_sum(mbpf_map_t *m, const void *key, size_t key_len, uint64_t *out);

/* Stores value (value_len == value_size) under key. flags is one of
 * MBPF_MAP_ANY / _NOEXIST / _EXIST. Errors: MBPF_MAP_E_EXIST, _NOENT,
 * _FULL (hash types at max_entries; LRU maps evict instead), _INDEX. A new
 * per-CPU hash key gets value on the calling CPU and zeroes elsewhere. */
int mbpf_map_update(mbpf_map_t *m, const void *key, size_t key_len, const void *value,
                    size_t value_len, uint32_t flags);

/* As mbpf_map_update, writing CPU cpu's slot of a per-CPU map. */
int mbpf_map_update_cpu(mbpf_map_t *m, uint32_t cpu, const void *key, size_t key_len,
                        const void *value, size_t value_len, uint32_t flags);

/* For bindings that have already checked a lookup's or update's every
 * argument (key and value non-NULL, of exactly the map's key_len and
 * value_size bytes; flags one of the three above): the map type's
 * operation without the checks above, which such a caller would repeat.
 * Results and errors otherwise as mbpf_map_lookup / mbpf_map_update.
 * Other arguments are undefined behaviour; C callers use those two. */
static inline int mbpf_map_lookup_unchecked(mbpf_map_t *m, const void *key, void *out)
{
    return m->lookup_here_fn(m, 0, key, out);
}

static inline int mbpf_map_update_unchecked(mbpf_map_t *m, const void *key, const void *value,
                                            uint32_t flags)
{
    return m->update_here_fn(m, 0, key, value, flags);
}

/* Removes key (hash types, LPM exact prefix). MBPF_MAP_E_NOENT if absent,
 * MBPF_MAP_E_NOTSUP for indexed types and ring buffers. */
int mbpf_map_delete(mbpf_map_t *m, const void *key, size_t key_len);

/* Writes to out the key that follows prev (NULL: the first key) in the map's
 * iteration order; MBPF_MAP_E_NOENT at the end. prev need not be present.
 * Iteration is best-effort under concurrent updates, but a key present from
 * the first call to the last is returned exactly once (docs/MAPS.md). */
int mbpf_map_next_key(mbpf_map_t *m, const void *prev, size_t prev_len, void *out, size_t out_len);

/* Counter maps: index idx in [0, max_entries) of 64-bit counters. add adds
 * delta modulo 2^64 (pass a two's-complement value to subtract) and writes
 * the new value to out_new (may be NULL); reset sets 0 and writes the old
 * value to out_old (may be NULL). Atomic, never lost under concurrency. */
int mbpf_map_counter_add(mbpf_map_t *m, uint32_t idx, uint64_t delta, uint64_t *out_new);
int mbpf_map_counter_get(mbpf_map_t *m, uint32_t idx, uint64_t *out);
int mbpf_map_counter_reset(mbpf_map_t *m, uint32_t idx, uint64_t *out_old);

/* Ring buffers: max_entries is the capacity in bytes (a power of two); a
 * record takes MBPF_MAP_RING_RECORD_HDR + len rounded up to 8 bytes.
 * output appends one record (len <= value_size if value_size is not 0) or
 * fails with MBPF_MAP_E_RING_FULL, counting a drop. Any number of
 * producers may call it concurrently; records are never torn. */
int mbpf_map_ringbuf_output(mbpf_map_t *m, const void *data, size_t len);

/* One piece of a record written by mbpf_map_ringbuf_outputv. */
typedef struct mbpf_map_iov {
    const void *data;
    size_t len;
} mbpf_map_iov_t;

/* Appends one record made of iov[0..n) concatenated (n <= 8), copied
 * straight into the ring: a header and a payload need no bounce buffer. */
int mbpf_map_ringbuf_outputv(mbpf_map_t *m, const mbpf_map_iov_t *iov, uint32_t n);

/* Called once per record in order; data is valid only during the call.
 * Return 0 to continue, non-zero to stop after this record. */
typedef int (*mbpf_map_ringbuf_cb)(void *ctx, const void *data, size_t len);

/* Consumes up to max records (0: all available), oldest first, calling cb
 * for each; returns the number consumed or a negative error. One consumer
 * at a time: a second concurrent caller gets MBPF_MAP_E_BUSY. */
int mbpf_map_ringbuf_consume(mbpf_map_t *m, mbpf_map_ringbuf_cb cb, void *ctx, uint32_t max);

typedef struct mbpf_map_ringbuf_stats {
    uint64_t written; /* records committed by producers */
    uint64_t dropped; /* records refused: ring full (or producer lock busy) */
    uint32_t pending; /* bytes reserved and not yet consumed */
    uint32_t capacity;
} mbpf_map_ringbuf_stats_t;

int mbpf_map_ringbuf_stats(mbpf_map_t *m, mbpf_map_ringbuf_stats_t *out);

#endif
