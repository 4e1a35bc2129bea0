/*
 * The heap and its collector: bump allocation in [heap_start, heap_end) of
 * the context buffer, and a mark + sliding-compaction GC (Jonkers' pointer
 * threading), which needs no forwarding word per block and no side table.
 *
 * Invariant: every word of a live block that holds a value holds a valid
 * value (slots are filled with undefined at allocation), every pointer value
 * into the heap points at a block header, and a header's low two bits are 11
 * while a threaded slot address's are 00. Roots are the context's value
 * fields, the value stack [stack_base, sp) and the scoped and persistent
 * refs. Raw pointers into the heap held by C code die at every allocation.
 */
#include "value.h"

bool heap_contains(ujs_ctx *ctx, ujs_value v)
{
    return v_is_ptr(v) && (uword *)v >= ctx->heap_start && (uword *)v < ctx->heap_top;
}

/* Calls fn on every value slot of block p (which must have a readable header h). */
#define FOR_EACH_SLOT(p, h, SLOT_ACTION)                                                           \
    do {                                                                                           \
        uword *s_ = (p) + 1, *e_ = (p) + hdr_words(h);                                             \
        switch (hdr_type(h)) {                                                                     \
        case T_OBJECT: {                                                                           \
            obj *o_ = (obj *)(p);                                                                  \
            if (obj_class(o_) == C_HOST) {                                                         \
                SLOT_ACTION(&o_->proto);                                                           \
                SLOT_ACTION(&o_->props);                                                           \
            } else if (obj_class(o_) == C_CFUNC) {                                                 \
                SLOT_ACTION(&o_->proto);                                                           \
                SLOT_ACTION(&o_->props);                                                           \
                for (uword *q_ = (uword *)&o_->x[1]; q_ < e_; q_++) SLOT_ACTION(q_);               \
            } else {                                                                               \
                SLOT_ACTION(&o_->proto);                                                           \
                SLOT_ACTION(&o_->props);                                                           \
                for (uword *q_ = (uword *)&o_->x[0]; q_ < e_; q_++) SLOT_ACTION(q_);               \
            }                                                                                      \
            break;                                                                                 \
        }                                                                                          \
        case T_PROPS:                                                                              \
        case T_VALARR:                                                                             \
        case T_VARREF:                                                                             \
            for (; s_ < e_; s_++) SLOT_ACTION(s_);                                                 \
            break;                                                                                 \
        case T_FUNCBC: {                                                                           \
            funcbc *f_ = (funcbc *)(p);                                                            \
            SLOT_ACTION(&f_->cpool);                                                               \
            SLOT_ACTION(&f_->name);                                                                \
            if (!fb_is_extern(f_)) SLOT_ACTION(&f_->filename);                                     \
            break;                                                                                 \
        }                                                                                          \
        default: break;                                                                            \
        }                                                                                          \
    } while (0)

/* ---- marking ---- */

typedef struct marker {
    ujs_ctx *ctx;
    uword *stk, *stk_top, *stk_end; /* mark stack in the free area */
    bool overflow;
} marker;

static void mark_value(marker *m, ujs_value v)
{
    if (!heap_contains(m->ctx, v)) return;
    uword *p = v_ptr(v);
    if (*p & HDR_MARK) return;
    *p |= HDR_MARK;
    unsigned t = hdr_type(*p);
    if (t == T_FLOAT || t == T_STRING || t == T_BYTES) return;
    if (m->stk_top < m->stk_end)
        *m->stk_top++ = (uword)p;
    else
        m->overflow = true;
}

#define MARK_SLOT(s) mark_value(m, *(s))

static void mark_children(marker *m, uword *p)
{
    uword h = *p;
    FOR_EACH_SLOT(p, h, MARK_SLOT);
}

static void drain(marker *m)
{
    while (m->stk_top > m->stk) mark_children(m, (uword *)*--m->stk_top);
}

static void for_each_root(ujs_ctx *ctx, void (*fn)(void *, uword *), void *arg)
{
    fn(arg, &ctx->global);
    fn(arg, &ctx->atoms);
    fn(arg, &ctx->exception);
    for (size_t i = 0; i < sizeof ctx->scratch / sizeof ctx->scratch[0]; i++)
        fn(arg, &ctx->scratch[i]);
    for (ujs_value *s = ctx->stack_base; s < ctx->sp; s++) fn(arg, s);
    for (ujs_ref *r = ctx->scoped; r; r = r->prev) fn(arg, &r->val);
    for (ujs_ref *r = ctx->persistent.next; r != &ctx->persistent; r = r->next) fn(arg, &r->val);
}

static void mark_root(void *arg, uword *slot)
{
    marker *m = arg;
    mark_value(m, *slot);
    drain(m);
}

/* ---- threading ---- */

static void thread_slot(ujs_ctx *ctx, uword *slot)
{
    ujs_value v = *slot;
    if (!heap_contains(ctx, v)) return;
    uword *p = v_ptr(v);
    *slot = *p;
    *p = (uword)slot;
}

static void thread_root(void *arg, uword *slot)
{
    thread_slot(arg, slot);
}

/* Points every slot threaded on p's chain at newaddr and restores p's header. */
static void unthread(uword *p, uword newaddr)
{
    uword w = *p;
    while ((w & 3) != 3) {
        uword *slot = (uword *)w;
        w = *slot;
        *slot = newaddr;
    }
    *p = w;
}

#define THREAD_SLOT(s) thread_slot(ctx, (s))

