/*
 * Per-program counters: the outcomes of runs in each instance (one writer
 * each, internal.h), the rarer outcomes in 64-bit atomics shared by the
 * CPUs, added to with relaxed ordering (atomic64.h falls back to striped
 * locks on targets without 64-bit atomics); read as a sum.
 */
#include <string.h>

#include "internal.h"

void stats_init(prog_stats_t *s)
{
    for (int i = 0; i < ST_COUNT; i++) u64_init(&s->c[i], 0);
}

void stats_read(const struct mbpf_program *p, mbpf_program_stats_t *out)
{
    prog_stats_t *s = (prog_stats_t *)&p->stats;
    uint64_t runs = 0, successes = 0, soft = 0;
    for (uint32_t i = 0; i < p->ninst; i++) {
        inst_stats_t *st = &p->inst[i].st;
        runs += u64_load(&st->runs);
        successes += u64_load(&st->successes);
        soft += u64_load(&st->soft_failures);
    }
    out->successes = successes;
    out->soft_failures = soft;
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
    out->invocations = runs + out->nested + out->ctx_mismatch + out->breaker_skipped;
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
    stats_read(prog, out);
    return 0;
}
