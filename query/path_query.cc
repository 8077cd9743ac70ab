#include "query/path_query.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"

namespace kgraph::query {

double EdgeCost(PathWeight weight, const storage::EdgeStats& stats, bool co_mention) {
  constexpr double kMinConfidence = 1e-9;
  const double confidence = co_mention ? kCoMentionConfidence
                                       : std::clamp(stats.confidence_mean(), kMinConfidence, 1.0);
  switch (weight) {
    case PathWeight::kHops: return 1.0;
    case PathWeight::kInverseConfidence: return 1.0 / confidence;
    case PathWeight::kNegativeLogConfidence: return -std::log(confidence);
  }
  return 1.0;
}

namespace {

// Bytes charged to the memory budget per element of the search state. They
// are estimates on the safe side: a hash map that grows by doubling holds up
// to twice its size, so entries are charged twice.
template <typename Map>
constexpr int64_t HashEntryBytes() {
  return 2 * static_cast<int64_t>(sizeof(typename Map::value_type) + 1);
}
// One cached adjacency list beyond its hops: the node of the node_hash_map
// (key and vector header), its slot and the allocator's overhead.
constexpr int64_t kCachedListBytes = 96;
// Lists shorter than this are scanned again when needed rather than cached:
// one more seek costs less than holding every small list a search touches
// (a search through a supernode touches all of its neighbors' lists).
constexpr size_t kCacheMinHops = 16;

// What a vector will allocate to hold one more element, charged before it
// grows (it doubles when full), so the budget bounds its real capacity.
template <typename T>
int64_t VectorGrowthBytes(const std::vector<T>& v) {
  if (v.size() < v.capacity()) return 0;
  return static_cast<int64_t>(std::max<size_t>(1, v.capacity()) * sizeof(T));
}

// A min-heap whose vector the memory budget can see (GrowthBytes).
template <typename T>
class MinHeap {
 public:
  bool empty() const { return v_.empty(); }
  const T& top() const { return v_.front(); }
  void push(T x) {
    v_.push_back(std::move(x));
    std::push_heap(v_.begin(), v_.end(), std::greater<T>());
  }
  void pop() {
    std::pop_heap(v_.begin(), v_.end(), std::greater<T>());
    v_.pop_back();
  }
  int64_t GrowthBytes() const { return VectorGrowthBytes(v_); }

 private:
  std::vector<T> v_;
};

int64_t PathBytes(const FoundPath& p) {
  return static_cast<int64_t>(sizeof(FoundPath) + p.edges.size() * sizeof(storage::Edge) +
                              p.nodes.size() * sizeof(EntityId));
}

bool PathBefore(const FoundPath& a, const FoundPath& b) {
  if (a.cost != b.cost) return a.cost < b.cost;
  if (a.edges.size() != b.edges.size()) return a.edges.size() < b.edges.size();
  return std::lexicographical_compare(
      a.edges.begin(), a.edges.end(), b.edges.begin(), b.edges.end(),
      [](const storage::Edge& x, const storage::Edge& y) { return x.key < y.key; });
}

// One cached edge as a search walks it: where it leads, what it costs, and
// enough to name the stored edge again. A quarter the size of a Step with its
// EdgeStats, so four times the edges fit a memory budget; the few edges of
// the returned paths get their stats again at the end (FillStats).
struct Hop {
  EntityId neighbor = 0;
  double cost = 0;
  RelationId rel = 0;
  bool forward = true;  // walked src -> dst
};

storage::EdgeKey KeyOf(EntityId from, const Hop& hop) {
  return hop.forward ? storage::EdgeKey{from, hop.rel, hop.neighbor}
                     : storage::EdgeKey{hop.neighbor, hop.rel, from};
}

// The state of one Run(): adjacency cache, control and the search routines.
class PathSearch {
 public:
  PathSearch(const storage::GraphStore& store, const PathSpec& spec, QueryControl* control)
      : reader_(store.NewAdjacencyReader()),
        spec_(spec),
        control_(control),
        scratch_(static_cast<size_t>(spec.max_hops) + 1) {}

