/*
 * 64-bit atomic counters for counter maps and ring-buffer statistics.
 *
 * Where the compiler has lock-free 64-bit atomics (every 64-bit target, and
 * 32-bit ones with a double-word compare-and-swap) these are plain C11
 * atomics. Elsewhere (e.g. Armv7-M, which has no 64-bit exclusive access) a
 * C11 compiler would call libatomic, which a kernel does not have; instead
 * each operation takes one of a small static table of spinlocks chosen by
 * the counter's address, held for a few instructions. Defining
 * MBPF_MAP_U64_LOCKED forces the fallback so it can be tested on any host.
 */
#ifndef MBPF_MAP_ATOMIC64_H
#define MBPF_MAP_ATOMIC64_H

#include <stdatomic.h>
#include <stdint.h>

#if !defined(MBPF_MAP_U64_LOCKED) && ATOMIC_LLONG_LOCK_FREE == 2

typedef atomic_ullong map_u64_t;
_Static_assert(sizeof(map_u64_t) == 8, "64-bit atomic counters must be 8 bytes");

static inline void u64_init(map_u64_t *p, uint64_t v)
{
    atomic_init(p, v);
}

static inline uint64_t u64_load(map_u64_t *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

static inline void u64_store(map_u64_t *p, uint64_t v)
{
    atomic_store_explicit(p, v, memory_order_relaxed);
}

/* Returns the new value. */
static inline uint64_t u64_add(map_u64_t *p, uint64_t d)
{
    return atomic_fetch_add_explicit(p, d, memory_order_relaxed) + d;
}

/* Returns the old value. */
static inline uint64_t u64_exchange(map_u64_t *p, uint64_t v)
{
    return atomic_exchange_explicit(p, v, memory_order_relaxed);
}

#else

typedef struct map_u64 {
    uint64_t v;
} map_u64_t;

void u64_init(map_u64_t *p, uint64_t v);
uint64_t u64_load(map_u64_t *p);
void u64_store(map_u64_t *p, uint64_t v);
uint64_t u64_add(map_u64_t *p, uint64_t d);
uint64_t u64_exchange(map_u64_t *p, uint64_t v);

#endif

#endif
