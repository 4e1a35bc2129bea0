/*
 * Maps under concurrency with real programs (spec §10.4): one thread per
 * simulated CPU runs mbpf_run of a JavaScript program while host threads
 * write, delete and read the same maps and drain its ring buffer. Checks:
 *   - no torn values: every value a program or the host reads is one some
 *     writer wrote (all 8 bytes equal);
 *   - no lost counter increments: the counter equals the successful runs;
 *   - no lost or duplicated ring records that were reported as written:
 *     per CPU, the consumer sees sequence numbers 1, 2, ... exactly the
 *     ones emit() reported as written (the program counts those in a
 *     per-CPU array), in order.
 * Run under ThreadSanitizer (ctest -L stress) for the memory model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "js_util.h"
#include "mbpf_ctx.h"
#include "mbpf_map.h"

#define NET_RX    MBPF_HOOK_ID(MBPF_HOOK_NET_RX, 0)
#define CPUS      3
#define EVENTS    6000
#define HOST_KEYS 8

/*
 * Maps: shared (hash, 1-byte keys, 8-byte values all equal bytes, written
 * by host and program), hits (counter), emitted (per-CPU array: records
 * emit() reported written), torn (counter: torn values the program saw),
 * events (ring buffer: records {cpu u32, seq u32}).
 */
static const char prog_src[] =
    "var k = new Uint8Array(1), v = new Uint8Array(8), rec = new Uint8Array(8);\n"
    "var cnt = new Uint8Array(4), seq = 0;\n"
    "function mbpf_prog(ctx) {\n"
    "  var cpu = ctx.ifindex, i;\n"
    "  maps.hits.add(0, 1);\n"
    "  k[0] = ctx.readU8(0) % 8;\n"
    "  if (maps.shared.lookup(k, v)) {\n"
    "    for (i = 1; i < 8; i++) if (v[i] !== v[0]) { maps.torn.add(0, 1); break; }\n"
    "  }\n"
    "  var b = (ctx.readU8(1) + cpu) & 255;\n"
    "  for (i = 0; i < 8; i++) v[i] = b;\n"
    "  maps.shared.update(k, v);\n"
    "  rec[0] = cpu; rec[1] = 0; rec[2] = 0; rec[3] = 0;\n"
    "  seq++;\n"
    "  rec[4] = seq & 255; rec[5] = (seq >> 8) & 255; rec[6] = (seq >> 16) & 255; rec[7] = 0;\n"
    "  if (mbpf.emit(7, rec)) {\n"
    "    cnt[0] = seq & 255; cnt[1] = (seq >> 8) & 255; cnt[2] = (seq >> 16) & 255; cnt[3] = 0;\n"
    "    maps.emitted.update(0, cnt);\n"
    "  } else {\n"
    "    seq--;\n"
    "  }\n"
    "  return 0;\n"
    "}\n";

static mbpf_runtime_t *rt;
static mbpf_program_t *prog;
static mbpf_map_t *shared, *ring;
static atomic_int runners_left;
static atomic_long host_torn, failures;
static uint32_t seen_seq[CPUS];
static long consumed, bad_records;

static void *runner(void *arg)
{
    uint32_t cpu = (uint32_t)(uintptr_t)arg;
    tp_cpu = cpu;
    uint8_t pkt[2];
    for (uint32_t i = 0; i < EVENTS; i++) {
        pkt[0] = (uint8_t)(i * 7 + cpu);
        pkt[1] = (uint8_t)i;
        mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1, cpu, 2, 2, 0, 0, pkt, NULL};
        int32_t rc = -1;
        if (mbpf_run(rt, NET_RX, &c, sizeof c, &rc) != 0 || rc != 0) atomic_fetch_add(&failures, 1);
    }
    atomic_fetch_sub(&runners_left, 1);
    return NULL;
}

/* Host writer: updates and deletes keys with all-equal values, and reads
 * them back checking for torn values. */
static void *host_writer(void *arg)
{
    (void)arg;
    uint32_t i = 0;
    while (atomic_load(&runners_left) > 0) {
        uint8_t key = (uint8_t)(i % HOST_KEYS), val[8];
        memset(val, (int)(0x80 | (i & 0x7f)), sizeof val);
        if (i % 5 == 4)
            mbpf_map_delete(shared, &key, 1);
        else
            mbpf_map_update(shared, &key, 1, val, 8, MBPF_MAP_ANY);
        uint8_t got[8];
        if (mbpf_map_lookup(shared, &key, 1, got, 8) == 0)
            for (int b = 1; b < 8; b++)
                if (got[b] != got[0]) {
                    atomic_fetch_add(&host_torn, 1);
                    break;
                }
        i++;
    }
    return NULL;
}

