/*
 * Tests of the event-file parser: every key of every kind, the payload
 * encodings, the canonical formatter, and every error message with its
 * exact line and column.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, unlink */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event_file.h"

#define ERRCAP 512

/* Parses text as file "ev.txt" and returns the reader (caller closes). */
static mbpf_event_reader_t *reader(const char *text)
{
    char err[ERRCAP];
    mbpf_event_reader_t *r;
    assert_int_equal(mbpf_event_reader_open_mem("ev.txt", text, strlen(text), &r, err, ERRCAP), 0);
    return r;
}

/* Exactly one event in text. */
static void parse_one(const char *text, mbpf_event_t *ev)
{
    char err[ERRCAP];
    mbpf_event_reader_t *r = reader(text);
    int rc = mbpf_event_next(r, ev, err, ERRCAP);
    if (rc != 1) fail_msg("'%s': %s", text, err);
    mbpf_event_t extra;
    assert_int_equal(mbpf_event_next(r, &extra, err, ERRCAP), 0);
    /* ev->payload points into r: copy it out before closing. */
    static uint8_t keep[MBPF_EVENT_PAYLOAD_MAX];
    if (ev->payload_len) {
        memcpy(keep, ev->payload, ev->payload_len);
        ev->payload = keep;
    }
    mbpf_event_reader_close(r);
}

/* The first error in text must be want (events before it are fine). */
static void expect_err(const char *text, const char *want)
{
    char err[ERRCAP];
    mbpf_event_t ev;
    mbpf_event_reader_t *r = reader(text);
    int rc;
    while ((rc = mbpf_event_next(r, &ev, err, ERRCAP)) == 1) {
    }
    if (rc != MBPF_EVENT_EFAIL) fail_msg("'%s': no error, want %s", text, want);
    if (strcmp(err, want) != 0) fail_msg("'%s':\n got  %s\n want %s", text, err, want);
    /* The reader stays at the error. */
    err[0] = '\0';
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), MBPF_EVENT_EFAIL);
    assert_string_equal(err, want);
    mbpf_event_reader_close(r);
}

/* ---- accepted input ---- */

static void test_event_brief_examples_parse(void **state)
{
    (void)state;
    mbpf_event_t ev;
    parse_one("tracepoint id=3 pid=1234 cpu=0 ts=123456 payload=hex:0a0b0c\n", &ev);
    assert_int_equal(ev.kind, MBPF_EVENT_TRACEPOINT);
    assert_int_equal(ev.line, 1);
    assert_int_equal(ev.u.tracepoint.id, 3);
    assert_int_equal(ev.u.tracepoint.pid, 1234);
    assert_int_equal(ev.u.tracepoint.cpu, 0);
    assert_int_equal(ev.u.tracepoint.ts_ns, 123456);
    assert_int_equal(ev.payload_len, 3);
    assert_memory_equal(ev.payload, "\x0a\x0b\x0c", 3);

    parse_one("security subject=1000 object=42 action=open flags=0 payload=str:/etc/passwd", &ev);
    assert_int_equal(ev.kind, MBPF_EVENT_SECURITY);
    assert_int_equal(ev.u.security.subject, 1000);
    assert_int_equal(ev.u.security.object, 42);
    assert_int_equal(ev.u.security.action, MBPF_EVENT_ACTION_OPEN);
    assert_int_equal(ev.flags, 0);
    assert_int_equal(ev.payload_len, 11);
    assert_memory_equal(ev.payload, "/etc/passwd", 11);

    parse_one("custom point=7 schema=1 field.len=12 field.proto=6 payload=hex:4500", &ev);
    assert_int_equal(ev.kind, MBPF_EVENT_CUSTOM);
    assert_int_equal(ev.u.custom.point, 7);
    assert_int_equal(ev.u.custom.schema, 1);
    assert_int_equal(ev.u.custom.field_count, 2);
    assert_string_equal(ev.u.custom.fields[0].name, "len");
    assert_int_equal(ev.u.custom.fields[0].value, 12);
    assert_int_equal(ev.u.custom.fields[0].bits, 64);
    assert_string_equal(ev.u.custom.fields[1].name, "proto");
    assert_int_equal(ev.u.custom.fields[1].value, 6);
    assert_int_equal(ev.payload_len, 2);
}

