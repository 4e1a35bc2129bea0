/*
 * Hot swap: a replacement keeps maps whose definitions match (their values
 * survive) and recreates changed ones, takes over the old program's
 * attachments in place, runs the old program's fini, and leaves the old
 * program untouched when it fails.
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
#include "mbpf_map.h"
#include "rt_test_util.h"

#define NET_RX MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)

static mbpf_runtime_t *rt;
static mbpf_runtime_config_t cfg;
static mbpf_ctx_net_v1_t net = {.abi_version = 1};

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
    assert_int_equal(atomic_load(&dbl.creates), atomic_load(&dbl.destroys));
    return 0;
}

static uint8_t *package(const char *name, uint32_t cfg_value_size, const char *script, size_t *len)
{
    mbpf_manifest_t m;
    tk_manifest(&m, name, MBPF_HOOK_NET_RX);
    m.map_count = 2;
    m.maps[0] = (mbpf_map_def_t){"hits", MBPF_MAP_COUNTER, 0, 8, 4, 0};
    m.maps[1] = (mbpf_map_def_t){"cfg", MBPF_MAP_HASH, 4, cfg_value_size, 8, 0};
    return tk_build(&m, script, NULL, len);
}

static mbpf_program_t *load(const char *name, uint32_t vsize, const char *script)
{
    size_t len;
    uint8_t *pkg = package(name, vsize, script, &len);
    mbpf_program_t *p = NULL;
    int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
    free(pkg);
    if (rc) fail_msg("load: %s", mbpf_last_error(rt));
    return p;
}

static int32_t run_net(void)
{
    int32_t rc = -99;
    assert_int_equal(mbpf_run(rt, NET_RX, &net, sizeof net, &rc), 0);
    return rc;
}

static void test_replace_keeps_matching_maps_and_recreates_changed(void **state)
{
    (void)state;
    mbpf_program_t *old = load("filter", 4, "ret=0 count=hits");
    assert_int_equal(mbpf_program_attach(rt, old, NET_RX), 0);
    run_net();
    run_net();
    struct mbpf_map *hits = mbpf_program_map(old, "hits");
    uint64_t v = 0;
    assert_int_equal(mbpf_map_counter_get(hits, 0, &v), 0);
    assert_int_equal(v, 2);
    uint32_t k = 7, val = 0xABCD;
    assert_int_equal(mbpf_map_update(mbpf_program_map(old, "cfg"), &k, 4, &val, 4, 0), 0);

    size_t len;
    uint8_t *pkg = package("filter", 8, "ret=1 count=hits", &len);
    mbpf_program_t *np = NULL;
    assert_int_equal(mbpf_program_replace(rt, old, pkg, len, NULL, &np), 0);
    free(pkg);
    assert_int_equal(atomic_load(&dbl.finis), 1);         /* old's fini ran */
    assert_ptr_equal(mbpf_program_map(np, "hits"), hits); /* same map, same values */
    assert_int_equal(mbpf_map_counter_get(mbpf_program_map(np, "hits"), 0, &v), 0);
    assert_int_equal(v, 2);
    struct mbpf_map *cfgmap = mbpf_program_map(np, "cfg");
    assert_int_equal(mbpf_map_count(cfgmap), 0); /* value_size changed: a new map */
    /* The new program took the attachment. */
    assert_int_equal(run_net(), 1);
    assert_int_equal(mbpf_map_counter_get(mbpf_program_map(np, "hits"), 0, &v), 0);
    assert_int_equal(v, 3);
    mbpf_program_info_t info;
    mbpf_program_info(np, &info);
    assert_int_equal(info.attach_count, 1);
    assert_int_equal(mbpf_program_list(rt, NULL, 0), 1);
    assert_ptr_equal(mbpf_program_find(rt, "filter"), np);
}

