#include "modules/accounts/guard.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "http/body.hpp"
#include "modules/accounts/crypto.hpp"
#include "modules/accounts/rules.hpp"

namespace peyvand::accounts {

std::optional<Principal> Guard::Optional(const http::Request& req) {
  std::optional<Principal> p;
  if (auto authz = req.Header("authorization"); authz && authz->rfind("Bearer ", 0) == 0) {
    p = auth_.Authenticate(std::string(authz->substr(7)), false);
  } else if (auto cookie = req.Cookie(kSessionCookie)) {
    p = auth_.Authenticate(*cookie, true);
  }
  if (p) {
    p->request_id = req.request_id;
    p->ip = req.remote_ip;
  }
  return p;
}

Principal Guard::Require(const http::Request& req, RoleSet any_of) {
  auto p = Optional(req);
  if (!p) Fail(ErrorCode::kUnauthenticated, "برای ادامه وارد سامانه شوید.");
  bool unsafe = req.method != http::Method::kGet && req.method != http::Method::kHead;
  if (p->via_cookie && unsafe) {
    std::string sent;
    if (auto h = req.Header("x-csrf-token")) {
      sent = std::string(*h);
    } else if (auto ct = req.Header("content-type");
               ct && ct->find("application/x-www-form-urlencoded") != std::string_view::npos) {
      sent = http::Form::Parse(req).GetOr("_csrf");
    }
    if (!ConstantTimeEquals(sent, p->csrf_token)) {
      auth_.AuditDenial(*p, "csrf token missing or wrong: " +
                                std::string(http::MethodName(req.method)) + " " + req.path);
      Fail(ErrorCode::kForbidden,
           "نشست فرم منقضی یا نامعتبر است؛ صفحه را تازه کنید و دوباره بفرستید.");
    }
  }
  if (!any_of.empty() && !p->roles.HasAny(any_of)) {
    auth_.AuditDenial(*p, "role: " + std::string(http::MethodName(req.method)) + " " + req.path);
    Fail(ErrorCode::kForbidden, "شما اجازهٔ دسترسی به این بخش را ندارید.");
  }
  return *p;
}

boost::json::object Guard::PageContext(const Principal& p, const std::string& title) {
  boost::json::array roles;
  for (const auto& r : AllRoles()) {
    if (p.roles.Has(r.role)) roles.push_back(boost::json::string(r.label));
  }
  boost::json::array nav;
  auto add = [&](const char* href, const char* label) {
    nav.push_back(boost::json::object{{"href", href}, {"label", label}});
  };
  add("/", "خانه");
  if (p.roles.HasAny({Role::kOperator, Role::kAgencyManager})) add("/persons", "مددجویان");
  bool admin = p.roles.Has(Role::kSystemAdmin);
  if (admin || p.roles.Has(Role::kAgencyManager)) add("/admin/users", "کاربران");
  if (admin) {
    add("/admin/agencies", "دستگاه‌ها");
    add("/admin/counties", "شهرستان‌ها");
  } else if (p.roles.Has(Role::kAgencyManager)) {
    add("/admin/agencies", "دستگاه و واحدها");
  }
  for (const auto& hook : nav_hooks_) hook(p, nav);
  if (admin || p.roles.Has(Role::kAuditor)) add("/audit", "گزارش ممیزی");
  add("/password", "تغییر گذرواژه");
  return boost::json::object{
      {"title", title},
      {"signed_in", true},
      {"csrf", p.csrf_token},
      {"user",
       boost::json::object{
           {"display_name", p.display_name}, {"username", p.username}, {"roles", roles}}},
      {"agency_name", directory_.AgencyName(p.agency_id)},
      {"nav", nav},
  };
}

std::string Guard::SessionCookie(const std::string& token, bool secure) const {
  http::CookieOptions o;
  o.secure = secure;
  return http::SetCookieValue(kSessionCookie, token, o);
}

std::string Guard::ClearCookie(bool secure) const {
  http::CookieOptions o;
  o.secure = secure;
  o.max_age_seconds = 0;
  return http::SetCookieValue(kSessionCookie, "", o);
}

}  // namespace peyvand::accounts
