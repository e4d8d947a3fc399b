package io.controlplane.resilience;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the service stored, read back with SQL from the test's own database: where each mission waits, the records it
 * left, and every way a record could have been written twice (each counted against the engine's history, which says
 * how often the work really happened).
 */
final class Ledger {
    private final ItDatabase db;

    Ledger(ItDatabase db) {
        this.db = db;
    }

    /**
     * Where a mission waits, across its journey and runbooks: open checkpoints, the activities its executions are in,
     * the events they wait for, open agent tasks and jobs (not their locks, which a restart may change).
     */
    List<String> position(String missionId) {
        return db.strings("""
                SELECT x FROM (
                  SELECT 'task:' || t.task_def_key_ AS x FROM act_ru_task t
                    JOIN act_ru_execution pi ON pi.id_ = t.proc_inst_id_ WHERE pi.business_key_ = ?
                  UNION ALL SELECT 'at:' || e.act_id_ FROM act_ru_execution e
                    JOIN act_ru_execution pi ON pi.id_ = e.proc_inst_id_ WHERE pi.business_key_ = ? AND e.act_id_ IS NOT NULL
                  UNION ALL SELECT 'waits:' || s.event_type_ || ':' || s.activity_id_ FROM act_ru_event_subscr s
                    JOIN act_ru_execution pi ON pi.id_ = s.proc_inst_id_ WHERE pi.business_key_ = ?
                  UNION ALL SELECT 'agent:' || x.topic_name_ FROM act_ru_ext_task x
                    JOIN act_ru_execution pi ON pi.id_ = x.proc_inst_id_ WHERE pi.business_key_ = ?
                  UNION ALL SELECT 'job:' || j.handler_type_ || ':' || COALESCE(d.act_id_, '') FROM act_ru_job j
                    LEFT JOIN act_ru_jobdef d ON d.id_ = j.job_def_id_
                    JOIN act_ru_execution pi ON pi.id_ = j.process_instance_id_ WHERE pi.business_key_ = ?
                ) p ORDER BY x""", missionId, missionId, missionId, missionId, missionId);
    }

    /** The mission's rows in the control plane's tables, each reduced to its natural key and content. */
    Map<String, List<String>> records(String missionId) {
        Map<String, List<String>> r = new LinkedHashMap<>();
        r.put("mission", db.strings("SELECT stage || '|' || status FROM missions WHERE id = ?", missionId));
        r.put(
                "approvals",
                db.strings(
                        "SELECT checkpoint || '|' || decided_by || '|' || decision || '|' || activity_instance_id "
                                + "FROM mission_approvals WHERE mission_id = ? ORDER BY id",
                        missionId));
        r.put(
                "evidence",
                db.strings(
                        "SELECT stage || '|' || sha256 FROM mission_evidence WHERE mission_id = ? ORDER BY id",
                        missionId));
        r.put(
                "notifications",
                db.strings(
                        "SELECT channel || '|' || kind || '|' || COALESCE(incident_id, '') || '|' || md5(body) "
                                + "FROM notification_log WHERE mission_id = ? ORDER BY id",
                        missionId));
        r.put(
                "steps",
                db.strings(
                        "SELECT play_id || '|' || action || '|' || safeguard_outcome || '|' || occurred_at "
                                + "FROM mission_steps WHERE mission_id = ? ORDER BY id",
                        missionId));
        r.put(
                "plays",
                db.strings(
                        "SELECT approval_round || '|' || play_id || '|' || status || '|' || COALESCE(result_sha256, '') "
                                + "FROM mission_plays WHERE mission_id = ? ORDER BY 1",
                        missionId));
        r.put(
                "incidents",
                db.strings("SELECT id || '|' || status FROM incidents WHERE mission_id = ? ORDER BY 1", missionId));
        return r;
    }

    /** Work the engine still has to do now: due jobs, agent tasks, deliveries under way. */
    long pendingWork() {
        return db.count(
                        "SELECT COUNT(*) FROM act_ru_job WHERE retries_ > 0 AND (duedate_ IS NULL OR duedate_ <= now())")
                + db.count("SELECT COUNT(*) FROM act_ru_ext_task")
                + db.count(
                        "SELECT COUNT(*) FROM act_ru_execution WHERE id_ = proc_inst_id_ AND proc_def_id_ LIKE 'notification-delivery:%'");
    }

