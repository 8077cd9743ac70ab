#include "server/text_extractor.h"

#include <memory>

#include "ingest/extractor.h"
#include "pipeline/document_conversion.h"

namespace kgraph::server {

absl::StatusOr<TextExtractor> MakeTextExtractor(const std::string& data_dir) {
  ingest::ExtractorConfig config;
  config.data_dir = data_dir;
  absl::StatusOr<std::unique_ptr<ingest::Extractor>> created = ingest::Extractor::Create(config);
  if (!created.ok()) return created.status();
  std::shared_ptr<const ingest::Extractor> extractor(std::move(*created));
  return TextExtractor(
      [extractor](const v1::Document& doc) -> absl::StatusOr<storage::DocumentInput> {
        ingest::SourceDocument src;
        src.id = doc.doc_id();
        src.title = doc.title();
        src.date = doc.date();
        src.url = doc.url();
        src.text = doc.text();
        src.source = "document " + doc.doc_id();
        ingest::ExtractedDocument extracted = extractor->Extract(src);
        extracted.doc_id = doc.doc_id();
        return pipeline::ToDocumentInput(extracted, src.text);
      });
}

}  // namespace kgraph::server
