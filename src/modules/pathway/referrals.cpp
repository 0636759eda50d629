// Referrals between agency queues, break-the-glass, the inbox and the
// episode timeline as its viewer may see it.
#include <algorithm>

#include "core/error.hpp"
#include "modules/pathway/rules.hpp"
#include "modules/pathway/service.hpp"
#include "modules/pathway/service_internal.hpp"
#include "modules/people/store.hpp"
#include "persian/normalize.hpp"

namespace peyvand::pathway {

using internal::Denied;
using internal::Json;

namespace {

const char* const kTaskKinds[] = {"transfer",    "screening",  "order",       "admission",
                                  "stay_end",    "referral",   "aftercare_1", "aftercare_3",
                                  "aftercare_6", "employment", "complaint",   "resolution"};

}  // namespace

Referral PathwayService::Refer(const accounts::Principal& p, std::int64_t episode_id,
                               const ReferralInput& raw) {
  internal::RequireWorker(audit_, p);
  ReferralInput in = raw;
  in.purpose = persian::Canonical(in.purpose);
  in.legal_basis = persian::Canonical(in.legal_basis);
  internal::CheckText("purpose", in.purpose, 1, 500);
  internal::CheckText("legal_basis", in.legal_basis, 0, 300);
  std::vector<FieldError> errors;
  if (in.to_agency == p.agency_id)
    errors.push_back({"to_agency", "ارجاع به دستگاه خود ممکن نیست."});
  if (in.basis != "consent" && in.basis != "legal") {
    errors.push_back({"basis", "مبنای ارجاع یکی از consent (رضایت) یا legal (حکم قانونی) است."});
  }
  if (in.basis == "legal" && in.legal_basis.empty()) {
    errors.push_back({"legal_basis", "مبنای قانونی ارجاع را بنویسید."});
  }
  if (in.shared.empty())
    errors.push_back(
        {"shared",
         "بخش‌هایی از پرونده که به اشتراک گذاشته می‌شود را برگزینید."});
  for (const auto& part : in.shared) {
    if (!IsKnownPart(part)) errors.push_back({"shared", "بخش نامعتبر: " + part});
  }
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", errors);
  std::sort(in.shared.begin(), in.shared.end());
  in.shared.erase(std::unique(in.shared.begin(), in.shared.end()), in.shared.end());
  auto prog = GetProgramme();
  return internal::Guarded(audit_, p, [&] {
    return db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      View v;
      Episode e = LoadEpisode(tx, p, episode_id, &v);
      if (e.status != "open") Fail(ErrorCode::kConflict, "این پرونده بسته است.");
      if (!store::AgencyActive(tx, in.to_agency)) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"to_agency", "دستگاه گیرنده نامعتبر یا غیرفعال است."}});
      }
      for (const auto& part : in.shared) {
        if (!v.Sees(part)) {
          Fail(
              ErrorCode::kForbidden,
              "تنها بخش‌هایی را می‌توان به اشتراک گذاشت که دستگاه شما می‌بیند.",
              {{"shared", part}});
        }
      }
      Referral r;
      r.episode_id = e.id;
      r.person_id = e.person_id;
      r.from_agency = p.agency_id;
      r.to_agency = in.to_agency;
      r.purpose = in.purpose;
      r.basis = in.basis;
      r.legal_basis = in.legal_basis;
      r.shared = in.shared;
      r.status = "pending";
      std::int64_t now = clock_.NowMillis();
      r.id = store::InsertReferral(tx, r, p.user_id, now);
      r.created_at = now;
      Task t;
      t.agency_id = in.to_agency;
      t.kind = "referral";
      t.stage = e.stage;
      t.episode_id = e.id;
      t.person_id = e.person_id;
      t.referral_id = r.id;
      t.county_id = e.county_id;
      t.state = "new";
      t.due_at = now + prog.Hours("referral", 72) * kHourMillis;
      r.task_id = store::InsertTask(tx, t, now);
      store::SetReferralTask(tx, r.id, *r.task_id);
      Log(tx, a, e, "referral", "pathway", "ارجاع: " + r.purpose);
      audit_.Append(tx, a.audit, "referral.create", "referral", std::to_string(r.id),
                    Json({{"episode", e.id},
                          {"to_agency", in.to_agency},
                          {"basis", in.basis},
                          {"shared", boost::json::value_from(in.shared)}}));
      return r;
    });
  });
}

