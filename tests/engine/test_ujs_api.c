/* The ujs embedding API: calls, properties, C functions, errors, interrupts,
 * compile errors and stack traces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <string.h>

#include "ujs.h"

static uintptr_t mem[(128 << 10) / sizeof(uintptr_t)];

static ujs_value add_data(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                          ujs_value data)
{
    (void)this_val;
    int32_t a = 0, d = 0;
    if (argc > 0 && ujs_to_int32(ctx, argv[0], &a)) return UJS_EXCEPTION;
    if (ujs_to_int32(ctx, data, &d)) return UJS_EXCEPTION;
    return ujs_new_int32(ctx, a + d);
}

static ujs_value fail_type(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                           ujs_value data)
{
    (void)this_val;
    (void)argc;
    (void)argv;
    (void)data;
    return ujs_throw_type_error(ctx, "bad %s #%d", "thing", 3);
}

static const ujs_cfunc_def globals[] = {{"failType", fail_type, 0}, {NULL, NULL, 0}};

static ujs_ctx *new_ctx(void)
{
    ujs_ctx *ctx = ujs_new_context(mem, sizeof mem, globals);
    assert_non_null(ctx);
    return ctx;
}

static void check_str(ujs_ctx *ctx, ujs_value v, const char *want)
{
    char buf[512];
    size_t len;
    assert_int_equal(ujs_to_cstring(ctx, v, buf, sizeof buf, &len), UJS_OK);
    assert_string_equal(buf, want);
}

static int eval(ujs_ctx *ctx, const char *src, ujs_value *r)
{
    return ujs_eval(ctx, src, strlen(src), "test.js", r);
}

static void test_call_js_function_with_arguments(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    assert_int_equal(eval(ctx, "function add(a, b) { return a + b; }", NULL), UJS_OK);
    ujs_value f, r;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "add", &f), UJS_OK);
    assert_true(ujs_is_function(ctx, f));
    ujs_value args[2] = {ujs_new_int32(ctx, 40), ujs_new_int32(ctx, 2)};
    assert_int_equal(ujs_call(ctx, f, UJS_UNDEFINED, 2, args, &r), UJS_OK);
    check_str(ctx, r, "42");
}

static void test_cfunction_receives_data_word(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value f, r;
    assert_int_equal(ujs_new_cfunction(ctx, add_data, "addData", 1, ujs_new_int32(ctx, 100), &f),
                     UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "addData", f), UJS_OK);
    assert_int_equal(eval(ctx, "addData(5) + ':' + addData.name + ':' + addData.length", &r),
                     UJS_OK);
    /* ujs_eval returns undefined for a script: read the result through a global */
    assert_int_equal(eval(ctx, "var out = addData(5) + ':' + addData.name;", NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "out", &r), UJS_OK);
    check_str(ctx, r, "105:addData");
}

static void test_c_thrown_type_error_is_catchable_with_message(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value r;
    assert_int_equal(eval(ctx,
                          "var m; try { failType(); } catch (e) { m = (e instanceof "
                          "TypeError) + ' ' + e.message; }",
                          NULL),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "m", &r), UJS_OK);
    check_str(ctx, r, "true bad thing #3");
}

static void test_properties_by_name_and_index(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_ref arr;
    ujs_value v;
    assert_int_equal(ujs_new_array(ctx, &v), UJS_OK);
    ujs_push_ref(ctx, &arr, v);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(ujs_set_index(ctx, arr.val, i, ujs_new_int32(ctx, (int32_t)(i * i))),
                         UJS_OK);
    assert_int_equal(ujs_get_index(ctx, arr.val, 3, &v), UJS_OK);
    check_str(ctx, v, "9");
    assert_int_equal(ujs_get_property(ctx, arr.val, "length", &v), UJS_OK);
    check_str(ctx, v, "5");
    /* writing past the end would make a hole */
    assert_int_equal(ujs_set_index(ctx, arr.val, 7, UJS_TRUE), UJS_EEXCEPTION);
    check_str(ctx, ujs_get_exception(ctx), "TypeError: array index 7 out of bounds (no holes)");
    ujs_pop_ref(ctx, &arr);
}

static void test_u8array_shim_gives_raw_bytes(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value u, r;
    assert_int_equal(eval(ctx, "var u = new Uint8Array(4); u[0] = 1; u[3] = 300;", NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "u", &u), UJS_OK);
    assert_true(ujs_is_u8array(ctx, u));
    assert_int_equal(ujs_u8array_len(ctx, u), 4);
    uint8_t *d = ujs_u8array_data(ctx, u);
    assert_int_equal(d[0], 1);
    assert_int_equal(d[3], 44);
    d[1] = 200;
    assert_int_equal(eval(ctx, "var b = u[1];", NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "b", &r), UJS_OK);
    check_str(ctx, r, "200");
    assert_false(ujs_is_u8array(ctx, ujs_get_global_object(ctx)));
    assert_null(ujs_u8array_data(ctx, UJS_NULL));
    /* the exact-size check: the bytes only at the right length */
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "u", &u), UJS_OK);
    assert_ptr_equal(ujs_u8array_exact(ctx, u, 4), ujs_u8array_data(ctx, u));
    assert_null(ujs_u8array_exact(ctx, u, 3));
    assert_null(ujs_u8array_exact(ctx, u, 5));
    assert_null(ujs_u8array_exact(ctx, ujs_get_global_object(ctx), 0));
    assert_null(ujs_u8array_exact(ctx, ujs_new_int32(ctx, 4), 4));
}

