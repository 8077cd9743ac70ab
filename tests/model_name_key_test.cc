// Tests of model/name_key: UTF-8 validation (with its ASCII fast path) and
// the two name keys.
#include <string>

#include <gtest/gtest.h>

#include "model/name_key.h"

namespace kgraph {
namespace {

TEST(model_name_key, ValidUtf8AcrossTheEightByteFastPath) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text that is longer than eight bytes"));
  // Multibyte characters at every offset relative to an 8-byte chunk.
  for (int pad = 0; pad < 10; ++pad) {
    const std::string prefix(pad, 'a');
    EXPECT_TRUE(IsValidUtf8(prefix + "Sl\xC3\xB8k \xE2\x80\x94 \xF0\x9F\x98\x80 end")) << pad;
    EXPECT_FALSE(IsValidUtf8(prefix + "bad \xC3 byte and more ascii")) << pad;
    EXPECT_FALSE(IsValidUtf8(prefix + "stray \x80 continuation")) << pad;
    EXPECT_FALSE(IsValidUtf8(prefix + "truncated at the end \xE2\x80")) << pad;
  }
  EXPECT_FALSE(IsValidUtf8("overlong \xC0\xAF slash"));
  EXPECT_FALSE(IsValidUtf8("surrogate \xED\xA0\x80 half"));
}

TEST(model_name_key, KeysFoldCaseAndSpacing) {
  EXPECT_EQ(IdentityKey("Warner  Bros. Discovery"), IdentityKey("warner bros. discovery"));
  EXPECT_NE(IdentityKey("Warner Bros. Discovery"), IdentityKey("Warner Bros Discovery"));
  EXPECT_EQ(NameKey("Warner Bros. Discovery"), NameKey("warner bros discovery"));
  EXPECT_TRUE(NameKey("...").empty());
}

}  // namespace
}  // namespace kgraph
