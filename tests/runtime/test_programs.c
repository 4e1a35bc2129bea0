/*
 * The runtime with the real engine: JavaScript programs compiled to
 * bytecode, loaded, attached and run through the public API, with the
 * interpreter-only engine a kernel links. Every adversarial program must
 * end in its documented outcome (counter, safe default) and leave the
 * instance ready for the next event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js_util.h"
#include "ujs.h"
#include "mbpf_ctx.h"
#include "mbpf_map.h"
#include "mbpf_platform.h"

#define NET_RX MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)

static mbpf_runtime_t *rt;
static mbpf_runtime_config_t cfg;

static void start(uint32_t cpus)
{
    tk_config(&cfg, tp_platform(cpus, 1, 0));
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
}

static void stop(void)
{
    mbpf_runtime_shutdown(rt);
    rt = NULL;
    assert_int_equal(tp_live(), 0);
}

/* Loads src as a NET_RX program (manifest m, or defaults) and attaches it. */
static mbpf_program_t *load_net(const mbpf_manifest_t *m, const char *src)
{
    mbpf_manifest_t dm;
    if (!m) {
        tk_manifest(&dm, "t", MBPF_HOOK_NET_RX);
        m = &dm;
    }
    mbpf_program_t *p;
    int rc = js_load(rt, m, src, &p);
    if (rc) fprintf(stderr, "load: %s\n", mbpf_last_error(rt));
    assert_int_equal(rc, 0);
    assert_int_equal(mbpf_program_attach(rt, p, MBPF_HOOK_ID(m->hook_type, 0)), 0);
    return p;
}

static int32_t run_pkt(const uint8_t *data, uint32_t len)
{
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 3, len, len, 0x0800, 0, data, NULL};
    int32_t rc = -99;
    assert_int_equal(mbpf_run(rt, NET_RX, &c, sizeof c, &rc), 0);
    return rc;
}

static int32_t run_byte(uint8_t b)
{
    return run_pkt(&b, 1);
}

static mbpf_program_stats_t stats_of(mbpf_program_t *p)
{
    mbpf_program_stats_t s;
    assert_int_equal(mbpf_program_stats(p, &s), 0);
    return s;
}

static const char *trivial = "function mbpf_prog(ctx) { return ctx.readU8(0) === 0xFF ? 1 : 0; }";

/* ---- the basic path ---- */

static void test_trivial_filter_verdicts(void **s)
{
    (void)s;
    start(1);
    mbpf_program_t *p = load_net(NULL, trivial);
    assert_int_equal(run_byte(0xFF), MBPF_NET_DROP);
    assert_int_equal(run_byte(0x00), MBPF_NET_PASS);
    mbpf_program_stats_t st = stats_of(p);
    assert_int_equal(st.invocations, 2);
    assert_int_equal(st.successes, 2);
    stop();
}

static void test_trivial_program_runs_in_smallest_heap(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "small", MBPF_HOOK_NET_RX);
    /* the footprint goal: 2 KiB on 32-bit targets, 3 KiB on 64-bit */
    m.heap_size = sizeof(void *) == 4 ? 2048 : 3072;
    mbpf_program_t *p = load_net(&m, trivial);
    for (int i = 0; i < 1000; i++) assert_int_equal(run_byte((uint8_t)i), (uint8_t)i == 0xFF);
    assert_int_equal(stats_of(p).successes, 1000);
    mbpf_heap_stats_t hs;
    assert_int_equal(mbpf_program_heap_stats(p, 0, &hs), 0);
    assert_int_equal(hs.heap_size, m.heap_size);
    assert_true(hs.heap_peak <= m.heap_size);
    stop();
}

static void test_top_level_state_and_init_persist_across_events(void **s)
{
    (void)s;
    start(1);
    load_net(NULL, "var n = 0, base = 0;"
                   "function mbpf_init() { base = 100; }"
                   "function mbpf_prog(ctx) { n++; return base + n; }");
    assert_int_equal(run_byte(0), 101);
    assert_int_equal(run_byte(0), 102);
    stop();
}

static void test_entry_symbol_from_manifest(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "e", MBPF_HOOK_NET_RX);
    strcpy(m.entry_symbol, "filter");
    load_net(&m, "function filter(ctx) { return 1; } function mbpf_prog() { return 0; }");
    assert_int_equal(run_byte(0), 1);
    stop();
}

/* ---- load failures ---- */

static void expect_load_error(const mbpf_manifest_t *m, const char *src, int code,
                              const char *msg_part)
{
    mbpf_program_t *p = (mbpf_program_t *)1;
    int rc = js_load(rt, m, src, &p);
    if (rc != code || !strstr(mbpf_last_error(rt), msg_part))
        fprintf(stderr, "got %d '%s', want %d '...%s...'\n", rc, mbpf_last_error(rt), code,
                msg_part);
    assert_int_equal(rc, code);
    assert_null(p);
    assert_non_null(strstr(mbpf_last_error(rt), msg_part));
}

