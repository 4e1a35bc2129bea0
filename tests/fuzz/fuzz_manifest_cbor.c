/*
 * libFuzzer harness for the CBOR manifest decoder and the MAPS section
 * decoder. Invariants: a failure has a manifest error code, a terminated
 * message naming the document, and leaves the output empty; a success is a
 * manifest that validates (strings terminated inside their arrays, counts
 * within limits, unused bytes zero), and decode -> encode -> decode gives
 * the same struct and encode is stable.
 *
 * The same bytes are also taken as a raw mbpf_manifest_t: the encoder must
 * refuse it exactly when mbpf_manifest_validate does, and when it accepts,
 * decoding the encoding gives the struct back (with the bytes no field can
 * carry, after terminators and past the counts, zeroed).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
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

/* A string field: terminated, non-empty, zero after the terminator. */
static void check_str(const char *s, size_t size)
{
    const char *nul = memchr(s, '\0', size);
    CHECK(nul && nul != s);
    CHECK(zero(nul, size - (size_t)(nul - s)));
}

static void check_maps(const mbpf_manifest_t *m)
{
    CHECK(m->map_count <= MBPF_MANIFEST_MAX_MAPS);
    for (uint32_t i = 0; i < m->map_count; i++) {
        const mbpf_map_def_t *d = &m->maps[i];
        check_str(d->name, sizeof d->name);
        CHECK(mbpf_map_type_name(d->type) != NULL);
        CHECK((d->flags & ~MBPF_MAP_F_ALL) == 0);
        CHECK(d->max_entries > 0);
        for (uint32_t j = 0; j < i; j++) CHECK(strcmp(m->maps[j].name, d->name) != 0);
    }
    CHECK(
        zero(&m->maps[m->map_count], (MBPF_MANIFEST_MAX_MAPS - m->map_count) * sizeof m->maps[0]));
}

