/*
 * What the self-test's parts share (selftest.c has main and the library
 * checks, selftest_runtime.c the runtime with real programs,
 * selftest_irq.c the interrupt test): exact-value checks that count and
 * report failures, output, and the platform.
 */
#ifndef MBPF_CM_SELFTEST_H
#define MBPF_CM_SELFTEST_H

#include <stddef.h>
#include <stdint.h>

#include "mbpf_platform.h"

extern const mbpf_platform_t *plat;

void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void section(const char *name);

void check_u64(int line, const char *file, const char *expr, uint64_t got, uint64_t want);
void check_i64(int line, const char *file, const char *expr, int64_t got, int64_t want);
void check_str(int line, const char *file, const char *expr, const char *got, const char *want);
void check_true(int line, const char *file, const char *expr, int ok);

#define CHECK(c)       check_true(__LINE__, __FILE_NAME__, #c, (c) != 0)
#define CHECK_U(a, b)  check_u64(__LINE__, __FILE_NAME__, #a, (uint64_t)(a), (uint64_t)(b))
#define CHECK_I(a, b)  check_i64(__LINE__, __FILE_NAME__, #a, (int64_t)(a), (int64_t)(b))
#define CHECK_S(a, b)  check_str(__LINE__, __FILE_NAME__, #a, (a), (b))
#define CHECK_OK(call) CHECK_I(call, 0)

void put_le32(uint8_t *p, uint32_t v);
uint32_t le32(const uint8_t *p);

/* Recomputes section sec_index's CRC and the file CRC of the package in
 * buf after an edit, so that only the signature can notice it. */
void refresh_crcs(uint8_t *buf, size_t len, uint32_t sec_index);

/* The parts in selftest_runtime.c and selftest_irq.c. */
void test_runtime(void);
void test_irq_counter(void);

#endif
