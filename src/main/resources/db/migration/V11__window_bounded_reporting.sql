-- Dashboards whose cost is set by their window (issue #13, docs/performance.md). ADR 0003 says what a project migration
-- may do to Camunda's history tables: add cp_-prefixed secondary indexes, nothing else.

-- Approval latency: the packet review tasks that ended in the window, and their process instance, from the index
-- alone (V9's (TASK_DEF_KEY_, END_TIME_) index extended by PROC_INST_ID_, so it replaces it: still one index per
-- task row, as before). The rounds' tasks are then read per process instance through the engine's own
-- ACT_IDX_HI_TASKINST_PROCINST.
DROP INDEX cp_idx_hi_taskinst_key_end;
CREATE INDEX cp_idx_hi_taskinst_key_end_pi ON ACT_HI_TASKINST (TASK_DEF_KEY_, END_TIME_, PROC_INST_ID_);

-- Undo Readiness Monitor: the undo failures opened in the window (idx_incidents_status leads with the status, so the
-- board read every incident of the history).
CREATE INDEX idx_incidents_kind_opened ON incidents (kind, opened_at);
