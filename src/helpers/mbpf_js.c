/*
 * The `mbpf` object (spec §11) and, in debug mode, `console`.
 *
 * `mbpf` is a host object: apiVersion and the map flag constants are
 * read-only properties; the helpers are methods from a const master table,
 * copied at install into the instance's class only when the program holds
 * their capability. Each helper counts against max_helpers and re-checks
 * its capability when called.
 */
#include "helpers_internal.h"

/* ---- log ---- */

/* Token bucket: log_burst messages at once, refilled at log_per_sec from
 * the platform clock; without a clock the bucket refills at each run. */
static bool log_take(mbpf_helpers_t *h)
{
    const mbpf_platform_t *p = h->platform;
    if (p && p->now_ns) {
        uint64_t now = p->now_ns(p->user);
        uint32_t per = h->log_per_sec > 1000000000u ? 1000000000u : h->log_per_sec;
        uint32_t ns_per_token = 1000000000u / per;
        uint64_t elapsed = now - h->log_last_ns;
        uint64_t full = (uint64_t)h->log_burst * ns_per_token;
        if (now < h->log_last_ns) {
            h->log_last_ns = now;
        } else if (elapsed >= full || elapsed > 0xffffffffu) {
            h->log_tokens = h->log_burst;
            h->log_last_ns = now;
        } else {
            uint32_t add = (uint32_t)elapsed / ns_per_token;
            if (add) {
                h->log_tokens =
                    h->log_tokens + add > h->log_burst ? h->log_burst : h->log_tokens + add;
                h->log_last_ns += (uint64_t)add * ns_per_token;
            }
        }
    }
    if (!h->log_tokens) {
        h->log_dropped++;
        return false;
    }
    h->log_tokens--;
    return true;
}

static ujs_value do_log(ujs_ctx *ctx, mbpf_helpers_t *h, int level, ujs_value msg, const char *fn)
{
    char buf[MBPF_HELPERS_LOG_MAX];
    size_t len;
    if (ujs_to_cstring(ctx, msg, buf, sizeof buf, &len)) return UJS_EXCEPTION;
    if (len >= sizeof buf) len = sizeof buf - 1;
    (void)fn;
    if (level == MBPF_LOG_DEBUG && !h->debug) return UJS_UNDEFINED;
    if (!log_take(h)) return UJS_UNDEFINED;
    if (h->platform && h->platform->log) h->platform->log(h->platform->user, level, buf, len);
    return UJS_UNDEFINED;
}

/* mbpf.log(level, msg): level 0 DEBUG (debug mode only), 1 INFO, 2 WARN,
 * 3 ERROR; msg converted with ToString and cut to 127 bytes. */
static ujs_value h_log(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.log";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_LOG, fn)) return UJS_EXCEPTION;
    uint32_t level;
    if (arg_u32(ctx, ARG(0), fn, "level", &level)) return UJS_EXCEPTION;
    if (level > MBPF_LOG_ERROR)
        return ujs_throw_range_error(ctx, "%s: level must be 0..3, got %u", fn, level);
    return do_log(ctx, h, (int)level, ARG(1), fn);
}

static ujs_value console_log(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "console.log";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_LOG, fn)) return UJS_EXCEPTION;
    return do_log(ctx, h, MBPF_LOG_INFO, ARG(0), fn);
}

static const ujs_cfunc_def console_methods[] = {{"log", console_log, 1}, {NULL, NULL, 0}};
const ujs_class_def helpers_console_cls = {"Console", console_methods, NULL, NULL};

/* ---- u64 ---- */

/* off u32 with off + 8 <= bytes.length; returns 0 or -1 after throwing. */
static int u64_slot(ujs_ctx *ctx, int argc, ujs_value *argv, const char *fn, uint32_t *off)
{
    size_t n;
    if (arg_u8array(ctx, ARG(0), fn, "bytes", &n) || arg_u32(ctx, ARG(1), fn, "offset", off))
        return -1;
    if (n < 8 || *off > n - 8) {
        ujs_throw_range_error(ctx, "%s: offset %u + 8 out of bounds (length %u)", fn, *off,
                              (uint32_t)n);
        return -1;
    }
    return 0;
}

