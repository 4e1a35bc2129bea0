/* Portable bytecode (docs/BYTECODE.md): writer, loader (execute in place),
 * verifier rejections, and the single-byte-mutation safety test. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "opcodes.h"
#include "ujs.h"

static uintptr_t mem[(512 << 10) / sizeof(uintptr_t)];
static uintptr_t mem2[(512 << 10) / sizeof(uintptr_t)];

static const char prog[] = "var total = 0;\n"
                           "function add(a, b) { return a + b; }\n"
                           "function counter() { var n = 0; return function () { return ++n; }; }\n"
                           "var c = counter(); c(); c();\n"
                           "total = add(c(), 2**40);\n"
                           "var s = 'caf\\u00e9 \\u2603';\n"
                           "function fail() { throw new TypeError('boom'); }\n";

/* Compiles src in ctx and writes its bytecode into a malloc'd buffer. */
static uint8_t *compile_bc(ujs_ctx *ctx, const char *src, unsigned flags, size_t *len)
{
    ujs_value fn;
    assert_int_equal(ujs_compile(ctx, src, strlen(src), "prog.js", &fn), UJS_OK);
    ujs_ref r;
    ujs_push_ref(ctx, &r, fn);
    size_t n = 0;
    assert_int_equal(ujs_write_bytecode(ctx, r.val, NULL, 0, &n, flags), UJS_EINVAL);
    assert_true(n > 32);
    uint8_t *buf = malloc(n);
    assert_non_null(buf);
    assert_int_equal(ujs_write_bytecode(ctx, r.val, buf, n, len, flags), UJS_OK);
    assert_int_equal(*len, n);
    ujs_pop_ref(ctx, &r);
    return buf;
}

static ujs_ctx *fresh(uintptr_t *m, size_t size)
{
    ujs_ctx *ctx = ujs_new_context(m, size, NULL);
    assert_non_null(ctx);
    return ctx;
}

static void exception_text(ujs_ctx *ctx, char *buf, size_t size)
{
    size_t len;
    assert_int_equal(ujs_to_cstring(ctx, ujs_get_exception(ctx), buf, size, &len), UJS_OK);
}

static void test_bytecode_roundtrip_runs_and_functions_are_callable_by_name(void **state)
{
    (void)state;
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    size_t len;
    uint8_t *bc = compile_bc(ctx, prog, 0, &len);
    ujs_free_context(ctx);

    ctx = fresh(mem2, sizeof mem2);
    ujs_value fn, v;
    assert_int_equal(ujs_load_bytecode(ctx, bc, len, &fn), UJS_OK);
    assert_int_equal(ujs_call(ctx, fn, ujs_get_global_object(ctx), 0, NULL, NULL), UJS_OK);
    double d;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "total", &v), UJS_OK);
    assert_int_equal(ujs_to_number(ctx, v, &d), UJS_OK);
    assert_true(d == 3.0 + 1099511627776.0);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "add", &v), UJS_OK);
    ujs_value args[2] = {ujs_new_int32(ctx, 40), ujs_new_int32(ctx, 2)};
    assert_int_equal(ujs_call(ctx, v, UJS_UNDEFINED, 2, args, &v), UJS_OK);
    assert_int_equal(ujs_to_number(ctx, v, &d), UJS_OK);
    assert_true(d == 42.0);
    char buf[256];
    size_t n;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "s", &v), UJS_OK);
    assert_int_equal(ujs_to_cstring(ctx, v, buf, sizeof buf, &n), UJS_OK);
    assert_string_equal(buf, "caf\xc3\xa9 \xe2\x98\x83");
    /* errors in loaded code keep names and lines */
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "fail", &v), UJS_OK);
    assert_int_equal(ujs_call(ctx, v, UJS_UNDEFINED, 0, NULL, NULL), UJS_EEXCEPTION);
    ujs_value e = ujs_get_exception(ctx);
    ujs_ref er;
    ujs_push_ref(ctx, &er, e);
    assert_int_equal(ujs_get_property(ctx, er.val, "stack", &v), UJS_OK);
    assert_int_equal(ujs_to_cstring(ctx, v, buf, sizeof buf, &n), UJS_OK);
    assert_string_equal(buf, "    at fail (prog.js:7)");
    ujs_pop_ref(ctx, &er);
    ujs_free_context(ctx);
    free(bc);
}

