package io.controlplane.rhythm;

import io.controlplane.incident.IncidentProperties;
import io.controlplane.incident.KpiMissInvestigations;
import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.rhythm.Rhythm.Meeting;
import io.controlplane.telemetry.Boards;
import io.controlplane.telemetry.KpiService;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The digest of each meeting of the operating rhythm, as of one instant (the engine's clock when its timer fired).
 * Figures come from the services the dashboards use ({@link KpiService}, {@link Boards}) and from SQL over Camunda's
 * history and the control plane's tables; every figure is "as of" the instant or inside the digest's window, so a
 * digest of a past date shows what was true then. Months and quarters are calendar ones in the team's time zone.
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
    public record Digest(
            Meeting meeting,
            Instant heldAt,
            LocalDate date,
            ZoneId zone,
            Instant from,
            Instant to,
            String period,
            Set<Stage> stages,
            Map<String, Object> figures,
            List<Section> sections,
            List<Map<String, String>> missedKpis) {
        public String title() {
            return meeting.title() + " " + date + (period == null ? "" : " (" + period + ")");
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final KpiService kpis;
    private final Boards boards;
    private final RhythmSchedule schedule;
    private final Duration reviewWithin;
    private final KpiMissInvestigations investigations;

    RhythmDigests(
            NamedParameterJdbcTemplate jdbc,
            KpiService kpis,
            Boards boards,
            RhythmSchedule schedule,
            IncidentProperties incidents,
            KpiMissInvestigations investigations) {
        this.investigations = investigations;
        this.jdbc = jdbc;
        this.kpis = kpis;
        this.boards = boards;
        this.schedule = schedule;
        this.reviewWithin = incidents.reviewWithin();
    }

    @Transactional(readOnly = true)
    public Digest compile(Meeting meeting, Instant at) {
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

    Digest dailyStandup(Instant at) {
        Instant from = at.minus(Duration.ofHours(24));
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Section> sections = new ArrayList<>();
        Set<Stage> tags = EnumSet.of(Stage.EXECUTE_OBSERVE);

        Map<Stage, Long> active = activeByStage(at);
        active.forEach((s, n) -> {
            if (n > 0) {
                tags.add(s);
            }
        });
        figures.put("activeMissionsByStage", byCode(active));
        figures.put(
                "activeMissions",
                active.values().stream().mapToLong(Long::longValue).sum());
        sections.add(new Section("Active missions by stage", List.of(), stageTable("Active missions", active)));

        Boards.SafeguardCompliance alerts = boards.safeguardCompliance(from, at);
        figures.put("validatorAlerts24h", alerts.alerts());
        figures.put("validatorAlertsByCode", alerts.alertsByCode());
        figures.put("validatorOutcomes24h", alerts.outcomes());
        List<String> alertLines = new ArrayList<>();
        alertLines.add(alerts.alerts() + " validator alert(s) in the last 24 h; outcomes: auto-fix "
                + alerts.outcomes().get("auto_fix") + ", retry later "
                + alerts.outcomes().get("retry_later")
                + ", escalated " + alerts.outcomes().get("escalate"));
        alerts.alertsByCode().stream()
                .limit(LISTED)
                .forEach(a -> alertLines.add(a.safeguard() + " / " + a.code() + ": " + a.alerts()));
        sections.add(new Section("Validator alerts (last 24 h)", alertLines, null));

        Boards.UndoReadiness undo = boards.undoReadiness(from, at);
        figures.put("undoReadiness24h", undo);
        sections.add(new Section(
                "Undo readiness (last 24 h)",
                List.of(
                        "Undo coverage: " + percent(undo.undoCoverage().percent()) + " ("
                                + undo.undoCoverage().withUndoPlan() + " of "
                                + undo.undoCoverage().executedMutating()
                                + " executed mutating plays have an undo plan)",
                        "Plays executed: " + undo.playsExecuted() + "; undo runs completed: " + undo.undoRunsCompleted()
                                + "; undo failures: " + undo.undoFailures() + "; missions rolled back: "
                                + undo.missionsRolledBack()),
                null));

        MapSqlParameterSource p = new MapSqlParameterSource("at", MissionStore.odt(at))
                .addValue("reviewDue", MissionStore.odt(at.minus(reviewWithin)))
                .addValue("limit", LISTED);
        long open = count(jdbc.queryForObject("SELECT COUNT(*) FROM incidents WHERE " + OPEN_AT, p, Long.class));
        long acknowledged =
                count(jdbc.queryForObject("SELECT COUNT(*) FROM incidents WHERE " + ACKNOWLEDGED_AT, p, Long.class));
        List<String> openLines = new ArrayList<>();
        openLines.add(open + " open incident(s), " + acknowledged + " acknowledged and not resolved");
        openLines.addAll(jdbc.query(
                "SELECT id, kind, severity, mission_id, CASE WHEN " + OPEN_AT
                        + " THEN 'open' ELSE 'acknowledged' END AS state FROM incidents WHERE (" + OPEN_AT + ") OR ("
                        + ACKNOWLEDGED_AT + ") ORDER BY opened_at, id LIMIT :limit",
                p,
                (rs, n) -> rs.getString("id") + " — "
                        + rs.getString("state") + ", " + rs.getString("kind") + ", " + rs.getString("severity")
                        + ", mission "
                        + rs.getString("mission_id")));
        figures.put("openIncidents", open);
        figures.put("acknowledgedIncidents", acknowledged);
        sections.add(new Section("Open incidents", openLines, null));

        long overdue =
                count(jdbc.queryForObject("SELECT COUNT(*) FROM incidents WHERE " + REVIEW_OVERDUE_AT, p, Long.class));
        List<String> overdueLines = new ArrayList<>();
        overdueLines.add(
                overdue + " post-incident review(s) overdue (due " + reviewWithin.toHours() + " h after resolution)");
        overdueLines.addAll(jdbc.query(
                "SELECT id, kind, resolved_at FROM incidents WHERE " + REVIEW_OVERDUE_AT
                        + " ORDER BY resolved_at, id LIMIT :limit",
                p,
                (rs, n) -> rs.getString("id") + " — " + rs.getString("kind") + ", resolved "
                        + MissionStore.instant(rs, "resolved_at")));
        figures.put("overduePostIncidentReviews", overdue);
        sections.add(new Section("Overdue post-incident reviews", overdueLines, null));
        return digest(Meeting.DAILY_STANDUP, at, from, at, null, tags, figures, sections, List.of());
    }

    /*
     * An incident's status at the instant, as GET /api/incidents?status= reads it now (issue #15: the standup counted
     * acknowledged incidents as open): OPEN = opened by then, neither acknowledged nor resolved by then; ACKNOWLEDGED =
     * acknowledged by then, not resolved by then. The store sets each timestamp with its status.
     */
    private static final String OPEN_AT = "opened_at <= :at AND (acknowledged_at IS NULL OR acknowledged_at > :at)"
            + " AND (resolved_at IS NULL OR resolved_at > :at)";
    private static final String ACKNOWLEDGED_AT =
            "acknowledged_at <= :at AND (resolved_at IS NULL OR resolved_at > :at)";
    /** resolved more than review-within before the instant, not reviewed by then */
    private static final String REVIEW_OVERDUE_AT =
            "resolved_at <= :reviewDue AND (reviewed_at IS NULL OR reviewed_at > :at)";

    // ---- weekly ops sync: stage throughput, blockers, runbook changes, KPI table

    Digest weeklyOpsSync(Instant at) {
        Instant from = at.minus(Duration.ofDays(7));
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Section> sections = new ArrayList<>();
        MapSqlParameterSource w = window(from, at);

        Map<Stage, long[]> throughput = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            throughput.put(s, new long[2]);
        }
        jdbc.query(STAGE_THROUGHPUT, w, rs -> {
            long[] counts = {rs.getLong("entered"), rs.getLong("left_forward")};
            Stage.fromCode(rs.getString("stage")).ifPresent(s -> throughput.put(s, counts));
        });
        List<List<String>> table = new ArrayList<>(List.of(List.of("Stage", "Entered", "Left forward")));
        Map<String, Object> throughputFigures = new LinkedHashMap<>();
        throughput.forEach((s, v) -> {
            table.add(List.of(s.displayName(), Long.toString(v[0]), Long.toString(v[1])));
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("entered", v[0]);
            counts.put("leftForward", v[1]);
            throughputFigures.put(s.name(), counts);
        });
        figures.put("stageThroughput", throughputFigures);
        sections.add(new Section("Stage throughput (last 7 days)", List.of(), table));

        Map<String, List<Map<String, Object>>> blockers = new LinkedHashMap<>();
        List<String> blockerLines = new ArrayList<>();
        jdbc.query(BLOCKERS, w.addValue("per", BLOCKERS_PER_STAGE), rs -> {
            Stage s = Stage.fromCode(rs.getString("stage")).orElseThrow();
            Instant since = rs.getTimestamp("since").toInstant();
            double hours = Duration.between(since, at).toMinutes() / 60.0;
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("missionId", rs.getString("mission_id"));
            b.put("title", rs.getString("title"));
            b.put("inStageSince", since);
            b.put("waitingHours", round1(hours));
            blockers.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(b);
            blockerLines.add(s.displayName() + ": " + rs.getString("title") + " (" + rs.getString("mission_id")
                    + ") waiting " + number(hours) + " h");
        });
        figures.put("blockers", blockers);
        if (blockerLines.isEmpty()) {
            blockerLines.add("No mission is waiting in a stage.");
        }
        sections.add(new Section("Blockers: missions waiting longest, by stage", blockerLines, null));

        List<String> runbookLines = new ArrayList<>();
        Map<String, Object> runbookRuns = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT PROC_DEF_KEY_ AS runbook, COUNT(*) AS started, COUNT(END_TIME_) AS ended
                FROM ACT_HI_PROCINST
                WHERE PROC_DEF_KEY_ LIKE 'runbook-%' AND START_TIME_ >= :from AND START_TIME_ < :to
                GROUP BY PROC_DEF_KEY_ ORDER BY PROC_DEF_KEY_""",
                w, rs -> {
                    Map<String, Long> runs = new LinkedHashMap<>();
                    runs.put("started", rs.getLong("started"));
                    runs.put("ended", rs.getLong("ended"));
                    runbookRuns.put(rs.getString("runbook"), runs);
                    runbookLines.add(rs.getString("runbook") + ": " + rs.getLong("started") + " run(s) started, "
                            + rs.getLong("ended") + " finished");
                });
        List<String> versions = jdbc.query("""
                SELECT d.KEY_ AS runbook, d.VERSION_ AS version
                FROM ACT_RE_PROCDEF d JOIN ACT_RE_DEPLOYMENT r ON r.ID_ = d.DEPLOYMENT_ID_
                WHERE d.KEY_ LIKE 'runbook-%' AND r.DEPLOY_TIME_ >= :from AND r.DEPLOY_TIME_ < :to
                ORDER BY d.KEY_, d.VERSION_""", w, (rs, n) -> rs.getString("runbook") + " v" + rs.getInt("version"));
        versions.forEach(v -> runbookLines.add("Runbook model changed: " + v + " deployed"));
        if (runbookLines.isEmpty()) {
            runbookLines.add("No runbook ran and no runbook model changed.");
        }
        figures.put("runbookRuns", runbookRuns);
        figures.put("runbookVersionsDeployed", versions);
        sections.add(new Section("Runbook changes and runs (last 7 days)", runbookLines, null));

        KpiService.Report report = kpis.report(from, at);
        figures.put("kpis", report.kpis());
        sections.add(new Section("KPIs against targets (last 7 days)", List.of(), kpiTable(report.kpis())));
        return digest(
                Meeting.WEEKLY_OPS_SYNC, at, from, at, null, EnumSet.allOf(Stage.class), figures, sections, List.of());
    }

    // ---- governance council: escalations, approval latency trend, safeguard overrides and their reasons

    Digest governanceCouncil(Instant at) {
        Instant from = at.minus(Duration.ofDays(14));
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Section> sections = new ArrayList<>();
        MapSqlParameterSource w = window(from, at)
                .addValue("violation", Runbooks.SAFEGUARD_VIOLATION)
                .addValue("limit", LISTED);

        long escalations = count(jdbc.queryForObject(
                "SELECT COUNT(*) FROM ACT_HI_PROCINST WHERE PROC_DEF_KEY_ = :violation "
                        + "AND START_TIME_ >= :from AND START_TIME_ < :to",
                w,
                Long.class));
        List<String> escalationLines = new ArrayList<>();
        escalationLines.add(escalations + " safeguard escalation(s) to a Governance Validator in the last 14 days");
        escalationLines.addAll(jdbc.query(
                """
                SELECT BUSINESS_KEY_ AS mission_id, START_TIME_ AS started, END_TIME_ AS ended FROM ACT_HI_PROCINST
                WHERE PROC_DEF_KEY_ = :violation AND START_TIME_ >= :from AND START_TIME_ < :to
                ORDER BY START_TIME_, ID_ LIMIT :limit""",
                w,
                (rs, n) -> "mission " + rs.getString("mission_id")
                        + ", escalated " + rs.getTimestamp("started").toInstant()
                        + (rs.getTimestamp("ended") == null ? ", still open" : ", closed")));
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
        escalationLines.add(kpiLine(rate));
        escalationLines.add(kpiLine(undo));
        figures.put("escalations", escalations);
        figures.put("validatorEscalationRate", rate);
        figures.put("undoExecutionSuccess", undo);
        sections.add(new Section("Escalations (last 14 days)", escalationLines, null));

        List<List<String>> trend =
                new ArrayList<>(List.of(List.of("Week ending", "P95 hours", "Rounds", "Within 4 h")));
        List<Map<String, Object>> trendFigures = new ArrayList<>();
        for (KpiService.Report week : reports.subList(1, reports.size())) {
            Instant end = week.to();
            KpiService.Kpi latency = week.kpi("approval-latency");
            trend.add(List.of(
                    end.atZone(schedule.getTimeZone()).toLocalDate().toString(),
                    number(latency.value()),
                    Long.toString(latency.denominator()),
                    Long.toString(latency.numerator())));
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("weekEnding", end);
            point.put("p95Hours", latency.value());
            point.put("rounds", latency.denominator());
            point.put("withinTarget", latency.numerator());
            trendFigures.add(point);
        }
        figures.put("approvalLatencyTrend", trendFigures);
        sections.add(new Section(
                "Approval latency trend (P95, target ≤ "
                        + number(report.kpi("approval-latency").target()) + " h)",
                List.of(),
                trend));

        Boards.SafeguardCompliance compliance = boards.safeguardCompliance(from, at);
        List<String> overrideLines = new ArrayList<>();
        overrideLines.add(compliance.overrideDecisions() + " safeguard override decision(s)");
        compliance.overrideReasons().stream()
                .limit(LISTED)
                .forEach(d -> overrideLines.add("mission " + d.missionId() + ": " + d.decision() + " by "
                        + d.decidedBy() + " — " + (d.comment() == null ? "no reason given" : d.comment())));
        figures.put("safeguardOverrides", compliance.overrideDecisions());
        figures.put("safeguardOverrideReasons", compliance.overrideReasons());
        sections.add(new Section("Safeguard overrides and their reasons", overrideLines, null));
        return digest(
                Meeting.GOVERNANCE_COUNCIL,
                at,
                from,
                at,
                null,
                EnumSet.of(Stage.PLAN_APPROVE, Stage.EXECUTE_OBSERVE),
                figures,
                sections,
                List.of());
    }

    // ---- monthly retrospective: KPI deltas against the previous month, feedback insights, library contributions and
    // reuse

    Digest monthlyRetrospective(Instant at) {
        ZonedDateTime thisMonth = at.atZone(schedule.getTimeZone())
                .toLocalDate()
                .withDayOfMonth(1)
                .atStartOfDay(schedule.getTimeZone());
        Instant from = thisMonth.minusMonths(1).toInstant();
        Instant previous = thisMonth.minusMonths(2).toInstant();
        Instant to = thisMonth.toInstant();
        String period = MONTH.format(thisMonth.minusMonths(1));
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Section> sections = new ArrayList<>();
        Set<Stage> tags = EnumSet.of(Stage.REFLECT_IMPROVE);

        List<KpiService.Report> both =
                kpis.reports(List.of(new KpiService.Window(from, to), new KpiService.Window(previous, from)));
        KpiService.Report month = both.get(0);
        KpiService.Report before = both.get(1);
        List<List<String>> table = new ArrayList<>(List.of(List.of(
                "KPI",
                MONTH.format(thisMonth.minusMonths(1)),
                MONTH.format(thisMonth.minusMonths(2)),
                "Delta",
                "Target",
                "Status")));
        List<Map<String, Object>> deltas = new ArrayList<>();
        List<Map<String, String>> missed = new ArrayList<>();
        for (KpiService.Kpi k : month.kpis()) {
            KpiService.Kpi p = before.kpi(k.key());
            Double delta = k.value() == null || p.value() == null ? null : k.value() - p.value();
            table.add(List.of(
                    k.name(),
                    value(k),
                    value(p),
                    delta == null ? "—" : (delta > 0 ? "+" : "") + number(delta),
                    k.comparator() + " " + number(k.target()),
                    status(k)));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("key", k.key());
            d.put("value", k.value());
            d.put("previous", p.value());
            d.put("delta", delta);
            d.put("target", k.target());
            d.put("met", k.met());
            deltas.add(d);
            if (Boolean.FALSE.equals(k.met())) {
                missed.add(Map.of(
                        "key",
                        k.key(),
                        "name",
                        k.name(),
                        "value",
                        number(k.value()) + " " + k.unit(),
                        "target",
                        k.comparator() + " " + number(k.target()) + " " + k.unit()));
                tags.add(KPI_STAGES.getOrDefault(k.key(), Stage.REFLECT_IMPROVE));
            }
        }
        figures.put("kpiDeltas", deltas);
        figures.put("missedKpis", missed.stream().map(m -> m.get("key")).toList());
        // a retrospective run again for the same month starts no second investigation of a miss already open or done
        Map<String, String> existing = investigations.existing(missed.stream()
                .map(m -> KpiMissInvestigations.businessKey(m.get("key"), period))
                .toList());
        List<Map<String, String>> toInvestigate = new ArrayList<>();
        List<String> missedLines = new ArrayList<>();
        List<Map<String, String>> investigationFigures = new ArrayList<>();
        for (Map<String, String> m : missed) {
            String key = KpiMissInvestigations.businessKey(m.get("key"), period);
            String state = existing.get(key);
            String line = m.get("name") + " missed (" + m.get("value") + " against " + m.get("target") + ")";
            if (state == null) {
                toInvestigate.add(m);
                missedLines.add(line + ": a KPI miss investigation has started");
            } else {
                missedLines.add(line + ": its investigation " + key + " is already " + state + ", not started again");
            }
            investigationFigures.add(Map.of(
                    "kpi", m.get("key"), "businessKey", key, "status", state == null ? "started" : "already " + state));
        }
        if (missed.isEmpty()) {
            missedLines.add("Every KPI with data met its target.");
        }
        figures.put("kpiMissInvestigations", investigationFigures);
        sections.add(new Section("KPI deltas against the previous month", missedLines, table));

        Boards.FeedbackInsights feedback = boards.feedbackInsights(from, to);
        figures.put(
                "feedbackInsights",
                Map.of(
                        "feedback",
                        feedback.feedbackCount(),
                        "averageRating",
                        feedback.averageRating() == null ? "—" : feedback.averageRating(),
                        "effortSavedHours",
                        feedback.effortSavedHoursTotal(),
                        "satisfaction",
                        feedback.satisfaction()));
        sections.add(new Section(
                "Feedback insights",
                List.of(
                        feedback.feedbackCount() + " feedback submission(s); average rating "
                                + number(feedback.averageRating()) + "; effort saved "
                                + feedback.effortSavedHoursTotal()
                                        .stripTrailingZeros()
                                        .toPlainString() + " h",
                        "Satisfaction: "
                                + (feedback.satisfaction().isEmpty()
                                        ? "—"
                                        : feedback.satisfaction().toString())),
                null));

        MapSqlParameterSource w = new MapSqlParameterSource("from", MissionStore.odt(from))
                .addValue("to", MissionStore.odt(to))
                .addValue("limit", LISTED);
        List<String> contributions = jdbc.query(
                """
                SELECT id, name, source_mission_id FROM library_assets
                WHERE created_at >= :from AND created_at < :to ORDER BY created_at, id LIMIT :limit""",
                w,
                (rs, n) -> rs.getString("name") + " (" + rs.getString("id") + ", from mission "
                        + rs.getString("source_mission_id") + ")");
        long contributed = count(jdbc.queryForObject(
                "SELECT COUNT(*) FROM library_assets WHERE created_at >= :from AND created_at < :to", w, Long.class));
        List<String> reused = jdbc.query(
                """
                SELECT id, name, reuse_count FROM library_assets
                WHERE reuse_count > 0 AND created_at < :to ORDER BY reuse_count DESC, id LIMIT :limit""",
                w,
                (rs, n) -> rs.getString("name") + " (" + rs.getString("id") + "): reused " + rs.getInt("reuse_count")
                        + "×");
        KpiService.Kpi reuse = month.kpi("library-reuse");
        figures.put("libraryContributions", contributed);
        figures.put("libraryReuse", reuse);
        List<String> libraryLines = new ArrayList<>();
        libraryLines.add(contributed + " play(s) contributed to the library");
        contributions.forEach(c -> libraryLines.add("New asset: " + c));
        libraryLines.add(
                kpiLine(reuse) + " (" + reuse.numerator() + " of " + reuse.denominator() + " planned missions)");
        reused.forEach(r -> libraryLines.add("Most reused: " + r));
        sections.add(new Section("Library contributions and reuse", libraryLines, null));
        return digest(Meeting.MONTHLY_RETROSPECTIVE, at, from, to, period, tags, figures, sections, toInvestigate);
    }

    /** the stage each KPI is aligned with (operations guide, "Business KPIs &amp; Review Cadence") */
    static final Map<String, Stage> KPI_STAGES = Map.of(
            "mission-throughput",
            Stage.REFLECT_IMPROVE,
            "approval-latency",
            Stage.PLAN_APPROVE,
            "validator-escalation-rate",
            Stage.EXECUTE_OBSERVE,
            "undo-execution-success",
            Stage.EXECUTE_OBSERVE,
            "feedback-participation",
            Stage.REFLECT_IMPROVE,
            "library-reuse",
            Stage.REFLECT_IMPROVE);

    // ---- quarterly planning: the quarter's KPI trend, the backlog's top items per stage

    Digest quarterlyPlanning(Instant at) {
        LocalDate today = at.atZone(schedule.getTimeZone()).toLocalDate();
        LocalDate quarterStart = today.withDayOfMonth(1).withMonth(((today.getMonthValue() - 1) / 3) * 3 + 1);
        ZonedDateTime q1 = quarterStart.atStartOfDay(schedule.getTimeZone());
        ZonedDateTime q0 = q1.minusMonths(3);
        String period = q0.getYear() + "-Q" + ((q0.getMonthValue() - 1) / 3 + 1);
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Section> sections = new ArrayList<>();

        List<KpiService.Window> windows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("KPI"));
        for (int i = 0; i < 3; i++) {
            windows.add(new KpiService.Window(
                    q0.plusMonths(i).toInstant(), q0.plusMonths(i + 1L).toInstant()));
            header.add(MONTH.format(q0.plusMonths(i)));
        }
        List<KpiService.Report> months = kpis.reports(windows);
        header.add("Target");
        List<List<String>> table = new ArrayList<>(List.of(header));
        Map<String, Object> trend = new LinkedHashMap<>();
        for (KpiService.Kpi k : months.get(0).kpis()) {
            List<String> row = new ArrayList<>(List.of(k.name()));
            List<Double> values = new ArrayList<>();
            for (KpiService.Report m : months) {
                KpiService.Kpi v = m.kpi(k.key());
                row.add(value(v) + " " + status(v));
                values.add(v.value());
            }
            row.add(k.comparator() + " " + (k.key().equals("mission-throughput") ? "30/week" : number(k.target())));
            table.add(row);
            trend.put(k.key(), values);
        }
        figures.put("kpiTrendByMonth", trend);
        sections.add(new Section("KPI trend of " + period, List.of(), table));

        Map<String, List<Map<String, Object>>> backlog = new LinkedHashMap<>();
        List<String> backlogLines = new ArrayList<>();
        jdbc.query(
                """
                WITH ranked AS (
                    SELECT id, title, stage, priority, status, kpi,
                           ROW_NUMBER() OVER (PARTITION BY stage ORDER BY priority DESC, id) AS rn
                    FROM backlog_items WHERE status <> 'DONE' AND created_at <= :at
                )
                SELECT id, title, stage, priority, status, kpi, rn FROM ranked WHERE rn <= :per ORDER BY stage, rn""", new MapSqlParameterSource("at", MissionStore.odt(at)).addValue("per", BACKLOG_PER_STAGE), rs -> {
                    Stage s = Stage.fromCode(rs.getString("stage")).orElse(Stage.EXECUTE_OBSERVE);
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", rs.getLong("id"));
                    item.put("title", rs.getString("title"));
                    item.put("priority", rs.getBigDecimal("priority"));
                    item.put("status", rs.getString("status"));
                    backlog.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(item);
                });
        for (Stage s : Stage.values()) {
            List<Map<String, Object>> items = backlog.getOrDefault(s.name(), List.of());
            if (items.isEmpty()) {
                backlogLines.add(s.displayName() + ": no open item");
            }
            items.forEach(i -> backlogLines.add(s.displayName() + ": #" + i.get("id") + " " + i.get("title")
                    + " (priority "
                    + ((BigDecimal) i.get("priority")).stripTrailingZeros().toPlainString()
                    + ", " + prose((String) i.get("status")) + ")"));
        }
        figures.put("backlogTopItems", backlog);
        sections.add(new Section("Operations backlog: top items per stage", backlogLines, null));
        return digest(
                Meeting.QUARTERLY_PLANNING,
                at,
                q0.toInstant(),
                q1.toInstant(),
                period,
                EnumSet.allOf(Stage.class),
                figures,
                sections,
                List.of());
    }

    // ---- helpers

    private Digest digest(
            Meeting meeting,
            Instant at,
            Instant from,
            Instant to,
            String period,
            Set<Stage> tags,
            Map<String, Object> figures,
            List<Section> sections,
            List<Map<String, String>> missed) {
        return new Digest(
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

    /**
     * Missions in each stage at the instant: a stage sub-process entered by then and not left by then, of the journey
     * or of the eight-stage legacy journey still in flight (its stages map onto the five, V8), so that at "now" the
     * figure is what {@code GET /api/missions?status=ACTIVE&stage=} counts (issue #15: the standup left legacy
     * missions out).
     */
    private Map<Stage, Long> activeByStage(Instant at) {
        Map<Stage, Long> active = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            active.put(s, 0L);
        }
        jdbc.query(
                """
                SELECT l.stage_code AS stage, COUNT(DISTINCT a.PROC_INST_ID_) AS missions
                FROM ACT_HI_ACTINST a
                JOIN stage_labels l ON (a.PROC_DEF_KEY_ = :journey AND l.sub_process_id = a.ACT_ID_)
                                    OR (a.PROC_DEF_KEY_ = :legacy AND l.legacy_sub_process_id = a.ACT_ID_)
                WHERE a.START_TIME_ <= :at AND (a.END_TIME_ IS NULL OR a.END_TIME_ > :at)
                GROUP BY l.stage_code""",
                new MapSqlParameterSource("journey", MissionJourney.PROCESS_KEY)
                        .addValue("legacy", LegacyJourney.PROCESS_KEY)
                        .addValue("at", Timestamp.from(at)),
                rs -> {
                    long missions = rs.getLong("missions");
                    Stage.fromCode(rs.getString("stage")).ifPresent(s -> active.put(s, missions));
                });
        return active;
    }

    private static final String STAGE_THROUGHPUT = """
            SELECT l.stage_code AS stage,
                   COUNT(CASE WHEN a.START_TIME_ >= :from AND a.START_TIME_ < :to THEN 1 END) AS entered,
                   COUNT(CASE WHEN a.END_TIME_ >= :from AND a.END_TIME_ < :to AND COALESCE(a.ACT_INST_STATE_, 0) <> 2
                              THEN 1 END) AS left_forward
            FROM ACT_HI_ACTINST a
            JOIN (SELECT DISTINCT stage_code, sub_process_id FROM stage_labels) l ON l.sub_process_id = a.ACT_ID_
            WHERE a.PROC_DEF_KEY_ = :journey AND a.START_TIME_ < :to AND (a.END_TIME_ IS NULL OR a.END_TIME_ >= :from)
            GROUP BY l.stage_code""";

    /** Per stage, the missions in it at the end of the window that entered it first. */
    private static final String BLOCKERS = """
            WITH waiting AS (
                SELECT l.stage_code AS stage, p.BUSINESS_KEY_ AS mission_id, a.START_TIME_ AS since,
                       ROW_NUMBER() OVER (PARTITION BY l.stage_code ORDER BY a.START_TIME_, p.BUSINESS_KEY_) AS rn
                FROM ACT_HI_ACTINST a
                JOIN (SELECT DISTINCT stage_code, sub_process_id FROM stage_labels) l ON l.sub_process_id = a.ACT_ID_
                JOIN ACT_HI_PROCINST p ON p.ID_ = a.PROC_INST_ID_
                WHERE a.PROC_DEF_KEY_ = :journey AND a.START_TIME_ <= :to AND (a.END_TIME_ IS NULL OR a.END_TIME_ > :to)
            )
            SELECT w.stage, w.mission_id, COALESCE(m.title, w.mission_id) AS title, w.since
            FROM waiting w LEFT JOIN missions m ON m.id = w.mission_id
            WHERE w.rn <= :per
            ORDER BY w.stage, w.rn""";

    private static MapSqlParameterSource window(Instant from, Instant to) {
        return new MapSqlParameterSource("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to))
                .addValue("journey", MissionJourney.PROCESS_KEY);
    }

    private static Map<String, Long> byCode(Map<Stage, Long> byStage) {
        Map<String, Long> out = new LinkedHashMap<>();
        byStage.forEach((s, n) -> out.put(s.name(), n));
        return out;
    }

    private static List<List<String>> stageTable(String column, Map<Stage, Long> byStage) {
        List<List<String>> table = new ArrayList<>(List.of(List.of("Stage", column)));
        byStage.forEach((s, n) -> table.add(List.of(s.displayName(), Long.toString(n))));
        return table;
    }

    private static List<List<String>> kpiTable(List<KpiService.Kpi> kpis) {
        List<List<String>> table = new ArrayList<>(List.of(List.of("KPI", "Value", "Target", "Status")));
        kpis.forEach(k -> table.add(List.of(k.name(), value(k), k.comparator() + " " + number(k.target()), status(k))));
        return table;
    }

    static String kpiLine(KpiService.Kpi k) {
        return k.name() + ": " + value(k) + " (target " + k.comparator() + " " + number(k.target()) + ") — "
                + status(k);
    }

    static String value(KpiService.Kpi k) {
        return k.value() == null ? "—" : number(k.value()) + ("%".equals(k.unit()) ? "%" : " " + k.unit());
    }

    static String status(KpiService.Kpi k) {
        return k.met() == null ? "no data" : k.met() ? "met" : "missed";
    }

    static String percent(Double p) {
        return p == null ? "—" : number(p) + "%";
    }

    /** At most one decimal, none when whole: 3, 2.5, 66.7; "—" for no value. */
    static String number(Double v) {
        if (v == null) {
            return "—";
        }
        double r = round1(v);
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** A status for people to read in the digest ({@code IN_PROGRESS} → "in progress"); the figures keep the API's. */
    private static String prose(String status) {
        return status == null ? "" : status.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
