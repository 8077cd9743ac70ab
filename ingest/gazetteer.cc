#include "ingest/gazetteer.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ingest/data_file.h"
#include "ingest/tokenizer.h"
#include "model/name_key.h"

#ifndef KGRAPH_GENERATED_DATA_DIR
#define KGRAPH_GENERATED_DATA_DIR "data"
#endif

namespace kgraph::ingest {
namespace {

constexpr std::pair<WordList, const char*> kListFiles[] = {
    {WordList::kAbbreviation, "abbreviations.txt"},
    {WordList::kSentenceStarter, "sentence_starters.txt"},
    {WordList::kCommonWord, "common_words.txt"},
    {WordList::kNonEntity, "non_entities.txt"},
    {WordList::kOrgSuffix, "org_suffixes.txt"},
    {WordList::kOrgWord, "org_words.txt"},
    {WordList::kPersonTitle, "person_titles.txt"},
    {WordList::kHeadTitle, "head_titles.txt"},
    {WordList::kTitleModifier, "title_modifiers.txt"},
    {WordList::kConnector, "connectors.txt"},
    {WordList::kProductNoun, "product_nouns.txt"},
    {WordList::kSpeechVerb, "speech_verbs.txt"},
    {WordList::kGpeNoun, "gpe_nouns.txt"},
    {WordList::kFirstName, "first_names.txt"},
    {WordList::kGenericTerm, "generic_terms.txt"},
    {WordList::kShareClassWord, "share_class_words.txt"},
    {WordList::kPlaceFirstWord, "place_first_words.txt"},
    {WordList::kPlaceLastWord, "place_last_words.txt"},
    {WordList::kLegalForm, "legal_forms.txt"},
    {WordList::kNameSuffix, "name_suffixes.txt"},
    {WordList::kCompassWord, "compass_words.txt"},
    {WordList::kProductCategory, "product_categories.txt"},
    {WordList::kModifiedProductCategory, "modified_product_categories.txt"},
    {WordList::kPhraseLeadingWord, "phrase_leading_words.txt"},
    {WordList::kPossessiveNameWord, "possessive_name_words.txt"},
    {WordList::kEventLastWord, "event_last_words.txt"},
    {WordList::kDepartmentWord, "department_words.txt"},
    {WordList::kPartyMemberWord, "party_member_words.txt"},
    {WordList::kLegislatureWord, "legislature_words.txt"},
    {WordList::kPartnershipWord, "partnership_words.txt"},
    {WordList::kCompanyNoun, "company_nouns.txt"},
};

// Subdivision types that name places people say they are "in"; districts and
// parishes are too obscure and collide with surnames.
bool UsefulSubdivisionType(const std::string& type) {
  static const char* kTypes[] = {
      "State", "Province", "Region", "Prefecture", "Country", "Municipality",
      "Autonomous region", "Emirate", "Canton", "Land", "Territory",
      "Federal district", "Capital district", "Capital city", "Nation",
      "Autonomous community", "Autonomous republic", "Republic", "Island",
      "Special administrative region", "City", "Metropolitan city",
      "Federal territory", "Special municipality", "Administrative region"};
  for (const char* t : kTypes) {
    if (type == t) return true;
  }
  return false;
}

// Two-column rows of a TSV file, in file order. Errors name file and line.
absl::Status ReadTsvRows(const std::string& path,
                         std::vector<std::pair<std::string, std::string>>& rows) {
  return ForEachDataLine(path, [&](int line_no, absl::string_view line) {
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() != 2 || cols[0].empty() || cols[1].empty()) {
      return DataLineError(path, line_no, "expected two tab-separated columns");
    }
    rows.emplace_back(std::move(cols[0]), std::move(cols[1]));
    return absl::OkStatus();
  });
}

// Number of code points, and whether the first is a lowercase letter.
bool StartsLowercase(absl::string_view word, size_t* code_points) {
  *code_points = 0;
  for (unsigned char c : word) *code_points += (c & 0xC0) != 0x80;
  utf8proc_int32_t cp = 0;
  utf8proc_ssize_t n = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(word.data()),
      static_cast<utf8proc_ssize_t>(word.size()), &cp);
  return n > 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

}  // namespace

std::string ResolveGeneratedDataDir(const std::string& dir) {
  if (!dir.empty()) return dir;
  if (const char* env = std::getenv("KGRAPH_GENERATED_DATA_DIR"); env && *env) {
    return env;
  }
  return KGRAPH_GENERATED_DATA_DIR;
}

