/*
 * `mbpf sign`: adds a signature to a package, or replaces one. The package
 * is checked first (structure, CRCs, manifest: a signature vouches for the
 * contents, so garbage is not signed), then re-laid out with its sections in
 * their original order, including unknown ones, plus a new SIG section.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "package.h"
#include "pkg_build.h"

enum { OPT_KEY, OPT_OUTPUT };
static const cli_option_t options[] = {
    [OPT_KEY] = {"key", 'k', 1},
    [OPT_OUTPUT] = {"output", 'o', 1},
    {0, 0, 0},
};

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    const char *key_path = NULL, *out_path = NULL, *in_path = NULL;
    cli_parser_t p;
    cli_parser_init(&p, cmd, options, argc, argv);
    for (;;) {
        const char *val;
        int o = cli_next(&p, &val);
        if (o == CLI_DONE) break;
        if (o == CLI_HELP) return CLI_EXIT_OK;
        if (o == CLI_BAD) return CLI_EXIT_USAGE;
        if (o == CLI_POSITIONAL) {
            if (in_path) return cli_usage_error(cmd, "unexpected argument '%s'", val);
            in_path = val;
        }
        if (o == OPT_KEY) key_path = val;
        if (o == OPT_OUTPUT) out_path = val;
    }
    if (!key_path) return cli_usage_error(cmd, "missing --key KEY");
    if (!in_path) return cli_usage_error(cmd, "missing package PKG");
    if (!out_path) out_path = in_path;

    int rc = CLI_EXIT_INPUT;
    char err[MBPF_TOOL_ERR_MAX];
    uint8_t *in = NULL, *pkg = NULL;
    size_t in_len = 0, pkg_len = 0;
    mbpf_tool_secret_key_t *key = sodium_malloc(sizeof *key);
    mbpf_package_t *pk = calloc(1, sizeof *pk);
    if (!key || !pk) {
        cli_error(cmd, "out of memory");
        goto out;
    }
    if (mbpf_tool_key_load_secret(key_path, key, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    if (mbpf_tool_read_file(in_path, &in, &in_len, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    mbpf_diag_t diag = {{0}};
    int prc = mbpf_package_check(in, in_len, NULL, pk, &diag);
    if (prc != 0) {
        cli_error(cmd, "%s: %s", in_path, diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
        goto out;
    }

    const mbpf_container_t *c = &pk->container;
    mbpf_section_in_t secs[MBPF_PKG_MAX_SECTIONS];
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (s->type == MBPF_SEC_SIG) continue;
        secs[n++] = (mbpf_section_in_t){s->type, mbpf_container_data(c, s), s->length};
    }
    if (mbpf_tool_build_package(secs, n, key, &pkg, &pkg_len, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    int was_signed = pk->sig_status != MBPF_SIG_ABSENT;
    mbpf_pkg_policy_t policy = {
        .trusted_keys = (const uint8_t(*)[32]) & key->pub,
        .trusted_key_count = 1,
        .require_signature = 1,
    };
    prc = mbpf_package_check(pkg, pkg_len, &policy, pk, &diag);
    if (prc != 0) {
        cli_error(cmd, "internal error: the signed package does not check: %s",
                  diag.msg[0] ? diag.msg : mbpf_pkg_strerror(prc));
        goto out;
    }
    if (mbpf_tool_write_file_atomic(out_path, pkg, pkg_len, 0644, 1, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    printf("wrote %s (%zu bytes, %s)\n", out_path, pkg_len, was_signed ? "re-signed" : "signed");
    rc = CLI_EXIT_OK;
out:
    sodium_free(key);
    free(pk);
    free(in);
    free(pkg);
    return rc;
}

const cli_command_t cli_cmd_sign = {
    .name = "sign",
    .summary = "sign a package (or replace its signature)",
    .synopsis = "mbpf sign --key KEY [-o OUT] PKG",
    .help = "Signs PKG with an Ed25519 secret key: an unsigned package gains a SIG section,\n"
            "a signed one gets its signature replaced. The package is checked first\n"
            "(structure, CRCs, manifest) so that only well-formed packages are signed.\n"
            "Writes OUT, or PKG itself when -o is not given, atomically.\n"
            "\n"
            "options:\n"
            "  -k, --key KEY      secret key file (from 'mbpf keygen')\n"
            "  -o, --output OUT   write the signed package here instead of over PKG\n",
    .run = run,
};
