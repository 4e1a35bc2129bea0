/*
 * Helper state: install, per-run reset, the helper budget, and the argument
 * converters every helper uses.
 *
 * The one idea: the JS side holds only host objects whose opaque words
 * point into this state or at the current context blob, so a run re-points
 * a word or two and allocates nothing; everything a program could use to
 * escape its budget or capabilities is checked here, in C.
 */
#include "helpers_internal.h"

/* ---- budget and capabilities ---- */

static const char *cap_name(uint32_t cap)
{
    switch (cap) {
    case MBPF_CAP_LOG: return "CAP_LOG";
    case MBPF_CAP_MAP_READ: return "CAP_MAP_READ";
    case MBPF_CAP_MAP_WRITE: return "CAP_MAP_WRITE";
    case MBPF_CAP_MAP_ITERATE: return "CAP_MAP_ITERATE";
    case MBPF_CAP_EMIT: return "CAP_EMIT";
    case MBPF_CAP_TIME: return "CAP_TIME";
    case MBPF_CAP_STATS: return "CAP_STATS";
    }
    return "capability";
}

int helper_refuse(ujs_ctx *ctx, mbpf_helpers_t *h, uint32_t cap, const char *fn)
{
    if (h->exhausted || h->helper_calls >= h->max_helpers) {
        h->exhausted = true;
        ujs_abort(ctx); /* uncatchable: no catch/finally keeps the program alive */
        return -1;
    }
    h->helper_calls++;
    if (cap && !(h->caps & cap)) {
        ujs_throw_type_error(ctx, "%s: %s not granted", fn, cap_name(cap));
        return -1;
    }
    return 0;
}

/* ---- converters ---- */

int arg_u32(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, uint32_t *out)
{
    int32_t i;
    if (ujs_get_int32(v, &i) && i >= 0) { /* the common case: a small index */
        *out = (uint32_t)i;
        return 0;
    }
    double d;
    if (!ujs_is_number(v) || ujs_to_number(ctx, v, &d)) {
        ujs_throw_type_error(ctx, "%s: %s must be a number", fn, what);
        return -1;
    }
    if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint32_t)d) {
        ujs_throw_range_error(ctx, "%s: %s must be an integer in [0, 2^32)", fn, what);
        return -1;
    }
    *out = (uint32_t)d;
    return 0;
}

int arg_u8array(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, size_t *len)
{
    if (!ujs_is_u8array(ctx, v)) {
        ujs_throw_type_error(ctx, "%s: %s must be a Uint8Array", fn, what);
        return -1;
    }
    *len = ujs_u8array_len(ctx, v);
    return 0;
}

ujs_value u32_value(ujs_ctx *ctx, uint32_t v)
{
    if (v < 0x40000000u) return ujs_new_int32(ctx, (int32_t)v);
    ujs_value r;
    if (ujs_new_number(ctx, (double)v, &r)) return UJS_EXCEPTION;
    return r;
}

/* Checks that v can hold a u64 as [lo, hi]: an object (not a function)
 * with elements 0 and 1. Elements are probed with ujs_get_index, which
 * never allocates (a name lookup such as "length" may intern a string). */
static int u64_array_check(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what)
{
    if (!ujs_is_object(ctx, v) || ujs_is_function(ctx, v)) {
        ujs_throw_type_error(ctx, "%s: %s must be a u64 array [lo, hi] or a Uint8Array(8)", fn,
                             what);
        return -1;
    }
    ujs_value e;
    if (ujs_get_index(ctx, v, 1, &e)) return -1;
    if (e == UJS_UNDEFINED) {
        ujs_throw_range_error(ctx, "%s: %s must have 2 elements", fn, what);
        return -1;
    }
    return 0;
}

int u64_read(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, uint64_t *out)
{
    if (ujs_is_u8array(ctx, v)) {
        if (ujs_u8array_len(ctx, v) < 8) {
            ujs_throw_range_error(ctx, "%s: %s must have at least 8 bytes", fn, what);
            return -1;
        }
        const uint8_t *p = ujs_u8array_data(ctx, v);
        *out = (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
        return 0;
    }
    if (u64_array_check(ctx, v, fn, what)) return -1;
    uint32_t half[2];
    for (uint32_t i = 0; i < 2; i++) {
        ujs_value e;
        double d;
        if (ujs_get_index(ctx, v, i, &e)) return -1;
        if (!ujs_is_number(e) || ujs_to_number(ctx, e, &d)) {
            ujs_throw_type_error(ctx, "%s: %s[%u] must be a number", fn, what, i);
            return -1;
        }
        if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint32_t)d) {
            ujs_throw_range_error(ctx, "%s: %s[%u] must be an integer in [0, 2^32)", fn, what, i);
            return -1;
        }
        half[i] = (uint32_t)d;
    }
    *out = (uint64_t)half[0] | (uint64_t)half[1] << 32;
    return 0;
}

