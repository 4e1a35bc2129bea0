/*
 * Option parsing and error reporting for the subcommands. A small parser
 * of our own rather than getopt_long: its messages follow the
 * "mbpf: CMD: message" convention and it behaves the same on every libc.
 * Accepted forms: --name VALUE, --name=VALUE, -x VALUE, -xVALUE, flags,
 * and "--" to end options.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_parser_init(cli_parser_t *p, const cli_command_t *cmd, const cli_option_t *opts, int argc,
                     char **argv)
{
    p->cmd = cmd;
    p->opts = opts;
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
    p->no_more_options = 0;
}

static void vreport(const cli_command_t *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "mbpf: %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_error(const cli_command_t *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(cmd, fmt, ap);
    va_end(ap);
    return CLI_EXIT_INPUT;
}

int cli_usage_error(const cli_command_t *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, "usage: %s\n", cmd->synopsis);
    return CLI_EXIT_USAGE;
}

void cli_print_help(const cli_command_t *cmd)
{
    printf("usage: %s\n\n%s", cmd->synopsis, cmd->help);
}

int cli_next(cli_parser_t *p, const char **val)
{
    *val = NULL;
    if (p->i >= p->argc) return CLI_DONE;
    const char *arg = p->argv[p->i++];

    if (p->no_more_options || arg[0] != '-' || arg[1] == 0) {
        *val = arg;
        return CLI_POSITIONAL;
    }
    if (strcmp(arg, "--") == 0) {
        p->no_more_options = 1;
        return cli_next(p, val);
    }
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        cli_print_help(p->cmd);
        return CLI_HELP;
    }

    int idx = -1;
    const char *inline_val = NULL;
    if (arg[1] == '-') {
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        for (int k = 0; p->opts[k].name; k++) {
            if (strlen(p->opts[k].name) == n && memcmp(p->opts[k].name, name, n) == 0) {
                idx = k;
                break;
            }
        }
        if (idx < 0) {
            cli_usage_error(p->cmd, "unknown option '%.*s'", (int)(n + 2), arg);
            return CLI_BAD;
        }
        if (eq) {
            if (!p->opts[idx].takes_value) {
                cli_usage_error(p->cmd, "option '--%s' takes no value", p->opts[idx].name);
                return CLI_BAD;
            }
            inline_val = eq + 1;
        }
    } else {
        for (int k = 0; p->opts[k].name; k++) {
            if (p->opts[k].short_name == arg[1]) {
                idx = k;
                break;
            }
        }
        if (idx < 0) {
            cli_usage_error(p->cmd, "unknown option '-%c'", arg[1]);
            return CLI_BAD;
        }
        if (arg[2] != 0) {
            if (!p->opts[idx].takes_value) {
                cli_usage_error(p->cmd, "option '-%c' takes no value", arg[1]);
                return CLI_BAD;
            }
            inline_val = arg + 2;
        }
    }

    if (p->opts[idx].takes_value) {
        if (inline_val) {
            *val = inline_val;
        } else if (p->i < p->argc) {
            *val = p->argv[p->i++];
        } else {
            cli_usage_error(p->cmd, "option '--%s' needs a value", p->opts[idx].name);
            return CLI_BAD;
        }
        if ((*val)[0] == 0) {
            cli_usage_error(p->cmd, "option '--%s' needs a non-empty value", p->opts[idx].name);
            return CLI_BAD;
        }
    }
    return idx;
}

void cli_hex(const uint8_t *data, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex[data[i] >> 4];
        out[2 * i + 1] = hex[data[i] & 15];
    }
    out[2 * len] = 0;
}

char *cli_sibling_path(const char *src, const char *ext)
{
    size_t n = strlen(src), e = strlen(ext);
    if (n > 3 && strcmp(src + n - 3, ".js") == 0) n -= 3;
    char *out = malloc(n + e + 1);
    if (!out) return NULL;
    memcpy(out, src, n);
    memcpy(out + n, ext, e + 1);
    return out;
}
