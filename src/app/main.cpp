// peyvand serve | migrate | seed [--demo] [--synthetic N [--seed S]] | people match | user add |
// audit verify
// stats verify | escalate
#include <CLI/CLI.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "app/app.hpp"
#include "app/synthetic.hpp"
#include "http/log.hpp"
#include "http/server.hpp"
#include "modules/accounts/crypto.hpp"
#include "modules/accounts/rules.hpp"

namespace {

std::string BinaryDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace peyvand;
  CLI::App cli{"Peyvand (پیوند): coordination of agencies on social harms"};
  cli.require_subcommand(1);
  std::string config_file, data_dir, database_url;
  cli.add_option("--config", config_file, "TOML config file (default: <data-dir>/peyvand.toml)");
  cli.add_option("--data-dir", data_dir, "data folder (default: ./data)");
  cli.add_option("--database-url", database_url,
                 "postgresql://… to use PostgreSQL instead of SQLite");

  auto* serve = cli.add_subcommand("serve", "run the HTTP server");
  int port = -1;
  std::string address, web_root;
  serve->add_option("--port", port,
                    "listening port (0: any free port; default 8080 or PEYVAND_PORT)");
  serve->add_option("--address", address, "listening address (default 127.0.0.1)");
  serve->add_option("--web-root", web_root,
                    "templates and static files (default: next to the binary)");

  auto* migrate = cli.add_subcommand("migrate", "apply database migrations");
  auto* seed = cli.add_subcommand("seed", "load data");
  bool demo = false;
  std::int64_t synthetic_persons = 0;
  std::uint64_t synthetic_seed = app::synthetic::kDefaultSeed;
  seed->add_flag(
      "--demo", demo,
      "counties, agencies, demo users, facilities and 300 synthetic persons (idempotent)");
  seed->add_option("--synthetic", synthetic_persons,
                   "add N synthetic persons with their episodes through the pathway")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  seed->add_option("--seed", synthetic_seed,
                   "random seed for --synthetic (same seed, same persons)");

  auto* user = cli.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create a user");
  std::string username, display_name, agency_code, roles_csv, password;
  user_add->add_option("--username", username)->required();
  user_add->add_option("--display-name", display_name)->required();
  user_add->add_option("--agency", agency_code, "agency code, e.g. welfare")->required();
  user_add
      ->add_option("--roles", roles_csv,
                   "comma-separated: system_admin, agency_manager, operator, coordinator, auditor, "
                   "researcher")
      ->required();
  user_add->add_option("--password", password, "default: a random one, printed once");

  auto* people_cmd = cli.add_subcommand("people", "people and identity resolution");
  people_cmd->require_subcommand(1);
  auto* match = people_cmd->add_subcommand(
      "match", "batch duplicate job: queue likely duplicates among existing records for review");
  std::int64_t match_after = 0;
  match->add_option("--after-id", match_after, "only records with a larger id (resume)");

  auto* audit_cmd = cli.add_subcommand("audit", "audit log");
  audit_cmd->require_subcommand(1);
  auto* verify = audit_cmd->add_subcommand("verify", "check the hash chain");

  auto* escalate = cli.add_subcommand(
      "escalate",
      "run the escalation of overdue tasks once and send the e-mails that are due (serve does "
      "both on its own)");
  auto* stats_cmd = cli.add_subcommand("stats", "pre-aggregated figures");
  stats_cmd->require_subcommand(1);
  auto* stats_verify = stats_cmd->add_subcommand(
      "verify", "recompute the scorecard aggregates from the tasks and compare");

  CLI11_PARSE(cli, argc, argv);
  // The database holds password hashes and personal data: not readable by other users.
  ::umask(027);

