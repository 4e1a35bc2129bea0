/*
 * Maps wiring: creates a program's maps from its manifest through the map
 * library, with storage from the platform allocator under the policy's
 * per-program ceiling, and shares maps between a program and its hot-swap
 * replacement when the definitions match (mbpf_map_def_matches), so state
 * survives updates. A map is freed when the last program using it goes.
 */
#include <string.h>

#include "internal.h"

/* Per-CPU maps learn the CPU the same way mbpf_run picks instances. */
static uint32_t map_cpu(void *user)
{
    return rt_cpu(user);
}

static rt_map_t *find_kept(const struct mbpf_program *from, const mbpf_map_def_t *def,
                           uint32_t ncpu)
{
    if (!from) return NULL;
    for (uint32_t i = 0; i < from->map_count; i++)
        if (strcmp(from->maps[i]->map.def.name, def->name) == 0 &&
            mbpf_map_def_matches(&from->maps[i]->map, def, ncpu))
            return from->maps[i];
    return NULL;
}

int maps_create(mbpf_runtime_t *rt, struct mbpf_program *p, const struct mbpf_program *keep_from)
{
    size_t ceiling = rt->cfg.policy.max_map_bytes, used = 0;
    for (uint32_t i = 0; i < p->manifest.map_count; i++) {
        const mbpf_map_def_t *def = &p->manifest.maps[i];
        rt_map_t *m = find_kept(keep_from, def, rt->ncpu);
        size_t size;
        mbpf_diag_t diag = {{0}};
        int rc = mbpf_map_storage_size(def, rt->ncpu, SIZE_MAX, &size, &diag);
        if (rc != 0) return rt_error(rt, MBPF_E_MAP, "%s", diag.msg);
        if (size > ceiling - used)
            return rt_error(rt, MBPF_E_MAP_TOO_LARGE,
                            "map '%s': %zu bytes exceed the policy ceiling of %zu (%zu in use)",
                            def->name, size, ceiling, used);
        used += size;
        if (!m) {
            m = rt_alloc(rt, sizeof *m);
            if (!m) return rt_error(rt, MBPF_E_NOMEM, "map '%s': out of memory", def->name);
            m->storage = rt_alloc(rt, size);
            if (!m->storage) {
                rt_free(rt, m);
                return rt_error(rt, MBPF_E_NOMEM, "map '%s': out of memory for %zu bytes",
                                def->name, size);
            }
            rc = mbpf_map_init(&m->map, def, rt->ncpu, m->storage, size);
            if (rc != 0) {
                rt_free(rt, m->storage);
                rt_free(rt, m);
                return rt_error(rt, MBPF_E_MAP, "map '%s': %s", def->name, mbpf_map_strerror(rc));
            }
            mbpf_map_set_cpu_source(&m->map, map_cpu, rt);
        }
        m->refs++;
        p->maps[i] = m;
        p->map_handles[i] = &m->map;
        p->map_count = i + 1;
    }
    return 0;
}

void maps_release(mbpf_runtime_t *rt, struct mbpf_program *p)
{
    for (uint32_t i = 0; i < p->map_count; i++) {
        rt_map_t *m = p->maps[i];
        if (--m->refs == 0) {
            rt_free(rt, m->storage);
            rt_free(rt, m);
        }
        p->maps[i] = NULL;
        p->map_handles[i] = NULL;
    }
    p->map_count = 0;
}

struct mbpf_map *mbpf_program_map(mbpf_program_t *prog, const char *name)
{
    if (!prog || !name) return NULL;
    for (uint32_t i = 0; i < prog->map_count; i++)
        if (strcmp(prog->maps[i]->map.def.name, name) == 0) return &prog->maps[i]->map;
    return NULL;
}
