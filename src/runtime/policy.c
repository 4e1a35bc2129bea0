/*
 * Policy checks of a decoded manifest, in the load pipeline's order (docs/
 * RUNTIME.md): helper API version (spec §11.5), per-helper versions,
 * capabilities, hook type, hook context ABI, target, bytecode version, heap
 * size, budgets. Each failure has its own error code and a message naming
 * the field, the value and the limit.
 */
#include <string.h>

#include "internal.h"
#include "mbpf_ctx.h"

/* Helpers this runtime implements and their versions (major << 16 |
 * minor). A manifest's helper_versions entry must name one of them, with
 * the same major and a minor no newer. The helpers library owns these
 * versions; bump them here when a helper changes. */
static const struct {
    const char *name;
    uint32_t version;
} helper_table[] = {
    {"log", 0x10000},       {"u64LoadLE", 0x10000}, {"u64StoreLE", 0x10000},
    {"nowNs", 0x10000},     {"stats", 0x10000},     {"emit", 0x10000},
    {"mapLookup", 0x10000}, {"mapUpdate", 0x10000}, {"mapDelete", 0x10000},
};

/* Context ABI versions this runtime supports, per hook type: v1 only. */
#define CTX_ABI_MIN 1u
#define CTX_ABI_MAX 1u

size_t policy_ctx_size(uint32_t hook_type)
{
    switch (hook_type) {
    case MBPF_HOOK_TRACEPOINT: return sizeof(mbpf_ctx_tracepoint_v1_t);
    case MBPF_HOOK_TIMER: return sizeof(mbpf_ctx_timer_v1_t);
    case MBPF_HOOK_NET_RX:
    case MBPF_HOOK_NET_TX: return sizeof(mbpf_ctx_net_v1_t);
    case MBPF_HOOK_SECURITY: return sizeof(mbpf_ctx_security_v1_t);
    case MBPF_HOOK_CUSTOM: return sizeof(mbpf_ctx_custom_v1_t);
    default: return 0;
    }
}

static uint8_t build_endianness(void)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first ? MBPF_TARGET_LITTLE : MBPF_TARGET_BIG;
}

static int check_api(mbpf_runtime_t *rt, const mbpf_manifest_t *m)
{
    uint32_t have = rt->cfg.policy.api_version, want = m->mbpf_api_version;
    if (want >> 16 != have >> 16 || (want & 0xFFFF) > (have & 0xFFFF))
        return rt_error(rt, MBPF_E_API_VERSION,
                        "manifest: mbpf_api_version %u.%u not supported by runtime API %u.%u",
                        (unsigned)(want >> 16), (unsigned)(want & 0xFFFF), (unsigned)(have >> 16),
                        (unsigned)(have & 0xFFFF));
    for (uint32_t i = 0; i < m->helper_version_count; i++) {
        const mbpf_helper_version_t *h = &m->helper_versions[i];
        size_t k = 0, n = sizeof helper_table / sizeof helper_table[0];
        while (k < n && strcmp(helper_table[k].name, h->name) != 0) k++;
        if (k == n)
            return rt_error(rt, MBPF_E_HELPER_VERSION,
                            "manifest: helper_versions.%s: no such helper", h->name);
        uint32_t hv = helper_table[k].version;
        if (h->version >> 16 != hv >> 16 || (h->version & 0xFFFF) > (hv & 0xFFFF))
            return rt_error(rt, MBPF_E_HELPER_VERSION,
                            "manifest: helper_versions.%s: %u.%u not supported by runtime %u.%u",
                            h->name, (unsigned)(h->version >> 16), (unsigned)(h->version & 0xFFFF),
                            (unsigned)(hv >> 16), (unsigned)(hv & 0xFFFF));
    }
    return 0;
}

static int check_caps(mbpf_runtime_t *rt, const mbpf_manifest_t *m)
{
    uint32_t missing = m->capabilities & ~rt->cfg.policy.allowed_caps;
    if (!missing) return 0;
    uint32_t bit = missing & (~missing + 1);
    const char *name = mbpf_capability_name(bit);
    return rt_error(rt, MBPF_E_CAPABILITY, "manifest: capabilities: %s not granted by policy",
                    name ? name : "?");
}