static void test_load_failures_name_the_cause(void **s)
{
    (void)s;
    start(2);
    mbpf_manifest_t m;
    tk_manifest(&m, "f", MBPF_HOOK_NET_RX);
    expect_load_error(&m, "function other(ctx) { return 0; }", MBPF_E_PROGRAM_INIT,
                      "entry function 'mbpf_prog' is not defined");
    expect_load_error(&m, "var mbpf_prog = 5;", MBPF_E_PROGRAM_INIT, "is not defined");
    expect_load_error(&m, "throw new TypeError('bad setup');", MBPF_E_PROGRAM_INIT,
                      "TypeError: bad setup");
    expect_load_error(&m, "for (;;) {}", MBPF_E_PROGRAM_INIT,
                      "top-level code (instance 0): budget max_steps exhausted");
    expect_load_error(&m, "function mbpf_prog() { return 0; } function mbpf_init() { for (;;) {} }",
                      MBPF_E_PROGRAM_INIT, "mbpf_init (instance 0): budget max_steps exhausted");
    expect_load_error(&m,
                      "function mbpf_prog() { return 0; }"
                      "function mbpf_init() { try { for (;;) {} } finally { for (;;) {} } }",
                      MBPF_E_PROGRAM_INIT, "max_steps");
    expect_load_error(&m, "var mbpf_init = 1; function mbpf_prog() { return 0; }",
                      MBPF_E_PROGRAM_INIT, "mbpf_init is not a function");
    expect_load_error(&m, "var a = []; for (;;) a.push([1, 2, 3]);", MBPF_E_PROGRAM_INIT,
                      "out of memory");
    /* heap below the engine minimum, and too small for the globals */
    m.heap_size = 512;
    expect_load_error(&m, trivial, MBPF_E_HEAP_SIZE, "heap_size 512");
    /* bytecode that is not bytecode */
    tk_manifest(&m, "g", MBPF_HOOK_NET_RX);
    m.bytecode_version = UJS_BYTECODE_VERSION;
    size_t len;
    uint8_t *pkg = tk_build(&m, "this is not bytecode at all", NULL, &len);
    mbpf_program_t *p;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), MBPF_E_BYTECODE);
    assert_non_null(strstr(mbpf_last_error(rt), "instance 0: bytecode: "));
    free(pkg);
    /* a package made for another bytecode version is refused before the
     * engine sees it */
    size_t bl;
    uint8_t *bc = js_compile(trivial, &bl);
    m.bytecode_version = UJS_BYTECODE_VERSION - 1;
    pkg = tk_build_bin(&m, bc, bl, NULL, &len);
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &p), MBPF_E_BYTECODE_VERSION);
    assert_non_null(strstr(mbpf_last_error(rt), "bytecode_version"));
    free(pkg);
    m.bytecode_version = UJS_BYTECODE_VERSION;
    /* a corrupted but well-framed file: the verifier names the check */
    bc[bl / 2] ^= 0xFF;
    bc[bl / 2 + 1] ^= 0x5A;
    pkg = tk_build_bin(&m, bc, bl, NULL, &len);
    int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
    assert_true(rc == MBPF_E_BYTECODE || rc == 0 || rc == MBPF_E_PROGRAM_INIT);
    if (rc == 0) mbpf_program_unload(rt, p);
    free(pkg);
    free(bc);
    stop();
}

static void test_fini_runs_at_unload_and_a_failing_fini_is_logged(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "fini", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_LOG;
    mbpf_program_t *p = load_net(&m, "function mbpf_prog() { return 0; }"
                                     "function mbpf_fini() { mbpf.log(2, 'bye'); }");
    tp.log_count = 0;
    assert_int_equal(mbpf_program_unload(rt, p), 0);
    assert_int_equal(tp.log_count, 1);
    assert_string_equal(tp.log, "bye");
    p = load_net(&m, "function mbpf_prog() { return 0; }"
                     "function mbpf_fini() { try { for (;;) {} } catch (e) {} }");
    assert_int_equal(mbpf_program_unload(rt, p), 0);
    assert_non_null(strstr(tp.log, "mbpf_fini: budget max_steps exhausted"));
    stop();
}

/* ---- failures at run time: safe default, counter, next event runs ---- */

typedef struct failure_case {
    const char *why;
    const char *body; /* runs when the first byte is 1 */
    size_t counter;   /* offsetof in mbpf_program_stats_t */
} failure_case_t;

#define CTR(f) offsetof(mbpf_program_stats_t, f)

static const failure_case_t failures[] = {
    {"infinite loop", "for (;;) {}", CTR(budget_steps)},
    {"loop in try/catch/finally",
     "for (;;) { try { for (;;) {} } catch (e) {} finally { for (;;) {} } }", CTR(budget_steps)},
    {"recursion without end", "function f(n) { return f(n + 1) + 1; } return f(0);",
     CTR(exceptions)},
    {"recursion caught and retried",
     "function f() { try { return f(); } catch (e) { return f(); } } return f();", CTR(oom)},
    {"allocation bomb", "var a = []; for (;;) a.push(new Uint8Array(64));", CTR(oom)},
    {"string bomb", "var s = 'x'; for (;;) s = s + s;", CTR(oom)},
    {"throw a number", "throw 5;", CTR(exceptions)},
    {"throw null", "throw null;", CTR(exceptions)},
    {"throw an object", "throw { verdict: 1 };", CTR(exceptions)},
    {"throw from a getter", "var o = { get x() { throw new Error('g'); } }; return o.x;",
     CTR(exceptions)},
    {"read out of bounds", "return ctx.readU8(5);", CTR(exceptions)},
    {"read at a negative offset", "return ctx.readU16LE(-1);", CTR(exceptions)},
    {"readBytes past the end", "var b = new Uint8Array(4); ctx.readBytes(2, 4, b); return 0;",
     CTR(exceptions)},
    {"return undefined", "return;", CTR(exceptions)},
    {"return a fraction", "return 1.5;", CTR(exceptions)},
    {"return a string", "return '1';", CTR(exceptions)},
    {"return above int32", "return 2147483648;", CTR(exceptions)},
    {"call an absent helper", "mbpf.emit(1, new Uint8Array(1)); return 0;", CTR(exceptions)},
    {"eval is absent", "return globalThis['ev' + 'al']('1');", CTR(exceptions)},
    {"Function is absent", "return globalThis['Func' + 'tion']('return 1')();", CTR(exceptions)},
    {"assign to an undeclared global", "leak = 1; return 0;", CTR(exceptions)},
    {"helper budget", "for (;;) mbpf.log(0, 'x');", CTR(budget_helpers)},
    {"helper budget inside try/finally",
     "try { for (;;) mbpf.log(0, 'x'); } catch (e) {} finally { return 3; }", CTR(budget_helpers)},
};