/* Stores a u32 into arr[i]. Values below 2^30 are small integers on every
 * target; larger ones too on 64-bit targets. On 32-bit targets they are
 * boxed doubles: an unchanged slot is left alone, otherwise one box is
 * allocated (the only allocation of a helper's success path, HELPERS.md). */
static int put_u32(ujs_ctx *ctx, ujs_value arr, uint32_t i, uint32_t v)
{
    if (v < 0x40000000u || sizeof(ujs_value) >= 8) {
        ujs_value nv;
        if (v < 0x40000000u) {
            nv = ujs_new_int32(ctx, (int32_t)v);
        } else if (ujs_new_number(ctx, (double)v, &nv)) {
            return -1;
        }
        return ujs_set_index(ctx, arr, i, nv);
    }
    ujs_value old;
    double d;
    if (!ujs_get_index(ctx, arr, i, &old) && ujs_is_number(old) && !ujs_to_number(ctx, old, &d) &&
        d == (double)v)
        return 0;
    ujs_ref r;
    ujs_push_ref(ctx, &r, arr);
    ujs_value nv;
    int st = ujs_new_number(ctx, (double)v, &nv);
    if (!st) st = ujs_set_index(ctx, r.val, i, nv);
    ujs_pop_ref(ctx, &r);
    return st;
}

int u64_write(ujs_ctx *ctx, ujs_value v, const char *fn, const char *what, uint64_t val)
{
    if (ujs_is_u8array(ctx, v)) {
        if (ujs_u8array_len(ctx, v) < 8) {
            ujs_throw_range_error(ctx, "%s: %s must have at least 8 bytes", fn, what);
            return -1;
        }
        uint8_t *p = ujs_u8array_data(ctx, v);
        put_le32(p, (uint32_t)val);
        put_le32(p + 4, (uint32_t)(val >> 32));
        return 0;
    }
    if (u64_array_check(ctx, v, fn, what)) return -1;
    ujs_ref r;
    ujs_push_ref(ctx, &r, v);
    int st = put_u32(ctx, r.val, 0, (uint32_t)val);
    if (!st) st = put_u32(ctx, r.val, 1, (uint32_t)(val >> 32));
    ujs_pop_ref(ctx, &r);
    return st;
}

/* ---- install ---- */

/* Object.defineProperty(globalThis, name, {value: v}): writable,
 * enumerable and configurable all false, so `name = x`, `delete name` and
 * redefinition throw TypeError in the program's strict code. */
static int define_readonly_global(ujs_ctx *ctx, const char *name, ujs_value v)
{
    ujs_ref rv, robj, rdef, rdesc, rname;
    ujs_push_ref(ctx, &rv, v);
    ujs_push_ref(ctx, &robj, UJS_UNDEFINED);
    ujs_push_ref(ctx, &rdef, UJS_UNDEFINED);
    ujs_push_ref(ctx, &rdesc, UJS_UNDEFINED);
    ujs_push_ref(ctx, &rname, UJS_UNDEFINED);
    int st = ujs_get_property(ctx, ujs_get_global_object(ctx), "Object", &robj.val);
    if (!st) st = ujs_get_property(ctx, robj.val, "defineProperty", &rdef.val);
    if (!st) st = ujs_new_object(ctx, &rdesc.val);
    if (!st) st = ujs_set_property(ctx, rdesc.val, "value", rv.val);
    if (!st) st = ujs_new_string(ctx, name, strlen(name), &rname.val);
    if (!st) {
        ujs_value args[3] = {ujs_get_global_object(ctx), rname.val, rdesc.val};
        st = ujs_call(ctx, rdef.val, UJS_UNDEFINED, 3, args, NULL);
    }
    if (st == UJS_EEXCEPTION) {
        ujs_get_exception(ctx);
        st = UJS_EINVAL;
    }
    ujs_pop_ref(ctx, &rname);
    ujs_pop_ref(ctx, &rdesc);
    ujs_pop_ref(ctx, &rdef);
    ujs_pop_ref(ctx, &robj);
    ujs_pop_ref(ctx, &rv);
    return st;
}

