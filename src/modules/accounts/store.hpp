// SQL for counties, agencies, units, users and sessions.
#pragma once

#include <optional>
#include <vector>

#include "db/database.hpp"
#include "modules/accounts/model.hpp"

namespace peyvand::accounts::store {

std::vector<County> ListCounties(db::Connection& c);
std::string ProvinceName(db::Connection& c);  // "" when there is none
std::optional<County> GetCounty(db::Connection& c, std::int64_t id);
std::int64_t InsertCounty(db::Connection& c, const std::string& name, const std::string& key,
                          std::int64_t now);

std::vector<Agency> ListAgencies(db::Connection& c);
std::optional<Agency> GetAgency(db::Connection& c, std::int64_t id);
std::optional<Agency> GetAgencyByCode(db::Connection& c, const std::string& code);
std::int64_t InsertAgency(db::Connection& c, const Agency& a, const std::string& key,
                          std::int64_t now);
void UpdateAgency(db::Connection& c, const Agency& a, const std::string& key, std::int64_t now);

std::vector<Unit> ListUnits(db::Connection& c, std::int64_t agency_id);
std::optional<Unit> GetUnit(db::Connection& c, std::int64_t id);
std::int64_t InsertUnit(db::Connection& c, const Unit& u, const std::string& key, std::int64_t now);

struct Credentials {
  User user;
  std::string password_hash;
  int failed_logins = 0;
  bool agency_active = true;
};
std::optional<Credentials> GetCredentials(db::Connection& c, const std::string& username);
std::optional<Credentials> GetCredentialsById(db::Connection& c, std::int64_t id);
std::optional<User> GetUser(db::Connection& c, std::int64_t id);
struct UserQuery {
  std::optional<std::int64_t> agency_id;
  std::optional<std::string> text;  // matches username or display name
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
std::vector<User> ListUsers(db::Connection& c, const UserQuery& q);
std::int64_t CountUsers(db::Connection& c, const UserQuery& q);
std::vector<User> ActiveUsers(db::Connection& c);  // of active agencies
std::int64_t InsertUser(db::Connection& c, const NewUser& u, const std::string& hash,
                        std::int64_t now);
void UpdateUser(db::Connection& c, const User& u, std::int64_t now);
void SetPassword(db::Connection& c, std::int64_t user_id, const std::string& hash,
                 std::int64_t now);
// Atomic: concurrent failures each count (the row lock serialises them).
int IncrementLoginFailures(db::Connection& c, std::int64_t user_id);
void SetLoginFailures(db::Connection& c, std::int64_t user_id, int failures,
                      std::int64_t locked_until);

struct SessionRow {
  Principal principal;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t created_at = 0;
};
std::int64_t InsertSession(db::Connection& c, std::int64_t user_id, const std::string& token_hash,
                           const std::string& kind, const std::string& csrf, std::int64_t now,
                           std::int64_t expires_at);
std::optional<SessionRow> FindSession(db::Connection& c, const std::string& token_hash,
                                      const std::string& kind);
void TouchSession(db::Connection& c, std::int64_t session_id, std::int64_t now);
void RevokeSession(db::Connection& c, std::int64_t session_id, std::int64_t now);
void RevokeUserSessions(db::Connection& c, std::int64_t user_id, std::int64_t now);

}  // namespace peyvand::accounts::store
