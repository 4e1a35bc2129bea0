/* ujs internals shared between the engine's files (strings, objects,
 * compiler, interpreter, built-ins). */
#ifndef UJS_INTERNAL_H
#define UJS_INTERNAL_H

#include "value.h"
#include "atoms.h"

/* ---- string.c: strings and atoms ---- */
typedef struct strview {
    const uint8_t *p;
    uint32_t len;
    bool wide; /* 16-bit code units (native endian) instead of Latin-1 */
} strview;

extern const char *const ujs_rom_atoms[ATOM__COUNT];
static inline bool v_is_string(ujs_value v)
{
    return v_is_romatom(v) || (v_is_ptr(v) && v_type(v) == T_STRING);
}
void str_view(ujs_value v, strview *sv); /* v must be a string */
static inline uint32_t sv_at(const strview *sv, uint32_t i)
{
    if (sv->wide) {
        uint16_t c;
        memcpy(&c, sv->p + 2 * (size_t)i, 2);
        return c;
    }
    return sv->p[i];
}
static inline uint32_t str_length(ujs_value v) /* v must be a string */
{
    if (v_is_romatom(v)) return (uint32_t)strlen(ujs_rom_atoms[v_romatom_idx(v)]);
    return str_len((const strblk *)v);
}
ujs_value str_new(ujs_ctx *ctx, uint32_t len, bool wide); /* uninitialised chars */
ujs_value str_from_utf8(ujs_ctx *ctx, const char *s, size_t len);
ujs_value str_from_view(ujs_ctx *ctx, const strview *sv, uint32_t start, uint32_t end);
ujs_value str_concat(ujs_ctx *ctx, ujs_value a, ujs_value b); /* roots its arguments */
/* s + buf[0..n) of ASCII text, or buf + s when before; roots s */
ujs_value str_concat_ascii(ujs_ctx *ctx, ujs_value s, const char *buf, uint32_t n, bool before);
bool str_equal(ujs_value a, ujs_value b);
int str_compare(ujs_value a, ujs_value b);
size_t str_to_utf8(ujs_value v, char *buf, size_t size); /* returns full length */
size_t utf8_encode(uint32_t c, uint8_t out[4]);          /* a code point; its length */
uint32_t sv_hash(const strview *sv);
ujs_value atom_from_view(ujs_ctx *ctx, const strview *sv); /* interns; may throw */
ujs_value atom_find(ujs_ctx *ctx, ujs_value str);          /* no alloc; undefined if none */
ujs_value atom_from_cstr(ujs_ctx *ctx, const char *s);
ujs_value atom_from_value(ujs_ctx *ctx, ujs_value key); /* ToPropertyKey; may throw */
bool atom_is_index(ujs_value atom, uint32_t *idx);

/* ---- object.c: objects, properties, arrays ---- */
/* Tells get_global's cache that property slots of object o moved, or one
 * was removed or redefined: the cache holds slots of the global object
 * only, so only its changes empty it. */
static inline void shape_changed(ujs_ctx *ctx, ujs_value o)
{
    if (o == ctx->global) gcache_clear(ctx);
}
ujs_value obj_new(ujs_ctx *ctx, ujs_value proto, unsigned cls, uword nextra);
ujs_value *obj_find_own(ujs_value o, ujs_value atom, int *flags); /* heap objects only */
/* A property flag as it is stored (a small int): test it on the raw slot. */
#define SMI_FLAG(f) ((uword)(f) << 1)
/* The (key, value, flags) triple of o's own property atom, or NULL (heap objects only). */
static inline ujs_value *obj_own_kv(ujs_value o, ujs_value atom)
{
    ujs_value pv = ((obj *)o)->props;
    if (pv == V_NULL) return NULL;
    props *p = (props *)pv;
    ujs_value *kv = p->kv, *end = kv + 3 * (uword)v_int(p->count);
    for (; kv < end; kv += 3)
        if (*kv == atom) return kv;
    return NULL;
}
/* The same with a guess of the index (an inline-cache slot of the caller),
 * updated when the search finds the property elsewhere. */
static inline ujs_value *obj_own_kv_guess(ujs_value o, ujs_value atom, uint16_t *guess)
{
    ujs_value pv = ((obj *)o)->props;
    if (pv == V_NULL) return NULL;
    props *p = (props *)pv;
    uword n = (uword)v_int(p->count), g = *guess;
    if (g < n && p->kv[3 * g] == atom) return &p->kv[3 * g];
    for (uword i = 0; i < n; i++) {
        if (p->kv[3 * i] == atom) {
            *guess = (uint16_t)i;
            return &p->kv[3 * i];
        }
    }
    return NULL;
}
int obj_get(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value receiver, ujs_value *out);
/* obj_get that also tells a missing property (1, *out undefined) from a
 * found one (0), and uses and updates an index guess (see obj_own_kv_guess). */
