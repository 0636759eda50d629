// Small string helpers shared by the stores and pages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace peyvand {

// The non-empty pieces of `s` between `sep`s ("a,,b" → {"a", "b"}).
inline std::vector<std::string> SplitNonEmpty(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace peyvand
