pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
mbpf_fuzzer(fuzz_ed25519 SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_ed25519.c
            LIBS mbpf_pkg PkgConfig::SODIUM CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/ed25519)
