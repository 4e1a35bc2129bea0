/*
 * ujs internals: value tagging, heap block layout, the context struct.
 *
 * A value is one machine word. Low bits:
 *   ...xx1   small integer (|i| < 2^53 on 64-bit, 31 bits on 32-bit)
 *   ...x00   pointer to a heap block (or to a const block in ROM)
 *   ..0010   special constant (undefined, null, false, true, exception), or
 *            a lazy pool entry of loaded bytecode (v_is_lazy, never JS-visible)
 *   ..0110   ROM atom: index into the const atom table (a string value)
 *   ..1010   catch marker on the value stack (handler pc), never JS-visible
 *   ..1110   ROM object: index into the const builtin object table
 * Every heap block starts with a header word whose low two bits are 11, so
 * the GC can tell a header from a (threaded) slot address.
 */
#ifndef UJS_VALUE_H
#define UJS_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ujs.h"

typedef intptr_t sword;
typedef uintptr_t uword;
#define WSIZE ((uword)sizeof(uword))

/* ---- values ---- */
#define V_UNDEFINED UJS_UNDEFINED
#define V_NULL      UJS_NULL
#define V_FALSE     UJS_FALSE
#define V_TRUE      UJS_TRUE
#define V_EXCEPTION UJS_EXCEPTION
#define V_UNINIT    ((ujs_value)0x52)

#if UINTPTR_MAX > 0xFFFFFFFFu
/* every integer a double holds exactly: counters and sums never box */
#define SMI_MIN (-((int64_t)1 << 53) + 1)
#define SMI_MAX (((int64_t)1 << 53) - 1)
#else
#define SMI_MIN (-(1 << 30))
#define SMI_MAX ((1 << 30) - 1)
#endif

static inline bool v_is_int(ujs_value v)
{
    return (v & 1) != 0;
}
static inline bool v_is_ptr(ujs_value v)
{
    return (v & 3) == 0;
}
/* Arithmetic right shift of a negative value is implementation-defined in C;
 * gcc and clang (our supported compilers) define it as sign-extending. */
static inline sword v_int(ujs_value v)
{
    return (sword)v >> 1;
}
static inline ujs_value v_mkint(sword i)
{
    return ((uword)i << 1) | 1;
}
/* ToInt32 of a small integer: modulo 2^32 (uint32 -> int32 wraps on gcc/clang) */
static inline int32_t smi_to_int32(sword i)
{
    return (int32_t)(uint32_t)i;
}
static inline bool smi_fits(int64_t i)
{
    return i >= SMI_MIN && i <= SMI_MAX;
}
/* smi_fits for a word-sized value (the sum or difference of two small ints
 * cannot overflow a word) */
static inline bool smi_fits_w(sword i)
{
    return i >= (sword)SMI_MIN && i <= (sword)SMI_MAX;
}
static inline ujs_value v_bool(bool b)
{
    return b ? V_TRUE : V_FALSE;
}
static inline bool v_is_romatom(ujs_value v)
{
    return (v & 15) == 6;
}
static inline uint32_t v_romatom_idx(ujs_value v)
{
    return (uint32_t)(v >> 4);
}
static inline ujs_value v_mkromatom(uint32_t i)
{
    return ((uword)i << 4) | 6;
}
static inline bool v_is_catch(ujs_value v)
{
    return (v & 15) == 10;
}
static inline uint32_t v_catch_pc(ujs_value v)
{
    return (uint32_t)(v >> 4);
}
static inline ujs_value v_mkcatch(uint32_t pc)
{
    return ((uword)pc << 4) | 10;
}
static inline bool v_is_romobj(ujs_value v)
{
    return (v & 15) == 14;
}
static inline uint32_t v_romobj_idx(ujs_value v)
{
    return (uint32_t)(v >> 4);
}
static inline ujs_value v_mkromobj(uint32_t i)
{
    return ((uword)i << 4) | 14;
}

/* ---- heap blocks ---- */
/* header: size in words (incl. header) << 8 | type << 3 | mark << 2 | 3 */
enum {
    T_FREE = 0, /* filler (never produced today) */
    T_FLOAT,    /* hdr, double bits */
    T_STRING,   /* hdr, len<<2|atom<<1|wide, chars (8- or 16-bit) */
    T_OBJECT,   /* struct obj */
    T_PROPS,    /* hdr, count(smi), then (key, value, flags(smi)) triples */
    T_VALARR,   /* hdr, values... */
    T_BYTES,    /* hdr, len (raw), bytes */
    T_FUNCBC,   /* struct funcbc */
    T_VARREF,   /* hdr, value: a captured variable's box */
};

