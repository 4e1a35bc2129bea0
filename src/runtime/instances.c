/*
 * Per-CPU instances: one executor instance per CPU, each in its own buffer
 * from the platform allocator, each claimed by an atomic in-use flag while
 * code runs on it (a claim that finds the flag set is a nested entry, which
 * run.c counts and answers with the safe default). Top-level code runs on
 * every instance; mbpf_init and mbpf_fini run once, on instance 0, because
 * they exist to set up and tear down shared state (maps).
 */
#include "internal.h"

const char *mbpf_exec_status_text(mbpf_exec_status_t st)
{
    switch (st) {
    case MBPF_EXEC_OK: return "ok";
    case MBPF_EXEC_EXCEPTION: return "exception";
    case MBPF_EXEC_STEPS: return "budget max_steps exhausted";
    case MBPF_EXEC_HELPERS: return "budget max_helpers exhausted";
    case MBPF_EXEC_TIME: return "budget max_wall_time_us exceeded";
    case MBPF_EXEC_OOM: return "out of memory";
    }
    return "unknown status";
}

static int code_failed(mbpf_runtime_t *rt, const char *what, uint32_t cpu, mbpf_exec_status_t st,
                       const mbpf_diag_t *diag)
{
    return rt_error(rt, MBPF_E_PROGRAM_INIT, "%s (instance %u): %s%s%s", what, (unsigned)cpu,
                    mbpf_exec_status_text(st), diag->msg[0] ? ": " : "", diag->msg);
}

/* mbpf.stats: the program's own counters. */
static int program_stats(void *user, mbpf_program_stats_t *out)
{
    return mbpf_program_stats(user, out);
}

int instances_create(mbpf_runtime_t *rt, struct mbpf_program *p)
{
    const mbpf_exec_ops_t *ex = rt->exec;
    size_t size = ex->instance_size(p->manifest.heap_size);
    if (size == 0)
        return rt_error(rt, MBPF_E_HEAP_SIZE, "manifest: heap_size %u: instance size overflows",
                        (unsigned)p->manifest.heap_size);
    p->inst = rt_alloc_lines(rt, rt->ncpu, &p->inst_block);
    if (!p->inst) return rt_error(rt, MBPF_E_NOMEM, "instances: out of memory");
    p->ninst = rt->ncpu;
    for (uint32_t cpu = 0; cpu < p->ninst; cpu++) {
        rt_instance_t *in = &p->inst[cpu];
        atomic_init(&in->in_use, 0);
        u64_init(&in->st.runs, 0);
        u64_init(&in->st.successes, 0);
        u64_init(&in->st.soft_failures, 0);
        in->mem = rt_alloc(rt, size);
        if (!in->mem)
            return rt_error(rt, MBPF_E_NOMEM, "instance %u: out of memory for %zu bytes",
                            (unsigned)cpu, size);
        mbpf_exec_program_t ep = {
            .manifest = &p->manifest,
            .bytecode = p->bytecode,
            .bytecode_len = p->bytecode_len,
            .maps = p->map_handles,
            .map_count = p->map_count,
            .caps = p->manifest.capabilities,
            .cpu = cpu,
            .platform = rt->pf,
            .debug = (p->load_flags & MBPF_LOAD_F_DEBUG) != 0,
            .stats = program_stats,
            .stats_user = p,
        };
        mbpf_diag_t diag = {{0}};
        int rc = ex->create(in->mem, size, &ep, &diag);
        if (rc != 0) {
            if (rc != MBPF_E_BYTECODE && rc != MBPF_E_HEAP_SIZE && rc != MBPF_E_NOMEM)
                rc = MBPF_E_BYTECODE;
            return rt_error(rt, rc, "instance %u: %s", (unsigned)cpu,
                            diag.msg[0] ? diag.msg : mbpf_strerror(rc));
        }
        in->created = 1;
        mbpf_exec_status_t st = ex->start(in->mem, &p->budget, &diag);
        if (st != MBPF_EXEC_OK) return code_failed(rt, "top-level code", cpu, st, &diag);
    }
    mbpf_diag_t diag = {{0}};
    mbpf_exec_status_t st = ex->call(p->inst[0].mem, MBPF_EXEC_INIT, &p->budget, &diag);
    if (st != MBPF_EXEC_OK) return code_failed(rt, "mbpf_init", 0, st, &diag);
    return 0;
}

void instances_fini(mbpf_runtime_t *rt, struct mbpf_program *p)
{
    if (!p->inst || !p->inst[0].created) return;
    mbpf_diag_t diag = {{0}};
    mbpf_exec_status_t st = rt->exec->call(p->inst[0].mem, MBPF_EXEC_FINI, &p->budget, &diag);
    if (st != MBPF_EXEC_OK && rt->pf->log) {
        char msg[MBPF_DIAG_MAX];
        size_t n =
            mbpf_fmt(msg, sizeof msg, "program '%s': mbpf_fini: %s%s%s", p->manifest.program_name,
                     mbpf_exec_status_text(st), diag.msg[0] ? ": " : "", diag.msg);
        rt->pf->log(rt->pf->user, MBPF_LOG_WARN, msg, n);
    }
}

void instances_destroy(mbpf_runtime_t *rt, struct mbpf_program *p)
{
    if (!p->inst) return;
    for (uint32_t cpu = 0; cpu < p->ninst; cpu++) {
        rt_instance_t *in = &p->inst[cpu];
        if (in->created) rt->exec->destroy(in->mem);
        rt_free(rt, in->mem);
    }
    rt_free(rt, p->inst_block);
    p->inst = NULL;
    p->inst_block = NULL;
    p->ninst = 0;
}
