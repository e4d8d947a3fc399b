package io.controlplane.execution;

import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Typed;
import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.DemoAgent;
import io.controlplane.mission.MissionJourney;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.ProcessVariable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The built-in AI employee of the demo: an external-task worker like any real agent runtime, serving the journey's
 * three topics with plausible, deterministic answers. Polls only with {@code controlplane.agent.simulated.enabled}
 * (on in the default profile, off in tests, which call {@link #runOnce()} when they want it).
 *
 * <p>What it answers, so demos can steer it: data coverage 86–98 %, or 72 % when a toolkit slug contains "legacy";
 * three plays per mission, plus a red (high impact, irreversible) one when any scope contains "delete". Outreach it
 * sends quotes the mission's objective, so an objective with a word the tone safeguard forbids ("guaranteed")
 * provokes a safeguard violation; an undo fails when a toolkit slug contains "fragile".
 */
@Component
public class SimulatedAgent implements DemoAgent {
    private static final Logger log = LoggerFactory.getLogger(SimulatedAgent.class);
    public static final String WORKER_ID = "simulated-agent";
    private static final long LOCK_MS = 60_000;

    private final ExternalTaskService externalTasks;
    private final JsonValues json;
    private final boolean enabled;
    private final int retries;
    private final long retryTimeoutMs;

    SimulatedAgent(ExternalTaskService externalTasks, JsonValues json, AgentProperties settings) {
        this.externalTasks = externalTasks;
        this.json = json;
        this.enabled = settings.simulated().enabled();
        this.retries = settings.retries();
        this.retryTimeoutMs = settings.retryTimeoutMs();
    }

    /** {@code controlplane.agent.simulated.enabled}: off, nothing at all (not even demo seeding) works as this agent. */
    @Override
    public boolean enabled() {
        return enabled;
    }

    @Scheduled(fixedDelayString = "${controlplane.agent.simulated.poll-interval-ms}", initialDelay = 2000)
    void poll() {
        if (enabled) {
            runOnce();
        }
    }

    /** Fetches, works and completes whatever is available now; returns how many tasks it completed. */
    public synchronized int runOnce() {
        List<LockedExternalTask> tasks = externalTasks
                .fetchAndLock(10, WORKER_ID)
                .topic(Topics.DATA_INSPECT, LOCK_MS)
                .variables(Vars.TOOLKITS, Vars.MISSION_ID)
                .topic(Topics.PLAY_RANK, LOCK_MS)
                .variables(Vars.TOOLKITS, Vars.MISSION_TITLE, Vars.MISSION_ID, Vars.LIBRARY_OFFERS)
                .topic(Topics.PLAY_EXECUTE, LOCK_MS)
                .variables(Vars.PLAY, Vars.MISSION_ID, Vars.OBJECTIVE, Vars.TOOLKITS)
                .topic(Topics.PLAY_UNDO, LOCK_MS)
                .variables(Vars.PLAY, Vars.TOOLKITS)
                .topic(Runbooks.Topics.ALTERNATE_ROLLBACK, LOCK_MS)
                .variables(Vars.PLAY_ID, Vars.PLAY)
                .execute();
        return work(tasks);
    }

    /**
     * Serves only the open tasks of the process instances with this business key (a mission and its runbooks), so
     * several callers can each drive missions of their own in parallel (the performance benchmark's agents).
     */
    @Override
    public int runOnce(String businessKey) {
        List<LockedExternalTask> tasks = externalTasks
                .fetchAndLock(10, WORKER_ID)
                .topic(Topics.DATA_INSPECT, LOCK_MS)
                .businessKey(businessKey)
                .variables(Vars.TOOLKITS, Vars.MISSION_ID)
                .topic(Topics.PLAY_RANK, LOCK_MS)
                .businessKey(businessKey)
                .variables(Vars.TOOLKITS, Vars.MISSION_TITLE, Vars.MISSION_ID, Vars.LIBRARY_OFFERS)
                .topic(Topics.PLAY_EXECUTE, LOCK_MS)
                .businessKey(businessKey)
                .variables(Vars.PLAY, Vars.MISSION_ID, Vars.OBJECTIVE, Vars.TOOLKITS)
                .topic(Topics.PLAY_UNDO, LOCK_MS)
                .businessKey(businessKey)
                .variables(Vars.PLAY, Vars.TOOLKITS)
                .topic(Runbooks.Topics.ALTERNATE_ROLLBACK, LOCK_MS)
                .businessKey(businessKey)
                .variables(Vars.PLAY_ID, Vars.PLAY)
                .execute();
        return work(tasks);
    }

    private int work(List<LockedExternalTask> tasks) {
        int done = 0;
        for (LockedExternalTask task : tasks) {
            try {
                if (Topics.PLAY_UNDO.equals(task.getTopicName())
                        && slugs(task).stream().anyMatch(s -> s.contains("fragile"))) {
                    // a business failure, not a technical one: the journey's boundary event starts the undo-failure
                    // runbook
                    externalTasks.handleBpmnError(
                            task.getId(),
                            WORKER_ID,
                            MissionJourney.ERROR_UNDO_FAILED,
                            "The toolkit rejected the undo: records were changed by someone else since");
                    done++;
                    continue;
                }
                Map<String, Object> result = new LinkedHashMap<>(
                        switch (task.getTopicName()) {
                            case Topics.DATA_INSPECT -> inspect(task);
                            case Topics.PLAY_RANK -> rank(task);
                            case Topics.PLAY_EXECUTE -> execute(task);
                            case Topics.PLAY_UNDO, Runbooks.Topics.ALTERNATE_ROLLBACK -> Map.of();
                            default -> throw new IllegalStateException("Unexpected topic " + task.getTopicName());
                        });
                result.put(Vars.AGENT_USAGE, json.variable(usage(task)));
                externalTasks.complete(task.getId(), WORKER_ID, result);
                done++;
            } catch (RuntimeException e) {
                // a failing agent step is retried, then becomes an incident in Cockpit: the mission waits, never lost
                int left = (task.getRetries() == null ? retries : task.getRetries()) - 1;
                log.warn("Simulated agent failed {} ({} retries left): {}", task.getTopicName(), left, e.getMessage());
                externalTasks.handleFailure(
                        task.getId(),
                        WORKER_ID,
                        abbreviate(e.getMessage()),
                        e.toString(),
                        Math.max(left, 0),
                        retryTimeoutMs);
            }
        }
        return done;
    }

    /**
     * What the simulated agent "used", for the agent ledger: deterministic per topic and task (its business key and
     * activity), priced like a hosted model at 0.03 cents per 100 tokens in and 0.15 cents per 100 tokens out.
     */
    static Map<String, Object> usage(String topic, String businessKey, String activityId) {
        int seed = Math.floorMod((businessKey + "/" + activityId).hashCode(), 1000);
        record Shape(String model, int in, int out, List<Map<String, Object>> tools) {}
        Shape shape = switch (topic) {
            case Topics.DATA_INSPECT ->
                new Shape(
                        "sim-reader-small",
                        1800,
                        240,
                        List.of(Map.of("name", "crm.search", "count", 3), Map.of("name", "crm.sample", "count", 1)));
            case Topics.PLAY_RANK ->
                new Shape("sim-planner-large", 5200, 1400, List.of(Map.of("name", "library.search", "count", 1)));
            case Topics.PLAY_EXECUTE ->
                new Shape(
                        "sim-operator-medium",
                        2600,
                        700,
                        List.of(Map.of("name", "crm.update", "count", 2), Map.of("name", "mail.send", "count", 1)));
            default -> new Shape("sim-operator-medium", 900, 150, List.of(Map.of("name", "crm.restore", "count", 1)));
        };
        long in = shape.in() + seed;
        long out = shape.out() + seed / 4;
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("model", shape.model());
        usage.put("tokensIn", in);
        usage.put("tokensOut", out);
        usage.put("toolCalls", shape.tools());
        usage.put("costCents", BigDecimal.valueOf(in * 3 + out * 15, 4));
        usage.put("durationMs", 1500L + seed * 7L);
        return usage;
    }

    private static Map<String, Object> usage(LockedExternalTask task) {
        return usage(task.getTopicName(), task.getBusinessKey(), task.getActivityId());
    }

    private Map<String, Object> inspect(LockedExternalTask task) {
        List<String> slugs = slugs(task);
        String missionId = Typed.MISSION_ID.orNull(task.getVariables());
        double coverage = slugs.stream().anyMatch(s -> s.contains("legacy"))
                ? 72.0
                : 86 + Math.floorMod(missionId.hashCode(), 13);
        return Map.of(
                Vars.DATA_COVERAGE_PERCENT,
                coverage,
                Vars.DATA_PREVIEW_SUMMARY,
                "Read-only sample of 500 records from " + String.join(", ", slugs) + ": " + coverage
                        + " % have every field the plays need.");
    }

    private Map<String, Object> rank(LockedExternalTask task) {
        List<String> slugs = slugs(task);
        String toolkit = slugs.isEmpty() ? "crm" : slugs.get(0);
        List<Map<String, Object>> plays = new ArrayList<>();
        plays.add(play(
                "segment-audience",
                "Segment the audience in " + toolkit,
                "Read-only segmentation of the records in scope",
                "low",
                "reversible",
                false,
                null));
        plays.add(play(
                "draft-outreach",
                "Draft personalised outreach",
                "Drafts messages for review; nothing is sent",
                "medium",
                "reversible",
                true,
                undo("Discard drafts", 15, List.of("Delete the generated drafts"))));
        plays.add(play(
                "update-records",
                "Update records in " + toolkit,
                "Tags records with the mission's segment",
                "medium",
                "partial",
                true,
                undo("Restore previous tags", 15, List.of("Export the touched records", "Restore the exported tags"))));
        // reuse the best-rated library asset on offer, as a planner would
        JsonNode offers = Typed.LIBRARY_OFFERS.orNull(task.getVariables());
        if (offers != null) {
            if (offers.isArray() && !offers.isEmpty()) {
                JsonNode asset = offers.get(0);
                Map<String, Object> reused = play(
                        "reuse-" + asset.path("libraryAssetId").asText(),
                        "Reuse: " + asset.path("name").asText(),
                        "Library asset " + asset.path("libraryAssetId").asText(),
                        asset.path("impact").asText("low"),
                        asset.path("reversibility").asText("reversible"),
                        asset.path("mutating").asBoolean(false),
                        asset.path("mutating").asBoolean(false)
                                ? undo("Revert the reused play", 15, List.of("Revert its changes"))
                                : null);
                reused.put("libraryAssetId", asset.path("libraryAssetId").asText());
                plays.add(0, reused);
            }
        }
        if (scopes(task).stream().anyMatch(s -> s.contains("delete"))) {
            plays.add(play(
                    "archive-stale",
                    "Archive stale records",
                    "Removes records untouched for two years",
                    "high",
                    "irreversible",
                    true,
                    undo(
                            "Restore from archive export",
                            30,
                            List.of("Page the incident commander", "Re-import the archived export"))));
        }
        return Map.of(Vars.RANKED_PLAYS, json.variable(plays));
    }

    private Map<String, Object> execute(LockedExternalTask task) throws IllegalStateException {
        JsonNode play = needed(task, Typed.PLAY);
        int touched = 20 + Math.floorMod(play.path("playId").asText().hashCode(), 200);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("status", "succeeded");
        outcome.put("summary", play.path("name").asText() + ": " + touched + " records touched");
        outcome.put("recordsTouched", touched);
        outcome.put("agent", WORKER_ID);
        outcome.put("steps", List.of(step(task, play)));
        return Map.of(Vars.PLAY_OUTCOME, json.variable(outcome));
    }

    /** One step as the validator sees it: outreach plays write to a recipient at a civil hour of their day. */
    private Map<String, Object> step(LockedExternalTask task, JsonNode play) {
        boolean outreach = play.path("mutating").asBoolean()
                && play.path("name").asText().toLowerCase().contains("outreach");
        Map<String, Object> step = new LinkedHashMap<>();
        step.put(
                "action",
                outreach ? "send_message" : play.path("mutating").asBoolean() ? "update_records" : "read_records");
        step.put("at", Instant.now().toString());
        if (outreach) {
            step.put("recipient", "contact-1@example.org");
            step.put("recipientTimeZone", zoneAtWorkingHours());
            step.put("text", "Hello! " + Typed.OBJECTIVE.orNull(task.getVariables()));
        }
        step.put("spendCents", outreach ? 25 : 0);
        step.put("reversible", !"irreversible".equals(play.path("reversibility").asText()));
        step.put(
                "scopesUsed",
                scopes(task).stream()
                        .limit(play.path("mutating").asBoolean() ? 2 : 1)
                        .toList());
        return step;
    }

    /** A recipient zone where it is now between 09:00 and 17:00, so the demo does not trip the quiet window. */
    private static String zoneAtWorkingHours() {
        for (String zone : List.of(
                "Europe/Berlin",
                "America/New_York",
                "America/Los_Angeles",
                "Pacific/Auckland",
                "Asia/Tokyo",
                "Asia/Singapore",
                "Asia/Kolkata",
                "Europe/London")) {
            int hour = ZonedDateTime.now(ZoneId.of(zone)).getHour();
            if (hour >= 9 && hour < 17) {
                return zone;
            }
        }
        return "Pacific/Honolulu";
    }

    private static Map<String, Object> play(
            String id,
            String name,
            String description,
            String impact,
            String reversibility,
            boolean mutating,
            Map<String, Object> undo) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("playId", id);
        p.put("name", name);
        p.put("description", description);
        p.put("impact", impact);
        p.put("reversibility", reversibility);
        p.put("mutating", mutating);
        p.put("undoPlan", undo);
        return p;
    }

    private static Map<String, Object> undo(String label, int windowMinutes, List<String> steps) {
        return Map.of(
                "label",
                label,
                "windowMinutes",
                windowMinutes,
                "steps",
                steps,
                "impactSummary",
                "Reverts what the play changed",
                "riskAssessment",
                windowMinutes > 15 ? "high" : "low");
    }

    private List<String> slugs(LockedExternalTask task) {
        List<String> out = new ArrayList<>();
        needed(task, Typed.TOOLKITS).forEach(t -> out.add(t.path("slug").asText()));
        return out;
    }

    private List<String> scopes(LockedExternalTask task) {
        List<String> out = new ArrayList<>();
        needed(task, Typed.TOOLKITS).forEach(t -> t.path("scopes").forEach(s -> out.add(s.asText())));
        return out;
    }

    /** A structured variable the agent fetched with its task (unreadable JSON fails the task like a missing one). */
    private static JsonNode needed(LockedExternalTask task, ProcessVariable<JsonNode> variable) {
        return variable.from(task.getVariables())
                .orElseThrow(() -> new IllegalStateException("a variable the agent needs is missing"));
    }

    private static String abbreviate(String s) {
        return s == null ? "failed" : s.length() > 600 ? s.substring(0, 600) : s;
    }
}
