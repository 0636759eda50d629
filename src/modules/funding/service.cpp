#include "modules/funding/service.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "modules/accounts/service.hpp"
#include "modules/funding/rules.hpp"
#include "modules/pathway/rules.hpp"
#include "persian/jalali.hpp"
#include "persian/normalize.hpp"

namespace peyvand::funding {
namespace {

constexpr const char* kNotFound = "رکورد مورد نظر پیدا نشد.";
constexpr const char* kInvalidInput = "برخی از مقادیر ورودی نامعتبر است.";
constexpr std::int64_t kFarPast = -1'000'000;  // unix days; wider than any calendar we accept
constexpr std::int64_t kFarFuture = 1'000'000;

// Thrown inside a transaction when the principal lacks the right the record calls for; the
// denial is audited after the rollback (an audit write cannot nest in the transaction).
struct Denied {
  std::string record_type;
  std::int64_t record_id = 0;
  std::string reason;
};

std::string Json(boost::json::object o) {
  return boost::json::serialize(o);
}

[[noreturn]] void FieldFail(const char* field, std::string message) {
  Fail(ErrorCode::kInvalid, kInvalidInput, {{field, std::move(message)}});
}

// The end of an Iran calendar day, in UTC milliseconds: a clause's deadline is the whole day.
std::int64_t EndOfDay(std::int64_t day) {
  return ((day + 1) * 86400 - persian::kIranOffsetSeconds) * 1000 - 1;
}

std::string SearchKey(const std::string& number, const std::string& title) {
  return persian::MatchKey(number + " " + title);
}

const char* kNoManage =
    "این کار از هماهنگ‌کنندهٔ استان یا مدیر سامانه ساخته است.";

}  // namespace

FundingService::FundingService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                               pathway::PathwayService& pathway, std::string data_dir)
    : db_(db), audit_(audit), clock_(clock), pathway_(pathway), data_dir_(std::move(data_dir)) {}

std::int64_t FundingService::Today() const {
  return pathway::IranDay(clock_.NowMillis());
}

bool FundingService::MayManage(const accounts::Principal& p) {
  return funding::MayManage(p.roles);
}

bool FundingService::MayRecordAt(const accounts::Principal& p, Stage stage,
                                 std::int64_t agency_id) {
  return MayRecord(p.roles, p.agency_id, stage, agency_id);
}

void FundingService::Deny(const accounts::Principal& p, const std::string& type, std::int64_t id,
                          const std::string& reason) {
  audit_.AppendAlone(accounts::AuthService::ActorOf(p), "access.denied", type,
                     id ? std::to_string(id) : std::string(), Json({{"reason", reason}}));
}

void FundingService::RequireManage(const accounts::Principal& p, const char* what) {
  if (MayManage(p)) return;
  Deny(p, "resolution", 0, std::string(what) + " needs coordinator or system_admin");
  Fail(ErrorCode::kForbidden, kNoManage);
}

std::vector<Council> FundingService::Councils() {
  return db_.Read([](db::Connection& c) { return store::Councils(c); });
}

ResolutionPage FundingService::ListResolutions(const accounts::Principal&, const ResolutionQuery& q,
                                               std::int64_t limit, std::int64_t offset) {
  store::ResolutionFilter f;
  f.query_key = persian::MatchKey(q.text);
  f.council_id = q.council_id.value_or(0);
  f.status = IsStatus(q.status) ? q.status : "";
  return db_.Read([&](db::Connection& c) {
    ResolutionPage page;
    page.items = store::ListResolutions(c, f, limit, offset);
    page.total = store::CountResolutions(c, f);
    return page;
  });
}

Resolution FundingService::CreateResolution(const accounts::Principal& p, NewResolution in) {
  RequireManage(p, "creating a resolution");
  in.number = persian::Canonical(in.number);
  in.title = persian::Canonical(in.title);
  in.body = persian::CanonicalMultiline(in.body);
  CheckResolution(in, Today());
  try {
    return db_.Write([&](db::Connection& tx) {
      auto council = store::CouncilByCode(tx, in.council);
      if (!council) FieldFail("council", "چنین شورایی تعریف نشده است.");
      Resolution r;
      r.council_id = council->id;
      r.council_code = council->code;
      r.council_name = council->name;
      r.number = in.number;
      r.day = *in.day;
      r.title = in.title;
      r.body = in.body;
      r.status = "active";
      r.created_by = p.user_id;
      std::int64_t now = clock_.NowMillis();
      r.id = store::InsertResolution(tx, r, SearchKey(r.number, r.title), now);
      r.created_at = r.updated_at = now;
      audit_.Append(tx, accounts::AuthService::ActorOf(p), "resolution.create", "resolution",
                    std::to_string(r.id),
                    Json({{"council", r.council_code},
                          {"number", r.number},
                          {"day", r.day},
                          {"title", r.title}}));
      return r;
    });
  } catch (const db::UniqueViolation&) {
    Fail(
        ErrorCode::kConflict,
        "مصوبه‌ای با این شماره از این شورا پیش‌تر ثبت شده است.",
        {{"number", "این شماره برای این شورا تکراری است."}});
  }
}

