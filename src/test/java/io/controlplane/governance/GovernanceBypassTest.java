package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.TasklistSession;
import io.controlplane.incident.Runbooks;
import io.controlplane.journey.StepContract;
import io.controlplane.journey.StepInputException;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * The governance promise against hostile callers: no person and no agent moves a mission past a checkpoint, changes
 * who decided or writes what gates the journey, through any door — {@code /engine-rest}, Tasklist's engine API (a
 * real session with its CSRF token), {@code /api}. The variants are generated from the step contract and from the
 * list of Camunda's generic operations, and every refusal is checked against a snapshot of what must not change:
 * activity position, variables, approvals, owner, assignees, locks, job retries.
 */
@IntegrationTest
class GovernanceBypassTest {
    /** Everyone who is not an administrator, as the demo users. */
    private static final List<String> CALLERS = List.of("mo", "gv", "oc", "ta", "kc", "agent");

    @LocalServerPort
    int port;

    @Autowired
    io.controlplane.EngineSnapshot snapshots;

    @Autowired
    JourneyDriver drive;

    @Autowired
    StepContract contract;

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
    GovernanceCheck check;

    @Autowired
    IdentityService identity;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    /** Missions waiting at Intent Confirmation, Toolkit Authorization and the approval packet (three tasks). */
    private record Fixture(String atIntent, String atToolkits, String atPacket) {
        List<String> ids() {
            return List.of(atIntent, atToolkits, atPacket);
        }
    }

