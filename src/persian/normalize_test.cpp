#include "persian/normalize.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace peyvand::persian {
namespace {

using namespace std::string_view_literals;

struct Row {
  std::string_view input;     // raw bytes, may be ill-formed or contain NUL
  std::string_view expected;  // exact UTF-8 output
  const char* comment;        // why the row exists
};

const std::vector<Row> kCanonicalRows = {
    {"علي", "علی", "Arabic yeh becomes Persian yeh"},
    {"كتاب", "کتاب", "Arabic kaf becomes Persian kaf"},
    {"موسى", "موسی", "alef maksura becomes Persian yeh"},
    {"۱۴۰۳", "1403", "Persian digits become ASCII"},
    {"١٤٠٣", "1403", "Arabic-Indic digits become ASCII"},
    {"  سلام  ", "سلام", "trimmed"},
    {"علی\t\t  رضا", "علی رضا", "tabs and spaces collapse to one space"},
    {"علی\u00A0رضا", "علی رضا", "NBSP becomes an ASCII space"},
    {"علی\r\nرضا", "علی رضا", "line breaks are spaces in single-line fields"},
    {"علی\u2003\u3000رضا", "علی رضا", "exotic Unicode spaces collapse too"},
    {"می\u200Cروم", "می\u200Cروم", "ZWNJ is kept"},
    {"می\u200C\u200C\u200Cروم", "می\u200Cروم", "a run of ZWNJs becomes one"},
    {"می\u200C روم", "می روم", "ZWNJ before a space disappears into it"},
    {"می \u200Cروم", "می روم", "ZWNJ after a space disappears into it"},
    {"می \u200C \u200C روم", "می روم", "mixed run of spaces and ZWNJs is one space"},
    {"\u200Cسلام\u200C", "سلام", "ZWNJ at the ends is trimmed"},
    {"سل\u200Bام", "سلام", "zero-width space removed"},
    {"\uFEFFسلام", "سلام", "byte-order mark removed"},
    {"\u200Fسلام\u200E", "سلام", "RLM and LRM removed"},
    {"\u202Bسلام\u202C", "سلام", "bidi embedding removed"},
    {"\u2067سلام\u2069", "سلام", "bidi isolate removed"},
    {"\u061Cسلام", "سلام", "Arabic letter mark removed"},
    {"a\u200Db", "ab", "ZWJ removed: only ZWNJ is kept"},
    {"a\u00ADb", "ab", "soft hyphen removed"},
    {"a\0b"sv, "ab", "NUL removed (PostgreSQL rejects it)"},
    {"a\x07"
     "b",
     "ab", "other control characters removed"},
    {"e\u0301", "\u00E9", "NFC composes"},
    {"\u0627\u0653", "\u0622", "alef + madda composes to آ"},
    {"\u064A\u0654", "\u0626", "yeh + hamza composes to ئ before yeh is mapped"},
    {"\u0627\u200B\u0653", "\u0622", "removal happens before NFC (idempotence)"},
    {"a\xFF"
     "b",
     "a\uFFFDb", "stray byte becomes U+FFFD"},
    {"\xC3", "\uFFFD", "truncated sequence becomes U+FFFD"},
    {"\xE2\x82", "\uFFFD", "one U+FFFD per maximal ill-formed subpart"},
    {"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD", "encoded surrogate is ill-formed"},
    {"\xC0\xAF", "\uFFFD\uFFFD", "overlong form is ill-formed"},
    {"\xE2\x82"
     "a",
     "\uFFFDa", "bad sequence does not swallow the next character"},
    {"", "", "empty stays empty"},
    {" \t\u200C\n ", "", "only separators gives empty"},
    {"Ali  REZA", "Ali REZA", "Latin case is kept"},
};

TEST(CanonicalTest, Table) {
  for (const Row& row : kCanonicalRows) {
    EXPECT_EQ(Canonical(row.input), row.expected) << row.comment;
  }
}

TEST(CanonicalTest, Idempotent) {
  for (const Row& row : kCanonicalRows) {
    const std::string once = Canonical(row.input);
    EXPECT_EQ(Canonical(once), once) << row.comment;
  }
}

const std::vector<Row> kMultilineRows = {
    {"خط اول\r\nخط دوم", "خط اول\nخط دوم", "CRLF becomes one LF"},
    {"a\rb", "a\nb", "lone CR becomes LF"},
    {"a\u2028b\u2029c\u0085d", "a\nb\nc\nd", "Unicode line and paragraph separators"},
    {"a \t\n  b", "a\nb", "spaces around a break are dropped"},
    {"a\u200C\nb", "a\nb", "ZWNJ next to a break is dropped"},
    {"a\n\n\nb", "a\n\n\nb", "blank lines are kept"},
    {"\n\n a \n", "a", "leading and trailing breaks trimmed"},
    {"a\t  b", "a b", "horizontal whitespace collapses as in Canonical"},
    {"يك ۲", "یک 2", "letters and digits as in Canonical"},
};

TEST(CanonicalMultilineTest, Table) {
  for (const Row& row : kMultilineRows) {
    EXPECT_EQ(CanonicalMultiline(row.input), row.expected) << row.comment;
    const std::string once = CanonicalMultiline(row.input);
    EXPECT_EQ(CanonicalMultiline(once), once) << row.comment;
  }
}

const std::vector<Row> kMatchKeyRows = {
    {"محمد\u200Cرضا", "محمدرضا", "ZWNJ dropped"},
    {"محمد رضا", "محمدرضا", "space dropped"},
    {"محمدرضا", "محمدرضا", "already joined"},
    {" محمد\u00A0 رضا ", "محمدرضا", "any whitespace dropped"},
    {"محمّد", "محمد", "shadda removed"},
    {"مُحَمَّد", "محمد", "short vowels removed"},
    {"مـحـمـد", "محمد", "tatweel removed"},
    {"أحمد", "احمد", "alef with hamza above folded"},
    {"إبراهيم", "ابراهیم", "alef with hamza below folded, Arabic yeh mapped"},
    {"آرش", "ارش", "alef madda folded too (decision: see normalize.hpp)"},
    {"ٱلله", "الله", "alef wasla folded"},
    {"فاطمة", "فاطمه", "teh marbuta folded"},
    {"خانهٔ", "خانه", "heh + hamza above: the hamza is a diacritic"},
    {"خانۀ", "خانه", "precomposed heh with yeh above folded"},
    {"مؤمن", "مومن", "waw with hamza folded"},
    {"مسئول", "مسیول", "yeh with hamza folded"},
    {"علي", "علی", "Arabic yeh via Canonical"},
    {"كاظم", "کاظم", "Arabic kaf via Canonical"},
    {"\uFECB\uFEE0\uFEF0", "علی", "presentation forms (old PDFs) become letters"},
    {"\uFEDB\uFEAE\uFEE1", "کرم", "presentation-form kaf becomes Persian kaf"},
    {"ALI Reza", "alireza", "Latin folded to lower case, space dropped"},
    {"Straße", "strasse", "full case folding"},
    {"ＡＢＣ", "abc", "full-width Latin"},
    {"۱۲۳ ٤٥", "12345", "digits ASCII"},
    {"\u200Fعلی\u200E", "علی", "bidi marks gone"},
    {"e\u0640\u0301", "\u00E9", "mark brought next to its base is composed"},
    {"", "", "empty"},
};

TEST(MatchKeyTest, Table) {
  for (const Row& row : kMatchKeyRows) {
    EXPECT_EQ(MatchKey(row.input), row.expected) << row.comment;
  }
}

TEST(MatchKeyTest, StableUnderCanonicalAndItself) {
  for (const Row& row : kMatchKeyRows) {
    const std::string key = MatchKey(row.input);
    EXPECT_EQ(MatchKey(Canonical(row.input)), key) << row.comment;
    EXPECT_EQ(MatchKey(key), key) << row.comment;
  }
}

TEST(MatchKeyTest, SpellingsOfOneNameShareAKey) {
  // Each group: spellings that a person would say are the same name.
  const std::vector<std::vector<std::string_view>> groups = {
      {"محمد\u200Cرضا", "محمد رضا", "محمدرضا", "محمـد رضا", "مُحَمَّدرضا"},
      {"علی", "علي", "على", "  علی  "},
      {"سیدمهدی کاظمی", "سید مهدی کاظمي", "سيد\u200Cمهدی كاظمی"},
      {"آزاده", "ازاده"},
  };
  for (const auto& group : groups) {
    for (std::string_view spelling : group) {
      EXPECT_EQ(MatchKey(spelling), MatchKey(group.front())) << spelling;
    }
  }
  EXPECT_NE(MatchKey("علی"), MatchKey("علا"));
}

}  // namespace
}  // namespace peyvand::persian
