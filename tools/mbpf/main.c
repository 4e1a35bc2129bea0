/*
 * `mbpf`: the microBPF command-line tool. main() only dispatches; each
 * subcommand lives in its own cmd_*.c file.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "container.h"
#include "mbpf.h"

#ifndef MBPF_VERSION
#define MBPF_VERSION "unknown"
#endif

/* In `mbpf help` order: the one-step build, its single steps, checking,
 * running. */
static const cli_command_t *const commands[] = {
    &cli_cmd_build,  &cli_cmd_compile, &cli_cmd_pack,    &cli_cmd_sign,
    &cli_cmd_keygen, &cli_cmd_verify,  &cli_cmd_inspect, &cli_cmd_run,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const cli_command_t *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0) return commands[i];
    return NULL;
}

static void print_overview(FILE *f)
{
    fprintf(f, "usage: mbpf [--version] [--help] COMMAND [ARGS]\n\n"
               "Build, sign, verify, inspect and run microBPF program packages (.mbpf).\n\n"
               "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n'mbpf help COMMAND' or 'mbpf COMMAND --help' describes one command.\n"
               "Exit status: 0 success, 1 invalid input, 2 usage error "
               "(verify: 3-6, see 'mbpf verify --help').\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 2) {
        fprintf(stderr, "mbpf: help: unexpected argument '%s'\nusage: mbpf help [COMMAND]\n",
                argv[2]);
        return CLI_EXIT_USAGE;
    }
    const cli_command_t *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "mbpf: help: '%s' is not an mbpf command; see 'mbpf help'\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    cli_print_help(c);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("mbpf %s (package format %u, helper API %u.%u)\n", MBPF_VERSION,
               (unsigned)MBPF_PKG_FORMAT_VERSION, (unsigned)MBPF_API_VERSION_MAJOR,
               (unsigned)MBPF_API_VERSION_MINOR);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) return cmd_help(argc - 1, argv + 1);
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    if (name[0] == '-') {
        fprintf(stderr,
                "mbpf: unknown option '%s'\nusage: mbpf [--version] [--help] COMMAND "
                "[ARGS]\n",
                name);
        return CLI_EXIT_USAGE;
    }
    const cli_command_t *c = find_command(name);
    if (!c) {
        fprintf(stderr, "mbpf: '%s' is not an mbpf command; see 'mbpf help'\n", name);
        return CLI_EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "mbpf: %s: cannot initialise libsodium\n", c->name);
        return CLI_EXIT_INPUT;
    }
    int rc = c->run(c, argc - 1, argv + 1);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) {
        fprintf(stderr, "mbpf: %s: cannot write output\n", c->name);
        rc = CLI_EXIT_INPUT;
    }
    return rc;
}
