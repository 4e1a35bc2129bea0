/*
 * The manifest schema: one walker over the token stream of either reader
 * (manifest_reader.h), so CBOR and JSON accept exactly the same documents
 * and fail with the same codes and messages.
 *
 * Decoding is two passes over the input. The first only runs the reader to
 * the end, so a malformed document is always a syntax (or nesting) error,
 * whatever schema mistakes come before the malformation. The second walks
 * the schema: types, string lengths, key sets, enumeration names. Rules
 * that relate fields (map key sizes by map type, unique map names, nonzero
 * budgets) are checked on the filled struct by mbpf_manifest_validate, the
 * same function the encoder runs on its input, so nothing can be encoded
 * that would not decode.
 *
 * Every message is "<doc>: <path>: <what>", e.g.
 * "manifest: maps[2].key_size: 0 not allowed for type hash".
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "cbor_reader.h"
#include "manifest.h"
#include "manifest_reader.h"
#include "mbpf.h"
#ifdef MBPF_JSON_MANIFEST
#include "json_reader.h"
#endif

#define PATH_CAP 96
#define SHOW_MAX 32 /* characters of a string value quoted in a message */

/* ---- names ---- */

static const char *const hook_names[MBPF_HOOK_TYPE_MAX + 1] = {
    NULL, "TRACEPOINT", "TIMER", "NET_RX", "NET_TX", "SECURITY", "CUSTOM",
};

#define CAP_COUNT 7
static const char *const cap_names[CAP_COUNT] = {
    "CAP_LOG",  "CAP_MAP_READ", "CAP_MAP_WRITE", "CAP_MAP_ITERATE",
    "CAP_EMIT", "CAP_TIME",     "CAP_STATS",
};

static const char *const map_type_names[MBPF_MAP_TYPE_MAX + 1] = {
    NULL,          "array",   "hash",    "lru_hash", "percpu_array",
    "percpu_hash", "counter", "ringbuf", "lpm_trie",
};

const char *mbpf_hook_type_name(uint32_t hook_type)
{
    return hook_type <= MBPF_HOOK_TYPE_MAX ? hook_names[hook_type] : NULL;
}

const char *mbpf_capability_name(uint32_t cap_bit)
{
    for (unsigned i = 0; i < CAP_COUNT; i++)
        if (cap_bit == 1u << i) return cap_names[i];
    return NULL;
}

const char *mbpf_map_type_name(uint32_t map_type)
{
    return map_type <= MBPF_MAP_TYPE_MAX ? map_type_names[map_type] : NULL;
}

/* Index of the name equal to s[0..n) in names[0..count), or -1. */
static int find_name(const char *const *names, unsigned count, const char *s, size_t n)
{
    for (unsigned i = 0; i < count; i++)
        if (names[i] && strlen(names[i]) == n && memcmp(names[i], s, n) == 0) return (int)i;
    return -1;
}

/* ---- the walker and its messages ---- */

typedef struct walker {
    mbpf_tok_next_fn next; /* NULL when only validating a struct */
    void *reader;
    mbpf_tok_t tok;
    mbpf_diag_t *diag;
    const char *doc;
    size_t path_len;
    char path[PATH_CAP];
} walker_t;

