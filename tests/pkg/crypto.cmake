# Ed25519 verification and SHA-512, differential against libsodium.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
mbpf_unit_test(test_sha512 SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_sha512.c
               LIBS mbpf_pkg PkgConfig::SODIUM)
mbpf_unit_test(test_ed25519 SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_ed25519.c
               LIBS mbpf_pkg PkgConfig::SODIUM)
# The 10,000-message differential, in shards that ctest -j runs side by side.
foreach(shard 0 1 2 3)
  add_test(NAME test_ed25519_random_${shard} COMMAND test_ed25519 random ${shard} 4)
endforeach()
