/*
 * Runtime benchmarks on the real path: packages built in memory from
 * JavaScript (compiled by the engine's compiler), loaded through
 * mbpf_program_load with the POSIX platform, run through mbpf_run.
 * bench/runtime/callgrind.sh counts instructions inside one benchmark
 * function per operation; run alone it prints nanoseconds per operation.
 * Prints figures, asserts nothing.
 *
 * Usage: bench_runtime [OP [ITERATIONS]]   (no OP: every operation)
 *   trivial_run   mbpf_run of `return ctx.readU8(0) === 0xFF ? 1 : 0`
 *   count_run     mbpf_run of a program counting packets per source byte
 *                 in a hash map (issue 6's benchmark)
 *   load_attach   mbpf_program_load + attach of the unsigned trivial package
 *   js_TYPE_OP    a program doing one map operation 32 times per event
 *                 (js_loop: the same loop without it), for per-operation
 *                 costs from JavaScript
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "container.h"
#include "manifest.h"
#include "mbpf.h"
#include "mbpf_ctx.h"
#include "mbpf_platform.h"
#include "ujs.h"

#define NOINLINE __attribute__((noinline))
#define NET_RX   MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)

static const char trivial_src[] =
    "function mbpf_prog(ctx) { return ctx.readU8(0) === 0xFF ? 1 : 0; }";

/* Counts packets per source byte (IPv4 source address, last byte) in a
 * hash map of 1-byte keys and u64 LE values. */
static const char count_src[] =
    "var k = new Uint8Array(1), v = new Uint8Array(8);\n"
    "function mbpf_prog(ctx) {\n"
    "  k[0] = ctx.readU8(29);\n"
    "  if (maps.by_src.lookup(k, v)) {\n"
    "    for (var i = 0; i < 8 && ++v[i] === 256; i++) v[i] = 0;\n"
    "  } else {\n"
    "    v[0] = 1; v[1] = 0; v[2] = 0; v[3] = 0; v[4] = 0; v[5] = 0; v[6] = 0; v[7] = 0;\n"
    "  }\n"
    "  maps.by_src.update(k, v);\n"
    "  return 0;\n"
    "}\n";

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "bench_runtime: %s\n", what);
    exit(1);
}

/* Compiles src and packs it with a NET_RX manifest with one map (map may
 * be NULL: none). */
static uint8_t *build_package(const char *src, const mbpf_map_def_t *map, size_t *len)
{
    static uintptr_t scratch[(256 << 10) / sizeof(uintptr_t)];
    ujs_ctx *c = ujs_new_context(scratch, sizeof scratch, NULL);
    ujs_value fn;
    static uint8_t bc[16384];
    size_t bc_len;
    if (!c || ujs_compile(c, src, strlen(src), "bench.js", &fn) ||
        ujs_write_bytecode(c, fn, bc, sizeof bc, &bc_len, UJS_BC_STRIP))
        die("cannot compile the program");
    ujs_free_context(c);

    mbpf_manifest_t m;
    memset(&m, 0, sizeof m);
    strcpy(m.program_name, map ? "bench" : "trivial");
    strcpy(m.program_version, "1.0");
    m.hook_type = MBPF_HOOK_NET_RX;
    m.hook_ctx_abi_version = 1;
    strcpy(m.entry_symbol, "mbpf_prog");
    m.bytecode_version = UJS_BYTECODE_VERSION;
    m.target_word_size = MBPF_TARGET_ANY;
    m.target_endianness = MBPF_TARGET_ANY;
    m.mbpf_api_version = MBPF_API_VERSION;
    m.heap_size = sizeof(void *) == 4 ? 2048 : 3072;
    m.max_steps = 1000;
    m.max_helpers = 16;
    if (map) {
        m.heap_size = 8192;
        m.max_steps = 100000;
        m.max_helpers = 1000;
        m.capabilities = MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE | MBPF_CAP_EMIT;
        m.map_count = 1;
        m.maps[0] = *map;
    }
    static uint8_t man[4096];
    size_t man_len;
    if (mbpf_manifest_encode_cbor(&m, man, sizeof man, &man_len, NULL)) die("manifest");
    mbpf_section_in_t secs[2] = {{MBPF_SEC_MANIFEST, man, (uint32_t)man_len},
                                 {MBPF_SEC_BYTECODE, bc, (uint32_t)bc_len}};
    size_t size;
    if (mbpf_container_size(secs, 2, 0, &size)) die("container size");
    uint8_t *pkg = malloc(size);
    if (!pkg || mbpf_container_write(secs, 2, 0, pkg, size, len, NULL)) die("container");
    return pkg;
}