Resolution FundingService::UpdateResolution(const accounts::Principal& p, std::int64_t id,
                                            ResolutionPatch in) {
  RequireManage(p, "editing a resolution");
  if (in.title) in.title = persian::Canonical(*in.title);
  if (in.body) in.body = persian::CanonicalMultiline(*in.body);
  CheckPatch(in);
  return db_.Write([&](db::Connection& tx) {
    auto r = store::GetResolution(tx, id);
    if (!r) Fail(ErrorCode::kNotFound, kNotFound);
    boost::json::object before{{"title", r->title}, {"status", r->status}};
    std::string old_status = r->status;
    if (in.title) r->title = *in.title;
    if (in.body) r->body = *in.body;
    if (in.status) r->status = *in.status;
    std::int64_t now = clock_.NowMillis();
    store::UpdateResolution(tx, *r, SearchKey(r->number, r->title), now);
    std::int64_t cancelled = 0;
    if (r->status == "cancelled" && old_status != "cancelled") {
      // A cancelled resolution binds no one: its open clause tasks leave the queues.
      for (const auto& cl : store::ClausesOf(tx, id)) {
        cancelled += pathway_.CancelClauseTasks(tx, cl.id, "مصوبه لغو شد", p.user_id);
      }
    }
    r->updated_at = now;
    audit_.Append(tx, accounts::AuthService::ActorOf(p), "resolution.update", "resolution",
                  std::to_string(id),
                  Json({{"before", before},
                        {"after", {{"title", r->title}, {"status", r->status}}},
                        {"body_changed", in.body.has_value()},
                        {"cancelled_tasks", cancelled}}));
    return *r;
  });
}

ResolutionView FundingService::GetResolution(const accounts::Principal&, std::int64_t id) {
  return db_.Read([&](db::Connection& c) {
    ResolutionView v;
    auto r = store::GetResolution(c, id);
    if (!r) Fail(ErrorCode::kNotFound, kNotFound);
    v.resolution = *r;
    for (auto& cl : store::ClausesOf(c, id)) {
      ClauseView cv;
      cv.tasks = pathway_.ClauseTasks(c, cl.id);
      cv.clause = std::move(cl);
      v.clauses.push_back(std::move(cv));
    }
    v.documents = store::DocumentsOf(c, id);
    return v;
  });
}

std::int64_t FundingService::ResolutionOfClause(std::int64_t clause_id) {
  return db_.Read([&](db::Connection& c) {
    auto cl = store::GetClause(c, clause_id);
    if (!cl) Fail(ErrorCode::kNotFound, kNotFound);
    return cl->resolution_id;
  });
}

CreditEntry FundingService::Append(db::Connection& tx, const accounts::Principal& p,
                                   CreditEntry e) {
  std::int64_t now = clock_.NowMillis();
  auto before = store::LockShare(tx, e.clause_id, e.agency_id, now);
  if (!before) FieldFail("agency_id", "این دستگاه مسئول این بند نیست.");
  StageTotals after = ApplyEntry(*before, e.stage, e.amount).ValueOrThrow();
  e.created_by = p.user_id;
  e.created_at = now;
  e.id = store::InsertEntry(tx, e, now);
  store::SetShareTotals(tx, e.clause_id, e.agency_id, after);
  return e;
}

