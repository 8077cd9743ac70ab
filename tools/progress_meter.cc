#include "tools/progress_meter.h"

#include <unistd.h>

#include <cstdio>

namespace kgraph::admin {

ProgressMeter::ProgressMeter(std::string what)
    : what_(std::move(what)), tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressMeter::Update(int64_t done, int64_t total) {
  if (!tty_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double s = Seconds();
  if (total > 0) {
    std::fprintf(stderr, "\r%s: %lld/%lld (%.0f%%) %.1fs   ", what_.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total),
                 100.0 * static_cast<double>(done) / static_cast<double>(total), s);
  } else {
    std::fprintf(stderr, "\r%s: %lld %.1fs   ", what_.c_str(), static_cast<long long>(done), s);
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
