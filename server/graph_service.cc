#include "server/graph_service.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/text_limits.h"
#include "query/entity_lookup.h"
#include "query/neighborhood_query.h"
#include "query/page_token.h"
#include "query/path_query.h"
#include "query/traversal_cache.h"
#include "server/proto_convert.h"
#include "server/unary_call.h"
#include "storage/relation_kind.h"

namespace kgraph::server {
namespace {

constexpr char kService[] = "kgraph.v1.GraphService/";

std::string Method(const char* name) { return absl::StrCat(kService, name); }

void MentionToProto(const storage::MentionSpan& m, v1::MentionSpan* out) {
  out->set_start(m.start);
  out->set_end(m.end);
  out->set_resolved_from(m.resolved_from);
}

// Fills a GetNeighbors/GetSubgraph style reply from one page of a traversal;
// `cost` is what this call spent (nothing for a page from the cache).
template <typename Response>
absl::Status FillNeighborhoodPage(const storage::GraphStore& store,
                                  const query::NeighborhoodResult& result,
                                  const query::QueryCost& cost, const std::string& cursor,
                                  int64_t page_size, uint64_t fingerprint, Response* response,
                                  int64_t* size) {
  absl::StatusOr<query::NeighborhoodPage> page =
      query::PageNeighborhood(result, cursor, page_size);
  if (!page.ok()) return page.status();
  EntityNames names(store);
  std::vector<EntityId> ids;
  ids.reserve(page->nodes.size());
  for (const query::NeighborhoodNode& node : page->nodes) ids.push_back(node.id);
  absl::StatusOr<std::vector<std::optional<storage::Entity>>> entities = store.GetEntities(ids);
  if (!entities.ok()) return entities.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::optional<storage::Entity>& entity = (*entities)[i];
    if (!entity) continue;  // deleted mid-query
    names.Remember(*entity);
    v1::NeighborNode* out = response->add_nodes();
    ToProto(*entity, out->mutable_entity());
    out->set_hop(page->nodes[i].hop);
  }
  absl::Status named = names.Prefetch(page->edges);
  if (!named.ok()) return named;
  for (const storage::Edge& edge : page->edges) names.EdgeToProto(edge, response->add_edges());
  if (!page->next_cursor.empty()) {
    response->set_next_page_token(query::EncodePageToken(fingerprint, page->next_cursor));
  }
  response->set_truncated(ToProto(result.truncation));
  ToProto(cost, response->mutable_cost());
  *size = response->nodes_size() + response->edges_size();
  return absl::OkStatus();
}

// The traversal cache's key for `request`: the method and every field but
// the paging ones, so all pages of one listing share an entry.
template <typename Request>
std::string TraversalKey(const char* method, Request request) {
  request.clear_page_token();
  request.clear_page_size();
  std::string key(method);
  key.push_back('\0');
  request.AppendToString(&key);
  return key;
}

absl::StatusOr<std::string> CursorFrom(const std::string& token, uint64_t fingerprint) {
  if (token.empty()) return std::string();
  return query::DecodePageToken(token, fingerprint);
}

// What GetNeighbors and GetSubgraph share: page, fan-out, budget and cursor
// checks (before any seed is resolved, so a bad field is reported first), the
// traversal, and the reply page. `set_seeds` fills the seeds, hops and
// whether edges among the last hop are wanted. A result of more than one
// page is cached, so its later pages cost no traversal (a supernode's
// listing scans its edges once); the cache serves it only while the store
// is unchanged.
template <typename Request, typename Response>
absl::Status RunNeighborhoodCall(const ServiceContext& svc, query::TraversalCache* cache,
                                 const char* method, const CallEnv& env, const Request& request,
                                 const std::function<absl::Status(query::NeighborhoodSpec*)>& set_seeds,
                                 Response* response, int64_t* size) {
  const ServerOptions& options = svc.options;
  const storage::GraphStore& store = *svc.store;
  absl::StatusOr<int64_t> page_size =
      PageSize(request.page_size(), options.default_page_size, options.max_page_size);
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<int64_t> fan_out =
      PageSize(request.max_edges_per_node(), options.default_edges_per_node,
               options.max_edges_per_node, "max_edges_per_node");
  if (!fan_out.ok()) return fan_out.status();
  absl::StatusOr<query::QueryBudget> budget = MakeBudget(request.limits(), options, env);
  if (!budget.ok()) return budget.status();
  const uint64_t fingerprint = PagingFingerprint(request);
  absl::StatusOr<std::string> cursor = CursorFrom(request.page_token(), fingerprint);
  if (!cursor.ok()) return cursor.status();
  std::string key = TraversalKey(method, request);
  // Read before the traversal: a write committed meanwhile makes the entry stale.
  const uint64_t version = store.WriteVersion();
  std::shared_ptr<const query::NeighborhoodResult> result = cache->Lookup(key, version);
  if (result != nullptr) {
    return FillNeighborhoodPage(store, *result, query::QueryCost(), *cursor, *page_size,
                                fingerprint, response, size);
  }
  query::NeighborhoodSpec spec;
  absl::Status seeded = set_seeds(&spec);
  if (!seeded.ok()) return seeded;
  absl::StatusOr<query::EdgeFilter> filter = ToEdgeFilter(store, request.filter());
  if (!filter.ok()) return filter.status();
  spec.direction = ToDirection(request.direction());
  spec.filter = *std::move(filter);
  spec.max_edges_per_node = *fan_out;
  absl::StatusOr<query::NeighborhoodResult> ran = query::NeighborhoodQuery(store, *budget).Run(spec);
  if (!ran.ok()) return ran.status();
  const bool keep = static_cast<int64_t>(ran->nodes.size()) > *page_size;
  if (keep) {  // held for a while: drop the vectors' spare capacity
    ran->nodes.shrink_to_fit();
    ran->edges.shrink_to_fit();
  }
  result = std::make_shared<const query::NeighborhoodResult>(*std::move(ran));
  if (keep) cache->Insert(std::move(key), version, result);
  return FillNeighborhoodPage(store, *result, result->cost, *cursor, *page_size, fingerprint,
                              response, size);
}

}  // namespace

