package io.controlplane.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.controlplane.incident.Runbooks;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outages of Slack and PagerDuty (WireMock stands in for both): a failing delivery is retried, becomes an incident in
 * Cockpit when retries run out, and goes out exactly once when the channel is back and the job is retried. The
 * runbook does not wait for any of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NotificationDeliveryTest {
    static final WireMockServer CHANNELS = new WireMockServer(WireMockConfiguration.options().dynamicPort());

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

    @AfterAll
    static void stop() {
        CHANNELS.stop();
    }

    @Autowired
    ProcessEngine engine;
    @Autowired
    Notifications notifications;

    @BeforeEach
    void reset() {
        CHANNELS.resetAll();
    }

    private void slackAnswers(int status, String body) {
        CHANNELS.stubFor(post(urlEqualTo("/api/chat.postMessage"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private void pagerDutyAnswers(int status) {
        CHANNELS.stubFor(post(urlEqualTo("/v2/enqueue"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
    }

    /** A KPI miss runbook: it needs no mission and queues one Slack post. */
    private String kpiMiss(String period) {
        engine.getRuntimeService().createProcessInstanceByKey(Runbooks.KPI_MISS).businessKey("kpi-" + period)
                .setVariable(Runbooks.Vars.KPI_NAME, "Undo execution success").setVariable(Runbooks.Vars.KPI_PERIOD, period)
                .setVariable(Runbooks.Vars.KPI_VALUE, "91%").setVariable("kpiTarget", "98%").execute();
        return "kpi-" + period;
    }

    private Job deliveryJob(String businessKey) {
        var pi = engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey(businessKey).singleResult();
        return engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).singleResult();
    }

    @Test
    void aSlackOutageIsRetriedThenAnIncidentThenDeliveredOnceWhenSlackIsBack() {
        String key = kpiMiss("2026-09");
        // the runbook went on: the analyst's task is there although nothing reached Slack yet
        assertThat(engine.getTaskService().createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(Runbooks.Elements.KPI_MISS_ANALYSIS).count()).isEqualTo(1);

        slackAnswers(500, "{\"ok\":false,\"error\":\"internal_error\"}");
        Job job = deliveryJob(key);
        for (int attempt = 1; attempt <= 5; attempt++) {
            String id = job.getId();
            assertThatThrownBy(() -> engine.getManagementService().executeJob(id)).hasMessageContaining("slack");
            job = deliveryJob(key);
        }
        assertThat(job.getRetries()).isZero();
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(job.getProcessInstanceId()).count())
                .as("an incident in Cockpit").isEqualTo(1);

        // 429 honours Retry-After, then the channel is back: one Retry in Cockpit sends it
        CHANNELS.resetAll();
        slackAnswers(200, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}");
        engine.getManagementService().setJobRetries(job.getId(), 1);
        engine.getManagementService().executeJob(job.getId());
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(job.getProcessInstanceId()).count()).isZero();
        List<LoggedRequest> posts = CHANNELS.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(posts).hasSize(1);
        assertThat(java.net.URLDecoder.decode(posts.get(0).getBodyAsString(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("#control-plane-ops", "Undo execution success missed its target for 2026-09", "acknowledge_incident");
        assertThat(notifications.recent(Notifications.SLACK, null, null, 100)).filteredOn(n -> n.body().contains("2026-09"))
                .extracting(LoggedNotification::outcome).containsExactly("SENT");
    }

    @Test
    void pagerDutyGetsTriggerBeforeResolveWithOneDedupKeyAcrossAnOutage() {
        // a safeguard-violation runbook queues the trigger; resolving queues the resolve
        var runbook = engine.getRuntimeService().createProcessInstanceByKey(Runbooks.SAFEGUARD_VIOLATION).businessKey("pd-outage")
                .setVariable("safeguardSeverity", "critical").setVariable("safeguardFindingSummary", "- tone: forbidden word")
                .setVariable("missionOwner", "mo").execute();
        String incident = (String) engine.getRuntimeService().getVariable(runbook.getId(), Runbooks.Vars.INCIDENT_ID);
        engine.getIdentityService().setAuthentication("gv", List.of("governance-validator"));
        try {
            var task = engine.getTaskService().createTaskQuery().processInstanceId(runbook.getId()).singleResult();
            engine.getTaskService().complete(task.getId(), java.util.Map.of(Runbooks.Vars.VIOLATION_DECISION, "resume",
                    Runbooks.Vars.VIOLATION_NOTE, "fine"));
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        var deliveries = engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey("pd-outage").variableValueEquals(Runbooks.Vars.DELIVERY_CHANNEL, "pagerduty").list();
        assertThat(deliveries).hasSize(2);
        var management = engine.getManagementService();
        Job trigger = null;
        Job resolve = null;
        for (var d : deliveries) {
            Job j = management.createJobQuery().processInstanceId(d.getId()).singleResult();
            String payload = engine.getRuntimeService().getVariable(d.getId(), Runbooks.Vars.DELIVERY_PAYLOAD).toString();
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
                .withRequestBody(matchingJsonPath("$.event_action", equalTo("resolve"))))).as("resolve held back").isEmpty();

        CHANNELS.resetAll();
        pagerDutyAnswers(202);
        management.executeJob(trigger.getId());
        management.executeJob(resolve.getId());
        List<LoggedRequest> events = CHANNELS.findAll(postRequestedFor(urlEqualTo("/v2/enqueue")));
        assertThat(events).extracting(r -> r.getBodyAsString().replaceAll(".*\"event_action\":\"([a-z]+)\".*", "$1"))
                .containsExactly("trigger", "resolve");
        assertThat(events).allSatisfy(r -> assertThat(r.getBodyAsString()).contains("\"dedup_key\":\"" + incident + "\""));
        assertThat(events.get(0).getBodyAsString()).contains("\"severity\":\"critical\"", "routing-key-for-tests");
    }
}
