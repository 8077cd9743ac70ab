#include "server/unary_call.h"

#include <utility>

#include "server/rpc_log.h"
#include "server/status_util.h"

namespace kgraph::server {
namespace {

class UnaryCall : public grpc::ServerUnaryReactor {
 public:
  UnaryCall(ServiceContext* svc, grpc::CallbackServerContext* ctx, const char* method)
      : svc_(svc), ctx_(ctx), method_(method), start_(absl::Now()), peer_(ctx->peer()) {}

  void Start(Scope scope, UnaryWork work) {
    absl::Status admitted = AdmitCall(*svc_, *ctx_, scope);
    if (!admitted.ok()) return FinishWith(admitted, 0);
    CallEnv env{CallDeadline(*svc_, *ctx_), &cancelled_};
    const bool queued = svc_->pool->Submit([this, env, work = std::move(work)] {
      if (cancelled_) return FinishWith(absl::CancelledError("call cancelled before it ran"), 0);
      if (absl::Now() >= env.deadline) {
        return FinishWith(absl::DeadlineExceededError("deadline passed while queued"), 0);
      }
      int64_t result_size = 0;
      absl::Status status = work(env, &result_size);
      FinishWith(status, result_size);
    });
    if (!queued) {
      FinishWith(svc_->draining ? absl::UnavailableError("server is shutting down")
                                : absl::ResourceExhaustedError("server overloaded: too many queued calls"),
                 0);
    }
  }

  void OnCancel() override { cancelled_ = true; }
  void OnDone() override { delete this; }

 private:
  // Logs and records before Finish(): after it, OnDone may delete `this`.
  void FinishWith(const absl::Status& status, int64_t result_size) {
    grpc::Status grpc_status = ToGrpcStatus(status);
    const absl::Duration latency = absl::Now() - start_;
    LogRpc(method_, grpc_status, latency, result_size, peer_);
    svc_->metrics->Record(method_, grpc_status.error_code(), absl::ToDoubleSeconds(latency));
    Finish(grpc_status);
  }

  ServiceContext* const svc_;
  grpc::CallbackServerContext* const ctx_;
  const std::string method_;
  const absl::Time start_;
  const std::string peer_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

absl::Status AdmitCall(const ServiceContext& svc, const grpc::CallbackServerContext& ctx,
                       Scope scope) {
  if (svc.draining) return absl::UnavailableError("server is shutting down");
  if (svc.auth != nullptr) return svc.auth->Authorize(ctx, scope);
  return absl::OkStatus();
}

absl::Time CallDeadline(const ServiceContext& svc, const grpc::CallbackServerContext& ctx) {
  const absl::Time server_deadline = absl::Now() + svc.options.default_deadline;
  const auto client = ctx.deadline();
  // gRPC reports "no deadline" as a time point far in the future.
  if (client >= std::chrono::system_clock::time_point::max() - std::chrono::hours(24 * 365)) {
    return server_deadline;
  }
  return std::min(server_deadline, absl::FromChrono(client));
}

grpc::ServerUnaryReactor* StartUnaryCall(ServiceContext* svc, grpc::CallbackServerContext* ctx,
                                         const char* method, Scope scope, UnaryWork work) {
  auto* call = new UnaryCall(svc, ctx, method);
  call->Start(scope, std::move(work));
  return call;
}

}  // namespace kgraph::server
