package io.controlplane.incident;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.MissionStore;
import io.controlplane.notify.SlackRequestVerifier;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Scope drift, Slack's Acknowledge button and the incident, notification and on-call endpoints over real HTTP. */
@IntegrationTest
class IncidentApiTest {
    @LocalServerPort
    int port;

    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    MissionStore missions;

    @Autowired
    IncidentService incidents;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
        BpmnAwareTests.init(engine);
    }

    private String executing(String title) {
        String id = drive.start("mo", JourneyDriver.brief(title));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible", "medium/reversible"));
        drive.coSign(id, "gv", "oc");
        return id;
    }

    private static Map<String, Object> drift() {
        return Map.of(
                "toolkit",
                "hubspot",
                "scopes",
                List.of("crm.objects.contacts.write"),
                "detail",
                "write scope revoked by the CRM admin");
    }

    @Test
    void scopeDriftHoldsExecutionUntilOperationsCommandReauthorises() {
        String id = executing("Drift re-authorised");
        ProcessInstance pi = drive.instance(id);
        Http.Response reported = http.post("/api/missions/" + id + "/scope-drift", "agent", drift());
        assertThat(reported.status()).as(reported.body()).isEqualTo(202);
        assertThat(reported.json().path("executionPaused").asBoolean()).isTrue();
        assertThat(incidents.list(null, id, 10))
                .extracting(IncidentService.Incident::kind)
                .containsExactly("oauth_drift");

        // the play under way finishes; the next one waits for the re-authorisation
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "segmented"));
        assertThat(pi).isWaitingAt(Elements.EXECUTION_NOT_PAUSED);
        drive.complete(
                id,
                Runbooks.Elements.SCOPE_REAUTHORIZATION,
                "oc",
                Map.of(
                        Runbooks.Vars.DRIFT_DECISION,
                        "reauthorize",
                        Runbooks.Vars.DRIFT_NOTE,
                        "re-granted after the CRM admin's mistake"));
        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY);
        assertThat(http.get("/api/missions/" + id, "oc")
                        .json()
                        .path("approvals")
                        .findValuesAsText("decision"))
                .contains("reauthorize");
    }

    @Test
    void revokedScopesAbortTheMission() {
        String id = executing("Drift revoked");
        assertThat(http.post("/api/missions/" + id + "/scope-drift", "oc", drift())
                        .status())
                .isEqualTo(202);
        drive.complete(
                id,
                Runbooks.Elements.SCOPE_REAUTHORIZATION,
                "oc2",
                Map.of(
                        Runbooks.Vars.DRIFT_DECISION,
                        "revoke",
                        Runbooks.Vars.DRIFT_NOTE,
                        "the customer withdrew consent"));
        assertThat(drive.instance(id)).isNull();
        assertThat(missions.find(id).orElseThrow().status()).isEqualTo(MissionStore.Status.ABORTED);
        assertThat(http.post("/api/missions/" + id + "/scope-drift", "agent", drift())
                        .status())
                .as("nothing to pause")
                .isEqualTo(409);
    }

    @Test
    void scopeDriftReportsAreCheckedAndAuthorised() {
        String id = executing("Drift refused");
        Http.Response bad =
                http.post("/api/missions/" + id + "/scope-drift", "agent", Map.of("toolkit", "", "scopes", List.of()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsText("field")).contains("toolkit", "scopes");
        assertThat(http.post("/api/missions/nope/scope-drift", "agent", drift()).status())
                .isEqualTo(404);
        assertThat(http.post("/api/missions/" + id + "/scope-drift", "mo", drift())
                        .status())
                .isEqualTo(403);
        assertThat(incidents.list(null, id, 10)).isEmpty();
    }

    @Test
    void slacksAcknowledgeButtonAcknowledgesTheIncident() {
        String id = executing("Slack acknowledgement");
        http.post("/api/missions/" + id + "/scope-drift", "agent", drift());
        String incident = incidents.list(null, id, 10).get(0).id();
        // U0DEMO00OC: the demo workspace's id of oc (controlplane.demo.slack-users)
        String payload = "{\"type\":\"block_actions\",\"user\":{\"id\":\"U0DEMO00OC\",\"username\":\"omar.oc\"},"
                + "\"actions\":[{\"action_id\":\"acknowledge_incident\",\"value\":\"" + incident + "\"}]}";
        byte[] body =
                ("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());

        Http.Response forged = http.postRaw(
                "/api/slack/interactions",
                "application/x-www-form-urlencoded",
                body,
                Map.of(
                        SlackRequestVerifier.TIMESTAMP_HEADER,
                        ts,
                        SlackRequestVerifier.SIGNATURE_HEADER,
                        new SlackRequestVerifier("wrong-secret", Clock.systemUTC()).sign(ts, body)));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(incidents.get(incident).status()).isEqualTo(IncidentService.OPEN);

        Http.Response pressed = http.postRaw(
                "/api/slack/interactions",
                "application/x-www-form-urlencoded",
                body,
                Map.of(
                        SlackRequestVerifier.TIMESTAMP_HEADER,
                        ts,
                        SlackRequestVerifier.SIGNATURE_HEADER,
                        new SlackRequestVerifier("test-signing-secret", Clock.systemUTC()).sign(ts, body)));
        assertThat(pressed.status()).as(pressed.body()).isEqualTo(200);
        assertThat(pressed.body()).contains("acknowledged by oc");
        IncidentService.Incident acknowledged = incidents.get(incident);
        assertThat(acknowledged.status()).isEqualTo(IncidentService.ACKNOWLEDGED);
        assertThat(acknowledged.acknowledgedBy())
                .as("the person, not the Slack name")
                .isEqualTo("oc");
        assertThat(acknowledged.acknowledgedVia()).isEqualTo("slack");
        assertThat(http.get("/api/incidents/" + incident, "ta")
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("ACKNOWLEDGED");

        // the same signed request again, within its 5 minutes: refused, nothing changes
        Http.Response replayed = http.postRaw(
                "/api/slack/interactions",
                "application/x-www-form-urlencoded",
                body,
                Map.of(
                        SlackRequestVerifier.TIMESTAMP_HEADER,
                        ts,
                        SlackRequestVerifier.SIGNATURE_HEADER,
                        new SlackRequestVerifier("test-signing-secret", Clock.systemUTC()).sign(ts, body)));
        assertThat(replayed.status()).isEqualTo(409);
        assertThat(replayed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(incidents.get(incident).acknowledgedAt()).isEqualTo(acknowledged.acknowledgedAt());
    }

    @Test
    void incidentsNotificationsAndOnCallAreReadable() {
        String id = executing("Readable");
        http.post("/api/missions/" + id + "/scope-drift", "agent", drift());
        assertThat(http.get("/api/incidents?status=OPEN&missionId=" + id, "ta")
                        .json()
                        .path("items"))
                .hasSize(1);
        assertThat(http.get("/api/incidents?status=LOST", "ta").status()).isEqualTo(400);
        // notifications are queued: delivering them logs them (no Slack or PagerDuty configured in tests)
        drive.runJobs(id);
        Http.Response log = http.get("/api/notifications?missionId=" + id, "ta");
        assertThat(log.json().path("items").findValuesAsText("channel")).contains("slack", "pagerduty");
        assertThat(log.json().path("items").findValuesAsText("outcome")).containsOnly("LOGGED");
        Http.Response contacts = http.get("/api/contacts", "mo");
        assertThat(contacts.json().path("leads").path("governance-validator").asText())
                .isEqualTo("@governance");
        assertThat(contacts.json().path("slackChannel").asText()).isEqualTo("#control-plane-ops");
        assertThat(contacts.json().path("pagerDutySchedule").asText()).isEqualTo("Mission Ops On-Call");
        assertThat(contacts.json().path("escalationLead").asText()).isEqualTo("@ops-lead");
        assertThat(log.json().path("items").findValuesAsText("body"))
                .anyMatch(b -> b.contains("ops-lead"))
                .as("the drift's Slack post mentions the operations command lead");
        Http.Response onCall = http.get("/api/oncall/now?at=2026-01-15T10:00:00Z", "oc");
        assertThat(onCall.json().path("shift").asText()).isEqualTo("EMEA");
        assertThat(onCall.json().path("slack").asText()).isEqualTo("@oc");
    }
}
