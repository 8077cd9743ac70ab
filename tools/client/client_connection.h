// Connecting to kgraphd from the command-line tools: channel credentials
// (plain, TLS, mTLS), the bearer token and per-call deadlines in one place.
//
// Thread safety: a ClientConnection is immutable after Connect; NewContext
// may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "absl/status/statusor.h"

namespace kgraph::client {

struct ConnectionOptions {
  std::string server = "127.0.0.1:50051";
  std::string tls_ca;    // PEM CA to verify the server; enables TLS
  std::string tls_cert;  // PEM client certificate (mTLS)
  std::string tls_key;
  std::string tls_server_name;  // override the name checked in the server cert
  std::string token;            // bearer token, or "" for none
  int timeout_ms = 30'000;
  bool own_subchannel = false;  // one TCP connection per channel (load tests)
};

class ClientConnection {
 public:
  static absl::StatusOr<std::unique_ptr<ClientConnection>> Connect(const ConnectionOptions& options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // A context with the deadline and the authorization metadata set.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

 private:
  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace kgraph::client
