target_sources(mbpf_pkg PRIVATE ${CMAKE_CURRENT_LIST_DIR}/crc32.c ${CMAKE_CURRENT_LIST_DIR}/container.c)
