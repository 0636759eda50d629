#include "modules/pathway/store.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "modules/pathway/rules.hpp"
#include "persian/jalali.hpp"

namespace peyvand::pathway::store {
namespace {

using db::Query;

std::string JoinComma(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// ---- programme ----
constexpr Query kStages{
    "programme.stages",
    "SELECT code, seq, name, lead_agency, support_agencies FROM programme_stages"
    " WHERE programme = ? ORDER BY seq"};
constexpr Query kTransitions{
    "programme.transitions",
    "SELECT from_stage, to_stage FROM programme_transitions WHERE programme = ?"};
constexpr Query kOutcomes{
    "programme.outcomes",
    "SELECT code, name, next_stage FROM screening_outcomes WHERE programme = ? ORDER BY seq"};
constexpr Query kClocks{
    "programme.clocks",
    "SELECT code, name, hours, basis, law, article, resolution, version FROM programme_clocks"
    " WHERE programme = ? ORDER BY seq"};
constexpr Query kUpdateDuty{
    "programme.update_duty",
    "UPDATE programme_clocks SET hours = ?, law = ?, article = ?, resolution = ?,"
    " version = version + 1, updated_by = ?, updated_at = ? WHERE programme = ? AND code = ?"};
// The version row copies what the clock now says, so the two cannot disagree.
constexpr Query kInsertDutyVersion{
    "duty_versions.insert",
    "INSERT INTO duty_versions (programme, code, version, hours, law, article, resolution, basis,"
    " reason, valid_from, changed_by) SELECT programme, code, version, hours, law, article,"
    " resolution, basis, ?, updated_at, updated_by FROM programme_clocks"
    " WHERE programme = ? AND code = ?"};
constexpr Query kDutyVersions{
    "duty_versions.list",
    "SELECT v.code, v.version, v.hours, v.law, v.article, v.resolution, v.reason, v.valid_from,"
    " v.changed_by, u.display_name FROM duty_versions v LEFT JOIN users u ON u.id = v.changed_by"
    " WHERE v.programme = ? ORDER BY v.code, v.version DESC"};

// ---- directory ----
constexpr Query kAgencyByCode{"pathway.agency_by_code",
                              "SELECT id FROM agencies WHERE code = ? AND province_id = 1"};
constexpr Query kAgency{"pathway.agency", "SELECT code, active FROM agencies WHERE id = ?"};
constexpr Query kCounty{"pathway.county", "SELECT id FROM counties WHERE id = ?"};
constexpr Query kMergedInto{"pathway.merged_into", "SELECT merged_into FROM persons WHERE id = ?"};
constexpr Query kMergedChildren{"pathway.merged_children",
                                "SELECT id FROM persons WHERE merged_into = ?"};

// ---- episodes ----
#define EPISODE_COLS                                                                          \
  "id, person_id, county_id, stage, status, opened_by_agency, opened_by_user, collected_at, " \
  "place, prior_episodes, screening_outcome, close_reason, closed_at, created_at"
constexpr Query kInsertEpisode{
    "episodes.insert",
    "INSERT INTO episodes (programme, person_id, county_id, stage, status, opened_by_agency,"
    " opened_by_user, collected_at, place, prior_episodes, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kGetEpisode{"episodes.get", "SELECT " EPISODE_COLS " FROM episodes WHERE id = ?"};
constexpr Query kEpisodesOf{
    "episodes.of_person", "SELECT " EPISODE_COLS " FROM episodes WHERE person_id = ? ORDER BY id"};
constexpr Query kCountEpisodes{"episodes.count_of_person",
                               "SELECT COUNT(*) AS n FROM episodes WHERE person_id = ?"};
constexpr Query kSetStage{"episodes.set_stage",
                          "UPDATE episodes SET stage = ?, updated_at = ? WHERE id = ?"};
constexpr Query kSetScreening{
    "episodes.set_screening",
    "UPDATE episodes SET screening_outcome = ?, updated_at = ? WHERE id = ?"};
constexpr Query kClose{"episodes.close",
                       "UPDATE episodes SET status = 'closed', stage = 'closed', close_reason = ?,"
                       " closed_at = ?, updated_at = ? WHERE id = ? AND status = 'open'"};
constexpr Query kInsertEvent{
    "episode_events.insert",
    "INSERT INTO episode_events (episode_id, at, agency_id, user_id, kind, stage, part, detail)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Query kEvents{
    "episode_events.of_episode",
    "SELECT e.id, e.episode_id, e.at, e.agency_id, e.user_id, e.kind, e.stage, e.part, e.detail,"
    " a.name AS agency_name, u.display_name AS user_name FROM episode_events e"
    " LEFT JOIN agencies a ON a.id = e.agency_id LEFT JOIN users u ON u.id = e.user_id"
    " WHERE e.episode_id = ? ORDER BY e.id"};

// ---- orders ----
constexpr Query kInsertOrder{
    "judicial_orders.insert",
    "INSERT INTO judicial_orders (episode_id, person_id, kind, reference, issued_day, start_day,"
    " months, end_day, parent_id, agency_id, user_id, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kOrdersOf{
    "judicial_orders.of_episode",
    "SELECT id, episode_id, person_id, kind, reference, issued_day, start_day, months, end_day,"
    " parent_id, agency_id, created_at FROM judicial_orders WHERE episode_id = ? ORDER BY id"};
constexpr Query kNote2Of{
    "judicial_orders.note2_of_person",
    "SELECT COUNT(*) AS n FROM judicial_orders WHERE person_id = ? AND kind = 'note2'"};

// ---- facilities and stays ----
#define FACILITY_COLS                                                                        \
  "f.id, f.code, f.name, f.kind, f.agency_id, f.county_id, f.capacity_male, "                \
  "f.capacity_female, f.occupied_male, f.occupied_female, f.active, a.name AS agency_name, " \
  "c.name AS county_name"
#define FACILITY_FROM \
  " FROM facilities f JOIN agencies a ON a.id = f.agency_id JOIN counties c ON c.id = f.county_id"
constexpr Query kInsertFacility{
    "facilities.insert",
    "INSERT INTO facilities (code, name, kind, agency_id, county_id, capacity_male,"
    " capacity_female, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id"};
constexpr Query kUpdateFacility{
    "facilities.update",
    "UPDATE facilities SET name = ?, kind = ?, capacity_male = ?, capacity_female = ?, active = ?,"
    " updated_at = ? WHERE id = ?"};
constexpr Query kGetFacility{"facilities.get",
                             "SELECT " FACILITY_COLS FACILITY_FROM " WHERE f.id = ?"};
constexpr Query kListFacilities{
    "facilities.list", "SELECT " FACILITY_COLS FACILITY_FROM " ORDER BY f.county_id, f.id"};
constexpr Query kTakeMale{
    "facilities.take_bed_male",
    "UPDATE facilities SET occupied_male = occupied_male + 1"
    " WHERE id = ? AND active = 1 AND (occupied_male < capacity_male OR ? = 1)"};
constexpr Query kTakeFemale{
    "facilities.take_bed_female",
    "UPDATE facilities SET occupied_female = occupied_female + 1"
    " WHERE id = ? AND active = 1 AND (occupied_female < capacity_female OR ? = 1)"};
constexpr Query kFreeMale{"facilities.free_bed_male",
                          "UPDATE facilities SET occupied_male = occupied_male - 1"
                          " WHERE id = ? AND occupied_male > 0"};
constexpr Query kFreeFemale{"facilities.free_bed_female",
                            "UPDATE facilities SET occupied_female = occupied_female - 1"
                            " WHERE id = ? AND occupied_female > 0"};
#define STAY_COLS                                                                       \
  "s.id, s.episode_id, s.person_id, s.facility_id, s.sex, s.order_id, s.admitted_day, " \
  "s.legal_end_day, s.discharged_day, s.discharge_reason, s.over_capacity_reason, "     \
  "f.name AS facility_name"
constexpr Query kInsertStay{
    "stays.insert",
    "INSERT INTO stays (episode_id, person_id, facility_id, sex, order_id, admitted_day,"
    " legal_end_day, over_capacity_reason, admitted_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kGetStay{"stays.get", "SELECT " STAY_COLS
                                      " FROM stays s JOIN facilities f ON f.id = s.facility_id"
                                      " WHERE s.id = ?"};
constexpr Query kStaysOf{"stays.of_episode",
                         "SELECT " STAY_COLS
                         " FROM stays s JOIN facilities f ON f.id = s.facility_id"
                         " WHERE s.episode_id = ? ORDER BY s.id"};
constexpr Query kOpenStayOf{"stays.open_of_person",
                            "SELECT " STAY_COLS
                            " FROM stays s JOIN facilities f ON f.id = s.facility_id"
                            " WHERE s.person_id = ? AND s.discharged_day IS NULL"};
constexpr Query kDischarge{
    "stays.discharge",
    "UPDATE stays SET discharged_day = ?, discharge_reason = ?, updated_at = ?"
    " WHERE id = ? AND discharged_day IS NULL"};
constexpr Query kSetStayEnd{"stays.set_end",
                            "UPDATE stays SET legal_end_day = ?, updated_at = ? WHERE id = ?"};
constexpr Query kOverdue{
    "stays.overdue",
    "SELECT " STAY_COLS
    ", p.first_name, p.last_name, f.agency_id AS facility_agency, f.county_id"
    " FROM stays s JOIN facilities f ON f.id = s.facility_id JOIN persons p ON p.id = s.person_id"
    " WHERE s.discharged_day IS NULL AND s.legal_end_day < ? AND (CAST(? AS BIGINT) = 0 OR f.agency_id = ?)"
    " ORDER BY s.legal_end_day, s.id LIMIT ? OFFSET ?"};
constexpr Query kCountOverdue{
    "stays.count_overdue",
    "SELECT COUNT(*) AS n FROM stays s JOIN facilities f ON f.id = s.facility_id"
    " WHERE s.discharged_day IS NULL AND s.legal_end_day < ? AND (CAST(? AS BIGINT) = 0 OR f.agency_id = ?)"};

// ---- tasks ----
#define TASK_COLS                                                                       \
  "t.id, t.agency_id, t.kind, t.stage, t.episode_id, t.person_id, t.referral_id, "      \
  "t.complaint_id, t.clause_id, t.county_id, t.state, t.due_at, t.outcome, t.done_at, " \
  "t.created_at"
constexpr Query kInsertTask{
    "tasks.insert",
    "INSERT INTO tasks (agency_id, kind, stage, episode_id, person_id, referral_id, complaint_id,"
    " clause_id, county_id, state, due_at, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kTasksOfClause{
    "tasks.of_clause", "SELECT " TASK_COLS " FROM tasks t WHERE t.clause_id = ? ORDER BY t.id"};
constexpr Query kCancelClauseTasks{
    "tasks.cancel_of_clause",
    "UPDATE tasks SET state = 'cancelled', outcome = ?, done_by = ?, done_at = ?, updated_at = ?"
    " WHERE clause_id = ? AND state IN ('new', 'open')"};
constexpr Query kGetTask{"tasks.get", "SELECT " TASK_COLS " FROM tasks t WHERE t.id = ?"};
constexpr Query kTasksOf{"tasks.of_episode",
                         "SELECT " TASK_COLS " FROM tasks t WHERE t.episode_id = ? ORDER BY t.id"};
constexpr Query kOpenTask{"tasks.open_of_kind",
                          "SELECT " TASK_COLS
                          " FROM tasks t WHERE t.episode_id = ? AND t.agency_id = ? AND t.kind = ?"
                          " AND t.state IN ('new', 'open') ORDER BY t.id LIMIT 1"};
constexpr Query kCountOpen{
    "tasks.count_open",
    "SELECT COUNT(*) AS n FROM tasks WHERE episode_id = ? AND state IN ('new', 'open')"};
constexpr Query kSetTaskState{
    "tasks.set_state",
    "UPDATE tasks SET state = ?, outcome = ?, done_at = ?, done_by = ?, updated_at = ?"
    " WHERE id = ? AND state IN ('new', 'open')"};
constexpr Query kCancelOpen{"tasks.cancel_open",
                            "UPDATE tasks SET state = 'cancelled', updated_at = ?"
                            " WHERE episode_id = ? AND state IN ('new', 'open')"};
constexpr Query kFinishOpen{
    "tasks.finish_open_of_kind",
    "UPDATE tasks SET state = 'done', outcome = ?, done_at = ?, done_by = ?, updated_at = ?"
    " WHERE episode_id = ? AND kind = ? AND state IN ('new', 'open')"};
// A new due time starts the task's escalation again (it is about the new deadline).
constexpr Query kSetOpenDue{"tasks.set_open_due",
                            "UPDATE tasks SET due_at = ?, updated_at = ?, escalation = 0"
                            " WHERE episode_id = ? AND kind = ? AND state IN ('new', 'open')"};

// A page of a queue in two steps: the ids of the page from one index range (covering, so the
// rows skipped by OFFSET cost an index entry each, not a table row and three joins), then the
// rows and their joins for those ids only.
#define INBOX_LIST(filter, order)                                                                 \
  "SELECT " TASK_COLS                                                                             \
  ", p.first_name, p.last_name, fa.name AS from_agency, r.purpose"                                \
  " FROM (SELECT t.id FROM tasks t WHERE t.agency_id = ? AND (? = '' OR t.kind = ?)" filter order \
      INBOX_PAGE                                                                                  \
  ") AS pg JOIN tasks t ON t.id = pg.id"                                                          \
  " LEFT JOIN persons p ON p.id = t.person_id LEFT JOIN referrals r ON r.id = t.referral_id"      \
  " LEFT JOIN agencies fa ON fa.id = r.from_agency" order
#define INBOX_PAGE " LIMIT ? OFFSET ?"
// Counts stop at kInboxCountCap: a queue's page needs "more than 1,000", not
// an exact figure that would cost a scan of the whole backlog (scorecards keep
// exact figures).
#define COUNT_SELECT \
  "SELECT COUNT(*) AS n FROM (SELECT 1 FROM tasks t WHERE t.agency_id = ? AND (? = '' OR t.kind = ?)"
#define COUNT_END " LIMIT 1000) AS x"
#define ACTIVE " AND t.state IN ('new', 'open')"
#define BY_DUE " ORDER BY t.due_at, t.id"
struct InboxQueries {
  const char* view;
  Query list;
  Query count;
  int time_params;  // 0; 1: now; 2: now and the end of today
};
// Each view is one index range on tasks (agency_id, state, due_at).
const InboxQueries kInbox[] = {
    {"new",
     {"inbox.new", INBOX_LIST(" AND t.state = 'new'", BY_DUE)},
     {"inbox.count_new", COUNT_SELECT " AND t.state = 'new'" COUNT_END},
     0},
    {"today",
     {"inbox.today", INBOX_LIST(ACTIVE " AND t.due_at >= ? AND t.due_at < ?", BY_DUE)},
     {"inbox.count_today", COUNT_SELECT ACTIVE " AND t.due_at >= ? AND t.due_at < ?" COUNT_END},
     2},
    {"overdue",
     {"inbox.overdue", INBOX_LIST(ACTIVE " AND t.due_at < ?", BY_DUE)},
     {"inbox.count_overdue", COUNT_SELECT ACTIVE " AND t.due_at < ?" COUNT_END},
     1},
    {"open",
     {"inbox.open", INBOX_LIST(ACTIVE, BY_DUE)},
     {"inbox.count_open", COUNT_SELECT ACTIVE COUNT_END},
     0},
    {"done",
     {"inbox.done", INBOX_LIST(" AND t.state IN ('done', 'rejected', 'revoked', 'cancelled')",
                               " ORDER BY t.updated_at DESC, t.id DESC")},
     {"inbox.count_done",
      COUNT_SELECT " AND t.state IN ('done', 'rejected', 'revoked', 'cancelled')" COUNT_END},
     0},
};

const InboxQueries& InboxFor(const std::string& view) {
  for (const auto& q : kInbox)
    if (view == q.view) return q;
  return kInbox[3];
}

db::Params InboxParams(const InboxQueries& q, const InboxFilter& f) {
  db::Params params{f.agency, f.kind, f.kind};
  if (q.time_params >= 1) params.emplace_back(f.now);
  if (q.time_params >= 2) params.emplace_back(f.day_end);
  return params;
}

// ---- referrals ----
#define REFERRAL_COLS                                                                        \
  "id, episode_id, person_id, from_agency, to_agency, purpose, basis, legal_basis, shared, " \
  "status, reason, outcome, task_id, created_at"
constexpr Query kInsertReferral{
    "referrals.insert",
    "INSERT INTO referrals (episode_id, person_id, from_agency, to_agency, purpose, basis,"
    " legal_basis, shared, status, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id"};
constexpr Query kGetReferral{"referrals.get",
                             "SELECT " REFERRAL_COLS " FROM referrals WHERE id = ?"};
constexpr Query kReferralsOf{"referrals.of_episode",
                             "SELECT " REFERRAL_COLS
                             " FROM referrals WHERE episode_id = ? ORDER BY id"};
constexpr Query kSetReferral{
    "referrals.set_status",
    "UPDATE referrals SET status = ?, reason = ?, outcome = ?, updated_at = ?"
    " WHERE id = ? AND status = ?"};
constexpr Query kSetReferralTask{"referrals.set_task",
                                 "UPDATE referrals SET task_id = ? WHERE id = ?"};

// ---- access ----
constexpr Query kAccessTasks{
    "access.tasks",
    "SELECT t.kind, r.shared FROM tasks t LEFT JOIN referrals r ON r.id = t.referral_id"
    " WHERE t.person_id = ? AND t.agency_id = ? AND t.state IN ('new', 'open') LIMIT 50"};
// The yes/no access facts in one statement (one round trip instead of five on every read).
constexpr Query kAccessFlags{
    "access.flags",
    "SELECT"
    " CASE WHEN EXISTS (SELECT 1 FROM referrals WHERE person_id = ? AND from_agency = ?"
    "   AND status IN ('pending', 'accepted')) THEN 1 ELSE 0 END AS sent,"
    " CASE WHEN EXISTS (SELECT 1 FROM stays s JOIN facilities f ON f.id = s.facility_id"
    "   WHERE s.person_id = ? AND s.discharged_day IS NULL AND f.agency_id = ?) THEN 1 ELSE 0 END"
    "   AS stay,"
    " CASE WHEN EXISTS (SELECT 1 FROM judicial_orders o JOIN episodes e ON e.id = o.episode_id"
    "   WHERE o.person_id = ? AND o.agency_id = ? AND e.status = 'open') THEN 1 ELSE 0 END AS ord,"
    " CASE WHEN EXISTS (SELECT 1 FROM access_grants WHERE person_id = ? AND user_id = ?"
    "   AND expires_at > ?) THEN 1 ELSE 0 END AS grnt,"
    " CASE WHEN EXISTS (SELECT 1 FROM persons p WHERE p.id = ? AND p.registered_by_agency = ?"
    "   AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.person_id = p.id)) THEN 1 ELSE 0 END"
    "   AS registered"};
constexpr Query kInsertGrant{
    "access_grants.insert",
    "INSERT INTO access_grants (person_id, agency_id, user_id, reason, created_at, expires_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"};

// ---- services and complaints ----
constexpr Query kInsertService{
    "service_events.insert",
    "INSERT INTO service_events (episode_id, person_id, stay_id, kind, day, agency_id, user_id,"
    " note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
#define COMPLAINT_COLS                                                                         \
  "id, tracking_code, complainant, relation, contact, facility_id, episode_id, body, status, " \
  "agency_id, due_at, resolution, created_at"
constexpr Query kInsertComplaint{
    "complaints.insert",
    "INSERT INTO complaints (tracking_code, complainant, relation, contact, facility_id,"
    " episode_id, body, status, agency_id, due_at, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?) RETURNING id"};
constexpr Query kGetComplaint{"complaints.get",
                              "SELECT " COMPLAINT_COLS " FROM complaints WHERE id = ?"};
constexpr Query kComplaintByCode{
    "complaints.by_code", "SELECT " COMPLAINT_COLS " FROM complaints WHERE tracking_code = ?"};
constexpr Query kListComplaints{
    "complaints.list",
    "SELECT " COMPLAINT_COLS
    " FROM complaints WHERE (? = '' OR status = ?) ORDER BY id DESC LIMIT ? OFFSET ?"};
constexpr Query kCountComplaints{
    "complaints.count", "SELECT COUNT(*) AS n FROM complaints WHERE (? = '' OR status = ?)"};
constexpr Query kOpenComplaintTask{
    "tasks.open_complaint",
    "UPDATE tasks SET state = 'open', updated_at = ? WHERE complaint_id = ? AND state = 'new'"};
constexpr Query kCloseComplaintTask{
    "tasks.close_complaint",
    "UPDATE tasks SET state = 'done', outcome = ?, done_at = ?, done_by = ?, updated_at = ?"
    " WHERE complaint_id = ? AND state IN ('new', 'open')"};
constexpr Query kUpdateComplaint{
    "complaints.update",
    "UPDATE complaints SET status = ?, resolution = ?, handled_by = ?, updated_at = ? WHERE id = ?"};

Episode EpisodeFrom(const db::Row& r) {
  Episode e;
  e.id = r.Int("id");
  e.person_id = r.Int("person_id");
  e.county_id = r.OptInt("county_id");
  e.stage = r.Text("stage");
  e.status = r.Text("status");
  e.opened_by_agency = r.Int("opened_by_agency");
  e.opened_by_user = r.Int("opened_by_user");
  e.collected_at = r.Int("collected_at");
  e.place = r.Text("place");
  e.prior_episodes = static_cast<int>(r.Int("prior_episodes"));
  e.screening_outcome = r.OptText("screening_outcome");
  e.close_reason = r.OptText("close_reason");
  e.closed_at = r.OptInt("closed_at");
  e.created_at = r.Int("created_at");
  return e;
}

Order OrderFrom(const db::Row& r) {
  Order o;
  o.id = r.Int("id");
  o.episode_id = r.Int("episode_id");
  o.person_id = r.Int("person_id");
  o.kind = r.Text("kind") == "extension" ? OrderKind::kExtension
           : r.Text("kind") == "note2"   ? OrderKind::kNote2
                                         : OrderKind::kPlacement;
  o.reference = r.Text("reference");
  o.issued_day = r.Int("issued_day");
  o.start_day = r.Int("start_day");
  o.months = static_cast<int>(r.Int("months"));
  o.end_day = r.Int("end_day");
  o.parent_id = r.OptInt("parent_id");
  o.agency_id = r.Int("agency_id");
  o.created_at = r.Int("created_at");
  return o;
}

Facility FacilityFrom(const db::Row& r) {
  Facility f;
  f.id = r.Int("id");
  f.code = r.Text("code");
  f.name = r.Text("name");
  f.kind = r.Text("kind");
  f.agency_id = r.Int("agency_id");
  f.county_id = r.Int("county_id");
  f.capacity_male = static_cast<int>(r.Int("capacity_male"));
  f.capacity_female = static_cast<int>(r.Int("capacity_female"));
  f.occupied_male = static_cast<int>(r.Int("occupied_male"));
  f.occupied_female = static_cast<int>(r.Int("occupied_female"));
  f.active = r.Int("active") != 0;
  f.agency_name = r.Text("agency_name");
  f.county_name = r.Text("county_name");
  return f;
}

Stay StayFrom(const db::Row& r) {
  Stay s;
  s.id = r.Int("id");
  s.episode_id = r.Int("episode_id");
  s.person_id = r.Int("person_id");
  s.facility_id = r.Int("facility_id");
  s.sex = r.Text("sex");
  s.order_id = r.Int("order_id");
  s.admitted_day = r.Int("admitted_day");
  s.legal_end_day = r.Int("legal_end_day");
  s.discharged_day = r.OptInt("discharged_day");
  s.discharge_reason = r.Text("discharge_reason");
  s.over_capacity_reason = r.Text("over_capacity_reason");
  s.facility_name = r.Text("facility_name");
  return s;
}

Task TaskFrom(const db::Row& r) {
  Task t;
  t.id = r.Int("id");
  t.agency_id = r.Int("agency_id");
  t.kind = r.Text("kind");
  t.stage = r.Text("stage");
  t.episode_id = r.OptInt("episode_id");
  t.person_id = r.OptInt("person_id");
  t.referral_id = r.OptInt("referral_id");
  t.complaint_id = r.OptInt("complaint_id");
  t.clause_id = r.OptInt("clause_id");
  t.county_id = r.OptInt("county_id");
  t.state = r.Text("state");
  t.due_at = r.Int("due_at");
  t.outcome = r.Text("outcome");
  t.done_at = r.OptInt("done_at");
  t.created_at = r.Int("created_at");
  return t;
}

Referral ReferralFrom(const db::Row& r) {
  Referral x;
  x.id = r.Int("id");
  x.episode_id = r.Int("episode_id");
  x.person_id = r.Int("person_id");
  x.from_agency = r.Int("from_agency");
  x.to_agency = r.Int("to_agency");
  x.purpose = r.Text("purpose");
  x.basis = r.Text("basis");
  x.legal_basis = r.Text("legal_basis");
  x.shared = SplitNonEmpty(r.Text("shared"), ',');
  x.status = r.Text("status");
  x.reason = r.Text("reason");
  x.outcome = r.Text("outcome");
  x.task_id = r.OptInt("task_id");
  x.created_at = r.Int("created_at");
  return x;
}

Complaint ComplaintFrom(const db::Row& r) {
  Complaint k;
  k.id = r.Int("id");
  k.tracking_code = r.Text("tracking_code");
  k.complainant = r.Text("complainant");
  k.relation = r.Text("relation");
  k.contact = r.Text("contact");
  k.facility_id = r.OptInt("facility_id");
  k.episode_id = r.OptInt("episode_id");
  k.body = r.Text("body");
  k.status = r.Text("status");
  k.agency_id = r.Int("agency_id");
  k.due_at = r.Int("due_at");
  k.resolution = r.Text("resolution");
  k.created_at = r.Int("created_at");
  return k;
}

template <class T, class F>
std::optional<T> One(const db::ResultSet& rs, F from) {
  if (rs.empty()) return std::nullopt;
  return from(rs[0]);
}

template <class T, class F>
std::vector<T> Many(const db::ResultSet& rs, F from) {
  std::vector<T> out;
  for (auto r : rs) out.push_back(from(r));
  return out;
}

}  // namespace

Programme LoadProgramme(db::Connection& c) {
  Programme p;
  for (auto r : c.Run(kStages, {kProgramme})) {
    p.stages.push_back({r.Text("code"), static_cast<int>(r.Int("seq")), r.Text("name"),
                        r.Text("lead_agency"), r.Text("support_agencies")});
  }
  for (auto r : c.Run(kTransitions, {kProgramme}))
    p.transitions.push_back({r.Text("from_stage"), r.Text("to_stage")});
  for (auto r : c.Run(kOutcomes, {kProgramme}))
    p.outcomes.push_back({r.Text("code"), r.Text("name"), r.Text("next_stage")});
  for (auto r : c.Run(kClocks, {kProgramme})) {
    p.clocks.push_back({r.Text("code"), r.Text("name"), static_cast<int>(r.Int("hours")),
                        r.Text("basis"), r.Text("law"), r.Text("article"), r.Text("resolution"),
                        static_cast<int>(r.Int("version"))});
  }
  return p;
}

bool UpdateDuty(db::Connection& c, const std::string& code, const DutyChange& d, std::int64_t user,
                std::int64_t now) {
  if (c.Exec(kUpdateDuty, {d.hours, d.law, d.article, d.resolution, user, now, kProgramme, code}) !=
      1) {
    return false;
  }
  c.Exec(kInsertDutyVersion, {d.reason, kProgramme, code});
  return true;
}

std::vector<DutyVersion> DutyVersions(db::Connection& c) {
  return Many<DutyVersion>(c.Run(kDutyVersions, {kProgramme}), [](const db::Row& r) {
    return DutyVersion{r.Text("code"),
                       static_cast<int>(r.Int("version")),
                       static_cast<int>(r.Int("hours")),
                       r.Text("law"),
                       r.Text("article"),
                       r.Text("resolution"),
                       r.Text("reason"),
                       r.Int("valid_from"),
                       r.OptInt("changed_by"),
                       r.Text("display_name")};
  });
}

std::optional<std::int64_t> AgencyIdByCode(db::Connection& c, const std::string& code) {
  auto rs = c.Run(kAgencyByCode, {code});
  if (rs.empty()) return std::nullopt;
  return rs[0].Int("id");
}

std::string AgencyCode(db::Connection& c, std::int64_t agency_id) {
  auto rs = c.Run(kAgency, {agency_id});
  return rs.empty() ? std::string() : rs[0].Text("code");
}

bool AgencyActive(db::Connection& c, std::int64_t agency_id) {
  auto rs = c.Run(kAgency, {agency_id});
  return !rs.empty() && rs[0].Int("active") != 0;
}

bool CountyExists(db::Connection& c, std::int64_t county_id) {
  return !c.Run(kCounty, {county_id}).empty();
}

std::int64_t RootPerson(db::Connection& c, std::int64_t person_id) {
  std::int64_t id = person_id;
  for (int hops = 0; hops < 32; ++hops) {  // merges never form a cycle; the cap is a guard
    auto rs = c.Run(kMergedInto, {id});
    if (rs.empty()) return id;
    auto into = rs[0].OptInt("merged_into");
    if (!into) return id;
    id = *into;
  }
  return id;
}

std::vector<std::int64_t> PersonGroup(db::Connection& c, std::int64_t root) {
  std::vector<std::int64_t> out{root};
  for (std::size_t i = 0; i < out.size() && out.size() < 256; ++i) {
    for (auto r : c.Run(kMergedChildren, {out[i]})) out.push_back(r.Int("id"));
  }
  return out;
}

std::int64_t InsertEpisode(db::Connection& c, const Episode& e, std::int64_t now) {
  return c
      .Run(kInsertEpisode,
           {kProgramme, e.person_id, e.county_id, e.stage, e.opened_by_agency, e.opened_by_user,
            e.collected_at, e.place, e.prior_episodes, now, now})[0]
      .Int("id");
}

std::optional<Episode> GetEpisode(db::Connection& c, std::int64_t id) {
  return One<Episode>(c.Run(kGetEpisode, {id}), EpisodeFrom);
}

std::vector<Episode> EpisodesOf(db::Connection& c, const std::vector<std::int64_t>& persons) {
  std::vector<Episode> out;
  for (auto id : persons) {
    for (auto& e : Many<Episode>(c.Run(kEpisodesOf, {id}), EpisodeFrom)) out.push_back(e);
  }
  std::sort(out.begin(), out.end(),
            [](const Episode& a, const Episode& b) { return a.collected_at < b.collected_at; });
  return out;
}

std::int64_t CountEpisodes(db::Connection& c, const std::vector<std::int64_t>& persons) {
  std::int64_t n = 0;
  for (auto id : persons) n += c.Run(kCountEpisodes, {id})[0].Int("n");
  return n;
}

void SetStage(db::Connection& c, std::int64_t episode_id, const std::string& stage,
              std::int64_t now) {
  c.Exec(kSetStage, {stage, now, episode_id});
}

void SetScreening(db::Connection& c, std::int64_t episode_id, const std::string& outcome,
                  std::int64_t now) {
  c.Exec(kSetScreening, {outcome, now, episode_id});
}

void CloseEpisode(db::Connection& c, std::int64_t episode_id, const std::string& reason,
                  std::int64_t now) {
  c.Exec(kClose, {reason, now, now, episode_id});
}

void InsertEvent(db::Connection& c, const Event& e) {
  c.Exec(kInsertEvent,
         {e.episode_id, e.at, e.agency_id, e.user_id, e.kind, e.stage, e.part, e.detail});
}

std::vector<Event> EventsOf(db::Connection& c, std::int64_t episode_id) {
  return Many<Event>(c.Run(kEvents, {episode_id}), [](const db::Row& r) {
    Event e;
    e.id = r.Int("id");
    e.episode_id = r.Int("episode_id");
    e.at = r.Int("at");
    e.agency_id = r.Int("agency_id");
    e.user_id = r.Int("user_id");
    e.kind = r.Text("kind");
    e.stage = r.Text("stage");
    e.part = r.Text("part");
    e.detail = r.Text("detail");
    e.agency_name = r.Text("agency_name");
    e.user_name = r.Text("user_name");
    return e;
  });
}

std::int64_t InsertOrder(db::Connection& c, const Order& o, std::int64_t user, std::int64_t now) {
  return c
      .Run(kInsertOrder,
           {o.episode_id, o.person_id, OrderKindCode(o.kind), o.reference, o.issued_day,
            o.start_day, o.months, o.end_day, o.parent_id, o.agency_id, user, now})[0]
      .Int("id");
}

std::vector<Order> OrdersOf(db::Connection& c, std::int64_t episode_id) {
  return Many<Order>(c.Run(kOrdersOf, {episode_id}), OrderFrom);
}

bool PersonHadNote2(db::Connection& c, const std::vector<std::int64_t>& persons) {
  for (auto id : persons)
    if (c.Run(kNote2Of, {id})[0].Int("n") > 0) return true;
  return false;
}

std::int64_t InsertFacility(db::Connection& c, const Facility& f, std::int64_t now) {
  return c
      .Run(kInsertFacility, {f.code, f.name, f.kind, f.agency_id, f.county_id, f.capacity_male,
                             f.capacity_female, f.active, now, now})[0]
      .Int("id");
}

void UpdateFacility(db::Connection& c, const Facility& f, std::int64_t now) {
  c.Exec(kUpdateFacility,
         {f.name, f.kind, f.capacity_male, f.capacity_female, f.active, now, f.id});
}

std::optional<Facility> GetFacility(db::Connection& c, std::int64_t id) {
  return One<Facility>(c.Run(kGetFacility, {id}), FacilityFrom);
}

std::vector<Facility> ListFacilities(db::Connection& c) {
  return Many<Facility>(c.Run(kListFacilities), FacilityFrom);
}

bool TakeBed(db::Connection& c, std::int64_t facility_id, const std::string& sex, bool force) {
  return c.Exec(sex == "female" ? kTakeFemale : kTakeMale, {facility_id, force}) == 1;
}

void FreeBed(db::Connection& c, std::int64_t facility_id, const std::string& sex) {
  c.Exec(sex == "female" ? kFreeFemale : kFreeMale, {facility_id});
}

std::int64_t InsertStay(db::Connection& c, const Stay& s, std::int64_t user, std::int64_t now) {
  return c
      .Run(kInsertStay,
           {s.episode_id, s.person_id, s.facility_id, s.sex, s.order_id, s.admitted_day,
            s.legal_end_day, s.over_capacity_reason, user, now, now})[0]
      .Int("id");
}

std::optional<Stay> GetStay(db::Connection& c, std::int64_t id) {
  return One<Stay>(c.Run(kGetStay, {id}), StayFrom);
}

std::vector<Stay> StaysOf(db::Connection& c, std::int64_t episode_id) {
  return Many<Stay>(c.Run(kStaysOf, {episode_id}), StayFrom);
}

std::optional<Stay> OpenStayOf(db::Connection& c, const std::vector<std::int64_t>& persons) {
  for (auto id : persons) {
    if (auto s = One<Stay>(c.Run(kOpenStayOf, {id}), StayFrom)) return s;
  }
  return std::nullopt;
}

void DischargeStay(db::Connection& c, std::int64_t stay_id, std::int64_t day,
                   const std::string& reason, std::int64_t now) {
  c.Exec(kDischarge, {day, reason, now, stay_id});
}

void SetStayEnd(db::Connection& c, std::int64_t stay_id, std::int64_t legal_end_day,
                std::int64_t now) {
  c.Exec(kSetStayEnd, {legal_end_day, now, stay_id});
}

std::vector<OverdueStay> OverdueStays(db::Connection& c, std::int64_t today, std::int64_t agency,
                                      std::int64_t limit, std::int64_t offset) {
  return Many<OverdueStay>(c.Run(kOverdue, {today, agency, agency, limit, offset}),
                           [](const db::Row& r) {
                             OverdueStay o;
                             o.stay = StayFrom(r);
                             o.first_name = r.Text("first_name");
                             o.last_name = r.Text("last_name");
                             o.facility_agency = r.Int("facility_agency");
                             o.county_id = r.Int("county_id");
                             return o;
                           });
}

std::int64_t CountOverdueStays(db::Connection& c, std::int64_t today, std::int64_t agency) {
  return c.Run(kCountOverdue, {today, agency, agency})[0].Int("n");
}

std::int64_t InsertTask(db::Connection& c, const Task& t, std::int64_t now) {
  return c
      .Run(kInsertTask, {t.agency_id, t.kind, t.stage, t.episode_id, t.person_id, t.referral_id,
                         t.complaint_id, t.clause_id, t.county_id, t.state, t.due_at, now, now})[0]
      .Int("id");
}

namespace {
// One statement for every class: the status picks its condition through parameters, so each
// stays an index range on tasks_inbox (agency_id, state, due_at) with a filter.
#define FIND_TASKS_WHERE                                                                                     \
  " WHERE t.agency_id = ? AND t.due_at >= ? AND t.due_at < ? AND (CAST(? AS BIGINT) = 0 OR t.county_id = ?)" \
  " AND (? = ''"                                                                                             \
  "  OR (? = 'open' AND t.state IN ('new', 'open'))"                                                         \
  "  OR (? = 'overdue' AND t.state IN ('new', 'open') AND t.due_at < ?)"                                     \
  "  OR (? = 'on_time' AND t.state = 'done' AND COALESCE(t.done_at, t.updated_at) <= t.due_at)"              \
  "  OR (? = 'late' AND t.state = 'done' AND COALESCE(t.done_at, t.updated_at) > t.due_at)"                  \
  "  OR (? = 'closed' AND t.state IN ('rejected', 'revoked', 'cancelled')))"
constexpr Query kFindTasks{"tasks.find", "SELECT " TASK_COLS " FROM tasks t" FIND_TASKS_WHERE
                                         " ORDER BY t.due_at, t.id LIMIT ? OFFSET ?"};
constexpr Query kCountTasks{"tasks.count_find",
                            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM tasks t" FIND_TASKS_WHERE
                            " LIMIT 10000) AS x"};
db::Params FindParams(const TaskQuery& q) {
  return {q.agency_id, q.due_from, q.due_to,         q.county_id, q.county_id, q.status,
          q.status,    q.status,   q.overdue_before, q.status,    q.status,    q.status};
}
}  // namespace

std::vector<Task> FindTasks(db::Connection& c, const TaskQuery& q, std::int64_t limit,
                            std::int64_t offset) {
  auto params = FindParams(q);
  params.emplace_back(limit);
  params.emplace_back(offset);
  return Many<Task>(c.Run(kFindTasks, params), TaskFrom);
}

namespace {
#define ESCALATION_CANDIDATES                                            \
  "SELECT id, agency_id, COALESCE(county_id, 0) AS county_id FROM tasks" \
  " WHERE state IN ('new', 'open') AND escalation = ? AND due_at < ?"    \
  " ORDER BY due_at, id LIMIT ?"
constexpr Query kEscalationCandidates{"tasks.escalation_candidates", ESCALATION_CANDIDATES};
// PostgreSQL: the batch locks its rows as it reads them, skipping any a request holds, so it
// never waits for a request nor a request's multi-row update for it in the other order (no
// deadlock); the skipped ones are taken by the next run. SQLite has one writer and needs none.
constexpr Query kEscalationCandidatesLocked{"tasks.escalation_candidates_locked",
                                            ESCALATION_CANDIDATES " FOR UPDATE SKIP LOCKED"};
constexpr Query kMarkEscalated{
    "tasks.mark_escalated",
    "UPDATE tasks SET escalation = ? WHERE id = ? AND escalation = ? AND state IN ('new', 'open')"};
}  // namespace

std::vector<EscalationCandidate> EscalationCandidates(db::Connection& c, int level,
                                                      std::int64_t due_before, std::int64_t limit,
                                                      bool lock) {
  std::vector<EscalationCandidate> out;
  const Query& q = lock && c.backend() == db::Backend::kPostgres ? kEscalationCandidatesLocked
                                                                 : kEscalationCandidates;
  for (auto r : c.Run(q, {level, due_before, limit})) {
    out.push_back({r.Int("id"), r.Int("agency_id"), r.Int("county_id")});
  }
  return out;
}

bool MarkEscalated(db::Connection& c, std::int64_t task_id, int from_level, int to_level) {
  return c.Exec(kMarkEscalated, {to_level, task_id, from_level}) == 1;
}

std::int64_t CountTasks(db::Connection& c, const TaskQuery& q) {
  return c.Run(kCountTasks, FindParams(q))[0].Int("n");
}

namespace {
// Periods of whole Jalali months read the month rollups (migration 0012).
constexpr Query kFlow{
    "pathway_stats.flow",
    "SELECT kind, SUM(n) AS n FROM pathway_month_stats WHERE province_id = 1"
    " AND jmonth >= ? AND jmonth <= ? AND (CAST(? AS BIGINT) = 0 OR county_id = ?) GROUP BY kind"};
constexpr Query kFlowByCounty{
    "pathway_stats.flow_by_county",
    "SELECT county_id, kind, SUM(n) AS n FROM pathway_month_stats WHERE province_id = 1"
    " AND jmonth >= ? AND jmonth <= ? GROUP BY county_id, kind"};
// Events and job services recounted (re-collections are checked by the tests, not here: the
// recount is a self-join over every episode).
constexpr Query kVerifyFlow{
    "pathway_stats.verify",
    "SELECT COUNT(*) AS n FROM ("
    " SELECT d, c, k, SUM(n) AS n FROM ("
    "  SELECT (ev.at + 12600000) / 86400000 AS d, COALESCE(e.county_id, 0) AS c,"
    "   CASE ev.kind WHEN 'employment' THEN 'employed' ELSE ev.kind END AS k, 1 AS n"
    "  FROM episode_events ev LEFT JOIN episodes e ON e.id = ev.episode_id"
    "  WHERE ev.kind IN ('collected', 'screened', 'admitted', 'discharged', 'employment')"
    "  UNION ALL SELECT s.day, COALESCE(e.county_id, 0), 'employed', 1 FROM service_events s"
    "  LEFT JOIN episodes e ON e.id = s.episode_id WHERE s.kind = 'job') AS f GROUP BY d, c, k"
    " EXCEPT SELECT day, county_id, kind, n FROM pathway_day_stats"
    "  WHERE kind NOT IN ('recollected_6', 'recollected_12') AND n <> 0) AS x"};
}  // namespace

std::map<std::string, std::int64_t> Flow(db::Connection& c, std::int64_t first_day,
                                         std::int64_t last_day, std::int64_t county_id) {
  std::map<std::string, std::int64_t> out;
  for (auto r : c.Run(kFlow, {persian::JalaliMonthKey(first_day), persian::JalaliMonthKey(last_day),
                              county_id, county_id})) {
    out[r.Text("kind")] = r.Int("n");
  }
  return out;
}

std::map<std::int64_t, std::map<std::string, std::int64_t>> FlowByCounty(db::Connection& c,
                                                                         std::int64_t first_day,
                                                                         std::int64_t last_day) {
  std::map<std::int64_t, std::map<std::string, std::int64_t>> out;
  for (auto r : c.Run(kFlowByCounty,
                      {persian::JalaliMonthKey(first_day), persian::JalaliMonthKey(last_day)})) {
    out[r.Int("county_id")][r.Text("kind")] = r.Int("n");
  }
  return out;
}

std::int64_t VerifyFlow(db::Connection& c) {
  return c.Run(kVerifyFlow)[0].Int("n");
}

std::vector<Task> TasksOfClause(db::Connection& c, std::int64_t clause_id) {
  return Many<Task>(c.Run(kTasksOfClause, {clause_id}), TaskFrom);
}

std::int64_t CancelClauseTasks(db::Connection& c, std::int64_t clause_id, const std::string& reason,
                               std::int64_t user, std::int64_t now) {
  return c.Exec(kCancelClauseTasks, {reason, user, now, now, clause_id});
}

std::optional<Task> GetTask(db::Connection& c, std::int64_t id) {
  return One<Task>(c.Run(kGetTask, {id}), TaskFrom);
}

std::vector<Task> TasksOfEpisode(db::Connection& c, std::int64_t episode_id) {
  return Many<Task>(c.Run(kTasksOf, {episode_id}), TaskFrom);
}

std::optional<Task> OpenTask(db::Connection& c, std::int64_t episode_id, std::int64_t agency,
                             const std::string& kind) {
  return One<Task>(c.Run(kOpenTask, {episode_id, agency, kind}), TaskFrom);
}

std::int64_t CountOpenTasks(db::Connection& c, std::int64_t episode_id) {
  return c.Run(kCountOpen, {episode_id})[0].Int("n");
}

bool SetTaskState(db::Connection& c, std::int64_t id, const std::string& state,
                  const std::string& outcome, std::int64_t user, std::int64_t now) {
  bool finished = state != "open";
  return c.Exec(kSetTaskState, {state, outcome, finished ? db::Value(now) : db::Value(),
                                finished ? db::Value(user) : db::Value(), now, id}) == 1;
}

void CancelOpenTasks(db::Connection& c, std::int64_t episode_id, std::int64_t now) {
  c.Exec(kCancelOpen, {now, episode_id});
}

void FinishOpenTasks(db::Connection& c, std::int64_t episode_id, const std::string& kind,
                     const std::string& outcome, std::int64_t user, std::int64_t now) {
  c.Exec(kFinishOpen, {outcome, now, user, now, episode_id, kind});
}

void SetOpenTasksDue(db::Connection& c, std::int64_t episode_id, const std::string& kind,
                     std::int64_t due_at, std::int64_t now) {
  c.Exec(kSetOpenDue, {due_at, now, episode_id, kind});
}

std::vector<InboxItem> Inbox(db::Connection& c, const InboxFilter& f, std::int64_t limit,
                             std::int64_t offset) {
  const auto& q = InboxFor(f.view);
  db::Params params = InboxParams(q, f);
  params.emplace_back(limit);
  params.emplace_back(offset);
  return Many<InboxItem>(c.Run(q.list, params), [](const db::Row& r) {
    InboxItem it;
    it.task = TaskFrom(r);
    it.first_name = r.Text("first_name");
    it.last_name = r.Text("last_name");
    it.from_agency = r.Text("from_agency");
    it.purpose = r.Text("purpose");
    return it;
  });
}

std::int64_t CountInbox(db::Connection& c, const InboxFilter& f) {
  const auto& q = InboxFor(f.view);
  return c.Run(q.count, InboxParams(q, f))[0].Int("n");
}

std::int64_t InsertReferral(db::Connection& c, const Referral& r, std::int64_t user,
                            std::int64_t now) {
  return c
      .Run(kInsertReferral, {r.episode_id, r.person_id, r.from_agency, r.to_agency, r.purpose,
                             r.basis, r.legal_basis, JoinComma(r.shared), user, now, now})[0]
      .Int("id");
}

std::optional<Referral> GetReferral(db::Connection& c, std::int64_t id) {
  return One<Referral>(c.Run(kGetReferral, {id}), ReferralFrom);
}

std::vector<Referral> ReferralsOf(db::Connection& c, std::int64_t episode_id) {
  return Many<Referral>(c.Run(kReferralsOf, {episode_id}), ReferralFrom);
}

bool SetReferralStatus(db::Connection& c, std::int64_t id, const std::string& from,
                       const std::string& to, const std::string& reason, const std::string& outcome,
                       std::int64_t now) {
  return c.Exec(kSetReferral, {to, reason, outcome, now, id, from}) == 1;
}

void SetReferralTask(db::Connection& c, std::int64_t id, std::int64_t task_id) {
  c.Exec(kSetReferralTask, {task_id, id});
}

AccessFacts Access(db::Connection& c, const std::vector<std::int64_t>& persons, std::int64_t agency,
                   std::int64_t user, std::int64_t now) {
  AccessFacts f;
  for (auto id : persons) {
    for (auto r : c.Run(kAccessTasks, {id, agency})) {
      if (r.Text("kind") == "referral") {
        f.referral_task = true;
        for (auto& part : SplitNonEmpty(r.Text("shared"), ',')) {
          if (std::find(f.shared.begin(), f.shared.end(), part) == f.shared.end())
            f.shared.push_back(part);
        }
      } else {
        f.stage_task = true;
      }
    }
    auto flags =
        c.Run(kAccessFlags, {id, agency, id, agency, id, agency, id, user, now, id, agency});
    const auto& r = flags[0];
    f.sent_referral = f.sent_referral || r.Int("sent") > 0;
    f.open_stay = f.open_stay || r.Int("stay") > 0;
    f.issued_order = f.issued_order || r.Int("ord") > 0;
    f.grant = f.grant || r.Int("grnt") > 0;
    f.registered_without_episode = f.registered_without_episode || r.Int("registered") > 0;
  }
  return f;
}

void InsertGrant(db::Connection& c, std::int64_t person, std::int64_t agency, std::int64_t user,
                 const std::string& reason, std::int64_t now, std::int64_t expires) {
  c.Exec(kInsertGrant, {person, agency, user, reason, now, expires});
}

std::int64_t InsertService(db::Connection& c, const ServiceEvent& s, std::int64_t person,
                           std::optional<std::int64_t> stay, std::int64_t user, std::int64_t now) {
  return c
      .Run(kInsertService,
           {s.episode_id, person, stay, s.kind, s.day, s.agency_id, user, s.note, now})[0]
      .Int("id");
}

std::int64_t InsertComplaint(db::Connection& c, const Complaint& k, std::int64_t now) {
  return c
      .Run(kInsertComplaint, {k.tracking_code, k.complainant, k.relation, k.contact, k.facility_id,
                              k.episode_id, k.body, k.agency_id, k.due_at, now, now})[0]
      .Int("id");
}

std::optional<Complaint> GetComplaint(db::Connection& c, std::int64_t id) {
  return One<Complaint>(c.Run(kGetComplaint, {id}), ComplaintFrom);
}

std::optional<Complaint> ComplaintByCode(db::Connection& c, const std::string& code) {
  return One<Complaint>(c.Run(kComplaintByCode, {code}), ComplaintFrom);
}

std::vector<Complaint> ListComplaints(db::Connection& c, const std::string& status,
                                      std::int64_t limit, std::int64_t offset) {
  return Many<Complaint>(c.Run(kListComplaints, {status, status, limit, offset}), ComplaintFrom);
}

std::int64_t CountComplaints(db::Connection& c, const std::string& status) {
  return c.Run(kCountComplaints, {status, status})[0].Int("n");
}

void UpdateComplaint(db::Connection& c, std::int64_t id, const std::string& status,
                     const std::string& resolution, std::int64_t user, std::int64_t now) {
  c.Exec(kUpdateComplaint, {status, resolution, user, now, id});
}

void OpenComplaintTask(db::Connection& c, std::int64_t complaint_id, std::int64_t now) {
  c.Exec(kOpenComplaintTask, {now, complaint_id});
}

void CloseComplaintTask(db::Connection& c, std::int64_t complaint_id, const std::string& outcome,
                        std::int64_t user, std::int64_t now) {
  c.Exec(kCloseComplaintTask, {outcome, now, user, now, complaint_id});
}

}  // namespace peyvand::pathway::store
