#include "report/document.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "persian/digits.hpp"
#include "report/canvas.hpp"

namespace peyvand::report {

using detail::Canvas;
using detail::TextStyle;

namespace {

constexpr double kGap = 14;         // between blocks side by side
constexpr double kAfterBlock = 10;  // below every block
constexpr double kCellPad = 3;      // around a table cell's text
constexpr double kCaption = 9.5;    // a table's caption, points
constexpr double kHeading = 13;     // a section heading, points
constexpr double kFooter = 7.5;     // the page foot, points

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string CellText(const web::Cell& c) {
  return c.number ? persian::FormatNumber(*c.number) : c.text;
}

std::vector<double> Shares(std::vector<double> weights, std::size_t n, double width, double gap) {
  if (weights.size() != n) weights.assign(n, 1.0);
  double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double usable = width - gap * static_cast<double>(n > 0 ? n - 1 : 0);
  for (auto& w : weights) w = total > 0 ? usable * w / total : 0;
  return weights;
}

}  // namespace

struct Document::Impl {
  explicit Impl(const Fonts& fonts, PageSetup s) : setup(std::move(s)) {
    surface = cairo_pdf_surface_create_for_stream(Append, &pdf, setup.width, setup.height);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, setup.title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Peyvand");
    cr = cairo_create(surface);
    canvas.emplace(cr, fonts);
    y = setup.margin;
  }
  ~Impl() {
    canvas.reset();
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }

  double Left() const { return setup.margin; }
  double Width() const { return setup.width - 2 * setup.margin; }
  double Bottom() const { return setup.height - setup.margin - 2 * kFooter; }
  double Room() const { return Bottom() - y; }

  void Foot() {
    TextStyle s;
    s.size = kFooter;
    s.colour = detail::kMuted;
    double at = setup.height - setup.margin + kFooter;
    canvas->Rule(Left(), at - 4, Left() + Width(), at - 4, detail::kRule);
    std::string page = "صفحهٔ " + persian::ToPersianDigits(std::to_string(page_number));
    canvas->Draw(setup.footer, s, Left(), at, Width());
    s.align = Align::kEnd;
    canvas->Draw(page, s, Left(), at, Width());
  }
  void Break() {
    Foot();
    cairo_show_page(cr);
    ++page_number;
    y = setup.margin;
  }

  // ---- tables -------------------------------------------------------------------------
  struct TableLayout {
    std::vector<double> columns;  // widths, first column on the right
    double caption = 0;
    double header = 0;
    std::vector<double> rows;
  };
  // Every cell starts at its right edge, numbers too: their units line up.
  static TextStyle CellStyle(const TableBlock& t, bool bold) {
    TextStyle s;
    s.size = t.size;
    s.bold = bold;
    return s;
  }
  TableLayout Measure(const TableBlock& t, double width) {
    TableLayout l;
    std::size_t n = t.table.headers.size();
    for (const auto& r : t.table.rows) n = std::max(n, r.size());
    l.columns = Shares(t.widths, n, width, 0);
    if (!t.table.name.empty()) {
      TextStyle c;
      c.size = kCaption;
      c.bold = true;
      l.caption = canvas->Height(t.table.name, c, width) + 2;
    }
    auto row_height = [&](auto&& text_of, std::size_t cells, bool bold) {
      double h = 0;
      for (std::size_t i = 0; i < cells && i < n; ++i) {
        h = std::max(h,
                     canvas->Height(text_of(i), CellStyle(t, bold), l.columns[i] - 2 * kCellPad));
      }
      return h + 2 * kCellPad;
    };
    l.header =
        row_height([&](std::size_t i) { return t.table.headers[i]; }, t.table.headers.size(), true);
    for (std::size_t r = 0; r < t.table.rows.size(); ++r) {
      const auto& row = t.table.rows[r];
      bool bold = t.total_row && r + 1 == t.table.rows.size();
      l.rows.push_back(
          row_height([&](std::size_t i) { return CellText(row[i]); }, row.size(), bold));
    }
    return l;
  }
  double TableHeight(const TableLayout& l) const {
    return l.caption + l.header + std::accumulate(l.rows.begin(), l.rows.end(), 0.0);
  }
  template <class TextOf>
  void DrawRow(const TableBlock& t, const TableLayout& l, double x, double top, std::size_t cells,
               bool bold, TextOf&& text_of) {
    double right = x + std::accumulate(l.columns.begin(), l.columns.end(), 0.0);
    for (std::size_t i = 0; i < cells && i < l.columns.size(); ++i) {
      right -= l.columns[i];
      canvas->Draw(text_of(i), CellStyle(t, bold), right + kCellPad, top + kCellPad,
                   l.columns[i] - 2 * kCellPad);
    }
  }
  void DrawHeader(const TableBlock& t, const TableLayout& l, double x, double width) {
    canvas->Fill(x, y, width, l.header, detail::kShade);
    DrawRow(t, l, x, y, t.table.headers.size(), true,
            [&](std::size_t i) { return t.table.headers[i]; });
    y += l.header;
    canvas->Rule(x, y, x + width, y, detail::kRule);
  }
  // Draws at the cursor; with `split`, rows that do not fit go on to the next page under the
  // header again.
  void DrawTable(const TableBlock& t, const TableLayout& l, double x, double width, bool split) {
    if (l.caption > 0) {
      TextStyle c;
      c.size = kCaption;
      c.bold = true;
      canvas->Draw(t.table.name, c, x, y, width);
      y += l.caption;
    }
    DrawHeader(t, l, x, width);
    for (std::size_t r = 0; r < t.table.rows.size(); ++r) {
      if (split && l.rows[r] > Room()) {
        Break();
        DrawHeader(t, l, x, width);
      }
      bool total = t.total_row && r + 1 == t.table.rows.size();
      if (total) canvas->Rule(x, y, x + width, y, detail::kInk, 0.8);
      if (r % 2 == 1 && !total) canvas->Fill(x, y, width, l.rows[r], {0.975, 0.978, 0.98});
      const auto& row = t.table.rows[r];
      DrawRow(t, l, x, y, row.size(), total, [&](std::size_t i) { return CellText(row[i]); });
      y += l.rows[r];
    }
    canvas->Rule(x, y, x + width, y, detail::kRule);
  }

