#include "query/path_query.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "query/top_k.h"

namespace kgraph::query {

double EdgeCost(PathWeight weight, const storage::EdgeStats& stats) {
  constexpr double kMinConfidence = 1e-9;
  const double confidence = std::clamp(stats.confidence_mean(), kMinConfidence, 1.0);
  switch (weight) {
    case PathWeight::kHops: return 1.0;
    case PathWeight::kInverseConfidence: return 1.0 / confidence;
    case PathWeight::kNegativeLogConfidence: return -std::log(confidence);
  }
  return 1.0;
}

namespace {

bool PathBefore(const FoundPath& a, const FoundPath& b) {
  if (a.cost != b.cost) return a.cost < b.cost;
  if (a.edges.size() != b.edges.size()) return a.edges.size() < b.edges.size();
  return std::lexicographical_compare(
      a.edges.begin(), a.edges.end(), b.edges.begin(), b.edges.end(),
      [](const storage::Edge& x, const storage::Edge& y) { return x.key < y.key; });
}

// The state of one Run(): adjacency cache, control and the search routines.
class PathSearch {
 public:
  PathSearch(const storage::GraphStore& store, const PathSpec& spec, QueryControl* control)
      : store_(store), reader_(store.NewAdjacencyReader()), spec_(spec), control_(control) {}

  absl::Status Run(std::vector<FoundPath>* out) {
    if (spec_.source == spec_.target) {
      out->push_back({{}, {spec_.source}, 0});
      return absl::OkStatus();
    }
    if (spec_.mode == PathMode::kShortest && spec_.weight == PathWeight::kHops) {
      return BidirectionalBfs(out);
    }
    if (spec_.mode == PathMode::kShortest) return Dijkstra(out);
    return Enumerate(out);
  }

 private:
  // Steps out of `node` in the search direction (toward the target when
  // `forward`, else toward the source), cached for this query.
  absl::StatusOr<const std::vector<Step>*> Adjacent(EntityId node, bool forward) {
    TraversalDirection dir = TraversalDirection::kBoth;
    if (spec_.directed) dir = forward ? TraversalDirection::kOut : TraversalDirection::kIn;
    auto& cache = dir == TraversalDirection::kIn ? backward_cache_ : forward_cache_;
    auto it = cache.find(node);
    if (it != cache.end()) return &it->second;
    std::vector<Step> steps;
    absl::Status s = ScanAdjacent(*reader_, node, dir, spec_.filter, control_, [&](const Step& st) {
      if (st.neighbor != node) steps.push_back(st);
      return true;
    });
    if (!s.ok()) return s;
    // A list cut short by the budget must not be cached as complete.
    if (control_->stopped()) {
      partial_lists_.push_back(std::move(steps));
      return &partial_lists_.back();
    }
    return &cache.emplace(node, std::move(steps)).first->second;
  }

  struct Link {
    EntityId prev = 0;  // the node this one was reached from
    storage::Edge edge;
    int depth = 0;
  };

