// The pathway end to end through the API, on a real server and database:
// each agency acts from its own account and sees only what its duty needs.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <ctime>
#include <map>

#include "integration/harness.hpp"
#include "integration/seeded_suite.hpp"

namespace peyvand::test {
namespace {

using boost::json::object;

class PathwayTest : public SeededSuite<PathwayTest> {
 protected:
  static void SetUpTestSuite() {
    SeededSuite<PathwayTest>::SetUpTestSuite();
    auto agencies = Obj(http().Get("/api/v1/agencies", admin_).body);
    for (auto& a : agencies.at("items").as_array()) {
      agencies_[std::string(a.at("code").as_string())] = a.at("id").as_int64();
    }
    county_ = Obj(http().Get("/api/v1/counties", admin_).body)
                  .at("items")
                  .as_array()[0]
                  .at("id")
                  .as_int64();
  }
  static std::string Id(std::int64_t v) { return std::to_string(v); }
  // An ISO date `n` days before today (UTC; the margins in the tests absorb
  // the difference to Iran's calendar day).
  static std::string DaysAgo(int n) {
    std::time_t t = std::time(nullptr) - static_cast<std::time_t>(n) * 86400;
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
    return buf;
  }
  static std::string Token(const std::string& user) {
    auto it = tokens_.find(user);
    if (it != tokens_.end()) return it->second;
    return tokens_[user] = LoginAs(user);
  }
  static std::int64_t Facility(const std::string& code, int male, int female) {
    auto res = http().PostJson("/api/v1/facilities",
                               R"({"code":")" + code + R"(","name":"مرکز )" + code +
                                   R"(","kind":"treatment_centre","agency_id":)" +
                                   Id(agencies_["welfare"]) + R"(,"county_id":)" + Id(county_) +
                                   R"(,"capacity_male":)" + std::to_string(male) +
                                   R"(,"capacity_female":)" + std::to_string(female) + "}",
                               admin_);
    EXPECT_EQ(res.status, 201) << res.body;
    return Obj(res.body).at("id").as_int64();
  }
  // Police collect a new person; returns {episode, person}.
  static std::pair<std::int64_t, std::int64_t> Collect(const std::string& person_json,
                                                       const std::string& extra = "") {
    auto res = http().PostJson("/api/v1/episodes",
                               R"({"person":)" + person_json + R"(,"county_id":)" + Id(county_) +
                                   R"(,"place":"میدان شهدا")" + extra + "}",
                               Token("police.operator"));
    EXPECT_EQ(res.status, 201) << res.body;
    auto o = Obj(res.body);
    return {o.at("id").as_int64(), o.at("person_id").as_int64()};
  }
  // Collection → screening (admit_art16) → placement order; returns the order id.
  static std::int64_t ToAdmission(std::int64_t episode) {
    std::string e = Id(episode);
    EXPECT_EQ(http()
                  .PostJson("/api/v1/episodes/" + e + "/transfer", "{}", Token("police.operator"))
                  .status,
              204);
    auto screened = http().PostJson("/api/v1/episodes/" + e + "/screening",
                                    R"({"outcome":"admit_art16"})", Token("welfare.operator"));
    EXPECT_EQ(screened.status, 204) << screened.body;
    auto order = http().PostJson("/api/v1/episodes/" + e + "/orders",
                                 R"({"kind":"placement","months":2,"reference":"۱۲۳/ک"})",
                                 Token("judiciary.operator"));
    EXPECT_EQ(order.status, 201) << order.body;
    return order.status == 201 ? Obj(order.body).at("id").as_int64() : 0;
  }
  static std::int64_t Count(const std::string& audit_query) {
    return Obj(http().Get("/api/v1/audit?" + audit_query, admin_).body)
        .at("paging")
        .at("total")
        .as_int64();
  }
  static object Inbox(const std::string& user, const std::string& query = "") {
    auto res = http().Get("/api/v1/inbox" + query, Token(user));
    EXPECT_EQ(res.status, 200) << res.body;
    return Obj(res.body);
  }

  static inline std::map<std::string, std::int64_t> agencies_;
  static inline std::map<std::string, std::string> tokens_;
  static inline std::int64_t county_ = 0;
};

