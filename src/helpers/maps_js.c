/*
 * `maps` and `maps.NAME`: one host object per map, with the methods of its
 * type (spec §10.3, §10.6; issue 6), over the operations of src/maps.
 *
 * Map objects come in five classes (indexed, hash, counter, ring, LPM);
 * each class's method table is filtered at install by the granted
 * capabilities, so a program sees only what it may call, and every method
 * checks its capability again when called. `maps` itself is a host object
 * whose members are the map names (constants: the rooted map objects), so
 * neither can be extended or overwritten.
 */
#include "helpers_internal.h"

enum { K_INDEXED, K_HASH, K_COUNTER, K_RING, K_LPM };

static uint32_t kind_of(uint32_t type)
{
    switch (type) {
    case MBPF_MAP_ARRAY:
    case MBPF_MAP_PERCPU_ARRAY: return K_INDEXED;
    case MBPF_MAP_COUNTER: return K_COUNTER;
    case MBPF_MAP_RINGBUF: return K_RING;
    case MBPF_MAP_LPM_TRIE: return K_LPM;
    default: return K_HASH;
    }
}

/* "maps.NAME.fn" into buf (messages only). */
static const char *who(char *buf, size_t size, const mbpf_helpers_map_t *hm, const char *fn)
{
    if (fn[0] == 'm' && fn[1] == 'b') return fn; /* "mbpf.mapLookup" names itself */
    const char *parts[4] = {"maps.", hm->map->def.name, ".", fn};
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        for (const char *p = parts[i]; *p && n + 1 < size; p++) buf[n++] = *p;
    buf[n] = 0;
    return buf;
}

/* arg_u32 with the map's name in errors, built only when there is one. */
static int map_u32(ujs_ctx *ctx, const mbpf_helpers_map_t *hm, const char *fn, const char *what,
                   ujs_value v, uint32_t *out)
{
    int32_t i;
    if (ujs_get_int32(v, &i) && i >= 0) {
        *out = (uint32_t)i;
        return 0;
    }
    char b[80];
    return arg_u32(ctx, v, who(b, sizeof b, hm, fn), what, out);
}

static ujs_value map_error(ujs_ctx *ctx, const mbpf_helpers_map_t *hm, const char *fn, int err)
{
    char b[80];
    const char *w = who(b, sizeof b, hm, fn);
    const mbpf_map_def_t *d = &hm->map->def;
    switch (err) {
    case MBPF_MAP_E_NOENT: return ujs_throw_error(ctx, "%s: no such key", w);
    case MBPF_MAP_E_EXIST: return ujs_throw_error(ctx, "%s: key already exists", w);
    case MBPF_MAP_E_FULL:
        return ujs_throw_error(ctx, "%s: map is full (max_entries %u)", w, d->max_entries);
    case MBPF_MAP_E_INDEX:
        return ujs_throw_range_error(ctx, "%s: index out of range (max_entries %u)", w,
                                     d->max_entries);
    case MBPF_MAP_E_PREFIX:
        return ujs_throw_range_error(ctx, "%s: prefix length above %u bits", w,
                                     8 * (d->key_size - 4));
    case MBPF_MAP_E_VALUE_SIZE:
        return ujs_throw_range_error(ctx, "%s: value size does not match the map", w);
    case MBPF_MAP_E_BUSY: return ujs_throw_error(ctx, "%s: map entry busy", w);
    default: return ujs_throw_error(ctx, "%s: %s", w, mbpf_map_strerror(err));
    }
}

static bool indexed(const mbpf_helpers_map_t *hm)
{
    uint32_t k = kind_of(hm->map->def.type);
    return k == K_INDEXED || k == K_COUNTER;
}

/* Converts key: a number for indexed maps (encoded LE into idx), else a
 * Uint8Array of exactly the key length. *kp is valid until the next
 * allocation. */
