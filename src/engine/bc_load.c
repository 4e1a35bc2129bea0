/*
 * The bytecode loader: verifies a file (bc_verify.c), then builds its
 * functions. Execute in place: each function is a funcbc flagged
 * FBF_EXTERN whose raw part (code, closure descriptors, line table) is a
 * pointer into the caller's buffer, which may be read-only flash; the GC
 * neither follows nor moves that pointer. Only atoms (interned strings) and
 * numbers that are not small integers become heap values.
 *
 * Heap cost at load: per function a funcbc (the struct plus one pointer
 * word) and, if it has constants, a value array of one word per constant
 * plus a header; per distinct atom that is not a ROM atom, one interned
 * string (docs/BYTECODE.md has the measured figures).
 */
#include "bytecode.h"

bool ujs_is_bytecode(const uint8_t *buf, size_t len)
{
    return buf && len >= 4 && buf[0] == BC_MAGIC0 && buf[1] == BC_MAGIC1 && buf[2] == BC_MAGIC2 &&
           buf[3] == BC_MAGIC3;
}

/* Interns atom i of the file. */
static ujs_value load_atom(ujs_ctx *ctx, const uint8_t *buf, uint32_t i)
{
    uint32_t atoms_off = bc_rd32(buf + 24);
    const uint8_t *a = buf + atoms_off + (size_t)i * BC_ATOM_SIZE;
    uint32_t off = bc_rd32(a), lw = bc_rd32(a + 4);
    strview sv = {buf + off, lw >> 1, false};
    if (!(lw & 1)) return atom_from_view(ctx, &sv);
    /* UTF-16LE in the file, native order in the heap */
    ujs_value s = str_new(ctx, sv.len, true);
    if (s == V_EXCEPTION) return s;
    uint8_t *d = str_bytes((strblk *)s);
    for (uint32_t k = 0; k < sv.len; k++) {
        uint16_t u = (uint16_t)bc_rd16(buf + off + 2 * (size_t)k);
        memcpy(d + 2 * (size_t)k, &u, 2);
    }
    return atom_from_value(ctx, s);
}

static int load(ujs_ctx *ctx, const uint8_t *buf, ujs_value *main_fn)
{
    uint32_t nfuncs = bc_rd32(buf + 12), funcs_off = bc_rd32(buf + 16);
    uint32_t natoms = bc_rd32(buf + 20), fname = bc_rd32(buf + 28);
    ujs_ref atoms, funcs, tmp;
    int ret = -1;
    ujs_push_ref(ctx, &atoms, V_UNDEFINED);
    ujs_push_ref(ctx, &funcs, V_UNDEFINED);
    ujs_push_ref(ctx, &tmp, V_UNDEFINED);
    ujs_value *p = heap_alloc(ctx, 1 + (uword)natoms, T_VALARR);
    if (!p) goto oom;
    atoms.val = (ujs_value)p;
    for (uint32_t i = 0; i < natoms; i++) {
        ujs_value a = load_atom(ctx, buf, i);
        if (a == V_EXCEPTION) goto done;
        ((ujs_value *)v_ptr(atoms.val))[1 + i] = a;
    }
    p = heap_alloc(ctx, 1 + (uword)nfuncs, T_VALARR);
    if (!p) goto oom;
    funcs.val = (ujs_value)p;
    /* children first: a function's constants refer to functions after it */
    for (uint32_t i = nfuncs; i-- > 0;) {
        bc_func bf;
        bc_func_read(buf, funcs_off, i, &bf);
        uword words = (sizeof(funcbc) + sizeof(const uint8_t *) + WSIZE - 1) / WSIZE;
        funcbc *f = heap_alloc(ctx, words, T_FUNCBC);
        if (!f) goto oom;
        f->cpool = V_NULL;
        f->name = V_UNDEFINED;
        f->filename = A(empty);
        f->nparams_nvars = bf.nparams | (uword)bf.nlocals << 16;
        f->stack_size_flags = bf.stack_size | FBF_EXTERN |
                              ((bf.flags & BC_FN_ARGUMENTS) ? FBF_ARGUMENTS : 0) |
                              ((bf.flags & BC_FN_TOPLEVEL) ? FBF_TOPLEVEL : 0);
        f->code_len = bf.code_len;
        f->lines_len = bf.lines_len;
        f->line0 = 0;
        f->ncvar = bf.ncvar;
        const uint8_t *raw = buf + bf.raw_off;
        memcpy(f + 1, &raw, sizeof raw);
        const ujs_value *av = (ujs_value *)v_ptr(atoms.val) + 1;
        if (bf.name != BC_NONE) f->name = av[bf.name];
        if (fname != BC_NONE) f->filename = av[fname];
        tmp.val = (ujs_value)f;
        if (bf.nconst) {
            p = heap_alloc(ctx, 1 + (uword)bf.nconst, T_VALARR);
            if (!p) goto oom;
            ((funcbc *)tmp.val)->cpool = (ujs_value)p;
            for (uint32_t k = 0; k < bf.nconst; k++) {
                const uint8_t *c = buf + bf.const_off + (size_t)k * BC_CONST_SIZE;
                uint64_t x = bc_rd64(c + 1);
                ujs_value v;
                if (c[0] == BC_K_ATOM) {
                    v = ((ujs_value *)v_ptr(atoms.val))[1 + x];
                } else if (c[0] == BC_K_FUNC) {
                    v = ((ujs_value *)v_ptr(funcs.val))[1 + x];
                } else {
                    double d;
                    memcpy(&d, &x, 8);
                    v = num_new(ctx, d); /* a small integer when it fits this target */
                    if (v == V_EXCEPTION) goto done;
                }
                ujs_value *cp = (ujs_value *)v_ptr(((funcbc *)tmp.val)->cpool);
                cp[1 + k] = v;
            }
        }
        ((ujs_value *)v_ptr(funcs.val))[1 + i] = tmp.val;
    }
    ujs_value c = obj_new(ctx, v_mkromobj(RO_FUNCTION_PROTO), C_FUNCTION, 2);
    if (c == V_EXCEPTION) goto done;
    v_obj(c)->x[0] = ((ujs_value *)v_ptr(funcs.val))[1];
    v_obj(c)->x[1] = V_UNDEFINED;
    *main_fn = c;
    ret = 0;
    goto done;
oom:
    throw_oom(ctx);
done:
    ujs_pop_ref(ctx, &tmp);
    ujs_pop_ref(ctx, &funcs);
    ujs_pop_ref(ctx, &atoms);
    return ret;
}

int load_bytecode(ujs_ctx *ctx, const uint8_t *buf, size_t len, ujs_value *main_fn)
{
    if (bc_verify(ctx, buf, len)) return -1;
    return load(ctx, buf, main_fn);
}
