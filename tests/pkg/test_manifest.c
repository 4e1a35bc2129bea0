/*
 * Tests of the manifest schema. Every document is decoded three ways: by
 * the runtime JSON reader, by the runtime CBOR decoder after the tools'
 * JSON -> CBOR conversion, and by the tools' mbpf_tool_manifest_from_json;
 * all three must give the same code, the same message and the same struct.
 * Variants of a base manifest are made by editing it as a cJSON tree (raw
 * values are inserted verbatim, so "1.0" stays "1.0").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_reader.h"
#include "cbor_writer.h"
#include "manifest.h"
#include "manifest_json.h"
#include "manifest_reader.h"
#include "mbpf.h"
#ifdef MBPF_JSON_MANIFEST
#include "json_reader.h"
#endif

#define E_SYNTAX    MBPF_PKG_E_MANIFEST_SYNTAX
#define E_LIMIT     MBPF_PKG_E_MANIFEST_LIMIT
#define E_TYPE      MBPF_PKG_E_MANIFEST_TYPE
#define E_MISSING   MBPF_PKG_E_MANIFEST_MISSING
#define E_DUPLICATE MBPF_PKG_E_MANIFEST_DUPLICATE
#define E_UNKNOWN   MBPF_PKG_E_MANIFEST_UNKNOWN
#define E_VALUE     MBPF_PKG_E_MANIFEST_VALUE

static const char MIN[] =
    "{\"program_name\":\"p\",\"program_version\":\"1\",\"hook_type\":\"NET_RX\","
    "\"hook_ctx_abi_version\":1,\"bytecode_version\":1,"
    "\"target\":{\"word_size\":\"any\",\"endianness\":\"any\"},\"mbpf_api_version\":65536,"
    "\"heap_size\":4096,\"budgets\":{\"max_steps\":1000,\"max_helpers\":10}}";

/* Every optional part present; maps[0] array, maps[1] hash, maps[2] ringbuf. */
static const char FULL[] =
    "{\"program_name\":\"p\",\"program_version\":\"1\",\"hook_type\":\"NET_RX\","
    "\"hook_ctx_abi_version\":1,\"entry_symbol\":\"prog\",\"bytecode_version\":1,"
    "\"target\":{\"word_size\":\"any\",\"endianness\":\"any\"},\"mbpf_api_version\":65536,"
    "\"heap_size\":4096,"
    "\"budgets\":{\"max_steps\":1000,\"max_helpers\":10,\"max_wall_time_us\":250},"
    "\"capabilities\":[\"CAP_LOG\",\"CAP_MAP_READ\"],"
    "\"helper_versions\":{\"emit\":65536,\"log\":65537},"
    "\"maps\":[{\"name\":\"a\",\"type\":\"array\",\"key_size\":0,\"value_size\":4,\"max_entries\":"
    "8},"
    "{\"name\":\"h\",\"type\":\"hash\",\"key_size\":4,\"value_size\":8,\"max_entries\":16,"
    "\"flags\":1},"
    "{\"name\":\"r\",\"type\":\"ringbuf\",\"key_size\":0,\"value_size\":0,\"max_entries\":4096}]}";

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* ---- editing documents ---- */

enum { SET, DEL, ADD };

/* Applies op at path ("budgets.max_steps", "maps[1].name") to base. SET
 * replaces or adds the raw JSON value, ADD appends another member with the
 * same key (a duplicate), DEL removes it. Free the result with free(). */
static char *edit(const char *base, int op, const char *path, const char *raw)
{
    cJSON *root = cJSON_Parse(base);
    assert_non_null(root);
    cJSON *parent = NULL, *cur = root;
    char key[256] = "";
    int index = -1;
    const char *p = path;
    while (*p) {
        assert_non_null(cur);
        parent = cur;
        if (*p == '[') {
            index = atoi(p + 1);
            key[0] = '\0';
            cur = cJSON_GetArrayItem(cur, index);
            p = strchr(p, ']') + 1;
        } else {
            size_t n = strcspn(p, ".[");
            assert_true(n < sizeof key);
            memcpy(key, p, n);
            key[n] = '\0';
            index = -1;
            cur = cJSON_GetObjectItemCaseSensitive(cur, key);
            p += n;
        }
        if (*p == '.') p++;
    }
    assert_non_null(parent);
    if (op == DEL) {
        assert_non_null(cur);
        if (index >= 0)
            cJSON_DeleteItemFromArray(parent, index);
        else
            cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
    } else {
        cJSON *v = cJSON_CreateRaw(raw);
        if (op == SET && cur && index >= 0)
            cJSON_ReplaceItemInArray(parent, index, v);
        else if (op == SET && cur)
            cJSON_ReplaceItemInObjectCaseSensitive(parent, key, v);
        else if (index >= 0)
            cJSON_AddItemToArray(parent, v);
        else
            cJSON_AddItemToObject(parent, key, v);
    }
    char *out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    assert_non_null(out);
    return out;
}

/* ---- decoding every way ---- */

static mbpf_manifest_t m_cbor, m_tool;
#ifdef MBPF_JSON_MANIFEST
static mbpf_manifest_t m_json;
#endif

/* Decodes a syntactically valid JSON document every way and checks that
 * the ways agree. Returns the code; *out and msg get the result. */
static int decode_all(const char *json, mbpf_manifest_t *out, char msg[MBPF_DIAG_MAX])
{
    size_t len = strlen(json);
    char err[1024];
    uint8_t *cbor = NULL;
    size_t cbor_len = 0;
    int rc = mbpf_tool_json_to_cbor(json, len, "t.json", &cbor, &cbor_len, err, sizeof err);
    if (rc != 0) print_message("json_to_cbor: %s\n", err);
    assert_int_equal(rc, 0);

    mbpf_diag_t dc = {{0}};
    rc = mbpf_manifest_decode_cbor(cbor, cbor_len, &m_cbor, &dc);
    free(cbor);
    if (rc != 0) assert_true(all_zero(&m_cbor, sizeof m_cbor));

#ifdef MBPF_JSON_MANIFEST
    mbpf_diag_t dj = {{0}};
    int rj = mbpf_manifest_decode_json(json, len, &m_json, &dj);
    assert_int_equal(rj, rc);
    assert_string_equal(dj.msg, dc.msg);
    assert_memory_equal(&m_json, &m_cbor, sizeof m_cbor);
#endif

    int rt = mbpf_tool_manifest_from_json(json, len, "t.json", &m_tool, err, sizeof err);
    assert_int_equal(rt, rc);
    if (rc != 0) {
        char want[1024];
        snprintf(want, sizeof want, "t.json: %s", dc.msg);
        assert_string_equal(err, want);
    }
    assert_memory_equal(&m_tool, &m_cbor, sizeof m_cbor);
    if (out) *out = m_cbor;
    if (msg) memcpy(msg, dc.msg, MBPF_DIAG_MAX);
    return rc;
}

static void expect_error(const char *json, int code, const char *msg)
{
    char got[MBPF_DIAG_MAX];
    int rc = decode_all(json, NULL, got);
    if (rc != code || strcmp(got, msg) != 0) print_message("document: %s\n", json);
    assert_int_equal(rc, code);
    assert_string_equal(got, msg);
}

static void expect_ok(const char *json, mbpf_manifest_t *out)
{
    char got[MBPF_DIAG_MAX];
    int rc = decode_all(json, out, got);
    if (rc != 0) print_message("document: %s\nerror: %s\n", json, got);
    assert_int_equal(rc, 0);
}

typedef struct edit_case {
    int op;
    const char *path;
    const char *raw;
    int code;
    const char *msg;
} edit_case_t;

static void run_cases(const char *base, const edit_case_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *j = edit(base, c[i].op, c[i].path, c[i].raw);
        if (c[i].code == 0)
            expect_ok(j, NULL);
        else
            expect_error(j, c[i].code, c[i].msg);
        free(j);
    }
}

#define RUN_CASES(base, cases) run_cases(base, cases, sizeof cases / sizeof cases[0])

static char *read_fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", MBPF_TEST_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[65536];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* ---- valid documents ---- */

static void test_fixture_decodes_every_field(void **state)
{
    (void)state;
    size_t len;
    const char *json = read_fixture("net_rx_full.json", &len);
    mbpf_manifest_t m;
    expect_ok(json, &m);
    assert_string_equal(m.program_name, "net_rx_filter");
    assert_string_equal(m.program_version, "1.2.0");
    assert_int_equal(m.hook_type, MBPF_HOOK_NET_RX);
    assert_int_equal(m.hook_ctx_abi_version, 1);
    assert_string_equal(m.entry_symbol, "mbpf_prog");
    assert_int_equal(m.bytecode_version, 1);
    assert_int_equal(m.target_word_size, MBPF_TARGET_ANY);
    assert_int_equal(m.target_endianness, MBPF_TARGET_ANY);
    assert_int_equal(m.mbpf_api_version, 0x10000);
    assert_int_equal(m.heap_size, 16384);
    assert_int_equal(m.max_steps, 100000);
    assert_int_equal(m.max_helpers, 64);
    assert_int_equal(m.max_wall_time_us, 500);
    assert_int_equal(m.capabilities,
                     MBPF_CAP_LOG | MBPF_CAP_MAP_READ | MBPF_CAP_MAP_WRITE | MBPF_CAP_EMIT);
    assert_int_equal(m.helper_version_count, 2);
    assert_string_equal(m.helper_versions[0].name, "emit");
    assert_int_equal(m.helper_versions[0].version, 0x10000);
    assert_string_equal(m.helper_versions[1].name, "log");
    assert_int_equal(m.map_count, 5);
    const struct {
        const char *name;
        uint32_t type, k, v, e, f;
    } want[] = {
        {"blocklist", MBPF_MAP_HASH, 4, 1, 1024, 0},   {"per_proto", MBPF_MAP_ARRAY, 0, 8, 256, 0},
        {"pkts", MBPF_MAP_COUNTER, 0, 8, 2, 0},        {"events", MBPF_MAP_RINGBUF, 0, 64, 4096, 0},
        {"prefixes", MBPF_MAP_LPM_TRIE, 8, 4, 256, 1},
    };
    for (unsigned i = 0; i < 5; i++) {
        assert_string_equal(m.maps[i].name, want[i].name);
        assert_int_equal(m.maps[i].type, want[i].type);
        assert_int_equal(m.maps[i].key_size, want[i].k);
        assert_int_equal(m.maps[i].value_size, want[i].v);
        assert_int_equal(m.maps[i].max_entries, want[i].e);
        assert_int_equal(m.maps[i].flags, want[i].f);
    }
}

