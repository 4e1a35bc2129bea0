/*
 * The bytecode verifier: checks a whole bytecode file (docs/BYTECODE.md)
 * before any of it runs, so that no file can make the interpreter read or
 * write outside its memory. Type errors stay run-time TypeErrors.
 *
 * The one idea: an abstract interpretation of each function over its
 * control-flow graph (an iterative worklist, no recursion) that tracks the
 * operand stack's depth and the kind of each slot: a JS value, one of the
 * interpreter's internal words (a catch marker, a gosub return address) or a
 * for-in/for-of state that an instruction relies on. Internal words can only
 * be dropped or consumed by the instruction made for them, never read as
 * values, so JS never sees one. A return address is typed by the gosub
 * target that pushed it, so `ret` continues at the return points of the
 * gosubs to that target, each of which must agree with the stack at `ret`:
 * a `finally` body runs at one depth whatever path entered it.
 *
 * Captured variables: every argument and local slot is either plain
 * (get_loc...) or captured (get_loc_ref..., box_loc, closure descriptors),
 * never both; the interpreter checks at run time that a captured slot holds
 * a box (a file may use one before boxing it).
 */
#include "bytecode.h"

/* abstract slot kinds; internal words carry a pc in the upper bits */
#define K_VAL       0u /* any JS value */
#define K_KEYS      1u /* for-in keys array (also a JS value) */
#define K_ITER      2u /* for-of iterable checked by for_of_start (also a JS value) */
#define K_CATCH     3u /* catch marker (pc << 3) */
#define K_RET       4u /* gosub return address (gosub target << 3) */
#define IS_VALUE(k) ((k) <= K_ITER)

#define UNSEEN   0xffffffffu
#define MAX_CODE (1u << 24)

typedef struct verifier {
    ujs_ctx *ctx;
    const uint8_t *buf;
    size_t len;
    uint32_t nfuncs, natoms, funcs_off;
    uint32_t fi; /* function being checked */
    bc_func f;
    const uint8_t *code, *consts;
    /* scratch (one heap block per function) */
    uint8_t *cls;      /* per code byte: 1 instruction start, 2 leader */
    uint8_t *slot;     /* per argument/local: 1 plain, 2 captured */
    uint32_t *leaders; /* leader pcs, ascending */
    uint32_t nleaders;
    uint32_t *st_depth; /* per leader, UNSEEN until reached */
    uint32_t *st_types; /* per leader: stack_size kinds */
    uint32_t *work;     /* worklist of leaders */
    uint8_t *inwork;
    uint32_t *gosubs; /* pcs of the gosub instructions */
    uint32_t ngosubs;
    uint32_t *cur; /* working stack kinds */
} verifier;

static int fail(verifier *v, const char *msg)
{
    throw_fmt(v->ctx, E_ERROR, "invalid bytecode: %s", msg);
    return -1;
}

static int fail_at(verifier *v, uint32_t pc, const char *msg)
{
    throw_fmt(v->ctx, E_ERROR, "invalid bytecode: %s (function %u, pc %u)", msg, v->fi, pc);
    return -1;
}

/* ---- file structure ---- */

static bool in_bounds(size_t len, uint64_t off, uint64_t n, uint64_t size)
{
    return off <= len && n <= ((uint64_t)len - off) / size;
}

static int check_atoms(verifier *v)
{
    const uint8_t *b = v->buf;
    uint32_t atoms_off = bc_rd32(b + 24);
    if (!in_bounds(v->len, atoms_off, v->natoms, BC_ATOM_SIZE))
        return fail(v, "atom table out of bounds");
    for (uint32_t i = 0; i < v->natoms; i++) {
        const uint8_t *a = b + atoms_off + (size_t)i * BC_ATOM_SIZE;
        uint32_t off = bc_rd32(a), lw = bc_rd32(a + 4);
        uint32_t units = lw >> 1, wide = lw & 1;
        if (units > BC_MAX_UNITS) return fail(v, "string too long");
        if (!in_bounds(v->len, off, units, wide ? 2 : 1)) return fail(v, "string out of bounds");
        if (wide) {
            /* canonical: a string of Latin-1 characters is stored as Latin-1 */
            bool need = false;
            for (uint32_t k = 0; k < units && !need; k++) need = b[off + 2 * k + 1] != 0;
            if (!need) return fail(v, "UTF-16 string without a non-Latin-1 character");
        }
    }
    return 0;
}

