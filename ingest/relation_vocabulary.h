// Relation vocabulary: names, allowed subject/object types, broader relation
// and symmetry, loaded from TSV files (data/relations/relations.tsv plus any
// user files). Immutable after Load; thread-safe for reads.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

namespace kgraph::ingest {

struct RelationSpec {
  std::string name;
  absl::flat_hash_set<std::string> subject_types;
  absl::flat_hash_set<std::string> object_types;
  std::string broader;  // "" when none.
  bool symmetric = false;
  // A subject has one object of this relation at a time ("X, a unit of A"
  // names one parent), so a coordinated object ("a unit of A, and B") is
  // not a second one: it is the sentence's next list item. Read by the
  // surface and dependency patterns; the relation classifier predicts none
  // of the relations that have it.
  bool one_object = false;
};

class RelationVocabulary {
 public:
  // Reads TSV files with columns: name, subject types (A|B), object types,
  // broader ("-" for none), symmetric (yes/no), then objects per subject
  // ("one" or "many"; anything else there, as in files that predate the
  // column, means many), then anything. Later files may redefine a
  // relation. Errors name file and line.
  static absl::StatusOr<RelationVocabulary> Load(
      const std::vector<std::string>& paths);

  // nullptr iff unknown.
  const RelationSpec* Find(const std::string& name) const;
  bool Allows(const RelationSpec& spec, const std::string& subject_type,
              const std::string& object_type) const {
    return spec.subject_types.contains(subject_type) &&
           spec.object_types.contains(object_type);
  }
  const std::vector<RelationSpec>& relations() const { return relations_; }

 private:
  std::vector<RelationSpec> relations_;
  absl::flat_hash_map<std::string, size_t> index_;
};

}  // namespace kgraph::ingest
