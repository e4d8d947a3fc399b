package io.controlplane.platform;

import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.MissionJourney;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Client mistakes on {@code /engine-rest} — a missing worker id, unknown task ids, malformed JSON, unknown or
 * unreadable variable types, a business key that is taken — answer 4xx problem details (type, title, status, detail;
 * Camunda's {@code message} kept for its clients) that name no SQL statement, index, engine code or Java class.
 */
@IntegrationTest
class EngineRestErrorsTest {
    /** What an answer must never show a client. */
    static final List<String> INTERNALS = List.of(
            "ENGINE-",
            "org.",
            "java.",
            "SQL",
            "INSERT",
            "constraint",
            "index",
            "Exception",
            "jakarta.",
            "com.fasterxml",
            "at [Source");

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    record Mistake(String what, String method, String path, String user, String body, int status) {}

    private static Map<String, Object> brief(Map<String, Object> extra) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(Vars.MISSION_TITLE, Map.of("value", "Engine errors"));
        v.put(Vars.OBJECTIVE, Map.of("value", "Re-engage idle accounts"));
        v.put(Vars.PERSONA, Map.of("value", "Revenue operations"));
        v.put(Vars.KPI_METRIC, Map.of("value", "reactivated accounts"));
        v.put(Vars.KPI_TARGET, Map.of("value", 40));
        v.put(Vars.SAFEGUARD_TEMPLATES, Map.of("value", "[\"tone\"]", "type", "Json"));
        v.put(Vars.TOOLKIT_REQUEST, Map.of("value", "hubspot: crm.objects.contacts.read"));
        v.putAll(extra);
        return v;
    }

    private static String json(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Mistake> mistakes(String existingMission) {
        String start = "/engine-rest/process-definition/key/" + MissionJourney.PROCESS_KEY + "/start";
        String fetch = "/engine-rest/external-task/fetchAndLock";
        String topics = "\"topics\":[{\"topicName\":\"mission.play.rank\",\"lockDuration\":1000}]";
        return List.of(
                new Mistake(
                        "fetchAndLock without workerId",
                        "POST",
                        fetch,
                        "agent",
                        "{\"maxTasks\":1," + topics + "}",
                        400),
                new Mistake(
                        "fetchAndLock with a text for maxTasks",
                        "POST",
                        fetch,
                        "agent",
                        "{\"workerId\":\"w\",\"maxTasks\":\"lots\"," + topics + "}",
                        400),
                new Mistake("fetchAndLock with malformed JSON", "POST", fetch, "agent", "{\"workerId\":", 400),
                new Mistake(
                        "fetchAndLock with topics not a list",
                        "POST",
                        fetch,
                        "agent",
                        "{\"workerId\":\"w\",\"maxTasks\":1,\"topics\":\"rank\"}",
                        400),
                new Mistake(
                        "claim an unknown task",
                        "POST",
                        "/engine-rest/task/no-such-task/claim",
                        "gv",
                        "{\"userId\":\"gv\"}",
                        404),
                new Mistake(
                        "complete an unknown task", "POST", "/engine-rest/task/no-such-task/complete", "gv", "{}", 404),
                new Mistake(
                        "unclaim an unknown task", "POST", "/engine-rest/task/no-such-task/unclaim", "gv", null, 404),
                new Mistake(
                        "complete an unknown external task",
                        "POST",
                        "/engine-rest/external-task/no-such-task/complete",
                        "agent",
                        "{\"workerId\":\"w\"}",
                        404),
                new Mistake(
                        "report failure of an unknown external task",
                        "POST",
                        "/engine-rest/external-task/no-such-task/failure",
                        "agent",
                        "{\"workerId\":\"w\",\"errorMessage\":\"x\",\"retries\":0,\"retryTimeout\":0}",
                        404),
                new Mistake(
                        "BPMN error on an unknown external task",
                        "POST",
                        "/engine-rest/external-task/no-such-task/bpmnError",
                        "agent",
                        "{\"workerId\":\"w\",\"errorCode\":\"UNDO_FAILED\"}",
                        404),
                new Mistake(
                        "a variable of an unknown type",
                        "POST",
                        start,
                        "mo",
                        json(Map.of("variables", brief(Map.of("extra", Map.of("value", "1", "type", "NoSuchType"))))),
                        400),
                new Mistake(
                        "an Integer variable holding text",
                        "POST",
                        start,
                        "mo",
                        json(Map.of("variables", brief(Map.of("extra", Map.of("value", "abc", "type", "Integer"))))),
                        400),
                new Mistake(
                        "a Date variable that is no date",
                        "POST",
                        start,
                        "mo",
                        json(Map.of("variables", brief(Map.of("extra", Map.of("value", "someday", "type", "Date"))))),
                        400),
                new Mistake(
                        "an Object variable without a format",
                        "POST",
                        start,
                        "mo",
                        json(Map.of("variables", brief(Map.of("extra", Map.of("value", "x", "type", "Object"))))),
                        400),
                new Mistake(
                        "an Object variable with a null value and a class",
                        "POST",
                        start,
                        "mo",
                        "{\"variables\":" + json(brief(Map.of())).replaceFirst("}$", "") + ",\"extra\":{\"value\":null,"
                                + "\"type\":\"Object\",\"valueInfo\":{\"objectTypeName\":\"java.util.HashMap\","
                                + "\"serializationDataFormat\":\"application/x-java-serialized-object\"}}}}",
                        400),
                new Mistake("a start with malformed JSON", "POST", start, "mo", "{nope", 400),
                new Mistake(
                        "a start with an existing mission's business key",
                        "POST",
                        start,
                        "demo",
                        json(Map.of("businessKey", existingMission, "variables", brief(Map.of()))),
                        409),
                new Mistake(
                        "a task query sorted by nothing known",
                        "GET",
                        "/engine-rest/task?sortBy=nonsense&sortOrder=asc",
                        "gv",
                        null,
                        400),
                new Mistake(
                        "a task query with a text for firstResult",
                        "GET",
                        "/engine-rest/task?firstResult=abc",
                        "gv",
                        null,
                        400),
                new Mistake(
                        "a message nobody waits for",
                        "POST",
                        "/engine-rest/message",
                        "demo",
                        "{\"messageName\":\"no-such-message\"}",
                        400),
                new Mistake("an unknown resource", "GET", "/engine-rest/no-such-resource", "gv", null, 404),
                new Mistake(
                        "an unknown process instance",
                        "GET",
                        "/engine-rest/process-instance/no-such-instance",
                        "demo",
                        null,
                        404),
                new Mistake(
                        "a variable of an unknown process instance",
                        "PUT",
                        "/engine-rest/process-instance/no-such-instance/variables/x",
                        "demo",
                        "{\"value\":1,\"type\":\"Integer\"}",
                        404),
                new Mistake("a method the resource does not have", "PUT", fetch, "demo", "{}", 405));
    }

    @Test
    void clientMistakesAre4xxProblemDetailsWithoutInternals() {
        String existing = drive.start("mo", JourneyDriver.brief("Engine errors: the existing mission"));
        long missions = jdbc.queryForObject("SELECT COUNT(*) FROM missions", Long.class);
        long instances = jdbc.queryForObject("SELECT COUNT(*) FROM ACT_HI_PROCINST", Long.class);
        List<String> failures = new ArrayList<>();
        for (Mistake m : mistakes(existing)) {
            Http.Response r = http.send(m.method(), m.path(), m.user(), m.body());
            String answer = m.what() + ": " + r.status() + " " + r.header("Content-Type") + " " + r.body();
            System.out.println("ENGINE-REST " + answer);
            if (r.status() != m.status()) {
                failures.add("expected " + m.status() + " for " + answer);
                continue;
            }
            if (!String.valueOf(r.header("Content-Type")).startsWith("application/problem+json")) {
                failures.add("no problem details for " + answer);
                continue;
            }
            var body = r.json();
            if (!body.path("type").asText().startsWith("https://")
                    || body.path("status").asInt() != m.status()
                    || body.path("title").asText().isBlank()
                    || body.path("detail").asText().isBlank()) {
                failures.add("not a problem detail: " + answer);
            }
            for (String internal : INTERNALS) {
                if (r.body().contains(internal)) {
                    failures.add("'" + internal + "' in " + answer);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM missions", Long.class))
                .isEqualTo(missions);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ACT_HI_PROCINST", Long.class))
                .isEqualTo(instances);
    }

    /** A fault of the server stays a 500, told in a plain sentence: the SQL and the classes go to the log only. */
    @Test
    void serverFaultsStay500WithoutInternals() {
        var sql = new SQLException("Connection refused: SELECT * FROM ACT_RU_TASK WHERE ID_ = ?", "08001");
        var wrapped = new RestException(
                Response.Status.INTERNAL_SERVER_ERROR,
                new ProcessEngineException("ENGINE-03004 Exception while executing Database Operation", sql),
                "Cannot complete task");
        for (Throwable fault : List.of(
                wrapped,
                new NullPointerException("org.example.Bug.field"),
                sql,
                new ProcessEngineException(
                        "Unknown property used in expression ${x}",
                        new IllegalStateException("javax.el.PropertyNotFoundException")))) {
            var problem = EngineRestErrors.problem(fault);
            assertThat(problem.get("status")).as(fault.toString()).isEqualTo(500);
            assertThat(problem.get("detail")).isEqualTo("The request failed on the server; it was logged.");
        }
        // a unique index refusing a row is the caller's conflict, said without the statement or the index
        var duplicate = new DuplicateKeyException(
                "PreparedStatementCallback; SQL [INSERT INTO x]",
                new SQLIntegrityConstraintViolationException("Unique index or primary key violation: PK_X", "23505"));
        assertThat(EngineRestErrors.problem(duplicate).get("status")).isEqualTo(409);
        assertThat(EngineRestErrors.problem(duplicate).get("detail").toString())
                .doesNotContain("SQL", "INSERT", "index");
        // engine codes and class names are taken out of messages the caller may read
        assertThat(EngineRestErrors.detail(
                        "org.camunda.bpm.engine.MismatchingMessageCorrelationException: Cannot "
                                + "correlate message 'm'",
                        400))
                .isEqualTo("Cannot correlate message 'm'");
        assertThat(EngineRestErrors.detail("ENGINE-17007 Cannot set variable x of type java.lang.Integer", 400))
                .isEqualTo("Cannot set variable x of type Integer");
        assertThat(EngineRestErrors.detail("Violation of constraint FK_MISSION on missions", 409))
                .doesNotContain("constraint", "FK_MISSION");
    }
}
