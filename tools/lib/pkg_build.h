/*
 * Building .mbpf packages on the host: lays out sections with the container
 * writer and, given a secret key, signs bytes [0, sig.offset) into the SIG
 * section. Shared by `mbpf pack`, `mbpf sign` and the tests.
 */
#ifndef MBPF_TOOL_PKG_BUILD_H
#define MBPF_TOOL_PKG_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "keyfile.h"

/* Writes a package of the given sections (SIG excluded) into a malloc'd
 * buffer (*out, freed by the caller), signed when key is not NULL.
 * Returns 0, or -1 with err describing the failure. */
int mbpf_tool_build_package(const mbpf_section_in_t *secs, uint32_t count,
                            const mbpf_tool_secret_key_t *key, uint8_t **out, size_t *out_len,
                            char *err, size_t errcap);

/* Section type name ("MANIFEST", ...) or NULL for unknown types. */
const char *mbpf_tool_section_name(uint32_t type);

#endif
