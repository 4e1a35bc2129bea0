/*
 * mbpf_run: the event path. Allocates nothing and takes no lock.
 *
 * For each program attached to the hook id (attach order): context check
 * (length and abi_version against the manifest), breaker check, claim of the
 * current CPU's instance (nested entry if already claimed), run under the
 * manifest budgets, then the outcome is counted and turned into a verdict —
 * the program's rc, or the hook type's safe default on any failure.
 * Decision hooks stop at the first restrictive verdict (DROP / DENY).
 *
 * Everything that does not change between events is decided before the
 * first: per hook type at init (rt->kinds), per program at load (context
 * size and ABI, whether verdicts are soft failures). The common case runs
 * in one frame; the failure paths are out of line.
 */
#include <string.h>

#include "internal.h"
#include "mbpf_ctx.h"

static RT_INLINE bool ctx_ok(const struct mbpf_program *p, const void *ctx, size_t ctx_len)
{
    if (ctx_len < p->ctx_size) return false;
    uint32_t abi;
    memcpy(&abi, ctx, sizeof abi);
    return abi == p->ctx_abi;
}

/* An event the program did not run: counted, answered with the default. */
static RT_NOINLINE int32_t not_run(struct mbpf_program *p, enum stat_id why,
                                   const rt_hook_kind_t *k)
{
    stats_inc(&p->stats, why);
    return k->dflt;
}

/* A run that failed: counted, fed to the breaker, answered with the default. */
static RT_NOINLINE int32_t run_failed(mbpf_runtime_t *rt, struct mbpf_program *p,
                                      mbpf_exec_status_t s, const rt_hook_kind_t *k)
{
    enum stat_id failure;
    switch (s) {
    case MBPF_EXEC_STEPS: failure = ST_BUDGET_STEPS; break;
    case MBPF_EXEC_HELPERS: failure = ST_BUDGET_HELPERS; break;
    case MBPF_EXEC_TIME: failure = ST_BUDGET_TIME; break;
    case MBPF_EXEC_OOM: failure = ST_OOM; break;
    case MBPF_EXEC_OK:
    case MBPF_EXEC_EXCEPTION:
    default: failure = ST_EXCEPTIONS; break;
    }
    stats_inc(&p->stats, failure);
    if (breaker_failure(rt, &p->breaker)) stats_inc(&p->stats, ST_BREAKER_TRIPS);
    return k->dflt;
}

/* Runs one program; returns its verdict (rc or the safe default). ctx_len
 * is 0 when ctx is NULL, below every program's ctx_size. */
static RT_INLINE int32_t run_program(mbpf_runtime_t *rt, struct mbpf_program *p, uint32_t cpu,
                                     const void *ctx, size_t ctx_len, const rt_hook_kind_t *k)
{
    if (!ctx_ok(p, ctx, ctx_len)) return not_run(p, ST_CTX_MISMATCH, k);
    if (atomic_load_explicit(&p->breaker.open, memory_order_acquire) &&
        !breaker_allow(rt, &p->breaker))
        return not_run(p, ST_BREAKER_SKIPPED, k);
    rt_instance_t *in = &p->inst[cpu];
    if (atomic_exchange_explicit(&in->in_use, 1, memory_order_acquire))
        return not_run(p, ST_NESTED, k);
    stats_bump(&in->st.runs);
    int32_t rc = k->dflt;
    mbpf_exec_status_t s = rt->exec_run(in->mem, ctx, ctx_len, &p->budget, &rc);
    if (s == MBPF_EXEC_OK) {
        stats_bump(&in->st.successes);
        if (rc != 0 && p->soft_fail) stats_bump(&in->st.soft_failures);
    }
    atomic_store_explicit(&in->in_use, 0, memory_order_release);
    if (s != MBPF_EXEC_OK) return run_failed(rt, p, s, k);
    if (atomic_load_explicit(&p->breaker.consecutive, memory_order_relaxed))
        breaker_success(rt, &p->breaker);
    return rc;
}

/* Enters the event path on this CPU; returns the CPU index. */
static RT_INLINE uint32_t enter(mbpf_runtime_t *rt)
{
    uint32_t cpu = rt_cpu(rt);
    atomic_fetch_add_explicit(&rt->active[cpu].n, 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst); /* pairs with hooks_grace */
    return cpu;
}

static RT_INLINE void leave(mbpf_runtime_t *rt, uint32_t cpu)
{
    atomic_fetch_sub_explicit(&rt->active[cpu].n, 1, memory_order_release);
}

/* Runs the programs of hook; returns the combined verdict. */
static RT_INLINE int32_t run_event(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx,
                                   size_t ctx_len)
{
    const rt_hook_kind_t *k = &rt->kinds[MBPF_HOOK_ID_TYPE(hook)];
    int32_t verdict = 0;
    if (!ctx) ctx_len = 0;
    uint32_t cpu = enter(rt);
    rt_attach_t *a =
        atomic_load_explicit(&rt->hooks[MBPF_HOOK_ID_TYPE(hook)], memory_order_acquire);
    for (; a; a = atomic_load_explicit(&a->next, memory_order_acquire)) {
        if (a->hook != hook) continue;
        int32_t rc = run_program(rt, a->prog, cpu, ctx, ctx_len, k);
        if (rc == k->stop) {
            verdict = rc;
            break;
        }
        if (verdict == 0) verdict = rc;
    }
    leave(rt, cpu);
    return verdict;
}

void run_hook(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len,
              int32_t *out_rc)
{
    *out_rc = run_event(rt, hook, ctx, ctx_len);
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
    if (!out_rc) return MBPF_E_INVALID_ARG;
    *out_rc = 0;
    if (!rt || !hook_id_valid(hook)) return MBPF_E_INVALID_ARG;
    if (rt->cfg.deferred_hooks & MBPF_HOOK_BIT(MBPF_HOOK_ID_TYPE(hook)))
        return deferred_enqueue(rt, hook, ctx_blob, ctx_len);
    *out_rc = run_event(rt, hook, ctx_blob, ctx_len);
    return 0;
}
