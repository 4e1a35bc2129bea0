/*
 * Deferred execution (spec §9.5): context snapshots (scalars, bounded data
 * with the TRUNCATED flag, read_fn with short reads, CUSTOM fields), the
 * bounded queue with drop counters, draining by call and through the
 * platform's defer hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "exec_double.h"
#include "mbpf_ctx.h"
#include "rt_test_util.h"

#define TP(n)  MBPF_HOOK_ID(MBPF_HOOK_TRACEPOINT, n)
#define CUSTOM MBPF_HOOK_ID(MBPF_HOOK_CUSTOM, 5)

static mbpf_runtime_t *rt;
static mbpf_runtime_config_t cfg;

static int setup(void **state)
{
    (void)state;
    dbl_reset();
    tk_config(&cfg, tp_platform(1, 1, 0));
    cfg.deferred_hooks = MBPF_HOOK_BIT(MBPF_HOOK_TRACEPOINT) | MBPF_HOOK_BIT(MBPF_HOOK_CUSTOM);
    cfg.deferred_depth = 4;
    cfg.deferred_snapshot_max = 8;
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

/* What the program saw in its last run. */
static mbpf_ctx_tracepoint_v1_t seen_tp;
static mbpf_ctx_custom_v1_t seen_custom;
static uint8_t seen_data[64];
static mbpf_ctx_field_t seen_fields[4];

static mbpf_exec_status_t capture(const mbpf_exec_program_t *p, const void *ctx, size_t len,
                                  int32_t *rc, mbpf_exec_status_t st)
{
    (void)len;
    (void)rc;
    if (p->manifest->hook_type == MBPF_HOOK_TRACEPOINT) {
        memcpy(&seen_tp, ctx, sizeof seen_tp);
        memcpy(seen_data, seen_tp.data, seen_tp.data_len);
    } else {
        memcpy(&seen_custom, ctx, sizeof seen_custom);
        memcpy(seen_data, seen_custom.data, seen_custom.data_len);
        memcpy(seen_fields, seen_custom.fields, seen_custom.field_count * sizeof *seen_fields);
    }
    return st;
}

