// Progress of long admin commands. On a terminal it redraws one line a few
// times a second; otherwise (a script, a log file, CI) it prints a plain
// line every few seconds, so an operator reading the log of a crashed run
// sees how far it got. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kgraph::admin {

class ProgressMeter {
 public:
  // `plain_interval`: the time between plain lines when stderr is not a
  // terminal.
  explicit ProgressMeter(std::string what,
                         std::chrono::milliseconds plain_interval = std::chrono::seconds(5));
  // `detail` (may be empty) is appended, e.g. the last committed document.
  void Update(int64_t done, int64_t total = -1, const std::string& detail = "");
  void Done();
  double Seconds() const;

 private:
  std::string what_;
  bool tty_;
  std::chrono::milliseconds plain_interval_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace kgraph::admin
