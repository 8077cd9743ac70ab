// Linked into every test binary: exports where the sources, the build and
// ../shared are, unless the caller's environment already says so. (CTest's
// per-test ENVIRONMENT cannot carry several variables through
// gtest_discover_tests, so the paths are compiled in instead.)
#include <cstdlib>

namespace {

const bool kExported = [] {
  setenv("KGRAPH_SOURCE", KGRAPH_TEST_SOURCE_DIR, /*overwrite=*/0);
  setenv("KGRAPH_SHARED", KGRAPH_TEST_SHARED_DIR, 0);
  setenv("KGRAPH_BIN", KGRAPH_TEST_BINARY_DIR, 0);
  return true;
}();

}  // namespace
