/*
 * Shared fixtures of the runtime tests: a counting platform (allocations
 * must balance frees; allocation N can be made to fail), CPU ids from a
 * thread-local, an optional settable clock, captured logs and deferred
 * work; and in-process package building (container writer, manifest
 * encoder, libsodium signing).
 */
#ifndef RT_TEST_UTIL_H
#define RT_TEST_UTIL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "mbpf.h"
#include "mbpf_platform.h"

typedef struct tp_state {
    atomic_long allocs, frees; /* successful allocations, frees of non-NULL */
    atomic_long calls;         /* alloc calls, counting failed ones */
    long fail_at;              /* the alloc call with this number (1-based) fails; 0: none */
    uint32_t cpus;
    atomic_ullong now_ns;
    char log[1024];
    int log_count;
    void (*defer_work)(void *);
    void *defer_arg;
    int defer_calls;
} tp_state_t;

extern tp_state_t tp;
extern _Thread_local uint32_t tp_cpu;

/* Resets tp; the platform has a clock when with_clock. */
const mbpf_platform_t *tp_platform(uint32_t cpus, int with_clock, int with_defer);
long tp_live(void); /* allocs - frees */

/* A valid NET_RX manifest (the tests edit it). */
void tk_manifest(mbpf_manifest_t *m, const char *name, uint32_t hook_type);

typedef struct tk_key {
    uint8_t pub[32];
    uint8_t sk[64];
} tk_key_t;
void tk_keygen(tk_key_t *k, uint8_t seed_fill);

/* Builds a package of m with script as bytecode, signed with k if given;
 * malloc'd, exact length in *len. */
uint8_t *tk_build(const mbpf_manifest_t *m, const char *script, const tk_key_t *k, size_t *len);
/* The same with bytecode[0..bytecode_len). */
uint8_t *tk_build_bin(const mbpf_manifest_t *m, const void *bytecode, size_t bytecode_len,
                      const tk_key_t *k, size_t *len);

/* Default config for tests: the platform above, deferral off. */
void tk_config(mbpf_runtime_config_t *cfg, const mbpf_platform_t *pf);

/* Loads a package built from (name, hook type, script); fails the test on
 * error. */
mbpf_program_t *tk_load(mbpf_runtime_t *rt, const char *name, uint32_t hook_type,
                        const char *script);

#endif
