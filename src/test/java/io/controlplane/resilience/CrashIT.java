package io.controlplane.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hard crash on PostgreSQL: missions wait at every stage and at the runbooks' checkpoints (an open incident with its
 * notifications, execution held mid-way), more are being worked on by the agent at that moment, and the service
 * process gets {@code kill -9}. Started again on the same database, every mission is still where it waited with the
 * same records, and each goes on to the end without a decision, artifact, notification or step written twice.
 * Runs from the packaged jar ({@code ./mvnw verify -Ppostgres}), in its own database.
 */
class CrashIT {
    private static final Duration STEP = Duration.ofSeconds(120);
    private static final String PLAIN = "Re-engage accounts with no activity for 90 days";
    private static final List<String> SAFEGUARDS = List.of("tone", "rate_limit");
    private static final List<String> SCOPES = List.of("crm.objects.contacts.read", "crm.objects.contacts.write");

    private final ItDatabase db = new ItDatabase("controlplane_crash_it");
    private final Ledger ledger = new Ledger(db);
    private ServiceNode node;
    private People people;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private String start(String title, String objective, String slug, List<String> scopes) {
        return people.start(People.brief(title, objective, SAFEGUARDS, slug, scopes));
    }

    private void driveUntil(String missionId, String taskKey) {
        people.driveUntil(missionId, taskKey, STEP, () -> System.out.println(node.tail(80)));
    }

    private void decideOnly(String missionId, String taskKey) {
        People.Task task = people.openTasks(missionId).stream()
                .filter(t -> t.key().equals(taskKey))
                .findFirst()
                .orElseThrow(() -> new AssertionError(missionId + " has no open " + taskKey));
        assertThat(people.decide(task)).as("%s completes", taskKey).isTrue();
    }

    @Test
    void everyMissionSurvivesKillDashNineAndGoesOnOnce() {
        db.recreate();
        node = new ServiceNode("crash-node", db.url(), Map.of("controlplane.oncall.handoff-summary", "false"))
                .start()
                .awaitUp(Duration.ofMinutes(4));
        people = new People(List.of(node.http()));

        // missions waiting for people, one per checkpoint a journey can wait at (name → mission id)
        Map<String, String> waiting = new LinkedHashMap<>();
        String id;

        waiting.put("Define / Intent Confirmation", start("Crash: intent", PLAIN, "hubspot", SCOPES));

        id = start("Crash: revision", PLAIN, "hubspot", SCOPES);
        driveUntil(id, "userTask_intentConfirmation");
        assertThat(people.complete(
                        people.openTasks(id).get(0),
                        "gv",
                        Map.of("intentDecision", "request_changes", "intentComment", "Name the audience")))
                .isTrue();
        driveUntil(id, "userTask_briefRevision");
        waiting.put("Define / Revise Mission Brief", id);

        id = start("Crash: coverage gap", PLAIN, "legacy-crm", SCOPES);
        driveUntil(id, "userTask_gapDecision");
        waiting.put("Prepare / Coverage Gap Decision (runbook, Slack post)", id);

        id = start("Crash: authorization", PLAIN, "hubspot", SCOPES);
        driveUntil(id, "userTask_toolkitAuthorization");
        waiting.put("Prepare / Toolkit Authorization", id);

        id = start("Crash: packet half signed", PLAIN, "hubspot", SCOPES);
        driveUntil(id, "userTask_packetReviewGovernance");
        decideOnly(id, "userTask_packetReviewGovernance");
        waiting.put("Plan & Approve / packet co-signed by GV only", id);

        id = start(
                "Crash: red play",
                PLAIN,
                "hubspot",
                List.of("crm.objects.contacts.read", "crm.objects.contacts.delete"));
        driveUntil(id, "userTask_redPlayConfirmation");
        waiting.put("Plan & Approve / Confirm Red Plays", id);

        id = start("Crash: violation", "Reactivation guaranteed for every dormant account", "hubspot", SCOPES);
        driveUntil(id, "userTask_violationDecision");
        waiting.put("Execute & Observe / safeguard violation (incident, Slack, PagerDuty)", id);

        id = start("Crash: scope drift", PLAIN, "hubspot", SCOPES);
        driveUntil(id, "userTask_packetReviewGovernance");
        people.reportScopeDrift(id);
        driveUntil(id, "userTask_scopeReauthorization"); // the runbook opened its incident and paged on-call
        // the packet gets co-signed meanwhile; execution starts, and its plays wait for the re-authorisation
        for (String packetTask : List.of(
                "userTask_packetReviewGovernance",
                "userTask_packetReviewOperations",
                "userTask_telemetryHooksVerification")) {
            decideOnly(id, packetTask);
        }
        awaitTask(id, "userTask_liveOversight");
        assertThat(people.openTasks(id)).extracting(People.Task::key).contains("userTask_scopeReauthorization");
        waiting.put("Execute & Observe / execution held by scope drift (incident, Live Oversight open)", id);

        id = start("Crash: feedback", PLAIN, "hubspot", SCOPES);
        driveUntil(id, "userTask_missionFeedback");
        waiting.put("Reflect & Improve / Mission Feedback", id);

        id = start("Crash: retro", PLAIN, "hubspot", SCOPES);
        driveUntil(id, "userTask_retroSignOffOwner");
        decideOnly(id, "userTask_retroSignOffOwner");
        waiting.put("Reflect & Improve / retrospective signed by MO only", id);

        id = start("Crash: completed", PLAIN, "hubspot", SCOPES);
        people.driveToEnd(List.of(id), STEP, () -> System.out.println(node.tail(80)));
        waiting.put("Completed", id);

        // nothing left for the agent or the job executor: each mission now waits for a person
        awaitQuiet();
        Map<String, List<String>> positions = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> records = new LinkedHashMap<>();
        Set<String> stages = new LinkedHashSet<>();
        waiting.values().forEach(m -> {
            positions.put(m, ledger.position(m));
            records.put(m, ledger.records(m));
            stages.add(records.get(m).get("mission").get(0).split("\\|")[0]);
        });
        assertThat(stages)
                .as("stages covered")
                .contains("DEFINE", "PREPARE", "PLAN_APPROVE", "EXECUTE_OBSERVE", "REFLECT_IMPROVE");
        long openIncidents = db.count("SELECT COUNT(*) FROM incidents WHERE status = 'OPEN'");
        long notificationsBefore = ledger.notificationsLogged();
        assertThat(openIncidents).as("open incidents at the crash").isGreaterThanOrEqualTo(2);

        // more missions in flight at the moment of the crash: the agent is inspecting and ranking for them
        List<String> inFlight = new ArrayList<>();
        for (String slug : List.of("hubspot", "legacy-crm", "hubspot")) {
            inFlight.add(start("Crash: in flight " + slug, PLAIN, slug, SCOPES));
        }
        for (String m : inFlight) {
            people.advance(m); // intent confirmed: the agent inspects the data, the gap runbook posts to Slack
        }
        ServiceNode.sleep(400);
        long pid = node.pid();
        node.killHard();
        System.out.println("CRASH: kill -9 " + pid + " with " + (waiting.size() + inFlight.size()) + " missions, "
                + ledger.pendingWork() + " engine work items pending");

        node.start().awaitUp(Duration.ofMinutes(4));
        ServiceNode.sleep(3000); // the agent and the job executor have had their first rounds on the restarted node
        awaitQuiet();
        int missing = 0;
        int moved = 0;
        int changed = 0;
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> w : waiting.entrySet()) {
            String m = w.getValue();
            Map<String, List<String>> after = ledger.records(m);
            if (after.get("mission").isEmpty()) {
                missing++;
                differences.add(w.getKey() + ": mission row gone");
                continue;
            }
            if (!ledger.position(m).equals(positions.get(m))) {
                moved++;
                differences.add(w.getKey() + ": was " + positions.get(m) + ", now " + ledger.position(m));
            }
            if (!after.equals(records.get(m))) {
                changed++;
                differences.add(w.getKey() + ": records were " + records.get(m) + ", now " + after);
            }
        }
        for (String m : inFlight) {
            if (ledger.records(m).get("mission").isEmpty()) {
                missing++;
                differences.add("in flight " + m + ": mission row gone");
            }
        }
        assertThat(differences).as("after the restart\n" + node.tail(40)).isEmpty();

