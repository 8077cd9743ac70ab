#include "query/edge_filter.h"

#include "absl/strings/str_cat.h"
#include "storage/relation_kind.h"

namespace kgraph::query {

bool EdgeFilter::Accepts(RelationId rel, const storage::EdgeStats& stats) const {
  if (!exclude.empty() && exclude.contains(rel)) return false;
  if (min_weight > 0 && stats.weight() < min_weight) return false;
  if (min_confidence > 0 && stats.confidence_mean() < min_confidence && !IsCoMention(rel)) {
    return false;
  }
  if (seen_after != 0 || seen_before != 0) {
    if (stats.first_seen == 0) return false;
    const int64_t last = stats.last_seen != 0 ? stats.last_seen : stats.first_seen;
    if (seen_after != 0 && last < seen_after) return false;
    if (seen_before != 0 && stats.first_seen > seen_before) return false;
  }
  return true;
}

absl::StatusOr<EdgeFilter> ResolveEdgeFilter(const storage::GraphStore& store,
                                             const EdgeFilterSpec& spec) {
  if (!(spec.min_confidence >= 0 && spec.min_confidence <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter.min_confidence must be in [0, 1], got ", spec.min_confidence));
  }
  if (spec.min_weight < 0) {
    return absl::InvalidArgumentError("filter.min_mentions must be >= 0");
  }
  if (spec.seen_after != 0 && spec.seen_before != 0 && spec.seen_after > spec.seen_before) {
    return absl::InvalidArgumentError("filter.seen_after is later than filter.seen_before");
  }
  EdgeFilter filter;
  filter.min_confidence = spec.min_confidence;
  filter.min_weight = spec.min_weight;
  filter.seen_after = spec.seen_after;
  filter.seen_before = spec.seen_before;
  absl::flat_hash_set<RelationId> included;
  for (const std::string& name : spec.include_relations) {
    absl::StatusOr<RelationId> rel = store.FindRelation(name);
    if (rel.ok()) {
      if (included.insert(*rel).second) filter.include.push_back(*rel);
    } else if (!absl::IsNotFound(rel.status())) {
      return rel.status();
    }
  }
  filter.matches_nothing = !spec.include_relations.empty() && filter.include.empty();
  for (const std::string& name : spec.exclude_relations) {
    absl::StatusOr<RelationId> rel = store.FindRelation(name);
    if (rel.ok()) {
      filter.exclude.insert(*rel);
    } else if (!absl::IsNotFound(rel.status())) {
      return rel.status();
    }
  }
  absl::StatusOr<RelationId> co_mention = store.FindRelation(storage::kCoMentionRelation);
  if (co_mention.ok()) {
    filter.co_mention_relations.push_back(*co_mention);
    if (!spec.include_co_mentions && !included.contains(*co_mention)) {
      filter.exclude.insert(*co_mention);
    }
  } else if (!absl::IsNotFound(co_mention.status())) {
    return co_mention.status();
  }
  return filter;
}

namespace {

// Scans one direction of `node`, for one relation or all of them.
absl::Status ScanOneSide(storage::AdjacencyReader& reader, EntityId node,
                         storage::Direction side, const RelationId* rel,
                         const EdgeFilter& filter, QueryControl* control, bool skip_self_loops,
                         const std::function<bool(const Step&)>& fn, bool* keep_going) {
  const bool forward = side == storage::Direction::kOut;
  return reader.Scan(node, side, rel, [&](const storage::Edge& edge) {
    if (!control->ChargeEdge()) return *keep_going = false;
    if (!filter.Accepts(edge.key.rel, edge.stats)) return true;
    Step step;
    step.edge = edge;
    step.forward = forward;
    step.neighbor = forward ? edge.key.dst : edge.key.src;
    if (skip_self_loops && step.neighbor == node) return true;
    if (!fn(step)) return *keep_going = false;
    return true;
  });
}

}  // namespace

absl::Status ScanAdjacent(storage::AdjacencyReader& reader, EntityId node,
                          TraversalDirection dir, const EdgeFilter& filter, QueryControl* control,
                          const std::function<bool(const Step&)>& fn) {
  if (filter.matches_nothing || control->stopped()) return absl::OkStatus();
  bool keep_going = true;
  std::vector<storage::Direction> sides;
  if (dir != TraversalDirection::kIn) sides.push_back(storage::Direction::kOut);
  if (dir != TraversalDirection::kOut) sides.push_back(storage::Direction::kIn);
  for (storage::Direction side : sides) {
    // With both sides, a self-loop shows up in each; keep the out copy only.
    const bool skip_self_loops = dir == TraversalDirection::kBoth && side == storage::Direction::kIn;
    if (filter.include.empty()) {
      absl::Status s = ScanOneSide(reader, node, side, nullptr, filter, control, skip_self_loops,
                                   fn, &keep_going);
      if (!s.ok()) return s;
    } else {
      for (const RelationId& rel : filter.include) {
        absl::Status s = ScanOneSide(reader, node, side, &rel, filter, control, skip_self_loops,
                                     fn, &keep_going);
        if (!s.ok()) return s;
        if (!keep_going) break;
      }
    }
    if (!keep_going) break;
  }
  return absl::OkStatus();
}

}  // namespace kgraph::query
