/*
 * The event path: attach/detach and order, hook points, verdict
 * combination, safe defaults and counters per failure kind, nested entry,
 * context length and ABI checks, soft failures, the circuit breaker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "exec_double.h"
#include "mbpf_ctx.h"
#include "rt_test_util.h"

#define NET_RX   MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)
#define SECURITY MBPF_HOOK_ID(MBPF_HOOK_SECURITY, 0)
#define TP(n)    MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, n)
#define TIMER    MBPF_HOOK_ID(MBPF_HOOK_TIMER, 0)

static mbpf_runtime_t *rt;
static mbpf_runtime_config_t cfg;
static mbpf_ctx_net_v1_t net = {.abi_version = 1, .ifindex = 2};
static mbpf_ctx_tracepoint_v1_t tpc = {.abi_version = 1};
static mbpf_ctx_timer_v1_t tmc = {.abi_version = 1};

static int setup(void **state)
{
    (void)state;
    dbl_reset();
    tk_config(&cfg, tp_platform(2, 1, 0));
    rt = mbpf_runtime_init(&cfg);
    return rt ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mbpf_runtime_shutdown(rt);
    assert_int_equal(tp_live(), 0);
    return 0;
}

static void reinit(void)
{
    mbpf_runtime_shutdown(rt);
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
}

static mbpf_program_t *attached(const char *name, uint32_t type, const char *script,
                                mbpf_hook_id_t hook)
{
    mbpf_program_t *p = tk_load(rt, name, type, script);
    assert_int_equal(mbpf_program_attach(rt, p, hook), 0);
    return p;
}

static int32_t run_net(void)
{
    int32_t rc = -99;
    assert_int_equal(mbpf_run(rt, NET_RX, &net, sizeof net, &rc), 0);
    return rc;
}

static mbpf_program_stats_t stats(mbpf_program_t *p)
{
    mbpf_program_stats_t s;
    assert_int_equal(mbpf_program_stats(p, &s), 0);
    uint64_t outcomes = s.successes + s.exceptions + s.oom + s.budget_steps + s.budget_helpers +
                        s.budget_time + s.nested + s.ctx_mismatch + s.breaker_skipped;
    assert_int_equal(s.invocations, outcomes);
    return s;
}

/* ---- order, points, attach errors ---------------------------------------- */

static const char *seen[8];
static int nseen;

static mbpf_exec_status_t record_order(const mbpf_exec_program_t *p, const void *ctx, size_t len,
                                       int32_t *rc, mbpf_exec_status_t st)
{
    (void)ctx;
    (void)len;
    (void)rc;
    if (nseen < 8) seen[nseen++] = p->manifest->program_name;
    return st;
}

static void test_run_programs_in_attach_order_and_detach_removes(void **state)
{
    (void)state;
    mbpf_program_t *a = attached("a", MBPF_HOOK_TRACEPOINT, "ret=0", TP(1));
    mbpf_program_t *b = attached("b", MBPF_HOOK_TRACEPOINT, "ret=5", TP(1));
    attached("c", MBPF_HOOK_TRACEPOINT, "ret=7", TP(1));
    dbl.on_run = record_order;
    int32_t rc;
    assert_int_equal(mbpf_run(rt, TP(1), &tpc, sizeof tpc, &rc), 0);
    assert_int_equal(rc, 5); /* observer: first non-zero */
    assert_int_equal(nseen, 3);
    assert_string_equal(seen[0], "a");
    assert_string_equal(seen[1], "b");
    assert_string_equal(seen[2], "c");
    assert_int_equal(mbpf_program_detach(rt, b, TP(1)), 0);
    nseen = 0;
    assert_int_equal(mbpf_run(rt, TP(1), &tpc, sizeof tpc, &rc), 0);
    assert_int_equal(rc, 7);
    assert_int_equal(nseen, 2);
    /* Re-attaching puts b last. */
    assert_int_equal(mbpf_program_attach(rt, b, TP(1)), 0);
    nseen = 0;
    mbpf_run(rt, TP(1), &tpc, sizeof tpc, &rc);
    assert_string_equal(seen[2], "b");
    mbpf_program_info_t info;
    mbpf_program_info(a, &info);
    assert_int_equal(info.attach_count, 1);
    dbl.on_run = NULL;
}

