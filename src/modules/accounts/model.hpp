// The directory of who works where: province → counties → agencies → units,
// users with roles, and their sessions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::accounts {

enum class Role : unsigned {
  kSystemAdmin = 1u << 0,
  kAgencyManager = 1u << 1,
  kOperator = 1u << 2,
  kCoordinator = 1u << 3,
  kAuditor = 1u << 4,
  kResearcher = 1u << 5,
};

struct RoleInfo {
  Role role;
  const char* code;   // stored and used in the API
  const char* label;  // Persian, for pages
};
const std::vector<RoleInfo>& AllRoles();

class RoleSet {
 public:
  RoleSet() = default;
  RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= static_cast<unsigned>(r);
  }
  bool Has(Role r) const { return (bits_ & static_cast<unsigned>(r)) != 0; }
  bool HasAny(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  void Add(Role r) { bits_ |= static_cast<unsigned>(r); }
  unsigned bits() const { return bits_; }
  bool operator==(const RoleSet&) const = default;

 private:
  unsigned bits_ = 0;
};

struct County {
  std::int64_t id = 0;
  std::string name;
};

struct Agency {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string duties;
  bool active = true;
};

struct Unit {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::optional<std::int64_t> county_id;
  std::string name;
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::int64_t agency_id = 0;
  std::optional<std::int64_t> county_id;
  std::optional<std::int64_t> unit_id;
  RoleSet roles;
  std::string email;  // "" when none; escalation notices are also mailed here
  bool active = true;
  std::int64_t locked_until = 0;
  std::int64_t created_at = 0;
};

// The signed-in user, resolved once per request from a cookie or bearer token.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::int64_t agency_id = 0;
  std::optional<std::int64_t> county_id;
  RoleSet roles;
  std::int64_t session_id = 0;
  std::string csrf_token;
  bool via_cookie = false;
  std::string request_id;
  std::string ip;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::int64_t agency_id = 0;
  std::optional<std::int64_t> county_id;
  std::optional<std::int64_t> unit_id;
  RoleSet roles;
  std::string password;
  std::string email;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::int64_t>> county_id;
  std::optional<std::optional<std::int64_t>> unit_id;
  std::optional<RoleSet> roles;
  std::optional<bool> active;
  std::optional<std::int64_t> agency_id;
  std::optional<std::string> email;
};

struct LoginResult {
  std::string token;
  Principal principal;
  std::int64_t expires_at = 0;
};

}  // namespace peyvand::accounts
