/*
 * The bytecode writer: serializes a compiled program (the function tree
 * under ujs_compile's result) into the portable file format of
 * docs/BYTECODE.md.
 *
 * Functions are numbered in depth-first pre-order from the top level
 * (parents before children), atoms in order of first use (file name, then
 * per function its name and its constants), so the same program gives the
 * same bytes on every target. The only allocation is one scratch array made
 * before anything else; after it, raw pointers stay valid.
 */
#include "bytecode.h"

typedef struct writer {
    ujs_value *funcs;   /* funcbc values in file order */
    ujs_value *parents; /* smi parent index (-1 for the top level) */
    ujs_value *atoms;   /* distinct atoms in file order */
    uint32_t nfuncs, natoms;
    bool strip;
} writer;

typedef struct walk {
    funcbc *f;
    uint32_t next; /* next constant to look at */
    uint32_t idx;
} walk;

static uint32_t ncpool(funcbc *f)
{
    return f->cpool == V_NULL ? 0 : (uint32_t)(hdr_words(*v_ptr(f->cpool)) - 1);
}

static ujs_value cpool_at(funcbc *f, uint32_t i)
{
    return ((ujs_value *)v_ptr(f->cpool))[1 + i];
}

static bool is_funcbc(ujs_value v)
{
    return v_is_ptr(v) && v_type(v) == T_FUNCBC;
}

/*
 * Depth-first pre-order walk of the function tree; with w->funcs set it
 * records every function and its parent. Returns the number of functions
 * and adds the number of constants to *nconst, or -1 if too deep or loaded.
 */
static int32_t walk_tree(funcbc *root, writer *w, uint32_t *nconst)
{
    walk stk[BC_MAX_FUNC_NEST];
    uint32_t top = 0, n = 0;
    /* loaded bytecode keeps lazy pool entries (bc_load.c): its file is
     * already the output */
    if (fb_is_extern(root)) return -1;
    stk[top++] = (walk){root, 0, n};
    if (w->funcs) {
        w->funcs[n] = (ujs_value)root;
        w->parents[n] = v_mkint(-1);
    }
    n++;
    *nconst += ncpool(root);
    while (top) {
        walk *t = &stk[top - 1];
        if (t->next >= ncpool(t->f)) {
            top--;
            continue;
        }
        ujs_value c = cpool_at(t->f, t->next++);
        if (!is_funcbc(c)) continue;
        if (top == BC_MAX_FUNC_NEST) return -1;
        funcbc *cf = (funcbc *)c;
        if (w->funcs) {
            w->funcs[n] = c;
            w->parents[n] = v_mkint((sword)t->idx);
        }
        stk[top++] = (walk){cf, 0, n};
        n++;
        *nconst += ncpool(cf);
    }
    return (int32_t)n;
}

static uint32_t atom_index(writer *w, ujs_value a)
{
    for (uint32_t i = 0; i < w->natoms; i++)
        if (w->atoms[i] == a) return i;
    w->atoms[w->natoms] = a;
    return w->natoms++;
}

static uint32_t func_index(writer *w, ujs_value f)
{
    for (uint32_t i = 0; i < w->nfuncs; i++)
        if (w->funcs[i] == f) return i;
    return BC_NONE;
}

/* wide storage only for strings that need it (one encoding per string) */
static bool atom_wide(const strview *sv)
{
    if (!sv->wide) return false;
    for (uint32_t i = 0; i < sv->len; i++)
        if (sv_at(sv, i) > 0xff) return true;
    return false;
}

static void wr16(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)x;
    p[1] = (uint8_t)(x >> 8);
}
static void wr32(uint8_t *p, uint32_t x)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(x >> (8 * i));
}
static void wr64(uint8_t *p, uint64_t x)
{
    wr32(p, (uint32_t)x);
    wr32(p + 4, (uint32_t)(x >> 32));
}

static size_t raw_len(funcbc *f, bool strip)
{
    return f->code_len + 2 * (size_t)f->ncvar + (strip ? 0 : f->lines_len);
}