static uint64_t counter_at(const mbpf_program_stats_t *st, size_t off)
{
    uint64_t v;
    memcpy(&v, (const uint8_t *)st + off, sizeof v);
    return v;
}

static void test_failures_return_safe_default_and_next_event_runs(void **s)
{
    (void)s;
    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++) {
        const failure_case_t *fc = &failures[i];
        start(1);
        cfg.safe_default[MBPF_HOOK_NET_RX] = MBPF_NET_ABORT; /* not a value programs return */
        mbpf_runtime_shutdown(rt);
        rt = mbpf_runtime_init(&cfg);
        mbpf_manifest_t m;
        tk_manifest(&m, "adv", MBPF_HOOK_NET_RX);
        m.max_steps = 5000;
        m.max_helpers = 8;
        char src[1024];
        snprintf(src, sizeof src,
                 "var runs = 0;"
                 "function mbpf_prog(ctx) { runs++; if (ctx.readU8(0) === 1) { %s } return runs; }",
                 fc->body);
        mbpf_program_t *p = load_net(&m, src);
        uint8_t pkt[4] = {1, 0, 0, 0};
        for (int round = 0; round < 3; round++) {
            int32_t v = run_pkt(pkt, 4);
            if (v != MBPF_NET_ABORT) fprintf(stderr, "case '%s': verdict %d\n", fc->why, v);
            assert_int_equal(v, MBPF_NET_ABORT);
        }
        mbpf_program_stats_t st = stats_of(p);
        if (counter_at(&st, fc->counter) != 3)
            fprintf(stderr, "case '%s': counter %llu, exceptions %llu steps %llu oom %llu\n",
                    fc->why, (unsigned long long)counter_at(&st, fc->counter),
                    (unsigned long long)st.exceptions, (unsigned long long)st.budget_steps,
                    (unsigned long long)st.oom);
        assert_int_equal(counter_at(&st, fc->counter), 3);
        assert_int_equal(st.invocations, 3);
        /* the instance is intact: the next event runs normally, and the
         * runs of the failed events were counted by the program itself */
        pkt[0] = 0;
        assert_int_equal(run_pkt(pkt, 4), 4);
        stop();
    }
}

/* The step budget is armed afresh after a run that exhausted it, also when
 * the runs between kept the same budget and never reached the limit. */
static void test_step_budget_rearmed_after_exhaustion(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "steps", MBPF_HOOK_NET_RX);
    m.max_steps = 5000;
    mbpf_program_t *p = load_net(&m, "function mbpf_prog(ctx) {"
                                     "  var n = ctx.readU8(0) * 100;"
                                     "  for (var i = 0; i < n; i++) {}"
                                     "  return 5; }");
    static const uint8_t bytes[] = {200, 1, 200, 200, 1, 1, 200};
    uint64_t exhausted = 0;
    for (size_t i = 0; i < sizeof bytes; i++) {
        int32_t want = bytes[i] == 200 ? 0 : 5;
        assert_int_equal(run_byte(bytes[i]), want);
        exhausted += bytes[i] == 200;
        assert_int_equal(stats_of(p).budget_steps, exhausted);
    }
    assert_int_equal(stats_of(p).successes, 3);
    stop();
}

static void test_wall_time_budget(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "slow", MBPF_HOOK_NET_RX);
    m.max_steps = 10000000;
    m.max_wall_time_us = 1000;
    /* the test clock moves only when told: a program looping forever sees
     * the deadline when the clock passes it */
    mbpf_program_t *p = load_net(&m, "function mbpf_prog(ctx) { for (;;) {} }");
    atomic_store(&tp.now_ns, 5);
    /* with a frozen clock the step budget ends it */
    assert_int_equal(run_byte(0), 0);
    assert_int_equal(stats_of(p).budget_steps, 1);
    stop();
}

/* A clock that advances 1 µs each time it is read. */
static uint64_t ticking_now(void *user)
{
    (void)user;
    return atomic_fetch_add(&tp.now_ns, 1000) + 1000;
}

