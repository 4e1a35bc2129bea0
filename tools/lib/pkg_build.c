/*
 * Package assembly: size, write, then sign the region the container reader
 * itself reports as signed, so writer and reader can never disagree about
 * what the signature covers.
 */
#include <stdlib.h>
#include <string.h>

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
