package io.controlplane.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** Pages the on-call through the PagerDuty Events API v2; the incident id is the dedup key of all three actions. */
@Component
class PagerDutyNotifier {
    static final String SOURCE = "ai-employee-control-plane";
    /** The client PagerDuty names in its "View in …" link ({@code client_url}, the Cockpit). */
    static final String CLIENT = "AI Employee Control Plane";

    private final RestClient http;
    private final ObjectMapper json;
    private final String routingKey;
    private final String eventsUrl;
    /** Resolved at each event: the public URL may derive from the port, known only once the server runs. */
    private final Supplier<String> cockpitUrl;

    @Autowired
    PagerDutyNotifier(RestClient.Builder http, ObjectMapper json, NotifyProperties properties, PublicUrl publicUrl) {
        this(
                http,
                json,
                properties.pagerduty().routingKey(),
                properties.pagerduty().eventsUrl(),
                publicUrl::cockpit);
    }

    /** Without a Cockpit link (no {@code links}, {@code client}, {@code client_url}). */
    PagerDutyNotifier(RestClient.Builder http, ObjectMapper json, String routingKey, String eventsUrl) {
        this(http, json, routingKey, eventsUrl, () -> "");
    }

    PagerDutyNotifier(
            RestClient.Builder http,
            ObjectMapper json,
            String routingKey,
            String eventsUrl,
            Supplier<String> cockpitUrl) {
        // a hung Events API must not hold the job executor thread for long: the step fails and is retried instead
        this.http = http.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
                        .build(ClientHttpRequestFactorySettings.defaults()
                                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))))
                .build();
        this.json = json;
        this.routingKey = routingKey == null ? "" : routingKey.strip();
        this.eventsUrl = eventsUrl;
        this.cockpitUrl = cockpitUrl;
    }

    boolean configured() {
        return !routingKey.isEmpty();
    }

    /** The event as JSON without the routing key (a credential): what the log keeps; the key is added only to send. */
    String eventJson(Map<String, Object> event) {
        return write(event);
    }

    /** POSTs {@code event} with the routing key; PagerDuty answers 202, anything other than 2xx throws. */
    void send(Map<String, Object> event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_key", routingKey);
        body.putAll(event);
        try {
            http.post()
                    .uri(eventsUrl)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(write(body))
                    .retrieve()
                    .onStatus(status -> !status.is2xxSuccessful(), (request, response) -> {
                        throw new NotificationFailedException(
                                Notifications.PAGERDUTY,
                                "HTTP " + response.getStatusCode().value() + " from the Events API: "
                                        + excerpt(response));
                    })
                    .toBodilessEntity();
        } catch (RestClientException e) {
            throw new NotificationFailedException(
                    Notifications.PAGERDUTY, "the Events API could not be reached: " + e.getMessage(), e);
        }
    }

    /**
     * The Events API v2 event. A trigger carries {@code payload.timestamp} ({@code at}, ISO 8601: the delivery attempt
     * that built it; a retried delivery sends its own time), a link to the Cockpit in {@code links} and as
     * {@code client}/{@code client_url}; acknowledge and resolve carry only the action and the dedup key.
     */
    Map<String, Object> event(Notification n, PagerAction action, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_action", action.name().toLowerCase(Locale.ROOT));
        event.put("dedup_key", n.incidentId());
        if (action == PagerAction.TRIGGER) {
            Map<String, Object> details = new LinkedHashMap<>();
            putIfPresent(details, "mission", NotificationText.mission(n));
            putIfPresent(details, "missionId", n.missionId());
            putIfPresent(details, "stage", n.stage());
            putIfPresent(details, "safeguard", n.safeguard());
            putIfPresent(details, "incidentId", n.incidentId());
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("summary", summary(n));
            payload.put("source", SOURCE);
            payload.put("severity", severity(n.severity()));
            payload.put("timestamp", at.toString());
            putIfPresent(payload, "component", n.stage());
            putIfPresent(payload, "group", n.missionId());
            putIfPresent(payload, "class", n.kind());
            payload.put("custom_details", details);
            event.put("payload", payload);
            String cockpit = cockpitUrl.get();
            if (NotificationText.hasText(cockpit)) {
                event.put("links", List.of(Map.of("href", cockpit, "text", "Open in Cockpit")));
                event.put("client", CLIENT);
                event.put("client_url", cockpit);
            }
        }
        return event;
    }

    /** PagerDuty's summary: the headline and the summary, within its 1024-character limit. */
    static String summary(Notification n) {
        String summary = NotificationText.headline(n);
        if (NotificationText.hasText(n.summary())) {
            summary += " — " + n.summary().strip();
        }
        return NotificationText.truncate(summary, 1024);
    }

    /** low→info, medium→warning, high→error, critical→critical; an unknown severity pages as error, not silently. */
    static String severity(String severity) {
        return switch (severity == null ? "" : severity.strip().toLowerCase(Locale.ROOT)) {
            case "low" -> "info";
            case "medium" -> "warning";
            case "critical" -> "critical";
            default -> "error";
        };
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (NotificationText.hasText(value)) {
            map.put(key, value);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a PagerDuty event", e);
        }
    }

    private static String excerpt(ClientHttpResponse response) {
        try (InputStream body = response.getBody()) {
            return new String(body.readNBytes(500), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no body)";
        }
    }
}
