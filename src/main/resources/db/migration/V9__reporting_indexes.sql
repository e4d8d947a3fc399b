-- Indexes for the KPI, stage-rollup and board queries at scale (docs/performance.md has the figures before and after).
-- Plain multi-column B-tree indexes: the same statement works on PostgreSQL and H2. Two are on Camunda's history
-- tables, which the engine creates before Flyway runs (ADR 0003); the cp_ prefix keeps them apart from the engine's
-- own ACT_IDX_* names. History cleanup deletes rows by removal time and is not slowed down by them beyond the usual
-- cost of one more index per row.

-- Stage rollup (mission_stage_rollup_vw), "reached Execute" and "planned" KPIs, undo KPI: activity instances of a few
-- activity ids in a time range. Every column those queries read is in the index, so PostgreSQL answers the rollup
-- from the index alone (index-only scan) instead of reading all ~70 activity instances each journey writes.
CREATE INDEX cp_idx_hi_actinst_act_time ON ACT_HI_ACTINST (ACT_ID_, START_TIME_, END_TIME_, PROC_DEF_KEY_, PROC_INST_ID_, ACT_INST_STATE_);

-- Approval latency: packet review tasks that ended in the window.
CREATE INDEX cp_idx_hi_taskinst_key_end ON ACT_HI_TASKINST (TASK_DEF_KEY_, END_TIME_);

-- Boards: rows of a checkpoint / of the window.
CREATE INDEX idx_approvals_checkpoint_decided ON mission_approvals (checkpoint, decided_at);
CREATE INDEX idx_plays_executed ON mission_plays (executed_at);
CREATE INDEX idx_plays_undone ON mission_plays (undone_at);
CREATE INDEX idx_feedback_submitted ON mission_feedback (submitted_at);
CREATE INDEX idx_mission_steps_occurred ON mission_steps (occurred_at);
CREATE INDEX idx_missions_status_completed ON missions (status, completed_at);
