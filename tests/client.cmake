# kgraph client (tools/client) tests: how replies are printed.
kgraph_test(client_output_format_test)
target_link_libraries(client_output_format_test PRIVATE kgraph_client_common)