static int key_arg(ujs_ctx *ctx, const mbpf_helpers_map_t *hm, ujs_value key, const char *fn,
                   uint8_t idx[4], const uint8_t **kp, size_t *klen)
{
    char b[80];
    if (indexed(hm)) {
        uint32_t i;
        if (!ujs_is_number(key)) {
            ujs_throw_type_error(ctx, "%s: key must be a number", who(b, sizeof b, hm, fn));
            return -1;
        }
        if (map_u32(ctx, hm, fn, "key", key, &i)) return -1;
        put_le32(idx, i);
        *kp = idx;
        *klen = 4;
        return 0;
    }
    uint32_t want = mbpf_map_key_len(hm->map);
    uint8_t *data;
    size_t n;
    if (!ujs_get_u8array(ctx, key, &data, &n)) {
        ujs_throw_type_error(ctx, "%s: key must be a Uint8Array(%u)", who(b, sizeof b, hm, fn),
                             want);
        return -1;
    }
    if (n != want) {
        ujs_throw_range_error(ctx, "%s: key must be %u bytes, got %u", who(b, sizeof b, hm, fn),
                              want, (uint32_t)n);
        return -1;
    }
    *kp = data;
    *klen = n;
    return 0;
}

/* A Uint8Array of exactly value_size bytes; returns its data or NULL after
 * throwing. */
static uint8_t *value_arg(ujs_ctx *ctx, const mbpf_helpers_map_t *hm, ujs_value v, const char *fn,
                          const char *what)
{
    char b[80];
    uint32_t want = hm->map->def.value_size;
    uint8_t *data;
    size_t n;
    if (!ujs_get_u8array(ctx, v, &data, &n)) {
        ujs_throw_type_error(ctx, "%s: %s must be a Uint8Array(%u)", who(b, sizeof b, hm, fn), what,
                             want);
        return NULL;
    }
    if (n != want) {
        ujs_throw_range_error(ctx, "%s: %s must be %u bytes, got %u", who(b, sizeof b, hm, fn),
                              what, want, (uint32_t)n);
        return NULL;
    }
    return data;
}

static ujs_value not_supported(ujs_ctx *ctx, const mbpf_helpers_map_t *hm, const char *fn)
{
    char b[80];
    return ujs_throw_type_error(ctx, "%s: not supported by this map type",
                                who(b, sizeof b, hm, fn));
}

/* The common case, checked in a few instructions: a key of the map's kind
 * (an index, or a byte array of the key size) and a byte array of the
 * value size. Anything else takes the checked path and its messages. */
static bool byte_args(ujs_ctx *ctx, const mbpf_helpers_map_t *hm, ujs_value key, ujs_value val,
                      uint8_t idx[4], const uint8_t **kp, uint8_t **vp)
{
    size_t vl;
    if (!hm->value_bytes) return false;
    if (hm->key_bytes) {
        uint8_t *k;
        size_t kl;
        if (!ujs_get_u8array(ctx, key, &k, &kl) || kl != hm->key_bytes) return false;
        *kp = k;
    } else { /* indexed: a non-negative int32 index, little-endian */
        int32_t i;
        if (!ujs_get_int32(key, &i) || i < 0) return false;
        put_le32(idx, (uint32_t)i);
        *kp = idx;
    }
    return ujs_get_u8array(ctx, val, vp, &vl) && vl == hm->value_bytes;
}

ujs_value map_op_lookup(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key, ujs_value out,
                        const char *fn)
{
    uint8_t fi[4];
    const uint8_t *fk;
    uint8_t *fv;
    if (byte_args(ctx, hm, key, out, fi, &fk, &fv)) {
        int err = mbpf_map_lookup_unchecked(hm->map, fk, fv);
        if (err == MBPF_MAP_OK) return UJS_TRUE;
        if (err == MBPF_MAP_E_NOENT) return UJS_FALSE;
        return map_error(ctx, hm, fn, err);
    }
    uint32_t k = kind_of(hm->map->def.type);
    if (k == K_RING || k == K_COUNTER) return not_supported(ctx, hm, fn);
    uint8_t idx[4];
    const uint8_t *kp;
    size_t klen;
    /* both conversions allocate nothing, so kp stays valid */
    if (key_arg(ctx, hm, key, fn, idx, &kp, &klen)) return UJS_EXCEPTION;
    uint8_t *op = value_arg(ctx, hm, out, fn, "out");
    if (!op) return UJS_EXCEPTION;
    int err = mbpf_map_lookup(hm->map, kp, klen, op, hm->map->def.value_size);
    if (err == MBPF_MAP_E_NOENT) return UJS_FALSE;
    if (err) return map_error(ctx, hm, fn, err);
    return UJS_TRUE;
}

