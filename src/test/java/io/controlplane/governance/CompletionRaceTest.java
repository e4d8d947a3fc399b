package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.ApprovalStore;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Two people complete the same checkpoint at the same instant, through {@code /engine-rest} (what scripts and agent
 * runtimes use) and through Tasklist's own API (session + CSRF token, as the browser sends it). Each round releases
 * both requests from one barrier. Exactly one completion may count; the other gets a 4xx that says what happened,
 * never a 500, and {@code mission_approvals} holds one row per completed task. Two different co-sign tasks completed
 * at the same instant must both count, and the journey must move on exactly once.
 */
@IntegrationTest
class CompletionRaceTest {
    private static final int ROUNDS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ExecutorService pool;

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    ApprovalStore approvals;

    @Autowired
    RuntimeService runtime;

    @Autowired
    HistoryService history;

    @Autowired
    ExternalTaskService externalTasks;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /** Figures of one case: what a reviewer of the race wants to see. */
    static final class Figures {
        final String name;
        int rounds;
        int sent;
        int won;
        int clientErrors;
        int serverErrors;
        int duplicateApprovals;
        /** "path status" → count for the losers, e.g. "tasklist 409". */
        final Map<String, Integer> losers = new TreeMap<>();

        Figures(String name) {
            this.name = name;
        }

        void count(List<Http.Response> responses, String... paths) {
            for (int i = 0; i < responses.size(); i++) {
                Http.Response r = responses.get(i);
                sent++;
                if (r.status() >= 200 && r.status() < 300) {
                    won++;
                    continue;
                }
                if (r.status() >= 400 && r.status() < 500) {
                    clientErrors++;
                } else {
                    serverErrors++;
                }
                losers.merge(paths[i] + " " + r.status(), 1, Integer::sum);
            }
        }

        void print() {
            System.out.printf(
                    "RACE: %s: rounds=%d, completions sent=%d, won=%d, 4xx=%d, 5xx=%d, duplicate approvals=%d; losers by path %s%n",
                    name, rounds, sent, won, clientErrors, serverErrors, duplicateApprovals, losers);
        }
    }

    // --- the two ways a person completes a task ---------------------------------------------------------------------

    private Http.Response engineRest(String user, String taskId, Map<String, Object> variables) {
        return new Http(port)
                .post("/engine-rest/task/" + taskId + "/complete", user, Map.of("variables", typed(variables)));
    }

    /** A browser logged in to Tasklist: session cookie, Camunda's CSRF token, the webapp's engine API. */
    private final class Tasklist {
        private final CookieManager cookies = new CookieManager();
        private final HttpClient browser =
                HttpClient.newBuilder().cookieHandler(cookies).build();

        Tasklist(String user) {
            send(HttpRequest.newBuilder(uri("/camunda/app/tasklist/default/")).GET());
            Http.Response login =
                    send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default/login/tasklist"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-XSRF-TOKEN", csrfToken())
                            .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=demo")));
            assertThat(login.status())
                    .as("Tasklist login of %s: %s", user, login.body())
                    .isEqualTo(200);
            // the login starts a new session: its CSRF token comes with the next read, as when Tasklist loads
            send(HttpRequest.newBuilder(uri("/camunda/api/engine/engine/default/task/count"))
                    .GET());
        }

