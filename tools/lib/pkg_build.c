/*
 * Package assembly: size, write, then sign the region the container reader
 * itself reports as signed, so writer and reader can never disagree about
 * what the signature covers. mbpf_tool_pack adds the manifest encoding and
 * the loader's check around it: the one path by which the tools make a
 * package from its parts.
 */
#include <stdlib.h>
#include <string.h>

#include "package.h"
#include "pkg_build.h"
#include "tool_io.h"

const char *mbpf_tool_section_name(uint32_t type)
{
    switch (type) {
    case MBPF_SEC_MANIFEST: return "MANIFEST";
    case MBPF_SEC_BYTECODE: return "BYTECODE";
    case MBPF_SEC_MAPS: return "MAPS";
    case MBPF_SEC_DEBUG: return "DEBUG";
    case MBPF_SEC_SIG: return "SIG";
    }
    return NULL;
}

int mbpf_tool_build_package(const mbpf_section_in_t *secs, uint32_t count,
                            const mbpf_tool_secret_key_t *key, uint8_t **out, size_t *out_len,
                            char *err, size_t errcap)
{
    *out = NULL;
    *out_len = 0;
    int with_sig = key != NULL;
    size_t size;
    int rc = mbpf_container_size(secs, count, with_sig, &size);
    if (rc != 0) {
        mbpf_tool_err(err, errcap, "cannot lay out package: %s", mbpf_pkg_strerror(rc));
        return -1;
    }
    uint8_t *buf = calloc(1, size ? size : 1);
    if (!buf) {
        mbpf_tool_err(err, errcap, "out of memory (%zu bytes)", size);
        return -1;
    }
    mbpf_diag_t diag = {{0}};
    size_t len;
    rc = mbpf_container_write(secs, count, with_sig, buf, size, &len, &diag);
    if (rc != 0) {
        mbpf_tool_err(err, errcap, "cannot write package: %s",
                      diag.msg[0] ? diag.msg : mbpf_pkg_strerror(rc));
        goto fail;
    }
    if (with_sig) {
        mbpf_container_t c;
        const uint8_t *msg, *sig;
        size_t msg_len;
        rc = mbpf_container_parse(buf, len, &c, &diag);
        if (rc == 0) rc = mbpf_container_sign_region(&c, &msg, &msg_len, &sig);
        if (rc != 0) {
            mbpf_tool_err(err, errcap, "internal error: written package does not parse: %s",
                          diag.msg[0] ? diag.msg : mbpf_pkg_strerror(rc));
            goto fail;
        }
        size_t sig_off = (size_t)(sig - buf); /* sig points into buf */
        if (mbpf_tool_sign(key, msg, msg_len, buf + sig_off) != 0) {
            mbpf_tool_err(err, errcap, "signing failed (libsodium)");
            goto fail;
        }
    }
    *out = buf;
    *out_len = len;
    return 0;
fail:
    free(buf);
    return -1;
}

int mbpf_tool_pack(const mbpf_tool_pack_in_t *in, uint8_t **out, size_t *out_len,
                   uint32_t *section_count, char *err, size_t errcap)
{
    *out = NULL;
    *out_len = 0;
    const char *mname = in->manifest_name ? in->manifest_name : "manifest";
    if (in->bytecode_len == 0) {
        mbpf_tool_err(err, errcap, "bytecode is empty");
        return -1;
    }
    if (in->bytecode_len > UINT32_MAX || in->maps_len > UINT32_MAX || in->debug_len > UINT32_MAX) {
        mbpf_tool_err(err, errcap, "a section is too large for a package (limit 4 GiB)");
        return -1;
    }

    int rc = -1;
    uint8_t *cbor = NULL, *pkg = NULL;
    size_t cbor_len = 0, pkg_len = 0;
    mbpf_package_t *check = malloc(sizeof *check);
    mbpf_diag_t diag = {{0}};
    if (!check) {
        mbpf_tool_err(err, errcap, "out of memory");
        goto out;
    }
    int prc = mbpf_manifest_encode_cbor(in->manifest, NULL, 0, &cbor_len, &diag);
    if (prc == MBPF_PKG_E_NOSPACE) {
        cbor = malloc(cbor_len ? cbor_len : 1);
        if (!cbor) {
            mbpf_tool_err(err, errcap, "out of memory");
            goto out;
        }
        prc = mbpf_manifest_encode_cbor(in->manifest, cbor, cbor_len, &cbor_len, &diag);
    }
    if (prc != 0) {
        mbpf_tool_err(err, errcap, "%s: %s", mname,
                      diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
        goto out;
    }

    mbpf_section_in_t secs[4];
    uint32_t n = 0;
    secs[n++] = (mbpf_section_in_t){MBPF_SEC_MANIFEST, cbor, (uint32_t)cbor_len};
    secs[n++] = (mbpf_section_in_t){MBPF_SEC_BYTECODE, in->bytecode, (uint32_t)in->bytecode_len};
    if (in->maps) secs[n++] = (mbpf_section_in_t){MBPF_SEC_MAPS, in->maps, (uint32_t)in->maps_len};
    if (in->debug)
        secs[n++] = (mbpf_section_in_t){MBPF_SEC_DEBUG, in->debug, (uint32_t)in->debug_len};
    if (mbpf_tool_build_package(secs, n, in->key, &pkg, &pkg_len, err, errcap) != 0) goto out;

    mbpf_pkg_policy_t policy = {0};
    if (in->key) {
        policy.trusted_keys = (const uint8_t(*)[32]) & in->key->pub;
        policy.trusted_key_count = 1;
        policy.require_signature = 1;
    }
    prc = mbpf_package_check(pkg, pkg_len, &policy, check, &diag);
    if (prc != 0) {
        mbpf_tool_err(err, errcap, "internal error: the package built does not check: %s",
                      diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
        goto out;
    }
    if (section_count) *section_count = check->container.section_count;
    *out = pkg;
    *out_len = pkg_len;
    pkg = NULL;
    rc = 0;
out:
    free(check);
    free(cbor);
    free(pkg);
    return rc;
}
