package io.controlplane.governance;

import io.controlplane.governance.GovernanceReport.Finding;
import io.controlplane.governance.GovernanceReport.MissionResult;
import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.ReportWindow;
import io.controlplane.platform.Roles;
import io.controlplane.platform.Sha256;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The governance check the operations guide has Operations Command run for active missions ({@code governance-check}):
 * it re-reads the stored records — checkpoint decisions, evidence, plays, agent steps, the engine's history — and
 * reports every mission whose records break a governance rule. It only reads. It covers the ACTIVE missions and those
 * that ended in a window (default the trailing seven days), so its cost follows the work, not the history: each kind
 * of record is read in one query for a batch of missions.
 */
@Service
public class GovernanceCheck {

    /** The rules, as they appear in a finding's {@code rule}. */
    public static final String CHECKPOINT_ROLE = "checkpoint-role";

    public static final String SEGREGATION_OF_DUTIES = "segregation-of-duties";
    public static final String STAGE_EVIDENCE = "stage-evidence";
    public static final String EVIDENCE_INTEGRITY = "evidence-integrity";
    public static final String UNDO_PLAN = "undo-plan";
    public static final String SAFEGUARD_ESCALATION = "safeguard-escalation";
    public static final String TELEMETRY_HOOKS = "telemetry-hooks";
    public static final String JOURNEY_PATH = "journey-path";

    private final MissionStore missions;
    private final NamedParameterJdbcTemplate jdbc;
    private final HistoryService history;
    private final TaskService tasks;
    private final IdentityService identity;
    private final RepositoryService repository;

    GovernanceCheck(
            MissionStore missions,
            NamedParameterJdbcTemplate jdbc,
            HistoryService history,
            TaskService tasks,
            IdentityService identity,
            RepositoryService repository) {
        this.repository = repository;
        this.missions = missions;
        this.jdbc = jdbc;
        this.history = history;
        this.tasks = tasks;
        this.identity = identity;
    }

    /** Missions read per batch: each batch costs a constant number of queries, whatever its size up to this. */
    static final int BATCH = 500;

    /** Every ACTIVE mission and every mission that ended in the trailing seven days (engine clock). */
    public GovernanceReport checkActive() {
        ReportWindow week = ReportWindow.trailingWeek();
        return check(week.from(), week.to());
    }

    /**
     * Every ACTIVE mission, plus the missions that ended (completed, rolled back, aborted: {@code completed_at}) in
     * [from, to). The cost follows the number of those missions, not the history: a constant number of queries per
     * {@link #BATCH} missions.
     */
    public GovernanceReport check(Instant from, Instant to) {
        MapSqlParameterSource p = new MapSqlParameterSource("active", MissionStore.Status.ACTIVE.name())
                .addValue("ended", ENDED)
                .addValue("from", MissionStore.odt(from))
                .addValue("to", MissionStore.odt(to));
        List<MissionStore.Mission> selected = new ArrayList<>(jdbc.query(
                "SELECT * FROM missions WHERE status = :active ORDER BY created_at DESC, id",
                p,
                GovernanceCheck::mission));
        selected.addAll(jdbc.query(
                "SELECT * FROM missions WHERE status IN (:ended) AND completed_at >= :from "
                        + "AND completed_at < :to ORDER BY completed_at DESC, id",
                p,
                GovernanceCheck::mission));
        return report(from, to, checkAll(selected));
    }

    /** Every mission ever registered, whatever its status (an audit of the whole history: its cost grows with it). */
    public GovernanceReport checkHistory() {
        List<MissionResult> results = new ArrayList<>();
        int page = 0;
        List<MissionStore.Mission> batch;
        do {
            batch = missions.list(null, null, page++, BATCH);
            results.addAll(checkAll(batch));
        } while (batch.size() == BATCH);
        return report(null, null, results);
    }

    /** One mission, whatever its status; an unknown id is a {@link NotFoundException}. */
    public GovernanceReport checkMission(String missionId) {
        MissionStore.Mission mission = missions.find(missionId)
                .orElseThrow(() -> new NotFoundException("Mission " + missionId + " does not exist"));
        return report(null, null, checkAll(List.of(mission)));
    }

