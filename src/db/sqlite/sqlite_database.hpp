// SQLite adapter: WAL, synchronous=FULL, a pool of reader connections and ONE
// writer thread. Write transactions from all callers are queued; the writer
// takes everything queued (up to kMaxBatch), runs each job inside its own
// SAVEPOINT within one transaction, commits once (one fsync for the batch),
// then wakes each caller. A job that throws is rolled back to its savepoint
// alone. A caller returns only after the commit that holds its work.
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"

namespace peyvand::db {

struct SqliteOptions {
  std::string path;            // file path; created if missing
  int readers = 8;             // reader connections
  int max_batch = 1000;        // write jobs per commit at most
  int busy_timeout_ms = 5000;  // for other processes (CLI) touching the file
};

std::unique_ptr<Database> OpenSqlite(const SqliteOptions& options);

}  // namespace peyvand::db