static void test_wall_time_budget_with_a_moving_clock(void **s)
{
    (void)s;
    static mbpf_platform_t pf;
    pf = *tp_platform(1, 1, 0);
    pf.now_ns = ticking_now;
    tk_config(&cfg, &pf);
    rt = mbpf_runtime_init(&cfg);
    mbpf_manifest_t m;
    tk_manifest(&m, "slow", MBPF_HOOK_NET_RX);
    m.max_steps = 10000000;
    m.max_wall_time_us = 50;
    mbpf_program_t *p =
        load_net(&m, "function mbpf_prog(ctx) { if (ctx.readU8(0)) for (;;) {} return 7; }");
    assert_int_equal(run_byte(1), 0);
    assert_int_equal(stats_of(p).budget_time, 1);
    assert_int_equal(stats_of(p).budget_steps, 0);
    assert_int_equal(run_byte(0), 7);
    stop();
}

/* ---- contexts ---- */

static void test_context_checks(void **s)
{
    (void)s;
    start(1);
    mbpf_program_t *p = load_net(NULL, trivial);
    uint8_t b = 0xFF;
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, 1, 1, 0, 0, &b, NULL};
    int32_t rc;
    /* undersize blob, wrong ABI, NULL: safe default, counted, not run */
    assert_int_equal(mbpf_run(rt, NET_RX, &c, sizeof c - 1, &rc), 0);
    assert_int_equal(rc, 0);
    c.abi_version = 2;
    assert_int_equal(mbpf_run(rt, NET_RX, &c, sizeof c, &rc), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(mbpf_run(rt, NET_RX, NULL, 0, &rc), 0);
    assert_int_equal(stats_of(p).ctx_mismatch, 3);
    assert_int_equal(stats_of(p).successes, 0);
    /* an oversize blob (a newer struct with more fields) is accepted */
    c.abi_version = 1;
    uint8_t big[sizeof c + 32];
    memset(big, 0xEE, sizeof big);
    memcpy(big, &c, sizeof c);
    assert_int_equal(mbpf_run(rt, NET_RX, big, sizeof big, &rc), 0);
    assert_int_equal(rc, 1);
    stop();
}

/* A device whose byte at offset i is i; from offset 4 on it has nothing
 * (a short read), though data_len says 6. */
static int short_reader(const void *blob, uint32_t off, uint32_t len, uint8_t *dst)
{
    (void)blob;
    uint32_t n = 0;
    while (n < len && off + n < 4) {
        dst[n] = (uint8_t)(off + n);
        n++;
    }
    return (int)n;
}

static void test_net_context_fields_and_readers(void **s)
{
    (void)s;
    start(1);
    load_net(NULL, "function mbpf_prog(ctx) {"
                   "  var b = new Uint8Array(4);"
                   "  ctx.readBytes(2, 4, b);"
                   "  if (ctx.ifindex !== 3 || ctx.l2_proto !== 0x0800) return -1;"
                   "  if (ctx.pkt_len !== 6 || ctx.data_len !== 6) return -2;"
                   "  if (ctx.readU16LE(0) !== 0x0100 || ctx.readU16BE(0) !== 0x0001) return -3;"
                   "  if (ctx.readU32LE(2) !== 0x05040302) return -4;"
                   "  if (b[0] !== 2 || b[3] !== 5) return -5;"
                   "  return 9; }");
    uint8_t pkt[6] = {0, 1, 2, 3, 4, 5};
    assert_int_equal(run_pkt(pkt, 6), 9);
    stop();
    /* through read_fn: readBytes reports a short read's count, scalar
     * reads that come up short throw */
    start(1);
    load_net(NULL, "var b = new Uint8Array(6);"
                   "function mbpf_prog(ctx) {"
                   "  var got = ctx.readBytes(1, 5, b), s = ctx.readU16BE(2);"
                   "  try { ctx.readU32LE(2); return -1; } catch (e) {"
                   "    if (!(e instanceof RangeError)) return -2; }"
                   "  return got * 100000 + s * 10 + b[2]; }");
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 3, 6, 6, 0x0800, 0, NULL, short_reader};
    int32_t rc;
    assert_int_equal(mbpf_run(rt, NET_RX, &c, sizeof c, &rc), 0);
    assert_int_equal(rc, 3 * 100000 + 0x0203 * 10 + 3);
    stop();
}

static void test_saved_ctx_reads_only_the_current_event(void **s)
{
    (void)s;
    start(1);
    load_net(NULL, "var saved = null;"
                   "function mbpf_init() { if (saved !== null) throw new Error('x'); }"
                   "function mbpf_prog(ctx) {"
                   "  if (saved === null) { saved = ctx; return 0; }"
                   "  return saved.readU8(0) + (saved === ctx ? 1000 : 0); }");
    assert_int_equal(run_byte(7), 0);
    assert_int_equal(run_byte(42), 1042);
    stop();
}