grpc::ServerUnaryReactor* GraphServiceImpl::GetEntity(grpc::CallbackServerContext* ctx,
                                                      const v1::GetEntityRequest* request,
                                                      v1::GetEntityResponse* response) {
  static const std::string kMethod = Method("GetEntity");
  return StartUnaryCall(svc_, ctx, kMethod.c_str(), Scope::kRead,
                        [this, request, response](const CallEnv&, int64_t* size) {
    absl::StatusOr<query::EntityName> name = ToEntityName(request->entity(), "entity");
    if (!name.ok()) return name.status();
    absl::StatusOr<query::EntityMatch> match = query::LookupEntity(*svc_->store, *name, "entity");
    if (!match.ok()) return match.status();
    ToProto(match->entity, response->mutable_entity());
    for (const storage::Entity& e : match->alternatives) ToProto(e, response->add_alternatives());
    response->set_ambiguous(match->ambiguous);
    *size = 1 + response->alternatives_size();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GraphServiceImpl::SearchEntities(
    grpc::CallbackServerContext* ctx, const v1::SearchEntitiesRequest* request,
    v1::SearchEntitiesResponse* response) {
  static const std::string kMethod = Method("SearchEntities");
  return StartUnaryCall(svc_, ctx, kMethod.c_str(), Scope::kRead,
                        [this, request, response](const CallEnv& env, int64_t* size) {
    const ServerOptions& options = svc_->options;
    if (request->prefix().empty()) return absl::InvalidArgumentError("prefix: required");
    absl::StatusOr<int64_t> page_size =
        PageSize(request->page_size(), options.default_page_size, options.max_page_size);
    if (!page_size.ok()) return page_size.status();
    const uint64_t fingerprint = PagingFingerprint(*request);
    absl::StatusOr<std::string> cursor = CursorFrom(request->page_token(), fingerprint);
    if (!cursor.ok()) return cursor.status();
    query::SearchSpec spec;
    spec.prefix = request->prefix();
    spec.order = request->order_by() == v1::MENTIONS ? query::EntityOrder::kMentions
                                                      : query::EntityOrder::kDegree;
    spec.page_size = *page_size;
    spec.after_cursor = *cursor;
    spec.max_candidates = options.max_search_candidates;
    query::QueryBudget budget;
    budget.deadline = env.deadline;
    budget.cancelled = env.cancelled;
    budget.max_expanded_edges = options.max_expanded_edges;
    budget.max_visited_nodes = options.max_visited_nodes;
    if (options.max_call_cpu > absl::ZeroDuration()) budget.max_cpu = options.max_call_cpu;
    absl::StatusOr<query::SearchPage> page = query::SearchEntities(*svc_->store, spec, budget);
    if (!page.ok()) return page.status();
    for (const storage::Entity& e : page->entities) ToProto(e, response->add_entities());
    if (!page->next_cursor.empty()) {
      response->set_next_page_token(query::EncodePageToken(fingerprint, page->next_cursor));
    }
    response->set_truncated(ToProto(page->truncation));
    *size = response->entities_size();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GraphServiceImpl::GetNeighbors(grpc::CallbackServerContext* ctx,
                                                         const v1::GetNeighborsRequest* request,
                                                         v1::GetNeighborsResponse* response) {
  static const std::string kMethod = Method("GetNeighbors");
  return StartUnaryCall(svc_, ctx, kMethod.c_str(), Scope::kRead,
                        [this, request, response](const CallEnv& env, int64_t* size) {
    const ServerOptions& options = svc_->options;
    const storage::GraphStore& store = *svc_->store;
    if (request->hops() < 0 || request->hops() > options.max_hops) {
      return absl::InvalidArgumentError(
          absl::StrCat("hops: must be in [1, ", options.max_hops, "] (0 means 1)"));
    }
    return RunNeighborhoodCall(*svc_, &traversal_cache_, kMethod.c_str(), env, *request,
                               [&](query::NeighborhoodSpec* spec) {
      absl::StatusOr<query::EntityName> name = ToEntityName(request->entity(), "entity");
      if (!name.ok()) return name.status();
      absl::StatusOr<EntityId> start = query::ResolveEntity(store, *name, "entity");
      if (!start.ok()) return start.status();
      spec->seeds = {*start};
      spec->hops = request->hops() == 0 ? 1 : request->hops();
      return absl::OkStatus();
    }, response, size);
  });
}

grpc::ServerUnaryReactor* GraphServiceImpl::GetSubgraph(grpc::CallbackServerContext* ctx,
                                                        const v1::GetSubgraphRequest* request,
                                                        v1::GetSubgraphResponse* response) {
  static const std::string kMethod = Method("GetSubgraph");
  return StartUnaryCall(svc_, ctx, kMethod.c_str(), Scope::kRead,
                        [this, request, response](const CallEnv& env, int64_t* size) {
    const ServerOptions& options = svc_->options;
    const storage::GraphStore& store = *svc_->store;
    if (request->seeds().empty()) return absl::InvalidArgumentError("seeds: required");
    if (request->seeds_size() > options.max_seeds) {
      return absl::InvalidArgumentError(absl::StrCat("seeds: at most ", options.max_seeds));
    }
    if (request->hops() < 0 || request->hops() > options.max_hops) {
      return absl::InvalidArgumentError(absl::StrCat("hops: must be in [0, ", options.max_hops, "]"));
    }
    return RunNeighborhoodCall(*svc_, &traversal_cache_, kMethod.c_str(), env, *request,
                               [&](query::NeighborhoodSpec* spec) {
      for (int i = 0; i < request->seeds_size(); ++i) {
        const std::string field = absl::StrCat("seeds[", i, "]");
        absl::StatusOr<query::EntityName> name = ToEntityName(request->seeds(i), field);
        if (!name.ok()) return name.status();
        absl::StatusOr<EntityId> id = query::ResolveEntity(store, *name, field);
        if (!id.ok()) return id.status();
        spec->seeds.push_back(*id);
      }
      spec->hops = request->hops();
      spec->induced = true;
      return absl::OkStatus();
    }, response, size);
  });
}

grpc::ServerUnaryReactor* GraphServiceImpl::FindPaths(grpc::CallbackServerContext* ctx,
                                                      const v1::FindPathsRequest* request,
                                                      v1::FindPathsResponse* response) {
  static const std::string kMethod = Method("FindPaths");
  return StartUnaryCall(svc_, ctx, kMethod.c_str(), Scope::kRead,
                        [this, request, response](const CallEnv& env, int64_t* size) {
    const ServerOptions& options = svc_->options;
    const storage::GraphStore& store = *svc_->store;
    if (request->max_hops() < 0 || request->max_hops() > options.max_hops) {
      return absl::InvalidArgumentError(absl::StrCat("max_hops: must be in [1, ", options.max_hops,
                                                     "] (0 means ", options.default_path_hops, ")"));
    }
    if (request->k() < 0) return absl::InvalidArgumentError("k: must be >= 0");
    absl::StatusOr<int64_t> limit = PageSize(request->limit(), options.default_path_limit,
                                             options.max_path_limit, "limit");
    if (!limit.ok()) return limit.status();
    absl::StatusOr<query::QueryBudget> budget = MakeBudget(request->limits(), options, env);
    if (!budget.ok()) return budget.status();
    absl::StatusOr<query::EntityName> source_name = ToEntityName(request->source(), "source");
    if (!source_name.ok()) return source_name.status();
    absl::StatusOr<query::EntityName> target_name = ToEntityName(request->target(), "target");
    if (!target_name.ok()) return target_name.status();
    absl::StatusOr<EntityId> source = query::ResolveEntity(store, *source_name, "source");
    if (!source.ok()) return source.status();
    absl::StatusOr<EntityId> target = query::ResolveEntity(store, *target_name, "target");
    if (!target.ok()) return target.status();
    absl::StatusOr<query::EdgeFilter> filter = ToEdgeFilter(store, request->filter());
    if (!filter.ok()) return filter.status();

    query::PathSpec spec;
    spec.source = *source;
    spec.target = *target;
    switch (request->mode()) {
      case v1::K_SHORTEST: spec.mode = query::PathMode::kKShortest; break;
      case v1::ALL_SIMPLE: spec.mode = query::PathMode::kAllSimple; break;
      default: spec.mode = query::PathMode::kShortest; break;
    }
    switch (request->weight()) {
      case v1::INVERSE_CONFIDENCE: spec.weight = query::PathWeight::kInverseConfidence; break;
      case v1::NEGATIVE_LOG_CONFIDENCE:
        spec.weight = query::PathWeight::kNegativeLogConfidence;
        break;
      default: spec.weight = query::PathWeight::kHops; break;
    }
    spec.k = request->k() == 0 ? 3 : std::min<int64_t>(request->k(), options.max_path_limit);
    spec.max_hops = request->max_hops() == 0 ? options.default_path_hops : request->max_hops();
    spec.directed = request->directed();
    spec.filter = *std::move(filter);
    spec.limit = *limit;
    absl::StatusOr<query::PathResult> result = query::PathQuery(store, *budget).Run(spec);
    if (!result.ok()) return result.status();
    EntityNames names(store);
    for (const query::FoundPath& path : result->paths) {
      v1::Path* out = response->add_paths();
      out->set_cost(path.cost);
      absl::StatusOr<std::vector<std::optional<storage::Entity>>> nodes =
          store.GetEntities(path.nodes);
      if (!nodes.ok()) return nodes.status();
      for (size_t i = 0; i < path.nodes.size(); ++i) {
        const std::optional<storage::Entity>& entity = (*nodes)[i];
        if (!entity) {
          out->add_nodes()->set_id(path.nodes[i]);
          continue;
        }
        names.Remember(*entity);
        ToProto(*entity, out->add_nodes());
      }
      for (const storage::Edge& edge : path.edges) names.EdgeToProto(edge, out->add_edges());
    }
    response->set_truncated(ToProto(result->truncation));
    ToProto(result->cost, response->mutable_cost());
    *size = response->paths_size();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GraphServiceImpl::GetEvidence(grpc::CallbackServerContext* ctx,
                                                        const v1::GetEvidenceRequest* request,
                                                        v1::GetEvidenceResponse* response) {
  static const std::string kMethod = Method("GetEvidence");
  return StartUnaryCall(svc_, ctx, kMethod.c_str(), Scope::kRead,
                        [this, request, response](const CallEnv& env, int64_t* size) {
    const ServerOptions& options = svc_->options;
    const storage::GraphStore& store = *svc_->store;
    if (request->relation().empty()) return absl::InvalidArgumentError("relation: required");
    absl::StatusOr<int64_t> page_size =
        PageSize(request->page_size(), options.default_page_size, options.max_page_size);
    if (!page_size.ok()) return page_size.status();
    const uint64_t fingerprint = PagingFingerprint(*request);
    absl::StatusOr<std::string> cursor = CursorFrom(request->page_token(), fingerprint);
    if (!cursor.ok()) return cursor.status();
    absl::StatusOr<query::EntityName> source_name = ToEntityName(request->source(), "source");
    if (!source_name.ok()) return source_name.status();
    absl::StatusOr<query::EntityName> target_name = ToEntityName(request->target(), "target");
    if (!target_name.ok()) return target_name.status();
    absl::StatusOr<EntityId> source = query::ResolveEntity(store, *source_name, "source");
    if (!source.ok()) return source.status();
    absl::StatusOr<EntityId> target = query::ResolveEntity(store, *target_name, "target");
    if (!target.ok()) return target.status();
    absl::StatusOr<RelationId> rel = store.FindRelation(request->relation());
    if (absl::IsNotFound(rel.status())) {
      return absl::NotFoundError(absl::StrCat("relation: ", QuoteForMessage(request->relation()), " is unknown"));
    }
    if (!rel.ok()) return rel.status();
    const storage::EdgeKey key{*source, *rel, *target};
    absl::StatusOr<storage::EdgeStats> stats = store.GetEdge(key);
    if (absl::IsNotFound(stats.status())) {
      return absl::NotFoundError("no such edge: source -[relation]-> target");
    }
    if (!stats.ok()) return stats.status();
    EntityNames names(store);
    names.EdgeToProto(storage::Edge{key, *stats}, response->mutable_edge());
    const bool co_mention = storage::RelationKindForName(request->relation()) ==
                            storage::RelationKind::kCoMention;
    std::string last_cursor;
    bool more = false;
    int64_t scanned = 0;
    absl::Status scan = store.ScanEvidence(key, *cursor, [&](const storage::Evidence& ev) {
      if (++scanned % 256 == 0 && absl::Now() >= env.deadline) return false;
      if (response->evidence_size() >= *page_size) {
        more = true;
        return false;
      }
      v1::Evidence* out = response->add_evidence();
      out->set_doc_id(ev.doc_id);
      out->set_sentence(ev.sentence);
      out->set_start(ev.start);
      out->set_end(ev.end);
      out->set_rule(ev.rule);
      out->set_confidence(co_mention ? 0.0 : ev.confidence);  // older stores hold 1.0
      if (ev.date != 0) out->mutable_date()->set_seconds(ev.date);
      // Unset where not known: co-mentions, bulk triples, older stores.
      if (ev.subject_mention.end != 0) {
        MentionToProto(ev.subject_mention, out->mutable_subject_mention());
      }
      if (ev.object_mention.end != 0) {
        MentionToProto(ev.object_mention, out->mutable_object_mention());
      }
      last_cursor = ev.cursor;
      return true;
    });
    if (!scan.ok()) return scan;
    if (absl::Now() >= env.deadline) return absl::DeadlineExceededError("query deadline exceeded");
    if (more) response->set_next_page_token(query::EncodePageToken(fingerprint, last_cursor));
    *size = response->evidence_size();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GraphServiceImpl::GetStats(grpc::CallbackServerContext* ctx,
                                                     const v1::GetStatsRequest* request,
                                                     v1::GetStatsResponse* response) {
  static const std::string kMethod = Method("GetStats");
  return StartUnaryCall(svc_, ctx, kMethod.c_str(), Scope::kRead,
                        [this, response](const CallEnv&, int64_t* size) {
    absl::StatusOr<storage::StoreStats> stats = svc_->store->GetStats();
    if (!stats.ok()) return stats.status();
    response->set_entities(stats->entities);
    response->set_edges(stats->edges);
    response->set_evidence(stats->evidence);
    response->set_documents(stats->documents);
    response->set_disk_bytes(stats->disk_bytes);
    for (const storage::RelationInfo& rel : stats->relations) {
      v1::RelationCount* out = response->add_relations();
      out->set_name(rel.name);
      out->set_edges(rel.edges);
      out->set_co_mention(storage::RelationKindForName(rel.name) ==
                          storage::RelationKind::kCoMention);
    }
    *size = 1;
    return absl::OkStatus();
  });
}

}  // namespace kgraph::server
