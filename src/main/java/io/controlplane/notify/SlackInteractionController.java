package io.controlplane.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/slack/interactions}: a signed Slack interaction, accepted once per signed request
 * ({@link SlackReplays}) and only from a Slack user mapped to a person ({@link SlackPeople}). An Acknowledge press
 * becomes an incident acknowledgement naming that person, if they may acknowledge; a checkpoint's decision button or
 * the decision modal's submission goes to {@link SlackDecisions}, which completes the task as that person under
 * Tasklist's rules. Anyone else gets an ephemeral reply saying why, and nothing changes; so does an action this
 * service never offered.
 */
@RestController
class SlackInteractionController {
    static final String PATH = "/api/slack/interactions";
    /** Slack's interaction payloads are a few kilobytes; anything far larger is refused before it is read. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(SlackInteractionController.class);

    private final SlackRequestVerifier verifier;
    private final Supplier<IncidentAcknowledgements> acknowledgements;
    private final ObjectMapper json;
    private final SlackPeople people;
    private final SlackReplays replays;
    private final SlackDecisions decisions;

    @Autowired
    SlackInteractionController(
            NotifyProperties properties,
            ObjectProvider<IncidentAcknowledgements> acknowledgements,
            ObjectMapper json,
            SlackPeople people,
            SlackReplays replays,
            SlackDecisions decisions) {
        this(
                new SlackRequestVerifier(properties.slack().signingSecret(), Clock.systemUTC()),
                acknowledgements::getIfAvailable,
                json,
                people,
                replays,
                decisions);
    }

    SlackInteractionController(
            SlackRequestVerifier verifier,
            Supplier<IncidentAcknowledgements> acknowledgements,
            ObjectMapper json,
            SlackPeople people,
            SlackReplays replays,
            SlackDecisions decisions) {
        this.verifier = verifier;
        this.acknowledgements = acknowledgements;
        this.json = json;
        this.people = people;
        this.replays = replays;
        this.decisions = decisions;
    }

    /**
     * Reads the body from the servlet stream itself: Spring would rebuild a form body from the parsed parameters,
     * re-encoded, and the signature covers the bytes exactly as Slack sent them.
     */
    @Operation(
            summary = "Slack's interactions: the Acknowledge button of an incident post",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description =
                                "Handled: the incident acknowledged, or Slack's ephemeral answer saying why not (a Slack user no person maps to)",
                        content =
                                @Content(
                                        mediaType = "application/json",
                                        schema =
                                                @Schema(
                                                        type = "object",
                                                        description =
                                                                "Slack's response message: response_type ephemeral and text, when there is something to tell"))),
                @ApiResponse(responseCode = "409", description = "The same signed request a second time (a replay)")
            },
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            description = "As Slack sends it: the raw body is what the signature covers",
                            content =
                                    @Content(
                                            mediaType = "application/x-www-form-urlencoded",
                                            schema =
                                                    @Schema(
                                                            type = "object",
                                                            requiredProperties = {"payload"},
                                                            description = "payload: the interaction as JSON text"))))
    @PostMapping(PATH)
    ResponseEntity<?> interaction(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return Problems.response(Problems.Type.TOO_LARGE, "A Slack interaction is at most 1 MiB");
        }
        String timestamp = request.getHeader(SlackRequestVerifier.TIMESTAMP_HEADER);
        String signature = request.getHeader(SlackRequestVerifier.SIGNATURE_HEADER);
        SlackRequestVerifier.Result check = verifier.check(timestamp, signature, body);
        if (!check.valid()) {
            log.warn("Refused a Slack interaction from {}: {}", request.getRemoteAddr(), check.description());
            return Problems.response(Problems.Type.UNAUTHORIZED, "Not a signed Slack request: " + check.description());
        }
        // a signed request verifies again for 5 minutes: only its first arrival counts, on any node
        if (!replays.firstTime(signature, Long.parseLong(timestamp.strip()))) {
            log.warn("Refused a replayed Slack interaction from {}", request.getRemoteAddr());
            return Problems.response(
                    Problems.Type.REPLAYED,
                    "This Slack request was received before; a request is accepted once, nothing was changed");
        }
        JsonNode payload = payload(body);
        String type = payload.path("type").asText();
        if ("view_submission".equals(type)) {
            if (SlackDecisions.VIEW_CALLBACK.equals(
                    payload.path("view").path("callback_id").asText())) {
                return ResponseEntity.ok(decisions.submit(payload).body());
            }
            return ResponseEntity.ok(Map.of()); // no modal of ours
        }
        if (!"block_actions".equals(type)) {
            return ResponseEntity.ok(Map.of()); // e.g. a view closed: nothing to do
        }
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asText();
        if (SlackDecisions.isDecision(actionId)) {
            return ResponseEntity.ok(decisions.press(payload, action).body());
        }
        if (SlackNotifier.COCKPIT_ACTION.equals(actionId)) {
            return ResponseEntity.ok(Map.of()); // a link button: Slack opened it, it reports the press all the same
        }
        if (!SlackNotifier.ACKNOWLEDGE_ACTION.equals(actionId)
                || !NotificationText.hasText(action.path("value").asText())) {
            log.warn(
                    "Refused a Slack press of an action this service does not offer: {}",
                    NotificationText.truncate(actionId, 80));
            return ephemeral("This button (" + NotificationText.truncate(actionId, 80) + ") is not one the control "
                    + "plane offers; nothing was changed.");
        }
        IncidentAcknowledgements incidents = acknowledgements.get();
        if (incidents == null) {
            return Problems.response(Problems.Type.UNAVAILABLE, "Incidents cannot be acknowledged here");
        }
        String incidentId = action.path("value").asText();
        String slackUser = payload.path("user").path("id").asText();
        String slackName = user(payload.path("user"));
        Optional<String> person = people.person(slackUser);
        if (person.isEmpty()) {
            log.warn(
                    "Slack user {} ({}) pressed Acknowledge on incident {} but is mapped to no person",
                    slackUser,
                    slackName,
                    incidentId);
            return ephemeral(
                    "Your Slack user (" + slackUser + ") is not linked to a person of the control plane, so it "
                            + "cannot acknowledge incidents; incident " + incidentId
                            + " is unchanged. An administrator links it "
                            + "in controlplane.notify.slack.users.");
        }
        if (!people.mayAcknowledge(person.get())) {
            log.warn(
                    "Slack user {} ({}) pressed Acknowledge on incident {}: {} may not acknowledge",
                    slackUser,
                    slackName,
                    incidentId,
                    person.get());
            return ephemeral(person.get() + " may not acknowledge incidents (only "
                    + String.join(", ", people.acknowledgingGroups()) + " may); incident " + incidentId
                    + " is unchanged.");
        }
        boolean acknowledged = incidents.acknowledge(incidentId, person.get(), Notifications.SLACK);
        log.info(
                "Slack user {} ({}) pressed Acknowledge on incident {} as {}: {}",
                slackUser,
                slackName,
                incidentId,
                person.get(),
                acknowledged ? "acknowledged" : "no open incident");
        return ResponseEntity.ok(Map.of(
                "text",
                acknowledged
                        ? "Incident " + incidentId + " acknowledged by " + person.get()
                        : "No open incident " + incidentId));
    }

    /** A reply only the person who pressed sees. */
    private static ResponseEntity<Map<String, String>> ephemeral(String text) {
        return ResponseEntity.ok(Map.of("response_type", "ephemeral", "text", text));
    }

    /** The {@code payload} field of the form body, as JSON. */
    private JsonNode payload(byte[] body) {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (eq >= 0 && name.equals("payload")) {
                try {
                    JsonNode payload = json.readTree(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    if (payload != null && payload.isObject()) {
                        return payload;
                    }
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    log.debug("Unreadable Slack payload", e);
                }
                break;
            }
        }
        throw new InvalidInputException("payload", "must be the form field payload holding Slack's interaction JSON");
    }

    /** Slack's user as Slack names them (username, else name, else id): for the log only, never an identity. */
    private static String user(JsonNode user) {
        for (String field : new String[] {"username", "name", "id"}) {
            String value = user.path(field).asText();
            if (NotificationText.hasText(value)) {
                return value;
            }
        }
        return "an unknown Slack user";
    }
}
