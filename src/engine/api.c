/*
 * The embedding API (include/ujs.h): context set-up inside the caller's
 * buffer, refs, errors, and thin wrappers over the engine's internals.
 *
 * Buffer layout: [struct ujs_ctx][value stack -> ][heap -> ... free]. The
 * stack region is fixed at creation (a share of the buffer); the heap takes
 * the rest and is compacted in place.
 */
#include <stdarg.h>

#include "internal.h"

const char *ujs_strerror(int status)
{
    switch (status) {
    case UJS_OK: return "ok";
    case UJS_EEXCEPTION: return "uncaught exception";
    case UJS_ENOMEM: return "out of memory";
    case UJS_EINTERRUPTED: return "interrupted";
    case UJS_EINVAL: return "invalid argument";
    default: return "unknown error";
    }
}

/* A bounded formatter for error messages: %s %d %u %c %%. */
size_t ujs_vfmt(char *buf, size_t size, const char *fmt, va_list ap);
size_t ujs_vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t n = 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (n + 1 < size) buf[n] = (c);                                                            \
        n++;                                                                                       \
    } while (0)
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            PUT(*f);
            continue;
        }
        f++;
        if (*f == 's') {
            const char *s = va_arg(ap, const char *);
            for (; s && *s; s++) PUT(*s);
        } else if (*f == 'd' || *f == 'u') {
            char tmp[12];
            int k = 0;
            uint32_t u;
            if (*f == 'd') {
                int v = va_arg(ap, int);
                if (v < 0) PUT('-');
                u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
            } else {
                u = va_arg(ap, unsigned);
            }
            do {
                tmp[k++] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            while (k) PUT(tmp[--k]);
        } else if (*f == 'c') {
            PUT((char)va_arg(ap, int));
        } else if (*f == '%') {
            PUT('%');
        } else {
            break;
        }
    }
    if (size) buf[n < size ? n : size - 1] = 0;
#undef PUT
    return n;
}

ujs_value throw_oom(ujs_ctx *ctx)
{
    ctx->abort_status = UJS_ENOMEM;
    ctx->exception = V_UNDEFINED;
    return V_EXCEPTION;
}

static ujs_value vthrow(ujs_ctx *ctx, int kind, const char *fmt, va_list ap)
{
    char msg[256];
    size_t n = ujs_vfmt(msg, sizeof msg, fmt, ap);
    if (n >= sizeof msg) n = sizeof msg - 1;
    if (ctx->abort_status) return V_EXCEPTION;
    ujs_value s = str_from_utf8(ctx, msg, n);
    if (s == V_EXCEPTION) return s;
    ujs_value e = make_error(ctx, kind, s);
    if (e == V_EXCEPTION) return e;
    ctx->exception = e;
    return V_EXCEPTION;
}

ujs_value throw_fmt(ujs_ctx *ctx, int kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ujs_value r = vthrow(ctx, kind, fmt, ap);
    va_end(ap);
    return r;
}

ujs_value ujs_throw_type_error(ujs_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ujs_value r = vthrow(ctx, E_TYPE, fmt, ap);
    va_end(ap);
    return r;
}

ujs_value ujs_throw_range_error(ujs_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ujs_value r = vthrow(ctx, E_RANGE, fmt, ap);
    va_end(ap);
    return r;
}

ujs_value ujs_throw_error(ujs_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ujs_value r = vthrow(ctx, E_ERROR, fmt, ap);
    va_end(ap);
    return r;
}

ujs_value ujs_throw(ujs_ctx *ctx, ujs_value v)
{
    ctx->exception = v;
    return V_EXCEPTION;
}

ujs_value ujs_abort(ujs_ctx *ctx)
{
    ctx->abort_status = UJS_EINTERRUPTED;
    ctx->exception = V_UNDEFINED;
    return V_EXCEPTION;
}

static int finish(ujs_ctx *ctx, int r);

ujs_value host_global_value(ujs_ctx *ctx, uint32_t i)
{
    (void)ctx;
    return v_mkromobj(ujs_rom_nobjs + i);
}