TEST_F(PathwayTest, ProgrammeIsDataWithLegalLimits) {
  auto prog = Obj(http().Get("/api/v1/programme", Token("welfare.operator")).body);
  EXPECT_EQ(prog.at("stages").as_array().size(), 8u);
  EXPECT_EQ(prog.at("screening_outcomes").as_array().size(), 9u);
  EXPECT_EQ(prog.at("legal_limits").at("note2_months").as_int64(), 6);
  // Only the system admin changes clocks; the change is audited.
  EXPECT_EQ(http()
                .Request("PUT", "/api/v1/programme/clocks/screening", R"({"hours":48})",
                         {{"Authorization", "Bearer " + Token("welfare.agency-manager")},
                          {"Content-Type", "application/json"}})
                .status,
            403);
  auto bad =
      http().Request("PUT", "/api/v1/programme/clocks/screening", R"({"hours":0})",
                     {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}});
  EXPECT_EQ(bad.status, 400);
  auto ok =
      http().Request("PUT", "/api/v1/programme/clocks/referral", R"({"hours":96})",
                     {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}});
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(Count("action=programme.clock_update&record_id=referral"), 1);
  EXPECT_EQ(
      http()
          .Request("PUT", "/api/v1/programme/clocks/nope", R"({"hours":5})",
                   {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}})
          .status,
      404);
}

