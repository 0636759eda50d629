// Persian alphabetical order ("fa" locale) via ICU. Plain byte order is wrong
// for Persian: پ چ ژ گ have code points after the Arabic letters, so "پ"
// would sort after "ی". The header hides ICU so that callers need not
// include or link its headers directly.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace peyvand::persian {

// Thread-safe: one instance may be shared by all threads. ICU's guidance on
// sharing one icu::Collator between threads has varied across versions (the
// safe reading is a clone per thread); rather than depend on the version,
// calls into ICU are serialized by a mutex. They take microseconds, and
// Sort() computes one sort key per string instead of locking per comparison.
class Collator {
 public:
  // Throws std::runtime_error if ICU has no collation data at all.
  Collator();
  ~Collator();
  Collator(const Collator&) = delete;
  Collator& operator=(const Collator&) = delete;

  // -1, 0 or 1. Ill-formed UTF-8 compares as U+FFFD.
  int Compare(std::string_view a, std::string_view b) const;

  // ICU's binary sort key without its trailing NUL: comparing keys bytewise
  // (memcmp, std::string <, bytea/BLOB ORDER BY) gives the same order as
  // Compare(). Keys depend on the ICU version: recompute stored keys after
  // an ICU upgrade.
  std::string SortKey(std::string_view text) const;

  // Stable sort in Persian order.
  void Sort(std::vector<std::string>& items) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace peyvand::persian
