#include "modules/pathway/api.hpp"

#include <boost/json.hpp>

#include <cstdio>

#include "core/error.hpp"
#include "core/time.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "modules/pathway/rules.hpp"
#include "modules/people/api.hpp"
#include "persian/jalali.hpp"

namespace peyvand::pathway {

using boost::json::array;
using boost::json::object;
using boost::json::value;

std::string IsoDay(std::int64_t day) {
  auto c = persian::CivilFromDays(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::optional<std::int64_t> ParseDayText(const std::string& text, const char* field) {
  if (text.empty()) return std::nullopt;
  auto day = persian::ParseDateToUnixDay(text);
  if (!day) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", {{field, day.error().message}});
  }
  return *day;
}

std::optional<std::int64_t> OptionalDay(const object& body, const char* field) {
  auto s = http::OptionalString(body, field, 40);
  return s ? ParseDayText(*s, field) : std::nullopt;
}

namespace {

value Opt(const std::optional<std::int64_t>& v) {
  return v ? value(*v) : value(nullptr);
}

object DayJson(std::int64_t day) {
  return {{"date", IsoDay(day)},
          {"jalali", persian::FormatJalali(persian::JalaliFromDays(day), false)}};
}

object EpisodeJson(const Episode& e) {
  object o{{"id", e.id},
           {"person_id", e.person_id},
           {"county_id", Opt(e.county_id)},
           {"stage", e.stage},
           {"status", e.status},
           {"opened_by_agency", e.opened_by_agency},
           {"collected_at", IsoUtc(e.collected_at)},
           {"collected_at_jalali", persian::FormatJalaliDateTime(e.collected_at / 1000)},
           {"place", e.place},
           {"prior_episodes", e.prior_episodes}};
  o["screening_outcome"] = e.screening_outcome ? value(*e.screening_outcome) : value(nullptr);
  o["close_reason"] = e.close_reason ? value(*e.close_reason) : value(nullptr);
  return o;
}

object OrderJson(const Order& o) {
  return {{"id", o.id},
          {"episode_id", o.episode_id},
          {"kind", OrderKindCode(o.kind)},
          {"reference", o.reference},
          {"months", o.months},
          {"issued", DayJson(o.issued_day)},
          {"start", DayJson(o.start_day)},
          {"end", DayJson(o.end_day)},
          {"parent_id", Opt(o.parent_id)}};
}

object StayJson(const Stay& s, std::int64_t today) {
  object o{{"id", s.id},
           {"episode_id", s.episode_id},
           {"facility_id", s.facility_id},
           {"facility_name", s.facility_name},
           {"sex", s.sex},
           {"order_id", s.order_id},
           {"admitted", DayJson(s.admitted_day)},
           {"legal_end", DayJson(s.legal_end_day)},
           {"discharge_reason", s.discharge_reason},
           {"over_capacity_reason", s.over_capacity_reason}};
  o["discharged"] = s.discharged_day ? value(DayJson(*s.discharged_day)) : value(nullptr);
  std::int64_t last = s.discharged_day.value_or(today);
  o["days_past_legal_end"] = last > s.legal_end_day ? last - s.legal_end_day : 0;
  return o;
}

object TaskJson(const Task& t, std::int64_t now) {
  const char* bucket = "later";
  if (t.state == "new" || t.state == "open") {
    auto b = BucketOf(t.due_at, now);
    bucket = b == Bucket::kOverdue ? "overdue" : b == Bucket::kDueToday ? "today" : "later";
  } else {
    bucket = "closed";
  }
  return {{"id", t.id},
          {"agency_id", t.agency_id},
          {"kind", t.kind},
          {"stage", t.stage},
          {"episode_id", Opt(t.episode_id)},
          {"person_id", Opt(t.person_id)},
          {"referral_id", Opt(t.referral_id)},
          {"complaint_id", Opt(t.complaint_id)},
          {"clause_id", Opt(t.clause_id)},
          {"state", t.state},
          {"due_at", IsoUtc(t.due_at)},
          {"due_at_jalali", persian::FormatJalaliDateTime(t.due_at / 1000)},
          {"bucket", bucket},
          {"outcome", t.outcome}};
}

object ReferralJson(const Referral& r) {
  return {{"id", r.id},
          {"episode_id", r.episode_id},
          {"from_agency", r.from_agency},
          {"to_agency", r.to_agency},
          {"purpose", r.purpose},
          {"basis", r.basis},
          {"legal_basis", r.legal_basis},
          {"shared", boost::json::value_from(r.shared)},
          {"status", r.status},
          {"reason", r.reason},
          {"outcome", r.outcome},
          {"task_id", Opt(r.task_id)},
          {"created_at", IsoUtc(r.created_at)}};
}

object FacilityJson(const Facility& f) {
  return {{"id", f.id},
          {"code", f.code},
          {"name", f.name},
          {"kind", f.kind},
          {"agency_id", f.agency_id},
          {"agency_name", f.agency_name},
          {"county_id", f.county_id},
          {"county_name", f.county_name},
          {"capacity", object{{"male", f.capacity_male}, {"female", f.capacity_female}}},
          {"occupied", object{{"male", f.occupied_male}, {"female", f.occupied_female}}},
          {"vacant", object{{"male", Vacancy(f, "male")}, {"female", Vacancy(f, "female")}}},
          {"active", f.active}};
}

object ComplaintJson(const Complaint& k) {
  return {{"id", k.id},
          {"tracking_code", k.tracking_code},
          {"complainant", k.complainant},
          {"relation", k.relation},
          {"contact", k.contact},
          {"facility_id", Opt(k.facility_id)},
          {"episode_id", Opt(k.episode_id)},
          {"body", k.body},
          {"status", k.status},
          {"due_at", IsoUtc(k.due_at)},
          {"resolution", k.resolution},
          {"created_at", IsoUtc(k.created_at)}};
}

http::Response Ok(const value& v, int status = 200) {
  return http::Response::Json(boost::json::serialize(v), status);
}

int IntField(const object& body, const char* field, int fallback) {
  auto v = http::OptionalInt(body, field);
  if (!v) return fallback;
  if (*v < -100000 || *v > 100000) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", {{field, "نامعتبر است."}});
  }
  return static_cast<int>(*v);
}

Facility ParseFacility(const object& body) {
  Facility f;
  f.code = http::OptionalString(body, "code", 60).value_or("");
  f.name = http::OptionalString(body, "name", 400).value_or("");
  f.kind = http::OptionalString(body, "kind", 40).value_or("treatment_centre");
  f.agency_id = http::OptionalInt(body, "agency_id").value_or(0);
  f.county_id = http::OptionalInt(body, "county_id").value_or(0);
  f.capacity_male = IntField(body, "capacity_male", 0);
  f.capacity_female = IntField(body, "capacity_female", 0);
  f.active = http::OptionalBool(body, "active").value_or(true);
  return f;
}

}  // namespace

void RegisterApi(http::Router& r, accounts::Guard& guard, PathwayService& svc) {
  r.Get("/api/v1/programme", [&](http::Request& req) {
    guard.Require(req);
    auto prog = svc.GetProgramme();
    array stages, transitions, outcomes, clocks;
    for (const auto& s : prog.stages) {
      stages.push_back(object{{"code", s.code},
                              {"name", s.name},
                              {"lead_agency", s.lead_agency},
                              {"support_agencies", s.support_agencies}});
    }
    for (const auto& t : prog.transitions)
      transitions.push_back(object{{"from", t.from}, {"to", t.to}});
    for (const auto& o : prog.outcomes) {
      outcomes.push_back(object{{"code", o.code}, {"name", o.name}, {"next_stage", o.next_stage}});
    }
    for (const auto& c : prog.clocks) {
      clocks.push_back(
          object{{"code", c.code}, {"name", c.name}, {"hours", c.hours}, {"basis", c.basis}});
    }
    object limits{{"placement_months", array{kPlacementMinMonths, kPlacementMaxMonths}},
                  {"extension_max_months", kExtensionMaxMonths},
                  {"extensions_allowed", 1},
                  {"note2_months", kNote2Months},
                  {"note2_per_person", 1}};
    return Ok(object{{"code", kProgramme},
                     {"stages", stages},
                     {"transitions", transitions},
                     {"screening_outcomes", outcomes},
                     {"clocks", clocks},
                     {"legal_limits", limits}});
  });
  r.Put("/api/v1/programme/clocks/{code}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    auto hours = http::OptionalInt(body, "hours");
    if (!hours) {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", {{"hours", "الزامی است."}});
    }
    svc.UpdateClock(p, std::string(req.PathParam("code")),
                    static_cast<int>(std::clamp<std::int64_t>(*hours, -1, 100000)));
    return http::Response::NoContent();
  });

