/*
 * Manifest documents as generic trees. A file is turned into CBOR first
 * (JSON through mbpf_tool_json_to_cbor, which keeps integers exact and
 * non-integers as floats), read into the tree with the runtime's CBOR
 * tokenizer, edited, and written back as CBOR for the runtime's schema
 * decoder. Everything the tree does not understand is kept as it came, so
 * the schema, not this file, decides what is wrong with a manifest.
 *
 * A map node keeps its entries as key, value, key, value, ... in document
 * order; duplicate keys are kept (the schema rejects them) and lookups see
 * the first.
 */
#include "manifest_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_reader.h"
#include "cbor_writer.h"
#include "manifest_json.h"
#include "tool_io.h"

typedef struct node {
    mbpf_tok_type_t type; /* MAP_BEGIN for a map, ARRAY_BEGIN for an array, or a scalar */
    uint64_t u;           /* UINT, NEGINT, BOOL */
    char *text;           /* TEXT, BYTES: len bytes, malloc'd */
    size_t len;
    struct node **kids; /* map: key, value, ...; array: items */
    size_t n, cap;
} node_t;

struct mbpf_tool_mdoc {
    node_t *root;
};

/* Any CBOR float: the schema rejects floats without looking at the value. */
#define FLOAT_BITS 0x3FE0000000000000ull /* 0.5 */

static void node_free(node_t *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) node_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static node_t *node_new(mbpf_tok_type_t type)
{
    node_t *n = calloc(1, sizeof *n);
    if (n) n->type = type;
    return n;
}

static node_t *node_text(const char *s, size_t len)
{
    node_t *n = node_new(MBPF_TOK_TEXT);
    if (!n) return NULL;
    n->text = malloc(len ? len : 1);
    if (!n->text) {
        free(n);
        return NULL;
    }
    if (len) memcpy(n->text, s, len);
    n->len = len;
    return n;
}

static node_t *node_uint(uint64_t v)
{
    node_t *n = node_new(MBPF_TOK_UINT);
    if (n) n->u = v;
    return n;
}

/* Appends kid to n (taking ownership, also on failure). */
static int node_push(node_t *n, node_t *kid)
{
    if (!kid) return -1;
    if (n->n == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 8;
        node_t **k = realloc(n->kids, cap * sizeof *k);
        if (!k) {
            node_free(kid);
            return -1;
        }
        n->kids = k;
        n->cap = cap;
    }
    n->kids[n->n++] = kid;
    return 0;
}

static int is_text(const node_t *n, const char *s)
{
    return n->type == MBPF_TOK_TEXT && n->len == strlen(s) && memcmp(n->text, s, n->len) == 0;
}

/* Index of the value of key in map m, or -1. */
static long map_find(const node_t *m, const char *key)
{
    if (!m || m->type != MBPF_TOK_MAP_BEGIN) return -1;
    for (size_t i = 0; i + 1 < m->n; i += 2)
        if (is_text(m->kids[i], key)) return (long)(i + 1);
    return -1;
}

static node_t *map_get(const node_t *m, const char *key)
{
    long i = map_find(m, key);
    return i < 0 ? NULL : m->kids[i];
}

/* Sets key in map m to val (owned). With replace 0 a present key is kept. */
static int map_set(node_t *m, const char *key, node_t *val, int replace)
{
    if (!val) return -1;
    long i = map_find(m, key);
    if (i >= 0) {
        if (replace) {
            node_free(m->kids[i]);
            m->kids[i] = val;
        } else {
            node_free(val);
        }
        return 0;
    }
    if (node_push(m, node_text(key, strlen(key))) != 0) {
        node_free(val);
        return -1;
    }
    return node_push(m, val);
}

/* The map a field lives in: the root, or the nested map at key (created
 * when absent). NULL with *oom 0 when there is no such map to edit. */
static node_t *field_parent(mbpf_tool_mdoc_t *d, const char *key, const char *sub, int *oom)
{
    *oom = 0;
    node_t *root = d->root;
    if (root->type != MBPF_TOK_MAP_BEGIN) return NULL;
    if (!sub) return root;
    node_t *m = map_get(root, key);
    if (m) return m->type == MBPF_TOK_MAP_BEGIN ? m : NULL;
    if (map_set(root, key, node_new(MBPF_TOK_MAP_BEGIN), 1) != 0) {
        *oom = 1;
        return NULL;
    }
    return map_get(root, key);
}

static int set_field(mbpf_tool_mdoc_t *d, const char *key, const char *sub, node_t *val,
                     int replace)
{
    int oom;
    if (!val) return MBPF_TOOL_EFAIL;
    node_t *parent = field_parent(d, key, sub, &oom);
    if (!parent) {
        node_free(val);
        return oom ? MBPF_TOOL_EFAIL : 0;
    }
    return map_set(parent, sub ? sub : key, val, replace) == 0 ? 0 : MBPF_TOOL_EFAIL;
}

