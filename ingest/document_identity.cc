#include "ingest/document_identity.h"

#include <filesystem>

#include <xxhash.h>

#include "absl/strings/str_format.h"

namespace kgraph::ingest {

std::string ResolveSourceKey(const std::string& path) {
  std::error_code ec;
  std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
  if (!ec) return resolved.string();
  return std::filesystem::absolute(path, ec).lexically_normal().string();
}

std::string ContentDocumentId(std::string_view display, std::string_view source_key,
                              std::string_view title, std::string_view text) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
  for (std::string_view part : {source_key, title, text}) {
    const uint64_t n = part.size();
    XXH3_64bits_update(st, &n, sizeof n);
    XXH3_64bits_update(st, part.data(), part.size());
  }
  const uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return absl::StrFormat("%s#%012x", std::string(display), h >> 16);
}

}  // namespace kgraph::ingest
