#include "db/postgres/postgres_database.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace peyvand::db {
namespace {

constexpr int kMaxTxRetries = 3;               // re-runs after 40001 / 40P01
constexpr const char* kConnectTimeoutS = "5";  // unless the URL sets connect_timeout
constexpr auto kPingAcquireTimeout = std::chrono::seconds(5);
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
// Explicit: the audit chain relies on READ COMMITTED re-reading audit_head after
// the row lock is released; a stricter server default would fail every
// concurrent audited write with a serialization error.
constexpr const char* kBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED";

// Type OIDs from PostgreSQL's catalog/pg_type.dat (stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kSerializationFailure = "40001";
constexpr std::string_view kDeadlockDetected = "40P01";
constexpr std::string_view kUndefinedPreparedStatement = "26000";

// A DatabaseError that remembers its SQLSTATE, so the transaction runner can
// tell a retryable failure from a real one.
class PgError : public DatabaseError {
 public:
  PgError(const std::string& message, std::string sqlstate)
      : DatabaseError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

bool IsRetryable(std::string_view sqlstate) {
  // 26000: a prepared statement vanished mid-transaction; the whole
  // transaction is aborted, and the next run re-prepares.
  return sqlstate == kSerializationFailure || sqlstate == kDeadlockDetected ||
         sqlstate == kUndefinedPreparedStatement;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq messages end with a newline and may span lines; logs want one line.
std::string Trim(const char* s) {
  std::string out;
  for (const char* p = s ? s : ""; *p; ++p) {
    bool space = *p == '\n' || *p == '\t' || *p == ' ';
    if (!space) {
      out += *p;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string FormatParam(const Value& v) {
  char buf[64];
  std::to_chars_result r{};
  if (v.is_int()) {
    r = std::to_chars(buf, buf + sizeof buf, v.AsInt());
  } else {
    // Same text as "%.17g" in the C locale (round-trips), whatever the process locale.
    r = std::to_chars(buf, buf + sizeof buf, v.AsDouble(), std::chars_format::general, 17);
  }
  return std::string(buf, r.ptr);
}

template <class T>
bool ParseWhole(const char* s, int len, T& out) {
  auto [end, ec] = std::from_chars(s, s + len, out);
  return ec == std::errc() && end == s + len;
}

Value ColumnValue(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return Value();
  const char* s = PQgetvalue(res, row, col);
  int len = PQgetlength(res, row, col);
  long long i = 0;
  double d = 0;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      if (ParseWhole(s, len, i)) return Value(i);
      break;
    case kBoolOid: return Value(s[0] == 't' ? 1 : 0);
    case kNumericOid:
      if (ParseWhole(s, len, i)) return Value(i);  // no fraction and fits 64 bits
      [[fallthrough]];
    case kFloat4Oid:
    case kFloat8Oid:
      if (ParseWhole(s, len, d)) return Value(d);  // also NaN and ±Infinity
      break;
    default: break;
  }
  return Value(std::string(s, static_cast<std::size_t>(len)));
}

// One rewritten statement, shared by all connections; `name` is its prepared
// statement name on every connection that has prepared it.
struct SqlEntry {
  int id;
  std::string name;
  std::string text;
};

class SqlCache {
 public:
  const SqlEntry& Get(const char* sql) {
    std::string_view key(sql);
    {
      std::shared_lock lock(mu_);
      if (auto it = map_.find(key); it != map_.end()) return *it->second;
    }
    std::string text = RewritePlaceholders(key);
    std::unique_lock lock(mu_);
    auto [it, inserted] = map_.try_emplace(std::string(key));
    if (inserted) {
      int id = ++next_id_;
      it->second =
          std::make_unique<SqlEntry>(SqlEntry{id, "s" + std::to_string(id), std::move(text)});
    }
    return *it->second;  // entries are never removed, so the reference stays valid
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::shared_mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<SqlEntry>, Hash, std::equal_to<>> map_;
  int next_id_ = 0;
};

class PgConnection final : public Connection {
 public:
  PgConnection(PGconn* conn, SqlCache* cache) : conn_(conn), cache_(cache) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  ResultSet Run(const Query& q, const Params& params) override {
    ResultPtr res = Execute(q, params);
    const PGresult* r = res.get();
    ResultSet rs;
    int ncols = PQnfields(r);
    int nrows = PQntuples(r);
    std::vector<Oid> types(static_cast<std::size_t>(ncols));
    rs.columns.reserve(types.size());
    for (int c = 0; c < ncols; ++c) {
      rs.columns.emplace_back(PQfname(r, c));
      types[static_cast<std::size_t>(c)] = PQftype(r, c);
    }
    rs.rows.reserve(static_cast<std::size_t>(nrows));
    for (int row = 0; row < nrows; ++row) {
      std::vector<Value> values;
      values.reserve(types.size());
      for (int c = 0; c < ncols; ++c) {
        values.push_back(ColumnValue(r, row, c, types[static_cast<std::size_t>(c)]));
      }
      rs.rows.push_back(std::move(values));
    }
    return rs;
  }

  std::int64_t Exec(const Query& q, const Params& params) override {
    ResultPtr res = Execute(q, params);
    const char* tuples = PQcmdTuples(res.get());  // "" for commands that change no rows
    std::int64_t n = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
    return n;
  }

  void ExecScript(const std::string& sql) override {
    ResultPtr res(PQexec(conn_, sql.c_str()));
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Fail(res.get(), "script");
  }

  Backend backend() const override { return Backend::kPostgres; }

  // Starts a transaction. A connection that is known to be bad is reset first;
  // one that turns out dead on BEGIN (the server restarted while it sat in the
  // pool) is reset and BEGIN retried once: nothing has run yet, so it is safe.
  void Begin(const char* sql) {
    last_sqlstate_.clear();
    if (PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) != PQTRANS_IDLE) Reset();
    ResultPtr res(PQexec(conn_, sql));
    if (PQresultStatus(res.get()) == PGRES_COMMAND_OK) return;
    if (PQstatus(conn_) == CONNECTION_BAD) {
      Reset();
      res.reset(PQexec(conn_, sql));
      if (PQresultStatus(res.get()) == PGRES_COMMAND_OK) return;
    }
    Fail(res.get(), "begin");
  }

  void Commit() {
    ResultPtr res(PQexec(conn_, "COMMIT"));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) Fail(res.get(), "commit");
    // COMMIT of a transaction aborted by an error the callback swallowed
    // succeeds with the tag ROLLBACK: nothing was written.
    if (std::string_view(PQcmdStatus(res.get())) != "COMMIT") {
      throw PgError("commit: transaction was rolled back after an earlier error" +
                        (last_sqlstate_.empty() ? "" : " (SQLSTATE " + last_sqlstate_ + ")"),
                    last_sqlstate_);
    }
  }

  // Leaves the connection outside any transaction; never throws.
  void RollbackQuietly() noexcept {
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      PQclear(PQexec(conn_, "ROLLBACK"));
    }
  }

  // For Ping: one statement outside a transaction, reconnecting once if dead.
  void Probe() {
    if (PQstatus(conn_) != CONNECTION_OK) Reset();
    ResultPtr res(PQexec(conn_, "SELECT 1"));
    if (PQresultStatus(res.get()) == PGRES_TUPLES_OK) return;
    if (PQstatus(conn_) == CONNECTION_BAD) {
      Reset();
      res.reset(PQexec(conn_, "SELECT 1"));
      if (PQresultStatus(res.get()) == PGRES_TUPLES_OK) return;
    }
    Fail(res.get(), "ping");
  }

 private:
  void Reset() {
    prepared_.clear();  // a new server session has none
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      throw DatabaseError("cannot reconnect to PostgreSQL: " + Trim(PQerrorMessage(conn_)));
    }
  }

  ResultPtr Execute(const Query& q, const Params& params) {
    const SqlEntry& entry = cache_->Get(q.sql);
    std::vector<std::string> formatted(params.size());  // sized once: c_str()s stay valid
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (v.is_null()) continue;
      if (const std::string* s = v.text_ptr()) {
        values[i] = s->c_str();
      } else {
        formatted[i] = FormatParam(v);
        values[i] = formatted[i].c_str();
      }
    }
    for (int attempt = 0;; ++attempt) {
      Prepare(entry, q.name);
      // Text parameters, text results; paramTypes null lets the server infer types.
      ResultPtr res(PQexecPrepared(conn_, entry.name.c_str(), static_cast<int>(values.size()),
                                   values.data(), nullptr, nullptr, 0));
      auto st = PQresultStatus(res.get());
      if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return res;
      if (attempt == 0 && SqlState(res.get()) == kUndefinedPreparedStatement) {
        prepared_.erase(entry.id);
        // Outside a transaction nothing was lost: prepare again and rerun.
        // Inside one the transaction is aborted; the runner retries it whole.
        if (PQtransactionStatus(conn_) == PQTRANS_IDLE) continue;
      }
      Fail(res.get(), q.name);
    }
  }

