#include "modules/people/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "modules/accounts/service.hpp"
#include "modules/people/rules.hpp"
#include "modules/people/store.hpp"
#include "persian/digits.hpp"
#include "persian/national_code.hpp"
#include "persian/normalize.hpp"

namespace peyvand::people {
namespace {

constexpr const char* kNotFound = "رکورد مورد نظر پیدا نشد.";
constexpr std::int64_t kCandidateLimit = 200;   // per name search
constexpr std::int64_t kPerKey = 100;           // newest ids read per blocking key
constexpr std::int64_t kScoredCandidates = 30;  // sharing most keys; scored in memory
constexpr std::size_t kShownCandidates = 10;
constexpr std::size_t kMaxNameBytes = 120;
constexpr int kMinBirthYear = 1300;
constexpr int kMaxBirthYear = 1410;

audit::Actor ActorOf(const accounts::Principal& p) {
  return accounts::AuthService::ActorOf(p);
}

bool MayRegister(const accounts::Principal& p) {
  return p.roles.HasAny({accounts::Role::kOperator, accounts::Role::kAgencyManager});
}

}  // namespace

PeopleService::PeopleService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                             Thresholds thresholds)
    : db_(db), audit_(audit), clock_(clock), thresholds_(thresholds) {}

void PeopleService::RequireRegistrar(const accounts::Principal& p) {
  if (MayRegister(p)) return;
  audit_.AppendAlone(ActorOf(p), "access.denied", "person", "",
                     R"({"reason":"person registration needs operator or agency_manager"})");
  Fail(ErrorCode::kForbidden, "ثبت مددجو فقط از کارشناس یا مدیر دستگاه ساخته است.");
}

NewPerson PeopleService::Validate(const NewPerson& in) const {
  NewPerson out;
  std::vector<FieldError> errors;
  auto name = [&](const char* field, const std::string& raw, bool required) {
    std::string v = persian::Canonical(raw);
    if (required && v.empty()) errors.push_back({field, "این مقدار الزامی است."});
    if (v.size() > kMaxNameBytes) errors.push_back({field, "این مقدار بیش از حد طولانی است."});
    return v;
  };
  out.identity.first_name = name("first_name", in.identity.first_name, true);
  out.identity.last_name = name("last_name", in.identity.last_name, true);
  out.identity.father_name = name("father_name", in.identity.father_name, false);
  if (in.identity.aliases.size() > 10) errors.push_back({"aliases", "حداکثر ۱۰ نام دیگر."});
  for (const auto& a : in.identity.aliases) {
    std::string v = name("aliases", a, false);
    if (!v.empty()) out.identity.aliases.push_back(v);
  }
  if (in.identity.national_code && !in.identity.national_code->empty()) {
    auto code = persian::NormalizeNationalCode(*in.identity.national_code);
    if (code) {
      out.identity.national_code = *code;
    } else {
      errors.push_back({"national_code", code.error().message});
    }
  }
  out.identity.sex = in.identity.sex;
  if (in.identity.birth_year &&
      (*in.identity.birth_year < kMinBirthYear || *in.identity.birth_year > kMaxBirthYear)) {
    errors.push_back({"birth_year", "سال تولد باید سالی شمسی بین ۱۳۰۰ و ۱۴۱۰ باشد."});
  }
  out.identity.birth_year = in.identity.birth_year;
  out.other_id = persian::ToAsciiDigits(persian::Canonical(in.other_id));
  if (out.other_id.size() > 40) errors.push_back({"other_id", "این مقدار بیش از حد طولانی است."});
  out.nationality = in.nationality.empty() ? "IR" : in.nationality;
  bool code_ok =
      out.nationality.size() == 2 && std::all_of(out.nationality.begin(), out.nationality.end(),
                                                 [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!code_ok) errors.push_back({"nationality", "کد دوحرفی کشور (مانند IR یا AF) لازم است."});
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", errors);
  return out;
}

std::vector<Candidate> PeopleService::Match(db::Connection& c, const Identity& id) const {
  std::vector<Candidate> out;
  for (auto& person : store::FindByKeys(c, BlockingKeys(id), kPerKey, kScoredCandidates)) {
    auto score = Score(id, person.identity);
    auto band = Band(score.score, thresholds_);
    if (band == MatchBand::kNone) continue;
    out.push_back({std::move(person), std::move(score), band});
  }
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return a.score.score > b.score.score;
  });
  return out;
}