static void test_compile_error_reports_file_line_col(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    const char *src = "var a = 1;\nvar b = (2 + ;\n";
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "bad.js", NULL), UJS_EEXCEPTION);
    check_str(ctx, ujs_get_exception(ctx), "SyntaxError: bad.js:2:14: unexpected token");
}

static void test_runtime_error_stack_names_functions_and_lines(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    const char *src =
        "function inner() {\n  null.x;\n}\nfunction outer() {\n  inner();\n}\nouter();\n";
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "st.js", NULL), UJS_EEXCEPTION);
    ujs_value e = ujs_get_exception(ctx), st;
    ujs_ref er;
    ujs_push_ref(ctx, &er, e);
    assert_int_equal(ujs_get_property(ctx, er.val, "stack", &st), UJS_OK);
    check_str(ctx, st,
              "    at inner (st.js:2)\n    at outer (st.js:5)\n    at <anonymous> (st.js:7)");
    ujs_pop_ref(ctx, &er);
}

static bool stop_now(ujs_ctx *ctx, void *opaque)
{
    (void)ctx;
    int *calls = opaque;
    return ++*calls >= 3;
}

static void test_interrupt_stops_infinite_loop_uncatchably(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    int calls = 0;
    ujs_set_interrupt_handler(ctx, stop_now, &calls, 1000);
    const char *src =
        "var fin = 0; try { for (;;) {} } catch (e) { fin = 1; } finally { fin = 2; }";
    assert_int_equal(eval(ctx, src, NULL), UJS_EINTERRUPTED);
    assert_int_equal(calls, 3);
    ujs_set_interrupt_handler(ctx, NULL, NULL, 0);
    ujs_value r;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "fin", &r), UJS_OK);
    check_str(ctx, r, "0");
    assert_int_equal(eval(ctx, "var after = 1;", NULL), UJS_OK);
}

static void test_interrupt_counts_calls(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    int calls = 0;
    ujs_set_interrupt_handler(ctx, stop_now, &calls, 1);
    /* no backward jumps: only the calls reach the handler */
    assert_int_equal(eval(ctx, "function f() {} f(); f(); f(); f();", NULL), UJS_EINTERRUPTED);
    assert_int_equal(calls, 3);
}

static void test_assignment_to_undeclared_global_is_reference_error(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    assert_int_equal(eval(ctx, "undeclared = 1;", NULL), UJS_EEXCEPTION);
    check_str(ctx, ujs_get_exception(ctx), "ReferenceError: undeclared is not defined");
}

static void test_value_boxing_is_type_error(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    assert_int_equal(eval(ctx, "new Number(1);", NULL), UJS_EEXCEPTION);
    check_str(ctx, ujs_get_exception(ctx),
              "TypeError: primitive wrapper objects are not supported");
}

static void test_number_formatting_round_trips(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    static const struct {
        double d;
        const char *s;
    } cases[] = {
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {1e21, "1e+21"},
        {1e-7, "1e-7"},
        {123456789.125, "123456789.125"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {-2.5, "-2.5"},
        {1842737342511367.25, "1842737342511367.2"}, /* a tie: the even digit */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ujs_value v;
        assert_int_equal(ujs_new_number(ctx, cases[i].d, &v), UJS_OK);
        ujs_ref rv; /* ToString allocates: the boxed number moves */
        ujs_push_ref(ctx, &rv, v);
        check_str(ctx, rv.val, cases[i].s);
        double back;
        ujs_value s;
        char buf[64];
        assert_int_equal(ujs_to_cstring(ctx, rv.val, buf, sizeof buf, NULL), UJS_OK);
        ujs_pop_ref(ctx, &rv);
        assert_int_equal(ujs_new_string(ctx, buf, strlen(buf), &s), UJS_OK);
        assert_int_equal(ujs_to_number(ctx, s, &back), UJS_OK);
        assert_true(back == cases[i].d);
    }
}

static void test_exception_thrown_in_catch_block_propagates(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    /* regression: a throw inside a catch block without finally jumped to a
     * never-patched handler */
    assert_int_equal(eval(ctx,
                          "var r = 0; try { try { throw 1; } catch (e) { throw e + 1; } }"
                          " catch (f) { r = f; }",
                          NULL),
                     UJS_OK);
    ujs_value r;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "r", &r), UJS_OK);
    check_str(ctx, r, "2");
}

static void test_small_heap_compile_keeps_names_across_gc(void **state)
{
    (void)state;
    /* regression: names held raw across allocations in the compiler went
     * stale when a collection moved them (seen with a 16 KiB heap) */
    static uintptr_t small[(12 << 10) / sizeof(uintptr_t)];
    ujs_ctx *ctx = ujs_new_context(small, sizeof small, NULL);
    assert_non_null(ctx);
    const char *src =
        "function makeCounter(start) { var n = start;"
        " return { inc: function () { return ++n; }, get: function () { return n; } }; }"
        "var c = makeCounter(5); c.inc(); c.inc();"
        "for (var i = 0, s = ''; i < 40; i++) s += 'x' + i;"
        "var out = c.get() + ':' + s.length;";
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "small.js", NULL), UJS_OK);
    ujs_value r;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "out", &r), UJS_OK);
    check_str(ctx, r, "7:110");
}

