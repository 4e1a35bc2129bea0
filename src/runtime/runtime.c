/*
 * The runtime object: configuration defaults and validation, init and
 * shutdown, the last-error record, error messages, version query.
 *
 * Init is the only place besides program load that allocates: the runtime
 * struct, a copy of the trusted keys, the per-CPU activity counters and the
 * deferred queue.
 */
#include <stdarg.h>
#include <string.h>

#include "internal.h"
#include "mbpf_ctx.h"

#define STR2(x) #x
#define STR(x)  STR2(x)

static const char *const messages[] = {
    [0] = "success",
    [1] = "invalid argument",
    [2] = "out of memory",
    [3] = "malformed package container",
    [4] = "package CRC mismatch",
    [5] = "package signature required",
    [6] = "package signature invalid",
    [7] = "no trusted key to check the package signature",
    [8] = "invalid manifest",
    [9] = "helper API version not supported",
    [10] = "helper version not supported",
    [11] = "capability not granted by policy",
    [12] = "hook type not supported",
    [13] = "hook context ABI version not supported",
    [14] = "package built for another target",
    [15] = "bytecode version not supported",
    [16] = "heap size out of range",
    [17] = "budget above the policy ceiling",
    [18] = "a program with this name is loaded",
    [19] = "invalid map definition",
    [20] = "maps exceed the memory ceiling",
    [21] = "bytecode rejected",
    [22] = "program initialisation failed",
    [23] = "not found",
    [24] = "already attached to this hook",
    [25] = "hook type differs from the program's",
    [26] = "runtime limit reached",
    [27] = "instance busy",
};

const char *mbpf_strerror(int err)
{
    if (err > 0 || err < -(int)(sizeof messages / sizeof messages[0] - 1)) return "unknown error";
    return messages[-err];
}

uint32_t mbpf_version(void)
{
    return MBPF_VERSION_NUMBER;
}

const char *mbpf_version_string(void)
{
    return STR(MBPF_VERSION_MAJOR) "." STR(MBPF_VERSION_MINOR) "." STR(MBPF_VERSION_PATCH);
}

void mbpf_runtime_config_init(mbpf_runtime_config_t *cfg, const struct mbpf_platform *platform)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
    cfg->platform = platform;
    cfg->policy.allowed_caps = MBPF_CAP_ALL;
    cfg->policy.hook_types = MBPF_HOOK_ALL_TYPES;
    cfg->policy.api_version = MBPF_API_VERSION;
    cfg->policy.max_heap_size = 256u * 1024;
    cfg->policy.max_steps = 10000000u;
    cfg->policy.max_helpers = 100000u;
    cfg->policy.max_map_bytes = (size_t)16 * 1024 * 1024;
    cfg->breaker_cooldown_ms = 1000;
    cfg->breaker_cooldown_invocations = 1000;
    cfg->deferred_depth = 64;
    cfg->deferred_snapshot_max = 256;
}

void *rt_alloc(mbpf_runtime_t *rt, size_t size)
{
    void *p = rt->pf->alloc(rt->pf->user, size ? size : 1);
    if (p) memset(p, 0, size);
    return p;
}

void rt_free(mbpf_runtime_t *rt, void *p)
{
    if (p) rt->pf->free(rt->pf->user, p);
}

void *rt_alloc_lines(mbpf_runtime_t *rt, size_t n, void **block)
{
    *block = NULL;
    if (n > (SIZE_MAX - (RT_CACHE_LINE - 1)) / RT_CACHE_LINE) return NULL;
    uint8_t *b = rt_alloc(rt, n * RT_CACHE_LINE + (RT_CACHE_LINE - 1));
    if (!b) return NULL;
    *block = b;
    size_t skip = (RT_CACHE_LINE - (uintptr_t)b % RT_CACHE_LINE) % RT_CACHE_LINE;
    return b + skip;
}

int rt_error(mbpf_runtime_t *rt, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mbpf_vfmt(rt->last_error.msg, sizeof rt->last_error.msg, fmt, ap);
    va_end(ap);
    rt->last_code = code;
    return code;
}

int rt_ok(mbpf_runtime_t *rt)
{
    rt->last_error.msg[0] = '\0';
    rt->last_code = 0;
    return 0;
}

uint32_t rt_cpu_slow(mbpf_runtime_t *rt)
{
    uint32_t cpu = rt->pf->cpu_id(rt->pf->user);
    return cpu < rt->ncpu ? cpu : cpu % rt->ncpu;
}

const char *mbpf_last_error(const mbpf_runtime_t *rt)
{
    return rt ? rt->last_error.msg : "invalid argument: runtime is NULL";
}

int mbpf_last_error_code(const mbpf_runtime_t *rt)
{
    return rt ? rt->last_code : MBPF_E_INVALID_ARG;
}

