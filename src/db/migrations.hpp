// Numbered SQL migrations with a schema-version table. The SQL files live in
// migrations/<backend>/NNNN_name.sql and are embedded into the binary at build
// time (app/), so a deployed binary never depends on a source checkout.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace peyvand::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Applies, in order, every migration newer than the recorded version, each in
// its own write transaction. Returns the number applied. Refuses to run if the
// database is newer than the binary (a downgrade would lose data).
int Migrate(Database& db, const std::vector<Migration>& migrations);
int CurrentSchemaVersion(Database& db);

}  // namespace peyvand::db
