-- The KPIs' read model (issue #13): the facts every KPI counts, one row each, for every mission journey that has
-- ended, materialized from the engine's history by telemetry/KpiFacts (the same SQL computes the facts of running
-- journeys live, per call). A KPI window reads its facts through one index range, whatever the size of the history.
-- kind: COMPLETED (flagged = feedback rows), ROUND (an approval round; seconds = its latency), REACHED (Execute &
-- Observe entered; flagged = a step escalated), PLANNED (Plan & Approve entered; flagged = a library asset reused),
-- UNDO, UNDO_FAILED. Times are the engine's (TIMESTAMP in the JVM's zone, as in ACT_HI_*).
CREATE TABLE kpi_facts (
    proc_inst_id VARCHAR(64)      NOT NULL,
    mission_id   VARCHAR(255),
    kind         VARCHAR(16)      NOT NULL,
    occurred_at  TIMESTAMP        NOT NULL,
    flagged      INTEGER          NOT NULL,
    seconds      DOUBLE PRECISION
);
-- every column a KPI reads, so a window is an index-only range on PostgreSQL
CREATE INDEX idx_kpi_facts_window ON kpi_facts (occurred_at, kind, mission_id, flagged, seconds);
CREATE INDEX idx_kpi_facts_journey ON kpi_facts (proc_inst_id);

-- the journeys whose facts are in kpi_facts (the primary key keeps two nodes from materializing one twice)
CREATE TABLE kpi_fact_journeys (
    proc_inst_id VARCHAR(64) NOT NULL PRIMARY KEY,
    ended_at     TIMESTAMP   NOT NULL
);

-- how far materialization has come: every journey that ended before materialized_to (less the late-commit margin,
-- controlplane.kpis.facts.late-commits) is in kpi_fact_journeys; one row, locked by the job while it runs
CREATE TABLE kpi_fact_progress (
    id              INTEGER   NOT NULL PRIMARY KEY,
    materialized_to TIMESTAMP NOT NULL
);
INSERT INTO kpi_fact_progress (id, materialized_to) VALUES (1, TIMESTAMP '1970-01-01 00:00:00');
