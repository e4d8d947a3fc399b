package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.telemetry.TelemetryCatalog;
import io.controlplane.telemetry.TelemetryEvents;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Opens a fresh approval-packet round: the previous round's co-signers no longer count. */
@Component("coSigning")
public class CoSigning {
    private final TelemetryEvents telemetry;

    CoSigning(TelemetryEvents telemetry) {
        this.telemetry = telemetry;
    }

    public void openRound(DelegateExecution execution) {
        telemetry.emit(TelemetryCatalog.APPROVAL_REQUESTED, execution.getProcessBusinessKey(),
                java.util.Map.of("round", String.valueOf(execution.getVariable(Vars.APPROVAL_ROUND))));
        execution.setVariable(Vars.GOVERNANCE_CO_SIGNER, null);
        execution.setVariable(Vars.OPERATIONS_CO_SIGNER, null);
    }
}