static void test_run_only_programs_of_that_point(void **state)
{
    (void)state;
    mbpf_program_t *a = attached("a", MBPF_HOOK_TRACEPOINT, "ret=1", TP(1));
    assert_int_equal(mbpf_program_attach(rt, a, TP(3)), 0);
    attached("b", MBPF_HOOK_TRACEPOINT, "ret=2", TP(2));
    int32_t rc;
    mbpf_run(rt, TP(2), &tpc, sizeof tpc, &rc);
    assert_int_equal(rc, 2);
    mbpf_run(rt, TP(3), &tpc, sizeof tpc, &rc);
    assert_int_equal(rc, 1);
    mbpf_run(rt, TP(4), &tpc, sizeof tpc, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(stats(a).invocations, 1);
}

static void test_run_without_programs_returns_zero(void **state)
{
    (void)state;
    int32_t rc = 5;
    assert_int_equal(mbpf_run(rt, NET_RX, &net, sizeof net, &rc), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(mbpf_run(rt, NET_RX, &net, sizeof net, NULL), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_run(NULL, NET_RX, &net, sizeof net, &rc), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(9, 0), &net, sizeof net, &rc), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(0, 0), &net, sizeof net, &rc), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(0, 3), &net, sizeof net, &rc), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 1), &net, sizeof net, &rc),
                     MBPF_E_INVALID_ARG);
    assert_int_equal(rc, 0);
    /* points are valid where the type has them */
    assert_int_equal(mbpf_run(rt, TP(3), NULL, 0, &rc), 0);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_CUSTOM, 3), NULL, 0, &rc), 0);
}

static void test_attach_errors(void **state)
{
    (void)state;
    mbpf_program_t *p = tk_load(rt, "p", MBPF_HOOK_TRACEPOINT, "");
    assert_int_equal(mbpf_program_attach(rt, p, NET_RX), MBPF_E_HOOK_MISMATCH);
    assert_string_equal(mbpf_last_error(rt),
                        "attach: hook id 0x3000000 is a NET_RX hook, program 'p' is TRACEPOINT");
    assert_int_equal(mbpf_program_attach(rt, p, MBPF_HOOK_ID(0, 0)), MBPF_E_INVALID_ARG);
    assert_string_equal(mbpf_last_error(rt), "attach: hook id 0x0: no such hook");
    assert_int_equal(mbpf_program_attach(rt, p, TP(1)), 0);
    assert_string_equal(mbpf_last_error(rt), "");
    assert_int_equal(mbpf_program_attach(rt, p, TP(1)), MBPF_E_ATTACHED);
    assert_string_equal(mbpf_last_error(rt), "attach: program 'p' already attached to 0x1000001");
    for (uint32_t i = 2; i <= MBPF_MAX_ATTACH; i++)
        assert_int_equal(mbpf_program_attach(rt, p, TP(i)), 0);
    assert_int_equal(mbpf_program_attach(rt, p, TP(100)), MBPF_E_LIMIT);
    assert_string_equal(mbpf_last_error(rt), "attach: program 'p' already attached to 8 hooks");
    assert_int_equal(mbpf_program_detach(rt, p, TP(100)), MBPF_E_NOT_FOUND);
    assert_string_equal(mbpf_last_error(rt), "detach: program 'p' is not attached to 0x1000064");
    assert_int_equal(mbpf_program_attach(rt, NULL, TP(1)), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_program_detach(NULL, p, TP(1)), MBPF_E_INVALID_ARG);
}

/* ---- verdicts ------------------------------------------------------------------ */

typedef struct verdict_case {
    uint32_t type;
    const char *scripts[3];
    int32_t verdict;
    int runs; /* programs that ran */
} verdict_case_t;

