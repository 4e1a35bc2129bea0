/* Real programs for the runtime tests (js_util.h). */
#define _POSIX_C_SOURCE 200809L
#include "js_util.h"

#include "ujs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef UJS_TOOL
#error "UJS_TOOL must name the ujs shell"
#endif

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static uint8_t *read_text(const char *path, size_t *len)
{
    uint8_t *buf = read_all(path, len);
    if (!buf) {
        fprintf(stderr, "cannot read %s\n", path);
        abort();
    }
    buf = realloc(buf, *len + 1);
    buf[*len] = 0;
    return buf;
}

uint8_t *js_compile(const char *src, size_t *len)
{
    char dir[] = "/tmp/mbpf-js-XXXXXX";
    if (!mkdtemp(dir)) abort();
    char js[64], bc[64], err[64], cmd[512];
    snprintf(js, sizeof js, "%s/prog.js", dir);
    snprintf(bc, sizeof bc, "%s/prog.ujsbc", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    FILE *f = fopen(js, "w");
    if (!f || fputs(src, f) < 0 || fclose(f) != 0) abort();
    snprintf(cmd, sizeof cmd, "'%s' -o '%s' '%s' 2>'%s'", UJS_TOOL, bc, js, err);
    int st = system(cmd);
    uint8_t *out = st == 0 ? read_all(bc, len) : NULL;
    if (!out) {
        size_t elen = 0;
        uint8_t *msg = read_all(err, &elen);
        fprintf(stderr, "js_compile failed (status %d): %.*s\nsource:\n%s\n", st, (int)elen,
                msg ? (const char *)msg : "", src);
        abort();
    }
    unlink(js);
    unlink(bc);
    unlink(err);
    rmdir(dir);
    return out;
}

uint8_t *js_package(const mbpf_manifest_t *m, const char *src, const tk_key_t *k, size_t *len)
{
    size_t bc_len;
    uint8_t *bc = js_compile(src, &bc_len);
    mbpf_manifest_t mv = *m;
    mv.bytecode_version = UJS_BYTECODE_VERSION; /* as mbpf build sets it */
    uint8_t *pkg = tk_build_bin(&mv, bc, bc_len, k, len);
    free(bc);
    return pkg;
}

int js_load(mbpf_runtime_t *rt, const mbpf_manifest_t *m, const char *src, mbpf_program_t **out)
{
    size_t len;
    uint8_t *pkg = js_package(m, src, NULL, &len);
    *out = NULL;
    /* MBPF_TEST_DEBUG=1: programs log why events fail */
    mbpf_load_opts_t opts = {getenv("MBPF_TEST_DEBUG") ? MBPF_LOAD_F_DEBUG : 0};
    int rc = mbpf_program_load(rt, pkg, len, &opts, out);
    free(pkg);
    return rc;
}

mbpf_program_t *js_load_example(mbpf_runtime_t *rt, const char *examples_dir, const char *name,
                                mbpf_hook_id_t hook)
{
    char path[512];
    size_t src_len, man_len, bc_len, pkg_len;
    snprintf(path, sizeof path, "%s/%s/prog.js", examples_dir, name);
    uint8_t *src = read_text(path, &src_len);
    snprintf(path, sizeof path, "%s/%s/prog.json", examples_dir, name);
    uint8_t *man = read_text(path, &man_len);
    mbpf_manifest_t m;
    mbpf_diag_t diag = {{0}};
    if (mbpf_manifest_decode_json(man, man_len, &m, &diag) != 0) {
        fprintf(stderr, "%s: %s\n", path, diag.msg);
        abort();
    }
    uint8_t *bc = js_compile((const char *)src, &bc_len);
    uint8_t *pkg = tk_build_bin(&m, bc, bc_len, NULL, &pkg_len);
    mbpf_program_t *p = NULL;
    if (mbpf_program_load(rt, pkg, pkg_len, NULL, &p) != 0 ||
        mbpf_program_attach(rt, p, hook) != 0) {
        fprintf(stderr, "example %s: %s\n", name, mbpf_last_error(rt));
        abort();
    }
    free(src);
    free(man);
    free(bc);
    free(pkg);
    return p;
}