std::vector<Candidate> PeopleService::Candidates(const accounts::Principal& p,
                                                 const NewPerson& input) {
  RequireRegistrar(p);
  NewPerson clean = Validate(input);
  auto out = db_.Read([&](db::Connection& c) { return Match(c, clean.identity); });
  if (out.size() > kShownCandidates) out.resize(kShownCandidates);
  return out;
}

RegisterResult PeopleService::Register(const accounts::Principal& p, const NewPerson& input,
                                       bool confirm_new) {
  RequireRegistrar(p);
  NewPerson clean = Validate(input);
  return db_.Write([&](db::Connection& tx) { return RegisterIn(tx, p, clean, confirm_new); });
}

RegisterResult PeopleService::RegisterIn(db::Connection& tx, const accounts::Principal& p,
                                         const NewPerson& clean, bool confirm_new) {
  RegisterResult result;
  auto candidates = Match(tx, clean.identity);
  bool strong = std::any_of(candidates.begin(), candidates.end(),
                            [](const Candidate& c) { return c.band == MatchBand::kStrong; });
  if (strong && !confirm_new) {
    Fail(
        ErrorCode::kConflict,
        "به احتمال زیاد این فرد پیش‌تر ثبت شده است. موارد مشابه را بررسی کنید و اگر فرد دیگری است، ثبت را تأیید کنید.",
        {{"confirm_new", "برای ثبت فرد تازه با وجود مورد مشابه، تأیید لازم است."}});
  }
  if (clean.identity.national_code &&
      store::FindByNationalCode(tx, *clean.identity.national_code)) {
    Fail(ErrorCode::kConflict,
         "فردی با این کد ملی پیش‌تر ثبت شده است.",
         {{"national_code", "تکراری است."}});
  }
  Person person;
  person.identity = clean.identity;
  person.other_id = clean.other_id;
  person.nationality = clean.nationality;
  person.registered_by_agency = p.agency_id;
  person.registered_by_user = p.user_id;
  std::int64_t now = clock_.NowMillis();
  try {
    person.id = store::InsertPerson(tx, person, now);
  } catch (const db::UniqueViolation&) {
    Fail(ErrorCode::kConflict,
         "فردی با این کد ملی پیش‌تر ثبت شده است.",
         {{"national_code", "تکراری است."}});
  }
  person.created_at = now;
  store::InsertKeys(tx, person.id, BlockingKeys(person.identity));
  for (const auto& c : candidates) {
    boost::json::array reasons;
    for (const auto& r : c.score.reasons) {
      reasons.push_back(
          boost::json::object{{"field", r.field}, {"result", r.result}, {"points", r.points}});
    }
    store::InsertPair(tx, person.id, c.person.id, c.score.score, boost::json::serialize(reasons),
                      now);
    result.review_pairs++;
  }
  // No names in the audit summary: the log is read by auditors, not by the duty.
  audit_.Append(tx, ActorOf(p), "person.create", "person", std::to_string(person.id),
                boost::json::serialize(boost::json::object{
                    {"has_national_code", person.identity.national_code.has_value()},
                    {"review_pairs", result.review_pairs},
                    {"confirmed_despite_match", strong}}));
  result.person = person;
  return result;
}

Sight PeopleService::SightOf(db::Connection& c, const accounts::Principal& p,
                             const Person& person) const {
  if (access_) return access_->SightOf(c, p, person);
  return person.registered_by_agency == p.agency_id ? Sight::kFull : Sight::kNone;
}

namespace {

// The record as `sight` shows it (kReduced drops the identifiers).
void Restrict(Person& person, Sight sight) {
  if (sight != Sight::kReduced) return;
  person.identity.national_code.reset();
  person.identity.aliases.clear();
  person.other_id.clear();
}

}  // namespace

Person PeopleService::Get(const accounts::Principal& p, std::int64_t id) {
  std::optional<Person> person;
  bool may = false;
  db_.Read([&](db::Connection& c) {
    person = store::GetPerson(c, id);
    Sight sight = person ? SightOf(c, p, *person) : Sight::kNone;
    may = sight != Sight::kNone;
    if (may) Restrict(*person, sight);
  });
  if (!may) {
    audit_.AppendAlone(ActorOf(p), "access.denied", "person", std::to_string(id),
                       R"({"reason":"no duty towards this person"})");
    Fail(ErrorCode::kNotFound, kNotFound);
  }
  audit_.AppendAlone(ActorOf(p), "person.read", "person", std::to_string(id), "{}");
  return *person;
}

