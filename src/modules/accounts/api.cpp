#include "modules/accounts/api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "core/time.hpp"
#include "http/body.hpp"
#include "modules/accounts/rules.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::accounts {
namespace {

using boost::json::object;

object Json(const County& c) {
  return {{"id", c.id}, {"name", c.name}};
}
object Json(const Unit& u) {
  object o{{"id", u.id}, {"agency_id", u.agency_id}, {"name", u.name}};
  o["county_id"] = u.county_id ? boost::json::value(*u.county_id) : nullptr;
  return o;
}

http::Response Ok(const boost::json::value& v, int status = 200) {
  return http::Response::Json(boost::json::serialize(v), status);
}

RoleSet RolesField(const object& body) {
  std::string csv;
  for (const auto& r : http::StringArray(body, "roles")) csv += r + ",";
  return RolesFromCodes(csv).ValueOrThrow();
}

std::optional<std::optional<std::int64_t>> NullableId(const object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{http::OptionalInt(body, field)};
}

}  // namespace

Paging ParsePaging(const http::Request& req) {
  Paging p;
  // Bounded so (page - 1) * per_page cannot overflow.
  if (auto v = http::QueryInt(req, "page")) p.page = std::clamp<std::int64_t>(*v, 1, 1'000'000);
  if (auto v = http::QueryInt(req, "per_page")) p.per_page = std::clamp<std::int64_t>(*v, 1, 200);
  return p;
}

object PagingJson(const Paging& p, std::int64_t total) {
  return {{"page", p.page},
          {"per_page", p.per_page},
          {"total", total},
          {"pages", (total + p.per_page - 1) / p.per_page}};
}

object PageLinks(const Paging& paging, std::int64_t total,
                 std::vector<std::pair<std::string, std::string>> params, const std::string& path) {
  std::int64_t pages = std::max<std::int64_t>(1, (total + paging.per_page - 1) / paging.per_page);
  object o{{"page", persian::ToPersianDigits(std::to_string(paging.page))},
           {"pages", persian::ToPersianDigits(std::to_string(pages))},
           {"total", persian::FormatNumber(total)}};
  auto link = [&](std::int64_t page) {
    auto q = params;
    q.emplace_back("page", std::to_string(page));
    return path + "?" + http::QueryString(q);
  };
  if (paging.page > 1) o["prev"] = link(paging.page - 1);
  if (paging.page < pages) o["next"] = link(paging.page + 1);
  o["many"] = pages > 1;
  return o;
}

object UserJson(const User& u) {
  boost::json::array roles;
  for (const auto& r : AllRoles()) {
    if (u.roles.Has(r.role)) roles.push_back(boost::json::string(r.code));
  }
  object o{{"id", u.id},
           {"username", u.username},
           {"display_name", u.display_name},
           {"email", u.email},
           {"agency_id", u.agency_id},
           {"roles", roles},
           {"active", u.active},
           {"locked", u.locked_until > 0},
           {"created_at", IsoUtc(u.created_at)},
           {"created_at_jalali", persian::FormatJalaliDateTime(u.created_at / 1000)}};
  o["county_id"] = u.county_id ? boost::json::value(*u.county_id) : nullptr;
  o["unit_id"] = u.unit_id ? boost::json::value(*u.unit_id) : nullptr;
  return o;
}

object AgencyJson(const Agency& a) {
  return {
      {"id", a.id}, {"code", a.code}, {"name", a.name}, {"duties", a.duties}, {"active", a.active}};
}

