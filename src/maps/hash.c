/*
 * The chained hash table behind hash, per-CPU hash, LRU hash and LPM maps.
 *
 * Buckets (a power of two >= max_entries) hold a chain head and a sequence
 * word; nodes come from a fixed pool of max_entries, linked into a free
 * list at init, so inserting never allocates and the table can never hold
 * more than max_entries keys. Node indices, not pointers, link the chains,
 * so a reader that races with a writer can only ever follow an index that
 * is bounds-checked against the pool.
 *
 * Readers take no lock (see map_internal.h): they walk a chain and read the
 * value slot, then re-check the bucket's sequence, which moves only when a
 * node leaves that chain. New nodes are fully written before being
 * published at the head of their chain with a release store, so a reader
 * either sees the whole node or not at all.
 *
 * Iteration order is by bucket index, then by key bytes (memcmp) within a
 * bucket. Because that order is defined for any key, next_key works from a
 * key that has since been deleted, and returns every key that stays in the
 * map during an iteration exactly once.
 */
#include "map_internal.h"

static map_bucket_t *bucket_of(const mbpf_map_t *m, uint32_t h)
{
    return (map_bucket_t *)m->buckets + (h & m->bucket_mask);
}

static map_lookup_fn lookup_for(const mbpf_map_t *m);
static map_update_fn update_for(const mbpf_map_t *m);

void map_hash_init(mbpf_map_t *m)
{
    uint32_t n = m->def.max_entries;
    for (uint32_t i = 0; i <= m->bucket_mask; i++) {
        map_bucket_t *b = (map_bucket_t *)m->buckets + i;
        atomic_init(&b->seq, 0);
        atomic_init(&b->head, MAP_NIL);
    }
    for (uint32_t i = 0; i < n; i++) {
        map_word_t *nd = node_at(m, i);
        atomic_init(&nd[NODE_NEXT], i + 1 < n ? i + 1 : MAP_NIL);
        atomic_init(&nd[NODE_LRU_PREV], MAP_NIL);
        atomic_init(&nd[NODE_LRU_NEXT], MAP_NIL);
    }
    m->sh->free_head = 0;
    m->lookup_fn = lookup_for(m);
    m->update_fn = update_for(m);
}

/* The hot paths below take the key length kl and value size vs as
 * arguments and are instantiated with constants for the common shapes (an
 * 8-byte value under a 1- or 4-byte key, or any small key), so that
 * packing, hashing, comparing, node and slot addressing and the value copy
 * all fold to straight-line code; one instance with the map's own sizes
 * serves every other shape. */

/* Keys of at most this many bytes (an address, a port, a byte: most keys)
 * are compared as their node's words; longer ones by hash, then bytes. */
#define SMALL_KEY 8u

MAP_HOT void small_words(const uint8_t *p, uint32_t len, uint32_t w[2])
{
    w[1] = 0;
    if (len < 4) {
        w[0] = tail_pack(p, len);
        return;
    }
    memcpy(&w[0], p, 4);
    if (len == 8)
        memcpy(&w[1], p + 4, 4);
    else if (len > 4)
        w[1] = tail_pack(p + 4, len - 4);
}

MAP_HOT void key_of(map_hkey_t *k, const mbpf_map_t *m, const void *key, uint32_t kl)
{
    k->bytes = key;
    if (kl <= SMALL_KEY) {
        small_words(key, kl, k->w);
        k->h = map_hash_small(k->w[0], k->w[1], kl, m->seed);
    } else {
        k->w[0] = k->w[1] = 0;
        k->h = map_hash(key, kl, m->seed);
    }
}

void map_hash_key(const mbpf_map_t *m, const void *key, map_hkey_t *k)
{
    key_of(k, m, key, m->key_len);
}

MAP_HOT map_word_t *node_of(const mbpf_map_t *m, uint32_t n, uint32_t kl)
{
    return (map_word_t *)m->nodes + (size_t)n * (NODE_KEY + (kl + 3) / 4);
}

/* A small key's words are the key, so they alone decide; a node that a
 * writer reuses during the compare is caught by the bucket sequence. */