static void test_minimal_manifest_gets_defaults(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    expect_ok(MIN, &m);
    assert_string_equal(m.entry_symbol, "mbpf_prog");
    assert_int_equal(m.max_wall_time_us, 0);
    assert_int_equal(m.capabilities, 0);
    assert_int_equal(m.helper_version_count, 0);
    assert_int_equal(m.map_count, 0);
    /* unused bytes are zero, so structs compare with memcmp */
    assert_true(all_zero(m.program_name + 2, sizeof m.program_name - 2));
    assert_true(all_zero(m.maps, sizeof m.maps));
}

/* Regression: a short entry_symbol used to be copied over the default
 * "mbpf_prog", leaving "mbpf\0prog" (found by fuzz_manifest_cbor). */
static void test_short_entry_symbol_leaves_no_default_bytes(void **state)
{
    (void)state;
    char *j = edit(MIN, SET, "entry_symbol", "\"mbpf\"");
    mbpf_manifest_t m;
    expect_ok(j, &m);
    free(j);
    assert_string_equal(m.entry_symbol, "mbpf");
    assert_true(all_zero(m.entry_symbol + 4, sizeof m.entry_symbol - 4));
}

static void test_optional_fields_may_be_absent(void **state)
{
    (void)state;
    static const edit_case_t cases[] = {
        {DEL, "entry_symbol", NULL, 0, NULL},
        {DEL, "budgets.max_wall_time_us", NULL, 0, NULL},
        {DEL, "capabilities", NULL, 0, NULL},
        {DEL, "helper_versions", NULL, 0, NULL},
        {DEL, "maps", NULL, 0, NULL},
        {DEL, "maps[1].flags", NULL, 0, NULL},
        {SET, "capabilities", "[]", 0, NULL},
        {SET, "helper_versions", "{}", 0, NULL},
        {SET, "maps", "[]", 0, NULL},
        {SET, "budgets.max_wall_time_us", "0", 0, NULL},
        {SET, "hook_ctx_abi_version", "0", 0, NULL},
    };
    RUN_CASES(FULL, cases);
}

/* ---- missing, duplicate, unknown ---- */

static void test_each_required_field_missing_is_reported(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "program_name",
        "program_version",
        "hook_type",
        "hook_ctx_abi_version",
        "bytecode_version",
        "target",
        "target.word_size",
        "target.endianness",
        "mbpf_api_version",
        "heap_size",
        "budgets",
        "budgets.max_steps",
        "budgets.max_helpers",
        "maps[1].name",
        "maps[1].type",
        "maps[1].key_size",
        "maps[1].value_size",
        "maps[1].max_entries",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char *j = edit(FULL, DEL, paths[i], NULL);
        char msg[128];
        snprintf(msg, sizeof msg, "manifest: %s: missing", paths[i]);
        expect_error(j, E_MISSING, msg);
        free(j);
    }
    expect_error("{}", E_MISSING, "manifest: program_name: missing");
}

static void test_duplicate_keys_rejected(void **state)
{
    (void)state;
    static const edit_case_t cases[] = {
        {ADD, "heap_size", "1", E_DUPLICATE, "manifest: heap_size: duplicate key"},
        {ADD, "maps", "[]", E_DUPLICATE, "manifest: maps: duplicate key"},
        {ADD, "budgets.max_steps", "1", E_DUPLICATE, "manifest: budgets.max_steps: duplicate key"},
        {ADD, "target.endianness", "\"big\"", E_DUPLICATE,
         "manifest: target.endianness: duplicate key"},
        {ADD, "maps[1].name", "\"x\"", E_DUPLICATE, "manifest: maps[1].name: duplicate key"},
        {ADD, "helper_versions.emit", "1", E_DUPLICATE,
         "manifest: helper_versions.emit: duplicate key"},
        {SET, "capabilities", "[\"CAP_LOG\",1]", E_DUPLICATE,
         "manifest: capabilities[1]: CAP_LOG listed twice"},
        {SET, "capabilities", "[\"CAP_EMIT\",\"CAP_TIME\",\"CAP_EMIT\"]", E_DUPLICATE,
         "manifest: capabilities[2]: CAP_EMIT listed twice"},
        {SET, "maps[2].name", "\"a\"", E_DUPLICATE,
         "manifest: maps[2].name: \"a\" already used by maps[0]"},
    };
    RUN_CASES(FULL, cases);
}

static void test_unknown_keys_rejected(void **state)
{
    (void)state;
    char long_key[201];
    memset(long_key, 'k', 200);
    long_key[200] = '\0';
    char long_msg[128];
    snprintf(long_msg, sizeof long_msg, "manifest: %.32s...: unknown key", long_key);
    const edit_case_t cases[] = {
        {SET, "colour", "1", E_UNKNOWN, "manifest: colour: unknown key"},
        {SET, "mquickjs_bytecode_version", "1", E_UNKNOWN,
         "manifest: mquickjs_bytecode_version: unknown key"},
        {SET, "budgets.max_stepz", "1", E_UNKNOWN, "manifest: budgets.max_stepz: unknown key"},
        {SET, "target.bits", "1", E_UNKNOWN, "manifest: target.bits: unknown key"},
        {SET, "maps[0].size", "1", E_UNKNOWN, "manifest: maps[0].size: unknown key"},
        {SET, "Heap_size", "1", E_UNKNOWN, "manifest: Heap_size: unknown key"},
        {SET, long_key, "1", E_UNKNOWN, long_msg},
    };
    RUN_CASES(FULL, cases);
    /* unprintable bytes of a key are shown as '?' */
    expect_error("{\"a\\u0001b\":1}", E_UNKNOWN, "manifest: a?b: unknown key");
    expect_error("{\"\\u00e9\":1}", E_UNKNOWN, "manifest: ??: unknown key");
    expect_error("{\"\":1}", E_UNKNOWN, "manifest: \"\": unknown key");
}

/* ---- types ---- */

static void test_wrong_type_per_field(void **state)
{
    (void)state;
    static const edit_case_t cases[] = {
        {SET, "program_name", "5", E_TYPE, "manifest: program_name: expected a string, got 5"},
        {SET, "program_version", "true", E_TYPE,
         "manifest: program_version: expected a string, got true"},
        {SET, "hook_type", "[]", E_TYPE,
         "manifest: hook_type: expected a hook type name or number, got an array"},
        {SET, "hook_ctx_abi_version", "\"1\"", E_TYPE,
         "manifest: hook_ctx_abi_version: expected an unsigned integer, got string \"1\""},
        {SET, "entry_symbol", "null", E_TYPE,
         "manifest: entry_symbol: expected a string, got null"},
        {SET, "bytecode_version", "-1", E_TYPE,
         "manifest: bytecode_version: expected an unsigned integer, got -1"},
        {SET, "target", "[]", E_TYPE, "manifest: target: expected a map, got an array"},
        {SET, "target.word_size", "null", E_TYPE,
         "manifest: target.word_size: expected 32, 64 or \"any\", got null"},
        {SET, "target.endianness", "1", E_TYPE,
         "manifest: target.endianness: expected \"little\", \"big\" or \"any\", got 1"},
        {SET, "mbpf_api_version", "1.5", E_TYPE,
         "manifest: mbpf_api_version: expected an unsigned integer, got a non-integer number"},
        {SET, "heap_size", "4096.0", E_TYPE,
         "manifest: heap_size: expected an unsigned integer, got a non-integer number"},
        {SET, "heap_size", "4e3", E_TYPE,
         "manifest: heap_size: expected an unsigned integer, got a non-integer number"},
        {SET, "heap_size", "-0", E_TYPE,
         "manifest: heap_size: expected an unsigned integer, got a non-integer number"},
        {SET, "heap_size", "-18446744073709551615", E_TYPE,
         "manifest: heap_size: expected an unsigned integer, got -18446744073709551615"},
        {SET, "heap_size", "18446744073709551616", E_TYPE,
         "manifest: heap_size: expected an unsigned integer, got a non-integer number"},
        {SET, "budgets", "1", E_TYPE, "manifest: budgets: expected a map, got 1"},
        {SET, "budgets.max_steps", "\"x\"", E_TYPE,
         "manifest: budgets.max_steps: expected an unsigned integer, got string \"x\""},
        {SET, "budgets.max_helpers", "false", E_TYPE,
         "manifest: budgets.max_helpers: expected an unsigned integer, got false"},
        {SET, "budgets.max_wall_time_us", "{}", E_TYPE,
         "manifest: budgets.max_wall_time_us: expected an unsigned integer, got a map"},
        {SET, "capabilities", "\"CAP_LOG\"", E_TYPE,
         "manifest: capabilities: expected an array, got string \"CAP_LOG\""},
        {SET, "capabilities[0]", "true", E_TYPE,
         "manifest: capabilities[0]: expected a capability name or number, got true"},
        {SET, "helper_versions", "[]", E_TYPE,
         "manifest: helper_versions: expected a map, got an array"},
        {SET, "helper_versions.emit", "\"1\"", E_TYPE,
         "manifest: helper_versions.emit: expected an unsigned integer, got string \"1\""},
        {SET, "maps", "{}", E_TYPE, "manifest: maps: expected an array, got a map"},
        {SET, "maps[0]", "1", E_TYPE, "manifest: maps[0]: expected a map, got 1"},
        {SET, "maps[0].name", "1", E_TYPE, "manifest: maps[0].name: expected a string, got 1"},
        {SET, "maps[1].type", "null", E_TYPE,
         "manifest: maps[1].type: expected a map type name or number, got null"},
        {SET, "maps[1].key_size", "-5", E_TYPE,
         "manifest: maps[1].key_size: expected an unsigned integer, got -5"},
        {SET, "maps[1].value_size", "\"8\"", E_TYPE,
         "manifest: maps[1].value_size: expected an unsigned integer, got string \"8\""},
        {SET, "maps[1].max_entries", "1.5", E_TYPE,
         "manifest: maps[1].max_entries: expected an unsigned integer, got a non-integer number"},
        {SET, "maps[1].flags", "[]", E_TYPE,
         "manifest: maps[1].flags: expected an unsigned integer, got an array"},
    };
    RUN_CASES(FULL, cases);
    expect_error("[]", E_TYPE, "manifest: expected a map, got an array");
    expect_error("\"x\"", E_TYPE, "manifest: expected a map, got string \"x\"");
}

