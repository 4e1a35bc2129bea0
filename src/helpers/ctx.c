/*
 * The `ctx` host classes, one per hook context struct (include/mbpf_ctx.h):
 * read-only scalar properties and bounded byte reads (spec §9.2-§9.4).
 *
 * There is one ctx object per instance; its opaque word is the helper state,
 * whose ctx_blob the executor points at each run's struct and clears after
 * it. So a run allocates nothing, and a ctx a program keeps past its run
 * reads nothing: properties are undefined and methods throw. Every read is
 * checked against data_len before data or read_fn is touched.
 */
#include "helpers_internal.h"

#include "mbpf_ctx.h"

typedef struct view {
    const void *blob;
    const uint8_t *data;
    uint32_t len;
    mbpf_read_bytes_fn read_fn;
} view;

/* Where each hook type's struct keeps its readable bytes (TIMER: none). */
typedef struct bytes_at {
    uint8_t has, data, len, read_fn;
} bytes_at;

#define BYTES_AT(T)                                                                                \
    {                                                                                              \
        1, offsetof(T, data), offsetof(T, data_len), offsetof(T, read_fn)                          \
    }
static const bytes_at bytes_of_hook[MBPF_HOOK_TYPE_MAX + 1] = {
    [MBPF_HOOK_NET_RX] = BYTES_AT(mbpf_ctx_net_v1_t),
    [MBPF_HOOK_NET_TX] = BYTES_AT(mbpf_ctx_net_v1_t),
    [MBPF_HOOK_TRACEPOINT] = BYTES_AT(mbpf_ctx_tracepoint_v1_t),
    [MBPF_HOOK_SECURITY] = BYTES_AT(mbpf_ctx_security_v1_t),
    [MBPF_HOOK_CUSTOM] = BYTES_AT(mbpf_ctx_custom_v1_t),
};

void ctx_bytes_locate(mbpf_helpers_t *h)
{
    const bytes_at *at = &bytes_of_hook[h->hook_type <= MBPF_HOOK_TYPE_MAX ? h->hook_type : 0];
    h->ctx_has_bytes = at->has;
    h->ctx_off_data = at->data;
    h->ctx_off_len = at->len;
    h->ctx_off_read = at->read_fn;
}

/* The current run's bytes (h->ctx_blob is set). */
static void get_view(const mbpf_helpers_t *h, view *v)
{
    v->blob = h->ctx_blob;
    v->data = h->ctx_data;
    v->len = h->ctx_len;
    v->read_fn = NULL;
    if (h->ctx_has_bytes)
        memcpy(&v->read_fn, (const uint8_t *)h->ctx_blob + h->ctx_off_read, sizeof v->read_fn);
}

/* The state of a method's ctx object, or NULL after throwing. */
static mbpf_helpers_t *ctx_this(ujs_ctx *ctx, ujs_value this_val, const char *fn)
{
    mbpf_helpers_t *h = helpers_of(ctx);
    if (!h || ujs_get_host_opaque(ctx, this_val, h->ctx_cls) != h) {
        ujs_throw_type_error(ctx, "%s: this is not the context object", fn);
        return NULL;
    }
    if (!h->ctx_blob) {
        ujs_throw_type_error(ctx, "%s: the context is only valid during its run", fn);
        return NULL;
    }
    return h;
}

/* Reads n bytes at off into dst; returns the count, or -1 after throwing.
 * exact: a short read throws (readU*), else it returns the count. */
static int read_at(ujs_ctx *ctx, const view *v, uint32_t off, uint32_t n, uint8_t *dst, bool exact,
                   const char *fn)
{
    if (n == 0) return 0;
    if (v->data) {
        memcpy(dst, v->data + off, n);
        return (int)n;
    }
    if (!v->read_fn) {
        ujs_throw_range_error(ctx, "%s: the context has no readable bytes", fn);
        return -1;
    }
    int got = v->read_fn(v->blob, off, n, dst);
    if (got < 0) {
        ujs_throw_error(ctx, "%s: read of %u bytes at offset %u failed (%d)", fn, n, off, got);
        return -1;
    }
    if ((uint32_t)got > n) got = (int)n;
    if (exact && (uint32_t)got < n) {
        ujs_throw_range_error(ctx, "%s: short read at offset %u (%d of %u bytes)", fn, off, got, n);
        return -1;
    }
    return got;
}

