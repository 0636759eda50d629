// The duties catalogue (issue 4, part 1): each agency's duties in the programme — the stage or
// activity, its clock, its legal basis — with every version each clock has had. Page /duties
// for every signed-in user, GET /api/v1/duties, and the system admin's edit on /programme.
#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "http/body.hpp"
#include "modules/pathway/api.hpp"
#include "modules/pathway/pages.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::pathway {
namespace {

using boost::json::array;
using boost::json::object;

// The stage whose lead and support agencies owe a clock (the clock codes of the programme).
std::string StageOfClock(const std::string& code) {
  if (code.rfind("aftercare_", 0) == 0) return "aftercare";
  return code;
}

// "۷۲ ساعت" or "۳۰ روز" for a clock in hours.
std::string HoursText(int hours) {
  if (hours % 24 == 0 && hours >= 48) {
    return persian::ToPersianDigits(std::to_string(hours / 24)) + " روز";
  }
  return persian::ToPersianDigits(std::to_string(hours)) + " ساعت";
}

struct Owner {
  std::vector<std::string> lead;     // agency codes
  std::vector<std::string> support;  // agency codes
  const char* note = "";             // when no stage names the owner
};

Owner OwnerOf(const Programme& prog, const std::string& code) {
  Owner o;
  if (code == "referral") {
    o.note = "دستگاه گیرندهٔ هر ارجاع";
    return o;
  }
  if (code == "complaint") {
    o.lead = {"judiciary"};
    return o;
  }
  for (const auto& s : prog.stages) {
    if (s.code != StageOfClock(code)) continue;
    o.lead = {s.lead_agency};
    std::string support = s.support_agencies;
    std::size_t start = 0;
    while (start < support.size()) {
      std::size_t comma = support.find(',', start);
      if (comma == std::string::npos) comma = support.size();
      if (comma > start) o.support.push_back(support.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return o;
}

object VersionJson(const DutyVersion& v) {
  return object{{"version", v.version},
                {"version_fa", persian::ToPersianDigits(std::to_string(v.version))},
                {"hours", v.hours},
                {"clock", HoursText(v.hours)},
                {"law", v.law},
                {"article", v.article},
                {"resolution", v.resolution},
                {"has_article", !v.article.empty()},
                {"has_resolution", !v.resolution.empty()},
                {"reason", v.reason},
                {"valid_from", IsoDay(v.valid_from / 86400000)},
                {"valid_from_jalali", persian::FormatJalaliDateTime(v.valid_from / 1000)},
                {"changed_by", v.changed_by_name}};
}

// The catalogue as data: one entry per duty clock, with its owners and history.
array Catalogue(PathwayService& svc, accounts::DirectoryService& dir,
                const accounts::Principal& p) {
  auto prog = svc.GetProgramme();
  auto history = svc.DutyHistory();
  std::map<std::string, std::string> names;
  for (const auto& a : dir.ListAgencies(p)) names[a.code] = a.name;
  auto named = [&](const std::vector<std::string>& codes) {
    array out;
    for (const auto& c : codes) {
      out.push_back(object{{"code", c}, {"name", names.count(c) ? names[c] : c}});
    }
    return out;
  };
  array out;
  for (const auto& c : prog.clocks) {
    Owner owner = OwnerOf(prog, c.code);
    array versions;
    for (const auto& v : history) {
      if (v.code == c.code) versions.push_back(VersionJson(v));
    }
    out.push_back(object{{"code", c.code},
                         {"name", c.name},
                         {"stage", StageLabel(StageOfClock(c.code))},
                         {"hours", c.hours},
                         {"clock", HoursText(c.hours)},
                         {"basis", c.basis},
                         {"law", c.law},
                         {"article", c.article},
                         {"resolution", c.resolution},
                         {"has_article", !c.article.empty()},
                         {"has_resolution", !c.resolution.empty()},
                         {"version", c.version},
                         {"version_fa", persian::ToPersianDigits(std::to_string(c.version))},
                         {"lead", named(owner.lead)},
                         {"support", named(owner.support)},
                         {"owner_note", owner.note},
                         {"versions", versions},
                         {"changed", versions.size() > 1}});
  }
  return out;
}

}  // namespace

void RegisterDuties(http::Router& r, accounts::Guard& guard, PathwayService& svc,
                    accounts::DirectoryService& dir, const web::Templates& t) {
  r.Get("/duties", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto ctx = guard.PageContext(p, "وظایف دستگاه‌ها");
    auto duties = Catalogue(svc, dir, p);
    // By agency: each agency with the duties it leads or supports.
    std::map<std::string, std::pair<std::string, array>> by_agency;
    for (const auto& d : duties) {
      const auto& o = d.as_object();
      for (const char* role : {"lead", "support"}) {
        for (const auto& a : o.at(role).as_array()) {
          const auto& ao = a.as_object();
          auto& slot = by_agency[std::string(ao.at("code").as_string())];
          slot.first = std::string(ao.at("name").as_string());
          object entry = o;
          entry["role"] = std::string(role) == "lead" ? "مسئول" : "همکار";
          slot.second.push_back(entry);
        }
      }
    }
    array agencies;
    for (auto& [code, slot] : by_agency) {
      agencies.push_back(object{{"code", code}, {"name", slot.first}, {"duties", slot.second}});
    }
    ctx["duties"] = duties;
    ctx["agencies"] = agencies;
    ctx["admin"] = p.roles.Has(accounts::Role::kSystemAdmin);
    return t.Page("duties", ctx);
  });
  r.Get("/api/v1/duties", [&](http::Request& req) {
    auto p = guard.Require(req);
    return http::Response::Json(boost::json::serialize(object{{"items", Catalogue(svc, dir, p)}}));
  });
  r.Post("/programme/duties/{code}", [&](http::Request& req) {
    auto p = guard.Require(req, {accounts::Role::kSystemAdmin});
    auto form = http::Form::Parse(req);
    std::string hours_text = persian::ToAsciiDigits(form.GetOr("hours"));
    DutyChange d;
    try {
      std::size_t used = 0;
      d.hours = std::stoi(hours_text, &used);
      if (used != hours_text.size()) d.hours = -1;
    } catch (const std::exception&) {
      d.hours = -1;
    }
    d.law = form.GetOr("law");
    d.article = form.GetOr("article");
    d.resolution = form.GetOr("resolution");
    d.reason = form.GetOr("reason");
    svc.UpdateDuty(p, std::string(req.PathParam("code")), d);
    return http::Response::Redirect("/duties?changed=" + std::string(req.PathParam("code")));
  });
}

}  // namespace peyvand::pathway
