/*
 * The standard library as const (ROM) tables: every built-in object and
 * function is an entry of ujs_rom_objs, referenced by a tagged index, so a
 * new context allocates nothing for them. ROM objects are read-only; a
 * program extends behaviour on its own objects, not on the built-ins.
 */
#include "internal.h"

#define ROV(i)   ((((ujs_value)(i)) << 4) | 14)
#define RAV(a)   ((((ujs_value)ATOM_##a) << 4) | 6)
#define RIV(i)   ((((ujs_value)(i)) << 1) | 1)
#define ARG(i)   ((i) < argc ? argv[i] : V_UNDEFINED)
#define P_METHOD (P_WRITABLE | P_CONFIGURABLE)

#define FLOAT_HDR ((((uword)FLOAT_WORDS) << 8) | ((uword)T_FLOAT << 3) | 3)
static const floatblk rom_floats[] = {
    {FLOAT_HDR, 3.141592653589793},  {FLOAT_HDR, 2.718281828459045},
    {FLOAT_HDR, __builtin_nan("")},  {FLOAT_HDR, __builtin_inf()},
    {FLOAT_HDR, 0.6931471805599453}, {FLOAT_HDR, 2.302585092994046},
    {FLOAT_HDR, 1.4426950408889634}, {FLOAT_HDR, 0.4342944819032518},
    {FLOAT_HDR, 1.4142135623730951},
};
enum { RF_PI, RF_E, RF_NAN, RF_INF, RF_LN2, RF_LN10, RF_LOG2E, RF_LOG10E, RF_SQRT2 };

ujs_value rom_float_value(const rom_prop *p)
{
    return (ujs_value)&rom_floats[v_int(p->value)];
}

/* ---- helpers ---- */

static ujs_value type_error(ujs_ctx *ctx, const char *msg)
{
    return throw_fmt(ctx, E_TYPE, "%s", msg);
}

static ujs_value ret_num(ujs_ctx *ctx, double d)
{
    return num_new(ctx, d);
}

static int arg_num(ujs_ctx *ctx, int argc, ujs_value *argv, int i, double *d)
{
    return to_number(ctx, ARG(i), d);
}

/* Relative index argument (slice/indexOf semantics), clamped to [0, len]. */
static int rel_index(ujs_ctx *ctx, ujs_value v, uint32_t len, uint32_t dflt, uint32_t *out)
{
    if (v == V_UNDEFINED) {
        *out = dflt;
        return 0;
    }
    double d;
    if (to_number(ctx, v, &d)) return -1;
    if (d != d) d = 0;
    d = d < 0 ? -num_floor(-d) : num_floor(d);
    if (d < 0) d += len;
    if (d < 0) d = 0;
    if (d > len) d = len;
    *out = (uint32_t)d;
    return 0;
}

/* ---- Object ---- */

static ujs_value object_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)m;
    ujs_value v = ARG(0);
    if (v_is_obj(v)) return v;
    if (v == V_UNDEFINED || v == V_NULL)
        return obj_new(ctx, v_mkromobj(RO_OBJECT_PROTO), C_OBJECT, 0);
    return type_error(ctx, "primitive wrapper objects are not supported");
}

static ujs_value object_create(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)m;
    ujs_value p = ARG(0);
    if (!v_is_obj(p) && p != V_NULL) return type_error(ctx, "prototype must be an object or null");
    if (argc > 1 && argv[1] != V_UNDEFINED)
        return type_error(ctx, "Object.create with properties is not supported yet");
    return obj_new(ctx, p, C_OBJECT, 0);
}

static ujs_value object_keys(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)m;
    ujs_value o = ARG(0);
    if (!v_is_obj(o)) return type_error(ctx, "Object.keys called on a non-object");
    ujs_value k;
    if (own_keys(ctx, o, &k)) return V_EXCEPTION;
    return k;
}

static ujs_value object_getproto(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)m;
    ujs_value o = ARG(0);
    if (!v_is_obj(o)) return type_error(ctx, "Object.getPrototypeOf called on a non-object");
    return obj_proto_of(ctx, o);
}

static ujs_value object_defprop(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)m;
    ujs_value o = ARG(0), d = ARG(2);
    if (!v_is_heapobj(o)) return type_error(ctx, "Object.defineProperty called on a non-object");
    if (!v_is_obj(d)) return type_error(ctx, "property descriptor must be an object");
    ujs_ref ro, rd, ra, rv;
    ujs_push_ref(ctx, &ro, o);
    ujs_push_ref(ctx, &rd, d);
    ujs_push_ref(ctx, &ra, atom_from_value(ctx, ARG(1)));
    ujs_push_ref(ctx, &rv, V_UNDEFINED);
    ujs_value ret = V_EXCEPTION;
    if (ra.val == V_EXCEPTION) goto done;
    int flags = 0;
    static const uint16_t names[3] = {ATOM_writable, ATOM_enumerable, ATOM_configurable};
    for (int i = 0; i < 3; i++) {
        ujs_value f;
        if (obj_get(ctx, rd.val, v_mkromatom(names[i]), rd.val, &f)) goto done;
        if (to_boolean(f)) flags |= 1 << i;
    }
    ujs_value g, s;
    if (obj_get(ctx, rd.val, A(get), rd.val, &g)) goto done;
    rv.val = g;
    if (obj_get(ctx, rd.val, A(set), rd.val, &s)) goto done;
    if (rv.val != V_UNDEFINED || s != V_UNDEFINED) {
        if ((rv.val != V_UNDEFINED && !v_is_callable(rv.val)) ||
            (s != V_UNDEFINED && !v_is_callable(s))) {
            type_error(ctx, "getter/setter must be a function");
            goto done;
        }
        ujs_ref rs;
        ujs_push_ref(ctx, &rs, s);
        ujs_value *pair = heap_alloc(ctx, 3, T_VALARR);
        s = rs.val;
        ujs_pop_ref(ctx, &rs);
        if (!pair) {
            throw_oom(ctx);
            goto done;
        }
        pair[1] = rv.val;
        pair[2] = s;
        if (obj_define(ctx, ro.val, ra.val, (ujs_value)pair,
                       P_GETSET | (flags & (P_ENUMERABLE | P_CONFIGURABLE))))
            goto done;
    } else {
        ujs_value v;
        if (obj_get(ctx, rd.val, A(value), rd.val, &v)) goto done;
        uint32_t idx;
        unsigned c = obj_class(v_obj(ro.val));
        if ((c == C_ARRAY || c == C_U8ARRAY) && atom_is_index(ra.val, &idx)) {
            if (flags != P_DEFAULT) {
                type_error(ctx, "array elements are always writable, enumerable and configurable");
                goto done;
            }
            if (set_elem(ctx, ro.val, v_mkint((int32_t)idx), v)) goto done;
        } else if (obj_define(ctx, ro.val, ra.val, v, flags)) {
            goto done;
        }
    }
    ret = ro.val;
