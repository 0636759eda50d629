#include "modules/accountability/pages.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "http/body.hpp"
#include "modules/accountability/rules.hpp"
#include "modules/accounts/api.hpp"
#include "modules/pathway/api.hpp"
#include "modules/pathway/pages.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"
#include "web/export.hpp"

namespace peyvand::accountability {
namespace {

using accounts::Role;
using boost::json::array;
using boost::json::object;

std::string Num(std::int64_t n) {
  return persian::FormatNumber(n);
}

object CountsJson(const Counts& c) {
  auto rate = OnTimePermille(c);
  object o{{"due", c.Due()},
           {"open", c.open},
           {"overdue", c.overdue},
           {"on_time", c.on_time},
           {"late", c.late},
           {"closed", c.closed},
           {"due_fa", Num(c.Due())},
           {"overdue_fa", Num(c.overdue)},
           {"on_time_fa", Num(c.on_time)},
           {"late_fa", Num(c.late)},
           {"open_fa", Num(c.open)},
           {"closed_fa", Num(c.closed)},
           {"rate", PercentText(rate)},
           {"has_overdue", c.overdue > 0}};
  o["on_time_permille"] = rate ? boost::json::value(*rate) : boost::json::value(nullptr);
  return o;
}

std::string MedianText(const std::optional<std::int64_t>& d) {
  if (!d) return "—";
  return persian::ToPersianDigits(std::to_string(*d)) + " روز";
}

// The query string of a filter, for links that keep it.
std::vector<std::pair<std::string, std::string>> FilterParams(const Filter& f) {
  auto a = persian::JalaliFromDays(f.period.first_day);
  auto b = persian::JalaliFromDays(f.period.last_day);
  std::vector<std::pair<std::string, std::string>> q{{"from", MonthCode(a.year, a.month)},
                                                     {"to", MonthCode(b.year, b.month)}};
  if (f.county_id) q.emplace_back("county", std::to_string(f.county_id));
  return q;
}

// The filter form: months to choose from, the counties, quick links.
void FilterContext(object& ctx, const Filter& f, std::int64_t today,
                   accounts::DirectoryService& dir, const accounts::Principal& p,
                   const std::string& path) {
  auto a = persian::JalaliFromDays(f.period.first_day);
  auto b = persian::JalaliFromDays(f.period.last_day);
  ctx["from"] = MonthCode(a.year, a.month);
  ctx["to"] = MonthCode(b.year, b.month);
  ctx["period_text"] = PeriodText(f.period);
  array counties{object{
      {"id", 0}, {"name", "همهٔ شهرستان‌ها"}, {"selected", f.county_id == 0}}};
  for (const auto& c : dir.ListCounties(p)) {
    counties.push_back(object{{"id", c.id}, {"name", c.name}, {"selected", c.id == f.county_id}});
  }
  ctx["counties"] = counties;
  auto now = persian::JalaliFromDays(today);
  auto [py, pm] = PreviousMonth(today);
  auto link = [&](int fy, int fm, int ty, int tm) {
    std::vector<std::pair<std::string, std::string>> q{{"from", MonthCode(fy, fm)},
                                                       {"to", MonthCode(ty, tm)}};
    if (f.county_id) q.emplace_back("county", std::to_string(f.county_id));
    return path + "?" + http::QueryString(q);
  };
  int ty3 = py, tm3 = pm - 2;
  if (tm3 < 1) {
    tm3 += 12;
    --ty3;
  }
  ctx["quick"] =
      array{object{{"label", "ماه گذشته"}, {"href", link(py, pm, py, pm)}},
            object{{"label", "ماه جاری"}, {"href", link(now.year, now.month, now.year, now.month)}},
            object{{"label", "سه ماه گذشته"}, {"href", link(ty3, tm3, py, pm)}},
            object{{"label", "امسال"}, {"href", link(now.year, 1, now.year, now.month)}}};
}

const char* StatusLabel(const std::string& s) {
  if (s == "overdue") return "عقب‌افتاده";
  if (s == "open") return "باز";
  if (s == "on_time") return "انجام‌شده به‌موقع";
  if (s == "late") return "انجام‌شده با تأخیر";
  if (s == "closed") return "لغو یا ردشده";
  return "همه";
}

std::vector<web::Cell> CountCells(const Counts& c) {
  auto rate = OnTimePermille(c);
  return {web::Cell(c.Due()),          web::Cell(c.on_time), web::Cell(c.late),
          web::Cell(c.overdue),        web::Cell(c.open),    web::Cell(c.closed),
          web::Cell(PercentText(rate))};
}

const std::vector<std::string> kCountHeads = {
    "سررسید", "به‌موقع",       "با تأخیر", "عقب‌افتاده", "باز",
    "لغو/رد", "نرخ به‌موقع"};

std::vector<std::string> Heads(std::initializer_list<const char*> first) {
  std::vector<std::string> h(first.begin(), first.end());
  h.insert(h.end(), kCountHeads.begin(), kCountHeads.end());
  return h;
}

std::vector<web::Table> RankingTables(const Ranking& ranking) {
  web::Table agencies{"رتبه‌بندی دستگاه‌ها", Heads({"رتبه", "دستگاه"}), {}};
  agencies.headers.push_back("میانهٔ تأخیر (روز)");
  for (const auto& c : ranking.agencies) {
    std::vector<web::Cell> row{c.rank ? web::Cell(std::int64_t{c.rank}) : web::Cell("—"),
                               web::Cell(c.agency_name)};
    auto cells = CountCells(c.counts);
    row.insert(row.end(), cells.begin(), cells.end());
    row.push_back(web::Cell::Maybe(c.median_delay_days, "—"));
    agencies.rows.push_back(row);
  }
  web::Table counties{"به تفکیک شهرستان", Heads({"شهرستان"}), {}};
  counties.headers.push_back("میانهٔ تأخیر (روز)");
  for (const auto& c : ranking.counties) {
    std::vector<web::Cell> row{web::Cell(c.county_name)};
    auto cells = CountCells(c.counts);
    row.insert(row.end(), cells.begin(), cells.end());
    row.push_back(web::Cell::Maybe(c.median_delay_days, "—"));
    counties.rows.push_back(row);
  }
  return {agencies, counties};
}

}  // namespace

Filter ParseFilter(const http::Request& req, std::int64_t today) {
  auto [py, pm] = PreviousMonth(today);
  std::pair<int, int> from{py, pm}, to{py, pm};
  std::vector<FieldError> errors;
  if (auto v = req.Query("from"); v && !v->empty()) {
    auto m = ParseMonth(*v);
    if (m) {
      from = *m;
    } else {
      errors.push_back({"from", m.error().message});
    }
    to = from;
  }
  if (auto v = req.Query("to"); v && !v->empty()) {
    auto m = ParseMonth(*v);
    if (m) {
      to = *m;
    } else {
      errors.push_back({"to", m.error().message});
    }
  }
  if (errors.empty() && to < from) errors.push_back({"to", "پایان بازه پیش از آغاز آن است."});
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "بازهٔ زمانی نامعتبر است.", errors);
  Filter f;
  f.period = MonthsPeriod(from.first, from.second, to.first, to.second);
  f.county_id = http::QueryInt(req, "county").value_or(0);
  return f;
}

