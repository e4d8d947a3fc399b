package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.incident.Runbooks;
import io.controlplane.mission.Stage;
import io.controlplane.platform.Roles;
import io.controlplane.telemetry.WeeklyAudit;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every human step of the journey: which variable carries its decision, which answers are allowed, when a comment
 * is required and whom segregation of duties excludes. {@link CheckpointDecisions} enforces it on completion.
 */
public enum Checkpoint {
    INTENT_CONFIRMATION(
            Elements.INTENT_CONFIRMATION,
            "Intent Confirmation",
            Stage.DEFINE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Vars.INTENT_DECISION,
            List.of("approve", "request_changes"),
            Vars.INTENT_COMMENT,
            Set.of("request_changes"),
            Reviewer.NOT_OWNER),
    BRIEF_REVISION(
            Elements.BRIEF_REVISION,
            "Mission Brief Revision",
            Stage.DEFINE,
            Roles.MISSION_OWNER,
            Kind.SUBMIT,
            null,
            List.of("revised"),
            Vars.REVISION_NOTE,
            Set.of("revised"),
            Reviewer.ANYONE),
    COVERAGE_GAP_DECISION(
            Runbooks.Elements.GAP_DECISION,
            "Coverage Gap Decision",
            Stage.PREPARE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Vars.COVERAGE_DECISION,
            List.of("override", "adjust_toolkits"),
            Vars.COVERAGE_COMMENT,
            Set.of("override", "adjust_toolkits"),
            Reviewer.NOT_OWNER),
    COVERAGE_OVERRIDE_APPROVAL(
            Runbooks.Elements.OVERRIDE_SECOND_APPROVAL,
            "Coverage Override Second Approval",
            Stage.PREPARE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Runbooks.Vars.OVERRIDE_APPROVAL,
            List.of("approve", "reject"),
            Runbooks.Vars.OVERRIDE_APPROVAL_COMMENT,
            Set.of("reject"),
            Reviewer.SECOND_APPROVER),
    TOOLKIT_ADJUSTMENT(
            Elements.TOOLKIT_ADJUSTMENT,
            "Toolkit Selection Adjustment",
            Stage.PREPARE,
            Roles.MISSION_OWNER,
            Kind.SUBMIT,
            null,
            List.of("adjusted"),
            Vars.TOOLKIT_ADJUSTMENT_NOTE,
            Set.of("adjusted"),
            Reviewer.ANYONE),
    TOOLKIT_AUTHORIZATION(
            Elements.TOOLKIT_AUTHORIZATION,
            "Toolkit Authorization",
            Stage.PREPARE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Vars.TOOLKIT_DECISION,
            List.of("authorize", "reject"),
            Vars.TOOLKIT_COMMENT,
            Set.of("reject"),
            Reviewer.NOT_OWNER),
    PACKET_REVIEW_GOVERNANCE(
            Elements.PACKET_REVIEW_GOVERNANCE,
            "Approval Packet Review (Governance)",
            Stage.PLAN_APPROVE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Vars.GV_PACKET_DECISION,
            List.of("approve", "reject"),
            Vars.GV_PACKET_COMMENT,
            Set.of("reject"),
            Reviewer.GOVERNANCE_CO_SIGNER),
    PACKET_REVIEW_OPERATIONS(
            Elements.PACKET_REVIEW_OPERATIONS,
            "Approval Packet Review (Operations)",
            Stage.PLAN_APPROVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Vars.OC_PACKET_DECISION,
            List.of("approve", "reject"),
            Vars.OC_PACKET_COMMENT,
            Set.of("reject"),
            Reviewer.OPERATIONS_CO_SIGNER),
    TELEMETRY_HOOKS_VERIFICATION(
            Elements.TELEMETRY_HOOKS_VERIFICATION,
            "Telemetry Hooks Verification",
            Stage.PLAN_APPROVE,
            Roles.TELEMETRY_ANALYST,
            Kind.CHOICE,
            Vars.TELEMETRY_HOOKS_DECISION,
            List.of("verified", "missing"),
            Vars.TELEMETRY_HOOKS_COMMENT,
            Set.of("missing"),
            Reviewer.NOT_OWNER),
    RED_PLAY_CONFIRMATION(
            Elements.RED_PLAY_CONFIRMATION,
            "Red Play Confirmation",
            Stage.PLAN_APPROVE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Vars.RED_PLAY_DECISION,
            List.of("confirm", "reject"),
            Vars.RED_PLAY_COMMENT,
            Set.of("reject"),
            Reviewer.SECOND_CONFIRMATION),
    LIVE_OVERSIGHT(
            Elements.LIVE_OVERSIGHT,
            "Live Execution Oversight",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Vars.OVERSIGHT_DECISION,
            List.of("handover", "stand_down", "trigger_undo"),
            Vars.OVERSIGHT_NOTE,
            Set.of("handover", "stand_down", "trigger_undo"),
            Reviewer.NOT_OWNER),
    VIOLATION_DECISION(
            Runbooks.Elements.VIOLATION_DECISION,
            "Safeguard Violation Decision",
            Stage.EXECUTE_OBSERVE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Runbooks.Vars.VIOLATION_DECISION,
            List.of("resume", "rollback", "abort"),
            Runbooks.Vars.VIOLATION_NOTE,
            Set.of("resume", "rollback", "abort"),
            Reviewer.NOT_OWNER),
    RESTORATION_CONFIRMATION(
            Runbooks.Elements.CONFIRM_RESTORATION,
            "Restoration Confirmation",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CONFIRM,
            Runbooks.Vars.RESTORATION_CONFIRMED,
            List.of("restored"),
            Runbooks.Vars.RESTORATION_NOTE,
            Set.of("restored"),
            Reviewer.ANYONE),
    SCOPE_REAUTHORIZATION(
            Runbooks.Elements.SCOPE_REAUTHORIZATION,
            "Toolkit Scope Re-authorisation",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Runbooks.Vars.DRIFT_DECISION,
            List.of("reauthorize", "revoke"),
            Runbooks.Vars.DRIFT_NOTE,
            Set.of("reauthorize", "revoke"),
            Reviewer.NOT_OWNER),
    KPI_MISS_ANALYSIS(
            Runbooks.Elements.KPI_MISS_ANALYSIS,
            "KPI Miss Investigation",
            Stage.REFLECT_IMPROVE,
            Roles.TELEMETRY_ANALYST,
            Kind.CHOICE,
            Runbooks.Vars.REMEDIATION_OUTCOME,
            List.of("backlog_item", "adjust_target", "accept_miss"),
            Runbooks.Vars.ROOT_CAUSE,
            Set.of("backlog_item", "adjust_target", "accept_miss"),
            Reviewer.ANYONE),
    TELEMETRY_GAP(
            WeeklyAudit.Elements.TELEMETRY_GAP,
            "Telemetry Gap Resolution",
            Stage.REFLECT_IMPROVE,
            Roles.TELEMETRY_ANALYST,
            Kind.CHOICE,
            WeeklyAudit.Vars.GAP_RESOLUTION,
            List.of("fixed", "accepted"),
            WeeklyAudit.Vars.GAP_NOTE,
            Set.of("fixed", "accepted"),
            Reviewer.ANYONE),
    POST_INCIDENT_REVIEW(
            Runbooks.Elements.POST_INCIDENT_REVIEW,
            "Post-Incident Review",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CONFIRM,
            Runbooks.Vars.REVIEW_COMPLETED,
            List.of("reviewed"),
            Runbooks.Vars.REVIEW_SUMMARY,
            Set.of("reviewed"),
            Reviewer.ANYONE),
    MISSION_FEEDBACK(
            Elements.MISSION_FEEDBACK,
            "Mission Feedback",
            Stage.REFLECT_IMPROVE,
            Roles.MISSION_OWNER,
            Kind.SUBMIT,
            null,
            List.of("submitted"),
            Vars.FEEDBACK_BLOCKERS,
            Set.of(),
            Reviewer.ANYONE),
    RETRO_SIGN_OFF_OWNER(
            Elements.RETRO_SIGN_OFF_OWNER,
            "Retrospective Sign-Off (Mission Owner)",
            Stage.REFLECT_IMPROVE,
            Roles.MISSION_OWNER,
            Kind.CONFIRM,
            Vars.OWNER_SIGN_OFF,
            List.of("signed"),
            Vars.OWNER_SIGN_OFF_COMMENT,
            Set.of(),
            Reviewer.ANYONE),
    RETRO_SIGN_OFF_CURATOR(
            Elements.RETRO_SIGN_OFF_CURATOR,
            "Retrospective Sign-Off (Knowledge Curator)",
            Stage.REFLECT_IMPROVE,
            Roles.KNOWLEDGE_CURATOR,
            Kind.CONFIRM,
            Vars.CURATOR_SIGN_OFF,
            List.of("signed"),
            Vars.CURATOR_SIGN_OFF_COMMENT,
            Set.of(),
            Reviewer.ANYONE),
    RETRO_SIGN_OFF_ANALYST(
            Elements.RETRO_SIGN_OFF_ANALYST,
            "Retrospective Sign-Off (Telemetry Analyst)",
            Stage.REFLECT_IMPROVE,
            Roles.TELEMETRY_ANALYST,
            Kind.CONFIRM,
            Vars.ANALYST_SIGN_OFF,
            List.of("signed"),
            Vars.ANALYST_SIGN_OFF_COMMENT,
            Set.of(),
            Reviewer.ANYONE);

