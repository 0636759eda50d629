// What the dashboard shows, made once from its Figures for every way it is shown: the page
// (SVG charts and tables), its exports (CSV, XLSX) and the monthly PDF report.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "modules/dashboard/service.hpp"
#include "web/charts.hpp"
#include "web/export.hpp"

namespace peyvand::dashboard::views {

struct Step {
  const char* code;  // the Figures::flow key
  const char* label;
};
// Collection to employment, in order.
inline constexpr Step kFunnelSteps[] = {{"collected", "جمع‌آوری"},
                                        {"screened", "غربالگری"},
                                        {"admitted", "پذیرش در مرکز"},
                                        {"discharged", "ترخیص"},
                                        {"employed", "اشتغال"}};

inline constexpr const char* kFunnelTitle = "مسیر از جمع‌آوری تا اشتغال";
inline constexpr const char* kBedsTitle =
    "اشغال تخت‌ها در برابر ظرفیت (پرترین مراکز)";
inline constexpr const char* kOnTimeTitle =
    "نرخ انجام به‌موقع وظایف به تفکیک دستگاه";
inline constexpr const char* kTrendTitle = "روند ماهانهٔ نرخ به‌موقع";
inline constexpr const char* kFundingTitle = "اعتبارات مصوبات به تفکیک مرحله (میلیارد ریال)";

std::int64_t Flow(const Figures& fig, const char* code);  // 0 when absent
// Part of the whole as a per cent with one decimal, Persian digits; "—" without a whole.
std::string Share(std::int64_t part, std::int64_t whole);
// Rials as billions with one decimal («۹۳٫۵ میلیارد»), short enough for a chart's bar end.
std::string Billions(std::int64_t rials);

std::vector<web::Bar> FunnelBars(const Figures& fig);
// The facilities, fullest first.
std::vector<pathway::Facility> ByOccupancy(std::vector<pathway::Facility> facilities);
struct Beds {
  std::int64_t capacity_male = 0, capacity_female = 0, occupied_male = 0, occupied_female = 0;
};
Beds BedTotals(const std::vector<pathway::Facility>& facilities);
// The fullest twelve, occupancy against capacity.
std::vector<web::Bar> BedBars(const std::vector<pathway::Facility>& by_occupancy);
std::vector<web::Bar> OnTimeBars(const Figures& fig);
std::vector<web::LinePoint> TrendPoints(const Figures& fig);
funding::StageTotals FundingSum(const Figures& fig);
std::vector<web::Bar> StageBars(const funding::StageTotals& sum);

// The dashboard's tables, as the exports and the report carry them: flow, beds, agencies'
// duties, the twelve-month trend, funding by agency.
std::vector<web::Table> Tables(const Figures& fig,
                               const std::map<std::int64_t, std::string>& agency_names);
enum TableIndex { kFlowTable, kBedsTable, kDutiesTable, kTrendTable, kFundingTable };

}  // namespace peyvand::dashboard::views
