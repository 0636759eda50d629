// Tables as files: CSV (UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting) and XLSX (one
// right-to-left sheet per table, numbers as numbers), for every table a page shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace peyvand::web {

struct Cell {
  std::string text;                    // shown when there is no number
  std::optional<std::int64_t> number;  // a count or an amount in rials
  Cell() = default;
  Cell(std::string t) : text(std::move(t)) {}  // NOLINT(google-explicit-constructor)
  Cell(const char* t) : text(t) {}             // NOLINT(google-explicit-constructor)
  Cell(std::int64_t n) : number(n) {}          // NOLINT(google-explicit-constructor)
  static Cell Maybe(const std::optional<std::int64_t>& n, std::string otherwise) {
    Cell c;
    if (n) {
      c.number = *n;
    } else {
      c.text = std::move(otherwise);
    }
    return c;
  }
};

struct Table {
  std::string name;  // sheet name (≤ 31 characters in XLSX; longer names are cut)
  std::vector<std::string> headers;
  std::vector<std::vector<Cell>> rows;
};

std::string ToCsv(const Table& table);
// Throws std::runtime_error if the workbook cannot be written (a full temporary disk).
std::string ToXlsx(const std::vector<Table>& sheets);

// ?format=csv|xlsx of a request: "" when absent; 400 for anything else.
std::string ExportFormat(const http::Request& req);
// The download: CSV of `tables[index]` (index from ?table=, default 0) or XLSX of them all, named
// `<stem>.csv` / `<stem>.xlsx`.
http::Response ExportResponse(const http::Request& req, const std::vector<Table>& tables,
                              const std::string& stem);

}  // namespace peyvand::web
