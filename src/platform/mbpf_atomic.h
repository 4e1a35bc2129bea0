/*
 * Atomics and a spinlock for runtime code. C11 <stdatomic.h> is one of the
 * headers a freestanding implementation provides, so these need nothing from
 * the platform; they are wrapped here so a port without C11 atomics has one
 * file to replace.
 */
#ifndef MBPF_ATOMIC_H
#define MBPF_ATOMIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct mbpf_spinlock {
    atomic_flag flag;
} mbpf_spinlock_t;

#define MBPF_SPINLOCK_INIT                                                                         \
    {                                                                                              \
        ATOMIC_FLAG_INIT                                                                           \
    }

static inline void mbpf_spin_lock(mbpf_spinlock_t *l)
{
    while (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
    }
}

static inline bool mbpf_spin_trylock(mbpf_spinlock_t *l)
{
    return !atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire);
}

static inline void mbpf_spin_unlock(mbpf_spinlock_t *l)
{
    atomic_flag_clear_explicit(&l->flag, memory_order_release);
}

#endif
