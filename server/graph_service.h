// GraphService (kgraph.v1): read-only queries. Each handler validates the
// request, runs the query engine on the work pool (via StartUnaryCall) and
// translates the result; no graph logic lives here.
//
// Thread safety: handlers run concurrently; shared state is the borrowed
// ServiceContext and the traversal cache (thread-safe).
#pragma once

#include "kgraph/v1/graph.grpc.pb.h"
#include "query/traversal_cache.h"
#include "server/service_context.h"

namespace kgraph::server {

class GraphServiceImpl final : public v1::GraphService::CallbackService {
 public:
  explicit GraphServiceImpl(ServiceContext* svc)
      : svc_(svc), traversal_cache_(svc->options.traversal_cache_bytes) {}

  const query::TraversalCache& traversal_cache() const { return traversal_cache_; }

  grpc::ServerUnaryReactor* GetEntity(grpc::CallbackServerContext* ctx,
                                      const v1::GetEntityRequest* request,
                                      v1::GetEntityResponse* response) override;
  grpc::ServerUnaryReactor* SearchEntities(grpc::CallbackServerContext* ctx,
                                           const v1::SearchEntitiesRequest* request,
                                           v1::SearchEntitiesResponse* response) override;
  grpc::ServerUnaryReactor* GetNeighbors(grpc::CallbackServerContext* ctx,
                                         const v1::GetNeighborsRequest* request,
                                         v1::GetNeighborsResponse* response) override;
  grpc::ServerUnaryReactor* FindPaths(grpc::CallbackServerContext* ctx,
                                      const v1::FindPathsRequest* request,
                                      v1::FindPathsResponse* response) override;
  grpc::ServerUnaryReactor* GetSubgraph(grpc::CallbackServerContext* ctx,
                                        const v1::GetSubgraphRequest* request,
                                        v1::GetSubgraphResponse* response) override;
  grpc::ServerUnaryReactor* GetEvidence(grpc::CallbackServerContext* ctx,
                                        const v1::GetEvidenceRequest* request,
                                        v1::GetEvidenceResponse* response) override;
  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* ctx,
                                     const v1::GetStatsRequest* request,
                                     v1::GetStatsResponse* response) override;
  // The document catalog (graph_service_documents.cc).
  grpc::ServerUnaryReactor* ListDocuments(grpc::CallbackServerContext* ctx,
                                          const v1::ListDocumentsRequest* request,
                                          v1::ListDocumentsResponse* response) override;
  grpc::ServerUnaryReactor* GetDocument(grpc::CallbackServerContext* ctx,
                                        const v1::GetDocumentRequest* request,
                                        v1::GetDocumentResponse* response) override;

 private:
  ServiceContext* const svc_;
  // Results of GetNeighbors/GetSubgraph kept for their later pages.
  query::TraversalCache traversal_cache_;
};

}  // namespace kgraph::server
