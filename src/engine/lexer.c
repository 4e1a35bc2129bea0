/*
 * The tokenizer. Identifiers and string literals become atoms (interned),
 * kept in lx->atom_ref so a GC during the next allocation cannot lose them.
 * Regular-expression and template literals are not supported (SyntaxError).
 */
#include <stdarg.h>

#include "lexer.h"

size_t ujs_vfmt(char *buf, size_t size, const char *fmt, va_list ap);

static const char *const keywords[] = {
#define K(k) #k,
    UJS_KEYWORDS(K)
#undef K
};

int lex_error(lexer *lx, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    ujs_vfmt(msg, sizeof msg, fmt, ap);
    va_end(ap);
    throw_fmt(lx->ctx, E_SYNTAX, "%s:%u:%u: %s", lx->filename, line, col, msg);
    return -1;
}

static uint32_t utf8_decode(const char **pp, const char *end);

static bool is_unicode_space(uint32_t u)
{
    return u == 0xA0 || u == 0xFEFF || u == 0x1680 || (u >= 0x2000 && u <= 0x200A) || u == 0x202F ||
           u == 0x205F || u == 0x3000 || u == 0x2028 || u == 0x2029;
}

static uint32_t col_of(lexer *lx, const char *p)
{
    return (uint32_t)(p - lx->line_start) + 1;
}

static bool id_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
}
static bool id_part(int c)
{
    return id_start(c) || (c >= '0' && c <= '9');
}
static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool tok_is_ident_name(const token *t)
{
    return t->type == TOK_IDENT || (t->type > TOK_KW_FIRST);
}

ujs_value tok_name_atom(lexer *lx, const token *t)
{
    if (t->type == TOK_IDENT) return lx->atom_ref.val; /* t->atom may have moved */
    strview sv = {(const uint8_t *)t->start, (uint32_t)t->len, false};
    ujs_value a = atom_from_view(lx->ctx, &sv);
    if (a != V_EXCEPTION) lx->atom_ref.val = a;
    return a;
}

/* Skips whitespace and comments; sets *nl if a line terminator was seen. */
static int skip_space(lexer *lx, bool *nl)
{
    const char *p = lx->p;
    for (;;) {
        if (p >= lx->end) break;
        char c = *p;
        if (c == '\n') {
            *nl = true;
            p++;
            lx->line++;
            lx->line_start = p;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
            p++;
        } else if (c == '/' && p + 1 < lx->end && p[1] == '/') {
            while (p < lx->end && *p != '\n') p++;
        } else if (c == '/' && p + 1 < lx->end && p[1] == '*') {
            uint32_t l = lx->line, co = col_of(lx, p);
            p += 2;
            for (;;) {
                if (p + 1 >= lx->end) {
                    lx->p = p;
                    return lex_error(lx, l, co, "unterminated comment");
                }
                if (*p == '*' && p[1] == '/') {
                    p += 2;
                    break;
                }
                if (*p == '\n') {
                    *nl = true;
                    lx->line++;
                    lx->line_start = p + 1;
                }
                p++;
            }
        } else if ((uint8_t)c >= 0x80) {
            /* Unicode white space (Zs, BOM) and line terminators (LS, PS) */
            const char *q = p;
            uint32_t u = utf8_decode(&q, lx->end);
            if (u == 0x2028 || u == 0x2029) {
                *nl = true;
                lx->line++;
                lx->line_start = q;
            } else if (!is_unicode_space(u)) {
                break;
            }
            p = q;
        } else {
            break;
        }
    }
    lx->p = p;
    return 0;
}

/* Decodes one escape after the backslash at *pp; returns the code point
 * (or -1 for a line continuation, -2 on error). */
static int32_t read_escape(lexer *lx, const char **pp)
{
    const char *p = *pp;
    if (p >= lx->end) return -2;
    char c = *p++;
    int32_t v;
    switch (c) {
    case 'n': v = '\n'; break;
    case 't': v = '\t'; break;
    case 'r': v = '\r'; break;
    case 'b': v = '\b'; break;
    case 'f': v = '\f'; break;
    case 'v': v = '\v'; break;
    case '0':
        if (p < lx->end && *p >= '0' && *p <= '9') return -2; /* octal escapes: strict */
        v = 0;
        break;
    case '\n':
        lx->line++;
        lx->line_start = p;
        v = -1;
        break;
    case '\r':
        if (p < lx->end && *p == '\n') p++;
        v = -1;
        break;
    case 'x': {
        if (lx->end - p < 2 || hexval(p[0]) < 0 || hexval(p[1]) < 0) return -2;
        v = hexval(p[0]) * 16 + hexval(p[1]);
        p += 2;
        break;
    }
    case 'u': {
        if (p < lx->end && *p == '{') {
            p++;
            v = 0;
            int n = 0;
            while (p < lx->end && *p != '}') {
                int h = hexval(*p++);
                if (h < 0) return -2;
                n++;
                v = v * 16 + h;
                if (v > 0x10FFFF) return -2;
            }
            if (p >= lx->end || n == 0) return -2;
            p++;
        } else {
            if (lx->end - p < 4) return -2;
            v = 0;
            for (int i = 0; i < 4; i++) {
                int h = hexval(p[i]);
                if (h < 0) return -2;
                v = v * 16 + h;
            }
            p += 4;
        }
        break;
    }
    default:
        if (c >= '1' && c <= '9') return -2;
        if ((uint8_t)c >= 0x80) { /* an escaped non-ASCII character: the caller decodes it */
            *pp = p - 1;
            return -3;
        }
        v = (uint8_t)c;
        break;
    }
    *pp = p;
    return v;
}