static void test_replace_keeps_attach_position(void **state)
{
    (void)state;
    mbpf_program_t *a = load("a", 4, "ret=0");
    mbpf_program_t *b = load("b", 4, "ret=2");
    mbpf_program_t *c = load("c", 4, "ret=0");
    mbpf_program_attach(rt, a, NET_RX);
    mbpf_program_attach(rt, b, NET_RX);
    mbpf_program_attach(rt, c, NET_RX);
    assert_int_equal(run_net(), 2); /* the first non-PASS verdict */
    size_t len;
    uint8_t *pkg = package("b", 4, "ret=3", &len);
    mbpf_program_t *nb;
    assert_int_equal(mbpf_program_replace(rt, b, pkg, len, NULL, &nb), 0);
    free(pkg);
    assert_int_equal(run_net(), 3); /* still between a and c */
    mbpf_program_detach(rt, a, NET_RX);
    size_t len2;
    pkg = package("a", 4, "ret=4", &len2);
    mbpf_program_t *na;
    assert_int_equal(mbpf_program_replace(rt, a, pkg, len2, NULL, &na), 0);
    free(pkg);
    assert_int_equal(mbpf_program_attach(rt, na, NET_RX), 0); /* now last */
    assert_int_equal(run_net(), 3);
}

static void test_load_with_replace_flag_swaps_by_name(void **state)
{
    (void)state;
    mbpf_program_t *old = load("same", 4, "ret=0");
    mbpf_program_attach(rt, old, NET_RX);
    size_t len;
    uint8_t *pkg = package("same", 4, "ret=1", &len);
    mbpf_program_t *np;
    assert_int_equal(mbpf_program_load(rt, pkg, len, NULL, &np), MBPF_E_EXISTS);
    mbpf_load_opts_t opts = {MBPF_LOAD_F_REPLACE};
    assert_int_equal(mbpf_program_load(rt, pkg, len, &opts, &np), 0);
    free(pkg);
    assert_int_equal(run_net(), 1);
    assert_int_equal(mbpf_program_list(rt, NULL, 0), 1);
    /* With no such name, the flag is a plain load. */
    pkg = package("fresh", 4, "ret=0", &len);
    assert_int_equal(mbpf_program_load(rt, pkg, len, &opts, &np), 0);
    free(pkg);
    assert_int_equal(mbpf_program_list(rt, NULL, 0), 2);
}

static void test_failed_replace_leaves_old_program_running(void **state)
{
    (void)state;
    mbpf_program_t *old = load("keep", 4, "ret=1 count=hits");
    mbpf_program_attach(rt, old, NET_RX);
    run_net();
    long live = tp_live();
    size_t len;
    uint8_t *pkg = package("keep", 4, "init=throw", &len);
    mbpf_program_t *np = (mbpf_program_t *)1;
    assert_int_equal(mbpf_program_replace(rt, old, pkg, len, NULL, &np), MBPF_E_PROGRAM_INIT);
    free(pkg);
    assert_null(np);
    assert_int_equal(tp_live(), live);
    assert_int_equal(atomic_load(&dbl.finis), 0);
    assert_int_equal(run_net(), 1);
    uint64_t v;
    mbpf_map_counter_get(mbpf_program_map(old, "hits"), 0, &v);
    assert_int_equal(v, 2);

    /* Hook type mismatch. */
    mbpf_manifest_t m;
    tk_manifest(&m, "keep", MBPF_HOOK_SECURITY);
    pkg = tk_build(&m, "", NULL, &len);
    assert_int_equal(mbpf_program_replace(rt, old, pkg, len, NULL, &np), MBPF_E_HOOK_MISMATCH);
    assert_string_equal(mbpf_last_error(rt),
                        "replace: hook_type SECURITY differs from program 'keep' (NET_RX)");
    free(pkg);
    /* Name of a third program. */
    load("third", 4, "");
    pkg = package("third", 4, "", &len);
    assert_int_equal(mbpf_program_replace(rt, old, pkg, len, NULL, &np), MBPF_E_EXISTS);
    free(pkg);
    assert_int_equal(run_net(), 1);
}

static void test_replace_of_unloaded_program_fails(void **state)
{
    (void)state;
    mbpf_program_t *p = load("gone", 4, "");
    static _Alignas(16) char bogus_mem[256];
    mbpf_program_t *bogus = (mbpf_program_t *)(void *)bogus_mem;
    size_t len;
    uint8_t *pkg = package("gone", 4, "", &len);
    mbpf_program_t *np;
    assert_int_equal(mbpf_program_replace(rt, bogus, pkg, len, NULL, &np), MBPF_E_NOT_FOUND);
    assert_int_equal(mbpf_program_unload(rt, bogus), MBPF_E_NOT_FOUND);
    free(pkg);
    (void)p;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_replace_keeps_matching_maps_and_recreates_changed),
        T(test_replace_keeps_attach_position),
        T(test_load_with_replace_flag_swaps_by_name),
        T(test_failed_replace_leaves_old_program_running),
        T(test_replace_of_unloaded_program_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