        // every mission continues from where it waited, to the end
        List<String> all = new ArrayList<>(waiting.values());
        all.addAll(inFlight);
        Instant resumed = Instant.now();
        people.driveToEnd(all, Duration.ofMinutes(5), () -> System.out.println(node.tail(80)));
        awaitQuiet();
        long finished = all.stream().filter(people::finished).count();
        Map<String, Long> duplicates = ledger.duplicates();
        long duplicateTotal =
                duplicates.values().stream().mapToLong(Long::longValue).sum();

        System.out.println("CRASH: missions=" + all.size() + " (" + waiting.size() + " waiting at " + waiting.size()
                + " checkpoints in " + stages.size() + " stages, " + inFlight.size()
                + " in flight), open incidents at kill="
                + openIncidents + ", notifications at kill=" + notificationsBefore + ", after restart missing="
                + missing
                + ", moved=" + moved + ", records changed=" + changed + ", finished=" + finished + " in "
                + Duration.between(resumed, Instant.now()).toSeconds() + "s, approvals=" + ledger.approvals()
                + ", notifications=" + ledger.notificationsLogged() + ", agent tasks=" + ledger.agentTasksCompleted()
                + ", jobs=" + ledger.jobsRun() + ", duplicates=" + duplicateTotal + " " + duplicates
                + ", 5xx=" + people.serverErrors.get());
        waiting.forEach((where, m) -> System.out.println("CRASH:   " + m + " waited at " + where));

        assertThat(finished).as("missions finished").isEqualTo(all.size());
        assertThat(duplicates)
                .as("duplicates by kind")
                .allSatisfy((kind, n) -> assertThat(n).as(kind).isZero());
        assertThat(people.failures)
                .as("5xx or optimistic-locking failures seen")
                .isEmpty();
    }

    /** Waits, without deciding anything, until checkpoint {@code taskKey} of the mission is open. */
    private void awaitTask(String missionId, String taskKey) {
        Instant deadline = Instant.now().plus(STEP);
        while (people.openTasks(missionId).stream().noneMatch(t -> t.key().equals(taskKey))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(missionId + " has no open " + taskKey + ": " + people.openTasks(missionId)
                        + "\n" + node.tail(60));
            }
            ServiceNode.sleep(250);
        }
    }

    /** Waits until the agent and the job executor have nothing left to do (missions wait for people). */
    private void awaitQuiet() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
        while (ledger.pendingWork() > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("engine work still pending: " + ledger.pendingWork() + "\n" + node.tail(60));
            }
            ServiceNode.sleep(500);
        }
    }
}
