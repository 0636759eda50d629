// Request → Principal: a bearer token (API) or the session cookie (browser).
// Cookie-authenticated requests that change state must carry the session's
// CSRF token (form field _csrf or header X-CSRF-Token).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "modules/accounts/model.hpp"
#include "modules/accounts/service.hpp"

namespace peyvand::accounts {

constexpr const char* kSessionCookie = "peyvand_session";

class Guard {
 public:
  Guard(AuthService& auth, DirectoryService& directory) : auth_(auth), directory_(directory) {}

  std::optional<Principal> Optional(const http::Request& req);
  // Throws 401 without a valid session, 403 without one of any_of (if given),
  // 403 on a missing/wrong CSRF token for a cookie session's unsafe request.
  Principal Require(const http::Request& req, RoleSet any_of = {});

  // The context every page's layout needs: user, agency, navigation, CSRF.
  boost::json::object PageContext(const Principal& p, const std::string& title);
  // Modules that sit above accounts add their own navigation links and home
  // page cards through these hooks (accounts cannot include them).
  using NavHook = std::function<void(const Principal&, boost::json::array& nav)>;
  using HomeHook = std::function<void(const Principal&, boost::json::object& ctx)>;
  void AddNavHook(NavHook hook) { nav_hooks_.push_back(std::move(hook)); }
  void AddHomeHook(HomeHook hook) { home_hooks_.push_back(std::move(hook)); }
  void ExtendHome(const Principal& p, boost::json::object& ctx) const {
    for (const auto& h : home_hooks_) h(p, ctx);
  }
  std::string SessionCookie(const std::string& token, bool secure) const;
  std::string ClearCookie(bool secure) const;

 private:
  AuthService& auth_;
  DirectoryService& directory_;
  std::vector<NavHook> nav_hooks_;
  std::vector<HomeHook> home_hooks_;
};

}  // namespace peyvand::accounts
