/*
 * Map definitions, storage layout and the type-independent operations:
 * argument checks happen here, once, and each operation is dispatched to
 * the file of its map type.
 *
 * Storage is one block: the shared header (locks, counts, ring positions),
 * then the type's areas (buckets, nodes, value slots, LPM prefix counts,
 * ring data), each starting 8-byte aligned. layout() computes it with
 * overflow-checked arithmetic, so a definition that would wrap size_t is
 * rejected rather than under-allocated.
 */
#include "map_internal.h"

const char *mbpf_map_strerror(int err)
{
    switch (err) {
    case MBPF_MAP_OK: return "success";
    case MBPF_MAP_E_INVALID_ARG: return "invalid argument";
    case MBPF_MAP_E_TYPE: return "unknown map type";
    case MBPF_MAP_E_KEY_SIZE: return "key size does not match the map";
    case MBPF_MAP_E_VALUE_SIZE: return "value size does not match the map";
    case MBPF_MAP_E_MAX_ENTRIES: return "max_entries out of range";
    case MBPF_MAP_E_FLAGS: return "unknown flags";
    case MBPF_MAP_E_TOO_LARGE: return "map storage exceeds the limit";
    case MBPF_MAP_E_STORAGE: return "map storage too small or misaligned";
    case MBPF_MAP_E_NOENT: return "no such key";
    case MBPF_MAP_E_EXIST: return "key already exists";
    case MBPF_MAP_E_FULL: return "map is full";
    case MBPF_MAP_E_INDEX: return "array index out of range";
    case MBPF_MAP_E_CPU: return "CPU number out of range";
    case MBPF_MAP_E_NOTSUP: return "operation not supported by this map type";
    case MBPF_MAP_E_PREFIX: return "prefix length exceeds the key's data bits";
    case MBPF_MAP_E_RING_FULL: return "ring buffer full, record dropped";
    case MBPF_MAP_E_BUSY: return "map entry busy";
    }
    return "unknown map error";
}

typedef struct layout {
    uint32_t key_len, key_words, val_words, slot_words, node_words, nslots;
    uint32_t nbuckets, lpm_bits;
    size_t off_buckets, off_nodes, off_slots, off_extra, total;
} layout_t;

static bool is_indexed(uint32_t type)
{
    return type == MBPF_MAP_ARRAY || type == MBPF_MAP_PERCPU_ARRAY || type == MBPF_MAP_COUNTER;
}

static bool is_hashed(uint32_t type)
{
    return type == MBPF_MAP_HASH || type == MBPF_MAP_LRU_HASH || type == MBPF_MAP_PERCPU_HASH ||
           type == MBPF_MAP_LPM_TRIE;
}

/* Appends an area of count * elem bytes at *total (8-byte aligned). */
static bool area(size_t *total, size_t *off, size_t count, size_t elem)
{
    if (elem && count > SIZE_MAX / elem) return false;
    size_t bytes = count * elem;
    if (bytes > SIZE_MAX - 7) return false;
    bytes = (bytes + 7) & ~(size_t)7;
    if (bytes > SIZE_MAX - *total) return false;
    *off = *total;
    *total += bytes;
    return true;
}

static int bad(mbpf_diag_t *diag, int err, const mbpf_map_def_t *def, const char *field,
               uint32_t value, const char *want)
{
    mbpf_diag_set(diag, "map '%.*s': %s %u %s", (int)sizeof def->name, def->name, field,
                  (unsigned)value, want);
    return err;
}