/* ---- limits ---- */

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 3);
    assert_non_null(s);
    s[0] = '"';
    memset(s + 1, c, n);
    s[n + 1] = '"';
    s[n + 2] = '\0';
    return s;
}

static void expect_string_limit(const char *path, size_t max, int ident)
{
    char *ok = repeat(ident ? 'i' : 'n', max), *over = repeat(ident ? 'i' : 'n', max + 1);
    char *far = repeat(ident ? 'i' : 'n', 300);
    char msg[128];
    mbpf_manifest_t m;
    char *j = edit(FULL, SET, path, ok);
    expect_ok(j, &m);
    free(j);
    j = edit(FULL, SET, path, over);
    snprintf(msg, sizeof msg, "manifest: %s: %zu bytes long, limit %zu", path, max + 1, max);
    expect_error(j, E_LIMIT, msg);
    free(j);
    j = edit(FULL, SET, path, far); /* longer than the JSON reader's buffer */
    snprintf(msg, sizeof msg, "manifest: %s: 300 bytes long, limit %zu", path, max);
    expect_error(j, E_LIMIT, msg);
    free(j);
    free(ok);
    free(over);
    free(far);
}

static void test_string_length_limits(void **state)
{
    (void)state;
    expect_string_limit("program_name", MBPF_MANIFEST_NAME_MAX, 0);
    expect_string_limit("program_version", MBPF_MANIFEST_VERSION_MAX, 0);
    expect_string_limit("entry_symbol", MBPF_MANIFEST_NAME_MAX, 1);
    expect_string_limit("maps[1].name", MBPF_MANIFEST_IDENT_MAX, 1);

    /* helper names are keys */
    char raw[64], msg[160];
    snprintf(raw, sizeof raw, "{\"%.31s\":1}", "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh");
    char *j = edit(FULL, SET, "helper_versions", raw);
    expect_ok(j, NULL);
    free(j);
    snprintf(raw, sizeof raw, "{\"%.32s\":1}", "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh");
    j = edit(FULL, SET, "helper_versions", raw);
    snprintf(msg, sizeof msg, "manifest: helper_versions.%.32s: 32 bytes long, limit 31",
             "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh");
    expect_error(j, E_LIMIT, msg);
    free(j);
}

static void test_count_limits(void **state)
{
    (void)state;
    static char doc[16384];
    for (int count = MBPF_MANIFEST_MAX_MAPS; count <= MBPF_MANIFEST_MAX_MAPS + 1; count++) {
        size_t n = (size_t)snprintf(doc, sizeof doc, "%.*s,\"maps\":[", (int)strlen(MIN) - 1, MIN);
        for (int i = 0; i < count; i++)
            n += (size_t)snprintf(doc + n, sizeof doc - n,
                                  "%s{\"name\":\"m%d\",\"type\":\"array\",\"key_size\":0,"
                                  "\"value_size\":4,\"max_entries\":1}",
                                  i ? "," : "", i);
        snprintf(doc + n, sizeof doc - n, "]}");
        if (count == MBPF_MANIFEST_MAX_MAPS) {
            mbpf_manifest_t m;
            expect_ok(doc, &m);
            assert_int_equal(m.map_count, MBPF_MANIFEST_MAX_MAPS);
            assert_string_equal(m.maps[31].name, "m31");
        } else {
            expect_error(doc, E_LIMIT, "manifest: maps: more than 32 maps");
        }
    }
    for (int count = MBPF_MANIFEST_MAX_HELPER_VERSIONS;
         count <= MBPF_MANIFEST_MAX_HELPER_VERSIONS + 1; count++) {
        size_t n = (size_t)snprintf(doc, sizeof doc, "%.*s,\"helper_versions\":{",
                                    (int)strlen(MIN) - 1, MIN);
        for (int i = 0; i < count; i++)
            n += (size_t)snprintf(doc + n, sizeof doc - n, "%s\"h%d\":%d", i ? "," : "", i, i);
        snprintf(doc + n, sizeof doc - n, "}}");
        if (count == MBPF_MANIFEST_MAX_HELPER_VERSIONS) {
            mbpf_manifest_t m;
            expect_ok(doc, &m);
            assert_int_equal(m.helper_version_count, 16);
            assert_string_equal(m.helper_versions[15].name, "h15");
            assert_int_equal(m.helper_versions[15].version, 15);
        } else {
            expect_error(doc, E_LIMIT, "manifest: helper_versions: more than 16 entries");
        }
    }
}

/* ---- enumerations ---- */

static void test_hook_type_by_name_and_number(void **state)
{
    (void)state;
    static const char *const names[] = {"TRACEPOINT", "TIMER",    "NET_RX",
                                        "NET_TX",     "SECURITY", "CUSTOM"};
    for (uint32_t v = 1; v <= MBPF_HOOK_TYPE_MAX; v++) {
        char raw[32];
        mbpf_manifest_t m;
        snprintf(raw, sizeof raw, "\"%s\"", names[v - 1]);
        char *j = edit(MIN, SET, "hook_type", raw);
        expect_ok(j, &m);
        assert_int_equal(m.hook_type, v);
        free(j);
        snprintf(raw, sizeof raw, "%u", v);
        j = edit(MIN, SET, "hook_type", raw);
        expect_ok(j, &m);
        assert_int_equal(m.hook_type, v);
        free(j);
    }
    static const edit_case_t cases[] = {
        {SET, "hook_type", "\"NET_RXX\"", E_VALUE,
         "manifest: hook_type: unknown hook type \"NET_RXX\""},
        {SET, "hook_type", "\"net_rx\"", E_VALUE,
         "manifest: hook_type: unknown hook type \"net_rx\""},
        {SET, "hook_type", "\"\"", E_VALUE, "manifest: hook_type: unknown hook type \"\""},
        {SET, "hook_type", "0", E_VALUE, "manifest: hook_type: unknown hook type 0"},
        {SET, "hook_type", "7", E_VALUE, "manifest: hook_type: unknown hook type 7"},
        {SET, "hook_type", "4294967299", E_VALUE,
         "manifest: hook_type: unknown hook type 4294967299"},
    };
    RUN_CASES(MIN, cases);
}

static void test_map_type_by_name_and_number(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint32_t k, v, e;
    } t[] = {
        {"array", 0, 4, 8},        {"hash", 4, 4, 8},        {"lru_hash", 4, 4, 8},
        {"percpu_array", 0, 4, 8}, {"percpu_hash", 4, 4, 8}, {"counter", 0, 8, 8},
        {"ringbuf", 0, 0, 4096},   {"lpm_trie", 8, 4, 8},
    };
    for (uint32_t v = 1; v <= MBPF_MAP_TYPE_MAX; v++) {
        for (int by_number = 0; by_number < 2; by_number++) {
            char raw[256];
            char type[32];
            if (by_number)
                snprintf(type, sizeof type, "%u", v);
            else
                snprintf(type, sizeof type, "\"%s\"", t[v - 1].name);
            snprintf(raw, sizeof raw,
                     "{\"name\":\"x\",\"type\":%s,\"key_size\":%u,\"value_size\":%u,"
                     "\"max_entries\":%u}",
                     type, t[v - 1].k, t[v - 1].v, t[v - 1].e);
            char *j = edit(FULL, SET, "maps[2]", raw);
            mbpf_manifest_t m;
            expect_ok(j, &m);
            assert_int_equal(m.maps[2].type, v);
            assert_string_equal(mbpf_map_type_name(v), t[v - 1].name);
            free(j);
        }
    }
    static const edit_case_t cases[] = {
        {SET, "maps[1].type", "\"Hash\"", E_VALUE,
         "manifest: maps[1].type: unknown map type \"Hash\""},
        {SET, "maps[1].type", "0", E_VALUE, "manifest: maps[1].type: unknown map type 0"},
        {SET, "maps[1].type", "9", E_VALUE, "manifest: maps[1].type: unknown map type 9"},
    };
    RUN_CASES(FULL, cases);
}

static void test_capabilities_by_name_and_number(void **state)
{
    (void)state;
    static const char *const names[] = {"CAP_LOG",         "CAP_MAP_READ", "CAP_MAP_WRITE",
                                        "CAP_MAP_ITERATE", "CAP_EMIT",     "CAP_TIME",
                                        "CAP_STATS"};
    char all_names[256] = "[", all_numbers[64] = "[";
    for (unsigned i = 0; i < 7; i++) {
        char raw[64];
        mbpf_manifest_t m;
        snprintf(raw, sizeof raw, "[\"%s\"]", names[i]);
        char *j = edit(MIN, SET, "capabilities", raw);
        expect_ok(j, &m);
        assert_int_equal(m.capabilities, 1u << i);
        free(j);
        snprintf(raw, sizeof raw, "[%u]", 1u << i);
        j = edit(MIN, SET, "capabilities", raw);
        expect_ok(j, &m);
        assert_int_equal(m.capabilities, 1u << i);
        free(j);
        snprintf(all_names + strlen(all_names), sizeof all_names - strlen(all_names), "%s\"%s\"",
                 i ? "," : "", names[6 - i]);
        snprintf(all_numbers + strlen(all_numbers), sizeof all_numbers - strlen(all_numbers),
                 "%s%u", i ? "," : "", 1u << i);
    }
    strcat(all_names, "]");
    strcat(all_numbers, "]");
    mbpf_manifest_t a, b;
    char *j = edit(MIN, SET, "capabilities", all_names);
    expect_ok(j, &a);
    free(j);
    j = edit(MIN, SET, "capabilities", all_numbers);
    expect_ok(j, &b);
    free(j);
    assert_int_equal(a.capabilities, MBPF_CAP_ALL);
    assert_memory_equal(&a, &b, sizeof a);

    static const edit_case_t cases[] = {
        {SET, "capabilities", "[3]", E_VALUE, "manifest: capabilities[0]: unknown capability 3"},
        {SET, "capabilities", "[0]", E_VALUE, "manifest: capabilities[0]: unknown capability 0"},
        {SET, "capabilities", "[1,128]", E_VALUE,
         "manifest: capabilities[1]: unknown capability 128"},
        {SET, "capabilities", "[4294967297]", E_VALUE,
         "manifest: capabilities[0]: unknown capability 4294967297"},
        {SET, "capabilities", "[\"CAP_FOO\"]", E_VALUE,
         "manifest: capabilities[0]: unknown capability \"CAP_FOO\""},
        {SET, "capabilities", "[\"cap_log\"]", E_VALUE,
         "manifest: capabilities[0]: unknown capability \"cap_log\""},
    };
    RUN_CASES(MIN, cases);
}

