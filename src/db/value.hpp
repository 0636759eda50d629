// Values bound to and read from SQL, the same for every backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace peyvand::db {

class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}                                     // NOLINT
  Value(int v) : v_(static_cast<std::int64_t>(v)) {}           // NOLINT
  Value(long v) : v_(static_cast<std::int64_t>(v)) {}          // NOLINT
  Value(long long v) : v_(static_cast<std::int64_t>(v)) {}     // NOLINT
  Value(bool v) : v_(static_cast<std::int64_t>(v ? 1 : 0)) {}  // NOLINT
  Value(double v) : v_(v) {}                                   // NOLINT
  Value(const char* v) : v_(std::string(v)) {}                 // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}            // NOLINT
  Value(std::string v) : v_(std::move(v)) {}                   // NOLINT
  template <class T>
  Value(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Value(*v);
  }

  bool is_null() const { return v_.index() == 0; }
  bool is_int() const { return v_.index() == 1; }
  bool is_double() const { return v_.index() == 2; }
  bool is_text() const { return v_.index() == 3; }

  std::int64_t AsInt() const;  // null → 0; text parsed
  double AsDouble() const;
  std::string AsText() const;  // null → ""
  const std::string* text_ptr() const { return std::get_if<std::string>(&v_); }

 private:
  std::variant<std::monostate, std::int64_t, double, std::string> v_;
};

using Params = std::vector<Value>;

// One row of a result, addressed by column index or name.
class ResultSet;
class Row {
 public:
  Row(const ResultSet* rs, std::size_t index) : rs_(rs), index_(index) {}
  const Value& operator[](std::size_t col) const;
  const Value& operator[](std::string_view name) const;
  std::int64_t Int(std::string_view name) const { return (*this)[name].AsInt(); }
  std::string Text(std::string_view name) const { return (*this)[name].AsText(); }
  bool IsNull(std::string_view name) const { return (*this)[name].is_null(); }
  std::optional<std::int64_t> OptInt(std::string_view name) const;
  std::optional<std::string> OptText(std::string_view name) const;

 private:
  const ResultSet* rs_;
  std::size_t index_;
};

class ResultSet {
 public:
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  std::size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  Row operator[](std::size_t i) const { return Row(this, i); }
  std::size_t ColumnIndex(std::string_view name) const;  // asserts the column exists

  class Iterator {
   public:
    Iterator(const ResultSet* rs, std::size_t i) : rs_(rs), i_(i) {}
    Row operator*() const { return Row(rs_, i_); }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return i_ != o.i_; }

   private:
    const ResultSet* rs_;
    std::size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, rows.size()}; }
};

}  // namespace peyvand::db
