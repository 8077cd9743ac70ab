// The body shared by the four triple-format fuzz targets (TSV, CSV, JSON
// lines, N-Triples): ReadTripleFile only reads paths, so each input is put in
// a memfd and read through /proc/self/fd/N (no disk I/O, nothing left behind).
// Each input is read twice, with an error budget larger than its line count
// and with a budget of one, and the two reads must agree. Properties: no
// crash; accepted triples have valid names (ValidateEntityName), a relation
// and a confidence in [0, 1]; every line error names the file and a line that
// exists and is short; a read over budget fails, keeps nothing it read (no
// partial result) and says so.
// Thread safety: one call at a time per thread (a memfd per call).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_check.h"
#include "model/name_key.h"
#include "model/text_limits.h"
#include "tools/triple_file_reader.h"

namespace kgraph::fuzz {

// An anonymous in-memory file holding `data`, closed on destruction.
class MemFile {
 public:
  MemFile(const uint8_t* data, size_t size) {
    fd_ = memfd_create("kgraph-fuzz", MFD_CLOEXEC);
    FUZZ_CHECK(fd_ >= 0, "memfd_create");
    for (size_t done = 0; done < size;) {
      const ssize_t n = write(fd_, data + done, size - done);
      FUZZ_CHECK(n > 0, "write to memfd");
      done += static_cast<size_t>(n);
    }
    path_ = absl::StrCat("/proc/self/fd/", fd_);
  }
  ~MemFile() { close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

inline bool SameTriple(const storage::BulkTriple& a, const storage::BulkTriple& b) {
  return a.subject == b.subject && a.relation == b.relation && a.object == b.object &&
         a.confidence == b.confidence;
}

inline int FuzzTripleReader(const uint8_t* data, size_t size, admin::TripleFormat format) {
  MemFile file(data, size);
  const std::string& path = file.path();
  // Lines as std::getline sees them: a last line without '\n' counts.
  int64_t lines = 0;
  for (size_t i = 0; i < size; ++i) lines += data[i] == '\n';
  if (size > 0 && data[size - 1] != '\n') ++lines;

  // Read 1: a budget no input can exceed.
  admin::TripleFileContents all;
  const absl::Status all_status = admin::ReadTripleFile(path, format, lines + 1, &all);
  if (!all_status.ok()) {
    // A whole-file refusal (e.g. an empty file), never a line budget.
    CheckInputError(all_status, path);
    FUZZ_CHECK(all.triples.empty(), all_status.message());
  } else {
    FUZZ_CHECK(static_cast<int64_t>(all.errors.size()) <= lines, "more errors than lines");
    for (const storage::BulkTriple& t : all.triples) {
      FUZZ_CHECK(!t.subject.empty() && !t.relation.empty() && !t.object.empty(), "empty field");
      FUZZ_CHECK(IsValidUtf8(t.subject) && IsValidUtf8(t.relation) && IsValidUtf8(t.object),
                 t.subject);
      FUZZ_CHECK(t.confidence >= 0.0 && t.confidence <= 1.0, t.subject);
      // Loads refuse what no other path would store (issue #10: NUL and
      // control bytes, names over kMaxNameBytes).
      const absl::Status subject = ValidateEntityName(t.subject);
      FUZZ_CHECK(subject.ok(), subject.message());
      const absl::Status object = ValidateEntityName(t.object);
      FUZZ_CHECK(object.ok(), object.message());
    }
    for (const admin::LineError& e : all.errors) {
      FUZZ_CHECK(e.file == path, e.file);
      FUZZ_CHECK(e.line >= 1 && e.line <= lines, e.ToString());
      FUZZ_CHECK(!e.message.empty(), e.ToString());
      FUZZ_CHECK(e.message.size() <= kMaxMessageBytes, e.message);
    }
  }

  // Read 2: a budget of one error, into contents that already hold a triple
  // (as when several files are loaded together); a failed read keeps it only.
  admin::TripleFileContents one;
  one.triples.push_back({"kept subject", "kept_relation", "kept object", 0.5});
  const absl::Status one_status = admin::ReadTripleFile(path, format, 1, &one);
  if (!all_status.ok()) {
    FUZZ_CHECK(!one_status.ok(), "second read accepted what the first refused");
  } else if (all.errors.size() <= 1) {
    FUZZ_CHECK(one_status.ok(), one_status.message());
    FUZZ_CHECK(one.triples.size() == all.triples.size() + 1, "second read differs");
    for (size_t i = 0; i < all.triples.size(); ++i) {
      FUZZ_CHECK(SameTriple(one.triples[i + 1], all.triples[i]), all.triples[i].subject);
    }
  } else {
    FUZZ_CHECK(!one_status.ok(), "over the error budget but OK");
  }
  if (!one_status.ok()) {
    CheckInputError(one_status, path);
    FUZZ_CHECK(one.triples.size() == 1 && one.triples[0].subject == "kept subject",
               "a failed read left a partial result");
  }
  return 0;
}

}  // namespace kgraph::fuzz