static int check_record(void *user, const void *data, size_t len)
{
    (void)user;
    const uint8_t *r = data;
    consumed++;
    if (len != 12 || r[0] != 7 || r[4] >= CPUS) {
        bad_records++;
        return 0;
    }
    uint32_t cpu = r[4], seq = (uint32_t)r[8] | (uint32_t)r[9] << 8 | (uint32_t)r[10] << 16;
    if (seq != seen_seq[cpu] + 1) bad_records++; /* lost, duplicated or out of order */
    seen_seq[cpu] = seq;
    return 0;
}

/* Host consumer: drains the ring while the runners produce. */
static void *consumer(void *arg)
{
    (void)arg;
    while (atomic_load(&runners_left) > 0) mbpf_map_ringbuf_consume(ring, check_record, NULL, 64);
    while (mbpf_map_ringbuf_consume(ring, check_record, NULL, 0) > 0) {
    }
    return NULL;
}

static void test_programs_and_host_share_maps_concurrently(void **s)
{
    (void)s;
    mbpf_runtime_config_t cfg;
    tk_config(&cfg, tp_platform(CPUS, 1, 0));
    rt = mbpf_runtime_init(&cfg);
    assert_non_null(rt);
    mbpf_manifest_t m;
    tk_manifest(&m, "stress", MBPF_HOOK_NET_RX);
    m.heap_size = 16384;
    m.max_steps = 10000;
    m.max_helpers = 32;
    m.capabilities = MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE | MBPF_CAP_EMIT;
    m.map_count = 5;
    m.maps[0] = (mbpf_map_def_t){"events", MBPF_MAP_RINGBUF, 0, 0, 4096, 0};
    m.maps[1] = (mbpf_map_def_t){"shared", MBPF_MAP_HASH, 1, 8, 16, 0};
    m.maps[2] = (mbpf_map_def_t){"hits", MBPF_MAP_COUNTER, 0, 8, 1, 0};
    m.maps[3] = (mbpf_map_def_t){"emitted", MBPF_MAP_PERCPU_ARRAY, 0, 4, 1, 0};
    m.maps[4] = (mbpf_map_def_t){"torn", MBPF_MAP_COUNTER, 0, 8, 1, 0};
    assert_int_equal(js_load(rt, &m, prog_src, &prog), 0);
    assert_int_equal(mbpf_program_attach(rt, prog, NET_RX), 0);
    shared = mbpf_program_map(prog, "shared");
    ring = mbpf_program_map(prog, "events");

    atomic_store(&runners_left, CPUS);
    pthread_t th[CPUS + 2];
    for (uintptr_t c = 0; c < CPUS; c++) pthread_create(&th[c], NULL, runner, (void *)c);
    pthread_create(&th[CPUS], NULL, host_writer, NULL);
    pthread_create(&th[CPUS + 1], NULL, consumer, NULL);
    for (int i = 0; i < CPUS + 2; i++) pthread_join(th[i], NULL);

    assert_int_equal(atomic_load(&failures), 0);
    assert_int_equal(atomic_load(&host_torn), 0);
    uint64_t hits, torn;
    assert_int_equal(mbpf_map_counter_get(mbpf_program_map(prog, "hits"), 0, &hits), 0);
    assert_int_equal(mbpf_map_counter_get(mbpf_program_map(prog, "torn"), 0, &torn), 0);
    assert_int_equal(hits, (uint64_t)CPUS * EVENTS);
    assert_int_equal(torn, 0);
    mbpf_program_stats_t st;
    assert_int_equal(mbpf_program_stats(prog, &st), 0);
    assert_int_equal(st.successes, (uint64_t)CPUS * EVENTS);
    assert_int_equal(st.nested, 0);
    /* every record reported written was consumed once, in order */
    assert_int_equal(bad_records, 0);
    mbpf_map_t *emitted = mbpf_program_map(prog, "emitted");
    long total = 0;
    for (uint32_t c = 0; c < CPUS; c++) {
        uint32_t idx = 0, n = 0;
        assert_int_equal(mbpf_map_lookup_cpu(emitted, c, &idx, 4, &n, 4), 0);
        assert_int_equal(n, seen_seq[c]);
        total += n;
    }
    assert_int_equal(consumed, total);
    assert_true(total > 0);
    mbpf_runtime_shutdown(rt);
    assert_int_equal(tp_live(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_programs_and_host_share_maps_concurrently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
