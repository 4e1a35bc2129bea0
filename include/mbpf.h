/*
 * microBPF embedding API.
 *
 * This header is the contract between microBPF and the kernel that embeds
 * it. It currently holds the identifiers shared by packages, the loader and
 * the tools (hook types, capabilities, map types, API version); the runtime
 * API of spec §13 (mbpf_runtime_init, mbpf_program_load, mbpf_run, ...)
 * joins it with the runtime.
 */
#ifndef MBPF_H
#define MBPF_H

#include <stdint.h>

/* Helper API version implemented by this runtime: major << 16 | minor. */
#define MBPF_API_VERSION_MAJOR 1
#define MBPF_API_VERSION_MINOR 0
#define MBPF_API_VERSION       ((uint32_t)MBPF_API_VERSION_MAJOR << 16 | MBPF_API_VERSION_MINOR)

/* Hook types (manifest "hook_type"; spec §9.1). */
typedef enum mbpf_hook_type {
    MBPF_HOOK_TRACEPOINT = 1,
    MBPF_HOOK_TIMER = 2,
    MBPF_HOOK_NET_RX = 3,
    MBPF_HOOK_NET_TX = 4,
    MBPF_HOOK_SECURITY = 5,
    MBPF_HOOK_CUSTOM = 6,
} mbpf_hook_type_t;
#define MBPF_HOOK_TYPE_MAX 6

/* Capabilities (manifest "capabilities"; spec §11.4), as a bit set. */
typedef enum mbpf_capability {
    MBPF_CAP_LOG = 1u << 0,
    MBPF_CAP_MAP_READ = 1u << 1,
    MBPF_CAP_MAP_WRITE = 1u << 2,
    MBPF_CAP_MAP_ITERATE = 1u << 3,
    MBPF_CAP_EMIT = 1u << 4,
    MBPF_CAP_TIME = 1u << 5,
    MBPF_CAP_STATS = 1u << 6,
} mbpf_capability_t;
#define MBPF_CAP_ALL 0x7Fu

/* Map types (manifest "maps[].type"; spec §10.1). */
typedef enum mbpf_map_type {
    MBPF_MAP_ARRAY = 1,
    MBPF_MAP_HASH = 2,
    MBPF_MAP_LRU_HASH = 3,
    MBPF_MAP_PERCPU_ARRAY = 4,
    MBPF_MAP_PERCPU_HASH = 5,
    MBPF_MAP_COUNTER = 6,
    MBPF_MAP_RINGBUF = 7,
    MBPF_MAP_LPM_TRIE = 8,
} mbpf_map_type_t;
#define MBPF_MAP_TYPE_MAX 8

/* Map definition flags (manifest "maps[].flags"). */
#define MBPF_MAP_F_NO_PREALLOC 0x1u
#define MBPF_MAP_F_ALL         0x1u

#endif