MAP_HOT bool node_has(const map_word_t *nd, const map_hkey_t *k, uint32_t kl)
{
    if (kl <= 4) return ld(&nd[NODE_KEY]) == k->w[0];
    if (kl <= SMALL_KEY) return ld(&nd[NODE_KEY]) == k->w[0] && ld(&nd[NODE_KEY + 1]) == k->w[1];
    return ld(&nd[NODE_HASH]) == k->h && words_equal(nd + NODE_KEY, k->bytes, kl);
}

/* Walks b's chain for k. Without the map lock the chain may change under
 * the walk, so every index is bounds-checked and the walk is bounded; the
 * caller validates the bucket sequence afterwards. */
MAP_HOT uint32_t walk(const mbpf_map_t *m, map_bucket_t *b, const map_hkey_t *k, uint32_t kl)
{
    uint32_t max = m->def.max_entries;
    uint32_t n = ld_acq(&b->head);
    for (uint32_t steps = 0; n < max && steps < max; steps++) {
        map_word_t *nd = node_of(m, n, kl);
        if (node_has(nd, k, kl)) return n;
        n = ld_acq(&nd[NODE_NEXT]);
    }
    return MAP_NIL;
}

/* Reads k's value into out, retrying while the bucket changes. The caller
 * keeps k's bytes intact until this returns: a retry walks again after out
 * has been written. Apart, with the map's own sizes: find_read's first
 * try below needs neither loop counters nor the registers to keep them. */
MAP_APART int find_read_loop(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, void *out,
                             uint32_t *node)
{
    uint32_t kl = m->key_len, vs = m->def.value_size;
    map_bucket_t *b = bucket_of(m, k->h);
    for (uint32_t i = 0; i < MBPF_MAP_SPIN_LIMIT; i++) {
        uint32_t s = ld_acq(&b->seq);
        if (s & 1) {
            cpu_relax();
            continue;
        }
        uint32_t n = walk(m, b, k, kl);
        int r = MBPF_MAP_E_NOENT;
        if (n != MAP_NIL) {
            r = slot_read(slot_vs(m, cpu, n, vs), out, vs);
            if (r) return r;
        }
        atomic_thread_fence(memory_order_acquire);
        if (ld(&b->seq) == s) {
            *node = n;
            return r;
        }
    }
    return MBPF_MAP_E_BUSY;
}

/* Reads k's value into out. An 8-byte value is tried once inline, held in
 * registers until both the slot's and the bucket's sequence confirm it,
 * and written to out only then; anything else goes to the loop. */
MAP_HOT int find_read(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, void *out, uint32_t *node,
                      uint32_t kl, uint32_t vs)
{
    if (vs != 8) return find_read_loop(m, cpu, k, out, node); /* kl, vs: the map's own */
    map_bucket_t *b = bucket_of(m, k->h);
    uint32_t s = ld_acq(&b->seq);
    if (s & 1) return find_read_loop(m, cpu, k, out, node);
    uint32_t n = walk(m, b, k, kl);
    uint32_t v[2] = {0, 0};
    bool torn = false;
    if (n != MAP_NIL) {
        map_word_t *sl = slot_vs(m, cpu, n, 8);
        uint32_t q = ld_acq(sl);
        v[0] = ld(&sl[1]);
        v[1] = ld(&sl[2]);
        atomic_thread_fence(memory_order_acquire);
        torn = (q & 1) || ld(sl) != q;
    } else {
        atomic_thread_fence(memory_order_acquire);
    }
    if (torn || ld(&b->seq) != s) return find_read_loop(m, cpu, k, out, node);
    *node = n;
    if (n == MAP_NIL) return MBPF_MAP_E_NOENT;
    memcpy(out, v, 8);
    return MBPF_MAP_OK;
}

int map_hash_find(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, void *out, uint32_t *node)
{
    if (m->def.value_size == 8 && m->key_len == 8) /* IPv4 LPM */
        return find_read(m, cpu, k, out, node, 8, 8);
    return find_read_loop(m, cpu, k, out, node);
}

