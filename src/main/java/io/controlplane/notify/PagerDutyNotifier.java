package io.controlplane.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    private final RestClient http;
    private final ObjectMapper json;
    private final String routingKey;
    private final String eventsUrl;

    @Autowired
    PagerDutyNotifier(RestClient.Builder http, ObjectMapper json, NotifyProperties properties) {
        this(http, json, properties.pagerduty().routingKey(), properties.pagerduty().eventsUrl());
    }

    PagerDutyNotifier(RestClient.Builder http, ObjectMapper json, String routingKey, String eventsUrl) {
        // a hung Events API must not hold the job executor thread for long: the step fails and is retried instead
        this.http = http.requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(ClientHttpRequestFactorySettings
                .defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)))).build();
        this.json = json;
        this.routingKey = routingKey == null ? "" : routingKey.strip();
        this.eventsUrl = eventsUrl;
    }

    boolean configured() {
        return !routingKey.isEmpty();
    }

    /** The event as JSON without the routing key (a credential): what the log keeps. */
    String eventJson(Notification n, PagerAction action) {
        return write(event(n, action));
    }

    /** POSTs the event; PagerDuty answers 202, anything other than 2xx throws. */
    void send(Notification n, PagerAction action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_key", routingKey);
        body.putAll(event(n, action));
        try {
            http.post().uri(eventsUrl).contentType(MediaType.APPLICATION_JSON).body(write(body)).retrieve()
                    .onStatus(status -> !status.is2xxSuccessful(), (request, response) -> {
                        throw new NotificationFailedException(Notifications.PAGERDUTY, "HTTP "
                                + response.getStatusCode().value() + " from the Events API: " + excerpt(response));
                    })
                    .toBodilessEntity();
        } catch (RestClientException e) {
            throw new NotificationFailedException(Notifications.PAGERDUTY, "the Events API could not be reached: "
                    + e.getMessage(), e);
        }
    }

    Map<String, Object> event(Notification n, PagerAction action) {
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
            putIfPresent(payload, "component", n.stage());
            putIfPresent(payload, "group", n.missionId());
            putIfPresent(payload, "class", n.kind());
            payload.put("custom_details", details);
            event.put("payload", payload);
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
