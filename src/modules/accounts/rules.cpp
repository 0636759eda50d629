#include "modules/accounts/rules.hpp"

#include <algorithm>
#include <cctype>

namespace peyvand::accounts {

const std::vector<RoleInfo>& AllRoles() {
  static const std::vector<RoleInfo> kRoles = {
      {Role::kSystemAdmin, "system_admin", "مدیر سامانه"},
      {Role::kAgencyManager, "agency_manager", "مدیر دستگاه"},
      {Role::kOperator, "operator", "کارشناس"},
      {Role::kCoordinator, "coordinator", "هماهنگ‌کنندهٔ استانی"},
      {Role::kAuditor, "auditor", "بازرس"},
      {Role::kResearcher, "researcher", "پژوهشگر"},
  };
  return kRoles;
}

std::optional<Role> RoleFromCode(std::string_view code) {
  for (const auto& r : AllRoles()) {
    if (code == r.code) return r.role;
  }
  return std::nullopt;
}

std::string RolesToCodes(RoleSet roles) {
  std::string out;
  for (const auto& r : AllRoles()) {
    if (!roles.Has(r.role)) continue;
    if (!out.empty()) out += ',';
    out += r.code;
  }
  return out;
}

Result<RoleSet> RolesFromCodes(std::string_view csv) {
  RoleSet set;
  while (!csv.empty()) {
    auto comma = csv.find(',');
    auto code = csv.substr(0, comma);
    csv = comma == std::string_view::npos ? std::string_view() : csv.substr(comma + 1);
    while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
    while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
    if (code.empty()) continue;
    auto role = RoleFromCode(code);
    if (!role) {
      return Error{ErrorCode::kInvalid,
                   "نقش ناشناخته: " + std::string(code),
                   {{"roles", "نقش «" + std::string(code) + "» تعریف نشده است."}}};
    }
    set.Add(*role);
  }
  return set;
}

Result<std::string> ValidateUsername(std::string_view u) {
  auto bad = [] {
    return Error{ErrorCode::kInvalid,
                 "نام کاربری نامعتبر است.",
                 {{"username",
                   "نام کاربری باید ۳ تا ۴۰ نویسه از حروف کوچک لاتین، رقم، نقطه، خط تیره یا "
                   "زیرخط باشد و با حرف شروع شود."}}};
  };
  if (u.size() < 3 || u.size() > 40 || !std::islower(static_cast<unsigned char>(u[0])))
    return bad();
  for (char c : u) {
    bool ok = std::islower(static_cast<unsigned char>(c)) ||
              std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!ok) return bad();
  }
  return std::string(u);
}

std::optional<std::string> PasswordProblem(std::string_view password, std::string_view username) {
  if (password.size() < 10)
    return "گذرواژه باید دست‌کم ۱۰ نویسه باشد.";
  if (password.size() > 200) return "گذرواژه بیش از حد طولانی است.";
  if (std::all_of(password.begin(), password.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return "گذرواژه نباید فقط از رقم تشکیل شده باشد.";
  }
  if (password == username) return "گذرواژه نباید با نام کاربری یکی باشد.";
  return std::nullopt;
}

FailureOutcome OnFailedLogin(const LockoutPolicy& p, int failures_before, std::int64_t now_ms) {
  int failures = failures_before + 1;
  if (failures >= p.max_failures) return {0, now_ms + p.lock_ms};
  return {failures, 0};
}

RoleSet GrantableRoles(const Principal& actor) {
  if (actor.roles.Has(Role::kSystemAdmin)) {
    RoleSet all;
    for (const auto& r : AllRoles()) all.Add(r.role);
    return all;
  }
  // Auditors, coordinators and researchers see across agencies: only a
  // system administrator may create them.
  if (actor.roles.Has(Role::kAgencyManager)) return {Role::kOperator, Role::kAgencyManager};
  return {};
}

bool CanManageUser(const Principal& actor, std::int64_t target_agency, RoleSet target_roles) {
  if (actor.roles.Has(Role::kSystemAdmin)) return true;
  if (!actor.roles.Has(Role::kAgencyManager)) return false;
  if (actor.agency_id != target_agency) return false;
  return (target_roles.bits() & ~GrantableRoles(actor).bits()) == 0;
}

bool CanSeeUser(const Principal& actor, std::int64_t target_agency, std::int64_t target_user) {
  if (actor.user_id == target_user) return true;
  if (actor.roles.Has(Role::kSystemAdmin) || actor.roles.Has(Role::kAuditor)) return true;
  return actor.roles.Has(Role::kAgencyManager) && actor.agency_id == target_agency;
}

}  // namespace peyvand::accounts
