/*
 * Rendering for `mbpf run` (run_report.h). Integers go into the JSON tree
 * as raw number text, so 64-bit counters stay exact (a cJSON number is a
 * double). Indexed maps (arrays, per-CPU arrays, counters) list only their
 * non-zero entries: every index exists, and a 64k-entry array of zeros says
 * nothing. Byte strings (keys, values, records) are lower-case hex.
 */
#include "run_report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mbpf_ctx.h"

struct run_report {
    run_report_opts_t o;
    cJSON *root;   /* --json: the document */
    cJSON *events; /* --json: emitted records, unless quiet */
    cJSON *runs;   /* --json --verbose: one entry per event */
    int oom;
};

static const char *const stat_names[] = {
    "invocations",   "successes",       "soft_failures",  "exceptions", "oom",
    "budget_steps",  "budget_helpers",  "budget_time",    "nested",     "ctx_mismatch",
    "breaker_trips", "breaker_skipped", "deferred_drops",
};

/* ---- JSON building ------------------------------------------------------ */

static cJSON *check(run_report_t *rep, cJSON *item)
{
    if (!item) rep->oom = 1;
    return item;
}

static void add_u64(run_report_t *rep, cJSON *obj, const char *name, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    check(rep, cJSON_AddRawToObject(obj, name, buf));
}

static void add_i64(run_report_t *rep, cJSON *obj, const char *name, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    check(rep, cJSON_AddRawToObject(obj, name, buf));
}

static void add_str(run_report_t *rep, cJSON *obj, const char *name, const char *s)
{
    check(rep, s ? cJSON_AddStringToObject(obj, name, s) : cJSON_AddNullToObject(obj, name));
}

/* The hex of data[0..len) as a malloc'd string, or NULL. */
static char *hex_string(const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * len + 1);
    if (!s) return NULL;
    for (size_t i = 0; i < len; i++) {
        s[2 * i] = digits[data[i] >> 4];
        s[2 * i + 1] = digits[data[i] & 15];
    }
    s[2 * len] = 0;
    return s;
}

static void add_hex(run_report_t *rep, cJSON *obj, const char *name, const uint8_t *data,
                    size_t len)
{
    char *s = hex_string(data, len);
    if (!s) {
        rep->oom = 1;
        return;
    }
    check(rep, cJSON_AddStringToObject(obj, name, s));
    free(s);
}

static cJSON *add_obj(run_report_t *rep, cJSON *parent, const char *name)
{
    cJSON *o = check(rep, cJSON_CreateObject());
    if (!o) return NULL;
    if (name)
        cJSON_AddItemToObject(parent, name, o);
    else
        cJSON_AddItemToArray(parent, o);
    return o;
}

static cJSON *add_arr(run_report_t *rep, cJSON *parent, const char *name)
{
    return check(rep, cJSON_AddArrayToObject(parent, name));
}

static const char *hook_name(uint32_t type)
{
    const char *n = mbpf_hook_type_name(type);
    return n ? n : "?";
}

run_report_t *run_report_new(const run_report_opts_t *opts)
{
    run_report_t *rep = calloc(1, sizeof *rep);
    if (!rep) return NULL;
    rep->o = *opts;
    if (!rep->o.json) return rep;
    rep->root = cJSON_CreateObject();
    if (!rep->root) goto fail;
    if (!rep->o.quiet && !(rep->events = cJSON_AddArrayToObject(rep->root, "events"))) goto fail;
    if (rep->o.verbose && !(rep->runs = cJSON_AddArrayToObject(rep->root, "runs"))) goto fail;
    return rep;
fail:
    cJSON_Delete(rep->root);
    free(rep);
    return NULL;
}

void run_report_free(run_report_t *rep)
{
    if (!rep) return;
    cJSON_Delete(rep->root);
    free(rep);
}

/* ---- the stream ----------------------------------------------------------- */

