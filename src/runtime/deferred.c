/*
 * Deferred execution (spec §9.5) for observer hooks that fire where an
 * interpreter must not run (hard IRQ). mbpf_run snapshots the context —
 * the struct, a CUSTOM hook's field table, and up to deferred_snapshot_max
 * bytes of data, with data_len set to the bytes copied and
 * MBPF_CTX_F_TRUNCATED when that is fewer than the original — into a
 * bounded queue, and mbpf_runtime_drain runs the records later through the
 * normal event path. A full queue drops the event and counts the drop on
 * every program attached to the hook.
 *
 * The queue is a bounded multi-producer multi-consumer ring with a sequence
 * word per slot (Vyukov's design): producers and consumers claim positions
 * with a compare-and-swap and never wait for each other, so an interrupt
 * that enqueues while the same CPU is draining cannot deadlock. Depth is
 * rounded up to a power of two.
 */
#include <string.h>

#include "internal.h"
#include "mbpf_ctx.h"

typedef struct drecord {
    mbpf_hook_id_t hook;
    uint32_t ctx_len; /* 0: the caller passed no context */
    union {
        uint32_t abi_version;
        mbpf_ctx_net_v1_t net;
        mbpf_ctx_tracepoint_v1_t tp;
        mbpf_ctx_timer_v1_t timer;
        mbpf_ctx_security_v1_t sec;
        mbpf_ctx_custom_v1_t custom;
    } ctx;
    mbpf_ctx_field_t fields[MBPF_CTX_CUSTOM_MAX_FIELDS];
    uint8_t data[]; /* deferred.data_max bytes */
} drecord_t;