static mbpf_runtime_t *new_runtime(void)
{
    mbpf_runtime_config_t cfg;
    mbpf_runtime_config_init(&cfg, mbpf_platform_posix());
    cfg.cpu_count = 1;
    mbpf_runtime_t *rt = mbpf_runtime_init(&cfg);
    if (!rt) die("runtime init");
    return rt;
}

static mbpf_program_t *load(mbpf_runtime_t *rt, const uint8_t *pkg, size_t len)
{
    mbpf_program_t *p;
    if (mbpf_program_load(rt, pkg, len, NULL, &p) || mbpf_program_attach(rt, p, NET_RX)) {
        fprintf(stderr, "bench_runtime: load: %s\n", mbpf_last_error(rt));
        exit(1);
    }
    return p;
}

static uint8_t packet[64];

NOINLINE static int64_t bench_run(mbpf_runtime_t *rt, unsigned long n)
{
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, 1, sizeof packet, sizeof packet,
                           0x0800,          0, packet,        NULL};
    int64_t sum = 0;
    for (unsigned long i = 0; i < n; i++) {
        packet[29] = (uint8_t)i;
        int32_t rc;
        mbpf_run(rt, NET_RX, &c, sizeof c, &rc);
        sum += rc;
    }
    return sum;
}

NOINLINE static mbpf_program_t *bench_load(mbpf_runtime_t *rt, const uint8_t *pkg, size_t len)
{
    return load(rt, pkg, len);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void op_run(const char *name, const char *src, const mbpf_map_def_t *map, unsigned long n)
{
    size_t len;
    uint8_t *pkg = build_package(src, map, &len);
    mbpf_runtime_t *rt = new_runtime();
    mbpf_program_t *p = load(rt, pkg, len);
    packet[0] = 0xFF;
    double t0 = now_s();
    int64_t sum = bench_run(rt, n);
    double t1 = now_s();
    mbpf_program_stats_t st;
    mbpf_program_stats(p, &st);
    if (st.successes != n) die("some runs failed");
    printf("%-14s %10.1f ns/op  (%lu runs, verdict sum %lld)\n", name, (t1 - t0) * 1e9 / (double)n,
           n, (long long)sum);
    mbpf_runtime_shutdown(rt);
    free(pkg);
}

static void op_load(unsigned long n)
{
    size_t len;
    uint8_t *pkg = build_package(trivial_src, NULL, &len);
    mbpf_runtime_t *rt = new_runtime();
    double total = 0;
    for (unsigned long i = 0; i < n; i++) {
        double t0 = now_s();
        mbpf_program_t *p = bench_load(rt, pkg, len);
        total += now_s() - t0;
        mbpf_program_unload(rt, p);
    }
    printf("%-14s %10.1f ns/op  (%lu loads of a %zu-byte package)\n", "load_attach",
           total * 1e9 / (double)n, n, len);
    mbpf_runtime_shutdown(rt);
    free(pkg);
}

/* Per-operation cost of map methods from JavaScript: each program runs its
 * operation JS_OPS times per event; callgrind.sh subtracts the same loop
 * without the operation (js_loop) and divides. */
#define JS_OPS "32"
typedef struct js_op {
    const char *name;
    mbpf_map_def_t map;
    const char *setup; /* top-level code: key k, value v, prefill */
    const char *op;    /* one operation */
} js_op_t;

#define KEY4 "var k = new Uint8Array([1, 2, 3, 4]), v = new Uint8Array(8);"
static const js_op_t js_ops[] = {
    {"js_loop", {"m", MBPF_MAP_ARRAY, 0, 8, 4, 0}, "var v = new Uint8Array(8);", ""},
    {"js_array_lookup",
     {"m", MBPF_MAP_ARRAY, 0, 8, 4, 0},
     "var v = new Uint8Array(8);",
     "maps.m.lookup(3, v);"},
    {"js_array_update",
     {"m", MBPF_MAP_ARRAY, 0, 8, 4, 0},
     "var v = new Uint8Array(8);",
     "maps.m.update(3, v);"},
    {"js_hash_lookup",
     {"m", MBPF_MAP_HASH, 4, 8, 64, 0},
     KEY4 "maps.m.update(k, v);",
     "maps.m.lookup(k, v);"},
    {"js_hash_update", {"m", MBPF_MAP_HASH, 4, 8, 64, 0}, KEY4, "maps.m.update(k, v);"},
    {"js_lru_lookup",
     {"m", MBPF_MAP_LRU_HASH, 4, 8, 64, 0},
     KEY4 "maps.m.update(k, v);",
     "maps.m.lookup(k, v);"},
    {"js_lru_update", {"m", MBPF_MAP_LRU_HASH, 4, 8, 64, 0}, KEY4, "maps.m.update(k, v);"},
    {"js_percpu_array_lookup",
     {"m", MBPF_MAP_PERCPU_ARRAY, 0, 8, 4, 0},
     "var v = new Uint8Array(8);",
     "maps.m.lookup(3, v);"},
    {"js_percpu_array_update",
     {"m", MBPF_MAP_PERCPU_ARRAY, 0, 8, 4, 0},
     "var v = new Uint8Array(8);",
     "maps.m.update(3, v);"},
    {"js_percpu_hash_lookup",
     {"m", MBPF_MAP_PERCPU_HASH, 4, 8, 64, 0},
     KEY4 "maps.m.update(k, v);",
     "maps.m.lookup(k, v);"},
    {"js_percpu_hash_update",
     {"m", MBPF_MAP_PERCPU_HASH, 4, 8, 64, 0},
     KEY4,
     "maps.m.update(k, v);"},
    {"js_counter_add", {"m", MBPF_MAP_COUNTER, 0, 8, 4, 0}, "", "maps.m.add(2, 1);"},
    {"js_counter_get",
     {"m", MBPF_MAP_COUNTER, 0, 8, 4, 0},
     "var v = new Uint8Array(8);",
     "maps.m.get(2, v);"},
    {"js_lpm_lookup",
     {"m", MBPF_MAP_LPM_TRIE, 8, 1, 64, 0},
     "var v = new Uint8Array(1), k = new Uint8Array([8, 0, 0, 0, 10, 0, 0, 0]);"
     "maps.m.update(k, v); k[0] = 16; k[5] = 1; maps.m.update(k, v);"
     "k[0] = 24; k[6] = 2; maps.m.update(k, v); k[0] = 32; k[7] = 3; maps.m.update(k, v);"
     "k[7] = 9;",
     "maps.m.lookup(k, v);"},
    {"js_lpm_update",
     {"m", MBPF_MAP_LPM_TRIE, 8, 1, 64, 0},
     "var v = new Uint8Array(1), k = new Uint8Array([24, 0, 0, 0, 10, 1, 2, 0]);",
     "maps.m.update(k, v);"},
};

static const js_op_t *find_js_op(const char *name)
{
    for (size_t i = 0; i < sizeof js_ops / sizeof js_ops[0]; i++)
        if (!strcmp(js_ops[i].name, name)) return &js_ops[i];
    return NULL;
}

static void op_js(const js_op_t *o, unsigned long n)
{
    char src[2048];
    snprintf(src, sizeof src,
             "%s\nfunction mbpf_prog(ctx) {\n  for (var i = 0; i < " JS_OPS
             "; i++) { %s }\n  return 0;\n}\n",
             o->setup, o->op);
    char name[64];
    snprintf(name, sizeof name, "%s(x" JS_OPS ")", o->name);
    op_run(name, src, &o->map, n);
}

int main(int argc, char **argv)
{
    const char *op = argc > 1 ? argv[1] : NULL;
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
    static const mbpf_map_def_t by_src = {"by_src", MBPF_MAP_HASH, 1, 8, 256, 0};
    if (!op || !strcmp(op, "trivial_run"))
        op_run("trivial_run", trivial_src, NULL, n ? n : 1000000);
    if (!op || !strcmp(op, "count_run")) op_run("count_run", count_src, &by_src, n ? n : 1000000);
    for (size_t i = 0; i < sizeof js_ops / sizeof js_ops[0]; i++)
        if (!op || !strcmp(op, js_ops[i].name)) op_js(&js_ops[i], n ? n : 100000);
    if (op && strncmp(op, "js_", 3) == 0 && !find_js_op(op)) die("unknown operation");
    if (!op || !strcmp(op, "load_attach")) op_load(n ? n : 1000);
    return 0;
}
