/*
 * Objects and properties. A heap object has a prototype, an optional
 * property block of (key atom, value, flags) triples searched linearly
 * (objects in this engine's programs are small), and class slots (array
 * elements, function code, typed-array bytes). ROM objects are const tables
 * and read-only. Prototype chains are walked iteratively with a depth
 * limit, so a cycle or an absurd chain is a TypeError, not a hang.
 */
#include "internal.h"

#define MAX_PROTO_DEPTH 256

ujs_value obj_new(ujs_ctx *ctx, ujs_value proto, unsigned cls, uword nextra)
{
    ctx->scratch[3] = proto;
    obj *o = heap_alloc(ctx, 4 + nextra, T_OBJECT);
    proto = ctx->scratch[3];
    ctx->scratch[3] = V_UNDEFINED;
    if (!o) return throw_oom(ctx);
    o->proto = proto;
    o->props = V_NULL;
    o->cls = cls | OBJ_EXTENSIBLE;
    if (cls == C_CFUNC) o->x[0] = 0;
    return (ujs_value)o;
}

/* ROM object indices past the engine's table are the host's global functions. */
static bool is_host_fn(ujs_value v)
{
    return v_romobj_idx(v) >= ujs_rom_nobjs;
}

const ujs_cfunc_def *host_fn_def(ujs_ctx *ctx, ujs_value v)
{
    uint32_t i = v_romobj_idx(v);
    if (i >= HOST_METHOD) return &ctx->classes[(i >> 10) & 15]->methods[i & 1023];
    return &ctx->host_globals[i - ujs_rom_nobjs];
}

static bool name_is(ujs_value atom, const char *n)
{
    strview sv;
    str_view(atom, &sv);
    return !sv.wide && sv.len == strlen(n) && !memcmp(sv.p, n, sv.len);
}

/* Methods and read-only properties of a host object: no allocation. Name
 * searches are remembered in a small two-way (atom, class) cache, cleared
 * by the GC because heap atoms move. */
/* The host cache value of host object o's class member atom (cached
 * here), or 0 if the class has none. */
static uint32_t host_find(ujs_ctx *ctx, ujs_value o, ujs_value atom)
{
    const ujs_class_def *cls = (const ujs_class_def *)v_obj(o)->x[0];
    if (!cls) return 0;
    uint32_t cid = host_class_id(v_obj(o));
    uint32_t hv = host_cache_get(ctx, v_obj(o), atom);
    if (!hv) {
        for (uint32_t i = 0; !hv && cls->props && cls->props[i].name && i < 1024; i++)
            if (name_is(atom, cls->props[i].name)) hv = HC_PROP | HC_CLASS(cid) | i << 4;
        for (uint32_t i = 0; !hv && cls->methods && cls->methods[i].name && i < 1024; i++)
            if (name_is(atom, cls->methods[i].name))
                hv = (uint32_t)v_mkromobj(HOST_METHOD | cid << 10 | i);
        if (!hv) return false;
        /* the newest member takes the first way, the one it held moves
         * to the second */
        uint32_t h = host_cache_hash(atom, cid);
        ctx->host_cache_atom[h + 1] = ctx->host_cache_atom[h];
        ctx->host_cache_val[h + 1] = ctx->host_cache_val[h];
        ctx->host_cache_atom[h] = atom;
        ctx->host_cache_val[h] = hv;
    }
    return hv;
}

bool host_get(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value *out)
{
    uint32_t hv = host_find(ctx, o, atom);
    if (!hv) return false;
    const ujs_class_def *cls = (const ujs_class_def *)v_obj(o)->x[0];
    if (hv & HC_PROP)
        *out = cls->props[HC_INDEX(hv)].get(ctx, o, (void *)v_obj(o)->x[1]);
    else
        *out = hv;
    return true;
}

static bool global_extra(ujs_ctx *ctx, ujs_value atom, ujs_value *out)
{
    if (atom == A(globalThis)) {
        *out = ctx->global;
        return true;
    }
    strview sv;
    str_view(atom, &sv);
    for (uint32_t i = 0; i < ctx->nhost_globals; i++) {
        const char *n = ctx->host_globals[i].name;
        if (!sv.wide && sv.len == strlen(n) && !memcmp(sv.p, n, sv.len)) {
            *out = host_global_value(ctx, i);
            return true;
        }
    }
    return false;
}

