# The whole-package check, including the truncation/corruption robustness
# test. libsodium signs the test packages.
pkg_check_modules(MBPF_TEST_SODIUM REQUIRED IMPORTED_TARGET libsodium)
mbpf_unit_test(test_package SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_package.c
               LIBS mbpf_pkg PkgConfig::MBPF_TEST_SODIUM)
