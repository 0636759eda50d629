// The coordinator's dashboard on a real server and database (issue 4, part 6): its figures move
// with the records, stay equal to a recount, and only coordinators see it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>

#include "integration/harness.hpp"
#include "integration/seeded_suite.hpp"
#include "persian/digits.hpp"
#include "report/pdf_text.hpp"

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
  // The coordinator's browser session: its cookie ("peyvand_session=…").
  static std::string BrowserCookie() {
    auto login = http().Request("POST", "/login",
                                "username=governorate.coordinator&password=" +
                                    server_->PasswordOf("governorate.coordinator"),
                                {{"Content-Type", "application/x-www-form-urlencoded"}});
    std::string cookie = login.Header("set-cookie");
    return cookie.substr(0, cookie.find(';'));
  }
  // POSTs the report form with a bearer token, follows the progress until the PDF is there,
  // and returns the PDF; "" (with a test failure) if it is never made.
  static std::string Report(const std::string& form, const std::string& token) {
    auto res = http().Request("POST", "/dashboard/report", form,
                              {{"Authorization", "Bearer " + token},
                               {"Content-Type", "application/x-www-form-urlencoded"}});
    if (res.status == 200) {
      EXPECT_EQ(res.Header("content-type"), "application/pdf");
      return res.body;
    }
    EXPECT_EQ(res.status, 202) << res.body;
    std::string refresh = res.Header("refresh");  // "1; url=/dashboard/report/<id>"
    auto at = refresh.find("url=");
    if (at == std::string::npos) {
      ADD_FAILURE() << "no Refresh header on the progress page";
      return "";
    }
    std::string id = refresh.substr(refresh.rfind('/') + 1);
    for (int i = 0; i < 120; ++i) {
      auto job = Obj(http().Get("/api/v1/dashboard/report/" + id + "?wait_ms=1000", token).body);
      std::string state(job.at("state").as_string());
      EXPECT_LE(job.at("done").as_int64(), job.at("total").as_int64());
      if (state == "done")
        return http().Get(std::string(job.at("pdf_url").as_string()), token).body;
      if (state == "failed") {
        ADD_FAILURE() << res.body;
        return "";
      }
    }
    ADD_FAILURE() << "the report was never made";
    return "";
  }
  // The text of the non-empty line after the line holding `label`, as pdftotext reads each
  // table cell as a line of its own.
  static std::string After(const std::string& text, const std::string& label) {
    auto at = text.find(label);
    if (at == std::string::npos) return "(no " + label + ")";
    auto line = text.find('\n', at);
    while (line != std::string::npos && line + 1 < text.size() && text[line + 1] == '\n') ++line;
    if (line == std::string::npos) return "";
    auto end = text.find('\n', line + 1);
    return text.substr(line + 1, end == std::string::npos ? std::string::npos : end - line - 1);
  }
  // pdftotext does not write the zero-width non-joiner.
  static std::string NoZwnj(std::string s) {
    for (auto at = s.find("\u200C"); at != std::string::npos; at = s.find("\u200C")) s.erase(at, 3);
    return s;
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
  std::string cookie = BrowserCookie();
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

TEST_F(DashboardTest, MonthlyReportPdfHoldsTheMonthsFigures) {
  // The default month of both is the last whole one.
  auto d = Dashboard("");
  auto agencies = Obj(http().Get("/api/v1/agencies", admin_).body).at("items").as_array();
  std::string pdf = Report("month=&wait=0", coordinator_);
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u) << pdf.substr(0, 200);
  std::string text = report::PdfText(pdf);
  EXPECT_NE(text.find("گزارش ماهانهٔ هماهنگی به شورای استان"), std::string::npos) << text;
  EXPECT_NE(text.find("استان خراسان رضوی"), std::string::npos);
  auto fa = [](std::int64_t n) { return persian::FormatNumber(n); };
  const auto& flow = d.at("flow").as_object();
  auto n = [&](const char* k) { return flow.contains(k) ? flow.at(k).as_int64() : 0; };
  // The summary on the title page: one figure per line after its label.
  EXPECT_EQ(After(text, NoZwnj("جمع‌آوری")), fa(n("collected"))) << text;
  EXPECT_EQ(After(text, "غربالگری"), fa(n("screened")));
  EXPECT_EQ(After(text, "پذیرش در مرکز"), fa(n("admitted")));
  EXPECT_EQ(After(text, "اشتغال"), fa(n("employed")));
  EXPECT_EQ(After(text, NoZwnj("جمع‌آوری دوباره در کمتر از ۶ ماه")),
            fa(n("recollected_6")));
  EXPECT_EQ(After(text, NoZwnj("جمع‌آوری دوباره در کمتر از ۱۲ ماه")),
            fa(n("recollected_12")));
  EXPECT_EQ(After(text, "نگهداری بیش از مهلت قانونی (اکنون)"),
            fa(d.at("stays_past_legal_end").as_int64()));
  std::int64_t capacity = d.at("beds").at("capacity").as_int64();
  std::int64_t occupied = d.at("beds").at("occupied").as_int64();
  // pdftotext may swap two numbers with only spaces and brackets between them («۲۷ از ۵٬۹۸۰
  // (۰٫۵٪)»), so each is looked for on its own.
  std::string beds = After(text, NoZwnj("تخت‌های اشغال از ظرفیت"));
  EXPECT_NE(beds.find(fa(occupied)), std::string::npos) << beds;
  EXPECT_NE(beds.find(fa(capacity)), std::string::npos) << beds;
  const auto& unfunded = d.at("unfunded").as_object();
  EXPECT_EQ(After(text, "بندهای بدون پشتوانهٔ کامل مالی"),
            fa(unfunded.at("clauses").as_int64()) + " بند، کسری " +
                fa(unfunded.at("gap").as_int64()) + " ریال");
  // Every agency with overdue tasks is in the ranking; twelve months in the trend.
  int with_overdue = 0;
  for (const auto& a : d.at("agencies").as_array()) {
    if (a.at("overdue").as_int64() == 0) continue;
    ++with_overdue;
    for (const auto& ag : agencies) {
      if (ag.at("id") == a.at("agency_id")) {
        EXPECT_NE(text.find(NoZwnj(std::string(ag.at("name").as_string()))), std::string::npos)
            << ag.at("name");
      }
    }
  }
  EXPECT_GT(with_overdue, 0) << "the demo data has overdue tasks";
  EXPECT_EQ(d.at("trend").as_array().size(), 12u);
  for (const char* heading :
       {"مسیر: از جمعآوری تا اشتغال", "اشغال تختها در برابر ظرفیت", "انجام وظایف دستگاهها",
        "روند دوازدهماههٔ نرخ بهموقع", "اعتبارات مصوبات و کسری"}) {
    EXPECT_NE(text.find(heading), std::string::npos) << heading;
  }
  EXPECT_EQ(text.find("0"), std::string::npos) << "no ASCII digits where a person reads a number";
  // A county's report names it and counts only it.
  auto county = Obj(http().Get("/api/v1/counties", admin_).body).at("items").as_array()[0];
  std::string county_text =
      report::PdfText(Report("county=" + std::to_string(county_) + "&wait=1000", coordinator_));
  EXPECT_NE(county_text.find(NoZwnj("شهرستان: " + std::string(county.at("name").as_string()))),
            std::string::npos)
      << county_text.substr(0, 600);
  EXPECT_EQ(After(county_text, NoZwnj("جمع‌آوری")),
            fa(Flow(Dashboard("county=" + std::to_string(county_)), "collected")));
}

