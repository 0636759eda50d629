// Scorecard arithmetic: periods in Jalali months, on-time rates, exact medians from delay
// histograms, and the ranking. Pure functions: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "modules/accountability/model.hpp"

namespace peyvand::accountability {

// The days of Jalali month (jy, jm).
Period MonthPeriod(int jy, int jm);
// The whole Jalali months from (fy, fm) to (ty, tm), both included.
Period MonthsPeriod(int fy, int fm, int ty, int tm);
// The Jalali month before the one holding `day`.
std::pair<int, int> PreviousMonth(std::int64_t day);
// Every Jalali month a period touches, in order.
std::vector<std::pair<int, int>> MonthsOf(const Period& p);
// "1405/08" or "۱۴۰۵/۸" → (1405, 8); an error message in Persian otherwise.
Result<std::pair<int, int>> ParseMonth(std::string_view text);

// "1405/08": a month as the filters take it.
std::string MonthCode(int jy, int jm);
// «آبان ۱۴۰۵» or «مهر ۱۴۰۵ تا آبان ۱۴۰۵» for a period.
std::string MonthText(int jy, int jm);
std::string PeriodText(const Period& p);
// part / whole in per mille, rounded half up; none when whole is not positive.
std::optional<std::int64_t> Permille(std::int64_t part, std::int64_t whole);

// On-time rate in per mille of the judged tasks (done, or overdue now); none when none.
std::optional<std::int64_t> OnTimePermille(const Counts& c);
// "۸۷٫۵٪" for 875 per mille; "—" for none.
std::string PercentText(std::optional<std::int64_t> permille);

// The lower median of a histogram of (value, count), values in any order; none when empty.
std::optional<std::int64_t> Median(DelayHistogram h);

// Ranks cards best first: higher on-time rate, then fewer overdue, then more done, then name.
// Cards with nothing judged come last with rank 0.
void Rank(std::vector<AgencyCard>& cards);

}  // namespace peyvand::accountability
