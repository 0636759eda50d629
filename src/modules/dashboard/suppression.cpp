#include "modules/dashboard/suppression.hpp"

#include "persian/digits.hpp"

namespace peyvand::dashboard {
namespace {

using Table = std::vector<std::vector<std::optional<std::int64_t>>>;

// If exactly one cell of a line is withheld, also withhold the smallest shown one; true when a
// cell changed. `at(i)` is the line's i-th cell.
template <class At>
bool ProtectLine(std::size_t n, At at) {
  int withheld = 0;
  std::optional<std::size_t> smallest;
  for (std::size_t i = 0; i < n; ++i) {
    auto& c = at(i);
    if (!c) {
      ++withheld;
    } else if (!smallest || *c < *at(*smallest)) {
      smallest = i;
    }
  }
  if (withheld == 1 && smallest) {
    at(*smallest).reset();
    return true;
  }
  return false;
}

}  // namespace

Table Suppress(const std::vector<std::vector<std::int64_t>>& cells) {
  Table out;
  for (const auto& row : cells) {
    std::vector<std::optional<std::int64_t>> r;
    for (auto v : row) r.push_back(v < kMinCell ? std::nullopt : std::optional<std::int64_t>(v));
    out.push_back(std::move(r));
  }
  // Withholding one cell can leave another line with a single withheld cell: repeat until no
  // line changes (each pass withholds at least one more cell, so this ends).
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto& row : out) {
      changed = ProtectLine(
                    row.size(), [&](std::size_t i) -> auto& { return row[i]; }) ||
                changed;
    }
    std::size_t columns = out.empty() ? 0 : out.front().size();
    for (std::size_t c = 0; c < columns; ++c) {
      changed = ProtectLine(
                    out.size(), [&](std::size_t i) -> auto& { return out[i][c]; }) ||
                changed;
    }
  }
  return out;
}

std::optional<std::int64_t> SuppressOne(std::int64_t n) {
  if (n < kMinCell) return std::nullopt;
  return n;
}

std::string CellText(const std::optional<std::int64_t>& cell) {
  if (!cell) return "محرمانه";
  return persian::FormatNumber(*cell);
}

}  // namespace peyvand::dashboard
