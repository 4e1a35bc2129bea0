/*
 * Ed25519 key files for the host tools (docs/PACKAGE_FORMAT.md, "Key
 * files"). Keys are written in a one-line text form,
 *
 *   mbpf-ed25519-secret-v1 <64 hex digits: the 32-byte seed>\n   (mode 0600)
 *   mbpf-ed25519-public-v1 <64 hex digits: the 32-byte public key>\n
 *
 * and read in that form or raw: 32 bytes (a public key, or a secret seed),
 * or 64 bytes for a secret key in libsodium's seed||public layout. Parse
 * errors name the file and what was wrong, ready for "mbpf: CMD: ".
 */
#ifndef MBPF_TOOL_KEYFILE_H
#define MBPF_TOOL_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#define MBPF_KEY_SECRET_TAG "mbpf-ed25519-secret-v1"
#define MBPF_KEY_PUBLIC_TAG "mbpf-ed25519-public-v1"
/* Length of a formatted key file: tag, space, 64 hex digits, newline. */
#define MBPF_KEY_TEXT_LEN (sizeof MBPF_KEY_PUBLIC_TAG + 64 + 1)

typedef struct mbpf_tool_secret_key {
    uint8_t seed[32];
    uint8_t pub[32];
    uint8_t sk[64]; /* libsodium's expanded form: seed || pub */
} mbpf_tool_secret_key_t;

/* New random key pair. Returns 0, or -1 if libsodium cannot initialise. */
int mbpf_tool_keygen(mbpf_tool_secret_key_t *k);

/* Key pair from a 32-byte seed. Returns 0 or -1 (libsodium init). */
int mbpf_tool_key_from_seed(const uint8_t seed[32], mbpf_tool_secret_key_t *k);

/* Writes the text form of the secret (seed) or public key into out, which
 * must hold MBPF_KEY_TEXT_LEN + 1 bytes; returns the length (no NUL). */
size_t mbpf_tool_key_format_secret(const mbpf_tool_secret_key_t *k, char *out);
size_t mbpf_tool_key_format_public(const uint8_t pub[32], char *out);

/* Parses key file contents; name is used in messages. Return 0 or -1. */
int mbpf_tool_key_parse_public(const uint8_t *data, size_t len, const char *name, uint8_t pub[32],
                               char *err, size_t errcap);
int mbpf_tool_key_parse_secret(const uint8_t *data, size_t len, const char *name,
                               mbpf_tool_secret_key_t *k, char *err, size_t errcap);

/* Reads and parses a key file. Return 0 or -1. */
int mbpf_tool_key_load_public(const char *path, uint8_t pub[32], char *err, size_t errcap);
int mbpf_tool_key_load_secret(const char *path, mbpf_tool_secret_key_t *k, char *err,
                              size_t errcap);

/* Detached Ed25519 signature of msg[0..len). Returns 0 or -1. */
int mbpf_tool_sign(const mbpf_tool_secret_key_t *k, const uint8_t *msg, size_t len,
                   uint8_t sig[64]);

#endif
