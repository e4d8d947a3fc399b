package io.controlplane.governance;

import static io.controlplane.governance.GovernanceCheck.EVIDENCE_INTEGRITY;
import static io.controlplane.governance.GovernanceCheck.STAGE_EVIDENCE;
import static io.controlplane.governance.GovernanceCheck.UNDO_PLAN;

import io.controlplane.governance.BatchRecords.PlayWithoutUndo;
import io.controlplane.governance.GovernanceReport.Finding;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.Sha256;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules on what the mission left behind: each stage's evidence, its integrity, and undo plans. */
final class EvidenceRules {
    private EvidenceRules() {}

    static boolean isLegacyRecord(EvidenceService.Artifact a) {
        return EvidenceService.LEGACY_RECORD_TEMPLATE.equals(a.template());
    }

    /**
     * Every stage the mission left has its artifact. A legacy stage record (a migrated mission's stage that ran on the
     * eight-stage model) counts only where the engine's history shows that stage completed on the legacy model.
     */
    static void stageEvidence(
            MissionStore.Mission mission,
            List<EvidenceService.Artifact> artifacts,
            Set<Stage> legacyCompleted,
            List<Finding> failures) {
        Set<Stage> withEvidence = new HashSet<>();
        for (EvidenceService.Artifact a : artifacts) {
            if (!isLegacyRecord(a) || legacyCompleted.contains(a.stage())) {
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
        integrity(artifacts, failures);
    }

    /** Each artifact's stored SHA-256 is its content's. */
    private static void integrity(List<EvidenceService.Artifact> artifacts, List<Finding> failures) {
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

    /** No mutating play was executed without an undo plan. */
    static void undoPlans(List<PlayWithoutUndo> plays, List<Finding> failures) {
        for (PlayWithoutUndo p : plays) {
            failures.add(new Finding(
                    UNDO_PLAN,
                    "play " + p.playId() + " (" + p.name() + ", round " + p.round()
                            + ") is mutating and was executed without an undo plan"));
        }
    }
}
