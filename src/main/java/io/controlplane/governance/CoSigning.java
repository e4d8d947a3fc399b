package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Opens a fresh approval-packet round: the previous round's co-signers no longer count. */
@Component("coSigning")
public class CoSigning {

    public void openRound(DelegateExecution execution) {
        execution.setVariable(Vars.GOVERNANCE_CO_SIGNER, null);
        execution.setVariable(Vars.OPERATIONS_CO_SIGNER, null);
    }
}
