/* The scripted executor double (exec_double.h). */
#include "exec_double.h"

#include <stdlib.h>
#include <string.h>

#include "mbpf_map.h"

dbl_state_t dbl;

typedef struct dbl_inst {
    mbpf_exec_program_t prog;
    int32_t ret;
    mbpf_exec_status_t run_st, top_st, init_st, fini_st;
    int nest;
    int count_map; /* index of the counter map, or -1 */
} dbl_inst_t;

static int word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

static mbpf_exec_status_t parse_status(const char *v, size_t n)
{
    if (word_is(v, n, "throw")) return MBPF_EXEC_EXCEPTION;
    if (word_is(v, n, "steps")) return MBPF_EXEC_STEPS;
    if (word_is(v, n, "helpers")) return MBPF_EXEC_HELPERS;
    if (word_is(v, n, "time")) return MBPF_EXEC_TIME;
    if (word_is(v, n, "oom")) return MBPF_EXEC_OOM;
    return MBPF_EXEC_OK;
}

static size_t dbl_instance_size(uint32_t heap_size)
{
    return sizeof(dbl_inst_t) + heap_size;
}

static int dbl_create(void *mem, size_t size, const mbpf_exec_program_t *p, mbpf_diag_t *diag)
{
    dbl_inst_t *in = mem;
    if (size < dbl_instance_size(p->manifest->heap_size)) return MBPF_E_HEAP_SIZE;
    memset(in, 0, sizeof *in);
    in->prog = *p;
    in->count_map = -1;
    int create_err = 0;
    long create_at = -1;
    const char *s = (const char *)p->bytecode, *end = s + p->bytecode_len;
    while (s < end) {
        while (s < end && *s == ' ') s++;
        const char *w = s;
        while (s < end && *s != ' ') s++;
        size_t n = (size_t)(s - w);
        const char *eq = memchr(w, '=', n);
        size_t kn = eq ? (size_t)(eq - w) : n;
        const char *v = eq ? eq + 1 : w + n;
        size_t vn = (size_t)(w + n - v);
        char num[16] = {0};
        if (vn < sizeof num) memcpy(num, v, vn);
        if (word_is(w, kn, "ret"))
            in->ret = (int32_t)strtol(num, NULL, 0);
        else if (word_is(w, kn, "run"))
            in->run_st = parse_status(v, vn);
        else if (word_is(w, kn, "top"))
            in->top_st = parse_status(v, vn);
        else if (word_is(w, kn, "init"))
            in->init_st = parse_status(v, vn);
        else if (word_is(w, kn, "fini"))
            in->fini_st = parse_status(v, vn);
        else if (word_is(w, kn, "nest"))
            in->nest = 1;
        else if (word_is(w, kn, "create_at"))
            create_at = strtol(num, NULL, 0);
        else if (word_is(w, kn, "create")) {
            if (word_is(v, vn, "bytecode")) create_err = MBPF_E_BYTECODE;
            if (word_is(v, vn, "heap")) create_err = MBPF_E_HEAP_SIZE;
            if (word_is(v, vn, "nomem")) create_err = MBPF_E_NOMEM;
        } else if (word_is(w, kn, "count")) {
            for (uint32_t i = 0; i < p->map_count; i++)
                if (word_is(v, vn, p->manifest->maps[i].name)) in->count_map = (int)i;
        }
    }
    dbl.last_caps = p->caps;
    dbl.last_cpu = p->cpu;
    dbl.last_map_count = p->map_count;
    dbl.last_heap_size = p->manifest->heap_size;
    if (create_err && (create_at < 0 || (uint32_t)create_at == p->cpu)) {
        mbpf_diag_set(diag, "bytecode: scripted create failure");
        return create_err;
    }
    atomic_fetch_add(&dbl.creates, 1);
    return 0;
}

static mbpf_exec_status_t dbl_start(void *inst, const mbpf_exec_budget_t *b, mbpf_diag_t *diag)
{
    dbl_inst_t *in = inst;
    dbl.last_budget_steps = b->max_steps;
    dbl.last_budget_helpers = b->max_helpers;
    dbl.last_budget_time = b->max_wall_time_us;
    atomic_fetch_add(&dbl.starts, 1);
    if (in->top_st) mbpf_diag_set(diag, "scripted");
    return in->top_st;
}

static mbpf_exec_status_t dbl_call(void *inst, int which, const mbpf_exec_budget_t *b,
                                   mbpf_diag_t *diag)
{
    dbl_inst_t *in = inst;
    (void)b;
    mbpf_exec_status_t st = which == MBPF_EXEC_INIT ? in->init_st : in->fini_st;
    atomic_fetch_add(which == MBPF_EXEC_INIT ? &dbl.inits : &dbl.finis, 1);
    if (st) mbpf_diag_set(diag, "scripted");
    return st;
}

static mbpf_exec_status_t dbl_run(void *inst, const void *ctx, size_t len,
                                  const mbpf_exec_budget_t *b, int32_t *rc)
{
    dbl_inst_t *in = inst;
    (void)b;
    atomic_fetch_add(&dbl.runs, 1);
    if (in->nest) {
        int32_t inner = -1;
        dbl.nest_ret = mbpf_run(dbl.nest_rt, dbl.nest_hook, ctx, len, &inner);
        dbl.nest_rc = inner;
    }
    if (in->count_map >= 0) mbpf_map_counter_add(in->prog.maps[in->count_map], 0, 1, NULL);
    *rc = in->ret;
    mbpf_exec_status_t st = in->run_st;
    if (dbl.on_run) st = dbl.on_run(&in->prog, ctx, len, rc, st);
    return st;
}

static void dbl_destroy(void *inst)
{
    (void)inst;
    atomic_fetch_add(&dbl.destroys, 1);
}

mbpf_exec_ops_t dbl_ops;

void dbl_reset(void)
{
    memset(&dbl, 0, sizeof dbl);
    dbl_ops = (mbpf_exec_ops_t){
        .bytecode_version = 1,
        .min_heap_size = 1024,
        .instance_size = dbl_instance_size,
        .create = dbl_create,
        .start = dbl_start,
        .call = dbl_call,
        .run = dbl_run,
        .destroy = dbl_destroy,
    };
}

/* The public entry the engine binding will define; here, with the double. */
mbpf_runtime_t *mbpf_runtime_init(const mbpf_runtime_config_t *cfg)
{
    return mbpf_runtime_init_exec(cfg, &dbl_ops);
}