bool v_is_callable(ujs_value v)
{
    if (v_is_romobj(v)) return is_host_fn(v) || ujs_rom_objs[v_romobj_idx(v)].kind != ROM_PLAIN;
    if (!v_is_heapobj(v)) return false;
    unsigned c = obj_class(v_obj(v));
    return c == C_FUNCTION || c == C_CFUNC;
}

bool v_is_array(ujs_value v)
{
    return v_is_heapobj(v) && obj_class(v_obj(v)) == C_ARRAY;
}

ujs_value obj_proto_of(ujs_ctx *ctx, ujs_value v)
{
    (void)ctx;
    if (v_is_heapobj(v)) return v_obj(v)->proto;
    if (v_is_romobj(v)) {
        if (is_host_fn(v)) return v_mkromobj(RO_FUNCTION_PROTO);
        uint16_t p = ujs_rom_objs[v_romobj_idx(v)].proto;
        return p == 0xffff ? V_NULL : v_mkromobj(p);
    }
    if (v_is_number(v)) return v_mkromobj(RO_NUMBER_PROTO);
    if (v_is_string(v)) return v_mkromobj(RO_STRING_PROTO);
    if (v == V_TRUE || v == V_FALSE) return v_mkromobj(RO_BOOLEAN_PROTO);
    return V_NULL;
}

const rom_prop *rom_find(const rom_obj *ro, ujs_value atom)
{
    uint16_t g = 0;
    return rom_find_guess(ro, atom, &g);
}

ujs_value *obj_find_own(ujs_value o, ujs_value atom, int *flags)
{
    ujs_value *kv = obj_own_kv(o, atom);
    if (!kv) return NULL;
    if (flags) *flags = v_int(kv[2]);
    return &kv[1];
}

static bool fb_virtual(ujs_value o, ujs_value atom, ujs_value *out)
{
    obj *ob = v_obj(o);
    unsigned c = obj_class(ob);
    if (c == C_ARRAY || c == C_ARGUMENTS) {
        if (atom == A(length)) {
            *out = ob->x[1];
            return true;
        }
    } else if (c == C_U8ARRAY) {
        if (atom == A(length)) {
            *out = v_mkint((int32_t)((bytesblk *)ob->x[0])->len);
            return true;
        }
    } else if (c == C_FUNCTION) {
        funcbc *f = (funcbc *)ob->x[0];
        if (atom == A(length)) {
            *out = v_mkint((int32_t)FB_NPARAMS(f));
            return true;
        }
        if (atom == A(name)) {
            *out = f->name == V_UNDEFINED ? A(empty) : f->name;
            return true;
        }
    } else if (c == C_CFUNC) {
        if (atom == A(length)) {
            *out = ob->x[3];
            return true;
        }
        if (atom == A(name)) {
            *out = ob->x[2];
            return true;
        }
    }
    return false;
}

static int call_getter(ujs_ctx *ctx, ujs_value pair, ujs_value receiver, ujs_value *out)
{
    ujs_value g = ((ujs_value *)v_ptr(pair))[1];
    if (g == V_UNDEFINED) {
        *out = V_UNDEFINED;
        return 0;
    }
    return call_value(ctx, g, receiver, 0, NULL, out);
}

