/*
 * Array and per-CPU array maps: max_entries value slots per CPU slot set,
 * indexed by a u32. Every entry always exists (zero at init), so there is
 * no insertion or deletion, and each slot's seqlock is the only
 * synchronisation: writers to different entries, or to one entry on
 * different CPUs, never touch the same word.
 */
#include "map_internal.h"

void map_array_init(mbpf_map_t *m)
{
    (void)m; /* all-zero storage is an array of zero values */
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
