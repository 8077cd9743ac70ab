# Tests of the nlp module: every tests/nlp_*_test.cc, so that each component
# brings its tests without editing a shared list.
file(GLOB KGRAPH_NLP_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/nlp_*_test.cc)
foreach(path ${KGRAPH_NLP_TESTS})
  get_filename_component(t ${path} NAME_WE)
  kgraph_test(${t})
  target_link_libraries(${t} PRIVATE kgraph_nlp)
endforeach()