TEST_F(PathwayTest, WholeStoryEachAgencyFromItsQueue) {
  std::int64_t centre = Facility("story-centre", 20, 0);
  auto [episode, person] = Collect(
      R"({"first_name":"بهرام","last_name":"نوروزی","father_name":"قاسم","sex":"male","birth_year":1360,)"
      R"("national_code":"0084575948"})");
  std::string e = Id(episode), pid = Id(person);
  // Police hold the transfer duty; welfare cannot see him yet, and the attempt is audited.
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, Token("police.operator")).status, 200);
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, Token("welfare.operator")).status, 404);
  EXPECT_EQ(Count("action=access.denied&record_type=person&record_id=" + pid), 1);
  EXPECT_EQ(
      http().PostJson("/api/v1/episodes/" + e + "/transfer", "{}", Token("police.operator")).status,
      204);
  // Welfare's queue now holds the screening; the police no longer see him.
  auto inbox = Inbox("welfare.operator", "?view=new&kind=screening");
  EXPECT_GE(inbox.at("counts").at("new").as_int64(), 1);
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, Token("welfare.operator")).status, 200);
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, Token("police.operator")).status, 404);
  EXPECT_EQ(http()
                .PostJson("/api/v1/episodes/" + e + "/screening", R"({"outcome":"admit_art16"})",
                          Token("welfare.operator"))
                .status,
            204);
  // The prosecutor: four months is more than Article 16 allows.
  auto too_long =
      http().PostJson("/api/v1/episodes/" + e + "/orders", R"({"kind":"placement","months":4})",
                      Token("judiciary.operator"));
  EXPECT_EQ(too_long.status, 422);
  EXPECT_EQ(Obj(too_long.body).at("error").at("code").as_string(), "refused");
  auto order = http().PostJson("/api/v1/episodes/" + e + "/orders",
                               R"({"kind":"placement","months":2,"reference":"۱۴۰۳/۲۲"})",
                               Token("judiciary.operator"));
  ASSERT_EQ(order.status, 201) << order.body;
  std::int64_t order_id = Obj(order.body).at("id").as_int64();
  // Welfare: suggestions list the centre with a free bed in his county first.
  auto sugg =
      Obj(http()
              .Get("/api/v1/episodes/" + e + "/placement-suggestions", Token("welfare.operator"))
              .body);
  ASSERT_FALSE(sugg.at("items").as_array().empty());
  EXPECT_EQ(sugg.at("items").as_array()[0].at("county_id").as_int64(), county_);
  auto admit = http().PostJson("/api/v1/episodes/" + e + "/admission",
                               R"({"facility_id":)" + Id(centre) + "}", Token("welfare.operator"));
  ASSERT_EQ(admit.status, 201) << admit.body;
  std::int64_t stay = Obj(admit.body).at("id").as_int64();
  auto fac = Obj(http().Get("/api/v1/facilities", Token("welfare.operator")).body);
  for (auto& f : fac.at("items").as_array()) {
    if (f.at("id").as_int64() == centre) {
      EXPECT_EQ(f.at("occupied").at("male").as_int64(), 1);
    }
  }
  // One extension of at most three months, only once.
  auto ext = http().PostJson("/api/v1/episodes/" + e + "/orders",
                             R"({"kind":"extension","months":3,"parent_id":)" + Id(order_id) + "}",
                             Token("judiciary.operator"));
  EXPECT_EQ(ext.status, 201) << ext.body;
  auto ext2 = http().PostJson("/api/v1/episodes/" + e + "/orders",
                              R"({"kind":"extension","months":1,"parent_id":)" + Id(order_id) + "}",
                              Token("judiciary.operator"));
  EXPECT_EQ(ext2.status, 422);
  // Welfare refers him to vocational training, sharing the pathway and services only.
  auto ref = http().PostJson(
      "/api/v1/episodes/" + e + "/referrals",
      R"({"to_agency":)" + Id(agencies_["tvto"]) +
          R"(,"purpose":"دورهٔ مهارت‌آموزی جوشکاری","basis":"consent","shared":["pathway","service"]})",
      Token("welfare.operator"));
  ASSERT_EQ(ref.status, 201) << ref.body;
  std::string rid = Id(Obj(ref.body).at("id").as_int64());
  auto tv_inbox = Inbox("tvto.operator", "?view=new");
  EXPECT_GE(tv_inbox.at("counts").at("new").as_int64(), 1);
  // The receiving agency sees the timeline but not the orders it was not given.
  auto tv_view = Obj(http().Get("/api/v1/episodes/" + e, Token("tvto.operator")).body);
  EXPECT_TRUE(tv_view.at("orders").as_array().empty());
  EXPECT_FALSE(tv_view.at("timeline").as_array().empty());
  // Rejecting needs a reason; another agency cannot act on it at all.
  EXPECT_EQ(
      http().PostJson("/api/v1/referrals/" + rid + "/reject", "{}", Token("tvto.operator")).status,
      400);
  EXPECT_EQ(http()
                .PostJson("/api/v1/referrals/" + rid + "/accept", "{}", Token("labour.operator"))
                .status,
            404);
  EXPECT_EQ(
      http().PostJson("/api/v1/referrals/" + rid + "/accept", "{}", Token("tvto.operator")).status,
      200);
  EXPECT_EQ(
      http()
          .PostJson("/api/v1/episodes/" + e + "/services",
                    R"({"kind":"training","note":"دورهٔ ۸۰ ساعته جوشکاری"})", Token("tvto.operator"))
          .status,
      204);
  EXPECT_EQ(http()
                .PostJson("/api/v1/referrals/" + rid + "/complete", "{}", Token("tvto.operator"))
                .status,
            400);
  EXPECT_EQ(http()
                .PostJson("/api/v1/referrals/" + rid + "/complete",
                          R"({"outcome":"دوره گذرانده شد"})", Token("tvto.operator"))
                .status,
            200);
  // Done: vocational training no longer sees him.
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, Token("tvto.operator")).status, 404);
  // Health records methadone; welfare sees that it happened, not what it was.
  EXPECT_EQ(http()
                .PostJson("/api/v1/episodes/" + e + "/services",
                          R"({"kind":"methadone","note":"۴۰ میلی‌گرم"})",
                          Token("health.operator"))
                .status,
            404);  // no duty towards him yet
  // Discharge: after-care contacts fall due at 1, 3, 6 months; employment goes to labour.
  EXPECT_EQ(http()
                .PostJson("/api/v1/stays/" + Id(stay) + "/discharge", R"({"reason":"پایان دوره"})",
                          Token("welfare.operator"))
                .status,
            204);
  auto view = Obj(http().Get("/api/v1/episodes/" + e, Token("welfare.operator")).body);
  EXPECT_EQ(view.at("episode").at("stage").as_string(), "aftercare");
  int aftercare = 0;
  std::int64_t employment_task = 0;
  std::vector<std::int64_t> contacts;
  for (auto& t : view.at("tasks").as_array()) {
    std::string kind(t.at("kind").as_string());
    if (kind.rfind("aftercare_", 0) == 0) {
      ++aftercare;
      contacts.push_back(t.at("id").as_int64());
    }
    if (kind == "employment") employment_task = t.at("id").as_int64();
  }
  EXPECT_EQ(aftercare, 3);
  ASSERT_NE(employment_task, 0);
  EXPECT_EQ(http()
                .PostJson("/api/v1/episodes/" + e + "/services",
                          R"({"kind":"job","note":"کارگاه نجاری"})", Token("labour.operator"))
                .status,
            204);
  for (auto id : contacts) {
    EXPECT_EQ(http()
                  .PostJson("/api/v1/tasks/" + Id(id) + "/complete",
                            R"({"outcome":"تماس تلفنی؛ پاک است"})", Token("welfare.operator"))
                  .status,
              204);
  }
  // All duties done: the episode closes; the coordinator sees the whole timeline.
  auto done = Obj(http().Get("/api/v1/episodes/" + e, Token("governorate.coordinator")).body);
  EXPECT_EQ(done.at("episode").at("status").as_string(), "closed");
  EXPECT_GE(done.at("timeline").as_array().size(), 12u);
  EXPECT_EQ(done.at("orders").as_array().size(), 2u);
  EXPECT_GE(Count("action=episode.read&record_id=" + e), 1);

  // The coordinator sees him in the reduced form: names, not identifiers.
  auto reduced = Obj(http().Get("/api/v1/persons/" + pid, Token("governorate.coordinator")).body);
  EXPECT_EQ(reduced.at("first_name").as_string(), "بهرام");
  EXPECT_TRUE(reduced.at("national_code").is_null());

  // He is collected again: the same person, a new episode that knows the past.
  auto again = http().PostJson("/api/v1/episodes",
                               R"({"person_id":)" + pid + R"(,"county_id":)" + Id(county_) + "}",
                               Token("police.operator"));
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Obj(again.body).at("prior_episodes").as_int64(), 1);
  EXPECT_EQ(Obj(again.body).at("person_id").as_int64(), person);
}