static void test_event_every_key_of_every_kind(void **state)
{
    (void)state;
    mbpf_event_t ev;
    parse_one("tracepoint id=4294967295 cpu=7 pid=0xFFFFFFFF ts=18446744073709551615 flags=1 "
              "payload=",
              &ev);
    assert_int_equal(ev.u.tracepoint.id, UINT32_MAX);
    assert_int_equal(ev.u.tracepoint.cpu, 7);
    assert_int_equal(ev.u.tracepoint.pid, UINT32_MAX);
    assert_int_equal(ev.u.tracepoint.ts_ns, UINT64_MAX);
    assert_int_equal(ev.flags, 1);
    assert_int_equal(ev.payload_len, 0);
    assert_null(ev.payload);

    parse_one("timer id=2 period=1000 count=0xffffffffffffffff now=5000000000 flags=0x10", &ev);
    assert_int_equal(ev.kind, MBPF_EVENT_TIMER);
    assert_int_equal(ev.u.timer.id, 2);
    assert_int_equal(ev.u.timer.period_us, 1000);
    assert_int_equal(ev.u.timer.expiry_count, UINT64_MAX);
    assert_int_equal(ev.u.timer.now_ns, 5000000000ull);
    assert_int_equal(ev.flags, 16);
    assert_int_equal(ev.payload_len, 0);

    parse_one("security action=4294967295", &ev);
    assert_int_equal(ev.u.security.action, UINT32_MAX);
    assert_int_equal(ev.u.security.subject, 0);
    assert_int_equal(ev.u.security.object, 0);

    parse_one("custom point=1 field.a:u32=4294967295 field.b:u64=18446744073709551615 "
              "field.$_Z9=0X1f",
              &ev);
    assert_int_equal(ev.u.custom.schema, 0);
    assert_int_equal(ev.u.custom.field_count, 3);
    assert_int_equal(ev.u.custom.fields[0].bits, 32);
    assert_int_equal(ev.u.custom.fields[0].value, UINT32_MAX);
    assert_int_equal(ev.u.custom.fields[1].bits, 64);
    assert_int_equal(ev.u.custom.fields[1].value, UINT64_MAX);
    assert_string_equal(ev.u.custom.fields[2].name, "$_Z9");
    assert_int_equal(ev.u.custom.fields[2].value, 31);
}

static void test_event_actions_by_name_and_number(void **state)
{
    (void)state;
    static const char *const names[] = {"open",   "read",   "write",  "exec",  "connect", "bind",
                                        "listen", "accept", "unlink", "mkdir", "kill"};
    char line[64];
    mbpf_event_t ev;
    for (uint32_t i = 0; i < 11; i++) {
        snprintf(line, sizeof line, "security action=%s", names[i]);
        parse_one(line, &ev);
        assert_int_equal(ev.u.security.action, i + 1);
        assert_string_equal(mbpf_event_action_name(i + 1), names[i]);
    }
    assert_null(mbpf_event_action_name(0));
    assert_null(mbpf_event_action_name(12));
    parse_one("security action=007", &ev); /* leading zeros are decimal */
    assert_int_equal(ev.u.security.action, 7);
    assert_string_equal(mbpf_event_kind_name(MBPF_EVENT_CUSTOM), "custom");
    assert_null(mbpf_event_kind_name((mbpf_event_kind_t)0));
    assert_string_equal(mbpf_event_kind_name(MBPF_EVENT_COUNTER), "counter");
    assert_null(mbpf_event_kind_name((mbpf_event_kind_t)6));
}

static void test_event_counter_line_parses_map_key_and_delta(void **state)
{
    (void)state;
    mbpf_event_t ev;
    parse_one("counter map=sample add=250", &ev);
    assert_int_equal(ev.kind, MBPF_EVENT_COUNTER);
    assert_string_equal(ev.u.counter.map, "sample");
    assert_int_equal(ev.u.counter.key, 0);
    assert_true(ev.u.counter.add == 250);
    parse_one("counter add=0xffffffffffffffff key=3 map=_m$2", &ev);
    assert_string_equal(ev.u.counter.map, "_m$2");
    assert_int_equal(ev.u.counter.key, 3);
    assert_true(ev.u.counter.add == UINT64_MAX);
    parse_one("counter map=abcdefghijklmnopqrstuvwxyz01234 add=1", &ev); /* 31 characters */
    assert_string_equal(ev.u.counter.map, "abcdefghijklmnopqrstuvwxyz01234");
    char line[128];
    size_t n = mbpf_event_format(&ev, line, sizeof line);
    assert_int_equal(n, strlen(line));
    assert_string_equal(line, "counter map=abcdefghijklmnopqrstuvwxyz01234 key=0 add=1");
}

