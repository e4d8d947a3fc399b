package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Typed;

import io.controlplane.execution.UndoCompletions;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * End of a completed undo plan. A failed one never gets here: the agent reports the BPMN error {@code UNDO_FAILED},
 * which the boundary event turns into the undo-failure runbook.
 */
@Component("undoReport")
class UndoReport implements ExecutionListener {
    private final UndoCompletions undos;

    UndoReport(UndoCompletions undos) {
        this.undos = undos;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        undos.completed(execution.getProcessBusinessKey(), Typed.PLAY_ID.orNull(execution));
    }
}
