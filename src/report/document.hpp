// PDF documents for people to read and print: A4 pages, right to left, Persian text shaped by
// pango with the Vazirmatn fonts (fonts.hpp), drawn by cairo. The document flows: each block
// goes below the previous one, and onto a new page when it does not fit. It knows nothing of
// what it prints; the modules compose their reports from these blocks.
//
// Text extraction: cairo is given the glyphs in visual order with their text (clusters), so
// `pdftotext` and PDF viewers' search read Persian in its logical order and with its letters,
// not presentation forms (document_test.cpp checks a sentence).
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "report/fonts.hpp"
#include "web/charts.hpp"
#include "web/export.hpp"

namespace peyvand::report {

// Right to left: start is the right edge.
enum class Align { kStart, kCentre, kEnd };

struct TextBlock {
  std::string text{};  // wrapped at the block's width; "\n" breaks a line
  double size = 10;    // points
  bool bold = false;
  Align align = Align::kStart;
  bool muted = false;  // grey, for notes
};

// A table of cells as the exports have them: numbers are shown with Persian digits and
// thousands separators. Every text the document draws is shown with Persian digits.
struct TableBlock {
  web::Table table{};            // table.name, if any, is a caption above it
  std::vector<double> widths{};  // relative column widths, first column on the right; empty: equal
  bool total_row = false;        // the last row is a total (bold, ruled above)
  double size = 8;               // points
};

// A chart as laid out for the pages (web::Scene), scaled to the block's width.
struct ChartBlock {
  web::Scene scene{};
};

struct SpaceBlock {
  double height = 8;  // points
};

using Block = std::variant<TextBlock, TableBlock, ChartBlock, SpaceBlock>;

struct PageSetup {
  double width = 595.28;  // A4 in points
  double height = 841.89;
  double margin = 40;
  std::string title{};   // the PDF's metadata title
  std::string footer{};  // at the foot of every page, beside its number
};

class Document {
 public:
  // `fonts` must outlive the document, and no other thread may draw with it meanwhile.
  Document(const Fonts& fonts, PageSetup setup);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // A section heading, kept on the same page as the block after it.
  void Heading(const std::string& text);
  // Full width below what is there. A table that does not fit continues on the next page with
  // its header again; anything else moves whole to the next page.
  void Add(Block block);
  // Side by side, the first on the right; `weights` share the width (equal when empty). Moves
  // whole to the next page when it does not fit in what is left of this one.
  void Row(std::vector<Block> blocks, std::vector<double> weights = {});
  void NewPage();
  int pages() const;
  // Ends the document and returns the PDF. Throws std::runtime_error if cairo failed.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace peyvand::report