static void test_event_counter_line_errors(void **state)
{
    (void)state;
    expect_err("counter add=1", "ev.txt:1:1: counter event without map=");
    expect_err("counter map=m", "ev.txt:1:1: counter event without add=");
    expect_err("counter map= add=1", "ev.txt:1:13: map: missing value");
    expect_err("counter map=9m add=1", "ev.txt:1:13: map: invalid character '9' in map name");
    expect_err("counter map=a-b add=1", "ev.txt:1:14: map: invalid character '-' in map name");
    expect_err("counter map=abcdefghijklmnopqrstuvwxyz012345 add=1",
               "ev.txt:1:13: map: name 'abcdefghijklmnopqrstuvwxyz012345' longer than 31 "
               "characters");
    expect_err("counter map=m add=1 map=n", "ev.txt:1:21: duplicate key 'map'");
    expect_err("counter map=m add=1 key=4294967296",
               "ev.txt:1:25: key: 4294967296 does not fit in 32 bits");
    expect_err("counter map=m add=1 flags=1",
               "ev.txt:1:21: unknown key 'flags' for counter events");
    expect_err("counter map=m add=1 payload=",
               "ev.txt:1:21: unknown key 'payload' for counter events");
    expect_err("counter map=m add=1 id=1", "ev.txt:1:21: unknown key 'id' for counter events");
}

static void test_event_str_payload_escapes_and_quotes(void **state)
{
    (void)state;
    mbpf_event_t ev;
    parse_one("security action=1 payload=str:\"a b\\t\\n\\r\\\\\\\"\\'\\?\\a\\b\\f\\v\\x41\\x4a4"
              "\\101\\0\\0007\"",
              &ev);
    static const uint8_t want[] = {'a',  ' ',  'b',  '\t', '\n', '\r', '\\', '"', '\'', '?', '\a',
                                   '\b', '\f', '\v', 'A',  'J',  '4',  'A',  0,   0,    '7'};
    assert_int_equal(ev.payload_len, sizeof want);
    assert_memory_equal(ev.payload, want, sizeof want);

    parse_one("security action=1 payload=str:a#b\"c # trailing comment", &ev);
    assert_int_equal(ev.payload_len, 5);
    assert_memory_equal(ev.payload, "a#b\"c", 5);

    parse_one("security action=1 payload=str:\"\"", &ev);
    assert_int_equal(ev.payload_len, 0);
    parse_one("security action=1 payload=str:", &ev);
    assert_int_equal(ev.payload_len, 0);
    parse_one("security action=1 payload=hex:", &ev);
    assert_int_equal(ev.payload_len, 0);
    parse_one("security action=1 payload=hex:DEADbeef", &ev);
    assert_memory_equal(ev.payload, "\xde\xad\xbe\xef", 4);
    parse_one("security action=1 payload=str:\xc3\xa9\x01", &ev); /* raw bytes pass through */
    assert_memory_equal(ev.payload, "\xc3\xa9\x01", 3);
}

static void test_event_payload_bound_is_exactly_64k(void **state)
{
    (void)state;
    size_t hexlen = 2 * (size_t)MBPF_EVENT_PAYLOAD_MAX;
    const char *head = "tracepoint id=1 payload=hex:";
    char *line = malloc(strlen(head) + hexlen + 8);
    assert_non_null(line);
    strcpy(line, head);
    memset(line + strlen(head), 'a', hexlen);
    line[strlen(head) + hexlen] = '\0';
    mbpf_event_t ev;
    parse_one(line, &ev);
    assert_int_equal(ev.payload_len, MBPF_EVENT_PAYLOAD_MAX);
    assert_int_equal(ev.payload[MBPF_EVENT_PAYLOAD_MAX - 1], 0xaa);
    strcat(line, "bb");
    expect_err(line, "ev.txt:1:25: payload: longer than 65536 bytes");

    char *s = malloc(64 + MBPF_EVENT_PAYLOAD_MAX + 2);
    assert_non_null(s);
    strcpy(s, "security action=2 payload=str:");
    memset(s + strlen(s), 'x', MBPF_EVENT_PAYLOAD_MAX + 1);
    s[30 + MBPF_EVENT_PAYLOAD_MAX + 1] = '\0';
    expect_err(s, "ev.txt:1:27: payload: longer than 65536 bytes");
    free(s);
    free(line);
}

