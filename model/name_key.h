// Name keys: the one normalization every module uses to decide that two
// spellings name the same thing ("Warner Bros. Discovery" == "warner bros discovery").
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kgraph {

// NFKC, case-folded, with every character that is not a letter or digit
// removed. "Warner Bros. Discovery" -> "warnerbrosdiscovery". Invalid UTF-8
// bytes are dropped rather than failing: a key must always be computable.
std::string NameKey(std::string_view name);

// The identity of a name: NFKC, case-folded, trimmed, inner whitespace runs
// collapsed to one space; punctuation is kept, so "/m/0_1" and "/m/01" stay
// distinct. Entity ids hash this key; NameKey only indexes for lookup.
std::string IdentityKey(std::string_view name);

// NFKC + case fold only (keeps spaces and punctuation); for display-level
// case-insensitive comparison.
std::string FoldCase(std::string_view text);

// True iff `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace kgraph