void RegisterPages(http::Router& r, accounts::Guard& guard, ScorecardService& svc,
                   accounts::DirectoryService& dir, const web::Templates& t) {
  guard.AddNavHook([](const accounts::Principal& p, array& nav) {
    if (p.roles.HasAny(
            {Role::kCoordinator, Role::kAuditor, Role::kSystemAdmin, Role::kAgencyManager})) {
      nav.push_back(
          object{{"href", "/scorecards"}, {"label", "کارنامهٔ دستگاه‌ها"}});
    }
  });

  r.Get("/scorecards", [&](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t today = svc.Today();
    auto f = ParseFilter(req, today);
    auto ranking = svc.Rank(p, f);
    if (!web::ExportFormat(req).empty()) {
      return web::ExportResponse(req, RankingTables(ranking), "scorecards");
    }
    auto ctx = guard.PageContext(p, "کارنامهٔ دستگاه‌ها");
    FilterContext(ctx, f, today, dir, p, "/scorecards");
    auto keep = FilterParams(f);
    array rows;
    for (const auto& c : ranking.agencies) {
      object o = CountsJson(c.counts);
      o["agency_id"] = c.agency_id;
      o["name"] = c.agency_name;
      o["rank"] = c.rank ? persian::ToPersianDigits(std::to_string(c.rank)) : "—";
      o["median"] = MedianText(c.median_delay_days);
      auto q = keep;
      o["href"] =
          "/scorecards/agencies/" + std::to_string(c.agency_id) + "?" + http::QueryString(q);
      q.emplace_back("agency", std::to_string(c.agency_id));
      q.emplace_back("status", "overdue");
      o["overdue_href"] = "/scorecards/tasks?" + http::QueryString(q);
      rows.push_back(o);
    }
    ctx["agencies"] = rows;
    array counties;
    for (const auto& c : ranking.counties) {
      object o = CountsJson(c.counts);
      o["name"] = c.county_name;
      o["median"] = MedianText(c.median_delay_days);
      counties.push_back(o);
    }
    ctx["county_rows"] = counties;
    ctx["total"] = CountsJson(ranking.total);
    ctx["total_median"] = MedianText(ranking.median_delay_days);
    ctx["county_chosen"] = f.county_id != 0;
    ctx["export"] = "/scorecards?" + http::QueryString(keep);
    return t.Page("scorecards", ctx);
  });

  r.Get("/scorecards/agencies/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t today = svc.Today();
    auto f = ParseFilter(req, today);
    std::int64_t id = http::IdParam(req, "id");
    auto score = svc.Agency(p, id, f);
    if (!web::ExportFormat(req).empty()) {
      web::Table trend{"روند ماهانه", Heads({"ماه"}), {}};
      for (const auto& m : score.trend) {
        std::vector<web::Cell> row{web::Cell(MonthCode(m.year, m.month))};
        auto cells = CountCells(m.counts);
        row.insert(row.end(), cells.begin(), cells.end());
        trend.rows.push_back(row);
      }
      web::Table counties{"به تفکیک شهرستان", Heads({"شهرستان"}), {}};
      for (const auto& c : score.counties) {
        std::vector<web::Cell> row{web::Cell(c.county_name)};
        auto cells = CountCells(c.counts);
        row.insert(row.end(), cells.begin(), cells.end());
        counties.rows.push_back(row);
      }
      return web::ExportResponse(req, {trend, counties}, "scorecard-" + std::to_string(id));
    }
    auto ctx = guard.PageContext(p, "کارنامهٔ " + score.card.agency_name);
    FilterContext(ctx, f, today, dir, p, "/scorecards/agencies/" + std::to_string(id));
    ctx["agency"] = object{{"id", id}, {"name", score.card.agency_name}};
    ctx["card"] = CountsJson(score.card.counts);
    ctx["median"] = MedianText(score.card.median_delay_days);
    auto keep = FilterParams(f);
    keep.emplace_back("agency", std::to_string(id));
    array links;
    for (const char* s : {"overdue", "late", "on_time", "open", "closed"}) {
      auto q = keep;
      q.emplace_back("status", s);
      links.push_back(object{{"label", StatusLabel(s)},
                             {"href", "/scorecards/tasks?" + http::QueryString(q)},
                             {"code", s}});
    }
    ctx["links"] = links;
    array trend;
    for (const auto& m : score.trend) {
      object o = CountsJson(m.counts);
      o["month"] = MonthText(m.year, m.month);
      trend.push_back(o);
    }
    ctx["trend"] = trend;
    array counties;
    for (const auto& c : score.counties) {
      object o = CountsJson(c.counts);
      o["name"] = c.county_name;
      auto q = keep;
      q.emplace_back("county", std::to_string(c.county_id));
      q.emplace_back("status", "overdue");
      o["overdue_href"] = "/scorecards/tasks?" + http::QueryString(q);
      counties.push_back(o);
    }
    ctx["county_rows"] = counties;
    ctx["export"] =
        "/scorecards/agencies/" + std::to_string(id) + "?" + http::QueryString(FilterParams(f));
    return t.Page("scorecard_agency", ctx);
  });

  r.Get("/scorecards/tasks", [&](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t today = svc.Today();
    auto f = ParseFilter(req, today);
    std::int64_t agency = http::QueryInt(req, "agency").value_or(0);
    std::string status = req.Query("status").value_or("");
    auto paging = accounts::ParsePaging(req);
    paging.per_page = std::min<std::int64_t>(paging.per_page, 50);
    auto page = svc.Tasks(p, agency, f, status, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "کارهای پشت کارنامه");
    FilterContext(ctx, f, today, dir, p, "/scorecards/tasks");
    ctx["agency"] = object{{"id", agency}, {"name", dir.AgencyName(agency)}};
    ctx["status"] = status;
    ctx["status_label"] = StatusLabel(status);
    std::int64_t now = svc.NowMillis();
    array rows;
    for (const auto& task : page.items) {
      object o{{"id", task.id},
               {"id_fa", persian::ToPersianDigits(std::to_string(task.id))},
               {"kind", pathway::TaskKindLabel(task.kind)},
               {"due", persian::FormatJalaliDateTime(task.due_at / 1000)},
               {"done", task.done_at ? persian::FormatJalaliDateTime(*task.done_at / 1000) : ""},
               {"state", task.state}};
      // A delay is shown for tasks done late and for open tasks past due; a cancelled task owes
      // nothing any more.
      bool open = task.state == "new" || task.state == "open";
      std::int64_t end = task.state == "done" ? task.done_at.value_or(task.due_at)
                         : open               ? now
                                              : task.due_at;
      if (end > task.due_at) {
        o["delay"] =
            persian::ToPersianDigits(std::to_string((end - task.due_at + 86399999) / 86400000)) +
            " روز";
      }
      if (task.episode_id) o["episode_id"] = *task.episode_id;
      if (task.clause_id) o["clause_id"] = *task.clause_id;
      rows.push_back(o);
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    std::int64_t pages =
        std::max<std::int64_t>(1, (page.total + paging.per_page - 1) / paging.per_page);
    auto q = FilterParams(f);
    q.emplace_back("agency", std::to_string(agency));
    q.emplace_back("status", status);
    object pager{{"page", persian::ToPersianDigits(std::to_string(paging.page))},
                 {"pages", persian::ToPersianDigits(std::to_string(pages))},
                 {"total", Num(page.total)},
                 {"many", pages > 1}};
    auto link = [&](std::int64_t n) {
      auto qq = q;
      qq.emplace_back("page", std::to_string(n));
      return "/scorecards/tasks?" + http::QueryString(qq);
    };
    if (paging.page > 1) pager["prev"] = link(paging.page - 1);
    if (paging.page < pages) pager["next"] = link(paging.page + 1);
    ctx["pager"] = pager;
    ctx["back"] =
        "/scorecards/agencies/" + std::to_string(agency) + "?" + http::QueryString(FilterParams(f));
    return t.Page("scorecard_tasks", ctx);
  });
}