namespace {

// Field name → its value as shown in a revision.
boost::json::object Snapshot(const Person& p) {
  boost::json::array aliases;
  for (const auto& a : p.identity.aliases) aliases.push_back(boost::json::string(a));
  boost::json::object o{
      {"first_name", p.identity.first_name},   {"last_name", p.identity.last_name},
      {"father_name", p.identity.father_name}, {"aliases", aliases},
      {"sex", SexCode(p.identity.sex)},        {"other_id", p.other_id},
      {"nationality", p.nationality}};
  o["national_code"] =
      p.identity.national_code ? boost::json::value(*p.identity.national_code) : nullptr;
  o["birth_year"] = p.identity.birth_year ? boost::json::value(*p.identity.birth_year) : nullptr;
  return o;
}

}  // namespace

Person PeopleService::Update(const accounts::Principal& p, std::int64_t id,
                             const NewPerson& input) {
  RequireRegistrar(p);
  NewPerson clean = Validate(input);
  bool denied = false;
  std::optional<Person> out;
  try {
    db_.Write([&](db::Connection& tx) {
      auto person = store::GetPerson(tx, id);
      if (!person || SightOf(tx, p, *person) == Sight::kNone) {
        denied = true;
        Fail(ErrorCode::kNotFound, kNotFound);
      }
      if (person->merged_into) {
        Fail(ErrorCode::kConflict, "این رکورد در رکورد دیگری ادغام شده است؛ آن را ویرایش کنید.");
      }
      Person updated = *person;
      updated.identity = clean.identity;
      updated.other_id = clean.other_id;
      updated.nationality = clean.nationality;
      auto before = Snapshot(*person);
      auto after = Snapshot(updated);
      std::string changed;
      boost::json::object previous;
      for (const auto& [key, value] : before) {
        if (after.at(key) == value) continue;
        changed += (changed.empty() ? "" : ",") + std::string(key);
        previous[key] = value;
      }
      if (changed.empty()) {
        out = *person;
        return;
      }
      if (updated.identity.national_code &&
          updated.identity.national_code != person->identity.national_code) {
        if (auto other = store::FindByNationalCode(tx, *updated.identity.national_code);
            other && other->id != id) {
          Fail(ErrorCode::kConflict,
               "فردی با این کد ملی پیش‌تر ثبت شده است.",
               {{"national_code", "تکراری است."}});
        }
      }
      std::int64_t now = clock_.NowMillis();
      store::UpdatePerson(tx, updated, now);
      store::ReplaceKeys(tx, id, BlockingKeys(updated.identity));
      store::InsertRevision(tx, id, p.user_id, p.agency_id, changed,
                            boost::json::serialize(previous), now);
      int pairs = 0;
      for (const auto& c : Match(tx, updated.identity)) {
        if (c.person.id == id) continue;
        boost::json::array reasons;
        for (const auto& r : c.score.reasons) {
          reasons.push_back(
              boost::json::object{{"field", r.field}, {"result", r.result}, {"points", r.points}});
        }
        store::InsertPair(tx, id, c.person.id, c.score.score, boost::json::serialize(reasons), now);
        ++pairs;
      }
      // Field names only: the values are in the revision, readable by those with the duty.
      audit_.Append(tx, ActorOf(p), "person.update", "person", std::to_string(id),
                    boost::json::serialize(
                        boost::json::object{{"changed", changed}, {"review_pairs", pairs}}));
      out = updated;
    });
  } catch (const db::UniqueViolation&) {
    Fail(ErrorCode::kConflict,
         "فردی با این کد ملی پیش‌تر ثبت شده است.",
         {{"national_code", "تکراری است."}});
  } catch (const AppError& e) {
    if (denied) {
      audit_.AppendAlone(ActorOf(p), "access.denied", "person", std::to_string(id),
                         R"({"reason":"edit without a duty towards this person"})");
    }
    throw;
  }
  return *out;
}

