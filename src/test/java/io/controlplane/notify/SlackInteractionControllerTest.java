package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.platform.InvalidInputException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/** Slack's Acknowledge button end to end through the controller: signature first, then the acknowledgement. */
class SlackInteractionControllerTest {
    private static final String SECRET = "signing-secret-for-tests";
    private static final long NOW = 1_760_000_000L;
    private static final String PRESS = """
            {"type":"block_actions","user":{"id":"U0ANA0001","username":"ana.ops","name":"ana"},
             "actions":[{"type":"button","action_id":"acknowledge_incident","value":"inc-42"}]}""";

    /** What the controller asked of the incident feature. */
    private final List<String> acknowledged = new ArrayList<>();
    private boolean incidentOpen = true;
    private final IncidentAcknowledgements incidents = (id, by, via) -> {
        acknowledged.add(id + " by " + by + " via " + via);
        return incidentOpen;
    };

    private SlackInteractionController controller(String secret) {
        return new SlackInteractionController(new SlackRequestVerifier(secret,
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)), () -> incidents, new ObjectMapper());
    }

    /** Slack's form body: payload=<url-encoded JSON>, with '+' for spaces as browsers and Slack encode it. */
    private static byte[] form(String payloadJson) {
        return ("payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private static MockHttpServletRequest request(byte[] body, String timestamp, String signature) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", SlackInteractionController.PATH);
        request.setContentType(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
        request.setContent(body);
        if (timestamp != null) {
            request.addHeader(SlackRequestVerifier.TIMESTAMP_HEADER, timestamp);
        }
        if (signature != null) {
            request.addHeader(SlackRequestVerifier.SIGNATURE_HEADER, signature);
        }
        return request;
    }

    private static MockHttpServletRequest signed(byte[] body) {
        String ts = Long.toString(NOW);
        return request(body, ts, new SlackRequestVerifier(SECRET, Clock.systemUTC()).sign(ts, body));
    }

    @Test
    void aSignedAcknowledgePressAcknowledgesTheIncidentAsTheSlackUser() throws Exception {
        ResponseEntity<?> response = controller(SECRET).interaction(signed(form(PRESS)));

        assertThat(acknowledged).containsExactly("inc-42 by ana.ops via slack");
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo(Map.of("text", "Incident inc-42 acknowledged by ana.ops"));
    }

    @Test
    void aPressOnAnIncidentNoLongerOpenSaysSo() throws Exception {
        incidentOpen = false;
        String byId = PRESS.replace("\"username\":\"ana.ops\",\"name\":\"ana\"", "\"team_id\":\"T1\"");

        ResponseEntity<?> response = controller(SECRET).interaction(signed(form(byId)));

        assertThat(acknowledged).containsExactly("inc-42 by U0ANA0001 via slack");
        assertThat(response.getBody()).isEqualTo(Map.of("text", "No open incident inc-42"));
    }

    @Test
    void anUnsignedRequestIsRefusedWith401AndAcknowledgesNothing() throws Exception {
        ResponseEntity<?> response = controller(SECRET).interaction(request(form(PRESS), null, null));

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(((ProblemDetail) response.getBody()).getDetail()).contains("header is missing");
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void aForgedSignatureIsRefused() throws Exception {
        String ts = Long.toString(NOW);
        String forged = new SlackRequestVerifier("not-our-secret", Clock.systemUTC()).sign(ts, form(PRESS));

        ResponseEntity<?> response = controller(SECRET).interaction(request(form(PRESS), ts, forged));

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void aReplayedRequestIsRefused() throws Exception {
        String old = Long.toString(NOW - 600);
        byte[] body = form(PRESS);
        String signature = new SlackRequestVerifier(SECRET, Clock.systemUTC()).sign(old, body);

        ResponseEntity<?> response = controller(SECRET).interaction(request(body, old, signature));

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(((ProblemDetail) response.getBody()).getDetail()).contains("5 minutes");
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void withoutASigningSecretEveryRequestIsRefused() throws Exception {
        ResponseEntity<?> response = controller("").interaction(signed(form(PRESS)));

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(((ProblemDetail) response.getBody()).getDetail()).contains("no Slack signing secret");
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void otherInteractionsAreAnsweredWithAnEmptyObject() throws Exception {
        String cockpitClick = PRESS.replace("acknowledge_incident", "open_cockpit");
        String shortcut = "{\"type\":\"shortcut\",\"callback_id\":\"x\",\"user\":{\"id\":\"U0ANA0001\"}}";

        assertThat(controller(SECRET).interaction(signed(form(cockpitClick))).getBody()).isEqualTo(Map.of());
        assertThat(controller(SECRET).interaction(signed(form(shortcut))).getBody()).isEqualTo(Map.of());
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void aSignedBodyWithoutAPayloadIsABadRequest() {
        byte[] body = "text=hello".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> controller(SECRET).interaction(signed(body)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("payload"));
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void withoutTheIncidentFeatureAPressIsAnsweredAsUnavailable() throws Exception {
        SlackInteractionController controller = new SlackInteractionController(new SlackRequestVerifier(SECRET,
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)), () -> null, new ObjectMapper());

        assertThat(controller.interaction(signed(form(PRESS))).getStatusCode().value()).isEqualTo(503);
    }
}