#define HDR_MARK 4u
static inline uword hdr_make(uword words, unsigned type)
{
    return (words << 8) | ((uword)type << 3) | 3;
}
static inline unsigned hdr_type(uword h)
{
    return (unsigned)((h >> 3) & 31);
}
static inline uword hdr_words(uword h)
{
    return h >> 8;
}

typedef struct blk {
    uword hdr;
} blk;

static inline uword *v_ptr(ujs_value v)
{
    return (uword *)v;
}
static inline unsigned v_type(ujs_value v)
{
    return hdr_type(*(uword *)v);
}

typedef struct strblk {
    uword hdr;
    uword lenf; /* len << 2 | is_atom << 1 | wide */
} strblk;
#define STR_ATOM 2u
#define STR_WIDE 1u
static inline uint32_t str_len(const strblk *s)
{
    return (uint32_t)(s->lenf >> 2);
}
static inline uint8_t *str_bytes(strblk *s)
{
    return (uint8_t *)(s + 1);
}

/* Object classes */
enum {
    C_OBJECT = 0,
    C_ARRAY,    /* x[0] = elems (VALARR or undefined), x[1] = length (smi) */
    C_FUNCTION, /* x[0] = funcbc, x[1] = varrefs (VALARR or undefined) */
    C_CFUNC,    /* x[0] = raw ujs_cfunc, x[1] = data value, x[2] = name atom, x[3] = length smi */
    C_ERROR,
    C_U8ARRAY, /* x[0] = bytes (T_BYTES) */
    C_ARGUMENTS,
    C_HOST, /* x[0] = raw const ujs_class_def *, x[1] = raw opaque */
};
#define OBJ_EXTENSIBLE 0x100u

typedef struct obj {
    uword hdr;
    ujs_value proto;
    ujs_value props; /* T_PROPS or V_NULL */
    uword cls;       /* class | flags, raw */
    ujs_value x[];   /* class slots */
} obj;
static inline unsigned obj_class(const obj *o)
{
    return (unsigned)(o->cls & 0xff);
}

/* Property flags (stored as smi) */
#define P_WRITABLE     1
#define P_ENUMERABLE   2
#define P_CONFIGURABLE 4
#define P_GETSET       8 /* value is a VALARR [getter, setter] */
#define P_DEFAULT      (P_WRITABLE | P_ENUMERABLE | P_CONFIGURABLE)

typedef struct props {
    uword hdr;
    ujs_value count; /* smi */
    ujs_value kv[];  /* key, value, flags */
} props;

typedef struct bytesblk {
    uword hdr;
    uword len;
} bytesblk;
static inline uint8_t *bytes_data(bytesblk *b)
{
    return (uint8_t *)(b + 1);
}

/*
 * A compiled function: pointer-free except for its constant pool (atoms,
 * numbers, child functions by index) so it can be serialized as is. The
 * first five words are common to a loaded function (funcext); the others
 * only exist in a compiled one (read them through the fb_* accessors).
 */
typedef struct funcbc {
    uword hdr;
    ujs_value cpool; /* VALARR or V_NULL */
    ujs_value name;  /* atom or undefined */
    uword nparams_nvars;
    uword stack_size_flags;
    /* compiled functions only (not FBF_EXTERN): */
    ujs_value filename; /* atom */
    uword code_len;
    uword lines_len; /* bytes of (pc delta, line delta) pairs after the code */
    uint32_t ncvar;
    /* code bytes, then ncvar u16 closure descriptors, then line table */
} funcbc;
#define FB_NPARAMS(f) ((uint32_t)((f)->nparams_nvars & 0xffff))
#define FB_NVARS(f)   ((uint32_t)((f)->nparams_nvars >> 16))
#define FB_STACK(f)   ((uint32_t)((f)->stack_size_flags & 0xffff))
#define FBF_ARGUMENTS 0x10000u /* uses `arguments` */
#define FBF_TOPLEVEL  0x20000u
/* Loaded bytecode (bc_load.c): a funcext, the mutable part of a function
 * whose record and raw part (code, closure descriptors, line table) stay in
 * the caller's buffer (possibly flash). The GC follows cpool and name only;
 * it neither follows nor moves the file pointer. */
