#include "modules/dashboard/report_pages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <memory>

#include "core/error.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "modules/accountability/rules.hpp"
#include "modules/dashboard/report.hpp"
#include "modules/dashboard/report_jobs.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"
#include "report/fonts.hpp"
#include "web/static_files.hpp"

namespace peyvand::dashboard {
namespace {

using boost::json::object;

constexpr std::int64_t kDefaultWaitMs = 1000;  // then the progress is shown instead
constexpr std::int64_t kMaxWaitMs = 1000;
constexpr const char* kGone =
    "این گزارش پیدا نشد؛ شاید زمان نگه‌داری آن (۱۵ دقیقه) گذشته باشد. دوباره بخواهید.";

struct Input {
  std::string month;
  std::int64_t county = 0, agency = 0, wait_ms = kDefaultWaitMs;
};

struct Reports {
  Reports(accounts::Guard& g, DashboardService& d, accountability::ScorecardService& s,
          accounts::DirectoryService& dir, const web::Templates& t)
      : guard(g), dashboard(d), scorecards(s), directory(dir), templates(t) {
    const web::StaticFiles* assets = t.Assets();
    font_dir = (assets ? assets->Dir() : std::string("web/static")) + "/" + report::kFontFolder;
  }
  accounts::Guard& guard;
  DashboardService& dashboard;
  accountability::ScorecardService& scorecards;
  accounts::DirectoryService& directory;
  const web::Templates& templates;
  std::string font_dir;
  std::shared_ptr<report::Fonts> fonts;   // loaded and used on the jobs' worker thread only
  ReportJobs jobs{ReportJobs::Limits{}};  // last: joins the worker before the rest goes

