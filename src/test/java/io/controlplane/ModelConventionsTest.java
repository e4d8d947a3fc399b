package io.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.governance.Checkpoint;
import io.controlplane.incident.Runbooks;
import io.controlplane.journey.FormText;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.Stage;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.telemetry.WeeklyAudit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The conventions that keep the models, the forms and the Java in step: the build fails when one is broken.
 * Reads the files designers edit ({@code bpmn/}, {@code forms/}), not copies.
 */
class ModelConventionsTest {
    private static final Path BPMN = Path.of("bpmn");
    /** the legacy eight-stage journey, deployed only so in-flight legacy instances load and migrate */
    private static final Path LEGACY_BPMN = BPMN.resolve("legacy");

    private static final Path FORMS = Path.of("forms");
    /** the Camunda Modeler's generated ids, e.g. Activity_0x1y2z3, Flow_1abcdef or StartEvent_1 */
    private static final Pattern MODELER_DEFAULT_ID = Pattern.compile(
            "^(Activity|Task|Gateway|Event|StartEvent|EndEvent|Flow|SequenceFlow|Process|SubProcess|Definitions|"
                    + "UserTask|ServiceTask|ExclusiveGateway|ParallelGateway|BoundaryEvent|DataObject)_([0-9][0-9a-z]{6}|1)$");

    private final ObjectMapper json = new ObjectMapper();

