#include "query/entity_lookup.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "model/name_key.h"
#include "model/text_limits.h"
#include "query/page_token.h"

namespace kgraph::query {
namespace {

bool BetterMatch(const storage::Entity& a, const storage::Entity& b) {
  if (TotalDegree(a) != TotalDegree(b)) return TotalDegree(a) > TotalDegree(b);
  if (a.mentions != b.mentions) return a.mentions > b.mentions;
  return a.id < b.id;
}

}  // namespace

absl::StatusOr<EntityMatch> LookupEntity(const storage::GraphStore& store,
                                         const EntityName& name, const std::string& field) {
  EntityMatch match;
  if (name.id.has_value()) {
    absl::StatusOr<storage::Entity> entity = store.GetEntity(*name.id);
    if (absl::IsNotFound(entity.status())) {
      return absl::NotFoundError(absl::StrCat(field, ": no entity with id ", *name.id));
    }
    if (!entity.ok()) return entity.status();
    match.entity = *std::move(entity);
    return match;
  }
  if (NameKey(name.name).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": a name needs at least one letter or digit"));
  }
  absl::StatusOr<std::vector<EntityId>> ids = store.FindByName(name.name);
  if (!ids.ok()) return ids.status();
  std::vector<storage::Entity> found;
  for (EntityId id : *ids) {
    absl::StatusOr<storage::Entity> entity = store.GetEntity(id);
    if (absl::IsNotFound(entity.status())) continue;  // removed since the name scan
    if (!entity.ok()) return entity.status();
    found.push_back(*std::move(entity));
  }
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat(field, ": no entity named ", QuoteForMessage(name.name)));
  }
  std::sort(found.begin(), found.end(), BetterMatch);
  // A spelling that is exactly one entity's identity wins over NameKey lookalikes.
  const std::string identity = IdentityKey(name.name);
  auto is_exact = [&identity](const storage::Entity& e) {
    if (e.canonical_key == identity || IdentityKey(e.name) == identity) return true;
    for (const std::string& alias : e.aliases) {
      if (IdentityKey(alias) == identity) return true;
    }
    return false;
  };
  const auto exact_count = std::count_if(found.begin(), found.end(), is_exact);
  if (exact_count == 1) {
    std::stable_partition(found.begin(), found.end(), is_exact);
  }
  match.ambiguous = found.size() > 1 && exact_count != 1;
  match.entity = std::move(found.front());
  match.alternatives.assign(std::make_move_iterator(found.begin() + 1),
                            std::make_move_iterator(found.end()));
  return match;
}

absl::StatusOr<EntityId> ResolveEntity(const storage::GraphStore& store, const EntityName& name,
                                       const std::string& field) {
  if (name.id.has_value()) {  // the common case for clients that page or expand
    absl::StatusOr<bool> exists = store.HasEntity(*name.id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return absl::NotFoundError(absl::StrCat(field, ": no entity with id ", *name.id));
    return *name.id;
  }
  absl::StatusOr<EntityMatch> match = LookupEntity(store, name, field);
  if (!match.ok()) return match.status();
  if (match->ambiguous) {
    std::vector<std::string> candidates;
    candidates.push_back(absl::StrCat(match->entity.id, " ", QuoteForMessage(match->entity.name)));
    for (const storage::Entity& e : match->alternatives) {
      candidates.push_back(absl::StrCat(e.id, " ", QuoteForMessage(e.name)));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", QuoteForMessage(name.name), " is ambiguous (", candidates.size(),
                     " entities: ", absl::StrJoin(candidates, ", "), "); pass an id"));
  }
  return match->entity.id;
}

absl::StatusOr<SearchPage> SearchEntities(const storage::GraphStore& store,
                                          const SearchSpec& spec, const QueryBudget& budget) {
  const std::string key_prefix = NameKey(spec.prefix);
  if (key_prefix.empty()) {
    return absl::InvalidArgumentError("prefix: needs at least one letter or digit");
  }
  // Keyset cursor: (score, id) of the last entity returned.
  bool has_cursor = false;
  int64_t cursor_score = 0;
  int64_t cursor_id = 0;
  if (!spec.after_cursor.empty()) {
    std::string_view c = spec.after_cursor;
    if (!ConsumeCursorInt(&c, &cursor_score) || !ConsumeCursorInt(&c, &cursor_id) || !c.empty()) {
      return absl::InvalidArgumentError("page_token is malformed");
    }
    has_cursor = true;
  }

  QueryControl control(budget);
  SearchPage page;
  absl::flat_hash_set<EntityId> seen;
  std::vector<EntityId> candidates;
  absl::Status scan = store.ScanNamePrefix(key_prefix, [&](std::string_view, EntityId id) {
    if (!control.ChargeEdge()) return false;
    if (!seen.insert(id).second) return true;
    if (static_cast<int64_t>(candidates.size()) >= spec.max_candidates) {
      control.Truncate(Truncation::kMaxResults);
      return false;
    }
    candidates.push_back(id);
    return true;
  });
  if (!scan.ok()) return scan;
  if (!control.status().ok()) return control.status();
  page.truncation = control.truncation();

  struct Ranked {
    int64_t score;
    EntityId id;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(candidates.size());
  std::vector<EntityId> scored;
  scored.reserve(candidates.size());
  for (EntityId id : candidates) {
    if (!control.ChargeNode() && !control.status().ok()) return control.status();
    scored.push_back(id);
  }
  // One batch read ranks every candidate (degree and mentions are counters).
  absl::StatusOr<std::vector<std::optional<storage::Entity>>> summaries = store.GetEntities(scored);
  if (!summaries.ok()) return summaries.status();
  for (size_t i = 0; i < scored.size(); ++i) {
    const std::optional<storage::Entity>& e = (*summaries)[i];
    if (!e) continue;
    int64_t score = spec.order == EntityOrder::kDegree ? e->out_degree + e->in_degree : e->mentions;
    ranked.push_back({score, scored[i]});
  }
  auto before = [](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.id < b.id;
  };
  std::sort(ranked.begin(), ranked.end(), before);
  auto it = ranked.begin();
  if (has_cursor) {
    it = std::upper_bound(ranked.begin(), ranked.end(),
                          Ranked{cursor_score, static_cast<EntityId>(cursor_id)}, before);
  }
  for (; it != ranked.end() && static_cast<int64_t>(page.entities.size()) < spec.page_size; ++it) {
    absl::StatusOr<storage::Entity> e = store.GetEntity(it->id);
    if (absl::IsNotFound(e.status())) continue;
    if (!e.ok()) return e.status();
    page.entities.push_back(*std::move(e));
  }
  if (it != ranked.end() && !page.entities.empty()) {
    const Ranked& last = *(it - 1);
    AppendCursorInt(&page.next_cursor, last.score);
    AppendCursorInt(&page.next_cursor, static_cast<int64_t>(last.id));
  }
  return page;
}

}  // namespace kgraph::query
