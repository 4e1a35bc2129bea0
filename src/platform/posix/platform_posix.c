/*
 * POSIX platform for the host tools and tests: malloc, sched_getcpu,
 * CLOCK_MONOTONIC and stderr. The only file under src/ allowed to use libc
 * beyond the freestanding headers.
 */
#define _GNU_SOURCE
#include "mbpf_platform.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void *posix_alloc(void *user, size_t size)
{
    (void)user;
    return malloc(size ? size : 1);
}

static void posix_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static uint32_t posix_cpu_count(void *user)
{
    (void)user;
    long n = sysconf(_SC_NPROCESSORS_CONF);
    return n > 0 ? (uint32_t)n : 1;
}

/* The runtime wraps ids at or above its CPU count, so this need not know
 * the count (reading it costs a sysfs read on every event). */
static uint32_t posix_cpu_id(void *user)
{
    (void)user;
    int cpu = sched_getcpu();
    return cpu >= 0 ? (uint32_t)cpu : 0;
}

static uint64_t posix_now_ns(void *user)
{
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void posix_log(void *user, int level, const char *msg, size_t len)
{
    (void)user;
    static const char *const names[] = {"debug", "info", "warn", "error"};
    const char *name = level >= 0 && level <= 3 ? names[level] : "log";
    fprintf(stderr, "mbpf[%s]: %.*s\n", name, (int)len, msg);
}

static const mbpf_platform_t posix_platform = {
    .user = NULL,
    .alloc = posix_alloc,
    .free = posix_free,
    .cpu_count = posix_cpu_count,
    .cpu_id = posix_cpu_id,
    .now_ns = posix_now_ns,
    .log = posix_log,
    .sig_verify = NULL,
    .defer = NULL,
};

const mbpf_platform_t *mbpf_platform_posix(void)
{
    return &posix_platform;
}