  absl::Status Run(std::vector<FoundPath>* out) {
    absl::Status s = Search(out);
    if (!s.ok()) return s;
    return FillStats(out);
  }

 private:
  absl::Status Search(std::vector<FoundPath>* out) {
    if (spec_.source == spec_.target) {
      out->push_back({{}, {spec_.source}, 0});
      return absl::OkStatus();
    }
    if (spec_.mode == PathMode::kShortest && spec_.weight == PathWeight::kHops) {
      return BidirectionalBfs(out);
    }
    if (spec_.mode == PathMode::kShortest) return Dijkstra(out);
    if (spec_.mode == PathMode::kKShortest && spec_.weight != PathWeight::kHops) {
      return BestFirst(out);
    }
    return Enumerate(out);
  }

  // The paths' edges carry keys only while searching; read their stats from
  // the search's snapshot.
  absl::Status FillStats(std::vector<FoundPath>* out) {
    for (FoundPath& path : *out) {
      for (storage::Edge& edge : path.edges) {
        absl::StatusOr<storage::EdgeStats> stats = reader_->GetEdge(edge.key);
        if (!stats.ok()) return stats.status();
        edge.stats = *stats;
      }
    }
    return absl::OkStatus();
  }

  static storage::Edge EdgeOf(EntityId from, const Hop& hop) {
    return storage::Edge{KeyOf(from, hop), storage::EdgeStats()};
  }

  // Hops out of `node` in the search direction (toward the target when
  // `forward`, else toward the source). A list of kCacheMinHops or more is
  // cached for the rest of the query and returned from the cache; a shorter
  // one is returned in `*scratch`, valid until the caller reuses it. When a
  // budget stops the scan the list is partial (and not cached); callers
  // check control_->stopped().
  absl::StatusOr<const std::vector<Hop>*> Adjacent(EntityId node, bool forward,
                                                   std::vector<Hop>* scratch) {
    TraversalDirection dir = TraversalDirection::kBoth;
    if (spec_.directed) dir = forward ? TraversalDirection::kOut : TraversalDirection::kIn;
    auto& cache = dir == TraversalDirection::kIn ? backward_cache_ : forward_cache_;
    auto it = cache.find(node);
    if (it != cache.end()) return &it->second;
    std::vector<Hop>& hops = *scratch;
    hops.clear();
    hops.reserve(kCacheMinHops);  // scratch: not charged
    absl::Status s = ScanAdjacent(*reader_, node, dir, spec_.filter, control_, [&](const Step& st) {
      if (st.neighbor == node) return true;
      if (hops.size() == hops.capacity()) {
        // A list this long will be cached: charge its buffer before it
        // grows, so a supernode's list is refused before it is held.
        const size_t grown = 2 * hops.capacity();
        const int64_t bytes = static_cast<int64_t>((grown - hops.capacity()) * sizeof(Hop)) +
                              (hops.capacity() == kCacheMinHops ? kCachedListBytes : 0);
        if (!control_->ChargeMemory(bytes)) return false;
        hops.reserve(grown);
      }
      hops.push_back({st.neighbor,
                      EdgeCost(spec_.weight, st.edge.stats, spec_.filter.IsCoMention(st.edge.key.rel)),
                      st.edge.key.rel, st.forward});
      return true;
    });
    if (!s.ok()) return s;
    // A list cut short by the budget must not be cached as complete.
    if (control_->stopped() || hops.size() <= kCacheMinHops) return scratch;
    return &cache.emplace(node, std::move(hops)).first->second;
  }

  struct Link {
    EntityId prev = 0;  // the node this one was reached from
    Hop hop;            // the edge that reached it
    int depth = 0;
  };

