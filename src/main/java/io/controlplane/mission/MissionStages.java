package io.controlplane.mission;

import io.controlplane.telemetry.TelemetryCatalog;
import io.controlplane.telemetry.TelemetryEvents;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Execution listeners on the five stage sub-processes: the read model follows the stage, evidence is rendered. */
@Component("missionStages")
public class MissionStages {
    /** The catalog event each stage's normal completion stands for. */
    private static final java.util.Map<Stage, TelemetryCatalog> COMPLETION_EVENTS = java.util.Map.of(
            Stage.DEFINE, TelemetryCatalog.MISSION_BRIEF_LOCKED,
            Stage.PREPARE, TelemetryCatalog.READINESS_STATUS_CHANGED,
            Stage.PLAN_APPROVE, TelemetryCatalog.PLAN_APPROVED,
            Stage.EXECUTE_OBSERVE, TelemetryCatalog.EVIDENCE_BUNDLE_GENERATED,
            Stage.REFLECT_IMPROVE, TelemetryCatalog.MISSION_RETROSPECTIVE_LOGGED);

    private final MissionStore store;
    private final EvidenceService evidence;
    private final TelemetryEvents telemetry;

    private final io.controlplane.library.Library library;

    MissionStages(MissionStore store, EvidenceService evidence, TelemetryEvents telemetry, io.controlplane.library.Library library) {
        this.library = library;
        this.store = store;
        this.evidence = evidence;
        this.telemetry = telemetry;
    }

    public void entered(DelegateExecution execution, String stageCode) {
        Stage stage = Stage.valueOf(stageCode);
        store.updateStage(execution.getProcessBusinessKey(), stage);
        if (stage == Stage.EXECUTE_OBSERVE) {
            telemetry.emit(TelemetryCatalog.EXECUTION_STARTED, execution.getProcessBusinessKey(), java.util.Map.of());
        }
    }

    /** A stage left normally renders its readiness artifact; a cancelled stage (mission aborted) does not. */
    public void completed(DelegateExecution execution, String stageCode) {
        if (execution.isCanceled()) {
            return;
        }
        Stage stage = Stage.valueOf(stageCode);
        evidence.render(execution.getProcessBusinessKey(), stage, execution);
        if (stage == Stage.PLAN_APPROVE) {
            library.recordReuse(execution.getProcessBusinessKey());
        }
        telemetry.emit(COMPLETION_EVENTS.get(stage), execution.getProcessBusinessKey(), java.util.Map.of("stage", stage.name()));
    }
}
