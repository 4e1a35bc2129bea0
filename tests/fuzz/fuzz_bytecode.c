/*
 * Fuzzes the bytecode verifier and loader: arbitrary bytes are loaded and,
 * if the verifier accepts them, run inside a small context with a step
 * budget. Any crash, sanitizer report or hang is a bug; rejection,
 * exceptions, out of memory and interrupts are normal outcomes. Seeds:
 * corpus/bytecode (valid files written by `ujs -o`).
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
    static uintptr_t mem[(32 << 10) / sizeof(uintptr_t)];
    if (size > 16384) return 0;
    /* the header says how long the file is: make mutated lengths match often */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) abort();
    memcpy(buf, data, size);
    if (size >= 12) {
        buf[8] = (uint8_t)size;
        buf[9] = (uint8_t)(size >> 8);
        buf[10] = buf[11] = 0;
    }
    ujs_ctx *ctx = ujs_new_context(mem, sizeof mem, NULL);
    if (!ctx) abort();
    uint32_t budget = 2000;
    ujs_set_interrupt_handler(ctx, stop_after_budget, &budget, 1);
    ujs_value fn;
    if (ujs_load_bytecode(ctx, buf, size, &fn) == UJS_OK)
        ujs_call(ctx, fn, ujs_get_global_object(ctx), 0, NULL, NULL);
    ujs_free_context(ctx);
    free(buf);
    return 0;
}
