#include "modules/pathway/service.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "modules/accounts/service.hpp"
#include "modules/pathway/rules.hpp"
#include "modules/pathway/service_internal.hpp"
#include "modules/people/store.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::pathway {

using internal::Denied;
using internal::Json;

bool View::Sees(const std::string& part) const {
  if (part == "medical") return medical;
  if (full) return true;
  return std::find(parts.begin(), parts.end(), part) != parts.end();
}

PathwayService::PathwayService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                               people::PeopleService& people)
    : db_(db), audit_(audit), clock_(clock), people_(people) {}

std::int64_t PathwayService::Today() const {
  return IranDay(clock_.NowMillis());
}

Programme PathwayService::GetProgramme() {
  std::lock_guard lock(programme_mu_);
  if (!programme_) programme_ = db_.Read([](db::Connection& c) { return store::LoadProgramme(c); });
  return *programme_;
}

void PathwayService::UpdateClock(const accounts::Principal& p, const std::string& code, int hours) {
  auto prog = GetProgramme();
  const DutyClock* clock = prog.FindClock(code);
  DutyChange d;
  d.hours = hours;
  if (clock) {
    d.law = clock->law;
    d.article = clock->article;
    d.resolution = clock->resolution;
  }
  UpdateDuty(p, code, d);
}

std::vector<DutyVersion> PathwayService::DutyHistory() {
  return db_.Read([](db::Connection& c) { return store::DutyVersions(c); });
}

void PathwayService::UpdateDuty(const accounts::Principal& p, const std::string& code,
                                const DutyChange& change) {
  if (!p.roles.Has(accounts::Role::kSystemAdmin)) {
    Deny(p, "programme_clock", 0, "changing duty clocks needs system_admin");
    Fail(ErrorCode::kForbidden,
         "تغییر مهلت‌ها تنها از مدیر سامانه ساخته است.");
  }
  if (change.hours < 1 || change.hours > 24 * 366) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"hours", "مهلت باید بین ۱ ساعت و یک سال باشد."}});
  }
  internal::CheckText("law", change.law, 0, 300);
  internal::CheckText("article", change.article, 0, 300);
  internal::CheckText("resolution", change.resolution, 0, 300);
  internal::CheckText("reason", change.reason, 0, 500);
  db_.Write([&](db::Connection& tx) {
    auto before = store::LoadProgramme(tx);
    const DutyClock* clock = before.FindClock(code);
    if (!clock) Fail(ErrorCode::kNotFound, internal::kNotFound);
    store::UpdateDuty(tx, code, change, p.user_id, clock_.NowMillis());
    audit_.Append(tx, accounts::AuthService::ActorOf(p), "programme.clock_update",
                  "programme_clock", code,
                  Json({{"from_hours", clock->hours},
                        {"to_hours", change.hours},
                        {"version", clock->version + 1},
                        {"law", change.law},
                        {"article", change.article},
                        {"resolution", change.resolution},
                        {"reason", change.reason}}));
  });
  std::lock_guard lock(programme_mu_);
  programme_.reset();
}

PathwayService::Actor PathwayService::Act(db::Connection& c, const accounts::Principal& p) {
  return Actor{p, AgencyCodeOf(c, p.agency_id), accounts::AuthService::ActorOf(p)};
}

std::string PathwayService::AgencyCodeOf(db::Connection& c, std::int64_t agency_id) {
  {
    std::lock_guard lock(codes_mu_);
    if (auto it = agency_codes_.find(agency_id); it != agency_codes_.end()) return it->second;
  }
  std::string code = store::AgencyCode(c, agency_id);
  if (!code.empty()) {
    std::lock_guard lock(codes_mu_);
    agency_codes_[agency_id] = code;
  }
  return code;
}

void PathwayService::Deny(const accounts::Principal& p, const std::string& type, std::int64_t id,
                          const char* reason) {
  audit_.AppendAlone(accounts::AuthService::ActorOf(p), "access.denied", type,
                     id ? std::to_string(id) : std::string(), Json({{"reason", reason}}));
}