    private static List<Path> files(Path dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
        }
    }

    private static List<BpmnModelInstance> models() throws IOException {
        List<BpmnModelInstance> out = new ArrayList<>();
        for (Path p : files(BPMN, ".bpmn")) {
            out.add(Bpmn.readModelFromFile(p.toFile()));
        }
        for (Path p : files(LEGACY_BPMN, ".bpmn")) {
            out.add(Bpmn.readModelFromFile(p.toFile()));
        }
        return out;
    }

    private Map<String, JsonNode> forms() throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (Path p : files(FORMS, ".form")) {
            JsonNode form = json.readTree(p.toFile());
            out.put(form.path("id").asText(), form);
        }
        return out;
    }

    /**
     * Stage codes and telemetry event names written into the models are the Java's own: each five-stage sub-process
     * enters and completes one {@link io.controlplane.mission.Stage} (every stage exactly once), each legacy stage
     * listener names a legacy stage the mapping knows, and an event a model emits is in the telemetry catalog, at
     * the catalog's stage. A typo in the Modeler fails here, not at run time in one mission.
     */
    @Test
    void stageCodesAndEventNamesInTheModelsAreTheJavasOwn() throws IOException {
        Pattern stageListener = Pattern.compile("missionStages\\.(entered|completed)\\(execution, '([^']*)'\\)");
        Pattern legacyListener = Pattern.compile("legacyStages\\.entered\\(execution, '([^']*)'\\)");
        Pattern emitted = Pattern.compile("telemetryEvents\\.emit\\('([^']*)', [^,]+, '([^']*)'");
        Map<String, List<Stage>> listened = new HashMap<>();
        List<String> legacyNames = new ArrayList<>();
        int events = 0;
        for (Path p : Stream.concat(files(BPMN, ".bpmn").stream(), files(LEGACY_BPMN, ".bpmn").stream())
                .toList()) {
            String xml = Files.readString(p).replace("&amp;", "&");
            var m = stageListener.matcher(xml);
            while (m.find()) {
                String code = m.group(2);
                assertThat(Stage.fromCode(code))
                        .as(p + " names stage code " + code)
                        .isPresent();
                assertThat(code)
                        .as(p + ": stage codes are the enum's names")
                        .isEqualTo(Stage.fromCode(code).orElseThrow().name());
                listened.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Stage.valueOf(code));
            }
            var legacy = legacyListener.matcher(xml);
            while (legacy.find()) {
                assertThat(Stage.fromLegacy(legacy.group(1)))
                        .as(p + " names legacy stage " + legacy.group(1))
                        .isPresent();
                legacyNames.add(legacy.group(1));
            }
            var e = emitted.matcher(xml);
            while (e.find()) {
                var event = TelemetryCatalog.ofName(e.group(1));
                assertThat(event)
                        .as(p + " emits " + e.group(1) + ", which is not in the telemetry catalog")
                        .isPresent();
                assertThat(event.orElseThrow().stage().map(Enum::name))
                        .as(p + " emits " + e.group(1) + " at " + e.group(2))
                        .contains(e.group(2));
                events++;
            }
        }
        for (String kind : List.of("entered", "completed")) {
            assertThat(listened.get(kind))
                    .as("missionStages." + kind + " listeners: every stage once")
                    .containsExactlyInAnyOrder(Stage.values());
        }
        assertThat(legacyNames).as("the legacy model's eight stages").hasSize(8).doesNotHaveDuplicates();
        assertThat(events).as("events emitted by the models").isPositive();
    }

    @Test
    void delegatesAreSpringBeansCalledByExpressionNeverClasses() throws IOException {
        for (BpmnModelInstance model : models()) {
            for (BaseElement e : all(model)) {
                assertThat(e.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "class"))
                        .as("camunda:class on %s", id(e))
                        .isNull();
            }
            for (CamundaExecutionListener l : model.getModelElementsByType(CamundaExecutionListener.class)) {
                assertThat(l.getCamundaClass()).as("execution listener class").isNull();
            }
            for (CamundaTaskListener l : model.getModelElementsByType(CamundaTaskListener.class)) {
                assertThat(l.getCamundaClass()).as("task listener class").isNull();
            }
        }
    }

    @Test
    void everyUserTaskHasACandidateGroupAndADeployedForm() throws IOException {
        Map<String, JsonNode> forms = forms();
        for (BpmnModelInstance model : models()) {
            for (UserTask t : model.getModelElementsByType(UserTask.class)) {
                assertThat(t.getCamundaCandidateGroups())
                        .as("candidate groups of %s", t.getId())
                        .isNotBlank();
                assertThat(t.getCamundaFormRef()).as("form of %s", t.getId()).isNotBlank();
                assertThat(t.getCamundaFormRefBinding())
                        .as("form binding of %s", t.getId())
                        .isEqualTo("deployment");
                assertThat(forms)
                        .as("form %s of %s exists in forms/", t.getCamundaFormRef(), t.getId())
                        .containsKey(t.getCamundaFormRef());
            }
            for (StartEvent s : model.getModelElementsByType(StartEvent.class)) {
                if (s.getCamundaFormRef() != null) {
                    assertThat(forms).containsKey(s.getCamundaFormRef());
                }
            }
        }
    }

    @Test
    void everyFormFieldIsAKnownVariable() throws IOException {
        Set<String> known = new TreeSet<>(MissionJourney.Vars.all());
        known.addAll(Runbooks.Vars.all());
        known.addAll(WeeklyAudit.Vars.all());
        // what a form shows as text is the escaped copy of a known variable (journey/FormText)
        known.addAll(known.stream().map(FormText::displayName).toList());
        for (Map.Entry<String, JsonNode> form : forms().entrySet()) {
            List<String> keys = new ArrayList<>();
            form.getValue().path("components").forEach(c -> collectKeys(c, keys));
            assertThat(keys)
                    .as("field keys of %s", form.getKey())
                    .isNotEmpty()
                    .allSatisfy(k -> assertThat(known)
                            .as("%s in %s is a variable of MissionJourney.Vars or Runbooks.Vars", k, form.getKey())
                            .contains(k));
            List<String> templated = new ArrayList<>();
            var m = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}")
                    .matcher(form.getValue().toString());
            while (m.find()) {
                templated.add(m.group(1));
            }
            assertThat(templated)
                    .as("variables shown by %s", form.getKey())
                    .allSatisfy(v -> assertThat(known).contains(v));
        }
    }

    private static void collectKeys(JsonNode component, List<String> keys) {
        if (component.hasNonNull("key")) {
            keys.add(component.get("key").asText());
        }
        component.path("components").forEach(c -> collectKeys(c, keys));
    }

    /**
     * The step contract and the gateways agree: a value a condition compares a variable with ({@code var == 'x'},
     * {@code var != 'x'}) is an option of every form field that sets the variable, so no gateway waits for a value
     * Tasklist cannot send. Each checkpoint's decision enum is held to its models below.
     */
    @Test
    void everyValueAGatewayTestsIsAnOptionOfTheFormThatSetsIt() throws IOException {
        Map<String, Set<String>> options = new HashMap<>();
        for (JsonNode form : forms().values()) {
            collectOptions(form, options);
        }
        Pattern comparison = Pattern.compile("(\\w+)\\s*[!=]=\\s*'([^']*)'");
        int compared = 0;
        for (BpmnModelInstance model : models()) {
            for (var condition : model.getModelElementsByType(ConditionExpression.class)) {
                var m = comparison.matcher(condition.getTextContent());
                while (m.find()) {
                    if (options.containsKey(m.group(1))) {
                        assertThat(options.get(m.group(1)))
                                .as(condition.getTextContent() + " tests " + m.group(1)
                                        + " for a value its form does not offer")
                                .contains(m.group(2));
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).as("conditions on form decisions").isGreaterThan(15);
    }

    /**
     * The checkpoints whose decision is recorded (on the approval or the incident) but read by no gateway: no
     * condition may compare their decision variable, and their values need not route.
     */
    private static final Set<Checkpoint> RECORDED_NOT_ROUTED =
            EnumSet.of(Checkpoint.KPI_MISS_ANALYSIS, Checkpoint.TELEMETRY_GAP);

    /** a condition comparing a variable with a quoted value: {@code intentDecision == 'approve'} or {@code != } */
    private static final Pattern COMPARISON = Pattern.compile("(\\w+)\\s*([!=]=)\\s*'([^']*)'");
    /** a form field's FEEL condition comparing a variable with a value: {@code intentDecision != "request_changes"} */
    private static final Pattern FEEL_COMPARISON = Pattern.compile("(\\w+)\\s*(!=|=)\\s*\"([^\"]*)\"");

    /**
     * Each checkpoint's decision enum ({@code governance/Decision}) is what its models spell: the BPMN conditions
     * compare its decision variable only with the enum's values and route every value (a value is routed when a
     * condition names it with {@code ==}, or tests another value with {@code !=}, whose "otherwise" it takes), and
     * the form of every user task of the checkpoint offers exactly the enum's values, in its order, for the decision
     * field (a confirmation: a checkbox), comparing the field in its own conditions only with those values.
     */
    @Test
    void everyCheckpointsDecisionEnumIsWhatItsConditionsAndFormsSpell() throws IOException {
        assertThat(decisionProblems(modelsByFile(), forms())).isEmpty();
    }

    /** The check above can fail: a condition's typo, a value no gateway routes, a form offering another value. */
    @Test
    void theDecisionCheckNamesTheModelTheElementAndTheValueThatDisagree() throws IOException {
        Map<String, BpmnModelInstance> models = modelsByFile();
        String journey = BPMN.resolve("mission-journey.bpmn").toString();
        String xml = Files.readString(Path.of(journey))
                .replace("${intentDecision == 'request_changes'}", "${intentDecision == 'request_change'}");
        models.put(journey, Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        Map<String, JsonNode> forms = forms();
        forms.put(
                "form_packetReviewOperations",
                json.readTree(Files.readString(FORMS.resolve("packetReviewOperations.form"))
                        .replace("\"value\": \"reject\"", "\"value\": \"rejected\"")));
        assertThat(decisionProblems(models, forms))
                .containsExactlyInAnyOrder(
                        journey + ": flow_intentChangesRequested compares intentDecision with 'request_change',"
                                + " which is not a value of Decision.IntentConfirmation [approve, request_changes]",
                        "INTENT_CONFIRMATION: Decision.IntentConfirmation's 'request_changes' is routed by no"
                                + " condition on intentDecision",
                        journey + ": userTask_packetReviewOperations (PACKET_REVIEW_OPERATIONS) has form"
                                + " form_packetReviewOperations, whose ocPacketDecision offers [approve, rejected];"
                                + " Decision.PacketReviewOperations is [approve, reject]");
    }

    /**
     * What disagrees between the checkpoints' decision enums and the models, each problem naming the model, the
     * element and the value.
     *
     * @param models the BPMN models by file
     * @param forms  the forms by id
     */
    static List<String> decisionProblems(Map<String, BpmnModelInstance> models, Map<String, JsonNode> forms) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> routed = new HashMap<>();
        for (Map.Entry<String, BpmnModelInstance> model : models.entrySet()) {
            for (ConditionExpression condition : model.getValue().getModelElementsByType(ConditionExpression.class)) {
                Matcher m = COMPARISON.matcher(condition.getTextContent());
                while (m.find()) {
                    Checkpoint c = deciding(m.group(1)).orElse(null);
                    if (c == null) {
                        continue; // a condition on a value no person decides (coverage, safeguard outcome)
                    }
                    String flow = id(condition.getParentElement());
                    if (RECORDED_NOT_ROUTED.contains(c)) {
                        problems.add(model.getKey() + ": " + flow + " routes on " + m.group(1) + ", which " + c
                                + " only records (ModelConventionsTest.RECORDED_NOT_ROUTED)");
                    } else if (c.decision(m.group(3)).isEmpty()) {
                        problems.add(model.getKey() + ": " + flow + " compares " + m.group(1) + " with '" + m.group(3)
                                + "', which is not a value of " + enumName(c) + " " + c.decisions());
                    }
                    Set<String> to = routed.computeIfAbsent(m.group(1), k -> new HashSet<>());
                    if (m.group(2).equals("==")) {
                        to.add(m.group(3));
                    } else {
                        c.decisions().stream()
                                .filter(v -> !v.equals(m.group(3)))
                                .forEach(to::add);
                    }
                }
            }
        }
        for (Checkpoint c : Checkpoint.values()) {
            if (c.kind() == Checkpoint.Kind.CHOICE && !RECORDED_NOT_ROUTED.contains(c)) {
                for (String value : c.decisions()) {
                    if (!routed.getOrDefault(c.decisionVariable(), Set.of()).contains(value)) {
                        problems.add(c + ": " + enumName(c) + "'s '" + value + "' is routed by no condition on "
                                + c.decisionVariable());
                    }
                }
            }
        }
        for (Map.Entry<String, BpmnModelInstance> model : models.entrySet()) {
            for (UserTask t : model.getValue().getModelElementsByType(UserTask.class)) {
                // a legacy task becomes the five-stage checkpoint it migrates to, with the same form
                Checkpoint c = Checkpoint.ofTask(
                                LegacyJourney.migrationTargets().getOrDefault(t.getId(), t.getId()))
                        .orElse(null);
                JsonNode form = forms.get(t.getCamundaFormRef());
                if (c == null || form == null || c.kind() == Checkpoint.Kind.SUBMIT) {
                    continue; // every user task has a checkpoint and a form: tested above
                }
                problems.addAll(formProblems(
                        model.getKey() + ": " + t.getId() + " (" + c + ") has form " + t.getCamundaFormRef(), c, form));
            }
        }
        return problems;
    }

    /** How {@code form}'s field for the decision of {@code c} disagrees with the checkpoint's enum. */
    private static List<String> formProblems(String where, Checkpoint c, JsonNode form) {
        List<JsonNode> fields = new ArrayList<>();
        collectFields(form, c.decisionVariable(), fields);
        if (fields.size() != 1) {
            return List.of(
                    where + ", which has " + fields.size() + " fields for " + c.decisionVariable() + "; one is needed");
        }
        JsonNode field = fields.get(0);
        String type = field.path("type").asText();
        List<String> problems = new ArrayList<>();
        if (c.kind() == Checkpoint.Kind.CONFIRM) {
            if (!type.equals("checkbox")) {
                problems.add(where + ", whose " + c.decisionVariable() + " is a " + type + ", not a checkbox");
            }
            return problems;
        }
        List<String> offered = new ArrayList<>();
        field.path("values").forEach(v -> offered.add(v.path("value").asText()));
        boolean choice = type.equals("radio") || type.equals("select");
        if (!choice || !offered.equals(c.decisions())) {
            problems.add(where + ", whose " + c.decisionVariable() + " offers " + offered
                    + (choice ? "" : " as a " + type + ", not a radio or select") + "; " + enumName(c) + " is "
                    + c.decisions());
        }
        List<JsonNode> all = new ArrayList<>();
        collectFields(form, null, all);
        for (JsonNode shown : all) {
            Matcher m = FEEL_COMPARISON.matcher(
                    shown.path("conditional").path("hide").asText());
            while (m.find()) {
                if (m.group(1).equals(c.decisionVariable())
                        && c.decision(m.group(3)).isEmpty()) {
                    problems.add(where + ", whose " + shown.path("id").asText() + " is shown by comparing "
                            + c.decisionVariable() + " with '" + m.group(3) + "', which is not a value of "
                            + enumName(c) + " " + c.decisions());
                }
            }
        }
        return problems;
    }

    /** The checkpoint whose choice {@code variable} carries, if any. */
    private static Optional<Checkpoint> deciding(String variable) {
        return Arrays.stream(Checkpoint.values())
                .filter(c -> c.kind() == Checkpoint.Kind.CHOICE && variable.equals(c.decisionVariable()))
                .findFirst();
    }

    private static String enumName(Checkpoint c) {
        return "Decision."
                + c.decision(c.decisions().get(0)).orElseThrow().getClass().getSimpleName();
    }

    /** The components of {@code component} (at any depth) whose key is {@code key}; all of them for {@code null}. */
    private static void collectFields(JsonNode component, String key, List<JsonNode> fields) {
        for (JsonNode c : component.path("components")) {
            if (key == null || c.path("key").asText().equals(key)) {
                fields.add(c);
            }
            collectFields(c, key, fields);
        }
    }

    private static Map<String, BpmnModelInstance> modelsByFile() throws IOException {
        Map<String, BpmnModelInstance> out = new TreeMap<>();
        for (Path p : Stream.concat(files(BPMN, ".bpmn").stream(), files(LEGACY_BPMN, ".bpmn").stream())
                .toList()) {
            out.put(p.toString(), Bpmn.readModelFromFile(p.toFile()));
        }
        return out;
    }

    private static void collectOptions(JsonNode component, Map<String, Set<String>> options) {
        for (JsonNode c : component.path("components")) {
            if (c.has("key")
                    && (c.path("type").asText().equals("radio")
                            || c.path("type").asText().equals("select"))) {
                var set = options.computeIfAbsent(c.get("key").asText(), k -> new TreeSet<>());
                c.path("values").forEach(v -> set.add(v.path("value").asText()));
            }
            collectOptions(c, options);
        }
    }

    @Test
    void everyProcessKeepsHistoryForALimitedTime() throws IOException {
        for (BpmnModelInstance model : models()) {
            for (Process p : model.getModelElementsByType(Process.class)) {
                assertThat(p.getCamundaHistoryTimeToLiveString())
                        .as("historyTimeToLive of %s", p.getId())
                        .isNotBlank();
            }
        }
    }

    @Test
    void everyElementIsDrawnAndNamedReadably() throws IOException {
        for (BpmnModelInstance model : models()) {
            Set<String> drawn = new HashSet<>();
            model.getModelElementsByType(BpmnShape.class)
                    .forEach(s -> drawn.add(s.getBpmnElement().getId()));
            model.getModelElementsByType(BpmnEdge.class)
                    .forEach(e -> drawn.add(e.getBpmnElement().getId()));
            for (FlowNode n : model.getModelElementsByType(FlowNode.class)) {
                assertThat(drawn).as("diagram shape of %s", n.getId()).contains(n.getId());
            }
            for (SequenceFlow f : model.getModelElementsByType(SequenceFlow.class)) {
                assertThat(drawn).as("diagram edge of %s", f.getId()).contains(f.getId());
            }
            for (BaseElement e : all(model)) {
                if (e.getId() != null) {
                    assertThat(e.getId()).as("id").doesNotMatch(MODELER_DEFAULT_ID);
                }
            }
        }
    }

    @Test
    void javaConstantsNameRealElementsAndEveryUserTaskIsACheckpoint() throws Exception {
        BpmnModelInstance journey =
                Bpmn.readModelFromFile(BPMN.resolve("mission-journey.bpmn").toFile());
        assertThat((Object) journey.getModelElementById(MissionJourney.PROCESS_KEY))
                .isNotNull();
        for (Field f : MissionJourney.Elements.class.getFields()) {
            String id = (String) f.get(null);
            assertThat((Object) journey.getModelElementById(id))
                    .as("element %s (%s)", id, f.getName())
                    .isNotNull();
        }
        for (BpmnModelInstance model : models()) {
            for (UserTask t : model.getModelElementsByType(UserTask.class)) {
                // a legacy task becomes the five-stage checkpoint it migrates to, keeping its candidate groups
                String checkpointTask = LegacyJourney.migrationTargets().getOrDefault(t.getId(), t.getId());
                Checkpoint c = Checkpoint.ofTask(checkpointTask)
                        .orElseThrow(() -> new AssertionError("no Checkpoint for " + t.getId()));
                assertThat(t.getCamundaCandidateGroupsList())
                        .as("role of %s", t.getId())
                        .contains(c.role());
            }
        }
        List<String> runbookIds = new ArrayList<>();
        for (BpmnModelInstance model : models()) {
            model.getModelElementsByType(BaseElement.class).forEach(e -> runbookIds.add(e.getId()));
        }
        for (Field f : Runbooks.Elements.class.getFields()) {
            assertThat(runbookIds).as("runbook element %s", f.getName()).contains((String) f.get(null));
        }
    }

    @Test
    void theLegacyModelHasTheEightStagesAndEveryWaitStateMapsOntoAFiveStageStepOfTheSameKind() throws Exception {
        BpmnModelInstance legacy = Bpmn.readModelFromFile(
                LEGACY_BPMN.resolve("mission-journey-legacy.bpmn").toFile());
        BpmnModelInstance journey =
                Bpmn.readModelFromFile(BPMN.resolve("mission-journey.bpmn").toFile());
        assertThat((Object) legacy.getModelElementById(LegacyJourney.PROCESS_KEY))
                .isNotNull();
        for (Field f : LegacyJourney.Elements.class.getFields()) {
            assertThat((Object) legacy.getModelElementById((String) f.get(null)))
                    .as("legacy element %s", f.getName())
                    .isNotNull();
        }
        for (LegacyJourney.LegacyStage stage : LegacyJourney.LegacyStage.values()) {
            BaseElement sub = legacy.getModelElementById(stage.subProcessId());
            assertThat(sub.getAttributeValue("name"))
                    .as("legacy stage name (docs/domain.md)")
                    .isEqualTo(stage.legacyName());
            assertThat(Stage.fromLegacy(stage.legacyName())).contains(stage.stage());
            BaseElement wait = legacy.getModelElementById(stage.waitStateId());
            BaseElement target = journey.getModelElementById(stage.targetActivityId());
            assertThat(wait.getParentElement())
                    .as("%s lies in its stage", stage.waitStateId())
                    .isEqualTo(sub);
            assertThat(target).as("target of %s", stage.waitStateId()).isNotNull();
            // migration maps only activities of the same type: user task to user task, external task to external task
            assertThat(wait.getElementType())
                    .as("type of %s and %s", wait.getId(), target.getId())
                    .isEqualTo(target.getElementType());
            assertThat(wait.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "topic"))
                    .isEqualTo(target.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "topic"));
            assertThat(wait.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "assignee"))
                    .as("assignee of %s (migration does not reassign)", wait.getId())
                    .isEqualTo(target.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "assignee"));
            // the five-stage stage sub-process that will hold the migrated step is the legacy stage's successor
            BaseElement targetStage = (BaseElement) target.getParentElement();
            assertThat(targetStage.getAttributeValue("name"))
                    .isEqualTo(stage.stage().displayName());
        }
    }

    /** DMN: every decision table anywhere in the repository (not only bpmn/), found by walking the tree. */
    private static List<Path> dmnFiles() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("."))) {
            return s.filter(p -> p.toString().endsWith(".dmn"))
                    .filter(p ->
                            Stream.of("target", "node_modules", ".git").noneMatch(d -> p.startsWith(Path.of(".", d))))
                    .sorted()
                    .toList();
        }
    }

    private static final String DMN_MODEL = "https://www.omg.org/spec/DMN/20191111/MODEL/";
    private static final String DMNDI = "https://www.omg.org/spec/DMN/20191111/DMNDI/";

    /**
     * What the Modeler and the engine need of a DMN file, as a list of problems: it parses with the engine's own DMN
     * parser, every decision keeps its history for a limited time, and every element of the decision requirements
     * graph has a shape (requirements an edge) in the DMNDI, so the Modeler opens it as drawn (bpmnlint reads no DMN).
     */
    static List<String> dmnProblems(Path file) throws Exception {
        List<String> problems = new ArrayList<>();
        DmnEngine engine =
                DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        DmnModelInstance model;
        try (var in = Files.newInputStream(file)) {
            model = Dmn.readModelFromStream(in);
        }
        try {
            assertThat(engine.parseDecisionRequirementsGraph(model).getDecisions())
                    .as("decisions")
                    .isNotEmpty();
        } catch (RuntimeException | AssertionError e) {
            problems.add(file + " does not parse with the engine's DMN parser: " + e.getMessage());
        }
        for (Decision d : model.getModelElementsByType(Decision.class)) {
            if (d.getCamundaHistoryTimeToLiveString() == null
                    || d.getCamundaHistoryTimeToLiveString().isBlank()) {
                problems.add(file + ": decision " + d.getId() + " has no camunda:historyTimeToLive");
            }
        }
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        Set<String> shapes = new HashSet<>();
        Set<String> edges = new HashSet<>();
        NodeList drawn = root.getElementsByTagNameNS(DMNDI, "DMNShape");
        for (int i = 0; i < drawn.getLength(); i++) {
            shapes.add(((Element) drawn.item(i)).getAttribute("dmnElementRef"));
        }
        drawn = root.getElementsByTagNameNS(DMNDI, "DMNEdge");
        for (int i = 0; i < drawn.getLength(); i++) {
            edges.add(((Element) drawn.item(i)).getAttribute("dmnElementRef"));
        }
        if (root.getElementsByTagNameNS(DMNDI, "DMNDiagram").getLength() == 0) {
            problems.add(file + " has no DMNDI diagram");
        }
        for (String type : List.of("decision", "inputData", "knowledgeSource", "businessKnowledgeModel")) {
            NodeList elements = root.getElementsByTagNameNS(DMN_MODEL, type);
            for (int i = 0; i < elements.getLength(); i++) {
                String id = ((Element) elements.item(i)).getAttribute("id");
                if (!shapes.contains(id)) {
                    problems.add(file + ": " + type + " " + id + " has no DMNShape");
                }
            }
        }
        for (String type : List.of("informationRequirement", "knowledgeRequirement", "authorityRequirement")) {
            NodeList elements = root.getElementsByTagNameNS(DMN_MODEL, type);
            for (int i = 0; i < elements.getLength(); i++) {
                String id = ((Element) elements.item(i)).getAttribute("id");
                if (id.isEmpty() || !edges.contains(id)) {
                    problems.add(file + ": " + type + " " + id + " has no DMNEdge");
                }
            }
        }
        return problems;
    }

    @Test
    void everyDecisionTableParsesWithTheEngineAndIsDrawn() throws Exception {
        List<Path> files = dmnFiles();
        assertThat(files)
                .as("DMN files")
                .extracting(p -> p.getFileName().toString())
                .contains("risk-matrix.dmn", "safeguard-policy.dmn");
        for (Path file : files) {
            assertThat(dmnProblems(file)).as("%s", file).isEmpty();
        }
    }

    /** The DMN check can fail: a table without its diagram, without history time to live, or one the engine rejects. */
    @Test
    void theDecisionTableCheckRefusesAnUndrawnUnboundedOrBrokenTable(@TempDir Path tmp) throws Exception {
        String riskMatrix = Files.readString(BPMN.resolve("risk-matrix.dmn"));
        Path undrawn = tmp.resolve("undrawn.dmn");
        Files.writeString(undrawn, riskMatrix.replaceAll("(?s)<dmndi:DMNDI>.*</dmndi:DMNDI>", ""));
        assertThat(dmnProblems(undrawn))
                .anySatisfy(p -> assertThat(p).contains("no DMNDI diagram"))
                .anySatisfy(p -> assertThat(p).contains("decision risk-matrix has no DMNShape"));
        Path unbounded = tmp.resolve("unbounded.dmn");
        Files.writeString(unbounded, riskMatrix.replaceAll("camunda:historyTimeToLive=\"[^\"]*\"", ""));
        assertThat(dmnProblems(unbounded)).singleElement().asString().contains("historyTimeToLive");
        Path broken = tmp.resolve("broken.dmn");
        Files.writeString(
                broken, riskMatrix.replaceFirst("hitPolicy=\"UNIQUE\"", "hitPolicy=\"UNIQUE\" aggregation=\"SUM\""));
        assertThat(dmnProblems(broken)).singleElement().asString().contains("engine's DMN parser");
    }

    private static Collection<BaseElement> all(BpmnModelInstance model) {
        return model.getModelElementsByType(BaseElement.class);
    }

    private static String id(ModelElementInstance e) {
        return e instanceof BaseElement b ? b.getId() : e.getElementType().getTypeName();
    }
}
