// The composition root against a real SQLite file: every API route is in the
// OpenAPI document, and every documented path exists.
#include "app/app.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <set>

#include "app/embedded.hpp"

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

}  // namespace
}  // namespace peyvand::app