static void check_manifest(const mbpf_manifest_t *m)
{
    mbpf_diag_t d;
    check_str(m->program_name, sizeof m->program_name);
    check_str(m->program_version, sizeof m->program_version);
    check_str(m->entry_symbol, sizeof m->entry_symbol);
    CHECK(mbpf_hook_type_name(m->hook_type) != NULL);
    CHECK(m->target_word_size == 0 || m->target_word_size == 32 || m->target_word_size == 64);
    CHECK(m->target_endianness <= MBPF_TARGET_BIG);
    CHECK(m->heap_size > 0 && m->max_steps > 0 && m->max_helpers > 0);
    CHECK((m->capabilities & ~MBPF_CAP_ALL) == 0);
    CHECK(m->helper_version_count <= MBPF_MANIFEST_MAX_HELPER_VERSIONS);
    for (uint32_t i = 0; i < m->helper_version_count; i++) {
        check_str(m->helper_versions[i].name, sizeof m->helper_versions[i].name);
        for (uint32_t j = 0; j < i; j++)
            CHECK(strcmp(m->helper_versions[j].name, m->helper_versions[i].name) != 0);
    }
    CHECK(zero(&m->helper_versions[m->helper_version_count],
               (MBPF_MANIFEST_MAX_HELPER_VERSIONS - m->helper_version_count) *
                   sizeof m->helper_versions[0]));
    check_maps(m);
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

static void check_error(int rc, const mbpf_diag_t *d, const char *doc)
{
    CHECK(rc <= MBPF_PKG_E_MANIFEST_SYNTAX && rc >= MBPF_PKG_E_MANIFEST_VALUE);
    CHECK(memchr(d->msg, '\0', sizeof d->msg) != NULL);
    CHECK(strncmp(d->msg, doc, strlen(doc)) == 0);
}

/* A valid manifest without maps, for the MAPS section to fill. */
static void base_manifest(mbpf_manifest_t *m)
{
    memset(m, 0, sizeof *m);
    memcpy(m->program_name, "fuzz", 5);
    memcpy(m->program_version, "1", 2);
    memcpy(m->entry_symbol, "mbpf_prog", 10);
    m->hook_type = MBPF_HOOK_NET_RX;
    m->heap_size = m->max_steps = m->max_helpers = 1;
}

/* What the encoding carries of m: every field, strings up to their
 * terminator, entries up to the counts; padding and the rest zero. */
static void normalize(const mbpf_manifest_t *m, mbpf_manifest_t *out)
{
    memset(out, 0, sizeof *out);
#define COPY_STR(f) memcpy(out->f, m->f, strlen(m->f))
    COPY_STR(program_name);
    COPY_STR(program_version);
    COPY_STR(entry_symbol);
    out->hook_type = m->hook_type;
    out->hook_ctx_abi_version = m->hook_ctx_abi_version;
    out->bytecode_version = m->bytecode_version;
    out->target_word_size = m->target_word_size;
    out->target_endianness = m->target_endianness;
    out->mbpf_api_version = m->mbpf_api_version;
    out->heap_size = m->heap_size;
    out->max_steps = m->max_steps;
    out->max_helpers = m->max_helpers;
    out->max_wall_time_us = m->max_wall_time_us;
    out->capabilities = m->capabilities;
    out->helper_version_count = m->helper_version_count;
    for (uint32_t i = 0; i < m->helper_version_count; i++) {
        COPY_STR(helper_versions[i].name);
        out->helper_versions[i].version = m->helper_versions[i].version;
    }
    out->map_count = m->map_count;
    for (uint32_t i = 0; i < m->map_count; i++) {
        COPY_STR(maps[i].name);
        out->maps[i].type = m->maps[i].type;
        out->maps[i].key_size = m->maps[i].key_size;
        out->maps[i].value_size = m->maps[i].value_size;
        out->maps[i].max_entries = m->maps[i].max_entries;
        out->maps[i].flags = m->maps[i].flags;
    }
#undef COPY_STR
}

static void check_raw_struct(const uint8_t *data, size_t size)
{
    static mbpf_manifest_t raw, back, want;
    static uint8_t buf[8192];
    mbpf_diag_t dv, de;
    size_t n;
    memset(&raw, 0, sizeof raw);
    memcpy(&raw, data, size < sizeof raw ? size : sizeof raw);
    int rv = mbpf_manifest_validate(&raw, &dv);
    int re = mbpf_manifest_encode_cbor(&raw, buf, sizeof buf, &n, &de);
    CHECK(rv == re);
    if (rv != 0) {
        CHECK(strcmp(dv.msg, de.msg) == 0);
        return;
    }
    CHECK(mbpf_manifest_decode_cbor(buf, n, &back, &de) == 0);
    normalize(&raw, &want); /* validation passed: strings are terminated */
    CHECK(memcmp(&want, &back, sizeof want) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mbpf_manifest_t m;
    mbpf_diag_t d;

    memset(&m, 0xA5, sizeof m);
    memset(&d, 0xA5, sizeof d);
    int rc = mbpf_manifest_decode_cbor(data, size, &m, &d);
    if (rc == 0) {
        check_manifest(&m);
        check_round_trip(&m);
    } else {
        check_error(rc, &d, "manifest: ");
        CHECK(zero(&m, sizeof m));
    }

    /* the same bytes as a MAPS section (JSON when they start with '[') */
    base_manifest(&m);
    memset(&d, 0xA5, sizeof d);
    rc = mbpf_manifest_decode_maps(data, size, &m, &d);
    if (rc == 0) {
        check_manifest(&m);
        check_round_trip(&m);
        /* and a second MAPS section is refused, leaving no maps */
        if (m.map_count > 0) {
            CHECK(mbpf_manifest_decode_maps(data, size, &m, &d) == MBPF_PKG_E_MANIFEST_DUPLICATE);
            CHECK(m.map_count > 0); /* the refusal does not touch the manifest's maps */
        }
    } else {
        check_error(rc, &d, "maps section: ");
        CHECK(m.map_count == 0 && zero(m.maps, sizeof m.maps));
    }

    check_raw_struct(data, size);
    return 0;
}
