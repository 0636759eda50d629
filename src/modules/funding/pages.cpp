#include "modules/funding/pages.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/multipart.hpp"
#include "modules/accounts/api.hpp"
#include "modules/funding/api.hpp"
#include "modules/funding/exports.hpp"
#include "modules/funding/rules.hpp"
#include "modules/funding/views.hpp"
#include "modules/pathway/api.hpp"
#include "web/export.hpp"

namespace peyvand::funding {
namespace {

using accounts::Role;
using boost::json::array;
using boost::json::object;
using views::Fa;
using views::JDay;
using views::Money;

std::string Id(std::int64_t v) {
  return std::to_string(v);
}

http::Response Back(const std::string& to) {
  return http::Response::Redirect(to);
}

const char* NoticeFor(const std::string& done) {
  if (done == "created") return "مصوبه ثبت شد.";
  if (done == "updated") return "مصوبه به‌روز شد.";
  if (done == "clause")
    return "بند افزوده شد و کار آن در کارتابل دستگاه‌های مسئول نشست.";
  if (done == "withdrawn") return "بند پس گرفته شد و کارهای باز آن لغو شد.";
  if (done == "entry") return "ثبت در دفتر اعتبار انجام شد.";
  if (done == "reversed") return "ثبت برگردانده شد.";
  if (done == "document") return "نسخهٔ امضاشده بارگذاری شد.";
  return "";
}

bool Rethrown(ErrorCode code) {
  return code == ErrorCode::kNotFound || code == ErrorCode::kUnauthenticated ||
         code == ErrorCode::kForbidden || code == ErrorCode::kInternal;
}

std::optional<std::int64_t> FilterId(const http::Request& req, const char* name) {
  auto v = http::QueryInt(req, name);
  return v && *v > 0 ? v : std::nullopt;
}

array Options(const std::vector<std::pair<std::int64_t, std::string>>& items,
              std::optional<std::int64_t> chosen, const char* all) {
  array out{object{{"id", ""}, {"name", all}, {"selected", !chosen}}};
  for (const auto& [id, name] : items) {
    out.push_back(object{{"id", Id(id)}, {"name", name}, {"selected", chosen && *chosen == id}});
  }
  return out;
}

}  // namespace

void RegisterPages(http::Router& r, accounts::Guard& guard, FundingService& svc,
                   accounts::DirectoryService& dir, const web::Templates& t) {
  guard.AddNavHook([](const accounts::Principal& p, array& nav) {
    nav.push_back(object{{"href", "/resolutions"}, {"label", "مصوبات"}});
    if (p.roles.HasAny({Role::kCoordinator, Role::kSystemAdmin})) {
      nav.push_back(object{{"href", "/funding/unfunded"}, {"label", "کسری اعتبار"}});
    }
  });

  r.Get("/resolutions", [&](http::Request& req) {
    auto p = guard.Require(req);
    if (!web::ExportFormat(req).empty()) {
      return web::ExportResponse(
          req, {exports::Resolutions(svc, p, views::ParseResolutionQuery(req))}, "resolutions");
    }
    return t.Page("resolutions", views::ResolutionsPage(svc, guard, p, req));
  });
  r.Post("/resolutions", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto f = http::Form::Parse(req);
    NewResolution in;
    in.council = f.GetOr("council");
    in.number = f.GetOr("number");
    in.title = f.GetOr("title");
    in.body = f.GetOr("text");
    try {
      in.day = pathway::ParseDayText(f.GetOr("date"), "date");
      auto res = svc.CreateResolution(p, in);
      return Back("/resolutions/" + Id(res.id) + "?done=created");
    } catch (const AppError& e) {
      if (Rethrown(e.error().code)) throw;
      auto ctx = views::ResolutionsPage(svc, guard, p, req);
      ctx["errors"] = views::Errors(e);
      ctx["form"] = object{
          {"number", in.number}, {"date", f.GetOr("date")}, {"title", in.title}, {"text", in.body}};
      if (auto* councils = ctx.if_contains("form_councils")) {
        for (auto& c : councils->as_array()) {
          c.as_object()["selected"] = c.as_object()["code"].as_string() == in.council;
        }
      }
      return t.Page("resolutions", ctx, http::StatusFor(e.error().code));
    }
  });

