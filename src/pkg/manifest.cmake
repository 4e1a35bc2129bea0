# Manifest codec: CBOR reader and writer, the schema walker, the canonical
# encoder, and the in-tree JSON reader. The JSON reader is always in the
# library because the host tools check JSON syntax with it; the loader uses
# it only with MBPF_JSON_MANIFEST, and without that a static link leaves it
# out of the program.
target_sources(mbpf_pkg PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cbor_reader.c
  ${CMAKE_CURRENT_LIST_DIR}/cbor_writer.c
  ${CMAKE_CURRENT_LIST_DIR}/json_reader.c
  ${CMAKE_CURRENT_LIST_DIR}/manifest.c
  ${CMAKE_CURRENT_LIST_DIR}/manifest_encode.c)