/* ---- context ---- */

ujs_ctx *ujs_new_context(void *mem, size_t size, const ujs_cfunc_def *globals)
{
    if (!mem || ((uintptr_t)mem % sizeof(uword)) != 0) return NULL;
    size_t hdr = (sizeof(ujs_ctx) + WSIZE - 1) / WSIZE * WSIZE;
    if (size < hdr + 64 * WSIZE) return NULL;
    if (size > (size_t)1 << 28) size = (size_t)1 << 28; /* header size field and offsets */
    ujs_ctx *ctx = mem;
    memset(ctx, 0, sizeof *ctx);
    uint8_t *base = (uint8_t *)mem + hdr;
    size_t rest = (size - hdr) / WSIZE;
    /* the stack gets a quarter, at least 32 and at most 16 K words */
    size_t stack_words = rest / 4;
    if (stack_words < 32) stack_words = 32;
    if (stack_words > 16384) stack_words = 16384;
    ctx->stack_base = (ujs_value *)base;
    ctx->stack_end = ctx->stack_base + stack_words;
    ctx->sp = ctx->stack_peak = ctx->stack_base;
    ctx->heap_start = ctx->heap_top = (uword *)ctx->stack_end;
    ctx->heap_end = (uword *)base + rest;
    ctx->mem_end = (uint8_t *)mem + size;
    ctx->global = V_UNDEFINED;
    ctx->atoms = V_UNDEFINED;
    ctx->exception = V_UNDEFINED;
    for (size_t i = 0; i < sizeof ctx->scratch / sizeof ctx->scratch[0]; i++)
        ctx->scratch[i] = V_UNDEFINED;
    ctx->persistent.next = ctx->persistent.prev = &ctx->persistent;
    ctx->ih_counter = ctx->ih_start = INT32_MAX;
    gcache_clear(ctx);
    ctx->ih_period = 1;
    ctx->rng = 0x9E3779B97F4A7C15ull;
    ctx->host_globals = globals;
    while (globals && globals[ctx->nhost_globals].name) ctx->nhost_globals++;
    ujs_value g = obj_new(ctx, v_mkromobj(RO_GLOBAL), C_OBJECT, 0);
    if (g == V_EXCEPTION) return NULL;
    ctx->global = g;
    return ctx;
}

void ujs_free_context(ujs_ctx *ctx)
{
    heap_finalize_all(ctx);
}

int ujs_new_host_object(ujs_ctx *ctx, const ujs_class_def *cls, void *opaque, ujs_value *out)
{
    uint32_t cid = 0;
    while (cid < ctx->nclasses && ctx->classes[cid] != cls) cid++;
    if (cid == ctx->nclasses) {
        if (cid == 16) return UJS_EINVAL;
        ctx->classes[ctx->nclasses++] = cls;
    }
    ujs_value o = obj_new(ctx, v_mkromobj(RO_OBJECT_PROTO), C_HOST, 2);
    if (o == V_EXCEPTION) return finish(ctx, -1);
    v_obj(o)->cls = C_HOST | (uword)cid << 16; /* not extensible */
    v_obj(o)->x[0] = (uword)cls;
    v_obj(o)->x[1] = (uword)opaque;
    *out = o;
    return UJS_OK;
}

void *ujs_get_host_opaque(ujs_ctx *ctx, ujs_value v, const ujs_class_def *cls)
{
    (void)ctx;
    if (!v_is_heapobj(v) || obj_class(v_obj(v)) != C_HOST || v_obj(v)->x[0] != (uword)cls)
        return NULL;
    return (void *)v_obj(v)->x[1];
}

int ujs_set_host_opaque(ujs_ctx *ctx, ujs_value v, const ujs_class_def *cls, void *opaque)
{
    (void)ctx;
    if (!v_is_heapobj(v) || obj_class(v_obj(v)) != C_HOST || v_obj(v)->x[0] != (uword)cls)
        return UJS_EINVAL;
    v_obj(v)->x[1] = (uword)opaque;
    return UJS_OK;
}

