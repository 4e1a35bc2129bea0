/*
 * The compiler's shared state: parser, per-function state, blocks and
 * scopes, and the functions its files share. The compiler is a
 * recursive-descent parser that emits stack bytecode in one pass per
 * function; it is split by concern:
 *   compiler.c      tokens, names and scopes, functions, compile_script
 *   compile_emit.c  growable buffers, instruction emission, jumps, constants
 *   compile_expr.c  expressions (and the assignment/increment peepholes)
 *   compile_stmt.c  statements (loops, try/finally, switch, break/continue)
 *   compile_cond.c  conditions of if and loops, compiled to jumps
 * Recursion is bounded by MAX_NEST (a SyntaxError past it), so hostile
 * input cannot exhaust the C stack.
 */
#ifndef UJS_COMPILER_H
#define UJS_COMPILER_H

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

/* what a name resolves to (resolve_name) */
enum { R_LOCAL, R_CVAR, R_GLOBAL, R_ARGUMENTS };

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
    int prev_op;    /* the instruction before last_op, when they are adjacent */
    int last_label; /* code position most recently made a jump target */
    /* the conditional expression that ended last, for `return c ? a : b`:
     * where it ended, its `jmp` to the end, its else-branch jump's operand,
     * the then-branch's final push_i8 (or -1), and whether a jump of the
     * else-branch also lands at the end */
    int cond_end, cond_jmp, cond_else, cond_then_push;
    bool cond_end_label;
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

static inline ujs_value *vals(ujs_ref *r)
{
    return (ujs_value *)v_ptr(r->val) + 1;
}

static inline uint8_t *code(fstate *fs)
{
    return bytes_data((bytesblk *)fs->code.val);
}

static inline void adjust_depth(fstate *fs, int d)
{
    fs->depth += d;
    if (fs->depth > fs->maxdepth) fs->maxdepth = fs->depth;
}

static inline uint32_t rd32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline void wr32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t rd16(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8;
}

/* ---- compiler.c: tokens, names and scopes, functions ---- */
int syntax_error(parser *p, const char *msg);
int advance(parser *p);
/* A point in the source to come back to after looking ahead (labels,
 * parenthesized conditions): the current token, the lexer's position and
 * the token's atom, which stays rooted while the mark lives. Every mark_set
 * is ended by mark_rewind (back to the mark) or mark_drop (stay). */
typedef struct lex_mark {
    token tok;
    const char *p, *line_start;
    uint32_t line;
    ujs_ref atom;
} lex_mark;
void mark_set(parser *p, lex_mark *m);
void mark_rewind(parser *p, lex_mark *m);
void mark_drop(parser *p, lex_mark *m);
int expect_token(parser *p, int t, const char *what);
bool tok_is_ident(parser *p);
ujs_value tok_ident_atom(parser *p);
int var_add(parser *p, fstate *fs, ujs_value atom, int flags);
int declare_var(parser *p, fstate *fs, ujs_value atom);
int lookup_local(fstate *fs, ujs_value atom);
int resolve_name(parser *p, ujs_value atom, int *idx);
int emit_var_op(parser *p, int kind, int idx, int which /* 0 get 1 put 2 set */, ujs_value atom);
int parse_function(parser *p, bool is_decl, int method, ujs_value *name_out);

/* ---- compile_emit.c: buffers, instructions, jumps, constants ---- */
int bytes_reserve(parser *p, ujs_ref *r, uint32_t len, uint32_t need);
int vals_reserve(parser *p, ujs_ref *r, uint32_t n, uint32_t need);
int emit_bytes(parser *p, const void *b, uint32_t n);
int emit_line(parser *p);
int emit_op(parser *p, int op);
int emit_u16(parser *p, uint32_t v);
int emit_op16(parser *p, int op, uint32_t v);
int emit_jump(parser *p, int op, int *chain);
void patch_chain(parser *p, int chain, int target);
void patch_moved_chain(parser *p, int chain, int delta, int target);
int emit_jump_to(parser *p, int op, int target);
int cpool_add(parser *p, ujs_value v, uint32_t *idx);
int emit_atom_op(parser *p, int op, ujs_value atom);
int emit_number(parser *p, double d);

/* ---- compile_expr.c: expressions ---- */
int enter_nest(parser *p);
int take_ref(parser *p, int *operand);
int put_op_for(int get_op, bool keep);
int emit_raw16(parser *p, int op, int operand);
int parse_unary(parser *p, bool *ref);
int parse_binary_rest(parser *p, int min_prec, bool no_in, bool *ref);
int parse_conditional(parser *p, bool no_in, bool *ref);
int parse_assign(parser *p, bool no_in);
int parse_assign_tail(parser *p, bool no_in, bool ref);
int parse_expression(parser *p, bool no_in);

/* ---- compile_cond.c: conditions ---- */
/* A compiled condition: it falls through when true; t and f are the jump
 * chains of its true and false exits; jop is the position of its last
 * instruction, a conditional jump at the head of f. */
typedef struct cond {
    int t, f, jop;
} cond;
/* Compiles an expression as a condition. */
int parse_cond(parser *p, cond *c);
/* Makes c fall through when false: its last jump moves to the true chain. */
void cond_invert_last(parser *p, cond *c);

/* ---- compile_stmt.c: statements ---- */
int parse_statement(parser *p);

#endif
