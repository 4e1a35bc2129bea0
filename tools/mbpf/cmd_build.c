/*
 * `mbpf build`: source to package in one step: compile (as `mbpf compile`),
 * put the manifest together, pack and sign (as `mbpf pack`).
 *
 * The manifest has three layers, highest first: command-line settings,
 * the manifest file (PROG.json next to PROG.js unless --manifest names
 * another), and the defaults below. They are merged as a document tree
 * (tools/lib/manifest_edit.c) and only then run through the schema, so a
 * file may be incomplete as long as the flags complete it, and a wrong
 * value in the file is reported with the loader's own message. Each flag
 * value is checked against the same schema as it is parsed, so a bad one is
 * a usage error naming the option.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "js_compile.h"
#include "manifest_edit.h"
#include "mbpf.h"
#include "mbpf_ctx.h"
#include "pkg_build.h"
#include "ujs.h"

/* Defaults for what neither the flags nor the file set (docs/CLI.md). */
#define DEFAULT_PROGRAM_VERSION "0.0.0"
#define DEFAULT_HEAP_SIZE       16384u
#define DEFAULT_MAX_STEPS       100000u
#define DEFAULT_MAX_HELPERS     1000u

enum {
    OPT_OUTPUT,
    OPT_MANIFEST,
    OPT_SIGN,
    OPT_STRIP,
    OPT_NAME,
    OPT_PROGRAM_VERSION,
    OPT_HOOK,
    OPT_HOOK_ABI,
    OPT_ENTRY,
    OPT_HEAP_SIZE,
    OPT_MAX_STEPS,
    OPT_MAX_HELPERS,
    OPT_MAX_WALL_TIME,
    OPT_CAP,
    OPT_MAP,
    OPT_COUNT
};
static const cli_option_t options[] = {
    [OPT_OUTPUT] = {"output", 'o', 1},
    [OPT_MANIFEST] = {"manifest", 'm', 1},
    [OPT_SIGN] = {"sign", 's', 1},
    [OPT_STRIP] = {"strip", 0, 0},
    [OPT_NAME] = {"name", 0, 1},
    [OPT_PROGRAM_VERSION] = {"program-version", 0, 1},
    [OPT_HOOK] = {"hook", 0, 1},
    [OPT_HOOK_ABI] = {"hook-abi", 0, 1},
    [OPT_ENTRY] = {"entry", 0, 1},
    [OPT_HEAP_SIZE] = {"heap-size", 0, 1},
    [OPT_MAX_STEPS] = {"max-steps", 0, 1},
    [OPT_MAX_HELPERS] = {"max-helpers", 0, 1},
    [OPT_MAX_WALL_TIME] = {"max-wall-time-us", 0, 1},
    [OPT_CAP] = {"cap", 0, 1},
    [OPT_MAP] = {"map", 0, 1},
    {0, 0, 0},
};

#define MAP_SYNTAX "NAME:TYPE:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS]"

/* The command line, parsed and checked. */
typedef struct settings {
    const char *val[OPT_COUNT]; /* single-valued options as given */
    uint32_t hook_type;
    uint32_t num[OPT_COUNT]; /* numeric options */
    uint32_t caps;           /* --cap bits */
    uint32_t map_count;
    mbpf_map_def_t maps[MBPF_MANIFEST_MAX_MAPS];
} settings_t;

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
        if (x != y) return 0;
    }
    return *a == *b;
}

/* 1 if s starts with prefix (upper case), ignoring the case of ASCII letters. */
static int has_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char x = *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s;
        if (x != *prefix) return 0;
    }
    return 1;
}

/* An unsigned 32-bit number: decimal or 0x hex, with an optional k or m
 * suffix (KiB, MiB) when suffix is set. Returns 0 or -1. */
static int parse_u32(const char *s, int suffix, uint32_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    const char *p = s;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    const char *digits = p;
    for (; *p; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            break;
        v = v * base + d;
        if (v > UINT32_MAX) return -1;
    }
    if (p == digits) return -1;
    if (suffix && (*p == 'k' || *p == 'K')) {
        v <<= 10;
        p++;
    } else if (suffix && (*p == 'm' || *p == 'M')) {
        v <<= 20;
        p++;
    }
    if (*p || v > UINT32_MAX) return -1;
    *out = (uint32_t)v;
    return 0;
}

