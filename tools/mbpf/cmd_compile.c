/*
 * `mbpf compile`: JavaScript -> ujs bytecode file, byte for byte what
 * `ujs -o` writes (both go through ujs_compile and ujs_write_bytecode; see
 * tools/lib/js_compile.c). The output is deterministic and written
 * atomically, like every file the tool writes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "js_compile.h"
#include "ujs.h"

enum { OPT_OUTPUT, OPT_STRIP };
static const cli_option_t options[] = {
    [OPT_OUTPUT] = {"output", 'o', 1},
    [OPT_STRIP] = {"strip", 0, 0},
    {0, 0, 0},
};

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    const char *src_path = NULL, *out_opt = NULL;
    unsigned flags = 0;
    cli_parser_t p;
    cli_parser_init(&p, cmd, options, argc, argv);
    for (;;) {
        const char *val;
        int o = cli_next(&p, &val);
        if (o == CLI_DONE) break;
        if (o == CLI_HELP) return CLI_EXIT_OK;
        if (o == CLI_BAD) return CLI_EXIT_USAGE;
        if (o == CLI_POSITIONAL) {
            if (src_path) return cli_usage_error(cmd, "unexpected argument '%s'", val);
            src_path = val;
        }
        if (o == OPT_OUTPUT) {
            if (out_opt) return cli_usage_error(cmd, "option '--output' given twice");
            out_opt = val;
        }
        if (o == OPT_STRIP) flags |= UJS_BC_STRIP;
    }
    if (!src_path) return cli_usage_error(cmd, "missing source file PROG.js");

    int rc = CLI_EXIT_INPUT;
    char err[MBPF_TOOL_ERR_MAX];
    uint8_t *src = NULL, *bc = NULL;
    size_t src_len, bc_len;
    char *out_path = out_opt ? NULL : cli_sibling_path(src_path, ".ujsbc");
    const char *out = out_opt ? out_opt : out_path;
    if (!out) {
        cli_error(cmd, "out of memory");
        goto done;
    }
    if (mbpf_tool_read_file(src_path, &src, &src_len, err, sizeof err) != 0 ||
        mbpf_tool_compile_js((const char *)src, src_len, src_path, flags, &bc, &bc_len, err,
                             sizeof err) != 0 ||
        mbpf_tool_write_file_atomic(out, bc, bc_len, 0644, 1, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto done;
    }
    printf("wrote %s (%zu bytes%s)\n", out, bc_len, flags & UJS_BC_STRIP ? ", stripped" : "");
    rc = CLI_EXIT_OK;
done:
    free(out_path);
    free(src);
    free(bc);
    return rc;
}

const cli_command_t cli_cmd_compile = {
    .name = "compile",
    .summary = "compile a JavaScript program to ujs bytecode",
    .synopsis = "mbpf compile [-o OUT] [--strip] PROG.js",
    .help = "Compiles PROG.js with the ujs compiler into a bytecode file (docs/BYTECODE.md),\n"
            "the same bytes 'ujs -o OUT PROG.js' writes. The output is deterministic: the\n"
            "same source, path and flags give the same bytes on every host. PROG.js is\n"
            "recorded in the file as given on the command line (for error messages and\n"
            "stack traces), unless --strip is given. OUT is written atomically.\n"
            "\n"
            "options:\n"
            "  -o, --output OUT   file to write (default: PROG.ujsbc next to PROG.js)\n"
            "      --strip        leave out function names, the file name and line tables\n"
            "\n"
            "Syntax errors are reported as 'mbpf: compile: FILE:LINE:COL: message', exit 1.\n",
    .run = run,
};
