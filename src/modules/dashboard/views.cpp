#include "modules/dashboard/views.hpp"

#include <algorithm>

#include "modules/accountability/rules.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::dashboard::views {

std::int64_t Flow(const Figures& fig, const char* code) {
  auto it = fig.flow.find(code);
  return it == fig.flow.end() ? std::int64_t{0} : it->second;
}

std::string Share(std::int64_t part, std::int64_t whole) {
  return accountability::PercentText(accountability::Permille(part, whole));
}

std::string Billions(std::int64_t r) {
  std::int64_t tenths = (r + 50'000'000) / 100'000'000;
  std::string s = std::to_string(tenths / 10);
  if (tenths % 10) s += "٫" + std::to_string(tenths % 10);
  return persian::ToPersianDigits(s) + " میلیارد";
}

std::vector<web::Bar> FunnelBars(const Figures& fig) {
  std::vector<web::Bar> out;
  for (const auto& s : kFunnelSteps) out.push_back({s.label, Flow(fig, s.code), {}, "", false});
  return out;
}

std::vector<pathway::Facility> ByOccupancy(std::vector<pathway::Facility> facilities) {
  auto rate = [](const pathway::Facility& f) {
    int cap = f.capacity_male + f.capacity_female;
    return cap ? static_cast<double>(f.occupied_male + f.occupied_female) / cap : 0.0;
  };
  std::stable_sort(facilities.begin(), facilities.end(),
                   [&](const auto& x, const auto& y) { return rate(x) > rate(y); });
  return facilities;
}

Beds BedTotals(const std::vector<pathway::Facility>& facilities) {
  Beds b;
  for (const auto& f : facilities) {
    b.capacity_male += f.capacity_male;
    b.capacity_female += f.capacity_female;
    b.occupied_male += f.occupied_male;
    b.occupied_female += f.occupied_female;
  }
  return b;
}

std::vector<web::Bar> BedBars(const std::vector<pathway::Facility>& by_occupancy) {
  std::vector<web::Bar> out;
  for (const auto& fac : by_occupancy) {
    if (out.size() == 12) break;
    int cap = fac.capacity_male + fac.capacity_female;
    int occ = fac.occupied_male + fac.occupied_female;
    out.push_back({fac.name, occ, cap,
                   persian::FormatNumber(occ) + " از " + persian::FormatNumber(cap), occ > cap});
  }
  return out;
}

std::vector<web::Bar> OnTimeBars(const Figures& fig) {
  std::vector<web::Bar> out;
  for (const auto& c : fig.ranking.agencies) {
    if (auto rate = accountability::OnTimePermille(c.counts)) {
      out.push_back(
          {c.agency_name, *rate / 10, 100, accountability::PercentText(rate), *rate < 500});
    }
  }
  return out;
}

std::vector<web::LinePoint> TrendPoints(const Figures& fig) {
  std::vector<web::LinePoint> out;
  for (const auto& m : fig.trend) {
    auto rate = accountability::OnTimePermille(m.counts);
    out.push_back({persian::MonthName(m.month),
                   rate ? std::optional<std::int64_t>(*rate / 10) : std::nullopt});
  }
  return out;
}

funding::StageTotals FundingSum(const Figures& fig) {
  funding::StageTotals sum;
  for (const auto& [agency, t] : fig.funding) {
    sum.needed += t.needed;
    sum.approved += t.approved;
    sum.allocated += t.allocated;
    sum.notified += t.notified;
    sum.committed += t.committed;
    sum.paid += t.paid;
  }
  return sum;
}

std::vector<web::Bar> StageBars(const funding::StageTotals& sum) {
  return {{"نیاز", sum.needed, {}, Billions(sum.needed), false},
          {"مصوب", sum.approved, {}, Billions(sum.approved), false},
          {"تخصیص", sum.allocated, {}, Billions(sum.allocated), false},
          {"ابلاغ", sum.notified, {}, Billions(sum.notified), false},
          {"تعهد", sum.committed, {}, Billions(sum.committed), false},
          {"پرداخت", sum.paid, {}, Billions(sum.paid), false}};
}

std::vector<web::Table> Tables(const Figures& fig,
                               const std::map<std::int64_t, std::string>& names) {
  web::Table funnel{"مسیر", {"مرحله", "تعداد"}, {}};
  for (const auto& s : kFunnelSteps) {
    funnel.rows.push_back({web::Cell(s.label), web::Cell(Flow(fig, s.code))});
  }
  funnel.rows.push_back({web::Cell("جمع‌آوری دوباره در ۶ ماه"),
                         web::Cell(Flow(fig, "recollected_6"))});
  funnel.rows.push_back({web::Cell("جمع‌آوری دوباره در ۱۲ ماه"),
                         web::Cell(Flow(fig, "recollected_12"))});
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
    auto name = names.find(agency);
    money.rows.push_back({web::Cell(name == names.end() ? std::string() : name->second),
                          web::Cell(t.needed), web::Cell(t.approved), web::Cell(t.allocated),
                          web::Cell(t.notified), web::Cell(t.committed), web::Cell(t.paid)});
  }
  return {funnel, beds, ranking, trend, money};
}

}  // namespace peyvand::dashboard::views
