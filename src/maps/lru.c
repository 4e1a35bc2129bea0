/*
 * Recency order of LRU hash maps and the eviction rule.
 *
 * Entries sit on a doubly-linked list ordered by their last update (insert
 * or overwrite puts an entry at the head). A lookup cannot reorder the list
 * without a lock, so it only sets the entry's "referenced" mark. When an
 * insert finds the map full, the victim is chosen from the tail: a marked
 * entry has its mark cleared and moves to the head (a second chance); the
 * first unmarked entry is evicted. Single-threaded, this order is exact and
 * reproducible (the model test replays it); under concurrency a lookup that
 * races with an eviction may or may not save its entry.
 *
 * All functions but map_lru_mark run with the map lock held; the list links
 * are atomic words only so that lock-free readers of neighbouring fields
 * never race with them.
 */
#include "map_internal.h"

void map_lru_push_head(mbpf_map_t *m, uint32_t n)
{
    struct mbpf_map_shared *sh = m->sh;
    map_word_t *nd = node_at(m, n);
    st(&nd[NODE_LRU_PREV], MAP_NIL);
    st(&nd[NODE_LRU_NEXT], sh->lru_head);
    if (sh->lru_head != MAP_NIL)
        st(&node_at(m, sh->lru_head)[NODE_LRU_PREV], n);
    else
        sh->lru_tail = n;
    sh->lru_head = n;
}

void map_lru_unlink(mbpf_map_t *m, uint32_t n)
{
    struct mbpf_map_shared *sh = m->sh;
    map_word_t *nd = node_at(m, n);
    uint32_t p = ld(&nd[NODE_LRU_PREV]), x = ld(&nd[NODE_LRU_NEXT]);
    if (p != MAP_NIL)
        st(&node_at(m, p)[NODE_LRU_NEXT], x);
    else
        sh->lru_head = x;
    if (x != MAP_NIL)
        st(&node_at(m, x)[NODE_LRU_PREV], p);
    else
        sh->lru_tail = p;
    st(&nd[NODE_LRU_PREV], MAP_NIL);
    st(&nd[NODE_LRU_NEXT], MAP_NIL);
}

/* Moves n to the head in one pass: n is not the head, so it has a
 * previous entry, and its own links are overwritten rather than cleared. */
void map_lru_touch(mbpf_map_t *m, uint32_t n)
{
    struct mbpf_map_shared *sh = m->sh;
    map_word_t *nd = node_at(m, n);
    st(&nd[NODE_REF], 0);
    uint32_t h = sh->lru_head;
    if (h == n) return;
    uint32_t p = ld(&nd[NODE_LRU_PREV]), x = ld(&nd[NODE_LRU_NEXT]);
    st(&node_at(m, p)[NODE_LRU_NEXT], x);
    if (x != MAP_NIL)
        st(&node_at(m, x)[NODE_LRU_PREV], p);
    else
        sh->lru_tail = p;
    st(&nd[NODE_LRU_PREV], MAP_NIL);
    st(&nd[NODE_LRU_NEXT], h);
    st(&node_at(m, h)[NODE_LRU_PREV], n);
    sh->lru_head = n;
}

void map_lru_mark(mbpf_map_t *m, uint32_t n)
{
    map_word_t *ref = &node_at(m, n)[NODE_REF];
    if (!ld(ref)) st(ref, 1); /* skip the store (and its cache miss) when set */
}

uint32_t map_lru_victim(mbpf_map_t *m)
{
    /* One pass clears every mark, so 2 * count + 1 steps always end it even
     * if readers keep marking; past that the tail goes regardless. */
    uint32_t limit = 2 * m->def.max_entries + 1;
    for (uint32_t i = 0; i < limit; i++) {
        uint32_t t = m->sh->lru_tail;
        map_word_t *ref = &node_at(m, t)[NODE_REF];
        if (!ld(ref)) return t;
        st(ref, 0);
        map_lru_unlink(m, t);
        map_lru_push_head(m, t);
    }
    return m->sh->lru_tail;
}
