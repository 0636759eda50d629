#include "web/charts.hpp"

#include <algorithm>

#include "persian/digits.hpp"
#include "web/mustache.hpp"

namespace peyvand::web {
namespace {

constexpr const char* kBarColour = "#1f6f8b";
constexpr const char* kAlertColour = "#b02a37";
constexpr const char* kTrackColour = "#e9ecef";
constexpr const char* kTextColour = "#212529";
constexpr int kLabelWidth = 170;  // the right-hand column for labels
constexpr int kValueWidth = 70;   // room at the bar's end for its value

std::string Esc(const std::string& s) {
  std::string out;
  AppendEscaped(out, s);
  return out;
}

std::string N(double v) {
  // Coordinates with one decimal, ASCII (SVG syntax).
  long tenths = static_cast<long>(v * 10 + (v >= 0 ? 0.5 : -0.5));
  std::string s = std::to_string(tenths / 10);
  long frac = std::labs(tenths % 10);
  if (tenths < 0 && tenths / 10 == 0) s = "-0";
  if (frac) s += "." + std::to_string(frac);
  return s;
}

std::string Open(const ChartOptions& o, int height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(o.width) +
         " " + std::to_string(height) + "\" class=\"chart\" role=\"img\" aria-label=\"" +
         Esc(o.title) + "\" direction=\"rtl\" font-family=\"Vazirmatn, sans-serif\" " +
         "font-size=\"12\"><title>" + Esc(o.title) + "</title>";
}

std::string Text(double x, double y, const std::string& text, const char* anchor,
                 const char* fill = kTextColour) {
  return "<text x=\"" + N(x) + "\" y=\"" + N(y) + "\" text-anchor=\"" + anchor + "\" fill=\"" +
         fill + "\">" + Esc(text) + "</text>";
}

std::string Rect(double x, double y, double w, double h, const char* fill) {
  return "<rect x=\"" + N(x) + "\" y=\"" + N(y) + "\" width=\"" + N(std::max(0.0, w)) +
         "\" height=\"" + N(h) + "\" fill=\"" + fill + "\"/>";
}

std::string ValueText(const Bar& b) {
  return b.value_text.empty() ? persian::FormatNumber(b.value) : b.value_text;
}

}  // namespace

std::string BarChart(const std::vector<Bar>& bars, const ChartOptions& o) {
  int height = std::max<int>(1, static_cast<int>(bars.size())) * o.row_height + 8;
  std::string svg = Open(o, height);
  if (bars.empty()) {
    return svg + Text(o.width / 2.0, height / 2.0 + 4, "داده‌ای نیست", "middle") +
           "</svg>";
  }
  std::int64_t most = 1;
  for (const auto& b : bars) most = std::max({most, b.value, b.of.value_or(0)});
  double right = o.width - kLabelWidth;  // bars start here and grow leftwards
  double span = right - kValueWidth;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    double y = 4 + static_cast<double>(i) * o.row_height;
    double h = o.row_height - 8;
    svg += Text(o.width - 4, y + h - 4, b.label, "start");
    if (b.of) {
      double w = span * static_cast<double>(*b.of) / static_cast<double>(most);
      svg += Rect(right - w, y, w, h, kTrackColour);
    }
    double w =
        span * static_cast<double>(std::max<std::int64_t>(0, b.value)) / static_cast<double>(most);
    svg += Rect(right - w, y, w, h, b.alert ? kAlertColour : kBarColour);
    // In right-to-left text, "start" is the right edge: the value ends just left of the bar.
    svg += Text(right - w - 4, y + h - 4, ValueText(b), "start");
  }
  return svg + "</svg>";
}

std::string FunnelChart(const std::vector<Bar>& stages, const ChartOptions& o) {
  int height = std::max<int>(1, static_cast<int>(stages.size())) * o.row_height + 8;
  std::string svg = Open(o, height);
  if (stages.empty() || stages.front().value <= 0) {
    return svg + Text(o.width / 2.0, height / 2.0 + 4, "داده‌ای نیست", "middle") +
           "</svg>";
  }
  double first = static_cast<double>(stages.front().value);
  double span = o.width - kLabelWidth - kValueWidth;
  double centre = kValueWidth + span / 2;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const Bar& b = stages[i];
    double y = 4 + static_cast<double>(i) * o.row_height;
    double h = o.row_height - 8;
    double w =
        std::max(2.0, span * static_cast<double>(std::max<std::int64_t>(0, b.value)) / first);
    svg += Text(o.width - 4, y + h - 4, b.label, "start");
    svg += Rect(centre - w / 2, y, w, h, b.alert ? kAlertColour : kBarColour);
    std::int64_t share =
        static_cast<std::int64_t>(100.0 * static_cast<double>(b.value) / first + 0.5);
    svg += Text(4, y + h - 4,
                ValueText(b) + " (" + persian::ToPersianDigits(std::to_string(share)) + "٪)",
                "end");  // right to left: "end" is the left edge
  }
  return svg + "</svg>";
}

std::string LineChart(const std::vector<LinePoint>& points, std::int64_t max_value,
                      const std::string& unit, const ChartOptions& o) {
  int height = 180;
  std::string svg = Open(o, height);
  if (points.empty() || max_value <= 0) {
    return svg + Text(o.width / 2.0, height / 2.0, "داده‌ای نیست", "middle") + "</svg>";
  }
  double top = 14, bottom = height - 30, left = 40, right = o.width - 16;
  // Grid lines at 0, 50% and 100% of the scale.
  for (int g = 0; g <= 2; ++g) {
    double y = bottom - (bottom - top) * g / 2.0;
    svg += "<line x1=\"" + N(left) + "\" x2=\"" + N(right) + "\" y1=\"" + N(y) + "\" y2=\"" + N(y) +
           "\" stroke=\"" + kTrackColour + "\"/>";
    svg += Text(left - 4, y + 4, persian::ToPersianDigits(std::to_string(max_value * g / 2)) + unit,
                "start");
  }
  auto x_of = [&](std::size_t i) {
    if (points.size() == 1) return (left + right) / 2;
    // Right to left: the first (oldest) point on the right.
    return right - (right - left) * static_cast<double>(i) / static_cast<double>(points.size() - 1);
  };
  std::string path, dots;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    double x = x_of(i);
    svg += Text(x, height - 10, p.label, "middle");
    if (!p.value) {
      path += " ";  // a gap: the next point starts a new segment
      continue;
    }
    double y = bottom - (bottom - top) *
                            static_cast<double>(std::clamp<std::int64_t>(*p.value, 0, max_value)) /
                            static_cast<double>(max_value);
    bool start = path.empty() || path.back() == ' ';
    path += (start ? "M" : "L") + N(x) + " " + N(y);
    dots += "<circle cx=\"" + N(x) + "\" cy=\"" + N(y) + "\" r=\"3\" fill=\"" + kBarColour +
            "\"><title>" +
            Esc(p.label + ": " + persian::ToPersianDigits(std::to_string(*p.value)) + unit) +
            "</title></circle>";
  }
  svg +=
      "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + kBarColour + "\" stroke-width=\"2\"/>";
  return svg + dots + "</svg>";
}

}  // namespace peyvand::web
