package io.controlplane.governance;

import io.controlplane.governance.GovernanceReport.Finding;
import io.controlplane.governance.GovernanceReport.MissionResult;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.ReportWindow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
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
 * of record is read in one query for a batch of missions ({@link GovernanceRecords}). The rules live by family in
 * {@link DecisionRules}, {@link EvidenceRules}, {@link EscalationRule} and {@link JourneyPathRule}; segregation of
 * duties is replayed through {@link SegregationOfDuties}, the rule the checkpoints enforce.
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

    /** Missions read per batch: each batch costs a constant number of queries, whatever its size up to this. */
    static final int BATCH = 500;

    private static final List<String> ENDED = Arrays.stream(MissionStore.Status.values())
            .filter(s -> s != MissionStore.Status.ACTIVE)
            .map(Enum::name)
            .toList();

    private final MissionStore missions;
    private final NamedParameterJdbcTemplate jdbc;
    private final GovernanceRecords records;
    private final RepositoryService repository;

    GovernanceCheck(
            MissionStore missions,
            NamedParameterJdbcTemplate jdbc,
            GovernanceRecords records,
            RepositoryService repository) {
        this.missions = missions;
        this.jdbc = jdbc;
        this.records = records;
        this.repository = repository;
    }

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
        return report(from, to, checkAll(selected, candidateGroups()));
    }

    /** Every mission ever registered, whatever its status (an audit of the whole history: its cost grows with it). */
    public GovernanceReport checkHistory() {
        Map<String, List<String>> groups = candidateGroups();
        List<MissionResult> results = new ArrayList<>();
        int page = 0;
        List<MissionStore.Mission> batch;
        do {
            batch = missions.list(null, null, page++, BATCH);
            results.addAll(checkAll(batch, groups));
        } while (batch.size() == BATCH);
        return report(null, null, results);
    }

    /** One mission, whatever its status; an unknown id is a {@link NotFoundException}. */
    public GovernanceReport checkMission(String missionId) {
        MissionStore.Mission mission = missions.find(missionId)
                .orElseThrow(() -> new NotFoundException("Mission " + missionId + " does not exist"));
        return report(null, null, checkAll(List.of(mission), candidateGroups()));
    }

    private static GovernanceReport report(Instant from, Instant to, List<MissionResult> results) {
        int passed = (int) results.stream().filter(MissionResult::passed).count();
        return new GovernanceReport(
                from,
                to,
                new GovernanceReport.Summary(Instant.now(), results.size(), passed, results.size() - passed),
                results);
    }

    /** The missions in batches of {@link #BATCH}, each batch's records read at once; the groups read once a run. */
    private List<MissionResult> checkAll(List<MissionStore.Mission> all, Map<String, List<String>> candidateGroups) {
        List<MissionResult> results = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i += BATCH) {
            List<MissionStore.Mission> batch = all.subList(i, Math.min(all.size(), i + BATCH));
            BatchRecords read = records.read(batch);
            for (MissionStore.Mission m : batch) {
                results.add(check(m, read, candidateGroups));
            }
        }
        return results;
    }

    private static MissionResult check(
            MissionStore.Mission mission, BatchRecords records, Map<String, List<String>> candidateGroups) {
        List<Finding> failures = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        List<ApprovalStore.Approval> decisions = records.decisions(mission.id());
        List<EvidenceService.Artifact> artifacts = records.artifacts(mission.id());
        Set<Stage> legacyStages = records.legacyStages.getOrDefault(mission.processInstanceId(), Set.of());

        DecisionRules.checkpointRoles(decisions, candidateGroups, failures);
        DecisionRules.segregationOfDuties(mission, decisions, failures);
        EvidenceRules.stageEvidence(mission, artifacts, legacyStages, failures);
        EvidenceRules.undoPlans(records.playsWithoutUndo.getOrDefault(mission.id(), List.of()), failures);
        EscalationRule.escalations(mission.id(), records, failures, warnings);
        DecisionRules.telemetryHooks(decisions, artifacts, failures);
        JourneyPathRule.journeyPath(mission, decisions, records, failures);

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

    /**
     * The candidate groups of every checkpoint's user task, read from the deployed models (the latest version of
     * each process), as Tasklist and {@link CheckpointDecisions} apply them: the check restates no BPMN. Read once
     * per check run, not per batch.
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
}
