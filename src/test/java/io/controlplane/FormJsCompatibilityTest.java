package io.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every form in {@code forms/} uses only what the form-js viewer bundled with Camunda 7.24's Tasklist can draw: form-js
 * 1.8 (schema version 16). Its component types and their properties are listed here from that viewer (the webjar's
 * {@code lib/deps.js}); a component or property it does not know would render as an error or silently do nothing.
 */
class FormJsCompatibilityTest {
    /** The schema version of the form-js bundled with Camunda 7.24 (form-js 1.8.x). */
    static final int SCHEMA_VERSION = 16;

    private static final Set<String> TOP_LEVEL = Set.of(
            "components", "type", "id", "executionPlatform", "executionPlatformVersion", "exporter", "schemaVersion");
    private static final Set<String> COMMON = Set.of("id", "type", "layout", "conditional", "properties");
    private static final Set<String> KEYED =
            Set.of("key", "label", "description", "validate", "readonly", "disabled", "defaultValue");
    private static final Set<String> OPTIONS = Set.of("values", "valuesKey", "valuesExpression");

    /** type → the properties beyond {@link #COMMON} that form-js 1.8 reads for it. */
    static final Map<String, Set<String>> TYPES = Map.ofEntries(
            Map.entry("text", Set.of("text")),
            Map.entry("html", Set.of("content")),
            Map.entry("image", Set.of("source", "alt")),
            Map.entry("separator", Set.of()),
            Map.entry("spacer", Set.of("height")),
            Map.entry("button", Set.of("label", "action", "disabled")),
            Map.entry("group", Set.of("label", "components", "showOutline", "path")),
            Map.entry(
                    "dynamiclist",
                    Set.of(
                            "label",
                            "components",
                            "showOutline",
                            "path",
                            "isRepeating",
                            "defaultRepetitions",
                            "allowAddRemove",
                            "nonCollapsedItems",
                            "disableCollapse")),
            Map.entry("table", Set.of("label", "columns", "columnsExpression", "dataSource", "rowCount")),
            Map.entry("expression", Set.of("key", "expression", "computeOn")),
            Map.entry("textfield", union(KEYED, Set.of("appearance"))),
            Map.entry("textarea", KEYED),
            Map.entry("number", union(KEYED, Set.of("appearance", "increment", "decimalDigits", "serializeToString"))),
            Map.entry("checkbox", KEYED),
            Map.entry("checklist", union(KEYED, OPTIONS)),
            Map.entry("radio", union(KEYED, OPTIONS)),
            Map.entry("select", union(KEYED, OPTIONS, Set.of("searchable"))),
            Map.entry("taglist", union(KEYED, OPTIONS)),
            Map.entry(
                    "datetime",
                    union(
                            KEYED,
                            Set.of(
                                    "subtype",
                                    "dateLabel",
                                    "timeLabel",
                                    "use24h",
                                    "disallowPassedDates",
                                    "timeInterval",
                                    "timeSerializingFormat"))));

    /** type → the validation rules form-js 1.8 applies to it. */
    static final Map<String, Set<String>> VALIDATION = Map.of(
            "textfield", Set.of("required", "minLength", "maxLength", "pattern", "validationType"),
            "textarea", Set.of("required", "minLength", "maxLength"),
            "number", Set.of("required", "min", "max"),
            "datetime", Set.of("required"),
            "checkbox", Set.of("required"),
            "checklist", Set.of("required"),
            "radio", Set.of("required"),
            "select", Set.of("required"),
            "taglist", Set.of("required"));