int obj_lookup(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value receiver, ujs_value *out,
               uint16_t *guess)
{
    for (int depth = 0; depth < MAX_PROTO_DEPTH; depth++) {
        if (v_is_heapobj(o)) {
            ujs_value *kv = obj_own_kv_guess(o, atom, guess);
            if (kv) {
                if (kv[2] & SMI_FLAG(P_GETSET)) return call_getter(ctx, kv[1], receiver, out);
                *out = kv[1];
                return 0;
            }
            if (fb_virtual(o, atom, out)) return 0;
            uint32_t idx;
            unsigned c = obj_class(v_obj(o));
            if (c == C_HOST && host_get(ctx, o, atom, out)) return *out == V_EXCEPTION ? -1 : 0;
            if (c == C_FUNCTION && atom == A(prototype)) {
                *out = func_prototype(ctx, o);
                return *out == V_EXCEPTION ? -1 : 0;
            }
            if ((c == C_ARRAY || c == C_ARGUMENTS || c == C_U8ARRAY) && atom_is_index(atom, &idx))
                return get_elem(ctx, o, v_mkint((int32_t)idx), out);
            o = v_obj(o)->proto;
        } else if (v_is_romobj(o)) {
            if (is_host_fn(o)) {
                if (atom == A(length)) {
                    *out = v_mkint(host_fn_def(ctx, o)->length);
                    return 0;
                }
                o = obj_proto_of(ctx, o);
                continue;
            }
            const rom_obj *ro = &ujs_rom_objs[v_romobj_idx(o)];
            const rom_prop *p = rom_find_guess(ro, atom, guess);
            if (p) {
                *out = rom_prop_value(p);
                return 0;
            }
            if (v_romobj_idx(o) == RO_GLOBAL && global_extra(ctx, atom, out)) return 0;
            if (ro->kind != ROM_PLAIN) {
                if (atom == A(length)) {
                    *out = v_mkint(ro->length);
                    return 0;
                }
                if (atom == A(name)) {
                    *out = v_mkromatom(ro->name);
                    return 0;
                }
            }
            o = obj_proto_of(ctx, o);
        } else if (o == V_NULL) {
            *out = V_UNDEFINED;
            return 1;
        } else {
            if (v_is_string(o)) {
                if (atom == A(length)) {
                    *out = v_mkint((int32_t)str_length(o));
                    return 0;
                }
            }
            if (o == V_UNDEFINED) {
                *out = V_UNDEFINED;
                return 1;
            }
            o = obj_proto_of(ctx, o);
        }
    }
    throw_fmt(ctx, E_TYPE, "prototype chain too deep");
    return -1;
}

int obj_get(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value receiver, ujs_value *out)
{
    uint16_t guess = 0;
    return obj_lookup(ctx, o, atom, receiver, out, &guess) < 0 ? -1 : 0;
}

static int props_add(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value v, int flags)
{
    obj *ob = v_obj(o);
    uint32_t n = 0, cap = 0;
    if (ob->props != V_NULL) {
        props *p = (props *)ob->props;
        n = (uint32_t)v_int(p->count);
        cap = (uint32_t)((hdr_words(p->hdr) - 2) / 3);
    }
    if (n == cap) {
        uint32_t ncap = cap ? cap + (cap + 1) / 2 : 2;
        ujs_ref ro, ra, rv;
        ujs_push_ref(ctx, &ro, o);
        ujs_push_ref(ctx, &ra, atom);
        ujs_push_ref(ctx, &rv, v);
        props *np = heap_alloc(ctx, 2 + 3 * (uword)ncap, T_PROPS);
        o = ro.val;
        atom = ra.val;
        v = rv.val;
        ujs_pop_ref(ctx, &rv);
        ujs_pop_ref(ctx, &ra);
        ujs_pop_ref(ctx, &ro);
        if (!np) {
            throw_oom(ctx);
            return -1;
        }
        ob = v_obj(o);
        if (n) memcpy(np->kv, ((props *)ob->props)->kv, 3 * (size_t)n * WSIZE);
        np->count = v_mkint((int32_t)n);
        ob->props = (ujs_value)np;
        shape_changed(ctx, o);
    }
    props *p = (props *)ob->props;
    p->kv[3 * n] = atom;
    p->kv[3 * n + 1] = v;
    p->kv[3 * n + 2] = v_mkint(flags);
    p->count = v_mkint((int32_t)n + 1);
    return 0;
}

int obj_define(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value v, int flags)
{
    if (!v_is_heapobj(o)) {
        throw_fmt(ctx, E_TYPE, "cannot define a property on a built-in object");
        return -1;
    }
    int old;
    ujs_value *slot = obj_find_own(o, atom, &old);
    if (slot) {
        if (!(old & P_CONFIGURABLE) && (old & P_GETSET || !(old & P_WRITABLE) || flags != old)) {
            throw_fmt(ctx, E_TYPE, "cannot redefine property");
            return -1;
        }
        *slot = v;
        slot[1] = v_mkint(flags);
        shape_changed(ctx, o);
        return 0;
    }
    if (!(v_obj(o)->cls & OBJ_EXTENSIBLE)) {
        throw_fmt(ctx, E_TYPE, "object is not extensible");
        return -1;
    }
    return props_add(ctx, o, atom, v, flags);
}

int host_define_const(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value v)
{
    if (obj_find_own(o, atom, NULL) || host_find(ctx, o, atom)) return 1;
    /* past the extensibility check: host objects are never extensible */
    return props_add(ctx, o, atom, v, 0);
}

