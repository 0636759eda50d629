// Configuration: defaults, then data/peyvand.toml (or --config), then
// environment (PEYVAND_*), then command-line flags.
#pragma once

#include <cstdint>
#include <string>

#include "http/server.hpp"
#include "modules/accountability/escalation.hpp"
#include "modules/accounts/service.hpp"
#include "modules/notifications/service.hpp"

namespace peyvand::app {

struct Config {
  std::string data_dir = "data";
  std::string database_url;  // "" → SQLite at <data_dir>/peyvand.db; "postgresql://…" → PostgreSQL
  std::string web_root;  // "" → <binary dir>/web
  int sqlite_readers = 8;
  int pg_pool = 16;
  http::ServerOptions server;
  accounts::AuthConfig auth;
  bool debug_log = false;
  // Identity resolution: scores at or above `review` go to the review queue,
  // at or above `strong` are shown to the operator before saving.
  int people_review_threshold = 50;
  int people_strong_threshold = 80;
  // Added to the system clock (PEYVAND_CLOCK_OFFSET_MS): lets tests and
  // demonstrations see overdue duties without waiting for them.
  std::int64_t clock_offset_ms = 0;
  // Overdue tasks → agency managers → provincial coordinators ([escalation]), and the e-mail
  // that carries the notices ([mail]; no smtp_host → in-app notifications only).
  accountability::EscalationConfig escalation;
  notifications::MailConfig mail;

  std::string SqlitePath() const { return data_dir + "/peyvand.db"; }
  bool UsesPostgres() const { return database_url.rfind("postgres", 0) == 0; }
};

// Reads the file if it exists (a missing default file is fine; a missing
// explicit file or a bad value is an error) and the environment.
Config LoadConfig(const std::string& explicit_file, const std::string& data_dir_override);

}  // namespace peyvand::app
