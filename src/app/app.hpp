// The composition root: picks the backend, builds services, registers routes.
#pragma once

#include <memory>
#include <string>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/periodic.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "modules/accountability/escalation.hpp"
#include "modules/accountability/service.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/accounts/service.hpp"
#include "modules/audit/service.hpp"
#include "modules/dashboard/service.hpp"
#include "modules/funding/service.hpp"
#include "modules/notifications/service.hpp"
#include "modules/pathway/service.hpp"
#include "modules/people/service.hpp"
#include "web/static_files.hpp"
#include "web/templates.hpp"

namespace peyvand::app {

std::unique_ptr<db::Database> OpenDatabase(const Config& config);
int RunMigrations(db::Database& db);

// Everything a running server or a CLI command needs, wired once.
struct Services {
  explicit Services(const Config& config);
  Config config;
  OffsetClock clock;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<audit::AuditService> audit;
  std::unique_ptr<accounts::AuthService> auth;
  std::unique_ptr<accounts::DirectoryService> directory;
  std::unique_ptr<people::PeopleService> persons;
  std::unique_ptr<pathway::PathwayService> pathway;
  std::unique_ptr<funding::FundingService> funding;
  std::unique_ptr<dashboard::DashboardService> dashboard;
  std::unique_ptr<accountability::ScorecardService> scorecards;
  std::unique_ptr<notifications::NotificationService> notices;
  std::unique_ptr<accountability::EscalationService> escalation;
};

// The server's background work while it runs: the escalation scan every interval and the
// e-mail outbox every few seconds (and right after a scan). Stops both on destruction.
class Background {
 public:
  explicit Background(Services& services);
  ~Background();

 private:
  std::unique_ptr<Periodic> mailer_;
  std::unique_ptr<Periodic> escalation_;
};

struct WebApp {
  WebApp(Services& services, const std::string& web_root);
  Services& s;
  http::Metrics metrics;
  http::Router router;
  std::unique_ptr<web::StaticFiles> assets;
  std::unique_ptr<web::Templates> templates;
  std::unique_ptr<accounts::Guard> guard;
  http::Response RenderError(const http::Request& req, int status, const Error& error) const;
};

// Seeding (seed.cpp).
void SeedDemo(Services& services);
// N synthetic persons with their episodes (app/synthetic.hpp). The same seed
// gives the same persons; their histories are placed relative to now.
void SeedSynthetic(Services& services, std::int64_t persons, std::uint64_t seed);

}  // namespace peyvand::app
