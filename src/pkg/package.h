/*
 * Whole-package check: the one entry point the loader, `mbpf verify` and
 * the fuzzer use. Order matters for safety: structure, then CRCs, then the
 * signature (over raw bytes, before any manifest parsing), then the manifest
 * and MAPS section. Nothing is allocated; the result points into the buffer.
 */
#ifndef MBPF_PACKAGE_H
#define MBPF_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "manifest.h"

/* Signature check hook; same contract as mbpf_platform_t.sig_verify. */
typedef int (*mbpf_sig_verify_fn)(void *user, const uint8_t pub[32], const uint8_t *msg, size_t len,
                                  const uint8_t sig[64]);

typedef struct mbpf_pkg_policy {
    const uint8_t (*trusted_keys)[32]; /* Ed25519 public keys */
    uint32_t trusted_key_count;
    int require_signature;     /* unsigned packages fail with MBPF_PKG_E_SIG_REQUIRED */
    mbpf_sig_verify_fn verify; /* NULL: built-in mbpf_ed25519_verify */
    void *verify_user;
} mbpf_pkg_policy_t;

/* Signature outcome recorded in mbpf_package_t.sig_status. */
enum mbpf_sig_status {
    MBPF_SIG_ABSENT = 0,    /* package is unsigned */
    MBPF_SIG_UNCHECKED = 1, /* signed, no trusted keys given and none required */
    MBPF_SIG_VALID = 2,     /* verified under trusted_keys[key_index] */
};

typedef struct mbpf_package {
    mbpf_container_t container;
    mbpf_manifest_t manifest;
    const uint8_t *bytecode; /* BYTECODE section, inside the checked buffer */
    size_t bytecode_len;
    const uint8_t *debug; /* DEBUG section or NULL */
    size_t debug_len;
    int sig_status;    /* enum mbpf_sig_status */
    int32_t key_index; /* which trusted key verified it, or -1 */
} mbpf_package_t;

/* Checks buf[0..len) completely under policy (NULL: no keys, signature not
 * required). A signed package is verified whenever keys are given; a bad
 * signature is always an error. Returns 0 or a negative mbpf_pkg_err_t with
 * diag naming what was wrong. */
int mbpf_package_check(const void *buf, size_t len, const mbpf_pkg_policy_t *policy,
                       mbpf_package_t *out, mbpf_diag_t *diag);

#endif
