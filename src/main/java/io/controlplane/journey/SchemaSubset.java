package io.controlplane.journey;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates a value against the part of JSON Schema (2020-12) the step contract uses: {@code type} (one or a list),
 * {@code enum}, {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items},
 * {@code minItems}/{@code maxItems}, {@code minLength}/{@code maxLength}, {@code minimum}/{@code maximum}. A schema
 * keyword outside this set is refused when the contract is loaded ({@link #check}), so a published schema never
 * promises a rule the service does not enforce.
 */
final class SchemaSubset {
    private static final List<String> KEYWORDS = List.of(
            "$schema",
            "$id",
            "title",
            "description",
            "type",
            "enum",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "minItems",
            "maxItems",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "x-bpmnErrors",
            // annotations of a topic's input schema (docs/contract/inputs): what a task carries, not a rule
            "x-camundaType",
            "x-scope");

    private SchemaSubset() {}

    /** Fails on a keyword this validator does not enforce, anywhere in {@code schema}. */
    static void check(JsonNode schema, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYWORDS.contains(e.getKey())) {
                throw new IllegalStateException(where + ": schema keyword '" + e.getKey() + "' is not enforced");
            }
        }
        schema.path("properties").fields().forEachRemaining(p -> check(p.getValue(), where + "." + p.getKey()));
        if (schema.has("items")) {
            check(schema.get("items"), where + "[]");
        }
    }

    /** The first violation, as "path: what is wrong", or empty when {@code value} conforms. */
    static Optional<String> violation(JsonNode schema, JsonNode value, String path) {
        List<String> types = new ArrayList<>();
        JsonNode type = schema.get("type");
        if (type != null) {
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else {
                types.add(type.asText());
            }
            if (types.stream().noneMatch(t -> is(t, value))) {
                return Optional.of(path + " must be " + String.join(" or ", types) + " (got " + kind(value) + ")");
            }
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode option : schema.get("enum")) {
                listed |= option.equals(value);
            }
            if (!listed) {
                List<String> options = new ArrayList<>();
                schema.get("enum").forEach(o -> options.add(o.asText()));
                return Optional.of(path + " must be one of " + String.join(", ", options) + " (got "
                        + abbreviate(value.asText()) + ")");
            }
        }
        if (value.isTextual()) {
            int length = value.asText().codePointCount(0, value.asText().length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                return Optional.of(
                        path + " must have at least " + schema.get("minLength").asInt() + " characters");
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                return Optional.of(
                        path + " must have at most " + schema.get("maxLength").asInt() + " characters");
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum")
                    && value.asDouble() < schema.get("minimum").asDouble()) {
                return Optional.of(
                        path + " must be at least " + schema.get("minimum").asText());
            }
            if (schema.has("maximum")
                    && value.asDouble() > schema.get("maximum").asDouble()) {
                return Optional.of(
                        path + " must be at most " + schema.get("maximum").asText());
            }
            if (!Double.isFinite(value.asDouble())) {
                return Optional.of(path + " must be a finite number");
            }
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                return Optional.of(
                        path + " must have at least " + schema.get("minItems").asInt() + " items");
            }
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                return Optional.of(
                        path + " must have at most " + schema.get("maxItems").asInt() + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    Optional<String> v = violation(schema.get("items"), value.get(i), path + "[" + i + "]");
                    if (v.isPresent()) {
                        return v;
                    }
                }
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())
                        || value.get(required.asText()).isNull()) {
                    return Optional.of(path + "." + required.asText() + " is required");
                }
            }
            JsonNode properties = schema.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode property = properties.get(field.getKey());
                if (property == null) {
                    if (schema.path("additionalProperties").isBoolean()
                            && !schema.get("additionalProperties").asBoolean()) {
                        return Optional.of(path + "." + field.getKey() + " is not part of the contract");
                    }
                    continue;
                }
                Optional<String> v = violation(property, field.getValue(), path + "." + field.getKey());
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean is(String type, JsonNode value) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "integer" ->
                value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            case "null" -> value.isNull();
            default -> false;
        };
    }

    private static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        return value.isNull() ? "null" : value.getNodeType().name().toLowerCase();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
