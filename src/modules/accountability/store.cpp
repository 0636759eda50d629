#include "modules/accountability/store.hpp"

#include "persian/jalali.hpp"

namespace peyvand::accountability::store {
namespace {

using db::Query;

// Aggregates against the tasks, both ways round (rows missing on either side count).
constexpr Query kVerifyDays{
    "scorecards.verify_days",
    "SELECT 'tasks' AS side, d, a, c, o, ot, l, cl FROM ("
    " SELECT (due_at + 12600000) / 86400000 AS d, agency_id AS a, COALESCE(county_id, 0) AS c,"
    "  SUM(CASE WHEN state IN ('new', 'open') THEN 1 ELSE 0 END) AS o,"
    "  SUM(CASE WHEN state = 'done' AND COALESCE(done_at, updated_at) <= due_at THEN 1 ELSE 0 END)"
    "  AS ot,"
    "  SUM(CASE WHEN state = 'done' AND COALESCE(done_at, updated_at) > due_at THEN 1 ELSE 0 END)"
    "  AS l,"
    "  SUM(CASE WHEN state NOT IN ('new', 'open', 'done') THEN 1 ELSE 0 END) AS cl"
    " FROM tasks GROUP BY 1, 2, 3"
    " EXCEPT SELECT due_day, agency_id, county_id, open_n, on_time_n, late_n, closed_n"
    " FROM task_day_stats WHERE open_n + on_time_n + late_n + closed_n <> 0) AS x"
    " UNION ALL SELECT 'aggregates', d, a, c, o, ot, l, cl FROM ("
    " SELECT due_day AS d, agency_id AS a, county_id AS c, open_n AS o, on_time_n AS ot,"
    "  late_n AS l, closed_n AS cl FROM task_day_stats WHERE open_n + on_time_n + late_n + closed_n <> 0"
    " EXCEPT SELECT (due_at + 12600000) / 86400000, agency_id, COALESCE(county_id, 0),"
    "  SUM(CASE WHEN state IN ('new', 'open') THEN 1 ELSE 0 END),"
    "  SUM(CASE WHEN state = 'done' AND COALESCE(done_at, updated_at) <= due_at THEN 1 ELSE 0 END),"
    "  SUM(CASE WHEN state = 'done' AND COALESCE(done_at, updated_at) > due_at THEN 1 ELSE 0 END),"
    "  SUM(CASE WHEN state NOT IN ('new', 'open', 'done') THEN 1 ELSE 0 END)"
    " FROM tasks GROUP BY 1, 2, 3) AS y LIMIT 20"};
constexpr Query kVerifyDelays{
    "scorecards.verify_delays",
    "SELECT COUNT(*) AS n FROM ("
    " SELECT agency_id, (due_at + 12600000) / 86400000 AS d,"
    "  (COALESCE(done_at, updated_at) - due_at + 86399999) / 86400000 AS dd, COUNT(*) AS n"
    " FROM tasks WHERE state = 'done' AND COALESCE(done_at, updated_at) > due_at GROUP BY 1, 2, 3"
    " EXCEPT SELECT agency_id, due_day, delay_days, n FROM task_delay_agency WHERE n <> 0) AS x"};

// Whole Jalali months from the month rollups (migration 0012); open tasks of months before the
// current one are all overdue, and those of the current month are split by day from the day
// table (a month of day rows at most).
#define MSUMS                                                                             \
  "SUM(open_n) AS open_n, SUM(CASE WHEN jmonth < ? THEN open_n ELSE 0 END) AS overdue_n," \
  " SUM(on_time_n) AS on_time_n, SUM(late_n) AS late_n, SUM(closed_n) AS closed_n"
#define MRANGE " FROM task_month_stats WHERE province_id = 1 AND jmonth >= ? AND jmonth <= ?"
constexpr Query kMonthByAgency{"scorecards.month_by_agency",
                               "SELECT agency_id AS k, " MSUMS MRANGE
                               " AND (CAST(? AS BIGINT) = 0 OR county_id = ?) GROUP BY agency_id"};
constexpr Query kMonthByCounty{"scorecards.month_by_county",
                               "SELECT county_id AS k, " MSUMS MRANGE
                               " AND (CAST(? AS BIGINT) = 0 OR agency_id = ?) GROUP BY county_id"};
constexpr Query kMonthByMonth{
    "scorecards.month_by_month",
    "SELECT jmonth AS k, " MSUMS MRANGE
    " AND (CAST(? AS BIGINT) = 0 OR agency_id = ?) AND (CAST(? AS BIGINT) = 0 OR county_id = ?) GROUP BY jmonth"};
// This month's open tasks already past their due day, by agency / county.
constexpr Query kTodayOverdueByAgency{
    "scorecards.current_overdue_by_agency",
    "SELECT agency_id AS k, SUM(open_n) AS n FROM task_day_stats WHERE province_id = 1"
    " AND due_day >= ? AND due_day < ? AND (CAST(? AS BIGINT) = 0 OR county_id = ?) GROUP BY agency_id"};
constexpr Query kTodayOverdueByCounty{
    "scorecards.current_overdue_by_county",
    "SELECT county_id AS k, SUM(open_n) AS n FROM task_day_stats WHERE province_id = 1"
    " AND due_day >= ? AND due_day < ? AND (CAST(? AS BIGINT) = 0 OR agency_id = ?) GROUP BY county_id"};
constexpr Query kTodayOverdue{
    "scorecards.current_overdue",
    "SELECT SUM(open_n) AS n FROM task_day_stats WHERE province_id = 1 AND due_day >= ?"
    " AND due_day < ? AND (CAST(? AS BIGINT) = 0 OR agency_id = ?) AND (CAST(? AS BIGINT) = 0 OR county_id = ?)"};
constexpr Query kMonthDelaysByAgency{
    "scorecards.month_delays_by_agency",
    "SELECT agency_id AS k, delay_days, SUM(n) AS n FROM task_month_delay_agency"
    " WHERE province_id = 1 AND jmonth >= ? AND jmonth <= ? GROUP BY agency_id, delay_days"};
constexpr Query kMonthDelaysByCounty{
    "scorecards.month_delays_by_county",
    "SELECT county_id AS k, delay_days, SUM(n) AS n FROM task_month_delay_county"
    " WHERE province_id = 1 AND jmonth >= ? AND jmonth <= ? GROUP BY county_id, delay_days"};
constexpr Query kMonthDelaysOfAgency{
    "scorecards.month_delays_of_agency",
    "SELECT agency_id AS k, delay_days, SUM(n) AS n FROM task_month_delay_agency"
    " WHERE province_id = 1 AND agency_id = ? AND jmonth >= ? AND jmonth <= ?"
    " GROUP BY agency_id, delay_days"};

// The months of a period, the current month and the days of it before today.
struct Months {
  std::int64_t first = 0, last = 0;  // jmonth
  std::int64_t current = 0;          // jmonth of today
  std::int64_t current_first_day = 0;
  bool holds_current = false;
};
Months MonthsOf(const Period& p, std::int64_t today) {
  Months m;
  m.first = persian::JalaliMonthKey(p.first_day);
  m.last = persian::JalaliMonthKey(p.last_day);
  m.current = persian::JalaliMonthKey(today);
  auto j = persian::JalaliFromDays(today);
  m.current_first_day = persian::DaysFromJalali({j.year, j.month, 1});
  m.holds_current = m.first <= m.current && m.current <= m.last;
  return m;
}

// The month rollups against the sums of their days.
constexpr Query kVerifyMonths{
    "scorecards.verify_months",
    "SELECT COUNT(*) AS n FROM ("
    " SELECT m.jmonth, d.agency_id, d.county_id, SUM(d.open_n) AS o, SUM(d.on_time_n) AS ot,"
    "  SUM(d.late_n) AS l, SUM(d.closed_n) AS cl FROM task_day_stats d"
    "  JOIN calendar_months m ON d.due_day BETWEEN m.first_day AND m.last_day"
    "  GROUP BY m.jmonth, d.agency_id, d.county_id"
    "  HAVING SUM(d.open_n) + SUM(d.on_time_n) + SUM(d.late_n) + SUM(d.closed_n) <> 0"
    " EXCEPT SELECT jmonth, agency_id, county_id, open_n, on_time_n, late_n, closed_n"
    "  FROM task_month_stats WHERE open_n + on_time_n + late_n + closed_n <> 0) AS x"};

Counts CountsOf(const db::Row& r) {
  Counts c;
  c.open = r.Int("open_n");
  c.overdue = r.Int("overdue_n");
  c.on_time = r.Int("on_time_n");
  c.late = r.Int("late_n");
  c.closed = r.Int("closed_n");
  return c;
}

std::map<std::int64_t, Counts> Keyed(const db::ResultSet& rs) {
  std::map<std::int64_t, Counts> out;
  for (auto r : rs) out[r.Int("k")] = CountsOf(r);
  return out;
}

std::map<std::int64_t, DelayHistogram> Histograms(const db::ResultSet& rs) {
  std::map<std::int64_t, DelayHistogram> out;
  for (auto r : rs) out[r.Int("k")].emplace_back(r.Int("delay_days"), r.Int("n"));
  return out;
}

}  // namespace

namespace {
// Months of the period grouped by agency or county (`month_q`), plus this month's open tasks
// already past their due day (`today_q`); `filter` is the other dimension (0: all).
std::map<std::int64_t, Counts> Grouped(db::Connection& c, const Query& month_q,
                                       const Query& today_q, const Period& p, std::int64_t filter,
                                       std::int64_t today) {
  auto m = MonthsOf(p, today);
  auto out = Keyed(c.Run(month_q, {m.current, m.first, m.last, filter, filter}));
  if (m.holds_current) {
    for (auto r : c.Run(today_q, {m.current_first_day, today, filter, filter})) {
      out[r.Int("k")].overdue += r.Int("n");
    }
  }
  return out;
}
}  // namespace

std::map<std::int64_t, Counts> ByAgency(db::Connection& c, const Period& p, std::int64_t county_id,
                                        std::int64_t today) {
  return Grouped(c, kMonthByAgency, kTodayOverdueByAgency, p, county_id, today);
}

std::map<std::int64_t, Counts> ByCounty(db::Connection& c, const Period& p, std::int64_t agency_id,
                                        std::int64_t today) {
  return Grouped(c, kMonthByCounty, kTodayOverdueByCounty, p, agency_id, today);
}

std::map<std::int64_t, Counts> ByMonth(db::Connection& c, const Period& p, std::int64_t agency_id,
                                       std::int64_t county_id, std::int64_t today) {
  auto m = MonthsOf(p, today);
  auto out = Keyed(c.Run(kMonthByMonth,
                         {m.current, m.first, m.last, agency_id, agency_id, county_id, county_id}));
  if (m.holds_current) {
    auto rs = c.Run(kTodayOverdue,
                    {m.current_first_day, today, agency_id, agency_id, county_id, county_id});
    if (!rs.empty()) out[m.current].overdue += rs[0].Int("n");
  }
  return out;
}

std::map<std::int64_t, DelayHistogram> DelaysByAgency(db::Connection& c, const Period& p) {
  return Histograms(c.Run(kMonthDelaysByAgency, {persian::JalaliMonthKey(p.first_day),
                                                 persian::JalaliMonthKey(p.last_day)}));
}

std::map<std::int64_t, DelayHistogram> DelaysByCounty(db::Connection& c, const Period& p) {
  return Histograms(c.Run(kMonthDelaysByCounty, {persian::JalaliMonthKey(p.first_day),
                                                 persian::JalaliMonthKey(p.last_day)}));
}

DelayHistogram DelaysOfAgency(db::Connection& c, const Period& p, std::int64_t agency_id) {
  auto h = Histograms(c.Run(kMonthDelaysOfAgency, {agency_id, persian::JalaliMonthKey(p.first_day),
                                                   persian::JalaliMonthKey(p.last_day)}));
  return h.empty() ? DelayHistogram{} : h.begin()->second;
}

std::vector<std::string> VerifyAggregates(db::Connection& c) {
  std::vector<std::string> out;
  for (auto r : c.Run(kVerifyDays)) {
    out.push_back("only in " + r.Text("side") + ": day " + std::to_string(r.Int("d")) + " agency " +
                  std::to_string(r.Int("a")) + " county " + std::to_string(r.Int("c")) + " open " +
                  std::to_string(r.Int("o")) + " on_time " + std::to_string(r.Int("ot")) +
                  " late " + std::to_string(r.Int("l")) + " closed " + std::to_string(r.Int("cl")));
  }
  std::int64_t months = c.Run(kVerifyMonths)[0].Int("n");
  if (months > 0) out.push_back(std::to_string(months) + " month rows differ from their days");
  std::int64_t delays = c.Run(kVerifyDelays)[0].Int("n");
  if (delays > 0) out.push_back(std::to_string(delays) + " delay rows differ from the tasks");
  return out;
}

}  // namespace peyvand::accountability::store
