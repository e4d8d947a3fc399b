package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The input half of the agent contract (docs/contract/inputs) is what real tasks carry: a mission is served through
 * every topic over {@code /engine-rest} as an agent runtime would — fetch-and-lock naming the variables of the
 * topic's input schema, then complete, or raise {@code UNDO_FAILED} —, and each task's variables must have the
 * schema's Camunda type and satisfy its JSON Schema, every required one present.
 */
@IntegrationTest
class TopicInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORKER = "topic-inputs-agent";

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    StepContract contract;

    @Autowired
    RuntimeService runtime;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    @Test
    void everyTopicsTasksCarryWhatItsInputSchemaSays() throws IOException {
        Set<String> served = new TreeSet<>();
        String id = drive.start("mo", JourneyDriver.brief("Topic inputs"));
        drive.confirmIntent(id);

        JsonNode inspect = fetch(id, Topics.DATA_INSPECT, served);
        complete(inspect, Map.of(Vars.DATA_COVERAGE_PERCENT, Map.of("value", 95, "type", "Integer")));
        drive.authorizeToolkits(id);

        JsonNode rank = fetch(id, Topics.PLAY_RANK, served);
        List<Map<String, Object>> plays = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("playId", "play-" + i);
            p.put("name", "Play " + i);
            p.put("impact", i == 1 ? "medium" : "low");
            p.put("reversibility", "reversible");
            p.put("mutating", true);
            p.put("undoPlan", Map.of("label", "Undo play " + i, "windowMinutes", 15, "steps", List.of("revert")));
            plays.add(p);
        }
        complete(rank, Map.of(Vars.RANKED_PLAYS, Map.of("value", JSON.writeValueAsString(plays), "type", "Json")));
        drive.coSign(id, "gv", "oc");

        JsonNode execute = fetch(id, Topics.PLAY_EXECUTE, served);
        String noon = LocalDate.now(ZoneOffset.UTC)
                .atTime(12, 0)
                .toInstant(ZoneOffset.UTC)
                .toString();
        Map<String, Object> outcome = Map.of(
                "status",
                "succeeded",
                "summary",
                "sent outreach",
                "steps",
                List.of(Map.of(
                        "action",
                        "send_message",
                        "at",
                        noon,
                        "recipient",
                        "contact@example.org",
                        "recipientTimeZone",
                        "Etc/UTC",
                        "text",
                        "Hello, shall we talk?",
                        "spendCents",
                        10,
                        "reversible",
                        true)));
        complete(execute, Map.of(Vars.PLAY_OUTCOME, Map.of("value", JSON.writeValueAsString(outcome), "type", "Json")));
        drive.complete(
                id,
                Elements.LIVE_OVERSIGHT,
                "oc2",
                Map.of(Vars.OVERSIGHT_DECISION, "trigger_undo", Vars.OVERSIGHT_NOTE, "stop"));

        JsonNode undo = fetch(id, Topics.PLAY_UNDO, served);
        Http.Response error = http.post(
                "/engine-rest/external-task/" + undo.path("id").asText() + "/bpmnError",
                "agent",
                Map.of(
                        "workerId",
                        WORKER,
                        "errorCode",
                        MissionJourney.ERROR_UNDO_FAILED,
                        "errorMessage",
                        "records changed since"));
        assertThat(error.status()).as(error.body()).isEqualTo(204);

        JsonNode rollback = fetch(id, Runbooks.Topics.ALTERNATE_ROLLBACK, served);
        assertThat(rollback.path("variables")
                        .path(Runbooks.Vars.UNDO_ERROR_MESSAGE)
                        .path("value")
                        .asText())
                .isEqualTo("records changed since");
        complete(rollback, Map.of());

        assertThat(served).as("topics served").isEqualTo(contract.topics().keySet());
    }

    /**
     * A legacy eight-stage mission still in flight is served the two topics its model has the same way (started on
     * the engine's behalf, as the legacy start did: mission owners may no longer start it).
     */
    @Test
    void aLegacyMissionsTasksCarryWhatTheInputSchemasSay() throws IOException {
        MissionRequest brief = JourneyDriver.brief("Topic inputs, legacy");
        String id = UUID.randomUUID().toString();
        runtime.createProcessInstanceByKey(LegacyJourney.PROCESS_KEY)
                .businessKey(id)
                .setVariable(Vars.MISSION_OWNER, "mo")
                .setVariable(Vars.MISSION_TITLE, brief.title())
                .setVariable(Vars.OBJECTIVE, brief.objective())
                .setVariable(Vars.PERSONA, brief.persona())
                .setVariable(Vars.KPI_METRIC, brief.kpi().metric())
                .setVariable(Vars.KPI_TARGET, brief.kpi().target().doubleValue())
                .setVariable(Vars.SAFEGUARDS, drive.json().variable(brief.safeguards()))
                .setVariable(Vars.TOOLKITS, drive.json().variable(brief.toolkits()))
                .execute();
        drive.complete(id, LegacyJourney.Elements.INTAKE_COMPLETION, "mo", Map.of());
        drive.complete(
                id,
                LegacyJourney.Elements.MISSION_BRIEF_SIGN_OFF,
                "gv",
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
        drive.complete(id, LegacyJourney.Elements.TOOLKIT_CONNECTION, "mo", Map.of());
        Set<String> served = new TreeSet<>();
        complete(
                fetch(id, Topics.DATA_INSPECT, served),
                Map.of(Vars.DATA_COVERAGE_PERCENT, Map.of("value", 91.5, "type", "Double")));
        JsonNode rank = fetch(id, Topics.PLAY_RANK, served);
        assertThat(rank.path("variables").has(Vars.LIBRARY_OFFERS))
                .as("no library offers on the legacy model")
                .isFalse();
        assertThat(served).containsExactly(Topics.DATA_INSPECT, Topics.PLAY_RANK);
    }

    /** Fetches the mission's task of {@code topic} naming its input schema's variables, and checks what came. */
    private JsonNode fetch(String missionId, String topic, Set<String> served) throws IOException {
        JsonNode schema = contract.topicInput(topic).orElseThrow();
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        Http.Response r = http.post(
                "/engine-rest/external-task/fetchAndLock",
                "agent",
                Map.of(
                        "workerId",
                        WORKER,
                        "maxTasks",
                        1,
                        "topics",
                        List.of(Map.of(
                                "topicName",
                                topic,
                                "lockDuration",
                                60_000,
                                "businessKey",
                                missionId,
                                "variables",
                                names))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode tasks = JSON.readTree(r.body());
        assertThat(tasks).as(topic + ": a task for mission " + missionId).hasSize(1);
        JsonNode task = tasks.get(0);
        JsonNode variables = task.path("variables");
        List<String> problems = new ArrayList<>();
        for (JsonNode required : schema.path("required")) {
            if (!variables.has(required.asText())) {
                problems.add(required.asText() + " is required but the task does not carry it");
            }
        }
        for (String name : names) {
            JsonNode variable = variables.get(name);
            if (variable == null) {
                continue;
            }
            JsonNode property = schema.path("properties").path(name);
            String type = variable.path("type").asText();
            if (!type.equals(property.path("x-camundaType").asText())
                    && !variable.path("value").isNull()) {
                problems.add(name + " has Camunda type " + type + ", the schema says "
                        + property.path("x-camundaType").asText());
            }
            JsonNode value = variable.path("value");
            if (type.toLowerCase(Locale.ROOT).equals("json") && value.isTextual()) {
                value = JSON.readTree(value.asText());
            }
            SchemaSubset.violation(property, value, name).ifPresent(problems::add);
        }
        assertThat(problems).as(topic + " task variables " + variables).isEmpty();
        served.add(topic);
        return task;
    }

    private void complete(JsonNode task, Map<String, Object> variables) {
        Http.Response r = http.post(
                "/engine-rest/external-task/" + task.path("id").asText() + "/complete",
                "agent",
                Map.of("workerId", WORKER, "variables", variables));
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }
}
