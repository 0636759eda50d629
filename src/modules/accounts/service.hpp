// Use cases for accounts. Authorisation is decided here, never in templates:
// every method takes the acting Principal and refuses what its roles and
// agency do not allow (denials are audited).
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "modules/accounts/crypto.hpp"
#include "modules/accounts/model.hpp"
#include "modules/accounts/rules.hpp"
#include "modules/audit/service.hpp"

namespace peyvand::accounts {

struct AuthConfig {
  std::int64_t session_idle_ms = 30 * 60 * 1000;        // browser: idle expiry
  std::int64_t session_absolute_ms = 12 * 3600 * 1000;  // browser: absolute expiry
  std::int64_t api_token_ms = 30LL * 24 * 3600 * 1000;  // bearer tokens
  std::int64_t touch_every_ms = 60 * 1000;              // last_seen write granularity
  LockoutPolicy lockout;
  int ip_attempts = 30;                        // login attempts per IP …
  std::int64_t ip_window_ms = 10 * 60 * 1000;  // … per this window
  HashCost hash_cost;
};

class AuthService {
 public:
  AuthService(db::Database& db, audit::AuditService& audit, const Clock& clock, AuthConfig config);

  // anon carries the request id and IP. Throws AppError: 401 wrong
  // credentials, 423 locked, 429 too many attempts from this IP.
  LoginResult Login(const std::string& username, const std::string& password, bool browser,
                    const audit::Actor& anon);
  std::optional<Principal> Authenticate(const std::string& token, bool browser);
  void Logout(const Principal& p);
  void ChangePassword(const Principal& p, const std::string& current, const std::string& next);

  const AuthConfig& config() const { return config_; }
  // Records a refused request that changes nothing (wrong role, bad CSRF token).
  void AuditDenial(const Principal& p, const std::string& reason);
  static audit::Actor ActorOf(const Principal& p);

 private:
  bool AllowAttempt(const std::string& ip);
  // Counts a wrong password for the user; true when that locked the account.
  bool RecordFailure(const audit::Actor& actor, std::int64_t user_id, const char* action);

  db::Database& db_;
  audit::AuditService& audit_;
  const Clock& clock_;
  AuthConfig config_;
  std::string dummy_hash_;
  std::mutex ip_mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> ip_attempts_;
};

struct UserList {
  std::vector<User> users;
  std::int64_t total = 0;
};

class DirectoryService {
 public:
  DirectoryService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                   HashCost hash_cost);

  std::vector<County> ListCounties(const Principal& p);
  // The province this installation serves (its name, for report title pages).
  std::string ProvinceName();
  County CreateCounty(const Principal& p, const std::string& name);

  std::vector<Agency> ListAgencies(const Principal& p);
  Agency GetAgency(const Principal& p, std::int64_t id);
  Agency CreateAgency(const Principal& p, Agency a);
  Agency UpdateAgency(const Principal& p, std::int64_t id, std::optional<std::string> name,
                      std::optional<std::string> duties, std::optional<bool> active);
  std::string AgencyName(std::int64_t id);  // for page headers; "" if unknown

  std::vector<Unit> ListUnits(const Principal& p, std::int64_t agency_id);
  Unit CreateUnit(const Principal& p, Unit u);

  UserList ListUsers(const Principal& p, std::optional<std::int64_t> agency_id,
                     std::optional<std::string> text, std::int64_t limit, std::int64_t offset);
  User GetUser(const Principal& p, std::int64_t id);
  User CreateUser(const Principal& p, NewUser u);
  User UpdateUser(const Principal& p, std::int64_t id, const UserPatch& patch);
  void ResetPassword(const Principal& p, std::int64_t id, const std::string& password);

  // For the command line and seeding: acts as "system", no principal.
  User CreateUserAsSystem(NewUser u);
  std::optional<Agency> FindAgencyByCode(const std::string& code);
  Agency EnsureAgency(const Agency& a);          // seed: idempotent
  County EnsureCounty(const std::string& name);  // seed: idempotent
  std::optional<User> FindUserByName(const std::string& username);
  // For background work (escalation): the active users of active agencies holding any of `roles`.
  std::vector<User> ActiveUsersWith(RoleSet roles);

 private:
  User CreateUserChecked(const audit::Actor& actor, NewUser u);
  void Deny(const Principal& p, const std::string& record_type, std::int64_t id,
            const std::string& why);
  void RequireAdmin(const Principal& p, const char* what);  // 403, audited

  db::Database& db_;
  audit::AuditService& audit_;
  const Clock& clock_;
  HashCost hash_cost_;
};

}  // namespace peyvand::accounts
