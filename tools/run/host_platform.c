/*
 * The host runner's platform (host_platform.h). The runtime asks cpu_id on
 * every event and for every per-CPU map access; answering from a field the
 * runner sets makes "event i runs on CPU i % N" exact and repeatable,
 * which real sched_getcpu could not give.
 */
#define _POSIX_C_SOURCE 200809L
#include "host_platform.h"

#include <stdlib.h>
#include <time.h>

static void *host_alloc(void *user, size_t size)
{
    (void)user;
    return malloc(size ? size : 1);
}

static void host_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static uint32_t host_cpu_count(void *user)
{
    return ((const mbpf_host_platform_t *)user)->cpus;
}

static uint32_t host_cpu_id(void *user)
{
    return ((const mbpf_host_platform_t *)user)->cpu;
}

static uint64_t host_now_ns(void *user)
{
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void host_log(void *user, int level, const char *msg, size_t len)
{
    mbpf_host_platform_t *hp = user;
    static const char *const names[] = {"debug", "info", "warn", "error"};
    const char *name = level >= 0 && level <= 3 ? names[level] : "log";
    /* msg is not NUL-terminated and may be long: write it as bytes */
    fprintf(hp->log, "log: %s: ", name);
    fwrite(msg, 1, len, hp->log);
    fputc('\n', hp->log);
    fflush(hp->log);
    hp->log_lines++;
}

void mbpf_host_platform_init(mbpf_host_platform_t *hp, uint32_t cpus, FILE *log_stream)
{
    hp->cpus = cpus ? cpus : 1;
    hp->cpu = 0;
    hp->log = log_stream;
    hp->log_lines = 0;
    hp->pf = (mbpf_platform_t){
        .user = hp,
        .alloc = host_alloc,
        .free = host_free,
        .cpu_count = host_cpu_count,
        .cpu_id = host_cpu_id,
        .now_ns = host_now_ns,
        .log = host_log,
        .sig_verify = NULL,
        .defer = NULL,
    };
}

void mbpf_host_platform_set_cpu(mbpf_host_platform_t *hp, uint32_t cpu)
{
    hp->cpu = cpu % hp->cpus;
}
