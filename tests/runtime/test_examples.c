/*
 * The TRACEPOINT, SECURITY and TIMER examples do what their comments say:
 * each is loaded from examples/ (prog.js compiled, prog.json as manifest)
 * and driven with the events of its events.txt (or timer ticks), then its
 * verdicts and maps are checked value by value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "js_util.h"
#include "mbpf_ctx.h"
#include "mbpf_map.h"

#ifndef EXAMPLES_DIR
#error "EXAMPLES_DIR must name the examples directory"
#endif

static mbpf_runtime_t *rt;

static void start(void)
{
    mbpf_runtime_config_t cfg;
    tk_config(&cfg, tp_platform(2, 1, 0));
    cfg.safe_default[MBPF_HOOK_SECURITY] = MBPF_SEC_DENY;
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
}

static void stop(void)
{
    mbpf_runtime_shutdown(rt);
    assert_int_equal(tp_live(), 0);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- TRACEPOINT ---- */

typedef struct ring_log {
    int n;
    uint8_t rec[8][16];
    size_t len[8];
} ring_log_t;

static int take(void *user, const void *data, size_t len)
{
    ring_log_t *l = user;
    if (l->n < 8 && len <= 16) {
        memcpy(l->rec[l->n], data, len);
        l->len[l->n] = len;
    }
    l->n++;
    return 0;
}

static void tracepoint(uint32_t pid, uint32_t cpu, uint8_t class)
{
    mbpf_ctx_tracepoint_v1_t c = {MBPF_CTX_ABI_V1, 1, 1000, cpu, pid, 1, 0, &class, NULL};
    tp_cpu = cpu;
    int32_t rc;
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, 1), &c, sizeof c, &rc), 0);
    assert_int_equal(rc, 0);
}

static void test_tracepoint_counts_tasks_and_emits_hot_ones(void **s)
{
    (void)s;
    start();
    mbpf_program_t *p = js_load_example(rt, EXAMPLES_DIR, "tracepoint_syscalls",
                                        MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, 1));
    /* the events of examples/tracepoint_syscalls/events.txt */
    tracepoint(100, 0, 0x3b);
    tracepoint(200, 1, 0x01);
    tracepoint(100, 0, 0x3b);
    tracepoint(100, 0, 0x00); /* class 0: ignored */
    tracepoint(100, 0, 0x3c); /* pid 100's third counted event: emitted */
    tracepoint(200, 1, 0x02);
    tracepoint(300, 0, 0x3b);
    tracepoint(100, 0, 0x3b); /* fourth: not emitted again */
    tp_cpu = 0;
    mbpf_map_t *per_pid = mbpf_program_map(p, "per_pid");
    uint8_t key[4] = {100, 0, 0, 0}, val[4];
    assert_int_equal(mbpf_map_lookup(per_pid, key, 4, val, 4), 0);
    assert_int_equal(le32(val), 4);
    key[0] = 200;
    assert_int_equal(mbpf_map_lookup(per_pid, key, 4, val, 4), 0);
    assert_int_equal(le32(val), 2);
    uint64_t counted, ignored;
    mbpf_map_t *totals = mbpf_program_map(p, "totals");
    assert_int_equal(mbpf_map_counter_get(totals, 0, &counted), 0);
    assert_int_equal(mbpf_map_counter_get(totals, 1, &ignored), 0);
    assert_int_equal(counted, 7);
    assert_int_equal(ignored, 1);
    ring_log_t log = {0};
    assert_int_equal(mbpf_map_ringbuf_consume(mbpf_program_map(p, "events"), take, &log, 0), 1);
    assert_int_equal(log.len[0], 12);
    assert_int_equal(le32(log.rec[0]), 1);       /* event id */
    assert_int_equal(le32(log.rec[0] + 4), 100); /* pid */
    assert_int_equal(le32(log.rec[0] + 8), 3);   /* count */
    stop();
}

/* ---- SECURITY ---- */

static int32_t access_check(uint32_t subject, uint32_t object, uint32_t action, const char *path)
{
    mbpf_ctx_security_v1_t c = {
        MBPF_CTX_ABI_V1,       subject, object, action, 0, path ? (uint32_t)strlen(path) : 0,
        (const uint8_t *)path, NULL};
    int32_t rc = -1;
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_SECURITY, 0), &c, sizeof c, &rc), 0);
    return rc;
}

