/* The allocation contract (spec §7.5.3): a million runs of the spec §18
 * filter and of a map-heavy program leave heap_used and gc_count exactly
 * where the first run left them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "helpers_fixture.h"

#if defined(__SANITIZE_ADDRESS__)
#define RUNS 100000u
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUNS 100000u
#endif
#endif
#ifndef RUNS
#define RUNS 1000000u
#endif

static const uint8_t pkt[4] = {0xFF, 2, 3, 4};

static void run_many(fx_t *f, const void *blob, ujs_ref *rf_, uint32_t runs)
{
    for (uint32_t i = 0; i < runs; i++) {
        mbpf_helpers_begin_run(&f->h, blob, 100);
        ujs_value arg = mbpf_helpers_ctx_value(&f->h), r;
        int st = ujs_call(f->ctx, rf_->val, UJS_UNDEFINED, 1, &arg, &r);
        mbpf_helpers_end_run(&f->h);
        if (st != UJS_OK) fail_msg("run %u: status %d", i, st);
        if (r != ujs_new_int32(f->ctx, 1)) fail_msg("run %u: wrong result", i);
    }
}

static void check_no_growth(fx_t *f, const void *blob, const char *name)
{
    /* the name lookup may intern a string: do it before measuring */
    ujs_value fn;
    assert_int_equal(ujs_get_property(f->ctx, ujs_get_global_object(f->ctx), name, &fn), UJS_OK);
    ujs_ref rf;
    ujs_push_ref(f->ctx, &rf, fn);
    run_many(f, blob, &rf, 1);
    ujs_mem_stats a, b;
    ujs_get_mem_stats(f->ctx, &a);
    run_many(f, blob, &rf, RUNS);
    ujs_get_mem_stats(f->ctx, &b);
    ujs_pop_ref(f->ctx, &rf);
    print_message("%s: %u runs, heap_used %zu -> %zu, gc_count %u -> %u\n", name, RUNS, a.heap_used,
                  b.heap_used, a.gc_count, b.gc_count);
    assert_int_equal(a.heap_used, b.heap_used);
    assert_int_equal(a.gc_count, b.gc_count);
}

static void test_spec_filter_allocates_nothing(void **s)
{
    (void)s;
    fx_t f;
    assert_int_equal(fx_init(&f, 8 << 10, MBPF_HOOK_NET_RX, 0, false), UJS_OK);
    assert_int_equal(fx_define(&f, "mbpf_prog",
                               "if (ctx.pkt_len < 1) return 0;"
                               "var b0 = ctx.readU8(0); if (b0 === 0xFF) return 1; return 0;"),
                     UJS_OK);
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, 64, sizeof pkt, 0x0800, 0, pkt, NULL};
    check_no_growth(&f, &c, "mbpf_prog");
    fx_free(&f);
}

static void test_map_heavy_program_allocates_nothing(void **s)
{
    (void)s;
    fx_t f;
    assert_int_equal(fx_init(&f, 16 << 10, MBPF_HOOK_NET_RX, MBPF_CAP_ALL, false), UJS_OK);
    const char *globals =
        "var k = new Uint8Array(4), v = new Uint8Array(4), o = new Uint8Array(4),"
        " v8 = new Uint8Array(8), b = new Uint8Array(8), u = [0, 0], t = [0, 0],"
        " it = new Uint8Array(4), st = new Uint8Array(104),"
        " lk = new Uint8Array([32, 0, 0, 0, 10, 1, 2, 3]), lv = new Uint8Array(1);";
    assert_int_equal(ujs_eval(f.ctx, globals, strlen(globals), "g.js", NULL), UJS_OK);
    assert_int_equal(
        fx_define(
            &f, "prog",
            "k[0] = ctx.readU8(0) & 1;"
            "if (!maps.hash.lookup(k, o)) maps.hash.update(k, v);"
            "maps.arr.lookup(1, v8); maps.arr.update(2, v8, mbpf.ANY);"
            "maps.ctr.add(0, 1); maps.ctr.get(0, u);"
            "mbpf.u64StoreLE(b, 0, u); mbpf.u64LoadLE(b, 0, t);"
            "mbpf.nowNs(u); mbpf.stats(st); ctx.readBytes(0, 4, o);"
            "var more = maps.hash.nextKey(null, it); while (more) more = maps.hash.nextKey(it, it);"
            "mbpf.mapLookup(0, 1, v8); maps.lpm.lookup(lk, lv);"
            "mbpf.emit(7, k); mbpf.log(1, 'tick'); maps.ring.output(k);"
            "return ctx.truncated ? 0 : 1;"),
        UJS_OK);
    /* 64-bit targets keep u32 halves >= 2^31 as small integers */
    f.now = sizeof(ujs_value) >= 8 ? 0xFFFFFFFFFFFFFFFFull : 0x3FFFFFFF3FFFFFFFull;
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, 64, sizeof pkt, 0x0800, 0, pkt, NULL};
    check_no_growth(&f, &c, "prog");
    uint64_t n;
    assert_int_equal(mbpf_map_counter_get(&f.maps[M_CTR], 0, &n), 0);
    assert_int_equal(n, RUNS + 1);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_filter_allocates_nothing),
        cmocka_unit_test(test_map_heavy_program_allocates_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
