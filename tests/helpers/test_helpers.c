/* The helpers' JS surface: every object, method, property and error, driven
 * by JS snippets in a real ujs context over real maps and contexts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "helpers_fixture.h"

#define HEAP (96 << 10)

static fx_t F;
static const uint8_t pkt[8] = {0xFF, 0x01, 0x02, 0x03, 0x80, 0x00, 0x00, 0xF0};

static mbpf_ctx_net_v1_t net_blob(void)
{
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 7, 1500, sizeof pkt, 0x0800, 0, pkt, NULL};
    return c;
}

/* J(a): the elements of an array or Uint8Array joined with commas. */
static const char prelude[] = "function J(a) { var s = []; for (var i = 0; i < a.length; i++)"
                              " s.push(a[i]); return s.join(); }";

static fx_t *setup(uint32_t hook, uint32_t caps, bool debug)
{
    assert_int_equal(fx_init(&F, HEAP, hook, caps, debug), UJS_OK);
    assert_int_equal(ujs_eval(F.ctx, prelude, strlen(prelude), "prelude.js", NULL), UJS_OK);
    return &F;
}

static void teardown(void)
{
    fx_free(&F);
}

static void check_str(ujs_value v, const char *want)
{
    char buf[512];
    size_t len;
    assert_int_equal(ujs_to_cstring(F.ctx, v, buf, sizeof buf, &len), UJS_OK);
    assert_string_equal(buf, want);
}

static void expect_num(const void *blob, const char *body, double want)
{
    ujs_value r;
    int st = fx_run(&F, blob, 1000, body, &r);
    if (st) print_message("body: %s\n", body);
    if (st == UJS_EEXCEPTION) check_str(ujs_get_exception(F.ctx), "(no exception)");
    assert_int_equal(st, UJS_OK);
    assert_true(ujs_is_number(r));
    double d;
    assert_int_equal(ujs_to_number(F.ctx, r, &d), UJS_OK);
    if (d != want) print_message("body: %s\ngot %.17g, want %.17g\n", body, d, want);
    assert_true(d == want);
}

static void expect_str(const void *blob, const char *body, const char *want)
{
    ujs_value r;
    int st = fx_run(&F, blob, 1000, body, &r);
    if (st) print_message("body: %s\n", body);
    if (st == UJS_EEXCEPTION) check_str(ujs_get_exception(F.ctx), "(no exception)");
    assert_int_equal(st, UJS_OK);
    check_str(r, want);
}

/* The exception as "Name: message". */
static void expect_err(const void *blob, const char *body, const char *want)
{
    ujs_value r;
    assert_int_equal(fx_run(&F, blob, 1000, body, &r), UJS_EEXCEPTION);
    check_str(ujs_get_exception(F.ctx), want);
}

/* ---- mbpf ---- */

static void test_mbpf_api_version_and_flag_constants(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_ALL, false);
    expect_num(NULL, "return mbpf.apiVersion;", 0x10000);
    expect_num(NULL, "return mbpf.ANY * 100 + mbpf.NOEXIST * 10 + mbpf.EXIST;", 12);
    expect_err(NULL, "mbpf.apiVersion = 2;", "TypeError: host object is read-only");
    teardown();
}

static void test_ungranted_helpers_are_absent(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, 0, false);
    expect_str(NULL,
               "return [typeof mbpf.log, typeof mbpf.nowNs, typeof mbpf.stats, typeof mbpf.emit,"
               " typeof mbpf.mapLookup, typeof mbpf.mapUpdate, typeof mbpf.mapDelete,"
               " typeof mbpf.u64LoadLE, typeof mbpf.u64StoreLE, typeof console].join();",
               "undefined,undefined,undefined,undefined,undefined,undefined,undefined,"
               "function,function,undefined");
    expect_str(NULL,
               "return [typeof maps.hash.lookup, typeof maps.hash.update, typeof maps.hash.delete,"
               " typeof maps.hash.nextKey, typeof maps.ctr.add, typeof maps.ctr.get,"
               " typeof maps.ring.output, maps.hash.key_size].join();",
               "undefined,undefined,undefined,undefined,undefined,undefined,undefined,4");
    teardown();
}

static void test_read_only_map_access_has_no_writers(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ, false);
    expect_str(NULL,
               "return [typeof maps.hash.lookup, typeof maps.hash.update, typeof maps.hash.delete,"
               " typeof maps.hash.nextKey, typeof maps.ctr.get, typeof maps.ctr.add,"
               " typeof mbpf.mapLookup, typeof mbpf.mapUpdate].join();",
               "function,undefined,undefined,undefined,function,undefined,function,undefined");
    teardown();
}

/* Defense in depth: a helper that is installed still checks the capability
 * when called (here the grant is revoked after install). */
static void test_helper_checks_capability_when_called(void **s)
{
    (void)s;
    fx_t other;
    assert_int_equal(fx_init(&other, HEAP, MBPF_HOOK_NET_RX, MBPF_CAP_ALL, false), UJS_OK);
    other.h.caps &= ~(uint32_t)MBPF_CAP_LOG;
    mbpf_helpers_begin_run(&other.h, NULL, 100);
    assert_int_equal(ujs_eval(other.ctx, "mbpf.log(1, 'x')", 16, "t.js", NULL), UJS_EEXCEPTION);
    char buf[128];
    size_t n;
    assert_int_equal(ujs_to_cstring(other.ctx, ujs_get_exception(other.ctx), buf, sizeof buf, &n),
                     UJS_OK);
    assert_string_equal(buf, "TypeError: mbpf.log: CAP_LOG not granted");
    assert_int_equal(other.nlog, 0);
    other.h.caps &= ~(uint32_t)MBPF_CAP_MAP_WRITE;
    assert_int_equal(ujs_eval(other.ctx, "maps.hash.delete(new Uint8Array(4))", 35, "t.js", NULL),
                     UJS_EEXCEPTION);
    assert_int_equal(ujs_to_cstring(other.ctx, ujs_get_exception(other.ctx), buf, sizeof buf, &n),
                     UJS_OK);
    assert_string_equal(buf, "TypeError: maps.hash.delete: CAP_MAP_WRITE not granted");
    fx_free(&other);
}

