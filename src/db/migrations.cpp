#include "db/migrations.hpp"

#include <algorithm>

namespace peyvand::db {
namespace {

constexpr Query kCreateVersionTable{
    "migrations.create_table",
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"};
constexpr Query kMaxVersion{"migrations.max_version",
                            "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations"};
constexpr Query kRecord{
    "migrations.record",
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"};

}  // namespace

int CurrentSchemaVersion(Database& db) {
  db.Write([](Connection& c) { c.Exec(kCreateVersionTable); });
  return static_cast<int>(db.Read([](Connection& c) { return c.Run(kMaxVersion)[0].Int("v"); }));
}

int Migrate(Database& db, const std::vector<Migration>& migrations) {
  int current = CurrentSchemaVersion(db);
  auto sorted = migrations;
  std::sort(sorted.begin(), sorted.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  int latest = sorted.empty() ? 0 : sorted.back().version;
  if (current > latest) {
    throw DatabaseError("database schema version " + std::to_string(current) +
                        " is newer than this binary's " + std::to_string(latest));
  }
  int applied = 0;
  for (const auto& m : sorted) {
    if (m.version <= current) continue;
    db.Write([&](Connection& c) {
      c.ExecScript(m.sql);
      c.Exec(kRecord, {m.version, m.name, static_cast<std::int64_t>(time(nullptr))});
    });
    ++applied;
  }
  return applied;
}

}  // namespace peyvand::db
