// GraphStore's document write path: IngestDocument and DeleteDocument.
#include <algorithm>

#include <rocksdb/db.h>
#include <xxhash.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "model/name_key.h"
#include "model/text_limits.h"
#include "kgraph/storage/records.pb.h"
#include "storage/families.h"
#include "storage/graph_store.h"
#include "storage/relation_kind.h"
#include "storage/write_context.h"

namespace kgraph::storage {
namespace {

int64_t ParseDate(const std::string& date) {
  absl::CivilDay day;
  if (date.size() < 10 || !absl::ParseCivilTime(date.substr(0, 10), &day)) return 0;
  return absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone()));
}

// A fingerprint of everything the document would write, so that re-ingesting
// identical input is a no-op even when the caller gives no content hash.
uint64_t Fingerprint(const DocumentInput& doc) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  auto add = [&](std::string_view s) {
    uint64_t n = s.size();
    XXH3_64bits_update(st, &n, sizeof n);
    XXH3_64bits_update(st, s.data(), s.size());
  };
  auto add_num = [&](auto v) { XXH3_64bits_update(st, &v, sizeof v); };
  add(doc.title);
  add(doc.date);
  add(doc.url);
  add_num(doc.content_hash);
  for (const auto& e : doc.entities) {
    add(e.name);
    add(e.type);
    for (const auto& a : e.aliases) add(a);
    add_num(e.mentions);
    for (const auto& [k, v] : e.attributes) {
      add(k);
      add(v);
    }
  }
  for (const auto& t : doc.triples) {
    add(t.subject);
    add(t.relation);
    add(t.object);
    add_num(t.confidence);
    add(t.rule);
    add(t.sentence);
    add_num(t.start);
    add_num(t.end);
    // Only when known, so that documents stored before mention spans keep
    // their fingerprint (a re-ingest of them stays a no-op).
    for (const MentionSpan* m : {&t.subject_mention, &t.object_mention}) {
      if (m->end == 0 && m->resolved_from.empty()) continue;
      add_num(m->start);
      add_num(m->end);
      add(m->resolved_from);
    }
  }
  uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return h;
}

// A known mention lies inside its evidence sentence's bytes, and what it was
// resolved from is a short piece of valid text.
absl::Status ValidateMentionSpan(const MentionSpan& m, const TripleInput& t,
                                 const std::string& field) {
  if (m.start == 0 && m.end == 0) {
    if (m.resolved_from.empty()) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(field, ": resolved_from without offsets"));
  }
  if (m.start >= m.end || m.start < t.start || m.end > t.end) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": bytes [", m.start, ", ", m.end,
                                                   ") are not inside the sentence's [", t.start,
                                                   ", ", t.end, ")"));
  }
  if (m.resolved_from.size() > kMaxResolvedFromBytes || !IsValidUtf8(m.resolved_from)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".resolved_from: at most ",
                                                   kMaxResolvedFromBytes,
                                                   " bytes of valid UTF-8"));
  }
  return absl::OkStatus();
}

// Reads the record of `doc_id` into `rec`: true if stored, false if not.
absl::StatusOr<bool> ReadDocument(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* documents,
                                  const std::string& doc_id, DocumentRecord* rec) {
  std::string raw;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), documents, doc_id, &raw);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "document lookup");
  if (!rec->ParseFromString(raw)) {
    return absl::DataLossError(absl::StrCat("document ", QuoteForMessage(doc_id), ": unreadable record"));
  }
  return true;
}

}  // namespace