    private final ObjectMapper json = new ObjectMapper();

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    static List<Path> forms() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("forms"))) {
            return files.filter(p -> p.toString().endsWith(".form")).sorted().toList();
        }
    }

    @Test
    void theBundledViewerIsFormJs18() throws IOException {
        try (InputStream deps = getClass().getResourceAsStream("/META-INF/resources/webjars/camunda/lib/deps.js")) {
            assertThat(deps).as("the Camunda webapp webjar is on the classpath").isNotNull();
            String script = new String(deps.readAllBytes(), StandardCharsets.UTF_8);
            // a Camunda upgrade that brings another form-js fails here: then review the lists above
            assertThat(script).contains("schemaVersion=" + SCHEMA_VERSION + ",");
            for (String type : TYPES.keySet()) {
                assertThat(script).as("the viewer knows " + type).containsPattern("[=\"]" + type + "\"");
            }
        }
    }

    @Test
    void everyFormUsesOnlyWhatFormJs18CanDraw() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> forms = forms();
        assertThat(forms).hasSizeGreaterThan(20);
        for (Path file : forms) {
            JsonNode form = json.readTree(file.toFile());
            String name = file.getFileName().toString();
            form.fieldNames().forEachRemaining(f -> {
                if (!TOP_LEVEL.contains(f)) {
                    problems.add(name + ": unknown top-level property " + f);
                }
            });
            if (form.path("schemaVersion").asInt(-1) < 1
                    || form.path("schemaVersion").asInt() > SCHEMA_VERSION) {
                problems.add(name + ": schemaVersion " + form.path("schemaVersion") + " (form-js 1.8 reads up to "
                        + SCHEMA_VERSION + ")");
            }
            if (!"default".equals(form.path("type").asText())) {
                problems.add(name + ": form type must be default");
            }
            Set<String> ids = new HashSet<>();
            Set<String> keys = new HashSet<>();
            check(name, form.path("components"), problems, ids, keys, 0);
        }
        assertThat(problems).isEmpty();
    }

    private void check(
            String form, JsonNode components, List<String> problems, Set<String> ids, Set<String> keys, int depth) {
        if (!components.isArray() || components.isEmpty()) {
            problems.add(form + ": a form or container without components");
            return;
        }
        for (JsonNode c : components) {
            String type = c.path("type").asText();
            String where = form + " " + c.path("id").asText("(no id)");
            Set<String> allowed = TYPES.get(type);
            if (allowed == null) {
                problems.add(where + ": component type '" + type + "' is not in form-js 1.8");
                continue;
            }
            if (!ids.add(c.path("id").asText())) {
                problems.add(where + ": duplicate or missing id");
            }
            for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String property = it.next();
                if (!COMMON.contains(property) && !allowed.contains(property)) {
                    problems.add(where + ": property '" + property + "' is not read for " + type + " by form-js 1.8");
                }
            }
            if (c.has("key") && !keys.add(c.path("key").asText())) {
                problems.add(where + ": key " + c.path("key").asText() + " bound twice");
            }
            if (allowed.contains("key") && !c.hasNonNull("key") && !type.equals("button")) {
                problems.add(where + ": a " + type + " needs a key");
            }
            c.path("validate").fieldNames().forEachRemaining(rule -> {
                if (!VALIDATION.getOrDefault(type, Set.of()).contains(rule)) {
                    problems.add(where + ": validation '" + rule + "' is not applied to " + type + " by form-js 1.8");
                }
            });
            c.path("conditional").fieldNames().forEachRemaining(p -> {
                if (!p.equals("hide")) {
                    problems.add(where + ": conditional." + p + " (form-js 1.8 knows conditional.hide)");
                }
            });
            if (c.has("conditional")
                    && !c.path("conditional").path("hide").asText().startsWith("=")) {
                problems.add(where + ": conditional.hide must be a FEEL expression starting with =");
            }
            c.path("appearance").fieldNames().forEachRemaining(p -> {
                if (!Set.of("prefixAdornment", "suffixAdornment").contains(p)) {
                    problems.add(where + ": appearance." + p + " is not in form-js 1.8");
                }
            });
            c.path("layout").fieldNames().forEachRemaining(p -> {
                if (!Set.of("row", "columns").contains(p)) {
                    problems.add(where + ": layout." + p + " is not in form-js 1.8");
                }
            });
            if (c.has("readonly")
                    && !c.path("readonly").isBoolean()
                    && !c.path("readonly").asText().startsWith("=")) {
                problems.add(where + ": readonly must be a boolean or a FEEL expression");
            }
            if (OPTIONS.stream().filter(c::has).count() > 1
                    || (allowed.contains("values") && OPTIONS.stream().noneMatch(c::has))) {
                problems.add(where + ": exactly one of values, valuesKey, valuesExpression");
            }
            if (c.has("components")) {
                if (depth > 3) {
                    problems.add(where + ": nested deeper than the viewer lays out well");
                }
                check(form, c.path("components"), problems, ids, keys, depth + 1);
            }
        }
    }
}