/* A manifest that passes the schema, for checking one setting at a time. */
static void base_manifest(mbpf_manifest_t *m)
{
    memset(m, 0, sizeof *m);
    memcpy(m->program_name, "p", 2);
    memcpy(m->program_version, "1", 2);
    memcpy(m->entry_symbol, "mbpf_prog", sizeof "mbpf_prog");
    m->hook_type = MBPF_HOOK_NET_RX;
    m->heap_size = 1;
    m->max_steps = 1;
    m->max_helpers = 1;
}

/* Runs the schema over m (the base manifest with one setting applied);
 * on failure reports its message, less the prefix strip, as a usage error
 * for option opt. */
static int check_setting(const cli_command_t *cmd, const char *opt, const char *val,
                         const mbpf_manifest_t *m, const char *strip)
{
    mbpf_diag_t diag = {{0}};
    if (mbpf_manifest_validate(m, &diag) == 0) return 0;
    const char *msg = diag.msg;
    size_t n = strlen(strip);
    if (strncmp(msg, strip, n) == 0) msg += n;
    return cli_usage_error(cmd, "option '--%s %s': %s", opt, val, msg);
}

/* --name, --program-version, --entry: a string field of the manifest. */
static int parse_string(const cli_command_t *cmd, int o, const char *val)
{
    mbpf_manifest_t *m = malloc(sizeof *m);
    if (!m) return cli_error(cmd, "out of memory");
    base_manifest(m);
    char *field = o == OPT_NAME              ? m->program_name
                  : o == OPT_PROGRAM_VERSION ? m->program_version
                                             : m->entry_symbol;
    size_t cap = o == OPT_NAME              ? sizeof m->program_name
                 : o == OPT_PROGRAM_VERSION ? sizeof m->program_version
                                            : sizeof m->entry_symbol;
    int rc;
    if (strlen(val) >= cap)
        rc = cli_usage_error(cmd, "option '--%s': '%s' is longer than %zu bytes", options[o].name,
                             val, cap - 1);
    else {
        memcpy(field, val, strlen(val) + 1);
        rc = check_setting(cmd, options[o].name, val, m, "manifest: ");
    }
    free(m);
    return rc;
}

static int parse_hook(const cli_command_t *cmd, const char *val, uint32_t *out)
{
    for (uint32_t t = 1; t <= MBPF_HOOK_TYPE_MAX; t++) {
        const char *name = mbpf_hook_type_name(t);
        if (name && ascii_ieq(name, val)) {
            *out = t;
            return 0;
        }
    }
    char list[128] = "";
    for (uint32_t t = 1; t <= MBPF_HOOK_TYPE_MAX; t++) {
        const char *name = mbpf_hook_type_name(t);
        if (!name) continue;
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", name);
    }
    return cli_usage_error(cmd, "option '--hook': unknown hook type '%s' (expected one of %s)", val,
                           list);
}

/* --cap: one or more comma-separated names, with or without "CAP_". */
static int parse_caps(const cli_command_t *cmd, const char *val, uint32_t *caps)
{
    const char *p = val;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char word[32];
        uint32_t found = 0;
        if (n > 0 && n < sizeof word) {
            memcpy(word, p, n);
            word[n] = '\0';
            const char *w = word;
            if (n > 4 && has_prefix_ci(w, "CAP_")) w += 4;
            for (uint32_t bit = 1; bit != 0 && bit <= MBPF_CAP_ALL; bit <<= 1) {
                const char *name = mbpf_capability_name(bit);
                if (name && ascii_ieq(name + 4, w)) found = bit;
            }
        }
        if (!found) {
            char list[160] = "";
            for (uint32_t bit = 1; bit != 0 && bit <= MBPF_CAP_ALL; bit <<= 1) {
                const char *name = mbpf_capability_name(bit);
                if (!name) continue;
                size_t k = strlen(list);
                snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "", name);
            }
            return cli_usage_error(cmd, "option '--cap': unknown capability '%.*s' (expected %s)",
                                   (int)(n < 64 ? n : 64), p, list);
        }
        *caps |= found;
        if (!end) return 0;
        p = end + 1;
    }
}

