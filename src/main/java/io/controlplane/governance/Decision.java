package io.controlplane.governance;

import java.util.Locale;

/**
 * A checkpoint's decision, one enum per {@link Checkpoint}. Its {@link #value()} is the wire value: what the form's
 * radio or select sends, what the BPMN conditions compare the decision variable with, what {@code /engine-rest}
 * callers and Slack buttons send and what {@code mission_approvals} records. {@code ModelConventionsTest} fails when
 * an enum and its models disagree.
 *
 * <p>A confirming checkpoint (a ticked checkbox) and a plain submission have one decision: the one recorded.
 */
public interface Decision {

    /** the constant's name, which every enum below has */
    String name();

    /** The wire value: the constant's name in lower case, as the models spell it ({@code REQUEST_CHANGES}). */
    default String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    enum IntentConfirmation implements Decision {
        APPROVE,
        REQUEST_CHANGES
    }

    enum BriefRevision implements Decision {
        REVISED
    }

    enum CoverageGapDecision implements Decision {
        OVERRIDE,
        ADJUST_TOOLKITS
    }

    enum CoverageOverrideApproval implements Decision {
        APPROVE,
        REJECT
    }

    enum ToolkitAdjustment implements Decision {
        ADJUSTED
    }

    enum ToolkitAuthorization implements Decision {
        AUTHORIZE,
        REJECT
    }

    enum PacketReviewGovernance implements Decision {
        APPROVE,
        REJECT
    }

    enum PacketReviewOperations implements Decision {
        APPROVE,
        REJECT
    }

    enum TelemetryHooksVerification implements Decision {
        VERIFIED,
        MISSING
    }

    enum RedPlayConfirmation implements Decision {
        CONFIRM,
        REJECT
    }

    enum LiveOversight implements Decision {
        HANDOVER,
        STAND_DOWN,
        TRIGGER_UNDO
    }

    enum ViolationDecision implements Decision {
        RESUME,
        ROLLBACK,
        ABORT
    }

    enum RestorationConfirmation implements Decision {
        RESTORED
    }

    enum ScopeReauthorization implements Decision {
        REAUTHORIZE,
        REVOKE
    }

    enum KpiMissAnalysis implements Decision {
        BACKLOG_ITEM,
        ADJUST_TARGET,
        ACCEPT_MISS
    }

    enum TelemetryGap implements Decision {
        FIXED,
        ACCEPTED
    }

    enum PostIncidentReview implements Decision {
        REVIEWED
    }

    enum MissionFeedback implements Decision {
        SUBMITTED
    }

    enum RetroSignOffOwner implements Decision {
        SIGNED
    }

    enum RetroSignOffCurator implements Decision {
        SIGNED
    }

    enum RetroSignOffAnalyst implements Decision {
        SIGNED
    }
}
