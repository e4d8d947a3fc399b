package io.controlplane.mission;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The policy templates safeguards come from: each type's default severity and parameters, and the checks on
 * parameters a mission owner overrides. The Intent Confirmation checkpoint shows the result to the validator.
 */
@Component
public class SafeguardPolicy {

    static final String TYPE_PATTERN =
            "tone|quiet_window|rate_limit|budget_cap|undo_required|escalation_contacts|data_access";
    static final String TYPE_LIST =
            "tone, quiet_window, rate_limit, budget_cap, undo_required, escalation_contacts, data_access";

    /** A template: default severity, default parameters and the parameter names it accepts. */
    record Template(String severity, Map<String, Object> defaults) {}

    private static final Map<String, Template> TEMPLATES = Map.of(
            "tone",
                    new Template(
                            "medium",
                            params("forbiddenWords", List.of("guaranteed", "risk-free"), "requiredWords", List.of())),
            "quiet_window", new Template("medium", params("start", "20:00", "end", "07:00", "timeZone", "recipient")),
            "rate_limit", new Template("medium", params("perHour", 30, "burst", 10)),
            "budget_cap", new Template("high", params("centsPerDay", 5000)),
            "undo_required", new Template("high", params()),
            "escalation_contacts", new Template("low", params("contacts", List.of("@governance", "@ops-lead"))),
            "data_access", new Template("high", params("scopes", List.of())));

    /** Parameters in the order they are written, so briefs, forms and evidence read the same way every time. */
    private static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** A field error found in a safeguard's parameters. */
    public record Violation(String field, String message) {}

    /** Fills in template defaults: the safeguard as it will be enforced. */
    public MissionRequest.Safeguard withDefaults(MissionRequest.Safeguard s) {
        Template t = TEMPLATES.get(s.type());
        if (t == null) {
            return s;
        }
        Map<String, Object> params = new LinkedHashMap<>(t.defaults());
        if (s.parameters() != null) {
            params.putAll(s.parameters());
        }
        return new MissionRequest.Safeguard(s.type(), s.severity() == null ? t.severity() : s.severity(), params);
    }

    public MissionRequest.Safeguard fromTemplate(String type) {
        return withDefaults(new MissionRequest.Safeguard(type, null, null));
    }

    public boolean isKnownType(String type) {
        return TEMPLATES.containsKey(type);
    }

    /** Checks a safeguard's parameters (after defaults); {@code path} prefixes the field names, e.g. {@code safeguards[0]}. */
    public List<Violation> check(String path, MissionRequest.Safeguard s) {
        List<Violation> out = new ArrayList<>();
        Template t = TEMPLATES.get(s.type());
        if (t == null || s.parameters() == null) {
            return out;
        }
        Set<String> known = t.defaults().keySet();
        for (Map.Entry<String, Object> p : s.parameters().entrySet()) {
            String field = path + ".parameters." + p.getKey();
            if (!known.contains(p.getKey())) {
                out.add(new Violation(
                        field,
                        known.isEmpty()
                                ? "is not a parameter of " + s.type() + " (it takes none)"
                                : "is not a parameter of " + s.type() + "; known: " + String.join(", ", known)));
                continue;
            }
            Object v = p.getValue();
            switch (p.getKey()) {
                case "perHour", "burst", "centsPerDay" -> {
                    if (!(v instanceof Integer || v instanceof Long)
                            || ((Number) v).longValue() <= 0
                            || ((Number) v).longValue() > 1_000_000_000L) {
                        out.add(new Violation(field, "must be a positive whole number"));
                    }
                }
                case "start", "end" -> {
                    if (!(v instanceof String str) || !isTime(str)) {
                        out.add(new Violation(field, "must be a time of day as HH:mm"));
                    }
                }
                case "timeZone" -> {
                    if (!(v instanceof String str) || str.isBlank() || str.length() > 64) {
                        out.add(new Violation(field, "must be a time-zone id or \"recipient\""));
                    }
                }
                default -> {
                    if (!(v instanceof List<?> list)
                            || list.size() > 100
                            || list.stream()
                                    .anyMatch(e -> !(e instanceof String str) || str.isBlank() || str.length() > 200)) {
                        out.add(new Violation(field, "must be a list of at most 100 non-blank words"));
                    }
                }
            }
        }
        if ("rate_limit".equals(s.type())
                && out.isEmpty()
                && ((Number) s.parameters().get("burst")).longValue()
                        > ((Number) s.parameters().get("perHour")).longValue()) {
            out.add(new Violation(path + ".parameters.burst", "must not exceed perHour"));
        }
        if ("escalation_contacts".equals(s.type())
                && out.isEmpty()
                && ((List<?>) s.parameters().get("contacts")).isEmpty()) {
            out.add(new Violation(path + ".parameters.contacts", "must name at least one contact"));
        }
        return out;
    }

    private static boolean isTime(String s) {
        try {
            LocalTime.parse(s);
            return s.length() == 5;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** One line per safeguard, for the validator's form and the evidence. */
    public static String describe(MissionRequest.Safeguard s) {
        StringBuilder b =
                new StringBuilder(s.type()).append(" (").append(s.severity()).append(")");
        if (s.parameters() != null && !s.parameters().isEmpty()) {
            b.append(": ");
            List<String> parts = new ArrayList<>();
            s.parameters().forEach((k, v) -> parts.add(k + " " + v));
            b.append(String.join(", ", parts));
        }
        return b.toString();
    }
}
