#include "tools/progress_meter.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace kgraph::admin {

ProgressMeter::ProgressMeter(std::string what, std::chrono::milliseconds plain_interval)
    : what_(std::move(what)), tty_(isatty(fileno(stderr)) != 0),
      plain_interval_(plain_interval), start_(std::chrono::steady_clock::now()), last_(start_) {
  // Tests and impatient operators shorten the interval of plain lines.
  if (const char* ms = std::getenv("KGRAPH_PROGRESS_MS"); ms != nullptr && *ms) {
    plain_interval_ = std::chrono::milliseconds(std::atoll(ms));
  }
}

void ProgressMeter::Update(int64_t done, int64_t total, const std::string& detail) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < (tty_ ? std::chrono::milliseconds(200) : plain_interval_)) return;
  last_ = now;
  const double s = Seconds();
  const char* lead = tty_ ? "\r" : "";
  const char* tail = tty_ ? "   " : "\n";
  const std::string sep = detail.empty() ? "" : ", ";
  if (total > 0) {
    std::fprintf(stderr, "%s%s: %lld/%lld (%.0f%%) %.1fs%s%s%s", lead, what_.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total),
                 100.0 * static_cast<double>(done) / static_cast<double>(total), s, sep.c_str(),
                 detail.c_str(), tail);
  } else {
    std::fprintf(stderr, "%s%s: %lld %.1fs%s%s%s", lead, what_.c_str(),
                 static_cast<long long>(done), s, sep.c_str(), detail.c_str(), tail);
  }
  std::fflush(stderr);
}

void ProgressMeter::Done() {
  if (tty_) std::fprintf(stderr, "\r\033[K");
}

double ProgressMeter::Seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace kgraph::admin