static void test_target_values(void **state)
{
    (void)state;
    static const struct {
        const char *ws, *en;
        uint8_t w, e;
    } ok[] = {
        {"32", "\"little\"", 32, MBPF_TARGET_LITTLE},
        {"64", "\"big\"", 64, MBPF_TARGET_BIG},
        {"\"any\"", "\"any\"", MBPF_TARGET_ANY, MBPF_TARGET_ANY},
    };
    for (size_t i = 0; i < 3; i++) {
        char *j = edit(MIN, SET, "target.word_size", ok[i].ws);
        char *k = edit(j, SET, "target.endianness", ok[i].en);
        mbpf_manifest_t m;
        expect_ok(k, &m);
        assert_int_equal(m.target_word_size, ok[i].w);
        assert_int_equal(m.target_endianness, ok[i].e);
        free(j);
        free(k);
    }
    static const edit_case_t cases[] = {
        {SET, "target.word_size", "16", E_VALUE,
         "manifest: target.word_size: 16 not allowed (32, 64 or \"any\")"},
        {SET, "target.word_size", "0", E_VALUE,
         "manifest: target.word_size: 0 not allowed (32, 64 or \"any\")"},
        {SET, "target.word_size", "\"32\"", E_VALUE,
         "manifest: target.word_size: \"32\" not allowed (32, 64 or \"any\")"},
        {SET, "target.endianness", "\"middle\"", E_VALUE,
         "manifest: target.endianness: \"middle\" not allowed (\"little\", \"big\" or \"any\")"},
        {SET, "target.endianness", "\"LITTLE\"", E_VALUE,
         "manifest: target.endianness: \"LITTLE\" not allowed (\"little\", \"big\" or \"any\")"},
    };
    RUN_CASES(MIN, cases);
}

/* ---- values ---- */

static void test_integer_ranges(void **state)
{
    (void)state;
    static const edit_case_t cases[] = {
        {SET, "heap_size", "0", E_VALUE, "manifest: heap_size: must be greater than 0"},
        {SET, "heap_size", "4294967295", 0, NULL},
        {SET, "heap_size", "4294967296", E_VALUE,
         "manifest: heap_size: 4294967296 out of range (max 4294967295)"},
        {SET, "heap_size", "18446744073709551615", E_VALUE,
         "manifest: heap_size: 18446744073709551615 out of range (max 4294967295)"},
        {SET, "budgets.max_steps", "0", E_VALUE,
         "manifest: budgets.max_steps: must be greater than 0"},
        {SET, "budgets.max_helpers", "0", E_VALUE,
         "manifest: budgets.max_helpers: must be greater than 0"},
        {SET, "helper_versions.emit", "4294967296", E_VALUE,
         "manifest: helper_versions.emit: 4294967296 out of range (max 4294967295)"},
        {SET, "maps[1].key_size", "4294967296", E_VALUE,
         "manifest: maps[1].key_size: 4294967296 out of range (max 4294967295)"},
        {SET, "maps[1].flags", "2", E_VALUE, "manifest: maps[1].flags: unknown flag bits 0x2"},
        {SET, "maps[1].flags", "4294967295", E_VALUE,
         "manifest: maps[1].flags: unknown flag bits 0xfffffffe"},
    };
    RUN_CASES(FULL, cases);
}

static void test_text_content_rules(void **state)
{
    (void)state;
    static const edit_case_t cases[] = {
        {SET, "program_name", "\"my prog 2 (beta)\"", 0, NULL},
        {SET, "program_name", "\"\"", E_VALUE, "manifest: program_name: must not be empty"},
        {SET, "program_name", "\"a\\tb\"", E_VALUE,
         "manifest: program_name: \"a?b\" has characters outside printable ASCII"},
        {SET, "program_name", "\"\\u00e9t\\u00e9\"", E_VALUE,
         "manifest: program_name: \"??t??\" has characters outside printable ASCII"},
        {SET, "program_version", "\"1.0\\u007f\"", E_VALUE,
         "manifest: program_version: \"1.0?\" has characters outside printable ASCII"},
        {SET, "entry_symbol", "\"$ok_1\"", 0, NULL},
        {SET, "entry_symbol", "\"\"", E_VALUE, "manifest: entry_symbol: must not be empty"},
        {SET, "entry_symbol", "\"1abc\"", E_VALUE,
         "manifest: entry_symbol: \"1abc\" is not an identifier ([A-Za-z_$][A-Za-z0-9_$]*)"},
        {SET, "maps[0].name", "\"bad name\"", E_VALUE,
         "manifest: maps[0].name: \"bad name\" is not an identifier ([A-Za-z_$][A-Za-z0-9_$]*)"},
        {SET, "helper_versions.bad-name", "1", E_VALUE,
         "manifest: helper_versions.bad-name: \"bad-name\" is not an identifier "
         "([A-Za-z_$][A-Za-z0-9_$]*)"},
        {SET, "helper_versions", "{\"\":1}", E_VALUE,
         "manifest: helper_versions.\"\": must not be empty"},
    };
    RUN_CASES(FULL, cases);
}

static void test_map_rules_by_type(void **state)
{
    (void)state;
#define MAP2(t, k, v, e, f)                                                                        \
    "{\"name\":\"x\",\"type\":\"" t "\",\"key_size\":" #k ",\"value_size\":" #v                    \
    ",\"max_entries\":" #e ",\"flags\":" #f "}"
    static const edit_case_t cases[] = {
        {SET, "maps[2]", MAP2("hash", 0, 8, 16, 0), E_VALUE,
         "manifest: maps[2].key_size: 0 not allowed for type hash"},
        {SET, "maps[2]", MAP2("lru_hash", 0, 8, 16, 0), E_VALUE,
         "manifest: maps[2].key_size: 0 not allowed for type lru_hash"},
        {SET, "maps[2]", MAP2("percpu_hash", 0, 8, 16, 0), E_VALUE,
         "manifest: maps[2].key_size: 0 not allowed for type percpu_hash"},
        {SET, "maps[2]", MAP2("lpm_trie", 0, 8, 16, 0), E_VALUE,
         "manifest: maps[2].key_size: 0 not allowed for type lpm_trie"},
        {SET, "maps[2]", MAP2("array", 4, 8, 16, 0), E_VALUE,
         "manifest: maps[2].key_size: 4 not allowed for type array (must be 0)"},
        {SET, "maps[2]", MAP2("percpu_array", 4, 8, 16, 0), E_VALUE,
         "manifest: maps[2].key_size: 4 not allowed for type percpu_array (must be 0)"},
        {SET, "maps[2]", MAP2("counter", 4, 8, 16, 0), E_VALUE,
         "manifest: maps[2].key_size: 4 not allowed for type counter (must be 0)"},
        {SET, "maps[2]", MAP2("ringbuf", 4, 0, 4096, 0), E_VALUE,
         "manifest: maps[2].key_size: 4 not allowed for type ringbuf (must be 0)"},
        {SET, "maps[2]", MAP2("counter", 0, 4, 16, 0), E_VALUE,
         "manifest: maps[2].value_size: 4 not allowed for type counter (must be 8)"},
        {SET, "maps[2]", MAP2("ringbuf", 0, 8192, 4096, 0), E_VALUE,
         "manifest: maps[2].value_size: record size 8192 exceeds the ring size 4096 (max_entries)"},
        {SET, "maps[2]", MAP2("ringbuf", 0, 4096, 4096, 0), 0, NULL},
        {SET, "maps[2]", MAP2("ringbuf", 0, 0, 0, 0), E_VALUE,
         "manifest: maps[2].max_entries: 0 not allowed for type ringbuf"},
        {SET, "maps[2]", MAP2("hash", 4, 0, 16, 0), E_VALUE,
         "manifest: maps[2].value_size: 0 not allowed for type hash"},
        {SET, "maps[2]", MAP2("array", 0, 4, 0, 0), E_VALUE,
         "manifest: maps[2].max_entries: 0 not allowed for type array"},
        {SET, "maps[2]", MAP2("hash", 4, 4, 4, 3), E_VALUE,
         "manifest: maps[2].flags: unknown flag bits 0x2"},
        {SET, "maps[2]", MAP2("array", 0, 4, 4, 1), 0, NULL},
    };
#undef MAP2
    RUN_CASES(FULL, cases);
}

/* A NUL inside a string (possible in JSON via \u0000 and in CBOR text) is
 * a bad character, never a silent end of the string. */
