/*
 * `mbpf verify`: runs exactly the loader's package check
 * (mbpf_package_check) and says which part failed through the exit code,
 * so scripts can tell damage (CRC) from distrust (signature).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keyfile.h"
#include "package.h"

#define MAX_KEYS 32

enum { OPT_KEY, OPT_REQUIRE, OPT_QUIET };
static const cli_option_t options[] = {
    [OPT_KEY] = {"key", 'k', 1},
    [OPT_REQUIRE] = {"require-signature", 'r', 0},
    [OPT_QUIET] = {"quiet", 'q', 0},
    {0, 0, 0},
};

/* Exit code for a mbpf_package_check error. */
static int exit_code_for(int err)
{
    switch (err) {
    case MBPF_PKG_E_SECTION_CRC:
    case MBPF_PKG_E_FILE_CRC: return CLI_EXIT_CRC;
    case MBPF_PKG_E_SIG_INVALID:
    case MBPF_PKG_E_SIG_REQUIRED:
    case MBPF_PKG_E_SIG_NO_KEYS: return CLI_EXIT_SIGNATURE;
    case MBPF_PKG_E_MANIFEST_SYNTAX:
    case MBPF_PKG_E_MANIFEST_LIMIT:
    case MBPF_PKG_E_MANIFEST_TYPE:
    case MBPF_PKG_E_MANIFEST_MISSING:
    case MBPF_PKG_E_MANIFEST_DUPLICATE:
    case MBPF_PKG_E_MANIFEST_UNKNOWN:
    case MBPF_PKG_E_MANIFEST_VALUE: return CLI_EXIT_MANIFEST;
    case MBPF_PKG_E_NOSPACE:
    case MBPF_PKG_E_INVALID_ARG: return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_STRUCTURE;
}

/* "a.pub" or "a.pub, b.pub" into out. */
static void key_list(const char *const *names, int n, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < n && used < cap; i++) {
        int w = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0) break;
        used += (size_t)w;
    }
}

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    const char *key_paths[MAX_KEYS];
    int nkeys = 0, require = 0, quiet = 0;
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
        if (o == OPT_KEY) {
            if (nkeys == MAX_KEYS)
                return cli_usage_error(cmd, "more than %d --key options", MAX_KEYS);
            key_paths[nkeys++] = val;
        }
        if (o == OPT_REQUIRE) require = 1;
        if (o == OPT_QUIET) quiet = 1;
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

    mbpf_package_t *pk = malloc(sizeof *pk);
    if (!pk) {
        free(data);
        return cli_error(cmd, "out of memory");
    }
    mbpf_pkg_policy_t policy = {
        .trusted_keys = (const uint8_t(*)[32])keys,
        .trusted_key_count = (uint32_t)nkeys,
        .require_signature = require,
    };
    mbpf_diag_t diag = {{0}};
    int prc = mbpf_package_check(data, len, &policy, pk, &diag);
    int rc = CLI_EXIT_OK;
    char names[1024];
    key_list(key_paths, nkeys, names, sizeof names);
    if (prc == MBPF_PKG_E_SIG_INVALID) {
        cli_error(cmd, "%s: signature does not verify under %s", path, names);
        rc = CLI_EXIT_SIGNATURE;
    } else if (prc == MBPF_PKG_E_SIG_REQUIRED) {
        cli_error(cmd, "%s: package is unsigned and --require-signature was given", path);
        rc = CLI_EXIT_SIGNATURE;
    } else if (prc == MBPF_PKG_E_SIG_NO_KEYS) {
        cli_error(cmd, "%s: --require-signature needs --key PUB to check the signature", path);
        rc = CLI_EXIT_SIGNATURE;
    } else if (prc != 0) {
        cli_error(cmd, "%s: %s", path, diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
        rc = exit_code_for(prc);
    } else if (!quiet) {
        if (pk->sig_status == MBPF_SIG_VALID)
            printf("%s: OK (signature valid, key %s)\n", path, key_paths[pk->key_index]);
        else if (pk->sig_status == MBPF_SIG_UNCHECKED)
            printf("%s: OK (signed; signature not checked: no --key given)\n", path);
        else
            printf("%s: OK (unsigned)\n", path);
    }
    free(pk);
    free(data);
    return rc;
}

const cli_command_t cli_cmd_verify = {
    .name = "verify",
    .summary = "check a package as a loader would",
    .synopsis = "mbpf verify [--key PUB]... [--require-signature] [-q] PKG",
    .help = "Checks PKG exactly as the runtime loader does: header and section table, CRCs,\n"
            "signature, then manifest and MAPS section. A signed package is verified\n"
            "against every --key given (any one may match); a bad signature always fails.\n"
            "\n"
            "options:\n"
            "  -k, --key PUB              trusted public key file; repeatable\n"
            "  -r, --require-signature    fail on unsigned packages (production policy)\n"
            "  -q, --quiet                print nothing on success\n"
            "\n"
            "exit status:\n"
            "  0  package is valid under the policy\n"
            "  1  cannot read PKG or a key file, or a key file is malformed\n"
            "  2  usage error\n"
            "  3  structure: header, section table, flags or a required section\n"
            "  4  CRC: a section CRC or the file CRC does not match\n"
            "  5  signature: invalid, or missing/uncheckable under --require-signature\n"
            "  6  manifest: the MANIFEST or MAPS section is malformed or out of range\n",
    .run = run,
};