absl::StatusOr<std::unique_ptr<Gazetteer>> Gazetteer::Load(
    const GazetteerPaths& paths) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  const std::string dir = paths.data_dir + "/gazetteers/";
  for (const auto& [list, file] : kListFiles) {
    absl::Status s = g->LoadList(dir + file, list);
    if (!s.ok()) return s;
  }
  for (const std::string& t : g->List(WordList::kPersonTitle)) {
    int words = 1;
    for (char c : t) words += c == ' ';
    g->max_title_words_ = std::max(g->max_title_words_, words);
  }
  // GeoNames cities (name<TAB>canonical), generated at build time by
  // tools/gen_cities.py; added after iso-codes and tzdata, never overriding
  // them.
  // Read in file order: among spellings with one name key ("Des Moines",
  // "DesMoines") the first line wins. (Iterating a hash map here made the
  // winner depend on the per-process hash seed, so output changed from run
  // to run.)
  const std::string cities_path =
      ResolveGeneratedDataDir(paths.generated_data_dir) + "/gazetteers/cities.tsv";
  if (!std::ifstream(cities_path)) {
    return absl::NotFoundError(absl::StrCat(
        cities_path,
        ": cannot open; it is generated at build time by tools/gen_cities.py "
        "(CMake target kgraph_gazetteer_data, from the Debian packages "
        "libgeonames0, libglib2.0-bin, wamerican and python3-fake-factory); "
        "set $KGRAPH_GENERATED_DATA_DIR or ExtractorConfig::generated_data_dir "
        "to the directory holding gazetteers/cities.tsv"));
  }
  std::vector<std::pair<std::string, std::string>> cities;
  absl::Status cs = ReadTsvRows(cities_path, cities);
  if (!cs.ok()) return cs;
  // Before the subdivisions: they skip names that are common words.
  cs = g->LoadDictionaryWords(paths.dictionary, cities);
  if (!cs.ok()) return cs;
  g->LoadIsoCountries(paths.iso_codes_dir + "/iso_3166-1.json");
  g->LoadIsoFormerCountries(paths.iso_codes_dir + "/iso_3166-3.json");
  g->LoadIsoSubdivisions(paths.iso_codes_dir + "/iso_3166-2.json");
  g->LoadZoneCities(paths.zone_tab);
  for (const auto& [name, canonical] : cities) {
    g->AddPlace(name, canonical, /*override_existing=*/false);
  }
  absl::flat_hash_map<std::string, std::string> aliases;
  absl::Status s = g->LoadTsv(dir + "gpe_aliases.tsv", aliases, false);
  if (!s.ok()) return s;
  for (const auto& [alias, canonical] : aliases) {
    g->listed_places_.insert(NameKey(alias));
    g->AddPlace(alias, canonical, /*override_existing=*/true);
    g->AddPlace(canonical, canonical, /*override_existing=*/true);
    // An alias of a country names a country. (Not every short alias: "N.J."
    // and "Fla." name states, and U.S., UK and USSR are listed below.)
    if (g->countries_.contains(alias)) g->countries_.insert(canonical);
  }
  for (const char* c : {"Russia", "United States", "United Kingdom",
                        "Soviet Union", "Yugoslavia", "Palestine"}) {
    g->countries_.insert(c);
  }
  // iso 3166-2 files Washington's district under a type kept out above.
  g->regions_.insert("District of Columbia");
  s = g->LoadTsv(dir + "demonyms.tsv", g->demonyms_, true);
  if (!s.ok()) return s;
  const std::string org_context_path = dir + "org_context.txt";
  s = ForEachDataLine(org_context_path, [&](int line_no, absl::string_view line) {
    std::vector<std::string> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipWhitespace());
    if (words.empty() || words[0][0] == '#') return absl::OkStatus();
    if ((words[0] != "before" && words[0] != "after") || words.size() < 2) {
      return DataLineError(org_context_path, line_no,
                           "expected 'before WORDS' or 'after WORDS'");
    }
    const int side = words[0] == "before" ? 0 : 1;
    words.erase(words.begin());
    for (std::string& w : words) w = FoldToken(w);
    g->org_context_[side].push_back(std::move(words));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  absl::flat_hash_map<std::string, std::string> org_aliases;
  s = g->LoadTsv(dir + "org_aliases.tsv", org_aliases, false);
  if (!s.ok()) return s;
  for (auto& [alias, canonical] : org_aliases) {
    g->organizations_[NameKey(alias)] = std::move(canonical);
  }
  return g;
}

