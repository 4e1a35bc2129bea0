/*
 * `mbpf inspect`: shows everything in a package and the state of each check
 * separately (per-section CRC, file CRC, signature, manifest), so a damaged
 * package can still be looked at: only an unreadable header or section
 * table stops it. Text for people, --json (cJSON) for scripts; both are
 * built from one collected description.
 *
 * --disasm adds the BYTECODE section's disassembly, printed by the `ujs`
 * shell's disassembler (tools/ujs/disasm.c) once the engine's verifier has
 * accepted the section: the disassembler trusts its input.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crc32.h"
#include "disasm.h"
#include "ed25519.h"
#include "js_compile.h"
#include "keyfile.h"
#include "mbpf.h"
#include "package.h"
#include "pkg_build.h"

#define MAX_KEYS 32

enum { OPT_JSON, OPT_KEY, OPT_DISASM };
static const cli_option_t options[] = {
    [OPT_JSON] = {"json", 'j', 0},
    [OPT_KEY] = {"key", 'k', 1},
    [OPT_DISASM] = {"disasm", 'd', 0},
    {0, 0, 0},
};

/* What inspect found, collected once, printed as text or JSON. */
typedef struct report {
    const char *path;
    size_t size;
    mbpf_container_t c;
    const char *crc_status[MBPF_PKG_MAX_SECTIONS]; /* "ok", "mismatch", "absent" */
    uint32_t crc_computed[MBPF_PKG_MAX_SECTIONS];
    const char *file_crc_status;
    uint32_t file_crc_computed;
    int manifest_rc; /* 0, a decode error, or 1 when there is no MANIFEST */
    mbpf_diag_t manifest_diag;
    mbpf_manifest_t manifest;
    const char *sig_status; /* "absent", "unchecked", "valid", "invalid" */
    const char *sig_key;    /* key that verified it */
    int check_rc;           /* mbpf_package_check under the given keys */
    mbpf_diag_t check_diag;
    int disasm;        /* --disasm given */
    char *disasm_text; /* the disassembly (malloc'd), or NULL with: */
    char disasm_err[MBPF_TOOL_ERR_MAX + 16];
} report_t;

static const char *crc_state(uint32_t stored, uint32_t computed)
{
    if (stored == 0) return "absent";
    return stored == computed ? "ok" : "mismatch";
}

static void collect(report_t *r, const uint8_t *data, const char *const *key_paths,
                    const uint8_t (*keys)[32], int nkeys)
{
    const mbpf_container_t *c = &r->c;
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        r->crc_computed[i] = mbpf_crc32(0, mbpf_container_data(c, s), s->length);
        r->crc_status[i] =
            s->type == MBPF_SEC_SIG ? "absent" : crc_state(s->crc32, r->crc_computed[i]);
    }

    /* File CRC: bytes [0, end) with the file_crc32 field read as zero. */
    const mbpf_section_t *sig = mbpf_container_find(c, MBPF_SEC_SIG);
    size_t end = sig ? sig->offset : r->size;
    static const uint8_t zero[4];
    uint32_t crc = mbpf_crc32(0, data, MBPF_PKG_FILE_CRC_OFFSET);
    crc = mbpf_crc32(crc, zero, sizeof zero);
    if (end > MBPF_PKG_FILE_CRC_OFFSET + 4)
        crc = mbpf_crc32(crc, data + MBPF_PKG_FILE_CRC_OFFSET + 4,
                         end - (MBPF_PKG_FILE_CRC_OFFSET + 4));
    r->file_crc_computed = crc;
    r->file_crc_status = crc_state(c->file_crc32, crc);

    const mbpf_section_t *man = mbpf_container_find(c, MBPF_SEC_MANIFEST);
    r->manifest_rc = 1;
    if (man) {
        r->manifest_rc = mbpf_manifest_decode(mbpf_container_data(c, man), man->length,
                                              &r->manifest, &r->manifest_diag);
        const mbpf_section_t *maps = mbpf_container_find(c, MBPF_SEC_MAPS);
        if (r->manifest_rc == 0 && maps)
            r->manifest_rc = mbpf_manifest_decode_maps(mbpf_container_data(c, maps), maps->length,
                                                       &r->manifest, &r->manifest_diag);
    }

    const uint8_t *msg, *sigbytes;
    size_t msg_len;
    if (mbpf_container_sign_region(c, &msg, &msg_len, &sigbytes) != 0) {
        r->sig_status = "absent";
    } else if (nkeys == 0) {
        r->sig_status = "unchecked";
    } else {
        r->sig_status = "invalid";
        for (int i = 0; i < nkeys; i++) {
            if (mbpf_ed25519_verify(sigbytes, msg, msg_len, keys[i]) == 0) {
                r->sig_status = "valid";
                r->sig_key = key_paths[i];
                break;
            }
        }
    }
}

