// Charts rendered by the server: horizontal bars, a funnel and a line, laid out right to left
// with Persian digits. Each chart is first laid out as a Scene (shapes in a box, y down), which
// is written as SVG here — with a <title> and an aria-label, presentation attributes only (no
// style attributes, so the strict CSP holds), every label escaped, so the markup can go into a
// page unescaped — and drawn into the PDF reports by src/report. The page puts an accessible
// table beside each chart.
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

struct LinePoint {
  std::string label;                  // the x axis label (a month)
  std::optional<std::int64_t> value;  // none: a gap
};

// A laid-out chart. Colours are roles, so each renderer picks its own values.
enum class Colour { kBar, kAlert, kTrack, kText };
struct Shape {
  enum class Kind { kRect, kText, kLine, kPath, kDot };
  Kind kind = Kind::kRect;
  // kRect: x, y, w, h. kText: (x, y) the baseline point of the anchor. kLine: (x, y) to
  // (x + w, y + h). kDot: centre (x, y), radius w. kPath: `points`, one polyline per segment.
  double x = 0, y = 0, w = 0, h = 0;
  std::vector<std::vector<std::pair<double, double>>> points;
  // kText: the text, and which of its ends is at x in right-to-left text: "start" (the right
  // end), "middle" or "end" (the left end). kDot: its tooltip.
  std::string text;
  const char* anchor = "start";
  Colour colour = Colour::kText;
};
struct Scene {
  std::string title;
  int width = 0;
  int height = 0;
  int font_size = 12;
  std::vector<Shape> shapes;  // drawn in order
};

// Bars growing from the right edge leftwards, one row each, labels on the right.
Scene BarScene(const std::vector<Bar>& bars, const ChartOptions& o);
// A funnel: centred bars narrowing with the values, each with its share of the first.
Scene FunnelScene(const std::vector<Bar>& stages, const ChartOptions& o);
// A line over equally spaced points, first point on the right; values 0..max_value.
Scene LineScene(const std::vector<LinePoint>& points, std::int64_t max_value,
                const std::string& unit, const ChartOptions& o);

std::string ToSvg(const Scene& scene);
inline std::string BarChart(const std::vector<Bar>& bars, const ChartOptions& o) {
  return ToSvg(BarScene(bars, o));
}
inline std::string FunnelChart(const std::vector<Bar>& stages, const ChartOptions& o) {
  return ToSvg(FunnelScene(stages, o));
}
inline std::string LineChart(const std::vector<LinePoint>& points, std::int64_t max_value,
                             const std::string& unit, const ChartOptions& o) {
  return ToSvg(LineScene(points, max_value, unit, o));
}

}  // namespace peyvand::web