static void test_decision_verdicts_combine_most_restrictively(void **state)
{
    (void)state;
    static const verdict_case_t cases[] = {
        {MBPF_HOOK_NET_RX, {"ret=0", "ret=0", "ret=0"}, MBPF_NET_PASS, 3},
        {MBPF_HOOK_NET_RX, {"ret=0", "ret=1", "ret=0"}, MBPF_NET_DROP, 2},
        {MBPF_HOOK_NET_RX, {"ret=1", "ret=2", "ret=0"}, MBPF_NET_DROP, 1},
        {MBPF_HOOK_NET_RX, {"ret=2", "ret=0", "ret=1"}, MBPF_NET_DROP, 3},
        {MBPF_HOOK_NET_RX, {"ret=2", "ret=3", "ret=0"}, MBPF_NET_ABORT, 3},
        {MBPF_HOOK_NET_RX, {"ret=0", "ret=3", "ret=2"}, 3, 3},
        {MBPF_HOOK_NET_TX, {"ret=0", "ret=0", "ret=1"}, MBPF_NET_DROP, 3},
        {MBPF_HOOK_SECURITY, {"ret=0", "ret=0", "ret=0"}, MBPF_SEC_ALLOW, 3},
        {MBPF_HOOK_SECURITY, {"ret=1", "ret=0", "ret=0"}, MBPF_SEC_DENY, 1},
        {MBPF_HOOK_SECURITY, {"ret=0", "ret=7", "ret=1"}, MBPF_SEC_DENY, 3},
        {MBPF_HOOK_TIMER, {"ret=0", "ret=4", "ret=1"}, 4, 3},
        {MBPF_HOOK_TRACEPOINT, {"ret=0", "ret=0", "ret=9"}, 9, 3},
        {MBPF_HOOK_CUSTOM, {"ret=1", "ret=1", "ret=1"}, 1, 3},
    };
    static const char *names[3] = {"p0", "p1", "p2"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const verdict_case_t *c = &cases[i];
        mbpf_hook_id_t hook = MBPF_HOOK_ID(c->type, 0);
        mbpf_program_t *p[3];
        for (int k = 0; k < 3; k++) p[k] = attached(names[k], c->type, c->scripts[k], hook);
        union {
            mbpf_ctx_net_v1_t net;
            mbpf_ctx_tracepoint_v1_t tp;
            mbpf_ctx_timer_v1_t timer;
            mbpf_ctx_security_v1_t sec;
            mbpf_ctx_custom_v1_t custom;
        } ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.net.abi_version = 1;
        int before = atomic_load(&dbl.runs);
        int32_t rc = -99;
        assert_int_equal(mbpf_run(rt, hook, &ctx, sizeof ctx, &rc), 0);
        if (rc != c->verdict || atomic_load(&dbl.runs) - before != c->runs)
            fail_msg("case %zu: verdict %d runs %d", i, rc, atomic_load(&dbl.runs) - before);
        for (int k = 0; k < 3; k++) mbpf_program_unload(rt, p[k]);
    }
}

/* ---- failures ------------------------------------------------------------------ */

/* One v1 context of every hook type, abi_version 1. */
static union {
    uint32_t abi_version;
    mbpf_ctx_net_v1_t net;
    mbpf_ctx_tracepoint_v1_t tp;
    mbpf_ctx_timer_v1_t timer;
    mbpf_ctx_security_v1_t sec;
    mbpf_ctx_custom_v1_t custom;
} any_ctx = {.abi_version = 1};

static const struct {
    uint32_t type;
    size_t ctx_size;
    int32_t dflt; /* distinct per type: proves the per-type table is used */
} hook_kinds[] = {
    {MBPF_HOOK_TRACEPOINT, sizeof(mbpf_ctx_tracepoint_v1_t), 11},
    {MBPF_HOOK_TIMER, sizeof(mbpf_ctx_timer_v1_t), 12},
    {MBPF_HOOK_NET_RX, sizeof(mbpf_ctx_net_v1_t), MBPF_NET_DROP},
    {MBPF_HOOK_NET_TX, sizeof(mbpf_ctx_net_v1_t), MBPF_NET_ABORT},
    {MBPF_HOOK_SECURITY, sizeof(mbpf_ctx_security_v1_t), MBPF_SEC_DENY},
    {MBPF_HOOK_CUSTOM, sizeof(mbpf_ctx_custom_v1_t), 16},
};

static void set_distinct_safe_defaults(void)
{
    for (size_t h = 0; h < 6; h++) cfg.safe_default[hook_kinds[h].type] = hook_kinds[h].dflt;
    reinit();
}