static void test_bytecode_write_is_deterministic(void **state)
{
    (void)state;
    size_t l1, l2, l3;
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    uint8_t *a = compile_bc(ctx, prog, 0, &l1);
    uint8_t *b = compile_bc(ctx, prog, 0, &l2); /* same context: atoms exist already */
    ujs_free_context(ctx);
    ctx = fresh(mem2, 64 << 10); /* another context, another heap layout */
    uint8_t *c = compile_bc(ctx, prog, 0, &l3);
    ujs_free_context(ctx);
    assert_int_equal(l1, l2);
    assert_int_equal(l1, l3);
    assert_memory_equal(a, b, l1);
    assert_memory_equal(a, c, l1);
    free(a);
    free(b);
    free(c);
}

static void test_bytecode_strip_drops_names_and_lines(void **state)
{
    (void)state;
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    size_t lf, ls;
    uint8_t *full = compile_bc(ctx, prog, 0, &lf);
    uint8_t *strip = compile_bc(ctx, prog, UJS_BC_STRIP, &ls);
    ujs_free_context(ctx);
    assert_true(ls < lf);
    assert_int_equal(strip[6], 1); /* flags: stripped */
    ctx = fresh(mem2, sizeof mem2);
    ujs_value fn, v;
    assert_int_equal(ujs_load_bytecode(ctx, strip, ls, &fn), UJS_OK);
    assert_int_equal(ujs_call(ctx, fn, ujs_get_global_object(ctx), 0, NULL, NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "fail", &v), UJS_OK);
    assert_int_equal(ujs_call(ctx, v, UJS_UNDEFINED, 0, NULL, NULL), UJS_EEXCEPTION);
    ujs_ref er;
    ujs_push_ref(ctx, &er, ujs_get_exception(ctx));
    char buf[256];
    size_t n;
    assert_int_equal(ujs_get_property(ctx, er.val, "stack", &v), UJS_OK);
    assert_int_equal(ujs_to_cstring(ctx, v, buf, sizeof buf, &n), UJS_OK);
    assert_string_equal(buf, "    at <anonymous> (:0)");
    ujs_pop_ref(ctx, &er);
    ujs_free_context(ctx);
    free(full);
    free(strip);
}

/* The loader never writes to the file: it runs from read-only memory. */
static void test_bytecode_runs_in_place_from_read_only_memory(void **state)
{
    (void)state;
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    size_t len;
    uint8_t *bc = compile_bc(ctx, prog, 0, &len);
    ujs_free_context(ctx);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), maplen = (len + page - 1) / page * page;
    uint8_t *ro = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(ro != MAP_FAILED);
    memcpy(ro, bc, len);
    assert_int_equal(mprotect(ro, maplen, PROT_READ), 0);
    ctx = fresh(mem2, sizeof mem2);
    ujs_mem_stats before, after;
    ujs_gc(ctx);
    ujs_get_mem_stats(ctx, &before);
    ujs_value fn;
    assert_int_equal(ujs_load_bytecode(ctx, ro, len, &fn), UJS_OK);
    ujs_ref fr;
    ujs_push_ref(ctx, &fr, fn);
    ujs_gc(ctx);
    ujs_get_mem_stats(ctx, &after);
    printf("load heap cost: %zu bytes for a %zu-byte file\n",
           (size_t)(after.heap_used - before.heap_used), len);
    for (int i = 0; i < 3; i++) ujs_gc(ctx); /* the GC moves functions, never the code */
    assert_int_equal(ujs_call(ctx, fr.val, ujs_get_global_object(ctx), 0, NULL, NULL), UJS_OK);
    ujs_pop_ref(ctx, &fr);
    ujs_free_context(ctx);
    munmap(ro, maplen);
    free(bc);
}

/* Heap bytes in use (after a collection) once src, compiled stripped, is
 * loaded, and once its top level has run as well. */
static void heap_cost(const char *src, size_t *loaded, size_t *ran)
{
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    size_t len;
    uint8_t *bc = compile_bc(ctx, src, UJS_BC_STRIP, &len);
    ujs_free_context(ctx);
    ctx = fresh(mem2, sizeof mem2);
    ujs_mem_stats a, b;
    ujs_gc(ctx);
    ujs_get_mem_stats(ctx, &a);
    ujs_value fn;
    assert_int_equal(ujs_load_bytecode(ctx, bc, len, &fn), UJS_OK);
    ujs_ref fr;
    ujs_push_ref(ctx, &fr, fn);
    ujs_gc(ctx);
    ujs_get_mem_stats(ctx, &b);
    *loaded = b.heap_used - a.heap_used;
    assert_int_equal(ujs_call(ctx, fr.val, ujs_get_global_object(ctx), 0, NULL, NULL), UJS_OK);
    ujs_gc(ctx);
    ujs_get_mem_stats(ctx, &b);
    *ran = b.heap_used - a.heap_used;
    ujs_pop_ref(ctx, &fr);
    ujs_free_context(ctx);
    free(bc);
}

