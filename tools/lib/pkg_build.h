/*
 * Building .mbpf packages on the host: lays out sections with the container
 * writer and, given a secret key, signs bytes [0, sig.offset) into the SIG
 * section. Shared by `mbpf pack`, `mbpf build`, `mbpf sign` and the tests.
 */
#ifndef MBPF_TOOL_PKG_BUILD_H
#define MBPF_TOOL_PKG_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "keyfile.h"
#include "manifest.h"

/* Writes a package of the given sections (SIG excluded) into a malloc'd
 * buffer (*out, freed by the caller), signed when key is not NULL.
 * Returns 0, or -1 with err describing the failure. */
int mbpf_tool_build_package(const mbpf_section_in_t *secs, uint32_t count,
                            const mbpf_tool_secret_key_t *key, uint8_t **out, size_t *out_len,
                            char *err, size_t errcap);

/* The parts of a package, for mbpf_tool_pack. */
typedef struct mbpf_tool_pack_in {
    const mbpf_manifest_t *manifest; /* stored as canonical CBOR */
    const char *manifest_name;       /* names the manifest in messages */
    const uint8_t *bytecode;         /* BYTECODE section; must not be empty */
    size_t bytecode_len;
    const uint8_t *maps; /* MAPS section (CBOR, already validated), or NULL */
    size_t maps_len;
    const uint8_t *debug; /* DEBUG section, stored as is, or NULL */
    size_t debug_len;
    const mbpf_tool_secret_key_t *key; /* sign with this key, or NULL */
} mbpf_tool_pack_in_t;

/* Assembles a package: encodes the manifest as canonical CBOR, lays out
 * MANIFEST, BYTECODE, MAPS and DEBUG (the ones given, in that order), signs
 * it when a key is given, and runs the loader's own check on the result
 * (trusting and requiring the key's signature), so it never returns a
 * package a loader would refuse. Deterministic: equal inputs give equal
 * bytes. *out is malloc'd (freed by the caller); *section_count (may be
 * NULL) gets the number of sections. Returns 0, or -1 with err set
 * ("prog.json: manifest: ...", "internal error: ..."). */
int mbpf_tool_pack(const mbpf_tool_pack_in_t *in, uint8_t **out, size_t *out_len,
                   uint32_t *section_count, char *err, size_t errcap);

/* Section type name ("MANIFEST", ...) or NULL for unknown types. */
const char *mbpf_tool_section_name(uint32_t type);

#endif
