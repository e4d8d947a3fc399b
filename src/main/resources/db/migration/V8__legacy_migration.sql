-- The eight-stage legacy journey (bpmn/legacy/mission-journey-legacy.bpmn) and its migration onto the five stages.

-- Each legacy stage's own sub-process in the legacy model, beside the five-stage sub-process it maps to (V3).
ALTER TABLE stage_labels ADD COLUMN legacy_sub_process_id VARCHAR(64);
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_intake'            WHERE stage_legacy = 'Intake';
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_missionBrief'      WHERE stage_legacy = 'Mission Brief';
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_toolkitsConnect'   WHERE stage_legacy = 'Toolkits & Connect';
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_dataInspect'       WHERE stage_legacy = 'Data Inspect';
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_plan'              WHERE stage_legacy = 'Plan';
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_governedExecution' WHERE stage_legacy = 'Governed Execution';
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_evidence'          WHERE stage_legacy = 'Evidence';
UPDATE stage_labels SET legacy_sub_process_id = 'subProcess_feedback'          WHERE stage_legacy = 'Feedback';

-- Historical stage export: every stage visit of both models, with both labels. A visit of a legacy stage carries its
-- own legacy name; a five-stage visit carries the legacy names its stage replaced ("Intake + Mission Brief").
-- Completed legacy visits keep the legacy process key in Camunda's history after migration, so both keys are read.
-- outcome: active (not left yet), canceled (ACT_INST_STATE_ 2: rollback, abort, or a legacy stage closed by the
-- migration), completed.
CREATE VIEW mission_stage_history_vw AS
SELECT p.BUSINESS_KEY_     AS mission_id,
       a.PROC_INST_ID_     AS process_instance_id,
       'eight-stage'       AS model,
       a.ACT_ID_           AS activity_id,
       s.stage_code        AS stage_code,
       s.stage_v3          AS stage_v3,
       s.stage_legacy      AS stage_legacy,
       s.position          AS position,
       a.START_TIME_       AS entered_at,
       a.END_TIME_         AS left_at,
       CASE WHEN a.END_TIME_ IS NULL THEN 'active' WHEN a.ACT_INST_STATE_ = 2 THEN 'canceled' ELSE 'completed' END AS outcome
FROM ACT_HI_ACTINST a
JOIN ACT_HI_PROCINST p ON p.PROC_INST_ID_ = a.PROC_INST_ID_
JOIN stage_labels s ON s.legacy_sub_process_id = a.ACT_ID_
WHERE a.PROC_DEF_KEY_ IN ('mission-journey-legacy', 'mission-journey')
UNION ALL
SELECT p.BUSINESS_KEY_,
       a.PROC_INST_ID_,
       'five-stage',
       a.ACT_ID_,
       s.stage_code,
       s.stage_v3,
       s.stage_legacy,
       s.position,
       a.START_TIME_,
       a.END_TIME_,
       CASE WHEN a.END_TIME_ IS NULL THEN 'active' WHEN a.ACT_INST_STATE_ = 2 THEN 'canceled' ELSE 'completed' END
FROM ACT_HI_ACTINST a
JOIN ACT_HI_PROCINST p ON p.PROC_INST_ID_ = a.PROC_INST_ID_
JOIN (SELECT stage_code,
             MIN(stage_v3)                                     AS stage_v3,
             STRING_AGG(stage_legacy, ' + ' ORDER BY position) AS stage_legacy,
             MIN(sub_process_id)                               AS sub_process_id,
             MIN(position)                                     AS position
      FROM stage_labels
      GROUP BY stage_code) s ON s.sub_process_id = a.ACT_ID_
WHERE a.PROC_DEF_KEY_ = 'mission-journey';

-- One migration run (a Camunda migration batch) and the instances it was given, with the legacy stage each waited
-- at: after migration the legacy activity is gone from the runtime, so the report needs this record.
CREATE TABLE legacy_migrations (
    batch_id                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    source_definition_id     VARCHAR(64)  NOT NULL,
    target_definition_id     VARCHAR(64)  NOT NULL,
    batch_job_definition_id  VARCHAR(64),
    started_by               VARCHAR(128) NOT NULL,
    started_at               TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE legacy_migration_instances (
    batch_id             VARCHAR(64)  NOT NULL REFERENCES legacy_migrations (batch_id),
    process_instance_id  VARCHAR(64)  NOT NULL,
    mission_id           VARCHAR(64),
    legacy_stage         VARCHAR(64)  NOT NULL,
    source_activity_id   VARCHAR(64)  NOT NULL,
    target_activity_id   VARCHAR(64)  NOT NULL,
    PRIMARY KEY (batch_id, process_instance_id)
);
CREATE INDEX idx_legacy_migration_instances_pi ON legacy_migration_instances (process_instance_id);