TEST_F(DashboardTest, MonthlyReportIsForCoordinatorsAndOnlyForWhoAskedForIt) {
  auto start = [](const std::string& token, const std::string& body = R"({"wait_ms":0})") {
    return http().PostJson("/api/v1/dashboard/report", body, token);
  };
  std::int64_t denied = Obj(http().Get("/api/v1/audit?action=access.denied", admin_).body)
                            .at("paging")
                            .at("total")
                            .as_int64();
  EXPECT_EQ(start(police_).status, 403);
  EXPECT_EQ(start(LoginAs("welfare.agency-manager")).status, 403);
  EXPECT_EQ(start("").status, 401);
  EXPECT_EQ(http()
                .Request("POST", "/dashboard/report", "month=",
                         {{"Authorization", "Bearer " + police_},
                          {"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            403);
  auto mine = start(coordinator_);
  ASSERT_TRUE(mine.status == 202 || mine.status == 200) << mine.body;
  auto job = Obj(mine.body);
  std::string id(job.at("id").as_string());
  std::string pdf_url(job.at("pdf_url").as_string());
  // Another coordinator: the job is as unknown to them as a made-up one.
  std::string other = LoginAs("police.coordinator");
  EXPECT_EQ(http().Get("/api/v1/dashboard/report/" + id, other).status, 404);
  EXPECT_EQ(http().Get(pdf_url, other).status, 404);
  EXPECT_EQ(http().Get("/dashboard/report/" + id, other).status, 404);
  EXPECT_EQ(http().Get("/api/v1/dashboard/report/made-up", coordinator_).status, 404);
  // The one who asked gets it.
  for (int i = 0; i < 120; ++i) {
    auto s = Obj(http().Get("/api/v1/dashboard/report/" + id + "?wait_ms=1000", coordinator_).body);
    if (s.at("state").as_string() == "done") break;
    ASSERT_NE(s.at("state").as_string(), "failed");
  }
  auto pdf = http().Get(pdf_url, coordinator_);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.Header("content-disposition").find("peyvand-monthly-"), std::string::npos);
  // Audited: each report asked for, and each refusal or probe.
  auto audit = Obj(http().Get("/api/v1/audit?action=report.monthly", admin_).body);
  EXPECT_GE(audit.at("paging").at("total").as_int64(), 1);
  EXPECT_GE(Obj(http().Get("/api/v1/audit?action=access.denied", admin_).body)
                .at("paging")
                .at("total")
                .as_int64(),
            denied + 4)
      << "two refusals by role, the form's, and the other coordinator's probes";
  // Bad input: a clear 400 naming the field, and no job.
  for (const char* body : {R"({"month":"1405/13"})", R"({"county_id":999999})",
                           R"({"agency_id":999999})", R"({"wait_ms":5000})"}) {
    auto res = start(coordinator_, body);
    EXPECT_EQ(res.status, 400) << body << " " << res.body;
  }
}

TEST_F(DashboardTest, MonthlyReportFromTheBrowserShowsProgressAndNeedsItsCsrfToken) {
  std::string cookie = BrowserCookie();
  auto page = http().Request("GET", "/dashboard", "", {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-testid=\"report-form\""), std::string::npos);
  auto at = page.body.find("name=\"_csrf\" value=\"");
  ASSERT_NE(at, std::string::npos);
  at += 20;
  std::string csrf = page.body.substr(at, page.body.find('"', at) - at);
  const std::pair<std::string, std::string> form{"Content-Type",
                                                 "application/x-www-form-urlencoded"};
  EXPECT_EQ(http()
                .Request("POST", "/dashboard/report", "month=&wait=0",
                         {{"Cookie", cookie}, form, {"HX-Request", "true"}})
                .status,
            403)
      << "no CSRF token";
  // htmx, not yet made: the progress fragment, which polls its status address.
  auto frag = http().Request("POST", "/dashboard/report", "month=&wait=0&_csrf=" + csrf,
                             {{"Cookie", cookie}, form, {"HX-Request", "true"}});
  ASSERT_TRUE(frag.status == 202 || frag.status == 200) << frag.body;
  EXPECT_EQ(frag.body.find("<html"), std::string::npos);
  EXPECT_EQ(frag.body.rfind("<div id=\"report-status\"", 0), 0u) << frag.body;
  if (frag.status == 202) {
    EXPECT_NE(frag.body.find("hx-trigger=\"every 1s\""), std::string::npos);
    EXPECT_NE(frag.body.find("<progress"), std::string::npos);
  }
  // htmx, bad month: the fragment says why, with the error's status.
  auto bad = http().Request("POST", "/dashboard/report", "month=1405/13&_csrf=" + csrf,
                            {{"Cookie", cookie}, form, {"HX-Request", "true"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("data-testid=\"report-error\""), std::string::npos) << bad.body;
  // Without JavaScript: the PDF at once, or a page that refreshes itself until it is there.
  auto plain = http().Request("POST", "/dashboard/report", "month=&_csrf=" + csrf,
                              {{"Cookie", cookie}, form});
  if (plain.status == 202) {
    EXPECT_NE(plain.Header("refresh").find("url=/dashboard/report/"), std::string::npos);
  } else {
    EXPECT_EQ(plain.status, 200);
    EXPECT_EQ(plain.body.rfind("%PDF-", 0), 0u);
  }
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
