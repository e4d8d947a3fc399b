package io.controlplane.execution;

import static io.controlplane.mission.MissionJourney.Vars;

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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Records what an agent reports for one executed play ({@code playOutcome}: status, summary, the {@code steps} it took,
 * anything else it adds): the safeguard validator judges the steps, and an accepted report is stored with its SHA-256
 * as evidence; the journey then continues, backs off and re-runs the play, or escalates.
 */
@Component
public class PlayOutcomes {
    static final Set<String> STATUSES = Set.of("succeeded", "failed");

    private final PlayStore plays;
    private final JsonValues json;
    private final SafeguardValidator validator;
    private final ApplicationEventPublisher events;

    private final AgentTaskTimes agentTimes;

    PlayOutcomes(
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

    /** What the journey does next: the validator's verdict, and the attempt the next report of this play is. */
    public record Recorded(
            String outcome,
            String delay,
            String findingSummary,
            String severity,
            boolean escalated,
            int nextAttempt,
            String executionSummary) {}

    /**
     * Judges and records one report ({@code outcome}: the agent's {@code playOutcome}, null when it sent none).
     *
     * @param attempt how many reports of this play the validator already postponed or auto-fixed
     */
    public Recorded record(String missionId, String playId, String activityInstanceId, JsonNode outcome, int attempt) {
        agentTimes.record(activityInstanceId, MissionJourney.Topics.PLAY_EXECUTE);
        String status = checkedStatus(outcome);
        String summary = outcome.path("summary").asText("").strip();
        if (summary.isEmpty() || summary.length() > 4000) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + ".summary must be text of 1 to 4000 characters");
        }
        PlayStore.Play play = plays.find(missionId, playId)
                .orElseThrow(
                        () -> new IllegalStateException("Mission " + missionId + " has no approved play " + playId));
        String agent = outcome.path("agent").asText(null);
        SafeguardValidator.Verdict verdict = validator.validate(missionId, play, outcome.get("steps"), attempt, agent);
        boolean escalated = "escalate".equals(verdict.outcome());
        if (verdict.accepted()) {
            accepted(play, outcome, status, summary, agent);
        }
        if (escalated) {
            events.publishEvent(MissionEvent.of(
                    TelemetryCatalog.EXECUTION_PAUSED,
                    missionId,
                    Map.of("reason", "safeguard_violation", "playId", playId)));
        }
        return new Recorded(
                verdict.outcome(),
                verdict.delay().toString(),
                verdict.summary(),
                verdict.severity(),
                escalated,
                // an accepted (or escalated) report is the play's outcome; an auto-fixed or postponed one runs again
                verdict.accepted() ? 0 : attempt + 1,
                PlanSummary.execution(plays.latest(missionId)));
    }

    private static String checkedStatus(JsonNode outcome) {
        if (outcome == null || !outcome.isObject()) {
            throw new BadUserRequestException(
                    Vars.PLAY_OUTCOME + " is required: a JSON object with status and summary");
        }
        String status = outcome.path("status").asText("");
        if (!STATUSES.contains(status)) {
            throw new BadUserRequestException(Vars.PLAY_OUTCOME + ".status must be succeeded or failed");
        }
        return status;
    }

    /** The play's outcome, stored with its SHA-256 as evidence. */
    private void accepted(PlayStore.Play play, JsonNode outcome, String status, String summary, String agent) {
        String missionId = play.missionId();
        String playId = play.playId();
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
                agent,
                Map.of("playId", playId, "status", status)));
        if (play.mutating() && play.undoPlanJson() != null) {
            events.publishEvent(MissionEvent.of(TelemetryCatalog.UNDO_AVAILABLE, missionId, Map.of("playId", playId)));
        }
    }
}
