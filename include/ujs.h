/*
 * ujs: the microBPF JavaScript engine — public embedding API.
 *
 * A context lives entirely inside one buffer the caller provides; the engine
 * never calls an allocator. Values are word-sized tagged handles. A raw
 * ujs_value that refers to a heap object stays valid only until the next call
 * that may allocate (anything taking a ujs_ctx unless documented otherwise):
 * across such calls keep values in a ujs_ref (scoped: ujs_push_ref/ujs_pop_ref,
 * LIFO; persistent: ujs_add_ref/ujs_remove_ref).
 *
 * Functions that can fail return an int status (UJS_OK or a negative
 * UJS_E* code) and write results through out-parameters. A JS exception
 * (UJS_EEXCEPTION) leaves the thrown value pending in the context, where
 * ujs_get_exception() fetches it. Out of memory (UJS_ENOMEM) and an
 * interrupt (UJS_EINTERRUPTED) are not catchable by JS; the context stays
 * usable after either.
 */
#ifndef UJS_H
#define UJS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ujs_ctx ujs_ctx;
typedef uintptr_t ujs_value;

/* Status codes. */
enum {
    UJS_OK = 0,
    UJS_EEXCEPTION = -1,   /* a JS exception is pending (ujs_get_exception) */
    UJS_ENOMEM = -2,       /* the context buffer is exhausted */
    UJS_EINTERRUPTED = -3, /* the interrupt handler asked to stop */
    UJS_EINVAL = -4,       /* bad argument from the host (e.g. buffer too small) */
};

/* Fixed message of a status code ("out of memory", ...); never NULL. */
const char *ujs_strerror(int status);

/* Special values; they never need a ref. */
#define UJS_UNDEFINED ((ujs_value)0x02)
#define UJS_NULL      ((ujs_value)0x12)
#define UJS_FALSE     ((ujs_value)0x22)
#define UJS_TRUE      ((ujs_value)0x32)
/* Returned by a C function to signal that it threw (after ujs_throw_*). */
#define UJS_EXCEPTION ((ujs_value)0x42)

/* A GC-safe slot holding a value across allocations; the GC updates val. */
typedef struct ujs_ref {
    ujs_value val;
    struct ujs_ref *prev;
    struct ujs_ref *next;
} ujs_ref;

/*
 * A C function callable from JS. argv holds argc values (argc may be lower
 * than the declared length); the array is valid until the function returns
 * but its values are raw (root them before allocating if they are needed
 * after). data is the word given at creation; for a method of a host class
 * (ujs_class_def.methods) it is (ujs_value)ujs_get_host_opaque(ctx,
 * this_val, cls) for the class cls the method was read from, found by the
 * engine without a call (0 when this_val is not an instance of cls). Return
 * a value, or UJS_EXCEPTION after ujs_throw_*().
 */
typedef ujs_value (*ujs_cfunc)(ujs_ctx *ctx, ujs_value this_val, int argc, ujs_value *argv,
                               ujs_value data);

/* A named C function in a const (ROM) table; tables end with name == NULL. */
typedef struct ujs_cfunc_def {
    const char *name;
    ujs_cfunc func;
    uint8_t length; /* the function's "length" property */
} ujs_cfunc_def;

/* Returns true to stop the running code (status UJS_EINTERRUPTED). */
typedef bool (*ujs_interrupt_handler)(ujs_ctx *ctx, void *opaque);

typedef struct ujs_mem_stats {
    size_t buffer_size; /* the whole caller buffer */
    size_t heap_size;   /* bytes available to the heap */
    size_t heap_used;   /* bytes of heap in use now (live + not yet collected) */
    size_t heap_peak;   /* high-water mark of heap_used */
    size_t stack_size;  /* bytes of the value stack region */
    size_t stack_peak;  /* high-water mark of the value stack */
    uint32_t gc_count;  /* collections run so far */
} ujs_mem_stats;

/* ---- Context ---------------------------------------------------------- */

/*
 * Creates a context inside mem[0..size) (word-aligned); the engine uses no
 * other memory. globals is an optional const table of C functions installed
 * as global functions without heap cost (it must outlive the context).
 * Returns NULL if size is too small. Free with ujs_free_context.
 */
