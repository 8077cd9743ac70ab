// Fuzz target: the TSV triple reader (tools/triple_file_reader), through
// the properties of fuzz/triple_reader_fuzz.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/triple_reader_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kgraph::fuzz::FuzzTripleReader(data, size, kgraph::admin::TripleFormat::kTsv);
}
