package io.controlplane.notify;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Checkpoint decisions from Slack end to end: the real journey posts its waiting checkpoints (the queued deliveries,
 * delivered to a local Slack stand-in that records every Web API call), and Slack's interaction requests — block
 * actions and view submissions shaped as Slack sends them, signed — go through the real controller, the real engine,
 * its guard and governance's checkpoint rules. Nothing about who may decide is simulated.
 */
@IntegrationTest
class SlackDecisionsTest {
    private static final String SECRET = "stand-in-signing-secret";
    private static final Instant NOON =
            LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
    private static final String GV = "U0SLACKGV1";
    private static final String GV2 = "U0SLACKGV2";
    private static final String OC = "U0SLACKOC1";
    private static final String MO = "U0SLACKMO1";
    private static final String DUAL = "U0SLACKDU1";
    private static final String STRANGER = "U0STRANGER";

    @Autowired
    JourneyDriver drive;

    @Autowired
    TaskService tasks;

    @Autowired
    IdentityService identity;

    @Autowired
    HistoryService history;

    @Autowired
    RuntimeService runtime;

    @Autowired
    ApprovalStore approvals;

    @Autowired
    MissionStore missions;

    @Autowired
    SlackOffers offers;

    @Autowired
    NotificationLog notificationLog;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> delivered = new HashSet<>();
    private SlackStandIn slack;
    private SlackNotifier notifier;
    private SlackDecisions decisions;
    private SlackInteractionController controller;
    private Notifications notifications;

    @BeforeEach
    void start() {
        slack = new SlackStandIn(SECRET);
        notifier = new SlackNotifier(
                "xoxb-stand-in", "#control-plane-ops", slack.apiUrl(), TestNotifications.COCKPIT, d -> {});
        SlackPeople people = new SlackPeople(
                Map.of(GV, "gv", GV2, "gv2", OC, "oc", MO, "mo", DUAL, "dual"),
                // the groups the journey driver acts with (dual: governance and operations, two roles, one person)
                person -> JourneyDriver.GROUPS.getOrDefault(person, List.of()),
                Set.of());
        decisions = new SlackDecisions(
                notifier, offers, people, tasks, identity, history, approvals, missions, json, Duration.ofMillis(20));
        controller = new SlackInteractionController(
                new SlackRequestVerifier(SECRET, Clock.systemUTC()),
                () -> null,
                json,
                people,
                new SlackReplays(jdbc),
                decisions);
        notifications = new Notifications(
                notifier,
                TestNotifications.pagerDutyOff(),
                TestNotifications.emailOff(),
                notificationLog,
                Clock.systemUTC(),
                offers);
    }

    @AfterEach
    void stop() throws Exception {
        decisions.stop();
        notifier.close();
        slack.close();
    }

    /** Delivers the mission's queued checkpoint posts to the stand-in, as the notification-delivery job would. */
    private void deliver(String missionId) throws Exception {
        for (var pi : runtime.createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey(missionId)
                .list()) {
            JsonNode payload = drive.json().read(runtime.getVariable(pi.getId(), Runbooks.Vars.DELIVERY_PAYLOAD));
            Notification n = drive.json().mapper().treeToValue(payload.get("notification"), Notification.class);
            if (n.offer() != null && delivered.add(pi.getId())) {
                notifications.slack(n);
            }
        }
    }

    /** The buttons of the last post offering {@code taskId}: action id → value. */
    private Map<String, String> buttons(String taskId) throws Exception {
        List<Map<String, String>> posts = slack.calls("chat.postMessage");
        for (int i = posts.size() - 1; i >= 0; i--) {
            Map<String, String> post = posts.get(i);
            Map<String, String> buttons = new LinkedHashMap<>();
            for (JsonNode block : json.readTree(post.get("blocks"))) {
                for (JsonNode element : block.path("elements")) {
                    buttons.put(
                            element.path("action_id").asText(),
                            element.path("value").asText(null));
                }
            }
            if (buttons.containsValue(taskId)) {
                return buttons;
            }
        }
        throw new AssertionError("No post offers task " + taskId);
    }

    private ResponseEntity<?> send(MockHttpServletRequest request) throws Exception {
        return controller.interaction(request);
    }

