/* A ujs context with the helpers installed over real maps and a test
 * platform, shared by the helper tests, the benchmark and the fuzzer. */
#ifndef HELPERS_FIXTURE_H
#define HELPERS_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbpf_ctx.h"
#include "mbpf_helpers.h"
#include "mbpf_map.h"

/* The program's maps, in manifest order (mapId = index). */
enum { M_ARR, M_HASH, M_LRU, M_CTR, M_RING, M_LPM, M_PCPU, M_COUNT };

typedef struct fx {
    ujs_ctx *ctx;
    mbpf_helpers_t h;
    mbpf_helpers_config_t cfg;
    mbpf_platform_t plat;
    mbpf_map_t maps[M_COUNT];
    mbpf_map_t *map_ptrs[M_COUNT];
    void *storage[M_COUNT];
    uint64_t now;
    char log[16][MBPF_HELPERS_LOG_MAX + 8];
    int log_level[16];
    int nlog;
    mbpf_program_stats_t stats;
    bool stats_fail; /* fx_stats reports the counters unavailable */
    size_t mem_size;
    uintptr_t *mem;
} fx_t;

static inline uint64_t fx_now(void *user)
{
    return ((fx_t *)user)->now;
}

static inline void fx_log(void *user, int level, const char *msg, size_t len)
{
    fx_t *f = user;
    if (f->nlog < 16) {
        memcpy(f->log[f->nlog], msg, len);
        f->log[f->nlog][len] = 0;
        f->log_level[f->nlog] = level;
    }
    f->nlog++;
}

static inline uint32_t fx_cpu(void *user)
{
    (void)user;
    return 0;
}

static inline int fx_stats(void *user, mbpf_program_stats_t *out)
{
    fx_t *f = user;
    *out = f->stats;
    return f->stats_fail ? -1 : 0;
}

static const struct {
    const char *name;
    uint32_t type, key_size, value_size, max_entries;
} fx_defs[M_COUNT] = {
    {"arr", MBPF_MAP_ARRAY, 4, 8, 4},         {"hash", MBPF_MAP_HASH, 4, 4, 2},
    {"lru", MBPF_MAP_LRU_HASH, 2, 2, 2},      {"ctr", MBPF_MAP_COUNTER, 4, 8, 4},
    {"ring", MBPF_MAP_RINGBUF, 0, 0, 256},    {"lpm", MBPF_MAP_LPM_TRIE, 8, 1, 8},
    {"pcpu", MBPF_MAP_PERCPU_ARRAY, 4, 4, 2},
};

/* Builds the fixture: heap of mem_size bytes, the given hook and caps.
 * Returns 0 or the install status. */
static inline int fx_init(fx_t *f, size_t mem_size, uint32_t hook, uint32_t caps, bool debug)
{
    memset(f, 0, sizeof *f);
    f->mem_size = mem_size;
    f->mem = calloc(1, mem_size);
    f->plat.user = f;
    f->plat.now_ns = fx_now;
    f->plat.log = fx_log;
    f->plat.cpu_id = fx_cpu;
    for (int i = 0; i < M_COUNT; i++) {
        mbpf_map_def_t d;
        memset(&d, 0, sizeof d);
        snprintf(d.name, sizeof d.name, "%s", fx_defs[i].name);
        d.type = fx_defs[i].type;
        d.key_size = fx_defs[i].key_size;
        d.value_size = fx_defs[i].value_size;
        d.max_entries = fx_defs[i].max_entries;
        size_t size;
        if (mbpf_map_storage_size(&d, 1, SIZE_MAX, &size, NULL)) abort();
        f->storage[i] = aligned_alloc(8, (size + 7) & ~(size_t)7);
        if (mbpf_map_init(&f->maps[i], &d, 1, f->storage[i], size)) abort();
        f->map_ptrs[i] = &f->maps[i];
    }
    f->ctx = ujs_new_context(f->mem, mem_size, NULL);
    if (!f->ctx) abort();
    f->cfg.hook_type = hook;
    f->cfg.caps = caps;
    f->cfg.maps = f->map_ptrs;
    f->cfg.map_count = M_COUNT;
    f->cfg.platform = &f->plat;
    f->cfg.debug = debug;
    f->cfg.stats = fx_stats;
    f->cfg.stats_user = f;
    return mbpf_helpers_install(&f->h, f->ctx, &f->cfg);
}

static inline void fx_free(fx_t *f)
{
    mbpf_helpers_uninstall(&f->h, f->ctx);
    ujs_free_context(f->ctx);
    for (int i = 0; i < M_COUNT; i++) free(f->storage[i]);
    free(f->mem);
}

/* Defines `function NAME(ctx) { body }` as a global. */
static inline int fx_define(fx_t *f, const char *name, const char *body)
{
    char src[8192];
    snprintf(src, sizeof src, "function %s(ctx) {\n%s\n}", name, body);
    return ujs_eval(f->ctx, src, strlen(src), "test.js", NULL);
}

/* Calls global function name with the ctx object. */
static inline int fx_call(fx_t *f, const char *name, ujs_value *res)
{
    ujs_value fn;
    int st = ujs_get_property(f->ctx, ujs_get_global_object(f->ctx), name, &fn);
    if (st) return st;
    ujs_value arg = mbpf_helpers_ctx_value(&f->h);
    return ujs_call(f->ctx, fn, UJS_UNDEFINED, 1, &arg, res);
}

/* Runs body as a function of ctx on blob, within a run of max_helpers. */
static inline int fx_run(fx_t *f, const void *blob, uint32_t max_helpers, const char *body,
                         ujs_value *res)
{
    int st = fx_define(f, "t", body);
    if (st) return st;
    mbpf_helpers_begin_run(&f->h, blob, max_helpers);
    st = fx_call(f, "t", res);
    mbpf_helpers_end_run(&f->h);
    return st;
}

#endif