done:
    ujs_pop_ref(ctx, &rv);
    ujs_pop_ref(ctx, &ra);
    ujs_pop_ref(ctx, &rd);
    ujs_pop_ref(ctx, &ro);
    return ret;
}

static ujs_value object_tostring(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)argc;
    (void)argv;
    (void)m;
    const char *s = "[object Object]";
    if (v_is_array(this_val))
        s = "[object Array]";
    else if (this_val == V_UNDEFINED)
        s = "[object Undefined]";
    else if (this_val == V_NULL)
        s = "[object Null]";
    else if (v_is_callable(this_val))
        s = "[object Function]";
    else if (v_is_heapobj(this_val) && obj_class(v_obj(this_val)) == C_ERROR)
        s = "[object Error]";
    return str_from_utf8(ctx, s, strlen(s));
}

static ujs_value object_valueof(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    (void)m;
    return this_val;
}

static ujs_value object_hasown(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    ujs_ref rt;
    ujs_push_ref(ctx, &rt, this_val);
    ujs_value a = atom_from_value(ctx, ARG(0));
    this_val = rt.val;
    ujs_pop_ref(ctx, &rt);
    if (a == V_EXCEPTION) return a;
    if (v_is_heapobj(this_val)) {
        if (obj_find_own(this_val, a, NULL)) return V_TRUE;
        unsigned c = obj_class(v_obj(this_val));
        uint32_t idx;
        if (c == C_ARRAY || c == C_U8ARRAY || c == C_ARGUMENTS) {
            if (a == A(length)) return V_TRUE;
            if (atom_is_index(a, &idx)) {
                bool has;
                if (obj_has(ctx, this_val, a, &has)) return V_EXCEPTION;
                return v_bool(has);
            }
        }
        return V_FALSE;
    }
    if (v_is_romobj(this_val))
        return v_bool(rom_find(&ujs_rom_objs[v_romobj_idx(this_val)], a) != NULL);
    return V_FALSE;
}

/* ---- Function ---- */

static ujs_value function_call(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (!v_is_callable(this_val)) return type_error(ctx, "not a function");
    ujs_value r;
    if (call_value(ctx, this_val, ARG(0), argc > 1 ? argc - 1 : 0, argv + 1, &r))
        return V_EXCEPTION;
    return r;
}

static ujs_value function_apply(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (!v_is_callable(this_val)) return type_error(ctx, "not a function");
    ujs_value arr = ARG(1), r;
    if (arr == V_UNDEFINED || arr == V_NULL) {
        if (call_value(ctx, this_val, ARG(0), 0, NULL, &r)) return V_EXCEPTION;
        return r;
    }
    if (!v_is_obj(arr)) return type_error(ctx, "apply: argument list must be an object");
    if (!v_is_heapobj(arr) ||
        (obj_class(v_obj(arr)) != C_ARRAY && obj_class(v_obj(arr)) != C_ARGUMENTS)) {
        /* array-like: copy into a real array first */
        ujs_ref rf, ra, rc;
        ujs_push_ref(ctx, &rf, this_val);
        ujs_push_ref(ctx, &ra, arr);
        ujs_push_ref(ctx, &rc, V_UNDEFINED);
        ujs_value lenv, ret = V_EXCEPTION;
        double len;
        if (obj_get(ctx, ra.val, A(length), ra.val, &lenv) || to_number(ctx, lenv, &len))
            goto al_done;
        if (!(len >= 0 && len <= 255)) {
            if (len == len)
                throw_fmt(ctx, E_RANGE, "too many arguments");
            else
                len = 0;
            if (len != 0) goto al_done;
        }
        rc.val = arr_new(ctx, (uint32_t)len);
        if (rc.val == V_EXCEPTION) goto al_done;
        for (uint32_t i = 0; i < (uint32_t)len; i++) {
            ujs_value e;
            if (get_elem(ctx, ra.val, v_mkint((int32_t)i), &e) || arr_push(ctx, rc.val, e))
                goto al_done;
        }
        ret = V_UNDEFINED;
    al_done:
        this_val = rf.val;
        arr = rc.val;
        ujs_pop_ref(ctx, &rc);
        ujs_pop_ref(ctx, &ra);
        ujs_pop_ref(ctx, &rf);
        if (ret == V_EXCEPTION) return ret;
        argv[1] = arr; /* keeps it reachable: argv lives on the value stack */
    }
    uint32_t n = (uint32_t)v_int(v_obj(arr)->x[1]);
    if (n > 255) return throw_fmt(ctx, E_RANGE, "too many arguments");
    /* copy onto the value stack: call_value copies again, so pass a pointer
     * into the elements only while nothing allocates */
    ujs_value *elems = n ? (ujs_value *)v_ptr(v_obj(arr)->x[0]) + 1 : NULL;
    if (call_value(ctx, this_val, ARG(0), (int)n, elems, &r)) return V_EXCEPTION;
    return r;
}

static ujs_value function_tostring(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                                   int m)
{
    (void)this_val;
    (void)argc;
    (void)argv;
    (void)m;
    const char *s = "function () { [code] }";
    return str_from_utf8(ctx, s, strlen(s));
}

/* Calling Function would generate code at run time, which programs may
 * not do (spec §7.2); the global exists for `instanceof Function`. */
static ujs_value function_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)argc;
    (void)argv;
    (void)m;
    return type_error(ctx, "Function: dynamic code generation is not supported");
}

/* ---- Array ---- */

static ujs_value array_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)m;
    if (argc == 1 && v_is_number(argv[0])) {
        double d = v_num(argv[0]);
        if (!(d >= 0 && d <= 0xffffff && d == (double)(uint32_t)d))
            return throw_fmt(ctx, E_RANGE, "invalid array length");
        uint32_t n = (uint32_t)d;
        ujs_value a = arr_new(ctx, n);
        if (a == V_EXCEPTION) return a;
        v_obj(a)->x[1] = v_mkint((int32_t)n); /* filled with undefined: no holes */
        return a;
    }
    ujs_value a = arr_new(ctx, (uint32_t)argc);
    if (a == V_EXCEPTION) return a;
    for (int i = 0; i < argc; i++) ((ujs_value *)v_ptr(v_obj(a)->x[0]))[1 + i] = argv[i];
    v_obj(a)->x[1] = v_mkint(argc);
    return a;
}

