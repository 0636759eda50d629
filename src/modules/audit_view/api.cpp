#include "modules/audit_view/api.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "core/error.hpp"
#include "core/time.hpp"
#include "core/utf8.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::audit_view {
namespace {

using accounts::Role;
using boost::json::object;

std::optional<std::int64_t> DateParam(const http::Request& req, std::string_view name, bool end) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::nullopt;
  auto day = persian::ParseDateToUnixDay(*v);
  if (!day)
    Fail(ErrorCode::kInvalid, day.error().message, {{std::string(name), day.error().message}});
  // Dates are read as whole days in Iran time (UTC+03:30); "to" includes its day.
  std::int64_t ms = (*day + (end ? 1 : 0)) * 86400000LL - 12600000LL;
  return ms;
}

std::optional<std::string> TextParam(const http::Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::nullopt;
  if (v->size() > 100)
    Fail(ErrorCode::kInvalid,
         "پارامتر جست‌وجو بیش از حد طولانی است.");
  return v;
}

audit::Filter ParseFilter(const http::Request& req) {
  audit::Filter f;
  f.user_id = http::QueryInt(req, "user_id");
  f.agency_id = http::QueryInt(req, "agency_id");
  f.record_type = TextParam(req, "record_type");
  f.record_id = TextParam(req, "record_id");
  f.action = TextParam(req, "action");
  f.from_ms = DateParam(req, "from", false);
  f.to_ms = DateParam(req, "to", true);
  return f;
}

object EntryJson(const audit::Entry& e) {
  object o{{"id", e.id},
           {"at", IsoUtc(e.at)},
           {"at_jalali", persian::FormatJalaliDateTime(e.at / 1000)},
           {"username", e.username},
           {"action", e.action},
           {"record_type", e.record_type},
           {"record_id", e.record_id},
           {"summary", e.summary},
           {"request_id", e.request_id},
           {"ip", e.ip},
           {"hash", e.hash}};
  o["user_id"] = e.user_id ? boost::json::value(*e.user_id) : nullptr;
  o["agency_id"] = e.agency_id ? boost::json::value(*e.agency_id) : nullptr;
  return o;
}

const accounts::RoleSet kReaders{Role::kAuditor, Role::kSystemAdmin};

// Reading the audit log is itself recorded: who looked for what.
void RecordSearch(audit::AuditService& audit, const accounts::Principal& p,
                  const http::Request& req) {
  std::string query =
      req.target.find('?') == std::string::npos ? "" : req.target.substr(req.target.find('?') + 1);
  audit.AppendAlone(accounts::AuthService::ActorOf(p), "audit.search", "audit", "",
                    boost::json::serialize(object{{"query", TruncateUtf8(query, 500)}}));
}

}  // namespace

void Register(http::Router& r, accounts::Guard& guard, audit::AuditService& audit,
              const web::Templates& t) {
  r.Get("/api/v1/audit", [&](http::Request& req) {
    auto p = guard.Require(req, kReaders);
    auto paging = accounts::ParsePaging(req);
    auto filter = ParseFilter(req);
    RecordSearch(audit, p, req);
    auto page = audit.Search(filter, paging.per_page, paging.offset());
    boost::json::array items;
    for (const auto& e : page.entries) items.push_back(EntryJson(e));
    return http::Response::Json(boost::json::serialize(
        object{{"items", items}, {"paging", accounts::PagingJson(paging, page.total)}}));
  });
  r.Get("/audit", [&](http::Request& req) {
    auto p = guard.Require(req, kReaders);
    auto ctx = guard.PageContext(p, "گزارش ممیزی");
    object filter_echo;
    for (const char* k :
         {"user_id", "agency_id", "record_type", "record_id", "action", "from", "to"}) {
      filter_echo[k] = req.Query(k).value_or("");
    }
    ctx["filter"] = filter_echo;
    try {
      auto paging = accounts::ParsePaging(req);
      auto filter = ParseFilter(req);
      RecordSearch(audit, p, req);
      auto page = audit.Search(filter, paging.per_page, paging.offset());
      boost::json::array rows;
      for (const auto& e : page.entries) {
        auto o = EntryJson(e);
        o["id_fa"] = persian::ToPersianDigits(std::to_string(e.id));
        rows.push_back(o);
      }
      ctx["rows"] = rows;
      ctx["empty"] = rows.empty();
      ctx["total"] = persian::FormatNumber(page.total);
      std::int64_t pages =
          std::max<std::int64_t>(1, (page.total + paging.per_page - 1) / paging.per_page);
      ctx["page_label"] =
          persian::ToPersianDigits(std::to_string(paging.page) + " از " + std::to_string(pages));
      std::vector<std::pair<std::string, std::string>> kept;
      for (const auto& [k, v] : filter_echo) {
        if (!v.as_string().empty()) kept.emplace_back(std::string(k), std::string(v.as_string()));
      }
      std::string base = "/audit?" + http::QueryString(kept) + (kept.empty() ? "" : "&");
      if (paging.page > 1) ctx["prev"] = base + "page=" + std::to_string(paging.page - 1);
      if (paging.page < pages) ctx["next"] = base + "page=" + std::to_string(paging.page + 1);
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid) throw;
      ctx["errors"] = object{{"message", e.error().message}};
      ctx["empty"] = true;
    }
    return t.Page("audit", ctx);
  });
}

}  // namespace peyvand::audit_view
