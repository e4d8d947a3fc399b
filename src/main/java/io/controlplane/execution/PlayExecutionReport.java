package io.controlplane.execution;

import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.Sha256;
import java.time.Instant;
import java.util.Set;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Records what an agent reports for one executed play ({@code playOutcome}: status, summary, anything else it adds),
 * with the SHA-256 of the report as evidence, and refreshes the run log the oversight task shows.
 */
@Component("playExecutionReport")
class PlayExecutionReport implements ExecutionListener {
    static final Set<String> STATUSES = Set.of("succeeded", "failed");

    private final PlayStore plays;
    private final JsonValues json;

    PlayExecutionReport(PlayStore plays, JsonValues json) {
        this.plays = plays;
        this.json = json;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        String missionId = execution.getProcessBusinessKey();
        String playId = (String) execution.getVariable(Vars.PLAY_ID);
        JsonNode outcome;
        try {
            outcome = json.read(execution.getVariable(Vars.PLAY_OUTCOME));
        } catch (JsonProcessingException e) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (outcome == null || !outcome.isObject()) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + " is required: a JSON object with status and summary");
        }
        String status = outcome.path("status").asText("");
        if (!STATUSES.contains(status)) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + ".status must be succeeded or failed");
        }
        String summary = outcome.path("summary").asText("").strip();
        if (summary.isEmpty() || summary.length() > 4000) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + ".summary must be text of 1 to 4000 characters");
        }
        PlayStore.Play play = plays.find(missionId, playId).orElseThrow(
                () -> new IllegalStateException("Mission " + missionId + " has no approved play " + playId));
        plays.recordOutcome(missionId, play.round(), playId, status.toUpperCase(), summary, Sha256.hex(json.write(outcome)),
                Instant.now());
        // consumed: the next play's report must not be mistaken for this one
        execution.removeVariable(Vars.PLAY_OUTCOME);
        execution.setVariable(Vars.EXECUTION_SUMMARY, PlanSummary.execution(plays.latest(missionId)));
    }
}
