#include "modules/accountability/service.hpp"

#include <map>

#include <algorithm>
#include "core/error.hpp"
#include "modules/accountability/rules.hpp"
#include "modules/accountability/store.hpp"

namespace peyvand::accountability {
namespace {

using accounts::Role;

constexpr std::int64_t kDayMillis = 86400000;
constexpr std::int64_t kIranOffsetMillis = 12600000;  // UTC+03:30

std::int64_t StartOfIranDay(std::int64_t day) {
  return day * kDayMillis - kIranOffsetMillis;
}

void CheckPeriod(const Period& p) {
  if (p.last_day < p.first_day || p.last_day - p.first_day > 366 * 3) {
    Fail(ErrorCode::kInvalid, "بازهٔ زمانی نامعتبر است.",
         {{"from", "بازه باید از آغاز تا پایان و حداکثر سه سال باشد."}});
  }
}

}  // namespace

std::int64_t ScorecardService::Today() const {
  return (clock_.NowMillis() + kIranOffsetMillis) / kDayMillis;
}

bool ScorecardService::SeesAll(const accounts::Principal& p) const {
  return p.roles.HasAny({Role::kCoordinator, Role::kAuditor, Role::kSystemAdmin});
}

void ScorecardService::AuditFigures(const accounts::Principal& p, std::string action,
                                    std::string record_type, std::string record_id,
                                    std::string summary) {
  audit_.AppendAlone(accounts::AuthService::ActorOf(p), std::move(action), std::move(record_type),
                     std::move(record_id), std::move(summary));
}

void ScorecardService::RequireAgency(const accounts::Principal& p, std::int64_t agency_id) {
  bool own = agency_id == p.agency_id && p.roles.HasAny({Role::kAgencyManager, Role::kOperator});
  if (SeesAll(p) || own) return;
  audit_.AppendAlone(accounts::AuthService::ActorOf(p), "access.denied", "scorecard",
                     std::to_string(agency_id), R"({"reason":"another agency's scorecard"})");
  Fail(ErrorCode::kForbidden, "کارنامهٔ این دستگاه در حدود دسترسی شما نیست.");
}

Ranking ScorecardService::Rank(const accounts::Principal& p, const Filter& f) {
  if (!SeesAll(p) && !p.roles.Has(Role::kAgencyManager)) {
    audit_.AppendAlone(accounts::AuthService::ActorOf(p), "access.denied", "scorecard", "",
                       R"({"reason":"the ranking needs coordinator, auditor or manager"})");
    Fail(
        ErrorCode::kForbidden,
        "رتبه‌بندی دستگاه‌ها برای هماهنگ‌کننده، ممیز و مدیران دستگاه‌هاست.");
  }
  CheckPeriod(f.period);
  std::int64_t today = Today();
  Ranking out;
  std::map<std::int64_t, Counts> agencies, counties;
  std::map<std::int64_t, DelayHistogram> agency_delays, county_delays;
  db_.Read([&](db::Connection& c) {
    agencies = store::ByAgency(c, f.period, f.county_id, today);
    counties = store::ByCounty(c, f.period, 0, today);
    agency_delays = store::DelaysByAgency(c, f.period);
    county_delays = store::DelaysByCounty(c, f.period);
  });
  DelayHistogram all;
  for (const auto& a : directory_.ListAgencies(p)) {
    if (!a.active && !agencies.count(a.id)) continue;
    AgencyCard card;
    card.agency_id = a.id;
    card.agency_name = a.name;
    card.counts = agencies[a.id];
    // The delay histograms are by agency for the whole province: with a county chosen, the
    // agency's median is not that county's, so it is left out.
    if (f.county_id == 0) card.median_delay_days = Median(agency_delays[a.id]);
    out.total += card.counts;
    out.agencies.push_back(card);
  }
  for (const auto& [id, h] : county_delays) {
    if (f.county_id == 0 || id == f.county_id) all.insert(all.end(), h.begin(), h.end());
  }
  out.median_delay_days = Median(all);
  accountability::Rank(out.agencies);
  std::map<std::int64_t, std::string> county_names;
  for (const auto& c : directory_.ListCounties(p)) county_names[c.id] = c.name;
  for (const auto& [id, counts] : counties) {
    if (f.county_id != 0 && id != f.county_id) continue;
    CountyCard card;
    card.county_id = id;
    card.county_name = id == 0 ? "بدون شهرستان" : county_names[id];
    card.counts = counts;
    card.median_delay_days = Median(county_delays[id]);
    out.counties.push_back(card);
  }
  return out;
}

AgencyScore ScorecardService::Agency(const accounts::Principal& p, std::int64_t agency_id,
                                     const Filter& f) {
  RequireAgency(p, agency_id);
  CheckPeriod(f.period);
  std::string name = directory_.AgencyName(agency_id);
  if (name.empty()) Fail(ErrorCode::kNotFound, "رکورد مورد نظر پیدا نشد.");
  std::int64_t today = Today();
  AgencyScore out;
  out.card.agency_id = agency_id;
  out.card.agency_name = name;
  std::map<std::int64_t, Counts> counties, months;
  DelayHistogram delays;
  db_.Read([&](db::Connection& c) {
    counties = store::ByCounty(c, f.period, agency_id, today);
    months = store::ByMonth(c, f.period, agency_id, f.county_id, today);
    delays = store::DelaysOfAgency(c, f.period, agency_id);
  });
  if (f.county_id == 0) out.card.median_delay_days = Median(delays);
  std::map<std::int64_t, std::string> county_names;
  for (const auto& c : directory_.ListCounties(p)) county_names[c.id] = c.name;
  for (const auto& [id, counts] : counties) {
    if (f.county_id != 0 && id != f.county_id) continue;
    out.card.counts += counts;
    out.counties.push_back({id, id == 0 ? "بدون شهرستان" : county_names[id], counts, {}});
  }
  for (const auto& [jy, jm] : MonthsOf(f.period)) {
    out.trend.push_back({jy, jm, months[jy * 100 + jm]});
  }
  return out;
}

pathway::PathwayService::TaskPage ScorecardService::Tasks(const accounts::Principal& p,
                                                          std::int64_t agency_id, const Filter& f,
                                                          const std::string& status,
                                                          std::int64_t limit, std::int64_t offset) {
  RequireAgency(p, agency_id);
  CheckPeriod(f.period);
  static const char* kStatuses[] = {"", "overdue", "open", "on_time", "late", "closed"};
  if (std::none_of(std::begin(kStatuses), std::end(kStatuses),
                   [&](const char* s) { return status == s; })) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"status", "یکی از overdue، open، on_time، late یا closed."}});
  }
  pathway::store::TaskQuery q;
  q.agency_id = agency_id;
  q.county_id = f.county_id;
  q.due_from = StartOfIranDay(f.period.first_day);
  q.due_to = StartOfIranDay(f.period.last_day + 1);
  q.status = status;
  q.overdue_before = StartOfIranDay(Today());
  return pathway_.FindTasks(q, limit, offset);
}

