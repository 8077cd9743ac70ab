// Gazetteer: word lists and place names the recognizer consults. Loaded once
// from data/gazetteers (small curated lists), from the wamerican, iso-codes
// and tzdata packages at run time (dictionary words, countries, subdivisions,
// cities) and from the city list generated at build time from libgeonames0
// (tools/gen_cities.py). Immutable after Load; thread-safe for concurrent
// reads.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

namespace kgraph::ingest {

enum class WordList {
  kAbbreviation,     // Keep trailing period: corp, mr.
  kSentenceStarter,  // Capitalized function words after an abbreviation.
  kCommonWord,       // Ordinary words when capitalized at sentence start.
  kNonEntity,        // Never a name: months, weekdays, "I".
  kOrgSuffix,        // Last word of an organization name.
  kOrgWord,          // Anywhere in an organization name.
  kPersonTitle,      // President, CEO, analyst (multi-word allowed).
  kHeadTitle,        // Titles meaning "head of".
  kTitleModifier,    // Treasury (Secretary), Vice (President).
  kConnector,        // of, von, de inside names.
  kProductNoun,      // chip, model, framework.
  kSpeechVerb,       // said, told.
  kGpeNoun,          // territory, province.
  kFirstName,
  kGenericTerm,      // AI, GPUs, ETF: never an entity on their own.
  kShareClassWord,   // class, series: with a letter after it, a share class.
  kPlaceFirstWord,   // lake, mount: "Lake Victoria" is a place.
  kPlaceLastWord,    // county, river: "King County" is a place.
  kLegalForm,        // inc, l.p.: after a comma, still the company's name.
  kNameSuffix,       // jr, iii: end a person's name.
  kCompassWord,      // western, central: before a place, a region of it.
  kProductCategory,  // printer, chip: heads of product phrases (lemmas).
  kModifiedProductCategory,  // product, service: only with a modifier.
  kPhraseLeadingWord,        // new, several: trimmed from product phrases.
  kPossessiveNameWord,       // people, children: "People's Party" is one name.
  kEventLastWord,            // war, prize: "World War II" is MISC.
  kDepartmentWord,           // operations, marketing: "Vice President of Sales and Marketing".
  kPartyMemberWord,          // democrat, republican: "a California Democrat" is no entity.
  kLegislatureWord,          // senate, house: "Senate Republicans" are no entity either.
  kPartnershipWord,          // co, company, sons, partners: "Kidder, Peabody and Co".
  kCompanyNoun,              // company, maker, airline: "X, Canada's state oil company,".
  kCount,
};

struct GazetteerPaths {
  std::string data_dir;  // Holds gazetteers/*.txt|tsv.
  std::string iso_codes_dir = "/usr/share/iso-codes/json";
  std::string zone_tab = "/usr/share/zoneinfo/zone1970.tab";
  // Debian wamerican word list (required).
  std::string dictionary = "/usr/share/dict/american-english";
  // Holds gazetteers/cities.tsv, written at build time by tools/gen_cities.py.
  // Empty: ResolveGeneratedDataDir("").
  std::string generated_data_dir;
};

// `dir` if set, else $KGRAPH_GENERATED_DATA_DIR, else the compiled-in build
// directory's data/.
std::string ResolveGeneratedDataDir(const std::string& dir);

class Gazetteer {
 public:
  // Loads every list. A missing curated file, dictionary or generated city
  // list, or a malformed line, is an error naming the file (and line, and the
  // package or build step that provides it); missing iso-codes or tzdata
  // files are tolerated (fewer places are recognized).
  static absl::StatusOr<std::unique_ptr<Gazetteer>> Load(
      const GazetteerPaths& paths);

  // `folded` is a case-folded word or space-joined phrase.
  bool Contains(WordList list, absl::string_view folded) const {
    return lists_[static_cast<size_t>(list)].contains(folded);
  }
  const absl::flat_hash_set<std::string>& List(WordList list) const {
    return lists_[static_cast<size_t>(list)];
  }
  // Word sequences (folded) that, right before or after a name with no
  // other cue, make it an organization (gazetteers/org_context.txt).
  const std::vector<std::vector<std::string>>& org_context_before() const {
    return org_context_[0];
  }
  const std::vector<std::vector<std::string>>& org_context_after() const {
    return org_context_[1];
  }
  // Longest multi-word title, in words.
  int max_title_words() const { return max_title_words_; }

  // Canonical place name for a surface form, or nullptr. Lookup is by
  // NameKey, so "U.S." and "US" agree.
  const std::string* FindPlace(absl::string_view surface) const;
  // True iff the surface is an alias (first column) of gpe_aliases.tsv: a
  // curated name, which wins even over a company suffix in it ("West Bank").
  bool IsListedPlace(absl::string_view surface) const;
  // Canonical name of a well-known organization for one of its short forms
  // ("Fed" -> "Federal Reserve"; gazetteers/org_aliases.tsv), or nullptr.
  // Lookup is by NameKey.
  const std::string* FindOrganization(absl::string_view surface) const;
  // True iff the place is a country (iso 3166-1 or an alias of one).
  bool IsCountry(const std::string& canonical) const {
    return countries_.contains(canonical);
  }
  // True iff the place is a country or a state, province or region (iso
  // 3166-2 subdivisions that are no city): what qualifies a town after a
  // comma ("Tupelo, Miss.", "Davos, Switzerland"), as a city does not.
  bool IsRegion(const std::string& canonical) const {
    return countries_.contains(canonical) || regions_.contains(canonical);
  }
  // Country for a folded demonym ("french" -> "France"), or nullptr.
  const std::string* FindDemonym(absl::string_view folded) const;

 private:
  Gazetteer() = default;
  absl::Status LoadList(const std::string& path, WordList list);
  // Adds to kCommonWord the dictionary words that occur only in lowercase
  // and are neither given names nor `cities`.
  absl::Status LoadDictionaryWords(
      const std::string& path,
      const std::vector<std::pair<std::string, std::string>>& cities);
  absl::Status LoadTsv(const std::string& path,
                       absl::flat_hash_map<std::string, std::string>& out,
                       bool key_by_name);
  void LoadIsoCountries(const std::string& path);
  // Countries that no longer exist (iso 3166-3): Czechoslovakia, Zaire.
  void LoadIsoFormerCountries(const std::string& path);
  void LoadIsoSubdivisions(const std::string& path);
  void LoadZoneCities(const std::string& path);
  void AddPlace(absl::string_view surface, const std::string& canonical,
                bool override_existing);

  std::array<absl::flat_hash_set<std::string>,
             static_cast<size_t>(WordList::kCount)>
      lists_;
  int max_title_words_ = 1;
  std::vector<std::vector<std::string>> org_context_[2];  // before, after
  absl::flat_hash_map<std::string, std::string> places_;     // NameKey -> name.
  absl::flat_hash_map<std::string, std::string> organizations_;  // NameKey -> name.
  absl::flat_hash_set<std::string> listed_places_;               // NameKeys of gpe_aliases.tsv.
  absl::flat_hash_set<std::string> countries_;               // Canonical names.
  absl::flat_hash_set<std::string> regions_;                 // Subdivisions, canonical.
  absl::flat_hash_map<std::string, std::string> demonyms_;   // Folded -> country.
};

}  // namespace kgraph::ingest
