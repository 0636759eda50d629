#include "modules/accounts/store.hpp"

#include "modules/accounts/rules.hpp"

namespace peyvand::accounts::store {
namespace {

constexpr db::Query kListCounties{"counties.list", "SELECT id, name FROM counties ORDER BY id"};
constexpr db::Query kProvinceName{"provinces.name", "SELECT name FROM provinces WHERE id = 1"};
constexpr db::Query kGetCounty{"counties.get", "SELECT id, name FROM counties WHERE id = ?"};
constexpr db::Query kInsertCounty{"counties.insert",
                                  "INSERT INTO counties (province_id, name, name_key, created_at) "
                                  "VALUES (1, ?, ?, ?) RETURNING id"};

#define PEYVAND_AGENCY_COLS "id, code, name, duties, active"
constexpr db::Query kListAgencies{"agencies.list",
                                  "SELECT " PEYVAND_AGENCY_COLS " FROM agencies ORDER BY id"};
constexpr db::Query kGetAgency{"agencies.get",
                               "SELECT " PEYVAND_AGENCY_COLS " FROM agencies WHERE id = ?"};
constexpr db::Query kGetAgencyByCode{"agencies.by_code",
                                     "SELECT " PEYVAND_AGENCY_COLS " FROM agencies WHERE code = ?"};
constexpr db::Query kInsertAgency{"agencies.insert",
                                  "INSERT INTO agencies (province_id, code, name, name_key, "
                                  "duties, active, created_at, updated_at)"
                                  " VALUES (1, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr db::Query kUpdateAgency{"agencies.update",
                                  "UPDATE agencies SET name = ?, name_key = ?, duties = ?, active "
                                  "= ?, updated_at = ? WHERE id = ?"};

constexpr db::Query kListUnits{
    "units.list",
    "SELECT id, agency_id, county_id, name FROM units WHERE agency_id = ? ORDER BY id"};
constexpr db::Query kGetUnit{"units.get",
                             "SELECT id, agency_id, county_id, name FROM units WHERE id = ?"};
constexpr db::Query kInsertUnit{
    "units.insert",
    "INSERT INTO units (province_id, agency_id, county_id, name, name_key, created_at)"
    " VALUES (1, ?, ?, ?, ?, ?) RETURNING id"};

#define PEYVAND_USER_COLS                                                                    \
  "id, username, display_name, agency_id, county_id, unit_id, roles, email, active, " \
  "locked_until, created_at"
// An inactive agency's users cannot sign in (agency_active) and their sessions end (sessions.find).
#define PEYVAND_CREDENTIAL_COLS     \
  "SELECT " PEYVAND_USER_COLS       \
  ", password_hash, failed_logins," \
  " (SELECT a.active FROM agencies a WHERE a.id = users.agency_id) AS agency_active FROM users"
constexpr db::Query kGetCredentials{"users.credentials",
                                    PEYVAND_CREDENTIAL_COLS " WHERE username = ?"};
constexpr db::Query kGetCredentialsById{"users.credentials_by_id",
                                        PEYVAND_CREDENTIAL_COLS " WHERE id = ?"};
constexpr db::Query kGetUser{"users.get", "SELECT " PEYVAND_USER_COLS " FROM users WHERE id = ?"};
#define PEYVAND_USER_WHERE                                                                      \
  " WHERE (CAST(? AS BIGINT) IS NULL OR agency_id = ?)"                                         \
  " AND (CAST(? AS TEXT) IS NULL OR username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE " \
  "'\\')"
constexpr db::Query kListUsers{"users.list",
                               "SELECT " PEYVAND_USER_COLS " FROM users" PEYVAND_USER_WHERE
                               " ORDER BY id LIMIT ? OFFSET ?"};
constexpr db::Query kCountUsers{"users.count",
                                "SELECT COUNT(*) AS n FROM users" PEYVAND_USER_WHERE};
constexpr db::Query kActiveUsers{
    "users.active", "SELECT " PEYVAND_USER_COLS " FROM users WHERE active = 1"
                    " AND EXISTS (SELECT 1 FROM agencies a WHERE a.id = users.agency_id"
                    " AND a.active = 1) ORDER BY id"};
constexpr db::Query kInsertUser{
    "users.insert",
    "INSERT INTO users (province_id, username, display_name, agency_id, county_id, unit_id, roles,"
    " email, password_hash, active, failed_logins, locked_until, created_at, updated_at)"
    " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0, ?, ?) RETURNING id"};
constexpr db::Query kUpdateUser{
    "users.update",
    "UPDATE users SET display_name = ?, agency_id = ?, county_id = ?, unit_id = ?, roles = ?,"
    " email = ?, active = ?, updated_at = ? WHERE id = ?"};
constexpr db::Query kSetPassword{"users.set_password",
                                 "UPDATE users SET password_hash = ?, failed_logins = 0, "
                                 "locked_until = 0, updated_at = ? WHERE id = ?"};
constexpr db::Query kIncrementFailures{
    "users.increment_failures",
    "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins"};
constexpr db::Query kSetFailures{
    "users.set_failures", "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?"};

constexpr db::Query kInsertSession{
    "sessions.insert",
    "INSERT INTO sessions (province_id, token_hash, user_id, kind, csrf_token, created_at,"
    " last_seen_at, expires_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr db::Query kFindSession{
    "sessions.find",
    "SELECT s.id AS session_id, s.csrf_token, s.created_at AS s_created, s.last_seen_at,"
    " s.expires_at, u.id, u.username, u.display_name, u.agency_id, u.county_id, u.roles, u.active"
    " FROM sessions s JOIN users u ON u.id = s.user_id JOIN agencies a ON a.id = u.agency_id"
    " WHERE s.token_hash = ? AND s.kind = ? AND s.revoked_at IS NULL AND a.active = 1"};
constexpr db::Query kTouchSession{"sessions.touch",
                                  "UPDATE sessions SET last_seen_at = ? WHERE id = ?"};
constexpr db::Query kRevokeSession{
    "sessions.revoke", "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"};
constexpr db::Query kRevokeUserSessions{
    "sessions.revoke_user",
    "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"};

Agency AgencyFrom(const db::Row& r) {
  return Agency{r.Int("id"), r.Text("code"), r.Text("name"), r.Text("duties"),
                r.Int("active") != 0};
}
Unit UnitFrom(const db::Row& r) {
  return Unit{r.Int("id"), r.Int("agency_id"), r.OptInt("county_id"), r.Text("name")};
}
User UserFrom(const db::Row& r) {
  User u;
  u.id = r.Int("id");
  u.username = r.Text("username");
  u.display_name = r.Text("display_name");
  u.agency_id = r.Int("agency_id");
  u.county_id = r.OptInt("county_id");
  u.unit_id = r.OptInt("unit_id");
  auto roles = RolesFromCodes(r.Text("roles"));
  if (roles) u.roles = *roles;
  u.email = r.Text("email");
  u.active = r.Int("active") != 0;
  u.locked_until = r.Int("locked_until");
  u.created_at = r.Int("created_at");
  return u;
}
db::Params UserQueryParams(const UserQuery& q) {
  std::optional<std::string> like;
  if (q.text) {
    // The user's text is matched literally: %, _ and the escape itself are escaped.
    std::string escaped;
    for (char ch : *q.text) {
      if (ch == '%' || ch == '_' || ch == '\\') escaped += '\\';
      escaped += ch;
    }
    like = "%" + escaped + "%";
  }
  return {q.agency_id, q.agency_id, q.text, like, like};
}

}  // namespace

std::vector<County> ListCounties(db::Connection& c) {
  std::vector<County> out;
  for (auto r : c.Run(kListCounties)) out.push_back({r.Int("id"), r.Text("name")});
  return out;
}
std::string ProvinceName(db::Connection& c) {
  auto rs = c.Run(kProvinceName);
  return rs.empty() ? std::string() : rs[0].Text("name");
}
std::optional<County> GetCounty(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetCounty, {id});
  if (rs.empty()) return std::nullopt;
  return County{rs[0].Int("id"), rs[0].Text("name")};
}
std::int64_t InsertCounty(db::Connection& c, const std::string& name, const std::string& key,
                          std::int64_t now) {
  return c.Run(kInsertCounty, {name, key, now})[0].Int("id");
}