static void walker_init(walker_t *w, const char *doc, mbpf_diag_t *diag)
{
    memset(w, 0, sizeof *w);
    w->doc = doc;
    w->diag = diag;
}

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static int fail(walker_t *w, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int fail(walker_t *w, int code, const char *fmt, ...)
{
    char msg[MBPF_DIAG_MAX];
    va_list ap;
    va_start(ap, fmt);
    mbpf_vfmt(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (w->path_len > 0)
        mbpf_diag_set(w->diag, "%s: %s: %s", w->doc, w->path, msg);
    else
        mbpf_diag_set(w->diag, "%s: %s", w->doc, msg);
    return code;
}

/* Copies s[0..n) for a message: at most SHOW_MAX characters, bytes outside
 * printable ASCII as '?', "..." when cut. */
static void show(char *dst, size_t cap, const char *s, size_t n, int cut)
{
    size_t o = 0;
    for (size_t i = 0; i < n && i < SHOW_MAX && o + 1 < cap; i++) {
        uint8_t c = (uint8_t)s[i];
        dst[o++] = (char)(c >= 0x20 && c < 0x7F ? c : '?');
    }
    if ((n > SHOW_MAX || cut) && o + 4 <= cap) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    if (cap > 0) dst[o] = '\0';
}

static size_t path_key(walker_t *w, const char *key, size_t n, int cut)
{
    size_t mark = w->path_len;
    char shown[SHOW_MAX + 4];
    if (n == 0)
        memcpy(shown, "\"\"", 3); /* an empty key stays visible */
    else
        show(shown, sizeof shown, key, n, cut);
    w->path_len += mbpf_fmt(w->path + mark, sizeof w->path - mark, mark ? ".%s" : "%s", shown);
    return mark;
}

static size_t path_index(walker_t *w, uint32_t i)
{
    size_t mark = w->path_len;
    w->path_len += mbpf_fmt(w->path + mark, sizeof w->path - mark, "[%u]", (unsigned)i);
    return mark;
}

static void path_pop(walker_t *w, size_t mark)
{
    w->path_len = mark;
    w->path[mark] = '\0';
}

/* What the current token is, for "expected X, got Y". */
static void describe(const mbpf_tok_t *t, char *dst, size_t cap)
{
    char shown[SHOW_MAX + 4];
    switch (t->type) {
    case MBPF_TOK_MAP_BEGIN: mbpf_fmt(dst, cap, "a map"); return;
    case MBPF_TOK_ARRAY_BEGIN: mbpf_fmt(dst, cap, "an array"); return;
    case MBPF_TOK_TEXT:
        show(shown, sizeof shown, t->text, t->avail, t->avail < t->len);
        mbpf_fmt(dst, cap, "string \"%s\"", shown);
        return;
    case MBPF_TOK_BYTES: mbpf_fmt(dst, cap, "a byte string"); return;
    case MBPF_TOK_UINT: mbpf_fmt(dst, cap, "%llu", (unsigned long long)t->u); return;
    case MBPF_TOK_NEGINT:
        if (t->u == UINT64_MAX)
            mbpf_fmt(dst, cap, "-18446744073709551616");
        else
            mbpf_fmt(dst, cap, "-%llu", (unsigned long long)t->u + 1);
        return;
    case MBPF_TOK_BOOL: mbpf_fmt(dst, cap, "%s", t->u ? "true" : "false"); return;
    case MBPF_TOK_NULL: mbpf_fmt(dst, cap, "null"); return;
    case MBPF_TOK_FLOAT: mbpf_fmt(dst, cap, "a non-integer number"); return;
    default: mbpf_fmt(dst, cap, "the end of a container"); return;
    }
}

static int type_error(walker_t *w, const char *expected)
{
    char got[64];
    describe(&w->tok, got, sizeof got);
    return fail(w, MBPF_PKG_E_MANIFEST_TYPE, "expected %s, got %s", expected, got);
}

static int advance(walker_t *w)
{
    return w->next(w->reader, &w->tok, w->diag);
}

/* Advances to the next token and requires it to open a container. */
static int open_container(walker_t *w, mbpf_tok_type_t begin)
{
    int rc = advance(w);
    if (rc != 0) return rc;
    if (w->tok.type != begin)
        return type_error(w, begin == MBPF_TOK_MAP_BEGIN ? "a map" : "an array");
    return 0;
}

/* ---- scalar fields ---- */

enum charset { CS_PRINTABLE, CS_IDENT };

static int ident_char(uint8_t c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           (!first && c >= '0' && c <= '9');
}

static int check_chars(walker_t *w, const char *s, size_t n, int cs)
{
    char shown[SHOW_MAX + 4];
    if (n == 0) return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "must not be empty");
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)s[i];
        int ok = cs == CS_IDENT ? ident_char(c, i == 0) : c >= 0x20 && c < 0x7F;
        if (!ok) {
            show(shown, sizeof shown, s, n, 0);
            return fail(w, MBPF_PKG_E_MANIFEST_VALUE,
                        cs == CS_IDENT ? "\"%s\" is not an identifier ([A-Za-z_$][A-Za-z0-9_$]*)"
                                       : "\"%s\" has characters outside printable ASCII",
                        shown);
        }
    }
    return 0;
}

/* Stores the current TEXT token into dst[0..max], NUL-terminated. */
static int store_text(walker_t *w, char *dst, size_t max, int cs)
{
    if (w->tok.len > max)
        return fail(w, MBPF_PKG_E_MANIFEST_LIMIT, "%zu bytes long, limit %zu", w->tok.len, max);
    int rc = check_chars(w, w->tok.text, w->tok.len, cs);
    if (rc != 0) return rc;
    memcpy(dst, w->tok.text, w->tok.len);
    memset(dst + w->tok.len, 0, max + 1 - w->tok.len); /* over a default, too */
    return 0;
}

static int read_text(walker_t *w, char *dst, size_t max, int cs)
{
    int rc = advance(w);
    if (rc != 0) return rc;
    if (w->tok.type != MBPF_TOK_TEXT) return type_error(w, "a string");
    return store_text(w, dst, max, cs);
}