static ujs_value array_isarray(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)ctx;
    (void)this_val;
    (void)m;
    return v_bool(v_is_array(ARG(0)));
}

static bool this_array(ujs_value v)
{
    return v_is_heapobj(v) &&
           (obj_class(v_obj(v)) == C_ARRAY || obj_class(v_obj(v)) == C_ARGUMENTS);
}

static ujs_value array_push(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (!v_is_array(this_val)) return type_error(ctx, "push: not an array");
    ujs_ref ra;
    ujs_push_ref(ctx, &ra, this_val);
    for (int i = 0; i < argc; i++) {
        if (arr_push(ctx, ra.val, argv[i])) {
            ujs_pop_ref(ctx, &ra);
            return V_EXCEPTION;
        }
    }
    ujs_value len = v_obj(ra.val)->x[1];
    ujs_pop_ref(ctx, &ra);
    return len;
}

static ujs_value array_pop(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)argc;
    (void)argv;
    (void)m;
    if (!v_is_array(this_val)) return type_error(ctx, "pop: not an array");
    obj *o = v_obj(this_val);
    int32_t n = v_int(o->x[1]);
    if (n == 0) return V_UNDEFINED;
    ujs_value *e = (ujs_value *)v_ptr(o->x[0]) + 1;
    ujs_value v = e[n - 1];
    e[n - 1] = V_UNDEFINED;
    o->x[1] = v_mkint(n - 1);
    return v;
}

static ujs_value array_indexof(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (!this_array(this_val)) return type_error(ctx, "indexOf: not an array");
    uint32_t n = (uint32_t)v_int(v_obj(this_val)->x[1]), start;
    ujs_ref rt;
    ujs_push_ref(ctx, &rt, this_val);
    int r = rel_index(ctx, ARG(1), n, 0, &start);
    this_val = rt.val;
    ujs_pop_ref(ctx, &rt);
    if (r) return V_EXCEPTION;
    n = (uint32_t)v_int(v_obj(this_val)->x[1]);
    ujs_value *e = n ? (ujs_value *)v_ptr(v_obj(this_val)->x[0]) + 1 : NULL;
    for (uint32_t i = start; i < n; i++)
        if (strict_equals(e[i], ARG(0))) return v_mkint((int32_t)i);
    return v_mkint(-1);
}

static ujs_value array_join(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (!this_array(this_val)) return type_error(ctx, "join: not an array");
    ujs_ref ra, rsep, racc;
    ujs_push_ref(ctx, &ra, this_val);
    ujs_push_ref(ctx, &rsep, ARG(0) == V_UNDEFINED ? V_UNDEFINED : to_string(ctx, ARG(0)));
    ujs_push_ref(ctx, &racc, A(empty));
    ujs_value ret = V_EXCEPTION;
    if (rsep.val == V_EXCEPTION) goto done;
    if (rsep.val == V_UNDEFINED) {
        rsep.val = str_from_utf8(ctx, ",", 1);
        if (rsep.val == V_EXCEPTION) goto done;
    }
    for (uint32_t i = 0; i < (uint32_t)v_int(v_obj(ra.val)->x[1]); i++) {
        if (i) {
            ujs_value s = str_concat(ctx, racc.val, rsep.val);
            if (s == V_EXCEPTION) goto done;
            racc.val = s;
        }
        ujs_value e = ((ujs_value *)v_ptr(v_obj(ra.val)->x[0]))[1 + i];
        if (e == V_UNDEFINED || e == V_NULL) continue;
        ujs_value s = to_string(ctx, e);
        if (s == V_EXCEPTION) goto done;
        s = str_concat(ctx, racc.val, s);
        if (s == V_EXCEPTION) goto done;
        racc.val = s;
    }
    ret = racc.val;
done:
    ujs_pop_ref(ctx, &racc);
    ujs_pop_ref(ctx, &rsep);
    ujs_pop_ref(ctx, &ra);
    return ret;
}

static ujs_value array_tostring(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)argc;
    (void)argv;
    return array_join(ctx, this_val, 0, NULL, m);
}

static ujs_value array_slice(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (!this_array(this_val)) return type_error(ctx, "slice: not an array");
    ujs_ref rt;
    ujs_push_ref(ctx, &rt, this_val);
    uint32_t n = (uint32_t)v_int(v_obj(this_val)->x[1]), s, e;
    ujs_value ret = V_EXCEPTION;
    if (rel_index(ctx, ARG(0), n, 0, &s) || rel_index(ctx, ARG(1), n, n, &e)) goto done;
    n = (uint32_t)v_int(v_obj(rt.val)->x[1]);
    if (e > n) e = n;
    if (s > e) s = e;
    ujs_value a = arr_new(ctx, e - s);
    if (a == V_EXCEPTION) goto done;
    if (e > s)
        memcpy((ujs_value *)v_ptr(v_obj(a)->x[0]) + 1,
               (ujs_value *)v_ptr(v_obj(rt.val)->x[0]) + 1 + s, (e - s) * WSIZE);
    v_obj(a)->x[1] = v_mkint((int32_t)(e - s));
    ret = a;
done:
    ujs_pop_ref(ctx, &rt);
    return ret;
}

/* ---- String ---- */

static ujs_value string_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (this_val == V_UNINIT) return type_error(ctx, "primitive wrapper objects are not supported");
    if (argc == 0) return A(empty);
    return to_string(ctx, argv[0]);
}

static ujs_value this_string(ujs_ctx *ctx, ujs_value v)
{
    if (v == V_UNDEFINED || v == V_NULL)
        return type_error(ctx, "String method called on null or undefined");
    return to_string(ctx, v);
}

/* Slow paths kept out of line: a fast path that calls none saves no registers. */
#ifdef __GNUC__
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* charCodeAt/charAt beyond a heap string's int index: conversions, ROM
 * atoms, charAt's string result. Out of line so that the fast path saves
 * no registers. */