static void test_event_sixteen_fields_fit(void **state)
{
    (void)state;
    char line[1024] = "custom point=3";
    for (int i = 0; i < 16; i++) {
        char f[64];
        snprintf(f, sizeof f, " field.f%d=%d", i, i * 10);
        strcat(line, f);
    }
    mbpf_event_t ev;
    parse_one(line, &ev);
    assert_int_equal(ev.u.custom.field_count, 16);
    assert_string_equal(ev.u.custom.fields[15].name, "f15");
    assert_int_equal(ev.u.custom.fields[15].value, 150);
    char want[64];
    snprintf(want, sizeof want, "ev.txt:1:%zu: more than 16 custom fields", strlen(line) + 2);
    strcat(line, " field.f16=1");
    expect_err(line, want);

    mbpf_event_t ev2;
    parse_one("custom point=1 field.abcdefghijklmnopqrstuvwxyz01234=1", &ev2);
    assert_string_equal(ev2.u.custom.fields[0].name, "abcdefghijklmnopqrstuvwxyz01234");
}

static void test_event_comments_blanks_crlf_and_line_numbers(void **state)
{
    (void)state;
    const char *text = "# header comment\n"
                       "\n"
                       "   \t\n"
                       "  tracepoint\tid=1   # trailing comment\r\n"
                       "    # indented comment\n"
                       "timer id=2\r\n"
                       "security action=read"; /* no final newline */
    char err[ERRCAP];
    mbpf_event_t ev;
    mbpf_event_reader_t *r = reader(text);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 1);
    assert_int_equal(ev.kind, MBPF_EVENT_TRACEPOINT);
    assert_int_equal(ev.line, 4);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 1);
    assert_int_equal(ev.kind, MBPF_EVENT_TIMER);
    assert_int_equal(ev.line, 6);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 1);
    assert_int_equal(ev.kind, MBPF_EVENT_SECURITY);
    assert_int_equal(ev.u.security.action, MBPF_EVENT_ACTION_READ);
    assert_int_equal(ev.line, 7);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 0);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 0);
    mbpf_event_reader_close(r);

    r = reader("");
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 0);
    mbpf_event_reader_close(r);

    expect_err("timer id=1\n\n# c\ntimer id=2 bogus=1\n",
               "ev.txt:4:12: unknown key 'bogus' for timer events");
    expect_err("timer id=1\r\ntimer id=x\r\n",
               "ev.txt:2:10: id: invalid number 'x' (expected decimal or 0x hex)");
}

/* ---- round trip ---- */

static void assert_events_equal(const mbpf_event_t *a, const mbpf_event_t *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->flags, b->flags);
    assert_memory_equal(&a->u, &b->u, sizeof a->u);
    assert_int_equal(a->payload_len, b->payload_len);
    if (a->payload_len) assert_memory_equal(a->payload, b->payload, a->payload_len);
}

static void round_trip(const mbpf_event_t *ev, const char *want_text)
{
    size_t need = mbpf_event_format(ev, NULL, 0);
    char *buf = malloc(need + 1);
    uint8_t *pay = malloc(MBPF_EVENT_PAYLOAD_MAX);
    char err[ERRCAP];
    mbpf_event_t back;
    assert_non_null(buf);
    assert_non_null(pay);
    assert_int_equal(mbpf_event_format(ev, buf, need + 1), need);
    assert_int_equal(strlen(buf), need);
    if (want_text) assert_string_equal(buf, want_text);
    int rc =
        mbpf_event_parse_line("rt", 9, buf, need, &back, pay, MBPF_EVENT_PAYLOAD_MAX, err, ERRCAP);
    if (rc != 1) fail_msg("%s: %s", buf, err);
    assert_int_equal(back.line, 9);
    assert_events_equal(ev, &back);
    free(pay);
    free(buf);
}

