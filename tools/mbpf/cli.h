/*
 * Shared plumbing of the `mbpf` subcommands: the command table, option
 * parsing, error reporting and exit codes (docs/CLI.md).
 *
 * Every subcommand reports errors on stderr as "mbpf: CMD: message" and
 * exits 0 on success, 1 on invalid input (unreadable file, malformed
 * package or key, failed check) and 2 on bad usage. `verify` refines 1 into
 * the distinct codes below.
 */
#ifndef MBPF_CLI_H
#define MBPF_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "tool_io.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_INPUT = 1, /* invalid input or a failed operation */
    CLI_EXIT_USAGE = 2, /* bad command line */
    /* `mbpf verify` only: which check failed */
    CLI_EXIT_STRUCTURE = 3, /* header, section table, flags, required sections */
    CLI_EXIT_CRC = 4,       /* a section CRC or the file CRC */
    CLI_EXIT_SIGNATURE = 5, /* bad signature, or missing under --require-signature */
    CLI_EXIT_MANIFEST = 6,  /* manifest or MAPS section */
};

typedef struct cli_command {
    const char *name;
    const char *summary;  /* one line for `mbpf help` */
    const char *synopsis; /* "mbpf pack --manifest FILE ..." */
    const char *help;     /* description and options, for --help */
    int (*run)(const struct cli_command *cmd, int argc, char **argv);
} cli_command_t;

extern const cli_command_t cli_cmd_keygen;
extern const cli_command_t cli_cmd_compile;
extern const cli_command_t cli_cmd_build;
extern const cli_command_t cli_cmd_pack;
extern const cli_command_t cli_cmd_sign;
extern const cli_command_t cli_cmd_verify;
extern const cli_command_t cli_cmd_inspect;
extern const cli_command_t cli_cmd_run;

/* Options of one subcommand. "help"/'h' is added by the parser. */
typedef struct cli_option {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 if none */
    int takes_value;
} cli_option_t;

typedef struct cli_parser {
    const cli_command_t *cmd;
    const cli_option_t *opts; /* terminated by a zero entry */
    int argc;
    char **argv;
    int i;
    int no_more_options; /* after "--" */
} cli_parser_t;

#define CLI_POSITIONAL (-1) /* *val is a positional argument */
#define CLI_DONE       (-2) /* no arguments left */
#define CLI_HELP       (-3) /* --help was given: help printed, exit 0 */
#define CLI_BAD        (-4) /* usage error printed, exit 2 */

/* argv[0] is the subcommand name; parsing starts at argv[1]. */
void cli_parser_init(cli_parser_t *p, const cli_command_t *cmd, const cli_option_t *opts, int argc,
                     char **argv);
/* Next option (index into opts, with *val set for options that take a
 * value), or one of the CLI_* codes above. */
int cli_next(cli_parser_t *p, const char **val);

/* Prints "mbpf: CMD: message" to stderr; returns CLI_EXIT_INPUT. */
int cli_error(const cli_command_t *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Prints "mbpf: CMD: message" and the synopsis; returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli_command_t *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void cli_print_help(const cli_command_t *cmd);

/* A path next to src named like it: src with a trailing ".js" replaced by
 * ext (".mbpf"), or with ext appended when src does not end in ".js".
 * malloc'd (free it); NULL when out of memory. */
char *cli_sibling_path(const char *src, const char *ext);

/* Lower-case hex of data into out (2 * len + 1 bytes). */
void cli_hex(const uint8_t *data, size_t len, char *out);

#endif