static NOINLINE ujs_value charcodeat_slow(ujs_ctx *ctx, ujs_value this_val, int argc,
                                          ujs_value *argv, int m)
{
    if (!m && argc > 0 && v_is_int(argv[0]) && v_is_string(this_val)) { /* a ROM atom */
        strview sv;
        str_view(this_val, &sv);
        sword i = v_int(argv[0]);
        if (i >= 0 && i < (sword)sv.len) return v_mkint((int32_t)sv_at(&sv, (uint32_t)i));
        return (ujs_value)&rom_floats[RF_NAN];
    }
    ujs_ref rs;
    ujs_push_ref(ctx, &rs, this_string(ctx, this_val));
    double d = 0;
    int r = rs.val == V_EXCEPTION ? -1 : arg_num(ctx, argc, argv, 0, &d);
    ujs_value s = rs.val;
    ujs_pop_ref(ctx, &rs);
    if (r) return V_EXCEPTION;
    strview sv;
    str_view(s, &sv);
    if (d != d) d = 0;
    d = d < 0 ? -num_floor(-d) : num_floor(d);
    if (d < 0 || d >= sv.len) return m ? A(empty) : (ujs_value)&rom_floats[RF_NAN];
    uint32_t c = sv_at(&sv, (uint32_t)d);
    if (!m) return v_mkint((int32_t)c);
    ujs_value out;
    if (get_elem(ctx, s, v_mkint((int32_t)d), &out)) return V_EXCEPTION;
    return out;
}

static ujs_value string_charcodeat(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                                   int m)
{
    if (!m && argc > 0 && v_is_int(argv[0]) && v_is_ptr(this_val) &&
        v_type(this_val) == T_STRING) { /* the common case: a heap string */
        strblk *s = (strblk *)this_val;
        sword i = v_int(argv[0]);
        if (i < 0 || i >= (sword)str_len(s)) return (ujs_value)&rom_floats[RF_NAN];
        const uint8_t *p = str_bytes(s);
        if (!(s->lenf & STR_WIDE)) return v_mkint(p[i]);
        uint16_t u;
        memcpy(&u, p + 2 * i, 2);
        return v_mkint(u);
    }
    return charcodeat_slow(ctx, this_val, argc, argv, m);
}

static ujs_value string_fromcharcode(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                                     int m)
{
    (void)this_val;
    (void)m;
    if (argc == 1 && v_is_int(argv[0]) && (uint32_t)v_int(argv[0]) <= 0xFF) {
        ujs_value s = str_new(ctx, 1, false); /* the common case: one Latin-1 unit */
        if (s != V_EXCEPTION) str_bytes((strblk *)s)[0] = (uint8_t)v_int(argv[0]);
        return s;
    }
    bool wide = false;
    for (int i = 0; i < argc; i++) {
        int32_t c;
        if (to_int32(ctx, argv[i], &c)) return V_EXCEPTION;
        argv[i] = v_mkint((int32_t)(uint16_t)c);
        if ((uint16_t)c > 0xFF) wide = true;
    }
    ujs_value s = str_new(ctx, (uint32_t)argc, wide);
    if (s == V_EXCEPTION) return s;
    uint8_t *d = str_bytes((strblk *)s);
    for (int i = 0; i < argc; i++) {
        uint16_t c = (uint16_t)v_int(argv[i]);
        if (wide)
            memcpy(d + 2 * i, &c, 2);
        else
            d[i] = (uint8_t)c;
    }
    return s;
}

static ujs_value string_indexof(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    ujs_ref rs, rp;
    ujs_push_ref(ctx, &rs, this_string(ctx, this_val));
    ujs_push_ref(ctx, &rp, rs.val == V_EXCEPTION ? V_EXCEPTION : to_string(ctx, ARG(0)));
    ujs_value ret = V_EXCEPTION;
    if (rs.val == V_EXCEPTION || rp.val == V_EXCEPTION) goto done;
    strview s, p;
    str_view(rs.val, &s);
    uint32_t start;
    if (rel_index(ctx, ARG(1), s.len, 0, &start)) goto done;
    if (ARG(1) != V_UNDEFINED && v_is_number(ARG(1)) && v_num(ARG(1)) < 0) start = 0;
    str_view(rs.val, &s);
    str_view(rp.val, &p);
    ret = v_mkint(-1);
    for (uint32_t i = start; i + p.len <= s.len; i++) {
        uint32_t k = 0;
        while (k < p.len && sv_at(&s, i + k) == sv_at(&p, k)) k++;
        if (k == p.len) {
            ret = v_mkint((int32_t)i);
            break;
        }
    }
done:
    ujs_pop_ref(ctx, &rp);
    ujs_pop_ref(ctx, &rs);
    return ret;
}

static ujs_value string_slice(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    ujs_ref rs;
    ujs_push_ref(ctx, &rs, this_string(ctx, this_val));
    ujs_value ret = V_EXCEPTION;
    if (rs.val == V_EXCEPTION) goto done;
    strview s;
    str_view(rs.val, &s);
    uint32_t a, b, n = s.len;
    if (rel_index(ctx, ARG(0), n, 0, &a) || rel_index(ctx, ARG(1), n, n, &b)) goto done;
    if (a > b) b = a;
    bool wide = false;
    str_view(rs.val, &s);
    for (uint32_t i = a; s.wide && i < b; i++)
        if (sv_at(&s, i) > 0xFF) wide = true;
    ujs_value r = str_new(ctx, b - a, wide);
    if (r == V_EXCEPTION) goto done;
    str_view(rs.val, &s);
    uint8_t *d = str_bytes((strblk *)r);
    for (uint32_t i = a; i < b; i++) {
        uint16_t c = (uint16_t)sv_at(&s, i);
        if (wide)
            memcpy(d + 2 * (i - a), &c, 2);
        else
            d[i - a] = (uint8_t)c;
    }
    ret = r;
done:
    ujs_pop_ref(ctx, &rs);
    return ret;
}

static ujs_value string_tostring(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)argc;
    (void)argv;
    (void)m;
    if (!v_is_string(this_val)) return type_error(ctx, "not a string");
    return this_val;
}

/* ---- Number, Boolean ---- */

static ujs_value number_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (this_val == V_UNINIT) return type_error(ctx, "primitive wrapper objects are not supported");
    double d = 0;
    if (argc && to_number(ctx, argv[0], &d)) return V_EXCEPTION;
    return ret_num(ctx, d);
}

static ujs_value number_tostring(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (!v_is_number(this_val)) return type_error(ctx, "not a number");
    if (argc && argv[0] != V_UNDEFINED && !(v_is_int(argv[0]) && v_int(argv[0]) == 10))
        return type_error(ctx, "toString radix other than 10 is not supported yet");
    return to_string(ctx, this_val);
}

static ujs_value boolean_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (this_val == V_UNINIT) return type_error(ctx, "primitive wrapper objects are not supported");
    return v_bool(to_boolean(ARG(0)));
}