static uint32_t round_pow2(uint32_t n)
{
    uint32_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

int deferred_init(mbpf_runtime_t *rt, const mbpf_runtime_config_t *cfg)
{
    deferred_t *d = &rt->deferred;
    atomic_init(&d->head, 0);
    atomic_init(&d->tail, 0);
    atomic_init(&d->scheduled, 0);
    u64_init(&d->queued, 0);
    u64_init(&d->dropped, 0);
    u64_init(&d->run, 0);
    if (!cfg->deferred_hooks) return 0;
    d->depth = round_pow2(cfg->deferred_depth); /* <= 2^16, checked by config_valid */
    d->data_max = cfg->deferred_snapshot_max;   /* <= 2^20 */
    d->record_size = (offsetof(drecord_t, data) + d->data_max + 7u) & ~(size_t)7u;
    if (d->record_size > SIZE_MAX / d->depth) return MBPF_E_NOMEM; /* 32-bit targets */
    d->records = rt_alloc(rt, d->record_size * d->depth);
    if (!d->records) return MBPF_E_NOMEM;
    d->seq = rt_alloc(rt, d->depth * sizeof *d->seq);
    if (!d->seq) {
        rt_free(rt, d->records);
        d->records = NULL;
        return MBPF_E_NOMEM;
    }
    for (uint32_t i = 0; i < d->depth; i++) atomic_init(&d->seq[i], i);
    return 0;
}

void deferred_free(mbpf_runtime_t *rt)
{
    rt_free(rt, rt->deferred.records);
    rt_free(rt, rt->deferred.seq);
    rt->deferred.records = NULL;
    rt->deferred.seq = NULL;
}

static drecord_t *slot(deferred_t *d, uint32_t pos)
{
    return (drecord_t *)(void *)(d->records + (size_t)(pos & (d->depth - 1)) * d->record_size);
}

/* Copies up to max of data_len bytes; sets *trunc when fewer than data_len. */
static uint32_t snap_bytes(uint8_t *dst, uint32_t max, const void *blob, const uint8_t *data,
                           mbpf_read_bytes_fn read_fn, uint32_t data_len, bool *trunc)
{
    uint32_t n = data_len < max ? data_len : max;
    if (data) {
        memcpy(dst, data, n);
    } else if (read_fn) {
        uint32_t off = 0;
        while (off < n) {
            int r = read_fn(blob, off, n - off, dst + off);
            if (r <= 0 || (uint32_t)r > n - off) break;
            off += (uint32_t)r;
        }
        n = off;
    } else {
        n = 0;
    }
    *trunc = n < data_len;
    return n;
}

static void snapshot(deferred_t *d, drecord_t *r, uint32_t type, const void *ctx, size_t ctx_len)
{
    size_t need = policy_ctx_size(type);
    r->ctx_len = 0;
    if (!ctx) return;
    size_t n = ctx_len < need ? ctx_len : need;
    memcpy(&r->ctx, ctx, n);
    r->ctx_len = (uint32_t)n;
    if (n < need) return; /* too short: every program counts a ctx mismatch */
    bool trunc = false;
    switch (type) {
    case MBPF_HOOK_TRACEPOINT: {
        mbpf_ctx_tracepoint_v1_t *c = &r->ctx.tp;
        c->data_len =
            snap_bytes(r->data, d->data_max, ctx, c->data, c->read_fn, c->data_len, &trunc);
        c->data = r->data;
        c->read_fn = NULL;
        if (trunc) c->flags |= MBPF_CTX_F_TRUNCATED;
        break;
    }
    case MBPF_HOOK_CUSTOM: {
        mbpf_ctx_custom_v1_t *c = &r->ctx.custom;
        c->data_len =
            snap_bytes(r->data, d->data_max, ctx, c->data, c->read_fn, c->data_len, &trunc);
        c->data = r->data;
        c->read_fn = NULL;
        if (trunc) c->flags |= MBPF_CTX_F_TRUNCATED;
        if (c->field_count > MBPF_CTX_CUSTOM_MAX_FIELDS)
            c->field_count = MBPF_CTX_CUSTOM_MAX_FIELDS;
        if (c->fields && c->field_count)
            memcpy(r->fields, c->fields, c->field_count * sizeof *c->fields);
        c->fields = c->field_count ? r->fields : NULL;
        break;
    }
    default: break; /* TIMER: scalars only */
    }
}

static void drain_work(void *arg)
{
    mbpf_runtime_t *rt = arg;
    atomic_store_explicit(&rt->deferred.scheduled, 0, memory_order_release);
    mbpf_runtime_drain(rt, 0);
}

int deferred_enqueue(mbpf_runtime_t *rt, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len)
{
    deferred_t *d = &rt->deferred;
    if (!run_has_programs(rt, hook)) return 0;
    uint32_t pos = atomic_load_explicit(&d->head, memory_order_relaxed);
    for (;;) {
        uint32_t seq = atomic_load_explicit(&d->seq[pos & (d->depth - 1)], memory_order_acquire);
        int32_t diff = (int32_t)(seq - pos);
        if (diff == 0) {
            if (atomic_compare_exchange_weak_explicit(&d->head, &pos, pos + 1, memory_order_relaxed,
                                                      memory_order_relaxed))
                break;
        } else if (diff < 0) {
            u64_add(&d->dropped, 1);
            run_count_drop(rt, hook);
            return 0;
        } else {
            pos = atomic_load_explicit(&d->head, memory_order_relaxed);
        }
    }
    drecord_t *r = slot(d, pos);
    r->hook = hook;
    snapshot(d, r, MBPF_HOOK_ID_TYPE(hook), ctx, ctx_len);
    atomic_store_explicit(&d->seq[pos & (d->depth - 1)], pos + 1, memory_order_release);
    u64_add(&d->queued, 1);

    const mbpf_platform_t *pf = rt->pf;
    if (pf->defer && !atomic_exchange_explicit(&d->scheduled, 1, memory_order_acq_rel))
        if (pf->defer(pf->user, drain_work, rt) != 0)
            atomic_store_explicit(&d->scheduled, 0, memory_order_release);
    return 0;
}

uint32_t mbpf_runtime_drain(mbpf_runtime_t *rt, uint32_t max)
{
    if (!rt || !rt->deferred.records) return 0;
    deferred_t *d = &rt->deferred;
    uint32_t done = 0;
    while (max == 0 || done < max) {
        uint32_t pos = atomic_load_explicit(&d->tail, memory_order_relaxed);
        for (;;) {
            uint32_t seq =
                atomic_load_explicit(&d->seq[pos & (d->depth - 1)], memory_order_acquire);
            int32_t diff = (int32_t)(seq - (pos + 1));
            if (diff == 0) {
                if (atomic_compare_exchange_weak_explicit(
                        &d->tail, &pos, pos + 1, memory_order_relaxed, memory_order_relaxed))
                    break;
            } else if (diff < 0) {
                return done; /* empty (or the next record is still being written) */
            } else {
                pos = atomic_load_explicit(&d->tail, memory_order_relaxed);
            }
        }
        drecord_t *r = slot(d, pos);
        int32_t rc;
        run_hook(rt, r->hook, r->ctx_len ? (const void *)&r->ctx : NULL, r->ctx_len, &rc);
        atomic_store_explicit(&d->seq[pos & (d->depth - 1)], pos + d->depth, memory_order_release);
        u64_add(&d->run, 1);
        done++;
    }
    return done;
}

int mbpf_runtime_stats(const mbpf_runtime_t *rt, mbpf_runtime_stats_t *out)
{
    if (!rt || !out) return MBPF_E_INVALID_ARG;
    deferred_t *d = (deferred_t *)&rt->deferred;
    out->deferred_queued = u64_load(&d->queued);
    out->deferred_dropped = u64_load(&d->dropped);
    out->deferred_run = u64_load(&d->run);
    return 0;
}
