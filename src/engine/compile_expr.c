/*
 * Expressions: precedence climbing over the binary operators, unary and
 * postfix forms, calls, member access, literals and assignments. A
 * reference (x, o.p, o[k]) is compiled as a get and rewritten into the
 * matching put when an assignment follows (take_ref), which keeps the
 * parser single-pass.
 */
#include "compiler.h"

/* ---- expressions ---- */

static int unfuse(parser *p);

int enter_nest(parser *p)
{
    if (++p->nest > MAX_NEST) return syntax_error(p, "nesting too deep");
    return 0;
}

static int parse_args(parser *p, int *argc)
{
    TRY(advance(p)); /* ( */
    int n = 0;
    while (p->tok.type != ')') {
        TRY(parse_assign(p, false));
        if (++n > 255) return syntax_error(p, "too many arguments");
        if (p->tok.type != ')') TRY(expect_token(p, ',', "',' or ')'"));
    }
    TRY(advance(p));
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
    TRY(advance(p));
    TRY(emit_op(p, OP_new_object));
    while (p->tok.type != '}') {
        int kind = 0; /* 0 value, 1 getter, 2 setter */
        if ((p->tok.type == TOK_get || p->tok.type == TOK_set)) {
            int which = p->tok.type == TOK_get ? 1 : 2;
            token save = p->tok;
            TRY(advance(p));
            if (p->tok.type != ':' && p->tok.type != ',' && p->tok.type != '}' &&
                p->tok.type != '(') {
                kind = which;
            } else {
                /* a property named get/set: reuse the saved token as the name */
                ujs_ref ar;
                ujs_push_ref(p->ctx, &ar, tok_name_atom(&p->lx, &save));
                int r = ar.val == V_EXCEPTION ? -1 : expect_token(p, ':', "':'");
                if (r == 0) r = parse_assign(p, false);
                if (r == 0) r = emit_atom_op(p, OP_define_field, ar.val);
                ujs_pop_ref(p->ctx, &ar);
                TRY(r);
                if (p->tok.type != '}') TRY(expect_token(p, ',', "',' or '}'"));
                continue;
            }
        }
        ujs_value key;
        if (tok_is_ident_name(&p->tok) || p->tok.type == TOK_STRING) {
            key = p->tok.type == TOK_STRING ? p->lx.atom_ref.val : tok_ident_atom(p);
        } else if (p->tok.type == TOK_NUMBER) {
            char buf[40];
            size_t n = num_to_chars(p->tok.num, buf);
            strview sv = {(const uint8_t *)buf, (uint32_t)n, false};
            key = atom_from_view(p->ctx, &sv);
        } else {
            return syntax_error(p, "expected a property name");
        }
        if (key == V_EXCEPTION) return -1;
        ujs_ref kr;
        ujs_push_ref(p->ctx, &kr, key);
        int r = advance(p);
        if (r == 0) {
            if (kind) {
                r = parse_function(p, false, kind, NULL);
                if (r == 0)
                    r = emit_atom_op(p, kind == 1 ? OP_define_getter : OP_define_setter, kr.val);
            } else {
                r = expect_token(p, ':', "':'");
                if (r == 0) r = parse_assign(p, false);
                if (r == 0) r = emit_atom_op(p, OP_define_field, kr.val);
            }
        }
        ujs_pop_ref(p->ctx, &kr);
        TRY(r);
        if (p->tok.type != '}') TRY(expect_token(p, ',', "',' or '}'"));
    }
    return advance(p);
}

