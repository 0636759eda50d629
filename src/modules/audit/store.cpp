#include "modules/audit/store.hpp"

namespace peyvand::audit::store {
namespace {

constexpr db::Query kClaimNext{
    "audit.claim_next",
    "UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash"};
constexpr db::Query kSetHeadHash{"audit.set_head_hash",
                                 "UPDATE audit_head SET last_hash = ? WHERE id = 1"};
constexpr db::Query kHead{"audit.head", "SELECT last_id, last_hash FROM audit_head WHERE id = 1"};
constexpr db::Query kInsert{
    "audit.insert",
    "INSERT INTO audit_log (id, province_id, at, user_id, username, agency_id, action, "
    "record_type, record_id, summary, request_id, ip, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};

#define PEYVAND_AUDIT_COLUMNS                                                                    \
  "id, province_id, at, user_id, username, agency_id, action, record_type, record_id, summary, " \
  "request_id, ip, prev_hash, hash"
#define PEYVAND_AUDIT_WHERE                                            \
  " WHERE (CAST(? AS BIGINT) IS NULL OR user_id = ?)"                  \
  " AND (CAST(? AS BIGINT) IS NULL OR agency_id = ?)"                  \
  " AND (CAST(? AS TEXT) IS NULL OR record_type = ?)"                  \
  " AND (CAST(? AS TEXT) IS NULL OR record_id = ?)"                    \
  " AND (CAST(? AS TEXT) IS NULL OR substr(action, 1, length(?)) = ?)" \
  " AND (CAST(? AS BIGINT) IS NULL OR at >= ?)"                        \
  " AND (CAST(? AS BIGINT) IS NULL OR at < ?)"

constexpr db::Query kFind{"audit.find",
                          "SELECT " PEYVAND_AUDIT_COLUMNS " FROM audit_log" PEYVAND_AUDIT_WHERE
                          " ORDER BY id DESC LIMIT ? OFFSET ?"};
constexpr db::Query kCount{"audit.count",
                           "SELECT COUNT(*) AS n FROM audit_log" PEYVAND_AUDIT_WHERE};
constexpr db::Query kRange{"audit.range", "SELECT " PEYVAND_AUDIT_COLUMNS
                                          " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?"};

db::Params FilterParams(const Filter& f) {
  return {f.user_id,     f.user_id,   f.agency_id, f.agency_id, f.record_type,
          f.record_type, f.record_id, f.record_id, f.action,    f.action,
          f.action,      f.from_ms,   f.from_ms,   f.to_ms,     f.to_ms};
}

Entry FromRow(const db::Row& r) {
  Entry e;
  e.id = r.Int("id");
  e.province_id = r.Int("province_id");
  e.at = r.Int("at");
  e.user_id = r.OptInt("user_id");
  e.username = r.Text("username");
  e.agency_id = r.OptInt("agency_id");
  e.action = r.Text("action");
  e.record_type = r.Text("record_type");
  e.record_id = r.Text("record_id");
  e.summary = r.Text("summary");
  e.request_id = r.Text("request_id");
  e.ip = r.Text("ip");
  e.prev_hash = r.Text("prev_hash");
  e.hash = r.Text("hash");
  return e;
}

}  // namespace

std::pair<std::int64_t, std::string> ClaimNext(db::Connection& c) {
  auto rs = c.Run(kClaimNext, {});
  return {rs[0].Int("last_id"), rs[0].Text("last_hash")};
}

void Insert(db::Connection& c, const Entry& e) {
  c.Exec(kInsert, {e.id, e.province_id, e.at, e.user_id, e.username, e.agency_id, e.action,
                   e.record_type, e.record_id, e.summary, e.request_id, e.ip, e.prev_hash, e.hash});
}

void SetHeadHash(db::Connection& c, const std::string& hash) {
  c.Exec(kSetHeadHash, {hash});
}

std::vector<Entry> Find(db::Connection& c, const Filter& f, std::int64_t limit,
                        std::int64_t offset) {
  auto params = FilterParams(f);
  params.emplace_back(limit);
  params.emplace_back(offset);
  std::vector<Entry> out;
  for (auto row : c.Run(kFind, params)) out.push_back(FromRow(row));
  return out;
}

std::int64_t Count(db::Connection& c, const Filter& f) {
  return c.Run(kCount, FilterParams(f))[0].Int("n");
}

std::vector<Entry> Range(db::Connection& c, std::int64_t after_id, std::int64_t limit) {
  std::vector<Entry> out;
  for (auto row : c.Run(kRange, {after_id, limit})) out.push_back(FromRow(row));
  return out;
}

std::pair<std::int64_t, std::string> Head(db::Connection& c) {
  auto rs = c.Run(kHead, {});
  return {rs[0].Int("last_id"), rs[0].Text("last_hash")};
}

}  // namespace peyvand::audit::store
