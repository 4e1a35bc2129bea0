/*
 * Ring buffer maps: variable-size records from any number of producers to
 * one consumer, in the order producers reserved them.
 *
 * The data area (max_entries bytes, a power of two) is addressed by two
 * free-running 32-bit byte positions, prod (reserved) and cons (consumed).
 * A record is an 8-byte header word { len | BUSY | PAD } plus its bytes
 * padded to 8, always contiguous: a record that would straddle the end is
 * preceded by a PAD record covering the rest of the area.
 *
 * Producers reserve under the map spinlock (a few dozen instructions: check
 * space, write a BUSY header, advance prod), then copy their bytes outside
 * the lock and commit by storing the header without BUSY (release). The
 * consumer stops at the first BUSY header, so it sees records in
 * reservation order and never a torn one; a slow producer delays, but never
 * corrupts, the records behind it. A record that does not fit is dropped
 * and counted. Space is released to producers by the consumer's release
 * store of cons, which producers read with acquire, so a producer never
 * writes bytes the consumer may still be reading.
 */
#include "map_internal.h"

#define HDR_BUSY 0x80000000u
#define HDR_PAD  0x40000000u
#define HDR_LEN  0x3FFFFFFFu

static map_word_t *hdr_at(mbpf_map_t *m, uint32_t pos)
{
    return (map_word_t *)((uint8_t *)m->extra + (pos & m->ring_mask));
}

static uint32_t rec_size(uint32_t len)
{
    return MBPF_MAP_RING_RECORD_HDR + ((len + 7) & ~7u);
}

void map_ringbuf_init(mbpf_map_t *m)
{
    (void)m; /* positions and headers start at zero */
}

static int check(mbpf_map_t *m)
{
    if (!m) return MBPF_MAP_E_INVALID_ARG;
    return m->def.type == MBPF_MAP_RINGBUF ? MBPF_MAP_OK : MBPF_MAP_E_NOTSUP;
}

int mbpf_map_ringbuf_output(mbpf_map_t *m, const void *data, size_t len)
{
    mbpf_map_iov_t one = {data, len};
    return mbpf_map_ringbuf_outputv(m, &one, 1);
}

int mbpf_map_ringbuf_outputv(mbpf_map_t *m, const mbpf_map_iov_t *iov, uint32_t n)
{
    int r = check(m);
    if (r) return r;
    if (!iov || n > 8) return MBPF_MAP_E_INVALID_ARG;
    uint32_t cap = m->def.max_entries;
    uint32_t max = m->def.value_size ? m->def.value_size : cap - MBPF_MAP_RING_RECORD_HDR;
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!iov[i].data && iov[i].len) return MBPF_MAP_E_INVALID_ARG;
        if (iov[i].len > max - len) return MBPF_MAP_E_VALUE_SIZE; /* len <= max: no wrap */
        len += iov[i].len;
    }
    uint32_t need = rec_size((uint32_t)len);
    struct mbpf_map_shared *sh = m->sh;

    r = map_lock(m);
    if (r) {
        u64_add(&sh->ring_dropped, 1);
        return r;
    }
    uint32_t prod = ld(&sh->ring_prod);
    uint32_t used = prod - ld_acq(&sh->ring_cons);
    uint32_t to_end = cap - (prod & m->ring_mask);
    uint32_t pad = to_end < need ? to_end : 0;
    if (used > cap || need + pad > cap - used) {
        map_unlock(m);
        u64_add(&sh->ring_dropped, 1);
        return MBPF_MAP_E_RING_FULL;
    }
    if (pad) {
        st(hdr_at(m, prod), HDR_PAD | pad);
        prod += pad;
    }
    map_word_t *hdr = hdr_at(m, prod);
    st(hdr, HDR_BUSY | (uint32_t)len);
    st_rel(&sh->ring_prod, prod + need);
    map_unlock(m);

    uint8_t *dst = (uint8_t *)hdr + MBPF_MAP_RING_RECORD_HDR;
    for (uint32_t i = 0; i < n; i++) {
        if (iov[i].len) memcpy(dst, iov[i].data, iov[i].len);
        dst += iov[i].len;
    }
    st_rel(hdr, (uint32_t)len);
    u64_add(&sh->ring_written, 1);
    return MBPF_MAP_OK;
}

int mbpf_map_ringbuf_consume(mbpf_map_t *m, mbpf_map_ringbuf_cb cb, void *ctx, uint32_t max)
{
    int r = check(m);
    if (r) return r;
    if (!cb) return MBPF_MAP_E_INVALID_ARG;
    struct mbpf_map_shared *sh = m->sh;
    if (!mbpf_spin_trylock(&sh->cons_lock)) return MBPF_MAP_E_BUSY;

    uint32_t cons = ld(&sh->ring_cons), n = 0;
    while ((max == 0 || n < max) && n < (uint32_t)0x7FFFFFFF) {
        if (cons == ld_acq(&sh->ring_prod)) break;
        map_word_t *hdr = hdr_at(m, cons);
        uint32_t h = ld_acq(hdr);
        if (h & HDR_BUSY) break;
        if (h & HDR_PAD) {
            cons += h & HDR_LEN;
            st_rel(&sh->ring_cons, cons);
            continue;
        }
        uint32_t len = h & HDR_LEN;
        int stop = cb(ctx, (const uint8_t *)hdr + MBPF_MAP_RING_RECORD_HDR, len);
        cons += rec_size(len);
        st_rel(&sh->ring_cons, cons);
        n++;
        if (stop) break;
    }
    mbpf_spin_unlock(&sh->cons_lock);
    return (int)n;
}

int mbpf_map_ringbuf_stats(mbpf_map_t *m, mbpf_map_ringbuf_stats_t *out)
{
    int r = check(m);
    if (r) return r;
    if (!out) return MBPF_MAP_E_INVALID_ARG;
    struct mbpf_map_shared *sh = m->sh;
    out->written = u64_load(&sh->ring_written);
    out->dropped = u64_load(&sh->ring_dropped);
    uint32_t cons = ld_acq(&sh->ring_cons);
    out->pending = ld_acq(&sh->ring_prod) - cons;
    out->capacity = m->def.max_entries;
    return MBPF_MAP_OK;
}
