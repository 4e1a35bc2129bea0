/*
 * Driving the runtime for `mbpf run` (runner.h). Programs of TRACEPOINT
 * and CUSTOM hooks have no point in their manifest, so the runner attaches
 * each to every point its input mentions, on the first event for that
 * point; the other hook types have only point 0 and are attached at load.
 * After each event every ring buffer of every program is drained, so
 * records are reported in the order they were produced and a long input
 * never fills a ring that nobody reads.
 */
#include "runner.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mbpf_ctx.h"
#include "package.h"
#include "run_err.h"
#include "run_report.h"
#include "tool_io.h"

int mbpf_runner_init(mbpf_runner_t *r, const mbpf_runner_config_t *cfg, char *err, size_t errcap)
{
    memset(r, 0, sizeof *r);
    mbpf_host_platform_init(&r->hp, cfg->cpus, cfg->log);
    r->rep = cfg->rep;
    r->key_paths = cfg->key_paths;

    mbpf_runtime_config_t rc;
    mbpf_runtime_config_init(&rc, &r->hp.pf);
    rc.cpu_count = r->hp.cpus;
    rc.policy.trusted_keys = cfg->keys;
    rc.policy.trusted_key_count = cfg->nkeys;
    rc.policy.require_signature = cfg->require_signature;
    r->rt = mbpf_runtime_init(&rc);
    if (!r->rt) {
        mbpf_run_err(err, errcap, "cannot create the runtime (%u CPUs)", (unsigned)r->hp.cpus);
        return -1;
    }
    return 0;
}

static int hook_has_points(uint32_t type)
{
    return type == MBPF_HOOK_TRACEPOINT || type == MBPF_HOOK_CUSTOM;
}

static int hook_known(const mbpf_runner_t *r, mbpf_hook_id_t hook)
{
    for (uint32_t i = 0; i < r->nhooks; i++)
        if (r->hooks[i] == hook) return 1;
    return 0;
}

static void describe_hook(mbpf_hook_id_t hook, char *out, size_t cap)
{
    uint32_t type = MBPF_HOOK_ID_TYPE(hook);
    const char *name = mbpf_hook_type_name(type);
    if (hook_has_points(type))
        snprintf(out, cap, "%s %u", name ? name : "?", (unsigned)MBPF_HOOK_ID_POINT(hook));
    else
        snprintf(out, cap, "%s", name ? name : "?");
}

static int attach_one(mbpf_runner_t *r, run_prog_t *p, mbpf_hook_id_t hook, char *err,
                      size_t errcap)
{
    if (mbpf_program_attach(r->rt, p->prog, hook) == 0) return 0;
    char h[48];
    describe_hook(hook, h, sizeof h);
    const char *why = mbpf_last_error(r->rt);
    if (strncmp(why, "attach: ", 8) == 0) why += 8;
    mbpf_run_err(err, errcap, "%s: attach to %s: %s", p->path, h, why);
    return -1;
}

/* Attaches every program of hook's type to hook, once. */
static int ensure_attached(mbpf_runner_t *r, mbpf_hook_id_t hook, char *err, size_t errcap)
{
    if (hook_known(r, hook)) return 0;
    uint32_t users = 0;
    for (uint32_t i = 0; i < r->nprogs; i++)
        users += r->progs[i].info.hook_type == MBPF_HOOK_ID_TYPE(hook);
    if (users == 0) return 0; /* nothing to attach; a later load checks again */
    if (r->nhooks == RUN_MAX_HOOKS) {
        mbpf_run_err(err, errcap, "more than %d distinct tracepoint and custom points",
                     RUN_MAX_HOOKS);
        return -1;
    }
    for (uint32_t i = 0; i < r->nprogs; i++)
        if (r->progs[i].info.hook_type == MBPF_HOOK_ID_TYPE(hook) &&
            attach_one(r, &r->progs[i], hook, err, errcap) != 0)
            return -1;
    r->hooks[r->nhooks++] = hook;
    return 0;
}

