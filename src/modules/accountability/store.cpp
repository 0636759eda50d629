#include "modules/accountability/store.hpp"

namespace peyvand::accountability::store {
namespace {

using db::Query;

#define SUMS                                                                               \
  "SUM(open_n) AS open_n, SUM(CASE WHEN due_day < ? THEN open_n ELSE 0 END) AS overdue_n," \
  " SUM(on_time_n) AS on_time_n, SUM(late_n) AS late_n, SUM(closed_n) AS closed_n"
#define RANGE " FROM task_day_stats WHERE province_id = 1 AND due_day >= ? AND due_day <= ?"

constexpr Query kByAgency{"scorecards.by_agency",
                          "SELECT agency_id AS k, " SUMS RANGE
                          " AND (? = 0 OR county_id = ?) GROUP BY agency_id"};
constexpr Query kByCounty{"scorecards.by_county",
                          "SELECT county_id AS k, " SUMS RANGE
                          " AND (? = 0 OR agency_id = ?) GROUP BY county_id"};
constexpr Query kByDay{
    "scorecards.by_day",
    "SELECT due_day AS k, " SUMS RANGE
    " AND (? = 0 OR agency_id = ?) AND (? = 0 OR county_id = ?) GROUP BY due_day"};
constexpr Query kDelaysByAgency{
    "scorecards.delays_by_agency",
    "SELECT agency_id AS k, delay_days, SUM(n) AS n FROM task_delay_agency"
    " WHERE province_id = 1 AND due_day >= ? AND due_day <= ? GROUP BY agency_id, delay_days"};
constexpr Query kDelaysByCounty{
    "scorecards.delays_by_county",
    "SELECT county_id AS k, delay_days, SUM(n) AS n FROM task_delay_county"
    " WHERE province_id = 1 AND due_day >= ? AND due_day <= ? GROUP BY county_id, delay_days"};
constexpr Query kDelaysOfAgency{
    "scorecards.delays_of_agency",
    "SELECT agency_id AS k, delay_days, SUM(n) AS n FROM task_delay_agency"
    " WHERE province_id = 1 AND agency_id = ? AND due_day >= ? AND due_day <= ?"
    " GROUP BY agency_id, delay_days"};

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

std::map<std::int64_t, Counts> ByAgency(db::Connection& c, const Period& p, std::int64_t county_id,
                                        std::int64_t today) {
  return Keyed(c.Run(kByAgency, {today, p.first_day, p.last_day, county_id, county_id}));
}

std::map<std::int64_t, Counts> ByCounty(db::Connection& c, const Period& p, std::int64_t agency_id,
                                        std::int64_t today) {
  return Keyed(c.Run(kByCounty, {today, p.first_day, p.last_day, agency_id, agency_id}));
}

std::map<std::int64_t, Counts> ByDay(db::Connection& c, const Period& p, std::int64_t agency_id,
                                     std::int64_t county_id, std::int64_t today) {
  return Keyed(
      c.Run(kByDay, {today, p.first_day, p.last_day, agency_id, agency_id, county_id, county_id}));
}

std::map<std::int64_t, DelayHistogram> DelaysByAgency(db::Connection& c, const Period& p) {
  return Histograms(c.Run(kDelaysByAgency, {p.first_day, p.last_day}));
}

std::map<std::int64_t, DelayHistogram> DelaysByCounty(db::Connection& c, const Period& p) {
  return Histograms(c.Run(kDelaysByCounty, {p.first_day, p.last_day}));
}

DelayHistogram DelaysOfAgency(db::Connection& c, const Period& p, std::int64_t agency_id) {
  auto h = Histograms(c.Run(kDelaysOfAgency, {agency_id, p.first_day, p.last_day}));
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
  std::int64_t delays = c.Run(kVerifyDelays)[0].Int("n");
  if (delays > 0) out.push_back(std::to_string(delays) + " delay rows differ from the tasks");
  return out;
}

}  // namespace peyvand::accountability::store
