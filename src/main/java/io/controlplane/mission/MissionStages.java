package io.controlplane.mission;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Execution listeners on the five stage sub-processes: the read model follows the stage, evidence is rendered. */
@Component("missionStages")
public class MissionStages {
    private final MissionStore store;
    private final EvidenceService evidence;

    MissionStages(MissionStore store, EvidenceService evidence) {
        this.store = store;
        this.evidence = evidence;
    }

    public void entered(DelegateExecution execution, String stageCode) {
        store.updateStage(execution.getProcessBusinessKey(), Stage.valueOf(stageCode));
    }

    /** A stage left normally renders its readiness artifact; a cancelled stage (mission aborted) does not. */
    public void completed(DelegateExecution execution, String stageCode) {
        if (execution.isCanceled()) {
            return;
        }
        evidence.render(execution.getProcessBusinessKey(), Stage.valueOf(stageCode), execution);
    }
}