MAP_HOT int lookup_as(mbpf_map_t *m, uint32_t cpu, const void *key, void *out, uint32_t kl,
                      uint32_t vs)
{
    map_hkey_t k;
    uint32_t n;
    key_of(&k, m, key, kl);
    int r = find_read(m, cpu, &k, out, &n, kl, vs);
    if (r == MBPF_MAP_OK && m->def.type == MBPF_MAP_LRU_HASH) map_lru_mark(m, n);
    return r;
}

/* Every shape but the common ones below. A long key is compared
 * byte-wise on every walk, and a walk can follow the value's copy into
 * out: if out overlaps the key, search with a copy. (A small key is packed
 * into words before anything is read.) */
static int lookup_any(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    uint32_t kl = m->key_len, vs = m->def.value_size;
    uintptr_t k0 = (uintptr_t)key, o0 = (uintptr_t)out;
    uint8_t copy[MBPF_MAP_KEY_MAX];
    if (kl > SMALL_KEY && o0 < k0 + kl && k0 < o0 + vs) {
        memcpy(copy, key, kl);
        key = copy;
    }
    return lookup_as(m, cpu, key, out, kl, vs);
}

#if !MBPF_MAPS_COMPACT
/* One function per common shape, so each keeps the few registers its own
 * path needs; map_hash_init picks one for the map's lookup_fn. */
static int lookup_k4_v8(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    return lookup_as(m, cpu, key, out, 4, 8);
}

static int lookup_k1_v8(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    return lookup_as(m, cpu, key, out, 1, 8);
}

static int lookup_small_v8(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    return lookup_as(m, cpu, key, out, m->key_len, 8);
}

/* A plain hash map (neither LRU nor per-CPU, so every checked caller
 * passes cpu 0) with a key of at most 4 bytes and an 8-byte value: the
 * most common map, whose lookup is tried once as a leaf without a frame,
 * with find_read's first try's steps and walk's bounds. The key is its
 * word (see node_has), so a retry, which starts over in the general
 * instance, needs neither the key's bytes nor the registers to keep
 * them. */
MAP_APART int lookup_plain_retry(mbpf_map_t *m, uint32_t w, void *out)
{
    uint8_t key[4];
    memcpy(key, &w, 4); /* tail_pack's layout: the key's bytes */
    return lookup_small_v8(m, 0, key, out);
}

MAP_HOT int lookup_plain(mbpf_map_t *m, const void *key, void *out, uint32_t kl)
{
    map_hkey_t k;
    key_of(&k, m, key, kl);
    map_bucket_t *b = bucket_of(m, k.h);
    uint32_t s = ld_acq(&b->seq);
    if (s & 1) return lookup_plain_retry(m, k.w[0], out);
    uint32_t max = m->def.max_entries, n = ld_acq(&b->head);
    for (uint32_t left = max; n < max; left--) {
        map_word_t *nd = node_of(m, n, kl);
        if (ld(&nd[NODE_KEY]) == k.w[0]) {
            map_word_t *sl = slot_vs(m, 0, n, 8);
            uint32_t q = ld_acq(sl);
            uint32_t v[2] = {ld(&sl[1]), ld(&sl[2])};
            atomic_thread_fence(memory_order_acquire);
            if ((q & 1) || ld(sl) != q || ld(&b->seq) != s) break;
            memcpy(out, &v[0], 4);
            memcpy((uint8_t *)out + 4, &v[1], 4);
            return MBPF_MAP_OK;
        }
        if (left == 1) break;
        n = ld_acq(&nd[NODE_NEXT]);
    }
    atomic_thread_fence(memory_order_acquire);
    if (n >= max && ld(&b->seq) == s) return MBPF_MAP_E_NOENT;
    return lookup_plain_retry(m, k.w[0], out);
}

static int lookup_plain_k4_v8(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    (void)cpu;
    return lookup_plain(m, key, out, 4);
}

static int lookup_plain_k1_v8(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    (void)cpu;
    return lookup_plain(m, key, out, 1);
}

static bool is_plain(const mbpf_map_t *m)
{
    return m->def.type == MBPF_MAP_HASH && m->nslots == 1;
}

/* The shapes with instances of their own; every other map uses the
 * general lookup_any / update_any. */