ujs_value map_op_update(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key, ujs_value val,
                        ujs_value flags, const char *fn)
{
    uint8_t fi[4];
    const uint8_t *fk;
    uint8_t *fv;
    if (flags == UJS_UNDEFINED && byte_args(ctx, hm, key, val, fi, &fk, &fv)) {
        int err = mbpf_map_update_unchecked(hm->map, fk, fv, MBPF_MAP_ANY);
        if (err) return map_error(ctx, hm, fn, err);
        return UJS_UNDEFINED;
    }
    uint32_t k = kind_of(hm->map->def.type);
    if (k == K_RING || k == K_COUNTER) return not_supported(ctx, hm, fn);
    char b[80];
    uint32_t fl = MBPF_MAP_ANY;
    if (flags != UJS_UNDEFINED) {
        if (map_u32(ctx, hm, fn, "flags", flags, &fl)) return UJS_EXCEPTION;
        if (fl > MBPF_MAP_EXIST)
            return ujs_throw_range_error(ctx, "%s: flags must be 0 (ANY), 1 (NOEXIST) or 2 (EXIST)",
                                         who(b, sizeof b, hm, fn));
    }
    uint8_t idx[4];
    const uint8_t *kp;
    size_t klen;
    if (key_arg(ctx, hm, key, fn, idx, &kp, &klen)) return UJS_EXCEPTION;
    const uint8_t *vp = value_arg(ctx, hm, val, fn, "value");
    if (!vp) return UJS_EXCEPTION;
    /* value_arg allocated nothing: kp is still valid */
    int err = mbpf_map_update(hm->map, kp, klen, vp, hm->map->def.value_size, fl);
    if (err) return map_error(ctx, hm, fn, err);
    return UJS_UNDEFINED;
}

ujs_value map_op_delete(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key, const char *fn)
{
    uint32_t k = kind_of(hm->map->def.type);
    if (k != K_HASH && k != K_LPM) return not_supported(ctx, hm, fn);
    uint8_t idx[4];
    const uint8_t *kp;
    size_t klen;
    if (key_arg(ctx, hm, key, fn, idx, &kp, &klen)) return UJS_EXCEPTION;
    int err = mbpf_map_delete(hm->map, kp, klen);
    if (err == MBPF_MAP_E_NOENT) return UJS_FALSE;
    if (err) return map_error(ctx, hm, fn, err);
    return UJS_TRUE;
}

/* ---- methods ---- */

/* The map of a method call after the budget and capability gate, or NULL
 * after throwing. */
static mbpf_helpers_map_t *map_this(ujs_ctx *ctx, ujs_value this_val, uint32_t kind, uint32_t cap,
                                    const char *fn)
{
    mbpf_helpers_t *h = helpers_of(ctx);
    if (!h) {
        ujs_throw_type_error(ctx, "%s: no helper state", fn);
        return NULL;
    }
    mbpf_helpers_map_t *hm = ujs_get_host_opaque(ctx, this_val, &h->kind_cls[kind]);
    char b[80];
    /* the full name is only needed for a capability error */
    bool named = hm && cap && !(h->caps & cap);
    if (helper_enter(ctx, h, cap, named ? who(b, sizeof b, hm, fn) : fn)) return NULL;
    if (!hm) {
        ujs_throw_type_error(ctx, "%s: this is not a map object", fn);
        return NULL;
    }
    return hm;
}

/* map_this for the call that passes every check, counting it; NULL (and
 * nothing counted) sends the call to map_this for the exact refusal. data
 * is the method's data word: the map of this_val if it is an object of the
 * method's class (ujs.h), found by the engine. */
static inline mbpf_helpers_map_t *map_enter(ujs_value data, uint32_t cap)
{
    mbpf_helpers_map_t *hm = (mbpf_helpers_map_t *)data;
    if (!hm) return NULL;
    mbpf_helpers_t *h = hm->h;
    /* no test of h->exhausted: helper_refuse sets it only once
     * helper_calls has reached max_helpers, and a run resets both */
    if (h->helper_calls >= h->max_helpers || !(h->caps & cap)) return NULL;
    h->helper_calls++;
    return hm;
}

