package io.controlplane.platform;

import static io.controlplane.mission.MissionJourney.Elements;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.TasklistSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Least privilege where the API table does not reach: Camunda's authorizations through {@code /engine-rest}, the
 * actuator's exposure, security headers, and the web apps' CSRF protection.
 */
@IntegrationTest
class PlatformSecurityTest {
    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.path(field).asText()));
        return values;
    }

    @Test
    void theEngineRestApiAppliesEachGroupsCamundaAuthorizations() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Engine authorizations"));
        assertThat(http.get("/engine-rest/process-definition", null).status()).isEqualTo(401);
        // a wrong password locks no account (Camunda's per-user lockout is off); it counts against this address only
        // (the per-source login throttle, LoginThrottleTest)
        assertThat(http.get("/engine-rest/process-definition", "nobody:wrong").status())
                .isEqualTo(401);

        // the Intent Confirmation is the validators' task: they see it, others do not, the owner cannot complete it
        JsonNode gvTasks = http.get("/engine-rest/task?processInstanceBusinessKey=" + id, "gv")
                .json();
        assertThat(values(gvTasks, "taskDefinitionKey")).containsExactly(Elements.INTENT_CONFIRMATION);
        String taskId = gvTasks.get(0).path("id").asText();
        assertThat(http.get("/engine-rest/task?processInstanceBusinessKey=" + id, "oc")
                        .json())
                .isEmpty();
        // agents read nothing on the engine API but the external tasks they fetch
        assertThat(http.get("/engine-rest/task?processInstanceBusinessKey=" + id, "agent")
                        .status())
                .isEqualTo(403);
        assertThat(http.post("/engine-rest/task/" + taskId + "/complete", "mo", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(http.post("/engine-rest/task/" + taskId + "/complete", "oc", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(drive.task(id, Elements.INTENT_CONFIRMATION))
                .as("still open")
                .isNotNull();

        // mission owners start the journey only; no deployment, no users, no authorizations, no history
        assertThat(deploy("mo").statusCode()).isEqualTo(403);
        assertThat(deploy("agent").statusCode()).isEqualTo(403);
        assertThat(deploy("gv").statusCode()).isEqualTo(403);
        assertThat(http.post(
                                "/engine-rest/user/create",
                                "mo",
                                Map.of(
                                        "profile",
                                        Map.of("id", "intruder"),
                                        "credentials",
                                        Map.of("password", "intruder-password")))
                        .status())
                .isEqualTo(403);
        assertThat(http.post("/engine-rest/group/create", "oc", Map.of("id", "intruders", "name", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(values(http.get("/engine-rest/user", "mo").json(), "id")).containsExactly("mo");
        assertThat(http.get("/engine-rest/authorization", "mo").json()).isEmpty();
        assertThat(http.post("/engine-rest/process-definition/key/mission-journey/start", "agent", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(http.post("/engine-rest/process-definition/key/weekly-telemetry-audit/start", "mo", Map.of())
                        .status())
                .as("only the journey (another definition is invisible)")
                .isIn(403, 404);
        assertThat(http.get("/engine-rest/history/process-instance?processInstanceBusinessKey=" + id, "mo")
                        .json())
                .isEmpty();
        // the journey itself (its checkpoint posts to Slack are notification-delivery instances of the same key)
        assertThat(http.get(
                                "/engine-rest/history/process-instance?processDefinitionKey=mission-journey"
                                        + "&processInstanceBusinessKey=" + id,
                                "ta")
                        .json())
                .hasSize(1);
        assertThat(http.get("/engine-rest/history/process-instance?processInstanceBusinessKey=" + id, "kc")
                        .json())
                .isEmpty();
        // the administrator sees every user
        assertThat(values(http.get("/engine-rest/user", "demo").json(), "id")).contains("mo", "gv", "oc", "ta", "kc");

        // agents fetch and lock the journey's external tasks; curators cannot
        drive.confirmIntent(id);
        Map<String, Object> fetch = Map.of(
                "workerId",
                "security-test",
                "maxTasks",
                5,
                "topics",
                List.of(Map.of("topicName", "mission.data.inspect", "lockDuration", 60000, "businessKey", id)));
        assertThat(http.post("/engine-rest/external-task/fetchAndLock", "kc", fetch)
                        .status())
                .isEqualTo(403);
        JsonNode locked = http.post("/engine-rest/external-task/fetchAndLock", "agent", fetch)
                .json();
        assertThat(locked).hasSize(1);
        String externalTask = locked.get(0).path("id").asText();
        assertThat(http.post("/engine-rest/external-task/" + externalTask + "/unlock", "mo", null)
                        .status())
                .isEqualTo(403);
        // unlock names no worker, so it could release another worker's lock: locks end by completion, failure or expiry
        assertThat(http.post("/engine-rest/external-task/" + externalTask + "/unlock", "agent", null)
                        .status())
                .isEqualTo(403);
        assertThat(http.post(
                                "/engine-rest/external-task/" + externalTask + "/failure",
                                "agent",
                                Map.of(
                                        "workerId",
                                        "security-test",
                                        "errorMessage",
                                        "released",
                                        "retries",
                                        3,
                                        "retryTimeout",
                                        0))
                        .status())
                .isEqualTo(204);
    }

    /** A deployment attempt as {@code user}: a one-line BPMN as multipart form data. */
    private HttpResponse<String> deploy(String user) throws Exception {
        String boundary = "----security-test";
        String bpmn = "<definitions xmlns='http://www.omg.org/spec/BPMN/20100524/MODEL' targetNamespace='x'>"
                + "<process id='intruder' isExecutable='true'><startEvent id='s'/></process></definitions>";
        String body =
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nintruder\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"intruder.bpmn\"; filename=\"intruder.bpmn\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + port + "/engine-rest/deployment/create"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(
                                                                (user + ":demo").getBytes(StandardCharsets.UTF_8)))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theActuatorExposesOnlyHealthInfoAndAnAuthenticatedPrometheus() {
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(http.get("/actuator/info", null).status()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(http.get("/actuator/prometheus", "kc").status()).isEqualTo(403);
        assertThat(http.get("/actuator/prometheus", "demo").status()).isEqualTo(200);
        for (String hidden : List.of(
                "env",
                "beans",
                "configprops",
                "loggers",
                "heapdump",
                "threaddump",
                "mappings",
                "metrics",
                "shutdown")) {
            assertThat(http.get("/actuator/" + hidden, null).status())
                    .as(hidden)
                    .isEqualTo(404);
            assertThat(http.get("/actuator/" + hidden, "demo").status())
                    .as(hidden + " as admin")
                    .isEqualTo(404);
        }
        assertThat(http.get("/actuator", null).body()).doesNotContain("/actuator/env", "/actuator/beans");
    }

    @Test
    void apiAndWebAppAnswersCarrySecurityHeaders() throws Exception {
        Http.Response api = http.get("/api/kpis", "ta");
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(api.header("Cache-Control")).contains("no-store");
        assertThat(api.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(api.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(api.header("Content-Security-Policy")).contains("default-src 'none'");
        Http.Response refused = http.get("/api/kpis", null);
        assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");

        HttpResponse<String> tasklist = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + port + "/camunda/app/tasklist/default/"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(tasklist.statusCode()).isEqualTo(200);
        assertThat(tasklist.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(tasklist.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(tasklist.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        // exactly one CSP, Camunda's own (with the nonce its inline scripts need)
        assertThat(tasklist.headers().allValues("Content-Security-Policy"))
                .singleElement()
                .asString()
                .contains("script-src", "nonce");
    }

    @Test
    void theWebAppsRefuseAStateChangeWithoutTheirCsrfToken() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("CSRF probe"));
        String taskId = drive.task(id, Elements.INTENT_CONFIRMATION).getId();
        URI claim =
                URI.create("http://localhost:" + port + "/camunda/api/engine/engine/default/task/" + taskId + "/claim");
        // without the token Camunda's CSRF filter refuses the request before the engine sees it
        TasklistSession first = TasklistSession.login(port, "gv");
        HttpResponse<String> withoutToken = first.client()
                .send(
                        HttpRequest.newBuilder(claim)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"gv\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withoutToken.headers().firstValue("X-XSRF-TOKEN")).hasValue("Required");
        // with it the request reaches the engine, whose guard refuses it: a validator claims only for himself
        TasklistSession second = TasklistSession.login(port, "gv");
        HttpResponse<String> withToken = second.client()
                .send(
                        HttpRequest.newBuilder(claim)
                                .header("Content-Type", "application/json")
                                .header("X-XSRF-TOKEN", second.token())
                                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"kc\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(403);
        assertThat(withToken.headers().firstValue("X-XSRF-TOKEN")).isEmpty();
        assertThat(withToken.body()).contains("not for kc");
        assertThat(drive.task(id, Elements.INTENT_CONFIRMATION).getAssignee()).isNull();
    }
}
