// Conversions between ASCII, Persian (U+06F0..U+06F9) and Arabic-Indic
// (U+0660..U+0669) digits. Storage uses ASCII digits; display uses Persian.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace peyvand::persian {

// Persian and Arabic-Indic digits become ASCII. Every other byte is copied
// unchanged, including ill-formed UTF-8: this function is a cheap filter, and
// Canonical() is where ill-formed text gets repaired.
std::string ToAsciiDigits(std::string_view utf8);

// ASCII digits become Persian digits; everything else is copied unchanged.
std::string ToPersianDigits(std::string_view text);

// Persian digits with the Arabic thousands separator U+066C, e.g.
// 1234567 -> "۱٬۲۳۴٬۵۶۷" and -1000 -> "-۱٬۰۰۰". Works for the full int64 range.
std::string FormatNumber(std::int64_t n);

}  // namespace peyvand::persian