void PathwayService::Log(db::Connection& tx, const Actor& a, const Episode& e,
                         const std::string& kind, const std::string& part,
                         const std::string& detail) {
  Event ev;
  ev.episode_id = e.id;
  ev.at = clock_.NowMillis();
  ev.agency_id = a.p.agency_id;
  ev.user_id = a.p.user_id;
  ev.kind = kind;
  ev.stage = e.stage;
  ev.part = part;
  ev.detail = detail;
  store::InsertEvent(tx, ev);
}

std::int64_t PathwayService::AgencyFor(db::Connection& c, const std::string& stage_code) {
  auto prog = GetProgramme();
  const Stage* stage = prog.FindStage(stage_code);
  auto id = stage ? store::AgencyIdByCode(c, stage->lead_agency) : std::nullopt;
  if (!id) {
    Fail(ErrorCode::kConflict,
         "دستگاه مسئول این مرحله در سامانه تعریف نشده است؛ با مدیر سامانه تماس بگیرید.");
  }
  return *id;
}

std::int64_t PathwayService::AddTask(db::Connection& tx, const Episode& e, std::int64_t agency,
                                     const std::string& kind, const std::string& stage,
                                     std::int64_t due_at, const char* state) {
  Task t;
  t.agency_id = agency;
  t.kind = kind;
  t.stage = stage;
  t.episode_id = e.id;
  t.person_id = e.person_id;
  t.county_id = e.county_id;
  t.state = state;
  t.due_at = due_at;
  return store::InsertTask(tx, t, clock_.NowMillis());
}

View PathwayService::ViewOf(db::Connection& c, const accounts::Principal& p,
                            std::int64_t person_id) {
  View v;
  std::int64_t root = store::RootPerson(c, person_id);
  auto group = store::PersonGroup(c, root);
  auto facts = store::Access(c, group, p.agency_id, p.user_id, clock_.NowMillis());
  bool coordinator = p.roles.Has(accounts::Role::kCoordinator);
  bool duty = facts.stage_task || facts.sent_referral || facts.open_stay || facts.issued_order ||
              facts.grant || facts.registered_without_episode;
  v.full = coordinator || duty;
  v.runs_stay = facts.open_stay;
  v.reduced = coordinator && !duty && !facts.referral_task;
  v.parts = facts.shared;
  v.any = v.full || facts.referral_task;
  // Medical details: the health agency, while it has a duty towards the person.
  v.medical = v.any && AgencyCodeOf(c, p.agency_id) == "health";
  return v;
}

people::Sight PathwayService::SightOf(db::Connection& c, const accounts::Principal& p,
                                      const people::Person& person) {
  View v = ViewOf(c, p, person.id);
  if (!v.any) return people::Sight::kNone;
  return v.reduced ? people::Sight::kReduced : people::Sight::kFull;
}

Episode PathwayService::LoadEpisode(db::Connection& c, const accounts::Principal& p,
                                    std::int64_t id, View* view) {
  auto e = store::GetEpisode(c, id);
  View v;
  if (e) v = ViewOf(c, p, e->person_id);
  if (!v.any) throw Denied{"episode", id, "no duty towards this episode's person"};
  if (view) *view = std::move(v);
  return *e;
}

void PathwayService::MaybeFinish(db::Connection& tx, const Actor& a, const Episode& e) {
  if (e.status != "open") return;
  if (e.stage != "aftercare" && e.stage != "employment") return;
  if (store::CountOpenTasks(tx, e.id) > 0) return;
  Log(tx, a, e, "closed", "pathway", "همهٔ وظایف این پرونده انجام شد و پرونده بسته شد.");
  store::CloseEpisode(tx, e.id, "completed", clock_.NowMillis());
}

