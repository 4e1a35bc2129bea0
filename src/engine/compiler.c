/*
 * The compiler: a recursive-descent parser that emits stack bytecode in one
 * pass per function. Recursion is bounded by MAX_NEST (a SyntaxError past
 * it), so hostile input cannot exhaust the C stack.
 *
 * Three ideas a reader needs:
 *  - Before compiling a function body, a token pre-scan collects its `var`
 *    and function-declaration names, so every name resolves in one pass.
 *  - Locals captured by inner functions are found while compiling those
 *    inner functions; at the end of the outer function every access to a
 *    captured slot is rewritten in place (get_loc -> get_loc_ref, same size)
 *    and the slot is boxed by the prologue.
 *  - The prologue (boxing, `arguments`, hoisted function declarations,
 *    global `var`s) is emitted after the body; the function starts with a
 *    jump to it and it jumps back. Code holds no pointers: constants,
 *    atoms and child functions are indices into the function's pool.
 */
#include "lexer.h"
#include "bytecode.h"

#define MAX_NEST   96
#define MAX_LOCALS 0x3fff

#define op_pop  ujs_op_pop
#define op_push ujs_op_push

/* var flags (smi in the vars array, next to the name) */
#define VF_CAPTURED 1
#define VF_HIDDEN   2 /* catch parameter or temp: found only through a scope */
#define VF_CONST    4 /* a named function expression's own name */

enum { B_LOOP, B_SWITCH, B_LABEL, B_TRY, B_FINALLY_BODY, B_ITER };

typedef struct block {
    struct block *prev;
    int kind;
    ujs_ref label; /* atom or undefined; a ref because atoms move */
    int items;     /* values this block keeps on the stack */
    int break_chain, cont_chain;
    int cont_target;    /* pc, or -1 while unknown (then cont_chain) */
    int *finally_chain; /* B_TRY with a finally: gosub chain */
} block;

typedef struct scope {
    struct scope *prev;
    int idx; /* the name is the var's entry: atoms move, indices do not */
} scope;

typedef struct fstate {
    struct fstate *parent;
    ujs_ref code, cpool, vars, cvars, lines, hoist, name;
    uint32_t code_len, ncp, nvars, nparams, ncvars, lines_len, nhoist;
    int depth, maxdepth;
    int last_op;
    int last_label; /* code position most recently made a jump target */
    block *blocks;
    scope *scopes;
    bool toplevel, uses_arguments;
    int arguments_idx, ret_idx;
    uint32_t last_line;
} fstate;

typedef struct parser {
    ujs_ctx *ctx;
    lexer lx;
    token tok;
    fstate *fs;
    int nest;
    ujs_ref filename;
    ujs_ref pending_label; /* label for the loop/switch statement that follows */
} parser;

#define TRY(x)                                                                                     \
    do {                                                                                           \
        if ((x) < 0) return -1;                                                                    \
    } while (0)

static int perr(parser *p, const char *msg)
{
    return lex_error(&p->lx, p->tok.line, p->tok.col, "%s", msg);
}

static int next(parser *p)
{
    return lex_next(&p->lx, &p->tok);
}

static int expect(parser *p, int t, const char *what)
{
    if (p->tok.type != t) {
        char msg[64];
        size_t n = strlen(what);
        if (n > 40) n = 40;
        memcpy(msg, "expected ", 9);
        memcpy(msg + 9, what, n);
        msg[9 + n] = 0;
        return perr(p, msg);
    }
    return next(p);
}

static bool is_ident(parser *p)
{
    int t = p->tok.type;
    return t == TOK_IDENT || t == TOK_of || t == TOK_get || t == TOK_set || t == TOK_static;
}

static ujs_value ident_atom(parser *p)
{
    return tok_name_atom(&p->lx, &p->tok);
}

/* ---- growable heap buffers ---- */