static void test_number_parsing_is_correctly_rounded(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    /* regression: more than 19 significant digits overflowed the mantissa */
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"62825318439530752111e261", "6.282531843953075e+280"},
        {"0.1000000000000000055511151231257827021181583404541015625", "0.1"},
        {"2.4703282292062328e-324", "5e-324"},
        {"9007199254740993", "9007199254740992"},
        {"  0x1F  ", "31"},
        {"1e400", "Infinity"},
        {"12abc", "NaN"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ujs_value s, v;
        double d;
        assert_int_equal(ujs_new_string(ctx, cases[i].in, strlen(cases[i].in), &s), UJS_OK);
        assert_int_equal(ujs_to_number(ctx, s, &d), UJS_OK);
        assert_int_equal(ujs_new_number(ctx, d, &v), UJS_OK);
        check_str(ctx, v, cases[i].out);
    }
}

static void test_large_integers_keep_int32_semantics_in_bitwise_ops(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    /* regression guard for the 53-bit small integers of 64-bit builds */
    const char *src = "var b = 4294967296 * 3 + 5, x = 9007199254740991;"
                      "var out = [b | 0, b & 255, b >> 1, b >>> 1, ~b, b << 1, x + 2, (x + 1) | 0,"
                      " [1, 2][4294967297], 123456789 * 987654321].join(' ');";
    assert_int_equal(eval(ctx, src, NULL), UJS_OK);
    ujs_value r;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "out", &r), UJS_OK);
    check_str(ctx, r, "5 5 2 2 -6 10 9007199254740992 0  121932631112635260");
}

/* ---- host classes ---- */

typedef struct blob {
    const uint8_t *data;
    int32_t len;
} blob;

static int finalized;

static bool in_callback;

static bool stop_in_callback(ujs_ctx *ctx, void *opaque)
{
    (void)ctx;
    (void)opaque;
    return in_callback;
}

/* A C function that calls back into JS and ignores the failure status. */
static ujs_value call_back(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                           ujs_value data)
{
    (void)this_val;
    (void)data;
    ujs_value r;
    in_callback = true;
    if (argc > 0) (void)ujs_call(ctx, argv[0], UJS_UNDEFINED, 0, NULL, &r);
    in_callback = false;
    return UJS_UNDEFINED;
}

static void test_interrupt_inside_native_callback_stops_outer_call(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value f;
    assert_int_equal(ujs_new_cfunction(ctx, call_back, "callBack", 1, UJS_UNDEFINED, &f), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "callBack", f), UJS_OK);
    ujs_set_interrupt_handler(ctx, stop_in_callback, NULL, 1);
    /* the callback's inner loop is interrupted; the outer script must not go on */
    assert_int_equal(
        eval(ctx, "var after = 0; callBack(function () { for (;;) {} }); after = 1;", NULL),
        UJS_EINTERRUPTED);
    ujs_set_interrupt_handler(ctx, NULL, NULL, 0);
    ujs_value r;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "after", &r), UJS_OK);
    check_str(ctx, r, "0");
}

/* A C function that stops the program once it has been called twice. */
static ujs_value abort_third(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                             ujs_value data)
{
    (void)this_val;
    (void)argc;
    (void)argv;
    (void)data;
    static int calls;
    if (++calls >= 3) {
        calls = 0;
        return ujs_abort(ctx);
    }
    return UJS_UNDEFINED;
}

static void test_abort_from_c_is_uncatchable_and_context_stays_usable(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value f;
    assert_int_equal(ujs_new_cfunction(ctx, abort_third, "budget", 0, UJS_UNDEFINED, &f), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "budget", f), UJS_OK);
    const char *src = "var n = 0, fin = 0;"
                      "function g() { try { for (;;) { budget(); n++; } } finally { fin = 1; } }"
                      "try { g(); } catch (e) { fin = 2; } finally { fin = 3; }";
    assert_int_equal(eval(ctx, src, NULL), UJS_EINTERRUPTED);
    ujs_value r;
    assert_int_equal(eval(ctx, "var res = n * 10 + fin;", NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "res", &r), UJS_OK);
    check_str(ctx, r, "20");
    assert_int_equal(ujs_get_exception(ctx), UJS_UNDEFINED);
    /* through a nested ujs_call too: the outer call stops, not just the inner one */
    assert_int_equal(eval(ctx, "budget(); budget();", NULL), UJS_OK);
    assert_int_equal(ujs_new_cfunction(ctx, call_back, "callBack", 1, UJS_UNDEFINED, &f), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "callBack", f), UJS_OK);
    assert_int_equal(eval(ctx, "var k = 0; callBack(function () { budget(); }); k = 1;", NULL),
                     UJS_EINTERRUPTED);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "k", &r), UJS_OK);
    check_str(ctx, r, "0");
}

static ujs_value blob_read_u8(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                              ujs_value data);
static ujs_value blob_len(ujs_ctx *ctx, ujs_value this_val, void *opaque)
{
    (void)ctx;
    (void)this_val;
    return ujs_new_int32(ctx, ((blob *)opaque)->len);
}
static void blob_finalize(void *opaque)
{
    (void)opaque;
    finalized++;
}
static const ujs_cfunc_def blob_methods[] = {{"readU8", blob_read_u8, 1}, {NULL, NULL, 0}};
static const ujs_host_prop_def blob_props[] = {{"len", blob_len}, {NULL, NULL}};
static const ujs_class_def blob_class = {"Blob", blob_methods, blob_props, blob_finalize};

static ujs_value blob_read_u8(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                              ujs_value data)
{
    (void)data;
    blob *b = ujs_get_host_opaque(ctx, this_val, &blob_class);
    if (!b) return ujs_throw_type_error(ctx, "not a Blob");
    int32_t off = 0;
    if (argc > 0 && ujs_to_int32(ctx, argv[0], &off)) return UJS_EXCEPTION;
    if (off < 0 || off >= b->len) return ujs_throw_range_error(ctx, "offset %d out of range", off);
    return ujs_new_int32(ctx, b->data[off]);
}

