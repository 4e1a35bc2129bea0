/*
 * Key files: generation and signing through libsodium, and a strict parser
 * for the text and raw forms. The parser's job is mostly to say precisely
 * what is wrong with a key file a person has edited, copied or mixed up.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyfile.h"
#include "tool_io.h"

#define TAG_PREFIX "mbpf-ed25519-"

static int sodium_ready(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

int mbpf_tool_key_from_seed(const uint8_t seed[32], mbpf_tool_secret_key_t *k)
{
    if (sodium_ready() != 0) return -1;
    memcpy(k->seed, seed, 32);
    crypto_sign_seed_keypair(k->pub, k->sk, k->seed);
    return 0;
}

int mbpf_tool_keygen(mbpf_tool_secret_key_t *k)
{
    if (sodium_ready() != 0) return -1;
    uint8_t seed[32];
    randombytes_buf(seed, sizeof seed);
    int rc = mbpf_tool_key_from_seed(seed, k);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int mbpf_tool_sign(const mbpf_tool_secret_key_t *k, const uint8_t *msg, size_t len, uint8_t sig[64])
{
    if (sodium_ready() != 0) return -1;
    return crypto_sign_detached(sig, NULL, msg, len, k->sk) == 0 ? 0 : -1;
}

static size_t format_key(const char *tag, const uint8_t key[32], char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(tag);
    memcpy(out, tag, n);
    out[n++] = ' ';
    for (int i = 0; i < 32; i++) {
        out[n++] = hex[key[i] >> 4];
        out[n++] = hex[key[i] & 15];
    }
    out[n++] = '\n';
    out[n] = 0;
    return n;
}

size_t mbpf_tool_key_format_secret(const mbpf_tool_secret_key_t *k, char *out)
{
    return format_key(MBPF_KEY_SECRET_TAG, k->seed, out);
}

size_t mbpf_tool_key_format_public(const uint8_t pub[32], char *out)
{
    return format_key(MBPF_KEY_PUBLIC_TAG, pub, out);
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Quotes one byte for a message: the character itself or \xNN. */
static void show_byte(uint8_t c, char out[8])
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(out, 8, "%c", c);
    else
        snprintf(out, 8, "\\x%02x", c);
}

/* Parses "TAG <64 hex>" (want names the expected tag, other the opposite
 * kind's tag) into key[32]. */
static int parse_text(const uint8_t *data, size_t len, const char *name, const char *want,
                      const char *other, const char *other_hint, uint8_t key[32], char *err,
                      size_t errcap)
{
    size_t i = 0;
    while (i < len && !is_space(data[i])) i++;
    size_t taglen = i;
    if (taglen == strlen(other) && memcmp(data, other, taglen) == 0) {
        mbpf_tool_err(err, errcap, "%s: this is a %s", name, other_hint);
        return -1;
    }
    if (taglen != strlen(want) || memcmp(data, want, taglen) != 0) {
        char tag[48];
        size_t t = 0;
        for (size_t j = 0; j < taglen && t + 5 < sizeof tag; j++) {
            char b[8];
            show_byte(data[j], b);
            size_t bl = strlen(b);
            memcpy(tag + t, b, bl);
            t += bl;
        }
        tag[t] = 0;
        mbpf_tool_err(err, errcap, "%s: unknown key type '%s%s' (expected '%s')", name, tag,
                      t < taglen ? "..." : "", want);
        return -1;
    }
    while (i < len && (data[i] == ' ' || data[i] == '\t')) i++;
    size_t start = i;
    while (i < len && hexval(data[i]) >= 0) i++;
    size_t ndigits = i - start;
    if (i < len && !is_space(data[i])) {
        char b[8];
        show_byte(data[i], b);
        mbpf_tool_err(err, errcap,
                      "%s: invalid character '%s' at column %zu (expected a hex digit)", name, b,
                      i + 1);
        return -1;
    }
    if (ndigits != 64) {
        mbpf_tool_err(err, errcap, "%s: expected 64 hex digits after '%s', found %zu", name, want,
                      ndigits);
        return -1;
    }
    for (size_t j = i; j < len; j++) {
        if (!is_space(data[j])) {
            mbpf_tool_err(err, errcap, "%s: unexpected text after the key at byte %zu", name,
                          j + 1);
            return -1;
        }
    }
    for (int b = 0; b < 32; b++)
        key[b] = (uint8_t)(hexval(data[start + 2 * b]) << 4 | hexval(data[start + 2 * b + 1]));
    return 0;
}

static int is_text_key(const uint8_t *data, size_t len)
{
    return len >= sizeof TAG_PREFIX - 1 && memcmp(data, TAG_PREFIX, sizeof TAG_PREFIX - 1) == 0;
}

/* Printable ASCII and whitespace only: someone's text file. */
static int is_text(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space(data[i]) && (data[i] < 0x20 || data[i] >= 0x7f)) return 0;
    return 1;
}

static int all_hex(const uint8_t *data, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (hexval(data[i]) >= 0)
            n++;
        else if (!is_space(data[i]))
            return 0;
    }
    return n > 0;
}