int ujs_set_host_const(ujs_ctx *ctx, ujs_value v, const char *name, ujs_value val)
{
    if (!v_is_heapobj(v) || obj_class(v_obj(v)) != C_HOST) return UJS_EINVAL;
    ujs_ref rv, rval;
    ujs_push_ref(ctx, &rv, v);
    ujs_push_ref(ctx, &rval, val);
    ujs_value atom = atom_from_cstr(ctx, name);
    int r = atom == V_EXCEPTION ? -1 : host_define_const(ctx, rv.val, atom, rval.val);
    ujs_pop_ref(ctx, &rval);
    ujs_pop_ref(ctx, &rv);
    return r > 0 ? UJS_EINVAL : finish(ctx, r);
}

void ujs_set_opaque(ujs_ctx *ctx, void *opaque)
{
    ctx->opaque = opaque;
}

_Static_assert(offsetof(ujs_ctx, opaque) == 0, "ujs_get_opaque reads the first word");

void ujs_set_interrupt_handler(ujs_ctx *ctx, ujs_interrupt_handler h, void *opaque, uint32_t period)
{
    ctx->ih = h;
    ctx->ih_opaque = opaque;
    ctx->ih_period = period ? period : 1;
    ctx->ih_start = h ? (int32_t)ctx->ih_period : INT32_MAX;
    ctx->ih_counter = ctx->ih_start;
}

void ujs_get_mem_stats(ujs_ctx *ctx, ujs_mem_stats *out)
{
    out->buffer_size = (size_t)(ctx->mem_end - (uint8_t *)ctx);
    out->heap_size = (size_t)(ctx->heap_end - ctx->heap_start) * WSIZE;
    uword used = (uword)(ctx->heap_top - ctx->heap_start);
#ifdef UJS_GC_STRESS
    /* not the stress filler (the only free block that outlives a collection),
     * whose size alternates: heap_used is the same as in a normal build */
    if (used && hdr_type(*ctx->heap_start) == T_FREE) used -= hdr_words(*ctx->heap_start);
#endif
    out->heap_used = (size_t)used * WSIZE;
    heap_update_peak(ctx);
    out->heap_peak = ctx->heap_peak;
    out->stack_size = (size_t)(ctx->stack_end - ctx->stack_base) * WSIZE;
    out->stack_peak = (size_t)(ctx->stack_peak - ctx->stack_base) * WSIZE;
    out->gc_count = ctx->gc_count;
}

void ujs_gc(ujs_ctx *ctx)
{
    gc_collect(ctx);
}

/* ---- refs ---- */

void ujs_push_ref(ujs_ctx *ctx, ujs_ref *ref, ujs_value v)
{
    ref->val = v;
    ref->prev = ctx->scoped;
    ref->next = NULL;
    ctx->scoped = ref;
}

void ujs_pop_ref(ujs_ctx *ctx, ujs_ref *ref)
{
#ifdef UJS_GC_STRESS
    /* popping out of order would drop the refs above from the roots */
    if (ctx->scoped != ref) __builtin_trap();
#endif
    ctx->scoped = ref->prev;
}

void ujs_add_ref(ujs_ctx *ctx, ujs_ref *ref, ujs_value v)
{
    ref->val = v;
    ref->next = ctx->persistent.next;
    ref->prev = &ctx->persistent;
    ctx->persistent.next->prev = ref;
    ctx->persistent.next = ref;
}

void ujs_remove_ref(ujs_ctx *ctx, ujs_ref *ref)
{
    (void)ctx;
    ref->prev->next = ref->next;
    ref->next->prev = ref->prev;
    ref->next = ref->prev = ref;
}

/* ---- running ---- */

/* Ends a host-level call: converts the internal outcome into a status and
 * clears the abort state so the context is usable again. */
int api_status(ujs_ctx *ctx)
{
    int st = ctx->abort_status ? ctx->abort_status : UJS_EEXCEPTION;
    if (ctx->c_depth == 0) ctx->abort_status = 0;
    return st;
}

