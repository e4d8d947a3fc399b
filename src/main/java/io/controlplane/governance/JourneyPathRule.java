package io.controlplane.governance;

import static io.controlplane.governance.GovernanceCheck.JOURNEY_PATH;

import io.controlplane.governance.BatchRecords.EndedTask;
import io.controlplane.governance.BatchRecords.StageEntry;
import io.controlplane.governance.GovernanceReport.Finding;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares the path the mission actually took, read from the engine's history, with its recorded decisions: every
 * completed checkpoint task has its decision row, and each stage was entered only after the decisions that open it
 * (the latest of each before the entry) — so a mission moved past a checkpoint by modification, a forged variable or
 * a skipped listener fails, active or completed. Times are compared on the engine's clock (the deciding task's end in
 * history against the stage's start). Missions migrated from the legacy model are checked for decision rows only:
 * their earlier stages ran on other activities.
 */
final class JourneyPathRule {
    /** The decisions that open each stage (after the checkpoints of the stage before it). */
    static final Map<String, Map<Checkpoint, String>> STAGE_ENTRY = Map.of(
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

    private JourneyPathRule() {}

    static void journeyPath(
            MissionStore.Mission mission,
            List<ApprovalStore.Approval> decisions,
            BatchRecords records,
            List<Finding> failures) {
        if (mission.processInstanceId() == null) {
            return;
        }
        Map<String, Date> ended =
                completedWithoutDecision(records.endedTasks.getOrDefault(mission.id(), List.of()), decisions, failures);
        if (records.migratedInstances.contains(mission.processInstanceId())) {
            return;
        }
        boolean redPlays = records.withRedPlays.contains(mission.id());
        for (StageEntry stage : records.stagesByInstance.getOrDefault(mission.processInstanceId(), List.of())) {
            for (Map.Entry<Checkpoint, String> gate :
                    STAGE_ENTRY.get(stage.activityId()).entrySet()) {
                if (gate.getKey() == Checkpoint.RED_PLAY_CONFIRMATION && !redPlays) {
                    continue;
                }
                ApprovalStore.Approval latest = latestBefore(gate.getKey(), stage.start(), decisions, ended);
                if (latest == null || !gate.getValue().equals(latest.decision())) {
                    failures.add(new Finding(JOURNEY_PATH, enteredWithout(stage, gate, latest)));
                }
            }
        }
    }

    /**
     * Adds a finding for every checkpoint task completed without its decision row; returns when each task ended, by
     * activity instance.
     */
    private static Map<String, Date> completedWithoutDecision(
            List<EndedTask> tasks, List<ApprovalStore.Approval> decisions, List<Finding> failures) {
        Set<String> recorded = decisions.stream()
                .map(ApprovalStore.Approval::activityInstanceId)
                .collect(Collectors.toSet());
        Map<String, Date> ended = new HashMap<>();
        for (EndedTask task : tasks) {
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
        return ended;
    }

    /** The checkpoint's latest decision whose task ended no later than the stage's entry, or null. */
    private static ApprovalStore.Approval latestBefore(
            Checkpoint checkpoint, Date entered, List<ApprovalStore.Approval> decisions, Map<String, Date> ended) {
        ApprovalStore.Approval latest = null;
        for (ApprovalStore.Approval a : decisions) {
            Date at = ended.get(a.activityInstanceId());
            if (checkpoint.taskKey().equals(a.checkpoint()) && at != null && !at.after(entered)) {
                latest = a;
            }
        }
        return latest;
    }

    private static String enteredWithout(
            StageEntry stage, Map.Entry<Checkpoint, String> gate, ApprovalStore.Approval latest) {
        return STAGE_NAMES.get(stage.activityId()) + " was entered at "
                + stage.start().toInstant() + " without "
                + gate.getKey().displayName() + " '" + gate.getValue() + "'"
                + (latest == null
                        ? " (no decision before it)"
                        : " (the latest was '" + latest.decision() + "' by " + latest.decidedBy() + ")");
    }
}
