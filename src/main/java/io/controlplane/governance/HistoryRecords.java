package io.controlplane.governance;

import io.controlplane.governance.BatchRecords.EndedTask;
import io.controlplane.governance.BatchRecords.StageEntry;
import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.Stage;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The engine's records of a batch of missions: their safeguard-violation runbooks, the path their journeys took and
 * the stages they completed on the legacy model. These are the engine's own history, which no caller writes.
 */
@Component
class HistoryRecords {
    private final NamedParameterJdbcTemplate jdbc;
    private final HistoryService history;
    private final TaskService tasks;
    private final IdentityService identity;

    HistoryRecords(
            NamedParameterJdbcTemplate jdbc, HistoryService history, TaskService tasks, IdentityService identity) {
        this.jdbc = jdbc;
        this.history = history;
        this.tasks = tasks;
        this.identity = identity;
    }

    /**
     * The safeguard-violation runbooks of these missions, by mission and by the play that escalated ({@code playId}),
     * and which of them still wait for their violation decision. Read as the check, not as the caller: a caller's
     * authorizations must not hide runbooks.
     */
    void violationRunbooks(List<String> escalated, BatchRecords r) {
        Authentication caller = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        try {
            String[] keys = escalated.toArray(String[]::new);
            List<HistoricProcessInstance> runbooks = history.createHistoricProcessInstanceQuery()
                    .processDefinitionKey(Runbooks.SAFEGUARD_VIOLATION)
                    .processInstanceBusinessKeyIn(keys)
                    .orderByProcessInstanceStartTime()
                    .asc()
                    .list();
            if (!runbooks.isEmpty()) {
                runbooksByPlay(runbooks, r);
            }
            tasks
                    .createTaskQuery()
                    .processDefinitionKey(Runbooks.SAFEGUARD_VIOLATION)
                    .processInstanceBusinessKeyIn(keys)
                    .taskDefinitionKey(Checkpoint.VIOLATION_DECISION.taskKey())
                    .list()
                    .stream()
                    .map(Task::getProcessInstanceId)
                    .forEach(r.openDecisions::add);
        } finally {
            if (caller != null) {
                identity.setAuthentication(caller);
            }
        }
    }

