/* The instruction set's tables: size, pops and pushes of each opcode
 * (shared by the compiler, the interpreter and the bytecode verifier). */
#include "bytecode.h"

const uint8_t ujs_op_size[OP__COUNT] = {
#define DEF(name, size, pop, push) size,
    UJS_OPCODES(DEF)
#undef DEF
};
const int8_t ujs_op_pop[OP__COUNT] = {
#define DEF(name, size, pop, push) pop,
    UJS_OPCODES(DEF)
#undef DEF
};
const int8_t ujs_op_push[OP__COUNT] = {
#define DEF(name, size, pop, push) push,
    UJS_OPCODES(DEF)
#undef DEF
};
