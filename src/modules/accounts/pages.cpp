// Server-rendered pages for signing in and administering the directory.
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "modules/accounts/rules.hpp"
#include "persian/collation.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::accounts {
namespace {

using boost::json::object;

// Field names in the order forms show them, with their Persian labels.
const char* FieldLabel(const std::string& field) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"username", "نام کاربری"},
      {"display_name", "نام نمایشی"},
      {"password", "گذرواژه"},
      {"current_password", "گذرواژهٔ فعلی"},
      {"new_password", "گذرواژهٔ تازه"},
      {"confirm_password", "تکرار گذرواژه"},
      {"agency_id", "دستگاه"},
      {"county_id", "شهرستان"},
      {"unit_id", "واحد"},
      {"roles", "نقش"},
      {"name", "نام"},
      {"code", "کد"},
      {"duties", "وظایف"}};
  for (const auto& [k, label] : kLabels) {
    if (field == k) return label;
  }
  return "";
}

}  // namespace

object ErrorsJson(const AppError& e) {
  boost::json::array fields;
  for (const auto& f : e.error().fields) {
    std::string label = FieldLabel(f.field);
    fields.push_back(object{{"text", label.empty() ? f.message : label + ": " + f.message}});
  }
  return {{"message", e.error().message}, {"fields", fields}};
}

namespace {

RoleSet FormRoles(const http::Form& f) {
  RoleSet roles;
  for (const auto& code : f.GetAll("roles")) {
    auto r = RoleFromCode(code);
    if (!r) Fail(ErrorCode::kInvalid, "نقش ناشناخته.", {{"roles", "نقش ناشناخته."}});
    roles.Add(*r);
  }
  return roles;
}

boost::json::array RoleOptions(const Principal& p, RoleSet selected) {
  boost::json::array out;
  for (const auto& r : AllRoles()) {
    if (r.role == Role::kSystemAdmin && !p.roles.Has(Role::kSystemAdmin)) continue;
    out.push_back(object{{"code", r.code}, {"label", r.label}, {"checked", selected.Has(r.role)}});
  }
  return out;
}

std::string RoleLabels(RoleSet roles) {
  std::string out;
  for (const auto& r : AllRoles()) {
    if (!roles.Has(r.role)) continue;
    if (!out.empty()) out += "، ";
    out += r.label;
  }
  return out;
}

// Select options in Persian alphabetical order (ICU "fa" collation): a byte
// order would put پ چ ژ گ after ی.
template <class T, class Pick, class Selected>
boost::json::array SortedOptions(const std::vector<T>& items, Pick pick, Selected selected) {
  static const persian::Collator collator;
  std::vector<std::pair<std::string, const T*>> keyed;
  for (const auto& item : items) {
    if (pick(item)) keyed.emplace_back(collator.SortKey(item.name), &item);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  boost::json::array out;
  for (const auto& [key, item] : keyed) {
    out.push_back(object{{"id", item->id}, {"name", item->name}, {"selected", selected(*item)}});
  }
  return out;
}

boost::json::array AgencyOptions(DirectoryService& dir, const Principal& p, std::int64_t selected) {
  return SortedOptions(
      dir.ListAgencies(p),
      [&](const Agency& a) { return p.roles.Has(Role::kSystemAdmin) || a.id == p.agency_id; },
      [&](const Agency& a) { return a.id == selected; });
}

boost::json::array CountyOptions(DirectoryService& dir, const Principal& p,
                                 std::optional<std::int64_t> selected) {
  return SortedOptions(
      dir.ListCounties(p), [](const County&) { return true; },
      [&](const County& c) { return selected && *selected == c.id; });
}

}  // namespace

void RegisterPages(http::Router& r, Guard& guard, AuthService& auth, DirectoryService& dir,
                   const web::Templates& t) {
  r.Get("/login", [&](http::Request& req) {
    if (guard.Optional(req)) return http::Response::Redirect("/");
    return t.Page("login", object{{"title", "ورود"}});
  });
  r.Post("/login", [&](http::Request& req) {
    auto form = http::Form::Parse(req);
    std::string username = form.GetOr("username");
    audit::Actor anon;
    anon.request_id = req.request_id;
    anon.ip = req.remote_ip;
    try {
      if (username.empty() || username.size() > 60) {
        Fail(ErrorCode::kUnauthenticated, "نام کاربری یا گذرواژه نادرست است.");
      }
      auto result = auth.Login(username, form.GetOr("password"), true, anon);
      auto res = http::Response::Redirect("/");
      res.SetHeader("Set-Cookie", guard.SessionCookie(result.token, req.secure));
      return res;
    } catch (const AppError& e) {
      int status = e.error().code == ErrorCode::kUnauthenticated ? 401 : 0;
      auto res = t.Page(
          "login", object{{"title", "ورود"}, {"username", username}, {"errors", ErrorsJson(e)}});
      res.status = status ? status : (e.error().code == ErrorCode::kLocked ? 423 : 429);
      return res;
    }
  });
  r.Post("/logout", [&](http::Request& req) {
    auth.Logout(guard.Require(req));
    auto res = http::Response::Redirect("/login");
    res.SetHeader("Set-Cookie", guard.ClearCookie(req.secure));
    return res;
  });

  r.Get("/", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto ctx = guard.PageContext(p, "خانه");
    ctx["roles_label"] = RoleLabels(p.roles);
    ctx["today"] = persian::FormatJalaliLong(persian::JalaliFromUnixSeconds(time(nullptr)));
    ctx["units"] = boost::json::array();
    for (const auto& u : dir.ListUnits(p, p.agency_id)) {
      ctx["units"].as_array().push_back(object{{"name", u.name}});
    }
    guard.ExtendHome(p, ctx);
    return t.Page("home", ctx);
  });

