/*
 * `mbpf pack`: manifest + bytecode (+ debug, maps) -> .mbpf, optionally
 * signed. The manifest is always validated and stored as canonical CBOR,
 * whatever form it was given in, so equal manifests give equal packages.
 * The finished package is run through the loader's own check before it is
 * written (mbpf_tool_pack): pack never emits a package the runtime would
 * refuse.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "js_compile.h"
#include "manifest_json.h"
#include "package.h"
#include "pkg_build.h"

enum { OPT_MANIFEST, OPT_BYTECODE, OPT_DEBUG, OPT_MAPS, OPT_SIGN, OPT_NO_VERIFY, OPT_OUTPUT };
static const cli_option_t options[] = {
    [OPT_MANIFEST] = {"manifest", 'm', 1}, [OPT_BYTECODE] = {"bytecode", 'b', 1},
    [OPT_DEBUG] = {"debug", 'd', 1},       [OPT_MAPS] = {"maps", 0, 1},
    [OPT_SIGN] = {"sign", 's', 1},         [OPT_NO_VERIFY] = {"no-verify", 0, 0},
    [OPT_OUTPUT] = {"output", 'o', 1},     {0, 0, 0},
};

/* Reads a JSON or CBOR manifest file into *m. */
static int load_manifest(const cli_command_t *cmd, const char *path, mbpf_manifest_t *m)
{
    uint8_t *data;
    size_t len;
    char err[MBPF_TOOL_ERR_MAX];
    if (mbpf_tool_read_file(path, &data, &len, err, sizeof err) != 0)
        return cli_error(cmd, "%s", err);
    int rc;
    if (mbpf_tool_is_json(data, len, '{')) {
        rc = mbpf_tool_manifest_from_json((const char *)data, len, path, m, err, sizeof err);
        if (rc != 0) cli_error(cmd, "%s", err);
    } else {
        mbpf_diag_t diag = {{0}};
        rc = mbpf_manifest_decode_cbor(data, len, m, &diag);
        if (rc != 0) cli_error(cmd, "%s: %s", path, diag.msg[0] ? diag.msg : mbpf_pkg_strerror(rc));
    }
    free(data);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}

