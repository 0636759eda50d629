#include <boost/json.hpp>

#include "core/error.hpp"
#include "http/smtp.hpp"
#include "modules/accounts/service.hpp"
#include "modules/accounts/store.hpp"
#include "persian/normalize.hpp"

namespace peyvand::accounts {
namespace {

constexpr const char* kNotFound = "رکورد مورد نظر پیدا نشد.";

audit::Actor SystemActor() {
  audit::Actor a;
  a.username = "system";
  a.request_id = "cli";
  return a;
}

std::string CleanName(const std::string& field, const std::string& value, std::size_t max = 120) {
  std::string v = persian::Canonical(value);
  if (v.empty())
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{field, "این مقدار الزامی است."}});
  if (v.size() > max)
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{field, "این مقدار بیش از حد طولانی است."}});
  return v;
}

// "" clears the address; anything else must be one a mail relay will take. Stored lower-case.
std::optional<FieldError> EmailProblem(std::string& email) {
  std::string v;
  for (char ch : email) {
    if (ch == ' ' || ch == '\t') continue;
    v += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  email = v;
  if (!v.empty() && !http::ValidEmailAddress(v)) {
    return FieldError{"email", "نشانی رایانامه نامعتبر است (نمونه: name@example.ir)."};
  }
  return std::nullopt;
}

boost::json::object UserSummary(const User& u) {
  return {{"username", u.username},
          {"display_name", u.display_name},
          {"email", u.email},
          {"agency_id", u.agency_id},
          {"roles", RolesToCodes(u.roles)},
          {"active", u.active}};
}

}  // namespace

DirectoryService::DirectoryService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                                   HashCost hash_cost)
    : db_(db), audit_(audit), clock_(clock), hash_cost_(hash_cost) {}

void DirectoryService::RequireAdmin(const Principal& p, const char* what) {
  if (p.roles.Has(Role::kSystemAdmin)) return;
  Deny(p, "admin", 0, what);
  Fail(ErrorCode::kForbidden, "این کار فقط از مدیر سامانه ساخته است.");
}

void DirectoryService::Deny(const Principal& p, const std::string& record_type, std::int64_t id,
                            const std::string& why) {
  boost::json::object s{{"reason", why}};
  audit_.AppendAlone(AuthService::ActorOf(p), "access.denied", record_type, std::to_string(id),
                     boost::json::serialize(s));
}

// ---- counties ----------------------------------------------------------------

std::vector<County> DirectoryService::ListCounties(const Principal&) {
  return db_.Read([](db::Connection& c) { return store::ListCounties(c); });
}

std::string DirectoryService::ProvinceName() {
  return db_.Read([](db::Connection& c) { return store::ProvinceName(c); });
}

County DirectoryService::CreateCounty(const Principal& p, const std::string& raw_name) {
  RequireAdmin(p, "CreateCounty");
  std::string name = CleanName("name", raw_name);
  try {
    return db_.Write([&](db::Connection& tx) {
      County c{store::InsertCounty(tx, name, persian::MatchKey(name), clock_.NowMillis()), name};
      audit_.Append(tx, AuthService::ActorOf(p), "county.create", "county", std::to_string(c.id),
                    boost::json::serialize(boost::json::object{{"name", name}}));
      return c;
    });
  } catch (const db::UniqueViolation&) {
    Fail(ErrorCode::kConflict, "شهرستانی با این نام از پیش ثبت شده است.",
         {{"name", "تکراری است."}});
  }
}

County DirectoryService::EnsureCounty(const std::string& raw_name) {
  std::string name = persian::Canonical(raw_name);
  std::string key = persian::MatchKey(name);
  return db_.Write([&](db::Connection& tx) {
    for (const auto& c : store::ListCounties(tx)) {
      if (persian::MatchKey(c.name) == key) return c;
    }
    County c{store::InsertCounty(tx, name, key, clock_.NowMillis()), name};
    audit_.Append(tx, SystemActor(), "county.create", "county", std::to_string(c.id),
                  boost::json::serialize(boost::json::object{{"name", name}}));
    return c;
  });
}

