package io.controlplane.mission;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The telemetry event catalog (docs/domain.md, "Telemetry events"): the single list of known event names and the stage
 * each belongs to; incidents belong to any stage. Nothing outside this list is stored.
 */
public enum TelemetryCatalog {
    INTENT_SUBMITTED(Stage.DEFINE),
    BRIEF_GENERATED(Stage.DEFINE),
    BRIEF_ITEM_MODIFIED(Stage.DEFINE),
    MISSION_BRIEF_LOCKED(Stage.DEFINE),
    SAFEGUARD_ADDED(Stage.DEFINE),

    TOOLKIT_RECOMMENDED(Stage.PREPARE),
    TOOLKIT_SELECTED(Stage.PREPARE),
    TOOLKIT_CONNECTED(Stage.PREPARE),
    SCOPE_GRANTED(Stage.PREPARE),
    DATA_PREVIEW_GENERATED(Stage.PREPARE),
    READINESS_STATUS_CHANGED(Stage.PREPARE),
    COVERAGE_GAP_IDENTIFIED(Stage.PREPARE),
    GOVERNANCE_OVERRIDE_REQUESTED(Stage.PREPARE),

    PLANNER_CANDIDATE_GENERATED(Stage.PLAN_APPROVE),
    PLAN_RANKED(Stage.PLAN_APPROVE),
    APPROVAL_REQUESTED(Stage.PLAN_APPROVE),
    APPROVAL_GRANTED(Stage.PLAN_APPROVE),
    PLAN_APPROVED(Stage.PLAN_APPROVE),
    PLAN_REJECTED(Stage.PLAN_APPROVE),
    VALIDATOR_SCOPE_CHECK(Stage.PLAN_APPROVE),

    EXECUTION_STARTED(Stage.EXECUTE_OBSERVE),
    EXECUTION_STEP_COMPLETED(Stage.EXECUTE_OBSERVE),
    VALIDATOR_ALERT_RAISED(Stage.EXECUTE_OBSERVE),
    VALIDATOR_OVERRIDE_REQUESTED(Stage.EXECUTE_OBSERVE),
    UNDO_AVAILABLE(Stage.EXECUTE_OBSERVE),
    UNDO_REQUESTED(Stage.EXECUTE_OBSERVE),
    UNDO_COMPLETED(Stage.EXECUTE_OBSERVE),
    EVIDENCE_BUNDLE_GENERATED(Stage.EXECUTE_OBSERVE),
    EXECUTION_PAUSED(Stage.EXECUTE_OBSERVE),

    MISSION_COMPLETED(Stage.REFLECT_IMPROVE),
    FEEDBACK_SUBMITTED(Stage.REFLECT_IMPROVE),
    LIBRARY_CONTRIBUTION(Stage.REFLECT_IMPROVE),
    MISSION_RETROSPECTIVE_LOGGED(Stage.REFLECT_IMPROVE),
    FOLLOWUP_SCHEDULED(Stage.REFLECT_IMPROVE),

    INCIDENT_OPENED(null),
    INCIDENT_RESOLVED(null);

    private final Stage stage;

    TelemetryCatalog(Stage stage) {
        this.stage = stage;
    }

    /** The event's name as stored and posted, e.g. {@code mission_brief_locked}. */
    public String eventName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stage the event belongs to; empty for events of any stage (incidents). */
    public Optional<Stage> stage() {
        return Optional.ofNullable(stage);
    }

    public static Optional<TelemetryCatalog> ofName(String name) {
        return Arrays.stream(values()).filter(e -> e.eventName().equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(TelemetryCatalog::eventName).toList();
    }
}
