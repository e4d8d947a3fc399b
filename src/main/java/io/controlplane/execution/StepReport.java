package io.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One step an agent reports while executing a play, in the shape the safeguard checks read: what it did, when, to whom
 * in which time zone, what it spent, whether it can be reversed, the text it sent and the OAuth scopes it used.
 *
 * @param hasUndoPlan whether the play the step belongs to carries an undo plan (known to the control plane, not the agent)
 */
public record StepReport(
        String action,
        Instant at,
        String recipient,
        String recipientTimeZone,
        long spendCents,
        boolean reversible,
        boolean hasUndoPlan,
        String text,
        List<String> scopesUsed) {

    /** Refuses reports the checks could not judge, so a bad report never passes as a harmless one. */
    public StepReport {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("action is required");
        }
        Objects.requireNonNull(at, "at is required");
        if (spendCents < 0) {
            throw new IllegalArgumentException("spendCents must not be negative (got " + spendCents + ")");
        }
        scopesUsed = scopesUsed == null ? List.of() : List.copyOf(scopesUsed);
    }

    /** Whether the step reached a person: quiet windows and rate limits only apply to such steps. */
    public boolean hasRecipient() {
        return recipient != null && !recipient.isBlank();
    }

    /** Reads an agent's JSON report; the exception message names the field that is wrong so the agent can fix it. */
    public static StepReport fromJson(JsonNode json, boolean hasUndoPlan) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a step report must be a JSON object");
        }
        String action = optionalText(json, "action");
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("action is required: text saying what the step did");
        }
        String atText = optionalText(json, "at");
        if (atText == null) {
            throw new IllegalArgumentException("at is required: an ISO-8601 instant such as 2025-03-01T09:30:00Z");
        }
        Instant at;
        try {
            at = Instant.parse(atText);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "at must be an ISO-8601 instant such as 2025-03-01T09:30:00Z (got '" + atText + "')");
        }
        String zone = optionalText(json, "recipientTimeZone");
        if (zone != null) {
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(
                        "recipientTimeZone must be an IANA time-zone id such as Europe/Berlin (got '" + zone + "')");
            }
        }
        long spend = 0;
        if (json.hasNonNull("spendCents")) {
            JsonNode s = json.get("spendCents");
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
                throw new IllegalArgumentException(
                        "spendCents must be a whole number of cents, 0 or more (got " + s + ")");
            }
            spend = s.asLong();
        }
        boolean reversible = true;
        if (json.hasNonNull("reversible")) {
            if (!json.get("reversible").isBoolean()) {
                throw new IllegalArgumentException(
                        "reversible must be true or false (got " + json.get("reversible") + ")");
            }
            reversible = json.get("reversible").asBoolean();
        }
        List<String> scopes = new ArrayList<>();
        if (json.hasNonNull("scopesUsed")) {
            JsonNode list = json.get("scopesUsed");
            if (!list.isArray()) {
                throw new IllegalArgumentException("scopesUsed must be an array of scope names (got " + list + ")");
            }
            for (JsonNode scope : list) {
                if (!scope.isTextual() || scope.asText().isBlank()) {
                    throw new IllegalArgumentException(
                            "scopesUsed must hold only non-blank scope names (got " + scope + ")");
                }
                scopes.add(scope.asText());
            }
        }
        return new StepReport(
                action,
                at,
                optionalText(json, "recipient"),
                zone,
                spend,
                reversible,
                hasUndoPlan,
                optionalText(json, "text"),
                scopes);
    }

    /** A text field that may be absent or null; any other JSON type is an error naming the field. */
    private static String optionalText(JsonNode json, String field) {
        if (!json.hasNonNull(field)) {
            return null;
        }
        JsonNode v = json.get(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be text (got " + v + ")");
        }
        return v.asText();
    }
}
