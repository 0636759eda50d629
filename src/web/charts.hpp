// SVG charts rendered by the server: horizontal bars, a funnel and a line, laid out right to
// left with Persian digits, each with a <title> and an aria-label; the page puts an accessible
// table beside each. Presentation attributes only (no style attributes), so the strict CSP
// holds. Every label is escaped here, so the returned markup can go into a page unescaped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::web {

struct Bar {
  std::string label;
  std::int64_t value = 0;
  std::optional<std::int64_t> of;  // a capacity or total drawn behind the bar
  std::string value_text;          // shown at the bar's end; Persian digits of value when empty
  bool alert = false;              // drawn in the warning colour
};

struct ChartOptions {
  std::string title;  // the chart's <title> and aria-label
  int width = 560;
  int row_height = 26;
};

// Bars growing from the right edge leftwards, one row each, labels on the right.
std::string BarChart(const std::vector<Bar>& bars, const ChartOptions& o);
// A funnel: centred bars narrowing with the values, each with its share of the first.
std::string FunnelChart(const std::vector<Bar>& stages, const ChartOptions& o);

struct LinePoint {
  std::string label;                  // the x axis label (a month)
  std::optional<std::int64_t> value;  // none: a gap
};
// A line over equally spaced points, first point on the right; values 0..max_value.
std::string LineChart(const std::vector<LinePoint>& points, std::int64_t max_value,
                      const std::string& unit, const ChartOptions& o);

}  // namespace peyvand::web
