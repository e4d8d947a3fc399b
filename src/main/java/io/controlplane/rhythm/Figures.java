package io.controlplane.rhythm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.controlplane.mission.Stage;
import io.controlplane.rhythm.DigestReads.Throughput;
import io.controlplane.telemetry.Boards;
import io.controlplane.telemetry.KpiService;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A digest's figures, one record per meeting: the numbers the meeting notes store as JSON ({@code figures} of
 * {@code GET /api/meetings/{id}}). Maps are keyed by stage code or KPI key, in stage or KPI order.
 */
public sealed interface Figures {

    record DailyStandup(
            Map<String, Long> activeMissionsByStage,
            long activeMissions,
            long validatorAlerts24h,
            List<Boards.AlertCount> validatorAlertsByCode,
            Map<String, Long> validatorOutcomes24h,
            Boards.UndoReadiness undoReadiness24h,
            long openIncidents,
            long acknowledgedIncidents,
            long overduePostIncidentReviews)
            implements Figures {}

    record WeeklyOpsSync(
            Map<String, Throughput> stageThroughput,
            Map<String, List<WaitingMission>> blockers,
            Map<String, Runs> runbookRuns,
            List<String> runbookVersionsDeployed,
            List<KpiService.Kpi> kpis)
            implements Figures {}

    record GovernanceCouncil(
            long escalations,
            KpiService.Kpi validatorEscalationRate,
            KpiService.Kpi undoExecutionSuccess,
            List<LatencyWeek> approvalLatencyTrend,
            long safeguardOverrides,
            List<Boards.Decision> safeguardOverrideReasons)
            implements Figures {}

    record MonthlyRetrospective(
            List<KpiDelta> kpiDeltas,
            List<String> missedKpis,
            List<Investigation> kpiMissInvestigations,
            Feedback feedbackInsights,
            long libraryContributions,
            KpiService.Kpi libraryReuse)
            implements Figures {}

    record QuarterlyPlanning(Map<String, List<Double>> kpiTrendByMonth, Map<String, List<OpenItem>> backlogTopItems)
            implements Figures {}

    /** A mission waiting in its stage since it entered it. */
    record WaitingMission(String missionId, String title, Instant inStageSince, double waitingHours) {}

    record Runs(long started, long ended) {}

    /** One week of approval latency: its P95 in hours, approval rounds, and rounds within the target. */
    record LatencyWeek(Instant weekEnding, Double p95Hours, Long rounds, Long withinTarget) {
        static LatencyWeek of(KpiService.Report week) {
            KpiService.Kpi latency = week.kpi("approval-latency");
            return new LatencyWeek(week.to(), latency.value(), latency.denominator(), latency.numerator());
        }
    }

    /** A KPI this month against the month before (absent where either has no data). */
    record KpiDelta(String key, Double value, Double previous, Double delta, double target, Boolean met) {
        static KpiDelta of(KpiService.Kpi now, KpiService.Kpi before) {
            Double delta = now.value() == null || before.value() == null ? null : now.value() - before.value();
            return new KpiDelta(now.key(), now.value(), before.value(), delta, now.target(), now.met());
        }

        /** Each KPI of the month against the same KPI of the month before. */
        static List<KpiDelta> all(KpiService.Report month, KpiService.Report before) {
            return month.kpis().stream().map(k -> of(k, before.kpi(k.key()))).toList();
        }
    }

    /** A missed KPI's investigation for the period: "started", or "already open" / "already done". */
    record Investigation(String kpi, String businessKey, String status) {
        public static final String STARTED = "started";

        public boolean started() {
            return STARTED.equals(status);
        }
    }

    /** The month's feedback; an average rating without feedback reads "—". */
    record Feedback(
            long feedback,

            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonSerialize(nullsUsing = Dash.class)
            Double averageRating,

            BigDecimal effortSavedHours,
            Map<String, Long> satisfaction) {
        static Feedback of(Boards.FeedbackInsights f) {
            return new Feedback(f.feedbackCount(), f.averageRating(), f.effortSavedHoursTotal(), f.satisfaction());
        }
    }

    record OpenItem(long id, String title, BigDecimal priority, String status) {}

    /** By stage code, in stage order (the map's). */
    static <V> Map<String, V> byCode(Map<Stage, V> byStage) {
        Map<String, V> out = new LinkedHashMap<>();
        byStage.forEach((s, v) -> out.put(s.name(), v));
        return out;
    }

    /** The blockers by stage code, each with its waiting time at the instant. */
    static Map<String, List<WaitingMission>> waiting(List<DigestReads.Blocker> blockers, Instant at) {
        Map<String, List<WaitingMission>> byStage = new LinkedHashMap<>();
        for (DigestReads.Blocker b : blockers) {
            double hours = DigestText.round1(OperationsText.waitingHours(b, at));
            byStage.computeIfAbsent(b.stage().name(), k -> new ArrayList<>())
                    .add(new WaitingMission(b.missionId(), b.title(), b.since(), hours));
        }
        return byStage;
    }

    static Map<String, Runs> runs(List<DigestReads.RunbookRuns> runs) {
        Map<String, Runs> byRunbook = new LinkedHashMap<>();
        runs.forEach(r -> byRunbook.put(r.runbook(), new Runs(r.started(), r.ended())));
        return byRunbook;
    }

    /** Each KPI's value in each month, by KPI key. */
    static Map<String, List<Double>> trend(List<KpiService.Report> months) {
        Map<String, List<Double>> trend = new LinkedHashMap<>();
        for (KpiService.Kpi k : months.get(0).kpis()) {
            trend.put(k.key(), months.stream().map(m -> m.kpi(k.key()).value()).toList());
        }
        return trend;
    }

    /** The backlog's top items by stage code, in the order read. */
    static Map<String, List<OpenItem>> openItems(List<DigestReads.BacklogItem> items) {
        Map<String, List<OpenItem>> byStage = new LinkedHashMap<>();
        items.forEach(i -> byStage.computeIfAbsent(i.stage().name(), k -> new ArrayList<>())
                .add(new OpenItem(i.id(), i.title(), i.priority(), i.status())));
        return byStage;
    }

    /** Writes a missing number as "—", as the notes have it. */
    final class Dash extends JsonSerializer<Object> {
        @Override
        public void serialize(Object value, JsonGenerator json, SerializerProvider serializers) throws IOException {
            json.writeString("—");
        }
    }
}