  std::string Start(const accounts::Principal& p, const Input& in);
  std::optional<JobView> Find(const accounts::Principal& p, const std::string& id,
                              std::chrono::milliseconds wait = {});
};

Filter ParseInput(const Input& in, std::int64_t today, accounts::DirectoryService& dir,
                  const accounts::Principal& p, std::string& county, std::string& agency) {
  std::vector<FieldError> errors;
  auto [y, m] = accountability::PreviousMonth(today);
  if (!in.month.empty()) {
    auto parsed = accountability::ParseMonth(in.month);
    if (parsed) {
      std::tie(y, m) = *parsed;
    } else {
      errors.push_back({"month", parsed.error().message});
    }
  }
  if (in.county) {
    for (const auto& c : dir.ListCounties(p)) {
      if (c.id == in.county) county = c.name;
    }
    if (county.empty()) errors.push_back({"county", "این شهرستان پیدا نشد."});
  }
  if (in.agency) {
    for (const auto& a : dir.ListAgencies(p)) {
      if (a.id == in.agency) agency = a.name;
    }
    if (agency.empty()) errors.push_back({"agency", "این دستگاه پیدا نشد."});
  }
  if (in.wait_ms < 0 || in.wait_ms > kMaxWaitMs) {
    errors.push_back(
        {"wait",
         "زمان انتظار باید از ۰ تا ۱۰۰۰ میلی‌ثانیه باشد."});
  }
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "درخواست گزارش نامعتبر است.", errors);
  Filter f;
  f.base.period = accountability::MonthsPeriod(y, m, y, m);
  f.base.county_id = in.county;
  f.agency_id = in.agency;
  return f;
}

std::string Reports::Start(const accounts::Principal& p, const Input& in) {
  if (!DashboardService::MaySee(p)) {
    scorecards.AuditFigures(p, "access.denied", "report", "",
                            R"({"reason":"the monthly report is for coordinators"})");
    Fail(
        ErrorCode::kForbidden,
        "گزارش ماهانهٔ شورا برای هماهنگ‌کنندگان استان است.");
  }
  MonthlyReport base;
  Filter f = ParseInput(in, scorecards.Today(), directory, p, base.county, base.agency);
  std::string missing;
  if (!report::Fonts::Present(font_dir, &missing)) {
    Fail(
        ErrorCode::kUnavailable,
        "ساخت PDF اکنون ممکن نیست: قلم‌های گزارش روی کارساز نیست (" +
            missing +
            "). مدیر سامانه باید scripts/vendor-assets را اجرا و کارساز را دوباره بسازد.");
  }
  auto a = persian::JalaliFromDays(f.base.period.first_day);
  std::string code = accountability::MonthCode(a.year, a.month);
  scorecards.AuditFigures(
      p, "report.monthly", "report", code,
      boost::json::serialize(
          object{{"month", code}, {"county_id", f.base.county_id}, {"agency_id", f.agency_id}}));
  base.filter = f;
  base.province = directory.ProvinceName();
  for (const auto& ag : directory.ListAgencies(p)) base.agency_names[ag.id] = ag.name;
  base.generated_by = p.display_name;
  return jobs.Start(
      p.user_id, "گزارش ماهانهٔ " + accountability::MonthText(a.year, a.month),
      MonthlyReportFileName(f), DashboardService::kCollectSteps + kRenderSteps,
      [this, p, r = std::move(base)](ReportJobs::Progress& progress) mutable {
        auto step = [&] { progress.Step(); };
        r.figures = dashboard.Collect(p, r.filter, step);
        r.generated_at_ms = scorecards.NowMillis();
        if (!fonts) {
          try {
            fonts = report::Fonts::Load(font_dir);
          } catch (const report::FontsMissing& e) {
            Fail(ErrorCode::kUnavailable,
                 std::string(
                     "ساخت PDF ممکن نیست: قلم‌های گزارش بار نشد. ") +
                     e.what());
          }
        }
        return RenderMonthlyReport(r, *fonts, step);
      });
}

std::optional<JobView> Reports::Find(const accounts::Principal& p, const std::string& id,
                                     std::chrono::milliseconds wait) {
  auto view = jobs.Get(p.user_id, id, wait);
  if (!view && jobs.Exists(id)) {
    scorecards.AuditFigures(p, "access.denied", "report", "",
                            R"({"reason":"another user's report job"})");
  }
  return view;
}

std::string StatusUrl(const std::string& id) {
  return "/dashboard/report/" + id;
}
std::string PdfUrl(const std::string& id) {
  return "/dashboard/report/" + id + "/pdf";
}

bool Running(const JobView& v) {
  return v.state == JobState::kQueued || v.state == JobState::kRunning;
}

object StatusContext(const JobView& v, bool poll) {
  int percent = v.total > 0 ? v.done * 100 / v.total : 0;
  object o{{"id", v.id},
           {"label", v.label},
           {"status_url", StatusUrl(v.id)},
           {"pdf_url", PdfUrl(v.id)},
           {"running", Running(v)},
           {"poll", poll && Running(v)},
           {"queued", v.state == JobState::kQueued},
           {"ready", v.state == JobState::kDone},
           {"done", v.done},
           {"total", v.total},
           {"done_text", persian::ToPersianDigits(std::to_string(v.done))},
           {"total_text", persian::ToPersianDigits(std::to_string(v.total))},
           {"percent_text", persian::ToPersianDigits(std::to_string(percent)) + "٪"}};
  if (v.bytes) {
    o["size"] = persian::FormatNumber(static_cast<std::int64_t>((v.bytes->size() + 1023) / 1024));
  }
  if (v.state == JobState::kFailed) o["error"] = v.error;
  return o;
}

object ErrorContext(const AppError& e) {
  std::string message = e.error().message;
  for (const auto& f : e.error().fields) message += " " + f.message;
  return {{"error", message}};
}

http::Response Fragment(const web::Templates& t, object ctx, int status = 200) {
  return http::Response::Html(t.Render("_report_status", ctx), status);
}

http::Response Page(Reports& r, const accounts::Principal& p, object status, int code = 200) {
  auto ctx = r.guard.PageContext(p, "گزارش ماهانهٔ شورا");
  ctx["status"] = std::move(status);
  return r.templates.Page("report_status", ctx, code);
}

http::Response PdfResponse(const JobView& v) {
  http::Response res;
  res.content_type = "application/pdf";
  res.body = *v.bytes;
  res.SetHeader("Content-Disposition", "attachment; filename=\"" + v.file_name + "\"");
  return res;
}

// The progress as the asker's client wants it: a fragment that polls (htmx), or a page that
// reloads itself every second until the file is ready and then fetches it.
http::Response Progress(Reports& r, const http::Request& req, const accounts::Principal& p,
                        const JobView& v, int code) {
  if (req.IsHtmx()) return Fragment(r.templates, StatusContext(v, true), code);
  auto res = Page(r, p, StatusContext(v, false), code);
  if (Running(v)) {
    res.SetHeader("Refresh", "1; url=" + StatusUrl(v.id));
  } else if (v.state == JobState::kDone) {
    res.SetHeader("Refresh", "0; url=" + PdfUrl(v.id));
  }
  return res;
}

boost::json::object JobJson(const JobView& v) {
  static constexpr const char* kStates[] = {"queued", "running", "done", "failed"};
  object o{{"id", v.id},
           {"state", kStates[static_cast<int>(v.state)]},
           {"done", v.done},
           {"total", v.total},
           {"file_name", v.file_name},
           {"status_url", "/api/v1/dashboard/report/" + v.id},
           {"pdf_url", PdfUrl(v.id)}};
  if (v.state == JobState::kFailed) o["error"] = v.error;
  return o;
}

}  // namespace

void RegisterReport(http::Router& router, accounts::Guard& guard, DashboardService& dashboard,
                    accountability::ScorecardService& scorecards,
                    accounts::DirectoryService& directory, const web::Templates& templates) {
  // Owned by the routes: lives as long as the router, which outlives the server's threads.
  auto r = std::make_shared<Reports>(guard, dashboard, scorecards, directory, templates);

  router.Post("/dashboard/report", [r](http::Request& req) {
    auto p = r->guard.Require(req);
    try {
      auto form = http::Form::Parse(req);
      Input in;
      in.month = form.GetOr("month");
      in.county = form.GetInt("county").value_or(0);
      in.agency = form.GetInt("agency").value_or(0);
      in.wait_ms = form.GetInt("wait").value_or(kDefaultWaitMs);
      std::string id = r->Start(p, in);
      auto v = r->Find(p, id, std::chrono::milliseconds(in.wait_ms));
      if (!v) Fail(ErrorCode::kNotFound, kGone);
      if (v->state == JobState::kDone && !req.IsHtmx()) return PdfResponse(*v);
      auto res = Progress(*r, req, p, *v, Running(*v) ? 202 : 200);
      // htmx: a file cannot be swapped into the page, so the browser is sent to fetch it.
      if (v->state == JobState::kDone) res.SetHeader("HX-Redirect", PdfUrl(id));
      return res;
    } catch (const AppError& e) {
      // In the page, the form's status line says what went wrong (app.js swaps 4xx/5xx
      // fragments into targets marked data-swap-errors).
      if (!req.IsHtmx() || e.error().code == ErrorCode::kUnauthenticated) throw;
      return Fragment(r->templates, ErrorContext(e), http::StatusFor(e.error().code));
    }
  });
  router.Get("/dashboard/report/{id}", [r](http::Request& req) {
    auto p = r->guard.Require(req);
    auto v = r->Find(p, req.PathParam("id"));
    if (!v) {
      if (req.IsHtmx()) return Fragment(r->templates, object{{"error", kGone}}, 404);
      Fail(ErrorCode::kNotFound, kGone);
    }
    return Progress(*r, req, p, *v, 200);
  });
  router.Get("/dashboard/report/{id}/pdf", [r](http::Request& req) {
    auto p = r->guard.Require(req);
    auto v = r->Find(p, req.PathParam("id"));
    if (!v) Fail(ErrorCode::kNotFound, kGone);
    if (v->state == JobState::kFailed) Fail(ErrorCode::kConflict, v->error);
    if (v->state != JobState::kDone) {
      Fail(ErrorCode::kConflict, "گزارش هنوز آماده نیست؛ کمی بعد دوباره بخواهید.");
    }
    return PdfResponse(*v);
  });

  router.Post("/api/v1/dashboard/report", [r](http::Request& req) {
    auto p = r->guard.Require(req);
    auto body = http::JsonBody(req);
    Input in;
    in.month = http::OptionalString(body, "month", 20).value_or("");
    in.county = http::OptionalInt(body, "county_id").value_or(0);
    in.agency = http::OptionalInt(body, "agency_id").value_or(0);
    in.wait_ms = http::OptionalInt(body, "wait_ms").value_or(kDefaultWaitMs);
    std::string id = r->Start(p, in);
    auto v = r->Find(p, id, std::chrono::milliseconds(in.wait_ms));
    if (!v) Fail(ErrorCode::kNotFound, kGone);
    return http::Response::Json(boost::json::serialize(JobJson(*v)),
                                v->state == JobState::kDone ? 200 : 202);
  });
  router.Get("/api/v1/dashboard/report/{id}", [r](http::Request& req) {
    auto p = r->guard.Require(req);
    // ?wait_ms=: answer as soon as the job finishes, or after that long (a long poll).
    auto wait = http::QueryInt(req, "wait_ms").value_or(0);
    if (wait < 0 || wait > kMaxWaitMs) {
      Fail(
          ErrorCode::kInvalid, "درخواست نامعتبر است.",
          {{"wait_ms",
            "زمان انتظار باید از ۰ تا ۱۰۰۰ میلی‌ثانیه باشد."}});
    }
    auto v = r->Find(p, req.PathParam("id"), std::chrono::milliseconds(wait));
    if (!v) Fail(ErrorCode::kNotFound, kGone);
    return http::Response::Json(boost::json::serialize(JobJson(*v)));
  });
}

}  // namespace peyvand::dashboard
