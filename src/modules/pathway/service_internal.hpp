// Helpers shared by the pathway service's source files; not part of its API.
#pragma once

#include <boost/json.hpp>

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "modules/accounts/model.hpp"
#include "modules/accounts/service.hpp"
#include "modules/audit/service.hpp"
#include "modules/pathway/rules.hpp"
#include "persian/jalali.hpp"

namespace peyvand::pathway::internal {

inline constexpr const char* kNotFound = "رکورد مورد نظر پیدا نشد.";

// Thrown inside a transaction when the principal has no right to the record;
// Guarded() records the denial after the rollback and answers 404, the same
// as for a record that does not exist.
struct Denied {
  std::string record_type;
  std::int64_t record_id = 0;
  const char* reason = "";
};

inline std::string Json(boost::json::object o) {
  return boost::json::serialize(o);
}

template <class F>
auto Guarded(audit::AuditService& audit, const accounts::Principal& p, F&& fn) {
  try {
    return fn();
  } catch (const Denied& d) {
    audit.AppendAlone(accounts::AuthService::ActorOf(p), "access.denied", d.record_type,
                      std::to_string(d.record_id), Json({{"reason", d.reason}}));
    Fail(ErrorCode::kNotFound, kNotFound);
  }
}

inline void RequireWorker(audit::AuditService& audit, const accounts::Principal& p) {
  if (p.roles.HasAny({accounts::Role::kOperator, accounts::Role::kAgencyManager})) return;
  audit.AppendAlone(accounts::AuthService::ActorOf(p), "access.denied", "episode", "",
                    R"({"reason":"pathway work needs operator or agency_manager"})");
  Fail(ErrorCode::kForbidden, "این کار از کارشناس یا مدیر دستگاه ساخته است.");
}

// Length in code points between min and max; a Persian message otherwise.
inline void CheckText(const char* field, const std::string& v, std::size_t min, std::size_t max) {
  std::size_t n = CountCodePoints(v);
  if (n < min) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{field, "این مقدار الزامی است."}});
  }
  if (n > max) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{field, "این مقدار بیش از حد طولانی است."}});
  }
}

inline bool ListHas(const std::string& comma_list, const std::string& item) {
  auto items = SplitNonEmpty(comma_list, ',');
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Instants of an Iran calendar day (unix day in Iran time).
inline std::int64_t StartOfDay(std::int64_t day) {
  return (day * 86400 - persian::kIranOffsetSeconds) * 1000;
}
inline std::int64_t NoonOf(std::int64_t day) {
  return StartOfDay(day) + 12 * kHourMillis;
}
inline std::int64_t EndOfDay(std::int64_t day) {
  return StartOfDay(day + 1) - 1;
}

}  // namespace peyvand::pathway::internal
