package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.IntegrationTest;
import io.controlplane.incident.IncidentService;
import io.controlplane.platform.ApiAccess;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Roles;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Slack's Acknowledge button end to end through the controller: the signature first, then once per signed request
 * (replays refused, remembered in the database), then only from a Slack user mapped to a person who may acknowledge —
 * the acknowledgement names that person. Real incidents, the real replay table and the demo users' groups.
 */
@IntegrationTest
class SlackInteractionControllerTest {
    private static final String SECRET = "signing-secret-for-tests";
    private static final long NOW = 1_760_000_000L;
    /** Slack user ids of this test's mapping: oc (operations command, on call), mo (a mission owner), a deleted user. */
    private static final String OC = "U0TESTOC01";

    private static final String MO = "U0TESTMO01";
    private static final String GHOST = "U0TESTGH01";
    private static final String STRANGER = "U0STRANGER";

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Autowired
    IncidentService realIncidents;

    @Autowired
    IdentityService identity;

    @Autowired
    io.controlplane.JourneyDriver drive;

    @Autowired
    SlackDecisions decisions;

    /** What the controller asked of the incident feature, for the tests without a real incident. */
    private final List<String> acknowledged = new ArrayList<>();

    private boolean incidentOpen = true;
    private final IncidentAcknowledgements incidents = (id, by, via) -> {
        acknowledged.add(id + " by " + by + " via " + via);
        return incidentOpen;
    };

    @BeforeEach
    void forgetEarlierRequests() {
        // the tests sign the same bodies at the same fixed instant: each starts with nothing remembered
        jdbc.getJdbcOperations().update("DELETE FROM slack_replays");
    }

    private SlackPeople people() {
        return new SlackPeople(
                Map.of(OC, "oc", MO.toLowerCase(), "mo", GHOST, "nobody-any-more"),
                person -> identity.createUserQuery().userId(person).count() == 0
                        ? List.of()
                        : identity.createGroupQuery().groupMember(person).list().stream()
                                .map(g -> g.getId())
                                .toList(),
                ApiAccess.groupsAllowed(SlackPeopleConfiguration.ACKNOWLEDGE));
    }

