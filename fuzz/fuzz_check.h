// Helpers shared by the fuzz targets: a check that aborts (so libFuzzer and
// the replay driver both see a failed property as a crash) and the rules every
// reader's error must follow (names its source, echoes input only in short).
// Thread safety: pure functions.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kgraph::fuzz {

// Longest error message accepted. Readers quote user input through
// QuoteForMessage (model/text_limits.h), at most a few hundred bytes per
// excerpt; a longer message means some input was echoed whole.
inline constexpr size_t kMaxMessageBytes = 1024;

[[noreturn]] inline void Fail(const char* file, int line, const char* what,
                              std::string_view detail) {
  std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
  if (!detail.empty()) {
    std::fprintf(stderr, "  detail (first 512 bytes): %.*s\n",
                 static_cast<int>(detail.size() < 512 ? detail.size() : 512), detail.data());
  }
  std::abort();
}
// Debian's abseil has its own string_view (not std::string_view), which is
// what Status::message() returns.
[[noreturn]] inline void Fail(const char* file, int line, const char* what,
                              absl::string_view detail) {
  Fail(file, line, what, std::string_view(detail.data(), detail.size()));
}
[[noreturn]] inline void Fail(const char* file, int line, const char* what,
                              const std::string& detail) {
  Fail(file, line, what, std::string_view(detail));
}
[[noreturn]] inline void Fail(const char* file, int line, const char* what, const char* detail) {
  Fail(file, line, what, std::string_view(detail));
}

#define FUZZ_CHECK(cond, detail)                                     \
  do {                                                               \
    if (!(cond)) ::kgraph::fuzz::Fail(__FILE__, __LINE__, #cond, (detail)); \
  } while (0)

// An error about input from `source` starts with it ("FILE:LINE: ...") and
// stays short, however large the input.
inline void CheckInputError(const absl::Status& status, std::string_view source) {
  FUZZ_CHECK(!status.ok(), "");
  const std::string_view message(status.message().data(), status.message().size());
  FUZZ_CHECK(message.substr(0, source.size()) == source, message);
  FUZZ_CHECK(message.size() <= source.size() + kMaxMessageBytes, message);
}

}  // namespace kgraph::fuzz
