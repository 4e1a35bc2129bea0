/*
 * Per-program counters: one 64-bit atomic per outcome, added to with
 * relaxed ordering from any CPU (atomic64.h falls back to striped locks on
 * targets without 64-bit atomics), read as a snapshot.
 */
#include <string.h>

#include "internal.h"

void stats_init(prog_stats_t *s)
{
    for (int i = 0; i < ST_COUNT; i++) u64_init(&s->c[i], 0);
}

void stats_read(prog_stats_t *s, mbpf_program_stats_t *out)
{
    out->invocations = u64_load(&s->c[ST_INVOCATIONS]);
    out->successes = u64_load(&s->c[ST_SUCCESSES]);
    out->soft_failures = u64_load(&s->c[ST_SOFT_FAILURES]);
    out->exceptions = u64_load(&s->c[ST_EXCEPTIONS]);
    out->oom = u64_load(&s->c[ST_OOM]);
    out->budget_steps = u64_load(&s->c[ST_BUDGET_STEPS]);
    out->budget_helpers = u64_load(&s->c[ST_BUDGET_HELPERS]);
    out->budget_time = u64_load(&s->c[ST_BUDGET_TIME]);
    out->nested = u64_load(&s->c[ST_NESTED]);
    out->ctx_mismatch = u64_load(&s->c[ST_CTX_MISMATCH]);
    out->breaker_trips = u64_load(&s->c[ST_BREAKER_TRIPS]);
    out->breaker_skipped = u64_load(&s->c[ST_BREAKER_SKIPPED]);
    out->deferred_drops = u64_load(&s->c[ST_DEFERRED_DROPS]);
}

int mbpf_program_heap_stats(const mbpf_program_t *prog, uint32_t cpu, mbpf_heap_stats_t *out)
{
    if (!prog || !out) return MBPF_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (cpu >= prog->ninst) return MBPF_E_NOT_FOUND;
    const mbpf_exec_ops_t *ex = prog->rt->exec;
    rt_instance_t *in = &prog->inst[cpu];
    /* claimed like an event, so the figures are not read mid-run */
    if (atomic_exchange_explicit(&in->in_use, 1, memory_order_acquire)) return MBPF_E_BUSY;
    out->heap_size = prog->manifest.heap_size;
    if (ex->heap_stats) ex->heap_stats(in->mem, out);
    atomic_store_explicit(&in->in_use, 0, memory_order_release);
    return 0;
}

int mbpf_program_stats(const mbpf_program_t *prog, mbpf_program_stats_t *out)
{
    if (!prog || !out) return MBPF_E_INVALID_ARG;
    stats_read((prog_stats_t *)&prog->stats, out);
    return 0;
}