static int read_input(const cli_command_t *cmd, const char *path, uint8_t **data, size_t *len)
{
    char err[MBPF_TOOL_ERR_MAX];
    if (mbpf_tool_read_file(path, data, len, err, sizeof err) != 0)
        return cli_error(cmd, "%s", err);
    if (*len > UINT32_MAX) return cli_error(cmd, "%s: too large for a package section", path);
    return CLI_EXIT_OK;
}

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    const char *path[OPT_OUTPUT + 1] = {0};
    cli_parser_t p;
    cli_parser_init(&p, cmd, options, argc, argv);
    for (;;) {
        const char *val;
        int o = cli_next(&p, &val);
        if (o == CLI_DONE) break;
        if (o == CLI_HELP) return CLI_EXIT_OK;
        if (o == CLI_BAD) return CLI_EXIT_USAGE;
        if (o == CLI_POSITIONAL) return cli_usage_error(cmd, "unexpected argument '%s'", val);
        if (path[o]) return cli_usage_error(cmd, "option '--%s' given twice", options[o].name);
        path[o] = val ? val : "";
    }
    if (!path[OPT_MANIFEST]) return cli_usage_error(cmd, "missing --manifest FILE");
    if (!path[OPT_BYTECODE]) return cli_usage_error(cmd, "missing --bytecode FILE");
    if (!path[OPT_OUTPUT]) return cli_usage_error(cmd, "missing -o OUT");

    int rc = CLI_EXIT_INPUT;
    char err[MBPF_TOOL_ERR_MAX];
    uint8_t *code = NULL, *debug = NULL, *maps = NULL, *pkg = NULL;
    size_t code_len = 0, debug_len = 0, maps_len = 0, pkg_len = 0;
    uint32_t nsecs = 0;
    mbpf_manifest_t *m = calloc(1, sizeof *m);
    mbpf_tool_secret_key_t *key = NULL;
    if (!m) {
        cli_error(cmd, "out of memory");
        goto out;
    }

    if (load_manifest(cmd, path[OPT_MANIFEST], m) != 0) goto out;
    if (read_input(cmd, path[OPT_BYTECODE], &code, &code_len) != 0) goto out;
    if (code_len == 0) {
        cli_error(cmd, "%s: bytecode file is empty", path[OPT_BYTECODE]);
        goto out;
    }
    /* the engine's verifier, as the loader will run it, and the version
     * the manifest promises */
    if (!path[OPT_NO_VERIFY]) {
        if (mbpf_tool_verify_bytecode(code, code_len, err, sizeof err) != 0) {
            cli_error(cmd, "%s: %s (--no-verify packs it anyway)", path[OPT_BYTECODE], err);
            goto out;
        }
        uint32_t file_version = (uint32_t)code[4] | (uint32_t)code[5] << 8;
        if (m->bytecode_version != file_version) {
            cli_error(cmd, "%s: bytecode_version %u differs from the bytecode file's %u",
                      path[OPT_MANIFEST], (unsigned)m->bytecode_version, (unsigned)file_version);
            goto out;
        }
    }
    if (path[OPT_MAPS]) {
        if (read_input(cmd, path[OPT_MAPS], &maps, &maps_len) != 0) goto out;
        if (mbpf_tool_is_json(maps, maps_len, '[')) {
            /* Stored as CBOR, the device format, like the manifest. */
            uint8_t *conv;
            size_t conv_len;
            if (mbpf_tool_json_to_cbor((const char *)maps, maps_len, path[OPT_MAPS], &conv,
                                       &conv_len, err, sizeof err) != 0) {
                cli_error(cmd, "%s", err);
                goto out;
            }
            free(maps);
            maps = conv;
            maps_len = conv_len;
        }
        /* Validate on a copy: the maps must decode, and not clash with
         * maps the manifest already defines. */
        mbpf_manifest_t *tmp = malloc(sizeof *tmp);
        if (!tmp) {
            cli_error(cmd, "out of memory");
            goto out;
        }
        *tmp = *m;
        mbpf_diag_t diag = {{0}};
        int prc = mbpf_manifest_decode_maps(maps, maps_len, tmp, &diag);
        free(tmp);
        if (prc != 0) {
            cli_error(cmd, "%s: %s", path[OPT_MAPS],
                      diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
            goto out;
        }
    }
    if (path[OPT_DEBUG] && read_input(cmd, path[OPT_DEBUG], &debug, &debug_len) != 0) goto out;
    if (path[OPT_SIGN]) {
        key = sodium_malloc(sizeof *key);
        if (!key) {
            cli_error(cmd, "out of memory");
            goto out;
        }
        if (mbpf_tool_key_load_secret(path[OPT_SIGN], key, err, sizeof err) != 0) {
            cli_error(cmd, "%s", err);
            goto out;
        }
    }

    mbpf_tool_pack_in_t in = {
        .manifest = m,
        .manifest_name = path[OPT_MANIFEST],
        .bytecode = code,
        .bytecode_len = code_len,
        .maps = maps,
        .maps_len = maps_len,
        .debug = debug,
        .debug_len = debug_len,
        .key = key,
    };
    if (mbpf_tool_pack(&in, &pkg, &pkg_len, &nsecs, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    if (mbpf_tool_write_file_atomic(path[OPT_OUTPUT], pkg, pkg_len, 0644, 1, err, sizeof err) !=
        0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    printf("wrote %s (%zu bytes, %u sections, %s)\n", path[OPT_OUTPUT], pkg_len, nsecs,
           key ? "signed" : "unsigned");
    rc = CLI_EXIT_OK;
out:
    sodium_free(key);
    free(m);
    free(code);
    free(debug);
    free(maps);
    free(pkg);
    return rc;
}

const cli_command_t cli_cmd_pack = {
    .name = "pack",
    .summary = "assemble a package from a manifest and bytecode",
    .synopsis = "mbpf pack --manifest FILE --bytecode FILE [--debug FILE] [--maps FILE]\n"
                "                 [--sign KEY] [--no-verify] -o OUT",
    .help = "Assembles a .mbpf package with per-section and whole-file CRC-32s. The manifest\n"
            "(JSON, or CBOR) is validated against the schema and stored as canonical CBOR.\n"
            "The bytecode goes through the engine's verifier and its format version must\n"
            "be the manifest's bytecode_version.\n"
            "With --sign the package also gets an Ed25519 signature (as 'mbpf sign' adds).\n"
            "The result is checked like a loader would before it is written; OUT is written\n"
            "atomically (a failed pack leaves any existing OUT untouched).\n"
            "\n"
            "options:\n"
            "  -m, --manifest FILE  program manifest: JSON ('{' first) or CBOR\n"
            "  -b, --bytecode FILE  compiled program (BYTECODE section)\n"
            "  -d, --debug FILE     debug information (DEBUG section), stored as is\n"
            "      --maps FILE      map definitions (MAPS section): a JSON or CBOR array of\n"
            "                       map objects, validated and stored as CBOR; the manifest\n"
            "                       must then define no maps itself\n"
            "  -s, --sign KEY       sign with this secret key file (from 'mbpf keygen')\n"
            "      --no-verify      store the bytecode without running the engine's\n"
            "                       verifier on it (for testing loaders with bad input)\n"
            "  -o, --output OUT     package to write\n"
            "\n"
            "Format and manifest schema: docs/PACKAGE_FORMAT.md.\n",
    .run = run,
};
