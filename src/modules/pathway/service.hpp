// The pathway's operations. Each one authorises (the actor's agency must hold
// the duty: an open task, a referral, the facility of a stay), runs in one
// write transaction, appends to the episode's timeline and to the audit log.
//
// Who sees a person (PathwayAccess): provincial coordinators; an agency while
// it holds an open task (a stage duty or a referral) for one of the person's
// records, has sent a referral still pending or accepted, or runs the facility
// of an open stay; the judiciary while an episode it ordered is open (it
// extends orders and inspects stays); a user who broke the glass in the last four hours; the
// registering agency until the person's first episode. A referral shows the
// receiving agency only the parts the sender shared; medical events are shown
// only to the health agency and the agency that recorded them.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "modules/accounts/model.hpp"
#include "modules/audit/service.hpp"
#include "modules/pathway/model.hpp"
#include "modules/pathway/store.hpp"
#include "modules/people/service.hpp"

namespace peyvand::pathway {

struct CollectionInput {
  std::optional<std::int64_t> person_id;    // a person already known (re-collection)
  std::optional<people::NewPerson> person;  // or a new registration
  bool confirm_new = false;
  std::optional<std::int64_t> county_id;
  std::string place;
  std::optional<std::int64_t> collected_day;  // default: today
};

struct OrderInput {
  std::string kind;
  int months = 0;
  std::string reference;
  std::optional<std::int64_t> issued_day;  // default: today
  std::optional<std::int64_t> start_day;
  std::optional<std::int64_t> parent_id;
};

struct ReferralInput {
  std::int64_t to_agency = 0;
  std::string purpose;
  std::string basis;  // consent, legal
  std::string legal_basis;
  std::vector<std::string> shared;
};

struct ComplaintInput {
  std::string complainant;
  std::string relation;
  std::string contact;
  std::optional<std::int64_t> facility_id;
  std::optional<std::int64_t> episode_id;
  std::string body;
};

// What a viewer may see of a person's record.
struct View {
  bool any = false;
  bool full = false;               // every non-medical part
  std::vector<std::string> parts;  // when not full: the parts shared by referral
  bool medical = false;
  bool reduced = false;    // names and pathway only (a coordinator without a duty)
  bool runs_stay = false;  // the viewer's agency runs the facility of an open stay
  bool Sees(const std::string& part) const;
};

// An episode as its viewer may see it.
struct EpisodeView {
  Episode episode;
  people::Person person;
  std::vector<Event> events;
  std::vector<Order> orders;
  std::vector<Stay> stays;
  std::vector<Referral> referrals;
  std::vector<Task> tasks;
  View view;
  std::string agency_code;  // the viewer's
  std::int64_t today = 0;
  // The read's audit entry, committing while the caller renders: call it (or hand it to
  // http::Response::before_send) before the episode leaves the server.
  std::function<void()> audited;
};

struct InboxPage {
  std::vector<store::InboxItem> items;
  std::int64_t total = 0;
  std::int64_t count_new = 0;
  std::int64_t count_today = 0;
  std::int64_t count_overdue = 0;
  std::int64_t count_open = 0;
};

class PathwayService : public people::PersonAccess {
 public:
  PathwayService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                 people::PeopleService& people);

  Programme GetProgramme();
  // A new version of a duty: clock and legal basis (system admin); applies to new tasks, and
  // the history keeps every version.
  void UpdateDuty(const accounts::Principal& p, const std::string& code, const DutyChange& change);
  std::vector<DutyVersion> DutyHistory();
  void UpdateClock(const accounts::Principal& p, const std::string& code, int hours);

  // people::PersonAccess
  // Coordinators without a duty of their own see the reduced form.
  people::Sight SightOf(db::Connection& c, const accounts::Principal& p,
                        const people::Person& person) override;
  View ViewOf(db::Connection& c, const accounts::Principal& p, std::int64_t person_id);

  // The pathway, stage by stage.
  Episode Collect(const accounts::Principal& p, const CollectionInput& in);
  void Transfer(const accounts::Principal& p, std::int64_t episode_id);
  void Screen(const accounts::Principal& p, std::int64_t episode_id, const std::string& outcome,
              const std::string& note);
  Order IssueOrder(const accounts::Principal& p, std::int64_t episode_id, const OrderInput& in);
  std::vector<Facility> Suggest(const accounts::Principal& p, std::int64_t episode_id);
  Stay Admit(const accounts::Principal& p, std::int64_t episode_id, std::int64_t facility_id,
             std::optional<std::int64_t> day, const std::string& override_reason);
  void Discharge(const accounts::Principal& p, std::int64_t stay_id,
                 std::optional<std::int64_t> day, const std::string& reason);
  void RecordService(const accounts::Principal& p, std::int64_t episode_id, const std::string& kind,
                     std::optional<std::int64_t> day, const std::string& note);
  // After-care contacts and the employment duty are completed with an outcome.
  void CompleteTask(const accounts::Principal& p, std::int64_t task_id, const std::string& outcome);

