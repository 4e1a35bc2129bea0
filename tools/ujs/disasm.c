/*
 * The bytecode disassembler of `ujs --disasm`: prints a verified bytecode
 * file's functions, constants, closure variables and instructions with
 * their source lines. The caller verifies the file first (ujs_load_bytecode),
 * so offsets and indices are trusted here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "disasm.h"

static const char *const op_names[OP__COUNT] = {
#define DEF(name, size, pop, push) #name,
    UJS_OPCODES(DEF)
#undef DEF
};

static void print_atom(FILE *out, const uint8_t *buf, uint32_t i)
{
    if (i == BC_NONE) {
        fputs("-", out);
        return;
    }
    const uint8_t *a = buf + bc_rd32(buf + 24) + (size_t)i * BC_ATOM_SIZE;
    uint32_t off = bc_rd32(a), lw = bc_rd32(a + 4), n = lw >> 1;
    fputc('"', out);
    for (uint32_t k = 0; k < n && k < 64; k++) {
        uint32_t c = (lw & 1) ? bc_rd16(buf + off + 2 * k) : buf[off + k];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", (int)c);
        else if (c >= 0x20 && c < 0x7f)
            fputc((int)c, out);
        else
            fprintf(out, "\\u%04" PRIx32, c);
    }
    fputs(n > 64 ? "\"..." : "\"", out);
}

static void print_const(FILE *out, const uint8_t *buf, const bc_func *f, uint32_t k)
{
    const uint8_t *c = buf + f->const_off + (size_t)k * BC_CONST_SIZE;
    uint64_t x = bc_rd64(c + 1);
    if (c[0] == BC_K_ATOM) {
        print_atom(out, buf, (uint32_t)x);
    } else if (c[0] == BC_K_FUNC) {
        fprintf(out, "function %" PRIu64, x);
    } else {
        double d;
        memcpy(&d, &x, 8);
        fprintf(out, "%.17g", d);
    }
}

static void print_insn(FILE *out, const uint8_t *buf, const bc_func *f, const uint8_t *code,
                       uint32_t pc)
{
    int op = code[pc];
    const uint8_t *o = code + pc + 1;
    fprintf(out, "    %5" PRIu32 "  %-16s", pc, op_names[op]);
    switch (op) {
    case OP_push_i8:
    case OP_return_i8: fprintf(out, "%d", (int)(int8_t)o[0]); break;
    case OP_push_i32: fprintf(out, "%" PRId32, (int32_t)bc_rd32(o)); break;
    case OP_call:
    case OP_new: fprintf(out, "argc %u", o[0]); break;
    case OP_new_array: fprintf(out, "%" PRIu32 " elements", bc_rd16(o)); break;
    case OP_jcmp:
        fprintf(out, "%s%s -> %" PRId64, (const char *[]){"lt", "le", "gt", "ge"}[o[0] & 3],
                (o[0] & 0x80) ? " true" : " false", (int64_t)pc + 6 + (int32_t)bc_rd32(o + 1));
        break;
    case OP_jcmp_i16:
        fprintf(out, "%s %" PRId32 "%s -> %" PRId64,
                (const char *[]){"lt", "le", "gt", "ge"}[o[0] & 3],
                (int32_t)(bc_rd16(o + 1) ^ 0x8000) - 0x8000, (o[0] & 0x80) ? " true" : " false",
                (int64_t)pc + 8 + (int32_t)bc_rd32(o + 3));
        break;
    case OP_add_i16:
    case OP_band_i16:
    case OP_bor_i16:
    case OP_shl_i16:
    case OP_sar_i16:
    case OP_shr_i16: fprintf(out, "%" PRId32, (int32_t)(bc_rd16(o) ^ 0x8000) - 0x8000); break;
    case OP_jseq_i16:
    case OP_jsneq_i16:
        fprintf(out, "%" PRId32 " -> %" PRId64, (int32_t)(bc_rd16(o) ^ 0x8000) - 0x8000,
                (int64_t)pc + 7 + (int32_t)bc_rd32(o + 2));
        break;
    case OP_get_loc_field:
        fprintf(out, "loc %" PRIu32 " ", bc_rd16(o));
        print_const(out, buf, f, bc_rd16(o + 2));
        break;
    default:
        if (ujs_op_size[op] == 5) {
            fprintf(out, "-> %" PRId64, (int64_t)pc + 5 + (int32_t)bc_rd32(o));
        } else if (ujs_op_size[op] == 3) {
            uint32_t a = bc_rd16(o);
            if (op == OP_push_const || op == OP_fclosure ||
                (op >= OP_get_global && op <= OP_define_setter && op != OP_get_loc_field)) {
                fprintf(out, "#%" PRIu32 " ", a);
                print_const(out, buf, f, a);
            } else {
                fprintf(out, "%" PRIu32, a);
            }
        }
        break;
    }
    fputc('\n', out);
}

int ujs_disasm(FILE *out, const uint8_t *buf, size_t len)
{
    if (!ujs_is_bytecode(buf, len) || len < BC_HDR_SIZE) return -1;
    uint32_t nfuncs = bc_rd32(buf + 12), funcs_off = bc_rd32(buf + 16);
    fprintf(out,
            "ujs bytecode version %" PRIu32 "%s, %zu bytes, %" PRIu32 " functions, %" PRIu32
            " atoms, file ",
            bc_rd16(buf + 4), (bc_rd16(buf + 6) & BC_F_STRIP) ? " (stripped)" : "", len, nfuncs,
            bc_rd32(buf + 20));
    print_atom(out, buf, bc_rd32(buf + 28));
    fputc('\n', out);
    for (uint32_t i = 0; i < nfuncs; i++) {
        bc_func f;
        bc_func_read(buf, funcs_off, i, &f);
        fprintf(out, "\nfunction %" PRIu32 " ", i);
        print_atom(out, buf, f.name);
        fprintf(out,
                ": parent %" PRId32 ", %" PRIu32 " params, %" PRIu32 " locals, stack %" PRIu32
                ", %" PRIu32 " bytes of code%s%s\n",
                f.parent == BC_NONE ? -1 : (int32_t)f.parent, f.nparams, f.nlocals, f.stack_size,
                f.code_len, (f.flags & BC_FN_ARGUMENTS) ? ", uses arguments" : "",
                (f.flags & BC_FN_TOPLEVEL) ? ", top level" : "");
        for (uint32_t k = 0; k < f.nconst; k++) {
            fprintf(out, "  const %" PRIu32 ": ", k);
            print_const(out, buf, &f, k);
            fputc('\n', out);
        }
        const uint8_t *code = buf + f.raw_off;
        for (uint32_t k = 0; k < f.ncvar; k++) {
            uint32_t d = bc_rd16(code + f.code_len + 2 * k);
            if (d & 0x8000)
                fprintf(out, "  closure var %" PRIu32 ": parent's closure var %" PRIu32 "\n", k,
                        d & 0x7fff);
            else
                fprintf(out, "  closure var %" PRIu32 ": parent's %s %" PRIu32 "\n", k,
                        d < f.nparams ? "argument" : "variable", d);
        }
        const uint8_t *lt = code + f.code_len + 2 * (size_t)f.ncvar;
        uint32_t li = 0, line = 0;
        for (uint32_t pc = 0; pc < f.code_len; pc += ujs_op_size[code[pc]]) {
            uint32_t nl = line;
            while (li + 8 <= f.lines_len && bc_rd32(lt + li) <= pc) {
                nl = bc_rd32(lt + li + 4);
                li += 8;
            }
            if (nl != line) fprintf(out, "  line %" PRIu32 ":\n", nl);
            line = nl;
            print_insn(out, buf, &f, code, pc);
        }
    }
    return 0;
}
