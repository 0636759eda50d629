#include "persian/jalali.hpp"

#include <gtest/gtest.h>
#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace peyvand::persian {
namespace {

struct KnownDate {
  JalaliDate jalali;
  CivilDate civil;
  const char* comment;
};

const std::vector<KnownDate> kKnownDates = {
    {{1300, 1, 1}, {1921, 3, 21}, "first supported Nowruz"},
    {{1348, 10, 11}, {1970, 1, 1}, "Unix epoch"},
    {{1354, 1, 1}, {1975, 3, 21}, "Nowruz 1354"},
    {{1357, 11, 11}, {1979, 1, 31}, "11 Bahman 1357"},
    {{1357, 11, 22}, {1979, 2, 11}, "22 Bahman 1357"},
    {{1378, 10, 11}, {2000, 1, 1}, "Y2K"},
    {{1399, 1, 1}, {2020, 3, 20}, "Nowruz 1399 (a leap year)"},
    {{1399, 12, 30}, {2021, 3, 20}, "leap day of 1399"},
    {{1400, 1, 1}, {2021, 3, 21}, "Nowruz 1400"},
    {{1401, 7, 1}, {2022, 9, 23}, "first day of autumn"},
    {{1402, 12, 29}, {2024, 3, 19}, "last day of common year 1402"},
    {{1403, 1, 1}, {2024, 3, 20}, "Nowruz 1403"},
    {{1403, 1, 5}, {2024, 3, 24}, "example used by the API docs"},
    {{1403, 12, 30}, {2025, 3, 20}, "leap day of 1403"},
    {{1404, 1, 1}, {2025, 3, 21}, "Nowruz 1404"},
    {{1404, 12, 29}, {2026, 3, 20}, "1404 is common"},
    {{1408, 1, 1}, {2029, 3, 20}, "Nowruz 1408"},
    {{1408, 12, 30}, {2030, 3, 20}, "leap day of 1408 (five years after 1403)"},
};

TEST(JalaliTest, KnownDates) {
  for (const KnownDate& row : kKnownDates) {
    EXPECT_EQ(ToGregorian(row.jalali), row.civil) << row.comment;
    EXPECT_EQ(ToJalali(row.civil), row.jalali) << row.comment;
  }
}

TEST(JalaliTest, LeapYears) {
  struct Row {
    int year;
    bool leap;
  };
  const std::vector<Row> rows = {
      {1391, true},  {1395, true}, {1399, true},  {1400, false}, {1401, false},
      {1402, false}, {1403, true}, {1404, false}, {1405, false}, {1406, false},
      {1407, false}, {1408, true}, {1412, true},  {-62, false},  {3178, false},
  };
  for (const Row& row : rows) EXPECT_EQ(IsJalaliLeapYear(row.year), row.leap) << row.year;
}

TEST(JalaliTest, MonthLengths) {
  for (int jm = 1; jm <= 6; ++jm) EXPECT_EQ(JalaliMonthLength(1402, jm), 31) << jm;
  for (int jm = 7; jm <= 11; ++jm) EXPECT_EQ(JalaliMonthLength(1402, jm), 30) << jm;
  EXPECT_EQ(JalaliMonthLength(1402, 12), 29);
  EXPECT_EQ(JalaliMonthLength(1403, 12), 30);
  EXPECT_EQ(JalaliMonthLength(1403, 0), 0);
  EXPECT_EQ(JalaliMonthLength(1403, 13), 0);
}

TEST(JalaliTest, IsValidJalali) {
  EXPECT_TRUE(IsValidJalali({1403, 12, 30}));
  EXPECT_FALSE(IsValidJalali({1402, 12, 30}));
  EXPECT_FALSE(IsValidJalali({1403, 7, 31}));
  EXPECT_FALSE(IsValidJalali({1403, 1, 0}));
  EXPECT_FALSE(IsValidJalali({1403, 0, 1}));
  EXPECT_FALSE(IsValidJalali({1299, 12, 29}));
  EXPECT_FALSE(IsValidJalali({1501, 1, 1}));
}

// Every day of the supported range: day numbers are consecutive, both
// directions agree, and each year's length agrees with IsJalaliLeapYear.
TEST(JalaliTest, EveryDayRoundTrips) {
  std::int64_t expected_day = DaysFromJalali({kMinSupportedJalaliYear, 1, 1});
  EXPECT_EQ(expected_day, DaysFromCivil({1921, 3, 21}));
  for (int jy = kMinSupportedJalaliYear; jy <= kMaxSupportedJalaliYear; ++jy) {
    EXPECT_EQ(DaysFromJalali({jy + 1, 1, 1}) - DaysFromJalali({jy, 1, 1}),
              IsJalaliLeapYear(jy) ? 366 : 365)
        << jy;
    for (int jm = 1; jm <= 12; ++jm) {
      for (int jd = 1; jd <= JalaliMonthLength(jy, jm); ++jd) {
        const JalaliDate date{jy, jm, jd};
        ASSERT_EQ(DaysFromJalali(date), expected_day) << FormatJalali(date, false);
        ASSERT_EQ(JalaliFromDays(expected_day), date) << expected_day;
        ASSERT_EQ(ToJalali(ToGregorian(date)), date) << FormatJalali(date, false);
        ++expected_day;
      }
    }
  }
}

// An independent implementation: ICU's Persian calendar (a 33-year
// arithmetic rule, which coincides with the astronomical calendar over these
// years). Checked on every day of the supported range.
TEST(JalaliTest, AgreesWithIcuPersianCalendarEveryDay) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> calendar(icu::Calendar::createInstance(
      icu::TimeZone::getGMT()->clone(), icu::Locale("fa_IR@calendar=persian"), status));
  ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  const std::int64_t first = DaysFromJalali({kMinSupportedJalaliYear, 1, 1});
  const std::int64_t last = DaysFromJalali({kMaxSupportedJalaliYear + 1, 1, 1});
  for (std::int64_t day = first; day < last; ++day) {
    calendar->setTime(static_cast<UDate>(day) * 86400000.0 + 43200000.0, status);
    const JalaliDate icu_date{calendar->get(UCAL_EXTENDED_YEAR, status),
                              calendar->get(UCAL_MONTH, status) + 1,
                              calendar->get(UCAL_DATE, status)};
    ASSERT_TRUE(U_SUCCESS(status));
    ASSERT_EQ(JalaliFromDays(day), icu_date)
        << CivilFromDays(day).year << "-" << CivilFromDays(day).month << "-"
        << CivilFromDays(day).day;
  }
}

