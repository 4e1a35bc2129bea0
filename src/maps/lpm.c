/*
 * LPM trie maps: longest-prefix match over keys { u32 prefix_len (LE),
 * data[key_size - 4] }, prefix bits taken from the most significant bit of
 * data[0] onwards (network order, as for IP addresses).
 *
 * Stored prefixes live in the hash table under their normalised key (bits
 * past prefix_len cleared), and a count per prefix length, mirrored in a
 * bitmap of the lengths in use, records which lengths have entries. A
 * lookup for (q, data) probes the lengths <= q in use, longest first (found
 * a bitmap word at a time), each with one hash lookup of the data
 * masked to that length: the cost is one probe per distinct prefix length
 * in use (a routing table of /8, /16, /24 and /32 routes costs at most
 * four), independent of the number of prefixes, with no pointer chasing
 * through trie levels.
 *
 * Writers (under the map lock) bracket every insertion and deletion with a
 * map-wide sequence, so a lock-free lookup's probes all see one state of
 * the table; value overwrites need no bracket (the slot seqlock covers
 * them).
 */
#include "map_internal.h"

/* The bitmap of prefix lengths in use follows the counts. */
static map_word_t *used_bits(const mbpf_map_t *m)
{
    return (map_word_t *)m->extra + m->lpm_bits + 1;
}

void map_lpm_init(mbpf_map_t *m)
{
    map_hash_init(m);
    map_word_t *counts = m->extra;
    for (uint32_t i = 0; i <= m->lpm_bits; i++) atomic_init(&counts[i], 0);
    for (uint32_t i = 0; i <= m->lpm_bits / 32; i++) atomic_init(&used_bits(m)[i], 0);
    m->lookup_fn = map_lpm_lookup;
    m->update_fn = map_lpm_update;
}

/* Adds d (+1 or -1) to the count of prefix length plen (map lock held),
 * keeping the bitmap in step. */
static void count_add(mbpf_map_t *m, uint32_t plen, uint32_t d)
{
    map_word_t *count = (map_word_t *)m->extra + plen;
    uint32_t c = ld(count) + d;
    st(count, c);
    map_word_t *w = &used_bits(m)[plen / 32];
    uint32_t bit = 1u << plen % 32;
    st(w, c ? ld(w) | bit : ld(w) & ~bit);
}

static inline uint32_t top_bit(uint32_t w)
{
#if defined(__GNUC__)
    return 31u - (uint32_t)__builtin_clz(w);
#else
    uint32_t b = 0;
    while (w >>= 1) b++;
    return b;
#endif
}

static inline uint32_t top_bit64(uint64_t w)
{
#if defined(__GNUC__)
    return 63u - (uint32_t)__builtin_clzll(w);
#else
    uint32_t hi = (uint32_t)(w >> 32);
    return hi ? 32 + top_bit(hi) : top_bit((uint32_t)w);
#endif
}

/* The longest prefix length in use that is at most p, or MAP_NIL. */
MAP_HOT uint32_t used_at_most(const mbpf_map_t *m, uint32_t p)
{
    const map_word_t *bits = used_bits(m);
    uint32_t i = p / 32, w = ld(&bits[i]) & ~0u >> (31 - p % 32);
    while (!w) {
        if (i == 0) return MAP_NIL;
        w = ld(&bits[--i]);
    }
    return i * 32 + top_bit(w);
}

/* Clears data bits from bit plen onwards (bit 0 = MSB of data[0]). */
static void mask_from(uint8_t *data, uint32_t nbytes, uint32_t plen)
{
    uint32_t i = plen / 8;
    if (i >= nbytes) return;
    if (plen % 8) data[i++] &= (uint8_t)(0xFFu << (8 - plen % 8));
    memset(data + i, 0, nbytes - i);
}

