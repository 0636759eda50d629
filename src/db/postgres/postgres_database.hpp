// PostgreSQL adapter over libpq: a pool of connections (mutex + condvar), one
// transaction per connection at a time. PostgreSQL has many writers, so there
// is no writer thread or group commit here: each WriteTx runs BEGIN … COMMIT on
// its own pooled connection and returns once COMMIT succeeded (the server's
// default synchronous_commit makes that durable).
//
// - `?` placeholders are rewritten to $1, $2, … once per SQL text; `?` inside
//   '…' literals, "…" identifiers, -- and /* */ comments is left alone. The
//   jsonb `?` operators are therefore not usable (not in the common dialect).
// - Statements are prepared once per connection and parameters sent as text,
//   so the server infers their types from the SQL.
// - Result columns: int2/int4/int8/oid → int; float4/float8 → double; numeric
//   → int when it has no fraction and fits 64 bits (SUM(bigint) is numeric in
//   PostgreSQL and an integer in SQLite), else double; bool → 1/0; NULL → null;
//   anything else → text.
// - WriteTx re-runs the whole callback (up to kMaxTxRetries more times) on a
//   serialization failure or deadlock (SQLSTATE 40001 / 40P01), so callbacks
//   must be re-runnable.
// - A connection found broken (server restarted) is reset before use; a
//   transaction whose BEGIN fails on a connection that just went bad is retried
//   once on the reset connection, so readiness recovers on the next Ping.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "db/database.hpp"

namespace peyvand::db {

struct PostgresOptions {
  std::string url;     // postgresql://user@host:port/dbname?… (libpq URI or key=value string)
  int pool_size = 16;  // connections at most; the first is opened by OpenPostgres
};

// Throws DatabaseError when the server cannot be reached with `url`.
std::unique_ptr<Database> OpenPostgres(const PostgresOptions& options);

// `?` → $1, $2, … as described above; exposed for tests. Sets *param_count.
std::string RewritePlaceholders(std::string_view sql, int* param_count = nullptr);

}  // namespace peyvand::db
