/*
 * ujs: run JavaScript files with the ujs engine.
 *   ujs [--memory-limit N[k|m]] [--dump-memory] [-e EXPR] FILE...
 *   ujs -o OUT.ujsbc [--strip] FILE.js    compile to bytecode (docs/BYTECODE.md)
 *   ujs --disasm FILE.ujsbc                print a bytecode file
 * FILE may be a bytecode file (recognised by its magic); it is verified,
 * loaded in place and run.
 * Exit status: 0 on success, 1 on an uncaught exception (message and stack
 * on stderr), out of memory or interrupt, 2 on usage or I/O errors. The
 * shell allocates the one buffer it hands the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm.h"
#include "ujs.h"

static ujs_value js_print(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                          ujs_value data)
{
    (void)this_val;
    (void)data;
    for (int i = 0; i < argc; i++) {
        char buf[4096];
        size_t len;
        if (ujs_to_cstring(ctx, argv[i], buf, sizeof buf, &len)) return UJS_EXCEPTION;
        if (i) fputc(' ', stdout);
        if (len < sizeof buf) {
            fwrite(buf, 1, len, stdout);
            continue;
        }
        /* long string: convert again into a buffer of the full size */
        char *big = malloc(len + 1);
        if (!big) return ujs_throw_range_error(ctx, "print: out of host memory");
        if (ujs_to_cstring(ctx, argv[i], big, len + 1, &len)) {
            free(big);
            return UJS_EXCEPTION;
        }
        fwrite(big, 1, len, stdout);
        free(big);
    }
    fputc('\n', stdout);
    return UJS_UNDEFINED;
}

static const ujs_cfunc_def shell_globals[] = {
    {"print", js_print, 1},
    {NULL, NULL, 0},
};

