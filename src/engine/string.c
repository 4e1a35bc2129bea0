/*
 * Strings and atoms. A string is a ROM atom (const C string, ASCII) or a
 * heap block of 8-bit (Latin-1) or 16-bit (UTF-16) code units. Atoms are
 * interned strings: the ROM table first, then the heap atoms listed in
 * ctx->atoms, so equal names are the identical value.
 */
#include "internal.h"

const char *const ujs_rom_atoms[ATOM__COUNT] = {
#define X(id, s) s,
    UJS_ATOM_LIST(X)
#undef X
};

void str_view(ujs_value v, strview *sv)
{
    if (v_is_romatom(v)) {
        const char *s = ujs_rom_atoms[v_romatom_idx(v)];
        sv->p = (const uint8_t *)s;
        sv->len = (uint32_t)strlen(s);
        sv->wide = false;
    } else {
        strblk *s = (strblk *)v;
        sv->p = str_bytes(s);
        sv->len = str_len(s);
        sv->wide = (s->lenf & STR_WIDE) != 0;
    }
}

ujs_value str_new(ujs_ctx *ctx, uint32_t len, bool wide)
{
    if (len > (1u << 29)) return throw_fmt(ctx, E_RANGE, "string too long");
    uword bytes = (uword)len << (wide ? 1 : 0), words = 2 + words_for_bytes(bytes);
    strblk *s = (strblk *)heap_alloc_raw_fast(ctx, words, T_STRING);
    if (!s && !(s = heap_alloc(ctx, words, T_STRING))) return throw_oom(ctx);
    s->lenf = ((uword)len << 2) | (wide ? STR_WIDE : 0);
    return (ujs_value)s;
}

/* Decodes one UTF-8 sequence; invalid bytes decode as U+FFFD. */
static uint32_t utf8_next(const uint8_t *s, size_t len, size_t *i)
{
    uint32_t c = s[*i];
    size_t n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c < 0xC2 || c > 0xF4 || n > len - *i - 1) {
        (*i)++;
        return 0xFFFD;
    }
    c &= 0x3F >> n;
    for (size_t k = 1; k <= n; k++) {
        uint8_t b = s[*i + k];
        if ((b & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        c = (c << 6) | (b & 0x3F);
    }
    *i += n + 1;
    return c;
}

ujs_value str_from_utf8(ujs_ctx *ctx, const char *cs, size_t len)
{
    const uint8_t *s = (const uint8_t *)cs;
    uint32_t units = 0;
    bool wide = false;
    for (size_t i = 0; i < len;) {
        uint32_t c = utf8_next(s, len, &i);
        if (c > 0xFF) wide = true;
        units += c > 0xFFFF ? 2 : 1;
    }
    ujs_value v = str_new(ctx, units, wide);
    if (v == V_EXCEPTION) return v;
    uint8_t *d = str_bytes((strblk *)v);
    uint32_t k = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c = utf8_next(s, len, &i);
        if (!wide) {
            d[k++] = (uint8_t)c;
        } else if (c > 0xFFFF) {
            uint16_t hi = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            uint16_t lo = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
            memcpy(d + 2 * k++, &hi, 2);
            memcpy(d + 2 * k++, &lo, 2);
        } else {
            uint16_t u = (uint16_t)c;
            memcpy(d + 2 * k++, &u, 2);
        }
    }
    return v;
}

/* sv must not point into the heap (or the caller must re-view after GC):
 * callers pass views of ROM atoms, C strings, or blocks they keep rooted and
 * re-read here after the allocation. */
static void copy_units(uint8_t *d, bool dwide, const strview *sv, uint32_t start, uint32_t end)
{
    if (dwide == sv->wide) {
        memcpy(d, sv->p + ((size_t)start << (dwide ? 1 : 0)),
               (size_t)(end - start) << (dwide ? 1 : 0));
        return;
    }
    for (uint32_t i = start; i < end; i++) {
        uint16_t u = (uint16_t)sv_at(sv, i);
        memcpy(d + 2 * (size_t)(i - start), &u, 2);
    }
}

