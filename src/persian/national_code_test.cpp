#include "persian/national_code.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace peyvand::persian {
namespace {

// Checksums worked by hand, S = Σ d_i·(11−i) for i = 1..9, r = S mod 11:
//   0499370899: S = 0+36+72+63+18+35+0+24+18 = 266, r = 2, check = 11-2 = 9
//   1234567891: S = 10+18+24+28+30+30+28+24+18 = 210, r = 1, check = r = 1
//   0012345679: S = 8+14+18+20+20+18+14 = 112, r = 2, check = 9
//   0876543212: S = 0+72+56+42+30+20+12+6+2 = 240, r = 9, check = 2
//   2930364874: S = 20+81+24+0+18+30+16+24+14 = 227, r = 7, check = 4
//   0000123455: S = 5+8+9+8+20 = 50, r = 6, check = 5
//   5555555555: S = 270, r = 6, check = 5: checksum passes, but all digits equal
const std::string_view kNotDigits = "کد ملی فقط باید شامل رقم باشد";
const std::string_view kLength = "کد ملی باید ۱۰ رقم باشد";
const std::string_view kAllSame =
    "کد ملی نامعتبر است: همهٔ رقم‌ها یکسان‌اند";
const std::string_view kChecksum =
    "کد ملی نامعتبر است: رقم کنترل با بقیهٔ رقم‌ها "
    "نمی‌خواند";

struct Row {
  std::string_view input;
  std::string_view expected;  // the normalized code, or the error message
  bool ok;
  const char* comment;
};

const std::vector<Row> kRows = {
    {"0499370899", "0499370899", true, "commonly cited valid code"},
    {"1234567891", "1234567891", true, "check digit r when r < 2"},
    {"0876543212", "0876543212", true, "check digit 11 - r"},
    {"2930364874", "2930364874", true, "valid"},
    {"499370899", "0499370899", true, "9 digits: a lost leading zero"},
    {"12345679", "0012345679", true, "8 digits: two lost zeros"},
    {"00123455", "0000123455", true, "8 digits that start with zeros"},
    {"۰۴۹۹۳۷۰۸۹۹", "0499370899", true, "Persian digits"},
    {"٠٤٩٩٣٧٠٨٩٩", "0499370899", true, "Arabic-Indic digits"},
    {"049-937089-9", "0499370899", true, "dash separators as printed on the card"},
    {" 049 937 0899 ", "0499370899", true, "spaces"},
    {"۰۴۹۹۳۷۰۸۹۹\u00A0", "0499370899", true, "NBSP"},
    {"0499370898", kChecksum, false, "last digit off by one"},
    {"0499370889", kChecksum, false, "a middle digit changed"},
    {"12345678", kChecksum, false, "padded but checksum wrong"},
    {"5555555555", kAllSame, false, "passes the checksum but is a placeholder"},
    {"1111111111", kAllSame, false, "also passes the checksum"},
    {"0000000000", kAllSame, false, "zeros"},
    {"00000000", kAllSame, false, "zeros after padding"},
    {"", kLength, false, "empty: callers decide whether the field is optional"},
    {"1234567", kLength, false, "7 digits is too short to pad"},
    {"04993708990", kLength, false, "11 digits"},
    {"049937089904993708990499370899", kLength, false, "far too long"},
    {"04993708a9", kNotDigits, false, "letter"},
    {"۰۴۹۹۳۷۰۸۹۹ک", kNotDigits, false, "Persian letter"},
    {"0499370899\xFF", kNotDigits, false, "ill-formed UTF-8"},
    {"0499.370.899", kNotDigits, false, "dots are not accepted separators"},
    {"+499370899", kNotDigits, false, "sign"},
};

TEST(NationalCodeTest, Table) {
  for (const Row& row : kRows) {
    const Result<std::string> result = NormalizeNationalCode(row.input);
    ASSERT_EQ(result.ok(), row.ok) << row.comment;
    EXPECT_EQ(IsValidNationalCode(row.input), row.ok) << row.comment;
    if (row.ok) {
      EXPECT_EQ(result.value(), row.expected) << row.comment;
    } else {
      EXPECT_EQ(result.error().code, ErrorCode::kInvalid) << row.comment;
      EXPECT_EQ(result.error().message, row.expected) << row.comment;
    }
  }
}

TEST(NationalCodeTest, ExactlyOneCheckDigitPerPrefix) {
  // The formula always yields one digit 0..9, so for any 9-digit prefix
  // exactly one last digit is valid: a checksum that accepted two would be
  // too lenient, one that accepted none would lock people out.
  for (const std::string prefix : {"049937089", "123456789", "000012345", "987654321"}) {
    int valid = 0;
    for (char last = '0'; last <= '9'; ++last) valid += IsValidNationalCode(prefix + last) ? 1 : 0;
    EXPECT_EQ(valid, 1) << prefix;
  }
}

}  // namespace
}  // namespace peyvand::persian
