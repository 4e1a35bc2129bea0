/*
 * The ujs binding of the executor seam (exec.h): one program instance is a
 * ujs context in the instance buffer, with the helpers installed, the
 * verified bytecode loaded in place, and the entry function resolved once.
 *
 * Buffer layout: [exec_inst_t | ujs context of heap_size bytes]. The
 * manifest's heap_size is everything the engine has (context header,
 * value stack and heap); the helper state sits outside it.
 *
 * Budgets live here, in C. The engine calls on_interrupt every `period`
 * steps (backward jumps and calls); the handler counts them against
 * max_steps and, with a wall-time budget, reads the clock every
 * MBPF_TIME_CHECK_STEPS steps. Helpers stop the run themselves when
 * max_helpers is exceeded. Either way the engine unwinds without running
 * any catch or finally, and the instance is ready for the next event.
 */
#include <string.h>

#include "exec.h"
#include "hints.h"
#include "mbpf_helpers.h"
#include "ujs.h"

/* Steps between clock reads when a wall-time budget is set. */
#define MBPF_TIME_CHECK_STEPS 256u
/* Smallest heap_size accepted: the context header, a minimal stack and
 * the globals of a program without maps. */
#define MBPF_UJS_MIN_HEAP 1024u

typedef enum stop_reason { STOP_NONE, STOP_STEPS, STOP_TIME } stop_reason_t;

typedef struct exec_inst {
    ujs_ctx *ctx;
    const mbpf_platform_t *pf;
    bool has_clock; /* pf->now_ns: wall-time budgets can be kept */
    const char *entry_name;
    const char *prog_name;
    bool debug;      /* failures of events are logged (MBPF_LOAD_F_DEBUG) */
    ujs_ref main_fn; /* top-level code, until start() has run it */
    ujs_ref entry;   /* the entry function, resolved by start() */
    bool has_main, has_entry;
    /* the current call's step and time budget */
    uint64_t steps_left; /* steps until the stop, counting the one that stops */
    uint32_t period;     /* steps the engine counts before calling on_interrupt */
    uint32_t set_period; /* the period the engine has (0: none yet); it restarts
                          * its countdown from it at each call (ujs.h) */
    uint64_t deadline_ns;
    bool timed;
    stop_reason_t stop;
    /* arming of the last untimed budget, reused while it does not change
     * (from create: max_steps 0, period 1) */
    uint32_t armed_steps;
    uint32_t armed_period;
    /* the fields above still hold that arming as arm() left it: set by an
     * untimed arm, cleared by a timed one and by on_interrupt, the only
     * writers of the budget state between calls */
    bool armed_clean;
    mbpf_helpers_t helpers;
} exec_inst_t;

/* The ujs context starts here, aligned for any type. */
#define CTX_OFFSET ((sizeof(exec_inst_t) + 15u) & ~(size_t)15u)

static size_t ujs_instance_size(uint32_t heap_size)
{
    size_t total = CTX_OFFSET + (size_t)heap_size;
    return total < CTX_OFFSET ? 0 : total; /* 0: wrapped (32-bit size_t) */
}

/* ---- budget ---- */

static uint32_t next_period(const exec_inst_t *in)
{
    uint64_t p = in->steps_left;
    if (in->timed && p > MBPF_TIME_CHECK_STEPS) p = MBPF_TIME_CHECK_STEPS;
    if (p > INT32_MAX) p = INT32_MAX; /* the engine's counter is an int32 */
    return (uint32_t)p;
}

static bool on_interrupt(ujs_ctx *ctx, void *opaque);

/* Gives the engine in->period (the countdown restarts from it). */
static void set_budget(exec_inst_t *in)
{
    ujs_set_interrupt_handler(in->ctx, on_interrupt, in, in->period);
    in->set_period = in->period;
}

static bool on_interrupt(ujs_ctx *ctx, void *opaque)
{
    exec_inst_t *in = opaque;
    (void)ctx;
    in->armed_clean = false;
    in->steps_left -= in->period;
    if (in->steps_left == 0) {
        in->stop = STOP_STEPS;
        return true;
    }
    if (in->timed && in->pf->now_ns(in->pf->user) >= in->deadline_ns) {
        in->stop = STOP_TIME;
        return true;
    }
    in->period = next_period(in);
    set_budget(in);
    return false;
}

