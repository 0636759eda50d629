#include "persian/national_code.hpp"

#include <algorithm>
#include <cstddef>

#include "persian/messages.hpp"
#include "persian/utf8.hpp"

namespace peyvand::persian {
namespace {

constexpr std::size_t kCodeLength = 10;
constexpr std::size_t kMinPaddableLength = 8;

Error Invalid(std::string_view message) {
  return Error{ErrorCode::kInvalid, std::string(message), {}};
}

bool IsIgnorableSeparator(char32_t cp) {
  return cp == ' ' || cp == '-' || cp == '\t' || cp == 0x00A0 || cp == 0x200C || cp == 0x200E ||
         cp == 0x200F || cp == 0x2010 || cp == 0x2011 || cp == 0x2212;
}

bool ChecksumMatches(const std::string& code) {
  int sum = 0;
  for (std::size_t i = 0; i < kCodeLength - 1; ++i) {
    sum += (code[i] - '0') * static_cast<int>(kCodeLength - i);
  }
  const int r = sum % 11;
  const int expected = r < 2 ? r : 11 - r;
  return code[kCodeLength - 1] - '0' == expected;
}

}  // namespace

Result<std::string> NormalizeNationalCode(std::string_view input) {
  std::string digits;
  bool too_long = false;
  for (std::size_t pos = 0; pos < input.size();) {
    const char32_t cp = DecodeNext(input, pos);
    const int value = cp >= '0' && cp <= '9' ? static_cast<int>(cp - '0') : NonAsciiDigitValue(cp);
    if (value >= 0) {
      // Keep scanning after the limit so that a letter is still reported as
      // such, but never store more than one digit too many.
      if (digits.size() <= kCodeLength) {
        digits.push_back(static_cast<char>('0' + value));
      } else {
        too_long = true;
      }
    } else if (!IsIgnorableSeparator(cp)) {
      return Invalid(messages::kNationalCodeNotDigits);
    }
  }
  if (too_long || digits.size() > kCodeLength || digits.size() < kMinPaddableLength) {
    return Invalid(messages::kNationalCodeLength);
  }
  digits.insert(0, kCodeLength - digits.size(), '0');
  if (std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits[0]; })) {
    return Invalid(messages::kNationalCodeAllSame);
  }
  if (!ChecksumMatches(digits)) return Invalid(messages::kNationalCodeChecksum);
  return digits;
}

bool IsValidNationalCode(std::string_view input) {
  return NormalizeNationalCode(input).ok();
}

}  // namespace peyvand::persian