static void test_event_round_trip_every_field(void **state)
{
    (void)state;
    static uint8_t big[MBPF_EVENT_PAYLOAD_MAX];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7 + 3);
    mbpf_event_t ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = MBPF_EVENT_TRACEPOINT;
    ev.flags = 0xfffffffe;
    ev.u.tracepoint.id = 3;
    ev.u.tracepoint.cpu = 1;
    ev.u.tracepoint.pid = 1234;
    ev.u.tracepoint.ts_ns = 0xfedcba9876543210ull;
    ev.payload = (const uint8_t *)"\x00\x0a\xff";
    ev.payload_len = 3;
    round_trip(&ev, "tracepoint id=3 cpu=1 pid=1234 ts=18364758544493064720 flags=4294967294 "
                    "payload=hex:000aff");
    ev.payload = big;
    ev.payload_len = sizeof big;
    round_trip(&ev, NULL);

    memset(&ev, 0, sizeof ev);
    ev.kind = MBPF_EVENT_TIMER;
    ev.u.timer.id = 9;
    ev.u.timer.period_us = UINT32_MAX;
    ev.u.timer.expiry_count = UINT64_MAX;
    ev.u.timer.now_ns = 1;
    round_trip(&ev, "timer id=9 period=4294967295 count=18446744073709551615 now=1 flags=0");

    memset(&ev, 0, sizeof ev);
    ev.kind = MBPF_EVENT_SECURITY;
    ev.u.security.subject = 1000;
    ev.u.security.object = 42;
    ev.u.security.action = MBPF_EVENT_ACTION_EXEC;
    ev.flags = 2;
    round_trip(&ev, "security subject=1000 object=42 action=exec flags=2 payload=");
    ev.u.security.action = 99;
    ev.payload = (const uint8_t *)"/bin/sh";
    ev.payload_len = 7;
    round_trip(&ev, "security subject=1000 object=42 action=99 flags=2 payload=hex:2f62696e2f7368");

    memset(&ev, 0, sizeof ev);
    ev.kind = MBPF_EVENT_CUSTOM;
    ev.u.custom.point = 7;
    ev.u.custom.schema = 2;
    ev.u.custom.field_count = MBPF_EVENT_FIELDS_MAX;
    for (uint32_t i = 0; i < MBPF_EVENT_FIELDS_MAX; i++) {
        mbpf_event_field_t *f = &ev.u.custom.fields[i];
        snprintf(f->name, sizeof f->name, "%c%030u", 'a' + (int)i, i);
        f->bits = (i & 1) ? 32 : 64;
        f->value = (i & 1) ? UINT32_MAX - i : UINT64_MAX - i;
    }
    ev.payload = big;
    ev.payload_len = 100;
    round_trip(&ev, NULL);
    ev.u.custom.field_count = 1;
    memset(&ev.u.custom.fields[1], 0, sizeof ev.u.custom.fields - sizeof ev.u.custom.fields[0]);
    ev.payload_len = 0;
    ev.payload = NULL;
    round_trip(&ev,
               "custom point=7 schema=2 field.a000000000000000000000000000000=18446744073709551615"
               " flags=0 payload=");
}

static void test_event_format_truncates_like_snprintf(void **state)
{
    (void)state;
    mbpf_event_t ev;
    char buf[8];
    memset(&ev, 0, sizeof ev);
    ev.kind = MBPF_EVENT_TIMER;
    ev.u.timer.id = 1;
    memset(buf, 'X', sizeof buf);
    size_t n = mbpf_event_format(&ev, buf, sizeof buf);
    assert_int_equal(n, strlen("timer id=1 period=0 count=0 now=0 flags=0"));
    assert_string_equal(buf, "timer i");
    buf[0] = 'X';
    assert_int_equal(mbpf_event_format(&ev, buf, 0), n);
    assert_int_equal(buf[0], 'X');
}

/* ---- errors, one per message ---- */

