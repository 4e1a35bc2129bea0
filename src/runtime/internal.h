/*
 * Runtime internals shared by the files of src/runtime.
 *
 * Concurrency model in one paragraph: the control plane (load, replace,
 * unload, attach, detach, find, list) is serialised by rt->ctl. The event
 * path (mbpf_run, drain) takes no lock: it announces itself in its CPU's
 * rt->active counter, walks the hook lists through atomic next pointers and
 * runs the current CPU's instance, claimed with an atomic in-use flag.
 * Writers change a list with one atomic pointer store and, before reusing
 * or freeing anything a reader might hold, wait for a grace period: until
 * every CPU's active counter has been seen at zero (hooks.c).
 */
#ifndef MBPF_RUNTIME_INTERNAL_H
#define MBPF_RUNTIME_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atomic64.h" /* 64-bit counters that work without libatomic */
#include "exec.h"
#include "hints.h"
#include "manifest.h"
#include "mbpf.h"
#include "mbpf_atomic.h"
#include "mbpf_fmt.h"
#include "mbpf_map.h"
#include "mbpf_platform.h"

/* ---- stats.c -------------------------------------------------------------- */

/* Counters shared by the CPUs: outcomes other than a plain run. */
enum stat_id {
    ST_EXCEPTIONS,
    ST_OOM,
    ST_BUDGET_STEPS,
    ST_BUDGET_HELPERS,
    ST_BUDGET_TIME,
    ST_NESTED,
    ST_CTX_MISMATCH,
    ST_BREAKER_TRIPS,
    ST_BREAKER_SKIPPED,
    ST_DEFERRED_DROPS,
    ST_COUNT
};

typedef struct prog_stats {
    map_u64_t c[ST_COUNT];
} prog_stats_t;

/* Counters of the runs that claimed one instance. Only the claimant
 * writes them and the in-use flag orders the claimants, so they are
 * counted without an atomic read-modify-write, in a cache line no other
 * CPU writes. invocations = the runs of every instance + the events that
 * claimed none (nested, ctx_mismatch, breaker_skipped). */
typedef struct inst_stats {
    map_u64_t runs, successes, soft_failures;
} inst_stats_t;

void stats_init(prog_stats_t *s);
static inline void stats_inc(prog_stats_t *s, enum stat_id id)
{
    u64_add(&s->c[id], 1);
}
/* Adds 1 to an instance counter (the caller holds the instance). */
static inline void stats_bump(map_u64_t *c)
{
#if !defined(MBPF_MAP_U64_LOCKED) && ATOMIC_LLONG_LOCK_FREE == 2 /* as in atomic64.h */
    u64_store(c, u64_load(c) + 1);
#else
    u64_add(c, 1); /* a locked counter: one lock round rather than two */
#endif
}
struct mbpf_program;
void stats_read(const struct mbpf_program *p, mbpf_program_stats_t *out);

/* ---- breaker.c ------------------------------------------------------------ */

typedef struct breaker {
    atomic_uint consecutive; /* failures in a row */
    atomic_uint open;        /* 1 while the program is skipped */
    atomic_uint until_ms;    /* clock mode: re-enable at this (wrapping) ms */
    atomic_uint skipped;     /* counting mode: events skipped while open */
} breaker_t;

void breaker_init(breaker_t *b);
/* True if the program may run now (closes an expired breaker). */
bool breaker_allow(mbpf_runtime_t *rt, breaker_t *b);
/* Records an outcome; returns true when this failure tripped the breaker. */
bool breaker_failure(mbpf_runtime_t *rt, breaker_t *b);
void breaker_success(mbpf_runtime_t *rt, breaker_t *b);

/* ---- maps wiring (maps.c) ---------------------------------------------------- */

/* A map with its storage; shared between a program and its replacement. */
typedef struct rt_map {
    mbpf_map_t map;
    void *storage;
    uint32_t refs; /* programs using it; under rt->ctl */
} rt_map_t;

/* ---- instances.c ------------------------------------------------------------ */

/* CPUs write their own instance and active counter on every event: one
 * cache line each (the blocks are allocated line-aligned, rt_alloc_lines)
 * so that no CPU's writes evict another's. */
#define RT_CACHE_LINE 64