ujs_value str_from_view(ujs_ctx *ctx, const strview *sv, uint32_t start, uint32_t end)
{
    bool wide = false;
    if (sv->wide)
        for (uint32_t i = start; i < end; i++)
            if (sv_at(sv, i) > 0xFF) wide = true;
    /* sv must not view a heap string: callers pass source text, C strings
     * or ROM atoms (heap substrings are copied by the built-ins themselves) */
    ujs_value v = str_new(ctx, end - start, wide);
    if (v == V_EXCEPTION) return v;
    copy_units(str_bytes((strblk *)v), wide, sv, start, end);
    return v;
}

/* A new Latin-1 string of len units for a concatenation of *a and *b,
 * which stay rooted (and are updated) if the allocation collects. */
static inline strblk *new_narrow(ujs_ctx *ctx, uint64_t len, ujs_value *a, ujs_value *b)
{
    if (len > (1u << 29)) {
        throw_fmt(ctx, E_RANGE, "string too long");
        return NULL;
    }
    uword words = 2 + words_for_bytes((uword)len);
    strblk *s = (strblk *)heap_alloc_raw_fast(ctx, words, T_STRING);
    if (!s) {
        ctx->scratch[0] = *a;
        ctx->scratch[1] = *b;
        s = (strblk *)heap_alloc(ctx, words, T_STRING);
        *a = ctx->scratch[0];
        *b = ctx->scratch[1];
        ctx->scratch[0] = ctx->scratch[1] = V_UNDEFINED;
        if (!s) {
            throw_oom(ctx);
            return NULL;
        }
    }
    s->lenf = (uword)len << 2;
    return s;
}

/* a + b of two Latin-1 heap strings, the common case of string building:
 * no views, one allocation, two copies. */
static ujs_value concat_narrow(ujs_ctx *ctx, ujs_value a, ujs_value b)
{
    uint32_t la = str_len((strblk *)a), lb = str_len((strblk *)b);
    if (la == 0) return b;
    if (lb == 0) return a;
    strblk *s = new_narrow(ctx, (uint64_t)la + lb, &a, &b);
    if (!s) return V_EXCEPTION;
    memcpy(str_bytes(s), str_bytes((strblk *)a), la);
    memcpy(str_bytes(s) + la, str_bytes((strblk *)b), lb);
    return (ujs_value)s;
}

ujs_value str_concat(ujs_ctx *ctx, ujs_value a, ujs_value b)
{
    if (!v_is_romatom(a) && !v_is_romatom(b) &&
        !((((strblk *)a)->lenf | ((strblk *)b)->lenf) & STR_WIDE))
        return concat_narrow(ctx, a, b);
    strview va, vb;
    str_view(a, &va);
    str_view(b, &vb);
    if (va.len == 0) return b;
    if (vb.len == 0) return a;
    if (!va.wide && !vb.wide) { /* Latin-1 both: two copies */
        uint32_t la = va.len, lb = vb.len;
        if ((uint64_t)la + lb > (1u << 29)) return throw_fmt(ctx, E_RANGE, "string too long");
        ctx->scratch[0] = a;
        ctx->scratch[1] = b;
        ujs_value v = str_new(ctx, la + lb, false);
        a = ctx->scratch[0];
        b = ctx->scratch[1];
        ctx->scratch[0] = ctx->scratch[1] = V_UNDEFINED;
        if (v == V_EXCEPTION) return v;
        uint8_t *d = str_bytes((strblk *)v);
        memcpy(d,
               v_is_romatom(a) ? (const uint8_t *)ujs_rom_atoms[v_romatom_idx(a)]
                               : str_bytes((strblk *)a),
               la);
        memcpy(d + la,
               v_is_romatom(b) ? (const uint8_t *)ujs_rom_atoms[v_romatom_idx(b)]
                               : str_bytes((strblk *)b),
               lb);
        return v;
    }
    bool wide = false;
    for (uint32_t i = 0; va.wide && i < va.len && !wide; i++) wide = sv_at(&va, i) > 0xFF;
    for (uint32_t i = 0; vb.wide && i < vb.len && !wide; i++) wide = sv_at(&vb, i) > 0xFF;
    if ((uint64_t)va.len + vb.len > (1u << 29)) return throw_fmt(ctx, E_RANGE, "string too long");
    ctx->scratch[0] = a;
    ctx->scratch[1] = b;
    ujs_value v = str_new(ctx, va.len + vb.len, wide);
    a = ctx->scratch[0];
    b = ctx->scratch[1];
    ctx->scratch[0] = ctx->scratch[1] = V_UNDEFINED;
    if (v == V_EXCEPTION) return v;
    str_view(a, &va);
    str_view(b, &vb);
    uint8_t *d = str_bytes((strblk *)v);
    copy_units(d, wide, &va, 0, va.len);
    copy_units(d + ((size_t)va.len << (wide ? 1 : 0)), wide, &vb, 0, vb.len);
    return v;
}

