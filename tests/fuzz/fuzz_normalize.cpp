// Fuzz target for the text normalizers and the national-code parser, which
// all read untrusted bytes from forms and imports. Beyond "no crash", it
// checks properties the rest of the system relies on: canonical text is
// stable (stored text re-canonicalizes to itself), match keys do not depend
// on whether the input was canonicalized first, and an accepted national code
// is accepted again unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "persian/digits.hpp"
#include "persian/national_code.hpp"
#include "persian/normalize.hpp"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

bool IsWellFormedUtf8(std::string_view s) {
  // Round-tripping through Canonical's decoder would be circular; a strict
  // independent check is short enough to write out.
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b < 0x80) {
      n = 0;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      lo = b == 0xE0 ? 0xA0 : 0x80;
      hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      lo = b == 0xF0 ? 0x90 : 0x80;
      hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peyvand::persian;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const std::string canonical = Canonical(input);
  Check(IsWellFormedUtf8(canonical), "Canonical output is well-formed UTF-8");
  Check(Canonical(canonical) == canonical, "Canonical is idempotent");
  Check(canonical.find('\n') == std::string::npos, "Canonical is one line");
  Check(canonical.empty() || (canonical.front() != ' ' && canonical.back() != ' '),
        "Canonical is trimmed");
  Check(canonical.find("  ") == std::string::npos, "Canonical has no double spaces");
  Check(canonical.find("\u200C ") == std::string::npos &&
            canonical.find(" \u200C") == std::string::npos,
        "Canonical has no ZWNJ next to a space");

  const std::string multiline = CanonicalMultiline(input);
  Check(IsWellFormedUtf8(multiline), "CanonicalMultiline output is well-formed UTF-8");
  Check(CanonicalMultiline(multiline) == multiline, "CanonicalMultiline is idempotent");
  Check(Canonical(multiline) == canonical, "single-line form of multiline text agrees");

  const std::string key = MatchKey(input);
  Check(IsWellFormedUtf8(key), "MatchKey output is well-formed UTF-8");
  Check(MatchKey(canonical) == key, "MatchKey(Canonical(x)) == MatchKey(x)");
  Check(MatchKey(key) == key, "MatchKey is idempotent");
  Check(key.find(' ') == std::string::npos, "MatchKey has no spaces");
  Check(key.find("\u200C") == std::string::npos, "MatchKey has no ZWNJ");

  const std::string ascii = ToAsciiDigits(input);
  Check(ToAsciiDigits(ascii) == ascii, "ToAsciiDigits is idempotent");
  Check(ascii.size() <= input.size(), "ToAsciiDigits never grows the text");

  const auto code = NormalizeNationalCode(input);
  if (code.ok()) {
    Check(code.value().size() == 10, "national code has 10 digits");
    Check(code.value().find_first_not_of("0123456789") == std::string::npos,
          "national code is ASCII digits");
    const auto again = NormalizeNationalCode(code.value());
    Check(again.ok() && again.value() == code.value(), "normalized national code is stable");
  } else {
    Check(!code.error().message.empty(), "rejection carries a message");
  }
  return 0;
}
