// Parsing and display of dates; the calendar arithmetic is in jalali.cpp.
#include "persian/jalali.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <string>

#include "persian/digits.hpp"
#include "persian/messages.hpp"
#include "persian/normalize.hpp"

namespace peyvand::persian {
namespace {

// Longer input is rejected before any Unicode work: a date is short, and the
// bound keeps a hostile megabyte from costing a normalization pass.
constexpr std::size_t kMaxDateInputBytes = 64;

// The first Jalali-looking year is far below any Gregorian year we accept.
constexpr int kFirstGregorianYear = 1700;

constexpr std::array<std::string_view, 12> kMonthNames = {"فروردین", "اردیبهشت", "خرداد", "تیر",
                                                          "مرداد",   "شهریور",   "مهر",   "آبان",
                                                          "آذر",     "دی",       "بهمن",  "اسفند"};

struct DateParts {
  int year;
  int month;
  int day;
  char separator;
};

Error Invalid(std::string_view message) {
  return Error{ErrorCode::kInvalid, std::string(message), {}};
}

std::string PersianInt(int n) {
  return ToPersianDigits(std::to_string(n));
}

// Reads min..max ASCII digits at `pos`.
bool ReadNumber(std::string_view s, std::size_t& pos, std::size_t min_digits,
                std::size_t max_digits, int& value) {
  std::size_t count = 0;
  value = 0;
  while (pos < s.size() && count < max_digits && s[pos] >= '0' && s[pos] <= '9') {
    value = value * 10 + (s[pos] - '0');
    ++pos;
    ++count;
  }
  return count >= min_digits;
}

// "YYYY<sep>M<sep>D" after canonicalization (which makes digits ASCII and
// strips surrounding whitespace and bidi marks). Only the shape is checked.
bool SplitDate(std::string_view text, DateParts& parts) {
  if (text.size() > kMaxDateInputBytes) return false;
  const std::string s = Canonical(text);
  std::size_t pos = 0;
  if (!ReadNumber(s, pos, 4, 4, parts.year)) return false;
  if (pos >= s.size() || (s[pos] != '/' && s[pos] != '-')) return false;
  parts.separator = s[pos++];
  if (!ReadNumber(s, pos, 1, 2, parts.month)) return false;
  if (pos >= s.size() || s[pos] != parts.separator) return false;
  ++pos;
  if (!ReadNumber(s, pos, 1, 2, parts.day)) return false;
  return pos == s.size();
}

Result<JalaliDate> ValidateJalali(const DateParts& parts) {
  if (parts.year < kMinSupportedJalaliYear || parts.year > kMaxSupportedJalaliYear) {
    return Invalid(messages::kJalaliYearRange);
  }
  if (parts.month < 1 || parts.month > 12) return Invalid(messages::kMonthRange);
  const int length = JalaliMonthLength(parts.year, parts.month);
  if (parts.day < 1 || parts.day > 31) {
    return Invalid(std::string(messages::kDayRangePrefix) + PersianInt(length) +
                   std::string(messages::kDayRangeSuffix));
  }
  if (parts.day > length) {
    // e.g. "اسفند ۱۴۰۲ فقط ۲۹ روز دارد (سال کبیسه نیست)"
    std::string message = MonthName(parts.month) + " " + PersianInt(parts.year) +
                          std::string(messages::kMonthHasOnly) + PersianInt(length) +
                          std::string(messages::kDays);
    if (parts.month == 12) message += messages::kNotLeapYear;
    return Invalid(message);
  }
  return JalaliDate{parts.year, parts.month, parts.day};
}

int GregorianMonthLength(int year, int month) {
  static constexpr std::array<int, 12> kLengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kLengths[static_cast<std::size_t>(month - 1)];
}

Result<std::int64_t> ValidateGregorian(const DateParts& parts) {
  if (parts.separator != '-') return Invalid(messages::kDateOrIsoFormat);
  if (parts.year < kMinSupportedGregorianYear || parts.year > kMaxSupportedGregorianYear) {
    return Invalid(messages::kGregorianYearRange);
  }
  if (parts.month < 1 || parts.month > 12) return Invalid(messages::kMonthRange);
  const int length = GregorianMonthLength(parts.year, parts.month);
  if (parts.day < 1 || parts.day > length) {
    return Invalid(std::string(messages::kDayRangePrefix) + PersianInt(length) +
                   std::string(messages::kDayRangeSuffix));
  }
  return DaysFromCivil({parts.year, parts.month, parts.day});
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - (a % b < 0 ? 1 : 0);
}

// Local (Iran) seconds, clamped to Gregorian years 1000..3000 so that the
// calendar code is never asked about years it cannot represent.
std::int64_t IranLocalSeconds(std::int64_t utc_seconds) {
  static const std::int64_t kMin = DaysFromCivil({1000, 1, 1}) * 86400;
  static const std::int64_t kMax = DaysFromCivil({3000, 12, 31}) * 86400;
  return std::clamp(utc_seconds, kMin, kMax) + kIranOffsetSeconds;
}

}  // namespace

Result<JalaliDate> ParseJalali(std::string_view text) {
  DateParts parts{};
  if (!SplitDate(text, parts)) return Invalid(messages::kDateFormat);
  return ValidateJalali(parts);
}

Result<std::int64_t> ParseDateToUnixDay(std::string_view text) {
  DateParts parts{};
  if (!SplitDate(text, parts)) return Invalid(messages::kDateOrIsoFormat);
  if (parts.year >= kFirstGregorianYear) return ValidateGregorian(parts);
  Result<JalaliDate> jalali = ValidateJalali(parts);
  if (!jalali.ok()) return jalali.error();
  return DaysFromJalali(jalali.value());
}

std::string FormatJalali(JalaliDate date, bool persian_digits) {
  std::array<char, 48> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d/%02d/%02d", date.year, date.month, date.day);
  return persian_digits ? ToPersianDigits(buffer.data()) : std::string(buffer.data());
}

std::string MonthName(int jm) {
  if (jm < 1 || jm > 12) return {};
  return std::string(kMonthNames[static_cast<std::size_t>(jm - 1)]);
}

std::string FormatJalaliLong(JalaliDate date) {
  return PersianInt(date.day) + " " + MonthName(date.month) + " " + PersianInt(date.year);
}

JalaliDate JalaliFromUnixSeconds(std::int64_t utc_seconds) {
  return JalaliFromDays(FloorDiv(IranLocalSeconds(utc_seconds), 86400));
}

std::string FormatJalaliDateTime(std::int64_t utc_seconds) {
  const std::int64_t local = IranLocalSeconds(utc_seconds);
  const std::int64_t day = FloorDiv(local, 86400);
  const std::int64_t second_of_day = local - day * 86400;
  std::array<char, 32> clock{};
  std::snprintf(clock.data(), clock.size(), "%02d:%02d", static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day % 3600 / 60));
  return FormatJalali(JalaliFromDays(day)) + " " + ToPersianDigits(clock.data());
}

}  // namespace peyvand::persian