static void test_failures_return_safe_default_and_count_each_kind(void **state)
{
    (void)state;
    set_distinct_safe_defaults();
    static const struct {
        const char *script;
        size_t field; /* offset in mbpf_program_stats_t */
    } kinds[] = {
        {"ret=0 run=throw", offsetof(mbpf_program_stats_t, exceptions)},
        {"ret=0 run=steps", offsetof(mbpf_program_stats_t, budget_steps)},
        {"ret=0 run=helpers", offsetof(mbpf_program_stats_t, budget_helpers)},
        {"ret=0 run=time", offsetof(mbpf_program_stats_t, budget_time)},
        {"ret=0 run=oom", offsetof(mbpf_program_stats_t, oom)},
    };
    for (size_t h = 0; h < 6; h++) {
        for (size_t k = 0; k < 5; k++) {
            mbpf_hook_id_t hook = MBPF_HOOK_ID(hook_kinds[h].type, 0);
            mbpf_program_t *p = attached("f", hook_kinds[h].type, kinds[k].script, hook);
            for (int n = 1; n <= 2; n++) { /* the instance stays usable */
                int32_t rc = -99;
                assert_int_equal(mbpf_run(rt, hook, &any_ctx, hook_kinds[h].ctx_size, &rc), 0);
                assert_int_equal(rc, hook_kinds[h].dflt);
                mbpf_program_stats_t s = stats(p);
                uint64_t v;
                memcpy(&v, (const char *)&s + kinds[k].field, sizeof v);
                assert_int_equal(v, n);
                assert_int_equal(s.successes, 0);
            }
            mbpf_program_unload(rt, p);
        }
    }
}

static void test_short_context_of_every_hook_type_is_a_mismatch(void **state)
{
    (void)state;
    set_distinct_safe_defaults();
    for (size_t h = 0; h < 6; h++) {
        mbpf_hook_id_t hook = MBPF_HOOK_ID(hook_kinds[h].type, 0);
        mbpf_program_t *p = attached("c", hook_kinds[h].type, "ret=0", hook);
        int32_t rc = -99;
        assert_int_equal(mbpf_run(rt, hook, &any_ctx, hook_kinds[h].ctx_size - 1, &rc), 0);
        assert_int_equal(rc, hook_kinds[h].dflt);
        assert_int_equal(stats(p).ctx_mismatch, 1);
        assert_int_equal(mbpf_run(rt, hook, &any_ctx, hook_kinds[h].ctx_size, &rc), 0);
        assert_int_equal(rc, 0);
        assert_int_equal(stats(p).successes, 1);
        mbpf_program_unload(rt, p);
    }
}

static void test_soft_failures_counted_for_trace_and_timer_only(void **state)
{
    (void)state;
    mbpf_program_t *t = attached("t", MBPF_HOOK_TRACEPOINT, "ret=3", TP(0));
    mbpf_program_t *m = attached("m", MBPF_HOOK_TIMER, "ret=-1", TIMER);
    mbpf_program_t *n = attached("n", MBPF_HOOK_NET_RX, "ret=2", NET_RX);
    int32_t rc;
    mbpf_run(rt, TP(0), &tpc, sizeof tpc, &rc);
    mbpf_run(rt, TIMER, &tmc, sizeof tmc, &rc);
    assert_int_equal(rc, -1);
    run_net();
    assert_int_equal(stats(t).soft_failures, 1);
    assert_int_equal(stats(t).successes, 1);
    assert_int_equal(stats(m).soft_failures, 1);
    assert_int_equal(stats(n).soft_failures, 0);
    assert_int_equal(stats(n).successes, 1);
}

static void test_nested_entry_returns_safe_default_and_is_counted(void **state)
{
    (void)state;
    cfg.safe_default[MBPF_HOOK_NET_RX] = MBPF_NET_ABORT;
    reinit();
    mbpf_program_t *p = attached("n", MBPF_HOOK_NET_RX, "nest ret=0", NET_RX);
    dbl.nest_rt = rt;
    dbl.nest_hook = NET_RX;
    dbl.nest_ret = -1;
    dbl.nest_rc = -1;
    assert_int_equal(run_net(), MBPF_NET_PASS); /* the outer run completes */
    assert_int_equal(dbl.nest_ret, 0);
    assert_int_equal(dbl.nest_rc, MBPF_NET_ABORT);
    assert_int_equal(atomic_load(&dbl.runs), 1); /* the nested one did not run */
    mbpf_program_stats_t s = stats(p);
    assert_int_equal(s.invocations, 2);
    assert_int_equal(s.nested, 1);
    assert_int_equal(s.successes, 1);
    /* The flag was released: the next event runs (and nests once more). */
    run_net();
    assert_int_equal(stats(p).successes, 2);
    assert_int_equal(stats(p).nested, 2);
}

