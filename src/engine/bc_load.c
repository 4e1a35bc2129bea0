/*
 * The bytecode loader: verifies a file (bc_verify.c), then builds its top
 * level. Execute in place: a loaded function is a funcext (value.h): a
 * funcbc head flagged FBF_EXTERN with its pool and name, then the file
 * pointer and the function's index; its record and raw part (code, closure
 * descriptors, line table) stay in the caller's buffer, which may be
 * read-only flash. The GC neither follows nor moves the file pointer.
 *
 * The one idea: nothing is made before it is needed. Loading makes the top
 * level's funcbc and its constant pool only; a pool entry naming an atom or
 * a child function starts as a lazy reference (v_mklazy: the index in the
 * file, a tagged non-pointer word) and becomes the interned atom or the
 * child's funcext when the interpreter first reads it (bc_resolve_const),
 * which stores it back. So loading costs one word per constant of the top
 * level (docs/BYTECODE.md has the measured figures); a function's funcext
 * and pool appear when its first closure is made, an atom when first used.
 * Numbers that are not small integers are boxed when their pool is made.
 */
#include "bytecode.h"

bool ujs_is_bytecode(const uint8_t *buf, size_t len)
{
    return buf && len >= 4 && buf[0] == BC_MAGIC0 && buf[1] == BC_MAGIC1 && buf[2] == BC_MAGIC2 &&
           buf[3] == BC_MAGIC3;
}

/* Interns atom i of the file (the canonical atom: ROM, existing or new). */
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

/* Makes the funcext of function i of the file, with a pool of lazy entries. */
static ujs_value load_func(ujs_ctx *ctx, const uint8_t *buf, uint32_t i)
{
    bc_func bf;
    bc_func_read(buf, bc_rd32(buf + 16), i, &bf);
    funcext *f = heap_alloc(ctx, sizeof(funcext) / WSIZE, T_FUNCBC);
    if (!f) return throw_oom(ctx);
    f->cpool = V_NULL;
    f->name = V_UNDEFINED;
    f->nparams_nvars = bf.nparams | (uword)bf.nlocals << 16;
    f->stack_size_flags = bf.stack_size | FBF_EXTERN |
                          ((bf.flags & BC_FN_ARGUMENTS) ? FBF_ARGUMENTS : 0) |
                          ((bf.flags & BC_FN_TOPLEVEL) ? FBF_TOPLEVEL : 0);
    f->file = buf;
    f->raw_off = bf.raw_off;
    f->index = i;
    ujs_ref rf;
    ujs_value ret = V_EXCEPTION, v;
    ujs_push_ref(ctx, &rf, (ujs_value)f);
    if (bf.name != BC_NONE) {
        if ((v = load_atom(ctx, buf, bf.name)) == V_EXCEPTION) goto done;
        ((funcbc *)rf.val)->name = v;
    }
    if (bf.nconst) {
        ujs_value *p = heap_alloc(ctx, 1 + (uword)bf.nconst, T_VALARR);
        if (!p) {
            throw_oom(ctx);
            goto done;
        }
        ((funcbc *)rf.val)->cpool = (ujs_value)p;
        for (uint32_t k = 0; k < bf.nconst; k++) {
            const uint8_t *c = buf + bf.const_off + (size_t)k * BC_CONST_SIZE;
            uint64_t x = bc_rd64(c + 1);
            if (c[0] == BC_K_NUMBER) {
                double d;
                memcpy(&d, &x, 8);
                v = num_new(ctx, d); /* a small integer when it fits this target */
                if (v == V_EXCEPTION) goto done;
            } else {
                /* the verifier bounded the index below LAZY_MAX */
                v = v_mklazy((uint32_t)x, c[0] == BC_K_FUNC);
            }
            ((ujs_value *)v_ptr(((funcbc *)rf.val)->cpool))[1 + k] = v;
        }
    }
    ret = rf.val;
done:
    ujs_pop_ref(ctx, &rf);
    return ret;
}

ujs_value bc_resolve_const(ujs_ctx *ctx, ujs_value fn, uint32_t k)
{
    funcbc *f = (funcbc *)v_obj(fn)->x[0];
    ujs_value c = ((ujs_value *)v_ptr(f->cpool))[1 + k];
    const uint8_t *buf = ((funcext *)f)->file;
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, fn);
    ujs_value v =
        v_lazy_is_func(c) ? load_func(ctx, buf, v_lazy_idx(c)) : load_atom(ctx, buf, v_lazy_idx(c));
    if (v != V_EXCEPTION) {
        f = (funcbc *)v_obj(rf.val)->x[0];
        ((ujs_value *)v_ptr(f->cpool))[1 + k] = v;
    }
    ujs_pop_ref(ctx, &rf);
    return v;
}

uint32_t fx_field(const funcext *x, unsigned off)
{
    return bc_rd32(x->file + bc_rd32(x->file + 16) + (size_t)x->index * BC_FUNC_SIZE + off);
}

size_t fx_filename_utf8(const funcext *x, char *out, size_t size)
{
    const uint8_t *buf = x->file;
    uint32_t fname = bc_rd32(buf + 28);
    if (fname == BC_NONE) {
        if (size) out[0] = 0;
        return 0;
    }
    const uint8_t *a = buf + bc_rd32(buf + 24) + (size_t)fname * BC_ATOM_SIZE;
    uint32_t off = bc_rd32(a), lw = bc_rd32(a + 4), units = lw >> 1;
    size_t n = 0;
    for (uint32_t k = 0; k < units; k++) {
        uint32_t c = (lw & 1) ? bc_rd16(buf + off + 2 * (size_t)k) : buf[off + k];
        if ((lw & 1) && c >= 0xD800 && c < 0xDC00 && k + 1 < units) {
            uint32_t d = bc_rd16(buf + off + 2 * (size_t)k + 2);
            if (d >= 0xDC00 && d < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                k++;
            }
        }
        uint8_t u[4];
        size_t m = utf8_encode(c, u);
        for (size_t j = 0; j < m; j++, n++)
            if (size && n < size - 1) out[n] = (char)u[j];
    }
    if (size) out[n < size - 1 ? n : size - 1] = 0;
    return n;
}

int load_bytecode(ujs_ctx *ctx, const uint8_t *buf, size_t len, ujs_value *main_fn)
{
    if (bc_verify(ctx, buf, len)) return -1;
    ujs_value f = load_func(ctx, buf, 0);
    if (f == V_EXCEPTION) return -1;
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, f);
    ujs_value c = obj_new(ctx, v_mkromobj(RO_FUNCTION_PROTO), C_FUNCTION, 2);
    if (c != V_EXCEPTION) {
        v_obj(c)->x[0] = rf.val;
        v_obj(c)->x[1] = V_UNDEFINED;
        *main_fn = c;
    }
    ujs_pop_ref(ctx, &rf);
    return c == V_EXCEPTION ? -1 : 0;
}
