package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.platform.Sha256;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The journey through the real HTTP API only: missions via {@code /api}, checkpoints and agent steps via the
 * standard {@code /engine-rest} endpoints, as the demo users and an agent runtime would call them.
 */
@IntegrationTest
class MissionApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    MissionStore store;

    @Autowired
    IdentityService identity;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        // a person holding both co-signing roles, to prove the engine refuses their second signature
        if (identity.createUserQuery().userId("dual").count() == 0) {
            User u = identity.newUser("dual");
            u.setPassword("demo");
            identity.saveUser(u);
            identity.createMembership("dual", "governance-validator");
            identity.createMembership("dual", "operations-command");
        }
        if (identity.createUserQuery().userId("probe").count() == 0) {
            User u = identity.newUser("probe");
            u.setPassword("demo");
            identity.saveUser(u);
            identity.createMembership("probe", "telemetry-analyst");
        }
    }

    static Map<String, Object> body(String title) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("title", title);
        b.put("objective", "Re-engage accounts with no activity for 90 days");
        b.put("persona", "Revenue operations");
        b.put("kpi", Map.of("metric", "reactivated accounts", "target", 40));
        b.put(
                "safeguards",
                List.of(
                        Map.of("type", "quiet_window", "severity", "high", "parameters", Map.of("start", "21:00")),
                        Map.of("type", "rate_limit", "parameters", Map.of("perHour", 30, "burst", 10))));
        b.put("toolkits", List.of(Map.of("slug", "hubspot", "scopes", List.of("crm.objects.contacts.read"))));
        return b;
    }

    private String taskId(String missionId, String taskKey, String user) {
        Http.Response r = http.get(
                "/engine-rest/task?processInstanceBusinessKey=" + missionId + "&taskDefinitionKey=" + taskKey, user);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).as("%s sees %s", user, taskKey).hasSize(1);
        return r.json().get(0).path("id").asText();
    }

    /** Completes a checkpoint through /engine-rest with Camunda's variable format. */
    private Http.Response complete(String missionId, String taskKey, String user, Map<String, Object> variables) {
        Map<String, Object> vars = new LinkedHashMap<>();
        variables.forEach((k, v) -> vars.put(k, Map.of("value", v)));
        return http.post(
                "/engine-rest/task/" + taskId(missionId, taskKey, user) + "/complete", user, Map.of("variables", vars));
    }

    private void checkpoint(String missionId, String taskKey, String user, Map<String, Object> variables) {
        Http.Response r = complete(missionId, taskKey, user, variables);
        assertThat(r.status())
                .as("%s completes %s: %s", user, taskKey, r.body())
                .isEqualTo(204);
    }

    /** The agent runtime's side: fetch-and-lock one task of the mission on a topic, then complete it with Json. */
    private void agent(String missionId, String topic, String variable, Object value) throws Exception {
        Http.Response locked = http.post(
                "/engine-rest/external-task/fetchAndLock",
                "agent",
                Map.of(
                        "workerId",
                        "api-agent",
                        "maxTasks",
                        1,
                        "topics",
                        List.of(Map.of("topicName", topic, "lockDuration", 60000, "businessKey", missionId))));
        assertThat(locked.status()).isEqualTo(200);
        assertThat(locked.json()).as("locked on %s", topic).hasSize(1);
        String id = locked.json().get(0).path("id").asText();
        Http.Response done = http.post(
                "/engine-rest/external-task/" + id + "/complete",
                "agent",
                Map.of(
                        "workerId",
                        "api-agent",
                        "variables",
                        Map.of(
                                variable,
                                value instanceof Number
                                        ? Map.of("value", value)
                                        : Map.of("value", JSON.writeValueAsString(value), "type", "Json"))));
        assertThat(done.status())
                .as("agent completes %s: %s", topic, done.body())
                .isEqualTo(204);
    }

    @Test
    void aMissionRunsToCompletionThroughTheHttpApi() throws Exception {
        Http.Response created = http.post("/api/missions", "mo", body("Through HTTP"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/missions/" + id);
        assertThat(created.json().path("stage").asText()).isEqualTo("DEFINE");
        assertThat(created.json().path("openTasks").get(0).path("checkpoint").asText())
                .isEqualTo(Elements.INTENT_CONFIRMATION);
        assertThat(created.json()
                        .path("openTasks")
                        .get(0)
                        .path("candidateGroups")
                        .toString())
                .isEqualTo("[\"governance-validator\"]");

        checkpoint(
                id,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
        agent(id, Topics.DATA_INSPECT, Vars.DATA_COVERAGE_PERCENT, 91.5);
        checkpoint(
                id,
                Elements.TOOLKIT_AUTHORIZATION,
                "oc",
                Map.of(
                        Vars.TOOLKIT_DECISION,
                        "authorize",
                        Vars.SCOPES_VALIDATED,
                        true,
                        Vars.READ_ONLY_PATH_CONFIRMED,
                        true));
        agent(
                id,
                Topics.PLAY_RANK,
                Vars.RANKED_PLAYS,
                List.of(
                        Map.of(
                                "playId",
                                "segment",
                                "name",
                                "Segment dormant accounts",
                                "impact",
                                "low",
                                "reversibility",
                                "reversible",
                                "mutating",
                                false),
                        Map.of(
                                "playId",
                                "delete",
                                "name",
                                "Delete bounced contacts",
                                "impact",
                                "high",
                                "reversibility",
                                "irreversible",
                                "mutating",
                                true,
                                "undoPlan",
                                Map.of(
                                        "label",
                                        "Re-import",
                                        "windowMinutes",
                                        30,
                                        "steps",
                                        List.of("page IC", "re-import")))));
        checkpoint(id, Elements.PACKET_REVIEW_GOVERNANCE, "gv", Map.of(Vars.GV_PACKET_DECISION, "approve"));
        checkpoint(
                id,
                Elements.PACKET_REVIEW_OPERATIONS,
                "oc",
                Map.of(Vars.OC_PACKET_DECISION, "approve", Vars.OC_PACKET_COMMENT, "SLA ok"));
        checkpoint(id, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
        checkpoint(
                id,
                Elements.RED_PLAY_CONFIRMATION,
                "gv2",
                Map.of(Vars.RED_PLAY_DECISION, "confirm", Vars.RED_PLAY_COMMENT, "undo window 30 min"));
        assertThat(http.get("/api/missions/" + id, "mo").json().path("stage").asText())
                .isEqualTo("EXECUTE_OBSERVE");
        agent(
                id,
                Topics.PLAY_EXECUTE,
                Vars.PLAY_OUTCOME,
                Map.of("status", "succeeded", "summary", "412 accounts segmented"));
        checkpoint(
                id,
                Elements.LIVE_OVERSIGHT,
                "oc2",
                Map.of(Vars.OVERSIGHT_DECISION, "handover", Vars.OVERSIGHT_NOTE, "to EMEA"));
        agent(
                id,
                Topics.PLAY_EXECUTE,
                Vars.PLAY_OUTCOME,
                Map.of("status", "succeeded", "summary", "37 contacts deleted"));
        checkpoint(
                id,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(
                        Vars.FEEDBACK_RATING,
                        5,
                        Vars.EFFORT_SAVED_HOURS,
                        12,
                        Vars.FEEDBACK_SATISFACTION,
                        "very_satisfied"));
        checkpoint(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        checkpoint(
                id,
                Elements.RETRO_SIGN_OFF_CURATOR,
                "kc",
                Map.of(Vars.CURATOR_SIGN_OFF, true, Vars.CURATOR_SIGN_OFF_COMMENT, "segment play → library"));
        checkpoint(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));

        JsonNode mission = http.get("/api/missions/" + id, "ta").json();
        assertThat(mission.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(mission.path("openTasks")).isEmpty();
        // intent, toolkits, GV + OC + TA, red confirmation, one oversight handover, feedback, three sign-offs
        assertThat(mission.path("approvals")).hasSize(11);
        assertThat(mission.path("approvals").findValuesAsText("decidedBy"))
                .containsExactly("gv", "oc", "gv", "oc", "ta", "gv2", "oc2", "mo", "mo", "kc", "ta");
        assertThat(mission.path("evidence")).hasSize(5);
        for (JsonNode e : mission.path("evidence")) {
            Http.Response artifact = http.get(e.path("link").asText(), "mo");
            assertThat(artifact.status()).isEqualTo(200);
            assertThat(artifact.header("Content-Type")).startsWith("text/markdown");
            assertThat(Sha256.hex(artifact.body()))
                    .as("hash of %s", e.path("stage").asText())
                    .isEqualTo(e.path("sha256").asText());
        }
        assertThat(http.get("/api/missions/" + id + "/evidence/EXECUTE_OBSERVE", "mo")
                        .body())
                .contains("412 accounts segmented", "37 contacts deleted", "to EMEA");
    }

    @Test
    void withoutCredentialsEverythingIsUnauthorized() {
        for (String path : List.of("/api/missions", "/engine-rest/task", "/engine-rest/process-definition")) {
            Http.Response r = http.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
        }
        // a wrong password for a real user (a dedicated one: Camunda delays that user's next logins after a failure)
        assertThat(http.get("/api/missions", "probe:wrong").status()).isEqualTo(401);
        assertThat(http.get("/api/missions", "nobody:demo").status()).isEqualTo(401);
        assertThat(http.post("/api/missions", null, body("anonymous")).status()).isEqualTo(401);
    }

    @Test
    void aUserOfTheWrongGroupNeitherSeesNorCompletesACheckpoint() {
        Http.Response created = http.post("/api/missions", "mo", body("Wrong group"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        String task = taskId(id, Elements.INTENT_CONFIRMATION, "gv");
        assertThat(http.get("/engine-rest/task?processInstanceBusinessKey=" + id, "oc")
                        .json())
                .isEmpty();
        Http.Response r = http.post(
                "/engine-rest/task/" + task + "/complete",
                "oc",
                Map.of("variables", Map.of(Vars.INTENT_DECISION, Map.of("value", "approve"))));
        assertThat(r.status()).isEqualTo(403);
        assertThat(taskId(id, Elements.INTENT_CONFIRMATION, "gv")).isEqualTo(task);
        assertThat(http.post("/api/missions", "kc", body("Curator may not start"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void segregationOfDutiesIsRefusedWithAClearMessageOverHttp() throws Exception {
        String id = http.post("/api/missions", "mo", body("SoD over HTTP"))
                .json()
                .path("id")
                .asText();
        checkpoint(
                id,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
        agent(id, Topics.DATA_INSPECT, Vars.DATA_COVERAGE_PERCENT, 95);
        checkpoint(
                id,
                Elements.TOOLKIT_AUTHORIZATION,
                "oc",
                Map.of(
                        Vars.TOOLKIT_DECISION,
                        "authorize",
                        Vars.SCOPES_VALIDATED,
                        true,
                        Vars.READ_ONLY_PATH_CONFIRMED,
                        true));
        agent(
                id,
                Topics.PLAY_RANK,
                Vars.RANKED_PLAYS,
                List.of(Map.of(
                        "playId",
                        "p",
                        "name",
                        "Segment",
                        "impact",
                        "low",
                        "reversibility",
                        "reversible",
                        "mutating",
                        false)));
        checkpoint(id, Elements.PACKET_REVIEW_GOVERNANCE, "dual", Map.of(Vars.GV_PACKET_DECISION, "approve"));
        Http.Response refused =
                complete(id, Elements.PACKET_REVIEW_OPERATIONS, "dual", Map.of(Vars.OC_PACKET_DECISION, "approve"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("message").asText()).contains("Segregation of duties", "different person");
        Http.Response invalid =
                complete(id, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "perhaps"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("message").asText()).contains("ocPacketDecision must be one of approve, reject");
        assertThat(http.get("/api/missions/" + id, "mo").json().path("approvals"))
                .hasSize(3);
    }

    static List<Object[]> invalidBodies() {
        Map<String, Object> noTitle = body("x");
        noTitle.remove("title");
        Map<String, Object> negativeTarget = body("negative target");
        negativeTarget.put("kpi", Map.of("metric", "m", "target", -5));
        Map<String, Object> textTarget = body("text target");
        textTarget.put("kpi", Map.of("metric", "m", "target", "lots"));
        Map<String, Object> unknownSafeguard = body("unknown safeguard");
        unknownSafeguard.put("safeguards", List.of(Map.of("type", "vibes")));
        Map<String, Object> badRate = body("bad rate");
        badRate.put(
                "safeguards", List.of(Map.of("type", "rate_limit", "parameters", Map.of("perHour", -1, "burst", 10))));
        Map<String, Object> badWindow = body("bad window");
        badWindow.put("safeguards", List.of(Map.of("type", "quiet_window", "parameters", Map.of("start", "25:99"))));
        Map<String, Object> noToolkits = body("no toolkits");
        noToolkits.put("toolkits", List.of());
        Map<String, Object> badSlug = body("bad slug");
        badSlug.put("toolkits", List.of(Map.of("slug", "Hub Spot!", "scopes", List.of("read"))));
        Map<String, Object> unknownField = body("unknown field");
        unknownField.put("priority", "urgent");
        Map<String, Object> longTitle = body("x".repeat(201));
        Map<String, Object> badSeverity = body("bad severity");
        badSeverity.put("safeguards", List.of(Map.of("type", "tone", "severity", "apocalyptic")));
        return List.of(
                new Object[] {"missing title", noTitle, "title"},
                new Object[] {"negative KPI target", negativeTarget, "kpi.target"},
                new Object[] {"KPI target not a number", textTarget, "kpi.target"},
                new Object[] {"unknown safeguard type", unknownSafeguard, "safeguards[0].type"},
                new Object[] {"bad rate limit", badRate, "safeguards[0].parameters.perHour"},
                new Object[] {"bad quiet window", badWindow, "safeguards[0].parameters.start"},
                new Object[] {"bad severity", badSeverity, "safeguards[0].severity"},
                new Object[] {"no toolkits", noToolkits, "toolkits"},
                new Object[] {"bad toolkit slug", badSlug, "toolkits[0].slug"},
                new Object[] {"unknown field", unknownField, "priority"},
                new Object[] {"title too long", longTitle, "title"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidMissionsAreRefusedFieldByFieldAndStartNothing(String why, Map<String, Object> body, String field) {
        long before = store.count(null, null);
        Http.Response r = http.post("/api/missions", "mo", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("errors").findValuesAsText("field"))
                .as(r.body())
                .contains(field);
        assertThat(r.body()).doesNotContain("Exception", "at io.");
        assertThat(store.count(null, null)).isEqualTo(before);
    }

    @Test
    void theTasklistStartFormStartsAMissionFromPolicyTemplates() {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put(Vars.MISSION_TITLE, Map.of("value", "From Tasklist"));
        form.put(Vars.OBJECTIVE, Map.of("value", "Triage churn-risk tickets"));
        form.put(Vars.PERSONA, Map.of("value", "Customer success"));
        form.put(Vars.KPI_METRIC, Map.of("value", "tickets triaged in 1 h"));
        form.put(Vars.KPI_TARGET, Map.of("value", 90));
        form.put(Vars.SAFEGUARD_TEMPLATES, Map.of("value", "[\"tone\",\"budget_cap\"]", "type", "Json"));
        form.put(Vars.TOOLKIT_REQUEST, Map.of("value", "zendesk: tickets:read, tickets:write"));
        Http.Response started = http.post(
                "/engine-rest/process-definition/key/mission-journey/submit-form", "mo", Map.of("variables", form));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        String id = started.json().path("businessKey").asText();
        JsonNode mission = http.get("/api/missions/" + id, "mo").json();
        assertThat(mission.path("owner").asText()).isEqualTo("mo");
        assertThat(mission.path("safeguards").findValuesAsText("type")).containsExactly("tone", "budget_cap");
        assertThat(mission.path("safeguards")
                        .get(1)
                        .path("parameters")
                        .path("centsPerDay")
                        .asInt())
                .isEqualTo(5000);
        assertThat(mission.path("toolkits").get(0).path("scopes")).hasSize(2);

        long before = store.count(null, null);
        form.put(Vars.TOOLKIT_REQUEST, Map.of("value", "zendesk with read access"));
        Http.Response refused = http.post(
                "/engine-rest/process-definition/key/mission-journey/submit-form", "mo", Map.of("variables", form));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("toolkitRequest", "line 1");
        assertThat(store.count(null, null)).isEqualTo(before);

        // a start without toolkits (or without any other field of the form) is the caller's 400, never a 500
        for (String missing :
                List.of(Vars.TOOLKIT_REQUEST, Vars.SAFEGUARD_TEMPLATES, Vars.KPI_TARGET, Vars.MISSION_TITLE)) {
            Map<String, Object> without = new LinkedHashMap<>(form);
            without.put(Vars.TOOLKIT_REQUEST, Map.of("value", "zendesk: tickets:read"));
            without.remove(missing);
            Http.Response r = http.post(
                    "/engine-rest/process-definition/key/mission-journey/submit-form",
                    "mo",
                    Map.of("variables", without));
            assertThat(r.status()).as(missing + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().path("message").asText()).as(missing).contains(missing);
        }
        Map<String, Object> blank = new LinkedHashMap<>(form);
        blank.put(Vars.TOOLKIT_REQUEST, Map.of("value", "  "));
        Http.Response r = http.post(
                "/engine-rest/process-definition/key/mission-journey/submit-form", "mo", Map.of("variables", blank));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(store.count(null, null)).isEqualTo(before);
    }

    @Test
    void malformedJsonIsAProblemNotAnError() {
        Http.Response r = http.post("/api/missions", "mo", "{\"title\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("status").asInt()).isEqualTo(400);
        assertThat(http.get("/api/missions/no-such-mission", "mo").status()).isEqualTo(404);
    }

    @Test
    void listsFilterByStageAndStatusAndAcceptLegacyStageNames() {
        String id = http.post("/api/missions", "mo", body("Listed"))
                .json()
                .path("id")
                .asText();
        Http.Response define = http.get("/api/missions?stage=DEFINE&status=ACTIVE&size=100", "gv");
        assertThat(define.status()).isEqualTo(200);
        assertThat(define.json().path("items").findValuesAsText("id")).contains(id);
        assertThat(define.header("Deprecation")).isNull();

        Http.Response legacy = http.get("/api/missions?stage=Mission%20Brief&size=100", "gv");
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.header("Deprecation")).isEqualTo("true");
        assertThat(legacy.json().path("items").findValuesAsText("id")).contains(id);

        assertThat(http.get("/api/missions?stage=PREPARE&size=100", "gv")
                        .json()
                        .path("items")
                        .findValuesAsText("id"))
                .doesNotContain(id);
        Http.Response bad = http.get("/api/missions?stage=launch", "gv");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("stage");
        assertThat(http.get("/api/missions?size=1000", "gv").status()).isEqualTo(400);
        assertThat(http.get("/api/missions?status=DONE", "gv").status()).isEqualTo(400);
    }
}
