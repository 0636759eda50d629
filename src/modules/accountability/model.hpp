// Plain types of the accountability module: scorecard figures per agency and county, from the
// exact per-day task aggregates (migration 0010) that the database keeps with every task.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace peyvand::accountability {

// Iran calendar days (unix day in Iran time), both ends included.
struct Period {
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;
};

// Tasks due in a period, by how they stand.
struct Counts {
  std::int64_t open = 0;     // new or open
  std::int64_t overdue = 0;  // of `open`, past their due day
  std::int64_t on_time = 0;  // done by their due time
  std::int64_t late = 0;     // done after it
  std::int64_t closed = 0;   // rejected, revoked, cancelled: no longer owed
  std::int64_t Due() const { return open + on_time + late + closed; }
  // Owed and judged: done (either way) or overdue now.
  std::int64_t Judged() const { return on_time + late + overdue; }
  Counts& operator+=(const Counts& o) {
    open += o.open;
    overdue += o.overdue;
    on_time += o.on_time;
    late += o.late;
    closed += o.closed;
    return *this;
  }
};

// Late completions: (days of delay, how many).
using DelayHistogram = std::vector<std::pair<std::int64_t, std::int64_t>>;

struct AgencyCard {
  std::int64_t agency_id = 0;
  std::string agency_name;
  Counts counts;
  std::optional<std::int64_t> median_delay_days;  // of late completions; none when none
  int rank = 0;                                   // 1 = best; 0 = nothing judged yet
};

struct CountyCard {
  std::int64_t county_id = 0;  // 0: tasks without a county
  std::string county_name;
  Counts counts;
  std::optional<std::int64_t> median_delay_days;
};

struct MonthPoint {
  int year = 0;
  int month = 0;  // Jalali
  Counts counts;
};

}  // namespace peyvand::accountability