/* Loading costs one pool word per constant of the top level: a function
 * declaration two (its name and the function), a distinct atom one. The
 * functions' records, pools and atoms are made when first used. */
static void test_bytecode_load_heap_cost_is_one_word_per_function_and_atom(void **state)
{
    (void)state;
    static char src[8192];
    size_t loaded[3], ran[3];
    int shapes[3][2] = {{10, 0}, {20, 0}, {10, 20}}; /* (functions, extra distinct atoms) */
    for (int s = 0; s < 3; s++) {
        size_t pos = 0;
        for (int i = 0; i < shapes[s][0]; i++)
            pos += (size_t)snprintf(src + pos, sizeof src - pos, "function f%d(){}\n", i);
        for (int i = 0; i < shapes[s][1]; i++)
            pos += (size_t)snprintf(src + pos, sizeof src - pos, "var atom_%03d;\n", i);
        heap_cost(src, &loaded[s], &ran[s]);
    }
    size_t per_fn = (loaded[1] - loaded[0]) / 10, per_atom = (loaded[2] - loaded[0]) / 20;
    printf("heap at load per function declaration: %.1f bytes; per distinct atom: %.1f bytes\n",
           (double)(loaded[1] - loaded[0]) / 10, (double)(loaded[2] - loaded[0]) / 20);
    /* for comparison: once the top level ran, each function has its funcbc,
     * closure, name atom and global property, each `var` its property */
    printf("after the top level ran, per function: %.1f bytes; per var: %.1f bytes\n",
           (double)(ran[1] - ran[0]) / 10, (double)(ran[2] - ran[0]) / 20);
    assert_int_equal(loaded[1] - loaded[0], 10 * 2 * sizeof(void *));
    assert_int_equal(per_fn, 2 * sizeof(void *));
    assert_int_equal(loaded[2] - loaded[0], 20 * sizeof(void *));
    assert_int_equal(per_atom, sizeof(void *));
    assert_true(ran[1] - ran[0] > loaded[1] - loaded[0]);
}

/* Code stays in the file: a longer body costs no heap, loaded or run. */
static void test_bytecode_heap_cost_does_not_depend_on_code_length(void **state)
{
    (void)state;
    const char *shortf = "function f(a) { return a; }";
    const char *longf = "function f(a) { a = a + 1; a = a * 2; a = a - 3; a = a % 4; a = a | 5; "
                        "a = a & 6; a = a ^ 7; a = a << 1; a = a >> 1; return a; }";
    size_t loaded[2], ran[2];
    heap_cost(shortf, &loaded[0], &ran[0]);
    heap_cost(longf, &loaded[1], &ran[1]);
    assert_int_equal(loaded[0], loaded[1]);
    assert_int_equal(ran[0], ran[1]);
}

/* A function's funcbc is made with its first closure and shared by the
 * later ones; names of lazily made functions and atoms are those of the file. */
static void test_bytecode_lazy_functions_and_atoms_are_made_once(void **state)
{
    (void)state;
    static const char src[] =
        "var fs = [];\n"
        "function mk(i) { return function inner() { return i + inner.name.length; }; }\n"
        "for (var i = 0; i < 100; i++) fs.push(mk(i));\n"
        "var o = {}; o['ke' + 'y'] = 1;\n" /* interned at run time before `key` is read */
        "var r = fs[99]() + fs[0]() + fs[0].name.length + o.key + (fs[0] === fs[1] ? 100 : 0);\n";
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    size_t len;
    uint8_t *bc = compile_bc(ctx, src, 0, &len);
    ujs_free_context(ctx);
    ctx = fresh(mem2, sizeof mem2);
    ujs_value fn, r;
    assert_int_equal(ujs_load_bytecode(ctx, bc, len, &fn), UJS_OK);
    ujs_ref fr;
    ujs_push_ref(ctx, &fr, fn);
    assert_int_equal(ujs_call(ctx, fr.val, ujs_get_global_object(ctx), 0, NULL, NULL), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "r", &r), UJS_OK);
    double d;
    assert_int_equal(ujs_to_number(ctx, r, &d), UJS_OK);
    assert_true(d == 99 + 5 + 0 + 5 + 5 + 1);
    /* a loaded function is not written again: its file is the output */
    size_t n = 0;
    assert_int_equal(ujs_write_bytecode(ctx, fr.val, NULL, 0, &n, 0), UJS_EINVAL);
    ujs_pop_ref(ctx, &fr);
    ujs_free_context(ctx);
    free(bc);
}