static int layout(const mbpf_map_def_t *def, uint32_t ncpu, size_t ceiling, layout_t *L,
                  mbpf_diag_t *diag)
{
    memset(L, 0, sizeof *L);
    if (ncpu == 0 || ncpu > MBPF_MAP_CPU_MAX) {
        mbpf_diag_set(diag, "map: cpu count %u outside [1, %u]", (unsigned)ncpu, MBPF_MAP_CPU_MAX);
        return MBPF_MAP_E_INVALID_ARG;
    }
    uint32_t t = def->type, ks = def->key_size, vs = def->value_size, n = def->max_entries;
    if (t == 0 || t > MBPF_MAP_TYPE_MAX)
        return bad(diag, MBPF_MAP_E_TYPE, def, "type", t, "unknown");
    if (def->flags & ~MBPF_MAP_F_ALL)
        return bad(diag, MBPF_MAP_E_FLAGS, def, "flags", def->flags, "has unknown bits");
    if (n == 0 || n > MBPF_MAP_ENTRIES_MAX)
        return bad(diag, MBPF_MAP_E_MAX_ENTRIES, def, "max_entries", n, "outside [1, 2^30]");

    if (t == MBPF_MAP_RINGBUF) {
        if (n < MBPF_MAP_RING_MIN || (n & (n - 1)))
            return bad(diag, MBPF_MAP_E_MAX_ENTRIES, def, "max_entries", n,
                       "is not a power of two >= 16 (ring capacity in bytes)");
        if (ks != 0) return bad(diag, MBPF_MAP_E_KEY_SIZE, def, "key_size", ks, "must be 0");
        if (vs > n - MBPF_MAP_RING_RECORD_HDR)
            return bad(diag, MBPF_MAP_E_VALUE_SIZE, def, "value_size", vs,
                       "exceeds the largest record the ring can hold");
    } else if (is_indexed(t)) {
        if (ks != 0 && ks != 4)
            return bad(diag, MBPF_MAP_E_KEY_SIZE, def, "key_size", ks, "must be 0 (or 4)");
        if (t == MBPF_MAP_COUNTER && vs != 8)
            return bad(diag, MBPF_MAP_E_VALUE_SIZE, def, "value_size", vs, "must be 8");
        L->key_len = 4;
    } else {
        uint32_t min = t == MBPF_MAP_LPM_TRIE ? 5 : 1;
        if (ks < min || ks > MBPF_MAP_KEY_MAX)
            return bad(diag, MBPF_MAP_E_KEY_SIZE, def, "key_size", ks,
                       t == MBPF_MAP_LPM_TRIE ? "outside [5, 256]" : "outside [1, 256]");
        L->key_len = ks;
    }
    if (t != MBPF_MAP_RINGBUF && (vs == 0 || vs > MBPF_MAP_VALUE_MAX))
        return bad(diag, MBPF_MAP_E_VALUE_SIZE, def, "value_size", vs, "outside [1, 65536]");

    L->key_words = (L->key_len + 3) / 4;
    L->val_words = (vs + 3) / 4;
    L->slot_words = 1 + L->val_words;
    L->nslots = (t == MBPF_MAP_PERCPU_ARRAY || t == MBPF_MAP_PERCPU_HASH) ? ncpu : 1;
    L->total = 0;
    size_t hdr;
    bool ok = area(&L->total, &hdr, 1, (sizeof(struct mbpf_map_shared) + 63) & ~(size_t)63);
    size_t slots = (size_t)n * L->nslots; /* n <= 2^30, nslots <= 4096: no wrap on 64-bit */
    if (L->nslots && slots / L->nslots != n) ok = false;
    if (t == MBPF_MAP_RINGBUF) {
        ok = ok && area(&L->total, &L->off_extra, n, 1);
    } else if (t == MBPF_MAP_COUNTER) {
        ok = ok && area(&L->total, &L->off_slots, n, sizeof(map_u64_t));
    } else if (is_indexed(t)) {
        ok = ok && area(&L->total, &L->off_slots, slots, (size_t)L->slot_words * 4);
    } else {
        uint32_t nb = 1;
        while (nb < n) nb <<= 1; /* n <= 2^30 */
        L->nbuckets = nb;
        L->node_words = NODE_KEY + L->key_words;
        ok = ok && area(&L->total, &L->off_buckets, nb, sizeof(map_bucket_t));
        ok = ok && area(&L->total, &L->off_nodes, n, (size_t)L->node_words * 4);
        ok = ok && area(&L->total, &L->off_slots, slots, (size_t)L->slot_words * 4);
        if (t == MBPF_MAP_LPM_TRIE) {
            L->lpm_bits = (ks - 4) * 8;
            /* A count per prefix length, then a bit per length in use. */
            size_t words = (size_t)L->lpm_bits + 1 + (L->lpm_bits + 32) / 32;
            ok = ok && area(&L->total, &L->off_extra, words, 4);
        }
    }
    if (!ok || L->total > ceiling) {
        mbpf_diag_set(
            diag, "map '%.*s': storage for %u entries on %u CPUs exceeds the limit of %zu bytes",
            (int)sizeof def->name, def->name, (unsigned)n, (unsigned)ncpu, ceiling);
        return MBPF_MAP_E_TOO_LARGE;
    }
    return MBPF_MAP_OK;
}