/* --map NAME:TYPE:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS]. */
static int parse_map(const cli_command_t *cmd, const char *val, settings_t *s)
{
    char buf[256];
    char *field[7];
    int n = 0;
    if (strlen(val) >= sizeof buf)
        return cli_usage_error(cmd, "option '--map': '%.40s...' is too long", val);
    memcpy(buf, val, strlen(val) + 1);
    for (char *p = buf; n < 7;) {
        field[n++] = p;
        char *colon = strchr(p, ':');
        if (!colon) break;
        *colon = '\0';
        p = colon + 1;
    }
    if (n < 5 || n > 6) return cli_usage_error(cmd, "option '--map': '%s' is not " MAP_SYNTAX, val);
    if (s->map_count == MBPF_MANIFEST_MAX_MAPS)
        return cli_usage_error(cmd, "more than %d --map options", MBPF_MANIFEST_MAX_MAPS);

    mbpf_map_def_t d = {0};
    if (strlen(field[0]) >= sizeof d.name)
        return cli_usage_error(cmd, "option '--map %s': name '%s' is longer than %zu bytes", val,
                               field[0], sizeof d.name - 1);
    memcpy(d.name, field[0], strlen(field[0]) + 1);
    for (uint32_t t = 1; t < 256 && !d.type; t++) {
        const char *name = mbpf_map_type_name(t);
        if (name && ascii_ieq(name, field[1])) d.type = t;
    }
    if (!d.type)
        return cli_usage_error(cmd, "option '--map %s': unknown map type '%s'", val, field[1]);
    static const char *const what[] = {"key_size", "value_size", "max_entries", "flags"};
    uint32_t *num[] = {&d.key_size, &d.value_size, &d.max_entries, &d.flags};
    for (int i = 2; i < n; i++)
        if (parse_u32(field[i], i < 5, num[i - 2]) != 0)
            return cli_usage_error(cmd,
                                   "option '--map %s': %s '%s' is not an unsigned 32-bit number",
                                   val, what[i - 2], field[i]);
    for (uint32_t i = 0; i < s->map_count; i++)
        if (strcmp(s->maps[i].name, d.name) == 0)
            return cli_usage_error(cmd, "option '--map': map '%s' given twice", d.name);

    mbpf_manifest_t *m = malloc(sizeof *m);
    if (!m) return cli_error(cmd, "out of memory");
    base_manifest(m);
    m->map_count = 1;
    m->maps[0] = d;
    int rc = check_setting(cmd, "map", val, m, "manifest: maps[0].");
    free(m);
    if (rc == 0) s->maps[s->map_count++] = d;
    return rc;
}

/* A numeric option: range-checked like the schema would. */
static int parse_number(const cli_command_t *cmd, int o, const char *val, uint32_t *out)
{
    int nonzero = o == OPT_HEAP_SIZE || o == OPT_MAX_STEPS || o == OPT_MAX_HELPERS;
    if (parse_u32(val, o == OPT_HEAP_SIZE, out) != 0 || (nonzero && *out == 0))
        return cli_usage_error(cmd, "option '--%s': '%s' is not %s", options[o].name, val,
                               nonzero ? "a number from 1 to 4294967295"
                                       : "a number from 0 to 4294967295");
    return 0;
}

