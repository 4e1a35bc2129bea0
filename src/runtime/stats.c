/*
 * Per-program counters: one 64-bit atomic per outcome, added to with
 * relaxed ordering from any CPU (atomic64.h falls back to striped locks on
 * targets without 64-bit atomics), read as a snapshot.
 */
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

int mbpf_program_stats(const mbpf_program_t *prog, mbpf_program_stats_t *out)
{
    if (!prog || !out) return MBPF_E_INVALID_ARG;
    stats_read((prog_stats_t *)&prog->stats, out);
    return 0;
}
