#include "server/proto_convert.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "storage/relation_kind.h"

namespace kgraph::server {
namespace {

void SetTimestamp(int64_t unix_seconds, google::protobuf::Timestamp* out) {
  out->set_seconds(unix_seconds);
  out->set_nanos(0);
}

}  // namespace

absl::StatusOr<query::EntityName> ToEntityName(const v1::EntityRef& ref,
                                               const std::string& field) {
  query::EntityName name;
  switch (ref.ref_case()) {
    case v1::EntityRef::kId:
      name.id = ref.id();
      return name;
    case v1::EntityRef::kName:
      name.name = ref.name();
      return name;
    default:
      return absl::InvalidArgumentError(absl::StrCat(field, ": set id or name"));
  }
}

void ToProto(const storage::Entity& entity, v1::Entity* out) {
  out->set_id(entity.id);
  out->set_name(entity.name);
  out->set_type(entity.type);
  for (const std::string& alias : entity.aliases) out->add_aliases(alias);
  for (const auto& [key, value] : entity.attributes) (*out->mutable_attributes())[key] = value;
  out->set_mentions(entity.mentions);
  out->set_out_degree(entity.out_degree);
  out->set_in_degree(entity.in_degree);
}

void ToProto(const storage::EdgeStats& stats, v1::EdgeProperties* out) {
  out->set_mentions(stats.mentions);
  out->set_bulk_count(stats.bulk_count);
  out->set_weight(stats.weight());
  out->set_confidence_mean(stats.confidence_mean());
  out->set_confidence_max(stats.confidence_max);
  if (stats.first_seen != 0) SetTimestamp(stats.first_seen, out->mutable_first_seen());
  if (stats.last_seen != 0) SetTimestamp(stats.last_seen, out->mutable_last_seen());
}

v1::TruncationReason ToProto(query::Truncation truncation) {
  switch (truncation) {
    case query::Truncation::kNone: return v1::NOT_TRUNCATED;
    case query::Truncation::kMaxVisitedNodes: return v1::MAX_VISITED_NODES;
    case query::Truncation::kMaxExpandedEdges: return v1::MAX_EXPANDED_EDGES;
    case query::Truncation::kMaxResults: return v1::MAX_RESULTS;
    case query::Truncation::kMaxMemory: return v1::MAX_MEMORY;
    case query::Truncation::kMaxCpu: return v1::MAX_CPU_TIME;
  }
  return v1::NOT_TRUNCATED;
}

void ToProto(const query::QueryCost& cost, v1::QueryCost* out) {
  out->set_nodes_visited(cost.nodes_visited);
  out->set_edges_scanned(cost.edges_scanned);
  out->set_memory_bytes(cost.memory_bytes);
}

query::TraversalDirection ToDirection(v1::Direction direction) {
  switch (direction) {
    case v1::OUT: return query::TraversalDirection::kOut;
    case v1::IN: return query::TraversalDirection::kIn;
    default: return query::TraversalDirection::kBoth;
  }
}

absl::StatusOr<query::EdgeFilter> ToEdgeFilter(const storage::GraphStore& store,
                                               const v1::EdgeFilter& filter) {
  query::EdgeFilterSpec spec;
  spec.include_relations.assign(filter.include_relations().begin(),
                                filter.include_relations().end());
  spec.exclude_relations.assign(filter.exclude_relations().begin(),
                                filter.exclude_relations().end());
  spec.min_confidence = filter.min_confidence();
  spec.min_weight = filter.min_mentions();
  if (filter.has_seen_after()) spec.seen_after = filter.seen_after().seconds();
  if (filter.has_seen_before()) spec.seen_before = filter.seen_before().seconds();
  spec.include_co_mentions = filter.include_co_mentions();
  return query::ResolveEdgeFilter(store, spec);
}

const std::string& EntityNames::Name(EntityId id) {
  auto it = names_.find(id);
  if (it != names_.end()) return it->second;
  absl::StatusOr<storage::Entity> entity = store_.GetEntity(id);
  return names_[id] = entity.ok() ? entity->name : std::string();
}

absl::Status EntityNames::Prefetch(const std::vector<storage::Edge>& edges) {
  std::vector<EntityId> missing;
  for (const storage::Edge& e : edges) {
    for (EntityId id : {e.key.src, e.key.dst}) {
      if (!names_.contains(id)) {
        names_[id];  // placeholder: asked for once
        missing.push_back(id);
      }
    }
  }
  if (missing.empty()) return absl::OkStatus();
  auto entities = store_.GetEntities(missing);
  if (!entities.ok()) return entities.status();
  for (size_t i = 0; i < missing.size(); ++i) {
    if ((*entities)[i]) names_[missing[i]] = (*entities)[i]->name;
  }
  return absl::OkStatus();
}

void EntityNames::EdgeToProto(const storage::Edge& edge, v1::Edge* out) {
  out->set_source_id(edge.key.src);
  out->set_source_name(Name(edge.key.src));
  out->set_relation(store_.RelationName(edge.key.rel));
  out->set_target_id(edge.key.dst);
  out->set_target_name(Name(edge.key.dst));
  ToProto(edge.stats, out->mutable_properties());
  if (storage::RelationKindForName(out->relation()) == storage::RelationKind::kCoMention) {
    // Stores written before co-mentions lost their confidence hold 1.0 here;
    // it was never evidence of anything.
    out->set_co_mention(true);
    out->mutable_properties()->set_confidence_mean(0);
    out->mutable_properties()->set_confidence_max(0);
  }
}

absl::StatusOr<int64_t> PageSize(int64_t requested, int64_t default_size, int64_t max_size,
                                 const std::string& field) {
  if (requested < 0) return absl::InvalidArgumentError(absl::StrCat(field, " must be >= 0"));
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

absl::StatusOr<query::QueryBudget> MakeBudget(const v1::QueryLimits& limits,
                                              const ServerOptions& options, const CallEnv& env) {
  query::QueryBudget budget;
  absl::StatusOr<int64_t> nodes = PageSize(limits.max_visited_nodes(), options.default_visited_nodes,
                                           options.max_visited_nodes, "limits.max_visited_nodes");
  if (!nodes.ok()) return nodes.status();
  absl::StatusOr<int64_t> edges =
      PageSize(limits.max_expanded_edges(), options.default_expanded_edges,
               options.max_expanded_edges, "limits.max_expanded_edges");
  if (!edges.ok()) return edges.status();
  absl::StatusOr<int64_t> memory =
      PageSize(limits.max_memory_bytes(), options.default_call_memory_bytes,
               options.max_call_memory_bytes, "limits.max_memory_bytes");
  if (!memory.ok()) return memory.status();
  budget.max_visited_nodes = *nodes;
  budget.max_expanded_edges = *edges;
  budget.max_memory_bytes = *memory;
  if (options.max_call_cpu > absl::ZeroDuration()) budget.max_cpu = options.max_call_cpu;
  budget.max_hops = options.max_hops;
  budget.deadline = env.deadline;
  budget.cancelled = env.cancelled;
  return budget;
}

}  // namespace kgraph::server