static void test_nested_entry_on_another_cpu_is_not_nested(void **state)
{
    (void)state;
    mbpf_program_t *p = attached("n", MBPF_HOOK_NET_RX, "ret=0", NET_RX);
    mbpf_program_t *q = attached("q", MBPF_HOOK_NET_RX, "nest ret=0", NET_RX);
    (void)p;
    mbpf_program_unload(rt, q);
    /* Instance of CPU 1 is separate from CPU 0's. */
    tp_cpu = 1;
    assert_int_equal(run_net(), 0);
    tp_cpu = 7; /* ids beyond the CPU count wrap */
    assert_int_equal(run_net(), 0);
    tp_cpu = 0;
    assert_int_equal(stats(p).successes, 2);
    assert_int_equal(stats(p).nested, 0);
}

static void test_counters_of_every_cpu_add_up(void **state)
{
    (void)state;
    mbpf_program_t *p = attached("t", MBPF_HOOK_TRACEPOINT, "ret=3", TP(0));
    int32_t rc;
    for (uint32_t cpu = 0; cpu < 2; cpu++) {
        tp_cpu = cpu;
        for (uint32_t n = 0; n <= cpu; n++)
            assert_int_equal(mbpf_run(rt, TP(0), &tpc, sizeof tpc, &rc), 0);
    }
    assert_int_equal(mbpf_run(rt, TP(0), &tpc, sizeof tpc - 1, &rc), 0);
    tp_cpu = 0;
    mbpf_program_stats_t s = stats(p);
    assert_int_equal(s.invocations, 4);
    assert_int_equal(s.successes, 3);
    assert_int_equal(s.soft_failures, 3);
    assert_int_equal(s.ctx_mismatch, 1);
}

static void test_ctx_too_short_or_wrong_abi_is_counted_mismatch(void **state)
{
    (void)state;
    cfg.safe_default[MBPF_HOOK_NET_RX] = MBPF_NET_DROP;
    reinit();
    mbpf_program_t *p = attached("c", MBPF_HOOK_NET_RX, "ret=0", NET_RX);
    int32_t rc;
    assert_int_equal(mbpf_run(rt, NET_RX, &net, sizeof net - 1, &rc), 0);
    assert_int_equal(rc, MBPF_NET_DROP);
    assert_int_equal(mbpf_run(rt, NET_RX, NULL, 0, &rc), 0);
    assert_int_equal(rc, MBPF_NET_DROP);
    /* no blob whatever length is claimed: nothing is read through NULL */
    assert_int_equal(mbpf_run(rt, NET_RX, NULL, sizeof net, &rc), 0);
    assert_int_equal(rc, MBPF_NET_DROP);
    mbpf_ctx_net_v1_t v2 = net;
    v2.abi_version = 2;
    assert_int_equal(mbpf_run(rt, NET_RX, &v2, sizeof v2, &rc), 0);
    assert_int_equal(rc, MBPF_NET_DROP);
    assert_int_equal(atomic_load(&dbl.runs), 0);
    assert_int_equal(stats(p).ctx_mismatch, 4);
    /* A longer blob (a newer struct with the same first fields) is fine. */
    uint8_t big[sizeof net + 16];
    memcpy(big, &net, sizeof net);
    assert_int_equal(mbpf_run(rt, NET_RX, big, sizeof big, &rc), 0);
    assert_int_equal(rc, MBPF_NET_PASS);
    assert_int_equal(stats(p).successes, 1);
}

/* ---- breaker ----------------------------------------------------------------- */

static void test_breaker_opens_after_threshold_and_closes_after_cooldown(void **state)
{
    (void)state;
    cfg.breaker_threshold = 3;
    cfg.breaker_cooldown_ms = 100;
    cfg.safe_default[MBPF_HOOK_NET_RX] = MBPF_NET_DROP;
    reinit();
    atomic_store(&tp.now_ns, 5000000000ull);
    mbpf_program_t *p = attached("b", MBPF_HOOK_NET_RX, "ret=0 run=throw", NET_RX);
    for (int i = 0; i < 3; i++) run_net();
    mbpf_program_stats_t s = stats(p);
    assert_int_equal(s.exceptions, 3);
    assert_int_equal(s.breaker_trips, 1);
    int runs = atomic_load(&dbl.runs);
    assert_int_equal(run_net(), MBPF_NET_DROP); /* skipped */
    assert_int_equal(atomic_load(&dbl.runs), runs);
    assert_int_equal(stats(p).breaker_skipped, 1);
    atomic_fetch_add(&tp.now_ns, 99000000ull);
    run_net();
    assert_int_equal(stats(p).breaker_skipped, 2);
    /* After the cool-down one trial runs; its failure re-opens at once. */
    atomic_fetch_add(&tp.now_ns, 1000000ull);
    run_net();
    assert_int_equal(atomic_load(&dbl.runs), runs + 1);
    assert_int_equal(stats(p).breaker_trips, 2);
    run_net();
    assert_int_equal(atomic_load(&dbl.runs), runs + 1);
    assert_int_equal(stats(p).breaker_skipped, 3);
}