static void test_host_object_methods_and_props_without_allocation(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    static const uint8_t d1[] = {0xFF, 7}, d2[] = {1, 2, 3};
    blob b = {d1, 2};
    ujs_value o, f, r;
    assert_int_equal(ujs_new_host_object(ctx, &blob_class, &b, &o), UJS_OK);
    ujs_ref ro;
    ujs_push_ref(ctx, &ro, o);
    assert_int_equal(
        eval(ctx, "function prog(ctx) { return ctx.readU8(0) === 0xFF ? ctx.len : -1; }", NULL),
        UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "prog", &f), UJS_OK);
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, f);
    ujs_gc(ctx);
    ujs_mem_stats before, after;
    ujs_get_mem_stats(ctx, &before);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 1, &ro.val, &r), UJS_OK);
        assert_true(r == ujs_new_int32(ctx, 2)); /* small ints are immediate */
    }
    ujs_get_mem_stats(ctx, &after);
    assert_int_equal(after.heap_used, before.heap_used);
    assert_int_equal(after.gc_count, before.gc_count);
    /* re-pointed at another blob: no new object */
    blob b2 = {d2, 3};
    assert_int_equal(ujs_set_host_opaque(ctx, ro.val, &blob_class, &b2), UJS_OK);
    assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 1, &ro.val, &r), UJS_OK);
    check_str(ctx, r, "-1");
    /* read-only to JS, errors from C are catchable */
    assert_int_equal(eval(ctx, "var t = 0;", NULL), UJS_OK);
    /* the global object moves too: re-read it after every allocation */
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "blob", ro.val), UJS_OK);
    assert_int_equal(eval(ctx,
                          "var m; try { blob.len = 5; } catch (e) { m = e.name; }"
                          "try { blob.readU8(9); } catch (e) { m += ':' + e.message; }",
                          NULL),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "m", &r), UJS_OK);
    check_str(ctx, r, "TypeError:offset 9 out of range");
    ujs_pop_ref(ctx, &rf);
    ujs_pop_ref(ctx, &ro);
}

static void test_host_finalizer_runs_on_collection_and_free(void **state)
{
    (void)state;
    static uintptr_t m2[(32 << 10) / sizeof(uintptr_t)];
    ujs_ctx *ctx = ujs_new_context(m2, sizeof m2, NULL);
    assert_non_null(ctx);
    blob b = {NULL, 0};
    ujs_value o;
    finalized = 0;
    assert_int_equal(ujs_new_host_object(ctx, &blob_class, &b, &o), UJS_OK);
    ujs_gc(ctx);
    assert_int_equal(finalized, 1); /* unreferenced */
    ujs_ref keep;
    assert_int_equal(ujs_new_host_object(ctx, &blob_class, &b, &o), UJS_OK);
    ujs_add_ref(ctx, &keep, o);
    ujs_gc(ctx);
    assert_int_equal(finalized, 1);
    ujs_free_context(ctx);
    assert_int_equal(finalized, 2);
}

static void test_stack_trace_crosses_native_reentry(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value f;
    assert_int_equal(ujs_new_cfunction(ctx, call_back, "callBack", 1, UJS_UNDEFINED, &f), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "callBack", f), UJS_OK);
    /* the error is raised two loops deep: inner runs in the loop callBack's
     * ujs_call starts; the stack continues in the outer loop */
    const char *src =
        "var st;\nfunction inner() {\n  try { null.x; } catch (e) { st = e.stack; }\n}\n"
        "function mid() {\n  callBack(inner);\n}\nmid();\n";
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "re.js", NULL), UJS_OK);
    ujs_value st;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "st", &st), UJS_OK);
    check_str(ctx, st,
              "    at inner (re.js:3)\n    at mid (re.js:6)\n    at <anonymous> (re.js:8)");
}

static ujs_value ab_a(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, ujs_value data)
{
    (void)ctx, (void)this_val, (void)argc, (void)argv, (void)data;
    return ujs_new_int32(ctx, 1);
}
static ujs_value ab_b(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, ujs_value data)
{
    (void)ctx, (void)this_val, (void)argc, (void)argv, (void)data;
    return ujs_new_int32(ctx, 20);
}
static ujs_value ab_other(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                          ujs_value data)
{
    (void)ctx, (void)this_val, (void)argc, (void)argv, (void)data;
    return ujs_new_int32(ctx, 300);
}
static ujs_value ab_prop(ujs_ctx *ctx, ujs_value this_val, void *opaque)
{
    (void)this_val;
    return ujs_new_int32(ctx, (int32_t)(intptr_t)opaque);
}
static const ujs_cfunc_def ab_methods[] = {{"a", ab_a, 0}, {"b", ab_b, 0}, {NULL, NULL, 0}};
static const ujs_cfunc_def other_methods[] = {
    {"b", ab_other, 0}, {"a", ab_other, 0}, {NULL, NULL, 0}};
static const ujs_host_prop_def ab_props[] = {{"p", ab_prop}, {NULL, NULL}};
static const ujs_class_def ab_class = {"AB", ab_methods, ab_props, NULL};
static const ujs_class_def other_class = {"Other", other_methods, ab_props, NULL};

