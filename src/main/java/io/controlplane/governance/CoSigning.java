package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.telemetry.TelemetryCatalog;
import io.controlplane.telemetry.TelemetryEvents;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Opens a fresh approval-packet round: the previous round's co-signers no longer count. Who co-signed which round is
 * read from {@code mission_approvals} (CheckpointDecisions.currentRound), so no co-signer variables are kept: they cost
 * about ten statements per mission and nothing read them.
 */
@Component("coSigning")
public class CoSigning {
    private final TelemetryEvents telemetry;

    CoSigning(TelemetryEvents telemetry) {
        this.telemetry = telemetry;
    }

    public void openRound(DelegateExecution execution) {
        telemetry.emit(TelemetryCatalog.APPROVAL_REQUESTED, execution.getProcessBusinessKey(),
                java.util.Map.of("round", String.valueOf(execution.getVariable(Vars.APPROVAL_ROUND))));
    }
}