int mbpf_map_storage_size(const mbpf_map_def_t *def, uint32_t ncpu, size_t ceiling, size_t *out,
                          mbpf_diag_t *diag)
{
    if (!def || !out) return MBPF_MAP_E_INVALID_ARG;
    layout_t L;
    int r = layout(def, ncpu, ceiling, &L, diag);
    if (r) return r;
    *out = L.total;
    return MBPF_MAP_OK;
}

/* lookup_fn and update_fn of ring buffers. */
static int lookup_notsup(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    (void)m, (void)cpu, (void)key, (void)out;
    return MBPF_MAP_E_NOTSUP;
}

static int update_notsup(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                         uint32_t flags)
{
    (void)m, (void)cpu, (void)key, (void)val, (void)flags;
    return MBPF_MAP_E_NOTSUP;
}

static int lookup_this_cpu(mbpf_map_t *m, const void *key, void *out);
static int update_this_cpu(mbpf_map_t *m, const void *key, const void *value, uint32_t flags);

/* lookup_here_fn and update_here_fn of per-CPU types. */
static int lookup_here_percpu(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    (void)cpu;
    return lookup_this_cpu(m, key, out);
}

static int update_here_percpu(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                              uint32_t flags)
{
    (void)cpu;
    return update_this_cpu(m, key, val, flags);
}

