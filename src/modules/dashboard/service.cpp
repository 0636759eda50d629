#include "modules/dashboard/service.hpp"

#include "core/error.hpp"
#include "modules/accountability/rules.hpp"
#include "persian/jalali.hpp"

namespace peyvand::dashboard {

bool DashboardService::MaySee(const accounts::Principal& p) {
  using accounts::Role;
  return p.roles.Has(Role::kCoordinator);
}

Figures DashboardService::Collect(const accounts::Principal& p, const Filter& f,
                                  const std::function<void()>& step) {
  auto done = [&] {
    if (step) step();
  };
  if (!MaySee(p)) {
    Fail(ErrorCode::kForbidden,
         "داشبورد هماهنگی برای هماهنگ‌کنندگان استان است.");
  }
  const auto& period = f.base.period;
  Figures out;
  out.flow = pathway_.Flow(period.first_day, period.last_day, f.base.county_id);
  done();
  for (auto& fac : pathway_.Facilities(p)) {
    if (f.base.county_id == 0 || fac.county_id == f.base.county_id) {
      out.facilities.push_back(std::move(fac));
    }
  }
  done();
  out.stays_past_end = pathway_.OverdueStays(p, 1, 0).total;
  done();
  out.ranking = scorecards_.Rank(p, f.base);
  done();
  // With an agency chosen, the page, its exports and the API show that agency (with its rank
  // among all).
  if (f.agency_id) {
    std::erase_if(out.ranking.agencies, [&](const auto& c) { return c.agency_id != f.agency_id; });
  }
  // The trend: the twelve Jalali months that end with the period.
  auto last = persian::JalaliFromDays(period.last_day);
  int fy = last.year - 1, fm = last.month + 1;
  if (fm > 12) {
    fm = 1;
    ++fy;
  }
  accountability::Filter year = f.base;
  year.period = accountability::MonthsPeriod(fy, fm, last.year, last.month);
  out.trend = scorecards_.Trend(p, year, f.agency_id);
  done();
  out.funding = funding_.TotalsByAgency(period.first_day, period.last_day);
  done();
  if (f.agency_id) {
    std::erase_if(out.funding, [&](const auto& e) { return e.first != f.agency_id; });
  }
  funding::UnfundedFilter uf;
  if (f.agency_id) uf.agency_id = f.agency_id;
  out.unfunded = funding_.CountUnfunded(uf);
  done();
  return out;
}

}  // namespace peyvand::dashboard
