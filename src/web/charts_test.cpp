#include "web/charts.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace peyvand::web {
namespace {

int Count(const std::string& s, const std::string& what) {
  int n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// The values of attribute `attr` of every `<tag` element, in order (std::regex trips GCC 12's
// maybe-uninitialized warning under the sanitizers).
std::vector<std::string> Attrs(const std::string& svg, const std::string& tag,
                               const std::string& attr) {
  std::vector<std::string> out;
  for (std::size_t at = svg.find("<" + tag + " "); at != std::string::npos;
       at = svg.find("<" + tag + " ", at + 1)) {
    std::size_t end = svg.find('>', at);
    std::size_t a = svg.find(" " + attr + "=\"", at);
    if (a == std::string::npos || a > end) continue;
    a += attr.size() + 3;
    out.push_back(svg.substr(a, svg.find('"', a) - a));
  }
  return out;
}

// The x of the nth <rect> (bars are drawn label, track?, bar, value).
double RectX(const std::string& svg, std::size_t nth) {
  return std::stod(Attrs(svg, "rect", "x").at(nth));
}

TEST(ChartsTest, BarsGrowFromTheRightWithPersianDigitsAndEscapedLabels) {
  ChartOptions o{"اشغال <مراکز>", 560, 26};
  auto svg = BarChart(
      {{"مرکز «الف» & ب", 50, 100, "", false}, {"مرکز ج", 100, std::nullopt, "", true}}, o);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("<title>اشغال &lt;مراکز&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("مرکز «الف» &amp; ب"), std::string::npos) << "labels are escaped";
  EXPECT_EQ(svg.find("<مراکز>"), std::string::npos);
  EXPECT_NE(svg.find("۵۰"), std::string::npos) << "values in Persian digits";
  EXPECT_NE(svg.find("۱۰۰"), std::string::npos);
  EXPECT_EQ(svg.find("style="), std::string::npos) << "no style attributes (CSP)";
  // First row: track (capacity 100) then bar (50): the bar starts further right, half as wide.
  double track_x = RectX(svg, 0), bar_x = RectX(svg, 1), full_x = RectX(svg, 2);
  EXPECT_GT(bar_x, track_x);
  EXPECT_DOUBLE_EQ(full_x, track_x) << "100 of 100 fills the same width as the capacity";
  EXPECT_NE(svg.find("#b02a37"), std::string::npos) << "the alert bar";
  EXPECT_EQ(Count(svg, "<rect"), 3);
}

TEST(ChartsTest, EmptyChartsSayThereIsNoData) {
  ChartOptions o{"خالی", 400, 20};
  EXPECT_NE(BarChart({}, o).find("داده‌ای نیست"), std::string::npos);
  EXPECT_NE(FunnelChart({}, o).find("داده‌ای نیست"), std::string::npos);
  EXPECT_NE(
      FunnelChart({{"جمع‌آوری", 0, {}, "", false}}, o).find("داده‌ای نیست"),
      std::string::npos);
  EXPECT_NE(LineChart({}, 100, "٪", o).find("داده‌ای نیست"), std::string::npos);
}

TEST(ChartsTest, FunnelSharesOfTheFirstStage) {
  ChartOptions o{"مسیر", 560, 26};
  auto svg = FunnelChart({{"جمع‌آوری", 200, {}, "", false},
                          {"غربالگری", 100, {}, "", false},
                          {"پذیرش", 50, {}, "", false}},
                         o);
  EXPECT_NE(svg.find("(۱۰۰٪)"), std::string::npos);
  EXPECT_NE(svg.find("(۵۰٪)"), std::string::npos);
  EXPECT_NE(svg.find("(۲۵٪)"), std::string::npos);
  EXPECT_EQ(Count(svg, "<rect"), 3);
}

TEST(ChartsTest, LineRunsRightToLeftAndBreaksAtGaps) {
  ChartOptions o{"روند", 500, 26};
  auto svg = LineChart({{"مهر", 80}, {"آبان", std::nullopt}, {"آذر", 60}}, 100, "٪", o);
  // Two segments (the gap splits the line), three month labels, two dots.
  auto paths = Attrs(svg, "path", "d");
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(Count(paths[0], "M"), 2) << paths[0];
  EXPECT_EQ(Count(svg, "<circle"), 2);
  EXPECT_LT(svg.find("مهر"), svg.find("آذر"));
  // The first point (Mehr) is at the right.
  auto cx = Attrs(svg, "circle", "cx");
  ASSERT_EQ(cx.size(), 2u);
  double first = std::stod(cx[0]);
  double last = std::stod(cx[1]);
  EXPECT_GT(first, last);
  EXPECT_NE(svg.find("مهر: ۸۰٪"), std::string::npos);
}

}  // namespace
}  // namespace peyvand::web