// ---- agencies ----------------------------------------------------------------

std::vector<Agency> DirectoryService::ListAgencies(const Principal&) {
  return db_.Read([](db::Connection& c) { return store::ListAgencies(c); });
}

Agency DirectoryService::GetAgency(const Principal&, std::int64_t id) {
  auto a = db_.Read([&](db::Connection& c) { return store::GetAgency(c, id); });
  if (!a) Fail(ErrorCode::kNotFound, kNotFound);
  return *a;
}

std::string DirectoryService::AgencyName(std::int64_t id) {
  auto a = db_.Read([&](db::Connection& c) { return store::GetAgency(c, id); });
  return a ? a->name : std::string();
}

std::optional<Agency> DirectoryService::FindAgencyByCode(const std::string& code) {
  return db_.Read([&](db::Connection& c) { return store::GetAgencyByCode(c, code); });
}

Agency DirectoryService::CreateAgency(const Principal& p, Agency a) {
  RequireAdmin(p, "CreateAgency");
  a.name = CleanName("name", a.name);
  if (a.code.empty() || a.code.size() > 30 ||
      a.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"code", "کد دستگاه باید ۱ تا ۳۰ نویسه از حروف کوچک لاتین، رقم، - یا _ باشد."}});
  }
  a.duties = persian::CanonicalMultiline(a.duties);
  try {
    return db_.Write([&](db::Connection& tx) {
      a.id = store::InsertAgency(tx, a, persian::MatchKey(a.name), clock_.NowMillis());
      audit_.Append(
          tx, AuthService::ActorOf(p), "agency.create", "agency", std::to_string(a.id),
          boost::json::serialize(boost::json::object{{"code", a.code}, {"name", a.name}}));
      return a;
    });
  } catch (const db::UniqueViolation&) {
    Fail(ErrorCode::kConflict, "دستگاهی با این کد از پیش ثبت شده است.", {{"code", "تکراری است."}});
  }
}

Agency DirectoryService::EnsureAgency(const Agency& in) {
  if (auto existing = FindAgencyByCode(in.code)) return *existing;
  Agency a = in;
  a.name = persian::Canonical(a.name);
  return db_.Write([&](db::Connection& tx) {
    a.id = store::InsertAgency(tx, a, persian::MatchKey(a.name), clock_.NowMillis());
    audit_.Append(tx, SystemActor(), "agency.create", "agency", std::to_string(a.id),
                  boost::json::serialize(boost::json::object{{"code", a.code}, {"name", a.name}}));
    return a;
  });
}

Agency DirectoryService::UpdateAgency(const Principal& p, std::int64_t id,
                                      std::optional<std::string> name,
                                      std::optional<std::string> duties,
                                      std::optional<bool> active) {
  RequireAdmin(p, "UpdateAgency");
  if (name) *name = CleanName("name", *name);
  return db_.Write([&](db::Connection& tx) {
    auto a = store::GetAgency(tx, id);
    if (!a) Fail(ErrorCode::kNotFound, kNotFound);
    boost::json::object before{{"name", a->name}, {"duties", a->duties}, {"active", a->active}};
    if (name) a->name = *name;
    if (duties) a->duties = persian::CanonicalMultiline(*duties);
    if (active) a->active = *active;
    store::UpdateAgency(tx, *a, persian::MatchKey(a->name), clock_.NowMillis());
    boost::json::object after{{"name", a->name}, {"duties", a->duties}, {"active", a->active}};
    audit_.Append(
        tx, AuthService::ActorOf(p), "agency.update", "agency", std::to_string(id),
        boost::json::serialize(boost::json::object{{"before", before}, {"after", after}}));
    return *a;
  });
}

// ---- units -------------------------------------------------------------------

std::vector<Unit> DirectoryService::ListUnits(const Principal&, std::int64_t agency_id) {
  return db_.Read([&](db::Connection& c) {
    if (!store::GetAgency(c, agency_id)) Fail(ErrorCode::kNotFound, kNotFound);
    return store::ListUnits(c, agency_id);
  });
}