int ujs_write_bytecode(ujs_ctx *ctx, ujs_value fn, uint8_t *out, size_t cap, size_t *len,
                       unsigned flags)
{
    if (!v_is_heapobj(fn) || obj_class(v_obj(fn)) != C_FUNCTION || !len) return UJS_EINVAL;
    writer w;
    memset(&w, 0, sizeof w);
    w.strip = (flags & UJS_BC_STRIP) != 0;
    uint32_t nconst = 0;
    int32_t nf = walk_tree((funcbc *)v_obj(fn)->x[0], &w, &nconst);
    if (nf < 0) return UJS_EINVAL;
    uint64_t maxatoms = (uint64_t)nconst + (uint64_t)nf + 1;
    uint64_t words = 1 + 2 * (uint64_t)nf + maxatoms;
    if (words > (uint64_t)(ctx->heap_end - ctx->heap_start)) return UJS_ENOMEM;
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, fn);
    ujs_value *scratch = heap_alloc(ctx, (uword)words, T_VALARR);
    fn = rf.val;
    ujs_pop_ref(ctx, &rf);
    if (!scratch) return UJS_ENOMEM;
    /* nothing allocates from here on: raw pointers stay valid */
    w.funcs = scratch + 1;
    w.parents = w.funcs + nf;
    w.atoms = w.parents + nf;
    nconst = 0;
    walk_tree((funcbc *)v_obj(fn)->x[0], &w, &nconst);
    w.nfuncs = (uint32_t)nf;

    /* atoms and sizes */
    funcbc *root = (funcbc *)w.funcs[0];
    uint32_t fname = w.strip ? BC_NONE : atom_index(&w, root->filename);
    uint64_t raw = 0;
    for (uint32_t i = 0; i < w.nfuncs; i++) {
        funcbc *f = (funcbc *)w.funcs[i];
        if (!w.strip && f->name != V_UNDEFINED) atom_index(&w, f->name);
        for (uint32_t k = 0; k < ncpool(f); k++) {
            ujs_value c = cpool_at(f, k);
            if (v_is_string(c))
                atom_index(&w, c);
            else if (!v_is_number(c) && !is_funcbc(c))
                return UJS_EINVAL;
        }
        raw += raw_len(f, w.strip);
    }
    uint64_t strbytes = 0;
    for (uint32_t i = 0; i < w.natoms; i++) {
        strview sv;
        str_view(w.atoms[i], &sv);
        strbytes += (uint64_t)sv.len << (atom_wide(&sv) ? 1 : 0);
    }
    uint64_t funcs_off = BC_HDR_SIZE;
    uint64_t const_off = funcs_off + (uint64_t)w.nfuncs * BC_FUNC_SIZE;
    uint64_t raw_off = const_off + (uint64_t)nconst * BC_CONST_SIZE;
    uint64_t atoms_off = raw_off + raw;
    uint64_t data_off = atoms_off + (uint64_t)w.natoms * BC_ATOM_SIZE;
    uint64_t total = data_off + strbytes;
    if (total > 0xffffffffu) return UJS_EINVAL;
    *len = (size_t)total;
    if (!out || cap < total) return UJS_EINVAL;

    uint8_t *p = out;
    p[0] = BC_MAGIC0;
    p[1] = BC_MAGIC1;
    p[2] = BC_MAGIC2;
    p[3] = BC_MAGIC3;
    wr16(p + 4, UJS_BYTECODE_VERSION);
    wr16(p + 6, w.strip ? BC_F_STRIP : 0);
    wr32(p + 8, (uint32_t)total);
    wr32(p + 12, w.nfuncs);
    wr32(p + 16, (uint32_t)funcs_off);
    wr32(p + 20, w.natoms);
    wr32(p + 24, (uint32_t)atoms_off);
    wr32(p + 28, fname);
    uint64_t co = const_off, ro = raw_off;
    for (uint32_t i = 0; i < w.nfuncs; i++) {
        funcbc *f = (funcbc *)w.funcs[i];
        uint8_t *r = out + funcs_off + (size_t)i * BC_FUNC_SIZE;
        uint32_t nc = ncpool(f);
        sword parent = v_int(w.parents[i]);
        wr32(r, parent < 0 ? BC_NONE : (uint32_t)parent);
        wr32(r + 4, w.strip || f->name == V_UNDEFINED ? BC_NONE : atom_index(&w, f->name));
        wr16(r + 8, FB_NPARAMS(f));
        wr16(r + 10, FB_NVARS(f));
        wr16(r + 12, FB_STACK(f));
        wr16(r + 14, ((f->stack_size_flags & FBF_ARGUMENTS) ? BC_FN_ARGUMENTS : 0) |
                         ((f->stack_size_flags & FBF_TOPLEVEL) ? BC_FN_TOPLEVEL : 0));
        wr32(r + 16, nc);
        wr32(r + 20, (uint32_t)co);
        wr32(r + 24, (uint32_t)f->code_len);
        wr32(r + 28, f->ncvar);
        wr32(r + 32, w.strip ? 0 : (uint32_t)f->lines_len);
        wr32(r + 36, (uint32_t)ro);
        for (uint32_t k = 0; k < nc; k++, co += BC_CONST_SIZE) {
            ujs_value c = cpool_at(f, k);
            uint8_t *e = out + co;
            if (v_is_string(c)) {
                e[0] = BC_K_ATOM;
                wr64(e + 1, atom_index(&w, c));
            } else if (is_funcbc(c)) {
                e[0] = BC_K_FUNC;
                wr64(e + 1, func_index(&w, c));
            } else {
                /* every number as a double: the loader makes it a small
                 * integer if it fits the target's range */
                double d = v_num(c);
                uint64_t bits;
                memcpy(&bits, &d, 8);
                e[0] = BC_K_NUMBER;
                wr64(e + 1, bits);
            }
        }
        size_t rl = raw_len(f, w.strip);
        memcpy(out + ro, fb_code(f), rl);
        ro += rl;
    }
    uint64_t d = data_off;
    for (uint32_t i = 0; i < w.natoms; i++) {
        strview sv;
        str_view(w.atoms[i], &sv);
        bool wide = atom_wide(&sv);
        uint8_t *a = out + atoms_off + (size_t)i * BC_ATOM_SIZE;
        wr32(a, (uint32_t)d);
        wr32(a + 4, sv.len << 1 | (wide ? 1u : 0u));
        for (uint32_t k = 0; k < sv.len; k++) {
            uint32_t u = sv_at(&sv, k);
            if (wide) {
                wr16(out + d, u);
                d += 2;
            } else {
                out[d++] = (uint8_t)u;
            }
        }
    }
    return UJS_OK;
}
