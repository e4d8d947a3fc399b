package io.controlplane.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.governance.Checkpoint;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionStore;
import io.controlplane.notify.SlackDecisionChecks.Checked;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checkpoint decisions from Slack's buttons and modals, under the same rules as Tasklist: the press names a task and
 * a decision and nothing else counts — the task must be one the service offered in Slack ({@link SlackOffers}), still
 * open, and the decision one its checkpoint accepts; the Slack user must be mapped to a person ({@link SlackPeople}).
 * The completion then runs as that person, with their groups, through {@link TaskService#complete} — the call
 * Tasklist's form submission ends in — so the step contract (the engine guard), the candidate-group check and
 * segregation of duties ({@code governance.CheckpointDecisions}) judge it, unchanged: this class decides nothing about
 * who may decide. A refusal answers in Slack (an ephemeral message, or the modal's error) and changes nothing.
 *
 * <p>A decision that needs a note (or, for approving the intent, the safeguards' acknowledgement) opens a modal first
 * (views.open); its submission carries the task id and the decision in {@code private_metadata} and is checked again
 * in full, since the task may have been decided meanwhile. After a decision the post is updated in place
 * (chat.update) to show who decided what — in the background, retried, logged if Slack keeps failing: the decision
 * is committed before, and Slack gets its answer within its 3 s.
 */
@Component
class SlackDecisions {
    static final String VIEW_CALLBACK = "checkpoint_decision";
    static final String NOTE_BLOCK = "note";
    static final String NOTE_ACTION = "note_input";
    static final String CONFIRM_BLOCK = "confirm";
    static final String CONFIRM_ACTION = "confirm_input";
    static final String CONFIRMED = "confirmed";
    /** chat.update attempts after a decision, and the wait before the n-th retry (1 s, 4 s, 9 s …). */
    static final int UPDATE_ATTEMPTS = 4;

    private static final Logger log = LoggerFactory.getLogger(SlackDecisions.class);

    private final SlackNotifier slack;
    private final SlackDecisionChecks checks;
    private final SlackDecisionModal modal;
    private final SlackPostUpdates posts;

    @Autowired
    SlackDecisions(
            SlackNotifier slack,
            SlackOffers offers,
            SlackPeople people,
            TaskService tasks,
            IdentityService identity,
            HistoryService history,
            ApprovalStore approvals,
            MissionStore missions,
            ObjectMapper json) {
        this(slack, offers, people, tasks, identity, history, approvals, missions, json, Duration.ofSeconds(1));
    }

    SlackDecisions(
            SlackNotifier slack,
            SlackOffers offers,
            SlackPeople people,
            TaskService tasks,
            IdentityService identity,
            HistoryService history,
            ApprovalStore approvals,
            MissionStore missions,
            ObjectMapper json,
            Duration retryUnit) {
        this.slack = slack;
        this.checks = new SlackDecisionChecks(people, offers, tasks, identity, history, approvals);
        this.modal = new SlackDecisionModal(missions, json);
        this.posts = new SlackPostUpdates(slack, missions, retryUnit);
    }

    @PreDestroy
    void stop() {
        posts.stop();
    }

    /** What to answer Slack: the HTTP body, and whether it is a refusal (for the log and the tests). */
    record Answer(Map<String, Object> body, boolean refused) {}

    /** Whether an action id is one of the decision buttons. */
    static boolean isDecision(String actionId) {
        return actionId != null
                && actionId.startsWith(SlackNotifier.DECISION_ACTION_PREFIX)
                && actionId.length() > SlackNotifier.DECISION_ACTION_PREFIX.length();
    }

    /** A {@code block_actions} press of a decision button. */
    Answer press(JsonNode payload, JsonNode action) {
        String slackUser = payload.path("user").path("id").asText();
        String channel = payload.path("channel").path("id").asText(null);
        String taskId = action.path("value").asText();
        String decision = action.path("action_id").asText().substring(SlackNotifier.DECISION_ACTION_PREFIX.length());
        Checked checked = checks.check(slackUser, taskId, decision);
        if (checked.refusal() != null) {
            return refuse(slackUser, channel, checked, taskId, decision);
        }
        Checkpoint checkpoint = checked.checkpoint();
        if (checkpoint.noteRequired(decision)
                || checkpoint.confirmationFor(decision).isPresent()) {
            return openModal(payload, checked, channel, decision);
        }
        String refusal = checks.complete(checked, decision, null, false);
        return refusal == null
                ? decided(checked, decision)
                : refuse(slackUser, channel, checked.refused(refusal), taskId, decision);
    }

    /** A press of a decision that needs a note or a confirmation: the modal, if the person may decide at all. */
    private Answer openModal(JsonNode payload, Checked checked, String channel, String decision) {
        String slackUser = payload.path("user").path("id").asText();
        String taskId = checked.task().getId();
        String outsider = checks.outsideCandidateGroups(checked);
        if (outsider != null) {
            return refuse(slackUser, channel, checked.refused(outsider), taskId, decision);
        }
        try {
            slack.openView(payload.path("trigger_id").asText(), modal.view(checked, decision));
        } catch (RuntimeException e) {
            log.warn(
                    "Could not open the {} form for task {} in Slack: {}",
                    checked.checkpoint().displayName(),
                    taskId,
                    e.toString());
            return refuse(
                    slackUser,
                    channel,
                    Checked.refusal("Slack could not open the form (" + e.getMessage()
                            + "); nothing was decided. Decide in Tasklist, or press again."),
                    taskId,
                    decision);
        }
        log.info(
                "Slack user {} ({}) opened the {} form of task {} for '{}'",
                slackUser,
                checked.person(),
                checked.checkpoint().displayName(),
                taskId,
                decision);
        return new Answer(Map.of(), false);
    }

    /** A {@code view_submission} of the decision modal. */
    Answer submit(JsonNode payload) {
        String slackUser = payload.path("user").path("id").asText();
        String[] metadata =
                payload.path("view").path("private_metadata").asText().split(" ", 2);
        String taskId = metadata[0];
        String decision = metadata.length > 1 ? metadata[1] : "";
        JsonNode values = payload.path("view").path("state").path("values");
        String note = values.path(NOTE_BLOCK).path(NOTE_ACTION).path("value").asText(null);
        boolean confirmed = false;
        for (JsonNode option : values.path(CONFIRM_BLOCK).path(CONFIRM_ACTION).path("selected_options")) {
            confirmed |= CONFIRMED.equals(option.path("value").asText());
        }
        Checked checked = checks.check(slackUser, taskId, decision);
        String refusal =
                checked.refusal() != null ? checked.refusal() : checks.complete(checked, decision, note, confirmed);
        if (refusal != null) {
            log.warn(
                    "Refused the Slack decision form of Slack user {} on task {} ('{}'): {}",
                    slackUser,
                    taskId,
                    decision,
                    refusal);
            if (checked.alreadyDecided()) {
                posts.updateLater(checked.offer(), refusal);
            }
            // shown in the modal, under the note: the person can correct it, or close the modal
            return new Answer(
                    Map.of(
                            "response_action",
                            "errors",
                            "errors",
                            Map.of(NOTE_BLOCK, NotificationText.truncate(refusal, 2000))),
                    true);
        }
        decided(checked, decision);
        return new Answer(Map.of("response_action", "clear"), false);
    }

    private Answer decided(Checked checked, String decision) {
        String text = checked.checkpoint().displayName() + ": " + SlackBlocks.label(decision) + " by "
                + checked.person() + " (from Slack).";
        posts.updateLater(checked.offer(), text);
        return new Answer(Map.of("text", text), false);
    }

    private Answer refuse(String slackUser, String channel, Checked checked, String taskId, String decision) {
        log.warn(
                "Refused a Slack decision press of Slack user {} ({}) on task {} ('{}'): {}",
                slackUser,
                checked.person(),
                NotificationText.truncate(taskId, 64),
                NotificationText.truncate(decision, 40),
                checked.refusal());
        if (checked.alreadyDecided()) {
            posts.updateLater(checked.offer(), checked.refusal());
        }
        String where = checked.offer() != null && checked.offer().channel() != null
                ? checked.offer().channel()
                : channel;
        if (slack.configured() && where != null) {
            // Slack ignores the HTTP answer to a button press: the ephemeral message is how the person learns why
            posts.tellLater(where, slackUser, checked.refusal());
        }
        return new Answer(Map.of("response_type", "ephemeral", "text", checked.refusal()), true);
    }
}
