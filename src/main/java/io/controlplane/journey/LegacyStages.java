package io.controlplane.journey;

import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionStore;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Start listener of the legacy model's stage sub-processes: the read model shows the five-stage successor of the
 * legacy stage (the legacy name itself stays in Camunda's history, see {@code mission_stage_history_vw}).
 */
@Component("legacyStages")
public class LegacyStages {
    private final MissionStore missions;

    LegacyStages(MissionStore missions) {
        this.missions = missions;
    }

    public void entered(DelegateExecution execution, String legacyName) {
        LegacyJourney.LegacyStage stage = LegacyJourney.LegacyStage.ofName(legacyName)
                .orElseThrow(() -> new IllegalArgumentException("Unknown legacy stage " + legacyName));
        missions.updateStage(execution.getProcessBusinessKey(), stage.stage());
    }
}