/* The n-byte unsigned value at p (n = 1, 2 or 4). */
static inline uint32_t load_scalar(const uint8_t *p, uint32_t n, bool be)
{
    if (n == 1) return p[0];
    if (n == 2) return be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
    return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : get_le32(p);
}

/* The common case of a scalar read, in a few checks: a method's data
 * word, which is the helper state when this is the ctx object (ujs.h; one
 * per instance), a small-int offset, n bytes in memory there. Returns
 * them, or NULL for the checked path. */
static inline const uint8_t *fast_bytes(ujs_value data, ujs_value offset, uint32_t n)
{
    const mbpf_helpers_t *h = (const mbpf_helpers_t *)data;
    int32_t o;
    if (h && h->ctx_data && ujs_get_small_int32(offset, &o) && o >= 0 && (uint32_t)o < h->ctx_len &&
        n <= h->ctx_len - (uint32_t)o)
        return h->ctx_data + o;
    return NULL;
}

/* A scalar read of n bytes (1, 2 or 4; big-endian if n has READ_BE) at
 * offset; six word arguments, so the readers' calls are tail calls. */
#define READ_BE 0x100u
static ujs_value read_scalar(ujs_ctx *ctx, ujs_value this_val, ujs_value offset, ujs_value data,
                             uint32_t n, const char *fn)
{
    bool be = (n & READ_BE) != 0;
    n &= ~READ_BE;
    const uint8_t *fast = fast_bytes(data, offset, n);
    if (fast) return u32_value(ctx, load_scalar(fast, n, be));
    mbpf_helpers_t *h = ctx_this(ctx, this_val, fn);
    if (!h) return UJS_EXCEPTION;
    uint32_t off;
    if (arg_u32(ctx, offset, fn, "offset", &off)) return UJS_EXCEPTION;
    view v;
    get_view(h, &v);
    if (off >= v.len || n > v.len - off)
        return ujs_throw_range_error(ctx, "%s: offset %u out of bounds (data_len %u)", fn, off,
                                     v.len);
    uint8_t b[4];
    const uint8_t *p = b;
    if (v.data) {
        p = v.data + off; /* in bounds: checked above */
    } else if (read_at(ctx, &v, off, n, b, true, fn) < 0) {
        return UJS_EXCEPTION;
    }
    return u32_value(ctx, load_scalar(p, n, be));
}

static ujs_value read_u8(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    /* the most common read of all: its fast path inline here, before the
     * generic reader's frame */
    const uint8_t *fast = fast_bytes(d, ARG(0), 1);
    if (fast) return ujs_new_int32(ctx, fast[0]);
    return read_scalar(ctx, t, ARG(0), d, 1, "ctx.readU8");
}
static ujs_value read_u16le(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    return read_scalar(ctx, t, ARG(0), d, 2, "ctx.readU16LE");
}
static ujs_value read_u16be(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    return read_scalar(ctx, t, ARG(0), d, 2 | READ_BE, "ctx.readU16BE");
}
static ujs_value read_u32le(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    return read_scalar(ctx, t, ARG(0), d, 4, "ctx.readU32LE");
}
static ujs_value read_u32be(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    return read_scalar(ctx, t, ARG(0), d, 4 | READ_BE, "ctx.readU32BE");
}

/* readBytes(off, len, out) -> bytes copied (fewer than len only when
 * read_fn returned a short read). */
static ujs_value read_bytes(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)d;
    static const char fn[] = "ctx.readBytes";
    mbpf_helpers_t *h = ctx_this(ctx, t, fn);
    if (!h) return UJS_EXCEPTION;
    uint32_t off, len;
    size_t out_len;
    if (arg_u32(ctx, ARG(0), fn, "offset", &off) || arg_u32(ctx, ARG(1), fn, "length", &len) ||
        arg_u8array(ctx, ARG(2), fn, "out", &out_len))
        return UJS_EXCEPTION;
    view v;
    get_view(h, &v);
    if (off > v.len || len > v.len - off)
        return ujs_throw_range_error(ctx, "%s: %u bytes at offset %u out of bounds (data_len %u)",
                                     fn, len, off, v.len);
    if (len > out_len)
        return ujs_throw_range_error(ctx, "%s: length %u exceeds out.length %u", fn, len,
                                     (uint32_t)out_len);
    /* no allocation from here to the end of the copy */
    int got = read_at(ctx, &v, off, len, ujs_u8array_data(ctx, ARG(2)), false, fn);
    if (got < 0) return UJS_EXCEPTION;
    return ujs_new_int32(ctx, got);
}

