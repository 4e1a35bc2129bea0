/*
 * Host-side compile and verify over the engine's public API (include/ujs.h).
 * Each attempt gets a fresh context in a fresh buffer; on UJS_ENOMEM the
 * buffer is doubled and the whole step is retried. The bytecode writer is
 * deterministic whatever the buffer size (docs/BYTECODE.md), so retrying
 * cannot change the output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js_compile.h"
#include "tool_io.h"
#include "ujs.h"

/* The message of the pending exception: its "message" property when it is
 * an Error ("bad.js:2:13: expected a parameter name"), else its string. */
static void exception_message(ujs_ctx *ctx, char *buf, size_t cap)
{
    ujs_ref e;
    ujs_value msg;
    size_t len;
    ujs_push_ref(ctx, &e, ujs_get_exception(ctx));
    buf[0] = '\0';
    if (ujs_is_object(ctx, e.val) && ujs_get_property(ctx, e.val, "message", &msg) == UJS_OK &&
        ujs_is_string(ctx, msg) && ujs_to_cstring(ctx, msg, buf, cap, &len) == UJS_OK && len) {
        ujs_pop_ref(ctx, &e);
        return;
    }
    if (ujs_to_cstring(ctx, e.val, buf, cap, &len) != UJS_OK || len == 0)
        snprintf(buf, cap, "uncaught exception");
    ujs_pop_ref(ctx, &e);
}

/* One attempt in a context of mem_size bytes. Returns a UJS status; on
 * UJS_EEXCEPTION, msg holds the exception's message. */
static int compile_once(size_t mem_size, const char *src, size_t len, const char *filename,
                        unsigned flags, uint8_t **out, size_t *out_len, char *msg, size_t msgcap)
{
    void *mem = malloc(mem_size);
    if (!mem) return UJS_ENOMEM;
    ujs_ctx *ctx = ujs_new_context(mem, mem_size, NULL);
    if (!ctx) {
        free(mem);
        return UJS_ENOMEM;
    }
    uint8_t *bc = NULL;
    ujs_value fn;
    ujs_ref rf;
    size_t n = 0;
    int st = ujs_compile(ctx, src, len, filename, &fn);
    if (st == UJS_EEXCEPTION) exception_message(ctx, msg, msgcap);
    if (st != UJS_OK) goto out;
    ujs_push_ref(ctx, &rf, fn);
    st = ujs_write_bytecode(ctx, rf.val, NULL, 0, &n, flags); /* measures */
    if (st == UJS_EINVAL && n > 0) {
        bc = malloc(n);
        st = bc ? ujs_write_bytecode(ctx, rf.val, bc, n, &n, flags) : UJS_ENOMEM;
    } else if (st == UJS_OK) {
        st = UJS_EINVAL; /* a measuring call cannot succeed */
    }
    if (st == UJS_EEXCEPTION) exception_message(ctx, msg, msgcap);
    ujs_pop_ref(ctx, &rf);
out:
    ujs_free_context(ctx);
    free(mem);
    if (st != UJS_OK) {
        free(bc);
        return st;
    }
    *out = bc;
    *out_len = n;
    return UJS_OK;
}

int mbpf_tool_compile_js(const char *src, size_t len, const char *filename, unsigned flags,
                         uint8_t **out, size_t *out_len, char *err, size_t errcap)
{
    *out = NULL;
    *out_len = 0;
    char msg[MBPF_TOOL_ERR_MAX];
    int st = UJS_ENOMEM;
    size_t mem = MBPF_TOOL_JS_MEM_MIN;
    for (;;) {
        st = compile_once(mem, src, len, filename, flags, out, out_len, msg, sizeof msg);
        if (st != UJS_ENOMEM || mem >= MBPF_TOOL_JS_MEM_MAX) break;
        mem *= 2;
    }
    if (st == UJS_EEXCEPTION) {
        /* Compile errors already read "FILE:LINE:COL: message". */
        size_t fl = strlen(filename);
        if (strncmp(msg, filename, fl) == 0 && msg[fl] == ':')
            mbpf_tool_err(err, errcap, "%s", msg);
        else
            mbpf_tool_err(err, errcap, "%s: %s", filename, msg);
        return MBPF_TOOL_EFAIL;
    }
    if (st == UJS_ENOMEM) {
        mbpf_tool_err(err, errcap, "%s: out of memory (compiling needs more than %u MiB)", filename,
                      MBPF_TOOL_JS_MEM_MAX >> 20);
        return MBPF_TOOL_EFAIL;
    }
    if (st != UJS_OK) {
        mbpf_tool_err(err, errcap, "%s: cannot compile: %s", filename, ujs_strerror(st));
        return MBPF_TOOL_EFAIL;
    }
    if (mbpf_tool_verify_bytecode(*out, *out_len, msg, sizeof msg) != 0) {
        mbpf_tool_err(err, errcap, "%s: internal error: the compiled bytecode does not verify: %s",
                      filename, msg);
        free(*out);
        *out = NULL;
        *out_len = 0;
        return MBPF_TOOL_EFAIL;
    }
    return 0;
}

static int verify_once(size_t mem_size, const uint8_t *buf, size_t len, char *msg, size_t msgcap)
{
    void *mem = malloc(mem_size);
    if (!mem) return UJS_ENOMEM;
    ujs_ctx *ctx = ujs_new_context(mem, mem_size, NULL);
    if (!ctx) {
        free(mem);
        return UJS_ENOMEM;
    }
    ujs_value fn;
    int st = ujs_load_bytecode(ctx, buf, len, &fn);
    if (st == UJS_EEXCEPTION) exception_message(ctx, msg, msgcap);
    ujs_free_context(ctx);
    free(mem);
    return st;
}

int mbpf_tool_verify_bytecode(const uint8_t *buf, size_t len, char *err, size_t errcap)
{
    char msg[MBPF_TOOL_ERR_MAX];
    int st;
    size_t mem = MBPF_TOOL_JS_MEM_MIN;
    for (;;) {
        st = verify_once(mem, buf, len, msg, sizeof msg);
        if (st != UJS_ENOMEM || mem >= MBPF_TOOL_JS_MEM_MAX) break;
        mem *= 2;
    }
    if (st == UJS_OK) return 0;
    if (st == UJS_EEXCEPTION)
        mbpf_tool_err(err, errcap, "%s", msg);
    else
        mbpf_tool_err(err, errcap, "cannot load bytecode: %s", ujs_strerror(st));
    return MBPF_TOOL_EFAIL;
}
