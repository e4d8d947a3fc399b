package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.incident.Runbooks;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.Roles;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What a checkpoint's completion must pass, and what it records. It refuses a decision that is missing, unknown,
 * lacks a required comment or breaks segregation of duties (throwing rolls the completion back, so nothing changes),
 * and otherwise writes the decision to {@code mission_approvals} in the same transaction.
 *
 * <p>The engine calls it through {@code journey.CheckpointCompletion}, the execution listener on each checkpoint
 * task's {@code end} that the models name {@code checkpointDecisions}; the refusals reach Tasklist and
 * {@code /engine-rest} as they are — 400 for bad input, 403 for a segregation-of-duties breach.
 */
@Component("checkpointDecisionRules") // checkpointDecisions is the models' name for the journey's listener
public class CheckpointDecisions {

    /**
     * A checkpoint task's completion, as the engine reports it.
     *
     * @param missionId       the process's business key (the mission, or an incident's key outside a mission)
     * @param candidateGroups the task's candidate groups, or {@code null} when it declares none
     * @param variables       the variables the completion sees, by name: what the person submitted among them
     */
    public record Completion(
            String taskKey,
            String missionId,
            String processInstanceId,
            String activityInstanceId,
            List<String> candidateGroups,
            Function<String, Object> variables) {

        Object variable(String name) {
            return variables.apply(name);
        }
    }

    private final IdentityService identityService;
    private final ApprovalStore approvals;
    private final MissionStore missions;
    private final ApplicationEventPublisher events;

    CheckpointDecisions(
            IdentityService identityService,
            ApprovalStore approvals,
            MissionStore missions,
            ApplicationEventPublisher events) {
        this.events = events;
        this.identityService = identityService;
        this.approvals = approvals;
        this.missions = missions;
    }

    /**
     * Judges and records the completion of a checkpoint task by the authenticated user.
     *
     * @return the process variables the completion sets: who requested a coverage override, or who decided
     *     outside a mission
     */
    public Map<String, Object> decide(Completion task) {
        Checkpoint checkpoint = Checkpoint.ofTask(task.taskKey())
                .orElseThrow(() -> new IllegalStateException("No checkpoint is defined for task " + task.taskKey()));
        Authentication auth = identityService.getCurrentAuthentication();
        if (auth == null || auth.getUserId() == null) {
            throw new SegregationOfDutiesException("A checkpoint decision needs an authenticated user; "
                    + checkpoint.displayName() + " was not completed.");
        }
        String user = auth.getUserId();
        Decision decision = decision(checkpoint, task);
        String comment = comment(checkpoint, task, decision);
        checkDecider(checkpoint, task, user, auth);
        preconditions(task, decision);

        Map<String, Object> variables = new LinkedHashMap<>();
        if (decision == Decision.CoverageGapDecision.OVERRIDE) {
            variables.put(Runbooks.Vars.OVERRIDE_REQUESTED_BY, user);
        }
        if (missions.exists(task.missionId())) {
            record(checkpoint, task, auth, decision, comment);
        } else {
            // decisions outside a mission (a KPI miss investigation) are recorded on their incident instead
            variables.put("decidedBy", user);
        }
        return variables;
    }

    /** Writes the decision to {@code mission_approvals} and publishes the catalog event it stands for. */
    private void record(Checkpoint c, Completion task, Authentication auth, Decision decision, String comment) {
        // the co-signers are these approval rows; no variable repeats them (see CoSigning)
        approvals.insert(
                task.missionId(),
                task.processInstanceId(),
                task.activityInstanceId(),
                c.taskKey(),
                c.displayName(),
                c.stage(),
                auth.getUserId(),
                role(c, task, auth),
                decision.value(),
                comment,
                Instant.now());
        TelemetryCatalog event = event(c, decision);
        if (event != null) {
            events.publishEvent(MissionEvent.of(
                    event,
                    task.missionId(),
                    Map.of("checkpoint", c.taskKey(), "decision", decision.value(), "decidedBy", auth.getUserId())));
        }
    }

