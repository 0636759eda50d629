#include "modules/funding/views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <ctime>

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "modules/funding/rules.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::funding::views {

using boost::json::array;
using boost::json::object;

namespace {

const char* FieldLabel(const std::string& f) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"council", "شورا"},
      {"number", "شماره"},
      {"date", "تاریخ جلسه"},
      {"title", "عنوان"},
      {"text", "متن"},
      {"seq", "شمارهٔ بند"},
      {"deadline", "مهلت"},
      {"agencies", "دستگاه‌های مسئول"},
      {"cost_rials", "اعتبار مورد نیاز"},
      {"amount_rials", "مبلغ"},
      {"stage", "مرحله"},
      {"note", "توضیح"},
      {"reason", "دلیل"},
      {"file", "فایل"},
      {"agency_id", "دستگاه"},
      {"status", "وضعیت"},
      {"expected_output", "خروجی مورد انتظار"}};
  for (const auto& [code, label] : kLabels) {
    if (f == code) return label;
  }
  return "";
}

// Stored text keeps its line breaks as "\n": one paragraph per line (no inline styles: CSP).
array Paragraphs(const std::string& text) {
  array out;
  for (const auto& line : SplitNonEmpty(text, '\n'))
    out.emplace_back(persian::ToPersianDigits(line));
  return out;
}

std::int64_t NowMillis() {
  return static_cast<std::int64_t>(std::time(nullptr)) * 1000;
}

object TaskView(const std::vector<pathway::Task>& tasks, std::int64_t agency, std::int64_t now) {
  for (const auto& t : tasks) {
    if (t.agency_id != agency) continue;
    auto state = ClauseTaskState(t.state, t.due_at, now);
    const char* label = TaskStateLabel(state);
    const char* css = state == TaskState::kDone      ? "text-bg-success"
                      : state == TaskState::kOverdue ? "text-bg-danger"
                      : state == TaskState::kOpen    ? "text-bg-warning"
                                                     : "text-bg-secondary";
    return {{"label", label},
            {"css", css},
            {"code", state == TaskState::kDone      ? "done"
                     : state == TaskState::kOverdue ? "overdue"
                     : state == TaskState::kOpen    ? "open"
                                                    : "closed"},
            {"due", persian::FormatJalaliDateTime(t.due_at / 1000)},
            {"outcome", t.outcome}};
  }
  return {{"label", "بی کار"}, {"css", "text-bg-light"}, {"code", "none"}, {"due", ""}};
}

array StageOptions(const accounts::Principal& p, const Clause& c) {
  array out;
  for (Stage s : kStages) {
    bool any = std::any_of(c.shares.begin(), c.shares.end(), [&](const Share& sh) {
      return FundingService::MayRecordAt(p, s, sh.agency_id);
    });
    if (any) out.push_back(object{{"code", StageCode(s)}, {"label", StageLabel(s)}});
  }
  return out;
}

array AgencyOptions(const accounts::Principal& p, const Clause& c) {
  array out;
  for (const auto& sh : c.shares) {
    bool any = std::any_of(std::begin(kStages), std::end(kStages), [&](Stage s) {
      return FundingService::MayRecordAt(p, s, sh.agency_id);
    });
    if (any) out.push_back(object{{"id", sh.agency_id}, {"name", sh.agency_name}});
  }
  return out;
}

}  // namespace

const char* TaskStateLabel(TaskState state) {
  return state == TaskState::kDone      ? "انجام شد"
         : state == TaskState::kOverdue ? "عقب‌افتاده"
         : state == TaskState::kOpen    ? "در دست اقدام"
                                        : "لغو شد";
}

ResolutionQuery ParseResolutionQuery(const http::Request& req) {
  ResolutionQuery q;
  q.text = req.Query("q").value_or("");
  auto council = http::QueryInt(req, "council_id");
  if (council && *council > 0) q.council_id = council;
  q.status = req.Query("status").value_or("");
  return q;
}

std::string Fa(std::int64_t n) {
  return persian::ToPersianDigits(std::to_string(n));
}

std::string Shown(const std::string& text) {
  return persian::ToPersianDigits(text);
}

std::string Money(std::int64_t n) {
  return persian::FormatNumber(n);
}

std::string JDay(std::int64_t day) {
  return persian::FormatJalali(persian::JalaliFromDays(day));
}

std::string Excerpt(const std::string& s, std::size_t bytes) {
  if (s.size() <= bytes) return s;
  return TruncateUtf8(s, bytes) + "…";
}

object Errors(const AppError& e) {
  array fields;
  for (const auto& f : e.error().fields) {
    std::string label = FieldLabel(f.field);
    fields.push_back(object{{"text", label.empty() ? f.message : label + ": " + f.message}});
  }
  return {{"message", e.error().message}, {"fields", fields}};
}

std::optional<std::int64_t> TypedAmount(const http::Form& f, const char* field) {
  return AmountText(f.GetOr(field), field);
}

