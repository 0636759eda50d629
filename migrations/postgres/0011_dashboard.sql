-- The coordinator's dashboard (issue 4, part 6): the pathway's flow by Iran calendar day and
-- county — collected, screened, admitted, discharged, employed — and re-collections within 6
-- and 12 months of the person's previous collection. Kept exact by insert triggers (episodes,
-- their events and service events are only ever inserted); the migration backfills them.
CREATE TABLE pathway_day_stats (
  province_id INTEGER NOT NULL DEFAULT 1,
  day INTEGER NOT NULL,
  county_id BIGINT NOT NULL,
  kind TEXT NOT NULL,  -- collected, screened, admitted, discharged, employed, recollected_6, recollected_12
  n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (province_id, day, county_id, kind)
);

CREATE FUNCTION pathway_stats_add(d INTEGER, county BIGINT, k TEXT) RETURNS void AS $$
BEGIN
  INSERT INTO pathway_day_stats (day, county_id, kind, n) VALUES (d, COALESCE(county, 0), k, 1)
  ON CONFLICT (province_id, day, county_id, kind) DO UPDATE SET n = pathway_day_stats.n + 1;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION episode_events_stats() RETURNS trigger AS $$
BEGIN
  IF NEW.kind IN ('collected', 'screened', 'admitted', 'discharged', 'employment') THEN
    PERFORM pathway_stats_add(((NEW.at + 12600000) / 86400000)::int,
                              (SELECT county_id FROM episodes WHERE id = NEW.episode_id),
                              CASE NEW.kind WHEN 'employment' THEN 'employed' ELSE NEW.kind END);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER episode_events_stats AFTER INSERT ON episode_events
  FOR EACH ROW EXECUTE FUNCTION episode_events_stats();

CREATE FUNCTION service_events_job_stats() RETURNS trigger AS $$
BEGIN
  IF NEW.kind = 'job' THEN
    PERFORM pathway_stats_add(NEW.day::int,
                              (SELECT county_id FROM episodes WHERE id = NEW.episode_id),
                              'employed');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER service_events_job_stats AFTER INSERT ON service_events
  FOR EACH ROW EXECUTE FUNCTION service_events_job_stats();

-- A collection is a re-collection within N months when the same person (or a record merged
-- into it) was collected before, at most N months (183 / 365 days) earlier.
CREATE FUNCTION episodes_recollected_stats() RETURNS trigger AS $$
DECLARE
  prev BIGINT;
BEGIN
  SELECT MAX(e.collected_at) INTO prev FROM episodes e
   WHERE e.id <> NEW.id AND e.collected_at <= NEW.collected_at
     AND e.person_id IN (SELECT NEW.person_id UNION ALL
                         SELECT id FROM persons WHERE merged_into = NEW.person_id);
  IF prev IS NOT NULL AND prev >= NEW.collected_at - 183::bigint * 86400000 THEN
    PERFORM pathway_stats_add(((NEW.collected_at + 12600000) / 86400000)::int, NEW.county_id,
                              'recollected_6');
  END IF;
  IF prev IS NOT NULL AND prev >= NEW.collected_at - 365::bigint * 86400000 THEN
    PERFORM pathway_stats_add(((NEW.collected_at + 12600000) / 86400000)::int, NEW.county_id,
                              'recollected_12');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER episodes_recollected_stats AFTER INSERT ON episodes
  FOR EACH ROW EXECUTE FUNCTION episodes_recollected_stats();

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
  ON CONFLICT (province_id, day, county_id, kind) DO UPDATE
    SET n = pathway_day_stats.n + excluded.n;
INSERT INTO pathway_day_stats (day, county_id, kind, n)
  SELECT (x.collected_at + 12600000) / 86400000, COALESCE(x.county_id, 0), k.kind, COUNT(*)
  FROM episodes x
  JOIN (VALUES ('recollected_6', 183), ('recollected_12', 365)) AS k (kind, days) ON true
  WHERE EXISTS (SELECT 1 FROM episodes e WHERE e.id <> x.id
                  AND e.collected_at <= x.collected_at
                  AND e.collected_at >= x.collected_at - k.days::bigint * 86400000
                  AND e.person_id IN (SELECT x.person_id UNION ALL
                                      SELECT id FROM persons WHERE merged_into = x.person_id))
  GROUP BY 1, 2, 3;
