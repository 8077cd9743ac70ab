// DumpStore: a deterministic text rendering of everything a GraphStore
// exposes through its public API (totals, relations, the name index, every
// named entity with its edges in both directions and their evidence, and the
// Verify report), so tests can assert "nothing changed" with one comparison.
#pragma once

#include <cstdio>
#include <set>
#include <sstream>
#include <string>

#include "storage/graph_store.h"

namespace kgraph::testing {

inline std::string Hex(const std::string& bytes) {
  std::string out;
  char buf[3];
  for (unsigned char c : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

inline std::string DumpStore(const storage::GraphStore& g) {
  using storage::Direction;
  using storage::Edge;
  std::ostringstream o;
  o.precision(17);
  auto st = g.GetStats();
  if (!st.ok()) return "GetStats failed: " + std::string(st.status().message());
  o << "entities=" << st->entities << " edges=" << st->edges << " evidence=" << st->evidence
    << " documents=" << st->documents << "\n";
  for (const auto& r : st->relations) o << "relation " << r.id << " " << r.name << " " << r.edges << "\n";
  std::set<EntityId> ids;
  absl::Status s = g.ScanNamePrefix("", [&](std::string_view key, EntityId id) {
    o << "name " << key << " -> " << id << "\n";
    ids.insert(id);
    return true;
  });
  if (!s.ok()) o << "ScanNamePrefix failed: " << s.message() << "\n";
  auto edge_line = [&](const char* dir, const Edge& e) {
    o << "  " << dir << " " << e.key.src << " " << e.key.rel << " " << e.key.dst
      << " m=" << e.stats.mentions << " b=" << e.stats.bulk_count << " sum=" << e.stats.confidence_sum
      << " max=" << e.stats.confidence_max << " first=" << e.stats.first_seen
      << " last=" << e.stats.last_seen << "\n";
  };
  for (EntityId id : ids) {
    auto e = g.GetEntity(id);
    if (!e.ok()) {
      o << "entity " << id << " " << e.status().ToString() << "\n";
      continue;
    }
    o << "entity " << id << " name=" << e->name << " type=" << e->type << " key=" << e->canonical_key
      << " mentions=" << e->mentions << " out=" << e->out_degree << " in=" << e->in_degree << "\n";
    for (const auto& a : e->aliases) o << "  alias " << a << "\n";
    for (const auto& [k, v] : e->attributes) o << "  attr " << k << "=" << v << "\n";
    s = g.ScanEdges(id, Direction::kOut, nullptr, [&](const Edge& edge) {
      edge_line("out", edge);
      absl::Status es = g.ScanEvidence(edge.key, "", [&](const storage::Evidence& ev) {
        o << "    evidence " << Hex(ev.cursor) << " doc=" << ev.doc_id << " rule=" << ev.rule
          << " conf=" << ev.confidence << " date=" << ev.date << " span=" << ev.start << "-"
          << ev.end << " " << ev.sentence << "\n";
        return true;
      });
      if (!es.ok()) o << "    ScanEvidence failed: " << es.message() << "\n";
      return true;
    });
    if (!s.ok()) o << "  ScanEdges(out) failed: " << s.message() << "\n";
    s = g.ScanEdges(id, Direction::kIn, nullptr, [&](const Edge& edge) {
      edge_line("in", edge);
      return true;
    });
    if (!s.ok()) o << "  ScanEdges(in) failed: " << s.message() << "\n";
  }
  auto v = g.Verify();
  if (!v.ok()) {
    o << "Verify failed: " << v.status().message() << "\n";
  } else {
    o << "verify entities=" << v->entities_checked << " edges=" << v->edges_checked
      << " evidence=" << v->evidence_checked << "\n";
    for (const auto& p : v->problems) o << "PROBLEM " << p << "\n";
  }
  return o.str();
}

}  // namespace kgraph::testing