absl::Status ValidateDocumentId(std::string_view id, const char* field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": must not be empty"));
  if (id.size() > kMaxDocumentIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", id.size(),
                                                   " bytes exceeds the limit of ",
                                                   kMaxDocumentIdBytes));
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", QuoteForMessage(id), " contains a control character"));
    }
  }
  if (!IsValidUtf8(id)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", QuoteForMessage(id),
                                                   " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

absl::Status GraphStore::RetractDocumentNoLock(const DocumentRecord& rec, WriteContext* ctx) {
  const std::string& doc_id = rec.doc_id();
  if (rec.bulk()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", doc_id, "' is a bulk-load source; bulk loads cannot be retracted per source"));
  }
  const uint64_t doc_hash = DocumentHash(doc_id);

  // Edges: recompute each touched edge from the evidence that remains.
  absl::flat_hash_map<EdgeKey, int> touched;
  for (const auto& ref : rec.edges()) {
    EdgeKey e{ref.src(), ref.rel(), ref.dst()};
    touched[e]++;
    ctx->batch().Delete(cfs_->evidence, EvidenceKey(e, doc_hash, ref.evidence_seq()));
  }
  ctx->AddCounter(TotalCounterKey(kEvidenceTotal), -rec.edges_size());
  std::vector<EdgeKey> order;
  for (const auto& [e, n] : touched) order.push_back(e);
  std::sort(order.begin(), order.end());
  for (const EdgeKey& e : order) {
    auto before = ctx->EdgeState(e);
    if (!before.ok()) return before.status();
    EdgeStats old = before->value_or(EdgeStats{});
    EdgeStats rebuilt;
    rebuilt.bulk_count = old.bulk_count;
    double text_conf_sum = 0;
    rocksdb::ReadOptions ro;
    ro.prefix_same_as_start = true;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->evidence));
    std::string prefix = EvidencePrefix(e);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (DecodeBigEndian64(it->key().data() + kEdgeKeySize) == doc_hash) continue;
      EvidenceRecord ev;
      if (!ev.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("unreadable evidence record");
      }
      EdgeStats one;
      one.mentions = 1;
      one.confidence_sum = one.confidence_max = ev.confidence();
      one.first_seen = one.last_seen = ev.date();
      rebuilt.Add(one);
      text_conf_sum += ev.confidence();
    }
    if (!it->status().ok()) return FromRocks(it->status(), "evidence scan");
    if (old.bulk_count > 0) {
      // Bulk assertions keep their share of the confidence sum; their max is
      // not separable from the text evidence, so it is kept conservatively.
      double old_text_sum = 0;
      for (const auto& ref : rec.edges()) {
        if (EdgeKey{ref.src(), ref.rel(), ref.dst()} == e) old_text_sum += ref.confidence();
      }
      double bulk_sum = old.confidence_sum - old_text_sum - text_conf_sum;
      rebuilt.confidence_sum = text_conf_sum + std::max(0.0, bulk_sum);
      rebuilt.confidence_max = std::max(rebuilt.confidence_max, old.confidence_max);
    }
    if (rebuilt.weight() == 0 && before->has_value()) {
      ctx->AddCounter(TotalCounterKey(kEdgesTotal), -1);
      ctx->AddCounter(RelationEdgeCounterKey(e.rel), -1);
      ctx->AddEntityStats(e.src, {0, -1, 0});
      ctx->AddEntityStats(e.dst, {0, 0, -1});
      ctx->SetEdge(e, std::nullopt);
    } else {
      ctx->SetEdge(e, rebuilt);
    }
  }

  for (const auto& ent : rec.entities()) {
    ctx->AddEntityStats(ent.id(), {-static_cast<int64_t>(ent.mentions()), 0, 0});
    for (const auto& alias : ent.aliases()) {
      ctx->AddAliasRef(EntityAliasKey(ent.id(), alias), -1);
      ctx->AddNameRef(NameIndexKey(NameKey(alias), ent.id()), -1);
    }
  }
  ctx->AddCounter(TotalCounterKey(kDocumentsTotal), -1);
  ctx->batch().Delete(cfs_->documents, doc_id);
  // Its manifest entry and text index entry go with it (a replacing version
  // of the same document puts them back later in the same batch).
  if (!rec.source().empty()) ctx->batch().Delete(cfs_->documents, SourceMemberKey(rec.source(), doc_id));
  if (rec.text_hash() != 0) ctx->batch().Delete(cfs_->documents, TextHashKey(rec.text_hash()));
  return absl::OkStatus();
}

