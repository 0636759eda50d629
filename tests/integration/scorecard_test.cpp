// Scorecards and the duties catalogue on a real server and database (issue 4, parts 1 and 2):
// the figures agree with the tasks behind them, stay exact as tasks change, and each role sees
// only what it may.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "integration/harness.hpp"
#include "integration/seeded_suite.hpp"

namespace peyvand::test {
namespace {

using boost::json::object;

class ScorecardTest : public SeededSuite<ScorecardTest> {
 protected:
  static void SetUpTestSuite() {
    SeededSuite<ScorecardTest>::SetUpTestSuite();
    coordinator_ = LoginAs("governorate.coordinator");
    ASSERT_FALSE(coordinator_.empty());
  }
  static std::int64_t Int(const object& o, const char* k) { return o.at(k).as_int64(); }
  // A wide period that holds the demo data's due times (a year back to a year ahead).
  static std::string Wide() { return "from=" + Month(-12) + "&to=" + Month(12); }
  // The Jalali month `delta` months from now, as 1405/08 (approximate: 30-day months).
  static std::string Month(int delta) {
    // The server computes "now" itself; the test reads it from a default scorecard's period.
    auto body = Obj(http().Get("/api/v1/scorecards", coordinator_).body);
    return MonthOf(std::string(body.at("period").at("to").as_string()), delta);
  }
  // The Jalali month near an ISO date, moved by `delta` months.
  static std::string MonthOf(const std::string& iso, int delta) {
    int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2));
    // Gregorian → a Jalali year/month close enough for a wide window.
    int jy = y - 621, jm = m + 9;
    if (jm > 12) jm -= 12;
    if (m <= 3) jy -= 1;
    int total = jy * 12 + (jm - 1) + delta;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d/%02d", total / 12, total % 12 + 1);
    return buf;
  }
  static inline std::string coordinator_;
};

TEST_F(ScorecardTest, AggregatesMatchTheTasksAndTheDrillDown) {
  std::string out;
  ASSERT_EQ(server_->RunCli("stats verify", &out), 0) << out;
  auto res = http().Get("/api/v1/scorecards?" + Wide(), coordinator_);
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Obj(res.body);
  std::int64_t due = 0, overdue = 0, judged_agencies = 0;
  for (const auto& a : body.at("agencies").as_array()) {
    const auto& o = a.as_object();
    EXPECT_EQ(Int(o, "due"),
              Int(o, "open") + Int(o, "on_time") + Int(o, "late") + Int(o, "closed"));
    EXPECT_LE(Int(o, "overdue"), Int(o, "open"));
    due += Int(o, "due");
    overdue += Int(o, "overdue");
    if (o.at("rank").as_int64() > 0) ++judged_agencies;
    // Every figure reaches the tasks behind it: the drill-down counts the same.
    for (const char* status : {"overdue", "late", "on_time"}) {
      if (Int(o, status) == 0) continue;
      auto tasks = http().Get("/api/v1/scorecards/tasks?" + Wide() + "&agency=" +
                                  std::to_string(Int(o, "agency_id")) + "&status=" + status,
                              coordinator_);
      ASSERT_EQ(tasks.status, 200) << tasks.body;
      EXPECT_EQ(Obj(tasks.body).at("total").as_int64(), Int(o, status))
          << status << " of agency " << Int(o, "agency_id");
    }
  }
  EXPECT_GT(due, 0) << "the demo data has tasks due in the window";
  EXPECT_GT(judged_agencies, 0);
  EXPECT_EQ(Int(body.at("total").as_object(), "due"), due);
  EXPECT_EQ(Int(body.at("total").as_object(), "overdue"), overdue);
  // Ranks are 1, 2, … in order, best first.
  std::int64_t expect = 1;
  for (const auto& a : body.at("agencies").as_array()) {
    auto rank = a.at("rank").as_int64();
    if (rank == 0) continue;
    EXPECT_EQ(rank, expect++);
  }
}