static int check_func_record(verifier *v, uint32_t i)
{
    bc_func f;
    bc_func_read(v->buf, v->funcs_off, i, &f);
    v->fi = i;
    if (i == 0 ? f.parent != BC_NONE : f.parent >= i)
        return fail_at(v, 0, "bad parent function index");
    if (f.name != BC_NONE && f.name >= v->natoms) return fail_at(v, 0, "bad name atom index");
    if (f.nparams > BC_MAX_LOCALS || f.nlocals > BC_MAX_LOCALS)
        return fail_at(v, 0, "too many arguments or locals");
    if (f.flags & ~(BC_FN_ARGUMENTS | BC_FN_TOPLEVEL))
        return fail_at(v, 0, "unknown function flags");
    if ((f.flags & BC_FN_TOPLEVEL) && i != 0) return fail_at(v, 0, "nested top-level function");
    if (f.nconst > 0x10000 || !in_bounds(v->len, f.const_off, f.nconst, BC_CONST_SIZE))
        return fail_at(v, 0, "constant table out of bounds");
    if (f.code_len == 0 || f.code_len > MAX_CODE) return fail_at(v, 0, "bad code length");
    if (f.ncvar > 0x7fff || (i == 0 && f.ncvar)) return fail_at(v, 0, "bad closure variable count");
    if (f.lines_len % 8) return fail_at(v, 0, "bad line table length");
    uint64_t raw = (uint64_t)f.code_len + 2 * (uint64_t)f.ncvar + f.lines_len;
    if (!in_bounds(v->len, f.raw_off, raw, 1)) return fail_at(v, 0, "code out of bounds");
    const uint8_t *c = v->buf + f.const_off;
    for (uint32_t k = 0; k < f.nconst; k++, c += BC_CONST_SIZE) {
        uint64_t x = bc_rd64(c + 1);
        if (c[0] == BC_K_ATOM) {
            if (x >= v->natoms) return fail_at(v, 0, "constant: bad atom index");
        } else if (c[0] == BC_K_FUNC) {
            if (x >= v->nfuncs || x <= i) return fail_at(v, 0, "constant: bad function index");
            bc_func g;
            bc_func_read(v->buf, v->funcs_off, (uint32_t)x, &g);
            if (g.parent != i) return fail_at(v, 0, "constant: function of another parent");
        } else if (c[0] != BC_K_NUMBER) {
            return fail_at(v, 0, "constant: bad kind");
        }
    }
    const uint8_t *lt = v->buf + f.raw_off + f.code_len + 2 * (size_t)f.ncvar;
    uint32_t last = 0;
    for (uint32_t k = 0; k < f.lines_len; k += 8) {
        uint32_t pc = bc_rd32(lt + k);
        if (pc < last || pc > f.code_len) return fail_at(v, pc, "bad line table");
        last = pc;
    }
    return 0;
}

/* ---- code ---- */

static bool is_jump(int op)
{
    return op == OP_jmp || op == OP_jfalse || op == OP_jtrue || op == OP_jcmp || op == OP_jseq ||
           op == OP_jsneq || op == OP_jcmp_i16 || op == OP_jseq_i16 || op == OP_jsneq_i16 ||
           op == OP_catch || op == OP_gosub || op == OP_for_in_next || op == OP_for_next;
}

static bool ends_block(int op)
{
    return op == OP_jmp || op == OP_return || op == OP_return_undef || op == OP_return_i8 ||
           op == OP_throw || op == OP_throw_const || op == OP_ret;
}

/* target of a jump instruction at pc (its offset is its last operand); -1 if
 * outside the code */
static int64_t jump_target(verifier *v, uint32_t pc, int op)
{
    uint32_t at = pc + ujs_op_size[op] - 4;
    int32_t off = (int32_t)bc_rd32(v->code + at);
    int64_t t = (int64_t)pc + ujs_op_size[op] + off;
    return t < 0 || t >= v->f.code_len ? -1 : t;
}

static const uint8_t *konst(verifier *v, uint32_t k)
{
    return k < v->f.nconst ? v->consts + (size_t)k * BC_CONST_SIZE : NULL;
}

static int check_const(verifier *v, uint32_t pc, uint32_t k, int kind1, int kind2)
{
    const uint8_t *c = konst(v, k);
    if (!c) return fail_at(v, pc, "constant index out of range");
    if (c[0] != kind1 && c[0] != kind2) return fail_at(v, pc, "constant of the wrong kind");
    return 0;
}