static int arr_set_length(ujs_ctx *ctx, ujs_value o, ujs_value v)
{
    double d;
    if (to_number(ctx, v, &d)) return -1;
    if (!(d >= 0 && d <= 0x7fffffff && d == (double)(uint32_t)d)) {
        throw_fmt(ctx, E_RANGE, "invalid array length");
        return -1;
    }
    uint32_t len = (uint32_t)d;
    obj *ob = v_obj(o);
    uint32_t old = (uint32_t)v_int(ob->x[1]);
    if (len <= old) {
        ob->x[1] = v_mkint((int32_t)len);
        return 0;
    }
    while (old < len) {
        if (arr_push(ctx, o, V_UNDEFINED)) return -1;
        old++;
    }
    return 0;
}

int obj_set(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value v)
{
    if (!v_is_heapobj(o)) {
        if (v_is_romobj(o))
            throw_fmt(ctx, E_TYPE, "cannot modify a built-in object");
        else if (o == V_UNDEFINED || o == V_NULL)
            throw_fmt(ctx, E_TYPE, "cannot set property of %s", o == V_NULL ? "null" : "undefined");
        else
            throw_fmt(ctx, E_TYPE, "cannot set property of a primitive");
        return -1;
    }
    if (obj_class(v_obj(o)) == C_HOST) {
        throw_fmt(ctx, E_TYPE, "host object is read-only");
        return -1;
    }
    int flags;
    ujs_value *slot = obj_find_own(o, atom, &flags);
    if (slot) {
        if (flags & P_GETSET) {
            ujs_value s = ((ujs_value *)v_ptr(*slot))[2];
            if (s == V_UNDEFINED) {
                throw_fmt(ctx, E_TYPE, "property has no setter");
                return -1;
            }
            ujs_value r;
            return call_value(ctx, s, o, 1, &v, &r);
        }
        if (!(flags & P_WRITABLE)) {
            throw_fmt(ctx, E_TYPE, "property is read-only");
            return -1;
        }
        *slot = v;
        return 0;
    }
    unsigned c = obj_class(v_obj(o));
    uint32_t idx;
    if (c == C_ARRAY || c == C_ARGUMENTS || c == C_U8ARRAY) {
        if (atom_is_index(atom, &idx)) return set_elem(ctx, o, v_mkint((int32_t)idx), v);
        if (atom == A(length)) {
            if (c == C_U8ARRAY) {
                throw_fmt(ctx, E_TYPE, "property is read-only");
                return -1;
            }
            return arr_set_length(ctx, o, v);
        }
    } else if (c == C_FUNCTION || c == C_CFUNC) {
        if (atom == A(length) || atom == A(name)) {
            throw_fmt(ctx, E_TYPE, "property is read-only");
            return -1;
        }
    }
    /* inherited setters and read-only properties of heap prototypes */
    ujs_value p = v_obj(o)->proto;
    for (int depth = 0; depth < MAX_PROTO_DEPTH && v_is_obj(p); depth++) {
        if (v_is_romobj(p)) {
            if (is_host_fn(p)) break;
            const rom_prop *rp = rom_find(&ujs_rom_objs[v_romobj_idx(p)], atom);
            if (rp && !(rp->flags & P_WRITABLE)) {
                throw_fmt(ctx, E_TYPE, "property is read-only");
                return -1;
            }
            if (rp) break;
            p = obj_proto_of(ctx, p);
            continue;
        }
        ujs_value *s = obj_find_own(p, atom, &flags);
        if (s) {
            if (flags & P_GETSET) {
                ujs_value setter = ((ujs_value *)v_ptr(*s))[2];
                if (setter == V_UNDEFINED) break;
                ujs_value r;
                return call_value(ctx, setter, o, 1, &v, &r);
            }
            if (!(flags & P_WRITABLE)) {
                throw_fmt(ctx, E_TYPE, "property is read-only");
                return -1;
            }
            break;
        }
        p = v_obj(p)->proto;
    }
    if (!(v_obj(o)->cls & OBJ_EXTENSIBLE)) {
        throw_fmt(ctx, E_TYPE, "object is not extensible");
        return -1;
    }
    return props_add(ctx, o, atom, v, P_DEFAULT);
}

