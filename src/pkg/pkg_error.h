/*
 * Error codes of the package library (container, manifest, signature).
 * Every code has a fixed message (mbpf_pkg_strerror); functions that fail
 * also fill an mbpf_diag_t naming the field, value and limit involved.
 */
#ifndef MBPF_PKG_ERROR_H
#define MBPF_PKG_ERROR_H

typedef enum mbpf_pkg_err {
    MBPF_PKG_OK = 0,
    /* container */
    MBPF_PKG_E_TRUNCATED = -1,         /* buffer ends inside the header or table */
    MBPF_PKG_E_MAGIC = -2,             /* magic is not "MBPF" */
    MBPF_PKG_E_FORMAT_VERSION = -3,    /* format_version not supported */
    MBPF_PKG_E_HEADER_SIZE = -4,       /* header_size disagrees with section_count */
    MBPF_PKG_E_SECTION_COUNT = -5,     /* zero or above MBPF_PKG_MAX_SECTIONS */
    MBPF_PKG_E_SECTION_BOUNDS = -6,    /* section outside the file or inside the header */
    MBPF_PKG_E_SECTION_OVERLAP = -7,   /* two sections share bytes */
    MBPF_PKG_E_SECTION_DUPLICATE = -8, /* a singleton section appears twice */
    MBPF_PKG_E_SECTION_MISSING = -9,   /* a required section is absent */
    MBPF_PKG_E_SECTION_CRC = -10,      /* a section's crc32 does not match */
    MBPF_PKG_E_FILE_CRC = -11,         /* the header's file_crc32 does not match */
    MBPF_PKG_E_FLAGS = -12,            /* unknown flag bits, or flags disagree with sections */
    MBPF_PKG_E_SIG_PLACEMENT = -13,    /* SIG not last, not at the end, wrong size or crc */
    /* signature policy */
    MBPF_PKG_E_SIG_INVALID = -20,  /* signature does not verify under any trusted key */
    MBPF_PKG_E_SIG_REQUIRED = -21, /* policy requires a signature, package has none */
    MBPF_PKG_E_SIG_NO_KEYS = -22,  /* signature must be checked but no trusted key given */
    /* manifest */
    MBPF_PKG_E_MANIFEST_SYNTAX = -30,    /* malformed CBOR or JSON */
    MBPF_PKG_E_MANIFEST_LIMIT = -31,     /* nesting, string length or item count limit exceeded */
    MBPF_PKG_E_MANIFEST_TYPE = -32,      /* a field has the wrong type */
    MBPF_PKG_E_MANIFEST_MISSING = -33,   /* a required field is absent */
    MBPF_PKG_E_MANIFEST_DUPLICATE = -34, /* a key appears twice */
    MBPF_PKG_E_MANIFEST_UNKNOWN = -35,   /* a key the schema does not define */
    MBPF_PKG_E_MANIFEST_VALUE = -36,     /* a value out of range or not a known name */
    /* writer / arguments */
    MBPF_PKG_E_NOSPACE = -40,     /* output buffer too small */
    MBPF_PKG_E_INVALID_ARG = -41, /* caller passed an invalid argument */
} mbpf_pkg_err_t;

/* Fixed message for an error code ("unknown error" for others). */
const char *mbpf_pkg_strerror(int err);

#endif
