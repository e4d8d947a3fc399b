package io.controlplane.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.SerializableValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * What every step of every model accepts from whoever completes it, as one JSON Schema per step:
 * <ul>
 *   <li>a user task: exactly the keyed fields of its deployed form ({@code camunda:formRef}), with their types,
 *       options and lengths;</li>
 *   <li>a start event with a form: the start form's fields;</li>
 *   <li>an external-task topic: the result variables published in {@code docs/contract/topics/*.schema.json}
 *       (served at {@code GET /api/contract}), and the BPMN error codes the topic may raise; beside it, what the
 *       topic's tasks carry ({@code docs/contract/inputs/*.schema.json}, documentation the tests hold to the models
 *       and to real tasks, not a rule the guard enforces).</li>
 * </ul>
 * {@link EngineGuard} refuses a completion through any door (engine REST, Tasklist, the Java API) that sends a
 * variable the step does not declare, or a value outside its type or options, with {@link StepInputException}:
 * 400 naming the variable, nothing changed. {@code ModelConventionsTest} keeps contract, forms and BPMN conditions
 * in step. docs/security.md says how to add a step.
 */
@Component
public class StepContract {

    /** One step's schema: an object schema whose properties are the variables it accepts. */
    public record Step(String kind, String process, String element, String source, JsonNode schema) {
        public Collection<String> variables() {
            List<String> names = new ArrayList<>();
            schema.path("properties").fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    /** "process/element" → the user task's step */
    private final Map<String, Step> userTasks = new TreeMap<>();
    /** process key → its start form's step */
    private final Map<String, Step> startForms = new TreeMap<>();
    /** topic → its step */
    private final Map<String, Step> topics = new TreeMap<>();
    /** topic → the JSON Schema of the variables its tasks carry (docs/contract/inputs) */
    private final Map<String, JsonNode> inputs = new TreeMap<>();

    public StepContract(ObjectMapper mapper) throws IOException {
        this.mapper = mapper;
        var resolver = new PathMatchingResourcePatternResolver(StepContract.class.getClassLoader());
        Map<String, JsonNode> forms = new LinkedHashMap<>();
        for (Resource r : resolver.getResources("classpath*:forms/*.form")) {
            try (InputStream in = r.getInputStream()) {
                JsonNode form = mapper.readTree(in);
                forms.put(form.path("id").asText(), formSchema(form, r.getFilename()));
            }
        }
        for (String pattern : List.of("classpath*:bpmn/*.bpmn", "classpath*:bpmn/legacy/*.bpmn")) {
            for (Resource r : resolver.getResources(pattern)) {
                try (InputStream in = r.getInputStream()) {
                    BpmnModelInstance model = Bpmn.readModelFromStream(in);
                    for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                        String process = processOf(task);
                        String formRef = task.getAttributeValueNs(CAMUNDA_NS, "formRef");
                        userTasks.put(
                                process + "/" + task.getId(),
                                new Step(
                                        "user-task",
                                        process,
                                        task.getId(),
                                        "forms/" + formRef,
                                        formRef == null
                                                ? closedSchema(task.getId())
                                                : required(forms, formRef, task.getId())));
                    }
                    for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
                        String formRef = start.getAttributeValueNs(CAMUNDA_NS, "formRef");
                        if (formRef != null && start.getParentElement() instanceof Process p) {
                            startForms.put(
                                    p.getId(),
                                    new Step(
                                            "start-form",
                                            p.getId(),
                                            start.getId(),
                                            "forms/" + formRef,
                                            required(forms, formRef, start.getId())));
                        }
                    }
                }
            }
        }
        for (Resource r : resolver.getResources("classpath*:contract/topics/*.schema.json")) {
            try (InputStream in = r.getInputStream()) {
                JsonNode schema = mapper.readTree(in);
                String topic = r.getFilename().replace(".schema.json", "");
                SchemaSubset.check(schema, r.getFilename());
                topics.put(topic, new Step("topic", null, topic, "docs/contract/topics/" + r.getFilename(), schema));
            }
        }
        for (Resource r : resolver.getResources("classpath*:contract/inputs/*.schema.json")) {
            try (InputStream in = r.getInputStream()) {
                JsonNode schema = mapper.readTree(in);
                SchemaSubset.check(schema, r.getFilename());
                inputs.put(r.getFilename().replace(".schema.json", ""), schema);
            }
        }
        // every topic publishes both halves: what its task carries and what its completion sends
        if (!inputs.keySet().equals(topics.keySet())) {
            throw new IllegalStateException(
                    "Topics with a result schema " + topics.keySet() + " and with an input schema " + inputs.keySet()
                            + " differ (docs/contract/topics, docs/contract/inputs)");
        }
        if (userTasks.isEmpty() || topics.isEmpty()) {
            throw new IllegalStateException("The step contract found no models or no topic schemas on the classpath");
        }
    }

    static final String CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn";

    private static String processOf(ModelElementInstance element) {
        for (var e = element; e != null; e = e.getParentElement()) {
            if (e instanceof Process p) {
                return p.getId();
            }
        }
        throw new IllegalStateException("Element outside a process: " + element);
    }

    private static JsonNode required(Map<String, JsonNode> forms, String formRef, String element) {
        JsonNode schema = forms.get(formRef);
        if (schema == null) {
            throw new IllegalStateException(element + " refers to form " + formRef + ", which is not under forms/");
        }
        return schema;
    }

    private static ObjectNode closedSchema(String title) {
        ObjectNode schema = NODES.objectNode();
        schema.put("title", title);
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.putObject("properties");
        return schema;
    }

    /** A form's keyed fields as an object schema: the only variables its task or start event accepts. */
    static ObjectNode formSchema(JsonNode form, String file) {
        ObjectNode schema = closedSchema(form.path("id").asText());
        ObjectNode properties = (ObjectNode) schema.get("properties");
        fields(form, properties, file);
        return schema;
    }

    private static void fields(JsonNode container, ObjectNode properties, String file) {
        for (JsonNode c : container.path("components")) {
            String key = c.path("key").asText(null);
            if (key != null && !key.isEmpty()) {
                ObjectNode p = properties.putObject(key);
                JsonNode validate = c.path("validate");
                switch (c.path("type").asText()) {
                    case "textfield", "textarea" -> {
                        p.putArray("type").add("string").add("null");
                        if (validate.has("maxLength")) {
                            p.put("maxLength", validate.get("maxLength").asInt());
                        }
                    }
                    case "checkbox" -> p.putArray("type").add("boolean").add("null");
                    case "number" -> {
                        p.putArray("type").add("number").add("null");
                        if (validate.has("min")) {
                            p.put("minimum", validate.get("min").asDouble());
                        }
                        if (validate.has("max")) {
                            p.put("maximum", validate.get("max").asDouble());
                        }
                    }
                    case "radio", "select" -> {
                        ArrayNode options = p.putArray("enum");
                        c.path("values")
                                .forEach(v -> options.add(v.path("value").asText()));
                        options.addNull();
                    }
                    case "checklist", "taglist" -> {
                        p.put("type", "array");
                        ArrayNode options = p.putObject("items").putArray("enum");
                        c.path("values")
                                .forEach(v -> options.add(v.path("value").asText()));
                    }
                    default ->
                        throw new IllegalStateException(file + ": field " + key + " has type "
                                + c.path("type").asText() + ", which the step contract does not know");
                }
            }
            fields(c, properties, file);
        }
    }

    public Optional<Step> userTask(String processKey, String taskKey) {
        return Optional.ofNullable(userTasks.get(processKey + "/" + taskKey));
    }

    public Optional<Step> startForm(String processKey) {
        return Optional.ofNullable(startForms.get(processKey));
    }

    public Optional<Step> topic(String topic) {
        return Optional.ofNullable(topics.get(topic));
    }

    /** What a task of {@code topic} carries, as JSON Schema (docs/contract/inputs/{topic}.schema.json). */
    public Optional<JsonNode> topicInput(String topic) {
        return Optional.ofNullable(inputs.get(topic));
    }

    public Collection<Step> userTasks() {
        return userTasks.values();
    }

    public Collection<Step> startForms() {
        return startForms.values();
    }

    public Map<String, Step> topics() {
        return topics;
    }

    /** BPMN error codes an agent may raise on {@code topic}. */
    public List<String> bpmnErrors(String topic) {
        List<String> codes = new ArrayList<>();
        topic(topic).ifPresent(s -> s.schema().path("x-bpmnErrors").forEach(c -> codes.add(c.asText())));
        return codes;
    }

    /**
     * Refuses {@code variables} that {@code step} does not declare, or whose value breaks the declared type, options
     * or length; with {@code requireAll} also a declared required variable that is missing.
     */
    public void check(Step step, Map<String, ?> variables, boolean requireAll) {
        JsonNode properties = step.schema().path("properties");
        String name = describe(step);
        if (variables != null) {
            // in name order, so the refusal names the same variable whatever order the door kept; typed, so a
            // serialized value is judged by its type and never deserialized here
            for (String key : new TreeSet<>(variables.keySet())) {
                JsonNode property = properties.get(key);
                if (property == null) {
                    List<String> accepted = new ArrayList<>(step.variables());
                    throw new StepInputException(
                            key,
                            name + " does not accept the variable '"
                                    + abbreviate(key) + "'; it accepts "
                                    + (accepted.isEmpty() ? "no variables" : String.join(", ", accepted)) + " ("
                                    + step.source() + ").");
                }
                Object raw = variables instanceof VariableMap typed ? typed.getValueTyped(key) : variables.get(key);
                JsonNode value = toJson(key, raw, property, name);
                SchemaSubset.violation(property, value, key).ifPresent(v -> {
                    throw new StepInputException(key, name + ": " + v + ".");
                });
            }
        }
        if (requireAll) {
            for (JsonNode required : step.schema().path("required")) {
                if (variables == null || variables.get(required.asText()) == null) {
                    throw new StepInputException(
                            required.asText(),
                            name + " requires the variable '" + required.asText() + "' (" + step.source() + ").");
                }
            }
        }
    }

    static String describe(Step step) {
        return switch (step.kind()) {
            case "topic" -> "Topic " + step.element();
            case "start-form" -> "The start of " + step.process();
            default -> "Task " + step.element() + " of " + step.process();
        };
    }

    /** A Camunda value as JSON: strings holding JSON count as JSON where the contract wants an array or object. */
    private JsonNode toJson(String variable, Object raw, JsonNode property, String step) {
        Object value = raw;
        if (raw instanceof TypedValue typed) {
            if (typed.isTransient()) {
                throw new StepInputException(
                        variable,
                        step + ": " + variable + " is sent as a transient value; a "
                                + "decision and a report are kept, so send it as an ordinary one.");
            }
            ValueType type = typed.getType();
            String typeName = type == null ? null : type.getName();
            if (typed instanceof SerializableValue serializable && !"json".equals(typeName)) {
                throw new StepInputException(
                        variable,
                        step + ": " + variable + " has Camunda type " + typeName
                                + ", which the contract does not accept (send String, Boolean, a number or Json).");
            }
            if ("json".equals(typeName)) {
                value = ((SerializableValue) typed).isDeserialized()
                        ? String.valueOf(typed.getValue())
                        : ((SerializableValue) typed).getValueSerialized();
                return parse(variable, (String) value, step);
            }
            value = typed.getValue();
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            boolean structured = wants(property, "array") || wants(property, "object");
            return structured && !wants(property, "string") ? parse(variable, s, step) : NODES.textNode(s);
        }
        if (value instanceof Boolean
                || value instanceof Number
                || value instanceof Map<?, ?>
                || value instanceof List<?>) {
            return mapper.valueToTree(value);
        }
        if (value.getClass().getName().startsWith("org.camunda.spin")) {
            return parse(variable, value.toString(), step);
        }
        throw new StepInputException(
                variable,
                step + ": " + variable + " has a value of type "
                        + value.getClass().getSimpleName() + ", which the contract does not accept.");
    }

    private static boolean wants(JsonNode property, String type) {
        JsonNode t = property.get("type");
        if (t == null) {
            return false;
        }
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (x.asText().equals(type)) {
                    return true;
                }
            }
            return false;
        }
        return t.asText().equals(type);
    }

    private JsonNode parse(String variable, String text, String step) {
        try {
            return mapper.readTree(text == null ? "null" : text);
        } catch (IOException e) {
            throw new StepInputException(variable, step + ": " + variable + " is not valid JSON.");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