static void test_other_hook_types(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    mbpf_program_t *p;
    int32_t rc;
    /* TRACEPOINT on point 7 only */
    tk_manifest(&m, "tp", MBPF_HOOK_TRACEPOINT);
    assert_int_equal(js_load(rt, &m,
                             "function mbpf_prog(ctx) {"
                             "  return ctx.tracepoint_id * 1000 + ctx.pid + ctx.readU8(1); }",
                             &p),
                     0);
    assert_int_equal(mbpf_program_attach(rt, p, MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, 7)), 0);
    uint8_t payload[2] = {0, 5};
    mbpf_ctx_tracepoint_v1_t tpc = {MBPF_CTX_ABI_V1, 7, 123, 0, 40, 2, 0, payload, NULL};
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, 7), &tpc, sizeof tpc, &rc), 0);
    assert_int_equal(rc, 7045);
    assert_int_equal(stats_of(p).soft_failures, 1);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, 8), &tpc, sizeof tpc, &rc), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(stats_of(p).invocations, 1);
    /* TIMER */
    tk_manifest(&m, "tm", MBPF_HOOK_TIMER);
    assert_int_equal(js_load(rt, &m,
                             "function mbpf_prog(ctx) {"
                             "  return ctx.timer_id === 2 && ctx.period_us === 1000 &&"
                             "    ctx.expiry_count === 3 ? 0 : 1; }",
                             &p),
                     0);
    assert_int_equal(mbpf_program_attach(rt, p, MBPF_HOOK_ID(MBPF_HOOK_TIMER, 0)), 0);
    mbpf_ctx_timer_v1_t tmc = {MBPF_CTX_ABI_V1, 2, 1000, 0, 3, 999};
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_TIMER, 0), &tmc, sizeof tmc, &rc), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(stats_of(p).successes, 1);
    assert_int_equal(stats_of(p).soft_failures, 0);
    /* SECURITY: deny action 3 of subject 0 */
    tk_manifest(&m, "sec", MBPF_HOOK_SECURITY);
    assert_int_equal(js_load(rt, &m,
                             "function mbpf_prog(ctx) {"
                             "  return ctx.subject_id === 0 && ctx.action === 3 ? 1 : 0; }",
                             &p),
                     0);
    assert_int_equal(mbpf_program_attach(rt, p, MBPF_HOOK_ID(MBPF_HOOK_SECURITY, 0)), 0);
    mbpf_ctx_security_v1_t sc = {MBPF_CTX_ABI_V1, 0, 9, 3, 0, 0, NULL, NULL};
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_SECURITY, 0), &sc, sizeof sc, &rc), 0);
    assert_int_equal(rc, MBPF_SEC_DENY);
    sc.action = 4;
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_SECURITY, 0), &sc, sizeof sc, &rc), 0);
    assert_int_equal(rc, MBPF_SEC_ALLOW);
    /* CUSTOM with named fields */
    tk_manifest(&m, "cu", MBPF_HOOK_CUSTOM);
    assert_int_equal(js_load(rt, &m,
                             "function mbpf_prog(ctx) {"
                             "  return ctx.custom_id * 100 + ctx.field('depth') +"
                             "    ctx.schema_version; }",
                             &p),
                     0);
    assert_int_equal(mbpf_program_attach(rt, p, MBPF_HOOK_ID(MBPF_HOOK_CUSTOM, 4)), 0);
    mbpf_ctx_field_t fields[2] = {{"width", 5}, {"depth", 17}};
    mbpf_ctx_custom_v1_t cc = {MBPF_CTX_ABI_V1, 4, 2, 2, fields, 0, 0, NULL, NULL};
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_CUSTOM, 4), &cc, sizeof cc, &rc), 0);
    assert_int_equal(rc, 419);
    stop();
}

static void test_decision_hook_combines_most_restrictively(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "a", MBPF_HOOK_NET_RX);
    mbpf_program_t *a = load_net(&m, "function mbpf_prog(ctx) { return 0; }");
    tk_manifest(&m, "b", MBPF_HOOK_NET_RX);
    load_net(&m, "function mbpf_prog(ctx) { return ctx.readU8(0) === 9 ? 1 : 0; }");
    tk_manifest(&m, "c", MBPF_HOOK_NET_RX);
    mbpf_program_t *c = load_net(&m, "function mbpf_prog(ctx) { return 0; }");
    assert_int_equal(run_byte(9), MBPF_NET_DROP);
    assert_int_equal(run_byte(1), MBPF_NET_PASS);
    assert_int_equal(stats_of(a).invocations, 2);
    /* the DROP stopped the chain: c ran only for the passed packet */
    assert_int_equal(stats_of(c).invocations, 1);
    stop();
}

/* ---- the JS surface ---- */

static void test_globals_cannot_be_tampered_with(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "tamper", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_LOG | MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE;
    m.heap_size = 16384;
    m.map_count = 1;
    strcpy(m.maps[0].name, "cnt");
    m.maps[0].type = MBPF_MAP_ARRAY;
    m.maps[0].key_size = 0;
    m.maps[0].value_size = 4;
    m.maps[0].max_entries = 4;
    /* bit i: the i-th tampering attempt threw a TypeError */
    load_net(&m, "function t(i, f) { try { f(); return 0; } catch (e) {"
                 "  return e instanceof TypeError ? 1 << i : 1 << 20; } }"
                 "function mbpf_prog(ctx) { var n = 0;"
                 "  n |= t(0, function () { mbpf.log = null; });"
                 "  n |= t(1, function () { mbpf.extra = 1; });"
                 "  n |= t(2, function () { delete mbpf.log; });"
                 "  n |= t(3, function () { mbpf = {}; });"
                 "  n |= t(4, function () { maps = {}; });"
                 "  n |= t(5, function () { maps.cnt = null; });"
                 "  n |= t(6, function () { maps.cnt.lookup = null; });"
                 "  n |= t(7, function () { ctx.readU8 = function () { return 0xFF; }; });"
                 "  n |= t(8, function () { ctx.ifindex = 7; });"
                 "  n |= t(9, function () { Object.defineProperty(ctx, 'x', { value: 1 }); });"
                 "  n |= t(10, function () { Object.setPrototypeOf(ctx, {}); });"
                 "  return n * 2 + (ctx.readU8(0) === 0xFF ? 1 : 0); }");
    assert_int_equal(run_byte(0xFF), 0x7FF * 2 + 1);
    assert_int_equal(run_byte(0), 0x7FF * 2);
    stop();
}

