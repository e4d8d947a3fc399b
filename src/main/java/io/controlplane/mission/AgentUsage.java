package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.BadUserRequestException;

/**
 * What an agent reports it used for one external task ({@code agentUsage}, optional on every topic of
 * docs/contract/topics): the model, tokens in and out, the tools it called, the cost in cents and how long it took.
 * The step contract checks an agent's completion against the schema before it runs; this check repeats it for a
 * completion without an authentication (the service's own worker, the Java API), so a bad report is refused with
 * the field's name and never stored or dropped half-read.
 */
public record AgentUsage(
        String model, long tokensIn, long tokensOut, List<ToolCall> toolCalls, BigDecimal costCents, Long durationMs) {

    /** One tool the agent called, and how often. */
    public record ToolCall(String name, long count) {}

    private static final Set<String> FIELDS =
            Set.of("model", "tokensIn", "tokensOut", "toolCalls", "costCents", "durationMs");
    private static final long MAX_TOKENS = 1_000_000_000L;
    private static final BigDecimal MAX_COST = BigDecimal.valueOf(100_000_000L);
    private static final long MAX_DURATION_MS = 604_800_000L;
    private static final int MAX_TOOL_CALLS = 200;

    public static AgentUsage fromJson(JsonNode json) {
        String at = Vars.AGENT_USAGE;
        if (json == null || !json.isObject()) {
            throw refused(at + " must be a JSON object with model, tokensIn, tokensOut and costCents");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw refused(at + "." + field + " is not part of the contract (it takes "
                        + String.join(
                                ", ", List.of("model", "tokensIn", "tokensOut", "toolCalls", "costCents", "durationMs"))
                        + ")");
            }
        }
        JsonNode model = json.get("model");
        if (model == null
                || !model.isTextual()
                || model.asText().isBlank()
                || model.asText().length() > 200) {
            throw refused(at + ".model is required: the model's name, 1 to 200 characters");
        }
        List<ToolCall> tools = new ArrayList<>();
        JsonNode calls = json.get("toolCalls");
        if (calls != null && !calls.isNull()) {
            if (!calls.isArray() || calls.size() > MAX_TOOL_CALLS) {
                throw refused(at + ".toolCalls must be an array of at most " + MAX_TOOL_CALLS + " tool calls");
            }
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                String where = at + ".toolCalls[" + i + "]";
                if (!c.isObject()) {
                    throw refused(where + " must be an object with the tool's name");
                }
                for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    if (!field.equals("name") && !field.equals("count")) {
                        throw refused(where + "." + field + " is not part of the contract (it takes name, count)");
                    }
                }
                JsonNode name = c.get("name");
                if (name == null
                        || !name.isTextual()
                        || name.asText().isBlank()
                        || name.asText().length() > 200) {
                    throw refused(where + ".name is required: the tool's name, 1 to 200 characters");
                }
                long count = c.hasNonNull("count") ? whole(c.get("count"), where + ".count", 1, 1_000_000, false) : 1;
                tools.add(new ToolCall(name.asText(), count));
            }
        }
        JsonNode cost = json.get("costCents");
        if (cost == null
                || !cost.isNumber()
                || !Double.isFinite(cost.asDouble())
                || cost.decimalValue().signum() < 0
                || cost.decimalValue().compareTo(MAX_COST) > 0) {
            throw refused(at + ".costCents is required: a number of cents from 0 to " + MAX_COST.toPlainString());
        }
        Long duration = json.hasNonNull("durationMs")
                ? whole(json.get("durationMs"), at + ".durationMs", 0, MAX_DURATION_MS, false)
                : null;
        return new AgentUsage(
                model.asText().strip(),
                whole(json.get("tokensIn"), at + ".tokensIn", 0, MAX_TOKENS, true),
                whole(json.get("tokensOut"), at + ".tokensOut", 0, MAX_TOKENS, true),
                List.copyOf(tools),
                cost.decimalValue().setScale(4, RoundingMode.HALF_UP),
                duration);
    }

    /** The tool calls as stored: name, then count, in the order reported. */
    public List<Map<String, Object>> toolCallsJson() {
        return toolCalls.stream()
                .map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", c.name());
                    m.put("count", c.count());
                    return m;
                })
                .toList();
    }

    private static long whole(JsonNode v, String field, long min, long max, boolean required) {
        if (v == null || v.isNull()) {
            if (required) {
                throw refused(field + " is required: a whole number from " + min + " to " + max);
            }
            return min;
        }
        if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
            throw refused(field + " must be a whole number from " + min + " to " + max + " (got " + v + ")");
        }
        return v.asLong();
    }

    private static BadUserRequestException refused(String message) {
        return new BadUserRequestException(message);
    }
}
