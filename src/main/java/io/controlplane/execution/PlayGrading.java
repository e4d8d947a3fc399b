package io.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.library.Library;
import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.PlayStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.EngineCalls;
import io.controlplane.platform.JsonValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Takes the planner agent's ranked plays, checks them (a malformed ranking is refused: the agent's completion gets a
 * 400 and nothing changes), grades each with the {@code risk-matrix} decision and stores them as a new approval round.
 */
@Component
public class PlayGrading {

    static final String DECISION_KEY = "risk-matrix";
    static final Set<String> IMPACTS = Set.of("low", "medium", "high");
    static final Set<String> REVERSIBILITY = Set.of("reversible", "partial", "irreversible");
    static final int MAX_PLAYS = 20;

    private final JsonValues json;
    private final DecisionService decisions;
    private final PlayStore plays;
    private final ApplicationEventPublisher events;

    private final Library library;

    PlayGrading(
            JsonValues json,
            DecisionService decisions,
            PlayStore plays,
            ApplicationEventPublisher events,
            Library library) {
        this.library = library;
        this.events = events;
        this.json = json;
        this.decisions = decisions;
        this.plays = plays;
    }

    /** A stored approval round: what the packet review shows and the gateways test. */
    public record Round(int round, int plays, int redPlays, String planSummary) {}

    /** Checks the planner's ranking ({@code rankedPlays}, null when absent), grades it and stores it as a new round. */
    public Round grade(String missionId, JsonNode ranked) {
        if (ranked == null || !ranked.isArray() || ranked.isEmpty() || ranked.size() > MAX_PLAYS) {
            throw new BadUserRequestException("rankedPlays must be a JSON array of 1 to " + MAX_PLAYS + " plays");
        }
        int round = plays.latestRound(missionId) + 1;
        List<PlayStore.Play> graded = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < ranked.size(); i++) {
            graded.add(play(missionId, round, i, ranked.get(i), ids));
        }
        graded.forEach(plays::insert);
        publish(missionId, round, graded);
        int red = (int) graded.stream().filter(p -> "red".equals(p.riskGrade())).count();
        return new Round(round, graded.size(), red, PlanSummary.of(graded));
    }

    /** One ranked play, checked and graded. */
    private PlayStore.Play play(String missionId, int round, int i, JsonNode p, Set<String> ids) {
        String at = "rankedPlays[" + i + "]";
        String playId = text(p, "playId", at, 100, true);
        if (!ids.add(playId)) {
            throw new BadUserRequestException(at + ".playId '" + playId + "' appears twice");
        }
        String impact = text(p, "impact", at, 16, true);
        String reversibility = text(p, "reversibility", at, 16, true);
        if (!IMPACTS.contains(impact)) {
            throw new BadUserRequestException(at + ".impact must be one of low, medium, high");
        }
        if (!REVERSIBILITY.contains(reversibility)) {
            throw new BadUserRequestException(at + ".reversibility must be one of reversible, partial, irreversible");
        }
        String assetId = text(p, "libraryAssetId", at, 100, false);
        if (assetId != null && !library.exists(assetId)) {
            throw new BadUserRequestException(at + ".libraryAssetId '" + assetId + "' is not in the library");
        }
        boolean mutating = p.path("mutating").asBoolean(true);
        JsonNode undo = undoPlan(p, at, mutating);
        return new PlayStore.Play(
                missionId,
                round,
                playId,
                i + 1,
                text(p, "name", at, 200, true),
                text(p, "description", at, 2000, false),
                impact,
                reversibility,
                mutating,
                grade(impact, reversibility),
                undo == null || undo.isNull() ? null : json.write(undo),
                assetId,
                PlayStore.PLANNED,
                null,
                null,
                null);
    }

    /** Every mutating play carries an undo plan with at least one step (operations guide, Plan &amp; Approve). */
    private static JsonNode undoPlan(JsonNode p, String at, boolean mutating) {
        JsonNode undo = p.get("undoPlan");
        if (mutating
                && (undo == null
                        || !undo.path("steps").isArray()
                        || undo.path("steps").isEmpty())) {
            throw new BadUserRequestException(at + " changes data (mutating) but has no undoPlan with steps");
        }
        return undo;
    }

    private void publish(String missionId, int round, List<PlayStore.Play> graded) {
        for (PlayStore.Play p : graded) {
            events.publishEvent(MissionEvent.of(
                    TelemetryCatalog.PLANNER_CANDIDATE_GENERATED,
                    missionId,
                    Map.of("playId", p.playId(), "riskGrade", p.riskGrade(), "round", round)));
        }
        events.publishEvent(MissionEvent.of(
                TelemetryCatalog.PLAN_RANKED, missionId, Map.of("plays", graded.size(), "round", round)));
        events.publishEvent(MissionEvent.of(
                TelemetryCatalog.VALIDATOR_SCOPE_CHECK,
                missionId,
                Map.of(
                        "mutatingPlays",
                        graded.stream().filter(PlayStore.Play::mutating).count(),
                        "withUndoPlan",
                        graded.stream().filter(p -> p.undoPlanJson() != null).count())));
    }

    /** Grading is part of the process, not an act of whoever completed the ranking: no authorization check. */
    private String grade(String impact, String reversibility) {
        return EngineCalls.asProcess(() -> decisions
                .evaluateDecisionTableByKey(DECISION_KEY)
                .variables(
                        Variables.createVariables().putValue("impact", impact).putValue("reversibility", reversibility))
                .evaluate()
                .getSingleResult()
                .getSingleEntry());
    }

    private static String text(JsonNode p, String field, String at, int max, boolean required) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw new BadUserRequestException(at + "." + field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().length() > max) {
            throw new BadUserRequestException(at + "." + field + " must be text of at most " + max + " characters");
        }
        return v.asText().strip();
    }
}
