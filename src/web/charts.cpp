#include "web/charts.hpp"

#include <algorithm>

#include "persian/digits.hpp"
#include "web/mustache.hpp"

namespace peyvand::web {
namespace {

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

const char* Hex(Colour c) {
  switch (c) {
    case Colour::kBar: return "#1f6f8b";
    case Colour::kAlert: return "#b02a37";
    case Colour::kTrack: return "#e9ecef";
    case Colour::kText: break;
  }
  return "#212529";
}

Shape Text(double x, double y, std::string text, const char* anchor) {
  Shape s;
  s.kind = Shape::Kind::kText;
  s.x = x;
  s.y = y;
  s.text = std::move(text);
  s.anchor = anchor;
  return s;
}

Shape Rect(double x, double y, double w, double h, Colour c) {
  Shape s;
  s.x = x;
  s.y = y;
  s.w = std::max(0.0, w);
  s.h = h;
  s.colour = c;
  return s;
}

std::string ValueText(const Bar& b) {
  return b.value_text.empty() ? persian::FormatNumber(b.value) : b.value_text;
}

Scene Open(const ChartOptions& o, int height) {
  Scene s;
  s.title = o.title;
  s.width = o.width;
  s.height = height;
  return s;
}

// A chart without data: its box and a sentence that says so.
Scene Empty(Scene s, double y) {
  s.shapes.push_back(Text(s.width / 2.0, y, "داده‌ای نیست", "middle"));
  return s;
}

}  // namespace

Scene BarScene(const std::vector<Bar>& bars, const ChartOptions& o) {
  int height = std::max<int>(1, static_cast<int>(bars.size())) * o.row_height + 8;
  Scene scene = Open(o, height);
  if (bars.empty()) return Empty(std::move(scene), height / 2.0 + 4);
  std::int64_t most = 1;
  for (const auto& b : bars) most = std::max({most, b.value, b.of.value_or(0)});
  double right = o.width - kLabelWidth;  // bars start here and grow leftwards
  double span = right - kValueWidth;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    double y = 4 + static_cast<double>(i) * o.row_height;
    double h = o.row_height - 8;
    scene.shapes.push_back(Text(o.width - 4, y + h - 4, b.label, "start"));
    if (b.of) {
      double w = span * static_cast<double>(*b.of) / static_cast<double>(most);
      scene.shapes.push_back(Rect(right - w, y, w, h, Colour::kTrack));
    }
    double w =
        span * static_cast<double>(std::max<std::int64_t>(0, b.value)) / static_cast<double>(most);
    scene.shapes.push_back(Rect(right - w, y, w, h, b.alert ? Colour::kAlert : Colour::kBar));
    // In right-to-left text, "start" is the right edge: the value ends just left of the bar.
    scene.shapes.push_back(Text(right - w - 4, y + h - 4, ValueText(b), "start"));
  }
  return scene;
}

Scene FunnelScene(const std::vector<Bar>& stages, const ChartOptions& o) {
  int height = std::max<int>(1, static_cast<int>(stages.size())) * o.row_height + 8;
  Scene scene = Open(o, height);
  if (stages.empty() || stages.front().value <= 0) {
    return Empty(std::move(scene), height / 2.0 + 4);
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
    scene.shapes.push_back(Text(o.width - 4, y + h - 4, b.label, "start"));
    scene.shapes.push_back(Rect(centre - w / 2, y, w, h, b.alert ? Colour::kAlert : Colour::kBar));
    std::int64_t share =
        static_cast<std::int64_t>(100.0 * static_cast<double>(b.value) / first + 0.5);
    scene.shapes.push_back(Text(
        4, y + h - 4, ValueText(b) + " (" + persian::ToPersianDigits(std::to_string(share)) + "٪)",
        "end"));  // right to left: "end" is the left edge
  }
  return scene;
}