/* A loaded function's file name is read from the file for stack traces,
 * UTF-16 ones (with a surrogate pair) included. */
static void test_bytecode_stack_trace_names_a_utf16_file_name(void **state)
{
    (void)state;
    static const char src[] = "\nfunction fail() { throw new Error('x'); }\n";
    const char *name = "caf\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\x80.js";
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    ujs_value fn;
    assert_int_equal(ujs_compile(ctx, src, strlen(src), name, &fn), UJS_OK);
    ujs_ref r;
    ujs_push_ref(ctx, &r, fn);
    static uint8_t bc[4096];
    size_t len;
    assert_int_equal(ujs_write_bytecode(ctx, r.val, bc, sizeof bc, &len, 0), UJS_OK);
    ujs_pop_ref(ctx, &r);
    ujs_free_context(ctx);
    ctx = fresh(mem2, sizeof mem2);
    assert_int_equal(ujs_load_bytecode(ctx, bc, len, &fn), UJS_OK);
    assert_int_equal(ujs_call(ctx, fn, ujs_get_global_object(ctx), 0, NULL, NULL), UJS_OK);
    ujs_value v;
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "fail", &v), UJS_OK);
    assert_int_equal(ujs_call(ctx, v, UJS_UNDEFINED, 0, NULL, NULL), UJS_EEXCEPTION);
    ujs_ref er;
    ujs_push_ref(ctx, &er, ujs_get_exception(ctx));
    assert_int_equal(ujs_get_property(ctx, er.val, "stack", &v), UJS_OK);
    char buf[256];
    size_t n;
    assert_int_equal(ujs_to_cstring(ctx, v, buf, sizeof buf, &n), UJS_OK);
    char want[128];
    snprintf(want, sizeof want, "    at fail (%s:2)", name);
    assert_string_equal(buf, want);
    ujs_pop_ref(ctx, &er);
    ujs_free_context(ctx);
}

/* ---- verifier rejections: one per check, with the exact message ---- */

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(uint8_t *p, uint32_t x)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(x >> (8 * i));
}
static void wr16(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)x;
    p[1] = (uint8_t)(x >> 8);
}

/* record field of function i */
static uint8_t *func_rec(uint8_t *b, uint32_t i)
{
    return b + rd32(b + 16) + 40 * (size_t)i;
}
static uint8_t *code_of(uint8_t *b, uint32_t i)
{
    return b + rd32(func_rec(b, i) + 36);
}

static void expect_reject(const uint8_t *b, size_t len, const char *msg)
{
    ujs_ctx *ctx = fresh(mem2, sizeof mem2);
    ujs_value fn;
    assert_int_equal(ujs_load_bytecode(ctx, b, len, &fn), UJS_EEXCEPTION);
    char buf[256];
    exception_text(ctx, buf, sizeof buf);
    assert_string_equal(buf, msg);
    ujs_free_context(ctx);
}

/* A program whose function 1 is `function f(a) { ... }` with known code. */
static const char small[] = "function f(a) { var x = a; return x + 1; }\n";

static uint8_t *copy_small(size_t *len)
{
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    uint8_t *b = compile_bc(ctx, small, 0, len);
    ujs_free_context(ctx);
    return b;
}

static void test_verify_rejects_bad_header(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = copy_small(&len);
    expect_reject(b, 10, "Error: invalid bytecode: file too short");
    b[0] = 'X';
    expect_reject(b, len, "Error: not a ujs bytecode file (bad magic)");
    b[0] = 'U';
    b[4] = 7;
    expect_reject(b, len,
                  "Error: bytecode version 7 is not supported (this engine reads version 3)");
    b[4] = UJS_BYTECODE_VERSION;
    b[6] = 4;
    expect_reject(b, len, "Error: invalid bytecode: unknown flags");
    b[6] = 0;
    expect_reject(b, len - 1, "Error: invalid bytecode: file length mismatch");
    wr32(b + 12, 0x10000000);
    expect_reject(b, len, "Error: invalid bytecode: too many functions or atoms");
    wr32(b + 12, 1u << 23); /* the most functions a file may have */
    expect_reject(b, len, "Error: invalid bytecode: function table out of bounds");
    free(b);
}