        Http.Response submit(String taskId, Map<String, Object> variables) {
            String body = write(Map.of("variables", typed(variables)));
            return send(
                    HttpRequest.newBuilder(uri("/camunda/api/engine/engine/default/task/" + taskId + "/submit-form"))
                            .header("Content-Type", "application/json")
                            .header("X-XSRF-TOKEN", csrfToken())
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        private String csrfToken() {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue)
                    .reduce((first, last) -> last)
                    .orElse("");
        }

        private Http.Response send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> r = browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Http.Response(r.statusCode(), r.body(), r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static Map<String, Object> typed(Map<String, Object> variables) {
        Map<String, Object> typed = new LinkedHashMap<>();
        variables.forEach((k, v) -> typed.put(k, Map.of("value", v)));
        return typed;
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends both requests released by one barrier, so they reach the service at the same instant. */
    private List<Http.Response> race(Supplier<Http.Response> first, Supplier<Http.Response> second) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<Http.Response>> futures = new ArrayList<>();
        for (Supplier<Http.Response> call : List.of(first, second)) {
            futures.add(pool.submit(() -> {
                barrier.await(5, TimeUnit.MINUTES);
                return call.get();
            }));
        }
        List<Http.Response> responses = new ArrayList<>();
        for (Future<Http.Response> f : futures) {
            responses.add(
                    f.get(10, TimeUnit.MINUTES)); // a generous limit for a slow CI machine, not a timing assertion
        }
        return responses;
    }

    // --- missions at the checkpoint each case needs
    // ---------------------------------------------------------------------

    private String atPacketReview(String title) {
        String id = drive.start("mo", JourneyDriver.brief(title));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible"));
        return id;
    }

    private long approvalRows(String missionId, String checkpoint) {
        return approvals.forMission(missionId).stream()
                .filter(a -> a.checkpoint().equals(checkpoint))
                .count();
    }

    private long externalTasks(String missionId, String topic) {
        return externalTasks
                .createExternalTaskQuery()
                .topicName(topic)
                .processInstanceId(drive.instance(missionId).getId())
                .count();
    }

    private long passed(String missionId, String activityId) {
        return history.createHistoricActivityInstanceQuery()
                .processInstanceId(drive.instance(missionId).getId())
                .activityId(activityId)
                .count();
    }

    private static List<String> bodies(List<Http.Response> responses) {
        return responses.stream().map(r -> r.status() + " " + r.body()).toList();
    }

    /** One completion won, the other lost with a 4xx that explains itself; no 5xx. */
    private void assertOneWinner(List<Http.Response> responses, String taskId) {
        assertThat(responses).as("no 5xx: %s", bodies(responses)).noneMatch(r -> r.status() >= 500);
        assertThat(responses)
                .filteredOn(r -> r.status() >= 200 && r.status() < 300)
                .as("exactly one winner: %s", bodies(responses))
                .hasSize(1);
        Http.Response loser =
                responses.stream().filter(r -> r.status() >= 400).findFirst().orElseThrow();
        assertThat(loser.status()).as(loser.body()).isEqualTo(409);
        JsonNode body = loser.json();
        assertThat(body.path("message").asText())
                .as(loser.body())
                .contains(taskId)
                .containsIgnoringCase("completed");
    }

    @Test
    void twoValidatorsConfirmingOneIntentAtTheSameInstant() throws Exception {
        Figures figures = new Figures("Intent Confirmation, gv and gv2 on the same task");
        Map<String, Object> approve = Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true);
        Tasklist gv2Tasklist = new Tasklist("gv2");
        for (int round = 1; round <= ROUNDS; round++) {
            String id = drive.start("mo", JourneyDriver.brief("Race intent " + round));
            String taskId = drive.task(id, Elements.INTENT_CONFIRMATION).getId();
            boolean viaTasklist = round % 2 == 0; // every other round the second validator works in Tasklist
            List<Http.Response> responses = race(
                    () -> engineRest("gv", taskId, approve),
                    () -> viaTasklist ? gv2Tasklist.submit(taskId, approve) : engineRest("gv2", taskId, approve));
            figures.rounds++;
            figures.count(responses, "engine-rest", viaTasklist ? "tasklist" : "engine-rest");
            long rows = approvalRows(id, Elements.INTENT_CONFIRMATION);
            figures.duplicateApprovals += (int) Math.max(0, rows - 1);

            assertOneWinner(responses, taskId);
            assertThat(rows).as("one approval row for the task").isEqualTo(1);
            assertThat(drive.task(id, Elements.INTENT_CONFIRMATION))
                    .as("the task is done")
                    .isNull();
            assertThat(externalTasks(id, Topics.DATA_INSPECT))
                    .as("the journey moved on once")
                    .isEqualTo(1);
            if (round == ROUNDS) {
                // whoever lost above, both paths give a late attempt the same answer: 409, and an unknown id 404
                assertOneWinner(List.of(new Http.Response(204, "", null), gv2Tasklist.submit(taskId, approve)), taskId);
                assertOneWinner(List.of(new Http.Response(204, "", null), engineRest("gv2", taskId, approve)), taskId);
                Http.Response unknown = engineRest("gv2", "no-such-task", approve);
                assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
                assertThat(approvalRows(id, Elements.INTENT_CONFIRMATION)).isEqualTo(1);
            }
        }
        figures.print();
        assertThat(figures.serverErrors).isZero();
        assertThat(figures.won).isEqualTo(ROUNDS);
    }

    @Test
    void twoGovernanceValidatorsCoSigningOnePacketAtTheSameInstant() throws Exception {
        Figures figures = new Figures("Approval Packet Review (Governance), gv and gv2 on the same task");
        Map<String, Object> approve = Map.of(Vars.GV_PACKET_DECISION, "approve");
        Tasklist gvTasklist = new Tasklist("gv");
        for (int round = 1; round <= ROUNDS; round++) {
            String id = atPacketReview("Race co-sign " + round);
            String taskId = drive.task(id, Elements.PACKET_REVIEW_GOVERNANCE).getId();
            boolean viaTasklist = round % 2 == 1;
            List<Http.Response> responses = race(
                    () -> viaTasklist ? gvTasklist.submit(taskId, approve) : engineRest("gv", taskId, approve),
                    () -> engineRest("gv2", taskId, approve));
            figures.rounds++;
            figures.count(responses, viaTasklist ? "tasklist" : "engine-rest", "engine-rest");
            long rows = approvalRows(id, Elements.PACKET_REVIEW_GOVERNANCE);
            figures.duplicateApprovals += (int) Math.max(0, rows - 1);

            assertOneWinner(responses, taskId);
            assertThat(rows).as("one approval row for the task").isEqualTo(1);
            String winner = responses.get(0).status() < 300 ? "gv" : "gv2";
            // the co-signer is on record in mission_approvals (what segregation of duties reads), not in a variable
            assertThat(approvals.forMission(id).stream()
                            .filter(a -> a.checkpoint().equals(Elements.PACKET_REVIEW_GOVERNANCE))
                            .map(ApprovalStore.Approval::decidedBy)
                            .toList())
                    .as("the co-signer is the winner")
                    .containsExactly(winner);
            // the packet still needs the operations co-signature: the losing attempt must not have counted for it
            assertThat(drive.task(id, Elements.PACKET_REVIEW_OPERATIONS)).isNotNull();
        }
        figures.print();
        assertThat(figures.serverErrors).isZero();
        assertThat(figures.won).isEqualTo(ROUNDS);
    }

    @Test
    void governanceAndOperationsCoSigningTheirTwoTasksAtTheSameInstantBothCount() throws Exception {
        Figures figures = new Figures("Approval Packet Review, gv and oc on their two tasks");
        Tasklist ocTasklist = new Tasklist("oc");
        for (int round = 1; round <= ROUNDS; round++) {
            String id = atPacketReview("Race two co-signers " + round);
            drive.complete(
                    id, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
            Task governance = drive.task(id, Elements.PACKET_REVIEW_GOVERNANCE);
            Task operations = drive.task(id, Elements.PACKET_REVIEW_OPERATIONS);
            boolean viaTasklist = round % 2 == 0;
            List<Http.Response> responses = race(
                    () -> engineRest("gv", governance.getId(), Map.of(Vars.GV_PACKET_DECISION, "approve")),
                    () -> viaTasklist
                            ? ocTasklist.submit(operations.getId(), Map.of(Vars.OC_PACKET_DECISION, "approve"))
                            : engineRest("oc", operations.getId(), Map.of(Vars.OC_PACKET_DECISION, "approve")));
            figures.rounds++;
            figures.count(responses, "engine-rest", viaTasklist ? "tasklist" : "engine-rest");
            long governanceRows = approvalRows(id, Elements.PACKET_REVIEW_GOVERNANCE);
            long operationsRows = approvalRows(id, Elements.PACKET_REVIEW_OPERATIONS);
            figures.duplicateApprovals += (int) (Math.max(0, governanceRows - 1) + Math.max(0, operationsRows - 1));

            assertThat(responses)
                    .as("both co-signatures count: %s", bodies(responses))
                    .allMatch(r -> r.status() == 204);
            assertThat(governanceRows).as("one governance approval row").isEqualTo(1);
            assertThat(operationsRows).as("one operations approval row").isEqualTo(1);
            assertThat(passed(id, "gateway_packetApproved"))
                    .as("the packet was decided once")
                    .isEqualTo(1);
            assertThat(passed(id, "endEvent_planApproved"))
                    .as("the plan was approved once")
                    .isEqualTo(1);
            assertThat(externalTasks(id, Topics.PLAY_EXECUTE))
                    .as("execution started once")
                    .isEqualTo(1);
        }
        figures.print();
        assertThat(figures.serverErrors).isZero();
        assertThat(figures.won).isEqualTo(2 * ROUNDS);
    }

    /**
     * Segregation of duties under a race: one person in both groups co-signs both tasks at the same instant. Neither
     * transaction sees the other's co-signature, so both pass the check; the engine's locking at the join fails one,
     * which runs again, now sees the first co-signature and is refused. (Java API: the two-group user exists only in
     * tests, as in {@link SegregationOfDutiesTest}.)
     */
    @Test
    void oneDualRolePersonCoSigningBothTasksAtTheSameInstantIsRefusedOnce() throws Exception {
        Figures figures = new Figures("Approval Packet Review, one person (both groups) on both tasks");
        for (int round = 1; round <= ROUNDS; round++) {
            String id = atPacketReview("Race same co-signer " + round);
            List<Http.Response> responses = race(
                    () -> javaApi(() -> drive.complete(
                            id, Elements.PACKET_REVIEW_GOVERNANCE, "dual", Map.of(Vars.GV_PACKET_DECISION, "approve"))),
                    () -> javaApi(() -> drive.complete(
                            id,
                            Elements.PACKET_REVIEW_OPERATIONS,
                            "dual",
                            Map.of(Vars.OC_PACKET_DECISION, "approve"))));
            figures.rounds++;
            figures.count(responses, "java-api", "java-api");
            long rows = approvalRows(id, Elements.PACKET_REVIEW_GOVERNANCE)
                    + approvalRows(id, Elements.PACKET_REVIEW_OPERATIONS);
            figures.duplicateApprovals += (int) Math.max(0, rows - 1);

            assertThat(responses)
                    .extracting(Http.Response::status)
                    .as(bodies(responses).toString())
                    .containsExactlyInAnyOrder(204, 403);
            assertThat(rows).as("one co-signature recorded").isEqualTo(1);
        }
        figures.print();
        assertThat(figures.serverErrors).isZero();
    }

    /** A Java API call as a response: 204 when it returned, 403 for segregation of duties, 500 for anything else. */
    private static Http.Response javaApi(Runnable call) {
        try {
            call.run();
            return new Http.Response(204, "", null);
        } catch (SegregationOfDutiesException e) {
            return new Http.Response(403, e.getMessage(), null);
        } catch (RuntimeException e) {
            return new Http.Response(500, e.toString(), null);
        }
    }
}
