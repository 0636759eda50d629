// Canonical forms of Persian text (see DOMAIN.md, "Persian text and
// identifiers"). Canonical() is what we store and display; MatchKey() is what
// we compare names with, and is never shown to anyone.
//
// Ill-formed UTF-8 never fails: each maximal ill-formed subpart becomes one
// U+FFFD, so the output is always well-formed UTF-8 and the user can still see
// where their text was damaged.
#pragma once

#include <string>
#include <string_view>

namespace peyvand::persian {

// Single-line form for names, titles and identifiers:
//  - NFC;
//  - Arabic yeh/alef maksura (U+064A, U+0649) -> Persian yeh U+06CC, Arabic
//    kaf U+0643 -> Persian kaf U+06A9;
//  - Persian and Arabic-Indic digits -> ASCII;
//  - invisible format characters removed (ZWSP, ZWJ, BOM, LRM/RLM/ALM, bidi
//    embeddings/overrides/isolates, word joiner, soft hyphen) and C0/C1
//    control characters other than whitespace removed;
//  - every run of whitespace (any Unicode White_Space, including NBSP, tabs
//    and newlines) becomes one ASCII space; leading/trailing whitespace goes;
//  - ZWNJ (U+200C) is kept, but a run of ZWNJs becomes one, a ZWNJ next to
//    whitespace disappears into the space, and leading/trailing ZWNJs go.
// Idempotent: Canonical(Canonical(x)) == Canonical(x).
std::string Canonical(std::string_view utf8);

// Same as Canonical() but for free text: line breaks (LF, CR, CRLF, NEL,
// U+2028, U+2029) are kept as "\n", one per break, and the spaces and ZWNJs
// around them are dropped. Other whitespace collapses as in Canonical().
std::string CanonicalMultiline(std::string_view utf8);

// Key for comparing names, e.g. finding the same person registered twice.
// Starting from Canonical():
//  - NFKC case folding (Latin lower case, Arabic presentation forms from old
//    PDFs and full-width letters become ordinary letters);
//  - tatweel U+0640 and Arabic diacritics (U+064B..U+065F, U+0670,
//    U+06D6..U+06ED) removed;
//  - ZWNJ and all spaces removed, because pasted text loses the ZWNJ or turns
//    it into a space: "محمد‌رضا", "محمد رضا" and "محمدرضا" share one key;
//  - أ إ ٱ and also آ -> ا (people type آ as ا and the reverse; a missed
//    duplicate costs more than an occasional false candidate, which a person
//    reviews anyway), ة -> ه, ۀ and ە -> ه, ؤ -> و, ئ -> ی.
std::string MatchKey(std::string_view utf8);

}  // namespace peyvand::persian
