# Tests of the ingest module (extraction pipeline).
foreach(t
    ingest_tokenizer_test
    ingest_sentence_splitter_test
    ingest_entity_recognizer_test
    ingest_alias_resolver_test
    ingest_relation_cases_test
    ingest_document_reader_test
    ingest_seed_end_to_end_test)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${t}.cc)
    kgraph_test(${t})
    target_link_libraries(${t} PRIVATE kgraph_ingest)
  endif()
endforeach()

# Always present. (A test in the list above that is added later is only
# picked up once CMake re-runs, since EXISTS is checked at configure time.)
foreach(t
    ingest_pattern_set_test
    ingest_relation_vocabulary_test
    ingest_data_file_test
    ingest_eval_scorer_test
    ingest_dependency_path_test
    ingest_entity_merger_test
    ingest_relation_classifier_test
    ingest_relation_extractor_test
    ingest_extraction_quality_test)
  kgraph_test(${t})
  target_link_libraries(${t} PRIVATE kgraph_ingest)
endforeach()

kgraph_test(ingest_date_parse_test)
target_link_libraries(ingest_date_parse_test PRIVATE kgraph_dates)

kgraph_test(ingest_html_nesting_test)
target_link_libraries(ingest_html_nesting_test PRIVATE kgraph_ingest)

# Coreference: the declarative cases and the GUM dev floors.
foreach(t ingest_coref_resolver_test ingest_coref_quality_test)
  kgraph_test(${t})
  target_link_libraries(${t} PRIVATE kgraph_ingest)
endforeach()
