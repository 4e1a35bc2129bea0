# Manifest fuzzers: the CBOR decoder (and MAPS section), and the runtime
# JSON reader differential against the tools' cJSON-based reader.
mbpf_fuzzer(fuzz_manifest_cbor SOURCES fuzz_manifest_cbor.c LIBS mbpf_pkg
            CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/manifest_cbor)
if(MBPF_JSON_MANIFEST)
  if(NOT TARGET PkgConfig::LIBCJSON)
    pkg_check_modules(LIBCJSON REQUIRED IMPORTED_TARGET libcjson)
  endif()
  mbpf_fuzzer(fuzz_manifest_json
              SOURCES fuzz_manifest_json.c ${PROJECT_SOURCE_DIR}/tools/lib/manifest_json.c
              LIBS mbpf_pkg PkgConfig::LIBCJSON
              CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/manifest_json)
  target_include_directories(fuzz_manifest_json PRIVATE ${PROJECT_SOURCE_DIR}/tools/lib)
endif()

# The manifest editing of `mbpf build` (file + command-line edits + schema).
if(TARGET mbpf_toollib)
  mbpf_fuzzer(fuzz_manifest_edit SOURCES fuzz_manifest_edit.c LIBS mbpf_toollib
              CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/manifest_json)
  target_include_directories(fuzz_manifest_edit PRIVATE ${PROJECT_SOURCE_DIR}/tools/lib)
endif()
