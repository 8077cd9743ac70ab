#include "query/neighborhood_query.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "query/page_token.h"
#include "query/top_k.h"

namespace kgraph::query {
namespace {

bool NodeBefore(const NeighborhoodNode& a, const NeighborhoodNode& b) {
  if (a.hop != b.hop) return a.hop < b.hop;
  if (a.score != b.score) return a.score > b.score;
  return a.id < b.id;
}

// The memory budget is charged what the result's containers will allocate,
// just before they grow: a vector doubles when full, an absl hash table
// doubles (to 2 * capacity + 1 slots of value and control byte) once 7/8
// full. The result is the bulk of a neighborhood's state, so its real size,
// not a guess, is what the budget bounds.
template <typename T>
int64_t VectorGrowthBytes(const std::vector<T>& v) {
  if (v.size() < v.capacity()) return 0;
  return static_cast<int64_t>(std::max<size_t>(1, v.capacity()) * sizeof(T));
}
template <typename Table>
int64_t TableGrowthBytes(const Table& t) {
  const size_t cap = t.capacity();
  if (cap != 0 && t.size() < cap - cap / 8) return 0;
  return static_cast<int64_t>((cap + 1) * (sizeof(typename Table::value_type) + 1));
}
// A bounded heap's vector, twice over for its growth; returned after the scan.
constexpr int64_t kHeapStepBytes = 2 * sizeof(Step);

struct HeavierStep {
  bool operator()(const Step& a, const Step& b) const {
    if (a.edge.stats.weight() != b.edge.stats.weight()) {
      return a.edge.stats.weight() > b.edge.stats.weight();
    }
    if (a.neighbor != b.neighbor) return a.neighbor < b.neighbor;
    return a.edge.key < b.edge.key;
  }
};

}  // namespace

absl::StatusOr<NeighborhoodResult> NeighborhoodQuery::Run(const NeighborhoodSpec& spec) const {
  if (spec.seeds.empty()) return absl::InvalidArgumentError("no seed entity");
  if (spec.hops < 0 || spec.hops > budget_.max_hops) {
    return absl::InvalidArgumentError("hops out of range");
  }
  QueryControl control(budget_);
  // One snapshot and one iterator per family for the whole traversal.
  std::unique_ptr<storage::AdjacencyReader> reader = store_.NewAdjacencyReader();
  NeighborhoodResult result;
  absl::flat_hash_map<EntityId, size_t> index;  // id -> position in result.nodes
  absl::flat_hash_set<storage::EdgeKey> edges_seen;
  std::vector<EntityId> frontier;
  // One more node: the result, its index and the next frontier (an id).
  auto charge_node = [&]() {
    return control.ChargeNode() &&
           control.ChargeMemory(VectorGrowthBytes(result.nodes) + TableGrowthBytes(index) +
                                static_cast<int64_t>(sizeof(EntityId)));
  };
  for (EntityId seed : spec.seeds) {
    if (index.contains(seed)) continue;
    if (!charge_node()) break;
    index[seed] = result.nodes.size();
    result.nodes.push_back({seed, 0, 0});
    frontier.push_back(seed);
  }

  // False iff the memory budget refused the edge.
  auto add_edge = [&](const storage::Edge& edge) {
    if (edges_seen.contains(edge.key)) return true;
    if (!control.ChargeMemory(VectorGrowthBytes(result.edges) + TableGrowthBytes(edges_seen))) {
      return false;
    }
    edges_seen.insert(edge.key);
    result.edges.push_back(edge);
    return true;
  };
  // Follows one accepted step from a node at hop `hop`; false stops the query.
  auto follow = [&](const Step& step, int hop) {
    auto it = index.find(step.neighbor);
    if (it != index.end()) {
      NeighborhoodNode& node = result.nodes[it->second];
      if (node.hop == hop + 1) node.score = std::max(node.score, step.edge.stats.weight());
      return add_edge(step.edge);
    }
    if (!charge_node()) return false;
    index[step.neighbor] = result.nodes.size();
    result.nodes.push_back({step.neighbor, hop + 1, step.edge.stats.weight()});
    return add_edge(step.edge);
  };

  for (int hop = 0; hop < spec.hops && !frontier.empty() && !control.stopped(); ++hop) {
    std::vector<EntityId> next;
    const size_t first_new = result.nodes.size();
    for (EntityId node : frontier) {
      if (spec.max_edges_per_node > 0) {
        const size_t k = static_cast<size_t>(spec.max_edges_per_node);
        BoundedTopK<Step, HeavierStep> top(k, HeavierStep());
        int64_t heap_bytes = 0;  // charged as the heap fills, returned after
        absl::Status s = ScanAdjacent(*reader, node, spec.direction, spec.filter, &control,
                                      [&](const Step& step) {
                                        if (top.size() < k) {
                                          if (!control.ChargeMemory(kHeapStepBytes)) return false;
                                          heap_bytes += kHeapStepBytes;
                                        }
                                        top.Push(step);
                                        return true;
                                      });
        if (!s.ok()) return s;
        // A budget stop mid-scan still leaves the best edges seen so far: keep them.
        // The heap's bytes are returned before its steps are charged as nodes
        // and edges, so a memory stop mid-scan still keeps some of them.
        std::vector<Step> best = top.Take();
        control.ReleaseMemory(heap_bytes);
        for (const Step& step : best) {
          if (!follow(step, hop)) break;
        }
      } else {
        absl::Status s = ScanAdjacent(*reader, node, spec.direction, spec.filter, &control,
                                      [&](const Step& step) { return follow(step, hop); });
        if (!s.ok()) return s;
      }
      if (control.stopped()) break;
    }
    for (size_t i = first_new; i < result.nodes.size(); ++i) next.push_back(result.nodes[i].id);
    frontier = std::move(next);
  }
  // Subgraphs also want the edges among the outermost nodes; add no new nodes.
  if (spec.induced && !control.stopped()) {
    for (EntityId node : frontier) {
      absl::Status s = ScanAdjacent(*reader, node, spec.direction, spec.filter, &control,
                                    [&](const Step& step) {
                                      return !index.contains(step.neighbor) || add_edge(step.edge);
                                    });
      if (!s.ok()) return s;
      if (control.stopped()) break;
    }
  }
  if (!control.status().ok()) return control.status();
  result.truncation = control.truncation();
  result.cost = control.cost();
  if (result.truncation != Truncation::kNone && result.nodes.size() <= spec.seeds.size() &&
      result.edges.empty() && spec.hops > 0) {
    return absl::ResourceExhaustedError(
        std::string("query budget ran out (") + TruncationName(result.truncation) +
        ") before any neighbor was found; narrow the query with relation filters or raise "
        "the limits");
  }
  std::sort(result.nodes.begin(), result.nodes.end(), NodeBefore);
  return result;
}

absl::StatusOr<NeighborhoodPage> PageNeighborhood(const NeighborhoodResult& result,
                                                  const std::string& after_cursor,
                                                  int64_t page_size) {
  size_t start = 0;
  if (!after_cursor.empty()) {
    std::string_view c = after_cursor;
    int64_t hop = 0, score = 0, id = 0;
    if (!ConsumeCursorInt(&c, &hop) || !ConsumeCursorInt(&c, &score) ||
        !ConsumeCursorInt(&c, &id) || !c.empty()) {
      return absl::InvalidArgumentError("page_token is malformed");
    }
    const NeighborhoodNode last{static_cast<EntityId>(id), static_cast<int>(hop), score};
    start = std::upper_bound(result.nodes.begin(), result.nodes.end(), last, NodeBefore) -
            result.nodes.begin();
  }
  const size_t end = std::min(result.nodes.size(), start + static_cast<size_t>(page_size));
  NeighborhoodPage page;
  absl::flat_hash_map<EntityId, size_t> rank;
  rank.reserve(end);
  for (size_t i = 0; i < end; ++i) rank[result.nodes[i].id] = i;
  for (size_t i = start; i < end; ++i) page.nodes.push_back(result.nodes[i]);
  for (const storage::Edge& edge : result.edges) {
    auto src = rank.find(edge.key.src);
    auto dst = rank.find(edge.key.dst);
    if (src == rank.end() || dst == rank.end()) continue;  // a later page has it
    if (std::max(src->second, dst->second) >= start) page.edges.push_back(edge);
  }
  if (end < result.nodes.size() && end > start) {
    const NeighborhoodNode& last = result.nodes[end - 1];
    AppendCursorInt(&page.next_cursor, last.hop);
    AppendCursorInt(&page.next_cursor, last.score);
    AppendCursorInt(&page.next_cursor, static_cast<int64_t>(last.id));
  }
  return page;
}

}  // namespace kgraph::query
