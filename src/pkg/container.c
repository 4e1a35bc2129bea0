/*
 * Reader and writer of the .mbpf container (spec §12.2, layout decisions in
 * container.h).
 *
 * The one idea: the reader trusts nothing in the buffer. Fields are read
 * byte by byte (no unaligned loads, any host endianness), every offset is
 * compared with the buffer length before any length is compared with what is
 * left after it, so no sum of two untrusted values is ever formed unchecked.
 * Checks run in phases (header, table bounds, duplicates, overlaps, SIG,
 * flags) so that each malformed input gets the error of its first problem
 * and a message naming the section, field and value involved.
 */
#include "container.h"

#include <string.h>

#include "crc32.h"

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] | (unsigned)p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static int is_known(uint32_t type)
{
    return type >= MBPF_SEC_MANIFEST && type <= MBPF_SEC_SIG;
}

/* End of a section already known to lie inside the buffer; 64-bit so that
 * the sum cannot wrap even where size_t is 32 bits. */
static uint64_t end_of(const mbpf_section_t *s)
{
    return (uint64_t)s->offset + s->length;
}

static int parse_header(const uint8_t *p, size_t len, mbpf_container_t *c, mbpf_diag_t *diag)
{
    if (len < MBPF_PKG_HEADER_FIXED_SIZE) {
        mbpf_diag_set(diag, "container: file size %zu below the fixed header size %u", len,
                      MBPF_PKG_HEADER_FIXED_SIZE);
        return MBPF_PKG_E_TRUNCATED;
    }
    uint32_t magic = rd32(p);
    if (magic != MBPF_PKG_MAGIC) {
        mbpf_diag_set(diag, "container: magic 0x%x is not 0x%x", (unsigned)magic, MBPF_PKG_MAGIC);
        return MBPF_PKG_E_MAGIC;
    }
    c->format_version = rd16(p + 4);
    if (c->format_version != MBPF_PKG_FORMAT_VERSION) {
        mbpf_diag_set(diag, "container: format_version %u not supported (supported: %u)",
                      (unsigned)c->format_version, (unsigned)MBPF_PKG_FORMAT_VERSION);
        return MBPF_PKG_E_FORMAT_VERSION;
    }
    c->header_size = rd16(p + 6);
    c->flags = rd32(p + 8);
    c->section_count = rd32(p + 12);
    c->file_crc32 = rd32(p + MBPF_PKG_FILE_CRC_OFFSET);
    if (c->section_count == 0 || c->section_count > MBPF_PKG_MAX_SECTIONS) {
        mbpf_diag_set(diag, "container: section_count %u outside 1..%u", (unsigned)c->section_count,
                      MBPF_PKG_MAX_SECTIONS);
        return MBPF_PKG_E_SECTION_COUNT;
    }
    /* Cannot overflow: section_count <= MBPF_PKG_MAX_SECTIONS. */
    uint32_t want = MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * c->section_count;
    if (c->header_size != want) {
        mbpf_diag_set(diag,
                      "container: header_size %u does not match %u + %u * section_count %u = %u",
                      (unsigned)c->header_size, MBPF_PKG_HEADER_FIXED_SIZE,
                      MBPF_PKG_SECTION_DESC_SIZE, (unsigned)c->section_count, (unsigned)want);
        return MBPF_PKG_E_HEADER_SIZE;
    }
    if (len < c->header_size) {
        mbpf_diag_set(diag,
                      "container: file size %zu ends inside the section table (header_size %u)",
                      len, (unsigned)c->header_size);
        return MBPF_PKG_E_TRUNCATED;
    }
    if (c->flags & ~MBPF_PKG_F_ALL) {
        mbpf_diag_set(diag, "container: flags 0x%x has unknown bits 0x%x", (unsigned)c->flags,
                      (unsigned)(c->flags & ~MBPF_PKG_F_ALL));
        return MBPF_PKG_E_FLAGS;
    }
    for (uint32_t i = 0; i < c->section_count; i++) {
        const uint8_t *d = p + MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * i;
        c->sections[i].type = rd32(d);
        c->sections[i].offset = rd32(d + 4);
        c->sections[i].length = rd32(d + 8);
        c->sections[i].crc32 = rd32(d + 12);
    }
    return MBPF_PKG_OK;
}