int mbpf_map_init(mbpf_map_t *m, const mbpf_map_def_t *def, uint32_t ncpu, void *storage,
                  size_t size)
{
    if (!m || !def || !storage) return MBPF_MAP_E_INVALID_ARG;
    layout_t L;
    int r = layout(def, ncpu, SIZE_MAX, &L, NULL);
    if (r) return r;
    if (size < L.total || ((uintptr_t)storage & 7)) return MBPF_MAP_E_STORAGE;

    uint8_t *base = storage;
    memset(base, 0, L.total);
    memset(m, 0, sizeof *m);
    m->def = *def;
    m->ncpu = ncpu;
    m->nslots = L.nslots;
    m->key_len = L.key_len;
    m->key_words = L.key_words;
    m->val_words = L.val_words;
    m->slot_words = L.slot_words;
    m->node_words = L.node_words;
    m->bucket_mask = L.nbuckets ? L.nbuckets - 1 : 0;
    m->lpm_bits = L.lpm_bits;
    m->ring_mask = def->type == MBPF_MAP_RINGBUF ? def->max_entries - 1 : 0;
    m->sh = (struct mbpf_map_shared *)base;
    m->buckets = L.nbuckets ? base + L.off_buckets : NULL;
    m->nodes = L.node_words ? base + L.off_nodes : NULL;
    m->slots = L.off_slots ? base + L.off_slots : NULL;
    m->extra = L.off_extra ? base + L.off_extra : NULL;
    const char *nul = memchr(def->name, 0, sizeof def->name);
    uint32_t name_len = nul ? (uint32_t)(nul - def->name) : (uint32_t)sizeof def->name;
    m->seed = map_hash(def->name, name_len, (uint32_t)((uintptr_t)storage >> 3) ^ 0x5BD1E995u);

    struct mbpf_map_shared *sh = m->sh;
    atomic_flag_clear(&sh->lock.flag);
    atomic_flag_clear(&sh->cons_lock.flag);
    atomic_init(&sh->seq, 0);
    atomic_init(&sh->count, 0);
    atomic_init(&sh->ring_prod, 0);
    atomic_init(&sh->ring_cons, 0);
    u64_init(&sh->ring_written, 0);
    u64_init(&sh->ring_dropped, 0);
    sh->free_head = MAP_NIL;
    sh->lru_head = sh->lru_tail = MAP_NIL;

    m->lookup_fn = lookup_notsup;
    m->update_fn = update_notsup;
    switch (def->type) {
    case MBPF_MAP_ARRAY:
    case MBPF_MAP_PERCPU_ARRAY: map_array_init(m); break;
    case MBPF_MAP_COUNTER: map_counter_init(m); break;
    case MBPF_MAP_RINGBUF: map_ringbuf_init(m); break;
    case MBPF_MAP_LPM_TRIE: map_lpm_init(m); break;
    default: map_hash_init(m); break;
    }
    m->lookup_here_fn = m->nslots > 1 ? lookup_here_percpu : m->lookup_fn;
    m->update_here_fn = m->nslots > 1 ? update_here_percpu : m->update_fn;
    return MBPF_MAP_OK;
}

int mbpf_map_def_matches(const mbpf_map_t *m, const mbpf_map_def_t *def, uint32_t ncpu)
{
    if (!m || !def) return 0;
    const mbpf_map_def_t *d = &m->def;
    return strncmp(d->name, def->name, sizeof d->name) == 0 && d->type == def->type &&
           d->key_size == def->key_size && d->value_size == def->value_size &&
           d->max_entries == def->max_entries && d->flags == def->flags && m->ncpu == ncpu;
}

void mbpf_map_set_cpu_source(mbpf_map_t *m, uint32_t (*cpu_id)(void *user), void *user)
{
    if (!m) return;
    m->cpu_id = cpu_id;
    m->cpu_user = user;
}

int mbpf_map_reseed(mbpf_map_t *m, uint32_t seed)
{
    if (!m) return MBPF_MAP_E_INVALID_ARG;
    if (is_hashed(m->def.type) && ld(&m->sh->count) != 0) return MBPF_MAP_E_BUSY;
    m->seed = seed;
    return MBPF_MAP_OK;
}

uint32_t mbpf_map_key_len(const mbpf_map_t *m)
{
    return m ? m->key_len : 0;
}

uint32_t mbpf_map_count(const mbpf_map_t *m)
{
    if (!m) return 0;
    if (is_indexed(m->def.type)) return m->def.max_entries;
    if (is_hashed(m->def.type)) return ld(&m->sh->count);
    return 0;
}

/* Checks an indexed type's 4-byte little-endian key. */
static int key_index(const mbpf_map_t *m, const void *key, size_t key_len, uint32_t *idx)
{
    if (key_len != 4) return MBPF_MAP_E_KEY_SIZE;
    *idx = le32(key);
    return *idx < m->def.max_entries ? MBPF_MAP_OK : MBPF_MAP_E_INDEX;
}

