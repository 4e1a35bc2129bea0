/*
 * The reference model behind the model test and the fuzzer (map_model.h).
 * It is written for obviousness, not speed: linear scans over a handful of
 * entries, the LRU order as an array from least to most recently updated,
 * the ring buffer as a queue plus the two byte positions.
 */
#include "map_model.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps_test_util.h"

#define KMAX 16
#define VMAX 16
#define EMAX 64
#define CMAX 3
#define QMAX 64

typedef struct rd {
    const uint8_t *p;
    size_t n, i;
} rd_t;

static uint8_t u8(rd_t *r)
{
    return r->i < r->n ? r->p[r->i++] : 0;
}

typedef struct ment {
    uint8_t key[KMAX];
    uint8_t val[CMAX][VMAX];
    int ref;
} ment_t;

typedef struct rec {
    uint32_t len, pad;
    uint8_t seed;
} rec_t;

typedef struct model {
    uint32_t type, ks, vs, max, ncpu, nslots, lpm_bits;
    ment_t e[EMAX]; /* hash types; LRU: e[0] least recently updated */
    uint32_t n;
    uint8_t arr[CMAX][EMAX][VMAX];
    uint64_t ctr[EMAX];
    uint32_t cap, maxrec, prod, cons;
    uint64_t written, dropped;
    rec_t q[QMAX];
    uint32_t qh, qn;
    /* iteration bookkeeping */
    int track;
    uint8_t removed[4 * EMAX][KMAX];
    uint32_t nremoved;
} model_t;

typedef struct ctx {
    test_map_t t;
    model_t *M;
    model_stats_t *st;
    char *why;
    size_t why_len;
    const char *op;
} ctx_t;

#define FAIL(c, ...)                                                                               \
    do {                                                                                           \
        int o_ = snprintf((c)->why, (c)->why_len,                                                  \
                          "op %llu (%s): ", (unsigned long long)(c)->st->ops, (c)->op);            \
        if (o_ >= 0 && (size_t)o_ < (c)->why_len)                                                  \
            snprintf((c)->why + o_, (c)->why_len - (size_t)o_, __VA_ARGS__);                       \
        return -1;                                                                                 \
    } while (0)

#define RC(c, got, want)                                                                           \
    do {                                                                                           \
        int g_ = (got), w_ = (want);                                                               \
        if (g_ != w_)                                                                              \
            FAIL(c, "got %d (%s), want %d (%s)", g_, mbpf_map_strerror(g_), w_,                    \
                 mbpf_map_strerror(w_));                                                           \
    } while (0)

static const uint32_t sizes[8] = {1, 2, 3, 4, 5, 8, 13, 16};
static const uint32_t entries[8] = {1, 2, 3, 5, 8, 16, 33, 64};

static bool is_hash_type(uint32_t t)
{
    return t == MBPF_MAP_HASH || t == MBPF_MAP_LRU_HASH || t == MBPF_MAP_PERCPU_HASH ||
           t == MBPF_MAP_LPM_TRIE;
}

/* ---- the model ------------------------------------------------------ */

static int m_find(const model_t *M, const uint8_t *key)
{
    for (uint32_t i = 0; i < M->n; i++)
        if (memcmp(M->e[i].key, key, M->ks) == 0) return (int)i;
    return -1;
}

static void m_remove(model_t *M, uint32_t i)
{
    if (M->track && M->nremoved < 4 * EMAX) memcpy(M->removed[M->nremoved++], M->e[i].key, KMAX);
    memmove(&M->e[i], &M->e[i + 1], (M->n - i - 1) * sizeof(ment_t));
    M->n--;
}

static void m_to_head(model_t *M, uint32_t i)
{
    ment_t tmp = M->e[i];
    memmove(&M->e[i], &M->e[i + 1], (M->n - i - 1) * sizeof(ment_t));
    M->e[M->n - 1] = tmp;
}

