-- Council resolution clauses become tasks in the responsible agencies' queues, like the
-- pathway's duties (issue 4). The clause itself lives in the funding module's tables.
ALTER TABLE tasks ADD COLUMN clause_id INTEGER;
CREATE INDEX tasks_clause ON tasks (clause_id) WHERE clause_id IS NOT NULL;
