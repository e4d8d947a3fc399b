package io.controlplane.governance;

import io.controlplane.governance.GovernanceReport.Finding;
import io.controlplane.governance.GovernanceReport.MissionResult;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.Roles;
import io.controlplane.platform.Sha256;
import java.time.Instant;
import java.util.ArrayList;
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
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The governance check the operations guide has Operations Command run for active missions ({@code governance-check}):
 * it re-reads the stored records — checkpoint decisions, evidence, plays, agent steps — and reports every mission whose
 * records break a governance rule. It only reads.
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

    /**
     * Checkpoints whose user task has a second candidate group (bpmn: {@code candidateGroups="a,b"}); every other
     * checkpoint's only group is its {@link Checkpoint#role()}.
     */
    private static final Map<Checkpoint, String> SECOND_CANDIDATE_GROUP = Map.of(
            Checkpoint.RED_PLAY_CONFIRMATION, Roles.OPERATIONS_COMMAND,
            Checkpoint.COVERAGE_OVERRIDE_APPROVAL, Roles.OPERATIONS_COMMAND);

    private final MissionStore missions;
    private final ApprovalStore approvals;
    private final EvidenceService evidence;
    private final NamedParameterJdbcTemplate jdbc;
    private final HistoryService history;
    private final TaskService tasks;
    private final IdentityService identity;

    GovernanceCheck(MissionStore missions, ApprovalStore approvals, EvidenceService evidence,
                    NamedParameterJdbcTemplate jdbc, HistoryService history, TaskService tasks, IdentityService identity) {
        this.missions = missions;
        this.approvals = approvals;
        this.evidence = evidence;
        this.jdbc = jdbc;
        this.history = history;
        this.tasks = tasks;
        this.identity = identity;
    }

    /** Every ACTIVE and every COMPLETED mission: a mission that finished is still checked for the path it took. */
    public GovernanceReport checkActive() {
        List<MissionStore.Mission> checked = new ArrayList<>();
        for (MissionStore.Status status : List.of(MissionStore.Status.ACTIVE, MissionStore.Status.COMPLETED)) {
            int page = 0;
            List<MissionStore.Mission> batch;
            do {
                batch = missions.list(null, status, page++, 500);
                checked.addAll(batch);
            } while (batch.size() == 500);
        }
        return report(checked.stream().map(this::check).toList());
    }

    /** One mission, whatever its status; an unknown id is a {@link NotFoundException}. */
    public GovernanceReport checkMission(String missionId) {
        MissionStore.Mission mission = missions.find(missionId)
                .orElseThrow(() -> new NotFoundException("Mission " + missionId + " does not exist"));
        return report(List.of(check(mission)));
    }

    private static GovernanceReport report(List<MissionResult> results) {
        int passed = (int) results.stream().filter(MissionResult::passed).count();
        return new GovernanceReport(new GovernanceReport.Summary(Instant.now(), results.size(), passed,
                results.size() - passed), results);
    }

    MissionResult check(MissionStore.Mission mission) {
        List<Finding> failures = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        List<ApprovalStore.Approval> decisions = approvals.forMission(mission.id());
        List<EvidenceService.Artifact> artifacts = evidence.artifacts(mission.id());

        checkpointRoles(decisions, failures);
        segregationOfDuties(mission, decisions, failures);
        stageEvidence(mission, artifacts, failures);
        undoPlans(mission, failures);
        escalations(mission, failures, warnings);
        telemetryHooks(decisions, artifacts, failures);
        journeyPath(mission, decisions, failures);

        return new MissionResult(mission.id(), mission.title(), mission.stage(), failures.isEmpty(), List.copyOf(failures),
                List.copyOf(warnings));
    }

    // a. roles and segregation of duties ------------------------------------------------------------------------------

    private static void checkpointRoles(List<ApprovalStore.Approval> decisions, List<Finding> failures) {
        for (ApprovalStore.Approval a : decisions) {
            Checkpoint c = Checkpoint.ofTask(a.checkpoint()).orElse(null);
            if (c == null) {
                failures.add(new Finding(CHECKPOINT_ROLE, "decision #" + a.id() + " by " + a.decidedBy()
                        + " names an unknown checkpoint '" + a.checkpoint() + "'"));
                continue;
            }
            List<String> allowed = allowedRoles(c);
            if (!allowed.contains(a.role())) {
                failures.add(new Finding(CHECKPOINT_ROLE, describe(c) + " was decided by " + a.decidedBy()
                        + " in role " + a.role() + "; allowed: " + String.join(", ", allowed)));
            }
        }
    }

    static List<String> allowedRoles(Checkpoint c) {
        List<String> allowed = new ArrayList<>();
        allowed.add(c.role());
        if (SECOND_CANDIDATE_GROUP.containsKey(c)) {
            allowed.add(SECOND_CANDIDATE_GROUP.get(c));
        }
        allowed.add(Roles.ADMIN);
        return allowed;
    }

    private static void segregationOfDuties(MissionStore.Mission mission, List<ApprovalStore.Approval> decisions,
                                            List<Finding> failures) {
        List<ApprovalStore.Approval> governance = new ArrayList<>();
        List<ApprovalStore.Approval> operations = new ArrayList<>();
        ApprovalStore.Approval overrideRequest = null;
        for (ApprovalStore.Approval a : decisions) { // ordered by decided_at
            Checkpoint c = Checkpoint.ofTask(a.checkpoint()).orElse(null);
            if (c == null) {
                continue;
            }
            if (c.reviewer() != Checkpoint.Reviewer.ANYONE && Objects.equals(a.decidedBy(), mission.owner())) {
                failures.add(new Finding(SEGREGATION_OF_DUTIES, describe(c) + " was decided by " + a.decidedBy()
                        + ", the mission owner"));
            }
            switch (c.reviewer()) {
                case GOVERNANCE_CO_SIGNER -> governance.add(a);
                case OPERATIONS_CO_SIGNER -> operations.add(a);
                case SECOND_CONFIRMATION -> {
                    String gv = governance.isEmpty() ? null : governance.get(governance.size() - 1).decidedBy();
                    String oc = operations.isEmpty() ? null : operations.get(operations.size() - 1).decidedBy();
                    if (Objects.equals(a.decidedBy(), gv) || Objects.equals(a.decidedBy(), oc)) {
                        failures.add(new Finding(SEGREGATION_OF_DUTIES, describe(c) + " was decided by "
                                + a.decidedBy() + ", who co-signed the preceding approval round"));
                    }
                }
                case SECOND_APPROVER -> {
                    if (overrideRequest != null && Objects.equals(a.decidedBy(), overrideRequest.decidedBy())) {
                        failures.add(new Finding(SEGREGATION_OF_DUTIES, describe(c) + " was decided by "
                                + a.decidedBy() + ", who requested the override in "
                                + Checkpoint.COVERAGE_GAP_DECISION.displayName()));
                    }
                }
                default -> {
                }
            }
            if (c == Checkpoint.COVERAGE_GAP_DECISION && "override".equals(a.decision())) {
                overrideRequest = a;
            }
        }
        for (int i = 0; i < Math.min(governance.size(), operations.size()); i++) {
            if (Objects.equals(governance.get(i).decidedBy(), operations.get(i).decidedBy())) {
                failures.add(new Finding(SEGREGATION_OF_DUTIES, "approval round " + (i + 1) + ": "
                        + governance.get(i).decidedBy() + " co-signed both "
                        + Checkpoint.PACKET_REVIEW_GOVERNANCE.displayName() + " and "
                        + Checkpoint.PACKET_REVIEW_OPERATIONS.displayName()));
            }
        }
    }

    // b. evidence -----------------------------------------------------------------------------------------------------

    private static void stageEvidence(MissionStore.Mission mission, List<EvidenceService.Artifact> artifacts,
                                      List<Finding> failures) {
        Set<Stage> withEvidence = artifacts.stream().map(EvidenceService.Artifact::stage).collect(Collectors.toSet());
        for (Stage stage : completedStages(mission)) {
            if (!withEvidence.contains(stage)) {
                failures.add(new Finding(STAGE_EVIDENCE, stage.displayName() + " is completed but has no evidence artifact ("
                        + stage.evidenceTemplate() + ")"));
            }
        }
        for (EvidenceService.Artifact a : artifacts) {
            String actual = Sha256.hex(a.content());
            if (!actual.equals(a.sha256())) {
                failures.add(new Finding(EVIDENCE_INTEGRITY, "evidence #" + a.id() + " of " + a.stage().displayName()
                        + " (" + a.template() + "): stored SHA-256 " + a.sha256()
                        + " does not match its content (" + actual + ")"));
            }
        }
    }

    /** Stages the mission has left: those before its current one, and the last one too once the journey has ended. */
    static List<Stage> completedStages(MissionStore.Mission mission) {
        boolean journeyEnded = mission.status() == MissionStore.Status.COMPLETED
                || mission.status() == MissionStore.Status.ROLLED_BACK;
        return java.util.Arrays.stream(Stage.values())
                .filter(s -> s.ordinal() < mission.stage().ordinal() || (journeyEnded && s == mission.stage()))
                .toList();
    }

    // c. undo plans ---------------------------------------------------------------------------------------------------

    private void undoPlans(MissionStore.Mission mission, List<Finding> failures) {
        jdbc.query("SELECT approval_round, play_id, name FROM mission_plays WHERE mission_id = :id AND mutating = TRUE "
                        + "AND executed_at IS NOT NULL AND undo_plan_json IS NULL ORDER BY approval_round, play_rank",
                new MapSqlParameterSource("id", mission.id()), rs -> {
                    failures.add(new Finding(UNDO_PLAN, "play " + rs.getString("play_id") + " (" + rs.getString("name")
                            + ", round " + rs.getInt("approval_round") + ") is mutating and was executed without an undo plan"));
                });
    }

    // d. safeguard escalations ----------------------------------------------------------------------------------------

    private void escalations(MissionStore.Mission mission, List<Finding> failures, List<Finding> warnings) {
        MapSqlParameterSource params = new MapSqlParameterSource("id", mission.id())
                .addValue("checkpoint", Checkpoint.VIOLATION_DECISION.taskKey());
        List<String> escalatedPlays = jdbc.queryForList("SELECT DISTINCT play_id FROM mission_steps WHERE mission_id = :id "
                + "AND safeguard_outcome = 'escalate' ORDER BY play_id", params, String.class);
        if (escalatedPlays.isEmpty()) {
            return;
        }
        Map<String, String> playNames = new HashMap<>();
        jdbc.query("SELECT play_id, name FROM mission_plays WHERE mission_id = :id ORDER BY approval_round",
                params, rs -> {
                    playNames.put(rs.getString("play_id"), rs.getString("name"));
                });
        Set<String> decidedRunbooks = new HashSet<>(jdbc.queryForList("SELECT process_instance_id FROM mission_approvals "
                + "WHERE mission_id = :id AND checkpoint = :checkpoint", params, String.class));

        // the safeguard-violation runbooks of this mission, by the play that escalated (their playId variable)
        Map<String, List<String>> runbooksByPlay = new LinkedHashMap<>();
        Set<String> openDecisions = new HashSet<>();
        withoutAuthorization(() -> {
            List<String> runbooks = history.createHistoricProcessInstanceQuery()
                    .processDefinitionKey(Runbooks.SAFEGUARD_VIOLATION).processInstanceBusinessKey(mission.id())
                    .orderByProcessInstanceStartTime().asc().list().stream().map(HistoricProcessInstance::getId).toList();
            if (!runbooks.isEmpty()) {
                for (HistoricVariableInstance v : history.createHistoricVariableInstanceQuery()
                        .processInstanceIdIn(runbooks.toArray(String[]::new))
                        .variableName(MissionJourney.Vars.PLAY_ID).list()) {
                    if (v.getValue() instanceof String play && v.getProcessInstanceId().equals(v.getExecutionId())) {
                        runbooksByPlay.computeIfAbsent(play, p -> new ArrayList<>()).add(v.getProcessInstanceId());
                    }
                }
            }
            tasks.createTaskQuery().processDefinitionKey(Runbooks.SAFEGUARD_VIOLATION)
                    .processInstanceBusinessKey(mission.id()).taskDefinitionKey(Checkpoint.VIOLATION_DECISION.taskKey())
                    .list().stream().map(Task::getProcessInstanceId).forEach(openDecisions::add);
            return null;
        });

        for (String play : escalatedPlays) {
            String label = "play " + play + " (" + playNames.getOrDefault(play, "unknown play") + ")";
            List<String> runbooks = runbooksByPlay.getOrDefault(play, List.of());
            if (runbooks.isEmpty()) {
                failures.add(new Finding(SAFEGUARD_ESCALATION, label + " escalated a safeguard violation with no "
                        + Checkpoint.VIOLATION_DECISION.displayName()));
                continue;
            }
            for (String runbook : runbooks) {
                if (openDecisions.contains(runbook)) {
                    warnings.add(new Finding(SAFEGUARD_ESCALATION, label + " escalated a safeguard violation; its "
                            + Checkpoint.VIOLATION_DECISION.displayName() + " is pending (runbook " + runbook + ")"));
                } else if (!decidedRunbooks.contains(runbook)) {
                    failures.add(new Finding(SAFEGUARD_ESCALATION, label + " escalated a safeguard violation; runbook "
                            + runbook + " ended without a " + Checkpoint.VIOLATION_DECISION.displayName()));
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
    private void journeyPath(MissionStore.Mission mission, List<ApprovalStore.Approval> decisions, List<Finding> failures) {
        if (mission.processInstanceId() == null) {
            return;
        }
        Set<String> recorded = decisions.stream().map(ApprovalStore.Approval::activityInstanceId).collect(Collectors.toSet());
        Map<String, java.util.Date> ended = new HashMap<>();
        List<org.camunda.bpm.engine.history.HistoricActivityInstance> stages = new ArrayList<>();
        withoutAuthorization(() -> {
            for (var task : history.createHistoricTaskInstanceQuery().processInstanceBusinessKey(mission.id()).finished().list()) {
                if (task.getEndTime() != null) {
                    ended.put(task.getActivityInstanceId(), task.getEndTime());
                }
                if ("completed".equals(task.getDeleteReason()) && Checkpoint.ofTask(task.getTaskDefinitionKey()).isPresent()
                        && !recorded.contains(task.getActivityInstanceId())) {
                    failures.add(new Finding(JOURNEY_PATH, task.getName() + " (task " + task.getId()
                            + ") was completed without a recorded decision"));
                }
            }
            for (var a : history.createHistoricActivityInstanceQuery().processInstanceId(mission.processInstanceId())
                    .activityType("subProcess").list()) {
                if (MissionJourney.PROCESS_KEY.equals(a.getProcessDefinitionKey()) && STAGE_ENTRY.containsKey(a.getActivityId())) {
                    stages.add(a);
                }
            }
            return null;
        });
        boolean migrated = Boolean.TRUE.equals(jdbc.queryForObject("SELECT COUNT(*) > 0 FROM legacy_migration_instances "
                + "WHERE process_instance_id = :pi", new MapSqlParameterSource("pi", mission.processInstanceId()), Boolean.class));
        if (migrated) {
            return;
        }
        for (var stage : stages) {
            java.util.Date entered = stage.getStartTime();
            for (Map.Entry<Checkpoint, String> gate : STAGE_ENTRY.get(stage.getActivityId()).entrySet()) {
                ApprovalStore.Approval latest = null;
                for (ApprovalStore.Approval a : decisions) {
                    java.util.Date at = ended.get(a.activityInstanceId());
                    if (gate.getKey().taskKey().equals(a.checkpoint()) && at != null && !at.after(entered)) {
                        latest = a;
                    }
                }
                if (gate.getKey() == Checkpoint.RED_PLAY_CONFIRMATION && !hadRedPlays(mission)) {
                    continue;
                }
                if (latest == null || !gate.getValue().equals(latest.decision())) {
                    failures.add(new Finding(JOURNEY_PATH, STAGE_NAMES.get(stage.getActivityId()) + " was entered at "
                            + entered.toInstant() + " without " + gate.getKey().displayName() + " '" + gate.getValue()
                            + "'" + (latest == null ? " (no decision before it)" : " (the latest was '"
                            + latest.decision() + "' by " + latest.decidedBy() + ")")));
                }
            }
        }
    }

    /** Whether the plan that went to execution had red plays (then it needed the red-play confirmation). */
    private boolean hadRedPlays(MissionStore.Mission mission) {
        Integer red = jdbc.queryForObject("SELECT COUNT(*) FROM mission_plays WHERE mission_id = :id AND risk_grade = 'red' "
                + "AND approval_round = (SELECT MAX(approval_round) FROM mission_plays WHERE mission_id = :id)",
                new MapSqlParameterSource("id", mission.id()), Integer.class);
        return red != null && red > 0;
    }

    /** The decisions that open each stage (after the checkpoints of the stage before it). */
    private static final Map<String, Map<Checkpoint, String>> STAGE_ENTRY = Map.of(
            MissionJourney.Elements.SUB_PREPARE, Map.of(Checkpoint.INTENT_CONFIRMATION, "approve"),
            MissionJourney.Elements.SUB_PLAN_APPROVE, Map.of(Checkpoint.TOOLKIT_AUTHORIZATION, "authorize"),
            MissionJourney.Elements.SUB_EXECUTE_OBSERVE, Map.of(Checkpoint.PACKET_REVIEW_GOVERNANCE, "approve",
                    Checkpoint.PACKET_REVIEW_OPERATIONS, "approve", Checkpoint.TELEMETRY_HOOKS_VERIFICATION, "verified",
                    Checkpoint.RED_PLAY_CONFIRMATION, "confirm"),
            MissionJourney.Elements.SUB_REFLECT_IMPROVE, Map.of());

    private static final Map<String, String> STAGE_NAMES = Map.of(
            MissionJourney.Elements.SUB_PREPARE, Stage.PREPARE.displayName(),
            MissionJourney.Elements.SUB_PLAN_APPROVE, Stage.PLAN_APPROVE.displayName(),
            MissionJourney.Elements.SUB_EXECUTE_OBSERVE, Stage.EXECUTE_OBSERVE.displayName(),
            MissionJourney.Elements.SUB_REFLECT_IMPROVE, Stage.REFLECT_IMPROVE.displayName());

    // e. telemetry hooks ----------------------------------------------------------------------------------------------

    private static void telemetryHooks(List<ApprovalStore.Approval> decisions, List<EvidenceService.Artifact> artifacts,
                                       List<Finding> failures) {
        if (artifacts.stream().noneMatch(a -> a.stage() == Stage.PLAN_APPROVE)) {
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
            failures.add(new Finding(TELEMETRY_HOOKS, Stage.PLAN_APPROVE.displayName() + " is completed but has no "
                    + c.displayName() + " decision"));
        } else if (!"verified".equals(latest.decision())) {
            failures.add(new Finding(TELEMETRY_HOOKS, Stage.PLAN_APPROVE.displayName() + " is completed but the latest "
                    + c.displayName() + " decision is '" + latest.decision() + "' (by " + latest.decidedBy() + ")"));
        }
    }

    private static String describe(Checkpoint c) {
        return c.displayName() + " (" + c.stage().displayName() + ")";
    }
}