/* Verifies the BYTECODE section, then disassembles it into r->disasm_text;
 * on failure r->disasm_err says why. */
static void disassemble(report_t *r)
{
    const mbpf_section_t *sec = mbpf_container_find(&r->c, MBPF_SEC_BYTECODE);
    if (!sec) {
        snprintf(r->disasm_err, sizeof r->disasm_err, "no BYTECODE section");
        return;
    }
    const uint8_t *bc = mbpf_container_data(&r->c, sec);
    char err[MBPF_TOOL_ERR_MAX];
    if (mbpf_tool_verify_bytecode(bc, sec->length, err, sizeof err) != 0) {
        snprintf(r->disasm_err, sizeof r->disasm_err, "bytecode: %s", err);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(r->disasm_err, sizeof r->disasm_err, "out of memory");
        return;
    }
    int rc = ujs_disasm(f, bc, sec->length);
    if (fclose(f) != 0 || rc != 0) {
        free(text);
        snprintf(r->disasm_err, sizeof r->disasm_err,
                 rc ? "bytecode: not disassembled" : "out of memory");
        return;
    }
    r->disasm_text = text;
}

static const char *section_name(uint32_t type)
{
    const char *n = mbpf_tool_section_name(type);
    return n ? n : "unknown";
}

static void version_str(uint32_t v, char out[24])
{
    snprintf(out, 24, "%u.%u", v >> 16, v & 0xffff);
}

static const char *word_size_str(uint8_t w, char out[8])
{
    if (w == MBPF_TARGET_ANY) return "any";
    snprintf(out, 8, "%u", w);
    return out;
}

static const char *endianness_str(uint8_t e)
{
    return e == MBPF_TARGET_LITTLE ? "little" : e == MBPF_TARGET_BIG ? "big" : "any";
}

static const char *name_or_number(const char *name, uint32_t v, char out[16])
{
    if (name) return name;
    snprintf(out, 16, "%u", v);
    return out;
}

