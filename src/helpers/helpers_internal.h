/*
 * Shared by the helper files: argument conversion with exact errors, the
 * helper budget and capability gate, u64 values, and the class tables.
 *
 * Every converter either succeeds without allocating or throws (returns
 * nonzero with a pending exception) — callers then return UJS_EXCEPTION.
 * Pointers from ujs_u8array_data are taken last, after every conversion,
 * and used before anything that may allocate.
 */
#ifndef MBPF_HELPERS_INTERNAL_H
#define MBPF_HELPERS_INTERNAL_H

#include <string.h>

#include "mbpf_helpers.h"
#include "mbpf_map.h"

#define ARG(i) ((i) < argc ? argv[(i)] : UJS_UNDEFINED)

/* The state of the running context (install sets it as the ctx opaque). */
static inline mbpf_helpers_t *helpers_of(ujs_ctx *ctx)
{
    return (mbpf_helpers_t *)ujs_get_opaque(ctx);
}

/* helper_enter's refusals: the uncatchable stop of an exhausted budget, or
 * (after counting the call) a capability TypeError. Returns 0 if neither
 * applies after all. */
int helper_refuse(ujs_ctx *ctx, mbpf_helpers_t *h, uint32_t cap, const char *fn);

/* Counts one helper call and checks cap (0: none). Returns 0 to proceed;
 * otherwise the caller returns UJS_EXCEPTION at once (a capability
 * TypeError, or the uncatchable stop of an exhausted budget). Inline: every
 * helper call passes here, and the call that is allowed needs no message. */
static inline int helper_enter(ujs_ctx *ctx, mbpf_helpers_t *h, uint32_t cap, const char *fn)
{
    if (!h->exhausted && h->helper_calls < h->max_helpers && (h->caps & cap) == cap) {
        h->helper_calls++;
        return 0;
    }
    return helper_refuse(ctx, h, cap, fn);
}

/* Converters. fn names the method in messages ("readU8"), what the argument
 * ("offset"). */
int arg_u32(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, uint32_t *out);
int arg_u8array(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, size_t *len);

/* u64 values: an Array [lo, hi] (numbers 0..2^32-1), or a Uint8Array of at
 * least 8 bytes holding the value little-endian at offset 0 (allocation-free
 * on every target). */
int u64_read(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, uint64_t *out);
int u64_write(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, uint64_t val);

/* A u32 as a JS number: a small integer below 2^30 (never allocates);
 * above that, a small integer on 64-bit targets and a boxed double on
 * 32-bit ones (UJS_EXCEPTION if the heap is exhausted). */
ujs_value u32_value(ujs_ctx *ctx, uint32_t v);

static inline void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Map operations shared by maps.NAME methods and mbpf.map* helpers. */
ujs_value map_op_lookup(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key, ujs_value out,
                        const char *fn);
ujs_value map_op_update(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key, ujs_value val,
                        ujs_value flags, const char *fn);
ujs_value map_op_delete(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key, const char *fn);

/* Install pieces (one per file). */
int mbpf_obj_install(mbpf_helpers_t *h, ujs_ctx *ctx);
/* ctx.c: records where the hook type's struct keeps its readable bytes
 * (h->ctx_has_bytes, ctx_off_*), for mbpf_helpers_begin_run. */
void ctx_bytes_locate(mbpf_helpers_t *h);
int maps_obj_install(mbpf_helpers_t *h, ujs_ctx *ctx);
const ujs_class_def *ctx_class_for_hook(uint32_t hook_type);
extern const ujs_class_def helpers_console_cls;

#endif