    private Fixture fixture(String name) {
        String atIntent = drive.start("mo", JourneyDriver.brief(name + ": intent"));
        String atToolkits = drive.start("mo", JourneyDriver.brief(name + ": toolkits"));
        drive.confirmIntent(atToolkits);
        drive.agent(atToolkits, Topics.DATA_INSPECT, drive.coverage(95));
        String atPacket = drive.start("mo", JourneyDriver.brief(name + ": packet"));
        drive.confirmIntent(atPacket);
        drive.agent(atPacket, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(atPacket);
        drive.agent(atPacket, Topics.PLAY_RANK, drive.ranking("high/irreversible", "low/reversible"));
        return new Fixture(atIntent, atToolkits, atPacket);
    }

    /** Everything a refused request must leave as it was. */
    private Map<String, Object> snapshot(List<String> missionIds) {
        return snapshots.of(missionIds);
    }

    /** Every variable any step declares, and every variable the service itself keeps: what a forger would try. */
    private Set<String> allVariables() {
        Set<String> names = new TreeSet<>(MissionJourney.Vars.all());
        names.addAll(Runbooks.Vars.all());
        contract.userTasks().forEach(s -> names.addAll(s.variables()));
        contract.topics().values().forEach(s -> names.addAll(s.variables()));
        return names;
    }

    @Test
    void everyStepOfTheContractRefusesEveryVariableItDoesNotDeclare() {
        int checked = 0;
        Set<String> names = allVariables();
        List<StepContract.Step> steps = new ArrayList<>(contract.userTasks());
        steps.addAll(contract.startForms());
        steps.addAll(contract.topics().values());
        for (StepContract.Step step : steps) {
            for (String name : names) {
                if (step.variables().contains(name)) {
                    continue;
                }
                assertThatThrownBy(() -> contract.check(step, Map.of(name, "forged"), false))
                        .as(step.element() + " × " + name)
                        .isInstanceOf(StepInputException.class)
                        .hasMessageContaining("'" + name + "'");
                checked++;
            }
        }
        System.out.printf("Contract: %d steps × undeclared variables = %d refusals%n", steps.size(), checked);
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void everyOpenCheckpointRefusesEveryUndeclaredVariableThroughEveryDoor() throws Exception {
        Fixture f = fixture("Undeclared variables");
        Map<String, Object> before = snapshot(f.ids());
        Map<String, String> deciders = Map.of(
                Elements.INTENT_CONFIRMATION,
                "gv",
                Elements.TOOLKIT_AUTHORIZATION,
                "oc",
                Elements.PACKET_REVIEW_GOVERNANCE,
                "gv",
                Elements.PACKET_REVIEW_OPERATIONS,
                "oc",
                Elements.TELEMETRY_HOOKS_VERIFICATION,
                "ta");
        Map<String, Map<String, Object>> valid = Map.of(
                Elements.INTENT_CONFIRMATION,
                        Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true),
                Elements.TOOLKIT_AUTHORIZATION,
                        Map.of(
                                Vars.TOOLKIT_DECISION,
                                "authorize",
                                Vars.SCOPES_VALIDATED,
                                true,
                                Vars.READ_ONLY_PATH_CONFIRMED,
                                true),
                Elements.PACKET_REVIEW_GOVERNANCE, Map.of(Vars.GV_PACKET_DECISION, "approve"),
                Elements.PACKET_REVIEW_OPERATIONS, Map.of(Vars.OC_PACKET_DECISION, "approve"),
                Elements.TELEMETRY_HOOKS_VERIFICATION, Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
        Map<String, TasklistSession> sessions = new HashMap<>();
        int sent = 0;
        for (String missionId : f.ids()) {
            for (var task : tasks.createTaskQuery()
                    .processInstanceBusinessKey(missionId)
                    .list()) {
                String user = deciders.get(task.getTaskDefinitionKey());
                Set<String> declared =
                        new TreeSet<>(contract.userTask(MissionJourney.PROCESS_KEY, task.getTaskDefinitionKey())
                                .orElseThrow()
                                .variables());
                for (String forged : allVariables()) {
                    if (declared.contains(forged)) {
                        continue;
                    }
                    Map<String, Object> variables = new LinkedHashMap<>(typed(valid.get(task.getTaskDefinitionKey())));
                    variables.put(forged, Map.of("value", "forged"));
                    Map<String, Object> body = Map.of("variables", variables);
                    for (String door : List.of("/complete", "/submit-form")) {
                        Http.Response r = http.post("/engine-rest/task/" + task.getId() + door, user, body);
                        assertThat(r.status())
                                .as(task.getTaskDefinitionKey() + door + " with " + forged + ": " + r.body())
                                .isEqualTo(400);
                        assertThat(r.body()).contains(forged);
                        sent++;
                    }
                    TasklistSession session = sessions.computeIfAbsent(user, this::loggedIn);
                    HttpResponse<String> r = session.post(
                            "/camunda/api/engine/engine/default/task/" + task.getId() + "/submit-form", body);
                    assertThat(r.statusCode())
                            .as("Tasklist " + task.getTaskDefinitionKey() + " with " + forged + ": " + r.body())
                            .isEqualTo(400);
                    sent++;
                }
            }
        }
        System.out.printf("Undeclared variables: %d completions refused over /engine-rest and Tasklist%n", sent);
        assertThat(sent).isGreaterThan(500);
        assertThat(snapshot(f.ids())).isEqualTo(before);
    }

    /** Camunda's generic operations, each with a body that would bypass a checkpoint if it were accepted. */
    private List<String[]> genericOperations(Fixture f) {
        String pi = drive.instance(f.atIntent()).getId();
        String task = drive.task(f.atIntent(), Elements.INTENT_CONFIRMATION).getId();
        Job job = management.createJobQuery().list().stream().findFirst().orElseThrow();
        String ext = externalTasks.createExternalTaskQuery().list().stream()
                .findFirst()
                .map(t -> t.getId())
                .orElse("none");
        String brief =
                "\"missionTitle\":{\"value\":\"Forged\"},\"objective\":{\"value\":\"x\"},\"persona\":{\"value\":\"x\"},"
                        + "\"kpiMetric\":{\"value\":\"x\"},\"kpiTarget\":{\"value\":1},\"toolkitRequest\":{\"value\":\"hubspot: crm.objects.contacts.read\"},"
                        + "\"safeguardTemplates\":{\"value\":\"[\\\"tone\\\"]\",\"type\":\"Json\"}";
        return List.of(
                op(
                        "POST",
                        "/process-instance/" + pi + "/modification",
                        "{\"instructions\":[{\"type\":\"cancel\",\"activityId\":\"" + Elements.SUB_DEFINE
                                + "\"},{\"type\":\"startBeforeActivity\",\"activityId\":\"" + Elements.SUB_PLAN_APPROVE
                                + "\"}]}"),
                op(
                        "POST",
                        "/process-instance/" + pi + "/variables",
                        "{\"modifications\":{\"missionOwner\":{\"value\":\"kc\"}}}"),
                op("PUT", "/process-instance/" + pi + "/variables/" + Vars.INTENT_DECISION, "{\"value\":\"approve\"}"),
                op("DELETE", "/process-instance/" + pi + "/variables/" + Vars.MISSION_OWNER, null),
                op("PUT", "/process-instance/" + pi + "/suspended", "{\"suspended\":true}"),
                op(
                        "PUT",
                        "/process-instance/suspended",
                        "{\"processDefinitionKey\":\"mission-journey\",\"suspended\":true}"),
                op("DELETE", "/process-instance/" + pi, null),
                op("POST", "/process-instance/delete", "{\"processInstanceIds\":[\"" + pi + "\"]}"),
                op(
                        "POST",
                        "/execution/" + pi + "/localVariables",
                        "{\"modifications\":{\"redPlayCount\":{\"value\":0}}}"),
                op(
                        "POST",
                        "/process-definition/key/mission-journey/start",
                        "{\"variables\":{" + brief + ",\"missionOwner\":{\"value\":\"kc\"}}}"),
                op(
                        "POST",
                        "/process-definition/key/mission-journey/start",
                        "{\"variables\":{" + brief
                                + "},\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\""
                                + Elements.SUB_EXECUTE_OBSERVE + "\"}]}"),
                op(
                        "POST",
                        "/process-definition/key/mission-journey/start",
                        "{\"businessKey\":\"" + f.atPacket()
                                + "\",\"skipCustomListeners\":true,\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\""
                                + Elements.EXECUTE_PLAY + "\"}]}"),
                op(
                        "POST",
                        "/process-definition/key/mission-journey/submit-form",
                        "{\"businessKey\":\"" + f.atPacket() + "\",\"variables\":{" + brief + "}}"),
                op("POST", "/task/" + task + "/claim", "{\"userId\":\"kc\"}"),
                op("POST", "/task/" + task + "/assignee", "{\"userId\":\"kc\"}"),
                op("POST", "/task/" + task + "/delegate", "{\"userId\":\"kc\"}"),
                op("PUT", "/task/" + task, "{\"name\":\"renamed\",\"assignee\":\"kc\"}"),
                op("POST", "/task/" + task + "/identity-links", "{\"userId\":\"kc\",\"type\":\"candidate\"}"),
                op("PUT", "/task/" + task + "/variables/" + Vars.MISSION_OWNER, "{\"value\":\"kc\"}"),
                op("PUT", "/task/" + task + "/localVariables/" + Vars.INTENT_DECISION, "{\"value\":\"approve\"}"),
                op("POST", "/task/" + task + "/variables", "{\"modifications\":{\"redPlayCount\":{\"value\":0}}}"),
                op("POST", "/task/" + task + "/bpmnError", "{\"errorCode\":\"x\"}"),
                op(
                        "POST",
                        "/message",
                        "{\"messageName\":\"" + MissionJourney.MESSAGE_SCOPE_DRIFT + "\",\"businessKey\":\""
                                + f.atPacket() + "\"}"),
                op("POST", "/signal", "{\"name\":\"anything\"}"),
                op("POST", "/job/" + job.getId() + "/execute", null),
                op("PUT", "/job/" + job.getId() + "/retries", "{\"retries\":0}"),
                op("PUT", "/job/" + job.getId() + "/suspended", "{\"suspended\":true}"),
                op("PUT", "/job/" + job.getId() + "/duedate", "{\"duedate\":\"2031-01-01T00:00:00.000+0000\"}"),
                op("DELETE", "/job/" + job.getId(), null),
                op("PUT", "/job-definition/" + job.getJobDefinitionId() + "/suspended", "{\"suspended\":true}"),
                op(
                        "POST",
                        "/external-task/" + ext + "/complete",
                        "{\"workerId\":\"intruder\",\"variables\":{\"missionOwner\":{\"value\":\"kc\"}}}"),
                op("PUT", "/external-task/" + ext + "/priority", "{\"priority\":100}"),
                op("POST", "/decision-definition/key/risk-matrix/evaluate", "{\"variables\":{}}"),
                op("POST", "/condition", "{\"variables\":{}}"),
                op(
                        "POST",
                        "/authorization/create",
                        "{\"type\":1,\"permissions\":[\"ALL\"],\"userId\":\"mo\",\"resourceType\":8,\"resourceId\":\"*\"}"),
                op("PUT", "/group/camunda-admin/members/mo", null),
                op(
                        "POST",
                        "/migration/execute",
                        "{\"migrationPlan\":{\"sourceProcessDefinitionId\":\"x\",\"targetProcessDefinitionId\":\"y\",\"instructions\":[]},\"processInstanceIds\":[\""
                                + pi + "\"]}"),
                op(
                        "POST",
                        "/process-definition/" + drive.instance(f.atIntent()).getProcessDefinitionId() + "/restart",
                        "{\"processInstanceIds\":[\"" + pi
                                + "\"],\"instructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\""
                                + Elements.SUB_EXECUTE_OBSERVE + "\"}]}"));
    }

    private static String[] op(String method, String path, String body) {
        return new String[] {method, path, body};
    }

    @Test
    void everyNonAdministratorIsRefusedEveryGenericEngineOperation() throws Exception {
        Fixture f = fixture("Generic operations");
        Map<String, Object> before = snapshot(f.ids());
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (String user : CALLERS) {
            TasklistSession session = user.equals("agent") ? null : loggedIn(user);
            for (String[] op : genericOperations(f)) {
                Http.Response r = http.send(op[0], "/engine-rest" + op[1], user, op[2]);
                assertThat(r.status())
                        .as(user + " " + op[0] + " " + op[1] + ": " + r.body())
                        .isBetween(400, 499);
                statuses.merge(r.status(), 1, Integer::sum);
                sent++;
                if (session != null) {
                    HttpResponse<String> t = session.send(op[0], "/camunda/api/engine/engine/default" + op[1], op[2]);
                    assertThat(t.statusCode())
                            .as("Tasklist " + user + " " + op[0] + " " + op[1] + ": " + t.body())
                            .isBetween(400, 499);
                    statuses.merge(t.statusCode(), 1, Integer::sum);
                    sent++;
                }
            }
        }
        // the agent reads nothing beyond its external tasks: not every mission's owner
        assertThat(http.get("/engine-rest/variable-instance?variableName=missionOwner", "agent")
                        .status())
                .isEqualTo(403);
        assertThat(http.get("/engine-rest/history/variable-instance?variableName=missionOwner", "agent")
                        .status())
                .isEqualTo(403);
        // people do not lock the agents' work
        for (String user : List.of("mo", "gv", "oc", "ta", "kc")) {
            assertThat(http.post(
                                    "/engine-rest/external-task/fetchAndLock",
                                    user,
                                    Map.of(
                                            "workerId",
                                            user,
                                            "maxTasks",
                                            5,
                                            "topics",
                                            List.of(Map.of("topicName", Topics.PLAY_RANK, "lockDuration", 60000))))
                            .status())
                    .isEqualTo(403);
        }
        System.out.printf(
                "Generic operations: %d callers × %d operations, %d requests, statuses %s%n",
                CALLERS.size(), genericOperations(f).size(), sent, statuses);
        assertThat(snapshot(f.ids())).isEqualTo(before);
    }

    @Test
    void decisionsAndOwnersCannotBeForgedByTheOnesWhoComplete() {
        Fixture f = fixture("Forged decisions");
        String id = f.atPacket();
        // gv rejects the packet; oc cannot overwrite that rejection or the red-play count with his co-signature
        drive.complete(
                id,
                Elements.PACKET_REVIEW_GOVERNANCE,
                "gv",
                Map.of(Vars.GV_PACKET_DECISION, "reject", Vars.GV_PACKET_COMMENT, "Undo plan too thin"));
        String task = drive.task(id, Elements.PACKET_REVIEW_OPERATIONS).getId();
        Map<String, Object> before = snapshot(List.of(id));
        Map<String, Object> overwrite = new LinkedHashMap<>();
        overwrite.put(Vars.OC_PACKET_DECISION, Map.of("value", "approve"));
        overwrite.put(Vars.GV_PACKET_DECISION, Map.of("value", "approve"));
        overwrite.put(Vars.RED_PLAY_COUNT, Map.of("value", 0, "type", "Integer"));
        Http.Response forged =
                http.post("/engine-rest/task/" + task + "/complete", "oc", Map.of("variables", overwrite));
        assertThat(forged.status()).as(forged.body()).isEqualTo(400);
        assertThat(forged.body()).contains(Vars.GV_PACKET_DECISION);
        Http.Response coSigner = http.post(
                "/engine-rest/task/" + task + "/complete",
                "oc",
                Map.of(
                        "variables",
                        Map.of(
                                Vars.OC_PACKET_DECISION,
                                Map.of("value", "approve"),
                                Vars.GOVERNANCE_CO_SIGNER,
                                Map.of("value", "nobody"))));
        assertThat(coSigner.status()).isEqualTo(400);
        assertThat(snapshot(List.of(id))).isEqualTo(before);

        // an agent's completion carries its topic's result, not an owner
        String other = drive.start("mo", JourneyDriver.brief("Forged owner"));
        drive.confirmIntent(other);
        JsonNode locked = http.post(
                        "/engine-rest/external-task/fetchAndLock",
                        "agent",
                        Map.of(
                                "workerId",
                                "w1",
                                "maxTasks",
                                1,
                                "topics",
                                List.of(Map.of(
                                        "topicName",
                                        Topics.DATA_INSPECT,
                                        "lockDuration",
                                        60000,
                                        "businessKey",
                                        other))))
                .json();
        String ext = locked.get(0).path("id").asText();
        Http.Response owner = http.post(
                "/engine-rest/external-task/" + ext + "/complete",
                "agent",
                Map.of(
                        "workerId",
                        "w1",
                        "variables",
                        Map.of(
                                Vars.DATA_COVERAGE_PERCENT,
                                Map.of("value", 95.0),
                                Vars.MISSION_OWNER,
                                Map.of("value", "kc"))));
        assertThat(owner.status()).as(owner.body()).isEqualTo(400);
        assertThat(owner.body()).contains(Vars.MISSION_OWNER);
        Http.Response local = http.post(
                "/engine-rest/external-task/" + ext + "/complete",
                "agent",
                Map.of(
                        "workerId",
                        "w1",
                        "variables",
                        Map.of(Vars.DATA_COVERAGE_PERCENT, Map.of("value", 95.0)),
                        "localVariables",
                        Map.of(Vars.INTENT_DECISION, Map.of("value", "approve"))));
        assertThat(local.status()).isEqualTo(400);
        Http.Response code = http.post(
                "/engine-rest/external-task/" + ext + "/bpmnError",
                "agent",
                Map.of("workerId", "w1", "errorCode", "SKIP_CHECKPOINT"));
        assertThat(code.status()).isEqualTo(400);
        assertThat(code.body()).contains("no BPMN error");
        assertThat(runtime.getVariable(drive.instance(other).getId(), Vars.MISSION_OWNER))
                .isEqualTo("mo");
        Http.Response ok = http.post(
                "/engine-rest/external-task/" + ext + "/complete",
                "agent",
                Map.of(
                        "workerId",
                        "w1",
                        "variables",
                        Map.of(
                                Vars.DATA_COVERAGE_PERCENT,
                                Map.of("value", 95.0),
                                Vars.DATA_PREVIEW_SUMMARY,
                                Map.of("value", "500 records"))));
        assertThat(ok.status()).as(ok.body()).isEqualTo(204);

        // a start through Camunda's API: from the start form only, owned by the one who starts
        Http.Response start = http.post(
                "/engine-rest/process-definition/key/mission-journey/start",
                "mo",
                Map.of(
                        "variables",
                        Map.of(
                                Vars.MISSION_TITLE,
                                Map.of("value", "Forged owner"),
                                Vars.MISSION_OWNER,
                                Map.of("value", "kc"))));
        assertThat(start.status()).as(start.body()).isEqualTo(400);
        assertThat(start.body()).contains(Vars.MISSION_OWNER);
    }

    @Test
    void aPersonInTwoGroupsCannotApproveHisOwnMissionByRenamingItsOwner() {
        if (identity.createUserQuery().userId("mogv").count() == 0) { // a real account: owner and validator at once
            var user = identity.newUser("mogv");
            user.setPassword("demo");
            identity.saveUser(user);
            identity.createMembership("mogv", "mission-owner");
            identity.createMembership("mogv", "governance-validator");
        }
        String id = drive.start("mogv", JourneyDriver.brief("Owner renamed"));
        String task = drive.task(id, Elements.INTENT_CONFIRMATION).getId();
        Http.Response renamed = http.post(
                "/engine-rest/task/" + task + "/complete",
                "mogv",
                Map.of(
                        "variables",
                        Map.of(
                                Vars.INTENT_DECISION,
                                Map.of("value", "approve"),
                                Vars.SAFEGUARDS_ACKNOWLEDGED,
                                Map.of("value", true),
                                Vars.MISSION_OWNER,
                                Map.of("value", "mo"))));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(400);
        assertThat(renamed.body()).contains(Vars.MISSION_OWNER);
        Http.Response plain = http.post(
                "/engine-rest/task/" + task + "/complete",
                "mogv",
                Map.of(
                        "variables",
                        Map.of(
                                Vars.INTENT_DECISION,
                                Map.of("value", "approve"),
                                Vars.SAFEGUARDS_ACKNOWLEDGED,
                                Map.of("value", true))));
        assertThat(plain.status()).as(plain.body()).isEqualTo(403);
        assertThat(plain.body()).contains("owns this mission");
        assertThatThrownBy(() -> drive.complete(
                        id,
                        Elements.INTENT_CONFIRMATION,
                        "mogv",
                        Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true)))
                .isInstanceOf(SegregationOfDutiesException.class);
        assertThat(drive.task(id, Elements.INTENT_CONFIRMATION)).isNotNull();
    }

    @Test
    void aClaimForSomeoneElseIsRefusedAndTheDeciderMustBeACandidate() {
        String id = drive.start("mo", JourneyDriver.brief("Claim for another"));
        String task = drive.task(id, Elements.INTENT_CONFIRMATION).getId();
        assertThat(http.post("/engine-rest/task/" + task + "/claim", "gv", Map.of("userId", "kc"))
                        .status())
                .isEqualTo(403);
        assertThat(drive.task(id, Elements.INTENT_CONFIRMATION).getAssignee()).isNull();
        assertThat(http.post("/engine-rest/task/" + task + "/claim", "gv", Map.of("userId", "gv"))
                        .status())
                .isEqualTo(204);
        assertThat(http.post("/engine-rest/task/" + task + "/unclaim", "gv2", null)
                        .status())
                .isEqualTo(403);
        assertThat(drive.task(id, Elements.INTENT_CONFIRMATION).getAssignee()).isEqualTo("gv");
        // an assignee who is not a candidate (an administrator assigned it) still cannot decide
        tasks.setAssignee(task, "kc");
        assertThatThrownBy(() -> drive.as(
                        "kc",
                        () -> tasks.complete(
                                task,
                                new HashMap<>(
                                        Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true)))))
                .hasMessageContaining("not in governance-validator");
        assertThat(approvals.forMission(id)).isEmpty();
    }