static int parse_array_literal(parser *p)
{
    TRY(advance(p));
    uint32_t n = 0;
    while (p->tok.type != ']') {
        if (p->tok.type == ',') return syntax_error(p, "array holes are not allowed");
        TRY(parse_assign(p, false));
        if (++n > 0xffff) return syntax_error(p, "array literal too large");
        if (p->tok.type != ']') TRY(expect_token(p, ',', "',' or ']'"));
    }
    TRY(advance(p));
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
    case TOK_NUMBER: TRY(emit_number(p, t->num)); return advance(p);
    case TOK_STRING: {
        uint32_t idx;
        TRY(cpool_add(p, p->lx.atom_ref.val, &idx));
        TRY(emit_op16(p, OP_push_const, idx));
        return advance(p);
    }
    case TOK_true: TRY(emit_op(p, OP_push_true)); return advance(p);
    case TOK_false: TRY(emit_op(p, OP_push_false)); return advance(p);
    case TOK_null: TRY(emit_op(p, OP_push_null)); return advance(p);
    case TOK_this: TRY(emit_op(p, OP_push_this)); return advance(p);
    case '(': {
        TRY(advance(p));
        TRY(enter_nest(p));
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
            TRY(advance(p));
            TRY(emit_op(p, OP_drop));
            TRY(parse_assign(p, false));
        }
        p->nest--;
        return expect_token(p, ')', "')'");
    }
    case '{': {
        TRY(enter_nest(p));
        TRY(parse_object_literal(p));
        p->nest--;
        return 0;
    }
    case '[': {
        TRY(enter_nest(p));
        TRY(parse_array_literal(p));
        p->nest--;
        return 0;
    }
    case TOK_function: return parse_function(p, false, 0, NULL);
    case '/': return syntax_error(p, "regular expressions are not supported yet");
    case TOK_with: return syntax_error(p, "'with' is not allowed in strict mode");
    case TOK_let:
    case TOK_const:
    case TOK_class: return syntax_error(p, "'let', 'const' and 'class' are not supported yet");
    default: break;
    }
    if (tok_is_ident(p)) {
        ujs_value atom = tok_ident_atom(p);
        if (atom == V_EXCEPTION) return -1;
        if (atom == A(eval)) return syntax_error(p, "eval is not supported");
        int idx;
        int kind = resolve_name(p, atom, &idx);
        TRY(kind);
        atom = p->lx.atom_ref.val; /* resolve may have moved it; the token keeps it rooted */
        TRY(emit_var_op(p, kind, idx, 0, atom));
        *ref = true;
        return advance(p);
    }
    if (t->type == TOK_EOF) return syntax_error(p, "unexpected end of input");
    return syntax_error(p, "unexpected token");
}

