// Facilities and their beds, stays past their legal end, and complaints.
#include <algorithm>

#include "core/error.hpp"
#include "modules/accounts/crypto.hpp"
#include "modules/pathway/rules.hpp"
#include "modules/pathway/service.hpp"
#include "modules/pathway/service_internal.hpp"
#include "persian/normalize.hpp"

namespace peyvand::pathway {

using internal::Json;

namespace {

const char* const kFacilityKinds[] = {"treatment_centre", "shelter", "camp", "hospital",
                                      "prison_unit"};
constexpr int kMaxCapacity = 10000;

bool ValidCode(const std::string& code) {
  return code.size() >= 2 && code.size() <= 40 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

// Ten random digits: easy to read out on the phone, not guessable.
std::string NewTrackingCode() {
  std::string raw = accounts::RandomToken(16);
  std::string out;
  for (unsigned char c : raw) {
    out += static_cast<char>('0' + c % 10);
    if (out.size() == 10) break;
  }
  return out;
}

}  // namespace

std::vector<Facility> PathwayService::Facilities(const accounts::Principal&) {
  return db_.Read([](db::Connection& c) { return store::ListFacilities(c); });
}

Facility PathwayService::SaveFacility(const accounts::Principal& p, const Facility& raw) {
  Facility f = raw;
  f.name = persian::Canonical(f.name);
  bool admin = p.roles.Has(accounts::Role::kSystemAdmin);
  bool manager = p.roles.Has(accounts::Role::kAgencyManager) && f.agency_id == p.agency_id;
  if (!admin && !manager) {
    Deny(p, "facility", f.id, "facilities are managed by system_admin or the operator's manager");
    Fail(ErrorCode::kForbidden, "مدیریت این مرکز از دستگاه شما ساخته نیست.");
  }
  std::vector<FieldError> errors;
  if (f.id == 0 && !ValidCode(f.code)) {
    errors.push_back({"code", "شناسه با حروف کوچک لاتین، رقم و خط تیره، ۲ تا ۴۰ نویسه."});
  }
  if (f.name.empty() || CountCodePoints(f.name) > 200)
    errors.push_back({"name", "نام مرکز الزامی است."});
  if (std::none_of(std::begin(kFacilityKinds), std::end(kFacilityKinds),
                   [&](const char* k) { return f.kind == k; })) {
    errors.push_back({"kind", "نوع مرکز نامعتبر است."});
  }
  if (f.capacity_male < 0 || f.capacity_male > kMaxCapacity) {
    errors.push_back({"capacity_male", "ظرفیت باید بین ۰ و ۱۰٬۰۰۰ باشد."});
  }
  if (f.capacity_female < 0 || f.capacity_female > kMaxCapacity) {
    errors.push_back({"capacity_female", "ظرفیت باید بین ۰ و ۱۰٬۰۰۰ باشد."});
  }
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", errors);
  try {
    return db_.Write([&](db::Connection& tx) {
      std::int64_t now = clock_.NowMillis();
      if (!store::CountyExists(tx, f.county_id)) {
        Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
             {{"county_id", "شهرستان نامعتبر است."}});
      }
      if (f.id == 0) {
        if (!store::AgencyActive(tx, f.agency_id)) {
          Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
               {{"agency_id", "دستگاه نامعتبر یا غیرفعال است."}});
        }
        f.id = store::InsertFacility(tx, f, now);
      } else {
        auto old = store::GetFacility(tx, f.id);
        if (!old || (!admin && old->agency_id != p.agency_id))
          Fail(ErrorCode::kNotFound, internal::kNotFound);
        if (f.capacity_male < old->occupied_male || f.capacity_female < old->occupied_female) {
          Fail(
              ErrorCode::kConflict,
              "ظرفیت نمی‌تواند از شمار پذیرش‌شدگان کنونی کمتر باشد.");
        }
        f.code = old->code;
        f.agency_id = old->agency_id;
        f.county_id = old->county_id;
        store::UpdateFacility(tx, f, now);
      }
      audit_.Append(tx, accounts::AuthService::ActorOf(p),
                    raw.id == 0 ? "facility.create" : "facility.update", "facility",
                    std::to_string(f.id),
                    Json({{"capacity_male", f.capacity_male},
                          {"capacity_female", f.capacity_female},
                          {"active", f.active}}));
      return *store::GetFacility(tx, f.id);
    });
  } catch (const db::UniqueViolation&) {
    Fail(ErrorCode::kConflict,
         "مرکزی با این شناسه پیش‌تر ثبت شده است.",
         {{"code", "تکراری است."}});
  }
}

PathwayService::OverduePage PathwayService::OverdueStays(const accounts::Principal& p,
                                                         std::int64_t limit, std::int64_t offset) {
  OverduePage page;
  page.today = Today();
  db_.Read([&](db::Connection& c) {
    bool all = p.roles.Has(accounts::Role::kCoordinator) ||
               (store::AgencyIdByCode(c, "judiciary") == p.agency_id);
    if (!all && !p.roles.HasAny({accounts::Role::kOperator, accounts::Role::kAgencyManager})) {
      Fail(ErrorCode::kForbidden, "این فهرست در حدود وظیفهٔ شما نیست.");
    }
    std::int64_t agency = all ? 0 : p.agency_id;
    page.stays = store::OverdueStays(c, page.today, agency, limit, offset);
    page.total = store::CountOverdueStays(c, page.today, agency);
  });
  return page;
}

