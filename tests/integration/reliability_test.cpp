// Durability, tamper evidence, hostile clients and shutdown, each on a server of its own.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "integration/harness.hpp"

namespace peyvand::test {
namespace {

std::unique_ptr<ServerProcess> SeededServer(const std::string& toml = "") {
  auto s = std::make_unique<ServerProcess>();
  if (!toml.empty()) s->WriteConfig(toml);
  std::string out;
  EXPECT_EQ(s->RunCli("seed --demo", &out), 0) << out;
  s->Start();
  return s;
}

TEST(ReliabilityTest, AcknowledgedWritesSurviveKill9) {
  auto server = SeededServer();
  std::string token = server->client().Login("admin", server->AdminPassword());
  ASSERT_FALSE(token.empty());
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> count{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      Client c(server->port());
      for (int i = 0; !stop; ++i) {
        std::string name = "county-" + std::to_string(w) + "-" + std::to_string(i);
        try {
          auto r = c.PostJson("/api/v1/counties",
                              boost::json::serialize(boost::json::object{{"name", name}}), token);
          if (r.status == 201) {
            std::lock_guard lock(mu);
            acknowledged.insert(name);
            count++;
          }
        } catch (const std::exception&) {
          return;  // the server died under us: that request was never acknowledged
        }
      }
    });
  }
  // Kill once a good number of writes were acknowledged (bounded wait, no sleep-for-correctness).
  for (int i = 0; i < 2000 && count < 300; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server->Kill9();
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GT(acknowledged.size(), 50u);

  server->Start();
  token = server->client().Login("admin", server->AdminPassword());
  auto r = server->client().Get("/api/v1/counties", token);
  ASSERT_EQ(r.status, 200);
  std::set<std::string> present;
  auto parsed = boost::json::parse(r.body);
  for (const auto& c : parsed.at("items").as_array())
    present.insert(std::string(c.at("name").as_string()));
  for (const auto& name : acknowledged)
    EXPECT_TRUE(present.count(name)) << name << " was acknowledged but lost";
  server->Stop();
  std::string out;
  EXPECT_EQ(server->RunCli("audit verify", &out), 0) << out;
}

TEST(ReliabilityTest, AuditVerifyDetectsTampering) {
  auto server = SeededServer();
  server->Stop();
  std::string out;
  ASSERT_EQ(server->RunCli("audit verify", &out), 0) << out;
  EXPECT_NE(out.find("intact"), std::string::npos);

  // An edited entry.
  ASSERT_NO_THROW(server->RawSql("UPDATE audit_log SET summary = '{\"edited\":1}' WHERE id = 10"));
  EXPECT_NE(server->RunCli("audit verify", &out), 0);
  EXPECT_NE(out.find("entry 10"), std::string::npos) << out;
}

TEST(ReliabilityTest, AuditVerifyDetectsDeletionAndReordering) {
  {
    auto server = SeededServer();
    server->Stop();
    server->RawSql("DELETE FROM audit_log WHERE id = 7");
    std::string out;
    EXPECT_NE(server->RunCli("audit verify", &out), 0);
    EXPECT_NE(out.find("entry 7"), std::string::npos) << out;
  }
  {
    auto server = SeededServer();
    server->Stop();
    // Swap the contents of entries 5 and 6 (a reordering), keeping their hashes valid on their own.
    server->RawSql(
        "UPDATE audit_log SET id = -5 WHERE id = 5; UPDATE audit_log SET id = 5 WHERE id = 6; "
        "UPDATE audit_log SET id = 6 WHERE id = -5;");
    std::string out;
    EXPECT_NE(server->RunCli("audit verify", &out), 0);
    EXPECT_NE(out.find("entry 5"), std::string::npos) << out;
  }
  {
    auto server = SeededServer();
    server->Stop();
    // Dropping the newest entries is caught by the chain head.
    server->RawSql("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)");
    std::string out;
    EXPECT_NE(server->RunCli("audit verify", &out), 0);
    EXPECT_NE(out.find("BROKEN"), std::string::npos) << out;
  }
}

TEST(ReliabilityTest, SlowAndHalfClosedClientsDoNotBlockOthers) {
  auto server = SeededServer("[server]\nread_timeout_ms = 400\nidle_timeout_ms = 2000\n");
  // A client that starts a request and stalls gets 408 after the read timeout.
  RawConnection slow(server->port());
  slow.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  // Meanwhile others are served.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(server->client().Get("/healthz").status, 200);
  std::string got = slow.ReadAll(3000);
  EXPECT_NE(got.find("408"), std::string::npos) << got;

  // Half-closed mid-request: the server closes without answering and keeps serving.
  RawConnection half(server->port());
  half.Send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"user");
  half.ShutdownWrite();
  EXPECT_TRUE(half.PeerClosed(3000));
  // Garbage is a 400.
  RawConnection junk(server->port());
  junk.Send("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(junk.ReadAll(2000).find("400"), std::string::npos);
  // Idle keep-alive connections are closed after the idle timeout.
  RawConnection idle(server->port());
  EXPECT_TRUE(idle.PeerClosed(4000));
  EXPECT_EQ(server->client().Get("/readyz").status, 200);
}

TEST(ReliabilityTest, GracefulShutdownFinishesInFlightRequest) {
  auto server = SeededServer();
  std::string body = boost::json::serialize(
      boost::json::object{{"username", "admin"}, {"password", server->AdminPassword()}});
  RawConnection conn(server->port());
  // Send the headers and half the body, then ask the server to stop.
  std::string head =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  conn.Send(head + body.substr(0, body.size() / 2));
  RawConnection idle(server->port());  // an idle keep-alive client
  std::thread stopper([&] { server->Stop(); });
  // Shutdown has begun once the idle connection is closed; the in-flight
  // request is still answered in full after that.
  EXPECT_TRUE(idle.PeerClosed(3000));
  conn.Send(body.substr(body.size() / 2));
  std::string got = conn.ReadAll(5000);
  stopper.join();
  EXPECT_NE(got.find("200 OK"), std::string::npos) << got;
  EXPECT_NE(got.find("\"token\""), std::string::npos);
  EXPECT_EQ(server->exit_status(), 0);
}

TEST(ReliabilityTest, ConnectionLimitAnswers503) {
  auto server = SeededServer("[server]\nmax_connections = 3\n");
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(server->port()));
    held.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(held.back()->ReadAll(300).find("200 OK"), std::string::npos);  // kept alive
  }
  RawConnection extra(server->port());
  EXPECT_NE(extra.ReadAll(3000).find("503"), std::string::npos);
  held.clear();  // once they go, new clients are served again
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    try {
      served = server->client().Get("/healthz").status == 200;
    } catch (const std::exception&) {
    }
  }
  EXPECT_TRUE(served);
}