    /** The catalog event a decision stands for, if any. */
    static TelemetryCatalog event(Checkpoint c, Decision decision) {
        return switch (c) {
            case BRIEF_REVISION -> TelemetryCatalog.BRIEF_ITEM_MODIFIED;
            case TOOLKIT_ADJUSTMENT -> TelemetryCatalog.TOOLKIT_SELECTED;
            case COVERAGE_GAP_DECISION ->
                decision == Decision.CoverageGapDecision.OVERRIDE
                        ? TelemetryCatalog.GOVERNANCE_OVERRIDE_REQUESTED
                        : null;
            case TOOLKIT_AUTHORIZATION ->
                decision == Decision.ToolkitAuthorization.AUTHORIZE ? TelemetryCatalog.SCOPE_GRANTED : null;
            case PACKET_REVIEW_GOVERNANCE -> planEvent(decision == Decision.PacketReviewGovernance.APPROVE);
            case PACKET_REVIEW_OPERATIONS -> planEvent(decision == Decision.PacketReviewOperations.APPROVE);
            case RED_PLAY_CONFIRMATION -> planEvent(decision == Decision.RedPlayConfirmation.CONFIRM);
            case TELEMETRY_HOOKS_VERIFICATION -> planEvent(decision == Decision.TelemetryHooksVerification.VERIFIED);
            case MISSION_FEEDBACK -> TelemetryCatalog.FEEDBACK_SUBMITTED;
            case RETRO_SIGN_OFF_CURATOR -> TelemetryCatalog.LIBRARY_CONTRIBUTION;
            default -> null;
        };
    }

    private static TelemetryCatalog planEvent(boolean granted) {
        return granted ? TelemetryCatalog.APPROVAL_GRANTED : TelemetryCatalog.PLAN_REJECTED;
    }

    private static Decision decision(Checkpoint c, Completion task) {
        return switch (c.kind()) {
            case SUBMIT -> c.soleDecision();
            case CONFIRM -> {
                if (!Boolean.TRUE.equals(task.variable(c.decisionVariable()))) {
                    throw new CheckpointInputException(
                            c.decisionVariable(), c.displayName() + ": tick " + c.decisionVariable() + " to sign.");
                }
                yield c.soleDecision();
            }
            case CHOICE -> {
                Object value = task.variable(c.decisionVariable());
                Optional<Decision> chosen = value instanceof String s ? c.decision(s) : Optional.empty();
                if (chosen.isEmpty()) {
                    throw new CheckpointInputException(
                            c.decisionVariable(),
                            c.displayName() + ": "
                                    + c.decisionVariable() + " must be one of " + String.join(", ", c.decisions())
                                    + (value == null ? "" : " (got '" + abbreviate(String.valueOf(value)) + "')")
                                    + ".");
                }
                yield chosen.get();
            }
        };
    }

    private static String comment(Checkpoint c, Completion task, Decision decision) {
        Object value = task.variable(c.commentVariable());
        String comment = value == null ? null : String.valueOf(value).strip();
        if (comment != null && comment.length() > 2000) {
            throw new CheckpointInputException(
                    c.commentVariable(),
                    c.displayName() + ": " + c.commentVariable() + " must be at most 2000 characters.");
        }
        if (c.noteRequired(decision) && (comment == null || comment.isEmpty())) {
            throw new CheckpointInputException(
                    c.commentVariable(),
                    c.displayName() + ": a note in " + c.commentVariable() + " is required when the decision is '"
                            + decision.value() + "'.");
        }
        return comment == null || comment.isEmpty() ? null : comment;
    }

    private static void preconditions(Completion task, Decision decision) {
        if (decision == Decision.IntentConfirmation.APPROVE
                && !Boolean.TRUE.equals(task.variable(Vars.SAFEGUARDS_ACKNOWLEDGED))) {
            throw new CheckpointInputException(
                    Vars.SAFEGUARDS_ACKNOWLEDGED,
                    "Intent Confirmation: acknowledge the safeguards (safeguardsAcknowledged) before approving.");
        }
        if (decision == Decision.ToolkitAuthorization.AUTHORIZE
                && !(Boolean.TRUE.equals(task.variable(Vars.SCOPES_VALIDATED))
                        && Boolean.TRUE.equals(task.variable(Vars.READ_ONLY_PATH_CONFIRMED)))) {
            throw new CheckpointInputException(
                    Vars.SCOPES_VALIDATED,
                    "Toolkit Authorization: confirm both scopesValidated and readOnlyPathConfirmed before authorizing.");
        }
    }

