#include "modules/people/rules.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "persian/normalize.hpp"
#include "persian/utf8.hpp"

namespace peyvand::people {
namespace {

// Points per field. Agreement on a rare, reliable field counts for more than
// on a common one; disagreement on sex or a valid national code is strong
// evidence of two different people. Clamped to 0–100 at the end.
constexpr int kNationalCodeSame = 60;
constexpr int kNationalCodeDifferent = -50;
constexpr int kNameSame = 15;      // each of first and last name
constexpr int kNameSimilar = 9;    // one typo, or same skeleton
constexpr int kNameViaAlias = 14;  // a name matches the other's alias: recorded evidence
constexpr int kFatherSame = 12;
constexpr int kFatherSimilar = 6;
constexpr int kBirthYearSame = 12;
constexpr int kBirthYearNear = 7;   // within ±2 years
constexpr int kBirthYearFar = -15;  // more than 5 years apart
constexpr int kSexSame = 3;
constexpr int kSexDifferent = -40;
constexpr int kNameSimilarMaxEdits = 1;

std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t pos = 0; pos < s.size();) out.push_back(persian::DecodeNext(s, pos));
  return out;
}

enum class Agreement { kMissing, kSame, kSimilar, kDifferent };

Agreement CompareNames(const std::string& a, const std::string& b) {
  std::string ka = persian::MatchKey(a);
  std::string kb = persian::MatchKey(b);
  if (ka.empty() || kb.empty()) return Agreement::kMissing;
  if (ka == kb) return Agreement::kSame;
  if (BoundedEditDistance(ka, kb, kNameSimilarMaxEdits) <= kNameSimilarMaxEdits)
    return Agreement::kSimilar;
  std::string sa = Skeleton(a);
  if (!sa.empty() && sa == Skeleton(b)) return Agreement::kSimilar;
  return Agreement::kDifferent;
}

const char* Word(Agreement a) {
  switch (a) {
    case Agreement::kSame: return "same";
    case Agreement::kSimilar: return "similar";
    case Agreement::kDifferent: return "different";
    case Agreement::kMissing: return "missing";
  }
  return "missing";
}

bool MatchesAlias(const std::string& name, const Identity& other) {
  std::string key = persian::MatchKey(name);
  if (key.empty()) return false;
  return std::any_of(other.aliases.begin(), other.aliases.end(),
                     [&](const std::string& alias) { return persian::MatchKey(alias) == key; });
}

}  // namespace

std::string Skeleton(std::string_view name) {
  static const std::set<char32_t> kDropped = {U'ا', U'آ', U'و', U'ی', U'ه', U'ء', U'أ', U'ؤ', U'ئ'};
  std::string key = persian::MatchKey(name);
  std::string out;
  for (char32_t cp : CodePoints(key)) {
    if (kDropped.count(cp)) continue;
    persian::AppendUtf8(out, cp);
  }
  return out;
}

int BoundedEditDistance(std::string_view a, std::string_view b, int cap) {
  auto x = CodePoints(a);
  auto y = CodePoints(b);
  int n = static_cast<int>(x.size());
  int m = static_cast<int>(y.size());
  if (std::abs(n - m) > cap) return cap + 1;
  std::vector<int> prev(static_cast<std::size_t>(m) + 1), cur(static_cast<std::size_t>(m) + 1);
  for (int j = 0; j <= m; ++j) prev[static_cast<std::size_t>(j)] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      auto ju = static_cast<std::size_t>(j);
      int cost = x[static_cast<std::size_t>(i - 1)] == y[ju - 1] ? 0 : 1;
      cur[ju] = std::min({prev[ju] + 1, cur[ju - 1] + 1, prev[ju - 1] + cost});
      row_min = std::min(row_min, cur[ju]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[static_cast<std::size_t>(m)], cap + 1);
}

std::vector<std::string> BlockingKeys(const Identity& id) {
  std::set<std::string> keys;
  if (id.national_code) keys.insert("nc:" + *id.national_code);
  std::string last = Skeleton(id.last_name);
  std::string first = Skeleton(id.first_name);
  std::string father = Skeleton(id.father_name);
  // Two names out of three must survive as skeletons: a typo or a variant in
  // any single name still leaves one shared key.
  auto pair = [&](const char* tag, const std::string& x, const std::string& y) {
    if (x.empty() || y.empty()) return;
    std::string key = tag;
    key.append(x).append("|").append(y);
    keys.insert(std::move(key));
  };
  pair("lf:", last, first);
  pair("la:", last, father);
  pair("fa:", first, father);
  for (const auto& alias : id.aliases) pair("al:", last, Skeleton(alias));
  return {keys.begin(), keys.end()};
}

MatchScore Score(const Identity& a, const Identity& b) {
  MatchScore s;
  auto add = [&](const char* field, const char* result, int points) {
    s.reasons.push_back({field, result, points});
    s.score += points;
  };
  if (a.national_code && b.national_code) {
    bool same = *a.national_code == *b.national_code;
    add("national_code", same ? "same" : "different",
        same ? kNationalCodeSame : kNationalCodeDifferent);
  } else {
    add("national_code", "missing", 0);
  }
  struct NamePair {
    const char* field;
    const std::string* x;
    const std::string* y;
  };
  for (auto [field, x, y] : {NamePair{"first_name", &a.first_name, &b.first_name},
                             NamePair{"last_name", &a.last_name, &b.last_name}}) {
    Agreement g = CompareNames(*x, *y);
    int points = g == Agreement::kSame ? kNameSame : g == Agreement::kSimilar ? kNameSimilar : 0;
    if (g == Agreement::kDifferent && (MatchesAlias(*x, b) || MatchesAlias(*y, a))) {
      add(field, "alias", kNameViaAlias);
      continue;
    }
    add(field, Word(g), points);
  }
  Agreement father = CompareNames(a.father_name, b.father_name);
  add("father_name", Word(father),
      father == Agreement::kSame      ? kFatherSame
      : father == Agreement::kSimilar ? kFatherSimilar
                                      : 0);
  if (a.birth_year && b.birth_year) {
    int d = std::abs(*a.birth_year - *b.birth_year);
    if (d == 0) {
      add("birth_year", "same", kBirthYearSame);
    } else if (d <= 2) {
      add("birth_year", "similar", kBirthYearNear);
    } else if (d > 5) {
      add("birth_year", "different", kBirthYearFar);
    } else {
      add("birth_year", "different", 0);
    }
  } else {
    add("birth_year", "missing", 0);
  }
  if (a.sex != Sex::kUnknown && b.sex != Sex::kUnknown) {
    bool same = a.sex == b.sex;
    add("sex", same ? "same" : "different", same ? kSexSame : kSexDifferent);
  } else {
    add("sex", "missing", 0);
  }
  s.score = std::clamp(s.score, 0, 100);
  return s;
}

const char* SexCode(Sex s) {
  switch (s) {
    case Sex::kMale: return "male";
    case Sex::kFemale: return "female";
    case Sex::kUnknown: return "unknown";
  }
  return "unknown";
}

std::optional<Sex> SexFromCode(std::string_view code) {
  if (code == "male") return Sex::kMale;
  if (code == "female") return Sex::kFemale;
  if (code == "unknown") return Sex::kUnknown;
  return std::nullopt;
}

MatchBand Band(int score, const Thresholds& t) {
  if (score >= t.strong) return MatchBand::kStrong;
  if (score >= t.review) return MatchBand::kReview;
  return MatchBand::kNone;
}

}  // namespace peyvand::people