static void test_log_levels_truncation_and_rate_limit(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_LOG, false);
    expect_num(NULL, "mbpf.log(1, 'hello'); mbpf.log(3, 42); mbpf.log(0, 'dbg'); return 0;", 0);
    assert_int_equal(F.nlog, 2);
    assert_string_equal(F.log[0], "hello");
    assert_int_equal(F.log_level[0], MBPF_LOG_INFO);
    assert_string_equal(F.log[1], "42");
    assert_int_equal(F.log_level[1], MBPF_LOG_ERROR);
    expect_err(NULL, "mbpf.log(4, 'x');", "RangeError: mbpf.log: level must be 0..3, got 4");
    expect_err(NULL, "mbpf.log('1', 'x');", "TypeError: mbpf.log: level must be a number");
    expect_err(NULL, "mbpf.log(1.5, 'x');",
               "RangeError: mbpf.log: level must be an integer in [0, 2^32)");
    /* a 200-byte message is cut to 127 bytes */
    F.nlog = 0;
    expect_num(NULL,
               "var s = ''; for (var i = 0; i < 200; i++) s += 'a'; mbpf.log(2, s); return 0;", 0);
    assert_int_equal(F.nlog, 1);
    assert_int_equal(strlen(F.log[0]), MBPF_HELPERS_LOG_MAX - 1);
    /* token bucket: 16 at once; 14 tokens left after the 2 above... refill
     * after one second of clock */
    F.nlog = 0;
    F.now += 2000000000ull;
    expect_num(NULL, "for (var i = 0; i < 20; i++) mbpf.log(1, 'm' + i); return 0;", 0);
    assert_int_equal(F.nlog, 16);
    assert_int_equal(mbpf_helpers_log_dropped(&F.h), 4);
    F.now += 10000000ull; /* 10 ms at 100/s: one token */
    expect_num(NULL, "mbpf.log(1, 'a'); mbpf.log(1, 'b'); return 0;", 0);
    assert_int_equal(F.nlog, 17);
    assert_int_equal(mbpf_helpers_log_dropped(&F.h), 5);
    teardown();
}

static void test_debug_mode_installs_console_and_passes_debug_logs(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_LOG, true);
    expect_num(NULL, "console.log('c'); mbpf.log(0, 'd'); return 0;", 0);
    assert_int_equal(F.nlog, 2);
    assert_string_equal(F.log[0], "c");
    assert_int_equal(F.log_level[0], MBPF_LOG_INFO);
    assert_string_equal(F.log[1], "d");
    expect_err(NULL, "console = 1;", "TypeError: property is read-only");
    teardown();
}

static void test_u64_round_trips_including_all_ones_halves(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, 0, false);
    expect_str(NULL,
               "var b = new Uint8Array(12); var o = [0, 0];"
               "mbpf.u64StoreLE(b, 2, [0xFFFFFFFF, 0xFFFFFFFF]); mbpf.u64LoadLE(b, 2, o);"
               "var r = [o[0], o[1], b[0], b[1], b[2], b[9], b[10]];"
               "mbpf.u64StoreLE(b, 4, [0x04030201, 0x08070605]); mbpf.u64LoadLE(b, 4, o);"
               "r.push(o[0], o[1], b[4], b[11], b[3]); return r.join();",
               "4294967295,4294967295,0,0,255,255,0,67305985,134678021,1,8,255");
    expect_str(NULL,
               "var b = new Uint8Array(8); var o = [7, 7];"
               "mbpf.u64StoreLE(b, 0, [0x80000000, 0x40000000]); mbpf.u64LoadLE(b, 0, o);"
               "return o.join() + ':' + J(b);",
               "2147483648,1073741824:0,0,0,128,0,0,0,64");
    teardown();
}

static void test_u64_errors(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, 0, false);
    expect_err(NULL, "mbpf.u64LoadLE([1], 0, [0, 0]);",
               "TypeError: mbpf.u64LoadLE: bytes must be a Uint8Array");
    expect_err(NULL, "mbpf.u64LoadLE(new Uint8Array(8), 1, [0, 0]);",
               "RangeError: mbpf.u64LoadLE: offset 1 + 8 out of bounds (length 8)");
    expect_err(NULL, "mbpf.u64LoadLE(new Uint8Array(8), -1, [0, 0]);",
               "RangeError: mbpf.u64LoadLE: offset must be an integer in [0, 2^32)");
    expect_err(NULL, "mbpf.u64LoadLE(new Uint8Array(8), 0, 5);",
               "TypeError: mbpf.u64LoadLE: out must be a u64 array [lo, hi]");
    expect_err(NULL, "mbpf.u64LoadLE(new Uint8Array(8), 0, [0]);",
               "RangeError: mbpf.u64LoadLE: out must have 2 elements");
    expect_err(NULL, "mbpf.u64StoreLE(new Uint8Array(8), 0, [0x100000000, 0]);",
               "RangeError: mbpf.u64StoreLE: val[0] must be an integer in [0, 2^32)");
    expect_err(NULL, "mbpf.u64StoreLE(new Uint8Array(8), 0, [0, -1]);",
               "RangeError: mbpf.u64StoreLE: val[1] must be an integer in [0, 2^32)");
    expect_err(NULL, "mbpf.u64StoreLE(new Uint8Array(8), 0, [0, 'x']);",
               "TypeError: mbpf.u64StoreLE: val[1] must be a number");
    expect_err(NULL, "mbpf.u64StoreLE(new Uint8Array(8), 0, new Uint8Array(8));",
               "TypeError: mbpf.u64StoreLE: val must be a u64 array [lo, hi]");
    expect_err(NULL, "mbpf.u64StoreLE(new Uint8Array(7), 0, [0, 0]);",
               "RangeError: mbpf.u64StoreLE: offset 0 + 8 out of bounds (length 7)");
    teardown();
}