std::vector<Revision> PeopleService::History(const accounts::Principal& p, std::int64_t id) {
  std::vector<Revision> out;
  bool may = false;
  db_.Read([&](db::Connection& c) {
    auto person = store::GetPerson(c, id);
    may = person && SightOf(c, p, *person) != Sight::kNone;
    if (may) out = store::Revisions(c, id);
  });
  if (!may) Fail(ErrorCode::kNotFound, kNotFound);
  return out;
}

std::vector<Person> PeopleService::Search(const accounts::Principal& p, const std::string& query) {
  std::string q = persian::Canonical(query);
  if (q.empty() || q.size() > 200)
    Fail(ErrorCode::kInvalid, "عبارت جست‌وجو را وارد کنید.",
         {{"q", "الزامی است."}});
  std::vector<Person> found;
  std::vector<Person> visible;
  db_.Read([&](db::Connection& c) {
    std::string digits = persian::ToAsciiDigits(q);
    if (std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      auto code = persian::NormalizeNationalCode(digits);
      if (!code) Fail(ErrorCode::kInvalid, code.error().message, {{"q", code.error().message}});
      if (auto person = store::FindByNationalCode(c, *code)) found.push_back(*person);
      return;
    }
    auto space = q.find(' ');
    if (space == std::string::npos) {
      found = store::FindByNameKey(c, persian::MatchKey(q), kCandidateLimit);
      return;
    }
    // "first last" or "last first": try both readings of the first space.
    std::string a = persian::MatchKey(q.substr(0, space));
    std::string b = persian::MatchKey(q.substr(space + 1));
    found = store::FindByNameKeys(c, a, b, kCandidateLimit);
    for (auto& x : store::FindByNameKeys(c, b, a, kCandidateLimit)) found.push_back(std::move(x));
    // A whole typed name ("محمد رضا") may be one first name.
    for (auto& x : store::FindByNameKey(c, persian::MatchKey(q), kCandidateLimit))
      found.push_back(std::move(x));
  });
  db_.Read([&](db::Connection& c) {
    for (auto& person : found) {
      bool dup = std::any_of(visible.begin(), visible.end(),
                             [&](const Person& v) { return v.id == person.id; });
      if (dup) continue;
      Sight sight = SightOf(c, p, person);
      if (sight == Sight::kNone) continue;
      Restrict(person, sight);
      visible.push_back(std::move(person));
    }
  });
  audit_.AppendAlone(ActorOf(p), "person.search", "person", "",
                     boost::json::serialize(boost::json::object{{"results", visible.size()}}));
  return visible;
}

void PeopleService::RequireReviewer(const accounts::Principal& p) {
  if (p.roles.Has(accounts::Role::kCoordinator)) return;
  audit_.AppendAlone(ActorOf(p), "access.denied", "person_pair", "",
                     R"({"reason":"duplicate review needs the coordinator role"})");
  Fail(
      ErrorCode::kForbidden,
      "بررسی موارد تکراری از هماهنگ‌کنندهٔ استانی ساخته است.");
}

PeopleService::PairPage PeopleService::ListPairs(const accounts::Principal& p,
                                                 const std::string& status, std::int64_t limit,
                                                 std::int64_t offset) {
  RequireReviewer(p);
  if (status != "open" && status != "same" && status != "different") {
    Fail(ErrorCode::kInvalid, "وضعیت نامعتبر است.",
         {{"status", "یکی از open، same یا different."}});
  }
  PairPage page;
  db_.Read([&](db::Connection& c) {
    page.pairs = store::ListPairs(c, status, limit, offset);
    page.total = store::CountPairs(c, status);
  });
  audit_.AppendAlone(ActorOf(p), "person_pair.list", "person_pair", "",
                     boost::json::serialize(
                         boost::json::object{{"status", status}, {"shown", page.pairs.size()}}));
  return page;
}