static void test_verify_rejects_bad_tables(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = copy_small(&len);
    uint8_t *save = malloc(len);
    memcpy(save, b, len);
#define RESET() memcpy(b, save, len)
    wr32(b + 20, 0x7fffffff);
    expect_reject(b, len, "Error: invalid bytecode: too many functions or atoms");
    wr32(b + 20, 1u << 23); /* the most atoms a file may have */
    expect_reject(b, len, "Error: invalid bytecode: atom table out of bounds");
    RESET();
    uint8_t *atom0 = b + rd32(b + 24);
    wr32(atom0, (uint32_t)len);
    expect_reject(b, len, "Error: invalid bytecode: string out of bounds");
    RESET();
    b[rd32(atom0) + 1] = 0;
    wr32(atom0 + 4, 1u << 1 | 1); /* one Latin-1 character stored as UTF-16 */
    expect_reject(b, len, "Error: invalid bytecode: UTF-16 string without a non-Latin-1 character");
    RESET();
    wr32(b + 28, 999);
    expect_reject(b, len, "Error: invalid bytecode: bad file name atom index");
    RESET();
    wr32(func_rec(b, 0), 0);
    expect_reject(b, len, "Error: invalid bytecode: bad parent function index (function 0, pc 0)");
    RESET();
    wr32(func_rec(b, 1), 1);
    expect_reject(
        b, len, "Error: invalid bytecode: constant: function of another parent (function 0, pc 0)");
    RESET();
    wr16(func_rec(b, 1) + 10, 0x4000);
    expect_reject(b, len,
                  "Error: invalid bytecode: too many arguments or locals (function 1, pc 0)");
    RESET();
    wr32(func_rec(b, 0) + 20, (uint32_t)len - 4);
    expect_reject(b, len,
                  "Error: invalid bytecode: constant table out of bounds (function 0, pc 0)");
    RESET();
    wr32(func_rec(b, 1) + 24, 0);
    expect_reject(b, len, "Error: invalid bytecode: bad code length (function 1, pc 0)");
    RESET();
    wr32(func_rec(b, 1) + 24, (uint32_t)len);
    expect_reject(b, len, "Error: invalid bytecode: code out of bounds (function 1, pc 0)");
    RESET();
    wr32(func_rec(b, 0) + 28, 1);
    expect_reject(b, len, "Error: invalid bytecode: bad closure variable count (function 0, pc 0)");
    RESET();
    /* function 0's constants: find the function constant and corrupt it */
    uint8_t *k = b + rd32(func_rec(b, 0) + 20);
    uint32_t nk = rd32(func_rec(b, 0) + 16), fk = nk;
    for (uint32_t i = 0; i < nk; i++)
        if (k[9 * i] == 2) fk = i;
    assert_true(fk < nk);
    k[9 * fk] = 7;
    expect_reject(b, len, "Error: invalid bytecode: constant: bad kind (function 0, pc 0)");
    RESET();
    k[9 * fk + 1] = 0;
    expect_reject(b, len,
                  "Error: invalid bytecode: constant: bad function index (function 0, pc 0)");
    RESET();
    k[9 * fk] = 0;
    k[9 * fk + 1] = 200;
    expect_reject(b, len, "Error: invalid bytecode: constant: bad atom index (function 0, pc 0)");
    RESET();
    wr32(func_rec(b, 1) + 32, 3);
    expect_reject(b, len, "Error: invalid bytecode: bad line table length (function 1, pc 0)");
    RESET();
    free(save);
    free(b);
#undef RESET
}

/* Code checks on hand-made code written over function 1's code (its length
 * is adjusted; the file length stays the same). */
static void reject_code(const uint8_t *code, uint32_t n, uint16_t nlocals, uint16_t stack,
                        const char *msg)
{
    size_t len;
    uint8_t *b = copy_small(&len);
    uint8_t *f = func_rec(b, 1);
    assert_true(n <= rd32(f + 24));
    memcpy(code_of(b, 1), code, n);
    wr32(f + 24, n);
    wr32(f + 32, 0); /* no line table */
    wr16(f + 10, nlocals);
    wr16(f + 12, stack);
    expect_reject(b, len, msg);
    free(b);
}

