#include "modules/accountability/rules.hpp"

#include <algorithm>
#include <cctype>

#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::accountability {

Period MonthPeriod(int jy, int jm) {
  std::int64_t first = persian::DaysFromJalali({jy, jm, 1});
  return {first, first + persian::JalaliMonthLength(jy, jm) - 1};
}

Period MonthsPeriod(int fy, int fm, int ty, int tm) {
  return {MonthPeriod(fy, fm).first_day, MonthPeriod(ty, tm).last_day};
}

std::pair<int, int> PreviousMonth(std::int64_t day) {
  auto j = persian::JalaliFromDays(day);
  if (j.month == 1) return {j.year - 1, 12};
  return {j.year, j.month - 1};
}

std::vector<std::pair<int, int>> MonthsOf(const Period& p) {
  std::vector<std::pair<int, int>> out;
  if (p.last_day < p.first_day) return out;
  auto j = persian::JalaliFromDays(p.first_day);
  auto last = persian::JalaliFromDays(p.last_day);
  int y = j.year, m = j.month;
  while (y < last.year || (y == last.year && m <= last.month)) {
    out.emplace_back(y, m);
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return out;
}

Result<std::pair<int, int>> ParseMonth(std::string_view text) {
  std::string t = persian::ToAsciiDigits(text);
  auto bad = Error{ErrorCode::kInvalid, "ماه را به شکل ۱۴۰۵/۰۸ وارد کنید.", {}};
  auto slash = t.find_first_of("/-");
  if (slash == std::string::npos || slash == 0 || slash + 1 >= t.size()) return bad;
  std::string ys = t.substr(0, slash), ms = t.substr(slash + 1);
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 4 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (!digits(ys) || !digits(ms) || ys.size() != 4) return bad;
  int y = std::stoi(ys), m = std::stoi(ms);
  if (y < 1300 || y > 1500 || m < 1 || m > 12) return bad;
  return std::pair<int, int>{y, m};
}

std::string MonthCode(int jy, int jm) {
  return std::to_string(jy) + "/" + (jm < 10 ? "0" : "") + std::to_string(jm);
}

std::string MonthText(int jy, int jm) {
  return persian::MonthName(jm) + " " + persian::ToPersianDigits(std::to_string(jy));
}

std::string PeriodText(const Period& p) {
  auto a = persian::JalaliFromDays(p.first_day);
  auto b = persian::JalaliFromDays(p.last_day);
  std::string s = MonthText(a.year, a.month);
  if (a.year != b.year || a.month != b.month) s += " تا " + MonthText(b.year, b.month);
  return s;
}

std::optional<std::int64_t> Permille(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return (part * 1000 * 2 + whole) / (2 * whole);  // rounded half up, in integers
}

std::optional<std::int64_t> OnTimePermille(const Counts& c) {
  return Permille(c.on_time, c.Judged());
}

std::string PercentText(std::optional<std::int64_t> permille) {
  if (!permille) return "—";
  std::int64_t whole = *permille / 10, tenth = *permille % 10;
  std::string s = std::to_string(whole);
  if (tenth) s += "٫" + std::to_string(tenth);
  return persian::ToPersianDigits(s) + "٪";
}

std::optional<std::int64_t> Median(DelayHistogram h) {
  std::int64_t total = 0;
  for (const auto& [v, n] : h) total += std::max<std::int64_t>(n, 0);
  if (total == 0) return std::nullopt;
  std::sort(h.begin(), h.end());
  std::int64_t want = (total + 1) / 2;  // the lower median's position, from 1
  std::int64_t seen = 0;
  for (const auto& [v, n] : h) {
    seen += std::max<std::int64_t>(n, 0);
    if (seen >= want) return v;
  }
  return h.back().first;
}

void Rank(std::vector<AgencyCard>& cards) {
  auto key = [](const AgencyCard& c) { return OnTimePermille(c.counts); };
  std::stable_sort(cards.begin(), cards.end(), [&](const AgencyCard& a, const AgencyCard& b) {
    auto ra = key(a), rb = key(b);
    if (ra.has_value() != rb.has_value()) return ra.has_value();
    if (ra && *ra != *rb) return *ra > *rb;
    if (a.counts.overdue != b.counts.overdue) return a.counts.overdue < b.counts.overdue;
    std::int64_t da = a.counts.on_time + a.counts.late, db = b.counts.on_time + b.counts.late;
    if (da != db) return da > db;
    return a.agency_name < b.agency_name;
  });
  int rank = 0;
  for (auto& c : cards) c.rank = key(c) ? ++rank : 0;
}

}  // namespace peyvand::accountability