Episode PathwayService::Collect(const accounts::Principal& p, const CollectionInput& in) {
  internal::RequireWorker(audit_, p);
  auto prog = GetProgramme();
  std::vector<FieldError> errors;
  if (in.person_id.has_value() == in.person.has_value()) {
    errors.push_back(
        {"person_id",
         "یا مددجوی ثبت‌شده را برگزینید یا مشخصات فرد تازه را وارد کنید."});
  }
  if (in.place.size() > 300) errors.push_back({"place", "این مقدار بیش از حد طولانی است."});
  std::int64_t today = Today();
  std::int64_t day = in.collected_day.value_or(today);
  if (day > today || day < today - 30) {
    errors.push_back(
        {"collected_on",
         "تاریخ جمع‌آوری باید امروز یا حداکثر ۳۰ روز پیش باشد."});
  }
  auto county = in.county_id ? in.county_id : p.county_id;
  if (!county)
    errors.push_back(
        {"county_id", "شهرستان محل جمع‌آوری را برگزینید."});
  std::optional<people::NewPerson> clean;
  if (in.person) {
    try {
      clean = people_.Validate(*in.person);
    } catch (const AppError& e) {
      for (const auto& f : e.error().fields) errors.push_back(f);
    }
  }
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", errors);

  return internal::Guarded(audit_, p, [&] {
    return db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      const Stage* stage = prog.FindStage("collection");
      bool duty = stage && (stage->lead_agency == a.agency_code ||
                            internal::ListHas(stage->support_agencies, a.agency_code));
      if (!duty) {
        Fail(
            ErrorCode::kForbidden,
            "جمع‌آوری از وظایف دستگاه شما در این برنامه نیست.");
      }
      if (!store::CountyExists(tx, *county)) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"county_id", "شهرستان نامعتبر است."}});
      }
      std::int64_t person_id = 0;
      if (in.person_id) {
        auto person = people::store::GetPerson(tx, *in.person_id);
        if (!person) Fail(ErrorCode::kNotFound, internal::kNotFound);
        person_id = store::RootPerson(tx, person->id);
      } else {
        person_id = people_.RegisterIn(tx, p, *clean, in.confirm_new).person.id;
      }
      auto group = store::PersonGroup(tx, person_id);
      if (auto stay = store::OpenStayOf(tx, group)) {
        Fail(ErrorCode::kConflict,
             "این فرد اکنون در «" + stay->facility_name +
                 "» پذیرش است؛ جمع‌آوری دوباره ممکن نیست.");
      }
      std::int64_t now = clock_.NowMillis();
      Episode e;
      e.person_id = person_id;
      e.county_id = county;
      e.stage = "collection";
      e.status = "open";
      e.opened_by_agency = p.agency_id;
      e.opened_by_user = p.user_id;
      e.collected_at = day == today ? now : internal::NoonOf(day);
      e.place = in.place;
      e.prior_episodes = static_cast<int>(store::CountEpisodes(tx, group));
      for (auto& old : store::EpisodesOf(tx, group)) {
        if (old.status != "open") continue;
        Log(tx, a, old, "re_collected", "pathway",
            "فرد دوباره جمع‌آوری شد؛ این پرونده بسته شد و پروندهٔ تازه باز شد.");
        store::CancelOpenTasks(tx, old.id, now);
        store::CloseEpisode(tx, old.id, "re_collected", now);
      }
      e.id = store::InsertEpisode(tx, e, now);
      e.created_at = now;
      std::string detail = "جمع‌آوری";
      if (!e.place.empty()) detail += " در " + e.place;
      detail += e.prior_episodes == 0
                    ? "؛ نخستین پرونده"
                    : "؛ پیش‌تر " +
                          persian::ToPersianDigits(std::to_string(e.prior_episodes)) +
                          " بار جمع‌آوری شده است";
      Log(tx, a, e, "collected", "pathway", detail);
      AddTask(tx, e, p.agency_id, "transfer", "collection",
              e.collected_at + prog.Hours("collection", 24) * kHourMillis, "open");
      audit_.Append(tx, a.audit, "episode.create", "episode", std::to_string(e.id),
                    Json({{"person", person_id}, {"prior_episodes", e.prior_episodes}}));
      return e;
    });
  });
}

