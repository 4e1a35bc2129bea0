/*
 * Canonical CBOR encoding of a manifest. The one idea: the output is RFC
 * 8949 §4.2.1 core deterministic encoding, so one manifest has exactly one
 * byte form and equal manifests hash and sign equally: shortest heads,
 * definite lengths, and the keys of every schema map in bytewise order of
 * their encodings (for text keys: shorter first, then byte by byte). Every
 * field is written, defaults included, and enumerations are written as
 * their names. helper_versions and maps keep the order of the struct.
 *
 * The input is checked by mbpf_manifest_validate first, the same rules the
 * decoder applies, so decoding the output always yields the same struct.
 */
#include <string.h>

#include "cbor_writer.h"
#include "manifest.h"
#include "mbpf.h"

static void put_key(mbpf_cbor_writer_t *w, const char *key)
{
    mbpf_cbor_put_cstr(w, key);
}

static void put_map_def(mbpf_cbor_writer_t *w, const mbpf_map_def_t *d)
{
    mbpf_cbor_put_map(w, 6);
    put_key(w, "name");
    mbpf_cbor_put_cstr(w, d->name);
    put_key(w, "type");
    mbpf_cbor_put_cstr(w, mbpf_map_type_name(d->type));
    put_key(w, "flags");
    mbpf_cbor_put_uint(w, d->flags);
    put_key(w, "key_size");
    mbpf_cbor_put_uint(w, d->key_size);
    put_key(w, "value_size");
    mbpf_cbor_put_uint(w, d->value_size);
    put_key(w, "max_entries");
    mbpf_cbor_put_uint(w, d->max_entries);
}

static void put_manifest(mbpf_cbor_writer_t *w, const mbpf_manifest_t *m)
{
    static const char *const endianness[] = {"any", "little", "big"};

    mbpf_cbor_put_map(w, 13);

    put_key(w, "maps");
    mbpf_cbor_put_array(w, m->map_count);
    for (uint32_t i = 0; i < m->map_count; i++) put_map_def(w, &m->maps[i]);

    put_key(w, "target");
    mbpf_cbor_put_map(w, 2);
    put_key(w, "word_size");
    if (m->target_word_size == MBPF_TARGET_ANY)
        mbpf_cbor_put_cstr(w, "any");
    else
        mbpf_cbor_put_uint(w, m->target_word_size);
    put_key(w, "endianness");
    mbpf_cbor_put_cstr(w, endianness[m->target_endianness]);

    put_key(w, "budgets");
    mbpf_cbor_put_map(w, 3);
    put_key(w, "max_steps");
    mbpf_cbor_put_uint(w, m->max_steps);
    put_key(w, "max_helpers");
    mbpf_cbor_put_uint(w, m->max_helpers);
    put_key(w, "max_wall_time_us");
    mbpf_cbor_put_uint(w, m->max_wall_time_us);

    put_key(w, "heap_size");
    mbpf_cbor_put_uint(w, m->heap_size);

    put_key(w, "hook_type");
    mbpf_cbor_put_cstr(w, mbpf_hook_type_name(m->hook_type));

    put_key(w, "capabilities");
    uint32_t ncaps = 0;
    for (uint32_t bit = 1; bit & MBPF_CAP_ALL; bit <<= 1) ncaps += (m->capabilities & bit) != 0;
    mbpf_cbor_put_array(w, ncaps);
    for (uint32_t bit = 1; bit & MBPF_CAP_ALL; bit <<= 1)
        if (m->capabilities & bit) mbpf_cbor_put_cstr(w, mbpf_capability_name(bit));

    put_key(w, "entry_symbol");
    mbpf_cbor_put_cstr(w, m->entry_symbol);

    put_key(w, "program_name");
    mbpf_cbor_put_cstr(w, m->program_name);

    put_key(w, "helper_versions");
    mbpf_cbor_put_map(w, m->helper_version_count);
    for (uint32_t i = 0; i < m->helper_version_count; i++) {
        mbpf_cbor_put_cstr(w, m->helper_versions[i].name);
        mbpf_cbor_put_uint(w, m->helper_versions[i].version);
    }

    put_key(w, "program_version");
    mbpf_cbor_put_cstr(w, m->program_version);

    put_key(w, "bytecode_version");
    mbpf_cbor_put_uint(w, m->bytecode_version);

    put_key(w, "mbpf_api_version");
    mbpf_cbor_put_uint(w, m->mbpf_api_version);

    put_key(w, "hook_ctx_abi_version");
    mbpf_cbor_put_uint(w, m->hook_ctx_abi_version);
}

int mbpf_manifest_encode_cbor(const mbpf_manifest_t *m, uint8_t *out, size_t cap, size_t *out_len,
                              mbpf_diag_t *diag)
{
    if (!m || !out_len || (!out && cap > 0)) {
        mbpf_diag_set(diag, "manifest: invalid argument");
        return MBPF_PKG_E_INVALID_ARG;
    }
    *out_len = 0;
    int rc = mbpf_manifest_validate(m, diag);
    if (rc != 0) return rc;

    mbpf_cbor_writer_t w;
    mbpf_cbor_writer_init(&w, out, cap);
    put_manifest(&w, m);
    rc = mbpf_cbor_writer_finish(&w, out_len);
    if (rc != 0)
        mbpf_diag_set(diag, "manifest: encoding needs %zu bytes, buffer holds %zu", *out_len, cap);
    return rc;
}
