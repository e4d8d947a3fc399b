package io.controlplane.governance;

import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.TelemetryCatalog;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Opens a fresh approval-packet round: the previous round's co-signers no longer count. Who co-signed which round is
 * read from {@code mission_approvals} (SegregationOfDuties.currentRound), so no co-signer variables are kept: they cost
 * about ten statements per mission and nothing read them. The models reach it as {@code coSigning}, the journey's
 * listener ({@code journey.CoSigningRounds}).
 */
@Component("coSigningRounds") // coSigning is the models' name for the journey's listener
public class CoSigning {
    private final ApplicationEventPublisher events;

    CoSigning(ApplicationEventPublisher events) {
        this.events = events;
    }

    /** Records that the mission's approval packet awaits its co-signers, in round {@code round}. */
    public void openRound(String missionId, String round) {
        events.publishEvent(MissionEvent.of(TelemetryCatalog.APPROVAL_REQUESTED, missionId, Map.of("round", round)));
    }
}