enum shape {
    SHAPE_OTHER,
    SHAPE_K4_V8,
    SHAPE_K1_V8,
    SHAPE_SMALL_V8,
    SHAPE_PLAIN_K4_V8,
    SHAPE_PLAIN_K1_V8
};

static enum shape shape_of(const mbpf_map_t *m)
{
    uint32_t kl = m->key_len;
    if (kl > SMALL_KEY || m->def.value_size != 8) return SHAPE_OTHER;
    if (kl == 4) return is_plain(m) ? SHAPE_PLAIN_K4_V8 : SHAPE_K4_V8;
    if (kl == 1) return is_plain(m) ? SHAPE_PLAIN_K1_V8 : SHAPE_K1_V8;
    return SHAPE_SMALL_V8;
}
#endif

static map_lookup_fn lookup_for(const mbpf_map_t *m)
{
#if !MBPF_MAPS_COMPACT
    switch (shape_of(m)) {
    case SHAPE_K4_V8: return lookup_k4_v8;
    case SHAPE_K1_V8: return lookup_k1_v8;
    case SHAPE_SMALL_V8: return lookup_small_v8;
    case SHAPE_PLAIN_K4_V8: return lookup_plain_k4_v8;
    case SHAPE_PLAIN_K1_V8: return lookup_plain_k1_v8;
    case SHAPE_OTHER: break;
    }
#else
    (void)m;
#endif
    return lookup_any;
}

int map_hash_lookup(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    return m->lookup_fn(m, cpu, key, out);
}

/* Overwrites an existing key's slot without the map lock: find the node,
 * lock its slot, and confirm no node left the bucket meanwhile (a delete
 * flushes slot writers after unlinking, so either it sees our write
 * finished or we see its sequence change). Apart, as find_read_loop. */
MAP_APART int write_existing_loop(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, const void *val)
{
    uint32_t kl = m->key_len, vs = m->def.value_size;
    map_bucket_t *b = bucket_of(m, k->h);
    for (uint32_t i = 0; i < MBPF_MAP_SPIN_LIMIT; i++) {
        uint32_t s = ld_acq(&b->seq);
        if (s & 1) {
            cpu_relax();
            continue;
        }
        uint32_t n = walk(m, b, k, kl);
        atomic_thread_fence(memory_order_acquire);
        if (ld(&b->seq) != s) continue;
        if (n == MAP_NIL) return MBPF_MAP_E_NOENT;
        map_word_t *sl = slot_vs(m, cpu, n, vs);
        uint32_t q;
        int r = slot_lock(sl, &q, true);
        if (r) return r;
        if (ld_acq(&b->seq) != s) {
            slot_unlock(sl, q, false);
            continue;
        }
        words_store(sl + 1, val, vs);
        slot_unlock(sl, q, true);
        return MBPF_MAP_OK;
    }
    return MBPF_MAP_E_BUSY;
}

/* As find_read: an 8-byte value's first try inline, every retry (a
 * sequence that moved, a slot held by another writer) in the loop. */
MAP_HOT int write_existing(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, const void *val,
                           uint32_t kl, uint32_t vs)
{
    if (vs != 8) return write_existing_loop(m, cpu, k, val);
    map_bucket_t *b = bucket_of(m, k->h);
    uint32_t s = ld_acq(&b->seq);
    if (s & 1) return write_existing_loop(m, cpu, k, val);
    uint32_t n = walk(m, b, k, kl);
    atomic_thread_fence(memory_order_acquire);
    if (ld(&b->seq) != s) return write_existing_loop(m, cpu, k, val);
    if (n == MAP_NIL) return MBPF_MAP_E_NOENT;
    map_word_t *sl = slot_vs(m, cpu, n, 8);
    uint32_t q = ld(sl);
    if ((q & 1) || !atomic_compare_exchange_strong_explicit(sl, &q, q + 1, memory_order_acq_rel,
                                                            memory_order_relaxed))
        return write_existing_loop(m, cpu, k, val);
    atomic_thread_fence(memory_order_release);
    if (ld_acq(&b->seq) != s) {
        slot_unlock(sl, q, false);
        return write_existing_loop(m, cpu, k, val);
    }
    uint32_t v[2];
    memcpy(v, val, 8);
    st(&sl[1], v[0]);
    st(&sl[2], v[1]);
    slot_unlock(sl, q, true);
    return MBPF_MAP_OK;
}