  absl::Status BidirectionalBfs(std::vector<FoundPath>* out) {
    using LinkMap = absl::flat_hash_map<EntityId, Link>;
    constexpr int64_t kLinkBytes = HashEntryBytes<LinkMap>() + 2 * sizeof(EntityId);
    LinkMap fwd{{spec_.source, Link{}}};
    LinkMap bwd{{spec_.target, Link{}}};
    std::vector<EntityId> fwd_frontier{spec_.source};
    std::vector<EntityId> bwd_frontier{spec_.target};
    int fwd_depth = 0, bwd_depth = 0;
    while (!fwd_frontier.empty() && !bwd_frontier.empty() &&
           fwd_depth + bwd_depth < spec_.max_hops && !control_->stopped()) {
      // Expanding the smaller frontier keeps the explored ball small.
      const bool forward = fwd_frontier.size() <= bwd_frontier.size();
      auto& mine = forward ? fwd : bwd;
      auto& other = forward ? bwd : fwd;
      auto& frontier = forward ? fwd_frontier : bwd_frontier;
      int& depth = forward ? fwd_depth : bwd_depth;
      std::vector<EntityId> next;
      EntityId meet = 0;
      int best = std::numeric_limits<int>::max();
      for (EntityId u : frontier) {
        absl::StatusOr<const std::vector<Hop>*> hops = Adjacent(u, forward, &scratch_[0]);
        if (!hops.ok()) return hops.status();
        for (const Hop& hop : **hops) {
          if (mine.contains(hop.neighbor)) continue;
          if (!control_->ChargeNode() || !control_->ChargeMemory(kLinkBytes)) break;
          mine[hop.neighbor] = Link{u, hop, depth + 1};
          next.push_back(hop.neighbor);
          auto hit = other.find(hop.neighbor);
          if (hit != other.end() && depth + 1 + hit->second.depth < best) {
            best = depth + 1 + hit->second.depth;
            meet = hop.neighbor;
          }
        }
        if (control_->stopped()) break;
      }
      ++depth;
      if (best != std::numeric_limits<int>::max()) {
        FoundPath path;
        std::vector<EntityId> head{meet};
        std::vector<storage::Edge> head_edges;
        for (EntityId v = meet; v != spec_.source; v = fwd[v].prev) {
          head_edges.push_back(EdgeOf(fwd[v].prev, fwd[v].hop));
          head.push_back(fwd[v].prev);
        }
        std::reverse(head.begin(), head.end());
        std::reverse(head_edges.begin(), head_edges.end());
        path.nodes = std::move(head);
        path.edges = std::move(head_edges);
        for (EntityId v = meet; v != spec_.target; v = bwd[v].prev) {
          path.edges.push_back(EdgeOf(bwd[v].prev, bwd[v].hop));
          path.nodes.push_back(bwd[v].prev);
        }
        path.cost = static_cast<double>(path.edges.size());
        out->push_back(std::move(path));
        return absl::OkStatus();
      }
      frontier = std::move(next);
    }
    return absl::OkStatus();
  }