void RegisterApi(http::Router& r, accounts::Guard& guard, ScorecardService& svc) {
  auto period_json = [](const Filter& f) {
    return object{{"from", pathway::IsoDay(f.period.first_day)},
                  {"to", pathway::IsoDay(f.period.last_day)},
                  {"county_id", f.county_id}};
  };
  r.Get("/api/v1/scorecards", [&, period_json](http::Request& req) {
    auto p = guard.Require(req);
    auto f = ParseFilter(req, svc.Today());
    auto ranking = svc.Rank(p, f);
    array agencies, counties;
    for (const auto& c : ranking.agencies) {
      object o = CountsJson(c.counts);
      o["agency_id"] = c.agency_id;
      o["agency"] = c.agency_name;
      o["rank"] = c.rank;
      o["median_delay_days"] =
          c.median_delay_days ? boost::json::value(*c.median_delay_days) : nullptr;
      agencies.push_back(o);
    }
    for (const auto& c : ranking.counties) {
      object o = CountsJson(c.counts);
      o["county_id"] = c.county_id;
      o["county"] = c.county_name;
      o["median_delay_days"] =
          c.median_delay_days ? boost::json::value(*c.median_delay_days) : nullptr;
      counties.push_back(o);
    }
    object total = CountsJson(ranking.total);
    total["median_delay_days"] =
        ranking.median_delay_days ? boost::json::value(*ranking.median_delay_days) : nullptr;
    return http::Response::Json(boost::json::serialize(object{{"period", period_json(f)},
                                                              {"agencies", agencies},
                                                              {"counties", counties},
                                                              {"total", total}}));
  });
  r.Get("/api/v1/scorecards/agencies/{id}", [&, period_json](http::Request& req) {
    auto p = guard.Require(req);
    auto f = ParseFilter(req, svc.Today());
    auto score = svc.Agency(p, http::IdParam(req, "id"), f);
    object card = CountsJson(score.card.counts);
    card["agency_id"] = score.card.agency_id;
    card["agency"] = score.card.agency_name;
    card["median_delay_days"] =
        score.card.median_delay_days ? boost::json::value(*score.card.median_delay_days) : nullptr;
    array trend, counties;
    for (const auto& m : score.trend) {
      object o = CountsJson(m.counts);
      o["year"] = m.year;
      o["month"] = m.month;
      trend.push_back(o);
    }
    for (const auto& c : score.counties) {
      object o = CountsJson(c.counts);
      o["county_id"] = c.county_id;
      o["county"] = c.county_name;
      counties.push_back(o);
    }
    return http::Response::Json(boost::json::serialize(object{
        {"period", period_json(f)}, {"card", card}, {"trend", trend}, {"counties", counties}}));
  });
  r.Get("/api/v1/scorecards/tasks", [&, period_json](http::Request& req) {
    auto p = guard.Require(req);
    auto f = ParseFilter(req, svc.Today());
    auto paging = accounts::ParsePaging(req);
    auto page = svc.Tasks(p, http::QueryInt(req, "agency").value_or(0), f,
                          req.Query("status").value_or(""), paging.per_page, paging.offset());
    array items;
    for (const auto& task : page.items) {
      items.push_back(
          object{{"id", task.id},
                 {"agency_id", task.agency_id},
                 {"kind", task.kind},
                 {"state", task.state},
                 {"due_at_jalali", persian::FormatJalaliDateTime(task.due_at / 1000)},
                 {"episode_id", task.episode_id ? boost::json::value(*task.episode_id) : nullptr},
                 {"clause_id", task.clause_id ? boost::json::value(*task.clause_id) : nullptr},
                 {"county_id", task.county_id ? boost::json::value(*task.county_id) : nullptr}});
    }
    return http::Response::Json(boost::json::serialize(
        object{{"period", period_json(f)}, {"items", items}, {"total", page.total}}));
  });
}

}  // namespace peyvand::accountability