void map_hash_remove_node(mbpf_map_t *m, uint32_t n)
{
    map_word_t *nd = node_at(m, n);
    map_bucket_t *b = bucket_of(m, ld(&nd[NODE_HASH]));
    uint32_t s = ld(&b->seq);
    st(&b->seq, s + 1);
    atomic_thread_fence(memory_order_release);

    map_word_t *link = &b->head;
    for (uint32_t x = ld(link); x != n && x < m->def.max_entries; x = ld(link))
        link = &node_at(m, x)[NODE_NEXT];
    st(link, ld(&nd[NODE_NEXT]));

    /* Wait out slot writers that found the node before it was unlinked. */
    for (uint32_t c = 0; c < m->nslots; c++) {
        map_word_t *sl = slot_at(m, c, n);
        uint32_t q;
        slot_lock(sl, &q, false);
        slot_unlock(sl, q, false);
    }
    st_rel(&b->seq, s + 2);

    if (m->def.type == MBPF_MAP_LRU_HASH) map_lru_unlink(m, n);
    st(&nd[NODE_NEXT], m->sh->free_head);
    m->sh->free_head = n;
    atomic_fetch_sub_explicit(&m->sh->count, 1, memory_order_relaxed);
}

/* Overwrites node n's slot for cpu with the map lock held. */
MAP_HOT int overwrite_locked(mbpf_map_t *m, uint32_t cpu, uint32_t n, const void *val, uint32_t vs)
{
    if (m->def.type == MBPF_MAP_LRU_HASH) {
        slot_write_locked(slot_vs(m, cpu, n, vs), val, vs);
        map_lru_touch(m, n);
        return MBPF_MAP_OK;
    }
    return slot_write(slot_vs(m, cpu, n, vs), val, vs);
}

static int update_locked(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, const void *val,
                         uint32_t flags, bool *created)
{
    map_bucket_t *b = bucket_of(m, k->h);
    uint32_t vs = m->def.value_size;
    uint32_t n = walk(m, b, k, m->key_len);
    *created = false;
    if (n != MAP_NIL) {
        if (flags == MBPF_MAP_NOEXIST) return MBPF_MAP_E_EXIST;
        return overwrite_locked(m, cpu, n, val, vs);
    }
    if (flags == MBPF_MAP_EXIST) return MBPF_MAP_E_NOENT;
    if (ld(&m->sh->count) >= m->def.max_entries) {
        if (m->def.type != MBPF_MAP_LRU_HASH) return MBPF_MAP_E_FULL;
        map_hash_remove_node(m, map_lru_victim(m));
    }

    n = m->sh->free_head;
    map_word_t *nd = node_at(m, n);
    m->sh->free_head = ld(&nd[NODE_NEXT]);
    st(&nd[NODE_HASH], k->h);
    st(&nd[NODE_REF], 0);
    if (m->key_len <= SMALL_KEY) {
        st(&nd[NODE_KEY], k->w[0]);
        if (m->key_len > 4) st(&nd[NODE_KEY + 1], k->w[1]);
    } else {
        words_store(nd + NODE_KEY, k->bytes, m->key_len);
    }
    for (uint32_t c = 0; c < m->nslots; c++) {
        map_word_t *sl = slot_at(m, c, n);
        uint32_t q;
        slot_lock(sl, &q, false);
        words_store(sl + 1, c == cpu ? val : NULL, vs);
        slot_unlock(sl, q, true);
    }
    st(&nd[NODE_NEXT], ld(&b->head));
    st_rel(&b->head, n);
    atomic_fetch_add_explicit(&m->sh->count, 1, memory_order_relaxed);
    if (m->def.type == MBPF_MAP_LRU_HASH) map_lru_push_head(m, n);
    *created = true;
    return MBPF_MAP_OK;
}

int map_hash_update_locked(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, const void *val,
                           uint32_t flags, bool *created)
{
    return update_locked(m, cpu, k, val, flags, created);
}

