# query module tests: traversals and paths against brute force on random graphs.
kgraph_test(query_paths_test)
target_link_libraries(query_paths_test PRIVATE kgraph_query)
kgraph_test(query_fb15k_paths_test)
target_link_libraries(query_fb15k_paths_test PRIVATE kgraph_query kgraph_triple_files)
