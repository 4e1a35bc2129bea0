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
 *
 * Schema (keys are exact; * = optional, with its default):
 *   program_name         string, 1..63 bytes of printable ASCII (0x20..0x7E)
 *   program_version      string, 1..31 bytes of printable ASCII
 *   hook_type            "TRACEPOINT" "TIMER" "NET_RX" "NET_TX" "SECURITY"
 *                        "CUSTOM", or the number of mbpf_hook_type_t
 *   hook_ctx_abi_version u32
 *   entry_symbol*        identifier [A-Za-z_$][A-Za-z0-9_$]*, 1..63 bytes;
 *                        "mbpf_prog"
 *   bytecode_version     u32
 *   target               {word_size: 32 | 64 | "any",
 *                         endianness: "little" | "big" | "any"}
 *   mbpf_api_version     u32, major << 16 | minor
 *   heap_size            u32 > 0
 *   budgets              {max_steps: u32 > 0, max_helpers: u32 > 0,
 *                         max_wall_time_us*: u32, 0 = none; 0}
 *   capabilities*        array of "CAP_LOG" ... names or MBPF_CAP_* bit
 *                        values, each at most once; []
 *   helper_versions*     map of identifier (1..31 bytes) -> u32, at most
 *                        16 entries; {}
 *   maps*                array of at most 32 map definitions; []
 * A map definition is {name, type, key_size, value_size, max_entries,
 * flags*: 0}: name an identifier of 1..31 bytes, unique among the maps;
 * type "array" "hash" "lru_hash" "percpu_array" "percpu_hash" "counter"
 * "ringbuf" "lpm_trie" or its number; flags only MBPF_MAP_F_* bits; sizes
 * u32 with
 *   array, percpu_array      key_size 0, value_size > 0, max_entries > 0
 *   hash, lru_hash,
 *   percpu_hash, lpm_trie    key_size > 0, value_size > 0, max_entries > 0
 *   counter                  key_size 0, value_size 8 (u64), max_entries > 0
 *   ringbuf                  key_size 0, max_entries = ring size in bytes
 *                            > 0, value_size = largest record in bytes,
 *                            0 for no limit below the ring size
 *
 * Errors: malformed input MBPF_PKG_E_MANIFEST_SYNTAX (reported before any
 * schema error); nesting, string length and count limits _LIMIT; a value of
 * the wrong type _TYPE (JSON numbers with a fraction or exponent included);
 * an absent required key _MISSING; a repeated key, capability or map name
 * _DUPLICATE; a key not in the schema _UNKNOWN; a bad value or name _VALUE.
 * Messages are "manifest: FIELD: ...", e.g. "manifest: budgets.max_steps:
 * missing", "manifest: maps[2].key_size: 0 not allowed for type hash";
 * syntax errors give a position: "manifest: 3:14: expected ',' or '}'"
 * (JSON) or "manifest: offset 12: ..." (CBOR).
 */
#ifndef MBPF_MANIFEST_H
#define MBPF_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "mbpf_fmt.h"
#include "pkg_error.h"

#define MBPF_MANIFEST_MAX_DEPTH   8
#define MBPF_MANIFEST_NAME_MAX    63 /* program_name, entry_symbol */
#define MBPF_MANIFEST_VERSION_MAX 31 /* program_version */
#define MBPF_MANIFEST_IDENT_MAX   31 /* map names, helper names */
/* Maps and helper_versions entries a package may declare. The format
 * allows 32 and 16; a build for a small target may lower them (e.g.
 * -DMBPF_MANIFEST_MAX_MAPS=8): the decoded manifest, kept per program, and
 * the helper state, kept per instance, shrink with them, and packages
 * declaring more are refused ("more than 8 maps"). */
#ifndef MBPF_MANIFEST_MAX_MAPS
#define MBPF_MANIFEST_MAX_MAPS 32
#endif
#ifndef MBPF_MANIFEST_MAX_HELPER_VERSIONS
#define MBPF_MANIFEST_MAX_HELPER_VERSIONS 16
#endif
#if MBPF_MANIFEST_MAX_MAPS < 1 || MBPF_MANIFEST_MAX_MAPS > 32
#error "MBPF_MANIFEST_MAX_MAPS must be in 1..32"
#endif
#if MBPF_MANIFEST_MAX_HELPER_VERSIONS < 1 || MBPF_MANIFEST_MAX_HELPER_VERSIONS > 16
#error "MBPF_MANIFEST_MAX_HELPER_VERSIONS must be in 1..16"
#endif

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
 * (defaults for optional fields; unused bytes zero). Returns 0 or a
 * MBPF_PKG_E_MANIFEST_* code with diag naming the field, e.g. "manifest:
 * budgets.max_steps: missing"; *out is then all zero. */
int mbpf_manifest_decode(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag);
int mbpf_manifest_decode_cbor(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag);
#ifdef MBPF_JSON_MANIFEST
int mbpf_manifest_decode_json(const void *buf, size_t len, mbpf_manifest_t *out, mbpf_diag_t *diag);
#endif

/* Decodes a MAPS section (an array of map definitions, CBOR or JSON when
 * it starts with '[') into m->maps and m->map_count, under the same rules
 * ("maps section: maps[1].type: ..."). Fails with
 * MBPF_PKG_E_MANIFEST_DUPLICATE, leaving m alone, if the manifest already
 * defined maps; on any other failure m->maps is left empty. */
int mbpf_manifest_decode_maps(const void *buf, size_t len, mbpf_manifest_t *m, mbpf_diag_t *diag);

/* Checks that m is a manifest the decoders could have produced: strings
 * NUL-terminated and valid, enumerations known, counts within limits,
 * nonzero sizes and budgets, map rules by type, unique names. Returns 0 or
 * the MBPF_PKG_E_MANIFEST_* code and message decoding would give. */
int mbpf_manifest_validate(const mbpf_manifest_t *m, mbpf_diag_t *diag);

/* Encodes m as canonical CBOR (RFC 8949 core deterministic encoding: keys
 * in bytewise order, shortest integer forms; every field written;
 * enumerations as names) into out[0..cap). Returns 0, an error of
 * mbpf_manifest_validate (m itself invalid), or MBPF_PKG_E_NOSPACE; *out_len
 * gets the size, also on NOSPACE (out may be NULL with cap 0 to measure).
 * Decoding the result yields an identical struct. */
int mbpf_manifest_encode_cbor(const mbpf_manifest_t *m, uint8_t *out, size_t cap, size_t *out_len,
                              mbpf_diag_t *diag);

/* Names used in manifests; NULL / -1 for unknown values. */
const char *mbpf_hook_type_name(uint32_t hook_type); /* "NET_RX" */
const char *mbpf_capability_name(uint32_t cap_bit);  /* "CAP_LOG" */
const char *mbpf_map_type_name(uint32_t map_type);   /* "hash" */

#endif
