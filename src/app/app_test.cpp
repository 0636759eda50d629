// The composition root against a real SQLite file: every API route is in the
// OpenAPI document, and every documented path exists.
#include "app/app.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <set>

#include "app/embedded.hpp"
#include "core/clock.hpp"

namespace peyvand::app {
namespace {

std::string Lower(http::Method m) {
  std::string s = http::MethodName(m);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(AppTest, OpenApiCoversEveryApiRoute) {
  auto dir = std::filesystem::temp_directory_path() / ("peyvand-app-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "web" / "templates");
  Config config;
  config.data_dir = (dir / "data").string();
  config.auth.hash_cost.mem_bytes = 8 << 20;
  {
    Services services(config);
    WebApp web(services, (dir / "web").string());
    auto doc = boost::json::parse(OpenApiJson()).as_object();
    const auto& paths = doc.at("paths").as_object();
    std::set<std::string> routed;
    for (const auto& r : web.router.Routes()) {
      bool api = r.pattern.rfind("/api/", 0) == 0 || r.pattern == "/healthz" ||
                 r.pattern == "/readyz" || r.pattern == "/metrics";
      if (!api) continue;
      routed.insert(Lower(r.method) + " " + r.pattern);
      ASSERT_TRUE(paths.contains(r.pattern)) << r.pattern << " is not documented";
      EXPECT_TRUE(paths.at(r.pattern).as_object().contains(Lower(r.method)))
          << Lower(r.method) << " " << r.pattern << " is not documented";
    }
    for (const auto& [path, ops] : paths) {
      for (const auto& [method, op] : ops.as_object()) {
        EXPECT_TRUE(routed.count(std::string(method) + " " + std::string(path)))
            << method << " " << path << " is documented but not routed";
      }
    }
    services.db->Close();
  }
  std::filesystem::remove_all(dir);
}

TEST(AppTest, MigrationsAreIdempotent) {
  auto dir = std::filesystem::temp_directory_path() / ("peyvand-mig-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Config config;
  config.data_dir = dir.string();
  auto db = OpenDatabase(config);
  EXPECT_GT(RunMigrations(*db), 0);
  EXPECT_EQ(RunMigrations(*db), 0);
  EXPECT_EQ(Embedded_sqlite().size(), Embedded_pg().size());
  db->Close();
  std::filesystem::remove_all(dir);
}

TEST(AppTest, SessionsExpireWhenIdleAndAtTheirLimit) {
  auto dir =
      std::filesystem::temp_directory_path() / ("peyvand-sess-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Config config;
  config.data_dir = dir.string();
  config.auth.hash_cost.mem_bytes = 8 << 20;
  auto db = OpenDatabase(config);
  RunMigrations(*db);
  OffsetClock clock;
  audit::AuditService audit(*db, clock);
  accounts::AuthService auth(*db, audit, clock, config.auth);
  accounts::DirectoryService dir_service(*db, audit, clock, config.auth.hash_cost);
  auto agency = dir_service.EnsureAgency({0, "welfare", "بهزیستی", "", true});
  dir_service.CreateUserAsSystem({"clerk",
                                  "کارمند",
                                  agency.id,
                                  std::nullopt,
                                  std::nullopt,
                                  {accounts::Role::kOperator},
                                  "a-long-password",
                                  ""});
  audit::Actor anon;
  anon.ip = "127.0.0.1";
  constexpr std::int64_t kMinute = 60 * 1000;

  // Browser session: alive while used, gone after 30 idle minutes.
  auto browser = auth.Login("clerk", "a-long-password", true, anon);
  clock.Advance(29 * kMinute);
  EXPECT_TRUE(auth.Authenticate(browser.token, true).has_value());
  clock.Advance(29 * kMinute);  // used a minute ago → still idle for < 30 min
  EXPECT_TRUE(auth.Authenticate(browser.token, true).has_value());
  clock.Advance(31 * kMinute);
  EXPECT_FALSE(auth.Authenticate(browser.token, true).has_value());

  // Kept busy, it still ends at the absolute limit (12 h).
  auto busy = auth.Login("clerk", "a-long-password", true, anon);
  for (int i = 0; i < 12 * 3; ++i) {
    clock.Advance(20 * kMinute);
    bool alive = auth.Authenticate(busy.token, true).has_value();
    EXPECT_EQ(alive, (i + 1) * 20 < 12 * 60) << i;
  }
  // A browser token is not an API token and the reverse.
  auto api = auth.Login("clerk", "a-long-password", false, anon);
  EXPECT_FALSE(auth.Authenticate(api.token, true).has_value());
  EXPECT_TRUE(auth.Authenticate(api.token, false).has_value());
  clock.Advance(31LL * 24 * 60 * kMinute);
  EXPECT_FALSE(auth.Authenticate(api.token, false).has_value());
  db->Close();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace peyvand::app
