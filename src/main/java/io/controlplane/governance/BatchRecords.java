package io.controlplane.governance;

import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.Stage;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the rules read about a batch of missions, by mission id (or by process instance id where so named),
 * each kind of record read in one query for the whole batch ({@link GovernanceRecords}).
 */
final class BatchRecords {
    /** A mutating play executed without an undo plan. */
    record PlayWithoutUndo(String playId, String name, int round) {}

    /** A task that ended, as the journey-path rule reads it from history. */
    record EndedTask(
            String id, String name, String taskKey, String activityInstanceId, Date end, String deleteReason) {}

    /** A stage sub-process instance: where and when the mission entered a stage. */
    record StageEntry(String activityId, Date start) {}

    final Map<String, List<ApprovalStore.Approval>> decisions = new HashMap<>();
    final Map<String, List<EvidenceService.Artifact>> artifacts = new HashMap<>();
    final Map<String, List<PlayWithoutUndo>> playsWithoutUndo = new HashMap<>();
    final Map<String, List<String>> escalatedPlays = new HashMap<>();
    final Map<String, Map<String, String>> playNames = new HashMap<>();
    /** the safeguard-violation runbooks with a recorded violation decision */
    final Set<String> decidedRunbooks = new HashSet<>();
    /** by mission, then by the play that escalated: its safeguard-violation runbooks in start order */
    final Map<String, Map<String, List<String>>> runbooksByPlay = new HashMap<>();
    /** the safeguard-violation runbooks whose violation decision is still open */
    final Set<String> openDecisions = new HashSet<>();

    final Map<String, List<EndedTask>> endedTasks = new HashMap<>();
    /** by process instance */
    final Map<String, List<StageEntry>> stagesByInstance = new HashMap<>();
    /** process instances migrated from the legacy model */
    final Set<String> migratedInstances = new HashSet<>();
    /** missions whose latest approval round holds a red play */
    final Set<String> withRedPlays = new HashSet<>();
    /** by process instance: the stages the engine's history shows completed on the eight-stage model */
    final Map<String, Set<Stage>> legacyStages = new HashMap<>();

    List<ApprovalStore.Approval> decisions(String missionId) {
        return decisions.getOrDefault(missionId, List.of());
    }

    List<EvidenceService.Artifact> artifacts(String missionId) {
        return artifacts.getOrDefault(missionId, List.of());
    }
}