/* Copies key to out with its prefix length checked and data normalised. */
static int normalise(const mbpf_map_t *m, const void *key, uint8_t *out, uint32_t *plen)
{
    *plen = le32(key);
    if (*plen > m->lpm_bits) return MBPF_MAP_E_PREFIX;
    memcpy(out, key, m->key_len);
    mask_from(out + 4, m->key_len - 4, *plen);
    return MBPF_MAP_OK;
}

/* The native word of the 4 bytes b0..b3, as a memcpy would load them. */
static inline uint32_t bytes_word(uint32_t b0, uint32_t b1, uint32_t b2, uint32_t b3)
{
    uint8_t b[4] = {(uint8_t)b0, (uint8_t)b1, (uint8_t)b2, (uint8_t)b3};
    uint32_t w;
    memcpy(&w, b, 4);
    return w;
}

/* The data of a key of at most 8 bytes as one big-endian number. */
static uint32_t small_data(const mbpf_map_t *m, const void *key)
{
    const uint8_t *d = (const uint8_t *)key + 4;
    uint32_t nb = m->key_len - 4;
    return (uint32_t)d[0] << 24 | (nb > 1 ? (uint32_t)d[1] << 16 : 0) |
           (nb > 2 ? (uint32_t)d[2] << 8 : 0) | (nb > 3 ? d[3] : 0u);
}

/* The table key of prefix length p over data (masked here) for a key of
 * at most 8 bytes: its two words, and map_hash_small of them (an LPM key
 * has at least 5 bytes) from the start h0 = hash_start(key_len, seed). */
MAP_HOT void small_key(uint32_t p, uint32_t data, uint32_t h0, map_hkey_t *k)
{
    uint32_t d = data & (uint32_t)(0xFFFFFFFF00000000u >> p);
    k->bytes = NULL;
    k->w[0] = bytes_word(p, p >> 8, p >> 16, p >> 24);
    k->w[1] = bytes_word(d >> 24, d >> 16, d >> 8, d);
    k->h = hash_final(mix(mix(h0, k->w[0]), k->w[1]));
}

/* The table key of a stored prefix: built from words for a key of at most
 * 8 bytes, else normalised into buf (which must outlive k). */
static int table_key(const mbpf_map_t *m, const void *key, uint8_t *buf, uint32_t *plen,
                     map_hkey_t *k)
{
    if (m->key_len > 8) {
        int r = normalise(m, key, buf, plen);
        if (r) return r;
        map_hash_key(m, buf, k);
        return MBPF_MAP_OK;
    }
    *plen = le32(key);
    if (*plen > m->lpm_bits) return MBPF_MAP_E_PREFIX;
    small_key(*plen, small_data(m, key), hash_start(m->key_len, m->seed), k);
    return MBPF_MAP_OK;
}

int map_lpm_update(mbpf_map_t *m, uint32_t cpu, const void *key, const void *val, uint32_t flags)
{
    uint8_t buf[MBPF_MAP_KEY_MAX];
    uint32_t plen;
    map_hkey_t hk;
    int r = table_key(m, key, buf, &plen, &hk);
    if (r) return r;
    r = map_lock(m);
    if (r) return r;
    struct mbpf_map_shared *sh = m->sh;
    uint32_t s = ld(&sh->seq);
    st(&sh->seq, s + 1);
    atomic_thread_fence(memory_order_release);
    bool created;
    r = map_hash_update_locked(m, cpu, &hk, val, flags, &created);
    if (created) count_add(m, plen, 1);
    st_rel(&sh->seq, s + 2);
    map_unlock(m);
    return r;
}

int map_lpm_delete(mbpf_map_t *m, const void *key)
{
    uint8_t buf[MBPF_MAP_KEY_MAX];
    uint32_t plen;
    map_hkey_t hk;
    int r = table_key(m, key, buf, &plen, &hk);
    if (r) return r;
    r = map_lock(m);
    if (r) return r;
    struct mbpf_map_shared *sh = m->sh;
    uint32_t s = ld(&sh->seq);
    st(&sh->seq, s + 1);
    atomic_thread_fence(memory_order_release);
    r = map_hash_delete_locked(m, &hk);
    if (r == MBPF_MAP_OK) count_add(m, plen, ~0u);
    st_rel(&sh->seq, s + 2);
    map_unlock(m);
    return r;
}