static void test_embedded_nul_rejected_in_both_formats(void **state)
{
    (void)state;
    char *j = edit(MIN, SET, "program_name", "\"aXb\"");
    uint8_t *cbor;
    size_t n;
    char err[512];
    assert_int_equal(mbpf_tool_json_to_cbor(j, strlen(j), "t", &cbor, &n, err, sizeof err), 0);
    free(j);
    uint8_t *x = memchr(cbor, 'X', n);
    assert_non_null(x);
    *x = '\0';
    mbpf_manifest_t m;
    mbpf_diag_t d;
    assert_int_equal(mbpf_manifest_decode_cbor(cbor, n, &m, &d), E_VALUE);
    assert_string_equal(d.msg,
                        "manifest: program_name: \"a?b\" has characters outside printable ASCII");
    free(cbor);
#ifdef MBPF_JSON_MANIFEST
    j = edit(MIN, SET, "program_name", "\"a\\u0000b\"");
    assert_int_equal(mbpf_manifest_decode_json(j, strlen(j), &m, &d), E_VALUE);
    assert_string_equal(d.msg,
                        "manifest: program_name: \"a?b\" has characters outside printable ASCII");
    /* cJSON would cut the string at the NUL; the tool refuses it instead */
    assert_int_equal(mbpf_tool_manifest_from_json(j, strlen(j), "t.json", &m, err, sizeof err),
                     E_SYNTAX);
    assert_string_equal(err, "t.json:1:19: \\u0000 not allowed in a manifest");
    free(j);
#endif
}

/* ---- JSON syntax (runtime reader) ---- */

#ifdef MBPF_JSON_MANIFEST
typedef struct syntax_case {
    const char *text;
    size_t len; /* 0: strlen */
    int code;
    const char *msg;
} syntax_case_t;

static void run_syntax_cases(const syntax_case_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mbpf_manifest_t m;
        mbpf_diag_t d = {{0}};
        size_t len = c[i].len ? c[i].len : strlen(c[i].text);
        int rc = mbpf_manifest_decode_json(c[i].text, len, &m, &d);
        if (rc != c[i].code || strcmp(d.msg, c[i].msg) != 0)
            print_message("case %zu: %s -> %d %s\n", i, c[i].text, rc, d.msg);
        assert_int_equal(rc, c[i].code);
        assert_string_equal(d.msg, c[i].msg);
        assert_true(all_zero(&m, sizeof m));
        /* the tools refuse every one of them too, in the same words */
        char err[512], want[512];
        assert_int_equal(mbpf_tool_manifest_from_json(c[i].text, len, "t", &m, err, sizeof err),
                         c[i].code);
        snprintf(want, sizeof want, "t:%s", c[i].msg + strlen("manifest: "));
        assert_string_equal(err, want);
    }
}