static void put_hex(FILE *f, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) fprintf(f, "%02x", data[i]);
}

void run_report_verdict(run_report_t *rep, const run_origin_t *origin, mbpf_hook_id_t hook,
                        uint32_t cpu, int32_t rc)
{
    if (!rep->o.verbose) return;
    uint32_t type = MBPF_HOOK_ID_TYPE(hook), point = MBPF_HOOK_ID_POINT(hook);
    const char *name = mbpf_runner_verdict_name(type, rc);
    if (rep->o.json) {
        cJSON *o = add_obj(rep, rep->runs, NULL);
        if (!o) return;
        add_str(rep, o, "input", origin->input);
        if (origin->file) add_str(rep, o, "file", origin->file);
        add_u64(rep, o, origin->file && strcmp(origin->input, "event") == 0 ? "line" : "index",
                origin->index);
        add_str(rep, o, "hook", hook_name(type));
        add_u64(rep, o, "point", point);
        add_u64(rep, o, "cpu", cpu);
        add_i64(rep, o, "rc", rc);
        add_str(rep, o, "verdict", name);
        return;
    }
    FILE *f = rep->o.out;
    if (origin->file && strcmp(origin->input, "event") == 0)
        fprintf(f, "run event=%s:%" PRIu64, origin->file, origin->index);
    else
        fprintf(f, "run %s=%" PRIu64, origin->input, origin->index);
    fprintf(f, " hook=%s", hook_name(type));
    if (type == MBPF_HOOK_TRACEPOINT || type == MBPF_HOOK_CUSTOM)
        fprintf(f, ":%u", (unsigned)point);
    fprintf(f, " cpu=%u verdict=", (unsigned)cpu);
    if (name)
        fprintf(f, "%s\n", name);
    else
        fprintf(f, "%" PRId32 "\n", rc);
}

void run_report_counter(run_report_t *rep, const run_origin_t *origin, const run_prog_t *p,
                        const char *map, uint32_t key, uint64_t add, uint64_t value)
{
    if (!rep->o.verbose) return;
    if (rep->o.json) {
        cJSON *o = add_obj(rep, rep->runs, NULL);
        if (!o) return;
        add_str(rep, o, "input", "counter");
        add_str(rep, o, "file", origin->file);
        add_u64(rep, o, "line", origin->index);
        add_str(rep, o, "prog", p->info.name);
        add_str(rep, o, "map", map);
        add_u64(rep, o, "key", key);
        add_u64(rep, o, "add", add);
        add_u64(rep, o, "value", value);
        return;
    }
    fprintf(rep->o.out,
            "counter event=%s:%" PRIu64 " prog=%s map=%s key=%" PRIu32 " add=%" PRIu64
            " value=%" PRIu64 "\n",
            origin->file, origin->index, p->info.name, map, key, add, value);
}

void run_report_emitted(run_report_t *rep, const run_prog_t *p, const mbpf_map_t *m, int with_id,
                        const uint8_t *data, size_t len)
{
    if (rep->o.quiet) return;
    int id_ok = with_id && len >= 4;
    uint32_t id = 0;
    if (id_ok) {
        id = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
             (uint32_t)data[3] << 24;
        data += 4;
        len -= 4;
    }
    if (rep->o.json) {
        cJSON *o = add_obj(rep, rep->events, NULL);
        if (!o) return;
        add_str(rep, o, "prog", p->info.name);
        add_str(rep, o, "map", m->def.name);
        if (id_ok) add_u64(rep, o, "id", id);
        add_hex(rep, o, "bytes", data, len);
        return;
    }
    FILE *f = rep->o.out;
    fprintf(f, "event prog=%s", p->info.name);
    if (id_ok)
        fprintf(f, " id=%" PRIu32, id);
    else
        fprintf(f, " map=%s", m->def.name);
    fputs(" bytes=", f);
    put_hex(f, data, len);
    fputc('\n', f);
}