ujs_ctx *ujs_new_context(void *mem, size_t size, const ujs_cfunc_def *globals);

/* Runs host finalizers; the buffer may then be reused by the caller. */
void ujs_free_context(ujs_ctx *ctx);

/* Host data word of the context (NULL initially). Bindings read it on
 * every call, so it is the context's first word, read inline: that much of
 * the context's layout is part of this header. */
void ujs_set_opaque(ujs_ctx *ctx, void *opaque);
static inline void *ujs_get_opaque(ujs_ctx *ctx)
{
    return *(void *const *)(const void *)ctx;
}

/*
 * Installs the interrupt handler, called on backward jumps and calls every
 * `period` such events (period >= 1). NULL removes it. The countdown starts
 * again from `period` here and whenever JS code starts running from a
 * ujs_call or ujs_eval made outside any running call, so a budget of N
 * events per call needs no call in between.
 */
void ujs_set_interrupt_handler(ujs_ctx *ctx, ujs_interrupt_handler h, void *opaque,
                               uint32_t period);

/* Memory statistics of the context. */
void ujs_get_mem_stats(ujs_ctx *ctx, ujs_mem_stats *out);

/* Runs a full collection now. */
void ujs_gc(ujs_ctx *ctx);

/* ---- Refs ------------------------------------------------------------- */

/* Roots ref->val (initialised to v) until the matching ujs_pop_ref (LIFO). */
void ujs_push_ref(ujs_ctx *ctx, ujs_ref *ref, ujs_value v);
/* Unroots the most recently pushed ref, which must be ref. */
void ujs_pop_ref(ujs_ctx *ctx, ujs_ref *ref);
/* Roots ref->val (initialised to v) until ujs_remove_ref, in any order. */
void ujs_add_ref(ujs_ctx *ctx, ujs_ref *ref, ujs_value v);
void ujs_remove_ref(ujs_ctx *ctx, ujs_ref *ref);

/* ---- Running code ------------------------------------------------------ */

/*
 * Compiles src[0..len) (UTF-8) as a script; filename is used in error
 * messages and stacks ("file:line:col: message"). On success *fn is a
 * function that runs the script's top level. SyntaxErrors are pending
 * exceptions (UJS_EEXCEPTION).
 */
int ujs_compile(ujs_ctx *ctx, const char *src, size_t len, const char *filename, ujs_value *fn);

/* Compiles then runs a script; *result (may be NULL) gets the completion. */
int ujs_eval(ujs_ctx *ctx, const char *src, size_t len, const char *filename, ujs_value *result);

/* Calls func with this_val and argv[0..argc); *result (may be NULL) gets the return value. */
int ujs_call(ujs_ctx *ctx, ujs_value func, ujs_value this_val, int argc, const ujs_value *argv,
             ujs_value *result);

/* Returns and clears the pending exception (UJS_UNDEFINED if none). */
ujs_value ujs_get_exception(ujs_ctx *ctx);

/* Throws a new TypeError/RangeError/... with a printf-like message (%s %d %u only). Returns
 * UJS_EXCEPTION so a C function can `return ujs_throw_type_error(...)`. */
ujs_value ujs_throw_type_error(ujs_ctx *ctx, const char *fmt, ...);
ujs_value ujs_throw_range_error(ujs_ctx *ctx, const char *fmt, ...);
ujs_value ujs_throw_error(ujs_ctx *ctx, const char *fmt, ...);
/* Throws any value. */
ujs_value ujs_throw(ujs_ctx *ctx, ujs_value v);
/* Stops the running code as an interrupt does: no JS catch or finally runs,
 * the outermost ujs_call returns UJS_EINTERRUPTED and the context stays
 * usable. For C functions that enforce host budgets: `return ujs_abort(ctx);`. */
ujs_value ujs_abort(ujs_ctx *ctx);

/* ---- Bytecode (docs/BYTECODE.md) ----------------------------------------- */

/* Format version written and read by this engine; the manifest's
 * bytecode_version field carries it. */
#define UJS_BYTECODE_VERSION 3
/* ujs_write_bytecode flag: leave out function names, the file name and line tables. */
#define UJS_BC_STRIP 1u

