// The storage interface every module talks to. Two adapters implement it:
// db/sqlite (default, embedded, group commit) and db/postgres (connection pool).
//
// SQL is written once with `?` placeholders in the common subset of both
// dialects; the PostgreSQL adapter rewrites placeholders to $n. Each statement
// is a named Query constant kept beside the code that uses it, so the name can
// appear in logs and errors.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "db/value.hpp"

namespace peyvand::db {

enum class Backend { kSqlite, kPostgres };

struct Query {
  const char* name;
  const char* sql;
};

// Raised by adapters for unique-constraint violations so services can map
// them to a Persian "already exists" message; any other SQL failure is a
// DatabaseError (our bug or the store being down).
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class UniqueViolation : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// A connection inside a transaction. Not thread-safe; only valid inside the
// callback it was handed to.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual ResultSet Run(const Query& q, const Params& params) = 0;
  virtual std::int64_t Exec(const Query& q, const Params& params) = 0;  // rows changed
  virtual void ExecScript(const std::string& sql) = 0;  // several statements, no params
  virtual Backend backend() const = 0;

  ResultSet Run(const Query& q) { return Run(q, {}); }
  std::int64_t Exec(const Query& q) { return Exec(q, {}); }
};

struct DatabaseStats {
  std::int64_t write_queue_depth = 0;
  std::int64_t commits = 0;         // batches committed
  std::int64_t committed_jobs = 0;  // write transactions inside them
  // Histogram of batch sizes: le 1, 2, 4, ... 1024, +Inf
  static constexpr int kBatchBuckets = 12;
  std::int64_t batch_buckets[kBatchBuckets] = {};
};

class Database {
 public:
  virtual ~Database() = default;

  // Runs fn in a read transaction (a consistent snapshot).
  virtual void ReadTx(const std::function<void(Connection&)>& fn) = 0;
  // Runs fn in a write transaction. Returns only once the transaction is
  // durable; if fn throws, its changes are rolled back and the exception is
  // rethrown to the caller. Other callers' transactions are unaffected.
  virtual void WriteTx(const std::function<void(Connection&)>& fn) = 0;
  // Waits until a write queued by WriteSoon is durable; rethrows its failure.
  using Pending = std::function<void()>;
  // Queues fn as a write transaction and returns at once, so the caller can go on (render a
  // page) while it commits; it must call the returned Pending before it acknowledges anything
  // that depends on the write. Adapters without a writer queue run fn here and now.
  virtual Pending WriteSoon(std::function<void(Connection&)> fn) {
    WriteTx(fn);
    return [] {};
  }
  virtual bool Ping() = 0;
  virtual DatabaseStats Stats() const = 0;
  virtual Backend backend() const = 0;
  // Stops background threads after draining queued writes.
  virtual void Close() = 0;

  template <class F>
  auto Read(F&& fn) {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      ReadTx(std::forward<F>(fn));
    } else {
      R out{};
      ReadTx([&](Connection& c) { out = fn(c); });
      return out;
    }
  }
  template <class F>
  auto Write(F&& fn) {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      WriteTx(std::forward<F>(fn));
    } else {
      R out{};
      WriteTx([&](Connection& c) { out = fn(c); });
      return out;
    }
  }
};

}  // namespace peyvand::db
