/*
 * Fuzz harness for the .mbpf container reader (and, through re-encoding,
 * the writer). Whatever the input, parse must return a known error with a
 * message, or a container whose every promise holds: sections inside the
 * buffer and after the table, no two sharing a byte, known types unique,
 * flags matching the sections, SIG last in table and file. On success the
 * CRC check is compared with a recomputation done here, and the sections
 * are written out again and re-parsed, which must reproduce them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "crc32.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

static int is_container_error(int rc)
{
    return rc <= MBPF_PKG_E_TRUNCATED && rc >= MBPF_PKG_E_SIG_PLACEMENT &&
           rc != MBPF_PKG_E_SECTION_MISSING && rc != MBPF_PKG_E_SECTION_CRC &&
           rc != MBPF_PKG_E_FILE_CRC;
}

static void check_diag(const mbpf_diag_t *d)
{
    CHECK(memchr(d->msg, '\0', sizeof d->msg) != NULL);
    CHECK(strncmp(d->msg, "container: ", 11) == 0);
}

static void check_structure(const uint8_t *data, size_t size, const mbpf_container_t *c)
{
    CHECK(c->base == data && c->len == size);
    CHECK(c->format_version == MBPF_PKG_FORMAT_VERSION);
    CHECK(c->section_count >= 1 && c->section_count <= MBPF_PKG_MAX_SECTIONS);
    CHECK(c->header_size ==
          MBPF_PKG_HEADER_FIXED_SIZE + MBPF_PKG_SECTION_DESC_SIZE * c->section_count);
    CHECK(c->header_size <= size);
    CHECK((c->flags & ~MBPF_PKG_F_ALL) == 0);

    const mbpf_section_t *sig = NULL, *debug = NULL;
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        CHECK(s->offset >= c->header_size);
        CHECK(s->offset <= size && s->length <= size - s->offset);
        CHECK(mbpf_container_data(c, s) == data + s->offset);
        for (uint32_t j = 0; j < i; j++) {
            const mbpf_section_t *t = &c->sections[j];
            int disjoint = s->length == 0 || t->length == 0 ||
                           (uint64_t)s->offset + s->length <= t->offset ||
                           (uint64_t)t->offset + t->length <= s->offset;
            CHECK(disjoint);
            if (s->type >= MBPF_SEC_MANIFEST && s->type <= MBPF_SEC_SIG) CHECK(s->type != t->type);
        }
        const mbpf_section_t *first = mbpf_container_find(c, s->type);
        CHECK(first != NULL && first <= s && first->type == s->type);
        if (s->type == MBPF_SEC_SIG) sig = s;
        if (s->type == MBPF_SEC_DEBUG) debug = s;
    }
    CHECK(!!(c->flags & MBPF_PKG_F_DEBUG) == (debug != NULL));
    CHECK(!!(c->flags & MBPF_PKG_F_SIGNED) == (sig != NULL));

    const uint8_t *msg = NULL, *sigbytes = NULL;
    size_t msg_len = 0;
    int rc = mbpf_container_sign_region(c, &msg, &msg_len, &sigbytes);
    if (!sig) {
        CHECK(rc == MBPF_PKG_E_SIG_REQUIRED);
        return;
    }
    CHECK(rc == 0);
    CHECK(sig == &c->sections[c->section_count - 1]);
    CHECK(sig->length == MBPF_PKG_SIG_SIZE && sig->crc32 == 0);
    CHECK((size_t)sig->offset + sig->length == size);
    CHECK(msg == data && msg_len == sig->offset && sigbytes == data + sig->offset);
    for (uint32_t i = 0; i + 1 < c->section_count; i++)
        CHECK((uint64_t)c->sections[i].offset + c->sections[i].length <= sig->offset);
}

/* What check_crcs must answer, computed the plain way. */
static int expected_crc_result(const uint8_t *data, size_t size, const mbpf_container_t *c)
{
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (s->crc32 != 0 && mbpf_crc32(0, data + s->offset, s->length) != s->crc32)
            return MBPF_PKG_E_SECTION_CRC;
    }
    if (c->file_crc32 == 0) return 0;
    const mbpf_section_t *sig = mbpf_container_find(c, MBPF_SEC_SIG);
    size_t end = sig ? sig->offset : size;
    uint8_t *copy = malloc(end);
    CHECK(copy != NULL);
    memcpy(copy, data, end);
    memset(copy + MBPF_PKG_FILE_CRC_OFFSET, 0, 4);
    uint32_t crc = mbpf_crc32(0, copy, end);
    free(copy);
    return crc == c->file_crc32 ? 0 : MBPF_PKG_E_FILE_CRC;
}

/* Writing the parsed sections again must give a container with the same
 * sections, valid CRCs and a size mbpf_container_size predicted. */
static void check_rewrite(const mbpf_container_t *c)
{
    mbpf_section_in_t in[MBPF_PKG_MAX_SECTIONS];
    uint32_t n = 0;
    int with_sig = 0;
    for (uint32_t i = 0; i < c->section_count; i++) {
        const mbpf_section_t *s = &c->sections[i];
        if (s->type == MBPF_SEC_SIG) {
            with_sig = 1;
            continue;
        }
        in[n++] = (mbpf_section_in_t){s->type, mbpf_container_data(c, s), s->length};
    }
    size_t size = 0, len = 0;
    CHECK(mbpf_container_size(in, n, with_sig, &size) == 0);
    uint8_t *out = malloc(size);
    CHECK(out != NULL);
    mbpf_diag_t d;
    CHECK(mbpf_container_write(in, n, with_sig, out, size, &len, &d) == 0);
    CHECK(len == size);

    mbpf_container_t again;
    CHECK(mbpf_container_parse(out, len, &again, &d) == 0);
    CHECK(mbpf_container_check_crcs(&again, &d) == 0);
    CHECK(again.section_count == c->section_count && again.flags == c->flags);
    for (uint32_t i = 0; i < n; i++) {
        const mbpf_section_t *s = &again.sections[i];
        CHECK(s->type == in[i].type && s->length == in[i].length);
        CHECK(s->offset % MBPF_PKG_SECTION_ALIGN == 0);
        CHECK(s->length == 0 || memcmp(mbpf_container_data(&again, s), in[i].data, s->length) == 0);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mbpf_container_t c;
    mbpf_diag_t d;
    memset(&d, 0, sizeof d);
    int rc = mbpf_container_parse(data, size, &c, &d);
    if (rc != 0) {
        CHECK(is_container_error(rc));
        check_diag(&d);
        CHECK(c.base == NULL && c.section_count == 0);
        return 0;
    }
    check_structure(data, size, &c);
    rc = mbpf_container_check_crcs(&c, &d);
    CHECK(rc == expected_crc_result(data, size, &c));
    if (rc != 0) check_diag(&d);
    check_rewrite(&c);
    return 0;
}