static int check_bounds(const mbpf_container_t *c, mbpf_diag_t *diag)
{
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (s->offset < c->header_size) {
            mbpf_diag_set(diag,
                          "container: section %u (type %u): offset %u lies inside the header and "
                          "section table (header_size %u)",
                          (unsigned)i, (unsigned)s->type, (unsigned)s->offset,
                          (unsigned)c->header_size);
            return MBPF_PKG_E_SECTION_BOUNDS;
        }
        if (s->offset > c->len || s->length > c->len - s->offset) {
            mbpf_diag_set(
                diag,
                "container: section %u (type %u): offset %u + length %u exceeds file size %zu",
                (unsigned)i, (unsigned)s->type, (unsigned)s->offset, (unsigned)s->length, c->len);
            return MBPF_PKG_E_SECTION_BOUNDS;
        }
    }
    return MBPF_PKG_OK;
}

static int check_duplicates(const mbpf_container_t *c, mbpf_diag_t *diag)
{
    for (uint32_t i = 0; i < c->section_count; i++) {
        if (!is_known(c->sections[i].type)) continue;
        for (uint32_t j = 0; j < i; j++) {
            if (c->sections[j].type == c->sections[i].type) {
                mbpf_diag_set(diag, "container: section %u (type %u): duplicate of section %u",
                              (unsigned)i, (unsigned)c->sections[i].type, (unsigned)j);
                return MBPF_PKG_E_SECTION_DUPLICATE;
            }
        }
    }
    return MBPF_PKG_OK;
}

/* Sections overlap when they share a byte; empty sections share none. */
static int check_overlaps(const mbpf_container_t *c, mbpf_diag_t *diag)
{
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *a = &c->sections[i];
        if (a->length == 0) continue;
        for (uint32_t j = 0; j < i; j++) {
            const mbpf_section_t *b = &c->sections[j];
            if (b->length == 0) continue;
            if (a->offset < end_of(b) && b->offset < end_of(a)) {
                mbpf_diag_set(diag,
                              "container: section %u (type %u): offset %u + length %u overlaps "
                              "section %u (type %u): offset %u + length %u",
                              (unsigned)i, (unsigned)a->type, (unsigned)a->offset,
                              (unsigned)a->length, (unsigned)j, (unsigned)b->type,
                              (unsigned)b->offset, (unsigned)b->length);
                return MBPF_PKG_E_SECTION_OVERLAP;
            }
        }
    }
    return MBPF_PKG_OK;
}

/* SIG must be last in the table and in the file, so that the signed region
 * [0, sig.offset) holds the header, the whole table and every other section. */
static int check_sig(const mbpf_container_t *c, mbpf_diag_t *diag)
{
    const mbpf_section_t *sig = mbpf_container_find(c, MBPF_SEC_SIG);
    if (!sig) return MBPF_PKG_OK;
    uint32_t idx = (uint32_t)(sig - c->sections);
    if (idx != c->section_count - 1) {
        mbpf_diag_set(diag,
                      "container: section %u (type %u): SIG must be the last section "
                      "(section_count %u)",
                      (unsigned)idx, (unsigned)sig->type, (unsigned)c->section_count);
        return MBPF_PKG_E_SIG_PLACEMENT;
    }
    if (sig->length != MBPF_PKG_SIG_SIZE) {
        mbpf_diag_set(diag, "container: section %u (type %u): SIG length %u is not %u",
                      (unsigned)idx, (unsigned)sig->type, (unsigned)sig->length, MBPF_PKG_SIG_SIZE);
        return MBPF_PKG_E_SIG_PLACEMENT;
    }
    if (c->len - sig->offset != sig->length) {
        mbpf_diag_set(diag,
                      "container: section %u (type %u): SIG ends at %llu, not at file size %zu",
                      (unsigned)idx, (unsigned)sig->type, (unsigned long long)end_of(sig), c->len);
        return MBPF_PKG_E_SIG_PLACEMENT;
    }
    if (sig->crc32 != 0) {
        mbpf_diag_set(diag, "container: section %u (type %u): SIG crc32 0x%x is not 0",
                      (unsigned)idx, (unsigned)sig->type, (unsigned)sig->crc32);
        return MBPF_PKG_E_SIG_PLACEMENT;
    }
    /* Only an empty section can get here past the SIG offset, but it too
     * would sit outside the signed bytes. */
    for (uint32_t i = 0; i < idx; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (end_of(s) > sig->offset) {
            mbpf_diag_set(diag,
                          "container: section %u (type %u): offset %u + length %u extends past "
                          "SIG offset %u",
                          (unsigned)i, (unsigned)s->type, (unsigned)s->offset, (unsigned)s->length,
                          (unsigned)sig->offset);
            return MBPF_PKG_E_SIG_PLACEMENT;
        }
    }
    return MBPF_PKG_OK;
}

