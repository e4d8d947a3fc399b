-- Reporting over the journey's history. Camunda owns ACT_HI_ACTINST; this migration only reads it, and runs after the
-- engine created its tables (see ADR 0003: Flyway starts after the process engine).

-- The eight legacy stage names and the five stages (and stage sub-processes of bpmn/mission-journey.bpmn) they map to.
CREATE TABLE stage_labels (
    stage_code     VARCHAR(32)  NOT NULL,
    stage_v3       VARCHAR(64)  NOT NULL,
    stage_legacy   VARCHAR(64)  NOT NULL PRIMARY KEY,
    sub_process_id VARCHAR(64)  NOT NULL,
    position       INT          NOT NULL
);
INSERT INTO stage_labels (stage_code, stage_v3, stage_legacy, sub_process_id, position) VALUES
    ('DEFINE',          'Define',            'Intake',             'subProcess_define',         1),
    ('DEFINE',          'Define',            'Mission Brief',      'subProcess_define',         2),
    ('PREPARE',         'Prepare',           'Toolkits & Connect', 'subProcess_prepare',        3),
    ('PREPARE',         'Prepare',           'Data Inspect',       'subProcess_prepare',        4),
    ('PLAN_APPROVE',    'Plan & Approve',    'Plan',               'subProcess_planApprove',    5),
    ('EXECUTE_OBSERVE', 'Execute & Observe', 'Governed Execution', 'subProcess_executeObserve', 6),
    ('EXECUTE_OBSERVE', 'Execute & Observe', 'Evidence',           'subProcess_executeObserve', 7),
    ('REFLECT_IMPROVE', 'Reflect & Improve', 'Feedback',           'subProcess_reflectImprove', 8);

-- Stage rollup, one row per five-stage code: every activity instance of the stage's sub-process in the mission
-- journey counts (a stage entered twice counts twice in dwell and left_*, once in missions_entered).
-- Dwell times are over finished instances, in seconds. Left forward = finished and not canceled: Camunda 7.24 writes
-- ACT_INST_STATE_ 4 for a sub-process that ended normally and 2 when a boundary event or an abort canceled it
-- (0 default, 1 scope complete are the other values; StageRollupTest checks them on a real run).
-- A stage sub-process only ever leaves forward or is canceled: no flow leads back out of one.
-- success_rate is NULL while nothing left the stage.
CREATE VIEW mission_stage_rollup_vw AS
WITH stages AS (
    SELECT stage_code,
           MIN(stage_v3)                                   AS stage_v3,
           STRING_AGG(stage_legacy, ' + ' ORDER BY position) AS stage_legacy,
           MIN(sub_process_id)                             AS sub_process_id,
           MIN(position)                                   AS position
    FROM stage_labels
    GROUP BY stage_code
),
visits AS (
    SELECT a.ACT_ID_         AS sub_process_id,
           a.PROC_INST_ID_   AS proc_inst_id,
           a.END_TIME_       AS end_time,
           a.ACT_INST_STATE_ AS state,
           CASE WHEN a.END_TIME_ IS NOT NULL
                THEN CAST(EXTRACT(EPOCH FROM a.END_TIME_) - EXTRACT(EPOCH FROM a.START_TIME_) AS DOUBLE PRECISION)
           END AS dwell_seconds
    FROM ACT_HI_ACTINST a
    WHERE a.PROC_DEF_KEY_ = 'mission-journey'
      AND a.ACT_ID_ IN (SELECT sub_process_id FROM stage_labels)
)
SELECT s.stage_code,
       s.stage_v3,
       s.stage_legacy,
       s.position,
       COUNT(DISTINCT v.proc_inst_id)                                      AS missions_entered,
       COUNT(v.proc_inst_id) - COUNT(v.end_time)                           AS in_stage_now,
       AVG(v.dwell_seconds)                                                AS dwell_mean_seconds,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v.dwell_seconds)        AS dwell_p50_seconds,
       PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY v.dwell_seconds)       AS dwell_p95_seconds,
       COUNT(CASE WHEN v.end_time IS NOT NULL AND COALESCE(v.state, 0) <> 2 THEN 1 END) AS left_forward,
       COUNT(v.end_time)                                                   AS left_total,
       CAST(COUNT(CASE WHEN v.end_time IS NOT NULL AND COALESCE(v.state, 0) <> 2 THEN 1 END) AS DOUBLE PRECISION)
           / NULLIF(COUNT(v.end_time), 0)                                  AS success_rate
FROM stages s
LEFT JOIN visits v ON v.sub_process_id = s.sub_process_id
GROUP BY s.stage_code, s.stage_v3, s.stage_legacy, s.position;
