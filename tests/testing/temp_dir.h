// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with everything
// in it when the object goes out of scope. For tests only; not thread-safe.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace kgraph::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/kgraph-test-XXXXXX";
    char* made = ::mkdtemp(tmpl.data());
    if (made != nullptr) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Empty iff the directory could not be created.
  const std::string& path() const { return path_; }
  // `path()/name` (not created).
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }
  // Writes `contents` to `path()/name` byte for byte and returns its path.
  std::string WriteFile(const std::string& name, const std::string& contents) const {
    std::string p = Sub(name);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << contents;
    return p;
  }

 private:
  std::string path_;
};

}  // namespace kgraph::testing
