/*
 * Output of `mbpf run` (docs/RUNNER.md): the stream of per-event lines
 * (emitted ring-buffer records; verdicts with --verbose) and the summary
 * (inputs, verdict counts, per-program stats, every map). The summary is
 * built once as a JSON tree; --json prints the tree, text mode renders the
 * same tree as `key=value` lines, so both formats carry the same facts.
 * With --json the stream goes into the tree too ("events", "runs") and
 * one document is printed at the end.
 */
#ifndef MBPF_RUN_REPORT_H
#define MBPF_RUN_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "runner.h"

typedef struct run_report run_report_t;

typedef struct run_report_opts {
    FILE *out;
    int json;    /* one JSON document instead of text */
    int verbose; /* a line (a "runs" entry) per event with its verdict */
    int quiet;   /* no emitted-record lines (no "events" array) */
} run_report_opts_t;

/* Input counts for the summary. */
typedef struct run_inputs {
    uint64_t packets, events, ticks;
} run_inputs_t;

/* NULL when memory is short. */
run_report_t *run_report_new(const run_report_opts_t *opts);
void run_report_free(run_report_t *rep);

/* One event's verdict rc on hook, run as cpu. */
void run_report_verdict(run_report_t *rep, const run_origin_t *origin, mbpf_hook_id_t hook,
                        uint32_t cpu, int32_t rc);

/* One record from ring buffer m of p; with_id: the record is an mbpf.emit
 * record (u32 LE event id, then the bytes). */
/* With verbose: one line (or JSON object) per counter map add of a
 * `counter` event-file line, with the counter's new value. */
void run_report_counter(run_report_t *rep, const run_origin_t *origin, const run_prog_t *p,
                        const char *map, uint32_t key, uint64_t add, uint64_t value);
void run_report_emitted(run_report_t *rep, const run_prog_t *p, const mbpf_map_t *m, int with_id,
                        const uint8_t *data, size_t len);

/* Prints the summary (and, with --json, the whole document). Returns 0,
 * or -1 when memory is short. */
int run_report_summary(run_report_t *rep, mbpf_runner_t *r, const run_inputs_t *in);

#endif