static const node_t *get_field(const mbpf_tool_mdoc_t *d, const char *key, const char *sub)
{
    const node_t *v = map_get(d->root, key);
    return v && sub ? map_get(v, sub) : v;
}

/* ---- CBOR in and out ---- */

/* Reads the item starting with tok (already read) into *out. The reader
 * bounds the nesting, so the recursion is bounded too. */
static int read_item(mbpf_cbor_reader_t *r, const mbpf_tok_t *tok, node_t **out, mbpf_diag_t *diag)
{
    int rc;
    node_t *n = node_new(tok->type);
    if (!n) return MBPF_PKG_E_NOSPACE;
    switch (tok->type) {
    case MBPF_TOK_TEXT:
    case MBPF_TOK_BYTES:
        n->text = malloc(tok->len ? tok->len : 1);
        if (!n->text) goto oom;
        if (tok->len) memcpy(n->text, tok->text, tok->len);
        n->len = tok->len;
        break;
    case MBPF_TOK_MAP_BEGIN:
    case MBPF_TOK_ARRAY_BEGIN: {
        mbpf_tok_type_t end =
            tok->type == MBPF_TOK_MAP_BEGIN ? MBPF_TOK_MAP_END : MBPF_TOK_ARRAY_END;
        for (;;) {
            mbpf_tok_t t;
            node_t *kid;
            rc = mbpf_cbor_reader_next(r, &t, diag);
            if (rc != 0) goto fail;
            if (t.type == end) break;
            rc = read_item(r, &t, &kid, diag);
            if (rc != 0) goto fail;
            if (node_push(n, kid) != 0) goto oom;
        }
        break;
    }
    default: n->u = tok->u; break;
    }
    *out = n;
    return 0;
oom:
    rc = MBPF_PKG_E_NOSPACE;
fail:
    node_free(n);
    return rc;
}

static void write_item(mbpf_cbor_writer_t *w, const node_t *n)
{
    switch (n->type) {
    case MBPF_TOK_MAP_BEGIN: mbpf_cbor_put_map(w, n->n / 2); break;
    case MBPF_TOK_ARRAY_BEGIN: mbpf_cbor_put_array(w, n->n); break;
    case MBPF_TOK_TEXT: mbpf_cbor_put_text(w, n->text, n->len); return;
    case MBPF_TOK_BYTES: mbpf_cbor_put_bytes(w, n->text, n->len); return;
    case MBPF_TOK_UINT: mbpf_cbor_put_uint(w, n->u); return;
    case MBPF_TOK_NEGINT: mbpf_cbor_put_negint(w, n->u); return;
    case MBPF_TOK_BOOL: mbpf_cbor_put_bool(w, n->u != 0); return;
    case MBPF_TOK_FLOAT: mbpf_cbor_put_float64_bits(w, FLOAT_BITS); return;
    default: mbpf_cbor_put_null(w); return;
    }
    for (size_t i = 0; i < n->n; i++) write_item(w, n->kids[i]);
}

/* ---- entry points ---- */

mbpf_tool_mdoc_t *mbpf_tool_mdoc_new(void)
{
    mbpf_tool_mdoc_t *d = malloc(sizeof *d);
    if (!d) return NULL;
    d->root = node_new(MBPF_TOK_MAP_BEGIN);
    if (!d->root) {
        free(d);
        return NULL;
    }
    return d;
}

void mbpf_tool_mdoc_free(mbpf_tool_mdoc_t *d)
{
    if (!d) return;
    node_free(d->root);
    free(d);
}

