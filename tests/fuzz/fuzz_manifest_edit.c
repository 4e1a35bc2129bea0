/*
 * Fuzz harness for the manifest editing of `mbpf build` (tools/lib/
 * manifest_edit.c): arbitrary bytes as the manifest file (JSON or CBOR),
 * then the command line's edits (a field replaced and a default added, a
 * nested field, a capability, a map) and the schema. Whatever the input:
 * no crash, no leak, every failure has a message, and a document the
 * schema accepts encodes and decodes back to the same manifest.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "manifest_edit.h"
#include "mbpf.h"

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64]; /* the input as a file, as mbpf build reads it */

static void remove_input(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/mbpf-fuzz-mdoc-%ld.json", (long)getpid());
        atexit(remove_input);
    }
    FILE *f = fopen(path, "wb");
    REQUIRE(f);
    REQUIRE(fwrite(data, 1, size, f) == size || size == 0);
    REQUIRE(fclose(f) == 0);

    char err[512] = "";
    mbpf_tool_mdoc_t *d = NULL;
    if (mbpf_tool_mdoc_load(path, &d, err, sizeof err) != 0) {
        REQUIRE(!d && err[0]);
        return 0;
    }
    REQUIRE(d);
    /* what mbpf build does with flags and defaults */
    uint64_t v;
    if (mbpf_tool_mdoc_get_uint(d, "heap_size", NULL, &v))
        REQUIRE(mbpf_tool_mdoc_has(d, "heap_size", NULL));
    REQUIRE(mbpf_tool_mdoc_set_uint(d, "budgets", "max_steps", 1000, 1) == 0);
    REQUIRE(mbpf_tool_mdoc_set_uint(d, "heap_size", NULL, 8192, 0) == 0);
    REQUIRE(mbpf_tool_mdoc_set_text(d, "program_version", NULL, "0.0.0", 0) == 0);
    REQUIRE(mbpf_tool_mdoc_set_text(d, "target", "word_size", "any", 0) == 0);
    REQUIRE(mbpf_tool_mdoc_add_capability(d, MBPF_CAP_LOG) == 0);
    mbpf_map_def_t def;
    memset(&def, 0, sizeof def);
    memcpy(def.name, "fuzz", 5);
    def.type = MBPF_MAP_HASH;
    def.key_size = 4;
    def.value_size = 8;
    def.max_entries = 16;
    REQUIRE(mbpf_tool_mdoc_put_map(d, &def) == 0);

    static mbpf_manifest_t m, back;
    err[0] = 0;
    int rc = mbpf_tool_mdoc_decode(d, "fuzz.json", &m, err, sizeof err);
    if (rc != 0) {
        REQUIRE(rc < 0 && err[0]);
    } else {
        /* accepted: the canonical encoding decodes to the same manifest */
        static uint8_t buf[16384];
        size_t len = 0;
        mbpf_diag_t diag = {{0}};
        REQUIRE(mbpf_manifest_encode_cbor(&m, buf, sizeof buf, &len, &diag) == 0);
        REQUIRE(mbpf_manifest_decode_cbor(buf, len, &back, &diag) == 0);
        REQUIRE(back.map_count == m.map_count && back.heap_size == m.heap_size &&
                back.max_steps == 1000 && (back.capabilities & MBPF_CAP_LOG));
        REQUIRE(strcmp(back.program_name, m.program_name) == 0);
    }
    mbpf_tool_mdoc_free(d);
    return 0;
}
