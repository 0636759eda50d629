#include "modules/dashboard/suppression.hpp"

#include <gtest/gtest.h>

namespace peyvand::dashboard {
namespace {

using Cells = std::vector<std::vector<std::int64_t>>;
using Shown = std::vector<std::vector<std::optional<std::int64_t>>>;
constexpr auto X = std::nullopt;  // withheld

TEST(SuppressionTest, SmallCellsAreWithheldAndCannotBeWorkedOut) {
  struct Row {
    Cells cells;     // counts by county (rows) and figure (columns)
    Shown expected;  // what the public page shows
    const char* comment;
  };
  const std::vector<Row> rows = {
      {{{10, 20}, {30, 40}}, {{10, 20}, {30, 40}}, "nothing small: all shown"},
      {{{0, 20}, {30, 40}, {50, 60}},
       {{X, X}, {X, X}, {50, 60}},
       "zero is under 5; protecting its row and column spreads until no line has one alone"},
      {{{4, 5}}, {{X, X}}, "4 withheld; 5 then withheld so 4 cannot be derived from the total"},
      {{{5, 6}}, {{5, 6}}, "5 is shown"},
      {{{1, 2}, {3, 4}}, {{X, X}, {X, X}}, "all small"},
      {{{100, 1, 100}, {100, 100, 100}},
       {{X, X, 100}, {X, X, 100}},
       "a row protected, then the columns it touched"},
  };
  for (const auto& r : rows) {
    auto got = Suppress(r.cells);
    EXPECT_EQ(got, r.expected) << r.comment;
    // No line ever ends with exactly one withheld cell.
    // No line of two or more cells ever has exactly one withheld cell.
    for (const auto& line : got) {
      int withheld = 0;
      for (const auto& c : line) withheld += c ? 0 : 1;
      if (line.size() > 1) {
        EXPECT_NE(withheld, 1) << r.comment;
      }
    }
    for (std::size_t c = 0; got.size() > 1 && c < got.front().size(); ++c) {
      int withheld = 0;
      for (const auto& line : got) withheld += line[c] ? 0 : 1;
      EXPECT_NE(withheld, 1) << r.comment << " (column " << c << ")";
    }
    // Nothing under 5 is ever shown.
    for (const auto& line : got) {
      for (const auto& c : line) {
        if (c) {
          EXPECT_GE(*c, kMinCell) << r.comment;
        }
      }
    }
  }
}

TEST(SuppressionTest, SingleFiguresAndText) {
  EXPECT_EQ(SuppressOne(4), std::nullopt);
  EXPECT_EQ(SuppressOne(0), std::nullopt);
  EXPECT_EQ(SuppressOne(5), 5);
  EXPECT_EQ(CellText(std::nullopt), "محرمانه");
  EXPECT_EQ(CellText(1234), "۱٬۲۳۴");
}

}  // namespace
}  // namespace peyvand::dashboard