/* mbpf.u64LoadLE(bytes, off, out): out = [lo, hi] of bytes[off..off+8). */
static ujs_value h_u64load(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.u64LoadLE";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, 0, fn)) return UJS_EXCEPTION;
    uint32_t off;
    if (u64_slot(ctx, argc, argv, fn, &off)) return UJS_EXCEPTION;
    if (!ujs_is_object(ctx, ARG(2)) || ujs_is_u8array(ctx, ARG(2)))
        return ujs_throw_type_error(ctx, "%s: out must be a u64 array [lo, hi]", fn);
    const uint8_t *p = ujs_u8array_data(ctx, ARG(0)) + off;
    uint64_t v = (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
    if (u64_write(ctx, ARG(2), fn, "out", v)) return UJS_EXCEPTION;
    return UJS_UNDEFINED;
}

/* mbpf.u64StoreLE(bytes, off, val): bytes[off..off+8) = val, little-endian. */
static ujs_value h_u64store(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.u64StoreLE";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, 0, fn)) return UJS_EXCEPTION;
    uint32_t off;
    uint64_t v;
    if (u64_slot(ctx, argc, argv, fn, &off)) return UJS_EXCEPTION;
    if (!ujs_is_object(ctx, ARG(2)) || ujs_is_u8array(ctx, ARG(2)))
        return ujs_throw_type_error(ctx, "%s: val must be a u64 array [lo, hi]", fn);
    if (u64_read(ctx, ARG(2), fn, "val", &v)) return UJS_EXCEPTION;
    uint8_t *p = ujs_u8array_data(ctx, ARG(0)) + off;
    put_le32(p, (uint32_t)v);
    put_le32(p + 4, (uint32_t)(v >> 32));
    return UJS_UNDEFINED;
}

/* ---- time, stats, events ---- */

static ujs_value h_now(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.nowNs";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_TIME, fn)) return UJS_EXCEPTION;
    if (!h->platform || !h->platform->now_ns)
        return ujs_throw_error(ctx, "%s: the platform has no clock", fn);
    uint64_t now = h->platform->now_ns(h->platform->user);
    if (u64_write(ctx, ARG(0), fn, "out", now)) return UJS_EXCEPTION;
    return UJS_UNDEFINED;
}

/* mbpf.stats(out): out a Uint8Array; the program's statistics as u64 LE
 * fields in mbpf_program_stats_t order, as many whole fields as fit (at
 * most MBPF_HELPERS_STATS_N); returns the number written. */
static ujs_value h_stats(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.stats";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_STATS, fn)) return UJS_EXCEPTION;
    size_t n;
    if (arg_u8array(ctx, ARG(0), fn, "out", &n)) return UJS_EXCEPTION;
    if (n < 8) return ujs_throw_range_error(ctx, "%s: out must have at least 8 bytes", fn);
    mbpf_program_stats_t s;
    memset(&s, 0, sizeof s);
    if (h->stats && h->stats(h->stats_user, &s) < 0)
        return ujs_throw_error(ctx, "%s: statistics unavailable", fn);
    const uint64_t f[MBPF_HELPERS_STATS_N] = {
        s.invocations,   s.successes,       s.soft_failures, s.exceptions, s.oom,
        s.budget_steps,  s.budget_helpers,  s.budget_time,   s.nested,     s.ctx_mismatch,
        s.breaker_trips, s.breaker_skipped, s.deferred_drops};
    uint32_t count = (uint32_t)(n / 8 < MBPF_HELPERS_STATS_N ? n / 8 : MBPF_HELPERS_STATS_N);
    uint8_t *p = ujs_u8array_data(ctx, ARG(0));
    for (uint32_t i = 0; i < count; i++) {
        put_le32(p + 8 * i, (uint32_t)f[i]);
        put_le32(p + 8 * i + 4, (uint32_t)(f[i] >> 32));
    }
    return ujs_new_int32(ctx, (int32_t)count);
}

/* mbpf.emit(eventId, bytes) -> true, or false if the ring is full. The
 * record written to the program's first ring buffer map is eventId as a
 * u32 LE followed by bytes. */
static ujs_value h_emit(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.emit";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_EMIT, fn)) return UJS_EXCEPTION;
    uint32_t id;
    size_t n;
    if (arg_u32(ctx, ARG(0), fn, "eventId", &id) || arg_u8array(ctx, ARG(1), fn, "bytes", &n))
        return UJS_EXCEPTION;
    if (h->ring < 0) return ujs_throw_error(ctx, "%s: the program has no ring buffer map", fn);
    const mbpf_map_t *ring = h->maps[h->ring].map;
    uint32_t limit = ring->def.value_size ? ring->def.value_size
                                          : ring->def.max_entries - MBPF_MAP_RING_RECORD_HDR;
    if (n > limit - 4)
        return ujs_throw_range_error(ctx, "%s: %u bytes exceed the ring buffer's limit of %u", fn,
                                     (uint32_t)n, limit - 4);
    uint8_t id_le[4];
    put_le32(id_le, id);
    /* no allocation between taking the bytes and the copy into the ring */
    mbpf_map_iov_t rec[2] = {{id_le, 4}, {ujs_u8array_data(ctx, ARG(1)), n}};
    int err = mbpf_map_ringbuf_outputv(h->maps[h->ring].map, rec, 2);
    if (err == MBPF_MAP_E_RING_FULL) return UJS_FALSE;
    if (err)
        return ujs_throw_range_error(ctx, "%s: %u-byte record refused by the ring buffer (%s)", fn,
                                     (uint32_t)n + 4u, mbpf_map_strerror(err));
    return UJS_TRUE;
}

/* ---- low-level map helpers (spec §11.3): mapId = manifest position ---- */

static mbpf_helpers_map_t *map_by_id(ujs_ctx *ctx, mbpf_helpers_t *h, ujs_value id, const char *fn)
{
    uint32_t i;
    if (arg_u32(ctx, id, fn, "mapId", &i)) return NULL;
    if (i >= h->map_count) {
        ujs_throw_range_error(ctx, "%s: mapId %u out of range (%u maps)", fn, i, h->map_count);
        return NULL;
    }
    return &h->maps[i];
}

static ujs_value h_map_lookup(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.mapLookup";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_MAP_READ, fn)) return UJS_EXCEPTION;
    mbpf_helpers_map_t *hm = map_by_id(ctx, h, ARG(0), fn);
    return hm ? map_op_lookup(ctx, hm, ARG(1), ARG(2), fn) : UJS_EXCEPTION;
}

static ujs_value h_map_update(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.mapUpdate";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_MAP_WRITE, fn)) return UJS_EXCEPTION;
    mbpf_helpers_map_t *hm = map_by_id(ctx, h, ARG(0), fn);
    return hm ? map_op_update(ctx, hm, ARG(1), ARG(2), ARG(3), fn) : UJS_EXCEPTION;
}

static ujs_value h_map_delete(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)t, (void)d;
    static const char fn[] = "mbpf.mapDelete";
    mbpf_helpers_t *h = helpers_of(ctx);
    if (helper_enter(ctx, h, MBPF_CAP_MAP_WRITE, fn)) return UJS_EXCEPTION;
    mbpf_helpers_map_t *hm = map_by_id(ctx, h, ARG(0), fn);
    return hm ? map_op_delete(ctx, hm, ARG(1), fn) : UJS_EXCEPTION;
}