static void test_event_errors_line_structure(void **state)
{
    (void)state;
    expect_err("bogus id=1", "ev.txt:1:1: unknown event kind 'bogus' (expected tracepoint, timer, "
                             "security, custom or counter)");
    expect_err("  Tracepoint id=1", "ev.txt:1:3: unknown event kind 'Tracepoint' (expected "
                                    "tracepoint, timer, security, custom or counter)");
    expect_err("tracepoint_with_a_very_long_name_indeed id=1",
               "ev.txt:1:1: unknown event kind 'tracepoint_with_a_very_long_name...' (expected "
               "tracepoint, timer, security, custom or counter)");
    expect_err("x\x01y", "ev.txt:1:1: unknown event kind 'x?y' (expected tracepoint, timer, "
                         "security, custom or counter)");
    expect_err("tracepoint id=1 oops", "ev.txt:1:17: expected key=value, got 'oops'");
    expect_err("tracepoint =5", "ev.txt:1:12: missing key before '='");
    expect_err("tracepoint id=1 id=2", "ev.txt:1:17: duplicate key 'id'");
    expect_err("security action=1 flags=1 flags=1", "ev.txt:1:27: duplicate key 'flags'");
    expect_err("security action=1 payload= payload=", "ev.txt:1:28: duplicate key 'payload'");
    expect_err("timer id=1 payload=hex:00", "ev.txt:1:12: unknown key 'payload' for timer events");
    expect_err("tracepoint id=1 field.x=1",
               "ev.txt:1:17: unknown key 'field.x' for tracepoint events");
    expect_err("security subject=1 id=1", "ev.txt:1:20: unknown key 'id' for security events");
    expect_err("custom point=1 ts=1", "ev.txt:1:16: unknown key 'ts' for custom events");
    expect_err("tracepoint cpu=1", "ev.txt:1:1: tracepoint event without id=");
    expect_err("timer period=1", "ev.txt:1:1: timer event without id=");
    expect_err("  security subject=1", "ev.txt:1:3: security event without action=");
    expect_err("custom schema=1", "ev.txt:1:1: custom event without point=");
}

static void test_event_errors_numbers(void **state)
{
    (void)state;
    expect_err("tracepoint id=", "ev.txt:1:15: id: missing value");
    expect_err("tracepoint id=12x", "ev.txt:1:15: id: invalid number '12x' (expected decimal or "
                                    "0x hex)");
    expect_err("tracepoint id=0x",
               "ev.txt:1:15: id: invalid number '0x' (expected decimal or 0x hex)");
    expect_err("tracepoint id=-1",
               "ev.txt:1:15: id: invalid number '-1' (expected decimal or 0x hex)");
    expect_err("tracepoint id=+1",
               "ev.txt:1:15: id: invalid number '+1' (expected decimal or 0x hex)");
    expect_err("tracepoint id=0xg",
               "ev.txt:1:15: id: invalid number '0xg' (expected decimal or 0x hex)");
    expect_err("tracepoint id=4294967296", "ev.txt:1:15: id: 4294967296 does not fit in 32 bits");
    expect_err("tracepoint id=0x100000000", "ev.txt:1:15: id: 0x100000000 does not fit in 32 bits");
    expect_err("tracepoint id=1 ts=18446744073709551616",
               "ev.txt:1:20: ts: 18446744073709551616 does not fit in 64 bits");
    expect_err("timer id=1 count=0x10000000000000000",
               "ev.txt:1:18: count: 0x10000000000000000 does not fit in 64 bits");
    expect_err("timer id=1 period=99999999999999999999999",
               "ev.txt:1:19: period: 99999999999999999999999 does not fit in 32 bits");
    expect_err("security action=1 flags=str:\"x\"",
               "ev.txt:1:25: flags: invalid number 'str:\"x\"' (expected decimal or 0x hex)");
    expect_err("security action=frobnicate",
               "ev.txt:1:17: action: unknown action 'frobnicate' (expected a number or one of "
               "open, read, write, exec, connect, bind, listen, accept, unlink, mkdir, kill)");
    expect_err("security action=", "ev.txt:1:17: action: missing value");
}