#define MAP_METHOD(cname, kind, cap, jsname, body)                                                 \
    static ujs_value cname(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,            \
                           ujs_value data)                                                         \
    {                                                                                              \
        (void)argc;                                                                                \
        (void)argv;                                                                                \
        static const char fn[] = jsname;                                                           \
        mbpf_helpers_map_t *hm = map_enter(data, cap);                                             \
        if (!hm && !(hm = map_this(ctx, this_val, kind, cap, fn))) return UJS_EXCEPTION;           \
        body                                                                                       \
    }

/* The success paths of lookup, update and delete by kind, each a couple of
 * engine calls that never allocate (so the data pointers stay valid) and
 * one map call; any other argument takes map_op_* and its messages. */
static inline ujs_value bytes_lookup(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key,
                                     ujs_value out, const char *fn)
{
    uint8_t *k, *v;
    if ((k = ujs_u8array_exact(ctx, key, hm->key_bytes)) &&
        (v = ujs_u8array_exact(ctx, out, hm->value_bytes))) {
        int err = mbpf_map_lookup_unchecked(hm->map, k, v);
        if (err == MBPF_MAP_OK) return UJS_TRUE;
        if (err == MBPF_MAP_E_NOENT) return UJS_FALSE;
        return map_error(ctx, hm, fn, err);
    }
    return map_op_lookup(ctx, hm, key, out, fn);
}

static inline ujs_value index_lookup(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key,
                                     ujs_value out, const char *fn)
{
    int32_t i;
    uint8_t idx[4], *v;
    size_t vl;
    if (ujs_get_int32(key, &i) && i >= 0 && ujs_get_u8array(ctx, out, &v, &vl) &&
        vl == hm->value_bytes) {
        put_le32(idx, (uint32_t)i);
        int err = mbpf_map_lookup_unchecked(hm->map, idx, v);
        if (err == MBPF_MAP_OK) return UJS_TRUE;
        if (err == MBPF_MAP_E_NOENT) return UJS_FALSE;
        return map_error(ctx, hm, fn, err);
    }
    return map_op_lookup(ctx, hm, key, out, fn);
}

static inline ujs_value bytes_update(ujs_ctx *ctx, mbpf_helpers_map_t *hm, int argc,
                                     ujs_value *argv, const char *fn)
{
    uint8_t *k, *v;
    if (argc >= 2 && (argc < 3 || argv[2] == UJS_UNDEFINED) &&
        (k = ujs_u8array_exact(ctx, argv[0], hm->key_bytes)) &&
        (v = ujs_u8array_exact(ctx, argv[1], hm->value_bytes))) {
        int err = mbpf_map_update_unchecked(hm->map, k, v, MBPF_MAP_ANY);
        if (err) return map_error(ctx, hm, fn, err);
        return UJS_UNDEFINED;
    }
    return map_op_update(ctx, hm, ARG(0), ARG(1), ARG(2), fn);
}

static inline ujs_value index_update(ujs_ctx *ctx, mbpf_helpers_map_t *hm, int argc,
                                     ujs_value *argv, const char *fn)
{
    int32_t i;
    uint8_t idx[4], *v;
    size_t vl;
    if (argc >= 2 && (argc < 3 || argv[2] == UJS_UNDEFINED) && ujs_get_int32(argv[0], &i) &&
        i >= 0 && ujs_get_u8array(ctx, argv[1], &v, &vl) && vl == hm->value_bytes) {
        put_le32(idx, (uint32_t)i);
        int err = mbpf_map_update_unchecked(hm->map, idx, v, MBPF_MAP_ANY);
        if (err) return map_error(ctx, hm, fn, err);
        return UJS_UNDEFINED;
    }
    return map_op_update(ctx, hm, ARG(0), ARG(1), ARG(2), fn);
}

static inline ujs_value bytes_delete(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value key,
                                     const char *fn)
{
    uint8_t *k;
    size_t kl;
    if (ujs_get_u8array(ctx, key, &k, &kl) && kl == hm->key_bytes) {
        int err = mbpf_map_delete(hm->map, k, kl);
        if (err == MBPF_MAP_OK) return UJS_TRUE;
        if (err == MBPF_MAP_E_NOENT) return UJS_FALSE;
        return map_error(ctx, hm, fn, err);
    }
    return map_op_delete(ctx, hm, key, fn);
}