std::optional<std::int64_t> AmountText(const std::string& text, const char* field) {
  std::string v = persian::ToAsciiDigits(text);
  std::string digits;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == ',' || c == ' ') {
      continue;
    } else if (v.compare(i, 2, "\xd9\xac") == 0 || v.compare(i, 2, "\xd8\x8c") == 0) {
      ++i;  // ٬ (Arabic thousands separator) or ، (Arabic comma)
    } else {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
           {{field, "مبلغ باید عددی مثبت به ریال باشد."}});
    }
  }
  if (digits.empty()) return std::nullopt;
  if (digits.size() > 16) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{field, "مبلغ از سقف مجاز بیشتر است."}});
  }
  return std::stoll(digits);
}

object TotalsView(const StageTotals& t) {
  object o;
  for (Stage s : kStages) o[StageCode(s)] = Money(Get(t, s));
  o["gap"] = Money(Gap(t));
  o["has_gap"] = Gap(t) > 0;
  return o;
}

object ExportLinks(std::string base, const std::vector<std::string>& tables) {
  array list;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    list.push_back(object{{"n", i}, {"name", tables[i]}});
  }
  return {{"base", std::move(base)}, {"tables", list}};
}

object ResolutionPage(FundingService& svc, accounts::DirectoryService& dir, accounts::Guard& guard,
                      const accounts::Principal& p, std::int64_t id, std::int64_t ledger_page) {
  auto v = svc.GetResolution(p, id);
  const auto& r = v.resolution;
  auto ctx = guard.PageContext(p, "مصوبهٔ " + Shown(r.number) + " — " + r.council_name);
  bool manage = FundingService::MayManage(p);
  ctx["may_manage"] = manage;
  ctx["resolution"] = object{{"id", r.id},
                             {"number", Shown(r.number)},
                             {"council", r.council_name},
                             {"date", JDay(r.day)},
                             {"title", Shown(r.title)},
                             {"title_raw", r.title},
                             {"text", r.body},
                             {"has_text", !r.body.empty()},
                             {"paragraphs", Paragraphs(r.body)},
                             {"status", StatusLabel(r.status)},
                             {"cancelled", r.status == "cancelled"}};
  array statuses;
  for (const char* s : kStatuses) {
    statuses.push_back(object{{"code", s}, {"label", StatusLabel(s)}, {"selected", r.status == s}});
  }
  ctx["statuses"] = statuses;

  std::int64_t now = NowMillis();
  StageTotals all;
  array clauses;
  int next_seq = 1;
  for (const auto& cv : v.clauses) {
    const Clause& c = cv.clause;
    next_seq = std::max(next_seq, c.seq + 1);
    bool active = c.status == "active";
    array shares;
    StageTotals sum;
    for (const auto& s : c.shares) {
      object o = TotalsView(s.totals);
      o["agency_id"] = s.agency_id;
      o["agency"] = s.agency_name;
      o["task"] = TaskView(cv.tasks, s.agency_id, now);
      shares.push_back(o);
      for (Stage st : kStages) At(sum, st) += Get(s.totals, st);
    }
    if (active) {
      for (Stage st : kStages) At(all, st) += Get(sum, st);
    }
    object o{{"id", c.id},
             {"seq", Fa(c.seq)},
             {"text", c.body},
             {"paragraphs", Paragraphs(c.body)},
             {"expected_output", Shown(c.expected_output)},
             {"has_output", !c.expected_output.empty()},
             {"deadline", JDay(c.deadline_day)},
             {"late", active && c.deadline_day < svc.Today()},
             {"active", active},
             {"withdraw_reason", Shown(c.withdraw_reason)},
             {"shares", shares},
             {"totals", TotalsView(sum)},
             {"may_withdraw", manage && active}};
    if (active && r.status != "cancelled") {
      auto stages = StageOptions(p, c);
      auto agencies = AgencyOptions(p, c);
      if (!stages.empty() && !agencies.empty()) {
        o["entry_form"] = object{{"stages", stages}, {"agencies", agencies}};
      }
    }
    clauses.push_back(o);
  }
  ctx["clauses"] = clauses;
  ctx["no_clauses"] = clauses.empty();
  ctx["exports"] =
      ExportLinks("/resolutions/" + std::to_string(id) + "?", {"بندها", "دفتر اعتبار"});
  ctx["totals"] = TotalsView(all);

  // The ledger of the whole resolution, newest first.
  accounts::Paging paging;
  paging.page = std::max<std::int64_t>(1, ledger_page);
  store::EntryFilter f;
  f.resolution_id = id;
  auto ledger = svc.Ledger(f, paging.per_page, paging.offset());
  array entries;
  for (const auto& e : ledger.items) {
    bool reversible = !e.reverses_entry_id && !e.reversed_by &&
                      FundingService::MayRecordAt(p, e.stage, e.agency_id);
    object o{{"id", e.id},
             {"id_fa", Fa(e.id)},
             {"at", persian::FormatJalaliDateTime(e.created_at / 1000)},
             {"clause_seq", Fa(e.clause_seq)},
             {"clause_id", e.clause_id},
             {"agency", e.agency_name},
             {"stage", StageLabel(e.stage)},
             {"amount", Money(e.amount)},
             {"negative", e.amount < 0},
             {"note", Shown(e.note)},
             {"user", e.user_name.empty() ? std::string("سامانه") : e.user_name},
             {"may_reverse", reversible}};
    if (e.reverses_entry_id) o["reverses"] = Fa(*e.reverses_entry_id);
    if (e.reversed_by) o["reversed_by"] = Fa(*e.reversed_by);
    entries.push_back(o);
  }
  ctx["entries"] = entries;
  ctx["no_entries"] = entries.empty();
  ctx["ledger_pager"] =
      accounts::PageLinks(paging, ledger.total, {}, "/resolutions/" + std::to_string(id));

  if (!v.documents.empty()) {
    array docs;
    for (const auto& d : v.documents) {
      docs.push_back(
          object{{"file_name", d.file_name},
                 {"size", Money((d.size + 1023) / 1024)},
                 {"sha256", d.sha256},
                 {"at", persian::FormatJalaliDateTime(d.uploaded_at / 1000)},
                 {"by", d.uploader_name.empty() ? std::string("سامانه") : d.uploader_name}});
    }
    ctx["document"] = docs[0];
    ctx["documents"] = docs;
    ctx["older_documents"] = docs.size() > 1;
  }
  if (manage) {
    array agencies;
    for (const auto& a : dir.ListAgencies(p)) {
      if (a.active) agencies.push_back(object{{"id", a.id}, {"name", a.name}});
    }
    ctx["agency_options"] = agencies;
    ctx["share_rows"] =
        array{object{{"n", 1}}, object{{"n", 2}}, object{{"n", 3}}, object{{"n", 4}}};
    ctx["next_seq"] = next_seq;
  }
  return ctx;
}

