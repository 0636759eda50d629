#include "modules/people/api.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/time.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "modules/people/rules.hpp"
#include "persian/jalali.hpp"

namespace peyvand::people {

using boost::json::object;

NewPerson ParseNewPerson(const object& body) {
  NewPerson in;
  in.identity.first_name = http::OptionalString(body, "first_name", 200).value_or("");
  in.identity.last_name = http::OptionalString(body, "last_name", 200).value_or("");
  in.identity.father_name = http::OptionalString(body, "father_name", 200).value_or("");
  in.identity.national_code = http::OptionalString(body, "national_code", 40);
  in.identity.aliases = http::StringArray(body, "aliases");
  auto sex = SexFromCode(http::OptionalString(body, "sex", 10).value_or("unknown"));
  if (!sex) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"sex", "یکی از male، female یا unknown."}});
  }
  in.identity.sex = *sex;
  if (auto year = http::OptionalInt(body, "birth_year")) {
    if (*year < 0 || *year > 100000) {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
           {{"birth_year", "نامعتبر است."}});
    }
    in.identity.birth_year = static_cast<int>(*year);
  }
  in.other_id = http::OptionalString(body, "other_id", 80).value_or("");
  in.nationality = http::OptionalString(body, "nationality", 8).value_or("IR");
  return in;
}

object PersonJson(const Person& p) {
  boost::json::array aliases;
  for (const auto& a : p.identity.aliases) aliases.push_back(boost::json::string(a));
  object o{{"id", p.id},
           {"first_name", p.identity.first_name},
           {"last_name", p.identity.last_name},
           {"father_name", p.identity.father_name},
           {"aliases", aliases},
           {"sex", SexCode(p.identity.sex)},
           {"other_id", p.other_id},
           {"nationality", p.nationality},
           {"registered_by_agency", p.registered_by_agency},
           {"created_at", IsoUtc(p.created_at)},
           {"created_at_jalali", persian::FormatJalaliDateTime(p.created_at / 1000)}};
  o["national_code"] =
      p.identity.national_code ? boost::json::value(*p.identity.national_code) : nullptr;
  o["birth_year"] = p.identity.birth_year ? boost::json::value(*p.identity.birth_year) : nullptr;
  o["merged_into"] = p.merged_into ? boost::json::value(*p.merged_into) : nullptr;
  return o;
}

namespace {

// A candidate shows who it may be and why — enough to decide, no more.
object CandidateJson(const Candidate& c) {
  boost::json::array reasons;
  for (const auto& r : c.score.reasons) {
    reasons.push_back(object{{"field", r.field}, {"result", r.result}, {"points", r.points}});
  }
  object person{{"id", c.person.id},
                {"first_name", c.person.identity.first_name},
                {"last_name", c.person.identity.last_name},
                {"father_name", c.person.identity.father_name}};
  person["birth_year"] =
      c.person.identity.birth_year ? boost::json::value(*c.person.identity.birth_year) : nullptr;
  return {{"person", person},
          {"score", c.score.score},
          {"band", c.band == MatchBand::kStrong ? "strong" : "review"},
          {"reasons", reasons}};
}

object PairJson(const Pair& pr) {
  auto side = [](const Person& p) {
    object o{{"id", p.id},
             {"first_name", p.identity.first_name},
             {"last_name", p.identity.last_name},
             {"father_name", p.identity.father_name}};
    o["birth_year"] = p.identity.birth_year ? boost::json::value(*p.identity.birth_year) : nullptr;
    o["has_national_code"] = p.identity.national_code.has_value();
    return o;
  };
  boost::system::error_code ec;
  auto reasons = boost::json::parse(pr.reasons, ec);
  return {{"id", pr.id},
          {"a", side(pr.a)},
          {"b", side(pr.b)},
          {"score", pr.score},
          {"status", pr.status},
          {"reasons", ec ? boost::json::value(boost::json::array()) : reasons},
          {"created_at", IsoUtc(pr.created_at)},
          {"created_at_jalali", persian::FormatJalaliDateTime(pr.created_at / 1000)}};
}

http::Response Ok(const boost::json::value& v, int status = 200) {
  return http::Response::Json(boost::json::serialize(v), status);
}

}  // namespace

void RegisterApi(http::Router& r, accounts::Guard& guard, PeopleService& people) {
  r.Post("/api/v1/persons/candidates", [&](http::Request& req) {
    auto p = guard.Require(req);
    boost::json::array items;
    for (const auto& c : people.Candidates(p, ParseNewPerson(http::JsonBody(req))))
      items.push_back(CandidateJson(c));
    return Ok(object{{"items", items}});
  });
  r.Post("/api/v1/persons", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    bool confirm = http::OptionalBool(body, "confirm_new").value_or(false);
    auto result = people.Register(p, ParseNewPerson(body), confirm);
    return Ok(object{{"person", PersonJson(result.person)}, {"review_pairs", result.review_pairs}},
              201);
  });
  r.Get("/api/v1/persons", [&](http::Request& req) {
    auto p = guard.Require(req);
    boost::json::array items;
    for (const auto& person : people.Search(p, req.Query("q").value_or("")))
      items.push_back(PersonJson(person));
    return Ok(object{{"items", items}});
  });
  r.Get("/api/v1/person-pairs", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    auto page =
        people.ListPairs(p, req.Query("status").value_or("open"), paging.per_page, paging.offset());
    boost::json::array items;
    for (const auto& pr : page.pairs) items.push_back(PairJson(pr));
    return Ok(object{{"items", items}, {"paging", accounts::PagingJson(paging, page.total)}});
  });
  r.Post("/api/v1/person-pairs/{id}/decision", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    return Ok(PairJson(
        people.Decide(p, http::IdParam(req, "id"), http::RequiredString(body, "decision", 20))));
  });
  r.Post("/api/v1/persons/{id}/unmerge", [&](http::Request& req) {
    auto p = guard.Require(req);
    people.Unmerge(p, http::IdParam(req, "id"));
    return http::Response::NoContent();
  });
  r.Patch("/api/v1/persons/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    auto body = http::JsonBody(req);
    // Absent fields keep their value: start from the record as it is.
    Person current = people.Get(p, id);
    object merged = PersonJson(current);
    for (const auto& [key, value] : body) merged[key] = value;
    return Ok(PersonJson(people.Update(p, id, ParseNewPerson(merged))));
  });
  r.Get("/api/v1/persons/{id}/revisions", [&](http::Request& req) {
    auto p = guard.Require(req);
    boost::json::array items;
    for (const auto& rev : people.History(p, http::IdParam(req, "id"))) {
      boost::system::error_code ec;
      auto previous = boost::json::parse(rev.previous, ec);
      items.push_back(object{{"at", IsoUtc(rev.at)},
                             {"at_jalali", persian::FormatJalaliDateTime(rev.at / 1000)},
                             {"user", rev.user_name},
                             {"agency", rev.agency_name},
                             {"changed", rev.changed},
                             {"previous", ec ? boost::json::value(object()) : previous}});
    }
    return Ok(object{{"items", items}});
  });
  r.Get("/api/v1/persons/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    return Ok(PersonJson(people.Get(p, http::IdParam(req, "id"))));
  });
}

}  // namespace peyvand::people