    /** Duplicates of each kind, and the totals they were counted against. */
    Map<String, Long> duplicates() {
        Map<String, Long> d = new LinkedHashMap<>();
        // a checkpoint decision is recorded once per completed task: more rows than completions of that checkpoint
        // in that process instance would be a decision recorded twice
        d.put("approvals", db.count("""
                SELECT COALESCE(SUM(a.n - COALESCE(t.m, 0)), 0) FROM
                  (SELECT process_instance_id, checkpoint, COUNT(*) n FROM mission_approvals GROUP BY 1, 2) a
                  LEFT JOIN (SELECT proc_inst_id_, task_def_key_, COUNT(*) m FROM act_hi_taskinst
                             WHERE delete_reason_ = 'completed' GROUP BY 1, 2) t
                    ON t.proc_inst_id_ = a.process_instance_id AND t.task_def_key_ = a.checkpoint
                WHERE a.n > COALESCE(t.m, 0)"""));
        // and no completed checkpoint lost its decision (the post-incident review is recorded on its incident)
        d.put("approvals missing", db.count("""
                SELECT COUNT(*) FROM act_hi_taskinst t WHERE t.delete_reason_ = 'completed'
                  AND t.task_def_key_ <> 'userTask_postIncidentReview'
                  AND NOT EXISTS (SELECT 1 FROM mission_approvals a WHERE a.activity_instance_id = t.act_inst_id_)"""));
        // one evidence artifact per completed stage: more than the stage's completions would be rendered twice
        d.put("evidence", db.count("""
                SELECT COALESCE(SUM(e.n - COALESCE(s.m, 0)), 0) FROM
                  (SELECT m.process_instance_id, ev.stage, COUNT(*) n FROM mission_evidence ev
                     JOIN missions m ON m.id = ev.mission_id GROUP BY 1, 2) e
                  LEFT JOIN (SELECT a.proc_inst_id_, l.stage_code, COUNT(*) m FROM act_hi_actinst a
                             JOIN (SELECT DISTINCT stage_code, sub_process_id FROM stage_labels) l ON l.sub_process_id = a.act_id_
                             WHERE a.end_time_ IS NOT NULL GROUP BY 1, 2) s
                    ON s.proc_inst_id_ = e.process_instance_id AND s.stage_code = e.stage
                WHERE e.n > COALESCE(s.m, 0)"""));
        d.put(
                "evidence hash mismatches",
                db.count(
                        "SELECT COUNT(*) FROM mission_evidence WHERE sha256 <> encode(sha256(convert_to(content, 'UTF8')), 'hex')"));
        // each queued notification is one notification-delivery instance and is logged once when delivered
        d.put(
                "notifications",
                Math.max(
                        0,
                        db.count("SELECT COUNT(*) FROM notification_log")
                                - db.count(
                                        "SELECT COUNT(*) FROM act_hi_procinst WHERE proc_def_key_ = 'notification-delivery' AND end_time_ IS NOT NULL")));
        // a checkpoint that waits again (a brief revised, a packet rejected) is offered again with the same text: its
        // post differs only in the task its buttons carry, which the payload as sent holds
        d.put("notifications same content", db.count("""
                SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM notification_log
                  GROUP BY channel, kind, incident_id, mission_id, subject, md5(body),
                    CASE WHEN kind = 'checkpoint_waiting' THEN md5(payload) END HAVING COUNT(*) > 1) x"""));
        // one effective step per play execution (the simulated agent reports one step per play)
        d.put("steps", db.count("""
                SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM mission_steps
                  WHERE safeguard_outcome IN ('none', 'escalate') GROUP BY mission_id, play_id HAVING COUNT(*) > 1) x"""));
        // an agent task (a play executed, an undo run) completed twice
        d.put("agent tasks completed twice", db.count("""
                SELECT COUNT(*) FROM (SELECT ext_task_id_ FROM act_hi_ext_task_log WHERE state_ = 2
                  GROUP BY ext_task_id_ HAVING COUNT(*) > 1) x"""));
        d.put("plays executed twice", db.count("""
                SELECT COUNT(*) FROM (SELECT proc_inst_id_, act_inst_id_ FROM act_hi_ext_task_log
                  WHERE state_ = 2 AND topic_name_ = 'mission.play.execute'
                  GROUP BY proc_inst_id_, act_inst_id_ HAVING COUNT(*) > 1) x"""));
        // a job (timer, queued notification) with more than one successful execution. Not the history cleanup:
        // Camunda keeps one cleanup job and re-schedules it after every run inside the batch window (by design), so
        // a run inside application.yaml's window (01:00-05:00) sees it succeed several times under one id
        d.put("jobs run twice", db.count("""
                SELECT COUNT(*) FROM (SELECT job_id_ FROM act_hi_job_log WHERE job_state_ = 2
                  AND job_def_type_ <> 'history-cleanup' GROUP BY job_id_ HAVING COUNT(*) > 1) x"""));
        return d;
    }

    /** The jobs with more than one successful execution, with what they were, for the failure message. */
    List<Map<String, Object>> jobsRunTwice() {
        return db.rows("""
                SELECT job_id_, job_def_type_, job_def_configuration_, act_id_, process_def_key_, hostname_, timestamp_
                FROM act_hi_job_log WHERE job_state_ = 2 AND job_def_type_ <> 'history-cleanup' AND job_id_ IN (
                  SELECT job_id_ FROM act_hi_job_log WHERE job_state_ = 2 GROUP BY job_id_ HAVING COUNT(*) > 1)
                ORDER BY job_id_, timestamp_""");
    }

    long jobsRun() {
        return db.count("SELECT COUNT(DISTINCT job_id_) FROM act_hi_job_log WHERE job_state_ = 2");
    }

    long agentTasksCompleted() {
        return db.count("SELECT COUNT(*) FROM act_hi_ext_task_log WHERE state_ = 2");
    }

    long notificationsLogged() {
        return db.count("SELECT COUNT(*) FROM notification_log");
    }

    long approvals() {
        return db.count("SELECT COUNT(*) FROM mission_approvals");
    }
}
