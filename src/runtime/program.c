/*
 * The load pipeline, hot swap, unload, and program lookup.
 *
 * Load order (docs/RUNTIME.md lists the error codes): container and CRCs →
 * signature per policy → manifest (and MAPS section) → helper API and
 * per-helper versions → capabilities → hook type and context ABI → target
 * and bytecode version → heap size → budgets → name → program memory and
 * bytecode copy → maps → per-CPU instances with top-level code → mbpf_init
 * → publish. Every step after the first allocation undoes the previous
 * ones through one goto ladder, so a failed load leaves nothing allocated.
 *
 * Hot swap builds the replacement completely (sharing matching maps) before
 * it becomes visible, then swaps each of the old program's attachment
 * records for one of its own with a single atomic store, and unloads the
 * old program after a grace period. An event therefore runs the old
 * program or the new one, each whole.
 */
#include <string.h>

#include "internal.h"
#include "package.h"

static int pkg_error(mbpf_runtime_t *rt, int pkg_rc, const mbpf_diag_t *diag)
{
    int rc;
    switch (pkg_rc) {
    case MBPF_PKG_E_SECTION_CRC:
    case MBPF_PKG_E_FILE_CRC: rc = MBPF_E_PKG_CRC; break;
    case MBPF_PKG_E_SIG_INVALID: rc = MBPF_E_SIG_INVALID; break;
    case MBPF_PKG_E_SIG_REQUIRED: rc = MBPF_E_SIG_REQUIRED; break;
    case MBPF_PKG_E_SIG_NO_KEYS: rc = MBPF_E_SIG_NO_KEYS; break;
    case MBPF_PKG_E_MANIFEST_SYNTAX:
    case MBPF_PKG_E_MANIFEST_LIMIT:
    case MBPF_PKG_E_MANIFEST_TYPE:
    case MBPF_PKG_E_MANIFEST_MISSING:
    case MBPF_PKG_E_MANIFEST_DUPLICATE:
    case MBPF_PKG_E_MANIFEST_UNKNOWN:
    case MBPF_PKG_E_MANIFEST_VALUE: rc = MBPF_E_MANIFEST; break;
    default: rc = MBPF_E_PKG_FORMAT; break;
    }
    return rt_error(rt, rc, "%s", diag->msg[0] ? diag->msg : mbpf_pkg_strerror(pkg_rc));
}

static struct mbpf_program *find_name(mbpf_runtime_t *rt, const char *name)
{
    for (struct mbpf_program *p = rt->programs; p; p = p->next)
        if (strcmp(p->manifest.program_name, name) == 0) return p;
    return NULL;
}

static bool is_loaded(mbpf_runtime_t *rt, const struct mbpf_program *prog)
{
    for (struct mbpf_program *p = rt->programs; p; p = p->next)
        if (p == prog) return true;
    return false;
}

/* Unpublishes, waits for running events, runs fini, frees. Holds rt->ctl. */
static void unload_locked(mbpf_runtime_t *rt, struct mbpf_program *p)
{
    hooks_unlink_all(rt, p);
    hooks_grace(rt);
    struct mbpf_program **link = &rt->programs;
    while (*link && *link != p) link = &(*link)->next;
    if (*link) *link = p->next;
    instances_fini(rt, p);
    instances_destroy(rt, p);
    maps_release(rt, p);
    rt_free(rt, p->bytecode_copy);
    rt_free(rt, p);
}

static void effective_budget(mbpf_runtime_t *rt, struct mbpf_program *p)
{
    const mbpf_manifest_t *m = &p->manifest;
    p->budget.max_steps = m->max_steps;
    p->budget.max_helpers = m->max_helpers;
    p->budget.max_wall_time_us =
        m->max_wall_time_us ? m->max_wall_time_us : rt->cfg.policy.max_wall_time_us;
    if (!rt->pf->now_ns) p->budget.max_wall_time_us = 0; /* cannot be measured */
}

