/*
 * Code emission for the compiler: growable heap buffers (code, constants,
 * line table), instructions and their stack-depth accounting, forward-jump
 * chains and the compare-and-branch peephole, the constant pool.
 * Everything here works on heap buffers held in refs: any emission may
 * allocate and move them, so callers re-read code(fs) after emitting.
 */
#include "compiler.h"

/* ---- growable heap buffers ---- */

int bytes_reserve(parser *p, ujs_ref *r, uint32_t len, uint32_t need)
{
    uword cap = r->val == V_UNDEFINED ? 0 : ((bytesblk *)r->val)->len;
    if ((uword)len + need <= cap) return 0;
    uword ncap = cap ? cap * 2 : 32;
    while (ncap < (uword)len + need) ncap *= 2;
    if (ncap > 0x1000000) return syntax_error(p, "function too large");
    bytesblk *b = heap_alloc(p->ctx, 2 + words_for_bytes(ncap), T_BYTES);
    if (!b) {
        throw_oom(p->ctx);
        return -1;
    }
    b->len = ncap;
    if (len) memcpy(bytes_data(b), bytes_data((bytesblk *)r->val), len);
    r->val = (ujs_value)b;
    return 0;
}

int vals_reserve(parser *p, ujs_ref *r, uint32_t n, uint32_t need)
{
    uword cap = r->val == V_UNDEFINED ? 0 : hdr_words(*v_ptr(r->val)) - 1;
    if ((uword)n + need <= cap) return 0;
    uword ncap = cap ? cap * 2 : 8;
    while (ncap < (uword)n + need) ncap *= 2;
    ujs_value *a = heap_alloc(p->ctx, 1 + ncap, T_VALARR);
    if (!a) {
        throw_oom(p->ctx);
        return -1;
    }
    if (n) memcpy(a + 1, (ujs_value *)v_ptr(r->val) + 1, n * WSIZE);
    r->val = (ujs_value)a;
    return 0;
}

/* ---- emission ---- */

int emit_bytes(parser *p, const void *b, uint32_t n)
{
    fstate *fs = p->fs;
    TRY(bytes_reserve(p, &fs->code, fs->code_len, n));
    memcpy(code(fs) + fs->code_len, b, n);
    fs->code_len += n;
    return 0;
}

int emit_line(parser *p)
{
    fstate *fs = p->fs;
    if (p->tok.line == fs->last_line) return 0;
    fs->last_line = p->tok.line;
    TRY(bytes_reserve(p, &fs->lines, fs->lines_len, 8));
    uint8_t *d = bytes_data((bytesblk *)fs->lines.val) + fs->lines_len;
    uint32_t pc = fs->code_len, line = p->tok.line;
    for (int i = 0; i < 4; i++) d[i] = (uint8_t)(pc >> (8 * i));
    for (int i = 0; i < 4; i++) d[4 + i] = (uint8_t)(line >> (8 * i));
    fs->lines_len += 8;
    return 0;
}

int emit_op(parser *p, int op)
{
    uint8_t b = (uint8_t)op;
    p->fs->prev_op = p->fs->last_op;
    p->fs->last_op = (int)p->fs->code_len;
    TRY(emit_bytes(p, &b, 1));
    if (op_pop[op] >= 0) adjust_depth(p->fs, op_push[op] - op_pop[op]);
    return 0;
}

int emit_u16(parser *p, uint32_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    return emit_bytes(p, b, 2);
}

static int emit_u32(parser *p, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return emit_bytes(p, b, 4);
}

int emit_op16(parser *p, int op, uint32_t v)
{
    TRY(emit_op(p, op));
    return emit_u16(p, v);
}

/* The small integer pushed just before the comparison at last_op, if the
 * two are adjacent, no jump lands on the comparison, and it fits an i16. */
static bool pushed_i16(fstate *fs, int32_t *k)
{
    int at = fs->prev_op;
    if (at < 0 || at >= fs->last_op || fs->last_label == fs->last_op) return false;
    const uint8_t *c = code(fs) + at;
    if (c[0] == OP_push_i8 && at + 2 == fs->last_op) {
        *k = (int8_t)c[1];
        return true;
    }
    if (c[0] == OP_push_i32 && at + 5 == fs->last_op) {
        int32_t v = (int32_t)rd32(c + 1);
        *k = v;
        return v >= -32768 && v <= 32767;
    }
    return false;
}

/* Jumps to unknown targets form a chain through their operands. */
/* `lt; jtrue` -> `jcmp`, `seq; jfalse` -> `jsneq` (and the like), and
 * `push k; lt; jtrue` -> `jcmp_i16` (`jseq_i16`...): only when no jump lands
 * between them */