Referral PathwayService::ActOnReferral(const accounts::Principal& p, std::int64_t referral_id,
                                       const std::string& action, const std::string& raw_text) {
  internal::RequireWorker(audit_, p);
  std::string text = persian::Canonical(raw_text);
  if (action != "accept" && action != "reject" && action != "complete" && action != "revoke") {
    Fail(ErrorCode::kNotFound, internal::kNotFound);
  }
  internal::CheckText(action == "complete" ? "outcome" : "reason", text,
                      action == "reject" || action == "complete" ? 1 : 0, 1000);
  return internal::Guarded(audit_, p, [&] {
    return db_.Write([&](db::Connection& tx) {
      Actor a = Act(tx, p);
      auto r = store::GetReferral(tx, referral_id);
      bool sender = r && r->from_agency == p.agency_id;
      bool receiver = r && r->to_agency == p.agency_id;
      if (!r || (action == "revoke" ? !sender : !receiver)) {
        throw Denied{"referral", referral_id, "referral of other agencies"};
      }
      auto next = NextReferralStatus(r->status, action);
      if (!next) {
        Fail(ErrorCode::kConflict, "این ارجاع در وضعیتی نیست که این اقدام را بپذیرد.");
      }
      std::int64_t now = clock_.NowMillis();
      if (!store::SetReferralStatus(tx, r->id, r->status, *next,
                                    action == "complete" ? r->reason : text,
                                    action == "complete" ? text : "", now)) {
        Fail(
            ErrorCode::kConflict,
            "این ارجاع هم‌زمان تغییر کرد؛ دوباره تلاش کنید.");
      }
      if (r->task_id) {
        const char* state = action == "accept"   ? "open"
                            : action == "reject" ? "rejected"
                            : action == "revoke" ? "revoked"
                                                 : "done";
        store::SetTaskState(tx, *r->task_id, state, text, p.user_id, now);
      }
      auto e = *store::GetEpisode(tx, r->episode_id);
      const char* label = action == "accept"   ? "ارجاع پذیرفته شد"
                          : action == "reject" ? "ارجاع رد شد"
                          : action == "revoke" ? "ارجاع پس گرفته شد"
                                               : "ارجاع انجام شد";
      Log(tx, a, e, "referral_" + *next, "pathway",
          std::string(label) + (text.empty() ? "" : ": " + text));
      audit_.Append(tx, a.audit, "referral." + action, "referral", std::to_string(r->id),
                    Json({{"episode", e.id}}));
      r->status = *next;
      if (action == "complete") {
        r->outcome = text;
      } else {
        r->reason = text;
      }
      return *r;
    });
  });
}

void PathwayService::BreakGlass(const accounts::Principal& p, std::int64_t person_id,
                                const std::string& raw_reason) {
  internal::RequireWorker(audit_, p);
  std::string reason = persian::Canonical(raw_reason);
  if (CountCodePoints(reason) < 10) {
    Fail(
        ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
        {{"reason",
          "دلیل دسترسی اضطراری را دست‌کم در ۱۰ نویسه بنویسید."}});
  }
  internal::CheckText("reason", reason, 10, 500);
  db_.Write([&](db::Connection& tx) {
    auto person = people::store::GetPerson(tx, person_id);
    if (!person) Fail(ErrorCode::kNotFound, internal::kNotFound);
    std::int64_t now = clock_.NowMillis();
    std::int64_t root = store::RootPerson(tx, person_id);
    store::InsertGrant(tx, root, p.agency_id, p.user_id, reason, now, now + kBreakGlassMillis);
    audit_.Append(tx, accounts::AuthService::ActorOf(p), "person.break_glass", "person",
                  std::to_string(root),
                  Json({{"reason", reason}, {"expires_at", now + kBreakGlassMillis}}));
  });
}

