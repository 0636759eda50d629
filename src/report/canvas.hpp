// Inside the report layer only (document.cpp, scene.cpp): text and shapes on a cairo context,
// with pango laying out the text. Not for other layers: it needs cairo's and pango's headers.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <string>

#include "report/document.hpp"
#include "report/fonts.hpp"
#include "web/charts.hpp"

namespace peyvand::report::detail {

struct Rgb {
  double r = 0, g = 0, b = 0;
};
inline constexpr Rgb kInk{0.13, 0.15, 0.16};
inline constexpr Rgb kMuted{0.42, 0.46, 0.49};
inline constexpr Rgb kRule{0.80, 0.82, 0.84};
inline constexpr Rgb kShade{0.93, 0.94, 0.95};
Rgb ColourOf(web::Colour c);

struct TextStyle {
  double size = 10;
  bool bold = false;
  Align align = Align::kStart;
  Rgb colour = kInk;
};

// Owns a pango context on the cairo context; every paragraph is right to left.
class Canvas {
 public:
  Canvas(cairo_t* cr, const Fonts& fonts);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() const { return cr_; }
  // The height of `text` wrapped at `width` (≤ 0: one unwrapped line per paragraph).
  double Height(const std::string& text, const TextStyle& s, double width);
  double Width(const std::string& text, const TextStyle& s);
  // Draws `text` in the box whose top-left corner is (x, y), `width` wide; returns its height.
  double Draw(const std::string& text, const TextStyle& s, double x, double y, double width);
  // Draws one line with its baseline at y and its `anchor` end ("start": the right end,
  // "middle", "end": the left end) at x.
  void DrawAt(const std::string& text, const TextStyle& s, double x, double y, const char* anchor);
  void Fill(double x, double y, double w, double h, Rgb c);
  void Rule(double x1, double y1, double x2, double y2, Rgb c, double width = 0.5);

 private:
  PangoLayout* Layout(const std::string& text, const TextStyle& s, double width);
  void Show(PangoLayout* layout, double x, double y);

  cairo_t* cr_;
  PangoContext* context_;
};

// Draws a chart scene in the box at (x, y), `width` wide, keeping its proportions; returns the
// height used.
double DrawScene(Canvas& canvas, const web::Scene& scene, double x, double y, double width);
inline double SceneHeight(const web::Scene& scene, double width) {
  return scene.width > 0 ? scene.height * width / scene.width : 0;
}

}  // namespace peyvand::report::detail
