/*
 * The ujs engine on the host: compiling JavaScript to a bytecode file
 * (docs/BYTECODE.md) and verifying one, for `mbpf compile`, `mbpf build`
 * and `mbpf inspect --disasm`. The engine only ever works inside one
 * caller-given buffer; these functions size that buffer themselves,
 * starting small and doubling it while the engine reports UJS_ENOMEM, so a
 * program of any size compiles and the output never depends on the buffer.
 */
#ifndef MBPF_TOOL_JS_COMPILE_H
#define MBPF_TOOL_JS_COMPILE_H

#include <stddef.h>
#include <stdint.h>

/* Context buffer sizes tried: the first, doubled up to the last. */
#define MBPF_TOOL_JS_MEM_MIN (256u * 1024)
#define MBPF_TOOL_JS_MEM_MAX (1024u * 1024 * 1024)

/* Compiles src[0..len) (UTF-8 JavaScript) into a malloc'd bytecode file
 * (*out, freed by the caller), exactly the bytes `ujs -o` writes for the
 * same filename and flags (UJS_BC_STRIP or 0). filename is recorded in the
 * file unless stripped and names the source in messages. The result is run
 * through the engine's verifier before it is returned. Returns 0, or
 * MBPF_TOOL_EFAIL with err set: "FILE:LINE:COL: message" for a syntax
 * error, "FILE: out of memory ..." when even the largest buffer is short. */
int mbpf_tool_compile_js(const char *src, size_t len, const char *filename, unsigned flags,
                         uint8_t **out, size_t *out_len, char *err, size_t errcap);

/* Runs the engine's bytecode verifier and loader over buf[0..len) in a
 * scratch context. Returns 0, or MBPF_TOOL_EFAIL with err set to the
 * verifier's message ("not a ujs bytecode file", "function 2: jump target
 * 17 out of range", ...). */
int mbpf_tool_verify_bytecode(const uint8_t *buf, size_t len, char *err, size_t errcap);

#endif
