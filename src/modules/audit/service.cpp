#include "modules/audit/service.hpp"

#include "modules/audit/rules.hpp"
#include "modules/audit/store.hpp"

namespace peyvand::audit {

std::int64_t AuditService::Append(db::Connection& tx, const Actor& actor, std::string action,
                                  std::string record_type, std::string record_id,
                                  std::string summary) {
  auto [id, prev] = store::ClaimNext(tx);
  Entry e;
  e.id = id;
  e.province_id = actor.province_id;
  e.at = clock_.NowMillis();
  e.user_id = actor.user_id;
  e.username = actor.username;
  e.agency_id = actor.agency_id;
  e.action = std::move(action);
  e.record_type = std::move(record_type);
  e.record_id = std::move(record_id);
  e.summary = summary.empty() ? "{}" : std::move(summary);
  e.request_id = actor.request_id;
  e.ip = actor.ip;
  e.prev_hash = std::move(prev);
  e.hash = ChainHash(e);
  store::Insert(tx, e);
  store::SetHeadHash(tx, e.hash);
  return id;
}

db::Database::Pending AuditService::AppendSoon(const Actor& actor, std::string action,
                                               std::string record_type, std::string record_id,
                                               std::string summary) {
  return db_.WriteSoon([this, actor, action = std::move(action),
                        record_type = std::move(record_type), record_id = std::move(record_id),
                        summary = std::move(summary)](db::Connection& tx) {
    Append(tx, actor, action, record_type, record_id, summary);
  });
}

void AuditService::AppendAlone(const Actor& actor, std::string action, std::string record_type,
                               std::string record_id, std::string summary) {
  db_.Write(
      [&](db::Connection& tx) { Append(tx, actor, action, record_type, record_id, summary); });
}

AuditService::Page AuditService::Search(const Filter& filter, std::int64_t limit,
                                        std::int64_t offset) {
  Page page;
  db_.Read([&](db::Connection& c) {
    page.entries = store::Find(c, filter, limit, offset);
    page.total = store::Count(c, filter);
  });
  return page;
}

VerifyResult AuditService::Verify() {
  VerifyResult result;
  db_.Read([&](db::Connection& c) {
    std::string expected_prev = kGenesisHash;
    std::int64_t expected_id = 1;
    constexpr std::int64_t kChunk = 5000;
    for (;;) {
      auto chunk = store::Range(c, expected_id - 1, kChunk);
      for (const auto& e : chunk) {
        result.checked++;
        std::string problem;
        if (e.id != expected_id) {
          problem = "entry " + std::to_string(expected_id) + " is missing";
        } else if (e.prev_hash != expected_prev) {
          problem = "previous-hash link does not match the entry before it";
        } else if (ChainHash(e) != e.hash) {
          problem = "contents do not match the entry's hash (edited)";
        }
        if (!problem.empty()) {
          result.ok = false;
          result.first_bad_id = e.id != expected_id ? expected_id : e.id;
          result.problem = problem;
          return;
        }
        expected_prev = e.hash;
        expected_id++;
      }
      if (static_cast<std::int64_t>(chunk.size()) < kChunk) break;
    }
    auto [head_id, head_hash] = store::Head(c);
    if (head_id != expected_id - 1 || head_hash != expected_prev) {
      result.ok = false;
      result.first_bad_id = expected_id;
      result.problem = "the chain ends at entry " + std::to_string(expected_id - 1) +
                       " but its head records entry " + std::to_string(head_id) +
                       " (entries deleted from the end)";
    }
  });
  return result;
}

}  // namespace peyvand::audit