    /**
     * The checkpoints whose waiting task is posted to Slack with its decisions as buttons (notify.SlackDecisions):
     * the ones a person is paged for. Every other task is decided in Tasklist only; a press naming one is refused.
     */
    public static final Set<Checkpoint> OFFERED_IN_SLACK = Collections.unmodifiableSet(EnumSet.of(
            INTENT_CONFIRMATION,
            COVERAGE_OVERRIDE_APPROVAL,
            PACKET_REVIEW_GOVERNANCE,
            PACKET_REVIEW_OPERATIONS,
            RED_PLAY_CONFIRMATION,
            VIOLATION_DECISION));

    /** How the decision is given: a choice among values, a confirming checkbox, or plain submission. */
    enum Kind {
        CHOICE,
        CONFIRM,
        SUBMIT
    }

    /** Who may not decide, on top of the candidate group the engine already enforces. */
    enum Reviewer {
        ANYONE,
        /** a reviewer checks someone else's mission: not the mission owner */
        NOT_OWNER,
        /** co-signs the approval packet: not the mission owner, not the operations co-signer */
        GOVERNANCE_CO_SIGNER,
        /** co-signs the approval packet: not the mission owner, not the governance co-signer */
        OPERATIONS_CO_SIGNER,
        /** second confirmation of red plays: none of the mission owner and the two co-signers */
        SECOND_CONFIRMATION,
        /** second approval of a coverage override: not the mission owner, not who requested the override */
        SECOND_APPROVER
    }

