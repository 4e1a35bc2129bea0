/*
 * The interpreter: one loop runs every JS frame; a JS-to-JS call pushes a
 * frame on the value stack and continues the loop, so JS recursion never
 * recurses in C. Only C code calling back into JS (a built-in's callback,
 * a getter) re-enters the loop, bounded by MAX_C_DEPTH.
 *
 * Frame layout on the upward-growing value stack (all slots are values, so
 * the GC scans the stack as plain roots):
 *   fp[-2] callee   fp[-1] this   fp[0 .. nargs) arguments (padded to the
 *   declared count)   rec[0..3] = caller fp, caller pc offset (small int),
 *   caller lb and argc|flags (small int)   lb[0 .. nlocals) locals, then
 *   the operand stack. The caller's fp and lb are raw stack addresses: the
 *   stack lies outside the heap, so the GC leaves them alone. An entry frame
 *   (called from C) has the small int -1 in rec[0]; its caller, for stack
 *   traces, is the outer loop's saved registers.
 * Heap blocks (the running code included) move at every allocation, so the
 * loop keeps the pc as an offset across anything that may allocate (SAVE /
 * RELOAD).
 */
#include "internal.h"
#include "opcodes.h"

#define REC_WORDS 4
#define FLAG_CTOR 0x10000

typedef struct ujs_frame_regs {
    ujs_value *fp, *lb;
    uint32_t pc_off;
} frame_regs;

/* One per running loop (run), innermost in ctx->cur_loop: its registers
 * for stack traces through nested loops and for reloading after a
 * collection. fp and lb are stored whenever the loop changes frames (so a
 * native call need not store them); pc_off as of the last SAVE. */
typedef struct loop_state {
    frame_regs regs;
    struct loop_state *outer;
} loop_state;

static uint32_t rd16(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8;
}
static int32_t rd32s(const uint8_t *b)
{
    uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return (int32_t)u;
}

/* ---- conversions ---- */

bool to_boolean(ujs_value v)
{
    if (v_is_int(v)) return v_int(v) != 0;
    if (v == V_TRUE) return true;
    if (v == V_FALSE || v == V_UNDEFINED || v == V_NULL) return false;
    if (v_is_float(v)) {
        double d = v_float(v);
        return d == d && d != 0;
    }
    if (v_is_string(v)) {
        strview sv;
        str_view(v, &sv);
        return sv.len != 0;
    }
    return true;
}

static int to_primitive(ujs_ctx *ctx, ujs_value v, bool hint_string, ujs_value *out)
{
    if (!v_is_obj(v)) {
        *out = v;
        return 0;
    }
    ujs_ref rv;
    ujs_push_ref(ctx, &rv, v);
    int ret = -1;
    for (int i = 0; i < 2; i++) {
        ujs_value name = (i == 0) == hint_string ? A(toString) : A(valueOf);
        ujs_value fn;
        if (obj_get(ctx, rv.val, name, rv.val, &fn)) goto done;
        if (v_is_callable(fn)) {
            ujs_value r;
            if (call_value(ctx, fn, rv.val, 0, NULL, &r)) goto done;
            if (!v_is_obj(r)) {
                *out = r;
                ret = 0;
                goto done;
            }
        }
    }
    throw_fmt(ctx, E_TYPE, "cannot convert object to primitive value");
done:
    ujs_pop_ref(ctx, &rv);
    return ret;
}

int to_number(ujs_ctx *ctx, ujs_value v, double *out)
{
    if (v_is_int(v)) {
        *out = v_int(v);
        return 0;
    }
    if (v_is_float(v)) {
        *out = v_float(v);
        return 0;
    }
    if (v == V_UNDEFINED) {
        *out = NUM_NAN;
        return 0;
    }
    if (v == V_NULL || v == V_FALSE) {
        *out = 0;
        return 0;
    }
    if (v == V_TRUE) {
        *out = 1;
        return 0;
    }
    if (v_is_string(v)) {
        char buf[128];
        size_t n = str_to_utf8(v, buf, sizeof buf);
        if (n >= sizeof buf || !num_parse(buf, n, out, true)) *out = NUM_NAN;
        return 0;
    }
    if (v_is_obj(v)) {
        ujs_value p;
        if (to_primitive(ctx, v, false, &p)) return -1;
        return to_number(ctx, p, out);
    }
    throw_fmt(ctx, E_TYPE, "cannot convert to number");
    return -1;
}

int to_int32(ujs_ctx *ctx, ujs_value v, int32_t *out)
{
    if (v_is_int(v)) {
        *out = smi_to_int32(v_int(v));
        return 0;
    }
    double d;
    if (to_number(ctx, v, &d)) return -1;
    *out = num_to_int32(d);
    return 0;
}

ujs_value to_string(ujs_ctx *ctx, ujs_value v)
{
    if (v_is_string(v)) return v;
    if (v_is_number(v)) {
        char buf[40];
        size_t n = num_to_chars(v_num(v), buf);
        return str_from_utf8(ctx, buf, n);
    }
    switch (v) {
    case V_UNDEFINED: return A(undefined);
    case V_NULL: return A(null);
    case V_TRUE: return A(true);
    case V_FALSE: return A(false);
    default: break;
    }
    if (v_is_obj(v)) {
        ujs_value p;
        if (to_primitive(ctx, v, true, &p)) return V_EXCEPTION;
        return to_string(ctx, p);
    }
    return throw_fmt(ctx, E_TYPE, "cannot convert to string");
}

ujs_value type_of(ujs_value v)
{
    if (v_is_number(v)) return A(number);
    if (v_is_string(v)) return A(string);
    if (v == V_UNDEFINED) return A(undefined);
    if (v == V_TRUE || v == V_FALSE) return A(boolean);
    if (v_is_callable(v)) return A(function);
    return A(object);
}

bool strict_equals(ujs_value a, ujs_value b)
{
    if (a == b) return !v_is_float(a) || v_float(a) == v_float(a);
    if (v_is_number(a) && v_is_number(b)) return v_num(a) == v_num(b);
    if (v_is_string(a) && v_is_string(b)) return str_equal(a, b);
    return false;
}

static int loose_equals(ujs_ctx *ctx, ujs_value a, ujs_value b, bool *res)
{
    for (int i = 0; i < 4; i++) {
        if ((v_is_number(a) && v_is_number(b)) || (v_is_string(a) && v_is_string(b)) ||
            (v_is_obj(a) && v_is_obj(b)) || a == b) {
            *res = strict_equals(a, b);
            return 0;
        }
        bool an = a == V_NULL || a == V_UNDEFINED, bn = b == V_NULL || b == V_UNDEFINED;
        if (an || bn) {
            *res = an && bn;
            return 0;
        }
        double d;
        if (a == V_TRUE || a == V_FALSE) {
            a = v_mkint(a == V_TRUE);
            continue;
        }
        if (b == V_TRUE || b == V_FALSE) {
            b = v_mkint(b == V_TRUE);
            continue;
        }
        if (v_is_number(a) && v_is_string(b)) {
            if (to_number(ctx, b, &d)) return -1;
            *res = v_num(a) == d;
            return 0;
        }
        if (v_is_string(a) && v_is_number(b)) {
            if (to_number(ctx, a, &d)) return -1;
            *res = v_num(b) == d;
            return 0;
        }
        ujs_ref rb;
        ujs_push_ref(ctx, &rb, b);
        int r = 0;
        if (v_is_obj(a)) {
            r = to_primitive(ctx, a, false, &a);
        } else {
            ujs_ref ra;
            ujs_push_ref(ctx, &ra, a);
            r = to_primitive(ctx, rb.val, false, &rb.val);
            a = ra.val;
            ujs_pop_ref(ctx, &ra);
        }
        b = rb.val;
        ujs_pop_ref(ctx, &rb);
        if (r) return -1;
    }
    *res = false;
    return 0;
}

/* ---- errors and stacks ---- */

static uint32_t line_of(funcbc *f, uint32_t pc)
{
    const uint8_t *t = fb_code(f) + fb_code_len(f) + 2 * (size_t)fb_ncvar(f);
    uint32_t line = 0, lines_len = fb_lines_len(f);
    for (uint32_t i = 0; i + 8 <= lines_len; i += 8) {
        uint32_t epc = (uint32_t)rd16(t + i) | (uint32_t)rd16(t + i + 2) << 16;
        if (epc > pc) break;
        line = (uint32_t)rd16(t + i + 4) | (uint32_t)rd16(t + i + 6) << 16;
    }
    return line;
}

static size_t append(char *buf, size_t pos, size_t size, const char *s, size_t n)
{
    for (size_t i = 0; i < n && pos + 1 < size; i++) buf[pos++] = s[i];
    return pos;
}

ujs_value capture_stack(ujs_ctx *ctx)
{
    char buf[512];
    size_t pos = 0;
    loop_state *ls = (loop_state *)ctx->cur_loop;
    if (!ls) return A(empty);
    ujs_value *fp = ls->regs.fp, *lb = ls->regs.lb;
    uint32_t pc = ls->regs.pc_off;
    for (int depth = 0; depth < 10 && fp; depth++) {
        ujs_value fn = fp[-2];
        if (v_is_heapobj(fn) && obj_class(v_obj(fn)) == C_FUNCTION) {
            funcbc *f = (funcbc *)v_obj(fn)->x[0];
            char tmp[160];
            size_t n;
            pos = append(buf, pos, sizeof buf, "    at ", 7);
            if (f->name != V_UNDEFINED) {
                n = str_to_utf8(f->name, tmp, sizeof tmp);
                pos = append(buf, pos, sizeof buf, tmp, n < sizeof tmp ? n : sizeof tmp - 1);
            } else {
                pos = append(buf, pos, sizeof buf, "<anonymous>", 11);
            }
            pos = append(buf, pos, sizeof buf, " (", 2);
            n = fb_is_extern(f) ? fx_filename_utf8((funcext *)f, tmp, sizeof tmp)
                                : str_to_utf8(f->filename, tmp, sizeof tmp);
            pos = append(buf, pos, sizeof buf, tmp, n < sizeof tmp ? n : sizeof tmp - 1);
            char num[16];
            n = num_to_chars(line_of(f, pc ? pc - 1 : 0), num);
            pos = append(buf, pos, sizeof buf, ":", 1);
            pos = append(buf, pos, sizeof buf, num, n);
            pos = append(buf, pos, sizeof buf, ")\n", 2);
        }
        ujs_value *rec = lb - REC_WORDS;
        if (v_is_int(rec[0])) {
            /* an entry frame: the caller is the loop that made the native
             * call which re-entered, suspended with its registers saved */
            ls = ls->outer;
            if (!ls) break;
            fp = ls->regs.fp;
            lb = ls->regs.lb;
            pc = ls->regs.pc_off;
            continue;
        }
        fp = (ujs_value *)rec[0];
        pc = (uint32_t)v_int(rec[1]);
        lb = (ujs_value *)rec[2];
    }
    if (pos && buf[pos - 1] == '\n') pos--;
    return str_from_utf8(ctx, buf, pos);
}

