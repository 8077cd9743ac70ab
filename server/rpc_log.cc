#include "server/rpc_log.h"

#include <unistd.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/status_util.h"

namespace kgraph::server {
namespace {

std::atomic<bool> log_enabled{true};

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void SetRpcLogEnabled(bool enabled) { log_enabled = enabled; }

void LogRpc(const std::string& method, const grpc::Status& status, absl::Duration latency,
            int64_t result_size, const std::string& peer) {
  LogRpc(method, status, latency, result_size, peer, {});
}

void LogRpc(const std::string& method, const grpc::Status& status, absl::Duration latency,
            int64_t result_size, const std::string& peer, const RpcLogFields& fields) {
  if (!log_enabled) return;
  std::string line = absl::StrFormat(
      "{\"ts\":\"%s\",\"rpc\":\"%s\",\"code\":\"%s\",\"latency_ms\":%.3f,\"result_size\":%d,"
      "\"peer\":\"%s\"",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), method,
      GrpcCodeName(status.error_code()), absl::ToDoubleMilliseconds(latency), result_size,
      JsonEscape(peer));
  for (const auto& [key, value] : fields) {
    if (const int64_t* number = std::get_if<int64_t>(&value)) {
      absl::StrAppend(&line, ",\"", key, "\":", *number);
    } else {
      absl::StrAppend(&line, ",\"", key, "\":\"", JsonEscape(std::get<std::string>(value)), "\"");
    }
  }
  if (!status.ok()) absl::StrAppend(&line, ",\"error\":\"", JsonEscape(status.error_message()), "\"");
  line += "}\n";
  // One write(2): lines from concurrent calls stay whole.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace kgraph::server