static const uint8_t payload[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static mbpf_program_t *attached(const char *name, uint32_t type, mbpf_hook_id_t hook)
{
    mbpf_program_t *p = tk_load(rt, name, type, "ret=0");
    assert_int_equal(mbpf_program_attach(rt, p, hook), 0);
    return p;
}

static void test_deferred_snapshot_truncates_and_flags(void **state)
{
    (void)state;
    attached("t", MBPF_HOOK_TRACEPOINT, TP(1));
    dbl.on_run = capture;
    uint8_t data[16];
    memcpy(data, payload, sizeof data);
    mbpf_ctx_tracepoint_v1_t c = {.abi_version = 1,
                                  .tracepoint_id = 1,
                                  .timestamp_ns = 42,
                                  .cpu = 3,
                                  .pid = 77,
                                  .data_len = 16,
                                  .data = data};
    int32_t rc = -1;
    assert_int_equal(mbpf_run(rt, TP(1), &c, sizeof c, &rc), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(atomic_load(&dbl.runs), 0); /* not run inline */
    memset(data, 0, sizeof data);                /* the original may change or vanish */
    assert_int_equal(mbpf_runtime_drain(rt, 0), 1);
    assert_int_equal(atomic_load(&dbl.runs), 1);
    assert_int_equal(seen_tp.timestamp_ns, 42);
    assert_int_equal(seen_tp.pid, 77);
    assert_int_equal(seen_tp.data_len, 8);
    assert_true(seen_tp.flags & MBPF_CTX_F_TRUNCATED);
    assert_null(seen_tp.read_fn);
    assert_memory_equal(seen_data, payload, 8);

    /* Data that fits is not flagged. */
    c.data = payload;
    c.data_len = 5;
    mbpf_run(rt, TP(1), &c, sizeof c, &rc);
    assert_int_equal(mbpf_runtime_drain(rt, 0), 1);
    assert_int_equal(seen_tp.data_len, 5);
    assert_false(seen_tp.flags & MBPF_CTX_F_TRUNCATED);
    dbl.on_run = NULL;
}

/* Returns at most 3 bytes per call (a scatter-gather source). */
static int short_reader(const void *blob, uint32_t off, uint32_t len, uint8_t *dst)
{
    (void)blob;
    if (off >= 6) return 0; /* only 6 bytes available although data_len says 16 */
    uint32_t n = len < 3 ? len : 3;
    if (n > 6 - off) n = 6 - off;
    memcpy(dst, payload + off, n);
    return (int)n;
}

static void test_deferred_snapshot_uses_read_fn_and_honours_short_reads(void **state)
{
    (void)state;
    attached("t", MBPF_HOOK_TRACEPOINT, TP(1));
    dbl.on_run = capture;
    mbpf_ctx_tracepoint_v1_t c = {.abi_version = 1, .data_len = 16, .read_fn = short_reader};
    int32_t rc;
    mbpf_run(rt, TP(1), &c, sizeof c, &rc);
    mbpf_runtime_drain(rt, 0);
    assert_int_equal(seen_tp.data_len, 6);
    assert_true(seen_tp.flags & MBPF_CTX_F_TRUNCATED);
    assert_memory_equal(seen_data, payload, 6);
    dbl.on_run = NULL;
}

static void test_deferred_custom_fields_are_copied(void **state)
{
    (void)state;
    attached("c", MBPF_HOOK_CUSTOM, CUSTOM);
    dbl.on_run = capture;
    mbpf_ctx_field_t fields[2] = {{"a", 1}, {"b", 2}};
    mbpf_ctx_custom_v1_t c = {.abi_version = 1,
                              .custom_id = 5,
                              .schema_version = 3,
                              .field_count = 2,
                              .fields = fields,
                              .data_len = 4,
                              .data = payload};
    int32_t rc;
    mbpf_run(rt, CUSTOM, &c, sizeof c, &rc);
    fields[0].value = 100;
    mbpf_runtime_drain(rt, 0);
    assert_int_equal(seen_custom.schema_version, 3);
    assert_int_equal(seen_custom.field_count, 2);
    assert_int_equal(seen_fields[0].value, 1);
    assert_string_equal(seen_fields[1].name, "b");
    assert_int_equal(seen_custom.data_len, 4);
    dbl.on_run = NULL;
}

static void test_deferred_queue_full_drops_and_counts(void **state)
{
    (void)state;
    mbpf_program_t *a = attached("a", MBPF_HOOK_TRACEPOINT, TP(1));
    mbpf_program_t *b = attached("b", MBPF_HOOK_TRACEPOINT, TP(1));
    mbpf_program_t *other = attached("o", MBPF_HOOK_TRACEPOINT, TP(2));
    mbpf_ctx_tracepoint_v1_t c = {.abi_version = 1};
    int32_t rc;
    long calls = atomic_load(&tp.calls);
    for (int i = 0; i < 6; i++) assert_int_equal(mbpf_run(rt, TP(1), &c, sizeof c, &rc), 0);
    mbpf_program_stats_t s;
    mbpf_program_stats(a, &s);
    assert_int_equal(s.deferred_drops, 2);
    assert_int_equal(s.invocations, 0);
    mbpf_program_stats(b, &s);
    assert_int_equal(s.deferred_drops, 2);
    mbpf_program_stats(other, &s);
    assert_int_equal(s.deferred_drops, 0);
    mbpf_runtime_stats_t rs;
    mbpf_runtime_stats(rt, &rs);
    assert_int_equal(rs.deferred_queued, 4);
    assert_int_equal(rs.deferred_dropped, 2);
    assert_int_equal(mbpf_runtime_drain(rt, 3), 3);
    assert_int_equal(mbpf_runtime_drain(rt, 0), 1);
    assert_int_equal(mbpf_runtime_drain(rt, 0), 0);
    assert_int_equal(atomic_load(&tp.calls), calls); /* enqueue and drain allocate nothing */
    mbpf_program_stats(a, &s);
    assert_int_equal(s.invocations, 4);
    assert_int_equal(s.successes, 4);
    mbpf_runtime_stats(rt, &rs);
    assert_int_equal(rs.deferred_run, 4);
    /* Room again. */
    assert_int_equal(mbpf_run(rt, TP(1), &c, sizeof c, &rc), 0);
    mbpf_runtime_stats(rt, &rs);
    assert_int_equal(rs.deferred_queued, 5);
}

static void test_deferred_hook_without_programs_queues_nothing(void **state)
{
    (void)state;
    mbpf_ctx_tracepoint_v1_t c = {.abi_version = 1};
    int32_t rc;
    assert_int_equal(mbpf_run(rt, TP(9), &c, sizeof c, &rc), 0);
    mbpf_runtime_stats_t rs;
    mbpf_runtime_stats(rt, &rs);
    assert_int_equal(rs.deferred_queued, 0);
}

static void test_deferred_config_still_rejects_invalid_ids(void **state)
{
    (void)state;
    mbpf_ctx_tracepoint_v1_t c = {.abi_version = 1};
    int32_t rc = 5;
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(0, 1), &c, sizeof c, &rc), MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 1), &c, sizeof c, &rc),
                     MBPF_E_INVALID_ARG);
    assert_int_equal(mbpf_run(rt, MBPF_HOOK_ID(MBPF_HOOK_TIMER, 2), &c, sizeof c, &rc),
                     MBPF_E_INVALID_ARG);
    assert_int_equal(rc, 0);
    mbpf_runtime_stats_t rs;
    mbpf_runtime_stats(rt, &rs);
    assert_int_equal(rs.deferred_queued, 0);
}