static const uint16_t error_protos[E_COUNT] = {
    RO_ERROR_PROTO,          RO_TYPEERROR_PROTO, RO_RANGEERROR_PROTO, RO_SYNTAXERROR_PROTO,
    RO_REFERENCEERROR_PROTO, RO_EVALERROR_PROTO, RO_URIERROR_PROTO};

ujs_value make_error(ujs_ctx *ctx, int kind, ujs_value msg)
{
    ujs_ref rm, ro;
    ujs_push_ref(ctx, &rm, msg);
    ujs_push_ref(ctx, &ro, obj_new(ctx, v_mkromobj(error_protos[kind]), C_ERROR, 0));
    ujs_value ret = V_EXCEPTION;
    if (ro.val == V_EXCEPTION) goto done;
    if (rm.val != V_UNDEFINED &&
        obj_define(ctx, ro.val, A(message), rm.val, P_WRITABLE | P_CONFIGURABLE))
        goto done;
    ujs_value st = capture_stack(ctx);
    if (st == V_EXCEPTION || obj_define(ctx, ro.val, A(stack), st, P_WRITABLE | P_CONFIGURABLE))
        goto done;
    ret = ro.val;
done:
    ujs_pop_ref(ctx, &ro);
    ujs_pop_ref(ctx, &rm);
    return ret;
}

/* ---- the loop ---- */

static bool interrupt_check(ujs_ctx *ctx)
{
    ctx->ih_counter = (int32_t)ctx->ih_period;
    if (!ctx->ih) {
        ctx->ih_counter = INT32_MAX;
        return false;
    }
    if (ctx->ih(ctx, ctx->ih_opaque)) {
        ctx->abort_status = UJS_EINTERRUPTED;
        return true;
    }
    return false;
}

/* The data word of host method i (a HOST_METHOD index) called on this_val:
 * the opaque of this_val if it is an instance of the method's class, else
 * 0 (ujs.h). The class slot of a host object is C_HOST | class id << 16. */
static inline ujs_value host_method_data(ujs_value this_val, uint32_t i)
{
    if (!v_is_heapobj(this_val) ||
        (v_obj(this_val)->cls & (0xffu | 15u << 16)) != (C_HOST | ((i >> 10) & 15) << 16))
        return 0;
    return v_obj(this_val)->x[1];
}

/* Calls a C, ROM or host-method function (fn must be callable and not a JS
 * function); argv points into the stack. */
static inline ujs_value call_native(ujs_ctx *ctx, ujs_value fn, ujs_value this_val, int argc,
                                    ujs_value *argv)
{
    if (v_is_romobj(fn)) {
        uint32_t i = v_romobj_idx(fn);
        if (i < ujs_rom_nobjs) {
            const rom_obj *ro = &ujs_rom_objs[i];
            return ro->fn(ctx, this_val, argc, argv, ro->magic);
        }
        if (i >= HOST_METHOD)
            return ctx->classes[(i >> 10) & 15]->methods[i & 1023].func(
                ctx, this_val, argc, argv, host_method_data(this_val, i));
        return ctx->host_globals[i - ujs_rom_nobjs].func(ctx, this_val, argc, argv, V_UNDEFINED);
    }
    obj *o = v_obj(fn);
    ujs_cfunc f;
    memcpy(&f, &o->x[0], sizeof f);
    return f(ctx, this_val, argc, argv, o->x[1]);
}

static ujs_value *varref_slot(ujs_value box)
{
    return (ujs_value *)v_ptr(box) + 1;
}

static bool is_box(ujs_value v)
{
    return v_is_ptr(v) && v_type(v) == T_VARREF;
}

static ujs_value new_arguments(ujs_ctx *ctx, ujs_value *args, int argc)
{
    ujs_value a = arr_new(ctx, (uint32_t)argc);
    if (a == V_EXCEPTION) return a;
    obj *o = v_obj(a);
    o->cls = (o->cls & ~0xffu) | C_ARGUMENTS;
    o->proto = v_mkromobj(RO_OBJECT_PROTO);
    for (int i = 0; i < argc; i++) {
        ujs_value v = args[i];
        if (is_box(v)) v = *varref_slot(v); /* a captured parameter: JS never sees a box */
        ((ujs_value *)v_ptr(o->x[0]))[1 + i] = v;
    }
    o->x[1] = v_mkint(argc);
    return a;
}

static ujs_value make_closure(ujs_ctx *ctx, ujs_value fbv, ujs_value *lb, ujs_value *fp)
{
    funcbc *f = (funcbc *)fbv;
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, fbv);
    ujs_value clo = obj_new(ctx, v_mkromobj(RO_FUNCTION_PROTO), C_FUNCTION, 2);
    if (clo == V_EXCEPTION) goto done;
    v_obj(clo)->x[0] = rf.val;
    v_obj(clo)->x[1] = V_UNDEFINED;
    f = (funcbc *)rf.val;
    uint32_t ncvar = fb_ncvar(f);
    if (ncvar) {
        ujs_ref rc;
        ujs_push_ref(ctx, &rc, clo);
        ujs_value *refs = heap_alloc(ctx, 1 + ncvar, T_VALARR);
        clo = rc.val;
        ujs_pop_ref(ctx, &rc);
        if (!refs) {
            clo = throw_oom(ctx);
            goto done;
        }
        f = (funcbc *)rf.val;
        const uint8_t *desc = fb_code(f) + fb_code_len(f);
        ujs_value parent = fp[-2];
        funcbc *pf = (funcbc *)v_obj(parent)->x[0];
        uint32_t np = FB_NPARAMS(pf);
        for (uint32_t i = 0; i < ncvar; i++) {
            uint32_t d = rd16(desc + 2 * i);
            ujs_value box;
            if (d & 0x8000u) {
                box = ((ujs_value *)v_ptr(v_obj(parent)->x[1]))[1 + (d & 0x7fff)];
            } else {
                box = d < np ? fp[d] : lb[d - np];
                if (!is_box(box)) {
                    clo = throw_fmt(ctx, E_ERROR,
                                    "invalid bytecode: variable captured before boxing");
                    goto done;
                }
            }
            refs[1 + i] = box;
        }
        v_obj(clo)->x[1] = (ujs_value)refs;
    }
done:
    ujs_pop_ref(ctx, &rf);
    return clo;
}

static int do_instanceof(ujs_ctx *ctx, ujs_value v, ujs_value f, bool *res)
{
    if (!v_is_callable(f)) {
        throw_fmt(ctx, E_TYPE, "right-hand side of instanceof is not callable");
        return -1;
    }
    ujs_ref rv;
    ujs_push_ref(ctx, &rv, v);
    ujs_value proto;
    int r = obj_get(ctx, f, A(prototype), f, &proto);
    v = rv.val;
    ujs_pop_ref(ctx, &rv);
    if (r) return -1;
    *res = false;
    if (!v_is_obj(v)) return 0;
    for (int i = 0; i < 256; i++) {
        v = obj_proto_of(ctx, v);
        if (v == V_NULL) return 0;
        if (v == proto) {
            *res = true;
            return 0;
        }
    }
    return 0;
}

/* x < y, x <= y, x > y or x >= y for the low two bits of a jcmp's
 * condition byte (NaN compares false in all four). */
static inline bool num_compare(unsigned c, double x, double y)
{
    switch (c & 3) {
    case 0: return x < y;
    case 1: return x <= y;
    case 2: return x > y;
    default: return x >= y;
    }
}

static int arith_slow(ujs_ctx *ctx, int op, ujs_value a, ujs_value b, ujs_value *out)
{
    ujs_ref ra, rb;
    ujs_push_ref(ctx, &ra, a);
    ujs_push_ref(ctx, &rb, b);
    int ret = -1;
    if (op == OP_add) {
        ujs_value pa, pb;
        if (to_primitive(ctx, ra.val, false, &pa)) goto done;
        ra.val = pa;
        if (to_primitive(ctx, rb.val, false, &pb)) goto done;
        rb.val = pb;
        if (v_is_string(ra.val) || v_is_string(rb.val)) {
            ujs_value sa = to_string(ctx, ra.val);
            if (sa == V_EXCEPTION) goto done;
            ra.val = sa;
            ujs_value sb = to_string(ctx, rb.val);
            if (sb == V_EXCEPTION) goto done;
            ujs_value s = str_concat(ctx, ra.val, sb);
            if (s == V_EXCEPTION) goto done;
            *out = s;
            ret = 0;
            goto done;
        }
    }
    if (op >= OP_lt && op <= OP_ge) {
        ujs_value pa, pb;
        if (to_primitive(ctx, ra.val, false, &pa)) goto done;
        ra.val = pa;
        if (to_primitive(ctx, rb.val, false, &pb)) goto done;
        rb.val = pb;
        if (v_is_string(ra.val) && v_is_string(rb.val)) {
            int c = str_compare(ra.val, rb.val);
            bool r = op == OP_lt ? c < 0 : op == OP_le ? c <= 0 : op == OP_gt ? c > 0 : c >= 0;
            *out = v_bool(r);
            ret = 0;
            goto done;
        }
    }
    double x, y;
    if (to_number(ctx, ra.val, &x) || to_number(ctx, rb.val, &y)) goto done;
    double r = 0;
    int32_t ia, ib;
    switch (op) {
    case OP_add: r = x + y; break;
    case OP_sub: r = x - y; break;
    case OP_mul: r = x * y; break;
    case OP_div: r = x / y; break;
    case OP_mod: r = num_fmod(x, y); break;
    case OP_pow: r = num_pow(x, y); break;
    case OP_lt:
        *out = v_bool(x < y);
        ret = 0;
        goto done;
    case OP_le:
        *out = v_bool(x <= y);
        ret = 0;
        goto done;
    case OP_gt:
        *out = v_bool(x > y);
        ret = 0;
        goto done;
    case OP_ge:
        *out = v_bool(x >= y);
        ret = 0;
        goto done;
    default:
        ia = num_to_int32(x);
        ib = num_to_int32(y);
        switch (op) {
        case OP_band: r = ia & ib; break;
        case OP_bor: r = ia | ib; break;
        case OP_bxor: r = ia ^ ib; break;
        case OP_shl: r = (int32_t)((uint32_t)ia << (ib & 31)); break;
        case OP_sar: r = ia >> (ib & 31); break;
        case OP_shr: r = (double)((uint32_t)ia >> (ib & 31)); break;
        default: break;
        }
    }
    *out = num_new(ctx, r);
    ret = *out == V_EXCEPTION ? -1 : 0;
done:
    ujs_pop_ref(ctx, &rb);
    ujs_pop_ref(ctx, &ra);
    return ret;
}

