/*
 * The seam between the runtime core and the engine binding: everything the
 * runtime needs from one per-CPU program instance, and nothing about JS.
 *
 * The runtime allocates one buffer of instance_size(heap_size) bytes per
 * CPU, asks the executor to build an instance in it (create), runs the
 * program's top-level code on every instance (start), calls mbpf_init once
 * on instance 0 (call INIT), runs the entry for each event (run), calls
 * mbpf_fini once on instance 0 at unload (call FINI) and finally destroys
 * each instance. The runtime guarantees that one instance is never used by
 * two callers at once (per-instance in-use flag), so executors need no
 * locking of their own.
 *
 * The executor is a table of functions, passed to mbpf_runtime_init_exec,
 * so the core library has no link-time dependency on any engine: the ujs
 * binding (exec_ujs.c) provides its table and defines mbpf_runtime_init(cfg)
 * as mbpf_runtime_init_exec(cfg, &its_table); tests pass a scripted double.
 */
#ifndef MBPF_RUNTIME_EXEC_H
#define MBPF_RUNTIME_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "mbpf.h"
#include "mbpf_fmt.h"
#include "mbpf_platform.h"

/* Outcome of running program code. */
typedef enum mbpf_exec_status {
    MBPF_EXEC_OK = 0,        /* returned normally (run: *rc holds the int32 result) */
    MBPF_EXEC_EXCEPTION = 1, /* threw (or returned something that is not an int32) */
    MBPF_EXEC_STEPS = 2,     /* max_steps exhausted */
    MBPF_EXEC_HELPERS = 3,   /* max_helpers exhausted */
    MBPF_EXEC_TIME = 4,      /* max_wall_time_us exceeded */
    MBPF_EXEC_OOM = 5,       /* the instance heap is exhausted */
} mbpf_exec_status_t;

/* Text of a status for messages ("budget max_steps exhausted", ...). */
const char *mbpf_exec_status_text(mbpf_exec_status_t st);

/* Per-invocation budgets (also used for top-level code, mbpf_init and
 * mbpf_fini). max_wall_time_us 0: none (the runtime passes 0 when the
 * platform has no clock). */
typedef struct mbpf_exec_budget {
    uint32_t max_steps;
    uint32_t max_helpers;
    uint32_t max_wall_time_us;
} mbpf_exec_budget_t;

/* What an instance is built from. All pointers stay valid until destroy. */
typedef struct mbpf_exec_program {
    const mbpf_manifest_t *manifest; /* hook_type, entry_symbol, heap_size, ... */
    const uint8_t *bytecode; /* BYTECODE section, read-only: a copy aligned for any type, or,
                              * with MBPF_LOAD_F_PKG_PERSISTENT, in the package (sections
                              * sit at 8-byte offsets from its start) */
    size_t bytecode_len;
    struct mbpf_map *const *maps; /* the program's maps, in manifest order */
    uint32_t map_count;
    uint32_t caps;                   /* capabilities granted (helpers to expose) */
    uint32_t cpu;                    /* which per-CPU instance this is */
    const mbpf_platform_t *platform; /* clock, log sink */
    bool debug;                      /* MBPF_LOAD_F_DEBUG: console.log, DEBUG-level logs */
    /* The program's counters for mbpf.stats (must not call the engine). */
    int (*stats)(void *user, mbpf_program_stats_t *out);
    void *stats_user;
} mbpf_exec_program_t;

/* Which optional entry point call() runs. */
#define MBPF_EXEC_INIT 0 /* mbpf_init, if the program defines it */
#define MBPF_EXEC_FINI 1 /* mbpf_fini, if the program defines it */

typedef struct mbpf_exec_ops {
    /* Bytecode format version the engine loads (manifest bytecode_version
     * must equal it) and the smallest heap_size it can run any program in. */
    uint32_t bytecode_version;
    uint32_t min_heap_size;

    /* Bytes of the buffer one instance needs for heap_size bytes of heap
     * (heap_size >= min_heap_size); 0 if not representable. */
    size_t (*instance_size)(uint32_t heap_size);

    /* Builds an instance in mem[0..size) (aligned for any type): verifies
     * and loads the bytecode, installs the globals, but runs no program
     * code. Returns 0, MBPF_E_BYTECODE (bytecode rejected) or
     * MBPF_E_HEAP_SIZE (heap too small for the globals), with a message in
     * diag. On failure nothing needs destroying. */
    int (*create)(void *mem, size_t size, const mbpf_exec_program_t *prog, mbpf_diag_t *diag);

    /* Runs the top-level code. A program without the entry function fails
     * with MBPF_EXEC_EXCEPTION. diag (may be NULL) gets the exception text. */
    mbpf_exec_status_t (*start)(void *inst, const mbpf_exec_budget_t *budget, mbpf_diag_t *diag);

    /* Calls mbpf_init or mbpf_fini (MBPF_EXEC_INIT / _FINI); a program
     * without it returns MBPF_EXEC_OK. */
    mbpf_exec_status_t (*call)(void *inst, int which, const mbpf_exec_budget_t *budget,
                               mbpf_diag_t *diag);

    /* Runs the entry on ctx_blob (already checked: ctx_len >= the hook's
     * struct size, abi_version as the manifest requires). Must not allocate
     * outside the instance. After any status the instance is ready for the
     * next call. */
    mbpf_exec_status_t (*run)(void *inst, const void *ctx_blob, size_t ctx_len,
                              const mbpf_exec_budget_t *budget, int32_t *rc);

    /* Memory figures of an idle instance (optional: NULL if the engine
     * has none). */
    void (*heap_stats)(void *inst, mbpf_heap_stats_t *out);

    /* Releases what the instance holds outside mem (usually nothing). */
    void (*destroy)(void *inst);
} mbpf_exec_ops_t;

/* mbpf_runtime_init with an explicit executor (ops must outlive the
 * runtime). */
mbpf_runtime_t *mbpf_runtime_init_exec(const mbpf_runtime_config_t *cfg,
                                       const mbpf_exec_ops_t *ops);

#endif