/* Arms the step and time budget of one call. */
static RT_NOINLINE void arm_budget(exec_inst_t *in, const mbpf_exec_budget_t *b)
{
    /* max_steps steps run; the one after them stops the program */
    in->steps_left = (uint64_t)b->max_steps + 1;
    in->stop = STOP_NONE;
    if (b->max_wall_time_us == 0 || !in->has_clock) {
        in->timed = false;
        if (b->max_steps != in->armed_steps) {
            in->armed_steps = b->max_steps;
            in->armed_period = next_period(in);
        }
        in->period = in->armed_period;
    } else {
        in->timed = true;
        in->deadline_ns = in->pf->now_ns(in->pf->user) + (uint64_t)b->max_wall_time_us * 1000u;
        in->period = next_period(in);
    }
    /* the engine restarts the countdown at the call: only a new period
     * needs telling */
    if (in->period != in->set_period) set_budget(in);
    in->armed_clean = !in->timed;
}

/* Arms the budget of one call; blob is the event's context (NULL outside
 * events). Returns the argument for the entry function. */
static RT_INLINE ujs_value arm(exec_inst_t *in, const mbpf_exec_budget_t *b, const void *blob)
{
    ujs_value arg = mbpf_helpers_begin_run(&in->helpers, blob, b->max_helpers);
    /* the same untimed budget as the last call, which never reached
     * on_interrupt, leaves nothing to redo */
    if (!in->armed_clean || b->max_steps != in->armed_steps || b->max_wall_time_us != 0)
        arm_budget(in, b);
    return arg;
}

/* ---- outcomes ---- */

/* Writes the pending exception's text (and where it was thrown) to diag. */
static void describe_exception(exec_inst_t *in, mbpf_diag_t *diag)
{
    ujs_ref ex;
    ujs_push_ref(in->ctx, &ex, ujs_get_exception(in->ctx));
    if (!diag) {
        ujs_pop_ref(in->ctx, &ex);
        return;
    }
    char text[MBPF_DIAG_MAX], where[MBPF_DIAG_MAX];
    size_t len;
    if (ujs_to_cstring(in->ctx, ex.val, text, sizeof text, &len) != UJS_OK)
        mbpf_fmt(text, sizeof text, "(an exception that cannot be converted to a string)");
    where[0] = 0;
    ujs_value stack;
    if (ujs_is_object(in->ctx, ex.val) &&
        ujs_get_property(in->ctx, ex.val, "stack", &stack) == UJS_OK &&
        ujs_is_string(in->ctx, stack) &&
        ujs_to_cstring(in->ctx, stack, where, sizeof where, &len) == UJS_OK) {
        /* the innermost frame only: "at f (prog.js:3)" */
        char *s = where;
        while (*s == ' ') s++;
        memmove(where, s, strlen(s) + 1);
        char *nl = strchr(where, '\n');
        if (nl) *nl = 0;
    }
    (void)ujs_get_exception(in->ctx); /* anything the conversion threw */
    ujs_pop_ref(in->ctx, &ex);
    if (where[0])
        mbpf_diag_set(diag, "%s (%s)", text, where);
    else
        mbpf_diag_set(diag, "%s", text);
}

/* Turns an engine status into the executor's, clearing what it leaves. */
static mbpf_exec_status_t classify(exec_inst_t *in, int st, mbpf_diag_t *diag)
{
    mbpf_helpers_end_run(&in->helpers);
    if (mbpf_helpers_budget_exhausted(&in->helpers)) return MBPF_EXEC_HELPERS;
    switch (st) {
    case UJS_OK: return MBPF_EXEC_OK;
    case UJS_EINTERRUPTED: return in->stop == STOP_TIME ? MBPF_EXEC_TIME : MBPF_EXEC_STEPS;
    case UJS_ENOMEM: return MBPF_EXEC_OOM;
    case UJS_EEXCEPTION: describe_exception(in, diag); return MBPF_EXEC_EXCEPTION;
    default: mbpf_diag_set(diag, "engine: %s", ujs_strerror(st)); return MBPF_EXEC_EXCEPTION;
    }
}

/* ---- the seam ---- */

