package io.controlplane.rhythm;

import io.controlplane.incident.IncidentProperties;
import io.controlplane.mission.Stage;
import io.controlplane.rhythm.DigestReads.BacklogItem;
import io.controlplane.rhythm.DigestReads.Blocker;
import io.controlplane.rhythm.DigestReads.IncidentCounts;
import io.controlplane.rhythm.DigestReads.RunbookRuns;
import io.controlplane.rhythm.DigestReads.Throughput;
import io.controlplane.rhythm.Figures.KpiDelta;
import io.controlplane.rhythm.Figures.LatencyWeek;
import io.controlplane.rhythm.Rhythm.Meeting;
import io.controlplane.telemetry.Boards;
import io.controlplane.telemetry.KpiService;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The digest of each meeting of the operating rhythm, as of one instant (the engine's clock when its timer fired).
 * Figures come from the services the dashboards use ({@link KpiService}, {@link Boards}) and from SQL over Camunda's
 * history and the control plane's tables ({@link DigestReads}); every figure is "as of" the instant or inside the
 * digest's window, so a digest of a past date shows what was true then. Months and quarters are calendar ones in the
 * team's time zone. The figures are one record per meeting ({@link Figures}); what people read is written by
 * {@link OperationsText} and {@link ReviewText}.
 */
@Service
public class RhythmDigests {
    static final int LISTED = 10;
    static final int BLOCKERS_PER_STAGE = 3;
    static final int BACKLOG_PER_STAGE = 3;
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT);

    /** A part of the digest: bullet lines and/or a table (first row: the header). */
    public record Section(String heading, List<String> lines, List<List<String>> table) {}

    /** One meeting's digest: window [from, to), stage tags, figures (JSON for the API), sections (for people). */
    public record Digest<F extends Figures>(
            Meeting meeting,
            Instant heldAt,
            LocalDate date,
            ZoneId zone,
            Instant from,
            Instant to,
            String period,
            Set<Stage> stages,
            F figures,
            List<Section> sections,
            List<MissedKpi> missedKpis) {
        public String title() {
            return meeting.title() + " " + date + (period == null ? "" : " (" + period + ")");
        }
    }

    /** A KPI the month missed, as the KPI miss investigation takes it (the {@code missedKpi} of its loop). */
    public record MissedKpi(String key, String name, String value, String target) {
        static MissedKpi of(KpiService.Kpi k) {
            return new MissedKpi(
                    k.key(),
                    k.name(),
                    DigestText.number(k.value()) + " " + k.unit(),
                    k.comparator() + " " + DigestText.number(k.target()) + " " + k.unit());
        }
    }

    private final DigestReads reads;
    private final KpiService kpis;
    private final Boards boards;
    private final RhythmSchedule schedule;
    private final Duration reviewWithin;
    private final KpiMisses kpiMisses;

    RhythmDigests(
            DigestReads reads,
            KpiService kpis,
            Boards boards,
            RhythmSchedule schedule,
            IncidentProperties incidents,
            KpiMisses kpiMisses) {
        this.reads = reads;
        this.kpis = kpis;
        this.boards = boards;
        this.schedule = schedule;
        this.reviewWithin = incidents.reviewWithin();
        this.kpiMisses = kpiMisses;
    }

    @Transactional(readOnly = true)
    public Digest<?> compile(Meeting meeting, Instant at) {
        return switch (meeting) {
            case DAILY_STANDUP -> dailyStandup(at);
            case WEEKLY_OPS_SYNC -> weeklyOpsSync(at);
            case GOVERNANCE_COUNCIL -> governanceCouncil(at);
            case MONTHLY_RETROSPECTIVE -> monthlyRetrospective(at);
            case QUARTERLY_PLANNING -> quarterlyPlanning(at);
        };
    }

    // ---- daily standup: active missions by stage, validator alerts (24 h), undo readiness, open incidents, overdue
    // reviews

    Digest<Figures.DailyStandup> dailyStandup(Instant at) {
        Instant from = at.minus(Duration.ofHours(24));
        Map<Stage, Long> active = reads.activeByStage(at);
        Boards.SafeguardCompliance alerts = boards.safeguardCompliance(from, at);
        Boards.UndoReadiness undo = boards.undoReadiness(from, at);
        IncidentCounts incidents = reads.incidentCounts(at, reviewWithin);
        Figures.DailyStandup figures = new Figures.DailyStandup(
                Figures.byCode(active),
                active.values().stream().mapToLong(Long::longValue).sum(),
                alerts.alerts(),
                alerts.alertsByCode(),
                alerts.outcomes(),
                undo,
                incidents.open(),
                incidents.acknowledged(),
                incidents.reviewsOverdue());
        List<Section> sections = List.of(
                new Section("Active missions by stage", List.of(), DigestText.stageTable("Active missions", active)),
                OperationsText.validatorAlerts(alerts),
                OperationsText.undoReadiness(undo),
                OperationsText.openIncidents(incidents, reads.openIncidents(at)),
                OperationsText.overdueReviews(incidents, reads.overdueReviews(at, reviewWithin), reviewWithin));
        Set<Stage> tags = EnumSet.of(Stage.EXECUTE_OBSERVE);
        active.forEach((s, n) -> {
            if (n > 0) {
                tags.add(s);
            }
        });
        return digest(Meeting.DAILY_STANDUP, at, from, at, null, tags, figures, sections, List.of());
    }

    // ---- weekly ops sync: stage throughput, blockers, runbook changes, KPI table

    Digest<Figures.WeeklyOpsSync> weeklyOpsSync(Instant at) {
        Instant from = at.minus(Duration.ofDays(7));
        Map<Stage, Throughput> throughput = reads.stageThroughput(from, at);
        List<Blocker> blockers = reads.blockers(from, at, BLOCKERS_PER_STAGE);
        List<RunbookRuns> runs = reads.runbookRuns(from, at);
        List<String> versions = reads.runbookVersions(from, at);
        KpiService.Report report = kpis.report(from, at);
        Figures.WeeklyOpsSync figures = new Figures.WeeklyOpsSync(
                Figures.byCode(throughput), Figures.waiting(blockers, at), Figures.runs(runs), versions, report.kpis());
        List<Section> sections = List.of(
                OperationsText.stageThroughput(throughput),
                OperationsText.blockers(blockers, at),
                OperationsText.runbooks(runs, versions),
                new Section("KPIs against targets (last 7 days)", List.of(), DigestText.kpiTable(report.kpis())));
        return digest(
                Meeting.WEEKLY_OPS_SYNC, at, from, at, null, EnumSet.allOf(Stage.class), figures, sections, List.of());
    }

    // ---- governance council: escalations, approval latency trend, safeguard overrides and their reasons

    Digest<Figures.GovernanceCouncil> governanceCouncil(Instant at) {
        Instant from = at.minus(Duration.ofDays(14));
        long escalations = reads.escalationCount(from, at);
        // the 14 days and the four trend weeks in one multi-window computation (one query per KPI)
        List<KpiService.Window> windows = new ArrayList<>(List.of(new KpiService.Window(from, at)));
        for (int i = 3; i >= 0; i--) {
            Instant end = at.minus(Duration.ofDays(7L * i));
            windows.add(new KpiService.Window(end.minus(Duration.ofDays(7)), end));
        }
        List<KpiService.Report> reports = kpis.reports(windows);
        KpiService.Report report = reports.get(0);
        KpiService.Kpi rate = report.kpi("validator-escalation-rate");
        KpiService.Kpi undo = report.kpi("undo-execution-success");
        List<LatencyWeek> trend =
                reports.subList(1, reports.size()).stream().map(LatencyWeek::of).toList();
        Boards.SafeguardCompliance compliance = boards.safeguardCompliance(from, at);
        Figures.GovernanceCouncil figures = new Figures.GovernanceCouncil(
                escalations, rate, undo, trend, compliance.overrideDecisions(), compliance.overrideReasons());
        List<Section> sections = List.of(
                ReviewText.escalations(escalations, reads.escalations(from, at), rate, undo),
                ReviewText.latencyTrend(trend, report.kpi("approval-latency").target(), schedule.getTimeZone()),
                ReviewText.overrides(compliance));
        Set<Stage> tags = EnumSet.of(Stage.PLAN_APPROVE, Stage.EXECUTE_OBSERVE);
        return digest(Meeting.GOVERNANCE_COUNCIL, at, from, at, null, tags, figures, sections, List.of());
    }

    // ---- monthly retrospective: KPI deltas against the previous month, feedback insights, library contributions and
    // reuse

    Digest<Figures.MonthlyRetrospective> monthlyRetrospective(Instant at) {
        ZonedDateTime thisMonth = at.atZone(schedule.getTimeZone())
                .toLocalDate()
                .withDayOfMonth(1)
                .atStartOfDay(schedule.getTimeZone());
        Instant from = thisMonth.minusMonths(1).toInstant();
        Instant to = thisMonth.toInstant();
        String period = MONTH.format(thisMonth.minusMonths(1));
        List<KpiService.Report> both = kpis.reports(List.of(
                new KpiService.Window(from, to),
                new KpiService.Window(thisMonth.minusMonths(2).toInstant(), from)));
        KpiService.Report month = both.get(0);
        KpiMisses.Misses misses = kpiMisses.of(month, period);
        Boards.FeedbackInsights feedback = boards.feedbackInsights(from, to);
        long contributed = reads.libraryContributionCount(from, to);
        KpiService.Kpi reuse = month.kpi("library-reuse");
        Figures.MonthlyRetrospective figures = new Figures.MonthlyRetrospective(
                KpiDelta.all(month, both.get(1)),
                misses.keys(),
                misses.investigations(),
                Figures.Feedback.of(feedback),
                contributed,
                reuse);
        List<String> months = List.of(period, MONTH.format(thisMonth.minusMonths(2)));
        List<Section> sections = List.of(
                ReviewText.kpiDeltas(months, month, both.get(1), misses),
                ReviewText.feedback(feedback),
                ReviewText.library(
                        contributed, reads.libraryContributions(from, to), reuse, reads.mostReused(from, to)));
        Set<Stage> tags = misses.stages();
        List<MissedKpi> missed = misses.toInvestigate();
        return digest(Meeting.MONTHLY_RETROSPECTIVE, at, from, to, period, tags, figures, sections, missed);
    }

    // ---- quarterly planning: the quarter's KPI trend, the backlog's top items per stage

    Digest<Figures.QuarterlyPlanning> quarterlyPlanning(Instant at) {
        LocalDate today = at.atZone(schedule.getTimeZone()).toLocalDate();
        LocalDate quarterStart = today.withDayOfMonth(1).withMonth(((today.getMonthValue() - 1) / 3) * 3 + 1);
        ZonedDateTime q1 = quarterStart.atStartOfDay(schedule.getTimeZone());
        ZonedDateTime q0 = q1.minusMonths(3);
        String period = q0.getYear() + "-Q" + ((q0.getMonthValue() - 1) / 3 + 1);
        List<KpiService.Window> windows = new ArrayList<>();
        List<String> monthNames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            windows.add(new KpiService.Window(
                    q0.plusMonths(i).toInstant(), q0.plusMonths(i + 1L).toInstant()));
            monthNames.add(MONTH.format(q0.plusMonths(i)));
        }
        List<KpiService.Report> months = kpis.reports(windows);
        List<BacklogItem> backlog = reads.backlogTop(at, BACKLOG_PER_STAGE);
        List<Section> sections = List.of(ReviewText.kpiTrend(period, monthNames, months), ReviewText.backlog(backlog));
        Figures.QuarterlyPlanning figures =
                new Figures.QuarterlyPlanning(Figures.trend(months), Figures.openItems(backlog));
        Set<Stage> tags = EnumSet.allOf(Stage.class);
        return digest(
                Meeting.QUARTERLY_PLANNING,
                at,
                q0.toInstant(),
                q1.toInstant(),
                period,
                tags,
                figures,
                sections,
                List.of());
    }

    // ---- helpers

    private <F extends Figures> Digest<F> digest(
            Meeting meeting,
            Instant at,
            Instant from,
            Instant to,
            String period,
            Set<Stage> tags,
            F figures,
            List<Section> sections,
            List<MissedKpi> missed) {
        return new Digest<>(
                meeting,
                at,
                at.atZone(schedule.getTimeZone()).toLocalDate(),
                schedule.getTimeZone(),
                from,
                to,
                period,
                tags,
                figures,
                List.copyOf(sections),
                missed);
    }
}
