-- Accountability (issue 4): the duties catalogue with its history, and exact pre-aggregated
-- task figures for the scorecards and the coordinator's dashboard.
--
-- Duties: each duty clock keeps every version it has had (hours and legal basis, from when, by
-- whom, why). A task's due time is fixed when the task is made, so a new version applies to new
-- tasks only, and the scorecards judge each task against its own due time.
CREATE TABLE duty_versions (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL DEFAULT 1,
  programme TEXT NOT NULL,
  code TEXT NOT NULL,
  version INTEGER NOT NULL,
  hours INTEGER NOT NULL,
  law TEXT NOT NULL DEFAULT '',
  article TEXT NOT NULL DEFAULT '',
  resolution TEXT NOT NULL DEFAULT '',
  basis TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  valid_from BIGINT NOT NULL,
  changed_by INTEGER,
  UNIQUE (programme, code, version)
);
ALTER TABLE programme_clocks ADD COLUMN law TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_clocks ADD COLUMN article TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_clocks ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_clocks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE programme_clocks SET law = 'قانون اصلاح قانون مبارزه با مواد مخدر',
  article = 'مادهٔ ۱۶ و آیین‌نامهٔ اجرایی آن' WHERE code IN
  ('collection', 'screening', 'judicial_order', 'admission');
UPDATE programme_clocks SET law = 'آیین‌نامهٔ اجرایی مادهٔ ۱۶ قانون مبارزه با مواد مخدر',
  article = 'مراقبت پس از خروج و بازتوانی' WHERE code IN
  ('aftercare_1', 'aftercare_3', 'aftercare_6', 'employment');
UPDATE programme_clocks SET law = 'دستورالعمل هماهنگی دستگاه‌های وظیفه‌مند',
  article = 'ارجاع و رسیدگی به شکایت' WHERE code IN ('referral', 'complaint');
INSERT INTO duty_versions (programme, code, version, hours, law, article, resolution, basis,
                           reason, valid_from, changed_by)
  SELECT programme, code, 1, hours, law, article, resolution, basis, 'پیش‌فرض برنامه',
         updated_at, updated_by FROM programme_clocks;

-- Task figures by Iran calendar day of the due time (day = (due_at + 3.5 h) / 1 day), agency and
-- county (0: none). Kept exact by the triggers below in the same transaction as every insert,
-- update and delete of a task, whatever code path makes it; `peyvand stats verify` recomputes
-- them from the tasks and compares.
CREATE TABLE task_day_stats (
  province_id INTEGER NOT NULL DEFAULT 1,
  due_day INTEGER NOT NULL,
  agency_id INTEGER NOT NULL,
  county_id INTEGER NOT NULL,
  open_n INTEGER NOT NULL DEFAULT 0,     -- new or open
  on_time_n INTEGER NOT NULL DEFAULT 0,  -- done at or before the due time
  late_n INTEGER NOT NULL DEFAULT 0,     -- done after it
  closed_n INTEGER NOT NULL DEFAULT 0,   -- rejected, revoked or cancelled
  PRIMARY KEY (province_id, due_day, agency_id, county_id)
) WITHOUT ROWID;
-- Late completions by whole days of delay (rounded up), for exact medians per agency and per
-- county.
CREATE TABLE task_delay_agency (
  province_id INTEGER NOT NULL DEFAULT 1,
  agency_id INTEGER NOT NULL,
  due_day INTEGER NOT NULL,
  delay_days INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (province_id, agency_id, due_day, delay_days)
) WITHOUT ROWID;
CREATE TABLE task_delay_county (
  province_id INTEGER NOT NULL DEFAULT 1,
  county_id INTEGER NOT NULL,
  due_day INTEGER NOT NULL,
  delay_days INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (province_id, county_id, due_day, delay_days)
) WITHOUT ROWID;

CREATE TRIGGER tasks_stats_insert AFTER INSERT ON tasks BEGIN
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

CREATE TRIGGER tasks_stats_delete AFTER DELETE ON tasks BEGIN
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
END;

-- An update moves the task's old contribution out and its new one in (a net zero when nothing
-- that counts has changed).
CREATE TRIGGER tasks_stats_update AFTER UPDATE ON tasks BEGIN
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

-- The figures of the tasks that exist already.
INSERT INTO task_day_stats (due_day, agency_id, county_id, open_n, on_time_n, late_n, closed_n)
  SELECT (due_at + 12600000) / 86400000, agency_id, COALESCE(county_id, 0),
         SUM(state IN ('new', 'open')),
         SUM(state = 'done' AND COALESCE(done_at, updated_at) <= due_at),
         SUM(state = 'done' AND COALESCE(done_at, updated_at) > due_at),
         SUM(state NOT IN ('new', 'open', 'done'))
  FROM tasks GROUP BY 1, 2, 3;
INSERT INTO task_delay_agency (agency_id, due_day, delay_days, n)
  SELECT agency_id, (due_at + 12600000) / 86400000,
         (COALESCE(done_at, updated_at) - due_at + 86399999) / 86400000, COUNT(*)
  FROM tasks WHERE state = 'done' AND COALESCE(done_at, updated_at) > due_at GROUP BY 1, 2, 3;
INSERT INTO task_delay_county (county_id, due_day, delay_days, n)
  SELECT COALESCE(county_id, 0), (due_at + 12600000) / 86400000,
         (COALESCE(done_at, updated_at) - due_at + 86399999) / 86400000, COUNT(*)
  FROM tasks WHERE state = 'done' AND COALESCE(done_at, updated_at) > due_at GROUP BY 1, 2, 3;