/* ---- the summary tree ----------------------------------------------------- */

static int is_percpu(uint32_t type)
{
    return type == MBPF_MAP_PERCPU_ARRAY || type == MBPF_MAP_PERCPU_HASH;
}

static int all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* One entry: the value (per CPU for per-CPU maps, with their sum when the
 * value is an integer the map library can add). Skips an indexed entry
 * whose values are all zero. vals holds ncpu * value_size bytes. */
static void add_entry(run_report_t *rep, cJSON *entries, mbpf_map_t *m, const uint8_t *key,
                      uint32_t klen, int indexed, uint8_t *vals)
{
    uint32_t vs = m->def.value_size, n = is_percpu(m->def.type) ? m->ncpu : 1;
    for (uint32_t c = 0; c < n; c++)
        if (mbpf_map_lookup_cpu(m, c, key, klen, vals + (size_t)c * vs, vs) != 0)
            memset(vals + (size_t)c * vs, 0, vs);
    if (indexed && all_zero(vals, (size_t)n * vs)) return;
    cJSON *e = add_obj(rep, entries, NULL);
    if (!e) return;
    if (indexed)
        add_u64(rep, e, "index",
                (uint32_t)key[0] | (uint32_t)key[1] << 8 | (uint32_t)key[2] << 16 |
                    (uint32_t)key[3] << 24);
    else
        add_hex(rep, e, "key", key, klen);
    if (n == 1) {
        add_hex(rep, e, "value", vals, vs);
        return;
    }
    cJSON *arr = add_arr(rep, e, "values");
    if (!arr) return;
    for (uint32_t c = 0; c < n; c++) {
        char *hex = hex_string(vals + (size_t)c * vs, vs);
        cJSON *v = hex ? cJSON_CreateString(hex) : NULL;
        free(hex);
        if (check(rep, v)) cJSON_AddItemToArray(arr, v);
    }
    uint64_t sum;
    if (mbpf_map_lookup_sum(m, key, klen, &sum) == 0) add_u64(rep, e, "sum", sum);
}

static void add_map(run_report_t *rep, cJSON *maps, const mbpf_map_def_t *def, mbpf_map_t *m)
{
    cJSON *o = add_obj(rep, maps, NULL);
    if (!o) return;
    add_str(rep, o, "name", def->name);
    add_str(rep, o, "type", mbpf_map_type_name(def->type));
    add_u64(rep, o, "key_size", def->key_size);
    add_u64(rep, o, "value_size", def->value_size);
    add_u64(rep, o, "max_entries", def->max_entries);
    if (!m) return;
    if (def->type == MBPF_MAP_RINGBUF) {
        mbpf_map_ringbuf_stats_t s = {0};
        mbpf_map_ringbuf_stats(m, &s);
        add_u64(rep, o, "records", s.written);
        add_u64(rep, o, "dropped", s.dropped);
        return;
    }
    cJSON *entries = add_arr(rep, o, "entries");
    if (!entries) return;
    if (def->type == MBPF_MAP_COUNTER) {
        for (uint32_t i = 0; i < def->max_entries; i++) {
            uint64_t v = 0;
            if (mbpf_map_counter_get(m, i, &v) != 0 || v == 0) continue;
            cJSON *e = add_obj(rep, entries, NULL);
            if (!e) return;
            add_u64(rep, e, "index", i);
            add_u64(rep, e, "value", v);
        }
        return;
    }
    uint32_t klen = mbpf_map_key_len(m);
    uint8_t *key = malloc(klen ? klen : 1), *next = malloc(klen ? klen : 1);
    uint8_t *vals = malloc((size_t)m->nslots * def->value_size);
    if (!key || !next || !vals) {
        rep->oom = 1;
        goto out;
    }
    int indexed = def->type == MBPF_MAP_ARRAY || def->type == MBPF_MAP_PERCPU_ARRAY;
    if (indexed) {
        for (uint32_t i = 0; i < def->max_entries && !rep->oom; i++) {
            uint8_t k[4] = {(uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16), (uint8_t)(i >> 24)};
            add_entry(rep, entries, m, k, 4, 1, vals);
        }
        goto out;
    }
    /* hash types and LPM: the map's iteration order */
    const uint8_t *prev = NULL;
    while (!rep->oom && mbpf_map_next_key(m, prev, prev ? klen : 0, next, klen) == 0) {
        memcpy(key, next, klen);
        add_entry(rep, entries, m, key, klen, 0, vals);
        prev = key;
    }
out:
    free(key);
    free(next);
    free(vals);
}

