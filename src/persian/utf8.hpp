// Minimal UTF-8 decoding and encoding shared by the persian module. Kept
// separate from ICU so that byte-level helpers (digits, national codes) stay
// cheap and so that every caller treats ill-formed input the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace peyvand::persian {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point that starts at `pos` and advances `pos` past it.
// Ill-formed input yields kReplacementChar once per maximal ill-formed
// subpart (the Unicode "best practice", also what ICU does), so a stray byte
// never swallows the valid character after it. Precondition: pos < s.size().
char32_t DecodeNext(std::string_view s, std::size_t& pos);

// Appends `cp` encoded as UTF-8. Surrogates and values above U+10FFFF are
// written as U+FFFD so that the output is always well-formed.
void AppendUtf8(std::string& out, char32_t cp);

// Converts U+06F0..U+06F9 and U+0660..U+0669 to 0..9; returns -1 otherwise.
int NonAsciiDigitValue(char32_t cp);

}  // namespace peyvand::persian
