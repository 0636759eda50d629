-- Foundation: province → counties → agencies → units; users and sessions;
-- the hash-chained audit log. Times are UTC milliseconds since the epoch.
-- Every row carries province_id so the schema can be distributed by province.
CREATE TABLE provinces (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE counties (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL REFERENCES provinces(id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (province_id, name_key)
);
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL REFERENCES provinces(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  duties TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (province_id, code)
);
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL REFERENCES provinces(id),
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  county_id INTEGER REFERENCES counties(id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (agency_id, name_key)
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL REFERENCES provinces(id),
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  county_id INTEGER REFERENCES counties(id),
  unit_id INTEGER REFERENCES units(id),
  roles TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_agency ON users (agency_id);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  at BIGINT NOT NULL,
  user_id INTEGER,
  username TEXT NOT NULL,
  agency_id INTEGER,
  action TEXT NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  summary TEXT NOT NULL,
  request_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_user ON audit_log (user_id, id);
CREATE INDEX audit_agency ON audit_log (agency_id, id);
CREATE INDEX audit_record ON audit_log (record_type, record_id, id);
CREATE INDEX audit_at ON audit_log (at);
-- One row: the head of the chain. Updating it first serialises audited
-- writers on PostgreSQL (row lock) and gives each entry the previous hash.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, 'genesis');
INSERT INTO provinces (id, code, name) VALUES (1, 'KHR', 'خراسان رضوی');
