/*
 * `mbpf run`: the host runner (docs/RUNNER.md). Loads packages into one
 * runtime and drives their hooks from real inputs — pcap packets for
 * NET_RX / NET_TX, event-file lines for TRACEPOINT / TIMER / SECURITY /
 * CUSTOM, simulated timer ticks — then prints verdict counts, program
 * statistics and every map. This file turns options and input records
 * into hook contexts; tools/run/runner.c drives the runtime and
 * tools/run/run_report.c prints.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "event_file.h"
#include "keyfile.h"
#include "mbpf_ctx.h"
#include "pcap_input.h"
#include "run_report.h"
#include "runner.h"

#define MAX_KEYS 32
#define IFINDEX  1 /* the interface every pcap packet arrives on (or leaves by) */

enum {
    OPT_PCAP,
    OPT_TX,
    OPT_EVENTS,
    OPT_TIMER,
    OPT_COUNT,
    OPT_JSON,
    OPT_KEY,
    OPT_REQUIRE,
    OPT_DEBUG,
    OPT_CPUS,
    OPT_QUIET,
    OPT_VERBOSE,
};
static const cli_option_t options[] = {
    [OPT_PCAP] = {"pcap", 'p', 1},
    [OPT_TX] = {"tx", 0, 0},
    [OPT_EVENTS] = {"events", 'e', 1},
    [OPT_TIMER] = {"timer", 't', 1},
    [OPT_COUNT] = {"count", 'n', 1},
    [OPT_JSON] = {"json", 'j', 0},
    [OPT_KEY] = {"key", 'k', 1},
    [OPT_REQUIRE] = {"require-signature", 'r', 0},
    [OPT_DEBUG] = {"debug", 'd', 0},
    [OPT_CPUS] = {"cpus", 'c', 1},
    [OPT_QUIET] = {"quiet", 'q', 0},
    [OPT_VERBOSE] = {"verbose", 'v', 0},
    {0, 0, 0},
};

typedef struct run_args {
    const char *pkgs[RUN_MAX_PROGS];
    int npkgs;
    const char *pcap, *events;
    int tx, json, require, debug, quiet, verbose;
    uint64_t timer_period, timer_count; /* 0: not given */
    uint64_t cpus;
    const char *key_paths[MAX_KEYS];
    int nkeys;
} run_args_t;