static void print_text(const report_t *r, int nkeys)
{
    const mbpf_container_t *c = &r->c;
    char flags[32] = "";
    if (c->flags & (MBPF_PKG_F_SIGNED | MBPF_PKG_F_DEBUG))
        snprintf(flags, sizeof flags, " (%s%s%s)", c->flags & MBPF_PKG_F_SIGNED ? "SIGNED" : "",
                 (c->flags & MBPF_PKG_F_SIGNED) && (c->flags & MBPF_PKG_F_DEBUG) ? " " : "",
                 c->flags & MBPF_PKG_F_DEBUG ? "DEBUG" : "");
    printf("package %s: %zu bytes\n", r->path, r->size);
    printf("header:\n");
    printf("  magic           MBPF\n");
    printf("  format_version  %u\n", (unsigned)c->format_version);
    printf("  header_size     %u\n", (unsigned)c->header_size);
    printf("  flags           0x%x%s\n", c->flags, flags);
    printf("  section_count   %u\n", c->section_count);
    if (c->file_crc32)
        printf("  file_crc32      0x%08x (%s)\n", c->file_crc32, r->file_crc_status);
    else
        printf("  file_crc32      0 (absent)\n");

    printf("sections:\n");
    printf("  %-2s %-9s %8s %8s  %-10s  %s\n", "#", "type", "offset", "length", "crc32", "crc");
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        char type[24];
        snprintf(type, sizeof type, "%s", section_name(s->type));
        if (!mbpf_tool_section_name(s->type)) snprintf(type, sizeof type, "type %u", s->type);
        char crc[16] = "-";
        if (s->crc32) snprintf(crc, sizeof crc, "0x%08x", s->crc32);
        const char *st = s->type == MBPF_SEC_SIG ? "-" : r->crc_status[i];
        printf("  %-2u %-9s %8u %8u  %-10s  %s\n", i, type, s->offset, s->length, crc, st);
    }

    if (r->manifest_rc == 1) {
        printf("manifest: (no MANIFEST section)\n");
    } else if (r->manifest_rc != 0) {
        printf("manifest: (invalid: %s)\n",
               r->manifest_diag.msg[0] ? r->manifest_diag.msg : mbpf_pkg_strerror(r->manifest_rc));
    } else {
        const mbpf_manifest_t *m = &r->manifest;
        char v[24], n[16], w[8];
        printf("manifest:\n");
        printf("  program_name          %s\n", m->program_name);
        printf("  program_version       %s\n", m->program_version);
        printf("  hook_type             %s\n",
               name_or_number(mbpf_hook_type_name(m->hook_type), m->hook_type, n));
        printf("  hook_ctx_abi_version  %u\n", m->hook_ctx_abi_version);
        printf("  entry_symbol          %s\n", m->entry_symbol);
        printf("  bytecode_version      %u\n", m->bytecode_version);
        printf("  target                word_size %s, endianness %s\n",
               word_size_str(m->target_word_size, w), endianness_str(m->target_endianness));
        version_str(m->mbpf_api_version, v);
        printf("  mbpf_api_version      %u (%s)\n", m->mbpf_api_version, v);
        printf("  heap_size             %u\n", m->heap_size);
        printf("  budgets               max_steps %u, max_helpers %u", m->max_steps,
               m->max_helpers);
        if (m->max_wall_time_us) printf(", max_wall_time_us %u", m->max_wall_time_us);
        printf("\n  capabilities          ");
        int any = 0;
        for (uint32_t bit = 1; bit != 0 && bit <= MBPF_CAP_ALL; bit <<= 1) {
            if (!(m->capabilities & bit)) continue;
            printf("%s%s", any ? " " : "", name_or_number(mbpf_capability_name(bit), bit, n));
            any = 1;
        }
        printf("%s\n", any ? "" : "(none)");
        for (uint32_t i = 0; i < m->helper_version_count; i++) {
            version_str(m->helper_versions[i].version, v);
            printf("  helper_version        %s %s\n", m->helper_versions[i].name, v);
        }
        for (uint32_t i = 0; i < m->map_count; i++) {
            const mbpf_map_def_t *d = &m->maps[i];
            printf("  map                   %s: %s, key_size %u, value_size %u, max_entries %u, "
                   "flags 0x%x\n",
                   d->name, name_or_number(mbpf_map_type_name(d->type), d->type, n), d->key_size,
                   d->value_size, d->max_entries, d->flags);
        }
        if (m->map_count == 0) printf("  maps                  (none)\n");
    }

    if (strcmp(r->sig_status, "valid") == 0)
        printf("signature: valid (key %s)\n", r->sig_key);
    else if (strcmp(r->sig_status, "invalid") == 0)
        printf("signature: INVALID (does not verify under the %d key%s given)\n", nkeys,
               nkeys == 1 ? "" : "s");
    else if (strcmp(r->sig_status, "unchecked") == 0)
        printf("signature: present, not checked (give --key PUB to verify)\n");
    else
        printf("signature: none (unsigned package)\n");

    if (r->check_rc == 0)
        printf("check: ok\n");
    else
        printf("check: FAILED: %s\n",
               r->check_diag.msg[0] ? r->check_diag.msg : mbpf_pkg_strerror(r->check_rc));

    if (!r->disasm) return;
    if (!r->disasm_text) {
        printf("disassembly: (none: %s)\n", r->disasm_err);
        return;
    }
    printf("disassembly:\n");
    for (const char *line = r->disasm_text; *line;) {
        const char *nl = strchr(line, '\n');
        int n = nl ? (int)(nl - line) : (int)strlen(line);
        printf(n ? "  %.*s\n" : "%.*s\n", n, line);
        line += n + (nl != NULL);
    }
}

