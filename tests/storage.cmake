# Tests of storage/ (GraphStore, key format, merge operators, bulk load) and of
# the bulk-load tools built on it (triple file reader, kgraph-admin load).
kgraph_test(storage_key_format_test)
target_link_libraries(storage_key_format_test PRIVATE kgraph_storage)

kgraph_test(storage_merge_test)
target_link_libraries(storage_merge_test PRIVATE kgraph_storage)

kgraph_test(storage_document_test)
target_link_libraries(storage_document_test PRIVATE kgraph_storage)

kgraph_test(storage_bulk_load_test)
target_link_libraries(storage_bulk_load_test PRIVATE kgraph_storage)

kgraph_test(storage_open_test)
target_link_libraries(storage_open_test PRIVATE kgraph_storage)

kgraph_test(storage_fb15k_test)
target_link_libraries(storage_fb15k_test PRIVATE kgraph_triple_files)

kgraph_test(tools_triple_file_reader_test)
target_link_libraries(tools_triple_file_reader_test PRIVATE kgraph_triple_files)

kgraph_test(tools_admin_load_test)
add_dependencies(tools_admin_load_test kgraph-admin)
# Used when $KGRAPH_BIN is not in the test's environment.
target_compile_definitions(tools_admin_load_test PRIVATE
  KGRAPH_ADMIN_BINARY="$<TARGET_FILE:kgraph-admin>")

kgraph_test(storage_crash_test)
target_link_libraries(storage_crash_test PRIVATE kgraph_storage)
add_dependencies(storage_crash_test kgraph-admin)
target_compile_definitions(storage_crash_test PRIVATE
  KGRAPH_ADMIN_BINARY="$<TARGET_FILE:kgraph-admin>")

kgraph_test(storage_entity_cache_test)
target_link_libraries(storage_entity_cache_test PRIVATE kgraph_storage)

# kill -9 of ingest, load and kgraphd start, at random times and at each
# crash point of store creation (KGRAPH_KILL_ITERATIONS for a longer run).
kgraph_test(storage_kill_test)
target_link_libraries(storage_kill_test PRIVATE kgraph_storage)
add_dependencies(storage_kill_test kgraph-admin kgraphd)
target_compile_definitions(storage_kill_test PRIVATE
  KGRAPH_ADMIN_BINARY="$<TARGET_FILE:kgraph-admin>" KGRAPHD_BINARY="$<TARGET_FILE:kgraphd>")

kgraph_test(storage_document_identity_test)
target_link_libraries(storage_document_identity_test PRIVATE kgraph_storage)

kgraph_test(storage_memory_usage_test)
target_link_libraries(storage_memory_usage_test PRIVATE kgraph_storage)
