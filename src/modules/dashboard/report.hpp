// The monthly report for the provincial council (issue 4, part 8): the dashboard's figures for
// one Jalali month, a county and an agency, as an A4 PDF — a title block, then the pathway's
// flow, beds against capacity and stays past their legal end, the agencies' duties, the
// twelve-month trend and funding with the unfunded gap, each chart with its table. Composed
// from views.hpp, so it says what the page and the exports say; drawn by src/report.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "modules/dashboard/service.hpp"
#include "report/fonts.hpp"

namespace peyvand::dashboard {

struct MonthlyReport {
  Figures figures;
  Filter filter;         // one Jalali month
  std::string province;  // «خراسان رضوی»
  std::string county;    // the chosen county's name; "" for all
  std::string agency;    // the chosen agency's name; "" for all
  std::map<std::int64_t, std::string> agency_names;
  std::int64_t generated_at_ms = 0;
  std::string generated_by;  // the person who asked for it
};

// RenderMonthlyReport calls `step` this many times, once per part drawn.
inline constexpr int kRenderSteps = 7;
std::string RenderMonthlyReport(const MonthlyReport& r, const report::Fonts& fonts,
                                const std::function<void()>& step = {});
// «peyvand-monthly-1405-07.pdf»
std::string MonthlyReportFileName(const Filter& f);

}  // namespace peyvand::dashboard