int mbpf_runner_load(mbpf_runner_t *r, const char *path, int debug, char *err, size_t errcap)
{
    if (r->nprogs == RUN_MAX_PROGS) {
        mbpf_run_err(err, errcap, "%s: more than %d packages", path, RUN_MAX_PROGS);
        return -1;
    }
    uint8_t *pkg;
    size_t len;
    char ioerr[MBPF_TOOL_ERR_MAX];
    if (mbpf_tool_read_file(path, &pkg, &len, ioerr, sizeof ioerr) != 0) {
        mbpf_run_err(err, errcap, "%s", ioerr);
        return -1;
    }
    run_prog_t *p = &r->progs[r->nprogs];
    memset(p, 0, sizeof *p);
    p->path = path;
    mbpf_load_opts_t opts = {.flags = debug ? MBPF_LOAD_F_DEBUG : 0};
    if (mbpf_program_load(r->rt, pkg, len, &opts, &p->prog) != 0) {
        /* the runtime's load messages may say "load: " themselves */
        const char *why = mbpf_last_error(r->rt);
        if (strncmp(why, "load: ", 6) == 0) why += 6;
        mbpf_run_err(err, errcap, "%s: load: %s", path, why);
        free(pkg);
        return -1;
    }
    /* The loader accepted the package, so this check (without keys: only
     * to read the manifest's map names) succeeds too. */
    mbpf_package_t *pk = malloc(sizeof *pk);
    mbpf_diag_t diag = {{0}};
    int rc = pk ? mbpf_package_check(pkg, len, NULL, pk, &diag) : -1;
    if (rc == 0) {
        p->manifest = pk->manifest;
        p->signed_pkg = pk->sig_status != MBPF_SIG_ABSENT;
    }
    free(pk);
    free(pkg);
    if (rc != 0) {
        mbpf_run_err(err, errcap, "%s: %s", path, pk ? diag.msg : "out of memory");
        mbpf_program_unload(r->rt, p->prog);
        return -1;
    }
    mbpf_program_info(p->prog, &p->info);
    if (p->info.sig_valid && r->key_paths) p->key_path = r->key_paths[p->info.sig_key_index];
    for (uint32_t i = 0; i < p->manifest.map_count; i++)
        p->maps[i] = mbpf_program_map(p->prog, p->manifest.maps[i].name);
    r->nprogs++;

    if (hook_has_points(p->info.hook_type)) {
        /* points seen before this program was loaded */
        for (uint32_t i = 0; i < r->nhooks; i++)
            if (MBPF_HOOK_ID_TYPE(r->hooks[i]) == p->info.hook_type &&
                attach_one(r, p, r->hooks[i], err, errcap) != 0)
                return -1;
        return 0;
    }
    mbpf_hook_id_t hook = MBPF_HOOK_ID(p->info.hook_type, 0);
    if (!hook_known(r, hook)) return ensure_attached(r, hook, err, errcap);
    return attach_one(r, p, hook, err, errcap);
}

int mbpf_runner_attach(mbpf_runner_t *r, mbpf_hook_id_t hook, char *err, size_t errcap)
{
    return ensure_attached(r, hook, err, errcap);
}

static void count_verdict(run_verdicts_t *v, int32_t rc)
{
    v->events++;
    for (uint32_t i = 0; i < v->nvalues; i++) {
        if (v->values[i].value == rc) {
            v->values[i].count++;
            return;
        }
    }
    if (v->nvalues == RUN_VERDICT_SLOT) {
        v->overflow++;
        return;
    }
    v->values[v->nvalues].value = rc;
    v->values[v->nvalues].count = 1;
    v->nvalues++;
}

typedef struct drain_ctx {
    mbpf_runner_t *r;
    const run_prog_t *p;
    const mbpf_map_t *m;
    int with_id;
} drain_ctx_t;

static int on_record(void *user, const void *data, size_t len)
{
    drain_ctx_t *d = user;
    run_report_emitted(d->r->rep, d->p, d->m, d->with_id, data, len);
    return 0;
}