    /**
     * The decider must be a candidate of the task (whoever it is assigned to: a claim proves nothing), and
     * segregation of duties is evaluated on the decider against the service's own records — the owner in
     * {@code missions}, co-signers and the override requester in {@code mission_approvals} — never against process
     * variables a caller could have written.
     */
    private void checkDecider(Checkpoint c, Completion task, String user, Authentication auth) {
        Set<String> groups = new HashSet<>(auth.getGroupIds() == null ? List.of() : auth.getGroupIds());
        boolean admin = groups.contains(Roles.ADMIN);
        List<String> candidates = task.candidateGroups() != null ? task.candidateGroups() : List.of(c.role());
        if (!admin && candidates.stream().noneMatch(groups::contains)) {
            throw new SegregationOfDutiesException(user + " is not in " + String.join(" or ", candidates)
                    + " and cannot decide " + c.displayName() + ".");
        }
        String missionId = task.missionId();
        String owner = missionId == null
                ? null
                : missions.find(missionId).map(MissionStore.Mission::owner).orElse(null);
        boolean isOwner = Objects.equals(user, owner);
        if (!admin && owner != null && Roles.MISSION_OWNER.equals(c.role()) && !isOwner) {
            throw new SegregationOfDutiesException(
                    c.displayName() + " is " + owner + "'s to give: " + user + " does not own this mission.");
        }
        // the rule reads the recorded decisions only for the reviewers that need them (not on every checkpoint)
        Supplier<List<ApprovalStore.Approval>> recorded =
                owner == null ? List::of : () -> approvals.forMission(missionId);
        SegregationOfDuties.breach(c, user, owner, recorded).ifPresent(breach -> {
            throw new SegregationOfDutiesException(refusal(c, breach));
        });
    }

    /** What the person who may not decide is told. */
    private static String refusal(Checkpoint c, SegregationOfDuties.Breach breach) {
        String user = breach.user();
        return switch (breach.why()) {
            case OWNER -> ownerRefusal(c, user);
            case BOTH_CO_SIGNATURES ->
                "Segregation of duties: " + user + " already co-signed this approval packet;"
                        + " the second co-signature must come from a different person.";
            case OVERRIDE_REQUESTER ->
                "Segregation of duties: a coverage override needs a second approver other than"
                        + " the mission owner and " + breach.other() + ", who requested it.";
            case CO_SIGNER_CONFIRMS -> redPlayRefusal(user);
        };
    }

    /** What the mission's owner is told, in the words of the rule their checkpoint follows. */
    private static String ownerRefusal(Checkpoint c, String user) {
        return switch (c.reviewer()) {
            case GOVERNANCE_CO_SIGNER, OPERATIONS_CO_SIGNER ->
                "Segregation of duties: " + user + " owns this mission and cannot co-sign its approval packet.";
            case SECOND_APPROVER ->
                "Segregation of duties: a coverage override needs a second approver other than the mission owner"
                        + " and the person who requested it; " + user + " owns this mission.";
            case SECOND_CONFIRMATION -> redPlayRefusal(user);
            case ANYONE, NOT_OWNER ->
                "Segregation of duties: " + user + " owns this mission and cannot decide " + c.displayName() + ".";
        };
    }

    /** The owner and the co-signers are told alike: red plays need someone who is none of them. */
    private static String redPlayRefusal(String user) {
        return "Segregation of duties: red plays need a second confirmation from someone other than the mission"
                + " owner and the two co-signers; " + user + " is one of them.";
    }

    /** The group the decider acted in: the task's candidate group they belong to (or the checkpoint's role). */
    private static String role(Checkpoint c, Completion task, Authentication auth) {
        Set<String> groups = new HashSet<>(auth.getGroupIds() == null ? List.of() : auth.getGroupIds());
        if (task.candidateGroups() != null) {
            for (String candidate : task.candidateGroups()) {
                if (groups.contains(candidate)) {
                    return candidate;
                }
            }
        }
        if (groups.contains(Roles.ADMIN)) {
            return Roles.ADMIN;
        }
        return c.role();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
