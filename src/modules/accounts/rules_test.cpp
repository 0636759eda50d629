#include "modules/accounts/rules.hpp"

#include <gtest/gtest.h>

namespace peyvand::accounts {
namespace {

TEST(AccountRulesTest, RolesRoundTrip) {
  struct Case {
    std::string csv;        // input
    bool ok;                // accepted?
    std::string canonical;  // RolesToCodes of the result
  };
  const Case cases[] = {
      {"operator", true, "operator"},
      {"auditor,operator", true, "operator,auditor"},
      {" operator , auditor ", true, "operator,auditor"},
      {"", true, ""},
      {"operator,wizard", false, ""},
      {"System_Admin", false, ""},
  };
  for (const auto& c : cases) {
    auto r = RolesFromCodes(c.csv);
    EXPECT_EQ(r.ok(), c.ok) << c.csv;
    if (r.ok()) {
      EXPECT_EQ(RolesToCodes(*r), c.canonical) << c.csv;
    }
  }
}

TEST(AccountRulesTest, Usernames) {
  const std::pair<std::string, bool> cases[] = {
      {"admin", true},
      {"police.agency-manager", true},
      {"a_b", true},
      {"ab", false},
      {"Admin", false},
      {"1admin", false},
      {"has space", false},
      {"علی", false},
      {std::string(41, 'a'), false},
  };
  for (const auto& [name, ok] : cases) EXPECT_EQ(ValidateUsername(name).ok(), ok) << name;
}

TEST(AccountRulesTest, Passwords) {
  EXPECT_TRUE(PasswordProblem("short", "u").has_value());
  EXPECT_TRUE(PasswordProblem("1234567890", "u").has_value());
  EXPECT_TRUE(PasswordProblem("username-long", "username-long").has_value());
  EXPECT_FALSE(PasswordProblem("a-fine-password", "u").has_value());
}

TEST(AccountRulesTest, LockoutCountsToFive) {
  LockoutPolicy p;  // 5 failures, 15 minutes
  int failures = 0;
  for (int i = 1; i <= 4; ++i) {
    auto o = OnFailedLogin(p, failures, 1000);
    EXPECT_EQ(o.locked_until, 0) << i;
    failures = o.failures;
  }
  auto fifth = OnFailedLogin(p, failures, 1000);
  EXPECT_EQ(fifth.locked_until, 1000 + 15 * 60 * 1000);
  EXPECT_EQ(fifth.failures, 0);  // a fresh count once the lock ends
}

TEST(AccountRulesTest, WhoManagesWhom) {
  Principal admin;
  admin.user_id = 1;
  admin.agency_id = 5;
  admin.roles = {Role::kSystemAdmin};
  Principal manager;
  manager.user_id = 2;
  manager.agency_id = 1;
  manager.roles = {Role::kAgencyManager};
  Principal op;
  op.user_id = 3;
  op.agency_id = 1;
  op.roles = {Role::kOperator};
  Principal auditor;
  auditor.user_id = 4;
  auditor.agency_id = 2;
  auditor.roles = {Role::kAuditor};
  struct Case {
    const Principal* actor;  // who acts
    std::int64_t agency;     // target user's agency
    RoleSet roles;           // target user's roles
    bool manage;             // CanManageUser
    bool see;                // CanSeeUser (target user id 99)
  };
  const Case cases[] = {
      {&admin, 1, {Role::kOperator}, true, true},
      {&admin, 1, {Role::kSystemAdmin}, true, true},
      {&manager, 1, {Role::kOperator}, true, true},
      {&manager, 1, {Role::kSystemAdmin}, false, true},
      {&manager, 1, {Role::kAgencyManager}, true, true},
      {&manager, 1, {Role::kAuditor}, false, true},  // cross-agency roles: admins only
      {&manager, 1, {Role::kOperator, Role::kCoordinator}, false, true},
      {&manager, 2, {Role::kOperator}, false, false},
      {&op, 1, {Role::kOperator}, false, false},
      {&auditor, 1, {Role::kOperator}, false, true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanManageUser(*c.actor, c.agency, c.roles), c.manage)
        << c.actor->user_id << " → " << c.agency;
    EXPECT_EQ(CanSeeUser(*c.actor, c.agency, 99), c.see) << c.actor->user_id << " → " << c.agency;
  }
  EXPECT_TRUE(CanSeeUser(op, 7, op.user_id));  // everyone sees themself
}

}  // namespace
}  // namespace peyvand::accounts