  // For the funding module, inside its own write transaction: a resolution clause's task in a
  // responsible agency's queue (kind "resolution", completed from the inbox with an outcome),
  // its tasks, and cancelling the open ones (when the clause is withdrawn).
  std::int64_t AddClauseTask(db::Connection& tx, std::int64_t agency_id, std::int64_t clause_id,
                             std::int64_t due_at);
  std::vector<Task> ClauseTasks(db::Connection& c, std::int64_t clause_id);
  // The tasks behind a scorecard figure (no personal data: ids, kinds, dates, episode ids).
  // The caller (the accountability module) has checked the viewer may see the agency's card.
  struct TaskPage {
    std::vector<Task> items;
    std::int64_t total = 0;  // stops at 10,000
  };
  TaskPage FindTasks(const store::TaskQuery& q, std::int64_t limit, std::int64_t offset);
  // Aggregate flow figures for the dashboard and the public page (no personal data).
  std::map<std::string, std::int64_t> Flow(std::int64_t first_day, std::int64_t last_day,
                                           std::int64_t county_id);
  std::map<std::int64_t, std::map<std::string, std::int64_t>> FlowByCounty(std::int64_t first_day,
                                                                           std::int64_t last_day);
  std::int64_t VerifyFlow();
  std::int64_t CancelClauseTasks(db::Connection& tx, std::int64_t clause_id,
                                 const std::string& reason, std::int64_t user_id);

  // Referrals between agency queues.
  Referral Refer(const accounts::Principal& p, std::int64_t episode_id, const ReferralInput& in);
  Referral ActOnReferral(const accounts::Principal& p, std::int64_t referral_id,
                         const std::string& action, const std::string& text);
  void BreakGlass(const accounts::Principal& p, std::int64_t person_id, const std::string& reason);

  InboxPage Inbox(const accounts::Principal& p, const std::string& view, const std::string& kind,
                  std::int64_t limit, std::int64_t offset);
  EpisodeView GetEpisode(const accounts::Principal& p, std::int64_t episode_id);
  // Whether the principal may still see an episode (after an action that may
  // have ended its duty); not audited, reveals nothing but a yes or no.
  bool Sees(const accounts::Principal& p, std::int64_t episode_id);
  std::vector<Episode> EpisodesOf(const accounts::Principal& p, std::int64_t person_id);

  // Facilities and beds.
  std::vector<Facility> Facilities(const accounts::Principal& p);
  Facility SaveFacility(const accounts::Principal& p, const Facility& f);
  struct OverduePage {
    std::vector<store::OverdueStay> stays;
    std::int64_t total = 0;
    std::int64_t today = 0;
  };
  // Stays past their order's legal end: every stay for coordinators and the
  // judiciary; a facility operator's own for it; nothing for others.
  OverduePage OverdueStays(const accounts::Principal& p, std::int64_t limit, std::int64_t offset);

  // Complaints: filed by anyone (no sign-in), handled by the judiciary.
  Complaint FileComplaint(const ComplaintInput& in, const audit::Actor& actor);
  std::optional<Complaint> TrackComplaint(const std::string& code);
  struct ComplaintPage {
    std::vector<Complaint> items;
    std::int64_t total = 0;
  };
  ComplaintPage Complaints(const accounts::Principal& p, const std::string& status,
                           std::int64_t limit, std::int64_t offset);
  Complaint UpdateComplaint(const accounts::Principal& p, std::int64_t id,
                            const std::string& status, const std::string& resolution);

  std::int64_t Today() const;

 private:
  struct Actor {
    const accounts::Principal& p;
    std::string agency_code;
    audit::Actor audit;
  };
  Actor Act(db::Connection& c, const accounts::Principal& p);
  void Deny(const accounts::Principal& p, const std::string& type, std::int64_t id,
            const char* reason);
  void Log(db::Connection& tx, const Actor& a, const Episode& e, const std::string& kind,
           const std::string& part, const std::string& detail);
  std::int64_t AgencyFor(db::Connection& c, const std::string& stage_code);
  std::int64_t AddTask(db::Connection& tx, const Episode& e, std::int64_t agency,
                       const std::string& kind, const std::string& stage, std::int64_t due_at,
                       const char* state = "new");
  // The episode if the principal may see it (and what of it, into `view`).
  Episode LoadEpisode(db::Connection& c, const accounts::Principal& p, std::int64_t id,
                      View* view = nullptr);
  // Agency codes never change once created: cached.
  std::string AgencyCodeOf(db::Connection& c, std::int64_t agency_id);
  void MaybeFinish(db::Connection& tx, const Actor& a, const Episode& e);

  db::Database& db_;
  audit::AuditService& audit_;
  const Clock& clock_;
  people::PeopleService& people_;
  std::mutex programme_mu_;
  std::mutex codes_mu_;
  std::unordered_map<std::int64_t, std::string> agency_codes_;
  std::optional<Programme> programme_;
};

}  // namespace peyvand::pathway