static int use_slot(verifier *v, uint32_t pc, uint32_t idx, bool arg, int how)
{
    if (arg ? idx >= v->f.nparams : idx >= v->f.nlocals)
        return fail_at(v, pc, arg ? "argument index out of range" : "local index out of range");
    if (!how) return 0;
    uint8_t *s = &v->slot[arg ? idx : v->f.nparams + idx];
    if (*s && *s != how) return fail_at(v, pc, "variable used both plain and captured");
    *s = (uint8_t)how;
    return 0;
}

/* Decodes every instruction, checks its operands, marks leaders. */
static int decode(verifier *v)
{
    const uint8_t *c = v->code;
    uint32_t n = v->f.code_len;
    for (uint32_t pc = 0; pc < n;) {
        int op = c[pc];
        if (op == OP_invalid || op >= OP__COUNT) return fail_at(v, pc, "invalid opcode");
        uint32_t sz = ujs_op_size[op];
        if (sz > n - pc) return fail_at(v, pc, "instruction runs past the end of the code");
        v->cls[pc] |= 1;
        uint32_t a = sz >= 3 ? bc_rd16(c + pc + 1) : 0;
        int r = 0;
        switch (op) {
        case OP_push_const: r = check_const(v, pc, a, BC_K_ATOM, BC_K_NUMBER); break;
        case OP_fclosure: r = check_const(v, pc, a, BC_K_FUNC, BC_K_FUNC); break;
        case OP_get_global:
        case OP_put_global:
        case OP_set_global:
        case OP_typeof_global:
        case OP_define_var:
        case OP_define_func:
        case OP_get_field:
        case OP_get_method:
        case OP_put_field:
        case OP_put_field_drop:
        case OP_define_field:
        case OP_define_getter:
        case OP_define_setter: r = check_const(v, pc, a, BC_K_ATOM, BC_K_ATOM); break;
        case OP_get_loc_field:
            r = use_slot(v, pc, a, false, 0);
            if (!r) r = check_const(v, pc, bc_rd16(c + pc + 3), BC_K_ATOM, BC_K_ATOM);
            break;
        case OP_get_loc:
        case OP_put_loc:
        case OP_set_loc: r = use_slot(v, pc, a, false, 1); break;
        case OP_get_arg:
        case OP_put_arg:
        case OP_set_arg: r = use_slot(v, pc, a, true, 1); break;
        case OP_get_loc_ref:
        case OP_put_loc_ref:
        case OP_set_loc_ref:
        case OP_box_loc: r = use_slot(v, pc, a, false, 2); break;
        case OP_get_arg_ref:
        case OP_put_arg_ref:
        case OP_set_arg_ref:
        case OP_box_arg: r = use_slot(v, pc, a, true, 2); break;
        case OP_inc_loc:
        case OP_dec_loc: r = use_slot(v, pc, a, false, 0); break;
        case OP_get_cvar:
        case OP_put_cvar:
        case OP_set_cvar:
            if (a >= v->f.ncvar) r = fail_at(v, pc, "closure variable index out of range");
            break;
        case OP_jcmp:
        case OP_jcmp_i16:
            if (c[pc + 1] & 0x7c) r = fail_at(v, pc, "bad comparison operand");
            break;
        default: break;
        }
        if (r) return r;
        if (is_jump(op)) {
            int64_t t = jump_target(v, pc, op);
            if (t < 0) return fail_at(v, pc, "jump target outside the function");
            v->cls[t] |= 2;
        }
        if ((is_jump(op) || ends_block(op)) && pc + sz < n) v->cls[pc + sz] |= 2;
        pc += sz;
    }
    for (uint32_t pc = 0; pc < n; pc += ujs_op_size[c[pc]]) {
        int op = c[pc];
        if (is_jump(op) && !(v->cls[jump_target(v, pc, op)] & 1))
            return fail_at(v, pc, "jump target inside an instruction");
    }
    v->cls[0] |= 2;
    return 0;
}

static uint32_t leader_index(verifier *v, uint32_t pc)
{
    uint32_t lo = 0, hi = v->nleaders;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v->leaders[mid] <= pc)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Merges (depth, kinds) into the state at leader pc; returns 1 if it changed. */
