// The public transparency page: what the province did in a period, for anyone, without signing
// in. Only aggregates: the pathway's flow by county with small cells withheld, beds, agencies'
// on-time rates and funding by stage. Nothing here names or counts fewer than five persons.
#include <boost/json.hpp>

#include "core/error.hpp"
#include "http/body.hpp"
#include "modules/accountability/pages.hpp"
#include "modules/accountability/rules.hpp"
#include "modules/dashboard/pages.hpp"
#include "modules/dashboard/suppression.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"
#include "web/export.hpp"

namespace peyvand::dashboard {
namespace {

using boost::json::array;
using boost::json::object;

constexpr const char* kKinds[] = {"collected",  "screened", "admitted",
                                  "discharged", "employed", "recollected_6"};
constexpr const char* kLabels[] = {"جمع‌آوری",
                                   "غربالگری",
                                   "پذیرش در مرکز",
                                   "ترخیص",
                                   "اشتغال",
                                   "جمع‌آوری دوباره در ۶ ماه"};
// An agency's rate is published only over at least this many judged tasks.
constexpr std::int64_t kMinJudged = 20;

boost::json::value Json(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

struct PublicFigures {
  accountability::Filter filter;
  std::vector<std::string> county_names;                        // rows
  std::vector<std::vector<std::optional<std::int64_t>>> cells;  // counties × kinds, withheld
  std::vector<std::optional<std::int64_t>> totals;              // province, by kind
  std::optional<std::int64_t> beds_occupied;
  std::int64_t beds_capacity = 0;
  std::vector<std::pair<std::string, std::optional<std::int64_t>>> rates;  // agency, per mille
  funding::StageTotals money;
};

PublicFigures Collect(const http::Request& req, pathway::PathwayService& pathway,
                      accountability::ScorecardService& scorecards,
                      funding::FundingService& funding, accounts::DirectoryService& dir) {
  PublicFigures f;
  f.filter = accountability::ParseFilter(req, scorecards.Today());
  // One whole month at a time: overlapping periods (a quarter and two of its months) would let
  // anyone subtract one published figure from another and recover a withheld one.
  auto first = persian::JalaliFromDays(f.filter.period.first_day);
  auto last = persian::JalaliFromDays(f.filter.period.last_day);
  if (first.year != last.year || first.month != last.month) {
    Fail(ErrorCode::kInvalid,
         "آمار عمومی ماه‌به‌ماه منتشر می‌شود.",
         {{"to", "یک ماه را برگزینید (از و تا یکسان)."}});
  }
  const auto& period = f.filter.period;
  auto by_county = pathway.FlowByCounty(period.first_day, period.last_day);
  std::vector<std::vector<std::int64_t>> raw;
  std::vector<std::int64_t> totals(std::size(kKinds), 0);
  for (const auto& c : dir.ListCounties(accounts::Principal{})) {
    std::vector<std::int64_t> row;
    for (std::size_t k = 0; k < std::size(kKinds); ++k) {
      std::int64_t n = by_county[c.id][kKinds[k]];
      row.push_back(n);
      totals[k] += n;
    }
    f.county_names.push_back(c.name);
    raw.push_back(row);
  }
  // Episodes without a county count in the province total: they take part in the suppression
  // as a row of their own that is never shown, so the total cannot reveal them.
  std::vector<std::int64_t> unknown;
  for (std::size_t k = 0; k < std::size(kKinds); ++k) {
    unknown.push_back(by_county[0][kKinds[k]]);
    totals[k] += unknown.back();
  }
  raw.push_back(unknown);
  f.cells = Suppress(raw);
  f.cells.pop_back();
  for (auto t : totals) f.totals.push_back(SuppressOne(t));
  std::int64_t occupied = 0;
  for (const auto& fac : pathway.Facilities(accounts::Principal{})) {
    occupied += fac.occupied_male + fac.occupied_female;
    f.beds_capacity += fac.capacity_male + fac.capacity_female;
  }
  f.beds_occupied = SuppressOne(occupied);
  for (const auto& [name, counts] : scorecards.PublicRates(f.filter)) {
    f.rates.emplace_back(name, counts.Judged() >= kMinJudged
                                   ? accountability::OnTimePermille(counts)
                                   : std::nullopt);
  }
  for (const auto& [agency, t] : funding.TotalsByAgency(period.first_day, period.last_day)) {
    (void)agency;
    f.money.needed += t.needed;
    f.money.approved += t.approved;
    f.money.allocated += t.allocated;
    f.money.notified += t.notified;
    f.money.committed += t.committed;
    f.money.paid += t.paid;
  }
  return f;
}

}  // namespace

void RegisterPublic(http::Router& r, pathway::PathwayService& pathway,
                    accountability::ScorecardService& scorecards, funding::FundingService& funding,
                    accounts::DirectoryService& dir, const web::Templates& t) {
  r.Get("/transparency", [&](http::Request& req) {
    auto f = Collect(req, pathway, scorecards, funding, dir);
    if (!web::ExportFormat(req).empty()) {
      web::Table counties{"به تفکیک شهرستان", {"شهرستان"}, {}};
      for (const char* label : kLabels) counties.headers.emplace_back(label);
      for (std::size_t i = 0; i < f.cells.size(); ++i) {
        std::vector<web::Cell> row{web::Cell(f.county_names[i])};
        for (const auto& c : f.cells[i]) row.push_back(web::Cell::Maybe(c, "محرمانه"));
        counties.rows.push_back(row);
      }
      std::vector<web::Cell> total{web::Cell("کل استان")};
      for (const auto& c : f.totals) total.push_back(web::Cell::Maybe(c, "محرمانه"));
      counties.rows.push_back(total);
      web::Table rates{"انجام به‌موقع", {"دستگاه", "نرخ به‌موقع"}, {}};
      for (const auto& [name, rate] : f.rates) {
        rates.rows.push_back({web::Cell(name), web::Cell(accountability::PercentText(rate))});
      }
      return web::ExportResponse(req, {counties, rates}, "transparency");
    }
    object ctx{{"title", "شفافیت: آمار طرح ساماندهی"},
               {"period_text", accountability::PeriodText(f.filter.period)}};
    array heads, rows, totals;
    for (const char* label : kLabels) heads.push_back(object{{"label", label}});
    for (std::size_t i = 0; i < f.cells.size(); ++i) {
      array cells;
      for (const auto& c : f.cells[i])
        cells.push_back(object{{"text", CellText(c)}, {"withheld", !c}});
      rows.push_back(object{{"county", f.county_names[i]}, {"cells", cells}});
    }
    for (const auto& c : f.totals)
      totals.push_back(object{{"text", CellText(c)}, {"withheld", !c}});
    ctx["heads"] = heads;
    ctx["rows"] = rows;
    ctx["totals"] = totals;
    ctx["beds"] = CellText(f.beds_occupied) + " از " + persian::FormatNumber(f.beds_capacity);
    array rates;
    for (const auto& [name, rate] : f.rates) {
      rates.push_back(object{{"agency", name}, {"rate", accountability::PercentText(rate)}});
    }
    ctx["rates"] = rates;
    auto rials = [](std::int64_t v) { return persian::FormatNumber(v) + " ریال"; };
    ctx["money"] =
        object{{"needed", rials(f.money.needed)},       {"approved", rials(f.money.approved)},
               {"allocated", rials(f.money.allocated)}, {"notified", rials(f.money.notified)},
               {"committed", rials(f.money.committed)}, {"paid", rials(f.money.paid)}};
    auto a = persian::JalaliFromDays(f.filter.period.first_day);
    auto b = persian::JalaliFromDays(f.filter.period.last_day);
    ctx["from"] = accountability::MonthCode(a.year, a.month);
    ctx["to"] = accountability::MonthCode(b.year, b.month);
    return t.Page("transparency", ctx);
  });
  r.Get("/api/v1/public/figures", [&](http::Request& req) {
    auto f = Collect(req, pathway, scorecards, funding, dir);
    array counties;
    for (std::size_t i = 0; i < f.cells.size(); ++i) {
      object figures;
      for (std::size_t k = 0; k < std::size(kKinds); ++k) figures[kKinds[k]] = Json(f.cells[i][k]);
      counties.push_back(object{{"county", f.county_names[i]}, {"figures", figures}});
    }
    object totals;
    for (std::size_t k = 0; k < std::size(kKinds); ++k) totals[kKinds[k]] = Json(f.totals[k]);
    array rates;
    for (const auto& [name, rate] : f.rates) {
      rates.push_back(object{{"agency", name}, {"on_time_permille", Json(rate)}});
    }
    return http::Response::Json(boost::json::serialize(object{
        {"period",
         object{{"from_day", f.filter.period.first_day}, {"to_day", f.filter.period.last_day}}},
        {"min_cell", kMinCell},
        {"province", totals},
        {"counties", counties},
        {"beds", object{{"occupied", Json(f.beds_occupied)}, {"capacity", f.beds_capacity}}},
        {"agencies", rates},
        {"funding", object{{"needed", f.money.needed},
                           {"approved", f.money.approved},
                           {"allocated", f.money.allocated},
                           {"notified", f.money.notified},
                           {"committed", f.money.committed},
                           {"paid", f.money.paid}}}}));
  });
}

}  // namespace peyvand::dashboard