void PathwayService::Transfer(const accounts::Principal& p, std::int64_t episode_id) {
  internal::RequireWorker(audit_, p);
  auto prog = GetProgramme();
  internal::Guarded(audit_, p, [&] {
    db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      Episode e = LoadEpisode(tx, p, episode_id);
      auto task = store::OpenTask(tx, e.id, p.agency_id, "transfer");
      if (!task || e.stage != "collection" || !prog.Allows("collection", "screening")) {
        Fail(ErrorCode::kConflict, "این پرونده در مرحلهٔ انتقال به غربالگری در صف دستگاه شما نیست.");
      }
      std::int64_t now = clock_.NowMillis();
      store::SetTaskState(tx, task->id, "done", "تحویل به غربالگری", p.user_id, now);
      store::SetStage(tx, e.id, "screening", now);
      Log(tx, a, e, "transferred", "pathway", "تحویل به غربالگری");
      e.stage = "screening";
      AddTask(tx, e, AgencyFor(tx, "screening"), "screening", "screening",
              e.collected_at + prog.Hours("screening", 72) * kHourMillis);
      audit_.Append(tx, a.audit, "episode.transfer", "episode", std::to_string(e.id), "{}");
    });
  });
}

void PathwayService::Screen(const accounts::Principal& p, std::int64_t episode_id,
                            const std::string& outcome, const std::string& note) {
  internal::RequireWorker(audit_, p);
  auto prog = GetProgramme();
  const ScreeningOutcome* out = prog.FindOutcome(outcome);
  if (!out) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"outcome", "نتیجهٔ غربالگری نامعتبر است."}});
  }
  internal::CheckText("note", note, 0, 1000);
  internal::Guarded(audit_, p, [&] {
    db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      Episode e = LoadEpisode(tx, p, episode_id);
      auto task = store::OpenTask(tx, e.id, p.agency_id, "screening");
      if (!task || e.stage != "screening") {
        Fail(ErrorCode::kConflict, "این پرونده در مرحلهٔ غربالگری در صف دستگاه شما نیست.");
      }
      if (!prog.Allows("screening", out->next_stage)) {
        Fail(ErrorCode::kRefused, "برنامه این گذار را مجاز نمی‌داند.");
      }
      std::int64_t now = clock_.NowMillis();
      store::SetTaskState(tx, task->id, "done", outcome, p.user_id, now);
      store::SetScreening(tx, e.id, outcome, now);
      Log(tx, a, e, "screened", "screening",
          "نتیجهٔ غربالگری: " + out->name + (note.empty() ? "" : "؛ " + note));
      if (out->next_stage == "closed") {
        store::CloseEpisode(tx, e.id, outcome, now);
      } else {
        store::SetStage(tx, e.id, out->next_stage, now);
        e.stage = out->next_stage;
        AddTask(tx, e, AgencyFor(tx, "judicial_order"), "order", "judicial_order",
                now + prog.Hours("judicial_order", 48) * kHourMillis);
      }
      audit_.Append(tx, a.audit, "episode.screen", "episode", std::to_string(e.id),
                    Json({{"outcome", outcome}}));
    });
  });
}