/*
 * Serializes fn (a function returned by ujs_compile, with every function it
 * defines) into out[0..cap). *len gets the file's size; if out is NULL or cap
 * is too small, nothing is written and UJS_EINVAL is returned with *len set.
 * Deterministic: the same program and flags give the same bytes on every
 * target. Allocates a scratch array (UJS_ENOMEM). A function loaded by
 * ujs_load_bytecode is UJS_EINVAL (its file is already the output).
 */
int ujs_write_bytecode(ujs_ctx *ctx, ujs_value fn, uint8_t *out, size_t cap, size_t *len,
                       unsigned flags);

/*
 * Verifies the whole bytecode file buf[0..len), then creates its top-level
 * function; the other functions and the atoms are made from buf on first
 * use, and code and line tables are used in place: buf must stay alive and
 * unchanged while the context may run them (it may be read-only memory).
 * *main_fn gets the top-level function; ujs_call runs it. A malformed file (or another
 * version) fails with UJS_EEXCEPTION and a pending Error naming the check.
 */
int ujs_load_bytecode(ujs_ctx *ctx, const uint8_t *buf, size_t len, ujs_value *main_fn);

/* True if buf starts with the bytecode file magic. */
bool ujs_is_bytecode(const uint8_t *buf, size_t len);

/* ---- Values ------------------------------------------------------------ */

bool ujs_is_number(ujs_value v);
/* ujs_get_int32 for any value (the inline version's fallback). */
bool ujs_get_int32_slow(ujs_value v, int32_t *out);
/* True if v is a number whose value is an int32 (then *out gets it): the
 * cheap exact check for integer arguments and results. Never allocates.
 * Inline for small integers, whose tag is thus part of this header: a value
 * with the low bit set is the integer (intptr_t)v >> 1 (arithmetic shift,
 * as gcc and clang define it). */
static inline bool ujs_get_int32(ujs_value v, int32_t *out)
{
    if (v & 1) {
        intptr_t i = (intptr_t)v >> 1;
        if (i != (int32_t)i) return false;
        *out = (int32_t)i;
        return true;
    }
    return ujs_get_int32_slow(v, out);
}
/* ujs_get_int32 for small integers only (false for a boxed one): no call
 * at all, for a fast path whose fallback does the whole check. */
static inline bool ujs_get_small_int32(ujs_value v, int32_t *out)
{
    intptr_t i = (intptr_t)v >> 1;
    if (!(v & 1) || i != (int32_t)i) return false;
    *out = (int32_t)i;
    return true;
}
bool ujs_is_string(ujs_ctx *ctx, ujs_value v);
bool ujs_is_object(ujs_ctx *ctx, ujs_value v);
bool ujs_is_function(ujs_ctx *ctx, ujs_value v);

/* Creates a number (boxed in the heap unless it is a small integer). */
int ujs_new_number(ujs_ctx *ctx, double d, ujs_value *out);
/* ujs_new_int32 for any int32 (the inline version's fallback). */
ujs_value ujs_new_int32_slow(ujs_ctx *ctx, int32_t i);
/* An int32 as a value; never fails. Inline for small integers (the tag
 * described at ujs_get_int32), which hold every int32 on 64-bit targets
 * and 31 bits on 32-bit ones. */
static inline ujs_value ujs_new_int32(ujs_ctx *ctx, int32_t i)
{
    if (sizeof(intptr_t) > 4 || (uint32_t)i + 0x40000000u < 0x80000000u)
        return (ujs_value)((uintptr_t)(intptr_t)i << 1 | 1);
    return ujs_new_int32_slow(ctx, i);
}
/* Copies s[0..len) (UTF-8) into a new string. */
int ujs_new_string(ujs_ctx *ctx, const char *s, size_t len, ujs_value *out);
int ujs_new_object(ujs_ctx *ctx, ujs_value *out);
int ujs_new_array(ujs_ctx *ctx, ujs_value *out);
/* A C function object carrying a data word (rooted by the function). */
int ujs_new_cfunction(ujs_ctx *ctx, ujs_cfunc f, const char *name, int length, ujs_value data,
                      ujs_value *out);
/* A Uint8Array of len zeroed bytes. */
int ujs_new_u8array(ujs_ctx *ctx, size_t len, ujs_value *out);