static void test_now_ns_stats_and_emit(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_TIME | MBPF_CAP_STATS | MBPF_CAP_EMIT, false);
    F.now = 0x123456789ABCull;
    expect_str(NULL, "var o = [0, 0]; mbpf.nowNs(o); return o.join();", "1450744508,4660");
    expect_str(NULL, "var o = new Uint8Array(8); mbpf.nowNs(o); return J(o);",
               "188,154,120,86,52,18,0,0");
    F.stats.invocations = 5;
    F.stats.budget_helpers = 0x100000002ull;
    F.stats.deferred_drops = 9;
    expect_str(NULL,
               "var b = new Uint8Array(104); var n = mbpf.stats(b); var o = [0, 0], r = [n];"
               "mbpf.u64LoadLE(b, 0, o); r.push(o.join(':'));"
               "mbpf.u64LoadLE(b, 48, o); r.push(o.join(':'));"
               "mbpf.u64LoadLE(b, 96, o); r.push(o.join(':'));"
               "r.push(mbpf.stats(new Uint8Array(17))); return r.join();",
               "13,5:0,2:1,9:0,2");
    expect_err(NULL, "mbpf.stats(new Uint8Array(7));",
               "RangeError: mbpf.stats: out must have at least 8 bytes");
    F.stats_fail = true;
    expect_err(NULL, "mbpf.stats(new Uint8Array(8));", "Error: mbpf.stats: statistics unavailable");
    F.stats_fail = false;
    expect_num(NULL, "return mbpf.emit(0x01020304, new Uint8Array([9, 8])) ? 1 : 0;", 1);
    mbpf_map_ringbuf_stats_t rs;
    assert_int_equal(mbpf_map_ringbuf_stats(&F.maps[M_RING], &rs), 0);
    assert_int_equal(rs.written, 1);
    /* the ring's record limit (256 - 8 header bytes), less the 4-byte id */
    expect_num(NULL, "return mbpf.emit(1, new Uint8Array(1)) ? 1 : 0;", 1);
    expect_err(NULL, "mbpf.emit(1, new Uint8Array(245));",
               "RangeError: mbpf.emit: 245 bytes exceed the ring buffer's limit of 244");
    expect_err(NULL, "mbpf.emit(1, [1]);", "TypeError: mbpf.emit: bytes must be a Uint8Array");
    /* fill the 256-byte ring: a full ring drops and returns false */
    expect_num(NULL,
               "var b = new Uint8Array(100), n = 0;"
               "for (var i = 0; i < 5; i++) if (!mbpf.emit(i, b)) n++; return n;",
               3); /* 16 + 16 + 2 * 112 = 256 bytes, then full */
    teardown();
}

static int ring_rec(void *user, const void *data, size_t len)
{
    uint8_t *out = user;
    memcpy(out, data, len);
    out[63] = (uint8_t)len;
    return 0;
}

static void test_emit_record_is_event_id_then_bytes(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_EMIT, false);
    expect_num(NULL, "return mbpf.emit(0x01020304, new Uint8Array([9, 8])) ? 1 : 0;", 1);
    uint8_t got[64] = {0};
    assert_int_equal(mbpf_map_ringbuf_consume(&F.maps[M_RING], ring_rec, got, 0), 1);
    assert_int_equal(got[63], 6);
    const uint8_t want[6] = {4, 3, 2, 1, 9, 8};
    assert_memory_equal(got, want, 6);
    expect_num(NULL, "return maps.ring.output(new Uint8Array([5])) ? 1 : 0;", 1);
    assert_int_equal(mbpf_map_ringbuf_consume(&F.maps[M_RING], ring_rec, got, 0), 1);
    assert_int_equal(got[63], 1);
    assert_int_equal(got[0], 5);
    teardown();
}

/* ---- maps ---- */

static void test_array_map_from_js(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE, false);
    expect_str(NULL,
               "var v = new Uint8Array(8), o = new Uint8Array(8); v[0] = 7; v[7] = 9;"
               "maps.arr.update(3, v); var r = [maps.arr.lookup(3, o), o[0], o[7]];"
               "r.push(maps.arr.lookup(0, o), o[0]);"
               "r.push(maps.arr.type, maps.arr.key_size, maps.arr.value_size,"
               " maps.arr.max_entries, typeof maps.arr.delete); return r.join();",
               "true,7,9,true,0,1,4,8,4,undefined");
    expect_err(NULL, "maps.arr.lookup(4, new Uint8Array(8));",
               "RangeError: maps.arr.lookup: index out of range (max_entries 4)");
    expect_err(NULL, "maps.arr.lookup(new Uint8Array(4), new Uint8Array(8));",
               "TypeError: maps.arr.lookup: key must be a number");
    expect_err(NULL, "maps.arr.lookup(0, new Uint8Array(4));",
               "RangeError: maps.arr.lookup: out must be 8 bytes, got 4");
    expect_err(NULL, "maps.arr.lookup(0, [0]);",
               "TypeError: maps.arr.lookup: out must be a Uint8Array(8)");
    expect_err(NULL, "maps.arr.update(0, new Uint8Array(8), mbpf.NOEXIST);",
               "Error: maps.arr.update: key already exists");
    expect_err(NULL, "maps.arr.update(0, new Uint8Array(8), 3);",
               "RangeError: maps.arr.update: flags must be 0 (ANY), 1 (NOEXIST) or 2 (EXIST)");
    expect_num(NULL,
               "var o = new Uint8Array(4); maps.pcpu.update(1, new Uint8Array([1,2,3,4]));"
               "maps.pcpu.lookup(1, o); return o[3];",
               4);
    teardown();
}