std::vector<Agency> ListAgencies(db::Connection& c) {
  std::vector<Agency> out;
  for (auto r : c.Run(kListAgencies)) out.push_back(AgencyFrom(r));
  return out;
}
std::optional<Agency> GetAgency(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetAgency, {id});
  if (rs.empty()) return std::nullopt;
  return AgencyFrom(rs[0]);
}
std::optional<Agency> GetAgencyByCode(db::Connection& c, const std::string& code) {
  auto rs = c.Run(kGetAgencyByCode, {code});
  if (rs.empty()) return std::nullopt;
  return AgencyFrom(rs[0]);
}
std::int64_t InsertAgency(db::Connection& c, const Agency& a, const std::string& key,
                          std::int64_t now) {
  return c.Run(kInsertAgency, {a.code, a.name, key, a.duties, a.active, now, now})[0].Int("id");
}
void UpdateAgency(db::Connection& c, const Agency& a, const std::string& key, std::int64_t now) {
  c.Exec(kUpdateAgency, {a.name, key, a.duties, a.active, now, a.id});
}

std::vector<Unit> ListUnits(db::Connection& c, std::int64_t agency_id) {
  std::vector<Unit> out;
  for (auto r : c.Run(kListUnits, {agency_id})) out.push_back(UnitFrom(r));
  return out;
}
std::optional<Unit> GetUnit(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetUnit, {id});
  if (rs.empty()) return std::nullopt;
  return UnitFrom(rs[0]);
}
std::int64_t InsertUnit(db::Connection& c, const Unit& u, const std::string& key,
                        std::int64_t now) {
  return c.Run(kInsertUnit, {u.agency_id, u.county_id, u.name, key, now})[0].Int("id");
}

