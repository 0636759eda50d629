#include "report/canvas.hpp"

#include "persian/digits.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

namespace peyvand::report::detail {
namespace {

double Units(int pango) {
  return static_cast<double>(pango) / PANGO_SCALE;
}

bool Drawn(PangoGlyph g) {
  return g != PANGO_GLYPH_EMPTY && (g & PANGO_GLYPH_UNKNOWN_FLAG) == 0;
}

// A cluster's characters in reverse order.
std::string Reversed(const char* s, int bytes) {
  std::vector<std::string_view> chars;
  for (const char* p = s; p < s + bytes;) {
    const char* next = g_utf8_next_char(p);
    chars.emplace_back(p, static_cast<std::size_t>(next - p));
    p = next;
  }
  std::string out;
  for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
  return out;
}

// One run of glyphs, drawn with its text. Pango holds the glyphs in visual order (left to
// right) and maps each to the bytes of its cluster; cairo is given the clusters in that same
// order, each with its own text, so the PDF's text runs left to right like its glyphs and every
// glyph maps to the letters it shows. (pango_cairo_show_layout hands cairo the clusters of a
// right-to-left run backwards; cairo then writes the glyphs in logical order with jumps back,
// and pdftotext breaks such words into letters.) Readers of PDF text (poppler's pdftotext,
// viewers' search) take a glyph standing for several characters — lam-alef, heh with hamza —
// as laid out left to right, so in a right-to-left run such a glyph is given its characters
// reversed; otherwise «سلام» would read back as «سالم».
void ShowRun(cairo_t* cr, const char* text, PangoGlyphItem* run, double x, double baseline) {
  PangoItem* item = run->item;
  bool rtl = item->analysis.level % 2 == 1;
  PangoGlyphString* gs = run->glyphs;
  const char* itext = text + item->offset;
  std::vector<cairo_glyph_t> glyphs;
  std::vector<cairo_text_cluster_t> clusters;
  std::string utf8;
  glyphs.reserve(static_cast<std::size_t>(gs->num_glyphs));
  int i = 0;
  while (i < gs->num_glyphs) {
    int start = gs->log_clusters[i];
    int j = i, drawn = 0;
    for (; j < gs->num_glyphs && gs->log_clusters[j] == start; ++j) {
      const PangoGlyphInfo& g = gs->glyphs[j];
      if (Drawn(g.glyph)) {
        glyphs.push_back(
            {g.glyph, x + Units(g.geometry.x_offset), baseline + Units(g.geometry.y_offset)});
        ++drawn;
      }
      x += Units(g.geometry.width);
    }
    // The cluster's text ends where the next cluster (in logical order) begins.
    int end = item->length;
    for (int k = 0; k < gs->num_glyphs; ++k) {
      if (gs->log_clusters[k] > start && gs->log_clusters[k] < end) end = gs->log_clusters[k];
    }
    if (drawn > 0 || end > start) {
      if (rtl && drawn == 1 && g_utf8_strlen(itext + start, end - start) > 1) {
        utf8 += Reversed(itext + start, end - start);
      } else {
        utf8.append(itext + start, static_cast<std::size_t>(end - start));
      }
      clusters.push_back({end - start, drawn});
    }
    i = j;
  }
  if (glyphs.empty()) return;
  cairo_scaled_font_t* font =
      pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(item->analysis.font));
  if (!font) return;
  cairo_set_scaled_font(cr, font);
  cairo_show_text_glyphs(cr, utf8.data(), static_cast<int>(utf8.size()), glyphs.data(),
                         static_cast<int>(glyphs.size()), clusters.data(),
                         static_cast<int>(clusters.size()), cairo_text_cluster_flags_t{});
}

}  // namespace

Rgb ColourOf(web::Colour c) {
  switch (c) {
    case web::Colour::kBar: return {0.12, 0.44, 0.55};
    case web::Colour::kAlert: return {0.69, 0.16, 0.22};
    case web::Colour::kTrack: return {0.91, 0.93, 0.94};
    case web::Colour::kText: break;
  }
  return kInk;
}

Canvas::Canvas(cairo_t* cr, const Fonts& fonts) : cr_(cr) {
  context_ = pango_font_map_create_context(fonts.font_map());
  // Outlines and advances exactly as designed, whatever the output's resolution.
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(context_, options);
  cairo_font_options_destroy(options);
  pango_context_set_round_glyph_positions(context_, FALSE);
  pango_context_set_base_dir(context_, PANGO_DIRECTION_RTL);
  pango_context_set_language(context_, pango_language_from_string("fa"));
  pango_cairo_update_context(cr_, context_);
}

Canvas::~Canvas() {
  g_object_unref(context_);
}

