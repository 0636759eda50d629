#include "modules/notifications/pages.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::notifications {
namespace {

using boost::json::array;
using boost::json::object;

std::string Jalali(std::int64_t ms) {
  return persian::FormatJalaliDateTime(ms / 1000);
}

object Json(const Notification& n) {
  Text text = Render(n);
  array agencies;
  for (const auto& a : n.agencies) {
    agencies.push_back(object{{"agency_id", a.agency_id}, {"name", a.name}, {"tasks", a.n}});
  }
  object o{{"id", n.id},
           {"kind", n.kind},
           {"title", text.title},
           {"body", text.body},
           {"tasks", n.task_count},
           {"hours", n.hours},
           {"agencies", agencies},
           {"link", n.link},
           {"created_at", IsoUtc(n.created_at)},
           {"created_at_jalali", Jalali(n.created_at)},
           {"read", n.read_at.has_value()}};
  o["read_at"] = n.read_at ? boost::json::value(IsoUtc(*n.read_at)) : nullptr;
  return o;
}

object View(const Notification& n) {
  Text text = Render(n);
  array agencies;
  for (const auto& a : n.agencies) {
    agencies.push_back(object{{"name", a.name},
                              {"n", persian::FormatNumber(a.n)},
                              {"href", "/scorecards/agencies/" + std::to_string(a.agency_id)}});
  }
  return object{{"id", n.id},
                {"title", text.title},
                {"body", text.body},
                {"when", Jalali(n.created_at)},
                {"unread", !n.read_at.has_value()},
                {"has_link", !n.link.empty()},
                {"link_label", n.kind == kEscalationCoordinator
                                   ? "دیدن کارنامهٔ دستگاه‌ها"
                                   : "دیدن وظایف"},
                {"agencies", agencies},
                {"many_agencies", n.agencies.size() > 1}};
}

std::string BadgeHtml(std::int64_t unread) {
  std::string html = "اعلان‌ها";
  if (unread > 0) {
    std::string n = unread > 99 ? "۹۹+" : persian::FormatNumber(unread);
    html += " <span class=\"badge rounded-pill bg-danger\" data-testid=\"unread-count\">" + n +
            "<span class=\"visually-hidden\"> اعلان خوانده‌نشده</span></span>";
  }
  return html;
}

}  // namespace

void Register(http::Router& r, accounts::Guard& guard, NotificationService& svc,
              const web::Templates& t) {
  auto page = [&](http::Request& req, const accounts::Principal& p) {
    auto paging = accounts::ParsePaging(req);
    paging.per_page = std::min<std::int64_t>(paging.per_page, 50);
    bool unread_only = req.Query("show").value_or("") == "unread";
    auto list = svc.List(p, unread_only, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "اعلان‌ها");
    array items;
    for (const auto& n : list.items) items.push_back(View(n));
    ctx["items"] = items;
    ctx["empty"] = list.items.empty();
    ctx["unread_only"] = unread_only;
    ctx["unread"] = persian::FormatNumber(list.unread);
    ctx["has_unread"] = list.unread > 0;
    ctx["pager"] = accounts::PageLinks(
        paging, list.total,
        unread_only ? std::vector<std::pair<std::string, std::string>>{{"show", "unread"}}
                    : std::vector<std::pair<std::string, std::string>>{},
        "/notifications");
    if (req.Query("done").value_or("") == "all")
      ctx["notice"] = "همهٔ اعلان‌ها خوانده شد.";
    return ctx;
  };
  r.Get("/notifications", [&, page](http::Request& req) {
    auto p = guard.Require(req);
    return t.Page("notifications", page(req, p));
  });
  // The header's link, filled in by htmx when a page loads. Not polled: a request on a timer
  // would keep an idle session alive past its idle limit.
  r.Get("/notifications/badge", [&](http::Request& req) {
    // A session that ended gets the plain link, not the login page swapped into the header.
    auto p = guard.Optional(req);
    auto res = http::Response::Html(BadgeHtml(p ? svc.Unread(*p) : 0));
    res.SetHeader("Cache-Control", "no-store");
    return res;
  });
  // Opening a notification marks it read and goes where it points.
  r.Post("/notifications/{id}/open", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto n = svc.MarkRead(p, http::IdParam(req, "id"));
    return http::Response::Redirect(n.link.empty() ? "/notifications" : n.link);
  });
  r.Post("/notifications/{id}/read", [&](http::Request& req) {
    auto p = guard.Require(req);
    svc.MarkRead(p, http::IdParam(req, "id"));
    return http::Response::Redirect("/notifications");
  });
  r.Post("/notifications/read-all", [&](http::Request& req) {
    auto p = guard.Require(req);
    svc.MarkAllRead(p);
    return http::Response::Redirect("/notifications?done=all");
  });

  r.Get("/api/v1/notifications", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    bool unread_only = http::QueryInt(req, "unread").value_or(0) != 0;
    auto list = svc.List(p, unread_only, paging.per_page, paging.offset());
    array items;
    for (const auto& n : list.items) items.push_back(Json(n));
    return http::Response::Json(
        boost::json::serialize(object{{"items", items},
                                      {"unread", list.unread},
                                      {"paging", accounts::PagingJson(paging, list.total)}}));
  });
  r.Get("/api/v1/notifications/unread-count", [&](http::Request& req) {
    auto p = guard.Require(req);
    return http::Response::Json(boost::json::serialize(object{{"unread", svc.Unread(p)}}));
  });
  r.Get("/api/v1/notifications/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    return http::Response::Json(boost::json::serialize(Json(svc.Get(p, http::IdParam(req, "id")))));
  });
  r.Post("/api/v1/notifications/{id}/read", [&](http::Request& req) {
    auto p = guard.Require(req);
    return http::Response::Json(
        boost::json::serialize(Json(svc.MarkRead(p, http::IdParam(req, "id")))));
  });
  r.Post("/api/v1/notifications/read-all", [&](http::Request& req) {
    auto p = guard.Require(req);
    return http::Response::Json(boost::json::serialize(object{{"marked", svc.MarkAllRead(p)}}));
  });
}

}  // namespace peyvand::notifications
