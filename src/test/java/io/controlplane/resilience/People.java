package io.controlplane.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The demo users at work, over HTTP only: {@code mo} starts missions through {@code POST /api/missions}; each open
 * checkpoint is completed through {@code /engine-rest/task/{id}/complete} by a user of its group, with the decision a
 * person would usually take. Requests go to the nodes in turn, as a load balancer would send them. Every answer is
 * counted; a 5xx or an optimistic-locking failure is what a person would see as a broken service. Public for the ITs
 * of other packages (the reference agent's {@code ExternalTaskClientIT}).
 */
public final class People {
    /** An open checkpoint of a mission (its journey or one of its runbooks). */
    public record Task(String id, String key, String processInstanceId) {}

    /** Who decides a checkpoint, and what. */
    public record Decision(String user, Map<String, Object> variables) {}

    private final List<Http> nodes;
    private final AtomicInteger next = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger serverErrors = new AtomicInteger();
    final AtomicInteger optimisticLocking = new AtomicInteger();
    /** 409s: the task was completed or changed meanwhile — the person reloads and carries on. */
    final AtomicInteger conflicts = new AtomicInteger();

    public final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    public People(List<Http> nodes) {
        this.nodes = nodes;
    }

    Http node() {
        return nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
    }

    /** The usual decision at each checkpoint; {@code null} for Live Execution Oversight, which ends by itself. */
    public static Decision usual(String taskKey) {
        return switch (taskKey) {
            case "userTask_intentConfirmation" ->
                new Decision("gv", Map.of("intentDecision", "approve", "safeguardsAcknowledged", true));
            case "userTask_briefRevision" ->
                new Decision("mo", Map.of("revisionNote", "Audience narrowed to EMEA accounts"));
            case "userTask_gapDecision" ->
                new Decision(
                        "gv",
                        Map.of(
                                "coverageDecision",
                                "override",
                                "coverageComment",
                                "Legacy fields are not needed by the plays"));
            case "userTask_overrideSecondApproval" -> new Decision("gv2", Map.of("overrideApproval", "approve"));
            case "userTask_toolkitAuthorization" ->
                new Decision(
                        "oc",
                        Map.of("toolkitDecision", "authorize", "scopesValidated", true, "readOnlyPathConfirmed", true));
            case "userTask_packetReviewGovernance" -> new Decision("gv", Map.of("gvPacketDecision", "approve"));
            case "userTask_packetReviewOperations" -> new Decision("oc", Map.of("ocPacketDecision", "approve"));
            case "userTask_telemetryHooksVerification" ->
                new Decision("ta", Map.of("telemetryHooksDecision", "verified"));
            case "userTask_redPlayConfirmation" -> new Decision("gv2", Map.of("redPlayDecision", "confirm"));
            case "userTask_violationDecision" ->
                new Decision(
                        "gv",
                        Map.of("violationDecision", "resume", "violationNote", "Wording accepted for this audience"));
            case "userTask_scopeReauthorization" ->
                new Decision(
                        "oc",
                        Map.of("driftDecision", "reauthorize", "driftNote", "Scopes granted again by the CRM admin"));
            case "userTask_confirmRestoration" ->
                new Decision(
                        "oc",
                        Map.of("restorationConfirmed", true, "restorationNote", "Records restored from the export"));
            case "userTask_missionFeedback" ->
                new Decision(
                        "mo", Map.of("feedbackRating", 4, "effortSavedHours", 6, "feedbackSatisfaction", "satisfied"));
            case "userTask_retroSignOffOwner" -> new Decision("mo", Map.of("ownerSignOff", true));
            case "userTask_retroSignOffCurator" -> new Decision("kc", Map.of("curatorSignOff", true));
            case "userTask_retroSignOffAnalyst" -> new Decision("ta", Map.of("analystSignOff", true));
            case "userTask_postIncidentReview" ->
                new Decision(
                        "oc2",
                        Map.of(
                                "reviewCompleted",
                                true,
                                "reviewSummary",
                                "Cause understood, safeguard wording tightened"));
            case "userTask_liveOversight" -> null;
            default -> throw new AssertionError("No usual decision for checkpoint " + taskKey);
        };
    }

    static Map<String, Object> brief(
            String title, String objective, List<String> safeguards, String slug, List<String> scopes) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("title", title);
        b.put("objective", objective);
        b.put("persona", "Resilience drill");
        b.put("kpi", Map.of("metric", "reactivated accounts", "target", 40));
        b.put("safeguards", safeguards.stream().map(t -> Map.of("type", t)).toList());
        b.put("toolkits", List.of(Map.of("slug", slug, "scopes", scopes)));
        return b;
    }

    /** {@code mo} starts a mission; returns its id. */
    public String start(Map<String, Object> brief) {
        Http.Response r = call(() -> node().post("/api/missions", "mo", brief));
        if (r.status() != 201) {
            throw new AssertionError("mission not started: " + r.status() + " " + r.body());
        }
        return r.json().path("id").asText();
    }

    /** The mission's open checkpoints, across its journey and runbooks (same business key), as the admin sees them. */
    public List<Task> openTasks(String missionId) {
        Http.Response r = call(() -> node().get("/engine-rest/task?processInstanceBusinessKey=" + missionId, "demo"));
        if (r.status() != 200) {
            throw new AssertionError("task list: " + r.status() + " " + r.body());
        }
        List<Task> tasks = new ArrayList<>();
        for (JsonNode t : r.json()) {
            tasks.add(new Task(
                    t.path("id").asText(),
                    t.path("taskDefinitionKey").asText(),
                    t.path("processInstanceId").asText()));
        }
        return tasks;
    }

    public JsonNode mission(String missionId) {
        Http.Response r = call(() -> node().get("/api/missions/" + missionId, "ta"));
        if (r.status() != 200) {
            throw new AssertionError("mission " + missionId + ": " + r.status() + " " + r.body());
        }
        return r.json();
    }

    /** Scope drift reported by the toolkit side (as the agent account). */
    void reportScopeDrift(String missionId) {
        Http.Response r = call(() -> node().post(
                        "/api/missions/" + missionId + "/scope-drift",
                        "agent",
                        Map.of(
                                "toolkit",
                                "hubspot",
                                "scopes",
                                List.of("crm.objects.contacts.write"),
                                "detail",
                                "scope revoked by an admin")));
        if (r.status() >= 300) {
            throw new AssertionError("scope drift not accepted: " + r.status() + " " + r.body());
        }
    }

    /** Completes {@code task} with the usual decision; false when there is none (oversight) or the task moved on. */
    boolean decide(Task task) {
        Decision d = usual(task.key());
        return d != null && complete(task, d.user(), d.variables());
    }

    /**
     * Takes the usual decision at every open checkpoint of the mission; returns how many were completed. With
     * {@link #together}, the people of parallel checkpoints (the packet's co-signers, the retrospective's signers) act
     * at the same moment, each on a node of their own.
     */
    int advance(String missionId) {
        List<Task> open = openTasks(missionId);
        if (!together || open.size() < 2) {
            int done = 0;
            for (Task t : open) {
                if (decide(t)) {
                    done++;
                }
            }
            return done;
        }
        List<CompletableFuture<Boolean>> decisions = open.stream()
                .map(t -> CompletableFuture.supplyAsync(() -> decide(t), colleagues))
                .toList();
        return (int) decisions.stream()
                .map(CompletableFuture::join)
                .filter(Boolean::booleanValue)
                .count();
    }

    /** Whether people working on the same mission act at once (the cluster test) or one after the other. */
    private boolean together;

    private final ExecutorService colleagues = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "colleague");
        t.setDaemon(true);
        return t;
    });

    People together() {
        this.together = true;
        return this;
    }

    /** Advances the mission, as people and the agent would, until checkpoint {@code taskKey} is open. */
    void driveUntil(String missionId, String taskKey, Duration timeout, Runnable onTimeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Task> open = openTasks(missionId);
            if (open.stream().anyMatch(t -> t.key().equals(taskKey))) {
                return;
            }
            int done = 0;
            for (Task t : open) {
                if (decide(t)) {
                    done++;
                }
            }
            if (done == 0) {
                ServiceNode.sleep(250); // the agent or a job is at work
            }
        }
        onTimeout.run();
        throw new AssertionError("Mission " + missionId + " did not reach " + taskKey + " within " + timeout
                + "; open: " + openTasks(missionId));
    }

    /** Takes every mission to its end, round-robin as people pick up whatever is open; fails after {@code timeout}. */
    void driveToEnd(Collection<String> missionIds, Duration timeout, Runnable onTimeout) {
        Set<String> open = new LinkedHashSet<>(missionIds);
        Instant deadline = Instant.now().plus(timeout);
        while (!open.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                onTimeout.run();
                StringBuilder where = new StringBuilder();
                open.forEach(m -> where.append("\n  ")
                        .append(m)
                        .append(' ')
                        .append(mission(m).path("stage").asText())
                        .append(' ')
                        .append(mission(m).path("status").asText())
                        .append(' ')
                        .append(openTasks(m)));
                throw new AssertionError(open.size() + " missions not finished within " + timeout + ":" + where);
            }
            int done = 0;
            for (Iterator<String> it = open.iterator(); it.hasNext(); ) {
                String m = it.next();
                done += advance(m);
                if (finished(m)) {
                    it.remove();
                }
            }
            if (done == 0) {
                ServiceNode.sleep(300);
            }
        }
    }

    /** Whether the mission's journey completed and none of its checkpoints (runbooks, reviews) is still open. */
    boolean finished(String missionId) {
        return "COMPLETED".equals(mission(missionId).path("status").asText())
                && openTasks(missionId).isEmpty();
    }

    /** Completes a checkpoint as {@code user}; true on 204, false on a conflict (the person reloads and retries). */
    public boolean complete(Task task, String user, Map<String, Object> variables) {
        Map<String, Object> vars = new LinkedHashMap<>();
        variables.forEach((k, v) -> vars.put(k, Map.of("value", v)));
        Http.Response r = call(
                () -> node().post("/engine-rest/task/" + task.id() + "/complete", user, Map.of("variables", vars)));
        if (r.status() == 204) {
            return true;
        }
        if (r.status() >= 500) {
            return false; // counted by call(); the person reloads Tasklist and tries again, the test fails at its end
        }
        if (r.status() == 404 || r.status() == 409) {
            // someone (another node's job, the agent) moved the task on, or it was completed meanwhile
            conflicts.incrementAndGet();
            return false;
        }
        throw new AssertionError(user + " completing " + task.key() + ": " + r.status() + " " + r.body());
    }

    /** One HTTP call, counted; a 5xx or an optimistic-locking message is recorded as a failure a user saw. */
    Http.Response call(Supplier<Http.Response> request) {
        requests.incrementAndGet();
        Http.Response r = request.get();
        boolean locking = r.body() != null
                && (r.body().contains("OptimisticLocking") || r.body().contains("was updated by another transaction"));
        if (locking) {
            optimisticLocking.incrementAndGet();
        }
        if (r.status() >= 500) {
            serverErrors.incrementAndGet();
        }
        if (locking || r.status() >= 500) {
            if (failures.size() < 20) {
                failures.add(r.status() + " " + r.raw().request().method() + " "
                        + r.raw().uri().getPath() + ": " + r.body());
            }
        }
        return r;
    }
}
