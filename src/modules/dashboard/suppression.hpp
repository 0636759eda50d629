// Small-cell suppression for figures about persons shown to the public (issue 4, part 7): any
// cell under 5 is withheld, and where a row or column total is shown, one withheld cell alone
// could be worked out by subtraction, so the smallest shown cell of that line is withheld too.
// Pure functions: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::dashboard {

inline constexpr std::int64_t kMinCell = 5;

// A table of counts (rows × columns) → the same table with withheld cells as nullopt. Row and
// column totals are shown by the caller from the raw figures, so both directions are protected.
std::vector<std::vector<std::optional<std::int64_t>>> Suppress(
    const std::vector<std::vector<std::int64_t>>& cells);

// A total shown alone (the province): withheld under kMinCell.
std::optional<std::int64_t> SuppressOne(std::int64_t n);

// "۱٬۲۳۴", or «محرمانه» for a withheld cell (under 5, or withheld so another cannot be derived).
std::string CellText(const std::optional<std::int64_t>& cell);

}  // namespace peyvand::dashboard
