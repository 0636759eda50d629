#include "persian/normalize.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>

#include <cstddef>
#include <stdexcept>

#include "persian/utf8.hpp"

namespace peyvand::persian {
namespace {

constexpr char32_t kZwnj = 0x200C;
constexpr char32_t kTatweel = 0x0640;

// Invisible characters that only ever reach us by copy-and-paste and that make
// two identical-looking strings differ. ZWNJ is not here: it is part of
// correct Persian spelling.
bool IsRemovableFormatChar(char32_t cp) {
  switch (cp) {
    case 0x00AD:  // soft hyphen
    case 0x061C:  // Arabic letter mark
    case 0x180E:  // Mongolian vowel separator (used as an invisible space)
    case 0x200B:  // zero-width space
    case 0x200D:  // zero-width joiner
    case 0x200E:  // left-to-right mark
    case 0x200F:  // right-to-left mark
    case 0xFEFF:  // byte-order mark / zero-width no-break space
      return true;
    default: break;
  }
  if (cp >= 0x202A && cp <= 0x202E) return true;  // bidi embeddings and overrides
  if (cp >= 0x2060 && cp <= 0x2064) return true;  // word joiner, invisible operators
  if (cp >= 0x2066 && cp <= 0x2069) return true;  // bidi isolates
  // Control characters are noise (and NUL breaks PostgreSQL text), except
  // the ones that are whitespace: those are collapsed later instead.
  return u_charType(static_cast<UChar32>(cp)) == U_CONTROL_CHAR &&
         !u_isUWhiteSpace(static_cast<UChar32>(cp));
}

bool IsLineBreak(char32_t cp) {
  return cp == '\n' || cp == '\r' || cp == 0x0085 || cp == 0x2028 || cp == 0x2029;
}

// Letter and digit unification shared by Canonical() and MatchKey().
char32_t MapLetterOrDigit(char32_t cp) {
  switch (cp) {
    case 0x064A:  // Arabic yeh
    case 0x0649:  // alef maksura
      return 0x06CC;
    case 0x0643:  // Arabic kaf
      return 0x06A9;
    default: break;
  }
  const int digit = NonAsciiDigitValue(cp);
  return digit >= 0 ? static_cast<char32_t>('0' + digit) : cp;
}

std::string Normalize(const icu::Normalizer2* normalizer, const std::string& in) {
  std::string out;
  UErrorCode status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(in.size()));
  normalizer->normalizeUTF8(0, icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), sink,
                            nullptr, status);
  // Input is well-formed by construction, so failure means ICU is broken.
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalization failed");
  return out;
}

const icu::Normalizer2* Nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC data missing");
  return n;
}

const icu::Normalizer2* NfkcCasefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC_Casefold data missing");
  return n;
}

// Decodes (repairing ill-formed input), drops removable format characters and
// applies NFC. Removal comes first so that NFC sees the characters that will
// end up adjacent; doing it the other way round would not be idempotent.
std::string CleanAndCompose(std::string_view utf8) {
  std::string cleaned;
  cleaned.reserve(utf8.size());
  for (std::size_t pos = 0; pos < utf8.size();) {
    const char32_t cp = DecodeNext(utf8, pos);
    if (!IsRemovableFormatChar(cp)) AppendUtf8(cleaned, cp);
  }
  return Normalize(Nfc(), cleaned);
}

std::string CanonicalImpl(std::string_view utf8, bool keep_line_breaks) {
  const std::string composed = CleanAndCompose(utf8);
  std::string out;
  out.reserve(composed.size());
  // Separators are held back until the next visible character, which both
  // trims the ends and lets the strongest separator of a run win.
  bool pending_space = false;
  bool pending_zwnj = false;
  int pending_breaks = 0;
  bool previous_was_cr = false;
  for (std::size_t pos = 0; pos < composed.size();) {
    const char32_t cp = MapLetterOrDigit(DecodeNext(composed, pos));
    const bool is_cr = cp == '\r';
    if (keep_line_breaks && IsLineBreak(cp)) {
      if (!(cp == '\n' && previous_was_cr)) ++pending_breaks;
    } else if (u_isUWhiteSpace(static_cast<UChar32>(cp))) {
      pending_space = true;
    } else if (cp == kZwnj) {
      pending_zwnj = true;
    } else {
      if (!out.empty()) {
        if (pending_breaks > 0) {
          out.append(static_cast<std::size_t>(pending_breaks), '\n');
        } else if (pending_space) {
          out.push_back(' ');
        } else if (pending_zwnj) {
          AppendUtf8(out, kZwnj);
        }
      }
      pending_space = pending_zwnj = false;
      pending_breaks = 0;
      AppendUtf8(out, cp);
    }
    previous_was_cr = is_cr;
  }
  return out;
}

bool IsArabicDiacritic(char32_t cp) {
  return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED);
}

char32_t FoldForMatch(char32_t cp) {
  switch (cp) {
    case 0x0622:  // آ
    case 0x0623:  // أ
    case 0x0625:  // إ
    case 0x0671:  // ٱ
      return 0x0627;
    case 0x0629:  // ة
    case 0x06C0:  // ۀ
    case 0x06D5:  // ە (canonically, ۀ is ە + hamza)
      return 0x0647;
    case 0x0624:  // ؤ
      return 0x0648;
    case 0x0626:  // ئ
      return 0x06CC;
    default:
      return MapLetterOrDigit(cp);  // again: NFKC turns presentation forms into Arabic yeh/kaf
  }
}

}  // namespace

std::string Canonical(std::string_view utf8) {
  return CanonicalImpl(utf8, false);
}

std::string CanonicalMultiline(std::string_view utf8) {
  return CanonicalImpl(utf8, true);
}

std::string MatchKey(std::string_view utf8) {
  const std::string folded = Normalize(NfkcCasefold(), Canonical(utf8));
  std::string key;
  key.reserve(folded.size());
  for (std::size_t pos = 0; pos < folded.size();) {
    const char32_t cp = DecodeNext(folded, pos);
    if (cp == kTatweel || cp == kZwnj || IsArabicDiacritic(cp) ||
        u_isUWhiteSpace(static_cast<UChar32>(cp))) {
      continue;
    }
    AppendUtf8(key, FoldForMatch(cp));
  }
  // Removing marks and spaces can bring a base and a combining mark together;
  // composing them keeps MatchKey(MatchKey(x)) == MatchKey(x).
  return Normalize(Nfc(), key);
}

}  // namespace peyvand::persian