    private SlackInteractionController controller(String secret, IncidentAcknowledgements to) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
        return new SlackInteractionController(
                new SlackRequestVerifier(secret, clock),
                () -> to,
                new ObjectMapper(),
                people(),
                new SlackReplays(jdbc, clock),
                decisions);
    }

    private SlackInteractionController controller(String secret) {
        return controller(secret, incidents);
    }

    private static String press(String slackUser, String incidentId) {
        return "{\"type\":\"block_actions\",\"user\":{\"id\":\"" + slackUser
                + "\",\"username\":\"ana.ops\",\"name\":\"ana\"},"
                + "\"actions\":[{\"type\":\"button\",\"action_id\":\"acknowledge_incident\",\"value\":\"" + incidentId
                + "\"}]}";
    }

    private static final String PRESS = press(OC, "inc-42");

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

    /** An open incident of the real incident feature. */
    private String openIncident() {
        String mission =
                drive.start("mo", io.controlplane.JourneyDriver.brief("Slack acknowledgement " + UUID.randomUUID()));
        return realIncidents.open("oauth_drift", mission, "PREPARE", "low", "Slack test incident", null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> body(ResponseEntity<?> response) {
        return (Map<String, String>) response.getBody();
    }

    @Test
    void theMappedOnCallPersonAcknowledgesAndTheAcknowledgementNamesThatPerson() throws Exception {
        String incident = openIncident();

        ResponseEntity<?> response = controller(SECRET, realIncidents).interaction(signed(form(press(OC, incident))));

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(body(response)).containsEntry("text", "Incident " + incident + " acknowledged by oc");
        IncidentService.Incident now = realIncidents.get(incident);
        assertThat(now.status()).isEqualTo(IncidentService.ACKNOWLEDGED);
        assertThat(now.acknowledgedBy()).as("the person, not the Slack name").isEqualTo("oc");
        assertThat(now.acknowledgedVia()).isEqualTo("slack");
    }

    @Test
    void anUnmappedSlackUserIsRefusedEphemerallyAndTheIncidentIsUnchanged() throws Exception {
        String incident = openIncident();

        ResponseEntity<?> response =
                controller(SECRET, realIncidents).interaction(signed(form(press(STRANGER, incident))));

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(body(response)).containsEntry("response_type", "ephemeral");
        assertThat(body(response).get("text")).contains(STRANGER, "not linked", incident + " is unchanged");
        IncidentService.Incident now = realIncidents.get(incident);
        assertThat(now.status()).isEqualTo(IncidentService.OPEN);
        assertThat(now.acknowledgedBy()).isNull();
    }

    @Test
    void aMappedPersonWhoMayNotAcknowledgeIsRefused() throws Exception {
        String incident = openIncident();
        assertThat(identity.createGroupQuery().groupMember("mo").list())
                .extracting(g -> g.getId())
                .containsExactly(Roles.MISSION_OWNER);

        // ids compare case-insensitively (environment variables arrive lower-cased)
        ResponseEntity<?> owner = controller(SECRET, realIncidents).interaction(signed(form(press(MO, incident))));
        ResponseEntity<?> ghost = controller(SECRET, realIncidents).interaction(signed(form(press(GHOST, incident))));

        assertThat(body(owner)).containsEntry("response_type", "ephemeral");
        assertThat(body(owner).get("text")).contains("mo may not acknowledge", "operations-command", "is unchanged");
        assertThat(body(ghost)).containsEntry("response_type", "ephemeral");
        assertThat(body(ghost).get("text")).contains("nobody-any-more may not acknowledge");
        IncidentService.Incident now = realIncidents.get(incident);
        assertThat(now.status()).isEqualTo(IncidentService.OPEN);
        assertThat(now.acknowledgedBy()).isNull();
    }

    @Test
    void theSameSignedRequestTwiceIsRefusedTheSecondTimeAndAcknowledgesOnce() throws Exception {
        String incident = openIncident();
        byte[] body = form(press(OC, incident));
        MockHttpServletRequest first = signed(body);
        MockHttpServletRequest again = request(
                body,
                first.getHeader(SlackRequestVerifier.TIMESTAMP_HEADER),
                first.getHeader(SlackRequestVerifier.SIGNATURE_HEADER));
        List<String> calls = new ArrayList<>();
        IncidentAcknowledgements counting = (id, by, via) -> {
            calls.add(id + " by " + by);
            return realIncidents.acknowledge(id, by, via);
        };

        ResponseEntity<?> accepted = controller(SECRET, counting).interaction(first);
        // another node sharing the database: a controller of its own, the same table
        ResponseEntity<?> replayed = controller(SECRET, counting).interaction(again);

        assertThat(accepted.getStatusCode().value()).isEqualTo(200);
        assertThat(replayed.getStatusCode().value()).isEqualTo(409);
        assertThat(replayed.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(((ProblemDetail) replayed.getBody()).getDetail()).contains("received before", "nothing was changed");
        assertThat(calls).containsExactly(incident + " by oc");
        assertThat(realIncidents.get(incident).acknowledgedBy()).isEqualTo("oc");
    }

    @Test
    void rememberedSignaturesArePrunedOnceTheirWindowHasPassed() {
        SlackReplays now = new SlackReplays(jdbc, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        assertThat(now.firstTime("v0=aaa", NOW)).isTrue();
        assertThat(now.firstTime("v0=aaa", NOW)).isFalse();
        assertThat(now.firstTime("v0=bbb", NOW)).isTrue();
        // ten minutes later the verifier refuses these timestamps anyway: the table forgets them
        SlackReplays later = new SlackReplays(jdbc, Clock.fixed(Instant.ofEpochSecond(NOW + 600), ZoneOffset.UTC));
        assertThat(later.firstTime("v0=ccc", NOW + 600)).isTrue();
        assertThat(later.remembered()).isEqualTo(1);
    }

    @Test
    void aPressOnAnIncidentNoLongerOpenSaysSo() throws Exception {
        incidentOpen = false;

        ResponseEntity<?> response = controller(SECRET).interaction(signed(form(PRESS)));

        assertThat(acknowledged).containsExactly("inc-42 by oc via slack");
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
    void aStaleRequestIsRefused() throws Exception {
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
    void aButtonThisServiceNeverOfferedIsRefusedEphemerally() throws Exception {
        String unknown = PRESS.replace("acknowledge_incident", "resolve_incident");

        ResponseEntity<?> response = controller(SECRET).interaction(signed(form(unknown)));

        assertThat(body(response)).containsEntry("response_type", "ephemeral");
        assertThat(body(response).get("text")).contains("resolve_incident", "not one the control plane offers");
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void otherInteractionsAreAnsweredWithAnEmptyObject() throws Exception {
        String cockpitClick = PRESS.replace("acknowledge_incident", "open_cockpit");
        String shortcut = "{\"type\":\"shortcut\",\"callback_id\":\"x\",\"user\":{\"id\":\"U0ANA0001\"}}";

        assertThat(controller(SECRET).interaction(signed(form(cockpitClick))).getBody())
                .isEqualTo(Map.of());
        assertThat(controller(SECRET).interaction(signed(form(shortcut))).getBody())
                .isEqualTo(Map.of());
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void aSignedBodyWithoutAPayloadIsABadRequest() {
        byte[] body = "text=hello".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> controller(SECRET).interaction(signed(body)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("payload"));
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void withoutTheIncidentFeatureAPressIsAnsweredAsUnavailable() throws Exception {
        assertThat(controller(SECRET, null)
                        .interaction(signed(form(PRESS)))
                        .getStatusCode()
                        .value())
                .isEqualTo(503);
    }
}