  try {
    app::Config config = app::LoadConfig(config_file, data_dir);
    if (!database_url.empty()) config.database_url = database_url;
    http::ConfigureLog("-", config.debug_log);

    if (*migrate) {
      auto db = app::OpenDatabase(config);
      int n = app::RunMigrations(*db);
      std::cout << "migrations applied: " << n << "\n";
      return 0;
    }
    app::Services services(config);
    if (*seed) {
      if (!demo && synthetic_persons == 0) {
        std::cerr << "seed: give --demo, --synthetic N, or both\n";
        return 2;
      }
      if (demo) app::SeedDemo(services);
      if (synthetic_persons > 0) app::SeedSynthetic(services, synthetic_persons, synthetic_seed);
      return 0;
    }
    if (*user_add) {
      auto agency = services.directory->FindAgencyByCode(agency_code);
      if (!agency) {
        std::cerr << "unknown agency code: " << agency_code << "\n";
        return 2;
      }
      auto roles = accounts::RolesFromCodes(roles_csv);
      if (!roles) {
        std::cerr << roles.error().message << "\n";
        return 2;
      }
      bool generated = password.empty();
      if (generated) password = accounts::RandomToken(12);
      accounts::NewUser u{username,     display_name, agency->id, std::nullopt,
                          std::nullopt, *roles,       password,   ""};
      auto created = services.directory->CreateUserAsSystem(u);
      std::cout << "created user " << created.username << " (id " << created.id << ")";
      if (generated) std::cout << " with password " << password;
      std::cout << "\n";
      return 0;
    }
    if (*match) {
      auto started = std::chrono::steady_clock::now();
      auto result = services.persons->BatchMatch(
          match_after, [&](std::int64_t done, std::int64_t total, std::int64_t pairs) {
            double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::cerr << "people match: " << done << " / " << total << " records, " << pairs
                      << " new pairs, " << static_cast<long>(s) << " s\n";
          });
      std::cout << "checked " << result.checked << " records; " << result.new_pairs
                << " new pairs queued for review\n";
      return 0;
    }
    if (*verify) {
      auto result = services.audit->Verify();
      if (result.ok) {
        std::cout << "audit chain intact: " << result.checked << " entries\n";
        return 0;
      }
      std::cerr << "audit chain BROKEN at entry " << result.first_bad_id << ": " << result.problem
                << "\n";
      return 1;
    }
    if (*escalate) {
      services.escalation->FinishInterrupted();
      auto run = services.escalation->Run();
      int sent = services.notices->SendAllDue();
      std::cout << "escalated " << run.manager_tasks << " tasks to agency managers and "
                << run.coordinator_tasks << " to coordinators; " << run.notifications
                << " new notifications; " << sent << " e-mails sent\n";
      return 0;
    }
    if (*stats_verify) {
      auto differences = services.scorecards->Verify();
      if (auto flow = services.pathway->VerifyFlow(); flow > 0) {
        differences.push_back(std::to_string(flow) +
                              " pathway flow rows (pathway_day_stats) differ from the records");
      }
      if (differences.empty()) {
        std::cout << "scorecard aggregates match the tasks\n";
        return 0;
      }
      std::cerr << "scorecard aggregates DIFFER from the tasks:\n";
      for (const auto& d : differences) std::cerr << "  " << d << "\n";
      return 1;
    }
    if (*serve) {
      if (port >= 0) config.server.port = static_cast<std::uint16_t>(port);
      if (!address.empty()) config.server.address = address;
      if (!web_root.empty()) config.web_root = web_root;
      if (config.web_root.empty()) config.web_root = BinaryDir() + "/web";
      app::WebApp web(services, config.web_root);
      http::Server server(config.server, web.router, web.metrics);
      server.SetHtmlErrorRenderer([&web](const http::Request& req, int status, const Error& e) {
        return web.RenderError(req, status, e);
      });
      auto bound = server.Start();
      // Tests and scripts wait for this line: the server accepts connections once it is printed.
      std::cout << "listening on http://" << config.server.address << ":" << bound << std::endl;
      {
        app::Background background(services);
        server.Wait();
      }
      services.db->Close();
      std::cout << "stopped" << std::endl;
      return 0;
    }
  } catch (const AppError& e) {
    std::cerr << "error: " << e.error().message;
    for (const auto& f : e.error().fields) std::cerr << " [" << f.field << ": " << f.message << "]";
    std::cerr << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
