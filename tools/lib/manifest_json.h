/*
 * JSON manifests for the host tools. cJSON parses the text, the tree is
 * converted generically to CBOR, and the runtime's CBOR decoder applies the
 * schema, so the tools and the loader accept exactly the same manifests and
 * report schema errors with the same words.
 *
 * cJSON alone is more lenient than RFC 8259 and its error positions are
 * approximate, so the runtime's strict JSON reader checks the syntax first:
 * syntax errors read exactly as the loader's, with the file name in front
 * ("m.json:3:14: expected ',' or '}'").
 */
#ifndef MBPF_TOOL_MANIFEST_JSON_H
#define MBPF_TOOL_MANIFEST_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* Reads a JSON manifest text[0..len) (no NUL terminator needed) into *out.
 * Returns 0 or a negative mbpf_pkg_err_t with err set to
 * "FILE:LINE:COL: message" for a JSON syntax error (MBPF_PKG_E_MANIFEST_SYNTAX,
 * or _LIMIT for nesting deeper than MBPF_MANIFEST_MAX_DEPTH) and to
 * "FILE: manifest: FIELD: ..." for a schema error. filename may be NULL
 * ("<input>"). */
int mbpf_tool_manifest_from_json(const char *text, size_t len, const char *filename,
                                 mbpf_manifest_t *out, char *err, size_t errcap);

/* Converts a JSON text to CBOR: objects to maps (keys in document order,
 * duplicates kept), arrays to arrays, strings to text strings, integers to
 * CBOR integers, any other number (fraction, exponent, -0, beyond 64 bits)
 * to a binary64 float, true/false/null to their simple values. Useful for
 * MAPS sections and tests. *out is malloc'd (free it); errors as above, or
 * MBPF_PKG_E_NOSPACE when out of memory. */
int mbpf_tool_json_to_cbor(const char *text, size_t len, const char *filename, uint8_t **out,
                           size_t *out_len, char *err, size_t errcap);

/* 1 if the first byte of data[0..len) that is not JSON whitespace is open
 * ('{' for a manifest, '[' for a MAPS array): how the tools tell JSON
 * input from CBOR. */
int mbpf_tool_is_json(const uint8_t *data, size_t len, uint8_t open);

#endif