#define FBF_EXTERN 0x40000u
typedef struct funcext {
    uword hdr;
    ujs_value cpool;
    ujs_value name;
    uword nparams_nvars;
    uword stack_size_flags;
    const uint8_t *file;
    uint32_t raw_off; /* of its raw part */
    uint32_t index;   /* of its function record */
} funcext;
static inline bool fb_is_extern(const funcbc *f)
{
    return (f->stack_size_flags & FBF_EXTERN) != 0;
}
static inline const uint8_t *fb_code(funcbc *f)
{
    if (fb_is_extern(f)) return ((funcext *)f)->file + ((funcext *)f)->raw_off;
    return (const uint8_t *)(f + 1);
}
/* A u32 field of a funcext's function record in the file (bc_load.c); the
 * offsets are those of docs/BYTECODE.md's function record. */
enum { FX_CODE_LEN = 24, FX_NCVAR = 28, FX_LINES_LEN = 32 };
uint32_t fx_field(const funcext *x, unsigned off);
static inline uint32_t fb_code_len(funcbc *f)
{
    return fb_is_extern(f) ? fx_field((funcext *)f, FX_CODE_LEN) : (uint32_t)f->code_len;
}
static inline uint32_t fb_ncvar(funcbc *f)
{
    return fb_is_extern(f) ? fx_field((funcext *)f, FX_NCVAR) : f->ncvar;
}
static inline uint32_t fb_lines_len(funcbc *f)
{
    return fb_is_extern(f) ? fx_field((funcext *)f, FX_LINES_LEN) : (uint32_t)f->lines_len;
}
/* A constant-pool entry of loaded bytecode not made yet (bc_load.c): atom
 * or function `idx` of the function's file, made on first use and stored
 * back. A special-constant tag: not a pointer, so the GC ignores it, and
 * the interpreter resolves it before any JS operation sees it. */
#define V_LAZY_TAG 0x72u
#define LAZY_MAX   (1u << 23) /* idx bound: the payload fits a 32-bit word */
static inline bool v_is_lazy(ujs_value v)
{
    return (v & 0xff) == V_LAZY_TAG;
}
static inline ujs_value v_mklazy(uint32_t idx, bool func)
{
    return (uword)idx << 9 | (uword)func << 8 | V_LAZY_TAG;
}
static inline uint32_t v_lazy_idx(ujs_value v)
{
    return (uint32_t)(v >> 9);
}
static inline bool v_lazy_is_func(ujs_value v)
{
    return (v >> 8) & 1;
}

/* ---- context ---- */
#define UJS_HOST_CACHE  16 /* entries, in pairs: UJS_HOST_CACHE / 2 sets of two ways */
#define UJS_IC_SIZE     64 /* power of two */
#define UJS_GCACHE_SIZE 8  /* power of two */
typedef struct ujs_ctx {
    void *opaque; /* first: ujs_get_opaque reads it inline (ujs.h) */
    uint8_t *mem_end;
    ujs_value *stack_base, *stack_end, *sp; /* value stack grows up */
    ujs_value *stack_peak;
    uword *heap_start, *heap_top, *heap_end;
    uword heap_peak;
    uint32_t gc_count; /* collections run */
    bool in_gc;
    /* roots */
    ujs_value global;    /* the global object */
    ujs_value atoms;     /* VALARR of heap atoms */
    ujs_value exception; /* pending exception */
    ujs_value scratch[4];
    uint32_t natoms;
    ujs_ref *scoped;    /* LIFO list */
    ujs_ref persistent; /* sentinel of a circular list */
    const ujs_cfunc_def *host_globals;
    uint32_t nhost_globals;
    const struct ujs_class_def *classes[16];
    uint32_t nclasses;
    /* (atom, class) -> member of host classes, direct mapped; the GC
     * clears it because atoms move. A value is the method's value (a ROM
     * object, class in bits 14..17) or HC_PROP | class << 14 | index << 4. */
    ujs_value host_cache_atom[UJS_HOST_CACHE];
    uint32_t host_cache_val[UJS_HOST_CACHE];
    /* inline caches: per instruction site (hashed pc), the index where a
     * property was last found; only a guess, checked on use */
    uint16_t ic[UJS_IC_SIZE];
    /* get_global's cache: per constant-pool index (the operand is read
     * anyway, hashing the pc is not), the value slot of a data property
     * of the global object; its key, slot[-1], tells which global it is.
     * gcache_clear empties it whenever slots may have moved. */
    ujs_value *gcache[UJS_GCACHE_SIZE];
    ujs_value gcache_none[2]; /* an empty entry's key and value */
    /* interrupt */
    ujs_interrupt_handler ih;
    void *ih_opaque;
    uint32_t ih_period;
    int32_t ih_counter;
    int32_t ih_start; /* the countdown at each outermost call: ih_period, or INT32_MAX */
    int abort_status; /* UJS_ENOMEM / UJS_EINTERRUPTED while unwinding */
    /* interpreter */
    uint32_t call_depth; /* JS frames */
    uint64_t rng;        /* Math.random state (xorshift64*) */
    uint32_t c_depth;    /* nested entries from C */
    void *cur_loop;      /* innermost running loop's registers (interp.c) */
} ujs_ctx;