static void test_deferred_short_context_counts_mismatch_when_run(void **state)
{
    (void)state;
    mbpf_program_t *p = attached("t", MBPF_HOOK_TRACEPOINT, TP(1));
    mbpf_ctx_tracepoint_v1_t c = {.abi_version = 1};
    int32_t rc;
    mbpf_run(rt, TP(1), &c, 8, &rc);
    mbpf_run(rt, TP(1), NULL, 0, &rc);
    assert_int_equal(mbpf_runtime_drain(rt, 0), 2);
    mbpf_program_stats_t s;
    mbpf_program_stats(p, &s);
    assert_int_equal(s.ctx_mismatch, 2);
    assert_int_equal(atomic_load(&dbl.runs), 0);
}

static void test_deferred_drained_through_platform_defer_hook(void **state)
{
    (void)state;
    mbpf_runtime_shutdown(rt);
    mbpf_runtime_config_t c2 = cfg;
    c2.platform = tp_platform(1, 1, 1);
    rt = mbpf_runtime_init(&c2);
    assert_non_null(rt);
    attached("t", MBPF_HOOK_TRACEPOINT, TP(1));
    mbpf_ctx_tracepoint_v1_t c = {.abi_version = 1};
    int32_t rc;
    mbpf_run(rt, TP(1), &c, sizeof c, &rc);
    mbpf_run(rt, TP(1), &c, sizeof c, &rc);
    assert_int_equal(tp.defer_calls, 1); /* one pending work item is enough */
    assert_non_null(tp.defer_work);
    tp.defer_work(tp.defer_arg);
    assert_int_equal(atomic_load(&dbl.runs), 2);
    mbpf_run(rt, TP(1), &c, sizeof c, &rc);
    assert_int_equal(tp.defer_calls, 2);
    tp.defer_work(tp.defer_arg);
    assert_int_equal(atomic_load(&dbl.runs), 3);
}

static void test_drain_without_deferral_does_nothing(void **state)
{
    (void)state;
    mbpf_runtime_shutdown(rt);
    tk_config(&cfg, tp_platform(1, 1, 0));
    rt = mbpf_runtime_init(&cfg);
    assert_int_equal(mbpf_runtime_drain(rt, 0), 0);
    assert_int_equal(mbpf_runtime_drain(NULL, 0), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_deferred_snapshot_truncates_and_flags),
        T(test_deferred_snapshot_uses_read_fn_and_honours_short_reads),
        T(test_deferred_custom_fields_are_copied),
        T(test_deferred_queue_full_drops_and_counts),
        T(test_deferred_hook_without_programs_queues_nothing),
        T(test_deferred_config_still_rejects_invalid_ids),
        T(test_deferred_short_context_counts_mismatch_when_run),
        T(test_deferred_drained_through_platform_defer_hook),
        T(test_drain_without_deferral_does_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