InboxPage PathwayService::Inbox(const accounts::Principal& p, const std::string& view,
                                const std::string& kind, std::int64_t limit, std::int64_t offset) {
  static const char* kViews[] = {"new", "today", "overdue", "open", "done"};
  if (std::none_of(std::begin(kViews), std::end(kViews),
                   [&](const char* v) { return view == v; })) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"view", "یکی از new، today، overdue، open یا done."}});
  }
  if (!kind.empty() && std::none_of(std::begin(kTaskKinds), std::end(kTaskKinds),
                                    [&](const char* k) { return kind == k; })) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"kind", "نوع کار نامعتبر است."}});
  }
  std::int64_t now = clock_.NowMillis();
  store::InboxFilter f{p.agency_id, view, kind, now, IranDayBounds(now).second};
  InboxPage page;
  db_.Read([&](db::Connection& c) {
    page.items = store::Inbox(c, f, limit, offset);
    auto count = [&](const char* v) {
      store::InboxFilter g = f;
      g.view = v;
      return store::CountInbox(c, g);
    };
    page.count_new = count("new");
    page.count_today = count("today");
    page.count_overdue = count("overdue");
    page.count_open = count("open");
    page.total = view == "new"       ? page.count_new
                 : view == "today"   ? page.count_today
                 : view == "overdue" ? page.count_overdue
                 : view == "open"    ? page.count_open
                                     : count("done");
  });
  return page;
}

EpisodeView PathwayService::GetEpisode(const accounts::Principal& p, std::int64_t episode_id) {
  EpisodeView out;
  internal::Guarded(audit_, p, [&] {
    db_.Read([&](db::Connection& c) {
      out.episode = LoadEpisode(c, p, episode_id, &out.view);
      out.person = *people::store::GetPerson(c, out.episode.person_id);
      out.agency_code = AgencyCodeOf(c, p.agency_id);
      for (auto& ev : store::EventsOf(c, episode_id)) {
        bool own = ev.agency_id == p.agency_id;
        if (own || out.view.Sees(ev.part)) {
          out.events.push_back(std::move(ev));
        } else if (ev.part == "medical") {
          // That a medical service happened is part of the pathway; its content is not.
          ev.detail = "خدمت پزشکی (جزئیات محرمانه)";
          out.events.push_back(std::move(ev));
        }
      }
      if (out.view.Sees("order")) out.orders = store::OrdersOf(c, episode_id);
      if (out.view.Sees("stay")) out.stays = store::StaysOf(c, episode_id);
      for (auto& r : store::ReferralsOf(c, episode_id)) {
        if (out.view.full || r.from_agency == p.agency_id || r.to_agency == p.agency_id)
          out.referrals.push_back(std::move(r));
      }
      for (auto& t : store::TasksOfEpisode(c, episode_id)) {
        if (out.view.full || t.agency_id == p.agency_id) out.tasks.push_back(std::move(t));
      }
    });
  });
  out.today = Today();
  out.audited = audit_.AppendSoon(accounts::AuthService::ActorOf(p), "episode.read", "episode",
                                  std::to_string(episode_id), "{}");
  return out;
}

bool PathwayService::Sees(const accounts::Principal& p, std::int64_t episode_id) {
  return db_.Read([&](db::Connection& c) {
    auto e = store::GetEpisode(c, episode_id);
    return e && ViewOf(c, p, e->person_id).any;
  });
}

std::vector<Episode> PathwayService::EpisodesOf(const accounts::Principal& p,
                                                std::int64_t person_id) {
  return internal::Guarded(audit_, p, [&] {
    return db_.Read([&](db::Connection& c) {
      if (!people::store::GetPerson(c, person_id) || !ViewOf(c, p, person_id).any) {
        throw Denied{"person", person_id, "no duty towards this person"};
      }
      return store::EpisodesOf(c, store::PersonGroup(c, store::RootPerson(c, person_id)));
    });
  });
}

}  // namespace peyvand::pathway