static void test_host_methods_of_two_classes_alternate_across_gc(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value x, y, f, r;
    assert_int_equal(ujs_new_host_object(ctx, &ab_class, (void *)(intptr_t)4000, &x), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "x", x), UJS_OK);
    assert_int_equal(ujs_new_host_object(ctx, &other_class, (void *)(intptr_t)50000, &y), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "y", y), UJS_OK);
    /* the same names on two classes, methods and a property alternating at
     * the same sites, with collections (which clear the caches) between */
    assert_int_equal(eval(ctx,
                          "function f(o) { var s = 0, i;"
                          "  for (i = 0; i < 10; i++) s += o.a() + o.b() + o.p;"
                          "  return s; }",
                          NULL),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "f", &f), UJS_OK);
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, f);
    for (int i = 0; i < 4; i++) {
        ujs_value o;
        assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), i & 1 ? "y" : "x", &o),
                         UJS_OK);
        assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 1, &o, &r), UJS_OK);
        check_str(ctx, r, i & 1 ? "506000" : "40210");
        ujs_gc(ctx);
    }
    ujs_pop_ref(ctx, &rf);
}

/* One site reading a member of the same name from objects of two classes
 * in turn, with no collection between: the site's remembered cache entry
 * must not answer for the other class. */
static void test_host_method_site_alternating_classes_calls_each_class_method(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value x, y, r;
    assert_int_equal(ujs_new_host_object(ctx, &ab_class, (void *)(intptr_t)4000, &x), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "x", x), UJS_OK);
    assert_int_equal(ujs_new_host_object(ctx, &other_class, (void *)(intptr_t)50000, &y), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "y", y), UJS_OK);
    assert_int_equal(eval(ctx,
                          "var s = '', i;"
                          "for (i = 0; i < 6; i++) s += (i & 1 ? y : x).a() + ',';",
                          NULL),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "s", &r), UJS_OK);
    check_str(ctx, r, "1,300,1,300,1,300,");
}

/* Host properties whose getter throws, or allocates and collects (moving
 * the receiver and the running code), read at cached sites: through an
 * argument (get_field) and a local (get_loc_field). */
static ujs_value gc_prop_fresh(ujs_ctx *ctx, ujs_value this_val, void *opaque)
{
    (void)this_val;
    (void)opaque;
    ujs_value s;
    if (ujs_new_string(ctx, "fresh!", 6, &s)) return UJS_EXCEPTION;
    ujs_ref rs;
    ujs_push_ref(ctx, &rs, s);
    ujs_gc(ctx);
    s = rs.val;
    ujs_pop_ref(ctx, &rs);
    return s;
}
static ujs_value gc_prop_boom(ujs_ctx *ctx, ujs_value this_val, void *opaque)
{
    (void)this_val;
    if (opaque) return ujs_throw_range_error(ctx, "boom %d", (int)(intptr_t)opaque);
    return ujs_new_int32(ctx, 5);
}
static const ujs_host_prop_def gc_props[] = {
    {"fresh", gc_prop_fresh}, {"boom", gc_prop_boom}, {NULL, NULL}};
static const ujs_class_def gc_class = {"GcProps", NULL, gc_props, NULL};

static void test_host_property_getters_may_throw_or_collect_at_cached_sites(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value o, f, r;
    assert_int_equal(ujs_new_host_object(ctx, &gc_class, NULL, &o), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "quiet", o), UJS_OK);
    assert_int_equal(ujs_new_host_object(ctx, &gc_class, (void *)(intptr_t)7, &o), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "loud", o), UJS_OK);
    assert_int_equal(eval(ctx,
                          "function f(o) { var s = '', n = 0, i, e, l = o;"
                          "  for (i = 0; i < 6; i++) {"
                          "    s += o.fresh + l.fresh.length;"
                          "    try { n += o.boom + l.boom; } catch (x) { e = x.message; }"
                          "  }"
                          "  return s.length + ':' + n + ':' + e; }",
                          NULL),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "f", &f), UJS_OK);
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, f);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "quiet", &o), UJS_OK);
    assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 1, &o, &r), UJS_OK);
    check_str(ctx, r, "42:60:undefined");
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "loud", &o), UJS_OK);
    assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 1, &o, &r), UJS_OK);
    check_str(ctx, r, "42:0:boom 7");
    ujs_pop_ref(ctx, &rf);
}

static void test_finalizers_run_for_each_block_of_a_dead_run(void **state)
{
    (void)state;
    static uintptr_t m3[(32 << 10) / sizeof(uintptr_t)];
    ujs_ctx *ctx = ujs_new_context(m3, sizeof m3, NULL);
    assert_non_null(ctx);
    blob b = {NULL, 0};
    ujs_value o;
    ujs_ref keep[3];
    finalized = 0;
    /* dead, dead, live, dead x3, live, dead: runs of dead blocks are merged */
    for (int i = 0, k = 0; i < 8; i++) {
        assert_int_equal(ujs_new_host_object(ctx, &blob_class, &b, &o), UJS_OK);
        if (i == 2 || i == 6) ujs_add_ref(ctx, &keep[k++], o);
    }
    ujs_mem_stats st0, st1, st2;
    ujs_get_mem_stats(ctx, &st0);
    ujs_gc(ctx);
    assert_int_equal(finalized, 6);
    ujs_get_mem_stats(ctx, &st1);
    ujs_gc(ctx);
    ujs_get_mem_stats(ctx, &st2);
    assert_int_equal(st2.heap_used, st1.heap_used); /* compacted already */
    /* the peak is kept across collections (folded in lazily) */
    assert_true(st2.heap_peak >= st0.heap_used);
    assert_true(st0.heap_peak >= st0.heap_used);
    ujs_free_context(ctx);
    assert_int_equal(finalized, 8);
}