int mbpf_tool_mdoc_load(const char *path, mbpf_tool_mdoc_t **out, char *err, size_t errcap)
{
    *out = NULL;
    uint8_t *data, *cbor = NULL;
    size_t len, cbor_len;
    if (mbpf_tool_read_file(path, &data, &len, err, errcap) != 0) return MBPF_TOOL_EFAIL;
    if (mbpf_tool_is_json(data, len, '{')) {
        if (mbpf_tool_json_to_cbor((const char *)data, len, path, &cbor, &cbor_len, err, errcap) !=
            0) {
            free(data);
            return MBPF_TOOL_EFAIL;
        }
        free(data);
    } else {
        cbor = data;
        cbor_len = len;
    }

    int rc = MBPF_TOOL_EFAIL;
    mbpf_cbor_reader_t *r = malloc(sizeof *r);
    mbpf_tool_mdoc_t *d = malloc(sizeof *d);
    mbpf_diag_t diag = {{0}};
    mbpf_tok_t tok;
    int prc = MBPF_PKG_E_NOSPACE;
    if (d) d->root = NULL;
    if (!r || !d) goto report;
    mbpf_cbor_reader_init(r, cbor, cbor_len, "manifest");
    prc = mbpf_cbor_reader_next(r, &tok, &diag);
    if (prc == 0) prc = read_item(r, &tok, &d->root, &diag);
    if (prc == 0) prc = mbpf_cbor_reader_next(r, &tok, &diag); /* EOF, or trailing bytes */
report:
    if (prc == 0) {
        *out = d;
        d = NULL;
        rc = 0;
    } else if (prc == MBPF_PKG_E_NOSPACE) {
        mbpf_tool_err(err, errcap, "%s: out of memory", path);
    } else {
        mbpf_tool_err(err, errcap, "%s: %s", path, diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
    }
    mbpf_tool_mdoc_free(d);
    free(r);
    free(cbor);
    return rc;
}

int mbpf_tool_mdoc_has(const mbpf_tool_mdoc_t *d, const char *key, const char *sub)
{
    return get_field(d, key, sub) != NULL;
}

int mbpf_tool_mdoc_get_uint(const mbpf_tool_mdoc_t *d, const char *key, const char *sub,
                            uint64_t *v)
{
    const node_t *n = get_field(d, key, sub);
    if (!n || n->type != MBPF_TOK_UINT) return 0;
    *v = n->u;
    return 1;
}

int mbpf_tool_mdoc_set_uint(mbpf_tool_mdoc_t *d, const char *key, const char *sub, uint64_t v,
                            int replace)
{
    return set_field(d, key, sub, node_uint(v), replace);
}

int mbpf_tool_mdoc_set_text(mbpf_tool_mdoc_t *d, const char *key, const char *sub, const char *s,
                            int replace)
{
    return set_field(d, key, sub, node_text(s, strlen(s)), replace);
}

int mbpf_tool_mdoc_add_capability(mbpf_tool_mdoc_t *d, uint32_t bit)
{
    const char *name = mbpf_capability_name(bit);
    if (!name) return MBPF_TOOL_EFAIL;
    if (set_field(d, "capabilities", NULL, node_new(MBPF_TOK_ARRAY_BEGIN), 0) != 0)
        return MBPF_TOOL_EFAIL;
    node_t *caps = map_get(d->root, "capabilities");
    if (!caps || caps->type != MBPF_TOK_ARRAY_BEGIN) return 0;
    for (size_t i = 0; i < caps->n; i++) {
        const node_t *c = caps->kids[i];
        if (is_text(c, name) || (c->type == MBPF_TOK_UINT && c->u == bit)) return 0;
    }
    return node_push(caps, node_text(name, strlen(name))) == 0 ? 0 : MBPF_TOOL_EFAIL;
}

int mbpf_tool_mdoc_put_map(mbpf_tool_mdoc_t *d, const mbpf_map_def_t *def)
{
    const char *type = mbpf_map_type_name(def->type);
    node_t *m = node_new(MBPF_TOK_MAP_BEGIN);
    if (!m || !type) {
        node_free(m);
        return MBPF_TOOL_EFAIL;
    }
    if (map_set(m, "name", node_text(def->name, strlen(def->name)), 1) != 0 ||
        map_set(m, "type", node_text(type, strlen(type)), 1) != 0 ||
        map_set(m, "key_size", node_uint(def->key_size), 1) != 0 ||
        map_set(m, "value_size", node_uint(def->value_size), 1) != 0 ||
        map_set(m, "max_entries", node_uint(def->max_entries), 1) != 0 ||
        (def->flags && map_set(m, "flags", node_uint(def->flags), 1) != 0)) {
        node_free(m);
        return MBPF_TOOL_EFAIL;
    }
    if (set_field(d, "maps", NULL, node_new(MBPF_TOK_ARRAY_BEGIN), 0) != 0) {
        node_free(m);
        return MBPF_TOOL_EFAIL;
    }
    node_t *maps = map_get(d->root, "maps");
    if (!maps || maps->type != MBPF_TOK_ARRAY_BEGIN) {
        node_free(m);
        return 0;
    }
    for (size_t i = 0; i < maps->n; i++) {
        const node_t *name = map_get(maps->kids[i], "name");
        if (name && is_text(name, def->name)) {
            node_free(maps->kids[i]);
            maps->kids[i] = m;
            return 0;
        }
    }
    return node_push(maps, m) == 0 ? 0 : MBPF_TOOL_EFAIL;
}

int mbpf_tool_mdoc_decode(const mbpf_tool_mdoc_t *d, const char *name, mbpf_manifest_t *m,
                          char *err, size_t errcap)
{
    mbpf_cbor_writer_t w;
    size_t need, len;
    mbpf_cbor_writer_init(&w, NULL, 0);
    write_item(&w, d->root);
    mbpf_cbor_writer_finish(&w, &need);
    uint8_t *buf = malloc(need ? need : 1);
    if (!buf) {
        mbpf_tool_err(err, errcap, "%s: out of memory", name);
        return MBPF_PKG_E_NOSPACE;
    }
    mbpf_cbor_writer_init(&w, buf, need);
    write_item(&w, d->root);
    mbpf_cbor_writer_finish(&w, &len);
    mbpf_diag_t diag = {{0}};
    int rc = mbpf_manifest_decode_cbor(buf, len, m, &diag);
    free(buf);
    if (rc != 0)
        mbpf_tool_err(err, errcap, "%s: %s", name, diag.msg[0] ? diag.msg : mbpf_pkg_strerror(rc));
    return rc;
}
