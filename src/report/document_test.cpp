#include "report/document.hpp"
#include "report/pdf_text.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace peyvand::report {
namespace {

// The fonts as scripts/vendor-assets copies them into the source tree's web root.
std::string FontDir() {
  return std::string(PEYVAND_SOURCE_DIR) + "/web/static/" + kFontFolder;
}

// What pdffonts says of the PDF.
std::string PdfFonts(const std::string& pdf) {
  char path[] = "/tmp/peyvand-report-test-XXXXXX";
  int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary) << pdf;
  std::string out;
  if (FILE* p = ::popen((std::string("pdffonts ") + path + " 2>&1").c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  std::remove(path);
  return out;
}

TEST(PdfTextTest, SpacesBesideANumberGoBackToTheirLogicalSide) {
  struct Case {
    const char* pdftotext;  // as poppler prints it (U+202A LRE, U+202B RLE, U+202C PDF)
    const char* logical;    // as it was typed
  } cases[] = {
      {"\u202Bگزارش ماه مهر \u202A \u06F1\u06F4\u06F0\u06F5\u202Cبرای شورای\u202C",
       "گزارش ماه مهر \u06F1\u06F4\u06F0\u06F5 برای شورای"},
      {"\u202Bصفحهٔ \u202A\u06F1\u202C\u202C", "صفحهٔ \u06F1"},
      {"\u202Babc\u202A   \u202C\u202C", "abc   "},
      {"plain text", "plain text"},
      {"\u202A12 ", " 12"},  // an unclosed run ends with the text
  };
  for (const auto& c : cases) EXPECT_EQ(LogicalText(c.pdftotext), c.logical) << c.pdftotext;
}

class DocumentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fonts_ = Fonts::Load(FontDir()); }
  static void TearDownTestSuite() { fonts_.reset(); }
  static inline std::shared_ptr<Fonts> fonts_;
};

TEST_F(DocumentTest, MissingFontsFailWithTheFileNamed) {
  std::string missing;
  EXPECT_FALSE(Fonts::Present("/nonexistent/fonts", &missing));
  EXPECT_EQ(missing, "/nonexistent/fonts/Vazirmatn-Regular.ttf");
  try {
    Fonts::Load("/nonexistent/fonts");
    FAIL() << "loaded fonts from nowhere";
  } catch (const FontsMissing& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/fonts/Vazirmatn-Regular.ttf"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(Fonts::Present(FontDir()));
}

TEST_F(DocumentTest, PersianTextReadsBackInLogicalOrder) {
  Document doc(*fonts_, {.title = "آزمون", .footer = "پیوند"});
  doc.Add(TextBlock{.text = "گزارش ماه مهر ۱۴۰۵ برای شورای استان", .size = 14, .bold = true});
  doc.Add(TextBlock{.text = "تعداد جمع شدگان ۱۲۳۴ نفر بود"});
  doc.Add(TextBlock{.text = "سلام، بالا و صفحهٔ دوم"});
  std::string pdf = doc.Finish();
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  std::string text = PdfText(pdf);
  // Words in reading order, letters as letters (no presentation forms), digits in order, and
  // ligatures (lam-alef) and heh with hamza in their order.
  EXPECT_NE(text.find("گزارش ماه مهر ۱۴۰۵ برای شورای استان"), std::string::npos) << text;
  EXPECT_NE(text.find("تعداد جمع شدگان ۱۲۳۴ نفر بود"), std::string::npos) << text;
  EXPECT_NE(text.find("سلام، بالا و صفحهٔ دوم"), std::string::npos) << text;
  EXPECT_NE(text.find("صفحهٔ ۱"), std::string::npos) << "the page number, Persian digits";
  // Our fonts, embedded (subsets), both weights.
  std::string fonts = PdfFonts(pdf);
  EXPECT_NE(fonts.find("Vazirmatn-Bold"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("Vazirmatn-Regular"), std::string::npos) << fonts;
}

TEST_F(DocumentTest, TablesShowPersianNumbersAndContinueOnTheNextPage) {
  Document doc(*fonts_, {.title = "جدول"});
  doc.Heading("ارقام");
  web::Table t{"جدول آزمون", {"نام", "تعداد"}, {}};
  for (int i = 0; i < 120; ++i) {
    t.rows.push_back({web::Cell("ردیف " + std::to_string(i + 1)), web::Cell(std::int64_t{12345})});
  }
  doc.Add(TableBlock{.table = t, .widths = {3, 1}});
  EXPECT_GT(doc.pages(), 1) << "120 rows do not fit one page";
  int pages = doc.pages();
  std::string pdf = doc.Finish();
  std::string all = PdfText(pdf);
  EXPECT_NE(all.find("۱۲٬۳۴۵"), std::string::npos) << "Persian digits, Persian separator";
  EXPECT_NE(all.find("ردیف ۱۲۰"), std::string::npos) << "the last row";
  EXPECT_EQ(all.find("12345"), std::string::npos);
  std::string last = PdfText(pdf, pages, pages);
  EXPECT_NE(last.find("تعداد"), std::string::npos) << "the header again on the last page";
}

TEST_F(DocumentTest, ChartsAndTablesSideBySide) {
  Document doc(*fonts_, {.title = "نمودار"});
  std::vector<web::Bar> bars = {{"پلیس", 80, 100, "", false}, {"بهزیستی", 40, 100, "", true}};
  web::Table t{"", {"دستگاه", "نرخ"}, {{web::Cell("پلیس"), web::Cell(std::int64_t{80})}}};
  doc.Row({ChartBlock{web::BarScene(bars, {"نرخ", 400, 24})}, TableBlock{.table = t}}, {3, 2});
  doc.Add(ChartBlock{web::LineScene({{"مهر", 80}, {"آبان", std::nullopt}, {"آذر", 60}}, 100, "٪",
                                    {"روند", 560, 26})});
  doc.Add(ChartBlock{web::FunnelScene({{"جمع", 200, {}, "", false}, {"پذیرش", 50, {}, "", false}},
                                      {"مسیر", 560, 26})});
  std::string text = PdfText(doc.Finish());
  for (const char* s : {"پلیس", "بهزیستی", "۸۰", "۴۰", "مهر", "آذر", "۲۵٪", "پذیرش"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
}

}  // namespace
}  // namespace peyvand::report
