package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.governance.CoSigning;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** The start of an approval-packet round, as the models call it ({@code ${coSigning.openRound(execution)}}). */
@Component("coSigning")
public class CoSigningRounds {
    private final CoSigning coSigning;

    CoSigningRounds(CoSigning coSigning) {
        this.coSigning = coSigning;
    }

    public void openRound(DelegateExecution execution) {
        coSigning.openRound(
                execution.getProcessBusinessKey(), String.valueOf(execution.getVariable(Vars.APPROVAL_ROUND)));
    }
}