    private final String taskKey;
    private final String displayName;
    private final Stage stage;
    private final String role;
    private final Kind kind;
    private final String decisionVariable;
    private final List<String> decisions;
    private final String commentVariable;
    private final Set<String> commentRequiredFor;
    private final Reviewer reviewer;

    Checkpoint(
            String taskKey,
            String displayName,
            Stage stage,
            String role,
            Kind kind,
            String decisionVariable,
            List<String> decisions,
            String commentVariable,
            Set<String> commentRequiredFor,
            Reviewer reviewer) {
        this.taskKey = taskKey;
        this.displayName = displayName;
        this.stage = stage;
        this.role = role;
        this.kind = kind;
        this.decisionVariable = decisionVariable;
        this.decisions = decisions;
        this.commentVariable = commentVariable;
        this.commentRequiredFor = commentRequiredFor;
        this.reviewer = reviewer;
    }

    public static Optional<Checkpoint> ofTask(String taskDefinitionKey) {
        return Arrays.stream(values())
                .filter(c -> c.taskKey.equals(taskDefinitionKey))
                .findFirst();
    }

    public String taskKey() {
        return taskKey;
    }

    public String displayName() {
        return displayName;
    }

    public Stage stage() {
        return stage;
    }

    /** The group that owns the checkpoint (the task's first candidate group). */
    public String role() {
        return role;
    }

    Kind kind() {
        return kind;
    }

    String decisionVariable() {
        return decisionVariable;
    }

    /** Whether {@code decision} needs a note (the form refuses it without one). */
    public boolean noteRequired(String decision) {
        return commentRequiredFor.contains(decision);
    }

    /**
     * What the person must confirm on top of the decision, as the form's checkbox says it, or empty: approving the
     * intent acknowledges the mission's safeguards ({@link CheckpointDecisions} refuses an approval without).
     */
    public Optional<String> confirmationFor(String decision) {
        return this == INTENT_CONFIRMATION && "approve".equals(decision)
                ? Optional.of("I have read the mission's safeguards and acknowledge them")
                : Optional.empty();
    }

    /**
     * The variables a completion with this decision sends — the same ones the task's form sends, so the step
     * contract, the candidate-group check and segregation of duties judge it exactly as a Tasklist completion.
     *
     * @param note      the note, or {@code null}
     * @param confirmed whether the person ticked {@link #confirmationFor}
     */
    public Map<String, Object> completion(String decision, String note, boolean confirmed) {
        if (kind != Kind.CHOICE) {
            throw new IllegalStateException(displayName + " is not decided by a choice");
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(decisionVariable, decision);
        if (note != null && !note.isBlank()) {
            variables.put(commentVariable, note.strip());
        }
        if (confirmationFor(decision).isPresent()) {
            variables.put(Vars.SAFEGUARDS_ACKNOWLEDGED, confirmed);
        }
        return variables;
    }

    public List<String> decisions() {
        return decisions;
    }

    String commentVariable() {
        return commentVariable;
    }

    Set<String> commentRequiredFor() {
        return commentRequiredFor;
    }

    Reviewer reviewer() {
        return reviewer;
    }
}