int obj_lookup(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value receiver, ujs_value *out,
               uint16_t *guess);
/* Host objects keep their class's index in the context in cls bits 16..19. */
static inline uint32_t host_class_id(const obj *o)
{
    return (uint32_t)(o->cls >> 16) & 15;
}
/* The first entry of the two-way set of (atom, class). Two ways: atoms
 * are heap addresses, so which members collide depends on where the
 * program's strings landed; with one way a program using two colliding
 * members (maps.NAME and .lookup, say) would search by name on every
 * access. */
static inline uint32_t host_cache_hash(ujs_value atom, uint32_t cid)
{
    return ((uint32_t)((atom >> 3) ^ (atom >> 7) ^ cid) & (UJS_HOST_CACHE / 2 - 1)) * 2;
}
/* Host cache values (ctx->host_cache_val): a method's value v_mkromobj(
 * HOST_METHOD | class << 10 | index) has the class in bits 14..17; a
 * property is HC_PROP | HC_CLASS(class) | index << 4. */
#define HC_PROP       0x80000000u
#define HC_CLASS(cid) ((uint32_t)(cid) << 14)
#define HC_CLASS_MASK HC_CLASS(15)
#define HC_INDEX(hv)  (((hv) >> 4) & 1023)
/* The cached member of host object o's class named atom: 0 if none. */
static inline uint32_t host_cache_get(const ujs_ctx *ctx, const obj *o, ujs_value atom)
{
    uint32_t cid = host_class_id(o), h = host_cache_hash(atom, cid);
    for (uint32_t w = h; w < h + 2; w++) {
        uint32_t hv = ctx->host_cache_val[w];
        if (ctx->host_cache_atom[w] == atom && (hv & HC_CLASS_MASK) == HC_CLASS(cid)) return hv;
    }
    return 0;
}
bool host_get(ujs_ctx *ctx, ujs_value o, ujs_value atom,
              ujs_value *out); /* false: no such member */
/* A constant (read-only, hidden) own property of host object o: 1 if o
 * already has a member atom, -1 if it threw (OOM), else 0. */
int host_define_const(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value v);
int obj_set(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value v);
int obj_define(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value v, int flags);
int obj_delete(ujs_ctx *ctx, ujs_value o, ujs_value atom, bool *deleted);
int obj_has(ujs_ctx *ctx, ujs_value o, ujs_value atom, bool *has);
ujs_value obj_proto_of(ujs_ctx *ctx, ujs_value v); /* prototype of any value (for lookups) */
/* The header's low byte is type << 3 | mark << 2 | 3, and the mark is set
 * only inside a collection, when no engine code looks at values: one byte
 * compare instead of extracting the type. */
static inline bool v_is_heapobj(ujs_value v)
{
    return v_is_ptr(v) && (uint8_t)*v_ptr(v) == (T_OBJECT << 3 | 3);
}
static inline bool v_is_obj(ujs_value v) /* heap or ROM object */
{
    return v_is_romobj(v) || v_is_heapobj(v);
}
static inline obj *v_obj(ujs_value v)
{
    return (obj *)v;
}
bool v_is_callable(ujs_value v);
bool v_is_array(ujs_value v);
ujs_value arr_new(ujs_ctx *ctx, uint32_t cap);
int arr_push(ujs_ctx *ctx, ujs_value arr, ujs_value v);
int get_elem(ujs_ctx *ctx, ujs_value o, ujs_value key, ujs_value *out);
int set_elem(ujs_ctx *ctx, ujs_value o, ujs_value key, ujs_value v);
int own_keys(ujs_ctx *ctx, ujs_value o, ujs_value *out); /* array of enumerable own keys */

/* ---- rom.c: const built-in objects ---- */
typedef struct rom_prop {
    uint16_t atom;
    uint8_t flags;
    ujs_value value; /* int, ROM atom, ROM object, special, or ROM float pointer */
} rom_prop;
typedef ujs_value (*rom_fn)(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int magic);
typedef struct rom_obj {
    const rom_prop *props;
    uint16_t nprops;
    uint16_t name;  /* atom of a function's name */
    uint16_t proto; /* ROM object index of the prototype, or 0xffff for null */
    uint8_t length;
    uint8_t kind; /* ROM_PLAIN, ROM_FUNC, ROM_CTOR */
    int16_t magic;
    rom_fn fn;
} rom_obj;
enum { ROM_PLAIN, ROM_FUNC, ROM_CTOR };
extern const rom_obj ujs_rom_objs[];
extern const uint32_t ujs_rom_nobjs;
/* indices of well-known ROM objects */
enum {
    RO_OBJECT_PROTO,
    RO_FUNCTION_PROTO,
    RO_ARRAY_PROTO,
    RO_STRING_PROTO,
    RO_NUMBER_PROTO,
    RO_BOOLEAN_PROTO,
    RO_ERROR_PROTO,
    RO_TYPEERROR_PROTO,
    RO_RANGEERROR_PROTO,
    RO_SYNTAXERROR_PROTO,
    RO_REFERENCEERROR_PROTO,
    RO_EVALERROR_PROTO,
    RO_URIERROR_PROTO,
    RO_U8ARRAY_PROTO,
    RO_GLOBAL,
};
const rom_prop *rom_find(const rom_obj *ro, ujs_value atom);
/* rom_find with an index guess (see obj_own_kv_guess); only ROM atoms name
 * ROM properties. */