int mbpf_tool_key_parse_public(const uint8_t *data, size_t len, const char *name, uint8_t pub[32],
                               char *err, size_t errcap)
{
    if (sodium_ready() != 0) {
        mbpf_tool_err(err, errcap, "%s: cannot initialise libsodium", name);
        return -1;
    }
    if (is_text_key(data, len)) {
        if (parse_text(data, len, name, MBPF_KEY_PUBLIC_TAG, MBPF_KEY_SECRET_TAG,
                       "secret key (" MBPF_KEY_SECRET_TAG "); a public key is expected here "
                       "(the .pub file)",
                       pub, err, errcap) != 0)
            return -1;
    } else if (len == 32) {
        memcpy(pub, data, 32);
    } else if (len == 0) {
        mbpf_tool_err(err, errcap, "%s: empty file; expected '%s <64 hex digits>'", name,
                      MBPF_KEY_PUBLIC_TAG);
        return -1;
    } else if (all_hex(data, len)) {
        mbpf_tool_err(err, errcap, "%s: bare hex without the '%s' tag", name, MBPF_KEY_PUBLIC_TAG);
        return -1;
    } else if (len == 64) {
        mbpf_tool_err(err, errcap,
                      "%s: 64 raw bytes look like a secret key; a public key is expected here "
                      "(32 raw bytes or '%s <64 hex digits>')",
                      name, MBPF_KEY_PUBLIC_TAG);
        return -1;
    } else if (is_text(data, len)) {
        /* Reports the unknown key type. */
        parse_text(data, len, name, MBPF_KEY_PUBLIC_TAG, MBPF_KEY_SECRET_TAG, "", pub, err, errcap);
        return -1;
    } else {
        mbpf_tool_err(err, errcap,
                      "%s: not a public key file (%zu bytes; expected '%s <64 hex digits>' or 32 "
                      "raw bytes)",
                      name, len, MBPF_KEY_PUBLIC_TAG);
        return -1;
    }
    if (!crypto_core_ed25519_is_valid_point(pub)) {
        mbpf_tool_err(err, errcap, "%s: not a valid Ed25519 public key (not a curve point)", name);
        return -1;
    }
    return 0;
}

int mbpf_tool_key_parse_secret(const uint8_t *data, size_t len, const char *name,
                               mbpf_tool_secret_key_t *k, char *err, size_t errcap)
{
    uint8_t seed[32];
    int rc = -1;
    if (sodium_ready() != 0) {
        mbpf_tool_err(err, errcap, "%s: cannot initialise libsodium", name);
        return -1;
    }
    if (is_text_key(data, len)) {
        if (parse_text(data, len, name, MBPF_KEY_SECRET_TAG, MBPF_KEY_PUBLIC_TAG,
                       "public key (" MBPF_KEY_PUBLIC_TAG "); signing needs the secret key "
                       "(the .key file)",
                       seed, err, errcap) != 0)
            goto out;
        rc = mbpf_tool_key_from_seed(seed, k);
    } else if (len == 32) {
        rc = mbpf_tool_key_from_seed(data, k);
    } else if (len == 64 && !all_hex(data, len)) {
        rc = mbpf_tool_key_from_seed(data, k);
        if (rc == 0 && memcmp(k->pub, data + 32, 32) != 0) {
            mbpf_tool_err(err, errcap,
                          "%s: not an Ed25519 secret key (the public half of the 64 raw bytes "
                          "does not match the seed)",
                          name);
            sodium_memzero(k, sizeof *k);
            rc = -1;
            goto out;
        }
    } else if (len == 0) {
        mbpf_tool_err(err, errcap, "%s: empty file; expected '%s <64 hex digits>'", name,
                      MBPF_KEY_SECRET_TAG);
        goto out;
    } else if (all_hex(data, len)) {
        mbpf_tool_err(err, errcap, "%s: bare hex without the '%s' tag", name, MBPF_KEY_SECRET_TAG);
        goto out;
    } else if (is_text(data, len)) {
        /* Reports the unknown key type. */
        parse_text(data, len, name, MBPF_KEY_SECRET_TAG, MBPF_KEY_PUBLIC_TAG, "", seed, err,
                   errcap);
        goto out;
    } else {
        mbpf_tool_err(err, errcap,
                      "%s: not a secret key file (%zu bytes; expected '%s <64 hex digits>', 32 "
                      "raw bytes or 64 raw bytes)",
                      name, len, MBPF_KEY_SECRET_TAG);
        goto out;
    }
    if (rc != 0) mbpf_tool_err(err, errcap, "%s: cannot initialise libsodium", name);
out:
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int mbpf_tool_key_load_public(const char *path, uint8_t pub[32], char *err, size_t errcap)
{
    uint8_t *data;
    size_t len;
    if (mbpf_tool_read_file(path, &data, &len, err, errcap) != 0) return -1;
    int rc = mbpf_tool_key_parse_public(data, len, path, pub, err, errcap);
    free(data);
    return rc;
}

int mbpf_tool_key_load_secret(const char *path, mbpf_tool_secret_key_t *k, char *err, size_t errcap)
{
    uint8_t *data;
    size_t len;
    if (mbpf_tool_read_file(path, &data, &len, err, errcap) != 0) return -1;
    int rc = mbpf_tool_key_parse_secret(data, len, path, k, err, errcap);
    sodium_memzero(data, len);
    free(data);
    return rc;
}
