/*
 * The program manifest (spec §12.3): decoded from CBOR (the device format)
 * or JSON (when built with MBPF_JSON_MANIFEST) into a fixed-size struct, and
 * encoded to canonical CBOR by the tools.
 *
 * Both decoders feed one schema walker, so the two formats accept exactly
 * the same documents. They are bounded and allocation-free: definite
 * lengths only (CBOR), nesting depth <= MBPF_MANIFEST_MAX_DEPTH, strings
 * within each field's limit, duplicate and unknown keys rejected, every
 * integer range-checked. Enumerations (hook_type, capabilities, map type)
 * are given by name ("NET_RX", "CAP_LOG", "hash") or by number.
 */
#ifndef MBPF_MANIFEST_H
#define MBPF_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "mbpf_fmt.h"
#include "pkg_error.h"

#define MBPF_MANIFEST_MAX_DEPTH           8
#define MBPF_MANIFEST_NAME_MAX            63 /* program_name, entry_symbol */
#define MBPF_MANIFEST_VERSION_MAX         31 /* program_version */
#define MBPF_MANIFEST_IDENT_MAX           31 /* map names, helper names */
#define MBPF_MANIFEST_MAX_MAPS            32
#define MBPF_MANIFEST_MAX_HELPER_VERSIONS 16

/* target.word_size / target.endianness; 0 means "any". */
#define MBPF_TARGET_ANY    0
#define MBPF_TARGET_LITTLE 1
#define MBPF_TARGET_BIG    2

typedef struct mbpf_map_def {
    char name[MBPF_MANIFEST_IDENT_MAX + 1]; /* a JS identifier, unique */
    uint32_t type;                          /* mbpf_map_type_t */
    uint32_t key_size;                      /* 0 for array types */
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t flags; /* MBPF_MAP_F_* */
} mbpf_map_def_t;

typedef struct mbpf_helper_version {
    char name[MBPF_MANIFEST_IDENT_MAX + 1];
    uint32_t version; /* major << 16 | minor */
} mbpf_helper_version_t;

typedef struct mbpf_manifest {
    char program_name[MBPF_MANIFEST_NAME_MAX + 1];
    char program_version[MBPF_MANIFEST_VERSION_MAX + 1];
    uint32_t hook_type; /* mbpf_hook_type_t */
    uint32_t hook_ctx_abi_version;
    char entry_symbol[MBPF_MANIFEST_NAME_MAX + 1]; /* default "mbpf_prog" */
    uint32_t bytecode_version;
    uint8_t target_word_size;  /* 32, 64 or MBPF_TARGET_ANY */
    uint8_t target_endianness; /* MBPF_TARGET_LITTLE, _BIG or _ANY */
    uint32_t mbpf_api_version; /* major << 16 | minor */
    uint32_t heap_size;        /* bytes */
    uint32_t max_steps;
    uint32_t max_helpers;
    uint32_t max_wall_time_us; /* 0 = no wall-time budget */
    uint32_t capabilities;     /* MBPF_CAP_* bits */
    uint32_t helper_version_count;
    mbpf_helper_version_t helper_versions[MBPF_MANIFEST_MAX_HELPER_VERSIONS];
    uint32_t map_count;
    mbpf_map_def_t maps[MBPF_MANIFEST_MAX_MAPS];
} mbpf_manifest_t;

/* Decodes a manifest, choosing JSON when the first non-space byte is '{'
 * (and JSON support is built in), CBOR otherwise. Fills *out completely
 * (defaults for optional fields). Returns 0 or a MBPF_PKG_E_MANIFEST_* code
 * with diag naming the field, e.g. "manifest: budgets.max_steps: missing". */
int mbpf_manifest_decode(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag);
int mbpf_manifest_decode_cbor(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag);
#ifdef MBPF_JSON_MANIFEST
int mbpf_manifest_decode_json(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag);
#endif

/* Decodes a MAPS section (an array of map definitions, CBOR or JSON) into
 * m->maps. Fails with MBPF_PKG_E_MANIFEST_DUPLICATE if the manifest already
 * defined maps. */
int mbpf_manifest_decode_maps(const void *buf, size_t len, mbpf_manifest_t *m, mbpf_diag_t *diag);

/* Encodes m as canonical CBOR (fixed key order, shortest integer forms,
 * enumerations as names) into out[0..cap). Returns 0 or MBPF_PKG_E_NOSPACE /
 * MBPF_PKG_E_MANIFEST_VALUE (m itself invalid); *out_len gets the size.
 * Decoding the result yields an identical struct. */
int mbpf_manifest_encode_cbor(const mbpf_manifest_t *m, uint8_t *out, size_t cap, size_t *out_len,
                              mbpf_diag_t *diag);

/* Names used in manifests; NULL / -1 for unknown values. */
const char *mbpf_hook_type_name(uint32_t hook_type); /* "NET_RX" */
const char *mbpf_capability_name(uint32_t cap_bit);  /* "CAP_LOG" */
const char *mbpf_map_type_name(uint32_t map_type);   /* "hash" */

#endif