Order PathwayService::IssueOrder(const accounts::Principal& p, std::int64_t episode_id,
                                 const OrderInput& in) {
  internal::RequireWorker(audit_, p);
  auto prog = GetProgramme();
  auto kind = OrderKindFromCode(in.kind);
  if (!kind) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"kind", "نوع دستور یکی از placement، extension یا note2 است."}});
  }
  internal::CheckText("reference", in.reference, 0, 100);
  return internal::Guarded(audit_, p, [&] {
    return db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      Episode e = LoadEpisode(tx, p, episode_id);
      if (p.agency_id != AgencyFor(tx, "judicial_order")) {
        Fail(ErrorCode::kForbidden, "صدور دستور قضایی از وظایف دستگاه شما نیست.");
      }
      if (e.status != "open") Fail(ErrorCode::kConflict, "این پرونده بسته است.");
      std::optional<Task> task;
      if (*kind != OrderKind::kExtension) {
        task = store::OpenTask(tx, e.id, p.agency_id, "order");
        if (!task) {
          Fail(ErrorCode::kConflict, "این پرونده در انتظار دستور قضایی در صف دستگاه شما نیست.");
        }
      }
      auto group = store::PersonGroup(tx, store::RootPerson(tx, e.person_id));
      OrderContext ctx{e.stage, store::OrdersOf(tx, e.id), store::PersonHadNote2(tx, group),
                       Today()};
      OrderRequest req{*kind, in.months, in.issued_day.value_or(ctx.today), in.start_day,
                       in.parent_id};
      auto decision = CheckOrder(req, ctx);
      if (decision.refusal) {
        Fail(ErrorCode::kRefused, decision.refusal->message,
             {{decision.refusal->field, decision.refusal->message}});
      }
      Order o = *decision.order;
      o.episode_id = e.id;
      o.person_id = e.person_id;
      o.reference = in.reference;
      o.agency_id = p.agency_id;
      std::int64_t now = clock_.NowMillis();
      o.id = store::InsertOrder(tx, o, p.user_id, now);
      o.created_at = now;
      std::string detail = std::string(OrderKindLabel(o.kind)) + "، " +
                           persian::ToPersianDigits(std::to_string(o.months)) + " ماه، از " +
                           persian::FormatJalali(persian::JalaliFromDays(o.start_day)) + " تا " +
                           persian::FormatJalali(persian::JalaliFromDays(o.end_day));
      Log(tx, a, e, "order", "order", detail);
      if (o.kind == OrderKind::kExtension) {
        ctx.episode_orders.push_back(o);
        for (auto& stay : store::StaysOf(tx, e.id)) {
          if (stay.discharged_day || stay.order_id != *o.parent_id) continue;
          const Order* basis = nullptr;
          for (const auto& x : ctx.episode_orders)
            if (x.id == stay.order_id) basis = &x;
          std::int64_t end = LegalEndDay(*basis, ctx.episode_orders);
          store::SetStayEnd(tx, stay.id, end, now);
          store::SetOpenTasksDue(tx, e.id, "stay_end", internal::EndOfDay(end), now);
        }
      } else {
        store::SetTaskState(tx, task->id, "done", OrderKindCode(o.kind), p.user_id, now);
        store::SetStage(tx, e.id, "admission", now);
        e.stage = "admission";
        AddTask(tx, e, AgencyFor(tx, "admission"), "admission", "admission",
                now + prog.Hours("admission", 24) * kHourMillis);
      }
      audit_.Append(tx, a.audit, "order.create", "judicial_order", std::to_string(o.id),
                    Json({{"episode", e.id},
                          {"kind", OrderKindCode(o.kind)},
                          {"months", o.months},
                          {"end_day", o.end_day}}));
      return o;
    });
  });
}

std::vector<Facility> PathwayService::Suggest(const accounts::Principal& p,
                                              std::int64_t episode_id) {
  return internal::Guarded(audit_, p, [&] {
    return db_.Read([&](db::Connection& c) {
      Episode e = LoadEpisode(c, p, episode_id);
      auto person = people::store::GetPerson(c, e.person_id);
      std::string sex = person ? people::SexCode(person->identity.sex) : "unknown";
      return SuggestFacilities(store::ListFacilities(c), sex, e.county_id.value_or(0));
    });
  });
}

