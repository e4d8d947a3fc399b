-- Conditional updates (ETag / If-Match, docs/api.md): the version of each of the two resources the API changes in
-- place, the backlog item (its status) and the meeting notes (their decisions). Every change adds one, in the same
-- statement that checks the version the caller read, so of two changes from one version only the first is made.
ALTER TABLE backlog_items ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE meeting_notes ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;

-- One enum casing in the API, UPPER_SNAKE as the stages and mission statuses are: backlog statuses (OPEN,
-- IN_PROGRESS, DONE) and sources (MANUAL, TELEMETRY_GAP, ...), telemetry-gap kinds (MISSING, STAGE_MISMATCH).
ALTER TABLE backlog_items DROP CONSTRAINT ck_backlog_status;
UPDATE backlog_items SET status = UPPER(status), source = UPPER(source);
ALTER TABLE backlog_items ADD CONSTRAINT ck_backlog_status CHECK (status IN ('OPEN', 'IN_PROGRESS', 'DONE'));
UPDATE telemetry_gaps SET kind = UPPER(kind);
