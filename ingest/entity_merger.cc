#include "ingest/entity_merger.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"

namespace kgraph::ingest {
namespace {

bool Overlaps(const NameMention& a, size_t first, size_t last) {
  return a.first < last && first < a.last;
}

bool IsName(const std::string& type) {
  return type == "PERSON" || type == "ORG" || type == "GPE";
}

// The tokens wholly inside the model mention, [first, last); first >= last
// when there are none. Tokens are in text order: a binary search, since a
// long document has tens of thousands of each.
std::pair<size_t, size_t> TokensOf(const ModelMention& m, const std::vector<Token>& tokens) {
  const size_t first = std::partition_point(tokens.begin(), tokens.end(),
                                            [&](const Token& t) { return t.start < m.start; }) -
                       tokens.begin();
  size_t last = first;
  while (last < tokens.size() && tokens[last].end <= m.end) ++last;
  if (last == first) return {tokens.size(), 0};
  return {first, last};
}

}  // namespace

std::vector<NameMention> MergeModelMentions(const std::vector<NameMention>& rules,
                                            const std::vector<ModelMention>& model,
                                            const std::vector<Token>& tokens) {
  std::vector<NameMention> out = rules;
  for (NameMention& m : out) m.alias_of = -1;
  std::vector<bool> removed(out.size(), false);
  // Each model mention's tokens, once.
  std::vector<std::pair<size_t, size_t>> model_tokens;
  model_tokens.reserve(model.size());
  for (const ModelMention& mm : model) model_tokens.push_back(TokensOf(mm, tokens));

  // Both lists are in text order and neither overlaps itself (a merged
  // mention takes the model's span, which no other model mention touches),
  // so one sweep finds the rule mentions under each model mention.
  size_t sweep = 0;  // rule mentions before it end before the model mention
  for (size_t m = 0; m < model.size(); ++m) {
    const ModelMention& mm = model[m];
    // Places come from the gazetteers: a place the rules did not know is,
    // on news, more often a brand the model has not seen (Nvidia, Tesla).
    if (mm.type != "PERSON" && mm.type != "ORG") continue;
    const auto [first, last] = model_tokens[m];
    if (first >= last) continue;
    while (sweep < out.size() && out[sweep].last <= first) ++sweep;
    std::vector<size_t> inside;  // rule mentions overlapping the model's
    bool crosses = false;        // one of them sticks out, or is not a name
    bool other_type = false;     // a name of a type other than the model's
    for (size_t r = sweep; r < out.size() && out[r].first < last; ++r) {
      if (removed[r] || !Overlaps(out[r], first, last)) continue;
      inside.push_back(r);
      if (out[r].first < first || out[r].last > last || !IsName(out[r].type)) crosses = true;
      if (out[r].type != mm.type && out[r].strength >= kContext) other_type = true;
    }
    // "Democrat Bill Clinton", "Anthropologist Dean Falk": a weakly typed
    // PERSON run that the model's PERSON of two or more words ends but
    // starts later in had a word before the name the rules did not know for
    // a title. The model's span is the name; a one-word model span is more
    // often a surname after a first name it did not know ("Garrick Holt").
    if (crosses && mm.type == "PERSON" && inside.size() == 1 && last - first >= 2) {
      NameMention& run = out[inside.front()];
      // Initials before the name are part of it ("E. Howard Hunt"): the
      // model often leaves them out.
      bool initials = true;
      for (size_t k = run.first; k < first && k < tokens.size(); ++k) {
        const std::string& w = tokens[k].norm;
        initials &= w.size() == 2 && w[1] == '.' && absl::ascii_isupper(static_cast<unsigned char>(w[0]));
      }
      if (run.type == "PERSON" && run.strength < kContext && !run.in_headline &&
          run.first < first && run.last == last && !initials) {
        run.first = first;
        run.surface = TokenSurface(tokens, first, last);
        run.canonical.clear();
        run.titled.clear();
        continue;
      }
    }
    if (crosses) continue;
    // Headlines are Title Case: the model's spans there are not to be trusted.
    bool headline = false;
    for (size_t r : inside) headline |= out[r].in_headline;
    if (headline) continue;
    // A name only the model sees is not added: on news unlike its training
    // text it finds index and product names the rules rightly leave alone
    // (measured: CoNLL04 train entity F1 +0.009, the seed page -0.029).
    if (inside.empty()) continue;
    if (other_type) continue;  // the rules had a cue for another type
    // Only an organization's name is joined across rule mentions, and never
    // across a comma ("Davos, Switzerland" is two names).
    if (inside.size() > 1) {
      // Nor across a possessive: "Texaco's Getty Oil Co" is the owner and
      // its unit ("McDonald's Corp" is one rule mention already).
      bool divided = false;
      for (size_t k = first; k < last; ++k) {
        divided |= tokens[k].norm == "," || tokens[k].kind == TokenKind::kPossessive;
      }
      if (mm.type != "ORG" || divided) continue;
    }
    // The rule mentions inside become one, with the model's span and type:
    // a name the rules cut in two ("Northern" "and" "Eastern Shipping
    // Plc") is joined, and a guess is typed by the model.
    NameMention& keep = out[inside.front()];
    // The rules cut this name at a title ("former Republican Sen." | "John
    // Tower", "Senate" | "Republican leader") or an ordinary first word
    // ("Earlier" | "USAir"): the model's wider span would put it back.
    if ((keep.cut_before && first < keep.first) || (keep.cut_after && last > keep.last)) continue;
    if (keep.type != mm.type) {
      keep.canonical.clear();
      if (mm.type != "GPE") keep.is_country = false;
      if (mm.type != "PERSON") keep.titled.clear();
      keep.type = mm.type;
      // The rule's strength stays: where other mentions of the entity have a
      // stronger cue, the alias resolver's vote goes their way.
    }
    if (keep.first != first || keep.last != last) {
      keep.first = first;
      keep.last = last;
      keep.surface = TokenSurface(tokens, first, last);
      keep.canonical.clear();
    }
    for (size_t k = 1; k < inside.size(); ++k) removed[inside[k]] = true;
  }
  // A rule guess of one word (a Title Case word with no cue, taken for a
  // surname) that the model does not take for a name is dropped.
  // The model's names as token spans, in text order, for a binary search.
  std::vector<std::pair<size_t, size_t>> model_names;
  for (size_t m = 0; m < model.size(); ++m) {
    if (IsName(model[m].type) && model_tokens[m].first < model_tokens[m].second) {
      model_names.push_back(model_tokens[m]);
    }
  }
  // Unless it repeats the surname of a longer PERSON name or the first word
  // of a longer ORG name in the document: "Cook" after "Lisa Cook", "Volvo"
  // after "Volvo AB" are short forms the alias resolver joins to them.
  absl::flat_hash_set<std::string_view> short_forms;
  for (size_t r = 0; r < out.size(); ++r) {
    if (removed[r] || out[r].last - out[r].first < 2) continue;
    if (out[r].type == "PERSON") short_forms.insert(tokens[out[r].last - 1].folded);
    if (out[r].type == "ORG") short_forms.insert(tokens[out[r].first].folded);
  }
  for (size_t r = 0; r < out.size(); ++r) {
    if (removed[r] || out[r].strength != kGuess || !IsName(out[r].type) || out[r].in_headline ||
        out[r].last - out[r].first != 1 || short_forms.contains(tokens[out[r].first].folded)) {
      continue;
    }
    // The first model name ending after the word starts: it overlaps the
    // one-word guess if it starts before the word ends.
    const auto it = std::partition_point(
        model_names.begin(), model_names.end(),
        [&](const std::pair<size_t, size_t>& n) { return n.second <= out[r].first; });
    const bool seen = it != model_names.end() && it->first < out[r].last;
    if (!seen) removed[r] = true;
  }
  std::vector<NameMention> result;
  for (size_t r = 0; r < out.size(); ++r) {
    if (!removed[r]) result.push_back(std::move(out[r]));
  }
  std::sort(result.begin(), result.end(), [](const NameMention& a, const NameMention& b) {
    return a.first != b.first ? a.first < b.first : a.last > b.last;
  });
  // alias_of ("(TeleAI)" abbreviating the name before it) indexes the rule
  // list; carried over where both mentions survive with their tokens.
  absl::flat_hash_map<std::pair<size_t, size_t>, int> result_at;  // token span -> index
  for (size_t i = 0; i < result.size(); ++i) {
    result_at.try_emplace({result[i].first, result[i].last}, static_cast<int>(i));
  }
  for (size_t r = 0; r < rules.size(); ++r) {
    if (rules[r].alias_of < 0) continue;
    const NameMention& target = rules[rules[r].alias_of];
    const auto from = result_at.find({rules[r].first, rules[r].last});
    const auto to = result_at.find({target.first, target.last});
    if (from == result_at.end() || to == result_at.end()) continue;
    if (result[from->second].type == result[to->second].type) {
      result[from->second].alias_of = to->second;
    }
  }
  return result;
}

}  // namespace kgraph::ingest