static int ujs_create(void *mem, size_t size, const mbpf_exec_program_t *prog, mbpf_diag_t *diag)
{
    exec_inst_t *in = mem;
    const mbpf_manifest_t *m = prog->manifest;
    if (size < ujs_instance_size(m->heap_size) || m->heap_size < MBPF_UJS_MIN_HEAP) {
        mbpf_diag_set(diag, "heap_size %u below the engine minimum %u", (unsigned)m->heap_size,
                      MBPF_UJS_MIN_HEAP);
        return MBPF_E_HEAP_SIZE;
    }
    memset(in, 0, sizeof *in);
    in->pf = prog->platform;
    in->has_clock = in->pf->now_ns != NULL;
    in->armed_period = 1;
    in->entry_name = m->entry_symbol;
    in->prog_name = m->program_name;
    in->debug = prog->debug;
    in->ctx = ujs_new_context((uint8_t *)mem + CTX_OFFSET, m->heap_size, NULL);
    if (!in->ctx) {
        mbpf_diag_set(diag, "heap_size %u too small for the engine context",
                      (unsigned)m->heap_size);
        return MBPF_E_HEAP_SIZE;
    }
    mbpf_helpers_config_t hc = {
        .hook_type = m->hook_type,
        .caps = prog->caps,
        .maps = prog->maps,
        .map_count = prog->map_count,
        .platform = prog->platform,
        .debug = prog->debug,
        .stats = prog->stats,
        .stats_user = prog->stats_user,
    };
    int st = mbpf_helpers_install(&in->helpers, in->ctx, &hc);
    int rc = 0;
    if (st == UJS_ENOMEM) {
        mbpf_diag_set(diag, "heap_size %u too small for the globals mbpf, maps and ctx",
                      (unsigned)m->heap_size);
        rc = MBPF_E_HEAP_SIZE;
    } else if (st != UJS_OK) {
        mbpf_diag_set(diag, "helpers: cannot install for hook type %u with %u maps",
                      (unsigned)m->hook_type, (unsigned)prog->map_count);
        rc = MBPF_E_BYTECODE;
    }
    if (rc == 0) {
        ujs_value fn;
        st = ujs_load_bytecode(in->ctx, prog->bytecode, prog->bytecode_len, &fn);
        if (st == UJS_OK) {
            ujs_add_ref(in->ctx, &in->main_fn, fn);
            in->has_main = true;
            return 0;
        }
        if (st == UJS_ENOMEM) {
            mbpf_diag_set(diag, "heap_size %u too small to load the bytecode (%zu bytes)",
                          (unsigned)m->heap_size, prog->bytecode_len);
            rc = MBPF_E_HEAP_SIZE;
        } else {
            mbpf_diag_t why = {{0}};
            describe_exception(in, &why);
            mbpf_diag_set(diag, "bytecode: %s", why.msg);
            rc = MBPF_E_BYTECODE;
        }
    }
    mbpf_helpers_uninstall(&in->helpers, in->ctx);
    ujs_free_context(in->ctx);
    return rc;
}

static mbpf_exec_status_t ujs_start(void *inst, const mbpf_exec_budget_t *budget, mbpf_diag_t *diag)
{
    exec_inst_t *in = inst;
    if (!in->has_main) {
        mbpf_diag_set(diag, "top-level code already run");
        return MBPF_EXEC_EXCEPTION;
    }
    (void)arm(in, budget, NULL);
    int st = ujs_call(in->ctx, in->main_fn.val, UJS_UNDEFINED, 0, NULL, NULL);
    mbpf_exec_status_t s = classify(in, st, diag);
    ujs_remove_ref(in->ctx, &in->main_fn);
    in->has_main = false;
    if (s != MBPF_EXEC_OK) return s;

    ujs_value fn;
    if (ujs_get_property(in->ctx, ujs_get_global_object(in->ctx), in->entry_name, &fn) != UJS_OK ||
        !ujs_is_function(in->ctx, fn)) {
        (void)ujs_get_exception(in->ctx);
        mbpf_diag_set(diag, "entry function '%s' is not defined", in->entry_name);
        return MBPF_EXEC_EXCEPTION;
    }
    ujs_add_ref(in->ctx, &in->entry, fn);
    in->has_entry = true;
    return MBPF_EXEC_OK;
}

