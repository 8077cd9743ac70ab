#include "ingest/relation_vocabulary.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ingest/data_file.h"

namespace kgraph::ingest {

absl::StatusOr<RelationVocabulary> RelationVocabulary::Load(
    const std::vector<std::string>& paths) {
  RelationVocabulary v;
  for (const std::string& path : paths) {
    absl::Status s = ForEachDataLine(path, [&](int line_no, absl::string_view line) {
      std::vector<std::string> cols = absl::StrSplit(line, '\t');
      if (cols.size() < 5) {
        return DataLineError(path, line_no,
                             "expected name, subject types, object types, broader, symmetric");
      }
      RelationSpec spec;
      spec.name = cols[0];
      for (absl::string_view t : absl::StrSplit(cols[1], '|')) {
        spec.subject_types.insert(std::string(t));
      }
      for (absl::string_view t : absl::StrSplit(cols[2], '|')) {
        spec.object_types.insert(std::string(t));
      }
      spec.broader = cols[3] == "-" ? "" : cols[3];
      if (cols[4] != "yes" && cols[4] != "no") {
        return DataLineError(path, line_no,
                             absl::StrCat("symmetric must be yes or no, got '", cols[4], "'"));
      }
      spec.symmetric = cols[4] == "yes";
      // Files written before the objects column have the free-text meaning
      // there; only "one" or "many" is read as the column, and a
      // differently cased one ("One") is taken for a typo, not a meaning.
      if (cols.size() > 5 && cols[5] != "one" && cols[5] != "many" &&
          (absl::EqualsIgnoreCase(cols[5], "one") || absl::EqualsIgnoreCase(cols[5], "many"))) {
        return DataLineError(path, line_no,
                             absl::StrCat("objects must be one or many (lower case), got '",
                                          cols[5], "'"));
      }
      spec.one_object = cols.size() > 5 && cols[5] == "one";
      auto it = v.index_.find(spec.name);
      if (it != v.index_.end()) {
        v.relations_[it->second] = std::move(spec);
      } else {
        v.index_[spec.name] = v.relations_.size();
        v.relations_.push_back(std::move(spec));
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
  }
  return v;
}

const RelationSpec* RelationVocabulary::Find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &relations_[it->second];
}

}  // namespace kgraph::ingest