ujs_value func_prototype(ujs_ctx *ctx, ujs_value f)
{
    ujs_value *slot = obj_find_own(f, A(prototype), NULL);
    if (slot) return *slot;
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, f);
    ujs_value p = obj_new(ctx, v_mkromobj(RO_OBJECT_PROTO), C_OBJECT, 0);
    if (p != V_EXCEPTION) {
        ujs_ref rp;
        ujs_push_ref(ctx, &rp, p);
        if (obj_define(ctx, rp.val, A(constructor), rf.val, P_WRITABLE | P_CONFIGURABLE) ||
            obj_define(ctx, rf.val, A(prototype), rp.val, P_WRITABLE))
            rp.val = V_EXCEPTION;
        p = rp.val;
        ujs_pop_ref(ctx, &rp);
    }
    ujs_pop_ref(ctx, &rf);
    return p;
}

/* call_value of anything but a JS function, or past the C nesting limit.
 * The arguments are copied onto the value stack first, so argv may point
 * anywhere (even into the stack). */
NOINLINE int call_other(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc,
                        const ujs_value *argv, ujs_value *result)
{
    if (ctx->c_depth >= MAX_C_DEPTH) {
        throw_fmt(ctx, E_RANGE, "too much recursion through native code");
        return -1;
    }
    if (!v_is_callable(func)) {
        throw_fmt(ctx, E_TYPE, "not a function");
        return -1;
    }
    if (argc < 0 || (size_t)(ctx->stack_end - ctx->sp) < (size_t)argc + 2) {
        throw_fmt(ctx, E_RANGE, "stack overflow");
        return -1;
    }
    ujs_value *base = ctx->sp;
    base[0] = func;
    base[1] = this_val;
    for (int i = 0; i < argc; i++) base[2 + i] = argv[i];
    ctx->sp = base + 2 + argc;
    ctx->c_depth++;
    ujs_value v = call_native(ctx, func, this_val, argc, base + 2);
    ctx->c_depth--;
    ctx->sp = base;
    if (v == V_EXCEPTION || ctx->abort_status) return -1;
    *result = v;
    return 0;
}

/* Whether a bitwise operator's result is a small int: always on 64-bit,
 * within 31 bits on 32-bit targets (checked in 32-bit arithmetic). */
static inline bool int32_t_fits_smi(int32_t r)
{
    return sizeof(uword) > 4 || (uint32_t)r + 0x40000000u < 0x80000000u;
}
static inline bool uint32_t_fits_smi(uint32_t r)
{
    return sizeof(uword) > 4 || r < 0x40000000u;
}

/* ToInt32 of a number value without a call in the common cases. */
static inline bool num_int32(ujs_value v, int32_t *out)
{
    if (v_is_int(v)) {
        *out = smi_to_int32(v_int(v));
        return true;
    }
    if (v_is_float(v)) {
        double d = v_float(v);
        *out = d >= -2147483648.0 && d <= 2147483647.0 ? (int32_t)d : num_to_int32(d);
        return true;
    }
    return false;
}

/* A property read that missed the interpreter's own-property fast path:
 * host objects, strings, prototype chains, getters. May allocate. */
static int get_prop(ujs_ctx *ctx, ujs_value o, ujs_value atom, ujs_value *out, uint16_t *ic)
{
    if (v_is_heapobj(o)) {
        if (obj_class(v_obj(o)) == C_HOST && v_obj(o)->props == V_NULL &&
            host_get(ctx, o, atom, out))
            return *out == V_EXCEPTION ? -1 : 0;
    } else if (v_is_string(o)) {
        if (atom == A(length)) {
            *out = v_mkint((int32_t)str_length(o));
            return 0;
        }
        const rom_prop *rp = rom_find_guess(&ujs_rom_objs[RO_STRING_PROTO], atom, ic);
        if (rp) {
            *out = rom_prop_value(rp);
            return 0;
        }
    } else if (v_is_romobj(o) && v_romobj_idx(o) < ujs_rom_nobjs) {
        const rom_prop *rp = rom_find_guess(&ujs_rom_objs[v_romobj_idx(o)], atom, ic);
        if (rp) {
            *out = rom_prop_value(rp);
            return 0;
        }
    } else if (o == V_UNDEFINED || o == V_NULL) {
        char name[64];
        str_to_utf8(atom, name, sizeof name);
        throw_fmt(ctx, E_TYPE, "cannot read property '%s' of %s", name,
                  o == V_NULL ? "null" : "undefined");
        return -1;
    }
    return obj_lookup(ctx, o, atom, o, out, ic) < 0 ? -1 : 0;
}

/* a + b when one of them is a string and neither is an object: no
 * conversion can run JS code, so no refs beyond str_concat's own. */