/* Parses a decimal or 0x number in [min, max]; 0 on success. */
static int parse_num(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

static int once(const cli_command_t *cmd, const char **slot, const char *val, const char *name)
{
    if (*slot) return cli_usage_error(cmd, "option '--%s' given twice", name);
    *slot = val;
    return 0;
}

static int parse_args(const cli_command_t *cmd, int argc, char **argv, run_args_t *a)
{
    memset(a, 0, sizeof *a);
    a->cpus = 1;
    const char *timer = NULL, *count = NULL, *cpus = NULL;
    cli_parser_t p;
    cli_parser_init(&p, cmd, options, argc, argv);
    for (;;) {
        const char *val;
        int o = cli_next(&p, &val);
        int rc = 0;
        if (o == CLI_DONE) break;
        if (o == CLI_HELP) return CLI_HELP;
        if (o == CLI_BAD) return CLI_EXIT_USAGE;
        switch (o) {
        case CLI_POSITIONAL:
            if (a->npkgs == RUN_MAX_PROGS)
                return cli_usage_error(cmd, "more than %d packages", RUN_MAX_PROGS);
            a->pkgs[a->npkgs++] = val;
            break;
        case OPT_PCAP: rc = once(cmd, &a->pcap, val, "pcap"); break;
        case OPT_EVENTS: rc = once(cmd, &a->events, val, "events"); break;
        case OPT_TIMER: rc = once(cmd, &timer, val, "timer"); break;
        case OPT_COUNT: rc = once(cmd, &count, val, "count"); break;
        case OPT_CPUS: rc = once(cmd, &cpus, val, "cpus"); break;
        case OPT_KEY:
            if (a->nkeys == MAX_KEYS)
                return cli_usage_error(cmd, "more than %d --key options", MAX_KEYS);
            a->key_paths[a->nkeys++] = val;
            break;
        case OPT_TX: a->tx = 1; break;
        case OPT_JSON: a->json = 1; break;
        case OPT_REQUIRE: a->require = 1; break;
        case OPT_DEBUG: a->debug = 1; break;
        case OPT_QUIET: a->quiet = 1; break;
        case OPT_VERBOSE: a->verbose = 1; break;
        }
        if (rc) return rc;
    }
    if (a->npkgs == 0) return cli_usage_error(cmd, "missing package PKG");
    if (a->tx && !a->pcap) return cli_usage_error(cmd, "--tx needs --pcap FILE");
    if (!timer != !count)
        return cli_usage_error(cmd, "--timer PERIOD_US and --count N go together");
    if (timer && parse_num(timer, 1, UINT32_MAX, &a->timer_period) != 0)
        return cli_usage_error(cmd,
                               "--timer: '%s' is not a period in microseconds (1..%" PRIu32 ")",
                               timer, UINT32_MAX);
    if (count && parse_num(count, 1, UINT32_MAX, &a->timer_count) != 0)
        return cli_usage_error(cmd, "--count: '%s' is not a count (1..%" PRIu32 ")", count,
                               UINT32_MAX);
    if (cpus && parse_num(cpus, 1, MBPF_MAP_CPU_MAX, &a->cpus) != 0)
        return cli_usage_error(cmd, "--cpus: '%s' is not a CPU count (1..%u)", cpus,
                               MBPF_MAP_CPU_MAX);
    return 0;
}

/* ---- inputs ------------------------------------------------------------- */

static int run_pcap(const cli_command_t *cmd, mbpf_runner_t *r, const run_args_t *a,
                    uint64_t *count)
{
    char err[RUN_ERR_MAX];
    mbpf_pcap_in_t *in;
    if (mbpf_pcap_open(a->pcap, &in, err, sizeof err) != 0) return cli_error(cmd, "%s", err);
    mbpf_hook_id_t hook = MBPF_HOOK_ID(a->tx ? MBPF_HOOK_NET_TX : MBPF_HOOK_NET_RX, 0);
    int rc = CLI_EXIT_OK;
    for (;;) {
        mbpf_pcap_pkt_t pkt;
        int n = mbpf_pcap_next(in, &pkt, err, sizeof err);
        if (n == 0) break;
        if (n < 0) {
            rc = cli_error(cmd, "%s", err);
            break;
        }
        mbpf_pcap_net_t net;
        mbpf_pcap_net_info(&pkt, &net);
        mbpf_ctx_net_v1_t ctx = {
            .abi_version = MBPF_CTX_ABI_V1,
            .ifindex = IFINDEX,
            .pkt_len = net.pkt_len,
            .data_len = net.data_len,
            .l2_proto = net.l2_proto,
            .flags = net.data_len < net.pkt_len ? MBPF_CTX_F_TRUNCATED : 0,
            .data = pkt.data,
            .read_fn = NULL,
        };
        run_origin_t origin = {"packet", a->pcap, pkt.index + 1};
        if (mbpf_runner_event(r, hook, &ctx, sizeof ctx, &origin, err, sizeof err) != 0) {
            rc = cli_error(cmd, "%s: packet %" PRIu64 ": %s", a->pcap, pkt.index + 1, err);
            break;
        }
        (*count)++;
    }
    mbpf_pcap_close(in);
    return rc;
}

/* The hook id of an event-file event; 0 (no hook) with a message in err
 * for a point beyond the hook id's 24 bits. */
static mbpf_hook_id_t event_hook(const mbpf_event_t *ev, char *err, size_t errcap)
{
    uint32_t point = 0, type = MBPF_HOOK_TIMER;
    switch (ev->kind) {
    case MBPF_EVENT_TRACEPOINT:
        type = MBPF_HOOK_TRACEPOINT;
        point = ev->u.tracepoint.id;
        break;
    case MBPF_EVENT_CUSTOM:
        type = MBPF_HOOK_CUSTOM;
        point = ev->u.custom.point;
        break;
    case MBPF_EVENT_SECURITY: type = MBPF_HOOK_SECURITY; break;
    case MBPF_EVENT_TIMER: type = MBPF_HOOK_TIMER; break;
    case MBPF_EVENT_COUNTER: break; /* not a hook event (run_events) */
    }
    if (point > MBPF_HOOK_POINT_MAX) {
        snprintf(err, errcap, "%s point %" PRIu32 " above the hook id limit %u",
                 mbpf_event_kind_name(ev->kind), point, MBPF_HOOK_POINT_MAX);
        return 0;
    }
    return MBPF_HOOK_ID(type, point);
}

/* Runs one event-file event through its hook's context struct. */
static int run_event(mbpf_runner_t *r, const mbpf_event_t *ev, mbpf_hook_id_t hook,
                     const run_origin_t *origin, char *err, size_t errcap)
{
    switch (ev->kind) {
    case MBPF_EVENT_TRACEPOINT: {
        mbpf_ctx_tracepoint_v1_t c = {
            .abi_version = MBPF_CTX_ABI_V1,
            .tracepoint_id = ev->u.tracepoint.id,
            .timestamp_ns = ev->u.tracepoint.ts_ns,
            .cpu = ev->u.tracepoint.cpu,
            .pid = ev->u.tracepoint.pid,
            .data_len = ev->payload_len,
            .flags = ev->flags,
            .data = ev->payload,
        };
        return mbpf_runner_event(r, hook, &c, sizeof c, origin, err, errcap);
    }
    case MBPF_EVENT_TIMER: {
        mbpf_ctx_timer_v1_t c = {
            .abi_version = MBPF_CTX_ABI_V1,
            .timer_id = ev->u.timer.id,
            .period_us = ev->u.timer.period_us,
            .flags = ev->flags,
            .expiry_count = ev->u.timer.expiry_count,
            .now_ns = ev->u.timer.now_ns,
        };
        return mbpf_runner_event(r, hook, &c, sizeof c, origin, err, errcap);
    }
    case MBPF_EVENT_SECURITY: {
        mbpf_ctx_security_v1_t c = {
            .abi_version = MBPF_CTX_ABI_V1,
            .subject_id = ev->u.security.subject,
            .object_id = ev->u.security.object,
            .action = ev->u.security.action,
            .flags = ev->flags,
            .data_len = ev->payload_len,
            .data = ev->payload,
        };
        return mbpf_runner_event(r, MBPF_HOOK_ID(MBPF_HOOK_SECURITY, 0), &c, sizeof c, origin, err,
                                 errcap);
    }
    case MBPF_EVENT_COUNTER: break; /* not a hook event (run_events) */
    case MBPF_EVENT_CUSTOM: {
        mbpf_ctx_field_t fields[MBPF_EVENT_FIELDS_MAX];
        for (uint32_t i = 0; i < ev->u.custom.field_count; i++) {
            fields[i].name = ev->u.custom.fields[i].name;
            fields[i].value = ev->u.custom.fields[i].value;
        }
        mbpf_ctx_custom_v1_t c = {
            .abi_version = MBPF_CTX_ABI_V1,
            .custom_id = ev->u.custom.point,
            .schema_version = ev->u.custom.schema,
            .field_count = ev->u.custom.field_count,
            .fields = fields,
            .data_len = ev->payload_len,
            .flags = ev->flags,
            .data = ev->payload,
        };
        return mbpf_runner_event(r, hook, &c, sizeof c, origin, err, errcap);
    }
    }
    snprintf(err, errcap, "unknown event kind %d", (int)ev->kind);
    return -1;
}

/* Reads the whole event file first, attaching programs to every point it
 * uses, so a malformed line or an attach failure stops the run before any
 * event has run; then runs every event in file order. */
static int run_events(const cli_command_t *cmd, mbpf_runner_t *r, const run_args_t *a,
                      uint64_t *count)
{
    char err[RUN_ERR_MAX];
    uint8_t *data;
    size_t len;
    if (mbpf_tool_read_file(a->events, &data, &len, err, sizeof err) != 0)
        return cli_error(cmd, "%s", err);
    int rc = CLI_EXIT_OK;
    mbpf_event_t ev;
    for (int pass = 0; pass < 2 && rc == CLI_EXIT_OK; pass++) {
        mbpf_event_reader_t *rd;
        if (mbpf_event_reader_open_mem(a->events, data, len, &rd, err, sizeof err) != 0) {
            rc = cli_error(cmd, "%s", err);
            break;
        }
        for (;;) {
            int n = mbpf_event_next(rd, &ev, err, sizeof err);
            if (n == 0) break;
            if (n < 0) {
                rc = cli_error(cmd, "%s", err);
                break;
            }
            run_origin_t origin = {"event", a->events, ev.line};
            if (ev.kind == MBPF_EVENT_COUNTER) {
                /* checked on the first pass, applied in file order on the second */
                if (mbpf_runner_counter_add(r, ev.u.counter.map, ev.u.counter.key, ev.u.counter.add,
                                            pass, &origin, err, sizeof err) != 0) {
                    rc = cli_error(cmd, "%s:%" PRIu32 ": %s", a->events, ev.line, err);
                    break;
                }
                continue;
            }
            mbpf_hook_id_t hook = event_hook(&ev, err, sizeof err);
            if (hook == 0 || (pass == 0 && mbpf_runner_attach(r, hook, err, sizeof err) != 0)) {
                rc = cli_error(cmd, "%s:%" PRIu32 ": %s", a->events, ev.line, err);
                break;
            }
            if (pass == 0) continue;
            if (run_event(r, &ev, hook, &origin, err, sizeof err) != 0) {
                rc = cli_error(cmd, "%s:%" PRIu32 ": %s", a->events, ev.line, err);
                break;
            }
            (*count)++;
        }
        mbpf_event_reader_close(rd);
    }
    free(data);
    return rc;
}

/* count expirations of a timer of period_us: expiry k at k periods. */
static int run_timer(const cli_command_t *cmd, mbpf_runner_t *r, const run_args_t *a,
                     uint64_t *count)
{
    char err[RUN_ERR_MAX];
    for (uint64_t k = 1; k <= a->timer_count; k++) {
        mbpf_ctx_timer_v1_t c = {
            .abi_version = MBPF_CTX_ABI_V1,
            .timer_id = 0,
            .period_us = (uint32_t)a->timer_period,
            .flags = 0,
            .expiry_count = k,
            .now_ns = k * a->timer_period * 1000u,
        };
        run_origin_t origin = {"tick", NULL, k};
        if (mbpf_runner_event(r, MBPF_HOOK_ID(MBPF_HOOK_TIMER, 0), &c, sizeof c, &origin, err,
                              sizeof err) != 0)
            return cli_error(cmd, "timer tick %" PRIu64 ": %s", k, err);
        (*count)++;
    }
    return CLI_EXIT_OK;
}

/* ---- the command ---------------------------------------------------------- */

static int run(const cli_command_t *cmd, int argc, char **argv)
{
    run_args_t *a = malloc(sizeof *a);
    if (!a) return cli_error(cmd, "out of memory");
    int rc = parse_args(cmd, argc, argv, a);
    if (rc != 0) {
        free(a);
        return rc == CLI_HELP ? CLI_EXIT_OK : rc;
    }

    char err[RUN_ERR_MAX];
    static uint8_t keys[MAX_KEYS][32];
    for (int i = 0; i < a->nkeys; i++) {
        if (mbpf_tool_key_load_public(a->key_paths[i], keys[i], err, sizeof err) != 0) {
            free(a);
            return cli_error(cmd, "%s", err);
        }
    }

    run_report_opts_t ro = {stdout, a->json, a->verbose, a->quiet};
    run_report_t *rep = run_report_new(&ro);
    mbpf_runner_t *r = malloc(sizeof *r);
    if (!rep || !r) {
        rc = cli_error(cmd, "out of memory");
        goto out;
    }
    mbpf_runner_config_t rcfg = {
        .cpus = (uint32_t)a->cpus,
        .keys = (const uint8_t(*)[32])keys,
        .key_paths = a->key_paths,
        .nkeys = (uint32_t)a->nkeys,
        .require_signature = a->require,
        .log = stderr,
        .rep = rep,
    };
    if (mbpf_runner_init(r, &rcfg, err, sizeof err) != 0) {
        free(r);
        r = NULL;
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    for (int i = 0; i < a->npkgs; i++) {
        if (mbpf_runner_load(r, a->pkgs[i], a->debug, err, sizeof err) != 0) {
            rc = cli_error(cmd, "%s", err);
            goto out;
        }
    }
    run_inputs_t in = {0, 0, 0};
    if (a->pcap && (rc = run_pcap(cmd, r, a, &in.packets)) != 0) goto out;
    if (a->events && (rc = run_events(cmd, r, a, &in.events)) != 0) goto out;
    if (a->timer_count && (rc = run_timer(cmd, r, a, &in.ticks)) != 0) goto out;
    if (run_report_summary(rep, r, &in) != 0) rc = cli_error(cmd, "out of memory");
out:
    if (r) {
        mbpf_runner_fini(r);
        free(r);
    }
    run_report_free(rep);
    free(a);
    return rc;
}

const cli_command_t cli_cmd_run = {
    .name = "run",
    .summary = "load packages and run them on packets, events or timer ticks",
    .synopsis = "mbpf run PKG... [--pcap FILE [--tx]] [--events FILE]\n"
                "                [--timer PERIOD_US --count N] [--json] [--key PUB]...\n"
                "                [--require-signature] [--debug] [--cpus N] [--quiet] "
                "[--verbose]",
    .help = "Loads every PKG into one host runtime, attaches each program to its hook and\n"
            "replays the inputs in this order: pcap packets (NET_RX, or NET_TX with --tx),\n"
            "event-file lines (TRACEPOINT, TIMER, SECURITY, CUSTOM, and counter lines that\n"
            "add to a program's counter map as the kernel would; docs/EVENTS.md), then\n"
            "N timer ticks. Records programs emit are printed as they come; at the end\n"
            "the verdict counts, every program's statistics and every map are printed.\n"
            "Program and runtime log messages go to stderr as 'log: LEVEL: message'.\n"
            "\n"
            "options:\n"
            "  -p, --pcap FILE            packets from a pcap or pcapng file\n"
            "      --tx                   run the packets on NET_TX instead of NET_RX\n"
            "  -e, --events FILE          events, one per line (docs/EVENTS.md)\n"
            "  -t, --timer PERIOD_US      timer period for --count ticks\n"
            "  -n, --count N              timer expirations to run (1..4294967295)\n"
            "  -j, --json                 print one JSON document instead of text\n"
            "  -k, --key PUB              trusted public key file; repeatable\n"
            "  -r, --require-signature    refuse unsigned packages\n"
            "  -d, --debug                load in debug mode: console.log, failure reasons logged\n"
            "  -c, --cpus N               simulated CPUs; event i runs on CPU i % N (default 1)\n"
            "  -q, --quiet                do not print emitted records\n"
            "  -v, --verbose              print every event's verdict\n"
            "\n"
            "exit status:\n"
            "  0  every package loaded and every input ran\n"
            "  1  a package, key or input file is unreadable or invalid, or a load failed\n"
            "  2  usage error\n",
    .run = run,
};