  absl::Status Dijkstra(std::vector<FoundPath>* out) {
    // One state per relaxation, so it is kept small: the edge from the
    // parent is named by relation and direction (the parent's node is the
    // other end), its cost is the difference of the two states' costs.
    struct State {
      EntityId node;
      double cost;
      int32_t parent;  // index into states, -1 for the source
      RelationId rel;
      int16_t hops;
      bool forward;
    };
    using Entry = std::tuple<double, int, int32_t>;  // cost, hops, state index
    using SettledMap = absl::flat_hash_map<EntityId, int>;
    std::vector<State> states;
    states.push_back({spec_.source, 0, -1, 0, 0, true});
    MinHeap<Entry> queue;
    queue.push({0.0, 0, 0});
    // With non-negative costs popped in (cost, hops) order, a state whose node
    // was settled with no more hops is dominated; this also keeps paths simple.
    SettledMap settled_hops;
    // The cheapest target state generated so far: no costlier state can lead
    // to a cheaper path, so none is kept (a supernode's other neighbors).
    double target_cost = std::numeric_limits<double>::infinity();
    while (!queue.empty() && !control_->stopped()) {
      const auto [cost, hops, index] = queue.top();
      queue.pop();
      const EntityId node = states[index].node;
      auto settled = settled_hops.find(node);
      if (settled != settled_hops.end() && settled->second <= hops) continue;
      if (settled == settled_hops.end()) {
        if (!control_->ChargeMemory(HashEntryBytes<SettledMap>())) break;
        settled_hops.emplace(node, hops);
      } else {
        settled->second = hops;
      }
      if (!control_->ChargeNode()) break;
      if (node == spec_.target) {
        FoundPath path;
        path.cost = cost;
        for (int32_t i = index; i >= 0; i = states[i].parent) {
          const State& st = states[i];
          path.nodes.push_back(st.node);
          if (st.parent >= 0) {
            const EntityId from = states[st.parent].node;
            path.edges.push_back(EdgeOf(from, Hop{st.node, 0, st.rel, st.forward}));
          }
        }
        std::reverse(path.nodes.begin(), path.nodes.end());
        std::reverse(path.edges.begin(), path.edges.end());
        out->push_back(std::move(path));
        return absl::OkStatus();
      }
      if (hops >= spec_.max_hops) continue;
      absl::StatusOr<const std::vector<Hop>*> next = Adjacent(node, true, &scratch_[0]);
      if (!next.ok()) return next.status();
      for (const Hop& hop : **next) {
        auto s = settled_hops.find(hop.neighbor);
        if (s != settled_hops.end() && s->second <= hops + 1) continue;
        const double next_cost = cost + hop.cost;
        if (next_cost >= target_cost) continue;
        if (!control_->ChargeEdge() ||
            !control_->ChargeMemory(VectorGrowthBytes(states) + queue.GrowthBytes())) {
          break;
        }
        if (hop.neighbor == spec_.target) target_cost = next_cost;
        states.push_back({hop.neighbor, next_cost, index, hop.rel,
                          static_cast<int16_t>(hops + 1), hop.forward});
        queue.push({next_cost, hops + 1, static_cast<int32_t>(states.size() - 1)});
      }
    }
    return absl::OkStatus();
  }

  // BFS toward the source from the target: the fewest hops from each node to
  // the target, for the nodes within max_hops - 2 of it (dist_levels_).
  // Prunes the searches through HopsToTarget(). The last level a search
  // could use (max_hops - 1) only matters for the source's own neighbors,
  // and it is the widest: through a supernode it is every neighbor's list.
  absl::Status DistancesToTarget() {
    constexpr int64_t kDistBytes =
        HashEntryBytes<absl::flat_hash_map<EntityId, int>>() + 2 * sizeof(EntityId);
    dist_[spec_.target] = 0;
    dist_levels_ = std::max(0, spec_.max_hops - 2);
    std::vector<EntityId> frontier{spec_.target};
    for (int d = 0; d < dist_levels_ && !frontier.empty(); ++d) {
      std::vector<EntityId> next;
      for (EntityId u : frontier) {
        absl::StatusOr<const std::vector<Hop>*> hops = Adjacent(u, false, &scratch_[0]);
        if (!hops.ok()) return hops.status();
        for (const Hop& hop : **hops) {
          if (dist_.contains(hop.neighbor)) continue;
          if (!control_->ChargeNode() || !control_->ChargeMemory(kDistBytes)) {
            return absl::OkStatus();
          }
          dist_[hop.neighbor] = d + 1;
          next.push_back(hop.neighbor);
        }
        if (control_->stopped()) return absl::OkStatus();
      }
      frontier = std::move(next);
    }
    return absl::OkStatus();
  }

  // A lower bound of the hops from `v` to the target: exact within
  // dist_levels_, one more than that for every other node.
  int HopsToTarget(EntityId v) const {
    auto it = dist_.find(v);
    return it != dist_.end() ? it->second : dist_levels_ + 1;
  }

  // Keeps `p` as a result if its bytes fit the memory budget.
  bool Keep(const FoundPath& p, std::vector<FoundPath>* out) {
    if (!control_->ChargeMemory(PathBytes(p))) return false;
    out->push_back(p);
    return true;
  }

