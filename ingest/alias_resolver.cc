#include "ingest/alias_resolver.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "model/name_key.h"

namespace kgraph::ingest {
namespace {

// One strong cue outweighs many guesses ("Chair Jerome Powell" vs. a dozen
// bare "Powell"s typed by default).
constexpr int kVoteWeight[] = {1, 4, 16, 64};

class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // Keeps the smaller root so the earliest group stays the representative.
  void Union(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (a < b) parent_[b] = a;
    else parent_[a] = b;
  }

 private:
  std::vector<size_t> parent_;
};

struct Group {
  std::string key;
  std::vector<std::string> words;  // Folded tokens of the first mention.
  std::vector<size_t> mentions;
  std::map<std::string, int> type_votes;
  std::string type;
  int best_strength = -1;
  bool all_caps_single = false;
};

std::string Initials(const std::vector<std::string>& words) {
  static const absl::flat_hash_set<std::string> kSkip = {"of", "the", "and",
                                                         "&", "for", "de"};
  std::string out;
  for (const std::string& w : words) {
    if (kSkip.contains(w) || w.empty()) continue;
    out += w[0];
  }
  return out;
}

}  // namespace

Resolution ResolveAliases(const std::vector<NameMention>& mentions,
                          const std::vector<Token>& tokens) {
  // Group mentions by key: the gazetteer's canonical name when there is one.
  std::vector<Group> groups;
  absl::flat_hash_map<std::string, size_t> group_of_key;
  std::vector<size_t> group_of_mention(mentions.size());
  for (size_t i = 0; i < mentions.size(); ++i) {
    const NameMention& m = mentions[i];
    std::string key = NameKey(m.canonical.empty() ? m.surface : m.canonical);
    if (key.empty()) key = m.surface;
    auto [it, inserted] = group_of_key.emplace(key, groups.size());
    if (inserted) {
      Group g;
      g.key = key;
      for (size_t t = m.first; t < m.last; ++t) g.words.push_back(tokens[t].folded);
      g.all_caps_single = m.last - m.first == 1 && tokens[m.first].all_caps;
      groups.push_back(std::move(g));
    }
    Group& g = groups[it->second];
    g.mentions.push_back(i);
    g.type_votes[m.type] += kVoteWeight[m.strength];
    if (static_cast<int>(m.strength) > g.best_strength) g.best_strength = m.strength;
    group_of_mention[i] = it->second;
  }
  for (Group& g : groups) {
    int best = -1;
    for (const auto& [type, votes] : g.type_votes) {
      if (votes > best) {
        best = votes;
        g.type = type;
      }
    }
  }
  // Mention types after document-level corrections.
  std::vector<std::string> mention_type(mentions.size());
  size_t last_sentence = 0;
  for (size_t i = 0; i < mentions.size(); ++i) {
    mention_type[i] = mentions[i].type;
    last_sentence = std::max(last_sentence, mentions[i].sentence);
  }
  // A lone word typed PERSON only by default, in an article that never names
  // a person ending in it, is a brand or organization: news introduces people
  // by full name first ("Nvidia" vs. "Powell" after "Jerome Powell").
  if (last_sentence >= 2) {
    for (Group& g : groups) {
      if (g.type != "PERSON" || g.words.size() != 1 || g.best_strength > kGuess) {
        continue;
      }
      bool surname = false;
      for (const Group& l : groups) {
        surname |= &l != &g && l.type == "PERSON" && l.words.size() > 1 &&
                   l.words.back() == g.words[0];
      }
      if (surname) continue;
      g.type = "ORG";
      for (size_t mi : g.mentions) mention_type[mi] = "ORG";
    }
  }
  DisjointSets sets(groups.size());
  for (size_t i = 0; i < mentions.size(); ++i) {
    if (mentions[i].alias_of >= 0) {
      sets.Union(group_of_mention[mentions[i].alias_of], group_of_mention[i]);
    }
  }
  // Link short groups to a longer group they abbreviate. A unique candidate
  // is required: two Smiths stay apart.
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    if (g.best_strength >= kStrong && g.type == "GPE") continue;
    int candidate = -1;
    bool ambiguous = false;
    for (size_t li = 0; li < groups.size(); ++li) {
      const Group& l = groups[li];
      if (li == gi || l.words.size() <= g.words.size()) continue;
      if (l.type == "GPE") continue;
      bool match = false;
      const size_t n = g.words.size();
      if (l.type == "PERSON" && g.type != "GPE") {
        // Surname (or trailing words): "Powell", "von der Leyen".
        match = std::equal(g.words.begin(), g.words.end(), l.words.end() - n);
      }
      if (!match && l.type != "PERSON") {
        match = std::equal(g.words.begin(), g.words.end(), l.words.begin()) &&
                g.best_strength < kStrong;
        if (!match && n == 1 && g.all_caps_single) {
          match = Initials(l.words) == g.words[0];
        }
        if (!match && n == 1 && g.words[0].size() >= 3 &&
            g.words[0].size() < l.words[0].size() &&
            l.words[0].compare(0, g.words[0].size(), g.words[0]) == 0 &&
            g.best_strength < kStrong) {
          match = true;  // "Fed" -> "Federal Reserve".
        }
      }
      if (!match) continue;
      size_t root = sets.Find(li);
      if (candidate >= 0 && sets.Find(candidate) != root) ambiguous = true;
      candidate = static_cast<int>(li);
    }
    if (candidate >= 0 && !ambiguous) sets.Union(candidate, gi);
  }
  // Build entities in order of first mention.
  Resolution res;
  res.entity_of_mention.assign(mentions.size(), -1);
  absl::flat_hash_map<size_t, size_t> entity_of_root;
  for (size_t i = 0; i < mentions.size(); ++i) {
    size_t root = sets.Find(group_of_mention[i]);
    auto [it, inserted] = entity_of_root.emplace(root, res.entities.size());
    if (inserted) res.entities.emplace_back();
    res.entities[it->second].mentions.push_back(i);
    res.entity_of_mention[i] = static_cast<int>(it->second);
  }
  for (ResolvedEntity& e : res.entities) {
    std::map<std::string, int> votes;
    size_t best = e.mentions[0];
    auto rank = [&](size_t mi) {
      const NameMention& m = mentions[mi];
      // Canonical: gazetteer name first, then more words, then stronger cue,
      // then body over headline.
      return std::make_tuple(!m.canonical.empty(), m.last - m.first,
                             static_cast<int>(m.strength), !m.in_headline);
    };
    for (size_t mi : e.mentions) {
      const NameMention& m = mentions[mi];
      votes[mention_type[mi]] += kVoteWeight[m.strength];
      if (rank(mi) > rank(best)) best = mi;
      if (!m.ticker.empty()) e.ticker = m.ticker;
      e.is_country |= m.is_country;
    }
    int top = -1;
    for (const auto& [type, v] : votes) {
      if (v > top) {
        top = v;
        e.type = type;
      }
    }
    const NameMention& bm = mentions[best];
    e.name = bm.canonical.empty() ? bm.surface : bm.canonical;
    absl::flat_hash_set<std::string> keys = {NameKey(e.name)};
    for (size_t mi : e.mentions) {
      const std::string& s = mentions[mi].surface;
      if (keys.insert(NameKey(s)).second) e.aliases.push_back(s);
    }
    for (size_t mi : e.mentions) {
      const std::string& q = mentions[mi].qualified;
      if (!q.empty() && keys.insert(NameKey(q)).second) e.aliases.push_back(q);
    }
    for (size_t mi : e.mentions) {
      for (const std::string& t : mentions[mi].titled) {
        if (keys.insert(NameKey(t)).second) e.aliases.push_back(t);
      }
    }
  }
  return res;
}

}  // namespace kgraph::ingest
