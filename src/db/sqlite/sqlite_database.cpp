#include "db/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace peyvand::db {
namespace {

[[noreturn]] void ThrowSqlite(sqlite3* db, const std::string& context) {
  int ext = sqlite3_extended_errcode(db);
  std::string msg = context + ": " + sqlite3_errmsg(db);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw UniqueViolation(msg);
  }
  throw DatabaseError(msg);
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, int busy_timeout_ms, bool read_only) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DatabaseError("cannot open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    ExecScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    // Reads map the database file instead of copying pages through read(2),
    // and each connection keeps a larger page cache: at a million persons the
    // indexes no longer fit the 2 MB default (measured by bench/pathway).
    ExecScript("PRAGMA cache_size=-16384;");
    if (read_only) ExecScript("PRAGMA query_only=1;");
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  ResultSet Run(const Query& q, const Params& params) override {
    sqlite3_stmt* stmt = Prepare(q, params);
    ResultSet rs;
    int ncols = sqlite3_column_count(stmt);
    rs.columns.reserve(ncols);
    for (int i = 0; i < ncols; ++i) rs.columns.emplace_back(sqlite3_column_name(stmt, i));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> row;
      row.reserve(ncols);
      for (int i = 0; i < ncols; ++i) row.push_back(Column(stmt, i));
      rs.rows.push_back(std::move(row));
    }
    Finish(stmt, rc, q);
    return rs;
  }

  std::int64_t Exec(const Query& q, const Params& params) override {
    sqlite3_stmt* stmt = Prepare(q, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    Finish(stmt, rc, q);
    return sqlite3_changes64(db_);
  }

  void ExecScript(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      int ext = sqlite3_extended_errcode(db_);
      if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        throw UniqueViolation(msg);
      }
      throw DatabaseError("script: " + msg);
    }
  }

  Backend backend() const override { return Backend::kSqlite; }

  // Transaction control (BEGIN, COMMIT, SAVEPOINT …) through the statement
  // cache: sqlite3_exec would parse and prepare them again on every call.
  void Control(const char* sql) { Exec(Query{"tx", sql}, {}); }

 private:
  sqlite3_stmt* Lookup(const Query& q) {
    auto it = cache_.find(std::string_view(q.sql));
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, q.sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      ThrowSqlite(db_, q.name);
    }
    cache_.emplace(q.sql, stmt);
    return stmt;
  }

  sqlite3_stmt* Prepare(const Query& q, const Params& params) {
    sqlite3_stmt* stmt = Lookup(q);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      const Value& v = params[i];
      if (v.is_null()) {
        sqlite3_bind_null(stmt, idx);
      } else if (v.is_int()) {
        sqlite3_bind_int64(stmt, idx, v.AsInt());
      } else if (v.is_double()) {
        sqlite3_bind_double(stmt, idx, v.AsDouble());
      } else {
        const std::string* s = v.text_ptr();
        sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      }
    }
    return stmt;
  }

  void Finish(sqlite3_stmt* stmt, int rc, const Query& q) {
    if (rc != SQLITE_DONE) {
      sqlite3_reset(stmt);
      ThrowSqlite(db_, q.name);
    }
    sqlite3_reset(stmt);
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return Value(static_cast<long long>(sqlite3_column_int64(stmt, i)));
      case SQLITE_FLOAT: return Value(sqlite3_column_double(stmt, i));
      case SQLITE_NULL: return Value();
      default: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        int n = sqlite3_column_bytes(stmt, i);
        return Value(std::string(p ? p : "", static_cast<std::size_t>(n)));
      }
    }
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
};