static int read_u32(walker_t *w, uint32_t *out)
{
    int rc = advance(w);
    if (rc != 0) return rc;
    if (w->tok.type != MBPF_TOK_UINT) return type_error(w, "an unsigned integer");
    if (w->tok.u > UINT32_MAX)
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "%llu out of range (max 4294967295)",
                    (unsigned long long)w->tok.u);
    *out = (uint32_t)w->tok.u;
    return 0;
}

/* An enumeration given by name or number: names[1..max] are the values. */
static int read_enum(walker_t *w, const char *const *names, uint32_t max, const char *what,
                     uint32_t *out)
{
    char shown[SHOW_MAX + 4];
    int rc = advance(w);
    if (rc != 0) return rc;
    if (w->tok.type == MBPF_TOK_TEXT) {
        int i = find_name(names, max + 1, w->tok.text, w->tok.avail);
        if (i <= 0 || w->tok.avail < w->tok.len) {
            show(shown, sizeof shown, w->tok.text, w->tok.avail, w->tok.avail < w->tok.len);
            return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown %s \"%s\"", what, shown);
        }
        *out = (uint32_t)i;
        return 0;
    }
    if (w->tok.type == MBPF_TOK_UINT) {
        if (w->tok.u < 1 || w->tok.u > max)
            return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown %s %llu", what,
                        (unsigned long long)w->tok.u);
        *out = (uint32_t)w->tok.u;
        return 0;
    }
    char expected[48];
    mbpf_fmt(expected, sizeof expected, "a %s name or number", what);
    return type_error(w, expected);
}

/* ---- maps with a fixed key set ---- */

/* Reads the next key of a map whose keys are keys[0..n). Returns 1 with *k
 * set and the key appended to the path (pop it with *mark), 0 at the end of
 * the map, or an error. */
static int next_key(walker_t *w, const char *const *keys, unsigned n, uint32_t *seen, unsigned *k,
                    size_t *mark)
{
    int rc = advance(w);
    if (rc != 0) return rc;
    if (w->tok.type == MBPF_TOK_MAP_END) return 0;
    if (w->tok.type != MBPF_TOK_TEXT) return type_error(w, "a string key");
    *mark = path_key(w, w->tok.text, w->tok.avail, w->tok.avail < w->tok.len);
    int i = w->tok.avail == w->tok.len ? find_name(keys, n, w->tok.text, w->tok.len) : -1;
    if (i < 0) return fail(w, MBPF_PKG_E_MANIFEST_UNKNOWN, "unknown key");
    if (*seen & (1u << i)) return fail(w, MBPF_PKG_E_MANIFEST_DUPLICATE, "duplicate key");
    *seen |= 1u << i;
    *k = (unsigned)i;
    return 1;
}

static int check_missing(walker_t *w, const char *const *keys, unsigned n, uint32_t required,
                         uint32_t seen)
{
    for (unsigned i = 0; i < n; i++) {
        if ((required & (1u << i)) && !(seen & (1u << i))) {
            path_key(w, keys[i], strlen(keys[i]), 0);
            return fail(w, MBPF_PKG_E_MANIFEST_MISSING, "missing");
        }
    }
    return 0;
}

/* ---- the schema ---- */

enum { T_WORD_SIZE, T_ENDIANNESS, T_COUNT };
static const char *const target_keys[T_COUNT] = {"word_size", "endianness"};

static int walk_target(walker_t *w, mbpf_manifest_t *m)
{
    static const char *const endian_names[] = {"any", "little", "big"};
    char shown[SHOW_MAX + 4];
    uint32_t seen = 0;
    unsigned k;
    size_t mark;
    int rc = open_container(w, MBPF_TOK_MAP_BEGIN);
    if (rc != 0) return rc;
    while ((rc = next_key(w, target_keys, T_COUNT, &seen, &k, &mark)) == 1) {
        if ((rc = advance(w)) != 0) return rc;
        const mbpf_tok_t *t = &w->tok;
        if (k == T_WORD_SIZE) {
            if (t->type == MBPF_TOK_UINT && (t->u == 32 || t->u == 64)) {
                m->target_word_size = (uint8_t)t->u;
            } else if (t->type == MBPF_TOK_TEXT && t->len == 3 && memcmp(t->text, "any", 3) == 0) {
                m->target_word_size = MBPF_TARGET_ANY;
            } else if (t->type == MBPF_TOK_UINT) {
                return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "%llu not allowed (32, 64 or \"any\")",
                            (unsigned long long)t->u);
            } else if (t->type == MBPF_TOK_TEXT) {
                show(shown, sizeof shown, t->text, t->avail, t->avail < t->len);
                return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "\"%s\" not allowed (32, 64 or \"any\")",
                            shown);
            } else {
                return type_error(w, "32, 64 or \"any\"");
            }
        } else {
            if (t->type != MBPF_TOK_TEXT) return type_error(w, "\"little\", \"big\" or \"any\"");
            int i = t->avail == t->len ? find_name(endian_names, 3, t->text, t->len) : -1;
            if (i < 0) {
                show(shown, sizeof shown, t->text, t->avail, t->avail < t->len);
                return fail(w, MBPF_PKG_E_MANIFEST_VALUE,
                            "\"%s\" not allowed (\"little\", \"big\" or \"any\")", shown);
            }
            m->target_endianness = (uint8_t)i; /* matches MBPF_TARGET_* */
        }
        path_pop(w, mark);
    }
    if (rc < 0) return rc;
    return check_missing(w, target_keys, T_COUNT, (1u << T_COUNT) - 1, seen);
}

