package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.TelemetryCatalog;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Opens a fresh approval-packet round: the previous round's co-signers no longer count. Who co-signed which round is
 * read from {@code mission_approvals} (SegregationOfDuties.currentRound), so no co-signer variables are kept: they cost
 * about ten statements per mission and nothing read them.
 */
@Component("coSigning")
public class CoSigning {
    private final ApplicationEventPublisher events;

    CoSigning(ApplicationEventPublisher events) {
        this.events = events;
    }

    public void openRound(DelegateExecution execution) {
        events.publishEvent(MissionEvent.of(
                TelemetryCatalog.APPROVAL_REQUESTED,
                execution.getProcessBusinessKey(),
                Map.of("round", String.valueOf(execution.getVariable(Vars.APPROVAL_ROUND)))));
    }
}
