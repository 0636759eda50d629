#include "persian/digits.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace peyvand::persian {
namespace {

struct StringRow {
  std::string_view input;
  std::string_view expected;
  const char* comment;
};

TEST(DigitsTest, ToAsciiDigits) {
  const std::vector<StringRow> rows = {
      {"۱۴۰۳/۰۱/۰۵", "1403/01/05", "Persian digits"},
      {"١٤٠٣/١/٥", "1403/1/5", "Arabic-Indic digits"},
      {"۰۱۲۳۴۵۶۷۸۹", "0123456789", "every Persian digit"},
      {"٠١٢٣٤٥٦٧٨٩", "0123456789", "every Arabic-Indic digit"},
      {"کد ۱۲ و 34", "کد 12 و 34", "text and ASCII digits untouched"},
      {"\xDB", "\xDB", "truncated lead byte copied unchanged"},
      {"\xDB\xBA", "\xDB\xBA", "U+06FA is a letter, not a digit"},
      {"\xFF۱",
       "\xFF"
       "1",
       "ill-formed byte does not stop conversion"},
      {"", "", "empty"},
  };
  for (const StringRow& row : rows)
    EXPECT_EQ(ToAsciiDigits(row.input), row.expected) << row.comment;
}

TEST(DigitsTest, ToPersianDigits) {
  const std::vector<StringRow> rows = {
      {"1403/01/05", "۱۴۰۳/۰۱/۰۵", "date"},
      {"0123456789", "۰۱۲۳۴۵۶۷۸۹", "every digit"},
      {"ساعت 14:30", "ساعت ۱۴:۳۰", "mixed text"},
      {"", "", "empty"},
  };
  for (const StringRow& row : rows)
    EXPECT_EQ(ToPersianDigits(row.input), row.expected) << row.comment;
}

TEST(DigitsTest, FormatNumber) {
  struct Row {
    std::int64_t n;
    std::string_view expected;
    const char* comment;
  };
  const std::vector<Row> rows = {
      {0, "۰", "zero"},
      {7, "۷", "one digit"},
      {999, "۹۹۹", "no separator below a thousand"},
      {1000, "۱٬۰۰۰", "first separator"},
      {1234567, "۱٬۲۳۴٬۵۶۷", "example from the spec"},
      {-1234, "-۱٬۲۳۴", "negative"},
      {-999, "-۹۹۹", "negative without separator"},
      {std::numeric_limits<std::int64_t>::max(), "۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۷", "int64 max"},
      {std::numeric_limits<std::int64_t>::min(), "-۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۸", "int64 min"},
  };
  for (const Row& row : rows) EXPECT_EQ(FormatNumber(row.n), row.expected) << row.comment;
}

}  // namespace
}  // namespace peyvand::persian
