// The loop that `kgraph-admin extract` and `annotate` share: read documents
// from input files in bounded batches, turn each into one output line on a
// pool of threads, and write the lines in input order, so that the output is
// identical for any thread count. `line_of` is called concurrently.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "ingest/document.h"

namespace kgraph::admin {

struct DocumentLineTotals {
  size_t documents = 0;   // lines written
  size_t errors = 0;      // documents or files that could not be read
  size_t text_bytes = 0;  // raw text of the documents written
};

// Read errors are printed to stderr as "COMMAND: skipped: ..." and counted.
DocumentLineTotals WriteDocumentLines(
    const std::vector<std::string>& inputs, size_t batch_documents, int threads,
    const std::string& command,
    const std::function<std::string(const ingest::SourceDocument&)>& line_of, std::ostream& out);

}  // namespace kgraph::admin