TEST_F(PathwayTest, Note2OncePerPersonAndOrdersNeedTheJudiciary) {
  auto [first, person] = Collect(
      R"({"first_name":"کاوه","last_name":"شاهرخی","father_name":"جمشید","sex":"male","birth_year":1358})");
  std::string e = Id(first);
  http().PostJson("/api/v1/episodes/" + e + "/transfer", "{}", Token("police.operator"));
  http().PostJson("/api/v1/episodes/" + e + "/screening", R"({"outcome":"admit_note2"})",
                  Token("welfare.operator"));
  // Between screening and the order welfare has no duty towards him.
  EXPECT_EQ(http()
                .PostJson("/api/v1/episodes/" + e + "/orders", R"({"kind":"note2"})",
                          Token("welfare.operator"))
                .status,
            404);
  EXPECT_EQ(http()
                .PostJson("/api/v1/episodes/" + e + "/orders", R"({"kind":"note2","months":3})",
                          Token("judiciary.operator"))
                .status,
            422);
  auto note2 = http().PostJson("/api/v1/episodes/" + e + "/orders", R"({"kind":"note2"})",
                               Token("judiciary.operator"));
  ASSERT_EQ(note2.status, 201) << note2.body;
  EXPECT_EQ(Obj(note2.body).at("months").as_int64(), 6);
  // Welfare now holds the admission, but orders are still the judiciary's.
  EXPECT_EQ(http()
                .PostJson("/api/v1/episodes/" + e + "/orders", R"({"kind":"placement","months":1})",
                          Token("welfare.operator"))
                .status,
            403);
  // Re-collected before admission: the open episode closes, the new one starts over.
  auto again = http().PostJson(
      "/api/v1/episodes", R"({"person_id":)" + Id(person) + R"(,"county_id":)" + Id(county_) + "}",
      Token("police.operator"));
  ASSERT_EQ(again.status, 201);
  std::string e2 = Id(Obj(again.body).at("id").as_int64());
  http().PostJson("/api/v1/episodes/" + e2 + "/transfer", "{}", Token("police.operator"));
  http().PostJson("/api/v1/episodes/" + e2 + "/screening", R"({"outcome":"admit_note2"})",
                  Token("welfare.operator"));
  auto second = http().PostJson("/api/v1/episodes/" + e2 + "/orders", R"({"kind":"note2"})",
                                Token("judiciary.operator"));
  EXPECT_EQ(second.status, 422);
  EXPECT_NE(Obj(second.body).at("error").at("message").as_string().find("یک بار"),
            std::string::npos);
  auto old = Obj(http().Get("/api/v1/episodes/" + e, Token("governorate.coordinator")).body);
  EXPECT_EQ(old.at("episode").at("close_reason").as_string(), "re_collected");
}

