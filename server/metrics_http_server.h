// A deliberately tiny HTTP/1.0 server for Prometheus scrapes: one thread,
// blocking sockets, GET /metrics only. Scrapes are rare and small, so this
// needs no HTTP library.
//
// Thread safety: Start and Stop from one thread; the render callback runs on
// the server's own thread and must be thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace kgraph::server {

class MetricsHttpServer {
 public:
  explicit MetricsHttpServer(std::function<std::string()> render) : render_(std::move(render)) {}
  ~MetricsHttpServer();  // Stop()s

  // Binds "host:port" (port 0 picks a free one) and starts serving. Returns
  // the bound port.
  absl::StatusOr<int> Start(const std::string& listen);
  void Stop();

 private:
  void Serve();
  void HandleClient(int fd);

  std::function<std::string()> render_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kgraph::server