static uint32_t utf8_decode(const char **pp, const char *end)
{
    const uint8_t *p = (const uint8_t *)*pp;
    uint32_t c = *p;
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c < 0x80 || c < 0xC2 || c > 0xF4 || (const char *)p + n >= end + 0) {
        if (c >= 0x80 && (c < 0xC2 || c > 0xF4 || (const char *)p + n >= end)) {
            *pp += 1;
            return 0xFFFD;
        }
        *pp += 1;
        return c;
    }
    c &= 0x3Fu >> n;
    for (int k = 1; k <= n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *pp += 1;
            return 0xFFFD;
        }
        c = (c << 6) | (p[k] & 0x3F);
    }
    *pp += n + 1;
    return c;
}

static int lex_string(lexer *lx, token *t, char q)
{
    /* pass 1: validate, count UTF-16 units */
    const char *p = lx->p + 1;
    uint32_t units = 0;
    bool wide = false;
    uint32_t sl = lx->line;
    const char *sls = lx->line_start;
    for (;;) {
        if (p >= lx->end || *p == '\n')
            return lex_error(lx, t->line, t->col, "unterminated string literal");
        if (*p == q) break;
        uint32_t c;
        if (*p == '\\') {
            const char *e = p + 1;
            int32_t v = read_escape(lx, &e);
            if (v == -2) return lex_error(lx, lx->line, col_of(lx, p), "invalid escape sequence");
            if (v == -3) {
                c = utf8_decode(&e, lx->end);
            } else if (v == -1) {
                p = e;
                continue;
            } else {
                c = (uint32_t)v;
            }
            p = e;
        } else {
            c = utf8_decode(&p, lx->end);
        }
        if (c > 0xFF) wide = true;
        units += c > 0xFFFF ? 2 : 1;
    }
    lx->line = sl;
    lx->line_start = sls;
    ujs_value s = str_new(lx->ctx, units, wide);
    if (s == V_EXCEPTION) return -1;
    uint8_t *d = str_bytes((strblk *)s);
    uint32_t k = 0;
    p = lx->p + 1;
    while (*p != q) {
        uint32_t c;
        if (*p == '\\') {
            const char *e = p + 1;
            int32_t v = read_escape(lx, &e);
            if (v == -3) {
                c = utf8_decode(&e, lx->end);
            } else if (v == -1) {
                p = e;
                continue;
            } else {
                c = (uint32_t)v;
            }
            p = e;
        } else {
            c = utf8_decode(&p, lx->end);
        }
        if (!wide) {
            d[k++] = (uint8_t)c;
        } else if (c > 0xFFFF) {
            uint16_t hi = (uint16_t)(0xD800 + ((c - 0x10000) >> 10)),
                     lo = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
            memcpy(d + 2 * k++, &hi, 2);
            memcpy(d + 2 * k++, &lo, 2);
        } else {
            uint16_t u = (uint16_t)c;
            memcpy(d + 2 * k++, &u, 2);
        }
    }
    lx->p = p + 1;
    ujs_value a = atom_from_value(lx->ctx, s);
    if (a == V_EXCEPTION) return -1;
    lx->atom_ref.val = a;
    t->atom = a;
    t->type = TOK_STRING;
    return 0;
}

static int lex_number(lexer *lx, token *t)
{
    const char *p = lx->p;
    if (*p == '0' && p + 1 < lx->end &&
        ((p[1] | 0x20) == 'x' || (p[1] | 0x20) == 'o' || (p[1] | 0x20) == 'b')) {
        p += 2;
        while (p < lx->end && hexval(*p) >= 0) p++;
    } else {
        if (*p == '0' && p + 1 < lx->end && p[1] >= '0' && p[1] <= '9')
            return lex_error(lx, t->line, t->col, "octal literals are not allowed in strict mode");
        while (p < lx->end && *p >= '0' && *p <= '9') p++;
        if (p < lx->end && *p == '.') {
            p++;
            while (p < lx->end && *p >= '0' && *p <= '9') p++;
        }
        if (p < lx->end && (*p | 0x20) == 'e') {
            const char *q = p + 1;
            if (q < lx->end && (*q == '+' || *q == '-')) q++;
            if (q < lx->end && *q >= '0' && *q <= '9') {
                p = q;
                while (p < lx->end && *p >= '0' && *p <= '9') p++;
            }
        }
    }
    if (p < lx->end && (uint8_t)*p < 0x80 && id_part((uint8_t)*p))
        return lex_error(lx, t->line, t->col, "invalid number literal");
    if (!num_parse(lx->p, (size_t)(p - lx->p), &t->num, false))
        return lex_error(lx, t->line, t->col, "invalid number literal");
    t->type = TOK_NUMBER;
    lx->p = p;
    return 0;
}