static ujs_value next_key(ujs_ctx *ctx, mbpf_helpers_map_t *hm, ujs_value prev, ujs_value out,
                          const char *fn)
{
    char b[80];
    uint32_t klen = mbpf_map_key_len(hm->map);
    uint8_t prevbuf[MBPF_MAP_KEY_MAX];
    const uint8_t *pp = NULL;
    if (prev != UJS_NULL && prev != UJS_UNDEFINED) {
        const uint8_t *kp;
        size_t n;
        uint8_t idx[4];
        if (key_arg(ctx, hm, prev, fn, idx, &kp, &n)) return UJS_EXCEPTION;
        memcpy(prevbuf, kp, n); /* out may be the same array as prev */
        pp = prevbuf;
    }
    if (!ujs_is_u8array(ctx, out))
        return ujs_throw_type_error(ctx, "%s: out must be a Uint8Array(%u)",
                                    who(b, sizeof b, hm, fn), klen);
    if (ujs_u8array_len(ctx, out) != klen)
        return ujs_throw_range_error(ctx, "%s: out must be %u bytes, got %u",
                                     who(b, sizeof b, hm, fn), klen,
                                     (uint32_t)ujs_u8array_len(ctx, out));
    int err = mbpf_map_next_key(hm->map, pp, pp ? klen : 0, ujs_u8array_data(ctx, out), klen);
    if (err == MBPF_MAP_E_NOENT) return UJS_FALSE;
    if (err) return map_error(ctx, hm, fn, err);
    return UJS_TRUE;
}

MAP_METHOD(arr_lookup, K_INDEXED, MBPF_CAP_MAP_READ, "lookup",
           return index_lookup(ctx, hm, ARG(0), ARG(1), fn);)
MAP_METHOD(arr_update, K_INDEXED, MBPF_CAP_MAP_WRITE, "update",
           return index_update(ctx, hm, argc, argv, fn);)
MAP_METHOD(hash_lookup, K_HASH, MBPF_CAP_MAP_READ, "lookup",
           return bytes_lookup(ctx, hm, ARG(0), ARG(1), fn);)
MAP_METHOD(hash_update, K_HASH, MBPF_CAP_MAP_WRITE, "update",
           return bytes_update(ctx, hm, argc, argv, fn);)
MAP_METHOD(hash_delete, K_HASH, MBPF_CAP_MAP_WRITE, "delete",
           return bytes_delete(ctx, hm, ARG(0), fn);)
MAP_METHOD(hash_next, K_HASH, MBPF_CAP_MAP_ITERATE, "nextKey",
           return next_key(ctx, hm, ARG(0), ARG(1), fn);)
MAP_METHOD(lpm_lookup, K_LPM, MBPF_CAP_MAP_READ, "lookup",
           return bytes_lookup(ctx, hm, ARG(0), ARG(1), fn);)
MAP_METHOD(lpm_update, K_LPM, MBPF_CAP_MAP_WRITE, "update",
           return bytes_update(ctx, hm, argc, argv, fn);)
MAP_METHOD(lpm_delete, K_LPM, MBPF_CAP_MAP_WRITE, "delete",
           return bytes_delete(ctx, hm, ARG(0), fn);)
MAP_METHOD(lpm_next, K_LPM, MBPF_CAP_MAP_ITERATE, "nextKey",
           return next_key(ctx, hm, ARG(0), ARG(1), fn);)

/* counter.add(idx, delta): delta an integer of magnitude below 2^53;
 * negative values subtract (mod 2^64). */