absl::StatusOr<IngestResult> GraphStore::IngestDocument(const DocumentInput& doc) {
  if (read_only_) return absl::FailedPreconditionError("store is open read-only");
  if (absl::Status v = ValidateDocumentId(doc.doc_id, "doc_id"); !v.ok()) return v;
  if (!doc.source.empty()) {
    if (absl::Status v = ValidateDocumentId(doc.source, "source"); !v.ok()) return v;
  }
  for (size_t i = 0; i < doc.entities.size(); ++i) {
    if (NameKey(doc.entities[i].name).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "entities[", i, "].name: '", doc.entities[i].name, "' has no letters or digits"));
    }
  }
  for (size_t i = 0; i < doc.triples.size(); ++i) {
    const auto& t = doc.triples[i];
    if (NameKey(t.subject).empty() || NameKey(t.object).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("triples[", i, "]: subject and object need letters or digits"));
    }
    if (t.relation.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("triples[", i, "].relation: empty"));
    }
    if (!(t.confidence >= 0.0 && t.confidence <= 1.0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("triples[", i, "].confidence: must be in [0, 1]"));
    }
    for (const auto& [m, field] : {std::pair(&t.subject_mention, "subject_mention"),
                                   std::pair(&t.object_mention, "object_mention")}) {
      if (absl::Status v = ValidateMentionSpan(*m, t, absl::StrCat("triples[", i, "].", field));
          !v.ok()) {
        return v;
      }
    }
  }

  absl::MutexLock lock(&write_mu_);
  IngestResult result;
  const uint64_t fingerprint = Fingerprint(doc);
  WriteContext ctx(db_.get(), cfs_.get());
  DocumentRecord old;
  absl::StatusOr<bool> stored = ReadDocument(db_.get(), cfs_->documents, doc.doc_id, &old);
  if (!stored.ok()) return stored.status();
  if (doc.text_hash != 0) {
    // The same text under another id (another file name, a copy of a page):
    // stored once, and the caller is told which document holds it.
    std::string holder;
    rocksdb::Status hs =
        db_->Get(rocksdb::ReadOptions(), cfs_->documents, TextHashKey(doc.text_hash), &holder);
    if (!hs.ok() && !hs.IsNotFound()) return FromRocks(hs, "text index lookup");
    if (hs.ok() && holder != doc.doc_id) {
      result.duplicate_of = holder;
      return result;
    }
  }
  if (*stored) {
    if (old.content_hash() == fingerprint && old.source() == doc.source &&
        old.text_hash() == doc.text_hash) {
      result.unchanged = true;
      return result;
    }
    absl::Status rs = RetractDocumentNoLock(old, &ctx);
    if (!rs.ok()) return rs;
    result.replaced = true;
  }

  DocumentRecord rec;
  rec.set_doc_id(doc.doc_id);
  rec.set_title(doc.title);
  rec.set_date(doc.date);
  rec.set_url(doc.url);
  rec.set_content_hash(fingerprint);
  rec.set_source(doc.source);
  rec.set_text_hash(doc.text_hash);
  const int64_t date = ParseDate(doc.date);

  // Entities: resolve each to an id, reusing a stored entity that already
  // owns one of its names (cross-document alias resolution).
  std::vector<EntityInput> entities = doc.entities;
  absl::flat_hash_map<std::string, size_t> by_key;  // NameKey -> index in entities
  for (size_t i = 0; i < entities.size(); ++i) {
    by_key.emplace(NameKey(entities[i].name), i);
    for (const auto& a : entities[i].aliases) by_key.emplace(NameKey(a), i);
  }
  for (const auto& t : doc.triples) {
    for (const std::string* n : {&t.subject, &t.object}) {
      std::string k = NameKey(*n);
      if (!by_key.contains(k)) {
        by_key.emplace(k, entities.size());
        EntityInput implicit;
        implicit.name = *n;
        implicit.mentions = 1;  // named by a triple, so mentioned once
        entities.push_back(std::move(implicit));
      }
    }
  }

  absl::flat_hash_map<EntityId, bool> created;
  std::vector<EntityId> ids(entities.size());
  absl::flat_hash_map<EntityId, size_t> rec_index;  // entity id -> rec.entities index
  for (size_t i = 0; i < entities.size(); ++i) {
    const EntityInput& in = entities[i];
    const std::string key = IdentityKey(in.name);
    EntityId id = EntityIdForKey(key);
    std::string raw;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->entities, EntityKey(id), &raw);
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "entity lookup");
    bool exists = s.ok() || created.contains(id);
    if (!exists) {
      // Not stored under its own key: does a stored entity own one of its names?
      std::vector<std::string> names = {in.name};
      names.insert(names.end(), in.aliases.begin(), in.aliases.end());
      for (const auto& n : names) {
        if (NameKey(n).size() < 2) continue;
        auto found = FindByName(n);
        if (!found.ok()) return found.status();
        EntityId best = 0;
        for (EntityId cand : *found) {
          auto e = GetEntity(cand);
          if (!e.ok()) continue;
          if (!e->type.empty() && !in.type.empty() && e->type != in.type) continue;
          if (best == 0 || cand < best) best = cand;
        }
        if (best != 0) {
          id = best;
          exists = true;
          s = db_->Get(rocksdb::ReadOptions(), cfs_->entities, EntityKey(id), &raw);
          break;
        }
      }
    }
    EntityRecord er;
    bool dirty = false;
    if (s.ok() && exists) {
      if (!er.ParseFromString(raw)) {
        return absl::DataLossError(absl::StrCat("entity ", id, ": unreadable record"));
      }
      if (id == EntityIdForKey(key) && er.canonical_key() != key &&
          EntityIdForKey(er.canonical_key()) == id) {
        return absl::InternalError(absl::StrCat("entity id collision: '", er.canonical_key(),
                                                "' and '", key, "' both hash to ", id));
      }
      if (er.type().empty() && !in.type.empty()) {
        er.set_type(in.type);
        dirty = true;
      }
      for (const auto& [k, v] : in.attributes) {
        auto it = er.attributes().find(k);
        if (it == er.attributes().end() || it->second != v) {
          (*er.mutable_attributes())[k] = v;
          dirty = true;
        }
      }
    } else if (!exists) {
      er.set_id(id);
      er.set_canonical_key(key);
      er.set_name(in.name);
      er.set_type(in.type);
      er.mutable_attributes()->insert(in.attributes.begin(), in.attributes.end());
      dirty = true;
      created[id] = true;
      result.entities_created++;
      ctx.AddCounter(TotalCounterKey(kEntitiesTotal), 1);
      // The record's own name holds one reference for as long as the entity
      // exists, so it stays findable after the document that coined it goes.
      ctx.AddAliasRef(EntityAliasKey(id, in.name), 1);
      ctx.AddNameRef(NameIndexKey(NameKey(in.name), id), 1);
    }
    if (dirty) ctx.batch().Put(cfs_->entities, EntityKey(id), er.SerializeAsString());
    ids[i] = id;

    auto [ri, fresh_ref] = rec_index.emplace(id, rec.entities_size());
    DocumentRecord::EntityRef* ref =
        fresh_ref ? rec.add_entities() : rec.mutable_entities(static_cast<int>(ri->second));
    ref->set_id(id);
    ref->set_mentions(ref->mentions() + static_cast<uint64_t>(std::max<int64_t>(0, in.mentions)));
    ctx.AddEntityStats(id, {std::max<int64_t>(0, in.mentions), 0, 0});
    std::vector<std::string> names = {in.name};
    names.insert(names.end(), in.aliases.begin(), in.aliases.end());
    for (const auto& n : names) {
      if (NameKey(n).empty()) continue;
      if (std::find(ref->aliases().begin(), ref->aliases().end(), n) != ref->aliases().end()) {
        continue;
      }
      ref->add_aliases(n);
      ctx.AddAliasRef(EntityAliasKey(id, n), 1);
      ctx.AddNameRef(NameIndexKey(NameKey(n), id), 1);
    }
  }

  // Relations and edges.
  absl::flat_hash_map<std::string, RelationId> new_relations;
  absl::flat_hash_set<EdgeKey> co_mention_edges;  // co-mention edges this document named
  for (size_t i = 0; i < doc.triples.size(); ++i) {
    const TripleInput& t = doc.triples[i];
    RelationId rel = RelationIdForName(t.relation);
    std::string known = RelationName(rel);
    if (known.empty()) {
      if (!new_relations.contains(t.relation)) {
        RelationRecord rr;
        rr.set_id(rel);
        rr.set_name(t.relation);
        ctx.batch().Put(cfs_->relations, RelationKey(rel), rr.SerializeAsString());
        new_relations[t.relation] = rel;
      }
    } else if (known != t.relation) {
      return absl::InternalError(absl::StrCat("relation id collision: '", known, "' and '",
                                              t.relation, "'"));
    }
    EdgeKey e{ids[by_key.at(NameKey(t.subject))], rel, ids[by_key.at(NameKey(t.object))]};
    if (e.src == e.dst) continue;  // an entity related to itself says nothing
    // A co-mention is symmetric and its weight counts documents: both orders
    // fold into one edge (lower id first), once per document, and it carries
    // no confidence whatever the caller sent.
    const bool co_mention = RelationKindForName(t.relation) == RelationKind::kCoMention;
    if (co_mention) {
      if (e.dst < e.src) std::swap(e.src, e.dst);
      if (!co_mention_edges.insert(e).second) continue;
    }
    const double confidence = co_mention ? 0.0 : t.confidence;
    auto state = ctx.EdgeState(e);
    if (!state.ok()) return state.status();
    if (!state->has_value()) {
      result.edges_created++;
      ctx.AddCounter(TotalCounterKey(kEdgesTotal), 1);
      ctx.AddCounter(RelationEdgeCounterKey(rel), 1);
      ctx.AddEntityStats(e.src, {0, 1, 0});
      ctx.AddEntityStats(e.dst, {0, 0, 1});
    }
    EdgeStats delta;
    delta.mentions = 1;
    delta.confidence_sum = delta.confidence_max = confidence;
    delta.first_seen = delta.last_seen = date;
    ctx.AddToEdge(e, delta);

    const uint32_t seq = static_cast<uint32_t>(i);
    EvidenceRecord ev;
    ev.set_doc_id(doc.doc_id);
    ev.set_sentence(t.sentence);
    ev.set_start(t.start);
    ev.set_end(t.end);
    ev.set_rule(t.rule);
    ev.set_confidence(confidence);
    ev.set_date(date);
    ev.set_subject_start(t.subject_mention.start);
    ev.set_subject_end(t.subject_mention.end);
    ev.set_object_start(t.object_mention.start);
    ev.set_object_end(t.object_mention.end);
    ev.set_subject_resolved_from(t.subject_mention.resolved_from);
    ev.set_object_resolved_from(t.object_mention.resolved_from);
    ctx.batch().Put(cfs_->evidence, EvidenceKey(e, DocumentHash(doc.doc_id), seq),
                    ev.SerializeAsString());
    ctx.AddCounter(TotalCounterKey(kEvidenceTotal), 1);
    result.evidence_written++;
    auto* ref = rec.add_edges();
    ref->set_src(e.src);
    ref->set_rel(e.rel);
    ref->set_dst(e.dst);
    ref->set_evidence_seq(seq);
    ref->set_confidence(confidence);
  }

  // Entities a replaced version mentioned but this one does not may now be
  // orphans; so may implicit ones. Remove those left with nothing.
  if (result.replaced) {
    absl::Status rs = RemoveOrphansNoLock(old, &ctx);
    if (!rs.ok()) return rs;
  }

  ctx.AddCounter(TotalCounterKey(kDocumentsTotal), 1);
  ctx.batch().Put(cfs_->documents, doc.doc_id, rec.SerializeAsString());
  if (!doc.source.empty()) ctx.batch().Put(cfs_->documents, SourceMemberKey(doc.source, doc.doc_id), "");
  if (doc.text_hash != 0) ctx.batch().Put(cfs_->documents, TextHashKey(doc.text_hash), doc.doc_id);
  absl::Status fs = ctx.Finish();
  if (!fs.ok()) return fs;
  rocksdb::Status ws = db_->Write(rocksdb::WriteOptions(), &ctx.batch());
  // Also after a failed write, which may have applied part of the batch.
  InvalidateCachedEntities(ctx.batch());
  if (!ws.ok()) return FromRocks(ws, absl::StrCat("writing document ", QuoteForMessage(doc.doc_id)));
  if (!new_relations.empty()) {
    absl::MutexLock rl(&relations_mu_);
    for (const auto& [name, id] : new_relations) {
      relation_names_[id] = name;
      relation_ids_[name] = id;
    }
  }
  return result;
}

