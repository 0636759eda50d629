-- Every edit of a person's identifying fields keeps the values it replaced,
-- so history is never lost (and a wrong edit can be seen and undone).
CREATE TABLE person_revisions (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL,
  at BIGINT NOT NULL,
  user_id INTEGER NOT NULL,
  agency_id INTEGER NOT NULL,
  changed TEXT NOT NULL,
  previous TEXT NOT NULL
);
CREATE INDEX person_revisions_person ON person_revisions (person_id, id);