Unit DirectoryService::CreateUnit(const Principal& p, Unit u) {
  if (!CanManageUser(p, u.agency_id, {})) {
    Deny(p, "agency", u.agency_id, "unit.create outside own agency");
    Fail(ErrorCode::kForbidden,
         "فقط مدیر همین دستگاه یا مدیر سامانه می‌تواند "
         "واحد "
         "تعریف "
         "کند.");
  }
  u.name = CleanName("name", u.name);
  try {
    return db_.Write([&](db::Connection& tx) {
      if (!store::GetAgency(tx, u.agency_id)) Fail(ErrorCode::kNotFound, kNotFound);
      if (u.county_id && !store::GetCounty(tx, *u.county_id)) {
        Fail(ErrorCode::kInvalid, "شهرستان انتخاب‌شده وجود ندارد.",
             {{"county_id", "نامعتبر است."}});
      }
      u.id = store::InsertUnit(tx, u, persian::MatchKey(u.name), clock_.NowMillis());
      audit_.Append(tx, AuthService::ActorOf(p), "unit.create", "unit", std::to_string(u.id),
                    boost::json::serialize(
                        boost::json::object{{"agency_id", u.agency_id}, {"name", u.name}}));
      return u;
    });
  } catch (const db::UniqueViolation&) {
    Fail(ErrorCode::kConflict, "واحدی با این نام در این دستگاه وجود دارد.",
         {{"name", "تکراری است."}});
  }
}

// ---- users -------------------------------------------------------------------

UserList DirectoryService::ListUsers(const Principal& p, std::optional<std::int64_t> agency_id,
                                     std::optional<std::string> text, std::int64_t limit,
                                     std::int64_t offset) {
  bool all = p.roles.Has(Role::kSystemAdmin) || p.roles.Has(Role::kAuditor);
  if (!all) {
    if (!p.roles.Has(Role::kAgencyManager)) {
      Deny(p, "user", 0, "user.list");
      Fail(ErrorCode::kForbidden, "شما اجازهٔ دیدن فهرست کاربران را ندارید.");
    }
    if (agency_id && *agency_id != p.agency_id) {
      Deny(p, "agency", *agency_id, "user.list of another agency");
      Fail(
          ErrorCode::kForbidden,
          "فقط کاربران دستگاه خودتان را می‌توانید ببینید.");
    }
    agency_id = p.agency_id;
  }
  store::UserQuery q{agency_id, std::move(text), limit, offset};
  if (q.text) *q.text = persian::Canonical(*q.text);
  if (q.text && q.text->empty()) q.text.reset();
  UserList out;
  db_.Read([&](db::Connection& c) {
    out.users = store::ListUsers(c, q);
    out.total = store::CountUsers(c, q);
  });
  return out;
}

User DirectoryService::GetUser(const Principal& p, std::int64_t id) {
  auto u = db_.Read([&](db::Connection& c) { return store::GetUser(c, id); });
  if (!u) Fail(ErrorCode::kNotFound, kNotFound);
  if (!CanSeeUser(p, u->agency_id, u->id)) {
    // Another agency's user: answer as if it did not exist, and record the attempt.
    Deny(p, "user", id, "user of another agency");
    Fail(ErrorCode::kNotFound, kNotFound);
  }
  return *u;
}

User DirectoryService::CreateUser(const Principal& p, NewUser u) {
  if (!CanManageUser(p, u.agency_id, u.roles)) {
    Deny(p, "agency", u.agency_id, "user.create not allowed: " + RolesToCodes(u.roles));
    Fail(
        ErrorCode::kForbidden,
        "شما فقط می‌توانید برای دستگاه خودتان و بدون نقش مدیر "
        "سامانه "
        "کاربر "
        "تعریف "
        "کنید.");
  }
  return CreateUserChecked(AuthService::ActorOf(p), std::move(u));
}

std::vector<User> DirectoryService::ActiveUsersWith(RoleSet roles) {
  auto all = db_.Read([](db::Connection& c) { return store::ActiveUsers(c); });
  std::vector<User> out;
  for (auto& u : all) {
    if (u.roles.HasAny(roles)) out.push_back(std::move(u));
  }
  return out;
}

