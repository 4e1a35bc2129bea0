/*
 * The circuit breaker (spec §8.4): after breaker_threshold consecutive
 * failures (exception, budget, out of memory) a program is skipped — its
 * events get the safe default — until a cool-down has passed: measured in
 * milliseconds of the platform clock, or, on platforms without one, in
 * events skipped. Then the breaker closes half-way: the next event is a
 * trial, and one more failure opens it again at once.
 *
 * Clock mode keeps a wrapping 32-bit millisecond deadline (atomics of one
 * word on every target); comparisons are wrap-safe for cool-downs below
 * 2^31 ms (24 days).
 */
#include "internal.h"

void breaker_init(breaker_t *b)
{
    atomic_init(&b->consecutive, 0);
    atomic_init(&b->open, 0);
    atomic_init(&b->until_ms, 0);
    atomic_init(&b->skipped, 0);
}

static uint32_t now_ms(mbpf_runtime_t *rt)
{
    return (uint32_t)(rt->pf->now_ns(rt->pf->user) / 1000000u);
}

static void close_half(mbpf_runtime_t *rt, breaker_t *b)
{
    uint32_t t = rt->cfg.breaker_threshold;
    atomic_store_explicit(&b->consecutive, t ? t - 1 : 0, memory_order_relaxed);
    atomic_store_explicit(&b->open, 0, memory_order_release);
}

bool breaker_allow(mbpf_runtime_t *rt, breaker_t *b)
{
    if (!atomic_load_explicit(&b->open, memory_order_acquire)) return true;
    if (rt->pf->now_ns) {
        uint32_t until = atomic_load_explicit(&b->until_ms, memory_order_relaxed);
        if ((int32_t)(now_ms(rt) - until) < 0) return false;
    } else {
        uint32_t n = atomic_fetch_add_explicit(&b->skipped, 1, memory_order_relaxed) + 1;
        if (n <= rt->cfg.breaker_cooldown_invocations) return false;
    }
    close_half(rt, b);
    return true;
}

bool breaker_failure(mbpf_runtime_t *rt, breaker_t *b)
{
    uint32_t t = rt->cfg.breaker_threshold;
    if (t == 0) return false;
    uint32_t n = atomic_fetch_add_explicit(&b->consecutive, 1, memory_order_relaxed) + 1;
    if (n < t) return false;
    if (rt->pf->now_ns)
        atomic_store_explicit(&b->until_ms, now_ms(rt) + rt->cfg.breaker_cooldown_ms,
                              memory_order_relaxed);
    else
        atomic_store_explicit(&b->skipped, 0, memory_order_relaxed);
    return atomic_exchange_explicit(&b->open, 1, memory_order_acq_rel) == 0;
}

void breaker_success(mbpf_runtime_t *rt, breaker_t *b)
{
    (void)rt;
    if (atomic_load_explicit(&b->consecutive, memory_order_relaxed) != 0)
        atomic_store_explicit(&b->consecutive, 0, memory_order_relaxed);
}