MAP_METHOD(ctr_add, K_COUNTER, MBPF_CAP_MAP_WRITE, "add", {
    char b[80];
    uint32_t idx;
    double d;
    int32_t i;
    int32_t di = 1;
    /* the common call: a small index and an int32 delta (or none) */
    if (argc >= 1 && ujs_get_int32(argv[0], &i) && i >= 0 &&
        (argc < 2 || ujs_get_int32(argv[1], &di))) {
        int err = mbpf_map_counter_add(hm->map, (uint32_t)i, (uint64_t)(int64_t)di, NULL);
        if (err) return map_error(ctx, hm, fn, err);
        return UJS_UNDEFINED;
    }
    if (map_u32(ctx, hm, fn, "key", ARG(0), &idx)) return UJS_EXCEPTION;
    ujs_value dv = argc > 1 ? argv[1] : ujs_new_int32(ctx, 1);
    if (!ujs_is_number(dv) || ujs_to_number(ctx, dv, &d))
        return ujs_throw_type_error(ctx, "%s: delta must be a number", who(b, sizeof b, hm, fn));
    if (!(d > -9007199254740992.0 && d < 9007199254740992.0) || d != (double)(int64_t)d)
        return ujs_throw_range_error(ctx, "%s: delta must be an integer below 2^53 in magnitude",
                                     who(b, sizeof b, hm, fn));
    int err = mbpf_map_counter_add(hm->map, idx, (uint64_t)(int64_t)d, NULL);
    if (err) return map_error(ctx, hm, fn, err);
    return UJS_UNDEFINED;
})

MAP_METHOD(ctr_get, K_COUNTER, MBPF_CAP_MAP_READ, "get", {
    char b[80];
    uint32_t idx;
    uint64_t v;
    int32_t i;
    uint8_t *p;
    size_t n;
    /* the common call: a small index and a Uint8Array out */
    if (argc >= 2 && ujs_get_int32(argv[0], &i) && i >= 0 &&
        ujs_get_u8array(ctx, argv[1], &p, &n) && n >= 8) {
        int err = mbpf_map_counter_get(hm->map, (uint32_t)i, &v);
        if (err) return map_error(ctx, hm, fn, err);
        put_le32(p, (uint32_t)v);
        put_le32(p + 4, (uint32_t)(v >> 32));
        return UJS_UNDEFINED;
    }
    if (map_u32(ctx, hm, fn, "key", ARG(0), &idx)) return UJS_EXCEPTION;
    int err = mbpf_map_counter_get(hm->map, idx, &v);
    if (err) return map_error(ctx, hm, fn, err);
    if (u64_write(ctx, ARG(1), who(b, sizeof b, hm, fn), "out", v)) return UJS_EXCEPTION;
    return UJS_UNDEFINED;
})

MAP_METHOD(ctr_reset, K_COUNTER, MBPF_CAP_MAP_WRITE, "reset", {
    uint32_t idx;
    if (map_u32(ctx, hm, fn, "key", ARG(0), &idx)) return UJS_EXCEPTION;
    int err = mbpf_map_counter_reset(hm->map, idx, NULL);
    if (err) return map_error(ctx, hm, fn, err);
    return UJS_UNDEFINED;
})

/* ring.output(bytes) -> true, or false when the ring is full (the drop is
 * counted in the ring's statistics). */
MAP_METHOD(ring_output, K_RING, MBPF_CAP_EMIT, "output", {
    char b[80];
    size_t n;
    if (ujs_is_u8array(ctx, ARG(0)))
        n = ujs_u8array_len(ctx, ARG(0));
    else if (arg_u8array(ctx, ARG(0), who(b, sizeof b, hm, fn), "bytes", &n))
        return UJS_EXCEPTION;
    int err = mbpf_map_ringbuf_output(hm->map, ujs_u8array_data(ctx, ARG(0)), n);
    if (err == MBPF_MAP_E_RING_FULL) return UJS_FALSE;
    if (err == MBPF_MAP_E_VALUE_SIZE || err == MBPF_MAP_E_INVALID_ARG)
        return ujs_throw_range_error(ctx, "%s: %u bytes exceed the largest record",
                                     who(b, sizeof b, hm, fn), (uint32_t)n);
    if (err) return map_error(ctx, hm, fn, err);
    return UJS_TRUE;
})

/* Master tables: every method of a class with the capability it needs. */
typedef struct gated {
    ujs_cfunc_def def;
    uint32_t cap;
} gated;