static void test_event_errors_payload(void **state)
{
    (void)state;
    expect_err("security action=1 payload=b64:AA",
               "ev.txt:1:27: payload: expected hex:, str: or nothing, got 'b64:AA'");
    expect_err("security action=1 payload=abc",
               "ev.txt:1:27: payload: expected hex:, str: or nothing, got 'abc'");
    expect_err("security action=1 payload=hex:abc",
               "ev.txt:1:27: payload: odd number of hex digits");
    expect_err("security action=1 payload=hex:0g", "ev.txt:1:32: payload: invalid hex digit 'g'");
    expect_err("security action=1 payload=hex:x0", "ev.txt:1:31: payload: invalid hex digit 'x'");
    expect_err("security action=1 payload=str:a\\qb", "ev.txt:1:32: payload: unknown escape '\\q'");
    expect_err("security action=1 payload=str:\\x",
               "ev.txt:1:31: payload: '\\x' without hex digits");
    expect_err("security action=1 payload=str:\\xg",
               "ev.txt:1:31: payload: '\\x' without hex digits");
    expect_err("security action=1 payload=str:ab\\777",
               "ev.txt:1:33: payload: octal escape '\\777' exceeds 255");
    expect_err("security action=1 payload=str:abc\\",
               "ev.txt:1:34: payload: '\\' at end of string");
    expect_err("security action=1 payload=str:\"abc\\\"",
               "ev.txt:1:31: payload: unterminated string");
    expect_err("security action=1 payload=str:\"abc", "ev.txt:1:31: payload: unterminated string");
    expect_err("security action=1 payload=str:\"abc\"x",
               "ev.txt:1:36: unexpected 'x' after closing quote");
    expect_err("security action=1 payload=str:\"a\\x\"",
               "ev.txt:1:33: payload: '\\x' without hex digits");
}

static void test_event_errors_custom_fields(void **state)
{
    (void)state;
    expect_err("custom point=1 field.=1", "ev.txt:1:22: field: empty field name");
    expect_err("custom point=1 field.:u32=1", "ev.txt:1:22: field: empty field name");
    expect_err("custom point=1 field.1a=1",
               "ev.txt:1:22: field: invalid character '1' in field name");
    expect_err("custom point=1 field.a-b=1",
               "ev.txt:1:23: field: invalid character '-' in field name");
    expect_err("custom point=1 field.abcdefghijklmnopqrstuvwxyz012345=1",
               "ev.txt:1:22: field: name 'abcdefghijklmnopqrstuvwxyz012345' longer than 31 "
               "characters");
    expect_err("custom point=1 field.a:u16=1",
               "ev.txt:1:23: field.a: unknown type ':u16' (expected :u32 or :u64)");
    expect_err("custom point=1 field.a=1 field.a:u32=2", "ev.txt:1:26: duplicate field 'a'");
    expect_err("custom point=1 field.a:u32=4294967296",
               "ev.txt:1:28: field.a: 4294967296 does not fit in 32 bits");
    expect_err("custom point=1 field.a=0x1x",
               "ev.txt:1:24: field.a: invalid number '0x1x' (expected decimal or 0x hex)");
    expect_err("custom point=1 field.a=", "ev.txt:1:24: field.a: missing value");
}

static void test_event_file_errors(void **state)
{
    (void)state;
    char err[ERRCAP];
    mbpf_event_reader_t *r = (mbpf_event_reader_t *)&r;
    assert_int_equal(mbpf_event_reader_open("/nonexistent/ev.txt", &r, err, ERRCAP),
                     MBPF_EVENT_EFAIL);
    assert_null(r);
    assert_string_equal(err, "/nonexistent/ev.txt: No such file or directory");
    assert_int_equal(mbpf_event_reader_open("/", &r, err, ERRCAP), MBPF_EVENT_EFAIL);
    assert_string_equal(err, "/: Is a directory");
    char small = 0;
    assert_int_equal(mbpf_event_reader_open_mem(
                         "big.txt", &small, (size_t)MBPF_EVENT_FILE_SIZE_MAX + 1, &r, err, ERRCAP),
                     MBPF_EVENT_EFAIL);
    assert_string_equal(err, "big.txt: file exceeds 67108864 bytes");
}

static void test_event_reads_real_file(void **state)
{
    (void)state;
    char path[] = "/tmp/mbpf_ev_test_XXXXXX", err[ERRCAP], want[128];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("# two events\ntimer id=5 period=100\ncustom point=2 field.x=1 payload=str:hi\n"
          "custom point=2 field.x=1 field.x=2\n",
          f);
    fclose(f);
    mbpf_event_reader_t *r;
    mbpf_event_t ev;
    assert_int_equal(mbpf_event_reader_open(path, &r, err, ERRCAP), 0);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 1);
    assert_int_equal(ev.u.timer.period_us, 100);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 1);
    assert_int_equal(ev.payload_len, 2);
    assert_memory_equal(ev.payload, "hi", 2);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), MBPF_EVENT_EFAIL);
    snprintf(want, sizeof want, "%s:4:26: duplicate field 'x'", path);
    assert_string_equal(err, want);
    mbpf_event_reader_close(r);
    unlink(path);
}