  // Depth-first walk over simple paths of at most `max_len` edges; calls
  // `found` on each path reaching the target (exactly `max_len` edges when
  // `exact`). `found` returns false to stop.
  absl::Status Dfs(EntityId u, int max_len, bool exact,
                   const std::function<bool(const FoundPath&)>& found) {
    const int depth = static_cast<int>(current_.edges.size());
    // One scratch list per depth: this frame's list lives while it recurses.
    absl::StatusOr<const std::vector<Hop>*> hops = Adjacent(u, true, &scratch_[depth]);
    if (!hops.ok()) return hops.status();
    for (const Hop& hop : **hops) {
      if (stop_dfs_ || control_->stopped()) return absl::OkStatus();
      const EntityId v = hop.neighbor;
      if (on_path_.contains(v)) continue;
      if (depth + 1 + HopsToTarget(v) > max_len) continue;
      if (!control_->ChargeEdge()) return absl::OkStatus();
      current_.edges.push_back(EdgeOf(u, hop));
      current_.nodes.push_back(v);
      current_.cost += hop.cost;
      if (v == spec_.target) {
        if (!exact || depth + 1 == max_len) stop_dfs_ = !found(current_);
      } else {
        on_path_.insert(v);
        absl::Status s = Dfs(v, max_len, exact, found);
        on_path_.erase(v);
        if (!s.ok()) return s;
      }
      current_.cost -= hop.cost;
      current_.edges.pop_back();
      current_.nodes.pop_back();
    }
    return absl::OkStatus();
  }

  absl::Status Enumerate(std::vector<FoundPath>* out) {
    absl::Status s = DistancesToTarget();
    if (!s.ok() || control_->stopped()) return s;
    current_ = FoundPath{{}, {spec_.source}, 0};
    on_path_ = {spec_.source};
    if (spec_.mode == PathMode::kAllSimple) {
      s = Dfs(spec_.source, spec_.max_hops, /*exact=*/false, [&](const FoundPath& p) {
        if (static_cast<int64_t>(out->size()) >= spec_.limit) {
          control_->Truncate(Truncation::kMaxResults);
          return false;
        }
        return Keep(p, out);
      });
      std::stable_sort(out->begin(), out->end(), PathBefore);
      return s;
    }
    // Unweighted k shortest by iterative deepening: all paths of length L
    // come before any of L + 1.
    for (int len = 1; len <= spec_.max_hops; ++len) {
      stop_dfs_ = false;
      s = Dfs(spec_.source, len, /*exact=*/true, [&](const FoundPath& p) {
        return Keep(p, out) && static_cast<int64_t>(out->size()) < spec_.k;
      });
      if (!s.ok() || control_->stopped() || static_cast<int64_t>(out->size()) >= spec_.k) {
        break;
      }
    }
    std::stable_sort(out->begin(), out->end(), PathBefore);
    return s;
  }