TEST_F(PathwayTest, FullFacilityRefusedUnlessOverriddenAndAudited) {
  std::int64_t small = Facility("one-bed", 1, 0);
  auto [e1, p1] = Collect(R"({"first_name":"منصور","last_name":"پاکزاد","sex":"male"})");
  auto [e2, p2] = Collect(R"({"first_name":"فرهاد","last_name":"سلیمانیان","sex":"male"})");
  ToAdmission(e1);
  ToAdmission(e2);
  std::string body = R"({"facility_id":)" + Id(small) + "}";
  EXPECT_EQ(
      http()
          .PostJson("/api/v1/episodes/" + Id(e1) + "/admission", body, Token("welfare.operator"))
          .status,
      201);
  auto full =
      http().PostJson("/api/v1/episodes/" + Id(e2) + "/admission", body, Token("welfare.operator"));
  EXPECT_EQ(full.status, 409);
  EXPECT_TRUE(Obj(full.body).at("error").at("fields").as_object().contains("override_reason"));
  // A facility of another agency cannot admit him.
  auto other = http().PostJson("/api/v1/episodes/" + Id(e2) + "/admission", body,
                               Token("municipality.operator"));
  EXPECT_EQ(other.status, 404);
  auto forced = http().PostJson(
      "/api/v1/episodes/" + Id(e2) + "/admission",
      R"({"facility_id":)" + Id(small) +
          R"(,"override_reason":"دستور مستقیم دادستان؛ مرکز دیگری در شهرستان نیست"})",
      Token("welfare.operator"));
  EXPECT_EQ(forced.status, 201) << forced.body;
  EXPECT_EQ(Count("action=stay.admit_over_capacity"), 1);
  // Capacity cannot drop under the people inside.
  EXPECT_EQ(
      http().PatchJson("/api/v1/facilities/" + Id(small), R"({"capacity_male":0})", admin_).status,
      409);
}

TEST_F(PathwayTest, StaysPastTheirLegalEndAreListed) {
  auto [episode, person] = Collect(R"({"first_name":"سیاوش","last_name":"کهنمویی","sex":"male"})");
  std::string e = Id(episode);
  std::int64_t centre = Facility("late-centre", 5, 0);
  http().PostJson("/api/v1/episodes/" + e + "/transfer", "{}", Token("police.operator"));
  http().PostJson("/api/v1/episodes/" + e + "/screening", R"({"outcome":"admit_art16"})",
                  Token("welfare.operator"));
  // An order issued 45 days ago for one month, recorded late; admitted 20 days ago.
  auto order =
      http().PostJson("/api/v1/episodes/" + e + "/orders",
                      R"({"kind":"placement","months":1,"issued_on":")" + DaysAgo(45) + R"("})",
                      Token("judiciary.operator"));
  ASSERT_EQ(order.status, 201) << order.body;
  // Admission after the order ran out is refused.
  auto late = http().PostJson(
      "/api/v1/episodes/" + e + "/admission",
      R"({"facility_id":)" + Id(centre) + R"(,"admitted_on":")" + DaysAgo(1) + R"("})",
      Token("welfare.operator"));
  EXPECT_EQ(late.status, 422) << late.body;
  auto admit = http().PostJson(
      "/api/v1/episodes/" + e + "/admission",
      R"({"facility_id":)" + Id(centre) + R"(,"admitted_on":")" + DaysAgo(20) + R"("})",
      Token("welfare.operator"));
  ASSERT_EQ(admit.status, 201) << admit.body;
  std::int64_t stay = Obj(admit.body).at("id").as_int64();
  EXPECT_GT(Obj(admit.body).at("days_past_legal_end").as_int64(), 10);
  auto listed = [&](const std::string& user) {
    auto res = http().Get("/api/v1/stays/overdue?per_page=100", Token(user));
    EXPECT_EQ(res.status, 200) << res.body;
    auto list = Obj(res.body);
    for (auto& s : list.at("items").as_array())
      if (s.at("id").as_int64() == stay) return true;
    return false;
  };
  EXPECT_TRUE(listed("governorate.coordinator"));
  EXPECT_TRUE(listed("judiciary.operator"));
  EXPECT_TRUE(listed("welfare.operator"));        // runs the centre
  EXPECT_FALSE(listed("municipality.operator"));  // does not
  // The facility's stay-end duty is overdue in welfare's queue.
  auto overdue = Inbox("welfare.operator", "?view=overdue&kind=stay_end&per_page=100");
  bool found = false;
  for (auto& t : overdue.at("items").as_array())
    found = found || t.at("episode_id").as_int64() == episode;
  EXPECT_TRUE(found);
  (void)person;
}