/* ---- 64-bit scalars ---- */

static ujs_value u64_number(ujs_ctx *ctx, uint64_t v)
{
    if (v < 0x40000000u) return ujs_new_int32(ctx, (int32_t)v);
    ujs_value r;
    if (ujs_new_number(ctx, (double)v, &r)) return UJS_EXCEPTION;
    return r;
}

static ujs_value read_u64_into(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, const char *fn,
                               int which)
{
    mbpf_helpers_t *h = ctx_this(ctx, t, fn);
    if (!h) return UJS_EXCEPTION;
    uint64_t v = 0;
    if (h->hook_type == MBPF_HOOK_TRACEPOINT) {
        v = ((const mbpf_ctx_tracepoint_v1_t *)h->ctx_blob)->timestamp_ns;
    } else {
        const mbpf_ctx_timer_v1_t *c = h->ctx_blob;
        v = which ? c->now_ns : c->expiry_count;
    }
    if (u64_write(ctx, ARG(0), fn, "out", v)) return UJS_EXCEPTION;
    return UJS_UNDEFINED;
}

static ujs_value read_timestamp(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)d;
    return read_u64_into(ctx, t, argc, argv, "ctx.readTimestamp", 0);
}
static ujs_value read_expiry(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)d;
    return read_u64_into(ctx, t, argc, argv, "ctx.readExpiryCount", 0);
}
static ujs_value read_now(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)d;
    return read_u64_into(ctx, t, argc, argv, "ctx.readNow", 1);
}

/* ---- CUSTOM named fields ---- */

static const mbpf_ctx_field_t *find_field(ujs_ctx *ctx, const mbpf_helpers_t *h, ujs_value name,
                                          const char *fn, bool *threw)
{
    *threw = false;
    if (!ujs_is_string(ctx, name)) {
        *threw = true;
        ujs_throw_type_error(ctx, "%s: name must be a string", fn);
        return NULL;
    }
    char buf[64];
    size_t len;
    if (ujs_to_cstring(ctx, name, buf, sizeof buf, &len)) {
        *threw = true;
        return NULL;
    }
    if (len >= sizeof buf) return NULL; /* longer than any field name we match */
    const mbpf_ctx_custom_v1_t *c = h->ctx_blob;
    uint32_t n =
        c->field_count < MBPF_CTX_CUSTOM_MAX_FIELDS ? c->field_count : MBPF_CTX_CUSTOM_MAX_FIELDS;
    for (uint32_t i = 0; c->fields && i < n; i++) {
        const char *fname = c->fields[i].name;
        if (fname && strncmp(fname, buf, sizeof buf) == 0) return &c->fields[i];
    }
    return NULL;
}

/* field(name) -> number (exact up to 2^53) or undefined if absent. */
static ujs_value field_get(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)d;
    mbpf_helpers_t *h = ctx_this(ctx, t, "ctx.field");
    if (!h) return UJS_EXCEPTION;
    bool threw;
    const mbpf_ctx_field_t *f = find_field(ctx, h, ARG(0), "ctx.field", &threw);
    if (threw) return UJS_EXCEPTION;
    return f ? u64_number(ctx, f->value) : UJS_UNDEFINED;
}

/* readField(name, outU64) -> true, or false if absent (out untouched). */
static ujs_value field_read(ujs_ctx *ctx, ujs_value t, int argc, ujs_value *argv, ujs_value d)
{
    (void)d;
    mbpf_helpers_t *h = ctx_this(ctx, t, "ctx.readField");
    if (!h) return UJS_EXCEPTION;
    bool threw;
    const mbpf_ctx_field_t *f = find_field(ctx, h, ARG(0), "ctx.readField", &threw);
    if (threw) return UJS_EXCEPTION;
    if (!f) return UJS_FALSE;
    if (u64_write(ctx, ARG(1), "ctx.readField", "out", f->value)) return UJS_EXCEPTION;
    return UJS_TRUE;
}

