-- The pathway: the programme as data (stages, transitions, screening outcomes,
-- clocks), episodes with their timeline, judicial orders, facilities and
-- stays, tasks in agency queues, referrals, break-the-glass grants, service
-- events and complaints. Times are UTC milliseconds (*_at); calendar dates
-- are days since 1970-01-01 (*_day), shown in the Jalali calendar.
CREATE TABLE programme_stages (
  programme TEXT NOT NULL,
  code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  lead_agency TEXT NOT NULL,
  support_agencies TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (programme, code)
);
CREATE TABLE programme_transitions (
  programme TEXT NOT NULL,
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  PRIMARY KEY (programme, from_stage, to_stage)
);
CREATE TABLE screening_outcomes (
  programme TEXT NOT NULL,
  code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  next_stage TEXT NOT NULL,
  PRIMARY KEY (programme, code)
);
-- Duty clocks in hours. Legal limits of orders are law, not data, and are
-- not here. A change applies to tasks created after it.
CREATE TABLE programme_clocks (
  programme TEXT NOT NULL,
  code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  hours INTEGER NOT NULL,
  basis TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL DEFAULT 0,
  updated_by INTEGER,
  PRIMARY KEY (programme, code)
);
CREATE TABLE episodes (
  id INTEGER PRIMARY KEY,
  programme TEXT NOT NULL,
  person_id INTEGER NOT NULL,
  county_id INTEGER,
  stage TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  opened_by_agency INTEGER NOT NULL,
  opened_by_user INTEGER NOT NULL,
  collected_at BIGINT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  prior_episodes INTEGER NOT NULL DEFAULT 0,
  screening_outcome TEXT,
  close_reason TEXT,
  closed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX episodes_person ON episodes (person_id, id);
CREATE INDEX episodes_collected ON episodes (collected_at);
CREATE TABLE episode_events (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL,
  at BIGINT NOT NULL,
  agency_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  stage TEXT NOT NULL,
  part TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX episode_events_episode ON episode_events (episode_id, id);
CREATE TABLE judicial_orders (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  issued_day INTEGER NOT NULL,
  start_day INTEGER NOT NULL,
  months INTEGER NOT NULL,
  end_day INTEGER NOT NULL,
  parent_id INTEGER,
  agency_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX judicial_orders_episode ON judicial_orders (episode_id);
CREATE INDEX judicial_orders_person ON judicial_orders (person_id, kind);
CREATE TABLE facilities (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  agency_id INTEGER NOT NULL,
  county_id INTEGER NOT NULL,
  capacity_male INTEGER NOT NULL DEFAULT 0,
  capacity_female INTEGER NOT NULL DEFAULT 0,
  occupied_male INTEGER NOT NULL DEFAULT 0,
  occupied_female INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX facilities_county ON facilities (county_id);
CREATE TABLE stays (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  facility_id INTEGER NOT NULL,
  sex TEXT NOT NULL,
  order_id INTEGER NOT NULL,
  admitted_day INTEGER NOT NULL,
  legal_end_day INTEGER NOT NULL,
  discharged_day INTEGER,
  discharge_reason TEXT NOT NULL DEFAULT '',
  over_capacity_reason TEXT NOT NULL DEFAULT '',
  admitted_by INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX stays_episode ON stays (episode_id);
CREATE INDEX stays_person ON stays (person_id);
CREATE INDEX stays_open_end ON stays (legal_end_day) WHERE discharged_day IS NULL;
CREATE INDEX stays_open_facility ON stays (facility_id) WHERE discharged_day IS NULL;
-- Work in an agency's queue. state: new (not yet taken up), open, done,
-- rejected, revoked, cancelled.
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  stage TEXT NOT NULL DEFAULT '',
  episode_id INTEGER,
  person_id INTEGER,
  referral_id INTEGER,
  complaint_id INTEGER,
  county_id INTEGER,
  state TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  done_at BIGINT,
  done_by INTEGER,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_inbox ON tasks (agency_id, state, due_at);
CREATE INDEX tasks_episode ON tasks (episode_id);
CREATE INDEX tasks_person ON tasks (person_id, agency_id);
CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  from_agency INTEGER NOT NULL,
  to_agency INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  basis TEXT NOT NULL,
  legal_basis TEXT NOT NULL DEFAULT '',
  shared TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  reason TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  task_id INTEGER,
  created_by INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX referrals_episode ON referrals (episode_id);
CREATE INDEX referrals_person ON referrals (person_id, to_agency);
CREATE INDEX referrals_from ON referrals (person_id, from_agency);
CREATE TABLE access_grants (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL,
  agency_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX access_grants_person ON access_grants (person_id, user_id, expires_at);
CREATE TABLE service_events (
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  stay_id INTEGER,
  kind TEXT NOT NULL,
  day INTEGER NOT NULL,
  agency_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX service_events_episode ON service_events (episode_id);
CREATE TABLE complaints (
  id INTEGER PRIMARY KEY,
  tracking_code TEXT NOT NULL UNIQUE,
  complainant TEXT NOT NULL,
  relation TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  facility_id INTEGER,
  episode_id INTEGER,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'received',
  agency_id INTEGER NOT NULL,
  due_at BIGINT NOT NULL,
  resolution TEXT NOT NULL DEFAULT '',
  handled_by INTEGER,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX complaints_status ON complaints (status, id);
