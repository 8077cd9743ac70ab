// The file format of every nlp/ model: a magic line, a format version, a
// header (component name and version, the feature set, a checksum of the
// training data, free-form info such as measured accuracy), then one
// zstd-compressed payload with its XXH64 checksum. Readers fail on a wrong
// magic, component or version, on a checksum mismatch, on any read past the
// end and on bytes left over. Pure functions and value types; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kgraph::nlp {

// Little-endian primitives into a growing buffer.
class ByteWriter {
 public:
  void U8(uint8_t v) { data_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v);
  void U64(uint64_t v);
  void Varint(uint64_t v);
  void F32(float v);
  void String(absl::string_view s);

  const std::string& data() const { return data_; }
  std::string Release() { return std::move(data_); }

 private:
  std::string data_;
};

// Reads what ByteWriter wrote. The first failure sticks: later reads return
// false, and status() names what was being read.
class ByteReader {
 public:
  ByteReader(absl::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

  bool U8(uint8_t* v);
  bool U32(uint32_t* v);
  bool U64(uint64_t* v);
  bool Varint(uint64_t* v);
  bool F32(float* v);
  bool String(std::string* s);

  // Marks the input invalid (e.g. a value out of range) with `message`.
  bool Fail(absl::string_view message);
  bool AtEnd() const { return pos_ == data_.size(); }
  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool ok() const { return status_.ok(); }
  // OK iff every read succeeded and, when `require_end`, nothing is left.
  absl::Status Finish(bool require_end = true);
  const absl::Status& status() const { return status_; }

 private:
  bool Need(size_t n);

  absl::string_view data_;
  size_t pos_ = 0;
  std::string what_;
  absl::Status status_;
};

struct ModelHeader {
  std::string component;         // "tagger", "parser", "ner"
  uint32_t version = 0;          // the component's payload version
  std::string features;          // the feature set the model was trained with
  std::string training_checksum; // XXH64 of the training files, hex
  std::string info;              // free text: corpora, licence, accuracy
};

struct ModelFile {
  ModelHeader header;
  std::string payload;  // decompressed
};

// Writes atomically (temporary file, fsync, rename). zstd level 19.
absl::Status WriteModelFile(const std::string& path, const ModelHeader& header,
                            absl::string_view payload);

// Reads and checks a model file. `build_hint` is the command that builds the
// model, named in the NOT_FOUND error of a missing file.
absl::StatusOr<ModelFile> ReadModelFile(const std::string& path,
                                        absl::string_view component, uint32_t version,
                                        absl::string_view build_hint);

// XXH64 of the contents of `paths` in order (file names not included), hex.
absl::StatusOr<std::string> ChecksumFiles(const std::vector<std::string>& paths);

}  // namespace kgraph::nlp