static void test_verify_rejects_bad_code(void **state)
{
    (void)state;
    /* the real function 1 must load: the tests below change one thing each */
    size_t len;
    uint8_t *b = copy_small(&len);
    ujs_ctx *ctx = fresh(mem2, sizeof mem2);
    ujs_value fn;
    assert_int_equal(ujs_load_bytecode(ctx, b, len, &fn), UJS_OK);
    ujs_free_context(ctx);
    free(b);
    const uint8_t ret_undef = OP_return_undef;
    uint8_t c[16];

    c[0] = 0;
    reject_code(c, 1, 1, 8, "Error: invalid bytecode: invalid opcode (function 1, pc 0)");
    c[0] = 250;
    reject_code(c, 1, 1, 8, "Error: invalid bytecode: invalid opcode (function 1, pc 0)");
    c[0] = OP_get_loc;
    reject_code(c, 2, 1, 8,
                "Error: invalid bytecode: instruction runs past the end of the code (function 1, "
                "pc 0)");
    uint8_t c_loc[] = {OP_get_loc, 5, 0, ret_undef};
    reject_code(c_loc, 4, 1, 8,
                "Error: invalid bytecode: local index out of range (function 1, pc 0)");
    uint8_t c_arg[] = {OP_get_arg, 1, 0, ret_undef};
    reject_code(c_arg, 4, 1, 8,
                "Error: invalid bytecode: argument index out of range (function 1, pc 0)");
    uint8_t c_const[] = {OP_push_const, 99, 0, ret_undef};
    reject_code(c_const, 4, 1, 8,
                "Error: invalid bytecode: constant index out of range (function 1, pc 0)");
    uint8_t c_cvar[] = {OP_get_cvar, 0, 0, ret_undef};
    reject_code(c_cvar, 4, 1, 8,
                "Error: invalid bytecode: closure variable index out of range (function 1, pc 0)");
    uint8_t c_mixed[] = {OP_get_loc, 0, 0, OP_get_loc_ref, 0, 0, ret_undef};
    reject_code(
        c_mixed, 7, 1, 8,
        "Error: invalid bytecode: variable used both plain and captured (function 1, pc 3)");
    uint8_t c_under[] = {OP_drop, ret_undef};
    reject_code(c_under, 2, 1, 8, "Error: invalid bytecode: stack underflow (function 1, pc 0)");
    uint8_t c_over[] = {OP_push_undef, OP_dup, OP_dup, ret_undef};
    reject_code(c_over, 4, 1, 2, "Error: invalid bytecode: stack overflow (function 1, pc 2)");
    uint8_t c_end[] = {OP_push_undef};
    reject_code(c_end, 1, 1, 8,
                "Error: invalid bytecode: execution falls off the end of the code (function 1, "
                "pc 0)");
}

/* Jumps, handlers and gosub, on function 1. */
static void test_verify_rejects_bad_control_flow(void **state)
{
    (void)state;
    const uint8_t JMP = OP_jmp, JFALSE = OP_jfalse, CATCH = OP_catch, GOSUB = OP_gosub,
                  RET = OP_ret, RU = OP_return_undef;
    uint8_t c_out[] = {JMP, 100, 0, 0, 0, RU};
    reject_code(c_out, 6, 1, 8,
                "Error: invalid bytecode: jump target outside the function (function 1, pc 0)");
    uint8_t c_mid[] = {JMP, 1, 0, 0, 0, OP_push_i8, 1, RU};
    reject_code(c_mid, 8, 1, 8,
                "Error: invalid bytecode: jump target inside an instruction (function 1, pc 0)");
    /* depth 1 on one path, 0 on the other */
    uint8_t c_depth[] = {OP_push_undef, JFALSE, 1, 0, 0, 0, OP_push_undef, RU};
    reject_code(c_depth, 8, 1, 8,
                "Error: invalid bytecode: inconsistent stack depth (function 1, pc 6)");
    /* a catch marker read as a value */
    uint8_t c_catch[] = {CATCH, 1, 0, 0, 0, OP_dup, RU};
    reject_code(c_catch, 7, 1, 8,
                "Error: invalid bytecode: internal word used as a value (function 1, pc 5)");
    /* ret on a plain value: would jump anywhere */
    uint8_t c_ret[] = {OP_push_i8, 0, RET};
    reject_code(c_ret, 3, 1, 8,
                "Error: invalid bytecode: ret without a return address on top (function 1, pc 2)");
    /* a return address used as a value */
    uint8_t c_rv[] = {GOSUB, 1, 0, 0, 0, RU, OP_dup, RET};
    reject_code(c_rv, 8, 1, 8,
                "Error: invalid bytecode: internal word used as a value (function 1, pc 6)");
    /* for_next without for_of_start */
    const uint8_t FOR_NEXT = OP_for_next;
    uint8_t c_for[] = {OP_push_undef, OP_push_undef, FOR_NEXT, 0, 0, 0, 0, RU};
    reject_code(c_for, 8, 1, 8,
                "Error: invalid bytecode: loop step without its loop state (function 1, pc 2)");
}

/* jcmp_i16: its condition byte, its one operand, its jump (offset after the
 * i16 constant); jseq_i16's jump; put_elem_drop's three operands;
 * return_i8's operand byte and the end of its block; the i16 arithmetic
 * instructions' one operand. */
