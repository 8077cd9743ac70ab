// Tests of model/text_limits: entity name validation and the quoting of user
// input in messages.
#include <string>

#include <gtest/gtest.h>

#include "model/text_limits.h"

namespace kgraph {
namespace {

TEST(model_text_limits, AcceptsOrdinaryNames) {
  EXPECT_TRUE(ValidateEntityName("Warner Bros. Discovery").ok());
  EXPECT_TRUE(ValidateEntityName("/m/0_1x").ok());
  EXPECT_TRUE(ValidateEntityName("Sl\xC3\xB8k").ok());
  EXPECT_TRUE(ValidateEntityName("\xE5\x8D\x8E\xE4\xB8\xBA").ok());  // 华为
  EXPECT_TRUE(ValidateEntityName("7").ok());
  EXPECT_TRUE(ValidateEntityName(std::string(kMaxNameBytes, 'a')).ok());
}

TEST(model_text_limits, RejectsOversizedNamesWithoutEchoingThem) {
  const std::string huge(51200000, 'a');
  absl::Status s = ValidateEntityName(huge);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "name of 51200000 bytes exceeds the limit of 1024");
  EXPECT_FALSE(ValidateEntityName(std::string(kMaxNameBytes + 1, 'a')).ok());
}

TEST(model_text_limits, RejectsControlCharacters) {
  for (std::string bad : {std::string("a\0b", 3), std::string("a\tb"), std::string("a\nb"),
                          std::string("a\rb"), std::string("a\x7f" "b"),
                          std::string("a\xC2\x85" "b") /* U+0085 NEL, a C1 control */}) {
    absl::Status s = ValidateEntityName(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << QuoteForMessage(bad);
    EXPECT_NE(s.message().find("control character"), absl::string_view::npos) << s.message();
  }
  EXPECT_EQ(ValidateEntityName(std::string("a\0b", 3)).message(),
            "name \"a\\x00b\" contains control character U+0000 at byte 1");
}

TEST(model_text_limits, RejectsInvalidUtf8EmptyAndPunctuationOnly) {
  EXPECT_NE(ValidateEntityName("bad \xC3 byte").message().find("not valid UTF-8"),
            absl::string_view::npos);
  EXPECT_NE(ValidateEntityName("surrogate \xED\xA0\x80").message().find("not valid UTF-8"),
            absl::string_view::npos);
  EXPECT_EQ(ValidateEntityName("").message(), "name is empty");
  EXPECT_EQ(ValidateEntityName("...").message(), "name \"...\" has no letters or digits");
  EXPECT_FALSE(ValidateEntityName("   ").ok());
}

TEST(model_text_limits, QuoteEscapesControlsAndQuotes) {
  EXPECT_EQ(QuoteForMessage("plain"), "\"plain\"");
  EXPECT_EQ(QuoteForMessage("a\tb\nc\rd"), "\"a\\tb\\nc\\rd\"");
  EXPECT_EQ(QuoteForMessage(std::string("\0\x1b\x7f", 3)), "\"\\x00\\x1B\\x7F\"");
  EXPECT_EQ(QuoteForMessage("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(QuoteForMessage("nel\xC2\x85"), "\"nel\\u0085\"");
  EXPECT_EQ(QuoteForMessage("bad\xFF"), "\"bad\\xFF\"");
  EXPECT_EQ(QuoteForMessage("Sl\xC3\xB8k"), "\"Sl\xC3\xB8k\"");
}

TEST(model_text_limits, QuoteTruncatesAtACharacterBoundary) {
  EXPECT_EQ(QuoteForMessage(std::string(100, 'x'), 4), "\"xxxx\"\xE2\x80\xA6(100 bytes)");
  EXPECT_EQ(QuoteForMessage(std::string(64, 'x')), "\"" + std::string(64, 'x') + "\"");
  // "ab" then a 2-byte character that would straddle the 3-byte cut.
  EXPECT_EQ(QuoteForMessage("ab\xC3\xB8zz", 3), "\"ab\"\xE2\x80\xA6(6 bytes)");
  // A 100 KB name gives a short message.
  const std::string q = QuoteForMessage(std::string(100000, '\n'));
  EXPECT_LT(q.size(), 200u);
  EXPECT_NE(q.find("(100000 bytes)"), std::string::npos);
}

}  // namespace
}  // namespace kgraph
