// AppendJsonString must write what nlohmann::json's dump() writes (annotate's
// output was nlohmann's, and readers of it rely on its escaping), including
// the replacement of invalid UTF-8.
#include "model/json_text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kgraph::model {
namespace {

std::string Nlohmann(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Ours(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

TEST(model_json_text, MatchesNlohmannOnEscapesAndUtf8) {
  const std::vector<std::string> cases = {
      "", "plain", "quote \" and backslash \\", "\n\t\r\b\f", std::string("nul\0x", 5),
      "\x01\x1f\x7f", "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80",
      "\xE2\x80\xA8 line separator kept raw"};
  for (const std::string& s : cases) EXPECT_EQ(Ours(s), Nlohmann(s)) << s;
}

TEST(model_json_text, ReplacesInvalidUtf8AsNlohmannDoes) {
  const std::vector<std::string> cases = {
      "\xFF", "a\x80z", "\xC3", "\xC3(", "\xE2\x82", "\xE2\x82(", "\xF0\x9F\x98",
      "\xED\xA0\x80 surrogate", "\xC0\xAF overlong", "\xE0\x80\xAF overlong",
      "\xF4\x90\x80\x80 above U+10FFFF", "\xF5\x80", "x\xE2\x28\xA1y"};
  for (const std::string& s : cases) EXPECT_EQ(Ours(s), Nlohmann(s)) << s;
}

TEST(model_json_text, MatchesNlohmannOnRandomBytes) {
  std::mt19937 rng(7);
  // Bytes biased towards UTF-8 lead and continuation bytes and controls.
  const std::string alphabet = std::string("ab\"\\\n\x01\x7f", 7) +
                               "\xC2\xC3\xDF\xE0\xE2\xED\xEF\xF0\xF4\xF5\xFF\x80\x8F\x90\x9F\xA0\xBF";
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const int len = static_cast<int>(rng() % 12);
    for (int k = 0; k < len; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    ASSERT_EQ(Ours(s), Nlohmann(s)) << testing::PrintToString(s);
  }
}

}  // namespace
}  // namespace kgraph::model
