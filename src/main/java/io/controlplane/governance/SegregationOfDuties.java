package io.controlplane.governance;

import io.controlplane.governance.Decision.CoverageGapDecision;
import io.controlplane.mission.ApprovalStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The segregation-of-duties rule, once: who may not decide a checkpoint, given the mission's owner and the decisions
 * recorded before this one (never process variables a caller could have written). {@link CheckpointDecisions}
 * refuses a completion that breaks it; {@link GovernanceCheck} replays every recorded decision through it, so the
 * check and the checkpoints cannot disagree.
 */
final class SegregationOfDuties {
    private SegregationOfDuties() {}

    /** Why a decision breaks the rule. */
    enum Why {
        /** the mission's owner decided a checkpoint that must be someone else's */
        OWNER,
        /** the same person co-signed both packet reviews of one approval round */
        BOTH_CO_SIGNATURES,
        /** the person who requested a coverage override approved it too */
        OVERRIDE_REQUESTER,
        /** a co-signer of the approval round confirmed its red plays */
        CO_SIGNER_CONFIRMS
    }

    /**
     * A breach: what, and of whom.
     *
     * @param other the other decision's person (the other co-signer, the override's requester), if any
     * @param round the approval round (1-based) of a packet co-signature
     */
    record Breach(Why why, String user, String other, int round) {}

    /**
     * Why {@code user} may not decide {@code c} on a mission owned by {@code owner} (empty: they may).
     *
     * @param before the mission's recorded decisions before this one, ordered by decided_at, id
     */
    static Optional<Breach> breach(Checkpoint c, String user, String owner, List<ApprovalStore.Approval> before) {
        return breach(c, user, owner, () -> before);
    }

    /**
     * As above, reading the recorded decisions only when the reviewer's rule needs them (the others need only the
     * owner), so a completion queries {@code mission_approvals} only for the checkpoints whose rule reads it.
     */
    static Optional<Breach> breach(
            Checkpoint c, String user, String owner, Supplier<List<ApprovalStore.Approval>> recorded) {
        boolean isOwner = owner != null && Objects.equals(user, owner);
        if (c.reviewer() != Checkpoint.Reviewer.ANYONE && isOwner) {
            return Optional.of(new Breach(Why.OWNER, user, null, 0));
        }
        return switch (c.reviewer()) {
            case ANYONE, NOT_OWNER -> Optional.empty();
            case GOVERNANCE_CO_SIGNER, OPERATIONS_CO_SIGNER -> {
                Checkpoint other = c.reviewer() == Checkpoint.Reviewer.GOVERNANCE_CO_SIGNER
                        ? Checkpoint.PACKET_REVIEW_OPERATIONS
                        : Checkpoint.PACKET_REVIEW_GOVERNANCE;
                Round round = currentRound(recorded.get(), c.taskKey());
                yield Objects.equals(user, round.signers().get(other.taskKey()))
                        ? Optional.of(new Breach(Why.BOTH_CO_SIGNATURES, user, user, round.number()))
                        : Optional.empty();
            }
            case SECOND_APPROVER -> {
                String requester = latest(
                        recorded.get(),
                        Checkpoint.COVERAGE_GAP_DECISION,
                        a -> CoverageGapDecision.OVERRIDE.value().equals(a.decision()));
                yield Objects.equals(user, requester)
                        ? Optional.of(new Breach(Why.OVERRIDE_REQUESTER, user, requester, 0))
                        : Optional.empty();
            }
            case SECOND_CONFIRMATION -> {
                List<ApprovalStore.Approval> before = recorded.get();
                String governance = latest(before, Checkpoint.PACKET_REVIEW_GOVERNANCE, a -> true);
                String operations = latest(before, Checkpoint.PACKET_REVIEW_OPERATIONS, a -> true);
                yield Objects.equals(user, governance) || Objects.equals(user, operations)
                        ? Optional.of(new Breach(Why.CO_SIGNER_CONFIRMS, user, user, 0))
                        : Optional.empty();
            }
        };
    }

    /** Who made the latest recorded decision of {@code checkpoint} that matches {@code which}. */
    private static String latest(
            List<ApprovalStore.Approval> decided, Checkpoint checkpoint, Predicate<ApprovalStore.Approval> which) {
        String by = null;
        for (ApprovalStore.Approval a : decided) { // ordered by decided_at
            if (checkpoint.taskKey().equals(a.checkpoint()) && which.test(a)) {
                by = a.decidedBy();
            }
        }
        return by;
    }

    /** One approval round: its number (1-based) and who decided each of its packet checkpoints so far. */
    record Round(int number, Map<String, String> signers) {}

    /**
     * The approval round a decision of {@code checkpoint} belongs to, from the records alone: a round holds one
     * decision of each of the three packet tasks (the gateway waits for all three), so the rows since the last
     * complete round are the current one, and a second decision of the same task starts the next.
     */
    static Round currentRound(List<ApprovalStore.Approval> decided, String checkpoint) {
        Set<String> packet = Set.of(
                Checkpoint.PACKET_REVIEW_GOVERNANCE.taskKey(),
                Checkpoint.PACKET_REVIEW_OPERATIONS.taskKey(),
                Checkpoint.TELEMETRY_HOOKS_VERIFICATION.taskKey());
        Map<String, String> round = new HashMap<>();
        int number = 1;
        for (ApprovalStore.Approval a : decided) { // ordered by decided_at, id
            if (packet.contains(a.checkpoint())) {
                if (round.size() == packet.size() || round.containsKey(a.checkpoint())) {
                    round.clear();
                    number++;
                }
                round.put(a.checkpoint(), a.decidedBy());
            }
        }
        if (checkpoint != null && (round.size() == packet.size() || round.containsKey(checkpoint))) {
            return new Round(number + 1, Map.of());
        }
        return new Round(number, round);
    }
}