  r.Post("/api/v1/episodes", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    CollectionInput in;
    in.person_id = http::OptionalInt(body, "person_id");
    if (auto it = body.find("person"); it != body.end() && !it->value().is_null()) {
      if (!it->value().is_object()) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"person", "باید شیء باشد."}});
      }
      in.person = people::ParseNewPerson(it->value().as_object());
    }
    in.confirm_new = http::OptionalBool(body, "confirm_new").value_or(false);
    in.county_id = http::OptionalInt(body, "county_id");
    in.place = http::OptionalString(body, "place", 1000).value_or("");
    in.collected_day = OptionalDay(body, "collected_on");
    return Ok(EpisodeJson(svc.Collect(p, in)), 201);
  });
  r.Get("/api/v1/episodes/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto v = svc.GetEpisode(p, http::IdParam(req, "id"));
    std::int64_t now = static_cast<std::int64_t>(time(nullptr)) * 1000;
    array events, orders, stays, referrals, tasks;
    for (const auto& e : v.events) {
      events.push_back(object{{"id", e.id},
                              {"at", IsoUtc(e.at)},
                              {"at_jalali", persian::FormatJalaliDateTime(e.at / 1000)},
                              {"agency_id", e.agency_id},
                              {"agency", e.agency_name},
                              {"user", e.user_name},
                              {"kind", e.kind},
                              {"stage", e.stage},
                              {"part", e.part},
                              {"detail", e.detail}});
    }
    for (const auto& o : v.orders) orders.push_back(OrderJson(o));
    for (const auto& s : v.stays) stays.push_back(StayJson(s, v.today));
    for (const auto& x : v.referrals) referrals.push_back(ReferralJson(x));
    for (const auto& t : v.tasks) tasks.push_back(TaskJson(t, now));
    object person{{"id", v.person.id},
                  {"first_name", v.person.identity.first_name},
                  {"last_name", v.person.identity.last_name},
                  {"father_name", v.person.identity.father_name},
                  {"sex", people::SexCode(v.person.identity.sex)}};
    auto res = Ok(object{{"episode", EpisodeJson(v.episode)},
                         {"person", person},
                         {"timeline", events},
                         {"orders", orders},
                         {"stays", stays},
                         {"referrals", referrals},
                         {"tasks", tasks},
                         {"access", object{{"full", v.view.full},
                                           {"parts", boost::json::value_from(v.view.parts)},
                                           {"medical", v.view.medical}}}});
    res.before_send = std::move(v.audited);
    return res;
  });
  r.Get("/api/v1/persons/{id}/episodes", [&](http::Request& req) {
    auto p = guard.Require(req);
    array items;
    for (const auto& e : svc.EpisodesOf(p, http::IdParam(req, "id")))
      items.push_back(EpisodeJson(e));
    return Ok(object{{"items", items}});
  });
  r.Post("/api/v1/episodes/{id}/transfer", [&](http::Request& req) {
    auto p = guard.Require(req);
    svc.Transfer(p, http::IdParam(req, "id"));
    return http::Response::NoContent();
  });
  r.Post("/api/v1/episodes/{id}/screening", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    svc.Screen(p, http::IdParam(req, "id"), http::RequiredString(body, "outcome", 40),
               http::OptionalString(body, "note", 4000).value_or(""));
    return http::Response::NoContent();
  });
  r.Post("/api/v1/episodes/{id}/orders", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    OrderInput in;
    in.kind = http::RequiredString(body, "kind", 20);
    in.months = IntField(body, "months", 0);
    in.reference = http::OptionalString(body, "reference", 400).value_or("");
    in.issued_day = OptionalDay(body, "issued_on");
    in.start_day = OptionalDay(body, "start_on");
    in.parent_id = http::OptionalInt(body, "parent_id");
    return Ok(OrderJson(svc.IssueOrder(p, http::IdParam(req, "id"), in)), 201);
  });
  r.Get("/api/v1/episodes/{id}/placement-suggestions", [&](http::Request& req) {
    auto p = guard.Require(req);
    array items;
    for (const auto& f : svc.Suggest(p, http::IdParam(req, "id"))) items.push_back(FacilityJson(f));
    return Ok(object{{"items", items}});
  });
  r.Post("/api/v1/episodes/{id}/admission", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    auto facility = http::OptionalInt(body, "facility_id");
    if (!facility) {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
           {{"facility_id", "مرکز را برگزینید."}});
    }
    auto stay = svc.Admit(p, http::IdParam(req, "id"), *facility, OptionalDay(body, "admitted_on"),
                          http::OptionalString(body, "override_reason", 2000).value_or(""));
    return Ok(StayJson(stay, svc.Today()), 201);
  });
  r.Post("/api/v1/stays/{id}/discharge", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    svc.Discharge(p, http::IdParam(req, "id"), OptionalDay(body, "discharged_on"),
                  http::OptionalString(body, "reason", 2000).value_or(""));
    return http::Response::NoContent();
  });
  r.Post("/api/v1/episodes/{id}/services", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    svc.RecordService(p, http::IdParam(req, "id"), http::RequiredString(body, "kind", 40),
                      OptionalDay(body, "day"),
                      http::OptionalString(body, "note", 4000).value_or(""));
    return http::Response::NoContent();
  });
  r.Post("/api/v1/tasks/{id}/complete", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    svc.CompleteTask(p, http::IdParam(req, "id"),
                     http::OptionalString(body, "outcome", 4000).value_or(""));
    return http::Response::NoContent();
  });

  r.Post("/api/v1/episodes/{id}/referrals", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    ReferralInput in;
    in.to_agency = http::OptionalInt(body, "to_agency").value_or(0);
    in.purpose = http::OptionalString(body, "purpose", 2000).value_or("");
    in.basis = http::OptionalString(body, "basis", 20).value_or("");
    in.legal_basis = http::OptionalString(body, "legal_basis", 1200).value_or("");
    in.shared = http::StringArray(body, "shared");
    return Ok(ReferralJson(svc.Refer(p, http::IdParam(req, "id"), in)), 201);
  });
  for (const char* action : {"accept", "reject", "complete", "revoke"}) {
    r.Post(std::string("/api/v1/referrals/{id}/") + action, [&svc, &guard,
                                                             action](http::Request& req) {
      auto p = guard.Require(req);
      auto body = req.body.empty() ? object() : http::JsonBody(req);
      std::string text =
          http::OptionalString(body, std::string(action) == "complete" ? "outcome" : "reason", 4000)
              .value_or("");
      return Ok(ReferralJson(svc.ActOnReferral(p, http::IdParam(req, "id"), action, text)));
    });
  }
  r.Post("/api/v1/persons/{id}/break-glass", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    svc.BreakGlass(p, http::IdParam(req, "id"),
                   http::OptionalString(body, "reason", 2000).value_or(""));
    return http::Response::NoContent();
  });
  r.Get("/api/v1/inbox", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    auto page = svc.Inbox(p, req.Query("view").value_or("open"), req.Query("kind").value_or(""),
                          paging.per_page, paging.offset());
    std::int64_t now = static_cast<std::int64_t>(time(nullptr)) * 1000;
    array items;
    for (const auto& it : page.items) {
      object o = TaskJson(it.task, now);
      if (!it.first_name.empty() || !it.last_name.empty()) {
        o["person"] = object{{"first_name", it.first_name}, {"last_name", it.last_name}};
      }
      if (!it.from_agency.empty()) o["from_agency_name"] = it.from_agency;
      if (!it.purpose.empty()) o["purpose"] = it.purpose;
      items.push_back(o);
    }
    return Ok(object{{"items", items},
                     {"counts", object{{"new", page.count_new},
                                       {"today", page.count_today},
                                       {"overdue", page.count_overdue},
                                       {"open", page.count_open}}},
                     {"counts_cap", store::kInboxCountCap},
                     {"paging", accounts::PagingJson(paging, page.total)}});
  });

  r.Get("/api/v1/facilities", [&](http::Request& req) {
    auto p = guard.Require(req);
    array items;
    for (const auto& f : svc.Facilities(p)) items.push_back(FacilityJson(f));
    return Ok(object{{"items", items}});
  });
  r.Post("/api/v1/facilities", [&](http::Request& req) {
    auto p = guard.Require(req);
    return Ok(FacilityJson(svc.SaveFacility(p, ParseFacility(http::JsonBody(req)))), 201);
  });
  r.Patch("/api/v1/facilities/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    std::int64_t id = http::IdParam(req, "id");
    // Fields not given keep their value.
    Facility current;
    for (const auto& f : svc.Facilities(p))
      if (f.id == id) current = f;
    if (current.id == 0) Fail(ErrorCode::kNotFound, "رکورد مورد نظر پیدا نشد.");
    current.name = http::OptionalString(body, "name", 400).value_or(current.name);
    current.kind = http::OptionalString(body, "kind", 40).value_or(current.kind);
    current.capacity_male = IntField(body, "capacity_male", current.capacity_male);
    current.capacity_female = IntField(body, "capacity_female", current.capacity_female);
    current.active = http::OptionalBool(body, "active").value_or(current.active);
    return Ok(FacilityJson(svc.SaveFacility(p, current)));
  });
  r.Get("/api/v1/stays/overdue", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    auto page = svc.OverdueStays(p, paging.per_page, paging.offset());
    array items;
    for (const auto& o : page.stays) {
      object s = StayJson(o.stay, page.today);
      s["person"] = object{{"first_name", o.first_name}, {"last_name", o.last_name}};
      items.push_back(s);
    }
    return Ok(object{{"items", items}, {"paging", accounts::PagingJson(paging, page.total)}});
  });

  r.Post("/api/v1/complaints", [&](http::Request& req) {
    auto body = http::JsonBody(req);
    ComplaintInput in;
    in.complainant = http::OptionalString(body, "complainant", 400).value_or("");
    in.relation = http::OptionalString(body, "relation", 20).value_or("");
    in.contact = http::OptionalString(body, "contact", 400).value_or("");
    in.facility_id = http::OptionalInt(body, "facility_id");
    in.episode_id = http::OptionalInt(body, "episode_id");
    in.body = http::OptionalString(body, "body", 16000).value_or("");
    audit::Actor anon;
    anon.request_id = req.request_id;
    anon.ip = req.remote_ip;
    auto k = svc.FileComplaint(in, anon);
    return Ok(
        object{
            {"tracking_code", k.tracking_code}, {"status", k.status}, {"due_at", IsoUtc(k.due_at)}},
        201);
  });
  r.Get("/api/v1/complaints/track/{code}", [&](http::Request& req) {
    auto k = svc.TrackComplaint(std::string(req.PathParam("code")));
    if (!k) Fail(ErrorCode::kNotFound, "شکایتی با این کد پیگیری پیدا نشد.");
    // Only the state: whoever holds the code learns nothing else.
    return Ok(object{
        {"tracking_code", k->tracking_code}, {"status", k->status}, {"due_at", IsoUtc(k->due_at)}});
  });
  r.Get("/api/v1/complaints", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    auto page =
        svc.Complaints(p, req.Query("status").value_or(""), paging.per_page, paging.offset());
    array items;
    for (const auto& k : page.items) items.push_back(ComplaintJson(k));
    return Ok(object{{"items", items}, {"paging", accounts::PagingJson(paging, page.total)}});
  });
  r.Post("/api/v1/complaints/{id}/status", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    return Ok(ComplaintJson(
        svc.UpdateComplaint(p, http::IdParam(req, "id"), http::RequiredString(body, "status", 20),
                            http::OptionalString(body, "resolution", 16000).value_or(""))));
  });
}

}  // namespace peyvand::pathway