TEST_F(PathwayTest, BreakTheGlassIsLoggedAndExpires) {
  auto [e, person] = Collect(R"({"first_name":"نادر","last_name":"گلشیری","sex":"male"})");
  std::string pid = Id(person);
  std::string health = Token("health.operator");
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, health).status, 404);
  EXPECT_EQ(
      http()
          .PostJson("/api/v1/persons/" + pid + "/break-glass", R"({"reason":"کوتاه"})", health)
          .status,
      400);
  EXPECT_EQ(http()
                .PostJson("/api/v1/persons/" + pid + "/break-glass",
                          R"({"reason":"بیمار بیهوش در اورژانس؛ نیاز به سابقهٔ درمان"})", health)
                .status,
            204);
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, health).status, 200);
  EXPECT_EQ(http().Get("/api/v1/episodes/" + Id(e), health).status, 200);
  EXPECT_EQ(Count("action=person.break_glass&record_id=" + pid), 1);
  // The grant is the user's, not the agency's.
  EXPECT_EQ(http().Get("/api/v1/persons/" + pid, Token("health.agency-manager")).status, 404);
  EXPECT_EQ(http()
                .PostJson("/api/v1/persons/999999/break-glass",
                          R"({"reason":"بیمار بیهوش در اورژانس؛ نیاز به سابقه"})", health)
                .status,
            404);
}

TEST_F(PathwayTest, ComplaintsGoToTheJudiciaryWithATrackingCode) {
  auto filed = http().PostJson(
      "/api/v1/complaints",
      R"({"complainant":"مادر مددجو","relation":"family","contact":"۰۹۱۵۰۰۰۰۰۰۰",)"
      R"("body":"پسرم بیش از مهلت دستور در مرکز نگه داشته شده و اجازهٔ ملاقات نمی‌دهند."})");
  ASSERT_EQ(filed.status, 201) << filed.body;
  std::string code(Obj(filed.body).at("tracking_code").as_string());
  EXPECT_EQ(code.size(), 10u);
  auto track = Obj(http().Get("/api/v1/complaints/track/" + code).body);
  EXPECT_EQ(track.at("status").as_string(), "received");
  EXPECT_FALSE(track.contains("body"));
  EXPECT_EQ(http().Get("/api/v1/complaints/track/0000000000").status, 404);
  EXPECT_EQ(http()
                .PostJson("/api/v1/complaints",
                          R"({"complainant":"x","relation":"family","body":"کوتاه"})")
                .status,
            400);
  // Only the judiciary handles them; others get 403 and are audited.
  EXPECT_EQ(http().Get("/api/v1/complaints", Token("welfare.operator")).status, 403);
  auto list =
      Obj(http().Get("/api/v1/complaints?status=received", Token("judiciary.operator")).body);
  ASSERT_GE(list.at("items").as_array().size(), 1u);
  std::string id = Id(list.at("items").as_array()[0].at("id").as_int64());
  EXPECT_GE(Inbox("judiciary.operator", "?kind=complaint").at("counts").at("open").as_int64(), 1);
  EXPECT_EQ(http()
                .PostJson("/api/v1/complaints/" + id + "/status", R"({"status":"resolved"})",
                          Token("judiciary.operator"))
                .status,
            400);
  EXPECT_EQ(http()
                .PostJson("/api/v1/complaints/" + id + "/status",
                          R"({"status":"resolved","resolution":"بازرسی انجام شد؛ فرد ترخیص شد."})",
                          Token("judiciary.operator"))
                .status,
            200);
  EXPECT_EQ(Obj(http().Get("/api/v1/complaints/track/" + code).body).at("status").as_string(),
            "resolved");
}

