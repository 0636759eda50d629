#include "app/synthetic.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "modules/pathway/rules.hpp"
#include "modules/people/rules.hpp"
#include "persian/national_code.hpp"
#include "persian/normalize.hpp"

namespace peyvand::app::synthetic {
namespace {

constexpr std::int64_t kNow = 1'732'000'000'000;  // 2024-11-19, UTC ms

TEST(Synthetic, RngIsReproducibleAndInRange) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    auto x = a.Uniform(-3, 7);
    EXPECT_EQ(x, b.Uniform(-3, 7));
    EXPECT_GE(x, -3);
    EXPECT_LE(x, 7);
    double r = c.Real();
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 1.0);
    differs |= x != c.Uniform(-3, 7);
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(a.Uniform(5, 5), 5);
  EXPECT_EQ(a.Uniform(5, 4), 5);
}

TEST(Synthetic, NationalCodesAreValidAndDistinct) {
  std::set<std::string> seen;
  for (std::uint64_t n = 0; n < 100'000; ++n) {
    std::string code = NationalCodeFor(n);
    if (code.empty()) continue;  // ten equal digits: never valid
    ASSERT_TRUE(persian::IsValidNationalCode(code)) << n << " → " << code;
    ASSERT_TRUE(seen.insert(code).second) << "repeated: " << code;
  }
  EXPECT_GT(seen.size(), 99'990u);
}

TEST(Synthetic, SpellingsSurviveCanonicalFormsAsDocumented) {
  // name, how it is typed, stored text equal to the original's?, match key equal?
  struct Case {
    const char* name;
    Spelling how;
    bool same_canonical;
    bool same_match_key;
  } cases[] = {
      {"محمد\u200Cرضا", Spelling::kAsIs, true, true},
      {"کریمی", Spelling::kArabicLetters, true, true},          // ي and ك become ی and ک
      {"حسین\u200Cزاده", Spelling::kNoZwnj, false, true},       // حسینزاده
      {"حسین\u200Cزاده", Spelling::kZwnjAsSpace, false, true},  // حسین زاده
      {"اسماعیل", Spelling::kTypo, false, false},
  };
  Rng rng(1);
  for (const auto& c : cases) {
    std::string typed = Respell(c.name, c.how, rng);
    EXPECT_EQ(persian::Canonical(typed) == persian::Canonical(c.name), c.same_canonical)
        << c.name << " " << static_cast<int>(c.how) << " → " << typed;
    EXPECT_EQ(persian::MatchKey(typed) == persian::MatchKey(c.name), c.same_match_key)
        << c.name << " → " << typed;
  }
  EXPECT_NE(Respell("کریمی", Spelling::kArabicLetters, rng).find("\u064A"), std::string::npos);
}

TEST(Synthetic, TyposStayCloseToTheName) {
  Rng rng(7);
  const char* names[] = {"اسماعیل", "غلام\u200Cحسین", "قاسمی", "زارعی", "علی"};
  for (const char* name : names) {
    for (int i = 0; i < 200; ++i) {
      std::string typo = Respell(name, Spelling::kTypo, rng);
      EXPECT_LE(people::BoundedEditDistance(typo, name, 2), 2) << name << " → " << typo;
      EXPECT_EQ(persian::Canonical(typo), typo) << "typos are well-formed text: " << typo;
    }
  }
}

pathway::Programme StreetUsers() {
  pathway::Programme p;
  const char* stages[][2] = {{"collection", "police"},        {"screening", "welfare"},
                             {"judicial_order", "judiciary"}, {"admission", "welfare"},
                             {"treatment", "welfare"},        {"aftercare", "welfare"},
                             {"employment", "labour"},        {"closed", "welfare"}};
  int seq = 0;
  for (const auto& s : stages) p.stages.push_back({s[0], ++seq, s[0], s[1], ""});
  const char* admit[] = {"admit_art16", "admit_note2"};
  const char* closed[] = {"exclude_wound",   "exclude_infectious", "exclude_psychiatric",
                          "exclude_age",     "refer_hospital",     "not_user",
                          "foreign_national"};
  for (const char* c : admit) p.outcomes.push_back({c, c, "judicial_order"});
  for (const char* c : closed) p.outcomes.push_back({c, c, "closed"});
  return p;
}

World SmallProvince(std::int64_t persons) {
  World w;
  w.now = kNow;
  w.programme = StreetUsers();
  std::int64_t id = 1;
  for (const char* code : {"police", "welfare", "judiciary", "health", "labour", "tvto", "relief",
                           "municipality", "prisons"}) {
    w.parties[code] = {id, 100 + id};
    ++id;
  }
  w.counties = {{1, "مشهد"}, {2, "نیشابور"}, {3, "کلات"}};
  auto centre = [&](std::int64_t id, const char* kind, const char* agency, std::int64_t county,
                    int male, int female, int occupied_male) {
    pathway::Facility f;
    f.id = id;
    f.name = "مرکز " + std::to_string(id);
    f.kind = kind;
    f.agency_id = w.parties[agency].agency;
    f.county_id = county;
    f.capacity_male = male;
    f.capacity_female = female;
    f.occupied_male = occupied_male;
    w.facilities.push_back({f, w.parties[agency].user});
  };
  centre(11, "treatment_centre", "welfare", 1, 60, 0, 0);
  centre(12, "treatment_centre", "welfare", 1, 0, 12, 0);
  centre(13, "shelter", "municipality", 2, 25, 5, 3);
  w.next = {1000, 2000, 3000, 4000};
  w.planned_persons = persons;
  return w;
}

// Everything a run produced, and what follows from it.
struct Run {
  std::vector<Batch> batches;
  World world_after;
  Tally tally;
};

Run Generate(std::int64_t persons, std::uint64_t seed) {
  Generator gen(SmallProvince(persons), seed);
  Run run;
  for (std::int64_t done = 0; done < persons; done += 500) {
    run.batches.push_back(gen.Next(static_cast<int>(std::min<std::int64_t>(500, persons - done))));
    run.tally.Add(run.batches.back().tally);
  }
  run.world_after = gen.world();
  return run;
}

bool IsOpen(const TaskRow& t) {
  return std::string_view(t.state) == "new" || std::string_view(t.state) == "open";
}

TEST(Synthetic, HistoriesKeepThePathwayInvariants) {
  auto run = Generate(2000, kDefaultSeed);
  World before = SmallProvince(2000);
  std::map<std::int64_t, int> open_tasks;  // episode → open tasks
  std::map<std::int64_t, const pathway::Order*> orders;
  std::map<std::int64_t, int> note2_of_person, extensions_of;
  std::vector<std::array<int, 2>> open_beds(before.facilities.size());
  for (const auto& b : run.batches) {
    for (const auto& t : b.tasks) open_tasks[t.episode_id] += IsOpen(t) ? 1 : 0;
    for (const auto& [o, user] : b.orders) {
      orders[o.id] = &o;
      if (o.kind == pathway::OrderKind::kNote2) note2_of_person[o.person_id]++;
      if (o.kind == pathway::OrderKind::kExtension) extensions_of[*o.parent_id]++;
      int max = o.kind == pathway::OrderKind::kNote2 ? pathway::kNote2Months : 3;
      EXPECT_TRUE(o.months >= 1 && o.months <= max) << o.id;
      EXPECT_EQ(o.end_day, pathway::OrderEndDay(o.start_day, o.months));
    }
    for (const auto& e : b.episodes) {
      EXPECT_EQ(e.open, open_tasks[e.id] > 0) << "episode " << e.id << " at " << e.stage;
      EXPECT_EQ(e.open, std::string_view(e.stage) != "closed");
    }
  }
  for (const auto& [person, n] : note2_of_person) EXPECT_EQ(n, 1) << "person " << person;
  for (const auto& [order, n] : extensions_of) {
    EXPECT_EQ(n, 1) << "placement " << order;
    EXPECT_EQ(orders.at(order)->kind, pathway::OrderKind::kPlacement);
  }
  for (const auto& b : run.batches) {
    for (const auto& row : b.stays) {
      const auto& s = row.stay;
      const pathway::Order* basis = orders.at(s.order_id);
      EXPECT_NE(basis->kind, pathway::OrderKind::kExtension);
      EXPECT_EQ(basis->episode_id, s.episode_id);
      EXPECT_TRUE(s.admitted_day >= basis->start_day && s.admitted_day <= basis->end_day);
      EXPECT_EQ(s.facility_id, before.facilities[row.facility].facility.id);
      EXPECT_EQ(s.sex, row.sex == kFemale ? "female" : "male");
      if (!s.discharged_day) open_beds[row.facility][static_cast<std::size_t>(row.sex)]++;
    }
  }
  // Counters move exactly with the open stays.
  for (std::size_t f = 0; f < before.facilities.size(); ++f) {
    for (std::size_t s = 0; s < 2; ++s) {
      int taken = 0;
      for (const auto& b : run.batches) taken += b.beds_taken[f][s];
      EXPECT_EQ(taken, open_beds[f][s]) << f << "/" << s;
      int sex = static_cast<int>(s);
      EXPECT_EQ(Occupied(run.world_after.facilities[f].facility, sex),
                Occupied(before.facilities[f].facility, sex) + taken);
    }
  }
}

TEST(Synthetic, RecordsAreStoredAsTheServiceStoresThem) {
  auto run = Generate(2000, 11);
  std::set<std::string> codes;
  for (const auto& b : run.batches) {
    std::map<std::int64_t, std::set<std::string>> keys;
    for (const auto& k : b.keys) keys[k.person_id].insert(k.key);
    for (const auto& p : b.persons) {
      const auto& id = p.identity;
      for (const auto* name : {&id.first_name, &id.last_name, &id.father_name}) {
        EXPECT_EQ(persian::Canonical(*name), *name);
      }
      EXPECT_EQ(p.first_key, persian::MatchKey(id.first_name));
      EXPECT_EQ(p.last_key, persian::MatchKey(id.last_name));
      auto blocking = people::BlockingKeys(id);
      EXPECT_EQ(keys[p.id], std::set<std::string>(blocking.begin(), blocking.end()));
      if (id.birth_year) {
        EXPECT_TRUE(*id.birth_year >= 1340 && *id.birth_year <= 1385) << *id.birth_year;
      }
      if (id.national_code) {
        EXPECT_TRUE(persian::IsValidNationalCode(*id.national_code));
        EXPECT_EQ(p.nationality, "IR");
        EXPECT_TRUE(codes.insert(*id.national_code).second);
      }
    }
  }
}

TEST(Synthetic, EventsOfAnEpisodeAreInTimeOrder) {
  auto run = Generate(500, 3);
  for (const auto& b : run.batches) {
    for (std::size_t i = 1; i < b.events.size(); ++i) {
      if (b.events[i].episode_id != b.events[i - 1].episode_id) continue;
      EXPECT_GE(b.events[i].at, b.events[i - 1].at) << "episode " << b.events[i].episode_id;
    }
  }
}

TEST(Synthetic, ProportionsAreRealistic) {
  auto run = Generate(3000, kDefaultSeed);
  const Tally& t = run.tally;
  double records = static_cast<double>(t.persons);
  // share, low, high
  struct Case {
    const char* what;
    double share;
    double low;
    double high;
  } cases[] = {
      {"with a national code", static_cast<double>(t.with_code) / records, 0.58, 0.75},
      {"second records", static_cast<double>(t.duplicates) / records, 0.01, 0.08},
      {"episodes per person", static_cast<double>(t.episodes) / 3000, 1.8, 3.2},
      {"admitted per episode", static_cast<double>(t.admitted) / static_cast<double>(t.episodes),
       0.4, 0.65},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(c.share >= c.low && c.share <= c.high) << c.what << ": " << c.share;
  }
  EXPECT_GT(t.open_pairs, 0);
  EXPECT_GT(t.past_legal_end, 0);
  EXPECT_GT(t.overdue_tasks, 0);
  EXPECT_GT(t.outcomes.at("foreign_national"), 0);
  for (const char* kind : {"transfer", "screening", "order", "admission", "stay_end", "aftercare_1",
                           "aftercare_3", "aftercare_6", "employment"}) {
    EXPECT_GT(t.open_tasks.count(kind) ? t.open_tasks.at(kind) : 0, 0) << kind;
  }
}

TEST(Synthetic, SameSeedSameData) {
  auto a = Generate(300, 99);
  auto b = Generate(300, 99);
  auto c = Generate(300, 100);
  ASSERT_EQ(a.batches[0].persons.size(), b.batches[0].persons.size());
  for (std::size_t i = 0; i < a.batches[0].persons.size(); ++i) {
    EXPECT_EQ(a.batches[0].persons[i].identity.last_name,
              b.batches[0].persons[i].identity.last_name);
  }
  EXPECT_EQ(a.tally.rows, b.tally.rows);
  EXPECT_NE(a.tally.rows, c.tally.rows);
}

TEST(Synthetic, IdsContinueFromTheWorld) {
  auto run = Generate(600, 5);
  std::int64_t person = 1000, episode = 2000;
  for (const auto& b : run.batches) {
    EXPECT_EQ(b.first.person, person);
    for (const auto& p : b.persons) EXPECT_EQ(p.id, person++);
    for (const auto& e : b.episodes) EXPECT_EQ(e.id, episode++);
  }
}

}  // namespace
}  // namespace peyvand::app::synthetic
