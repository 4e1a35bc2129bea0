/*
 * Helpers: the one place where JavaScript meets maps and hook contexts
 * (spec §7.2, §9.2-§9.4, §10.3, §10.5, §11; docs/HELPERS.md).
 *
 * The executor of a program instance (src/runtime/exec_ujs.c) embeds one
 * mbpf_helpers_t per instance and:
 *   1. after creating the ujs context, calls mbpf_helpers_install, which
 *      defines the read-only globals `mbpf` and `maps` (and `console` in
 *      debug mode) and creates the one `ctx` host object of the hook type;
 *   2. before each run, calls mbpf_helpers_begin_run (resets the helper
 *      budget, points `ctx` at the event's context struct) and passes
 *      mbpf_helpers_ctx_value() to the entry function;
 *   3. after each run, calls mbpf_helpers_end_run (detaches the blob, so a
 *      `ctx` kept by the program reads nothing between runs) and checks
 *      mbpf_helpers_budget_exhausted to classify the outcome.
 *
 * The state must not move after install (the context holds pointers to it
 * and to its refs) and owns the context's opaque word (ujs_set_opaque).
 * Nothing here allocates outside the context; JS methods allocate nothing
 * on their success path (exceptions: docs/HELPERS.md "Allocation").
 */
#ifndef MBPF_HELPERS_H
#define MBPF_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "manifest.h" /* MBPF_MANIFEST_MAX_MAPS */
#include "mbpf.h"
#include "mbpf_platform.h"
#include "ujs.h"

struct mbpf_map;

#define MBPF_HELPERS_MAX_MAPS MBPF_MANIFEST_MAX_MAPS /* src/pkg/manifest.h: 32 or lower */
#define MBPF_HELPERS_LOG_MAX  128 /* bytes of one log message (longer ones are cut) */
#define MBPF_HELPERS_KINDS    5   /* map object classes: indexed, hash, counter, ring, LPM */
#define MBPF_HELPERS_STATS_N  13  /* u64 fields written by mbpf.stats (mbpf_program_stats_t) */

/* Fills out with the program's statistics for mbpf.stats; returns 0 or a
 * negative value (then mbpf.stats throws an Error). Must not call the
 * engine. */
typedef int (*mbpf_helpers_stats_fn)(void *user, mbpf_program_stats_t *out);

/* What install needs; pointers must stay valid while the instance lives. */
typedef struct mbpf_helpers_config {
    uint32_t hook_type;              /* mbpf_hook_type_t: which ctx class */
    uint32_t caps;                   /* MBPF_CAP_* granted: helpers to expose */
    struct mbpf_map *const *maps;    /* the program's maps, in manifest order */
    uint32_t map_count;              /* <= MBPF_HELPERS_MAX_MAPS */
    const mbpf_platform_t *platform; /* now_ns (CAP_TIME, log rate), log sink */
    bool debug;                      /* install console.log, pass DEBUG-level logs */
    uint32_t log_burst;              /* token bucket size; 0: default 16 */
    uint32_t log_per_sec;            /* refill rate; 0: default 100 */
    mbpf_helpers_stats_fn stats;     /* NULL: mbpf.stats writes zeroes */
    void *stats_user;
} mbpf_helpers_config_t;

/* One map as the helpers see it (internal; exposed for the struct size). */
typedef struct mbpf_helpers_map {
    struct mbpf_map *map;
    struct mbpf_helpers *h;
    uint32_t kind; /* index of its class in mbpf_helpers_t.kind_cls */
    /* byte keys and values (hash and LPM kinds): their exact sizes, for
     * the fast path of lookup and update; 0 for other kinds */
    uint32_t key_bytes, value_bytes;
    ujs_ref obj; /* the maps.NAME host object, rooted */
} mbpf_helpers_map_t;

/* Per-instance helper state. Fields are internal; read them only through
 * the functions below. */