static void accept_code(const uint8_t *code, uint32_t n)
{
    size_t len;
    uint8_t *b = copy_small(&len);
    memcpy(code_of(b, 1), code, n);
    wr32(func_rec(b, 1) + 24, n);
    wr32(func_rec(b, 1) + 32, 0);
    ujs_ctx *ctx = fresh(mem2, sizeof mem2);
    ujs_value fn;
    assert_int_equal(ujs_load_bytecode(ctx, b, len, &fn), UJS_OK);
    ujs_free_context(ctx);
    free(b);
}

static void test_verify_checks_the_fused_instructions_of_version_3(void **state)
{
    (void)state;
    const uint8_t J = OP_jcmp_i16, RU = OP_return_undef;
    uint8_t c_ok[] = {OP_push_i8, 7, J, 0x83, 7, 0, 0, 0, 0, 0, RU};
    accept_code(c_ok, sizeof c_ok);
    uint8_t c_cond[] = {OP_push_i8, 7, J, 0x05, 7, 0, 0, 0, 0, 0, RU};
    reject_code(c_cond, sizeof c_cond, 1, 8,
                "Error: invalid bytecode: bad comparison operand (function 1, pc 2)");
    uint8_t c_under[] = {J, 0, 7, 0, 0, 0, 0, 0, RU};
    reject_code(c_under, sizeof c_under, 1, 8,
                "Error: invalid bytecode: stack underflow (function 1, pc 0)");
    uint8_t c_out[] = {OP_push_i8, 7, J, 0, 7, 0, 1, 0, 0, 0, RU};
    reject_code(c_out, sizeof c_out, 1, 8,
                "Error: invalid bytecode: jump target outside the function (function 1, pc 2)");
    uint8_t c_mid[] = {OP_push_i8, 7, J, 0, 7, 0, 0xfe, 0xff, 0xff, 0xff, RU};
    reject_code(c_mid, sizeof c_mid, 1, 8,
                "Error: invalid bytecode: jump target inside an instruction (function 1, pc 2)");
    uint8_t c_seq[] = {OP_push_i8, 7, OP_jseq_i16, 7, 0, 0xfe, 0xff, 0xff, 0xff, RU};
    reject_code(c_seq, sizeof c_seq, 1, 8,
                "Error: invalid bytecode: jump target inside an instruction (function 1, pc 2)");
    uint8_t c_sequnder[] = {OP_jsneq_i16, 7, 0, 0, 0, 0, 0, RU};
    reject_code(c_sequnder, sizeof c_sequnder, 1, 8,
                "Error: invalid bytecode: stack underflow (function 1, pc 0)");
    uint8_t c_put[] = {OP_push_undef, OP_push_undef, OP_put_elem_drop, RU};
    reject_code(c_put, sizeof c_put, 1, 8,
                "Error: invalid bytecode: stack underflow (function 1, pc 2)");
    uint8_t c_add[] = {OP_add_i16, 1, 0, RU};
    reject_code(c_add, sizeof c_add, 1, 8,
                "Error: invalid bytecode: stack underflow (function 1, pc 0)");
    uint8_t c_shr[] = {OP_push_i8, 1, OP_shr_i16, 0xff, 0xff, OP_return};
    accept_code(c_shr, sizeof c_shr);
    uint8_t c_ret[] = {OP_return_i8};
    reject_code(c_ret, sizeof c_ret, 1, 8,
                "Error: invalid bytecode: instruction runs past the end of the code (function 1, "
                "pc 0)");
    /* return_i8 ends its block: the unreachable drop after it is no underflow */
    uint8_t c_end[] = {OP_return_i8, 1, OP_drop, RU};
    accept_code(c_end, sizeof c_end);
    uint8_t c_fall[] = {OP_push_i8, 1, OP_drop, OP_drop, RU};
    reject_code(c_fall, sizeof c_fall, 1, 8,
                "Error: invalid bytecode: stack underflow (function 1, pc 3)");
}

/* ---- every single-byte mutation is rejected or runs safely ---- */

static bool budget_hook(ujs_ctx *ctx, void *opaque)
{
    (void)ctx;
    uint32_t *left = opaque;
    if (*left == 0) return true;
    (*left)--;
    return false;
}

static const char *const mut_progs[] = {
    "function f(a, b) { var t = a * b; for (var i = 0; i < 3; i++) t += i; return t; }\n"
    "var r = f(2, 3), v = [0]; if (r === 9 || !(r > 2)) v[0] = r + 1 | 0;\n",
    "var o = {x: 1, get y() { return this.x + 1; }};\n"
    "function g(n) { var c = 0; return function () { c += n; return c; }; }\n"
    "var h = g(2); h(); var s = 'a' + o.y;\n",
    "function t(x) { try { if (x) throw new Error('e'); return 1; } catch (e) { return 2; }\n"
    "  finally { x = 0; } }\n"
    "var k = 0; for (var p in {a: 1}) k++; for (var q of [1, 2]) k += q; t(1); t(0);\n",
};

