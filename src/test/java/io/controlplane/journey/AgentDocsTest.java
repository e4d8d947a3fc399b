package io.controlplane.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.MultiInstanceLoopCharacteristics;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaIn;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/agents.md is what an agent runtime is written from (issue #15: an agent served from the docs alone met
 * undocumented variables, types and codes). Its topic tables are compared here with what the service enforces — the
 * result schemas of docs/contract/topics and the external tasks of the BPMN models — so neither can change without
 * the other.
 */
class AgentDocsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CAMUNDA_TYPES = Set.of("String", "Json", "Boolean", "Integer", "Long", "Double");
    private static final Pattern TOPIC_HEADING = Pattern.compile("^### `([a-z.]+)`\\s*$");
    /** A table cell boundary: a pipe not escaped as \| */
    private static final Pattern CELL = Pattern.compile("(?<!\\\\)\\|");

    /** What docs/agents.md says of one topic. */
    record Documented(Map<String, String[]> receives, Map<String, String[]> completes, Set<String> errors) {}

    /** One external task of a model: its process, its inputs, the loop variables around it, the errors it catches. */
    record Task(String process, String id, Set<String> locals, Set<String> loops, Set<String> caughtCodes) {}

    static Map<String, Documented> docs;
    static Map<String, List<Task>> tasks;
    /** process key → the variables the call activities calling it map in */
    static Map<String, Set<String>> mappedIn;

    @BeforeAll
    static void read() throws IOException {
        docs = parse(Files.readAllLines(Path.of("docs", "agents.md")));
        tasks = new TreeMap<>();
        mappedIn = new TreeMap<>();
        List<Path> models;
        try (Stream<Path> top = Files.list(Path.of("bpmn"));
                Stream<Path> legacy = Files.list(Path.of("bpmn", "legacy"))) {
            models = Stream.concat(top, legacy)
                    .filter(p -> p.toString().endsWith(".bpmn"))
                    .toList();
        }
        for (Path model : models) {
            BpmnModelInstance m = Bpmn.readModelFromFile(model.toFile());
            for (ServiceTask t : m.getModelElementsByType(ServiceTask.class)) {
                if (!"external".equals(t.getCamundaType())) {
                    continue;
                }
                Set<String> locals = new TreeSet<>();
                m.getModelElementsByType(CamundaInputParameter.class).stream()
                        .filter(p -> enclosing(p, ServiceTask.class) == t)
                        .forEach(p -> locals.add(p.getCamundaName()));
                Set<String> loops = new TreeSet<>();
                for (ModelElementInstance e = t; e != null; e = e.getParentElement()) {
                    if (e instanceof Activity a
                            && a.getLoopCharacteristics() instanceof MultiInstanceLoopCharacteristics mi
                            && mi.getCamundaElementVariable() != null) {
                        loops.add(mi.getCamundaElementVariable());
                    }
                }
                Set<String> caught = new TreeSet<>();
                for (BoundaryEvent b : m.getModelElementsByType(BoundaryEvent.class)) {
                    if (b.getAttachedTo() == t) {
                        b.getEventDefinitions().stream()
                                .filter(d -> d instanceof ErrorEventDefinition)
                                .map(d -> ((ErrorEventDefinition) d).getError().getErrorCode())
                                .forEach(caught::add);
                    }
                }
                String process = enclosing(t, Process.class).getId();
                tasks.computeIfAbsent(t.getCamundaTopic(), k -> new ArrayList<>())
                        .add(new Task(process, t.getId(), locals, loops, caught));
            }
            for (CallActivity call : m.getModelElementsByType(CallActivity.class)) {
                Set<String> in = mappedIn.computeIfAbsent(call.getCalledElement(), k -> new TreeSet<>());
                m.getModelElementsByType(CamundaIn.class).stream()
                        .filter(i -> enclosing(i, CallActivity.class) == call)
                        .filter(i -> i.getCamundaTarget() != null)
                        .forEach(i -> in.add(i.getCamundaTarget()));
            }
        }
    }

    @Test
    void everyTopicOfTheModelsAndTheContractIsDocumentedAndNoOther() throws IOException {
        Set<String> schemas = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("docs", "contract", "topics"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json"))
                    .forEach(n -> schemas.add(n.replace(".schema.json", "")));
        }
        Set<String> inputs = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("docs", "contract", "inputs"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json"))
                    .forEach(n -> inputs.add(n.replace(".schema.json", "")));
        }
        assertThat(docs.keySet())
                .as("topics in docs/agents.md")
                .isEqualTo(schemas)
                .isEqualTo(inputs)
                .isEqualTo(tasks.keySet());
    }

    @Test
    void eachCompletionTableIsTheTopicsSchema() throws IOException {
        for (var e : docs.entrySet()) {
            String topic = e.getKey();
            JsonNode schema = schema(topic);
            Set<String> properties = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(e.getValue().completes().keySet())
                    .as(topic + ": documented result variables")
                    .isEqualTo(properties);
            Set<String> required = new TreeSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            for (var v : e.getValue().completes().entrySet()) {
                String type = v.getValue()[0];
                String constraints = v.getValue()[1];
                assertThat(constraints.startsWith("required"))
                        .as(topic + "." + v.getKey() + " documented as required")
                        .isEqualTo(required.contains(v.getKey()));
                String schemaType =
                        schema.path("properties").path(v.getKey()).path("type").asText();
                switch (schemaType) {
                    case "number" ->
                        assertThat(type)
                                .as(topic + "." + v.getKey())
                                .contains("Integer")
                                .contains("Long")
                                .contains("Double");
                    case "array", "object" ->
                        assertThat(type)
                                .as(topic + "." + v.getKey())
                                .contains("Json")
                                .contains("String holding the JSON text");
                    case "string" ->
                        assertThat(type).as(topic + "." + v.getKey()).isEqualTo("String");
                    case "boolean" ->
                        assertThat(type).as(topic + "." + v.getKey()).isEqualTo("Boolean");
                    default ->
                        throw new AssertionError(topic + "." + v.getKey() + ": schema type " + schemaType
                                + " has no documented Camunda type rule here");
                }
            }
        }
    }

    /**
     * The documented codes are the contract's, and every external task of the topic catches exactly those: a code
     * the guard lets through with no boundary event would end the task's scope (or fail with ENGINE-13033).
     */
    @Test
    void bpmnErrorsAreTheContractsAndEveryTaskOfTheTopicCatchesThem() throws IOException {
        for (var e : docs.entrySet()) {
            Set<String> declared = new TreeSet<>();
            schema(e.getKey()).path("x-bpmnErrors").forEach(c -> declared.add(c.asText()));
            assertThat(e.getValue().errors())
                    .as(e.getKey() + ": documented BPMN errors")
                    .isEqualTo(declared);
            for (Task t : tasks.get(e.getKey())) {
                assertThat(t.caughtCodes())
                        .as(t.process() + "/" + t.id() + " catches")
                        .isEqualTo(declared);
            }
        }
    }

    @Test
    void everyVariableATaskCarriesIsDocumentedWithItsScope() {
        Set<String> journey = MissionJourney.Vars.all();
        for (var e : docs.entrySet()) {
            String topic = e.getKey();
            Map<String, String[]> receives = e.getValue().receives();
            assertThat(receives).as(topic + ": receives table").isNotEmpty();
            for (var v : receives.entrySet()) {
                String name = v.getKey();
                String type = v.getValue()[0];
                String scope = v.getValue()[1];
                assertThat(Arrays.stream(type.split(",? or |, "))
                                .map(String::strip)
                                .toList())
                        .as(topic + "." + name + " type")
                        .allMatch(CAMUNDA_TYPES::contains);
                assertThat(v.getValue()[2]).as(topic + "." + name + " example").isNotBlank();
                List<Task> served = tasks.get(topic);
                switch (scope) {
                    case "local" ->
                        assertThat(served)
                                .as(topic + "." + name + ": an input of its task")
                                .anyMatch(t -> t.locals().contains(name));
                    case "loop" ->
                        assertThat(served)
                                .as(topic + "." + name + ": the loop's element variable")
                                .allMatch(t -> t.loops().contains(name));
                    case "process" -> {
                        for (Task t : served) {
                            boolean known = t.process().equals(MissionJourney.PROCESS_KEY)
                                            || t.process().equals(LegacyJourney.PROCESS_KEY)
                                    ? journey.contains(name)
                                    : mappedIn.getOrDefault(t.process(), Set.of())
                                            .contains(name);
                            assertThat(known)
                                    .as(topic + "." + name + ": a variable of " + t.process())
                                    .isTrue();
                        }
                    }
                    default -> throw new AssertionError(topic + "." + name + ": unknown scope " + scope);
                }
            }
            for (Task t : tasks.get(topic)) {
                for (String local : t.locals()) {
                    assertThat(receives.get(local))
                            .as(topic + ": " + t.id() + "'s input " + local + " documented")
                            .isNotNull();
                    assertThat(receives.get(local)[1]).isEqualTo("local");
                }
                for (String loop : t.loops()) {
                    assertThat(receives.get(loop))
                            .as(topic + ": " + t.id() + "'s loop variable " + loop + " documented")
                            .isNotNull();
                }
            }
        }
    }

    /**
     * Each Receives table is the topic's input schema (docs/contract/inputs): the same variables, each with the
     * schema's Camunda type and scope; TopicInputsTest holds the schemas to what real tasks carry.
     */
    @Test
    void eachReceivesTableIsTheTopicsInputSchema() throws IOException {
        for (var e : docs.entrySet()) {
            String topic = e.getKey();
            JsonNode input = JSON.readTree(Path.of("docs", "contract", "inputs", topic + ".schema.json")
                    .toFile());
            assertThat(input.path("$id").asText()).isEqualTo("urn:controlplane:topic:" + topic + ":input");
            Set<String> properties = new TreeSet<>();
            input.path("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(new TreeSet<>(e.getValue().receives().keySet()))
                    .as(topic + ": Receives table vs input schema")
                    .isEqualTo(properties);
            for (var v : e.getValue().receives().entrySet()) {
                JsonNode property = input.path("properties").path(v.getKey());
                assertThat(v.getValue()[0])
                        .as(topic + "." + v.getKey() + " Camunda type")
                        .isEqualTo(property.path("x-camundaType").asText());
                assertThat(v.getValue()[1])
                        .as(topic + "." + v.getKey() + " scope")
                        .isEqualTo(property.path("x-scope").asText());
            }
            for (JsonNode required : input.path("required")) {
                assertThat(properties).as(topic + ": required input").contains(required.asText());
            }
        }
    }

    /** The rollback gets the undo plan it is the alternative to, not only a play id (issue #15). */
    @Test
    void theAlternateRollbackReceivesThePlayWithItsUndoPlan() {
        assertThat(tasks.get(Runbooks.Topics.ALTERNATE_ROLLBACK))
                .allMatch(t -> t.locals().contains(MissionJourney.Vars.PLAY));
        assertThat(docs.get(Runbooks.Topics.ALTERNATE_ROLLBACK).receives().get(MissionJourney.Vars.PLAY)[2])
                .contains("undoPlan");
    }

    /** docs/api.md enumerates every mission status the service stores (ROLLED_BACK and ABORTED occur). */
    @Test
    void theApiReferenceListsEveryMissionStatus() throws IOException {
        String api = Files.readString(Path.of("docs", "api.md"));
        Matcher status = Pattern.compile("`status` \\(([^)]*)\\)").matcher(api);
        assertThat(status.find())
                .as("docs/api.md: `status` (…) in GET /api/missions/{id}")
                .isTrue();
        for (MissionStore.Status s : MissionStore.Status.values()) {
            assertThat(status.group(1)).contains("`" + s.name() + "`");
        }
    }

    private static JsonNode schema(String topic) throws IOException {
        return JSON.readTree(
                Path.of("docs", "contract", "topics", topic + ".schema.json").toFile());
    }

    @SuppressWarnings("unchecked")
    private static <T extends ModelElementInstance> T enclosing(ModelElementInstance e, Class<T> type) {
        for (ModelElementInstance p = e; p != null; p = p.getParentElement()) {
            if (type.isInstance(p)) {
                return (T) p;
            }
        }
        return null;
    }

    /** The topic sections of docs/agents.md: "### `topic`", then the Receives, Completes with and BPMN errors parts. */
    static Map<String, Documented> parse(List<String> lines) {
        Map<String, Documented> out = new LinkedHashMap<>();
        Documented current = null;
        String part = null;
        for (String line : lines) {
            Matcher heading = TOPIC_HEADING.matcher(line);
            if (heading.matches()) {
                current = new Documented(new LinkedHashMap<>(), new LinkedHashMap<>(), new TreeSet<>());
                out.put(heading.group(1), current);
                part = null;
                continue;
            }
            if (line.startsWith("#")) {
                current = null;
                continue;
            }
            if (current == null) {
                continue;
            }
            if (line.startsWith("Receives:")) {
                part = "receives";
            } else if (line.startsWith("Completes with:")) {
                part = line.contains("no variables") ? null : "completes";
            } else if (line.startsWith("BPMN errors:")) {
                part = line.contains("none") ? null : "errors";
            } else if (line.startsWith("| `") && part != null) {
                String[] cells = CELL.split(line.substring(1, line.lastIndexOf('|')), -1);
                String name = cells[0].strip().replaceAll("^`|`$", "");
                String[] rest = new String[cells.length - 1];
                for (int i = 1; i < cells.length; i++) {
                    rest[i - 1] = cells[i].strip();
                }
                switch (part) {
                    case "receives" -> current.receives().put(name, rest);
                    case "completes" -> current.completes().put(name, rest);
                    default -> current.errors().add(name);
                }
            }
        }
        return out;
    }
}
