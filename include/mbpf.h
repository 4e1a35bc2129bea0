/*
 * microBPF embedding API (spec §13).
 *
 * This header is the contract between microBPF and the kernel that embeds
 * it: the identifiers shared by packages, the loader and the tools (hook
 * types, capabilities, map types, API version), and the runtime API — init
 * a runtime with a platform and a policy, load verified packages, attach
 * them to hooks, run hooks from kernel events. docs/RUNTIME.md is the
 * integrator's guide. The platform struct is src/platform/mbpf_platform.h;
 * the map operations a kernel uses on a program's maps are src/maps/mbpf_map.h.
 *
 * Functions that can fail return 0 or a negative mbpf_err_t; the runtime
 * also keeps a formatted message naming the field, value and limit of the
 * last control-plane failure (mbpf_last_error).
 */
#ifndef MBPF_H
#define MBPF_H

#include <stddef.h>
#include <stdint.h>

/* Runtime release: major << 16 | minor << 8 | patch. */
#define MBPF_VERSION_MAJOR 0
#define MBPF_VERSION_MINOR 1
#define MBPF_VERSION_PATCH 0
#define MBPF_VERSION_NUMBER                                                                        \
    ((uint32_t)MBPF_VERSION_MAJOR << 16 | (uint32_t)MBPF_VERSION_MINOR << 8 | MBPF_VERSION_PATCH)

/* Helper API version implemented by this runtime: major << 16 | minor. */
#define MBPF_API_VERSION_MAJOR 1
#define MBPF_API_VERSION_MINOR 0
#define MBPF_API_VERSION       ((uint32_t)MBPF_API_VERSION_MAJOR << 16 | MBPF_API_VERSION_MINOR)

/* Hook types (manifest "hook_type"; spec §9.1). */
typedef enum mbpf_hook_type {
    MBPF_HOOK_TRACEPOINT = 1,
    MBPF_HOOK_TIMER = 2,
    MBPF_HOOK_NET_RX = 3,
    MBPF_HOOK_NET_TX = 4,
    MBPF_HOOK_SECURITY = 5,
    MBPF_HOOK_CUSTOM = 6,
} mbpf_hook_type_t;
#define MBPF_HOOK_TYPE_MAX 6

/* Capabilities (manifest "capabilities"; spec §11.4), as a bit set. */
typedef enum mbpf_capability {
    MBPF_CAP_LOG = 1u << 0,
    MBPF_CAP_MAP_READ = 1u << 1,
    MBPF_CAP_MAP_WRITE = 1u << 2,
    MBPF_CAP_MAP_ITERATE = 1u << 3,
    MBPF_CAP_EMIT = 1u << 4,
    MBPF_CAP_TIME = 1u << 5,
    MBPF_CAP_STATS = 1u << 6,
} mbpf_capability_t;
#define MBPF_CAP_ALL 0x7Fu

/* Map types (manifest "maps[].type"; spec §10.1). */
typedef enum mbpf_map_type {
    MBPF_MAP_ARRAY = 1,
    MBPF_MAP_HASH = 2,
    MBPF_MAP_LRU_HASH = 3,
    MBPF_MAP_PERCPU_ARRAY = 4,
    MBPF_MAP_PERCPU_HASH = 5,
    MBPF_MAP_COUNTER = 6,
    MBPF_MAP_RINGBUF = 7,
    MBPF_MAP_LPM_TRIE = 8,
} mbpf_map_type_t;
#define MBPF_MAP_TYPE_MAX 8

/* Map definition flags (manifest "maps[].flags"). */
#define MBPF_MAP_F_NO_PREALLOC 0x1u
#define MBPF_MAP_F_ALL         0x1u

/* ---- errors ----------------------------------------------------------- */

/* Every runtime error. mbpf_strerror gives the fixed message; the runtime's
 * last error (mbpf_last_error) says which field, value and limit. The load
 * pipeline's codes are listed in the order the checks run (docs/RUNTIME.md). */
