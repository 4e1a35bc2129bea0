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
 * first: per hook type at init (rt->kinds: safe default, stop verdict,
 * whether an id runs inline), per program at load (context size and ABI,
 * default, executor, whether verdicts are soft failures). The common case,
 * one program on the hook, runs in one frame that keeps only the program,
 * its instance, the CPU's active counter and out_rc across the run; lists
 * of several programs and the failure paths are out of line.
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
static RT_NOINLINE int32_t not_run(struct mbpf_program *p, enum stat_id why)
{
    stats_inc(&p->stats, why);
    return p->dflt;
}

/* A run that failed: counted, fed to the breaker, answered with the default. */
static RT_NOINLINE int32_t run_failed(struct mbpf_program *p, mbpf_exec_status_t s)
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
    if (breaker_failure(p->rt, &p->breaker)) stats_inc(&p->stats, ST_BREAKER_TRIPS);
    return p->dflt;
}

static RT_NOINLINE void breaker_closed(struct mbpf_program *p)
{
    breaker_success(p->rt, &p->breaker);
}

/* Runs one program past its context and breaker checks. */
static RT_INLINE int32_t run_claimed(struct mbpf_program *p, size_t cpu_off, const void *ctx,
                                     size_t ctx_len)
{
    rt_instance_t *in = (rt_instance_t *)((char *)p->inst + cpu_off);
    if (atomic_exchange_explicit(&in->in_use, 1, memory_order_acquire))
        return not_run(p, ST_NESTED);
    stats_bump(&in->st.runs);
    int32_t rc = p->dflt;
    mbpf_exec_status_t s = p->exec_run(in->mem, ctx, ctx_len, &p->budget, &rc);
    if (s == MBPF_EXEC_OK) {
        stats_bump(&in->st.successes);
        if (p->soft_fail && rc != 0) stats_bump(&in->st.soft_failures);
    }
    atomic_store_explicit(&in->in_use, 0, memory_order_release);
    if (s != MBPF_EXEC_OK) return run_failed(p, s);
    if (atomic_load_explicit(&p->breaker.consecutive, memory_order_relaxed)) breaker_closed(p);
    return rc;
}

/* A program whose breaker is open: skipped, or run if the breaker closes
 * now. Out of line, so that the call asking the breaker keeps the event's
 * arguments in saved registers only here. */
static RT_NOINLINE int32_t run_breaker_open(struct mbpf_program *p, size_t cpu_off, const void *ctx,
                                            size_t ctx_len)
{
    if (!breaker_allow(p->rt, &p->breaker)) return not_run(p, ST_BREAKER_SKIPPED);
    return run_claimed(p, cpu_off, ctx, ctx_len);
}

/* Runs one program on the CPU whose instance offset is cpu_off; returns its
 * verdict (rc or the safe default). ctx_len is 0 when ctx is NULL, below
 * every program's ctx_size. */
static RT_INLINE int32_t run_program(struct mbpf_program *p, size_t cpu_off, const void *ctx,
                                     size_t ctx_len)
{
    if (!ctx_ok(p, ctx, ctx_len)) return not_run(p, ST_CTX_MISMATCH);
    if (atomic_load_explicit(&p->breaker.open, memory_order_acquire))
        return run_breaker_open(p, cpu_off, ctx, ctx_len);
    return run_claimed(p, cpu_off, ctx, ctx_len);
}

/* Enters the event path on this CPU; returns its active counter. */
static RT_INLINE atomic_uint *enter(mbpf_runtime_t *rt, uint32_t cpu)
{
    atomic_uint *act = &rt->active[cpu].n;
    atomic_fetch_add_explicit(act, 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst); /* pairs with hooks_grace */
    return act;
}

static RT_INLINE void leave(atomic_uint *act)
{
    atomic_fetch_sub_explicit(act, 1, memory_order_release);
}

/* Runs the programs of hook from a on (inside enter/leave); returns the
 * combined verdict. */
static RT_NOINLINE_HOT int32_t run_list(mbpf_runtime_t *rt, rt_attach_t *a, mbpf_hook_id_t hook,
                                        uint32_t cpu, const void *ctx, size_t ctx_len)
{
    const rt_hook_kind_t *k = &rt->kinds[MBPF_HOOK_ID_TYPE(hook)];
    int32_t verdict = 0;
    size_t cpu_off = (size_t)cpu * sizeof(rt_instance_t);
    for (; a; a = atomic_load_explicit(&a->next, memory_order_acquire)) {
        if (a->hook != hook) continue;
        int32_t rc = run_program(a->prog, cpu_off, ctx, ctx_len);
        if (rc == k->stop) {
            verdict = rc;
            break;
        }
        if (verdict == 0) verdict = rc;
    }
    return verdict;
}