static int check_flags(const mbpf_container_t *c, mbpf_diag_t *diag)
{
    int has_sig = mbpf_container_find(c, MBPF_SEC_SIG) != NULL;
    int has_debug = mbpf_container_find(c, MBPF_SEC_DEBUG) != NULL;
    if ((c->flags & MBPF_PKG_F_SIGNED) && !has_sig) {
        mbpf_diag_set(diag, "container: flags 0x%x has SIGNED but there is no SIG section",
                      (unsigned)c->flags);
        return MBPF_PKG_E_FLAGS;
    }
    if (!(c->flags & MBPF_PKG_F_SIGNED) && has_sig) {
        mbpf_diag_set(diag, "container: flags 0x%x lack SIGNED but there is a SIG section",
                      (unsigned)c->flags);
        return MBPF_PKG_E_FLAGS;
    }
    if ((c->flags & MBPF_PKG_F_DEBUG) && !has_debug) {
        mbpf_diag_set(diag, "container: flags 0x%x has DEBUG but there is no DEBUG section",
                      (unsigned)c->flags);
        return MBPF_PKG_E_FLAGS;
    }
    if (!(c->flags & MBPF_PKG_F_DEBUG) && has_debug) {
        mbpf_diag_set(diag, "container: flags 0x%x lack DEBUG but there is a DEBUG section",
                      (unsigned)c->flags);
        return MBPF_PKG_E_FLAGS;
    }
    return MBPF_PKG_OK;
}

static int parse(const uint8_t *p, size_t len, mbpf_container_t *c, mbpf_diag_t *diag)
{
    c->base = p;
    c->len = len;
    int rc = parse_header(p, len, c, diag);
    if (rc == 0) rc = check_bounds(c, diag);
    if (rc == 0) rc = check_duplicates(c, diag);
    if (rc == 0) rc = check_overlaps(c, diag);
    if (rc == 0) rc = check_sig(c, diag);
    if (rc == 0) rc = check_flags(c, diag);
    return rc;
}