enum { B_MAX_STEPS, B_MAX_HELPERS, B_MAX_WALL_TIME_US, B_COUNT };
static const char *const budget_keys[B_COUNT] = {"max_steps", "max_helpers", "max_wall_time_us"};

static int walk_budgets(walker_t *w, mbpf_manifest_t *m)
{
    uint32_t *const fields[B_COUNT] = {&m->max_steps, &m->max_helpers, &m->max_wall_time_us};
    uint32_t seen = 0;
    unsigned k;
    size_t mark;
    int rc = open_container(w, MBPF_TOK_MAP_BEGIN);
    if (rc != 0) return rc;
    while ((rc = next_key(w, budget_keys, B_COUNT, &seen, &k, &mark)) == 1) {
        if ((rc = read_u32(w, fields[k])) != 0) return rc;
        path_pop(w, mark);
    }
    if (rc < 0) return rc;
    return check_missing(w, budget_keys, B_COUNT, 1u << B_MAX_STEPS | 1u << B_MAX_HELPERS, seen);
}

static int walk_capabilities(walker_t *w, mbpf_manifest_t *m)
{
    int rc = open_container(w, MBPF_TOK_ARRAY_BEGIN);
    for (uint32_t i = 0; rc == 0; i++) {
        if ((rc = advance(w)) != 0) return rc;
        if (w->tok.type == MBPF_TOK_ARRAY_END) return 0;
        size_t mark = path_index(w, i);
        uint32_t bit;
        if (w->tok.type == MBPF_TOK_TEXT) {
            int b = w->tok.avail == w->tok.len
                        ? find_name(cap_names, CAP_COUNT, w->tok.text, w->tok.len)
                        : -1;
            if (b < 0) {
                char shown[SHOW_MAX + 4];
                show(shown, sizeof shown, w->tok.text, w->tok.avail, w->tok.avail < w->tok.len);
                return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown capability \"%s\"", shown);
            }
            bit = 1u << b;
        } else if (w->tok.type == MBPF_TOK_UINT) {
            if (w->tok.u > UINT32_MAX || !mbpf_capability_name((uint32_t)w->tok.u))
                return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown capability %llu",
                            (unsigned long long)w->tok.u);
            bit = (uint32_t)w->tok.u;
        } else {
            return type_error(w, "a capability name or number");
        }
        if (m->capabilities & bit)
            return fail(w, MBPF_PKG_E_MANIFEST_DUPLICATE, "%s listed twice",
                        mbpf_capability_name(bit));
        m->capabilities |= bit;
        path_pop(w, mark);
    }
    return rc;
}

static int walk_helper_versions(walker_t *w, mbpf_manifest_t *m)
{
    int rc = open_container(w, MBPF_TOK_MAP_BEGIN);
    while (rc == 0) {
        if ((rc = advance(w)) != 0) return rc;
        if (w->tok.type == MBPF_TOK_MAP_END) return 0;
        if (w->tok.type != MBPF_TOK_TEXT) return type_error(w, "a string key");
        if (m->helper_version_count == MBPF_MANIFEST_MAX_HELPER_VERSIONS)
            return fail(w, MBPF_PKG_E_MANIFEST_LIMIT, "more than %d entries",
                        MBPF_MANIFEST_MAX_HELPER_VERSIONS);
        size_t mark = path_key(w, w->tok.text, w->tok.avail, w->tok.avail < w->tok.len);
        mbpf_helper_version_t *h = &m->helper_versions[m->helper_version_count];
        if ((rc = store_text(w, h->name, MBPF_MANIFEST_IDENT_MAX, CS_IDENT)) != 0) return rc;
        for (uint32_t j = 0; j < m->helper_version_count; j++)
            if (strcmp(m->helper_versions[j].name, h->name) == 0)
                return fail(w, MBPF_PKG_E_MANIFEST_DUPLICATE, "duplicate key");
        if ((rc = read_u32(w, &h->version)) != 0) return rc;
        m->helper_version_count++;
        path_pop(w, mark);
    }
    return rc;
}

