/*
 * libFuzzer harness for the helper boundary: the input picks methods of
 * `mbpf`, `maps.*` and `ctx` and builds their arguments (numbers of every
 * range, Uint8Arrays of any length, u64 arrays, null, strings) and the
 * context (bytes, data_len, data or a short-reading read_fn, budget). Every
 * call must end in a value, a JS exception, or the budget stop — never in a
 * sanitizer report, a read past data_len, or a corrupted heap.
 */
#include "helpers_fixture.h"

static fx_t F;
static bool ready;

static const uint8_t *in;
static size_t in_len, in_pos;

static uint8_t byte(void)
{
    return in_pos < in_len ? in[in_pos++] : 0;
}

static uint32_t u32(void)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = v << 8 | byte();
    return v;
}

/* the context bytes; read_fn serves a prefix of them */
static uint8_t bytes[64];
static uint32_t rf_avail;
static int read_fn(const void *blob, uint32_t off, uint32_t len, uint8_t *dst)
{
    const mbpf_ctx_net_v1_t *c = blob;
    if (off > c->data_len || len > c->data_len - off) abort(); /* never past data_len */
    if (off == 13) return -1;
    uint32_t n = 0;
    while (n < len && off + n < rf_avail && off + n < sizeof bytes) {
        dst[n] = bytes[off + n];
        n++;
    }
    return (int)n;
}

static const struct {
    int obj; /* 0 mbpf, 1 ctx, 2.. maps[obj - 2] */
    const char *name;
} targets[] = {
    {0, "log"},       {0, "u64LoadLE"}, {0, "u64StoreLE"}, {0, "nowNs"},     {0, "stats"},
    {0, "emit"},      {0, "mapLookup"}, {0, "mapUpdate"},  {0, "mapDelete"}, {1, "readU8"},
    {1, "readU16LE"}, {1, "readU16BE"}, {1, "readU32LE"},  {1, "readU32BE"}, {1, "readBytes"},
    {2, "lookup"},    {2, "update"},    {3, "lookup"},     {3, "update"},    {3, "delete"},
    {3, "nextKey"},   {4, "lookup"},    {4, "update"},     {4, "nextKey"},   {5, "add"},
    {5, "get"},       {5, "reset"},     {6, "output"},     {7, "lookup"},    {7, "update"},
    {7, "delete"},    {7, "nextKey"},   {8, "lookup"},     {8, "update"},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

static int make_arg(ujs_ctx *ctx, ujs_value *out)
{
    uint8_t k = byte();
    switch (k % 10) {
    case 0: *out = ujs_new_int32(ctx, byte()); return 0;
    case 1: return ujs_new_number(ctx, (double)u32(), out);
    case 2: *out = ujs_new_int32(ctx, -(int32_t)byte()); return 0;
    case 3: return ujs_new_number(ctx, byte() + 0.5, out);
    case 4: *out = k & 0x80 ? UJS_NULL : UJS_UNDEFINED; return 0;
    case 5: return ujs_new_string(ctx, "len", 3, out);
    case 6: {
        ujs_value a;
        int st = ujs_new_array(ctx, &a);
        if (st) return st;
        ujs_ref r;
        ujs_push_ref(ctx, &r, a);
        uint32_t n = byte() % 4;
        for (uint32_t i = 0; i < n && !st; i++) {
            ujs_value v;
            st = ujs_new_number(ctx, i == 1 && (k & 0x40) ? -1.0 : (double)u32(), &v);
            if (!st) st = ujs_set_index(ctx, r.val, i, v);
        }
        *out = r.val;
        ujs_pop_ref(ctx, &r);
        return st;
    }
    default: {
        uint32_t n = byte() % 20;
        int st = ujs_new_u8array(ctx, n, out);
        if (st) return st;
        uint8_t *p = ujs_u8array_data(ctx, *out);
        for (uint32_t i = 0; i < n; i++) p[i] = byte();
        return 0;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        if (fx_init(&F, 64 << 10, MBPF_HOOK_NET_RX, MBPF_CAP_ALL, true)) abort();
        ready = true;
    }
    in = data;
    in_len = size;
    in_pos = 0;
    uint8_t mode = byte();
    uint32_t len = byte() % (sizeof bytes + 1);
    for (uint32_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)(i * 37 + mode);
    rf_avail = byte();
    mbpf_ctx_net_v1_t c = {MBPF_CTX_ABI_V1,
                           1,
                           u32(),
                           len,
                           0x0800,
                           (uint16_t)(mode >> 4),
                           (mode & 1) ? NULL : bytes,
                           (mode & 2) ? read_fn : NULL};
    F.now = (uint64_t)u32() << 32 | u32();
    ujs_ctx *ctx = F.ctx;
    mbpf_helpers_begin_run(&F.h, (mode & 4) ? NULL : &c, byte());
    ujs_value maps_v, mbpf_v;
    if (ujs_get_property(ctx, ujs_get_global_object(ctx), "maps", &maps_v)) abort();
    ujs_ref rmaps, rmbpf, args[5];
    ujs_push_ref(ctx, &rmaps, maps_v);
    if (ujs_get_property(ctx, ujs_get_global_object(ctx), "mbpf", &mbpf_v)) abort();
    ujs_push_ref(ctx, &rmbpf, mbpf_v);
    for (int i = 0; i < 5; i++) ujs_push_ref(ctx, &args[i], UJS_UNDEFINED);
    for (int call = 0; call < 64 && in_pos < in_len; call++) {
        unsigned t = byte() % NTARGETS;
        ujs_value obj;
        if (targets[t].obj == 0) {
            obj = rmbpf.val;
        } else if (targets[t].obj == 1) {
            obj = mbpf_helpers_ctx_value(&F.h);
        } else if (ujs_get_property(ctx, rmaps.val, fx_defs[targets[t].obj - 2].name, &obj)) {
            abort();
        }
        ujs_ref robj;
        ujs_push_ref(ctx, &robj, obj);
        int argc = byte() % 5;
        int st = 0;
        for (int i = 0; i < argc && !st; i++) st = make_arg(ctx, &args[i].val);
        ujs_value fn;
        if (!st) st = ujs_get_property(ctx, robj.val, targets[t].name, &fn);
        if (!st && ujs_is_function(ctx, fn)) {
            ujs_value argv[5] = {args[0].val, args[1].val, args[2].val, args[3].val, args[4].val};
            st = ujs_call(ctx, fn, robj.val, argc, argv, NULL);
        }
        ujs_pop_ref(ctx, &robj);
        if (st == UJS_EEXCEPTION)
            ujs_get_exception(ctx);
        else if (st == UJS_EINTERRUPTED && !mbpf_helpers_budget_exhausted(&F.h))
            abort();
        else if (st != UJS_OK && st != UJS_EINTERRUPTED)
            abort();
        if (mbpf_helpers_budget_exhausted(&F.h)) break;
    }
    for (int i = 4; i >= 0; i--) ujs_pop_ref(ctx, &args[i]);
    ujs_pop_ref(ctx, &rmbpf);
    ujs_pop_ref(ctx, &rmaps);
    mbpf_helpers_end_run(&F.h);
    return 0;
}
