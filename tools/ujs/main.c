/*
 * ujs: run JavaScript files with the ujs engine.
 *   ujs [--memory-limit N[k|m]] [--dump-memory] [-e EXPR] FILE...
 * Exit status: 0 on success, 1 on an uncaught exception (message and stack
 * on stderr), out of memory or interrupt, 2 on usage or I/O errors. The
 * shell allocates the one buffer it hands the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    fprintf(stderr, "usage: ujs [--memory-limit N[k|m]] [--dump-memory] [-e EXPR] FILE...\n");
}

int main(int argc, char **argv)
{
    size_t mem_size = 16u << 20;
    bool dump = false;
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
        } else if (!strcmp(a, "--dump-memory")) {
            dump = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        } else {
            break;
        }
    }
    if (first >= argc) {
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
    int status = 0;
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
        int st = ujs_eval(ctx, src, len, name, NULL);
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
    free(mem);
    return status;
}
