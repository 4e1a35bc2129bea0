/*
 * Whole-package check. The order is the security argument: the container
 * structure is checked first (so every later pointer is inside the buffer),
 * then the CRCs (cheap, catch accidental damage), then the signature over
 * the raw bytes, and only then are the manifest and MAPS parsers run. With a
 * trusted key given, no parser beyond the container reader ever sees bytes
 * an attacker could choose.
 */
#include <string.h>

#include "ed25519.h"
#include "package.h"

static int builtin_verify(void *user, const uint8_t pub[32], const uint8_t *msg, size_t len,
                          const uint8_t sig[64])
{
    (void)user;
    return mbpf_ed25519_verify(sig, msg, len, pub);
}

static int check_signature(const mbpf_container_t *c, const mbpf_pkg_policy_t *policy,
                           mbpf_package_t *out, mbpf_diag_t *diag)
{
    int require = policy && policy->require_signature;
    uint32_t nkeys = policy ? policy->trusted_key_count : 0;

    if (!mbpf_container_find(c, MBPF_SEC_SIG)) {
        if (require) {
            mbpf_diag_set(diag, "signature: package is unsigned and policy requires a signature");
            return MBPF_PKG_E_SIG_REQUIRED;
        }
        out->sig_status = MBPF_SIG_ABSENT;
        return 0;
    }
    if (nkeys == 0) {
        if (require) {
            mbpf_diag_set(diag, "signature: policy requires a signature but no trusted key given");
            return MBPF_PKG_E_SIG_NO_KEYS;
        }
        out->sig_status = MBPF_SIG_UNCHECKED;
        return 0;
    }

    const uint8_t *msg, *sig;
    size_t msg_len;
    int rc = mbpf_container_sign_region(c, &msg, &msg_len, &sig);
    if (rc != 0) {
        mbpf_diag_set(diag, "signature: SIG section present but no signed region");
        return MBPF_PKG_E_SIG_PLACEMENT;
    }
    mbpf_sig_verify_fn verify = policy->verify ? policy->verify : builtin_verify;
    for (uint32_t i = 0; i < nkeys; i++) {
        if (verify(policy->verify_user, policy->trusted_keys[i], msg, msg_len, sig) == 0) {
            out->sig_status = MBPF_SIG_VALID;
            out->key_index = (int32_t)i;
            return 0;
        }
    }
    mbpf_diag_set(diag, "signature: does not verify under any of %u trusted key%s", (unsigned)nkeys,
                  nkeys == 1 ? "" : "s");
    return MBPF_PKG_E_SIG_INVALID;
}

static const mbpf_section_t *required_section(const mbpf_container_t *c, uint32_t type,
                                              const char *name, mbpf_diag_t *diag)
{
    const mbpf_section_t *s = mbpf_container_find(c, type);
    if (!s)
        mbpf_diag_set(diag, "package: required %s section (type %u) missing", name, (unsigned)type);
    return s;
}

int mbpf_package_check(const void *buf, size_t len, const mbpf_pkg_policy_t *policy,
                       mbpf_package_t *out, mbpf_diag_t *diag)
{
    if (!out || (!buf && len != 0)) {
        mbpf_diag_set(diag, "package: no buffer or no result given");
        return MBPF_PKG_E_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    out->key_index = -1;
    if (policy && policy->trusted_key_count != 0 && !policy->trusted_keys) {
        mbpf_diag_set(diag, "package: policy has %u trusted keys but no key array",
                      (unsigned)policy->trusted_key_count);
        return MBPF_PKG_E_INVALID_ARG;
    }

    mbpf_container_t *c = &out->container;
    int rc = mbpf_container_parse(buf, len, c, diag);
    if (rc != 0) return rc;
    rc = mbpf_container_check_crcs(c, diag);
    if (rc != 0) return rc;
    rc = check_signature(c, policy, out, diag);
    if (rc != 0) return rc;

    const mbpf_section_t *man = required_section(c, MBPF_SEC_MANIFEST, "MANIFEST", diag);
    if (!man) return MBPF_PKG_E_SECTION_MISSING;
    const mbpf_section_t *code = required_section(c, MBPF_SEC_BYTECODE, "BYTECODE", diag);
    if (!code) return MBPF_PKG_E_SECTION_MISSING;

    rc = mbpf_manifest_decode(mbpf_container_data(c, man), man->length, &out->manifest, diag);
    if (rc != 0) return rc;
    const mbpf_section_t *maps = mbpf_container_find(c, MBPF_SEC_MAPS);
    if (maps) {
        rc = mbpf_manifest_decode_maps(mbpf_container_data(c, maps), maps->length, &out->manifest,
                                       diag);
        if (rc != 0) return rc;
    }

    out->bytecode = mbpf_container_data(c, code);
    out->bytecode_len = code->length;
    const mbpf_section_t *dbg = mbpf_container_find(c, MBPF_SEC_DEBUG);
    if (dbg) {
        out->debug = mbpf_container_data(c, dbg);
        out->debug_len = dbg->length;
    }
    return 0;
}
