/* Heap, GC, refs and out-of-memory behaviour of the ujs engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ujs.h"

static uintptr_t mem[(256 << 10) / sizeof(uintptr_t)];

static ujs_ctx *new_ctx(size_t size)
{
    ujs_ctx *ctx = ujs_new_context(mem, size, NULL);
    assert_non_null(ctx);
    return ctx;
}

static void check_str(ujs_ctx *ctx, ujs_value v, const char *want)
{
    char buf[256];
    size_t len;
    assert_int_equal(ujs_to_cstring(ctx, v, buf, sizeof buf, &len), UJS_OK);
    assert_string_equal(buf, want);
}

static void test_context_creation_uses_under_100_bytes_of_heap(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(4096);
    ujs_mem_stats ms;
    ujs_get_mem_stats(ctx, &ms);
    assert_true(ms.heap_used <= 100);
    assert_int_equal(ms.buffer_size, 4096);
}

static void test_context_rejects_tiny_buffer(void **state)
{
    (void)state;
    assert_null(ujs_new_context(mem, 64, NULL));
}

static void test_trivial_script_runs_in_goal_buffer(void **state)
{
    (void)state;
    /* the memory goal: 2 KiB on 32-bit, 3 KiB on 64-bit */
    size_t size = sizeof(void *) == 4 ? 2048 : 3072;
    ujs_ctx *ctx = new_ctx(size);
    ujs_value r;
    assert_int_equal(ujs_eval(ctx, "var x = 1 + 2;", 14, "t.js", &r), UJS_OK);
    ujs_value x;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "x", &x), UJS_OK);
    check_str(ctx, x, "3");
}

static void test_scoped_ref_survives_moving_gc(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(16 << 10);
    ujs_value garbage, s;
    ujs_ref g, r;
    assert_int_equal(ujs_new_string(ctx, "garbage first", 13, &garbage), UJS_OK);
    ujs_add_ref(ctx, &g, garbage); /* alive until "kept" exists behind it */
    assert_int_equal(ujs_new_string(ctx, "kept", 4, &s), UJS_OK);
    ujs_push_ref(ctx, &r, s);
    s = r.val;
    ujs_remove_ref(ctx, &g);
    ujs_gc(ctx);
    assert_true(r.val != s); /* the unreferenced string before it was compacted away */
    check_str(ctx, r.val, "kept");
    ujs_pop_ref(ctx, &r);
}

#ifdef UJS_GC_STRESS
/* The stress build moves every live object at every allocation, also one
 * with no garbage below it (the global object is the first block): C code
 * holding a raw value across an allocation fails there. The raw values
 * here are only compared, never used. */
static void test_stress_gc_moves_every_object_at_every_allocation(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(16 << 10);
    ujs_value o;
    ujs_ref r;
    assert_int_equal(ujs_new_object(ctx, &o), UJS_OK);
    ujs_push_ref(ctx, &r, o);
    for (int i = 0; i < 4; i++) {
        ujs_value g = ujs_get_global_object(ctx), before = r.val, tmp;
        assert_int_equal(ujs_new_object(ctx, &tmp), UJS_OK);
        assert_true(ujs_get_global_object(ctx) != g);
        assert_true(r.val != before);
    }
    ujs_pop_ref(ctx, &r);
}
#endif

static void test_persistent_refs_keep_objects_alive_in_any_order(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(16 << 10);
    ujs_ref a, b;
    ujs_value v;
    assert_int_equal(ujs_new_object(ctx, &v), UJS_OK);
    ujs_add_ref(ctx, &a, v);
    assert_int_equal(ujs_set_property(ctx, a.val, "n", ujs_new_int32(ctx, 7)), UJS_OK);
    assert_int_equal(ujs_new_string(ctx, "second", 6, &v), UJS_OK);
    ujs_add_ref(ctx, &b, v);
    ujs_remove_ref(ctx, &a);
    ujs_gc(ctx);
    check_str(ctx, b.val, "second");
    ujs_remove_ref(ctx, &b);
}

static void test_gc_reclaims_garbage_and_counts(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(64 << 10);
    const char *src =
        "for (var i = 0; i < 2000; i++) { var o = {a: i, b: [i, i + 1], s: 'x' + i}; }";
    ujs_mem_stats before, after;
    ujs_get_mem_stats(ctx, &before);
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "churn.js", NULL), UJS_OK);
    ujs_gc(ctx);
    ujs_get_mem_stats(ctx, &after);
    assert_true(after.gc_count > before.gc_count + 1);
    assert_true(after.heap_used < 4096);
}

static void test_oom_stops_call_and_context_stays_usable(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(8 << 10);
    const char *bomb = "var a = []; while (true) a.push('x' + a.length);";
    ujs_value r;
    assert_int_equal(ujs_eval(ctx, bomb, strlen(bomb), "bomb.js", &r), UJS_ENOMEM);
    /* the array stays reachable from the global `a`: drop it, then memory comes back */
    const char *drop = "a = null; var ok = 6 * 7;";
    assert_int_equal(ujs_eval(ctx, drop, strlen(drop), "after.js", &r), UJS_OK);
    ujs_gc(ctx);
    ujs_mem_stats ms;
    ujs_get_mem_stats(ctx, &ms);
    assert_true(ms.heap_used < 2048);
    ujs_value ok;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "ok", &ok), UJS_OK);
    check_str(ctx, ok, "42");
}

static void test_oom_is_not_catchable_by_js(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(8 << 10);
    const char *src = "var caught = false; try { var a = []; for (;;) a.push([a.length]); }"
                      " catch (e) { caught = true; } finally { caught = true; }";
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "t.js", NULL), UJS_ENOMEM);
    ujs_value c;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "caught", &c), UJS_OK);
    assert_true(c == UJS_FALSE);
}

static void test_deep_recursion_is_range_error_and_recovers(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx(64 << 10);
    const char *src = "function f(n) { return f(n + 1) + 1; } f(0);";
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "deep.js", NULL), UJS_EEXCEPTION);
    ujs_value e = ujs_get_exception(ctx);
    check_str(ctx, e, "RangeError: stack overflow");
    const char *again = "function g(n) { return n ? g(n - 1) + 1 : 0; } var r = g(50);";
    assert_int_equal(ujs_eval(ctx, again, strlen(again), "again.js", NULL), UJS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_creation_uses_under_100_bytes_of_heap),
        cmocka_unit_test(test_context_rejects_tiny_buffer),
        cmocka_unit_test(test_trivial_script_runs_in_goal_buffer),
#ifdef UJS_GC_STRESS
        cmocka_unit_test(test_stress_gc_moves_every_object_at_every_allocation),
#endif
        cmocka_unit_test(test_scoped_ref_survives_moving_gc),
        cmocka_unit_test(test_persistent_refs_keep_objects_alive_in_any_order),
        cmocka_unit_test(test_gc_reclaims_garbage_and_counts),
        cmocka_unit_test(test_oom_stops_call_and_context_stays_usable),
        cmocka_unit_test(test_oom_is_not_catchable_by_js),
        cmocka_unit_test(test_deep_recursion_is_range_error_and_recovers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