TEST(CivilTest, DaysFromCivil) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({2024, 3, 24}), 19806);
  for (std::int64_t d = -800000; d <= 800000; d += 37) {
    ASSERT_EQ(DaysFromCivil(CivilFromDays(d)), d);
  }
}

struct ParseOk {
  std::string_view input;
  JalaliDate expected;
  const char* comment;
};

TEST(ParseJalaliTest, Accepts) {
  const std::vector<ParseOk> rows = {
      {"1403/01/05", {1403, 1, 5}, "canonical shape"},
      {"1403-1-5", {1403, 1, 5}, "dashes, no zero padding"},
      {"۱۴۰۳/۰۱/۰۵", {1403, 1, 5}, "Persian digits"},
      {"١٤٠٣/١/٥", {1403, 1, 5}, "Arabic-Indic digits"},
      {"  1403/01/05\t", {1403, 1, 5}, "surrounding whitespace"},
      {"\u200F۱۴۰۳/۰۱/۰۵\u200E", {1403, 1, 5}, "bidi marks from copied text"},
      {"1403/12/30", {1403, 12, 30}, "leap day"},
      {"1300/1/1", {1300, 1, 1}, "first supported day"},
      {"1500/12/29", {1500, 12, 29}, "last month of last supported year"},
  };
  for (const ParseOk& row : rows) {
    const Result<JalaliDate> result = ParseJalali(row.input);
    ASSERT_TRUE(result.ok()) << row.comment << ": " << result.error().message;
    EXPECT_EQ(result.value(), row.expected) << row.comment;
  }
}