static ujs_value prim_valueof(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    (void)m;
    return this_val;
}

static ujs_value boolean_tostring(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                                  int m)
{
    (void)argc;
    (void)argv;
    (void)m;
    if (this_val != V_TRUE && this_val != V_FALSE) return type_error(ctx, "not a boolean");
    return this_val == V_TRUE ? A(true) : A(false);
}

/* ---- Error ---- */

static ujs_value error_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    ujs_value msg = ARG(0);
    if (msg != V_UNDEFINED) {
        msg = to_string(ctx, msg);
        if (msg == V_EXCEPTION) return msg;
    }
    return make_error(ctx, m, msg);
}

static ujs_value error_tostring(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)argc;
    (void)argv;
    (void)m;
    if (!v_is_obj(this_val)) return type_error(ctx, "Error.prototype.toString: not an object");
    ujs_ref rt, rn, rm;
    ujs_push_ref(ctx, &rt, this_val);
    ujs_push_ref(ctx, &rn, V_UNDEFINED);
    ujs_push_ref(ctx, &rm, V_UNDEFINED);
    ujs_value ret = V_EXCEPTION, v;
    if (obj_get(ctx, rt.val, A(name), rt.val, &v)) goto done;
    rn.val = v == V_UNDEFINED ? A(Error) : to_string(ctx, v);
    if (rn.val == V_EXCEPTION) goto done;
    if (obj_get(ctx, rt.val, A(message), rt.val, &v)) goto done;
    rm.val = v == V_UNDEFINED ? A(empty) : to_string(ctx, v);
    if (rm.val == V_EXCEPTION) goto done;
    strview sv;
    str_view(rm.val, &sv);
    if (sv.len == 0) {
        ret = rn.val;
        goto done;
    }
    str_view(rn.val, &sv);
    if (sv.len == 0) {
        ret = rm.val;
        goto done;
    }
    ujs_value sep = str_from_utf8(ctx, ": ", 2);
    if (sep == V_EXCEPTION) goto done;
    sep = str_concat(ctx, rn.val, sep);
    if (sep == V_EXCEPTION) goto done;
    ret = str_concat(ctx, sep, rm.val);
done:
    ujs_pop_ref(ctx, &rm);
    ujs_pop_ref(ctx, &rn);
    ujs_pop_ref(ctx, &rt);
    return ret;
}

/* ---- Math ---- */

enum { M_ABS, M_FLOOR, M_CEIL, M_ROUND, M_TRUNC, M_SQRT, M_SIGN, M_FROUND, M_LOG2, M_LOG10 };

static ujs_value math_unary(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    double d;
    if (arg_num(ctx, argc, argv, 0, &d)) return V_EXCEPTION;
    switch (m) {
    case M_ABS: d = d < 0 ? -d : d == 0 ? 0 : d; break;
    case M_FLOOR: d = num_floor(d); break;
    case M_CEIL: d = -num_floor(-d); break;
    case M_ROUND: {
        if (!num_is_finite(d)) break;
        double f = num_floor(d), r = (d - f >= 0.5) ? f + 1 : f;
        d = r == 0 && d < 0 ? -0.0 : r;
        break;
    }
    case M_TRUNC: d = d < 0 ? -num_floor(-d) : num_floor(d); break;
    case M_SQRT: d = num_sqrt(d); break;
    case M_SIGN: d = d > 0 ? 1 : d < 0 ? -1 : d; break;
    case M_FROUND: d = (double)(float)d; break;
    case M_LOG2: d = num_log2(d); break;
    case M_LOG10: d = num_log10(d); break;
    default: break;
    }
    return ret_num(ctx, d);
}

static ujs_value math_minmax(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    double r = m ? -NUM_INFINITY : NUM_INFINITY;
    bool nan = false;
    for (int i = 0; i < argc; i++) {
        double d;
        if (to_number(ctx, argv[i], &d)) return V_EXCEPTION;
        if (d != d) nan = true;
        if (m ? (d > r || (d == 0 && r == 0 && !(1 / d < 0)))
              : (d < r || (d == 0 && r == 0 && 1 / d < 0)))
            r = d;
    }
    return ret_num(ctx, nan ? NUM_NAN : r);
}

/* Deterministic per context (seeded at creation): xorshift64*. */
static ujs_value math_random(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)argc;
    (void)argv;
    (void)m;
    uint64_t x = ctx->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    ctx->rng = x;
    uint64_t r = x * 0x2545F4914F6CDD1Dull;
    return ret_num(ctx, (double)(r >> 11) / 9007199254740992.0);
}

static ujs_value math_pow(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    (void)m;
    double a, b;
    if (arg_num(ctx, argc, argv, 0, &a) || arg_num(ctx, argc, argv, 1, &b)) return V_EXCEPTION;
    return ret_num(ctx, num_pow(a, b));
}

static ujs_value math_imul(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    int32_t a, b;
    if (to_int32(ctx, ARG(0), &a) || to_int32(ctx, ARG(1), &b)) return V_EXCEPTION;
    if (m) { /* clz32 */
        uint32_t u = (uint32_t)a;
        return v_mkint(u ? __builtin_clz(u) : 32);
    }
    return ret_num(ctx, (int32_t)((uint32_t)a * (uint32_t)b));
}

/* ---- Uint8Array ---- */

static ujs_value u8_ctor(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)m;
    if (this_val != V_UNINIT) return type_error(ctx, "Uint8Array must be called with new");
    ujs_value src = ARG(0);
    uint32_t n = 0;
    if (v_is_number(src)) {
        double d = v_num(src);
        if (!(d >= 0 && d <= 0x7fffffff && d == (double)(uint32_t)d))
            return throw_fmt(ctx, E_RANGE, "invalid typed array length");
        n = (uint32_t)d;
    } else if (v_is_array(src)) {
        n = (uint32_t)v_int(v_obj(src)->x[1]);
    } else if (src != V_UNDEFINED) {
        return type_error(ctx, "Uint8Array: unsupported argument");
    }
    ujs_value a;
    if (ujs_new_u8array(ctx, n, &a)) return V_EXCEPTION;
    src = ARG(0);
    if (v_is_array(src)) {
        ujs_ref ra;
        ujs_push_ref(ctx, &ra, a);
        for (uint32_t i = 0; i < n; i++) {
            ujs_value e = ((ujs_value *)v_ptr(v_obj(ARG(0))->x[0]))[1 + i];
            if (set_elem(ctx, ra.val, v_mkint((int32_t)i), e)) {
                ujs_pop_ref(ctx, &ra);
                return V_EXCEPTION;
            }
        }
        a = ra.val;
        ujs_pop_ref(ctx, &ra);
    }
    return a;
}