static mbpf_exec_status_t ujs_call_hook(void *inst, int which, const mbpf_exec_budget_t *budget,
                                        mbpf_diag_t *diag)
{
    exec_inst_t *in = inst;
    const char *name = which == MBPF_EXEC_INIT ? "mbpf_init" : "mbpf_fini";
    ujs_value fn;
    if (ujs_get_property(in->ctx, ujs_get_global_object(in->ctx), name, &fn) != UJS_OK) {
        (void)ujs_get_exception(in->ctx);
        mbpf_diag_set(diag, "cannot read %s", name);
        return MBPF_EXEC_EXCEPTION;
    }
    if (fn == UJS_UNDEFINED) return MBPF_EXEC_OK; /* optional */
    if (!ujs_is_function(in->ctx, fn)) {
        mbpf_diag_set(diag, "%s is not a function", name);
        return MBPF_EXEC_EXCEPTION;
    }
    (void)arm(in, budget, NULL);
    int st = ujs_call(in->ctx, fn, UJS_UNDEFINED, 0, NULL, NULL);
    return classify(in, st, diag);
}

/* Debug mode: says why an event failed, through the log sink. */
static void log_failure(exec_inst_t *in, const mbpf_diag_t *why)
{
    if (!in->pf->log) return;
    char msg[MBPF_DIAG_MAX + 64];
    size_t n = mbpf_fmt(msg, sizeof msg, "program '%s': %s", in->prog_name, why->msg);
    in->pf->log(in->pf->user, MBPF_LOG_WARN, msg, n);
}

/* The end of a run that did not return an int32: why, logged in debug
 * mode. */
static RT_NOINLINE mbpf_exec_status_t run_failed(exec_inst_t *in, int st)
{
    mbpf_diag_t why = {{0}};
    mbpf_exec_status_t s = classify(in, st, in->debug ? &why : NULL);
    if (s == MBPF_EXEC_OK) {
        s = MBPF_EXEC_EXCEPTION;
        mbpf_diag_set(&why, "%s returned a value that is not an int32", in->entry_name);
    }
    if (in->debug) {
        if (!why.msg[0]) mbpf_diag_set(&why, "%s", mbpf_exec_status_text(s));
        log_failure(in, &why);
    }
    return s;
}

static mbpf_exec_status_t ujs_run(void *inst, const void *ctx_blob, size_t ctx_len,
                                  const mbpf_exec_budget_t *budget, int32_t *rc)
{
    exec_inst_t *in = inst;
    (void)ctx_len; /* checked by the runtime; ctx methods bound reads by data_len */
    ujs_value arg = arm(in, budget, ctx_blob), r;
    int st = ujs_call(in->ctx, in->entry.val, UJS_UNDEFINED, 1, &arg, &r);
    /* the verdict must be an int32 (spec §7.4); anything else is an error */
    if (st == UJS_OK && ujs_get_int32(r, rc)) {
        mbpf_helpers_end_run(&in->helpers);
        return MBPF_EXEC_OK;
    }
    return run_failed(in, st);
}

static void ujs_heap_stats(void *inst, mbpf_heap_stats_t *out)
{
    exec_inst_t *in = inst;
    ujs_mem_stats ms;
    ujs_get_mem_stats(in->ctx, &ms);
    out->heap_used = (uint32_t)ms.heap_used;
    out->heap_peak = (uint32_t)ms.heap_peak;
    out->stack_peak = (uint32_t)ms.stack_peak;
    out->gc_count = ms.gc_count;
}

static void ujs_destroy(void *inst)
{
    exec_inst_t *in = inst;
    if (in->has_main) ujs_remove_ref(in->ctx, &in->main_fn);
    if (in->has_entry) ujs_remove_ref(in->ctx, &in->entry);
    in->has_main = in->has_entry = false;
    mbpf_helpers_uninstall(&in->helpers, in->ctx);
    ujs_free_context(in->ctx);
}

static const mbpf_exec_ops_t ujs_exec_ops = {
    .bytecode_version = UJS_BYTECODE_VERSION,
    .min_heap_size = MBPF_UJS_MIN_HEAP,
    .instance_size = ujs_instance_size,
    .create = ujs_create,
    .start = ujs_start,
    .call = ujs_call_hook,
    .run = ujs_run,
    .heap_stats = ujs_heap_stats,
    .destroy = ujs_destroy,
};

mbpf_runtime_t *mbpf_runtime_init(const mbpf_runtime_config_t *cfg)
{
    return mbpf_runtime_init_exec(cfg, &ujs_exec_ops);
}
