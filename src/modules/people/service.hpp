// Registering and finding people, with identity resolution on every
// registration. Who may see a record is decided by a PersonAccess policy (the
// pathway's: an active duty, referral, stay or break-the-glass grant); without
// one, only the registering agency. Others get 404 and the attempt is
// audited. Every read of a record is audited.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "modules/accounts/model.hpp"
#include "modules/audit/service.hpp"
#include "modules/people/model.hpp"

namespace peyvand::people {

struct NewPerson {
  Identity identity;  // as typed; canonicalised and validated by the service
  std::string other_id;
  std::string nationality = "IR";
};

struct RegisterResult {
  Person person;
  int review_pairs = 0;  // possible duplicates queued for review
};

// How much of a person's record a principal may see.
enum class Sight {
  kNone,     // nothing: 404, audited
  kReduced,  // names and pathway, without national code, other ids and aliases
  kFull,
};

// Decides a principal's sight of a person in one look; called inside a transaction.
class PersonAccess {
 public:
  virtual ~PersonAccess() = default;
  virtual Sight SightOf(db::Connection& c, const accounts::Principal& p, const Person& person) = 0;
};

class PeopleService {
 public:
  PeopleService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                Thresholds thresholds);

  // Likely matches for a record about to be registered (review band and up),
  // best first. Shown to the operator before saving.
  std::vector<Candidate> Candidates(const accounts::Principal& p, const NewPerson& input);
  // Refuses (409) when a strong match exists and confirm_new is false.
  RegisterResult Register(const accounts::Principal& p, const NewPerson& input, bool confirm_new);
  // Registration inside the caller's write transaction (a collection registers
  // the person and opens the episode atomically). `input` must be Validate()d.
  RegisterResult RegisterIn(db::Connection& tx, const accounts::Principal& p,
                            const NewPerson& input, bool confirm_new);
  // Canonical form and field checks; throws kInvalid listing every bad field.
  NewPerson Validate(const NewPerson& input) const;
  Person Get(const accounts::Principal& p, std::int64_t id);
  void SetAccess(PersonAccess* access) { access_ = access; }
  // Corrects a record (an agency that may see it, operator or manager). The
  // replaced values are kept as a revision; new likely duplicates are queued.
  Person Update(const accounts::Principal& p, std::int64_t id, const NewPerson& input);
  std::vector<Revision> History(const accounts::Principal& p, std::int64_t id);
  Sight SightOf(db::Connection& c, const accounts::Principal& p, const Person& person) const;
  // By national code (Persian or ASCII digits) or by names in any spelling;
  // only records visible to the principal.
  std::vector<Person> Search(const accounts::Principal& p, const std::string& query);

  // The review queue of possible duplicates. Identity resolution is a
  // provincial data-quality duty: provincial coordinators review, seeing the
  // identifying fields only.
  struct PairPage {
    std::vector<Pair> pairs;
    std::int64_t total = 0;
  };
  PairPage ListPairs(const accounts::Principal& p, const std::string& status, std::int64_t limit,
                     std::int64_t offset);
  // "same" merges the newer record into the older (both rows are kept, so an
  // unmerge loses nothing); "different" means the pair is never proposed again.
  Pair Decide(const accounts::Principal& p, std::int64_t pair_id, const std::string& decision);
  // The batch duplicate job: every live record (id > after_id) is matched
  // against the others through the blocking keys, and new pairs at or above
  // the review threshold are queued (decided pairs are never proposed again).
  // `progress(done, total, pairs)` is called after each chunk. Run by the
  // system (`peyvand people match`), audited as one entry.
  struct BatchResult {
    std::int64_t checked = 0;
    std::int64_t new_pairs = 0;
  };
  BatchResult BatchMatch(
      std::int64_t after_id,
      const std::function<void(std::int64_t, std::int64_t, std::int64_t)>& progress);
  // Undoes a merge: the record stands on its own again and its pair becomes "different".
  void Unmerge(const accounts::Principal& p, std::int64_t person_id);

 private:
  std::vector<Candidate> Match(db::Connection& c, const Identity& id) const;
  void RequireRegistrar(const accounts::Principal& p);
  void RequireReviewer(const accounts::Principal& p);

  db::Database& db_;
  audit::AuditService& audit_;
  const Clock& clock_;
  Thresholds thresholds_;
  PersonAccess* access_ = nullptr;
};

}  // namespace peyvand::people