Stay PathwayService::Admit(const accounts::Principal& p, std::int64_t episode_id,
                           std::int64_t facility_id, std::optional<std::int64_t> day,
                           const std::string& override_reason) {
  internal::RequireWorker(audit_, p);
  internal::CheckText("override_reason", override_reason, 0, 500);
  auto prog = GetProgramme();
  return internal::Guarded(audit_, p, [&] {
    return db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      Episode e = LoadEpisode(tx, p, episode_id);
      auto facility = store::GetFacility(tx, facility_id);
      if (!facility || !facility->active) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"facility_id", "مرکز نامعتبر یا غیرفعال است."}});
      }
      if (facility->agency_id != p.agency_id) {
        Fail(ErrorCode::kForbidden, "پذیرش در این مرکز تنها از دستگاه گردانندهٔ آن ساخته است.");
      }
      if (e.stage != "admission" || !prog.Allows("admission", "treatment")) {
        Fail(ErrorCode::kRefused, "پذیرش تنها پس از دستور قضایی و پیش از پذیرش دیگر ممکن است.");
      }
      auto orders = store::OrdersOf(tx, e.id);
      const Order* basis = nullptr;
      for (const auto& o : orders)
        if (o.kind != OrderKind::kExtension) basis = &o;
      if (!basis)
        Fail(ErrorCode::kRefused,
             "بدون دستور قضایی نمی‌توان پذیرش کرد.");
      std::int64_t today = Today();
      std::int64_t admitted = day.value_or(today);
      std::int64_t legal_end = LegalEndDay(*basis, orders);
      if (admitted > today || admitted < today - 30) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"admitted_on", "تاریخ پذیرش باید امروز یا حداکثر ۳۰ روز پیش باشد."}});
      }
      if (admitted < basis->start_day || admitted > legal_end) {
        Fail(ErrorCode::kRefused, "تاریخ پذیرش خارج از بازهٔ دستور قضایی است.",
             {{"admitted_on", "تاریخ پذیرش خارج از بازهٔ دستور قضایی است."}});
      }
      auto person = people::store::GetPerson(tx, e.person_id);
      std::string sex = person ? people::SexCode(person->identity.sex) : "unknown";
      if (sex != "male" && sex != "female") {
        Fail(ErrorCode::kRefused,
             "جنسیت مددجو ثبت نشده است؛ برای پذیرش در بخش مردان یا زنان آن را ثبت کنید.");
      }
      bool over = false;
      if (!store::TakeBed(tx, facility_id, sex, false)) {
        if (override_reason.empty()) {
          Fail(ErrorCode::kConflict,
               "ظرفیت " + std::string(sex == "female" ? "زنان" : "مردان") + " در «" +
                   facility->name + "» پر است. برای پذیرش بیش از ظرفیت دلیل آن را بنویسید.",
               {{"override_reason", "برای پذیرش بیش از ظرفیت، دلیل الزامی است."}});
        }
        store::TakeBed(tx, facility_id, sex, true);
        over = true;
      }
      std::int64_t now = clock_.NowMillis();
      Stay s;
      s.episode_id = e.id;
      s.person_id = e.person_id;
      s.facility_id = facility_id;
      s.sex = sex;
      s.order_id = basis->id;
      s.admitted_day = admitted;
      s.legal_end_day = legal_end;
      s.over_capacity_reason = over ? override_reason : "";
      s.facility_name = facility->name;
      s.id = store::InsertStay(tx, s, p.user_id, now);
      store::FinishOpenTasks(tx, e.id, "admission", facility->name, p.user_id, now);
      store::SetStage(tx, e.id, "treatment", now);
      e.stage = "treatment";
      Log(tx, a, e, "admitted", "stay",
          "پذیرش در «" + facility->name + "»؛ پایان مهلت قانونی " +
              persian::FormatJalali(persian::JalaliFromDays(legal_end)) +
              (over ? "؛ بیش از ظرفیت: " + override_reason : ""));
      AddTask(tx, e, facility->agency_id, "stay_end", "treatment", internal::EndOfDay(legal_end),
              "open");
      audit_.Append(tx, a.audit, over ? "stay.admit_over_capacity" : "stay.admit", "stay",
                    std::to_string(s.id),
                    Json({{"episode", e.id},
                          {"facility", facility_id},
                          {"over_capacity", over},
                          {"reason", s.over_capacity_reason}}));
      return s;
    });
  });
}

