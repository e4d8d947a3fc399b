package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.ApprovalStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The engine refuses co-signatures that break segregation of duties, and nothing changes when it does. */
@IntegrationTest
class SegregationOfDutiesTest {

    @Autowired
    JourneyDriver drive;

    @Autowired
    ApprovalStore approvals;

    /** A mission owned by {@code owner}, waiting at the approval packet review. */
    private String atPacketReview(String owner, String title) {
        String id = drive.start(owner, JourneyDriver.brief(title));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible"));
        return id;
    }

    @Test
    void theSamePersonCannotCoSignTwice() {
        String id = atPacketReview("mo", "Same co-signer");
        drive.complete(id, Elements.PACKET_REVIEW_GOVERNANCE, "dual", Map.of(Vars.GV_PACKET_DECISION, "approve"));
        int rowsBefore = approvals.forMission(id).size();

        assertThatThrownBy(() -> drive.complete(
                        id, Elements.PACKET_REVIEW_OPERATIONS, "dual", Map.of(Vars.OC_PACKET_DECISION, "approve")))
                .isInstanceOf(SegregationOfDutiesException.class)
                .hasMessageContaining("dual already co-signed this approval packet");
        assertThat(drive.task(id, Elements.PACKET_REVIEW_OPERATIONS))
                .as("task still open")
                .isNotNull();
        assertThat(approvals.forMission(id)).hasSize(rowsBefore);

        drive.complete(id, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
        assertThat(drive.task(id, Elements.PACKET_REVIEW_OPERATIONS)).isNull();
    }

    @Test
    void theOrderOfTheTwoCoSignaturesDoesNotMatter() {
        String id = atPacketReview("mo", "Same co-signer, operations first");
        drive.complete(id, Elements.PACKET_REVIEW_OPERATIONS, "dual", Map.of(Vars.OC_PACKET_DECISION, "approve"));
        assertThatThrownBy(() -> drive.complete(
                        id, Elements.PACKET_REVIEW_GOVERNANCE, "dual", Map.of(Vars.GV_PACKET_DECISION, "approve")))
                .isInstanceOf(SegregationOfDutiesException.class);
        assertThat(drive.task(id, Elements.PACKET_REVIEW_GOVERNANCE)).isNotNull();
    }

    @Test
    void theMissionOwnerCannotCoSignTheirOwnPacket() {
        String id = atPacketReview("mogv", "Owner co-signs");
        assertThatThrownBy(() -> drive.complete(
                        id, Elements.PACKET_REVIEW_GOVERNANCE, "mogv", Map.of(Vars.GV_PACKET_DECISION, "approve")))
                .isInstanceOf(SegregationOfDutiesException.class)
                .hasMessageContaining("mogv owns this mission and cannot co-sign");
        assertThat(drive.task(id, Elements.PACKET_REVIEW_GOVERNANCE)).isNotNull();
        assertThat(approvals.forMission(id)).noneMatch(a -> a.checkpoint().equals(Elements.PACKET_REVIEW_GOVERNANCE));
    }

    @Test
    void theMissionOwnerCannotConfirmTheirOwnIntent() {
        String id = drive.start("mogv", JourneyDriver.brief("Owner validates"));
        assertThatThrownBy(() -> drive.complete(
                        id,
                        Elements.INTENT_CONFIRMATION,
                        "mogv",
                        Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true)))
                .isInstanceOf(SegregationOfDutiesException.class);
        assertThat(drive.task(id, Elements.INTENT_CONFIRMATION)).isNotNull();
    }
}
