package io.controlplane.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slack messages against a WireMock chat.postMessage: what the channel shows, rate limits, failures, the log. */
class SlackNotificationsTest {
    private static final String TOKEN = "test-bot-token";
    private static final String POST_MESSAGE = "/api/chat.postMessage";
    private static final String OK = "{\"ok\":true,\"channel\":\"C0OPS\",\"ts\":\"1700000000.000100\"}";

    private final WireMockServer slackApi = new WireMockServer(options().dynamicPort());
    private final NotificationLogDatabase db = new NotificationLogDatabase();
    private final List<Duration> waits = new ArrayList<>();
    private SlackNotifier slack;

    @BeforeEach
    void start() {
        slackApi.start();
    }

    @AfterEach
    void stop() throws Exception {
        slackApi.stop();
        db.close();
        if (slack != null) {
            slack.close();
        }
    }

    private Notifications notifications(String token, SlackNotifier.Sleeper sleeper) {
        slack = new SlackNotifier(
                token, "#control-plane-ops", slackApi.baseUrl() + "/api/", TestNotifications.COCKPIT, sleeper);
        return new Notifications(slack, TestNotifications.pagerDutyOff(), TestNotifications.emailOff(), db.log);
    }

    private Notifications notifications() {
        return notifications(TOKEN, waits::add);
    }

    private List<LoggedRequest> posts() {
        return slackApi.findAll(postRequestedFor(urlEqualTo(POST_MESSAGE)));
    }

    @Test
    void postsBlocksWithBothButtonsToTheChannelAndLogsTheMessageAsSent() throws Exception {
        slackApi.stubFor(post(POST_MESSAGE).willReturn(okJson(OK)));

        notifications().slack(TestNotifications.incident());

        assertThat(posts()).hasSize(1);
        LoggedRequest request = posts().get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        Map<String, String> form = TestNotifications.form(request.getBodyAsString());
        assertThat(form).containsEntry("channel", "#control-plane-ops");
        assertThat(form.get("text")).contains("Revive dormant accounts", "inc-42", "<@U0ONCALL01>", "@ops-lead");

        JsonNode blocks = new ObjectMapper().readTree(form.get("blocks"));
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("text").asText())
                .isEqualTo("[HIGH] safeguard_violation: Revive dormant accounts (m-7)");
        List<String> fields = new ArrayList<>();
        blocks.get(1).path("fields").forEach(f -> fields.add(f.path("text").asText()));
        assertThat(fields)
                .containsExactly(
                        "*Mission*\nRevive dormant accounts (m-7)",
                        "*Stage*\nEXECUTE_OBSERVE",
                        "*Safeguard*\nquiet_window",
                        "*Severity*\nhigh",
                        "*Incident*\ninc-42");
        assertThat(blocks.get(2).path("text").path("text").asText())
                .isEqualTo("The quiet window was breached: 14 e-mails sent at 23:10.");
        assertThat(blocks.get(3).path("text").path("text").asText()).isEqualTo("On call: <@U0ONCALL01> @ops-lead");

        JsonNode actions = blocks.get(4);
        assertThat(actions.path("type").asText()).isEqualTo("actions");
        JsonNode acknowledge = actions.path("elements").get(0);
        assertThat(acknowledge.path("action_id").asText()).isEqualTo("acknowledge_incident");
        assertThat(acknowledge.path("value").asText()).isEqualTo("inc-42");
        assertThat(acknowledge.path("style").asText()).isEqualTo("primary");
        assertThat(acknowledge.path("text").path("text").asText()).isEqualTo("Acknowledge");
        JsonNode cockpit = actions.path("elements").get(1);
        assertThat(cockpit.path("url").asText()).isEqualTo(TestNotifications.COCKPIT);
        assertThat(cockpit.path("text").path("text").asText()).isEqualTo("Open in Cockpit");