void PathwayService::Discharge(const accounts::Principal& p, std::int64_t stay_id,
                               std::optional<std::int64_t> day, const std::string& reason) {
  internal::RequireWorker(audit_, p);
  internal::CheckText("reason", reason, 0, 500);
  auto prog = GetProgramme();
  internal::Guarded(audit_, p, [&] {
    db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      auto stay = store::GetStay(tx, stay_id);
      auto facility = stay ? store::GetFacility(tx, stay->facility_id) : std::nullopt;
      if (!stay || !facility || facility->agency_id != p.agency_id) {
        throw Denied{"stay", stay_id, "discharge by an agency that does not run the facility"};
      }
      if (stay->discharged_day)
        Fail(ErrorCode::kConflict, "این فرد پیش‌تر ترخیص شده است.");
      std::int64_t today = Today();
      std::int64_t d = day.value_or(today);
      if (d > today || d < stay->admitted_day) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"discharged_on", "تاریخ ترخیص باید میان تاریخ پذیرش و امروز باشد."}});
      }
      std::int64_t now = clock_.NowMillis();
      store::DischargeStay(tx, stay_id, d, reason, now);
      store::FreeBed(tx, stay->facility_id, stay->sex);
      auto e = *store::GetEpisode(tx, stay->episode_id);
      store::FinishOpenTasks(tx, e.id, "stay_end", "ترخیص", p.user_id, now);
      std::string detail = "ترخیص از «" + facility->name + "» در " +
                           persian::FormatJalali(persian::JalaliFromDays(d));
      if (d > stay->legal_end_day) {
        detail += "؛ " + persian::ToPersianDigits(std::to_string(d - stay->legal_end_day)) +
                  " روز پس از پایان مهلت قانونی";
      }
      if (!reason.empty()) detail += "؛ " + reason;
      Log(tx, a, e, "discharged", "stay", detail);
      if (e.status == "open" && prog.Allows(e.stage, "aftercare")) {
        store::SetStage(tx, e.id, "aftercare", now);
        e.stage = "aftercare";
        std::int64_t aftercare = AgencyFor(tx, "aftercare");
        std::int64_t employment = AgencyFor(tx, "employment");
        for (const auto& due : AftercareSchedule(now, prog)) {
          bool job = due.clock == "employment";
          AddTask(tx, e, job ? employment : aftercare, due.clock, job ? "employment" : "aftercare",
                  due.due_at, "open");
        }
      }
      audit_.Append(
          tx, a.audit, "stay.discharge", "stay", std::to_string(stay_id),
          Json({{"episode", e.id}, {"day", d}, {"past_legal_end", d > stay->legal_end_day}}));
    });
  });
}

void PathwayService::RecordService(const accounts::Principal& p, std::int64_t episode_id,
                                   const std::string& kind, std::optional<std::int64_t> day,
                                   const std::string& note) {
  internal::RequireWorker(audit_, p);
  if (!IsServiceKind(kind)) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"kind", "نوع خدمت نامعتبر است."}});
  }
  internal::CheckText("note", note, 0, 1000);
  std::int64_t today = Today();
  std::int64_t d = day.value_or(today);
  if (d > today || d < today - kMaxBackdateDays) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"day", "تاریخ خدمت باید امروز یا در یک سال گذشته باشد."}});
  }
  auto prog = GetProgramme();
  internal::Guarded(audit_, p, [&] {
    db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      View v;
      Episode e = LoadEpisode(tx, p, episode_id, &v);
      bool medical = IsMedicalService(kind);
      if (!v.Sees("service") && !(medical && v.medical)) {
        Fail(ErrorCode::kForbidden, "ثبت خدمت برای این پرونده در حدود وظیفهٔ دستگاه شما نیست.");
      }
      if (medical && a.agency_code != "health" && !v.runs_stay) {
        Fail(ErrorCode::kForbidden,
             "ثبت خدمات پزشکی از وظایف دانشگاه علوم پزشکی یا مرکز درمان است.");
      }
      std::optional<std::int64_t> stay_id;
      for (const auto& s : store::StaysOf(tx, e.id))
        if (!s.discharged_day) stay_id = s.id;
      ServiceEvent s{0, e.id, kind, d, p.agency_id, note};
      std::int64_t now = clock_.NowMillis();
      std::int64_t id = store::InsertService(tx, s, e.person_id, stay_id, p.user_id, now);
      Log(tx, a, e, "service", medical ? "medical" : "service",
          std::string(ServiceLabel(kind)) + (note.empty() ? "" : "؛ " + note));
      if (kind == "job") {
        if (auto task = store::OpenTask(tx, e.id, p.agency_id, "employment")) {
          store::SetTaskState(tx, task->id, "done", "اشتغال" + (note.empty() ? "" : ": " + note),
                              p.user_id, now);
          if (prog.Allows(e.stage, "employment")) {
            store::SetStage(tx, e.id, "employment", now);
            e.stage = "employment";
          }
          MaybeFinish(tx, a, e);
        }
      }
      audit_.Append(tx, a.audit, "service.create", "service_event", std::to_string(id),
                    Json({{"episode", e.id}, {"kind", kind}}));
    });
  });
}