int obj_delete(ujs_ctx *ctx, ujs_value o, ujs_value atom, bool *deleted)
{
    *deleted = true;
    if (!v_is_heapobj(o)) {
        if (v_is_romobj(o)) {
            throw_fmt(ctx, E_TYPE, "cannot delete a property of a built-in object");
            return -1;
        }
        return 0;
    }
    unsigned c = obj_class(v_obj(o));
    uint32_t idx;
    if ((c == C_ARRAY || c == C_ARGUMENTS || c == C_U8ARRAY) &&
        (atom == A(length) || atom_is_index(atom, &idx))) {
        throw_fmt(ctx, E_TYPE, "cannot delete array elements (no holes)");
        return -1;
    }
    ujs_value tmp;
    if (c == C_HOST && (obj_find_own(o, atom, NULL) || host_get(ctx, o, atom, &tmp))) {
        /* the class's methods and properties are fixed */
        throw_fmt(ctx, E_TYPE, "cannot delete a property of a host object");
        return -1;
    }
    int flags;
    ujs_value *slot = obj_find_own(o, atom, &flags);
    if (!slot) return 0;
    if (!(flags & P_CONFIGURABLE)) {
        throw_fmt(ctx, E_TYPE, "property is not configurable");
        return -1;
    }
    props *p = (props *)v_obj(o)->props;
    uint32_t n = (uint32_t)v_int(p->count);
    ujs_value *kv = slot - 1;
    memmove(kv, kv + 3, (size_t)((p->kv + 3 * n) - (kv + 3)) * WSIZE);
    p->kv[3 * (n - 1)] = p->kv[3 * (n - 1) + 1] = p->kv[3 * (n - 1) + 2] = V_UNDEFINED;
    p->count = v_mkint((int32_t)n - 1);
    shape_changed(ctx, o);
    return 0;
}

int obj_has(ujs_ctx *ctx, ujs_value o, ujs_value atom, bool *has)
{
    for (int depth = 0; depth < MAX_PROTO_DEPTH; depth++) {
        ujs_value tmp;
        if (v_is_heapobj(o)) {
            if (obj_find_own(o, atom, NULL) || fb_virtual(o, atom, &tmp) ||
                (obj_class(v_obj(o)) == C_HOST && host_get(ctx, o, atom, &tmp))) {
                *has = true;
                return 0;
            }
            uint32_t idx;
            unsigned c = obj_class(v_obj(o));
            if ((c == C_ARRAY || c == C_ARGUMENTS || c == C_U8ARRAY) && atom_is_index(atom, &idx)) {
                uint32_t len = c == C_U8ARRAY ? (uint32_t)((bytesblk *)v_obj(o)->x[0])->len
                                              : (uint32_t)v_int(v_obj(o)->x[1]);
                *has = idx < len;
                return 0;
            }
        } else if (v_is_romobj(o)) {
            if (!is_host_fn(o) &&
                (rom_find(&ujs_rom_objs[v_romobj_idx(o)], atom) ||
                 (v_romobj_idx(o) == RO_GLOBAL && global_extra(ctx, atom, &tmp)))) {
                *has = true;
                return 0;
            }
        } else {
            *has = false;
            return 0;
        }
        o = obj_proto_of(ctx, o);
    }
    throw_fmt(ctx, E_TYPE, "prototype chain too deep");
    return -1;
}

/* ---- arrays ---- */

ujs_value arr_new(ujs_ctx *ctx, uint32_t cap)
{
    ujs_value a = obj_new(ctx, v_mkromobj(RO_ARRAY_PROTO), C_ARRAY, 2);
    if (a == V_EXCEPTION) return a;
    v_obj(a)->x[0] = V_UNDEFINED;
    v_obj(a)->x[1] = v_mkint(0);
    if (cap) {
        ctx->scratch[3] = a;
        ujs_value *e = heap_alloc(ctx, 1 + (uword)cap, T_VALARR);
        a = ctx->scratch[3];
        ctx->scratch[3] = V_UNDEFINED;
        if (!e) return throw_oom(ctx);
        v_obj(a)->x[0] = (ujs_value)e;
    }
    return a;
}