static mbpf_exec_status_t succeed(const mbpf_exec_program_t *p, const void *ctx, size_t len,
                                  int32_t *rc, mbpf_exec_status_t st)
{
    (void)p;
    (void)ctx;
    (void)len;
    (void)st;
    *rc = 0;
    return MBPF_EXEC_OK;
}

static void test_breaker_without_clock_counts_skipped_events(void **state)
{
    (void)state;
    mbpf_runtime_shutdown(rt);
    tk_config(&cfg, tp_platform(1, 0, 0));
    cfg.breaker_threshold = 2;
    cfg.breaker_cooldown_invocations = 3;
    rt = mbpf_runtime_init(&cfg);
    mbpf_program_t *p = attached("b", MBPF_HOOK_NET_RX, "run=throw", NET_RX);
    run_net();
    run_net();
    assert_int_equal(stats(p).breaker_trips, 1);
    for (int i = 0; i < 3; i++) run_net();
    assert_int_equal(stats(p).breaker_skipped, 3);
    assert_int_equal(atomic_load(&dbl.runs), 2);
    /* The trial succeeds: the program stays enabled and failures start over. */
    dbl.on_run = succeed;
    run_net();
    assert_int_equal(atomic_load(&dbl.runs), 3);
    dbl.on_run = NULL;
    run_net();
    assert_int_equal(stats(p).breaker_trips, 1);
    run_net();
    assert_int_equal(stats(p).breaker_trips, 2);
    assert_int_equal(stats(p).successes, 1);
}

static void test_run_allocates_nothing(void **state)
{
    (void)state;
    cfg.breaker_threshold = 2;
    reinit();
    attached("ok", MBPF_HOOK_NET_RX, "ret=0", NET_RX);
    attached("bad", MBPF_HOOK_NET_RX, "run=oom", NET_RX);
    attached("n", MBPF_HOOK_NET_RX, "nest", NET_RX);
    dbl.nest_rt = rt;
    dbl.nest_hook = NET_RX;
    long calls = atomic_load(&tp.calls);
    for (int i = 0; i < 1000; i++) {
        run_net();
        int32_t rc;
        mbpf_run(rt, NET_RX, &net, 3, &rc);
    }
    assert_int_equal(atomic_load(&tp.calls), calls);
}

static void test_breaker_off_by_default(void **state)
{
    (void)state;
    mbpf_program_t *p = attached("b", MBPF_HOOK_NET_RX, "run=throw", NET_RX);
    for (int i = 0; i < 50; i++) run_net();
    assert_int_equal(stats(p).exceptions, 50);
    assert_int_equal(stats(p).breaker_trips, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_run_programs_in_attach_order_and_detach_removes),
        T(test_run_only_programs_of_that_point),
        T(test_run_without_programs_returns_zero),
        T(test_attach_errors),
        T(test_decision_verdicts_combine_most_restrictively),
        T(test_failures_return_safe_default_and_count_each_kind),
        T(test_short_context_of_every_hook_type_is_a_mismatch),
        T(test_soft_failures_counted_for_trace_and_timer_only),
        T(test_nested_entry_returns_safe_default_and_is_counted),
        T(test_nested_entry_on_another_cpu_is_not_nested),
        T(test_counters_of_every_cpu_add_up),
        T(test_ctx_too_short_or_wrong_abi_is_counted_mismatch),
        T(test_breaker_opens_after_threshold_and_closes_after_cooldown),
        T(test_breaker_without_clock_counts_skipped_events),
        T(test_run_allocates_nothing),
        T(test_breaker_off_by_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
