/*
 * The engine room of `mbpf run` (docs/RUNNER.md): one runtime on the host
 * platform, the loaded packages with their maps, and the replay of one
 * event at a time — pick the simulated CPU, attach programs to the event's
 * hook on first use, mbpf_run, count the verdict, drain the programs' ring
 * buffers. What is printed, and how, is run_report.c's business; the input
 * formats (pcap, event files, timer ticks) are the caller's.
 */
#ifndef MBPF_RUNNER_H
#define MBPF_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "host_platform.h"
#include "manifest.h"
#include "mbpf.h"
#include "mbpf_map.h"

#define RUN_ERR_MAX      1024
#define RUN_MAX_PROGS    64
#define RUN_MAX_HOOKS    256 /* distinct hook ids (tracepoint and custom points) */
#define RUN_VERDICT_SLOT 32  /* distinct verdict values counted per hook type */

struct run_report;

typedef struct run_prog {
    const char *path; /* package file as given */
    mbpf_program_t *prog;
    mbpf_program_info_t info;
    mbpf_manifest_t manifest;                 /* map definitions, in manifest order */
    mbpf_map_t *maps[MBPF_MANIFEST_MAX_MAPS]; /* the runtime's maps, same order */
    int signed_pkg;                           /* the package has a signature */
    const char *key_path;                     /* --key file that verified it, or NULL */
} run_prog_t;

typedef struct run_verdict_count {
    int32_t value;
    uint64_t count;
} run_verdict_count_t;

/* Verdicts of the events of one hook type. */
typedef struct run_verdicts {
    uint64_t events;
    uint32_t nvalues;
    run_verdict_count_t values[RUN_VERDICT_SLOT]; /* in order of first appearance */
    uint64_t overflow;                            /* events whose verdict found no free slot */
} run_verdicts_t;

/* Where an event came from, for verbose output. */
typedef struct run_origin {
    const char *input; /* "packet", "event", "tick" */
    const char *file;  /* input file, or NULL (ticks) */
    uint64_t index;    /* packet number, line number or tick number, from 1 */
} run_origin_t;

typedef struct mbpf_runner {
    mbpf_host_platform_t hp;
    mbpf_runtime_t *rt;
    uint32_t nprogs;
    run_prog_t progs[RUN_MAX_PROGS];
    uint32_t nhooks;
    mbpf_hook_id_t hooks[RUN_MAX_HOOKS]; /* hook ids programs were attached to */
    run_verdicts_t verdicts[MBPF_HOOK_TYPE_MAX + 1];
    uint64_t runs; /* events run; event i runs on CPU i % cpus */
    struct run_report *rep;
    const char *const *key_paths; /* for naming the key that verified a package */
} mbpf_runner_t;

typedef struct mbpf_runner_config {
    uint32_t cpus;                /* simulated CPUs, >= 1 */
    const uint8_t (*keys)[32];    /* trusted public keys */
    const char *const *key_paths; /* their files, same order */
    uint32_t nkeys;
    int require_signature;
    FILE *log;              /* the platform log sink's stream */
    struct run_report *rep; /* receives verdicts and emitted records */
} mbpf_runner_config_t;

/* Creates the runtime. r must not move afterwards. Returns 0 or -1 with a
 * message in err. */
int mbpf_runner_init(mbpf_runner_t *r, const mbpf_runner_config_t *cfg, char *err, size_t errcap);

/* Loads the package at path (MBPF_LOAD_F_DEBUG with debug) and attaches it
 * to its hook when the hook type has only point 0 (others attach on their
 * first event). Errors: "PATH: <reason>", "PATH: load: <mbpf_last_error>". */
int mbpf_runner_load(mbpf_runner_t *r, const char *path, int debug, char *err, size_t errcap);

/* Attaches every program of hook's type to hook unless done before (the
 * runner also does this on hook's first event). Lets the caller attach
 * every point its input uses before the first event runs. Returns 0 or
 * -1 with "PKG: attach to TRACEPOINT 9: <mbpf_last_error>" in err. */
int mbpf_runner_attach(mbpf_runner_t *r, mbpf_hook_id_t hook, char *err, size_t errcap);

/* A `counter` line of an event file: the kernel adding to a counter map.
 * Adds add to entry key of the counter map named name of every loaded
 * program that has one (mbpf_map_counter_add), reporting each new value,
 * or with apply 0 only checks that it could. Returns 0, or -1 with a
 * message in err: no program has such a map, the map is not a counter, key
 * is not below its max_entries. */
int mbpf_runner_counter_add(mbpf_runner_t *r, const char *name, uint32_t key, uint64_t add,
                            int apply, const run_origin_t *origin, char *err, size_t errcap);

/* Runs one event: ctx (ctx_len bytes) on hook, as CPU runs % cpus; counts
 * the verdict, reports it and every ring-buffer record emitted. Returns 0,
 * or -1 with a message in err (attach failure). */
int mbpf_runner_event(mbpf_runner_t *r, mbpf_hook_id_t hook, const void *ctx, size_t ctx_len,
                      const run_origin_t *origin, char *err, size_t errcap);

/* Unloads everything (mbpf_fini runs) and shuts the runtime down. */
void mbpf_runner_fini(mbpf_runner_t *r);

/* Name of verdict rc for hook_type ("PASS", "DENY"), or NULL for a value
 * with no name (observer hooks, unknown values). */
const char *mbpf_runner_verdict_name(uint32_t hook_type, int32_t rc);

#endif
