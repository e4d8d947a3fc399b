package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.TasklistSession;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionService;
import io.controlplane.mission.MissionStore;
import io.controlplane.notify.SlackRequestVerifier;
import io.controlplane.platform.Roles;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A hostile tester's probes of the engine guard and the engine-API allow-list: every door (/engine-rest, its
 * named-engine variant, Tasklist's engine API with a session, Cockpit's and Admin's APIs, /api), every non-admin
 * caller and anonymous. A test that fails is a bypass; the others guard the refusals.
 */
@IntegrationTest
class HostileProbeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    io.controlplane.EngineSnapshot snapshots;

    @Autowired
    JourneyDriver drive;

    @Autowired
    RuntimeService runtime;

    @Autowired
    TaskService tasks;

    @Autowired
    ManagementService management;

    @Autowired
    ExternalTaskService externalTasks;

    @Autowired
    ApprovalStore approvals;

    @Autowired
    MissionStore missions;

    @Autowired
    IdentityService identity;

    @Autowired
    MissionService missionService;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the Slack door: decision buttons and modals (POST /api/slack/interactions)

    /** Slack's signed form body {@code payload=…} as the test profile's signing secret signs it. */
    private Http.Response slack(String payloadJson, long timestamp, String secret) {
        byte[] body =
                ("payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(timestamp);
        String signature = new SlackRequestVerifier(secret, Clock.systemUTC()).sign(ts, body);
        return http.postRaw(
                "/api/slack/interactions",
                "application/x-www-form-urlencoded",
                body,
                Map.of("X-Slack-Request-Timestamp", ts, "X-Slack-Signature", signature));
    }

    private Http.Response slackPress(String slackUser, String actionId, String taskId) {
        return slack(pressPayload(slackUser, actionId, taskId), Instant.now().getEpochSecond(), "test-signing-secret");
    }

    private static String pressPayload(String slackUser, String actionId, String taskId) {
        return "{\"type\":\"block_actions\",\"user\":{\"id\":\"" + slackUser + "\"},\"trigger_id\":\"t-"
                + UUID.randomUUID() + "\",\"channel\":{\"id\":\"C0OPS00001\"},\"actions\":[{\"type\":"
                + "\"button\",\"action_id\":\"" + actionId + "\",\"value\":\"" + taskId + "\"}]}";
    }

    /**
     * Every press that may not decide is refused and changes nothing: forged, stale and replayed requests, a Slack
     * user linked to nobody, a person outside the task's candidate group, the same person co-signing both packet
     * signatures, a press after the task was decided, a button the service never offered, a task it never offered in
     * Slack. Only the one legitimate press decides, as the person it is linked to.
     */
    @Test
    void theSlackDoorDecidesOnlyWhatTheLinkedPersonMayDecideInTasklist() {
        if (identity.createUserQuery().userId("slack-dual").count() == 0) {
            var user = identity.newUser("slack-dual");
            user.setFirstName("Slack");
            user.setLastName("Dual");
            identity.saveUser(user);
            identity.createMembership("slack-dual", "governance-validator");
            identity.createMembership("slack-dual", "operations-command");
        }
        String id = drive.start("mo", JourneyDriver.brief("Probe: Slack door"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible"));
        // the posts are delivered (Slack is off in tests: logged, and recorded as offered)
        for (var pi : runtime.createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey(id)
                .list()) {
            management
                    .createJobQuery()
                    .processInstanceId(pi.getId())
                    .list()
                    .forEach(j -> management.executeJob(j.getId()));
        }
        String governance = drive.task(id, Elements.PACKET_REVIEW_GOVERNANCE).getId();
        String operations = drive.task(id, Elements.PACKET_REVIEW_OPERATIONS).getId();
        String hooks = drive.task(id, Elements.TELEMETRY_HOOKS_VERIFICATION).getId();
        int rows = approvals.forMission(id).size();
        long now = Instant.now().getEpochSecond();
        String approve = "checkpoint_decision_approve";

        // forged, stale, replayed: refused before anyone is looked at
        assertThat(slack(pressPayload("U0DEMO00GV", approve, governance), now, "a-guessed-secret")
                        .status())
                .isEqualTo(401);
        assertThat(slack(pressPayload("U0DEMO00GV", approve, governance), now - 600, "test-signing-secret")
                        .status())
                .isEqualTo(401);
        String linkedToNobody = pressPayload("U0NOBODY01", approve, governance);
        Http.Response first = slack(linkedToNobody, now, "test-signing-secret");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("text").asText()).contains("not linked");
        assertThat(slack(linkedToNobody, now, "test-signing-secret").status())
                .as("replayed")
                .isEqualTo(409);

        // the mission owner is no governance validator
        Http.Response owner = slackPress("U0DEMO00MO", approve, governance);
        assertThat(owner.json().path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(owner.json().path("text").asText())
                .contains("mo may not decide Approval Packet Review (Governance)", "TASK_WORK", "Nothing was changed");
        // a button nobody offered, a decision the checkpoint does not have, a task not offered in Slack
        assertThat(slackPress("U0DEMO00GV", "approve_everything", governance)
                        .json()
                        .path("text")
                        .asText())
                .contains("not one the control plane offers");
        assertThat(slackPress("U0DEMO00GV", "checkpoint_decision_verified", governance)
                        .json()
                        .path("text")
                        .asText())
                .contains("has no decision 'verified'");
        assertThat(slackPress("U0DEMO00TA", "checkpoint_decision_verified", hooks)
                        .json()
                        .path("text")
                        .asText())
                .contains("is not a checkpoint offered in Slack");
        assertThat(slackPress("U0DEMO00GV", approve, "not-a-task")
                        .json()
                        .path("text")
                        .asText())
                .contains("is not a checkpoint offered in Slack");
        assertThat(drive.task(id, Elements.PACKET_REVIEW_GOVERNANCE)).isNotNull();
        assertThat(drive.task(id, Elements.TELEMETRY_HOOKS_VERIFICATION)).isNotNull();
        assertThat(approvals.forMission(id)).hasSize(rows);

        // one person in both groups co-signs once, not twice
        assertThat(slackPress("U0TESTDUAL", approve, governance)
                        .json()
                        .path("text")
                        .asText())
                .contains("Approve by slack-dual");
        Http.Response twice = slackPress("U0TESTDUAL", approve, operations);
        assertThat(twice.json().path("text").asText()).contains("slack-dual already co-signed this approval packet");
        assertThat(drive.task(id, Elements.PACKET_REVIEW_OPERATIONS)).isNotNull();
        // too late: the governance co-signature is given
        assertThat(slackPress("U0DEMO0GV2", approve, governance)
                        .json()
                        .path("text")
                        .asText())
                .contains("already decided by slack-dual");
        assertThat(approvals.forMission(id)).hasSize(rows + 1);
        assertThat(approvals.forMission(id).get(rows).decidedBy()).isEqualTo("slack-dual");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // findings (fail today)

    /** PUT /job/{id}/retries carries a dueDate: a "retry" that reschedules a healthy timer (the operating rhythm). */
    @Test
    void operationsCommandCannotRescheduleATimerThroughItsRetries() {
        Job timer = management.createJobQuery().timers().list().get(0);
        Date due = timer.getDuedate();
        try {
            Http.Response r = http.send(
                    "PUT",
                    "/engine-rest/job/" + timer.getId() + "/retries",
                    "oc",
                    Map.of("retries", timer.getRetries(), "dueDate", "2099-01-01T00:00:00.000+0000"));
            assertThat(r.status()).as(r.body()).isLessThan(500);
            Job after = management.createJobQuery().jobId(timer.getId()).singleResult();
            assertThat(after.getDuedate())
                    .as("timer due date after oc's retry: " + r.status() + " " + r.body())
                    .isEqualTo(due);
        } finally {
            management.setJobDuedate(timer.getId(), due);
        }
    }

    /** The same door takes attempts away from a job that has not failed (3 → 1): not a retry either. */
    @Test
    void operationsCommandCannotTakeAttemptsFromAJobThatHasNotFailed() {
        Job timer = management.createJobQuery().timers().list().stream()
                .filter(j -> j.getRetries() > 1)
                .findFirst()
                .orElseThrow();
        int retries = timer.getRetries();
        try {
            Http.Response r =
                    http.send("PUT", "/engine-rest/job/" + timer.getId() + "/retries", "oc", Map.of("retries", 1));
            assertThat(r.status()).as(r.body()).isLessThan(500);
            assertThat(management
                            .createJobQuery()
                            .jobId(timer.getId())
                            .singleResult()
                            .getRetries())
                    .as("retries after oc's PUT: " + r.status())
                    .isEqualTo(retries);
        } finally {
            management.setJobRetries(timer.getId(), retries);
        }
    }

    /** Claim refuses a claimed task; POST /task/{id}/assignee with one's own id takes it from its assignee anyway. */
    @Test
    void aValidatorCannotTakeATaskClaimedByAnotherValidator() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Probe: take-over"));
        var task = drive.task(id, Elements.INTENT_CONFIRMATION);
        drive.as("gv", () -> tasks.claim(task.getId(), "gv"));
        Http.Response r = http.post("/engine-rest/task/" + task.getId() + "/assignee", "gv2", Map.of("userId", "gv2"));
        assertThat(tasks.createTaskQuery().taskId(task.getId()).singleResult().getAssignee())
                .as("assignee after gv2's POST /assignee: " + r.status() + " " + r.body())
                .isEqualTo("gv");
        var session = loggedIn("gv2");
        HttpResponse<String> t = session.post(
                "/camunda/api/engine/engine/default/task/" + task.getId() + "/assignee", Map.of("userId", "gv2"));
        assertThat(tasks.createTaskQuery().taskId(task.getId()).singleResult().getAssignee())
                .as("assignee after gv2's Tasklist /assignee: " + t.statusCode() + " " + t.body())
                .isEqualTo("gv");
    }

    /** Claiming a task another person holds is refused, and as a client error: Camunda's TaskAlreadyClaimed is a 500. */
    @Test
    void claimingATaskAnotherPersonHoldsIsAClientError() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: claimed"));
        var task = drive.task(id, Elements.INTENT_CONFIRMATION);
        drive.as("gv", () -> tasks.claim(task.getId(), "gv"));
        Http.Response r = http.post("/engine-rest/task/" + task.getId() + "/claim", "gv2", Map.of("userId", "gv2"));
        assertThat(tasks.createTaskQuery().taskId(task.getId()).singleResult().getAssignee())
                .isEqualTo("gv");
        assertThat(r.status()).as(r.body()).isIn(403, 409);
    }

    /** skipCustomListeners on a plain start: refused, but Camunda's own ENGINE-13024 surfaces as a 500. */
    @Test
    void aStartThatSkipsListenersIsAClientError() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: skip listeners"));
        String def = drive.instance(id).getProcessDefinitionId();
        long before = missions.count(null, null);
        long instances = runtime.createProcessInstanceQuery().count();
        Http.Response r = http.post(
                "/engine-rest/process-definition/" + def + "/start", "mo", Map.of("skipCustomListeners", true));
        assertThat(runtime.createProcessInstanceQuery().count()).isEqualTo(instances);
        assertThat(missions.count(null, null)).isEqualTo(before);
        assertThat(r.status()).as(r.body()).isIn(400, 403);
    }

    /** An encoded letter in the door's own prefix: nothing runs, but the answer is a 500 (Spring's request path). */
    @Test
    void anEncodedDoorPrefixIsAClientError() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: encoded door"));
        String pi = drive.instance(id).getId();
        Map<String, Object> before = snapshot(List.of(id));
        Http.Response r = http.send(
                "PUT",
                "/%65ngine-rest/process-instance/" + pi + "/variables/" + Vars.INTENT_DECISION,
                "mo",
                Map.of("value", "approve"));
        assertThat(snapshot(List.of(id))).isEqualTo(before);
        assertThat(r.status()).as(r.body()).isBetween(400, 499);
    }

    /** A serialized Object (or a value the contract cannot read) for a decision: a 400, not Camunda's 500. */
    @Test
    void serializedObjectValuesForADecisionAreAClientError() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: serialized"));
        var task = drive.task(id, Elements.INTENT_CONFIRMATION);
        Map<String, Object> before = snapshot(List.of(id));
        String path = "/engine-rest/task/" + task.getId() + "/complete";
        Map<String, Object> ack = Map.of("value", true);
        expectRefused(
                before,
                List.of(id),
                req(
                        "gv",
                        "POST",
                        path,
                        Map.of(
                                "variables",
                                Map.of(
                                        Vars.INTENT_DECISION,
                                        Map.of(
                                                "value",
                                                "rO0ABXQAB2FwcHJvdmU=",
                                                "type",
                                                "Object",
                                                "valueInfo",
                                                Map.of(
                                                        "objectTypeName",
                                                        "java.lang.String",
                                                        "serializationDataFormat",
                                                        "application/x-java-serialized-object")),
                                        Vars.SAFEGUARDS_ACKNOWLEDGED,
                                        ack))),
                req(
                        "gv",
                        "POST",
                        path,
                        Map.of(
                                "variables",
                                Map.of(
                                        Vars.INTENT_DECISION,
                                        Map.of(
                                                "value",
                                                "\"approve\"",
                                                "type",
                                                "Object",
                                                "valueInfo",
                                                Map.of(
                                                        "objectTypeName",
                                                        "java.lang.String",
                                                        "serializationDataFormat",
                                                        "application/json")),
                                        Vars.SAFEGUARDS_ACKNOWLEDGED,
                                        ack))),
                req(
                        "gv",
                        "POST",
                        path,
                        Map.of(
                                "variables",
                                Map.of(
                                        Vars.INTENT_DECISION,
                                        Map.of("value", "approve"),
                                        Vars.SAFEGUARDS_ACKNOWLEDGED,
                                        Map.of(
                                                "value",
                                                "rO0ABXNy",
                                                "type",
                                                "Object",
                                                "valueInfo",
                                                Map.of(
                                                        "objectTypeName",
                                                        "java.lang.Boolean",
                                                        "serializationDataFormat",
                                                        "application/x-java-serialized-object"))))),
                req(
                        "gv",
                        "POST",
                        path,
                        Map.of(
                                "variables",
                                Map.of(
                                        Vars.INTENT_DECISION,
                                        Map.of("value", "approve", "type", "Xml"),
                                        Vars.SAFEGUARDS_ACKNOWLEDGED,
                                        ack))),
                req(
                        "gv",
                        "POST",
                        path,
                        Map.of(
                                "variables",
                                Map.of(
                                        Vars.INTENT_DECISION,
                                        Map.of(
                                                "value",
                                                "YXBwcm92ZQ==",
                                                "type",
                                                "File",
                                                "valueInfo",
                                                Map.of("filename", "a.txt")),
                                        Vars.SAFEGUARDS_ACKNOWLEDGED,
                                        ack))));
    }

    /** A JSON null as the body of a completion: Camunda's REST dereferences the missing DTO (NPE, 500). */
    @Test
    void aNullCompletionBodyIsAClientError() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: null body"));
        var task = drive.task(id, Elements.INTENT_CONFIRMATION);
        Map<String, Object> before = snapshot(List.of(id));
        for (String door : List.of("/complete", "/submit-form")) {
            Http.Response r = http.post("/engine-rest/task/" + task.getId() + door, "gv", "null");
            assertThat(snapshot(List.of(id))).isEqualTo(before);
            assertThat(r.status()).as(door + ": " + r.body()).isBetween(400, 499);
        }
    }

    /** Unlock takes no worker id: any agent releases a lock another worker holds. */
    @Test
    void anAgentCannotUnlockAnExternalTaskAnotherWorkerHolds() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: unlock"));
        drive.confirmIntent(id);
        var locked = drive.lock(id, Topics.DATA_INSPECT);
        try {
            Http.Response r = http.post("/engine-rest/external-task/" + locked.getId() + "/unlock", "agent", null);
            assertThat(r.status()).as(r.body()).isLessThan(500);
            assertThat(externalTasks
                            .createExternalTaskQuery()
                            .externalTaskId(locked.getId())
                            .singleResult()
                            .getWorkerId())
                    .as("lock holder after agent's unlock: " + r.status())
                    .isEqualTo(JourneyDriver.TEST_WORKER);
        } finally {
            externalTasks.unlock(locked.getId());
        }
    }

    /**
     * Cockpit's Retry on a failed agent step (issue #15): Cockpit sends PUT external-task/{id}/retries, which Camunda
     * checks as UPDATE_INSTANCE, not RETRY_JOB — operations command got 403. The grant that makes it work must not
     * let operations command do anything else UPDATE_INSTANCE would allow.
     */
    @Test
    void operationsCommandRetriesAFailedAgentStepFromCockpitAndNothingElse() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Probe: retry agent step"));
        drive.confirmIntent(id);
        var locked = drive.lock(id, Topics.DATA_INSPECT);
        externalTasks.handleFailure(locked.getId(), JourneyDriver.TEST_WORKER, "toolkit API down", 0, 0);
        String pi = drive.instance(id).getId();
        assertThat(runtime.createIncidentQuery().processInstanceId(pi).count()).isEqualTo(1);
        String other = drive.start("mo", JourneyDriver.brief("Probe: retry, other group's task"));
        String intent = drive.task(other, Elements.INTENT_CONFIRMATION).getId();

        Map<String, Object> before = snapshot(List.of(id, other));
        String ext = "/engine-rest/external-task/" + locked.getId();
        String proc = "/engine-rest/process-instance/" + pi;
        expectRefused(
                before,
                List.of(id, other),
                // the retry is operations command's only
                req("gv", "PUT", ext + "/retries", Map.of("retries", 1)),
                req("ta", "PUT", ext + "/retries", Map.of("retries", 1)),
                req("mo", "PUT", ext + "/retries", Map.of("retries", 1)),
                req("agent", "PUT", ext + "/retries", Map.of("retries", 1)),
                // what else UPDATE_INSTANCE would allow: variables, modification, suspension, the agent's own calls
                req("oc", "PUT", proc + "/variables/" + Vars.DATA_COVERAGE_PERCENT, Map.of("value", 99.0)),
                req(
                        "oc",
                        "POST",
                        proc + "/variables",
                        Map.of("modifications", Map.of(Vars.DATA_COVERAGE_PERCENT, Map.of("value", 99.0)))),
                req("oc", "DELETE", proc + "/variables/" + Vars.MISSION_OWNER, null),
                req(
                        "oc",
                        "POST",
                        proc + "/modification",
                        Map.of(
                                "instructions",
                                List.of(Map.of(
                                        "type", "startBeforeActivity", "activityId", Elements.TOOLKIT_AUTHORIZATION)))),
                req("oc", "PUT", proc + "/suspended", Map.of("suspended", true)),
                req("oc", "DELETE", proc, null),
                req(
                        "oc",
                        "POST",
                        ext + "/complete",
                        Map.of(
                                "workerId",
                                JourneyDriver.TEST_WORKER,
                                "variables",
                                Map.of(Vars.DATA_COVERAGE_PERCENT, Map.of("value", 99.0)))),
                req(
                        "oc",
                        "POST",
                        ext + "/failure",
                        Map.of("workerId", JourneyDriver.TEST_WORKER, "errorMessage", "x", "retries", 5)),
                req("oc", "POST", ext + "/bpmnError", Map.of("workerId", JourneyDriver.TEST_WORKER, "errorCode", "X")),
                req("oc", "POST", ext + "/lock", Map.of("workerId", "oc", "lockDuration", 60000)),
                req("oc", "PUT", ext + "/priority", Map.of("priority", 99)),
                // the batch doors around the single-task check
                req(
                        "oc",
                        "POST",
                        "/engine-rest/external-task/retries-async",
                        Map.of("retries", 1, "externalTaskIds", List.of(locked.getId()))),
                // another group's checkpoint
                req(
                        "oc",
                        "POST",
                        "/engine-rest/task/" + intent + "/complete",
                        Map.of(
                                "variables",
                                Map.of(
                                        Vars.INTENT_DECISION,
                                        Map.of("value", "approve"),
                                        Vars.SAFEGUARDS_ACKNOWLEDGED,
                                        Map.of("value", true)))),
                req(
                        "oc",
                        "POST",
                        "/engine-rest/execution/" + pi + "/localVariables",
                        Map.of("modifications", Map.of(Vars.DATA_COVERAGE_PERCENT, Map.of("value", 99.0)))));

        // Cockpit's own call, with the session of oc's login
        var cockpit = loggedIn("oc");
        HttpResponse<String> retry = cockpit.send(
                "PUT",
                "/camunda/api/engine/engine/default/external-task/" + locked.getId() + "/retries",
                JSON.writeValueAsString(Map.of("id", locked.getId(), "retries", 1)));
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(204);
        assertThat(externalTasks
                        .createExternalTaskQuery()
                        .externalTaskId(locked.getId())
                        .singleResult()
                        .getRetries())
                .isEqualTo(1);
        assertThat(runtime.createIncidentQuery().processInstanceId(pi).count()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, String> variablesBefore = (Map<String, String>) before.get(id + ".variables");
        assertThat(snapshot(List.of(id)).get(id + ".variables")).isEqualTo(variablesBefore);
        // a retry that carries variables retries and sets none (the door has no place for them)
        var again = drive.lock(id, Topics.DATA_INSPECT);
        externalTasks.handleFailure(again.getId(), JourneyDriver.TEST_WORKER, "down again", 0, 0);
        Http.Response withVariables = http.send(
                "PUT",
                ext + "/retries",
                "oc",
                Map.of(
                        "retries",
                        1,
                        "variables",
                        Map.of(
                                Vars.DATA_COVERAGE_PERCENT,
                                Map.of("value", 99.0),
                                Vars.MISSION_OWNER,
                                Map.of("value", "oc"))));
        assertThat(withVariables.status()).as(withVariables.body()).isLessThan(500);
        assertThat(snapshot(List.of(id)).get(id + ".variables")).isEqualTo(variablesBefore);
        // the retried step is the agent's again, and only the agent's
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        assertThat(drive.task(id, Elements.TOOLKIT_AUTHORIZATION)).isNotNull();
    }

    /**
     * A telemetry analyst starts the KPI-miss runbook by hand (issue #15) through the project's door, with the
     * service's own figures, and starts nothing else: no definition through the engine's doors, not even this one.
     */
    @Test
    void aTelemetryAnalystStartsAKpiMissInvestigationAndNothingElse() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: analyst starts"));
        Map<String, Object> before = snapshot(List.of(id));
        List<Req> refused = new ArrayList<>();
        for (String key : List.of(
                MissionJourney.PROCESS_KEY,
                Runbooks.KPI_MISS,
                Runbooks.SAFEGUARD_VIOLATION,
                Runbooks.UNDO_FAILURE,
                Runbooks.INCIDENT_REVIEW,
                Runbooks.NOTIFICATION_DELIVERY,
                "rhythm-daily-standup",
                "weekly-telemetry-audit")) {
            refused.add(req(
                    "ta",
                    "POST",
                    "/engine-rest/process-definition/key/" + key + "/start",
                    Map.of("variables", Map.of(Runbooks.Vars.KPI_NAME, Map.of("value", "Mission throughput")))));
            refused.add(req("ta", "POST", "/engine-rest/process-definition/key/" + key + "/submit-form", Map.of()));
        }
        refused.add(req("ta", "POST", "/api/missions", Map.of("title", "x")));
        // bad input through the door: 400 naming the field, nothing started
        refused.add(req("ta", "POST", "/api/kpis/no-such-kpi/investigations", Map.of("period", "2019-05")));
        refused.add(req("ta", "POST", "/api/kpis/mission-throughput/investigations", Map.of("period", "2019-13")));
        refused.add(req("ta", "POST", "/api/kpis/mission-throughput/investigations", Map.of("period", "2019-W54")));
        refused.add(req("ta", "POST", "/api/kpis/mission-throughput/investigations", Map.of()));
        // the door is the analysts'
        refused.add(req("oc", "POST", "/api/kpis/mission-throughput/investigations", Map.of("period", "2019-05")));
        refused.add(req("mo", "POST", "/api/kpis/mission-throughput/investigations", Map.of("period", "2019-05")));
        expectRefused(before, List.of(id), refused.toArray(Req[]::new));

        Http.Response started =
                http.post("/api/kpis/mission-throughput/investigations", "ta", Map.of("period", "2019-W20"));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String instance = started.json().path("processInstanceId").asText();
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceId(instance)
                        .singleResult()
                        .getBusinessKey())
                .isEqualTo("kpi-mission-throughput-2019-W20");
        // the figures are the service's: no missions that week, the target from configuration
        assertThat(runtime.getVariable(instance, Runbooks.Vars.KPI_VALUE)).isEqualTo("0.0 missions");
        assertThat(tasks.createTaskQuery()
                        .processInstanceId(instance)
                        .singleResult()
                        .getTaskDefinitionKey())
                .isEqualTo(Runbooks.Elements.KPI_MISS_ANALYSIS);
        Http.Response twice =
                http.post("/api/kpis/mission-throughput/investigations", "ta", Map.of("period", "2019-W20"));
        assertThat(twice.status()).as(twice.body()).isEqualTo(409);
        assertThat(runtime.createProcessInstanceQuery()
                        .processDefinitionKey(Runbooks.KPI_MISS)
                        .processInstanceBusinessKey("kpi-mission-throughput-2019-W20")
                        .count())
                .isEqualTo(1);
    }

    /** An agent's BPMN error code its topic does not declare: 400 naming the topic and its codes, nothing changed. */
    @Test
    void anUndeclaredBpmnErrorCodeIsRefusedNamingTheTopicsCodes() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: undeclared BPMN error"));
        drive.confirmIntent(id);
        var locked = drive.lock(id, Topics.DATA_INSPECT);
        try {
            Map<String, Object> before = snapshot(List.of(id));
            for (String code : List.of("DATA_MISSING", MissionJourney.ERROR_UNDO_FAILED, "")) {
                Http.Response r = http.post(
                        "/engine-rest/external-task/" + locked.getId() + "/bpmnError",
                        "agent",
                        Map.of("workerId", JourneyDriver.TEST_WORKER, "errorCode", code, "errorMessage", "m"));
                assertThat(r.status()).as(code + ": " + r.body()).isEqualTo(400);
                assertThat(r.header("Content-Type")).contains("application/problem+json");
                assertThat(r.json().path("detail").asText())
                        .contains(Topics.DATA_INSPECT)
                        .contains("no BPMN error");
                assertThat(snapshot(List.of(id))).isEqualTo(before);
            }
        } finally {
            externalTasks.unlock(locked.getId());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // refusals (regression guards)

    @Test
    void extendLockFailureAndCompleteForAnotherWorkerAreRefused() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: other worker"));
        drive.confirmIntent(id);
        var locked = drive.lock(id, Topics.DATA_INSPECT);
        try {
            Map<String, Object> before = snapshot(List.of(id));
            String base = "/engine-rest/external-task/" + locked.getId();
            expectRefused(
                    before,
                    List.of(id),
                    req("agent", "POST", base + "/extendLock", Map.of("workerId", "other", "newDuration", 600000)),
                    req(
                            "agent",
                            "POST",
                            base + "/complete",
                            Map.of(
                                    "workerId",
                                    "other",
                                    "variables",
                                    Map.of(
                                            Vars.DATA_COVERAGE_PERCENT,
                                            Map.of("value", 99.0),
                                            Vars.DATA_PREVIEW_SUMMARY,
                                            Map.of("value", "x")))),
                    req(
                            "agent",
                            "POST",
                            base + "/failure",
                            Map.of("workerId", "other", "errorMessage", "x", "retries", 0)),
                    req(
                            "agent",
                            "POST",
                            base + "/failure",
                            Map.of(
                                    "workerId",
                                    JourneyDriver.TEST_WORKER,
                                    "errorMessage",
                                    "x",
                                    "retries",
                                    3,
                                    "variables",
                                    Map.of(Vars.INTENT_DECISION, Map.of("value", "approve")))),
                    req(
                            "agent",
                            "POST",
                            base + "/bpmnError",
                            Map.of("workerId", JourneyDriver.TEST_WORKER, "errorCode", "NOPE")),
                    req("agent", "POST", base + "/lock", Map.of("workerId", "other", "lockDuration", 60000)),
                    req("agent", "PUT", base + "/retries", Map.of("retries", 0)),
                    req("agent", "PUT", base + "/priority", Map.of("priority", 9)),
                    req("oc", "POST", base + "/complete", Map.of("workerId", JourneyDriver.TEST_WORKER)),
                    req("oc", "PUT", base + "/retries", Map.of("retries", 0)),
                    req("mo", "PUT", base + "/retries", Map.of("retries", 5)),
                    req(
                            "agent",
                            "POST",
                            "/engine-rest/external-task/fetchAndLock",
                            Map.of(
                                    "workerId",
                                    "w",
                                    "maxTasks",
                                    5,
                                    "topics",
                                    List.of(Map.of("topicName", "not-a-topic", "lockDuration", 1000)))));
        } finally {
            externalTasks.unlock(locked.getId());
        }
    }

    /**
     * The agent ledger's doors (issue #16): an agent or a foreign owner cannot read a mission's runs; through
     * /engine-rest an agent cannot book its usage to another name or another mission (the usage has no such
     * field), and what it does report is booked to the user it authenticated as, on the task's own mission.
     */
    @Test
    void theLedgerIsNotReadByAgentsOrForeignOwnersAndAnAgentCannotForgeItsRun() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Probe: ledger"));
        String other = drive.start("mo", JourneyDriver.brief("Probe: ledger, other mission"));
        drive.confirmIntent(id);
        assertThat(http.get("/api/missions/" + id + "/agent-runs", "agent").status())
                .isEqualTo(403);
        assertThat(http.get("/api/missions/" + id + "/agent-runs", null).status())
                .isEqualTo(401);
        Http.Response fetched = http.post(
                "/engine-rest/external-task/fetchAndLock",
                "agent",
                Map.of(
                        "workerId",
                        "probe-worker",
                        "maxTasks",
                        1,
                        "topics",
                        List.of(Map.of("topicName", Topics.DATA_INSPECT, "lockDuration", 60000, "businessKey", id))));
        assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
        String task = fetched.json().get(0).path("id").asText();
        String base = "/engine-rest/external-task/" + task + "/complete";
        for (Map<String, Object> forged : List.of(
                Map.<String, Object>of("model", "m", "tokensIn", 1, "tokensOut", 1, "costCents", 1, "agent", "gv"),
                Map.<String, Object>of("model", "m", "tokensIn", 1, "tokensOut", 1, "costCents", 1, "missionId", other),
                Map.<String, Object>of("model", "m", "tokensIn", -5, "tokensOut", 1, "costCents", -100))) {
            Http.Response r = http.post(
                    base,
                    "agent",
                    Map.of(
                            "workerId",
                            "probe-worker",
                            "variables",
                            Map.of(
                                    Vars.DATA_COVERAGE_PERCENT, Map.of("value", 95.0),
                                    Vars.AGENT_USAGE,
                                            Map.of("type", "Json", "value", JSON.writeValueAsString(forged)))));
            assertThat(r.status()).as(forged + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("agentUsage.");
        }
        String usage = "{\"model\":\"m\",\"tokensIn\":10,\"tokensOut\":2,\"costCents\":1}";
        // the worker id is the agent's to choose, but only the lock's holder completes: another id is refused
        Http.Response asOther = http.post(
                base,
                "agent",
                Map.of(
                        "workerId",
                        "gv",
                        "variables",
                        Map.of(
                                Vars.DATA_COVERAGE_PERCENT,
                                Map.of("value", 95.0),
                                Vars.AGENT_USAGE,
                                Map.of("type", "Json", "value", usage))));
        assertThat(asOther.status()).as(asOther.body()).isEqualTo(400);
        Http.Response ok = http.post(
                base,
                "agent",
                Map.of(
                        "workerId",
                        "probe-worker",
                        "variables",
                        Map.of(
                                Vars.DATA_COVERAGE_PERCENT,
                                Map.of("value", 95.0),
                                Vars.AGENT_USAGE,
                                Map.of("type", "Json", "value", usage))));
        assertThat(ok.status()).as(ok.body()).isEqualTo(204);
        var runs = http.get("/api/missions/" + id + "/agent-runs", "mo").json();
        assertThat(runs.path("items").findValuesAsText("agent")).containsExactly("agent");
        assertThat(http.get("/api/missions/" + other + "/agent-runs", "mo")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
        // a mission owner reads only their own mission's ledger
        String theirs = missionService
                .start(JourneyDriver.brief("Probe: ledger, foreign owner"), "mo-ledger", List.of(Roles.MISSION_OWNER))
                .id();
        assertThat(http.get("/api/missions/" + theirs + "/agent-runs", "mo").status())
                .isEqualTo(403);
        assertThat(http.get("/api/missions/" + theirs + "/agent-runs", "gv").status())
                .isEqualTo(200);
    }

    @Test
    void agentsReadNothingButFetchedTasks() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: agent reads"));
        String pi = drive.instance(id).getId();
        for (String[] r : List.of(
                new String[] {"GET", "/engine-rest/process-instance/" + pi + "/variables"},
                new String[] {"GET", "/engine-rest/engine/default/process-instance/" + pi + "/variables"},
                new String[] {"POST", "/engine-rest/variable-instance"},
                new String[] {"POST", "/engine-rest/history/variable-instance"},
                new String[] {"GET", "/engine-rest/task"},
                new String[] {"HEAD", "/engine-rest/task"},
                new String[] {"OPTIONS", "/engine-rest/task"},
                new String[] {"GET", "/engine-rest/external-task"},
                new String[] {"POST", "/engine-rest/external-task"},
                new String[] {"GET", "/api/missions/" + id},
                new String[] {"GET", "/api/missions"},
                new String[] {"GET", "/engine-rest/history/process-instance"})) {
            Http.Response resp = http.send(r[0], r[1], "agent", r[0].equals("POST") ? Map.of() : null);
            assertThat(resp.status())
                    .as(r[0] + " " + r[1] + " as agent: " + resp.body())
                    .isIn(401, 403, 404, 405);
            assertThat(resp.body() == null ? "" : resp.body()).doesNotContain(Vars.OBJECTIVE);
        }
    }

    @Test
    void decisionValueTypeTricksAreRefusedAndChangeNothing() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: value types"));
        var task = drive.task(id, Elements.INTENT_CONFIRMATION);
        Map<String, Object> before = snapshot(List.of(id));
        String path = "/engine-rest/task/" + task.getId() + "/complete";
        Map<String, Object> ack = Map.of("value", true);
        List<Object> decisions = List.of(
                Map.of("value", "\"approve\"", "type", "Json"),
                Map.of("value", "{\"a\":\"approve\"}", "type", "Json"),
                Map.of("value", "YXBwcm92ZQ==", "type", "Bytes"),
                Map.of("value", "2020-01-01T00:00:00.000+0000", "type", "Date"),
                Map.of("value", 1, "type", "Integer"),
                Map.of("value", "APPROVE"),
                Map.of("value", "approve ", "type", "String"),
                Map.of("value", "аpprove"), // Cyrillic a
                Map.of("value", List.of("approve")));
        List<Req> reqs = new ArrayList<>();
        for (Object d : decisions) {
            reqs.add(req(
                    "gv",
                    "POST",
                    path,
                    Map.of("variables", Map.of(Vars.INTENT_DECISION, d, Vars.SAFEGUARDS_ACKNOWLEDGED, ack))));
        }
        for (Object a : List.of(
                Map.of("value", "true"), Map.of("value", "true", "type", "Json"), Map.of("value", 1, "type", "Long"))) {
            reqs.add(req(
                    "gv",
                    "POST",
                    path,
                    Map.of(
                            "variables",
                            Map.of(
                                    Vars.INTENT_DECISION,
                                    Map.of("value", "approve"),
                                    Vars.SAFEGUARDS_ACKNOWLEDGED,
                                    a))));
        }
        for (String name : List.of(
                "IntentDecision", "intentdecision", "intentDecisіon", "intentDecision\u200b", "x".repeat(5000))) {
            reqs.add(req(
                    "gv",
                    "POST",
                    path,
                    Map.of(
                            "variables",
                            Map.of(
                                    Vars.INTENT_DECISION,
                                    Map.of("value", "approve"),
                                    Vars.SAFEGUARDS_ACKNOWLEDGED,
                                    ack,
                                    name,
                                    Map.of("value", "approve")))));
        }
        // local variables, the wrong person, the owner
        reqs.add(req(
                "gv",
                "POST",
                "/engine-rest/task/" + task.getId() + "/submit-form",
                Map.of("variables", Map.of(Vars.INTENT_DECISION, Map.of("value", "approve")))));
        reqs.add(req(
                "ta",
                "POST",
                path,
                Map.of(
                        "variables",
                        Map.of(Vars.INTENT_DECISION, Map.of("value", "approve"), Vars.SAFEGUARDS_ACKNOWLEDGED, ack))));
        reqs.add(req(
                "mo",
                "POST",
                path,
                Map.of(
                        "variables",
                        Map.of(Vars.INTENT_DECISION, Map.of("value", "approve"), Vars.SAFEGUARDS_ACKNOWLEDGED, ack))));
        reqs.add(req(
                "agent",
                "POST",
                path,
                Map.of(
                        "variables",
                        Map.of(Vars.INTENT_DECISION, Map.of("value", "approve"), Vars.SAFEGUARDS_ACKNOWLEDGED, ack))));
        reqs.add(req("ta", "POST", "/engine-rest/task/" + task.getId() + "/claim", Map.of("userId", "ta")));
        reqs.add(req("mo", "POST", "/engine-rest/task/" + task.getId() + "/assignee", Map.of("userId", "mo")));
        reqs.add(req("gv", "POST", "/engine-rest/task/" + task.getId() + "/claim", Map.of("userId", "gv2")));
        reqs.add(req(
                null, "POST", path, Map.of("variables", Map.of(Vars.INTENT_DECISION, Map.of("value", "approve")))));
        expectRefused(before, List.of(id), reqs.toArray(Req[]::new));
    }

    /** A transient decision: the gateway sees it, nothing keeps it. Either refused, or the decision is on record. */
    @Test
    void aTransientDecisionIsRefusedOrRecorded() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: transient"));
        var task = drive.task(id, Elements.INTENT_CONFIRMATION);
        Http.Response r = http.post(
                "/engine-rest/task/" + task.getId() + "/complete",
                "gv",
                Map.of(
                        "variables",
                        Map.of(
                                Vars.INTENT_DECISION,
                                        Map.of("value", "approve", "valueInfo", Map.of("transient", true)),
                                Vars.SAFEGUARDS_ACKNOWLEDGED,
                                        Map.of("value", true, "valueInfo", Map.of("transient", true)))));
        assertThat(r.status()).as(r.body()).isLessThan(500);
        if (r.status() < 300) {
            assertThat(approvals.forMission(id))
                    .as("the decision a transient variable carried")
                    .anyMatch(a -> "gv".equals(a.decidedBy()) && "approve".equals(a.decision()));
            assertThat(runtime.getVariable(drive.instance(id).getId(), Vars.INTENT_DECISION))
                    .as("intentDecision kept in the engine")
                    .isEqualTo("approve");
        }
    }

    @Test
    void genericAndBatchOperationsAreRefusedOnEveryDoor() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Probe: generic"));
        String pi = drive.instance(id).getId();
        var task = drive.task(id, Elements.INTENT_CONFIRMATION);
        String t = task.getId();
        Job timer = management.createJobQuery().timers().list().get(0);
        String def = drive.instance(id).getProcessDefinitionId();
        Map<String, Object> before = snapshot(List.of(id));
        Map<String, Object> inst = Map.of("processInstanceIds", List.of(pi));
        List<Req> reqs = new ArrayList<>();
        for (String user : new String[] {"mo", "gv", "oc", "ta", "kc", "agent", null}) {
            for (String door : user == null || user.equals("kc")
                    ? new String[] {"/engine-rest"}
                    : new String[] {"/engine-rest", "/engine-rest/engine/default"}) {
                reqs.add(req(
                        user,
                        "PUT",
                        door + "/process-instance/" + pi + "/variables/" + Vars.INTENT_DECISION,
                        Map.of("value", "approve")));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-instance/" + pi + "/variables",
                        Map.of("modifications", Map.of(Vars.INTENT_DECISION, Map.of("value", "approve")))));
                reqs.add(req(user, "DELETE", door + "/process-instance/" + pi + "/variables/" + Vars.MISSION_ID, null));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-instance/" + pi + "/modification",
                        Map.of(
                                "instructions",
                                List.of(Map.of(
                                        "type",
                                        "startBeforeActivity",
                                        "activityId",
                                        Elements.TOOLKIT_AUTHORIZATION)))));
                reqs.add(req(user, "PUT", door + "/process-instance/" + pi + "/suspended", Map.of("suspended", true)));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-instance/suspended-async",
                        Map.of("processInstanceIds", List.of(pi), "suspended", true)));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-instance/delete",
                        Map.of("processInstanceIds", List.of(pi), "deleteReason", "x")));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-instance/variables-async",
                        Map.of(
                                "processInstanceIds",
                                List.of(pi),
                                "variables",
                                Map.of(Vars.INTENT_DECISION, Map.of("value", "approve")))));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-instance/job-retries",
                        Map.of("processInstances", List.of(pi), "retries", 0)));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-instance/message-async",
                        Map.of("messageName", "scopeDrift", "processInstanceIds", List.of(pi))));
                reqs.add(req(user, "POST", door + "/process-instance/" + pi + "/comment", Map.of("message", "x")));
                reqs.add(req(user, "DELETE", door + "/process-instance/" + pi, null));
                reqs.add(req(user, "POST", door + "/task/" + t + "/attachment/create", Map.of("attachmentName", "x")));
                reqs.add(req(user, "POST", door + "/task/create", Map.of("id", "forged", "name", "x")));
                reqs.add(req(user, "POST", door + "/task/" + t + "/resolve", Map.of()));
                reqs.add(req(user, "POST", door + "/task/" + t + "/delegate", Map.of("userId", "gv")));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/task/" + t + "/identity-links",
                        Map.of("groupId", "mission-owner", "type", "candidate")));
                reqs.add(req(user, "PUT", door + "/task/" + t, Map.of("name", "x", "assignee", "gv")));
                reqs.add(req(
                        user,
                        "PUT",
                        door + "/task/" + t + "/localVariables/" + Vars.INTENT_DECISION,
                        Map.of("value", "approve")));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/task/" + t + "/localVariables",
                        Map.of("modifications", Map.of(Vars.INTENT_DECISION, Map.of("value", "approve")))));
                reqs.add(req(
                        user,
                        "PUT",
                        door + "/task/" + t + "/variables/" + Vars.INTENT_DECISION,
                        Map.of("value", "approve")));
                reqs.add(req(user, "DELETE", door + "/task/" + t + "/localVariables/x", null));
                reqs.add(req(user, "POST", door + "/task/" + t + "/assignee", Map.of("userId", "gv")));
                reqs.add(req(user, "POST", door + "/message", Map.of("messageName", "scopeDrift", "businessKey", id)));
                reqs.add(req(user, "POST", door + "/signal", Map.of("name", "x")));
                reqs.add(req(user, "POST", door + "/condition", Map.of("businessKey", id)));
                reqs.add(req(user, "POST", door + "/job/" + timer.getId() + "/execute", null));
                reqs.add(req(user, "PUT", door + "/job/" + timer.getId() + "/suspended", Map.of("suspended", true)));
                reqs.add(req(
                        user,
                        "PUT",
                        door + "/job/" + timer.getId() + "/duedate",
                        Map.of("duedate", "2099-01-01T00:00:00.000+0000")));
                reqs.add(req(user, "PUT", door + "/job/" + timer.getId() + "/retries", Map.of("retries", 0)));
                reqs.add(req(
                        user, "POST", door + "/job/retries", Map.of("jobIds", List.of(timer.getId()), "retries", 0)));
                reqs.add(req(
                        user, "POST", door + "/job/retries", Map.of("jobIds", List.of(timer.getId()), "retries", 5)));
                reqs.add(req(
                        user,
                        "PUT",
                        door + "/job-definition/" + timer.getJobDefinitionId() + "/suspended",
                        Map.of("suspended", true)));
                reqs.add(req(
                        user, "PUT", door + "/process-definition/" + def + "/suspended", Map.of("suspended", true)));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-definition/" + def + "/restart",
                        Map.of(
                                "processInstanceIds",
                                List.of(pi),
                                "instructions",
                                List.of(Map.of(
                                        "type", "startAfterActivity", "activityId", Elements.INTENT_CONFIRMATION)))));
                reqs.add(req(user, "POST", door + "/migration/execute", Map.of("processInstanceIds", List.of(pi))));
                reqs.add(req(user, "POST", door + "/history/process-instance/delete", inst));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/history/process-instance/set-removal-time",
                        Map.of(
                                "historicProcessInstanceIds",
                                List.of(pi),
                                "absoluteRemovalTime",
                                "2020-01-01T00:00:00.000+0000")));
                reqs.add(req(user, "DELETE", door + "/history/process-instance/" + pi, null));
                reqs.add(req(user, "POST", door + "/history/cleanup", null));
                reqs.add(req(user, "DELETE", door + "/history/variable-instance/x", null));
                reqs.add(req(user, "POST", door + "/batch", Map.of()));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/user/create",
                        Map.of("profile", Map.of("id", "evil"), "credentials", Map.of("password", "evil-pass-1"))));
                reqs.add(
                        req(user, "POST", door + "/group/camunda-admin/members/" + (user == null ? "mo" : user), null));
                reqs.add(req(user, "PUT", door + "/group/camunda-admin/members/" + (user == null ? "mo" : user), null));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/authorization/create",
                        Map.of(
                                "type",
                                0,
                                "permissions",
                                List.of("ALL"),
                                "userId",
                                "*",
                                "resourceType",
                                8,
                                "resourceId",
                                "*")));
                reqs.add(req(user, "POST", door + "/deployment/create", null));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-definition/key/mission-journey/submit-form",
                        Map.of("businessKey", "forged", "variables", Map.of())));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-definition/key/mission-journey/start",
                        Map.of("variables", Map.of(Vars.INTENT_DECISION, Map.of("value", "approve")))));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-definition/key/mission-journey/start",
                        Map.of(
                                "startInstructions",
                                List.of(Map.of(
                                        "type",
                                        "startBeforeActivity",
                                        "activityId",
                                        Elements.PACKET_REVIEW_GOVERNANCE)))));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/process-definition/" + def + "/start",
                        Map.of(
                                "skipIoMappings",
                                true,
                                "startInstructions",
                                List.of(Map.of("type", "startBeforeActivity", "activityId", Elements.START)))));
                reqs.add(req(user, "POST", door + "/process-definition/key/weekly-telemetry-audit/start", Map.of()));
                reqs.add(req(user, "POST", door + "/process-definition/key/mission-journey-legacy/start", Map.of()));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/external-task/retries-async",
                        Map.of("processInstanceIds", List.of(pi), "retries", 0)));
                reqs.add(req(
                        user,
                        "PUT",
                        door + "/external-task/retries",
                        Map.of("processInstanceIds", List.of(pi), "retries", 0)));
                reqs.add(req(user, "POST", door + "/execution/" + pi + "/signal", Map.of()));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/execution/" + pi + "/messageSubscriptions/scopeDrift/trigger",
                        Map.of()));
                reqs.add(req(user, "POST", door + "/incident", Map.of()));
                reqs.add(req(user, "PUT", door + "/incident/x/annotation", Map.of("annotation", "x")));
                reqs.add(req(
                        user,
                        "POST",
                        door + "/filter/create",
                        Map.of("resourceType", "Task", "name", "x", "query", Map.of())));
                reqs.add(req(
                        user,
                        "PUT",
                        door + "/process-instance/" + pi + "/variables/" + Vars.INTENT_DECISION + "/data",
                        null));
            }
        }
        expectRefused(before, List.of(id), reqs.toArray(Req[]::new));
        assertThat(identity.createUserQuery().userId("evil").count()).isZero();
        assertThat(identity.createUserQuery().memberOfGroup("camunda-admin").list())
                .allMatch(u -> u.getId().equals("demo"));
    }

    @Test
    void pathAndMethodTricksAreRefused() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: paths"));
        String pi = drive.instance(id).getId();
        String t = drive.task(id, Elements.INTENT_CONFIRMATION).getId();
        Map<String, Object> before = snapshot(List.of(id));
        Map<String, Object> value = Map.of("value", "approve");
        String var = "/variables/" + Vars.INTENT_DECISION;
        List<Req> reqs = new ArrayList<>();
        for (String user : new String[] {"mo", "gv", "agent"}) {
            for (String path : List.of(
                    "/engine-rest//process-instance/" + pi + var,
                    "/engine-rest/process-instance/" + pi + var + "/",
                    "/engine-rest/process-instance/" + pi + var + ";jsessionid=1",
                    "/engine-rest/process-instance/" + pi + "%2Fvariables%2F" + Vars.INTENT_DECISION,
                    "/engine-rest/%70rocess-instance/" + pi + var,
                    "/engine-rest/process-instance/" + pi + "/%76ariables/" + Vars.INTENT_DECISION,
                    "/engine-rest/./process-instance/" + pi + var,
                    "/engine-rest/task/x/../../process-instance/" + pi + var,
                    "/Engine-Rest/process-instance/" + pi + var,
                    "/engine-rest/engine/%64efault/process-instance/" + pi + var,
                    "/engine-rest/engine/DEFAULT/process-instance/" + pi + var,
                    "/engine-rest/engine/default/engine/default/process-instance/" + pi + var,
                    "/engine-rest/PROCESS-INSTANCE/" + pi + var)) {
                reqs.add(req(user, "PUT", path, value));
            }
            // method override on a POST the allow-list lets through
            reqs.add(new Req(
                    user,
                    "POST",
                    "/engine-rest/process-instance",
                    Map.of(),
                    Map.of("X-HTTP-Method-Override", "DELETE")));
            reqs.add(new Req(
                    user,
                    "POST",
                    "/engine-rest/process-instance/" + pi + var,
                    value,
                    Map.of("X-HTTP-Method-Override", "PUT")));
            reqs.add(new Req(
                    user,
                    "POST",
                    "/engine-rest/task/" + t + "/claim",
                    Map.of("userId", "gv2"),
                    Map.of("X-HTTP-Method-Override", "PUT", "X-HTTP-Method", "PUT", "X-Method-Override", "PUT")));
            reqs.add(req(
                    user,
                    "POST",
                    "/engine-rest/task/" + t + "/comment/create",
                    Map.of("message", "m", "processInstanceId", pi)));
        }
        expectRefused(before, List.of(id), reqs.toArray(Req[]::new), true);
    }

    @Test
    void webAppApisRefuseChangesThroughASession() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Probe: web apps"));
        String pi = drive.instance(id).getId();
        String t = drive.task(id, Elements.INTENT_CONFIRMATION).getId();
        Map<String, Object> before = snapshot(List.of(id));
        for (String user : List.of("gv", "mo", "oc")) {
            TasklistSession s = loggedIn(user);
            String value = JSON.writeValueAsString(Map.of("value", "approve"));
            for (String[] r : List.of(
                    new String[] {
                        "PUT",
                        "/camunda/api/engine/engine/default/process-instance/" + pi + "/variables/"
                                + Vars.INTENT_DECISION,
                        value
                    },
                    new String[] {
                        "PUT",
                        "/camunda/api/engine/engine/%64efault/process-instance/" + pi + "/variables/"
                                + Vars.INTENT_DECISION,
                        value
                    },
                    new String[] {
                        "PUT",
                        "/camunda/api/engine/%65ngine/default/process-instance/" + pi + "/variables/"
                                + Vars.INTENT_DECISION,
                        value
                    },
                    new String[] {
                        "PUT",
                        "/camunda/api/engine/engine/default/task/" + t + "/localVariables/" + Vars.INTENT_DECISION,
                        value
                    },
                    new String[] {
                        "POST", "/camunda/api/engine/engine/default/task/" + t + "/delegate", "{\"userId\":\"gv2\"}"
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/engine/engine/default/task/" + t + "/identity-links",
                        "{\"groupId\":\"mission-owner\",\"type\":\"candidate\"}"
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/engine/engine/default/process-instance/suspended-async",
                        "{\"processInstanceIds\":[\"" + pi + "\"],\"suspended\":true}"
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/engine/engine/default/process-instance/" + pi + "/modification",
                        "{\"instructions\":[{\"type\":\"cancel\",\"activityId\":\"" + Elements.INTENT_CONFIRMATION
                                + "\"}]}"
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/engine/engine/default/process-definition/key/mission-journey/submit-form",
                        "{\"businessKey\":\"x\",\"variables\":{}}"
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/cockpit/plugin/base/default/process-instance/" + pi + "/modification",
                        "{}"
                    },
                    new String[] {
                        "PUT", "/camunda/api/cockpit/plugin/base/default/process-instance/" + pi + "/variables/x", value
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/admin/setup/default/user/create",
                        "{\"profile\":{\"id\":\"evil2\"},\"credentials\":{\"password\":\"evil-pass-1\"}}"
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/engine/engine/default/user/create",
                        "{\"profile\":{\"id\":\"evil2\"},\"credentials\":{\"password\":\"evil-pass-1\"}}"
                    },
                    new String[] {
                        "PUT",
                        "/camunda/api/engine/engine/default/user/" + user + "/profile",
                        "{\"id\":\"" + user + "\",\"firstName\":\"x\"}"
                    },
                    new String[] {"POST", "/camunda/api/engine/engine/default/group/camunda-admin/members/" + user, null
                    },
                    new String[] {"PUT", "/camunda/api/engine/engine/default/group/camunda-admin/members/" + user, null
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/engine/engine/default/authorization/create",
                        "{\"type\":0,\"permissions\":[\"ALL\"],\"userId\":\"" + user
                                + "\",\"resourceType\":0,\"resourceId\":\"*\"}"
                    },
                    new String[] {
                        "POST",
                        "/camunda/api/engine/engine/default/filter/create",
                        "{\"resourceType\":\"Task\",\"name\":\"x\",\"query\":{}}"
                    })) {
                HttpResponse<String> resp = s.send(r[0], r[1], r[2]);
                assertThat(resp.statusCode())
                        .as(user + " " + r[0] + " " + r[1] + ": " + resp.body())
                        .isIn(400, 401, 403, 404, 405);
            }
        }
        assertThat(snapshot(List.of(id))).isEqualTo(before);
        assertThat(identity.createUserQuery().userId("evil2").count()).isZero();
        assertThat(identity.createUserQuery().memberOfGroup("camunda-admin").list())
                .allMatch(u -> u.getId().equals("demo"));
        assertThat(identity.createUserQuery().userId("gv").singleResult().getFirstName())
                .isNotEqualTo("x");
    }

    @Test
    void apiDoorsRefuseForgedCalls() {
        String id = drive.start("mo", JourneyDriver.brief("Probe: api"));
        Map<String, Object> before = snapshot(List.of(id));
        Http.Response slack = http.postRaw(
                "/api/slack/interactions",
                "application/x-www-form-urlencoded",
                ("payload="
                                + URLEncoder.encode(
                                        "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},"
                                                + "\"actions\":[{\"action_id\":\"approve\",\"value\":\"" + id + "\"}]}",
                                        StandardCharsets.UTF_8))
                        .getBytes(),
                Map.of());
        assertThat(slack.status()).as(slack.body()).isIn(400, 401, 403);
        Http.Response forgedSig = http.postRaw(
                "/api/slack/interactions",
                "application/x-www-form-urlencoded",
                "payload=%7B%7D".getBytes(),
                Map.of(
                        "X-Slack-Signature",
                        "v0=00",
                        "X-Slack-Request-Timestamp",
                        String.valueOf(System.currentTimeMillis() / 1000)));
        assertThat(forgedSig.status()).as(forgedSig.body()).isIn(400, 401, 403);
        expectRefused(
                before,
                List.of(id),
                req("agent", "POST", "/api/missions", JourneyDriver.brief("agent's own mission")),
                req("gv", "POST", "/api/missions", JourneyDriver.brief("gv's mission")),
                req(null, "POST", "/api/missions", JourneyDriver.brief("anon's mission")),
                req(
                        "mo",
                        "POST",
                        "/api/missions/" + id + "/scope-drift",
                        Map.of("toolkit", "hubspot", "scopes", List.of("x"))),
                req("ta", "PUT", "/api/meetings/1/decisions", Map.of()),
                req("mo", "POST", "/api/meetings/daily-standup/runs", null),
                req("agent", "POST", "/api/meetings/monthly-retrospective/runs", null),
                req(null, "POST", "/api/meetings/daily-standup/runs", null),
                req("agent", "POST", "/api/admin/legacy/migrations", Map.of()),
                req("oc", "POST", "/api/admin/legacy/migrations", Map.of()),
                req("mo", "POST", "/api/incidents/1/acknowledge", Map.of()),
                req("mo", "DELETE", "/api/missions/" + id, null),
                req("mo", "PUT", "/api/missions/" + id, Map.of("owner", "gv")),
                req("mo", "PATCH", "/api/missions/" + id, Map.of("owner", "gv")));
    }

    /**
     * The two resources that change in place take a change only with the version it was read at (docs/api.md,
     * "Conditional updates"): no If-Match, a wildcard, a weak or forged tag, another resource's tag, a list holding
     * none of the current one, or a right tag from a group that may not change it — each is refused and nothing
     * changes; the ETag after the probes is the one before.
     */
    @Test
    void aConditionalChangeWithoutTheVersionItWasReadAtChangesNothing() {
        long item = http.post(
                        "/api/backlog",
                        "oc",
                        Map.of(
                                "title",
                                "Probe: conditional",
                                "stage",
                                "DEFINE",
                                "category",
                                "intake_prompts",
                                "impact",
                                1,
                                "effort",
                                1,
                                "ownerRole",
                                "operations-command"))
                .json()
                .path("id")
                .asLong();
        Http.Response run = http.post("/api/meetings/daily-standup/runs", "oc", null);
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        long note = run.json().path("meetingNoteId").asLong();
        String itemPath = "/api/backlog/" + item;
        String notePath = "/api/meetings/" + note;
        String itemTag = http.get(itemPath, "oc").header("ETag");
        String noteTag = http.get(notePath, "oc").header("ETag");
        List<Map<String, String>> forged = new ArrayList<>();
        for (String tag : List.of(
                "*",
                "W/" + itemTag,
                "W/" + noteTag,
                itemTag.replace("-v0", "-v1"),
                noteTag.replace("-v0", "-v1"),
                "\"backlog-" + (item + 1) + "-v0\"",
                "\"meeting-" + (note + 1) + "-v0\"",
                itemTag + "x",
                noteTag + ", *",
                "\"\"",
                "",
                " ",
                itemTag.replace("\"", ""),
                noteTag.replace("\"", ""))) {
            forged.add(Map.of("If-Match", tag));
        }
        forged.add(Map.of());
        List<String> problems = new ArrayList<>();
        for (Map<String, String> headers : forged) {
            // a backlog item's tag is forged for the notes and the other way round: only the own current tag counts
            for (String[] change : new String[][] {
                {"PATCH", itemPath, "{\"status\":\"DONE\"}"},
                {"PUT", notePath + "/decisions", "{\"decisions\":\"forged\"}"}
            }) {
                boolean ownTag =
                        headers.getOrDefault("If-Match", "").equals(change[0].equals("PATCH") ? itemTag : noteTag);
                if (ownTag) {
                    continue;
                }
                Http.Response r = http.send(change[0], change[1], "oc", change[2], headers);
                if (r.status() != 400 && r.status() != 412 && r.status() != 428) {
                    problems.add(change[0] + " " + change[1] + " " + headers + " → " + r.status() + " " + r.body());
                }
            }
        }
        // the right tag, from groups that may not change the notes (an agent, a mission owner)
        for (String user : List.of("agent", "mo", "kc")) {
            Http.Response r = http.send(
                    "PUT", notePath + "/decisions", user, "{\"decisions\":\"forged\"}", Map.of("If-Match", noteTag));
            if (r.status() != 403) {
                problems.add(user + " PUT decisions with the right tag → " + r.status());
            }
        }
        Http.Response agent =
                http.send("PATCH", itemPath, "agent", "{\"status\":\"DONE\"}", Map.of("If-Match", itemTag));
        if (agent.status() != 403) {
            problems.add("agent PATCH with the right tag → " + agent.status());
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
        Http.Response itemAfter = http.get(itemPath, "oc");
        assertThat(itemAfter.header("ETag")).isEqualTo(itemTag);
        assertThat(itemAfter.json().path("status").asText()).isEqualTo("OPEN");
        Http.Response noteAfter = http.get(notePath, "oc");
        assertThat(noteAfter.header("ETag")).isEqualTo(noteTag);
        assertThat(noteAfter.json().hasNonNull("decisions")).isFalse();
    }

    /**
     * The OpenAPI document (/v3/api-docs, docs/openapi.yaml) is a door of its own, outside /api: read by the operating
     * roles and the agent with HTTP Basic, by nobody anonymously under any spelling of its path, never written, and
     * no Swagger UI beside it (docs/security.md).
     */
    @Test
    void theOpenApiDocumentIsReadOnlyToAuthenticatedOperatingRolesAndTheAgent() {
        List<String> paths = List.of(
                "/v3/api-docs",
                "/v3/api-docs.yaml",
                "/v3/api-docs/",
                "/v3/api-docs/swagger-config",
                "/v3/api-docs/springdocDefault",
                "/v3//api-docs",
                "/v3/api-docs;x=1",
                "/V3/api-docs",
                "/v3/API-DOCS",
                "/v3/./api-docs",
                "/v3/api-docs.json",
                "/v3/api-docs.yml",
                "/v3/%61pi-docs",
                "/v3/api-docs%2Fx");
        for (String path : paths) {
            for (String credentials : new String[] {null, "api-docs-prober:wrong-password", "nobody:demo"}) {
                Http.Response r = http.get(path, credentials);
                assertThat(r.status())
                        .as(credentials + " GET " + path + ": " + r.body())
                        .isIn(400, 401, 404);
            }
        }
        Http.Response anonymous = http.get("/v3/api-docs", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
        for (String user : List.of("mo", "gv", "oc", "ta", "kc", "agent", "demo")) {
            Http.Response json = http.get("/v3/api-docs", user);
            assertThat(json.status()).as(user + ": " + json.body()).isEqualTo(200);
            assertThat(json.json().path("openapi").asText()).startsWith("3.1");
            // the document names no server of this deployment (no host, no port)
            assertThat(json.body()).doesNotContain("localhost").doesNotContain(":" + port);
            assertThat(http.get("/v3/api-docs.yaml", user).status())
                    .as(user + " yaml")
                    .isEqualTo(200);
        }
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            for (String user : new String[] {"demo", "agent", null}) {
                Http.Response r = http.send(method, "/v3/api-docs", user, Map.of("openapi", "3.1.0"));
                assertThat(r.status())
                        .as(user + " " + method + " /v3/api-docs: " + r.body())
                        .isIn(401, 403, 405);
            }
        }
        // no UI to the document, for anybody
        for (String ui : List.of("/swagger-ui.html", "/swagger-ui/index.html", "/swagger-ui/")) {
            assertThat(http.get(ui, "demo").status()).as(ui).isIn(401, 403, 404);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    record Req(String user, String method, String path, Object body, Map<String, String> headers) {}

    private static Req req(String user, String method, String path, Object body) {
        return new Req(user, method, path, body, Map.of());
    }

    private void expectRefused(Map<String, Object> before, List<String> ids, Req... reqs) {
        expectRefused(before, ids, reqs, false);
    }

    private void expectRefused(Map<String, Object> before, List<String> ids, Req[] reqs, boolean any2xxOk) {
        List<String> problems = new ArrayList<>();
        for (Req r : reqs) {
            Http.Response resp;
            try {
                resp = send(r);
            } catch (RuntimeException e) {
                problems.add(r.user() + " " + r.method() + " " + r.path() + " → client error " + e);
                continue;
            }
            if (resp.status() >= 500 || (!any2xxOk && resp.status() < 400)) {
                problems.add(r.user() + " " + r.method() + " " + r.path() + " → " + resp.status() + " "
                        + (resp.body() == null
                                ? ""
                                : resp.body()
                                        .substring(0, Math.min(300, resp.body().length()))));
            }
            Map<String, Object> now = snapshot(ids);
            if (!now.equals(before)) {
                problems.add(r.user() + " " + r.method() + " " + r.path() + " CHANGED STATE: " + diff(before, now));
                before = now;
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    private Http.Response send(Req r) {
        if (r.headers().isEmpty()) {
            return http.send(r.method(), r.path(), r.user(), r.body());
        }
        try {
            String payload = r.body() == null ? null : JSON.writeValueAsString(r.body());
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + r.path()))
                    .method(
                            r.method(),
                            payload == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(payload));
            if (payload != null) {
                b.header("Content-Type", "application/json");
            }
            if (r.user() != null) {
                b.header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString((r.user() + ":demo").getBytes()));
            }
            r.headers().forEach(b::header);
            HttpResponse<String> resp =
                    HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Response(resp.statusCode(), resp.body(), resp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String diff(Map<String, Object> a, Map<String, Object> b) {
        StringBuilder s = new StringBuilder();
        for (String k : new TreeSet<>(b.keySet())) {
            if (!String.valueOf(a.get(k)).equals(String.valueOf(b.get(k)))) {
                s.append(k)
                        .append(": ")
                        .append(a.get(k))
                        .append(" → ")
                        .append(b.get(k))
                        .append("; ");
            }
        }
        return s.toString();
    }

    private Map<String, Object> snapshot(List<String> missionIds) {
        return snapshots.of(missionIds);
    }

    private TasklistSession loggedIn(String user) {
        return TasklistSession.login(port, user);
    }
}