typedef enum mbpf_err {
    MBPF_OK = 0,
    MBPF_E_INVALID_ARG = -1,       /* NULL or out-of-range argument, bad hook id */
    MBPF_E_NOMEM = -2,             /* the platform allocator failed */
    MBPF_E_PKG_FORMAT = -3,        /* container structure (header, sections) invalid */
    MBPF_E_PKG_CRC = -4,           /* a section or file CRC does not match */
    MBPF_E_SIG_REQUIRED = -5,      /* policy requires a signature, package has none */
    MBPF_E_SIG_INVALID = -6,       /* signature does not verify under any trusted key */
    MBPF_E_SIG_NO_KEYS = -7,       /* signature must be checked but no trusted key given */
    MBPF_E_MANIFEST = -8,          /* manifest or MAPS section malformed or invalid */
    MBPF_E_API_VERSION = -9,       /* mbpf_api_version incompatible with the runtime */
    MBPF_E_HELPER_VERSION = -10,   /* a helper_versions entry unknown or incompatible */
    MBPF_E_CAPABILITY = -11,       /* a capability not granted by policy */
    MBPF_E_HOOK_TYPE = -12,        /* hook type not supported by this runtime */
    MBPF_E_CTX_ABI = -13,          /* hook_ctx_abi_version not supported */
    MBPF_E_TARGET = -14,           /* target word size or endianness differs from this build */
    MBPF_E_BYTECODE_VERSION = -15, /* bytecode_version differs from the engine's */
    MBPF_E_HEAP_SIZE = -16,        /* heap_size below the engine minimum or above the ceiling */
    MBPF_E_BUDGET = -17,           /* a budget above the policy ceiling */
    MBPF_E_EXISTS = -18,           /* a program with this name is loaded */
    MBPF_E_MAP = -19,              /* a map definition the map library rejects */
    MBPF_E_MAP_TOO_LARGE = -20,    /* maps exceed the policy's map memory ceiling */
    MBPF_E_BYTECODE = -21,         /* the engine rejected the bytecode */
    MBPF_E_PROGRAM_INIT = -22,     /* top-level code or mbpf_init failed */
    MBPF_E_NOT_FOUND = -23,        /* no such program, map or attachment */
    MBPF_E_ATTACHED = -24,         /* already attached to this hook id */
    MBPF_E_HOOK_MISMATCH = -25,    /* hook id's type differs from the program's hook_type */
    MBPF_E_LIMIT = -26,            /* a fixed runtime limit reached (attachments per program) */
    MBPF_E_BUSY = -27,             /* the instance is running an event right now */
} mbpf_err_t;

/* Fixed message for an error code ("unknown error" for others). */
const char *mbpf_strerror(int err);

/* ---- hooks ------------------------------------------------------------ */

/* A hook id names a hook type and, for TRACEPOINT and CUSTOM, a point (which
 * tracepoint, which custom hook): type << 24 | point, point < 2^24. Other
 * types have point 0. Programs attached to one point never run on another. */
typedef uint32_t mbpf_hook_id_t;
#define MBPF_HOOK_POINT_MAX 0xFFFFFFu
#define MBPF_HOOK_ID(type, point)                                                                  \
    ((mbpf_hook_id_t)((uint32_t)(type) << 24 | ((uint32_t)(point)&MBPF_HOOK_POINT_MAX)))
#define MBPF_HOOK_ID_TYPE(id)  ((uint32_t)(id) >> 24)
#define MBPF_HOOK_ID_POINT(id) ((uint32_t)(id)&MBPF_HOOK_POINT_MAX)
/* Bit of a hook type in policy and config masks. */
#define MBPF_HOOK_BIT(type) (1u << (type))
#define MBPF_HOOK_ALL_TYPES 0x7Eu

/* ---- configuration -------------------------------------------------------- */

struct mbpf_platform; /* src/platform/mbpf_platform.h */
struct mbpf_map;      /* src/maps/mbpf_map.h */

/* What packages may ask for. Values are taken literally; start from
 * mbpf_runtime_config_init's defaults. */
typedef struct mbpf_policy {
    uint32_t allowed_caps;             /* MBPF_CAP_* a program may request */
    uint32_t hook_types;               /* MBPF_HOOK_BIT(type) of supported hook types */
    const uint8_t (*trusted_keys)[32]; /* Ed25519 public keys; copied at init */
    uint32_t trusted_key_count;
    int require_signature;  /* unsigned packages are refused */
    uint32_t api_version;   /* helper API offered: major << 16 | minor */
    uint32_t max_heap_size; /* ceiling of manifest heap_size, bytes */
    uint32_t max_steps;     /* ceilings of the manifest budgets */
    uint32_t max_helpers;
    uint32_t max_wall_time_us; /* 0: none; else also the budget of programs giving none */
    size_t max_map_bytes;      /* ceiling of one program's map storage, all maps */
} mbpf_policy_t;

