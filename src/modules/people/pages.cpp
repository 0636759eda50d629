#include "modules/people/pages.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "modules/people/rules.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::people {
namespace {

using boost::json::object;

const accounts::RoleSet kRegistrars{accounts::Role::kOperator, accounts::Role::kAgencyManager};

const char* SexLabel(Sex s) {
  switch (s) {
    case Sex::kMale: return "مرد";
    case Sex::kFemale: return "زن";
    case Sex::kUnknown: return "نامشخص";
  }
  return "نامشخص";
}

}  // namespace

const char* ReasonResultLabel(const std::string& r) {
  if (r == "same") return "یکسان";
  if (r == "similar") return "مشابه";
  if (r == "alias") return "نام دیگر";
  if (r == "different") return "متفاوت";
  return "نامعلوم";
}

const char* ReasonFieldLabel(const std::string& f) {
  if (f == "national_code") return "کد ملی";
  if (f == "first_name") return "نام";
  if (f == "last_name") return "نام خانوادگی";
  if (f == "father_name") return "نام پدر";
  if (f == "birth_year") return "سال تولد";
  if (f == "sex") return "جنسیت";
  return "";
}

namespace {

NewPerson FromForm(const http::Form& f) {
  NewPerson in;
  in.identity.first_name = f.GetOr("first_name");
  in.identity.last_name = f.GetOr("last_name");
  in.identity.father_name = f.GetOr("father_name");
  std::string code = f.GetOr("national_code");
  if (!code.empty()) in.identity.national_code = code;
  in.identity.sex = SexFromCode(f.GetOr("sex", "unknown")).value_or(Sex::kUnknown);
  std::string year = persian::ToAsciiDigits(f.GetOr("birth_year"));
  if (!year.empty()) {
    int y = 0;
    auto [p, ec] = std::from_chars(year.data(), year.data() + year.size(), y);
    if (ec != std::errc() || p != year.data() + year.size()) {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
           {{"birth_year", "سال تولد باید عدد باشد (مانند ۱۳۶۵)."}});
    }
    in.identity.birth_year = y;
  }
  std::string aliases = f.GetOr("aliases");
  std::size_t start = 0;
  while (start <= aliases.size()) {
    auto nl = aliases.find('\n', start);
    if (nl == std::string::npos) nl = aliases.size();
    std::string line = aliases.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) in.identity.aliases.push_back(line);
    start = nl + 1;
  }
  in.other_id = f.GetOr("other_id");
  in.nationality = f.GetOr("nationality", "IR");
  return in;
}

object FormEcho(const http::Form& f) {
  object o;
  for (const char* k : {"first_name", "last_name", "father_name", "national_code", "birth_year",
                        "aliases", "other_id", "nationality"}) {
    o[k] = f.GetOr(k);
  }
  std::string sex = f.GetOr("sex", "unknown");
  o["sex_male"] = sex == "male";
  o["sex_female"] = sex == "female";
  o["sex_unknown"] = sex != "male" && sex != "female";
  return o;
}

void NewForm(object& ctx) {
  ctx["heading"] = "ثبت مددجو";
  ctx["action"] = "/persons/new";
  ctx["submit"] = "ثبت";
}

void EditForm(object& ctx, std::int64_t id) {
  ctx["heading"] = "ویرایش مشخصات مددجو";
  ctx["action"] = "/persons/" + std::to_string(id) + "/edit";
  ctx["submit"] = "ذخیرهٔ تغییرات";
}

// The form filled with the record as it is.
object FormOf(const Person& p) {
  std::string aliases;
  for (const auto& a : p.identity.aliases) aliases += a + "\n";
  return {{"first_name", p.identity.first_name},
          {"last_name", p.identity.last_name},
          {"father_name", p.identity.father_name},
          {"national_code", p.identity.national_code.value_or("")},
          {"birth_year", p.identity.birth_year ? std::to_string(*p.identity.birth_year) : ""},
          {"aliases", aliases},
          {"other_id", p.other_id},
          {"nationality", p.nationality},
          {"sex_male", p.identity.sex == Sex::kMale},
          {"sex_female", p.identity.sex == Sex::kFemale},
          {"sex_unknown", p.identity.sex == Sex::kUnknown}};
}

std::string ChangedLabels(const std::string& changed) {
  std::string out;
  for (const auto& field : SplitNonEmpty(changed, ',')) {
    std::string label = ReasonFieldLabel(field);
    if (label.empty()) {
      label = field == "aliases"    ? "نام‌های دیگر"
              : field == "other_id" ? "شناسهٔ دیگر"
                                    : "تابعیت";
    }
    out += (out.empty() ? "" : "، ") + label;
  }
  return out;
}

object PersonView(const Person& p) {
  std::string aliases;
  for (const auto& a : p.identity.aliases) aliases += (aliases.empty() ? "" : "، ") + a;
  object o{{"id", p.id},
           {"first_name", p.identity.first_name},
           {"last_name", p.identity.last_name},
           {"father_name", p.identity.father_name},
           {"aliases", aliases},
           {"sex", SexLabel(p.identity.sex)},
           {"national_code",
            p.identity.national_code ? persian::ToPersianDigits(*p.identity.national_code) : ""},
           {"birth_year", p.identity.birth_year
                              ? persian::ToPersianDigits(std::to_string(*p.identity.birth_year))
                              : ""},
           {"other_id", p.other_id},
           {"nationality", p.nationality},
           {"created", persian::FormatJalaliDateTime(p.created_at / 1000)}};
  return o;
}