static inline const rom_prop *rom_find_guess(const rom_obj *ro, ujs_value atom, uint16_t *guess)
{
    if (!v_is_romatom(atom)) return NULL;
    uint32_t a = v_romatom_idx(atom), g = *guess;
    if (g < ro->nprops && ro->props[g].atom == a) return &ro->props[g];
    for (uint16_t i = 0; i < ro->nprops; i++) {
        if (ro->props[i].atom == a) {
            *guess = i;
            return &ro->props[i];
        }
    }
    return NULL;
}
#define P_FLOAT 0x40 /* rom_prop flag: value is an index into the ROM float table */
ujs_value rom_float_value(const rom_prop *p);
static inline ujs_value rom_prop_value(const rom_prop *p)
{
    return p->flags & P_FLOAT ? rom_float_value(p) : p->value;
}
ujs_value func_prototype(ujs_ctx *ctx, ujs_value f); /* lazily created `prototype` */
ujs_value host_global_value(ujs_ctx *ctx, uint32_t i);
const ujs_cfunc_def *host_fn_def(ujs_ctx *ctx, ujs_value v); /* v: a host function value */

/* ---- conversions (interp.c) ---- */
int to_number(ujs_ctx *ctx, ujs_value v, double *out);
ujs_value to_string(ujs_ctx *ctx, ujs_value v); /* may throw */
bool to_boolean(ujs_value v);
int to_int32(ujs_ctx *ctx, ujs_value v, int32_t *out);
ujs_value type_of(ujs_value v);
bool strict_equals(ujs_value a, ujs_value b);
/* gcc's inlining into run_js, one large function, shifts with any change:
 * its per-instruction helpers and its callers' cold paths say what they need */
#ifdef __GNUC__
#define NOINLINE      __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define NOINLINE
#define ALWAYS_INLINE inline
#endif
#define MAX_C_DEPTH 24 /* nested entries of the interpreter from C */
/* run_js: func must be a JS function (C_FUNCTION) and c_depth < MAX_C_DEPTH;
 * call_other: anything else. Both write *result only on success. Engine
 * callers pass argc <= 0xffff (their arguments sit on the value stack).
 * run_js(argc | RUN_JS_API): ujs_call's call, whose status run_js returns
 * itself (api_status, *result undefined on failure) so that ujs_call can
 * tail-call it; the flag rides in the entry frame's argc word. */
#define RUN_JS_API 0x20000
int run_js(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc, const ujs_value *argv,
           ujs_value *result);
int call_other(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc, const ujs_value *argv,
               ujs_value *result);
/* Calls func from C; 0 or -1 (exception pending, or ctx->abort_status). */
static inline int call_value(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc,
                             const ujs_value *argv, ujs_value *result)
{
    if (v_is_heapobj(func) && obj_class(v_obj(func)) == C_FUNCTION && ctx->c_depth < MAX_C_DEPTH)
        return run_js(ctx, func, this_val, argc, argv, result);
    return call_other(ctx, func, this_val, argc, argv, result);
}
/* The status of a failed API call (-1 from the engine): the abort status or
 * UJS_EEXCEPTION; the outermost call clears the abort status. */
int api_status(ujs_ctx *ctx);
ujs_value make_error(ujs_ctx *ctx, int kind, ujs_value msg); /* with stack; may throw */
ujs_value capture_stack(ujs_ctx *ctx);

/* ---- bc_load.c ---- */
int load_bytecode(ujs_ctx *ctx, const uint8_t *buf, size_t len, ujs_value *main_fn);
/* Makes the lazy entry k of the pool of JS function fn's funcbc (v_is_lazy),
 * stores it back and returns it; V_EXCEPTION on failure. May collect. */
ujs_value bc_resolve_const(ujs_ctx *ctx, ujs_value fn, uint32_t k);
/* The file name of loaded function x's file as str_to_utf8 writes it (empty
 * when stripped); no allocation. */
size_t fx_filename_utf8(const funcext *x, char *out, size_t size);

/* ---- compiler.c ---- */
int compile_script(ujs_ctx *ctx, const char *src, size_t len, const char *filename, ujs_value *fn);

#endif
