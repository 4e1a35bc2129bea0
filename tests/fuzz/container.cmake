mbpf_fuzzer(fuzz_container SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_container.c LIBS mbpf_pkg
            CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/container)