Clause FundingService::AddClause(const accounts::Principal& p, std::int64_t resolution_id,
                                 NewClause in) {
  RequireManage(p, "adding a clause");
  in.body = persian::CanonicalMultiline(in.body);
  in.expected_output = persian::CanonicalMultiline(in.expected_output);
  return db_.Write([&](db::Connection& tx) {
    auto r = store::GetResolution(tx, resolution_id);
    if (!r) Fail(ErrorCode::kNotFound, kNotFound);
    if (r->status == "cancelled") {
      Fail(ErrorCode::kConflict,
           "این مصوبه لغو شده است و بند تازه نمی‌پذیرد.");
    }
    CheckClause(in, r->day);
    Clause cl;
    cl.resolution_id = resolution_id;
    cl.seq = in.seq ? *in.seq : store::NextSeq(tx, resolution_id);
    if (cl.seq > kMaxClauseSeq) FieldFail("seq", "شمارهٔ بند باید بین ۱ تا ۹۹۹ باشد.");
    if (store::SeqTaken(tx, resolution_id, cl.seq)) {
      Fail(ErrorCode::kConflict, "این مصوبه بندی با همین شماره دارد.",
           {{"seq", "شمارهٔ بند تکراری است."}});
    }
    cl.body = in.body;
    cl.expected_output = in.expected_output;
    cl.deadline_day = *in.deadline_day;
    cl.status = "active";
    for (const auto& s : in.shares) {
      auto agency = store::Agency(tx, s.agency_id);
      if (!agency || !agency->active) {
        FieldFail("agencies", "دستگاه مسئول پیدا نشد یا غیرفعال است.");
      }
    }
    std::int64_t now = clock_.NowMillis();
    cl.id = store::InsertClause(tx, cl, p.user_id, now);
    cl.created_at = now;
    boost::json::array shares;
    for (const auto& s : in.shares) {
      store::InsertShare(tx, cl.id, s.agency_id, now);
      if (s.cost > 0) {
        CreditEntry e;
        e.clause_id = cl.id;
        e.agency_id = s.agency_id;
        e.stage = Stage::kNeeded;
        e.amount = s.cost;
        e.note = "برآورد هنگام ثبت بند";
        Append(tx, p, e);
      }
      pathway_.AddClauseTask(tx, s.agency_id, cl.id, EndOfDay(cl.deadline_day));
      shares.push_back(boost::json::object{{"agency_id", s.agency_id}, {"cost_rials", s.cost}});
    }
    audit_.Append(tx, accounts::AuthService::ActorOf(p), "clause.create", "resolution_clause",
                  std::to_string(cl.id),
                  Json({{"resolution_id", resolution_id},
                        {"seq", cl.seq},
                        {"deadline_day", cl.deadline_day},
                        {"shares", shares}}));
    return *store::GetClause(tx, cl.id);
  });
}

void FundingService::WithdrawClause(const accounts::Principal& p, std::int64_t clause_id,
                                    const std::string& raw_reason) {
  RequireManage(p, "withdrawing a clause");
  std::string reason = persian::CanonicalMultiline(raw_reason);
  std::size_t n = CountCodePoints(reason);
  if (n < 5)
    FieldFail("reason",
              "دلیل پس گرفتن بند را بنویسید (دست‌کم ۵ نویسه).");
  if (n > 1000) FieldFail("reason", "این مقدار بیش از حد طولانی است.");
  db_.Write([&](db::Connection& tx) {
    if (!store::GetClause(tx, clause_id)) Fail(ErrorCode::kNotFound, kNotFound);
    if (!store::WithdrawClause(tx, clause_id, reason, p.user_id, clock_.NowMillis())) {
      Fail(ErrorCode::kConflict, "این بند پیش‌تر پس گرفته شده است.");
    }
    std::int64_t cancelled = pathway_.CancelClauseTasks(tx, clause_id, reason, p.user_id);
    audit_.Append(tx, accounts::AuthService::ActorOf(p), "clause.withdraw", "resolution_clause",
                  std::to_string(clause_id),
                  Json({{"reason", reason}, {"cancelled_tasks", cancelled}}));
  });
}

CreditEntry FundingService::Record(const accounts::Principal& p, NewEntry in) {
  auto stage = StageFromCode(in.stage);
  if (!stage) FieldFail("stage", "مرحلهٔ اعتبار نامعتبر است.");
  if (auto err = CheckNewAmount(in.amount)) throw AppError(*err);
  in.note = persian::CanonicalMultiline(in.note);
  if (CountCodePoints(in.note) > 1000) FieldFail("note", "این مقدار بیش از حد طولانی است.");
  if (!MayRecord(p.roles, p.agency_id, *stage, in.agency_id)) {
    Deny(p, "resolution_clause", in.clause_id,
         std::string("recording ") + StageCode(*stage) + " on agency " +
             std::to_string(in.agency_id) + "'s share");
    Fail(
        ErrorCode::kForbidden,
        *stage == Stage::kCommitted || *stage == Stage::kPaid
            ? "ثبت تعهد و پرداخت از هماهنگ‌کنندهٔ استان، مدیر سامانه یا مدیر همان دستگاه ساخته است."
            : kNoManage);
  }
  return db_.Write([&](db::Connection& tx) {
    auto cl = store::GetClause(tx, in.clause_id);
    if (!cl) Fail(ErrorCode::kNotFound, kNotFound);
    if (cl->status != "active") {
      Fail(
          ErrorCode::kConflict,
          "این بند پس گرفته شده است؛ تنها برگرداندن ثبت‌های پیشین آن ممکن است.");
    }
    // The page hides the form once a resolution is cancelled; the API must refuse as well.
    auto res = store::GetResolution(tx, cl->resolution_id);
    if (!res || res->status == "cancelled") {
      Fail(
          ErrorCode::kConflict,
          "این مصوبه لغو شده است؛ تنها برگرداندن ثبت‌های پیشین آن ممکن است.");
    }
    CreditEntry e;
    e.clause_id = in.clause_id;
    e.agency_id = in.agency_id;
    e.stage = *stage;
    e.amount = *in.amount;
    e.note = in.note;
    e = Append(tx, p, e);
    audit_.Append(tx, accounts::AuthService::ActorOf(p), "credit.record", "credit_entry",
                  std::to_string(e.id),
                  Json({{"clause_id", e.clause_id},
                        {"agency_id", e.agency_id},
                        {"stage", StageCode(e.stage)},
                        {"amount_rials", e.amount},
                        {"note", e.note}}));
    return *store::GetEntry(tx, e.id);
  });
}

