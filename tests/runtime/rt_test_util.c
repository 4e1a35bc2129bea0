/* Fixtures of the runtime tests (rt_test_util.h). */
#include "rt_test_util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

tp_state_t tp;
_Thread_local uint32_t tp_cpu;

static void *tp_alloc(void *user, size_t size)
{
    (void)user;
    long n = atomic_fetch_add(&tp.calls, 1) + 1;
    if (tp.fail_at && n == tp.fail_at) return NULL;
    void *p = malloc(size ? size : 1);
    if (p) atomic_fetch_add(&tp.allocs, 1);
    return p;
}

static void tp_free(void *user, void *p)
{
    (void)user;
    if (!p) return;
    atomic_fetch_add(&tp.frees, 1);
    free(p);
}

static uint32_t tp_cpu_count(void *user)
{
    (void)user;
    return tp.cpus;
}

static uint32_t tp_cpu_id(void *user)
{
    (void)user;
    return tp_cpu;
}

static uint64_t tp_now(void *user)
{
    (void)user;
    return atomic_load(&tp.now_ns);
}

static void tp_log(void *user, int level, const char *msg, size_t len)
{
    (void)user;
    if (len >= sizeof tp.log) len = sizeof tp.log - 1;
    memcpy(tp.log, msg, len);
    tp.log[len] = '\0';
    tp.log_count++;
    if (getenv("MBPF_TEST_DEBUG")) fprintf(stderr, "log %d: %s\n", level, tp.log);
}

static int tp_defer(void *user, void (*work)(void *), void *arg)
{
    (void)user;
    tp.defer_work = work;
    tp.defer_arg = arg;
    tp.defer_calls++;
    return 0;
}

static mbpf_platform_t tp_pf;

const mbpf_platform_t *tp_platform(uint32_t cpus, int with_clock, int with_defer)
{
    memset(&tp, 0, sizeof tp);
    tp.cpus = cpus;
    tp_cpu = 0;
    tp_pf = (mbpf_platform_t){
        .alloc = tp_alloc,
        .free = tp_free,
        .cpu_count = tp_cpu_count,
        .cpu_id = tp_cpu_id,
        .now_ns = with_clock ? tp_now : NULL,
        .log = tp_log,
        .defer = with_defer ? tp_defer : NULL,
    };
    return &tp_pf;
}

long tp_live(void)
{
    return atomic_load(&tp.allocs) - atomic_load(&tp.frees);
}

void tk_manifest(mbpf_manifest_t *m, const char *name, uint32_t hook_type)
{
    memset(m, 0, sizeof *m);
    snprintf(m->program_name, sizeof m->program_name, "%s", name);
    strcpy(m->program_version, "1.0");
    m->hook_type = hook_type;
    m->hook_ctx_abi_version = 1;
    strcpy(m->entry_symbol, "mbpf_prog");
    m->bytecode_version = 1;
    m->target_word_size = MBPF_TARGET_ANY;
    m->target_endianness = MBPF_TARGET_ANY;
    m->mbpf_api_version = MBPF_API_VERSION;
    m->heap_size = 4096;
    m->max_steps = 1000;
    m->max_helpers = 16;
    m->capabilities = MBPF_CAP_LOG;
}

void tk_keygen(tk_key_t *k, uint8_t fill)
{
    uint8_t seed[32];
    memset(seed, fill, sizeof seed);
    crypto_sign_seed_keypair(k->pub, k->sk, seed);
}

uint8_t *tk_build(const mbpf_manifest_t *m, const char *script, const tk_key_t *k, size_t *out_len)
{
    return tk_build_bin(m, script, strlen(script), k, out_len);
}

uint8_t *tk_build_bin(const mbpf_manifest_t *m, const void *bytecode, size_t bytecode_len,
                      const tk_key_t *k, size_t *out_len)
{
    static uint8_t man[8192];
    size_t man_len = 0;
    mbpf_diag_t diag = {{0}};
    if (mbpf_manifest_encode_cbor(m, man, sizeof man, &man_len, &diag) != 0) {
        fprintf(stderr, "tk_build: manifest: %s\n", diag.msg);
        abort();
    }
    mbpf_section_in_t secs[2] = {
        {MBPF_SEC_MANIFEST, man, (uint32_t)man_len},
        {MBPF_SEC_BYTECODE, bytecode, (uint32_t)bytecode_len},
    };
    size_t size = 0, len = 0;
    if (mbpf_container_size(secs, 2, k != NULL, &size) != 0) abort();
    uint8_t *buf = malloc(size);
    if (!buf || mbpf_container_write(secs, 2, k != NULL, buf, size, &len, &diag) != 0) abort();
    if (k) {
        mbpf_container_t c;
        const uint8_t *msg, *sig;
        size_t msg_len;
        if (mbpf_container_parse(buf, len, &c, NULL) != 0 ||
            mbpf_container_sign_region(&c, &msg, &msg_len, &sig) != 0)
            abort();
        crypto_sign_detached(buf + (sig - buf), NULL, msg, msg_len, k->sk);
    }
    *out_len = len;
    return buf;
}

void tk_config(mbpf_runtime_config_t *cfg, const mbpf_platform_t *pf)
{
    mbpf_runtime_config_init(cfg, pf);
}

mbpf_program_t *tk_load(mbpf_runtime_t *rt, const char *name, uint32_t hook_type,
                        const char *script)
{
    mbpf_manifest_t m;
    tk_manifest(&m, name, hook_type);
    size_t len;
    uint8_t *pkg = tk_build(&m, script, NULL, &len);
    mbpf_program_t *p = NULL;
    int rc = mbpf_program_load(rt, pkg, len, NULL, &p);
    free(pkg);
    if (rc != 0) {
        fprintf(stderr, "tk_load %s: %d %s\n", name, rc, mbpf_last_error(rt));
        abort();
    }
    return p;
}
