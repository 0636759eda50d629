// The coordinator's dashboard (issue 4, part 6): the figures a provincial coordinator reads
// before the council meeting, for a period of Jalali months, a county and an agency — the
// pathway's flow from collection to employment, occupancy against capacity, stays past their
// legal limit, re-collections, each agency's on-time record, and funding by stage. Everything
// is read from exact aggregates kept with the records (migrations 0010, 0011) or from small
// tables, so the page stays fast at a million persons.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "modules/accountability/service.hpp"
#include "modules/accounts/model.hpp"
#include "modules/funding/service.hpp"
#include "modules/pathway/service.hpp"

namespace peyvand::dashboard {

struct Filter {
  accountability::Filter base;  // period and county
  std::int64_t agency_id = 0;   // 0: every agency
};

struct Figures {
  std::map<std::string, std::int64_t> flow;   // collected, screened, admitted, … recollected_12
  std::vector<pathway::Facility> facilities;  // in the county (all when none chosen)
  std::int64_t stays_past_end = 0;            // open stays past their legal end, now
  accountability::Ranking ranking;
  std::vector<accountability::MonthPoint> trend;  // the 12 months up to the period's end
  std::vector<std::pair<std::int64_t, funding::StageTotals>> funding;  // by agency
  funding::UnfundedCount unfunded;
};

class DashboardService {
 public:
  DashboardService(pathway::PathwayService& pathway, accountability::ScorecardService& scorecards,
                   funding::FundingService& funding)
      : pathway_(pathway), scorecards_(scorecards), funding_(funding) {}

  // The provincial coordinators (the home page of that role). `step`, if given, is called after
  // each of the kCollectSteps reads, for a progress bar.
  static constexpr int kCollectSteps = 7;
  Figures Collect(const accounts::Principal& p, const Filter& f,
                  const std::function<void()>& step = {});
  static bool MaySee(const accounts::Principal& p);

 private:
  pathway::PathwayService& pathway_;
  accountability::ScorecardService& scorecards_;
  funding::FundingService& funding_;
};

}  // namespace peyvand::dashboard