/* Clears data bits from plen on (as the LPM map normalises keys). */
static void lpm_mask(uint8_t *k, uint32_t ks, uint32_t plen)
{
    for (uint32_t b = plen; b < (ks - 4) * 8; b++) k[4 + b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
}

static bool lpm_match(const uint8_t *stored, const uint8_t *query, uint32_t ks)
{
    uint32_t p = le32_of(stored);
    uint8_t q[KMAX];
    memcpy(q, query, ks);
    lpm_mask(q, ks, p);
    return memcmp(q + 4, stored + 4, ks - 4) == 0;
}

/* ---- generators ----------------------------------------------------- */

static void gen_key(model_t *M, rd_t *r, uint8_t *k)
{
    memset(k, 0, KMAX);
    if (M->type == MBPF_MAP_LPM_TRIE) {
        static const uint8_t pick[5] = {0x00, 0x0A, 0x80, 0xC0, 0xFF};
        key32(k, u8(r) % (M->lpm_bits + 2));
        for (uint32_t i = 4; i < M->ks; i++) {
            uint8_t b = u8(r);
            k[i] = (b & 7) < 5 ? pick[b & 7] : (uint8_t)(b & 0xF8);
        }
        return;
    }
    uint8_t id = (uint8_t)(u8(r) % (2 * M->max + 3));
    for (uint32_t i = 0; i < M->ks; i++) k[i] = (uint8_t)(id * (i + 1) + i * 29);
}

static void gen_val(uint32_t vs, uint8_t seed, uint8_t *v)
{
    for (uint32_t i = 0; i < vs; i++) v[i] = (uint8_t)(seed + i * 13);
}

static uint64_t le_val(const uint8_t *b, uint32_t len)
{
    uint64_t v = 0;
    for (uint32_t i = len; i-- > 0;) v = v << 8 | b[i];
    return v;
}

/* ---- hash types ----------------------------------------------------- */

static int h_update(ctx_t *c, rd_t *r, uint32_t cpu)
{
    model_t *M = c->M;
    uint8_t k[KMAX], v[VMAX];
    gen_key(M, r, k);
    gen_val(M->vs, u8(r), v);
    uint32_t flags = u8(r) % 4;
    c->op = "update";
    int got = mbpf_map_update_cpu(&c->t.m, cpu, k, M->ks, v, M->vs, flags);
    uint32_t slot = M->nslots > 1 ? cpu : 0;
    if (flags > MBPF_MAP_EXIST) {
        RC(c, got, MBPF_MAP_E_FLAGS);
        return 0;
    }
    if (M->type == MBPF_MAP_LPM_TRIE) {
        if (le32_of(k) > M->lpm_bits) {
            RC(c, got, MBPF_MAP_E_PREFIX);
            return 0;
        }
        lpm_mask(k, M->ks, le32_of(k));
    }
    int i = m_find(M, k);
    if (i >= 0) {
        if (flags == MBPF_MAP_NOEXIST) {
            RC(c, got, MBPF_MAP_E_EXIST);
            return 0;
        }
        RC(c, got, 0);
        memcpy(M->e[i].val[slot], v, M->vs);
        if (M->type == MBPF_MAP_LRU_HASH) {
            M->e[i].ref = 0;
            m_to_head(M, (uint32_t)i);
        }
        return 0;
    }
    if (flags == MBPF_MAP_EXIST) {
        RC(c, got, MBPF_MAP_E_NOENT);
        return 0;
    }
    if (M->n == M->max) {
        if (M->type != MBPF_MAP_LRU_HASH) {
            c->st->full++;
            RC(c, got, MBPF_MAP_E_FULL);
            return 0;
        }
        while (M->e[0].ref) {
            M->e[0].ref = 0;
            m_to_head(M, 0);
        }
        m_remove(M, 0);
        c->st->evictions++;
    }
    RC(c, got, 0);
    ment_t *e = &M->e[M->n++];
    memset(e, 0, sizeof *e);
    memcpy(e->key, k, KMAX);
    memcpy(e->val[slot], v, M->vs);
    return 0;
}

/* Index of the entry an LPM lookup of k must return, or -1. */
static int lpm_best(const model_t *M, const uint8_t *k)
{
    int best = -1;
    uint32_t q = le32_of(k), best_len = 0;
    for (uint32_t i = 0; i < M->n; i++) {
        uint32_t p = le32_of(M->e[i].key);
        if (p <= q && lpm_match(M->e[i].key, k, M->ks) && (best < 0 || p > best_len)) {
            best = (int)i;
            best_len = p;
        }
    }
    return best;
}

static int h_lookup(ctx_t *c, rd_t *r, uint32_t cpu)
{
    model_t *M = c->M;
    uint8_t k[KMAX], out[VMAX];
    gen_key(M, r, k);
    c->op = "lookup";
    int got = mbpf_map_lookup_cpu(&c->t.m, cpu, k, M->ks, out, M->vs);
    uint32_t slot = M->nslots > 1 ? cpu : 0;
    int i;
    if (M->type == MBPF_MAP_LPM_TRIE) {
        if (le32_of(k) > M->lpm_bits) {
            RC(c, got, MBPF_MAP_E_PREFIX);
            return 0;
        }
        i = lpm_best(M, k);
    } else {
        i = m_find(M, k);
    }
    if (i < 0) {
        RC(c, got, MBPF_MAP_E_NOENT);
        return 0;
    }
    RC(c, got, 0);
    if (memcmp(out, M->e[i].val[slot], M->vs) != 0) FAIL(c, "value differs");
    if (M->type == MBPF_MAP_LRU_HASH) M->e[i].ref = 1;
    return 0;
}

static int h_sum(ctx_t *c, rd_t *r)
{
    model_t *M = c->M;
    uint8_t k[KMAX];
    gen_key(M, r, k);
    c->op = "lookup_sum";
    uint64_t sum = 0;
    int got = mbpf_map_lookup_sum(&c->t.m, k, M->ks, &sum);
    if (M->vs != 1 && M->vs != 2 && M->vs != 4 && M->vs != 8) {
        RC(c, got, MBPF_MAP_E_VALUE_SIZE);
        return 0;
    }
    int i;
    if (M->type == MBPF_MAP_LPM_TRIE) {
        if (le32_of(k) > M->lpm_bits) {
            RC(c, got, MBPF_MAP_E_PREFIX);
            return 0;
        }
        i = lpm_best(M, k);
    } else {
        i = m_find(M, k);
    }
    if (i < 0) {
        RC(c, got, MBPF_MAP_E_NOENT);
        return 0;
    }
    RC(c, got, 0);
    uint64_t want = 0;
    for (uint32_t s = 0; s < M->nslots; s++) want += le_val(M->e[i].val[s], M->vs);
    if (sum != want)
        FAIL(c, "sum %llu, want %llu", (unsigned long long)sum, (unsigned long long)want);
    if (M->type == MBPF_MAP_LRU_HASH) M->e[i].ref = 1;
    return 0;
}

static int h_delete(ctx_t *c, rd_t *r)
{
    model_t *M = c->M;
    uint8_t k[KMAX];
    gen_key(M, r, k);
    c->op = "delete";
    int got = mbpf_map_delete(&c->t.m, k, M->ks);
    if (M->type == MBPF_MAP_LPM_TRIE) {
        if (le32_of(k) > M->lpm_bits) {
            RC(c, got, MBPF_MAP_E_PREFIX);
            return 0;
        }
        lpm_mask(k, M->ks, le32_of(k));
    }
    int i = m_find(M, k);
    if (i < 0) {
        RC(c, got, MBPF_MAP_E_NOENT);
        return 0;
    }
    RC(c, got, 0);
    m_remove(M, (uint32_t)i);
    return 0;
}

/* Iterates the whole map, mutating it on the way when mutate is set: every
 * key present throughout must come back exactly once, and every key that
 * comes back must be present when it does. */
static int h_iterate(ctx_t *c, rd_t *r, int mutate)
{
    model_t *M = c->M;
    uint8_t start[EMAX][KMAX], seen[4 * EMAX][KMAX], k[KMAX];
    uint32_t nstart = M->n, nseen = 0;
    for (uint32_t i = 0; i < M->n; i++) memcpy(start[i], M->e[i].key, KMAX);
    M->track = 1;
    M->nremoved = 0;
    c->op = "next_key";
    memset(k, 0, sizeof k);
    int got = mbpf_map_next_key(&c->t.m, NULL, 0, k, M->ks);
    while (got == 0) {
        if (nseen == 4 * EMAX) FAIL(c, "iteration does not end");
        if (m_find(M, k) < 0) FAIL(c, "returned a key that is not in the map");
        for (uint32_t j = 0; j < nseen; j++)
            if (memcmp(seen[j], k, M->ks) == 0) FAIL(c, "returned a key twice");
        memcpy(seen[nseen++], k, KMAX);
        if (mutate) {
            uint8_t what = u8(r) % 4;
            if (what == 0) {
                c->op = "delete-current";
                RC(c, mbpf_map_delete(&c->t.m, k, M->ks), 0);
                m_remove(M, (uint32_t)m_find(M, k));
                c->st->iter_deletes++;
            } else if (what == 1) {
                if (h_delete(c, r)) return -1;
            } else if (what == 2) {
                if (h_update(c, r, u8(r) % M->ncpu)) return -1;
            }
            c->op = "next_key";
        }
        got = mbpf_map_next_key(&c->t.m, k, M->ks, k, M->ks);
    }
    M->track = 0;
    RC(c, got, MBPF_MAP_E_NOENT);
    for (uint32_t i = 0; i < nstart; i++) {
        int disturbed = 0, found = 0;
        for (uint32_t j = 0; j < M->nremoved; j++)
            if (memcmp(M->removed[j], start[i], M->ks) == 0) disturbed = 1;
        for (uint32_t j = 0; j < nseen; j++)
            if (memcmp(seen[j], start[i], M->ks) == 0) found = 1;
        if (!disturbed && !found) FAIL(c, "iteration skipped a key present throughout");
    }
    if (!mutate && nseen != M->n) FAIL(c, "iteration returned %u keys, want %u", nseen, M->n);
    return 0;
}

static int run_hash(ctx_t *c, rd_t *r)
{
    model_t *M = c->M;
    uint8_t op = u8(r);
    uint32_t cpu = u8(r) % M->ncpu;
    int rc = 0;
    uint8_t o = op % 16;
    if (o < 6) {
        rc = h_update(c, r, cpu);
    } else if (o < 10) {
        rc = h_lookup(c, r, cpu);
    } else if (o < 12) {
        rc = h_delete(c, r);
    } else if (o == 12) {
        rc = h_sum(c, r);
    } else if (o == 13) {
        rc = h_iterate(c, r, op & 0x10);
    } else if (o == 14) {
        uint8_t k[KMAX], out[VMAX];
        gen_key(M, r, k);
        c->op = "bad-cpu";
        RC(c, mbpf_map_lookup_cpu(&c->t.m, M->ncpu, k, M->ks, out, M->vs), MBPF_MAP_E_CPU);
        RC(c, mbpf_map_lookup_cpu(&c->t.m, 0, k, M->ks - 1, out, M->vs), MBPF_MAP_E_KEY_SIZE);
    } else {
        c->op = "count";
        if (mbpf_map_count(&c->t.m) != M->n)
            FAIL(c, "count %u, want %u", mbpf_map_count(&c->t.m), M->n);
    }
    return rc;
}

/* ---- indexed types -------------------------------------------------- */

static int run_indexed(ctx_t *c, rd_t *r)
{
    model_t *M = c->M;
    uint8_t op = u8(r);
    uint32_t cpu = u8(r) % M->ncpu, slot = M->nslots > 1 ? cpu : 0;
    uint32_t idx = u8(r) % (M->max + 2);
    uint8_t k[4], v[VMAX], out[VMAX];
    key32(k, idx);
    bool in = idx < M->max;
    bool ctr = M->type == MBPF_MAP_COUNTER;
    switch (op % 8) {
    case 0:
    case 1: {
        gen_val(M->vs, u8(r), v);
        uint32_t flags = u8(r) % 4;
        c->op = "update";
        int got = mbpf_map_update_cpu(&c->t.m, cpu, k, 4, v, M->vs, flags);
        if (!in)
            RC(c, got, MBPF_MAP_E_INDEX);
        else if (flags > MBPF_MAP_EXIST)
            RC(c, got, MBPF_MAP_E_FLAGS);
        else if (flags == MBPF_MAP_NOEXIST)
            RC(c, got, MBPF_MAP_E_EXIST);
        else {
            RC(c, got, 0);
            if (ctr)
                M->ctr[idx] = le_val(v, 8);
            else
                memcpy(M->arr[slot][idx], v, M->vs);
        }
        break;
    }
    case 2:
    case 3: {
        c->op = "lookup";
        int got = mbpf_map_lookup_cpu(&c->t.m, cpu, k, 4, out, M->vs);
        if (!in) {
            RC(c, got, MBPF_MAP_E_INDEX);
            break;
        }
        RC(c, got, 0);
        if (ctr ? le_val(out, 8) != M->ctr[idx] : memcmp(out, M->arr[slot][idx], M->vs) != 0)
            FAIL(c, "value differs at %u", idx);
        break;
    }
    case 4: {
        c->op = "lookup_sum";
        uint64_t sum = 0, want = 0;
        int got = mbpf_map_lookup_sum(&c->t.m, k, 4, &sum);
        if (!in) {
            RC(c, got, MBPF_MAP_E_INDEX);
            break;
        }
        if (!ctr && M->vs != 1 && M->vs != 2 && M->vs != 4 && M->vs != 8) {
            RC(c, got, MBPF_MAP_E_VALUE_SIZE);
            break;
        }
        RC(c, got, 0);
        if (ctr)
            want = M->ctr[idx];
        else
            for (uint32_t s = 0; s < M->nslots; s++) want += le_val(M->arr[s][idx], M->vs);
        if (sum != want) FAIL(c, "sum differs");
        break;
    }
    case 5: {
        c->op = "next_key";
        int got = mbpf_map_next_key(&c->t.m, (op & 0x80) ? NULL : k, 4, out, 4);
        uint32_t want = (op & 0x80) ? 0 : idx + 1;
        if (want >= M->max) {
            RC(c, got, MBPF_MAP_E_NOENT);
            break;
        }
        RC(c, got, 0);
        if (le32_of(out) != want) FAIL(c, "next index %u, want %u", le32_of(out), want);
        break;
    }
    default: {
        if (!ctr) {
            c->op = "delete";
            RC(c, mbpf_map_delete(&c->t.m, k, 4), MBPF_MAP_E_NOTSUP);
            break;
        }
        uint64_t delta = (uint64_t)u8(r) << (u8(r) % 60), got_v = 0;
        if (op & 0x40) delta = (uint64_t)0 - delta;
        int which = u8(r) % 3, got;
        c->op = which == 0 ? "counter_add" : which == 1 ? "counter_get" : "counter_reset";
        if (which == 0)
            got = mbpf_map_counter_add(&c->t.m, idx, delta, &got_v);
        else if (which == 1)
            got = mbpf_map_counter_get(&c->t.m, idx, &got_v);
        else
            got = mbpf_map_counter_reset(&c->t.m, idx, &got_v);
        if (!in) {
            RC(c, got, MBPF_MAP_E_INDEX);
            break;
        }
        RC(c, got, 0);
        uint64_t want = which == 0 ? (M->ctr[idx] += delta) : M->ctr[idx];
        if (which == 2) M->ctr[idx] = 0;
        if (got_v != want)
            FAIL(c, "counter %llu, want %llu", (unsigned long long)got_v, (unsigned long long)want);
    }
    }
    return 0;
}

/* ---- ring buffer ---------------------------------------------------- */

typedef struct consume_ctx {
    model_t *M;
    int bad;
} consume_ctx_t;

static int on_record(void *p, const void *data, size_t len)
{
    consume_ctx_t *cc = p;
    model_t *M = cc->M;
    if (M->qn == 0) {
        cc->bad = 1;
        return 1;
    }
    rec_t *rec = &M->q[M->qh];
    uint8_t want[256];
    gen_val(rec->len, rec->seed, want);
    if (len != rec->len || (len && memcmp(data, want, len) != 0)) cc->bad = 2;
    M->cons += rec->pad + MBPF_MAP_RING_RECORD_HDR + ((rec->len + 7) & ~7u);
    M->qh = (M->qh + 1) % QMAX;
    M->qn--;
    return 0;
}

static int run_ring(ctx_t *c, rd_t *r)
{
    model_t *M = c->M;
    uint8_t op = u8(r);
    if (op % 4 < 2) {
        uint32_t len = u8(r) % (M->maxrec + 3);
        uint8_t data[256];
        uint8_t seed = u8(r);
        gen_val(len, seed, data);
        c->op = "output";
        int got = mbpf_map_ringbuf_output(&c->t.m, data, len);
        if (len > M->maxrec) {
            RC(c, got, MBPF_MAP_E_VALUE_SIZE);
            return 0;
        }
        uint32_t need = MBPF_MAP_RING_RECORD_HDR + ((len + 7) & ~7u);
        uint32_t to_end = M->cap - (M->prod & (M->cap - 1));
        uint32_t pad = to_end < need ? to_end : 0;
        if (need + pad > M->cap - (M->prod - M->cons)) {
            M->dropped++;
            c->st->full++;
            RC(c, got, MBPF_MAP_E_RING_FULL);
            return 0;
        }
        RC(c, got, 0);
        M->prod += pad + need;
        M->written++;
        M->q[(M->qh + M->qn) % QMAX] = (rec_t){len, pad, seed};
        M->qn++;
        return 0;
    }
    if (op % 4 == 2) {
        uint32_t max = u8(r) % 4;
        uint32_t want = max == 0 || max > M->qn ? M->qn : max;
        consume_ctx_t cc = {M, 0};
        c->op = "consume";
        int got = mbpf_map_ringbuf_consume(&c->t.m, on_record, &cc, max);
        RC(c, got, (int)want);
        if (cc.bad) FAIL(c, "record %s", cc.bad == 1 ? "not in the model" : "differs");
        return 0;
    }
    mbpf_map_ringbuf_stats_t s;
    c->op = "stats";
    RC(c, mbpf_map_ringbuf_stats(&c->t.m, &s), 0);
    if (s.written != M->written || s.dropped != M->dropped || s.pending != M->prod - M->cons)
        FAIL(c, "stats %llu/%llu/%u, want %llu/%llu/%u", (unsigned long long)s.written,
             (unsigned long long)s.dropped, s.pending, (unsigned long long)M->written,
             (unsigned long long)M->dropped, M->prod - M->cons);
    return 0;
}

/* ---- driver --------------------------------------------------------- */

int model_run(const uint8_t *data, size_t len, uint32_t type_hint, model_stats_t *st, char *why,
              size_t why_len)
{
    rd_t r = {data, len, 0};
    model_t *M = calloc(1, sizeof *M);
    if (!M) return -1;
    uint8_t b0 = u8(&r), b1 = u8(&r), b2 = u8(&r), b3 = u8(&r), b4 = u8(&r);
    M->type = type_hint ? type_hint : 1u + b0 % MBPF_MAP_TYPE_MAX;
    M->ncpu = 1u + b4 % CMAX;
    M->max = entries[b3 % 8];
    M->vs = sizes[b2 % 8];
    M->ks = is_hash_type(M->type) ? sizes[b1 % 8] : 0;
    if (M->type == MBPF_MAP_LPM_TRIE) {
        /* Up to 8 bytes the map packs a key into words; past that it masks
         * the bytes (IPv6 keys are 20). */
        static const uint32_t lpm_sizes[8] = {5, 6, 7, 8, 9, 12, 13, 16};
        M->ks = lpm_sizes[b1 % 8];
        M->lpm_bits = (M->ks - 4) * 8;
    }
    if (M->type == MBPF_MAP_COUNTER) M->vs = 8;
    uint32_t def_vs = M->vs, def_max = M->max;
    if (M->type == MBPF_MAP_RINGBUF) {
        M->cap = 16u << (b3 % 5);
        M->maxrec = (b2 & 1) ? 1 + b2 % (M->cap - 8) : M->cap - 8;
        def_vs = (b2 & 1) ? M->maxrec : 0;
        def_max = M->cap;
        M->ks = 0;
    }
    M->nslots = (M->type == MBPF_MAP_PERCPU_ARRAY || M->type == MBPF_MAP_PERCPU_HASH) ? M->ncpu : 1;

    ctx_t c = {.M = M, .st = st, .why = why, .why_len = why_len, .op = "init"};
    int rc = test_map_new(&c.t, M->type, M->ks, def_vs, def_max, M->ncpu);
    if (rc) {
        snprintf(why, why_len, "init type %u ks %u vs %u max %u: %s", M->type, M->ks, def_vs,
                 def_max, mbpf_map_strerror(rc));
        free(M);
        return -1;
    }
    if (is_hash_type(M->type)) M->ks = mbpf_map_key_len(&c.t.m);
    rc = 0;
    while (r.i < r.n && rc == 0) {
        st->ops++;
        if (is_hash_type(M->type))
            rc = run_hash(&c, &r);
        else if (M->type == MBPF_MAP_RINGBUF)
            rc = run_ring(&c, &r);
        else
            rc = run_indexed(&c, &r);
    }
    test_map_free(&c.t);
    free(M);
    return rc;
}