  r.Get("/password", [&](http::Request& req) {
    auto p = guard.Require(req);
    return t.Page("password", guard.PageContext(p, "تغییر گذرواژه"));
  });
  r.Post("/password", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto form = http::Form::Parse(req);
    try {
      if (form.GetOr("new_password") != form.GetOr("confirm_password")) {
        Fail(ErrorCode::kInvalid, "تکرار گذرواژهٔ تازه با خودش یکی نیست.",
             {{"confirm_password", "با گذرواژهٔ تازه یکی نیست."}});
      }
      auth.ChangePassword(p, form.GetOr("current_password"), form.GetOr("new_password"));
      auto res = http::Response::Redirect("/login?changed=1");
      res.SetHeader("Set-Cookie", guard.ClearCookie(req.secure));
      return res;
    } catch (const AppError& e) {
      auto ctx = guard.PageContext(p, "تغییر گذرواژه");
      ctx["errors"] = ErrorsJson(e);
      return t.Page("password", ctx, 400);
    }
  });

  // ---- users ----
  auto users_page = [&](http::Request& req, const Principal& p) {
    auto paging = ParsePaging(req);
    auto q = req.Query("q");
    auto list = dir.ListUsers(p, std::nullopt, q, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "کاربران");
    boost::json::array rows;
    for (const auto& u : list.users) {
      rows.push_back(object{
          {"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"agency", dir.AgencyName(u.agency_id)},
          {"roles", RoleLabels(u.roles)},
          {"active", u.active},
          {"created", persian::FormatJalali(persian::JalaliFromUnixSeconds(u.created_at / 1000))}});
    }
    ctx["rows"] = rows;
    ctx["q"] = q.value_or("");
    ctx["q_param"] = http::QueryString({{"q", q.value_or("")}});
    ctx["total"] = persian::FormatNumber(list.total);
    ctx["empty"] = list.users.empty();
    std::int64_t pages = (list.total + paging.per_page - 1) / paging.per_page;
    ctx["page_label"] = persian::ToPersianDigits(std::to_string(paging.page) + " از " +
                                                 std::to_string(std::max<std::int64_t>(pages, 1)));
    if (paging.page > 1) ctx["prev"] = std::to_string(paging.page - 1);
    if (paging.page < pages) ctx["next"] = std::to_string(paging.page + 1);
    return ctx;
  };
  RoleSet managers{Role::kSystemAdmin, Role::kAgencyManager, Role::kAuditor};
  r.Get("/admin/users", [&, managers, users_page](http::Request& req) {
    auto p = guard.Require(req, managers);
    return t.Page("admin_users", users_page(req, p));
  });
  auto user_form = [&](const Principal& p, object ctx, const NewUser& u) {
    ctx["agencies"] = AgencyOptions(dir, p, u.agency_id ? u.agency_id : p.agency_id);
    ctx["counties"] = CountyOptions(dir, p, u.county_id);
    ctx["role_options"] = RoleOptions(p, u.roles);
    ctx["form"] = object{
        {"username", u.username}, {"display_name", u.display_name}, {"email", u.email}};
    return ctx;
  };
  r.Get("/admin/users/new", [&, managers, user_form](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    return t.Page("admin_user_new", user_form(p, guard.PageContext(p, "کاربر تازه"), NewUser{}));
  });
  r.Post("/admin/users", [&, user_form](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    auto form = http::Form::Parse(req);
    NewUser u;
    u.username = form.GetOr("username");
    u.display_name = form.GetOr("display_name");
    u.password = form.GetOr("password");
    u.email = form.GetOr("email");
    try {
      u.agency_id = form.GetInt("agency_id").value_or(p.agency_id);
      u.county_id = form.GetInt("county_id");
      u.roles = FormRoles(form);
      auto created = dir.CreateUser(p, u);
      return http::Response::Redirect("/admin/users/" + std::to_string(created.id) + "?created=1");
    } catch (const AppError& e) {
      if (e.error().code == ErrorCode::kForbidden) throw;
      auto ctx = user_form(p, guard.PageContext(p, "کاربر تازه"), u);
      ctx["errors"] = ErrorsJson(e);
      return t.Page("admin_user_new", ctx, 400);
    }
  });
  auto user_detail = [&, user_form](const Principal& p, const User& u, object ctx) {
    NewUser shown;
    shown.username = u.username;
    shown.display_name = u.display_name;
    shown.email = u.email;
    shown.agency_id = u.agency_id;
    shown.county_id = u.county_id;
    shown.roles = u.roles;
    ctx = user_form(p, std::move(ctx), shown);
    ctx["user_id"] = u.id;
    ctx["active"] = u.active;
    ctx["agency"] = dir.AgencyName(u.agency_id);
    ctx["can_manage"] = CanManageUser(p, u.agency_id, u.roles);
    return ctx;
  };
  r.Get("/admin/users/{id}", [&, managers, user_detail](http::Request& req) {
    auto p = guard.Require(req, managers);
    auto u = dir.GetUser(p, http::IdParam(req, "id"));
    auto ctx = user_detail(p, u, guard.PageContext(p, u.display_name));
    if (req.Query("created")) ctx["notice"] = "کاربر ثبت شد.";
    if (req.Query("saved")) ctx["notice"] = "تغییرات ذخیره شد.";
    return t.Page("admin_user", ctx);
  });
  r.Post("/admin/users/{id}", [&, user_detail](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    std::int64_t id = http::IdParam(req, "id");
    auto form = http::Form::Parse(req);
    try {
      UserPatch patch;
      patch.display_name = form.GetOr("display_name");
      patch.email = form.GetOr("email");
      patch.county_id = form.GetInt("county_id");
      patch.roles = FormRoles(form);
      patch.active = form.Get("active").has_value();
      if (auto a = form.GetInt("agency_id")) patch.agency_id = a;
      dir.UpdateUser(p, id, patch);
      return http::Response::Redirect("/admin/users/" + std::to_string(id) + "?saved=1");
    } catch (const AppError& e) {
      if (e.error().code == ErrorCode::kForbidden || e.error().code == ErrorCode::kNotFound) throw;
      auto u = dir.GetUser(p, id);
      auto ctx = user_detail(p, u, guard.PageContext(p, u.display_name));
      ctx["errors"] = ErrorsJson(e);
      return t.Page("admin_user", ctx, 400);
    }
  });
  r.Post("/admin/users/{id}/password", [&, user_detail](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    std::int64_t id = http::IdParam(req, "id");
    auto form = http::Form::Parse(req);
    try {
      dir.ResetPassword(p, id, form.GetOr("password"));
      return http::Response::Redirect("/admin/users/" + std::to_string(id) + "?saved=1");
    } catch (const AppError& e) {
      if (e.error().code == ErrorCode::kForbidden || e.error().code == ErrorCode::kNotFound) throw;
      auto u = dir.GetUser(p, id);
      auto ctx = user_detail(p, u, guard.PageContext(p, u.display_name));
      ctx["errors"] = ErrorsJson(e);
      return t.Page("admin_user", ctx, 400);
    }
  });

  // ---- agencies, units, counties ----
  auto agencies_ctx = [&](const Principal& p) {
    auto ctx = guard.PageContext(p, "دستگاه‌ها");
    boost::json::array rows;
    for (const auto& a : dir.ListAgencies(p)) {
      if (!p.roles.Has(Role::kSystemAdmin) && a.id != p.agency_id) continue;
      rows.push_back(AgencyJson(a));
    }
    ctx["rows"] = rows;
    ctx["is_admin"] = p.roles.Has(Role::kSystemAdmin);
    return ctx;
  };
  r.Get("/admin/agencies", [&, agencies_ctx](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    return t.Page("admin_agencies", agencies_ctx(p));
  });
  r.Post("/admin/agencies", [&, agencies_ctx](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin});
    auto form = http::Form::Parse(req);
    Agency a;
    a.code = form.GetOr("code");
    a.name = form.GetOr("name");
    a.duties = form.GetOr("duties");
    try {
      auto created = dir.CreateAgency(p, a);
      return http::Response::Redirect("/admin/agencies/" + std::to_string(created.id));
    } catch (const AppError& e) {
      auto ctx = agencies_ctx(p);
      ctx["errors"] = ErrorsJson(e);
      ctx["form"] = object{{"code", a.code}, {"name", a.name}, {"duties", a.duties}};
      return t.Page("admin_agencies", ctx, 400);
    }
  });
  auto agency_ctx = [&](const Principal& p, std::int64_t id) {
    if (!p.roles.Has(Role::kSystemAdmin) && id != p.agency_id) {
      Fail(ErrorCode::kForbidden,
           "فقط دستگاه خودتان را می‌توانید مدیریت کنید.");
    }
    auto a = dir.GetAgency(p, id);
    auto ctx = guard.PageContext(p, a.name);
    ctx["agency"] = AgencyJson(a);
    boost::json::array units;
    for (const auto& u : dir.ListUnits(p, id)) units.push_back(object{{"name", u.name}});
    ctx["units"] = units;
    ctx["counties"] = CountyOptions(dir, p, std::nullopt);
    ctx["is_admin"] = p.roles.Has(Role::kSystemAdmin);
    return ctx;
  };
  r.Get("/admin/agencies/{id}", [&, agency_ctx](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    return t.Page("admin_agency", agency_ctx(p, http::IdParam(req, "id")));
  });
  r.Post("/admin/agencies/{id}", [&, agency_ctx](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin});
    std::int64_t id = http::IdParam(req, "id");
    auto form = http::Form::Parse(req);
    try {
      dir.UpdateAgency(p, id, form.GetOr("name"), form.GetOr("duties"),
                       form.Get("active").has_value());
      return http::Response::Redirect("/admin/agencies/" + std::to_string(id));
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid) throw;
      auto ctx = agency_ctx(p, id);
      ctx["errors"] = ErrorsJson(e);
      return t.Page("admin_agency", ctx, 400);
    }
  });
  r.Post("/admin/agencies/{id}/units", [&, agency_ctx](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    std::int64_t id = http::IdParam(req, "id");
    auto form = http::Form::Parse(req);
    try {
      Unit u;
      u.agency_id = id;
      u.name = form.GetOr("name");
      u.county_id = form.GetInt("county_id");
      dir.CreateUnit(p, u);
      return http::Response::Redirect("/admin/agencies/" + std::to_string(id));
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid && e.error().code != ErrorCode::kConflict) throw;
      auto ctx = agency_ctx(p, id);
      ctx["unit_errors"] = ErrorsJson(e);
      return t.Page("admin_agency", ctx, 400);
    }
  });
  r.Get("/admin/counties", [&](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin});
    auto ctx = guard.PageContext(p, "شهرستان‌ها");
    boost::json::array rows;
    for (const auto& c : dir.ListCounties(p))
      rows.push_back(object{{"id", c.id}, {"name", c.name}});
    ctx["rows"] = rows;
    return t.Page("admin_counties", ctx);
  });
  r.Post("/admin/counties", [&](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin});
    auto form = http::Form::Parse(req);
    try {
      dir.CreateCounty(p, form.GetOr("name"));
      return http::Response::Redirect("/admin/counties");
    } catch (const AppError& e) {
      auto ctx = guard.PageContext(p, "شهرستان‌ها");
      boost::json::array rows;
      for (const auto& c : dir.ListCounties(p))
        rows.push_back(object{{"id", c.id}, {"name", c.name}});
      ctx["rows"] = rows;
      ctx["errors"] = ErrorsJson(e);
      return t.Page("admin_counties", ctx, 400);
    }
  });
}

}  // namespace peyvand::accounts