Complaint PathwayService::FileComplaint(const ComplaintInput& raw, const audit::Actor& actor) {
  ComplaintInput in = raw;
  in.complainant = persian::Canonical(in.complainant);
  in.contact = persian::Canonical(in.contact);
  in.body = persian::CanonicalMultiline(in.body);
  std::vector<FieldError> errors;
  auto check = [&](const char* field, const std::string& v, std::size_t min, std::size_t max) {
    std::size_t n = CountCodePoints(v);
    if (n < min)
      errors.push_back(
          {field, min > 1
                      ? "متن شکایت را دست‌کم در ۲۰ نویسه بنویسید."
                      : "این مقدار الزامی است."});
    if (n > max) errors.push_back({field, "این مقدار بیش از حد طولانی است."});
  };
  check("complainant", in.complainant, 1, 100);
  check("contact", in.contact, 0, 100);
  check("body", in.body, 20, 4000);
  if (in.relation != "client" && in.relation != "family" && in.relation != "other") {
    errors.push_back({"relation", "نسبت شاکی یکی از client، family یا other است."});
  }
  if (!errors.empty()) Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.", errors);
  auto prog = GetProgramme();
  return db_.Write([&](db::Connection& tx) {
    if (in.facility_id && !store::GetFacility(tx, *in.facility_id)) {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
           {{"facility_id", "مرکز نامعتبر است."}});
    }
    if (in.episode_id && !store::GetEpisode(tx, *in.episode_id)) {
      Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
           {{"episode_id", "شمارهٔ پرونده نامعتبر است."}});
    }
    std::int64_t now = clock_.NowMillis();
    Complaint k;
    k.tracking_code = NewTrackingCode();
    k.complainant = in.complainant;
    k.relation = in.relation;
    k.contact = in.contact;
    k.facility_id = in.facility_id;
    k.episode_id = in.episode_id;
    k.body = in.body;
    k.status = "received";
    k.agency_id = AgencyFor(tx, "judicial_order");
    k.due_at = now + prog.Hours("complaint", 240) * kHourMillis;
    k.created_at = now;
    k.id = store::InsertComplaint(tx, k, now);
    Task t;
    t.agency_id = k.agency_id;
    t.kind = "complaint";
    t.complaint_id = k.id;
    t.state = "new";
    t.due_at = k.due_at;
    store::InsertTask(tx, t, now);
    audit_.Append(
        tx, actor, "complaint.create", "complaint", std::to_string(k.id),
        Json({{"facility", in.facility_id ? boost::json::value(*in.facility_id) : nullptr},
              {"relation", in.relation}}));
    return k;
  });
}

std::optional<Complaint> PathwayService::TrackComplaint(const std::string& code) {
  if (code.size() != 10 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return db_.Read([&](db::Connection& c) { return store::ComplaintByCode(c, code); });
}

namespace {
void RequireInspector(db::Connection& c, const accounts::Principal& p) {
  bool judiciary = store::AgencyIdByCode(c, "judiciary") == p.agency_id;
  if (!judiciary || !p.roles.HasAny({accounts::Role::kOperator, accounts::Role::kAgencyManager})) {
    Fail(
        ErrorCode::kForbidden,
        "رسیدگی به شکایت‌ها از وظایف دادسرا و بازرسی است.");
  }
}
}  // namespace

PathwayService::ComplaintPage PathwayService::Complaints(const accounts::Principal& p,
                                                         const std::string& status,
                                                         std::int64_t limit, std::int64_t offset) {
  if (!status.empty() && status != "received" && status != "investigating" &&
      status != "resolved" && status != "dismissed") {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"status", "وضعیت نامعتبر است."}});
  }
  ComplaintPage page;
  try {
    db_.Read([&](db::Connection& c) {
      RequireInspector(c, p);
      page.items = store::ListComplaints(c, status, limit, offset);
      page.total = store::CountComplaints(c, status);
    });
  } catch (const AppError& e) {
    if (e.error().code == ErrorCode::kForbidden)
      Deny(p, "complaint", 0, "complaints are the judiciary's");
    throw;
  }
  audit_.AppendAlone(accounts::AuthService::ActorOf(p), "complaint.list", "complaint", "",
                     Json({{"shown", page.items.size()}}));
  return page;
}

Complaint PathwayService::UpdateComplaint(const accounts::Principal& p, std::int64_t id,
                                          const std::string& status,
                                          const std::string& raw_resolution) {
  std::string resolution = persian::CanonicalMultiline(raw_resolution);
  if (status != "investigating" && status != "resolved" && status != "dismissed") {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{"status", "وضعیت یکی از investigating، resolved یا dismissed است."}});
  }
  internal::CheckText("resolution", resolution, status == "investigating" ? 0 : 1, 4000);
  try {
    return db_.Write([&](db::Connection& tx) {
      RequireInspector(tx, p);
      auto k = store::GetComplaint(tx, id);
      if (!k) Fail(ErrorCode::kNotFound, internal::kNotFound);
      if (k->status == "resolved" || k->status == "dismissed") {
        Fail(ErrorCode::kConflict,
             "رسیدگی به این شکایت پیش‌تر پایان یافته است.");
      }
      std::int64_t now = clock_.NowMillis();
      store::UpdateComplaint(tx, id, status, resolution, p.user_id, now);
      if (status != "investigating") {
        store::CloseComplaintTask(tx, id, resolution, p.user_id, now);
      } else {
        store::OpenComplaintTask(tx, id, now);
      }
      audit_.Append(tx, accounts::AuthService::ActorOf(p), "complaint." + status, "complaint",
                    std::to_string(id), "{}");
      k->status = status;
      k->resolution = resolution;
      return *k;
    });
  } catch (const AppError& e) {
    if (e.error().code == ErrorCode::kForbidden)
      Deny(p, "complaint", id, "complaints are the judiciary's");
    throw;
  }
}

}  // namespace peyvand::pathway
