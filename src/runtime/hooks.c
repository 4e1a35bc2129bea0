/*
 * The hook registry: one list of attachments per hook type, in attach
 * order, read without locks by mbpf_run and changed under rt->ctl.
 *
 * Attachment records live in their program (MBPF_MAX_ATTACH each), so
 * attaching allocates nothing. A record is published by one release store
 * of the link that points to it and unpublished by one store that skips
 * it; its own next pointer is left intact so a reader standing on it walks
 * on correctly. Nothing a reader may hold is reused or freed before a
 * grace period (hooks_grace) has passed: every CPU's active counter seen at
 * zero after the unlink.
 */
#include "internal.h"

void hooks_grace(mbpf_runtime_t *rt)
{
    /* Pairs with the fence in run.c: either the reader's increment is seen
     * here, or the reader sees the unlinked list. */
    atomic_thread_fence(memory_order_seq_cst);
    for (uint32_t cpu = 0; cpu < rt->ncpu; cpu++)
        while (atomic_load_explicit(&rt->active[cpu].n, memory_order_acquire) != 0) {
        }
}

/* The link that points at rec (rec must be linked). */
static _Atomic(rt_attach_t *) *link_to(mbpf_runtime_t *rt, rt_attach_t *rec)
{
    _Atomic(rt_attach_t *) *link = &rt->hooks[MBPF_HOOK_ID_TYPE(rec->hook)];
    rt_attach_t *cur;
    while ((cur = atomic_load_explicit(link, memory_order_relaxed)) != rec) link = &cur->next;
    return link;
}

static rt_attach_t *find(struct mbpf_program *p, mbpf_hook_id_t hook)
{
    for (uint32_t i = 0; i < MBPF_MAX_ATTACH; i++)
        if (p->attach[i].linked && p->attach[i].hook == hook) return &p->attach[i];
    return NULL;
}

int hooks_attach(mbpf_runtime_t *rt, struct mbpf_program *p, mbpf_hook_id_t hook)
{
    uint32_t type = MBPF_HOOK_ID_TYPE(hook);
    if (!hook_id_valid(hook))
        return rt_error(rt, MBPF_E_INVALID_ARG, "attach: hook id 0x%x: no such hook",
                        (unsigned)hook);
    if (type != p->manifest.hook_type)
        return rt_error(rt, MBPF_E_HOOK_MISMATCH,
                        "attach: hook id 0x%x is a %s hook, program '%s' is %s", (unsigned)hook,
                        mbpf_hook_type_name(type), p->manifest.program_name,
                        mbpf_hook_type_name(p->manifest.hook_type));
    if (find(p, hook))
        return rt_error(rt, MBPF_E_ATTACHED, "attach: program '%s' already attached to 0x%x",
                        p->manifest.program_name, (unsigned)hook);
    rt_attach_t *rec = NULL;
    for (uint32_t i = 0; i < MBPF_MAX_ATTACH && !rec; i++)
        if (!p->attach[i].linked) rec = &p->attach[i];
    if (!rec)
        return rt_error(rt, MBPF_E_LIMIT, "attach: program '%s' already attached to %u hooks",
                        p->manifest.program_name, MBPF_MAX_ATTACH);
    rec->hook = hook;
    rec->prog = p;
    atomic_store_explicit(&rec->next, NULL, memory_order_relaxed);
    _Atomic(rt_attach_t *) *link = &rt->hooks[type];
    rt_attach_t *cur;
    while ((cur = atomic_load_explicit(link, memory_order_relaxed)) != NULL) link = &cur->next;
    atomic_store_explicit(link, rec, memory_order_release);
    rec->linked = 1;
    return 0;
}

static void unlink_rec(mbpf_runtime_t *rt, rt_attach_t *rec)
{
    _Atomic(rt_attach_t *) *link = link_to(rt, rec);
    atomic_store_explicit(link, atomic_load_explicit(&rec->next, memory_order_relaxed),
                          memory_order_release);
    rec->linked = 0;
}

int hooks_detach(mbpf_runtime_t *rt, struct mbpf_program *p, mbpf_hook_id_t hook)
{
    rt_attach_t *rec = find(p, hook);
    if (!rec)
        return rt_error(rt, MBPF_E_NOT_FOUND, "detach: program '%s' is not attached to 0x%x",
                        p->manifest.program_name, (unsigned)hook);
    unlink_rec(rt, rec);
    hooks_grace(rt);
    return 0;
}

void hooks_unlink_all(mbpf_runtime_t *rt, struct mbpf_program *p)
{
    for (uint32_t i = 0; i < MBPF_MAX_ATTACH; i++)
        if (p->attach[i].linked) unlink_rec(rt, &p->attach[i]);
}

void hooks_take_over(mbpf_runtime_t *rt, struct mbpf_program *old, struct mbpf_program *np)
{
    uint32_t j = 0;
    for (uint32_t i = 0; i < MBPF_MAX_ATTACH; i++) {
        rt_attach_t *orec = &old->attach[i];
        if (!orec->linked) continue;
        rt_attach_t *nrec = &np->attach[j++];
        nrec->hook = orec->hook;
        nrec->prog = np;
        atomic_store_explicit(&nrec->next, atomic_load_explicit(&orec->next, memory_order_relaxed),
                              memory_order_relaxed);
        /* One store swaps the program for every later event on this hook. */
        atomic_store_explicit(link_to(rt, orec), nrec, memory_order_release);
        nrec->linked = 1;
        orec->linked = 0;
    }
}

int mbpf_program_attach(mbpf_runtime_t *rt, mbpf_program_t *prog, mbpf_hook_id_t hook)
{
    if (!rt) return MBPF_E_INVALID_ARG;
    mbpf_spin_lock(&rt->ctl);
    int rc = prog ? hooks_attach(rt, prog, hook)
                  : rt_error(rt, MBPF_E_INVALID_ARG, "attach: program is NULL");
    if (rc == 0) rt_ok(rt);
    mbpf_spin_unlock(&rt->ctl);
    return rc;
}

int mbpf_program_detach(mbpf_runtime_t *rt, mbpf_program_t *prog, mbpf_hook_id_t hook)
{
    if (!rt) return MBPF_E_INVALID_ARG;
    mbpf_spin_lock(&rt->ctl);
    int rc = prog ? hooks_detach(rt, prog, hook)
                  : rt_error(rt, MBPF_E_INVALID_ARG, "detach: program is NULL");
    if (rc == 0) rt_ok(rt);
    mbpf_spin_unlock(&rt->ctl);
    return rc;
}