static void test_security_policy_decisions_and_denial_counts(void **s)
{
    (void)s;
    start();
    mbpf_program_t *p =
        js_load_example(rt, EXAMPLES_DIR, "security_policy", MBPF_HOOK_ID(MBPF_HOOK_SECURITY, 0));
    /* the events of examples/security_policy/events.txt */
    assert_int_equal(access_check(1000, 7, 1, "/etc/passwd"), MBPF_SEC_ALLOW);
    assert_int_equal(access_check(1000, 7, 1, "/etc/shadow"), MBPF_SEC_DENY);
    assert_int_equal(access_check(0, 7, 1, "/etc/shadow"), MBPF_SEC_ALLOW);
    assert_int_equal(access_check(1000, 42, 11, NULL), MBPF_SEC_DENY);
    assert_int_equal(access_check(0, 42, 11, NULL), MBPF_SEC_ALLOW);
    assert_int_equal(access_check(1000, 7, 11, NULL), MBPF_SEC_ALLOW);
    assert_int_equal(access_check(1000, 42, 4, NULL), MBPF_SEC_DENY);
    assert_int_equal(access_check(1000, 42, 2, NULL), MBPF_SEC_ALLOW);
    /* a prefix of the protected path is not the path */
    assert_int_equal(access_check(1000, 7, 1, "/etc/sha"), MBPF_SEC_ALLOW);
    mbpf_map_t *denials = mbpf_program_map(p, "denials");
    uint64_t v;
    uint32_t idx = 1;
    assert_int_equal(mbpf_map_lookup(denials, &idx, 4, &v, 8), 0);
    assert_int_equal(v, 1); /* open */
    idx = 11;
    assert_int_equal(mbpf_map_lookup(denials, &idx, 4, &v, 8), 0);
    assert_int_equal(v, 1); /* kill */
    idx = 4;
    assert_int_equal(mbpf_map_lookup(denials, &idx, 4, &v, 8), 0);
    assert_int_equal(v, 1); /* exec */
    /* the kernel protects object 7 at run time: kill is now denied */
    uint8_t obj[4] = {7, 0, 0, 0}, one = 1;
    assert_int_equal(
        mbpf_map_update(mbpf_program_map(p, "protected"), obj, 4, &one, 1, MBPF_MAP_NOEXIST), 0);
    assert_int_equal(access_check(1000, 7, 11, NULL), MBPF_SEC_DENY);
    stop();
}

/* ---- TIMER ---- */

static void tick(uint64_t expiry)
{
    mbpf_ctx_timer_v1_t c = {MBPF_CTX_ABI_V1, 1, 100000, 0, expiry, expiry * 100000000};
    int32_t rc;
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_TIMER, 0), &c, sizeof c, &rc), 0);
    assert_int_equal(rc, 0);
}

static void test_timer_turns_a_counter_into_rates(void **s)
{
    (void)s;
    start();
    mbpf_program_t *p =
        js_load_example(rt, EXAMPLES_DIR, "timer_rate", MBPF_HOOK_ID(MBPF_HOOK_TIMER, 0));
    mbpf_map_t *sample = mbpf_program_map(p, "sample");
    mbpf_map_t *rates = mbpf_program_map(p, "rates");
    uint64_t v;
    uint32_t idx;
    tp.log_count = 0;
    tick(1); /* first reading */
    assert_int_equal(mbpf_map_counter_add(sample, 0, 50, NULL), 0);
    tick(2); /* 50 events in 100 ms: 500/s */
    idx = 0;
    assert_int_equal(mbpf_map_lookup(rates, &idx, 4, &v, 8), 0);
    assert_int_equal(v, 500);
    assert_int_equal(mbpf_map_counter_add(sample, 0, 250, NULL), 0);
    tick(3); /* 2500/s: above the limit, logged */
    assert_int_equal(mbpf_map_counter_add(sample, 0, 10, NULL), 0);
    tick(4); /* 100/s */
    assert_int_equal(mbpf_map_lookup(rates, &idx, 4, &v, 8), 0);
    assert_int_equal(v, 100);
    idx = 1;
    assert_int_equal(mbpf_map_lookup(rates, &idx, 4, &v, 8), 0);
    assert_int_equal(v, 2500); /* the peak */
    assert_int_equal(mbpf_map_counter_get(mbpf_program_map(p, "ticks"), 0, &v), 0);
    assert_int_equal(v, 4);
    assert_int_equal(tp.log_count, 1);
    assert_string_equal(tp.log, "rate above limit");
    stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tracepoint_counts_tasks_and_emits_hot_ones),
        cmocka_unit_test(test_security_policy_decisions_and_denial_counts),
        cmocka_unit_test(test_timer_turns_a_counter_into_rates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