static int fuse_compare(parser *p, int op)
{
    fstate *fs = p->fs;
    if ((op != OP_jtrue && op != OP_jfalse) || fs->last_op < 0 ||
        (uint32_t)fs->last_op + 1 != fs->code_len || fs->last_label == (int)fs->code_len)
        return 0;
    int cmp = code(fs)[fs->last_op];
    bool eq = cmp == OP_seq || cmp == OP_sneq;
    if (!eq && (cmp < OP_lt || cmp > OP_ge)) return 0;
    /* jump when `a === b` (eq) or `a < b` (and the like) is `when` */
    bool when = eq ? (cmp == OP_seq) == (op == OP_jtrue) : op == OP_jtrue;
    int32_t k;
    if (pushed_i16(fs, &k)) {
        /* the push and the comparison go: the stack is as before the push */
        fs->code_len = (uint32_t)fs->prev_op;
        uint8_t kb[2] = {(uint8_t)k, (uint8_t)((uint32_t)k >> 8)};
        if (eq) {
            TRY(emit_op(p, when ? OP_jseq_i16 : OP_jsneq_i16));
            return emit_bytes(p, kb, 2) < 0 ? -1 : 1;
        }
        TRY(emit_op(p, OP_jcmp_i16));
        uint8_t cb = (uint8_t)((cmp - OP_lt) | (when ? 0x80 : 0));
        TRY(emit_bytes(p, &cb, 1));
        return emit_bytes(p, kb, 2) < 0 ? -1 : 1;
    }
    fs->code_len--;
    adjust_depth(fs, 1);
    if (eq) {
        TRY(emit_op(p, when ? OP_jseq : OP_jsneq));
        return 1;
    }
    TRY(emit_op(p, OP_jcmp));
    uint8_t kb = (uint8_t)((cmp - OP_lt) | (when ? 0x80 : 0));
    TRY(emit_bytes(p, &kb, 1));
    return 1;
}

int emit_jump(parser *p, int op, int *chain)
{
    int f = fuse_compare(p, op); /* 1 fused, 0 not fusable, -1 error */
    TRY(f);
    if (!f) TRY(emit_op(p, op));
    int pos = (int)p->fs->code_len;
    TRY(emit_u32(p, (uint32_t)*chain));
    *chain = pos;
    return 0;
}

void patch_chain(parser *p, int chain, int target)
{
    if (chain != -1) p->fs->last_label = target;
    uint8_t *c = code(p->fs);
    while (chain != -1) {
        int nextc = (int)rd32(c + chain);
        wr32(c + chain, (uint32_t)(target - (chain + 4)));
        chain = nextc;
    }
}

/* patch_chain for a chain whose code moved by delta bytes since it was
 * made (the links still hold the old positions). */
void patch_moved_chain(parser *p, int chain, int delta, int target)
{
    if (chain != -1) p->fs->last_label = target;
    uint8_t *c = code(p->fs);
    while (chain != -1) {
        int at = chain + delta;
        int nextc = (int)rd32(c + at);
        wr32(c + at, (uint32_t)(target - (at + 4)));
        chain = nextc;
    }
}

int emit_jump_to(parser *p, int op, int target)
{
    int f = fuse_compare(p, op);
    TRY(f);
    if (!f) TRY(emit_op(p, op));
    int pos = (int)p->fs->code_len;
    return emit_u32(p, (uint32_t)(target - (pos + 4)));
}

/* ---- constants ---- */

int cpool_add(parser *p, ujs_value v, uint32_t *idx)
{
    fstate *fs = p->fs;
    for (uint32_t i = 0; i < fs->ncp; i++) {
        ujs_value c = vals(&fs->cpool)[i];
        if (c == v ||
            (v_is_float(c) && v_is_float(v) &&
             !memcmp((char *)c + offsetof(floatblk, d), (char *)v + offsetof(floatblk, d), 8))) {
            *idx = i;
            return 0;
        }
    }
    if (fs->ncp >= 0xffff) return syntax_error(p, "too many constants");
    ujs_ref r;
    ujs_push_ref(p->ctx, &r, v);
    int ret = vals_reserve(p, &fs->cpool, fs->ncp, 1);
    v = r.val;
    ujs_pop_ref(p->ctx, &r);
    TRY(ret);
    vals(&fs->cpool)[fs->ncp] = v;
    *idx = fs->ncp++;
    return 0;
}

int emit_atom_op(parser *p, int op, ujs_value atom)
{
    uint32_t idx;
    TRY(cpool_add(p, atom, &idx));
    return emit_op16(p, op, idx);
}

int emit_number(parser *p, double d)
{
    if (d >= -128 && d <= 127 && d == (double)(int)d && !(d == 0 && 1 / d < 0)) {
        TRY(emit_op(p, OP_push_i8));
        uint8_t b = (uint8_t)(int8_t)(int)d;
        return emit_bytes(p, &b, 1);
    }
    /* every int32 the same way on 32- and 64-bit targets, so compiled bytes
     * do not depend on the word size (push_i32 boxes past the small-integer
     * range of a 32-bit target) */
    if (d >= INT32_MIN && d <= INT32_MAX && d == (double)(int32_t)d && !(d == 0 && 1 / d < 0)) {
        TRY(emit_op(p, OP_push_i32));
        return emit_u32(p, (uint32_t)(int32_t)d);
    }
    ujs_value v = num_new(p->ctx, d);
    if (v == V_EXCEPTION) return -1;
    uint32_t idx;
    TRY(cpool_add(p, v, &idx));
    return emit_op16(p, OP_push_const, idx);
}
