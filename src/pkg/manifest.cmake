# Manifest codec: CBOR reader and writer, the schema walker, the canonical
# encoder, and the optional in-tree JSON reader.
target_sources(mbpf_pkg PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cbor_reader.c
  ${CMAKE_CURRENT_LIST_DIR}/cbor_writer.c
  ${CMAKE_CURRENT_LIST_DIR}/manifest.c
  ${CMAKE_CURRENT_LIST_DIR}/manifest_encode.c)
if(MBPF_JSON_MANIFEST)
  target_sources(mbpf_pkg PRIVATE ${CMAKE_CURRENT_LIST_DIR}/json_reader.c)
endif()