static cJSON *manifest_json(const mbpf_manifest_t *m)
{
    char n[16];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "program_name", m->program_name);
    cJSON_AddStringToObject(o, "program_version", m->program_version);
    cJSON_AddStringToObject(o, "hook_type",
                            name_or_number(mbpf_hook_type_name(m->hook_type), m->hook_type, n));
    cJSON_AddNumberToObject(o, "hook_ctx_abi_version", m->hook_ctx_abi_version);
    cJSON_AddStringToObject(o, "entry_symbol", m->entry_symbol);
    cJSON_AddNumberToObject(o, "bytecode_version", m->bytecode_version);
    cJSON *t = cJSON_AddObjectToObject(o, "target");
    if (m->target_word_size == MBPF_TARGET_ANY)
        cJSON_AddStringToObject(t, "word_size", "any");
    else
        cJSON_AddNumberToObject(t, "word_size", m->target_word_size);
    cJSON_AddStringToObject(t, "endianness", endianness_str(m->target_endianness));
    cJSON_AddNumberToObject(o, "mbpf_api_version", m->mbpf_api_version);
    cJSON_AddNumberToObject(o, "heap_size", m->heap_size);
    cJSON *b = cJSON_AddObjectToObject(o, "budgets");
    cJSON_AddNumberToObject(b, "max_steps", m->max_steps);
    cJSON_AddNumberToObject(b, "max_helpers", m->max_helpers);
    if (m->max_wall_time_us) cJSON_AddNumberToObject(b, "max_wall_time_us", m->max_wall_time_us);
    cJSON *caps = cJSON_AddArrayToObject(o, "capabilities");
    for (uint32_t bit = 1; bit != 0 && bit <= MBPF_CAP_ALL; bit <<= 1)
        if (m->capabilities & bit)
            cJSON_AddItemToArray(
                caps, cJSON_CreateString(name_or_number(mbpf_capability_name(bit), bit, n)));
    if (m->helper_version_count) {
        cJSON *hv = cJSON_AddObjectToObject(o, "helper_versions");
        for (uint32_t i = 0; i < m->helper_version_count; i++)
            cJSON_AddNumberToObject(hv, m->helper_versions[i].name, m->helper_versions[i].version);
    }
    cJSON *maps = cJSON_AddArrayToObject(o, "maps");
    for (uint32_t i = 0; i < m->map_count; i++) {
        const mbpf_map_def_t *d = &m->maps[i];
        cJSON *mo = cJSON_CreateObject();
        cJSON_AddStringToObject(mo, "name", d->name);
        cJSON_AddStringToObject(mo, "type",
                                name_or_number(mbpf_map_type_name(d->type), d->type, n));
        cJSON_AddNumberToObject(mo, "key_size", d->key_size);
        cJSON_AddNumberToObject(mo, "value_size", d->value_size);
        cJSON_AddNumberToObject(mo, "max_entries", d->max_entries);
        cJSON_AddNumberToObject(mo, "flags", d->flags);
        cJSON_AddItemToArray(maps, mo);
    }
    return o;
}

