# Runtime Ed25519 verification (RFC 8032) with its own SHA-512.
target_sources(mbpf_pkg PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/sha512.c
  ${CMAKE_CURRENT_LIST_DIR}/fe25519.c
  ${CMAKE_CURRENT_LIST_DIR}/ge25519.c
  ${CMAKE_CURRENT_LIST_DIR}/sc25519.c
  ${CMAKE_CURRENT_LIST_DIR}/ed25519.c)
# Unoptimized, the arithmetic is ~10x slower (a verify at -O0 under ASan,
# UBSan and fuzzer coverage took ~3 ms instead of ~0.3 ms), which would
# make Debug package loads and the sanitized differential tests crawl.
# Debug builds therefore still optimize these files; the sanitizers
# instrument them all the same. ed25519.c, the acceptance policy, keeps the
# Debug flags.
set_source_files_properties(
  ${CMAKE_CURRENT_LIST_DIR}/sha512.c ${CMAKE_CURRENT_LIST_DIR}/fe25519.c
  ${CMAKE_CURRENT_LIST_DIR}/ge25519.c ${CMAKE_CURRENT_LIST_DIR}/sc25519.c
  PROPERTIES COMPILE_OPTIONS "$<$<CONFIG:Debug>:-O2>")
