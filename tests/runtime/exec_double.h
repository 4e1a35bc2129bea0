/*
 * A scripted test double of the executor seam (src/runtime/exec.h), so the
 * runtime core can be tested before the engine binding exists.
 *
 * A program's "bytecode" is a script of space-separated words that says
 * how its instances behave:
 *   ret=N            the entry returns N (default 0)
 *   run=S            the entry ends with status S: throw steps helpers time oom
 *   top=S init=S fini=S   top-level code, mbpf_init, mbpf_fini end with S
 *   create=E         create fails with E: bytecode heap nomem
 *   create_at=K      ... only for instance K (default: every instance)
 *   nest             the entry calls mbpf_run(dbl.nest_rt, dbl.nest_hook)
 *                    re-entrantly and records what it returned
 *   count=MAP        the entry adds 1 to counter 0 of counter map MAP
 * Unknown words are ignored, so any bytes load (for the fuzzer).
 */
#ifndef EXEC_DOUBLE_H
#define EXEC_DOUBLE_H

#include <stdatomic.h>
#include <stdint.h>

#include "exec.h"

/* The double's executor table; tests may change bytecode_version and
 * min_heap_size before creating a runtime. */
extern mbpf_exec_ops_t dbl_ops;

typedef struct dbl_state {
    atomic_int creates, destroys, starts, inits, finis, runs;
    /* What the last create was given. */
    uint32_t last_caps, last_cpu, last_map_count, last_heap_size;
    uint32_t last_budget_steps, last_budget_helpers, last_budget_time;
    /* nest: where the inner call goes and what it returned. */
    mbpf_runtime_t *nest_rt;
    mbpf_hook_id_t nest_hook;
    int nest_ret;
    int32_t nest_rc;
    /* Called by every run after the script, if set; may change *rc/status. */
    mbpf_exec_status_t (*on_run)(const mbpf_exec_program_t *prog, const void *ctx, size_t len,
                                 int32_t *rc, mbpf_exec_status_t st);
} dbl_state_t;

extern dbl_state_t dbl;

/* Resets dbl and dbl_ops to defaults (bytecode_version 1, min heap 1024). */
void dbl_reset(void);

#endif
