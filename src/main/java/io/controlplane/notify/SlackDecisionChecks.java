package io.controlplane.notify;

import io.controlplane.governance.Checkpoint;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.platform.Roles;
import io.controlplane.platform.TaskNoLongerOpenException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * What {@link SlackDecisions} asks of the service's records before and when it completes a task: who the Slack user
 * is, whether the task is an open checkpoint offered in Slack with that decision, and the completion itself as that
 * person, through {@link TaskService#complete} — so the engine's rules judge it, not this class.
 */
class SlackDecisionChecks {
    // the decisions' log lines keep the category operators know them under
    private static final Logger log = LoggerFactory.getLogger(SlackDecisions.class);

    private final SlackPeople people;
    private final SlackOffers offers;
    private final TaskService tasks;
    private final IdentityService identity;
    private final HistoryService history;
    private final ApprovalStore approvals;

    SlackDecisionChecks(
            SlackPeople people,
            SlackOffers offers,
            TaskService tasks,
            IdentityService identity,
            HistoryService history,
            ApprovalStore approvals) {
        this.people = people;
        this.offers = offers;
        this.tasks = tasks;
        this.identity = identity;
        this.history = history;
        this.approvals = approvals;
    }

    /**
     * What a press or a submission is about, read from the service's records: the person, the offer, the checkpoint
     * and the open task; or why not.
     */
    record Checked(
            String person,
            SlackOffers.Offer offer,
            Checkpoint checkpoint,
            Task task,
            String refusal,
            boolean alreadyDecided) {
        Checked(String person, SlackOffers.Offer offer, Checkpoint checkpoint, Task task, String refusal) {
            this(person, offer, checkpoint, task, refusal, false);
        }

        /** A refusal about nobody and nothing in particular (Slack itself failed). */
        static Checked refusal(String why) {
            return new Checked(null, null, null, null, why);
        }

        Checked refused(String why) {
            return new Checked(person, offer, checkpoint, task, why, alreadyDecided);
        }
    }

    Checked check(String slackUser, String taskId, String decision) {
        Optional<String> person = people.person(slackUser);
        if (person.isEmpty()) {
            return Checked.refusal("Your Slack user (" + slackUser + ") is not linked to a person "
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
        return checkTask(person.get(), offer.get(), checkpoint.get(), taskId, decision);
    }

    /** The rest of {@link #check}, once the person and the offered checkpoint are known. */
    private Checked checkTask(
            String person, SlackOffers.Offer offer, Checkpoint checkpoint, String taskId, String decision) {
        if (!checkpoint.decisions().contains(decision)) {
            return new Checked(
                    person,
                    offer,
                    checkpoint,
                    null,
                    checkpoint.displayName()
                            + " has no decision '" + NotificationText.truncate(decision, 40) + "' (it accepts "
                            + String.join(", ", checkpoint.decisions()) + "); nothing was changed.");
        }
        Task task = tasks.createTaskQuery().taskId(taskId).singleResult();
        if (task == null || !checkpoint.taskKey().equals(task.getTaskDefinitionKey())) {
            return new Checked(person, offer, checkpoint, null, alreadyDecided(offer, checkpoint), true);
        }
        return new Checked(person, offer, checkpoint, task, null);
    }

    /**
     * Before a modal is opened, so nobody types a reason for a decision that is not theirs: whether the person is in
     * none of the task's candidate groups, asked of the engine's own candidate links. Not the rule itself — the
     * completion at submission runs the full check (candidate group and segregation of duties) again.
     *
     * @return why the person may not decide, or {@code null}
     */
    String outsideCandidateGroups(Checked checked) {
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
    String complete(Checked checked, String decision, String note, boolean confirmed) {
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
            logRefusal(checked, decision, e);
            return checked.person() + " may not decide " + checkpoint.displayName() + ": "
                    + NotificationText.truncate(e.getMessage(), 600) + " Nothing was changed.";
        } catch (FormFieldValidationException e) {
            // the step contract or the checkpoint's rules (a required note, the safeguards' acknowledgement)
            logRefusal(checked, decision, e);
            return e.getMessage() + " Nothing was changed.";
        } finally {
            if (before == null) {
                identity.clearAuthentication();
            } else {
                identity.setAuthentication(before);
            }
        }
    }

    private static void logRefusal(Checked checked, String decision, RuntimeException e) {
        log.warn(
                "Refused {}'s Slack decision '{}' on {} (task {}): {}",
                checked.person(),
                decision,
                checked.checkpoint().displayName(),
                checked.task().getId(),
                e.getMessage());
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
                            + SlackBlocks.label(a.decision()) + "); nothing was changed.";
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
}
