/*
 * libFuzzer harness for the runtime's JSON manifest reader, differential
 * against the tools' reader (cJSON -> CBOR -> runtime CBOR decoder). The
 * two must agree on every input: the same code, the same message (apart
 * from the "FILE:" / "FILE: " prefix), the same struct. The one documented
 * difference: the tools refuse \u0000 in strings as a syntax error (cJSON
 * cannot hold it) where the runtime lets the schema refuse the string.
 * Successes must validate and survive decode -> encode -> decode unchanged.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "manifest_json.h"
#include "mbpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) abort();                                                                         \
    } while (0)

static int zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

static void check_str(const char *s, size_t size)
{
    const char *nul = memchr(s, '\0', size);
    CHECK(nul && nul != s);
    CHECK(zero(nul, size - (size_t)(nul - s)));
}

static void check_manifest(const mbpf_manifest_t *m)
{
    mbpf_diag_t d;
    check_str(m->program_name, sizeof m->program_name);
    check_str(m->program_version, sizeof m->program_version);
    check_str(m->entry_symbol, sizeof m->entry_symbol);
    CHECK(m->helper_version_count <= MBPF_MANIFEST_MAX_HELPER_VERSIONS);
    for (uint32_t i = 0; i < m->helper_version_count; i++)
        check_str(m->helper_versions[i].name, sizeof m->helper_versions[i].name);
    CHECK(m->map_count <= MBPF_MANIFEST_MAX_MAPS);
    for (uint32_t i = 0; i < m->map_count; i++) check_str(m->maps[i].name, sizeof m->maps[i].name);
    CHECK(
        zero(&m->maps[m->map_count], (MBPF_MANIFEST_MAX_MAPS - m->map_count) * sizeof m->maps[0]));
    CHECK(mbpf_manifest_validate(m, &d) == 0);
}

static void check_round_trip(const mbpf_manifest_t *m)
{
    static uint8_t a[8192], b[8192];
    static mbpf_manifest_t back;
    size_t na, nb;
    mbpf_diag_t d;
    CHECK(mbpf_manifest_encode_cbor(m, a, sizeof a, &na, &d) == 0);
    CHECK(mbpf_manifest_decode_cbor(a, na, &back, &d) == 0);
    CHECK(memcmp(m, &back, sizeof back) == 0);
    CHECK(mbpf_manifest_encode_cbor(&back, b, sizeof b, &nb, &d) == 0);
    CHECK(na == nb && memcmp(a, b, na) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mbpf_manifest_t m, tool;
    mbpf_diag_t d;
    char err[1024];

    memset(&d, 0xA5, sizeof d);
    int rc = mbpf_manifest_decode_json(data, size, &m, &d);
    if (rc == 0) {
        check_manifest(&m);
        check_round_trip(&m);
    } else {
        CHECK(rc <= MBPF_PKG_E_MANIFEST_SYNTAX && rc >= MBPF_PKG_E_MANIFEST_VALUE);
        CHECK(memchr(d.msg, '\0', sizeof d.msg) != NULL);
        CHECK(strncmp(d.msg, "manifest: ", 10) == 0);
        CHECK(zero(&m, sizeof m));
    }

    int rt = mbpf_tool_manifest_from_json((const char *)data, size, "f", &tool, err, sizeof err);
    if (rt == MBPF_PKG_E_MANIFEST_SYNTAX && strstr(err, "\\u0000 not allowed")) {
        CHECK(rc != 0);
        return 0;
    }
    CHECK(rt == rc);
    if (rc == 0) {
        CHECK(memcmp(&m, &tool, sizeof m) == 0);
    } else {
        char want[1024];
        if (rc == MBPF_PKG_E_MANIFEST_SYNTAX || rc == MBPF_PKG_E_MANIFEST_LIMIT) {
            /* syntax: "manifest: L:C: msg" and "f:L:C: msg"; schema: "f: manifest: ..." */
            if (strncmp(err, "f: ", 3) != 0) {
                snprintf(want, sizeof want, "f:%s", d.msg + 10);
                CHECK(strcmp(err, want) == 0);
                return 0;
            }
        }
        snprintf(want, sizeof want, "f: %s", d.msg);
        CHECK(strcmp(err, want) == 0);
    }
    return 0;
}