typedef struct mbpf_runtime_config {
    const struct mbpf_platform *platform; /* required; must outlive the runtime */
    uint32_t cpu_count;                   /* instances per program; 0: platform cpu_count() */
    mbpf_policy_t policy;
    /* Verdict returned for a program that fails (exception, budget, OOM,
     * nested entry, context mismatch, breaker open), by hook type. */
    int32_t safe_default[MBPF_HOOK_TYPE_MAX + 1];
    /* Circuit breaker: after breaker_threshold consecutive failures (0: off)
     * a program is skipped (safe default) for breaker_cooldown_ms of the
     * platform clock, or, without a clock, for breaker_cooldown_invocations
     * events; then one trial event decides whether it stays enabled. */
    uint32_t breaker_threshold;
    uint32_t breaker_cooldown_ms;
    uint32_t breaker_cooldown_invocations;
    /* Deferred execution (spec §9.5) for the observer hook types in
     * deferred_hooks (MBPF_HOOK_BIT of TRACEPOINT, TIMER, CUSTOM): mbpf_run
     * snapshots the context into a queue of deferred_depth records holding
     * up to deferred_snapshot_max data bytes each. */
    uint32_t deferred_hooks;
    uint32_t deferred_depth;
    uint32_t deferred_snapshot_max;
} mbpf_runtime_config_t;

/* Fills cfg with defaults: every capability and hook type, no keys, no
 * signature required, MBPF_API_VERSION, heap <= 256 KiB, steps <= 10^7,
 * helpers <= 10^5, no wall-time ceiling, 16 MiB of maps per program, safe
 * default 0 (PASS / ALLOW / ignore) everywhere, breaker off, no deferral. */
void mbpf_runtime_config_init(mbpf_runtime_config_t *cfg, const struct mbpf_platform *platform);

/* ---- runtime ------------------------------------------------------------ */

typedef struct mbpf_runtime mbpf_runtime_t;
typedef struct mbpf_program mbpf_program_t;

/* Creates a runtime; allocates through cfg->platform only. Returns NULL if
 * cfg is invalid (the reason goes to the platform log) or memory is short.
 * Defined by the engine binding (src/runtime/exec.h). */
mbpf_runtime_t *mbpf_runtime_init(const mbpf_runtime_config_t *cfg);

/* Unloads every program (mbpf_fini best-effort) and frees everything. No
 * other call on rt may be running or follow. NULL is ignored. */
void mbpf_runtime_shutdown(mbpf_runtime_t *rt);

/* Message of the last failed control-plane call on rt (load, attach, ...),
 * naming the field, value and limit; "" when none failed. Valid until the
 * next control-plane call. mbpf_last_error_code gives its code. */
const char *mbpf_last_error(const mbpf_runtime_t *rt);
int mbpf_last_error_code(const mbpf_runtime_t *rt);

/* Runs queued deferred invocations on the calling CPU: up to max (0: all
 * queued). Returns the number run. Call from a worker context; the
 * platform's defer hook, when present, is used to schedule this. */
uint32_t mbpf_runtime_drain(mbpf_runtime_t *rt, uint32_t max);

/* Runtime-wide deferred queue counters. */
typedef struct mbpf_runtime_stats {
    uint64_t deferred_queued;  /* records enqueued */
    uint64_t deferred_dropped; /* records refused: queue full */
    uint64_t deferred_run;     /* records drained */
} mbpf_runtime_stats_t;
int mbpf_runtime_stats(const mbpf_runtime_t *rt, mbpf_runtime_stats_t *out);

/* Runtime release as MBPF_VERSION_NUMBER and as text ("0.1.0"). */
uint32_t mbpf_version(void);
const char *mbpf_version_string(void);

/* ---- programs -------------------------------------------------------------- */

typedef struct mbpf_load_opts {
    uint32_t flags; /* MBPF_LOAD_F_* */
} mbpf_load_opts_t;
/* A loaded program with the same name is hot-swapped (mbpf_program_replace)
 * instead of failing with MBPF_E_EXISTS. */
#define MBPF_LOAD_F_REPLACE 0x1u
/* pkg outlives the program (e.g. in flash): bytecode is used in place,
 * not copied. */
#define MBPF_LOAD_F_PKG_PERSISTENT 0x2u
/* Debug mode: the program gets console.log and its DEBUG-level mbpf.log
 * messages reach the log sink. For development hosts, not production. */
#define MBPF_LOAD_F_DEBUG 0x4u

/* Verifies pkg[0..pkg_len) and loads it: policy checks, maps, one instance
 * per CPU, top-level code, mbpf_init. On failure nothing stays allocated,
 * *out_prog is NULL and the code says which check failed (docs/RUNTIME.md).
 * opts may be NULL. pkg is not referenced after return (unless
 * MBPF_LOAD_F_PKG_PERSISTENT). */
int mbpf_program_load(mbpf_runtime_t *rt, const void *pkg, size_t pkg_len,
                      const mbpf_load_opts_t *opts, mbpf_program_t **out_prog);

/* Hot swap: loads pkg as the replacement of old (same hook type), keeping
 * old's maps whose definitions match, taking over old's attachments in
 * place, then unloads old. Each event runs either old or the new program,
 * never a mix. On failure old is untouched. */