    /** Each runbook (in start order) under its mission and the play its process-level {@code playId} names. */
    private void runbooksByPlay(List<HistoricProcessInstance> runbooks, BatchRecords r) {
        Map<String, List<HistoricVariableInstance>> plays = new HashMap<>();
        for (HistoricVariableInstance v : history.createHistoricVariableInstanceQuery()
                .processInstanceIdIn(
                        runbooks.stream().map(HistoricProcessInstance::getId).toArray(String[]::new))
                .variableName(MissionJourney.Vars.PLAY_ID)
                .list()) {
            plays.computeIfAbsent(v.getProcessInstanceId(), k -> new ArrayList<>())
                    .add(v);
        }
        for (HistoricProcessInstance runbook : runbooks) {
            for (HistoricVariableInstance v : plays.getOrDefault(runbook.getId(), List.of())) {
                if (v.getValue() instanceof String play
                        && v.getProcessInstanceId().equals(v.getExecutionId())) {
                    r.runbooksByPlay
                            .computeIfAbsent(runbook.getBusinessKey(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(play, k -> new ArrayList<>())
                            .add(runbook.getId());
                }
            }
        }
    }

    /**
     * The journey-path rule's records: the finished tasks of every process with the missions' business keys (the
     * journey and its runbooks), the stage sub-process instances of their journeys, and which journeys were migrated
     * from the legacy model. Read with SQL: the engine's API has no set form for activity instances.
     */
    void journeys(List<String> ids, List<String> instances, BatchRecords r) {
        MapSqlParameterSource p = new MapSqlParameterSource("ids", ids)
                .addValue("pis", instances)
                .addValue("journey", MissionJourney.PROCESS_KEY)
                .addValue("stages", JourneyPathRule.STAGE_ENTRY.keySet());
        endedTasks(p, r);
        jdbc.query("""
                SELECT a.PROC_INST_ID_, a.ACT_ID_, a.START_TIME_ FROM ACT_HI_ACTINST a
                WHERE a.PROC_INST_ID_ IN (:pis) AND a.ACT_ID_ IN (:stages) AND a.ACT_TYPE_ = 'subProcess'
                  AND a.PROC_DEF_KEY_ = :journey
                ORDER BY a.ID_
                """, p, rs -> {
            r.stagesByInstance
                    .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new StageEntry(rs.getString(2), date(rs.getTimestamp(3))));
        });
        r.migratedInstances.addAll(jdbc.queryForList(
                "SELECT DISTINCT process_instance_id FROM legacy_migration_instances "
                        + "WHERE process_instance_id IN (:pis)",
                p,
                String.class));
    }

    private void endedTasks(MapSqlParameterSource p, BatchRecords r) {
        // two single-table look-ups, each by an index of its own (business key, then process instance), rather than a
        // join: for a batch of keys PostgreSQL costed the join's sequential scan of ACT_HI_PROCINST below the index
        // (docs/performance.md), a plan whose cost grows with the history instead of the batch
        Map<String, String> missionByInstance = new HashMap<>();
        jdbc.query("SELECT PROC_INST_ID_, BUSINESS_KEY_ FROM ACT_HI_PROCINST WHERE BUSINESS_KEY_ IN (:ids)", p, rs -> {
            missionByInstance.put(rs.getString(1), rs.getString(2));
        });
        if (missionByInstance.isEmpty()) {
            return;
        }
        jdbc.query("""
                SELECT t.PROC_INST_ID_, t.ID_, t.NAME_, t.TASK_DEF_KEY_, t.ACT_INST_ID_, t.END_TIME_, t.DELETE_REASON_
                FROM ACT_HI_TASKINST t
                WHERE t.PROC_INST_ID_ IN (:all) AND t.END_TIME_ IS NOT NULL
                ORDER BY t.ID_
                """, new MapSqlParameterSource("all", missionByInstance.keySet()), rs -> {
            r.endedTasks
                    .computeIfAbsent(missionByInstance.get(rs.getString("PROC_INST_ID_")), k -> new ArrayList<>())
                    .add(new EndedTask(
                            rs.getString("ID_"),
                            rs.getString("NAME_"),
                            rs.getString("TASK_DEF_KEY_"),
                            rs.getString("ACT_INST_ID_"),
                            date(rs.getTimestamp("END_TIME_")),
                            rs.getString("DELETE_REASON_")));
        });
    }

    /**
     * For the missions holding a legacy stage record: the stages their engine history shows completed on the
     * eight-stage model (a legacy sub-process that ended without being cancelled), the fact such a record stands on.
     */
    void legacyStages(List<String> instances, BatchRecords r) {
        jdbc.query(
                """
                SELECT DISTINCT a.PROC_INST_ID_, s.stage_code FROM ACT_HI_ACTINST a
                JOIN stage_labels s ON s.legacy_sub_process_id = a.ACT_ID_
                WHERE a.PROC_INST_ID_ IN (:pis) AND a.PROC_DEF_KEY_ = :legacy AND a.ACT_TYPE_ = 'subProcess'
                  AND a.END_TIME_ IS NOT NULL AND (a.ACT_INST_STATE_ IS NULL OR a.ACT_INST_STATE_ <> 2)
                """, new MapSqlParameterSource("pis", instances).addValue("legacy", LegacyJourney.PROCESS_KEY), rs -> {
                    r.legacyStages
                            .computeIfAbsent(rs.getString(1), k -> EnumSet.noneOf(Stage.class))
                            .add(Stage.valueOf(rs.getString(2)));
                });
    }

    private static Date date(Timestamp t) {
        return t == null ? null : new Date(t.getTime());
    }
}
