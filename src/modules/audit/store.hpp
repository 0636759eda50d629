// SQL for the audit log. The only code that touches audit_log / audit_head.
#pragma once

#include "db/database.hpp"
#include "modules/audit/model.hpp"

namespace peyvand::audit::store {

// Advances the chain head and returns {new id, previous hash}.
std::pair<std::int64_t, std::string> ClaimNext(db::Connection& c);
void Insert(db::Connection& c, const Entry& e);
void SetHeadHash(db::Connection& c, const std::string& hash);
std::vector<Entry> Find(db::Connection& c, const Filter& f, std::int64_t limit,
                        std::int64_t offset);
std::int64_t Count(db::Connection& c, const Filter& f);
// Entries with id > after_id in id order, at most limit.
std::vector<Entry> Range(db::Connection& c, std::int64_t after_id, std::int64_t limit);
std::pair<std::int64_t, std::string> Head(db::Connection& c);

}  // namespace peyvand::audit::store
