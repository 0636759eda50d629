// Appending, searching and verifying the audit log. Append runs inside the
// caller's write transaction, so an entry exists exactly when its change does.
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "modules/audit/model.hpp"

namespace peyvand::audit {

class AuditService {
 public:
  AuditService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Call inside Database::Write. Returns the new entry's id.
  std::int64_t Append(db::Connection& tx, const Actor& actor, std::string action,
                      std::string record_type, std::string record_id, std::string summary);
  // Appends in a transaction of its own (for denials and failed logins, which
  // change nothing else but must be recorded).
  // Queues an entry in a transaction of its own and returns at once; call the result before
  // answering the request the entry is about (see db::Database::WriteSoon).
  db::Database::Pending AppendSoon(const Actor& actor, std::string action, std::string record_type,
                                   std::string record_id, std::string summary);
  void AppendAlone(const Actor& actor, std::string action, std::string record_type,
                   std::string record_id, std::string summary);

  struct Page {
    std::vector<Entry> entries;
    std::int64_t total = 0;
  };
  Page Search(const Filter& filter, std::int64_t limit, std::int64_t offset);
  VerifyResult Verify();

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace peyvand::audit
