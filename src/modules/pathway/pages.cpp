#include "modules/pathway/pages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "modules/accounts/api.hpp"
#include "modules/pathway/api.hpp"
#include "modules/pathway/rules.hpp"
#include "modules/people/pages.hpp"
#include "modules/people/rules.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::pathway {
namespace {

using accounts::Role;
using boost::json::array;
using boost::json::object;

const accounts::RoleSet kWorkers{Role::kOperator, Role::kAgencyManager};

std::string Fa(std::int64_t n) {
  return persian::ToPersianDigits(std::to_string(n));
}
// An inbox count; at the cap it means "at least".
std::string CountFa(std::int64_t n) {
  return persian::FormatNumber(n) + (n >= store::kInboxCountCap ? "+" : "");
}
std::string JDay(std::int64_t day) {
  return persian::FormatJalali(persian::JalaliFromDays(day));
}
std::string JTime(std::int64_t ms) {
  return persian::FormatJalaliDateTime(ms / 1000);
}
std::string Id(std::int64_t v) {
  return std::to_string(v);
}
std::int64_t NowMillis() {
  return static_cast<std::int64_t>(time(nullptr)) * 1000;
}

http::Response Back(const std::string& to) {
  return http::Response::Redirect(to);
}

// A number typed by a person: Persian, Arabic-Indic or ASCII digits. Empty → nullopt.
std::optional<std::int64_t> TypedInt(const http::Form& f, const char* field) {
  std::string v = persian::ToAsciiDigits(f.GetOr(field));
  while (!v.empty() && v.back() == ' ') v.pop_back();
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  if (v.empty()) return std::nullopt;
  if (v.size() > 9 ||
      !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", {{field, "باید عدد باشد."}});
  }
  return std::stoll(v);
}

// "?view=open&page=2" links for a paged list.
object PagerJson(const accounts::Paging& paging, std::int64_t total,
                 std::vector<std::pair<std::string, std::string>> params, const std::string& path) {
  std::int64_t pages = std::max<std::int64_t>(1, (total + paging.per_page - 1) / paging.per_page);
  bool capped = total >= store::kInboxCountCap;
  object o{{"page", Fa(paging.page)},
           {"pages", Fa(pages) + (capped ? "+" : "")},
           {"total", CountFa(total)}};
  auto link = [&](std::int64_t page) {
    auto q = params;
    q.emplace_back("page", std::to_string(page));
    return path + "?" + http::QueryString(q);
  };
  if (paging.page > 1) o["prev"] = link(paging.page - 1);
  if (paging.page < pages || capped) o["next"] = link(paging.page + 1);
  o["many"] = pages > 1;
  return o;
}

object TaskView(const Task& t, std::int64_t now) {
  object o{{"id", t.id},
           {"kind", TaskKindLabel(t.kind)},
           {"kind_code", t.kind},
           {"stage", StageLabel(t.stage)},
           {"due", JTime(t.due_at)},
           {"state", t.state},
           {"outcome", t.outcome}};
  if (t.episode_id) o["episode_id"] = *t.episode_id;
  if (t.complaint_id) o["complaint_id"] = *t.complaint_id;
  if (t.clause_id) o["clause_id"] = *t.clause_id;
  bool active = t.state == "new" || t.state == "open";
  auto bucket = BucketOf(t.due_at, now);
  o["overdue"] = active && bucket == Bucket::kOverdue;
  o["today"] = active && bucket == Bucket::kDueToday;
  o["state_label"] = t.state == "new"        ? "تازه"
                     : t.state == "open"     ? "در دست اقدام"
                     : t.state == "done"     ? "انجام شد"
                     : t.state == "rejected" ? "رد شد"
                     : t.state == "revoked"  ? "پس گرفته شد"
                                             : "لغو شد";
  return o;
}

const char* ReferralStatusLabel(const std::string& s) {
  if (s == "pending") return "در انتظار پاسخ";
  if (s == "accepted") return "پذیرفته شد";
  if (s == "rejected") return "رد شد";
  if (s == "done") return "انجام شد";
  return "پس گرفته شد";
}

const char* PartLabel(const std::string& p) {
  if (p == "pathway") return "مسیر و مراحل";
  if (p == "screening") return "غربالگری";
  if (p == "order") return "دستورهای قضایی";
  if (p == "stay") return "پذیرش و ترخیص";
  if (p == "service") return "خدمات";
  if (p == "medical") return "اطلاعات پزشکی";
  return "";
}

const char* FacilityKindLabel(const std::string& k) {
  if (k == "treatment_centre") return "مرکز درمان و بازتوانی";
  if (k == "shelter") return "گرمخانه";
  if (k == "camp") return "اردوگاه";
  if (k == "hospital") return "بیمارستان";
  return "بند ویژهٔ زندان";
}

object FacilityView(const Facility& f) {
  return {{"id", f.id},
          {"agency_id", f.agency_id},
          {"capacity_male_n", f.capacity_male},
          {"capacity_female_n", f.capacity_female},
          {"code", f.code},
          {"name", f.name},
          {"kind", FacilityKindLabel(f.kind)},
          {"agency", f.agency_name},
          {"county", f.county_name},
          {"capacity_male", Fa(f.capacity_male)},
          {"capacity_female", Fa(f.capacity_female)},
          {"occupied_male", Fa(f.occupied_male)},
          {"occupied_female", Fa(f.occupied_female)},
          {"vacant_male", Fa(Vacancy(f, "male"))},
          {"vacant_female", Fa(Vacancy(f, "female"))},
          {"full_male", f.capacity_male > 0 && Vacancy(f, "male") <= 0},
          {"full_female", f.capacity_female > 0 && Vacancy(f, "female") <= 0},
          {"active", f.active}};
}

// The agencies a referral can go to (every active one but the sender).
array AgencyOptions(accounts::DirectoryService& dir, const accounts::Principal& p) {
  array out;
  for (const auto& a : dir.ListAgencies(p)) {
    if (a.active && a.id != p.agency_id) out.push_back(object{{"id", a.id}, {"name", a.name}});
  }
  return out;
}

// The episode page: the timeline as the viewer may see it and the actions
// the viewer's duty allows at this stage.
// The read's audit entry commits while the page renders: with `audited`, the caller hands it to
// the response; without, it is waited for here.
object EpisodeContext(PathwayService& svc, accounts::DirectoryService& dir, accounts::Guard& guard,
                      const accounts::Principal& p, std::int64_t id,
                      std::function<void()>* audited = nullptr) {
  auto v = svc.GetEpisode(p, id);
  if (audited) {
    *audited = std::move(v.audited);
  } else {
    v.audited();
  }
  auto prog = svc.GetProgramme();
  const auto& e = v.episode;
  std::int64_t now = NowMillis();
  auto ctx = guard.PageContext(p, "پرونده " + Fa(e.id));
  ctx["episode"] = object{{"id", e.id},
                          {"id_fa", Fa(e.id)},
                          {"stage", StageLabel(e.stage)},
                          {"open", e.status == "open"},
                          {"collected", JTime(e.collected_at)},
                          {"place", e.place},
                          {"prior", Fa(e.prior_episodes)},
                          {"has_prior", e.prior_episodes > 0},
                          {"close_reason", e.close_reason.value_or("")}};
  ctx["person"] = object{{"id", v.person.id},
                         {"name", v.person.identity.first_name + " " + v.person.identity.last_name},
                         {"father_name", v.person.identity.father_name}};
  // Stage progress as data: every stage of the programme, the current marked.
  array stages;
  int current = 0;
  for (const auto& s : prog.stages)
    if (s.code == e.stage) current = s.seq;
  for (const auto& s : prog.stages) {
    if (s.code == "closed") continue;
    stages.push_back(
        object{{"name", s.name}, {"done", s.seq < current}, {"current", s.seq == current}});
  }
  ctx["stages"] = stages;
  array events;
  for (const auto& ev : v.events) {
    events.push_back(object{{"at", JTime(ev.at)},
                            {"agency", ev.agency_name},
                            {"user", ev.user_name},
                            {"stage", StageLabel(ev.stage)},
                            {"detail", ev.detail}});
  }
  ctx["events"] = events;
  array orders;
  const Order* placement = nullptr;
  bool extended = false;
  for (const auto& o : v.orders) {
    if (o.kind == OrderKind::kPlacement) placement = &o;
    if (o.kind == OrderKind::kExtension) extended = true;
    orders.push_back(object{{"kind", OrderKindLabel(o.kind)},
                            {"reference", o.reference},
                            {"months", Fa(o.months)},
                            {"start", JDay(o.start_day)},
                            {"end", JDay(o.end_day)},
                            {"issued", JDay(o.issued_day)}});
  }
  ctx["orders"] = orders;
  ctx["sees_orders"] = v.view.Sees("order");
  // Facilities only matter to a worker who may discharge or admit.
  std::map<std::int64_t, Facility> facilities;
  bool worker = p.roles.HasAny(kWorkers);
  bool open = e.status == "open";
  if (worker && (!v.stays.empty() || (open && e.stage == "admission"))) {
    for (auto& f : svc.Facilities(p)) facilities[f.id] = f;
  }
  // One read for every agency name the page shows.
  std::map<std::int64_t, std::string> agency_names;
  if (!v.referrals.empty() || !v.tasks.empty()) {
    for (const auto& a : dir.ListAgencies(p)) agency_names[a.id] = a.name;
  }
  array stays;
  for (const auto& s : v.stays) {
    std::int64_t last = s.discharged_day.value_or(v.today);
    object o{{"id", s.id},
             {"facility", s.facility_name},
             {"admitted", JDay(s.admitted_day)},
             {"legal_end", JDay(s.legal_end_day)},
             {"discharged", s.discharged_day ? JDay(*s.discharged_day) : ""},
             {"open", !s.discharged_day},
             {"past", last > s.legal_end_day},
             {"days_past", Fa(last - s.legal_end_day)},
             {"over_capacity", s.over_capacity_reason}};
    o["may_discharge"] = !s.discharged_day && facilities.count(s.facility_id) &&
                         facilities[s.facility_id].agency_id == p.agency_id && worker;
    stays.push_back(o);
  }
  ctx["stays"] = stays;
  ctx["sees_stays"] = v.view.Sees("stay");
  array referrals;
  for (const auto& r : v.referrals) {
    array shared;
    for (const auto& part : r.shared) shared.push_back(boost::json::string(PartLabel(part)));
    bool to_me = r.to_agency == p.agency_id;
    bool from_me = r.from_agency == p.agency_id;
    referrals.push_back(object{
        {"id", r.id},
        {"from", agency_names[r.from_agency]},
        {"to", agency_names[r.to_agency]},
        {"purpose", r.purpose},
        {"basis", r.basis == "consent" ? "رضایت مددجو" : "حکم قانونی: " + r.legal_basis},
        {"shared", shared},
        {"status", ReferralStatusLabel(r.status)},
        {"reason", r.reason},
        {"outcome", r.outcome},
        {"may_answer", worker && to_me && r.status == "pending"},
        {"may_complete", worker && to_me && r.status == "accepted"},
        {"may_revoke", worker && from_me && (r.status == "pending" || r.status == "accepted")}});
  }
  ctx["referrals"] = referrals;
  array tasks;
  auto holds = [&](const char* kind) {
    return worker && std::any_of(v.tasks.begin(), v.tasks.end(), [&](const Task& t) {
             return t.kind == kind && t.agency_id == p.agency_id &&
                    (t.state == "new" || t.state == "open");
           });
  };
  for (const auto& t : v.tasks) {
    object o = TaskView(t, now);
    o["agency"] = agency_names[t.agency_id];
    bool mine = t.agency_id == p.agency_id && (t.state == "new" || t.state == "open");
    bool direct = t.kind.rfind("aftercare_", 0) == 0 || t.kind == "employment";
    o["may_complete"] = worker && mine && direct;
    tasks.push_back(o);
  }
  ctx["tasks"] = tasks;
  // Actions.
  ctx["may_transfer"] = open && holds("transfer");
  if (open && holds("screening")) {
    array outcomes;
    for (const auto& o : prog.outcomes)
      outcomes.push_back(object{{"code", o.code}, {"name", o.name}});
    ctx["screening_outcomes"] = outcomes;
    ctx["has_screening"] = true;
  }
  bool judiciary = v.agency_code == "judiciary";
  ctx["may_order"] = open && holds("order");
  ctx["may_extend"] = open && judiciary && worker && placement && !extended &&
                      (e.stage == "admission" || e.stage == "treatment");
  if (placement) ctx["placement_id"] = placement->id;
  if (open && e.stage == "admission" && worker) {
    array suggestions;
    for (const auto& f : svc.Suggest(p, e.id)) {
      object o = FacilityView(f);
      o["mine"] = f.agency_id == p.agency_id;
      suggestions.push_back(o);
    }
    ctx["suggestions"] = suggestions;
    ctx["has_suggestions"] = true;
    array mine;
    for (const auto& [fid, f] : facilities)
      if (f.agency_id == p.agency_id && f.active) mine.push_back(FacilityView(f));
    ctx["my_facilities"] = mine;
    ctx["may_admit"] = !mine.empty();
  }
  ctx["may_service"] = open && worker && (v.view.Sees("service") || v.view.medical);
  ctx["medical_services"] = v.agency_code == "health";
  ctx["may_refer"] = open && worker && v.view.any;
  if (open && worker) ctx["agencies"] = AgencyOptions(dir, p);
  ctx["limited"] = !v.view.full;
  array parts;
  for (const auto& part : v.view.parts) parts.push_back(boost::json::string(PartLabel(part)));
  ctx["shared_parts"] = parts;
  ctx["coordinator"] = p.roles.Has(Role::kCoordinator);
  return ctx;
}

// What the facilities page offers to those who manage facilities.
void FacilityForms(object& ctx, const accounts::Principal& p, accounts::DirectoryService& dir) {
  bool admin = p.roles.Has(Role::kSystemAdmin);
  bool manager = p.roles.Has(Role::kAgencyManager);
  if (!admin && !manager) return;
  array agencies, counties;
  for (const auto& a : dir.ListAgencies(p)) {
    if (a.active && (admin || a.id == p.agency_id)) {
      agencies.push_back(object{{"id", a.id}, {"name", a.name}});
    }
  }
  for (const auto& c : dir.ListCounties(p))
    counties.push_back(object{{"id", c.id}, {"name", c.name}});
  ctx["manage"] = object{{"agencies", agencies}, {"counties", counties}};
  for (auto& row : ctx["rows"].as_array()) {
    auto& o = row.as_object();
    o["editable"] = admin || (manager && o["agency_id"].as_int64() == p.agency_id);
  }
}

const char* NoticeFor(const std::string& code) {
  if (code == "transfer") return "پرونده به غربالگری تحویل شد.";
  if (code == "screening") return "نتیجهٔ غربالگری ثبت شد.";
  if (code == "order") return "دستور قضایی ثبت شد.";
  if (code == "admission") return "پذیرش ثبت شد.";
  if (code == "discharge")
    return "ترخیص ثبت شد و پیگیری‌های پس از خروج زمان‌بندی شد.";
  if (code == "service") return "خدمت ثبت شد.";
  if (code == "referral") return "ارجاع به صف دستگاه گیرنده فرستاده شد.";
  if (code == "answer") return "پاسخ ارجاع ثبت شد.";
  if (code == "task") return "کار انجام شد.";
  if (code == "created") return "جمع‌آوری ثبت و پرونده باز شد.";
  return "";
}

}  // namespace