  absl::Status BidirectionalBfs(std::vector<FoundPath>* out) {
    absl::flat_hash_map<EntityId, Link> fwd{{spec_.source, Link{}}};
    absl::flat_hash_map<EntityId, Link> bwd{{spec_.target, Link{}}};
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
        absl::StatusOr<const std::vector<Step>*> steps = Adjacent(u, forward);
        if (!steps.ok()) return steps.status();
        for (const Step& step : **steps) {
          if (mine.contains(step.neighbor)) continue;
          if (!control_->ChargeNode()) break;
          mine[step.neighbor] = Link{u, step.edge, depth + 1};
          next.push_back(step.neighbor);
          auto hit = other.find(step.neighbor);
          if (hit != other.end() && depth + 1 + hit->second.depth < best) {
            best = depth + 1 + hit->second.depth;
            meet = step.neighbor;
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
          head_edges.push_back(fwd[v].edge);
          head.push_back(fwd[v].prev);
        }
        std::reverse(head.begin(), head.end());
        std::reverse(head_edges.begin(), head_edges.end());
        path.nodes = std::move(head);
        path.edges = std::move(head_edges);
        for (EntityId v = meet; v != spec_.target; v = bwd[v].prev) {
          path.edges.push_back(bwd[v].edge);
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
    struct State {
      EntityId node;
      int hops;
      double cost;
      int64_t parent;  // index into states, -1 for the source
      storage::Edge edge;
    };
    std::vector<State> states;
    states.push_back({spec_.source, 0, 0, -1, {}});
    using Entry = std::tuple<double, int, int64_t>;  // cost, hops, state index
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    queue.push({0.0, 0, 0});
    // With non-negative costs popped in (cost, hops) order, a state whose node
    // was settled with no more hops is dominated; this also keeps paths simple.
    absl::flat_hash_map<EntityId, int> settled_hops;
    while (!queue.empty() && !control_->stopped()) {
      const auto [cost, hops, index] = queue.top();
      queue.pop();
      const EntityId node = states[index].node;
      auto settled = settled_hops.find(node);
      if (settled != settled_hops.end() && settled->second <= hops) continue;
      settled_hops[node] = hops;
      if (!control_->ChargeNode()) break;
      if (node == spec_.target) {
        FoundPath path;
        path.cost = cost;
        for (int64_t i = index; i >= 0; i = states[i].parent) {
          path.nodes.push_back(states[i].node);
          if (states[i].parent >= 0) path.edges.push_back(states[i].edge);
        }
        std::reverse(path.nodes.begin(), path.nodes.end());
        std::reverse(path.edges.begin(), path.edges.end());
        out->push_back(std::move(path));
        return absl::OkStatus();
      }
      if (hops >= spec_.max_hops) continue;
      absl::StatusOr<const std::vector<Step>*> steps = Adjacent(node, true);
      if (!steps.ok()) return steps.status();
      for (const Step& step : **steps) {
        auto s = settled_hops.find(step.neighbor);
        if (s != settled_hops.end() && s->second <= hops + 1) continue;
        if (!control_->ChargeEdge()) break;
        const double next_cost = cost + EdgeCost(spec_.weight, step.edge.stats);
        states.push_back({step.neighbor, hops + 1, next_cost, index, step.edge});
        queue.push({next_cost, hops + 1, static_cast<int64_t>(states.size() - 1)});
      }
    }
    return absl::OkStatus();
  }

  // BFS toward the source from the target: the fewest hops from each node to
  // the target, up to max_hops - 1. Prunes the enumeration.
  absl::Status DistancesToTarget() {
    dist_[spec_.target] = 0;
    std::vector<EntityId> frontier{spec_.target};
    for (int d = 0; d + 1 < spec_.max_hops && !frontier.empty(); ++d) {
      std::vector<EntityId> next;
      for (EntityId u : frontier) {
        absl::StatusOr<const std::vector<Step>*> steps = Adjacent(u, false);
        if (!steps.ok()) return steps.status();
        for (const Step& step : **steps) {
          if (dist_.contains(step.neighbor)) continue;
          if (!control_->ChargeNode()) return absl::OkStatus();
          dist_[step.neighbor] = d + 1;
          next.push_back(step.neighbor);
        }
        if (control_->stopped()) return absl::OkStatus();
      }
      frontier = std::move(next);
    }
    return absl::OkStatus();
  }

  // Depth-first walk over simple paths of at most `max_len` edges; calls
  // `found` on each path reaching the target (exactly `max_len` edges when
  // `exact`). `found` returns false to stop.
  absl::Status Dfs(EntityId u, int max_len, bool exact,
                   const std::function<bool(const FoundPath&)>& found) {
    const int depth = static_cast<int>(current_.edges.size());
    absl::StatusOr<const std::vector<Step>*> steps = Adjacent(u, true);
    if (!steps.ok()) return steps.status();
    for (const Step& step : **steps) {
      if (stop_dfs_ || control_->stopped()) return absl::OkStatus();
      const EntityId v = step.neighbor;
      if (on_path_.contains(v)) continue;
      auto d = dist_.find(v);
      if (d == dist_.end() || depth + 1 + d->second > max_len) continue;
      if (!control_->ChargeEdge()) return absl::OkStatus();
      current_.edges.push_back(step.edge);
      current_.nodes.push_back(v);
      current_.cost += EdgeCost(spec_.weight, step.edge.stats);
      if (v == spec_.target) {
        if (!exact || depth + 1 == max_len) stop_dfs_ = !found(current_);
      } else {
        on_path_.insert(v);
        absl::Status s = Dfs(v, max_len, exact, found);
        on_path_.erase(v);
        if (!s.ok()) return s;
      }
      current_.cost -= EdgeCost(spec_.weight, step.edge.stats);
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
        out->push_back(p);
        return true;
      });
      std::stable_sort(out->begin(), out->end(), PathBefore);
      return s;
    }
    if (spec_.weight == PathWeight::kHops) {
      // Iterative deepening: all paths of length L come before any of L + 1.
      for (int len = 1; len <= spec_.max_hops; ++len) {
        stop_dfs_ = false;
        s = Dfs(spec_.source, len, /*exact=*/true, [&](const FoundPath& p) {
          out->push_back(p);
          return static_cast<int64_t>(out->size()) < spec_.k;
        });
        if (!s.ok() || control_->stopped() || static_cast<int64_t>(out->size()) >= spec_.k) {
          break;
        }
      }
      std::stable_sort(out->begin(), out->end(), PathBefore);
      return s;
    }
    // Weighted k shortest: every simple path within max_hops competes; a
    // bounded heap keeps the k cheapest.
    BoundedTopK<FoundPath, bool (*)(const FoundPath&, const FoundPath&)> best(
        static_cast<size_t>(spec_.k), PathBefore);
    s = Dfs(spec_.source, spec_.max_hops, /*exact=*/false, [&](const FoundPath& p) {
      best.Push(p);
      return true;
    });
    *out = best.Take();
    return s;
  }

  const storage::GraphStore& store_;
  // One snapshot and one iterator per family for the whole search.
  std::unique_ptr<storage::AdjacencyReader> reader_;
  const PathSpec& spec_;
  QueryControl* control_;
  // node_hash_map: the DFS holds pointers into the cache while it grows.
  absl::node_hash_map<EntityId, std::vector<Step>> forward_cache_;
  absl::node_hash_map<EntityId, std::vector<Step>> backward_cache_;
  std::deque<std::vector<Step>> partial_lists_;
  absl::flat_hash_map<EntityId, int> dist_;
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
