#include "modules/dashboard/report.hpp"

#include <algorithm>
#include <cstdio>

#include "modules/accountability/rules.hpp"
#include "modules/dashboard/views.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"
#include "report/document.hpp"

namespace peyvand::dashboard {
namespace {

using report::Align;
using report::ChartBlock;
using report::SpaceBlock;
using report::TableBlock;
using report::TextBlock;

// Chart widths in scene units: a full-width chart is drawn at 515 points, so its 12-unit text
// comes out at about 9.6 points.
constexpr int kFullChart = 640;
constexpr int kHalfChart = 420;

std::string Num(std::int64_t n) {
  return persian::FormatNumber(n);
}

TextBlock Note(std::string text) {
  return TextBlock{.text = std::move(text), .size = 9.5};
}

std::string MonthOf(const Filter& f) {
  auto m = persian::JalaliFromDays(f.base.period.first_day);
  return accountability::MonthText(m.year, m.month);
}

void TitleBlock(report::Document& doc, const MonthlyReport& r) {
  const auto& fig = r.figures;
  doc.Add(TextBlock{.text = "گزارش ماهانهٔ هماهنگی به شورای استان",
                    .size = 20,
                    .bold = true,
                    .align = Align::kCentre});
  doc.Add(TextBlock{
      .text = "طرح ساماندهی و توانمندسازی معتادان متجاهر", .size = 12, .align = Align::kCentre});
  doc.Add(TextBlock{.text = "استان " + r.province + " — " + MonthOf(r.filter),
                    .size = 15,
                    .bold = true,
                    .align = Align::kCentre});
  doc.Add(TextBlock{
      .text = "شهرستان: " + (r.county.empty() ? "همهٔ شهرستان‌ها" : r.county) +
              " · دستگاه: " + (r.agency.empty() ? "همهٔ دستگاه‌ها" : r.agency),
      .size = 10,
      .align = Align::kCentre});
  doc.Add(TextBlock{
      .text =
          "تهیه‌شده در " + persian::FormatJalaliDateTime(r.generated_at_ms / 1000) +
          (r.generated_by.empty() ? "" : " به درخواست " + r.generated_by) +
          "؛ همهٔ ارقام از داده‌های ثبت‌شده در سامانهٔ پیوند شمرده شده‌اند.",
      .size = 8.5,
      .align = Align::kCentre,
      .muted = true});
  doc.Add(SpaceBlock{6});

  auto beds = views::BedTotals(fig.facilities);
  std::int64_t capacity = beds.capacity_male + beds.capacity_female;
  std::int64_t occupied = beds.occupied_male + beds.occupied_female;
  std::int64_t overdue = 0, late_agencies = 0;
  for (const auto& c : fig.ranking.agencies) {
    overdue += c.counts.overdue;
    late_agencies += c.counts.overdue > 0 ? 1 : 0;
  }
  web::Table summary{"خلاصه", {"شاخص", "مقدار"}, {}};
  for (const auto& s : views::kFunnelSteps) {
    summary.rows.push_back({web::Cell(s.label), web::Cell(views::Flow(fig, s.code))});
  }
  summary.rows.push_back({web::Cell("جمع‌آوری دوباره در کمتر از ۶ ماه"),
                          web::Cell(views::Flow(fig, "recollected_6"))});
  summary.rows.push_back(
      {web::Cell("جمع‌آوری دوباره در کمتر از ۱۲ ماه"),
       web::Cell(views::Flow(fig, "recollected_12"))});
  summary.rows.push_back({web::Cell("تخت‌های اشغال از ظرفیت"),
                          web::Cell(Num(occupied) + " از " + Num(capacity) + " (" +
                                    views::Share(occupied, capacity) + ")")});
  summary.rows.push_back(
      {web::Cell("نگهداری بیش از مهلت قانونی (اکنون)"), web::Cell(fig.stays_past_end)});
  summary.rows.push_back({web::Cell("کارهای عقب‌افتادهٔ دستگاه‌ها"),
                          web::Cell(Num(overdue) + " (" + Num(late_agencies) + " دستگاه)")});
  summary.rows.push_back(
      {web::Cell("بندهای بدون پشتوانهٔ کامل مالی"),
       web::Cell(Num(fig.unfunded.clauses) + " بند، کسری " + Num(fig.unfunded.gap) + " ریال")});
  doc.Add(TableBlock{.table = summary, .widths = {3, 2}, .size = 10});
}

void FlowPart(report::Document& doc, const MonthlyReport& r) {
  const auto& fig = r.figures;
  doc.Heading("مسیر: از جمع‌آوری تا اشتغال");
  web::Table steps{"", {"مرحله", "تعداد", "نسبت به جمع‌آوری"}, {}};
  for (const auto& s : views::kFunnelSteps) {
    steps.rows.push_back(
        {web::Cell(s.label), web::Cell(views::Flow(fig, s.code)),
         web::Cell(views::Share(views::Flow(fig, s.code), views::Flow(fig, "collected")))});
  }
  doc.Row(
      {ChartBlock{web::FunnelScene(views::FunnelBars(fig), {views::kFunnelTitle, kHalfChart, 30})},
       TableBlock{.table = steps, .widths = {3, 2, 2}, .size = 8.5}},
      {4, 3});
  std::int64_t collected = views::Flow(fig, "collected");
  doc.Add(Note("جمع‌آوری دوباره در کمتر از ۶ ماه: " +
               Num(views::Flow(fig, "recollected_6")) + " (" +
               views::Share(views::Flow(fig, "recollected_6"), collected) +
               ")، در کمتر از ۱۲ ماه: " + Num(views::Flow(fig, "recollected_12")) + " (" +
               views::Share(views::Flow(fig, "recollected_12"), collected) + ")."));
}

void BedsPart(report::Document& doc, const MonthlyReport& r,
              const std::vector<web::Table>& tables) {
  const auto& fig = r.figures;
  doc.Heading("اشغال تخت‌ها در برابر ظرفیت");
  auto beds = views::BedTotals(fig.facilities);
  doc.Add(Note("مردان " + Num(beds.occupied_male) + " از " + Num(beds.capacity_male) + " · زنان " +
               Num(beds.occupied_female) + " از " + Num(beds.capacity_female) + " · کل " +
               views::Share(beds.occupied_male + beds.occupied_female,
                            beds.capacity_male + beds.capacity_female) +
               ". نگهداری بیش از مهلت قانونی دستور قضایی (اکنون): " + Num(fig.stays_past_end) +
               "."));
  auto by_occupancy = views::ByOccupancy(fig.facilities);
  doc.Add(
      ChartBlock{web::BarScene(views::BedBars(by_occupancy), {views::kBedsTitle, kFullChart, 24})});
  TableBlock all{.table = tables[views::kBedsTable], .widths = {4, 3, 2, 2, 2, 2}};
  all.table.name = "همهٔ مراکز";
  doc.Add(std::move(all));
}

void DutiesPart(report::Document& doc, const MonthlyReport& r,
                const std::vector<web::Table>& tables) {
  doc.Heading("انجام وظایف دستگاه‌ها");
  doc.Add(ChartBlock{
      web::BarScene(views::OnTimeBars(r.figures), {views::kOnTimeTitle, kFullChart, 24})});
  TableBlock ranking{.table = tables[views::kDutiesTable], .widths = {1, 4, 2, 2, 2, 2, 2}};
  ranking.table.name = "رتبه‌بندی و کارهای عقب‌افتاده";
  doc.Add(std::move(ranking));
}

void TrendPart(report::Document& doc, const MonthlyReport& r,
               const std::vector<web::Table>& tables) {
  doc.Heading("روند دوازده‌ماههٔ نرخ به‌موقع");
  doc.Add(ChartBlock{web::LineScene(views::TrendPoints(r.figures), 100, "٪",
                                    {views::kTrendTitle, kFullChart, 26})});
  TableBlock trend{.table = tables[views::kTrendTable], .widths = {2, 2, 2, 2, 2, 2}};
  trend.table.name = "";
  doc.Add(std::move(trend));
}

void FundingPart(report::Document& doc, const MonthlyReport& r,
                 const std::vector<web::Table>& tables) {
  const auto& fig = r.figures;
  doc.Heading("اعتبارات مصوبات و کسری");
  doc.Add(Note(
      fig.unfunded.clauses > 0
          ? "بندهای بدون پشتوانهٔ کامل مالی: " + Num(fig.unfunded.clauses) + " بند؛ کسری تخصیص " +
                Num(fig.unfunded.gap) + " ریال."
          : "همهٔ بندها به اندازهٔ نیاز تخصیص گرفته‌اند."));
  auto sum = views::FundingSum(fig);
  doc.Add(ChartBlock{web::BarScene(views::StageBars(sum), {views::kFundingTitle, kFullChart, 24})});
  // The export's table, with the gap of each agency and the totals.
  TableBlock money{.table = tables[views::kFundingTable],
                   .widths = {3, 2, 2, 2, 2, 2, 2, 2},
                   .total_row = true,
                   .size = 7};
  money.table.headers.push_back("کسری تخصیص");
  for (std::size_t i = 0; i < money.table.rows.size(); ++i) {
    const auto& t = fig.funding[i].second;
    money.table.rows[i].push_back(web::Cell(std::max<std::int64_t>(0, t.needed - t.allocated)));
  }
  money.table.rows.push_back({web::Cell("جمع"), web::Cell(sum.needed), web::Cell(sum.approved),
                              web::Cell(sum.allocated), web::Cell(sum.notified),
                              web::Cell(sum.committed), web::Cell(sum.paid),
                              web::Cell(std::max<std::int64_t>(0, sum.needed - sum.allocated))});
  doc.Add(std::move(money));
}

}  // namespace

std::string MonthlyReportFileName(const Filter& f) {
  auto m = persian::JalaliFromDays(f.base.period.first_day);
  char name[64];
  std::snprintf(name, sizeof name, "peyvand-monthly-%04d-%02d.pdf", m.year, m.month);
  return name;
}

std::string RenderMonthlyReport(const MonthlyReport& r, const report::Fonts& fonts,
                                const std::function<void()>& step) {
  auto done = [&] {
    if (step) step();
  };
  std::string month = MonthOf(r.filter);
  report::Document doc(fonts,
                       {.title = "گزارش ماهانهٔ هماهنگی — " + month,
                        .footer = "پیوند · گزارش ماهانهٔ " + month + " · استان " + r.province});
  auto tables = views::Tables(r.figures, r.agency_names);
  TitleBlock(doc, r);
  done();
  FlowPart(doc, r);
  done();
  BedsPart(doc, r, tables);
  done();
  DutiesPart(doc, r, tables);
  done();
  TrendPart(doc, r, tables);
  done();
  FundingPart(doc, r, tables);
  done();
  std::string pdf = doc.Finish();
  done();
  return pdf;
}

}  // namespace peyvand::dashboard