/* ---- properties ---- */

#define BLOB(type) ((const type *)((const mbpf_helpers_t *)opaque)->ctx_blob)
#define PROP(name, type, expr)                                                                     \
    static ujs_value name(ujs_ctx *ctx, ujs_value this_val, void *opaque)                          \
    {                                                                                              \
        (void)this_val;                                                                            \
        (void)ctx;                                                                                 \
        const type *c = BLOB(type);                                                                \
        if (!c) return UJS_UNDEFINED;                                                              \
        return (expr);                                                                             \
    }

PROP(net_ifindex, mbpf_ctx_net_v1_t, u32_value(ctx, c->ifindex))
PROP(net_pkt_len, mbpf_ctx_net_v1_t, u32_value(ctx, c->pkt_len))
PROP(net_data_len, mbpf_ctx_net_v1_t, u32_value(ctx, c->data_len))
PROP(net_l2_proto, mbpf_ctx_net_v1_t, ujs_new_int32(ctx, c->l2_proto))
PROP(net_flags, mbpf_ctx_net_v1_t, ujs_new_int32(ctx, c->flags))
PROP(net_trunc, mbpf_ctx_net_v1_t, (c->flags & MBPF_CTX_F_TRUNCATED) ? UJS_TRUE : UJS_FALSE)

PROP(tp_id, mbpf_ctx_tracepoint_v1_t, u32_value(ctx, c->tracepoint_id))
PROP(tp_ts, mbpf_ctx_tracepoint_v1_t, u64_number(ctx, c->timestamp_ns))
PROP(tp_cpu, mbpf_ctx_tracepoint_v1_t, u32_value(ctx, c->cpu))
PROP(tp_pid, mbpf_ctx_tracepoint_v1_t, u32_value(ctx, c->pid))
PROP(tp_data_len, mbpf_ctx_tracepoint_v1_t, u32_value(ctx, c->data_len))
PROP(tp_flags, mbpf_ctx_tracepoint_v1_t, u32_value(ctx, c->flags))
PROP(tp_trunc, mbpf_ctx_tracepoint_v1_t, (c->flags & MBPF_CTX_F_TRUNCATED) ? UJS_TRUE : UJS_FALSE)

PROP(tm_id, mbpf_ctx_timer_v1_t, u32_value(ctx, c->timer_id))
PROP(tm_period, mbpf_ctx_timer_v1_t, u32_value(ctx, c->period_us))
PROP(tm_expiry, mbpf_ctx_timer_v1_t, u64_number(ctx, c->expiry_count))
PROP(tm_now, mbpf_ctx_timer_v1_t, u64_number(ctx, c->now_ns))
PROP(tm_flags, mbpf_ctx_timer_v1_t, u32_value(ctx, c->flags))
PROP(tm_data_len, mbpf_ctx_timer_v1_t, ujs_new_int32(ctx, 0))

PROP(sec_subject, mbpf_ctx_security_v1_t, u32_value(ctx, c->subject_id))
PROP(sec_object, mbpf_ctx_security_v1_t, u32_value(ctx, c->object_id))
PROP(sec_action, mbpf_ctx_security_v1_t, u32_value(ctx, c->action))
PROP(sec_flags, mbpf_ctx_security_v1_t, u32_value(ctx, c->flags))
PROP(sec_data_len, mbpf_ctx_security_v1_t, u32_value(ctx, c->data_len))
PROP(sec_trunc, mbpf_ctx_security_v1_t, (c->flags & MBPF_CTX_F_TRUNCATED) ? UJS_TRUE : UJS_FALSE)