object ResolutionsPage(FundingService& svc, accounts::Guard& guard, const accounts::Principal& p,
                       const http::Request& req) {
  auto paging = accounts::ParsePaging(req);
  paging.per_page = std::min<std::int64_t>(paging.per_page, 50);
  ResolutionQuery q = ParseResolutionQuery(req);
  auto page = svc.ListResolutions(p, q, paging.per_page, paging.offset());
  auto ctx = guard.PageContext(p, "مصوبات شوراها");
  array rows;
  for (const auto& r : page.items) {
    rows.push_back(object{{"id", r.id},
                          {"number", Shown(r.number)},
                          {"council", r.council_name},
                          {"date", JDay(r.day)},
                          {"title", Shown(r.title)},
                          {"status", StatusLabel(r.status)},
                          {"cancelled", r.status == "cancelled"},
                          {"clauses", Fa(r.clause_count)},
                          {"needed", Money(r.needed)},
                          {"allocated", Money(r.allocated)},
                          {"gap", Money(r.needed - r.allocated)},
                          {"has_gap", r.needed > r.allocated}});
  }
  ctx["rows"] = rows;
  ctx["empty"] = rows.empty();
  ctx["filtered"] = !q.text.empty() || q.council_id || !q.status.empty();
  ctx["q"] = q.text;
  array councils{object{{"id", ""}, {"name", "همهٔ شوراها"}, {"selected", !q.council_id}}};
  array form_councils;
  for (const auto& c : svc.Councils()) {
    councils.push_back(object{{"id", std::to_string(c.id)},
                              {"name", c.name},
                              {"selected", q.council_id && *q.council_id == c.id}});
    form_councils.push_back(object{{"code", c.code}, {"name", c.name}});
  }
  ctx["councils"] = councils;
  array statuses{object{
      {"code", ""}, {"label", "همهٔ وضعیت‌ها"}, {"selected", q.status.empty()}}};
  for (const char* s : kStatuses) {
    statuses.push_back(object{{"code", s}, {"label", StatusLabel(s)}, {"selected", q.status == s}});
  }
  ctx["statuses"] = statuses;
  std::vector<std::pair<std::string, std::string>> filters{
      {"q", q.text},
      {"council_id", q.council_id ? std::to_string(*q.council_id) : ""},
      {"status", q.status}};
  ctx["pager"] = accounts::PageLinks(paging, page.total, filters, "/resolutions");
  ctx["exports"] = ExportLinks("/resolutions?" + http::QueryString(filters) + "&", {"مصوبات"});
  if (FundingService::MayManage(p)) {
    ctx["may_manage"] = true;
    ctx["form_councils"] = form_councils;
    ctx["today"] = JDay(svc.Today());
  }
  return ctx;
}

}  // namespace peyvand::funding::views
