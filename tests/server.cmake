# server module tests: a real kgraphd on a loopback port, driven over gRPC.
kgraph_test(server_rpc_test)
target_link_libraries(server_rpc_test PRIVATE kgraph_server)
kgraph_test(server_budget_test)
target_link_libraries(server_budget_test PRIVATE kgraph_server)
kgraph_test(server_security_test)
target_link_libraries(server_security_test PRIVATE kgraph_server)

# Any-language proof: a Python client (Debian's grpcio) against a real kgraphd.
add_test(NAME python_client_test
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python_client_test.py
    --kgraphd $<TARGET_FILE:kgraphd> --proto_dir ${CMAKE_SOURCE_DIR}/proto
    --example_dir ${CMAKE_SOURCE_DIR}/examples/python)
set_tests_properties(python_client_test PROPERTIES TIMEOUT 120)
kgraph_test(server_text_ingest_test)
target_link_libraries(server_text_ingest_test PRIVATE kgraph_server kgraph_server_extraction)
# No silent loss over gRPC ingest: raw bad bytes, per-document acks, field errors.
kgraph_test(server_ingest_stream_test)
target_link_libraries(server_ingest_stream_test PRIVATE kgraph_server)
kgraph_test(server_co_mention_test)
target_link_libraries(server_co_mention_test PRIVATE kgraph_server)
# The document catalog over gRPC: ListDocuments paging and filter, GetDocument, delete.
kgraph_test(server_documents_test)
target_link_libraries(server_documents_test PRIVATE kgraph_server)
add_dependencies(server_documents_test kgraph)  # its ClientSubcommands test runs the client