  void Prepare(const SqlEntry& entry, const char* query_name) {
    if (prepared_.contains(entry.id)) return;
    ResultPtr res(PQprepare(conn_, entry.name.c_str(), entry.text.c_str(), 0, nullptr));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) Fail(res.get(), query_name);
    prepared_.insert(entry.id);
  }

  static std::string_view SqlState(const PGresult* res) {
    const char* s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    return s ? std::string_view(s) : std::string_view();
  }

  // Throws UniqueViolation for 23505, else PgError; the message names the
  // query, never the parameters (they may hold personal data).
  [[noreturn]] void Fail(const PGresult* res, std::string_view context) {
    std::string sqlstate(SqlState(res));
    last_sqlstate_ = sqlstate;
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = std::string(context) + ": ";
    message += primary ? primary : Trim(PQerrorMessage(conn_));
    const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    if (constraint && message.find(constraint) == std::string::npos) {
      message += std::string(" [constraint ") + constraint + "]";
    }
    if (!sqlstate.empty()) message += " (SQLSTATE " + sqlstate + ")";
    if (sqlstate == kUniqueViolation) throw UniqueViolation(message);
    throw PgError(message, sqlstate);
  }

  PGconn* conn_;
  SqlCache* cache_;
  std::unordered_set<int> prepared_;  // SqlEntry ids prepared on this session
  std::string last_sqlstate_;         // of the last failure in this transaction
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const PostgresOptions& o)
      : url_(o.url), pool_size_(std::max(1, o.pool_size)) {
    all_.push_back(Connect());  // fail fast on a bad URL or a server that is down
    free_.push_back(all_.back().get());
    opened_ = 1;
  }
  ~PostgresDatabase() override { Close(); }

  void ReadTx(const std::function<void(Connection&)>& fn) override {
    RunWithRetries(kBeginRead, fn);
  }

  void WriteTx(const std::function<void(Connection&)>& fn) override {
    RunWithRetries(kBeginWrite, fn);
    commits_.fetch_add(1, std::memory_order_relaxed);
  }

  bool Ping() override {
    try {
      Lease lease(this, Acquire(std::chrono::steady_clock::now() + kPingAcquireTimeout));
      lease.conn->Probe();
      return true;
    } catch (...) {
      return false;
    }
  }

  DatabaseStats Stats() const override {
    DatabaseStats s;
    {
      std::lock_guard lock(mu_);
      s.write_queue_depth = waiting_;
    }
    s.commits = commits_.load(std::memory_order_relaxed);
    s.committed_jobs = s.commits;  // one transaction per commit: every batch has size 1
    s.batch_buckets[0] = s.commits;
    return s;
  }

  Backend backend() const override { return Backend::kPostgres; }

  // Waits for transactions in flight to finish, then closes every connection.
  void Close() override {
    std::unique_lock lock(mu_);
    if (closed_) return;
    closed_ = true;
    available_cv_.notify_all();
    idle_cv_.wait(lock, [&] { return in_use_ == 0; });
    free_.clear();
    all_.clear();
  }

 private:
  using Deadline = std::optional<std::chrono::steady_clock::time_point>;

  struct Lease {
    Lease(PostgresDatabase* d, PgConnection* c) : db(d), conn(c) {}
    ~Lease() { db->Release(conn); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PostgresDatabase* db;
    PgConnection* conn;
  };

  void RunWithRetries(const char* begin, const std::function<void(Connection&)>& fn) {
    for (int attempt = 0;; ++attempt) {
      try {
        RunOnce(begin, fn);
        return;
      } catch (const PgError& e) {
        if (attempt >= kMaxTxRetries || !IsRetryable(e.sqlstate())) throw;
      }
      Backoff(attempt);
    }
  }

  void RunOnce(const char* begin, const std::function<void(Connection&)>& fn) {
    Lease lease(this, Acquire(std::nullopt));
    PgConnection& c = *lease.conn;
    c.Begin(begin);
    try {
      fn(c);
    } catch (...) {
      c.RollbackQuietly();
      throw;
    }
    c.Commit();
  }

  // Two transactions that deadlocked would collide again if retried in step.
  static void Backoff(int attempt) {
    thread_local std::minstd_rand rng(std::random_device{}());
    std::uniform_int_distribution<int> ms(1, 4 << attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
  }

  std::unique_ptr<PgConnection> Connect() {
    // Keywords after "dbname" would override the URL's own settings; these
    // come first, so they are defaults only.
    const char* keys[] = {"connect_timeout", "client_encoding", "application_name", "dbname",
                          nullptr};
    const char* values[] = {kConnectTimeoutS, "UTF8", "peyvand", url_.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!conn) throw DatabaseError("cannot connect to PostgreSQL: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string msg = Trim(PQerrorMessage(conn));
      PQfinish(conn);
      throw DatabaseError("cannot connect to PostgreSQL: " + msg);
    }
    // NOTICEs (e.g. "relation already exists, skipping") would go to stderr.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return std::make_unique<PgConnection>(conn, &sql_cache_);
  }

  PgConnection* Acquire(Deadline deadline) {
    std::unique_lock lock(mu_);
    auto ready = [&] { return closed_ || !free_.empty() || opened_ < pool_size_; };
    if (!ready()) {
      ++waiting_;
      bool ok = true;
      if (deadline) {
        ok = available_cv_.wait_until(lock, *deadline, ready);
      } else {
        available_cv_.wait(lock, ready);
      }
      --waiting_;
      if (!ok) throw DatabaseError("timed out waiting for a PostgreSQL connection");
    }
    if (closed_) throw DatabaseError("database is closed");
    ++in_use_;
    if (!free_.empty()) {
      PgConnection* c = free_.back();
      free_.pop_back();
      return c;
    }
    ++opened_;
    lock.unlock();
    try {
      auto conn = Connect();
      PgConnection* c = conn.get();
      lock.lock();
      all_.push_back(std::move(conn));
      return c;
    } catch (...) {
      if (!lock.owns_lock()) lock.lock();
      --opened_;
      --in_use_;
      available_cv_.notify_one();
      idle_cv_.notify_all();
      throw;
    }
  }

  void Release(PgConnection* c) {
    c->RollbackQuietly();
    {
      std::lock_guard lock(mu_);
      free_.push_back(c);
      --in_use_;
      if (in_use_ == 0) idle_cv_.notify_all();
    }
    available_cv_.notify_one();
  }

  const std::string url_;
  const int pool_size_;
  SqlCache sql_cache_;

  mutable std::mutex mu_;
  std::condition_variable available_cv_;  // a connection was freed, or Close
  std::condition_variable idle_cv_;       // in_use_ reached 0
  std::vector<std::unique_ptr<PgConnection>> all_;
  std::vector<PgConnection*> free_;
  int opened_ = 0;  // connections open or being opened
  int in_use_ = 0;
  std::int64_t waiting_ = 0;
  bool closed_ = false;

  std::atomic<std::int64_t> commits_{0};
};

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::string RewritePlaceholders(std::string_view sql, int* param_count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  std::size_t i = 0;
  // Copies sql[i..end] (inclusive, clamped) verbatim and moves past it.
  auto copy_through = [&](std::size_t end) {
    end = std::min(end, sql.size() - 1);
    out.append(sql.substr(i, end - i + 1));
    i = end + 1;
  };
  while (i < sql.size()) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"') {
      // E'…' strings escape with backslashes; elsewhere a doubled quote ends
      // one literal and starts the next, which scans the same.
      bool backslashes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                         (i < 2 || !IsIdentChar(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < sql.size() && sql[j] != c) j += (backslashes && sql[j] == '\\') ? 2 : 1;
      copy_through(j);
    } else if (c == '-' && next == '-') {
      copy_through(sql.find('\n', i));
    } else if (c == '/' && next == '*') {
      std::size_t end = sql.find("*/", i + 2);
      copy_through(end == std::string_view::npos ? end : end + 1);
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  if (param_count) *param_count = n;
  return out;
}

std::unique_ptr<Database> OpenPostgres(const PostgresOptions& options) {
  return std::make_unique<PostgresDatabase>(options);
}

}  // namespace peyvand::db
