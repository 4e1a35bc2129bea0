/*
 * The compiler's core: token helpers, name resolution and scopes, and
 * whole functions (pre-scan, prologue, finishing into a funcbc), with the
 * entry point compile_script. Shared state and the file split: compiler.h.
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
#include "compiler.h"

int syntax_error(parser *p, const char *msg)
{
    return lex_error(&p->lx, p->tok.line, p->tok.col, "%s", msg);
}

int advance(parser *p)
{
    return lex_next(&p->lx, &p->tok);
}

void mark_set(parser *p, lex_mark *m)
{
    m->tok = p->tok;
    m->p = p->lx.p;
    m->line_start = p->lx.line_start;
    m->line = p->lx.line;
    ujs_push_ref(p->ctx, &m->atom, p->lx.atom_ref.val);
}

void mark_rewind(parser *p, lex_mark *m)
{
    p->tok = m->tok;
    p->lx.p = m->p;
    p->lx.line_start = m->line_start;
    p->lx.line = m->line;
    p->lx.atom_ref.val = m->atom.val; /* the mark's token's atom, moved or not */
    ujs_pop_ref(p->ctx, &m->atom);
}

void mark_drop(parser *p, lex_mark *m)
{
    ujs_pop_ref(p->ctx, &m->atom);
}

int expect_token(parser *p, int t, const char *what)
{
    if (p->tok.type != t) {
        char msg[64];
        size_t n = strlen(what);
        if (n > 40) n = 40;
        memcpy(msg, "expected ", 9);
        memcpy(msg + 9, what, n);
        msg[9 + n] = 0;
        return syntax_error(p, msg);
    }
    return advance(p);
}

bool tok_is_ident(parser *p)
{
    int t = p->tok.type;
    return t == TOK_IDENT || t == TOK_of || t == TOK_get || t == TOK_set || t == TOK_static;
}

ujs_value tok_ident_atom(parser *p)
{
    return tok_name_atom(&p->lx, &p->tok);
}

/* ---- variables ---- */

static int var_find(fstate *fs, ujs_value atom)
{
    for (uint32_t i = 0; i < fs->nvars; i++)
        if (vals(&fs->vars)[2 * i] == atom && !(v_int(vals(&fs->vars)[2 * i + 1]) & VF_HIDDEN))
            return (int)i;
    return -1;
}

int var_add(parser *p, fstate *fs, ujs_value atom, int flags)
{
    if (fs->nvars >= MAX_LOCALS) return syntax_error(p, "too many local variables");
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

int declare_var(parser *p, fstate *fs, ujs_value atom)
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
        return syntax_error(p, "cannot declare 'arguments' or 'eval' in strict mode");
    if (var_find(fs, atom) >= 0) return 0;
    return var_add(p, fs, atom, 0) < 0 ? -1 : 0;
}