CreditEntry FundingService::Reverse(const accounts::Principal& p, std::int64_t entry_id,
                                    const std::string& raw_note) {
  std::string note = persian::CanonicalMultiline(raw_note);
  if (CountCodePoints(note) > 1000) FieldFail("note", "این مقدار بیش از حد طولانی است.");
  try {
    return db_.Write([&](db::Connection& tx) {
      auto original = store::GetEntry(tx, entry_id);
      if (!original) Fail(ErrorCode::kNotFound, kNotFound);
      if (!MayRecord(p.roles, p.agency_id, original->stage, original->agency_id)) {
        throw Denied{"credit_entry", entry_id,
                     std::string("reversing ") + StageCode(original->stage) + " of another share"};
      }
      // Claim the share, then read the entry again: a reversal that committed meanwhile is seen.
      if (!store::LockShare(tx, original->clause_id, original->agency_id, clock_.NowMillis())) {
        Fail(ErrorCode::kNotFound, kNotFound);
      }
      original = store::GetEntry(tx, entry_id);
      if (auto err = CheckReversal(*original)) throw AppError(*err);
      CreditEntry e;
      e.clause_id = original->clause_id;
      e.agency_id = original->agency_id;
      e.stage = original->stage;
      e.amount = -original->amount;
      e.reverses_entry_id = entry_id;
      e.note = note;
      e = Append(tx, p, e);
      audit_.Append(tx, accounts::AuthService::ActorOf(p), "credit.reverse", "credit_entry",
                    std::to_string(e.id),
                    Json({{"reverses_entry_id", entry_id},
                          {"clause_id", e.clause_id},
                          {"agency_id", e.agency_id},
                          {"stage", StageCode(e.stage)},
                          {"amount_rials", e.amount},
                          {"note", e.note}}));
      return *store::GetEntry(tx, e.id);
    });
  } catch (const Denied& d) {
    Deny(p, d.record_type, d.record_id, d.reason);
    Fail(
        ErrorCode::kForbidden,
        "برگرداندن این ثبت از کسی ساخته است که ثبت همان مرحله را بر این سهم می‌تواند.");
  } catch (const db::UniqueViolation&) {
    Fail(
        ErrorCode::kRefused,
        "این ثبت پیش‌تر برگردانده شده است؛ هر ثبت تنها یک بار برگردانده می‌شود.");
  }
}

EntryPage FundingService::Ledger(const store::EntryFilter& f, std::int64_t limit,
                                 std::int64_t offset) {
  return db_.Read([&](db::Connection& c) {
    EntryPage page;
    page.items = store::Entries(c, f, limit, offset);
    page.total = store::CountEntries(c, f);
    return page;
  });
}

std::vector<UnfundedClause> FundingService::Unfunded(const UnfundedFilter& f, std::int64_t limit,
                                                     std::int64_t offset) {
  return db_.Read([&](db::Connection& c) { return store::Unfunded(c, f, limit, offset); });
}

UnfundedCount FundingService::CountUnfunded(const UnfundedFilter& f) {
  return db_.Read([&](db::Connection& c) {
    auto [n, gap] = store::CountUnfunded(c, f);
    return UnfundedCount{n, gap};
  });
}

std::vector<std::pair<std::int64_t, StageTotals>> FundingService::TotalsByAgency(
    std::optional<std::int64_t> from_day, std::optional<std::int64_t> to_day) {
  return db_.Read([&](db::Connection& c) {
    return store::TotalsByAgency(c, from_day.value_or(kFarPast), to_day.value_or(kFarFuture));
  });
}

AgencyFunding FundingService::AgencyFundingOf(std::int64_t agency_id, std::int64_t limit,
                                              std::int64_t offset) {
  return db_.Read([&](db::Connection& c) {
    auto agency = store::Agency(c, agency_id);
    if (!agency) Fail(ErrorCode::kNotFound, kNotFound);
    AgencyFunding out;
    out.agency = *agency;
    for (const auto& [id, totals] : store::TotalsByAgency(c, kFarPast, kFarFuture)) {
      if (id == agency_id) out.totals = totals;
    }
    out.shares = store::SharesOfAgency(c, agency_id, limit, offset);
    out.share_count = store::CountSharesOfAgency(c, agency_id);
    return out;
  });
}

}  // namespace peyvand::funding
