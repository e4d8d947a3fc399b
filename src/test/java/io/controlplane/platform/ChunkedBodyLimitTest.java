package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The 1 MiB limit of {@code /api} bodies holds for the bytes actually read: a chunked body (no Content-Length, as
 * {@code BodyPublishers.ofInputStream} sends it) of more than 2 MiB is refused with 413 problem details and creates
 * nothing, whichever endpoint reads it.
 */
@IntegrationTest
class ChunkedBodyLimitTest {
    private static final int SIZE = (2 << 20) + (256 << 10);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient client = HttpClient.newHttpClient();

    /** A JSON object whose one string runs past {@link #SIZE} bytes, streamed without a declared length. */
    private static HttpRequest.BodyPublisher chunked(String prefix, String suffix) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
        byte[] filler = new byte[SIZE];
        Arrays.fill(filler, (byte) 'z');
        return HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(head), new ByteArrayInputStream(filler), new ByteArrayInputStream(tail)))));
    }

    private HttpResponse<String> send(
            String method, String path, String user, String contentType, HttpRequest.BodyPublisher body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body)
                .header("Content-Type", contentType);
        if (user != null) {
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Long> counts() {
        return Map.of(
                "missions",
                jdbc.queryForObject("SELECT COUNT(*) FROM missions", Long.class),
                "backlog_items",
                jdbc.queryForObject("SELECT COUNT(*) FROM backlog_items", Long.class),
                "telemetry_events",
                jdbc.queryForObject("SELECT COUNT(*) FROM telemetry_events", Long.class),
                "processes",
                jdbc.queryForObject("SELECT COUNT(*) FROM ACT_HI_PROCINST", Long.class));
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413AndCreatesNothing() throws Exception {
        Map<String, Long> before = counts();
        String json = "application/json";
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("POST /api/missions", send("POST", "/api/missions", "mo", json, chunked("{\"title\":\"", "\"}")));
        answers.put(
                "POST /api/backlog",
                send(
                        "POST",
                        "/api/backlog",
                        "mo",
                        json,
                        chunked(
                                "{\"stage\":\"define\",\"category\":\"intake_prompts\",\"impact\":2,\"effort\":1,\"ownerRole\":\"mission-owner\",\"title\":\"",
                                "\"}")));
        answers.put(
                "POST /api/telemetry/events",
                send(
                        "POST",
                        "/api/telemetry/events",
                        "agent",
                        json,
                        chunked("{\"name\":\"toolkit_connected\",\"missionId\":\"", "\"}")));
        answers.put(
                "PUT /api/meetings/1/decisions",
                send("PUT", "/api/meetings/1/decisions", "oc", json, chunked("{\"decisions\":\"", "\"}")));
        // Slack's endpoint reads the raw body itself, before the signature is checked
        answers.put(
                "POST /api/slack/interactions",
                send(
                        "POST",
                        "/api/slack/interactions",
                        null,
                        "application/x-www-form-urlencoded",
                        chunked("payload=", "")));

        answers.forEach((endpoint, r) -> {
            assertThat(r.statusCode()).as(endpoint + ": " + r.body()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .as(endpoint)
                    .startsWith("application/problem+json");
            assertThat(r.body()).as(endpoint).contains("\"status\":413").contains("1 MiB");
        });
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyUnderTheLimitIsReadAsBefore() throws Exception {
        HttpResponse<String> small = send(
                "POST",
                "/api/backlog",
                "mo",
                "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(("{\"title\":\"Chunked item\","
                                + "\"stage\":\"define\",\"category\":\"intake_prompts\",\"impact\":2,\"effort\":1,"
                                + "\"ownerRole\":\"mission-owner\"}")
                        .getBytes(StandardCharsets.UTF_8))));
        assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
    }
}