TEST_F(PathwayTest, BadInputIsRefusedAndChangesNothing) {
  std::string police = Token("police.operator");
  struct Case {
    std::string path, body, field;
  } cases[] = {
      {"/api/v1/episodes", R"({"county_id":1})", "person_id"},
      {"/api/v1/episodes", R"({"person_id":1,"county_id":1,"collected_on":"1403/13/01"})",
       "collected_on"},
      {"/api/v1/episodes",
       R"({"person":{"first_name":"x","last_name":"y","national_code":"1111111111"},"county_id":1})",
       "national_code"},
      {"/api/v1/episodes", R"({"person_id":1,"county_id":999999})", "county_id"},
  };
  auto before = Inbox("police.operator", "?view=open").at("counts").at("open").as_int64();
  for (const auto& c : cases) {
    auto res = http().PostJson(c.path, c.body, police);
    EXPECT_EQ(res.status, 400) << c.body << " → " << res.body;
    if (res.status == 400) {
      EXPECT_TRUE(Obj(res.body).at("error").at("fields").as_object().contains(c.field)) << res.body;
    }
  }
  EXPECT_EQ(http().PostJson("/api/v1/episodes", "{not json", police).status, 400);
  EXPECT_EQ(http().PostJson("/api/v1/episodes/999999/transfer", "{}", police).status, 404);
  EXPECT_EQ(http().Get("/api/v1/inbox?view=everything", police).status, 400);
  EXPECT_EQ(
      http().PostJson("/api/v1/episodes/1/screening", R"({"outcome":"shoot"})", police).status,
      400);
  EXPECT_EQ(Inbox("police.operator", "?view=open").at("counts").at("open").as_int64(), before);
  // A researcher or an auditor does no pathway work.
  EXPECT_EQ(http()
                .PostJson("/api/v1/episodes", R"({"person_id":1,"county_id":1})",
                          Token("welfare.researcher"))
                .status,
            403);
}

TEST_F(PathwayTest, FacilitiesPageCreatesAndAgencyManagersOnlyTheirOwn) {
  auto session = [&](const std::string& user) {
    auto login = http().Request("POST", "/login",
                                "username=" + user + "&password=" + server_->PasswordOf(user),
                                {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(login.status, 303);
    std::string cookie = login.Header("set-cookie").substr(0, login.Header("set-cookie").find(';'));
    auto page = http().Request("GET", "/facilities", "", {{"Cookie", cookie}});
    const std::string needle = "name=\"_csrf\" value=\"";
    auto begin = page.body.find(needle) + needle.size();
    return std::make_pair(cookie, page.body.substr(begin, page.body.find('"', begin) - begin));
  };
  auto post = [&](const std::pair<std::string, std::string>& s, const std::string& path,
                  const std::string& fields) {
    return http().Request("POST", path, "_csrf=" + s.second + "&" + fields,
                          {{"Cookie", s.first}, {"Content-Type", "application/x-www-form-urlencoded"}});
  };
  std::string place = "&agency_id=" + Id(agencies_["municipality"]) + "&county_id=" + Id(county_);
  // Capacity typed in Persian digits (۱۵).
  auto manager = session("municipality.agency-manager");
  auto created = post(manager, "/facilities",
                      "name=%DA%AF%D8%B1%D9%85%D8%AE%D8%A7%D9%86%D9%87&code=page-shelter&kind=shelter"
                      "&capacity_male=%DB%B1%DB%B5&capacity_female=0" + place);
  ASSERT_EQ(created.status, 303) << created.body;
  auto list = Obj(http().Get("/api/v1/facilities", admin_).body);
  std::int64_t id = 0;
  for (auto& f : list.at("items").as_array()) {
    if (f.at("code").as_string() == "page-shelter") {
      id = f.at("id").as_int64();
      EXPECT_EQ(f.at("capacity").at("male").as_int64(), 15);
    }
  }
  ASSERT_NE(id, 0);
  // A bad code is refused with the form again; another agency's manager cannot touch it.
  EXPECT_EQ(post(manager, "/facilities", "name=x&code=NOT+OK&kind=shelter" + place).status, 400);
  auto other = session("welfare.agency-manager");
  EXPECT_EQ(post(other, "/facilities/" + Id(id), "capacity_male=1&active=1").status, 403);
  EXPECT_EQ(post(other, "/facilities", "name=x&code=not-mine&kind=shelter" + place).status, 403);
}

}  // namespace
}  // namespace peyvand::test
