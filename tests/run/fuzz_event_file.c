/*
 * libFuzzer harness for the event-file parser. Every input is read as an
 * event file; each event it yields must format to a canonical line that
 * parses back to the same event, and the formatter must agree with itself
 * on the needed length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event_file.h"

static uint8_t payload2[MBPF_EVENT_PAYLOAD_MAX];

static void check_round_trip(const mbpf_event_t *ev)
{
    char err[MBPF_EVENT_ERR_MAX];
    size_t need = mbpf_event_format(ev, NULL, 0);
    char *line = malloc(need + 1);
    if (!line) abort();
    if (mbpf_event_format(ev, line, need + 1) != need || strlen(line) != need) abort();
    mbpf_event_t back;
    if (mbpf_event_parse_line("rt", 1, line, need, &back, payload2, sizeof payload2, err,
                              sizeof err) != 1)
        abort();
    if (back.kind != ev->kind || back.flags != ev->flags || back.payload_len != ev->payload_len ||
        memcmp(&back.u, &ev->u, sizeof back.u) != 0 ||
        (ev->payload_len && memcmp(back.payload, ev->payload, ev->payload_len) != 0))
        abort();
    char small[16];
    if (mbpf_event_format(ev, small, sizeof small) != need) abort();
    if (strlen(small) != (need < sizeof small ? need : sizeof small - 1)) abort();
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[MBPF_EVENT_ERR_MAX];
    mbpf_event_reader_t *r;
    mbpf_event_t ev;
    int rc;
    if (mbpf_event_reader_open_mem("fuzz", data, size, &r, err, sizeof err) != 0) return 0;
    while ((rc = mbpf_event_next(r, &ev, err, sizeof err)) == 1) check_round_trip(&ev);
    if (rc < 0 && strncmp(err, "fuzz:", 5) != 0) abort();
    mbpf_event_reader_close(r);
    return 0;
}