struct ParseError {
  std::string_view input;
  std::string_view message;  // exact Persian message
  const char* comment;
};

const std::string_view kFormat = "تاریخ باید به شکل ۱۴۰۳/۰۱/۱۵ باشد";

TEST(ParseJalaliTest, Rejects) {
  const std::vector<ParseError> rows = {
      {"1402/12/30", "اسفند ۱۴۰۲ فقط ۲۹ روز دارد (سال کبیسه نیست)", "no leap day in 1402"},
      {"1403/07/31", "مهر ۱۴۰۳ فقط ۳۰ روز دارد", "second half-year has 30-day months"},
      {"1403/13/01", "ماه باید بین ۱ تا ۱۲ باشد", "month 13"},
      {"1403/00/01", "ماه باید بین ۱ تا ۱۲ باشد", "month 0"},
      {"1403/01/00", "روز باید بین ۱ تا ۳۱ باشد", "day 0"},
      {"1403/07/99", "روز باید بین ۱ تا ۳۰ باشد", "day far too large"},
      {"1299/12/29", "سال باید بین ۱۳۰۰ تا ۱۵۰۰ باشد", "before supported range"},
      {"1501/01/01", "سال باید بین ۱۳۰۰ تا ۱۵۰۰ باشد", "after supported range"},
      {"", kFormat, "empty"},
      {"   ", kFormat, "blank"},
      {"1403/01", kFormat, "no day"},
      {"1403/01/05/", kFormat, "trailing separator"},
      {"03/01/05", kFormat, "two-digit year"},
      {"14033/01/05", kFormat, "five-digit year"},
      {"1403/001/05", kFormat, "three-digit month"},
      {"1403/1/5x", kFormat, "trailing letter"},
      {"1403.01.05", kFormat, "dots are not separators"},
      {"1403/01-05", kFormat, "mixed separators"},
      {"1403 / 01 / 05", kFormat, "spaces inside"},
      {"+1403/01/05", kFormat, "sign"},
      {"05/01/1403", kFormat, "day first"},
      {"۱۴۰۳\xFF/۰۱/۰۵", kFormat, "ill-formed UTF-8"},
      {"1403/01/05                                                              ", kFormat,
       "longer than the input limit"},
  };
  for (const ParseError& row : rows) {
    const Result<JalaliDate> result = ParseJalali(row.input);
    ASSERT_FALSE(result.ok()) << row.comment;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalid) << row.comment;
    EXPECT_EQ(result.error().message, row.message) << row.comment;
  }
}

TEST(ParseDateToUnixDayTest, Table) {
  struct Row {
    std::string_view input;
    bool ok;
    std::int64_t day;  // when ok
    const char* comment;
  };
  const std::int64_t kDay = DaysFromCivil({2024, 3, 24});
  const std::vector<Row> rows = {
      {"2024-03-24", true, kDay, "ISO"},
      {"1403/01/05", true, kDay, "the same day in Jalali"},
      {"۱۴۰۳-۰۱-۰۵", true, kDay, "Jalali with dashes and Persian digits"},
      {" 2024-3-24 ", true, kDay, "loose ISO"},
      {"2024-02-29", true, DaysFromCivil({2024, 2, 29}), "Gregorian leap day"},
      {"1970-01-01", true, 0, "epoch"},
      {"2023-02-29", false, 0, "not a Gregorian leap year"},
      {"2100-02-29", false, 0, "century rule"},
      {"2024-13-01", false, 0, "month 13"},
      {"2024/03/24", false, 0, "Gregorian must use ISO dashes"},
      {"1899-12-31", false, 0, "before supported Gregorian years"},
      {"1600/01/01", false, 0, "Jalali year out of range"},
      {"1402/12/30", false, 0, "invalid Jalali"},
      {"24-03-2024", false, 0, "not ISO"},
      {"", false, 0, "empty"},
  };
  for (const Row& row : rows) {
    const Result<std::int64_t> result = ParseDateToUnixDay(row.input);
    ASSERT_EQ(result.ok(), row.ok) << row.comment;
    if (row.ok) {
      EXPECT_EQ(result.value(), row.day) << row.comment;
    } else {
      EXPECT_EQ(result.error().code, ErrorCode::kInvalid) << row.comment;
      EXPECT_FALSE(result.error().message.empty()) << row.comment;
    }
  }
}

