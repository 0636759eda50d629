// SQL over the task aggregates (task_day_stats, task_delay_agency, task_delay_county), which
// the database keeps exact with triggers on the pathway's tasks (migration 0010).
#pragma once

#include <map>

#include "db/database.hpp"
#include "modules/accountability/model.hpp"

namespace peyvand::accountability::store {

// Figures by agency (county_id 0: every county) or by county (agency_id 0: every agency),
// for tasks due in the period — whole Jalali months, read from the month rollups; `today`
// splits open tasks into overdue or not.
std::map<std::int64_t, Counts> ByAgency(db::Connection& c, const Period& p, std::int64_t county_id,
                                        std::int64_t today);
std::map<std::int64_t, Counts> ByCounty(db::Connection& c, const Period& p, std::int64_t agency_id,
                                        std::int64_t today);
// Figures by Jalali month (key year * 100 + month), for trends (agency_id / county_id 0: all).
std::map<std::int64_t, Counts> ByMonth(db::Connection& c, const Period& p, std::int64_t agency_id,
                                       std::int64_t county_id, std::int64_t today);
// Delay histograms: per agency, or per county.
std::map<std::int64_t, DelayHistogram> DelaysByAgency(db::Connection& c, const Period& p);
std::map<std::int64_t, DelayHistogram> DelaysByCounty(db::Connection& c, const Period& p);
DelayHistogram DelaysOfAgency(db::Connection& c, const Period& p, std::int64_t agency_id);

// The same figures straight from the tasks table (for `peyvand stats verify` and the tests):
// differences between the two, as text lines; empty when they agree.
std::vector<std::string> VerifyAggregates(db::Connection& c);

}  // namespace peyvand::accountability::store
