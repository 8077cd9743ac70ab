# model/: name keys and ids shared by every module.
kgraph_test(model_name_key_test)
target_link_libraries(model_name_key_test PRIVATE kgraph_model)
kgraph_test(model_text_limits_test)
target_link_libraries(model_text_limits_test PRIVATE kgraph_model)
kgraph_test(model_json_text_test)
target_link_libraries(model_json_text_test PRIVATE kgraph_model nlohmann_json::nlohmann_json)