static int finish(ujs_ctx *ctx, int r)
{
    return r == 0 ? UJS_OK : api_status(ctx);
}

int ujs_compile(ujs_ctx *ctx, const char *src, size_t len, const char *filename, ujs_value *fn)
{
    ujs_value fb = V_UNDEFINED;
#ifdef UJS_NO_COMPILER
    (void)src;
    (void)len;
    (void)filename;
    throw_fmt(ctx, E_SYNTAX, "this engine was built without the compiler (UJS_NO_COMPILER)");
    int r = -1;
#else
    int r = compile_script(ctx, src, len, filename ? filename : "<input>", &fb);
#endif
    if (r == 0) {
        ujs_ref rf;
        ujs_push_ref(ctx, &rf, fb);
        ujs_value c = obj_new(ctx, v_mkromobj(RO_FUNCTION_PROTO), C_FUNCTION, 2);
        if (c == V_EXCEPTION) {
            r = -1;
        } else {
            v_obj(c)->x[0] = rf.val;
            v_obj(c)->x[1] = V_UNDEFINED;
            *fn = c;
        }
        ujs_pop_ref(ctx, &rf);
    }
    return finish(ctx, r);
}

int ujs_load_bytecode(ujs_ctx *ctx, const uint8_t *buf, size_t len, ujs_value *main_fn)
{
    ujs_value fn = V_UNDEFINED;
    int r = load_bytecode(ctx, buf, len, &fn);
    if (r == 0 && main_fn) *main_fn = fn;
    return finish(ctx, r);
}

static NOINLINE int call_slow(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc,
                              const ujs_value *argv, ujs_value *result)
{
    ujs_value r, *out = result ? result : &r;
    /* run_js takes argc <= 0xffff; call_other fails any other count */
    if ((unsigned)argc <= 0xffff ? call_value(ctx, func, this_val, argc, argv, out) == 0
                                 : call_other(ctx, func, this_val, argc, argv, out) == 0)
        return UJS_OK;
    if (result) *result = V_UNDEFINED;
    return finish(ctx, -1);
}

int ujs_call(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc, const ujs_value *argv,
             ujs_value *result)
{
    /* the common call, a JS function with a result wanted, is a tail call */
    if (result && (unsigned)argc <= 0xffff && v_is_heapobj(func) &&
        obj_class(v_obj(func)) == C_FUNCTION && ctx->c_depth < MAX_C_DEPTH)
        return run_js(ctx, func, this_val, argc | RUN_JS_API, argv, result);
    return call_slow(ctx, func, this_val, argc, argv, result);
}

int ujs_eval(ujs_ctx *ctx, const char *src, size_t len, const char *filename, ujs_value *result)
{
    ujs_value fn = V_UNDEFINED;
    int st = ujs_compile(ctx, src, len, filename, &fn);
    if (st) return st;
    return ujs_call(ctx, fn, ctx->global, 0, NULL, result);
}

ujs_value ujs_get_exception(ujs_ctx *ctx)
{
    ujs_value e = ctx->exception;
    ctx->exception = V_UNDEFINED;
    return e;
}

/* ---- values ---- */

bool ujs_is_number(ujs_value v)
{
    return v_is_number(v);
}

bool ujs_get_int32_slow(ujs_value v, int32_t *out)
{
    double d;
    if (v_is_int(v)) {
        /* small ints are wider than 32 bits on 64-bit targets */
        sword i = v_int(v);
        if ((sword)(int32_t)i != i) return false;
        *out = (int32_t)i;
        return true;
    }
    if (!v_is_float(v)) return false;
    d = v_float(v);
    if (!(d >= -2147483648.0 && d <= 2147483647.0) || d != (double)(int32_t)d) return false;
    *out = (int32_t)d;
    return true;
}

bool ujs_is_string(ujs_ctx *ctx, ujs_value v)
{
    (void)ctx;
    return v_is_string(v);
}

bool ujs_is_object(ujs_ctx *ctx, ujs_value v)
{
    (void)ctx;
    return v_is_obj(v);
}

