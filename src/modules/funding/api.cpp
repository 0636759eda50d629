#include "modules/funding/api.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/time.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "modules/funding/rules.hpp"
#include "modules/pathway/api.hpp"
#include "persian/jalali.hpp"

namespace peyvand::funding {

using boost::json::array;
using boost::json::object;
using boost::json::value;

namespace {

constexpr const char* kInvalidInput = "برخی از مقادیر ورودی نامعتبر است.";

value Opt(const std::optional<std::int64_t>& v) {
  return v ? value(*v) : value(nullptr);
}

object DayJson(std::int64_t day) {
  return {{"date", pathway::IsoDay(day)},
          {"jalali", persian::FormatJalali(persian::JalaliFromDays(day), false)}};
}

http::Response Ok(const value& v, int status = 200) {
  return http::Response::Json(boost::json::serialize(v), status);
}

object ResolutionJson(const Resolution& r) {
  return {
      {"id", r.id},
      {"council", object{{"id", r.council_id}, {"code", r.council_code}, {"name", r.council_name}}},
      {"number", r.number},
      {"date", DayJson(r.day)},
      {"title", r.title},
      {"text", r.body},
      {"status", r.status},
      {"created_at", IsoUtc(r.created_at)},
      {"updated_at", IsoUtc(r.updated_at)}};
}

const char* TaskStateCode(TaskState s) {
  switch (s) {
    case TaskState::kDone: return "done";
    case TaskState::kOpen: return "open";
    case TaskState::kOverdue: return "overdue";
    case TaskState::kClosed: return "closed";
  }
  return "closed";
}

object ClauseJson(const Clause& c, const std::vector<pathway::Task>& tasks, std::int64_t now) {
  array shares;
  for (const auto& s : c.shares) {
    object o{{"agency_id", s.agency_id},
             {"agency_name", s.agency_name},
             {"totals", TotalsJson(s.totals)},
             {"entries", s.entries}};
    o["task"] = nullptr;
    for (const auto& t : tasks) {
      if (t.agency_id != s.agency_id) continue;
      o["task"] = object{{"id", t.id},
                         {"state", t.state},
                         {"status", TaskStateCode(ClauseTaskState(t.state, t.due_at, now))},
                         {"due_at", IsoUtc(t.due_at)},
                         {"due_at_jalali", persian::FormatJalaliDateTime(t.due_at / 1000)},
                         {"outcome", t.outcome}};
    }
    shares.push_back(o);
  }
  StageTotals sum;
  for (const auto& s : c.shares) {
    for (Stage st : kStages) At(sum, st) += Get(s.totals, st);
  }
  return {{"id", c.id},
          {"resolution_id", c.resolution_id},
          {"seq", c.seq},
          {"text", c.body},
          {"expected_output", c.expected_output},
          {"deadline", DayJson(c.deadline_day)},
          {"status", c.status},
          {"withdraw_reason", c.withdraw_reason},
          {"totals", TotalsJson(sum)},
          {"shares", shares}};
}

object DocumentJson(const Document& d) {
  return {{"id", d.id},
          {"sha256", d.sha256},
          {"size", d.size},
          {"file_name", d.file_name},
          {"uploaded_by", d.uploaded_by},
          {"uploaded_by_name", d.uploader_name},
          {"uploaded_at", IsoUtc(d.uploaded_at)},
          {"uploaded_at_jalali", persian::FormatJalaliDateTime(d.uploaded_at / 1000)},
          {"url", "/api/v1/resolutions/" + std::to_string(d.resolution_id) + "/document"}};
}

object UnfundedJson(const UnfundedClause& u) {
  return {{"clause_id", u.clause_id},
          {"seq", u.seq},
          {"text", u.body},
          {"deadline", DayJson(u.deadline_day)},
          {"resolution", object{{"id", u.resolution_id},
                                {"number", u.number},
                                {"title", u.title},
                                {"date", DayJson(u.resolution_day)},
                                {"council_name", u.council_name}}},
          {"needed_rials", u.needed},
          {"allocated_rials", u.allocated},
          {"gap_rials", u.gap}};
}

NewClause ParseClause(const object& body) {
  NewClause in;
  if (auto seq = http::OptionalInt(body, "seq")) {
    if (*seq < 1 || *seq > kMaxClauseSeq) {
      Fail(ErrorCode::kInvalid, kInvalidInput, {{"seq", "شمارهٔ بند باید بین ۱ تا ۹۹۹ باشد."}});
    }
    in.seq = static_cast<int>(*seq);
  }
  in.body = http::OptionalString(body, "text", 16000).value_or("");
  in.expected_output = http::OptionalString(body, "expected_output", 8000).value_or("");
  in.deadline_day = pathway::OptionalDay(body, "deadline");
  auto it = body.find("agencies");
  if (it == body.end() || !it->value().is_array()) {
    Fail(
        ErrorCode::kInvalid, kInvalidInput,
        {{"agencies",
          "فهرست دستگاه‌های مسئول (agency_id و cost_rials) را بفرستید."}});
  }
  for (const auto& a : it->value().as_array()) {
    if (!a.is_object()) {
      Fail(ErrorCode::kInvalid, kInvalidInput, {{"agencies", "هر دستگاه باید یک شیء باشد."}});
    }
    const auto& o = a.as_object();
    ShareInput s;
    s.agency_id = http::OptionalInt(o, "agency_id").value_or(0);
    s.cost = http::OptionalInt(o, "cost_rials").value_or(0);
    in.shares.push_back(s);
  }
  return in;
}

std::optional<std::int64_t> PositiveQuery(const http::Request& req, const char* name) {
  auto v = http::QueryInt(req, name);
  return v && *v > 0 ? v : std::nullopt;
}

}  // namespace

object TotalsJson(const StageTotals& t) {
  object o;
  for (Stage s : kStages) o[StageCode(s)] = Get(t, s);
  o["gap"] = Gap(t);
  return o;
}

object EntryJson(const CreditEntry& e) {
  return {{"id", e.id},
          {"clause_id", e.clause_id},
          {"clause_seq", e.clause_seq},
          {"resolution_id", e.resolution_id},
          {"agency_id", e.agency_id},
          {"agency_name", e.agency_name},
          {"stage", StageCode(e.stage)},
          {"amount_rials", e.amount},
          {"reverses_entry_id", Opt(e.reverses_entry_id)},
          {"reversed_by", Opt(e.reversed_by)},
          {"note", e.note},
          {"created_by", e.created_by},
          {"created_by_name", e.user_name},
          {"created_at", IsoUtc(e.created_at)},
          {"created_at_jalali", persian::FormatJalaliDateTime(e.created_at / 1000)}};
}

Document StoreUpload(FundingService& funding, const accounts::Principal& p,
                     std::int64_t resolution_id, const http::MultipartForm& form) {
  const http::MultipartPart* file = form.Find("file");
  if (!file || !file->filename) {
    Fail(ErrorCode::kInvalid, kInvalidInput,
         {{"file", "فایل PDF نسخهٔ امضاشده را در بخش file بفرستید."}});
  }
  return funding.UploadDocument(p, resolution_id, *file->filename, file->content_type, file->data);
}

http::Response DocumentResponse(FundingService& funding, std::int64_t resolution_id) {
  auto f = funding.ReadDocument(resolution_id);
  http::Response res;
  res.status = 200;
  res.content_type = "application/pdf";
  res.body = std::move(f.bytes);
  res.SetHeader("Content-Disposition",
                AttachmentHeader(f.document.file_name,
                                 "resolution-" + std::to_string(resolution_id) + ".pdf"));
  res.SetHeader("X-Content-SHA256", f.document.sha256);
  return res;
}

void RegisterApi(http::Router& r, accounts::Guard& guard, FundingService& svc) {
  r.Get("/api/v1/councils", [&](http::Request& req) {
    guard.Require(req);
    array items;
    for (const auto& c : svc.Councils()) {
      items.push_back(object{{"id", c.id}, {"code", c.code}, {"name", c.name}});
    }
    return Ok(object{{"items", items}});
  });

  r.Get("/api/v1/resolutions", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    ResolutionQuery q;
    q.text = req.Query("q").value_or("");
    q.council_id = PositiveQuery(req, "council_id");
    q.status = req.Query("status").value_or("");
    auto page = svc.ListResolutions(p, q, paging.per_page, paging.offset());
    array items;
    for (const auto& x : page.items) {
      object o = ResolutionJson(x);
      o["clause_count"] = x.clause_count;
      o["needed_rials"] = x.needed;
      o["allocated_rials"] = x.allocated;
      o["gap_rials"] = x.needed - x.allocated;
      items.push_back(o);
    }
    return Ok(object{{"items", items}, {"paging", accounts::PagingJson(paging, page.total)}});
  });
  r.Post("/api/v1/resolutions", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    NewResolution in;
    in.council = http::OptionalString(body, "council", 60).value_or("");
    in.number = http::OptionalString(body, "number", 200).value_or("");
    in.day = pathway::OptionalDay(body, "date");
    in.title = http::OptionalString(body, "title", 2000).value_or("");
    in.body = http::OptionalString(body, "text", 100000).value_or("");
    return Ok(ResolutionJson(svc.CreateResolution(p, in)), 201);
  });
  r.Get("/api/v1/resolutions/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto v = svc.GetResolution(p, http::IdParam(req, "id"));
    std::int64_t now = static_cast<std::int64_t>(time(nullptr)) * 1000;
    object o = ResolutionJson(v.resolution);
    array clauses, documents;
    for (const auto& c : v.clauses) clauses.push_back(ClauseJson(c.clause, c.tasks, now));
    for (const auto& d : v.documents) documents.push_back(DocumentJson(d));
    o["clauses"] = clauses;
    o["document"] = v.documents.empty() ? value(nullptr) : value(DocumentJson(v.documents[0]));
    o["documents"] = documents;
    return Ok(o);
  });
  r.Patch("/api/v1/resolutions/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    ResolutionPatch in;
    in.title = http::OptionalString(body, "title", 2000);
    in.body = http::OptionalString(body, "text", 100000);
    in.status = http::OptionalString(body, "status", 40);
    return Ok(ResolutionJson(svc.UpdateResolution(p, http::IdParam(req, "id"), in)));
  });
  r.Post("/api/v1/resolutions/{id}/clauses", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto in = ParseClause(http::JsonBody(req));
    auto c = svc.AddClause(p, http::IdParam(req, "id"), in);
    std::int64_t now = static_cast<std::int64_t>(time(nullptr)) * 1000;
    return Ok(ClauseJson(c, {}, now), 201);
  });
  r.Post("/api/v1/clauses/{id}/withdraw", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    svc.WithdrawClause(p, http::IdParam(req, "id"),
                       http::OptionalString(body, "reason", 8000).value_or(""));
    return http::Response::NoContent();
  });

  r.Get("/api/v1/credit-entries", [&](http::Request& req) {
    guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    store::EntryFilter f;
    f.resolution_id = PositiveQuery(req, "resolution_id").value_or(0);
    f.clause_id = PositiveQuery(req, "clause_id").value_or(0);
    f.agency_id = PositiveQuery(req, "agency_id").value_or(0);
    auto page = svc.Ledger(f, paging.per_page, paging.offset());
    array items;
    for (const auto& e : page.items) items.push_back(EntryJson(e));
    return Ok(object{{"items", items}, {"paging", accounts::PagingJson(paging, page.total)}});
  });
  r.Post("/api/v1/credit-entries", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = http::JsonBody(req);
    NewEntry in;
    in.clause_id = http::OptionalInt(body, "clause_id").value_or(0);
    in.agency_id = http::OptionalInt(body, "agency_id").value_or(0);
    in.stage = http::OptionalString(body, "stage", 40).value_or("");
    in.amount = http::OptionalInt(body, "amount_rials");
    in.note = http::OptionalString(body, "note", 8000).value_or("");
    if (in.clause_id <= 0) {
      Fail(ErrorCode::kInvalid, kInvalidInput, {{"clause_id", "بند را مشخص کنید."}});
    }
    return Ok(EntryJson(svc.Record(p, in)), 201);
  });
  r.Post("/api/v1/credit-entries/{id}/reverse", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto body = req.body.empty() ? object() : http::JsonBody(req);
    return Ok(EntryJson(svc.Reverse(p, http::IdParam(req, "id"),
                                    http::OptionalString(body, "note", 8000).value_or(""))),
              201);
  });

  r.Get("/api/v1/funding/unfunded", [&](http::Request& req) {
    guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    UnfundedFilter f;
    f.council_id = PositiveQuery(req, "council_id");
    f.agency_id = PositiveQuery(req, "agency_id");
    auto count = svc.CountUnfunded(f);
    array items;
    for (const auto& u : svc.Unfunded(f, paging.per_page, paging.offset())) {
      items.push_back(UnfundedJson(u));
    }
    return Ok(object{{"items", items},
                     {"total_gap_rials", count.gap},
                     {"paging", accounts::PagingJson(paging, count.clauses)}});
  });
  r.Get("/api/v1/funding/agencies", [&](http::Request& req) {
    guard.Require(req);
    auto from = req.Query("from");
    auto to = req.Query("to");
    auto from_day = pathway::ParseDayText(from.value_or(""), "from");
    auto to_day = pathway::ParseDayText(to.value_or(""), "to");
    array items;
    for (const auto& [agency, totals] : svc.TotalsByAgency(from_day, to_day)) {
      items.push_back(object{{"agency_id", agency}, {"totals", TotalsJson(totals)}});
    }
    return Ok(object{{"items", items}});
  });
  r.Get("/api/v1/funding/agencies/{id}", [&](http::Request& req) {
    guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    auto f = svc.AgencyFundingOf(http::IdParam(req, "id"), paging.per_page, paging.offset());
    array shares;
    for (const auto& s : f.shares) {
      shares.push_back(object{{"clause_id", s.share.clause_id},
                              {"clause_seq", s.clause_seq},
                              {"clause_text", s.clause_body},
                              {"clause_status", s.clause_status},
                              {"deadline", DayJson(s.deadline_day)},
                              {"resolution", object{{"id", s.resolution_id},
                                                    {"number", s.number},
                                                    {"title", s.title},
                                                    {"council_name", s.council_name}}},
                              {"totals", TotalsJson(s.share.totals)}});
    }
    return Ok(object{{"agency", object{{"id", f.agency.id}, {"name", f.agency.name}}},
                     {"totals", TotalsJson(f.totals)},
                     {"shares", shares},
                     {"paging", accounts::PagingJson(paging, f.share_count)}});
  });

  r.Post("/api/v1/resolutions/{id}/document", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto form = http::MultipartForm::Parse(req);
    return Ok(DocumentJson(StoreUpload(svc, p, http::IdParam(req, "id"), form)), 201);
  });
  r.AllowBody(http::Method::kPost, "/api/v1/resolutions/{id}/document", kUploadBodyLimit);
  r.Get("/api/v1/resolutions/{id}/document", [&](http::Request& req) {
    guard.Require(req);
    return DocumentResponse(svc, http::IdParam(req, "id"));
  });
}

}  // namespace peyvand::funding