static ujs_value add_strings(ujs_ctx *ctx, ujs_value a, ujs_value b)
{
    if (v_is_string(a) && v_is_string(b)) return str_concat(ctx, a, b);
    bool num_first = v_is_number(a);
    ujs_value n = num_first ? a : b, s = num_first ? b : a;
    if (!v_is_number(n) || !v_is_string(s)) return V_UNDEFINED; /* not handled here */
    char buf[40];
    if (v_is_int(n) && v_int(n) >= 0) { /* the common case: digits only, written backwards */
        uword u = (uword)v_int(n);
        char *e = buf + sizeof buf, *q = e;
        do {
            *--q = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        return str_concat_ascii(ctx, s, q, (uint32_t)(e - q), num_first);
    }
    size_t len = num_to_chars(v_num(n), buf);
    return str_concat_ascii(ctx, s, buf, (uint32_t)len, num_first);
}

#ifdef __GNUC__
#define USE_GOTO 1
#endif

/* the inline-cache slot of the instruction at pc */
#define IC(pc) (&ctx->ic[((uintptr_t)(pc) ^ ((uintptr_t)(pc) >> 6)) & (UJS_IC_SIZE - 1)])

/* host_cache_get for an instruction: its IC slot remembers the cache way
 * that answered last, so a site reading one member of one class compares
 * one entry instead of hashing. Any entry with the atom and the class is
 * that member's, wherever it sits. */
static ALWAYS_INLINE uint32_t host_member(ujs_ctx *ctx, const obj *o, ujs_value atom, uint16_t *ic)
{
    uint32_t w = *ic & (UJS_HOST_CACHE - 1), hv = ctx->host_cache_val[w];
    if (ctx->host_cache_atom[w] == atom && (hv & HC_CLASS_MASK) == HC_CLASS(host_class_id(o)))
        return hv;
    uint32_t cid = host_class_id(o), h = host_cache_hash(atom, cid);
    for (w = h; w < h + 2; w++) {
        hv = ctx->host_cache_val[w];
        if (ctx->host_cache_atom[w] == atom && (hv & HC_CLASS_MASK) == HC_CLASS(cid)) {
            *ic = (uint16_t)w;
            return hv;
        }
    }
    return 0;
}

/* Runs the JS function func (called from C) in a new loop: pushes the
 * entry frame above ctx->sp (copying argv, which may point anywhere) and
 * returns when that frame returns. */
int run_js(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc, const ujs_value *argv,
           ujs_value *result)
{
    ujs_value *sp, *fp, *lb;
    const uint8_t *pc, *code;
    ujs_value *cpool;
    funcbc *fb;
    int ret = 0;
    uint32_t cflags; /* argc | FLAG_CTOR of the call being made */
    ujs_value rv;    /* value being returned */
    double dres;     /* result of a numeric operator (num_result) */
    uint32_t gcs;    /* ctx->gc_count before a call that may collect */
    loop_state ls;
    /* the entry frame: func this args[max(argc, nparams)] rec locals */
    {
        ujs_value *base = ctx->sp;
        fb = (funcbc *)v_obj(func)->x[0];
        uword pv = fb->nparams_nvars;
        uint32_t np = (uint32_t)(pv & 0xffff), nl = (uint32_t)(pv >> 16);
        uint32_t na = (uint32_t)argc & ~(uint32_t)RUN_JS_API; /* argc < 0 fails below */
        uint32_t nargs = na > np ? na : np;
        /* + 1: the word lb[0] below clears even when there are no locals */
        size_t need = (size_t)nargs + (2 + REC_WORDS + 1) + nl + FB_STACK(fb);
        if (na > 0xffff || (size_t)(ctx->stack_end - base) < need) {
            throw_fmt(ctx, E_RANGE, "stack overflow");
            if (argc & RUN_JS_API) {
                *result = V_UNDEFINED;
                return api_status(ctx);
            }
            return -1;
        }
        if (base + need > ctx->stack_peak) ctx->stack_peak = base + need;
        base[0] = func;
        base[1] = this_val;
        fp = base + 2;
        /* an event handler's one argument and local without loop setup */
        if (na == 1)
            fp[0] = argv[0];
        else
            for (uint32_t i = 0; i < na; i++) fp[i] = argv[i];
        for (uint32_t i = na; i < np; i++) fp[i] = V_UNDEFINED;
        sp = fp + nargs;
        sp[0] = v_mkint(-1);
        sp[1] = sp[2] = v_mkint(0);
        sp[3] = v_mkint(argc); /* with RUN_JS_API, read at out: */
        lb = sp + REC_WORDS;
        lb[0] = V_UNDEFINED;
        for (uint32_t i = 1; i < nl; i++) lb[i] = V_UNDEFINED;
        sp = lb + nl;
        code = fb_code(fb);
        /* the pool past its header; never read when the function has none */
        cpool = (ujs_value *)(fb->cpool + WSIZE);
        pc = code;
        ls.regs.fp = fp;
        ls.regs.lb = lb;
        ls.regs.pc_off = 0;
        ls.outer = (loop_state *)ctx->cur_loop;
        ctx->cur_loop = &ls;
        /* each outermost call gets the whole interrupt period (ujs.h) */
        if (ctx->c_depth++ == 0) ctx->ih_counter = ctx->ih_start;
    }

/* The registers the GC and stack traces need: sp and the pc (fp and lb are
 * kept in ls by every frame change, SYNC_FRAME) */
#define SAVE()                                                                                     \
    do {                                                                                           \
        ctx->sp = sp;                                                                              \
        ls.regs.pc_off = (uint32_t)(pc - code);                                                    \
    } while (0)
#define SYNC_FRAME()                                                                               \
    do {                                                                                           \
        ls.regs.fp = fp;                                                                           \
        ls.regs.lb = lb;                                                                           \
    } while (0)
#define RELOAD()                                                                                   \
    do {                                                                                           \
        fb = (funcbc *)v_obj(fp[-2])->x[0];                                                        \
        code = fb_code(fb);                                                                        \
        cpool = (ujs_value *)(fb->cpool + WSIZE);                                                  \
        pc = code + ls.regs.pc_off;                                                                \
    } while (0)
/* SAVE before a call that may collect; RELOAD after it only if it did */
#define SAVE_GC()                                                                                  \
    do {                                                                                           \
        SAVE();                                                                                    \
        gcs = ctx->gc_count;                                                                       \
    } while (0)
#define RELOAD_GC()                                                                                \
    do {                                                                                           \
        if (ctx->gc_count != gcs) RELOAD();                                                        \
    } while (0)
#define THROW() goto exception
/* v = the constant whose u16 index is at opnd: a pool entry of loaded
 * bytecode may still be lazy (bc_load.c), made here on first use */
#define GET_CONST(v, opnd)                                                                         \
    do {                                                                                           \
        uint32_t k_ = rd16(opnd);                                                                  \
        v = cpool[k_];                                                                             \
        if (v_is_lazy(v)) {                                                                        \
            SAVE();                                                                                \
            v = bc_resolve_const(ctx, fp[-2], k_);                                                 \
            RELOAD();                                                                              \
            if (v == V_EXCEPTION) THROW();                                                         \
        }                                                                                          \
    } while (0)
#define INTERRUPT_POINT()                                                                          \
    do {                                                                                           \
        if (--ctx->ih_counter <= 0) {                                                              \
            SAVE();                                                                                \
            if (interrupt_check(ctx)) THROW();                                                     \
        }                                                                                          \
    } while (0)

#ifdef USE_GOTO
    static const void *const dispatch[OP__COUNT] = {
#define DEF(name, size, pop, push) &&op_##name,
        UJS_OPCODES(DEF)
#undef DEF
    };
#define CASE(name) op_##name:
#define NEXT()     goto *dispatch[*pc++]
#define DISPATCH() NEXT();
#define END_DISPATCH
#else
#define CASE(name) case OP_##name:
#define NEXT()     goto loop
#define DISPATCH()                                                                                 \
    loop:                                                                                          \
    switch (*pc++) {
#define END_DISPATCH                                                                               \
    default: goto op_invalid_label;                                                                \
        }
#endif

    DISPATCH()
bad_literal : { /* object-literal instructions only follow new_object in compiled code */
    throw_fmt(ctx, E_ERROR, "invalid bytecode: property definition on a non-object");
    THROW();
}
bad_box : {
    SAVE();
    throw_fmt(ctx, E_ERROR, "invalid bytecode: captured variable not boxed");
    THROW();
}
    CASE(invalid)
    {
#ifndef USE_GOTO
    op_invalid_label:
#endif
        SAVE();
        throw_fmt(ctx, E_ERROR, "invalid bytecode");
        THROW();
    }
    CASE(push_undef) *sp++ = V_UNDEFINED;
    NEXT();
    CASE(push_null) *sp++ = V_NULL;
    NEXT();
    CASE(push_true) *sp++ = V_TRUE;
    NEXT();
    CASE(push_false) *sp++ = V_FALSE;
    NEXT();
    CASE(push_this) *sp++ = fp[-1];
    NEXT();
    CASE(push_i8) *sp++ = v_mkint((int8_t)*pc++);
    NEXT();
    CASE(push_i32)
    {
        int32_t i = rd32s(pc);
        pc += 4;
        if (smi_fits(i)) {
            *sp++ = v_mkint(i);
        } else {
            SAVE();
            ujs_value v = num_box(ctx, i);
            RELOAD();
            if (v == V_EXCEPTION) THROW();
            *sp++ = v;
        }
        NEXT();
    }
    CASE(push_const)
    {
        ujs_value v;
        GET_CONST(v, pc);
        pc += 2;
        *sp++ = v;
        NEXT();
    }
    CASE(fclosure)
    {
        ujs_value fv;
        GET_CONST(fv, pc);
        pc += 2;
        SAVE();
        ujs_value c = make_closure(ctx, fv, lb, fp);
        RELOAD();
        if (c == V_EXCEPTION) THROW();
        *sp++ = c;
        NEXT();
    }
    CASE(push_arguments)
    {
        int n = v_int(lb[-1]) & 0xffff;
        SAVE();
        ujs_value a = new_arguments(ctx, fp, n);
        RELOAD();
        if (a == V_EXCEPTION) THROW();
        *sp++ = a;
        NEXT();
    }
    CASE(push_callee) *sp++ = fp[-2];
    NEXT();
    CASE(drop) sp--;
    NEXT();
    CASE(dup) sp[0] = sp[-1];
    sp++;
    NEXT();
    CASE(dup2) sp[0] = sp[-2];
    sp[1] = sp[-1];
    sp += 2;
    NEXT();
    CASE(swap)
    {
        ujs_value t = sp[-1];
        sp[-1] = sp[-2];
        sp[-2] = t;
        NEXT();
    }
    CASE(perm3)
    { /* a b c -> b a c */
        ujs_value t = sp[-3];
        sp[-3] = sp[-2];
        sp[-2] = t;
        NEXT();
    }
    CASE(perm4)
    { /* a b c d -> c a b d */
        ujs_value a = sp[-4], b = sp[-3], c = sp[-2];
        sp[-4] = c;
        sp[-3] = a;
        sp[-2] = b;
        NEXT();
    }
    CASE(get_loc) *sp++ = lb[rd16(pc)];
    pc += 2;
    NEXT();
    CASE(put_loc) lb[rd16(pc)] = *--sp;
    pc += 2;
    NEXT();
    CASE(set_loc) lb[rd16(pc)] = sp[-1];
    pc += 2;
    NEXT();
    CASE(get_arg) *sp++ = fp[rd16(pc)];
    pc += 2;
    NEXT();
    CASE(put_arg) fp[rd16(pc)] = *--sp;
    pc += 2;
    NEXT();
    CASE(set_arg) fp[rd16(pc)] = sp[-1];
    pc += 2;
    NEXT();
    CASE(get_loc_ref)
    {
        ujs_value b_ = lb[rd16(pc)];
        if (!is_box(b_)) goto bad_box;
        *sp++ = *varref_slot(b_);
        pc += 2;
        NEXT();
    }
    CASE(put_loc_ref)
    {
        ujs_value b_ = lb[rd16(pc)];
        if (!is_box(b_)) goto bad_box;
        *varref_slot(b_) = *--sp;
        pc += 2;
        NEXT();
    }
    CASE(set_loc_ref)
    {
        ujs_value b_ = lb[rd16(pc)];
        if (!is_box(b_)) goto bad_box;
        *varref_slot(b_) = sp[-1];
        pc += 2;
        NEXT();
    }
    CASE(get_arg_ref)
    {
        ujs_value b_ = fp[rd16(pc)];
        if (!is_box(b_)) goto bad_box;
        *sp++ = *varref_slot(b_);
        pc += 2;
        NEXT();
    }
    CASE(put_arg_ref)
    {
        ujs_value b_ = fp[rd16(pc)];
        if (!is_box(b_)) goto bad_box;
        *varref_slot(b_) = *--sp;
        pc += 2;
        NEXT();
    }
    CASE(set_arg_ref)
    {
        ujs_value b_ = fp[rd16(pc)];
        if (!is_box(b_)) goto bad_box;
        *varref_slot(b_) = sp[-1];
        pc += 2;
        NEXT();
    }
    CASE(box_loc)
    CASE(box_arg)
    {
        bool is_arg = pc[-1] == OP_box_arg;
        uint32_t i = rd16(pc);
        pc += 2;
        SAVE();
        ujs_value *b = heap_alloc(ctx, 2, T_VARREF);
        RELOAD();
        if (!b) {
            throw_oom(ctx);
            THROW();
        }
        ujs_value *slot = is_arg ? &fp[i] : &lb[i];
        if (is_box(*slot)) NEXT(); /* boxed already: only verified bytecode can ask twice */
        b[1] = *slot;
        *slot = (ujs_value)b;
        NEXT();
    }
    CASE(get_cvar)
    {
        ujs_value refs = v_obj(fp[-2])->x[1];
        *sp++ = *varref_slot(((ujs_value *)v_ptr(refs))[1 + rd16(pc)]);
        pc += 2;
        NEXT();
    }
    CASE(put_cvar)
    {
        ujs_value refs = v_obj(fp[-2])->x[1];
        *varref_slot(((ujs_value *)v_ptr(refs))[1 + rd16(pc)]) = *--sp;
        pc += 2;
        NEXT();
    }
    CASE(set_cvar)
    {
        ujs_value refs = v_obj(fp[-2])->x[1];
        *varref_slot(((ujs_value *)v_ptr(refs))[1 + rd16(pc)]) = sp[-1];
        pc += 2;
        NEXT();
    }
    CASE(inc_loc)
    {
        /* the slot may hold a captured variable's box: JS never sees a box */
        ujs_value *slot = &lb[rd16(pc)];
        ujs_value v = *slot;
        if (v_is_int(v) && v_int(v) < SMI_MAX) {
            *slot = v + 2; /* v_mkint(v_int(v) + 1) */
            pc += 2;
            NEXT();
        }
        cflags = 1;
        goto incdec_loc_slow;
    }
    CASE(dec_loc)
    {
        ujs_value *slot = &lb[rd16(pc)];
        ujs_value v = *slot;
        if (v_is_int(v) && v_int(v) > SMI_MIN) {
            *slot = v - 2;
            pc += 2;
            NEXT();
        }
        cflags = (uint32_t)-1;
        goto incdec_loc_slow;
    }
incdec_loc_slow : {
    int delta = (int)cflags;
    uint32_t i = rd16(pc);
    pc += 2;
    ujs_value *slot = &lb[i];
    if (is_box(*slot)) slot = varref_slot(*slot);
    ujs_value v = *slot;
    if (v_is_int(v) && smi_fits((int64_t)v_int(v) + delta)) {
        *slot = v_mkint(v_int(v) + delta);
        NEXT();
    }
    SAVE();
    double d;
    if (to_number(ctx, v, &d)) THROW();
    ujs_value n = num_new(ctx, d + delta);
    RELOAD();
    if (n == V_EXCEPTION) THROW();
    slot = &lb[i];
    if (is_box(*slot)) slot = varref_slot(*slot);
    *slot = n;
    NEXT();
}
    CASE(get_global)
    {
        const ujs_value *e = ctx->gcache[rd16(pc) & (UJS_GCACHE_SIZE - 1)];
        /* a lazy pool entry is no key: it misses */
        if (e[-1] == cpool[rd16(pc)]) {
            *sp++ = *e;
            pc += 2;
            NEXT();
        }
        ujs_value atom;
        GET_CONST(atom, pc);
        uint16_t *ic = IC(pc);
        pc += 2;
        ujs_value *kv = obj_own_kv_guess(ctx->global, atom, ic);
        if (kv && !(kv[2] & SMI_FLAG(P_GETSET))) {
            ctx->gcache[rd16(pc - 2) & (UJS_GCACHE_SIZE - 1)] = &kv[1];
            *sp++ = kv[1];
            NEXT();
        }
        if (!kv && v_obj(ctx->global)->proto == v_mkromobj(RO_GLOBAL)) {
            /* not the program's: a built-in global (String, Math, ...)? */
            const rom_prop *rp = rom_find_guess(&ujs_rom_objs[RO_GLOBAL], atom, ic);
            if (rp) {
                *sp++ = rom_prop_value(rp);
                NEXT();
            }
        }
        cflags = 0;
        goto get_global_slow;
    }
    CASE(typeof_global)
    {
        cflags = 1;
        goto get_global_slow;
    }
get_global_slow : { /* cflags: typeof; pc after the opcode or past the operand */
    bool is_typeof = cflags != 0;
    if (is_typeof) pc += 2;
    ujs_value atom;
    GET_CONST(atom, pc - 2);
    uint16_t *ic = IC(pc - 2);
    ujs_value v;
    SAVE_GC();
    int r = obj_lookup(ctx, ctx->global, atom, ctx->global, &v, ic);
    if (r < 0) THROW();
    if (r > 0) {
        if (is_typeof) {
            RELOAD_GC();
            *sp++ = A(undefined);
            NEXT();
        }
        RELOAD_GC(); /* the atom may have moved: read it again */
        atom = cpool[rd16(pc - 2)];
        char name[64];
        str_to_utf8(atom, name, sizeof name);
        throw_fmt(ctx, E_REFERENCE, "%s is not defined", name);
        THROW();
    }
    RELOAD_GC();
    *sp++ = is_typeof ? type_of(v) : v;
    NEXT();
}
    CASE(put_global)
    CASE(set_global)
    {
        bool keep = pc[-1] == OP_set_global;
        ujs_value atom;
        GET_CONST(atom, pc);
        uint16_t *ic = IC(pc);
        pc += 2;
        ujs_value *kv = obj_own_kv_guess(ctx->global, atom, ic);
        if (kv && (kv[2] & SMI_FLAG(P_WRITABLE | P_GETSET)) == SMI_FLAG(P_WRITABLE)) {
            kv[1] = keep ? sp[-1] : *--sp;
            NEXT();
        }
        SAVE();
        bool has;
        if (obj_has(ctx, ctx->global, atom, &has)) THROW();
        RELOAD(); /* the atom may have moved: read it again */
        atom = cpool[rd16(pc - 2)];
        if (!has) {
            char name[64];
            str_to_utf8(atom, name, sizeof name);
            throw_fmt(ctx, E_REFERENCE, "%s is not defined", name);
            THROW();
        }
        if (obj_set(ctx, ctx->global, atom, sp[-1])) THROW();
        RELOAD();
        if (!keep) sp--;
        NEXT();
    }
    CASE(define_var)
    {
        ujs_value atom;
        GET_CONST(atom, pc);
        pc += 2;
        if (!obj_find_own(ctx->global, atom, NULL)) {
            SAVE();
            if (obj_define(ctx, ctx->global, atom, V_UNDEFINED, P_WRITABLE | P_ENUMERABLE)) THROW();
            RELOAD();
        }
        NEXT();
    }
    CASE(define_func)
    {
        ujs_value atom;
        GET_CONST(atom, pc);
        pc += 2;
        SAVE();
        if (obj_define(ctx, ctx->global, atom, sp[-1], P_WRITABLE | P_ENUMERABLE)) THROW();
        RELOAD();
        sp--;
        NEXT();
    }
    CASE(get_field)
get_field_body : {
    ujs_value atom = cpool[rd16(pc)]; /* may be lazy: then it matches nothing below */
    pc += 2;
    ujs_value o = sp[-1];
    if (v_is_heapobj(o)) {
        obj *ob = v_obj(o);
        if (ob->props != V_NULL) {
            ujs_value *kv = obj_own_kv_guess(o, atom, IC(pc - 2));
            if (kv && !(kv[2] & SMI_FLAG(P_GETSET))) {
                sp[-1] = kv[1];
                NEXT();
            }
        } else {
            unsigned c = obj_class(ob);
            if (c == C_HOST) {
                /* a host member found before (host_get's cache) */
                uint32_t hv = host_member(ctx, ob, atom, IC(pc - 2));
                if (hv & HC_PROP) {
                    const ujs_host_prop_def *pd =
                        &ctx->classes[host_class_id(ob)]->props[HC_INDEX(hv)];
                    SAVE_GC();
                    ujs_value v = pd->get(ctx, o, (void *)ob->x[1]);
                    if (v == V_EXCEPTION) THROW();
                    RELOAD_GC();
                    sp[-1] = v;
                    NEXT();
                }
                if (hv) {
                    sp[-1] = hv;
                    NEXT();
                }
            } else if (c == C_ARRAY && atom == A(length)) {
                sp[-1] = ob->x[1];
                NEXT();
            }
        }
    } else if (atom == A(length) && v_is_ptr(o) && v_type(o) == T_STRING) {
        sp[-1] = v_mkint((int32_t)str_len((strblk *)o));
        NEXT();
    }
    GET_CONST(atom, pc - 2);
    o = sp[-1]; /* making the constant may have moved it */
    SAVE_GC();
    ujs_value v;
    if (get_prop(ctx, o, atom, &v, IC(pc - 2))) THROW();
    RELOAD_GC();
    sp[-1] = v;
    NEXT();
}
    CASE(get_method)
    {
        ujs_value atom = cpool[rd16(pc)]; /* may be lazy: then it matches nothing below */
        pc += 2;
        ujs_value o = sp[-1];
        if (v_is_heapobj(o)) {
            obj *ob = v_obj(o);
            if (ob->props == V_NULL) {
                if (obj_class(ob) == C_HOST) {
                    /* a host method found before (host_get's cache) */
                    uint32_t hv = host_member(ctx, ob, atom, IC(pc - 2));
                    if (hv && !(hv & HC_PROP)) {
                        sp[-1] = hv;
                        *sp++ = o;
                        NEXT();
                    }
                }
            } else {
                ujs_value *kv = obj_own_kv_guess(o, atom, IC(pc - 2));
                if (kv && !(kv[2] & SMI_FLAG(P_GETSET))) {
                    sp[-1] = kv[1];
                    *sp++ = o;
                    NEXT();
                }
            }
        } else {
            /* methods of strings (String.prototype) and of ROM objects (Math.x) */
            uint32_t ri = v_is_string(o)   ? RO_STRING_PROTO
                          : v_is_romobj(o) ? v_romobj_idx(o)
                                           : UINT32_MAX;
            const rom_prop *rp =
                ri < ujs_rom_nobjs ? rom_find_guess(&ujs_rom_objs[ri], atom, IC(pc - 2)) : NULL;
            if (rp) {
                sp[-1] = rom_prop_value(rp);
                *sp++ = o;
                NEXT();
            }
        }
        GET_CONST(atom, pc - 2);
        o = sp[-1]; /* making the constant may have moved it */
        SAVE_GC();
        ujs_value v;
        if (get_prop(ctx, o, atom, &v, IC(pc - 2))) THROW();
        RELOAD_GC();
        o = sp[-1]; /* the receiver, rooted by SAVE (it may have moved) */
        sp[-1] = v;
        *sp++ = o;
        NEXT();
    }
    CASE(put_field)
    CASE(put_field_drop)
    {
        bool drop = pc[-1] == OP_put_field_drop;
        ujs_value atom;
        GET_CONST(atom, pc);
        uint16_t *ic = IC(pc);
        pc += 2;
        ujs_value o = sp[-2];
        if (v_is_heapobj(o)) {
            ujs_value *kv = obj_own_kv_guess(o, atom, ic);
            if (kv && (kv[2] & SMI_FLAG(P_WRITABLE | P_GETSET)) == SMI_FLAG(P_WRITABLE)) {
                kv[1] = sp[-1];
                sp[-2] = sp[-1];
                sp -= drop ? 2 : 1;
                NEXT();
            }
        }
        SAVE();
        if (obj_set(ctx, o, atom, sp[-1])) THROW();
        RELOAD();
        sp[-2] = sp[-1];
        sp -= drop ? 2 : 1;
        NEXT();
    }
    CASE(get_loc_field)
    {
        /* push the local, then get_field with the atom operand */
        ujs_value o = lb[rd16(pc)];
        if (is_box(o)) o = *varref_slot(o);
        *sp++ = o;
        pc += 2;
        goto get_field_body;
    }
    CASE(get_elem)
    CASE(get_method_elem)
    {
        bool method = pc[-1] == OP_get_method_elem;
        ujs_value o = sp[-2], k = sp[-1], v;
        if (v_is_heapobj(o) && v_is_int(k) && obj_class(v_obj(o)) == C_ARRAY &&
            (uword)v_int(k) < (uword)v_int(v_obj(o)->x[1])) {
            v = ((ujs_value *)v_ptr(v_obj(o)->x[0]))[1 + v_int(k)];
        } else if (v_is_heapobj(o) && v_is_int(k) && obj_class(v_obj(o)) == C_U8ARRAY &&
                   (uword)v_int(k) < ((bytesblk *)v_obj(o)->x[0])->len) {
            v = v_mkint(bytes_data((bytesblk *)v_obj(o)->x[0])[v_int(k)]);
        } else {
            SAVE();
            if (get_elem(ctx, o, k, &v)) THROW();
            RELOAD();
        }
        if (method) {
            sp[-1] = sp[-2];
            sp[-2] = v;
        } else {
            sp[-2] = v;
            sp--;
        }
        NEXT();
    }
    CASE(put_elem)
    {
        ujs_value o = sp[-3], k = sp[-2], v = sp[-1];
        if (v_is_heapobj(o) && v_is_int(k) && obj_class(v_obj(o)) == C_ARRAY &&
            (uword)v_int(k) < (uword)v_int(v_obj(o)->x[1])) {
            ((ujs_value *)v_ptr(v_obj(o)->x[0]))[1 + v_int(k)] = v;
        } else if (v_is_heapobj(o) && v_is_int(k) && v_is_int(v) &&
                   obj_class(v_obj(o)) == C_U8ARRAY &&
                   (uword)v_int(k) < ((bytesblk *)v_obj(o)->x[0])->len) {
            bytes_data((bytesblk *)v_obj(o)->x[0])[v_int(k)] = (uint8_t)v_int(v);
        } else {
            SAVE();
            if (set_elem(ctx, o, k, v)) THROW();
            RELOAD();
        }
        sp[-3] = sp[-1];
        sp -= 2;
        NEXT();
    }
    CASE(delete_elem)
    {
        SAVE();
        ujs_value o = sp[-2];
        if (!v_is_obj(o)) {
            throw_fmt(ctx, E_TYPE, "cannot delete a property of a primitive");
            THROW();
        }
        ujs_value atom = atom_from_value(ctx, sp[-1]);
        if (atom == V_EXCEPTION) THROW();
        bool del;
        if (obj_delete(ctx, sp[-2], atom, &del)) THROW();
        RELOAD();
        sp[-2] = v_bool(del);
        sp--;
        NEXT();
    }
    CASE(new_object)
    {
        SAVE();
        ujs_value o = obj_new(ctx, v_mkromobj(RO_OBJECT_PROTO), C_OBJECT, 0);
        RELOAD();
        if (o == V_EXCEPTION) THROW();
        *sp++ = o;
        NEXT();
    }
    CASE(new_array)
    {
        uint32_t n = rd16(pc);
        pc += 2;
        SAVE();
        ujs_value a = arr_new(ctx, n);
        RELOAD();
        if (a == V_EXCEPTION) THROW();
        obj *o = v_obj(a);
        if (n) memcpy((ujs_value *)v_ptr(o->x[0]) + 1, sp - n, n * WSIZE);
        o->x[1] = v_mkint((int32_t)n);
        sp -= n;
        *sp++ = a;
        NEXT();
    }
    CASE(define_field)
    {
        ujs_value atom;
        GET_CONST(atom, pc);
        pc += 2;
        SAVE();
        if (!v_is_heapobj(sp[-2])) goto bad_literal;
        if (obj_define(ctx, sp[-2], atom, sp[-1], P_DEFAULT)) THROW();
        RELOAD();
        sp--;
        NEXT();
    }
    CASE(define_getter)
    CASE(define_setter)
    {
        bool getter = pc[-1] == OP_define_getter;
        ujs_value atom;
        GET_CONST(atom, pc);
        pc += 2;
        SAVE();
        if (!v_is_heapobj(sp[-2])) goto bad_literal;
        int fl;
        ujs_value *slot = obj_find_own(sp[-2], atom, &fl);
        ujs_value pair;
        if (slot && (fl & P_GETSET)) {
            pair = *slot;
        } else {
            ujs_value *pr = heap_alloc(ctx, 3, T_VALARR);
            if (!pr) {
                throw_oom(ctx);
                THROW();
            }
            RELOAD(); /* the atom may have moved: read it again */
            atom = cpool[rd16(pc - 2)];
            pair = (ujs_value)pr;
            sp[0] = pair; /* rooted just above the top while defining */
            ctx->sp = sp + 1;
            if (obj_define(ctx, sp[-2], atom, pair, P_GETSET | P_ENUMERABLE | P_CONFIGURABLE))
                THROW();
            pair = sp[0];
        }
        ((ujs_value *)v_ptr(pair))[getter ? 1 : 2] = sp[-1];
        RELOAD();
        sp--;
        NEXT();
    }
    CASE(call)
    {
        argc = *pc++;
        cflags = (uint32_t)argc;
        INTERRUPT_POINT();
        goto do_call;
    }
    CASE(new)
    {
        argc = *pc++;
        cflags = (uint32_t)argc | FLAG_CTOR;
        INTERRUPT_POINT();
        ujs_value *nfp = sp - argc;
        ujs_value fn = nfp[-2];
        SAVE();
        if (v_is_heapobj(fn) && obj_class(v_obj(fn)) == C_FUNCTION) {
            ujs_value proto = func_prototype(ctx, fn);
            if (proto == V_EXCEPTION) THROW();
            if (!v_is_obj(proto)) proto = v_mkromobj(RO_OBJECT_PROTO);
            ujs_value o = obj_new(ctx, proto, C_OBJECT, 0);
            if (o == V_EXCEPTION) THROW();
            nfp[-1] = o;
            RELOAD();
        } else if (v_is_romobj(fn) && v_romobj_idx(fn) < ujs_rom_nobjs &&
                   ujs_rom_objs[v_romobj_idx(fn)].kind == ROM_CTOR) {
            nfp[-1] = V_UNINIT;
        } else {
            throw_fmt(ctx, E_TYPE, "not a constructor");
            THROW();
        }
        goto do_call;
    }
do_call : {
    /* argc, cflags set; the interrupt point has been passed */
    ujs_value *nfp = sp - argc;
    ujs_value fn = nfp[-2];
    if (v_is_ptr(fn)) {
        if (v_type(fn) != T_OBJECT) goto not_callable;
        unsigned c = obj_class(v_obj(fn));
        if (c == C_FUNCTION) {
            funcbc *nf = (funcbc *)v_obj(fn)->x[0];
            uint32_t np = FB_NPARAMS(nf), nl = FB_NVARS(nf);
            size_t need =
                (np > (uint32_t)argc ? np - (uint32_t)argc : 0) + REC_WORDS + nl + FB_STACK(nf);
            if ((size_t)(ctx->stack_end - sp) < need || ctx->call_depth >= UJS_MAX_CALL_DEPTH) {
                SAVE();
                throw_fmt(ctx, E_RANGE, "stack overflow");
                THROW();
            }
            ctx->call_depth++;
            if (sp + need > ctx->stack_peak) ctx->stack_peak = sp + need;
            while (sp < nfp + np) *sp++ = V_UNDEFINED;
            sp[0] = (ujs_value)fp;
            sp[1] = v_mkint((int32_t)(pc - code));
            sp[2] = (ujs_value)lb;
            sp[3] = v_mkint((sword)cflags);
            fp = nfp;
            lb = sp + REC_WORDS;
            for (uint32_t i = 0; i < nl; i++) lb[i] = V_UNDEFINED;
            sp = lb + nl;
            SYNC_FRAME();
            fb = nf;
            code = fb_code(fb);
            cpool = (ujs_value *)(fb->cpool + WSIZE);
            pc = code;
            NEXT();
        }
        if (c != C_CFUNC) goto not_callable;
        ujs_cfunc f;
        memcpy(&f, &v_obj(fn)->x[0], sizeof f);
        SAVE_GC();
        rv = f(ctx, nfp[-1], argc, nfp, v_obj(fn)->x[1]);
    } else if (v_is_romobj(fn)) {
        uint32_t i = v_romobj_idx(fn);
        if (i >= HOST_METHOD) {
            const ujs_cfunc_def *d = &ctx->classes[(i >> 10) & 15]->methods[i & 1023];
            ujs_value t = nfp[-1];
            SAVE_GC();
            rv = d->func(ctx, t, argc, nfp, host_method_data(t, i));
        } else if (i >= ujs_rom_nobjs) {
            const ujs_cfunc_def *d = &ctx->host_globals[i - ujs_rom_nobjs];
            SAVE_GC();
            rv = d->func(ctx, nfp[-1], argc, nfp, V_UNDEFINED);
        } else {
            const rom_obj *ro = &ujs_rom_objs[i];
            if (ro->kind == ROM_PLAIN) goto not_callable;
            SAVE_GC();
            rv = ro->fn(ctx, nfp[-1], argc, nfp, ro->magic);
        }
    } else {
        goto not_callable;
    }
    RELOAD_GC();
    ujs_value r = rv;
    /* an OOM or interrupt inside the native code (e.g. in a nested
     * ujs_call) stops this call too, whatever the function returned */
    if (r == V_EXCEPTION || ctx->abort_status) THROW();
    sp = nfp - 2;
    *sp++ = r;
    NEXT();
}
not_callable : {
    SAVE();
    throw_fmt(ctx, E_TYPE, "not a function");
    THROW();
}
    CASE(return )
    {
        rv = sp[-1];
        goto do_return;
    }
    CASE(return_undef)
    {
        rv = V_UNDEFINED;
        goto do_return;
    }
do_return : {
    ujs_value *rec = lb - REC_WORDS;
    if ((rec[3] & SMI_FLAG(FLAG_CTOR)) && !v_is_obj(rv)) rv = fp[-1];
    if (v_is_int(rec[0])) { /* the entry frame */
        *result = rv;
        ctx->sp = fp - 2;
        ret = 0;
        goto out;
    }
    ctx->call_depth--;
    sp = fp - 2;
    *sp++ = rv;
    ls.regs.pc_off = (uint32_t)v_int(rec[1]);
    lb = (ujs_value *)rec[2];
    fp = (ujs_value *)rec[0];
    SYNC_FRAME();
    RELOAD();
    NEXT();
}
    CASE(throw)
    {
        SAVE();
        ctx->exception = sp[-1];
        THROW();
    }
    CASE(throw_const)
    {
        SAVE();
        throw_fmt(ctx, E_TYPE, "assignment to a read-only binding");
        THROW();
    }
    CASE(catch)
    {
        int32_t off = rd32s(pc);
        pc += 4;
        *sp++ = v_mkcatch((uint32_t)(pc - code + off));
        NEXT();
    }
    CASE(gosub)
    {
        int32_t off = rd32s(pc);
        pc += 4;
        *sp++ = v_mkint((int32_t)(pc - code));
        pc += off;
        /* gosub, ret and handlers are counted too: loaded bytecode may loop through them */
        INTERRUPT_POINT();
        NEXT();
    }
    CASE(ret)
    {
        pc = code + v_int(*--sp);
        INTERRUPT_POINT();
        NEXT();
    }
    CASE(jmp)
    {
        int32_t off = rd32s(pc);
        pc += 4 + off;
        if (off < 0) INTERRUPT_POINT();
        NEXT();
    }
    CASE(jfalse)
    {
        int32_t off = rd32s(pc);
        ujs_value v = *--sp;
        pc += 4;
        if (v == V_TRUE || (v != V_FALSE && to_boolean(v))) NEXT();
        pc += off;
        if (off < 0) INTERRUPT_POINT();
        NEXT();
    }
    CASE(jtrue)
    {
        int32_t off = rd32s(pc);
        ujs_value v = *--sp;
        pc += 4;
        if (v == V_FALSE || (v != V_TRUE && !to_boolean(v))) NEXT();
        pc += off;
        if (off < 0) INTERRUPT_POINT();
        NEXT();
    }
    CASE(jcmp)
    {
        int k = pc[0];
        int32_t off = rd32s(pc + 1);
        pc += 5;
        ujs_value a = sp[-2], bv = sp[-1];
        bool r;
        if (v_is_int(a & bv)) {
            /* small ints compare as their tagged words, without a switch:
             * le is !(y < x), gt is y < x, ge is !(x < y) */
            sword x = (sword)a, y = (sword)bv;
            unsigned c = (unsigned)k & 3;
            if ((c ^ (c >> 1)) & 1) {
                sword t = x;
                x = y;
                y = t;
            }
            r = (x < y) != (c & 1);
        } else if (v_is_number(a) && v_is_number(bv)) {
            double x = v_num(a), y = v_num(bv);
            r = num_compare((unsigned)k, x, y);
        } else {
            ujs_value res;
            SAVE();
            if (arith_slow(ctx, OP_lt + (k & 3), a, bv, &res)) THROW();
            RELOAD();
            r = res == V_TRUE;
        }
        sp -= 2;
        if (r == ((k & 0x80) != 0)) {
            pc += off;
            if (off < 0) INTERRUPT_POINT();
        }
        NEXT();
    }
/* jump when a === b is `want` */
#define JSEQ_OP(name, want)                                                                        \
    CASE(name)                                                                                     \
    {                                                                                              \
        ujs_value a = sp[-2], bv = sp[-1];                                                         \
        bool r = v_is_int(a & bv) ? a == bv : strict_equals(a, bv);                                \
        int32_t off = rd32s(pc);                                                                   \
        sp -= 2;                                                                                   \
        pc += 4;                                                                                   \
        if (r == (want)) {                                                                         \
            pc += off;                                                                             \
            if (off < 0) INTERRUPT_POINT();                                                        \
        }                                                                                          \
        NEXT();                                                                                    \
    }
    JSEQ_OP(jseq, true)
    JSEQ_OP(jsneq, false)
    CASE(jcmp_i16)
    {
        /* jcmp against the constant k: on small ints, x <= k is x < k + 1,
         * x > k is !(x < k + 1) and x >= k is !(x < k), with no switch */
        int c = pc[0];
        int32_t kv = (int32_t)(rd16(pc + 1) ^ 0x8000) - 0x8000;
        ujs_value a = sp[-1];
        int32_t off = rd32s(pc + 3);
        pc += 7;
        bool r;
        if (v_is_int(a)) {
            sword y = (sword)v_mkint(kv + ((c ^ (c >> 1)) & 1));
            r = ((sword)a < y) != ((c & 2) != 0);
        } else if (v_is_number(a)) {
            double x = v_num(a), y = (double)kv;
            r = num_compare((unsigned)c, x, y);
        } else {
            ujs_value res;
            SAVE();
            if (arith_slow(ctx, OP_lt + (c & 3), a, v_mkint(kv), &res)) THROW();
            RELOAD();
            r = res == V_TRUE;
        }
        sp--;
        if (r == ((c & 0x80) != 0)) {
            pc += off;
            if (off < 0) INTERRUPT_POINT();
        }
        NEXT();
    }
/* jump when a === k is `want` */
#define JSEQ_I16_OP(name, want)                                                                    \
    CASE(name)                                                                                     \
    {                                                                                              \
        ujs_value a = sp[-1], kv = v_mkint((int32_t)(rd16(pc) ^ 0x8000) - 0x8000);                 \
        bool r = v_is_int(a) ? a == kv : strict_equals(a, kv);                                     \
        int32_t off = rd32s(pc + 2);                                                               \
        sp--;                                                                                      \
        pc += 6;                                                                                   \
        if (r == (want)) {                                                                         \
            pc += off;                                                                             \
            if (off < 0) INTERRUPT_POINT();                                                        \
        }                                                                                          \
        NEXT();                                                                                    \
    }
    JSEQ_I16_OP(jseq_i16, true)
    JSEQ_I16_OP(jsneq_i16, false)
    CASE(return_i8)
    {
        rv = v_mkint((int8_t)pc[0]);
        goto do_return;
    }
/* a op k for the constant k: on small ints inline, else as `push k; op`
 * in one shared slow path (arith_slow converts a, then k, as the general
 * instruction does) */
#define ARITH_I16_OP(name, T, expr)                                                                \
    CASE(name)                                                                                     \
    {                                                                                              \
        ujs_value a = sp[-1];                                                                      \
        int32_t y = (int32_t)(rd16(pc) ^ 0x8000) - 0x8000;                                         \
        pc += 2;                                                                                   \
        if (v_is_int(a)) {                                                                         \
            int32_t x = smi_to_int32(v_int(a));                                                    \
            T r = (expr);                                                                          \
            if (T##_fits_smi(r)) {                                                                 \
                sp[-1] = v_mkint((sword)r);                                                        \
                NEXT();                                                                            \
            }                                                                                      \
        }                                                                                          \
        goto arith_i16_slow;                                                                       \
    }
    CASE(add_i16)
    {
        ujs_value a = sp[-1];
        int32_t y = (int32_t)(rd16(pc) ^ 0x8000) - 0x8000;
        pc += 2;
        if (v_is_int(a)) {
            sword r = v_int(a) + y; /* |v_int(a)| < 2^53: no overflow */
            if (r >= SMI_MIN && r <= SMI_MAX) {
                sp[-1] = v_mkint(r);
                NEXT();
            }
        }
        goto arith_i16_slow;
    }
    ARITH_I16_OP(band_i16, int32_t, x & y)
    ARITH_I16_OP(bor_i16, int32_t, x | y)
    ARITH_I16_OP(shl_i16, int32_t, (int32_t)((uint32_t)x << (y & 31)))
    ARITH_I16_OP(sar_i16, int32_t, x >> (y & 31))
    ARITH_I16_OP(shr_i16, uint32_t, (uint32_t)x >> (y & 31))
arith_i16_slow : { /* pc is past the i16 operand */
    static const uint8_t base_op[] = {OP_add, OP_band, OP_bor, OP_shl, OP_sar, OP_shr};
    int op = base_op[pc[-3] - OP_add_i16];
    ujs_value res;
    SAVE();
    if (arith_slow(ctx, op, sp[-1], v_mkint((int32_t)(rd16(pc - 2) ^ 0x8000) - 0x8000), &res))
        THROW();
    RELOAD();
    sp[-1] = res;
    NEXT();
}
    CASE(put_elem_drop)
    {
        /* put_elem for a statement: the value is not kept */
        ujs_value o = sp[-3], k = sp[-2], v = sp[-1];
        if (v_is_heapobj(o) && v_is_int(k) && obj_class(v_obj(o)) == C_U8ARRAY && v_is_int(v) &&
            (uword)v_int(k) < ((bytesblk *)v_obj(o)->x[0])->len) {
            bytes_data((bytesblk *)v_obj(o)->x[0])[v_int(k)] = (uint8_t)v_int(v);
        } else if (v_is_heapobj(o) && v_is_int(k) && obj_class(v_obj(o)) == C_ARRAY &&
                   (uword)v_int(k) < (uword)v_int(v_obj(o)->x[1])) {
            ((ujs_value *)v_ptr(v_obj(o)->x[0]))[1 + v_int(k)] = v;
        } else {
            SAVE();
            if (set_elem(ctx, o, k, v)) THROW();
            RELOAD();
        }
        sp -= 3;
        NEXT();
    }
    CASE(for_in_start)
    CASE(for_of_start)
    {
        bool of = pc[-1] == OP_for_of_start;
        ujs_value o = sp[-1];
        SAVE();
        if (!of) {
            ujs_value keys;
            if (o == V_UNDEFINED || o == V_NULL) {
                keys = arr_new(ctx, 0);
                if (keys == V_EXCEPTION) THROW();
            } else if (own_keys(ctx, o, &keys)) {
                THROW();
            }
            *sp++ = keys;
        } else if (!(v_is_array(o) || v_is_string(o) ||
                     (v_is_heapobj(o) &&
                      (obj_class(v_obj(o)) == C_U8ARRAY || obj_class(v_obj(o)) == C_ARGUMENTS)))) {
            throw_fmt(ctx, E_TYPE, "value is not iterable");
            THROW();
        }
        RELOAD();
        *sp++ = v_mkint(0);
        NEXT();
    }
    CASE(for_in_next)
    {
        int32_t off = rd32s(pc);
        pc += 4;
        ujs_value keys = sp[-2];
        for (;;) {
            int32_t i = (int32_t)v_int(sp[-1]);
            if ((uint32_t)i >= (uint32_t)v_int(v_obj(keys)->x[1])) {
                pc += off;
                NEXT();
            }
            sp[-1] = v_mkint(i + 1);
            ujs_value k = ((ujs_value *)v_ptr(v_obj(keys)->x[0]))[1 + i];
            ujs_value o = sp[-3];
            bool has = true;
            if (v_is_heapobj(o) && obj_class(v_obj(o)) == C_OBJECT)
                has = obj_find_own(o, k, NULL) != NULL;
            if (has) {
                *sp++ = k;
                break;
            }
        }
        INTERRUPT_POINT();
        NEXT();
    }
    CASE(for_next)
    {
        int32_t off = rd32s(pc);
        pc += 4;
        ujs_value it = sp[-2];
        int32_t i = (int32_t)v_int(sp[-1]);
        uint32_t len;
        if (v_is_string(it)) {
            len = str_length(it);
        } else if (obj_class(v_obj(it)) == C_U8ARRAY) {
            len = (uint32_t)((bytesblk *)v_obj(it)->x[0])->len;
        } else {
            len = (uint32_t)v_int(v_obj(it)->x[1]);
        }
        if ((uint32_t)i >= len) {
            pc += off;
            NEXT();
        }
        sp[-1] = v_mkint(i + 1);
        ujs_value v;
        SAVE();
        if (get_elem(ctx, it, v_mkint(i), &v)) THROW();
        RELOAD();
        *sp++ = v;
        INTERRUPT_POINT();
        NEXT();
    }
    CASE(add)
    {
        ujs_value a = sp[-2], b = sp[-1];
        if (v_is_int(a) && v_is_int(b)) {
            sword r = v_int(a) + v_int(b);
            if (smi_fits_w(r)) {
                sp[-2] = v_mkint(r);
                sp--;
                NEXT();
            }
        }
        if (v_is_number(a) && v_is_number(b)) {
            dres = v_num(a) + v_num(b);
            goto num_result;
        }
        if (!v_is_obj(a) && !v_is_obj(b) && (v_is_string(a) || v_is_string(b))) {
            SAVE_GC();
            ujs_value s = add_strings(ctx, a, b);
            if (s == V_EXCEPTION) THROW();
            RELOAD_GC();
            if (s != V_UNDEFINED) {
                sp[-2] = s;
                sp--;
                NEXT();
            }
        }
        goto binop_slow;
    }
    CASE(sub)
    {
        ujs_value a = sp[-2], b = sp[-1];
        if (v_is_int(a) && v_is_int(b)) {
            sword r = v_int(a) - v_int(b);
            if (smi_fits_w(r)) {
                sp[-2] = v_mkint(r);
                sp--;
                NEXT();
            }
        }
        if (v_is_number(a) && v_is_number(b)) {
            dres = v_num(a) - v_num(b);
            goto num_result;
        }
        goto binop_slow;
    }
    CASE(mul)
    {
        ujs_value a = sp[-2], b = sp[-1];
        if (v_is_int(a) && v_is_int(b)) {
            sword x = v_int(a), y = v_int(b);
#ifdef __GNUC__
            sword r;
            if (!__builtin_mul_overflow(x, y, &r) && smi_fits_w(r) &&
                !(r == 0 && (x < 0 || y < 0))) {
#else
            /* int32 operands: the product cannot overflow int64 */
            int64_t r = x == (int32_t)x && y == (int32_t)y ? (int64_t)x * y : (int64_t)SMI_MAX + 1;
            if (smi_fits(r) && !(r == 0 && (x < 0 || y < 0))) {
#endif
                sp[-2] = v_mkint((sword)r);
                sp--;
                NEXT();
            }
        }
        if (v_is_number(a) && v_is_number(b)) {
            dres = v_num(a) * v_num(b);
            goto num_result;
        }
        goto binop_slow;
    }
    CASE(div) goto binop_slow;
    CASE(mod)
    {
        ujs_value a = sp[-2], b = sp[-1];
        if (v_is_int(a) && v_is_int(b) && v_int(a) >= 0 && v_int(b) > 0) {
            sp[-2] = v_mkint(v_int(a) % v_int(b));
            sp--;
            NEXT();
        }
        goto binop_slow;
    }
    CASE(pow) goto binop_slow;
/* Bitwise operators on small ints and on boxed numbers (boxed int32 values
 * on 32-bit targets) inline, without a conversion call. The result is an
 * int32 (a uint32 for >>>): a small int, or a box; `x | 0` and the like
 * give back x's own box when x is boxed (boxes are immutable). */
#define BIT_BINOP(name, T, expr)                                                                   \
    CASE(name)                                                                                     \
    {                                                                                              \
        ujs_value a = sp[-2], b = sp[-1];                                                          \
        int32_t x, y;                                                                              \
        if (v_is_int(a & b)) {                                                                     \
            x = smi_to_int32(v_int(a));                                                            \
            y = smi_to_int32(v_int(b));                                                            \
        } else if (!num_int32(a, &x) || !num_int32(b, &y)) {                                       \
            goto binop_slow;                                                                       \
        }                                                                                          \
        T r = (expr);                                                                              \
        if (T##_fits_smi(r)) {                                                                     \
            sp[-2] = v_mkint((sword)r);                                                            \
            sp--;                                                                                  \
            NEXT();                                                                                \
        }                                                                                          \
        dres = (double)r;                                                                          \
        if (!v_is_int(a) && (int64_t)r == x && v_float(a) == dres) {                               \
            sp--; /* a's box is the result */                                                      \
            NEXT();                                                                                \
        }                                                                                          \
        goto num_box_result;                                                                       \
    }
    BIT_BINOP(band, int32_t, x & y)
    BIT_BINOP(bor, int32_t, x | y)
    BIT_BINOP(bxor, int32_t, x ^ y)
    BIT_BINOP(shl, int32_t, (int32_t)((uint32_t)x << (y & 31)))
    BIT_BINOP(sar, int32_t, x >> (y & 31))
    BIT_BINOP(shr, uint32_t, (uint32_t)x >> (y & 31))
#define CMP_OP(name, cop)                                                                          \
    CASE(name)                                                                                     \
    {                                                                                              \
        ujs_value a = sp[-2], b = sp[-1];                                                          \
        if (v_is_int(a) && v_is_int(b)) {                                                          \
            sp[-2] = v_bool(v_int(a) cop v_int(b));                                                \
            sp--;                                                                                  \
            NEXT();                                                                                \
        }                                                                                          \
        if (v_is_number(a) && v_is_number(b)) {                                                    \
            sp[-2] = v_bool(v_num(a) cop v_num(b));                                                \
            sp--;                                                                                  \
            NEXT();                                                                                \
        }                                                                                          \
        goto binop_slow;                                                                           \
    }
    CMP_OP(lt, <)
    CMP_OP(le, <=)
    CMP_OP(gt, >)
    CMP_OP(ge, >=)
    CASE(eq)
    CASE(neq)
    {
        bool neg = pc[-1] == OP_neq;
        bool r;
        SAVE();
        if (loose_equals(ctx, sp[-2], sp[-1], &r)) THROW();
        RELOAD();
        sp[-2] = v_bool(r != neg);
        sp--;
        NEXT();
    }
    CASE(seq)
    {
        ujs_value a = sp[-2], b = sp[-1];
        sp[-2] = v_bool(v_is_int(a & b) ? a == b : strict_equals(a, b));
        sp--;
        NEXT();
    }
    CASE(sneq)
    {
        ujs_value a = sp[-2], b = sp[-1];
        sp[-2] = v_bool(v_is_int(a & b) ? a != b : !strict_equals(a, b));
        sp--;
        NEXT();
    }
    CASE(instanceof)
    {
        bool r;
        SAVE();
        if (do_instanceof(ctx, sp[-2], sp[-1], &r)) THROW();
        RELOAD();
        sp[-2] = v_bool(r);
        sp--;
        NEXT();
    }
    CASE(in)
    {
        SAVE();
        if (!v_is_obj(sp[-1])) {
            throw_fmt(ctx, E_TYPE, "right-hand side of 'in' is not an object");
            THROW();
        }
        ujs_value atom = atom_from_value(ctx, sp[-2]);
        if (atom == V_EXCEPTION) THROW();
        bool has;
        if (obj_has(ctx, sp[-1], atom, &has)) THROW();
        RELOAD();
        sp[-2] = v_bool(has);
        sp--;
        NEXT();
    }
    CASE(inc)
    {
        /* ++ of a small int (the loop counters): no decoding of which
         * unary operator this is */
        ujs_value v = sp[-1];
        if (v_is_int(v) && v_int(v) < SMI_MAX) {
            sp[-1] = v + 2; /* v_mkint(v_int(v) + 1) */
            NEXT();
        }
        goto unary_op;
    }
    CASE(dec)
    {
        ujs_value v = sp[-1];
        if (v_is_int(v) && v_int(v) > SMI_MIN) {
            sp[-1] = v - 2;
            NEXT();
        }
        goto unary_op;
    }
    CASE(neg)
    CASE(plus)
    CASE(post_inc)
    CASE(post_dec)
unary_op : {
    int op = pc[-1];
    ujs_value v = sp[-1];
    if (v_is_int(v)) {
        int64_t i = v_int(v);
        int64_t r = op == OP_neg                        ? -i
                    : op == OP_plus                     ? i
                    : op == OP_inc || op == OP_post_inc ? i + 1
                                                        : i - 1;
        if (smi_fits(r) && !(op == OP_neg && i == 0)) {
            if (op == OP_post_inc || op == OP_post_dec)
                *sp++ = v_mkint((sword)r);
            else
                sp[-1] = v_mkint((sword)r);
            NEXT();
        }
    }
    SAVE();
    double d;
    if (to_number(ctx, v, &d)) THROW();
    double r = op == OP_neg                        ? -d
               : op == OP_plus                     ? d
               : op == OP_inc || op == OP_post_inc ? d + 1
                                                   : d - 1;
    if (op == OP_post_inc || op == OP_post_dec) {
        ujs_value old = num_new(ctx, d);
        if (old == V_EXCEPTION) THROW();
        sp[-1] = old;
        ctx->sp = sp;
        ujs_value nv = num_new(ctx, r);
        if (nv == V_EXCEPTION) THROW();
        RELOAD();
        *sp++ = nv;
    } else {
        ujs_value nv = num_new(ctx, r);
        if (nv == V_EXCEPTION) THROW();
        RELOAD();
        sp[-1] = nv;
    }
    NEXT();
}
    CASE(not ) sp[-1] = v_bool(!to_boolean(sp[-1]));
    NEXT();
    CASE(bnot)
    {
        ujs_value v = sp[-1];
        if (v_is_int(v)) {
            sp[-1] = v_mkint(~smi_to_int32(v_int(v)));
            NEXT();
        }
        SAVE();
        int32_t i;
        if (to_int32(ctx, v, &i)) THROW();
        RELOAD();
        sp[-1] = v_mkint(~i); /* fits: int32 range is smi on 64-bit; checked below on 32-bit */
        if (!smi_fits(~(int64_t)i)) {
            SAVE();
            ujs_value n = num_new(ctx, ~i);
            if (n == V_EXCEPTION) THROW();
            RELOAD();
            sp[-1] = n;
        }
        NEXT();
    }
    CASE(typeof) sp[-1] = type_of(sp[-1]);
    NEXT();
    END_DISPATCH

num_result : { /* sp[-2] op sp[-1] = dres, a number */
    if (dres >= SMI_MIN && dres <= SMI_MAX && dres == (double)(sword)dres &&
        (dres != 0 || 1 / dres > 0)) {
        sp[-2] = v_mkint((sword)dres);
        sp--;
        NEXT();
    }
}
num_box_result : { /* dres needs a box */
    uword *p = heap_alloc_raw_fast(ctx, FLOAT_WORDS, T_FLOAT);
    ujs_value r;
    if (p) { /* no collection: nothing moved */
        memcpy((char *)p + offsetof(floatblk, d), &dres, sizeof dres);
        r = (ujs_value)p;
    } else {
        SAVE_GC();
        r = num_box(ctx, dres);
        if (r == V_EXCEPTION) THROW();
        RELOAD_GC();
    }
    sp[-2] = r;
    sp--;
    NEXT();
}

binop_slow : {
    int op = pc[-1];
    ujs_value r;
    if (v_is_number(sp[-2]) && v_is_number(sp[-1])) {
        /* both numbers: no conversions, one allocation at most */
        double x = v_num(sp[-2]), y = v_num(sp[-1]);
        switch (op) {
        case OP_add: dres = x + y; break;
        case OP_sub: dres = x - y; break;
        case OP_mul: dres = x * y; break;
        case OP_div: dres = x / y; break;
        case OP_mod: dres = num_fmod(x, y); break;
        case OP_pow: dres = num_pow(x, y); break;
        case OP_band: dres = num_to_int32(x) & num_to_int32(y); break;
        case OP_bor: dres = num_to_int32(x) | num_to_int32(y); break;
        case OP_bxor: dres = num_to_int32(x) ^ num_to_int32(y); break;
        case OP_shl: dres = (int32_t)((uint32_t)num_to_int32(x) << (num_to_int32(y) & 31)); break;
        case OP_sar: dres = num_to_int32(x) >> (num_to_int32(y) & 31); break;
        case OP_shr: dres = (double)((uint32_t)num_to_int32(x) >> (num_to_int32(y) & 31)); break;
        default: goto binop_generic;
        }
        goto num_result;
    }
binop_generic:
    SAVE();
    if (arith_slow(ctx, op, sp[-2], sp[-1], &r)) THROW();
    RELOAD();
    sp[-2] = r;
    sp--;
    NEXT();
}

exception : {
    /* ctx->sp and the registers were saved by the thrower; the code may have
     * moved since (the throw may follow an allocation) */
    RELOAD();
    if (!ctx->abort_status) {
        for (;;) {
            uint32_t nl = FB_NVARS(fb);
            ujs_value *bottom = lb + nl;
            for (ujs_value *s = sp - 1; s >= bottom; s--) {
                if (v_is_catch(*s)) {
                    uint32_t hpc = v_catch_pc(*s);
                    sp = s;
                    *sp++ = ctx->exception;
                    ctx->exception = V_UNDEFINED;
                    pc = code + hpc;
                    if (--ctx->ih_counter <= 0) {
                        SAVE();
                        if (interrupt_check(ctx)) goto exception;
                    }
                    NEXT();
                }
            }
            ujs_value *rec = lb - REC_WORDS;
            if (v_is_int(rec[0])) break;
            ctx->call_depth--;
            sp = fp - 2;
            ls.regs.pc_off = (uint32_t)v_int(rec[1]);
            lb = (ujs_value *)rec[2];
            fp = (ujs_value *)rec[0];
            SYNC_FRAME();
            RELOAD();
            SAVE();
        }
    } else {
        /* uncatchable: drop every frame of this loop */
        for (;;) {
            ujs_value *rec = lb - REC_WORDS;
            if (v_is_int(rec[0])) break;
            ctx->call_depth--;
            lb = (ujs_value *)rec[2];
            fp = (ujs_value *)rec[0];
        }
        SYNC_FRAME();
    }
    ctx->sp = fp - 2;
    ret = -1;
}
out:
    ctx->cur_loop = ls.outer;
    ctx->c_depth--;
    if (ctx->abort_status) ret = -1;
    if (ret && (v_int(lb[-REC_WORDS + 3]) & RUN_JS_API)) {
        *result = V_UNDEFINED;
        return api_status(ctx);
    }
    return ret;
}