static ujs_value global_of(ujs_ctx *ctx, const char *src, const char *name)
{
    ujs_value v;
    assert_int_equal(eval(ctx, src, NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), name, &v), UJS_OK);
    return v;
}

static void test_to_number_and_int32_of_small_ints(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    double d;
    int32_t i;
    ujs_value v = global_of(ctx, "var v = -7;", "v");
    assert_int_equal(ujs_to_number(ctx, v, &d), UJS_OK);
    assert_true(d == -7.0);
    assert_int_equal(ujs_to_int32(ctx, v, &i), UJS_OK);
    assert_int_equal(i, -7);
    /* ToInt32 wraps modulo 2^32, whether or not the value is boxed */
    v = global_of(ctx, "var w = 4294967296 * 256 + 5;", "w");
    assert_int_equal(ujs_to_int32(ctx, v, &i), UJS_OK);
    assert_int_equal(i, 5);
    v = global_of(ctx, "var u = 3221225472;", "u");
    assert_int_equal(ujs_to_int32(ctx, v, &i), UJS_OK);
    assert_int_equal(i, -1073741824);
}

/* ujs_get_int32 is inline for small ints: in range, out of int32 range
 * (64-bit small ints are wider), boxed, and not numbers. */
static void test_get_int32_exact_for_small_boxed_and_other_values(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    int32_t i = 0;
    assert_true(ujs_get_int32(global_of(ctx, "var a = -2147483648;", "a"), &i));
    assert_int_equal(i, INT32_MIN);
    assert_true(ujs_get_int32(global_of(ctx, "var b = 2147483647;", "b"), &i));
    assert_int_equal(i, INT32_MAX);
    i = 5;
    assert_false(ujs_get_int32(global_of(ctx, "var c = 2147483648;", "c"), &i));
    assert_false(ujs_get_int32(global_of(ctx, "var d = -1099511627776;", "d"), &i));
    assert_false(ujs_get_int32(global_of(ctx, "var e = 0.5;", "e"), &i));
    assert_false(ujs_get_int32(global_of(ctx, "var f = '1';", "f"), &i));
    assert_int_equal(i, 5);
    assert_true(ujs_get_int32(global_of(ctx, "var g = 3 / 2 * 2;", "g"), &i));
    assert_int_equal(i, 3);
    /* the small-int half: no boxed numbers (32-bit targets box 2^30) */
    assert_true(ujs_get_small_int32(global_of(ctx, "var h = -5;", "h"), &i));
    assert_int_equal(i, -5);
    ujs_value big = global_of(ctx, "var k = 1073741824;", "k");
    assert_true(ujs_get_int32(big, &i));
    assert_int_equal(i, 1073741824);
    i = 9;
    assert_int_equal(ujs_get_small_int32(big, &i), sizeof(void *) > 4);
    assert_int_equal(i, sizeof(void *) > 4 ? 1073741824 : 9);
    assert_false(ujs_get_small_int32(global_of(ctx, "var l = 2147483648;", "l"), &i));
    assert_false(ujs_get_small_int32(global_of(ctx, "var m = 0.5;", "m"), &i));
    assert_false(ujs_get_small_int32(UJS_TRUE, &i));
}

static bool count_only(ujs_ctx *ctx, void *opaque)
{
    (void)ctx;
    ++*(int *)opaque;
    return false;
}

/* Each outermost call counts from the whole period again; a call made
 * from C inside a run does not restart the count. */
static void test_interrupt_countdown_restarts_at_each_outermost_call(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    int calls = 0;
    ujs_value f, r;
    assert_int_equal(eval(ctx, "function f() { for (var i = 0; i < 3; i++) {} return i; }", NULL),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "f", &f), UJS_OK);
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, f);
    ujs_set_interrupt_handler(ctx, count_only, &calls, 10);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 0, NULL, &r), UJS_OK);
        check_str(ctx, r, "3");
    }
    assert_int_equal(calls, 0);
    /* the same steps in one call do reach the handler */
    assert_int_equal(eval(ctx, "for (var j = 0; j < 20; j++) f();", NULL), UJS_OK);
    assert_true(calls >= 6);
    ujs_pop_ref(ctx, &rf);
}

static ujs_value who(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, ujs_value data)
{
    (void)this_val, (void)argc, (void)argv;
    return ujs_new_int32(ctx, (int32_t)data);
}
static const ujs_cfunc_def who_methods[] = {{"who", who, 0}, {NULL, NULL, 0}};
static const ujs_class_def who_class = {"Who", who_methods, NULL, NULL};
static const ujs_class_def who2_class = {"Who2", who_methods, NULL, NULL};

/* A host method's data word is the opaque of this when this is an
 * instance of the class the method was read from, else 0: from JS, from
 * Function.prototype.call and from ujs_call. */
static void test_host_method_data_word_is_opaque_of_its_class_instance(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value x, y, m, r;
    assert_int_equal(ujs_new_host_object(ctx, &who_class, (void *)(intptr_t)4000, &x), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "x", x), UJS_OK);
    assert_int_equal(ujs_new_host_object(ctx, &who2_class, (void *)(intptr_t)5000, &y), UJS_OK);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "y", y), UJS_OK);
    assert_int_equal(eval(ctx,
                          "var m = x.who; var s = [x.who(), y.who(), m.call(y), m.call({}),"
                          " m.call(x), m()].join();",
                          &r),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "s", &r), UJS_OK);
    check_str(ctx, r, "4000,5000,0,0,4000,0");
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "m", &m), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "x", &x), UJS_OK);
    assert_int_equal(ujs_call(ctx, m, x, 0, NULL, &r), UJS_OK);
    check_str(ctx, r, "4000");
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "y", &y), UJS_OK);
    assert_int_equal(ujs_call(ctx, m, y, 0, NULL, &r), UJS_OK);
    check_str(ctx, r, "0");
}

