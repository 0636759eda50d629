-- Indexes found missing by bench/pathway at scale: following merges, and the
-- inbox views ordered by due time (a partial index per set of states, so
-- "all open" and "done" are read in order instead of sorted).
CREATE INDEX persons_merged_into ON persons (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX tasks_active_due ON tasks (agency_id, due_at) WHERE state IN ('new', 'open');
CREATE INDEX tasks_closed_updated ON tasks (agency_id, updated_at)
  WHERE state IN ('done', 'rejected', 'revoked', 'cancelled');
