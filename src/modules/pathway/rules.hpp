// The pathway's rules, pure and table-tested: the legal limits of judicial
// orders, stay ends, after-care schedules, inbox buckets, the referral state
// machine and placement suggestions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/pathway/model.hpp"

namespace peyvand::pathway {

// Article 16 of the amended Anti-Narcotics Law: a placement of 1–3 months,
// extended at most once by at most 3 months; its Note 2 allows, once per
// person, a 6-month suspension on condition of voluntary treatment.
inline constexpr int kPlacementMinMonths = 1;
inline constexpr int kPlacementMaxMonths = 3;
inline constexpr int kExtensionMaxMonths = 3;
inline constexpr int kNote2Months = 6;
// How far back an order or an admission may be recorded (paper first, system later).
inline constexpr int kMaxBackdateDays = 365;
inline constexpr int kMaxStartDelayDays = 30;
inline constexpr std::int64_t kBreakGlassMillis = 4LL * 3600 * 1000;
inline constexpr std::int64_t kHourMillis = 3600LL * 1000;
inline constexpr std::int64_t kDayMillis = 24 * kHourMillis;

const char* OrderKindCode(OrderKind k);  // placement, extension, note2
std::optional<OrderKind> OrderKindFromCode(const std::string& code);
const char* OrderKindLabel(OrderKind k);

// The same Jalali day `months` later (clamped to the month's length), as a
// unix day. The order's last day is the day before that.
std::int64_t AddJalaliMonths(std::int64_t unix_day, int months);
std::int64_t OrderEndDay(std::int64_t start_day, int months);

struct OrderRequest {
  OrderKind kind = OrderKind::kPlacement;
  int months = 0;  // 0 → the default for the kind (note2: 6)
  std::int64_t issued_day = 0;
  std::optional<std::int64_t> start_day;  // default: issued_day, or the day after the parent ends
  std::optional<std::int64_t> parent_id;  // extension: the placement it extends
};

struct OrderContext {
  std::string stage;                  // the episode's current stage
  std::vector<Order> episode_orders;  // orders already on this episode
  bool person_had_note2 = false;      // in any episode of this person
  std::int64_t today = 0;             // unix day, Iran time
};

// A refusal says why, in Persian, naming the field at fault.
struct Refusal {
  std::string field;
  std::string message;
};

// Either the order as the law allows it (start and end filled in) or why not.
struct OrderDecision {
  std::optional<Order> order;
  std::optional<Refusal> refusal;
};
OrderDecision CheckOrder(const OrderRequest& req, const OrderContext& ctx);

// The last day a stay may last under its order and any extension of it.
std::int64_t LegalEndDay(const Order& basis, const std::vector<Order>& episode_orders);

// After-care contacts (1, 3, 6 months) and the employment duty after a
// discharge: clock code → due instant.
struct Due {
  std::string clock;
  std::int64_t due_at = 0;
};
std::vector<Due> AftercareSchedule(std::int64_t discharged_at, const Programme& programme);

// Where a task stands for its queue at `now` (Iran calendar day).
enum class Bucket { kOverdue, kDueToday, kLater };
Bucket BucketOf(std::int64_t due_at, std::int64_t now);
// Start and end (exclusive) of the Iran calendar day holding `now`, in millis.
std::pair<std::int64_t, std::int64_t> IranDayBounds(std::int64_t now);
std::int64_t IranDay(std::int64_t millis);  // unix day in Iran time

// Referral state machine. Returns the next status, or nullopt if the action
// is not allowed from `status`. Actions: accept, reject, complete, revoke.
std::optional<std::string> NextReferralStatus(const std::string& status, const std::string& action);
bool IsKnownPart(const std::string& part);
// Facilities with a free bed for `sex` (male/female), same county first, then
// by vacancy (most first), then by name.
std::vector<Facility> SuggestFacilities(std::vector<Facility> facilities, const std::string& sex,
                                        std::int64_t county_id);
int Vacancy(const Facility& f, const std::string& sex);

// Service kinds and whether they are medical (shown to health and the
// recording agency only).
bool IsServiceKind(const std::string& kind);
bool IsMedicalService(const std::string& kind);
const char* ServiceLabel(const std::string& kind);

}  // namespace peyvand::pathway