int mbpf_helpers_install(mbpf_helpers_t *h, ujs_ctx *ctx, const mbpf_helpers_config_t *cfg)
{
    memset(h, 0, sizeof *h);
    if (!cfg || cfg->map_count > MBPF_HELPERS_MAX_MAPS || (cfg->map_count && !cfg->maps))
        return UJS_EINVAL;
    h->ctx_cls = ctx_class_for_hook(cfg->hook_type);
    if (!h->ctx_cls) return UJS_EINVAL;
    h->hook_type = cfg->hook_type;
    h->caps = cfg->caps & MBPF_CAP_ALL;
    h->platform = cfg->platform;
    h->debug = cfg->debug;
    h->log_burst = cfg->log_burst ? cfg->log_burst : 16;
    h->log_per_sec = cfg->log_per_sec ? cfg->log_per_sec : 100;
    h->log_tokens = h->log_burst;
    h->log_refill_per_run = !(h->platform && h->platform->now_ns);
    ctx_bytes_locate(h);
    h->stats = cfg->stats;
    h->stats_user = cfg->stats_user;
    h->map_count = cfg->map_count;
    h->ring = -1;
    for (uint32_t i = 0; i < cfg->map_count; i++) {
        if (!cfg->maps[i] || !cfg->maps[i]->def.name[0]) return UJS_EINVAL;
        h->maps[i].map = cfg->maps[i];
        h->maps[i].h = h;
        if (h->ring < 0 && cfg->maps[i]->def.type == MBPF_MAP_RINGBUF) h->ring = (int)i;
    }
    ujs_set_opaque(ctx, h);

    ujs_add_ref(ctx, &h->ctx_obj, UJS_UNDEFINED);
    ujs_add_ref(ctx, &h->mbpf_obj, UJS_UNDEFINED);
    ujs_add_ref(ctx, &h->maps_obj, UJS_UNDEFINED);
    ujs_add_ref(ctx, &h->console_obj, UJS_UNDEFINED);
    for (uint32_t i = 0; i < h->map_count; i++) ujs_add_ref(ctx, &h->maps[i].obj, UJS_UNDEFINED);
    h->installed = true;

    int st = ujs_new_host_object(ctx, h->ctx_cls, h, &h->ctx_obj.val);
    if (!st) st = mbpf_obj_install(h, ctx);
    if (!st) st = maps_obj_install(h, ctx);
    if (!st) st = define_readonly_global(ctx, "mbpf", h->mbpf_obj.val);
    if (!st) st = define_readonly_global(ctx, "maps", h->maps_obj.val);
    if (!st && h->debug) {
        st = ujs_new_host_object(ctx, &helpers_console_cls, h, &h->console_obj.val);
        if (!st) st = define_readonly_global(ctx, "console", h->console_obj.val);
    }
    if (st == UJS_EEXCEPTION) {
        ujs_get_exception(ctx);
        st = UJS_EINVAL;
    }
    h->max_helpers = 0;
    return st;
}

void mbpf_helpers_uninstall(mbpf_helpers_t *h, ujs_ctx *ctx)
{
    if (!h->installed) return;
    for (uint32_t i = 0; i < h->map_count; i++) ujs_remove_ref(ctx, &h->maps[i].obj);
    ujs_remove_ref(ctx, &h->console_obj);
    ujs_remove_ref(ctx, &h->maps_obj);
    ujs_remove_ref(ctx, &h->mbpf_obj);
    ujs_remove_ref(ctx, &h->ctx_obj);
    h->installed = false;
}

ujs_value mbpf_helpers_ctx_value(const mbpf_helpers_t *h)
{
    return h->ctx_obj.val;
}

bool mbpf_helpers_budget_exhausted(const mbpf_helpers_t *h)
{
    return h->exhausted;
}

uint32_t mbpf_helpers_calls(const mbpf_helpers_t *h)
{
    return h->helper_calls;
}

uint64_t mbpf_helpers_log_dropped(const mbpf_helpers_t *h)
{
    return h->log_dropped;
}
