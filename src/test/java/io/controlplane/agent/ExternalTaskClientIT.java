package io.controlplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.resilience.ItDatabase;
import io.controlplane.resilience.People;
import io.controlplane.resilience.ServiceNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real agent runtime against the packaged service (issue #15): the {@link ReferenceAgentWorker}, written with
 * Camunda's own external-task client from docs/agents.md and the topic schemas alone, serves every topic while the
 * service's simulated agent is off. People decide their checkpoints through the REST API as the demo users of each
 * role. Two missions, one service:
 * <ol>
 *   <li><b>Define → signed retrospective, completed</b>: the first inspection fails because the CRM refused the
 *       agent's token ({@code retries: 0}: a Cockpit incident), operations command retries it through Cockpit's API
 *       once the token is fixed; the planner's first CRM call times out and is retried by the countdown; every play
 *       executes; the curator promotes the tagging play to the library.</li>
 *   <li><b>Define → rollback → signed retrospective</b>: the CRM bills the win-back e-mails past the mission's
 *       budget cap, the validator escalates, a governance validator decides <i>rollback</i>; a salesperson changed one
 *       tagged contact meanwhile, so the tagging play's undo answers the documented BPMN error {@code UNDO_FAILED}; the
 *       undo-failure runbook hands out the alternate rollback, the worker restores from the CRM's backup, operations
 *       command confirms, and the retrospective is signed.</li>
 * </ol>
 * Runs from the packaged jar ({@code ./mvnw verify -Ppostgres}) in its own database, {@code controlplane_agent_it}.
 */
class ExternalTaskClientIT {
    private static final Duration STEP = Duration.ofMinutes(2);
    private static final String SEGMENT = "segment-dormant";
    private static final String TAG = "tag-dormant";
    private static final String EMAIL = "winback-email";

    private final ItDatabase db = new ItDatabase("controlplane_agent_it");
    private ServiceNode node;
    private ReferenceAgentWorker worker;
    private People people;
    private Http http;
    private InMemoryCrm crm;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (node != null) {
            node.close();
            db.drop();
        }
    }

    /** The worker's copy of the "Receives" tables is docs/agents.md's, so serving the topics tests the page. */
    @Test
    void theWorkerFetchesWhatDocsAgentsMdSaysEachTopicCarries() throws IOException {
        Map<String, Map<String, String>> documented = new LinkedHashMap<>();
        Pattern heading = Pattern.compile("^### `([a-z.]+)`\\s*$");
        Pattern row = Pattern.compile("^\\| `([A-Za-z]+)` \\| ([A-Za-z]+) \\|.*");
        String topic = null;
        boolean receives = false;
        for (String line : Files.readAllLines(Path.of("docs", "agents.md"))) {
            Matcher h = heading.matcher(line);
            if (h.matches()) {
                topic = h.group(1);
                receives = false;
            } else if (line.startsWith("## ")) {
                topic = null;
            } else if (topic != null && line.startsWith("Receives:")) {
                receives = true;
            } else if (topic != null && line.startsWith("Completes with")) {
                receives = false;
            } else if (receives) {
                Matcher r = row.matcher(line);
                if (r.matches()) {
                    documented
                            .computeIfAbsent(topic, k -> new LinkedHashMap<>())
                            .put(r.group(1), r.group(2));
                }
            }
        }
        assertThat(documented)
                .as("docs/agents.md's Receives tables")
                .isNotEmpty()
                .isEqualTo(ReferenceAgentWorker.RECEIVES);
    }

    @Test
    void aWorkerOnCamundasClientDrivesMissionsFromDefineToASignedRetrospective() {
        db.recreate();
        node = new ServiceNode(
                        "agent-node",
                        db.url(),
                        Map.of(
                                "controlplane.agent.simulated.enabled", "false",
                                "controlplane.oncall.handoff-summary", "false"))
                .start()
                .awaitUp(Duration.ofMinutes(4));
        http = node.http();
        people = new People(List.of(http));

        // the contract the service publishes has exactly the topics the worker serves
        Http.Response contract = http.get("/api/contract", "agent");
        assertThat(contract.status()).as(contract.body()).isEqualTo(200);
        Set<String> published = new TreeSet<>();
        contract.json()
                .path("topics")
                .forEach(t ->
                        published.add(t.path("schema").path("$id").asText().replace("urn:controlplane:topic:", "")));
        assertThat(published).isEqualTo(new TreeSet<>(ReferenceAgentWorker.RECEIVES.keySet()));

        crm = InMemoryCrm.seeded(24, 2, LocalDate.now());
        // before the first mission the CRM's admin revoked the agent's API token: its first call fails
        crm.revokeAccess();
        worker = new ReferenceAgentWorker(
                        "http://localhost:" + node.port() + "/engine-rest", "agent", "demo", crm, 1000)
                .start();

        String completed = completedMission();
        String rolledBack = rolledBackMission();

        List<ReferenceAgentWorker.Handled> journal = worker.journal();
        assertThat(journal)
                .as("nothing the worker sent was refused, and every task matched the docs")
                .noneMatch(h -> Set.of("REFUSED", "CONTRACT").contains(h.outcome())
                        || h.outcome().startsWith("HTTP_"));
        assertThat(journal)
                .extracting(ReferenceAgentWorker.Handled::topic)
                .as("every topic served")
                .containsAll(ReferenceAgentWorker.RECEIVES.keySet());
        assertThat(people.serverErrors.get())
                .as("server errors people saw: " + people.failures)
                .isZero();
        System.out.printf(
                "REFERENCE AGENT: missions %s (completed) and %s (rolled back) signed; %d tasks handled: %s%n",
                completed,
                rolledBack,
                journal.size(),
                journal.stream().map(h -> h.topic() + "=" + h.outcome()).toList());
    }

    /** Mission 1: a failure with an incident, a retry from Cockpit's API, a counted-down failure, then to the end. */
    private String completedMission() {
        String id = people.start(brief("Win back dormant accounts", 5000));

        // gv confirms the intent; the inspection fails with retries 0: an incident in Cockpit, the mission waits
        String journey = journeyInstance(id);
        drive(id, Map.of(), open -> !failedExternalTasks(journey).isEmpty());
        JsonNode incident = failedExternalTasks(journey).get(0);
        assertThat(incident.path("activityId").asText()).isEqualTo("serviceTask_readOnlyInspection");
        assertThat(incident.path("incidentMessage").asText()).contains("API token was revoked");
        assertThat(handled(id, "mission.data.inspect"))
                .extracting(ReferenceAgentWorker.Handled::outcome)
                .containsExactly("INCIDENT");

        // the agent cannot give itself attempts; operations command retries through Cockpit's API once the token works
        String externalTaskId = incident.path("configuration").asText();
        Map<String, Object> oneAttempt = Map.of("retries", 1);
        assertThat(http.send("PUT", "/engine-rest/external-task/" + externalTaskId + "/retries", "agent", oneAttempt)
                        .status())
                .isEqualTo(403);
        crm.restoreAccess();
        Http.Response retry =
                http.send("PUT", "/engine-rest/external-task/" + externalTaskId + "/retries", "oc", oneAttempt);
        assertThat(retry.status()).as(retry.body()).isEqualTo(204);

        drive(id, Map.of(), open -> has(open, "userTask_toolkitAuthorization"));
        assertThat(failedExternalTasks(journey))
                .as("the retried step left no incident")
                .isEmpty();
        assertThat(handled(id, "mission.data.inspect"))
                .extracting(ReferenceAgentWorker.Handled::outcome, ReferenceAgentWorker.Handled::retries)
                .containsExactly(Tuple.tuple("INCIDENT", null), Tuple.tuple("COMPLETED", 1));

        // the planner's first CRM call times out: a technical failure with attempts left, fetched again after 1 s
        crm.timeOutNextCalls(1);
        drive(
                id,
                Map.of(
                        "userTask_retroSignOffCurator",
                        new People.Decision(
                                "kc",
                                Map.of(
                                        "curatorSignOff",
                                        true,
                                        "libraryPlays",
                                        TAG,
                                        "libraryCategory",
                                        "segmentation",
                                        "libraryTags",
                                        "hubspot, win-back",
                                        "curatorSignOffComment",
                                        "The tagging play worked well"))),
                ended(id));
        assertThat(handled(id, "mission.play.rank"))
                .extracting(ReferenceAgentWorker.Handled::outcome, ReferenceAgentWorker.Handled::retries)
                .containsExactly(Tuple.tuple("FAILED", null), Tuple.tuple("COMPLETED", 2));
        assertThat(handled(id, "mission.play.execute"))
                .extracting(ReferenceAgentWorker.Handled::outcome)
                .containsExactly("COMPLETED", "COMPLETED", "COMPLETED");

        JsonNode mission = people.mission(id);
        assertThat(mission.path("status").asText()).isEqualTo("COMPLETED");
        assertSigned(mission);
        assertThat(stages(mission))
                .containsExactly("DEFINE", "PREPARE", "PLAN_APPROVE", "EXECUTE_OBSERVE", "REFLECT_IMPROVE");

        // what the agent reported it used is the ledger, booked to the authenticated worker: one run per completion
        // that carried agentUsage (the failed attempts carry none), 0.9 + 4.2 + 3 × 1.5 cents
        JsonNode ledger = http.get("/api/missions/" + id + "/agent-runs", "oc").json();
        assertThat(ledger.path("total").asLong()).isEqualTo(5);
        assertThat(ledger.path("items").findValuesAsText("agent")).containsOnly("agent");
        assertThat(ledger.path("items").findValuesAsText("topic"))
                .containsExactlyInAnyOrder(
                        "mission.data.inspect",
                        "mission.play.rank",
                        "mission.play.execute",
                        "mission.play.execute",
                        "mission.play.execute");
        assertThat(ledger.path("totals").path("costCents").decimalValue()).isEqualByComparingTo("9.6");
        assertThat(ledger.path("totals").path("tokensIn").asLong()).isEqualTo(1200 + 3000 + 3 * 500);

        // what the agent did is in the CRM: the dormant contacts tagged, one e-mail each
        List<String> tagged = crm.touchedBy(ReferenceAgentWorker.changeSet(id, TAG));
        assertThat(tagged).hasSize(14);
        assertThat(crm.contact(tagged.get(0)).tags()).contains(ReferenceAgentWorker.winbackTag(id));
        assertThat(crm.outbox())
                .filteredOn(m -> m.changeSet().equals(ReferenceAgentWorker.changeSet(id, EMAIL)))
                .hasSize(14)
                .allMatch(m -> !m.text().toLowerCase().contains("guaranteed"));
        return id;
    }

    /** Mission 2: a safeguard violation, a rollback whose undo fails with the BPMN error, the alternate rollback. */
    private String rolledBackMission() {
        String id = people.start(brief("Win back dormant accounts on a small budget", 40));
        drive(id, Map.of(), open -> has(open, "userTask_violationDecision"));
        JsonNode held = people.mission(id);
        assertThat(held.path("stage").asText()).isEqualTo("EXECUTE_OBSERVE");

        // while execution holds, a salesperson edits one of the contacts the agent tagged
        String changeSet = ReferenceAgentWorker.changeSet(id, TAG);
        List<String> tagged = crm.touchedBy(changeSet);
        assertThat(tagged).hasSize(14);
        Set<String> tagsBefore = Set.copyOf(crm.contact(tagged.get(0)).tags());
        crm.editedBySomeoneElse(tagged.get(0), "vip");

        drive(
                id,
                Map.of(
                        "userTask_violationDecision",
                        new People.Decision(
                                "gv",
                                Map.of(
                                        "violationDecision",
                                        "rollback",
                                        "violationNote",
                                        "Over budget: roll the outreach back"))),
                ended(id));

        assertThat(handled(id, "mission.play.undo"))
                .extracting(ReferenceAgentWorker.Handled::outcome)
                .as("newest play first: the e-mail's correction, then the tagging play's undo fails")
                .containsExactly("COMPLETED", "BPMN_ERROR");
        assertThat(handled(id, "mission.play.rollback"))
                .extracting(ReferenceAgentWorker.Handled::outcome)
                .containsExactly("COMPLETED");
        assertThat(crm.outbox())
                .as("the e-mail play's undo plan: a correction to each of its recipients")
                .filteredOn(m -> m.changeSet().equals(ReferenceAgentWorker.changeSet(id, EMAIL) + ":undo"))
                .hasSize(14);
        assertThat(crm.state(changeSet)).isEqualTo("RESTORED");
        assertThat(crm.contact(tagged.get(0)).tags())
                .as("restored as the backup had it")
                .doesNotContain(ReferenceAgentWorker.winbackTag(id), "vip");
        assertThat(tagsBefore).contains(ReferenceAgentWorker.winbackTag(id));

        JsonNode mission = people.mission(id);
        assertThat(mission.path("status").asText()).isEqualTo("ROLLED_BACK");
        assertSigned(mission);
        assertThat(stages(mission)).contains("DEFINE", "PREPARE", "PLAN_APPROVE", "EXECUTE_OBSERVE", "REFLECT_IMPROVE");
        assertThat(mission.path("approvals").findValuesAsText("decision")).contains("rollback");

        JsonNode incidents = http.get("/api/incidents?missionId=" + id, "oc").json();
        List<String> kinds = new ArrayList<>();
        incidents
                .path("items")
                .forEach(i -> kinds.add(
                        i.path("kind").asText() + ":" + i.path("status").asText()));
        assertThat(kinds).as(incidents.toString()).contains("undo_failure:RESOLVED");

        // the planner reused the play the curator promoted after the first mission
        JsonNode assets = http.get("/api/library/assets", "ta").json();
        assertThat(assets.toString()).contains("Tag dormant contacts for win-back");
        assertThat(assets.findValues("reuseCount")).anyMatch(n -> n.asInt() >= 1);
        return id;
    }

    private static Map<String, Object> brief(String title, int centsPerDay) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("title", title);
        b.put("objective", "Re-engage contacts with no activity for 90 days");
        b.put("persona", "Revenue operations");
        b.put("kpi", Map.of("metric", "reactivated accounts", "target", 10));
        b.put(
                "safeguards",
                List.of(
                        Map.of("type", "tone"),
                        Map.of("type", "budget_cap", "parameters", Map.of("centsPerDay", centsPerDay))));
        b.put(
                "toolkits",
                List.of(Map.of(
                        "slug",
                        "hubspot",
                        "scopes",
                        List.of(ReferenceAgentWorker.READ_SCOPE, ReferenceAgentWorker.WRITE_SCOPE))));
        return b;
    }

    /**
     * People take their decision at every open checkpoint of the mission ({@code decisions} first, else the usual one)
     * until {@code until} holds; the agent's steps are the worker's.
     */
    private void drive(String missionId, Map<String, People.Decision> decisions, Predicate<List<People.Task>> until) {
        Instant deadline = Instant.now().plus(STEP);
        while (Instant.now().isBefore(deadline)) {
            List<People.Task> open = people.openTasks(missionId);
            if (until.test(open)) {
                return;
            }
            int done = 0;
            for (People.Task t : open) {
                People.Decision d = decisions.containsKey(t.key()) ? decisions.get(t.key()) : People.usual(t.key());
                if (d != null && people.complete(t, d.user(), d.variables())) {
                    done++;
                }
            }
            if (done == 0) {
                ServiceNode.sleep(250); // the agent or a job is at work
            }
        }
        System.out.println(node.tail(80));
        throw new AssertionError(
                "Mission " + missionId + " did not get there within " + STEP + "; open: " + people.openTasks(missionId)
                        + "; mission: " + people.mission(missionId) + "; worker: " + worker.journal());
    }

    /** The journey ended and nothing of the mission (runbooks, reviews) waits for anyone. */
    private Predicate<List<People.Task>> ended(String missionId) {
        return open -> open.isEmpty()
                && !"ACTIVE".equals(people.mission(missionId).path("status").asText());
    }

    private static boolean has(List<People.Task> open, String key) {
        return open.stream().anyMatch(t -> t.key().equals(key));
    }

    private List<ReferenceAgentWorker.Handled> handled(String missionId, String topic) {
        return worker.journal().stream()
                .filter(h -> missionId.equals(h.businessKey()) && topic.equals(h.topic()))
                .toList();
    }

    private String journeyInstance(String missionId) {
        JsonNode list = http.get(
                        "/engine-rest/process-instance?businessKey=" + missionId
                                + "&processDefinitionKey=mission-journey",
                        "oc")
                .json();
        assertThat(list.size()).as(list.toString()).isEqualTo(1);
        return list.get(0).path("id").asText();
    }

    /** The three retrospective signatures and the checkpoints before them are recorded approvals. */
    private static void assertSigned(JsonNode mission) {
        List<String> checkpoints = mission.path("approvals").findValuesAsText("checkpoint");
        assertThat(checkpoints)
                .as(mission.toString())
                .contains(
                        "userTask_intentConfirmation",
                        "userTask_toolkitAuthorization",
                        "userTask_packetReviewGovernance",
                        "userTask_packetReviewOperations",
                        "userTask_missionFeedback",
                        "userTask_retroSignOffOwner",
                        "userTask_retroSignOffCurator",
                        "userTask_retroSignOffAnalyst");
    }

    /** The stages with a rendered evidence artifact (each with its SHA-256). */
    private static List<String> stages(JsonNode mission) {
        List<String> out = new ArrayList<>();
        mission.path("evidence").forEach(e -> {
            assertThat(e.path("sha256").asText()).hasSize(64);
            out.add(e.path("stage").asText());
        });
        return out;
    }

    /** Cockpit's incidents of an agent step out of retries, as operations command reads them. */
    private JsonNode failedExternalTasks(String processInstanceId) {
        Http.Response r = http.get(
                "/engine-rest/incident?processInstanceId=" + processInstanceId + "&incidentType=failedExternalTask",
                "oc");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }
}
