/*
 * mbpf_run: the event path. Allocates nothing and takes no lock.
 *
 * For each program attached to the hook id (attach order): breaker check,
 * context check (length and abi_version against the manifest), claim of the
 * current CPU's instance (nested entry if already claimed), run under the
 * manifest budgets, then the outcome is counted and turned into a verdict —
 * the program's rc, or the hook type's safe default on any failure.
 * Decision hooks stop at the first restrictive verdict (DROP / DENY).
 */
#include <string.h>

#include "internal.h"
#include "mbpf_ctx.h"

static bool ctx_ok(const struct mbpf_program *p, const void *ctx, size_t ctx_len)
{
    if (!ctx || ctx_len < p->ctx_size) return false;
    uint32_t abi;
    memcpy(&abi, ctx, sizeof abi);
    return abi == p->manifest.hook_ctx_abi_version;
}

/* Runs one program; returns its verdict (rc or the safe default). */
static int32_t run_program(mbpf_runtime_t *rt, struct mbpf_program *p, uint32_t cpu,
                           const void *ctx, size_t ctx_len, int32_t dflt)
{
    prog_stats_t *st = &p->stats;
    stats_inc(st, ST_INVOCATIONS);
    if (!ctx_ok(p, ctx, ctx_len)) {
        stats_inc(st, ST_CTX_MISMATCH);
        return dflt;
    }
    if (atomic_load_explicit(&p->breaker.open, memory_order_acquire) &&
        !breaker_allow(rt, &p->breaker)) {
        stats_inc(st, ST_BREAKER_SKIPPED);
        return dflt;
    }
    rt_instance_t *in = &p->inst[cpu];
    if (atomic_exchange_explicit(&in->in_use, 1, memory_order_acquire)) {
        stats_inc(st, ST_NESTED);
        return dflt;
    }
    int32_t rc = dflt;
    mbpf_exec_status_t s = rt->exec->run(in->mem, ctx, ctx_len, &p->budget, &rc);
    atomic_store_explicit(&in->in_use, 0, memory_order_release);

    enum stat_id failure;
    switch (s) {
    case MBPF_EXEC_OK:
        stats_inc(st, ST_SUCCESSES);
        if (rc != 0 && (p->manifest.hook_type == MBPF_HOOK_TRACEPOINT ||
                        p->manifest.hook_type == MBPF_HOOK_TIMER))
            stats_inc(st, ST_SOFT_FAILURES);
        if (atomic_load_explicit(&p->breaker.consecutive, memory_order_relaxed))
            breaker_success(rt, &p->breaker);
        return rc;
    case MBPF_EXEC_STEPS: failure = ST_BUDGET_STEPS; break;
    case MBPF_EXEC_HELPERS: failure = ST_BUDGET_HELPERS; break;
    case MBPF_EXEC_TIME: failure = ST_BUDGET_TIME; break;
    case MBPF_EXEC_OOM: failure = ST_OOM; break;
    case MBPF_EXEC_EXCEPTION:
    default: failure = ST_EXCEPTIONS; break;
    }
    stats_inc(st, failure);
    if (breaker_failure(rt, &p->breaker)) stats_inc(st, ST_BREAKER_TRIPS);
    return dflt;
}

static int32_t restrictive_verdict(uint32_t type)
{
    return type == MBPF_HOOK_SECURITY ? MBPF_SEC_DENY : MBPF_NET_DROP;
}

/* Enters the event path on this CPU; returns the CPU index. */
static uint32_t enter(mbpf_runtime_t *rt)
{
    uint32_t cpu = rt_cpu(rt);
    atomic_fetch_add_explicit(&rt->active[cpu], 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst); /* pairs with hooks_grace */
    return cpu;
}

static void leave(mbpf_runtime_t *rt, uint32_t cpu)
{
    atomic_fetch_sub_explicit(&rt->active[cpu], 1, memory_order_release);
}

void run_hook(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len,
              int32_t *out_rc)
{
    uint32_t type = MBPF_HOOK_ID_TYPE(hook);
    int32_t dflt = rt->cfg.safe_default[type];
    bool decision = hook_is_decision(type);
    int32_t stop = restrictive_verdict(type), verdict = 0;

    uint32_t cpu = enter(rt);
    rt_attach_t *a = atomic_load_explicit(&rt->hooks[type], memory_order_acquire);
    for (; a; a = atomic_load_explicit(&a->next, memory_order_acquire)) {
        if (a->hook != hook) continue;
        int32_t rc = run_program(rt, a->prog, cpu, ctx, ctx_len, dflt);
        if (decision && rc == stop) {
            verdict = rc;
            break;
        }
        if (verdict == 0) verdict = rc;
    }
    leave(rt, cpu);
    *out_rc = verdict;
}

/* Counts a deferred drop on every program attached to hook. */
void run_count_drop(mbpf_runtime_t *rt, mbpf_hook_id_t hook)
{
    uint32_t cpu = enter(rt);
    rt_attach_t *a =
        atomic_load_explicit(&rt->hooks[MBPF_HOOK_ID_TYPE(hook)], memory_order_acquire);
    for (; a; a = atomic_load_explicit(&a->next, memory_order_acquire))
        if (a->hook == hook) stats_inc(&a->prog->stats, ST_DEFERRED_DROPS);
    leave(rt, cpu);
}

/* True if some program is attached to hook (deferral skips idle hooks). */
bool run_has_programs(mbpf_runtime_t *rt, mbpf_hook_id_t hook)
{
    bool any = false;
    uint32_t cpu = enter(rt);
    rt_attach_t *a =
        atomic_load_explicit(&rt->hooks[MBPF_HOOK_ID_TYPE(hook)], memory_order_acquire);
    for (; a && !any; a = atomic_load_explicit(&a->next, memory_order_acquire))
        any = a->hook == hook;
    leave(rt, cpu);
    return any;
}

int mbpf_run(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx_blob, size_t ctx_len,
             int32_t *out_rc)
{
    if (out_rc) *out_rc = 0;
    if (!rt || !out_rc || !hook_id_valid(hook)) return MBPF_E_INVALID_ARG;
    if (rt->cfg.deferred_hooks & MBPF_HOOK_BIT(MBPF_HOOK_ID_TYPE(hook)))
        return deferred_enqueue(rt, hook, ctx_blob, ctx_len);
    run_hook(rt, hook, ctx_blob, ctx_len, out_rc);
    return 0;
}