/* mbpf.emit writes to the first ring buffer of the manifest, as an event id
 * and the bytes; other rings hold raw maps.NAME.output records. */
static void drain_rings(mbpf_runner_t *r)
{
    for (uint32_t i = 0; i < r->nprogs; i++) {
        run_prog_t *p = &r->progs[i];
        int first = 1;
        for (uint32_t k = 0; k < p->manifest.map_count; k++) {
            mbpf_map_t *m = p->maps[k];
            if (!m || m->def.type != MBPF_MAP_RINGBUF) continue;
            drain_ctx_t d = {r, p, m, first};
            first = 0;
            mbpf_map_ringbuf_consume(m, on_record, &d, 0);
        }
    }
}

int mbpf_runner_event(mbpf_runner_t *r, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len,
                      const run_origin_t *origin, char *err, size_t errcap)
{
    if (ensure_attached(r, hook, err, errcap) != 0) return -1;
    mbpf_host_platform_set_cpu(&r->hp, (uint32_t)(r->runs % r->hp.cpus));
    uint32_t cpu = r->hp.cpu;
    int32_t rc = 0;
    int e = mbpf_run(r->rt, hook, ctx, ctx_len, &rc);
    if (e != 0) {
        mbpf_run_err(err, errcap, "mbpf_run: %s", mbpf_strerror(e));
        return -1;
    }
    r->runs++;
    count_verdict(&r->verdicts[MBPF_HOOK_ID_TYPE(hook)], rc);
    run_report_verdict(r->rep, origin, hook, cpu, rc);
    drain_rings(r);
    return 0;
}

int mbpf_runner_counter_add(mbpf_runner_t *r, const char *name, uint32_t key, uint64_t add,
                            int apply, const run_origin_t *origin, char *err, size_t errcap)
{
    uint32_t found = 0;
    for (uint32_t i = 0; i < r->nprogs; i++) {
        run_prog_t *p = &r->progs[i];
        for (uint32_t k = 0; k < p->manifest.map_count; k++) {
            const mbpf_map_def_t *def = &p->manifest.maps[k];
            if (!p->maps[k] || strcmp(def->name, name) != 0) continue;
            if (def->type != MBPF_MAP_COUNTER) {
                mbpf_run_err(err, errcap, "%s: map '%s' is not a counter (type %s)", p->path, name,
                             mbpf_map_type_name(def->type));
                return -1;
            }
            if (key >= def->max_entries) {
                mbpf_run_err(err, errcap,
                             "%s: counter '%s' has %" PRIu32 " entries, no key %" PRIu32, p->path,
                             name, def->max_entries, key);
                return -1;
            }
            found++;
            if (!apply) continue;
            uint64_t now = 0;
            int e = mbpf_map_counter_add(p->maps[k], key, add, &now);
            if (e != 0) {
                mbpf_run_err(err, errcap, "%s: counter '%s': %s", p->path, name,
                             mbpf_map_strerror(e));
                return -1;
            }
            run_report_counter(r->rep, origin, p, name, key, add, now);
        }
    }
    if (!found) {
        mbpf_run_err(err, errcap, "no loaded program has a map named '%s'", name);
        return -1;
    }
    return 0;
}

void mbpf_runner_fini(mbpf_runner_t *r)
{
    mbpf_runtime_shutdown(r->rt);
    r->rt = NULL;
    r->nprogs = 0;
}

const char *mbpf_runner_verdict_name(uint32_t hook_type, int32_t rc)
{
    switch (hook_type) {
    case MBPF_HOOK_NET_RX:
    case MBPF_HOOK_NET_TX:
        if (rc == MBPF_NET_PASS) return "PASS";
        if (rc == MBPF_NET_DROP) return "DROP";
        if (rc == MBPF_NET_ABORT) return "ABORT";
        return NULL;
    case MBPF_HOOK_SECURITY:
        if (rc == MBPF_SEC_ALLOW) return "ALLOW";
        if (rc == MBPF_SEC_DENY) return "DENY";
        return NULL;
    }
    return NULL;
}