std::vector<MonthPoint> ScorecardService::Trend(const accounts::Principal& p, const Filter& f,
                                                std::int64_t agency_id) {
  if (agency_id) {
    RequireAgency(p, agency_id);
  } else if (!SeesAll(p) && !p.roles.Has(Role::kAgencyManager)) {
    Fail(
        ErrorCode::kForbidden,
        "رتبه‌بندی دستگاه‌ها برای هماهنگ‌کننده، ممیز و مدیران دستگاه‌هاست.");
  }
  CheckPeriod(f.period);
  std::int64_t today = Today();
  auto months = db_.Read([&](db::Connection& c) {
    return store::ByMonth(c, f.period, agency_id, f.county_id, today);
  });
  std::vector<MonthPoint> out;
  for (const auto& [jy, jm] : MonthsOf(f.period)) out.push_back({jy, jm, months[jy * 100 + jm]});
  return out;
}

std::vector<std::pair<std::string, Counts>> ScorecardService::PublicRates(const Filter& f) {
  CheckPeriod(f.period);
  std::int64_t today = Today();
  auto agencies =
      db_.Read([&](db::Connection& c) { return store::ByAgency(c, f.period, 0, today); });
  std::vector<std::pair<std::string, Counts>> out;
  for (const auto& a : directory_.ListAgencies(accounts::Principal{})) {
    if (a.active) out.emplace_back(a.name, agencies[a.id]);
  }
  return out;
}

std::vector<std::string> ScorecardService::Verify() {
  return db_.Read([](db::Connection& c) { return store::VerifyAggregates(c); });
}

}  // namespace peyvand::accountability
