/*
 * The platform interface: everything the microBPF runtime needs from the
 * kernel it runs in, and nothing more. A port fills one mbpf_platform_t;
 * runtime code reaches the outside world only through it (plus the C11
 * atomics in mbpf_atomic.h, which every freestanding compiler provides).
 *
 * Allocation happens only at runtime init and program load; everything on
 * the event path (mbpf_run, helpers) is allocation-free.
 */
#ifndef MBPF_PLATFORM_H
#define MBPF_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Log levels for mbpf_platform_t.log (same values as mbpf.log in JS). */
enum mbpf_log_level {
    MBPF_LOG_DEBUG = 0,
    MBPF_LOG_INFO = 1,
    MBPF_LOG_WARN = 2,
    MBPF_LOG_ERROR = 3,
};

typedef struct mbpf_platform {
    /* Passed back as the first argument of every hook below. */
    void *user;

    /* Returns size bytes aligned for any object type, or NULL. Called only
     * from init and load paths. Required. */
    void *(*alloc)(void *user, size_t size);
    /* Releases a block from alloc (ptr may be NULL). Required. */
    void (*free)(void *user, void *ptr);

    /* Number of CPUs that may call into the runtime, and the current one
     * (always < cpu_count). Required. */
    uint32_t (*cpu_count)(void *user);
    uint32_t (*cpu_id)(void *user);

    /* Monotonic clock in nanoseconds; NULL when the platform has none
     * (then wall-time budgets and mbpf.nowNs are unavailable). */
    uint64_t (*now_ns)(void *user);

    /* Log sink for runtime and program messages; msg is not NUL-terminated.
     * NULL discards logs. */
    void (*log)(void *user, int level, const char *msg, size_t len);

    /* Ed25519 signature check: returns 0 when sig is a valid signature of
     * msg[0..len) under pub. NULL selects the built-in verifier
     * (src/pkg/ed25519.c); a kernel may plug its own crypto here. */
    int (*sig_verify)(void *user, const uint8_t pub[32], const uint8_t *msg, size_t len,
                      const uint8_t sig[64]);

    /* Optional deferred-work hook for observer hooks that cannot run
     * inline: schedules work(arg) on a worker context. Returns 0 if queued.
     * NULL means the platform runs everything inline. */
    int (*defer)(void *user, void (*work)(void *arg), void *arg);
} mbpf_platform_t;

/* The POSIX implementation (malloc, sched_getcpu, CLOCK_MONOTONIC, stderr),
 * used by the host tools and tests. Not available in kernel builds. */
const mbpf_platform_t *mbpf_platform_posix(void);

#endif
