/*
 * Interrupt masking for the runtime libraries on Cortex-M (the
 * MBPF_IRQ_HEADER hook of src/platform/mbpf_atomic.h): PRIMASK, which masks
 * every interrupt of configurable priority, saved and restored so that
 * critical sections nest. The port's CMakeLists.txt names this header in
 * MBPF_IRQ_HEADER for every library.
 *
 * Privileged code only: under an RTOS that runs hooks in unprivileged
 * threads, CPSID is ignored there; use the RTOS's own interrupt lock.
 */
#ifndef MBPF_IRQ_CM_H
#define MBPF_IRQ_CM_H

#include <stdint.h>

static inline unsigned long mbpf_irq_cm_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void mbpf_irq_cm_restore(unsigned long primask)
{
    __asm__ volatile("msr primask, %0" : : "r"((uint32_t)primask) : "memory");
}

#define MBPF_IRQ_SAVE()     mbpf_irq_cm_save()
#define MBPF_IRQ_RESTORE(s) mbpf_irq_cm_restore(s)

#endif
