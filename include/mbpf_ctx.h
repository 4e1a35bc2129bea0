/*
 * Hook context structures (spec §9), version 1.
 *
 * A hook provider fills one of these and passes it to mbpf_run as ctx_blob;
 * the runtime never serialises it. Every struct starts with abi_version, which
 * the runtime checks against the program's manifest (hook_ctx_abi_version)
 * together with ctx_len, before the program runs. Programs see the scalars
 * as read-only properties of `ctx` and the bytes through bounded reads
 * (ctx.readU8/readU16LE/readU32LE/readBytes...), never as pointers.
 *
 * Byte access: when data is non-NULL, reads come from data[0..data_len);
 * otherwise, when read_fn is non-NULL, through read_fn (which may return
 * fewer bytes than asked: short reads are honoured); otherwise every read
 * fails. data_len is authoritative for bounds; pkt_len may exceed it.
 */
#ifndef MBPF_CTX_H
#define MBPF_CTX_H

#include <stdint.h>

#define MBPF_CTX_ABI_V1 1u

/* Copies up to len bytes starting at off into dst. Returns the number of
 * bytes copied (0..len) or a negative value on error. */
typedef int (*mbpf_read_bytes_fn)(const void *ctx_blob, uint32_t off, uint32_t len, uint8_t *dst);

/* flags: the context bytes were truncated (deferred execution snapshot). */
#define MBPF_CTX_F_TRUNCATED (1u << 0)

/* Verdicts of decision hooks. */
#define MBPF_NET_PASS  0
#define MBPF_NET_DROP  1
#define MBPF_NET_ABORT 2
#define MBPF_SEC_ALLOW 0
#define MBPF_SEC_DENY  1

/* MBPF_HOOK_NET_RX and MBPF_HOOK_NET_TX. */
typedef struct mbpf_ctx_net_v1 {
    uint32_t abi_version; /* = MBPF_CTX_ABI_V1 */
    uint32_t ifindex;
    uint32_t pkt_len;  /* original packet length */
    uint32_t data_len; /* bytes readable via data/read_fn */
    uint16_t l2_proto; /* EtherType when known, else 0 */
    uint16_t flags;    /* MBPF_CTX_F_* */
    const uint8_t *data;
    mbpf_read_bytes_fn read_fn;
} mbpf_ctx_net_v1_t;
typedef mbpf_ctx_net_v1_t mbpf_ctx_net_rx_v1_t;
typedef mbpf_ctx_net_v1_t mbpf_ctx_net_tx_v1_t;

/* MBPF_HOOK_TRACEPOINT. */
typedef struct mbpf_ctx_tracepoint_v1 {
    uint32_t abi_version;
    uint32_t tracepoint_id;
    uint64_t timestamp_ns;
    uint32_t cpu;
    uint32_t pid; /* task id */
    uint32_t data_len;
    uint32_t flags;
    const uint8_t *data;
    mbpf_read_bytes_fn read_fn;
} mbpf_ctx_tracepoint_v1_t;

/* MBPF_HOOK_TIMER. */
typedef struct mbpf_ctx_timer_v1 {
    uint32_t abi_version;
    uint32_t timer_id;
    uint32_t period_us;
    uint32_t flags;
    uint64_t expiry_count; /* expirations so far, including this one */
    uint64_t now_ns;
} mbpf_ctx_timer_v1_t;

/* MBPF_HOOK_SECURITY: return MBPF_SEC_ALLOW or MBPF_SEC_DENY. */
typedef struct mbpf_ctx_security_v1 {
    uint32_t abi_version;
    uint32_t subject_id;
    uint32_t object_id;
    uint32_t action;
    uint32_t flags;
    uint32_t data_len;
    const uint8_t *data;
    mbpf_read_bytes_fn read_fn;
} mbpf_ctx_security_v1_t;

/* A named scalar of a CUSTOM context. */
typedef struct mbpf_ctx_field {
    const char *name; /* a JS identifier, NUL-terminated */
    uint64_t value;
} mbpf_ctx_field_t;

#define MBPF_CTX_CUSTOM_MAX_FIELDS 16

/* MBPF_HOOK_CUSTOM: platform-defined, versioned by schema_version. */
typedef struct mbpf_ctx_custom_v1 {
    uint32_t abi_version;
    uint32_t custom_id;
    uint32_t schema_version;
    uint32_t field_count; /* <= MBPF_CTX_CUSTOM_MAX_FIELDS */
    const mbpf_ctx_field_t *fields;
    uint32_t data_len;
    uint32_t flags;
    const uint8_t *data;
    mbpf_read_bytes_fn read_fn;
} mbpf_ctx_custom_v1_t;

#endif