bool ujs_is_function(ujs_ctx *ctx, ujs_value v)
{
    (void)ctx;
    return v_is_callable(v);
}

int ujs_new_number(ujs_ctx *ctx, double d, ujs_value *out)
{
    ujs_value v = num_new(ctx, d);
    if (v == V_EXCEPTION) return finish(ctx, -1);
    *out = v;
    return UJS_OK;
}

ujs_value ujs_new_int32_slow(ujs_ctx *ctx, int32_t i)
{
    if (smi_fits(i)) return v_mkint(i);
    ujs_value v = num_new(ctx, i);
    if (v == V_EXCEPTION) {
        finish(ctx, -1);
        return V_UNDEFINED;
    }
    return v;
}

int ujs_new_string(ujs_ctx *ctx, const char *s, size_t len, ujs_value *out)
{
    if (len > (1u << 29)) return UJS_EINVAL;
    ujs_value v = str_from_utf8(ctx, s, len);
    if (v == V_EXCEPTION) return finish(ctx, -1);
    *out = v;
    return UJS_OK;
}

int ujs_new_object(ujs_ctx *ctx, ujs_value *out)
{
    ujs_value v = obj_new(ctx, v_mkromobj(RO_OBJECT_PROTO), C_OBJECT, 0);
    if (v == V_EXCEPTION) return finish(ctx, -1);
    *out = v;
    return UJS_OK;
}

int ujs_new_array(ujs_ctx *ctx, ujs_value *out)
{
    ujs_value v = arr_new(ctx, 0);
    if (v == V_EXCEPTION) return finish(ctx, -1);
    *out = v;
    return UJS_OK;
}

int ujs_new_cfunction(ujs_ctx *ctx, ujs_cfunc f, const char *name, int length, ujs_value data,
                      ujs_value *out)
{
    ujs_ref rd;
    ujs_push_ref(ctx, &rd, data);
    ujs_value a = atom_from_cstr(ctx, name ? name : "");
    ujs_ref ra;
    ujs_push_ref(ctx, &ra, a);
    ujs_value o = a == V_EXCEPTION ? a : obj_new(ctx, v_mkromobj(RO_FUNCTION_PROTO), C_CFUNC, 4);
    if (o != V_EXCEPTION) {
        memcpy(&v_obj(o)->x[0], &f, sizeof f);
        v_obj(o)->x[1] = rd.val;
        v_obj(o)->x[2] = ra.val;
        v_obj(o)->x[3] = v_mkint(length);
    }
    ujs_pop_ref(ctx, &ra);
    ujs_pop_ref(ctx, &rd);
    if (o == V_EXCEPTION) return finish(ctx, -1);
    *out = o;
    return UJS_OK;
}

int ujs_new_u8array(ujs_ctx *ctx, size_t len, ujs_value *out)
{
    if (len > 0x7fffffff) return UJS_EINVAL;
    ujs_value o = obj_new(ctx, v_mkromobj(RO_U8ARRAY_PROTO), C_U8ARRAY, 1);
    if (o == V_EXCEPTION) return finish(ctx, -1);
    v_obj(o)->x[0] = V_UNDEFINED;
    ujs_ref ro;
    ujs_push_ref(ctx, &ro, o);
    bytesblk *b = heap_alloc(ctx, 2 + words_for_bytes(len), T_BYTES);
    o = ro.val;
    ujs_pop_ref(ctx, &ro);
    if (!b) {
        throw_oom(ctx);
        return finish(ctx, -1);
    }
    b->len = len;
    memset(bytes_data(b), 0, len);
    v_obj(o)->x[0] = (ujs_value)b;
    *out = o;
    return UJS_OK;
}

int ujs_to_number(ujs_ctx *ctx, ujs_value v, double *out)
{
    if (v_is_int(v)) { /* the common case of host calls */
        *out = (double)v_int(v);
        return UJS_OK;
    }
    return finish(ctx, to_number(ctx, v, out));
}

