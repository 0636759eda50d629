#include "modules/accountability/rules.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "persian/jalali.hpp"

namespace peyvand::accountability {
namespace {

TEST(ScorecardRulesTest, OnTimeRateCountsDoneAndOverdueOnly) {
  struct Row {
    Counts counts;                         // open, overdue, on_time, late, closed
    std::optional<std::int64_t> permille;  // expected on-time rate
    const char* text;                      // as shown
    const char* comment;
  };
  const std::vector<Row> rows = {
      {{0, 0, 0, 0, 0}, std::nullopt, "—", "nothing due: no rate"},
      {{5, 0, 0, 0, 3}, std::nullopt, "—", "open but not yet late, and closed: nothing judged"},
      {{0, 0, 4, 0, 0}, 1000, "۱۰۰٪", "all on time"},
      {{0, 0, 3, 1, 0}, 750, "۷۵٪", "one of four late"},
      {{2, 2, 3, 1, 0}, 500, "۵۰٪", "overdue now counts against the agency"},
      {{3, 1, 3, 1, 9}, 600, "۶۰٪", "open but not yet due, and closed, do not count"},
      {{0, 0, 1, 2, 0}, 333, "۳۳٫۳٪", "one third, rounded"},
      {{0, 0, 2, 1, 0}, 667, "۶۶٫۷٪", "two thirds, rounded half up"},
      {{0, 0, 7, 1, 0}, 875, "۸۷٫۵٪", "a tenth of a per cent shown with the Persian decimal"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(OnTimePermille(r.counts), r.permille) << r.comment;
    EXPECT_EQ(PercentText(OnTimePermille(r.counts)), r.text) << r.comment;
  }
}

TEST(ScorecardRulesTest, MedianOfAHistogram) {
  struct Row {
    DelayHistogram h;                    // (days late, tasks)
    std::optional<std::int64_t> median;  // expected lower median
    const char* comment;
  };
  const std::vector<Row> rows = {
      {{}, std::nullopt, "no late task"},
      {{{3, 0}}, std::nullopt, "only empty buckets (all reversed out)"},
      {{{4, 1}}, 4, "one task"},
      {{{1, 1}, {9, 1}}, 1, "even count: the lower middle"},
      {{{1, 1}, {2, 1}, {9, 1}}, 2, "odd count: the middle"},
      {{{9, 1}, {1, 5}, {2, 1}}, 1, "unsorted input; most mass at 1"},
      {{{1, 2}, {5, 2}}, 1, "tie of halves: lower"},
      {{{1, 2}, {5, 3}}, 5, "just past half"},
      {{{30, 1000000}, {1, 999999}}, 30, "large counts"},
  };
  for (const auto& r : rows) EXPECT_EQ(Median(r.h), r.median) << r.comment;
}

TEST(ScorecardRulesTest, RankingBestFirstAndUnjudgedLast) {
  std::vector<AgencyCard> cards = {
      {1, "الف", {0, 0, 1, 1, 0}, std::nullopt, 0},  // 50%
      {2, "ب", {0, 0, 0, 0, 0}, std::nullopt, 0},    // nothing judged
      {3, "پ", {1, 1, 3, 0, 0}, std::nullopt, 0},    // 75%, one overdue
      {4, "ت", {0, 0, 9, 3, 0}, std::nullopt, 0},    // 75%, none overdue
      {5, "ث", {0, 0, 3, 1, 0}, std::nullopt, 0},    // 75%, none overdue, fewer done
  };
  Rank(cards);
  std::vector<std::int64_t> order;
  for (const auto& c : cards) order.push_back(c.agency_id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{4, 5, 3, 1, 2}));
  EXPECT_EQ(cards.front().rank, 1);
  EXPECT_EQ(cards[3].rank, 4);
  EXPECT_EQ(cards.back().rank, 0);
}

TEST(ScorecardRulesTest, JalaliMonthsAsDayRanges) {
  // Mehr 1405 has 30 days; Esfand 1403 is a leap Esfand (30 days), Esfand 1404 has 29.
  auto mehr = MonthPeriod(1405, 7);
  EXPECT_EQ(mehr.last_day - mehr.first_day + 1, 30);
  EXPECT_EQ(persian::JalaliFromDays(mehr.first_day), (persian::JalaliDate{1405, 7, 1}));
  EXPECT_EQ(MonthPeriod(1403, 12).last_day - MonthPeriod(1403, 12).first_day + 1, 30);
  EXPECT_EQ(MonthPeriod(1404, 12).last_day - MonthPeriod(1404, 12).first_day + 1, 29);
  auto year = MonthsPeriod(1404, 1, 1404, 12);
  EXPECT_EQ(year.last_day - year.first_day + 1, 365);
  EXPECT_EQ(MonthPeriod(1404, 1).first_day, MonthPeriod(1403, 12).last_day + 1) << "contiguous";
  auto months = MonthsOf(MonthsPeriod(1404, 11, 1405, 2));
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months.front(), std::make_pair(1404, 11));
  EXPECT_EQ(months.back(), std::make_pair(1405, 2));
  EXPECT_EQ(PreviousMonth(MonthPeriod(1405, 1).first_day), std::make_pair(1404, 12));
  EXPECT_EQ(PreviousMonth(MonthPeriod(1405, 8).last_day), std::make_pair(1405, 7));
}

TEST(ScorecardRulesTest, ParseMonth) {
  struct Row {
    const char* text;  // as typed
    int year, month;   // expected; 0: refused
  };
  const std::vector<Row> rows = {
      {"1405/08", 1405, 8}, {"۱۴۰۵/۸", 1405, 8}, {"1405-12", 1405, 12}, {"1405/13", 0, 0},
      {"1405/0", 0, 0},     {"05/08", 0, 0},     {"1405", 0, 0},        {"", 0, 0},
      {"1405/8/1", 0, 0},   {"abcd/08", 0, 0},   {"1299/01", 0, 0},
  };
  for (const auto& r : rows) {
    auto got = ParseMonth(r.text);
    if (r.year == 0) {
      EXPECT_FALSE(got.ok()) << r.text;
    } else {
      ASSERT_TRUE(got.ok()) << r.text;
      EXPECT_EQ(*got, std::make_pair(r.year, r.month)) << r.text;
    }
  }
}

// The month rollups' calendar (migration 0012, generated with ICU) agrees with our Jalali
// arithmetic for every month it holds, on both backends' copies.
TEST(ScorecardRulesTest, CalendarMonthsOfTheMigrationMatchMonthPeriod) {
  for (const char* backend : {"sqlite", "postgres"}) {
    std::ifstream in(std::string(PEYVAND_SOURCE_DIR) + "/migrations/" + backend +
                     "/0012_month_rollups.sql");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string sql = ss.str();
    int rows = 0;
    for (std::size_t at = sql.find("(1"); at != std::string::npos; at = sql.find("(1", at + 1)) {
      long jmonth = 0, first = 0, last = 0;
      if (std::sscanf(sql.c_str() + at, "(%ld, %ld, %ld)", &jmonth, &first, &last) != 3) continue;
      auto p = MonthPeriod(static_cast<int>(jmonth / 100), static_cast<int>(jmonth % 100));
      EXPECT_EQ(p.first_day, first) << backend << " " << jmonth;
      EXPECT_EQ(p.last_day, last) << backend << " " << jmonth;
      ++rows;
    }
    EXPECT_EQ(rows, 201 * 12) << backend << ": 1300/01 to 1500/12";
  }
}

}  // namespace
}  // namespace peyvand::accountability
