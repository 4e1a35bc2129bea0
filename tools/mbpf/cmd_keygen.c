/*
 * `mbpf keygen -o NAME`: a new Ed25519 key pair in NAME.key (secret seed,
 * mode 0600) and NAME.pub. Never overwrites without --force, and never
 * leaves a lone half of a new pair behind.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "keyfile.h"

enum { OPT_OUTPUT, OPT_FORCE };
static const cli_option_t options[] = {
    [OPT_OUTPUT] = {"output", 'o', 1},
    [OPT_FORCE] = {"force", 'f', 0},
    {0, 0, 0},
};

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    const char *name = NULL;
    int force = 0;
    cli_parser_t p;
    cli_parser_init(&p, cmd, options, argc, argv);
    for (;;) {
        const char *val;
        int o = cli_next(&p, &val);
        if (o == CLI_DONE) break;
        if (o == CLI_HELP) return CLI_EXIT_OK;
        if (o == CLI_BAD) return CLI_EXIT_USAGE;
        if (o == CLI_POSITIONAL) return cli_usage_error(cmd, "unexpected argument '%s'", val);
        if (o == OPT_OUTPUT) name = val;
        if (o == OPT_FORCE) force = 1;
    }
    if (!name) return cli_usage_error(cmd, "missing -o NAME");

    size_t n = strlen(name);
    char *key_path = malloc(n + 5), *pub_path = malloc(n + 5);
    if (!key_path || !pub_path) {
        free(key_path);
        free(pub_path);
        return cli_error(cmd, "out of memory");
    }
    snprintf(key_path, n + 5, "%s.key", name);
    snprintf(pub_path, n + 5, "%s.pub", name);

    int rc = CLI_EXIT_INPUT;
    char err[MBPF_TOOL_ERR_MAX];
    mbpf_tool_secret_key_t k;
    char text[MBPF_KEY_TEXT_LEN + 1];
    if (!force) {
        const char *existing = mbpf_tool_path_exists(key_path)   ? key_path
                               : mbpf_tool_path_exists(pub_path) ? pub_path
                                                                 : NULL;
        if (existing) {
            cli_error(cmd, "%s already exists (use --force to overwrite)", existing);
            goto out;
        }
    }
    if (mbpf_tool_keygen(&k) != 0) {
        cli_error(cmd, "cannot initialise libsodium");
        goto out;
    }
    size_t len = mbpf_tool_key_format_secret(&k, text);
    int w = mbpf_tool_write_file_atomic(key_path, text, len, 0600, force, err, sizeof err);
    if (w == MBPF_TOOL_EEXIST) {
        cli_error(cmd, "%s already exists (use --force to overwrite)", key_path);
        goto out;
    }
    if (w != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    len = mbpf_tool_key_format_public(k.pub, text);
    w = mbpf_tool_write_file_atomic(pub_path, text, len, 0644, force, err, sizeof err);
    if (w != 0) {
        if (!force) unlink(key_path); /* ours: created a moment ago */
        if (w == MBPF_TOOL_EEXIST)
            cli_error(cmd, "%s already exists (use --force to overwrite)", pub_path);
        else
            cli_error(cmd, "%s", err);
        goto out;
    }
    char hex[65];
    cli_hex(k.pub, 32, hex);
    printf("wrote %s (secret key, keep it private)\nwrote %s (public key %s)\n", key_path, pub_path,
           hex);
    rc = CLI_EXIT_OK;
out:
    sodium_memzero(&k, sizeof k);
    sodium_memzero(text, sizeof text);
    free(key_path);
    free(pub_path);
    return rc;
}

const cli_command_t cli_cmd_keygen = {
    .name = "keygen",
    .summary = "generate an Ed25519 signing key pair",
    .synopsis = "mbpf keygen -o NAME [--force]",
    .help = "Generates an Ed25519 key pair for signing packages: NAME.key holds the secret\n"
            "key (mode 0600, keep it private) and NAME.pub the public key that loaders and\n"
            "'mbpf verify --key' trust. Existing files are never overwritten without --force.\n"
            "\n"
            "options:\n"
            "  -o, --output NAME   base name of the two key files\n"
            "  -f, --force         overwrite existing key files\n"
            "\n"
            "Key file format: docs/PACKAGE_FORMAT.md, section \"Key files\".\n",
    .run = run,
};
