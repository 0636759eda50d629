#include "modules/dashboard/pages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "http/body.hpp"
#include "modules/accountability/pages.hpp"
#include "modules/accountability/rules.hpp"
#include "modules/dashboard/report_pages.hpp"
#include "modules/dashboard/views.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"
#include "web/charts.hpp"
#include "web/export.hpp"

namespace peyvand::dashboard {
namespace {

using boost::json::array;
using boost::json::object;

std::string Num(std::int64_t n) {
  return persian::FormatNumber(n);
}

using views::Share;

std::string Rials(std::int64_t r) {
  return persian::FormatNumber(r) + " ریال";
}

std::map<std::int64_t, std::string> AgencyNames(accounts::DirectoryService& dir,
                                                const accounts::Principal& p) {
  std::map<std::int64_t, std::string> names;
  for (const auto& a : dir.ListAgencies(p)) names[a.id] = a.name;
  return names;
}

Filter ParseDashboardFilter(const http::Request& req, std::int64_t today) {
  Filter f;
  f.base = accountability::ParseFilter(req, today);
  f.agency_id = http::QueryInt(req, "agency").value_or(0);
  return f;
}

object Panel(const Figures& fig, const Filter& f, accounts::DirectoryService& dir,
             const accounts::Principal& p) {
  object ctx;
  auto a = persian::JalaliFromDays(f.base.period.first_day);
  auto b = persian::JalaliFromDays(f.base.period.last_day);
  std::string from = accountability::MonthCode(a.year, a.month),
              to = accountability::MonthCode(b.year, b.month);
  ctx["from"] = from;
  ctx["to"] = to;
  ctx["period_text"] = accountability::PeriodText(f.base.period);
  // The monthly report's form: the period's last month, the same county and agency.
  ctx["report"] = object{{"month", to}, {"county", f.base.county_id}, {"agency", f.agency_id}};
  std::vector<std::pair<std::string, std::string>> keep{{"from", from}, {"to", to}};
  if (f.base.county_id) keep.emplace_back("county", std::to_string(f.base.county_id));

  // Filters.
  array counties{object{
      {"id", 0}, {"name", "همهٔ شهرستان‌ها"}, {"selected", f.base.county_id == 0}}};
  for (const auto& c : dir.ListCounties(p)) {
    counties.push_back(
        object{{"id", c.id}, {"name", c.name}, {"selected", c.id == f.base.county_id}});
  }
  ctx["counties"] = counties;
  {
    auto q = keep;
    if (f.agency_id) q.emplace_back("agency", std::to_string(f.agency_id));
    ctx["export"] = "/dashboard?" + http::QueryString(q);
  }
  std::map<std::int64_t, std::string> agency_names;
  array agencies{
      object{{"id", 0}, {"name", "همهٔ دستگاه‌ها"}, {"selected", f.agency_id == 0}}};
  for (const auto& ag : dir.ListAgencies(p)) {
    agency_names[ag.id] = ag.name;
    agencies.push_back(
        object{{"id", ag.id}, {"name", ag.name}, {"selected", ag.id == f.agency_id}});
  }
  ctx["agencies"] = agencies;

  // The pathway's flow.
  auto flow = [&](const char* k) { return views::Flow(fig, k); };
  array funnel_rows;
  for (const auto& s : views::kFunnelSteps) {
    funnel_rows.push_back(object{{"code", s.code},
                                 {"label", s.label},
                                 {"n", Num(flow(s.code))},
                                 {"share", Share(flow(s.code), flow("collected"))}});
  }
  ctx["funnel_svg"] = web::FunnelChart(views::FunnelBars(fig), {views::kFunnelTitle, 560, 30});
  ctx["funnel"] = funnel_rows;
  ctx["recollected_6"] = Num(flow("recollected_6"));
  ctx["recollected_12"] = Num(flow("recollected_12"));
  ctx["recollected_6_share"] = Share(flow("recollected_6"), flow("collected"));
  ctx["recollected_12_share"] = Share(flow("recollected_12"), flow("collected"));

  // Occupancy against capacity.
  auto facilities = views::ByOccupancy(fig.facilities);
  array bed_rows;
  for (const auto& fac : facilities) {
    int cap = fac.capacity_male + fac.capacity_female;
    int occ = fac.occupied_male + fac.occupied_female;
    bed_rows.push_back(object{{"name", fac.name},
                              {"county", fac.county_name},
                              {"occupied", Num(occ)},
                              {"capacity", Num(cap)},
                              {"share", Share(occ, cap)},
                              {"over", occ > cap}});
  }
  auto beds = views::BedTotals(facilities);
  ctx["beds_svg"] = web::BarChart(views::BedBars(facilities), {views::kBedsTitle, 560, 24});
  ctx["beds"] = bed_rows;
  ctx["beds_total"] =
      object{{"male", Num(beds.occupied_male) + " از " + Num(beds.capacity_male)},
             {"female", Num(beds.occupied_female) + " از " + Num(beds.capacity_female)},
             {"share", Share(beds.occupied_male + beds.occupied_female,
                             beds.capacity_male + beds.capacity_female)}};
  ctx["stays_past_end"] = Num(fig.stays_past_end);
  ctx["has_stays_past_end"] = fig.stays_past_end > 0;

  // Agencies' on-time record.
  array ranking;
  for (const auto& c : fig.ranking.agencies) {
    auto rate = accountability::OnTimePermille(c.counts);
    auto q = keep;
    q.emplace_back("agency", std::to_string(c.agency_id));
    q.emplace_back("status", "overdue");
    ranking.push_back(object{
        {"agency_id", c.agency_id},
        {"rank", c.rank ? persian::ToPersianDigits(std::to_string(c.rank)) : "—"},
        {"name", c.agency_name},
        {"due", Num(c.counts.Due())},
        {"overdue", Num(c.counts.overdue)},
        {"has_overdue", c.counts.overdue > 0},
        {"overdue_href", "/scorecards/tasks?" + http::QueryString(q)},
        {"rate", accountability::PercentText(rate)},
        {"href",
         "/scorecards/agencies/" + std::to_string(c.agency_id) + "?" + http::QueryString(keep)}});
  }
  ctx["ontime_svg"] = web::BarChart(views::OnTimeBars(fig), {views::kOnTimeTitle, 560, 24});
  ctx["ranking"] = ranking;
  array trend_rows;
  for (const auto& m : fig.trend) {
    trend_rows.push_back(object{
        {"month",
         persian::MonthName(m.month) + " " + persian::ToPersianDigits(std::to_string(m.year))},
        {"due", Num(m.counts.Due())},
        {"rate", accountability::PercentText(accountability::OnTimePermille(m.counts))}});
  }
  ctx["trend_svg"] =
      web::LineChart(views::TrendPoints(fig), 100, "٪", {views::kTrendTitle, 560, 26});
  ctx["trend"] = trend_rows;

  // Funding by stage.
  array funding_rows;
  for (const auto& [agency, t] : fig.funding) {
    funding_rows.push_back(object{{"agency", agency_names[agency]},
                                  {"agency_id", agency},
                                  {"needed", Rials(t.needed)},
                                  {"approved", Rials(t.approved)},
                                  {"allocated", Rials(t.allocated)},
                                  {"notified", Rials(t.notified)},
                                  {"committed", Rials(t.committed)},
                                  {"paid", Rials(t.paid)},
                                  {"gap", Rials(std::max<std::int64_t>(0, t.needed - t.allocated))},
                                  {"has_gap", t.needed > t.allocated}});
  }
  ctx["funding"] = funding_rows;
  auto sum = views::FundingSum(fig);
  ctx["funding_total"] =
      object{{"needed", Rials(sum.needed)},
             {"approved", Rials(sum.approved)},
             {"allocated", Rials(sum.allocated)},
             {"notified", Rials(sum.notified)},
             {"committed", Rials(sum.committed)},
             {"paid", Rials(sum.paid)},
             {"gap", Rials(std::max<std::int64_t>(0, sum.needed - sum.allocated))}};
  ctx["funding_svg"] = web::BarChart(views::StageBars(sum), {views::kFundingTitle, 560, 24});
  ctx["unfunded"] = object{{"clauses", Num(fig.unfunded.clauses)},
                           {"gap", Rials(fig.unfunded.gap)},
                           {"any", fig.unfunded.clauses > 0}};
  return ctx;
}

}  // namespace

void RegisterPages(http::Router& r, accounts::Guard& guard, DashboardService& svc,
                   accountability::ScorecardService& scorecards, accounts::DirectoryService& dir,
                   const web::Templates& t) {
  guard.AddNavHook([](const accounts::Principal& p, array& nav) {
    if (DashboardService::MaySee(p))
      nav.insert(nav.begin() + 1, object{{"href", "/dashboard"}, {"label", "داشبورد"}});
  });
  // On the coordinator's home page: the dashboard for the last Jalali month.
  guard.AddHomeHook([&svc, &scorecards, &dir](const accounts::Principal& p, object& ctx) {
    if (!DashboardService::MaySee(p)) return;
    http::Request none;
    Filter f;
    f.base = accountability::ParseFilter(none, scorecards.Today());
    ctx["dashboard"] = Panel(svc.Collect(p, f), f, dir, p);
  });
  RegisterReport(r, guard, svc, scorecards, dir, t);
  r.Get("/api/v1/dashboard", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto f = ParseDashboardFilter(req, scorecards.Today());
    auto fig = svc.Collect(p, f);
    object flow;
    for (const auto& [k, n] : fig.flow) flow[k] = n;
    std::int64_t cap = 0, occ = 0;
    for (const auto& fac : fig.facilities) {
      cap += fac.capacity_male + fac.capacity_female;
      occ += fac.occupied_male + fac.occupied_female;
    }
    array agencies;
    for (const auto& c : fig.ranking.agencies) {
      auto rate = accountability::OnTimePermille(c.counts);
      agencies.push_back(object{{"agency_id", c.agency_id},
                                {"rank", c.rank},
                                {"due", c.counts.Due()},
                                {"overdue", c.counts.overdue},
                                {"on_time_permille", rate ? boost::json::value(*rate) : nullptr}});
    }
    array trend;
    for (const auto& m : fig.trend) {
      auto rate = accountability::OnTimePermille(m.counts);
      trend.push_back(object{{"year", m.year},
                             {"month", m.month},
                             {"due", m.counts.Due()},
                             {"on_time_permille", rate ? boost::json::value(*rate) : nullptr}});
    }
    array money;
    for (const auto& [agency, t] : fig.funding) {
      money.push_back(object{{"agency_id", agency},
                             {"needed", t.needed},
                             {"approved", t.approved},
                             {"allocated", t.allocated},
                             {"notified", t.notified},
                             {"committed", t.committed},
                             {"paid", t.paid}});
    }
    return http::Response::Json(boost::json::serialize(object{
        {"period", object{{"from_day", f.base.period.first_day},
                          {"to_day", f.base.period.last_day},
                          {"county_id", f.base.county_id},
                          {"agency_id", f.agency_id}}},
        {"flow", flow},
        {"beds", object{{"capacity", cap}, {"occupied", occ}}},
        {"stays_past_legal_end", fig.stays_past_end},
        {"agencies", agencies},
        {"trend", trend},
        {"funding", money},
        {"unfunded", object{{"clauses", fig.unfunded.clauses}, {"gap", fig.unfunded.gap}}}}));
  });
  r.Get("/dashboard", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto f = ParseDashboardFilter(req, scorecards.Today());
    auto figures = svc.Collect(p, f);
    if (!web::ExportFormat(req).empty()) {
      return web::ExportResponse(req, views::Tables(figures, AgencyNames(dir, p)), "dashboard");
    }
    object panel = Panel(figures, f, dir, p);
    // htmx asks for the panel alone when a filter changes; a plain request gets the page.
    if (req.IsHtmx()) {
      panel["csrf"] = p.csrf_token;
      return http::Response::Html(t.Render("_dashboard", panel));
    }
    auto ctx = guard.PageContext(p, "داشبورد هماهنگی");
    ctx["dashboard"] = panel;
    return t.Page("dashboard", ctx);
  });
}

}  // namespace peyvand::dashboard