static inline int lookup(mbpf_map_t *m, uint32_t cpu, const void *key, size_t key_len, void *out,
                         size_t out_len)
{
    if (!key || !out) return MBPF_MAP_E_INVALID_ARG;
    if (cpu >= m->ncpu) return MBPF_MAP_E_CPU;
    uint32_t t = m->def.type, idx = 0;
    if (t == MBPF_MAP_RINGBUF) return MBPF_MAP_E_NOTSUP;
    if (is_indexed(t)) {
        int r = key_index(m, key, key_len, &idx);
        if (r) return r;
    } else if (key_len != m->key_len) {
        return MBPF_MAP_E_KEY_SIZE;
    }
    if (out_len != m->def.value_size) return MBPF_MAP_E_VALUE_SIZE;
    if (m->nslots == 1) cpu = 0;
    switch (t) {
    case MBPF_MAP_ARRAY:
    case MBPF_MAP_PERCPU_ARRAY: return map_array_lookup(m, cpu, idx, out);
    case MBPF_MAP_COUNTER: return map_counter_lookup(m, idx, out);
    case MBPF_MAP_LPM_TRIE: return map_lpm_lookup(m, cpu, key, out);
    default: return map_hash_lookup(m, cpu, key, out);
    }
}

int mbpf_map_lookup_cpu(mbpf_map_t *m, uint32_t cpu, const void *key, size_t key_len, void *out,
                        size_t out_len)
{
    if (!m) return MBPF_MAP_E_INVALID_ARG;
    return lookup(m, cpu, key, key_len, out, out_len);
}

/* mbpf_map_lookup and mbpf_map_update first try the call whose arguments
 * are all right (a few compares, then straight to the type's operation);
 * every other call, so every error, takes lookup()'s or update()'s checks
 * in their documented order. */
MAP_HOT int lookup_right(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    return m->lookup_fn(m, cpu, key, out);
}

/* Per-CPU maps ask the platform for the CPU: apart, so that the others'
 * path needs no call but the operation's. */
MAP_APART int lookup_this_cpu(mbpf_map_t *m, const void *key, void *out)
{
    uint32_t cpu = map_this_cpu(m);
    if (cpu >= m->ncpu) return MBPF_MAP_E_CPU;
    return lookup_right(m, cpu, key, out);
}

MAP_APART int lookup_checked(mbpf_map_t *m, const void *key, size_t key_len, void *out,
                             size_t out_len)
{
    return lookup(m, m->nslots > 1 ? map_this_cpu(m) : 0, key, key_len, out, out_len);
}

int mbpf_map_lookup(mbpf_map_t *m, const void *key, size_t key_len, void *out, size_t out_len)
{
    if (!m) return MBPF_MAP_E_INVALID_ARG;
    if (!key || !out || key_len != m->key_len || out_len != m->def.value_size)
        return lookup_checked(m, key, key_len, out, out_len);
    if (m->nslots > 1) return lookup_this_cpu(m, key, out);
    return lookup_right(m, 0, key, out);
}

int mbpf_map_lookup_sum(mbpf_map_t *m, const void *key, size_t key_len, uint64_t *out)
{
    if (!m || !key || !out) return MBPF_MAP_E_INVALID_ARG;
    uint32_t idx = 0;
    if (m->def.type == MBPF_MAP_RINGBUF) return MBPF_MAP_E_NOTSUP;
    if (is_indexed(m->def.type)) {
        int r = key_index(m, key, key_len, &idx);
        if (r) return r;
    } else if (key_len != m->key_len) {
        return MBPF_MAP_E_KEY_SIZE;
    }
    return map_lookup_sum(m, key, out);
}

