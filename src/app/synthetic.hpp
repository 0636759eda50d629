// `peyvand seed --synthetic N`: realistic persons and their episodes through
// the street-users pathway. Generation is pure (no I/O): a World read from the
// database goes in, batches of rows come out, each row the one the pathway
// service would have written for the same history (see pathway/service.cpp).
// seed.cpp writes the batches in bulk; synthetic_test.cpp checks the
// invariants without a database.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "modules/accounts/model.hpp"
#include "modules/pathway/model.hpp"
#include "modules/people/model.hpp"

namespace peyvand::app::synthetic {

// The same World and seed give the same rows. World::now comes from the
// clock, so a later run makes the same people with their histories shifted.
inline constexpr std::uint64_t kDefaultSeed = 1403;

// xoshiro256** seeded through SplitMix64: fast, and the same sequence on
// every platform and standard library (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t Next();
  std::int64_t Uniform(std::int64_t lo, std::int64_t hi);  // inclusive; lo when hi < lo
  double Real();                                           // [0, 1)
  bool Chance(double p) { return Real() < p; }

 private:
  std::array<std::uint64_t, 4> s_{};
};

// A national code valid under the check digit of DOMAIN.md that depends only
// on `n`; distinct n below 10^9 give distinct codes. "" in the rare case the
// ten digits would all be equal (never a valid code).
std::string NationalCodeFor(std::uint64_t n);

// How a clerk typed a name. Arabic letters vanish in persian::Canonical;
// a lost or spaced zero-width non-joiner and typos survive it (in display
// text), and only typos survive persian::MatchKey.
enum class Spelling { kAsIs, kArabicLetters, kNoZwnj, kZwnjAsSpace, kTypo };
std::string Respell(std::string_view name, Spelling how, Rng& rng);

inline constexpr int kMale = 0;
inline constexpr int kFemale = 1;

// An agency and the user who acts for it in generated records.
struct Party {
  std::int64_t agency = 0;
  std::int64_t user = 0;
};

// A facility, and the user who acts for its operating agency.
struct Beds {
  pathway::Facility facility;
  std::int64_t operator_user = 0;
  Party operated_by() const { return {facility.agency_id, operator_user}; }
};
// Places and occupied places for kMale or kFemale.
int Capacity(const pathway::Facility& f, int sex);
int Occupied(const pathway::Facility& f, int sex);

// First free id of each table that other rows refer to. The generator
// assigns these ids itself so that a batch can be written without reading
// anything back.
struct Ids {
  std::int64_t person = 1;
  std::int64_t episode = 1;
  std::int64_t order = 1;
  std::int64_t stay = 1;
  friend bool operator==(const Ids&, const Ids&) = default;
};

// What the generator needs to know of the database, read once before it runs.
struct World {
  std::int64_t now = 0;  // UTC ms
  pathway::Programme programme;
  people::Thresholds thresholds;
  std::map<std::string, Party> parties;  // by agency code
  std::vector<accounts::County> counties;
  std::vector<Beds> facilities;
  Ids next;
  std::unordered_set<std::string> taken_codes;  // national codes already in use
  std::int64_t planned_persons = 0;             // this run's N: scales how many beds it fills
};

// ---- rows, as the pathway service writes them ----
struct PersonRow {
  std::int64_t id = 0;
  people::Identity identity;  // canonical text, as PeopleService::Validate leaves it
  std::string other_id;
  std::string nationality;
  std::string first_key;
  std::string last_key;
  Party registered_by;
  std::int64_t created_at = 0;
};
struct KeyRow {
  std::string key;
  std::int64_t person_id = 0;
};
struct PairRow {
  std::int64_t a_id = 0;  // the older record
  std::int64_t b_id = 0;
  int score = 0;
  std::string reasons;  // JSON array of {field, result, points}
  std::int64_t created_at = 0;
};
struct EpisodeRow {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::int64_t county_id = 0;
  const char* stage = "collection";
  bool open = true;
  Party opened_by;
  std::int64_t collected_at = 0;
  std::string place;  // stored as typed, like the API does
  int prior_episodes = 0;
  const char* screening_outcome = nullptr;
  const char* close_reason = nullptr;
  std::optional<std::int64_t> closed_at;
  std::int64_t updated_at = 0;
};
// judicial_orders: the model's order and the user who issued it.
struct OrderRow {
  pathway::Order order;
  std::int64_t user_id = 0;
};
// stays: the model's stay, its facility (an index into World::facilities)
// and sex as indexes, and who admitted the person.
struct StayRow {
  pathway::Stay stay;
  std::size_t facility = 0;
  int sex = kMale;
  std::int64_t admitted_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};
struct TaskRow {
  std::int64_t agency_id = 0;
  const char* kind = "";
  const char* stage = "";
  std::int64_t episode_id = 0;
  std::int64_t person_id = 0;
  std::int64_t county_id = 0;
  const char* state = "new";
  std::int64_t due_at = 0;
  std::string outcome;
  std::optional<std::int64_t> done_at;
  std::optional<std::int64_t> done_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};
struct ServiceRow {
  std::int64_t episode_id = 0;
  std::int64_t person_id = 0;
  std::optional<std::int64_t> stay_id;
  const char* kind = "";
  std::int64_t day = 0;
  Party by;
  std::string note;
  std::int64_t created_at = 0;
};

// Counts for the progress lines and the summary.
struct Tally {
  std::int64_t persons = 0;  // records, duplicates included
  std::int64_t with_code = 0;
  std::int64_t duplicates = 0;  // second records of a person already registered
  std::int64_t open_pairs = 0;
  std::int64_t episodes = 0;
  std::int64_t open_episodes = 0;
  std::int64_t admitted = 0;
  std::int64_t open_stays = 0;
  std::int64_t past_legal_end = 0;
  std::int64_t note2 = 0;
  std::int64_t extensions = 0;
  std::int64_t jobs = 0;
  std::int64_t overdue_tasks = 0;
  std::int64_t rows = 0;
  std::map<std::string, std::int64_t> outcomes;    // screening outcome → episodes
  std::map<std::string, std::int64_t> open_tasks;  // task kind → open tasks
  void Add(const Tally& o);
};

struct Batch {
  std::vector<PersonRow> persons;
  std::vector<KeyRow> keys;
  std::vector<PairRow> pairs;
  std::vector<EpisodeRow> episodes;
  std::vector<pathway::Event> events;
  std::vector<OrderRow> orders;
  std::vector<StayRow> stays;
  std::vector<TaskRow> tasks;
  std::vector<ServiceRow> services;
  std::vector<std::array<int, 2>> beds_taken;  // open stays added, per World::facilities index
  Ids first;                                   // ids this batch starts from
  Tally tally;
};

class Generator {
 public:
  // Throws std::runtime_error if the world lacks what the pathway needs
  // (the programme's lead agencies, a county).
  Generator(World world, std::uint64_t seed);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // The next `persons` real people: their records (a few registered twice)
  // and their whole history up to World::now.
  Batch Next(int persons);
  const World& world() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace peyvand::app::synthetic