enum { M_NAME, M_TYPE, M_KEY_SIZE, M_VALUE_SIZE, M_MAX_ENTRIES, M_FLAGS, M_COUNT };
static const char *const map_keys[M_COUNT] = {
    "name", "type", "key_size", "value_size", "max_entries", "flags",
};

static int walk_map_def(walker_t *w, mbpf_map_def_t *d)
{
    uint32_t seen = 0;
    unsigned k;
    size_t mark;
    int rc;
    while ((rc = next_key(w, map_keys, M_COUNT, &seen, &k, &mark)) == 1) {
        switch (k) {
        case M_NAME: rc = read_text(w, d->name, MBPF_MANIFEST_IDENT_MAX, CS_IDENT); break;
        case M_TYPE:
            rc = read_enum(w, map_type_names, MBPF_MAP_TYPE_MAX, "map type", &d->type);
            break;
        case M_KEY_SIZE: rc = read_u32(w, &d->key_size); break;
        case M_VALUE_SIZE: rc = read_u32(w, &d->value_size); break;
        case M_MAX_ENTRIES: rc = read_u32(w, &d->max_entries); break;
        default: rc = read_u32(w, &d->flags); break;
        }
        if (rc != 0) return rc;
        path_pop(w, mark);
    }
    if (rc < 0) return rc;
    return check_missing(w, map_keys, M_COUNT, ((1u << M_COUNT) - 1) & ~(1u << M_FLAGS), seen);
}

/* The maps array; the path names it already. */
static int walk_maps(walker_t *w, mbpf_manifest_t *m)
{
    int rc = open_container(w, MBPF_TOK_ARRAY_BEGIN);
    for (uint32_t i = 0; rc == 0; i++) {
        if ((rc = advance(w)) != 0) return rc;
        if (w->tok.type == MBPF_TOK_ARRAY_END) {
            m->map_count = i;
            return 0;
        }
        if (i == MBPF_MANIFEST_MAX_MAPS)
            return fail(w, MBPF_PKG_E_MANIFEST_LIMIT, "more than %d maps", MBPF_MANIFEST_MAX_MAPS);
        size_t mark = path_index(w, i);
        if (w->tok.type != MBPF_TOK_MAP_BEGIN) return type_error(w, "a map");
        if ((rc = walk_map_def(w, &m->maps[i])) != 0) return rc;
        path_pop(w, mark);
    }
    return rc;
}

enum {
    K_PROGRAM_NAME,
    K_PROGRAM_VERSION,
    K_HOOK_TYPE,
    K_HOOK_CTX_ABI_VERSION,
    K_ENTRY_SYMBOL,
    K_BYTECODE_VERSION,
    K_TARGET,
    K_MBPF_API_VERSION,
    K_HEAP_SIZE,
    K_BUDGETS,
    K_CAPABILITIES,
    K_HELPER_VERSIONS,
    K_MAPS,
    K_COUNT
};
static const char *const top_keys[K_COUNT] = {
    "program_name", "program_version",  "hook_type",    "hook_ctx_abi_version",
    "entry_symbol", "bytecode_version", "target",       "mbpf_api_version",
    "heap_size",    "budgets",          "capabilities", "helper_versions",
    "maps",
};
#define TOP_OPTIONAL                                                                               \
    (1u << K_ENTRY_SYMBOL | 1u << K_CAPABILITIES | 1u << K_HELPER_VERSIONS | 1u << K_MAPS)

