-- Escalation of overdue tasks (issue 4, part 3): each task remembers how far it has been escalated
-- (0: not yet, 1: the agency's managers were told, 2: the provincial coordinators were told), so
-- the scan reads only the tasks that still have a step to take, from one partial index. Users get
-- an e-mail address; notifications are kept per user with their read time; e-mails wait in an
-- outbox until the SMTP server has accepted them (a failed send is retried, never dropped).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tasks_escalation ON tasks (escalation, due_at) WHERE state IN ('new', 'open');

-- Marking a task escalated must not count as a change of the task in the scorecard aggregates:
-- the update trigger now fires only when a column it reads changes.
DROP TRIGGER tasks_stats_update;
CREATE TRIGGER tasks_stats_update
  AFTER UPDATE OF agency_id, county_id, state, due_at, done_at, updated_at ON tasks BEGIN
  UPDATE task_day_stats SET
    open_n = open_n - (OLD.state IN ('new', 'open')),
    on_time_n = on_time_n - (OLD.state = 'done' AND COALESCE(OLD.done_at, OLD.updated_at) <= OLD.due_at),
    late_n = late_n - (OLD.state = 'done' AND COALESCE(OLD.done_at, OLD.updated_at) > OLD.due_at),
    closed_n = closed_n - (OLD.state NOT IN ('new', 'open', 'done'))
  WHERE province_id = 1 AND due_day = (OLD.due_at + 12600000) / 86400000
    AND agency_id = OLD.agency_id AND county_id = COALESCE(OLD.county_id, 0);
  UPDATE task_delay_agency SET n = n - 1
  WHERE OLD.state = 'done' AND COALESCE(OLD.done_at, OLD.updated_at) > OLD.due_at
    AND province_id = 1 AND agency_id = OLD.agency_id
    AND due_day = (OLD.due_at + 12600000) / 86400000
    AND delay_days = (COALESCE(OLD.done_at, OLD.updated_at) - OLD.due_at + 86399999) / 86400000;
  UPDATE task_delay_county SET n = n - 1
  WHERE OLD.state = 'done' AND COALESCE(OLD.done_at, OLD.updated_at) > OLD.due_at
    AND province_id = 1 AND county_id = COALESCE(OLD.county_id, 0)
    AND due_day = (OLD.due_at + 12600000) / 86400000
    AND delay_days = (COALESCE(OLD.done_at, OLD.updated_at) - OLD.due_at + 86399999) / 86400000;
  INSERT INTO task_day_stats (due_day, agency_id, county_id, open_n, on_time_n, late_n, closed_n)
  VALUES ((NEW.due_at + 12600000) / 86400000, NEW.agency_id, COALESCE(NEW.county_id, 0),
          NEW.state IN ('new', 'open'),
          NEW.state = 'done' AND COALESCE(NEW.done_at, NEW.updated_at) <= NEW.due_at,
          NEW.state = 'done' AND COALESCE(NEW.done_at, NEW.updated_at) > NEW.due_at,
          NEW.state NOT IN ('new', 'open', 'done'))
  ON CONFLICT (province_id, due_day, agency_id, county_id) DO UPDATE SET
    open_n = open_n + excluded.open_n, on_time_n = on_time_n + excluded.on_time_n,
    late_n = late_n + excluded.late_n, closed_n = closed_n + excluded.closed_n;
  INSERT INTO task_delay_agency (agency_id, due_day, delay_days, n)
    SELECT NEW.agency_id, (NEW.due_at + 12600000) / 86400000,
           (COALESCE(NEW.done_at, NEW.updated_at) - NEW.due_at + 86399999) / 86400000, 1
    WHERE NEW.state = 'done' AND COALESCE(NEW.done_at, NEW.updated_at) > NEW.due_at
  ON CONFLICT (province_id, agency_id, due_day, delay_days) DO UPDATE SET n = n + 1;
  INSERT INTO task_delay_county (county_id, due_day, delay_days, n)
    SELECT COALESCE(NEW.county_id, 0), (NEW.due_at + 12600000) / 86400000,
           (COALESCE(NEW.done_at, NEW.updated_at) - NEW.due_at + 86399999) / 86400000, 1
    WHERE NEW.state = 'done' AND COALESCE(NEW.done_at, NEW.updated_at) > NEW.due_at
  ON CONFLICT (province_id, county_id, due_day, delay_days) DO UPDATE SET n = n + 1;
END;

-- One row per run of the escalation scan; notifications and e-mails of a run are complete once
-- finished_at is set (a run that stopped half-way is finished at the next start).
CREATE TABLE escalation_runs (
  id INTEGER PRIMARY KEY,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  manager_tasks INTEGER NOT NULL DEFAULT 0,
  coordinator_tasks INTEGER NOT NULL DEFAULT 0
);

-- kind: 'escalation.manager' | 'escalation.coordinator'. data: JSON the page renders (counts of
-- tasks by agency, the delay). A run adds to its own notification of each user (run_id, user_id,
-- kind) in every batch, so one run gives one notification per user however many tasks it moves.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  run_id INTEGER REFERENCES escalation_runs(id),
  task_count INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL DEFAULT '{}',
  link TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE UNIQUE INDEX notifications_run_user ON notifications (run_id, user_id, kind);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- state: 'pending' | 'sent' | 'failed' (gave up after the last attempt).
CREATE TABLE email_outbox (
  id INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications(id),
  to_address TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE UNIQUE INDEX email_outbox_notification ON email_outbox (notification_id, to_address);
CREATE INDEX email_outbox_pending ON email_outbox (next_attempt_at) WHERE state = 'pending';
