#include "modules/pathway/rules.hpp"

#include <gtest/gtest.h>

#include "persian/jalali.hpp"

namespace peyvand::pathway {
namespace {

std::int64_t J(int y, int m, int d) {
  return persian::DaysFromJalali({y, m, d});
}

Order Placement(std::int64_t id, std::int64_t start, int months) {
  Order o;
  o.id = id;
  o.kind = OrderKind::kPlacement;
  o.start_day = start;
  o.issued_day = start;
  o.months = months;
  o.end_day = OrderEndDay(start, months);
  return o;
}

TEST(PathwayRules, AddJalaliMonthsClampsToMonthLength) {
  struct Case {
    persian::JalaliDate from;
    int months;
    persian::JalaliDate to;
  } cases[] = {
      {{1403, 1, 5}, 2, {1403, 3, 5}},
      {{1403, 6, 31}, 1, {1403, 7, 30}},    // Shahrivar 31 → Mehr has 30 days
      {{1403, 11, 30}, 1, {1403, 12, 30}},  // 1403 is leap: Esfand has 30
      {{1404, 11, 30}, 1, {1404, 12, 29}},  // 1404 is not
      {{1403, 11, 15}, 3, {1404, 2, 15}},   // across the year
  };
  for (const auto& c : cases) {
    EXPECT_EQ(persian::JalaliFromDays(AddJalaliMonths(persian::DaysFromJalali(c.from), c.months)),
              c.to)
        << c.from.year << "/" << c.from.month << "/" << c.from.day << " +" << c.months;
  }
  EXPECT_EQ(OrderEndDay(J(1403, 1, 5), 2), J(1403, 3, 4));
}

TEST(PathwayRules, PlacementLimits) {
  OrderContext ctx{"judicial_order", {}, false, J(1403, 5, 1)};
  struct Case {
    int months;
    bool ok;
  } cases[] = {{0, false}, {1, true}, {2, true}, {3, true}, {4, false}, {-1, false}};
  for (const auto& c : cases) {
    auto d = CheckOrder({OrderKind::kPlacement, c.months, J(1403, 5, 1), {}, {}}, ctx);
    EXPECT_EQ(d.order.has_value(), c.ok) << c.months;
    if (!c.ok) {
      EXPECT_EQ(d.refusal->field, "months");
    }
  }
  auto ok = CheckOrder({OrderKind::kPlacement, 2, J(1403, 5, 1), {}, {}}, ctx);
  EXPECT_EQ(ok.order->start_day, J(1403, 5, 1));
  EXPECT_EQ(ok.order->end_day, J(1403, 6, 31));
}

TEST(PathwayRules, OrdersNeedTheRightStageAndOnlyOnePerEpisode) {
  OrderContext ctx{"screening", {}, false, J(1403, 5, 1)};
  EXPECT_EQ(CheckOrder({OrderKind::kPlacement, 2, J(1403, 5, 1), {}, {}}, ctx).refusal->field,
            "kind");
  ctx.stage = "judicial_order";
  ctx.episode_orders = {Placement(7, J(1403, 4, 1), 1)};
  EXPECT_TRUE(CheckOrder({OrderKind::kPlacement, 2, J(1403, 5, 1), {}, {}}, ctx).refusal);
  EXPECT_TRUE(CheckOrder({OrderKind::kNote2, 6, J(1403, 5, 1), {}, {}}, ctx).refusal);
}

TEST(PathwayRules, OrderDatesAreChecked) {
  OrderContext ctx{"judicial_order", {}, false, J(1403, 5, 1)};
  auto future = CheckOrder({OrderKind::kPlacement, 1, J(1403, 5, 2), {}, {}}, ctx);
  EXPECT_EQ(future.refusal->field, "issued_on");
  auto old = CheckOrder({OrderKind::kPlacement, 1, J(1403, 5, 1) - 366, {}, {}}, ctx);
  EXPECT_EQ(old.refusal->field, "issued_on");
  auto before = CheckOrder({OrderKind::kPlacement, 1, J(1403, 5, 1), J(1403, 4, 30), {}}, ctx);
  EXPECT_EQ(before.refusal->field, "start_on");
  auto late = CheckOrder({OrderKind::kPlacement, 1, J(1403, 4, 1), J(1403, 5, 1), {}}, ctx);
  EXPECT_EQ(late.refusal->field, "start_on");
}

TEST(PathwayRules, ExtensionOnceAtMostThreeMonthsBeforeTheEnd) {
  Order p = Placement(7, J(1403, 3, 1), 2);  // ends 1403/04/31
  OrderContext ctx{"treatment", {p}, false, J(1403, 4, 20)};
  auto ok = CheckOrder({OrderKind::kExtension, 3, J(1403, 4, 20), {}, 7}, ctx);
  ASSERT_TRUE(ok.order) << ok.refusal->message;
  EXPECT_EQ(ok.order->start_day, J(1403, 5, 1));
  EXPECT_EQ(ok.order->end_day, J(1403, 7, 30));
  EXPECT_EQ(CheckOrder({OrderKind::kExtension, 4, J(1403, 4, 20), {}, 7}, ctx).refusal->field,
            "months");
  EXPECT_EQ(CheckOrder({OrderKind::kExtension, 1, J(1403, 4, 20), {}, {}}, ctx).refusal->field,
            "parent_id");
  EXPECT_EQ(CheckOrder({OrderKind::kExtension, 1, J(1403, 4, 20), {}, 99}, ctx).refusal->field,
            "parent_id");
  // Issued after the placement ran out: the law gives no retroactive extension.
  ctx.today = J(1403, 5, 10);
  EXPECT_EQ(CheckOrder({OrderKind::kExtension, 1, J(1403, 5, 2), {}, 7}, ctx).refusal->field,
            "issued_on");
  // A second extension.
  Order ext = *ok.order;
  ext.id = 8;
  ctx.episode_orders.push_back(ext);
  ctx.today = J(1403, 4, 25);
  EXPECT_EQ(CheckOrder({OrderKind::kExtension, 1, J(1403, 4, 25), {}, 7}, ctx).refusal->field,
            "kind");
  EXPECT_EQ(LegalEndDay(p, ctx.episode_orders), J(1403, 7, 30));
  EXPECT_EQ(LegalEndDay(p, {p}), J(1403, 4, 31));
}

TEST(PathwayRules, Note2IsSixMonthsOncePerPerson) {
  OrderContext ctx{"judicial_order", {}, false, J(1403, 5, 1)};
  auto ok = CheckOrder({OrderKind::kNote2, 0, J(1403, 5, 1), {}, {}}, ctx);
  ASSERT_TRUE(ok.order);
  EXPECT_EQ(ok.order->months, 6);
  EXPECT_EQ(ok.order->end_day, J(1403, 10, 30));
  EXPECT_EQ(CheckOrder({OrderKind::kNote2, 3, J(1403, 5, 1), {}, {}}, ctx).refusal->field,
            "months");
  ctx.person_had_note2 = true;
  auto again = CheckOrder({OrderKind::kNote2, 6, J(1403, 5, 1), {}, {}}, ctx);
  ASSERT_TRUE(again.refusal);
  EXPECT_NE(again.refusal->message.find("یک بار"), std::string::npos);
}

TEST(PathwayRules, ReferralStateMachine) {
  struct Case {
    const char* from;
    const char* action;
    const char* to;  // nullptr: not allowed
  } cases[] = {
      {"pending", "accept", "accepted"}, {"pending", "reject", "rejected"},
      {"pending", "revoke", "revoked"},  {"pending", "complete", nullptr},
      {"accepted", "complete", "done"},  {"accepted", "revoke", "revoked"},
      {"accepted", "accept", nullptr},   {"accepted", "reject", nullptr},
      {"rejected", "accept", nullptr},   {"done", "revoke", nullptr},
      {"revoked", "accept", nullptr},    {"pending", "delete", nullptr},
  };
  for (const auto& c : cases) {
    auto next = NextReferralStatus(c.from, c.action);
    if (c.to) {
      ASSERT_TRUE(next) << c.from << " " << c.action;
      EXPECT_EQ(*next, c.to);
    } else {
      EXPECT_FALSE(next) << c.from << " " << c.action;
    }
  }
}

TEST(PathwayRules, BucketsFollowTheIranCalendarDay) {
  // 2024-03-20 20:00 UTC is 23:30 in Tehran; 21:00 UTC is already the next day.
  std::int64_t now = (persian::DaysFromCivil({2024, 3, 20}) * 86400 + 20 * 3600) * 1000LL;
  EXPECT_EQ(BucketOf(now - 1, now), Bucket::kOverdue);
  EXPECT_EQ(BucketOf(now + 20 * 60 * 1000, now), Bucket::kDueToday);
  EXPECT_EQ(BucketOf(now + 40 * 60 * 1000, now), Bucket::kLater);
  auto [start, end] = IranDayBounds(now);
  EXPECT_EQ(end - start, kDayMillis);
  EXPECT_EQ(end, now + 30 * 60 * 1000);
}

TEST(PathwayRules, AftercareAtOneThreeSixMonthsFromTheProgramme) {
  Programme prog;
  prog.clocks = {{"aftercare_1", "", 24, "", "", "", "", 1}};
  auto due = AftercareSchedule(1000, prog);
  ASSERT_EQ(due.size(), 4u);
  EXPECT_EQ(due[0].clock, "aftercare_1");
  EXPECT_EQ(due[0].due_at, 1000 + 24 * kHourMillis);    // configured
  EXPECT_EQ(due[1].due_at, 1000 + 2160 * kHourMillis);  // default
  EXPECT_EQ(due[3].clock, "employment");
}

TEST(PathwayRules, SuggestionsSameCountyFirstThenMostVacancy) {
  auto f = [](std::int64_t id, std::int64_t county, int cap_m, int occ_m, int cap_f) {
    Facility x;
    x.id = id;
    x.county_id = county;
    x.capacity_male = cap_m;
    x.occupied_male = occ_m;
    x.capacity_female = cap_f;
    return x;
  };
  std::vector<Facility> all = {f(1, 2, 10, 10, 5), f(2, 2, 10, 9, 0), f(3, 1, 50, 10, 0),
                               f(4, 1, 30, 0, 0), f(5, 2, 40, 1, 0)};
  all[3].active = false;
  auto men = SuggestFacilities(all, "male", 2);
  ASSERT_EQ(men.size(), 3u);
  EXPECT_EQ(men[0].id, 5);  // same county, 39 free
  EXPECT_EQ(men[1].id, 2);  // same county, 1 free
  EXPECT_EQ(men[2].id, 3);  // elsewhere
  auto women = SuggestFacilities(all, "female", 1);
  ASSERT_EQ(women.size(), 1u);
  EXPECT_EQ(women[0].id, 1);
}

TEST(PathwayRules, ProgrammeTransitionsAreData) {
  Programme prog;
  prog.transitions = {{"collection", "screening"}, {"screening", "closed"}};
  EXPECT_TRUE(prog.Allows("collection", "screening"));
  EXPECT_FALSE(prog.Allows("collection", "treatment"));
  EXPECT_FALSE(prog.Allows("screening", "collection"));
  EXPECT_EQ(prog.Hours("missing", 5), 5);
}

TEST(PathwayRules, ServiceKinds) {
  EXPECT_TRUE(IsServiceKind("methadone"));
  EXPECT_TRUE(IsMedicalService("hiv_hcv"));
  EXPECT_FALSE(IsMedicalService("training"));
  EXPECT_FALSE(IsServiceKind("torture"));
  EXPECT_TRUE(IsKnownPart("medical"));
  EXPECT_FALSE(IsKnownPart("everything"));
}

}  // namespace
}  // namespace peyvand::pathway