static int walk_manifest(walker_t *w, mbpf_manifest_t *m)
{
    uint32_t seen = 0;
    unsigned k;
    size_t mark;
    int rc = open_container(w, MBPF_TOK_MAP_BEGIN);
    if (rc != 0) return rc;
    while ((rc = next_key(w, top_keys, K_COUNT, &seen, &k, &mark)) == 1) {
        switch (k) {
        case K_PROGRAM_NAME:
            rc = read_text(w, m->program_name, MBPF_MANIFEST_NAME_MAX, CS_PRINTABLE);
            break;
        case K_PROGRAM_VERSION:
            rc = read_text(w, m->program_version, MBPF_MANIFEST_VERSION_MAX, CS_PRINTABLE);
            break;
        case K_HOOK_TYPE:
            rc = read_enum(w, hook_names, MBPF_HOOK_TYPE_MAX, "hook type", &m->hook_type);
            break;
        case K_HOOK_CTX_ABI_VERSION: rc = read_u32(w, &m->hook_ctx_abi_version); break;
        case K_ENTRY_SYMBOL:
            rc = read_text(w, m->entry_symbol, MBPF_MANIFEST_NAME_MAX, CS_IDENT);
            break;
        case K_BYTECODE_VERSION: rc = read_u32(w, &m->bytecode_version); break;
        case K_TARGET: rc = walk_target(w, m); break;
        case K_MBPF_API_VERSION: rc = read_u32(w, &m->mbpf_api_version); break;
        case K_HEAP_SIZE: rc = read_u32(w, &m->heap_size); break;
        case K_BUDGETS: rc = walk_budgets(w, m); break;
        case K_CAPABILITIES: rc = walk_capabilities(w, m); break;
        case K_HELPER_VERSIONS: rc = walk_helper_versions(w, m); break;
        default: rc = walk_maps(w, m); break;
        }
        if (rc != 0) return rc;
        path_pop(w, mark);
    }
    if (rc < 0) return rc;
    return check_missing(w, top_keys, K_COUNT, ((1u << K_COUNT) - 1) & ~TOP_OPTIONAL, seen);
}

/* ---- rules on the filled struct ---- */

static int check_text_field(walker_t *w, const char *key, const char *s, size_t size, int cs)
{
    size_t mark = path_key(w, key, strlen(key), 0);
    const char *nul = memchr(s, '\0', size);
    if (!nul) return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "not NUL-terminated");
    int rc = check_chars(w, s, (size_t)(nul - s), cs);
    if (rc == 0) path_pop(w, mark);
    return rc;
}

static int check_u32_nonzero(walker_t *w, const char *key, uint32_t v)
{
    if (v != 0) return 0;
    path_key(w, key, strlen(key), 0);
    return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "must be greater than 0");
}

static int is_keyless(uint32_t type)
{
    return type == MBPF_MAP_ARRAY || type == MBPF_MAP_PERCPU_ARRAY || type == MBPF_MAP_COUNTER ||
           type == MBPF_MAP_RINGBUF;
}

