package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Typed;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.execution.PlayGrading;
import io.controlplane.platform.ProcessVariable;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The <i>Grade plays</i> service task: the planner agent's {@code rankedPlays} to {@link PlayGrading}, the stored
 * round to the variables the packet review and the red-play gateway read. Unreadable JSON is the agent's 400.
 */
@Component("gradePlaysDelegate")
class GradePlaysDelegate implements JavaDelegate {
    private final PlayGrading grading;

    GradePlaysDelegate(PlayGrading grading) {
        this.grading = grading;
    }

    @Override
    public void execute(DelegateExecution execution) {
        JsonNode ranked;
        try {
            ranked = Typed.RANKED_PLAYS.orNull(execution);
        } catch (ProcessVariable.WrongTypeException e) {
            throw new BadUserRequestException(e.getMessage());
        }
        PlayGrading.Round round = grading.grade(execution.getProcessBusinessKey(), ranked);
        Typed.APPROVAL_ROUND.set(execution, round.round());
        Typed.PLAY_COUNT.set(execution, round.plays());
        Typed.RED_PLAY_COUNT.set(execution, round.redPlays());
        Typed.PLAN_SUMMARY.set(execution, round.planSummary());
    }
}
