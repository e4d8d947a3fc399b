package io.controlplane.governance;

import static io.controlplane.governance.GovernanceCheck.SAFEGUARD_ESCALATION;

import io.controlplane.governance.GovernanceReport.Finding;
import java.util.List;
import java.util.Map;

/**
 * Every play that escalated a safeguard violation has its safeguard-violation runbook, and each runbook its violation
 * decision: decided (passes), pending (a warning) or ended without one (a failure).
 */
final class EscalationRule {
    private static final String DECISION = Checkpoint.VIOLATION_DECISION.displayName();

    private EscalationRule() {}

    static void escalations(String missionId, BatchRecords records, List<Finding> failures, List<Finding> warnings) {
        List<String> escalatedPlays = records.escalatedPlays.getOrDefault(missionId, List.of());
        Map<String, String> playNames = records.playNames.getOrDefault(missionId, Map.of());
        Map<String, List<String>> runbooksByPlay = records.runbooksByPlay.getOrDefault(missionId, Map.of());
        for (String play : escalatedPlays) {
            String label = "play " + play + " (" + playNames.getOrDefault(play, "unknown play") + ")";
            List<String> runbooks = runbooksByPlay.getOrDefault(play, List.of());
            if (runbooks.isEmpty()) {
                failures.add(new Finding(
                        SAFEGUARD_ESCALATION, label + " escalated a safeguard violation with no " + DECISION));
            }
            for (String runbook : runbooks) {
                if (records.openDecisions.contains(runbook)) {
                    warnings.add(new Finding(
                            SAFEGUARD_ESCALATION,
                            label + " escalated a safeguard violation; its " + DECISION + " is pending (runbook "
                                    + runbook + ")"));
                } else if (!records.decidedRunbooks.contains(runbook)) {
                    failures.add(new Finding(
                            SAFEGUARD_ESCALATION,
                            label + " escalated a safeguard violation; runbook " + runbook + " ended without a "
                                    + DECISION));
                }
            }
        }
    }
}
