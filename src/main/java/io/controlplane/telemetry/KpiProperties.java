package io.controlplane.telemetry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code controlplane.kpis}: the business KPIs' targets (operations guide, "Business KPIs"). Every target has its
 * default here, so the service starts without any configuration. Rates are percentages (0–100).
 */
@ConfigurationProperties(prefix = "controlplane.kpis")
record KpiProperties(
        @DefaultValue Targets targets, @DefaultValue Facts facts) {

    /**
     * @param missionThroughput      completed journeys per week (≥); scaled to the window's length
     * @param approvalLatency        P95 hours from packet review tasks created to the last co-signature (≤)
     * @param validatorEscalationRate percent of missions reaching Execute that escalated (≤)
     * @param undoExecutionSuccess   percent of undo executions completed (≥)
     * @param feedbackParticipation  percent of completed missions with feedback (≥)
     * @param libraryReuse           percent of planned missions reusing a library asset (≥)
     */
    record Targets(
            @DefaultValue("30") double missionThroughput,
            @DefaultValue("4") double approvalLatency,
            @DefaultValue("5") double validatorEscalationRate,
            @DefaultValue("98") double undoExecutionSuccess,
            @DefaultValue("80") double feedbackParticipation,
            @DefaultValue("35") double libraryReuse) {}

    /**
     * The KPIs' read model ({@link KpiFacts}).
     *
     * @param enabled     materialize the facts of ended journeys on a schedule (off in tests, which call it themselves)
     * @param refreshMs   how often (the run after the last one ended); journeys not materialized yet are read live
     * @param lateCommits how long after its end time a journey's end may still commit (clock skew between nodes, a long
     *                    transaction) and be found: the live set looks this far behind the progress
     * @param chunk       journeys materialized per transaction
     */
    record Facts(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("60000") long refreshMs,
            @DefaultValue("PT1H") Duration lateCommits,
            @DefaultValue("2000") int chunk) {}
}