static void test_hash_map_semantics_from_js(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE | MBPF_CAP_MAP_ITERATE, false);
    expect_str(NULL,
               "var k = new Uint8Array([1,0,0,0]), v = new Uint8Array([5,6,7,8]);"
               "var o = new Uint8Array(4), r = [maps.hash.lookup(k, o)];"
               "maps.hash.update(k, v, mbpf.NOEXIST); r.push(maps.hash.lookup(k, o), o[3]);"
               "v[3] = 9; maps.hash.update(k, v, mbpf.EXIST); maps.hash.lookup(k, o); r.push(o[3]);"
               "r.push(maps.hash.delete(k), maps.hash.delete(k)); return r.join();",
               "false,true,8,9,true,false");
    expect_err(NULL, "maps.hash.update(new Uint8Array(4), new Uint8Array(4), mbpf.EXIST);",
               "Error: maps.hash.update: no such key");
    expect_err(NULL,
               "var v = new Uint8Array(4); maps.hash.update(new Uint8Array([1,0,0,0]), v);"
               "maps.hash.update(new Uint8Array([1,0,0,0]), v, mbpf.NOEXIST);",
               "Error: maps.hash.update: key already exists");
    expect_err(NULL,
               "var v = new Uint8Array(4); maps.hash.update(new Uint8Array([2,0,0,0]), v);"
               "maps.hash.update(new Uint8Array([3,0,0,0]), v);",
               "Error: maps.hash.update: map is full (max_entries 2)");
    expect_err(NULL, "maps.hash.lookup(1, new Uint8Array(4));",
               "TypeError: maps.hash.lookup: key must be a Uint8Array(4)");
    expect_err(NULL, "maps.hash.lookup(new Uint8Array(3), new Uint8Array(4));",
               "RangeError: maps.hash.lookup: key must be 4 bytes, got 3");
    expect_err(NULL, "maps.hash.update(new Uint8Array(4), new Uint8Array(5));",
               "RangeError: maps.hash.update: value must be 4 bytes, got 5");
    /* iteration: both keys, once each, then false */
    expect_str(NULL,
               "var k = new Uint8Array(4), n = 0, sum = 0, more = maps.hash.nextKey(null, k);"
               "while (more) { n++; sum += k[0]; more = maps.hash.nextKey(k, k); }"
               "return n + ':' + sum;",
               "2:3");
    expect_err(NULL, "maps.hash.nextKey(null, new Uint8Array(2));",
               "RangeError: maps.hash.nextKey: out must be 4 bytes, got 2");
    /* LRU evicts instead of failing */
    expect_num(NULL,
               "var v = new Uint8Array(2);"
               "for (var i = 0; i < 5; i++) maps.lru.update(new Uint8Array([i, 0]), v);"
               "return maps.lru.lookup(new Uint8Array([4, 0]), v) &&"
               " !maps.lru.lookup(new Uint8Array([0, 0]), v) ? 1 : 0;",
               1);
    teardown();
}

static void test_counter_and_lpm_from_js(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE, false);
    expect_str(NULL,
               "var o = [0, 0]; maps.ctr.add(1, 0xFFFFFFFF); maps.ctr.add(1, 2); maps.ctr.add(1);"
               "maps.ctr.get(1, o); var r = o.join(':'); maps.ctr.add(1, -3); maps.ctr.get(1, o);"
               "r += ',' + o.join(':'); maps.ctr.reset(1); maps.ctr.get(1, o);"
               "return r + ',' + o.join(':');",
               "2:1,4294967295:0,0:0");
    expect_err(NULL, "maps.ctr.add(4, 1);",
               "RangeError: maps.ctr.add: index out of range (max_entries 4)");
    expect_err(NULL, "maps.ctr.add(0, 0.5);",
               "RangeError: maps.ctr.add: delta must be an integer below 2^53 in magnitude");
    expect_err(NULL, "maps.ctr.add(0, '1');", "TypeError: maps.ctr.add: delta must be a number");
    expect_err(NULL, "maps.ctr.get(0, 1);",
               "TypeError: maps.ctr.get: out must be a u64 array [lo, hi] or a Uint8Array(8)");
    /* LPM: 10.0.0.0/8 -> 1, 10.1.0.0/16 -> 2 */
    expect_str(NULL,
               "function key(p, a, b, c, d) { return new Uint8Array([p, 0, 0, 0, a, b, c, d]); }"
               "maps.lpm.update(key(8, 10, 0, 0, 0), new Uint8Array([1]));"
               "maps.lpm.update(key(16, 10, 1, 0, 0), new Uint8Array([2]));"
               "var o = new Uint8Array(1), r = [];"
               "r.push(maps.lpm.lookup(key(32, 10, 1, 2, 3), o), o[0]);"
               "r.push(maps.lpm.lookup(key(32, 10, 9, 2, 3), o), o[0]);"
               "r.push(maps.lpm.lookup(key(32, 11, 1, 2, 3), o));"
               "r.push(maps.lpm.delete(key(16, 10, 1, 0, 0)));"
               "r.push(maps.lpm.lookup(key(32, 10, 1, 2, 3), o), o[0]); return r.join();",
               "true,2,true,1,false,true,true,1");
    expect_err(NULL, "maps.lpm.update(new Uint8Array([33,0,0,0,1,2,3,4]), new Uint8Array(1));",
               "RangeError: maps.lpm.update: prefix length above 32 bits");
    teardown();
}

