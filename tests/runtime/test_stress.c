/*
 * Several simulated CPUs (one thread each, CPU id from a thread-local) run
 * events on one hook while a control thread attaches, detaches, replaces
 * and unloads programs on the same hook. Checks: no nested entries (each
 * CPU has its own instance), every event ends in a valid verdict, the
 * permanent program's counter map equals its successes, everything is
 * freed at the end. Run under ThreadSanitizer for the memory model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>

#include "exec_double.h"
#include "mbpf_ctx.h"
#include "mbpf_map.h"
#include "rt_test_util.h"

#define NET_RX MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)
#define CPUS   4
#define EVENTS 20000
#define ROUNDS 150

static mbpf_runtime_t *rt;
static atomic_int stop;
static atomic_int rounds; /* control rounds completed */
static atomic_long bad_verdicts;
static atomic_long events_run;
static atomic_int churn_seen; /* a churned program ran an event */

/* Runners go on past EVENTS until a churned program has been seen running,
 * so the overlap of swaps and events does not depend on scheduling; the
 * bound keeps a runtime that never runs attached programs from hanging. */
#define MAX_EVENTS (EVENTS * 500)

static uint8_t *package(const char *name, const char *script, size_t *len)
{
    mbpf_manifest_t m;
    tk_manifest(&m, name, MBPF_HOOK_NET_RX);
    m.map_count = 1;
    m.maps[0] = (mbpf_map_def_t){"hits", MBPF_MAP_COUNTER, 0, 8, 1, 0};
    return tk_build(&m, script, NULL, len);
}

static mbpf_program_t *load(const char *name, const char *script)
{
    size_t len;
    uint8_t *pkg = package(name, script, &len);
    mbpf_program_t *p = NULL;
    int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
    free(pkg);
    return rc == 0 ? p : NULL;
}

static void *runner(void *arg)
{
    tp_cpu = (uint32_t)(uintptr_t)arg;
    mbpf_ctx_net_v1_t ctx = {.abi_version = 1};
    while (atomic_load(&rounds) < 2) { /* start once the control thread churns */
    }
    for (int i = 0; i < EVENTS || (!atomic_load(&churn_seen) && i < MAX_EVENTS); i++) {
        int32_t rc = -1;
        if (mbpf_run(rt, NET_RX, &ctx, sizeof ctx, &rc) != 0 || rc < 0 || rc > 2)
            atomic_fetch_add(&bad_verdicts, 1);
        atomic_fetch_add(&events_run, 1);
    }
    return NULL;
}

static void *control(void *arg)
{
    (void)arg;
    tp_cpu = 0;
    for (int r = 0; r < ROUNDS || !atomic_load(&stop); r++) {
        mbpf_program_t *p = load("churn", r & 1 ? "ret=1 count=hits" : "ret=2 count=hits");
        if (!p || mbpf_program_attach(rt, p, NET_RX) != 0) abort();
        size_t len;
        uint8_t *pkg = package("churn", "ret=0 count=hits", &len);
        mbpf_program_t *np;
        if (mbpf_program_replace(rt, p, pkg, len, NULL, &np) != 0) abort();
        free(pkg);
        if (r % 3 == 0 && mbpf_program_detach(rt, np, NET_RX) != 0) abort();
        mbpf_program_stats_t cs;
        if (mbpf_program_stats(np, &cs) == 0 && cs.invocations > 0) atomic_store(&churn_seen, 1);
        if (mbpf_program_unload(rt, np) != 0) abort();
        atomic_fetch_add(&rounds, 1);
    }
    return NULL;
}

static void test_parallel_runs_with_attach_detach_and_swap(void **state)
{
    (void)state;
    dbl_reset();
    mbpf_runtime_config_t cfg;
    tk_config(&cfg, tp_platform(CPUS, 1, 0));
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
    mbpf_program_t *perm = load("perm", "ret=0 count=hits");
    assert_non_null(perm);
    assert_int_equal(mbpf_program_attach(rt, perm, NET_RX), 0);

    pthread_t th[CPUS], ctl;
    for (uintptr_t i = 0; i < CPUS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, runner, (void *)i), 0);
    assert_int_equal(pthread_create(&ctl, NULL, control, NULL), 0);
    for (int i = 0; i < CPUS; i++) pthread_join(th[i], NULL);
    atomic_store(&stop, 1);
    pthread_join(ctl, NULL);

    assert_int_equal(atomic_load(&bad_verdicts), 0);
    mbpf_program_stats_t s;
    assert_int_equal(mbpf_program_stats(perm, &s), 0);
    assert_int_equal(s.invocations, (uint64_t)atomic_load(&events_run));
    assert_true(s.invocations >= (uint64_t)CPUS * EVENTS);
    assert_int_equal(s.successes, s.invocations);
    assert_int_equal(s.nested, 0);
    uint64_t hits = 0;
    assert_int_equal(mbpf_map_counter_get(mbpf_program_map(perm, "hits"), 0, &hits), 0);
    assert_int_equal(hits, s.successes);
    /* The churned programs ran too: swaps really overlapped with events. */
    assert_int_equal(atomic_load(&churn_seen), 1);
    assert_true((uint64_t)atomic_load(&dbl.runs) > s.successes);
    assert_int_equal(mbpf_program_list(rt, NULL, 0), 1);
    mbpf_runtime_shutdown(rt);
    assert_int_equal(tp_live(), 0);
    assert_int_equal(atomic_load(&dbl.creates), atomic_load(&dbl.destroys));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_runs_with_attach_detach_and_swap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
