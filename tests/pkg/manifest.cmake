# Manifest codec tests: schema (both formats), CBOR codec cross-checked
# against libcbor, and the tools' cJSON reader (compiled in directly, as the
# tool library may not be built).
if(NOT TARGET PkgConfig::LIBCBOR)
  pkg_check_modules(LIBCBOR REQUIRED IMPORTED_TARGET libcbor)
endif()
if(NOT TARGET PkgConfig::LIBCJSON)
  pkg_check_modules(LIBCJSON REQUIRED IMPORTED_TARGET libcjson)
endif()

set(MANIFEST_JSON_TOOL_SRC ${PROJECT_SOURCE_DIR}/tools/lib/manifest_json.c)
foreach(t test_manifest test_cbor)
  set(libs mbpf_pkg PkgConfig::LIBCJSON)
  if(t STREQUAL test_cbor)
    list(APPEND libs PkgConfig::LIBCBOR)
  endif()
  mbpf_unit_test(${t} SOURCES ${t}.c ${MANIFEST_JSON_TOOL_SRC} LIBS ${libs})
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/tools/lib)
  target_compile_definitions(${t} PRIVATE
                             MBPF_TEST_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
endforeach()
