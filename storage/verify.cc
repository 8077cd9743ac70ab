// GraphStore::Verify: a read-only consistency check of the whole store.
#include <rocksdb/db.h>

#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "kgraph/storage/records.pb.h"
#include "storage/families.h"
#include "storage/graph_store.h"

namespace kgraph::storage {
namespace {

constexpr size_t kMaxProblems = 100;

void Report(VerifyReport* r, std::string msg) {
  if (r->problems.size() < kMaxProblems) r->problems.push_back(std::move(msg));
}

}  // namespace

absl::StatusOr<VerifyReport> GraphStore::Verify() const {
  VerifyReport report;
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;
  const rocksdb::Snapshot* snap = db_->GetSnapshot();
  ro.snapshot = snap;
  struct Release {
    rocksdb::DB* db;
    const rocksdb::Snapshot* s;
    ~Release() { db->ReleaseSnapshot(s); }
  } release{db_.get(), snap};

  auto counter = [&](const std::string& key) -> int64_t {
    std::string v;
    return db_->Get(ro, cfs_->counters, key, &v).ok() ? DecodeInt64(v) : 0;
  };

  // Entities.
  absl::flat_hash_map<EntityId, bool> entities;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->entities));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != kEntityIdSize) continue;
      EntityId id = DecodeBigEndian64(it->key().data());
      EntityRecord rec;
      if (!rec.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        Report(&report, absl::StrCat("entity ", id, ": unreadable record"));
        continue;
      }
      if (rec.id() != id) Report(&report, absl::StrCat("entity ", id, ": record names id ", rec.id()));
      entities[id] = true;
      report.entities_checked++;
    }
    if (!it->status().ok()) return FromRocks(it->status(), "entity scan");
  }
  if (counter(TotalCounterKey(kEntitiesTotal)) != report.entities_checked) {
    Report(&report, absl::StrCat("entity counter says ", counter(TotalCounterKey(kEntitiesTotal)),
                                 ", found ", report.entities_checked));
  }

  // Out-edges: twin, endpoints, evidence, counters.
  absl::flat_hash_map<RelationId, int64_t> per_relation;
  absl::flat_hash_map<EntityId, int64_t> out_degree, in_degree;
  int64_t evidence_total = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->out_edges));
    std::unique_ptr<rocksdb::Iterator> ev(db_->NewIterator(ro, cfs_->evidence));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      report.edges_checked++;
      if (it->key().size() != kEdgeKeySize) {
        Report(&report, "out_edges: key of wrong size");
        continue;
      }
      EdgeKey e = DecodeOutEdgeKey(std::string_view(it->key().data(), it->key().size()));
      std::string where = absl::StrCat("edge ", e.src, " -", RelationName(e.rel), "-> ", e.dst);
      EdgeStats st;
      if (!DecodeEdgeStats(std::string_view(it->value().data(), it->value().size()), &st)) {
        Report(&report, where + ": bad stats");
        continue;
      }
      std::string twin;
      rocksdb::Status s = db_->Get(ro, cfs_->in_edges, InEdgeKey(e), &twin);
      if (!s.ok()) {
        Report(&report, where + ": no in-edge twin");
      } else if (twin != it->value().ToString()) {
        Report(&report, where + ": in-edge twin has different properties");
      }
      if (!entities.contains(e.src)) Report(&report, where + ": source entity missing");
      if (!entities.contains(e.dst)) Report(&report, where + ": target entity missing");
      if (RelationName(e.rel).empty()) Report(&report, where + ": relation not registered");
      int64_t n = 0;
      std::string prefix = EvidencePrefix(e);
      for (ev->Seek(prefix); ev->Valid() && ev->key().starts_with(prefix); ev->Next()) ++n;
      evidence_total += n;
      if (n != st.mentions) {
        Report(&report, absl::StrCat(where, ": ", n, " evidence records but mention count ", st.mentions));
      }
      if (st.weight() <= 0) Report(&report, where + ": no evidence and no bulk-load source");
      per_relation[e.rel]++;
      out_degree[e.src]++;
      in_degree[e.dst]++;
    }
    if (!it->status().ok()) return FromRocks(it->status(), "edge scan");
  }
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->in_edges));
    int64_t in_count = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++in_count;
      if (it->key().size() != kEdgeKeySize) continue;
      EdgeKey e = DecodeInEdgeKey(std::string_view(it->key().data(), it->key().size()));
      std::string twin;
      if (!db_->Get(ro, cfs_->out_edges, OutEdgeKey(e), &twin).ok()) {
        Report(&report, absl::StrCat("in-edge ", e.dst, " <-", RelationName(e.rel), "- ", e.src,
                                     ": no out-edge twin"));
      }
    }
    if (in_count != report.edges_checked) {
      Report(&report, absl::StrCat(report.edges_checked, " out-edges but ", in_count, " in-edges"));
    }
  }
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->evidence));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      report.evidence_checked++;
      // Each record reads, and the argument mentions it locates lie inside
      // its sentence (the evidence view highlights them there).
      EvidenceRecord rec;
      if (!rec.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        Report(&report, absl::StrCat("evidence record ", report.evidence_checked, ": unreadable"));
        continue;
      }
      for (const auto& [start, end, which] :
           {std::tuple(rec.subject_start(), rec.subject_end(), "subject"),
            std::tuple(rec.object_start(), rec.object_end(), "object")}) {
        if (start == 0 && end == 0) continue;
        if (start >= end || start < rec.start() || end > rec.end()) {
          Report(&report, absl::StrCat("evidence of document ", rec.doc_id(), ": ", which,
                                       " mention [", start, ", ", end,
                                       ") outside its sentence [", rec.start(), ", ", rec.end(),
                                       ")"));
        }
      }
    }
    if (report.evidence_checked != evidence_total) {
      Report(&report, absl::StrCat(report.evidence_checked - evidence_total,
                                   " evidence records belong to no edge"));
    }
  }
  if (counter(TotalCounterKey(kEdgesTotal)) != report.edges_checked) {
    Report(&report, absl::StrCat("edge counter says ", counter(TotalCounterKey(kEdgesTotal)),
                                 ", found ", report.edges_checked));
  }
  if (counter(TotalCounterKey(kEvidenceTotal)) != report.evidence_checked) {
    Report(&report, absl::StrCat("evidence counter says ", counter(TotalCounterKey(kEvidenceTotal)),
                                 ", found ", report.evidence_checked));
  }
  for (const auto& r : ListRelations()) {
    int64_t found = per_relation.contains(r.id) ? per_relation[r.id] : 0;
    if (counter(RelationEdgeCounterKey(r.id)) != found) {
      Report(&report, absl::StrCat("relation ", r.name, ": counter says ",
                                   counter(RelationEdgeCounterKey(r.id)), ", found ", found));
    }
  }
  for (const auto& [id, present] : entities) {
    int64_t o = out_degree.contains(id) ? out_degree[id] : 0;
    int64_t i = in_degree.contains(id) ? in_degree[id] : 0;
    std::string v;
    EntityStats st;
    if (db_->Get(ro, cfs_->entities, EntityStatsKey(id), &v).ok()) st = DecodeEntityStats(v);
    if (st.out_degree != o || st.in_degree != i) {
      Report(&report, absl::StrCat("entity ", id, ": degree counters (", st.out_degree, ", ",
                                   st.in_degree, ") but edges (", o, ", ", i, ")"));
    }
    if (st.mentions <= 0 && o == 0 && i == 0) {
      Report(&report, absl::StrCat("entity ", id, ": no mention and no edge (should be gone)"));
    }
  }
  return report;
}

}  // namespace kgraph::storage