static void test_low_level_map_helpers(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE, false);
    expect_str(NULL,
               "var k = new Uint8Array([4,0,0,0]), v = new Uint8Array([1,2,3,4]),"
               " o = new Uint8Array(4), r = [mbpf.mapLookup(1, k, o)];"
               "mbpf.mapUpdate(1, k, v, 0); r.push(mbpf.mapLookup(1, k, o), o[2]);"
               "r.push(mbpf.mapDelete(1, k), mbpf.mapDelete(1, k));"
               "mbpf.mapUpdate(0, 2, new Uint8Array(8)); return r.join();",
               "false,true,3,true,false");
    expect_err(NULL, "mbpf.mapLookup(7, 0, new Uint8Array(8));",
               "RangeError: mbpf.mapLookup: mapId 7 out of range (7 maps)");
    expect_err(NULL, "mbpf.mapUpdate(1, new Uint8Array(4), new Uint8Array(4), mbpf.EXIST);",
               "Error: mbpf.mapUpdate: no such key");
    expect_err(NULL, "mbpf.mapDelete(0, 1);",
               "TypeError: mbpf.mapDelete: not supported by this map type");
    teardown();
}

static void test_map_method_on_wrong_object_throws(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ, false);
    expect_err(NULL, "var f = maps.hash.lookup; f(new Uint8Array(4), new Uint8Array(4));",
               "TypeError: lookup: this is not a map object");
    expect_err(NULL, "maps.hash.lookup.call(maps.arr, 0, new Uint8Array(8));",
               "TypeError: lookup: this is not a map object");
    teardown();
}

/* The common calls (a number or byte-array key of the right size, a value
 * or out array of the right size, no flags) and their near misses give the
 * same results and errors. */
static void test_map_calls_with_edge_arguments(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE, false);
    /* lookup into the key's own array; explicit undefined flags */
    expect_str(NULL,
               "var k = new Uint8Array([1,2,3,4]); maps.hash.update(k, new Uint8Array([9,8,7,6]),"
               " undefined); var r = maps.hash.lookup(k, k); return r + ',' + J(k);",
               "true,9,8,7,6");
    expect_str(NULL,
               "var o = new Uint8Array(8), v = new Uint8Array(8); v[1] = 5;"
               " maps.arr.update(2, v, undefined); return maps.arr.lookup(2, o) + ',' + o[1];",
               "true,5");
    expect_err(NULL, "maps.arr.lookup(-1, new Uint8Array(8));",
               "RangeError: maps.arr.lookup: key must be an integer in [0, 2^32)");
    expect_err(NULL, "maps.arr.update(2147483648, new Uint8Array(8));",
               "RangeError: maps.arr.update: index out of range (max_entries 4)");
    /* counters: int32 deltas of both signs, larger deltas, out arrays */
    expect_str(NULL,
               "var o = new Uint8Array(9), r = []; maps.ctr.add(2, -1); maps.ctr.get(2, o);"
               " r.push(J(o)); maps.ctr.add(2, 1); maps.ctr.add(2, 1e10); maps.ctr.get(2, o);"
               " r.push(J(o)); var a = [0, 0]; maps.ctr.get(2, a); r.push(a.join(':'));"
               " return r.join(' ');",
               "255,255,255,255,255,255,255,255,0 0,228,11,84,2,0,0,0,0 1410065408:2");
    expect_err(NULL, "maps.ctr.get(0, new Uint8Array(7));",
               "RangeError: maps.ctr.get: out must have at least 8 bytes");
    expect_err(NULL, "maps.ctr.get(4, new Uint8Array(8));",
               "RangeError: maps.ctr.get: index out of range (max_entries 4)");
    expect_err(NULL, "maps.ctr.add(2147483648, 1);",
               "RangeError: maps.ctr.add: index out of range (max_entries 4)");
    expect_err(NULL, "maps.ctr.add(0, undefined);",
               "TypeError: maps.ctr.add: delta must be a number");
    expect_err(NULL, "maps.lpm.delete(new Uint8Array(7));",
               "RangeError: maps.lpm.delete: key must be 8 bytes, got 7");
    teardown();
}

/* ---- budget ---- */

static void test_helper_budget_exhaustion_is_uncatchable(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_LOG, false);
    assert_int_equal(ujs_eval(F.ctx, "var caught = 0, fin = 0;", 24, "g.js", NULL), UJS_OK);
    ujs_value r;
    int st = fx_run(&F, NULL, 3,
                    "var b = new Uint8Array(8);"
                    "try { for (;;) mbpf.u64StoreLE(b, 0, [1, 2]); } catch (e) { caught = 1; }"
                    " finally { fin = 1; } return 5;",
                    &r);
    assert_int_equal(st, UJS_EINTERRUPTED);
    assert_true(mbpf_helpers_budget_exhausted(&F.h));
    assert_int_equal(mbpf_helpers_calls(&F.h), 3);
    expect_num(NULL, "return caught * 10 + fin;", 0);
    assert_false(mbpf_helpers_budget_exhausted(&F.h));
    /* exactly max_helpers calls succeed */
    expect_num(NULL,
               "var b = new Uint8Array(8); for (var i = 0; i < 1000; i++)"
               " mbpf.u64StoreLE(b, 0, [1, 2]); return 1;",
               1);
    /* map methods count too */
    st = fx_run(&F, NULL, 2, "mbpf.log(1, 'a'); mbpf.log(1, 'b'); mbpf.log(1, 'c'); return 1;", &r);
    assert_int_equal(st, UJS_EINTERRUPTED);
    assert_int_equal(F.nlog, 2);
    teardown();
}

/* Every map method call counts once, whether it succeeds or throws, and the
 * budget stops map calls as it stops any other helper. */