/* The general update: under the map lock. */
MAP_APART int update_general(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, const void *val,
                             uint32_t flags)
{
    int r = map_lock(m);
    if (r) return r;
    bool created;
    r = update_locked(m, cpu, k, val, flags, &created);
    map_unlock(m);
    return r;
}

/* An LRU update: an overwrite under the map lock here, an insert through
 * the general path. */
MAP_HOT int update_lru(mbpf_map_t *m, uint32_t cpu, const map_hkey_t *k, const void *val,
                       uint32_t flags, uint32_t kl, uint32_t vs)
{
    int r = map_lock(m);
    if (r) return r;
    uint32_t n = walk(m, bucket_of(m, k->h), k, kl);
    if (n == MAP_NIL) {
        map_unlock(m);
        return update_general(m, cpu, k, val, flags);
    }
    slot_write_locked(slot_vs(m, cpu, n, vs), val, vs);
    map_lru_touch(m, n);
    map_unlock(m);
    return MBPF_MAP_OK;
}

MAP_HOT int update_as(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags,
                      uint32_t kl, uint32_t vs)
{
    map_hkey_t k;
    key_of(&k, m, key, kl);
    if (flags == MBPF_MAP_NOEXIST) return update_general(m, cpu, &k, val, flags);
    /* Overwrites need no map lock, except in LRU maps, whose recency list
     * every update reorders. */
    if (m->def.type == MBPF_MAP_LRU_HASH) return update_lru(m, cpu, &k, val, flags, kl, vs);
    int r = write_existing(m, cpu, &k, val, kl, vs);
    if (r != MBPF_MAP_E_NOENT || flags == MBPF_MAP_EXIST) return r;
    return update_general(m, cpu, &k, val, flags);
}

#if !MBPF_MAPS_COMPACT
static int update_k4_v8(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                        uint32_t flags)
{
    return update_as(m, cpu, key, val, flags, 4, 8);
}

static int update_k1_v8(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                        uint32_t flags)
{
    return update_as(m, cpu, key, val, flags, 1, 8);
}

static int update_small_v8(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                           uint32_t flags)
{
    return update_as(m, cpu, key, val, flags, m->key_len, 8);
}

/* As lookup_plain: an overwrite's first try as a leaf, with
 * write_existing's steps but for the early bucket check before locking
 * the slot (the one after locking is what makes the write safe); a
 * create, a retry and a miss start over in the general instance. */
MAP_APART int update_plain_retry(mbpf_map_t *m, uint32_t w, const void *val, uint32_t flags)
{
    uint8_t key[4];
    memcpy(key, &w, 4);
    return update_small_v8(m, 0, key, val, flags);
}

MAP_HOT int update_plain(mbpf_map_t *m, const void *key, const void *val, uint32_t flags,
                         uint32_t kl)
{
    map_hkey_t k;
    key_of(&k, m, key, kl);
    map_bucket_t *b = bucket_of(m, k.h);
    uint32_t s = ld_acq(&b->seq);
    if ((s & 1) || flags == MBPF_MAP_NOEXIST) return update_plain_retry(m, k.w[0], val, flags);
    uint32_t max = m->def.max_entries, n = ld_acq(&b->head);
    for (uint32_t left = max; n < max; left--) {
        map_word_t *nd = node_of(m, n, kl);
        if (ld(&nd[NODE_KEY]) == k.w[0]) {
            map_word_t *sl = slot_vs(m, 0, n, 8);
            uint32_t q = ld(sl);
            if ((q & 1) || !atomic_compare_exchange_strong_explicit(
                               sl, &q, q + 1, memory_order_acq_rel, memory_order_relaxed))
                break;
            atomic_thread_fence(memory_order_release);
            if (ld_acq(&b->seq) != s) {
                slot_unlock(sl, q, false);
                break;
            }
            uint32_t v[2];
            memcpy(v, val, 8);
            st(&sl[1], v[0]);
            st(&sl[2], v[1]);
            slot_unlock(sl, q, true);
            return MBPF_MAP_OK;
        }
        if (left == 1) break;
        n = ld_acq(&nd[NODE_NEXT]);
    }
    return update_plain_retry(m, k.w[0], val, flags);
}