ujs_value str_concat_ascii(ujs_ctx *ctx, ujs_value s, const char *buf, uint32_t n, bool before)
{
    if (!v_is_romatom(s) && !(((strblk *)s)->lenf & STR_WIDE)) { /* Latin-1 heap string */
        uint32_t ls = str_len((strblk *)s);
        ujs_value none = V_UNDEFINED;
        strblk *r = new_narrow(ctx, (uint64_t)ls + n, &s, &none);
        if (!r) return V_EXCEPTION;
        uint8_t *d = str_bytes(r);
        memcpy(before ? d + n : d, str_bytes((strblk *)s), ls);
        memcpy(before ? d : d + ls, buf, n);
        return (ujs_value)r;
    }
    strview vs;
    str_view(s, &vs);
    bool wide = false;
    for (uint32_t i = 0; vs.wide && i < vs.len && !wide; i++) wide = sv_at(&vs, i) > 0xFF;
    if ((uint64_t)vs.len + n > (1u << 29)) return throw_fmt(ctx, E_RANGE, "string too long");
    ctx->scratch[0] = s;
    ujs_value v = str_new(ctx, vs.len + n, wide);
    s = ctx->scratch[0];
    ctx->scratch[0] = V_UNDEFINED;
    if (v == V_EXCEPTION) return v;
    str_view(s, &vs);
    strview vb = {(const uint8_t *)buf, n, false};
    uint8_t *d = str_bytes((strblk *)v);
    unsigned sh = wide ? 1 : 0;
    if (before) {
        copy_units(d, wide, &vb, 0, n);
        copy_units(d + ((size_t)n << sh), wide, &vs, 0, vs.len);
    } else {
        copy_units(d, wide, &vs, 0, vs.len);
        copy_units(d + ((size_t)vs.len << sh), wide, &vb, 0, n);
    }
    return v;
}

static bool sv_equal(const strview *a, const strview *b)
{
    if (a->len != b->len) return false;
    if (a->wide == b->wide) return memcmp(a->p, b->p, (size_t)a->len << (a->wide ? 1 : 0)) == 0;
    for (uint32_t i = 0; i < a->len; i++)
        if (sv_at(a, i) != sv_at(b, i)) return false;
    return true;
}

bool str_equal(ujs_value a, ujs_value b)
{
    if (a == b) return true;
    strview va, vb;
    str_view(a, &va);
    str_view(b, &vb);
    return sv_equal(&va, &vb);
}

int str_compare(ujs_value a, ujs_value b)
{
    strview va, vb;
    str_view(a, &va);
    str_view(b, &vb);
    uint32_t n = va.len < vb.len ? va.len : vb.len;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t ca = sv_at(&va, i), cb = sv_at(&vb, i);
        if (ca != cb) return ca < cb ? -1 : 1;
    }
    return va.len < vb.len ? -1 : va.len > vb.len ? 1 : 0;
}

size_t utf8_encode(uint32_t c, uint8_t out[4])
{
    if (c < 0x80) {
        out[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (uint8_t)(0xC0 | (c >> 6));
        out[1] = (uint8_t)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (c >> 12));
        out[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (c >> 18));
    out[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (c & 0x3F));
    return 4;
}

size_t str_to_utf8(ujs_value v, char *buf, size_t size)
{
    strview sv;
    str_view(v, &sv);
    size_t n = 0;
    for (uint32_t i = 0; i < sv.len; i++) {
        uint32_t c = sv_at(&sv, i);
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < sv.len) {
            uint32_t d = sv_at(&sv, i + 1);
            if (d >= 0xDC00 && d < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            }
        }
        uint8_t tmp[4];
        size_t k = utf8_encode(c, tmp);
        for (size_t j = 0; j < k; j++, n++)
            if (size && n < size - 1) buf[n] = (char)tmp[j];
    }
    if (size) buf[n < size - 1 ? n : size - 1] = 0;
    return n;
}

