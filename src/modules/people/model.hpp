// People (مددجو) and identity resolution. A person may have no national code,
// several spellings of a name and aliases; the same man collected five times
// must be one person with five episodes, not five people.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::people {

enum class Sex { kUnknown, kMale, kFemale };

// The fields identity resolution compares. Names are in canonical form.
struct Identity {
  std::optional<std::string> national_code;  // 10 digits, validated
  std::string first_name;
  std::string last_name;
  std::string father_name;
  std::vector<std::string> aliases;  // other names the person is known by
  Sex sex = Sex::kUnknown;
  std::optional<int> birth_year;  // Jalali year
};

// Why a pair scored what it did, one line per compared field, so a reviewer
// sees the evidence and not just a number.
struct Reason {
  std::string field;   // "national_code", "last_name", …
  std::string result;  // "same", "similar", "different", "missing"
  int points = 0;      // contribution to the score (may be negative)
};

struct MatchScore {
  int score = 0;  // 0–100
  std::vector<Reason> reasons;
};

enum class MatchBand {
  kNone,    // below the review threshold: not proposed
  kReview,  // between thresholds: goes to the review queue
  kStrong,  // above the upper threshold: shown to the operator before saving
};

struct Thresholds {
  int review = 50;
  int strong = 80;
};

struct Person {
  std::int64_t id = 0;
  Identity identity;
  std::string other_id;     // foreign national card, passport …
  std::string nationality;  // ISO 3166 alpha-2, "IR" by default
  std::int64_t registered_by_agency = 0;
  std::int64_t registered_by_user = 0;
  std::optional<std::int64_t> merged_into;
  std::int64_t created_at = 0;
};

// A possible match found for a record, with the evidence.
struct Candidate {
  Person person;
  MatchScore score;
  MatchBand band = MatchBand::kNone;
};

// A possible duplicate waiting for (or given) a reviewer's decision.
struct Pair {
  std::int64_t id = 0;
  Person a;  // the older record
  Person b;
  int score = 0;
  std::string reasons;  // JSON array of {field, result, points}
  std::string status;   // "open", "same", "different"
  std::int64_t created_at = 0;
};

// One edit of a person's record: who, when, which fields and what they held.
struct Revision {
  std::int64_t at = 0;
  std::int64_t user_id = 0;
  std::string user_name;
  std::string agency_name;
  std::string changed;   // comma-separated field names
  std::string previous;  // JSON object of the replaced values
};

const char* SexCode(Sex s);  // "male", "female", "unknown"

}  // namespace peyvand::people
