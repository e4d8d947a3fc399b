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
            Decision.IntentConfirmation.class,
            Vars.INTENT_COMMENT,
            Set.of(Decision.IntentConfirmation.REQUEST_CHANGES),
            Reviewer.NOT_OWNER),
    BRIEF_REVISION(
            Elements.BRIEF_REVISION,
            "Mission Brief Revision",
            Stage.DEFINE,
            Roles.MISSION_OWNER,
            Kind.SUBMIT,
            null,
            Decision.BriefRevision.class,
            Vars.REVISION_NOTE,
            Set.of(Decision.BriefRevision.REVISED),
            Reviewer.ANYONE),
    COVERAGE_GAP_DECISION(
            Runbooks.Elements.GAP_DECISION,
            "Coverage Gap Decision",
            Stage.PREPARE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Vars.COVERAGE_DECISION,
            Decision.CoverageGapDecision.class,
            Vars.COVERAGE_COMMENT,
            EnumSet.allOf(Decision.CoverageGapDecision.class),
            Reviewer.NOT_OWNER),
    COVERAGE_OVERRIDE_APPROVAL(
            Runbooks.Elements.OVERRIDE_SECOND_APPROVAL,
            "Coverage Override Second Approval",
            Stage.PREPARE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Runbooks.Vars.OVERRIDE_APPROVAL,
            Decision.CoverageOverrideApproval.class,
            Runbooks.Vars.OVERRIDE_APPROVAL_COMMENT,
            Set.of(Decision.CoverageOverrideApproval.REJECT),
            Reviewer.SECOND_APPROVER),
    TOOLKIT_ADJUSTMENT(
            Elements.TOOLKIT_ADJUSTMENT,
            "Toolkit Selection Adjustment",
            Stage.PREPARE,
            Roles.MISSION_OWNER,
            Kind.SUBMIT,
            null,
            Decision.ToolkitAdjustment.class,
            Vars.TOOLKIT_ADJUSTMENT_NOTE,
            Set.of(Decision.ToolkitAdjustment.ADJUSTED),
            Reviewer.ANYONE),
    TOOLKIT_AUTHORIZATION(
            Elements.TOOLKIT_AUTHORIZATION,
            "Toolkit Authorization",
            Stage.PREPARE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Vars.TOOLKIT_DECISION,
            Decision.ToolkitAuthorization.class,
            Vars.TOOLKIT_COMMENT,
            Set.of(Decision.ToolkitAuthorization.REJECT),
            Reviewer.NOT_OWNER),
    PACKET_REVIEW_GOVERNANCE(
            Elements.PACKET_REVIEW_GOVERNANCE,
            "Approval Packet Review (Governance)",
            Stage.PLAN_APPROVE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Vars.GV_PACKET_DECISION,
            Decision.PacketReviewGovernance.class,
            Vars.GV_PACKET_COMMENT,
            Set.of(Decision.PacketReviewGovernance.REJECT),
            Reviewer.GOVERNANCE_CO_SIGNER),
    PACKET_REVIEW_OPERATIONS(
            Elements.PACKET_REVIEW_OPERATIONS,
            "Approval Packet Review (Operations)",
            Stage.PLAN_APPROVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Vars.OC_PACKET_DECISION,
            Decision.PacketReviewOperations.class,
            Vars.OC_PACKET_COMMENT,
            Set.of(Decision.PacketReviewOperations.REJECT),
            Reviewer.OPERATIONS_CO_SIGNER),
    TELEMETRY_HOOKS_VERIFICATION(
            Elements.TELEMETRY_HOOKS_VERIFICATION,
            "Telemetry Hooks Verification",
            Stage.PLAN_APPROVE,
            Roles.TELEMETRY_ANALYST,
            Kind.CHOICE,
            Vars.TELEMETRY_HOOKS_DECISION,
            Decision.TelemetryHooksVerification.class,
            Vars.TELEMETRY_HOOKS_COMMENT,
            Set.of(Decision.TelemetryHooksVerification.MISSING),
            Reviewer.NOT_OWNER),
    RED_PLAY_CONFIRMATION(
            Elements.RED_PLAY_CONFIRMATION,
            "Red Play Confirmation",
            Stage.PLAN_APPROVE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Vars.RED_PLAY_DECISION,
            Decision.RedPlayConfirmation.class,
            Vars.RED_PLAY_COMMENT,
            Set.of(Decision.RedPlayConfirmation.REJECT),
            Reviewer.SECOND_CONFIRMATION),
    LIVE_OVERSIGHT(
            Elements.LIVE_OVERSIGHT,
            "Live Execution Oversight",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Vars.OVERSIGHT_DECISION,
            Decision.LiveOversight.class,
            Vars.OVERSIGHT_NOTE,
            EnumSet.allOf(Decision.LiveOversight.class),
            Reviewer.NOT_OWNER),
    VIOLATION_DECISION(
            Runbooks.Elements.VIOLATION_DECISION,
            "Safeguard Violation Decision",
            Stage.EXECUTE_OBSERVE,
            Roles.GOVERNANCE_VALIDATOR,
            Kind.CHOICE,
            Runbooks.Vars.VIOLATION_DECISION,
            Decision.ViolationDecision.class,
            Runbooks.Vars.VIOLATION_NOTE,
            EnumSet.allOf(Decision.ViolationDecision.class),
            Reviewer.NOT_OWNER),
    RESTORATION_CONFIRMATION(
            Runbooks.Elements.CONFIRM_RESTORATION,
            "Restoration Confirmation",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CONFIRM,
            Runbooks.Vars.RESTORATION_CONFIRMED,
            Decision.RestorationConfirmation.class,
            Runbooks.Vars.RESTORATION_NOTE,
            Set.of(Decision.RestorationConfirmation.RESTORED),
            Reviewer.ANYONE),
    SCOPE_REAUTHORIZATION(
            Runbooks.Elements.SCOPE_REAUTHORIZATION,
            "Toolkit Scope Re-authorisation",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CHOICE,
            Runbooks.Vars.DRIFT_DECISION,
            Decision.ScopeReauthorization.class,
            Runbooks.Vars.DRIFT_NOTE,
            EnumSet.allOf(Decision.ScopeReauthorization.class),
            Reviewer.NOT_OWNER),
    KPI_MISS_ANALYSIS(
            Runbooks.Elements.KPI_MISS_ANALYSIS,
            "KPI Miss Investigation",
            Stage.REFLECT_IMPROVE,
            Roles.TELEMETRY_ANALYST,
            Kind.CHOICE,
            Runbooks.Vars.REMEDIATION_OUTCOME,
            Decision.KpiMissAnalysis.class,
            Runbooks.Vars.ROOT_CAUSE,
            EnumSet.allOf(Decision.KpiMissAnalysis.class),
            Reviewer.ANYONE),
    TELEMETRY_GAP(
            WeeklyAudit.Elements.TELEMETRY_GAP,
            "Telemetry Gap Resolution",
            Stage.REFLECT_IMPROVE,
            Roles.TELEMETRY_ANALYST,
            Kind.CHOICE,
            WeeklyAudit.Vars.GAP_RESOLUTION,
            Decision.TelemetryGap.class,
            WeeklyAudit.Vars.GAP_NOTE,
            EnumSet.allOf(Decision.TelemetryGap.class),
            Reviewer.ANYONE),
    POST_INCIDENT_REVIEW(
            Runbooks.Elements.POST_INCIDENT_REVIEW,
            "Post-Incident Review",
            Stage.EXECUTE_OBSERVE,
            Roles.OPERATIONS_COMMAND,
            Kind.CONFIRM,
            Runbooks.Vars.REVIEW_COMPLETED,
            Decision.PostIncidentReview.class,
            Runbooks.Vars.REVIEW_SUMMARY,
            Set.of(Decision.PostIncidentReview.REVIEWED),
            Reviewer.ANYONE),
    MISSION_FEEDBACK(
            Elements.MISSION_FEEDBACK,
            "Mission Feedback",
            Stage.REFLECT_IMPROVE,
            Roles.MISSION_OWNER,
            Kind.SUBMIT,
            null,
            Decision.MissionFeedback.class,
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
            Decision.RetroSignOffOwner.class,
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
            Decision.RetroSignOffCurator.class,
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
            Decision.RetroSignOffAnalyst.class,
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
    public enum Kind {
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
    private final List<Decision> decisions;
    private final List<String> values;
    private final String commentVariable;
    private final Set<Decision> commentRequiredFor;
    private final Reviewer reviewer;

    /**
     * @param decisions          the checkpoint's decision enum, in the order its form offers them
     * @param commentRequiredFor its decisions that need a note (typed by the same enum: another's cannot slip in)
     */
    <E extends Enum<E> & Decision> Checkpoint(
            String taskKey,
            String displayName,
            Stage stage,
            String role,
            Kind kind,
            String decisionVariable,
            Class<E> decisions,
            String commentVariable,
            Set<E> commentRequiredFor,
            Reviewer reviewer) {
        this.taskKey = taskKey;
        this.displayName = displayName;
        this.stage = stage;
        this.role = role;
        this.kind = kind;
        this.decisionVariable = decisionVariable;
        this.decisions = List.of(decisions.getEnumConstants());
        this.values = this.decisions.stream().map(Decision::value).toList();
        this.commentVariable = commentVariable;
        this.commentRequiredFor = Set.copyOf(commentRequiredFor);
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

    public Kind kind() {
        return kind;
    }

    /** The variable the form's decision field sets ({@code null} for a plain submission). */
    public String decisionVariable() {
        return decisionVariable;
    }

    /** The decision a submitted wire value stands for, or empty when it is none of this checkpoint's. */
    public Optional<Decision> decision(String value) {
        return decisions.stream().filter(d -> d.value().equals(value)).findFirst();
    }

    /** Whether {@code decision} (a wire value) needs a note (the form refuses it without one). */
    public boolean noteRequired(String decision) {
        return decision(decision).map(this::noteRequired).orElse(false);
    }

    boolean noteRequired(Decision decision) {
        return commentRequiredFor.contains(decision);
    }

    /**
     * What the person must confirm on top of the decision, as the form's checkbox says it, or empty: approving the
     * intent acknowledges the mission's safeguards ({@link CheckpointDecisions} refuses an approval without).
     */
    public Optional<String> confirmationFor(String decision) {
        return decision(decision).orElse(null) == Decision.IntentConfirmation.APPROVE
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

    /** The wire values of the checkpoint's decisions, in the order its form offers them. */
    public List<String> decisions() {
        return values;
    }

    /** The only decision of a confirming checkpoint or a plain submission. */
    Decision soleDecision() {
        return decisions.get(0);
    }

    String commentVariable() {
        return commentVariable;
    }

    Reviewer reviewer() {
        return reviewer;
    }
}
