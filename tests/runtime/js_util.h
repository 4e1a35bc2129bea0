/*
 * Real programs for the runtime tests: JavaScript compiled to bytecode by
 * the ujs shell in a subprocess (the tests link the interpreter-only
 * engine, as a kernel does), packed with a manifest into a package.
 */
#ifndef JS_UTIL_H
#define JS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "rt_test_util.h"

/* Compiles src with `ujs -o` (UJS_TOOL); malloc'd bytecode, length in
 * *len. Aborts the test, printing the compiler's message, if it fails. */
uint8_t *js_compile(const char *src, size_t *len);

/* Builds a package of manifest m and JS source src (signed with k if
 * given); malloc'd, length in *len. */
uint8_t *js_package(const mbpf_manifest_t *m, const char *src, const tk_key_t *k, size_t *len);

/* Loads (m, src) into rt; returns the load's code, *out the program. */
int js_load(mbpf_runtime_t *rt, const mbpf_manifest_t *m, const char *src, mbpf_program_t **out);

/* Loads examples/NAME (prog.js compiled, prog.json as manifest) into rt and
 * attaches it to hook; fails the test on any error. */
mbpf_program_t *js_load_example(mbpf_runtime_t *rt, const char *examples_dir, const char *name,
                                mbpf_hook_id_t hook);

#endif