int mbpf_program_replace(mbpf_runtime_t *rt, mbpf_program_t *old, const void *pkg, size_t pkg_len,
                         const mbpf_load_opts_t *opts, mbpf_program_t **out_prog);

/* Detaches prog everywhere, waits for running events to leave it, runs
 * mbpf_fini (best-effort, budgeted) and frees it. */
int mbpf_program_unload(mbpf_runtime_t *rt, mbpf_program_t *prog);

/* Attaches prog to hook (type must be prog's hook_type); it runs after the
 * programs attached before it. At most MBPF_MAX_ATTACH hooks per program.
 * Detach waits until no running event still uses the attachment. */
#define MBPF_MAX_ATTACH 8
int mbpf_program_attach(mbpf_runtime_t *rt, mbpf_program_t *prog, mbpf_hook_id_t hook);
int mbpf_program_detach(mbpf_runtime_t *rt, mbpf_program_t *prog, mbpf_hook_id_t hook);

/* Runs the programs attached to hook on ctx_blob, a hook context struct of
 * include/mbpf_ctx.h, and writes the hook's verdict to *out_rc. Decision
 * hooks (NET_RX, NET_TX, SECURITY) combine verdicts most-restrictively:
 * the first DROP (DENY) wins and stops the run, else the first non-zero
 * verdict, else 0. Observer hooks run every program; *out_rc is 0 if all
 * returned 0, else the first non-zero value. A failing program contributes
 * the hook's safe default and is counted. Returns 0, or MBPF_E_INVALID_ARG
 * (with *out_rc 0 when out_rc is given). Allocates nothing. */
int mbpf_run(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx_blob, size_t ctx_len,
             int32_t *out_rc);

/* Program lookup by manifest program_name, or NULL. */
mbpf_program_t *mbpf_program_find(mbpf_runtime_t *rt, const char *name);

/* Writes up to cap loaded programs (load order) to out; returns how many
 * are loaded. */
uint32_t mbpf_program_list(mbpf_runtime_t *rt, mbpf_program_t **out, uint32_t cap);

typedef struct mbpf_program_info {
    const char *name;    /* manifest program_name, valid while loaded */
    const char *version; /* manifest program_version */
    uint32_t hook_type;
    uint32_t heap_size;
    uint32_t capabilities;
    uint32_t map_count;
    uint32_t attach_count;
    int sig_valid; /* signature verified under trusted key sig_key_index */
    int32_t sig_key_index;
} mbpf_program_info_t;
int mbpf_program_info(const mbpf_program_t *prog, mbpf_program_info_t *out);

/* Per-program counters, summed over CPUs. invocations counts every event
 * delivered; each ends in exactly one of successes, exceptions, oom,
 * budget_*, nested, ctx_mismatch, breaker_skipped. soft_failures counts
 * successes of TRACEPOINT and TIMER programs that returned non-zero. */
typedef struct mbpf_program_stats {
    uint64_t invocations;
    uint64_t successes;
    uint64_t soft_failures;
    uint64_t exceptions;
    uint64_t oom;
    uint64_t budget_steps;
    uint64_t budget_helpers;
    uint64_t budget_time;
    uint64_t nested;
    uint64_t ctx_mismatch;
    uint64_t breaker_trips;
    uint64_t breaker_skipped;
    uint64_t deferred_drops; /* events for this program lost to a full deferred queue */
} mbpf_program_stats_t;
int mbpf_program_stats(const mbpf_program_t *prog, mbpf_program_stats_t *out);

/* Memory of one per-CPU instance's engine: heap_size is the manifest's
 * (context, value stack and heap); the other figures are the engine's. */
typedef struct mbpf_heap_stats {
    uint32_t heap_size;  /* bytes given to the engine */
    uint32_t heap_used;  /* heap bytes in use now */
    uint32_t heap_peak;  /* high-water mark of heap_used */
    uint32_t stack_peak; /* high-water mark of the value stack, bytes */
    uint32_t gc_count;   /* collections so far */
} mbpf_heap_stats_t;
/* Reads instance cpu's figures; MBPF_E_BUSY while an event runs on it,
 * MBPF_E_NOT_FOUND if cpu is out of range. */
int mbpf_program_heap_stats(const mbpf_program_t *prog, uint32_t cpu, mbpf_heap_stats_t *out);

/* The program's map named name (manifest maps[].name), or NULL; use it with
 * the src/maps/mbpf_map.h operations. Valid while prog is loaded (after a
 * hot swap that kept it, find it again from the new program). */
struct mbpf_map *mbpf_program_map(mbpf_program_t *prog, const char *name);

#endif