/* Probes of a key of at most 8 bytes (IPv4 and shorter): its data, at most
 * 32 bits, is masked as one big-endian number and the probe's key words
 * and hash are built from it directly, without touching key bytes; the
 * lengths in use, at most 33, are taken as one 64-bit set. */
static int probe_small(mbpf_map_t *m, uint32_t cpu, uint32_t q, uint32_t data, void *out)
{
    const map_word_t *bits = used_bits(m);
    uint64_t used = ld(&bits[0]) | (q == 32 ? (uint64_t)ld(&bits[1]) << 32 : 0);
    used &= ~0ull >> (63 - q);
    uint32_t h0 = hash_start(m->key_len, m->seed);
    int r = MBPF_MAP_E_NOENT;
    while (used) {
        uint32_t p = top_bit64(used);
        used &= ~(1ull << p);
        map_hkey_t k;
        small_key(p, data, h0, &k);
        uint32_t n;
        r = map_hash_find(m, cpu, &k, out, &n);
        if (r != MBPF_MAP_E_NOENT) break;
    }
    return r;
}

/* Probes of a longer key: k (normalised to q) is masked in place from one
 * probe's length down to the next, so each probe clears only the bits
 * between the two. */
static int probe_long(mbpf_map_t *m, uint32_t cpu, uint32_t q, uint8_t *k, void *out)
{
    uint32_t prev = q;
    int r = MBPF_MAP_E_NOENT;
    for (uint32_t p = used_at_most(m, q); p != MAP_NIL; p = p ? used_at_most(m, p - 1) : MAP_NIL) {
        mask_from(k + 4, (prev + 7) / 8, p);
        prev = p;
        put_le32(k, p);
        map_hkey_t hk;
        map_hash_key(m, k, &hk);
        uint32_t n;
        r = map_hash_find(m, cpu, &hk, out, &n);
        if (r != MBPF_MAP_E_NOENT) break;
    }
    return r;
}

int map_lpm_lookup(mbpf_map_t *m, uint32_t cpu, const void *key, void *out)
{
    /* Everything is taken from key before the first probe writes out,
     * which may be the same array. */
    uint8_t kq[MBPF_MAP_KEY_MAX], k[MBPF_MAP_KEY_MAX];
    uint32_t q, kl = m->key_len, data = 0;
    bool small = kl <= 8;
    if (small) {
        q = le32(key);
        if (q > m->lpm_bits) return MBPF_MAP_E_PREFIX;
        data = small_data(m, key);
    } else {
        int r = normalise(m, key, kq, &q);
        if (r) return r;
    }
    struct mbpf_map_shared *sh = m->sh;
    for (uint32_t i = 0; i < MBPF_MAP_SPIN_LIMIT; i++) {
        uint32_t s = ld_acq(&sh->seq);
        if (s & 1) {
            cpu_relax();
            continue;
        }
        int r;
        if (small) {
            r = probe_small(m, cpu, q, data, out);
        } else {
            memcpy(k, kq, kl);
            r = probe_long(m, cpu, q, k, out);
        }
        if (r == MBPF_MAP_E_BUSY) return r;
        atomic_thread_fence(memory_order_acquire);
        if (ld(&sh->seq) == s) return r;
    }
    return MBPF_MAP_E_BUSY;
}

int map_lpm_next_key(mbpf_map_t *m, const void *prev, void *out)
{
    if (!prev) return map_hash_next_key(m, NULL, out);
    uint8_t k[MBPF_MAP_KEY_MAX];
    uint32_t plen;
    int r = normalise(m, prev, k, &plen);
    if (r) return r;
    return map_hash_next_key(m, k, out);
}