/* Logs why init refused cfg (there is no runtime to hold the message). */
static void config_error(const mbpf_platform_t *pf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void config_error(const mbpf_platform_t *pf, const char *fmt, ...)
{
    char msg[MBPF_DIAG_MAX];
    va_list ap;
    va_start(ap, fmt);
    size_t n = mbpf_vfmt(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (pf && pf->log) pf->log(pf->user, MBPF_LOG_ERROR, msg, n);
}

static bool config_valid(const mbpf_runtime_config_t *cfg, const mbpf_exec_ops_t *ops)
{
    const mbpf_platform_t *pf = cfg->platform;
    if (!pf || !pf->alloc || !pf->free || !pf->cpu_id || (!cfg->cpu_count && !pf->cpu_count)) {
        config_error(pf, "config: platform needs alloc, free, cpu_id and cpu_count");
        return false;
    }
    if (!ops || !ops->instance_size || !ops->create || !ops->start || !ops->call || !ops->run ||
        !ops->destroy) {
        config_error(pf, "config: executor incomplete");
        return false;
    }
    if (cfg->policy.hook_types & ~(uint32_t)MBPF_HOOK_ALL_TYPES) {
        config_error(pf, "config: policy.hook_types 0x%x has unknown bits",
                     (unsigned)cfg->policy.hook_types);
        return false;
    }
    uint32_t observers = MBPF_HOOK_BIT(MBPF_HOOK_TRACEPOINT) | MBPF_HOOK_BIT(MBPF_HOOK_TIMER) |
                         MBPF_HOOK_BIT(MBPF_HOOK_CUSTOM);
    if (cfg->deferred_hooks & ~observers) {
        config_error(pf, "config: deferred_hooks 0x%x: only observer hooks can be deferred",
                     (unsigned)cfg->deferred_hooks);
        return false;
    }
    if (cfg->deferred_hooks && (cfg->deferred_depth == 0 || cfg->deferred_depth > (1u << 16))) {
        config_error(pf, "config: deferred_depth %u outside [1, 65536]",
                     (unsigned)cfg->deferred_depth);
        return false;
    }
    if (cfg->deferred_hooks && cfg->deferred_snapshot_max > (1u << 20)) {
        config_error(pf, "config: deferred_snapshot_max %u above 1048576",
                     (unsigned)cfg->deferred_snapshot_max);
        return false;
    }
    if (cfg->policy.trusted_key_count && !cfg->policy.trusted_keys) {
        config_error(pf, "config: policy.trusted_keys is NULL");
        return false;
    }
    if (cfg->policy.trusted_key_count > 64) {
        config_error(pf, "config: policy.trusted_key_count %u above 64",
                     (unsigned)cfg->policy.trusted_key_count);
        return false;
    }
    return true;
}

mbpf_runtime_t *mbpf_runtime_init_exec(const mbpf_runtime_config_t *cfg, const mbpf_exec_ops_t *ops)
{
    if (!cfg || !config_valid(cfg, ops)) return NULL;
    const mbpf_platform_t *pf = cfg->platform;
    uint32_t ncpu = cfg->cpu_count ? cfg->cpu_count : pf->cpu_count(pf->user);
    if (ncpu == 0 || ncpu > MBPF_MAP_CPU_MAX) {
        config_error(pf, "config: cpu_count %u outside [1, %u]", (unsigned)ncpu, MBPF_MAP_CPU_MAX);
        return NULL;
    }

    mbpf_runtime_t *rt = pf->alloc(pf->user, sizeof *rt);
    if (!rt) return NULL;
    memset(rt, 0, sizeof *rt);
    rt->pf = pf;
    rt->exec = ops;
    rt->cfg = *cfg;
    rt->ncpu = ncpu;
    rt->ctl = (mbpf_spinlock_t)MBPF_SPINLOCK_INIT;
    for (uint32_t t = 0; t <= MBPF_HOOK_TYPE_MAX; t++) {
        atomic_init(&rt->hooks[t], NULL);
        rt->kinds[t].dflt = cfg->safe_default[t];
        if (t != 0 && !(cfg->deferred_hooks & MBPF_HOOK_BIT(t)))
            rt->kinds[t].inline_ok = t == MBPF_HOOK_TRACEPOINT || t == MBPF_HOOK_CUSTOM ? 3u : 1u;
        rt->kinds[t].stop = !hook_is_decision(t)      ? INT64_MIN
                            : t == MBPF_HOOK_SECURITY ? MBPF_SEC_DENY
                                                      : MBPF_NET_DROP;
    }

    uint32_t nkeys = cfg->policy.trusted_key_count;
    if (nkeys) {
        rt->keys = rt_alloc(rt, (size_t)nkeys * 32);
        if (!rt->keys) goto fail;
        memcpy(rt->keys, cfg->policy.trusted_keys, (size_t)nkeys * 32);
    }
    rt->cfg.policy.trusted_keys = (const uint8_t(*)[32])rt->keys;

    rt->active = rt_alloc_lines(rt, ncpu, &rt->active_block);
    if (!rt->active) goto fail_keys;
    for (uint32_t i = 0; i < ncpu; i++) atomic_init(&rt->active[i].n, 0);

    if (deferred_init(rt, cfg) != 0) goto fail_active;
    rt_ok(rt);
    return rt;

fail_active:
    rt_free(rt, rt->active_block);
fail_keys:
    rt_free(rt, rt->keys);
fail:
    pf->free(pf->user, rt);
    return NULL;
}

void mbpf_runtime_shutdown(mbpf_runtime_t *rt)
{
    if (!rt) return;
    while (rt->programs) mbpf_program_unload(rt, rt->programs);
    deferred_free(rt);
    rt_free(rt, rt->active_block);
    rt_free(rt, rt->keys);
    const mbpf_platform_t *pf = rt->pf;
    pf->free(pf->user, rt);
}