/* The pipeline; old is the program to replace or NULL. Holds rt->ctl. */
static int load_locked(mbpf_runtime_t *rt, const void *pkg, size_t pkg_len, uint32_t flags,
                       struct mbpf_program *old, struct mbpf_program **out)
{
    int rc;
    struct mbpf_program *p = rt_alloc(rt, sizeof *p);
    if (!p) return rt_error(rt, MBPF_E_NOMEM, "load: out of memory for the program");
    mbpf_package_t *pk = rt_alloc(rt, sizeof *pk);
    if (!pk) {
        rc = rt_error(rt, MBPF_E_NOMEM, "load: out of memory for the package check");
        goto fail_prog;
    }

    const mbpf_policy_t *pol = &rt->cfg.policy;
    mbpf_pkg_policy_t pp = {
        .trusted_keys = pol->trusted_keys,
        .trusted_key_count = pol->trusted_key_count,
        .require_signature = pol->require_signature,
        .verify = rt->pf->sig_verify,
        .verify_user = rt->pf->user,
    };
    mbpf_diag_t diag = {{0}};
    int prc = mbpf_package_check(pkg, pkg_len, &pp, pk, &diag);
    if (prc != 0) {
        rc = pkg_error(rt, prc, &diag);
        goto fail_pk;
    }
    const mbpf_manifest_t *m = &pk->manifest;
    if ((rc = policy_check(rt, m)) != 0) goto fail_pk;

    struct mbpf_program *same = find_name(rt, m->program_name);
    if (same && same != old) {
        if (old || !(flags & MBPF_LOAD_F_REPLACE)) {
            rc = rt_error(rt, MBPF_E_EXISTS, "load: program '%s' is already loaded",
                          m->program_name);
            goto fail_pk;
        }
        old = same;
    }
    if (old && old->manifest.hook_type != m->hook_type) {
        rc = rt_error(rt, MBPF_E_HOOK_MISMATCH,
                      "replace: hook_type %s differs from program '%s' (%s)",
                      mbpf_hook_type_name(m->hook_type), old->manifest.program_name,
                      mbpf_hook_type_name(old->manifest.hook_type));
        goto fail_pk;
    }

    p->rt = rt;
    p->manifest = *m;
    p->sig_valid = pk->sig_status == MBPF_SIG_VALID;
    p->sig_key_index = pk->key_index;
    p->load_flags = flags;
    p->ctx_size = (uint32_t)policy_ctx_size(m->hook_type);
    p->ctx_abi = m->hook_ctx_abi_version;
    p->soft_fail = m->hook_type == MBPF_HOOK_TRACEPOINT || m->hook_type == MBPF_HOOK_TIMER;
    p->dflt = rt->kinds[m->hook_type].dflt;
    p->exec_run = rt->exec->run;
    if (flags & MBPF_LOAD_F_PKG_PERSISTENT) {
        p->bytecode = pk->bytecode;
    } else {
        p->bytecode_copy = rt_alloc(rt, pk->bytecode_len);
        if (!p->bytecode_copy) {
            rc = rt_error(rt, MBPF_E_NOMEM, "load: out of memory for %zu bytes of bytecode",
                          pk->bytecode_len);
            goto fail_pk;
        }
        memcpy(p->bytecode_copy, pk->bytecode, pk->bytecode_len);
        p->bytecode = p->bytecode_copy;
    }
    p->bytecode_len = pk->bytecode_len;
    rt_free(rt, pk);
    pk = NULL;

    effective_budget(rt, p);
    stats_init(&p->stats);
    breaker_init(&p->breaker);
    for (uint32_t i = 0; i < MBPF_MAX_ATTACH; i++) atomic_init(&p->attach[i].next, NULL);

    if ((rc = maps_create(rt, p, old)) != 0) goto fail_maps;
    if ((rc = instances_create(rt, p)) != 0) goto fail_inst;

    struct mbpf_program **link = &rt->programs;
    while (*link) link = &(*link)->next;
    *link = p;
    if (old) {
        hooks_take_over(rt, old, p);
        unload_locked(rt, old);
    }
    *out = p;
    return rt_ok(rt);

fail_inst:
    instances_destroy(rt, p);
fail_maps:
    maps_release(rt, p);
    rt_free(rt, p->bytecode_copy);
fail_pk:
    rt_free(rt, pk);
fail_prog:
    rt_free(rt, p);
    return rc;
}

