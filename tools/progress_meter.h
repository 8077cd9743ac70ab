// A one-line progress display for long admin commands. It draws only when
// stderr is a terminal, so logs and CI output stay clean. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kgraph::admin {

class ProgressMeter {
 public:
  explicit ProgressMeter(std::string what);
  // Redraws at most a few times a second.
  void Update(int64_t done, int64_t total = -1);
  void Done();
  double Seconds() const;

 private:
  std::string what_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace kgraph::admin
