package io.controlplane.journey;

import io.controlplane.library.Library;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.mission.TelemetryCatalog;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Execution listeners on the five stage sub-processes: the read model follows the stage, evidence is rendered. */
@Component("missionStages")
public class MissionStages {
    /** The catalog event each stage's normal completion stands for. */
    private static final Map<Stage, TelemetryCatalog> COMPLETION_EVENTS = Map.of(
            Stage.DEFINE, TelemetryCatalog.MISSION_BRIEF_LOCKED,
            Stage.PREPARE, TelemetryCatalog.READINESS_STATUS_CHANGED,
            Stage.PLAN_APPROVE, TelemetryCatalog.PLAN_APPROVED,
            Stage.EXECUTE_OBSERVE, TelemetryCatalog.EVIDENCE_BUNDLE_GENERATED,
            Stage.REFLECT_IMPROVE, TelemetryCatalog.MISSION_RETROSPECTIVE_LOGGED);

    private final MissionStore store;
    private final EvidenceService evidence;
    private final ApplicationEventPublisher events;

    private final Library library;

    MissionStages(MissionStore store, EvidenceService evidence, ApplicationEventPublisher events, Library library) {
        this.library = library;
        this.store = store;
        this.evidence = evidence;
        this.events = events;
    }

    public void entered(DelegateExecution execution, String stageCode) {
        Stage stage = Stage.valueOf(stageCode);
        String missionId = execution.getProcessBusinessKey();
        if (stage == Stage.DEFINE) {
            store.updateStage(missionId, stage);
        } else if (!store.enterStage(missionId, stage)) {
            // The read model already shows this stage: the engine entered it around a step moved into it, not along
            // the journey's flows. A legacy migration does that (the legacy stage had shown its five-stage successor):
            // the mission's earlier stages ran on the eight-stage model and get their legacy records from the
            // engine's history. Along the journey's flows this costs no statement beyond the stage update.
            store.updateStage(missionId, stage);
            evidence.renderLegacyRecords(missionId, execution.getProcessInstanceId(), stage);
        }
        if (stage == Stage.EXECUTE_OBSERVE) {
            events.publishEvent(
                    MissionEvent.of(TelemetryCatalog.EXECUTION_STARTED, execution.getProcessBusinessKey(), Map.of()));
        }
    }

    /**
     * A stage left normally renders its readiness artifact. A stage cut short by the journey's own rollback or abort
     * (Execute &amp; Observe after a violation decision or an undo from oversight) renders it too, saying so: the
     * governance check expects the evidence of every stage a mission left, and the violation decision form links the
     * run log. A stage cancelled otherwise (instance deleted) renders nothing; only a normal end emits the stage's
     * completion event.
     */
    public void completed(DelegateExecution execution, String stageCode) {
        Stage stage = Stage.valueOf(stageCode);
        if (execution.isCanceled()) {
            // both flags are set only by the journey's own end events (no start form or step contract admits them)
            String ending = MissionJourney.Typed.MISSION_ABORT_REQUESTED.isTrue(execution)
                    ? EvidenceService.ABORTED
                    : MissionJourney.Typed.ROLLBACK_REQUESTED.isTrue(execution) ? EvidenceService.ROLLED_BACK : null;
            if (ending != null) {
                evidence.render(execution.getProcessBusinessKey(), stage, figures(execution), ending);
            }
            return;
        }
        evidence.render(execution.getProcessBusinessKey(), stage, figures(execution), EvidenceService.COMPLETED);
        if (stage == Stage.PLAN_APPROVE) {
            library.recordReuse(execution.getProcessBusinessKey());
        }
        events.publishEvent(MissionEvent.of(
                COMPLETION_EVENTS.get(stage), execution.getProcessBusinessKey(), Map.of("stage", stage.name())));
    }

    /** The inspection's report (as the agent sent it: the inspection report judged it) and the approval round. */
    private static EvidenceService.StageFigures figures(DelegateExecution execution) {
        Object coverage = MissionJourney.Typed.DATA_COVERAGE_PERCENT.orNull(execution);
        Object preview = MissionJourney.Typed.DATA_PREVIEW_SUMMARY.orNull(execution);
        return new EvidenceService.StageFigures(
                coverage instanceof Number n ? n : null,
                preview == null ? null : preview.toString(),
                MissionJourney.Typed.APPROVAL_ROUND.orNull(execution));
    }
}