static int cvar_add(parser *p, fstate *fs, ujs_value atom, uint32_t desc)
{
    for (uint32_t i = 0; i < fs->ncvars; i++)
        if (vals(&fs->cvars)[2 * i] == atom) return (int)i;
    if (fs->ncvars >= MAX_LOCALS) return syntax_error(p, "too many closure variables");
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

int lookup_local(fstate *fs, ujs_value atom)
{
    for (scope *s = fs->scopes; s; s = s->prev)
        if (vals(&fs->vars)[2 * s->idx] == atom) return s->idx;
    return var_find(fs, atom);
}

/* Resolves a name from p->fs outward; sets *idx. Returns R_* or -1. */
int resolve_name(parser *p, ujs_value atom, int *idx)
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

int emit_var_op(parser *p, int kind, int idx, int which /* 0 get 1 put 2 set */, ujs_value atom)
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
            if ((r = advance(p))) break;
            if (tok_is_ident(p) && decl) {
                ujs_value a = tok_ident_atom(p);
                if (a == V_EXCEPTION || (r = declare_var(p, p->fs, a))) {
                    r = -1;
                    break;
                }
            }
            /* skip to the body and over it */
            while (p->tok.type != '{' && p->tok.type != TOK_EOF)
                if ((r = advance(p))) break;
            if (r) break;
            int d = 0;
            do {
                if (p->tok.type == '{') d++;
                if (p->tok.type == '}') d--;
                if (p->tok.type == TOK_EOF) break;
                if ((r = advance(p))) break;
            } while (d > 0);
            if (r) break;
            prev = '}';
            continue;
        }
        if (t == TOK_var) {
            if ((r = advance(p))) break;
            for (;;) {
                if (!tok_is_ident(p)) break;
                ujs_value a = tok_ident_atom(p);
                if (a == V_EXCEPTION || declare_var(p, p->fs, a)) {
                    r = -1;
                    break;
                }
                if ((r = advance(p))) break;
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
                    if ((r = advance(p))) break;
                }
                if (r || p->tok.type != ',') break;
                if ((r = advance(p))) break;
            }
            if (r) break;
            prev = TOK_IDENT;
            continue;
        }
        prev = t;
        if ((r = advance(p))) break;
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
    fs->prev_op = -1;
    fs->last_label = -1;
    fs->cond_end = -1;
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
        /* no prologue: drop the jump to it, so a call starts with the body
         * (jumps are relative; only the line table holds code offsets) */
        memmove(c, c + 5, fs->code_len - 5);
        fs->code_len -= 5;
        for (uint32_t i = 0; i + 8 <= fs->lines_len; i += 8) {
            uint8_t *t = bytes_data((bytesblk *)fs->lines.val) + i;
            uint32_t lpc = rd32(t);
            wr32(t, lpc >= 5 ? lpc - 5 : 0);
        }
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
int parse_function(parser *p, bool is_decl, int method, ujs_value *name_out)
{
    bool is_method = method != 0;
    TRY(enter_nest(p));
    if (!is_method) TRY(advance(p)); /* 'function' */
    ujs_value name = V_UNDEFINED;
    if (!is_method && tok_is_ident(p)) {
        name = tok_ident_atom(p);
        if (name == V_EXCEPTION) return -1;
        if (name == A(eval) || name == A(arguments))
            return syntax_error(p, "invalid function name");
        ujs_ref nr;
        ujs_push_ref(p->ctx, &nr, name);
        int r0 = advance(p);
        name = nr.val;
        ujs_pop_ref(p->ctx, &nr);
        TRY(r0);
    } else if (is_decl) {
        return syntax_error(p, "expected a function name");
    }
    fstate fs;
    fs_init(p, &fs, false);
    fs.name.val = name; /* fs_init allocated nothing: name is still valid */
    int r = expect_token(p, '(', "'('");
    while (r == 0 && p->tok.type != ')') {
        if (!tok_is_ident(p)) {
            r = syntax_error(p, "expected a parameter name");
            break;
        }
        ujs_value a = tok_ident_atom(p);
        if (a == V_EXCEPTION || a == A(eval) || a == A(arguments)) {
            r = a == V_EXCEPTION ? -1 : syntax_error(p, "invalid parameter name");
            break;
        }
        if (var_find(&fs, a) >= 0) {
            r = syntax_error(p, "duplicate parameter name");
            break;
        }
        if ((r = var_add(p, &fs, a, 0)) < 0) break;
        r = 0;
        fs.nparams++;
        if ((r = advance(p))) break;
        if (p->tok.type == '=') {
            r = syntax_error(p, "default parameters are not supported yet");
            break;
        }
        if (p->tok.type != ')') r = expect_token(p, ',', "',' or ')'");
    }
    if (r == 0 && method == 1 && fs.nparams != 0)
        r = syntax_error(p, "a getter takes no parameters");
    if (r == 0 && method == 2 && fs.nparams != 1)
        r = syntax_error(p, "a setter takes one parameter");
    if (r == 0) r = advance(p);
    if (r == 0) r = expect_token(p, '{', "'{'");
    /* a named function expression sees its own name (unless shadowed) */
    if (r == 0 && !is_decl && name != V_UNDEFINED) {
        /* bound as a hidden local initialised from the callee */
        int idx = var_add(p, &fs, fs.name.val, VF_CONST); /* name moved with the params */
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
            r = syntax_error(p, "expected '}'");
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
    return advance(p);
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
    if (r == 0) r = advance(&p);
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