User DirectoryService::CreateUserAsSystem(NewUser u) {
  return CreateUserChecked(SystemActor(), std::move(u));
}

User DirectoryService::CreateUserChecked(const audit::Actor& actor, NewUser u) {
  std::vector<FieldError> errors;
  auto name = ValidateUsername(u.username);
  if (!name) errors.push_back(name.error().fields.at(0));
  u.display_name = persian::Canonical(u.display_name);
  if (u.display_name.empty()) errors.push_back({"display_name", "این مقدار الزامی است."});
  if (u.display_name.size() > 120)
    errors.push_back({"display_name", "این مقدار بیش از حد طولانی است."});
  if (u.roles.empty()) errors.push_back({"roles", "دست‌کم یک نقش لازم است."});
  if (auto problem = PasswordProblem(u.password, u.username))
    errors.push_back({"password", *problem});
  if (auto problem = EmailProblem(u.email)) errors.push_back(*problem);
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", errors);
  std::string hash = HashPassword(u.password, hash_cost_);
  try {
    return db_.Write([&](db::Connection& tx) {
      if (!store::GetAgency(tx, u.agency_id)) {
        Fail(ErrorCode::kInvalid, "دستگاه انتخاب‌شده وجود ندارد.",
             {{"agency_id", "نامعتبر است."}});
      }
      if (u.county_id && !store::GetCounty(tx, *u.county_id)) {
        Fail(ErrorCode::kInvalid, "شهرستان انتخاب‌شده وجود ندارد.",
             {{"county_id", "نامعتبر است."}});
      }
      if (u.unit_id) {
        auto unit = store::GetUnit(tx, *u.unit_id);
        if (!unit || unit->agency_id != u.agency_id) {
          Fail(ErrorCode::kInvalid,
               "واحد انتخاب‌شده از این دستگاه نیست.",
               {{"unit_id", "نامعتبر است."}});
        }
      }
      std::int64_t now = clock_.NowMillis();
      std::int64_t id = store::InsertUser(tx, u, hash, now);
      User created = *store::GetUser(tx, id);
      audit_.Append(tx, actor, "user.create", "user", std::to_string(id),
                    boost::json::serialize(boost::json::object{{"after", UserSummary(created)}}));
      return created;
    });
  } catch (const db::UniqueViolation&) {
    Fail(ErrorCode::kConflict, "این نام کاربری از پیش گرفته شده است.",
         {{"username", "تکراری است."}});
  }
}