static int print_json(const report_t *r)
{
    const mbpf_container_t *c = &r->c;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "file", r->path);
    cJSON_AddNumberToObject(root, "size", (double)r->size);

    cJSON *h = cJSON_AddObjectToObject(root, "header");
    cJSON_AddStringToObject(h, "magic", "MBPF");
    cJSON_AddNumberToObject(h, "format_version", c->format_version);
    cJSON_AddNumberToObject(h, "header_size", c->header_size);
    cJSON_AddNumberToObject(h, "flags", c->flags);
    cJSON *fl = cJSON_AddArrayToObject(h, "flag_names");
    if (c->flags & MBPF_PKG_F_SIGNED) cJSON_AddItemToArray(fl, cJSON_CreateString("SIGNED"));
    if (c->flags & MBPF_PKG_F_DEBUG) cJSON_AddItemToArray(fl, cJSON_CreateString("DEBUG"));
    cJSON_AddNumberToObject(h, "section_count", c->section_count);
    cJSON_AddNumberToObject(h, "file_crc32", c->file_crc32);
    cJSON_AddStringToObject(h, "file_crc32_status", r->file_crc_status);

    cJSON *secs = cJSON_AddArrayToObject(root, "sections");
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        cJSON *so = cJSON_CreateObject();
        cJSON_AddNumberToObject(so, "index", i);
        cJSON_AddNumberToObject(so, "type", s->type);
        cJSON_AddStringToObject(so, "type_name", section_name(s->type));
        cJSON_AddNumberToObject(so, "offset", s->offset);
        cJSON_AddNumberToObject(so, "length", s->length);
        cJSON_AddNumberToObject(so, "crc32", s->crc32);
        cJSON_AddStringToObject(so, "crc32_status", r->crc_status[i]);
        cJSON_AddItemToArray(secs, so);
    }

    if (r->manifest_rc == 0) {
        cJSON_AddItemToObject(root, "manifest", manifest_json(&r->manifest));
    } else {
        cJSON_AddNullToObject(root, "manifest");
        cJSON_AddStringToObject(root, "manifest_error",
                                r->manifest_rc == 1       ? "no MANIFEST section"
                                : r->manifest_diag.msg[0] ? r->manifest_diag.msg
                                                          : mbpf_pkg_strerror(r->manifest_rc));
    }

    cJSON *sg = cJSON_AddObjectToObject(root, "signature");
    cJSON_AddBoolToObject(sg, "present", strcmp(r->sig_status, "absent") != 0);
    cJSON_AddStringToObject(sg, "status", r->sig_status);
    if (r->sig_key)
        cJSON_AddStringToObject(sg, "key", r->sig_key);
    else
        cJSON_AddNullToObject(sg, "key");

    cJSON_AddBoolToObject(root, "valid", r->check_rc == 0);
    if (r->check_rc == 0) {
        cJSON_AddNullToObject(root, "error");
    } else {
        cJSON_AddStringToObject(root, "error",
                                r->check_diag.msg[0] ? r->check_diag.msg
                                                     : mbpf_pkg_strerror(r->check_rc));
    }
    cJSON_AddNumberToObject(root, "error_code", r->check_rc);
    if (r->disasm) {
        if (r->disasm_text) {
            cJSON_AddStringToObject(root, "disassembly", r->disasm_text);
            cJSON_AddNullToObject(root, "disassembly_error");
        } else {
            cJSON_AddNullToObject(root, "disassembly");
            cJSON_AddStringToObject(root, "disassembly_error", r->disasm_err);
        }
    }

    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) return -1;
    printf("%s\n", text);
    cJSON_free(text);
    return 0;
}

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    const char *key_paths[MAX_KEYS];
    int nkeys = 0, json = 0, disasm = 0;
    const char *path = NULL;
    cli_parser_t p;
    cli_parser_init(&p, cmd, options, argc, argv);
    for (;;) {
        const char *val;
        int o = cli_next(&p, &val);
        if (o == CLI_DONE) break;
        if (o == CLI_HELP) return CLI_EXIT_OK;
        if (o == CLI_BAD) return CLI_EXIT_USAGE;
        if (o == CLI_POSITIONAL) {
            if (path) return cli_usage_error(cmd, "unexpected argument '%s'", val);
            path = val;
        }
        if (o == OPT_JSON) json = 1;
        if (o == OPT_DISASM) disasm = 1;
        if (o == OPT_KEY) {
            if (nkeys == MAX_KEYS)
                return cli_usage_error(cmd, "more than %d --key options", MAX_KEYS);
            key_paths[nkeys++] = val;
        }
    }
    if (!path) return cli_usage_error(cmd, "missing package PKG");

    char err[MBPF_TOOL_ERR_MAX];
    uint8_t keys[MAX_KEYS][32];
    for (int i = 0; i < nkeys; i++)
        if (mbpf_tool_key_load_public(key_paths[i], keys[i], err, sizeof err) != 0)
            return cli_error(cmd, "%s", err);

    uint8_t *data;
    size_t len;
    if (mbpf_tool_read_file(path, &data, &len, err, sizeof err) != 0)
        return cli_error(cmd, "%s", err);

    int rc = CLI_EXIT_INPUT;
    report_t *r = calloc(1, sizeof *r);
    mbpf_package_t *pk = malloc(sizeof *pk);
    if (!r || !pk) {
        cli_error(cmd, "out of memory");
        goto out;
    }
    r->path = path;
    r->size = len;
    mbpf_diag_t diag = {{0}};
    int prc = mbpf_container_parse(data, len, &r->c, &diag);
    if (prc != 0) {
        cli_error(cmd, "%s: %s", path, diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
        goto out;
    }
    collect(r, data, key_paths, (const uint8_t(*)[32])keys, nkeys);
    mbpf_pkg_policy_t policy = {
        .trusted_keys = (const uint8_t(*)[32])keys,
        .trusted_key_count = (uint32_t)nkeys,
    };
    r->check_rc = mbpf_package_check(data, len, &policy, pk, &r->check_diag);
    r->disasm = disasm;
    if (disasm) disassemble(r);

    if (json) {
        if (print_json(r) != 0) {
            cli_error(cmd, "out of memory");
            goto out;
        }
    } else {
        print_text(r, nkeys);
    }
    if (r->check_rc != 0)
        cli_error(cmd, "%s: %s", path,
                  r->check_diag.msg[0] ? r->check_diag.msg : mbpf_pkg_strerror(r->check_rc));
    if (disasm && !r->disasm_text) cli_error(cmd, "%s: %s", path, r->disasm_err);
    if (r->check_rc == 0 && (!disasm || r->disasm_text)) rc = CLI_EXIT_OK;
out:
    free(pk);
    if (r) free(r->disasm_text);
    free(r);
    free(data);
    return rc;
}

const cli_command_t cli_cmd_inspect = {
    .name = "inspect",
    .summary = "show a package's header, sections, manifest and signature",
    .synopsis = "mbpf inspect [--json] [--disasm] [--key PUB]... PKG",
    .help = "Prints the header, the section table with offsets, lengths and CRC status, the\n"
            "decoded manifest and the signature status of PKG, then the overall result of\n"
            "the loader's check. Damaged packages are shown as far as they can be read.\n"
            "\n"
            "options:\n"
            "  -j, --json      print one JSON object instead of text (docs/CLI.md)\n"
            "  -k, --key PUB   check the signature against this public key; repeatable\n"
            "  -d, --disasm    also verify the BYTECODE section with the engine's verifier\n"
            "                  and print its disassembly: functions, constants, closure\n"
            "                  variables and instructions under their source lines\n"
            "\n"
            "exit status: 0 when the package passes the check (and, with --disasm, its\n"
            "bytecode verifies), 1 otherwise (the output still shows which part failed),\n"
            "2 on usage errors.\n",
    .run = run,
};
