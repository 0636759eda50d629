// Scorecards (issue 4, part 2): each agency's duties due in a period — done on time, done late,
// overdue now, median delay — per agency and county, ranked, with a trend by Jalali month and
// the tasks behind every figure. Figures come from exact aggregates (store.hpp); the tasks
// behind them from the pathway.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "modules/accountability/model.hpp"
#include "modules/accounts/model.hpp"
#include "modules/accounts/service.hpp"
#include "modules/audit/service.hpp"
#include "modules/pathway/service.hpp"

namespace peyvand::accountability {

struct Filter {
  Period period;
  std::int64_t county_id = 0;  // 0: every county
};

struct Ranking {
  std::vector<AgencyCard> agencies;  // best first
  std::vector<CountyCard> counties;  // by name
  Counts total;
  std::optional<std::int64_t> median_delay_days;
};

struct AgencyScore {
  AgencyCard card;
  std::vector<CountyCard> counties;
  std::vector<MonthPoint> trend;  // every Jalali month of the period
};

class ScorecardService {
 public:
  ScorecardService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                   accounts::DirectoryService& directory, pathway::PathwayService& pathway)
      : db_(db), audit_(audit), clock_(clock), directory_(directory), pathway_(pathway) {}

  // The ranking and the counties: coordinators, auditors, system admins, agency managers.
  Ranking Rank(const accounts::Principal& p, const Filter& f);
  // One agency's card: those above, and the agency's own operators.
  AgencyScore Agency(const accounts::Principal& p, std::int64_t agency_id, const Filter& f);
  // The tasks behind a figure; status: overdue, open, on_time, late, closed or "" (all).
  pathway::PathwayService::TaskPage Tasks(const accounts::Principal& p, std::int64_t agency_id,
                                          const Filter& f, const std::string& status,
                                          std::int64_t limit, std::int64_t offset);
  // Every Jalali month of the period for one agency or all (agency_id 0); those who see the
  // ranking.
  std::vector<MonthPoint> Trend(const accounts::Principal& p, const Filter& f,
                                std::int64_t agency_id);
  // Each active agency's figures for the public page (no sign-in; aggregates only).
  std::vector<std::pair<std::string, Counts>> PublicRates(const Filter& f);
  // Now by the service's clock (ms), for delays shown on pages.
  std::int64_t NowMillis() const { return clock_.NowMillis(); }
  // The Iran day now, by the service's clock.
  std::int64_t Today() const;
  // Aggregates recomputed from the tasks; the differences (none when exact).
  std::vector<std::string> Verify();
  // Appends an audit entry about these figures in a transaction of its own, for the modules
  // that take them out of the system (the dashboard's monthly report) or refuse to.
  void AuditFigures(const accounts::Principal& p, std::string action, std::string record_type,
                    std::string record_id, std::string summary);

 private:
  bool SeesAll(const accounts::Principal& p) const;
  void RequireAgency(const accounts::Principal& p, std::int64_t agency_id);

  db::Database& db_;
  audit::AuditService& audit_;
  const Clock& clock_;
  accounts::DirectoryService& directory_;
  pathway::PathwayService& pathway_;
};

}  // namespace peyvand::accountability
