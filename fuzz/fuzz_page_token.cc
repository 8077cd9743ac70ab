// Fuzz target: page tokens and the neighborhood cursor (query/page_token,
// PageNeighborhood), which is what a client controls when it sends
// page_token. The first byte picks a mode:
//   0: the rest is a token, decoded for a fixed request and used to cut a page
//      of a fixed result;
//   1: the rest is a cursor: Encode/Decode must round-trip it, a token of
//      another request must be refused, then the cursor cuts a page;
//   2: the rest describes a result (node hop/score/id, edges) and a page
//      size; paging through it by next_cursor must return every node and
//      every edge exactly once.
// Properties besides: no crash, a refused token is InvalidArgument naming
// page_token.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "fuzz/fuzz_check.h"
#include "query/neighborhood_query.h"
#include "query/page_token.h"

namespace {

using kgraph::query::NeighborhoodNode;
using kgraph::query::NeighborhoodPage;
using kgraph::query::NeighborhoodResult;

constexpr uint64_t kFingerprint = 0x6b67726170680a01ULL;

// Reads little fields off the input; zeros once it runs out.
class Bytes {
 public:
  explicit Bytes(std::string_view s) : s_(s) {}
  bool empty() const { return s_.empty(); }
  uint8_t U8() {
    if (s_.empty()) return 0;
    const uint8_t v = static_cast<uint8_t>(s_[0]);
    s_.remove_prefix(1);
    return v;
  }
  uint16_t U16() { return static_cast<uint16_t>(U8() | (U8() << 8)); }

 private:
  std::string_view s_;
};

bool Before(const NeighborhoodNode& a, const NeighborhoodNode& b) {
  if (a.hop != b.hop) return a.hop < b.hop;
  if (a.score != b.score) return a.score > b.score;
  return a.id < b.id;
}

// A result in the engine's order: (hop, score descending, id), ids unique.
NeighborhoodResult MakeResult(Bytes* in, size_t max_nodes, size_t max_edges) {
  NeighborhoodResult result;
  absl::flat_hash_set<kgraph::EntityId> ids;
  const size_t n = std::min<size_t>(in->U8(), max_nodes);
  for (size_t i = 0; i < n && !in->empty(); ++i) {
    NeighborhoodNode node;
    node.hop = in->U8() % 4;
    node.score = static_cast<int8_t>(in->U8());  // few values: many ties
    node.id = 1 + in->U16() % 512;
    if (ids.insert(node.id).second) result.nodes.push_back(node);
  }
  std::sort(result.nodes.begin(), result.nodes.end(), Before);
  const size_t m = std::min<size_t>(in->U8(), max_edges);
  for (size_t i = 0; i < m && !result.nodes.empty() && !in->empty(); ++i) {
    kgraph::storage::Edge edge;
    edge.key.src = result.nodes[in->U8() % result.nodes.size()].id;
    edge.key.dst = result.nodes[in->U8() % result.nodes.size()].id;
    edge.key.rel = in->U8();
    result.edges.push_back(edge);
  }
  return result;
}

NeighborhoodResult FixedResult() {
  std::string spec = {static_cast<char>(40)};
  for (int i = 0; i < 40; ++i) {
    spec += static_cast<char>(i % 3);
    spec += static_cast<char>(i % 5);
    spec += static_cast<char>(i * 7);
    spec += static_cast<char>(i / 2);
  }
  spec += static_cast<char>(60);
  for (int i = 0; i < 60; ++i) {
    spec += static_cast<char>(i);
    spec += static_cast<char>(i * 13);
    spec += static_cast<char>(i % 4);
  }
  Bytes in(spec);
  return MakeResult(&in, 255, 255);
}

void CheckRefused(const absl::Status& status) {
  FUZZ_CHECK(absl::IsInvalidArgument(status), status.ToString());
  FUZZ_CHECK(absl::StrContains(status.message(), "page_token"), status.message());
}

// Cuts one page after `cursor`; checks it is a run of the result's nodes.
void CutPage(const NeighborhoodResult& result, const std::string& cursor, int64_t page_size) {
  absl::StatusOr<NeighborhoodPage> page =
      kgraph::query::PageNeighborhood(result, cursor, page_size);
  if (!page.ok()) {
    CheckRefused(page.status());
    return;
  }
  FUZZ_CHECK(static_cast<int64_t>(page->nodes.size()) <= page_size, "page too large");
  for (size_t i = 1; i < page->nodes.size(); ++i) {
    FUZZ_CHECK(Before(page->nodes[i - 1], page->nodes[i]), "page out of order");
  }
}

void PageThrough(const NeighborhoodResult& result, int64_t page_size) {
  absl::flat_hash_set<kgraph::EntityId> seen;
  size_t edges = 0;
  std::string cursor;
  for (size_t pages = 0;; ++pages) {
    FUZZ_CHECK(pages <= result.nodes.size() + 1, "paging does not end");
    // The cursor travels inside a token, as it does between client and server.
    const std::string token = kgraph::query::EncodePageToken(kFingerprint, cursor);
    absl::StatusOr<std::string> decoded = kgraph::query::DecodePageToken(token, kFingerprint);
    FUZZ_CHECK(decoded.ok() && *decoded == cursor, token);
    absl::StatusOr<NeighborhoodPage> page =
        kgraph::query::PageNeighborhood(result, *decoded, page_size);
    FUZZ_CHECK(page.ok(), page.status().ToString());
    for (const NeighborhoodNode& node : page->nodes) {
      FUZZ_CHECK(seen.insert(node.id).second, "node returned twice");
    }
    edges += page->edges.size();
    if (page->next_cursor.empty()) break;
    cursor = page->next_cursor;
  }
  FUZZ_CHECK(seen.size() == result.nodes.size(), "paging skipped a node");
  FUZZ_CHECK(edges == result.edges.size(), "paging lost or repeated an edge");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const NeighborhoodResult kFixed = FixedResult();
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      absl::StatusOr<std::string> cursor = kgraph::query::DecodePageToken(rest, kFingerprint);
      if (!cursor.ok()) {
        CheckRefused(cursor.status());
        return 0;
      }
      CutPage(kFixed, *cursor, 7);
      return 0;
    }
    case 1: {
      const std::string token = kgraph::query::EncodePageToken(kFingerprint, rest);
      absl::StatusOr<std::string> cursor = kgraph::query::DecodePageToken(token, kFingerprint);
      FUZZ_CHECK(cursor.ok() && *cursor == rest, token);
      absl::StatusOr<std::string> other = kgraph::query::DecodePageToken(token, kFingerprint + 1);
      FUZZ_CHECK(!other.ok(), token);
      CheckRefused(other.status());
      CutPage(kFixed, *cursor, 7);
      return 0;
    }
    default: {
      Bytes in(rest);
      const int64_t page_size = 1 + in.U8() % 16;
      // Small results keep paging cheap (pages x nodes work per input).
      const NeighborhoodResult result = MakeResult(&in, 48, 64);
      PageThrough(result, page_size);
      return 0;
    }
  }
}