    @Test
    void theOperatingRhythmCannotBeStoppedByRefusedJobExecutions() {
        List<Job> timers = management.createJobQuery().timers().list();
        assertThat(timers).isNotEmpty();
        Map<String, Integer> retries = new TreeMap<>();
        timers.forEach(j -> retries.put(j.getId(), j.getRetries()));
        for (int i = 0; i < 4; i++) {
            assertThat(http.post("/engine-rest/job/" + timers.get(0).getId() + "/execute", "mo", null)
                            .status())
                    .isEqualTo(403);
        }
        Map<String, Integer> after = new TreeMap<>();
        management.createJobQuery().timers().list().forEach(j -> after.put(j.getId(), j.getRetries()));
        assertThat(after).isEqualTo(retries);
        assertThat(management.createJobQuery().withException().timers().count()).isZero();
    }

    @Test
    void aMissionMovedPastACheckpointByAnAdministratorFailsTheGovernanceCheck() {
        String id = drive.start("mo", JourneyDriver.brief("Moved by modification"));
        assertThat(check.checkMission(id).missions().get(0).passed()).isTrue();
        Http.Response moved = http.post(
                "/engine-rest/process-instance/" + drive.instance(id).getId() + "/modification",
                "demo",
                Map.of(
                        "instructions",
                        List.of(
                                Map.of("type", "cancel", "activityId", Elements.SUB_DEFINE),
                                Map.of("type", "startBeforeActivity", "activityId", Elements.SUB_PLAN_APPROVE))));
        assertThat(moved.status()).as(moved.body()).isEqualTo(204);
        var result = check.checkMission(id).missions().get(0);
        assertThat(result.passed()).isFalse();
        assertThat(result.failures())
                .anyMatch(finding -> finding.rule().equals(GovernanceCheck.JOURNEY_PATH)
                        && finding.detail().contains("Plan & Approve was entered"));
    }

