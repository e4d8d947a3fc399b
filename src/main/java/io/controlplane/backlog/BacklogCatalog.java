package io.controlplane.backlog;

import io.controlplane.mission.Stage;
import io.controlplane.platform.Roles;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The vocabulary of the operations backlog: the guide's suggested categories per stage, KPI keys, artifacts, sources. */
final class BacklogCatalog {

    /** The operations guide's "Suggested backlog categories", by stage. */
    static final Map<Stage, List<String>> CATEGORIES = new EnumMap<>(Map.of(
            Stage.DEFINE, List.of("intake_prompts", "safeguard_templates", "persona_playbooks"),
            Stage.PREPARE, List.of("oauth_automation", "toolkit_catalog", "data_sampling"),
            Stage.PLAN_APPROVE, List.of("approval_ux", "risk_matrix_automation", "undo_plan_coverage"),
            Stage.EXECUTE_OBSERVE, List.of("incident_tooling", "validator_tuning", "metric_slos"),
            Stage.REFLECT_IMPROVE, List.of("feedback_classification", "library_tagging", "training_content")));

    /**
     * The category a telemetry-gap item gets, by the gap's stage: the category whose work would restore the missing
     * stage event. Define's events are the intake's (intent_submitted, mission_brief_locked) → intake_prompts; Prepare's
     * first is data_preview_generated → data_sampling; Plan & Approve's are the approval round's → approval_ux; Execute
     * &amp; Observe's are execution and evidence metrics → metric_slos; Reflect &amp; Improve's start with
     * feedback_submitted → feedback_classification.
     */
    static final Map<Stage, String> TELEMETRY_GAP_CATEGORY = new EnumMap<>(Map.of(
            Stage.DEFINE, "intake_prompts",
            Stage.PREPARE, "data_sampling",
            Stage.PLAN_APPROVE, "approval_ux",
            Stage.EXECUTE_OBSERVE, "metric_slos",
            Stage.REFLECT_IMPROVE, "feedback_classification"));

    static final List<String> KPIS = List.of(
            "mission-throughput",
            "approval-latency",
            "validator-escalation-rate",
            "undo-execution-success",
            "feedback-participation",
            "library-reuse");

    static final List<String> ARTIFACTS =
            Arrays.stream(Stage.values()).map(Stage::evidenceTemplate).toList();

    static final List<String> OWNER_ROLES = Roles.OPERATING_ROLES;

    // statuses and sources in the API's one enum casing (UPPER_SNAKE, docs/api.md); categories, KPI keys and
    // artifacts are names of things, kept as the guide spells them
    static final String OPEN = "OPEN";
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String DONE = "DONE";
    static final List<String> STATUSES = List.of(OPEN, IN_PROGRESS, DONE);

    static final String MANUAL = "MANUAL";
    static final String REFLECT_FOLLOWUP = "REFLECT_FOLLOWUP";
    static final String TELEMETRY_GAP = "TELEMETRY_GAP";
    static final String KPI_MISS = "KPI_MISS";
    static final String POST_INCIDENT_REVIEW = "POST_INCIDENT_REVIEW";
    static final List<String> SOURCES =
            List.of(MANUAL, REFLECT_FOLLOWUP, TELEMETRY_GAP, KPI_MISS, POST_INCIDENT_REVIEW);

    private BacklogCatalog() {}

    /** A stage code ({@code plan_approve}) or a legacy eight-stage name ({@code Mission Brief}). */
    static Optional<Stage> stage(String codeOrLegacy) {
        return Stage.fromCode(codeOrLegacy).or(() -> Stage.fromLegacy(codeOrLegacy));
    }

    static Optional<Stage> stageOfCategory(String category) {
        return CATEGORIES.entrySet().stream()
                .filter(e -> e.getValue().contains(category))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
