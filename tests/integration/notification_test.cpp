// Escalation of overdue tasks (issue 4, part 3) through a real server: the scan runs every second,
// agency managers are told at once (manager_after_hours = 0), coordinators only after a restart
// with a shorter delay; e-mails go to a local SMTP sink that refuses the first one, so the outbox
// must retry. Runs on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <thread>

#include "integration/harness.hpp"
#include "support/smtp_sink.hpp"

namespace peyvand::test {
namespace {

using boost::json::object;

std::int64_t Int(const boost::json::value& v, const char* key) {
  return v.as_object().at(key).to_number<std::int64_t>();
}

class NotificationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sink_ = new SmtpSink();
    sink_->RefuseNext(1);  // the first e-mail must be retried
    server_ = new ServerProcess();
    std::string out;
    ASSERT_EQ(server_->RunCli("seed --demo", &out), 0) << out;
    server_->SetEnv("PEYVAND_SMTP_HOST", "127.0.0.1");
    server_->SetEnv("PEYVAND_SMTP_PORT", std::to_string(sink_->port()));
    server_->SetEnv("PEYVAND_MAIL_FROM", "peyvand@province.example");
    server_->SetEnv("PEYVAND_PUBLIC_URL", "https://peyvand.example/");
    server_->SetEnv("PEYVAND_MAIL_RETRY_SECONDS", "1");
    server_->SetEnv("PEYVAND_ESCALATION_INTERVAL_SECONDS", "1");
    server_->SetEnv("PEYVAND_ESCALATION_MANAGER_AFTER_HOURS", "0");
    server_->SetEnv("PEYVAND_ESCALATION_COORDINATOR_AFTER_HOURS", "87600");
    server_->Start();
  }
  static void TearDownTestSuite() {
    server_->Stop();
    delete server_;
    server_ = nullptr;
    delete sink_;
    sink_ = nullptr;
  }
  static std::string LoginAs(const std::string& user) {
    return server_->client().Login(user, server_->PasswordOf(user));
  }
  static object Get(const std::string& target, const std::string& token) {
    auto res = server_->client().Get(target, token);
    EXPECT_EQ(res.status, 200) << target << ": " << res.body;
    return boost::json::parse(res.body).as_object();
  }
  // Polls until the user has at least `n` notifications (the scan runs every second).
  static object WaitForNotifications(const std::string& token, std::size_t n) {
    object list;
    for (int i = 0; i < 100; ++i) {
      list = Get("/api/v1/notifications?per_page=200", token);
      if (list.at("items").as_array().size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return list;
  }
  static std::int64_t TasksIn(const object& list) {
    std::int64_t sum = 0;
    for (const auto& n : list.at("items").as_array()) sum += Int(n, "tasks");
    return sum;
  }
  static std::vector<SinkMail> MailsTo(const std::string& address) {
    std::vector<SinkMail> out;
    for (auto& m : sink_->Mails()) {
      if (m.to == address) out.push_back(m);
    }
    return out;
  }

  static inline ServerProcess* server_ = nullptr;
  static inline SmtpSink* sink_ = nullptr;
};

TEST_F(NotificationTest, ManagersAreToldOnceOfEveryOverdueTaskByInAppNoticeAndEmail) {
  std::string manager = LoginAs("welfare.agency-manager");
  std::string operator_ = LoginAs("welfare.operator");
  ASSERT_FALSE(manager.empty());
  auto overdue = Int(Get("/api/v1/inbox?view=overdue", operator_).at("counts"), "overdue");
  ASSERT_GT(overdue, 0) << "the demo data has overdue tasks in welfare's queue";
  auto list = WaitForNotifications(manager, 1);
  ASSERT_FALSE(list.at("items").as_array().empty()) << "no escalation notice within 20 s";
  // Every overdue task of the queue was reported exactly once, across however many runs.
  if (TasksIn(list) != overdue) {  // a task may have come due between the two reads
    std::this_thread::sleep_for(std::chrono::seconds(2));
    overdue = Int(Get("/api/v1/inbox?view=overdue", operator_).at("counts"), "overdue");
    list = Get("/api/v1/notifications?per_page=200", manager);
  }
  EXPECT_EQ(TasksIn(list), overdue);
  const auto& first = list.at("items").as_array().back().as_object();
  EXPECT_EQ(first.at("kind").as_string(), "escalation.manager");
  EXPECT_EQ(first.at("link").as_string(), "/inbox?view=overdue");
  EXPECT_FALSE(first.at("read").as_bool());
  std::string title(first.at("title").as_string());
  EXPECT_NE(title.find("وظایف معوق در کارتابل"), std::string::npos) << title;
  const auto& agencies = first.at("agencies").as_array();
  ASSERT_EQ(agencies.size(), 1u);
  EXPECT_EQ(Int(agencies[0], "tasks"), Int(first, "tasks"));
  EXPECT_EQ(Int(list, "unread"), static_cast<std::int64_t>(list.at("items").as_array().size()));
  EXPECT_EQ(Int(Get("/api/v1/notifications/unread-count", manager), "unread"), Int(list, "unread"));

  // The e-mail: refused once by the sink, then delivered on the retry; one per notification.
  const std::string address = "welfare.agency-manager@peyvand.example";
  for (int i = 0; i < 100 && MailsTo(address).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  auto mails = MailsTo(address);
  ASSERT_FALSE(mails.empty()) << "no e-mail reached the sink";
  EXPECT_GE(sink_->refused(), 1);
  EXPECT_EQ(mails[0].from, "peyvand@province.example");
  EXPECT_EQ(mails[0].Subject(), "پیوند: " + title);
  std::string text = mails[0].Text();
  EXPECT_NE(text.find(std::string(first.at("body").as_string())), std::string::npos) << text;
  EXPECT_NE(text.find("https://peyvand.example/inbox?view=overdue"), std::string::npos) << text;
  // Once the outbox has nothing pending (its counts are in /metrics), the sink holds one e-mail
  // per notification of this manager: none twice.
  for (int i = 0; i < 100; ++i) {
    auto metrics = server_->client().Get("/metrics").body;
    ASSERT_NE(metrics.find("peyvand_email_outbox{state=\"sent\"}"), std::string::npos);
    if (metrics.find("peyvand_email_outbox{state=\"pending\"} 0\n") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  list = Get("/api/v1/notifications?per_page=200", manager);
  EXPECT_EQ(MailsTo(address).size(), list.at("items").as_array().size());
  // The scorecard aggregates did not move when tasks were marked escalated.
  std::string out;
  EXPECT_EQ(server_->RunCli("stats verify", &out), 0) << out;
}

TEST_F(NotificationTest, EachUserSeesAndMarksOnlyTheirOwn) {
  std::string manager = LoginAs("welfare.agency-manager");
  std::string police = LoginAs("police.agency-manager");
  auto list = WaitForNotifications(manager, 1);
  ASSERT_FALSE(list.at("items").as_array().empty());
  std::int64_t id = Int(list.at("items").as_array()[0], "id");
  std::string path = "/api/v1/notifications/" + std::to_string(id);
  auto c = server_->client();
  EXPECT_EQ(c.Get(path, police).status, 404);
  EXPECT_EQ(c.PostJson(path + "/read", "{}", police).status, 404);
  EXPECT_EQ(c.Get(path, "").status, 401);
  EXPECT_EQ(c.Get("/api/v1/notifications/abc", manager).status, 404);
  EXPECT_EQ(c.Get("/api/v1/notifications/999999999", manager).status, 404);
  EXPECT_FALSE(Get(path, manager).at("read").as_bool());

  std::int64_t unread = Int(Get("/api/v1/notifications/unread-count", manager), "unread");
  ASSERT_GT(unread, 0);
  auto read = c.PostJson(path + "/read", "{}", manager);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(boost::json::parse(read.body).at("read").as_bool());
  EXPECT_EQ(Int(Get("/api/v1/notifications/unread-count", manager), "unread"), unread - 1);
  EXPECT_EQ(c.PostJson(path + "/read", "{}", manager).status, 200);  // again: no change
  EXPECT_EQ(Int(Get("/api/v1/notifications/unread-count", manager), "unread"), unread - 1);
  auto unread_list = Get("/api/v1/notifications?unread=1", manager);
  for (const auto& n : unread_list.at("items").as_array()) EXPECT_NE(Int(n, "id"), id);

  auto all = c.PostJson("/api/v1/notifications/read-all", "{}", manager);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Int(boost::json::parse(all.body), "marked"), unread - 1);
  EXPECT_EQ(Int(Get("/api/v1/notifications/unread-count", manager), "unread"), 0);
}

TEST_F(NotificationTest, PagesShowTheListAndTheHeaderBadge) {
  std::string manager = LoginAs("welfare.agency-manager");
  WaitForNotifications(manager, 1);
  auto c = server_->client();
  auto page = c.Get("/notifications", manager);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-testid=\"notifications\""), std::string::npos);
  EXPECT_NE(page.body.find("وظایف معوق در کارتابل"), std::string::npos);
  EXPECT_NE(page.body.find("hx-get=\"/notifications/badge\""), std::string::npos);
  auto badge = c.Get("/notifications/badge", manager);
  EXPECT_EQ(badge.status, 200);
  EXPECT_NE(badge.body.find("اعلان‌ها"), std::string::npos);
  // Without a session the badge is the plain link, never the login page.
  auto anonymous = c.Get("/notifications/badge");
  EXPECT_EQ(anonymous.status, 200);
  EXPECT_EQ(anonymous.body, "اعلان‌ها");
  // Someone with nothing escalated to them gets the empty state.
  std::string researcher = LoginAs("welfare.researcher");
  auto empty = c.Get("/notifications", researcher);
  ASSERT_EQ(empty.status, 200);
  EXPECT_NE(empty.body.find("data-testid=\"empty\""), std::string::npos);
}

TEST_F(NotificationTest, UserEmailIsValidatedAndStoredLowerCase) {
  auto admin = server_->client().Login("admin", server_->AdminPassword());
  auto users = Get("/api/v1/users?q=welfare.operator", admin);
  ASSERT_FALSE(users.at("items").as_array().empty());
  std::int64_t id = Int(users.at("items").as_array()[0], "id");
  std::string path = "/api/v1/users/" + std::to_string(id);
  auto c = server_->client();
  auto bad = c.PatchJson(path, R"({"email": "not an address"})", admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"email\""), std::string::npos) << bad.body;
  EXPECT_EQ(Get(path, admin).at("email").as_string(), "");
  auto good = c.PatchJson(path, R"({"email": "Welfare.Operator@Province.Example"})", admin);
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(boost::json::parse(good.body).at("email").as_string(),
            "welfare.operator@province.example");
  auto cleared = c.PatchJson(path, R"({"email": ""})", admin);
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(boost::json::parse(cleared.body).at("email").as_string(), "");
}

// Last: restarts the server with a short coordinator delay.
TEST_F(NotificationTest, ZCoordinatorsAreToldAfterTheLongerDelayAndNothingIsRepeated) {
  std::string manager = LoginAs("welfare.agency-manager");
  std::string coordinator = LoginAs("governorate.coordinator");
  ASSERT_FALSE(coordinator.empty());
  auto before = WaitForNotifications(manager, 1);
  EXPECT_TRUE(Get("/api/v1/notifications", coordinator).at("items").as_array().empty())
      << "coordinators are told only after coordinator_after_hours";

  server_->Stop();
  server_->SetEnv("PEYVAND_ESCALATION_COORDINATOR_AFTER_HOURS", "1");
  server_->Start();
  coordinator = LoginAs("governorate.coordinator");
  manager = LoginAs("welfare.agency-manager");
  auto list = WaitForNotifications(coordinator, 1);
  ASSERT_FALSE(list.at("items").as_array().empty()) << "no coordinator notice within 20 s";
  const auto& n = list.at("items").as_array().back().as_object();
  EXPECT_EQ(n.at("kind").as_string(), "escalation.coordinator");
  EXPECT_EQ(Int(n, "hours"), 1);
  std::int64_t sum = 0;
  for (const auto& a : n.at("agencies").as_array()) sum += Int(a, "tasks");
  EXPECT_EQ(sum, Int(n, "tasks"));
  EXPECT_GT(sum, 0);
  // The restart re-told the managers nothing: the same tasks, the same total.
  auto after = Get("/api/v1/notifications?per_page=200", manager);
  EXPECT_GE(TasksIn(after), TasksIn(before));
  EXPECT_LE(TasksIn(after) - TasksIn(before), 2) << "tasks escalated twice to the manager";

  // Each run is in the audit log, as the system.
  auto admin = server_->client().Login("admin", server_->AdminPassword());
  auto audit = Get("/api/v1/audit?action=escalation.run", admin);
  ASSERT_FALSE(audit.at("items").as_array().empty());
  EXPECT_EQ(audit.at("items").as_array()[0].at("username").as_string(), "system");
  std::string out;
  EXPECT_EQ(server_->RunCli("audit verify", &out), 0) << out;
  // The same scan from the command line (cron on one node): nothing left for it to move.
  ASSERT_EQ(server_->RunCli("escalate", &out), 0) << out;
  EXPECT_NE(out.find("escalated 0 tasks to agency managers"), std::string::npos) << out;
}

}  // namespace
}  // namespace peyvand::test