  // ---- any block ----------------------------------------------------------------------
  static TextStyle Style(const TextBlock& t) {
    TextStyle s;
    s.size = t.size;
    s.bold = t.bold;
    s.align = t.align;
    s.colour = t.muted ? detail::kMuted : detail::kInk;
    return s;
  }
  double Height(const Block& b, double width) {
    return std::visit(
        [&](const auto& v) -> double {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, TextBlock>) {
            return canvas->Height(v.text, Style(v), width);
          } else if constexpr (std::is_same_v<T, TableBlock>) {
            return TableHeight(Measure(v, width));
          } else if constexpr (std::is_same_v<T, ChartBlock>) {
            return detail::SceneHeight(v.scene, width);
          } else {
            return v.height;
          }
        },
        b);
  }
  // Draws with its top at the cursor and moves the cursor below it.
  void Draw(const Block& b, double x, double width, bool split) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, TextBlock>) {
            y += canvas->Draw(v.text, Style(v), x, y, width);
          } else if constexpr (std::is_same_v<T, TableBlock>) {
            DrawTable(v, Measure(v, width), x, width, split);
          } else if constexpr (std::is_same_v<T, ChartBlock>) {
            y += detail::DrawScene(*canvas, v.scene, x, y, width);
          } else {
            y += v.height;
          }
        },
        b);
  }
  // What must fit on this page for a block to start here: a table needs its caption, header
  // and first row; anything else all of itself.
  double Needed(const Block& b, double width) {
    if (const auto* t = std::get_if<TableBlock>(&b)) {
      auto l = Measure(*t, width);
      return l.caption + l.header + (l.rows.empty() ? 0 : l.rows[0]);
    }
    return Height(b, width);
  }
  void Place(double needed) {
    double with_heading = needed + (heading ? heading_height : 0);
    if (with_heading > Room() && y > setup.margin) Break();
    if (heading) {
      TextStyle h;
      h.size = kHeading;
      h.bold = true;
      h.colour = {0.07, 0.30, 0.39};
      y += canvas->Draw(*heading, h, Left(), y, Width());
      canvas->Rule(Left(), y + 1, Left() + Width(), y + 1, detail::kRule, 0.8);
      y += 6;
      heading.reset();
    }
  }

  PageSetup setup;
  std::string pdf;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  std::optional<Canvas> canvas;
  double y = 0;
  int page_number = 1;
  std::optional<std::string> heading;
  double heading_height = 0;
  bool finished = false;
};

Document::Document(const Fonts& fonts, PageSetup setup)
    : impl_(std::make_unique<Impl>(fonts, std::move(setup))) {}

Document::~Document() = default;

void Document::Heading(const std::string& text) {
  TextStyle h;
  h.size = kHeading;
  h.bold = true;
  impl_->heading = text;
  impl_->heading_height = impl_->canvas->Height(text, h, impl_->Width()) + 7;
}

void Document::Add(Block block) {
  double width = impl_->Width();
  impl_->Place(impl_->Needed(block, width));
  impl_->Draw(block, impl_->Left(), width, true);
  impl_->y += kAfterBlock;
}

void Document::Row(std::vector<Block> blocks, std::vector<double> weights) {
  auto widths = Shares(std::move(weights), blocks.size(), impl_->Width(), kGap);
  double tallest = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    tallest = std::max(tallest, impl_->Height(blocks[i], widths[i]));
  }
  impl_->Place(tallest);
  double top = impl_->y;
  double right = impl_->Left() + impl_->Width();
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    right -= widths[i];
    impl_->y = top;
    impl_->Draw(blocks[i], right, widths[i], false);
    right -= kGap;
  }
  impl_->y = top + tallest + kAfterBlock;
}

void Document::NewPage() {
  if (impl_->y > impl_->setup.margin) impl_->Break();
}

int Document::pages() const {
  return impl_->page_number;
}

std::string Document::Finish() {
  if (!impl_->finished) {
    impl_->Foot();
    impl_->canvas.reset();
    cairo_destroy(impl_->cr);
    impl_->cr = nullptr;
    cairo_surface_finish(impl_->surface);
    cairo_status_t status = cairo_surface_status(impl_->surface);
    cairo_surface_destroy(impl_->surface);
    impl_->surface = nullptr;
    impl_->finished = true;
    if (status != CAIRO_STATUS_SUCCESS) {
      throw std::runtime_error(std::string("pdf: ") + cairo_status_to_string(status));
    }
  }
  return std::move(impl_->pdf);
}

}  // namespace peyvand::report