struct WriteJob {
  const std::function<void(Connection&)>* fn;
  std::promise<void> done;
  // WriteSoon's jobs own their function and are deleted by the writer once answered.
  std::function<void(Connection&)> owned;
  bool detached = false;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const SqliteOptions& o) : options_(o) {
    writer_conn_ = std::make_unique<SqliteConnection>(o.path, o.busy_timeout_ms, false);
    for (int i = 0; i < o.readers; ++i) {
      readers_.push_back(std::make_unique<SqliteConnection>(o.path, o.busy_timeout_ms, true));
      free_readers_.push_back(readers_.back().get());
    }
    // Checkpoints move WAL pages into the main file and fsync it. Left to
    // SQLite's auto-checkpoint they run inside a commit on the writer thread
    // and stall every request in that batch (tens of ms seen at p99), so the
    // writer never checkpoints and a background connection does it instead.
    writer_conn_->ExecScript("PRAGMA wal_autocheckpoint=0;");
    checkpoint_conn_ = std::make_unique<SqliteConnection>(o.path, o.busy_timeout_ms, false);
    writer_ = std::thread([this] { WriterLoop(); });
    checkpointer_ = std::thread([this] { CheckpointLoop(); });
  }
  ~SqliteDatabase() override { Close(); }

  void ReadTx(const std::function<void(Connection&)>& fn) override {
    SqliteConnection* conn = AcquireReader();
    struct Release {
      SqliteDatabase* self;
      SqliteConnection* conn;
      ~Release() { self->ReleaseReader(conn); }
    } release{this, conn};
    conn->Control("BEGIN");
    try {
      fn(*conn);
    } catch (...) {
      conn->Control("ROLLBACK");
      throw;
    }
    conn->Control("COMMIT");
  }

  void WriteTx(const std::function<void(Connection&)>& fn) override {
    WriteJob job{&fn, {}, {}, false};
    auto fut = job.done.get_future();
    Enqueue(&job);
    fut.get();  // rethrows the job's exception, or a commit failure
  }

  Pending WriteSoon(std::function<void(Connection&)> fn) override {
    auto job = std::make_unique<WriteJob>();
    job->owned = std::move(fn);
    job->fn = &job->owned;
    job->detached = true;
    auto fut = job->done.get_future().share();
    Enqueue(job.get());
    job.release();  // the writer owns it now
    return [fut] { fut.get(); };
  }

  void Enqueue(WriteJob* job) {
    {
      std::lock_guard lock(queue_mu_);
      if (closed_) throw DatabaseError("database is closed");
      queue_.push_back(job);
      queue_depth_.store(static_cast<std::int64_t>(queue_.size()));
    }
    queue_cv_.notify_one();
  }

  bool Ping() override {
    try {
      Read([](Connection& c) { c.Run(Query{"ping", "SELECT 1"}); });
      return true;
    } catch (...) {
      return false;
    }
  }

  DatabaseStats Stats() const override {
    std::lock_guard lock(stats_mu_);
    DatabaseStats s = stats_;
    s.write_queue_depth = queue_depth_.load();
    return s;
  }

  Backend backend() const override { return Backend::kSqlite; }

  void Close() override {
    {
      std::lock_guard lock(queue_mu_);
      if (closed_) return;
      closed_ = true;
    }
    queue_cv_.notify_all();
    checkpoint_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    if (checkpointer_.joinable()) checkpointer_.join();
    try {
      checkpoint_conn_->ExecScript("PRAGMA wal_checkpoint(TRUNCATE);");
    } catch (const DatabaseError&) {
      // Another process holds the file; the WAL is still complete and durable.
    }
  }

 private:
  SqliteConnection* AcquireReader() {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !free_readers_.empty(); });
    auto* c = free_readers_.back();
    free_readers_.pop_back();
    return c;
  }
  void ReleaseReader(SqliteConnection* c) {
    {
      std::lock_guard lock(readers_mu_);
      free_readers_.push_back(c);
    }
    readers_cv_.notify_one();
  }

  // PASSIVE never blocks the writer or readers; it copies what it can.
  void CheckpointLoop() {
    std::unique_lock lock(queue_mu_);
    while (!closed_) {
      checkpoint_cv_.wait_for(lock, kCheckpointInterval);
      if (closed_) break;
      lock.unlock();
      try {
        checkpoint_conn_->ExecScript("PRAGMA wal_checkpoint(PASSIVE);");
      } catch (const DatabaseError&) {
        // Busy or I/O trouble: the next round tries again; commits are unaffected.
      }
      lock.lock();
    }
  }

  void WriterLoop() {
    std::vector<WriteJob*> batch;
    for (;;) {
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (queue_.empty() && closed_) return;  // drained
        while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
        queue_depth_.store(static_cast<std::int64_t>(queue_.size()));
      }
      CommitBatch(batch);
      batch.clear();
    }
  }

  void CommitBatch(std::vector<WriteJob*>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    std::exception_ptr batch_error;
    try {
      writer_conn_->Control("BEGIN IMMEDIATE");
      for (std::size_t i = 0; i < batch.size(); ++i) {
        writer_conn_->Control("SAVEPOINT job");
        try {
          (*batch[i]->fn)(*writer_conn_);
          writer_conn_->Control("RELEASE job");
        } catch (...) {
          errors[i] = std::current_exception();
          writer_conn_->Control("ROLLBACK TO job");
          writer_conn_->Control("RELEASE job");
        }
      }
      writer_conn_->Control("COMMIT");
    } catch (...) {
      // BEGIN, a savepoint or COMMIT failed (disk full, I/O error): nothing in
      // this batch is durable, so every caller gets the error.
      batch_error = std::current_exception();
      try {
        writer_conn_->Control("ROLLBACK");
      } catch (...) {
      }
    }
    RecordBatch(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // A WriteTx job lives on its caller's stack and may be gone the moment it is answered.
      std::unique_ptr<WriteJob> owned(batch[i]->detached ? batch[i] : nullptr);
      if (batch_error) {
        batch[i]->done.set_exception(batch_error);
      } else if (errors[i]) {
        batch[i]->done.set_exception(errors[i]);
      } else {
        batch[i]->done.set_value();
      }
    }
  }

  void RecordBatch(std::size_t n) {
    std::lock_guard lock(stats_mu_);
    stats_.commits++;
    stats_.committed_jobs += static_cast<std::int64_t>(n);
    int bucket = 0;
    std::size_t bound = 1;
    while (bucket < DatabaseStats::kBatchBuckets - 1 && n > bound) {
      bound *= 2;
      ++bucket;
    }
    stats_.batch_buckets[bucket]++;
  }

  SqliteOptions options_;
  std::unique_ptr<SqliteConnection> writer_conn_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> free_readers_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<WriteJob*> queue_;
  bool closed_ = false;
  std::atomic<std::int64_t> queue_depth_{0};
  std::thread writer_;
  static constexpr std::chrono::milliseconds kCheckpointInterval{250};
  std::unique_ptr<SqliteConnection> checkpoint_conn_;
  std::thread checkpointer_;
  std::condition_variable checkpoint_cv_;  // its own: must never take the writer's wake-up

  mutable std::mutex stats_mu_;
  DatabaseStats stats_;
};

}  // namespace

std::unique_ptr<Database> OpenSqlite(const SqliteOptions& options) {
  return std::make_unique<SqliteDatabase>(options);
}

}  // namespace peyvand::db