static inline int update(mbpf_map_t *m, uint32_t cpu, const void *key, size_t key_len,
                         const void *value, size_t value_len, uint32_t flags)
{
    if (!key || !value) return MBPF_MAP_E_INVALID_ARG;
    if (cpu >= m->ncpu) return MBPF_MAP_E_CPU;
    uint32_t t = m->def.type, idx = 0;
    if (t == MBPF_MAP_RINGBUF) return MBPF_MAP_E_NOTSUP;
    if (is_indexed(t)) {
        int r = key_index(m, key, key_len, &idx);
        if (r) return r;
    } else if (key_len != m->key_len) {
        return MBPF_MAP_E_KEY_SIZE;
    }
    if (value_len != m->def.value_size) return MBPF_MAP_E_VALUE_SIZE;
    if (flags > MBPF_MAP_EXIST) return MBPF_MAP_E_FLAGS;
    if (m->nslots == 1) cpu = 0;
    switch (t) {
    case MBPF_MAP_ARRAY:
    case MBPF_MAP_PERCPU_ARRAY: return map_array_update(m, cpu, idx, value, flags);
    case MBPF_MAP_COUNTER: return map_counter_update(m, idx, value, flags);
    case MBPF_MAP_LPM_TRIE: return map_lpm_update(m, cpu, key, value, flags);
    default: return map_hash_update(m, cpu, key, value, flags);
    }
}

int mbpf_map_update_cpu(mbpf_map_t *m, uint32_t cpu, const void *key, size_t key_len,
                        const void *value, size_t value_len, uint32_t flags)
{
    if (!m) return MBPF_MAP_E_INVALID_ARG;
    return update(m, cpu, key, key_len, value, value_len, flags);
}

MAP_HOT int update_right(mbpf_map_t *m, uint32_t cpu, const void *key, const void *value,
                         uint32_t flags)
{
    return m->update_fn(m, cpu, key, value, flags);
}

MAP_APART int update_this_cpu(mbpf_map_t *m, const void *key, const void *value, uint32_t flags)
{
    uint32_t cpu = map_this_cpu(m);
    if (cpu >= m->ncpu) return MBPF_MAP_E_CPU;
    return update_right(m, cpu, key, value, flags);
}

MAP_APART int update_checked(mbpf_map_t *m, const void *key, size_t key_len, const void *value,
                             size_t value_len, uint32_t flags)
{
    return update(m, m->nslots > 1 ? map_this_cpu(m) : 0, key, key_len, value, value_len, flags);
}

int mbpf_map_update(mbpf_map_t *m, const void *key, size_t key_len, const void *value,
                    size_t value_len, uint32_t flags)
{
    if (!m) return MBPF_MAP_E_INVALID_ARG;
    if (!key || !value || key_len != m->key_len || value_len != m->def.value_size ||
        flags > MBPF_MAP_EXIST)
        return update_checked(m, key, key_len, value, value_len, flags);
    if (m->nslots > 1) return update_this_cpu(m, key, value, flags);
    return update_right(m, 0, key, value, flags);
}

int mbpf_map_delete(mbpf_map_t *m, const void *key, size_t key_len)
{
    if (!m || !key) return MBPF_MAP_E_INVALID_ARG;
    uint32_t t = m->def.type;
    if (!is_hashed(t)) return MBPF_MAP_E_NOTSUP;
    if (key_len != m->key_len) return MBPF_MAP_E_KEY_SIZE;
    if (t == MBPF_MAP_LPM_TRIE) return map_lpm_delete(m, key);
    return map_hash_delete(m, key);
}

int mbpf_map_next_key(mbpf_map_t *m, const void *prev, size_t prev_len, void *out, size_t out_len)
{
    if (!m || !out) return MBPF_MAP_E_INVALID_ARG;
    uint32_t t = m->def.type;
    if (t == MBPF_MAP_RINGBUF) return MBPF_MAP_E_NOTSUP;
    if ((prev && prev_len != m->key_len) || out_len != m->key_len) return MBPF_MAP_E_KEY_SIZE;
    if (is_indexed(t)) {
        uint32_t next = 0;
        if (prev) {
            uint32_t idx = le32(prev);
            if (idx >= m->def.max_entries - 1) return MBPF_MAP_E_NOENT;
            next = idx + 1;
        }
        put_le32(out, next);
        return MBPF_MAP_OK;
    }
    if (t == MBPF_MAP_LPM_TRIE) return map_lpm_next_key(m, prev, out);
    return map_hash_next_key(m, prev, out);
}