void RegisterPages(http::Router& r, accounts::Guard& guard, PathwayService& svc,
                   people::PeopleService& people, accounts::DirectoryService& dir,
                   const web::Templates& t) {
  RegisterDuties(r, guard, svc, dir, t);
  guard.AddNavHook([](const accounts::Principal& p, array& nav) {
    auto add = [&](const char* href, const char* label) {
      nav.push_back(object{{"href", href}, {"label", label}});
    };
    if (p.roles.HasAny(kWorkers)) add("/inbox", "کارتابل");
    add("/facilities", "مراکز");
    add("/duties", "وظایف");
    if (p.roles.Has(Role::kCoordinator)) {
      add("/stays/overdue", "نگهداری بیش از مهلت");
      add("/person-pairs", "موارد تکراری");
    }
  });
  guard.AddHomeHook([&svc](const accounts::Principal& p, object& ctx) {
    if (p.roles.HasAny(kWorkers)) {
      auto inbox = svc.Inbox(p, "new", "", 1, 0);
      ctx["inbox"] = object{{"new", CountFa(inbox.count_new)},
                            {"today", CountFa(inbox.count_today)},
                            {"overdue", CountFa(inbox.count_overdue)},
                            {"has_overdue", inbox.count_overdue > 0}};
    }
    if (p.roles.Has(Role::kCoordinator)) {
      auto page = svc.OverdueStays(p, 5, 0);
      array rows;
      for (const auto& s : page.stays) {
        rows.push_back(object{{"episode_id", s.stay.episode_id},
                              {"name", s.first_name + " " + s.last_name},
                              {"facility", s.stay.facility_name},
                              {"legal_end", JDay(s.stay.legal_end_day)},
                              {"days", Fa(page.today - s.stay.legal_end_day)}});
      }
      ctx["overdue_stays"] =
          object{{"count", Fa(page.total)}, {"any", page.total > 0}, {"rows", rows}};
    }
  });

  r.Get("/inbox", [&](http::Request& req) {
    auto p = guard.Require(req, kWorkers);
    std::string view = req.Query("view").value_or("open");
    std::string kind = req.Query("kind").value_or("");
    auto paging = accounts::ParsePaging(req);
    paging.per_page = std::min<std::int64_t>(paging.per_page, 50);
    auto page = svc.Inbox(p, view, kind, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "کارتابل");
    std::int64_t now = NowMillis();
    array rows;
    for (const auto& it : page.items) {
      object o = TaskView(it.task, now);
      o["person"] = it.first_name + " " + it.last_name;
      o["has_person"] = !it.first_name.empty() || !it.last_name.empty();
      o["from"] = it.from_agency;
      o["purpose"] = it.purpose;
      rows.push_back(o);
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    array tabs;
    struct Tab {
      const char* code;
      const char* label;
      std::int64_t count;
    };
    std::int64_t done = view == "done" ? page.total : -1;
    for (const Tab& tab :
         {Tab{"new", "تازه", page.count_new}, Tab{"today", "سررسید امروز", page.count_today},
          Tab{"overdue", "عقب‌افتاده", page.count_overdue},
          Tab{"open", "همهٔ کارهای باز", page.count_open},
          Tab{"done", "انجام‌شده", done}}) {
      object o{{"code", tab.code},
               {"label", tab.label},
               {"active", view == tab.code},
               {"danger", std::string(tab.code) == "overdue" && tab.count > 0},
               {"href", "/inbox?" + http::QueryString({{"view", tab.code}, {"kind", kind}})}};
      if (tab.count >= 0) o["count"] = CountFa(tab.count);
      tabs.push_back(o);
    }
    ctx["tabs"] = tabs;
    array kinds{object{{"code", ""}, {"label", "همهٔ انواع"}, {"selected", kind.empty()}}};
    for (const char* k : {"transfer", "screening", "order", "admission", "stay_end", "referral",
                          "aftercare_1", "aftercare_3", "aftercare_6", "employment", "complaint",
                          "resolution"}) {
      kinds.push_back(object{{"code", k}, {"label", TaskKindLabel(k)}, {"selected", kind == k}});
    }
    ctx["kinds"] = kinds;
    ctx["view"] = view;
    if (auto done = req.Query("done")) {
      const char* notice = NoticeFor(*done);
      if (*notice) ctx["notice"] = notice;
    }
    ctx["pager"] = PagerJson(paging, page.total, {{"view", view}, {"kind", kind}}, "/inbox");
    return t.Page("inbox", ctx);
  });

  auto collect_form = [&guard, &dir](const accounts::Principal& p, object form) {
    auto ctx = guard.PageContext(p, "ثبت جمع‌آوری");
    array counties;
    std::string chosen =
        form.contains("county_id") ? std::string(form["county_id"].as_string()) : "";
    for (const auto& c : dir.ListCounties(p)) {
      counties.push_back(object{{"id", c.id}, {"name", c.name}, {"selected", Id(c.id) == chosen}});
    }
    ctx["counties"] = counties;
    ctx["form"] = std::move(form);
    return ctx;
  };
  r.Get("/episodes/new", [&, collect_form](http::Request& req) {
    auto p = guard.Require(req, kWorkers);
    object form{{"sex_male", true}, {"nationality", "IR"}};
    if (auto pid = http::QueryInt(req, "person_id")) {
      // Re-collection of a person the operator has in front of them.
      auto person = people.Get(p, *pid);
      form["person_id"] = person.id;
      form["person_name"] = person.identity.first_name + " " + person.identity.last_name;
    }
    if (p.county_id) form["county_id"] = Id(*p.county_id);
    return t.Page("collect", collect_form(p, form));
  });
  r.Post("/episodes/new", [&, collect_form](http::Request& req) {
    auto p = guard.Require(req, kWorkers);
    auto f = http::Form::Parse(req);
    object form;
    for (const char* k :
         {"first_name", "last_name", "father_name", "national_code", "birth_year", "other_id",
          "nationality", "county_id", "place", "collected_on", "aliases"}) {
      form[k] = f.GetOr(k);
    }
    std::string sex = f.GetOr("sex", "unknown");
    form["sex"] = sex;
    form["sex_male"] = sex == "male";
    form["sex_female"] = sex == "female";
    form["sex_unknown"] = sex != "male" && sex != "female";
    CollectionInput in;
    auto ctx_error = [&](const AppError& e) {
      auto ctx = collect_form(p, form);
      ctx["errors"] = accounts::ErrorsJson(e);
      return ctx;
    };
    try {
      in.county_id = f.GetInt("county_id");
      in.place = f.GetOr("place");
      in.collected_day = ParseDayText(f.GetOr("collected_on"), "collected_on");
      in.person_id = f.GetInt("person_id");
      if (in.person_id) {
        form["person_id"] = *in.person_id;
      } else {
        people::NewPerson np;
        np.identity.first_name = f.GetOr("first_name");
        np.identity.last_name = f.GetOr("last_name");
        np.identity.father_name = f.GetOr("father_name");
        std::string code = f.GetOr("national_code");
        if (!code.empty()) np.identity.national_code = code;
        np.identity.sex = people::SexFromCode(sex).value_or(people::Sex::kUnknown);
        std::string year = persian::ToAsciiDigits(f.GetOr("birth_year"));
        if (!year.empty()) {
          if (year.size() > 4 || !std::all_of(year.begin(), year.end(), ::isdigit)) {
            Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
                 {{"birth_year", "سال تولد باید عدد باشد (مانند ۱۳۶۵)."}});
          }
          np.identity.birth_year = std::stoi(year);
        }
        np.other_id = f.GetOr("other_id");
        np.nationality = f.GetOr("nationality", "IR");
        in.person = np;
        in.confirm_new = f.Get("confirm_new").has_value();
        // Before saving, show who he may already be, with the evidence.
        if (!in.confirm_new) {
          auto candidates = people.Candidates(p, np);
          if (!candidates.empty()) {
            auto ctx = collect_form(p, form);
            array rows;
            for (const auto& c : candidates) {
              array reasons;
              for (const auto& reason : c.score.reasons) {
                reasons.push_back(object{{"field", people::ReasonFieldLabel(reason.field)},
                                         {"result", people::ReasonResultLabel(reason.result)}});
              }
              rows.push_back(object{
                  {"id", c.person.id},
                  {"name", c.person.identity.first_name + " " + c.person.identity.last_name},
                  {"father_name", c.person.identity.father_name},
                  {"birth_year", c.person.identity.birth_year ? Fa(*c.person.identity.birth_year)
                                                              : std::string()},
                  {"score", Fa(c.score.score)},
                  {"strong", c.band == people::MatchBand::kStrong},
                  {"reasons", reasons}});
            }
            ctx["candidates"] = rows;
            ctx["has_candidates"] = true;
            return t.Page("collect", ctx);
          }
        }
      }
      auto e = svc.Collect(p, in);
      return Back("/episodes/" + Id(e.id) + "?done=created");
    } catch (const AppError& e) {
      auto code = e.error().code;
      if (code == ErrorCode::kNotFound || code == ErrorCode::kUnauthenticated) throw;
      return t.Page("collect", ctx_error(e), http::StatusFor(code));
    }
  });

  r.Get("/episodes/{id}", [&](http::Request& req) {
    auto p = guard.Require(req);
    std::function<void()> audited;
    auto ctx = EpisodeContext(svc, dir, guard, p, http::IdParam(req, "id"), &audited);
    if (auto done = req.Query("done")) {
      const char* notice = NoticeFor(*done);
      if (*notice) ctx["notice"] = notice;
    }
    auto res = t.Page("episode", ctx);
    res.before_send = std::move(audited);
    return res;
  });
  // Every action posts here, then returns to the episode (or shows why not).
  // `episode` 0: the form's episode_id (actions on a stay, referral or task).
  auto act = [&svc, &dir, &guard, &t](http::Request& req, std::int64_t episode, const char* done,
                                      auto&& fn) {
    auto p = guard.Require(req, kWorkers);
    auto form = http::Form::Parse(req);
    if (!episode) episode = form.GetInt("episode_id").value_or(0);
    try {
      std::int64_t target = fn(p, form);
      if (!target) target = episode;
      // Often the action ends this agency's duty (a hand-over, a finished
      // referral): then the queue is where the work goes on.
      if (!target || !svc.Sees(p, target)) return Back(std::string("/inbox?done=") + done);
      return Back("/episodes/" + Id(target) + "?done=" + done);
    } catch (const AppError& e) {
      auto code = e.error().code;
      if (code == ErrorCode::kNotFound || code == ErrorCode::kUnauthenticated || episode == 0)
        throw;
      auto ctx = EpisodeContext(svc, dir, guard, p, episode);
      ctx["errors"] = accounts::ErrorsJson(e);
      return t.Page("episode", ctx, http::StatusFor(code));
    }
  };
  r.Post("/episodes/{id}/transfer", [&, act](http::Request& req) {
    std::int64_t id = http::IdParam(req, "id");
    return act(req, id, "transfer", [&](const accounts::Principal& p, const http::Form&) {
      svc.Transfer(p, id);
      return std::int64_t{0};
    });
  });
  r.Post("/episodes/{id}/screening", [&, act](http::Request& req) {
    std::int64_t id = http::IdParam(req, "id");
    return act(req, id, "screening", [&](const accounts::Principal& p, const http::Form& f) {
      svc.Screen(p, id, f.GetOr("outcome"), f.GetOr("note"));
      return std::int64_t{0};
    });
  });
  r.Post("/episodes/{id}/orders", [&, act](http::Request& req) {
    std::int64_t id = http::IdParam(req, "id");
    return act(req, id, "order", [&](const accounts::Principal& p, const http::Form& f) {
      OrderInput in;
      in.kind = f.GetOr("kind");
      in.months = static_cast<int>(TypedInt(f, "months").value_or(0));
      in.reference = f.GetOr("reference");
      in.issued_day = ParseDayText(f.GetOr("issued_on"), "issued_on");
      in.parent_id = f.GetInt("parent_id");
      svc.IssueOrder(p, id, in);
      return std::int64_t{0};
    });
  });
  r.Post("/episodes/{id}/admission", [&, act](http::Request& req) {
    std::int64_t id = http::IdParam(req, "id");
    return act(req, id, "admission", [&](const accounts::Principal& p, const http::Form& f) {
      auto facility = f.GetInt("facility_id");
      if (!facility) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"facility_id", "مرکز را برگزینید."}});
      }
      svc.Admit(p, id, *facility, ParseDayText(f.GetOr("admitted_on"), "admitted_on"),
                f.GetOr("override_reason"));
      return std::int64_t{0};
    });
  });
  r.Post("/episodes/{id}/services", [&, act](http::Request& req) {
    std::int64_t id = http::IdParam(req, "id");
    return act(req, id, "service", [&](const accounts::Principal& p, const http::Form& f) {
      svc.RecordService(p, id, f.GetOr("kind"), ParseDayText(f.GetOr("day"), "day"),
                        f.GetOr("note"));
      return std::int64_t{0};
    });
  });
  r.Post("/episodes/{id}/referrals", [&, act](http::Request& req) {
    std::int64_t id = http::IdParam(req, "id");
    return act(req, id, "referral", [&](const accounts::Principal& p, const http::Form& f) {
      ReferralInput in;
      in.to_agency = f.GetInt("to_agency").value_or(0);
      in.purpose = f.GetOr("purpose");
      in.basis = f.GetOr("basis");
      in.legal_basis = f.GetOr("legal_basis");
      in.shared = f.GetAll("shared");
      svc.Refer(p, id, in);
      return std::int64_t{0};
    });
  });
  r.Post("/stays/{id}/discharge", [&, act](http::Request& req) {
    return act(req, 0, "discharge", [&](const accounts::Principal& p, const http::Form& f) {
      svc.Discharge(p, http::IdParam(req, "id"),
                    ParseDayText(f.GetOr("discharged_on"), "discharged_on"), f.GetOr("reason"));
      return std::int64_t{0};
    });
  });
  for (const char* action : {"accept", "reject", "complete", "revoke"}) {
    r.Post(std::string("/referrals/{id}/") + action, [&, act, action](http::Request& req) {
      return act(req, 0, "answer", [&](const accounts::Principal& p, const http::Form& f) {
        auto ref = svc.ActOnReferral(p, http::IdParam(req, "id"), action, f.GetOr("text"));
        return ref.episode_id;
      });
    });
  }
  r.Post("/tasks/{id}/complete", [&, act](http::Request& req) {
    return act(req, 0, "task", [&](const accounts::Principal& p, const http::Form& f) {
      svc.CompleteTask(p, http::IdParam(req, "id"), f.GetOr("outcome"));
      return std::int64_t{0};
    });
  });

  // A hidden person's fragment for the person page (loaded with htmx).
  r.Get("/persons/{id}/episodes", [&](http::Request& req) {
    auto p = guard.Require(req);
    std::int64_t id = http::IdParam(req, "id");
    array rows;
    for (const auto& e : svc.EpisodesOf(p, id)) {
      rows.push_back(object{{"id", e.id},
                            {"id_fa", Fa(e.id)},
                            {"collected", JTime(e.collected_at)},
                            {"stage", StageLabel(e.stage)},
                            {"open", e.status == "open"}});
    }
    object ctx{{"rows", rows},
               {"empty", rows.empty()},
               {"person_id", id},
               {"may_collect", p.roles.HasAny(kWorkers)}};
    return http::Response::Html(t.Render("_person_episodes", ctx));
  });
  r.Get("/persons/{id}/break-glass", [&](http::Request& req) {
    auto p = guard.Require(req, kWorkers);
    auto ctx = guard.PageContext(p, "دسترسی اضطراری");
    ctx["person_id"] = http::IdParam(req, "id");
    return t.Page("break_glass", ctx);
  });
  r.Post("/persons/{id}/break-glass", [&](http::Request& req) {
    auto p = guard.Require(req, kWorkers);
    std::int64_t id = http::IdParam(req, "id");
    auto form = http::Form::Parse(req);
    try {
      svc.BreakGlass(p, id, form.GetOr("reason"));
      return Back("/persons/" + Id(id));
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid) throw;
      auto ctx = guard.PageContext(p, "دسترسی اضطراری");
      ctx["person_id"] = id;
      ctx["reason"] = form.GetOr("reason");
      ctx["errors"] = accounts::ErrorsJson(e);
      return t.Page("break_glass", ctx, 400);
    }
  });

  r.Get("/facilities", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto ctx = guard.PageContext(p, "مراکز و ظرفیت");
    array rows;
    int cap_m = 0, cap_f = 0, occ_m = 0, occ_f = 0;
    for (const auto& f : svc.Facilities(p)) {
      rows.push_back(FacilityView(f));
      if (!f.active) continue;
      cap_m += f.capacity_male;
      cap_f += f.capacity_female;
      occ_m += f.occupied_male;
      occ_f += f.occupied_female;
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    ctx["totals"] = object{{"capacity_male", Fa(cap_m)},
                           {"capacity_female", Fa(cap_f)},
                           {"occupied_male", Fa(occ_m)},
                           {"occupied_female", Fa(occ_f)}};
    FacilityForms(ctx, p, dir);
    if (req.Query("saved")) ctx["notice"] = "مرکز ذخیره شد.";
    return t.Page("facilities", ctx);
  });
  // Creating a facility and changing its capacity (system admin, or the operator's manager).
  auto save_facility = [&svc, &dir, &guard, &t](http::Request& req, std::int64_t id) {
    auto p = guard.Require(req, {Role::kSystemAdmin, Role::kAgencyManager});
    auto f = http::Form::Parse(req);
    try {
      Facility x;
      if (id) {
        for (const auto& cur : svc.Facilities(p))
          if (cur.id == id) x = cur;
        if (x.id == 0) Fail(ErrorCode::kNotFound, "رکورد مورد نظر پیدا نشد.");
      } else {
        x.code = f.GetOr("code");
        x.kind = f.GetOr("kind");
        x.agency_id = f.GetInt("agency_id").value_or(0);
        x.county_id = f.GetInt("county_id").value_or(0);
      }
      x.name = f.GetOr("name", x.name);
      x.capacity_male = static_cast<int>(TypedInt(f, "capacity_male").value_or(x.capacity_male));
      x.capacity_female =
          static_cast<int>(TypedInt(f, "capacity_female").value_or(x.capacity_female));
      if (id) x.active = f.Get("active").has_value();
      svc.SaveFacility(p, x);
      return Back("/facilities?saved=1");
    } catch (const AppError& e) {
      auto code = e.error().code;
      if (code != ErrorCode::kInvalid && code != ErrorCode::kConflict) throw;
      auto ctx = guard.PageContext(p, "مراکز و ظرفیت");
      array rows;
      for (const auto& x : svc.Facilities(p)) rows.push_back(FacilityView(x));
      ctx["rows"] = rows;
      ctx["empty"] = rows.empty();
      ctx["errors"] = accounts::ErrorsJson(e);
      FacilityForms(ctx, p, dir);
      return t.Page("facilities", ctx, http::StatusFor(code));
    }
  };
  r.Post("/facilities", [save_facility](http::Request& req) { return save_facility(req, 0); });
  r.Post("/facilities/{id}", [save_facility](http::Request& req) {
    return save_facility(req, http::IdParam(req, "id"));
  });
  r.Get("/stays/overdue", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto paging = accounts::ParsePaging(req);
    auto page = svc.OverdueStays(p, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "نگهداری بیش از مهلت قانونی");
    array rows;
    for (const auto& s : page.stays) {
      rows.push_back(object{{"episode_id", s.stay.episode_id},
                            {"name", s.first_name + " " + s.last_name},
                            {"facility", s.stay.facility_name},
                            {"admitted", JDay(s.stay.admitted_day)},
                            {"legal_end", JDay(s.stay.legal_end_day)},
                            {"days", Fa(page.today - s.stay.legal_end_day)}});
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    ctx["pager"] = PagerJson(paging, page.total, {}, "/stays/overdue");
    return t.Page("stays_overdue", ctx);
  });

  r.Get("/programme", [&](http::Request& req) {
    auto p = guard.Require(req);
    auto prog = svc.GetProgramme();
    auto ctx = guard.PageContext(p, "برنامهٔ ساماندهی و مهلت‌ها");
    array stages, clocks;
    for (const auto& s : prog.stages) {
      if (s.code == "closed") continue;
      stages.push_back(
          object{{"name", s.name}, {"lead", s.lead_agency}, {"support", s.support_agencies}});
    }
    for (const auto& c : prog.clocks) {
      clocks.push_back(object{{"code", c.code},
                              {"name", c.name},
                              {"hours", c.hours},
                              {"hours_fa", Fa(c.hours)},
                              {"basis", c.basis}});
    }
    ctx["stages"] = stages;
    ctx["clocks"] = clocks;
    ctx["admin"] = p.roles.Has(Role::kSystemAdmin);
    return t.Page("programme", ctx);
  });
  r.Post("/programme/clocks/{code}", [&](http::Request& req) {
    auto p = guard.Require(req, {Role::kSystemAdmin});
    auto form = http::Form::Parse(req);
    auto hours = TypedInt(form, "hours").value_or(0);
    svc.UpdateClock(p, std::string(req.PathParam("code")),
                    static_cast<int>(std::clamp<std::int64_t>(hours, -1, 100000)));
    return Back("/programme");
  });

  // Complaints: the public form and tracking, and the judiciary's list.
  r.Get("/complaint", [&](http::Request&) {
    object ctx{{"title", "ثبت شکایت"}, {"form", object{{"relation_family", true}}}};
    return t.Page("complaint", ctx);
  });
  r.Post("/complaint", [&](http::Request& req) {
    auto f = http::Form::Parse(req);
    ComplaintInput in;
    in.complainant = f.GetOr("complainant");
    in.relation = f.GetOr("relation");
    in.contact = f.GetOr("contact");
    in.body = f.GetOr("body");
    object form{{"complainant", in.complainant},
                {"contact", in.contact},
                {"body", in.body},
                {"relation_client", in.relation == "client"},
                {"relation_family", in.relation == "family"},
                {"relation_other", in.relation == "other"}};
    try {
      in.facility_id = f.GetInt("facility_id");
      audit::Actor anon;
      anon.request_id = req.request_id;
      anon.ip = req.remote_ip;
      auto k = svc.FileComplaint(in, anon);
      return t.Page("complaint", object{{"title", "شکایت ثبت شد"},
                                        {"filed", true},
                                        {"tracking_code", k.tracking_code},
                                        {"due", JTime(k.due_at)}});
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid) throw;
      return t.Page(
          "complaint",
          object{{"title", "ثبت شکایت"}, {"form", form}, {"errors", accounts::ErrorsJson(e)}}, 400);
    }
  });
  r.Get("/complaint/track", [&](http::Request& req) {
    std::string code = persian::ToAsciiDigits(req.Query("code").value_or(""));
    object ctx{{"title", "پیگیری شکایت"}, {"code", code}};
    if (!code.empty()) {
      auto k = svc.TrackComplaint(code);
      ctx["searched"] = true;
      if (k) {
        ctx["found"] = true;
        ctx["status"] = k->status == "received"        ? "دریافت شد"
                        : k->status == "investigating" ? "در دست رسیدگی"
                        : k->status == "resolved"      ? "رسیدگی شد"
                                                       : "بایگانی شد";
        ctx["due"] = JTime(k->due_at);
      }
    }
    return t.Page("complaint_track", ctx);
  });
  r.Get("/complaints", [&](http::Request& req) {
    auto p = guard.Require(req, kWorkers);
    auto paging = accounts::ParsePaging(req);
    std::string status = req.Query("status").value_or("");
    auto page = svc.Complaints(p, status, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "شکایت‌ها");
    array rows;
    for (const auto& k : page.items) {
      bool closed = k.status == "resolved" || k.status == "dismissed";
      rows.push_back(object{{"id", k.id},
                            {"code", k.tracking_code},
                            {"complainant", k.complainant},
                            {"relation", k.relation == "client"   ? "خود مددجو"
                                         : k.relation == "family" ? "خانواده"
                                                                  : "دیگر"},
                            {"contact", k.contact},
                            {"body", k.body},
                            {"status", k.status},
                            {"resolution", k.resolution},
                            {"created", JTime(k.created_at)},
                            {"due", JTime(k.due_at)},
                            {"overdue", !closed && k.due_at < NowMillis()},
                            {"open", !closed}});
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    ctx["pager"] = PagerJson(paging, page.total, {{"status", status}}, "/complaints");
    return t.Page("complaints", ctx);
  });
  r.Post("/complaints/{id}/status", [&](http::Request& req) {
    auto p = guard.Require(req, kWorkers);
    auto f = http::Form::Parse(req);
    try {
      svc.UpdateComplaint(p, http::IdParam(req, "id"), f.GetOr("status"), f.GetOr("resolution"));
    } catch (const AppError& e) {
      if (e.error().code != ErrorCode::kInvalid && e.error().code != ErrorCode::kConflict) throw;
      return Back("/complaints?error=1");
    }
    return Back("/complaints");
  });

  // The review queue of possible duplicates (coordinators).
  r.Get("/person-pairs", [&](http::Request& req) {
    auto p = guard.Require(req, {Role::kCoordinator});
    auto paging = accounts::ParsePaging(req);
    paging.per_page = std::min<std::int64_t>(paging.per_page, 20);
    std::string status = req.Query("status").value_or("open");
    auto page = people.ListPairs(p, status, paging.per_page, paging.offset());
    auto ctx = guard.PageContext(p, "موارد احتمالی تکراری");
    array rows;
    for (const auto& pr : page.pairs) {
      auto side = [](const people::Person& x) {
        return object{
            {"id", x.id},
            {"name", x.identity.first_name + " " + x.identity.last_name},
            {"father_name", x.identity.father_name},
            {"birth_year", x.identity.birth_year ? Fa(*x.identity.birth_year) : std::string("—")},
            {"has_code", x.identity.national_code.has_value()},
            {"merged", x.merged_into.has_value()}};
      };
      array reasons;
      boost::system::error_code ec;
      auto parsed = boost::json::parse(pr.reasons, ec);
      if (!ec && parsed.is_array()) {
        for (const auto& x : parsed.as_array()) {
          std::string field(x.at("field").as_string()), result(x.at("result").as_string());
          reasons.push_back(object{{"field", people::ReasonFieldLabel(field)},
                                   {"result", people::ReasonResultLabel(result)},
                                   {"points", Fa(x.at("points").to_number<std::int64_t>())}});
        }
      }
      rows.push_back(object{{"id", pr.id},
                            {"a", side(pr.a)},
                            {"b", side(pr.b)},
                            {"score", Fa(pr.score)},
                            {"reasons", reasons},
                            {"open", pr.status == "open"},
                            {"same", pr.status == "same"},
                            {"created", JTime(pr.created_at)}});
    }
    ctx["rows"] = rows;
    ctx["empty"] = rows.empty();
    ctx["status_open"] = status == "open";
    ctx["status_same"] = status == "same";
    ctx["status_different"] = status == "different";
    ctx["pager"] = PagerJson(paging, page.total, {{"status", status}}, "/person-pairs");
    return t.Page("person_pairs", ctx);
  });
  r.Post("/person-pairs/{id}/decision", [&](http::Request& req) {
    auto p = guard.Require(req, {Role::kCoordinator});
    auto f = http::Form::Parse(req);
    people.Decide(p, http::IdParam(req, "id"), f.GetOr("decision"));
    return Back("/person-pairs");
  });
  r.Post("/persons/{id}/unmerge", [&](http::Request& req) {
    auto p = guard.Require(req, {Role::kCoordinator});
    people.Unmerge(p, http::IdParam(req, "id"));
    return Back("/person-pairs?status=same");
  });
}

}  // namespace peyvand::pathway