int arr_push(ujs_ctx *ctx, ujs_value a, ujs_value v)
{
    obj *o = v_obj(a);
    uint32_t len = (uint32_t)v_int(o->x[1]);
    uword cap = o->x[0] == V_UNDEFINED ? 0 : hdr_words(*v_ptr(o->x[0])) - 1;
    if (len == cap) {
        if (len >= 0x3FFFFFFFu) {
            throw_fmt(ctx, E_RANGE, "array too long");
            return -1;
        }
        uword ncap = cap ? cap + cap / 2 + 1 : 4;
        ujs_ref ra, rv;
        ujs_push_ref(ctx, &ra, a);
        ujs_push_ref(ctx, &rv, v);
        ujs_value *e = heap_alloc(ctx, 1 + ncap, T_VALARR);
        a = ra.val;
        v = rv.val;
        ujs_pop_ref(ctx, &rv);
        ujs_pop_ref(ctx, &ra);
        if (!e) {
            throw_oom(ctx);
            return -1;
        }
        o = v_obj(a);
        if (len) memcpy(e + 1, (ujs_value *)v_ptr(o->x[0]) + 1, len * WSIZE);
        o->x[0] = (ujs_value)e;
    }
    ((ujs_value *)v_ptr(o->x[0]))[1 + len] = v;
    o->x[1] = v_mkint((int32_t)len + 1);
    return 0;
}

static bool key_index(ujs_value key, uint32_t *idx)
{
    if (v_is_int(key)) {
        if (v_int(key) < 0 || (uint64_t)v_int(key) >= 0xFFFFFFFFull) return false;
        *idx = (uint32_t)v_int(key);
        return true;
    }
    if (v_is_float(key)) {
        double d = v_float(key);
        if (d >= 0 && d < 4294967295.0 && d == (double)(uint32_t)d) {
            *idx = (uint32_t)d;
            return true;
        }
    }
    return false;
}

int get_elem(ujs_ctx *ctx, ujs_value o, ujs_value key, ujs_value *out)
{
    uint32_t idx;
    if (v_is_heapobj(o) && key_index(key, &idx)) {
        obj *ob = v_obj(o);
        unsigned c = obj_class(ob);
        if (c == C_ARRAY || c == C_ARGUMENTS) {
            *out = idx < (uint32_t)v_int(ob->x[1]) ? ((ujs_value *)v_ptr(ob->x[0]))[1 + idx]
                                                   : V_UNDEFINED;
            return 0;
        }
        if (c == C_U8ARRAY) {
            bytesblk *b = (bytesblk *)ob->x[0];
            *out = idx < b->len ? v_mkint(bytes_data(b)[idx]) : V_UNDEFINED;
            return 0;
        }
    } else if (v_is_string(o) && key_index(key, &idx)) {
        strview sv;
        str_view(o, &sv);
        if (idx >= sv.len) {
            *out = V_UNDEFINED;
            return 0;
        }
        uint32_t c = sv_at(&sv, idx);
        ujs_value s = str_new(ctx, 1, c > 0xFF);
        if (s == V_EXCEPTION) return -1;
        if (c > 0xFF) {
            uint16_t u = (uint16_t)c;
            memcpy(str_bytes((strblk *)s), &u, 2);
        } else {
            str_bytes((strblk *)s)[0] = (uint8_t)c;
        }
        *out = s;
        return 0;
    }
    if (o == V_UNDEFINED || o == V_NULL) {
        throw_fmt(ctx, E_TYPE, "cannot read property of %s", o == V_NULL ? "null" : "undefined");
        return -1;
    }
    ujs_ref ro;
    ujs_push_ref(ctx, &ro, o);
    ujs_value atom = atom_from_value(ctx, key);
    o = ro.val;
    ujs_pop_ref(ctx, &ro);
    if (atom == V_EXCEPTION) return -1;
    return obj_get(ctx, o, atom, o, out);
}