int ujs_to_int32(ujs_ctx *ctx, ujs_value v, int32_t *out)
{
    if (v_is_int(v)) {
        *out = smi_to_int32(v_int(v));
        return UJS_OK;
    }
    return finish(ctx, to_int32(ctx, v, out));
}

int ujs_to_cstring(ujs_ctx *ctx, ujs_value v, char *buf, size_t size, size_t *len)
{
    ujs_value s = to_string(ctx, v);
    if (s == V_EXCEPTION) return finish(ctx, -1);
    size_t n = str_to_utf8(s, buf, size);
    if (len) *len = n;
    return UJS_OK;
}

/* ---- properties ---- */

int ujs_get_property(ujs_ctx *ctx, ujs_value o, const char *name, ujs_value *out)
{
    ujs_ref ro;
    ujs_push_ref(ctx, &ro, o);
    ujs_value a = atom_from_cstr(ctx, name);
    o = ro.val;
    ujs_pop_ref(ctx, &ro);
    if (a == V_EXCEPTION) return finish(ctx, -1);
    if (o == V_UNDEFINED || o == V_NULL) {
        throw_fmt(ctx, E_TYPE, "cannot read property '%s' of %s", name,
                  o == V_NULL ? "null" : "undefined");
        return finish(ctx, -1);
    }
    return finish(ctx, obj_get(ctx, o, a, o, out));
}

int ujs_set_property(ujs_ctx *ctx, ujs_value o, const char *name, ujs_value v)
{
    ujs_ref ro, rv;
    ujs_push_ref(ctx, &ro, o);
    ujs_push_ref(ctx, &rv, v);
    ujs_value a = atom_from_cstr(ctx, name);
    int r = a == V_EXCEPTION ? -1 : obj_set(ctx, ro.val, a, rv.val);
    ujs_pop_ref(ctx, &rv);
    ujs_pop_ref(ctx, &ro);
    return finish(ctx, r);
}

int ujs_get_index(ujs_ctx *ctx, ujs_value o, uint32_t idx, ujs_value *out)
{
    if (!smi_fits(idx)) return UJS_EINVAL;
    return finish(ctx, get_elem(ctx, o, v_mkint((int32_t)idx), out));
}

int ujs_set_index(ujs_ctx *ctx, ujs_value o, uint32_t idx, ujs_value v)
{
    if (!smi_fits(idx)) return UJS_EINVAL;
    return finish(ctx, set_elem(ctx, o, v_mkint((int32_t)idx), v));
}

ujs_value ujs_get_global_object(ujs_ctx *ctx)
{
    return ctx->global;
}

/* ---- typed-array shim ---- */

bool ujs_is_u8array(ujs_ctx *ctx, ujs_value v)
{
    (void)ctx;
    return v_is_heapobj(v) && obj_class(v_obj(v)) == C_U8ARRAY;
}

size_t ujs_u8array_len(ujs_ctx *ctx, ujs_value v)
{
    if (!ujs_is_u8array(ctx, v)) return 0;
    return (size_t)((bytesblk *)v_obj(v)->x[0])->len;
}

uint8_t *ujs_u8array_data(ujs_ctx *ctx, ujs_value v)
{
    if (!ujs_is_u8array(ctx, v)) return NULL;
    return bytes_data((bytesblk *)v_obj(v)->x[0]);
}

bool ujs_get_u8array(ujs_ctx *ctx, ujs_value v, uint8_t **data, size_t *len)
{
    if (!ujs_is_u8array(ctx, v)) return false;
    bytesblk *b = (bytesblk *)v_obj(v)->x[0];
    *data = bytes_data(b);
    *len = (size_t)b->len;
    return true;
}

uint8_t *ujs_u8array_exact(ujs_ctx *ctx, ujs_value v, size_t len)
{
    (void)ctx;
    if (!v_is_heapobj(v) || obj_class(v_obj(v)) != C_U8ARRAY) return NULL;
    bytesblk *b = (bytesblk *)v_obj(v)->x[0];
    return b->len == len ? bytes_data(b) : NULL;
}