static int parse_postfix(parser *p, bool *ref)
{
    if (p->tok.type == TOK_new) {
        TRY(enter_nest(p));
        TRY(advance(p));
        bool r2;
        if (p->tok.type == TOK_new) {
            TRY(parse_postfix(p, &r2)); /* new new X()() : inner handles its own args */
        } else {
            TRY(parse_primary(p, &r2));
            for (;;) {
                if (p->tok.type == '.') {
                    TRY(advance(p));
                    if (!tok_is_ident_name(&p->tok))
                        return syntax_error(p, "expected a property name");
                    ujs_value a = tok_ident_atom(p);
                    if (a == V_EXCEPTION) return -1;
                    TRY(emit_atom_op(p, OP_get_field, a));
                    TRY(advance(p));
                } else if (p->tok.type == '[') {
                    TRY(advance(p));
                    TRY(parse_assign(p, false));
                    TRY(expect_token(p, ']', "']'"));
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
            TRY(advance(p));
            if (!tok_is_ident_name(&p->tok)) return syntax_error(p, "expected a property name");
            ujs_value a = tok_ident_atom(p);
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
            TRY(advance(p));
            *ref = true;
        } else if (p->tok.type == '[') {
            TRY(advance(p));
            TRY(enter_nest(p));
            TRY(parse_assign(p, false));
            p->nest--;
            TRY(expect_token(p, ']', "']'"));
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
            TRY(enter_nest(p));
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

int take_ref(parser *p, int *operand)
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

int put_op_for(int get_op, bool keep)
{
    switch (get_op) {
    case OP_get_loc: return keep ? OP_set_loc : OP_put_loc;
    case OP_get_arg: return keep ? OP_set_arg : OP_put_arg;
    case OP_get_cvar: return keep ? OP_set_cvar : OP_put_cvar;
    case OP_get_global: return keep ? OP_set_global : OP_put_global;
    default: return -1;
    }
}

int emit_raw16(parser *p, int op, int operand)
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
        return syntax_error(p, "cannot assign to 'arguments' in strict mode");
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
        return emit_raw16(p, post ? OP_put_field_drop : OP_put_field, operand);
    }
    if (op == OP_get_elem) {
        TRY(emit_op(p, OP_dup2));
        TRY(emit_op(p, OP_get_elem));
        TRY(emit_op(p, arith));
        if (post) TRY(emit_op(p, OP_perm4));
        return emit_op(p, post ? OP_put_elem_drop : OP_put_elem);
    }
    int put = put_op_for(op, !post);
    if (put < 0) return syntax_error(p, "invalid increment/decrement operand");
    TRY(emit_raw16(p, op, operand));
    TRY(emit_op(p, arith));
    if (is_const) TRY(emit_op(p, OP_throw_const));
    return emit_raw16(p, put, operand);
}

int parse_unary(parser *p, bool *ref)
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
        TRY(advance(p));
        TRY(enter_nest(p));
        bool r;
        TRY(parse_unary(p, &r));
        p->nest--;
        if (!r) return syntax_error(p, "invalid increment/decrement operand");
        *ref = false;
        return emit_incdec(p, t == TOK_INC, false);
    }
    default: break;
    }
    if (op >= 0) {
        TRY(advance(p));
        TRY(enter_nest(p));
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
                return syntax_error(p, "cannot delete an unqualified name in strict mode");
            }
            return emit_op(p, OP_delete_elem);
        }
        TRY(emit_op(p, op));
        if (t == TOK_void) TRY(emit_op(p, OP_push_undef));
        if (p->tok.type == TOK_POW)
            return syntax_error(p, "unary operator before ** needs parentheses");
        return 0;
    }
    TRY(parse_postfix(p, ref));
    if ((p->tok.type == TOK_INC || p->tok.type == TOK_DEC) && !p->tok.nl_before) {
        if (!*ref) return syntax_error(p, "invalid increment/decrement operand");
        bool inc = p->tok.type == TOK_INC;
        TRY(advance(p));
        *ref = false;
        return emit_incdec(p, inc, true);
    }
    return 0;
}

/* Emits the binary operator op whose right operand's code starts at rhs:
 * `push k; op` -> `op_i16 k` for the operators with such a form, when the
 * operand is that one push of an int16 constant (a jump landing on the push
 * lands on the fused instruction, which does the same). */
static int emit_binop(parser *p, int op, uint32_t rhs)
{
    fstate *fs = p->fs;
    int fused = op == OP_add    ? OP_add_i16
                : op == OP_band ? OP_band_i16
                : op == OP_bor  ? OP_bor_i16
                : op == OP_shl  ? OP_shl_i16
                : op == OP_sar  ? OP_sar_i16
                : op == OP_shr  ? OP_shr_i16
                                : -1;
    const uint8_t *c = code(fs) + rhs;
    int32_t k = 0;
    bool one_push = false;
    if (fused >= 0 && fs->last_op == (int)rhs) {
        if (c[0] == OP_push_i8 && rhs + 2 == fs->code_len) {
            k = (int8_t)c[1];
            one_push = true;
        } else if (c[0] == OP_push_i32 && rhs + 5 == fs->code_len) {
            k = (int32_t)rd32(c + 1);
            one_push = k >= -32768 && k <= 32767;
        }
    }
    if (!one_push) return emit_op(p, op);
    fs->code_len = rhs;
    adjust_depth(fs, -1);
    TRY(emit_op(p, fused));
    return emit_u16(p, (uint32_t)k & 0xffff);
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
    TRY(enter_nest(p));
    TRY(parse_unary(p, ref));
    TRY(parse_binary_rest(p, min_prec, no_in, ref));
    p->nest--;
    return 0;
}

