// The pathway of one person through the programme: episodes (one per
// collection), their stages and timeline, judicial orders, stays in
// facilities, tasks in agency queues, referrals, service events, complaints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::pathway {

inline constexpr const char* kProgramme = "street_users";

struct Stage {
  std::string code;
  int seq = 0;
  std::string name;
  std::string lead_agency;  // agency code
  std::string support_agencies;
};

struct Transition {
  std::string from;
  std::string to;
};

struct ScreeningOutcome {
  std::string code;
  std::string name;
  std::string next_stage;
};

struct DutyClock {
  std::string code;
  std::string name;
  int hours = 0;
  std::string basis;
  // The legal basis of the duty (law, article, resolution) and the version now in force.
  std::string law;
  std::string article;
  std::string resolution;
  int version = 1;
};

// One version of a duty clock: what it was, from when, changed by whom and why.
struct DutyVersion {
  std::string code;
  int version = 0;
  int hours = 0;
  std::string law;
  std::string article;
  std::string resolution;
  std::string reason;
  std::int64_t valid_from = 0;  // ms
  std::optional<std::int64_t> changed_by;
  std::string changed_by_name;
};

// A change to a duty: a new clock and/or legal basis, with why.
struct DutyChange {
  int hours = 0;
  std::string law;
  std::string article;
  std::string resolution;
  std::string reason;
};

// The programme definition, loaded from the database.
struct Programme {
  std::vector<Stage> stages;
  std::vector<Transition> transitions;
  std::vector<ScreeningOutcome> outcomes;
  std::vector<DutyClock> clocks;

  const Stage* FindStage(const std::string& code) const;
  const ScreeningOutcome* FindOutcome(const std::string& code) const;
  const DutyClock* FindClock(const std::string& code) const;
  bool Allows(const std::string& from, const std::string& to) const;
  // Hours of a clock; `fallback` if the programme has no such clock.
  int Hours(const std::string& clock, int fallback) const;
};

struct Episode {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::optional<std::int64_t> county_id;
  std::string stage;
  std::string status;  // open, closed
  std::int64_t opened_by_agency = 0;
  std::int64_t opened_by_user = 0;
  std::int64_t collected_at = 0;
  std::string place;
  int prior_episodes = 0;
  std::optional<std::string> screening_outcome;
  std::optional<std::string> close_reason;
  std::optional<std::int64_t> closed_at;
  std::int64_t created_at = 0;
};

// Which part of the record an event or a referral's sharing concerns.
// "medical" is never shared by default and shown only to health and the
// agency that recorded it.
inline constexpr const char* kParts[] = {"pathway", "screening", "order",
                                         "stay",    "service",   "medical"};

struct Event {
  std::int64_t id = 0;
  std::int64_t episode_id = 0;
  std::int64_t at = 0;
  std::int64_t agency_id = 0;
  std::int64_t user_id = 0;
  std::string kind;
  std::string stage;
  std::string part;
  std::string detail;  // Persian, for people to read
  std::string agency_name;
  std::string user_name;
};

enum class OrderKind { kPlacement, kExtension, kNote2 };

struct Order {
  std::int64_t id = 0;
  std::int64_t episode_id = 0;
  std::int64_t person_id = 0;
  OrderKind kind = OrderKind::kPlacement;
  std::string reference;
  std::int64_t issued_day = 0;
  std::int64_t start_day = 0;
  int months = 0;
  std::int64_t end_day = 0;  // last day the order allows, inclusive
  std::optional<std::int64_t> parent_id;
  std::int64_t agency_id = 0;
  std::int64_t created_at = 0;
};

struct Facility {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string kind;
  std::int64_t agency_id = 0;
  std::int64_t county_id = 0;
  int capacity_male = 0;
  int capacity_female = 0;
  int occupied_male = 0;
  int occupied_female = 0;
  bool active = true;
  std::string agency_name;
  std::string county_name;
};

struct Stay {
  std::int64_t id = 0;
  std::int64_t episode_id = 0;
  std::int64_t person_id = 0;
  std::int64_t facility_id = 0;
  std::string sex;
  std::int64_t order_id = 0;
  std::int64_t admitted_day = 0;
  std::int64_t legal_end_day = 0;
  std::optional<std::int64_t> discharged_day;
  std::string discharge_reason;
  std::string over_capacity_reason;
  std::string facility_name;
};

struct Task {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::string kind;
  std::string stage;
  std::optional<std::int64_t> episode_id;
  std::optional<std::int64_t> person_id;
  std::optional<std::int64_t> referral_id;
  std::optional<std::int64_t> complaint_id;
  std::optional<std::int64_t> clause_id;  // a council resolution's clause (funding module)
  std::optional<std::int64_t> county_id;
  std::string state;
  std::int64_t due_at = 0;
  std::string outcome;
  std::optional<std::int64_t> done_at;
  std::int64_t created_at = 0;
};

struct Referral {
  std::int64_t id = 0;
  std::int64_t episode_id = 0;
  std::int64_t person_id = 0;
  std::int64_t from_agency = 0;
  std::int64_t to_agency = 0;
  std::string purpose;
  std::string basis;  // consent, legal
  std::string legal_basis;
  std::vector<std::string> shared;  // parts
  std::string status;               // pending, accepted, rejected, done, revoked
  std::string reason;
  std::string outcome;
  std::optional<std::int64_t> task_id;
  std::int64_t created_at = 0;
};

struct ServiceEvent {
  std::int64_t id = 0;
  std::int64_t episode_id = 0;
  std::string kind;
  std::int64_t day = 0;
  std::int64_t agency_id = 0;
  std::string note;
};

struct Complaint {
  std::int64_t id = 0;
  std::string tracking_code;
  std::string complainant;
  std::string relation;  // client, family, other
  std::string contact;
  std::optional<std::int64_t> facility_id;
  std::optional<std::int64_t> episode_id;
  std::string body;
  std::string status;  // received, investigating, resolved, dismissed
  std::int64_t agency_id = 0;
  std::int64_t due_at = 0;
  std::string resolution;
  std::int64_t created_at = 0;
};

}  // namespace peyvand::pathway