Pair PeopleService::Decide(const accounts::Principal& p, std::int64_t pair_id,
                           const std::string& decision) {
  RequireReviewer(p);
  if (decision != "same" && decision != "different") {
    Fail(ErrorCode::kInvalid, "تصمیم نامعتبر است.", {{"decision", "یکی از same یا different."}});
  }
  return db_.Write([&](db::Connection& tx) {
    auto pair = store::GetPair(tx, pair_id);
    if (!pair) Fail(ErrorCode::kNotFound, kNotFound);
    if (pair->a.merged_into || pair->b.merged_into) {
      Fail(
          ErrorCode::kConflict,
          "یکی از این دو پرونده پیش‌تر در پروندهٔ دیگری ادغام شده است.");
    }
    std::int64_t now = clock_.NowMillis();
    if (!store::DecidePair(tx, pair_id, decision, p.user_id, now)) {
      Fail(ErrorCode::kConflict,
           "دربارهٔ این مورد پیش‌تر تصمیم گرفته شده است.");
    }
    std::int64_t survivor = std::min(pair->a.id, pair->b.id);
    std::int64_t merged = std::max(pair->a.id, pair->b.id);
    if (decision == "same") {
      store::SetMergedInto(tx, merged, survivor, now);
      audit_.Append(
          tx, ActorOf(p), "person.merge", "person", std::to_string(merged),
          boost::json::serialize(boost::json::object{{"into", survivor}, {"pair", pair_id}}));
    } else {
      audit_.Append(tx, ActorOf(p), "person_pair.different", "person_pair", std::to_string(pair_id),
                    "{}");
    }
    pair->status = decision;
    return *pair;
  });
}

PeopleService::BatchResult PeopleService::BatchMatch(
    std::int64_t after_id,
    const std::function<void(std::int64_t, std::int64_t, std::int64_t)>& progress) {
  constexpr std::int64_t kChunk = 2000;
  BatchResult result;
  std::int64_t total =
      db_.Read([&](db::Connection& c) { return store::CountLivePersonsAfter(c, after_id); });
  std::int64_t cursor = after_id;
  struct Found {
    std::int64_t a, b;
    int score;
    std::string reasons;
  };
  while (true) {
    std::vector<Found> found;
    std::set<std::pair<std::int64_t, std::int64_t>> in_chunk;  // a→b and b→a are one pair
    std::int64_t seen = 0;
    // Matching reads; only the new pairs are written, in one short transaction per chunk.
    db_.Read([&](db::Connection& c) {
      for (const auto& person : store::LivePersonsAfter(c, cursor, kChunk)) {
        ++seen;
        cursor = person.id;
        for (const auto& cand : Match(c, person.identity)) {
          auto key = std::minmax(person.id, cand.person.id);
          if (cand.person.id == person.id || !in_chunk.insert(key).second ||
              store::PairExists(c, person.id, cand.person.id)) {
            continue;
          }
          boost::json::array reasons;
          for (const auto& r : cand.score.reasons) {
            reasons.push_back(boost::json::object{
                {"field", r.field}, {"result", r.result}, {"points", r.points}});
          }
          found.push_back(
              {person.id, cand.person.id, cand.score.score, boost::json::serialize(reasons)});
        }
      }
    });
    if (seen == 0) break;
    if (!found.empty()) {
      db_.Write([&](db::Connection& tx) {
        std::int64_t now = clock_.NowMillis();
        for (const auto& f : found) store::InsertPair(tx, f.a, f.b, f.score, f.reasons, now);
      });
    }
    result.checked += seen;
    result.new_pairs += static_cast<std::int64_t>(found.size());
    if (progress) progress(result.checked, total, result.new_pairs);
  }
  audit::Actor system;
  system.username = "system";
  system.request_id = "people.match";
  audit_.AppendAlone(system, "person_pair.batch_match", "person_pair", "",
                     boost::json::serialize(boost::json::object{{"checked", result.checked},
                                                                {"new_pairs", result.new_pairs}}));
  return result;
}

void PeopleService::Unmerge(const accounts::Principal& p, std::int64_t person_id) {
  RequireReviewer(p);
  db_.Write([&](db::Connection& tx) {
    auto person = store::GetPerson(tx, person_id);
    if (!person) Fail(ErrorCode::kNotFound, kNotFound);
    if (!person->merged_into) Fail(ErrorCode::kConflict, "این پرونده ادغام نشده است.");
    std::int64_t now = clock_.NowMillis();
    store::SetMergedInto(tx, person_id, std::nullopt, now);
    store::ReopenMergedPair(tx, person_id, p.user_id, now);
    audit_.Append(
        tx, ActorOf(p), "person.unmerge", "person", std::to_string(person_id),
        boost::json::serialize(boost::json::object{{"was_merged_into", *person->merged_into}}));
  });
}

}  // namespace peyvand::people
