#include "db/value.hpp"

#include <cassert>
#include <charconv>
#include <stdexcept>

namespace peyvand::db {

std::int64_t Value::AsInt() const {
  switch (v_.index()) {
    case 1: return std::get<1>(v_);
    case 2: return static_cast<std::int64_t>(std::get<2>(v_));
    case 3: {
      const auto& s = std::get<3>(v_);
      std::int64_t out = 0;
      std::from_chars(s.data(), s.data() + s.size(), out);
      return out;
    }
    default: return 0;
  }
}

double Value::AsDouble() const {
  switch (v_.index()) {
    case 1: return static_cast<double>(std::get<1>(v_));
    case 2: return std::get<2>(v_);
    case 3: return std::stod(std::get<3>(v_));
    default: return 0;
  }
}

std::string Value::AsText() const {
  switch (v_.index()) {
    case 1: return std::to_string(std::get<1>(v_));
    case 2: return std::to_string(std::get<2>(v_));
    case 3: return std::get<3>(v_);
    default: return {};
  }
}

std::size_t ResultSet::ColumnIndex(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  throw std::logic_error("no such column: " + std::string(name));
}

const Value& Row::operator[](std::size_t col) const {
  return rs_->rows[index_].at(col);
}
const Value& Row::operator[](std::string_view name) const {
  return rs_->rows[index_][rs_->ColumnIndex(name)];
}
std::optional<std::int64_t> Row::OptInt(std::string_view name) const {
  const auto& v = (*this)[name];
  if (v.is_null()) return std::nullopt;
  return v.AsInt();
}
std::optional<std::string> Row::OptText(std::string_view name) const {
  const auto& v = (*this)[name];
  if (v.is_null()) return std::nullopt;
  return v.AsText();
}

}  // namespace peyvand::db