    private ResponseEntity<?> press(String user, String decision, String taskId) throws Exception {
        return send(slack.signed(SlackStandIn.blockActions(
                user, SlackNotifier.DECISION_ACTION_PREFIX + decision, taskId, "trigger-" + UUID.randomUUID())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(ResponseEntity<?> response) {
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return (Map<String, Object>) response.getBody();
    }

    private static String text(ResponseEntity<?> response) {
        return String.valueOf(body(response).get("text"));
    }

    private Task task(String missionId, String key) {
        return drive.task(missionId, key);
    }

    private String atPacketReview(String title) {
        String id = drive.start("mo", JourneyDriver.brief(title + " " + UUID.randomUUID()));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible"));
        return id;
    }

    @Test
    void theIntentIsApprovedFromSlackThroughItsModalAsTheMappedPersonUnderTasklistsRules() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Slack intent " + UUID.randomUUID()));
        deliver(id);
        String taskId = task(id, Elements.INTENT_CONFIRMATION).getId();
        assertThat(buttons(taskId))
                .containsEntry("checkpoint_decision_approve", taskId)
                .containsEntry("checkpoint_decision_request_changes", taskId);

        // the owner is no governance validator: refused before any modal, ephemerally, nothing changes
        ResponseEntity<?> owner = press(MO, "approve", taskId);
        assertThat(body(owner)).containsEntry("response_type", "ephemeral");
        assertThat(text(owner)).contains("mo is not in governance-validator", "nothing was changed");
        assertThat(slack.awaitCalls("chat.postEphemeral", 1)).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("user", MO).containsEntry("channel", SlackStandIn.CHANNEL_ID);
            assertThat(e.get("text")).contains("mo is not in governance-validator");
        });
        assertThat(slack.calls("views.open")).isEmpty();

        // the validator: the modal, with the safeguards' acknowledgement the form asks for
        assertThat(body(press(GV, "approve", taskId))).isEmpty();
        Map<String, String> open = slack.calls("views.open").get(0);
        assertThat(open.get("trigger_id")).startsWith("trigger-");
        JsonNode view = json.readTree(open.get("view"));
        assertThat(view.path("callback_id").asText()).isEqualTo("checkpoint_decision");
        assertThat(view.path("private_metadata").asText()).isEqualTo(taskId + " approve");
        assertThat(view.toString()).contains("confirm_input", "note_input", "acknowledge");

        // submitted without the acknowledgement: governance refuses, shown in the modal
        ResponseEntity<?> unticked =
                send(slack.signed(SlackStandIn.viewSubmission(GV, taskId + " approve", null, false)));
        assertThat(body(unticked)).containsEntry("response_action", "errors");
        assertThat(body(unticked).get("errors").toString()).contains("safeguards");
        assertThat(task(id, Elements.INTENT_CONFIRMATION)).as("still open").isNotNull();

        MockHttpServletRequest submit = slack.signed(
                SlackStandIn.viewSubmission(GV, taskId + " approve", "Safeguards read, brief is clear", true));
        String timestamp = submit.getHeader(SlackRequestVerifier.TIMESTAMP_HEADER);
        String signature = submit.getHeader(SlackRequestVerifier.SIGNATURE_HEADER);
        byte[] bytes = submit.getContentAsByteArray();
        assertThat(body(send(submit))).containsEntry("response_action", "clear");

        assertThat(task(id, Elements.INTENT_CONFIRMATION)).as("decided").isNull();
        assertThat(approvals.forMission(id))
                .filteredOn(a -> a.checkpoint().equals(Elements.INTENT_CONFIRMATION))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.decidedBy()).isEqualTo("gv");
                    assertThat(a.role()).isEqualTo("governance-validator");
                    assertThat(a.decision()).isEqualTo("approve");
                    assertThat(a.comment()).isEqualTo("Safeguards read, brief is clear");
                });
        // the post, updated in place
        assertThat(slack.awaitCalls("chat.update", 1)).singleElement().satisfies(u -> {
            assertThat(u).containsEntry("channel", SlackStandIn.CHANNEL_ID).containsEntry("ts", SlackStandIn.TS);
            assertThat(u.get("text")).contains("Intent Confirmation: Approve by gv");
            assertThat(u.get("blocks")).doesNotContain("checkpoint_decision_");
        });

        // the same signed submission again: a replay
        MockHttpServletRequest replay = new MockHttpServletRequest("POST", SlackInteractionController.PATH);
        replay.setContent(bytes);
        replay.addHeader(SlackRequestVerifier.TIMESTAMP_HEADER, timestamp);
        replay.addHeader(SlackRequestVerifier.SIGNATURE_HEADER, signature);
        ResponseEntity<?> replayed = send(replay);
        assertThat(replayed.getStatusCode().value()).isEqualTo(409);
        assertThat(((ProblemDetail) replayed.getBody()).getDetail()).contains("received before");

        // a too-late press by another validator, and a too-late submission
        ResponseEntity<?> late = press(GV2, "approve", taskId);
        assertThat(text(late)).contains("Intent Confirmation was already decided by gv (Approve)");
        ResponseEntity<?> lateForm =
                send(slack.signed(SlackStandIn.viewSubmission(GV2, taskId + " request_changes", "too late", false)));
        assertThat(body(lateForm).get("errors").toString()).contains("already decided by gv");
        assertThat(approvals.forMission(id))
                .filteredOn(a -> a.checkpoint().equals(Elements.INTENT_CONFIRMATION))
                .hasSize(1);
    }

    @Test
    void packetCoSignaturesFromSlackKeepSegregationOfDutiesAndAnythingNotOfferedIsRefused() throws Exception {
        String id = atPacketReview("Slack packet");
        deliver(id);
        String governance = task(id, Elements.PACKET_REVIEW_GOVERNANCE).getId();
        String operations = task(id, Elements.PACKET_REVIEW_OPERATIONS).getId();
        String hooks = task(id, Elements.TELEMETRY_HOOKS_VERIFICATION).getId();
        assertThat(buttons(governance)).containsKeys("checkpoint_decision_approve", "checkpoint_decision_reject");
        slack.failFirst("chat.update", 2);

        // approving needs no note: the press decides
        assertThat(text(press(DUAL, "approve", governance)))
                .isEqualTo("Approval Packet Review (Governance): Approve by dual (from Slack).");
        assertThat(task(id, Elements.PACKET_REVIEW_GOVERNANCE)).isNull();
        // Slack failed twice: the update is retried, the decision stood all along
        assertThat(slack.awaitCalls("chat.update", 3)).hasSize(3);

        // the same person cannot co-sign twice: refused, the task stays open, no row is written
        int rows = approvals.forMission(id).size();
        ResponseEntity<?> again = press(DUAL, "approve", operations);
        assertThat(body(again)).containsEntry("response_type", "ephemeral");
        assertThat(text(again)).contains("dual already co-signed this approval packet", "Nothing was changed");
        assertThat(task(id, Elements.PACKET_REVIEW_OPERATIONS)).isNotNull();
        assertThat(approvals.forMission(id)).hasSize(rows);

        // not a checkpoint offered in Slack (telemetry hooks), an unknown decision, an unknown button, a stranger
        assertThat(text(press(OC, "verified", hooks))).contains("is not a checkpoint offered in Slack");
        assertThat(text(press(OC, "delete_everything", operations))).contains("has no decision 'delete_everything'");
        assertThat(text(send(slack.signed(SlackStandIn.blockActions(OC, "escalate_to_admin", operations, "t")))))
                .contains("not one the control plane offers");
        assertThat(text(press(STRANGER, "approve", operations))).contains("not linked");
        // forged and stale requests never get as far
        String payload = SlackStandIn.blockActions(OC, "checkpoint_decision_approve", operations, "t");
        long now = Clock.systemUTC().instant().getEpochSecond();
        assertThat(send(SlackStandIn.signed(payload, now, "not-the-secret"))
                        .getStatusCode()
                        .value())
                .isEqualTo(401);
        assertThat(send(SlackStandIn.signed(payload, now - 600, SECRET))
                        .getStatusCode()
                        .value())
                .isEqualTo(401);
        assertThat(task(id, Elements.PACKET_REVIEW_OPERATIONS)).isNotNull();
        assertThat(task(id, Elements.TELEMETRY_HOOKS_VERIFICATION)).isNotNull();
        assertThat(approvals.forMission(id)).hasSize(rows);

        assertThat(text(press(OC, "approve", operations))).contains("Approve by oc");
        assertThat(approvals.forMission(id))
                .filteredOn(a -> a.checkpoint().equals(Elements.PACKET_REVIEW_OPERATIONS))
                .extracting(ApprovalStore.Approval::decidedBy)
                .containsExactly("oc");
    }

    @Test
    void aSafeguardViolationIsResumedFromSlackWithTheRequiredNote() throws Exception {
        String id = atPacketReview("Slack violation");
        drive.coSign(id, "gv", "oc");
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Your results are guaranteed!"));
        Task decision = tasks.createTaskQuery()
                .processInstanceBusinessKey(id)
                .taskDefinitionKey(Runbooks.Elements.VIOLATION_DECISION)
                .singleResult();
        deliver(id);
        assertThat(buttons(decision.getId()))
                .containsKeys(
                        "checkpoint_decision_resume", "checkpoint_decision_rollback", "checkpoint_decision_abort");

        assertThat(body(press(GV2, "resume", decision.getId()))).isEmpty();
        JsonNode view = json.readTree(slack.calls("views.open").get(0).get("view"));
        assertThat(view.path("private_metadata").asText()).isEqualTo(decision.getId() + " resume");
        assertThat(view.toString()).contains("Reason (required)").doesNotContain("confirm_input");

        // the note is required: an empty one is refused by the checkpoint's own rule
        ResponseEntity<?> empty =
                send(slack.signed(SlackStandIn.viewSubmission(GV2, decision.getId() + " resume", null, false)));
        assertThat(body(empty).get("errors").toString()).contains("violationNote", "required");
        assertThat(tasks.createTaskQuery().taskId(decision.getId()).count()).isEqualTo(1);

        assertThat(body(send(slack.signed(SlackStandIn.viewSubmission(
                        GV2, decision.getId() + " resume", "False positive: quoted customer", false)))))
                .containsEntry("response_action", "clear");
        assertThat(approvals.forMission(id))
                .filteredOn(a -> a.checkpoint().equals(Runbooks.Elements.VIOLATION_DECISION))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.decidedBy()).isEqualTo("gv2");
                    assertThat(a.decision()).isEqualTo("resume");
                    assertThat(a.comment()).isEqualTo("False positive: quoted customer");
                });
        assertThat(tasks.createTaskQuery().taskId(decision.getId()).count())
                .as("decided")
                .isZero();
    }

    @Test
    void aRedPlayIsConfirmedFromSlackOnlyByAThirdPerson() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Slack red play " + UUID.randomUUID()));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("high/irreversible"));
        drive.coSign(id, "gv", "oc");
        Task confirmation = task(id, Elements.RED_PLAY_CONFIRMATION);
        assertThat(confirmation).as("the play is graded red").isNotNull();
        deliver(id);
        assertThat(buttons(confirmation.getId()))
                .containsKeys("checkpoint_decision_confirm", "checkpoint_decision_reject");

        // a co-signer of the round may not confirm its red plays: refused in Slack, nothing changes
        int rows = approvals.forMission(id).size();
        ResponseEntity<?> coSigner = press(OC, "confirm", confirmation.getId());
        assertThat(body(coSigner)).containsEntry("response_type", "ephemeral");
        assertThat(text(coSigner)).contains("red plays need a second confirmation", "Nothing was changed");
        assertThat(task(id, Elements.RED_PLAY_CONFIRMATION)).isNotNull();
        assertThat(approvals.forMission(id)).hasSize(rows);
        // nor the mission's owner
        assertThat(text(press(MO, "confirm", confirmation.getId()))).contains("Nothing was changed");

        // a third person confirms with one press (confirming needs no note)
        // the button says Approve (the wording for a waiting checkpoint); the decision recorded is the form's
        assertThat(text(press(GV2, "confirm", confirmation.getId()))).contains("Approve by gv2");
        assertThat(task(id, Elements.RED_PLAY_CONFIRMATION)).isNull();
        assertThat(approvals.forMission(id))
                .filteredOn(a -> a.checkpoint().equals(Elements.RED_PLAY_CONFIRMATION))
                .extracting(ApprovalStore.Approval::decidedBy, ApprovalStore.Approval::decision)
                .containsExactly(tuple("gv2", "confirm"));
        // a press after the decision is told who decided
        assertThat(text(press(OC, "confirm", confirmation.getId()))).contains("already decided by gv2");
    }

    @Test
    void aCoverageOverrideIsApprovedFromSlackOnlyBySomeoneOtherThanItsRequester() throws Exception {
        String id = drive.start("mo", JourneyDriver.brief("Slack override " + UUID.randomUUID()));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(70));
        drive.complete(
                id,
                Runbooks.Elements.GAP_DECISION,
                "gv",
                Map.of(Vars.COVERAGE_DECISION, "override", Vars.COVERAGE_COMMENT, "the missing accounts are archived"));
        Task approval = tasks.createTaskQuery()
                .processInstanceBusinessKey(id)
                .taskDefinitionKey(Runbooks.Elements.OVERRIDE_SECOND_APPROVAL)
                .singleResult();
        assertThat(approval).as("the override waits for its second approval").isNotNull();
        deliver(id);
        assertThat(buttons(approval.getId())).containsKeys("checkpoint_decision_approve", "checkpoint_decision_reject");

        // the person who requested the override cannot approve it
        ResponseEntity<?> requester = press(GV, "approve", approval.getId());
        assertThat(text(requester)).contains("who requested it", "Nothing was changed");
        assertThat(tasks.createTaskQuery().taskId(approval.getId()).count()).isEqualTo(1);

        assertThat(text(press(GV2, "approve", approval.getId()))).contains("Approve by gv2");
        assertThat(tasks.createTaskQuery().taskId(approval.getId()).count()).isZero();
        assertThat(approvals.forMission(id))
                .filteredOn(a -> a.checkpoint().equals(Runbooks.Elements.OVERRIDE_SECOND_APPROVAL))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.decidedBy()).isEqualTo("gv2");
                    assertThat(a.decision()).isEqualTo("approve");
                });
    }
}
