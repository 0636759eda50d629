// The audit log: who did what to which record, when, from which request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace peyvand::audit {

// Who acts. Built by the auth module from the signed-in principal, or for
// anonymous actions (failed logins) from the request alone.
struct Actor {
  std::optional<std::int64_t> user_id;
  std::string username;  // "" for anonymous, "system" for CLI/seed
  std::optional<std::int64_t> agency_id;
  std::string request_id;
  std::string ip;
  std::int64_t province_id = 1;
};

struct Entry {
  std::int64_t id = 0;
  std::int64_t province_id = 1;
  std::int64_t at = 0;  // UTC ms
  std::optional<std::int64_t> user_id;
  std::string username;
  std::optional<std::int64_t> agency_id;
  std::string action;       // e.g. "user.create", "auth.login_failed", "access.denied"
  std::string record_type;  // e.g. "user"
  std::string record_id;
  std::string summary;  // JSON: {"before":…, "after":…} or a reason
  std::string request_id;
  std::string ip;
  std::string prev_hash;
  std::string hash;
};

struct Filter {
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> agency_id;
  std::optional<std::string> record_type;
  std::optional<std::string> record_id;
  std::optional<std::string> action;  // prefix match: "user." matches every user action
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;  // exclusive
};

struct VerifyResult {
  bool ok = true;
  std::int64_t checked = 0;
  std::int64_t first_bad_id = 0;
  std::string problem;
};

}  // namespace peyvand::audit
