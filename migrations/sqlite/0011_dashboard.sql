-- The coordinator's dashboard (issue 4, part 6): the pathway's flow by Iran calendar day and
-- county — collected, screened, admitted, discharged, employed — and re-collections within 6
-- and 12 months of the person's previous collection. Kept exact by insert triggers (episodes,
-- their events and service events are only ever inserted); the migration backfills them.
CREATE TABLE pathway_day_stats (
  province_id INTEGER NOT NULL DEFAULT 1,
  day INTEGER NOT NULL,
  county_id INTEGER NOT NULL,
  kind TEXT NOT NULL,  -- collected, screened, admitted, discharged, employed, recollected_6, recollected_12
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (province_id, day, county_id, kind)
) WITHOUT ROWID;

CREATE TRIGGER episode_events_stats AFTER INSERT ON episode_events
WHEN NEW.kind IN ('collected', 'screened', 'admitted', 'discharged', 'employment') BEGIN
  INSERT INTO pathway_day_stats (day, county_id, kind, n)
  VALUES ((NEW.at + 12600000) / 86400000,
          COALESCE((SELECT county_id FROM episodes WHERE id = NEW.episode_id), 0),
          CASE NEW.kind WHEN 'employment' THEN 'employed' ELSE NEW.kind END, 1)
  ON CONFLICT (province_id, day, county_id, kind) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER service_events_job_stats AFTER INSERT ON service_events
WHEN NEW.kind = 'job' BEGIN
  INSERT INTO pathway_day_stats (day, county_id, kind, n)
  VALUES (NEW.day, COALESCE((SELECT county_id FROM episodes WHERE id = NEW.episode_id), 0),
          'employed', 1)
  ON CONFLICT (province_id, day, county_id, kind) DO UPDATE SET n = n + 1;
END;

-- A collection is a re-collection within N months when the same person (or a record merged
-- into it) was collected before, at most N months (183 / 365 days) earlier.
CREATE TRIGGER episodes_recollected_stats AFTER INSERT ON episodes BEGIN
  INSERT INTO pathway_day_stats (day, county_id, kind, n)
  SELECT (NEW.collected_at + 12600000) / 86400000, COALESCE(NEW.county_id, 0), k.kind, 1
  FROM (SELECT 'recollected_6' AS kind, 183 AS days UNION ALL SELECT 'recollected_12', 365) AS k
  WHERE EXISTS (SELECT 1 FROM episodes e WHERE e.id <> NEW.id
                  AND e.collected_at <= NEW.collected_at
                  AND e.collected_at >= NEW.collected_at - k.days * 86400000
                  AND e.person_id IN (SELECT NEW.person_id UNION ALL
                                      SELECT id FROM persons WHERE merged_into = NEW.person_id))
  ON CONFLICT (province_id, day, county_id, kind) DO UPDATE SET n = n + 1;
END;

INSERT INTO pathway_day_stats (day, county_id, kind, n)
  SELECT (ev.at + 12600000) / 86400000, COALESCE(e.county_id, 0),
         CASE ev.kind WHEN 'employment' THEN 'employed' ELSE ev.kind END, COUNT(*)
  FROM episode_events ev LEFT JOIN episodes e ON e.id = ev.episode_id
  WHERE ev.kind IN ('collected', 'screened', 'admitted', 'discharged', 'employment')
  GROUP BY 1, 2, 3;
INSERT INTO pathway_day_stats (day, county_id, kind, n)
  SELECT s.day, COALESCE(e.county_id, 0), 'employed', COUNT(*)
  FROM service_events s LEFT JOIN episodes e ON e.id = s.episode_id WHERE s.kind = 'job'
  GROUP BY 1, 2
  ON CONFLICT (province_id, day, county_id, kind) DO UPDATE SET n = n + excluded.n;
INSERT INTO pathway_day_stats (day, county_id, kind, n)
  SELECT (x.collected_at + 12600000) / 86400000, COALESCE(x.county_id, 0), k.kind, COUNT(*)
  FROM episodes x
  JOIN (SELECT 'recollected_6' AS kind, 183 AS days UNION ALL SELECT 'recollected_12', 365) AS k
  WHERE EXISTS (SELECT 1 FROM episodes e WHERE e.id <> x.id
                  AND e.collected_at <= x.collected_at
                  AND e.collected_at >= x.collected_at - k.days * 86400000
                  AND e.person_id IN (SELECT x.person_id UNION ALL
                                      SELECT id FROM persons WHERE merged_into = x.person_id))
  GROUP BY 1, 2, 3;
