/*
 * Array and per-CPU array maps: max_entries value slots per CPU slot set,
 * indexed by a u32. Every entry always exists (zero at init), so there is
 * no insertion or deletion, and each slot's seqlock is the only
 * synchronisation: writers to different entries, or to one entry on
 * different CPUs, never touch the same word.
 */
#include "map_internal.h"

/* The entry points of lookup_fn and update_fn: the common 8-byte value
 * with its slot stride and copy folded, and every other size. */
static int lookup_v8(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    uint32_t idx = le32(key);
    if (idx >= m->def.max_entries) return MBPF_MAP_E_INDEX;
    return slot_read8(slot_vs(m, cpu, idx, 8), out);
}

static int lookup_any(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    uint32_t idx = le32(key);
    if (idx >= m->def.max_entries) return MBPF_MAP_E_INDEX;
    return map_array_lookup(m, cpu, idx, out);
}

static int update_v8(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags)
{
    uint32_t idx = le32(key);
    if (idx >= m->def.max_entries) return MBPF_MAP_E_INDEX;
    if (flags == MBPF_MAP_NOEXIST) return MBPF_MAP_E_EXIST;
    return slot_write(slot_vs(m, cpu, idx, 8), val, 8);
}

static int update_any(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags)
{
    uint32_t idx = le32(key);
    if (idx >= m->def.max_entries) return MBPF_MAP_E_INDEX;
    return map_array_update(m, cpu, idx, val, flags);
}

void map_array_init(mbpf_map_t *m)
{
    /* All-zero storage is an array of zero values. */
    bool v8 = m->def.value_size == 8;
    m->lookup_fn = v8 ? lookup_v8 : lookup_any;
    m->update_fn = v8 ? update_v8 : update_any;
}

int map_array_lookup(mbpf_map_t *m, uint32_t cpu, uint32_t idx, void *out)
{
    return slot_read(slot_at(m, cpu, idx), out, m->def.value_size);
}

int map_array_update(mbpf_map_t *m, uint32_t cpu, uint32_t idx, const void *val, uint32_t flags)
{
    /* Every index exists: "create only" always finds it present. */
    if (flags == MBPF_MAP_NOEXIST) return MBPF_MAP_E_EXIST;
    return slot_write(slot_at(m, cpu, idx), val, m->def.value_size);
}