PROP(cu_id, mbpf_ctx_custom_v1_t, u32_value(ctx, c->custom_id))
PROP(cu_schema, mbpf_ctx_custom_v1_t, u32_value(ctx, c->schema_version))
PROP(cu_data_len, mbpf_ctx_custom_v1_t, u32_value(ctx, c->data_len))
PROP(cu_flags, mbpf_ctx_custom_v1_t, u32_value(ctx, c->flags))
PROP(cu_nfields, mbpf_ctx_custom_v1_t,
     u32_value(ctx, c->field_count < MBPF_CTX_CUSTOM_MAX_FIELDS ? c->field_count
                                                                : MBPF_CTX_CUSTOM_MAX_FIELDS))
PROP(cu_trunc, mbpf_ctx_custom_v1_t, (c->flags & MBPF_CTX_F_TRUNCATED) ? UJS_TRUE : UJS_FALSE)

#define READERS                                                                                    \
    {"readU8", read_u8, 1}, {"readU16LE", read_u16le, 1}, {"readU16BE", read_u16be, 1},            \
        {"readU32LE", read_u32le, 1}, {"readU32BE", read_u32be, 1},                                \
    {                                                                                              \
        "readBytes", read_bytes, 3                                                                 \
    }

static const ujs_cfunc_def net_methods[] = {READERS, {NULL, NULL, 0}};
static const ujs_host_prop_def net_props[] = {{"ifindex", net_ifindex},
                                              {"pkt_len", net_pkt_len},
                                              {"data_len", net_data_len},
                                              {"l2_proto", net_l2_proto},
                                              {"flags", net_flags},
                                              {"truncated", net_trunc},
                                              {NULL, NULL}};

static const ujs_cfunc_def tp_methods[] = {
    READERS, {"readTimestamp", read_timestamp, 1}, {NULL, NULL, 0}};
static const ujs_host_prop_def tp_props[] = {
    {"tracepoint_id", tp_id},  {"timestamp", tp_ts}, {"cpu", tp_cpu},         {"pid", tp_pid},
    {"data_len", tp_data_len}, {"flags", tp_flags},  {"truncated", tp_trunc}, {NULL, NULL}};

static const ujs_cfunc_def tm_methods[] = {
    READERS, {"readExpiryCount", read_expiry, 1}, {"readNow", read_now, 1}, {NULL, NULL, 0}};
static const ujs_host_prop_def tm_props[] = {
    {"timer_id", tm_id}, {"period_us", tm_period}, {"expiry_count", tm_expiry},
    {"now", tm_now},     {"flags", tm_flags},      {"data_len", tm_data_len},
    {NULL, NULL}};

static const ujs_cfunc_def sec_methods[] = {READERS, {NULL, NULL, 0}};
static const ujs_host_prop_def sec_props[] = {{"subject_id", sec_subject},
                                              {"object_id", sec_object},
                                              {"action", sec_action},
                                              {"flags", sec_flags},
                                              {"data_len", sec_data_len},
                                              {"truncated", sec_trunc},
                                              {NULL, NULL}};

static const ujs_cfunc_def cu_methods[] = {
    READERS, {"field", field_get, 1}, {"readField", field_read, 2}, {NULL, NULL, 0}};
static const ujs_host_prop_def cu_props[] = {
    {"custom_id", cu_id}, {"schema_version", cu_schema}, {"data_len", cu_data_len},
    {"flags", cu_flags},  {"field_count", cu_nfields},   {"truncated", cu_trunc},
    {NULL, NULL}};

static const ujs_class_def net_cls = {"NetContext", net_methods, net_props, NULL};
static const ujs_class_def tp_cls = {"TracepointContext", tp_methods, tp_props, NULL};
static const ujs_class_def tm_cls = {"TimerContext", tm_methods, tm_props, NULL};
static const ujs_class_def sec_cls = {"SecurityContext", sec_methods, sec_props, NULL};
static const ujs_class_def cu_cls = {"CustomContext", cu_methods, cu_props, NULL};

const ujs_class_def *ctx_class_for_hook(uint32_t hook_type)
{
    switch (hook_type) {
    case MBPF_HOOK_NET_RX:
    case MBPF_HOOK_NET_TX: return &net_cls;
    case MBPF_HOOK_TRACEPOINT: return &tp_cls;
    case MBPF_HOOK_TIMER: return &tm_cls;
    case MBPF_HOOK_SECURITY: return &sec_cls;
    case MBPF_HOOK_CUSTOM: return &cu_cls;
    }
    return NULL;
}