TEST(ReliabilityTest, LoginRateLimitPerIp) {
  auto s = std::make_unique<ServerProcess>();
  std::string out;
  ASSERT_EQ(s->RunCli("seed --demo", &out), 0) << out;
  s->SetEnv("PEYVAND_LOGIN_IP_ATTEMPTS", "3");
  s->Start();
  boost::json::object bad{{"username", "nobody"}, {"password", "whatever-it-is"}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(s->client().PostJson("/api/v1/auth/login", boost::json::serialize(bad)).status, 401);
  }
  auto limited = s->client().PostJson("/api/v1/auth/login", boost::json::serialize(bad));
  EXPECT_EQ(limited.status, 429);
  EXPECT_NE(limited.body.find("rate_limited"), std::string::npos);
  // Even the right password waits: the limit is per IP, before any credential check.
  EXPECT_TRUE(s->client().Login("admin", s->AdminPassword()).empty());
}

TEST(ReliabilityTest, CommandLineUserAdd) {
  auto s = std::make_unique<ServerProcess>();
  std::string out;
  ASSERT_EQ(s->RunCli("seed --demo", &out), 0) << out;
  EXPECT_EQ(
      s->RunCli("user add --username cli.user --display-name 'کاربر خط فرمان' --agency welfare "
                "--roles operator,researcher --password a-long-cli-password",
                &out),
      0)
      << out;
  EXPECT_NE(
      s->RunCli("user add --username cli.user --display-name x --agency welfare --roles operator",
                &out),
      0);
  EXPECT_NE(out.find("تکراری"), std::string::npos) << out;
  EXPECT_NE(
      s->RunCli("user add --username other --display-name x --agency nowhere --roles operator",
                &out),
      0);
  EXPECT_NE(
      s->RunCli("user add --username other --display-name x --agency welfare --roles wizard", &out),
      0);
  s->Start();
  std::string token = s->client().Login("cli.user", "a-long-cli-password");
  ASSERT_FALSE(token.empty());
  auto me = s->client().Get("/api/v1/me", token);
  EXPECT_NE(me.body.find("researcher"), std::string::npos);
  // Seeding again keeps the user and the demo logins as they are.
  std::string before = s->AdminPassword();
  s->Stop();
  ASSERT_EQ(s->RunCli("seed --demo", &out), 0) << out;
  EXPECT_EQ(s->AdminPassword(), before);
}

}  // namespace
}  // namespace peyvand::test