/* ---- global functions ---- */

static ujs_value global_isnan(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv, int m)
{
    (void)this_val;
    double d;
    if (arg_num(ctx, argc, argv, 0, &d)) return V_EXCEPTION;
    return v_bool(m ? num_is_finite(d) : d != d);
}

/* ---- the tables ---- */

enum {
    RF_FIRST = RO_GLOBAL + 1,
    RF_OBJECT = RF_FIRST,
    RF_OBJECT_CREATE,
    RF_OBJECT_KEYS,
    RF_OBJECT_GETPROTO,
    RF_OBJECT_DEFPROP,
    RF_OBJECT_TOSTRING,
    RF_OBJECT_VALUEOF,
    RF_OBJECT_HASOWN,
    RF_FUNCTION,
    RF_FUNCTION_CALL,
    RF_FUNCTION_APPLY,
    RF_FUNCTION_TOSTRING,
    RF_ARRAY,
    RF_ARRAY_ISARRAY,
    RF_ARRAY_PUSH,
    RF_ARRAY_POP,
    RF_ARRAY_INDEXOF,
    RF_ARRAY_JOIN,
    RF_ARRAY_SLICE,
    RF_ARRAY_TOSTRING,
    RF_STRING,
    RF_STRING_FROMCHARCODE,
    RF_STRING_CHARCODEAT,
    RF_STRING_CHARAT,
    RF_STRING_INDEXOF,
    RF_STRING_SLICE,
    RF_STRING_TOSTRING,
    RF_NUMBER,
    RF_NUMBER_TOSTRING,
    RF_PRIM_VALUEOF,
    RF_BOOLEAN,
    RF_BOOLEAN_TOSTRING,
    RF_ERROR,
    RF_TYPEERROR,
    RF_RANGEERROR,
    RF_SYNTAXERROR,
    RF_REFERENCEERROR,
    RF_ERROR_TOSTRING,
    RF_MATH,
    RF_MATH_ABS,
    RF_MATH_FLOOR,
    RF_MATH_CEIL,
    RF_MATH_ROUND,
    RF_MATH_TRUNC,
    RF_MATH_SQRT,
    RF_MATH_SIGN,
    RF_MATH_MIN,
    RF_MATH_MAX,
    RF_MATH_POW,
    RF_MATH_IMUL,
    RF_MATH_CLZ32,
    RF_MATH_FROUND,
    RF_MATH_LOG2,
    RF_MATH_LOG10,
    RF_MATH_RANDOM,
    RF_EVALERROR,
    RF_URIERROR,
    RF_U8ARRAY,
    RF_ISNAN,
    RF_ISFINITE,
    RF_COUNT
};

#define PROP(a, v, f)                                                                              \
    {                                                                                              \
        ATOM_##a, (f), (v)                                                                         \
    }
#define METHOD(a, i) PROP(a, ROV(i), P_METHOD)
#define NPROPS(t)    (uint16_t)(sizeof(t) / sizeof((t)[0]))

