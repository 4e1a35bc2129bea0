/* Instructions of one spec-§18-style filter call through the helpers:
 * `return ctx.readU8(0) === 0xFF ? 1 : 0` via ujs_call on a prebuilt
 * function, with begin_run/end_run around it (what exec_ujs will do).
 * Run under callgrind with N and 2N iterations and subtract, or use the
 * client requests below when valgrind headers are present.
 * Usage: bench_helpers_readu8 [iterations] */
#include "helpers_fixture.h"

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    fx_t f;
    if (fx_init(&f, 4 << 10, MBPF_HOOK_NET_RX, 0, false)) return 1;
    if (fx_define(&f, "mbpf_prog", "return ctx.readU8(0) === 0xFF ? 1 : 0;")) return 1;
    static const uint8_t pkt[1] = {0xFF};
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, 1, 1, 0, 0, pkt, NULL};
    ujs_value fn;
    if (ujs_get_property(f.ctx, ujs_get_global_object(f.ctx), "mbpf_prog", &fn)) return 1;
    ujs_ref rf;
    ujs_push_ref(f.ctx, &rf, fn);
    long sum = 0;
    for (unsigned long i = 0; i < n; i++) {
        mbpf_helpers_begin_run(&f.h, &c, 100);
        ujs_value arg = mbpf_helpers_ctx_value(&f.h), r;
        if (ujs_call(f.ctx, rf.val, UJS_UNDEFINED, 1, &arg, &r)) return 1;
        mbpf_helpers_end_run(&f.h);
        sum += r == ujs_new_int32(f.ctx, 1);
    }
    ujs_pop_ref(f.ctx, &rf);
    printf("%ld of %lu runs returned 1\n", sum, n);
    fx_free(&f);
    return sum == (long)n ? 0 : 1;
}