static int bytes_reserve(parser *p, ujs_ref *r, uint32_t len, uint32_t need)
{
    uword cap = r->val == V_UNDEFINED ? 0 : ((bytesblk *)r->val)->len;
    if ((uword)len + need <= cap) return 0;
    uword ncap = cap ? cap * 2 : 32;
    while (ncap < (uword)len + need) ncap *= 2;
    if (ncap > 0x1000000) return perr(p, "function too large");
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

static int vals_reserve(parser *p, ujs_ref *r, uint32_t n, uint32_t need)
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

static ujs_value *vals(ujs_ref *r)
{
    return (ujs_value *)v_ptr(r->val) + 1;
}

static uint8_t *code(fstate *fs)
{
    return bytes_data((bytesblk *)fs->code.val);
}

/* ---- emission ---- */

static int emit_bytes(parser *p, const void *b, uint32_t n)
{
    fstate *fs = p->fs;
    TRY(bytes_reserve(p, &fs->code, fs->code_len, n));
    memcpy(code(fs) + fs->code_len, b, n);
    fs->code_len += n;
    return 0;
}

static void adjust_depth(fstate *fs, int d)
{
    fs->depth += d;
    if (fs->depth > fs->maxdepth) fs->maxdepth = fs->depth;
}

static int emit_line(parser *p)
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

static int emit_op(parser *p, int op)
{
    uint8_t b = (uint8_t)op;
    p->fs->last_op = (int)p->fs->code_len;
    TRY(emit_bytes(p, &b, 1));
    if (op_pop[op] >= 0) adjust_depth(p->fs, op_push[op] - op_pop[op]);
    return 0;
}

static int emit_u16(parser *p, uint32_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    return emit_bytes(p, b, 2);
}

static int emit_u32(parser *p, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return emit_bytes(p, b, 4);
}

static int emit_op16(parser *p, int op, uint32_t v)
{
    TRY(emit_op(p, op));
    return emit_u16(p, v);
}

static uint32_t rd32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static void wr32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t rd16(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8;
}

/* Jumps to unknown targets form a chain through their operands. */
/* `lt; jtrue` -> `jcmp`: only when no jump lands between the two */
static int fuse_compare(parser *p, int op)
{
    fstate *fs = p->fs;
    if ((op != OP_jtrue && op != OP_jfalse) || fs->last_op < 0 ||
        (uint32_t)fs->last_op + 1 != fs->code_len || fs->last_label == (int)fs->code_len)
        return 0;
    int cmp = code(fs)[fs->last_op];
    if (cmp < OP_lt || cmp > OP_ge) return 0;
    fs->code_len--;
    adjust_depth(fs, 1);
    TRY(emit_op(p, OP_jcmp));
    uint8_t k = (uint8_t)((cmp - OP_lt) | (op == OP_jtrue ? 0x80 : 0));
    TRY(emit_bytes(p, &k, 1));
    return 1;
}

static int emit_jump(parser *p, int op, int *chain)
{
    int f = fuse_compare(p, op); /* 1 fused, 0 not fusable, -1 error */
    TRY(f);
    if (!f) TRY(emit_op(p, op));
    int pos = (int)p->fs->code_len;
    TRY(emit_u32(p, (uint32_t)*chain));
    *chain = pos;
    return 0;
}

static void patch_chain(parser *p, int chain, int target)
{
    if (chain != -1) p->fs->last_label = target;
    uint8_t *c = code(p->fs);
    while (chain != -1) {
        int nextc = (int)rd32(c + chain);
        wr32(c + chain, (uint32_t)(target - (chain + 4)));
        chain = nextc;
    }
}

static int emit_jump_to(parser *p, int op, int target)
{
    int f = fuse_compare(p, op);
    TRY(f);
    if (!f) TRY(emit_op(p, op));
    int pos = (int)p->fs->code_len;
    return emit_u32(p, (uint32_t)(target - (pos + 4)));
}

/* ---- constants ---- */

static int cpool_add(parser *p, ujs_value v, uint32_t *idx)
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
    if (fs->ncp >= 0xffff) return perr(p, "too many constants");
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

static int emit_atom_op(parser *p, int op, ujs_value atom)
{
    uint32_t idx;
    TRY(cpool_add(p, atom, &idx));
    return emit_op16(p, op, idx);
}

static int emit_number(parser *p, double d)
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

/* ---- variables ---- */

static int var_find(fstate *fs, ujs_value atom)
{
    for (uint32_t i = 0; i < fs->nvars; i++)
        if (vals(&fs->vars)[2 * i] == atom && !(v_int(vals(&fs->vars)[2 * i + 1]) & VF_HIDDEN))
            return (int)i;
    return -1;
}

static int var_add(parser *p, fstate *fs, ujs_value atom, int flags)
{
    if (fs->nvars >= MAX_LOCALS) return perr(p, "too many local variables");
    ujs_ref r;
    ujs_push_ref(p->ctx, &r, atom);
    int ret = vals_reserve(p, &fs->vars, 2 * fs->nvars, 2);
    atom = r.val;
    ujs_pop_ref(p->ctx, &r);
    TRY(ret);
    vals(&fs->vars)[2 * fs->nvars] = atom;
    vals(&fs->vars)[2 * fs->nvars + 1] = v_mkint(flags);
    return (int)fs->nvars++;
}

static int declare_var(parser *p, fstate *fs, ujs_value atom)
{
    if (fs->toplevel) {
        /* global var: remembered for the prologue's define_var */
        for (uint32_t i = 0; i < fs->nhoist; i++)
            if (vals(&fs->hoist)[2 * i] == atom) return 0;
        ujs_ref r;
        ujs_push_ref(p->ctx, &r, atom);
        int ret = vals_reserve(p, &fs->hoist, 2 * fs->nhoist, 2);
        atom = r.val;
        ujs_pop_ref(p->ctx, &r);
        TRY(ret);
        vals(&fs->hoist)[2 * fs->nhoist] = atom;
        vals(&fs->hoist)[2 * fs->nhoist + 1] = V_UNDEFINED;
        fs->nhoist++;
        return 0;
    }
    if (atom == A(arguments) || atom == A(eval))
        return perr(p, "cannot declare 'arguments' or 'eval' in strict mode");
    if (var_find(fs, atom) >= 0) return 0;
    return var_add(p, fs, atom, 0) < 0 ? -1 : 0;
}

enum { R_LOCAL, R_CVAR, R_GLOBAL, R_ARGUMENTS };

static int cvar_add(parser *p, fstate *fs, ujs_value atom, uint32_t desc)
{
    for (uint32_t i = 0; i < fs->ncvars; i++)
        if (vals(&fs->cvars)[2 * i] == atom) return (int)i;
    if (fs->ncvars >= MAX_LOCALS) return perr(p, "too many closure variables");
    ujs_ref r;
    ujs_push_ref(p->ctx, &r, atom);
    int ret = vals_reserve(p, &fs->cvars, 2 * fs->ncvars, 2);
    atom = r.val;
    ujs_pop_ref(p->ctx, &r);
    TRY(ret);
    vals(&fs->cvars)[2 * fs->ncvars] = atom;
    vals(&fs->cvars)[2 * fs->ncvars + 1] = v_mkint((int32_t)desc);
    return (int)fs->ncvars++;
}

static int lookup_local(fstate *fs, ujs_value atom)
{
    for (scope *s = fs->scopes; s; s = s->prev)
        if (vals(&fs->vars)[2 * s->idx] == atom) return s->idx;
    return var_find(fs, atom);
}

/* Resolves a name from p->fs outward; sets *idx. Returns R_* or -1. */
static int resolve(parser *p, ujs_value atom, int *idx)
{
    fstate *fs = p->fs;
    int i = lookup_local(fs, atom);
    if (i >= 0) {
        *idx = i;
        return R_LOCAL;
    }
    if (atom == A(arguments) && !fs->toplevel) {
        if (fs->arguments_idx < 0) {
            int a = var_add(p, fs, atom, VF_HIDDEN);
            TRY(a);
            fs->arguments_idx = a;
        }
        *idx = fs->arguments_idx;
        return R_LOCAL;
    }
    for (uint32_t k = 0; k < fs->ncvars; k++)
        if (vals(&fs->cvars)[2 * k] == atom) {
            *idx = (int)k;
            return R_CVAR;
        }
    /* find the defining ancestor */
    fstate *def = fs->parent;
    int di = -1;
    for (; def && !def->toplevel; def = def->parent) {
        di = lookup_local(def, atom);
        if (di >= 0) break;
    }
    if (!def || def->toplevel) return R_GLOBAL;
    vals(&def->vars)[2 * di + 1] = v_mkint(v_int(vals(&def->vars)[2 * di + 1]) | VF_CAPTURED);
    /* thread a closure variable through every function from def's child down */
    fstate *chain[MAX_NEST + 2];
    int n = 0;
    for (fstate *f = fs; f != def; f = f->parent) chain[n++] = f;
    uint32_t desc = (uint32_t)di; /* parent's local */
    int ci = -1;
    ujs_ref ar; /* cvar_add allocates: the atom moves */
    ujs_push_ref(p->ctx, &ar, atom);
    for (int k = n - 1; k >= 0; k--) {
        ci = cvar_add(p, chain[k], ar.val, desc);
        if (ci < 0) break;
        desc = 0x8000u | (uint32_t)ci; /* parent's closure variable */
    }
    ujs_pop_ref(p->ctx, &ar);
    TRY(ci);
    *idx = ci;
    return R_CVAR;
}

static int emit_var_op(parser *p, int kind, int idx, int which /* 0 get 1 put 2 set */,
                       ujs_value atom)
{
    static const uint8_t ops[3][3] = {{OP_get_loc, OP_put_loc, OP_set_loc},
                                      {OP_get_arg, OP_put_arg, OP_set_arg},
                                      {OP_get_cvar, OP_put_cvar, OP_set_cvar}};
    static const uint8_t gops[3] = {OP_get_global, OP_put_global, OP_set_global};
    fstate *fs = p->fs;
    if (kind == R_GLOBAL) return emit_atom_op(p, gops[which], atom);
    if (kind == R_CVAR) return emit_op16(p, ops[2][which], (uint32_t)idx);
    if ((uint32_t)idx < fs->nparams) return emit_op16(p, ops[1][which], (uint32_t)idx);
    return emit_op16(p, ops[0][which], (uint32_t)idx - fs->nparams);
}

/* ---- expressions ---- */

static int parse_assign(parser *p, bool no_in);
static int parse_statement(parser *p);
static int parse_conditional(parser *p, bool no_in, bool *ref);
static int parse_assign_tail(parser *p, bool no_in, bool ref);
static int unfuse(parser *p);
static int parse_function(parser *p, bool is_decl, int method, ujs_value *name_out);

static int enter(parser *p)
{
    if (++p->nest > MAX_NEST) return perr(p, "nesting too deep");
    return 0;
}

static int parse_args(parser *p, int *argc)
{
    TRY(next(p)); /* ( */
    int n = 0;
    while (p->tok.type != ')') {
        TRY(parse_assign(p, false));
        if (++n > 255) return perr(p, "too many arguments");
        if (p->tok.type != ')') TRY(expect(p, ',', "',' or ')'"));
    }
    TRY(next(p));
    *argc = n;
    return 0;
}

static int emit_call(parser *p, int op, int argc)
{
    TRY(emit_op(p, op));
    uint8_t b = (uint8_t)argc;
    TRY(emit_bytes(p, &b, 1));
    adjust_depth(p->fs, -argc - 1);
    return 0;
}

static int parse_object_literal(parser *p)
{
    TRY(next(p));
    TRY(emit_op(p, OP_new_object));
    while (p->tok.type != '}') {
        int kind = 0; /* 0 value, 1 getter, 2 setter */
        if ((p->tok.type == TOK_get || p->tok.type == TOK_set)) {
            int which = p->tok.type == TOK_get ? 1 : 2;
            token save = p->tok;
            TRY(next(p));
            if (p->tok.type != ':' && p->tok.type != ',' && p->tok.type != '}' &&
                p->tok.type != '(') {
                kind = which;
            } else {
                /* a property named get/set: reuse the saved token as the name */
                ujs_ref ar;
                ujs_push_ref(p->ctx, &ar, tok_name_atom(&p->lx, &save));
                int r = ar.val == V_EXCEPTION ? -1 : expect(p, ':', "':'");
                if (r == 0) r = parse_assign(p, false);
                if (r == 0) r = emit_atom_op(p, OP_define_field, ar.val);
                ujs_pop_ref(p->ctx, &ar);
                TRY(r);
                if (p->tok.type != '}') TRY(expect(p, ',', "',' or '}'"));
                continue;
            }
        }
        ujs_value key;
        if (tok_is_ident_name(&p->tok) || p->tok.type == TOK_STRING) {
            key = p->tok.type == TOK_STRING ? p->lx.atom_ref.val : ident_atom(p);
        } else if (p->tok.type == TOK_NUMBER) {
            char buf[40];
            size_t n = num_to_chars(p->tok.num, buf);
            strview sv = {(const uint8_t *)buf, (uint32_t)n, false};
            key = atom_from_view(p->ctx, &sv);
        } else {
            return perr(p, "expected a property name");
        }
        if (key == V_EXCEPTION) return -1;
        ujs_ref kr;
        ujs_push_ref(p->ctx, &kr, key);
        int r = next(p);
        if (r == 0) {
            if (kind) {
                r = parse_function(p, false, kind, NULL);
                if (r == 0)
                    r = emit_atom_op(p, kind == 1 ? OP_define_getter : OP_define_setter, kr.val);
            } else {
                r = expect(p, ':', "':'");
                if (r == 0) r = parse_assign(p, false);
                if (r == 0) r = emit_atom_op(p, OP_define_field, kr.val);
            }
        }
        ujs_pop_ref(p->ctx, &kr);
        TRY(r);
        if (p->tok.type != '}') TRY(expect(p, ',', "',' or '}'"));
    }
    return next(p);
}

static int parse_array_literal(parser *p)
{
    TRY(next(p));
    uint32_t n = 0;
    while (p->tok.type != ']') {
        if (p->tok.type == ',') return perr(p, "array holes are not allowed");
        TRY(parse_assign(p, false));
        if (++n > 0xffff) return perr(p, "array literal too large");
        if (p->tok.type != ']') TRY(expect(p, ',', "',' or ']'"));
    }
    TRY(next(p));
    TRY(emit_op16(p, OP_new_array, n));
    adjust_depth(p->fs, 1 - (int)n);
    return 0;
}

/* Primary expressions. *ref is set when the result is an assignable reference. */
static int parse_primary(parser *p, bool *ref)
{
    *ref = false;
    token *t = &p->tok;
    switch (t->type) {
    case TOK_NUMBER: TRY(emit_number(p, t->num)); return next(p);
    case TOK_STRING: {
        uint32_t idx;
        TRY(cpool_add(p, p->lx.atom_ref.val, &idx));
        TRY(emit_op16(p, OP_push_const, idx));
        return next(p);
    }
    case TOK_true: TRY(emit_op(p, OP_push_true)); return next(p);
    case TOK_false: TRY(emit_op(p, OP_push_false)); return next(p);
    case TOK_null: TRY(emit_op(p, OP_push_null)); return next(p);
    case TOK_this: TRY(emit_op(p, OP_push_this)); return next(p);
    case '(': {
        TRY(next(p));
        TRY(enter(p));
        bool r;
        TRY(parse_conditional(p, false, &r));
        TRY(parse_assign_tail(p, false, r));
        int tt = p->tok.type;
        if (tt == ')' && r && p->fs->last_op >= 0) {
            int op = code(p->fs)[p->fs->last_op];
            *ref = op == OP_get_field || op == OP_get_elem ||
                   op == OP_get_loc_field; /* (o.f)() keeps `this` */
        }
        while (p->tok.type == ',') {
            *ref = false;
            TRY(next(p));
            TRY(emit_op(p, OP_drop));
            TRY(parse_assign(p, false));
        }
        p->nest--;
        return expect(p, ')', "')'");
    }
    case '{': {
        TRY(enter(p));
        TRY(parse_object_literal(p));
        p->nest--;
        return 0;
    }
    case '[': {
        TRY(enter(p));
        TRY(parse_array_literal(p));
        p->nest--;
        return 0;
    }
    case TOK_function: return parse_function(p, false, 0, NULL);
    case '/': return perr(p, "regular expressions are not supported yet");
    case TOK_with: return perr(p, "'with' is not allowed in strict mode");
    case TOK_let:
    case TOK_const:
    case TOK_class: return perr(p, "'let', 'const' and 'class' are not supported yet");
    default: break;
    }
    if (is_ident(p)) {
        ujs_value atom = ident_atom(p);
        if (atom == V_EXCEPTION) return -1;
        if (atom == A(eval)) return perr(p, "eval is not supported");
        int idx;
        int kind = resolve(p, atom, &idx);
        TRY(kind);
        atom = p->lx.atom_ref.val; /* resolve may have moved it; the token keeps it rooted */
        TRY(emit_var_op(p, kind, idx, 0, atom));
        *ref = true;
        return next(p);
    }
    if (t->type == TOK_EOF) return perr(p, "unexpected end of input");
    return perr(p, "unexpected token");
}

static int parse_postfix(parser *p, bool *ref)
{
    if (p->tok.type == TOK_new) {
        TRY(enter(p));
        TRY(next(p));
        bool r2;
        if (p->tok.type == TOK_new) {
            TRY(parse_postfix(p, &r2)); /* new new X()() : inner handles its own args */
        } else {
            TRY(parse_primary(p, &r2));
            for (;;) {
                if (p->tok.type == '.') {
                    TRY(next(p));
                    if (!tok_is_ident_name(&p->tok)) return perr(p, "expected a property name");
                    ujs_value a = ident_atom(p);
                    if (a == V_EXCEPTION) return -1;
                    TRY(emit_atom_op(p, OP_get_field, a));
                    TRY(next(p));
                } else if (p->tok.type == '[') {
                    TRY(next(p));
                    TRY(parse_assign(p, false));
                    TRY(expect(p, ']', "']'"));
                    TRY(emit_op(p, OP_get_elem));
                } else {
                    break;
                }
            }
        }
        TRY(emit_op(p, OP_push_undef));
        int argc = 0;
        if (p->tok.type == '(') TRY(parse_args(p, &argc));
        TRY(emit_line(p));
        TRY(emit_call(p, OP_new, argc));
        p->nest--;
        *ref = false;
    } else {
        TRY(parse_primary(p, ref));
    }
    for (;;) {
        fstate *fs = p->fs;
        if (p->tok.type == '.') {
            TRY(next(p));
            if (!tok_is_ident_name(&p->tok)) return perr(p, "expected a property name");
            ujs_value a = ident_atom(p);
            if (a == V_EXCEPTION) return -1;
            if (fs->last_op >= 0 && (uint32_t)fs->last_op + 3 == fs->code_len &&
                code(fs)[fs->last_op] == OP_get_loc && fs->last_label != (int)fs->code_len) {
                /* local.name in one instruction */
                uint32_t idx;
                TRY(cpool_add(p, a, &idx));
                uint32_t loc = rd16(code(fs) + fs->last_op + 1);
                fs->code_len = (uint32_t)fs->last_op;
                adjust_depth(fs, -1);
                TRY(emit_op16(p, OP_get_loc_field, loc));
                TRY(emit_u16(p, idx));
            } else {
                TRY(emit_atom_op(p, OP_get_field, a));
            }
            TRY(next(p));
            *ref = true;
        } else if (p->tok.type == '[') {
            TRY(next(p));
            TRY(enter(p));
            TRY(parse_assign(p, false));
            p->nest--;
            TRY(expect(p, ']', "']'"));
            TRY(emit_op(p, OP_get_elem));
            *ref = true;
        } else if (p->tok.type == '(') {
            if (*ref) TRY(unfuse(p));
            uint8_t *c = code(fs);
            int op = c[fs->last_op];
            if (*ref && op == OP_get_field) {
                c[fs->last_op] = OP_get_method;
                adjust_depth(fs, 1);
            } else if (*ref && op == OP_get_elem) {
                c[fs->last_op] = OP_get_method_elem;
                adjust_depth(fs, 1);
            } else {
                TRY(emit_op(p, OP_push_undef));
            }
            int argc;
            TRY(enter(p));
            TRY(parse_args(p, &argc));
            p->nest--;
            TRY(emit_line(p));
            TRY(emit_call(p, OP_call, argc));
            *ref = false;
        } else {
            break;
        }
    }
    return 0;
}

/* Removes the reference load just emitted; returns its opcode and operand. */
/* get_loc_field x f -> get_loc x; get_field f, so the reference can be
 * rewritten (assignment, method call, delete). */
static int unfuse(parser *p)
{
    fstate *fs = p->fs;
    if (fs->last_op < 0 || code(fs)[fs->last_op] != OP_get_loc_field) return 0;
    uint32_t at = (uint32_t)fs->last_op;
    uint32_t loc = rd16(code(fs) + at + 1), atom = rd16(code(fs) + at + 3);
    fs->code_len = at;
    adjust_depth(fs, -1);
    TRY(emit_op16(p, OP_get_loc, loc));
    return emit_op16(p, OP_get_field, atom);
}

static int take_ref(parser *p, int *operand)
{
    fstate *fs = p->fs;
    if (unfuse(p)) return -1;
    uint8_t *c = code(fs);
    int op = c[fs->last_op];
    *operand = ujs_op_size[op] == 3 ? (int)rd16(c + fs->last_op + 1) : 0;
    fs->code_len = (uint32_t)fs->last_op;
    adjust_depth(fs, op_pop[op] - op_push[op]);
    return op;
}

static int put_op_for(int get_op, bool keep)
{
    switch (get_op) {
    case OP_get_loc: return keep ? OP_set_loc : OP_put_loc;
    case OP_get_arg: return keep ? OP_set_arg : OP_put_arg;
    case OP_get_cvar: return keep ? OP_set_cvar : OP_put_cvar;
    case OP_get_global: return keep ? OP_set_global : OP_put_global;
    default: return -1;
    }
}

static int emit_raw16(parser *p, int op, int operand)
{
    return emit_op16(p, op, (uint32_t)operand);
}

/* The reference just emitted may not be assigned to: `arguments` is a
 * SyntaxError; a named function expression's own name throws when written. */
static int check_target(parser *p)
{
    fstate *fs = p->fs;
    int op = code(fs)[fs->last_op];
    if (op == OP_get_cvar) {
        ujs_value atom = vals(&fs->cvars)[2 * rd16(code(fs) + fs->last_op + 1)];
        for (fstate *d = fs->parent; d && !d->toplevel; d = d->parent) {
            int i = lookup_local(d, atom);
            if (i >= 0) return (v_int(vals(&d->vars)[2 * i + 1]) & VF_CONST) ? 1 : 0;
        }
        return 0;
    }
    if (op != OP_get_loc && op != OP_get_arg) return 0;
    uint32_t idx = rd16(code(fs) + fs->last_op + 1) + (op == OP_get_loc ? fs->nparams : 0);
    if ((int)idx == fs->arguments_idx)
        return perr(p, "cannot assign to 'arguments' in strict mode");
    return (v_int(vals(&fs->vars)[2 * idx + 1]) & VF_CONST) ? 1 : 0;
}

/* ++/-- (prefix or postfix) on the reference just emitted. */
static int emit_incdec(parser *p, bool inc, bool post)
{
    int is_const = check_target(p);
    TRY(is_const);
    int operand;
    int op = take_ref(p, &operand);
    int arith = post ? (inc ? OP_post_inc : OP_post_dec) : (inc ? OP_inc : OP_dec);
    if (op == OP_get_field) {
        TRY(emit_op(p, OP_dup));
        TRY(emit_raw16(p, OP_get_field, operand));
        TRY(emit_op(p, arith));
        if (post) TRY(emit_op(p, OP_perm3));
        TRY(emit_raw16(p, OP_put_field, operand));
        if (post) TRY(emit_op(p, OP_drop));
        return 0;
    }
    if (op == OP_get_elem) {
        TRY(emit_op(p, OP_dup2));
        TRY(emit_op(p, OP_get_elem));
        TRY(emit_op(p, arith));
        if (post) TRY(emit_op(p, OP_perm4));
        TRY(emit_op(p, OP_put_elem));
        if (post) TRY(emit_op(p, OP_drop));
        return 0;
    }
    int put = put_op_for(op, !post);
    if (put < 0) return perr(p, "invalid increment/decrement operand");
    TRY(emit_raw16(p, op, operand));
    TRY(emit_op(p, arith));
    if (is_const) TRY(emit_op(p, OP_throw_const));
    return emit_raw16(p, put, operand);
}

static int parse_unary(parser *p, bool *ref)
{
    int t = p->tok.type;
    int op = -1;
    switch (t) {
    case '-': op = OP_neg; break;
    case '+': op = OP_plus; break;
    case '!': op = OP_not; break;
    case '~': op = OP_bnot; break;
    case TOK_typeof: op = OP_typeof; break;
    case TOK_void: op = OP_drop; break;
    case TOK_delete: op = OP_delete_elem; break;
    case TOK_INC:
    case TOK_DEC: {
        TRY(next(p));
        TRY(enter(p));
        bool r;
        TRY(parse_unary(p, &r));
        p->nest--;
        if (!r) return perr(p, "invalid increment/decrement operand");
        *ref = false;
        return emit_incdec(p, t == TOK_INC, false);
    }
    default: break;
    }
    if (op >= 0) {
        TRY(next(p));
        TRY(enter(p));
        bool r;
        TRY(parse_unary(p, &r));
        p->nest--;
        *ref = false;
        fstate *fs = p->fs;
        if (t == TOK_typeof && r && code(fs)[fs->last_op] == OP_get_global) {
            code(fs)[fs->last_op] = OP_typeof_global;
            return 0;
        }
        if (t == TOK_delete) {
            if (!r) {
                TRY(emit_op(p, OP_drop));
                return emit_op(p, OP_push_true);
            }
            int operand;
            int gop = take_ref(p, &operand);
            if (gop == OP_get_field) {
                TRY(emit_raw16(p, OP_push_const, operand));
            } else if (gop != OP_get_elem) {
                return perr(p, "cannot delete an unqualified name in strict mode");
            }
            return emit_op(p, OP_delete_elem);
        }
        TRY(emit_op(p, op));
        if (t == TOK_void) TRY(emit_op(p, OP_push_undef));
        if (p->tok.type == TOK_POW) return perr(p, "unary operator before ** needs parentheses");
        return 0;
    }
    TRY(parse_postfix(p, ref));
    if ((p->tok.type == TOK_INC || p->tok.type == TOK_DEC) && !p->tok.nl_before) {
        if (!*ref) return perr(p, "invalid increment/decrement operand");
        bool inc = p->tok.type == TOK_INC;
        TRY(next(p));
        *ref = false;
        return emit_incdec(p, inc, true);
    }
    return 0;
}

static int binop_prec(int t, bool no_in, int *op)
{
    switch (t) {
    case TOK_OR: *op = -1; return 1;
    case TOK_AND: *op = -2; return 2;
    case '|': *op = OP_bor; return 3;
    case '^': *op = OP_bxor; return 4;
    case '&': *op = OP_band; return 5;
    case TOK_EQ: *op = OP_eq; return 6;
    case TOK_NEQ: *op = OP_neq; return 6;
    case TOK_SEQ: *op = OP_seq; return 6;
    case TOK_SNEQ: *op = OP_sneq; return 6;
    case '<': *op = OP_lt; return 7;
    case '>': *op = OP_gt; return 7;
    case TOK_LE: *op = OP_le; return 7;
    case TOK_GE: *op = OP_ge; return 7;
    case TOK_instanceof: *op = OP_instanceof; return 7;
    case TOK_in:
        if (no_in) return 0;
        *op = OP_in;
        return 7;
    case TOK_SHL: *op = OP_shl; return 8;
    case TOK_SAR: *op = OP_sar; return 8;
    case TOK_SHR: *op = OP_shr; return 8;
    case '+': *op = OP_add; return 9;
    case '-': *op = OP_sub; return 9;
    case '*': *op = OP_mul; return 10;
    case '/': *op = OP_div; return 10;
    case '%': *op = OP_mod; return 10;
    case TOK_POW: *op = OP_pow; return 11;
    default: return 0;
    }
}

static int parse_binary(parser *p, int min_prec, bool no_in, bool *ref)
{
    TRY(enter(p));
    TRY(parse_unary(p, ref));
    for (;;) {
        int op;
        int prec = binop_prec(p->tok.type, no_in, &op);
        if (prec == 0 || prec < min_prec) break;
        *ref = false;
        TRY(next(p));
        bool r;
        if (op < 0) { /* && || */
            int chain = -1;
            TRY(emit_op(p, OP_dup));
            TRY(emit_jump(p, op == -1 ? OP_jtrue : OP_jfalse, &chain));
            TRY(emit_op(p, OP_drop));
            TRY(parse_binary(p, prec + 1, no_in, &r));
            patch_chain(p, chain, (int)p->fs->code_len);
            continue;
        }
        /* ** is right-associative */
        TRY(parse_binary(p, op == OP_pow ? prec : prec + 1, no_in, &r));
        TRY(emit_op(p, op));
    }
    p->nest--;
    return 0;
}

static int parse_conditional(parser *p, bool no_in, bool *ref)
{
    TRY(parse_binary(p, 1, no_in, ref));
    if (p->tok.type != '?') return 0;
    *ref = false;
    TRY(next(p));
    int else_chain = -1, end_chain = -1;
    TRY(emit_jump(p, OP_jfalse, &else_chain));
    TRY(parse_assign(p, false));
    TRY(emit_jump(p, OP_jmp, &end_chain));
    adjust_depth(p->fs, -1);
    patch_chain(p, else_chain, (int)p->fs->code_len);
    TRY(expect(p, ':', "':'"));
    TRY(parse_assign(p, no_in));
    patch_chain(p, end_chain, (int)p->fs->code_len);
    return 0;
}

static int tok_binop(int t)
{
    switch (t) {
    case '+': return OP_add;
    case '-': return OP_sub;
    case '*': return OP_mul;
    case '/': return OP_div;
    case '%': return OP_mod;
    case '&': return OP_band;
    case '|': return OP_bor;
    case '^': return OP_bxor;
    case TOK_SHL: return OP_shl;
    case TOK_SAR: return OP_sar;
    case TOK_SHR: return OP_shr;
    case TOK_POW: return OP_pow;
    default: return -1;
    }
}

static int parse_assign_tail(parser *p, bool no_in, bool ref);

static int parse_assign(parser *p, bool no_in)
{
    TRY(enter(p));
    bool ref;
    TRY(parse_conditional(p, no_in, &ref));
    TRY(parse_assign_tail(p, no_in, ref));
    p->nest--;
    return 0;
}

/* After a conditional expression: `= rhs` or `op= rhs` if one follows. */
static int parse_assign_tail(parser *p, bool no_in, bool ref)
{
    int t = p->tok.type;
    if (t != '=' && t != TOK_ASSIGN_OP) return 0;
    if (!ref) return perr(p, "invalid assignment target");
    int is_const = check_target(p);
    TRY(is_const);
    int binop = t == '=' ? -1 : tok_binop(p->tok.op);
    TRY(next(p));
    int operand;
    int op = take_ref(p, &operand);
    if (op == OP_get_field) {
        if (binop >= 0) {
            TRY(emit_op(p, OP_dup));
            TRY(emit_raw16(p, OP_get_field, operand));
        }
        TRY(parse_assign(p, no_in));
        if (binop >= 0) TRY(emit_op(p, binop));
        TRY(emit_raw16(p, OP_put_field, operand));
    } else if (op == OP_get_elem) {
        if (binop >= 0) {
            TRY(emit_op(p, OP_dup2));
            TRY(emit_op(p, OP_get_elem));
        }
        TRY(parse_assign(p, no_in));
        if (binop >= 0) TRY(emit_op(p, binop));
        TRY(emit_op(p, OP_put_elem));
    } else {
        int put = put_op_for(op, true);
        if (put < 0) return perr(p, "invalid assignment target");
        if (binop >= 0) TRY(emit_raw16(p, op, operand));
        TRY(parse_assign(p, no_in));
        if (binop >= 0) TRY(emit_op(p, binop));
        if (is_const) TRY(emit_op(p, OP_throw_const));
        TRY(emit_raw16(p, put, operand));
    }
    return 0;
}

static int parse_expression(parser *p, bool no_in)
{
    TRY(parse_assign(p, no_in));
    while (p->tok.type == ',') {
        TRY(next(p));
        TRY(emit_op(p, OP_drop));
        TRY(parse_assign(p, no_in));
    }
    return 0;
}

/* ---- statements ---- */

static int consume_semi(parser *p)
{
    if (p->tok.type == ';') return next(p);
    if (p->tok.type == '}' || p->tok.type == TOK_EOF || p->tok.nl_before) return 0;
    return perr(p, "expected ';'");
}

/* Statement-level expression: drop its value (turning set_x into put_x). */
static int emit_drop_value(parser *p)
{
    fstate *fs = p->fs;
    uint8_t *c = code(fs);
    if (fs->last_op >= 0 && (uint32_t)fs->last_op + 3 == fs->code_len &&
        c[fs->last_op] == OP_put_field) {
        c[fs->last_op] = OP_put_field_drop;
        adjust_depth(fs, -1);
        return 0;
    }
    /* get_loc x; post_inc; put_loc x  ->  inc_loc x */
    uint32_t n = fs->code_len;
    if (n >= 7 && fs->last_op == (int)n - 3 && c[n - 7] == OP_get_loc &&
        (c[n - 4] == OP_post_inc || c[n - 4] == OP_post_dec) && c[n - 3] == OP_put_loc &&
        rd16(c + n - 6) == rd16(c + n - 2)) {
        uint32_t idx = rd16(c + n - 2);
        int op = c[n - 4] == OP_post_inc ? OP_inc_loc : OP_dec_loc;
        fs->code_len = n - 7;
        adjust_depth(fs, -1);
        return emit_op16(p, op, idx);
    }
    if (fs->last_op >= 0 && (uint32_t)fs->last_op < fs->code_len) {
        int op = c[fs->last_op];
        int nop = op == OP_set_loc      ? OP_put_loc
                  : op == OP_set_arg    ? OP_put_arg
                  : op == OP_set_cvar   ? OP_put_cvar
                  : op == OP_set_global ? OP_put_global
                                        : -1;
        if (nop >= 0 && (uint32_t)fs->last_op + 3 == fs->code_len) {
            c[fs->last_op] = (uint8_t)nop;
            adjust_depth(fs, -1);
            return 0;
        }
    }
    return emit_op(p, OP_drop);
}

static int parse_var_decls(parser *p, bool no_in, ujs_value *last_atom)
{
    for (;;) {
        if (!is_ident(p)) return perr(p, "expected a variable name");
        ujs_value atom = ident_atom(p);
        if (atom == V_EXCEPTION) return -1;
        if (atom == A(arguments) || atom == A(eval))
            return perr(p, "cannot declare 'arguments' or 'eval' in strict mode");
        ujs_ref ar;
        ujs_push_ref(p->ctx, &ar, atom);
        int r = declare_var(p, p->fs, atom);
        if (r == 0) r = next(p);
        if (last_atom) *last_atom = ar.val; /* callers root it before allocating */
        if (r == 0 && p->tok.type == '=') {
            r = next(p);
            int idx = 0, kind = 0;
            if (r == 0) r = parse_assign(p, no_in);
            if (r == 0) r = kind = resolve(p, ar.val, &idx);
            if (r >= 0) r = emit_var_op(p, kind, idx, 1, ar.val);
        }
        ujs_pop_ref(p->ctx, &ar);
        TRY(r);
        if (p->tok.type != ',') return 0;
        TRY(next(p));
    }
}

static block *push_block(parser *p, block *b, int kind, int items, ujs_value label)
{
    b->prev = p->fs->blocks;
    b->kind = kind;
    ujs_push_ref(p->ctx, &b->label, label);
    b->items = items;
    b->break_chain = b->cont_chain = -1;
    b->cont_target = -1;
    b->finally_chain = NULL;
    p->fs->blocks = b;
    return b;
}

static void pop_block(parser *p)
{
    ujs_pop_ref(p->ctx, &p->fs->blocks->label);
    p->fs->blocks = p->fs->blocks->prev;
}

/* Leaves blocks inner to `target` (exclusive): drops their stack items and
 * runs their finally blocks. */
static int unwind_to(parser *p, block *target)
{
    int saved = p->fs->depth;
    for (block *b = p->fs->blocks; b != target; b = b->prev) {
        for (int i = 0; i < b->items; i++) TRY(emit_op(p, OP_drop));
        if (b->finally_chain) {
            TRY(emit_jump(p, OP_gosub, b->finally_chain));
        }
    }
    p->fs->depth = saved;
    return 0;
}

static int parse_break_continue(parser *p, bool is_break)
{
    TRY(next(p));
    ujs_ref lr;
    ujs_push_ref(p->ctx, &lr, V_UNDEFINED);
    if (is_ident(p) && !p->tok.nl_before) {
        lr.val = ident_atom(p);
        if (lr.val == V_EXCEPTION || next(p)) {
            ujs_pop_ref(p->ctx, &lr);
            return -1;
        }
    }
    ujs_value label = lr.val;
    ujs_pop_ref(p->ctx, &lr);
    block *b = p->fs->blocks; /* no allocation until the search ends */
    for (; b; b = b->prev) {
        if (label != V_UNDEFINED) {
            if (b->label.val == label && (is_break || b->kind == B_LOOP || b->kind == B_LABEL))
                break;
        } else if (b->kind == B_LOOP || (is_break && b->kind == B_SWITCH)) {
            break;
        }
    }
    if (b && !is_break && b->kind == B_LABEL) {
        /* `a: b: for ...` — continue a targets the loop those labels name */
        block *loop = NULL;
        for (block *x = p->fs->blocks; x && x != b; x = x->prev) {
            block *y = x->prev;
            while (y && y != b && y->kind == B_LABEL) y = y->prev;
            if (x->kind == B_LOOP && y == b) loop = x;
        }
        b = loop;
    }
    if (!b) return perr(p, is_break ? "break outside a loop or switch" : "continue outside a loop");
    TRY(unwind_to(p, b));
    if (is_break) {
        TRY(emit_jump(p, OP_jmp, &b->break_chain));
    } else if (b->cont_target >= 0) {
        TRY(emit_jump_to(p, OP_jmp, b->cont_target));
    } else {
        TRY(emit_jump(p, OP_jmp, &b->cont_chain));
    }
    return consume_semi(p);
}

static int parse_block_body(parser *p)
{
    TRY(expect(p, '{', "'{'"));
    while (p->tok.type != '}') {
        if (p->tok.type == TOK_EOF) return perr(p, "expected '}'");
        TRY(parse_statement(p));
    }
    return next(p);
}

static int parse_loop_body(parser *p, block *b)
{
    (void)b;
    return parse_statement(p);
}

/* Moves code[from..code_len) into a new heap buffer *out (and drops the line
 * entries recorded since lmark); the code must be position-independent. */
static int cut_code(parser *p, uint32_t from, uint32_t lmark, ujs_ref *out, uint32_t *len)
{
    fstate *fs = p->fs;
    uint32_t n = fs->code_len - from;
    bytesblk *bb = heap_alloc(p->ctx, 2 + words_for_bytes(n), T_BYTES);
    if (!bb) {
        throw_oom(p->ctx);
        return -1;
    }
    bb->len = n;
    memcpy(bytes_data(bb), code(fs) + from, n);
    out->val = (ujs_value)bb;
    *len = n;
    fs->code_len = from;
    fs->lines_len = lmark;
    fs->last_line = 0;
    fs->last_op = -1;
    return 0;
}

/* Appends a buffer made by cut_code (reserving first: the buffer may move). */
static int paste_code(parser *p, ujs_ref *buf, uint32_t len)
{
    fstate *fs = p->fs;
    TRY(bytes_reserve(p, &fs->code, fs->code_len, len));
    uint8_t *d = code(fs) + fs->code_len;
    memcpy(d, bytes_data((bytesblk *)buf->val), len);
    /* the last instruction may fuse with a following branch, unless a jump
     * inside the pasted code could land after it */
    uint32_t last = 0;
    bool jumps = false;
    for (uint32_t i = 0; i < len; i += ujs_op_size[d[i]]) {
        last = i;
        int op = d[i];
        if (op == OP_jmp || op == OP_jtrue || op == OP_jfalse || op == OP_jcmp || op == OP_catch ||
            op == OP_gosub || op == OP_for_next || op == OP_for_in_next)
            jumps = true;
    }
    fs->last_op = jumps || len == 0 ? -1 : (int)(fs->code_len + last);
    fs->code_len += len;
    return 0;
}

static int parse_for(parser *p, ujs_ref *label)
{
    fstate *fs = p->fs;
    TRY(next(p));
    TRY(expect(p, '(', "'('"));
    /* for (var x in/of ...) / for (x in/of ...) */
    int kind = 0; /* 0: classic, 1: in, 2: of */
    ujs_value var_atom = V_UNDEFINED;
    uint32_t init_start = fs->code_len;
    if (p->tok.type == TOK_var) {
        TRY(next(p));
        TRY(parse_var_decls(p, true, &var_atom));
        if (p->tok.type == TOK_in || p->tok.type == TOK_of) {
            kind = p->tok.type == TOK_in ? 1 : 2;
            if (fs->code_len != init_start)
                return perr(p, "for-in/of variable may not have an initializer");
        }
    } else if (p->tok.type != ';') {
        bool ref;
        TRY(parse_conditional(p, true, &ref));
        if ((p->tok.type == TOK_in || p->tok.type == TOK_of) && ref) {
            kind = p->tok.type == TOK_in ? 1 : 2;
        } else {
            /* finish the init expression */
            TRY(parse_assign_tail(p, true, ref));
            while (p->tok.type == ',') {
                TRY(next(p));
                TRY(emit_op(p, OP_drop));
                TRY(parse_assign(p, true));
            }
            TRY(emit_drop_value(p));
        }
    }
    if (kind) {
        /* the loop variable's store: captured as a reference */
        int operand = 0, ref_op = -1;
        uint8_t objcode[64]; /* a member target's object expression, re-run per iteration */
        uint32_t objlen = 0;
        ujs_ref va;
        ujs_push_ref(p->ctx, &va, var_atom);
        int r = 0;
        if (var_atom == V_UNDEFINED) {
            ref_op = take_ref(p, &operand);
            if (ref_op == OP_get_elem) {
                ujs_pop_ref(p->ctx, &va);
                return perr(p, "for-in/of over an indexed target is not supported yet");
            }
            if (ref_op == OP_get_field) {
                objlen = fs->code_len - init_start;
                if (objlen > sizeof objcode) {
                    ujs_pop_ref(p->ctx, &va);
                    return perr(p, "for-in/of target expression too complex");
                }
                memcpy(objcode, code(fs) + init_start, objlen);
                fs->code_len = init_start;
                adjust_depth(fs, -1);
            }
        }
        r = next(p);
        if (r == 0) r = kind == 2 ? parse_assign(p, false) : parse_expression(p, false);
        if (r == 0) r = expect(p, ')', "')'");
        if (r == 0) r = emit_op(p, kind == 1 ? OP_for_in_start : OP_for_of_start);
        block b;
        push_block(p, &b, B_LOOP, kind == 1 ? 3 : 2, label->val);
        int top = (int)fs->code_len;
        b.cont_target = top;
        int end_chain = -1;
        if (r == 0) r = emit_jump(p, kind == 1 ? OP_for_in_next : OP_for_next, &end_chain);
        if (r == 0) {
            if (var_atom != V_UNDEFINED) {
                int idx, k = resolve(p, va.val, &idx);
                r = k < 0 ? -1 : emit_var_op(p, k, idx, 1, va.val);
            } else if (ref_op == OP_get_field) {
                r = emit_bytes(p, objcode, objlen);
                adjust_depth(fs, 1);
                if (r == 0) r = emit_op(p, OP_swap);
                if (r == 0) r = emit_raw16(p, OP_put_field, operand);
                if (r == 0) r = emit_op(p, OP_drop);
            } else {
                r = emit_raw16(p, put_op_for(ref_op, false), operand);
            }
        }
        ujs_pop_ref(p->ctx, &va);
        if (r == 0) r = parse_loop_body(p, &b);
        if (r == 0) r = emit_jump_to(p, OP_jmp, top);
        pop_block(p);
        TRY(r);
        patch_chain(p, end_chain, (int)fs->code_len);
        patch_chain(p, b.break_chain, (int)fs->code_len);
        if (kind == 1) TRY(emit_op(p, OP_drop));
        TRY(emit_op(p, OP_drop));
        return emit_op(p, OP_drop);
    }
    TRY(expect(p, ';', "';'"));
    /* Layout: jmp cond; body: BODY; cont: UPDATE; cond: COND; jtrue body.
     * COND and UPDATE are compiled where they appear, cut out into heap
     * buffers and pasted after the body: their code only jumps within
     * itself (relative offsets), so it moves as a block. One jump per
     * iteration instead of three. */
    ujs_ref cond, upd;
    ujs_push_ref(p->ctx, &cond, V_UNDEFINED);
    ujs_push_ref(p->ctx, &upd, V_UNDEFINED);
    uint32_t clen = 0, ulen = 0;
    int r = 0, cond_chain = -1;
    block b;
    bool pushed = false;
    if (p->tok.type != ';') {
        uint32_t from = fs->code_len, lmark = fs->lines_len;
        r = parse_expression(p, false);
        if (r == 0) r = cut_code(p, from, lmark, &cond, &clen);
        adjust_depth(fs, -1);
    }
    if (r == 0) r = expect(p, ';', "';'");
    if (r == 0 && p->tok.type != ')') {
        uint32_t from = fs->code_len, lmark = fs->lines_len;
        r = parse_expression(p, false);
        if (r == 0) r = emit_drop_value(p);
        if (r == 0) r = cut_code(p, from, lmark, &upd, &ulen);
    }
    if (r == 0) r = expect(p, ')', "')'");
    if (r == 0 && clen) r = emit_jump(p, OP_jmp, &cond_chain);
    int body = (int)fs->code_len;
    if (r == 0) {
        push_block(p, &b, B_LOOP, 0, label->val);
        pushed = true;
        r = parse_loop_body(p, &b);
    }
    if (r == 0) {
        patch_chain(p, b.cont_chain, (int)fs->code_len);
        if (ulen) r = paste_code(p, &upd, ulen);
    }
    if (r == 0) {
        patch_chain(p, cond_chain, (int)fs->code_len);
        if (clen) {
            r = paste_code(p, &cond, clen);
            adjust_depth(fs, 1);
            if (r == 0) r = emit_jump_to(p, OP_jtrue, body);
        } else {
            r = emit_jump_to(p, OP_jmp, body);
        }
    }
    if (pushed) pop_block(p);
    ujs_pop_ref(p->ctx, &upd);
    ujs_pop_ref(p->ctx, &cond);
    TRY(r);
    patch_chain(p, b.break_chain, (int)fs->code_len);
    return 0;
}

static int parse_try(parser *p)
{
    fstate *fs = p->fs;
    TRY(next(p));
    int finally_chain = -1; /* gosubs to the finally block */
    int fin_exc_chain = -1; /* catch markers leading to the exception path of finally */
    int after_chain = -1;
    int catch_chain = -1;
    /* peek: does a finally exist? We cannot look ahead, so compile the try
     * region with a marker whose handler decides later. */
    block b;
    TRY(emit_jump(p, OP_catch, &catch_chain));
    push_block(p, &b, B_TRY, 1, V_UNDEFINED);
    b.finally_chain = &finally_chain;
    int r = parse_block_body(p);
    pop_block(p);
    TRY(r);
    TRY(emit_op(p, OP_drop)); /* the marker */
    TRY(emit_jump(p, OP_jmp, &after_chain));
    bool has_catch = false;
    int catch_pos = (int)fs->code_len;
    if (p->tok.type == TOK_catch) {
        has_catch = true;
        patch_chain(p, catch_chain, catch_pos);
        catch_chain = -1;
        adjust_depth(fs, 1); /* the exception */
        TRY(next(p));
        TRY(expect(p, '(', "'('"));
        if (!is_ident(p)) return perr(p, "expected an identifier");
        ujs_value name = ident_atom(p);
        if (name == V_EXCEPTION) return -1;
        int idx = var_add(p, fs, name, VF_HIDDEN); /* visible only through its scope */
        TRY(idx);
        TRY(next(p));
        TRY(expect(p, ')', "')'"));
        scope sc = {fs->scopes, idx};
        fs->scopes = &sc;
        r = emit_var_op(p, R_LOCAL, idx, 1, V_UNDEFINED);
        /* exceptions in the catch body still run the finally */
        int cb_chain = -1;
        if (r == 0) r = emit_jump(p, OP_catch, &cb_chain);
        if (r == 0) {
            push_block(p, &b, B_TRY, 1, V_UNDEFINED);
            b.finally_chain = &finally_chain;
            r = parse_block_body(p);
            pop_block(p);
        }
        fs->scopes = sc.prev;
        TRY(r);
        TRY(emit_op(p, OP_drop));
        TRY(emit_jump(p, OP_jmp, &after_chain));
        fin_exc_chain = cb_chain;
    } else {
        fin_exc_chain = catch_chain;
    }
    if (p->tok.type == TOK_finally) {
        TRY(next(p));
        /* normal completion */
        patch_chain(p, after_chain, (int)fs->code_len);
        after_chain = -1;
        TRY(emit_jump(p, OP_gosub, &finally_chain));
        int end_chain = -1;
        TRY(emit_jump(p, OP_jmp, &end_chain));
        /* exception path: [exc]. The exception waits in a hidden local, so
         * the finally block runs at one stack depth on every path (a `break`
         * out of it must not leave the exception on the stack). */
        patch_chain(p, fin_exc_chain, (int)fs->code_len);
        adjust_depth(fs, 1);
        int exc_idx = var_add(p, fs, A(empty), VF_HIDDEN);
        TRY(exc_idx);
        TRY(emit_var_op(p, R_LOCAL, exc_idx, 1, V_UNDEFINED));
        TRY(emit_jump(p, OP_gosub, &finally_chain));
        TRY(emit_var_op(p, R_LOCAL, exc_idx, 0, V_UNDEFINED));
        TRY(emit_op(p, OP_throw));
        /* the finally block: [ret] */
        patch_chain(p, finally_chain, (int)fs->code_len);
        adjust_depth(fs, 1);
        push_block(p, &b, B_FINALLY_BODY, 1, V_UNDEFINED);
        r = parse_block_body(p);
        pop_block(p);
        TRY(r);
        TRY(emit_op(p, OP_ret));
        patch_chain(p, end_chain, (int)fs->code_len);
    } else {
        /* no finally: gosubs were never emitted since finally_chain stays -1
         * only if no break/return crossed it — they did emit gosub to an
         * empty chain, which we patch to a bare `ret` */
        if (!has_catch) return perr(p, "expected 'catch' or 'finally'");
        /* without a finally: the catch body's handler rethrows, and gosubs
         * emitted by break/return inside the try return at once */
        int skip = -1;
        TRY(emit_jump(p, OP_jmp, &skip));
        patch_chain(p, fin_exc_chain, (int)fs->code_len);
        adjust_depth(fs, 1);
        TRY(emit_op(p, OP_throw));
        if (finally_chain != -1) {
            patch_chain(p, finally_chain, (int)fs->code_len);
            adjust_depth(fs, 1);
            TRY(emit_op(p, OP_ret));
        }
        patch_chain(p, skip, (int)fs->code_len);
        patch_chain(p, after_chain, (int)fs->code_len);
    }
    return 0;
}

static int parse_switch(parser *p, ujs_ref *label)
{
    fstate *fs = p->fs;
    TRY(next(p));
    TRY(expect(p, '(', "'('"));
    TRY(parse_expression(p, false));
    TRY(expect(p, ')', "')'"));
    TRY(expect(p, '{', "'{'"));
    block b;
    push_block(p, &b, B_SWITCH, 1, label->val);
    int test_chain = -1, body_chain = -1, default_pos = -1;
    bool any_body = false;
    int r = 0;
    while (r == 0 && p->tok.type != '}') {
        if (p->tok.type == TOK_case) {
            if (any_body) r = emit_jump(p, OP_jmp, &body_chain);
            if (r) break;
            patch_chain(p, test_chain, (int)fs->code_len);
            test_chain = -1;
            if ((r = next(p)) || (r = emit_op(p, OP_dup)) || (r = parse_expression(p, false)) ||
                (r = expect(p, ':', "':'")) || (r = emit_op(p, OP_seq)) ||
                (r = emit_jump(p, OP_jfalse, &test_chain)))
                break;
            patch_chain(p, body_chain, (int)fs->code_len);
            body_chain = -1;
        } else if (p->tok.type == TOK_default) {
            if (default_pos >= 0) {
                r = perr(p, "duplicate default clause");
                break;
            }
            if ((r = next(p)) || (r = expect(p, ':', "':'"))) break;
            if (any_body) {
                /* fall through into default */
            }
            patch_chain(p, body_chain, (int)fs->code_len);
            body_chain = -1;
            default_pos = (int)fs->code_len;
        } else if (p->tok.type == TOK_EOF) {
            r = perr(p, "expected '}'");
            break;
        } else {
            if (!any_body && default_pos < 0 && test_chain == -1) {
                r = perr(p, "expected 'case' or 'default'");
                break;
            }
            any_body = true;
            r = parse_statement(p);
        }
    }
    pop_block(p);
    TRY(r);
    TRY(next(p));
    TRY(emit_jump(p, OP_jmp, &b.break_chain));
    patch_chain(p, test_chain, (int)fs->code_len);
    if (default_pos >= 0) TRY(emit_jump_to(p, OP_jmp, default_pos));
    patch_chain(p, body_chain, (int)fs->code_len);
    patch_chain(p, b.break_chain, (int)fs->code_len);
    return emit_op(p, OP_drop);
}

static int parse_statement(parser *p)
{
    fstate *fs = p->fs;
    TRY(enter(p));
    TRY(emit_line(p));
    int t = p->tok.type;
    ujs_ref lref;
    ujs_push_ref(p->ctx, &lref, p->pending_label.val);
    p->pending_label.val = V_UNDEFINED;
    int r = 0;
    switch (t) {
    case '{': r = parse_block_body(p); break;
    case ';': r = next(p); break;
    case TOK_var:
        r = next(p);
        if (r == 0) r = parse_var_decls(p, false, NULL);
        if (r == 0) r = consume_semi(p);
        break;
    case TOK_if: {
        int else_chain = -1, end_chain = -1;
        if ((r = next(p)) || (r = expect(p, '(', "'('")) || (r = parse_expression(p, false)) ||
            (r = expect(p, ')', "')'")) || (r = emit_jump(p, OP_jfalse, &else_chain)) ||
            (r = parse_statement(p)))
            break;
        if (p->tok.type == TOK_else) {
            if ((r = emit_jump(p, OP_jmp, &end_chain)) || (r = next(p))) break;
            patch_chain(p, else_chain, (int)fs->code_len);
            r = parse_statement(p);
            patch_chain(p, end_chain, (int)fs->code_len);
        } else {
            patch_chain(p, else_chain, (int)fs->code_len);
        }
        break;
    }
    case TOK_while: {
        block b;
        int top = (int)fs->code_len, end_chain = -1;
        if ((r = next(p)) || (r = expect(p, '(', "'('")) || (r = parse_expression(p, false)) ||
            (r = expect(p, ')', "')'")) || (r = emit_jump(p, OP_jfalse, &end_chain)))
            break;
        push_block(p, &b, B_LOOP, 0, lref.val);
        b.cont_target = top;
        r = parse_loop_body(p, &b);
        if (r == 0) r = emit_jump_to(p, OP_jmp, top);
        pop_block(p);
        patch_chain(p, end_chain, (int)fs->code_len);
        patch_chain(p, b.break_chain, (int)fs->code_len);
        break;
    }
    case TOK_do: {
        block b;
        int top = (int)fs->code_len;
        if ((r = next(p))) break;
        push_block(p, &b, B_LOOP, 0, lref.val);
        r = parse_loop_body(p, &b);
        pop_block(p);
        if (r) break;
        patch_chain(p, b.cont_chain, (int)fs->code_len);
        if ((r = expect(p, TOK_while, "'while'")) || (r = expect(p, '(', "'('")) ||
            (r = parse_expression(p, false)) || (r = expect(p, ')', "')'")) ||
            (r = emit_jump_to(p, OP_jtrue, top)))
            break;
        patch_chain(p, b.break_chain, (int)fs->code_len);
        if (p->tok.type == ';') r = next(p);
        break;
    }
    case TOK_for: r = parse_for(p, &lref); break;
    case TOK_continue: r = parse_break_continue(p, false); break;
    case TOK_break: r = parse_break_continue(p, true); break;
    case TOK_return: {
        if (fs->toplevel) {
            r = perr(p, "return outside a function");
            break;
        }
        if ((r = next(p))) break;
        bool has_value =
            p->tok.type != ';' && p->tok.type != '}' && !p->tok.nl_before && p->tok.type != TOK_EOF;
        bool crosses_finally = false;
        for (block *b = fs->blocks; b; b = b->prev)
            if (b->finally_chain && *b->finally_chain != -2) crosses_finally = true;
        if (has_value && (r = parse_expression(p, false))) break;
        if (crosses_finally) {
            if (!has_value) r = emit_op(p, OP_push_undef);
            if (r) break;
            if (fs->ret_idx < 0) {
                fs->ret_idx = var_add(p, fs, A(empty), VF_HIDDEN);
                if (fs->ret_idx < 0) {
                    r = -1;
                    break;
                }
            }
            if ((r = emit_var_op(p, R_LOCAL, fs->ret_idx, 1, V_UNDEFINED)) ||
                (r = unwind_to(p, NULL)) ||
                (r = emit_var_op(p, R_LOCAL, fs->ret_idx, 0, V_UNDEFINED)) ||
                (r = emit_op(p, OP_return)))
                break;
        } else {
            r = emit_op(p, has_value ? OP_return : OP_return_undef);
        }
        if (r == 0) r = consume_semi(p);
        break;
    }
    case TOK_throw:
        if ((r = next(p))) break;
        if (p->tok.nl_before) {
            r = perr(p, "newline after throw");
            break;
        }
        if ((r = parse_expression(p, false)) || (r = emit_line(p)) || (r = emit_op(p, OP_throw)))
            break;
        r = consume_semi(p);
        break;
    case TOK_try: r = parse_try(p); break;
    case TOK_switch: r = parse_switch(p, &lref); break;
    case TOK_function: {
        ujs_value name;
        r = parse_function(p, true, 0, &name);
        break;
    }
    case TOK_debugger:
        r = next(p);
        if (r == 0) r = consume_semi(p);
        break;
    case TOK_with: r = perr(p, "'with' is not allowed in strict mode"); break;
    default:
        if (is_ident(p)) {
            /* label? */
            token save = p->tok;
            const char *sp_ = p->lx.p, *sls = p->lx.line_start;
            uint32_t sline = p->lx.line;
            ujs_value a = ident_atom(p);
            if (a == V_EXCEPTION) return -1;
            ujs_ref ar;
            ujs_push_ref(p->ctx, &ar, a);
            r = next(p);
            if (r == 0 && p->tok.type == ':') {
                r = next(p);
                int nt = p->tok.type;
                if (r == 0 &&
                    (nt == TOK_for || nt == TOK_while || nt == TOK_do || nt == TOK_switch)) {
                    p->pending_label.val = ar.val;
                    r = parse_statement(p);
                } else if (r == 0) {
                    block b;
                    push_block(p, &b, B_LABEL, 0, ar.val);
                    r = parse_statement(p);
                    pop_block(p);
                    patch_chain(p, b.break_chain, (int)fs->code_len);
                }
                ujs_pop_ref(p->ctx, &ar);
                break;
            }
            /* not a label: rewind to the identifier */
            p->lx.p = sp_;
            p->lx.line_start = sls;
            p->lx.line = sline;
            p->tok = save;
            p->lx.atom_ref.val = ar.val;
            ujs_pop_ref(p->ctx, &ar);
            if (r) break;
        }
        if ((r = parse_expression(p, false)) || (r = emit_drop_value(p))) break;
        r = consume_semi(p);
        break;
    }
    ujs_pop_ref(p->ctx, &lref);
    p->nest--;
    return r;
}

/* ---- functions ---- */

/* Collects `var` and function-declaration names of the body starting at the
 * current token (after '{' for functions), without compiling. */
static int prescan(parser *p, bool toplevel)
{
    const char *save_p = p->lx.p, *save_ls = p->lx.line_start;
    uint32_t save_line = p->lx.line;
    token tsave = p->tok;
    ujs_ref tatom;
    ujs_push_ref(p->ctx, &tatom, p->lx.atom_ref.val);
    int depth = 0; /* braces/parens/brackets */
    int prev = ';';
    int r = 0;
    for (;;) {
        int t = p->tok.type;
        if (t == TOK_EOF) break;
        if (!toplevel && depth == 0 && t == '}') break;
        if (t == '{' || t == '(' || t == '[') depth++;
        if (t == '}' || t == ')' || t == ']') depth--;
        if (t == TOK_function) {
            bool decl = prev == ';' || prev == '{' || prev == '}' || prev == 0 || prev == ':';
            if ((r = next(p))) break;
            if (is_ident(p) && decl) {
                ujs_value a = ident_atom(p);
                if (a == V_EXCEPTION || (r = declare_var(p, p->fs, a))) {
                    r = -1;
                    break;
                }
            }
            /* skip to the body and over it */
            while (p->tok.type != '{' && p->tok.type != TOK_EOF)
                if ((r = next(p))) break;
            if (r) break;
            int d = 0;
            do {
                if (p->tok.type == '{') d++;
                if (p->tok.type == '}') d--;
                if (p->tok.type == TOK_EOF) break;
                if ((r = next(p))) break;
            } while (d > 0);
            if (r) break;
            prev = '}';
            continue;
        }
        if (t == TOK_var) {
            if ((r = next(p))) break;
            for (;;) {
                if (!is_ident(p)) break;
                ujs_value a = ident_atom(p);
                if (a == V_EXCEPTION || declare_var(p, p->fs, a)) {
                    r = -1;
                    break;
                }
                if ((r = next(p))) break;
                /* skip an initializer up to ',' at depth 0 */
                int d = 0;
                int last = TOK_IDENT;
                while (p->tok.type != TOK_EOF) {
                    int u = p->tok.type;
                    if (d == 0 && (u == ',' || u == ';' || u == TOK_in || u == TOK_of || u == '}' ||
                                   u == ')'))
                        break;
                    if (d == 0 && p->tok.nl_before && u != '=' &&
                        (last == TOK_IDENT || last == TOK_NUMBER || last == TOK_STRING ||
                         last == ')' || last == ']' || last == '}' || last == TOK_true ||
                         last == TOK_false || last == TOK_null || last == TOK_this) &&
                        (u == TOK_IDENT || u > TOK_KW_FIRST))
                        break;
                    if (u == '{' || u == '(' || u == '[') d++;
                    if (u == '}' || u == ')' || u == ']') d--;
                    last = u;
                    if ((r = next(p))) break;
                }
                if (r || p->tok.type != ',') break;
                if ((r = next(p))) break;
            }
            if (r) break;
            prev = TOK_IDENT;
            continue;
        }
        prev = t;
        if ((r = next(p))) break;
    }
    p->lx.p = save_p;
    p->lx.line_start = save_ls;
    p->lx.line = save_line;
    p->tok = tsave;
    p->lx.atom_ref.val = tatom.val;
    ujs_pop_ref(p->ctx, &tatom);
    return r;
}

static void fs_init(parser *p, fstate *fs, bool toplevel)
{
    memset(fs, 0, sizeof *fs);
    fs->parent = p->fs;
    fs->toplevel = toplevel;
    fs->arguments_idx = -1;
    fs->ret_idx = -1;
    fs->last_op = -1;
    fs->last_label = -1;
    ujs_push_ref(p->ctx, &fs->code, V_UNDEFINED);
    ujs_push_ref(p->ctx, &fs->cpool, V_UNDEFINED);
    ujs_push_ref(p->ctx, &fs->vars, V_UNDEFINED);
    ujs_push_ref(p->ctx, &fs->cvars, V_UNDEFINED);
    ujs_push_ref(p->ctx, &fs->lines, V_UNDEFINED);
    ujs_push_ref(p->ctx, &fs->hoist, V_UNDEFINED);
    ujs_push_ref(p->ctx, &fs->name, V_UNDEFINED);
    p->fs = fs;
}

static void fs_release(parser *p, fstate *fs)
{
    ujs_pop_ref(p->ctx, &fs->name);
    ujs_pop_ref(p->ctx, &fs->hoist);
    ujs_pop_ref(p->ctx, &fs->lines);
    ujs_pop_ref(p->ctx, &fs->cvars);
    ujs_pop_ref(p->ctx, &fs->vars);
    ujs_pop_ref(p->ctx, &fs->cpool);
    ujs_pop_ref(p->ctx, &fs->code);
    p->fs = fs->parent;
}

static bool var_captured(fstate *fs, uint32_t idx)
{
    return (v_int(vals(&fs->vars)[2 * idx + 1]) & VF_CAPTURED) != 0;
}

/* Emits the prologue and builds the funcbc. */
static int finish_function(parser *p, ujs_value *out)
{
    fstate *fs = p->fs;
    /* rewrite accesses to captured slots */
    uint8_t *c = code(fs);
    for (uint32_t pc = 0; pc < fs->code_len;) {
        int op = c[pc];
        if (op >= OP_get_loc && op <= OP_set_arg) {
            uint32_t idx = rd16(c + pc + 1);
            bool is_arg = op >= OP_get_arg;
            uint32_t v = is_arg ? idx : idx + fs->nparams;
            if (var_captured(fs, v)) c[pc] = (uint8_t)(op + (OP_get_loc_ref - OP_get_loc));
        }
        pc += ujs_op_size[op];
    }
    /* prologue */
    uint32_t start = fs->code_len;
    bool need = false;
    for (uint32_t i = 0; i < fs->nvars; i++) {
        if (!var_captured(fs, i)) continue;
        need = true;
        /* box: load the raw value and store it through a fresh box */
        if (i < fs->nparams)
            TRY(emit_op16(p, OP_box_arg, i));
        else
            TRY(emit_op16(p, OP_box_loc, i - fs->nparams));
    }
    if (fs->arguments_idx >= 0) {
        need = true;
        TRY(emit_op(p, OP_push_arguments));
        uint32_t i = (uint32_t)fs->arguments_idx;
        bool cap = var_captured(fs, i);
        TRY(emit_op16(p, cap ? OP_put_loc_ref : OP_put_loc, i - fs->nparams));
    }
    for (uint32_t i = 0; i < fs->nhoist; i++) {
        ujs_value name = vals(&fs->hoist)[2 * i];
        ujs_value fidx = vals(&fs->hoist)[2 * i + 1];
        need = true;
        if (fs->toplevel) {
            if (fidx == V_UNDEFINED) {
                TRY(emit_atom_op(p, OP_define_var, name));
            } else {
                TRY(emit_op16(p, OP_fclosure, (uint32_t)v_int(fidx)));
                TRY(emit_atom_op(p, OP_define_func, vals(&fs->hoist)[2 * i]));
            }
        } else {
            TRY(emit_op16(p, OP_fclosure, (uint32_t)v_int(fidx)));
            int idx = var_find(fs, vals(&fs->hoist)[2 * i]);
            TRY(emit_var_op(p, R_LOCAL, idx, 1, V_UNDEFINED));
            c = code(fs);
            if (var_captured(fs, (uint32_t)idx)) c[fs->last_op] += OP_get_loc_ref - OP_get_loc;
        }
    }
    c = code(fs);
    if (need) {
        TRY(emit_jump_to(p, OP_jmp, 5));
        c = code(fs);
        wr32(c + 1, start - 5);
    } else {
        wr32(c + 1, 0);
    }
    /* the funcbc */
    uint32_t cv_bytes = 2 * fs->ncvars;
    uword bytes = fs->code_len + cv_bytes + fs->lines_len;
    uword words = (sizeof(funcbc) + bytes + WSIZE - 1) / WSIZE;
    funcbc *f = heap_alloc(p->ctx, words, T_FUNCBC);
    if (!f) {
        throw_oom(p->ctx);
        return -1;
    }
    fs = p->fs;
    f->cpool = V_NULL;
    if (fs->ncp) {
        ujs_ref fr;
        ujs_push_ref(p->ctx, &fr, (ujs_value)f);
        ujs_value *cp = heap_alloc(p->ctx, 1 + fs->ncp, T_VALARR);
        f = (funcbc *)fr.val;
        ujs_pop_ref(p->ctx, &fr);
        if (!cp) {
            throw_oom(p->ctx);
            return -1;
        }
        memcpy(cp + 1, vals(&fs->cpool), fs->ncp * WSIZE);
        f->cpool = (ujs_value)cp;
    }
    f->name = fs->name.val;
    f->filename = p->filename.val;
    uint32_t nlocals = fs->nvars - fs->nparams;
    f->nparams_nvars = fs->nparams | (uword)nlocals << 16;
    f->stack_size_flags = (uword)(fs->maxdepth + 4) | (fs->toplevel ? FBF_TOPLEVEL : 0) |
                          (fs->arguments_idx >= 0 ? FBF_ARGUMENTS : 0);
    f->code_len = fs->code_len;
    f->lines_len = fs->lines_len;
    f->ncvar = fs->ncvars;
    f->line0 = 0;
    uint8_t *d = (uint8_t *)(f + 1);
    memcpy(d, code(fs), fs->code_len);
    for (uint32_t i = 0; i < fs->ncvars; i++) {
        uint32_t desc = (uint32_t)v_int(vals(&fs->cvars)[2 * i + 1]);
        d[fs->code_len + 2 * i] = (uint8_t)desc;
        d[fs->code_len + 2 * i + 1] = (uint8_t)(desc >> 8);
    }
    if (fs->lines_len)
        memcpy(d + fs->code_len + cv_bytes, bytes_data((bytesblk *)fs->lines.val), fs->lines_len);
    *out = (ujs_value)f;
    return 0;
}

/* method: 0 for `function`, 1 for a getter, 2 for a setter in an object literal */
static int parse_function(parser *p, bool is_decl, int method, ujs_value *name_out)
{
    bool is_method = method != 0;
    TRY(enter(p));
    if (!is_method) TRY(next(p)); /* 'function' */
    ujs_value name = V_UNDEFINED;
    if (!is_method && is_ident(p)) {
        name = ident_atom(p);
        if (name == V_EXCEPTION) return -1;
        if (name == A(eval) || name == A(arguments)) return perr(p, "invalid function name");
        ujs_ref nr;
        ujs_push_ref(p->ctx, &nr, name);
        int r0 = next(p);
        name = nr.val;
        ujs_pop_ref(p->ctx, &nr);
        TRY(r0);
    } else if (is_decl) {
        return perr(p, "expected a function name");
    }
    fstate fs;
    fs_init(p, &fs, false);
    fs.name.val = name; /* fs_init allocated nothing: name is still valid */
    int r = expect(p, '(', "'('");
    while (r == 0 && p->tok.type != ')') {
        if (!is_ident(p)) {
            r = perr(p, "expected a parameter name");
            break;
        }
        ujs_value a = ident_atom(p);
        if (a == V_EXCEPTION || a == A(eval) || a == A(arguments)) {
            r = a == V_EXCEPTION ? -1 : perr(p, "invalid parameter name");
            break;
        }
        if (var_find(&fs, a) >= 0) {
            r = perr(p, "duplicate parameter name");
            break;
        }
        if ((r = var_add(p, &fs, a, 0)) < 0) break;
        r = 0;
        fs.nparams++;
        if ((r = next(p))) break;
        if (p->tok.type == '=') {
            r = perr(p, "default parameters are not supported yet");
            break;
        }
        if (p->tok.type != ')') r = expect(p, ',', "',' or ')'");
    }
    if (r == 0 && method == 1 && fs.nparams != 0) r = perr(p, "a getter takes no parameters");
    if (r == 0 && method == 2 && fs.nparams != 1) r = perr(p, "a setter takes one parameter");
    if (r == 0) r = next(p);
    if (r == 0) r = expect(p, '{', "'{'");
    /* a named function expression sees its own name (unless shadowed) */
    if (r == 0 && !is_decl && name != V_UNDEFINED) {
        /* bound as a hidden local initialised from the callee */
        int idx = var_add(p, &fs, name, VF_CONST);
        if (idx < 0) r = -1;
        if (r == 0) r = prescan(p, false);
        if (r == 0) {
            /* emit after prescan so a var of the same name wins */
            uint8_t jmp[5] = {OP_jmp, 0, 0, 0, 0};
            r = emit_bytes(p, jmp, 5);
            if (r == 0) r = emit_op(p, OP_push_callee);
            if (r == 0) r = emit_var_op(p, R_LOCAL, idx, 1, V_UNDEFINED);
        }
    } else if (r == 0) {
        r = prescan(p, false);
        if (r == 0) {
            uint8_t jmp[5] = {OP_jmp, 0, 0, 0, 0};
            r = emit_bytes(p, jmp, 5);
        }
    }
    while (r == 0 && p->tok.type != '}') {
        if (p->tok.type == TOK_EOF) {
            r = perr(p, "expected '}'");
            break;
        }
        r = parse_statement(p);
    }
    if (r == 0) r = emit_op(p, OP_return_undef);
    ujs_value fb = V_UNDEFINED;
    if (r == 0) r = finish_function(p, &fb);
    fs_release(p, &fs);
    TRY(r);
    uint32_t idx;
    TRY(cpool_add(p, fb, &idx));
    fstate *pf = p->fs;
    /* the name moved while the body compiled: the funcbc holds the live one */
    name = ((funcbc *)vals(&pf->cpool)[idx])->name;
    if (is_decl) {
        /* hoisted: (name, funcbc index) for the prologue; the pre-scan may
         * have missed the declaration (e.g. after a statement without `;`) */
        ujs_ref nr0;
        ujs_push_ref(p->ctx, &nr0, name);
        r = declare_var(p, pf, name);
        name = nr0.val;
        ujs_pop_ref(p->ctx, &nr0);
        TRY(r);
        bool found = false;
        for (uint32_t i = 0; i < pf->nhoist; i++)
            if (vals(&pf->hoist)[2 * i] == name) {
                vals(&pf->hoist)[2 * i + 1] = v_mkint((int32_t)idx);
                found = true;
            }
        if (!found) {
            ujs_ref nr;
            ujs_push_ref(p->ctx, &nr, name);
            r = vals_reserve(p, &pf->hoist, 2 * pf->nhoist, 2);
            name = nr.val;
            ujs_pop_ref(p->ctx, &nr);
            TRY(r);
            vals(&pf->hoist)[2 * pf->nhoist] = name;
            vals(&pf->hoist)[2 * pf->nhoist + 1] = v_mkint((int32_t)idx);
            pf->nhoist++;
        }
        if (name_out) *name_out = name;
    } else {
        TRY(emit_op16(p, OP_fclosure, idx));
    }
    p->nest--;
    return next(p);
}

int compile_script(ujs_ctx *ctx, const char *src, size_t len, const char *filename, ujs_value *fn)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.lx.ctx = ctx;
    p.lx.src = p.lx.p = p.lx.line_start = src;
    p.lx.end = src + len;
    p.lx.line = 1;
    p.lx.filename = filename;
    ujs_push_ref(ctx, &p.filename, V_UNDEFINED);
    ujs_push_ref(ctx, &p.pending_label, V_UNDEFINED);
    ujs_push_ref(ctx, &p.lx.atom_ref, V_UNDEFINED);
    fstate fs;
    fs_init(&p, &fs, true);
    int r = 0;
    ujs_value fa = atom_from_cstr(ctx, filename);
    if (fa == V_EXCEPTION) r = -1;
    p.filename.val = fa;
    if (r == 0) r = next(&p);
    if (r == 0) r = prescan(&p, true);
    if (r == 0) {
        uint8_t jmp[5] = {OP_jmp, 0, 0, 0, 0};
        r = emit_bytes(&p, jmp, 5);
    }
    while (r == 0 && p.tok.type != TOK_EOF) r = parse_statement(&p);
    if (r == 0) r = emit_op(&p, OP_return_undef);
    ujs_value fb = V_UNDEFINED;
    if (r == 0) r = finish_function(&p, &fb);
    fs_release(&p, &fs);
    ujs_pop_ref(ctx, &p.lx.atom_ref);
    ujs_pop_ref(ctx, &p.pending_label);
    ujs_pop_ref(ctx, &p.filename);
    if (r) return -1;
    *fn = fb;
    return 0;
}
