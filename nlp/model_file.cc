#include "nlp/model_file.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kgraph::nlp {
namespace {

constexpr absl::string_view kMagic = "KGRAPH-NLP-MODEL\n";
constexpr uint32_t kFormatVersion = 1;
// A model's payload is at most this big once decompressed: a corrupt size
// field must not make the reader allocate gigabytes.
constexpr uint64_t kMaxPayloadBytes = uint64_t{1} << 30;

}  // namespace

void ByteWriter::U32(uint32_t v) {
  for (int i = 0; i < 4; ++i) data_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void ByteWriter::U64(uint64_t v) {
  for (int i = 0; i < 8; ++i) data_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void ByteWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    data_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  data_.push_back(static_cast<char>(v));
}
void ByteWriter::F32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  U32(bits);
}
void ByteWriter::String(absl::string_view s) {
  Varint(s.size());
  data_.append(s.data(), s.size());
}

bool ByteReader::Need(size_t n) {
  if (!status_.ok()) return false;
  if (data_.size() - pos_ < n) {
    status_ = absl::DataLossError(absl::StrCat(what_, ": truncated at byte ", pos_));
    return false;
  }
  return true;
}
bool ByteReader::U8(uint8_t* v) {
  if (!Need(1)) return false;
  *v = static_cast<uint8_t>(data_[pos_++]);
  return true;
}
bool ByteReader::U32(uint32_t* v) {
  if (!Need(4)) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v |= uint32_t{static_cast<uint8_t>(data_[pos_++])} << (8 * i);
  return true;
}
bool ByteReader::U64(uint64_t* v) {
  if (!Need(8)) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) *v |= uint64_t{static_cast<uint8_t>(data_[pos_++])} << (8 * i);
  return true;
}
bool ByteReader::Varint(uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b;
    if (!U8(&b)) return false;
    *v |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return true;
  }
  return Fail("varint longer than 10 bytes");
}
bool ByteReader::F32(float* v) {
  uint32_t bits;
  if (!U32(&bits)) return false;
  std::memcpy(v, &bits, sizeof bits);
  return true;
}
bool ByteReader::String(std::string* s) {
  uint64_t n;
  if (!Varint(&n) || !Need(n)) return false;
  s->assign(data_.data() + pos_, n);
  pos_ += n;
  return true;
}
bool ByteReader::Fail(absl::string_view message) {
  if (status_.ok()) {
    status_ = absl::DataLossError(absl::StrCat(what_, ": ", message, " (at byte ", pos_, ")"));
  }
  return false;
}
absl::Status ByteReader::Finish(bool require_end) {
  if (status_.ok() && require_end && !AtEnd()) {
    status_ = absl::DataLossError(
        absl::StrCat(what_, ": ", data_.size() - pos_, " unexpected bytes after the end"));
  }
  return status_;
}

absl::Status WriteModelFile(const std::string& path, const ModelHeader& header,
                            absl::string_view payload) {
  ByteWriter out;
  for (char c : kMagic) out.U8(static_cast<uint8_t>(c));
  out.U32(kFormatVersion);
  out.String(header.component);
  out.U32(header.version);
  out.String(header.features);
  out.String(header.training_checksum);
  out.String(header.info);
  std::string compressed(ZSTD_compressBound(payload.size()), '\0');
  const size_t n = ZSTD_compress(compressed.data(), compressed.size(), payload.data(),
                                 payload.size(), 19);
  if (ZSTD_isError(n)) {
    return absl::InternalError(absl::StrCat(path, ": zstd: ", ZSTD_getErrorName(n)));
  }
  compressed.resize(n);
  out.U64(payload.size());
  out.U64(XXH64(payload.data(), payload.size(), 0));
  out.U64(compressed.size());
  std::string bytes = out.Release();
  bytes += compressed;

  const std::string tmp = absl::StrCat(path, ".tmp-", getpid());
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat(tmp, ": ", std::strerror(errno)));
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t w = write(fd, bytes.data() + done, bytes.size() - done);
    if (w <= 0) {
      const std::string err = std::strerror(errno);
      close(fd);
      unlink(tmp.c_str());
      return absl::DataLossError(absl::StrCat(tmp, ": write: ", err));
    }
    done += static_cast<size_t>(w);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(tmp.c_str());
    return absl::DataLossError(absl::StrCat(tmp, ": fsync: ", std::strerror(errno)));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return absl::DataLossError(absl::StrCat(path, ": rename: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ModelFile> ReadModelFile(const std::string& path, absl::string_view component,
                                        uint32_t version, absl::string_view build_hint) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(path, ": ", component,
                                            " model not found; build it with: ", build_hint));
  }
  // Read in one piece at the file's size (a stringstream copied it twice).
  const std::streamoff size = in.tellg();
  if (size < 0) return absl::DataLossError(absl::StrCat(path, ": cannot tell its size"));
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) {
    return absl::DataLossError(absl::StrCat(path, ": read error"));
  }
  if (bytes.compare(0, kMagic.size(), kMagic.data(), kMagic.size()) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a kgraph NLP model (no '", "KGRAPH-NLP-MODEL' magic)"));
  }
  ByteReader r(absl::string_view(bytes).substr(kMagic.size()), path);
  ModelFile file;
  uint32_t format = 0;
  r.U32(&format);
  if (r.ok() && format != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": model file format ", format, ", this kgraph reads format ", kFormatVersion,
        "; rebuild it with: ", build_hint));
  }
  r.String(&file.header.component);
  r.U32(&file.header.version);
  r.String(&file.header.features);
  r.String(&file.header.training_checksum);
  r.String(&file.header.info);
  uint64_t raw_size = 0, checksum = 0, compressed_size = 0;
  r.U64(&raw_size);
  r.U64(&checksum);
  r.U64(&compressed_size);
  if (!r.ok()) return r.status();
  if (file.header.component != component) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": a ", file.header.component,
                                                   " model, where a ", component,
                                                   " model was expected"));
  }
  if (file.header.version != version) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": ", component, " model version ", file.header.version, ", this kgraph reads ",
        version, "; rebuild it with: ", build_hint));
  }
  // The compressed payload is exactly what follows the header.
  const size_t header_bytes = kMagic.size() + r.position();
  if (bytes.size() - header_bytes != compressed_size || raw_size > kMaxPayloadBytes) {
    return absl::DataLossError(absl::StrCat(path, ": truncated or corrupt (a payload of ",
                                            compressed_size, " bytes, ",
                                            bytes.size() - header_bytes, " in the file)"));
  }
  file.payload.resize(raw_size);
  const size_t n = ZSTD_decompress(file.payload.data(), file.payload.size(),
                                   bytes.data() + header_bytes, compressed_size);
  if (ZSTD_isError(n) || n != raw_size) {
    return absl::DataLossError(absl::StrCat(path, ": corrupt payload (",
                                            ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short",
                                            ")"));
  }
  if (XXH64(file.payload.data(), file.payload.size(), 0) != checksum) {
    return absl::DataLossError(absl::StrCat(path, ": checksum mismatch: the file is corrupt"));
  }
  return file;
}

absl::StatusOr<std::string> ChecksumFiles(const std::vector<std::string>& paths) {
  XXH64_state_t* state = XXH64_createState();
  XXH64_reset(state, 0);
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      XXH64_freeState(state);
      return absl::NotFoundError(absl::StrCat(p, ": cannot open"));
    }
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      XXH64_update(state, buf, static_cast<size_t>(in.gcount()));
    }
  }
  const uint64_t h = XXH64_digest(state);
  XXH64_freeState(state);
  return absl::StrFormat("%016x", h);
}

}  // namespace kgraph::nlp