static void add_program(run_report_t *rep, cJSON *progs, run_prog_t *p)
{
    cJSON *o = add_obj(rep, progs, NULL);
    if (!o) return;
    add_str(rep, o, "name", p->info.name);
    add_str(rep, o, "version", p->info.version);
    add_str(rep, o, "file", p->path);
    add_str(rep, o, "hook_type", hook_name(p->info.hook_type));
    add_str(rep, o, "signature",
            p->info.sig_valid ? "valid"
            : p->signed_pkg   ? "unchecked"
                              : "unsigned");
    add_str(rep, o, "signature_key", p->key_path);
    mbpf_program_stats_t st = {0};
    mbpf_program_stats(p->prog, &st);
    const uint64_t vals[] = {
        st.invocations,   st.successes,       st.soft_failures,  st.exceptions, st.oom,
        st.budget_steps,  st.budget_helpers,  st.budget_time,    st.nested,     st.ctx_mismatch,
        st.breaker_trips, st.breaker_skipped, st.deferred_drops,
    };
    _Static_assert(sizeof vals / sizeof vals[0] == sizeof stat_names / sizeof stat_names[0],
                   "a name per counter");
    cJSON *so = add_obj(rep, o, "stats");
    if (so)
        for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
            add_u64(rep, so, stat_names[i], vals[i]);
    cJSON *maps = add_arr(rep, o, "maps");
    if (maps)
        for (uint32_t i = 0; i < p->manifest.map_count; i++)
            add_map(rep, maps, &p->manifest.maps[i], p->maps[i]);
}

static void add_verdicts(run_report_t *rep, cJSON *parent, const mbpf_runner_t *r)
{
    cJSON *vo = add_obj(rep, parent, "verdicts");
    if (!vo) return;
    for (uint32_t t = 1; t <= MBPF_HOOK_TYPE_MAX; t++) {
        const run_verdicts_t *v = &r->verdicts[t];
        if (v->events == 0) continue;
        cJSON *o = add_obj(rep, vo, hook_name(t));
        if (!o) return;
        add_u64(rep, o, "events", v->events);
        /* a decision hook's named verdicts always appear, in value order */
        for (int32_t rc = 0; rc < 3; rc++) {
            const char *name = mbpf_runner_verdict_name(t, rc);
            if (!name) continue;
            uint64_t n = 0;
            for (uint32_t i = 0; i < v->nvalues; i++)
                if (v->values[i].value == rc) n = v->values[i].count;
            add_u64(rep, o, name, n);
        }
        for (uint32_t i = 0; i < v->nvalues; i++) {
            if (mbpf_runner_verdict_name(t, v->values[i].value)) continue;
            char name[16];
            snprintf(name, sizeof name, "%" PRId32, v->values[i].value);
            add_u64(rep, o, name, v->values[i].count);
        }
        if (v->overflow) add_u64(rep, o, "other", v->overflow);
    }
}

/* ---- text rendering of the tree ---------------------------------------- */

static void put_scalar(FILE *f, const cJSON *it)
{
    if (cJSON_IsString(it) || cJSON_IsRaw(it))
        fputs(it->valuestring, f);
    else if (cJSON_IsNull(it))
        fputc('-', f);
    else if (cJSON_IsBool(it))
        fputs(cJSON_IsTrue(it) ? "true" : "false", f);
}

