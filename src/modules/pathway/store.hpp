// SQL for the pathway: programme, episodes and events, orders, facilities and
// stays, tasks, referrals, grants, service events and complaints.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/pathway/model.hpp"

namespace peyvand::pathway::store {

Programme LoadProgramme(db::Connection& c);
// A new version of a duty clock (hours and legal basis) and its history row; false: no such clock.
bool UpdateDuty(db::Connection& c, const std::string& code, const DutyChange& d, std::int64_t user,
                std::int64_t now);
std::vector<DutyVersion> DutyVersions(db::Connection& c);

// Agencies by code and id (the programme names lead agencies by code).
std::optional<std::int64_t> AgencyIdByCode(db::Connection& c, const std::string& code);
std::string AgencyCode(db::Connection& c, std::int64_t agency_id);
bool AgencyActive(db::Connection& c, std::int64_t agency_id);
bool CountyExists(db::Connection& c, std::int64_t county_id);

// The live record a person id resolves to, and every record merged into it.
std::int64_t RootPerson(db::Connection& c, std::int64_t person_id);
std::vector<std::int64_t> PersonGroup(db::Connection& c, std::int64_t root);

// Episodes.
std::int64_t InsertEpisode(db::Connection& c, const Episode& e, std::int64_t now);
std::optional<Episode> GetEpisode(db::Connection& c, std::int64_t id);
std::vector<Episode> EpisodesOf(db::Connection& c, const std::vector<std::int64_t>& persons);
std::int64_t CountEpisodes(db::Connection& c, const std::vector<std::int64_t>& persons);
void SetStage(db::Connection& c, std::int64_t episode_id, const std::string& stage,
              std::int64_t now);
void SetScreening(db::Connection& c, std::int64_t episode_id, const std::string& outcome,
                  std::int64_t now);
void CloseEpisode(db::Connection& c, std::int64_t episode_id, const std::string& reason,
                  std::int64_t now);
void InsertEvent(db::Connection& c, const Event& e);
std::vector<Event> EventsOf(db::Connection& c, std::int64_t episode_id);

// Orders.
std::int64_t InsertOrder(db::Connection& c, const Order& o, std::int64_t user, std::int64_t now);
std::vector<Order> OrdersOf(db::Connection& c, std::int64_t episode_id);
bool PersonHadNote2(db::Connection& c, const std::vector<std::int64_t>& persons);

// Facilities and stays.
std::int64_t InsertFacility(db::Connection& c, const Facility& f, std::int64_t now);
void UpdateFacility(db::Connection& c, const Facility& f, std::int64_t now);
std::optional<Facility> GetFacility(db::Connection& c, std::int64_t id);
std::vector<Facility> ListFacilities(db::Connection& c);
// Takes a bed if one is free (or `force`); false when full.
bool TakeBed(db::Connection& c, std::int64_t facility_id, const std::string& sex, bool force);
void FreeBed(db::Connection& c, std::int64_t facility_id, const std::string& sex);
std::int64_t InsertStay(db::Connection& c, const Stay& s, std::int64_t user, std::int64_t now);
std::optional<Stay> GetStay(db::Connection& c, std::int64_t id);
std::vector<Stay> StaysOf(db::Connection& c, std::int64_t episode_id);
std::optional<Stay> OpenStayOf(db::Connection& c, const std::vector<std::int64_t>& persons);
void DischargeStay(db::Connection& c, std::int64_t stay_id, std::int64_t day,
                   const std::string& reason, std::int64_t now);
void SetStayEnd(db::Connection& c, std::int64_t stay_id, std::int64_t legal_end_day,
                std::int64_t now);
struct OverdueStay {
  Stay stay;
  std::string first_name;
  std::string last_name;
  std::int64_t facility_agency = 0;
  std::int64_t county_id = 0;
};
// Open stays whose legal end is before `today`; agency 0 = every facility.
std::vector<OverdueStay> OverdueStays(db::Connection& c, std::int64_t today, std::int64_t agency,
                                      std::int64_t limit, std::int64_t offset);
std::int64_t CountOverdueStays(db::Connection& c, std::int64_t today, std::int64_t agency);

// Tasks.
std::int64_t InsertTask(db::Connection& c, const Task& t, std::int64_t now);
std::optional<Task> GetTask(db::Connection& c, std::int64_t id);
std::vector<Task> TasksOfClause(db::Connection& c, std::int64_t clause_id);

// The pathway's flow over the whole Jalali months holding first_day to last_day (county 0: all),
// from the month rollups: collected, screened,
// admitted, discharged, employed, recollected_6, recollected_12 → count (pathway_day_stats).
std::map<std::string, std::int64_t> Flow(db::Connection& c, std::int64_t first_day,
                                         std::int64_t last_day, std::int64_t county_id);
// The same by county: county id (0: none) → kind → count.
std::map<std::int64_t, std::map<std::string, std::int64_t>> FlowByCounty(db::Connection& c,
                                                                         std::int64_t first_day,
                                                                         std::int64_t last_day);
// pathway_day_stats recomputed from episodes, events and services: the differing rows.
std::int64_t VerifyFlow(db::Connection& c);

// An agency's tasks due in [due_from, due_to) (milliseconds), by the scorecards' classes:
// "overdue" (new or open, due before `overdue_before`), "open" (new or open), "on_time" and
// "late" (done, by its completion time against its due time), "closed" (rejected, revoked,
// cancelled), "" (all). county_id 0: every county.
struct TaskQuery {
  std::int64_t agency_id = 0;
  std::int64_t county_id = 0;
  std::int64_t due_from = 0;
  std::int64_t due_to = 0;
  std::string status;
  std::int64_t overdue_before = 0;
};
std::vector<Task> FindTasks(db::Connection& c, const TaskQuery& q, std::int64_t limit,
                            std::int64_t offset);
std::int64_t CountTasks(db::Connection& c, const TaskQuery& q);
// Cancels a clause's open tasks; returns how many.
std::int64_t CancelClauseTasks(db::Connection& c, std::int64_t clause_id, const std::string& reason,
                               std::int64_t user, std::int64_t now);
std::vector<Task> TasksOfEpisode(db::Connection& c, std::int64_t episode_id);
// Escalation (migration 0013): open tasks at escalation step `level` whose due time is before
// `due_before`, oldest first, from the partial index tasks_escalation; and the step taken.
struct EscalationCandidate {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::int64_t county_id = 0;  // 0 when none
};
// lock: inside the write transaction that takes the step (PostgreSQL locks the rows it returns).
std::vector<EscalationCandidate> EscalationCandidates(db::Connection& c, int level,
                                                      std::int64_t due_before, std::int64_t limit,
                                                      bool lock);
bool MarkEscalated(db::Connection& c, std::int64_t task_id, int from_level, int to_level);
// The open (new or open) task of `kind` an agency holds on an episode.
std::optional<Task> OpenTask(db::Connection& c, std::int64_t episode_id, std::int64_t agency,
                             const std::string& kind);
std::int64_t CountOpenTasks(db::Connection& c, std::int64_t episode_id);
// Moves a task from one of `from` states; false if it was in none of them.
bool SetTaskState(db::Connection& c, std::int64_t id, const std::string& state,
                  const std::string& outcome, std::int64_t user, std::int64_t now);
void CancelOpenTasks(db::Connection& c, std::int64_t episode_id, std::int64_t now);
// The open (new or open) tasks of `kind` on an episode, whichever agency holds them.
void FinishOpenTasks(db::Connection& c, std::int64_t episode_id, const std::string& kind,
                     const std::string& outcome, std::int64_t user, std::int64_t now);
void SetOpenTasksDue(db::Connection& c, std::int64_t episode_id, const std::string& kind,
                     std::int64_t due_at, std::int64_t now);

struct InboxItem {
  Task task;
  std::string first_name;  // empty for tasks without a person
  std::string last_name;
  std::string from_agency;  // referrals: the sender's name
  std::string purpose;      // referrals
};
struct InboxFilter {
  std::int64_t agency = 0;
  std::string view;  // new, today, overdue, open, done
  std::string kind;  // "" = any
  std::int64_t now = 0;
  std::int64_t day_end = 0;
};
std::vector<InboxItem> Inbox(db::Connection& c, const InboxFilter& f, std::int64_t limit,
                             std::int64_t offset);
// At most kInboxCountCap (a figure at the cap means "at least that many").
inline constexpr std::int64_t kInboxCountCap = 1000;
std::int64_t CountInbox(db::Connection& c, const InboxFilter& f);

// Referrals.
std::int64_t InsertReferral(db::Connection& c, const Referral& r, std::int64_t user,
                            std::int64_t now);
std::optional<Referral> GetReferral(db::Connection& c, std::int64_t id);
std::vector<Referral> ReferralsOf(db::Connection& c, std::int64_t episode_id);
bool SetReferralStatus(db::Connection& c, std::int64_t id, const std::string& from,
                       const std::string& to, const std::string& reason, const std::string& outcome,
                       std::int64_t now);
void SetReferralTask(db::Connection& c, std::int64_t id, std::int64_t task_id);

// Who may see a person: the facts access decisions are made from.
struct AccessFacts {
  bool stage_task = false;          // holds an open duty task (not a referral)
  bool referral_task = false;       // holds an open referral task
  std::vector<std::string> shared;  // parts shared with it by those referrals
  bool sent_referral = false;       // sent a referral still pending or accepted
  bool open_stay = false;           // operates the facility of an open stay
  bool issued_order = false;        // issued an order on an episode still open
  bool grant = false;               // this user broke the glass and it has not expired
  bool registered_without_episode = false;
};
AccessFacts Access(db::Connection& c, const std::vector<std::int64_t>& persons, std::int64_t agency,
                   std::int64_t user, std::int64_t now);
void InsertGrant(db::Connection& c, std::int64_t person, std::int64_t agency, std::int64_t user,
                 const std::string& reason, std::int64_t now, std::int64_t expires);

// Service events.
std::int64_t InsertService(db::Connection& c, const ServiceEvent& s, std::int64_t person,
                           std::optional<std::int64_t> stay, std::int64_t user, std::int64_t now);

// Complaints.
std::int64_t InsertComplaint(db::Connection& c, const Complaint& k, std::int64_t now);
std::optional<Complaint> GetComplaint(db::Connection& c, std::int64_t id);
std::optional<Complaint> ComplaintByCode(db::Connection& c, const std::string& code);
std::vector<Complaint> ListComplaints(db::Connection& c, const std::string& status,
                                      std::int64_t limit, std::int64_t offset);
std::int64_t CountComplaints(db::Connection& c, const std::string& status);
// The complaint's task in the judiciary queue: taken up, or finished.
void OpenComplaintTask(db::Connection& c, std::int64_t complaint_id, std::int64_t now);
void CloseComplaintTask(db::Connection& c, std::int64_t complaint_id, const std::string& outcome,
                        std::int64_t user, std::int64_t now);
void UpdateComplaint(db::Connection& c, std::int64_t id, const std::string& status,
                     const std::string& resolution, std::int64_t user, std::int64_t now);

}  // namespace peyvand::pathway::store