static int load_entry(mbpf_runtime_t *rt, struct mbpf_program *old, const void *pkg, size_t pkg_len,
                      const mbpf_load_opts_t *opts, mbpf_program_t **out_prog)
{
    if (out_prog) *out_prog = NULL;
    if (!rt) return MBPF_E_INVALID_ARG;
    mbpf_spin_lock(&rt->ctl);
    int rc;
    if (!pkg || !out_prog)
        rc = rt_error(rt, MBPF_E_INVALID_ARG, "load: %s is NULL", pkg ? "out_prog" : "pkg");
    else if (opts && (opts->flags &
                      ~(MBPF_LOAD_F_REPLACE | MBPF_LOAD_F_PKG_PERSISTENT | MBPF_LOAD_F_DEBUG)))
        rc = rt_error(rt, MBPF_E_INVALID_ARG, "load: opts.flags 0x%x has unknown bits",
                      (unsigned)opts->flags);
    else if (old && !is_loaded(rt, old))
        rc = rt_error(rt, MBPF_E_NOT_FOUND, "replace: program is not loaded");
    else
        rc = load_locked(rt, pkg, pkg_len, opts ? opts->flags : 0, old, out_prog);
    mbpf_spin_unlock(&rt->ctl);
    return rc;
}

int mbpf_program_load(mbpf_runtime_t *rt, const void *pkg, size_t pkg_len,
                      const mbpf_load_opts_t *opts, mbpf_program_t **out_prog)
{
    return load_entry(rt, NULL, pkg, pkg_len, opts, out_prog);
}

int mbpf_program_replace(mbpf_runtime_t *rt, mbpf_program_t *old, const void *pkg, size_t pkg_len,
                         const mbpf_load_opts_t *opts, mbpf_program_t **out_prog)
{
    if (out_prog) *out_prog = NULL;
    if (rt && !old) {
        mbpf_spin_lock(&rt->ctl);
        int rc = rt_error(rt, MBPF_E_INVALID_ARG, "replace: old program is NULL");
        mbpf_spin_unlock(&rt->ctl);
        return rc;
    }
    return load_entry(rt, old, pkg, pkg_len, opts, out_prog);
}

int mbpf_program_unload(mbpf_runtime_t *rt, mbpf_program_t *prog)
{
    if (!rt) return MBPF_E_INVALID_ARG;
    mbpf_spin_lock(&rt->ctl);
    int rc;
    if (!prog || !is_loaded(rt, prog)) {
        rc = rt_error(rt, prog ? MBPF_E_NOT_FOUND : MBPF_E_INVALID_ARG, "unload: program is %s",
                      prog ? "not loaded" : "NULL");
    } else {
        unload_locked(rt, prog);
        rc = rt_ok(rt);
    }
    mbpf_spin_unlock(&rt->ctl);
    return rc;
}

mbpf_program_t *mbpf_program_find(mbpf_runtime_t *rt, const char *name)
{
    if (!rt || !name) return NULL;
    mbpf_spin_lock(&rt->ctl);
    struct mbpf_program *p = find_name(rt, name);
    mbpf_spin_unlock(&rt->ctl);
    return p;
}

uint32_t mbpf_program_list(mbpf_runtime_t *rt, mbpf_program_t **out, uint32_t cap)
{
    if (!rt) return 0;
    uint32_t n = 0;
    mbpf_spin_lock(&rt->ctl);
    for (struct mbpf_program *p = rt->programs; p; p = p->next, n++)
        if (out && n < cap) out[n] = p;
    mbpf_spin_unlock(&rt->ctl);
    return n;
}

int mbpf_program_info(const mbpf_program_t *prog, mbpf_program_info_t *out)
{
    if (!prog || !out) return MBPF_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->name = prog->manifest.program_name;
    out->version = prog->manifest.program_version;
    out->hook_type = prog->manifest.hook_type;
    out->heap_size = prog->manifest.heap_size;
    out->capabilities = prog->manifest.capabilities;
    out->map_count = prog->map_count;
    for (uint32_t i = 0; i < MBPF_MAX_ATTACH; i++) out->attach_count += prog->attach[i].linked;
    out->sig_valid = prog->sig_valid;
    out->sig_key_index = prog->sig_key_index;
    return 0;
}