static int parse_args(const cli_command_t *cmd, int argc, char **argv, settings_t *s,
                      const char **src)
{
    cli_parser_t p;
    cli_parser_init(&p, cmd, options, argc, argv);
    for (;;) {
        const char *val;
        int o = cli_next(&p, &val);
        if (o == CLI_DONE) break;
        if (o == CLI_HELP) return CLI_HELP;
        if (o == CLI_BAD) return CLI_EXIT_USAGE;
        if (o == CLI_POSITIONAL) {
            if (*src) return cli_usage_error(cmd, "unexpected argument '%s'", val);
            *src = val;
            continue;
        }
        if (o == OPT_CAP) {
            if (parse_caps(cmd, val, &s->caps) != 0) return CLI_EXIT_USAGE;
            continue;
        }
        if (o == OPT_MAP) {
            if (parse_map(cmd, val, s) != 0) return CLI_EXIT_USAGE;
            continue;
        }
        if (s->val[o]) return cli_usage_error(cmd, "option '--%s' given twice", options[o].name);
        s->val[o] = o == OPT_STRIP ? "" : val;
        int rc = 0;
        switch (o) {
        case OPT_NAME:
        case OPT_PROGRAM_VERSION:
        case OPT_ENTRY: rc = parse_string(cmd, o, val); break;
        case OPT_HOOK: rc = parse_hook(cmd, val, &s->hook_type); break;
        case OPT_HOOK_ABI:
        case OPT_HEAP_SIZE:
        case OPT_MAX_STEPS:
        case OPT_MAX_HELPERS:
        case OPT_MAX_WALL_TIME: rc = parse_number(cmd, o, val, &s->num[o]); break;
        default: break;
        }
        if (rc != 0) return rc;
    }
    if (!*src) return cli_usage_error(cmd, "missing source file PROG.js");
    return CLI_EXIT_OK;
}

/* The program's base name without ".js": the default program_name. */
static void default_name(const char *src, char *out, size_t cap)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".js") == 0) n -= 3;
    if (n >= cap) n = 0; /* too long: no default, the schema says what is missing */
    memcpy(out, base, n);
    out[n] = '\0';
}

/* Applies the command line over the document, then the defaults under
 * it. Returns 0 or MBPF_TOOL_EFAIL (out of memory). */