  r.Get("/resolutions/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    if (!web::ExportFormat(req).empty()) {
      std::int64_t id = http::IdParam(req, "id");
      return web::ExportResponse(req, exports::Resolution(svc, p, id), "resolution-" + Id(id));
    }
    auto ctx = views::ResolutionPage(svc, dir, guard, p, http::IdParam(req, "id"),
                                     http::QueryInt(req, "page").value_or(1));
    if (auto done = req.Query("done")) {
      const char* notice = NoticeFor(*done);
      if (*notice) ctx["notice"] = notice;
    }
    return t.Page("resolution", ctx);
  });
  r.Get("/clauses/{id}", [&](http::Request& req) {
    guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    return Back("/resolutions/" + Id(svc.ResolutionOfClause(id)) + "#clause-" + Id(id));
  });

  // Every action on a resolution's page posts here, then returns to the page (at `anchor`), or
  // shows the page again with why not. `fn` returns the anchor.
  auto act = [&svc, &dir, &guard, &t](const accounts::Principal& p, std::int64_t resolution,
                                      const char* done, auto&& fn) {
    try {
      std::string anchor = fn();
      return Back("/resolutions/" + Id(resolution) + "?done=" + done + anchor);
    } catch (const AppError& e) {
      if (Rethrown(e.error().code) || resolution == 0) throw;
      auto ctx = views::ResolutionPage(svc, dir, guard, p, resolution, 1);
      ctx["errors"] = views::Errors(e);
      return t.Page("resolution", ctx, http::StatusFor(e.error().code));
    }
  };
  r.Post("/resolutions/{id}", [&, act](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    auto f = http::Form::Parse(req);
    return act(p, id, "updated", [&] {
      ResolutionPatch in;
      in.title = f.Get("title");
      in.body = f.Get("text");
      in.status = f.Get("status");
      svc.UpdateResolution(p, id, in);
      return std::string();
    });
  });
  r.Post("/resolutions/{id}/clauses", [&, act](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    auto f = http::Form::Parse(req);
    return act(p, id, "clause", [&] {
      NewClause in;
      if (auto seq = views::AmountText(f.GetOr("seq"), "seq")) {
        in.seq = static_cast<int>(std::min<std::int64_t>(*seq, kMaxClauseSeq + 1));
      }
      in.body = f.GetOr("text");
      in.expected_output = f.GetOr("expected_output");
      in.deadline_day = pathway::ParseDayText(f.GetOr("deadline"), "deadline");
      auto agencies = f.GetAll("agency_id");
      auto costs = f.GetAll("cost_rials");
      for (std::size_t i = 0; i < agencies.size(); ++i) {
        if (agencies[i].empty()) continue;
        ShareInput s;
        s.agency_id = std::atoll(agencies[i].c_str());
        if (s.agency_id <= 0) {
          Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
               {{"agencies", "دستگاه مسئول نامعتبر است."}});
        }
        s.cost = i < costs.size() ? views::AmountText(costs[i], "cost_rials").value_or(0) : 0;
        in.shares.push_back(s);
      }
      auto c = svc.AddClause(p, id, in);
      return "#clause-" + Id(c.id);
    });
  });
  r.Post("/clauses/{id}/withdraw", [&, act](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    auto f = http::Form::Parse(req);
    std::int64_t resolution = svc.ResolutionOfClause(id);
    return act(p, resolution, "withdrawn", [&] {
      svc.WithdrawClause(p, id, f.GetOr("reason"));
      return "#clause-" + Id(id);
    });
  });
  r.Post("/credit-entries", [&, act](http::Request& req) {
    auto p = guard.Require(req);
    auto f = http::Form::Parse(req);
    std::int64_t clause = f.GetInt("clause_id").value_or(0);
    if (clause <= 0) Fail(ErrorCode::kNotFound, "رکورد مورد نظر پیدا نشد.");
    std::int64_t resolution = svc.ResolutionOfClause(clause);
    return act(p, resolution, "entry", [&] {
      NewEntry in;
      in.clause_id = clause;
      in.agency_id = f.GetInt("agency_id").value_or(0);
      in.stage = f.GetOr("stage");
      in.amount = views::TypedAmount(f, "amount_rials");
      in.note = f.GetOr("note");
      svc.Record(p, in);
      return "#clause-" + Id(clause);
    });
  });
  r.Post("/credit-entries/{id}/reverse", [&, act](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    auto f = http::Form::Parse(req);
    std::int64_t resolution = f.GetInt("resolution_id").value_or(0);
    return act(p, resolution, "reversed", [&] {
      svc.Reverse(p, id, f.GetOr("note"));
      return std::string("#ledger");
    });
  });

  r.Post("/resolutions/{id}/document", [&, act](http::Request& req) {
    std::int64_t id = http::IdParam(req, "id");
    // A browser's multipart form carries its CSRF token as a part, where the guard (which
    // reads urlencoded forms and the X-CSRF-Token header) does not look: hand it over as the
    // header. Malformed bodies are reported after the guard has let the request in.
    std::optional<http::MultipartForm> form;
    std::optional<AppError> malformed;
    try {
      form = http::MultipartForm::Parse(req);
      if (auto token = form->Field("_csrf"); token && !req.Header("x-csrf-token")) {
        req.headers.emplace_back("x-csrf-token", *token);
      }
    } catch (const AppError& e) {
      malformed = e;
    }
    auto p = guard.Require(req);
    return act(p, id, "document", [&] {
      if (malformed) throw *malformed;
      StoreUpload(svc, p, id, *form);
      return std::string("#document");
    });
  });
  r.AllowBody(http::Method::kPost, "/resolutions/{id}/document", kUploadBodyLimit);
  r.Get("/resolutions/{id}/document", [&](http::Request& req) {
    guard.Require(req);
    return DocumentResponse(svc, http::IdParam(req, "id"));
  });

  r.Get("/funding/unfunded", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    paging.per_page = std::min<std::int64_t>(paging.per_page, 50);
    UnfundedFilter f;
    f.council_id = FilterId(req, "council_id");
    f.agency_id = FilterId(req, "agency_id");
    if (!web::ExportFormat(req).empty()) {
      return web::ExportResponse(req, {exports::Unfunded(svc, f)}, "unfunded");
    }
    auto count = svc.CountUnfunded(f);
    auto ctx = guard.PageContext(p, "مصوبات بدون پشتوانهٔ مالی");
    array rows;
    for (const auto& u : svc.Unfunded(f, paging.per_page, paging.offset())) {
      rows.push_back(object{{"resolution_id", u.resolution_id},
                            {"clause_id", u.clause_id},
                            {"number", views::Shown(u.number)},
                            {"title", views::Shown(u.title)},
                            {"council", u.council_name},
                            {"date", JDay(u.resolution_day)},
                            {"seq", Fa(u.seq)},
                            {"text", views::Shown(views::Excerpt(u.body, 300))},
                            {"deadline", JDay(u.deadline_day)},
                            {"needed", Money(u.needed)},
                            {"allocated", Money(u.allocated)},
                            {"gap", Money(u.gap)}});
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    ctx["count"] = Money(count.clauses);
    ctx["total_gap"] = Money(count.gap);
    std::vector<std::pair<std::int64_t, std::string>> councils, agencies;
    for (const auto& c : svc.Councils()) councils.emplace_back(c.id, c.name);
    for (const auto& a : dir.ListAgencies(p)) agencies.emplace_back(a.id, a.name);
    ctx["councils"] = Options(councils, f.council_id, "همهٔ شوراها");
    ctx["agencies"] = Options(agencies, f.agency_id, "همهٔ دستگاه‌ها");
    std::vector<std::pair<std::string, std::string>> filters{
        {"council_id", f.council_id ? Id(*f.council_id) : ""},
        {"agency_id", f.agency_id ? Id(*f.agency_id) : ""}};
    ctx["pager"] = accounts::PageLinks(paging, count.clauses, filters, "/funding/unfunded");
    ctx["exports"] = views::ExportLinks("/funding/unfunded?" + http::QueryString(filters) + "&",
                                        {"بندهای بدون پشتوانه"});
    return t.Page("funding_unfunded", ctx);
  });

  r.Get("/funding/agencies/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    paging.per_page = std::min<std::int64_t>(paging.per_page, 50);
    std::int64_t id = http::IdParam(req, "id");
    if (!web::ExportFormat(req).empty()) {
      return web::ExportResponse(req, exports::Agency(svc, id), "funding-agency-" + Id(id));
    }
    auto f = svc.AgencyFundingOf(id, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "اعتبارات " + f.agency.name);
    ctx["agency"] = object{{"id", f.agency.id}, {"name", f.agency.name}};
    ctx["totals"] = views::TotalsView(f.totals);
    array rows;
    for (const auto& s : f.shares) {
      object o = views::TotalsView(s.share.totals);
      o["resolution_id"] = s.resolution_id;
      o["clause_id"] = s.share.clause_id;
      o["number"] = views::Shown(s.number);
      o["council"] = s.council_name;
      o["title"] = views::Shown(s.title);
      o["seq"] = Fa(s.clause_seq);
      o["text"] = views::Shown(views::Excerpt(s.clause_body, 200));
      o["deadline"] = JDay(s.deadline_day);
      o["withdrawn"] = s.clause_status != "active";
      rows.push_back(o);
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    ctx["pager"] = accounts::PageLinks(paging, f.share_count, {}, "/funding/agencies/" + Id(id));
    ctx["exports"] =
        views::ExportLinks("/funding/agencies/" + Id(id) + "?", {"جمع", "سهم‌ها"});
    return t.Page("funding_agency", ctx);
  });
}

}  // namespace peyvand::funding
