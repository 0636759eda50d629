// Council resolutions, their clauses' tasks and the credit ledger end to end, on a real server
// and database: each agency acts from its own account.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include "integration/harness.hpp"
#include "integration/seeded_suite.hpp"
#include "modules/accounts/crypto.hpp"
#include "persian/jalali.hpp"

namespace peyvand::test {
namespace {

using boost::json::object;

constexpr const char* kBoundary = "----PeyvandTestBoundary7MA4YWxk";

class FundingTest : public SeededSuite<FundingTest> {
 protected:
  static void SetUpTestSuite() {
    SeededSuite<FundingTest>::SetUpTestSuite();
    auto agencies = Obj(http().Get("/api/v1/agencies", admin_).body);
    for (auto& a : agencies.at("items").as_array()) {
      agencies_[std::string(a.at("code").as_string())] = a.at("id").as_int64();
    }
  }
  static std::string Id(std::int64_t v) { return std::to_string(v); }
  static std::string Token(const std::string& user) {
    auto it = tokens_.find(user);
    if (it != tokens_.end()) return it->second;
    return tokens_[user] = LoginAs(user);
  }
  static std::string Coordinator() { return Token("dchq.coordinator"); }
  // A Jalali date `n` days from today (negative: before), in Persian digits.
  static std::string Jalali(int n) {
    std::int64_t today = (static_cast<std::int64_t>(std::time(nullptr)) + 12600) / 86400;
    return persian::FormatJalali(persian::JalaliFromDays(today + n));
  }
  static HttpResponse Post(const std::string& path, const std::string& json,
                           const std::string& token) {
    return http().PostJson(path, json, token);
  }
  static std::int64_t Resolution(const std::string& number, const std::string& council) {
    auto res = Post("/api/v1/resolutions",
                    R"({"council":")" + council + R"(","number":")" + number + R"(","date":")" +
                        Jalali(-20) + R"(","title":"مصوبهٔ آزمایشی )" + number +
                        R"(","text":"متن\nبند دوم"})",
                    Coordinator());
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? Obj(res.body).at("id").as_int64() : 0;
  }
  // A clause owed by `shares` (agency code → rials needed); returns its id.
  static std::int64_t Clause(std::int64_t resolution,
                             const std::vector<std::pair<std::string, std::int64_t>>& shares,
                             int deadline_in_days = 30) {
    std::string list;
    for (const auto& [code, cost] : shares) {
      list += std::string(list.empty() ? "" : ",") + R"({"agency_id":)" + Id(agencies_[code]) +
              R"(,"cost_rials":)" + std::to_string(cost) + "}";
    }
    auto res = Post("/api/v1/resolutions/" + Id(resolution) + "/clauses",
                    R"({"text":"افزایش ظرفیت مراکز","expected_output":"گزارش","deadline":")" +
                        Jalali(deadline_in_days) + R"(","agencies":[)" + list + "]}",
                    Coordinator());
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? Obj(res.body).at("id").as_int64() : 0;
  }
  static HttpResponse Entry(std::int64_t clause, const std::string& agency,
                            const std::string& stage, std::int64_t amount,
                            const std::string& token) {
    return Post("/api/v1/credit-entries",
                R"({"clause_id":)" + Id(clause) + R"(,"agency_id":)" + Id(agencies_[agency]) +
                    R"(,"stage":")" + stage + R"(","amount_rials":)" + std::to_string(amount) +
                    R"(,"note":"آزمایش"})",
                token);
  }
  static std::int64_t EntryId(const HttpResponse& r) {
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Obj(r.body).at("id").as_int64() : 0;
  }
  static HttpResponse Reverse(std::int64_t entry, const std::string& token) {
    return Post("/api/v1/credit-entries/" + Id(entry) + "/reverse", R"({"note":"اصلاح"})", token);
  }
  static object Share(std::int64_t resolution, std::int64_t clause, const std::string& agency) {
    auto r = Obj(http().Get("/api/v1/resolutions/" + Id(resolution), Coordinator()).body);
    for (auto& c : r.at("clauses").as_array()) {
      if (c.at("id").as_int64() != clause) continue;
      for (auto& s : c.at("shares").as_array()) {
        if (s.at("agency_id").as_int64() == agencies_[agency]) return s.as_object();
      }
    }
    ADD_FAILURE() << "no share of " << agency << " on clause " << clause;
    return {};
  }
  static std::int64_t Total(const std::string& path) {
    return Obj(http().Get(path, admin_).body).at("paging").at("total").as_int64();
  }
  static std::string Multipart(const std::string& filename, const std::string& type,
                               const std::string& bytes, const std::string& csrf = "") {
    std::string b = kBoundary;
    std::string body;
    if (!csrf.empty()) {
      body +=
          "--" + b + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n";
    }
    body += "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
            "\"\r\nContent-Type: " + type + "\r\n\r\n" + bytes + "\r\n--" + b + "--\r\n";
    return body;
  }
  static HttpResponse Upload(std::int64_t resolution, const std::string& body,
                             const std::string& token) {
    std::vector<std::pair<std::string, std::string>> h{
        {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}};
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    return http().Request("POST", "/api/v1/resolutions/" + Id(resolution) + "/document", body, h);
  }
  static std::size_t Documents(std::int64_t resolution) {
    auto r = Obj(http().Get("/api/v1/resolutions/" + Id(resolution), Coordinator()).body);
    return r.at("documents").as_array().size();
  }
  static std::string Message(const HttpResponse& r) {
    return std::string(Obj(r.body).at("error").at("message").as_string());
  }

  static inline std::map<std::string, std::int64_t> agencies_;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(FundingTest, ClauseBecomesATaskInEveryResponsibleInbox) {
  std::int64_t res = Resolution("آزمون/۱", "drug_control_council");
  std::int64_t clause = Clause(res, {{"welfare", 1'000'000}, {"municipality", 500'000}});
  for (const char* user : {"welfare.operator", "municipality.operator"}) {
    auto inbox =
        Obj(http().Get("/api/v1/inbox?view=new&kind=resolution&per_page=200", Token(user)).body);
    bool found = false;
    for (auto& it : inbox.at("items").as_array()) {
      if (it.at("clause_id").is_int64() && it.at("clause_id").as_int64() == clause) found = true;
    }
    EXPECT_TRUE(found) << user;
  }
  // Not in an agency that owes nothing.
  auto police =
      Obj(http()
              .Get("/api/v1/inbox?view=new&kind=resolution&per_page=200", Token("police.operator"))
              .body);
  for (auto& it : police.at("items").as_array()) {
    EXPECT_NE(it.at("clause_id").as_int64(), clause);
  }
  auto share = Share(res, clause, "welfare");
  EXPECT_EQ(share.at("totals").at("needed").as_int64(), 1'000'000);
  EXPECT_EQ(share.at("task").at("status").as_string(), "open");
  // The inbox's link lands on the clause in its resolution.
  auto link = http().Get("/clauses/" + Id(clause), Token("welfare.operator"));
  EXPECT_EQ(link.status, 303);
  EXPECT_EQ(link.Header("location"), "/resolutions/" + Id(res) + "#clause-" + Id(clause));
  // Number and date were stored canonically and are found by search in any digits.
  auto found = Obj(
      http().Get("/api/v1/resolutions?q=%D8%A2%D8%B2%D9%85%D9%88%D9%86%2F1", Coordinator()).body);
  ASSERT_EQ(found.at("items").as_array().size(), 1u);
  EXPECT_EQ(found.at("items").as_array()[0].at("number").as_string(), "آزمون/1");

  // Completing the task from the inbox shows as done on the resolution.
  auto inbox = Obj(http()
                       .Get("/api/v1/inbox?view=new&kind=resolution&per_page=200",
                            Token("municipality.operator"))
                       .body);
  std::int64_t task = 0;
  for (auto& it : inbox.at("items").as_array()) {
    if (it.at("clause_id").as_int64() == clause) task = it.at("id").as_int64();
  }
  ASSERT_GT(task, 0);
  auto done = Post("/api/v1/tasks/" + Id(task) + "/complete", R"({"outcome":"گرمخانه آماده شد"})",
                   Token("municipality.operator"));
  EXPECT_EQ(done.status, 204) << done.body;
  EXPECT_EQ(Share(res, clause, "municipality").at("task").at("status").as_string(), "done");
}

TEST_F(FundingTest, LedgerStagesGapsRefusalsAndReversals) {
  std::int64_t res = Resolution("آزمون/۲", "social_council");
  std::int64_t clause = Clause(res, {{"welfare", 10'000'000}, {"health", 4'000'000}});
  const std::string c = Coordinator();
  std::int64_t approved = EntryId(Entry(clause, "welfare", "approved", 8'000'000, c));
  std::int64_t allocated = EntryId(Entry(clause, "welfare", "allocated", 6'000'000, c));
  std::int64_t notified = EntryId(Entry(clause, "welfare", "notified", 5'000'000, c));
  EntryId(Entry(clause, "health", "approved", 4'000'000, c));
  EntryId(Entry(clause, "health", "allocated", 4'000'000, c));
  ASSERT_GT(approved * allocated * notified, 0);

  // Unfunded: need 14M, allocated 10M → gap 4M; biggest gaps first; the total is their sum.
  auto unfunded = Obj(http().Get("/api/v1/funding/unfunded?per_page=200", c).body);
  std::int64_t gap = -1, sum = 0, prev = INT64_MAX;
  for (auto& u : unfunded.at("items").as_array()) {
    std::int64_t g = u.at("gap_rials").as_int64();
    EXPECT_LE(g, prev);
    prev = g;
    sum += g;
    if (u.at("clause_id").as_int64() == clause) gap = g;
  }
  EXPECT_EQ(gap, 4'000'000);
  EXPECT_EQ(unfunded.at("total_gap_rials").as_int64(), sum);
  // Filtered by agency, only that agency's share counts: health is fully allocated.
  auto health =
      Obj(http()
              .Get("/api/v1/funding/unfunded?per_page=200&agency_id=" + Id(agencies_["health"]), c)
              .body);
  for (auto& u : health.at("items").as_array()) EXPECT_NE(u.at("clause_id").as_int64(), clause);

  // Over-allocation: 6M + 3M > 8M approved.
  std::int64_t entries = Total("/api/v1/credit-entries?clause_id=" + Id(clause));
  auto over = Entry(clause, "welfare", "allocated", 3'000'000, c);
  EXPECT_EQ(over.status, 422) << over.body;
  EXPECT_EQ(Obj(over.body).at("error").at("code").as_string(), "refused");
  EXPECT_NE(Message(over).find("اعتبار مصوب"), std::string::npos) << Message(over);
  EXPECT_EQ(Total("/api/v1/credit-entries?clause_id=" + Id(clause)), entries);

  // Reversing the allocation while it is notified: the notification goes first.
  auto early = Reverse(allocated, c);
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_NE(Message(early).find("نخست ابلاغ را برگردانید"), std::string::npos) << Message(early);
  auto undo = Reverse(notified, c);
  ASSERT_EQ(undo.status, 201) << undo.body;
  auto reversal = Obj(undo.body);
  EXPECT_EQ(reversal.at("amount_rials").as_int64(), -5'000'000);
  EXPECT_EQ(reversal.at("reverses_entry_id").as_int64(), notified);
  auto twice = Reverse(notified, c);
  EXPECT_EQ(twice.status, 422) << twice.body;
  auto of_reversal = Reverse(reversal.at("id").as_int64(), c);
  EXPECT_EQ(of_reversal.status, 422) << of_reversal.body;
  EXPECT_EQ(Reverse(allocated, c).status, 201);
  auto share = Share(res, clause, "welfare");
  EXPECT_EQ(share.at("totals").at("allocated").as_int64(), 0);
  EXPECT_EQ(share.at("totals").at("notified").as_int64(), 0);
  EXPECT_EQ(share.at("totals").at("gap").as_int64(), 10'000'000);
  EXPECT_EQ(Total("/api/v1/credit-entries?clause_id=" + Id(clause)), entries + 2);
  EXPECT_GE(Total("/api/v1/audit?action=credit.reverse"), 2);

  // Spending: an agency manager records commitments and payments on its own share only.
  EntryId(Entry(clause, "health", "notified", 4'000'000, c));
  std::int64_t denied = Total("/api/v1/audit?action=access.denied");
  EXPECT_EQ(Entry(clause, "health", "committed", 3'000'000, Token("health.agency-manager")).status,
            201);
  std::int64_t paid =
      EntryId(Entry(clause, "health", "paid", 2'000'000, Token("health.agency-manager")));
  EXPECT_EQ(Entry(clause, "health", "paid", 500'000, Token("welfare.agency-manager")).status, 403);
  EXPECT_EQ(Entry(clause, "health", "allocated", 1, Token("health.agency-manager")).status, 403);
  EXPECT_EQ(Entry(clause, "health", "paid", 1, Token("health.operator")).status, 403);
  EXPECT_EQ(Reverse(paid, Token("welfare.agency-manager")).status, 403);
  EXPECT_EQ(Total("/api/v1/audit?action=access.denied"), denied + 4);
  EXPECT_EQ(Reverse(paid, Token("health.agency-manager")).status, 201);
  auto totals = Obj(http().Get("/api/v1/funding/agencies/" + Id(agencies_["health"]), c).body);
  EXPECT_GE(totals.at("totals").at("committed").as_int64(), 3'000'000);

  // The shares' running totals are the sums of the ledger, stage by stage.
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> sums;
  auto all = Obj(http().Get("/api/v1/credit-entries?per_page=200&clause_id=" + Id(clause), c).body);
  for (auto& e : all.at("items").as_array()) {
    sums[{e.at("agency_id").as_int64(), std::string(e.at("stage").as_string())}] +=
        e.at("amount_rials").as_int64();
  }
  for (const char* agency : {"welfare", "health"}) {
    auto t = Share(res, clause, agency).at("totals").as_object();
    for (const char* stage : {"needed", "approved", "allocated", "notified", "committed", "paid"}) {
      EXPECT_EQ(t.at(stage).as_int64(), (sums[{agencies_[agency], stage}]))
          << agency << " " << stage;
    }
  }

  // The whole ledger of the clause, newest first, with who reversed what.
  auto ledger = Obj(http().Get("/api/v1/credit-entries?clause_id=" + Id(clause), c).body);
  auto items = ledger.at("items").as_array();
  ASSERT_GE(items.size(), 2u);
  EXPECT_GT(items[0].at("id").as_int64(), items[1].at("id").as_int64());
  for (auto& e : items) {
    if (e.at("id").as_int64() == notified) {
      EXPECT_EQ(e.at("reversed_by").as_int64(), reversal.at("id").as_int64());
    }
  }
}

TEST_F(FundingTest, SignedPdfIsStoredOutsideTheDatabaseAndServedIntact) {
  std::int64_t res = Resolution("آزمون/۳", "provincial_security_council");
  std::string pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\r\n1 0 obj <<>> endobj\r\n--" +
                    std::string(kBoundary).substr(0, 10) + std::string("\0\x01\xff", 3) +
                    "\n%%EOF\n";
  auto up = Upload(res, Multipart("مصوبه ۸۷.pdf", "application/pdf", pdf), Coordinator());
  ASSERT_EQ(up.status, 201) << up.body;
  auto doc = Obj(up.body);
  EXPECT_EQ(doc.at("sha256").as_string(), accounts::Sha256Hex(pdf));
  EXPECT_EQ(doc.at("size").as_int64(), static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(doc.at("file_name").as_string(), "مصوبه ۸۷.pdf");
  const std::string path = server_->dir() + "/data/documents/" + accounts::Sha256Hex(pdf) + ".pdf";
  EXPECT_TRUE(std::filesystem::exists(path)) << path;

  auto down = http().Get("/api/v1/resolutions/" + Id(res) + "/document", Token("police.operator"));
  ASSERT_EQ(down.status, 200);
  EXPECT_EQ(down.body, pdf);
  EXPECT_EQ(accounts::Sha256Hex(down.body), doc.at("sha256").as_string());
  EXPECT_EQ(down.Header("content-type"), "application/pdf");
  EXPECT_EQ(down.Header("content-disposition").rfind("attachment;", 0), 0u)
      << down.Header("content-disposition");

  // Refused uploads change nothing.
  struct Bad {
    const char* comment;  // what is wrong
    std::string body;     // the multipart body
    int status;           // expected answer
  } bad[] = {
      {"not a PDF", Multipart("a.txt", "text/plain", "hello"), 400},
      {"declared PDF, HTML inside", Multipart("a.pdf", "application/pdf", "<html></html>"), 400},
      {"empty file", Multipart("a.pdf", "application/pdf", ""), 400},
      {"11 MiB", Multipart("big.pdf", "application/pdf", "%PDF-" + std::string(11 << 20, 'x')),
       413},
      {"malformed multipart", "--nope\r\n\r\n", 400},
  };
  for (const auto& b : bad) {
    auto r = Upload(res, b.body, Coordinator());
    EXPECT_EQ(r.status, b.status) << b.comment << ": " << r.body.substr(0, 300);
  }
  EXPECT_EQ(Documents(res), 1u);
  // Only coordinators and system admins upload; everyone signed in downloads; nobody else.
  EXPECT_EQ(
      Upload(res, Multipart("a.pdf", "application/pdf", pdf), Token("welfare.operator")).status,
      403);
  EXPECT_EQ(Upload(res, Multipart("a.pdf", "application/pdf", pdf), "").status, 401);
  EXPECT_EQ(http().Get("/api/v1/resolutions/" + Id(res) + "/document").status, 401);
  auto page = http().Get("/resolutions/" + Id(res) + "/document");
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.Header("location"), "/login");
  EXPECT_EQ(Documents(res), 1u);
  EXPECT_EQ(http().Get("/api/v1/resolutions/999999/document", Coordinator()).status, 404);

  // A file altered on disk is not served.
  { std::ofstream(path, std::ios::binary | std::ios::app) << "tampered"; }
  auto altered = http().Get("/api/v1/resolutions/" + Id(res) + "/document", Coordinator());
  EXPECT_EQ(altered.status, 500);
  EXPECT_EQ(altered.body.find("%PDF"), std::string::npos);
}

TEST_F(FundingTest, BrowserUploadCarriesItsCsrfTokenAsAPart) {
  std::int64_t res = Resolution("آزمون/۴", "social_harms_committee");
  auto login = http().Request(
      "POST", "/login",
      "username=dchq.coordinator&password=" + server_->PasswordOf("dchq.coordinator"),
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(login.status, 303) << login.body;
  std::string cookie = login.Header("set-cookie").substr(0, login.Header("set-cookie").find(';'));
  auto page = http().Request("GET", "/resolutions/" + Id(res), "", {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200);
  const std::string needle = "name=\"_csrf\" value=\"";
  auto at = page.body.find(needle);
  ASSERT_NE(at, std::string::npos);
  std::string csrf = page.body.substr(at + needle.size(),
                                      page.body.find('"', at + needle.size()) - at - needle.size());
  std::string type = std::string("multipart/form-data; boundary=") + kBoundary;
  std::string pdf = "%PDF-1.7\nsigned\n%%EOF\n";
  auto without = http().Request("POST", "/resolutions/" + Id(res) + "/document",
                                Multipart("a.pdf", "application/pdf", pdf),
                                {{"Cookie", cookie}, {"Content-Type", type}});
  EXPECT_EQ(without.status, 403);
  auto with = http().Request("POST", "/resolutions/" + Id(res) + "/document",
                             Multipart("a.pdf", "application/pdf", pdf, csrf),
                             {{"Cookie", cookie}, {"Content-Type", type}});
  EXPECT_EQ(with.status, 303) << with.body.substr(0, 500);
  EXPECT_EQ(Documents(res), 1u);
  auto wrong = http().Request("POST", "/resolutions/" + Id(res) + "/document",
                              Multipart("a.txt", "text/plain", "x", csrf),
                              {{"Cookie", cookie}, {"Content-Type", type}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("PDF"), std::string::npos);
  EXPECT_EQ(Documents(res), 1u);
}

TEST_F(FundingTest, BadInputIsAClear4xxAndChangesNothing) {
  const std::string c = Coordinator();
  std::int64_t res = Resolution("آزمون/۵", "drug_control_council");
  std::int64_t clause = Clause(res, {{"welfare", 1000}});
  std::int64_t resolutions = Total("/api/v1/resolutions");
  std::int64_t entries = Total("/api/v1/credit-entries");
  struct Case {
    const char* comment;  // what is wrong
    std::string path;     // where it is posted
    std::string body;     // the JSON sent
    int status;           // expected answer
    const char* field;    // the field named in the error ("" = none)
  } cases[] = {
      {"malformed JSON", "/api/v1/resolutions", R"({"council":)", 400, ""},
      {"impossible Jalali date (1404 is not leap)", "/api/v1/resolutions",
       R"({"council":"social_council","number":"x1","date":"1404/12/30","title":"عنوان آزمون"})",
       400, "date"},
      {"month 13", "/api/v1/resolutions",
       R"({"council":"social_council","number":"x2","date":"۱۴۰۴/۱۳/۰۱","title":"عنوان آزمون"})",
       400, "date"},
      {"a session in the future", "/api/v1/resolutions",
       R"({"council":"social_council","number":"x3","date":")" + Jalali(5) +
           R"(","title":"عنوان آزمون"})",
       400, "date"},
      {"unknown council", "/api/v1/resolutions",
       R"({"council":"nope","number":"x4","date":"2025-01-01","title":"عنوان آزمون"})", 400,
       "council"},
      {"duplicate number", "/api/v1/resolutions",
       R"({"council":"drug_control_council","number":"آزمون/5","date":"2025-01-01","title":"عنوان آزمون"})",
       409, "number"},
      {"unknown resolution", "/api/v1/resolutions/999999/clauses",
       R"({"text":"بند آزمون","deadline":"2030-01-01","agencies":[{"agency_id":1}]})", 404, ""},
      {"unknown agency", "/api/v1/resolutions/" + Id(res) + "/clauses",
       R"({"text":"بند آزمون","deadline":")" + Jalali(10) +
           R"(","agencies":[{"agency_id":999999,"cost_rials":5}]})",
       400, "agencies"},
      {"negative cost", "/api/v1/resolutions/" + Id(res) + "/clauses",
       R"({"text":"بند آزمون","deadline":")" + Jalali(10) + R"(","agencies":[{"agency_id":)" +
           Id(agencies_["welfare"]) + R"(,"cost_rials":-5}]})",
       400, "cost_rials"},
      {"negative amount", "/api/v1/credit-entries",
       R"({"clause_id":)" + Id(clause) + R"(,"agency_id":)" + Id(agencies_["welfare"]) +
           R"(,"stage":"approved","amount_rials":-100})",
       400, "amount_rials"},
      {"zero amount", "/api/v1/credit-entries",
       R"({"clause_id":)" + Id(clause) + R"(,"agency_id":)" + Id(agencies_["welfare"]) +
           R"(,"stage":"approved","amount_rials":0})",
       400, "amount_rials"},
      {"fractional amount", "/api/v1/credit-entries",
       R"({"clause_id":)" + Id(clause) + R"(,"agency_id":)" + Id(agencies_["welfare"]) +
           R"(,"stage":"approved","amount_rials":1.5})",
       400, "amount_rials"},
      {"unknown stage", "/api/v1/credit-entries",
       R"({"clause_id":)" + Id(clause) + R"(,"agency_id":)" + Id(agencies_["welfare"]) +
           R"(,"stage":"spent","amount_rials":10})",
       400, "stage"},
      {"unknown clause", "/api/v1/credit-entries",
       R"({"clause_id":999999,"agency_id":1,"stage":"approved","amount_rials":10})", 404, ""},
      {"agency without a share", "/api/v1/credit-entries",
       R"({"clause_id":)" + Id(clause) + R"(,"agency_id":)" + Id(agencies_["police"]) +
           R"(,"stage":"approved","amount_rials":10})",
       400, "agency_id"},
      {"unknown entry to reverse", "/api/v1/credit-entries/999999/reverse", "{}", 404, ""},
      {"withdrawal without a reason", "/api/v1/clauses/" + Id(clause) + "/withdraw",
       R"({"reason":""})", 400, "reason"},
  };
  for (const auto& k : cases) {
    auto r = Post(k.path, k.body, c);
    EXPECT_EQ(r.status, k.status) << k.comment << ": " << r.body;
    auto err = Obj(r.body).at("error").as_object();
    EXPECT_FALSE(err.at("message").as_string().empty()) << k.comment;
    if (*k.field) {
      EXPECT_TRUE(err.at("fields").as_object().contains(k.field)) << k.comment << ": " << r.body;
    }
  }
  EXPECT_EQ(http().Get("/api/v1/resolutions/999999", c).status, 404);
  EXPECT_EQ(http().Get("/api/v1/resolutions/abc", c).status, 404);
  EXPECT_EQ(http().Get("/api/v1/funding/agencies/999999", c).status, 404);
  EXPECT_EQ(Total("/api/v1/resolutions"), resolutions);
  EXPECT_EQ(Total("/api/v1/credit-entries"), entries);
  // Only coordinators and system admins create resolutions (audited denial).
  auto denied = Post(
      "/api/v1/resolutions",
      R"({"council":"social_council","number":"x9","date":"2025-01-01","title":"عنوان آزمون"})",
      Token("welfare.agency-manager"));
  EXPECT_EQ(denied.status, 403);
}

TEST_F(FundingTest, WithdrawnClauseLeavesQueuesAndTheUnfundedList) {
  std::int64_t res = Resolution("آزمون/۶", "drug_control_council");
  std::int64_t clause = Clause(res, {{"police", 9'000'000'000}});
  auto w = Post("/api/v1/clauses/" + Id(clause) + "/withdraw",
                R"({"reason":"با مصوبهٔ بعدی جایگزین شد"})", Coordinator());
  EXPECT_EQ(w.status, 204) << w.body;
  EXPECT_EQ(Share(res, clause, "police").at("task").at("state").as_string(), "cancelled");
  EXPECT_EQ(Post("/api/v1/clauses/" + Id(clause) + "/withdraw", R"({"reason":"دوباره پس بگیر"})",
                 Coordinator())
                .status,
            409);
  EXPECT_EQ(Entry(clause, "police", "approved", 10, Coordinator()).status, 409);
  auto unfunded = Obj(http().Get("/api/v1/funding/unfunded?per_page=200", Coordinator()).body);
  for (auto& u : unfunded.at("items").as_array()) EXPECT_NE(u.at("clause_id").as_int64(), clause);
  auto inbox =
      Obj(http()
              .Get("/api/v1/inbox?view=open&kind=resolution&per_page=200", Token("police.operator"))
              .body);
  for (auto& it : inbox.at("items").as_array()) EXPECT_NE(it.at("clause_id").as_int64(), clause);
  EXPECT_EQ(Total("/api/v1/audit?action=clause.withdraw&record_id=" + Id(clause)), 1);
}

TEST_F(FundingTest, CancellingAResolutionCancelsItsOpenTasks) {
  std::int64_t res = Resolution("آزمون/۹", "social_harms_committee");
  std::int64_t clause = Clause(res, {{"relief", 3'000'000}});
  auto patch = http().PatchJson("/api/v1/resolutions/" + Id(res), R"({"status":"cancelled"})",
                                Coordinator());
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(Obj(patch.body).at("status").as_string(), "cancelled");
  EXPECT_EQ(Share(res, clause, "relief").at("task").at("state").as_string(), "cancelled");
  auto unfunded = Obj(http().Get("/api/v1/funding/unfunded?per_page=200", Coordinator()).body);
  for (auto& u : unfunded.at("items").as_array()) EXPECT_NE(u.at("clause_id").as_int64(), clause);
  // The API refuses new entries on a cancelled resolution as the page does (found in review).
  std::int64_t before = Total("/api/v1/credit-entries");
  EXPECT_EQ(Entry(clause, "relief", "committed", 1'000'000, Token("relief.agency-manager")).status,
            409);
  EXPECT_EQ(Entry(clause, "relief", "approved", 1'000'000, Coordinator()).status, 409);
  EXPECT_EQ(Total("/api/v1/credit-entries"), before) << "nothing recorded";
  EXPECT_EQ(Post("/api/v1/resolutions/" + Id(res) + "/clauses",
                 R"({"text":"بند تازه","deadline":")" + Jalali(3) +
                     R"(","agencies":[{"agency_id":)" + Id(agencies_["relief"]) + "}]}",
                 Coordinator())
                .status,
            409);
  EXPECT_EQ(
      http()
          .PatchJson("/api/v1/resolutions/" + Id(res), R"({"status":"paused"})", Coordinator())
          .status,
      400);
  EXPECT_EQ(http()
                .PatchJson("/api/v1/resolutions/" + Id(res), R"({"status":"active"})",
                           Token("relief.agency-manager"))
                .status,
            403);
  auto filtered = Obj(http().Get("/api/v1/resolutions?status=cancelled", Coordinator()).body);
  bool listed = false;
  for (auto& r : filtered.at("items").as_array()) {
    EXPECT_EQ(r.at("status").as_string(), "cancelled");
    listed = listed || r.at("id").as_int64() == res;
  }
  EXPECT_TRUE(listed);
}

TEST_F(FundingTest, LedgerIsAppendOnlyInTheDatabase) {
  std::int64_t res = Resolution("آزمون/۷", "social_council");
  std::int64_t clause = Clause(res, {{"labour", 700}});
  auto ledger =
      Obj(http().Get("/api/v1/credit-entries?clause_id=" + Id(clause), Coordinator()).body);
  ASSERT_EQ(ledger.at("items").as_array().size(), 1u);
  std::int64_t id = ledger.at("items").as_array()[0].at("id").as_int64();
  // The same statements on another table go through: what refuses them is the trigger.
  ASSERT_NO_THROW(server_->RawSql("UPDATE clause_shares SET entries = entries WHERE clause_id = " +
                                  Id(clause)));
  for (const std::string& sql : {"UPDATE credit_entries SET amount_rials = 1 WHERE id = " + Id(id),
                                 "DELETE FROM credit_entries WHERE id = " + Id(id)}) {
    try {
      server_->RawSql(sql);
      ADD_FAILURE() << "not refused: " << sql;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  auto after =
      Obj(http().Get("/api/v1/credit-entries?clause_id=" + Id(clause), Coordinator()).body);
  ASSERT_EQ(after.at("items").as_array().size(), 1u);
  EXPECT_EQ(after.at("items").as_array()[0].at("amount_rials").as_int64(), 700);
  // The shares' running totals agree with the ledger, and break no invariant the database checks.
  EXPECT_THROW(server_->RawSql("UPDATE clause_shares SET approved_rials = needed_rials + 1"),
               std::runtime_error);
}

TEST_F(FundingTest, FundingTablesDownloadAsCsvAndXlsx) {
  std::int64_t res = Resolution("خروجی/۹", "social_council");
  std::int64_t clause = Clause(res, {{"welfare", 7'000'000}, {"labour", 3'000'000}});
  const std::string c = Coordinator();
  EntryId(Entry(clause, "welfare", "approved", 5'000'000, c));
  EntryId(Entry(clause, "welfare", "allocated", 2'000'000, c));
  auto get = [&](const std::string& path) { return http().Get(path, c); };
  auto lines = [](const std::string& csv) {
    std::size_t n = 0;
    for (std::size_t at = csv.find("\r\n"); at != std::string::npos;
         at = csv.find("\r\n", at + 2)) {
      ++n;
    }
    return n;
  };
  auto agency_name = [&](const char* code) {
    auto all = Obj(http().Get("/api/v1/agencies", admin_).body);
    for (const auto& a : all.at("items").as_array()) {
      if (a.at("code").as_string() == code) return std::string(a.at("name").as_string());
    }
    return std::string();
  };

  // The list, filtered as the page is: one resolution, stored number with ASCII digits.
  auto list = get("/resolutions?format=csv&q=" + std::string("%D8%AE%D8%B1%D9%88%D8%AC%DB%8C"));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(list.Header("content-disposition").find("resolutions.csv"), std::string::npos);
  EXPECT_EQ(lines(list.body), 2u) << list.body;
  EXPECT_NE(list.body.find("خروجی/9"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(",10000000,2000000,8000000\r\n"), std::string::npos)
      << "need, allocation and gap as numbers";

  // The resolution: its clause, one row per responsible agency; its ledger, one row per entry.
  auto clauses = get("/resolutions/" + Id(res) + "?format=csv&table=0");
  ASSERT_EQ(clauses.status, 200);
  EXPECT_EQ(lines(clauses.body), 3u) << clauses.body;
  EXPECT_NE(clauses.body.find(agency_name("welfare")), std::string::npos);
  EXPECT_NE(clauses.body.find(agency_name("labour")), std::string::npos);
  // welfare: needed 7M, approved 5M, allocated 2M, nothing further, gap 5M.
  EXPECT_NE(clauses.body.find(",7000000,5000000,2000000,0,0,0,5000000\r\n"), std::string::npos)
      << clauses.body;
  auto ledger = get("/resolutions/" + Id(res) + "?format=csv&table=1");
  EXPECT_EQ(lines(ledger.body), 5u) << "two needed entries, one approval, one allocation\n"
                                    << ledger.body;
  auto xlsx = get("/resolutions/" + Id(res) + "?format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);
  EXPECT_NE(xlsx.body.find("xl/worksheets/sheet2.xml"), std::string::npos) << "both tables";
  EXPECT_NE(xlsx.Header("content-disposition").find("resolution-" + Id(res) + ".xlsx"),
            std::string::npos);

  // Unfunded: every clause with a gap (not one page of them), and the agency filter.
  auto unfunded = get("/funding/unfunded?format=csv");
  ASSERT_EQ(unfunded.status, 200);
  EXPECT_EQ(lines(unfunded.body),
            static_cast<std::size_t>(Obj(get("/api/v1/funding/unfunded?per_page=1").body)
                                         .at("paging")
                                         .at("total")
                                         .as_int64()) +
                1);
  EXPECT_NE(unfunded.body.find(",10000000,2000000,8000000\r\n"), std::string::npos);
  auto labour = get("/funding/unfunded?format=csv&agency_id=" + Id(agencies_["labour"]));
  EXPECT_NE(labour.body.find(",3000000,0,3000000\r\n"), std::string::npos)
      << "only labour's share counts";

  // An agency's funding: its totals and its shares.
  auto totals = get("/funding/agencies/" + Id(agencies_["labour"]) + "?format=csv&table=0");
  ASSERT_EQ(totals.status, 200);
  EXPECT_EQ(lines(totals.body), 2u);
  auto shares = get("/funding/agencies/" + Id(agencies_["labour"]) + "?format=csv&table=1");
  EXPECT_NE(shares.body.find("خروجی/9"), std::string::npos) << shares.body;

  EXPECT_EQ(get("/funding/unfunded?format=pdf").status, 400);
  EXPECT_EQ(get("/resolutions/" + Id(res) + "?format=csv&table=2").status, 400);
  EXPECT_EQ(get("/resolutions/99999999?format=csv").status, 404);
}

TEST_F(FundingTest, PagesShowCreditInPersianAndTakeForms) {
  std::int64_t res = Resolution("آزمون/۸", "drug_control_council");
  std::int64_t clause = Clause(res, {{"welfare", 12'500'000}});
  const std::string c = Coordinator();
  // A form post (bearer: no CSRF needed) with Persian digits and separators.
  auto post = http().Request(
      "POST", "/credit-entries",
      "clause_id=" + Id(clause) + "&agency_id=" + Id(agencies_["welfare"]) +
          "&stage=approved&amount_rials=%DB%B1%DB%B0%D9%AC%DB%B0%DB%B0%DB%B0"
          "%D9%AC%DB%B0%DB%B0%DB%B0&note=",
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Bearer " + c}});
  EXPECT_EQ(post.status, 303) << post.body.substr(0, 400);
  EXPECT_EQ(Share(res, clause, "welfare").at("totals").at("approved").as_int64(), 10'000'000);
  auto over = http().Request(
      "POST", "/credit-entries",
      "clause_id=" + Id(clause) + "&agency_id=" + Id(agencies_["welfare"]) +
          "&stage=allocated&amount_rials=20000000",
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Bearer " + c}});
  EXPECT_EQ(over.status, 422);
  EXPECT_NE(over.body.find("data-testid=\"form-error\""), std::string::npos);

  auto page =
      http().Request("GET", "/resolutions/" + Id(res), "", {{"Authorization", "Bearer " + c}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-testid=\"clause\""), std::string::npos);
  EXPECT_NE(page.body.find("۱۲٬۵۰۰٬۰۰۰"), std::string::npos);  // needed
  EXPECT_NE(page.body.find("۱۰٬۰۰۰٬۰۰۰"), std::string::npos);  // approved
  EXPECT_NE(page.body.find("data-testid=\"ledger\""), std::string::npos);
  EXPECT_NE(page.body.find("data-confirm"), std::string::npos);
  for (const char* path : {"/resolutions", "/funding/unfunded"}) {
    auto r = http().Request("GET", path, "", {{"Authorization", "Bearer " + c}});
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_NE(r.body.find("ریال"), std::string::npos) << path;
  }
  auto agency = http().Request("GET", "/funding/agencies/" + Id(agencies_["welfare"]), "",
                               {{"Authorization", "Bearer " + Token("welfare.operator")}});
  EXPECT_EQ(agency.status, 200);
  EXPECT_NE(agency.body.find("data-testid=\"agency-shares\""), std::string::npos);
  auto empty =
      http().Request("GET", "/resolutions?q=zzzzzz", "", {{"Authorization", "Bearer " + c}});
  EXPECT_NE(empty.body.find("data-testid=\"empty\""), std::string::npos);
  // The demo data is there: four councils' resolutions, some short of funding.
  auto demo = Obj(http().Get("/api/v1/resolutions?q=1404", c).body);
  EXPECT_GE(demo.at("paging").at("total").as_int64(), 4);
}

}  // namespace
}  // namespace peyvand::test