static int merge(verifier *v, uint32_t from_pc, uint32_t pc, uint32_t depth, const uint32_t *kinds)
{
    uint32_t li = leader_index(v, pc);
    uint32_t S = v->f.stack_size;
    uint32_t *t = v->st_types + (size_t)li * S;
    bool changed = false;
    if (v->st_depth[li] == UNSEEN) {
        v->st_depth[li] = depth;
        memcpy(t, kinds, depth * sizeof *t);
        changed = true;
    } else {
        if (v->st_depth[li] != depth) return fail_at(v, from_pc, "inconsistent stack depth");
        for (uint32_t i = 0; i < depth; i++) {
            if (t[i] == kinds[i]) continue;
            if (!IS_VALUE(t[i]) || !IS_VALUE(kinds[i]))
                return fail_at(v, from_pc, "inconsistent stack contents");
            if (t[i] != K_VAL) {
                t[i] = K_VAL;
                changed = true;
            }
        }
    }
    return changed ? 1 : 0;
}

/* Runs one basic block from leader li. */
static int run_block(verifier *v, uint32_t li, uint32_t *nwork)
{
    uint32_t S = v->f.stack_size, d = v->st_depth[li];
    uint32_t *k = v->cur;
    memcpy(k, v->st_types + (size_t)li * S, d * sizeof *k);
    uint32_t pc = v->leaders[li], n = v->f.code_len;
    const uint8_t *c = v->code;
#define NEED(cnt)                                                                                  \
    do {                                                                                           \
        if (d < (uint32_t)(cnt)) return fail_at(v, pc, "stack underflow");                         \
    } while (0)
#define NEEDVAL(cnt)                                                                               \
    do {                                                                                           \
        NEED(cnt);                                                                                 \
        for (uint32_t q_ = 1; q_ <= (uint32_t)(cnt); q_++)                                         \
            if (!IS_VALUE(k[d - q_])) return fail_at(v, pc, "internal word used as a value");      \
    } while (0)
#define PUSH(kind)                                                                                 \
    do {                                                                                           \
        if (d >= S) return fail_at(v, pc, "stack overflow");                                       \
        k[d++] = (kind);                                                                           \
    } while (0)
#define SUCC(tpc)                                                                                  \
    do {                                                                                           \
        int r_ = merge(v, pc, (tpc), d, k);                                                        \
        if (r_ < 0) return -1;                                                                     \
        if (r_ > 0 && v->inwork[leader_index(v, (tpc))] == 1) {                                    \
            v->inwork[leader_index(v, (tpc))] = 2;                                                 \
            v->work[(*nwork)++] = leader_index(v, (tpc));                                          \
        }                                                                                          \
    } while (0)
    for (;;) {
        int op = c[pc];
        uint32_t sz = ujs_op_size[op], next = pc + sz;
        bool term = false;
        switch (op) {
        case OP_drop:
            NEED(1);
            d--;
            break;
        case OP_dup: {
            NEEDVAL(1);
            uint32_t t = k[d - 1];
            PUSH(t);
            break;
        }
        case OP_dup2: {
            NEEDVAL(2);
            uint32_t a = k[d - 2], b = k[d - 1];
            PUSH(a);
            PUSH(b);
            break;
        }
        case OP_swap: {
            NEEDVAL(2);
            uint32_t t = k[d - 1];
            k[d - 1] = k[d - 2];
            k[d - 2] = t;
            break;
        }
        case OP_perm3: {
            NEEDVAL(3);
            uint32_t t = k[d - 3];
            k[d - 3] = k[d - 2];
            k[d - 2] = t;
            break;
        }
        case OP_perm4: {
            NEEDVAL(4);
            uint32_t a = k[d - 4], b = k[d - 3], cc = k[d - 2];
            k[d - 4] = cc;
            k[d - 3] = a;
            k[d - 2] = b;
            break;
        }
        case OP_call:
        case OP_new:
            NEEDVAL((uint32_t)c[pc + 1] + 2);
            d -= (uint32_t)c[pc + 1] + 2;
            PUSH(K_VAL);
            break;
        case OP_new_array:
            NEEDVAL(bc_rd16(c + pc + 1));
            d -= bc_rd16(c + pc + 1);
            PUSH(K_VAL);
            break;
        case OP_for_in_start:
            NEEDVAL(1);
            k[d - 1] = K_VAL;
            PUSH(K_KEYS);
            PUSH(K_VAL);
            break;
        case OP_for_of_start:
            NEEDVAL(1);
            k[d - 1] = K_ITER;
            PUSH(K_VAL);
            break;
        case OP_for_in_next:
        case OP_for_next:
            NEEDVAL(op == OP_for_in_next ? 3 : 2);
            if (k[d - 2] != (op == OP_for_in_next ? K_KEYS : K_ITER))
                return fail_at(v, pc, "loop step without its loop state");
            SUCC((uint32_t)jump_target(v, pc, op));
            PUSH(K_VAL);
            break;
        case OP_catch: {
            uint32_t h = (uint32_t)jump_target(v, pc, op);
            PUSH(K_VAL); /* the handler's state: the exception replaces the marker */
            SUCC(h);
            k[d - 1] = h << 3 | K_CATCH;
            break;
        }
        case OP_gosub: {
            /* the return point is reached through the ret of the subroutine */
            uint32_t e = (uint32_t)jump_target(v, pc, op);
            if (next >= n) return fail_at(v, pc, "execution falls off the end of the code");
            PUSH(e << 3 | K_RET);
            SUCC(e);
            term = true;
            break;
        }
        case OP_ret: {
            NEED(1);
            uint32_t rk = k[d - 1];
            if ((rk & 7) != K_RET) return fail_at(v, pc, "ret without a return address on top");
            d--;
            for (uint32_t g = 0; g < v->ngosubs; g++)
                if ((uint32_t)jump_target(v, v->gosubs[g], OP_gosub) == rk >> 3)
                    SUCC(v->gosubs[g] + 5);
            term = true;
            break;
        }
        case OP_jmp:
            SUCC((uint32_t)jump_target(v, pc, op));
            term = true;
            break;
        case OP_jfalse:
        case OP_jtrue:
            NEEDVAL(1);
            d--;
            SUCC((uint32_t)jump_target(v, pc, op));
            break;
        case OP_jcmp:
        case OP_jseq:
        case OP_jsneq:
            NEEDVAL(2);
            d -= 2;
            SUCC((uint32_t)jump_target(v, pc, op));
            break;
        case OP_jcmp_i16:
        case OP_jseq_i16:
        case OP_jsneq_i16:
            NEEDVAL(1);
            d--;
            SUCC((uint32_t)jump_target(v, pc, op));
            break;
        case OP_return:
        case OP_throw:
            NEEDVAL(1);
            term = true;
            break;
        case OP_return_undef:
        case OP_return_i8:
        case OP_throw_const: term = true; break;
        default: {
            uint32_t pops = (uint32_t)ujs_op_pop[op], pushes = (uint32_t)ujs_op_push[op];
            NEEDVAL(pops);
            d -= pops;
            for (uint32_t i = 0; i < pushes; i++) PUSH(K_VAL);
            break;
        }
        }
        /* define_getter roots a value one slot above the top */
        if ((op == OP_define_getter || op == OP_define_setter) && d + 1 > S)
            return fail_at(v, pc, "stack overflow");
        if (term) break;
        if (next >= n) return fail_at(v, pc, "execution falls off the end of the code");
        if (v->cls[next] & 2) {
            SUCC(next);
            break;
        }
        pc = next;
    }
#undef NEED
#undef NEEDVAL
#undef PUSH
#undef SUCC
    return 0;
}

