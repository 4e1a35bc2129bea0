/*
 * Statements: declarations, blocks, if/loops/switch, break/continue through
 * the block stack, try/catch/finally with gosub/ret, and the for-loop
 * layout that moves the condition after the body (cut_code/paste_code).
 */
#include "compiler.h"

/* ---- statements ---- */

static int consume_semi(parser *p)
{
    if (p->tok.type == ';') return advance(p);
    if (p->tok.type == '}' || p->tok.type == TOK_EOF || p->tok.nl_before) return 0;
    return syntax_error(p, "expected ';'");
}

/* Statement-level expression: drop its value (turning set_x into put_x).
 * Not when a jump lands after the last instruction (`c ? o.x = 1 : y = 2;`):
 * the value it brings must be dropped too. */
static int emit_drop_value(parser *p)
{
    fstate *fs = p->fs;
    uint8_t *c = code(fs);
    if (fs->last_label == (int)fs->code_len) return emit_op(p, OP_drop);
    if (fs->last_op >= 0 && (uint32_t)fs->last_op + 3 == fs->code_len &&
        c[fs->last_op] == OP_put_field) {
        c[fs->last_op] = OP_put_field_drop;
        adjust_depth(fs, -1);
        return 0;
    }
    if (fs->last_op >= 0 && (uint32_t)fs->last_op + 1 == fs->code_len &&
        c[fs->last_op] == OP_put_elem) {
        c[fs->last_op] = OP_put_elem_drop;
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
        if (!tok_is_ident(p)) return syntax_error(p, "expected a variable name");
        ujs_value atom = tok_ident_atom(p);
        if (atom == V_EXCEPTION) return -1;
        if (atom == A(arguments) || atom == A(eval))
            return syntax_error(p, "cannot declare 'arguments' or 'eval' in strict mode");
        ujs_ref ar;
        ujs_push_ref(p->ctx, &ar, atom);
        int r = declare_var(p, p->fs, atom);
        if (r == 0) r = advance(p);
        if (last_atom) *last_atom = ar.val; /* callers root it before allocating */
        if (r == 0 && p->tok.type == '=') {
            r = advance(p);
            int idx = 0, kind = 0;
            if (r == 0) r = parse_assign(p, no_in);
            if (r == 0) r = kind = resolve_name(p, ar.val, &idx);
            if (r >= 0) r = emit_var_op(p, kind, idx, 1, ar.val);
        }
        ujs_pop_ref(p->ctx, &ar);
        TRY(r);
        if (p->tok.type != ',') return 0;
        TRY(advance(p));
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

/* `return c ? a : b`: the then-branch returns itself instead of jumping
 * to the return (its 5-byte jmp becomes a 1-byte return, or with the
 * push_i8 before it a return_i8, and the else-branch moves down 4 or 5
 * bytes). Only jumps of the conditional's own expression can cross the
 * moved code: its else jump (fixed here); the others stay within a branch
 * or end at the return, which moves with it. */
static void return_both_branches(parser *p)
{
    fstate *fs = p->fs;
    uint8_t *c = code(fs);
    uint32_t j = (uint32_t)fs->cond_jmp, end = fs->code_len, shrink = 4;
    if (fs->cond_then_push >= 0 && (uint32_t)fs->cond_then_push + 2 == j) {
        c[fs->cond_then_push] = OP_return_i8;
        shrink = 5;
        memmove(c + j, c + j + 5, end - (j + 5));
    } else {
        c[j] = OP_return;
        memmove(c + j + 1, c + j + 5, end - (j + 5));
    }
    fs->code_len -= shrink;
    uint8_t *e = c + fs->cond_else;
    wr32(e, rd32(e) - shrink);
    if (fs->lines_len) {
        uint8_t *lt = bytes_data((bytesblk *)fs->lines.val);
        for (uint32_t i = 0; i < fs->lines_len; i += 8)
            if (rd32(lt + i) > j) wr32(lt + i, rd32(lt + i) - shrink);
    }
    /* the then-branch no longer jumps to the end: another jump may */
    if (!fs->cond_end_label && fs->last_label == (int)end) fs->last_label = -1;
    if (fs->last_label > (int)j) fs->last_label -= (int)shrink;
    if (fs->last_op > (int)j) fs->last_op -= (int)shrink;
    fs->cond_end = -1;
}

/* `push_i8 k; return` -> `return_i8 k`, unless a jump lands on the return */
static int emit_return_value(parser *p)
{
    fstate *fs = p->fs;
    if (fs->last_op >= 0 && (uint32_t)fs->last_op + 2 == fs->code_len &&
        code(fs)[fs->last_op] == OP_push_i8 && fs->last_label != (int)fs->code_len) {
        code(fs)[fs->last_op] = OP_return_i8;
        adjust_depth(fs, -1);
        return 0;
    }
    return emit_op(p, OP_return);
}

static int parse_break_continue(parser *p, bool is_break)
{
    TRY(advance(p));
    ujs_ref lr;
    ujs_push_ref(p->ctx, &lr, V_UNDEFINED);
    if (tok_is_ident(p) && !p->tok.nl_before) {
        lr.val = tok_ident_atom(p);
        if (lr.val == V_EXCEPTION || advance(p)) {
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
    if (!b)
        return syntax_error(p, is_break ? "break outside a loop or switch"
                                        : "continue outside a loop");
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
    TRY(expect_token(p, '{', "'{'"));
    while (p->tok.type != '}') {
        if (p->tok.type == TOK_EOF) return syntax_error(p, "expected '}'");
        TRY(parse_statement(p));
    }
    return advance(p);
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
        if (op == OP_jmp || op == OP_jtrue || op == OP_jfalse || op == OP_jcmp || op == OP_jseq ||
            op == OP_jsneq || op == OP_jcmp_i16 || op == OP_jseq_i16 || op == OP_jsneq_i16 ||
            op == OP_catch || op == OP_gosub || op == OP_for_next || op == OP_for_in_next)
            jumps = true;
    }
    fs->last_op = jumps || len == 0 ? -1 : (int)(fs->code_len + last);
    fs->code_len += len;
    return 0;
}

static int parse_for(parser *p, ujs_ref *label)
{
    fstate *fs = p->fs;
    TRY(advance(p));
    TRY(expect_token(p, '(', "'('"));
    /* for (var x in/of ...) / for (x in/of ...) */
    int kind = 0; /* 0: classic, 1: in, 2: of */
    ujs_value var_atom = V_UNDEFINED;
    uint32_t init_start = fs->code_len;
    if (p->tok.type == TOK_var) {
        TRY(advance(p));
        TRY(parse_var_decls(p, true, &var_atom));
        if (p->tok.type == TOK_in || p->tok.type == TOK_of) {
            kind = p->tok.type == TOK_in ? 1 : 2;
            if (fs->code_len != init_start)
                return syntax_error(p, "for-in/of variable may not have an initializer");
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
                TRY(advance(p));
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
                return syntax_error(p, "for-in/of over an indexed target is not supported yet");
            }
            if (ref_op == OP_get_field) {
                objlen = fs->code_len - init_start;
                if (objlen > sizeof objcode) {
                    ujs_pop_ref(p->ctx, &va);
                    return syntax_error(p, "for-in/of target expression too complex");
                }
                memcpy(objcode, code(fs) + init_start, objlen);
                fs->code_len = init_start;
                adjust_depth(fs, -1);
            }
        }
        r = advance(p);
        if (r == 0) r = kind == 2 ? parse_assign(p, false) : parse_expression(p, false);
        if (r == 0) r = expect_token(p, ')', "')'");
        if (r == 0) r = emit_op(p, kind == 1 ? OP_for_in_start : OP_for_of_start);
        block b;
        push_block(p, &b, B_LOOP, kind == 1 ? 3 : 2, label->val);
        int top = (int)fs->code_len;
        b.cont_target = top;
        int end_chain = -1;
        if (r == 0) r = emit_jump(p, kind == 1 ? OP_for_in_next : OP_for_next, &end_chain);
        if (r == 0) {
            if (var_atom != V_UNDEFINED) {
                int idx, k = resolve_name(p, va.val, &idx);
                r = k < 0 ? -1 : emit_var_op(p, k, idx, 1, va.val);
            } else if (ref_op == OP_get_field) {
                r = emit_bytes(p, objcode, objlen);
                adjust_depth(fs, 1);
                if (r == 0) r = emit_op(p, OP_swap);
                if (r == 0) r = emit_raw16(p, OP_put_field_drop, operand);
            } else {
                r = emit_raw16(p, put_op_for(ref_op, false), operand);
            }
        }
        if (r == 0) r = parse_loop_body(p, &b);
        if (r == 0) r = emit_jump_to(p, OP_jmp, top);
        pop_block(p);
        ujs_pop_ref(p->ctx, &va); /* after the block's label ref: refs are LIFO */
        TRY(r);
        patch_chain(p, end_chain, (int)fs->code_len);
        patch_chain(p, b.break_chain, (int)fs->code_len);
        if (kind == 1) TRY(emit_op(p, OP_drop));
        TRY(emit_op(p, OP_drop));
        return emit_op(p, OP_drop);
    }
    TRY(expect_token(p, ';', "';'"));
    /* Layout: jmp cond; body: BODY; cont: UPDATE; cond: COND; jtrue body.
     * COND and UPDATE are compiled where they appear, cut out into heap
     * buffers and pasted after the body: their code only jumps within
     * itself (relative offsets), so it moves as a block. One jump per
     * iteration instead of three. */
    ujs_ref cond_code, upd;
    ujs_push_ref(p->ctx, &cond_code, V_UNDEFINED);
    ujs_push_ref(p->ctx, &upd, V_UNDEFINED);
    uint32_t clen = 0, ulen = 0;
    int r = 0, cond_chain = -1;
    block b;
    bool pushed = false;
    cond c = {-1, -1, -1};
    uint32_t cfrom = fs->code_len;
    if (p->tok.type != ';') {
        uint32_t lmark = fs->lines_len;
        r = parse_cond(p, &c);
        if (r == 0) {
            /* jump back to the body while true, leave the loop when false */
            cond_invert_last(p, &c);
            patch_chain(p, c.f, (int)fs->code_len);
            r = cut_code(p, cfrom, lmark, &cond_code, &clen);
        }
    }
    if (r == 0) r = expect_token(p, ';', "';'");
    if (r == 0 && p->tok.type != ')') {
        uint32_t from = fs->code_len, lmark = fs->lines_len;
        r = parse_expression(p, false);
        if (r == 0) r = emit_drop_value(p);
        if (r == 0) r = cut_code(p, from, lmark, &upd, &ulen);
    }
    if (r == 0) r = expect_token(p, ')', "')'");
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
            int at = (int)fs->code_len;
            r = paste_code(p, &cond_code, clen);
            if (r == 0) patch_moved_chain(p, c.t, at - (int)cfrom, body);
        } else {
            r = emit_jump_to(p, OP_jmp, body);
        }
    }
    if (pushed) pop_block(p);
    ujs_pop_ref(p->ctx, &upd);
    ujs_pop_ref(p->ctx, &cond_code);
    TRY(r);
    patch_chain(p, b.break_chain, (int)fs->code_len);
    return 0;
}