uint32_t sv_hash(const strview *sv)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < sv->len; i++) h = (h ^ sv_at(sv, i)) * 16777619u;
    return h;
}

static ujs_value atom_lookup(ujs_ctx *ctx, const strview *sv)
{
    for (uint32_t i = 0; i < ATOM__COUNT; i++) {
        const char *s = ujs_rom_atoms[i];
        if (sv->len && (uint8_t)s[0] != sv_at(sv, 0)) continue;
        strview r = {(const uint8_t *)s, (uint32_t)strlen(s), false};
        if (sv_equal(&r, sv)) return v_mkromatom(i);
    }
    if (ctx->natoms) {
        ujs_value *tab = (ujs_value *)v_ptr(ctx->atoms) + 1;
        for (uint32_t i = 0; i < ctx->natoms; i++) {
            strview a;
            str_view(tab[i], &a);
            if (sv_equal(&a, sv)) return tab[i];
        }
    }
    return V_UNDEFINED;
}

ujs_value atom_find(ujs_ctx *ctx, ujs_value str)
{
    if (v_is_romatom(str)) return str;
    if (((strblk *)str)->lenf & STR_ATOM) return str;
    strview sv;
    str_view(str, &sv);
    return atom_lookup(ctx, &sv);
}

/* Interns a string value (kept in scratch[2] across allocation). */
static ujs_value intern(ujs_ctx *ctx, ujs_value s)
{
    uword cap = ctx->natoms ? hdr_words(*v_ptr(ctx->atoms)) - 1 : 0;
    if (ctx->natoms == cap) {
        ctx->scratch[2] = s;
        uword ncap = cap ? cap * 2 : 4;
        ujs_value *na = heap_alloc(ctx, ncap + 1, T_VALARR);
        s = ctx->scratch[2];
        ctx->scratch[2] = V_UNDEFINED;
        if (!na) return throw_oom(ctx);
        if (cap) memcpy(na + 1, (ujs_value *)v_ptr(ctx->atoms) + 1, cap * WSIZE);
        ctx->atoms = (ujs_value)na;
    }
    ((strblk *)s)->lenf |= STR_ATOM;
    ((ujs_value *)v_ptr(ctx->atoms))[1 + ctx->natoms++] = s;
    return s;
}

ujs_value atom_from_view(ujs_ctx *ctx, const strview *sv)
{
    ujs_value a = atom_lookup(ctx, sv);
    if (a != V_UNDEFINED) return a;
    ujs_value s = str_from_view(ctx, sv, 0, sv->len);
    if (s == V_EXCEPTION) return s;
    return intern(ctx, s);
}

ujs_value atom_from_cstr(ujs_ctx *ctx, const char *cs)
{
    ujs_value s = str_from_utf8(ctx, cs, strlen(cs));
    if (s == V_EXCEPTION) return s;
    ujs_value a = atom_find(ctx, s);
    if (a != V_UNDEFINED) return a;
    return intern(ctx, s);
}

ujs_value atom_from_value(ujs_ctx *ctx, ujs_value key)
{
    if (!v_is_string(key)) {
        key = to_string(ctx, key);
        if (key == V_EXCEPTION) return key;
    }
    ujs_value a = atom_find(ctx, key);
    if (a != V_UNDEFINED) return a;
    /* heap string that is not an atom yet: it becomes one */
    return intern(ctx, key);
}

bool atom_is_index(ujs_value atom, uint32_t *idx)
{
    strview sv;
    str_view(atom, &sv);
    if (sv.len == 0 || sv.len > 10) return false;
    uint64_t n = 0;
    for (uint32_t i = 0; i < sv.len; i++) {
        uint32_t c = sv_at(&sv, i);
        if (c < '0' || c > '9' || (i == 0 && c == '0' && sv.len > 1)) return false;
        n = n * 10 + (c - '0');
    }
    if (n >= 0xFFFFFFFFu) return false;
    *idx = (uint32_t)n;
    return true;
}
