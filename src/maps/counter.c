/*
 * Counter maps: max_entries 64-bit counters indexed by a u32, updated with
 * atomic read-modify-write so concurrent increments are never lost (on
 * targets without lock-free 64-bit atomics, see atomic64.h). The generic
 * lookup and update see a counter as an 8-byte little-endian value.
 */
#include "map_internal.h"

static map_u64_t *counter_at(mbpf_map_t *m, uint32_t idx)
{
    return (map_u64_t *)m->slots + idx;
}

static int lookup_fn(mbpf_map_t *m, uint32_t cpu, const void *key, void *out);
static int update_fn(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags);

void map_counter_init(mbpf_map_t *m)
{
    for (uint32_t i = 0; i < m->def.max_entries; i++) u64_init(counter_at(m, i), 0);
    m->lookup_fn = lookup_fn;
    m->update_fn = update_fn;
}

static void put_le64(void *p, uint64_t v)
{
    put_le32(p, (uint32_t)v);
    put_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

int map_counter_lookup(mbpf_map_t *m, uint32_t idx, void *out)
{
    put_le64(out, u64_load(counter_at(m, idx)));
    return MBPF_MAP_OK;
}

int map_counter_update(mbpf_map_t *m, uint32_t idx, const void *val, uint32_t flags)
{
    if (flags == MBPF_MAP_NOEXIST) return MBPF_MAP_E_EXIST;
    const uint8_t *v = val;
    u64_store(counter_at(m, idx), le32(v) | (uint64_t)le32(v + 4) << 32);
    return MBPF_MAP_OK;
}

static int lookup_fn(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    (void)cpu;
    uint32_t idx = le32(key);
    if (idx >= m->def.max_entries) return MBPF_MAP_E_INDEX;
    return map_counter_lookup(m, idx, out);
}

static int update_fn(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags)
{
    (void)cpu;
    uint32_t idx = le32(key);
    if (idx >= m->def.max_entries) return MBPF_MAP_E_INDEX;
    return map_counter_update(m, idx, val, flags);
}

static int check(mbpf_map_t *m, uint32_t idx)
{
    if (!m) return MBPF_MAP_E_INVALID_ARG;
    if (m->def.type != MBPF_MAP_COUNTER) return MBPF_MAP_E_NOTSUP;
    return idx < m->def.max_entries ? MBPF_MAP_OK : MBPF_MAP_E_INDEX;
}

int mbpf_map_counter_add(mbpf_map_t *m, uint32_t idx, uint64_t delta, uint64_t *out_new)
{
    int r = check(m, idx);
    if (r) return r;
    uint64_t v = u64_add(counter_at(m, idx), delta);
    if (out_new) *out_new = v;
    return MBPF_MAP_OK;
}

int mbpf_map_counter_get(mbpf_map_t *m, uint32_t idx, uint64_t *out)
{
    int r = check(m, idx);
    if (r) return r;
    if (!out) return MBPF_MAP_E_INVALID_ARG;
    *out = u64_load(counter_at(m, idx));
    return MBPF_MAP_OK;
}

int mbpf_map_counter_reset(mbpf_map_t *m, uint32_t idx, uint64_t *out_old)
{
    int r = check(m, idx);
    if (r) return r;
    uint64_t old = u64_exchange(counter_at(m, idx), 0);
    if (out_old) *out_old = old;
    return MBPF_MAP_OK;
}