static void report_exception(ujs_ctx *ctx, int st)
{
    if (st != UJS_EEXCEPTION) {
        fprintf(stderr, "ujs: %s\n", ujs_strerror(st));
        return;
    }
    ujs_ref e;
    ujs_push_ref(ctx, &e, ujs_get_exception(ctx));
    char buf[2048];
    size_t len;
    if (ujs_to_cstring(ctx, e.val, buf, sizeof buf, &len) == UJS_OK)
        fprintf(stderr, "Uncaught %s\n", buf);
    else
        fprintf(stderr, "Uncaught exception\n");
    ujs_value stack;
    if (ujs_is_object(ctx, e.val) && ujs_get_property(ctx, e.val, "stack", &stack) == UJS_OK &&
        ujs_is_string(ctx, stack) && ujs_to_cstring(ctx, stack, buf, sizeof buf, &len) == UJS_OK &&
        len)
        fprintf(stderr, "%s\n", buf);
    ujs_pop_ref(ctx, &e);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void usage(void)
{
    fprintf(stderr, "usage: ujs [--memory-limit N[k|m]] [--dump-memory] [-e EXPR] FILE...\n"
                    "       ujs -o OUT.ujsbc [--strip] FILE.js\n"
                    "       ujs --disasm FILE.ujsbc\n");
}

/* Compiles src and writes its bytecode to out_path. */
static int compile_to_file(ujs_ctx *ctx, const char *src, size_t len, const char *name,
                           const char *out_path, unsigned flags)
{
    ujs_value fn;
    int st = ujs_compile(ctx, src, len, name, &fn);
    if (st) {
        report_exception(ctx, st);
        return 1;
    }
    ujs_ref rf;
    ujs_push_ref(ctx, &rf, fn);
    size_t n = 0;
    st = ujs_write_bytecode(ctx, rf.val, NULL, 0, &n, flags);
    uint8_t *bc = st == UJS_EINVAL && n ? malloc(n) : NULL;
    if (bc) st = ujs_write_bytecode(ctx, rf.val, bc, n, &n, flags);
    ujs_pop_ref(ctx, &rf);
    if (!bc || st) {
        fprintf(stderr, "ujs: cannot write bytecode: %s\n", ujs_strerror(bc ? st : UJS_ENOMEM));
        free(bc);
        return 1;
    }
    FILE *f = fopen(out_path, "wb");
    int ret = 0;
    if (!f || fwrite(bc, 1, n, f) != n) ret = 2;
    if (f && fclose(f)) ret = 2;
    if (ret) fprintf(stderr, "ujs: cannot write %s\n", out_path);
    free(bc);
    return ret;
}

int main(int argc, char **argv)
{
    size_t mem_size = 16u << 20;
    bool dump = false, disasm = false;
    const char *out_path = NULL;
    unsigned bc_flags = 0;
    int first = 1;
    for (; first < argc; first++) {
        const char *a = argv[first];
        if (!strcmp(a, "--memory-limit") && first + 1 < argc) {
            char *end;
            unsigned long v = strtoul(argv[++first], &end, 10);
            if (*end == 'k' || *end == 'K')
                v <<= 10, end++;
            else if (*end == 'm' || *end == 'M')
                v <<= 20, end++;
            if (*end || v == 0) {
                usage();
                return 2;
            }
            mem_size = v;
        } else if (!strcmp(a, "-o") && first + 1 < argc) {
            out_path = argv[++first];
        } else if (!strcmp(a, "--strip")) {
            bc_flags |= UJS_BC_STRIP;
        } else if (!strcmp(a, "--disasm")) {
            disasm = true;
        } else if (!strcmp(a, "--dump-memory")) {
            dump = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        } else {
            break;
        }
    }
    if (first >= argc || ((out_path || disasm) && first + 1 != argc)) {
        usage();
        return 2;
    }

    void *mem = malloc(mem_size);
    if (!mem) return 2;
    ujs_ctx *ctx = ujs_new_context(mem, mem_size, shell_globals);
    if (!ctx) {
        fprintf(stderr, "ujs: memory limit too small for a context\n");
        free(mem);
        return 1;
    }
    if (disasm) {
        /* verify (by loading) before printing */
        size_t n;
        char *buf = read_file(argv[first], &n);
        ujs_value fn;
        int r = buf ? ujs_load_bytecode(ctx, (const uint8_t *)buf, n, &fn) : 2;
        if (r == UJS_EEXCEPTION) {
            char msg[512];
            size_t ml;
            if (ujs_to_cstring(ctx, ujs_get_exception(ctx), msg, sizeof msg, &ml)) msg[0] = 0;
            fprintf(stderr, "%s: %s\n", argv[first], msg);
        } else if (r) {
            fprintf(stderr, "ujs: cannot load %s\n", argv[first]);
        } else {
            ujs_disasm(stdout, (const uint8_t *)buf, n);
        }
        ujs_free_context(ctx);
        free(buf);
        free(mem);
        return r ? 1 : 0;
    }
    int status = 0;
    /* loaded bytecode runs in place: its buffers live as long as the context */
    char **keep = calloc((size_t)argc, sizeof *keep);
    int nkeep = 0;
    if (!keep) status = 2;
    if (out_path && status == 0) {
        size_t len;
        char *src = read_file(argv[first], &len);
        if (!src) {
            fprintf(stderr, "ujs: cannot read %s\n", argv[first]);
            status = 2;
        } else {
            status = compile_to_file(ctx, src, len, argv[first], out_path, bc_flags);
            free(src);
        }
        first = argc;
    }
    for (int i = first; i < argc && status == 0; i++) {
        const char *src;
        size_t len;
        char *owned = NULL;
        const char *name;
        if (!strcmp(argv[i], "-e") && i + 1 < argc) {
            src = argv[++i];
            len = strlen(src);
            name = "<cmdline>";
        } else {
            owned = read_file(argv[i], &len);
            if (!owned) {
                fprintf(stderr, "ujs: cannot read %s\n", argv[i]);
                status = 2;
                break;
            }
            src = owned;
            name = argv[i];
        }
        int st;
        if (owned && ujs_is_bytecode((const uint8_t *)owned, len)) {
            ujs_value fn;
            keep[nkeep++] = owned;
            owned = NULL;
            st = ujs_load_bytecode(ctx, (const uint8_t *)src, len, &fn);
            if (st == UJS_EEXCEPTION) {
                /* a rejected file: file: message, like a compile error */
                ujs_value e = ujs_get_exception(ctx);
                char msg[512];
                size_t ml;
                if (ujs_to_cstring(ctx, e, msg, sizeof msg, &ml) != UJS_OK) msg[0] = 0;
                fprintf(stderr, "%s: %s\n", name, msg);
                status = 1;
                break;
            }
            if (st == UJS_OK) st = ujs_call(ctx, fn, ujs_get_global_object(ctx), 0, NULL, NULL);
        } else {
            st = ujs_eval(ctx, src, len, name, NULL);
        }
        free(owned);
        if (st) {
            report_exception(ctx, st);
            status = 1;
        }
    }
    fflush(stdout);
    if (dump) {
        ujs_mem_stats ms;
        ujs_get_mem_stats(ctx, &ms);
        fprintf(stderr,
                "memory: buffer %zu, heap %zu (used %zu, peak %zu), stack %zu (peak %zu), "
                "gc %u\n",
                ms.buffer_size, ms.heap_size, ms.heap_used, ms.heap_peak, ms.stack_size,
                ms.stack_peak, (unsigned)ms.gc_count);
    }
    ujs_free_context(ctx);
    for (int i = 0; i < nkeep; i++) free(keep[i]);
    free(keep);
    free(mem);
    return status;
}