static void test_map_calls_count_once_and_stop_at_the_budget(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE, false);
    expect_num(NULL,
               "var k = new Uint8Array(4), o = new Uint8Array(4), b = new Uint8Array(1), e = 0;"
               "maps.hash.update(k, o); maps.hash.lookup(k, o); maps.hash.update(k, o, 0);"
               "maps.hash.delete(k); maps.arr.lookup(1, new Uint8Array(8)); maps.ctr.add(0);"
               "maps.ctr.get(0, new Uint8Array(8)); maps.lpm.lookup(new Uint8Array(8), b);"
               "try { maps.hash.lookup(1, o); } catch (x) { e++; }"
               "try { maps.arr.update(9, new Uint8Array(8)); } catch (x) { e++; }"
               "return e;",
               2);
    assert_int_equal(mbpf_helpers_calls(&F.h), 10);
    assert_int_equal(ujs_eval(F.ctx, "var caught = 0;", 15, "g.js", NULL), UJS_OK);
    static const char *const loops[] = {
        "var k = new Uint8Array(4), o = new Uint8Array(4);"
        "try { for (;;) maps.hash.lookup(k, o); } catch (e) { caught++; } return 1;",
        "try { for (;;) maps.ctr.add(1); } catch (e) { caught++; } return 1;",
        "var o = new Uint8Array(8);"
        "try { for (;;) maps.arr.update(1, o); } catch (e) { caught++; } return 1;",
    };
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        ujs_value r;
        assert_int_equal(fx_run(&F, NULL, 3, loops[i], &r), UJS_EINTERRUPTED);
        assert_true(mbpf_helpers_budget_exhausted(&F.h));
        assert_int_equal(mbpf_helpers_calls(&F.h), 3);
    }
    expect_num(NULL, "return caught;", 0);
    expect_num(NULL, "var o = [0, 0]; maps.ctr.get(1, o); return o[0];", 3);
    teardown();
    /* a method whose capability is withdrawn after install refuses by name */
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_MAP_READ, false);
    F.h.caps = 0;
    expect_err(NULL, "maps.arr.lookup(0, new Uint8Array(8));",
               "TypeError: maps.arr.lookup: CAP_MAP_READ not granted");
    assert_int_equal(mbpf_helpers_calls(&F.h), 1);
    teardown();
}

/* ---- tampering ---- */

static void test_tampering_with_globals_and_host_objects_throws(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, MBPF_CAP_ALL, false);
    mbpf_ctx_net_v1_t c = net_blob();
    expect_err(NULL, "mbpf.log = null;", "TypeError: host object is read-only");
    expect_err(NULL, "mbpf.extra = 1;", "TypeError: host object is read-only");
    expect_err(NULL, "maps.hash = 1;", "TypeError: host object is read-only");
    expect_err(NULL, "maps.x = 1;", "TypeError: host object is read-only");
    expect_err(NULL, "maps.hash.lookup = 1;", "TypeError: host object is read-only");
    expect_err(&c, "ctx.readU8 = function () { return 0; };",
               "TypeError: host object is read-only");
    expect_err(&c, "ctx.pkt_len = 0;", "TypeError: host object is read-only");
    expect_err(NULL, "mbpf = {};", "TypeError: property is read-only");
    expect_err(NULL, "maps = {};", "TypeError: property is read-only");
    expect_err(NULL, "globalThis.mbpf = {};", "TypeError: property is read-only");
    expect_err(NULL, "Object.defineProperty(globalThis, 'maps', {value: 1});",
               "TypeError: cannot redefine property");
    expect_err(NULL, "Object.prototype.readU8 = 1;", "TypeError: cannot modify a built-in object");
    /* a host object's properties cannot be deleted (strict mode: TypeError);
     * delete of the binding does not compile */
    expect_err(NULL, "delete maps.hash;", "TypeError: cannot delete a property of a host object");
    expect_err(NULL, "delete mbpf.log;", "TypeError: cannot delete a property of a host object");
    expect_str(NULL, "return typeof maps.hash + ',' + typeof mbpf.log;", "object,function");
    expect_err(NULL, "delete mbpf;",
               "SyntaxError: test.js:2:12: cannot delete an unqualified name in strict mode");
    /* a top-level redeclaration cannot replace the global either */
    assert_int_equal(ujs_eval(F.ctx, "var mbpf = 5;", 13, "p.js", NULL), UJS_EEXCEPTION);
    check_str(ujs_get_exception(F.ctx), "TypeError: property is read-only");
    expect_str(NULL, "return typeof mbpf.log + typeof maps.hash.lookup;", "functionfunction");
    teardown();
}

/* ---- contexts ---- */

static void test_net_ctx_properties_and_reads(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, 0, false);
    mbpf_ctx_net_v1_t c = net_blob();
    expect_str(&c,
               "return [ctx.ifindex, ctx.pkt_len, ctx.data_len, ctx.l2_proto, ctx.flags,"
               " ctx.truncated].join();",
               "7,1500,8,2048,0,false");
    expect_str(&c,
               "return [ctx.readU8(0), ctx.readU16LE(1), ctx.readU16BE(1), ctx.readU32LE(4),"
               " ctx.readU32BE(4), ctx.readU32LE(0), ctx.readU8(7)].join();",
               "255,513,258,4026531968,2147483888,50463231,240");
    expect_str(&c,
               "var o = new Uint8Array(4); var n = ctx.readBytes(5, 3, o); return n + ':' + J(o);",
               "3:0,0,240,0");
    expect_num(&c, "return ctx.readBytes(8, 0, new Uint8Array(0));", 0);
    c.flags = MBPF_CTX_F_TRUNCATED;
    expect_str(&c, "return ctx.flags + ':' + ctx.truncated;", "1:true");
    teardown();
}