Scene LineScene(const std::vector<LinePoint>& points, std::int64_t max_value,
                const std::string& unit, const ChartOptions& o) {
  int height = 180;
  Scene scene = Open(o, height);
  if (points.empty() || max_value <= 0) return Empty(std::move(scene), height / 2.0);
  double top = 14, bottom = height - 30, left = 40, right = o.width - 16;
  // Grid lines at 0, 50% and 100% of the scale.
  for (int g = 0; g <= 2; ++g) {
    double y = bottom - (bottom - top) * g / 2.0;
    Shape line;
    line.kind = Shape::Kind::kLine;
    line.x = left;
    line.y = y;
    line.w = right - left;
    line.colour = Colour::kTrack;
    scene.shapes.push_back(line);
    scene.shapes.push_back(Text(left - 4, y + 4,
                                persian::ToPersianDigits(std::to_string(max_value * g / 2)) + unit,
                                "start"));
  }
  auto x_of = [&](std::size_t i) {
    if (points.size() == 1) return (left + right) / 2;
    // Right to left: the first (oldest) point on the right.
    return right - (right - left) * static_cast<double>(i) / static_cast<double>(points.size() - 1);
  };
  Shape path;
  path.kind = Shape::Kind::kPath;
  path.colour = Colour::kBar;
  path.points.emplace_back();
  std::vector<Shape> dots;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    double x = x_of(i);
    scene.shapes.push_back(Text(x, height - 10, p.label, "middle"));
    if (!p.value) {
      // A gap: the next point starts a new segment.
      if (!path.points.back().empty()) path.points.emplace_back();
      continue;
    }
    double y = bottom - (bottom - top) *
                            static_cast<double>(std::clamp<std::int64_t>(*p.value, 0, max_value)) /
                            static_cast<double>(max_value);
    path.points.back().emplace_back(x, y);
    Shape dot;
    dot.kind = Shape::Kind::kDot;
    dot.x = x;
    dot.y = y;
    dot.w = 3;
    dot.colour = Colour::kBar;
    dot.text = p.label + ": " + persian::ToPersianDigits(std::to_string(*p.value)) + unit;
    dots.push_back(std::move(dot));
  }
  if (path.points.back().empty()) path.points.pop_back();
  scene.shapes.push_back(std::move(path));
  for (auto& d : dots) scene.shapes.push_back(std::move(d));
  return scene;
}

std::string ToSvg(const Scene& scene) {
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(scene.width) + " " + std::to_string(scene.height) +
                    "\" class=\"chart\" role=\"img\" aria-label=\"" + Esc(scene.title) +
                    "\" direction=\"rtl\" font-family=\"Vazirmatn, sans-serif\" font-size=\"" +
                    std::to_string(scene.font_size) + "\"><title>" + Esc(scene.title) + "</title>";
  for (const auto& s : scene.shapes) {
    switch (s.kind) {
      case Shape::Kind::kRect:
        svg += "<rect x=\"" + N(s.x) + "\" y=\"" + N(s.y) + "\" width=\"" + N(s.w) +
               "\" height=\"" + N(s.h) + "\" fill=\"" + Hex(s.colour) + "\"/>";
        break;
      case Shape::Kind::kText:
        svg += "<text x=\"" + N(s.x) + "\" y=\"" + N(s.y) + "\" text-anchor=\"" + s.anchor +
               "\" fill=\"" + Hex(s.colour) + "\">" + Esc(s.text) + "</text>";
        break;
      case Shape::Kind::kLine:
        svg += "<line x1=\"" + N(s.x) + "\" x2=\"" + N(s.x + s.w) + "\" y1=\"" + N(s.y) +
               "\" y2=\"" + N(s.y + s.h) + "\" stroke=\"" + Hex(s.colour) + "\"/>";
        break;
      case Shape::Kind::kPath: {
        std::string d;
        for (const auto& segment : s.points) {
          for (std::size_t i = 0; i < segment.size(); ++i) {
            d += (i == 0 ? (d.empty() ? "M" : " M") : "L") + N(segment[i].first) + " " +
                 N(segment[i].second);
          }
        }
        svg += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + Hex(s.colour) +
               "\" stroke-width=\"2\"/>";
        break;
      }
      case Shape::Kind::kDot:
        svg += "<circle cx=\"" + N(s.x) + "\" cy=\"" + N(s.y) + "\" r=\"" + N(s.w) + "\" fill=\"" +
               Hex(s.colour) + "\"><title>" + Esc(s.text) + "</title></circle>";
        break;
    }
  }
  return svg + "</svg>";
}

}  // namespace peyvand::web
