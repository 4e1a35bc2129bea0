/*
 * Fuzzes loaded bytecode close to valid files: at start-up a few programs
 * are compiled to bytecode; each input picks one (first byte) and applies
 * byte edits to it (then groups of three bytes: u16 offset, xor value)
 * before loading and running it with a small heap and a step budget. Most
 * inputs thus get past the header checks and exercise the code verifier
 * and the interpreter on almost-valid code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ujs.h"

static const char *const progs[] = {
    "function f(a, b) { var t = a * b; for (var i = 0; i < 3; i++) t += i; return t; }\n"
    "var r = f(2, 3);\n",
    "var o = {x: 1, get y() { return this.x + 1; }, set z(v) { this.x = v; }};\n"
    "function g(n) { var c = 0; return function () { c += n; return c; }; }\n"
    "var h = g(2); h(); o.z = 5; var s = 'a' + o.y + '\\u2603';\n",
    "function t(x) { try { if (x) throw new Error('e'); return 1; } catch (e) { return 2; }\n"
    "  finally { x = 0; } }\n"
    "var k = 0; for (var p in {a: 1, b: 2}) k++; for (var q of [1, 2]) k += q; t(1); t(0);\n"
    "function args() { return arguments.length; } args(1, 2);\n"
    "switch (k) { case 1: k = 2; break; default: k = 3; }\n"
    "var u = new Uint8Array(4); u[1] = 7; var big = 2 ** 40 + 0.5;\n",
};
#define NPROGS (sizeof progs / sizeof progs[0])

static uint8_t *bc[NPROGS];
static size_t bc_len[NPROGS];

static bool stop_after_budget(ujs_ctx *ctx, void *opaque)
{
    (void)ctx;
    uint32_t *left = opaque;
    if (*left == 0) return true;
    (*left)--;
    return false;
}

static void init(void)
{
    static uintptr_t big[(256 << 10) / sizeof(uintptr_t)];
    for (size_t i = 0; i < NPROGS; i++) {
        ujs_ctx *ctx = ujs_new_context(big, sizeof big, NULL);
        ujs_value fn;
        ujs_ref rf; /* ujs_write_bytecode allocates: fn moves */
        size_t n = 0;
        if (!ctx || ujs_compile(ctx, progs[i], strlen(progs[i]), "m.js", &fn)) abort();
        ujs_push_ref(ctx, &rf, fn);
        if (ujs_write_bytecode(ctx, rf.val, NULL, 0, &n, 0) != UJS_EINVAL) abort();
        bc[i] = malloc(n);
        if (!bc[i] || ujs_write_bytecode(ctx, rf.val, bc[i], n, &bc_len[i], 0)) abort();
        ujs_pop_ref(ctx, &rf);
        ujs_free_context(ctx);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uintptr_t mem[(32 << 10) / sizeof(uintptr_t)];
    if (!bc[0]) init();
    if (size == 0 || size > 3 * 64 + 1) return 0;
    size_t p = data[0] % NPROGS, len = bc_len[p];
    uint8_t *buf = malloc(len);
    if (!buf) abort();
    memcpy(buf, bc[p], len);
    for (size_t i = 1; i + 3 <= size; i += 3) {
        size_t off = ((size_t)data[i] | (size_t)data[i + 1] << 8) % len;
        buf[off] ^= data[i + 2];
    }
    ujs_ctx *ctx = ujs_new_context(mem, sizeof mem, NULL);
    if (!ctx) abort();
    uint32_t budget = 2000;
    ujs_set_interrupt_handler(ctx, stop_after_budget, &budget, 1);
    ujs_value fn;
    if (ujs_load_bytecode(ctx, buf, len, &fn) == UJS_OK)
        ujs_call(ctx, fn, ujs_get_global_object(ctx), 0, NULL, NULL);
    ujs_free_context(ctx);
    free(buf);
    return 0;
}