static void test_ctx_reads_out_of_bounds_throw_range_error(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_TX, 0, false);
    mbpf_ctx_net_v1_t c = net_blob();
    expect_err(&c, "ctx.readU8(8);", "RangeError: ctx.readU8: offset 8 out of bounds (data_len 8)");
    expect_err(&c, "ctx.readU16LE(7);",
               "RangeError: ctx.readU16LE: offset 7 out of bounds (data_len 8)");
    expect_err(&c, "ctx.readU16BE(7);",
               "RangeError: ctx.readU16BE: offset 7 out of bounds (data_len 8)");
    expect_err(&c, "ctx.readU32LE(5);",
               "RangeError: ctx.readU32LE: offset 5 out of bounds (data_len 8)");
    expect_err(&c, "ctx.readU32BE(0xFFFFFFFF);",
               "RangeError: ctx.readU32BE: offset 4294967295 out of bounds (data_len 8)");
    expect_err(&c, "ctx.readBytes(6, 3, new Uint8Array(8));",
               "RangeError: ctx.readBytes: 3 bytes at offset 6 out of bounds (data_len 8)");
    expect_err(&c, "ctx.readBytes(9, 0, new Uint8Array(8));",
               "RangeError: ctx.readBytes: 0 bytes at offset 9 out of bounds (data_len 8)");
    expect_err(&c, "ctx.readBytes(0, 4, new Uint8Array(3));",
               "RangeError: ctx.readBytes: length 4 exceeds out.length 3");
    expect_err(&c, "ctx.readU8(-1);",
               "RangeError: ctx.readU8: offset must be an integer in [0, 2^32)");
    expect_err(&c, "ctx.readU8('0');", "TypeError: ctx.readU8: offset must be a number");
    expect_err(&c, "ctx.readU8();", "TypeError: ctx.readU8: offset must be a number");
    expect_err(&c, "ctx.readBytes(0, 1, [0]);",
               "TypeError: ctx.readBytes: out must be a Uint8Array");
    /* data_len is authoritative even if pkt_len is larger; data == NULL
     * and no read_fn: every read fails */
    c.data = NULL;
    expect_err(&c, "ctx.readU8(0);", "RangeError: ctx.readU8: the context has no readable bytes");
    c.data_len = 0;
    expect_err(&c, "ctx.readU8(0);", "RangeError: ctx.readU8: offset 0 out of bounds (data_len 0)");
    teardown();
}

/* read_fn: serves `avail` bytes of pkt, then short reads; -1 past 100. */
static uint32_t rf_avail;
static int rf_calls;
static int read_fn(const void *blob, uint32_t off, uint32_t len, uint8_t *dst)
{
    (void)blob;
    rf_calls++;
    if (off >= 100) return -5;
    uint32_t n = 0;
    while (n < len && off + n < rf_avail) {
        dst[n] = pkt[off + n];
        n++;
    }
    return (int)n;
}

static void test_read_fn_short_reads(void **s)
{
    (void)s;
    setup(MBPF_HOOK_TRACEPOINT, 0, false);
    mbpf_ctx_tracepoint_v1_t c = {MBPF_CTX_ABI_V1, 3, 0, 1, 2, 8, 0, NULL, read_fn};
    rf_avail = 8;
    expect_str(&c, "return [ctx.readU8(0), ctx.readU32BE(0), ctx.readU16LE(6)].join();",
               "255,4278256131,61440");
    rf_avail = 5;
    expect_err(&c, "ctx.readU32LE(2);",
               "RangeError: ctx.readU32LE: short read at offset 2 (3 of 4 bytes)");
    expect_str(&c, "var o = new Uint8Array(8); return ctx.readBytes(0, 8, o) + ':' + J(o);",
               "5:255,1,2,3,128,0,0,0");
    c.data_len = 200;
    expect_err(&c, "ctx.readU8(150);",
               "Error: ctx.readU8: read of 1 bytes at offset 150 failed (-5)");
    teardown();
}

static void test_tracepoint_timer_security_custom_contexts(void **s)
{
    (void)s;
    setup(MBPF_HOOK_TRACEPOINT, 0, false);
    mbpf_ctx_tracepoint_v1_t tp = {
        MBPF_CTX_ABI_V1, 3, 0x0000000580000001ull, 2, 4242, 8, MBPF_CTX_F_TRUNCATED, pkt, NULL};
    expect_str(&tp,
               "var o = [0, 0]; ctx.readTimestamp(o);"
               "return [ctx.tracepoint_id, ctx.timestamp, ctx.cpu, ctx.pid, ctx.data_len,"
               " ctx.flags, ctx.truncated, o[0], o[1], ctx.readU8(0)].join();",
               "3,23622320129,2,4242,8,1,true,2147483649,5,255");
    tp.timestamp_ns = 0xFFFFFFFFFFFFFFFFull;
    expect_str(&tp, "var o = new Uint8Array(8); ctx.readTimestamp(o); return J(o);",
               "255,255,255,255,255,255,255,255");
    teardown();

    setup(MBPF_HOOK_TIMER, 0, false);
    mbpf_ctx_timer_v1_t tm = {MBPF_CTX_ABI_V1, 9, 1000, 0, 0x100000000ull, 123456789};
    expect_str(&tm,
               "var a = [0, 0], b = [0, 0]; ctx.readExpiryCount(a); ctx.readNow(b);"
               "return [ctx.timer_id, ctx.period_us, ctx.expiry_count, ctx.now, ctx.flags,"
               " ctx.data_len, a.join(':'), b.join(':')].join();",
               "9,1000,4294967296,123456789,0,0,0:1,123456789:0");
    expect_err(&tm, "ctx.readU8(0);",
               "RangeError: ctx.readU8: offset 0 out of bounds (data_len 0)");
    teardown();

    setup(MBPF_HOOK_SECURITY, 0, false);
    mbpf_ctx_security_v1_t sec = {MBPF_CTX_ABI_V1, 1000, 42, 4, 0, 8, pkt, NULL};
    expect_str(&sec,
               "return [ctx.subject_id, ctx.object_id, ctx.action, ctx.flags, ctx.data_len,"
               " ctx.truncated, ctx.readU16BE(6)].join();",
               "1000,42,4,0,8,false,240");
    teardown();

    setup(MBPF_HOOK_CUSTOM, 0, false);
    mbpf_ctx_field_t fields[2] = {{"len", 12}, {"big", 0xFFFFFFFF00000001ull}};
    mbpf_ctx_custom_v1_t cu = {MBPF_CTX_ABI_V1, 7, 2, 2, fields, 8, 0, pkt, NULL};
    expect_str(&cu,
               "var o = [0, 0], r = [ctx.custom_id, ctx.schema_version, ctx.field_count,"
               " ctx.data_len, ctx.field('len'), ctx.field('nope'), ctx.readField('big', o)];"
               "r.push(o[0], o[1], ctx.readField('x', o), ctx.readU8(0)); return r.join();",
               "7,2,2,8,12,,true,1,4294967295,false,255");
    expect_err(&cu, "ctx.field(1);", "TypeError: ctx.field: name must be a string");
    teardown();
}

