#include "web/export.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace peyvand::web {
namespace {

// The contents of one member of a zip file, through Debian's unzip (a real reader, not ours).
std::string Unzip(const std::string& zip, const std::string& member) {
  std::string path = "/tmp/peyvand-export-test-" + std::to_string(::getpid()) + ".xlsx";
  std::ofstream(path, std::ios::binary) << zip;
  std::string out;
  if (FILE* p = ::popen(("unzip -p " + path + " " + member).c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  std::remove(path.c_str());
  return out;
}

Table Sample() {
  return Table{"کارنامه",
               {"دستگاه", "سررسید", "یادداشت"},
               {{Cell("بهزیستی"), Cell(std::int64_t{1536}), Cell("دارای \"نقل\", و ویرگول")},
                {Cell("پلیس"), Cell(std::int64_t{370}), Cell("سطر\nدوم")},
                {Cell("بی‌رقم"), Cell::Maybe(std::nullopt, "کمتر از ۵"), Cell("")}}};
}

TEST(ExportTest, CsvIsUtf8WithABomAndQuotesWhatNeedsIt) {
  std::string csv = ToCsv(Sample());
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << "byte-order mark";
  EXPECT_NE(csv.find("دستگاه,سررسید,یادداشت\r\n"), std::string::npos);
  EXPECT_NE(csv.find("بهزیستی,1536,\"دارای \"\"نقل\"\", و ویرگول\"\r\n"), std::string::npos)
      << "numbers in ASCII digits; quotes doubled";
  EXPECT_NE(csv.find("\"سطر\nدوم\""), std::string::npos) << "a line break is quoted";
  EXPECT_NE(csv.find("بی‌رقم,کمتر از ۵,\r\n"), std::string::npos);
}

TEST(ExportTest, CsvKeepsFormulaLikeTextAsText) {
  Table t{"t",
          {"نام", "عدد"},
          {{Cell("=HYPERLINK(\"http://x\")"), Cell(std::int64_t{-5})},
           {Cell("+1"), Cell("@x")},
           {Cell("-سطر"), Cell("عادی")}}};
  std::string csv = ToCsv(t);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\",-5\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("'+1,'@x\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("'-سطر,عادی\r\n"), std::string::npos) << csv;
}

TEST(ExportTest, XlsxOpensWithRightToLeftSheetsNumbersAndPersianText) {
  Table second{"جدولی با نامی بسیار بلندتر از سی و یک نویسه که باید کوتاه شود", {"a"}, {}};
  std::string xlsx = ToXlsx({Sample(), second});
  ASSERT_GT(xlsx.size(), 100u);
  EXPECT_EQ(xlsx.rfind("PK\x03\x04", 0), 0u) << "a zip container";
  std::string sheet = Unzip(xlsx, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("rightToLeft=\"1\""), std::string::npos) << sheet.substr(0, 400);
  EXPECT_NE(sheet.find("<v>1536</v>"), std::string::npos) << "a number, not text";
  std::string strings = Unzip(xlsx, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("بهزیستی"), std::string::npos);
  EXPECT_NE(strings.find("کمتر از ۵"), std::string::npos);
  std::string book = Unzip(xlsx, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"کارنامه\""), std::string::npos);
  EXPECT_NE(Unzip(xlsx, "xl/worksheets/sheet2.xml").size(), 0u) << "the second table's sheet";
}

}  // namespace
}  // namespace peyvand::web