int set_elem(ujs_ctx *ctx, ujs_value o, ujs_value key, ujs_value v)
{
    uint32_t idx;
    if (v_is_heapobj(o) && key_index(key, &idx)) {
        obj *ob = v_obj(o);
        unsigned c = obj_class(ob);
        if (c == C_ARRAY || c == C_ARGUMENTS) {
            uint32_t len = (uint32_t)v_int(ob->x[1]);
            if (idx < len) {
                ((ujs_value *)v_ptr(ob->x[0]))[1 + idx] = v;
                return 0;
            }
            if (idx == len) return arr_push(ctx, o, v);
            throw_fmt(ctx, E_TYPE, "array index %u out of bounds (no holes)", idx);
            return -1;
        }
        if (c == C_U8ARRAY) {
            bytesblk *b = (bytesblk *)ob->x[0];
            if (idx >= b->len) return 0;
            int32_t i;
            if (v_is_int(v)) {
                i = smi_to_int32(v_int(v));
            } else {
                ujs_ref ro;
                ujs_push_ref(ctx, &ro, o);
                int r = to_int32(ctx, v, &i);
                o = ro.val;
                ujs_pop_ref(ctx, &ro);
                if (r) return -1;
                b = (bytesblk *)v_obj(o)->x[0];
            }
            bytes_data(b)[idx] = (uint8_t)i;
            return 0;
        }
    }
    ujs_ref ro, rv;
    ujs_push_ref(ctx, &ro, o);
    ujs_push_ref(ctx, &rv, v);
    ujs_value atom = atom_from_value(ctx, key);
    o = ro.val;
    v = rv.val;
    ujs_pop_ref(ctx, &rv);
    ujs_pop_ref(ctx, &ro);
    if (atom == V_EXCEPTION) return -1;
    return obj_set(ctx, o, atom, v);
}

static ujs_value index_string(ujs_ctx *ctx, uint32_t i)
{
    char buf[16];
    size_t n = num_to_chars((double)i, buf);
    return str_from_utf8(ctx, buf, n);
}

int own_keys(ujs_ctx *ctx, ujs_value o, ujs_value *out)
{
    ujs_ref ro, rk;
    ujs_push_ref(ctx, &ro, o);
    ujs_push_ref(ctx, &rk, arr_new(ctx, 0));
    int ret = -1;
    if (rk.val == V_EXCEPTION) goto done;
    o = ro.val; /* arr_new may have moved it */
    if (v_is_heapobj(o)) {
        unsigned c = obj_class(v_obj(o));
        uint32_t len = 0;
        if (c == C_ARRAY || c == C_ARGUMENTS) len = (uint32_t)v_int(v_obj(o)->x[1]);
        if (c == C_U8ARRAY) len = (uint32_t)((bytesblk *)v_obj(o)->x[0])->len;
        for (uint32_t i = 0; i < len; i++) {
            ujs_value s = index_string(ctx, i);
            if (s == V_EXCEPTION || arr_push(ctx, rk.val, s)) goto done;
        }
        /* integer-like keys in ascending order, then the others in insertion order */
        uint32_t last = 0;
        bool first = true;
        for (;;) {
            ujs_value pv = v_obj(ro.val)->props, best = V_UNDEFINED;
            uint32_t n = pv == V_NULL ? 0 : (uint32_t)v_int(((props *)pv)->count), bi = 0;
            for (uint32_t i = 0; i < n; i++) {
                props *p = (props *)pv;
                uint32_t idx;
                if (!(v_int(p->kv[3 * i + 2]) & P_ENUMERABLE) || !atom_is_index(p->kv[3 * i], &idx))
                    continue;
                if ((first || idx > last) && (best == V_UNDEFINED || idx < bi)) {
                    best = p->kv[3 * i];
                    bi = idx;
                }
            }
            if (best == V_UNDEFINED) break;
            if (arr_push(ctx, rk.val, best)) goto done;
            last = bi;
            first = false;
        }
        for (uint32_t i = 0;; i++) {
            ujs_value pv = v_obj(ro.val)->props;
            if (pv == V_NULL || i >= (uint32_t)v_int(((props *)pv)->count)) break;
            props *p = (props *)pv;
            uint32_t idx;
            if (!(v_int(p->kv[3 * i + 2]) & P_ENUMERABLE) || atom_is_index(p->kv[3 * i], &idx))
                continue;
            if (arr_push(ctx, rk.val, p->kv[3 * i])) goto done;
        }
    } else if (v_is_romobj(o) && !is_host_fn(o)) { /* not a pointer: cannot move */
        const rom_obj *r = &ujs_rom_objs[v_romobj_idx(o)];
        for (uint16_t i = 0; i < r->nprops; i++)
            if (r->props[i].flags & P_ENUMERABLE)
                if (arr_push(ctx, rk.val, v_mkromatom(r->props[i].atom))) goto done;
    }
    *out = rk.val;
    ret = 0;
done:
    ujs_pop_ref(ctx, &rk);
    ujs_pop_ref(ctx, &ro);
    return ret;
}
