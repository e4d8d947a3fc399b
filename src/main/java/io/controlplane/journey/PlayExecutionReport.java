package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Typed;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.execution.PlayOutcomes;
import io.controlplane.platform.ProcessVariable;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * End of a play's external task: the agent's {@code playOutcome} to {@link PlayOutcomes}, its verdict to the
 * variables the journey continues, backs off and re-runs the play, or escalates on.
 */
@Component("playExecutionReport")
class PlayExecutionReport implements ExecutionListener {
    private final PlayOutcomes outcomes;

    PlayExecutionReport(PlayOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        String playId = Typed.PLAY_ID.orNull(execution);
        JsonNode outcome;
        try {
            outcome = Typed.PLAY_OUTCOME.orNull(execution);
        } catch (ProcessVariable.WrongTypeException e) {
            throw new BadUserRequestException(e.getMessage());
        }
        PlayOutcomes.Recorded recorded = outcomes.record(
                execution.getProcessBusinessKey(),
                playId,
                execution.getActivityInstanceId(),
                outcome,
                Typed.SAFEGUARD_ATTEMPT.from(execution).orElse(0));
        // most steps leave the verdict as the last one set it: only a change is written (docs/performance.md)
        Typed.SAFEGUARD_OUTCOME.setIfChanged(execution, recorded.outcome());
        Typed.SAFEGUARD_DELAY.setIfChanged(execution, recorded.delay());
        Typed.SAFEGUARD_FINDING_SUMMARY.setIfChanged(execution, recorded.findingSummary());
        Typed.SAFEGUARD_SEVERITY.setIfChanged(execution, recorded.severity());
        if (recorded.escalated()) {
            Typed.ESCALATED_PLAY_ID.set(execution.getProcessInstance(), playId);
        }
        Typed.SAFEGUARD_ATTEMPT.setIfChanged(execution, recorded.nextAttempt());
        // consumed: the next play's report must not be mistaken for this one
        execution.removeVariable(Typed.PLAY_OUTCOME.name());
        Typed.EXECUTION_SUMMARY.set(execution, recorded.executionSummary());
    }
}
