package io.controlplane.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.client.RestClient;

/** PagerDuty Events API v2 against WireMock: trigger, acknowledge and resolve one incident; failures; the log. */
class PagerDutyNotificationsTest {
    private static final String ROUTING_KEY = "R0UTINGKEY0000000000000000000000";
    private static final String ENQUEUE = "/v2/enqueue";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer pagerDuty = new WireMockServer(options().dynamicPort());
    private final NotificationLogDatabase db = new NotificationLogDatabase();

    @BeforeEach
    void start() {
        pagerDuty.start();
    }

    @AfterEach
    void stop() {
        pagerDuty.stop();
        db.close();
    }

    private static ResponseDefinitionBuilder accepted() {
        return aResponse()
                .withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"inc-42\"}");
    }

    private Notifications notifications(String routingKey) {
        return new Notifications(
                TestNotifications.slackOff(),
                new PagerDutyNotifier(RestClient.builder(), JSON, routingKey, pagerDuty.baseUrl() + ENQUEUE),
                TestNotifications.emailOff(),
                db.log);
    }

    private List<JsonNode> events() {
        return pagerDuty.findAll(postRequestedFor(urlEqualTo(ENQUEUE))).stream()
                .map(r -> {
                    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
                    try {
                        return JSON.readTree(r.getBodyAsString());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    @Test
    void triggerAcknowledgeAndResolveShareTheIncidentAsDedupKey() {
        pagerDuty.stubFor(post(ENQUEUE).willReturn(accepted()));
        Notifications notifications = notifications(ROUTING_KEY);
        Notification incident = TestNotifications.incident();

        notifications.page(incident, PagerAction.TRIGGER);
        notifications.page(incident, PagerAction.ACKNOWLEDGE);
        notifications.page(incident, PagerAction.RESOLVE);

        List<JsonNode> events = events();
        assertThat(events)
                .extracting(e -> e.path("event_action").asText())
                .containsExactly("trigger", "acknowledge", "resolve");
        assertThat(events).extracting(e -> e.path("dedup_key").asText()).containsOnly("inc-42");
        assertThat(events).extracting(e -> e.path("routing_key").asText()).containsOnly(ROUTING_KEY);

        JsonNode payload = events.get(0).path("payload");
        assertThat(payload.path("summary").asText())
                .isEqualTo("[HIGH] safeguard_violation: Revive dormant accounts "
                        + "(m-7) — The quiet window was breached: 14 e-mails sent at 23:10.");
        assertThat(payload.path("source").asText()).isEqualTo("ai-employee-control-plane");
        assertThat(payload.path("severity").asText()).isEqualTo("error");
        assertThat(payload.path("component").asText()).isEqualTo("EXECUTE_OBSERVE");
        assertThat(payload.path("group").asText()).isEqualTo("m-7");
        JsonNode details = payload.path("custom_details");
        assertThat(details.path("mission").asText()).isEqualTo("Revive dormant accounts (m-7)");
        assertThat(details.path("stage").asText()).isEqualTo("EXECUTE_OBSERVE");
        assertThat(details.path("safeguard").asText()).isEqualTo("quiet_window");
        assertThat(details.path("incidentId").asText()).isEqualTo("inc-42");
        assertThat(events.get(1).has("payload")).isFalse();
        assertThat(events.get(2).has("payload")).isFalse();

        List<LoggedNotification> rows = db.rows();
        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.channel()).isEqualTo("pagerduty");
            assertThat(row.outcome()).isEqualTo("SENT");
            assertThat(row.dedupKey()).isEqualTo("inc-42");
            assertThat(row.incidentId()).isEqualTo("inc-42");
            assertThat(row.body()).doesNotContain(ROUTING_KEY);
        });
        assertThat(rows)
                .extracting(LoggedNotification::subject)
                .containsExactlyInAnyOrder(payload.path("summary").asText(), "acknowledge inc-42", "resolve inc-42");
    }

    @Test
    void aTriggerCarriesTimestampCockpitLinkAndClientAndTheLogKeepsTheEventAsSent() throws Exception {
        pagerDuty.stubFor(post(ENQUEUE).willReturn(accepted()));
        Instant raised = Instant.parse("2026-03-02T23:10:05.250Z");
        Notifications notifications = new Notifications(
                TestNotifications.slackOff(),
                new PagerDutyNotifier(
                        RestClient.builder(),
                        JSON,
                        ROUTING_KEY,
                        pagerDuty.baseUrl() + ENQUEUE,
                        () -> TestNotifications.COCKPIT),
                TestNotifications.emailOff(),
                db.log,
                Clock.fixed(raised, ZoneOffset.UTC));

        notifications.page(TestNotifications.incident(), PagerAction.TRIGGER);
        notifications.page(TestNotifications.incident(), PagerAction.RESOLVE);

        List<JsonNode> events = events();
        JsonNode trigger = events.get(0);
        // ISO 8601, the time of the attempt that sent it (Events API v2, payload.timestamp)
        assertThat(trigger.path("payload").path("timestamp").asText()).isEqualTo("2026-03-02T23:10:05.250Z");
        assertThat(trigger.path("links")).hasSize(1);
        assertThat(trigger.path("links").get(0).path("href").asText()).isEqualTo(TestNotifications.COCKPIT);
        assertThat(trigger.path("links").get(0).path("text").asText()).isEqualTo("Open in Cockpit");
        assertThat(trigger.path("client").asText()).isEqualTo("AI Employee Control Plane");
        assertThat(trigger.path("client_url").asText()).isEqualTo(TestNotifications.COCKPIT);
        // acknowledge and resolve take only the action and the dedup key
        assertThat(events.get(1).has("links")).isFalse();
        assertThat(events.get(1).has("client_url")).isFalse();

        // newest first: the resolve, then the trigger; each payload is the received event without the routing key
        List<LoggedNotification> rows = db.rows();
        for (int i = 0; i < 2; i++) {
            ObjectNode received = (ObjectNode) events.get(i).deepCopy();
            received.remove("routing_key");
            String payload = rows.get(1 - i).payload();
            assertThat(payload).doesNotContain(ROUTING_KEY);
            assertThat(JSON.readTree(payload)).isEqualTo(received);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "low, info",
        "medium, warning",
        "high, error",
        "critical, critical",
        "CRITICAL, critical",
        "unheard-of, error"
    })
    void severityIsMappedToPagerDutys(String ours, String theirs) {
        pagerDuty.stubFor(post(ENQUEUE).willReturn(accepted()));

        notifications(ROUTING_KEY).page(TestNotifications.incident(ours), PagerAction.TRIGGER);

        assertThat(events())
                .singleElement()
                .satisfies(e ->
                        assertThat(e.path("payload").path("severity").asText()).isEqualTo(theirs));
    }

    @Test
    void serverErrorFailsAndLeavesNoSentRow() {
        pagerDuty.stubFor(post(ENQUEUE).willReturn(aResponse().withStatus(503).withBody("maintenance")));

        assertThatThrownBy(() -> notifications(ROUTING_KEY).page(TestNotifications.incident(), PagerAction.TRIGGER))
                .isInstanceOfSatisfying(NotificationFailedException.class, e -> {
                    assertThat(e.channel()).isEqualTo("pagerduty");
                    assertThat(e).hasMessageContaining("HTTP 503");
                });
        assertThat(events()).hasSize(1);
        assertThat(db.rows()).isEmpty();
    }

    @Test
    void aRefusedEventFailsWithPagerDutysReason() {
        pagerDuty.stubFor(post(ENQUEUE)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"invalid event\",\"errors\":[\"Invalid routing key\"]}")));

        assertThatThrownBy(() -> notifications(ROUTING_KEY).page(TestNotifications.incident(), PagerAction.RESOLVE))
                .isInstanceOf(NotificationFailedException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("Invalid routing key");
        assertThat(db.rows()).isEmpty();
    }

    @Test
    void anUnreachableEventsApiFails() {
        Notifications notifications = new Notifications(
                TestNotifications.slackOff(),
                new PagerDutyNotifier(
                        RestClient.builder(), JSON, ROUTING_KEY, TestNotifications.NOWHERE + "v2/enqueue"),
                TestNotifications.emailOff(),
                db.log);

        assertThatThrownBy(() -> notifications.page(TestNotifications.incident(), PagerAction.TRIGGER))
                .isInstanceOf(NotificationFailedException.class)
                .hasMessageContaining("could not be reached");
        assertThat(db.rows()).isEmpty();
    }

    @Test
    void withoutARoutingKeyTheEventIsLoggedAndPagerDutyIsNotCalled() throws Exception {
        notifications("").page(TestNotifications.incident("critical"), PagerAction.TRIGGER);

        assertThat(pagerDuty.getAllServeEvents()).isEmpty();
        LoggedNotification row = db.rows().get(0);
        assertThat(row.outcome()).isEqualTo("LOGGED");
        assertThat(row.channel()).isEqualTo("pagerduty");
        assertThat(row.dedupKey()).isEqualTo("inc-42");
        JsonNode event = JSON.readTree(row.body());
        assertThat(event.path("event_action").asText()).isEqualTo("trigger");
        assertThat(event.path("payload").path("severity").asText()).isEqualTo("critical");
    }

    @Test
    void aPageNeedsAnIncidentId() {
        Notification noIncident =
                new Notification("kpi_miss", null, null, null, null, "high", "KPI missed", null, List.of(), List.of());

        assertThatThrownBy(() -> notifications(ROUTING_KEY).page(noIncident, PagerAction.TRIGGER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("incident id");
        assertThat(pagerDuty.getAllServeEvents()).isEmpty();
        assertThat(db.rows()).isEmpty();
    }
}
