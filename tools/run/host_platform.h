/*
 * The platform `mbpf run` gives the runtime: the POSIX allocator and
 * monotonic clock, N simulated CPUs whose current one the runner chooses
 * before each event (so per-CPU maps and instances can be exercised on one
 * thread, deterministically), and a log sink writing "log: LEVEL: message"
 * lines to a stream (stderr in the CLI).
 */
#ifndef MBPF_HOST_PLATFORM_H
#define MBPF_HOST_PLATFORM_H

#include <stdint.h>
#include <stdio.h>

#include "mbpf_platform.h"

typedef struct mbpf_host_platform {
    mbpf_platform_t pf; /* pass &hp->pf to mbpf_runtime_config_init */
    uint32_t cpus;      /* simulated CPU count, >= 1 */
    uint32_t cpu;       /* the CPU the next event runs on, < cpus */
    FILE *log;          /* log sink stream */
    uint64_t log_lines; /* messages written */
} mbpf_host_platform_t;

/* Fills hp for cpus simulated CPUs (0 is taken as 1), CPU 0 current, logs
 * to log_stream. hp must not move while a runtime uses it. */
void mbpf_host_platform_init(mbpf_host_platform_t *hp, uint32_t cpus, FILE *log_stream);

/* Makes cpu % cpus the CPU the runtime sees as current. */
void mbpf_host_platform_set_cpu(mbpf_host_platform_t *hp, uint32_t cpu);

#endif