    private static final List<String> ENDED = Arrays.stream(MissionStore.Status.values())
            .filter(s -> s != MissionStore.Status.ACTIVE)
            .map(Enum::name)
            .toList();

    private static GovernanceReport report(Instant from, Instant to, List<MissionResult> results) {
        int passed = (int) results.stream().filter(MissionResult::passed).count();
        return new GovernanceReport(
                from,
                to,
                new GovernanceReport.Summary(Instant.now(), results.size(), passed, results.size() - passed),
                results);
    }

    private List<MissionResult> checkAll(List<MissionStore.Mission> all) {
        List<MissionResult> results = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i += BATCH) {
            List<MissionStore.Mission> batch = all.subList(i, Math.min(all.size(), i + BATCH));
            Records records = records(batch);
            for (MissionStore.Mission m : batch) {
                results.add(check(m, records));
            }
        }
        return results;
    }

    MissionResult check(MissionStore.Mission mission) {
        return check(mission, records(List.of(mission)));
    }

    private MissionResult check(MissionStore.Mission mission, Records records) {
        List<Finding> failures = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        List<ApprovalStore.Approval> decisions = records.decisions.getOrDefault(mission.id(), List.of());
        List<EvidenceService.Artifact> artifacts = records.artifacts.getOrDefault(mission.id(), List.of());

        checkpointRoles(decisions, records.candidateGroups, failures);
        segregationOfDuties(mission, decisions, failures);
        stageEvidence(
                mission, artifacts, records.legacyStages.getOrDefault(mission.processInstanceId(), Set.of()), failures);
        undoPlans(mission, records, failures);
        escalations(mission, records, failures, warnings);
        telemetryHooks(decisions, artifacts, failures);
        journeyPath(mission, decisions, records, failures);

        return new MissionResult(
                mission.id(),
                mission.title(),
                mission.stage(),
                failures.isEmpty(),
                List.copyOf(failures),
                List.copyOf(warnings));
    }

    private static MissionStore.Mission mission(ResultSet rs, int row) throws SQLException {
        return new MissionStore.Mission(
                rs.getString("id"),
                rs.getString("process_instance_id"),
                rs.getString("title"),
                rs.getString("objective"),
                rs.getString("persona"),
                rs.getString("kpi_metric"),
                rs.getBigDecimal("kpi_target"),
                rs.getString("safeguards_json"),
                rs.getString("toolkits_json"),
                rs.getString("owner"),
                Stage.valueOf(rs.getString("stage")),
                MissionStore.Status.valueOf(rs.getString("status")),
                MissionStore.instant(rs, "created_at"),
                MissionStore.instant(rs, "updated_at"),
                MissionStore.instant(rs, "completed_at"));
    }

    // the records of a batch of missions, each kind read in one query for the whole batch ----------------------------

    /** A checkpoint task that ended, as the journey-path rule reads it from history. */
    private record EndedTask(
            String id, String name, String taskKey, String activityInstanceId, Date end, String deleteReason) {}

    /** A stage sub-process instance: where and when the mission entered a stage. */
    private record StageEntry(String activityId, Date start) {}

    /** Everything the rules read about a batch of missions, by mission id (or process instance id where so named). */
    private static final class Records {
        final Map<String, List<ApprovalStore.Approval>> decisions = new HashMap<>();
        final Map<String, List<EvidenceService.Artifact>> artifacts = new HashMap<>();
        final Map<String, List<Finding>> undoFindings = new HashMap<>();
        final Map<String, List<String>> escalatedPlays = new HashMap<>();
        final Map<String, Map<String, String>> playNames = new HashMap<>();
        final Set<String> decidedRunbooks = new HashSet<>();
        final Map<String, Map<String, List<String>>> runbooksByPlay = new HashMap<>();
        final Set<String> openDecisions = new HashSet<>();
        final Map<String, List<EndedTask>> endedTasks = new HashMap<>();
        final Map<String, List<StageEntry>> stagesByInstance = new HashMap<>();
        final Set<String> migratedInstances = new HashSet<>();
        final Set<String> withRedPlays = new HashSet<>();
        /** by process instance: the stages the engine's history shows completed on the eight-stage model */
        final Map<String, Set<Stage>> legacyStages = new HashMap<>();
        /** by checkpoint task: its candidate groups in the deployed models */
        final Map<String, List<String>> candidateGroups = new HashMap<>();
    }

    private Records records(List<MissionStore.Mission> batch) {
        Records r = new Records();
        if (batch.isEmpty()) {
            return r;
        }
        r.candidateGroups.putAll(candidateGroups());
        List<String> ids = batch.stream().map(MissionStore.Mission::id).toList();
        List<String> instances = batch.stream()
                .map(MissionStore.Mission::processInstanceId)
                .filter(Objects::nonNull)
                .toList();
        MapSqlParameterSource p =
                new MapSqlParameterSource("ids", ids).addValue("checkpoint", Checkpoint.VIOLATION_DECISION.taskKey());

        jdbc.query("SELECT * FROM mission_approvals WHERE mission_id IN (:ids) ORDER BY decided_at, id", p, rs -> {
            r.decisions
                    .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                    .add(new ApprovalStore.Approval(
                            rs.getLong("id"),
                            rs.getString("mission_id"),
                            rs.getString("activity_instance_id"),
                            rs.getString("checkpoint"),
                            rs.getString("checkpoint_name"),
                            Stage.valueOf(rs.getString("stage")),
                            rs.getString("decided_by"),
                            rs.getString("role"),
                            rs.getString("decision"),
                            rs.getString("comment"),
                            MissionStore.instant(rs, "decided_at"),
                            (Long) rs.getObject("evidence_id", Long.class)));
        });
        jdbc.query("SELECT * FROM mission_evidence WHERE mission_id IN (:ids) ORDER BY rendered_at, id", p, rs -> {
            r.artifacts
                    .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                    .add(new EvidenceService.Artifact(
                            rs.getLong("id"),
                            Stage.valueOf(rs.getString("stage")),
                            rs.getString("template"),
                            rs.getString("sha256"),
                            MissionStore.instant(rs, "rendered_at"),
                            rs.getString("content")));
        });
        jdbc.query(
                "SELECT mission_id, approval_round, play_id, name FROM mission_plays WHERE mission_id IN (:ids) "
                        + "AND mutating = TRUE AND executed_at IS NOT NULL AND undo_plan_json IS NULL "
                        + "ORDER BY approval_round, play_rank",
                p,
                rs -> {
                    r.undoFindings
                            .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                            .add(new Finding(
                                    UNDO_PLAN,
                                    "play " + rs.getString("play_id") + " (" + rs.getString("name") + ", round "
                                            + rs.getInt("approval_round")
                                            + ") is mutating and was executed without an undo plan"));
                });
        jdbc.query(
                "SELECT DISTINCT mission_id, play_id FROM mission_steps WHERE mission_id IN (:ids) "
                        + "AND safeguard_outcome = 'escalate' ORDER BY mission_id, play_id",
                p,
                rs -> {
                    r.escalatedPlays
                            .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                            .add(rs.getString("play_id"));
                });
        if (!r.escalatedPlays.isEmpty()) {
            escalationRecords(List.copyOf(r.escalatedPlays.keySet()), r);
        }
        jdbc.query(
                "SELECT p.mission_id FROM mission_plays p WHERE p.mission_id IN (:ids) AND p.risk_grade = 'red' "
                        + "AND p.approval_round = (SELECT MAX(m.approval_round) FROM mission_plays m WHERE m.mission_id = p.mission_id)",
                p,
                rs -> {
                    r.withRedPlays.add(rs.getString(1));
                });
        if (!instances.isEmpty()) {
            journeyRecords(ids, instances, r);
        }
        List<String> withLegacyRecords = batch.stream()
                .filter(m -> m.processInstanceId() != null
                        && r.artifacts.getOrDefault(m.id(), List.of()).stream()
                                .anyMatch(GovernanceCheck::isLegacyRecord))
                .map(MissionStore.Mission::processInstanceId)
                .toList();
        if (!withLegacyRecords.isEmpty()) {
            legacyRecords(withLegacyRecords, r);
        }
        return r;
    }

    private static boolean isLegacyRecord(EvidenceService.Artifact a) {
        return EvidenceService.LEGACY_RECORD_TEMPLATE.equals(a.template());
    }

    /**
     * For the missions holding a legacy stage record: the stages their engine history shows completed on the
     * eight-stage model (a legacy sub-process that ended without being cancelled), the fact such a record stands on.
     */
    private void legacyRecords(List<String> instances, Records r) {
        jdbc.query("""
                SELECT DISTINCT a.PROC_INST_ID_, s.stage_code FROM ACT_HI_ACTINST a
                JOIN stage_labels s ON s.legacy_sub_process_id = a.ACT_ID_
                WHERE a.PROC_INST_ID_ IN (:pis) AND a.PROC_DEF_KEY_ = :legacy AND a.ACT_TYPE_ = 'subProcess'
                  AND a.END_TIME_ IS NOT NULL AND (a.ACT_INST_STATE_ IS NULL OR a.ACT_INST_STATE_ <> 2)
                """, new MapSqlParameterSource("pis", instances).addValue("legacy", LEGACY_PROCESS_KEY), rs -> {
            r.legacyStages
                    .computeIfAbsent(rs.getString(1), k -> EnumSet.noneOf(Stage.class))
                    .add(Stage.valueOf(rs.getString(2)));
        });
    }

    /** bpmn/legacy/mission-journey-legacy.bpmn */
    private static final String LEGACY_PROCESS_KEY = LegacyJourney.PROCESS_KEY;

    /** The escalation rule's records, for the missions of a batch that escalated a play. */
    private void escalationRecords(List<String> escalated, Records r) {
        MapSqlParameterSource p = new MapSqlParameterSource("ids", escalated)
                .addValue("checkpoint", Checkpoint.VIOLATION_DECISION.taskKey());
        jdbc.query(
                "SELECT mission_id, play_id, name FROM mission_plays WHERE mission_id IN (:ids) ORDER BY approval_round",
                p,
                rs -> {
                    r.playNames
                            .computeIfAbsent(rs.getString("mission_id"), k -> new HashMap<>())
                            .put(rs.getString("play_id"), rs.getString("name"));
                });
        r.decidedRunbooks.addAll(jdbc.queryForList(
                "SELECT process_instance_id FROM mission_approvals "
                        + "WHERE mission_id IN (:ids) AND checkpoint = :checkpoint",
                p,
                String.class));

        // the safeguard-violation runbooks of these missions, by mission and by the play that escalated (playId)
        withoutAuthorization(() -> {
            String[] keys = escalated.toArray(String[]::new);
            List<HistoricProcessInstance> runbooks = history.createHistoricProcessInstanceQuery()
                    .processDefinitionKey(Runbooks.SAFEGUARD_VIOLATION)
                    .processInstanceBusinessKeyIn(keys)
                    .orderByProcessInstanceStartTime()
                    .asc()
                    .list();
            if (!runbooks.isEmpty()) {
                Map<String, List<HistoricVariableInstance>> plays = new HashMap<>();
                for (HistoricVariableInstance v : history.createHistoricVariableInstanceQuery()
                        .processInstanceIdIn(runbooks.stream()
                                .map(HistoricProcessInstance::getId)
                                .toArray(String[]::new))
                        .variableName(MissionJourney.Vars.PLAY_ID)
                        .list()) {
                    plays.computeIfAbsent(v.getProcessInstanceId(), k -> new ArrayList<>())
                            .add(v);
                }
                for (HistoricProcessInstance runbook : runbooks) { // in start order
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
            tasks
                    .createTaskQuery()
                    .processDefinitionKey(Runbooks.SAFEGUARD_VIOLATION)
                    .processInstanceBusinessKeyIn(keys)
                    .taskDefinitionKey(Checkpoint.VIOLATION_DECISION.taskKey())
                    .list()
                    .stream()
                    .map(Task::getProcessInstanceId)
                    .forEach(r.openDecisions::add);
            return null;
        });
    }

    /**
     * The journey-path rule's records: the finished tasks of every process with the missions' business keys (the
     * journey and its runbooks), the stage sub-process instances of their journeys, and which journeys were migrated
     * from the legacy model. Read with SQL: the engine's API has no set form for activity instances, and these tables
     * are the engine's own history (no caller writes them).
     */
    private void journeyRecords(List<String> ids, List<String> instances, Records r) {
        MapSqlParameterSource p = new MapSqlParameterSource("ids", ids)
                .addValue("pis", instances)
                .addValue("journey", MissionJourney.PROCESS_KEY)
                .addValue("stages", STAGE_ENTRY.keySet());
        // two single-table look-ups, each by an index of its own (business key, then process instance), rather than a
        // join: for a batch of keys PostgreSQL costed the join's sequential scan of ACT_HI_PROCINST below the index
        // (docs/performance.md), a plan whose cost grows with the history instead of the batch
        Map<String, String> missionByInstance = new HashMap<>();
        jdbc.query("SELECT PROC_INST_ID_, BUSINESS_KEY_ FROM ACT_HI_PROCINST WHERE BUSINESS_KEY_ IN (:ids)", p, rs -> {
            missionByInstance.put(rs.getString(1), rs.getString(2));
        });
        if (!missionByInstance.isEmpty()) {
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

    private static Date date(Timestamp t) {
        return t == null ? null : new Date(t.getTime());
    }

    // a. roles and segregation of duties ------------------------------------------------------------------------------

    private static void checkpointRoles(
            List<ApprovalStore.Approval> decisions, Map<String, List<String>> candidateGroups, List<Finding> failures) {
        for (ApprovalStore.Approval a : decisions) {
            Checkpoint c = Checkpoint.ofTask(a.checkpoint()).orElse(null);
            if (c == null) {
                failures.add(new Finding(
                        CHECKPOINT_ROLE,
                        "decision #" + a.id() + " by " + a.decidedBy() + " names an unknown checkpoint '"
                                + a.checkpoint() + "'"));
                continue;
            }
            List<String> allowed = new ArrayList<>(candidateGroups.getOrDefault(c.taskKey(), List.of(c.role())));
            allowed.add(Roles.ADMIN);
            if (!allowed.contains(a.role())) {
                failures.add(new Finding(
                        CHECKPOINT_ROLE,
                        describe(c) + " was decided by " + a.decidedBy() + " in role " + a.role() + "; allowed: "
                                + String.join(", ", allowed)));
            }
        }
    }

    /**
     * The candidate groups of every checkpoint's user task, read from the deployed models (the latest version of
     * each process), as Tasklist and {@link CheckpointDecisions} apply them: the check restates no BPMN.
     */
    private Map<String, List<String>> candidateGroups() {
        Map<String, List<String>> groups = new HashMap<>();
        for (ProcessDefinition definition :
                repository.createProcessDefinitionQuery().latestVersion().list()) {
            BpmnModelInstance model = repository.getBpmnModelInstance(definition.getId());
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                if (Checkpoint.ofTask(task.getId()).isPresent() && task.getCamundaCandidateGroups() != null) {
                    groups.putIfAbsent(task.getId(), task.getCamundaCandidateGroupsList());
                }
            }
        }
        return groups;
    }

    /**
     * Every recorded decision replayed through the rule the checkpoints enforce ({@link SegregationOfDuties}), with
     * the decisions recorded before it: a decision the checkpoint would refuse today is a finding.
     */
    private static void segregationOfDuties(
            MissionStore.Mission mission, List<ApprovalStore.Approval> decisions, List<Finding> failures) {
        for (int i = 0; i < decisions.size(); i++) { // ordered by decided_at, id
            ApprovalStore.Approval a = decisions.get(i);
            Checkpoint c = Checkpoint.ofTask(a.checkpoint()).orElse(null);
            if (c == null) {
                continue;
            }
            SegregationOfDuties.breach(c, a.decidedBy(), mission.owner(), decisions.subList(0, i))
                    .ifPresent(b -> failures.add(new Finding(
                            SEGREGATION_OF_DUTIES,
                            switch (b.why()) {
                                case OWNER -> describe(c) + " was decided by " + a.decidedBy() + ", the mission owner";
                                case BOTH_CO_SIGNATURES ->
                                    "approval round " + b.round() + ": " + a.decidedBy()
                                            + " co-signed both " + Checkpoint.PACKET_REVIEW_GOVERNANCE.displayName()
                                            + " and "
                                            + Checkpoint.PACKET_REVIEW_OPERATIONS.displayName();
                                case OVERRIDE_REQUESTER ->
                                    describe(c) + " was decided by " + a.decidedBy()
                                            + ", who requested the override in "
                                            + Checkpoint.COVERAGE_GAP_DECISION.displayName();
                                case CO_SIGNER_CONFIRMS ->
                                    describe(c) + " was decided by " + a.decidedBy()
                                            + ", who co-signed the preceding approval round";
                            })));
        }
    }

    // b. evidence -----------------------------------------------------------------------------------------------------

    /**
     * Every stage the mission left has its artifact. A legacy stage record (a migrated mission's stage that ran on the
     * eight-stage model) counts only where the engine's history shows that stage completed on the legacy model.
     */
    private static void stageEvidence(
            MissionStore.Mission mission,
            List<EvidenceService.Artifact> artifacts,
            Set<Stage> legacyCompleted,
            List<Finding> failures) {
        Set<Stage> withEvidence = new HashSet<>();
        for (EvidenceService.Artifact a : artifacts) {
            if (!isLegacyRecord(a)) {
                withEvidence.add(a.stage());
            } else if (legacyCompleted.contains(a.stage())) {
                withEvidence.add(a.stage());
            } else {
                failures.add(new Finding(
                        STAGE_EVIDENCE,
                        "evidence #" + a.id() + " of " + a.stage().displayName()
                                + " is a legacy stage record, but the engine's history shows no "
                                + a.stage().displayName()
                                + " stage completed on the eight-stage model"));
            }
        }
        for (Stage stage : completedStages(mission)) {
            if (!withEvidence.contains(stage)) {
                failures.add(new Finding(
                        STAGE_EVIDENCE,
                        stage.displayName() + " is completed but has no evidence artifact (" + stage.evidenceTemplate()
                                + ")"));
            }
        }
        for (EvidenceService.Artifact a : artifacts) {
            String actual = Sha256.hex(a.content());
            if (!actual.equals(a.sha256())) {
                failures.add(new Finding(
                        EVIDENCE_INTEGRITY,
                        "evidence #" + a.id() + " of " + a.stage().displayName()
                                + " (" + a.template() + "): stored SHA-256 " + a.sha256()
                                + " does not match its content (" + actual + ")"));
            }
        }
    }

    /** Stages the mission has left: those before its current one, and the last one too once the journey has ended. */
    static List<Stage> completedStages(MissionStore.Mission mission) {
        boolean journeyEnded = mission.status() == MissionStore.Status.COMPLETED
                || mission.status() == MissionStore.Status.ROLLED_BACK;
        return Arrays.stream(Stage.values())
                .filter(s -> s.ordinal() < mission.stage().ordinal() || (journeyEnded && s == mission.stage()))
                .toList();
    }

    // c. undo plans ---------------------------------------------------------------------------------------------------

    private static void undoPlans(MissionStore.Mission mission, Records records, List<Finding> failures) {
        failures.addAll(records.undoFindings.getOrDefault(mission.id(), List.of()));
    }

    // d. safeguard escalations ----------------------------------------------------------------------------------------

    private static void escalations(
            MissionStore.Mission mission, Records records, List<Finding> failures, List<Finding> warnings) {
        List<String> escalatedPlays = records.escalatedPlays.getOrDefault(mission.id(), List.of());
        if (escalatedPlays.isEmpty()) {
            return;
        }
        Map<String, String> playNames = records.playNames.getOrDefault(mission.id(), Map.of());
        Set<String> decidedRunbooks = records.decidedRunbooks;
        Map<String, List<String>> runbooksByPlay = records.runbooksByPlay.getOrDefault(mission.id(), Map.of());
        Set<String> openDecisions = records.openDecisions;

        for (String play : escalatedPlays) {
            String label = "play " + play + " (" + playNames.getOrDefault(play, "unknown play") + ")";
            List<String> runbooks = runbooksByPlay.getOrDefault(play, List.of());
            if (runbooks.isEmpty()) {
                failures.add(new Finding(
                        SAFEGUARD_ESCALATION,
                        label + " escalated a safeguard violation with no "
                                + Checkpoint.VIOLATION_DECISION.displayName()));
                continue;
            }
            for (String runbook : runbooks) {
                if (openDecisions.contains(runbook)) {
                    warnings.add(new Finding(
                            SAFEGUARD_ESCALATION,
                            label + " escalated a safeguard violation; its "
                                    + Checkpoint.VIOLATION_DECISION.displayName() + " is pending (runbook " + runbook
                                    + ")"));
                } else if (!decidedRunbooks.contains(runbook)) {
                    failures.add(new Finding(
                            SAFEGUARD_ESCALATION,
                            label + " escalated a safeguard violation; runbook " + runbook + " ended without a "
                                    + Checkpoint.VIOLATION_DECISION.displayName()));
                }
            }
        }
    }

    /** Reads the engine as the check, not as the caller: a caller's authorizations must not hide runbooks. */
    private <T> T withoutAuthorization(Supplier<T> call) {
        Authentication caller = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        try {
            return call.get();
        } finally {
            if (caller != null) {
                identity.setAuthentication(caller);
            }
        }
    }

    // f. the path the mission took in the engine -------------------------------------------------------------------

    /**
     * Compares the path the mission actually took, read from the engine's history, with its recorded decisions: every
     * completed checkpoint task has its decision row, and each stage was entered only after the decisions that open
     * it (the latest of each before the entry) — so a mission moved past a checkpoint by modification, a forged
     * variable or a skipped listener fails, active or completed. Times are compared on the engine's clock (the
     * deciding task's end in history against the stage's start). Missions migrated from the legacy model are checked
     * for decision rows only: their earlier stages ran on other activities.
     */
    private static void journeyPath(
            MissionStore.Mission mission,
            List<ApprovalStore.Approval> decisions,
            Records records,
            List<Finding> failures) {
        if (mission.processInstanceId() == null) {
            return;
        }
        Set<String> recorded = decisions.stream()
                .map(ApprovalStore.Approval::activityInstanceId)
                .collect(Collectors.toSet());
        Map<String, Date> ended = new HashMap<>();
        for (EndedTask task : records.endedTasks.getOrDefault(mission.id(), List.of())) {
            if (task.end() != null) {
                ended.put(task.activityInstanceId(), task.end());
            }
            if ("completed".equals(task.deleteReason())
                    && Checkpoint.ofTask(task.taskKey()).isPresent()
                    && !recorded.contains(task.activityInstanceId())) {
                failures.add(new Finding(
                        JOURNEY_PATH,
                        task.name() + " (task " + task.id() + ") was completed without a recorded decision"));
            }
        }
        if (records.migratedInstances.contains(mission.processInstanceId())) {
            return;
        }
        List<StageEntry> stages = records.stagesByInstance.getOrDefault(mission.processInstanceId(), List.of());
        for (var stage : stages) {
            Date entered = stage.start();
            for (Map.Entry<Checkpoint, String> gate :
                    STAGE_ENTRY.get(stage.activityId()).entrySet()) {
                ApprovalStore.Approval latest = null;
                for (ApprovalStore.Approval a : decisions) {
                    Date at = ended.get(a.activityInstanceId());
                    if (gate.getKey().taskKey().equals(a.checkpoint()) && at != null && !at.after(entered)) {
                        latest = a;
                    }
                }
                if (gate.getKey() == Checkpoint.RED_PLAY_CONFIRMATION && !records.withRedPlays.contains(mission.id())) {
                    continue;
                }
                if (latest == null || !gate.getValue().equals(latest.decision())) {
                    failures.add(new Finding(
                            JOURNEY_PATH,
                            STAGE_NAMES.get(stage.activityId()) + " was entered at "
                                    + entered.toInstant() + " without "
                                    + gate.getKey().displayName() + " '" + gate.getValue()
                                    + "'"
                                    + (latest == null
                                            ? " (no decision before it)"
                                            : " (the latest was '" + latest.decision() + "' by " + latest.decidedBy()
                                                    + ")")));
                }
            }
        }
    }

    /** The decisions that open each stage (after the checkpoints of the stage before it). */
    private static final Map<String, Map<Checkpoint, String>> STAGE_ENTRY = Map.of(
            MissionJourney.Elements.SUB_PREPARE, Map.of(Checkpoint.INTENT_CONFIRMATION, "approve"),
            MissionJourney.Elements.SUB_PLAN_APPROVE, Map.of(Checkpoint.TOOLKIT_AUTHORIZATION, "authorize"),
            MissionJourney.Elements.SUB_EXECUTE_OBSERVE,
                    Map.of(
                            Checkpoint.PACKET_REVIEW_GOVERNANCE,
                            "approve",
                            Checkpoint.PACKET_REVIEW_OPERATIONS,
                            "approve",
                            Checkpoint.TELEMETRY_HOOKS_VERIFICATION,
                            "verified",
                            Checkpoint.RED_PLAY_CONFIRMATION,
                            "confirm"),
            MissionJourney.Elements.SUB_REFLECT_IMPROVE, Map.of());

    private static final Map<String, String> STAGE_NAMES = Map.of(
            MissionJourney.Elements.SUB_PREPARE, Stage.PREPARE.displayName(),
            MissionJourney.Elements.SUB_PLAN_APPROVE, Stage.PLAN_APPROVE.displayName(),
            MissionJourney.Elements.SUB_EXECUTE_OBSERVE, Stage.EXECUTE_OBSERVE.displayName(),
            MissionJourney.Elements.SUB_REFLECT_IMPROVE, Stage.REFLECT_IMPROVE.displayName());

    // e. telemetry hooks ----------------------------------------------------------------------------------------------

    private static void telemetryHooks(
            List<ApprovalStore.Approval> decisions, List<EvidenceService.Artifact> artifacts, List<Finding> failures) {
        // a five-stage Plan & Approve only: a migrated mission's legacy Plan had no telemetry-hooks checkpoint
        if (artifacts.stream().noneMatch(a -> a.stage() == Stage.PLAN_APPROVE && !isLegacyRecord(a))) {
            return;
        }
        Checkpoint c = Checkpoint.TELEMETRY_HOOKS_VERIFICATION;
        ApprovalStore.Approval latest = null;
        for (ApprovalStore.Approval a : decisions) {
            if (c.taskKey().equals(a.checkpoint())) {
                latest = a;
            }
        }
        if (latest == null) {
            failures.add(new Finding(
                    TELEMETRY_HOOKS,
                    Stage.PLAN_APPROVE.displayName() + " is completed but has no " + c.displayName() + " decision"));
        } else if (!"verified".equals(latest.decision())) {
            failures.add(new Finding(
                    TELEMETRY_HOOKS,
                    Stage.PLAN_APPROVE.displayName() + " is completed but the latest " + c.displayName()
                            + " decision is '" + latest.decision() + "' (by " + latest.decidedBy() + ")"));
        }
    }

    private static String describe(Checkpoint c) {
        return c.displayName() + " (" + c.stage().displayName() + ")";
    }
}
