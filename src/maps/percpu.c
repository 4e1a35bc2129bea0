/*
 * Per-CPU support: which CPU's slot an operation uses, and the summed read
 * that folds a per-CPU value (a packet count, a byte total) into one
 * number for the kernel host or a report. A sum reads each CPU's slot in
 * turn, so under concurrent updates it is a sum of per-CPU snapshots, not
 * one instant's total (each slot's value itself is never torn).
 */
#include "map_internal.h"

uint32_t map_this_cpu(const mbpf_map_t *m)
{
    return m->cpu_id ? m->cpu_id(m->cpu_user) : 0;
}

static uint64_t le_value(const uint8_t *b, uint32_t len)
{
    uint64_t v = 0;
    for (uint32_t i = len; i-- > 0;) v = v << 8 | b[i];
    return v;
}

int map_lookup_sum(mbpf_map_t *m, const void *key, uint64_t *out)
{
    uint32_t t = m->def.type, vs = m->def.value_size;
    if (t == MBPF_MAP_COUNTER) return mbpf_map_counter_get(m, le32(key), out);
    if (vs != 1 && vs != 2 && vs != 4 && vs != 8) return MBPF_MAP_E_VALUE_SIZE;
    uint64_t sum = 0;
    for (uint32_t cpu = 0; cpu < m->nslots; cpu++) {
        uint8_t buf[8];
        int r;
        if (t == MBPF_MAP_ARRAY || t == MBPF_MAP_PERCPU_ARRAY)
            r = map_array_lookup(m, cpu, le32(key), buf);
        else if (t == MBPF_MAP_LPM_TRIE)
            r = map_lpm_lookup(m, cpu, key, buf);
        else
            r = map_hash_lookup(m, cpu, key, buf);
        if (r) return r;
        sum += le_value(buf, vs);
    }
    *out = sum;
    return MBPF_MAP_OK;
}
