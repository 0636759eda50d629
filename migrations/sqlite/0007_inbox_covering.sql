-- The inbox's views read only index entries (found by bench/pathway at 1,000,000 persons): with
-- the task kind in each queue index, the capped counts and the page's id range are covering
-- index ranges, even under the kind filter, and never visit the tasks table.
DROP INDEX tasks_inbox;
CREATE INDEX tasks_inbox ON tasks (agency_id, state, due_at, kind);
DROP INDEX tasks_active_due;
CREATE INDEX tasks_active_due ON tasks (agency_id, due_at, kind) WHERE state IN ('new', 'open');
DROP INDEX tasks_closed_updated;
CREATE INDEX tasks_closed_updated ON tasks (agency_id, updated_at, kind)
  WHERE state IN ('done', 'rejected', 'revoked', 'cancelled');
