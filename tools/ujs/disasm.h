/* The bytecode disassembler of `ujs --disasm` (disasm.c). */
#ifndef UJS_DISASM_H
#define UJS_DISASM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Prints the bytecode file buf[0..len), which must have passed the verifier. */
int ujs_disasm(FILE *out, const uint8_t *buf, size_t len);

#endif
