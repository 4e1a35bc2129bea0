/*
 * Event files of `mbpf run --events`: one TRACEPOINT, TIMER, SECURITY or
 * CUSTOM event per line, or a `counter` line standing for the kernel adding
 * to a program's counter map, `kind key=value ...`, with `#` comments and blank
 * lines ignored (the format is documented in docs/EVENTS.md). The parser is
 * independent of the runtime: it yields mbpf_event_t, which the runner maps
 * onto the hook context structs. Errors come back as
 * "FILE:LINE:COL: message" with 1-based line and byte column.
 */
#ifndef MBPF_EVENT_FILE_H
#define MBPF_EVENT_FILE_H

#include <stddef.h>
#include <stdint.h>

#define MBPF_EVENT_ERR_MAX 512

/* Bounds of one event. */
#define MBPF_EVENT_PAYLOAD_MAX   65536u
#define MBPF_EVENT_FIELDS_MAX    16u
#define MBPF_EVENT_NAME_MAX      31u /* characters of a custom field or map name */
#define MBPF_EVENT_FILE_SIZE_MAX (64u * 1024 * 1024)

/* Return codes. mbpf_event_next also returns 1 when it produced an event. */
#define MBPF_EVENT_OK    0
#define MBPF_EVENT_EFAIL (-1) /* error described in err */

typedef enum mbpf_event_kind {
    MBPF_EVENT_TRACEPOINT = 1,
    MBPF_EVENT_TIMER = 2,
    MBPF_EVENT_SECURITY = 3,
    MBPF_EVENT_CUSTOM = 4,
    MBPF_EVENT_COUNTER = 5, /* not a hook event: a host-side counter map add */
} mbpf_event_kind_t;

/* Symbolic values the `action=` key of a security event accepts (a number
 * is accepted too). The runner passes the number to the program as-is. */
#define MBPF_EVENT_ACTION_OPEN    1u
#define MBPF_EVENT_ACTION_READ    2u
#define MBPF_EVENT_ACTION_WRITE   3u
#define MBPF_EVENT_ACTION_EXEC    4u
#define MBPF_EVENT_ACTION_CONNECT 5u
#define MBPF_EVENT_ACTION_BIND    6u
#define MBPF_EVENT_ACTION_LISTEN  7u
#define MBPF_EVENT_ACTION_ACCEPT  8u
#define MBPF_EVENT_ACTION_UNLINK  9u
#define MBPF_EVENT_ACTION_MKDIR   10u
#define MBPF_EVENT_ACTION_KILL    11u

/* A named scalar of a custom event. */
typedef struct mbpf_event_field {
    char name[MBPF_EVENT_NAME_MAX + 1]; /* NUL-terminated JS identifier */
    uint8_t bits;                       /* 32 or 64: the declared width */
    uint64_t value;                     /* fits in `bits` */
} mbpf_event_field_t;

typedef struct mbpf_event {
    mbpf_event_kind_t kind;
    uint32_t line;  /* line of the file it came from */
    uint32_t flags; /* flags= (all kinds) */
    union {
        struct {
            uint32_t id;    /* id= */
            uint32_t cpu;   /* cpu= */
            uint32_t pid;   /* pid= (task id) */
            uint64_t ts_ns; /* ts= */
        } tracepoint;
        struct {
            uint32_t id;           /* id= */
            uint32_t period_us;    /* period= */
            uint64_t expiry_count; /* count= */
            uint64_t now_ns;       /* now= */
        } timer;
        struct {
            uint32_t subject; /* subject= */
            uint32_t object;  /* object= */
            uint32_t action;  /* action= (number or MBPF_EVENT_ACTION_* name) */
        } security;
        struct {
            uint32_t point;       /* point= */
            uint32_t schema;      /* schema= */
            uint32_t field_count; /* <= MBPF_EVENT_FIELDS_MAX, file order */
            mbpf_event_field_t fields[MBPF_EVENT_FIELDS_MAX]; /* field.NAME= */
        } custom;
        struct {
            char map[MBPF_EVENT_NAME_MAX + 1]; /* map= (NUL-terminated identifier) */
            uint32_t key;                      /* key= (counter index, default 0) */
            uint64_t add;                      /* add= (the delta) */
        } counter;
    } u;
    /* payload= bytes (not for timers and counters). Points into the reader (or the
     * caller's buffer for mbpf_event_parse_line), valid until the next
     * call; NULL when payload_len is 0. */
    const uint8_t *payload;
    uint32_t payload_len;
} mbpf_event_t;

typedef struct mbpf_event_reader mbpf_event_reader_t;

/* Reads the whole file at path (at most MBPF_EVENT_FILE_SIZE_MAX bytes) and
 * returns a reader over it in *out. Errors: "PATH: <strerror>", "PATH: file
 * exceeds 67108864 bytes". */
int mbpf_event_reader_open(const char *path, mbpf_event_reader_t **out, char *err, size_t errcap);

/* A reader over len bytes at data (copied), named name in messages. */
int mbpf_event_reader_open_mem(const char *name, const void *data, size_t len,
                               mbpf_event_reader_t **out, char *err, size_t errcap);

/* Parses the next event into *ev. Returns 1 with an event, 0 at the end,
 * MBPF_EVENT_EFAIL on a malformed line ("FILE:LINE:COL: message"); the
 * reader then stays at that error. */
int mbpf_event_next(mbpf_event_reader_t *r, mbpf_event_t *ev, char *err, size_t errcap);

/* Frees the reader; NULL is ignored. */
void mbpf_event_reader_close(mbpf_event_reader_t *r);

/* Parses one line (no newline; len bytes at line) into *ev, the payload
 * into payload_buf (payload_cap bytes, at most MBPF_EVENT_PAYLOAD_MAX are
 * used). Returns 1 with an event, 0 for a blank or comment line,
 * MBPF_EVENT_EFAIL with "NAME:LINE_NO:COL: message" in err. */
int mbpf_event_parse_line(const char *name, uint32_t line_no, const char *line, size_t len,
                          mbpf_event_t *ev, uint8_t *payload_buf, size_t payload_cap, char *err,
                          size_t errcap);

/* Writes ev as one canonical line (every key, numbers in decimal, payload
 * as hex, no newline) into buf like snprintf: returns the length the line
 * needs; buf holds it, terminated, when the result is < cap. */
size_t mbpf_event_format(const mbpf_event_t *ev, char *buf, size_t cap);

/* Name of a kind ("tracepoint", ...) or of an action value (NULL if it has
 * no name). */
const char *mbpf_event_kind_name(mbpf_event_kind_t kind);
const char *mbpf_event_action_name(uint32_t action);

#endif