static const rom_prop object_proto_props[] = {
    METHOD(toString, RF_OBJECT_TOSTRING),
    METHOD(valueOf, RF_OBJECT_VALUEOF),
    METHOD(hasOwnProperty, RF_OBJECT_HASOWN),
    PROP(constructor, ROV(RF_OBJECT), P_METHOD),
};
static const rom_prop object_props[] = {
    PROP(prototype, ROV(RO_OBJECT_PROTO), 0),
    METHOD(create, RF_OBJECT_CREATE),
    METHOD(keys, RF_OBJECT_KEYS),
    METHOD(getPrototypeOf, RF_OBJECT_GETPROTO),
    METHOD(defineProperty, RF_OBJECT_DEFPROP),
};
static const rom_prop function_proto_props[] = {
    METHOD(call, RF_FUNCTION_CALL),
    METHOD(apply, RF_FUNCTION_APPLY),
    METHOD(toString, RF_FUNCTION_TOSTRING),
    PROP(constructor, ROV(RF_FUNCTION), P_METHOD),
};
static const rom_prop function_props[] = {PROP(prototype, ROV(RO_FUNCTION_PROTO), 0)};
static const rom_prop array_proto_props[] = {
    METHOD(push, RF_ARRAY_PUSH),
    METHOD(pop, RF_ARRAY_POP),
    METHOD(indexOf, RF_ARRAY_INDEXOF),
    METHOD(join, RF_ARRAY_JOIN),
    METHOD(slice, RF_ARRAY_SLICE),
    METHOD(toString, RF_ARRAY_TOSTRING),
    PROP(constructor, ROV(RF_ARRAY), P_METHOD),
};
static const rom_prop array_props[] = {
    PROP(prototype, ROV(RO_ARRAY_PROTO), 0),
    METHOD(isArray, RF_ARRAY_ISARRAY),
};
static const rom_prop string_proto_props[] = {
    METHOD(charCodeAt, RF_STRING_CHARCODEAT),    METHOD(charAt, RF_STRING_CHARAT),
    METHOD(indexOf, RF_STRING_INDEXOF),          METHOD(slice, RF_STRING_SLICE),
    METHOD(toString, RF_STRING_TOSTRING),        METHOD(valueOf, RF_STRING_TOSTRING),
    PROP(constructor, ROV(RF_STRING), P_METHOD),
};
static const rom_prop string_props[] = {
    PROP(prototype, ROV(RO_STRING_PROTO), 0),
    METHOD(fromCharCode, RF_STRING_FROMCHARCODE),
};
static const rom_prop number_proto_props[] = {
    METHOD(toString, RF_NUMBER_TOSTRING),
    METHOD(valueOf, RF_PRIM_VALUEOF),
    PROP(constructor, ROV(RF_NUMBER), P_METHOD),
};
static const rom_prop number_props[] = {
    PROP(prototype, ROV(RO_NUMBER_PROTO), 0),
    PROP(NaN, RIV(RF_NAN), P_FLOAT),
};
static const rom_prop boolean_proto_props[] = {
    METHOD(toString, RF_BOOLEAN_TOSTRING),
    METHOD(valueOf, RF_PRIM_VALUEOF),
    PROP(constructor, ROV(RF_BOOLEAN), P_METHOD),
};
static const rom_prop boolean_props[] = {PROP(prototype, ROV(RO_BOOLEAN_PROTO), 0)};
static const rom_prop error_proto_props[] = {
    PROP(name, RAV(Error), P_METHOD),
    PROP(message, RAV(empty), P_METHOD),
    METHOD(toString, RF_ERROR_TOSTRING),
    PROP(constructor, ROV(RF_ERROR), P_METHOD),
};
#define SUB_ERROR_PROTO(n)                                                                         \
    static const rom_prop n##_proto_props[] = {                                                    \
        PROP(name, RAV(n), P_METHOD),                                                              \
        PROP(constructor, ROV(RF_##n), P_METHOD),                                                  \
    }
#define RF_TypeError      RF_TYPEERROR
#define RF_RangeError     RF_RANGEERROR
#define RF_SyntaxError    RF_SYNTAXERROR
#define RF_ReferenceError RF_REFERENCEERROR
#define RF_EvalError      RF_EVALERROR
#define RF_URIError       RF_URIERROR
SUB_ERROR_PROTO(TypeError);
SUB_ERROR_PROTO(RangeError);
SUB_ERROR_PROTO(SyntaxError);
SUB_ERROR_PROTO(ReferenceError);
SUB_ERROR_PROTO(EvalError);
SUB_ERROR_PROTO(URIError);
static const rom_prop error_props[] = {PROP(prototype, ROV(RO_ERROR_PROTO), 0)};
static const rom_prop typeerror_props[] = {PROP(prototype, ROV(RO_TYPEERROR_PROTO), 0)};
static const rom_prop rangeerror_props[] = {PROP(prototype, ROV(RO_RANGEERROR_PROTO), 0)};
static const rom_prop syntaxerror_props[] = {PROP(prototype, ROV(RO_SYNTAXERROR_PROTO), 0)};
static const rom_prop referenceerror_props[] = {PROP(prototype, ROV(RO_REFERENCEERROR_PROTO), 0)};
static const rom_prop evalerror_props[] = {PROP(prototype, ROV(RO_EVALERROR_PROTO), 0)};
static const rom_prop urierror_props[] = {PROP(prototype, ROV(RO_URIERROR_PROTO), 0)};
static const rom_prop u8_proto_props[] = {PROP(constructor, ROV(RF_U8ARRAY), P_METHOD)};
static const rom_prop u8_props[] = {PROP(prototype, ROV(RO_U8ARRAY_PROTO), 0)};
static const rom_prop math_props[] = {
    METHOD(abs, RF_MATH_ABS),       METHOD(floor, RF_MATH_FLOOR),  METHOD(ceil, RF_MATH_CEIL),
    METHOD(round, RF_MATH_ROUND),   METHOD(trunc, RF_MATH_TRUNC),  METHOD(sqrt, RF_MATH_SQRT),
    METHOD(sign, RF_MATH_SIGN),     METHOD(min, RF_MATH_MIN),      METHOD(max, RF_MATH_MAX),
    METHOD(pow, RF_MATH_POW),       METHOD(imul, RF_MATH_IMUL),    METHOD(clz32, RF_MATH_CLZ32),
    METHOD(fround, RF_MATH_FROUND), METHOD(log2, RF_MATH_LOG2),    METHOD(log10, RF_MATH_LOG10),
    METHOD(random, RF_MATH_RANDOM), PROP(PI, RIV(RF_PI), P_FLOAT), PROP(E, RIV(RF_E), P_FLOAT),
};
static const rom_prop global_props[] = {
    METHOD(Object, RF_OBJECT),
    METHOD(Function, RF_FUNCTION),
    METHOD(Array, RF_ARRAY),
    METHOD(String, RF_STRING),
    METHOD(Number, RF_NUMBER),
    METHOD(Boolean, RF_BOOLEAN),
    METHOD(Math, RF_MATH),
    METHOD(Error, RF_ERROR),
    METHOD(TypeError, RF_TYPEERROR),
    METHOD(RangeError, RF_RANGEERROR),
    METHOD(SyntaxError, RF_SYNTAXERROR),
    METHOD(ReferenceError, RF_REFERENCEERROR),
    METHOD(EvalError, RF_EVALERROR),
    METHOD(URIError, RF_URIERROR),
    METHOD(Uint8Array, RF_U8ARRAY),
    PROP(NaN, RIV(RF_NAN), P_FLOAT),
    PROP(Infinity, RIV(RF_INF), P_FLOAT),
    PROP(undefined, UJS_UNDEFINED, 0),
    METHOD(isNaN, RF_ISNAN),
    METHOD(isFinite, RF_ISFINITE),
};

#define PLAIN(t, proto)                                                                            \
    {                                                                                              \
        t, NPROPS(t), 0, proto, 0, ROM_PLAIN, 0, NULL                                              \
    }
#define FUNC(n, f, len, m)                                                                         \
    {                                                                                              \
        NULL, 0, ATOM_##n, RO_FUNCTION_PROTO, len, ROM_FUNC, m, f                                  \
    }
#define CTOR(t, n, f, len, m)                                                                      \
    {                                                                                              \
        t, NPROPS(t), ATOM_##n, RO_FUNCTION_PROTO, len, ROM_CTOR, m, f                             \
    }
#define NOPROTO 0xffff

const rom_obj ujs_rom_objs[] = {
    [RO_OBJECT_PROTO] = PLAIN(object_proto_props, NOPROTO),
    [RO_FUNCTION_PROTO] = PLAIN(function_proto_props, RO_OBJECT_PROTO),
    [RO_ARRAY_PROTO] = PLAIN(array_proto_props, RO_OBJECT_PROTO),
    [RO_STRING_PROTO] = PLAIN(string_proto_props, RO_OBJECT_PROTO),
    [RO_NUMBER_PROTO] = PLAIN(number_proto_props, RO_OBJECT_PROTO),
    [RO_BOOLEAN_PROTO] = PLAIN(boolean_proto_props, RO_OBJECT_PROTO),
    [RO_ERROR_PROTO] = PLAIN(error_proto_props, RO_OBJECT_PROTO),
    [RO_TYPEERROR_PROTO] = PLAIN(TypeError_proto_props, RO_ERROR_PROTO),
    [RO_RANGEERROR_PROTO] = PLAIN(RangeError_proto_props, RO_ERROR_PROTO),
    [RO_SYNTAXERROR_PROTO] = PLAIN(SyntaxError_proto_props, RO_ERROR_PROTO),
    [RO_REFERENCEERROR_PROTO] = PLAIN(ReferenceError_proto_props, RO_ERROR_PROTO),
    [RO_U8ARRAY_PROTO] = PLAIN(u8_proto_props, RO_OBJECT_PROTO),
    [RO_GLOBAL] = PLAIN(global_props, RO_OBJECT_PROTO),
    [RF_OBJECT] = CTOR(object_props, Object, object_ctor, 1, 0),
    [RF_OBJECT_CREATE] = FUNC(create, object_create, 2, 0),
    [RF_OBJECT_KEYS] = FUNC(keys, object_keys, 1, 0),
    [RF_OBJECT_GETPROTO] = FUNC(getPrototypeOf, object_getproto, 1, 0),
    [RF_OBJECT_DEFPROP] = FUNC(defineProperty, object_defprop, 3, 0),
    [RF_OBJECT_TOSTRING] = FUNC(toString, object_tostring, 0, 0),
    [RF_OBJECT_VALUEOF] = FUNC(valueOf, object_valueof, 0, 0),
    [RF_OBJECT_HASOWN] = FUNC(hasOwnProperty, object_hasown, 1, 0),
    [RF_FUNCTION] = {function_props, NPROPS(function_props), ATOM_Function, RO_FUNCTION_PROTO, 1,
                     ROM_FUNC, 0, function_ctor},
    [RF_FUNCTION_CALL] = FUNC(call, function_call, 1, 0),
    [RF_FUNCTION_APPLY] = FUNC(apply, function_apply, 2, 0),
    [RF_FUNCTION_TOSTRING] = FUNC(toString, function_tostring, 0, 0),
    [RF_ARRAY] = CTOR(array_props, Array, array_ctor, 1, 0),
    [RF_ARRAY_ISARRAY] = FUNC(isArray, array_isarray, 1, 0),
    [RF_ARRAY_PUSH] = FUNC(push, array_push, 1, 0),
    [RF_ARRAY_POP] = FUNC(pop, array_pop, 0, 0),
    [RF_ARRAY_INDEXOF] = FUNC(indexOf, array_indexof, 1, 0),
    [RF_ARRAY_JOIN] = FUNC(join, array_join, 1, 0),
    [RF_ARRAY_SLICE] = FUNC(slice, array_slice, 2, 0),
    [RF_ARRAY_TOSTRING] = FUNC(toString, array_tostring, 0, 0),
    [RF_STRING] = CTOR(string_props, String, string_ctor, 1, 0),
    [RF_STRING_FROMCHARCODE] = FUNC(fromCharCode, string_fromcharcode, 1, 0),
    [RF_STRING_CHARCODEAT] = FUNC(charCodeAt, string_charcodeat, 1, 0),
    [RF_STRING_CHARAT] = FUNC(charAt, string_charcodeat, 1, 1),
    [RF_STRING_INDEXOF] = FUNC(indexOf, string_indexof, 1, 0),
    [RF_STRING_SLICE] = FUNC(slice, string_slice, 2, 0),
    [RF_STRING_TOSTRING] = FUNC(toString, string_tostring, 0, 0),
    [RF_NUMBER] = CTOR(number_props, Number, number_ctor, 1, 0),
    [RF_NUMBER_TOSTRING] = FUNC(toString, number_tostring, 1, 0),
    [RF_PRIM_VALUEOF] = FUNC(valueOf, prim_valueof, 0, 0),
    [RF_BOOLEAN] = CTOR(boolean_props, Boolean, boolean_ctor, 1, 0),
    [RF_BOOLEAN_TOSTRING] = FUNC(toString, boolean_tostring, 0, 0),
    [RF_ERROR] = CTOR(error_props, Error, error_ctor, 1, E_ERROR),
    [RF_TYPEERROR] = CTOR(typeerror_props, TypeError, error_ctor, 1, E_TYPE),
    [RF_RANGEERROR] = CTOR(rangeerror_props, RangeError, error_ctor, 1, E_RANGE),
    [RF_SYNTAXERROR] = CTOR(syntaxerror_props, SyntaxError, error_ctor, 1, E_SYNTAX),
    [RF_REFERENCEERROR] = CTOR(referenceerror_props, ReferenceError, error_ctor, 1, E_REFERENCE),
    [RF_ERROR_TOSTRING] = FUNC(toString, error_tostring, 0, 0),
    [RF_MATH] = PLAIN(math_props, RO_OBJECT_PROTO),
    [RF_MATH_ABS] = FUNC(abs, math_unary, 1, M_ABS),
    [RF_MATH_FLOOR] = FUNC(floor, math_unary, 1, M_FLOOR),
    [RF_MATH_CEIL] = FUNC(ceil, math_unary, 1, M_CEIL),
    [RF_MATH_ROUND] = FUNC(round, math_unary, 1, M_ROUND),
    [RF_MATH_TRUNC] = FUNC(trunc, math_unary, 1, M_TRUNC),
    [RF_MATH_SQRT] = FUNC(sqrt, math_unary, 1, M_SQRT),
    [RF_MATH_SIGN] = FUNC(sign, math_unary, 1, M_SIGN),
    [RF_MATH_MIN] = FUNC(min, math_minmax, 2, 0),
    [RF_MATH_MAX] = FUNC(max, math_minmax, 2, 1),
    [RF_MATH_POW] = FUNC(pow, math_pow, 2, 0),
    [RF_MATH_IMUL] = FUNC(imul, math_imul, 2, 0),
    [RF_MATH_CLZ32] = FUNC(clz32, math_imul, 1, 1),
    [RF_U8ARRAY] = CTOR(u8_props, Uint8Array, u8_ctor, 1, 0),
    [RF_ISNAN] = FUNC(isNaN, global_isnan, 1, 0),
    [RF_ISFINITE] = FUNC(isFinite, global_isnan, 1, 1),
    [RF_MATH_FROUND] = FUNC(fround, math_unary, 1, M_FROUND),
    [RF_MATH_LOG2] = FUNC(log2, math_unary, 1, M_LOG2),
    [RF_MATH_LOG10] = FUNC(log10, math_unary, 1, M_LOG10),
    [RF_MATH_RANDOM] = FUNC(random, math_random, 0, 0),
    [RF_EVALERROR] = CTOR(evalerror_props, EvalError, error_ctor, 1, E_EVAL),
    [RF_URIERROR] = CTOR(urierror_props, URIError, error_ctor, 1, E_URI),
    [RO_EVALERROR_PROTO] = PLAIN(EvalError_proto_props, RO_ERROR_PROTO),
    [RO_URIERROR_PROTO] = PLAIN(URIError_proto_props, RO_ERROR_PROTO),
};
const uint32_t ujs_rom_nobjs = RF_COUNT;