absl::Status Gazetteer::LoadList(const std::string& path, WordList list) {
  auto& set = lists_[static_cast<size_t>(list)];
  return ForEachDataLine(path, [&](int line_no, absl::string_view line) {
    absl::string_view v = absl::StripAsciiWhitespace(line);
    if (v[0] == '#') return absl::OkStatus();  // an indented comment
    if (v.find('\t') != absl::string_view::npos) {
      return DataLineError(path, line_no, "expected one entry per line, found a tab");
    }
    std::string folded = FoldToken(v);
    set.insert(folded);
    // "corp." also matches "corp" and the reverse, since the tokenizer may or
    // may not keep the period.
    if (folded.back() == '.') set.insert(folded.substr(0, folded.size() - 1));
    return absl::OkStatus();
  });
}

absl::Status Gazetteer::LoadDictionaryWords(
    const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& cities) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        path, ": cannot open the English word list; install the Debian package "
        "wamerican (tools/setup-deps.sh) or set ExtractorConfig::dictionary"));
  }
  std::vector<std::string> words;
  absl::flat_hash_map<std::string, int> spellings;  // Folded -> entries.
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    ++spellings[FoldToken(line)];
    words.push_back(std::move(line));
  }
  absl::flat_hash_set<std::string> city_names;
  for (const auto& [name, canonical] : cities) city_names.insert(FoldToken(name));
  const auto& first_names = List(WordList::kFirstName);
  auto& common = lists_[static_cast<size_t>(WordList::kCommonWord)];
  for (const std::string& w : words) {
    // Possessives ("aardvark's") never reach the list; nor do 2-letter words.
    if (w.find('\'') != std::string::npos) continue;
    size_t code_points = 0;
    if (!StartsLowercase(w, &code_points) || code_points < 3) continue;
    std::string folded = FoldToken(w);
    // "bill" and "Bill" both listed: capitalized, it may be a name.
    if (spellings[folded] != 1) continue;
    if (first_names.contains(folded) || city_names.contains(folded)) continue;
    common.insert(std::move(folded));
  }
  return absl::OkStatus();
}

absl::Status Gazetteer::LoadTsv(
    const std::string& path, absl::flat_hash_map<std::string, std::string>& out,
    bool key_by_name) {
  std::vector<std::pair<std::string, std::string>> rows;
  absl::Status s = ReadTsvRows(path, rows);
  if (!s.ok()) return s;
  for (auto& [key, value] : rows) {
    out[key_by_name ? FoldToken(key) : key] = std::move(value);
  }
  return absl::OkStatus();
}

void Gazetteer::AddPlace(absl::string_view surface, const std::string& canonical,
                         bool override_existing) {
  std::string key = NameKey(std::string_view(surface.data(), surface.size()));
  if (key.size() < 2) return;
  if (override_existing) {
    places_[key] = canonical;
  } else {
    places_.emplace(key, canonical);
  }
}

void Gazetteer::LoadIsoCountries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("3166-1")) return;
  std::vector<std::pair<std::string, std::string>> bare_country_names;
  for (const auto& c : j["3166-1"]) {
    std::string name = c.value("name", "");
    std::string common = c.value("common_name", "");
    const std::string canonical = common.empty() ? name : common;
    if (canonical.empty()) continue;
    countries_.insert(canonical);
    for (const std::string& n :
         {name, common, c.value("official_name", std::string())}) {
      if (!n.empty() && n.find(',') == std::string::npos) {
        AddPlace(n, canonical, true);
      }
    }
    // "Micronesia, Federated States of", "Korea, Republic of": news writes
    // the part before the comma. Added after the full names and never over
    // them, so "Congo" stays the Republic of the Congo and "Korea" names the
    // first of the two Koreas (South Korea).
    const size_t comma = name.find(", ");
    if (comma != std::string::npos) {
      const absl::string_view rest = absl::string_view(name).substr(comma + 2);
      if (absl::StrContains(rest, "Republic") || absl::StrContains(rest, "State")) {
        bare_country_names.emplace_back(name.substr(0, comma), canonical);
      }
    }
    // Not the alpha-3 codes: news writes them for other things far more
    // often ("PRI" and "PAN" are Mexican parties, "SEN"/"COL" abbreviate
    // titles, "CAN" and "IND" are words); the few that name a country in
    // running text ("USA") are in gpe_aliases.tsv.
  }
  for (const auto& [bare, canonical] : bare_country_names) AddPlace(bare, canonical, false);
}