/* The binary operators (of at least min_prec) after a unary expression. */
int parse_binary_rest(parser *p, int min_prec, bool no_in, bool *ref)
{
    for (;;) {
        int op;
        int prec = binop_prec(p->tok.type, no_in, &op);
        if (prec == 0 || prec < min_prec) break;
        *ref = false;
        TRY(advance(p));
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
        uint32_t rhs = p->fs->code_len;
        TRY(parse_binary(p, op == OP_pow ? prec : prec + 1, no_in, &r));
        TRY(emit_binop(p, op, rhs));
    }
    return 0;
}

int parse_conditional(parser *p, bool no_in, bool *ref)
{
    TRY(parse_binary(p, 1, no_in, ref));
    if (p->tok.type != '?') return 0;
    *ref = false;
    TRY(advance(p));
    int else_chain = -1, end_chain = -1;
    TRY(emit_jump(p, OP_jfalse, &else_chain));
    int else_op = else_chain;
    TRY(parse_assign(p, false));
    fstate *fs = p->fs;
    int then_push = fs->last_op >= 0 && (uint32_t)fs->last_op + 2 == fs->code_len &&
                            code(fs)[fs->last_op] == OP_push_i8 &&
                            fs->last_label != (int)fs->code_len
                        ? fs->last_op
                        : -1;
    TRY(emit_jump(p, OP_jmp, &end_chain));
    int jmp = end_chain - 1;
    adjust_depth(p->fs, -1);
    patch_chain(p, else_chain, (int)p->fs->code_len);
    TRY(expect_token(p, ':', "':'"));
    TRY(parse_assign(p, no_in));
    fs->cond_end_label = fs->last_label == (int)fs->code_len;
    patch_chain(p, end_chain, (int)fs->code_len);
    fs->cond_end = (int)fs->code_len;
    fs->cond_jmp = jmp;
    fs->cond_else = else_op;
    fs->cond_then_push = then_push;
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

int parse_assign(parser *p, bool no_in)
{
    TRY(enter_nest(p));
    bool ref;
    TRY(parse_conditional(p, no_in, &ref));
    TRY(parse_assign_tail(p, no_in, ref));
    p->nest--;
    return 0;
}

/* After a conditional expression: `= rhs` or `op= rhs` if one follows. */
int parse_assign_tail(parser *p, bool no_in, bool ref)
{
    int t = p->tok.type;
    if (t != '=' && t != TOK_ASSIGN_OP) return 0;
    if (!ref) return syntax_error(p, "invalid assignment target");
    int is_const = check_target(p);
    TRY(is_const);
    int binop = t == '=' ? -1 : tok_binop(p->tok.op);
    TRY(advance(p));
    int operand;
    int op = take_ref(p, &operand);
    if (op == OP_get_field) {
        if (binop >= 0) {
            TRY(emit_op(p, OP_dup));
            TRY(emit_raw16(p, OP_get_field, operand));
        }
        uint32_t rhs = p->fs->code_len;
        TRY(parse_assign(p, no_in));
        if (binop >= 0) TRY(emit_binop(p, binop, rhs));
        TRY(emit_raw16(p, OP_put_field, operand));
    } else if (op == OP_get_elem) {
        if (binop >= 0) {
            TRY(emit_op(p, OP_dup2));
            TRY(emit_op(p, OP_get_elem));
        }
        uint32_t rhs = p->fs->code_len;
        TRY(parse_assign(p, no_in));
        if (binop >= 0) TRY(emit_binop(p, binop, rhs));
        TRY(emit_op(p, OP_put_elem));
    } else {
        int put = put_op_for(op, true);
        if (put < 0) return syntax_error(p, "invalid assignment target");
        if (binop >= 0) TRY(emit_raw16(p, op, operand));
        uint32_t rhs = p->fs->code_len;
        TRY(parse_assign(p, no_in));
        if (binop >= 0) TRY(emit_binop(p, binop, rhs));
        if (is_const) TRY(emit_op(p, OP_throw_const));
        TRY(emit_raw16(p, put, operand));
    }
    return 0;
}

int parse_expression(parser *p, bool no_in)
{
    TRY(parse_assign(p, no_in));
    while (p->tok.type == ',') {
        TRY(advance(p));
        TRY(emit_op(p, OP_drop));
        TRY(parse_assign(p, no_in));
    }
    return 0;
}