int mbpf_container_parse(const void *buf, size_t len, mbpf_container_t *out, mbpf_diag_t *diag)
{
    if (!out || (!buf && len > 0)) {
        mbpf_diag_set(diag, "container: parse given a NULL %s", out ? "buffer" : "output");
        return MBPF_PKG_E_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    int rc = parse(buf, len, out, diag);
    if (rc != 0) memset(out, 0, sizeof *out);
    return rc;
}

int mbpf_container_check_crcs(const mbpf_container_t *c, mbpf_diag_t *diag)
{
    if (!c || !c->base || c->len < c->header_size || c->header_size < MBPF_PKG_HEADER_FIXED_SIZE) {
        mbpf_diag_set(diag, "container: CRC check given no parsed container");
        return MBPF_PKG_E_INVALID_ARG;
    }
    for (uint32_t i = 0; i < c->section_count && i < MBPF_PKG_MAX_SECTIONS; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (s->crc32 == 0) continue;
        uint32_t got = mbpf_crc32(0, mbpf_container_data(c, s), s->length);
        if (got != s->crc32) {
            mbpf_diag_set(diag,
                          "container: section %u (type %u): crc32 0x%x does not match computed "
                          "0x%x",
                          (unsigned)i, (unsigned)s->type, (unsigned)s->crc32, (unsigned)got);
            return MBPF_PKG_E_SECTION_CRC;
        }
    }
    if (c->file_crc32 == 0) return MBPF_PKG_OK;
    size_t end = c->len;
    const mbpf_section_t *sig = mbpf_container_find(c, MBPF_SEC_SIG);
    if (sig && (c->flags & MBPF_PKG_F_SIGNED)) end = sig->offset;
    static const uint8_t zero[4];
    const size_t after = MBPF_PKG_FILE_CRC_OFFSET + sizeof zero;
    uint32_t got = mbpf_crc32(0, c->base, MBPF_PKG_FILE_CRC_OFFSET);
    got = mbpf_crc32(got, zero, sizeof zero);
    got = mbpf_crc32(got, c->base + after, end - after);
    if (got != c->file_crc32) {
        mbpf_diag_set(diag,
                      "container: file_crc32 0x%x does not match computed 0x%x over bytes [0, "
                      "%zu)",
                      (unsigned)c->file_crc32, (unsigned)got, end);
        return MBPF_PKG_E_FILE_CRC;
    }
    return MBPF_PKG_OK;
}

const mbpf_section_t *mbpf_container_find(const mbpf_container_t *c, uint32_t type)
{
    if (!c) return NULL;
    for (uint32_t i = 0; i < c->section_count && i < MBPF_PKG_MAX_SECTIONS; i++) {
        if (c->sections[i].type == type) return &c->sections[i];
    }
    return NULL;
}

const uint8_t *mbpf_container_data(const mbpf_container_t *c, const mbpf_section_t *s)
{
    return c->base + s->offset;
}

int mbpf_container_sign_region(const mbpf_container_t *c, const uint8_t **msg, size_t *msg_len,
                               const uint8_t **sig)
{
    if (!c || !msg || !msg_len || !sig) return MBPF_PKG_E_INVALID_ARG;
    const mbpf_section_t *s = mbpf_container_find(c, MBPF_SEC_SIG);
    if (!(c->flags & MBPF_PKG_F_SIGNED) || !s) return MBPF_PKG_E_SIG_REQUIRED;
    *msg = c->base;
    *msg_len = s->offset;
    *sig = mbpf_container_data(c, s);
    return MBPF_PKG_OK;
}

/* Where the writer puts everything; computed once, shared by size and write
 * so the two cannot disagree. */
typedef struct layout {
    uint32_t total; /* sections in the table, SIG included */
    uint32_t offsets[MBPF_PKG_MAX_SECTIONS];
    uint32_t sig_offset;
    size_t size;
} layout_t;

static uint64_t align_up(uint64_t v)
{
    return (v + (MBPF_PKG_SECTION_ALIGN - 1)) & ~(uint64_t)(MBPF_PKG_SECTION_ALIGN - 1);
}

static int plan(const mbpf_section_in_t *secs, uint32_t count, int with_sig, layout_t *l,
                mbpf_diag_t *diag)
{
    uint32_t sig_slots = with_sig ? 1u : 0u;
    if (count > 0 && !secs) {
        mbpf_diag_set(diag, "container: %u sections given as NULL", (unsigned)count);
        return MBPF_PKG_E_INVALID_ARG;
    }
    if (count > MBPF_PKG_MAX_SECTIONS - sig_slots) {
        mbpf_diag_set(diag, "container: %u sections%s exceed the maximum of %u", (unsigned)count,
                      with_sig ? " plus SIG" : "", MBPF_PKG_MAX_SECTIONS);
        return MBPF_PKG_E_INVALID_ARG;
    }
    l->total = count + sig_slots;
    if (l->total == 0) {
        mbpf_diag_set(diag, "container: a package needs at least one section");
        return MBPF_PKG_E_INVALID_ARG;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (secs[i].type == MBPF_SEC_SIG) {
            mbpf_diag_set(diag,
                          "container: section %u (type %u): SIG is appended by the writer "
                          "(with_sig), not given",
                          (unsigned)i, (unsigned)secs[i].type);
            return MBPF_PKG_E_INVALID_ARG;
        }
        if (secs[i].length > 0 && !secs[i].data) {
            mbpf_diag_set(diag, "container: section %u (type %u): NULL data for length %u",
                          (unsigned)i, (unsigned)secs[i].type, (unsigned)secs[i].length);
            return MBPF_PKG_E_INVALID_ARG;
        }
        if (!is_known(secs[i].type)) continue;
        for (uint32_t j = 0; j < i; j++) {
            if (secs[j].type == secs[i].type) {
                mbpf_diag_set(diag, "container: section %u (type %u): duplicate of section %u",
                              (unsigned)i, (unsigned)secs[i].type, (unsigned)j);
                return MBPF_PKG_E_INVALID_ARG;
            }
        }
    }
    /* At most 16 u32 lengths: the 64-bit sum cannot wrap. */
    uint64_t off = MBPF_PKG_HEADER_FIXED_SIZE + (uint64_t)MBPF_PKG_SECTION_DESC_SIZE * l->total;
    uint64_t offsets[MBPF_PKG_MAX_SECTIONS];
    for (uint32_t i = 0; i < count; i++) {
        off = align_up(off);
        offsets[i] = off;
        off += secs[i].length;
    }
    uint64_t sig_off = 0;
    if (with_sig) {
        off = align_up(off);
        sig_off = off;
        off += MBPF_PKG_SIG_SIZE;
    }
    if (off > UINT32_MAX || (uint64_t)(size_t)off != off) {
        mbpf_diag_set(diag, "container: package size %llu exceeds the format limit %u",
                      (unsigned long long)off, (unsigned)UINT32_MAX);
        return MBPF_PKG_E_INVALID_ARG;
    }
    for (uint32_t i = 0; i < count; i++) l->offsets[i] = (uint32_t)offsets[i];
    l->sig_offset = (uint32_t)sig_off;
    l->size = (size_t)off;
    return MBPF_PKG_OK;
}

int mbpf_container_size(const mbpf_section_in_t *secs, uint32_t count, int with_sig,
                        size_t *out_size)
{
    layout_t l;
    if (!out_size) return MBPF_PKG_E_INVALID_ARG;
    int rc = plan(secs, count, with_sig, &l, NULL);
    if (rc != 0) return rc;
    *out_size = l.size;
    return MBPF_PKG_OK;
}

int mbpf_container_write(const mbpf_section_in_t *secs, uint32_t count, int with_sig, uint8_t *out,
                         size_t cap, size_t *out_len, mbpf_diag_t *diag)
{
    layout_t l;
    if (!out_len) {
        mbpf_diag_set(diag, "container: write given a NULL out_len");
        return MBPF_PKG_E_INVALID_ARG;
    }
    *out_len = 0;
    int rc = plan(secs, count, with_sig, &l, diag);
    if (rc != 0) return rc;
    *out_len = l.size;
    if (!out && cap > 0) {
        mbpf_diag_set(diag, "container: write given a NULL output of capacity %zu", cap);
        return MBPF_PKG_E_INVALID_ARG;
    }
    if (cap < l.size) {
        mbpf_diag_set(diag, "container: output capacity %zu below package size %zu", cap, l.size);
        return MBPF_PKG_E_NOSPACE;
    }

    uint32_t flags = with_sig ? MBPF_PKG_F_SIGNED : 0;
    for (uint32_t i = 0; i < count; i++) {
        if (secs[i].type == MBPF_SEC_DEBUG) flags |= MBPF_PKG_F_DEBUG;
    }
    uint16_t header_size =
        (uint16_t)(MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * l.total);

    memset(out, 0, l.size);
    wr32(out, MBPF_PKG_MAGIC);
    wr16(out + 4, MBPF_PKG_FORMAT_VERSION);
    wr16(out + 6, header_size);
    wr32(out + 8, flags);
    wr32(out + 12, l.total);
    for (uint32_t i = 0; i < l.total; i++) {
        uint8_t *d = out + MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * i;
        if (i == count) { /* the SIG slot */
            wr32(d, MBPF_SEC_SIG);
            wr32(d + 4, l.sig_offset);
            wr32(d + 8, MBPF_PKG_SIG_SIZE);
            continue; /* crc32 stays 0: the signature is filled in later */
        }
        wr32(d, secs[i].type);
        wr32(d + 4, l.offsets[i]);
        wr32(d + 8, secs[i].length);
        wr32(d + 12, mbpf_crc32(0, secs[i].data, secs[i].length));
        if (secs[i].length > 0) memcpy(out + l.offsets[i], secs[i].data, secs[i].length);
    }
    /* The file_crc32 field is still zero, as the CRC definition requires. */
    size_t end = with_sig ? l.sig_offset : l.size;
    wr32(out + MBPF_PKG_FILE_CRC_OFFSET, mbpf_crc32(0, out, end));
    return MBPF_PKG_OK;
}