absl::Status GraphStore::RemoveEntityNoLock(EntityId id, WriteContext* ctx) {
  rocksdb::ReadOptions ro;
  ro.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->entities));
  std::string prefix = EntityKey(id);
  bool had_record = false;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() == kEntityIdSize) had_record = true;
    if (it->key().size() > kEntityIdSize + 1 && it->key()[kEntityIdSize] == kAliasTag) {
      std::string alias(it->key().data() + kEntityIdSize + 1,
                        it->key().size() - kEntityIdSize - 1);
      ctx->DropAliasRef(it->key().ToString());
      ctx->DropNameRef(NameIndexKey(NameKey(alias), id));
    }
    ctx->batch().Delete(cfs_->entities, it->key());
  }
  if (!it->status().ok()) return FromRocks(it->status(), "entity scan");
  if (had_record) ctx->AddCounter(TotalCounterKey(kEntitiesTotal), -1);
  ctx->DropEntityStats(id);
  return absl::OkStatus();
}

absl::Status GraphStore::RemoveOrphansNoLock(const DocumentRecord& retracted, WriteContext* ctx) {
  for (const auto& ent : retracted.entities()) {
    if (!ctx->EntityStatsNow(ent.id()).empty()) continue;
    absl::Status rs = RemoveEntityNoLock(ent.id(), ctx);
    if (!rs.ok()) return rs;
  }
  return absl::OkStatus();
}

absl::Status GraphStore::DeleteDocument(std::string_view doc_id) {
  if (read_only_) return absl::FailedPreconditionError("store is open read-only");
  absl::MutexLock lock(&write_mu_);
  std::string id(doc_id);
  WriteContext ctx(db_.get(), cfs_.get());
  DocumentRecord rec;
  absl::StatusOr<bool> stored = ReadDocument(db_.get(), cfs_->documents, id, &rec);
  if (!stored.ok()) return stored.status();
  if (!*stored) return absl::NotFoundError(absl::StrCat("no document ", QuoteForMessage(id)));
  absl::Status rs = RetractDocumentNoLock(rec, &ctx);
  if (!rs.ok()) return rs;
  rs = RemoveOrphansNoLock(rec, &ctx);
  if (!rs.ok()) return rs;
  absl::Status fs = ctx.Finish();
  if (!fs.ok()) return fs;
  rocksdb::Status ws = db_->Write(rocksdb::WriteOptions(), &ctx.batch());
  InvalidateCachedEntities(ctx.batch());  // also after a failed, maybe partial, write
  return FromRocks(ws, absl::StrCat("deleting document ", QuoteForMessage(id)));
}

}  // namespace kgraph::storage