/* Runs the programs of hook on cpu; returns the combined verdict. */
static RT_INLINE int32_t run_event(mbpf_runtime_t *rt, uint32_t cpu, mbpf_hook_id_t hook,
                                   const void *ctx, size_t ctx_len)
{
    if (!ctx) ctx_len = 0;
    atomic_uint *act = enter(rt, cpu);
    int32_t verdict = 0;
    rt_attach_t *a =
        atomic_load_explicit(&rt->hooks[MBPF_HOOK_ID_TYPE(hook)], memory_order_acquire);
    /* One program on the hook: its verdict is the event's, whatever the
     * hook type. A program attached while it runs waits for the next
     * event, as it would if attached a moment later. */
    if (RT_LIKELY(a && a->hook == hook && !atomic_load_explicit(&a->next, memory_order_acquire)))
        verdict = run_program(a->prog, (size_t)cpu * sizeof(rt_instance_t), ctx, ctx_len);
    else if (a)
        verdict = run_list(rt, a, hook, cpu, ctx, ctx_len);
    leave(act);
    return verdict;
}

/* Several CPUs: asking which one is a call, which would keep every
 * argument of mbpf_run in a saved register on the one-CPU path too. */
static RT_NOINLINE_HOT int32_t run_event_smp(mbpf_runtime_t *rt, mbpf_hook_id_t hook,
                                             const void *ctx, size_t ctx_len)
{
    return run_event(rt, rt_cpu_slow(rt), hook, ctx, ctx_len);
}

void run_hook(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len,
              int32_t *out_rc)
{
    *out_rc = rt->ncpu == 1 ? run_event(rt, 0, hook, ctx, ctx_len)
                            : run_event_smp(rt, hook, ctx, ctx_len);
}

/* Counts a deferred drop on every program attached to hook. */
void run_count_drop(mbpf_runtime_t *rt, mbpf_hook_id_t hook)
{
    atomic_uint *act = enter(rt, rt_cpu(rt));
    rt_attach_t *a =
        atomic_load_explicit(&rt->hooks[MBPF_HOOK_ID_TYPE(hook)], memory_order_acquire);
    for (; a; a = atomic_load_explicit(&a->next, memory_order_acquire))
        if (a->hook == hook) stats_inc(&a->prog->stats, ST_DEFERRED_DROPS);
    leave(act);
}

/* True if some program is attached to hook (deferral skips idle hooks). */
bool run_has_programs(mbpf_runtime_t *rt, mbpf_hook_id_t hook)
{
    bool any = false;
    atomic_uint *act = enter(rt, rt_cpu(rt));
    rt_attach_t *a =
        atomic_load_explicit(&rt->hooks[MBPF_HOOK_ID_TYPE(hook)], memory_order_acquire);
    for (; a && !any; a = atomic_load_explicit(&a->next, memory_order_acquire))
        any = a->hook == hook;
    leave(act);
    return any;
}

/* An event that does not run inline: no runtime, an invalid id, or a
 * deferred type. */
static RT_NOINLINE int not_inline(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx_blob,
                                  size_t ctx_len, int32_t *out_rc)
{
    *out_rc = 0;
    if (!rt || !hook_id_valid(hook)) return MBPF_E_INVALID_ARG;
    return deferred_enqueue(rt, hook, ctx_blob, ctx_len);
}

int mbpf_run(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx_blob, size_t ctx_len,
             int32_t *out_rc)
{
    if (!out_rc) return MBPF_E_INVALID_ARG;
    uint32_t type = MBPF_HOOK_ID_TYPE(hook);
    if (!rt || type > MBPF_HOOK_TYPE_MAX ||
        !((rt->kinds[type].inline_ok >> (MBPF_HOOK_ID_POINT(hook) != 0)) & 1u))
        return not_inline(rt, hook, ctx_blob, ctx_len, out_rc);
    *out_rc = rt->ncpu == 1 ? run_event(rt, 0, hook, ctx_blob, ctx_len)
                            : run_event_smp(rt, hook, ctx_blob, ctx_len);
    return 0;
}
