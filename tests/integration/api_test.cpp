// Accounts, authorisation, audit and error shapes against a real server.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>

#include "integration/harness.hpp"
#include "integration/seeded_suite.hpp"

namespace peyvand::test {
namespace {

class ApiTest : public SeededSuite<ApiTest> {
 protected:
  static std::int64_t AgencyId(const std::string& code) {
    auto r = server_->client().Get("/api/v1/agencies", admin_);
    auto parsed = boost::json::parse(r.body);
    for (const auto& a : parsed.at("items").as_array()) {
      if (a.at("code").as_string() == code) return a.at("id").as_int64();
    }
    return 0;
  }
  std::int64_t CountAudit(const std::string& query) {
    auto r = http().Get("/api/v1/audit?" + query, admin_);
    return Obj(r.body).at("paging").at("total").as_int64();
  }
};

TEST_F(ApiTest, HealthReadyMetricsAndOpenApi) {
  EXPECT_EQ(http().Get("/healthz").status, 200);
  EXPECT_EQ(http().Get("/readyz").status, 200);
  auto m = http().Get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("peyvand_http_requests_total"), std::string::npos);
  EXPECT_NE(m.body.find("peyvand_db_commit_batch_size_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("peyvand_db_write_queue_depth"), std::string::npos);
  auto o = http().Get("/api/v1/openapi.json");
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(Obj(o.body).at("openapi").as_string(), "3.1.0");
}

TEST_F(ApiTest, EveryResponseHasRequestIdAndSecurityHeaders) {
  for (const char* path : {"/healthz", "/login", "/nope", "/api/v1/me"}) {
    auto r = http().Get(path);
    EXPECT_EQ(r.Header("x-request-id").size(), 16u) << path;
    EXPECT_NE(r.Header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos)
        << path;
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff") << path;
    EXPECT_FALSE(r.Header("referrer-policy").empty()) << path;
  }
}

TEST_F(ApiTest, ErrorShapeForBadInput) {
  struct Case {
    std::string content_type;  // sent Content-Type
    std::string body;          // sent body
    int status;                // expected status
    std::string field;         // expected field named in error.fields ("" for none)
  };
  const Case cases[] = {
      {"application/json", "{not json", 400, ""},
      {"application/json", "[1,2]", 400, ""},
      {"text/plain", "{}", 400, ""},
      {"application/json", R"({"username": 5, "password": "x"})", 400, "username"},
      {"application/json", R"({"password": "xxxxxxxxxxx"})", 400, "username"},
  };
  for (const auto& c : cases) {
    auto r =
        http().Request("POST", "/api/v1/auth/login", c.body, {{"Content-Type", c.content_type}});
    EXPECT_EQ(r.status, c.status) << c.body;
    auto err = Obj(r.body).at("error").as_object();
    EXPECT_EQ(err.at("code").as_string(), "invalid");
    EXPECT_FALSE(err.at("message").as_string().empty());
    if (!c.field.empty()) {
      EXPECT_TRUE(err.at("fields").as_object().contains(c.field)) << c.body;
    }
  }
  auto nf = http().Get("/api/v1/no-such-thing", admin_);
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(Obj(nf.body).at("error").at("code").as_string(), "not_found");
  auto mna = http().Request("DELETE", "/api/v1/me");
  EXPECT_EQ(mna.status, 405);
  EXPECT_EQ(http().Get("/api/v1/users/abc", admin_).status, 404);
  EXPECT_EQ(http().Get("/api/v1/users/999999", admin_).status, 404);
}

TEST_F(ApiTest, OversizeBodyAndHeaders) {
  std::string big(2 * 1024 * 1024, 'x');
  auto r =
      http().Request("POST", "/api/v1/auth/login", big, {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Obj(r.body).at("error").at("code").as_string(), "too_large");
  auto h = http().Request("GET", "/healthz", "", {{"X-Filler", std::string(20 * 1024, 'a')}});
  EXPECT_EQ(h.status, 431);
  EXPECT_EQ(http().Get("/healthz").status, 200);  // still serving
}

TEST_F(ApiTest, MeRequiresAuthentication) {
  auto r = http().Get("/api/v1/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Obj(r.body).at("error").at("code").as_string(), "unauthenticated");
  EXPECT_EQ(http().Get("/api/v1/me", "made-up-token").status, 401);
  auto me = http().Get("/api/v1/me", admin_);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(Obj(me.body).at("username").as_string(), "admin");
  EXPECT_FALSE(Obj(me.body).at("created_at_jalali").as_string().empty());
}

TEST_F(ApiTest, LockoutAfterFiveFailures) {
  std::string user = "relief.researcher";
  std::string good = server_->PasswordOf(user);
  boost::json::object bad{{"username", user}, {"password", "wrong-password-1"}};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(http().PostJson("/api/v1/auth/login", boost::json::serialize(bad)).status, 401) << i;
  }
  auto fifth = http().PostJson("/api/v1/auth/login", boost::json::serialize(bad));
  EXPECT_EQ(fifth.status, 423);
  EXPECT_EQ(Obj(fifth.body).at("error").at("code").as_string(), "locked");
  // The right password does not open a locked account.
  boost::json::object ok{{"username", user}, {"password", good}};
  EXPECT_EQ(http().PostJson("/api/v1/auth/login", boost::json::serialize(ok)).status, 423);
  EXPECT_GE(CountAudit("action=auth.login_failed"), 5);
  EXPECT_GE(CountAudit("action=auth.login_locked"), 1);
}

TEST_F(ApiTest, TokenLogoutRevokes) {
  std::string t = LoginAs("welfare.operator");
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(http().Get("/api/v1/me", t).status, 200);
  EXPECT_EQ(http().PostJson("/api/v1/auth/logout", "{}", t).status, 204);
  EXPECT_EQ(http().Get("/api/v1/me", t).status, 401);
}

TEST_F(ApiTest, ManagerSeesOnlyOwnAgency) {
  std::string police_mgr = LoginAs("police.agency-manager");
  ASSERT_FALSE(police_mgr.empty());
  auto list = http().Get("/api/v1/users?per_page=200", police_mgr);
  ASSERT_EQ(list.status, 200);
  std::int64_t police = AgencyId("police");
  auto items = Obj(list.body).at("items").as_array();
  ASSERT_FALSE(items.empty());
  for (const auto& u : items) EXPECT_EQ(u.at("agency_id").as_int64(), police);

  // A welfare user: hidden (404) from the police manager, and the attempt is audited.
  auto welfare_users =
      http().Get("/api/v1/users?agency_id=" + std::to_string(AgencyId("welfare")), admin_);
  auto welfare_user = Obj(welfare_users.body).at("items").as_array().at(0).at("id").as_int64();
  std::int64_t denied_before =
      CountAudit("action=access.denied&record_type=user&record_id=" + std::to_string(welfare_user));
  EXPECT_EQ(http().Get("/api/v1/users/" + std::to_string(welfare_user), police_mgr).status, 404);
  EXPECT_EQ(http()
                .PatchJson("/api/v1/users/" + std::to_string(welfare_user), R"({"active": false})",
                           police_mgr)
                .status,
            404);
  EXPECT_EQ(
      CountAudit("action=access.denied&record_type=user&record_id=" + std::to_string(welfare_user)),
      denied_before + 2);
  // Still active: the refused change changed nothing.
  EXPECT_TRUE(Obj(http().Get("/api/v1/users/" + std::to_string(welfare_user), admin_).body)
                  .at("active")
                  .as_bool());

  // Listing another agency is refused.
  EXPECT_EQ(http()
                .Get("/api/v1/users?agency_id=" + std::to_string(AgencyId("welfare")), police_mgr)
                .status,
            403);
  // Creating in another agency or granting system_admin is refused; in own agency it works.
  boost::json::object u{{"username", "police.new1"},
                        {"display_name", "کاربر تازه"},
                        {"agency_id", AgencyId("welfare")},
                        {"roles", boost::json::array{"operator"}},
                        {"password", "a-long-password-1"}};
  EXPECT_EQ(http().PostJson("/api/v1/users", boost::json::serialize(u), police_mgr).status, 403);
  u["agency_id"] = police;
  u["roles"] = boost::json::array{"system_admin"};
  EXPECT_EQ(http().PostJson("/api/v1/users", boost::json::serialize(u), police_mgr).status, 403);
  u["roles"] = boost::json::array{"operator"};
  auto created = http().PostJson("/api/v1/users", boost::json::serialize(u), police_mgr);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(http().PostJson("/api/v1/users", boost::json::serialize(u), police_mgr).status, 409);
  // Operators cannot list users at all.
  EXPECT_EQ(http().Get("/api/v1/users", LoginAs("police.operator")).status, 403);
}

TEST_F(ApiTest, UserValidationChangesNothing) {
  std::int64_t before =
      Obj(http().Get("/api/v1/users?per_page=1", admin_).body).at("paging").at("total").as_int64();
  struct Case {
    std::string json;   // request body
    std::string field;  // field that must be named
  };
  const Case cases[] = {
      {R"({"username":"Bad Name","display_name":"x","agency_id":1,"roles":["operator"],"password":"long-enough-1"})",
       "username"},
      {R"({"username":"okname","display_name":"x","agency_id":1,"roles":["operator"],"password":"short"})",
       "password"},
      {R"({"username":"okname","display_name":"x","agency_id":1,"roles":["wizard"],"password":"long-enough-1"})",
       "roles"},
      {R"({"username":"okname","display_name":"x","agency_id":99999,"roles":["operator"],"password":"long-enough-1"})",
       "agency_id"},
      {R"({"username":"okname","display_name":"x","agency_id":"1","roles":["operator"],"password":"long-enough-1"})",
       "agency_id"},
      {R"({"username":"okname","display_name":"x","agency_id":1,"county_id":99999,"roles":["operator"],"password":"long-enough-1"})",
       "county_id"},
  };
  for (const auto& c : cases) {
    auto r = http().PostJson("/api/v1/users", c.json, admin_);
    EXPECT_EQ(r.status, 400) << c.json << " → " << r.body;
    EXPECT_TRUE(Obj(r.body).at("error").at("fields").as_object().contains(c.field)) << r.body;
  }
  EXPECT_EQ(
      Obj(http().Get("/api/v1/users?per_page=1", admin_).body).at("paging").at("total").as_int64(),
      before);
}

TEST_F(ApiTest, CountiesAreCanonicalAndUnique) {
  // Arabic yeh/kaf and Persian digits are stored in canonical form.
  auto r = http().PostJson("/api/v1/counties", R"({"name": "شهر كوچكي ۲"})", admin_);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Obj(r.body).at("name").as_string(), "شهر کوچکی 2");
  // The same name spelled differently is a duplicate.
  EXPECT_EQ(http().PostJson("/api/v1/counties", R"({"name": "شهر کوچکی 2"})", admin_).status, 409);
  EXPECT_EQ(http().PostJson("/api/v1/counties", R"({"name": "   "})", admin_).status, 400);
  EXPECT_EQ(
      http().PostJson("/api/v1/counties", R"({"name": "x"})", LoginAs("police.operator")).status,
      403);
}

TEST_F(ApiTest, AuditFiltersAndPaging) {
  auto page1 = http().Get("/api/v1/audit?per_page=2&page=1", admin_);
  ASSERT_EQ(page1.status, 200);
  auto o = Obj(page1.body);
  EXPECT_EQ(o.at("items").as_array().size(), 2u);
  EXPECT_GT(o.at("paging").at("total").as_int64(), 60);
  auto page2 = Obj(http().Get("/api/v1/audit?per_page=2&page=2", admin_).body);
  EXPECT_NE(o.at("items").as_array()[0].at("id").as_int64(),
            page2.at("items").as_array()[0].at("id").as_int64());
  // Jalali and ISO date filters agree; an impossible date is a clear 400.
  auto iso = Obj(http().Get("/api/v1/audit?action=user.&from=2000-01-01", admin_).body)
                 .at("paging")
                 .at("total")
                 .as_int64();
  auto jal =
      Obj(http().Get("/api/v1/audit?action=user.&from=%DB%B1%DB%B3%DB%B7%DB%B8/10/11", admin_).body)
          .at("paging")
          .at("total")
          .as_int64();
  EXPECT_EQ(iso, jal);
  auto bad = http().Get("/api/v1/audit?from=1402/12/30", admin_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Obj(http().Get("/api/v1/audit?from=2199-01-01", admin_).body)
                .at("paging")
                .at("total")
                .as_int64(),
            0);
  // Only auditors and admins.
  EXPECT_EQ(http().Get("/api/v1/audit", LoginAs("police.operator")).status, 403);
  EXPECT_EQ(http().Get("/api/v1/audit", LoginAs("judiciary.auditor")).status, 200);
}

TEST_F(ApiTest, BrowserSessionNeedsCsrf) {
  // Sign in through the form and keep the cookie.
  std::string user = "health.operator";
  auto login = http().Request("POST", "/login",
                              "username=" + user + "&password=" + server_->PasswordOf(user),
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(login.status, 303);
  std::string cookie = login.Header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  std::string session = cookie.substr(0, cookie.find(';'));
  auto home = http().Request("GET", "/", "", {{"Cookie", session}});
  ASSERT_EQ(home.status, 200);
  auto at = home.body.find("data-csrf=\"");
  ASSERT_NE(at, std::string::npos);
  std::string csrf = home.body.substr(at + 11, home.body.find('"', at + 11) - at - 11);
  // A form post without the token is refused; with it, it works.
  auto no =
      http().Request("POST", "/logout", "",
                     {{"Cookie", session}, {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(no.status, 403);
  auto yes =
      http().Request("POST", "/logout", "_csrf=" + csrf,
                     {{"Cookie", session}, {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(yes.status, 303);
  EXPECT_EQ(http().Request("GET", "/", "", {{"Cookie", session}}).status,
            303);  // signed out → to /login
}

TEST_F(ApiTest, PasswordChangeEndsSessions) {
  std::string user = "labour.operator";
  std::string t = LoginAs(user);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(http()
                .PostJson("/api/v1/me/password",
                          R"({"current_password":"wrong","new_password":"another-long-one"})", t)
                .status,
            400);
  EXPECT_EQ(http()
                .PostJson("/api/v1/me/password",
                          R"({"current_password":")" + server_->PasswordOf(user) +
                              R"(","new_password":"short"})",
                          t)
                .status,
            400);
  EXPECT_EQ(http()
                .PostJson("/api/v1/me/password",
                          R"({"current_password":")" + server_->PasswordOf(user) +
                              R"(","new_password":"another-long-one"})",
                          t)
                .status,
            204);
  EXPECT_EQ(http().Get("/api/v1/me", t).status, 401);
  EXPECT_FALSE(http().Login(user, "another-long-one").empty());
}

TEST_F(ApiTest, PagesRenderInPersian) {
  auto login = http().Get("/login");
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("dir=\"rtl\""), std::string::npos);
  EXPECT_NE(login.body.find("ورود"), std::string::npos);
  auto missing = http().Get("/no/such/page");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("پیدا نشد"), std::string::npos);
  EXPECT_EQ(http().Get("/").status, 303);  // not signed in → /login
  auto css = http().Get("/static/css/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_FALSE(css.Header("etag").empty());
  auto again =
      http().Request("GET", "/static/css/app.css", "", {{"If-None-Match", css.Header("etag")}});
  EXPECT_EQ(again.status, 304);
}

TEST_F(ApiTest, AdminPagesRenderAndShowFormErrors) {
  auto login =
      http().Request("POST", "/login", "username=admin&password=" + server_->AdminPassword(),
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(login.status, 303);
  std::string cookie = login.Header("set-cookie").substr(0, login.Header("set-cookie").find(';'));
  auto users = Obj(http().Get("/api/v1/users?per_page=1", admin_).body);
  std::string some_user = std::to_string(users.at("items").as_array()[0].at("id").as_int64());
  for (const std::string& page : std::vector<std::string>{
           "/", "/admin/users", "/admin/users?q=police&page=1", "/admin/users/new",
           "/admin/users/" + some_user, "/admin/agencies", "/admin/agencies/1", "/admin/counties",
           "/audit", "/audit?action=auth.&from=1400/01/01", "/password"}) {
    auto r = http().Request("GET", page, "", {{"Cookie", cookie}});
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_NE(r.body.find("</html>"), std::string::npos) << page;
    // No error box unless something went wrong.
    EXPECT_EQ(r.body.find("data-testid=\"form-error\""), std::string::npos) << page;
  }
  // County options are in Persian alphabetical order (چ between ج and خ; bytewise it would come
  // last).
  auto form = http().Request("GET", "/admin/users/new", "", {{"Cookie", cookie}}).body;
  auto jovein = form.find("جوین"), chenaran = form.find("چناران"), khaf = form.find("خواف");
  ASSERT_NE(chenaran, std::string::npos);
  EXPECT_LT(jovein, chenaran);
  EXPECT_LT(chenaran, khaf);
  // A failed login shows the Persian message in the error box.
  auto bad = http().Request("POST", "/login", "username=admin&password=wrong-one",
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(bad.body.find("data-testid=\"form-error\""), std::string::npos);
  EXPECT_NE(bad.body.find("نام کاربری یا گذرواژه نادرست است"), std::string::npos);
  // An invalid date in the audit filter is explained, not a crash.
  auto audit = http().Request("GET", "/audit?from=1402/12/30", "", {{"Cookie", cookie}});
  EXPECT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("۲۹ روز"), std::string::npos);
}

TEST_F(ApiTest, UserSearchIsLiteral) {
  auto all =
      Obj(http().Get("/api/v1/users?per_page=1", admin_).body).at("paging").at("total").as_int64();
  EXPECT_GT(all, 1);
  // "_" and "%" are not wildcards: no username contains them.
  EXPECT_EQ(Obj(http().Get("/api/v1/users?q=_", admin_).body).at("paging").at("total").as_int64(),
            0);
  EXPECT_EQ(Obj(http().Get("/api/v1/users?q=%25", admin_).body).at("paging").at("total").as_int64(),
            0);
  EXPECT_GT(
      Obj(http().Get("/api/v1/users?q=police.", admin_).body).at("paging").at("total").as_int64(),
      0);
}

TEST_F(ApiTest, ManagersCannotGrantCrossAgencyRolesOrTheirOwn) {
  std::string mgr = LoginAs("tvto.agency-manager");
  ASSERT_FALSE(mgr.empty());
  auto me = Obj(http().Get("/api/v1/me", mgr).body);
  std::string my_id = std::to_string(me.at("id").as_int64());
  EXPECT_EQ(
      http()
          .PatchJson("/api/v1/users/" + my_id, R"({"roles":["agency_manager","auditor"]})", mgr)
          .status,
      403);
  EXPECT_EQ(http().PatchJson("/api/v1/users/" + my_id, R"({"roles":["operator"]})", mgr).status,
            403);
  EXPECT_EQ(http().Get("/api/v1/audit", mgr).status, 403);  // still no auditor
  // A colleague can be made operator or manager, not auditor, coordinator or researcher.
  auto list = Obj(http().Get("/api/v1/users?q=tvto.operator", mgr).body);
  std::string op = std::to_string(list.at("items").as_array()[0].at("id").as_int64());
  for (const char* role : {"auditor", "coordinator", "researcher", "system_admin"}) {
    EXPECT_EQ(
        http()
            .PatchJson("/api/v1/users/" + op, std::string(R"({"roles":[")") + role + R"("]})", mgr)
            .status,
        403)
        << role;
  }
  EXPECT_EQ(http()
                .PatchJson("/api/v1/users/" + op, R"({"roles":["operator","agency_manager"]})", mgr)
                .status,
            200);
  // The tvto auditor is out of the manager's reach altogether (its password cannot be reset).
  auto auditors = Obj(http().Get("/api/v1/users?q=tvto.auditor", mgr).body);
  std::string aud = std::to_string(auditors.at("items").as_array()[0].at("id").as_int64());
  EXPECT_EQ(
      http()
          .PostJson("/api/v1/users/" + aud + "/password", R"({"password":"taken-over-now"})", mgr)
          .status,
      403);
  EXPECT_TRUE(http().Login("tvto.auditor", "taken-over-now").empty());
}

TEST_F(ApiTest, ParallelWrongPasswordsStillLock) {
  std::string user = "prisons.operator";
  std::vector<std::thread> threads;
  boost::json::object bad{{"username", user}, {"password", "definitely-wrong"}};
  std::string body = boost::json::serialize(bad);
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&] { Client(server_->port()).PostJson("/api/v1/auth/login", body); });
  }
  for (auto& t : threads) t.join();
  boost::json::object good{{"username", user}, {"password", server_->PasswordOf(user)}};
  EXPECT_EQ(http().PostJson("/api/v1/auth/login", boost::json::serialize(good)).status, 423);
}

TEST_F(ApiTest, InactiveAgencyEndsItsUsersAccess) {
  std::string t = LoginAs("redcrescent.operator");
  ASSERT_FALSE(t.empty());
  std::string agency = std::to_string(AgencyId("redcrescent"));
  ASSERT_EQ(http().PatchJson("/api/v1/agencies/" + agency, R"({"active": false})", admin_).status,
            200);
  EXPECT_EQ(http().Get("/api/v1/me", t).status, 401);
  EXPECT_TRUE(LoginAs("redcrescent.auditor").empty());
  ASSERT_EQ(http().PatchJson("/api/v1/agencies/" + agency, R"({"active": true})", admin_).status,
            200);
  EXPECT_FALSE(LoginAs("redcrescent.auditor").empty());
}

TEST_F(ApiTest, HostileQueryAndFormInput) {
  // A huge page number is clamped, not an overflow.
  EXPECT_EQ(http().Get("/api/v1/users?page=9223372036854775807&per_page=200", admin_).status, 200);
  EXPECT_EQ(http().Get("/api/v1/audit?page=9223372036854775807", admin_).status, 200);
  EXPECT_EQ(http().Get("/api/v1/users?page=abc", admin_).status, 400);
  // Ill-formed UTF-8 is refused at the edge and never reaches the audit log.
  EXPECT_EQ(http().Get("/api/v1/audit?record_type=%FF", admin_).status, 400);
  auto form = http().Request("POST", "/login", "username=ab%ff%c0&password=x",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 400);
  auto audit = http().Get("/api/v1/audit?per_page=200", admin_);
  boost::system::error_code ec;
  boost::json::parse(audit.body, ec);
  EXPECT_FALSE(ec) << "audit JSON must stay valid UTF-8";
  // Reading the audit log is itself audited.
  EXPECT_GT(CountAudit("action=audit.search"), 0);
}

}  // namespace
}  // namespace peyvand::test