static int lex_ident(lexer *lx, token *t)
{
    const char *p = lx->p;
    bool ascii = true;
    while (p < lx->end && id_part((uint8_t)*p)) {
        if ((uint8_t)*p >= 0x80) {
            const char *q = p;
            if (is_unicode_space(utf8_decode(&q, lx->end))) break;
            ascii = false;
            p = q;
            continue;
        }
        p++;
    }
    if (p < lx->end && *p == '\\')
        return lex_error(lx, t->line, t->col, "escapes in identifiers are not supported");
    size_t len = (size_t)(p - lx->p);
    lx->p = p;
    t->len = len;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
        if (strlen(keywords[i]) == len && !memcmp(keywords[i], t->start, len)) {
            t->type = TOK_KW_FIRST + 1 + (int)i;
            return 0;
        }
    }
    ujs_value a;
    if (ascii) {
        strview sv = {(const uint8_t *)t->start, (uint32_t)len, false};
        a = atom_from_view(lx->ctx, &sv);
    } else {
        ujs_value s = str_from_utf8(lx->ctx, t->start, len);
        a = s == V_EXCEPTION ? s : atom_from_value(lx->ctx, s);
    }
    if (a == V_EXCEPTION) return -1;
    lx->atom_ref.val = a;
    t->atom = a;
    t->type = TOK_IDENT;
    return 0;
}

int lex_next(lexer *lx, token *t)
{
    bool nl = false;
    if (skip_space(lx, &nl)) return -1;
    t->nl_before = nl;
    t->line = lx->line;
    t->col = col_of(lx, lx->p);
    t->start = lx->p;
    t->atom = V_UNDEFINED;
    if (lx->p >= lx->end) {
        t->type = TOK_EOF;
        t->len = 0;
        return 0;
    }
    const char *p = lx->p;
    int c = (uint8_t)*p;
    int r = 0;
    if (id_start(c)) {
        r = lex_ident(lx, t);
    } else if ((c >= '0' && c <= '9') ||
               (c == '.' && p + 1 < lx->end && p[1] >= '0' && p[1] <= '9')) {
        r = lex_number(lx, t);
    } else if (c == '"' || c == '\'') {
        r = lex_string(lx, t, (char)c);
    } else if (c == '`') {
        return lex_error(lx, t->line, t->col, "template literals are not supported yet");
    } else {
        /* punctuators: longest match */
        static const struct {
            const char *s;
            int tok, op;
        } puncts[] = {
            {">>>=", TOK_ASSIGN_OP, TOK_SHR},
            {"===", TOK_SEQ, 0},
            {"!==", TOK_SNEQ, 0},
            {"**=", TOK_ASSIGN_OP, TOK_POW},
            {"<<=", TOK_ASSIGN_OP, TOK_SHL},
            {">>=", TOK_ASSIGN_OP, TOK_SAR},
            {">>>", TOK_SHR, 0},
            {"==", TOK_EQ, 0},
            {"!=", TOK_NEQ, 0},
            {"<=", TOK_LE, 0},
            {">=", TOK_GE, 0},
            {"<<", TOK_SHL, 0},
            {">>", TOK_SAR, 0},
            {"&&", TOK_AND, 0},
            {"||", TOK_OR, 0},
            {"++", TOK_INC, 0},
            {"--", TOK_DEC, 0},
            {"**", TOK_POW, 0},
            {"+=", TOK_ASSIGN_OP, '+'},
            {"-=", TOK_ASSIGN_OP, '-'},
            {"*=", TOK_ASSIGN_OP, '*'},
            {"/=", TOK_ASSIGN_OP, '/'},
            {"%=", TOK_ASSIGN_OP, '%'},
            {"&=", TOK_ASSIGN_OP, '&'},
            {"|=", TOK_ASSIGN_OP, '|'},
            {"^=", TOK_ASSIGN_OP, '^'},
        };
        size_t avail = (size_t)(lx->end - p);
        for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
            size_t n = strlen(puncts[i].s);
            if (n <= avail && !memcmp(p, puncts[i].s, n)) {
                t->type = puncts[i].tok;
                t->op = puncts[i].op;
                lx->p = p + n;
                t->len = n;
                return 0;
            }
        }
        if (c && strchr("{}()[];,<>+-*/%&|^!~?:=.", c)) {
            t->type = c;
            lx->p = p + 1;
            t->len = 1;
            return 0;
        }
        return lex_error(lx, t->line, t->col, "unexpected character '%c'", c);
    }
    if (r == 0 && t->type != TOK_IDENT && !(t->type > TOK_KW_FIRST))
        t->len = (size_t)(lx->p - t->start);
    return r;
}
