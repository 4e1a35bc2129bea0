/* Fixed messages for mbpf_pkg_err_t. */
#include "pkg_error.h"

const char *mbpf_pkg_strerror(int err)
{
    switch (err) {
    case MBPF_PKG_OK: return "success";
    case MBPF_PKG_E_TRUNCATED: return "package truncated";
    case MBPF_PKG_E_MAGIC: return "not a microBPF package (bad magic)";
    case MBPF_PKG_E_FORMAT_VERSION: return "unsupported package format version";
    case MBPF_PKG_E_HEADER_SIZE: return "header size does not match section count";
    case MBPF_PKG_E_SECTION_COUNT: return "bad section count";
    case MBPF_PKG_E_SECTION_BOUNDS: return "section out of bounds";
    case MBPF_PKG_E_SECTION_OVERLAP: return "sections overlap";
    case MBPF_PKG_E_SECTION_DUPLICATE: return "duplicate section";
    case MBPF_PKG_E_SECTION_MISSING: return "required section missing";
    case MBPF_PKG_E_SECTION_CRC: return "section CRC mismatch";
    case MBPF_PKG_E_FILE_CRC: return "file CRC mismatch";
    case MBPF_PKG_E_FLAGS: return "bad header flags";
    case MBPF_PKG_E_SIG_PLACEMENT: return "malformed signature section";
    case MBPF_PKG_E_SIG_INVALID: return "signature verification failed";
    case MBPF_PKG_E_SIG_REQUIRED: return "signature required but package is unsigned";
    case MBPF_PKG_E_SIG_NO_KEYS: return "signature required but no trusted keys";
    case MBPF_PKG_E_MANIFEST_SYNTAX: return "malformed manifest";
    case MBPF_PKG_E_MANIFEST_LIMIT: return "manifest exceeds a limit";
    case MBPF_PKG_E_MANIFEST_TYPE: return "manifest field has the wrong type";
    case MBPF_PKG_E_MANIFEST_MISSING: return "manifest field missing";
    case MBPF_PKG_E_MANIFEST_DUPLICATE: return "manifest key duplicated";
    case MBPF_PKG_E_MANIFEST_UNKNOWN: return "unknown manifest key";
    case MBPF_PKG_E_MANIFEST_VALUE: return "manifest value out of range";
    case MBPF_PKG_E_NOSPACE: return "output buffer too small";
    case MBPF_PKG_E_INVALID_ARG: return "invalid argument";
    }
    return "unknown error";
}
