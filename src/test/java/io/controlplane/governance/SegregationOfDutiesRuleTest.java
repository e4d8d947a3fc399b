package io.controlplane.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.governance.SegregationOfDuties.Why;
import io.controlplane.mission.ApprovalStore.Approval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one segregation-of-duties rule that both the checkpoints (refusing a completion) and the governance check
 * (replaying the records) apply, on recorded decisions alone.
 */
class SegregationOfDutiesRuleTest {
    private final List<Approval> recorded = new ArrayList<>();

    private void decided(Checkpoint c, String by, String decision) {
        recorded.add(new Approval(
                recorded.size() + 1,
                "m",
                "a" + recorded.size(),
                c.taskKey(),
                c.displayName(),
                c.stage(),
                by,
                c.role(),
                decision,
                null,
                Instant.EPOCH.plusSeconds(recorded.size()),
                null));
    }

    private Why why(Checkpoint c, String user) {
        return SegregationOfDuties.breach(c, user, "mo", recorded)
                .map(SegregationOfDuties.Breach::why)
                .orElse(null);
    }

    @Test
    void theOwnerDecidesOnlyTheirOwnSteps() {
        assertThat(why(Checkpoint.INTENT_CONFIRMATION, "mo")).isEqualTo(Why.OWNER);
        assertThat(why(Checkpoint.PACKET_REVIEW_GOVERNANCE, "mo")).isEqualTo(Why.OWNER);
        assertThat(why(Checkpoint.MISSION_FEEDBACK, "mo")).isNull();
        assertThat(why(Checkpoint.INTENT_CONFIRMATION, "gv")).isNull();
    }

    @Test
    void oneRoundsTwoCoSignaturesComeFromTwoPeopleAndANewRoundStartsAfresh() {
        decided(Checkpoint.PACKET_REVIEW_GOVERNANCE, "dual", "approve");
        var breach = SegregationOfDuties.breach(Checkpoint.PACKET_REVIEW_OPERATIONS, "dual", "mo", recorded);
        assertThat(breach).get().satisfies(b -> {
            assertThat(b.why()).isEqualTo(Why.BOTH_CO_SIGNATURES);
            assertThat(b.round()).isEqualTo(1);
        });
        decided(Checkpoint.PACKET_REVIEW_OPERATIONS, "oc", "reject");
        decided(Checkpoint.TELEMETRY_HOOKS_VERIFICATION, "ta", "verified");

        // round 2: dual signed governance in round 1, and may sign operations now
        assertThat(why(Checkpoint.PACKET_REVIEW_OPERATIONS, "dual")).isNull();
        decided(Checkpoint.PACKET_REVIEW_OPERATIONS, "dual", "approve");
        assertThat(SegregationOfDuties.breach(Checkpoint.PACKET_REVIEW_GOVERNANCE, "dual", "mo", recorded))
                .get()
                .satisfies(b -> assertThat(b.round()).isEqualTo(2));
        assertThat(why(Checkpoint.PACKET_REVIEW_GOVERNANCE, "gv")).isNull();
    }

    @Test
    void redPlaysAndOverridesNeedAThirdPerson() {
        decided(Checkpoint.PACKET_REVIEW_GOVERNANCE, "gv", "approve");
        decided(Checkpoint.PACKET_REVIEW_OPERATIONS, "oc", "approve");
        assertThat(why(Checkpoint.RED_PLAY_CONFIRMATION, "oc")).isEqualTo(Why.CO_SIGNER_CONFIRMS);
        assertThat(why(Checkpoint.RED_PLAY_CONFIRMATION, "gv2")).isNull();

        decided(Checkpoint.COVERAGE_GAP_DECISION, "gv", "override");
        assertThat(why(Checkpoint.COVERAGE_OVERRIDE_APPROVAL, "gv")).isEqualTo(Why.OVERRIDE_REQUESTER);
        assertThat(why(Checkpoint.COVERAGE_OVERRIDE_APPROVAL, "gv2")).isNull();
    }
}