static void test_capabilities_decide_which_helpers_exist(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "caps", MBPF_HOOK_NET_RX);
    m.capabilities = 0;
    const char *src = "function mbpf_prog(ctx) {"
                      "  return (typeof mbpf.log === 'function' ? 1 : 0) +"
                      "    (typeof mbpf.nowNs === 'function' ? 2 : 0) +"
                      "    (typeof mbpf.stats === 'function' ? 4 : 0) +"
                      "    (typeof console === 'undefined' ? 0 : 8) +"
                      "    (typeof globalThis.eval === 'undefined' ? 0 : 16) +"
                      "    (function () { try { globalThis.Function('return 1'); return 32; }"
                      "      catch (e) { return 0; } })() +"
                      "    (mbpf.apiVersion === 0x10000 ? 64 : 0); }";
    mbpf_program_t *p = load_net(&m, src);
    assert_int_equal(run_byte(0), 64);
    mbpf_program_unload(rt, p);
    m.capabilities = MBPF_CAP_LOG | MBPF_CAP_TIME | MBPF_CAP_STATS;
    p = load_net(&m, src);
    assert_int_equal(run_byte(0), 71);
    mbpf_program_unload(rt, p);
    /* console.log exists only in debug mode */
    size_t len;
    uint8_t *pkg = js_package(&m, src, NULL, &len);
    mbpf_load_opts_t opts = {MBPF_LOAD_F_DEBUG};
    assert_int_equal(mbpf_program_load(rt, pkg, len, &opts, &p), 0);
    free(pkg);
    assert_int_equal(mbpf_program_attach(rt, p, NET_RX), 0);
    assert_int_equal(run_byte(0), 79);
    stop();
}

static void test_stats_and_time_helpers(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "st", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_STATS | MBPF_CAP_TIME;
    load_net(&m, "var out = new Uint8Array(13 * 8), t = new Uint8Array(8);"
                 "function mbpf_prog(ctx) {"
                 "  mbpf.stats(out); mbpf.nowNs(t);"
                 "  return out[0] * 100 + t[0]; }");
    atomic_store(&tp.now_ns, 42);
    /* invocations counts this event: 1, then 2 */
    assert_int_equal(run_byte(0), 142);
    assert_int_equal(run_byte(0), 242);
    stop();
}

static void test_maps_are_shared_with_the_host(void **s)
{
    (void)s;
    start(2);
    mbpf_manifest_t m;
    tk_manifest(&m, "count", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE;
    m.map_count = 1;
    strcpy(m.maps[0].name, "by_src");
    m.maps[0].type = MBPF_MAP_HASH;
    m.maps[0].key_size = 1;
    m.maps[0].value_size = 8;
    m.maps[0].max_entries = 256;
    mbpf_program_t *p =
        load_net(&m, "var k = new Uint8Array(1), v = new Uint8Array(8), n = [0, 0];"
                     "function mbpf_prog(ctx) {"
                     "  k[0] = ctx.readU8(0);"
                     "  if (!maps.by_src.lookup(k, v)) for (var i = 0; i < 8; i++) v[i] = 0;"
                     "  mbpf.u64LoadLE(v, 0, n); n[0]++; mbpf.u64StoreLE(v, 0, n);"
                     "  maps.by_src.update(k, v); return 0; }");
    for (int i = 0; i < 10; i++) {
        tp_cpu = (uint32_t)(i & 1);
        run_byte((uint8_t)(i % 3));
    }
    tp_cpu = 0;
    mbpf_map_t *map = mbpf_program_map(p, "by_src");
    assert_non_null(map);
    uint8_t key = 0;
    uint64_t val = 0;
    assert_int_equal(mbpf_map_lookup(map, &key, 1, &val, 8), 0);
    assert_int_equal(val, 4);
    key = 2;
    assert_int_equal(mbpf_map_lookup(map, &key, 1, &val, 8), 0);
    assert_int_equal(val, 3);
    stop();
}

static void test_per_cpu_instances_have_their_own_globals(void **s)
{
    (void)s;
    start(3);
    load_net(NULL, "var n = 0; function mbpf_prog(ctx) { return ++n; }");
    for (uint32_t cpu = 0; cpu < 3; cpu++) {
        tp_cpu = cpu;
        assert_int_equal(run_byte(0), 1);
    }
    tp_cpu = 1;
    assert_int_equal(run_byte(0), 2);
    tp_cpu = 0;
    stop();
}

/* ---- re-entry ---- */

static int reentry_calls;
static int32_t reentry_rc;

static void reentrant_log(void *user, int level, const char *msg, size_t len)
{
    (void)user;
    (void)level;
    (void)msg;
    (void)len;
    reentry_calls++;
    uint8_t b = 0;
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, 1, 1, 0, 0, &b, NULL};
    mbpf_run(rt, NET_RX, &c, sizeof c, &reentry_rc);
}