void Gazetteer::LoadIsoFormerCountries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("3166-3")) return;
  for (const auto& c : j["3166-3"]) {
    // "Czechoslovakia, Czechoslovak Socialist Republic", "Zaire, Republic
    // of": the part before the comma is the country's name in news.
    std::string name = c.value("name", "");
    name = name.substr(0, name.find(','));
    if (name.size() < 4 || name.find('(') != std::string::npos) continue;
    if (FindPlace(name) != nullptr) continue;  // "Burma", "USSR": current aliases
    countries_.insert(name);
    AddPlace(name, name, false);
  }
}

void Gazetteer::LoadIsoSubdivisions(const std::string& path) {
  std::ifstream in(path);
  if (!in) return;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("3166-2")) return;
  const auto& common = List(WordList::kCommonWord);
  for (const auto& d : j["3166-2"]) {
    std::string name = d.value("name", "");
    if (name.size() < 4 || !UsefulSubdivisionType(d.value("type", ""))) {
      continue;
    }
    if (name.find(',') != std::string::npos ||
        name.find('(') != std::string::npos) {
      continue;
    }
    if (common.contains(FoldToken(name))) continue;
    // "Beijing Shi", "Sichuan Sheng", "Moskovskaya oblast'": the bare name is
    // what news writes.
    static const char* kGenericTails[] = {
        " Shi", " Sheng", " Zizhiqu", " Huizu Zizhiqu", " Uygur Zizhiqu",
        " Zhuangzu Zizhiqu", " oblast'", " Oblast", " kray", " Kray",
        " Province", " Region", " Prefecture", " Governorate", " State"};
    std::string bare = name;
    for (const char* tail : kGenericTails) {
      if (absl::EndsWith(bare, tail) && bare.size() > strlen(tail) + 3) {
        bare = bare.substr(0, bare.size() - strlen(tail));
        break;
      }
    }
    AddPlace(name, bare, false);
    if (bare != name && !common.contains(FoldToken(bare))) AddPlace(bare, bare, false);
    // A region qualifies a town; a city does not ("Sony, Hitachi").
    static const char* kCityTypes[] = {"City", "Capital city", "Metropolitan city",
                                       "Municipality", "Special municipality",
                                       "Autonomous city", "City corporation"};
    const std::string type = d.value("type", "");
    bool city = false;
    for (const char* t : kCityTypes) city |= type == t;
    if (!city) regions_.insert(bare);
  }
}

void Gazetteer::LoadZoneCities(const std::string& path) {
  std::ifstream in(path);
  if (!in) return;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 3) continue;
    absl::string_view zone = cols[2];
    size_t slash = zone.rfind('/');
    if (slash == absl::string_view::npos) continue;
    std::string city(zone.substr(slash + 1));
    for (char& ch : city) {
      if (ch == '_') ch = ' ';
    }
    if (city.size() < 4) continue;
    AddPlace(city, city, false);
  }
}

namespace {

// The canonical name `names` (NameKey -> name) holds for `surface`, or nullptr.
const std::string* FindByNameKey(const absl::flat_hash_map<std::string, std::string>& names,
                                 absl::string_view surface) {
  auto it = names.find(NameKey(std::string_view(surface.data(), surface.size())));
  return it == names.end() ? nullptr : &it->second;
}

}  // namespace

const std::string* Gazetteer::FindPlace(absl::string_view surface) const {
  return FindByNameKey(places_, surface);
}

bool Gazetteer::IsListedPlace(absl::string_view surface) const {
  return listed_places_.contains(NameKey(std::string_view(surface.data(), surface.size())));
}

const std::string* Gazetteer::FindOrganization(absl::string_view surface) const {
  return FindByNameKey(organizations_, surface);
}

const std::string* Gazetteer::FindDemonym(absl::string_view folded) const {
  auto it = demonyms_.find(folded);
  return it == demonyms_.end() ? nullptr : &it->second;
}

}  // namespace kgraph::ingest
