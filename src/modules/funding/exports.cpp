#include "modules/funding/exports.hpp"

#include <ctime>

#include "modules/funding/rules.hpp"
#include "modules/funding/views.hpp"
#include "persian/jalali.hpp"

namespace peyvand::funding::exports {
namespace {

// Jalali with ASCII digits, as spreadsheets sort and filter them: 1405/07/21.
std::string Day(std::int64_t day) {
  return persian::FormatJalali(persian::JalaliFromDays(day), false);
}

std::vector<std::string> With(std::vector<std::string> headers, bool gap) {
  for (Stage s : kStages) headers.emplace_back(StageLabel(s));
  if (gap) headers.emplace_back("کسری تخصیص");
  return headers;
}

std::vector<web::Cell> With(std::vector<web::Cell> row, const StageTotals& t, bool gap) {
  for (Stage s : kStages) row.emplace_back(Get(t, s));
  if (gap) row.emplace_back(Gap(t));
  return row;
}

const char* TaskOf(const ClauseView& cv, std::int64_t agency, std::int64_t now) {
  for (const auto& t : cv.tasks) {
    if (t.agency_id == agency)
      return views::TaskStateLabel(ClauseTaskState(t.state, t.due_at, now));
  }
  return "";
}

}  // namespace

web::Table Resolutions(FundingService& svc, const accounts::Principal& p,
                       const ResolutionQuery& q) {
  web::Table t{"مصوبات",
               {"شناسه", "شورا", "شماره", "تاریخ جلسه", "عنوان", "وضعیت", "بندها", "نیاز", "تخصیص",
                "کسری تخصیص"},
               {}};
  for (const auto& r : svc.ListResolutions(p, q, kMaxRows, 0).items) {
    t.rows.push_back({web::Cell(r.id), web::Cell(r.council_name), web::Cell(r.number),
                      web::Cell(Day(r.day)), web::Cell(r.title), web::Cell(StatusLabel(r.status)),
                      web::Cell(r.clause_count), web::Cell(r.needed), web::Cell(r.allocated),
                      web::Cell(r.needed - r.allocated)});
  }
  return t;
}

std::vector<web::Table> Resolution(FundingService& svc, const accounts::Principal& p,
                                   std::int64_t id) {
  auto v = svc.GetResolution(p, id);
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr)) * 1000;
  web::Table clauses{
      "بندها", With({"بند", "متن", "مهلت", "وضعیت بند", "دستگاه مسئول", "کار دستگاه"}, true), {}};
  for (const auto& cv : v.clauses) {
    const Clause& c = cv.clause;
    for (const auto& s : c.shares) {
      clauses.rows.push_back(
          With({web::Cell(std::int64_t{c.seq}), web::Cell(c.body), web::Cell(Day(c.deadline_day)),
                web::Cell(c.status == "active" ? "فعال" : "پس گرفته"), web::Cell(s.agency_name),
                web::Cell(TaskOf(cv, s.agency_id, now))},
               s.totals, true));
    }
  }
  web::Table ledger{"دفتر اعتبار",
                    {"شناسه", "زمان", "بند", "دستگاه", "مرحله", "مبلغ (ریال)", "برگرداندهٔ",
                     "برگردانده با", "توضیح", "ثبت‌کننده"},
                    {}};
  store::EntryFilter f;
  f.resolution_id = id;
  for (const auto& e : svc.Ledger(f, kMaxRows, 0).items) {
    ledger.rows.push_back(
        {web::Cell(e.id), web::Cell(persian::FormatJalaliDateTime(e.created_at / 1000)),
         web::Cell(std::int64_t{e.clause_seq}), web::Cell(e.agency_name),
         web::Cell(StageLabel(e.stage)), web::Cell(e.amount),
         e.reverses_entry_id ? web::Cell(*e.reverses_entry_id) : web::Cell(""),
         e.reversed_by ? web::Cell(*e.reversed_by) : web::Cell(""), web::Cell(e.note),
         web::Cell(e.user_name.empty() ? std::string("سامانه") : e.user_name)});
  }
  return {clauses, ledger};
}

web::Table Unfunded(FundingService& svc, const UnfundedFilter& f) {
  web::Table t{"بدون پشتوانهٔ مالی",
               {"شورا", "شمارهٔ مصوبه", "تاریخ جلسه", "عنوان", "بند", "متن بند", "مهلت", "نیاز",
                "تخصیص", "کسری"},
               {}};
  for (const auto& u : svc.Unfunded(f, kMaxRows, 0)) {
    t.rows.push_back({web::Cell(u.council_name), web::Cell(u.number),
                      web::Cell(Day(u.resolution_day)), web::Cell(u.title),
                      web::Cell(std::int64_t{u.seq}), web::Cell(u.body),
                      web::Cell(Day(u.deadline_day)), web::Cell(u.needed), web::Cell(u.allocated),
                      web::Cell(u.gap)});
  }
  return t;
}

std::vector<web::Table> Agency(FundingService& svc, std::int64_t agency_id) {
  auto a = svc.AgencyFundingOf(agency_id, kMaxRows, 0);
  web::Table totals{
      "جمع", With({"دستگاه"}, true), {With({web::Cell(a.agency.name)}, a.totals, true)}};
  web::Table shares{
      "سهم‌ها",
      With({"شورا", "شمارهٔ مصوبه", "عنوان", "بند", "متن بند", "مهلت", "وضعیت بند"}, true),
      {}};
  for (const auto& s : a.shares) {
    shares.rows.push_back(With({web::Cell(s.council_name), web::Cell(s.number), web::Cell(s.title),
                                web::Cell(std::int64_t{s.clause_seq}), web::Cell(s.clause_body),
                                web::Cell(Day(s.deadline_day)),
                                web::Cell(s.clause_status == "active" ? "فعال" : "پس گرفته")},
                               s.share.totals, true));
  }
  return {totals, shares};
}

}  // namespace peyvand::funding::exports
