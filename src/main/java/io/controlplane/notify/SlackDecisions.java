package io.controlplane.notify;

import static com.slack.api.model.block.Blocks.section;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import io.controlplane.governance.Checkpoint;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionStore;
import io.controlplane.platform.Roles;
import io.controlplane.platform.TaskNoLongerOpenException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
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
    private final SlackOffers offers;
    private final SlackPeople people;
    private final TaskService tasks;
    private final IdentityService identity;
    private final HistoryService history;
    private final ApprovalStore approvals;
    private final MissionStore missions;
    private final ObjectMapper json;
    private final ScheduledExecutorService updates;
    private final Duration retryUnit;

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
        this.offers = offers;
        this.people = people;
        this.tasks = tasks;
        this.identity = identity;
        this.history = history;
        this.approvals = approvals;
        this.missions = missions;
        this.json = json;
        this.retryUnit = retryUnit;
        this.updates = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slack-message-updates");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        updates.shutdownNow();
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
        Checked checked = check(slackUser, taskId, decision);
        if (checked.refusal() != null) {
            return refuse(slackUser, channel, checked, taskId, decision);
        }
        Checkpoint checkpoint = checked.checkpoint();
        if (checkpoint.noteRequired(decision)
                || checkpoint.confirmationFor(decision).isPresent()) {
            String outsider = outsideCandidateGroups(checked);
            if (outsider != null) {
                return refuse(slackUser, channel, checked.refused(outsider), taskId, decision);
            }
            try {
                slack.openView(payload.path("trigger_id").asText(), modal(checked, decision));
            } catch (RuntimeException e) {
                log.warn(
                        "Could not open the {} form for task {} in Slack: {}",
                        checkpoint.displayName(),
                        taskId,
                        e.toString());
                return refuse(
                        slackUser,
                        channel,
                        new Checked(
                                null,
                                null,
                                null,
                                null,
                                "Slack could not open the form (" + e.getMessage()
                                        + "); nothing was decided. Decide in Tasklist, or press again."),
                        taskId,
                        decision);
            }
            log.info(
                    "Slack user {} ({}) opened the {} form of task {} for '{}'",
                    slackUser,
                    checked.person(),
                    checkpoint.displayName(),
                    taskId,
                    decision);
            return new Answer(Map.of(), false);
        }
        String refusal = complete(checked, decision, null, false);
        return refusal == null
                ? decided(checked, decision)
                : refuse(slackUser, channel, checked.refused(refusal), taskId, decision);
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
        Checked checked = check(slackUser, taskId, decision);
        String refusal = checked.refusal() != null ? checked.refusal() : complete(checked, decision, note, confirmed);
        if (refusal != null) {
            log.warn(
                    "Refused the Slack decision form of Slack user {} on task {} ('{}'): {}",
                    slackUser,
                    taskId,
                    decision,
                    refusal);
            if (checked.alreadyDecided()) {
                updateLater(checked.offer(), refusal);
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

    /**
     * What a press or a submission is about, read from the service's records: the person, the offer, the checkpoint
     * and the open task; or why not.
     */
    private record Checked(
            String person,
            SlackOffers.Offer offer,
            Checkpoint checkpoint,
            Task task,
            String refusal,
            boolean alreadyDecided) {
        Checked(String person, SlackOffers.Offer offer, Checkpoint checkpoint, Task task, String refusal) {
            this(person, offer, checkpoint, task, refusal, false);
        }

        Checked refused(String why) {
            return new Checked(person, offer, checkpoint, task, why, alreadyDecided);
        }
    }

    private Checked check(String slackUser, String taskId, String decision) {
        Optional<String> person = people.person(slackUser);
        if (person.isEmpty()) {
            return new Checked(
                    null,
                    null,
                    null,
                    null,
                    "Your Slack user (" + slackUser + ") is not linked to a person "
                            + "of the control plane, so it cannot decide checkpoints; nothing was changed. An administrator "
                            + "links it in controlplane.notify.slack.users.");
        }
        Optional<SlackOffers.Offer> offer = taskId.isBlank() ? Optional.empty() : offers.find(taskId);
        Optional<Checkpoint> checkpoint =
                offer.flatMap(o -> Checkpoint.ofTask(o.checkpoint())).filter(Checkpoint.OFFERED_IN_SLACK::contains);
        if (checkpoint.isEmpty()) {
            return new Checked(
                    person.get(),
                    null,
                    null,
                    null,
                    "Task " + NotificationText.truncate(taskId, 64)
                            + " is not a checkpoint offered in Slack; nothing was changed. Decide it in Tasklist.");
        }
        if (!checkpoint.get().decisions().contains(decision)) {
            return new Checked(
                    person.get(),
                    offer.get(),
                    checkpoint.get(),
                    null,
                    checkpoint.get().displayName()
                            + " has no decision '" + NotificationText.truncate(decision, 40) + "' (it accepts "
                            + String.join(", ", checkpoint.get().decisions()) + "); nothing was changed.");
        }
        Task task = tasks.createTaskQuery().taskId(taskId).singleResult();
        if (task == null || !checkpoint.get().taskKey().equals(task.getTaskDefinitionKey())) {
            return new Checked(
                    person.get(),
                    offer.get(),
                    checkpoint.get(),
                    null,
                    alreadyDecided(offer.get(), checkpoint.get()),
                    true);
        }
        return new Checked(person.get(), offer.get(), checkpoint.get(), task, null);
    }

    /**
     * Before a modal is opened, so nobody types a reason for a decision that is not theirs: whether the person is in
     * none of the task's candidate groups, asked of the engine's own candidate links. Not the rule itself — the
     * completion at submission runs the full check (candidate group and segregation of duties) again.
     *
     * @return why the person may not decide, or {@code null}
     */
    private String outsideCandidateGroups(Checked checked) {
        List<String> groups = people.groups(checked.person());
        if (groups.contains(Roles.ADMIN)
                || (!groups.isEmpty()
                        && tasks.createTaskQuery()
                                        .taskId(checked.task().getId())
                                        .taskCandidateGroupIn(groups)
                                        .count()
                                > 0)) {
            return null;
        }
        List<String> candidates = tasks.getIdentityLinksForTask(checked.task().getId()).stream()
                .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
                .map(IdentityLink::getGroupId)
                .toList();
        return checked.person() + " is not in " + String.join(" or ", candidates) + " and cannot decide "
                + checked.checkpoint().displayName() + "; nothing was changed.";
    }

    /**
     * Completes the task as the person, with their groups, exactly as Tasklist does.
     *
     * @return {@code null} when it was decided, else why not (nothing was changed)
     */
    private String complete(Checked checked, String decision, String note, boolean confirmed) {
        Checkpoint checkpoint = checked.checkpoint();
        Map<String, Object> variables = checkpoint.completion(decision, note, confirmed);
        Authentication before = identity.getCurrentAuthentication();
        identity.setAuthentication(checked.person(), people.groups(checked.person()));
        try {
            tasks.complete(checked.task().getId(), variables);
            log.info(
                    "{} decided {} of mission {} from Slack: {}",
                    checked.person(),
                    checkpoint.displayName(),
                    checked.offer().missionId(),
                    decision);
            return null;
        } catch (TaskNoLongerOpenException | NullValueException e) {
            // completed by someone else between the check and this completion
            return alreadyDecided(checked.offer(), checkpoint);
        } catch (AuthorizationException e) {
            // Camunda's authorizations, the candidate group or segregation of duties said no
            log.warn(
                    "Refused {}'s Slack decision '{}' on {} (task {}): {}",
                    checked.person(),
                    decision,
                    checkpoint.displayName(),
                    checked.task().getId(),
                    e.getMessage());
            return checked.person() + " may not decide " + checkpoint.displayName() + ": "
                    + NotificationText.truncate(e.getMessage(), 600) + " Nothing was changed.";
        } catch (FormFieldValidationException e) {
            // the step contract or the checkpoint's rules (a required note, the safeguards' acknowledgement)
            log.warn(
                    "Refused {}'s Slack decision '{}' on {} (task {}): {}",
                    checked.person(),
                    decision,
                    checkpoint.displayName(),
                    checked.task().getId(),
                    e.getMessage());
            return e.getMessage() + " Nothing was changed.";
        } finally {
            if (before == null) {
                identity.clearAuthentication();
            } else {
                identity.setAuthentication(before);
            }
        }
    }

    /** "already decided by X": from the recorded decision of that task, else from the history. */
    private String alreadyDecided(SlackOffers.Offer offer, Checkpoint checkpoint) {
        HistoricTaskInstance done =
                history.createHistoricTaskInstanceQuery().taskId(offer.taskId()).singleResult();
        if (done != null && offer.missionId() != null) {
            for (ApprovalStore.Approval a : approvals.forMission(offer.missionId())) {
                if (done.getActivityInstanceId() != null
                        && done.getActivityInstanceId().equals(a.activityInstanceId())) {
                    return checkpoint.displayName() + " was already decided by " + a.decidedBy() + " ("
                            + SlackNotifier.label(a.decision()) + "); nothing was changed.";
                }
            }
        }
        if (done != null && done.getEndTime() != null && !"completed".equals(done.getDeleteReason())) {
            return checkpoint.displayName() + " is no longer waiting (the mission moved on without it); nothing was "
                    + "changed.";
        }
        return checkpoint.displayName() + " was already decided"
                + (done != null && done.getAssignee() != null ? " by " + done.getAssignee() : "")
                + "; nothing was changed.";
    }

    private Answer decided(Checked checked, String decision) {
        String text = checked.checkpoint().displayName() + ": " + SlackNotifier.label(decision) + " by "
                + checked.person() + " (from Slack).";
        updateLater(checked.offer(), text);
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
            updateLater(checked.offer(), checked.refusal());
        }
        String where = checked.offer() != null && checked.offer().channel() != null
                ? checked.offer().channel()
                : channel;
        if (slack.configured() && where != null) {
            // Slack ignores the HTTP answer to a button press: the ephemeral message is how the person learns why
            updates.execute(() -> {
                try {
                    slack.ephemeral(where, slackUser, checked.refusal());
                } catch (RuntimeException e) {
                    log.warn("Could not tell Slack user {} why their press was refused: {}", slackUser, e.toString());
                }
            });
        }
        return new Answer(Map.of("response_type", "ephemeral", "text", checked.refusal()), true);
    }

    /** Updates the post in place with {@code outcome}: in the background, retried, logged when Slack keeps failing. */
    private void updateLater(SlackOffers.Offer offer, String outcome) {
        if (offer == null || !offer.posted() || !slack.configured()) {
            return;
        }
        String title = offer.missionId() == null
                ? ""
                : missions.find(offer.missionId())
                        .map(m -> m.title() + " (" + m.id() + ")")
                        .orElse(offer.missionId());
        String text = NotificationText.slackLine(outcome, SlackNotifier.SECTION_MAX / 2)
                + (title.isEmpty()
                        ? ""
                        : "\nMission: " + NotificationText.slackLine(title, SlackNotifier.SECTION_MAX / 2));
        List<LayoutBlock> blocks = List.of(section(s ->
                s.text(MarkdownTextObject.builder().text(text).verbatim(true).build())));
        attemptUpdate(offer, text, blocks, 1);
    }

    private void attemptUpdate(SlackOffers.Offer offer, String text, List<LayoutBlock> blocks, int attempt) {
        updates.schedule(
                () -> {
                    try {
                        slack.update(offer.channel(), offer.ts(), text, blocks);
                    } catch (RuntimeException e) {
                        if (attempt < UPDATE_ATTEMPTS) {
                            log.info(
                                    "chat.update of the post of task {} failed (attempt {}): {}; retrying",
                                    offer.taskId(),
                                    attempt,
                                    e.toString());
                            attemptUpdate(offer, text, blocks, attempt + 1);
                        } else {
                            log.warn(
                                    "Gave up updating the Slack post of task {} after {} attempts (the decision stands): {}",
                                    offer.taskId(),
                                    attempt,
                                    e.toString());
                        }
                    }
                },
                attempt == 1 ? 0 : retryUnit.toMillis() * (attempt - 1) * (attempt - 1),
                TimeUnit.MILLISECONDS);
    }

    /** The decision's modal: what is decided, the confirmation where the form has one, the note. */
    private String modal(Checked checked, String decision) {
        Checkpoint checkpoint = checked.checkpoint();
        ObjectNode view = json.createObjectNode();
        view.put("type", "modal");
        view.put("callback_id", VIEW_CALLBACK);
        // the task and the decision only; at submission both are checked again against the service's records
        view.put("private_metadata", checked.task().getId() + " " + decision);
        view.set("title", plain(NotificationText.truncate(SlackNotifier.label(decision), 24)));
        view.set("submit", plain("Submit"));
        view.set("close", plain("Cancel"));
        ArrayNode blocks = view.putArray("blocks");
        String mission = checked.offer().missionId() == null
                ? ""
                : missions.find(checked.offer().missionId())
                        .map(m -> m.title() + " (" + m.id() + ")")
                        .orElse(checked.offer().missionId());
        ObjectNode intro = blocks.addObject().put("type", "section");
        intro.putObject("text")
                .put("type", "mrkdwn")
                .put("verbatim", true)
                .put(
                        "text",
                        NotificationText.slackLine(
                                checkpoint.displayName() + ": " + SlackNotifier.label(decision)
                                        + (mission.isEmpty() ? "" : " — " + mission),
                                SlackNotifier.SECTION_MAX));
        checkpoint.confirmationFor(decision).ifPresent(what -> {
            ObjectNode confirm = blocks.addObject().put("type", "input").put("block_id", CONFIRM_BLOCK);
            confirm.set("label", plain("Confirm"));
            ObjectNode element =
                    confirm.putObject("element").put("type", "checkboxes").put("action_id", CONFIRM_ACTION);
            element.putArray("options").addObject().put("value", CONFIRMED).set("text", plain(what));
        });
        boolean required = checkpoint.noteRequired(decision);
        ObjectNode note = blocks.addObject()
                .put("type", "input")
                .put("block_id", NOTE_BLOCK)
                .put("optional", !required);
        note.set("label", plain(required ? "Reason (required)" : "Note"));
        note.putObject("element")
                .put("type", "plain_text_input")
                .put("action_id", NOTE_ACTION)
                .put("multiline", true)
                .put("max_length", 2000);
        return view.toString();
    }

    private ObjectNode plain(String text) {
        ObjectNode node = json.createObjectNode();
        node.put("type", "plain_text");
        node.put("text", text);
        return node;
    }
}