static int merge(mbpf_tool_mdoc_t *d, const settings_t *s, const char *src)
{
    static const struct {
        int opt;
        const char *key, *sub;
    } nums[] = {
        {OPT_HOOK_ABI, "hook_ctx_abi_version", NULL},
        {OPT_HEAP_SIZE, "heap_size", NULL},
        {OPT_MAX_STEPS, "budgets", "max_steps"},
        {OPT_MAX_HELPERS, "budgets", "max_helpers"},
        {OPT_MAX_WALL_TIME, "budgets", "max_wall_time_us"},
    };
    int rc = 0;
    if (s->val[OPT_NAME])
        rc |= mbpf_tool_mdoc_set_text(d, "program_name", NULL, s->val[OPT_NAME], 1);
    if (s->val[OPT_PROGRAM_VERSION])
        rc |= mbpf_tool_mdoc_set_text(d, "program_version", NULL, s->val[OPT_PROGRAM_VERSION], 1);
    if (s->val[OPT_ENTRY])
        rc |= mbpf_tool_mdoc_set_text(d, "entry_symbol", NULL, s->val[OPT_ENTRY], 1);
    if (s->val[OPT_HOOK])
        rc |= mbpf_tool_mdoc_set_text(d, "hook_type", NULL, mbpf_hook_type_name(s->hook_type), 1);
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (s->val[nums[i].opt])
            rc |= mbpf_tool_mdoc_set_uint(d, nums[i].key, nums[i].sub, s->num[nums[i].opt], 1);
    for (uint32_t bit = 1; bit != 0 && bit <= MBPF_CAP_ALL; bit <<= 1)
        if (s->caps & bit) rc |= mbpf_tool_mdoc_add_capability(d, bit);
    for (uint32_t i = 0; i < s->map_count; i++) rc |= mbpf_tool_mdoc_put_map(d, &s->maps[i]);
    /* The bytecode is this compiler's, whatever the file says. */
    rc |= mbpf_tool_mdoc_set_uint(d, "bytecode_version", NULL, UJS_BYTECODE_VERSION, 1);

    char name[MBPF_MANIFEST_NAME_MAX + 1];
    default_name(src, name, sizeof name);
    if (name[0]) rc |= mbpf_tool_mdoc_set_text(d, "program_name", NULL, name, 0);
    rc |= mbpf_tool_mdoc_set_text(d, "program_version", NULL, DEFAULT_PROGRAM_VERSION, 0);
    rc |= mbpf_tool_mdoc_set_uint(d, "hook_ctx_abi_version", NULL, MBPF_CTX_ABI_V1, 0);
    rc |= mbpf_tool_mdoc_set_text(d, "entry_symbol", NULL, "mbpf_prog", 0);
    rc |= mbpf_tool_mdoc_set_text(d, "target", "word_size", "any", 0);
    rc |= mbpf_tool_mdoc_set_text(d, "target", "endianness", "any", 0);
    rc |= mbpf_tool_mdoc_set_uint(d, "mbpf_api_version", NULL, MBPF_API_VERSION, 0);
    rc |= mbpf_tool_mdoc_set_uint(d, "heap_size", NULL, DEFAULT_HEAP_SIZE, 0);
    rc |= mbpf_tool_mdoc_set_uint(d, "budgets", "max_steps", DEFAULT_MAX_STEPS, 0);
    rc |= mbpf_tool_mdoc_set_uint(d, "budgets", "max_helpers", DEFAULT_MAX_HELPERS, 0);
    return rc ? MBPF_TOOL_EFAIL : 0;
}

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    const char *src_path = NULL;
    settings_t *s = calloc(1, sizeof *s);
    if (!s) return cli_error(cmd, "out of memory");
    int rc = parse_args(cmd, argc, argv, s, &src_path);
    if (rc != CLI_EXIT_OK) {
        free(s);
        return rc == CLI_HELP ? CLI_EXIT_OK : rc;
    }

    rc = CLI_EXIT_INPUT;
    char err[MBPF_TOOL_ERR_MAX];
    char *json_path = NULL, *out_path = NULL;
    uint8_t *src = NULL, *bc = NULL, *pkg = NULL;
    size_t src_len, bc_len, pkg_len;
    uint32_t nsecs = 0;
    mbpf_tool_mdoc_t *doc = NULL;
    mbpf_manifest_t *m = malloc(sizeof *m);
    mbpf_tool_secret_key_t *key = NULL;
    if (!m) goto oom;

    /* The manifest file: --manifest, else PROG.json when it exists. */
    const char *man_path = s->val[OPT_MANIFEST];
    if (!man_path) {
        json_path = cli_sibling_path(src_path, ".json");
        if (!json_path) goto oom;
        if (mbpf_tool_path_exists(json_path)) man_path = json_path;
    }
    if (man_path) {
        if (mbpf_tool_mdoc_load(man_path, &doc, err, sizeof err) != 0) {
            cli_error(cmd, "%s", err);
            goto out;
        }
        uint64_t v;
        if (mbpf_tool_mdoc_get_uint(doc, "bytecode_version", NULL, &v) && v != UJS_BYTECODE_VERSION)
            fprintf(stderr,
                    "mbpf: build: note: %s: bytecode_version %llu replaced by %u, the "
                    "compiler's\n",
                    man_path, (unsigned long long)v, (unsigned)UJS_BYTECODE_VERSION);
    } else if (!(doc = mbpf_tool_mdoc_new())) {
        goto oom;
    }
    if (merge(doc, s, src_path) != 0) goto oom;
    if (!mbpf_tool_mdoc_has(doc, "hook_type", NULL)) {
        if (man_path)
            rc = cli_usage_error(cmd, "missing --hook HOOK (%s sets no hook_type)", man_path);
        else
            rc = cli_usage_error(cmd, "missing --hook HOOK (no manifest file: %s not found)",
                                 json_path);
        goto out;
    }
    if (mbpf_tool_mdoc_decode(doc, man_path ? man_path : "command line", m, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }

    if (s->val[OPT_SIGN]) {
        key = sodium_malloc(sizeof *key);
        if (!key) goto oom;
        if (mbpf_tool_key_load_secret(s->val[OPT_SIGN], key, err, sizeof err) != 0) {
            cli_error(cmd, "%s", err);
            goto out;
        }
    }

    unsigned flags = s->val[OPT_STRIP] ? UJS_BC_STRIP : 0;
    if (mbpf_tool_read_file(src_path, &src, &src_len, err, sizeof err) != 0 ||
        mbpf_tool_compile_js((const char *)src, src_len, src_path, flags, &bc, &bc_len, err,
                             sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }

    mbpf_tool_pack_in_t in = {
        .manifest = m,
        .manifest_name = man_path ? man_path : "command line",
        .bytecode = bc,
        .bytecode_len = bc_len,
        .key = key,
    };
    const char *out = s->val[OPT_OUTPUT];
    if (!out && !(out = out_path = cli_sibling_path(src_path, ".mbpf"))) goto oom;
    if (mbpf_tool_pack(&in, &pkg, &pkg_len, &nsecs, err, sizeof err) != 0 ||
        mbpf_tool_write_file_atomic(out, pkg, pkg_len, 0644, 1, err, sizeof err) != 0) {
        cli_error(cmd, "%s", err);
        goto out;
    }
    printf("wrote %s (%zu bytes, %u sections, %s)\n", out, pkg_len, nsecs,
           key ? "signed" : "unsigned");
    rc = CLI_EXIT_OK;
    goto out;
oom:
    cli_error(cmd, "out of memory");
out:
    sodium_free(key);
    mbpf_tool_mdoc_free(doc);
    free(m);
    free(pkg);
    free(bc);
    free(src);
    free(out_path);
    free(json_path);
    free(s);
    return rc;
}

const cli_command_t cli_cmd_build = {
    .name = "build",
    .summary = "compile, add a manifest, pack and sign in one step",
    .synopsis = "mbpf build [-o OUT] [--manifest FILE] [--sign KEY] [--strip] [MANIFEST OPTIONS]\n"
                "                  PROG.js",
    .help = "Compiles PROG.js (as 'mbpf compile'), puts its manifest together and writes a\n"
            "package (as 'mbpf pack'), signed with --sign. The manifest is read from FILE,\n"
            "or from PROG.json next to PROG.js when it exists; the options below override\n"
            "its fields, and defaults fill in what neither sets. bytecode_version is always\n"
            "the compiler's. The package is checked like a loader would before OUT is\n"
            "written, atomically.\n"
            "\n"
            "options:\n"
            "  -o, --output OUT        package to write (default: PROG.mbpf next to PROG.js)\n"
            "  -m, --manifest FILE     manifest, JSON or CBOR, possibly incomplete\n"
            "                          (default: PROG.json if it exists)\n"
            "  -s, --sign KEY          sign with this secret key file (from 'mbpf keygen')\n"
            "      --strip             compile without names, file name and line tables\n"
            "\n"
            "manifest options (override the file):    default\n"
            "      --name NAME             program_name          PROG (file name less .js)\n"
            "      --program-version VER   program_version       " DEFAULT_PROGRAM_VERSION "\n"
            "      --hook HOOK             hook_type             (required) NET_RX, NET_TX,\n"
            "                                                    TRACEPOINT, TIMER, SECURITY,\n"
            "                                                    CUSTOM\n"
            "      --hook-abi N            hook_ctx_abi_version  1\n"
            "      --entry SYMBOL          entry_symbol          mbpf_prog\n"
            "      --heap-size N[k|m]      heap_size             16k\n"
            "      --max-steps N           budgets.max_steps     100000\n"
            "      --max-helpers N         budgets.max_helpers   1000\n"
            "      --max-wall-time-us N    budgets.max_wall_time_us  none\n"
            "      --cap CAP[,CAP...]      added to capabilities  none; CAP is LOG, MAP_READ,\n"
            "                              MAP_WRITE, MAP_ITERATE, EMIT, TIME or STATS\n"
            "      --map " MAP_SYNTAX "\n"
            "                              added to maps, or replaces the map of that name;\n"
            "                              TYPE is array, hash, lru_hash, percpu_array,\n"
            "                              percpu_hash, counter, ringbuf or lpm_trie\n"
            "--cap and --map are repeatable. target defaults to any/any and mbpf_api_version\n"
            "to this tool's helper API. Manifest schema: docs/PACKAGE_FORMAT.md.\n",
    .run = run,
};
