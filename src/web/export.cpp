#include "web/export.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/error.hpp"
#include "http/body.hpp"

namespace peyvand::web {
namespace {

void CsvField(std::string& out, std::string s) {
  // Text a spreadsheet would read as a formula (a facility named "=HYPERLINK(…)") is kept as
  // text with a leading apostrophe.
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) {
    s.insert(s.begin(), '\'');
  }
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// XLSX sheet names: at most 31 characters (code points here) and none of : \ / ? * [ ].
std::string SheetName(const std::string& name, std::size_t index) {
  std::string out;
  std::size_t points = 0;
  for (std::size_t i = 0; i < name.size() && points < 31; ++points) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string ch = name.substr(i, len);
    if (ch.find_first_of(":\\/?*[]") == std::string::npos) out += ch;
    i += len;
  }
  if (out.empty()) out = "Sheet" + std::to_string(index + 1);
  return out;
}

}  // namespace

std::string ToCsv(const Table& t) {
  std::string out = "\xEF\xBB\xBF";  // so spreadsheet programs read UTF-8
  for (std::size_t i = 0; i < t.headers.size(); ++i) {
    if (i) out += ',';
    CsvField(out, t.headers[i]);
  }
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      if (row[i].number) {
        out += std::to_string(*row[i].number);  // a negative number is a number, not a formula
      } else {
        CsvField(out, row[i].text);
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string ToXlsx(const std::vector<Table>& sheets) {
  // libxlsxwriter 1.1.4 writes to a file only: a private temporary one, read back and removed.
  char path[] = "/tmp/peyvand-xlsx-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file");
  ::close(fd);
  struct Remove {
    const char* p;
    ~Remove() { std::remove(p); }
  } remove{path};
  lxw_workbook* wb = workbook_new(path);
  if (!wb) throw std::runtime_error("xlsx: cannot open the workbook");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* number = workbook_add_format(wb);
  format_set_num_format(number, "#,##0");
  for (std::size_t s = 0; s < sheets.size(); ++s) {
    const Table& t = sheets[s];
    lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(t.name, s).c_str());
    if (!ws) ws = workbook_add_worksheet(wb, nullptr);  // a duplicate name: a default one
    worksheet_right_to_left(ws);
    for (std::size_t c = 0; c < t.headers.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.headers[c].c_str(), bold);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 18, nullptr);
    }
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
        const Cell& cell = t.rows[r][c];
        auto row = static_cast<lxw_row_t>(r + 1);
        auto col = static_cast<lxw_col_t>(c);
        if (cell.number) {
          worksheet_write_number(ws, row, col, static_cast<double>(*cell.number), number);
        } else {
          worksheet_write_string(ws, row, col, cell.text.c_str(), nullptr);
        }
      }
    }
  }
  if (workbook_close(wb) != LXW_NO_ERROR) throw std::runtime_error("xlsx: cannot write");
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ExportFormat(const http::Request& req) {
  auto f = req.Query("format");
  if (!f || f->empty()) return "";
  if (*f == "csv" || *f == "xlsx") return *f;
  Fail(ErrorCode::kInvalid, "قالب خروجی نامعتبر است.", {{"format", "یکی از csv یا xlsx."}});
}

http::Response ExportResponse(const http::Request& req, const std::vector<Table>& tables,
                              const std::string& stem) {
  std::string format = ExportFormat(req);
  http::Response res;
  if (format == "csv") {
    auto index = http::QueryInt(req, "table").value_or(0);
    if (index < 0 || index >= static_cast<std::int64_t>(tables.size())) {
      Fail(ErrorCode::kInvalid, "جدول خواسته‌شده نیست.",
           {{"table", "شمارهٔ جدول نامعتبر است."}});
    }
    res = http::Response::Text(ToCsv(tables[static_cast<std::size_t>(index)]));
    res.content_type = "text/csv; charset=utf-8";
    res.SetHeader("Content-Disposition", "attachment; filename=\"" + stem + ".csv\"");
  } else {
    res = http::Response::Text(ToXlsx(tables));
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.SetHeader("Content-Disposition", "attachment; filename=\"" + stem + ".xlsx\"");
  }
  return res;
}

}  // namespace peyvand::web