static int update_plain_k4_v8(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                              uint32_t flags)
{
    (void)cpu;
    return update_plain(m, key, val, flags, 4);
}

static int update_plain_k1_v8(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val,
                              uint32_t flags)
{
    (void)cpu;
    return update_plain(m, key, val, flags, 1);
}

#endif

static int update_any(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags)
{
    return update_as(m, cpu, key, val, flags, m->key_len, m->def.value_size);
}

static map_update_fn update_for(const mbpf_map_t *m)
{
#if !MBPF_MAPS_COMPACT
    switch (shape_of(m)) {
    case SHAPE_K4_V8: return update_k4_v8;
    case SHAPE_K1_V8: return update_k1_v8;
    case SHAPE_SMALL_V8: return update_small_v8;
    case SHAPE_PLAIN_K4_V8: return update_plain_k4_v8;
    case SHAPE_PLAIN_K1_V8: return update_plain_k1_v8;
    case SHAPE_OTHER: break;
    }
#else
    (void)m;
#endif
    return update_any;
}

int map_hash_update(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags)
{
    return m->update_fn(m, cpu, key, val, flags);
}

static int delete_locked(mbpf_map_t *m, const map_hkey_t *k)
{
    uint32_t n = walk(m, bucket_of(m, k->h), k, m->key_len);
    if (n == MAP_NIL) return MBPF_MAP_E_NOENT;
    map_hash_remove_node(m, n);
    return MBPF_MAP_OK;
}

int map_hash_delete_locked(mbpf_map_t *m, const map_hkey_t *k)
{
    return delete_locked(m, k);
}

int map_hash_delete(mbpf_map_t *m, const void *key)
{
    map_hkey_t k;
    key_of(&k, m, key, m->key_len);
    int r = map_lock(m);
    if (r) return r;
    r = delete_locked(m, &k);
    map_unlock(m);
    return r;
}

/* Finds in bucket b the smallest key above lower (or the smallest key when
 * lower is NULL), copying it to out. Returns 1 if found, 0 if not, or
 * MBPF_MAP_E_BUSY. */
static int bucket_min_above(mbpf_map_t *m, map_bucket_t *b, const uint8_t *lower, uint8_t *out)
{
    uint32_t kl = m->key_len, max = m->def.max_entries;
    uint8_t tmp[MBPF_MAP_KEY_MAX];
    for (uint32_t i = 0; i < MBPF_MAP_SPIN_LIMIT; i++) {
        uint32_t s = ld_acq(&b->seq);
        if (s & 1) {
            cpu_relax();
            continue;
        }
        int found = 0;
        uint32_t n = ld_acq(&b->head);
        for (uint32_t steps = 0; n < max && steps < max; steps++) {
            map_word_t *nd = node_at(m, n);
            words_load(nd + NODE_KEY, tmp, kl);
            if ((!lower || memcmp(tmp, lower, kl) > 0) && (!found || memcmp(tmp, out, kl) < 0)) {
                memcpy(out, tmp, kl);
                found = 1;
            }
            n = ld_acq(&nd[NODE_NEXT]);
        }
        atomic_thread_fence(memory_order_acquire);
        if (ld(&b->seq) == s) return found;
    }
    return MBPF_MAP_E_BUSY;
}

int map_hash_next_key(mbpf_map_t *m, const void *prev, void *out)
{
    uint8_t lower[MBPF_MAP_KEY_MAX]; /* prev may alias out */
    uint32_t first = 0;
    if (prev) {
        memcpy(lower, prev, m->key_len);
        first = map_hash(lower, m->key_len, m->seed) & m->bucket_mask;
    }
    for (uint32_t i = first; i <= m->bucket_mask; i++) {
        map_bucket_t *b = (map_bucket_t *)m->buckets + i;
        int r = bucket_min_above(m, b, prev && i == first ? lower : NULL, out);
        if (r < 0) return r;
        if (r) return MBPF_MAP_OK;
    }
    return MBPF_MAP_E_NOENT;
}
