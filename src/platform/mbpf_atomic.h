/*
 * Atomics and a spinlock for runtime code. C11 <stdatomic.h> is one of the
 * headers a freestanding implementation provides, so these need nothing from
 * the platform; they are wrapped here so a port without C11 atomics has one
 * file to replace.
 *
 * Interrupt masking: a lock that interrupt handlers also take (the 64-bit
 * counter fallback's) must be held with the CPU's interrupts masked, or a
 * handler that preempts the holder on the same CPU spins forever. A port
 * provides the masking by defining MBPF_IRQ_HEADER as the name of a header
 * (e.g. -DMBPF_IRQ_HEADER='"mbpf_irq_cm.h"') that defines
 *   MBPF_IRQ_SAVE()     masks interrupts on this CPU and returns the previous
 *                       state as an unsigned long (Cortex-M: PRIMASK)
 *   MBPF_IRQ_RESTORE(s) restores the state s (nesting-safe)
 * Without it they do nothing: on hosted systems event hooks do not run in
 * interrupt context.
 */
#ifndef MBPF_ATOMIC_H
#define MBPF_ATOMIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef MBPF_IRQ_HEADER
#include MBPF_IRQ_HEADER
#endif
#ifndef MBPF_IRQ_SAVE
#define MBPF_IRQ_SAVE()     0ul
#define MBPF_IRQ_RESTORE(s) ((void)(s))
#endif

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

/* The lock with this CPU's interrupts masked while it is held (for locks
 * interrupt handlers take too): returns the interrupt state to pass to
 * mbpf_spin_unlock_irqrestore. */
static inline unsigned long mbpf_spin_lock_irqsave(mbpf_spinlock_t *l)
{
    unsigned long irq = MBPF_IRQ_SAVE();
    mbpf_spin_lock(l);
    return irq;
}

static inline void mbpf_spin_unlock_irqrestore(mbpf_spinlock_t *l, unsigned long irq)
{
    mbpf_spin_unlock(l);
    MBPF_IRQ_RESTORE(irq);
}

#endif