static int check_map_def(walker_t *w, const mbpf_manifest_t *m, uint32_t i)
{
    const mbpf_map_def_t *d = &m->maps[i];
    int rc = check_text_field(w, "name", d->name, sizeof d->name, CS_IDENT);
    if (rc != 0) return rc;
    for (uint32_t j = 0; j < i; j++) {
        if (strcmp(m->maps[j].name, d->name) == 0) {
            path_key(w, "name", 4, 0);
            return fail(w, MBPF_PKG_E_MANIFEST_DUPLICATE, "\"%s\" already used by maps[%u]",
                        d->name, (unsigned)j);
        }
    }
    const char *tname = mbpf_map_type_name(d->type);
    if (!tname) {
        path_key(w, "type", 4, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown map type %u", (unsigned)d->type);
    }
    if (is_keyless(d->type) ? d->key_size != 0 : d->key_size == 0) {
        path_key(w, "key_size", 8, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "%u not allowed for type %s%s",
                    (unsigned)d->key_size, tname, d->key_size ? " (must be 0)" : "");
    }
    if (d->type == MBPF_MAP_COUNTER && d->value_size != 8) {
        path_key(w, "value_size", 10, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "%u not allowed for type counter (must be 8)",
                    (unsigned)d->value_size);
    }
    if (d->type == MBPF_MAP_RINGBUF && d->value_size > d->max_entries) {
        path_key(w, "value_size", 10, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE,
                    "record size %u exceeds the ring size %u (max_entries)",
                    (unsigned)d->value_size, (unsigned)d->max_entries);
    }
    if (d->type != MBPF_MAP_RINGBUF && d->value_size == 0) {
        path_key(w, "value_size", 10, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "0 not allowed for type %s", tname);
    }
    if (d->max_entries == 0) {
        path_key(w, "max_entries", 11, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "0 not allowed for type %s", tname);
    }
    if (d->flags & ~MBPF_MAP_F_ALL) {
        path_key(w, "flags", 5, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown flag bits 0x%x",
                    (unsigned)(d->flags & ~MBPF_MAP_F_ALL));
    }
    return 0;
}

static int check_maps(walker_t *w, const mbpf_manifest_t *m)
{
    if (m->map_count > MBPF_MANIFEST_MAX_MAPS)
        return fail(w, MBPF_PKG_E_MANIFEST_LIMIT, "more than %d maps", MBPF_MANIFEST_MAX_MAPS);
    for (uint32_t i = 0; i < m->map_count; i++) {
        size_t mark = path_index(w, i);
        int rc = check_map_def(w, m, i);
        if (rc != 0) return rc;
        path_pop(w, mark);
    }
    return 0;
}

static int check_manifest(walker_t *w, const mbpf_manifest_t *m)
{
    int rc;
    size_t mark;
    if ((rc = check_text_field(w, "program_name", m->program_name, sizeof m->program_name,
                               CS_PRINTABLE)) != 0 ||
        (rc = check_text_field(w, "program_version", m->program_version, sizeof m->program_version,
                               CS_PRINTABLE)) != 0)
        return rc;
    if (!mbpf_hook_type_name(m->hook_type)) {
        path_key(w, "hook_type", 9, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown hook type %u", (unsigned)m->hook_type);
    }
    if ((rc = check_text_field(w, "entry_symbol", m->entry_symbol, sizeof m->entry_symbol,
                               CS_IDENT)) != 0)
        return rc;
    if (m->target_word_size != MBPF_TARGET_ANY && m->target_word_size != 32 &&
        m->target_word_size != 64) {
        path_key(w, "target.word_size", 16, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "%u not allowed (32, 64 or \"any\")",
                    m->target_word_size);
    }
    if (m->target_endianness > MBPF_TARGET_BIG) {
        path_key(w, "target.endianness", 17, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "%u not allowed (MBPF_TARGET_*)",
                    m->target_endianness);
    }
    if ((rc = check_u32_nonzero(w, "heap_size", m->heap_size)) != 0 ||
        (rc = check_u32_nonzero(w, "budgets.max_steps", m->max_steps)) != 0 ||
        (rc = check_u32_nonzero(w, "budgets.max_helpers", m->max_helpers)) != 0)
        return rc;
    if (m->capabilities & ~MBPF_CAP_ALL) {
        path_key(w, "capabilities", 12, 0);
        return fail(w, MBPF_PKG_E_MANIFEST_VALUE, "unknown capability bits 0x%x",
                    (unsigned)(m->capabilities & ~MBPF_CAP_ALL));
    }
    mark = path_key(w, "helper_versions", 15, 0);
    if (m->helper_version_count > MBPF_MANIFEST_MAX_HELPER_VERSIONS)
        return fail(w, MBPF_PKG_E_MANIFEST_LIMIT, "more than %d entries",
                    MBPF_MANIFEST_MAX_HELPER_VERSIONS);
    for (uint32_t i = 0; i < m->helper_version_count; i++) {
        size_t item = path_index(w, i);
        if ((rc = check_text_field(w, "name", m->helper_versions[i].name,
                                   sizeof m->helper_versions[i].name, CS_IDENT)) != 0)
            return rc;
        path_pop(w, item);
        for (uint32_t j = 0; j < i; j++) {
            const char *name = m->helper_versions[i].name;
            if (strcmp(m->helper_versions[j].name, name) == 0) {
                path_key(w, name, strlen(name), 0);
                return fail(w, MBPF_PKG_E_MANIFEST_DUPLICATE, "duplicate key");
            }
        }
    }
    path_pop(w, mark);
    mark = path_key(w, "maps", 4, 0);
    if ((rc = check_maps(w, m)) != 0) return rc;
    path_pop(w, mark);
    return 0;
}

int mbpf_manifest_validate(const mbpf_manifest_t *m, mbpf_diag_t *diag)
{
    walker_t w;
    walker_init(&w, "manifest", diag);
    if (!m) return fail(&w, MBPF_PKG_E_INVALID_ARG, "no manifest given");
    return check_manifest(&w, m);
}

/* ---- decoding ---- */

typedef union reader {
    mbpf_cbor_reader_t cbor;
#ifdef MBPF_JSON_MANIFEST
    mbpf_json_reader_t json;
#endif
} reader_t;

static void reader_init(reader_t *r, int json, const void *buf, size_t len, const char *doc,
                        mbpf_tok_next_fn *next)
{
#ifdef MBPF_JSON_MANIFEST
    if (json) {
        mbpf_json_reader_init(&r->json, buf, len, doc);
        *next = mbpf_json_reader_next;
        return;
    }
#else
    (void)json;
#endif
    mbpf_cbor_reader_init(&r->cbor, buf, len, doc);
    *next = mbpf_cbor_reader_next;
}

/* First pass: syntax only, to the end of the input. */
static int check_syntax(int json, const void *buf, size_t len, const char *doc, mbpf_diag_t *diag)
{
    reader_t r;
    mbpf_tok_next_fn next;
    mbpf_tok_t tok;
    reader_init(&r, json, buf, len, doc, &next);
    do {
        int rc = next(&r, &tok, diag);
        if (rc != 0) return rc;
    } while (tok.type != MBPF_TOK_EOF);
    return 0;
}

static int check_args(const void *buf, size_t len, const void *out, const char *doc,
                      mbpf_diag_t *diag)
{
    if (out && (buf || len == 0)) return 0;
    mbpf_diag_set(diag, "%s: invalid argument", doc);
    return MBPF_PKG_E_INVALID_ARG;
}

static int decode(int json, const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag)
{
    int rc = check_args(buf, len, out, "manifest", diag);
    if (rc != 0) return rc;
    memset(out, 0, sizeof *out);
    if ((rc = check_syntax(json, buf, len, "manifest", diag)) != 0) return rc;

    reader_t r;
    walker_t w;
    walker_init(&w, "manifest", diag);
    reader_init(&r, json, buf, len, "manifest", &w.next);
    w.reader = &r;
    memcpy(out->entry_symbol, "mbpf_prog", sizeof "mbpf_prog");
    rc = walk_manifest(&w, out);
    if (rc == 0 && (rc = advance(&w)) == 0 && w.tok.type != MBPF_TOK_EOF)
        rc = fail(&w, MBPF_PKG_E_MANIFEST_SYNTAX, "data after the manifest");
    if (rc == 0) rc = check_manifest(&w, out);
    if (rc != 0) memset(out, 0, sizeof *out);
    return rc;
}

int mbpf_manifest_decode_cbor(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag)
{
    return decode(0, buf, len, out, diag);
}

#ifdef MBPF_JSON_MANIFEST
int mbpf_manifest_decode_json(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag)
{
    return decode(1, buf, len, out, diag);
}
#endif

/* JSON when the first byte that is not JSON whitespace is `open`. No valid
 * CBOR manifest or MAPS section starts so: their first byte is a map or
 * array head (0x80..0xBB), never whitespace, '{' or '['. */
static int looks_like_json(const void *buf, size_t len, uint8_t open)
{
    const uint8_t *p = buf;
    for (size_t i = 0; p && i < len; i++) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') continue;
        return p[i] == open;
    }
    return 0;
}

#ifndef MBPF_JSON_MANIFEST
static int no_json(const char *doc, mbpf_diag_t *diag)
{
    mbpf_diag_set(diag, "%s: JSON is not supported by this build (MBPF_JSON_MANIFEST)", doc);
    return MBPF_PKG_E_MANIFEST_SYNTAX;
}
#endif

int mbpf_manifest_decode(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag)
{
    if (looks_like_json(buf, len, '{')) {
#ifdef MBPF_JSON_MANIFEST
        return decode(1, buf, len, out, diag);
#else
        if (out) memset(out, 0, sizeof *out);
        return no_json("manifest", diag);
#endif
    }
    return decode(0, buf, len, out, diag);
}

int mbpf_manifest_decode_maps(const void *buf, size_t len, mbpf_manifest_t *m, mbpf_diag_t *diag)
{
    static const char doc[] = "maps section";
    int rc = check_args(buf, len, m, doc, diag);
    if (rc != 0) return rc;
    if (m->map_count != 0) {
        mbpf_diag_set(diag, "%s: maps: already defined in the manifest", doc);
        return MBPF_PKG_E_MANIFEST_DUPLICATE;
    }
    int json = looks_like_json(buf, len, '[');
#ifndef MBPF_JSON_MANIFEST
    if (json) return no_json(doc, diag);
#endif
    if ((rc = check_syntax(json, buf, len, doc, diag)) != 0) return rc;

    reader_t r;
    walker_t w;
    walker_init(&w, doc, diag);
    reader_init(&r, json, buf, len, doc, &w.next);
    w.reader = &r;
    path_key(&w, "maps", 4, 0);
    rc = walk_maps(&w, m);
    path_pop(&w, 0);
    if (rc == 0 && (rc = advance(&w)) == 0 && w.tok.type != MBPF_TOK_EOF)
        rc = fail(&w, MBPF_PKG_E_MANIFEST_SYNTAX, "data after the maps");
    if (rc == 0) {
        path_key(&w, "maps", 4, 0);
        rc = check_maps(&w, m);
    }
    if (rc != 0) {
        memset(m->maps, 0, sizeof m->maps);
        m->map_count = 0;
    }
    return rc;
}