static void test_ctx_kept_across_runs_sees_the_new_blob_and_throws_outside(void **s)
{
    (void)s;
    setup(MBPF_HOOK_NET_RX, 0, false);
    mbpf_ctx_net_v1_t a = net_blob(), b = net_blob();
    static const uint8_t other[2] = {0x11, 0x22};
    b.data = other;
    b.data_len = 2;
    b.ifindex = 99;
    assert_int_equal(ujs_eval(F.ctx, "var kept;", 9, "g.js", NULL), UJS_OK);
    expect_num(&a, "kept = ctx; return ctx.readU8(0);", 255);
    expect_str(&b, "return [kept === ctx, kept.readU8(1), kept.ifindex, kept.data_len].join();",
               "true,34,99,2");
    /* outside a run (blob detached) */
    expect_str(NULL, "return [typeof kept.ifindex, typeof kept.readU8].join();",
               "undefined,function");
    expect_err(NULL, "kept.readU8(0);",
               "TypeError: ctx.readU8: the context is only valid during its run");
    expect_err(&a, "var f = ctx.readU8; f(0);",
               "TypeError: ctx.readU8: this is not the context object");
    teardown();
}

static void test_install_rejects_bad_configs(void **s)
{
    (void)s;
    fx_t f;
    assert_int_equal(fx_init(&f, HEAP, 99, 0, false), UJS_EINVAL);
    fx_free(&f);
    assert_int_equal(fx_init(&f, HEAP, MBPF_HOOK_NET_RX, 0, false), UJS_OK);
    mbpf_helpers_t h2;
    mbpf_helpers_config_t too_many = f.cfg;
    too_many.map_count = MBPF_HELPERS_MAX_MAPS + 1;
    assert_int_equal(mbpf_helpers_install(&h2, f.ctx, &too_many), UJS_EINVAL);
    fx_free(&f);
    /* a heap too small for the globals: UJS_ENOMEM, and uninstall still
     * unroots what was rooted */
    static uintptr_t small[512];
    bool saw_enomem = false, saw_ok = false;
    for (size_t sz = 256; sz <= sizeof small && !saw_ok; sz += 64) {
        ujs_ctx *ctx = ujs_new_context(small, sz, NULL);
        if (!ctx) continue;
        mbpf_helpers_t h;
        mbpf_helpers_config_t cfg = {0};
        cfg.hook_type = MBPF_HOOK_NET_RX;
        int st = mbpf_helpers_install(&h, ctx, &cfg);
        assert_true(st == UJS_ENOMEM || st == UJS_OK);
        saw_enomem |= st == UJS_ENOMEM;
        saw_ok |= st == UJS_OK;
        mbpf_helpers_uninstall(&h, ctx);
        ujs_free_context(ctx);
    }
    assert_true(saw_enomem);
    assert_true(saw_ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mbpf_api_version_and_flag_constants),
        cmocka_unit_test(test_ungranted_helpers_are_absent),
        cmocka_unit_test(test_read_only_map_access_has_no_writers),
        cmocka_unit_test(test_helper_checks_capability_when_called),
        cmocka_unit_test(test_log_levels_truncation_and_rate_limit),
        cmocka_unit_test(test_debug_mode_installs_console_and_passes_debug_logs),
        cmocka_unit_test(test_u64_round_trips_including_all_ones_halves),
        cmocka_unit_test(test_u64_errors),
        cmocka_unit_test(test_now_ns_stats_and_emit),
        cmocka_unit_test(test_emit_record_is_event_id_then_bytes),
        cmocka_unit_test(test_array_map_from_js),
        cmocka_unit_test(test_hash_map_semantics_from_js),
        cmocka_unit_test(test_counter_and_lpm_from_js),
        cmocka_unit_test(test_low_level_map_helpers),
        cmocka_unit_test(test_map_method_on_wrong_object_throws),
        cmocka_unit_test(test_map_calls_with_edge_arguments),
        cmocka_unit_test(test_helper_budget_exhaustion_is_uncatchable),
        cmocka_unit_test(test_map_calls_count_once_and_stop_at_the_budget),
        cmocka_unit_test(test_tampering_with_globals_and_host_objects_throws),
        cmocka_unit_test(test_net_ctx_properties_and_reads),
        cmocka_unit_test(test_ctx_reads_out_of_bounds_throw_range_error),
        cmocka_unit_test(test_read_fn_short_reads),
        cmocka_unit_test(test_tracepoint_timer_security_custom_contexts),
        cmocka_unit_test(test_ctx_kept_across_runs_sees_the_new_blob_and_throws_outside),
        cmocka_unit_test(test_install_rejects_bad_configs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
