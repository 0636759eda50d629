// UTF-8 checks for untrusted input at the edge (forms, query strings), so
// that ill-formed bytes never reach storage, logs or the audit chain.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace peyvand {

// Well-formed UTF-8 per RFC 3629: no overlongs, surrogates or values above U+10FFFF.
bool IsValidUtf8(std::string_view s);
// At most max_bytes, cut at a character boundary.
std::string TruncateUtf8(std::string_view s, std::size_t max_bytes);
// Code points in valid UTF-8 (bytes that are not continuation bytes).
std::size_t CountCodePoints(std::string_view s);

}  // namespace peyvand
