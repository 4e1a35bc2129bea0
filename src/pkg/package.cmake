target_sources(mbpf_pkg PRIVATE ${CMAKE_CURRENT_LIST_DIR}/package.c)
