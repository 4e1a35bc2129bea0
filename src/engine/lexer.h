/* The tokenizer: UTF-8 source to tokens, with line/column and the
 * "newline before" flag that automatic semicolon insertion needs. */
#ifndef UJS_LEXER_H
#define UJS_LEXER_H

#include "internal.h"

enum {
    TOK_EOF = 256,
    TOK_NUMBER,
    TOK_STRING,
    TOK_IDENT,
    /* multi-char punctuators */
    TOK_EQ,        /* == */
    TOK_SEQ,       /* === */
    TOK_NEQ,       /* != */
    TOK_SNEQ,      /* !== */
    TOK_LE,        /* <= */
    TOK_GE,        /* >= */
    TOK_SHL,       /* << */
    TOK_SAR,       /* >> */
    TOK_SHR,       /* >>> */
    TOK_AND,       /* && */
    TOK_OR,        /* || */
    TOK_INC,       /* ++ */
    TOK_DEC,       /* -- */
    TOK_POW,       /* ** */
    TOK_ASSIGN_OP, /* +=, -=, ... (the binary token in tok.op) */
    /* keywords */
    TOK_KW_FIRST,
#define UJS_KEYWORDS(K)                                                                            \
    K(break) K(case) K(catch) K(continue) K(debugger) K(default) K(delete) K(do) K(else)         \
    K(finally) K(for) K(function) K(if) K(in) K(instanceof) K(new) K(return) K(switch) K(this)   \
    K(throw) K(try) K(typeof) K(var) K(void) K(while) K(with) K(null) K(true) K(false) K(of)     \
    K(get) K(set) K(let) K(const) K(class) K(enum) K(export) K(extends) K(import) K(super)        \
    K(yield) K(static) K(implements) K(interface) K(package) K(private) K(protected) K(public)
#define K(k) TOK_##k,
    UJS_KEYWORDS(K)
#undef K
};
/* "of", "get", "set" and "static" are contextual: usable as identifiers. */

typedef struct token {
    int type;
    int op; /* for TOK_ASSIGN_OP: the binary operator token */
    double num;
    uint32_t line, col;
    bool nl_before;
    const char *start; /* source text of the token */
    size_t len;
    ujs_value atom; /* identifiers and strings: value in the parser's ref */
} token;

typedef struct lexer {
    ujs_ctx *ctx;
    const char *src, *end, *p, *line_start;
    uint32_t line;
    const char *filename;
    ujs_ref atom_ref; /* the current token's atom */
    char *errbuf;     /* set when lexing fails: message */
    size_t errsize;
    uint32_t err_line, err_col;
} lexer;

/* Reads the next token into *t. Returns 0, or -1 with a pending SyntaxError
 * (or OOM). */
int lex_next(lexer *lx, token *t);
int lex_error(lexer *lx, uint32_t line, uint32_t col, const char *fmt, ...);
bool tok_is_ident_name(const token *t);             /* identifiers and keywords (property names) */
ujs_value tok_name_atom(lexer *lx, const token *t); /* atom of an identifier name */

#endif
