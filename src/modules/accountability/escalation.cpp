#include "modules/accountability/escalation.hpp"

#include <boost/json.hpp>

#include <map>
#include <utility>
#include <vector>

#include "modules/accounts/store.hpp"
#include "modules/pathway/store.hpp"

namespace peyvand::accountability {
namespace {

using accounts::Role;
using db::Query;

constexpr Query kStartRun{"escalation_runs.start",
                          "INSERT INTO escalation_runs (started_at) VALUES (?) RETURNING id"};
constexpr Query kAddToRun{"escalation_runs.add",
                          "UPDATE escalation_runs SET manager_tasks = manager_tasks + ?,"
                          " coordinator_tasks = coordinator_tasks + ? WHERE id = ?"};
constexpr Query kFinishRun{"escalation_runs.finish",
                           "UPDATE escalation_runs SET finished_at = ? WHERE id = ?"};
// A run still unfinished an hour after it started was stopped half-way (the first run over a
// million persons takes under a minute); a younger one may belong to another process.
constexpr Query kFinishInterrupted{
    "escalation_runs.finish_interrupted",
    "UPDATE escalation_runs SET finished_at = ? WHERE finished_at IS NULL AND started_at < ?"};

constexpr std::int64_t kHourMs = 3600 * 1000;

audit::Actor System() {
  audit::Actor a;
  a.username = "system";
  a.request_id = "escalation";
  return a;
}

// Tasks moved in one batch, by agency and county.
using Moved = std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t>;

// What a recipient is told about: the moved tasks of the agencies they answer for (their own
// agency for a manager, every agency for a coordinator), within their county if they have one.
std::vector<notifications::AgencyCount> CountsFor(
    const accounts::User& u, bool own_agency_only, const Moved& moved,
    const std::map<std::int64_t, std::string>& names) {
  std::map<std::int64_t, std::int64_t> by_agency;
  for (const auto& [key, n] : moved) {
    auto [agency, county] = key;
    if (own_agency_only && agency != u.agency_id) continue;
    // A task without a county is told to everyone who answers for the agency: nobody else would.
    if (u.county_id && county != 0 && *u.county_id != county) continue;
    by_agency[agency] += n;
  }
  std::vector<notifications::AgencyCount> out;
  for (const auto& [agency, n] : by_agency) {
    auto it = names.find(agency);
    out.push_back({agency, it == names.end() ? "" : it->second, n});
  }
  return out;
}

}  // namespace

std::int64_t EscalationService::FinishInterrupted() {
  std::int64_t now = clock_.NowMillis();
  return db_.Write([&](db::Connection& tx) {
    return tx.Exec(kFinishInterrupted, {now, now - kHourMs});
  });
}

EscalationRun EscalationService::Run() {
  EscalationRun result;
  std::int64_t now = clock_.NowMillis();
  struct Step {
    int level;  // the step taken: 1 → managers, 2 → coordinators
    std::int64_t hours;
    std::int64_t due_before;
  };
  const Step steps[] = {
      {1, config_.manager_after_hours, now - config_.manager_after_hours * kHourMs},
      {2, config_.coordinator_after_hours, now - config_.coordinator_after_hours * kHourMs}};
  // Nothing due (the usual minute): no run is recorded.
  bool any = db_.Read([&](db::Connection& c) {
    for (const auto& s : steps) {
      if (!pathway::store::EscalationCandidates(c, s.level - 1, s.due_before, 1, false).empty()) {
        return true;
      }
    }
    return false;
  });
  if (!any) return result;

  // One read of the users for the run, split by role (a user may hold both).
  std::vector<accounts::User> managers, coordinators;
  for (auto& u : directory_.ActiveUsersWith({Role::kAgencyManager, Role::kCoordinator})) {
    if (u.roles.Has(Role::kAgencyManager)) managers.push_back(u);
    if (u.roles.Has(Role::kCoordinator)) coordinators.push_back(std::move(u));
  }
  std::map<std::int64_t, std::string> names;
  result.run_id =
      db_.Write([&](db::Connection& tx) { return tx.Run(kStartRun, {now})[0].Int("id"); });

  // Every batch is committed on its own: a run that fails part-way is finished all the same, so
  // the e-mails of what it did go out, and the error goes to the caller.
  auto finish = [&] {
    db_.Write([&](db::Connection& tx) {
      tx.Exec(kFinishRun, {clock_.NowMillis(), result.run_id});
    });
  };
  try {
    for (const auto& s : steps) {
      const bool to_managers = s.level == 1;
      const auto& recipients = to_managers ? managers : coordinators;
      const char* kind =
          to_managers ? notifications::kEscalationManager : notifications::kEscalationCoordinator;
      const char* link = to_managers ? "/inbox?view=overdue" : "/scorecards";
      for (;;) {
        std::int64_t found = 0;
        db_.Write([&](db::Connection& tx) {
          auto batch = pathway::store::EscalationCandidates(tx, s.level - 1, s.due_before, kBatch,
                                                            /*lock=*/true);
          found = static_cast<std::int64_t>(batch.size());
          Moved moved;
          std::int64_t n = 0;
          for (const auto& t : batch) {
            if (pathway::store::MarkEscalated(tx, t.id, s.level - 1, s.level)) {
              ++moved[{t.agency_id, t.county_id}];
              ++n;
            }
          }
          for (const auto& entry : moved) {
            std::int64_t agency_id = entry.first.first;
            if (names.count(agency_id)) continue;
            auto agency = accounts::store::GetAgency(tx, agency_id);
            names[agency_id] = agency ? agency->name : "";
          }
          for (const auto& u : recipients) {
            auto counts = CountsFor(u, to_managers, moved, names);
            if (notices_.AddToRun(tx, result.run_id, {u.id, u.email}, kind, s.hours, counts,
                                  link)) {
              ++result.notifications;
            }
          }
          tx.Exec(kAddToRun, {to_managers ? n : 0, to_managers ? 0 : n, result.run_id});
          (to_managers ? result.manager_tasks : result.coordinator_tasks) += n;
        });
        if (found < kBatch) break;
      }
    }
  } catch (...) {
    finish();
    throw;
  }

  db_.Write([&](db::Connection& tx) {
    tx.Exec(kFinishRun, {clock_.NowMillis(), result.run_id});
    audit_.Append(tx, System(), "escalation.run", "escalation_run", std::to_string(result.run_id),
                  boost::json::serialize(boost::json::object{
                      {"manager_tasks", result.manager_tasks},
                      {"coordinator_tasks", result.coordinator_tasks},
                      {"notifications", result.notifications},
                      {"manager_after_hours", config_.manager_after_hours},
                      {"coordinator_after_hours", config_.coordinator_after_hours}}));
  });
  return result;
}

}  // namespace peyvand::accountability