static std::optional<Credentials> CredentialsFrom(const db::ResultSet& rs) {
  if (rs.empty()) return std::nullopt;
  Credentials cr;
  cr.user = UserFrom(rs[0]);
  cr.password_hash = rs[0].Text("password_hash");
  cr.failed_logins = static_cast<int>(rs[0].Int("failed_logins"));
  cr.agency_active = rs[0].Int("agency_active") != 0;
  return cr;
}
std::optional<Credentials> GetCredentials(db::Connection& c, const std::string& username) {
  return CredentialsFrom(c.Run(kGetCredentials, {username}));
}
std::optional<Credentials> GetCredentialsById(db::Connection& c, std::int64_t id) {
  return CredentialsFrom(c.Run(kGetCredentialsById, {id}));
}
std::optional<User> GetUser(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetUser, {id});
  if (rs.empty()) return std::nullopt;
  return UserFrom(rs[0]);
}
std::vector<User> ListUsers(db::Connection& c, const UserQuery& q) {
  auto params = UserQueryParams(q);
  params.emplace_back(q.limit);
  params.emplace_back(q.offset);
  std::vector<User> out;
  for (auto r : c.Run(kListUsers, params)) out.push_back(UserFrom(r));
  return out;
}
std::vector<User> ActiveUsers(db::Connection& c) {
  std::vector<User> out;
  for (auto r : c.Run(kActiveUsers)) out.push_back(UserFrom(r));
  return out;
}
std::int64_t CountUsers(db::Connection& c, const UserQuery& q) {
  return c.Run(kCountUsers, UserQueryParams(q))[0].Int("n");
}
std::int64_t InsertUser(db::Connection& c, const NewUser& u, const std::string& hash,
                        std::int64_t now) {
  return c
      .Run(kInsertUser, {u.username, u.display_name, u.agency_id, u.county_id, u.unit_id,
                         RolesToCodes(u.roles), u.email, hash, now, now})[0]
      .Int("id");
}
void UpdateUser(db::Connection& c, const User& u, std::int64_t now) {
  c.Exec(kUpdateUser, {u.display_name, u.agency_id, u.county_id, u.unit_id, RolesToCodes(u.roles),
                       u.email, u.active, now, u.id});
}
void SetPassword(db::Connection& c, std::int64_t user_id, const std::string& hash,
                 std::int64_t now) {
  c.Exec(kSetPassword, {hash, now, user_id});
}
int IncrementLoginFailures(db::Connection& c, std::int64_t user_id) {
  return static_cast<int>(c.Run(kIncrementFailures, {user_id})[0].Int("failed_logins"));
}
void SetLoginFailures(db::Connection& c, std::int64_t user_id, int failures,
                      std::int64_t locked_until) {
  c.Exec(kSetFailures, {failures, locked_until, user_id});
}

std::int64_t InsertSession(db::Connection& c, std::int64_t user_id, const std::string& token_hash,
                           const std::string& kind, const std::string& csrf, std::int64_t now,
                           std::int64_t expires_at) {
  return c.Run(kInsertSession, {token_hash, user_id, kind, csrf, now, now, expires_at})[0].Int(
      "id");
}
std::optional<SessionRow> FindSession(db::Connection& c, const std::string& token_hash,
                                      const std::string& kind) {
  auto rs = c.Run(kFindSession, {token_hash, kind});
  if (rs.empty() || rs[0].Int("active") == 0) return std::nullopt;
  const auto r = rs[0];
  SessionRow s;
  s.principal.user_id = r.Int("id");
  s.principal.username = r.Text("username");
  s.principal.display_name = r.Text("display_name");
  s.principal.agency_id = r.Int("agency_id");
  s.principal.county_id = r.OptInt("county_id");
  auto roles = RolesFromCodes(r.Text("roles"));
  if (roles) s.principal.roles = *roles;
  s.principal.session_id = r.Int("session_id");
  s.principal.csrf_token = r.Text("csrf_token");
  s.last_seen_at = r.Int("last_seen_at");
  s.expires_at = r.Int("expires_at");
  s.created_at = r.Int("s_created");
  return s;
}
void TouchSession(db::Connection& c, std::int64_t session_id, std::int64_t now) {
  c.Exec(kTouchSession, {now, session_id});
}
void RevokeSession(db::Connection& c, std::int64_t session_id, std::int64_t now) {
  c.Exec(kRevokeSession, {now, session_id});
}
void RevokeUserSessions(db::Connection& c, std::int64_t user_id, std::int64_t now) {
  c.Exec(kRevokeUserSessions, {now, user_id});
}

}  // namespace peyvand::accounts::store