typedef struct mbpf_helpers {
    uint32_t hook_type;
    uint32_t caps;
    const mbpf_platform_t *platform;
    bool debug;
    bool installed;
    /* helper budget of the current run */
    uint32_t helper_calls;
    uint32_t max_helpers;
    bool exhausted;
    /* log token bucket */
    uint32_t log_burst, log_per_sec, log_tokens;
    uint64_t log_last_ns;
    uint64_t log_dropped;
    mbpf_helpers_stats_fn stats;
    void *stats_user;
    /* JS objects, rooted for the life of the context */
    ujs_ref ctx_obj, mbpf_obj, maps_obj, console_obj;
    const ujs_class_def *ctx_cls;
    const void *ctx_blob; /* current run's blob, NULL outside runs */
    /* its readable bytes, taken from the hook's struct once per run
     * (ctx_len is meaningful only while ctx_blob is set) */
    const uint8_t *ctx_data;
    uint32_t ctx_len;
    /* where the hook's struct keeps them, set at install (ctx.c) */
    bool ctx_has_bytes;
    uint8_t ctx_off_data, ctx_off_len, ctx_off_read;
    bool log_refill_per_run; /* no clock: the log bucket refills each run */
    int ring;                /* index of the map mbpf.emit writes to, or -1 */
    uint32_t map_count;
    mbpf_helpers_map_t maps[MBPF_HELPERS_MAX_MAPS];
    /* classes whose method tables depend on the granted capabilities and
     * the map names: built at install from const master tables */
    ujs_class_def mbpf_cls, maps_cls;
    ujs_cfunc_def mbpf_methods[10]; /* up to 9 helpers + end */
    ujs_class_def kind_cls[MBPF_HELPERS_KINDS];
    ujs_cfunc_def kind_methods[MBPF_HELPERS_KINDS][5]; /* up to 4 methods + end */
} mbpf_helpers_t;

/*
 * Installs the globals into ctx (fresh, or at least without `mbpf`/`maps`):
 * `mbpf` and `maps` as non-writable, non-configurable globals, `console` in
 * debug mode, and the hook's `ctx` object. Sets ujs_set_opaque(ctx, h).
 * Returns UJS_OK, UJS_ENOMEM (heap too small for the globals) or UJS_EINVAL
 * (bad config: unknown hook type, too many maps, a map without a name,
 * too many host classes). On failure call mbpf_helpers_uninstall and discard
 * ctx (it may hold half-built globals). Install once per context.
 */
int mbpf_helpers_install(mbpf_helpers_t *h, ujs_ctx *ctx, const mbpf_helpers_config_t *cfg);

/* Unroots the objects install rooted (before ujs_free_context or when the
 * state is reused). */
void mbpf_helpers_uninstall(mbpf_helpers_t *h, ujs_ctx *ctx);

/* The `ctx` object to pass to the entry function (valid until the next
 * allocation; it is rooted by h). */
ujs_value mbpf_helpers_ctx_value(const mbpf_helpers_t *h);

/*
 * Starts a run: the helper-call counter restarts at 0 with limit
 * max_helpers (calls allowed in this run; 0: none), the exhausted flag
 * clears, and `ctx` reads from blob (the hook's v1 struct, already checked
 * for version and length; NULL for top-level code, mbpf_init and
 * mbpf_fini). Returns the `ctx` object to pass to the entry function, as
 * mbpf_helpers_ctx_value. Allocation-free.
 */
static inline ujs_value mbpf_helpers_begin_run(mbpf_helpers_t *h, const void *blob,
                                               uint32_t max_helpers)
{
    h->helper_calls = 0;
    h->max_helpers = max_helpers;
    h->exhausted = false;
    h->ctx_blob = blob;
    /* the bytes of the fast path; read_fn is read from the blob when needed */
    if (blob && h->ctx_has_bytes) {
        const uint8_t *b = (const uint8_t *)blob;
        memcpy(&h->ctx_data, b + h->ctx_off_data, sizeof h->ctx_data);
        memcpy(&h->ctx_len, b + h->ctx_off_len, sizeof h->ctx_len);
    } else {
        h->ctx_data = NULL;
        h->ctx_len = 0;
    }
    if (h->log_refill_per_run) h->log_tokens = h->log_burst;
    return h->ctx_obj.val;
}

/* Ends a run: `ctx` no longer reads the blob (methods throw, properties are
 * undefined) until the next begin_run. ctx_len may keep a stale value:
 * every read checks ctx_blob or ctx_data before it. */
static inline void mbpf_helpers_end_run(mbpf_helpers_t *h)
{
    h->ctx_blob = NULL;
    h->ctx_data = NULL;
}

/*
 * True if the current run exceeded max_helpers. The helper that exceeded it
 * stopped the run uncatchably with ujs_abort (ujs_call returns
 * UJS_EINTERRUPTED); the executor reports MBPF_EXEC_HELPERS when this is
 * set, whatever the engine status.
 */
bool mbpf_helpers_budget_exhausted(const mbpf_helpers_t *h);

/* Helper calls made in the current run. */
uint32_t mbpf_helpers_calls(const mbpf_helpers_t *h);

/* Log messages dropped by the rate limiter since install. */
uint64_t mbpf_helpers_log_dropped(const mbpf_helpers_t *h);

#endif
