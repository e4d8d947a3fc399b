-- The stage rollup over a window (issue #13): GET /api/stages/rollup now reads ACT_HI_ACTINST by index ranges of its
-- window (StageRollups.java) instead of the all-history view of V3, which is dropped here (nothing else reads it).

DROP VIEW mission_stage_rollup_vw;

-- Stage visits (and other activity instances) of a few activity ids that ENDED in a time range, and those still open
-- (END_TIME_ IS NULL: the B-tree keeps NULLs together at the end of each ACT_ID_). V9's cp_idx_hi_actinst_act_time
-- leads with START_TIME_, so for an end-time range it reads every row of the activity id ever; this one is its mirror
-- with END_TIME_ second. Every column the rollup's "left" and "in stage now" queries read is in it (index-only scan),
-- and the KPI queries that read activity ids by end time use it too. It costs one more index entry per activity
-- instance the engine writes.
CREATE INDEX cp_idx_hi_actinst_act_end ON ACT_HI_ACTINST (ACT_ID_, END_TIME_, START_TIME_, PROC_DEF_KEY_, PROC_INST_ID_, ACT_INST_STATE_);
