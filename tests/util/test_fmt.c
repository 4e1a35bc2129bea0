/* Tests of the bounded formatter that builds every runtime error message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <string.h>

#include "mbpf_fmt.h"

static void test_fmt_formats_each_conversion(void **state)
{
    (void)state;
    char buf[128];
    size_t n = mbpf_fmt(buf, sizeof buf, "%s=%d %u 0x%x %c %.*s %zu %lld %llu %%", "k", -42, 42u,
                        0xBEEFu, 'z', 3, "abcdef", (size_t)7, LLONG_MIN, ULLONG_MAX);
    const char *want = "k=-42 42 0xbeef z abc 7 -9223372036854775808 18446744073709551615 %";
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_fmt_truncates_and_terminates(void **state)
{
    (void)state;
    char buf[6];
    memset(buf, 'X', sizeof buf);
    size_t n = mbpf_fmt(buf, sizeof buf, "heap_size %u", 512u);
    assert_int_equal(n, 5);
    assert_string_equal(buf, "heap_");
}

static void test_fmt_zero_capacity_writes_nothing(void **state)
{
    (void)state;
    char c = 'X';
    assert_int_equal(mbpf_fmt(&c, 0, "abc"), 0);
    assert_int_equal(c, 'X');
}

static void test_fmt_null_string_prints_placeholder(void **state)
{
    (void)state;
    char buf[16];
    const char *volatile missing = NULL; /* hidden from the format checker */
    mbpf_fmt(buf, sizeof buf, "%s", missing);
    assert_string_equal(buf, "(null)");
}

static void test_diag_set_formats_and_tolerates_null(void **state)
{
    (void)state;
    mbpf_diag_t d;
    mbpf_diag_set(&d, "manifest: heap_size %u below platform minimum %u", 512u, 2048u);
    assert_string_equal(d.msg, "manifest: heap_size 512 below platform minimum 2048");
    mbpf_diag_set(NULL, "ignored %d", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_formats_each_conversion),
        cmocka_unit_test(test_fmt_truncates_and_terminates),
        cmocka_unit_test(test_fmt_zero_capacity_writes_nothing),
        cmocka_unit_test(test_fmt_null_string_prints_placeholder),
        cmocka_unit_test(test_diag_set_formats_and_tolerates_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