/* Empties get_global's cache: every entry points at gcache_none, whose key
 * V_EXCEPTION no constant pool holds, so a hit needs no validity check.
 * Called at each collection (slots move) and by shape_changed. */
static inline void gcache_clear(ujs_ctx *ctx)
{
    ctx->gcache_none[0] = V_EXCEPTION;
    ctx->gcache_none[1] = V_UNDEFINED;
    for (uint32_t i = 0; i < UJS_GCACHE_SIZE; i++) ctx->gcache[i] = &ctx->gcache_none[1];
}

#define UJS_MAX_CALL_DEPTH 100000 /* in practice the stack size limits depth */

/* ---- heap.c / gc.c ---- */
void *heap_alloc(ujs_ctx *ctx, uword words, unsigned type);
void heap_update_peak(ujs_ctx *ctx); /* folds heap_top into heap_peak */
/* Bump allocation of a block without value slots (a float or a string) when
 * it fits; NULL means "call heap_alloc" (which may collect). The stress
 * build always collects. */
static inline uword *heap_alloc_raw_fast(ujs_ctx *ctx, uword words, unsigned type)
{
#ifdef UJS_GC_STRESS
    (void)ctx;
    (void)words;
    (void)type;
    return NULL;
#else
    uword *p = ctx->heap_top;
    if (words > (uword)(ctx->heap_end - p)) return NULL;
    ctx->heap_top = p + words;
    p[0] = hdr_make(words, type);
    return p;
#endif
}
void heap_finalize_all(ujs_ctx *ctx);
/* ROM-object indices of host class methods: HOST_METHOD | class << 10 | method */
#define HOST_METHOD (1u << 20)
void gc_collect(ujs_ctx *ctx);
bool heap_contains(ujs_ctx *ctx, ujs_value v);
static inline uword words_for_bytes(uword n)
{
    return (n + WSIZE - 1) / WSIZE;
}

/* ---- errors (api.c) ---- */
ujs_value throw_oom(ujs_ctx *ctx);
ujs_value throw_fmt(ujs_ctx *ctx, int kind, const char *fmt, ...);
enum { E_ERROR, E_TYPE, E_RANGE, E_SYNTAX, E_REFERENCE, E_EVAL, E_URI, E_COUNT };

/* ---- number.c ---- */
ujs_value num_new(ujs_ctx *ctx, double d); /* may return V_EXCEPTION */
ujs_value num_box(ujs_ctx *ctx, double d); /* always boxed (d is not a small int) */
static inline bool v_is_float(ujs_value v)
{
    return v_is_ptr(v) && v_type(v) == T_FLOAT;
}
/* A boxed number; read and written with memcpy (heap blocks are only word-aligned). */
typedef struct floatblk {
    uword hdr;
    double d;
} floatblk;
#define FLOAT_WORDS (sizeof(floatblk) / sizeof(uword))
static inline double v_float(ujs_value v)
{
    double d;
    memcpy(&d, (const char *)v + offsetof(floatblk, d), sizeof d);
    return d;
}
static inline bool v_is_number(ujs_value v)
{
    return v_is_int(v) || v_is_float(v);
}
static inline double v_num(ujs_value v)
{
    return v_is_int(v) ? (double)v_int(v) : v_float(v);
}
size_t num_to_chars(double d, char *buf);                           /* buf >= 32 bytes; no NUL */
bool num_parse(const char *s, size_t len, double *out, bool whole); /* JS StringToNumber */
int32_t num_to_int32(double d);
double num_floor(double d);
double num_fmod(double a, double b);
double num_pow(double a, double b);
double num_sqrt(double d);
double num_log2(double d);
double num_log10(double d);
bool num_is_nan(double d);
bool num_is_finite(double d);
#define NUM_NAN      (__builtin_nan(""))
#define NUM_INFINITY (__builtin_inf())

#endif
