// Configuration: defaults, then data/peyvand.toml (or --config), then
// environment (PEYVAND_*), then command-line flags.
#pragma once

#include <cstdint>
#include <string>

#include "http/server.hpp"
#include "modules/accounts/service.hpp"

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

  std::string SqlitePath() const { return data_dir + "/peyvand.db"; }
  bool UsesPostgres() const { return database_url.rfind("postgres", 0) == 0; }
};

// Reads the file if it exists (a missing default file is fine; a missing
// explicit file or a bad value is an error) and the environment.
Config LoadConfig(const std::string& explicit_file, const std::string& data_dir_override);

}  // namespace peyvand::app
