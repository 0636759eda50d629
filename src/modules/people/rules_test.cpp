#include "modules/people/rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace peyvand::people {
namespace {

Identity Man(std::string first, std::string last, std::string father, std::optional<int> year,
             std::optional<std::string> code = std::nullopt) {
  Identity id;
  id.first_name = std::move(first);
  id.last_name = std::move(last);
  id.father_name = std::move(father);
  id.birth_year = year;
  id.national_code = std::move(code);
  id.sex = Sex::kMale;
  return id;
}

TEST(PeopleRulesTest, SkeletonJoinsSpellingVariants) {
  struct Case {
    std::string a, b;  // two spellings
    bool same;         // same skeleton?
  };
  const Case cases[] = {
      {"اسماعیل", "اسمعیل", true},   {"موسوی", "موسوي", true},  // Arabic yeh
      {"محمدرضا", "محمد رضا", true},                            // lost ZWNJ / space
      {"علی", "علي", true},          {"کریمی", "كريمي", true},  // Arabic kaf and yeh
      {"حسین", "حسن", true},  // different names can share a skeleton: it only finds candidates
      {"رضایی", "رضائی", true},      {"احمدی", "محمدی", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Skeleton(c.a) == Skeleton(c.b), c.same) << c.a << " / " << c.b;
  }
  EXPECT_EQ(Skeleton(""), "");
}

TEST(PeopleRulesTest, BoundedEditDistanceCountsCodePoints) {
  EXPECT_EQ(BoundedEditDistance("احمدی", "احمدی", 2), 0);
  EXPECT_EQ(BoundedEditDistance("احمدی", "اخمدی", 2), 1);  // one letter (2 bytes each)
  EXPECT_EQ(BoundedEditDistance("احمدی", "احمد", 2), 1);
  EXPECT_EQ(BoundedEditDistance("abc", "xyz", 1), 2);  // capped at cap + 1
  EXPECT_EQ(BoundedEditDistance("a", "abcdef", 2), 3);
}

TEST(PeopleRulesTest, ScoresTable) {
  const Identity base = Man("محمدرضا", "کریمی", "حسین", 1365, "0499370899");
  struct Case {
    const char* why;  // what differs
    Identity other;   // compared with base
    MatchBand band;   // expected band with default thresholds (50 / 80)
  };
  Identity female = Man("محمدرضا", "کریمی", "حسین", 1365);
  female.sex = Sex::kFemale;
  Identity alias = Man("ممد", "کریمی", "حسین", 1366);
  alias.aliases = {"محمدرضا"};
  const Case cases[] = {
      {"same national code and names", Man("محمدرضا", "کریمی", "حسین", 1365, "0499370899"),
       MatchBand::kStrong},
      {"same code, names spelled in Arabic letters",
       Man("محمد رضا", "كريمي", "حسين", 1366, "0499370899"), MatchBand::kStrong},
      {"no code, Arabic letters, no ZWNJ, same father and year",
       Man("محمد رضا", "كريمي", "حسين", 1365), MatchBand::kReview},
      {"no code, a typo in the last name, year off by one", Man("محمدرضا", "کریمى", "حسین", 1366),
       MatchBand::kReview},
      {"no code, same names but 20 years apart", Man("محمدرضا", "کریمی", "حسین", 1345),
       MatchBand::kNone},
      {"different valid national codes", Man("محمدرضا", "کریمی", "حسین", 1365, "0013542419"),
       MatchBand::kNone},
      {"different sex", female, MatchBand::kNone},
      {"only the last name agrees", Man("علی", "کریمی", "احمد", 1380), MatchBand::kNone},
      {"first name through an alias", alias, MatchBand::kReview},
  };
  for (const auto& c : cases) {
    auto s = Score(base, c.other);
    EXPECT_EQ(Band(s.score, {}), c.band) << c.why << " (score " << s.score << ")";
    // Symmetric: the order of the two records does not matter.
    EXPECT_EQ(Score(c.other, base).score, s.score) << c.why;
    // Explainable: one reason per compared field.
    EXPECT_EQ(s.reasons.size(), 6u) << c.why;
  }
}

TEST(PeopleRulesTest, ReasonsNameTheEvidence) {
  auto s = Score(Man("علی", "رضایی", "محمد", 1370), Man("علي", "رضای", "محمد", 1371));
  auto find = [&](const std::string& field) {
    return *std::find_if(s.reasons.begin(), s.reasons.end(),
                         [&](const Reason& r) { return r.field == field; });
  };
  EXPECT_EQ(find("first_name").result, "same");
  EXPECT_EQ(find("last_name").result, "similar");
  EXPECT_EQ(find("father_name").result, "same");
  EXPECT_EQ(find("birth_year").result, "similar");
  EXPECT_EQ(find("national_code").result, "missing");
  int sum = 0;
  for (const auto& r : s.reasons) sum += r.points;
  EXPECT_EQ(std::clamp(sum, 0, 100), s.score);
}

TEST(PeopleRulesTest, BlockingKeysSurviveOneBadName) {
  Identity a = Man("محمدرضا", "کریمی", "حسین", 1365);
  // Each variant changes one of the three names beyond its skeleton; a key must still be shared.
  const Identity variants[] = {
      Man("رضا", "کريمي", "حسين", 1365),       // first name differs
      Man("محمد رضا", "رحیمی", "حسين", 1365),  // last name differs
      Man("محمدرضا", "كريمى", "حسن", 1365),    // father's name differs
  };
  auto ka = BlockingKeys(a);
  for (const auto& v : variants) {
    auto kv = BlockingKeys(v);
    bool shared = std::any_of(ka.begin(), ka.end(), [&](const std::string& k) {
      return std::find(kv.begin(), kv.end(), k) != kv.end();
    });
    EXPECT_TRUE(shared) << v.first_name << " " << v.last_name << " " << v.father_name;
  }
  // Unrelated people share none.
  auto kx = BlockingKeys(Man("زهرا", "احمدی", "علی", 1370));
  for (const auto& k : kx) EXPECT_EQ(std::find(ka.begin(), ka.end(), k), ka.end()) << k;
  // The national code is a key of its own.
  auto kc = BlockingKeys(Man("", "", "", std::nullopt, "0499370899"));
  ASSERT_EQ(kc.size(), 1u);
  EXPECT_EQ(kc[0], "nc:0499370899");
}

}  // namespace
}  // namespace peyvand::people
