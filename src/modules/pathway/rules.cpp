#include "modules/pathway/rules.hpp"

#include <algorithm>

#include "persian/jalali.hpp"

namespace peyvand::pathway {
namespace {

OrderDecision Refuse(const char* field, std::string message) {
  return {std::nullopt, Refusal{field, std::move(message)}};
}

const Order* FindOrder(const std::vector<Order>& orders, std::int64_t id) {
  for (const auto& o : orders)
    if (o.id == id) return &o;
  return nullptr;
}

bool HasKind(const std::vector<Order>& orders, OrderKind kind) {
  return std::any_of(orders.begin(), orders.end(), [&](const Order& o) { return o.kind == kind; });
}

struct ServiceKind {
  const char* code;
  const char* label;
  bool medical;
};
constexpr ServiceKind kServices[] = {
    {"medical", "خدمت پزشکی", true},
    {"hiv_hcv", "مراقبت اچ‌آی‌وی و هپاتیت", true},
    {"methadone", "درمان نگهدارنده با متادون", true},
    {"social_work", "مددکاری اجتماعی", false},
    {"training", "آموزش مهارت", false},
    {"livelihood", "حمایت معیشتی", false},
    {"job", "اشتغال", false},
};

}  // namespace

bool Programme::Allows(const std::string& from, const std::string& to) const {
  return std::any_of(transitions.begin(), transitions.end(),
                     [&](const Transition& t) { return t.from == from && t.to == to; });
}
const Stage* Programme::FindStage(const std::string& code) const {
  for (const auto& s : stages)
    if (s.code == code) return &s;
  return nullptr;
}
const ScreeningOutcome* Programme::FindOutcome(const std::string& code) const {
  for (const auto& o : outcomes)
    if (o.code == code) return &o;
  return nullptr;
}
const DutyClock* Programme::FindClock(const std::string& code) const {
  for (const auto& c : clocks)
    if (c.code == code) return &c;
  return nullptr;
}
int Programme::Hours(const std::string& clock, int fallback) const {
  const DutyClock* c = FindClock(clock);
  return c ? c->hours : fallback;
}

const char* OrderKindCode(OrderKind k) {
  switch (k) {
    case OrderKind::kPlacement: return "placement";
    case OrderKind::kExtension: return "extension";
    case OrderKind::kNote2: return "note2";
  }
  return "placement";
}

std::optional<OrderKind> OrderKindFromCode(const std::string& code) {
  if (code == "placement") return OrderKind::kPlacement;
  if (code == "extension") return OrderKind::kExtension;
  if (code == "note2") return OrderKind::kNote2;
  return std::nullopt;
}

const char* OrderKindLabel(OrderKind k) {
  switch (k) {
    case OrderKind::kPlacement: return "دستور نگهداری (مادهٔ ۱۶)";
    case OrderKind::kExtension: return "تمدید نگهداری";
    case OrderKind::kNote2: return "تعلیق تبصرهٔ ۲";
  }
  return "";
}

std::int64_t AddJalaliMonths(std::int64_t unix_day, int months) {
  auto d = persian::JalaliFromDays(unix_day);
  int total = d.year * 12 + (d.month - 1) + months;
  persian::JalaliDate out{total / 12, total % 12 + 1, 0};
  out.day = std::min(d.day, persian::JalaliMonthLength(out.year, out.month));
  return persian::DaysFromJalali(out);
}

std::int64_t OrderEndDay(std::int64_t start_day, int months) {
  return AddJalaliMonths(start_day, months) - 1;
}

OrderDecision CheckOrder(const OrderRequest& req, const OrderContext& ctx) {
  if (req.issued_day > ctx.today) {
    return Refuse("issued_on",
                  "تاریخ صدور دستور نمی‌تواند در آینده باشد.");
  }
  if (req.issued_day < ctx.today - kMaxBackdateDays) {
    return Refuse("issued_on", "تاریخ صدور دستور بیش از یک سال پیش است.");
  }
  Order o;
  o.kind = req.kind;
  o.issued_day = req.issued_day;
  o.months = req.months;
  const auto& orders = ctx.episode_orders;
  switch (req.kind) {
    case OrderKind::kPlacement:
    case OrderKind::kNote2: {
      if (ctx.stage != "judicial_order") {
        return Refuse(
            "kind",
            "دستور نگهداری یا تعلیق تنها پس از غربالگری و پیش از پذیرش صادر می‌شود.");
      }
      if (HasKind(orders, OrderKind::kPlacement) || HasKind(orders, OrderKind::kNote2)) {
        return Refuse(
            "kind",
            "برای این پرونده پیش‌تر دستور قضایی صادر شده است.");
      }
      if (req.kind == OrderKind::kPlacement) {
        if (o.months < kPlacementMinMonths || o.months > kPlacementMaxMonths) {
          return Refuse("months", "مدت دستور نگهداری طبق مادهٔ ۱۶ باید بین ۱ تا ۳ ماه باشد.");
        }
      } else {
        if (ctx.person_had_note2) {
          return Refuse(
              "kind",
              "تعلیق تبصرهٔ ۲ تنها یک بار برای هر فرد مجاز است و این فرد پیش‌تر از آن "
              "استفاده کرده است.");
        }
        if (o.months == 0) o.months = kNote2Months;
        if (o.months != kNote2Months) {
          return Refuse("months", "مدت تعلیق تبصرهٔ ۲ شش ماه است.");
        }
      }
      if (req.parent_id) return Refuse("parent_id", "این نوع دستور به دستور دیگری وابسته نیست.");
      o.start_day = req.start_day.value_or(req.issued_day);
      if (o.start_day < req.issued_day) {
        return Refuse(
            "start_on",
            "آغاز دستور نمی‌تواند پیش از تاریخ صدور آن باشد.");
      }
      if (o.start_day > req.issued_day + kMaxStartDelayDays) {
        return Refuse("start_on", "آغاز دستور بیش از ۳۰ روز پس از صدور آن است.");
      }
      break;
    }
    case OrderKind::kExtension: {
      if (!req.parent_id)
        return Refuse(
            "parent_id",
            "دستور نگهداری‌ای که تمدید می‌شود را مشخص کنید.");
      const Order* parent = FindOrder(orders, *req.parent_id);
      if (!parent || parent->kind != OrderKind::kPlacement) {
        return Refuse("parent_id", "تنها دستور نگهداری همین پرونده قابل تمدید است.");
      }
      if (HasKind(orders, OrderKind::kExtension)) {
        return Refuse("kind", "دستور نگهداری طبق قانون تنها یک بار قابل تمدید است.");
      }
      if (o.months < 1 || o.months > kExtensionMaxMonths) {
        return Refuse("months", "مدت تمدید حداکثر ۳ ماه است.");
      }
      if (req.issued_day > parent->end_day) {
        return Refuse("issued_on",
                      "مهلت دستور نگهداری پیش از صدور تمدید پایان یافته است؛ تمدید پس از پایان "
                      "مهلت مجاز نیست.");
      }
      if (req.start_day && *req.start_day != parent->end_day + 1) {
        return Refuse(
            "start_on",
            "تمدید از روز پس از پایان دستور نگهداری آغاز می‌شود.");
      }
      if (ctx.stage != "admission" && ctx.stage != "treatment" && ctx.stage != "judicial_order") {
        return Refuse(
            "kind",
            "تمدید تنها برای پرونده‌ای در مرحلهٔ پذیرش یا درمان ممکن است.");
      }
      o.parent_id = parent->id;
      o.start_day = parent->end_day + 1;
      break;
    }
  }
  o.end_day = OrderEndDay(o.start_day, o.months);
  return {o, std::nullopt};
}

std::int64_t LegalEndDay(const Order& basis, const std::vector<Order>& episode_orders) {
  std::int64_t end = basis.end_day;
  for (const auto& o : episode_orders) {
    if (o.kind == OrderKind::kExtension && o.parent_id == basis.id) end = std::max(end, o.end_day);
  }
  return end;
}

std::vector<Due> AftercareSchedule(std::int64_t discharged_at, const Programme& programme) {
  std::vector<Due> out;
  for (const char* clock : {"aftercare_1", "aftercare_3", "aftercare_6", "employment"}) {
    int fallback = std::string(clock) == "aftercare_1"   ? 720
                   : std::string(clock) == "aftercare_3" ? 2160
                                                         : 4320;
    out.push_back({clock, discharged_at + programme.Hours(clock, fallback) * kHourMillis});
  }
  return out;
}

std::int64_t IranDay(std::int64_t millis) {
  std::int64_t s = millis / 1000 + persian::kIranOffsetSeconds;
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

std::pair<std::int64_t, std::int64_t> IranDayBounds(std::int64_t now) {
  std::int64_t day = IranDay(now);
  std::int64_t start = (day * 86400 - persian::kIranOffsetSeconds) * 1000;
  return {start, start + kDayMillis};
}

Bucket BucketOf(std::int64_t due_at, std::int64_t now) {
  if (due_at < now) return Bucket::kOverdue;
  if (due_at < IranDayBounds(now).second) return Bucket::kDueToday;
  return Bucket::kLater;
}

std::optional<std::string> NextReferralStatus(const std::string& status,
                                              const std::string& action) {
  if (action == "accept" && status == "pending") return "accepted";
  if (action == "reject" && status == "pending") return "rejected";
  if (action == "complete" && status == "accepted") return "done";
  if (action == "revoke" && (status == "pending" || status == "accepted")) return "revoked";
  return std::nullopt;
}

bool IsKnownPart(const std::string& part) {
  return std::any_of(std::begin(kParts), std::end(kParts),
                     [&](const char* p) { return part == p; });
}

int Vacancy(const Facility& f, const std::string& sex) {
  if (sex == "female") return f.capacity_female - f.occupied_female;
  return f.capacity_male - f.occupied_male;
}

std::vector<Facility> SuggestFacilities(std::vector<Facility> facilities, const std::string& sex,
                                        std::int64_t county_id) {
  std::erase_if(facilities, [&](const Facility& f) { return !f.active || Vacancy(f, sex) <= 0; });
  std::stable_sort(facilities.begin(), facilities.end(), [&](const Facility& a, const Facility& b) {
    bool a_here = a.county_id == county_id;
    bool b_here = b.county_id == county_id;
    if (a_here != b_here) return a_here;
    if (Vacancy(a, sex) != Vacancy(b, sex)) return Vacancy(a, sex) > Vacancy(b, sex);
    return a.id < b.id;
  });
  return facilities;
}

bool IsServiceKind(const std::string& kind) {
  return std::any_of(std::begin(kServices), std::end(kServices),
                     [&](const ServiceKind& s) { return kind == s.code; });
}
bool IsMedicalService(const std::string& kind) {
  for (const auto& s : kServices)
    if (kind == s.code) return s.medical;
  return false;
}
const char* ServiceLabel(const std::string& kind) {
  for (const auto& s : kServices)
    if (kind == s.code) return s.label;
  return "";
}

}  // namespace peyvand::pathway
