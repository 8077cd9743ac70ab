# Tests of storage/ (GraphStore, key format, merge operators, bulk load) and of
# the bulk-load tools built on it (triple file reader, kgraph-admin load).
kgraph_test(storage_key_format_test)
target_link_libraries(storage_key_format_test PRIVATE kgraph_storage)

kgraph_test(storage_merge_test)
target_link_libraries(storage_merge_test PRIVATE kgraph_storage)

kgraph_test(storage_document_test)
target_link_libraries(storage_document_test PRIVATE kgraph_storage)