User DirectoryService::UpdateUser(const Principal& p, std::int64_t id, const UserPatch& patch) {
  std::optional<std::string> display_name;
  if (patch.display_name) display_name = CleanName("display_name", *patch.display_name);
  std::optional<std::string> email = patch.email;
  if (email) {
    if (auto problem = EmailProblem(*email)) {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", {*problem});
    }
  }
  // The check and the change happen in one transaction on the row as it is
  // then, so a concurrent promotion or move cannot be undone or slipped past.
  // A refusal is recorded after the transaction: a job that throws is rolled
  // back, its audit entry with it.
  std::string denied;
  bool hidden = false;
  User result = db_.Write([&](db::Connection& tx) {
    denied.clear();
    hidden = false;
    auto current = store::GetUser(tx, id);
    if (!current) Fail(ErrorCode::kNotFound, kNotFound);
    if (!CanSeeUser(p, current->agency_id, current->id)) {
      hidden = true;
      denied = "user of another agency";
      return User{};
    }
    User next = *current;
    if (display_name) next.display_name = *display_name;
    if (patch.county_id) next.county_id = *patch.county_id;
    if (patch.unit_id) next.unit_id = *patch.unit_id;
    if (patch.roles) next.roles = *patch.roles;
    if (patch.active) next.active = *patch.active;
    if (patch.agency_id) next.agency_id = *patch.agency_id;
    if (email) next.email = *email;
    if (next.roles.empty()) {
      Fail(ErrorCode::kInvalid, "دست‌کم یک نقش لازم است.",
           {{"roles", "الزامی است."}});
    }
    // Both the user as it is and as it would become must be within reach.
    if (!CanManageUser(p, current->agency_id, current->roles) ||
        !CanManageUser(p, next.agency_id, next.roles)) {
      denied = "user.update not allowed";
      return User{};
    }
    bool self = p.user_id == id;
    if (self && !p.roles.Has(Role::kSystemAdmin) && !(next.roles == current->roles)) {
      denied = "own roles";
      return User{};
    }
    if (self && current->roles.Has(Role::kSystemAdmin) && !next.roles.Has(Role::kSystemAdmin)) {
      Fail(
          ErrorCode::kConflict,
          "مدیر سامانه نمی‌تواند نقش مدیریت را از خودش بگیرد.");
    }
    if (self && !next.active) {
      Fail(ErrorCode::kConflict,
           "نمی‌توانید حساب خودتان را غیرفعال کنید.");
    }
    if (next.county_id && !store::GetCounty(tx, *next.county_id)) {
      Fail(ErrorCode::kInvalid, "شهرستان انتخاب‌شده وجود ندارد.",
           {{"county_id", "نامعتبر است."}});
    }
    if (!store::GetAgency(tx, next.agency_id)) {
      Fail(ErrorCode::kInvalid, "دستگاه انتخاب‌شده وجود ندارد.",
           {{"agency_id", "نامعتبر است."}});
    }
    if (next.unit_id) {
      auto unit = store::GetUnit(tx, *next.unit_id);
      if (!unit || unit->agency_id != next.agency_id) {
        Fail(ErrorCode::kInvalid,
             "واحد انتخاب‌شده از این دستگاه نیست.",
             {{"unit_id", "نامعتبر است."}});
      }
    }
    std::int64_t now = clock_.NowMillis();
    store::UpdateUser(tx, next, now);
    if (!next.active) store::RevokeUserSessions(tx, id, now);
    audit_.Append(tx, AuthService::ActorOf(p), "user.update", "user", std::to_string(id),
                  boost::json::serialize(boost::json::object{{"before", UserSummary(*current)},
                                                             {"after", UserSummary(next)}}));
    return next;
  });
  if (!denied.empty()) {
    Deny(p, "user", id, denied);
    if (hidden) Fail(ErrorCode::kNotFound, kNotFound);
    Fail(ErrorCode::kForbidden, "شما اجازهٔ این تغییر را ندارید.");
  }
  return result;
}

void DirectoryService::ResetPassword(const Principal& p, std::int64_t id,
                                     const std::string& password) {
  User target = GetUser(p, id);  // 404 (audited) for a user out of sight
  if (auto problem = PasswordProblem(password, target.username)) {
    Fail(ErrorCode::kInvalid, *problem, {{"password", *problem}});
  }
  std::string hash = HashPassword(password, hash_cost_);
  bool allowed = false;
  db_.Write([&](db::Connection& tx) {
    // Decided on the row as it is now: a user promoted meanwhile is out of reach.
    auto current = store::GetUser(tx, id);
    allowed = current && CanManageUser(p, current->agency_id, current->roles);
    if (!allowed) return;
    std::int64_t now = clock_.NowMillis();
    store::SetPassword(tx, id, hash, now);
    store::RevokeUserSessions(tx, id, now);
    audit_.Append(tx, AuthService::ActorOf(p), "user.password_reset", "user", std::to_string(id),
                  "{}");
  });
  if (!allowed) {
    Deny(p, "user", id, "password reset not allowed");
    Fail(ErrorCode::kForbidden, "شما اجازهٔ این تغییر را ندارید.");
  }
}

std::optional<User> DirectoryService::FindUserByName(const std::string& username) {
  return db_.Read([&](db::Connection& c) -> std::optional<User> {
    auto cr = store::GetCredentials(c, username);
    if (!cr) return std::nullopt;
    return cr->user;
  });
}

}  // namespace peyvand::accounts