static int check_hook(mbpf_runtime_t *rt, const mbpf_manifest_t *m)
{
    const char *name = mbpf_hook_type_name(m->hook_type);
    if (!name || !(rt->cfg.policy.hook_types & MBPF_HOOK_BIT(m->hook_type)))
        return rt_error(rt, MBPF_E_HOOK_TYPE, "manifest: hook_type %s not supported by runtime",
                        name ? name : "?");
    if (m->hook_ctx_abi_version < CTX_ABI_MIN || m->hook_ctx_abi_version > CTX_ABI_MAX)
        return rt_error(rt, MBPF_E_CTX_ABI,
                        "manifest: hook_ctx_abi_version %u outside supported [%u, %u] for %s",
                        (unsigned)m->hook_ctx_abi_version, CTX_ABI_MIN, CTX_ABI_MAX, name);
    return 0;
}

static int check_target(mbpf_runtime_t *rt, const mbpf_manifest_t *m)
{
    uint32_t bits = (uint32_t)(sizeof(void *) * 8);
    if (m->target_word_size != MBPF_TARGET_ANY && m->target_word_size != bits)
        return rt_error(rt, MBPF_E_TARGET, "manifest: target.word_size %u differs from runtime %u",
                        m->target_word_size, (unsigned)bits);
    uint8_t e = build_endianness();
    if (m->target_endianness != MBPF_TARGET_ANY && m->target_endianness != e)
        return rt_error(rt, MBPF_E_TARGET, "manifest: target.endianness %s differs from runtime %s",
                        m->target_endianness == MBPF_TARGET_BIG ? "big" : "little",
                        e == MBPF_TARGET_BIG ? "big" : "little");
    if (m->bytecode_version != rt->exec->bytecode_version)
        return rt_error(rt, MBPF_E_BYTECODE_VERSION,
                        "manifest: bytecode_version %u differs from engine %u",
                        (unsigned)m->bytecode_version, (unsigned)rt->exec->bytecode_version);
    return 0;
}

static int check_limits(mbpf_runtime_t *rt, const mbpf_manifest_t *m)
{
    const mbpf_policy_t *p = &rt->cfg.policy;
    if (m->heap_size < rt->exec->min_heap_size)
        return rt_error(rt, MBPF_E_HEAP_SIZE, "manifest: heap_size %u below engine minimum %u",
                        (unsigned)m->heap_size, (unsigned)rt->exec->min_heap_size);
    if (m->heap_size > p->max_heap_size)
        return rt_error(rt, MBPF_E_HEAP_SIZE, "manifest: heap_size %u above policy ceiling %u",
                        (unsigned)m->heap_size, (unsigned)p->max_heap_size);
    if (m->max_steps > p->max_steps)
        return rt_error(rt, MBPF_E_BUDGET, "manifest: budgets.max_steps %u above policy ceiling %u",
                        (unsigned)m->max_steps, (unsigned)p->max_steps);
    if (m->max_helpers > p->max_helpers)
        return rt_error(rt, MBPF_E_BUDGET,
                        "manifest: budgets.max_helpers %u above policy ceiling %u",
                        (unsigned)m->max_helpers, (unsigned)p->max_helpers);
    if (p->max_wall_time_us && m->max_wall_time_us > p->max_wall_time_us)
        return rt_error(rt, MBPF_E_BUDGET,
                        "manifest: budgets.max_wall_time_us %u above policy ceiling %u",
                        (unsigned)m->max_wall_time_us, (unsigned)p->max_wall_time_us);
    return 0;
}

int policy_check(mbpf_runtime_t *rt, const mbpf_manifest_t *m)
{
    int rc;
    if ((rc = check_api(rt, m)) != 0) return rc;
    if ((rc = check_caps(rt, m)) != 0) return rc;
    if ((rc = check_hook(rt, m)) != 0) return rc;
    if ((rc = check_target(rt, m)) != 0) return rc;
    return check_limits(rt, m);
}
