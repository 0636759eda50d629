// The funding module's rules, pure and table-tested (rules_test.cpp): the ledger's invariants
// and reversals, who may record at which stage, the inputs of resolutions and clauses, and the
// checks on an uploaded signed copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/result.hpp"
#include "modules/accounts/model.hpp"
#include "modules/funding/model.hpp"

namespace peyvand::funding {

// A new entry is a positive whole number of rials up to 10^15 (a thousand trillion rials, far
// above any provincial budget line, and far from int64 overflow when summed).
inline constexpr std::int64_t kMaxAmountRials = 1'000'000'000'000'000;
inline constexpr std::size_t kMaxDocumentBytes = 10 * 1024 * 1024;
inline constexpr int kMaxClauseSeq = 999;
inline constexpr std::size_t kMaxSharesPerClause = 12;

const char* StageCode(Stage s);  // needed, approved, allocated, notified, committed, paid
std::optional<Stage> StageFromCode(std::string_view code);
const char* StageLabel(Stage s);  // Persian: «اعتبار مورد نیاز», …, «پرداخت»

std::int64_t Get(const StageTotals& t, Stage s);
std::int64_t& At(StageTotals& t, Stage s);
// needed - allocated: what a decision still lacks to have executive backing.
inline std::int64_t Gap(const StageTotals& t) {
  return t.needed - t.allocated;
}

// 0 ≤ paid ≤ committed ≤ notified ≤ allocated ≤ approved ≤ needed.
bool Consistent(const StageTotals& t);

// The amount of a new entry: kInvalid naming `amount_rials` unless 1..kMaxAmountRials.
std::optional<Error> CheckNewAmount(std::optional<std::int64_t> amount);

// The share's totals after `delta` rials at `stage` (a new entry, or a reversal's negative
// amount), or a kRefused error saying, in Persian, which stage blocks and what to do first.
Result<StageTotals> ApplyEntry(const StageTotals& before, Stage stage, std::int64_t delta);

// Whether `original` may be reversed: a reversal cannot be reversed, and an entry is reversed
// at most once. kRefused otherwise.
std::optional<Error> CheckReversal(const CreditEntry& original);

// Who may record (or reverse) an entry at `stage` on a share of `share_agency`: coordinators
// and system admins at every stage; an agency manager of that agency for committed and paid.
bool MayRecord(const accounts::RoleSet& roles, std::int64_t principal_agency, Stage stage,
               std::int64_t share_agency);
// Creating and editing resolutions and clauses, withdrawing clauses.
bool MayManage(const accounts::RoleSet& roles);

// Resolution and clause input; kInvalid naming the field at fault.
inline constexpr const char* kStatuses[] = {"active", "completed", "cancelled"};
const char* StatusLabel(std::string_view status);
bool IsStatus(std::string_view status);
// A session date after `today` is refused (a typo, not a plan); a clause's deadline may not
// come before its resolution's date.
void CheckResolution(const NewResolution& in, std::int64_t today);
void CheckPatch(const ResolutionPatch& in);
void CheckClause(const NewClause& in, std::int64_t resolution_day);

// A clause's task as its responsible agency's row shows it.
enum class TaskState { kDone, kOpen, kOverdue, kClosed };
TaskState ClauseTaskState(std::string_view state, std::int64_t due_at, std::int64_t now);

// An uploaded signed copy: non-empty (kInvalid), at most kMaxDocumentBytes (kTooLarge),
// declared application/pdf and starting with "%PDF-" (kInvalid).
std::optional<Error> CheckDocument(std::string_view declared_type, std::string_view bytes);
// The uploaded file's own name without any folder part, at most 200 bytes of valid UTF-8;
// "resolution.pdf" when nothing is left.
std::string CleanFileName(std::string_view name);
// `attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded name>`.
std::string AttachmentHeader(std::string_view file_name, std::string_view ascii_fallback);

}  // namespace peyvand::funding