TEST_F(ScorecardTest, CompletingATaskMovesItFromOverdueToLate) {
  // An overdue after-care contact in welfare's queue, done now: late +1, overdue −1.
  std::string welfare = LoginAs("welfare.operator");
  auto inbox = Obj(http().Get("/api/v1/inbox?view=overdue&kind=aftercare_1", welfare).body);
  auto items = inbox.at("items").as_array();
  if (items.empty()) GTEST_SKIP() << "no overdue after-care contact in the demo data";
  std::int64_t task = items[0].at("id").as_int64();
  std::int64_t agency = items[0].at("agency_id").as_int64();
  std::string due(items[0].at("due_at").as_string());
  std::string window = "from=" + MonthOf(due, -2) + "&to=" + MonthOf(due, 2);
  auto card = [&] {
    auto r = http().Get("/api/v1/scorecards/agencies/" + std::to_string(agency) + "?" + window,
                        coordinator_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Obj(r.body).at("card").as_object();
  };
  auto before = card();
  auto done = http().PostJson("/api/v1/tasks/" + std::to_string(task) + "/complete",
                              R"({"outcome":"تماس تلفنی؛ در حال کار"})", welfare);
  ASSERT_EQ(done.status / 100, 2) << done.body;
  auto after = card();
  EXPECT_EQ(Int(after, "late"), Int(before, "late") + 1);
  EXPECT_EQ(Int(after, "overdue"), Int(before, "overdue") - 1);
  EXPECT_EQ(Int(after, "due"), Int(before, "due"));
  std::string out;
  EXPECT_EQ(server_->RunCli("stats verify", &out), 0) << out;
}

TEST_F(ScorecardTest, EachRoleSeesWhatItMay) {
  std::string police = LoginAs("police.operator");
  EXPECT_EQ(http().Get("/api/v1/scorecards", police).status, 403) << "operators see no ranking";
  auto agencies = Obj(http().Get("/api/v1/agencies", admin_).body);
  std::int64_t police_id = 0, welfare_id = 0;
  for (const auto& a : agencies.at("items").as_array()) {
    if (a.at("code").as_string() == "police") police_id = a.at("id").as_int64();
    if (a.at("code").as_string() == "welfare") welfare_id = a.at("id").as_int64();
  }
  EXPECT_EQ(http().Get("/api/v1/scorecards/agencies/" + std::to_string(police_id), police).status,
            200)
      << "an agency's own card";
  EXPECT_EQ(http().Get("/api/v1/scorecards/agencies/" + std::to_string(welfare_id), police).status,
            403);
  EXPECT_EQ(
      http()
          .Get("/api/v1/scorecards/tasks?agency=" + std::to_string(welfare_id) + "&status=overdue",
               police)
          .status,
      403);
  auto denied = Obj(http()
                        .Get("/api/v1/audit?action=access.denied&record_type=scorecard",
                             LoginAs("judiciary.auditor"))
                        .body);
  EXPECT_GE(denied.at("paging").at("total").as_int64(), 2) << "denials are audited";
  EXPECT_EQ(http().Get("/api/v1/scorecards", LoginAs("welfare.agency-manager")).status, 200);
  EXPECT_EQ(http().Get("/api/v1/scorecards").status, 401);
}

TEST_F(ScorecardTest, BadPeriodsAreRefusedInPersian) {
  struct Row {
    const char* query;  // the filter as typed
    const char* field;  // the field named in the error
  };
  const Row rows[] = {{"from=1405/13", "from"},
                      {"from=1405/08&to=1405/02", "to"},
                      {"from=abc", "from"},
                      {"to=1405-99", "to"},
                      {"from=1400/01&to=1405/12", "from"}};
  for (const auto& r : rows) {
    auto res = http().Get(std::string("/api/v1/scorecards?") + r.query, coordinator_);
    EXPECT_EQ(res.status, 400) << r.query << " " << res.body;
    EXPECT_NE(res.body.find(r.field), std::string::npos) << r.query << " " << res.body;
  }
  EXPECT_EQ(http().Get("/api/v1/scorecards?county=x", coordinator_).status, 400);
  EXPECT_EQ(http().Get("/api/v1/scorecards/tasks?agency=1&status=lost", coordinator_).status, 400);
  EXPECT_EQ(http().Get("/api/v1/scorecards/agencies/999999", coordinator_).status, 404);
}

TEST_F(ScorecardTest, DutiesAreVersionedAndNewTasksUseTheNewClock) {
  auto before = Obj(http().Get("/api/v1/duties", coordinator_).body);
  const object* screening = nullptr;
  for (const auto& d : before.at("items").as_array()) {
    if (d.at("code").as_string() == "screening") screening = &d.as_object();
  }
  ASSERT_NE(screening, nullptr);
  EXPECT_EQ(Int(*screening, "hours"), 72);
  EXPECT_FALSE(screening->at("law").as_string().empty()) << "the legal basis is recorded";
  EXPECT_FALSE(screening->at("lead").as_array().empty());
  std::int64_t version = Int(*screening, "version");
  // Only the system admin changes a clock; the change is a new version, the old one stays.
  auto refused = http().Request(
      "PUT", "/api/v1/programme/clocks/screening", R"({"hours":48})",
      {{"Authorization", "Bearer " + coordinator_}, {"Content-Type", "application/json"}});
  EXPECT_EQ(refused.status, 403);
  auto changed =
      http().Request("PUT", "/api/v1/programme/clocks/screening", R"({"hours":48})",
                     {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}});
  ASSERT_EQ(changed.status / 100, 2) << changed.body;
  auto after = Obj(http().Get("/api/v1/duties", coordinator_).body);
  for (const auto& d : after.at("items").as_array()) {
    if (d.at("code").as_string() != "screening") continue;
    EXPECT_EQ(Int(d.as_object(), "hours"), 48);
    EXPECT_EQ(Int(d.as_object(), "version"), version + 1);
    const auto& versions = d.at("versions").as_array();
    ASSERT_GE(versions.size(), 2u);
    EXPECT_EQ(versions[0].at("hours").as_int64(), 48) << "newest first";
    EXPECT_EQ(versions[1].at("hours").as_int64(), 72) << "the history stays";
  }
  // Put it back for the other tests.
  http().Request("PUT", "/api/v1/programme/clocks/screening", R"({"hours":72})",
                 {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}});
}

}  // namespace
}  // namespace peyvand::test