static int check_code(verifier *v, uint32_t fi)
{
    ujs_ctx *ctx = v->ctx;
    bc_func_read(v->buf, v->funcs_off, fi, &v->f);
    v->fi = fi;
    v->code = v->buf + v->f.raw_off;
    v->consts = v->buf + v->f.const_off;
    uint32_t n = v->f.code_len, S = v->f.stack_size;
    if (S == 0) return fail_at(v, 0, "zero stack size");
    /* pre-scan: a bound on the number of leaders */
    uint64_t L = 1;
    for (uint32_t pc = 0; pc < n;) {
        int op = v->code[pc];
        if (op == OP_invalid || op >= OP__COUNT) return fail_at(v, pc, "invalid opcode");
        if (is_jump(op) || ends_block(op)) L += 2;
        if (ujs_op_size[op] > n - pc)
            return fail_at(v, pc, "instruction runs past the end of the code");
        pc += ujs_op_size[op];
    }
    if (L > n + 1) L = n + 1;
    uint32_t nv = v->f.nparams + v->f.nlocals;
    uint64_t bytes = 4 * (L * 4 + L * S + S) + L + n + nv + 16;
    uint64_t heap = (uint64_t)(ctx->heap_end - ctx->heap_start) * WSIZE;
    if (bytes > heap) {
        throw_oom(ctx);
        return -1;
    }
    bytesblk *sb = heap_alloc(ctx, 2 + words_for_bytes((uword)bytes), T_BYTES);
    if (!sb) {
        throw_oom(ctx);
        return -1;
    }
    sb->len = (uword)bytes;
    uint8_t *m = bytes_data(sb);
    memset(m, 0, (size_t)bytes);
    uint32_t *w = (uint32_t *)(void *)m;
    v->leaders = w, w += L;
    v->st_depth = w, w += L;
    v->work = w, w += L;
    v->gosubs = w, w += L;
    v->st_types = w, w += L * S;
    v->cur = w, w += S;
    v->inwork = (uint8_t *)w;
    v->cls = v->inwork + L;
    v->slot = v->cls + n;
    if (decode(v)) return -1;
    v->nleaders = 0;
    v->ngosubs = 0;
    for (uint32_t pc = 0; pc < n; pc++)
        if (v->cls[pc] & 2) v->leaders[v->nleaders++] = pc;
    for (uint32_t pc = 0; pc < n; pc += ujs_op_size[v->code[pc]])
        if (v->code[pc] == OP_gosub) v->gosubs[v->ngosubs++] = pc;
    for (uint32_t i = 0; i < v->nleaders; i++) {
        v->st_depth[i] = UNSEEN;
        v->inwork[i] = 1; /* 1: not queued, 2: queued */
    }
    uint32_t nwork = 0;
    v->st_depth[0] = 0;
    v->inwork[0] = 2;
    v->work[nwork++] = 0;
    while (nwork) {
        uint32_t li = v->work[--nwork];
        v->inwork[li] = 1;
        if (run_block(v, li, &nwork)) return -1;
    }
    /* closure descriptors of the children refer to captured slots of this function */
    for (uint32_t k = 0; k < v->f.nconst; k++) {
        const uint8_t *cst = v->consts + (size_t)k * BC_CONST_SIZE;
        if (cst[0] != BC_K_FUNC) continue;
        bc_func g;
        bc_func_read(v->buf, v->funcs_off, (uint32_t)bc_rd64(cst + 1), &g);
        const uint8_t *desc = v->buf + g.raw_off + g.code_len;
        for (uint32_t i = 0; i < g.ncvar; i++) {
            uint32_t dsc = bc_rd16(desc + 2 * i);
            bool ok = (dsc & 0x8000) ? (dsc & 0x7fff) < v->f.ncvar : dsc < nv && v->slot[dsc] != 1;
            if (!ok) return fail_at(v, 0, "closure descriptor of a child function out of range");
            if (!(dsc & 0x8000)) v->slot[dsc] = 2;
        }
    }
    return 0;
}

