// Pure account rules: roles, usernames, passwords, lockout, who may manage whom.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "modules/accounts/model.hpp"

namespace peyvand::accounts {

std::string RolesToCodes(RoleSet roles);               // "operator,auditor"
Result<RoleSet> RolesFromCodes(std::string_view csv);  // rejects unknown codes
std::optional<Role> RoleFromCode(std::string_view code);

// 3–40 chars of a-z, 0-9, '.', '_', '-', starting with a letter.
Result<std::string> ValidateUsername(std::string_view username);
// At least 10 characters, not all digits, not equal to the username.
std::optional<std::string> PasswordProblem(std::string_view password, std::string_view username);

struct LockoutPolicy {
  int max_failures = 5;
  std::int64_t lock_ms = 15 * 60 * 1000;
};
// After a failed attempt: the new failure count and, if it reached the limit,
// the time until which the account is locked.
struct FailureOutcome {
  int failures;
  std::int64_t locked_until;  // 0: not locked
};
FailureOutcome OnFailedLogin(const LockoutPolicy& p, int failures_before, std::int64_t now_ms);

// Roles `actor` may grant: system admins all; agency managers operator and
// agency_manager (within their agency); everyone else none.
RoleSet GrantableRoles(const Principal& actor);
// May `actor` create/edit a user of `target_agency` holding `target_roles`?
// System admins: anyone. Agency managers: users of their own agency whose
// roles they could grant themselves. Everyone else: no.
bool CanManageUser(const Principal& actor, std::int64_t target_agency, RoleSet target_roles);
bool CanSeeUser(const Principal& actor, std::int64_t target_agency, std::int64_t target_user);

}  // namespace peyvand::accounts