static const gated indexed_methods[] = {
    {{"lookup", arr_lookup, 2}, MBPF_CAP_MAP_READ},
    {{"update", arr_update, 3}, MBPF_CAP_MAP_WRITE},
    {{NULL, NULL, 0}, 0},
};
static const gated hash_methods[] = {
    {{"lookup", hash_lookup, 2}, MBPF_CAP_MAP_READ},
    {{"update", hash_update, 3}, MBPF_CAP_MAP_WRITE},
    {{"delete", hash_delete, 1}, MBPF_CAP_MAP_WRITE},
    {{"nextKey", hash_next, 2}, MBPF_CAP_MAP_ITERATE},
    {{NULL, NULL, 0}, 0},
};
static const gated counter_methods[] = {
    {{"add", ctr_add, 2}, MBPF_CAP_MAP_WRITE},
    {{"get", ctr_get, 2}, MBPF_CAP_MAP_READ},
    {{"reset", ctr_reset, 1}, MBPF_CAP_MAP_WRITE},
    {{NULL, NULL, 0}, 0},
};
static const gated ring_methods[] = {
    {{"output", ring_output, 1}, MBPF_CAP_EMIT},
    {{NULL, NULL, 0}, 0},
};
static const gated lpm_methods[] = {
    {{"lookup", lpm_lookup, 2}, MBPF_CAP_MAP_READ},
    {{"update", lpm_update, 3}, MBPF_CAP_MAP_WRITE},
    {{"delete", lpm_delete, 1}, MBPF_CAP_MAP_WRITE},
    {{"nextKey", lpm_next, 2}, MBPF_CAP_MAP_ITERATE},
    {{NULL, NULL, 0}, 0},
};
_Static_assert(sizeof hash_methods / sizeof hash_methods[0] <= 5, "fits kind_methods");
_Static_assert(sizeof lpm_methods / sizeof lpm_methods[0] <= 5, "fits kind_methods");
static const gated *const kind_master[MBPF_HELPERS_KINDS] = {
    indexed_methods, hash_methods, counter_methods, ring_methods, lpm_methods};
static const char *const kind_name[MBPF_HELPERS_KINDS] = {"ArrayMap", "HashMap", "CounterMap",
                                                          "RingBufferMap", "LpmTrieMap"};

/* Read-only description of every map object. */
#define MAP_PROP(name, field)                                                                      \
    static ujs_value name(ujs_ctx *ctx, ujs_value this_val, void *opaque)                          \
    {                                                                                              \
        (void)this_val;                                                                            \
        return u32_value(ctx, ((const mbpf_helpers_map_t *)opaque)->map->def.field);               \
    }
MAP_PROP(prop_type, type)
MAP_PROP(prop_key_size, key_size)
MAP_PROP(prop_value_size, value_size)
MAP_PROP(prop_max_entries, max_entries)
static const ujs_host_prop_def map_props[] = {{"type", prop_type},
                                              {"key_size", prop_key_size},
                                              {"value_size", prop_value_size},
                                              {"max_entries", prop_max_entries},
                                              {NULL, NULL}};

int maps_obj_install(mbpf_helpers_t *h, ujs_ctx *ctx)
{
    for (uint32_t k = 0; k < MBPF_HELPERS_KINDS; k++) {
        uint32_t n = 0;
        for (const gated *g = kind_master[k]; g->def.name; g++)
            if (h->caps & g->cap) h->kind_methods[k][n++] = g->def;
        h->kind_methods[k][n] = (ujs_cfunc_def){NULL, NULL, 0};
        h->kind_cls[k] = (ujs_class_def){kind_name[k], h->kind_methods[k], map_props, NULL};
    }
    for (uint32_t i = 0; i < h->map_count; i++) {
        mbpf_helpers_map_t *hm = &h->maps[i];
        hm->kind = kind_of(hm->map->def.type);
        if (hm->kind == K_HASH || hm->kind == K_LPM) {
            hm->key_bytes = mbpf_map_key_len(hm->map);
            hm->value_bytes = hm->map->def.value_size;
        } else if (hm->kind == K_INDEXED) {
            hm->value_bytes = hm->map->def.value_size; /* key: a number */
        }
        int st = ujs_new_host_object(ctx, &h->kind_cls[hm->kind], hm, &hm->obj.val);
        if (st) return st;
    }
    h->maps_cls = (ujs_class_def){"Maps", NULL, NULL, NULL};
    int st = ujs_new_host_object(ctx, &h->maps_cls, h, &h->maps_obj.val);
    /* constants: maps.NAME reads like a data property, without a call */
    for (uint32_t i = 0; !st && i < h->map_count; i++)
        st = ujs_set_host_const(ctx, h->maps_obj.val, h->maps[i].map->def.name, h->maps[i].obj.val);
    return st;
}