static void test_event_parse_line_honours_small_payload_buffer(void **state)
{
    (void)state;
    char err[ERRCAP];
    uint8_t pay[2];
    mbpf_event_t ev;
    const char *l = "tracepoint id=1 payload=hex:0102";
    assert_int_equal(mbpf_event_parse_line("x", 3, l, strlen(l), &ev, pay, 2, err, ERRCAP), 1);
    const char *l3 = "tracepoint id=1 payload=hex:010203";
    assert_int_equal(mbpf_event_parse_line("x", 3, l3, strlen(l3), &ev, pay, 2, err, ERRCAP),
                     MBPF_EVENT_EFAIL);
    assert_string_equal(err, "x:3:25: payload: longer than 2 bytes");
    assert_int_equal(mbpf_event_parse_line("x", 1, "# c", 3, &ev, pay, 2, err, ERRCAP), 0);
}

/* The code blocks of docs/EVENTS.md: the first parses to four events, the
 * example at the end to six events and then the error the text shows. */
static char *docs_block(const char *doc, const char *after)
{
    const char *at = strstr(doc, after);
    assert_non_null(at);
    const char *start = strstr(at, "```text\n");
    assert_non_null(start);
    start += 8;
    const char *end = strstr(start, "```");
    assert_non_null(end);
    char *block = malloc((size_t)(end - start) + 1);
    assert_non_null(block);
    memcpy(block, start, (size_t)(end - start));
    block[end - start] = '\0';
    return block;
}

static void test_event_docs_examples(void **state)
{
    (void)state;
    FILE *f = fopen(MBPF_DOCS_DIR "/EVENTS.md", "rb");
    assert_non_null(f);
    static char doc[32768];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';

    char err[ERRCAP];
    mbpf_event_t ev;
    mbpf_event_reader_t *r;
    char *intro = docs_block(doc, "# Event files");
    assert_int_equal(mbpf_event_reader_open_mem("intro", intro, strlen(intro), &r, err, ERRCAP), 0);
    for (int i = 0; i < 5; i++) assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 1);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 0);
    mbpf_event_reader_close(r);
    free(intro);

    char *ex = docs_block(doc, "## Example");
    assert_int_equal(mbpf_event_reader_open_mem("ex.txt", ex, strlen(ex), &r, err, ERRCAP), 0);
    for (int i = 0; i < 6; i++) assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), 1);
    assert_int_equal(mbpf_event_next(r, &ev, err, ERRCAP), MBPF_EVENT_EFAIL);
    char quoted[600];
    snprintf(quoted, sizeof quoted, "`%s`", err);
    assert_non_null(strstr(doc, quoted));
    mbpf_event_reader_close(r);
    free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_brief_examples_parse),
        cmocka_unit_test(test_event_every_key_of_every_kind),
        cmocka_unit_test(test_event_actions_by_name_and_number),
        cmocka_unit_test(test_event_counter_line_parses_map_key_and_delta),
        cmocka_unit_test(test_event_counter_line_errors),
        cmocka_unit_test(test_event_str_payload_escapes_and_quotes),
        cmocka_unit_test(test_event_payload_bound_is_exactly_64k),
        cmocka_unit_test(test_event_sixteen_fields_fit),
        cmocka_unit_test(test_event_comments_blanks_crlf_and_line_numbers),
        cmocka_unit_test(test_event_round_trip_every_field),
        cmocka_unit_test(test_event_format_truncates_like_snprintf),
        cmocka_unit_test(test_event_errors_line_structure),
        cmocka_unit_test(test_event_errors_numbers),
        cmocka_unit_test(test_event_errors_payload),
        cmocka_unit_test(test_event_errors_custom_fields),
        cmocka_unit_test(test_event_file_errors),
        cmocka_unit_test(test_event_reads_real_file),
        cmocka_unit_test(test_event_parse_line_honours_small_payload_buffer),
        cmocka_unit_test(test_event_docs_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