boost::json::array CandidatesView(const std::vector<Candidate>& cs) {
  boost::json::array out;
  for (const auto& c : cs) {
    boost::json::array reasons;
    for (const auto& r : c.score.reasons) {
      reasons.push_back(
          object{{"field", ReasonFieldLabel(r.field)}, {"result", ReasonResultLabel(r.result)}});
    }
    object v = PersonView(c.person);
    v["score"] = persian::ToPersianDigits(std::to_string(c.score.score));
    v["strong"] = c.band == MatchBand::kStrong;
    v["reasons"] = reasons;
    out.push_back(v);
  }
  return out;
}

}  // namespace

void RegisterPages(http::Router& r, accounts::Guard& guard, PeopleService& people,
                   const web::Templates& t) {
  r.Get("/persons", [&](http::Request& req) {
    auto p = guard.Require(req, kRegistrars);
    auto ctx = guard.PageContext(p, "مددجویان");
    std::string q = req.Query("q").value_or("");
    ctx["q"] = q;
    if (!q.empty()) {
      try {
        boost::json::array rows;
        for (const auto& person : people.Search(p, q)) rows.push_back(PersonView(person));
        ctx["searched"] = true;
        ctx["empty"] = rows.empty();
        ctx["rows"] = rows;
      } catch (const AppError& e) {
        if (e.error().code != ErrorCode::kInvalid) throw;
        ctx["errors"] = accounts::ErrorsJson(e);
      }
    }
    return t.Page("persons", ctx);
  });
  r.Get("/persons/new", [&](http::Request& req) {
    auto p = guard.Require(req, kRegistrars);
    auto ctx = guard.PageContext(p, "ثبت مددجو");
    ctx["form"] = object{{"nationality", "IR"}, {"sex_male", true}};
    NewForm(ctx);
    return t.Page("person_new", ctx);
  });
  r.Post("/persons/new", [&](http::Request& req) {
    auto p = guard.Require(req, kRegistrars);
    auto form = http::Form::Parse(req);
    auto ctx = guard.PageContext(p, "ثبت مددجو");
    ctx["form"] = FormEcho(form);
    NewForm(ctx);
    try {
      NewPerson in = FromForm(form);
      bool confirm = form.Get("confirm_new").has_value();
      try {
        auto result = people.Register(p, in, confirm);
        return http::Response::Redirect("/persons/" + std::to_string(result.person.id) +
                                        "?created=1&pairs=" + std::to_string(result.review_pairs));
      } catch (const AppError& e) {
        if (e.error().code != ErrorCode::kConflict) throw;
        // Show who it may be, with the evidence, and let the operator decide.
        ctx["errors"] = accounts::ErrorsJson(e);
        ctx["conflict"] = true;
        ctx["candidates"] = CandidatesView(people.Candidates(p, in));
        return t.Page("person_new", ctx, 409);
      }
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid) throw;
      ctx["errors"] = accounts::ErrorsJson(e);
      return t.Page("person_new", ctx, 400);
    }
  });
  r.Get("/persons/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    std::optional<Person> found;
    try {
      found = people.Get(p, id);
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kNotFound) throw;
      // The same page whether the record does not exist or is not this
      // agency's to see; workers may break the glass with a reason.
      auto ctx = guard.PageContext(p, "پیدا نشد");
      ctx["person_id"] = id;
      ctx["may_break_glass"] = p.roles.HasAny(kRegistrars);
      return t.Page("person_hidden", ctx, 404);
    }
    const Person& person = *found;
    auto ctx = guard.PageContext(p, person.identity.first_name + " " + person.identity.last_name);
    ctx["person"] = PersonView(person);
    if (req.Query("updated")) ctx["notice"] = "تغییرات ذخیره شد؛ مقدارهای پیشین در تاریخچه ماند.";
    if (req.Query("created")) {
      std::string pairs = req.Query("pairs").value_or("0");
      ctx["notice"] = pairs == "0" ? std::string("مددجو ثبت شد.")
                                   : "مددجو ثبت شد؛ " + persian::ToPersianDigits(pairs) +
                                         " مورد مشابه برای بررسی در صف قرار گرفت.";
    }
    boost::json::array history;
    for (const auto& rev : people.History(p, id)) {
      history.push_back(object{{"at", persian::FormatJalaliDateTime(rev.at / 1000)},
                               {"user", rev.user_name},
                               {"agency", rev.agency_name},
                               {"changed", ChangedLabels(rev.changed)},
                               {"previous", rev.previous}});
    }
    ctx["has_history"] = !history.empty();
    ctx["history"] = history;
    return t.Page("person", ctx);
  });
  r.Get("/persons/{id}/edit", [&](http::Request& req) {
    auto p = guard.Require(req, kRegistrars);
    std::int64_t id = http::IdParam(req, "id");
    auto person = people.Get(p, id);
    auto ctx = guard.PageContext(p, "ویرایش مشخصات");
    ctx["form"] = FormOf(person);
    EditForm(ctx, id);
    return t.Page("person_new", ctx);
  });
  r.Post("/persons/{id}/edit", [&](http::Request& req) {
    auto p = guard.Require(req, kRegistrars);
    std::int64_t id = http::IdParam(req, "id");
    auto form = http::Form::Parse(req);
    try {
      people.Update(p, id, FromForm(form));
      return http::Response::Redirect("/persons/" + std::to_string(id) + "?updated=1");
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid && e.error().code != ErrorCode::kConflict) throw;
      auto ctx = guard.PageContext(p, "ویرایش مشخصات");
      ctx["form"] = FormEcho(form);
      ctx["errors"] = accounts::ErrorsJson(e);
      EditForm(ctx, id);
      return t.Page("person_new", ctx, e.error().code == ErrorCode::kInvalid ? 400 : 409);
    }
  });
}

}  // namespace peyvand::people