PangoLayout* Canvas::Layout(const std::string& text, const TextStyle& s, double width) {
  PangoLayout* layout = pango_layout_new(context_);
  PangoFontDescription* desc = pango_font_description_new();
  pango_font_description_set_family(desc, kFontFamily);
  pango_font_description_set_weight(desc, s.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(desc, s.size * PANGO_SCALE);
  pango_layout_set_font_description(layout, desc);
  pango_font_description_free(desc);
  // Every paragraph right to left (the context's direction), even one that starts with a
  // number or a Latin word; so "start" is the right edge throughout.
  pango_layout_set_auto_dir(layout, FALSE);
  if (width > 0) {
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(layout, s.align == Align::kStart    ? PANGO_ALIGN_RIGHT
                                     : s.align == Align::kCentre ? PANGO_ALIGN_CENTER
                                                                 : PANGO_ALIGN_LEFT);
  // Persian digits wherever a person reads a number, names and codes as stored included.
  std::string shown = persian::ToPersianDigits(text);
  pango_layout_set_text(layout, shown.data(), static_cast<int>(shown.size()));
  return layout;
}

void Canvas::Show(PangoLayout* layout, double x, double y) {
  const char* text = pango_layout_get_text(layout);
  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it);
    if (!run) continue;
    PangoRectangle logical;
    pango_layout_iter_get_run_extents(it, nullptr, &logical);
    ShowRun(cr_, text, run, x + Units(logical.x), y + Units(pango_layout_iter_get_baseline(it)));
  } while (pango_layout_iter_next_run(it));
  pango_layout_iter_free(it);
}

double Canvas::Height(const std::string& text, const TextStyle& s, double width) {
  PangoLayout* layout = Layout(text, s, width);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  g_object_unref(layout);
  return Units(h);
}

double Canvas::Width(const std::string& text, const TextStyle& s) {
  PangoLayout* layout = Layout(text, s, 0);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  g_object_unref(layout);
  return Units(w);
}

double Canvas::Draw(const std::string& text, const TextStyle& s, double x, double y, double width) {
  PangoLayout* layout = Layout(text, s, width);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  cairo_set_source_rgb(cr_, s.colour.r, s.colour.g, s.colour.b);
  Show(layout, x, y);
  g_object_unref(layout);
  return Units(h);
}

void Canvas::DrawAt(const std::string& text, const TextStyle& s, double x, double y,
                    const char* anchor) {
  PangoLayout* layout = Layout(text, s, 0);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  double width = Units(w);
  double left = std::strcmp(anchor, "start") == 0    ? x - width
                : std::strcmp(anchor, "middle") == 0 ? x - width / 2
                                                     : x;
  cairo_set_source_rgb(cr_, s.colour.r, s.colour.g, s.colour.b);
  Show(layout, left, y - Units(pango_layout_get_baseline(layout)));
  g_object_unref(layout);
}

void Canvas::Fill(double x, double y, double w, double h, Rgb c) {
  cairo_set_source_rgb(cr_, c.r, c.g, c.b);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void Canvas::Rule(double x1, double y1, double x2, double y2, Rgb c, double width) {
  cairo_set_source_rgb(cr_, c.r, c.g, c.b);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x1, y1);
  cairo_line_to(cr_, x2, y2);
  cairo_stroke(cr_);
}

double DrawScene(Canvas& canvas, const web::Scene& scene, double x, double y, double width) {
  if (scene.width <= 0) return 0;
  double k = width / scene.width;
  auto X = [&](double v) { return x + v * k; };
  auto Y = [&](double v) { return y + v * k; };
  cairo_t* cr = canvas.cr();
  TextStyle text;
  text.size = scene.font_size * k;
  for (const auto& s : scene.shapes) {
    Rgb c = ColourOf(s.colour);
    switch (s.kind) {
      case web::Shape::Kind::kRect: canvas.Fill(X(s.x), Y(s.y), s.w * k, s.h * k, c); break;
      case web::Shape::Kind::kText:
        text.colour = c;
        canvas.DrawAt(s.text, text, X(s.x), Y(s.y), s.anchor);
        break;
      case web::Shape::Kind::kLine:
        canvas.Rule(X(s.x), Y(s.y), X(s.x + s.w), Y(s.y + s.h), c, 1 * k);
        break;
      case web::Shape::Kind::kPath:
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_set_line_width(cr, 2 * k);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        for (const auto& segment : s.points) {
          for (std::size_t i = 0; i < segment.size(); ++i) {
            if (i == 0) {
              cairo_move_to(cr, X(segment[i].first), Y(segment[i].second));
            } else {
              cairo_line_to(cr, X(segment[i].first), Y(segment[i].second));
            }
          }
        }
        cairo_stroke(cr);
        break;
      case web::Shape::Kind::kDot:
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_new_sub_path(cr);
        cairo_arc(cr, X(s.x), Y(s.y), s.w * k, 0, 2 * G_PI);
        cairo_fill(cr);
        break;
    }
  }
  return SceneHeight(scene, width);
}

}  // namespace peyvand::report::detail