std::int64_t PathwayService::AddClauseTask(db::Connection& tx, std::int64_t agency_id,
                                           std::int64_t clause_id, std::int64_t due_at) {
  Task t;
  t.agency_id = agency_id;
  t.kind = "resolution";
  t.clause_id = clause_id;
  t.state = "new";
  t.due_at = due_at;
  return store::InsertTask(tx, t, clock_.NowMillis());
}

PathwayService::TaskPage PathwayService::FindTasks(const store::TaskQuery& q, std::int64_t limit,
                                                   std::int64_t offset) {
  TaskPage page;
  db_.Read([&](db::Connection& c) {
    page.items = store::FindTasks(c, q, limit, offset);
    page.total = store::CountTasks(c, q);
  });
  return page;
}

std::map<std::string, std::int64_t> PathwayService::Flow(std::int64_t first_day,
                                                         std::int64_t last_day,
                                                         std::int64_t county_id) {
  return db_.Read(
      [&](db::Connection& c) { return store::Flow(c, first_day, last_day, county_id); });
}

std::map<std::int64_t, std::map<std::string, std::int64_t>> PathwayService::FlowByCounty(
    std::int64_t first_day, std::int64_t last_day) {
  return db_.Read([&](db::Connection& c) { return store::FlowByCounty(c, first_day, last_day); });
}

std::int64_t PathwayService::VerifyFlow() {
  return db_.Read([](db::Connection& c) { return store::VerifyFlow(c); });
}

std::vector<Task> PathwayService::ClauseTasks(db::Connection& c, std::int64_t clause_id) {
  return store::TasksOfClause(c, clause_id);
}

std::int64_t PathwayService::CancelClauseTasks(db::Connection& tx, std::int64_t clause_id,
                                               const std::string& reason, std::int64_t user_id) {
  return store::CancelClauseTasks(tx, clause_id, reason, user_id, clock_.NowMillis());
}

void PathwayService::CompleteTask(const accounts::Principal& p, std::int64_t task_id,
                                  const std::string& outcome) {
  internal::RequireWorker(audit_, p);
  internal::CheckText("outcome", outcome, 1, 1000);
  auto prog = GetProgramme();
  internal::Guarded(audit_, p, [&] {
    db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      auto task = store::GetTask(tx, task_id);
      if (!task || task->agency_id != p.agency_id) {
        throw Denied{"task", task_id, "task of another agency"};
      }
      static const char* kDirect[] = {"aftercare_1", "aftercare_3", "aftercare_6", "employment",
                                      "resolution"};
      bool direct = std::any_of(std::begin(kDirect), std::end(kDirect),
                                [&](const char* k) { return task->kind == k; });
      if (!direct) {
        Fail(
            ErrorCode::kConflict,
            "این کار با اقدام ویژهٔ خود در پرونده انجام می‌شود.");
      }
      std::int64_t now = clock_.NowMillis();
      if (!store::SetTaskState(tx, task_id, "done", outcome, p.user_id, now)) {
        Fail(ErrorCode::kConflict,
             "این کار پیش‌تر انجام یا لغو شده است.");
      }
      if (task->episode_id) {
        auto e = *store::GetEpisode(tx, *task->episode_id);
        bool job = task->kind == "employment";
        Log(tx, a, e, job ? "employment" : "aftercare_contact", "service",
            std::string(job ? "پیگیری اشتغال: " : "تماس مراقبت پس از خروج: ") + outcome);
        if (job && prog.Allows(e.stage, "employment")) {
          store::SetStage(tx, e.id, "employment", now);
          e.stage = "employment";
        }
        MaybeFinish(tx, a, e);
      }
      audit_.Append(tx, a.audit, "task.complete", "task", std::to_string(task_id),
                    Json({{"kind", task->kind}}));
    });
  });
}

}  // namespace peyvand::pathway
