package io.controlplane.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * A local Slack: a real HTTP server (WireMock) serving the Web API methods the service calls — chat.postMessage,
 * chat.update, chat.postEphemeral, views.open — and recording every call; and the other direction, Slack's
 * interaction requests (block actions, view submissions) built from payloads shaped as Slack sends them
 * ({@code src/test/resources/slack/}), signed with the signing secret as Slack signs them.
 */
final class SlackStandIn implements AutoCloseable {
    static final String CHANNEL_ID = "C0OPS00001";
    static final String TS = "1760000000.000100";
    private final WireMockServer server = new WireMockServer(options().dynamicPort());
    private final String secret;

    SlackStandIn(String secret) {
        this.secret = secret;
        server.start();
        server.stubFor(post("/api/chat.postMessage")
                .willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL_ID + "\",\"ts\":\"" + TS + "\"}")));
        server.stubFor(post("/api/chat.update")
                .willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL_ID + "\",\"ts\":\"" + TS + "\"}")));
        server.stubFor(post("/api/chat.postEphemeral").willReturn(okJson("{\"ok\":true,\"message_ts\":\"1.2\"}")));
        server.stubFor(post("/api/views.open").willReturn(okJson("{\"ok\":true,\"view\":{\"id\":\"V0MODAL001\"}}")));
    }

    String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    /** {@code method} answers HTTP 500 the first {@code times} calls, then as before. */
    void failFirst(String method, int times) {
        String scenario = method + "-failing";
        for (int i = 0; i < times; i++) {
            server.stubFor(post("/api/" + method)
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i)
                    .willReturn(serverError())
                    .willSetStateTo("failed-" + (i + 1)));
        }
        server.stubFor(post("/api/" + method)
                .inScenario(scenario)
                .whenScenarioStateIs("failed-" + times)
                .willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL_ID + "\",\"ts\":\"" + TS + "\"}")));
    }

    /** The form bodies of every call of {@code method}, oldest first. */
    List<Map<String, String>> calls(String method) {
        return server.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
                .map(r -> TestNotifications.form(r.getBodyAsString()))
                .toList();
    }

    /** Waits (at most 10 s) until {@code method} was called {@code count} times; the updates run in the background. */
    List<Map<String, String>> awaitCalls(String method, int count) throws InterruptedException {
        for (int i = 0; i < 200 && calls(method).size() < count; i++) {
            Thread.sleep(50);
        }
        return calls(method);
    }

    /** A press of a button of a posted message. */
    static String blockActions(String user, String actionId, String value, String triggerId) {
        return template("block_actions.json")
                .replace("${user}", user)
                .replace("${action}", actionId)
                .replace("${value}", value)
                .replace("${trigger}", triggerId)
                .replace("${ts}", TS);
    }

    /** The submission of the decision modal; {@code note} may be {@code null}. */
    static String viewSubmission(String user, String privateMetadata, String note, boolean confirmed) {
        return template("view_submission.json")
                .replace("${user}", user)
                .replace("${trigger}", "trigger-submit")
                .replace("${metadata}", privateMetadata)
                .replace("${note}", note == null ? "null" : "\"" + note.replace("\"", "\\\"") + "\"")
                .replace(
                        "${confirmed}",
                        confirmed
                                ? "[{\"text\":{\"type\":\"plain_text\",\"text\":\"I have read\"},"
                                        + "\"value\":\"confirmed\"}]"
                                : "[]");
    }

    /** Slack's request: the form body {@code payload=…}, signed now with the secret. */
    MockHttpServletRequest signed(String payloadJson) {
        return signed(payloadJson, Clock.systemUTC().instant().getEpochSecond(), secret);
    }

    static MockHttpServletRequest signed(String payloadJson, long timestamp, String secret) {
        byte[] body =
                ("payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(timestamp);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", SlackInteractionController.PATH);
        request.setContentType(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
        request.setContent(body);
        request.addHeader(SlackRequestVerifier.TIMESTAMP_HEADER, ts);
        request.addHeader(
                SlackRequestVerifier.SIGNATURE_HEADER,
                new SlackRequestVerifier(secret, Clock.systemUTC()).sign(ts, body));
        return request;
    }

    private static String template(String name) {
        try (InputStream in = SlackStandIn.class.getResourceAsStream("/slack/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