static int parse_try(parser *p)
{
    fstate *fs = p->fs;
    TRY(advance(p));
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
        TRY(advance(p));
        TRY(expect_token(p, '(', "'('"));
        if (!tok_is_ident(p)) return syntax_error(p, "expected an identifier");
        ujs_value name = tok_ident_atom(p);
        if (name == V_EXCEPTION) return -1;
        int idx = var_add(p, fs, name, VF_HIDDEN); /* visible only through its scope */
        TRY(idx);
        TRY(advance(p));
        TRY(expect_token(p, ')', "')'"));
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
        TRY(advance(p));
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
        if (!has_catch) return syntax_error(p, "expected 'catch' or 'finally'");
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
    TRY(advance(p));
    TRY(expect_token(p, '(', "'('"));
    TRY(parse_expression(p, false));
    TRY(expect_token(p, ')', "')'"));
    TRY(expect_token(p, '{', "'{'"));
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
            if ((r = advance(p)) || (r = emit_op(p, OP_dup)) || (r = parse_expression(p, false)) ||
                (r = expect_token(p, ':', "':'")) || (r = emit_op(p, OP_seq)) ||
                (r = emit_jump(p, OP_jfalse, &test_chain)))
                break;
            patch_chain(p, body_chain, (int)fs->code_len);
            body_chain = -1;
        } else if (p->tok.type == TOK_default) {
            if (default_pos >= 0) {
                r = syntax_error(p, "duplicate default clause");
                break;
            }
            if ((r = advance(p)) || (r = expect_token(p, ':', "':'"))) break;
            if (any_body) {
                /* fall through into default */
            }
            patch_chain(p, body_chain, (int)fs->code_len);
            body_chain = -1;
            default_pos = (int)fs->code_len;
        } else if (p->tok.type == TOK_EOF) {
            r = syntax_error(p, "expected '}'");
            break;
        } else {
            if (!any_body && default_pos < 0 && test_chain == -1) {
                r = syntax_error(p, "expected 'case' or 'default'");
                break;
            }
            any_body = true;
            r = parse_statement(p);
        }
    }
    pop_block(p);
    TRY(r);
    TRY(advance(p));
    TRY(emit_jump(p, OP_jmp, &b.break_chain));
    patch_chain(p, test_chain, (int)fs->code_len);
    if (default_pos >= 0) TRY(emit_jump_to(p, OP_jmp, default_pos));
    patch_chain(p, body_chain, (int)fs->code_len);
    patch_chain(p, b.break_chain, (int)fs->code_len);
    return emit_op(p, OP_drop);
}