void RegisterApi(http::Router& r, Guard& guard, AuthService& auth, DirectoryService& dir) {
  r.Post("/api/v1/auth/login", [&](http::Request& req) {
    auto body = http::JsonBody(req);
    std::string username = http::RequiredString(body, "username", 60);
    std::string password = http::RequiredString(body, "password", 200);
    audit::Actor anon;
    anon.request_id = req.request_id;
    anon.ip = req.remote_ip;
    auto result = auth.Login(username, password, false, anon);
    return Ok(
        object{{"token", result.token},
               {"expires_at", IsoUtc(result.expires_at)},
               {"expires_at_jalali", persian::FormatJalaliDateTime(result.expires_at / 1000)}});
  });
  r.Post("/api/v1/auth/logout", [&](http::Request& req) {
    auth.Logout(guard.Require(req));
    return http::Response::NoContent();
  });
  r.Get("/api/v1/me", [&](http::Request& req) {
    auto p = guard.Require(req);
    return Ok(UserJson(dir.GetUser(p, p.user_id)));
  });
  r.Post("/api/v1/me/password", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    auth.ChangePassword(p, http::RequiredString(body, "current_password"),
                        http::RequiredString(body, "new_password"));
    return http::Response::NoContent();
  });

  r.Get("/api/v1/counties", [&](http::Request& req) {
    boost::json::array out;
    for (const auto& c : dir.ListCounties(guard.Require(req))) out.push_back(Json(c));
    return Ok(object{{"items", out}});
  });
  r.Post("/api/v1/counties", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    return Ok(Json(dir.CreateCounty(p, http::RequiredString(body, "name"))), 201);
  });

  r.Get("/api/v1/agencies", [&](http::Request& req) {
    boost::json::array out;
    for (const auto& a : dir.ListAgencies(guard.Require(req))) out.push_back(AgencyJson(a));
    return Ok(object{{"items", out}});
  });
  r.Post("/api/v1/agencies", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    Agency a;
    a.code = http::RequiredString(body, "code", 30);
    a.name = http::RequiredString(body, "name");
    a.duties = http::OptionalString(body, "duties", 4000).value_or("");
    return Ok(AgencyJson(dir.CreateAgency(p, a)), 201);
  });
  r.Get("/api/v1/agencies/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    return Ok(AgencyJson(dir.GetAgency(p, http::IdParam(req, "id"))));
  });
  r.Patch("/api/v1/agencies/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    return Ok(AgencyJson(dir.UpdateAgency(
        p, http::IdParam(req, "id"), http::OptionalString(body, "name"),
        http::OptionalString(body, "duties", 4000), http::OptionalBool(body, "active"))));
  });
  r.Get("/api/v1/agencies/{id}/units", [&](http::Request& req) {
    auto p = guard.Require(req);
    boost::json::array out;
    for (const auto& u : dir.ListUnits(p, http::IdParam(req, "id"))) out.push_back(Json(u));
    return Ok(object{{"items", out}});
  });
  r.Post("/api/v1/agencies/{id}/units", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    Unit u;
    u.agency_id = http::IdParam(req, "id");
    u.name = http::RequiredString(body, "name");
    u.county_id = http::OptionalInt(body, "county_id");
    return Ok(Json(dir.CreateUnit(p, u)), 201);
  });

  r.Get("/api/v1/users", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = ParsePaging(req);
    auto list = dir.ListUsers(p, http::QueryInt(req, "agency_id"), req.Query("q"), paging.per_page,
                              paging.offset());
    boost::json::array out;
    for (const auto& u : list.users) out.push_back(UserJson(u));
    return Ok(object{{"items", out}, {"paging", PagingJson(paging, list.total)}});
  });
  r.Post("/api/v1/users", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    NewUser u;
    u.username = http::RequiredString(body, "username", 40);
    u.display_name = http::RequiredString(body, "display_name", 120);
    auto agency = http::OptionalInt(body, "agency_id");
    if (!agency)
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
           {{"agency_id", "الزامی است."}});
    u.agency_id = *agency;
    u.county_id = http::OptionalInt(body, "county_id");
    u.unit_id = http::OptionalInt(body, "unit_id");
    u.roles = RolesField(body);
    u.password = http::RequiredString(body, "password", 200);
    u.email = http::OptionalString(body, "email", 254).value_or("");
    return Ok(UserJson(dir.CreateUser(p, std::move(u))), 201);
  });
  r.Get("/api/v1/users/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    return Ok(UserJson(dir.GetUser(p, http::IdParam(req, "id"))));
  });
  r.Patch("/api/v1/users/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    UserPatch patch;
    patch.display_name = http::OptionalString(body, "display_name", 120);
    patch.county_id = NullableId(body, "county_id");
    patch.unit_id = NullableId(body, "unit_id");
    if (body.contains("roles")) patch.roles = RolesField(body);
    patch.active = http::OptionalBool(body, "active");
    patch.agency_id = http::OptionalInt(body, "agency_id");
    patch.email = http::OptionalString(body, "email", 254);
    return Ok(UserJson(dir.UpdateUser(p, http::IdParam(req, "id"), patch)));
  });
  r.Post("/api/v1/users/{id}/password", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    dir.ResetPassword(p, http::IdParam(req, "id"), http::RequiredString(body, "password"));
    return http::Response::NoContent();
  });
}

}  // namespace peyvand::accounts
