/*
 * The microBPF platform for a single-core Cortex-M without an operating
 * system (ports/cortex-m). A kernel port replaces this with calls into its
 * own allocator, clock and console; docs/PORTING.md walks through it.
 */
#ifndef MBPF_PLATFORM_CM_H
#define MBPF_PLATFORM_CM_H

#include <stddef.h>
#include <stdint.h>

#include "mbpf_platform.h"

/*
 * Sets up the platform over the RAM region arena[0..size) (any alignment;
 * the unaligned head is skipped) and starts the clock. Call once, before
 * the runtime's init; returns the platform to pass to it.
 *
 * The allocator is a bump allocator: alloc takes the next 8-byte aligned
 * block from the arena in O(1) and never fragments. Memory comes back only
 * in stack order: free marks a block released, and the arena's top moves
 * down past every released block at its end. So a load that fails and
 * unwinds its allocations in reverse (the runtime's goto-fail ladders),
 * or the last program loaded being unloaded, returns its memory; a block
 * freed under a live later block stays used until that one is freed too,
 * or until platform_cm_reset releases everything at once (e.g. when the
 * kernel shuts the runtime down and starts it again).
 */
const mbpf_platform_t *platform_cm_init(void *arena, size_t size);

/* Releases every block at once. Only valid when nothing allocated is in
 * use any more (the runtime has been shut down). */
void platform_cm_reset(void);

typedef struct platform_cm_stats {
    size_t capacity; /* usable arena bytes */
    size_t used;     /* bytes below the top, block headers included */
    size_t peak;     /* highest used since init or reset */
    uint32_t failed; /* allocations refused for lack of space */
} platform_cm_stats_t;

void platform_cm_stats(platform_cm_stats_t *out);

/* Clock of platform->now_ns: CMSDK APB timer 0 at 25 MHz (40 ns ticks),
 * extended to 64 bits by counting its wrap-around interrupts. */
uint64_t platform_cm_now_ns(void);

/* Timer 0 interrupt handler (in the vector table). */
void platform_cm_timer_irq(void);

#endif
