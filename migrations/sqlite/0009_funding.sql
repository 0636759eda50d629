-- Council resolutions (مصوبات), their clauses and who owes them, signed documents, and the
-- credit ledger (issue 4): per clause and responsible agency, what was needed, approved,
-- allocated (تخصیص), notified (ابلاغ), committed (تعهد) and paid (پرداخت), in integer rials.
-- Calendar dates are days since 1970-01-01 (*_day); times are UTC milliseconds (*_at).
CREATE TABLE councils (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (province_id, code)
);
INSERT INTO councils (province_id, code, name, seq) VALUES
  (1, 'provincial_security_council', 'شورای تأمین استان', 1),
  (1, 'drug_control_council', 'شورای هماهنگی مبارزه با مواد مخدر استان', 2),
  (1, 'social_council', 'شورای اجتماعی استان', 3),
  (1, 'social_harms_committee', 'کارگروه کاهش آسیب‌های اجتماعی استان', 4);

-- status: active (در حال اجرا), completed, cancelled. search_key: persian::MatchKey of the
-- number and title, for a search that ignores ی/ي, ZWNJ and spaces.
CREATE TABLE resolutions (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  council_id INTEGER NOT NULL REFERENCES councils(id),
  number TEXT NOT NULL,
  resolved_day INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'cancelled')),
  search_key TEXT NOT NULL,
  created_by INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (council_id, number)
);
CREATE INDEX resolutions_day ON resolutions (resolved_day, id);

-- status: active, withdrawn (with a reason; its open tasks are cancelled).
CREATE TABLE resolution_clauses (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  resolution_id INTEGER NOT NULL REFERENCES resolutions(id),
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  expected_output TEXT NOT NULL DEFAULT '',
  deadline_day INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
  withdraw_reason TEXT NOT NULL DEFAULT '',
  withdrawn_by INTEGER,
  withdrawn_at BIGINT,
  created_by INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (resolution_id, seq)
);

-- One row per clause and responsible agency (a "share"). The *_rials columns are running
-- totals of credit_entries, written in the same transaction as each entry; the ledger is the
-- record, these are its sums kept for the unfunded list and the totals by agency. Each new
-- entry first updates its share's row, which serialises entries on the same share.
CREATE TABLE clause_shares (
  province_id INTEGER NOT NULL,
  clause_id INTEGER NOT NULL REFERENCES resolution_clauses(id),
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  needed_rials BIGINT NOT NULL DEFAULT 0,
  approved_rials BIGINT NOT NULL DEFAULT 0,
  allocated_rials BIGINT NOT NULL DEFAULT 0,
  notified_rials BIGINT NOT NULL DEFAULT 0,
  committed_rials BIGINT NOT NULL DEFAULT 0,
  paid_rials BIGINT NOT NULL DEFAULT 0,
  entries INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (clause_id, agency_id),
  CHECK (0 <= paid_rials AND paid_rials <= committed_rials AND committed_rials <= notified_rials
         AND notified_rials <= allocated_rials AND allocated_rials <= approved_rials
         AND approved_rials <= needed_rials)
);
CREATE INDEX clause_shares_agency ON clause_shares (agency_id, clause_id);

-- The ledger: append-only. A correction is a reversing entry (amount = -original,
-- reverses_entry_id = original), at most one per entry (the unique index); the triggers
-- below refuse any UPDATE or DELETE.
CREATE TABLE credit_entries (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  clause_id INTEGER NOT NULL,
  agency_id INTEGER NOT NULL,
  stage TEXT NOT NULL
    CHECK (stage IN ('needed', 'approved', 'allocated', 'notified', 'committed', 'paid')),
  amount_rials BIGINT NOT NULL CHECK (amount_rials <> 0),
  reverses_entry_id INTEGER REFERENCES credit_entries(id),
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (clause_id, agency_id) REFERENCES clause_shares (clause_id, agency_id)
);
CREATE UNIQUE INDEX credit_entries_reverses ON credit_entries (reverses_entry_id);
CREATE INDEX credit_entries_clause ON credit_entries (clause_id, id);
CREATE INDEX credit_entries_agency ON credit_entries (agency_id, id);
CREATE TRIGGER credit_entries_no_update BEFORE UPDATE ON credit_entries
BEGIN
  SELECT RAISE(ABORT, 'credit_entries is append-only: record a reversing entry instead');
END;
CREATE TRIGGER credit_entries_no_delete BEFORE DELETE ON credit_entries
BEGIN
  SELECT RAISE(ABORT, 'credit_entries is append-only: record a reversing entry instead');
END;

-- Signed copies of a resolution (PDF), stored outside the database under
-- <data_dir>/<path>, named by their SHA-256. The newest is the current one.
CREATE TABLE resolution_documents (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL,
  resolution_id INTEGER NOT NULL REFERENCES resolutions(id),
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  file_name TEXT NOT NULL,
  uploaded_by INTEGER NOT NULL,
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX resolution_documents_resolution ON resolution_documents (resolution_id, id);
