// Parsing request bodies into checked values. Every failure is an AppError
// (kInvalid) with a Persian message naming the field, so handlers stay short.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace peyvand::http {

// The body as a JSON object; rejects non-JSON content types, malformed JSON
// and non-object roots.
boost::json::object JsonBody(const Request& req);

// application/x-www-form-urlencoded fields, percent-decoded.
class Form {
 public:
  static Form Parse(const Request& req);
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, const std::string& fallback = {}) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  // Absent or empty → nullopt; not an integer → 400 naming the field.
  std::optional<std::int64_t> GetInt(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Typed field access shared by JSON and form input.
std::string RequiredString(const boost::json::object& o, std::string_view field,
                           std::size_t max_len = 200);
std::optional<std::string> OptionalString(const boost::json::object& o, std::string_view field,
                                          std::size_t max_len = 200);
std::optional<std::int64_t> OptionalInt(const boost::json::object& o, std::string_view field);
std::optional<bool> OptionalBool(const boost::json::object& o, std::string_view field);
std::vector<std::string> StringArray(const boost::json::object& o, std::string_view field);

// Parses a positive integer id from a path parameter; 404 when malformed,
// since a malformed id names no record.
std::int64_t IdParam(const Request& req, std::string_view name);

// An optional integer query parameter (?page=2); absent or empty → nullopt,
// anything else that is not an integer → 400 naming the parameter.
std::optional<std::int64_t> QueryInt(const Request& req, std::string_view name);

// "a=1&b=%D8%B9" from pairs, percent-encoded for use in a link.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace peyvand::http
