// GraphStore's document catalog: reading document records, listing them,
// and reconciling a re-read source with its manifest.
#include <algorithm>

#include <rocksdb/db.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "kgraph/storage/records.pb.h"
#include "model/text_limits.h"
#include "storage/families.h"
#include "storage/graph_store.h"

namespace kgraph::storage {
namespace {

// Document records sort after the reserved keys (which start with NUL);
// the first byte a document id may start with is 0x20.
constexpr char kFirstDocumentKey[] = " ";

absl::StatusOr<DocumentInfo> ToInfo(std::string_view key, std::string_view raw) {
  DocumentRecord rec;
  if (!rec.ParseFromArray(raw.data(), static_cast<int>(raw.size()))) {
    return absl::DataLossError(
        absl::StrCat("document ", QuoteForMessage(key), ": unreadable record"));
  }
  DocumentInfo info;
  info.doc_id = rec.doc_id();
  info.title = rec.title();
  info.date = rec.date();
  info.url = rec.url();
  info.source = rec.source();
  info.bulk = rec.bulk();
  info.bulk_triples = static_cast<int64_t>(rec.bulk_triples());
  info.evidence = rec.edges_size();
  info.entities = rec.entities_size();
  return info;
}

}  // namespace

absl::StatusOr<DocumentInfo> GraphStore::GetDocument(std::string_view doc_id) const {
  std::string raw;
  rocksdb::Status s = rocksdb::Status::NotFound();
  if (!doc_id.empty() && doc_id[0] != kReservedDocumentKeyTag) {
    s = db_->Get(rocksdb::ReadOptions(), cfs_->documents,
                 rocksdb::Slice(doc_id.data(), doc_id.size()), &raw);
  }
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no document ", QuoteForMessage(doc_id)));
  }
  if (!s.ok()) return FromRocks(s, "document lookup");
  return ToInfo(doc_id, raw);
}

absl::StatusOr<std::vector<DocumentInfo>> GraphStore::ListDocuments(std::string_view after,
                                                                    size_t limit,
                                                                    std::string_view source) const {
  std::vector<DocumentInfo> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_->documents));
  if (source.empty()) {
    it->Seek(after.empty() ? rocksdb::Slice(kFirstDocumentKey)
                           : rocksdb::Slice(after.data(), after.size()));
    for (; it->Valid() && out.size() < limit; it->Next()) {
      if (it->key() == rocksdb::Slice(after.data(), after.size())) continue;
      auto info = ToInfo(std::string_view(it->key().data(), it->key().size()),
                         std::string_view(it->value().data(), it->value().size()));
      if (!info.ok()) return info.status();
      out.push_back(*std::move(info));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "document scan");
    return out;
  }
  // A source's documents: walk its manifest, read each record.
  const std::string prefix = SourceMemberPrefix(source);
  const std::string start = prefix + std::string(after);
  for (it->Seek(start); it->Valid() && it->key().starts_with(prefix) && out.size() < limit;
       it->Next()) {
    std::string_view id(it->key().data() + prefix.size(), it->key().size() - prefix.size());
    if (!after.empty() && id == after) continue;
    auto info = GetDocument(id);
    if (absl::IsNotFound(info.status())) continue;  // deleted after the manifest was read
    if (!info.ok()) return info.status();
    out.push_back(*std::move(info));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "manifest scan");
  return out;
}

absl::StatusOr<std::vector<std::string>> GraphStore::ReconcileSource(
    std::string_view source, const std::vector<std::string>& present) {
  if (read_only_) return absl::FailedPreconditionError("store is open read-only");
  if (absl::Status v = ValidateDocumentId(source, "source"); !v.ok()) return v;
  const absl::flat_hash_set<std::string_view> keep(present.begin(), present.end());
  std::vector<std::string> gone;
  {
    const std::string prefix = SourceMemberPrefix(source);
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), cfs_->documents));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      std::string id(it->key().data() + prefix.size(), it->key().size() - prefix.size());
      if (!keep.contains(id)) gone.push_back(std::move(id));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "manifest scan");
  }
  std::vector<std::string> deleted;
  for (const std::string& id : gone) {
    absl::Status s = DeleteDocument(id);
    if (absl::IsNotFound(s)) {
      // A manifest entry without its document: drop the entry alone.
      absl::MutexLock lock(&write_mu_);
      rocksdb::Status ds =
          db_->Delete(rocksdb::WriteOptions(), cfs_->documents, SourceMemberKey(source, id));
      if (!ds.ok()) return FromRocks(ds, "manifest cleanup");
      continue;
    }
    if (!s.ok()) return s;
    deleted.push_back(id);
  }
  return deleted;
}

}  // namespace kgraph::storage