TEST(FormatTest, Dates) {
  EXPECT_EQ(FormatJalali({1403, 1, 5}), "۱۴۰۳/۰۱/۰۵");
  EXPECT_EQ(FormatJalali({1403, 1, 5}, false), "1403/01/05");
  EXPECT_EQ(FormatJalali({1403, 12, 30}), "۱۴۰۳/۱۲/۳۰");
  EXPECT_EQ(FormatJalaliLong({1403, 1, 5}), "۵ فروردین ۱۴۰۳");
  EXPECT_EQ(FormatJalaliLong({1357, 11, 22}), "۲۲ بهمن ۱۳۵۷");
}

TEST(FormatTest, MonthNames) {
  const std::vector<std::string_view> names = {"فروردین", "اردیبهشت", "خرداد", "تیر",
                                               "مرداد",   "شهریور",   "مهر",   "آبان",
                                               "آذر",     "دی",       "بهمن",  "اسفند"};
  for (int jm = 1; jm <= 12; ++jm)
    EXPECT_EQ(MonthName(jm), names[static_cast<std::size_t>(jm - 1)]);
  EXPECT_EQ(MonthName(0), "");
  EXPECT_EQ(MonthName(13), "");
}

TEST(FormatTest, RoundTripThroughParse) {
  for (const KnownDate& row : kKnownDates) {
    const Result<JalaliDate> parsed = ParseJalali(FormatJalali(row.jalali));
    ASSERT_TRUE(parsed.ok()) << row.comment;
    EXPECT_EQ(parsed.value(), row.jalali) << row.comment;
  }
}

TEST(TimeTest, IranStandardTime) {
  struct Row {
    std::int64_t utc_seconds;
    std::string_view expected;
    const char* comment;
  };
  const std::int64_t kNowruz1403 = DaysFromCivil({2024, 3, 20}) * 86400;  // 00:00 UTC
  const std::vector<Row> rows = {
      {DaysFromCivil({2024, 3, 24}) * 86400 + std::int64_t{11} * 3600, "۱۴۰۳/۰۱/۰۵ ۱۴:۳۰",
       "UTC 11:00 is 14:30"},
      {kNowruz1403 - 12600, "۱۴۰۳/۰۱/۰۱ ۰۰:۰۰", "local midnight is 20:30 UTC the day before"},
      {kNowruz1403 - 12601, "۱۴۰۲/۱۲/۲۹ ۲۳:۵۹", "one second earlier is the previous year"},
      {-12600, "۱۳۴۸/۱۰/۱۱ ۰۰:۰۰", "before the epoch: floor, not truncation"},
      {DaysFromCivil({2021, 6, 1}) * 86400, "۱۴۰۰/۰۳/۱۱ ۰۳:۳۰", "no DST applied to 2021"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(FormatJalaliDateTime(row.utc_seconds), row.expected) << row.comment;
  }
  EXPECT_EQ(JalaliFromUnixSeconds(kNowruz1403 - 12600), (JalaliDate{1403, 1, 1}));
  EXPECT_EQ(JalaliFromUnixSeconds(kNowruz1403 - 12601), (JalaliDate{1402, 12, 29}));
}

TEST(TimeTest, ExtremeTimestampsDoNotCrash) {
  EXPECT_FALSE(FormatJalaliDateTime(std::numeric_limits<std::int64_t>::max()).empty());
  EXPECT_FALSE(FormatJalaliDateTime(std::numeric_limits<std::int64_t>::min()).empty());
  EXPECT_GT(JalaliFromUnixSeconds(std::numeric_limits<std::int64_t>::max()).year, 2000);
}

}  // namespace
}  // namespace peyvand::persian
