/*
 * The portable bytecode file format (docs/BYTECODE.md), shared by the
 * writer, the verifier, the loader and the disassembler. Every field is
 * little-endian and read byte by byte, so no alignment is assumed.
 */
#ifndef UJS_BYTECODE_H
#define UJS_BYTECODE_H

#include "internal.h"
#include "opcodes.h"

#define BC_MAGIC0 'U'
#define BC_MAGIC1 'J'
#define BC_MAGIC2 'S'
#define BC_MAGIC3 'B'
#define BC_NONE   0xffffffffu

/* header: magic[4], u16 version, u16 flags, u32 file_len, u32 nfuncs,
 * u32 funcs_off, u32 natoms, u32 atoms_off, u32 filename atom */
#define BC_HDR_SIZE 32u
#define BC_F_STRIP  1u

/* function record: u32 parent, u32 name atom, u16 nparams, u16 nlocals,
 * u16 stack_size, u16 flags, u32 nconst, u32 const_off, u32 code_len,
 * u32 ncvar, u32 lines_len, u32 raw_off */
#define BC_FUNC_SIZE     40u
#define BC_FN_ARGUMENTS  1u
#define BC_FN_TOPLEVEL   2u
#define BC_MAX_LOCALS    0x3fffu
#define BC_MAX_FUNC_NEST 128u

/* constant: u8 kind, u64 payload */
#define BC_CONST_SIZE 9u
enum { BC_K_ATOM, BC_K_NUMBER, BC_K_FUNC };

/* atom record: u32 data_off, u32 units << 1 | wide (UTF-16LE if wide, else Latin-1) */
#define BC_ATOM_SIZE 8u
#define BC_MAX_UNITS (1u << 29)

/* at most this many functions and atoms (the loader's lazy references) */
#define BC_MAX_ITEMS LAZY_MAX

static inline uint32_t bc_rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static inline uint32_t bc_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t bc_rd64(const uint8_t *p)
{
    return (uint64_t)bc_rd32(p) | (uint64_t)bc_rd32(p + 4) << 32;
}

/* A function record decoded (the verifier checked every field). */
typedef struct bc_func {
    uint32_t parent, name, nparams, nlocals, stack_size, flags;
    uint32_t nconst, const_off, code_len, ncvar, lines_len, raw_off;
} bc_func;

static inline void bc_func_read(const uint8_t *buf, uint32_t funcs_off, uint32_t i, bc_func *f)
{
    const uint8_t *p = buf + funcs_off + (size_t)i * BC_FUNC_SIZE;
    f->parent = bc_rd32(p);
    f->name = bc_rd32(p + 4);
    f->nparams = bc_rd16(p + 8);
    f->nlocals = bc_rd16(p + 10);
    f->stack_size = bc_rd16(p + 12);
    f->flags = bc_rd16(p + 14);
    f->nconst = bc_rd32(p + 16);
    f->const_off = bc_rd32(p + 20);
    f->code_len = bc_rd32(p + FX_CODE_LEN);
    f->ncvar = bc_rd32(p + FX_NCVAR);
    f->lines_len = bc_rd32(p + FX_LINES_LEN);
    f->raw_off = bc_rd32(p + 36);
}

/* bc_verify.c: checks the whole file; on failure throws an Error naming the
 * check and returns -1. Uses scratch heap blocks (may collect). */
int bc_verify(ujs_ctx *ctx, const uint8_t *buf, size_t len);

extern const int8_t ujs_op_pop[OP__COUNT];
extern const int8_t ujs_op_push[OP__COUNT];

#endif