int parse_statement(parser *p)
{
    fstate *fs = p->fs;
    TRY(enter_nest(p));
    TRY(emit_line(p));
    int t = p->tok.type;
    ujs_ref lref;
    ujs_push_ref(p->ctx, &lref, p->pending_label.val);
    p->pending_label.val = V_UNDEFINED;
    int r = 0;
    switch (t) {
    case '{': r = parse_block_body(p); break;
    case ';': r = advance(p); break;
    case TOK_var:
        r = advance(p);
        if (r == 0) r = parse_var_decls(p, false, NULL);
        if (r == 0) r = consume_semi(p);
        break;
    case TOK_if: {
        cond c;
        int end_chain = -1;
        if ((r = advance(p)) || (r = expect_token(p, '(', "'('")) || (r = parse_cond(p, &c)) ||
            (r = expect_token(p, ')', "')'")))
            break;
        patch_chain(p, c.t, (int)fs->code_len);
        int else_chain = c.f;
        if ((r = parse_statement(p))) break;
        if (p->tok.type == TOK_else) {
            if ((r = emit_jump(p, OP_jmp, &end_chain)) || (r = advance(p))) break;
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
        cond c;
        int top = (int)fs->code_len;
        if ((r = advance(p)) || (r = expect_token(p, '(', "'('")) || (r = parse_cond(p, &c)) ||
            (r = expect_token(p, ')', "')'")))
            break;
        patch_chain(p, c.t, (int)fs->code_len);
        int end_chain = c.f;
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
        if ((r = advance(p))) break;
        push_block(p, &b, B_LOOP, 0, lref.val);
        r = parse_loop_body(p, &b);
        pop_block(p);
        if (r) break;
        patch_chain(p, b.cont_chain, (int)fs->code_len);
        cond c;
        if ((r = expect_token(p, TOK_while, "'while'")) || (r = expect_token(p, '(', "'('")) ||
            (r = parse_cond(p, &c)) || (r = expect_token(p, ')', "')'")))
            break;
        cond_invert_last(p, &c); /* jump back while true */
        patch_chain(p, c.t, top);
        patch_chain(p, c.f, (int)fs->code_len);
        patch_chain(p, b.break_chain, (int)fs->code_len);
        if (p->tok.type == ';') r = advance(p);
        break;
    }
    case TOK_for: r = parse_for(p, &lref); break;
    case TOK_continue: r = parse_break_continue(p, false); break;
    case TOK_break: r = parse_break_continue(p, true); break;
    case TOK_return: {
        if (fs->toplevel) {
            r = syntax_error(p, "return outside a function");
            break;
        }
        if ((r = advance(p))) break;
        bool has_value =
            p->tok.type != ';' && p->tok.type != '}' && !p->tok.nl_before && p->tok.type != TOK_EOF;
        bool crosses_finally = false;
        for (block *b = fs->blocks; b; b = b->prev)
            if (b->finally_chain && *b->finally_chain != -2) crosses_finally = true;
        fs->cond_end = -1;
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
            if (has_value && fs->cond_end == (int)fs->code_len) return_both_branches(p);
            r = has_value ? emit_return_value(p) : emit_op(p, OP_return_undef);
        }
        if (r == 0) r = consume_semi(p);
        break;
    }
    case TOK_throw:
        if ((r = advance(p))) break;
        if (p->tok.nl_before) {
            r = syntax_error(p, "newline after throw");
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
        r = advance(p);
        if (r == 0) r = consume_semi(p);
        break;
    case TOK_with: r = syntax_error(p, "'with' is not allowed in strict mode"); break;
    default:
        if (tok_is_ident(p)) {
            /* label? (tok_ident_atom makes the token's atom the mark's) */
            if (tok_ident_atom(p) == V_EXCEPTION) return -1;
            lex_mark m;
            mark_set(p, &m);
            r = advance(p);
            if (r == 0 && p->tok.type == ':') {
                r = advance(p);
                int nt = p->tok.type;
                if (r == 0 &&
                    (nt == TOK_for || nt == TOK_while || nt == TOK_do || nt == TOK_switch)) {
                    p->pending_label.val = m.atom.val;
                    r = parse_statement(p);
                } else if (r == 0) {
                    block b;
                    push_block(p, &b, B_LABEL, 0, m.atom.val);
                    r = parse_statement(p);
                    pop_block(p);
                    patch_chain(p, b.break_chain, (int)fs->code_len);
                }
                mark_drop(p, &m);
                break;
            }
            mark_rewind(p, &m); /* not a label: back to the identifier */
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
