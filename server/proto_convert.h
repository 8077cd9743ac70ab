// Translation between kgraph.v1 messages and the query/storage structs, plus
// request validation that names the offending field (INVALID_ARGUMENT
// "<field>: ..."). Keeps the handlers to validate -> query -> translate.
//
// Thread safety: functions are pure; EntityNames is per call.
#pragma once

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "kgraph/v1/graph.pb.h"
#include "query/edge_filter.h"
#include "query/entity_lookup.h"
#include "query/query_budget.h"
#include "server/server_options.h"
#include "server/unary_call.h"
#include "storage/graph_store.h"
#include "storage/key_format.h"

namespace kgraph::server {

// InvalidArgument naming `field` if neither id nor name is set.
absl::StatusOr<query::EntityName> ToEntityName(const v1::EntityRef& ref, const std::string& field);

void ToProto(const storage::Entity& entity, v1::Entity* out);
void ToProto(const storage::EdgeStats& stats, v1::EdgeProperties* out);
v1::TruncationReason ToProto(query::Truncation truncation);
void ToProto(const query::QueryCost& cost, v1::QueryCost* out);

query::TraversalDirection ToDirection(v1::Direction direction);
absl::StatusOr<query::EdgeFilter> ToEdgeFilter(const storage::GraphStore& store,
                                               const v1::EdgeFilter& filter);

// Entity names for edge endpoints, read once per call.
class EntityNames {
 public:
  explicit EntityNames(const storage::GraphStore& store) : store_(store) {}
  void Remember(const storage::Entity& entity) { names_[entity.id] = entity.name; }
  const std::string& Name(EntityId id);
  // Reads the names of every endpoint of `edges` not yet known, in one batch.
  absl::Status Prefetch(const std::vector<storage::Edge>& edges);
  void EdgeToProto(const storage::Edge& edge, v1::Edge* out);

 private:
  const storage::GraphStore& store_;
  absl::flat_hash_map<EntityId, std::string> names_;
};

// AIP-158: 0 -> default, above max -> max, negative -> InvalidArgument.
absl::StatusOr<int64_t> PageSize(int64_t requested, int64_t default_size, int64_t max_size,
                                 const std::string& field = "page_size");

// Budget for one query: the request's limits clamped to the server's, and
// the call's deadline and cancellation flag.
absl::StatusOr<query::QueryBudget> MakeBudget(const v1::QueryLimits& limits,
                                              const ServerOptions& options, const CallEnv& env);

// A fingerprint of everything in `request` except paging, so a page token is
// only accepted with the request that produced it.
template <typename Request>
uint64_t PagingFingerprint(Request request) {
  request.clear_page_token();
  request.clear_page_size();
  std::string bytes;
  request.SerializeToString(&bytes);
  return storage::DocumentHash(bytes);
}

}  // namespace kgraph::server
