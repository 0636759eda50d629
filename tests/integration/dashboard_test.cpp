// The coordinator's dashboard on a real server and database (issue 4, part 6): its figures move
// with the records, stay equal to a recount, and only coordinators see it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>

#include "integration/harness.hpp"
#include "integration/seeded_suite.hpp"

namespace peyvand::test {
namespace {

using boost::json::object;

class DashboardTest : public SeededSuite<DashboardTest> {
 protected:
  static void SetUpTestSuite() {
    SeededSuite<DashboardTest>::SetUpTestSuite();
    coordinator_ = LoginAs("governorate.coordinator");
    police_ = LoginAs("police.operator");
    county_ = Obj(http().Get("/api/v1/counties", admin_).body)
                  .at("items")
                  .as_array()[0]
                  .at("id")
                  .as_int64();
  }
  // The dashboard's figures for `query`.
  static object Dashboard(const std::string& query) {
    auto res = http().Get("/api/v1/dashboard?" + query, coordinator_);
    EXPECT_EQ(res.status, 200) << res.body;
    return Obj(res.body);
  }
  static std::int64_t Flow(const object& d, const char* k) {
    const auto& f = d.at("flow").as_object();
    return f.contains(k) ? f.at(k).as_int64() : 0;
  }
  static inline std::string coordinator_, police_;
  static inline std::int64_t county_ = 0;
};

TEST_F(DashboardTest, FiguresFollowTheRecordsAndMatchARecount) {
  // A collection made now must show up in exactly one Jalali month (this one) of the three
  // years around today, in its county, and nowhere else.
  EXPECT_EQ(Flow(Dashboard("from=1300/01&to=1300/01"), "collected"), 0) << "nothing in 1300";
  std::string found;
  std::map<std::string, std::int64_t> before;
  for (int y : {1405, 1406, 1404}) {
    for (int m = 1; m <= 12; ++m) {
      char code[16];
      std::snprintf(code, sizeof code, "%d/%02d", y, m);
      before[code] = Flow(Dashboard(std::string("from=") + code + "&to=" + code +
                                    "&county=" + std::to_string(county_)),
                          "collected");
    }
  }
  auto res = http().PostJson(
      "/api/v1/episodes",
      R"({"person":{"first_name":"بیژن","last_name":"داشبوردی","father_name":"منصور","sex":"male","birth_year":1360},"county_id":)" +
          std::to_string(county_) + "}",
      police_);
  ASSERT_EQ(res.status, 201) << res.body;
  int moved = 0;
  for (const auto& [code, n] : before) {
    auto d = Dashboard("from=" + code + "&to=" + code + "&county=" + std::to_string(county_));
    if (Flow(d, "collected") == n + 1) {
      ++moved;
      found = code;
    } else {
      EXPECT_EQ(Flow(d, "collected"), n) << code;
    }
  }
  EXPECT_EQ(moved, 1) << "the new collection counts once, in this month";
  ASSERT_FALSE(found.empty());
  std::string out;
  EXPECT_EQ(server_->RunCli("stats verify", &out), 0) << out;
  // The whole dashboard for the month answers with every part.
  auto d = Dashboard("from=" + found + "&to=" + found);
  EXPECT_GT(d.at("beds").at("capacity").as_int64(), 0);
  EXPECT_FALSE(d.at("agencies").as_array().empty());
  EXPECT_EQ(d.at("trend").as_array().size(), 12u);
  EXPECT_TRUE(d.contains("unfunded"));
}

TEST_F(DashboardTest, OnlyCoordinatorsSeeIt) {
  EXPECT_EQ(http().Get("/api/v1/dashboard", police_).status, 403);
  EXPECT_EQ(http().Get("/api/v1/dashboard", LoginAs("welfare.agency-manager")).status, 403);
  EXPECT_EQ(http().Get("/api/v1/dashboard").status, 401);
  EXPECT_EQ(http().Get("/api/v1/dashboard", coordinator_).status, 200);
}

TEST_F(DashboardTest, HtmxGetsThePanelAndBadFiltersAre400) {
  // Through a browser session: the page, and the panel alone for htmx.
  auto login = http().Request(
      "POST", "/login",
      "username=governorate.coordinator&password=" + server_->PasswordOf("governorate.coordinator"),
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  std::string cookie = login.Header("set-cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  ASSERT_FALSE(cookie.empty());
  auto page = http().Request("GET", "/dashboard", "", {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  EXPECT_NE(page.body.find("data-testid=\"dashboard\""), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  auto panel = http().Request("GET", "/dashboard?county=" + std::to_string(county_), "",
                              {{"Cookie", cookie}, {"HX-Request", "true"}});
  ASSERT_EQ(panel.status, 200);
  EXPECT_EQ(panel.body.find("<html"), std::string::npos) << "a fragment, not a page";
  EXPECT_EQ(panel.body.rfind("<div id=\"dashboard-panel\"", 0), 0u);
  // The home page of a coordinator is the dashboard.
  auto home = http().Request("GET", "/", "", {{"Cookie", cookie}});
  EXPECT_NE(home.body.find("data-testid=\"dashboard\""), std::string::npos);
  for (const char* q : {"from=1405/13", "from=1405/05&to=1405/01", "county=abc"}) {
    EXPECT_EQ(http().Get(std::string("/api/v1/dashboard?") + q, coordinator_).status, 400) << q;
  }
}

TEST_F(DashboardTest, EveryTableDownloadsAsCsvAndXlsx) {
  auto csv = http().Get("/dashboard?format=csv&table=0", coordinator_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.Header("content-disposition").find("dashboard.csv"), std::string::npos);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.body.find("جمع‌آوری,"), std::string::npos) << csv.body;
  auto xlsx = http().Get("/dashboard?format=xlsx", coordinator_);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u) << "a zip container";
  auto ranking = http().Get("/scorecards?format=csv", coordinator_);
  ASSERT_EQ(ranking.status, 200);
  auto agencies = Obj(http().Get("/api/v1/agencies", admin_).body).at("items").as_array().size();
  std::size_t lines = 0;
  for (char c : ranking.body) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, agencies + 1) << "a header and one line per agency";
  EXPECT_EQ(http().Get("/scorecards?format=xlsx", coordinator_).body.rfind("PK", 0), 0u);
  auto pub = http().Get("/transparency?format=csv");
  ASSERT_EQ(pub.status, 200);
  EXPECT_NE(pub.body.find("کل استان"), std::string::npos);
  EXPECT_EQ(http().Get("/dashboard?format=pdf", coordinator_).status, 400);
  EXPECT_EQ(http().Get("/dashboard?format=csv&table=9", coordinator_).status, 400);
  EXPECT_EQ(http().Get("/dashboard?format=xlsx", police_).status, 403) << "the same rights";
}

TEST_F(DashboardTest, PublicFiguresWithholdSmallCellsAndNeedNoSignIn) {
  EXPECT_EQ(http().Get("/api/v1/public/figures?from=1404/01&to=1405/12").status, 400)
      << "one month at a time: overlapping periods could be subtracted";
  auto res = http().Get("/api/v1/public/figures");
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Obj(res.body);
  EXPECT_EQ(body.at("min_cell").as_int64(), 5);
  const char* kinds[] = {"collected",  "screened", "admitted",
                         "discharged", "employed", "recollected_6"};
  std::map<std::string, int> withheld_in_column;
  int shown = 0, withheld = 0;
  for (const auto& c : body.at("counties").as_array()) {
    int withheld_in_row = 0;
    for (const char* k : kinds) {
      const auto& v = c.at("figures").at(k);
      if (v.is_null()) {
        ++withheld;
        ++withheld_in_row;
        ++withheld_in_column[k];
      } else {
        ++shown;
        EXPECT_GE(v.as_int64(), 5) << "a count under 5 was published";
      }
    }
    EXPECT_NE(withheld_in_row, 1) << "a single withheld cell could be derived from the row";
  }
  for (const auto& [k, n] : withheld_in_column) EXPECT_NE(n, 1) << k;
  EXPECT_GT(withheld, 0) << "the demo data has small counties";
  EXPECT_GT(shown + withheld, 0);
  for (const char* k : kinds) {
    const auto& v = body.at("province").at(k);
    if (!v.is_null()) {
      EXPECT_GE(v.as_int64(), 5);
    }
  }
  // Nothing that names a person: no names, national codes or ids of persons or episodes.
  for (const char* field : {"first_name", "national_code", "person_id", "episode_id"}) {
    EXPECT_EQ(res.body.find(field), std::string::npos) << field;
  }
  auto page = http().Get("/transparency");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-testid=\"public-table\""), std::string::npos);
  EXPECT_EQ(http().Get("/api/v1/public/figures?from=1405/13").status, 400);
}

}  // namespace
}  // namespace peyvand::test