    @Test
    void aBoundedFuzzOfAllThreeDoorsAnswersNo5xxAndChangesNothingItMayNot() throws Exception {
        Fixture f = fixture("Fuzz");
        Map<String, Object> before = snapshot(f.ids());
        Random random = new Random(20261202L);
        List<String> users = new ArrayList<>(CALLERS);
        users.add(null); // anonymous
        Map<String, TasklistSession> sessions = new HashMap<>();
        for (String u : List.of("mo", "gv", "oc", "ta", "kc")) {
            sessions.put(u, loggedIn(u));
        }
        List<String[]> operations = genericOperations(f);
        List<String> taskIds =
                tasks.createTaskQuery().list().stream().map(t -> t.getId()).toList();
        List<String> apiPaths = List.of(
                "/api/missions",
                "/api/missions/" + f.atPacket(),
                "/api/missions/" + f.atIntent() + "/evidence/DEFINE",
                "/api/missions/{r}/scope-drift",
                "/api/incidents",
                "/api/incidents/{r}/acknowledge",
                "/api/governance/check",
                "/api/kpis?from=2026-01-01&to={r}",
                "/api/stages/history?format=csv",
                "/api/telemetry/events",
                "/api/telemetry/audit",
                "/api/backlog",
                "/api/backlog/{r}",
                "/api/meetings/{r}/decisions",
                "/api/meetings/{r}/runs",
                "/api/admin/legacy/migrations",
                "/api/contract",
                "/api/contract/topics/{r}",
                "/api/contract/topics/{r}/input",
                "/api/release/readiness",
                "/v3/api-docs",
                "/v3/api-docs.yaml");
        List<String> values = List.of(
                "\"approve\"",
                "\"reject\"",
                "true",
                "0",
                "-1",
                "1e309",
                "null",
                "\"\"",
                "\"\\u0000\"",
                "\"" + "x".repeat(5000) + "\"",
                "{\"a\":[1,2]}",
                "[\"tone\"]",
                "\"=HYPERLINK(1)\"",
                "\"[x](https://evil)\"");
        Set<String> names = allVariables();
        List<String> nameList = new ArrayList<>(names);
        Map<String, Integer> statuses = new TreeMap<>();
        int count = 10_000;
        long deadline = System.nanoTime() + 900_000_000_000L; // a safety net: the count bounds the run
        int sent = 0;
        for (; sent < count && System.nanoTime() < deadline; sent++) {
            String user = users.get(random.nextInt(users.size()));
            int door = random.nextInt(3);
            String method;
            String path;
            String body;
            if (door < 2 && random.nextBoolean()) {
                String[] op = operations.get(random.nextInt(operations.size()));
                method = op[0];
                path = op[1];
                body = op[2];
            } else if (door < 2) {
                // a completion that always carries one variable no step would take from this caller
                String task = random.nextBoolean() ? taskIds.get(random.nextInt(taskIds.size())) : "no-such-task";
                method = "POST";
                path = "/task/" + task + (random.nextBoolean() ? "/complete" : "/submit-form");
                StringBuilder b = new StringBuilder("{\"variables\":{\"" + nameList.get(random.nextInt(nameList.size()))
                        + "\":{\"value\":" + values.get(random.nextInt(values.size())) + "},\"forged_"
                        + random.nextInt(1000)
                        + "\":{\"value\":1}}}");
                body = random.nextInt(20) == 0 ? b.substring(0, random.nextInt(b.length())) : b.toString();
            } else {
                method = List.of("GET", "POST", "PUT", "PATCH", "DELETE").get(random.nextInt(5));
                path = apiPaths.get(random.nextInt(apiPaths.size()))
                        .replace("{r}", random.nextBoolean() ? String.valueOf(random.nextInt(100)) : f.atIntent());
                body = method.equals("GET") || method.equals("DELETE")
                        ? null
                        : "{\"" + nameList.get(random.nextInt(nameList.size())) + "\":"
                                + values.get(random.nextInt(values.size())) + "}";
            }
            int status;
            if (door == 1 && user != null && sessions.containsKey(user)) {
                status = sessions.get(user)
                        .send(method, "/camunda/api/engine/engine/default" + path, body)
                        .statusCode();
            } else {
                status = http.send(method, door == 2 ? path : "/engine-rest" + path, user, body)
                        .status();
            }
            statuses.merge(String.valueOf(status).charAt(0) + "xx", 1, Integer::sum);
            assertThat(status).as(user + " " + method + " " + path + " " + body).isLessThan(500);
        }
        System.out.printf(
                "Fuzz: %d requests over /engine-rest, Tasklist and /api as %s and anonymous: %s%n",
                sent, CALLERS, statuses);
        assertThat(sent).isEqualTo(count);
        assertThat(statuses.getOrDefault("5xx", 0)).isZero();
        assertThat(snapshot(f.ids())).isEqualTo(before);
    }

    // Tasklist's engine API with a real session and its CSRF token ----------------------------------------------------

    private static Map<String, Object> typed(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Map.of("value", v)));
        return out;
    }

    private TasklistSession loggedIn(String user) {
        return TasklistSession.login(port, user);
    }
}
