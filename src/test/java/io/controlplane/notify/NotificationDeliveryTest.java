package io.controlplane.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.controlplane.Http;
import io.controlplane.incident.IncidentService;
import io.controlplane.incident.Runbooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outages of Slack and PagerDuty (WireMock stands in for both): a failing delivery is retried, becomes an incident in
 * Cockpit when retries run out, and goes out exactly once when the channel is back and the job is retried. The
 * runbook does not wait for any of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NotificationDeliveryTest {
    /** A fixed port for the whole run: the outage test stops WireMock (connection refused) and starts it again there. */
    static final WireMockServer CHANNELS =
            new WireMockServer(WireMockConfiguration.options().port(freePort()));

    static {
        CHANNELS.start();
    }

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry registry) {
        registry.add("controlplane.notify.slack.token", () -> "test-bot-token");
        registry.add("controlplane.notify.slack.api-url", () -> CHANNELS.baseUrl() + "/api/");
        registry.add("controlplane.notify.pagerduty.routing-key", () -> "routing-key-for-tests");
        registry.add("controlplane.notify.pagerduty.events-url", () -> CHANNELS.baseUrl() + "/v2/enqueue");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        CHANNELS.stop();
    }

    @Autowired
    ProcessEngine engine;

    @Autowired
    Notifications notifications;

    @Autowired
    IncidentService incidents;

    @LocalServerPort
    int port;

    @BeforeEach
    void reset() {
        if (!CHANNELS.isRunning()) {
            CHANNELS.start();
        }
        CHANNELS.resetAll();
    }

    private void slackAnswers(int status, String body) {
        CHANNELS.stubFor(post(urlEqualTo("/api/chat.postMessage"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private void pagerDutyAnswers(int status) {
        CHANNELS.stubFor(post(urlEqualTo("/v2/enqueue"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
    }

    /** A KPI miss runbook: it needs no mission and queues one Slack post. */
    private String kpiMiss(String period) {
        engine.getRuntimeService()
                .createProcessInstanceByKey(Runbooks.KPI_MISS)
                .businessKey("kpi-" + period)
                .setVariable(Runbooks.Vars.KPI_NAME, "Undo execution success")
                .setVariable(Runbooks.Vars.KPI_PERIOD, period)
                .setVariable(Runbooks.Vars.KPI_VALUE, "91%")
                .setVariable("kpiTarget", "98%")
                .execute();
        return "kpi-" + period;
    }

    private Job deliveryJob(String businessKey) {
        var pi = engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey(businessKey)
                .singleResult();
        return engine.getManagementService()
                .createJobQuery()
                .processInstanceId(pi.getId())
                .singleResult();
    }

    /**
     * No controlplane.public-url in tests: every link is on the port the server actually listens on (random here),
     * not on 8080, in the Slack button and fallback, the PagerDuty event and the mail.
     */
    @Test
    void withoutAPublicUrlEveryLinkUsesThePortTheServerListensOn() throws Exception {
        slackAnswers(200, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}");
        pagerDutyAnswers(202);
        String cockpit = "http://localhost:" + port + "/camunda/app/cockpit/default/";
        Notification n = new Notification(
                "safeguard_violation",
                "inc-port-1",
                null,
                "Port check",
                "EXECUTE_OBSERVE",
                "high",
                "links",
                null,
                List.of(),
                List.of("oncall@example.com"));

        notifications.slack(n);
        notifications.page(n, PagerAction.TRIGGER);
        notifications.email(n);

        LoggedRequest post = CHANNELS.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")))
                .get(0);
        Map<String, String> form = TestNotifications.form(post.getBodyAsString());
        assertThat(form.get("text")).endsWith("Open in Cockpit: " + cockpit);
        JsonNode blocks = new ObjectMapper().readTree(form.get("blocks"));
        JsonNode actions = blocks.get(blocks.size() - 1);
        assertThat(actions.path("elements").get(1).path("url").asText()).isEqualTo(cockpit);
        JsonNode event = new ObjectMapper()
                .readTree(CHANNELS.findAll(postRequestedFor(urlEqualTo("/v2/enqueue")))
                        .get(0)
                        .getBodyAsString());
        assertThat(event.path("client_url").asText()).isEqualTo(cockpit);
        assertThat(notifications.recent("email", "inc-port-1", null, 1))
                .singleElement()
                .satisfies(row -> assertThat(row.body()).contains("Open in Cockpit: " + cockpit));
    }

    @Test
    void aSlackOutageIsRetriedThenAnIncidentThenDeliveredOnceWhenSlackIsBack() {
        String key = kpiMiss("2026-09");
        // the runbook went on: the analyst's task is there although nothing reached Slack yet
        assertThat(engine.getTaskService()
                        .createTaskQuery()
                        .processInstanceBusinessKey(key)
                        .taskDefinitionKey(Runbooks.Elements.KPI_MISS_ANALYSIS)
                        .count())
                .isEqualTo(1);

        slackAnswers(500, "{\"ok\":false,\"error\":\"internal_error\"}");
        Job job = deliveryJob(key);
        for (int attempt = 1; attempt <= 5; attempt++) {
            String id = job.getId();
            assertThatThrownBy(() -> engine.getManagementService().executeJob(id))
                    .hasMessageContaining("slack");
            job = deliveryJob(key);
        }
        assertThat(job.getRetries()).isZero();
        assertThat(engine.getRuntimeService()
                        .createIncidentQuery()
                        .processInstanceId(job.getProcessInstanceId())
                        .count())
                .as("an incident in Cockpit")
                .isEqualTo(1);

        // 429 honours Retry-After, then the channel is back: one Retry in Cockpit sends it
        CHANNELS.resetAll();
        slackAnswers(200, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}");
        engine.getManagementService().setJobRetries(job.getId(), 1);
        engine.getManagementService().executeJob(job.getId());
        assertThat(engine.getRuntimeService()
                        .createIncidentQuery()
                        .processInstanceId(job.getProcessInstanceId())
                        .count())
                .isZero();
        List<LoggedRequest> posts = CHANNELS.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(posts).hasSize(1);
        assertThat(URLDecoder.decode(posts.get(0).getBodyAsString(), StandardCharsets.UTF_8))
                .contains(
                        "#control-plane-ops",
                        "Undo execution success missed its target for 2026-09",
                        "acknowledge_incident");
        assertThat(notifications.recent(Notifications.SLACK, null, null, 100))
                .filteredOn(n -> n.body().contains("2026-09"))
                .extracting(LoggedNotification::outcome)
                .containsExactly("SENT");
    }

    @Test
    void pagerDutyGetsTriggerBeforeResolveWithOneDedupKeyAcrossAnOutage() {
        // a safeguard-violation runbook queues the trigger; resolving queues the resolve
        var runbook = engine.getRuntimeService()
                .createProcessInstanceByKey(Runbooks.SAFEGUARD_VIOLATION)
                .businessKey("pd-outage")
                .setVariable("safeguardSeverity", "critical")
                .setVariable("safeguardFindingSummary", "- tone: forbidden word")
                .setVariable("missionOwner", "mo")
                .execute();
        String incident = (String) engine.getRuntimeService().getVariable(runbook.getId(), Runbooks.Vars.INCIDENT_ID);
        engine.getIdentityService().setAuthentication("gv", List.of("governance-validator"));
        try {
            var task = engine.getTaskService()
                    .createTaskQuery()
                    .processInstanceId(runbook.getId())
                    .singleResult();
            engine.getTaskService()
                    .complete(
                            task.getId(),
                            Map.of(Runbooks.Vars.VIOLATION_DECISION, "resume", Runbooks.Vars.VIOLATION_NOTE, "fine"));
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        var deliveries = engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey("pd-outage")
                .variableValueEquals(Runbooks.Vars.DELIVERY_CHANNEL, "pagerduty")
                .list();
        assertThat(deliveries).hasSize(2);
        var management = engine.getManagementService();
        Job trigger = null;
        Job resolve = null;
        for (var d : deliveries) {
            Job j = management.createJobQuery().processInstanceId(d.getId()).singleResult();
            String payload = engine.getRuntimeService()
                    .getVariable(d.getId(), Runbooks.Vars.DELIVERY_PAYLOAD)
                    .toString();
            if (payload.contains("TRIGGER")) {
                trigger = j;
            } else {
                resolve = j;
            }
        }
        pagerDutyAnswers(503);
        Job failingTrigger = trigger;
        assertThatThrownBy(() -> management.executeJob(failingTrigger.getId())).hasMessageContaining("503");
        Job earlyResolve = resolve;
        assertThatThrownBy(() -> management.executeJob(earlyResolve.getId())).hasMessageContaining("trigger");
        assertThat(CHANNELS.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))
                        .withRequestBody(matchingJsonPath("$.event_action", equalTo("resolve")))))
                .as("resolve held back")
                .isEmpty();

        CHANNELS.resetAll();
        pagerDutyAnswers(202);
        management.executeJob(trigger.getId());
        management.executeJob(resolve.getId());
        List<LoggedRequest> events = CHANNELS.findAll(postRequestedFor(urlEqualTo("/v2/enqueue")));
        assertThat(events)
                .extracting(r -> r.getBodyAsString().replaceAll(".*\"event_action\":\"([a-z]+)\".*", "$1"))
                .containsExactly("trigger", "resolve");
        assertThat(events)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("\"dedup_key\":\"" + incident + "\""));
        assertThat(events.get(0).getBodyAsString()).contains("\"severity\":\"critical\"", "routing-key-for-tests");
    }

    /** One queued message of the outage scenario: its delivery instance, channel, and what identifies it on the wire. */
    record Queued(String deliveryId, String channel, String action, String marker) {
        /** Queue order within a dedup key: trigger, then acknowledge, then resolve (Slack anywhere). */
        int order() {
            return switch (action == null ? "" : action) {
                case "ACKNOWLEDGE" -> 1;
                case "RESOLVE" -> 2;
                default -> 0;
            };
        }
    }

    /** A safeguard-violation runbook that opened an incident, was acknowledged and decided: trigger, ack, resolve. */
    private String violationAcknowledgedAndDecided(String key) {
        var runbook = engine.getRuntimeService()
                .createProcessInstanceByKey(Runbooks.SAFEGUARD_VIOLATION)
                .businessKey(key)
                .setVariable("safeguardSeverity", "high")
                .setVariable("safeguardFindingSummary", "- rate limit: burst 40 > 10")
                .setVariable("missionOwner", "mo")
                .execute();
        String incident = (String) engine.getRuntimeService().getVariable(runbook.getId(), Runbooks.Vars.INCIDENT_ID);
        assertThat(incidents.acknowledge(incident, "oc", "api")).isTrue();
        engine.getIdentityService().setAuthentication("gv", List.of("governance-validator"));
        try {
            var task = engine.getTaskService()
                    .createTaskQuery()
                    .processInstanceId(runbook.getId())
                    .taskDefinitionKey("userTask_violationDecision")
                    .singleResult();
            engine.getTaskService()
                    .complete(
                            task.getId(),
                            Map.of(
                                    Runbooks.Vars.VIOLATION_DECISION,
                                    "resume",
                                    Runbooks.Vars.VIOLATION_NOTE,
                                    "rate limit lowered"));
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        return incident;
    }

    private List<Queued> queued(Set<String> businessKeys, Map<String, String> markerByKey) {
        List<Queued> queued = new ArrayList<>();
        for (String key : businessKeys) {
            for (ProcessInstance d : engine.getRuntimeService()
                    .createProcessInstanceQuery()
                    .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                    .processInstanceBusinessKey(key)
                    .list()) {
                String channel =
                        (String) engine.getRuntimeService().getVariable(d.getId(), Runbooks.Vars.DELIVERY_CHANNEL);
                if (channel.equals(Notifications.EMAIL)) {
                    continue; // no mail server in this scenario: e-mail is logged, not part of the outage
                }
                String payload = engine.getRuntimeService()
                        .getVariable(d.getId(), Runbooks.Vars.DELIVERY_PAYLOAD)
                        .toString();
                String action = payload.replaceAll("(?s).*\"pagerAction\"\\s*:\\s*\"([A-Z]+)\".*", "$1");
                queued.add(
                        new Queued(d.getId(), channel, action.equals(payload) ? null : action, markerByKey.get(key)));
            }
        }
        queued.sort(Comparator.comparing(Queued::order));
        return queued;
    }

    private Job job(Queued q) {
        return engine.getManagementService()
                .createJobQuery()
                .processInstanceId(q.deliveryId())
                .singleResult();
    }

    /**
     * The outage: Slack and PagerDuty unreachable (connection refused, then 503) while several runbooks queue
     * Slack posts and PagerDuty trigger/acknowledge/resolve events. Every delivery is retried with its back-off until
     * it becomes a failedJob incident that an operations user sees in Cockpit's API; nothing is lost. When both are
     * back and operations command retries the incidents as Cockpit does, every message goes out exactly once, and
     * PagerDuty sees each dedup key's trigger, acknowledge and resolve once, in that order.
     */
    @Test
    void bothChannelsDownForAWhileNothingIsLostAndEverythingGoesOutOnceAfterRecovery() {
        Http http = new Http(port);
        CHANNELS.stop(); // connection refused from now on
        Map<String, String> markerByKey = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            String period = "outage-" + i;
            markerByKey.put(kpiMiss(period), "missed its target for " + period);
        }
        List<String> pagerIncidents = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String key = "outage-violation-" + i;
            String incident = violationAcknowledgedAndDecided(key);
            pagerIncidents.add(incident);
            markerByKey.put(key, incident);
        }
        List<Queued> queued = queued(markerByKey.keySet(), markerByKey);
        long slackQueued = queued.stream()
                .filter(q -> q.channel().equals(Notifications.SLACK))
                .count();
        long pagerQueued = queued.stream()
                .filter(q -> q.channel().equals(Notifications.PAGERDUTY))
                .count();
        assertThat(slackQueued).as("one Slack post per runbook at least").isGreaterThanOrEqualTo(5);
        assertThat(pagerQueued)
                .as("trigger, acknowledge and resolve per violation")
                .isEqualTo(6);
        assertThat(queued)
                .allSatisfy(
                        q -> assertThat(job(q).getRetries()).as("not tried yet").isPositive());

        // five attempts each: two while nothing listens, three while both answer 503; each failure backs off a minute
        int failedAttempts = 0;
        for (int attempt = 1; attempt <= 5; attempt++) {
            if (attempt == 3) {
                CHANNELS.start();
                slackAnswers(503, "{\"ok\":false,\"error\":\"service_unavailable\"}");
                pagerDutyAnswers(503);
            }
            for (Queued q : queued) {
                Job before = job(q);
                Instant started = Instant.now();
                assertThatThrownBy(() -> engine.getManagementService().executeJob(before.getId()))
                        .as("%s %s attempt %d", q.channel(), q.action(), attempt)
                        .isNotNull();
                Instant ended = Instant.now();
                failedAttempts++;
                Job after = job(q);
                assertThat(after.getRetries())
                        .as("R5: retries count down from five")
                        .isEqualTo(5 - attempt);
                if (after.getRetries() > 0) {
                    // R5/PT1M: the next attempt is due a minute after this failure (the job executor waits for it)
                    assertThat(after.getDuedate().toInstant())
                            .isBetween(started.plusSeconds(59), ended.plusSeconds(61));
                }
            }
        }
        int failedWhileRefused = 2 * queued.size();
        assertThat(CHANNELS.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))))
                .as("503 phase reached Slack")
                .isNotEmpty();

        // every message is now an incident in Cockpit: the engine's failedJob incidents, visible to operations command
        Set<String> deliveryIds = queued.stream().map(Queued::deliveryId).collect(Collectors.toSet());
        Http.Response listed = http.get("/engine-rest/incident?incidentType=failedJob&maxResults=1000", "oc");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        List<JsonNode> ours = new ArrayList<>();
        listed.json().forEach(i -> {
            if (deliveryIds.contains(i.path("processInstanceId").asText())) {
                ours.add(i);
            }
        });
        assertThat(ours).as("one incident per queued message").hasSize(queued.size());
        assertThat(ours)
                .allSatisfy(i -> assertThat(i.path("incidentMessage").asText()).isNotBlank());
        // nothing lost: every delivery still waits, and nothing of this scenario was logged as sent
        assertThat(queued).allSatisfy(q -> assertThat(job(q).getRetries()).isZero());
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processInstanceIds(deliveryIds)
                        .count())
                .isEqualTo(queued.size());
        for (String incident : pagerIncidents) {
            assertThat(notifications.recent(Notifications.PAGERDUTY, incident, null, 50))
                    .isEmpty();
        }

        // both channels are back; operations command presses Retry in Cockpit (set job retries), in queue order
        CHANNELS.resetAll();
        slackAnswers(200, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}");
        pagerDutyAnswers(202);
        int deliveredAfterRecovery = 0;
        for (Queued q : queued) {
            Job j = job(q);
            Http.Response retry =
                    http.send("PUT", "/engine-rest/job/" + j.getId() + "/retries", "oc", Map.of("retries", 1));
            assertThat(retry.status()).as(retry.body()).isEqualTo(204);
            engine.getManagementService().executeJob(j.getId());
            deliveredAfterRecovery++;
        }
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processInstanceIds(deliveryIds)
                        .count())
                .as("every delivery finished")
                .isZero();
        assertThat(engine.getRuntimeService()
                        .createIncidentQuery()
                        .incidentType("failedJob")
                        .list())
                .noneMatch(i -> deliveryIds.contains(i.getProcessInstanceId()));

        // on the wire: each Slack post once, each PagerDuty dedup key trigger → acknowledge → resolve once each
        List<String> slackBodies = CHANNELS.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))).stream()
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8))
                .toList();
        List<String> pagerBodies = CHANNELS.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))).stream()
                .map(LoggedRequest::getBodyAsString)
                .toList();
        int duplicates = 0;
        int lost = 0;
        Map<String, Long> slackPerRunbook = new LinkedHashMap<>();
        for (String key : markerByKey.keySet()) {
            String marker = markerByKey.get(key);
            long expected = queued.stream()
                    .filter(q -> q.channel().equals(Notifications.SLACK)
                            && q.marker().equals(marker))
                    .count();
            long sent = slackBodies.stream().filter(b -> b.contains(marker)).count();
            slackPerRunbook.put(key, sent);
            duplicates += (int) Math.max(0, sent - expected);
            lost += (int) Math.max(0, expected - sent);
        }
        Map<String, List<String>> actionsPerKey = new LinkedHashMap<>();
        for (String incident : pagerIncidents) {
            actionsPerKey.put(
                    incident,
                    pagerBodies.stream()
                            .filter(b -> b.contains("\"dedup_key\":\"" + incident + "\""))
                            .map(b -> b.replaceAll(".*\"event_action\":\"([a-z]+)\".*", "$1"))
                            .toList());
            List<String> actions = actionsPerKey.get(incident);
            duplicates += (int) Math.max(0, actions.size() - 3);
            lost += (int) Math.max(0, 3 - actions.stream().distinct().count());
        }
        System.out.printf(
                "OUTAGE: notifications queued=%d (Slack %d, PagerDuty %d), failed attempts=%d (connection refused %d, "
                        + "HTTP 503 or waiting for the trigger %d), incidents=%d, delivered after recovery=%d, duplicates=%d, "
                        + "lost=%d; Slack posts per runbook %s; PagerDuty events per dedup key %s%n",
                queued.size(),
                slackQueued,
                pagerQueued,
                failedAttempts,
                failedWhileRefused,
                failedAttempts - failedWhileRefused,
                ours.size(),
                slackBodies.size() + pagerBodies.size(),
                duplicates,
                lost,
                slackPerRunbook,
                actionsPerKey);

        assertThat(slackBodies).as("each Slack post once").hasSize((int) slackQueued);
        assertThat(actionsPerKey.values())
                .allSatisfy(actions -> assertThat(actions).containsExactly("trigger", "acknowledge", "resolve"));
        assertThat(duplicates).isZero();
        assertThat(lost).isZero();
        assertThat(deliveredAfterRecovery).isEqualTo(queued.size());
        assertThat(notifications.recent(Notifications.SLACK, null, null, 200))
                .filteredOn(n -> n.body().contains("outage-1"))
                .extracting(LoggedNotification::outcome)
                .containsExactly("SENT");
    }
}
