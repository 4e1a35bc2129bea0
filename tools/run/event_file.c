/*
 * Event-file parser. A line is scanned once, left to right, into tokens
 * `key=value`; each value is decoded straight into the event (numbers with
 * overflow checks, payload bytes into a bounded buffer), so no line is ever
 * copied and nothing is allocated per event. Every error names the 1-based
 * byte column of the token (or character) at fault. Values that begin with
 * `str:"` extend to the closing quote and may contain blanks.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "event_file.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run_err.h"

struct mbpf_event_reader {
    char *name;
    char *data;
    size_t len;
    size_t pos;
    uint32_t line_no;
    int failed;
    char err[MBPF_EVENT_ERR_MAX];
    uint8_t payload[MBPF_EVENT_PAYLOAD_MAX];
};

/* ---- names ---- */

static const char *const kind_names[] = {NULL,       "tracepoint", "timer",
                                         "security", "custom",     "counter"};

static const char *const action_names[] = {
    NULL,   "open",   "read",   "write",  "exec",  "connect",
    "bind", "listen", "accept", "unlink", "mkdir", "kill",
};

#define ACTION_COUNT (sizeof action_names / sizeof action_names[0])

const char *mbpf_event_kind_name(mbpf_event_kind_t kind)
{
    if ((int)kind < MBPF_EVENT_TRACEPOINT || (int)kind > MBPF_EVENT_COUNTER) return NULL;
    return kind_names[kind];
}

const char *mbpf_event_action_name(uint32_t action)
{
    return action < ACTION_COUNT ? action_names[action] : NULL;
}

/* ---- parsing state and errors ---- */

typedef struct parser {
    const char *name;
    uint32_t line_no;
    const char *line;
    size_t len;
    mbpf_event_t *ev;
    uint8_t *pay;
    size_t pay_cap;
    char *err;
    size_t errcap;
} parser_t;

/* A slice of the line. */
typedef struct span {
    size_t off;
    size_t len;
} span_t;