static void test_json_syntax_errors_give_line_and_column(void **state)
{
    (void)state;
    static const syntax_case_t cases[] = {
        {"{\n  \"a\": 1,\n  \"x\": 12345 \"y\": 2\n}", 0, E_SYNTAX,
         "manifest: 3:14: expected ',' or '}'"},
        {"{\"a\":1,}", 0, E_SYNTAX, "manifest: 1:8: expected a string key"},
        {"{\"a\":1,,}", 0, E_SYNTAX, "manifest: 1:8: expected a string key"},
        {"{,}", 0, E_SYNTAX, "manifest: 1:2: expected a string key or '}'"},
        {"[1,]", 0, E_SYNTAX, "manifest: 1:4: expected a value"},
        {"{\"a\":[1 2]}", 0, E_SYNTAX, "manifest: 1:9: expected ',' or ']'"},
        {"{\"a\":[}", 0, E_SYNTAX, "manifest: 1:7: expected a value"},
        {"{} x", 0, E_SYNTAX, "manifest: 1:4: unexpected characters after the value"},
        {"{\"a\":1}}", 0, E_SYNTAX, "manifest: 1:8: unexpected characters after the value"},
        {"{\"a\":1}\0", 8, E_SYNTAX, "manifest: 1:8: unexpected characters after the value"},
        {"", 0, E_SYNTAX, "manifest: 1:1: unexpected end of input"},
        {"  \n ", 0, E_SYNTAX, "manifest: 2:2: unexpected end of input"},
        {"[", 0, E_SYNTAX, "manifest: 1:2: unexpected end of input"},
        {"{\"a\"", 0, E_SYNTAX, "manifest: 1:5: unexpected end of input"},
        {"{\"a\" 1}", 0, E_SYNTAX, "manifest: 1:6: expected ':'"},
        {"{'a':1}", 0, E_SYNTAX, "manifest: 1:2: expected a string key or '}'"},
        {"{a:1}", 0, E_SYNTAX, "manifest: 1:2: expected a string key or '}'"},
        {"// comment\n{}", 0, E_SYNTAX, "manifest: 1:1: expected a value"},
        {"{} /* c */", 0, E_SYNTAX, "manifest: 1:4: unexpected characters after the value"},
        {"{\"a\":01}", 0, E_SYNTAX, "manifest: 1:6: leading zeros not allowed"},
        {"{\"a\":-01}", 0, E_SYNTAX, "manifest: 1:7: leading zeros not allowed"},
        {"{\"a\":1.}", 0, E_SYNTAX, "manifest: 1:8: expected a digit after '.'"},
        {"{\"a\":.5}", 0, E_SYNTAX, "manifest: 1:6: expected a value"},
        {"{\"a\":1e}", 0, E_SYNTAX, "manifest: 1:8: expected a digit in exponent"},
        {"{\"a\":1e+}", 0, E_SYNTAX, "manifest: 1:9: expected a digit in exponent"},
        {"{\"a\":-}", 0, E_SYNTAX, "manifest: 1:7: expected a digit"},
        {"{\"a\":+1}", 0, E_SYNTAX, "manifest: 1:6: expected a value"},
        {"{\"a\":0x10}", 0, E_SYNTAX, "manifest: 1:7: expected ',' or '}'"},
        {"{\"a\":tru}", 0, E_SYNTAX, "manifest: 1:6: expected a value"},
        {"{\"a\":True}", 0, E_SYNTAX, "manifest: 1:6: expected a value"},
        {"{\"a\":NaN}", 0, E_SYNTAX, "manifest: 1:6: expected a value"},
        {"{\"a\":truex}", 0, E_SYNTAX, "manifest: 1:10: expected ',' or '}'"},
        {"{\"a\":\"x}", 0, E_SYNTAX, "manifest: 1:6: unterminated string"},
        {"\xef\xbb\xbf{}", 0, E_SYNTAX, "manifest: 1:1: expected a value"},
        {"{\"\xc3\xa9\":1 x}", 0, E_SYNTAX, "manifest: 1:8: expected ',' or '}'"},
        {"{\x0b}", 0, E_SYNTAX, "manifest: 1:2: expected a string key or '}'"},
    };
    run_syntax_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_bad_strings_rejected(void **state)
{
    (void)state;
    static const syntax_case_t cases[] = {
        {"{\"program_name\":\"\\x\"}", 0, E_SYNTAX, "manifest: 1:18: invalid escape '\\x'"},
        {"{\"program_name\":\"\\'\"}", 0, E_SYNTAX, "manifest: 1:18: invalid escape '\\''"},
        {"{\"program_name\":\"\\u12G4\"}", 0, E_SYNTAX, "manifest: 1:18: invalid \\u escape"},
        {"{\"program_name\":\"\\u12\"}", 0, E_SYNTAX, "manifest: 1:18: invalid \\u escape"},
        {"{\"program_name\":\"\\ud800\"}", 0, E_SYNTAX,
         "manifest: 1:18: unpaired surrogate in \\u escape"},
        {"{\"program_name\":\"\\ud800\\u0041\"}", 0, E_SYNTAX,
         "manifest: 1:18: unpaired surrogate in \\u escape"},
        {"{\"program_name\":\"\\ud800\\udbff\"}", 0, E_SYNTAX,
         "manifest: 1:18: unpaired surrogate in \\u escape"},
        {"{\"program_name\":\"\\udc00\"}", 0, E_SYNTAX,
         "manifest: 1:18: unpaired surrogate in \\u escape"},
        {"{\"program_name\":\"a\tb\"}", 0, E_SYNTAX,
         "manifest: 1:19: control character in string (escape it)"},
        {"{\"program_name\":\"a\nb\"}", 0, E_SYNTAX,
         "manifest: 1:19: control character in string (escape it)"},
        {"{\"program_name\":\"\xff\"}", 0, E_SYNTAX, "manifest: 1:18: invalid UTF-8"},
        {"{\"program_name\":\"\xc0\xaf\"}", 0, E_SYNTAX, "manifest: 1:18: invalid UTF-8"},
        {"{\"program_name\":\"\xed\xa0\x80\"}", 0, E_SYNTAX, "manifest: 1:18: invalid UTF-8"},
        {"{\"program_name\":\"\xe2\x82\"}", 0, E_SYNTAX, "manifest: 1:18: invalid UTF-8"},
        {"{\"program_name\":\"\xf4\x90\x80\x80\"}", 0, E_SYNTAX, "manifest: 1:18: invalid UTF-8"},
        {"{\"program_name\":\"\x80\"}", 0, E_SYNTAX, "manifest: 1:18: invalid UTF-8"},
        {"{\"program_name\":\"\\", 0, E_SYNTAX, "manifest: 1:17: unterminated string"},
    };
    run_syntax_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_escapes_decode(void **state)
{
    (void)state;
    static const char text[] =
        "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\ud83d\\ude00\\u0000"
        "\",\"h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]";
    static const char want0[] = "\"\\/\b\f\n\r\tA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    mbpf_json_reader_t r;
    mbpf_tok_t t;
    mbpf_diag_t d;
    mbpf_json_reader_init(&r, text, strlen(text), "t");
    assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
    assert_int_equal(t.type, MBPF_TOK_ARRAY_BEGIN);
    assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
    assert_int_equal(t.type, MBPF_TOK_TEXT);
    assert_int_equal(t.len, sizeof want0); /* with the trailing \u0000 */
    assert_memory_equal(t.text, want0, sizeof want0);
    assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
    assert_int_equal(t.type, MBPF_TOK_TEXT);
    assert_int_equal(t.len, 10);
    assert_memory_equal(t.text, "h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10);
    assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
    assert_int_equal(t.type, MBPF_TOK_ARRAY_END);
    assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
    assert_int_equal(t.type, MBPF_TOK_EOF);

    /* printable escapes in a manifest field */
    char *j = edit(MIN, SET, "program_name", "\"\\u0041b\\/c\\\"d\\\\\"");
    mbpf_manifest_t m;
    expect_ok(j, &m);
    assert_string_equal(m.program_name, "Ab/c\"d\\");
    free(j);
}

static void test_json_long_string_reports_full_length(void **state)
{
    (void)state;
    char text[400];
    text[0] = '"';
    memset(text + 1, 'z', 300);
    memcpy(text + 301, "\"", 2);
    mbpf_json_reader_t r;
    mbpf_tok_t t;
    mbpf_diag_t d;
    mbpf_json_reader_init(&r, text, strlen(text), "t");
    assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
    assert_int_equal(t.type, MBPF_TOK_TEXT);
    assert_int_equal(t.len, 300);
    assert_int_equal(t.avail, MBPF_JSON_STR_BUF);
}

static void test_json_numbers_classified(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        mbpf_tok_type_t type;
        uint64_t u;
    } cases[] = {
        {"0", MBPF_TOK_UINT, 0},
        {"4294967296", MBPF_TOK_UINT, 4294967296u},
        {"18446744073709551615", MBPF_TOK_UINT, UINT64_MAX},
        {"18446744073709551616", MBPF_TOK_FLOAT, 0},
        {"-1", MBPF_TOK_NEGINT, 0},
        {"-18446744073709551615", MBPF_TOK_NEGINT, UINT64_MAX - 1},
        {"-18446744073709551616", MBPF_TOK_FLOAT, 0},
        {"-0", MBPF_TOK_FLOAT, 0},
        {"1.5", MBPF_TOK_FLOAT, 0},
        {"1.0", MBPF_TOK_FLOAT, 0},
        {"1e5", MBPF_TOK_FLOAT, 0},
        {"1E+5", MBPF_TOK_FLOAT, 0},
        {"-2e-5", MBPF_TOK_FLOAT, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mbpf_json_reader_t r;
        mbpf_tok_t t;
        mbpf_diag_t d;
        mbpf_json_reader_init(&r, cases[i].text, strlen(cases[i].text), "t");
        assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
        assert_int_equal(t.type, cases[i].type);
        assert_true(t.u == cases[i].u);
        assert_int_equal(mbpf_json_reader_next(&r, &t, &d), 0);
        assert_int_equal(t.type, MBPF_TOK_EOF);
    }
}

static void test_json_nesting_limit(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    mbpf_diag_t d;
    char err[256];
    /* 1 + 7 containers: within the limit, so the schema speaks */
    static const char ok[] = "{\"program_name\":[[[[[[[1]]]]]]]}";
    expect_error(ok, E_TYPE, "manifest: program_name: expected a string, got an array");
    static const char deep[] = "{\"program_name\":[[[[[[[[1]]]]]]]]}";
    assert_int_equal(mbpf_manifest_decode_json(deep, strlen(deep), &m, &d), E_LIMIT);
    assert_string_equal(d.msg, "manifest: 1:24: nesting deeper than 8");
    assert_int_equal(
        mbpf_tool_manifest_from_json(deep, strlen(deep), "t.json", &m, err, sizeof err), E_LIMIT);
    assert_string_equal(err, "t.json:1:24: nesting deeper than 8");
    /* far beyond cJSON's own limit */
    static char very[4001];
    memset(very, '[', 4000);
    assert_int_equal(mbpf_manifest_decode_json(very, 4000, &m, &d), E_LIMIT);
    assert_string_equal(d.msg, "manifest: 1:9: nesting deeper than 8");
    assert_int_equal(mbpf_tool_manifest_from_json(very, 4000, "t.json", &m, err, sizeof err),
                     E_LIMIT);
    assert_string_equal(err, "t.json:1:9: nesting deeper than 8");
}

static void test_syntax_reported_before_schema(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    mbpf_diag_t d;
    static const char bad[] = "{\"colour\":1,\"x\":}";
    assert_int_equal(mbpf_manifest_decode_json(bad, strlen(bad), &m, &d), E_SYNTAX);
    assert_string_equal(d.msg, "manifest: 1:17: expected a value");
}
#endif /* MBPF_JSON_MANIFEST */

/* ---- the tools' reader ---- */

static void test_tool_errors_name_file_line_and_column(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *file;
        int code;
        const char *err;
    } cases[] = {
        {"{\n  \"a\": 1,\n  \"x\": 12345 \"y\": 2\n}", "m.json", E_SYNTAX,
         "m.json:3:14: expected ',' or '}'"},
        {"{\"a\":", "m.json", E_SYNTAX, "m.json:1:6: unexpected end of input"},
        {"{\"a\":1", "m.json", E_SYNTAX, "m.json:1:7: unexpected end of input"},
        {"", NULL, E_SYNTAX, "<input>:1:1: unexpected end of input"},
        {"{\"a\":1,}", "m.json", E_SYNTAX, "m.json:1:8: expected a string key"},
        {"{\"a\":01}", "m.json", E_SYNTAX, "m.json:1:6: leading zeros not allowed"},
        {"{\"a\":1.}", "m.json", E_SYNTAX, "m.json:1:8: expected a digit after '.'"},
        {"{\"a\":1e}", "m.json", E_SYNTAX, "m.json:1:8: expected a digit in exponent"},
        {"{\x01}", "m.json", E_SYNTAX, "m.json:1:2: expected a string key or '}'"},
        {"\xef\xbb\xbf{}", "m.json", E_SYNTAX, "m.json:1:1: expected a value"},
        {"{\"a\":\"x\ty\"}", "m.json", E_SYNTAX,
         "m.json:1:8: control character in string (escape it)"},
        {"{\"a\":\"\\q\"}", "m.json", E_SYNTAX, "m.json:1:7: invalid escape '\\q'"},
        {"{\"\xc3\xa9\":\"\xff\"}", "m.json", E_SYNTAX, "m.json:1:7: invalid UTF-8"},
        {"{} x", "m.json", E_SYNTAX, "m.json:1:4: unexpected characters after the value"},
        {"{}\n\n}", "m.json", E_SYNTAX, "m.json:3:1: unexpected characters after the value"},
        {"{\"heap_size\":1}", "m.json", E_MISSING, "m.json: manifest: program_name: missing"},
        {"{\"heap_size\":1.0}", "m.json", E_TYPE,
         "m.json: manifest: heap_size: expected an unsigned integer, got a non-integer number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mbpf_manifest_t m;
        char err[512] = "";
        int rc = mbpf_tool_manifest_from_json(cases[i].text, strlen(cases[i].text), cases[i].file,
                                              &m, err, sizeof err);
        if (rc != cases[i].code || strcmp(err, cases[i].err) != 0)
            print_message("case %zu: %d %s\n", i, rc, err);
        assert_int_equal(rc, cases[i].code);
        assert_string_equal(err, cases[i].err);
        assert_true(all_zero(&m, sizeof m));
    }
}

static void test_tool_accepts_whitespace_and_unterminated_buffer(void **state)
{
    (void)state;
    /* the text need not be NUL-terminated: give it a buffer without one */
    size_t len = strlen(MIN) + 4;
    char *buf = malloc(len);
    assert_non_null(buf);
    memcpy(buf, " \t\r\n", 4);
    memcpy(buf + 4, MIN, strlen(MIN));
    mbpf_manifest_t a, b;
    char err[256];
    assert_int_equal(mbpf_tool_manifest_from_json(buf, len, "t", &a, err, sizeof err), 0);
    expect_ok(MIN, &b);
    assert_memory_equal(&a, &b, sizeof a);
    free(buf);
}

/* ---- MAPS section ---- */

static void test_decode_maps_section(void **state)
{
    (void)state;
    static const char maps_json[] =
        "[{\"name\":\"a\",\"type\":\"array\",\"key_size\":0,\"value_size\":4,\"max_entries\":8},"
        "{\"name\":\"h\",\"type\":2,\"key_size\":4,\"value_size\":8,\"max_entries\":16,\"flags\":1}"
        "]";
    mbpf_manifest_t base, m;
    mbpf_diag_t d;
    char err[256];
    expect_ok(MIN, &base);

    uint8_t *cbor;
    size_t n;
    assert_int_equal(
        mbpf_tool_json_to_cbor(maps_json, strlen(maps_json), "t", &cbor, &n, err, sizeof err), 0);
    m = base;
    assert_int_equal(mbpf_manifest_decode_maps(cbor, n, &m, &d), 0);
    assert_int_equal(m.map_count, 2);
    assert_string_equal(m.maps[1].name, "h");
    assert_int_equal(m.maps[1].type, MBPF_MAP_HASH);
    assert_int_equal(m.maps[1].flags, 1);
    /* the same maps inside a manifest give the same struct */
    mbpf_manifest_t inside;
    char *j = edit(MIN, SET, "maps", maps_json);
    expect_ok(j, &inside);
    free(j);
    assert_memory_equal(&m, &inside, sizeof m);
#ifdef MBPF_JSON_MANIFEST
    mbpf_manifest_t mj = base;
    assert_int_equal(mbpf_manifest_decode_maps(maps_json, strlen(maps_json), &mj, &d), 0);
    assert_memory_equal(&mj, &m, sizeof m);
#endif

    /* maps in both places */
    assert_int_equal(mbpf_manifest_decode_maps(cbor, n, &m, &d), E_DUPLICATE);
    assert_string_equal(d.msg, "maps section: maps: already defined in the manifest");
    free(cbor);

    static const struct {
        const char *json;
        int code;
        const char *msg;
    } bad[] = {
        {"{}", E_TYPE, "maps section: maps: expected an array, got a map"},
        {"[{\"name\":\"a\",\"type\":\"hash\",\"key_size\":0,\"value_size\":4,\"max_entries\":8}]",
         E_VALUE, "maps section: maps[0].key_size: 0 not allowed for type hash"},
        {"[{\"name\":\"a\",\"size\":1}]", E_UNKNOWN, "maps section: maps[0].size: unknown key"},
        {"[{\"name\":\"a\"}]", E_MISSING, "maps section: maps[0].type: missing"},
        {"[{\"name\":\"a\",\"type\":1,\"key_size\":0,\"value_size\":4,\"max_entries\":8},"
         "{\"name\":\"a\",\"type\":1,\"key_size\":0,\"value_size\":4,\"max_entries\":8}]",
         E_DUPLICATE, "maps section: maps[1].name: \"a\" already used by maps[0]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(mbpf_tool_json_to_cbor(bad[i].json, strlen(bad[i].json), "t", &cbor, &n,
                                                err, sizeof err),
                         0);
        m = base;
        int rc = mbpf_manifest_decode_maps(cbor, n, &m, &d);
        free(cbor);
        assert_int_equal(rc, bad[i].code);
        assert_string_equal(d.msg, bad[i].msg);
        assert_int_equal(m.map_count, 0);
        assert_true(all_zero(m.maps, sizeof m.maps));
#ifdef MBPF_JSON_MANIFEST
        if (bad[i].json[0] == '[') {
            m = base;
            assert_int_equal(mbpf_manifest_decode_maps(bad[i].json, strlen(bad[i].json), &m, &d),
                             bad[i].code);
            assert_string_equal(d.msg, bad[i].msg);
        }
#endif
    }
    /* an empty MAPS section is fine */
    static const uint8_t empty[] = {0x80};
    m = base;
    assert_int_equal(mbpf_manifest_decode_maps(empty, 1, &m, &d), 0);
    assert_int_equal(m.map_count, 0);
#ifdef MBPF_JSON_MANIFEST
    assert_int_equal(mbpf_manifest_decode_maps("[{]", 3, &m, &d), E_SYNTAX);
    assert_string_equal(d.msg, "maps section: 1:3: expected a string key or '}'");
#endif
}

static void test_decode_detects_format(void **state)
{
    (void)state;
    mbpf_manifest_t a, b;
    mbpf_diag_t d;
    uint8_t *cbor;
    size_t n;
    char err[256];
    assert_int_equal(mbpf_tool_json_to_cbor(FULL, strlen(FULL), "t", &cbor, &n, err, sizeof err),
                     0);
    assert_int_equal(mbpf_manifest_decode(cbor, n, &a, &d), 0);
    free(cbor);
#ifdef MBPF_JSON_MANIFEST
    char text[sizeof FULL + 8];
    snprintf(text, sizeof text, " \r\n\t%s", FULL);
    assert_int_equal(mbpf_manifest_decode(text, strlen(text), &b, &d), 0);
    assert_memory_equal(&a, &b, sizeof a);
#else
    assert_int_equal(mbpf_manifest_decode(FULL, strlen(FULL), &b, &d), E_SYNTAX);
    (void)b;
#endif
}

/* ---- encoding ---- */

static void test_encode_decode_round_trip_is_identity(void **state)
{
    (void)state;
    size_t len;
    const char *fixture = read_fixture("net_rx_full.json", &len);
    const char *docs[] = {MIN, FULL, fixture};
    static uint8_t buf[8192], buf2[8192];
    for (size_t i = 0; i < 3; i++) {
        mbpf_manifest_t m, back;
        mbpf_diag_t d;
        size_t n, n2;
        expect_ok(docs[i], &m);
        assert_int_equal(mbpf_manifest_encode_cbor(&m, buf, sizeof buf, &n, &d), 0);
        assert_int_equal(mbpf_manifest_decode_cbor(buf, n, &back, &d), 0);
        assert_memory_equal(&m, &back, sizeof m);
        assert_int_equal(mbpf_manifest_encode_cbor(&back, buf2, sizeof buf2, &n2, &d), 0);
        assert_int_equal(n, n2);
        assert_memory_equal(buf, buf2, n);
    }
}

/* The largest manifest: every limit reached. */
static void build_max_manifest(mbpf_manifest_t *m)
{
    memset(m, 0, sizeof *m);
    memset(m->program_name, '~', MBPF_MANIFEST_NAME_MAX);
    memset(m->program_version, ' ', MBPF_MANIFEST_VERSION_MAX);
    m->program_version[0] = 'v';
    m->hook_type = MBPF_HOOK_CUSTOM;
    m->hook_ctx_abi_version = UINT32_MAX;
    memset(m->entry_symbol, '$', MBPF_MANIFEST_NAME_MAX);
    m->bytecode_version = UINT32_MAX;
    m->target_word_size = 64;
    m->target_endianness = MBPF_TARGET_BIG;
    m->mbpf_api_version = UINT32_MAX;
    m->heap_size = m->max_steps = m->max_helpers = m->max_wall_time_us = UINT32_MAX;
    m->capabilities = MBPF_CAP_ALL;
    m->helper_version_count = MBPF_MANIFEST_MAX_HELPER_VERSIONS;
    for (unsigned i = 0; i < MBPF_MANIFEST_MAX_HELPER_VERSIONS; i++) {
        memset(m->helper_versions[i].name, 'h', MBPF_MANIFEST_IDENT_MAX);
        m->helper_versions[i].name[0] = (char)('A' + i);
        m->helper_versions[i].version = i * 0x10001u;
    }
    m->map_count = MBPF_MANIFEST_MAX_MAPS;
    for (unsigned i = 0; i < MBPF_MANIFEST_MAX_MAPS; i++) {
        mbpf_map_def_t *d = &m->maps[i];
        memset(d->name, '_', MBPF_MANIFEST_IDENT_MAX);
        d->name[0] = (char)('a' + i % 26);
        d->name[1] = (char)('a' + i / 26);
        d->type = MBPF_MAP_HASH;
        d->key_size = d->value_size = d->max_entries = UINT32_MAX;
        d->flags = MBPF_MAP_F_ALL;
    }
}

static void test_encode_largest_manifest_round_trips(void **state)
{
    (void)state;
    static mbpf_manifest_t m, back;
    static uint8_t buf[16384];
    mbpf_diag_t d;
    size_t n;
    build_max_manifest(&m);
    assert_int_equal(mbpf_manifest_validate(&m, &d), 0);
    assert_int_equal(mbpf_manifest_encode_cbor(&m, buf, sizeof buf, &n, &d), 0);
    assert_int_equal(mbpf_manifest_decode_cbor(buf, n, &back, &d), 0);
    assert_memory_equal(&m, &back, sizeof m);
    print_message("largest manifest: %zu bytes of CBOR\n", n);
}

static void test_encode_output_is_canonical(void **state)
{
    (void)state;
    /* walk the encoding: every schema map has its keys in canonical order
     * (shorter first, then bytewise), every head is shortest (checked by
     * re-encoding each token with the writer) */
    mbpf_manifest_t m;
    size_t len;
    expect_ok(read_fixture("net_rx_full.json", &len), &m);
    static uint8_t buf[4096];
    size_t n;
    mbpf_diag_t d;
    assert_int_equal(mbpf_manifest_encode_cbor(&m, buf, sizeof buf, &n, &d), 0);

    mbpf_cbor_reader_t r;
    mbpf_tok_t t;
    mbpf_cbor_reader_init(&r, buf, n, "t");
    struct {
        int is_map, key_next, unsorted;
        char last[64];
        size_t last_len;
    } st[MBPF_MANIFEST_MAX_DEPTH + 1];
    int depth = 0, pending_helpers = 0;
    size_t keys_checked = 0;
    for (;;) {
        size_t start = r.pos;
        assert_int_equal(mbpf_cbor_reader_next(&r, &t, &d), 0);
        if (t.type == MBPF_TOK_EOF) break;
        if (t.type == MBPF_TOK_MAP_END || t.type == MBPF_TOK_ARRAY_END) {
            depth--;
            continue;
        }
        /* shortest form: the writer re-encodes this head identically */
        uint8_t again[16];
        mbpf_cbor_writer_t w;
        mbpf_cbor_writer_init(&w, again, sizeof again);
        if (t.type == MBPF_TOK_UINT)
            mbpf_cbor_put_uint(&w, t.u);
        else if (t.type == MBPF_TOK_TEXT)
            w.len = 0; /* head checked below */
        else if (t.type == MBPF_TOK_MAP_BEGIN)
            mbpf_cbor_put_map(&w, t.u);
        else if (t.type == MBPF_TOK_ARRAY_BEGIN)
            mbpf_cbor_put_array(&w, t.u);
        else
            fail_msg("unexpected token type %d", t.type);
        if (t.type == MBPF_TOK_TEXT) {
            mbpf_cbor_writer_init(&w, again, sizeof again);
            mbpf_cbor_put_uint(&w, t.len);
            again[0] |= 0x60;
            assert_int_equal(r.pos - start, w.len + t.len);
        } else {
            assert_int_equal(r.pos - start, w.len);
        }
        assert_memory_equal(buf + start, again, w.len);

        int is_key = depth > 0 && st[depth - 1].is_map && st[depth - 1].key_next;
        if (depth > 0 && st[depth - 1].is_map) st[depth - 1].key_next = !st[depth - 1].key_next;
        int helpers_value = 0;
        if (is_key) {
            assert_int_equal(t.type, MBPF_TOK_TEXT);
            if (!st[depth - 1].unsorted) {
                if (st[depth - 1].last_len) {
                    int later = t.len > st[depth - 1].last_len ||
                                (t.len == st[depth - 1].last_len &&
                                 memcmp(t.text, st[depth - 1].last, t.len) > 0);
                    assert_true(later);
                }
                memcpy(st[depth - 1].last, t.text, t.len);
                st[depth - 1].last_len = t.len;
                keys_checked++;
            }
            pending_helpers = t.len == 15 && memcmp(t.text, "helper_versions", 15) == 0;
        } else {
            helpers_value = pending_helpers;
            pending_helpers = 0;
        }
        if (t.type == MBPF_TOK_MAP_BEGIN || t.type == MBPF_TOK_ARRAY_BEGIN) {
            memset(&st[depth], 0, sizeof st[depth]);
            st[depth].is_map = t.type == MBPF_TOK_MAP_BEGIN;
            st[depth].key_next = 1;
            st[depth].unsorted = helpers_value; /* helper_versions keeps struct order */
            depth++;
        }
    }
    /* 13 top-level + 2 target + 3 budgets + 6 per map */
    assert_int_equal(keys_checked, 13 + 2 + 3 + 6 * m.map_count);
}

static void test_encode_rejects_invalid_manifest(void **state)
{
    (void)state;
    mbpf_manifest_t good;
    expect_ok(FULL, &good);
    static const struct {
        int field;
        int code;
        const char *msg;
    } cases[] = {
        {0, E_VALUE, "manifest: program_name: not NUL-terminated"},
        {1, E_VALUE, "manifest: hook_type: unknown hook type 0"},
        {2, E_VALUE, "manifest: target.word_size: 16 not allowed (32, 64 or \"any\")"},
        {3, E_VALUE, "manifest: target.endianness: 3 not allowed (MBPF_TARGET_*)"},
        {4, E_VALUE, "manifest: capabilities: unknown capability bits 0x80"},
        {5, E_LIMIT, "manifest: maps: more than 32 maps"},
        {6, E_LIMIT, "manifest: helper_versions: more than 16 entries"},
        {7, E_DUPLICATE, "manifest: helper_versions.emit: duplicate key"},
        {8, E_VALUE, "manifest: maps[1].key_size: 0 not allowed for type hash"},
        {9, E_VALUE, "manifest: entry_symbol: must not be empty"},
        {10, E_VALUE, "manifest: maps[2].type: unknown map type 9"},
        {11, E_VALUE, "manifest: heap_size: must be greater than 0"},
        {12, E_VALUE,
         "manifest: helper_versions[1].name: \"a b\" is not an identifier "
         "([A-Za-z_$][A-Za-z0-9_$]*)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mbpf_manifest_t m = good;
        switch (cases[i].field) {
        case 0: memset(m.program_name, 'x', sizeof m.program_name); break;
        case 1: m.hook_type = 0; break;
        case 2: m.target_word_size = 16; break;
        case 3: m.target_endianness = 3; break;
        case 4: m.capabilities |= 0x80; break;
        case 5: m.map_count = 33; break;
        case 6: m.helper_version_count = 17; break;
        case 7: memcpy(m.helper_versions[1].name, "emit", 5); break;
        case 8: m.maps[1].key_size = 0; break;
        case 9: m.entry_symbol[0] = '\0'; break;
        case 10: m.maps[2].type = 9; break;
        case 11: m.heap_size = 0; break;
        case 12: memcpy(m.helper_versions[1].name, "a b", 4); break;
        }
        uint8_t buf[2048];
        size_t n = 99;
        mbpf_diag_t d;
        assert_int_equal(mbpf_manifest_encode_cbor(&m, buf, sizeof buf, &n, &d), cases[i].code);
        assert_string_equal(d.msg, cases[i].msg);
        assert_int_equal(n, 0);
        assert_int_equal(mbpf_manifest_validate(&m, &d), cases[i].code);
        assert_string_equal(d.msg, cases[i].msg);
    }
}

static void test_encode_reports_the_size_it_needs(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    expect_ok(FULL, &m);
    uint8_t buf[1024];
    size_t need, n;
    mbpf_diag_t d;
    assert_int_equal(mbpf_manifest_encode_cbor(&m, NULL, 0, &need, &d), MBPF_PKG_E_NOSPACE);
    assert_true(need > 100 && need < sizeof buf);
    char want[96];
    snprintf(want, sizeof want, "manifest: encoding needs %zu bytes, buffer holds 0", need);
    assert_string_equal(d.msg, want);
    memset(buf, 0xEE, sizeof buf);
    assert_int_equal(mbpf_manifest_encode_cbor(&m, buf, need - 1, &n, &d), MBPF_PKG_E_NOSPACE);
    assert_int_equal(n, need);
    assert_int_equal(buf[need - 1], 0xEE); /* nothing written past cap */
    assert_int_equal(mbpf_manifest_encode_cbor(&m, buf, need, &n, &d), 0);
    assert_int_equal(n, need);
}

/* ---- names and arguments ---- */

static void test_name_functions(void **state)
{
    (void)state;
    assert_string_equal(mbpf_hook_type_name(MBPF_HOOK_TRACEPOINT), "TRACEPOINT");
    assert_string_equal(mbpf_hook_type_name(MBPF_HOOK_TIMER), "TIMER");
    assert_string_equal(mbpf_hook_type_name(MBPF_HOOK_NET_RX), "NET_RX");
    assert_string_equal(mbpf_hook_type_name(MBPF_HOOK_NET_TX), "NET_TX");
    assert_string_equal(mbpf_hook_type_name(MBPF_HOOK_SECURITY), "SECURITY");
    assert_string_equal(mbpf_hook_type_name(MBPF_HOOK_CUSTOM), "CUSTOM");
    assert_null(mbpf_hook_type_name(0));
    assert_null(mbpf_hook_type_name(MBPF_HOOK_TYPE_MAX + 1));
    assert_null(mbpf_hook_type_name(UINT32_MAX));

    assert_string_equal(mbpf_capability_name(MBPF_CAP_LOG), "CAP_LOG");
    assert_string_equal(mbpf_capability_name(MBPF_CAP_MAP_READ), "CAP_MAP_READ");
    assert_string_equal(mbpf_capability_name(MBPF_CAP_MAP_WRITE), "CAP_MAP_WRITE");
    assert_string_equal(mbpf_capability_name(MBPF_CAP_MAP_ITERATE), "CAP_MAP_ITERATE");
    assert_string_equal(mbpf_capability_name(MBPF_CAP_EMIT), "CAP_EMIT");
    assert_string_equal(mbpf_capability_name(MBPF_CAP_TIME), "CAP_TIME");
    assert_string_equal(mbpf_capability_name(MBPF_CAP_STATS), "CAP_STATS");
    assert_null(mbpf_capability_name(0));
    assert_null(mbpf_capability_name(3));
    assert_null(mbpf_capability_name(MBPF_CAP_ALL + 1));

    assert_string_equal(mbpf_map_type_name(MBPF_MAP_ARRAY), "array");
    assert_string_equal(mbpf_map_type_name(MBPF_MAP_HASH), "hash");
    assert_string_equal(mbpf_map_type_name(MBPF_MAP_LRU_HASH), "lru_hash");
    assert_string_equal(mbpf_map_type_name(MBPF_MAP_PERCPU_ARRAY), "percpu_array");
    assert_string_equal(mbpf_map_type_name(MBPF_MAP_PERCPU_HASH), "percpu_hash");
    assert_string_equal(mbpf_map_type_name(MBPF_MAP_COUNTER), "counter");
    assert_string_equal(mbpf_map_type_name(MBPF_MAP_RINGBUF), "ringbuf");
    assert_string_equal(mbpf_map_type_name(MBPF_MAP_LPM_TRIE), "lpm_trie");
    assert_null(mbpf_map_type_name(0));
    assert_null(mbpf_map_type_name(MBPF_MAP_TYPE_MAX + 1));
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    mbpf_manifest_t m;
    mbpf_diag_t d;
    size_t n;
    assert_int_equal(mbpf_manifest_decode_cbor(NULL, 5, &m, &d), MBPF_PKG_E_INVALID_ARG);
    assert_string_equal(d.msg, "manifest: invalid argument");
    assert_int_equal(mbpf_manifest_decode_cbor("x", 1, NULL, &d), MBPF_PKG_E_INVALID_ARG);
    assert_int_equal(mbpf_manifest_decode(NULL, 0, &m, NULL), E_SYNTAX); /* empty: no crash */
    assert_int_equal(mbpf_manifest_decode_maps(NULL, 3, &m, &d), MBPF_PKG_E_INVALID_ARG);
    assert_int_equal(mbpf_manifest_encode_cbor(NULL, NULL, 0, &n, &d), MBPF_PKG_E_INVALID_ARG);
    assert_int_equal(mbpf_manifest_encode_cbor(&m, NULL, 10, &n, &d), MBPF_PKG_E_INVALID_ARG);
    assert_int_equal(mbpf_manifest_validate(NULL, &d), MBPF_PKG_E_INVALID_ARG);
    char err[64];
    assert_int_equal(mbpf_tool_manifest_from_json("{}", 2, "f", NULL, err, sizeof err),
                     MBPF_PKG_E_INVALID_ARG);
    assert_string_equal(err, "f: invalid argument");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_decodes_every_field),
        cmocka_unit_test(test_minimal_manifest_gets_defaults),
        cmocka_unit_test(test_optional_fields_may_be_absent),
        cmocka_unit_test(test_short_entry_symbol_leaves_no_default_bytes),
        cmocka_unit_test(test_each_required_field_missing_is_reported),
        cmocka_unit_test(test_duplicate_keys_rejected),
        cmocka_unit_test(test_unknown_keys_rejected),
        cmocka_unit_test(test_wrong_type_per_field),
        cmocka_unit_test(test_string_length_limits),
        cmocka_unit_test(test_count_limits),
        cmocka_unit_test(test_hook_type_by_name_and_number),
        cmocka_unit_test(test_map_type_by_name_and_number),
        cmocka_unit_test(test_capabilities_by_name_and_number),
        cmocka_unit_test(test_target_values),
        cmocka_unit_test(test_integer_ranges),
        cmocka_unit_test(test_text_content_rules),
        cmocka_unit_test(test_map_rules_by_type),
        cmocka_unit_test(test_embedded_nul_rejected_in_both_formats),
#ifdef MBPF_JSON_MANIFEST
        cmocka_unit_test(test_json_syntax_errors_give_line_and_column),
        cmocka_unit_test(test_json_bad_strings_rejected),
        cmocka_unit_test(test_json_escapes_decode),
        cmocka_unit_test(test_json_long_string_reports_full_length),
        cmocka_unit_test(test_json_numbers_classified),
        cmocka_unit_test(test_json_nesting_limit),
        cmocka_unit_test(test_syntax_reported_before_schema),
#endif
        cmocka_unit_test(test_tool_errors_name_file_line_and_column),
        cmocka_unit_test(test_tool_accepts_whitespace_and_unterminated_buffer),
        cmocka_unit_test(test_decode_maps_section),
        cmocka_unit_test(test_decode_detects_format),
        cmocka_unit_test(test_encode_decode_round_trip_is_identity),
        cmocka_unit_test(test_encode_largest_manifest_round_trips),
        cmocka_unit_test(test_encode_output_is_canonical),
        cmocka_unit_test(test_encode_rejects_invalid_manifest),
        cmocka_unit_test(test_encode_reports_the_size_it_needs),
        cmocka_unit_test(test_name_functions),
        cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
