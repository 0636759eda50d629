#include "modules/dashboard/pages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "http/body.hpp"
#include "modules/accountability/pages.hpp"
#include "modules/accountability/rules.hpp"
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

std::string Share(std::int64_t part, std::int64_t whole) {
  return accountability::PercentText(accountability::Permille(part, whole));
}

std::string Rials(std::int64_t r) {
  return persian::FormatNumber(r) + " ریال";
}

// Rials as billions with one decimal («۹۳٫۵ میلیارد»), short enough for a chart's bar end.
std::string Billions(std::int64_t r) {
  std::int64_t tenths = (r + 50'000'000) / 100'000'000;
  std::string s = std::to_string(tenths / 10);
  if (tenths % 10) s += "٫" + std::to_string(tenths % 10);
  return persian::ToPersianDigits(s) + " میلیارد";
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
  auto flow = [&](const char* k) {
    auto it = fig.flow.find(k);
    return it == fig.flow.end() ? std::int64_t{0} : it->second;
  };
  struct Step {
    const char* code;
    const char* label;
  };
  const Step steps[] = {{"collected", "جمع‌آوری"},
                        {"screened", "غربالگری"},
                        {"admitted", "پذیرش در مرکز"},
                        {"discharged", "ترخیص"},
                        {"employed", "اشتغال"}};
  std::vector<web::Bar> funnel;
  array funnel_rows;
  for (const auto& s : steps) {
    funnel.push_back({s.label, flow(s.code), {}, "", false});
    funnel_rows.push_back(object{{"code", s.code},
                                 {"label", s.label},
                                 {"n", Num(flow(s.code))},
                                 {"share", Share(flow(s.code), flow("collected"))}});
  }
  ctx["funnel_svg"] =
      web::FunnelChart(funnel, {"مسیر از جمع‌آوری تا اشتغال", 560, 30});
  ctx["funnel"] = funnel_rows;
  ctx["recollected_6"] = Num(flow("recollected_6"));
  ctx["recollected_12"] = Num(flow("recollected_12"));
  ctx["recollected_6_share"] = Share(flow("recollected_6"), flow("collected"));
  ctx["recollected_12_share"] = Share(flow("recollected_12"), flow("collected"));

  // Occupancy against capacity.
  std::int64_t cap_m = 0, cap_f = 0, occ_m = 0, occ_f = 0;
  std::vector<web::Bar> beds;
  array bed_rows;
  auto facilities = fig.facilities;
  std::sort(facilities.begin(), facilities.end(), [](const auto& x, const auto& y) {
    auto rate = [](const pathway::Facility& f) {
      int cap = f.capacity_male + f.capacity_female;
      return cap ? static_cast<double>(f.occupied_male + f.occupied_female) / cap : 0.0;
    };
    return rate(x) > rate(y);
  });
  for (const auto& fac : facilities) {
    int cap = fac.capacity_male + fac.capacity_female;
    int occ = fac.occupied_male + fac.occupied_female;
    cap_m += fac.capacity_male;
    cap_f += fac.capacity_female;
    occ_m += fac.occupied_male;
    occ_f += fac.occupied_female;
    if (beds.size() < 12) {
      beds.push_back({fac.name, occ, cap, Num(occ) + " از " + Num(cap), occ > cap});
    }
    bed_rows.push_back(object{{"name", fac.name},
                              {"county", fac.county_name},
                              {"occupied", Num(occ)},
                              {"capacity", Num(cap)},
                              {"share", Share(occ, cap)},
                              {"over", occ > cap}});
  }
  ctx["beds_svg"] = web::BarChart(
      beds,
      {"اشغال تخت‌ها در برابر ظرفیت (پرترین مراکز)", 560, 24});
  ctx["beds"] = bed_rows;
  ctx["beds_total"] = object{{"male", Num(occ_m) + " از " + Num(cap_m)},
                             {"female", Num(occ_f) + " از " + Num(cap_f)},
                             {"share", Share(occ_m + occ_f, cap_m + cap_f)}};
  ctx["stays_past_end"] = Num(fig.stays_past_end);
  ctx["has_stays_past_end"] = fig.stays_past_end > 0;

  // Agencies' on-time record.
  std::vector<web::Bar> ontime;
  array ranking;
  for (const auto& c : fig.ranking.agencies) {
    auto rate = accountability::OnTimePermille(c.counts);
    if (rate) {
      ontime.push_back(
          {c.agency_name, *rate / 10, 100, accountability::PercentText(rate), *rate < 500});
    }
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
  ctx["ontime_svg"] = web::BarChart(
      ontime,
      {"نرخ انجام به‌موقع وظایف به تفکیک دستگاه", 560, 24});
  ctx["ranking"] = ranking;
  std::vector<web::LinePoint> points;
  array trend_rows;
  for (const auto& m : fig.trend) {
    auto rate = accountability::OnTimePermille(m.counts);
    std::string label = persian::MonthName(m.month);
    points.push_back({label, rate ? std::optional<std::int64_t>(*rate / 10) : std::nullopt});
    trend_rows.push_back(
        object{{"month", label + " " + persian::ToPersianDigits(std::to_string(m.year))},
               {"due", Num(m.counts.Due())},
               {"rate", accountability::PercentText(rate)}});
  }
  ctx["trend_svg"] =
      web::LineChart(points, 100, "٪", {"روند ماهانهٔ نرخ به‌موقع", 560, 26});
  ctx["trend"] = trend_rows;

  // Funding by stage.
  array funding_rows;
  std::vector<web::Bar> gap_bars;
  funding::StageTotals sum;
  for (const auto& [agency, t] : fig.funding) {
    sum.needed += t.needed;
    sum.approved += t.approved;
    sum.allocated += t.allocated;
    sum.notified += t.notified;
    sum.committed += t.committed;
    sum.paid += t.paid;
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
  ctx["funding_total"] =
      object{{"needed", Rials(sum.needed)},
             {"approved", Rials(sum.approved)},
             {"allocated", Rials(sum.allocated)},
             {"notified", Rials(sum.notified)},
             {"committed", Rials(sum.committed)},
             {"paid", Rials(sum.paid)},
             {"gap", Rials(std::max<std::int64_t>(0, sum.needed - sum.allocated))}};
  std::vector<web::Bar> stages = {{"نیاز", sum.needed, {}, Billions(sum.needed), false},
                                  {"مصوب", sum.approved, {}, Billions(sum.approved), false},
                                  {"تخصیص", sum.allocated, {}, Billions(sum.allocated), false},
                                  {"ابلاغ", sum.notified, {}, Billions(sum.notified), false},
                                  {"تعهد", sum.committed, {}, Billions(sum.committed), false},
                                  {"پرداخت", sum.paid, {}, Billions(sum.paid), false}};
  ctx["funding_svg"] =
      web::BarChart(stages, {"اعتبارات مصوبات به تفکیک مرحله (میلیارد ریال)", 560, 24});
  ctx["unfunded"] = object{{"clauses", Num(fig.unfunded.clauses)},
                           {"gap", Rials(fig.unfunded.gap)},
                           {"any", fig.unfunded.clauses > 0}};
  return ctx;
}

// The dashboard's tables as files: the same figures the page shows.
std::vector<web::Table> Tables(const Figures& fig, accounts::DirectoryService& dir,
                               const accounts::Principal& p) {
  std::map<std::int64_t, std::string> names;
  for (const auto& a : dir.ListAgencies(p)) names[a.id] = a.name;
  auto flow = [&](const char* k) {
    auto it = fig.flow.find(k);
    return it == fig.flow.end() ? std::int64_t{0} : it->second;
  };
  web::Table funnel{"مسیر", {"مرحله", "تعداد"}, {}};
  for (const auto& [code, label] : std::vector<std::pair<const char*, const char*>>{
           {"collected", "جمع‌آوری"},
           {"screened", "غربالگری"},
           {"admitted", "پذیرش در مرکز"},
           {"discharged", "ترخیص"},
           {"employed", "اشتغال"},
           {"recollected_6", "جمع‌آوری دوباره در ۶ ماه"},
           {"recollected_12", "جمع‌آوری دوباره در ۱۲ ماه"}}) {
    funnel.rows.push_back({web::Cell(label), web::Cell(flow(code))});
  }
  web::Table beds{"تخت‌ها",
                  {"مرکز", "شهرستان", "اشغال مردان", "ظرفیت مردان", "اشغال زنان", "ظرفیت زنان"},
                  {}};
  for (const auto& f : fig.facilities) {
    beds.rows.push_back(
        {web::Cell(f.name), web::Cell(f.county_name), web::Cell(std::int64_t{f.occupied_male}),
         web::Cell(std::int64_t{f.capacity_male}), web::Cell(std::int64_t{f.occupied_female}),
         web::Cell(std::int64_t{f.capacity_female})});
  }
  beds.rows.push_back({web::Cell("نگهداری بیش از مهلت قانونی (اکنون)"), web::Cell(""),
                       web::Cell(fig.stays_past_end)});
  web::Table ranking{"وظایف دستگاه‌ها",
                     {"رتبه", "دستگاه", "سررسید", "به‌موقع", "با تأخیر",
                      "عقب‌افتاده", "نرخ به‌موقع"},
                     {}};
  for (const auto& c : fig.ranking.agencies) {
    ranking.rows.push_back(
        {c.rank ? web::Cell(std::int64_t{c.rank}) : web::Cell("—"), web::Cell(c.agency_name),
         web::Cell(c.counts.Due()), web::Cell(c.counts.on_time), web::Cell(c.counts.late),
         web::Cell(c.counts.overdue),
         web::Cell(accountability::PercentText(accountability::OnTimePermille(c.counts)))});
  }
  web::Table trend{"روند دوازده‌ماهه",
                   {"ماه", "سررسید", "به‌موقع", "با تأخیر", "عقب‌افتاده",
                    "نرخ به‌موقع"},
                   {}};
  for (const auto& m : fig.trend) {
    trend.rows.push_back(
        {web::Cell(accountability::MonthCode(m.year, m.month)), web::Cell(m.counts.Due()),
         web::Cell(m.counts.on_time), web::Cell(m.counts.late), web::Cell(m.counts.overdue),
         web::Cell(accountability::PercentText(accountability::OnTimePermille(m.counts)))});
  }
  web::Table money{
      "اعتبارات (ریال)", {"دستگاه", "نیاز", "مصوب", "تخصیص", "ابلاغ", "تعهد", "پرداخت"}, {}};
  for (const auto& [agency, t] : fig.funding) {
    money.rows.push_back({web::Cell(names[agency]), web::Cell(t.needed), web::Cell(t.approved),
                          web::Cell(t.allocated), web::Cell(t.notified), web::Cell(t.committed),
                          web::Cell(t.paid)});
  }
  return {funnel, beds, ranking, trend, money};
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
      return web::ExportResponse(req, Tables(figures, dir, p), "dashboard");
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
