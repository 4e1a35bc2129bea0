/*
 * The lock-based fallback for 64-bit atomics (see atomic64.h): a static
 * table of spinlocks striped by address, so unrelated counters rarely share
 * a lock. Compiled to nothing where 64-bit atomics are lock-free. Hooks may
 * run in interrupt handlers, which update the same counters: each lock is
 * held with interrupts masked (the port's MBPF_IRQ_SAVE, mbpf_atomic.h), as
 * a handler spinning on a lock its own CPU holds would never get it.
 */
#include "atomic64.h"

#if defined(MBPF_MAP_U64_LOCKED) || ATOMIC_LLONG_LOCK_FREE != 2

#include "mbpf_atomic.h"

#define STRIPES 16u

static mbpf_spinlock_t stripes[STRIPES] = {
    MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT,
    MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT,
    MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT,
    MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT, MBPF_SPINLOCK_INIT,
};

static mbpf_spinlock_t *stripe(const map_u64_t *p)
{
    uintptr_t a = (uintptr_t)p;
    return &stripes[(a >> 3 ^ a >> 7) % STRIPES];
}

void u64_init(map_u64_t *p, uint64_t v)
{
    p->v = v;
}

uint64_t u64_load(map_u64_t *p)
{
    mbpf_spinlock_t *l = stripe(p);
    unsigned long irq = mbpf_spin_lock_irqsave(l);
    uint64_t v = p->v;
    mbpf_spin_unlock_irqrestore(l, irq);
    return v;
}

void u64_store(map_u64_t *p, uint64_t v)
{
    mbpf_spinlock_t *l = stripe(p);
    unsigned long irq = mbpf_spin_lock_irqsave(l);
    p->v = v;
    mbpf_spin_unlock_irqrestore(l, irq);
}

uint64_t u64_add(map_u64_t *p, uint64_t d)
{
    mbpf_spinlock_t *l = stripe(p);
    unsigned long irq = mbpf_spin_lock_irqsave(l);
    uint64_t v = p->v += d;
    mbpf_spin_unlock_irqrestore(l, irq);
    return v;
}

uint64_t u64_exchange(map_u64_t *p, uint64_t v)
{
    mbpf_spinlock_t *l = stripe(p);
    unsigned long irq = mbpf_spin_lock_irqsave(l);
    uint64_t old = p->v;
    p->v = v;
    mbpf_spin_unlock_irqrestore(l, irq);
    return old;
}

#else

/* ISO C forbids an empty translation unit. */
typedef int mbpf_map_atomic64_lock_free;

#endif