static void perr(const parser_t *p, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void perr(const parser_t *p, size_t off, const char *fmt, ...)
{
    char msg[MBPF_EVENT_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mbpf_run_err(p->err, p->errcap, "%s:%lu:%llu: %s", p->name, (unsigned long)p->line_no,
                 (unsigned long long)off + 1, msg);
}

/* Shows at most 32 bytes of a token, non-printable bytes as '?'. */
#define SHOW_MAX 32
typedef struct shown {
    char s[SHOW_MAX + 4];
} shown_t;

static shown_t show(const char *s, size_t len)
{
    shown_t o;
    size_t n = len > SHOW_MAX ? SHOW_MAX : len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        o.s[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (n < len) {
        memcpy(o.s + n, "...", 4);
    } else {
        o.s[n] = '\0';
    }
    return o;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int span_is(const parser_t *p, span_t s, const char *word)
{
    size_t n = strlen(word);
    return s.len == n && memcmp(p->line + s.off, word, n) == 0;
}

/* ---- numbers ---- */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decimal or 0x hex, at most max. */
static int parse_number(const parser_t *p, const char *key, span_t v, uint64_t max, uint64_t *out)
{
    const char *s = p->line + v.off;
    size_t i = 0, digits = 0;
    unsigned base = 10;
    uint64_t n = 0;

    if (v.len == 0) {
        perr(p, v.off, "%s: missing value", key);
        return -1;
    }
    if (v.len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    for (; i < v.len; i++, digits++) {
        int d = base == 16 ? hex_digit(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (d < 0) break;
        if (n > (max - (uint64_t)d) / base) {
            perr(p, v.off, "%s: %s does not fit in %u bits", key, show(s, v.len).s,
                 max == UINT32_MAX ? 32u : 64u);
            return -1;
        }
        n = n * base + (uint64_t)d;
    }
    if (digits == 0 || i != v.len) {
        perr(p, v.off, "%s: invalid number '%s' (expected decimal or 0x hex)", key,
             show(s, v.len).s);
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_u32(const parser_t *p, const char *key, span_t v, uint32_t *out)
{
    uint64_t n;
    if (parse_number(p, key, v, UINT32_MAX, &n) != 0) return -1;
    *out = (uint32_t)n;
    return 0;
}

static int parse_u64(const parser_t *p, const char *key, span_t v, uint64_t *out)
{
    return parse_number(p, key, v, UINT64_MAX, out);
}

/* ---- payload ---- */

static int put_byte(const parser_t *p, size_t *n, uint8_t b, size_t val_off)
{
    size_t cap = p->pay_cap < MBPF_EVENT_PAYLOAD_MAX ? p->pay_cap : MBPF_EVENT_PAYLOAD_MAX;
    if (*n >= cap) {
        perr(p, val_off, "payload: longer than %u bytes", (unsigned)cap);
        return -1;
    }
    p->pay[(*n)++] = b;
    return 0;
}

static int parse_hex_payload(const parser_t *p, span_t v, size_t *n)
{
    const char *s = p->line + v.off;
    size_t i = 4; /* after "hex:" */
    if ((v.len - i) % 2 != 0) {
        perr(p, v.off, "payload: odd number of hex digits");
        return -1;
    }
    for (; i < v.len; i += 2) {
        int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0) {
            size_t bad = hi < 0 ? i : i + 1;
            perr(p, v.off + bad, "payload: invalid hex digit '%s'", show(s + bad, 1).s);
            return -1;
        }
        if (put_byte(p, n, (uint8_t)(hi << 4 | lo), v.off) != 0) return -1;
    }
    return 0;
}

/* One escape sequence at s[*i] == '\\', end exclusive; stores the byte. */
static int parse_escape(const parser_t *p, size_t base_off, const char *s, size_t *i, size_t end,
                        uint8_t *out)
{
    size_t at = *i;
    if (at + 1 >= end) {
        perr(p, base_off + at, "payload: '\\' at end of string");
        return -1;
    }
    char c = s[at + 1];
    *i = at + 2;
    switch (c) {
    case 'a': *out = '\a'; return 0;
    case 'b': *out = '\b'; return 0;
    case 'f': *out = '\f'; return 0;
    case 'n': *out = '\n'; return 0;
    case 'r': *out = '\r'; return 0;
    case 't': *out = '\t'; return 0;
    case 'v': *out = '\v'; return 0;
    case '\\': *out = '\\'; return 0;
    case '\'': *out = '\''; return 0;
    case '"': *out = '"'; return 0;
    case '?': *out = '?'; return 0;
    case 'x': {
        unsigned v = 0, k = 0;
        while (k < 2 && *i < end && hex_digit(s[*i]) >= 0) {
            v = v << 4 | (unsigned)hex_digit(s[*i]);
            (*i)++;
            k++;
        }
        if (k == 0) {
            perr(p, base_off + at, "payload: '\\x' without hex digits");
            return -1;
        }
        *out = (uint8_t)v;
        return 0;
    }
    default:
        if (c >= '0' && c <= '7') {
            unsigned v = 0, k = 0;
            *i = at + 1;
            while (k < 3 && *i < end && s[*i] >= '0' && s[*i] <= '7') {
                v = v << 3 | (unsigned)(s[*i] - '0');
                (*i)++;
                k++;
            }
            if (v > 255) {
                perr(p, base_off + at, "payload: octal escape '%s' exceeds 255",
                     show(s + at, k + 1).s);
                return -1;
            }
            *out = (uint8_t)v;
            return 0;
        }
        perr(p, base_off + at, "payload: unknown escape '\\%s'", show(&s[at + 1], 1).s);
        return -1;
    }
}

static int parse_str_payload(const parser_t *p, span_t v, size_t *n)
{
    const char *s = p->line + v.off;
    size_t i = 4, end = v.len; /* after "str:" */
    if (i < end && s[i] == '"') {
        i++;
        end--; /* the scanner guarantees the closing quote */
    }
    while (i < end) {
        uint8_t b;
        if (s[i] == '\\') {
            if (parse_escape(p, v.off, s, &i, end, &b) != 0) return -1;
        } else {
            b = (uint8_t)s[i++];
        }
        if (put_byte(p, n, b, v.off) != 0) return -1;
    }
    return 0;
}

static int parse_payload(const parser_t *p, span_t v)
{
    const char *s = p->line + v.off;
    size_t n = 0;
    int rc;
    if (v.len == 0) {
        rc = 0;
    } else if (v.len >= 4 && memcmp(s, "hex:", 4) == 0) {
        rc = parse_hex_payload(p, v, &n);
    } else if (v.len >= 4 && memcmp(s, "str:", 4) == 0) {
        rc = parse_str_payload(p, v, &n);
    } else {
        perr(p, v.off, "payload: expected hex:, str: or nothing, got '%s'", show(s, v.len).s);
        return -1;
    }
    if (rc != 0) return -1;
    p->ev->payload = n ? p->pay : NULL;
    p->ev->payload_len = (uint32_t)n;
    return 0;
}

/* ---- keys ---- */

/* Bits of the `seen` mask, for duplicate and required-key checks. */
enum {
    K_FLAGS = 1u << 0,
    K_PAYLOAD = 1u << 1,
    K_ID = 1u << 2, /* id / point / map */
    K_A = 1u << 3,  /* cpu / period / subject / schema / key */
    K_B = 1u << 4,  /* pid / count / object / add */
    K_C = 1u << 5,  /* ts / now / action */
};

typedef struct keydef {
    const char *name;
    unsigned bit;
    size_t off; /* of the member in mbpf_event_t */
    int is_u64;
} keydef_t;

#define EV_OFF(member) offsetof(mbpf_event_t, member)

/* Scalar keys per kind, in canonical order (payload and fields excluded). */
static const keydef_t tracepoint_keys[] = {
    {"id", K_ID, EV_OFF(u.tracepoint.id), 0},
    {"cpu", K_A, EV_OFF(u.tracepoint.cpu), 0},
    {"pid", K_B, EV_OFF(u.tracepoint.pid), 0},
    {"ts", K_C, EV_OFF(u.tracepoint.ts_ns), 1},
    {NULL, 0, 0, 0},
};
static const keydef_t timer_keys[] = {
    {"id", K_ID, EV_OFF(u.timer.id), 0},
    {"period", K_A, EV_OFF(u.timer.period_us), 0},
    {"count", K_B, EV_OFF(u.timer.expiry_count), 1},
    {"now", K_C, EV_OFF(u.timer.now_ns), 1},
    {NULL, 0, 0, 0},
};
static const keydef_t security_keys[] = {
    {"subject", K_A, EV_OFF(u.security.subject), 0},
    {"object", K_B, EV_OFF(u.security.object), 0},
    {"action", K_C, EV_OFF(u.security.action), 0},
    {NULL, 0, 0, 0},
};
static const keydef_t custom_keys[] = {
    {"point", K_ID, EV_OFF(u.custom.point), 0},
    {"schema", K_A, EV_OFF(u.custom.schema), 0},
    {NULL, 0, 0, 0},
};

static const keydef_t counter_keys[] = {
    {"key", K_A, EV_OFF(u.counter.key), 0},
    {"add", K_B, EV_OFF(u.counter.add), 1},
    {NULL, 0, 0, 0},
};

static const keydef_t *kind_keys(mbpf_event_kind_t kind)
{
    switch (kind) {
    case MBPF_EVENT_TRACEPOINT: return tracepoint_keys;
    case MBPF_EVENT_TIMER: return timer_keys;
    case MBPF_EVENT_SECURITY: return security_keys;
    case MBPF_EVENT_COUNTER: return counter_keys;
    default: return custom_keys;
    }
}

static int parse_action(const parser_t *p, span_t v, uint32_t *out)
{
    const char *s = p->line + v.off;
    if (v.len > 0 && !(s[0] >= '0' && s[0] <= '9')) {
        for (uint32_t a = 1; a < ACTION_COUNT; a++) {
            if (span_is(p, v, action_names[a])) {
                *out = a;
                return 0;
            }
        }
        perr(p, v.off,
             "action: unknown action '%s' (expected a number or one of open, read, "
             "write, exec, connect, bind, listen, accept, unlink, mkdir, kill)",
             show(s, v.len).s);
        return -1;
    }
    return parse_u32(p, "action", v, out);
}

static int is_ident_char(char c, int first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$') return 1;
    return !first && c >= '0' && c <= '9';
}

/* map=NAME of a counter line: a manifest map name (an identifier). */
static int parse_map_name(const parser_t *p, span_t v)
{
    const char *s = p->line + v.off;
    if (v.len == 0) {
        perr(p, v.off, "map: missing value");
        return -1;
    }
    for (size_t i = 0; i < v.len; i++) {
        if (!is_ident_char(s[i], i == 0)) {
            perr(p, v.off + i, "map: invalid character '%s' in map name", show(s + i, 1).s);
            return -1;
        }
    }
    if (v.len > MBPF_EVENT_NAME_MAX) {
        perr(p, v.off, "map: name '%s' longer than %u characters", show(s, v.len).s,
             MBPF_EVENT_NAME_MAX);
        return -1;
    }
    memcpy(p->ev->u.counter.map, s, v.len);
    p->ev->u.counter.map[v.len] = '\0';
    return 0;
}

/* field.NAME[:u32|:u64]=VALUE */
static int parse_field(const parser_t *p, span_t key, span_t v)
{
    mbpf_event_t *ev = p->ev;
    const char *s = p->line + key.off;
    size_t name_off = 6, name_end = name_off; /* after "field." */
    while (name_end < key.len && s[name_end] != ':') name_end++;
    size_t name_len = name_end - name_off;
    unsigned bits = 64;

    if (name_len == 0) {
        perr(p, key.off + name_off, "field: empty field name");
        return -1;
    }
    for (size_t i = 0; i < name_len; i++) {
        if (!is_ident_char(s[name_off + i], i == 0)) {
            perr(p, key.off + name_off + i, "field: invalid character '%s' in field name",
                 show(s + name_off + i, 1).s);
            return -1;
        }
    }
    if (name_len > MBPF_EVENT_NAME_MAX) {
        perr(p, key.off + name_off, "field: name '%s' longer than %u characters",
             show(s + name_off, name_len).s, MBPF_EVENT_NAME_MAX);
        return -1;
    }
    if (name_end < key.len) {
        span_t t = {key.off + name_end, key.len - name_end};
        if (span_is(p, t, ":u32")) {
            bits = 32;
        } else if (!span_is(p, t, ":u64")) {
            perr(p, t.off, "field.%.*s: unknown type '%s' (expected :u32 or :u64)", (int)name_len,
                 s + name_off, show(p->line + t.off, t.len).s);
            return -1;
        }
    }
    for (uint32_t i = 0; i < ev->u.custom.field_count; i++) {
        const char *have = ev->u.custom.fields[i].name;
        if (strlen(have) == name_len && memcmp(have, s + name_off, name_len) == 0) {
            perr(p, key.off, "duplicate field '%.*s'", (int)name_len, s + name_off);
            return -1;
        }
    }
    if (ev->u.custom.field_count >= MBPF_EVENT_FIELDS_MAX) {
        perr(p, key.off, "more than %u custom fields", MBPF_EVENT_FIELDS_MAX);
        return -1;
    }
    mbpf_event_field_t *f = &ev->u.custom.fields[ev->u.custom.field_count];
    char label[MBPF_EVENT_NAME_MAX + 8];
    snprintf(label, sizeof label, "field.%.*s", (int)name_len, s + name_off);
    if (parse_number(p, label, v, bits == 32 ? UINT32_MAX : UINT64_MAX, &f->value) != 0) return -1;
    memcpy(f->name, s + name_off, name_len);
    f->name[name_len] = '\0';
    f->bits = (uint8_t)bits;
    ev->u.custom.field_count++;
    return 0;
}

static int apply_key(const parser_t *p, unsigned *seen, span_t key, span_t v)
{
    mbpf_event_t *ev = p->ev;
    const char *kind = kind_names[ev->kind];
    char name[16];

    if (ev->kind == MBPF_EVENT_CUSTOM && key.len >= 6 &&
        memcmp(p->line + key.off, "field.", 6) == 0)
        return parse_field(p, key, v);

    unsigned bit = 0;
    const keydef_t *def = NULL;
    int counter = ev->kind == MBPF_EVENT_COUNTER;
    if (span_is(p, key, "flags") && !counter) {
        bit = K_FLAGS;
    } else if (span_is(p, key, "payload") && ev->kind != MBPF_EVENT_TIMER && !counter) {
        bit = K_PAYLOAD;
    } else if (span_is(p, key, "map") && counter) {
        bit = K_ID;
    } else {
        for (def = kind_keys(ev->kind); def->name; def++) {
            if (span_is(p, key, def->name)) break;
        }
        if (!def->name) {
            perr(p, key.off, "unknown key '%s' for %s events", show(p->line + key.off, key.len).s,
                 kind);
            return -1;
        }
        bit = def->bit;
    }
    snprintf(name, sizeof name, "%.*s", (int)key.len, p->line + key.off);
    if (*seen & bit) {
        perr(p, key.off, "duplicate key '%s'", name);
        return -1;
    }
    *seen |= bit;

    if (bit == K_FLAGS) return parse_u32(p, name, v, &ev->flags);
    if (bit == K_PAYLOAD) return parse_payload(p, v);
    if (counter && bit == K_ID) return parse_map_name(p, v);
    void *slot = (char *)ev + def->off;
    if (ev->kind == MBPF_EVENT_SECURITY && bit == K_C) return parse_action(p, v, slot);
    if (def->is_u64) return parse_u64(p, name, v, slot);
    return parse_u32(p, name, v, slot);
}

/* The value of a token starting at off (just after '='): up to the next
 * blank, or through the closing quote of a `str:"..."` value. */
static int scan_value(const parser_t *p, span_t key, size_t off, span_t *v)
{
    const char *s = p->line;
    size_t i = off;
    if (p->len - off >= 5 && memcmp(s + off, "str:\"", 5) == 0) {
        size_t q = off + 4;
        for (i = q + 1; i < p->len && s[i] != '"'; i++) {
            if (s[i] == '\\' && i + 1 < p->len) i++;
        }
        if (i >= p->len) {
            perr(p, q, "%s: unterminated string", show(s + key.off, key.len).s);
            return -1;
        }
        i++; /* past the closing quote */
        if (i < p->len && !is_blank(s[i])) {
            perr(p, i, "unexpected '%s' after closing quote", show(s + i, 1).s);
            return -1;
        }
    } else {
        while (i < p->len && !is_blank(s[i])) i++;
    }
    v->off = off;
    v->len = i - off;
    return 0;
}

int mbpf_event_parse_line(const char *name, uint32_t line_no, const char *line, size_t len,
                          mbpf_event_t *ev, uint8_t *payload_buf, size_t payload_cap, char *err,
                          size_t errcap)
{
    parser_t p = {name, line_no, line, len, ev, payload_buf, payload_cap, err, errcap};
    size_t i = 0;

    if (p.len > 0 && line[p.len - 1] == '\r') p.len--;
    memset(ev, 0, sizeof *ev);
    ev->line = line_no;

    while (i < p.len && is_blank(line[i])) i++;
    if (i == p.len || line[i] == '#') return 0;

    span_t kw = {i, 0};
    while (i < p.len && !is_blank(line[i])) i++;
    kw.len = i - kw.off;
    for (int k = MBPF_EVENT_TRACEPOINT; k <= MBPF_EVENT_COUNTER; k++) {
        if (span_is(&p, kw, kind_names[k])) ev->kind = (mbpf_event_kind_t)k;
    }
    if (!ev->kind) {
        perr(&p, kw.off,
             "unknown event kind '%s' (expected tracepoint, timer, security, custom or counter)",
             show(line + kw.off, kw.len).s);
        return MBPF_EVENT_EFAIL;
    }

    unsigned seen = 0;
    for (;;) {
        while (i < p.len && is_blank(line[i])) i++;
        if (i == p.len || line[i] == '#') break;
        span_t key = {i, 0}, v;
        while (i < p.len && !is_blank(line[i]) && line[i] != '=') i++;
        key.len = i - key.off;
        if (i == p.len || line[i] != '=') {
            perr(&p, key.off, "expected key=value, got '%s'", show(line + key.off, key.len).s);
            return MBPF_EVENT_EFAIL;
        }
        if (key.len == 0) {
            perr(&p, key.off, "missing key before '='");
            return MBPF_EVENT_EFAIL;
        }
        if (scan_value(&p, key, i + 1, &v) != 0) return MBPF_EVENT_EFAIL;
        i = v.off + v.len;
        if (apply_key(&p, &seen, key, v) != 0) return MBPF_EVENT_EFAIL;
    }

    static const char *const required[] = {NULL, "id", "id", "action", "point", "map"};
    unsigned need = ev->kind == MBPF_EVENT_SECURITY ? K_C : K_ID;
    if (!(seen & need)) {
        perr(&p, kw.off, "%s event without %s=", kind_names[ev->kind], required[ev->kind]);
        return MBPF_EVENT_EFAIL;
    }
    if (ev->kind == MBPF_EVENT_COUNTER && !(seen & K_B)) {
        perr(&p, kw.off, "counter event without add=");
        return MBPF_EVENT_EFAIL;
    }
    return 1;
}

/* ---- reader ---- */

static int reader_new(const char *name, const void *data, size_t len, mbpf_event_reader_t **out,
                      char *err, size_t errcap)
{
    mbpf_event_reader_t *r = calloc(1, sizeof *r);
    size_t nlen = strlen(name);
    if (r) r->name = malloc(nlen + 1);
    if (r && r->name) r->data = malloc(len ? len : 1);
    if (!r || !r->name || !r->data) {
        mbpf_run_err(err, errcap, "%s: out of memory", name);
        mbpf_event_reader_close(r);
        return MBPF_EVENT_EFAIL;
    }
    memcpy(r->name, name, nlen + 1);
    if (len) memcpy(r->data, data, len);
    r->len = len;
    *out = r;
    return MBPF_EVENT_OK;
}

int mbpf_event_reader_open_mem(const char *name, const void *data, size_t len,
                               mbpf_event_reader_t **out, char *err, size_t errcap)
{
    *out = NULL;
    if (len > MBPF_EVENT_FILE_SIZE_MAX) {
        mbpf_run_err(err, errcap, "%s: file exceeds %u bytes", name, MBPF_EVENT_FILE_SIZE_MAX);
        return MBPF_EVENT_EFAIL;
    }
    return reader_new(name, data, len, out, err, errcap);
}

int mbpf_event_reader_open(const char *path, mbpf_event_reader_t **out, char *err, size_t errcap)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0;
    int rc = MBPF_EVENT_EFAIL;

    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        mbpf_run_err(err, errcap, "%s: %s", path, strerror(errno));
        return MBPF_EVENT_EFAIL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        mbpf_run_err(err, errcap, "%s: %s", path, strerror(EISDIR));
        goto out;
    }
    /* Read in chunks (works for pipes), never beyond the limit + 1. */
    size_t cap = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > (size_t)MBPF_EVENT_FILE_SIZE_MAX + 1)
                ncap = (size_t)MBPF_EVENT_FILE_SIZE_MAX + 1;
            if (ncap == cap) break;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                mbpf_run_err(err, errcap, "%s: out of memory", path);
                goto out;
            }
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    if (ferror(f)) {
        mbpf_run_err(err, errcap, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = mbpf_event_reader_open_mem(path, buf, len, out, err, errcap);
out:
    free(buf);
    fclose(f);
    return rc;
}

int mbpf_event_next(mbpf_event_reader_t *r, mbpf_event_t *ev, char *err, size_t errcap)
{
    if (r->failed) {
        mbpf_run_err(err, errcap, "%s", r->err);
        return MBPF_EVENT_EFAIL;
    }
    while (r->pos < r->len) {
        const char *start = r->data + r->pos;
        const char *nl = memchr(start, '\n', r->len - r->pos);
        size_t line_len = nl ? (size_t)(nl - start) : r->len - r->pos;
        r->pos += line_len + (nl ? 1 : 0);
        r->line_no++;
        int rc = mbpf_event_parse_line(r->name, r->line_no, start, line_len, ev, r->payload,
                                       sizeof r->payload, r->err, sizeof r->err);
        if (rc == 0) continue;
        if (rc < 0) {
            r->failed = 1;
            mbpf_run_err(err, errcap, "%s", r->err);
            return MBPF_EVENT_EFAIL;
        }
        return 1;
    }
    return 0;
}

void mbpf_event_reader_close(mbpf_event_reader_t *r)
{
    if (!r) return;
    free(r->name);
    free(r->data);
    free(r);
}

/* ---- formatting ---- */

typedef struct outbuf {
    char *buf;
    size_t cap;
    size_t len; /* needed length, may exceed cap */
} outbuf_t;

static void out_raw(outbuf_t *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void out_str(outbuf_t *o, const char *s)
{
    out_raw(o, s, strlen(s));
}

static void out_num(outbuf_t *o, const char *key, uint64_t v)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, " %s=%llu", key, (unsigned long long)v);
    out_raw(o, tmp, (size_t)n);
}

size_t mbpf_event_format(const mbpf_event_t *ev, char *buf, size_t cap)
{
    outbuf_t o = {buf, cap, 0};
    const char *kind = mbpf_event_kind_name(ev->kind);
    out_str(&o, kind ? kind : "?");
    switch (ev->kind) {
    case MBPF_EVENT_TRACEPOINT:
        out_num(&o, "id", ev->u.tracepoint.id);
        out_num(&o, "cpu", ev->u.tracepoint.cpu);
        out_num(&o, "pid", ev->u.tracepoint.pid);
        out_num(&o, "ts", ev->u.tracepoint.ts_ns);
        break;
    case MBPF_EVENT_TIMER:
        out_num(&o, "id", ev->u.timer.id);
        out_num(&o, "period", ev->u.timer.period_us);
        out_num(&o, "count", ev->u.timer.expiry_count);
        out_num(&o, "now", ev->u.timer.now_ns);
        break;
    case MBPF_EVENT_SECURITY: {
        out_num(&o, "subject", ev->u.security.subject);
        out_num(&o, "object", ev->u.security.object);
        const char *a = mbpf_event_action_name(ev->u.security.action);
        if (a) {
            out_str(&o, " action=");
            out_str(&o, a);
        } else {
            out_num(&o, "action", ev->u.security.action);
        }
        break;
    }
    case MBPF_EVENT_CUSTOM:
        out_num(&o, "point", ev->u.custom.point);
        out_num(&o, "schema", ev->u.custom.schema);
        for (uint32_t i = 0; i < ev->u.custom.field_count && i < MBPF_EVENT_FIELDS_MAX; i++) {
            const mbpf_event_field_t *f = &ev->u.custom.fields[i];
            char key[MBPF_EVENT_NAME_MAX + 16];
            snprintf(key, sizeof key, "field.%.*s%s", (int)MBPF_EVENT_NAME_MAX, f->name,
                     f->bits == 32 ? ":u32" : "");
            out_num(&o, key, f->value);
        }
        break;
    case MBPF_EVENT_COUNTER:
        out_str(&o, " map=");
        out_raw(&o, ev->u.counter.map, strnlen(ev->u.counter.map, MBPF_EVENT_NAME_MAX));
        out_num(&o, "key", ev->u.counter.key);
        out_num(&o, "add", ev->u.counter.add);
        break;
    }
    /* counter lines have neither flags nor payload; timers no payload */
    if (ev->kind != MBPF_EVENT_COUNTER) out_num(&o, "flags", ev->flags);
    if (ev->kind != MBPF_EVENT_TIMER && ev->kind != MBPF_EVENT_COUNTER) {
        static const char digits[] = "0123456789abcdef";
        out_str(&o, " payload=");
        if (ev->payload_len) out_str(&o, "hex:");
        for (uint32_t i = 0; i < ev->payload_len; i++) {
            char h[2] = {digits[ev->payload[i] >> 4], digits[ev->payload[i] & 15]};
            out_raw(&o, h, 2);
        }
    }
    if (cap) buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len;
}
