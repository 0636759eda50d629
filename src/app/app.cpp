#include "app/app.hpp"

#include <boost/json.hpp>

#include <filesystem>

#include "app/embedded.hpp"
#include "db/migrations.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "http/errors.hpp"
#include "http/log.hpp"
#include "modules/accountability/pages.hpp"
#include "modules/accounts/api.hpp"
#include "modules/audit_view/api.hpp"
#include "modules/dashboard/pages.hpp"
#include "modules/funding/api.hpp"
#include "modules/funding/pages.hpp"
#include "modules/notifications/pages.hpp"
#include "modules/pathway/api.hpp"
#include "modules/pathway/pages.hpp"
#include "modules/people/api.hpp"
#include "modules/people/pages.hpp"

namespace peyvand::app {

std::unique_ptr<db::Database> OpenDatabase(const Config& c) {
  if (c.UsesPostgres()) {
    return db::OpenPostgres({c.database_url, c.pg_pool});
  }
  std::filesystem::create_directories(c.data_dir);
  db::SqliteOptions o;
  o.path = c.SqlitePath();
  o.readers = c.sqlite_readers;
  return db::OpenSqlite(o);
}

int RunMigrations(db::Database& db) {
  return db::Migrate(db,
                     db.backend() == db::Backend::kPostgres ? Embedded_pg() : Embedded_sqlite());
}

Services::Services(const Config& c) : config(c), clock(c.clock_offset_ms) {
  db = OpenDatabase(config);
  RunMigrations(*db);
  audit = std::make_unique<audit::AuditService>(*db, clock);
  auth = std::make_unique<accounts::AuthService>(*db, *audit, clock, config.auth);
  directory =
      std::make_unique<accounts::DirectoryService>(*db, *audit, clock, config.auth.hash_cost);
  persons = std::make_unique<people::PeopleService>(
      *db, *audit, clock,
      people::Thresholds{config.people_review_threshold, config.people_strong_threshold});
  pathway = std::make_unique<pathway::PathwayService>(*db, *audit, clock, *persons);
  persons->SetAccess(pathway.get());
  funding =
      std::make_unique<funding::FundingService>(*db, *audit, clock, *pathway, config.data_dir);
  scorecards =
      std::make_unique<accountability::ScorecardService>(*db, *audit, clock, *directory, *pathway);
  dashboard = std::make_unique<dashboard::DashboardService>(*pathway, *scorecards, *funding);
  notices = std::make_unique<notifications::NotificationService>(*db, clock, config.mail);
  escalation = std::make_unique<accountability::EscalationService>(*db, *audit, clock, *directory,
                                                                   *notices, config.escalation);
}

Background::Background(Services& s) {
  if (s.config.mail.enabled()) {
    mailer_ = std::make_unique<Periodic>(
        std::chrono::seconds(2), [&s] { s.notices->SendAllDue(); },
        [](const std::exception& e) {
          http::LogError("mail outbox", {{"error", e.what()}});
        });
  }
  if (s.config.escalation.enabled) {
    s.escalation->FinishInterrupted();
    escalation_ = std::make_unique<Periodic>(
        std::chrono::seconds(s.config.escalation.interval_seconds),
        [this, &s] {
          auto run = s.escalation->Run();
          if (run.run_id == 0) return;
          http::LogInfo("escalation run",
                        {{"run", std::to_string(run.run_id)},
                         {"manager_tasks", std::to_string(run.manager_tasks)},
                         {"coordinator_tasks", std::to_string(run.coordinator_tasks)},
                         {"notifications", std::to_string(run.notifications)}});
          if (mailer_) mailer_->Wake();
        },
        [](const std::exception& e) {
          http::LogError("escalation run", {{"error", e.what()}});
        });
  }
}

Background::~Background() {
  escalation_.reset();  // first: a run in progress may still wake the mailer
  mailer_.reset();
}

http::Response WebApp::RenderError(const http::Request& req, int status, const Error& error) const {
  if (status == 401) {
    return http::Response::Redirect("/login");
  }
  boost::json::object ctx{
      {"title", "خطا"},
      {"status", std::to_string(status)},
      {"message", error.message.empty() ? http::DefaultMessage(status) : error.message},
      {"request_id", req.request_id}};
  try {
    return templates->Page("error", ctx, status);
  } catch (const std::exception&) {
    return http::Response::Html(
        "<!doctype html><meta charset=utf-8><p>" + http::DefaultMessage(status), status);
  }
}

WebApp::WebApp(Services& services, const std::string& web_root) : s(services) {
  assets = std::make_unique<web::StaticFiles>(web_root + "/static");
  templates = std::make_unique<web::Templates>(web_root + "/templates", assets.get());
  guard = std::make_unique<accounts::Guard>(*s.auth, *s.directory);

  router.Get("/healthz", [](http::Request&) { return http::Response::Json(R"({"status":"ok"})"); });
  router.Get("/readyz", [this](http::Request&) {
    if (s.db->Ping()) return http::Response::Json(R"({"status":"ready"})");
    return http::Response::Json(R"({"status":"database unreachable"})", 503);
  });
  router.Get("/metrics", [this](http::Request&) {
    auto res = http::Response::Text(metrics.Render());
    res.content_type = "text/plain; version=0.0.4";
    return res;
  });
  router.Get("/api/v1/openapi.json",
             [](http::Request&) { return http::Response::Json(OpenApiJson()); });
  assets->Register(router);
  accounts::RegisterApi(router, *guard, *s.auth, *s.directory);
  accounts::RegisterPages(router, *guard, *s.auth, *s.directory, *templates);
  audit_view::Register(router, *guard, *s.audit, *templates);
  people::RegisterApi(router, *guard, *s.persons);
  people::RegisterPages(router, *guard, *s.persons, *templates);
  pathway::RegisterApi(router, *guard, *s.pathway);
  pathway::RegisterPages(router, *guard, *s.pathway, *s.persons, *s.directory, *templates);
  funding::RegisterApi(router, *guard, *s.funding);
  funding::RegisterPages(router, *guard, *s.funding, *s.directory, *templates);
  dashboard::RegisterPages(router, *guard, *s.dashboard, *s.scorecards, *s.directory, *templates);
  dashboard::RegisterPublic(router, *s.pathway, *s.scorecards, *s.funding, *s.directory,
                            *templates);
  notifications::Register(router, *guard, *s.notices, *templates);
  accountability::RegisterApi(router, *guard, *s.scorecards);
  accountability::RegisterPages(router, *guard, *s.scorecards, *s.directory, *templates);

  metrics.AddCollector([this] {
    auto st = s.db->Stats();
    std::string out;
    out += "# HELP peyvand_db_write_queue_depth Write transactions waiting for the writer.\n";
    out += "# TYPE peyvand_db_write_queue_depth gauge\n";
    out += "peyvand_db_write_queue_depth " + std::to_string(st.write_queue_depth) + "\n";
    out += "# HELP peyvand_db_commit_batch_size Write transactions per commit.\n";
    out += "# TYPE peyvand_db_commit_batch_size histogram\n";
    std::int64_t cumulative = 0;
    std::int64_t bound = 1;
    for (int i = 0; i < db::DatabaseStats::kBatchBuckets; ++i, bound *= 2) {
      cumulative += st.batch_buckets[i];
      std::string le = i == db::DatabaseStats::kBatchBuckets - 1 ? "+Inf" : std::to_string(bound);
      out += "peyvand_db_commit_batch_size_bucket{le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "peyvand_db_commit_batch_size_count " + std::to_string(st.commits) + "\n";
    out += "peyvand_db_commit_batch_size_sum " + std::to_string(st.committed_jobs) + "\n";
    out += "# HELP peyvand_email_outbox E-mails in the outbox by state (failed: given up).\n";
    out += "# TYPE peyvand_email_outbox gauge\n";
    for (const auto& [state, n] : s.notices->OutboxCounts()) {
      out += "peyvand_email_outbox{state=\"" + state + "\"} " + std::to_string(n) + "\n";
    }
    return out;
  });
}

}  // namespace peyvand::app