/* Constants of a host object read like data properties, survive
 * collections, and are as fixed as the class's own members. */
static void test_host_const_reads_as_fixed_hidden_member(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value o, child, plain;
    assert_int_equal(ujs_new_host_object(ctx, &who_class, (void *)(intptr_t)7, &o), UJS_OK);
    ujs_ref ro;
    ujs_push_ref(ctx, &ro, o);
    assert_int_equal(ujs_new_object(ctx, &child), UJS_OK);
    assert_int_equal(ujs_set_host_const(ctx, ro.val, "child", child), UJS_OK);
    assert_int_equal(ujs_set_host_const(ctx, ro.val, "n", ujs_new_int32(ctx, 42)), UJS_OK);
    assert_int_equal(ujs_set_host_const(ctx, ro.val, "n", UJS_TRUE), UJS_EINVAL);
    assert_int_equal(ujs_set_host_const(ctx, ro.val, "who", UJS_TRUE), UJS_EINVAL);
    assert_int_equal(ujs_new_object(ctx, &plain), UJS_OK);
    assert_int_equal(ujs_set_host_const(ctx, plain, "n", UJS_TRUE), UJS_EINVAL);
    assert_int_equal(ujs_set_host_const(ctx, UJS_NULL, "n", UJS_TRUE), UJS_EINVAL);
    assert_int_equal(ujs_set_property(ctx, ujs_get_global_object(ctx), "o", ro.val), UJS_OK);
    ujs_gc(ctx);
    ujs_value r;
    assert_int_equal(eval(ctx,
                          "o.child.k = 1; var s = [o.n, o.child.k, o.who(), Object.keys(o).length,"
                          " 'n' in o];"
                          "try { o.n = 1; } catch (e) { s.push(e.message); }"
                          "try { delete o.n; } catch (e) { s.push(e.message); }"
                          "s.push(o.n); s = s.join();",
                          NULL),
                     UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "s", &r), UJS_OK);
    check_str(ctx, r,
              "42,1,7,0,true,host object is read-only,"
              "cannot delete a property of a host object,42");
    ujs_pop_ref(ctx, &ro);
}

/* get_global's guess is shared by the constants of one pool index in
 * every function: globals alternating there, moved by deletion, turned
 * into accessors or removed are each read right. */
static void test_global_reads_follow_additions_deletions_and_redefinitions(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value r;
    assert_int_equal(
        eval(ctx,
             "globalThis.p = 1; globalThis.q = 2;"
             "function f1() { return p; } function f2() { return q; }"
             "var s = []; for (var i = 0; i < 3; i++) s.push(f1() * 10 + f2());"
             "delete globalThis.p; globalThis.z = 9; globalThis.p = 3; s.push(f1(), f2());"
             "delete globalThis.p;"
             "Object.defineProperty(globalThis, 'p', {get: function () { return 4; },"
             " configurable: true}); s.push(f1());"
             "delete globalThis.p; try { f1(); } catch (e) { s.push(e.message); }"
             "globalThis.p = 5; s.push(f1(), f2()); s = s.join();",
             NULL),
        UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "s", &r), UJS_OK);
    check_str(ctx, r, "12,12,12,3,2,4,p is not defined,5,2");
    /* collections move the global's properties between reads */
    ujs_mem_stats ms;
    ujs_get_mem_stats(ctx, &ms);
    uint32_t gcs = ms.gc_count;
    assert_int_equal(eval(ctx,
                          "var t = 0; for (var i = 0; i < 20000; i++) { var o = {a: i, b: [i]};"
                          " t += p + q; globalThis.p = i & 7; }",
                          NULL),
                     UJS_OK);
    ujs_get_mem_stats(ctx, &ms);
    assert_true(ms.gc_count > gcs);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "t", &r), UJS_OK);
    check_str(ctx, r, "109998");
}

/* ujs_call's direct path into the interpreter reports failures as the
 * general one does: status, *result undefined, the abort cleared after. */
static void test_call_failures_give_status_and_undefined_result(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    const char *src = "function thrower(x) { throw x + 1; }"
                      "function spin() { for (;;) {} }"
                      "function one() { return 1; }";
    assert_int_equal(eval(ctx, src, NULL), UJS_OK);
    /* values held in C across allocations are rooted (the stress build
     * moves every object at every allocation) */
    ujs_value f, r, arg = ujs_new_int32(ctx, 41);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "thrower", &f), UJS_OK);
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, f);
    r = UJS_NULL;
    assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 1, &arg, &r), UJS_EEXCEPTION);
    assert_int_equal(r, UJS_UNDEFINED);
    check_str(ctx, ujs_get_exception(ctx), "42");
    /* too many arguments for any stack: a RangeError, not a call */
    r = UJS_NULL;
    assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, 0x20001, &arg, &r), UJS_EEXCEPTION);
    assert_int_equal(r, UJS_UNDEFINED);
    check_str(ctx, ujs_get_exception(ctx), "RangeError: stack overflow");
    assert_int_equal(ujs_call(ctx, rf.val, UJS_UNDEFINED, -1, &arg, &r), UJS_EEXCEPTION);
    check_str(ctx, ujs_get_exception(ctx), "RangeError: stack overflow");
    ujs_pop_ref(ctx, &rf);
    int calls = 0;
    ujs_set_interrupt_handler(ctx, stop_now, &calls, 100);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "spin", &f), UJS_OK);
    r = UJS_NULL;
    assert_int_equal(ujs_call(ctx, f, UJS_UNDEFINED, 0, NULL, &r), UJS_EINTERRUPTED);
    assert_int_equal(r, UJS_UNDEFINED);
    assert_int_equal(calls, 3);
    assert_int_equal(ujs_get_exception(ctx), UJS_UNDEFINED);
    ujs_set_interrupt_handler(ctx, NULL, NULL, 0);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "one", &f), UJS_OK);
    assert_int_equal(ujs_call(ctx, f, UJS_UNDEFINED, 0, NULL, &r), UJS_OK);
    check_str(ctx, r, "1");
}