/* ---- the object ---- */

typedef struct gated {
    ujs_cfunc_def def;
    uint32_t cap; /* 0: always */
} gated;

static const gated mbpf_master[] = {
    {{"log", h_log, 2}, MBPF_CAP_LOG},
    {{"u64LoadLE", h_u64load, 3}, 0},
    {{"u64StoreLE", h_u64store, 3}, 0},
    {{"nowNs", h_now, 1}, MBPF_CAP_TIME},
    {{"stats", h_stats, 1}, MBPF_CAP_STATS},
    {{"emit", h_emit, 2}, MBPF_CAP_EMIT},
    {{"mapLookup", h_map_lookup, 3}, MBPF_CAP_MAP_READ},
    {{"mapUpdate", h_map_update, 4}, MBPF_CAP_MAP_WRITE},
    {{"mapDelete", h_map_delete, 2}, MBPF_CAP_MAP_WRITE},
    {{NULL, NULL, 0}, 0},
};

_Static_assert(sizeof mbpf_master / sizeof mbpf_master[0] <= 10, "fits mbpf_methods");

static ujs_value p_api(ujs_ctx *ctx, ujs_value t, void *o)
{
    (void)t, (void)o;
    return ujs_new_int32(ctx, (int32_t)MBPF_API_VERSION);
}
static ujs_value p_any(ujs_ctx *ctx, ujs_value t, void *o)
{
    (void)t, (void)o;
    return ujs_new_int32(ctx, MBPF_MAP_ANY);
}
static ujs_value p_noexist(ujs_ctx *ctx, ujs_value t, void *o)
{
    (void)t, (void)o;
    return ujs_new_int32(ctx, MBPF_MAP_NOEXIST);
}
static ujs_value p_exist(ujs_ctx *ctx, ujs_value t, void *o)
{
    (void)t, (void)o;
    return ujs_new_int32(ctx, MBPF_MAP_EXIST);
}
static const ujs_host_prop_def mbpf_props[] = {{"apiVersion", p_api},
                                               {"ANY", p_any},
                                               {"NOEXIST", p_noexist},
                                               {"EXIST", p_exist},
                                               {NULL, NULL}};

int mbpf_obj_install(mbpf_helpers_t *h, ujs_ctx *ctx)
{
    uint32_t n = 0;
    for (const gated *g = mbpf_master; g->def.name; g++) {
        if (g->cap && !(h->caps & g->cap)) continue;
        if (g->def.func == h_now && !(h->platform && h->platform->now_ns)) continue;
        if (g->def.func == h_emit && h->ring < 0) continue;
        h->mbpf_methods[n++] = g->def;
    }
    h->mbpf_methods[n] = (ujs_cfunc_def){NULL, NULL, 0};
    h->mbpf_cls = (ujs_class_def){"Mbpf", h->mbpf_methods, mbpf_props, NULL};
    return ujs_new_host_object(ctx, &h->mbpf_cls, h, &h->mbpf_obj.val);
}
