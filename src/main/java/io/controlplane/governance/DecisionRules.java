package io.controlplane.governance;

import static io.controlplane.governance.GovernanceCheck.CHECKPOINT_ROLE;
import static io.controlplane.governance.GovernanceCheck.SEGREGATION_OF_DUTIES;
import static io.controlplane.governance.GovernanceCheck.TELEMETRY_HOOKS;

import io.controlplane.governance.GovernanceReport.Finding;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The rules on the recorded decisions: who may decide a checkpoint, segregation of duties, telemetry hooks. */
final class DecisionRules {
    private DecisionRules() {}

    /** Every decision was taken in a role of its checkpoint's candidate groups (in the deployed models) or as admin. */
    static void checkpointRoles(
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
     * Every recorded decision replayed through the rule the checkpoints enforce ({@link SegregationOfDuties}), with
     * the decisions recorded before it: a decision the checkpoint would refuse today is a finding.
     */
    static void segregationOfDuties(
            MissionStore.Mission mission, List<ApprovalStore.Approval> decisions, List<Finding> failures) {
        for (int i = 0; i < decisions.size(); i++) { // ordered by decided_at, id
            ApprovalStore.Approval a = decisions.get(i);
            Checkpoint c = Checkpoint.ofTask(a.checkpoint()).orElse(null);
            if (c == null) {
                continue;
            }
            SegregationOfDuties.breach(c, a.decidedBy(), mission.owner(), decisions.subList(0, i))
                    .ifPresent(b -> failures.add(new Finding(SEGREGATION_OF_DUTIES, breach(c, a, b))));
        }
    }

    private static String breach(Checkpoint c, ApprovalStore.Approval a, SegregationOfDuties.Breach b) {
        return switch (b.why()) {
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
                describe(c) + " was decided by " + a.decidedBy() + ", who co-signed the preceding approval round";
        };
    }

    /** A five-stage Plan &amp; Approve with evidence has, as its latest telemetry-hooks decision, "verified". */
    static void telemetryHooks(
            List<ApprovalStore.Approval> decisions, List<EvidenceService.Artifact> artifacts, List<Finding> failures) {
        // a five-stage Plan & Approve only: a migrated mission's legacy Plan had no telemetry-hooks checkpoint
        if (artifacts.stream().noneMatch(a -> a.stage() == Stage.PLAN_APPROVE && !EvidenceRules.isLegacyRecord(a))) {
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

    static String describe(Checkpoint c) {
        return c.displayName() + " (" + c.stage().displayName() + ")";
    }
}