static void test_bytecode_every_single_byte_mutation_is_rejected_or_safe(void **state)
{
    (void)state;
    static uintptr_t small_mem[(32 << 10) / sizeof(uintptr_t)];
    unsigned long total = 0, rejected = 0, ran = 0;
    for (size_t pi = 0; pi < sizeof mut_progs / sizeof mut_progs[0]; pi++) {
        size_t len;
        ujs_ctx *ctx = fresh(mem, sizeof mem);
        uint8_t *bc = compile_bc(ctx, mut_progs[pi], UJS_BC_STRIP, &len);
        ujs_free_context(ctx);
        uint8_t *m = malloc(len);
        assert_non_null(m);
        for (size_t off = 0; off < len; off++) {
            for (unsigned alt = 1; alt < 256; alt++) {
                memcpy(m, bc, len);
                m[off] = (uint8_t)(bc[off] ^ alt);
                ctx = fresh(small_mem, sizeof small_mem);
                uint32_t budget = 200;
                ujs_set_interrupt_handler(ctx, budget_hook, &budget, 1);
                ujs_value fn;
                total++;
                if (ujs_load_bytecode(ctx, m, len, &fn) != UJS_OK) {
                    rejected++;
                } else {
                    ran++;
                    ujs_call(ctx, fn, ujs_get_global_object(ctx), 0, NULL, NULL);
                }
                ujs_free_context(ctx);
            }
        }
        free(m);
        free(bc);
    }
    printf("single-byte mutations: %lu total, %lu rejected by the verifier, %lu ran safely\n",
           total, rejected, ran);
    assert_int_equal(total, rejected + ran);
    assert_true(rejected > 0 && ran > 0);
}

/* ---- engine fixes found while writing the verifier ---- */

static double eval_number(ujs_ctx *ctx, const char *src)
{
    ujs_value v;
    double d;
    assert_int_equal(ujs_eval(ctx, src, strlen(src), "fix.js", &v), UJS_OK);
    assert_int_equal(ujs_get_property(ctx, ujs_get_global_object(ctx), "r", &v), UJS_OK);
    assert_int_equal(ujs_to_number(ctx, v, &d), UJS_OK);
    return d;
}

/* `break` out of a finally block entered by an exception used to leave the
 * exception on the operand stack: in a loop the stack overflowed (crash). */
static void test_break_out_of_finally_after_exception_keeps_the_stack(void **state)
{
    (void)state;
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    double d = eval_number(ctx, "var r = 0;\n"
                                "while (r < 100000) { r++; for (;;) { try { throw 1; } finally { "
                                "break; } } }\n");
    assert_true(d == 100000);
    ujs_free_context(ctx);
}

/* `arguments` of a function whose parameter is captured holds the value, not its box. */
static void test_arguments_of_a_captured_parameter_is_its_value(void **state)
{
    (void)state;
    ujs_ctx *ctx = fresh(mem, sizeof mem);
    double d = eval_number(ctx, "function f(a) { function g() { return a; } "
                                "return arguments[0] + g(); }\n"
                                "var r = f(20);\n");
    assert_true(d == 40);
    ujs_free_context(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytecode_roundtrip_runs_and_functions_are_callable_by_name),
        cmocka_unit_test(test_bytecode_write_is_deterministic),
        cmocka_unit_test(test_bytecode_strip_drops_names_and_lines),
        cmocka_unit_test(test_bytecode_runs_in_place_from_read_only_memory),
        cmocka_unit_test(test_bytecode_load_heap_cost_is_one_word_per_function_and_atom),
        cmocka_unit_test(test_bytecode_heap_cost_does_not_depend_on_code_length),
        cmocka_unit_test(test_bytecode_lazy_functions_and_atoms_are_made_once),
        cmocka_unit_test(test_bytecode_stack_trace_names_a_utf16_file_name),
        cmocka_unit_test(test_verify_rejects_bad_header),
        cmocka_unit_test(test_verify_rejects_bad_tables),
        cmocka_unit_test(test_verify_rejects_bad_code),
        cmocka_unit_test(test_verify_rejects_bad_control_flow),
        cmocka_unit_test(test_verify_checks_the_fused_instructions_of_version_3),
        cmocka_unit_test(test_bytecode_every_single_byte_mutation_is_rejected_or_safe),
        cmocka_unit_test(test_break_out_of_finally_after_exception_keeps_the_stack),
        cmocka_unit_test(test_arguments_of_a_captured_parameter_is_its_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