/* A dead host object's finalizer runs during the sweep (it may not call the engine). */
static void finalize(uword *p)
{
    if (hdr_type(*p) != T_OBJECT || obj_class((obj *)p) != C_HOST) return;
    obj *o = (obj *)p;
    const ujs_class_def *cls = (const ujs_class_def *)o->x[0];
    if (cls && cls->finalizer) cls->finalizer((void *)o->x[1]);
    o->x[0] = 0;
}

void heap_finalize_all(ujs_ctx *ctx)
{
    for (uword *p = ctx->heap_start; p < ctx->heap_top; p += hdr_words(*p)) finalize(p);
}

#ifdef UJS_GC_STRESS
/* Stress mode: after compacting, slide the whole heap up by a filler block
 * (garbage at the next collection, which slides everything back down). The
 * filler is 2 words after odd-numbered collections and 4 after even ones, so
 * each collection slides a block by a different amount than the last one
 * and every live object moves at every collection, not only those above
 * garbage. Even sizes keep blocks' 2-word alignment parity. */
static uword stress_delta;

static void relocate(void *arg, uword *slot)
{
    ujs_ctx *ctx = arg;
    if (heap_contains(ctx, *slot)) *slot += stress_delta;
}

#define RELOCATE_SLOT(s) relocate(ctx, (s))

static void shift_up(ujs_ctx *ctx)
{
    const uword n = (ctx->gc_count & 1) ? 2 : 4;
    if ((uword)(ctx->heap_end - ctx->heap_top) < n) return;
    stress_delta = n * WSIZE;
    for (uword *p = ctx->heap_start; p < ctx->heap_top; p += hdr_words(*p)) {
        uword h = *p;
        FOR_EACH_SLOT(p, h, RELOCATE_SLOT);
    }
    for_each_root(ctx, relocate, ctx);
    memmove(ctx->heap_start + n, ctx->heap_start,
            (size_t)(ctx->heap_top - ctx->heap_start) * WSIZE);
    ctx->heap_start[0] = hdr_make(n, T_FREE);
    for (uword i = 1; i < n; i++) ctx->heap_start[i] = 0;
    ctx->heap_top += n;
}
#endif

void gc_collect(ujs_ctx *ctx)
{
    if (ctx->in_gc) return;
    ctx->in_gc = true;
    ctx->gc_count++;
    gcache_clear(ctx);     /* its slots are about to move */
    heap_update_peak(ctx); /* heap_top only grows between collections */

    marker m = {ctx, ctx->heap_top, ctx->heap_top, ctx->heap_end, false};
    for_each_root(ctx, mark_root, &m);
    while (m.overflow) {
        m.overflow = false;
        for (uword *p = ctx->heap_start; p < ctx->heap_top; p += hdr_words(*p)) {
            if (*p & HDR_MARK) {
                mark_children(&m, p);
                drain(&m);
            }
        }
    }

    /* Phase 1: thread roots. Phase 2: resolve forward references and roots,
     * thread the slots of live blocks. Phase 3: resolve backward references
     * and slide each live block down. */
    for_each_root(ctx, thread_root, ctx);
    uword *to = ctx->heap_start;
    for (uword *p = ctx->heap_start; p < ctx->heap_top;) {
        unthread(p, (uword)to);
        uword h = *p, n = hdr_words(h);
        if (h & HDR_MARK) {
            FOR_EACH_SLOT(p, h, THREAD_SLOT);
            to += n;
        } else {
            /* a run of dead blocks becomes one free block, which the
             * sliding pass skips in one step. A threaded header (low bits
             * not 11) is a live block's: only live blocks are pointed at. */
            finalize(p);
            const uword max = ~(uword)0 >> 8;
            uword *q = p + n;
            while (q < ctx->heap_top && (*q & (3 | HDR_MARK)) == 3 && n + hdr_words(*q) <= max) {
                finalize(q);
                n += hdr_words(*q);
                q = p + n;
            }
            *p = hdr_make(n, T_FREE);
        }
        p += n;
    }
    to = ctx->heap_start;
    for (uword *p = ctx->heap_start; p < ctx->heap_top;) {
        unthread(p, (uword)to);
        uword h = *p, n = hdr_words(h);
        if (h & HDR_MARK) {
            *p = h & ~(uword)HDR_MARK;
            if (to != p) memmove(to, p, n * WSIZE);
            to += n;
        }
        p += n;
    }
    ctx->heap_top = to;
    for (int i = 0; i < UJS_HOST_CACHE; i++) ctx->host_cache_atom[i] = 0;
#ifdef UJS_GC_STRESS
    shift_up(ctx);
#endif
    ctx->in_gc = false;
}

void *heap_alloc(ujs_ctx *ctx, uword words, unsigned type)
{
#ifdef UJS_GC_STRESS
    gc_collect(ctx);
#endif
    if (words > (uword)(ctx->heap_end - ctx->heap_top)) {
        gc_collect(ctx);
        if (words > (uword)(ctx->heap_end - ctx->heap_top)) return NULL;
    }
    uword *p = ctx->heap_top;
    ctx->heap_top += words;
    p[0] = hdr_make(words, type);
    /* value slots start valid (the GC invariant); floats and strings have
     * none and their creators write every byte that is read */
    if (type != T_FLOAT && type != T_STRING)
        for (uword i = 1; i < words; i++) p[i] = V_UNDEFINED;
    return p;
}

void heap_update_peak(ujs_ctx *ctx)
{
    uword used = (uword)(ctx->heap_top - ctx->heap_start) * WSIZE;
    if (used > ctx->heap_peak) ctx->heap_peak = used;
}