int bc_verify(ujs_ctx *ctx, const uint8_t *buf, size_t len)
{
    verifier v;
    memset(&v, 0, sizeof v);
    v.ctx = ctx;
    v.buf = buf;
    v.len = len;
    if (!buf || len < BC_HDR_SIZE) return fail(&v, "file too short");
    if (buf[0] != BC_MAGIC0 || buf[1] != BC_MAGIC1 || buf[2] != BC_MAGIC2 || buf[3] != BC_MAGIC3) {
        throw_fmt(ctx, E_ERROR, "not a ujs bytecode file (bad magic)");
        return -1;
    }
    uint32_t ver = bc_rd16(buf + 4);
    if (ver != UJS_BYTECODE_VERSION) {
        throw_fmt(ctx, E_ERROR,
                  "bytecode version %u is not supported (this engine reads version %u)", ver,
                  (uint32_t)UJS_BYTECODE_VERSION);
        return -1;
    }
    if (bc_rd16(buf + 6) & ~BC_F_STRIP) return fail(&v, "unknown flags");
    if (len > 0xffffffffu || bc_rd32(buf + 8) != len) return fail(&v, "file length mismatch");
    v.nfuncs = bc_rd32(buf + 12);
    v.funcs_off = bc_rd32(buf + 16);
    v.natoms = bc_rd32(buf + 20);
    /* the loader's lazy pool entries carry these indices (v_mklazy) */
    if (v.nfuncs > BC_MAX_ITEMS || v.natoms > BC_MAX_ITEMS)
        return fail(&v, "too many functions or atoms");
    if (v.nfuncs == 0 || !in_bounds(len, v.funcs_off, v.nfuncs, BC_FUNC_SIZE))
        return fail(&v, "function table out of bounds");
    uint32_t fname = bc_rd32(buf + 28);
    if (check_atoms(&v)) return -1;
    if (fname != BC_NONE && fname >= v.natoms) return fail(&v, "bad file name atom index");
    for (uint32_t i = 0; i < v.nfuncs; i++)
        if (check_func_record(&v, i)) return -1;
    for (uint32_t i = 0; i < v.nfuncs; i++)
        if (check_code(&v, i)) return -1;
    return 0;
}
