#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace peyvand {
namespace {

TEST(Utf8Test, ValidityTable) {
  const std::pair<std::string, bool> cases[] = {
      {"", true},
      {"ascii", true},
      {"پیوند", true},
      {"\xF0\x9F\x98\x80", true},   // emoji
      {"\xFF", false},              // never valid
      {"ab\xC0\xAF", false},        // overlong '/'
      {"\xED\xA0\x80", false},      // surrogate
      {"\xF4\x90\x80\x80", false},  // above U+10FFFF
      {"\xD9", false},              // truncated
      {"\xD9\x28", false},          // bad continuation
  };
  for (const auto& [s, ok] : cases) EXPECT_EQ(IsValidUtf8(s), ok) << s.size();
}

TEST(Utf8Test, TruncateKeepsCharactersWhole) {
  EXPECT_EQ(TruncateUtf8("پیوند", 3), "پ");  // 2-byte letters: the half letter is dropped
  EXPECT_EQ(TruncateUtf8("پیوند", 4), "پی");
  EXPECT_EQ(TruncateUtf8("abc", 10), "abc");
  EXPECT_TRUE(IsValidUtf8(TruncateUtf8("\xF0\x9F\x98\x80x", 2)));
}

}  // namespace
}  // namespace peyvand