static void test_log_sink_reentering_mbpf_run_is_a_nested_entry(void **s)
{
    (void)s;
    static mbpf_platform_t pf;
    pf = *tp_platform(1, 1, 0);
    pf.log = reentrant_log;
    tk_config(&cfg, &pf);
    cfg.safe_default[MBPF_HOOK_NET_RX] = MBPF_NET_ABORT;
    rt = mbpf_runtime_init(&cfg);
    mbpf_manifest_t m;
    tk_manifest(&m, "re", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_LOG;
    mbpf_program_t *p = load_net(&m, "function mbpf_prog(ctx) { mbpf.log(2, 'in'); return 1; }");
    reentry_calls = 0;
    assert_int_equal(run_byte(0), MBPF_NET_DROP);
    assert_int_equal(reentry_calls, 1);
    assert_int_equal(reentry_rc, MBPF_NET_ABORT); /* the inner event got the safe default */
    mbpf_program_stats_t st = stats_of(p);
    assert_int_equal(st.nested, 1);
    assert_int_equal(st.successes, 1);
    assert_int_equal(st.invocations, 2);
    stop();
}

/* ---- allocation-free runs ---- */

static void test_a_million_runs_do_not_grow_the_heap(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "steady", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE | MBPF_CAP_LOG;
    m.map_count = 1;
    strcpy(m.maps[0].name, "h");
    m.maps[0].type = MBPF_MAP_HASH;
    m.maps[0].key_size = 1;
    m.maps[0].value_size = 8;
    m.maps[0].max_entries = 16;
    mbpf_program_t *p =
        load_net(&m, "var k = new Uint8Array(1), v = new Uint8Array(8), b = new Uint8Array(2);"
                     "function mbpf_prog(ctx) {"
                     "  k[0] = ctx.readU8(0) & 15; ctx.readBytes(0, 2, b);"
                     "  if (maps.h.lookup(k, v)) { v[0]++; } maps.h.update(k, v);"
                     "  return ctx.readU16LE(0) + ctx.readU32BE(0) > 0 ? 0 : 1; }");
    uint8_t pkt[4] = {1, 2, 3, 4};
    assert_int_equal(run_pkt(pkt, 4), 0);
    mbpf_heap_stats_t before, after;
    assert_int_equal(mbpf_program_heap_stats(p, 0, &before), 0);
    for (int i = 0; i < 1000000; i++) {
        pkt[0] = (uint8_t)i;
        mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 3, 4, 4, 0, 0, pkt, NULL};
        int32_t rc;
        mbpf_run(rt, NET_RX, &c, sizeof c, &rc);
    }
    assert_int_equal(mbpf_program_heap_stats(p, 0, &after), 0);
    assert_int_equal(stats_of(p).successes, 1000001);
    assert_int_equal(after.heap_used, before.heap_used);
    assert_int_equal(after.gc_count, before.gc_count);
    assert_int_equal(mbpf_program_heap_stats(p, 1, &after), MBPF_E_NOT_FOUND);
    stop();
}

/* ---- life cycle with real programs: hot swap, breaker, deferred runs ---- */

static void test_hot_swap_keeps_maps_and_switches_code(void **s)
{
    (void)s;
    start(1);
    mbpf_manifest_t m;
    tk_manifest(&m, "swap", MBPF_HOOK_NET_RX);
    m.capabilities = MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE;
    m.map_count = 1;
    m.maps[0] = (mbpf_map_def_t){"seen", MBPF_MAP_COUNTER, 0, 8, 1, 0};
    mbpf_program_t *p = load_net(&m, "function mbpf_prog(ctx) { maps.seen.add(0, 1); return 0; }");
    for (int i = 0; i < 5; i++) assert_int_equal(run_byte(0), MBPF_NET_PASS);
    /* version 2 drops, and keeps counting in the same map */
    size_t len;
    uint8_t *pkg =
        js_package(&m, "function mbpf_prog(ctx) { maps.seen.add(0, 10); return 1; }", NULL, &len);
    mbpf_program_t *np;
    assert_int_equal(mbpf_program_replace(rt, p, pkg, len, NULL, &np), 0);
    free(pkg);
    assert_int_equal(run_byte(0), MBPF_NET_DROP);
    uint64_t v;
    assert_int_equal(mbpf_map_counter_get(mbpf_program_map(np, "seen"), 0, &v), 0);
    assert_int_equal(v, 15);
    /* a replacement whose top-level code throws leaves the old one running */
    pkg = js_package(&m, "throw new Error('broken release');", NULL, &len);
    mbpf_program_t *bad = (mbpf_program_t *)1;
    assert_int_equal(mbpf_program_replace(rt, np, pkg, len, NULL, &bad), MBPF_E_PROGRAM_INIT);
    assert_non_null(strstr(mbpf_last_error(rt), "broken release"));
    free(pkg);
    assert_int_equal(run_byte(0), MBPF_NET_DROP);
    stop();
}

