/*
 * A manifest put together from several sources, for `mbpf build`: a file
 * (JSON or CBOR, possibly incomplete), command-line settings that override
 * it, and defaults that complete it.
 *
 * The document is a generic tree of the manifest's data (maps, arrays,
 * strings, integers), not the decoded struct: a file may lack required
 * fields until the command line supplies them, and a value of the wrong
 * type must survive untouched so that the schema reports it with the
 * loader's own words. mbpf_tool_mdoc_decode applies the schema once, at the
 * end, through the runtime's decoder.
 */
#ifndef MBPF_TOOL_MANIFEST_EDIT_H
#define MBPF_TOOL_MANIFEST_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

typedef struct mbpf_tool_mdoc mbpf_tool_mdoc_t;

/* An empty document ({}), or NULL when out of memory. */
mbpf_tool_mdoc_t *mbpf_tool_mdoc_new(void);

/* Reads a manifest file as a document: JSON when its first non-space byte
 * is '{' (strict syntax, errors "FILE:LINE:COL: message"), CBOR otherwise
 * (errors "FILE: manifest: offset N: ..."). No schema is applied. Returns 0
 * or MBPF_TOOL_EFAIL with err set. */
int mbpf_tool_mdoc_load(const char *path, mbpf_tool_mdoc_t **out, char *err, size_t errcap);

void mbpf_tool_mdoc_free(mbpf_tool_mdoc_t *d);

/* Fields are named by a top-level key and, for fields of a nested map
 * (budgets.max_steps, target.word_size), the key inside it (sub; NULL for
 * top-level fields). */

/* 1 if the field is present (with any value), else 0. */
int mbpf_tool_mdoc_has(const mbpf_tool_mdoc_t *d, const char *key, const char *sub);

/* 1 with *v set if the field is present and an unsigned integer, else 0. */
int mbpf_tool_mdoc_get_uint(const mbpf_tool_mdoc_t *d, const char *key, const char *sub,
                            uint64_t *v);

/* Set a field: with replace 1 a present value is overwritten, with 0 only
 * an absent field is added (a default). A missing nested map is created;
 * a nested key whose parent is not a map, or a document that is not a map,
 * is left alone for the schema to report. Return 0 or MBPF_TOOL_EFAIL
 * (out of memory). */
int mbpf_tool_mdoc_set_uint(mbpf_tool_mdoc_t *d, const char *key, const char *sub, uint64_t v,
                            int replace);
int mbpf_tool_mdoc_set_text(mbpf_tool_mdoc_t *d, const char *key, const char *sub, const char *s,
                            int replace);

/* Adds a capability (one MBPF_CAP_* bit) to "capabilities", created if
 * absent, unless the array already lists it by name or by number. */
int mbpf_tool_mdoc_add_capability(mbpf_tool_mdoc_t *d, uint32_t bit);

/* Puts a map definition into "maps", created if absent: it replaces the
 * element whose "name" is def->name, or is appended. */
int mbpf_tool_mdoc_put_map(mbpf_tool_mdoc_t *d, const mbpf_map_def_t *def);

/* Applies the schema: the document is encoded as CBOR and decoded by the
 * runtime's decoder into *m. Returns 0 or the decoder's negative
 * mbpf_pkg_err_t with err "NAME: manifest: FIELD: ..." (name names where
 * the document came from), or MBPF_PKG_E_NOSPACE when out of memory. */
int mbpf_tool_mdoc_decode(const mbpf_tool_mdoc_t *d, const char *name, mbpf_manifest_t *m,
                          char *err, size_t errcap);

#endif