/* A collection that slides the global object's property block down must
 * not leave get_global reading the block's old place. */
static void test_global_read_after_collection_moves_global_properties(void **state)
{
    (void)state;
    ujs_ctx *ctx = new_ctx();
    ujs_value r;
    assert_int_equal(eval(ctx,
                          "var junk = []; for (var i = 0; i < 300; i++) junk.push({a: i});"
                          "for (var j = 0; j < 40; j++) globalThis['g' + j] = j;"
                          "var gv = 1; function rd() { return gv; }"
                          "var first = rd(); junk = null;",
                          NULL),
                     UJS_OK);
    ujs_gc(ctx);
    assert_int_equal(eval(ctx, "gv = 2; var second = rd() * 10 + first;", NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "second", &r), UJS_OK);
    check_str(ctx, r, "21");
    /* so must adding globals that reallocate the block, with no collection
     * in between (the names are made when t compiles) */
    char src[2048] = "function t() { var a = gv;";
    for (int k = 0; k < 60; k++) {
        char one[32];
        snprintf(one, sizeof one, "globalThis.h%d=%d;", k, k);
        strcat(src, one);
    }
    strcat(src, "gv = a + 3; return gv * 10 + a; }");
    assert_int_equal(eval(ctx, src, NULL), UJS_OK);
    ujs_value t;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "t", &t), UJS_OK);
#ifndef UJS_GC_STRESS /* where each allocation collects, emptying the cache */
    ujs_mem_stats ms;
    ujs_get_mem_stats(ctx, &ms);
    uint32_t gcs = ms.gc_count;
#endif
    assert_int_equal(ujs_call(ctx, t, UJS_UNDEFINED, 0, NULL, &r), UJS_OK);
#ifndef UJS_GC_STRESS
    ujs_get_mem_stats(ctx, &ms);
    assert_int_equal(ms.gc_count, gcs);
#endif
    check_str(ctx, r, "52");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_js_function_with_arguments),
        cmocka_unit_test(test_cfunction_receives_data_word),
        cmocka_unit_test(test_c_thrown_type_error_is_catchable_with_message),
        cmocka_unit_test(test_properties_by_name_and_index),
        cmocka_unit_test(test_u8array_shim_gives_raw_bytes),
        cmocka_unit_test(test_compile_error_reports_file_line_col),
        cmocka_unit_test(test_runtime_error_stack_names_functions_and_lines),
        cmocka_unit_test(test_interrupt_stops_infinite_loop_uncatchably),
        cmocka_unit_test(test_interrupt_counts_calls),
        cmocka_unit_test(test_assignment_to_undeclared_global_is_reference_error),
        cmocka_unit_test(test_value_boxing_is_type_error),
        cmocka_unit_test(test_number_formatting_round_trips),
        cmocka_unit_test(test_number_parsing_is_correctly_rounded),
        cmocka_unit_test(test_large_integers_keep_int32_semantics_in_bitwise_ops),
        cmocka_unit_test(test_exception_thrown_in_catch_block_propagates),
        cmocka_unit_test(test_small_heap_compile_keeps_names_across_gc),
        cmocka_unit_test(test_host_object_methods_and_props_without_allocation),
        cmocka_unit_test(test_host_finalizer_runs_on_collection_and_free),
        cmocka_unit_test(test_interrupt_inside_native_callback_stops_outer_call),
        cmocka_unit_test(test_abort_from_c_is_uncatchable_and_context_stays_usable),
        cmocka_unit_test(test_stack_trace_crosses_native_reentry),
        cmocka_unit_test(test_host_methods_of_two_classes_alternate_across_gc),
        cmocka_unit_test(test_host_method_site_alternating_classes_calls_each_class_method),
        cmocka_unit_test(test_host_property_getters_may_throw_or_collect_at_cached_sites),
        cmocka_unit_test(test_finalizers_run_for_each_block_of_a_dead_run),
        cmocka_unit_test(test_to_number_and_int32_of_small_ints),
        cmocka_unit_test(test_get_int32_exact_for_small_boxed_and_other_values),
        cmocka_unit_test(test_interrupt_countdown_restarts_at_each_outermost_call),
        cmocka_unit_test(test_host_method_data_word_is_opaque_of_its_class_instance),
        cmocka_unit_test(test_host_const_reads_as_fixed_hidden_member),
        cmocka_unit_test(test_global_reads_follow_additions_deletions_and_redefinitions),
        cmocka_unit_test(test_call_failures_give_status_and_undefined_result),
        cmocka_unit_test(test_global_read_after_collection_moves_global_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
