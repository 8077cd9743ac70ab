// Finding entities: by id, by exact name or alias (NameKey equality), and by
// ranked case-insensitive name prefix. Every name-based lookup goes through
// NameKey so that "netflix", "Netflix" and "NETFLIX" agree.
//
// Thread safety: stateless functions over a thread-safe GraphStore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/ids.h"
#include "query/query_budget.h"
#include "storage/graph_store.h"

namespace kgraph::query {

// An entity as the user named it: an id, or else a name or alias.
struct EntityName {
  std::optional<EntityId> id;
  std::string name;
};

struct EntityMatch {
  // The one whose name or alias has the query's IdentityKey if exactly one
  // does ("/m/0jm_" vs "/m/0_jm" share a NameKey), else the highest degree.
  storage::Entity entity;
  std::vector<storage::Entity> alternatives;  // other NameKey matches, best first
  // True iff several entities match and none is singled out by IdentityKey.
  bool ambiguous = false;
};

inline int64_t TotalDegree(const storage::Entity& e) { return e.out_degree + e.in_degree; }

// NotFound if no entity has the id / name. InvalidArgument naming `field` if
// the name is empty after normalization.
absl::StatusOr<EntityMatch> LookupEntity(const storage::GraphStore& store,
                                         const EntityName& name, const std::string& field);

// Like LookupEntity, but an ambiguous name is InvalidArgument naming `field`
// and listing the candidates, since a traversal needs exactly one start.
absl::StatusOr<EntityId> ResolveEntity(const storage::GraphStore& store, const EntityName& name,
                                       const std::string& field);

enum class EntityOrder { kDegree, kMentions };

struct SearchSpec {
  std::string prefix;
  EntityOrder order = EntityOrder::kDegree;
  int64_t page_size = 20;
  std::string after_cursor;  // "" = first page; from SearchPage::next_cursor
  // Distinct entities ranked at most; beyond it the result is truncated.
  int64_t max_candidates = 20'000;
};

struct SearchPage {
  std::vector<storage::Entity> entities;
  std::string next_cursor;  // "" iff this is the last page
  Truncation truncation = Truncation::kNone;
};

// Ranks every entity whose name or alias key starts with NameKey(prefix) by
// `order` (descending, then id ascending) and returns the page after
// `after_cursor`. InvalidArgument if the prefix has no letter or digit or the
// cursor is malformed; DeadlineExceeded/Cancelled per `budget`.
absl::StatusOr<SearchPage> SearchEntities(const storage::GraphStore& store,
                                          const SearchSpec& spec, const QueryBudget& budget);

}  // namespace kgraph::query