typedef union rt_instance {
    struct {
        atomic_uint in_use; /* 1 while an event (or init/fini) runs on it */
        uint8_t created;    /* executor create succeeded: destroy needed */
        void *mem;          /* instance buffer from the platform */
        inst_stats_t st;
    };
    uint8_t line[RT_CACHE_LINE];
} rt_instance_t;
_Static_assert(sizeof(rt_instance_t) == RT_CACHE_LINE, "one instance per cache line");

/* ---- hooks.c ---------------------------------------------------------------- */

typedef struct rt_attach {
    _Atomic(struct rt_attach *) next; /* next attachment of the same hook type */
    mbpf_hook_id_t hook;
    struct mbpf_program *prog;
    uint8_t linked; /* on a hook list; under rt->ctl */
} rt_attach_t;

/* ---- programs --------------------------------------------------------------- */

typedef mbpf_exec_status_t (*rt_exec_run_fn)(void *, const void *, size_t,
                                             const mbpf_exec_budget_t *, int32_t *);

struct mbpf_program {
    /* What every event reads, together, fixed at load: the event path needs
     * nothing else of the runtime while the program runs. */
    rt_instance_t *inst;
    rt_exec_run_fn exec_run; /* rt->exec->run, one load nearer */
    uint32_t ctx_size;       /* smallest context blob: the hook type's v1 struct */
    uint32_t ctx_abi;        /* the manifest's hook_ctx_abi_version */
    int32_t dflt;            /* the hook type's safe default */
    bool soft_fail;          /* a nonzero verdict is a soft failure (TRACEPOINT, TIMER) */
    mbpf_exec_budget_t budget;
    breaker_t breaker;

    mbpf_runtime_t *rt;
    struct mbpf_program *next; /* rt->programs, load order; under rt->ctl */
    mbpf_manifest_t manifest;
    const uint8_t *bytecode;
    size_t bytecode_len;
    void *bytecode_copy; /* owned copy, or NULL when executed in place */
    int sig_valid;
    int32_t sig_key_index;
    uint32_t load_flags; /* MBPF_LOAD_F_* given at load */
    uint32_t ninst;
    void *inst_block; /* the allocation inst sits in */
    uint32_t map_count;
    rt_map_t *maps[MBPF_MANIFEST_MAX_MAPS];
    mbpf_map_t *map_handles[MBPF_MANIFEST_MAX_MAPS];
    rt_attach_t attach[MBPF_MAX_ATTACH];
    prog_stats_t stats;
};

/* ---- deferred.c ------------------------------------------------------------- */

typedef struct deferred {
    uint32_t depth;        /* records, a power of two */
    uint32_t data_max;     /* snapshot bytes per record */
    size_t record_size;    /* bytes per record */
    uint8_t *records;      /* depth * record_size */
    atomic_uint *seq;      /* per-slot sequence (bounded MPMC queue) */
    atomic_uint head;      /* next position to enqueue */
    atomic_uint tail;      /* next position to dequeue */
    atomic_uint scheduled; /* a platform defer is pending */
    map_u64_t queued, dropped, run;
} deferred_t;

int deferred_init(mbpf_runtime_t *rt, const mbpf_runtime_config_t *cfg);
void deferred_free(mbpf_runtime_t *rt);
/* Snapshots the context and enqueues it; returns 0 or MBPF_E_INVALID_ARG. */
int deferred_enqueue(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len);

/* ---- runtime ---------------------------------------------------------------- */

typedef union rt_active {
    atomic_uint n;
    uint8_t line[RT_CACHE_LINE];
} rt_active_t;

/* What mbpf_run needs of a hook type, fixed at init. */
typedef struct rt_hook_kind {
    int32_t dflt; /* the safe default */
    /* Bit 0: an id of this type with point 0 runs inline; bit 1: one with
     * another point does. Clear for invalid ids and deferred types, so one
     * test at the entry sends both the slow way. */
    uint8_t inline_ok;
    /* A decision hook's restrictive verdict (DROP / DENY), which ends the
     * event; an observer's is out of int32 range, so no verdict ends it. */
    int64_t stop;
} rt_hook_kind_t;