/* ToNumber / ToInt32 (may run no JS: objects give NaN / a TypeError). */
int ujs_to_number(ujs_ctx *ctx, ujs_value v, double *out);
int ujs_to_int32(ujs_ctx *ctx, ujs_value v, int32_t *out);
/* ToString of v as UTF-8 into buf[0..size) (NUL-terminated, truncated);
 * *len gets the full UTF-8 length. */
int ujs_to_cstring(ujs_ctx *ctx, ujs_value v, char *buf, size_t size, size_t *len);

/* ---- Properties --------------------------------------------------------- */

int ujs_get_property(ujs_ctx *ctx, ujs_value obj, const char *name, ujs_value *out);
int ujs_set_property(ujs_ctx *ctx, ujs_value obj, const char *name, ujs_value v);
int ujs_get_index(ujs_ctx *ctx, ujs_value obj, uint32_t idx, ujs_value *out);
int ujs_set_index(ujs_ctx *ctx, ujs_value obj, uint32_t idx, ujs_value v);
ujs_value ujs_get_global_object(ujs_ctx *ctx);

/* ---- Host classes ------------------------------------------------------------ */

/* A read-only property of a host class, computed by C on each read. It must
 * not allocate if reads are to stay allocation-free (return small integers,
 * booleans, or values the host keeps rooted). */
typedef struct ujs_host_prop_def {
    const char *name;
    ujs_value (*get)(ujs_ctx *ctx, ujs_value this_val, void *opaque);
} ujs_host_prop_def;

/*
 * A host class: const (ROM) tables of methods and read-only properties, and
 * an optional finalizer called when an instance is collected or the context
 * is freed. The finalizer must not call the engine. Reading a method or a
 * property of an instance allocates nothing. Instances are read-only to JS.
 * A context accepts up to 16 distinct classes; the def must outlive it.
 */
typedef struct ujs_class_def {
    const char *name;
    const ujs_cfunc_def *methods;   /* NULL-terminated, or NULL */
    const ujs_host_prop_def *props; /* NULL-terminated, or NULL */
    void (*finalizer)(void *opaque);
} ujs_class_def;

/* Creates an instance of cls carrying opaque. UJS_EINVAL past 16 classes. */
int ujs_new_host_object(ujs_ctx *ctx, const ujs_class_def *cls, void *opaque, ujs_value *out);
/* The opaque pointer of v if it is an instance of cls, else NULL. Never allocates. */
void *ujs_get_host_opaque(ujs_ctx *ctx, ujs_value v, const ujs_class_def *cls);
/* Re-points an instance at new host data (e.g. each run's context blob). */
int ujs_set_host_opaque(ujs_ctx *ctx, ujs_value v, const ujs_class_def *cls, void *opaque);
/*
 * Gives instance v a constant member name = val, read by JS like an
 * ordinary data property (no C call); like the class's members it cannot
 * be written or deleted, and it is not enumerable. For a value fixed for
 * the instance's life (e.g. a child object). Allocates (UJS_ENOMEM);
 * UJS_EINVAL if v is not a host object or already has a member name.
 */
int ujs_set_host_const(ujs_ctx *ctx, ujs_value v, const char *name, ujs_value val);

/* ---- Typed-array shim ------------------------------------------------------ */

/* True if v is a Uint8Array. */
bool ujs_is_u8array(ujs_ctx *ctx, ujs_value v);
/* Its length in bytes (0 if v is not a Uint8Array). */
size_t ujs_u8array_len(ujs_ctx *ctx, ujs_value v);
/* Its bytes, valid until the next allocation (NULL if not a Uint8Array). */
uint8_t *ujs_u8array_data(ujs_ctx *ctx, ujs_value v);
/* All three at once: false if v is not a Uint8Array, else its bytes (valid
 * until the next allocation) and length. Never allocates. */
bool ujs_get_u8array(ujs_ctx *ctx, ujs_value v, uint8_t **data, size_t *len);
/* The bytes of v if it is a Uint8Array of exactly len bytes, else NULL:
 * the one-call check of a fixed-size argument. Never allocates. */
uint8_t *ujs_u8array_exact(ujs_ctx *ctx, ujs_value v, size_t len);

#ifdef __cplusplus
}
#endif
#endif
