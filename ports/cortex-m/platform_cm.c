/*
 * mbpf_platform_t for single-core bare-metal Cortex-M (platform_cm.h):
 * an arena allocator that reclaims memory in stack order, one CPU, a
 * 64-bit nanosecond clock from a 32-bit hardware timer, and logs through
 * semihosting.
 *
 * The idea to keep in mind for the clock: the hardware counter is 32 bits
 * and wraps every 2^32 / 25 MHz = 172 s; an interrupt counts the wraps, and
 * a reader that finds a wrap whose interrupt has not run yet (interrupts
 * masked, or the wrap just happened) counts it itself.
 */
#include "platform_cm.h"

#include <stdint.h>

#include "board.h"
#include "mbpf_fmt.h"
#include "semihost.h"

/* Every block starts with this header; blocks form a stack through prev. */
typedef struct block {
    uint32_t prev;  /* arena offset of the previous block's header, or NO_BLOCK */
    uint32_t freed; /* released, waiting for the blocks above it to go */
} block_t;

#define NO_BLOCK UINT32_MAX
#define ALIGN    8u /* max_align_t on AAPCS: doubles and 64-bit integers */

_Static_assert(sizeof(block_t) % ALIGN == 0, "headers keep blocks aligned");

static struct {
    uint8_t *base;
    size_t cap;    /* usable bytes from base, a multiple of ALIGN */
    size_t top;    /* first free byte */
    uint32_t last; /* header of the highest block, or NO_BLOCK */
    size_t peak;
    uint32_t failed;
} arena;

static volatile uint32_t timer_wraps;

static void *cm_alloc(void *user, size_t size)
{
    (void)user;
    uint32_t irq = irq_save();
    void *p = NULL;
    /* top <= cap and both are multiples of ALIGN, so once header plus size
     * fit, rounding them up to ALIGN still fits (and cannot overflow). */
    size_t avail = arena.cap - arena.top;
    if (avail >= sizeof(block_t) && size <= avail - sizeof(block_t)) {
        size_t need = (sizeof(block_t) + size + ALIGN - 1) / ALIGN * ALIGN;
        block_t *b = (block_t *)(void *)(arena.base + arena.top);
        b->prev = arena.last;
        b->freed = 0;
        arena.last = (uint32_t)arena.top;
        arena.top += need;
        if (arena.top > arena.peak) arena.peak = arena.top;
        p = b + 1;
    } else {
        arena.failed++;
    }
    irq_restore(irq);
    return p;
}

static void cm_free(void *user, void *ptr)
{
    (void)user;
    if (!ptr) return;
    uint32_t irq = irq_save();
    uint8_t *p = ptr;
    /* A pointer that alloc did not return is ignored rather than trusted
     * to rewrite the arena's bookkeeping. */
    if (p >= arena.base + sizeof(block_t) && p <= arena.base + arena.top &&
        (size_t)(p - arena.base) % ALIGN == 0) {
        ((block_t *)(void *)p - 1)->freed = 1;
        while (arena.last != NO_BLOCK) {
            block_t *b = (block_t *)(void *)(arena.base + arena.last);
            if (!b->freed) break;
            arena.top = arena.last;
            arena.last = b->prev;
        }
    }
    irq_restore(irq);
}

static uint32_t cm_cpu_count(void *user)
{
    (void)user;
    return 1;
}

static uint32_t cm_cpu_id(void *user)
{
    (void)user;
    return 0;
}

static uint64_t cm_now_ns(void *user)
{
    (void)user;
    return platform_cm_now_ns();
}

static void cm_log(void *user, int level, const char *msg, size_t len)
{
    (void)user;
    static const char *const names[] = {"debug", "info", "warn", "error"};
    char prefix[24];
    mbpf_fmt(prefix, sizeof prefix, "[mbpf %s] ",
             level >= 0 && level <= MBPF_LOG_ERROR ? names[level] : "?");
    semihost_write0(prefix);
    semihost_write(msg, len);
    semihost_write0("\n");
}

static const mbpf_platform_t platform = {
    .user = NULL,
    .alloc = cm_alloc,
    .free = cm_free,
    .cpu_count = cm_cpu_count,
    .cpu_id = cm_cpu_id,
    .now_ns = cm_now_ns,
    .log = cm_log,
    .sig_verify = NULL, /* the built-in Ed25519 verifier */
    .defer = NULL,      /* observer hooks run inline */
};

const mbpf_platform_t *platform_cm_init(void *base, size_t size)
{
    uintptr_t a = (uintptr_t)base;
    size_t skip = (ALIGN - a % ALIGN) % ALIGN;
    if (size < skip) size = skip;
    size -= skip;
    /* Offsets are kept in 32 bits. */
    if (size > UINT32_MAX - ALIGN) size = UINT32_MAX - ALIGN;
    arena.base = (uint8_t *)base + skip;
    arena.cap = size / ALIGN * ALIGN;
    platform_cm_reset();

    /* Free-running down-counter over the full 32 bits; its interrupt at
     * each wrap extends it to 64. */
    CMSDK_TIMER_CTRL = 0;
    CMSDK_TIMER_RELOAD = UINT32_MAX;
    CMSDK_TIMER_VALUE = UINT32_MAX;
    CMSDK_TIMER_INTCLR = 1;
    timer_wraps = 0;
    NVIC_ISER0 = 1u << CMSDK_TIMER0_IRQ;
    CMSDK_TIMER_CTRL = CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IE;
    return &platform;
}

void platform_cm_reset(void)
{
    uint32_t irq = irq_save();
    arena.top = 0;
    arena.last = NO_BLOCK;
    arena.peak = 0;
    arena.failed = 0;
    irq_restore(irq);
}

void platform_cm_stats(platform_cm_stats_t *out)
{
    uint32_t irq = irq_save();
    out->capacity = arena.cap;
    out->used = arena.top;
    out->peak = arena.peak;
    out->failed = arena.failed;
    irq_restore(irq);
}

void platform_cm_timer_irq(void)
{
    CMSDK_TIMER_INTCLR = 1;
    timer_wraps++;
}

uint64_t platform_cm_now_ns(void)
{
    _Static_assert(1000000000u % MPS2_SYSCLK_HZ == 0, "whole nanoseconds per tick");
    uint32_t irq = irq_save();
    uint32_t hi = timer_wraps;
    uint32_t v = CMSDK_TIMER_VALUE;
    if (CMSDK_TIMER_INTCLR & 1u) {
        /* Wrapped, interrupt not yet taken: v may be from either side of
         * the wrap, a second read is after it. */
        v = CMSDK_TIMER_VALUE;
        hi++;
    }
    irq_restore(irq);
    uint64_t ticks = (uint64_t)hi << 32 | (UINT32_MAX - v);
    return ticks * (1000000000u / MPS2_SYSCLK_HZ);
}
