#include "persian/digits.hpp"

#include <cstddef>

namespace peyvand::persian {
namespace {

// Both digit blocks are two-byte sequences whose lead byte can never be a
// continuation byte, so a byte-pair match cannot split another character.
constexpr unsigned char kPersianLead = 0xDB;  // U+06F0 = DB B0
constexpr unsigned char kPersianFirst = 0xB0;
constexpr unsigned char kArabicLead = 0xD9;  // U+0660 = D9 A0
constexpr unsigned char kArabicFirst = 0xA0;
constexpr char kThousandsSeparator[] = "\xD9\xAC";  // U+066C

void AppendPersianDigit(std::string& out, int digit) {
  out.push_back(static_cast<char>(kPersianLead));
  out.push_back(static_cast<char>(kPersianFirst + digit));
}

}  // namespace

std::string ToAsciiDigits(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if ((b == kPersianLead || b == kArabicLead) && i + 1 < utf8.size()) {
      const auto next = static_cast<unsigned char>(utf8[i + 1]);
      const unsigned char first = b == kPersianLead ? kPersianFirst : kArabicFirst;
      if (next >= first && next < first + 10) {
        out.push_back(static_cast<char>('0' + (next - first)));
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(b));
  }
  return out;
}

std::string ToPersianDigits(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      AppendPersianDigit(out, c - '0');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FormatNumber(std::int64_t n) {
  // Work on the magnitude as unsigned so that INT64_MIN has no overflow.
  std::uint64_t magnitude =
      n < 0 ? ~static_cast<std::uint64_t>(n) + 1 : static_cast<std::uint64_t>(n);
  std::string ascii;
  do {
    ascii.insert(ascii.begin(), static_cast<char>('0' + magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);

  std::string out;
  if (n < 0) out.push_back('-');
  for (std::size_t i = 0; i < ascii.size(); ++i) {
    if (i != 0 && (ascii.size() - i) % 3 == 0) out += kThousandsSeparator;
    AppendPersianDigit(out, ascii[i] - '0');
  }
  return out;
}

}  // namespace peyvand::persian