/* " k=v" for every scalar member of o (skipping names in skip). */
static void put_pairs(FILE *f, const cJSON *o, const char *const *skip)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, o)
    {
        if (cJSON_IsObject(it) || cJSON_IsArray(it)) continue;
        int skipped = 0;
        for (const char *const *s = skip; s && *s; s++)
            if (strcmp(*s, it->string) == 0) skipped = 1;
        if (skipped) continue;
        fprintf(f, " %s=", it->string);
        put_scalar(f, it);
    }
}

static void render_entry(FILE *f, const cJSON *e)
{
    fputs("   ", f);
    const cJSON *it;
    cJSON_ArrayForEach(it, e)
    {
        if (cJSON_IsArray(it)) { /* per-CPU values */
            int c = 0;
            const cJSON *v;
            cJSON_ArrayForEach(v, it)
            {
                fprintf(f, " cpu%d=", c++);
                put_scalar(f, v);
            }
            continue;
        }
        fprintf(f, " %s=", it->string);
        put_scalar(f, it);
    }
    fputc('\n', f);
}

static void render_text(FILE *f, const cJSON *sum)
{
    fputs("inputs:", f);
    put_pairs(f, cJSON_GetObjectItemCaseSensitive(sum, "inputs"), NULL);
    fputc('\n', f);
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(sum, "verdicts"))
    {
        fprintf(f, "verdicts %s:", it->string);
        put_pairs(f, it, NULL);
        fputc('\n', f);
    }
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(sum, "programs"))
    {
        static const char *const skip[] = {"name", "signature_key", NULL};
        fprintf(f, "program %s:", cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring);
        put_pairs(f, p, skip);
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(p, "signature_key");
        if (cJSON_IsString(key)) fprintf(f, " key=%s", key->valuestring);
        fputs("\n  stats:", f);
        put_pairs(f, cJSON_GetObjectItemCaseSensitive(p, "stats"), NULL);
        fputc('\n', f);
        const cJSON *m;
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(p, "maps"))
        {
            static const char *const mskip[] = {"name", NULL};
            fprintf(f, "  map %s:", cJSON_GetObjectItemCaseSensitive(m, "name")->valuestring);
            put_pairs(f, m, mskip);
            const cJSON *entries = cJSON_GetObjectItemCaseSensitive(m, "entries");
            if (entries) fprintf(f, " entries=%d", cJSON_GetArraySize(entries));
            fputc('\n', f);
            const cJSON *e;
            cJSON_ArrayForEach(e, entries) render_entry(f, e);
        }
    }
}

int run_report_summary(run_report_t *rep, mbpf_runner_t *r, const run_inputs_t *in)
{
    cJSON *sum = rep->o.json ? rep->root : cJSON_CreateObject();
    if (!check(rep, sum)) return -1;
    cJSON *io = add_obj(rep, sum, "inputs");
    if (io) {
        add_u64(rep, io, "packets", in->packets);
        add_u64(rep, io, "events", in->events);
        add_u64(rep, io, "ticks", in->ticks);
        add_u64(rep, io, "runs", r->runs);
        add_u64(rep, io, "cpus", r->hp.cpus);
    }
    add_verdicts(rep, sum, r);
    cJSON *progs = add_arr(rep, sum, "programs");
    if (progs)
        for (uint32_t i = 0; i < r->nprogs; i++) add_program(rep, progs, &r->progs[i]);
    if (rep->oom) {
        if (!rep->o.json) cJSON_Delete(sum);
        return -1;
    }
    if (rep->o.json) {
        char *text = cJSON_Print(sum);
        if (!text) return -1;
        fprintf(rep->o.out, "%s\n", text);
        cJSON_free(text);
        return 0;
    }
    render_text(rep->o.out, sum);
    cJSON_Delete(sum);
    return 0;
}
