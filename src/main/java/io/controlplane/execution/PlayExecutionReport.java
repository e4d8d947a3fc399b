package io.controlplane.execution;

import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.PlayStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.Sha256;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Records what an agent reports for one executed play ({@code playOutcome}: status, summary, the {@code steps} it took,
 * anything else it adds): the safeguard validator judges the steps, and an accepted report is stored with its SHA-256
 * as evidence; the journey then continues, backs off and re-runs the play, or escalates.
 */
@Component("playExecutionReport")
class PlayExecutionReport implements ExecutionListener {
    static final Set<String> STATUSES = Set.of("succeeded", "failed");

    private final PlayStore plays;
    private final JsonValues json;
    private final SafeguardValidator validator;
    private final ApplicationEventPublisher events;

    private final AgentTaskTimes agentTimes;

    PlayExecutionReport(
            PlayStore plays,
            JsonValues json,
            SafeguardValidator validator,
            ApplicationEventPublisher events,
            AgentTaskTimes agentTimes) {
        this.agentTimes = agentTimes;
        this.events = events;
        this.plays = plays;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        String missionId = execution.getProcessBusinessKey();
        String playId = (String) execution.getVariable(Vars.PLAY_ID);
        agentTimes.record(execution, MissionJourney.Topics.PLAY_EXECUTE);
        JsonNode outcome;
        try {
            outcome = json.read(execution.getVariable(Vars.PLAY_OUTCOME));
        } catch (JsonProcessingException e) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (outcome == null || !outcome.isObject()) {
            throw new BadUserRequestException(
                    Vars.PLAY_OUTCOME + " is required: a JSON object with status and summary");
        }
        String status = outcome.path("status").asText("");
        if (!STATUSES.contains(status)) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + ".status must be succeeded or failed");
        }
        String summary = outcome.path("summary").asText("").strip();
        if (summary.isEmpty() || summary.length() > 4000) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + ".summary must be text of 1 to 4000 characters");
        }
        PlayStore.Play play = plays.find(missionId, playId)
                .orElseThrow(
                        () -> new IllegalStateException("Mission " + missionId + " has no approved play " + playId));
        Object attemptValue = execution.getVariable(Vars.SAFEGUARD_ATTEMPT);
        int attempt = attemptValue instanceof Number n ? n.intValue() : 0;
        SafeguardValidator.Verdict verdict = validator.validate(
                missionId,
                play,
                outcome.get("steps"),
                attempt,
                outcome.path("agent").asText(null));
        execution.setVariable(Vars.SAFEGUARD_OUTCOME, verdict.outcome());
        execution.setVariable(Vars.SAFEGUARD_DELAY, verdict.delay().toString());
        execution.setVariable(Vars.SAFEGUARD_FINDING_SUMMARY, verdict.summary());
        execution.setVariable(Vars.SAFEGUARD_SEVERITY, verdict.severity());
        if ("escalate".equals(verdict.outcome())) {
            execution.getProcessInstance().setVariable(Vars.ESCALATED_PLAY_ID, playId);
        }
        // an accepted (or escalated) report is the play's outcome; an auto-fixed or postponed one runs again
        execution.setVariable(Vars.SAFEGUARD_ATTEMPT, verdict.accepted() ? 0 : attempt + 1);
        if (verdict.accepted()) {
            plays.recordOutcome(
                    missionId,
                    play.round(),
                    playId,
                    status.toUpperCase(),
                    summary,
                    Sha256.hex(json.write(outcome)),
                    Instant.now());
            events.publishEvent(MissionEvent.byAgent(
                    TelemetryCatalog.EXECUTION_STEP_COMPLETED,
                    missionId,
                    outcome.path("agent").asText(null),
                    Map.of("playId", playId, "status", status)));
            if (play.mutating() && play.undoPlanJson() != null) {
                events.publishEvent(
                        MissionEvent.of(TelemetryCatalog.UNDO_AVAILABLE, missionId, Map.of("playId", playId)));
            }
        }
        if ("escalate".equals(verdict.outcome())) {
            events.publishEvent(MissionEvent.of(
                    TelemetryCatalog.EXECUTION_PAUSED,
                    missionId,
                    Map.of("reason", "safeguard_violation", "playId", playId)));
        }
        // consumed: the next play's report must not be mistaken for this one
        execution.removeVariable(Vars.PLAY_OUTCOME);
        execution.setVariable(Vars.EXECUTION_SUMMARY, PlanSummary.execution(plays.latest(missionId)));
    }
}