        assertThat(db.rows()).singleElement().satisfies(row -> {
            assertThat(row.channel()).isEqualTo("slack");
            assertThat(row.outcome()).isEqualTo("SENT");
            assertThat(row.kind()).isEqualTo("safeguard_violation");
            assertThat(row.incidentId()).isEqualTo("inc-42");
            assertThat(row.missionId()).isEqualTo("m-7");
            assertThat(row.recipient()).isEqualTo("#control-plane-ops");
            assertThat(row.body()).isEqualTo(form.get("text"));
        });
        assertThat(waits).isEmpty();
    }

    @Test
    void theLogKeepsTheBlockKitPayloadThatWasSentAndNoToken() throws Exception {
        slackApi.stubFor(post(POST_MESSAGE).willReturn(okJson(OK)));
        Notification n = new Notification(
                "safeguard_violation",
                "inc-42",
                "m-7",
                "R&D <pilot>",
                "EXECUTE_OBSERVE",
                "high",
                "a & b ".repeat(700),
                "quiet_window",
                List.of("U0ONCALL01"),
                List.of());

        notifications().slack(n);

        Map<String, String> form = TestNotifications.form(posts().get(0).getBodyAsString());
        ObjectMapper json = new ObjectMapper();
        JsonNode payload = json.readTree(db.rows().get(0).payload());
        assertThat(payload.path("channel").asText()).isEqualTo(form.get("channel"));
        assertThat(payload.path("text").asText()).isEqualTo(form.get("text"));
        assertThat(payload.path("blocks")).isEqualTo(json.readTree(form.get("blocks")));
        assertThat(payload.path("unfurl_links").asBoolean(true)).isFalse();
        assertThat(payload.path("unfurl_media").asBoolean(true)).isFalse();
        assertThat(db.rows().get(0).payload()).doesNotContain(TOKEN);
        // the body stays the fallback text people read
        assertThat(db.rows().get(0).body()).isEqualTo(form.get("text"));
    }

    @Test
    void rateLimitedOnceWaitsRetryAfterThenSendsOnce() {
        slackApi.stubFor(post(POST_MESSAGE)
                .inScenario("rate limit")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                .willSetStateTo("cooled down"));
        slackApi.stubFor(post(POST_MESSAGE)
                .inScenario("rate limit")
                .whenScenarioStateIs("cooled down")
                .willReturn(okJson(OK)));
        Notifications notifications = notifications(TOKEN, d -> Thread.sleep(d.toMillis()));

        long started = System.nanoTime();
        notifications.slack(TestNotifications.incident());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(posts()).hasSize(2);
        assertThat(db.rows())
                .singleElement()
                .extracting(LoggedNotification::outcome)
                .isEqualTo("SENT");
    }

    @Test
    void rateLimitedTwiceFailsAfterOneCappedWait() {
        slackApi.stubFor(
                post(POST_MESSAGE).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

        assertThatThrownBy(() -> notifications().slack(TestNotifications.incident()))
                .isInstanceOf(NotificationFailedException.class)
                .hasMessageContaining("slack")
                .hasMessageContaining("429");

        assertThat(waits).containsExactly(Duration.ofSeconds(30));
        assertThat(posts()).hasSize(2);
        assertThat(db.rows()).isEmpty();
    }

    @Test
    void serverErrorFailsWithoutRetryOrLogRow() {
        slackApi.stubFor(
                post(POST_MESSAGE).willReturn(aResponse().withStatus(500).withBody("oops")));

        assertThatThrownBy(() -> notifications().slack(TestNotifications.incident()))
                .isInstanceOfSatisfying(NotificationFailedException.class, e -> {
                    assertThat(e.channel()).isEqualTo("slack");
                    assertThat(e).hasMessageContaining("HTTP 500");
                });
        assertThat(posts()).hasSize(1);
        assertThat(waits).isEmpty();
        assertThat(db.rows()).isEmpty();
    }

    @Test
    void okFalseFailsNamingSlacksError() {
        slackApi.stubFor(post(POST_MESSAGE).willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));

        assertThatThrownBy(() -> notifications().slack(TestNotifications.incident()))
                .isInstanceOf(NotificationFailedException.class)
                .hasMessageContaining("channel_not_found");
        assertThat(db.rows()).isEmpty();
    }

    @Test
    void withoutATokenTheMessageIsLoggedAndSlackIsNotCalled() {
        notifications("", waits::add).slack(TestNotifications.incident());

        assertThat(slackApi.getAllServeEvents()).isEmpty();
        assertThat(db.rows()).singleElement().satisfies(row -> {
            assertThat(row.channel()).isEqualTo("slack");
            assertThat(row.outcome()).isEqualTo("LOGGED");
            assertThat(row.subject()).isEqualTo("[HIGH] safeguard_violation: Revive dormant accounts (m-7)");
            assertThat(row.body())
                    .contains(
                            "Revive dormant accounts (m-7)",
                            "Stage: EXECUTE_OBSERVE",
                            "Incident: inc-42",
                            "The quiet window was breached",
                            "<@U0ONCALL01>",
                            TestNotifications.COCKPIT);
        });
    }

    @Test
    void withoutAnIncidentThereIsNoAcknowledgeButtonAndSlackTextIsEscaped() throws Exception {
        slackApi.stubFor(post(POST_MESSAGE).willReturn(okJson(OK)));
        Notification overdue = new Notification(
                "review_overdue",
                null,
                "m-8",
                "Q3 <churn> & win-back",
                "PLAN_APPROVE",
                "medium",
                "Packet review waits for 2 days.",
                null,
                List.of("S0REVIEWERS"),
                List.of());

        notifications().slack(overdue);

        Map<String, String> form = TestNotifications.form(posts().get(0).getBodyAsString());
        assertThat(form.get("text")).contains("Q3 &lt;churn&gt; &amp; win-back", "<!subteam^S0REVIEWERS>");
        JsonNode blocks = new ObjectMapper().readTree(form.get("blocks"));
        JsonNode buttons = blocks.get(blocks.size() - 1).path("elements");
        assertThat(buttons).hasSize(1);
        assertThat(buttons.get(0).path("url").asText()).isEqualTo(TestNotifications.COCKPIT);
    }
}
