package io.controlplane.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.mission.AgentRunStore;
import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.PlayStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.EngineCalls;
import io.controlplane.platform.JsonValues;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Checks every step an agent reports against the mission's safeguards, and lets {@code bpmn/safeguard-policy.dmn}
 * decide what each finding means: auto-fix (back off, run again), retry later, or escalate to a validator.
 */
@Component
class SafeguardValidator {
    static final String POLICY = "safeguard-policy";
    static final List<String> OUTCOMES = List.of("none", "auto_fix", "retry_later", "escalate");
    private static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    /** The validator's verdict on one play report. */
    record Verdict(String outcome, Duration delay, List<SafeguardFinding> findings, String severity, String summary) {
        boolean accepted() {
            return outcome.equals("none") || outcome.equals("escalate");
        }
    }

    private final MissionStore missions;
    private final StepStore steps;
    private final DecisionService decisions;
    private final ApplicationEventPublisher events;
    private final JsonValues json;
    private final Duration retryLater;
    private final AgentRunStore agentRuns;

    SafeguardValidator(
            MissionStore missions,
            StepStore steps,
            DecisionService decisions,
            ApplicationEventPublisher events,
            JsonValues json,
            SafeguardProperties settings,
            AgentRunStore agentRuns) {
        this.agentRuns = agentRuns;
        this.missions = missions;
        this.steps = steps;
        this.decisions = decisions;
        this.events = events;
        this.json = json;
        this.retryLater = settings.retryLater();
    }

    Verdict validate(String missionId, PlayStore.Play play, JsonNode reportedSteps, int attempt, String agent) {
        MissionStore.Mission mission = missions.find(missionId).orElseThrow();
        List<MissionRequest.Safeguard> safeguards =
                json.mapper().convertValue(tree(mission.safeguardsJson()), new TypeReference<>() {});
        List<String> granted = new ArrayList<>();
        tree(mission.toolkitsJson()).forEach(t -> t.path("scopes").forEach(s -> granted.add(s.asText())));
        List<StepReport> parsed = new ArrayList<>();
        if (reportedSteps != null && !reportedSteps.isNull()) {
            if (!reportedSteps.isArray() || reportedSteps.size() > 500) {
                throw new BadUserRequestException("playOutcome.steps must be an array of at most 500 steps");
            }
            for (int i = 0; i < reportedSteps.size(); i++) {
                try {
                    parsed.add(StepReport.fromJson(reportedSteps.get(i), play.undoPlanJson() != null));
                } catch (IllegalArgumentException e) {
                    throw new BadUserRequestException("playOutcome.steps[" + i + "]: " + e.getMessage());
                }
            }
        }
        List<StepReport> history = new ArrayList<>(steps.history(missionId));
        List<SafeguardFinding> findings = new ArrayList<>();
        List<List<SafeguardFinding>> perStep = new ArrayList<>();
        for (StepReport step : parsed) {
            List<SafeguardFinding> f = SafeguardChecks.check(safeguards, step, history, granted);
            perStep.add(f);
            findings.addAll(f);
            history.add(step);
        }
        // the agents' own cost (the ledger), summed by the service from its rows across every agent of the mission
        for (MissionRequest.Safeguard s : safeguards) {
            if ("budget_cap".equals(s.type())) {
                LocalDate day = AgentRunStore.day(Instant.now());
                SafeguardChecks.agentBudget(
                                s,
                                day,
                                agentRuns.totalsOn(missionId, day).costCents(),
                                agentRuns.perAgent(missionId, day))
                        .ifPresent(findings::add);
            }
        }
        String outcome = "none";
        String severity = "low";
        for (SafeguardFinding f : findings) {
            String o = policy(f, attempt);
            if (OUTCOMES.indexOf(o) > OUTCOMES.indexOf(outcome)) {
                outcome = o;
            }
            if (SEVERITIES.indexOf(f.severity()) > SEVERITIES.indexOf(severity)) {
                severity = f.severity();
            }
            events.publishEvent(MissionEvent.byAgent(
                    TelemetryCatalog.VALIDATOR_ALERT_RAISED,
                    missionId,
                    agent,
                    Map.of(
                            "playId",
                            play.playId(),
                            "safeguard",
                            f.type(),
                            "code",
                            f.code(),
                            "outcome",
                            o,
                            "attempt",
                            attempt)));
        }
        for (int i = 0; i < parsed.size(); i++) {
            steps.insert(
                    missionId,
                    play.playId(),
                    parsed.get(i),
                    outcome,
                    perStep.get(i).isEmpty() ? null : summary(perStep.get(i)));
        }
        if (outcome.equals("escalate")) {
            events.publishEvent(MissionEvent.byAgent(
                    TelemetryCatalog.VALIDATOR_OVERRIDE_REQUESTED,
                    missionId,
                    agent,
                    Map.of("playId", play.playId(), "findings", findings.size())));
        }
        Duration delay = switch (outcome) {
            case "auto_fix" -> SafeguardChecks.backoff(attempt);
            case "retry_later" -> retryLater;
            default -> Duration.ZERO;
        };
        return new Verdict(outcome, delay, findings, severity, findings.isEmpty() ? "" : summary(findings));
    }

    /** The policy decision runs as part of the process, not as an act of the agent that reported. */
    private String policy(SafeguardFinding f, int attempt) {
        String outcome = EngineCalls.asProcess(() -> decisions
                .evaluateDecisionTableByKey(POLICY)
                .variables(Variables.createVariables()
                        .putValue("findingCode", f.code())
                        .putValue("severity", f.severity())
                        .putValue("attempt", attempt))
                .evaluate()
                .getFirstResult()
                .getEntry("outcome"));
        return OUTCOMES.contains(outcome) && !outcome.equals("none") ? outcome : "escalate";
    }

    private static String summary(List<SafeguardFinding> findings) {
        StringBuilder b = new StringBuilder();
        for (SafeguardFinding f : findings) {
            b.append("- ")
                    .append(f.type())
                    .append(" (")
                    .append(f.severity())
                    .append("): ")
                    .append(f.detail())
                    .append('\n');
        }
        return b.toString().strip();
    }

    private JsonNode tree(String text) {
        try {
            return json.read(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored mission JSON is unreadable", e);
        }
    }
}
