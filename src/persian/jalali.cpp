// Calendar arithmetic. Parsing and formatting live in jalali_text.cpp.
#include "persian/jalali.hpp"

#include <array>
#include <cassert>
#include <cstddef>

namespace peyvand::persian {
namespace {

// Borkowski's break years: the Jalali years where the 33-year leap pattern
// shifts to stay with the vernal equinox. Between two breaks leap years
// follow the 33-year cycle, so 1300..1500 all lie in one stretch (1210..1635).
constexpr std::array<int, 20> kBreaks = {-61,  9,    38,   199,  426,  686,  756,
                                         818,  1111, 1181, 1210, 1635, 2060, 2097,
                                         2192, 2262, 2324, 2394, 2456, 3178};

struct YearInfo {
  int gregorian_year;  // the Gregorian year in which this Jalali year starts
  int march_day;       // day of March that is 1 Farvardin
  int leap;            // years since the last leap year; 0 means jy is leap
};

// Integer division and remainder here truncate toward zero, exactly as in the
// published algorithm (it uses JavaScript's ~~(a / b)); some intermediate
// values are negative and the algorithm depends on that rounding.
YearInfo JalCal(int jy) {
  assert(jy >= kMinAlgorithmJalaliYear && jy <= kMaxAlgorithmJalaliYear);
  const int gy = jy + 621;
  int leap_j = -14;
  int jp = kBreaks[0];
  int jump = 0;
  for (std::size_t i = 1; i < kBreaks.size(); ++i) {
    const int jm = kBreaks[i];
    jump = jm - jp;
    if (jy < jm) break;
    leap_j += jump / 33 * 8 + jump % 33 / 4;
    jp = jm;
  }
  int n = jy - jp;

  // Leap days from AD 621 to the start of jy, in each calendar.
  leap_j += n / 33 * 8 + (n % 33 + 3) / 4;
  if (jump % 33 == 4 && jump - n == 4) leap_j += 1;
  const int leap_g = gy / 4 - (gy / 100 + 1) * 3 / 4 - 150;
  const int march = 20 + leap_j - leap_g;

  if (jump - n < 6) n = n - jump + (jump + 4) / 33 * 33;
  int leap = ((n + 1) % 33 - 1) % 4;
  if (leap == -1) leap = 4;
  return {gy, march, leap};
}

std::int64_t FarvardinFirst(const YearInfo& info) {
  return DaysFromCivil({info.gregorian_year, 3, info.march_day});
}

}  // namespace

std::int64_t DaysFromCivil(CivilDate date) {
  const std::int64_t y = static_cast<std::int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                          // [0, 399]
  const std::int64_t mp = (date.month + 9) % 12;                   // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;      // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;  // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                       // [0, 11]
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;               // [1, 31]
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;                  // [1, 12]
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

bool IsJalaliLeapYear(int jy) {
  if (jy < kMinAlgorithmJalaliYear || jy > kMaxAlgorithmJalaliYear) return false;
  return JalCal(jy).leap == 0;
}

int JalaliMonthLength(int jy, int jm) {
  if (jm < 1 || jm > 12) return 0;
  if (jm <= 6) return 31;
  if (jm <= 11) return 30;
  return IsJalaliLeapYear(jy) ? 30 : 29;
}

bool IsValidJalali(JalaliDate date) {
  if (date.year < kMinSupportedJalaliYear || date.year > kMaxSupportedJalaliYear) return false;
  return date.day >= 1 && date.day <= JalaliMonthLength(date.year, date.month);
}

std::int64_t DaysFromJalali(JalaliDate date) {
  assert(date.month >= 1 && date.month <= 12);
  const int jm = date.month;
  // Months 1..6 have 31 days and 7..12 have 30, whence the offset formula.
  const int month_offset = (jm - 1) * 31 - jm / 7 * (jm - 7);
  return FarvardinFirst(JalCal(date.year)) + month_offset + date.day - 1;
}

JalaliDate JalaliFromDays(std::int64_t days) {
  const int gy = CivilFromDays(days).year;
  int jy = gy - 621;
  const YearInfo info = JalCal(jy);
  auto k = static_cast<int>(days - FarvardinFirst(info));
  if (k >= 0) {
    if (k <= 185) return {jy, 1 + k / 31, k % 31 + 1};
    k -= 186;
  } else {
    // Still in the previous Jalali year (January to mid-March). Its last six
    // months have 179 days before Esfand's possible leap day.
    jy -= 1;
    k += 179;
    if (info.leap == 1) k += 1;
  }
  return {jy, 7 + k / 30, k % 30 + 1};
}

JalaliDate ToJalali(CivilDate date) {
  return JalaliFromDays(DaysFromCivil(date));
}

CivilDate ToGregorian(JalaliDate date) {
  return CivilFromDays(DaysFromJalali(date));
}

std::int64_t JalaliMonthKey(std::int64_t days) {
  auto j = JalaliFromDays(days);
  return j.year * 100 + j.month;
}

}  // namespace peyvand::persian
