-- People (مددجو) and identity resolution. Names are stored canonical (display)
-- with match keys beside them; person_keys holds the blocking keys that
-- candidate search looks up by index; person_pairs is the review queue.
CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  national_code TEXT,
  other_id TEXT NOT NULL DEFAULT '',
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  father_name TEXT NOT NULL DEFAULT '',
  aliases TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL,
  birth_year INTEGER,
  nationality TEXT NOT NULL DEFAULT 'IR',
  first_key TEXT NOT NULL,
  last_key TEXT NOT NULL,
  registered_by_agency INTEGER NOT NULL,
  registered_by_user INTEGER NOT NULL,
  merged_into INTEGER,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX persons_national_code ON persons (national_code)
  WHERE national_code IS NOT NULL AND merged_into IS NULL;
CREATE INDEX persons_last_key ON persons (last_key);
CREATE INDEX persons_first_key ON persons (first_key);
CREATE TABLE person_keys (
  key TEXT NOT NULL,
  person_id INTEGER NOT NULL,
  PRIMARY KEY (key, person_id)
);
CREATE INDEX person_keys_person ON person_keys (person_id);
CREATE TABLE person_pairs (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  a_id INTEGER NOT NULL,
  b_id INTEGER NOT NULL,
  score INTEGER NOT NULL,
  reasons TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  reviewer_id INTEGER,
  decided_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (a_id, b_id)
);
CREATE INDEX person_pairs_status ON person_pairs (status, id);
