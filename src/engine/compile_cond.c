/*
 * Conditions compiled to jumps: the tests of if, while, do-while and for.
 * `&&`, `||`, `!` and parenthesized groups of them branch directly instead
 * of making a value (no dup/drop, no boolean), and the comparisons at their
 * leaves fuse with the branch (jcmp, jseq, jsneq).
 *
 * A compiled condition falls through when true and leaves two jump chains,
 * its true and false exits. Its last instruction is always the conditional
 * jump of its last leaf, at the head of the false chain. That jump can be
 * inverted in place (jfalse/jtrue, jseq/jsneq, jcmp's sense bit), which is
 * how `||` and `!` turn a condition around without emitting anything.
 */
#include "compiler.h"

static void flip_jump(parser *p, int jop)
{
    uint8_t *op = code(p->fs) + jop;
    switch (*op) {
    case OP_jfalse: *op = OP_jtrue; break;
    case OP_jtrue: *op = OP_jfalse; break;
    case OP_jseq: *op = OP_jsneq; break;
    case OP_jsneq: *op = OP_jseq; break;
    case OP_jseq_i16: *op = OP_jsneq_i16; break;
    case OP_jsneq_i16: *op = OP_jseq_i16; break;
    case OP_jcmp:
    case OP_jcmp_i16: op[1] ^= 0x80; break;
    default: break;
    }
}

void cond_invert_last(parser *p, cond *c)
{
    flip_jump(p, c->jop);
    uint8_t *b = code(p->fs);
    int rest = (int)rd32(b + c->f);
    wr32(b + c->f, (uint32_t)c->t);
    c->t = c->f;
    c->f = rest;
}

/* !c: the same code with its exits swapped and its last jump inverted. */
static void cond_negate(parser *p, cond *c)
{
    cond_invert_last(p, c);
    int t = c->t;
    c->t = c->f;
    c->f = t;
}

/* Chain a followed by chain b (a keeps its head). */
static int chain_join(parser *p, int a, int b)
{
    if (a == -1) return b;
    uint8_t *c = code(p->fs);
    int x = a;
    while ((int)rd32(c + x) != -1) x = (int)rd32(c + x);
    wr32(c + x, (uint32_t)b);
    return a;
}

/* The value on the stack is a leaf: jump to the false exit unless it is
 * truthy (falsy when `negated`). */
static int leaf_jump(parser *p, bool negated, cond *c)
{
    c->t = c->f = -1;
    TRY(emit_jump(p, negated ? OP_jtrue : OP_jfalse, &c->f));
    c->jop = p->fs->last_op;
    return 0;
}

/* Tokens that end an operand of && / || in a condition. */
static bool ends_operand(int t)
{
    return t == TOK_AND || t == TOK_OR || t == ')' || t == '?' || t == ';' || t == ',';
}

/* Whether the parenthesized group at the current token is a whole operand
 * of && / || / ! (it is followed by one of ends_operand): only then may it
 * compile to jumps, as `(a || b).x` needs its value. Scans ahead to the
 * matching ')' and rewinds, as the label lookahead does. */
static int paren_is_cond(parser *p)
{
    lex_mark m;
    mark_set(p, &m);
    int depth = 0, r = 0;
    for (;;) {
        int t = p->tok.type;
        if (t == '(' || t == '[' || t == '{') depth++;
        if (t == ')' || t == ']' || t == '}') depth--;
        if (t == TOK_EOF || depth < 0) break;
        if ((r = advance(p)) < 0) break;
        if (depth == 0) {
            r = ends_operand(p->tok.type);
            break;
        }
    }
    mark_rewind(p, &m);
    return r;
}

/* An operand of && / ||: `!`s, then a parenthesized condition or a value.
 * `top`: it starts an assignment expression, so `x = e` may follow. */
static int cond_operand(parser *p, bool top, cond *c)
{
    TRY(enter_nest(p));
    int nots = 0;
    while (p->tok.type == '!') {
        if (++nots > MAX_NEST) return syntax_error(p, "nesting too deep");
        TRY(advance(p));
    }
    if (p->tok.type == '(') {
        int g = paren_is_cond(p);
        TRY(g);
        if (g) {
            TRY(advance(p));
            TRY(parse_cond(p, c));
            TRY(expect_token(p, ')', "')'"));
            if (nots & 1) cond_negate(p, c);
            p->nest--;
            return 0;
        }
    }
    bool ref;
    TRY(parse_unary(p, &ref));
    if (nots && ends_operand(p->tok.type)) {
        TRY(leaf_jump(p, nots & 1, c));
        p->nest--;
        return 0;
    }
    for (int i = 0; i < nots; i++) TRY(emit_op(p, OP_not));
    if (nots) ref = false;
    TRY(parse_binary_rest(p, 3, false, &ref)); /* operators above && */
    TRY(parse_assign_tail(p, false, top && ref));
    TRY(leaf_jump(p, false, c));
    p->nest--;
    return 0;
}

static int cond_and(parser *p, bool top, cond *c)
{
    TRY(cond_operand(p, top, c));
    while (p->tok.type == TOK_AND) {
        TRY(advance(p));
        patch_chain(p, c->t, (int)p->fs->code_len);
        cond r;
        TRY(cond_operand(p, false, &r));
        c->f = chain_join(p, r.f, c->f);
        c->t = r.t;
        c->jop = r.jop;
    }
    return 0;
}

static int cond_or(parser *p, bool top, cond *c)
{
    TRY(cond_and(p, top, c));
    while (p->tok.type == TOK_OR) {
        TRY(advance(p));
        cond_invert_last(p, c);
        patch_chain(p, c->f, (int)p->fs->code_len);
        cond r;
        TRY(cond_and(p, false, &r));
        c->t = chain_join(p, r.t, c->t);
        c->f = r.f;
        c->jop = r.jop;
    }
    return 0;
}

/* An assignment expression: a condition, or `cond ? a : b` tested as a
 * value. */
static int cond_assign(parser *p, cond *c)
{
    TRY(cond_or(p, true, c));
    if (p->tok.type != '?') return 0;
    TRY(advance(p));
    fstate *fs = p->fs;
    patch_chain(p, c->t, (int)fs->code_len);
    int end_chain = -1;
    TRY(parse_assign(p, false));
    TRY(emit_jump(p, OP_jmp, &end_chain));
    adjust_depth(fs, -1);
    patch_chain(p, c->f, (int)fs->code_len);
    TRY(expect_token(p, ':', "':'"));
    TRY(parse_assign(p, false));
    patch_chain(p, end_chain, (int)fs->code_len);
    return leaf_jump(p, false, c);
}

/* An expression: the parts before a comma run for their effects only. */
int parse_cond(parser *p, cond *c)
{
    TRY(enter_nest(p));
    TRY(cond_assign(p, c));
    while (p->tok.type == ',') {
        TRY(advance(p));
        patch_chain(p, c->t, (int)p->fs->code_len);
        patch_chain(p, c->f, (int)p->fs->code_len);
        TRY(cond_assign(p, c));
    }
    p->nest--;
    return 0;
}
