# Whole-package check; seeds are real packages made by `mbpf`
# (tests/fuzz/make_package_corpus.sh regenerates them).
mbpf_fuzzer(fuzz_package SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_package.c LIBS mbpf_pkg
            CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/package)