struct mbpf_runtime {
    const mbpf_platform_t *pf;
    const mbpf_exec_ops_t *exec;
    rt_hook_kind_t kinds[MBPF_HOOK_TYPE_MAX + 1];
    mbpf_runtime_config_t cfg; /* policy.trusted_keys points at keys below */
    uint8_t (*keys)[32];
    uint32_t ncpu;
    rt_active_t *active; /* per CPU: events inside mbpf_run/drain */
    void *active_block;  /* the allocation active sits in */
    mbpf_spinlock_t ctl;
    struct mbpf_program *programs;
    _Atomic(rt_attach_t *) hooks[MBPF_HOOK_TYPE_MAX + 1];
    deferred_t deferred;
    int last_code;
    mbpf_diag_t last_error;
};

/* runtime.c */
void *rt_alloc(mbpf_runtime_t *rt, size_t size); /* zeroed */
void rt_free(mbpf_runtime_t *rt, void *p);
/* n zeroed cache lines, line-aligned; *block gets what to rt_free. */
void *rt_alloc_lines(mbpf_runtime_t *rt, size_t n, void **block);
/* Records code and the formatted message as the last error; returns code. */
int rt_error(mbpf_runtime_t *rt, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int rt_ok(mbpf_runtime_t *rt);
uint32_t rt_cpu_slow(mbpf_runtime_t *rt);
/* The current CPU's index (below rt->ncpu). */
static inline uint32_t rt_cpu(mbpf_runtime_t *rt)
{
    return rt->ncpu == 1 ? 0 : rt_cpu_slow(rt); /* one instance: no need to ask */
}

/* policy.c: the manifest against policy and this build; 0 or an error code
 * with rt's last error set. */
int policy_check(mbpf_runtime_t *rt, const mbpf_manifest_t *m);
/* Size of the v1 context struct of a hook type (0 for unknown types). */
size_t policy_ctx_size(uint32_t hook_type);
/* Decision hooks combine verdicts; the others are observers. */
#define MBPF_DECISION_HOOKS                                                                        \
    (MBPF_HOOK_BIT(MBPF_HOOK_NET_RX) | MBPF_HOOK_BIT(MBPF_HOOK_NET_TX) |                           \
     MBPF_HOOK_BIT(MBPF_HOOK_SECURITY))
static inline bool hook_is_decision(uint32_t hook_type)
{
    return hook_type <= MBPF_HOOK_TYPE_MAX && (MBPF_HOOK_BIT(hook_type) & MBPF_DECISION_HOOKS);
}

/* maps.c */
int maps_create(mbpf_runtime_t *rt, struct mbpf_program *p, const struct mbpf_program *keep_from);
void maps_release(mbpf_runtime_t *rt, struct mbpf_program *p);

/* instances.c */
int instances_create(mbpf_runtime_t *rt, struct mbpf_program *p);
void instances_destroy(mbpf_runtime_t *rt, struct mbpf_program *p);
/* Runs fini on instance 0, best-effort. */
void instances_fini(mbpf_runtime_t *rt, struct mbpf_program *p);

/* hooks.c (callers hold rt->ctl) */
void hooks_grace(mbpf_runtime_t *rt);
int hooks_attach(mbpf_runtime_t *rt, struct mbpf_program *p, mbpf_hook_id_t hook);
int hooks_detach(mbpf_runtime_t *rt, struct mbpf_program *p, mbpf_hook_id_t hook);
/* Unlinks every attachment of p (no grace wait). */
void hooks_unlink_all(mbpf_runtime_t *rt, struct mbpf_program *p);
/* Puts np's attachments where old's are, in place. */
void hooks_take_over(mbpf_runtime_t *rt, struct mbpf_program *old, struct mbpf_program *np);
/* A known type, with a point only where the type has points. */
static inline bool hook_id_valid(mbpf_hook_id_t hook)
{
    uint32_t type = MBPF_HOOK_ID_TYPE(hook);
    if (type < 1 || type > MBPF_HOOK_TYPE_MAX) return false;
    return MBPF_HOOK_ID_POINT(hook) == 0 || type == MBPF_HOOK_TRACEPOINT ||
           type == MBPF_HOOK_CUSTOM;
}

/* run.c: runs hook inline (also the drain path). */
void run_hook(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len,
              int32_t *out_rc);
void run_count_drop(mbpf_runtime_t *rt, mbpf_hook_id_t hook);
bool run_has_programs(mbpf_runtime_t *rt, mbpf_hook_id_t hook);

#endif
