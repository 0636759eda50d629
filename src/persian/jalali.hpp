// Solar Hijri (Jalali) calendar: conversion, validation, parsing and Persian
// display. Storage is UTC / ISO; this is the display and input side.
//
// Conversions use Borkowski's "breaks" algorithm (the one behind jalaali-js
// and jalaali-go), which follows the astronomical Iranian calendar for years
// -61..3177 AP. The 2820-year (Birashk) arithmetic cycle is not used: it gets
// real years wrong (it makes 1404 leap instead of 1403).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace peyvand::persian {

struct JalaliDate {
  int year = 0;
  int month = 0;  // 1 = Farvardin .. 12 = Esfand
  int day = 0;
  friend bool operator==(const JalaliDate&, const JalaliDate&) = default;
};

struct CivilDate {  // proleptic Gregorian
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Years the algorithm is defined for. Conversion functions assert that their
// argument lies inside; nothing derived from user input can reach them
// outside, because the parsers enforce the narrower supported range below.
inline constexpr int kMinAlgorithmJalaliYear = -61;
inline constexpr int kMaxAlgorithmJalaliYear = 3177;

// Years accepted from users and checked day by day in the tests.
inline constexpr int kMinSupportedJalaliYear = 1300;
inline constexpr int kMaxSupportedJalaliYear = 1500;

// Gregorian years accepted by ParseDateToUnixDay.
inline constexpr int kMinSupportedGregorianYear = 1900;
inline constexpr int kMaxSupportedGregorianYear = 2200;

// Iran Standard Time, UTC+03:30. Iran abolished daylight saving time in 2022
// (1401); we apply +03:30 all year for every date, so summer timestamps from
// before 2022 are shown one hour behind the wall clock of the time.
inline constexpr std::int64_t kIranOffsetSeconds = 3 * 3600 + 30 * 60;

// Days since 1970-01-01 (negative before), Howard Hinnant's algorithms. Valid
// for any date whose day count fits; callers pass real calendar dates.
std::int64_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(std::int64_t days);

// False for years outside kMin/kMaxAlgorithmJalaliYear.
bool IsJalaliLeapYear(int jy);
// 31 for months 1..6, 30 for 7..11, 29 or 30 for 12; 0 for a month outside 1..12.
int JalaliMonthLength(int jy, int jm);
// A real calendar date within the supported years 1300..1500.
bool IsValidJalali(JalaliDate date);

// Precondition: the date lies within the algorithm's years (Gregorian years
// 560..3798 for the reverse direction) and month/day are in range.
JalaliDate ToJalali(CivilDate date);
CivilDate ToGregorian(JalaliDate date);
std::int64_t DaysFromJalali(JalaliDate date);
JalaliDate JalaliFromDays(std::int64_t days);
// The Jalali month holding a unix day as year * 100 + month (140508), the key of the month
// rollups (migration 0012).
std::int64_t JalaliMonthKey(std::int64_t days);

// Accepts "1403/01/05", "1403-1-5", "۱۴۰۳/۰۱/۰۵", "١٤٠٣/١/٥" and surrounding
// whitespace or bidi marks: a 4-digit year, a 1-2 digit month and day, the
// same separator ('/' or '-') twice. Anything else is ErrorCode::kInvalid with
// a Persian message that says whether the shape or the date itself is wrong.
Result<JalaliDate> ParseJalali(std::string_view text);

// Accepts an ISO Gregorian date "2024-03-24" or a Jalali date as above; a
// 4-digit year below 1700 means Jalali. Returns days since 1970-01-01. This is
// what the API uses for inputs that "accept ISO or Jalali".
Result<std::int64_t> ParseDateToUnixDay(std::string_view text);

// "۱۴۰۳/۰۱/۰۵", or "1403/01/05" with persian_digits = false.
std::string FormatJalali(JalaliDate date, bool persian_digits = true);
// فروردین .. اسفند; empty for a month outside 1..12.
std::string MonthName(int jm);
// "۵ فروردین ۱۴۰۳".
std::string FormatJalaliLong(JalaliDate date);

// The Iranian calendar date (UTC+03:30) at a UTC instant. Timestamps beyond
// Gregorian years 1000..3000 can only come from corrupt data and are clamped.
JalaliDate JalaliFromUnixSeconds(std::int64_t utc_seconds);
// "۱۴۰۳/۰۱/۰۵ ۱۴:۳۰" in Iran Standard Time (see kIranOffsetSeconds).
std::string FormatJalaliDateTime(std::int64_t utc_seconds);

}  // namespace peyvand::persian
