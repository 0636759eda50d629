// Council resolutions (مصوبه), their clauses with the agencies that owe them, signed copies,
// and the credit ledger: per clause and responsible agency (a "share"), the money needed,
// approved, allocated (تخصیص), notified (ابلاغ), committed (تعهد) and paid (پرداخت), in
// integer rials. See docs/FUNDING.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::funding {

inline constexpr std::int64_t kProvince = 1;

// The stages of a credit line, in order: each total is bounded by the one before it.
enum class Stage { kNeeded, kApproved, kAllocated, kNotified, kCommitted, kPaid };
inline constexpr Stage kStages[] = {Stage::kNeeded,   Stage::kApproved,  Stage::kAllocated,
                                    Stage::kNotified, Stage::kCommitted, Stage::kPaid};

struct StageTotals {
  std::int64_t needed = 0, approved = 0, allocated = 0, notified = 0, committed = 0, paid = 0;
  friend bool operator==(const StageTotals&, const StageTotals&) = default;
};

struct Council {
  std::int64_t id = 0;
  std::string code;
  std::string name;
};

struct Resolution {
  std::int64_t id = 0;
  std::int64_t council_id = 0;
  std::string council_code;
  std::string council_name;
  std::string number;
  std::int64_t day = 0;  // the date of the session, a unix day
  std::string title;
  std::string body;
  std::string status;  // active, completed, cancelled
  std::int64_t created_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  // Lists only: active clauses and the sums of their shares.
  std::int64_t clause_count = 0;
  std::int64_t needed = 0;
  std::int64_t allocated = 0;
};

struct Share {
  std::int64_t clause_id = 0;
  std::int64_t agency_id = 0;
  std::string agency_name;
  StageTotals totals;
  std::int64_t entries = 0;
};

struct Clause {
  std::int64_t id = 0;
  std::int64_t resolution_id = 0;
  int seq = 0;
  std::string body;
  std::string expected_output;
  std::int64_t deadline_day = 0;
  std::string status;  // active, withdrawn
  std::string withdraw_reason;
  std::optional<std::int64_t> withdrawn_at;
  std::int64_t created_at = 0;
  std::vector<Share> shares;
};

struct CreditEntry {
  std::int64_t id = 0;
  std::int64_t clause_id = 0;
  std::int64_t agency_id = 0;
  Stage stage = Stage::kNeeded;
  std::int64_t amount = 0;  // rials; negative only for a reversal
  std::optional<std::int64_t> reverses_entry_id;
  std::optional<std::int64_t> reversed_by;  // the entry that reversed this one
  std::string note;
  std::int64_t created_by = 0;
  std::int64_t created_at = 0;
  // Joined for display.
  std::string agency_name;
  std::string user_name;
  int clause_seq = 0;
  std::int64_t resolution_id = 0;
};

struct Document {
  std::int64_t id = 0;
  std::int64_t resolution_id = 0;
  std::string path;  // relative to the data folder: documents/<sha256>.pdf
  std::string sha256;
  std::int64_t size = 0;
  std::string file_name;  // as uploaded
  std::int64_t uploaded_by = 0;
  std::int64_t uploaded_at = 0;
  std::string uploader_name;
};

// A clause whose need exceeds what was allocated ("a decision without funding").
struct UnfundedClause {
  std::int64_t clause_id = 0;
  int seq = 0;
  std::string body;
  std::int64_t deadline_day = 0;
  std::int64_t resolution_id = 0;
  std::string number;
  std::string title;
  std::int64_t resolution_day = 0;
  std::string council_name;
  std::int64_t needed = 0;
  std::int64_t allocated = 0;
  std::int64_t gap = 0;  // needed - allocated
};

struct UnfundedFilter {
  std::optional<std::int64_t> council_id;
  std::optional<std::int64_t> agency_id;  // only this agency's shares count
};

// One agency's share of a clause, with where it comes from.
struct AgencyShare {
  Share share;
  int clause_seq = 0;
  std::string clause_body;
  std::string clause_status;
  std::int64_t deadline_day = 0;
  std::int64_t resolution_id = 0;
  std::string number;
  std::string title;
  std::string council_name;
};

// ---- inputs ----
struct NewResolution {
  std::string council;  // council code
  std::string number;
  std::optional<std::int64_t> day;
  std::string title;
  std::string body;
};

struct ResolutionPatch {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> status;
};

struct ShareInput {
  std::int64_t agency_id = 0;
  std::int64_t cost = 0;  // rials needed by this agency; 0: none recorded yet
};

struct NewClause {
  std::optional<int> seq;  // default: the next number
  std::string body;
  std::string expected_output;
  std::optional<std::int64_t> deadline_day;
  std::vector<ShareInput> shares;
};

struct NewEntry {
  std::int64_t clause_id = 0;
  std::int64_t agency_id = 0;
  std::string stage;  // code
  std::optional<std::int64_t> amount;
  std::string note;
};

}  // namespace peyvand::funding
