# Tests of the admin tool's commands as scripts run them (exit status,
# summaries, progress), run as a subprocess.
kgraph_test(tools_admin_ingest_test)
add_dependencies(tools_admin_ingest_test kgraph-admin)
target_compile_definitions(tools_admin_ingest_test PRIVATE
  KGRAPH_ADMIN_BINARY="$<TARGET_FILE:kgraph-admin>")

kgraph_test(tools_admin_annotate_test)
add_dependencies(tools_admin_annotate_test kgraph-admin)
target_link_libraries(tools_admin_annotate_test PRIVATE nlohmann_json::nlohmann_json)
target_compile_definitions(tools_admin_annotate_test PRIVATE
  KGRAPH_ADMIN_BINARY="$<TARGET_FILE:kgraph-admin>")
