/*
 * The .mbpf container (spec §12.2): a little-endian header, a section table,
 * then section data. The reader never reads outside the buffer it is given
 * and checks every offset and length with overflow-safe arithmetic.
 *
 * Layout decisions (docs/PACKAGE_FORMAT.md):
 *  - header_size = 20 + 16 * section_count; section data lies at or after it.
 *  - The writer places sections in table order, each at an 8-byte-aligned
 *    offset (zero padding), so bytecode can be executed in place.
 *  - SIG, when present, is the last table entry, its data is the last 64
 *    bytes of the file, its crc32 is 0, and flag SIGNED is set. The signature
 *    covers bytes [0, sig.offset), and every other section ends within it.
 *  - Sections may be empty; two sections overlap when they share a byte, so
 *    an empty section overlaps nothing. The reader does not require the
 *    writer's alignment or order, nor that sections cover every byte.
 *  - file_crc32 is the CRC-32 of bytes [0, end) with the file_crc32 field
 *    read as zero, where end is sig.offset when signed and the file length
 *    otherwise; 0 means absent. A section crc32 of 0 means absent.
 *  - Known section types (1..5) may appear once each. Unknown types are
 *    bounds-, overlap- and CRC-checked, then ignored (forward compatibility).
 */
#ifndef MBPF_CONTAINER_H
#define MBPF_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "mbpf_fmt.h"
#include "pkg_error.h"

/* The spec's value ("MBPF" = 0x4D425046), stored little-endian like every
 * field: a file begins with the bytes 46 50 42 4D ("FPBM"). */
#define MBPF_PKG_MAGIC             0x4D425046u
#define MBPF_PKG_FORMAT_VERSION    1
#define MBPF_PKG_HEADER_FIXED_SIZE 20u
#define MBPF_PKG_SECTION_DESC_SIZE 16u
#define MBPF_PKG_MAX_SECTIONS      16u
#define MBPF_PKG_SIG_SIZE          64u
#define MBPF_PKG_SECTION_ALIGN     8u
#define MBPF_PKG_FILE_CRC_OFFSET   16u

enum mbpf_section_type {
    MBPF_SEC_MANIFEST = 1,
    MBPF_SEC_BYTECODE = 2,
    MBPF_SEC_MAPS = 3,
    MBPF_SEC_DEBUG = 4,
    MBPF_SEC_SIG = 5,
};

#define MBPF_PKG_F_SIGNED 0x1u
#define MBPF_PKG_F_DEBUG  0x2u /* set exactly when a DEBUG section is present */
#define MBPF_PKG_F_ALL    0x3u

typedef struct mbpf_section {
    uint32_t type;
    uint32_t offset;
    uint32_t length;
    uint32_t crc32;
} mbpf_section_t;

typedef struct mbpf_container {
    const uint8_t *base; /* the buffer given to the parser */
    size_t len;
    uint16_t format_version;
    uint16_t header_size;
    uint32_t flags;
    uint32_t section_count;
    uint32_t file_crc32;
    mbpf_section_t sections[MBPF_PKG_MAX_SECTIONS]; /* in table order */
} mbpf_container_t;

/* Parses and checks the structure of buf[0..len): header, section table,
 * bounds, overlaps, duplicates, flags, SIG placement. Does not check CRCs.
 * Returns 0 or a negative mbpf_pkg_err_t, with a message in diag (nullable).
 * out keeps pointing into buf; it is zeroed on failure. */
int mbpf_container_parse(const void *buf, size_t len, mbpf_container_t *out, mbpf_diag_t *diag);

/* Checks every nonzero section crc32 and the file_crc32 of a container that
 * mbpf_container_parse accepted. Returns 0, MBPF_PKG_E_SECTION_CRC or
 * MBPF_PKG_E_FILE_CRC (MBPF_PKG_E_INVALID_ARG for NULL or an unparsed c). */
int mbpf_container_check_crcs(const mbpf_container_t *c, mbpf_diag_t *diag);

/* First section of the given type, or NULL. */
const mbpf_section_t *mbpf_container_find(const mbpf_container_t *c, uint32_t type);

/* Pointer to a section's data inside the container's buffer. */
const uint8_t *mbpf_container_data(const mbpf_container_t *c, const mbpf_section_t *s);

/* Input of the writer: one section's type and bytes (SIG is never given). */
typedef struct mbpf_section_in {
    uint32_t type;
    const void *data;
    uint32_t length;
} mbpf_section_in_t;

/* Bytes mbpf_container_write will produce for these sections. Returns 0 and
 * sets *out_size, or MBPF_PKG_E_INVALID_ARG exactly when write would (no
 * sections at all, too many, SIG given, duplicate known section, NULL data
 * with a nonzero length, size above UINT32_MAX). */
int mbpf_container_size(const mbpf_section_in_t *secs, uint32_t count, int with_sig,
                        size_t *out_size);

/* Writes a container with the given sections in table order, with their
 * CRCs and the file CRC; flags SIGNED and DEBUG are derived from the sections.
 * With with_sig, a zeroed 64-byte SIG section is appended, for the caller to
 * fill with the signature of the region mbpf_container_sign_region names.
 * Output depends only on the arguments. Returns 0, MBPF_PKG_E_NOSPACE or
 * MBPF_PKG_E_INVALID_ARG (as mbpf_container_size); *out_len gets the size,
 * also on MBPF_PKG_E_NOSPACE (out may then be NULL with cap 0). */
int mbpf_container_write(const mbpf_section_in_t *secs, uint32_t count, int with_sig, uint8_t *out,
                         size_t cap, size_t *out_len, mbpf_diag_t *diag);

/* For a parsed signed container: the signed message [0, sig.offset) and the
 * 64 signature bytes. Returns 0, or MBPF_PKG_E_SIG_REQUIRED when unsigned. */
int mbpf_container_sign_region(const mbpf_container_t *c, const uint8_t **msg, size_t *msg_len,
                               const uint8_t **sig);

#endif