static void test_breaker_skips_a_failing_program_then_retries(void **s)
{
    (void)s;
    tk_config(&cfg, tp_platform(1, 0, 0)); /* no clock: cool-down counted in events */
    cfg.breaker_threshold = 3;
    cfg.breaker_cooldown_invocations = 4;
    cfg.safe_default[MBPF_HOOK_NET_RX] = MBPF_NET_ABORT;
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
    /* fails while the first byte is 1 */
    mbpf_program_t *p =
        load_net(NULL, "function mbpf_prog(ctx) {"
                       "  if (ctx.readU8(0) === 1) throw new Error('bad'); return 0; }");
    for (int i = 0; i < 3; i++) assert_int_equal(run_byte(1), MBPF_NET_ABORT);
    mbpf_program_stats_t st = stats_of(p);
    assert_int_equal(st.exceptions, 3);
    assert_int_equal(st.breaker_trips, 1);
    /* open: good packets get the safe default without running */
    for (int i = 0; i < 4; i++) assert_int_equal(run_byte(0), MBPF_NET_ABORT);
    assert_int_equal(stats_of(p).breaker_skipped, 4);
    /* the trial event succeeds: the program is back */
    assert_int_equal(run_byte(0), MBPF_NET_PASS);
    assert_int_equal(run_byte(0), MBPF_NET_PASS);
    stop();
}

static void test_deferred_tracepoints_run_on_drain_with_a_snapshot(void **s)
{
    (void)s;
    tk_config(&cfg, tp_platform(1, 1, 0));
    cfg.deferred_hooks = MBPF_HOOK_BIT(MBPF_HOOK_TRACEPOINT);
    cfg.deferred_snapshot_max = 4;
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
    mbpf_manifest_t m;
    tk_manifest(&m, "later", MBPF_HOOK_TRACEPOINT);
    m.capabilities = MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE;
    m.map_count = 1;
    m.maps[0] = (mbpf_map_def_t){"sum", MBPF_MAP_COUNTER, 0, 8, 2, 0};
    mbpf_program_t *p;
    assert_int_equal(js_load(rt, &m,
                             "function mbpf_prog(ctx) {"
                             "  maps.sum.add(0, ctx.readU8(0) + ctx.readU8(3));"
                             "  if (ctx.truncated) maps.sum.add(1, ctx.data_len);"
                             "  return 0; }",
                             &p),
                     0);
    mbpf_hook_id_t hook = MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, 5);
    assert_int_equal(mbpf_program_attach(rt, p, hook), 0);
    uint8_t payload[6] = {10, 0, 0, 20, 99, 99};
    mbpf_ctx_tracepoint_v1_t c = {MBPF_CTX_ABI_V1, 5, 1, 0, 7, sizeof payload, 0, payload, NULL};
    int32_t rc;
    assert_int_equal(mbpf_run(rt, hook, &c, sizeof c, &rc), 0);
    assert_int_equal(mbpf_run(rt, hook, &c, sizeof c, &rc), 0);
    /* nothing ran yet; the caller's buffer may change: the queue has a copy */
    memset(payload, 0, sizeof payload);
    uint64_t v;
    mbpf_map_t *sum = mbpf_program_map(p, "sum");
    assert_int_equal(mbpf_map_counter_get(sum, 0, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(mbpf_runtime_drain(rt, 0), 2);
    assert_int_equal(mbpf_map_counter_get(sum, 0, &v), 0);
    assert_int_equal(v, 60);
    /* the snapshot kept 4 of 6 bytes and says so */
    assert_int_equal(mbpf_map_counter_get(sum, 1, &v), 0);
    assert_int_equal(v, 8);
    assert_int_equal(stats_of(p).successes, 2);
    stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trivial_filter_verdicts),
        cmocka_unit_test(test_trivial_program_runs_in_smallest_heap),
        cmocka_unit_test(test_top_level_state_and_init_persist_across_events),
        cmocka_unit_test(test_entry_symbol_from_manifest),
        cmocka_unit_test(test_load_failures_name_the_cause),
        cmocka_unit_test(test_fini_runs_at_unload_and_a_failing_fini_is_logged),
        cmocka_unit_test(test_failures_return_safe_default_and_next_event_runs),
        cmocka_unit_test(test_step_budget_rearmed_after_exhaustion),
        cmocka_unit_test(test_wall_time_budget),
        cmocka_unit_test(test_wall_time_budget_with_a_moving_clock),
        cmocka_unit_test(test_context_checks),
        cmocka_unit_test(test_net_context_fields_and_readers),
        cmocka_unit_test(test_saved_ctx_reads_only_the_current_event),
        cmocka_unit_test(test_other_hook_types),
        cmocka_unit_test(test_decision_hook_combines_most_restrictively),
        cmocka_unit_test(test_globals_cannot_be_tampered_with),
        cmocka_unit_test(test_capabilities_decide_which_helpers_exist),
        cmocka_unit_test(test_stats_and_time_helpers),
        cmocka_unit_test(test_maps_are_shared_with_the_host),
        cmocka_unit_test(test_per_cpu_instances_have_their_own_globals),
        cmocka_unit_test(test_log_sink_reentering_mbpf_run_is_a_nested_entry),
        cmocka_unit_test(test_a_million_runs_do_not_grow_the_heap),
        cmocka_unit_test(test_hot_swap_keeps_maps_and_switches_code),
        cmocka_unit_test(test_breaker_skips_a_failing_program_then_retries),
        cmocka_unit_test(test_deferred_tracepoints_run_on_drain_with_a_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