  // Weighted k shortest simple paths: best-first (A*) over a tree of partial
  // paths, keyed by cost so far plus a lower bound of the cost still to pay
  // (the BFS hops to the target times the cheapest possible edge), then by
  // a lower bound of the hops (depth plus BFS hops to the target), then
  // deepest first. Since neither bound overestimates, complete paths leave
  // the queue in PathBefore's (cost, hops) order: the first k found are the
  // k shortest, and a budget stop returns the cheapest ones. The hop bound
  // matters when costs tie (every FB15k-237 edge has confidence 1, so -ln c
  // is 0 everywhere): the search then heads for the target instead of
  // widening breadth-first. Enumerating every simple path instead (the old
  // depth-first search) scanned a million edges on FB15k-237 and still had
  // to truncate.
  absl::Status BestFirst(std::vector<FoundPath>* out) {
    absl::Status s = DistancesToTarget();
    if (!s.ok() || control_->stopped()) return s;
    // Confidences are at most 1, so 1/c >= 1; -ln c can be 0.
    const double min_step = spec_.weight == PathWeight::kInverseConfidence ? 1.0 : 0.0;
    struct Partial {
      EntityId node;
      Hop hop;         // the edge from the parent (none at the source)
      int32_t parent;  // index into `tree`, -1 at the source
      int32_t depth;
      double cost;
    };
    // cost bound, hops bound, -depth, index
    using Entry = std::tuple<double, int32_t, int32_t, int32_t>;
    std::vector<Partial> tree;
    MinHeap<Entry> queue;
    tree.push_back({spec_.source, Hop(), -1, 0, 0.0});
    queue.push({0.0, 0, 0, 0});
    auto on_path = [&](int32_t index, EntityId v) {
      for (int32_t i = index; i >= 0; i = tree[i].parent) {
        if (tree[i].node == v) return true;
      }
      return false;
    };
    while (!queue.empty() && !control_->stopped() &&
           static_cast<int64_t>(out->size()) < spec_.k) {
      const int32_t depth = -std::get<2>(queue.top());
      const int32_t index = std::get<3>(queue.top());
      queue.pop();
      const EntityId node = tree[index].node;
      const double cost = tree[index].cost;
      if (node == spec_.target) {
        FoundPath path;
        path.cost = cost;
        for (int32_t i = index; i >= 0; i = tree[i].parent) {
          path.nodes.push_back(tree[i].node);
          if (tree[i].parent >= 0) {
            path.edges.push_back(EdgeOf(tree[tree[i].parent].node, tree[i].hop));
          }
        }
        std::reverse(path.nodes.begin(), path.nodes.end());
        std::reverse(path.edges.begin(), path.edges.end());
        if (!Keep(path, out)) break;
        continue;
      }
      if (depth >= spec_.max_hops) continue;
      absl::StatusOr<const std::vector<Hop>*> hops = Adjacent(node, true, &scratch_[0]);
      if (!hops.ok()) return hops.status();
      for (const Hop& hop : **hops) {
        const EntityId v = hop.neighbor;
        const int to_target = HopsToTarget(v);
        if (depth + 1 + to_target > spec_.max_hops) continue;
        if (on_path(index, v)) continue;
        if (!control_->ChargeEdge() ||
            !control_->ChargeMemory(VectorGrowthBytes(tree) + queue.GrowthBytes())) {
          break;
        }
        const double next = cost + hop.cost;
        tree.push_back({v, hop, index, depth + 1, next});
        queue.push({next + min_step * to_target, depth + 1 + to_target, -(depth + 1),
                    static_cast<int32_t>(tree.size() - 1)});
      }
    }
    std::stable_sort(out->begin(), out->end(), PathBefore);
    return absl::OkStatus();
  }

  // One snapshot and one iterator per family for the whole search.
  std::unique_ptr<storage::AdjacencyReader> reader_;
  const PathSpec& spec_;
  QueryControl* control_;
  // node_hash_map: a depth-first frame iterates a cached list while deeper
  // frames grow the cache.
  absl::node_hash_map<EntityId, std::vector<Hop>> forward_cache_;
  absl::node_hash_map<EntityId, std::vector<Hop>> backward_cache_;
  // Lists too short to cache, one per search depth (see Adjacent).
  std::vector<std::vector<Hop>> scratch_;
  absl::flat_hash_map<EntityId, int> dist_;
  int dist_levels_ = 0;
  FoundPath current_;
  absl::flat_hash_set<EntityId> on_path_;
  bool stop_dfs_ = false;
};

}  // namespace

absl::StatusOr<PathResult> PathQuery::Run(const PathSpec& spec) const {
  if (spec.max_hops < 1 || spec.max_hops > budget_.max_hops) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_hops must be in [1, ", budget_.max_hops, "]"));
  }
  if (spec.mode == PathMode::kKShortest && spec.k < 1) {
    return absl::InvalidArgumentError("k must be >= 1");
  }
  if (spec.mode == PathMode::kAllSimple && spec.limit < 1) {
    return absl::InvalidArgumentError("limit must be >= 1");
  }
  QueryControl control(budget_);
  PathResult result;
  PathSearch search(store_, spec, &control);
  absl::Status s = search.Run(&result.paths);
  if (!s.ok()) return s;
  if (!control.status().ok()) return control.status();
  result.truncation = control.truncation();
  result.cost = control.cost();
  if (result.paths.empty() && result.truncation != Truncation::kNone) {
    return absl::ResourceExhaustedError(
        std::string("query budget ran out (") + TruncationName(result.truncation) +
        ") before any path was found; lower max_hops, filter relations or raise the limits");
  }
  return result;
}

}  // namespace kgraph::query
