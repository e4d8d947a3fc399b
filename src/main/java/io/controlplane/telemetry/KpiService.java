package io.controlplane.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The six business KPIs of the operations guide, as docs/domain.md defines them, over a window [from, to): one SQL
 * aggregate over the KPI facts ({@link KpiFacts}: materialized from Camunda's history ({@code ACT_HI_*}) and the control
 * plane's tables for ended journeys, computed live for the rest), whatever the number of windows; nothing is loaded
 * row by row.
 * "Now" is the engine's clock ({@link ClockUtil}), which is the system clock outside tests.
 */
@Service
public class KpiService {
    static final String MISSION_THROUGHPUT = "mission-throughput";
    static final String APPROVAL_LATENCY = "approval-latency";
    static final String VALIDATOR_ESCALATION_RATE = "validator-escalation-rate";
    static final String UNDO_EXECUTION_SUCCESS = "undo-execution-success";
    static final String FEEDBACK_PARTICIPATION = "feedback-participation";
    static final String LIBRARY_REUSE = "library-reuse";

    static final String AT_LEAST = ">=";
    static final String AT_MOST = "<=";
    private static final double SECONDS_PER_WEEK = 7 * 24 * 3600;

    /** One KPI over one window: its value, target, and the counts behind it (null where they do not apply). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Kpi(
            String key,
            String name,
            Double value,
            String unit,
            double target,
            String comparator,
            Boolean met,
            Long numerator,
            Long denominator) {

        static Kpi of(
                String key,
                String name,
                Double value,
                String unit,
                double target,
                String comparator,
                Long numerator,
                Long denominator) {
            Boolean met = value == null ? null : AT_LEAST.equals(comparator) ? value >= target : value <= target;
            return new Kpi(key, name, value, unit, target, comparator, met, numerator, denominator);
        }
    }

    public record Report(Instant from, Instant to, List<Kpi> kpis) {
        public Kpi kpi(String key) {
            return kpis.stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
        }
    }

    /** One ISO week (e.g. {@code 2024-W07}, Monday 00:00 UTC to the next Monday) and its KPIs. */
    record Week(String week, Instant from, Instant to, List<Kpi> kpis) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final KpiProperties.Targets targets;
    private final ReportingPlans reportingPlans;
    private final KpiFacts facts;

    KpiService(
            NamedParameterJdbcTemplate jdbc, KpiProperties properties, ReportingPlans reportingPlans, KpiFacts facts) {
        this.jdbc = jdbc;
        this.facts = facts;
        this.targets = properties.targets();
        this.reportingPlans = reportingPlans;
    }

    public static Instant now() {
        return ClockUtil.getCurrentTime().toInstant();
    }

    @Transactional(readOnly = true)
    public Report report(Instant from, Instant to) {
        Window w = new Window(from, to);
        return series(w.from(), w.length(), 1).get(0);
    }

    /** The last {@code weeks} ISO weeks (UTC), oldest first, ending with the current one. */
    @Transactional(readOnly = true)
    List<Week> weekly(int weeks) {
        Instant monday = now().atOffset(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.DAYS)
                .with(DayOfWeek.MONDAY)
                .toInstant();
        List<Report> reports = series(monday.minus(WEEK.multipliedBy(weeks - 1L)), WEEK, weeks);
        List<Week> out = new ArrayList<>();
        for (Report r : reports) {
            var date = r.from().atOffset(ZoneOffset.UTC);
            String label = String.format(
                    "%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            out.add(new Week(label, r.from(), r.to(), r.kpis()));
        }
        return out;
    }

    private static final Duration WEEK = Duration.ofDays(7);

    /** A period [from, to) the KPIs are computed over. */
    public record Window(Instant from, Instant to) {
        public Window {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to");
            }
        }

        Duration length() {
            return Duration.between(from, to);
        }
    }

    /**
     * The KPIs of arbitrary windows (the operating rhythm's digests: a fortnight and four trailing weeks, two or three
     * calendar months), in the windows' order. Consecutive windows of equal length that follow each other without a gap
     * are one {@link #series}: the governance council's four weeks cost one query, not four; any other window is
     * a series of one. Every query reads only the rows of its own range.
     */
    @Transactional(readOnly = true)
    public List<Report> reports(List<Window> windows) {
        List<Report> out = new ArrayList<>();
        int i = 0;
        while (i < windows.size()) {
            Window first = windows.get(i);
            int n = 1;
            while (i + n < windows.size()
                    && windows.get(i + n).from().equals(windows.get(i + n - 1).to())
                    && windows.get(i + n).length().equals(first.length())) {
                n++;
            }
            out.addAll(series(first.from(), first.length(), n));
            i += n;
        }
        return out;
    }

    /**
     * The KPIs of {@code buckets} consecutive windows of {@code bucket} each, from {@code rangeFrom}: one query
     * whatever the number of windows ({@link #FACTS_BY_WINDOW}). It reads the facts of the one range [rangeFrom,
     * rangeFrom + buckets × bucket) through an index range and puts every fact into its window by arithmetic, so the
     * cost is set by the range and the open missions, not by the history or the number of windows
     * (docs/performance.md).
     */
    @Transactional(readOnly = true)
    public List<Report> series(Instant rangeFrom, Duration bucket, int buckets) {
        if (buckets < 1 || bucket.isNegative() || bucket.isZero()) {
            throw new IllegalArgumentException("a series needs at least one window of a positive length");
        }
        reportingPlans.applyIndexOnly();
        Instant rangeTo = rangeFrom.plus(bucket.multipliedBy(buckets));
        // a window's length in whole seconds, rounded up: a one-window series of a fractional length still puts every
        // row of [rangeFrom, rangeTo) into window 0
        long bucketSeconds = bucket.getSeconds() + (bucket.getNano() > 0 ? 1 : 0);
        MapSqlParameterSource p = KpiFacts.parameters()
                .addValue("targetSeconds", targets.approvalLatency() * 3600)
                .addValue("liveFrom", facts.liveFrom())
                .addValue("rangeFrom", Timestamp.from(rangeFrom))
                .addValue("rangeTo", Timestamp.from(rangeTo))
                .addValue(
                        "fromEpoch",
                        BigDecimal.valueOf(rangeFrom.getEpochSecond()).add(BigDecimal.valueOf(rangeFrom.getNano(), 9)))
                .addValue("bucketSeconds", bucketSeconds);
        Map<String, Map<Integer, Counts>> byKind = new HashMap<>();
        jdbc.query(FACTS_BY_WINDOW, p, rs -> {
            byKind.computeIfAbsent(rs.getString("kind").trim(), k -> new HashMap<>())
                    .put(
                            rs.getInt("window_no"),
                            new Counts(
                                    rs.getLong("facts"),
                                    rs.getLong("missions"),
                                    rs.getLong("flagged_missions"),
                                    rs.getLong("flagged_sum"),
                                    rs.getLong("within_target"),
                                    (Double) rs.getObject("p95_seconds", Double.class)));
        });
        List<Report> out = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            Window w = new Window(rangeFrom.plus(bucket.multipliedBy(i)), rangeFrom.plus(bucket.multipliedBy(i + 1L)));
            Counts completed = counts(byKind, KpiFacts.COMPLETED, i);
            double weeks = Duration.between(w.from(), w.to()).getSeconds() / SECONDS_PER_WEEK;
            List<Kpi> kpis = List.of(
                    Kpi.of(
                            MISSION_THROUGHPUT,
                            "Mission throughput",
                            (double) completed.facts(),
                            "missions",
                            targets.missionThroughput() * weeks,
                            AT_LEAST,
                            completed.facts(),
                            null),
                    approvalLatency(counts(byKind, KpiFacts.ROUND, i)),
                    escalationRate(counts(byKind, KpiFacts.REACHED, i)),
                    undoSuccess(counts(byKind, KpiFacts.UNDO, i), counts(byKind, KpiFacts.UNDO_FAILED, i)),
                    Kpi.of(
                            FEEDBACK_PARTICIPATION,
                            "Feedback participation",
                            percent(completed.flaggedSum(), completed.facts()),
                            "%",
                            targets.feedbackParticipation(),
                            AT_LEAST,
                            completed.flaggedSum(),
                            completed.facts()),
                    libraryReuse(counts(byKind, KpiFacts.PLANNED, i)));
            out.add(new Report(w.from(), w.to(), kpis));
        }
        return out;
    }

    /**
     * One kind of fact in one window: how many facts, of how many distinct missions, how many of those missions were
     * flagged, the sum of the flags, the facts within the latency target and the P95 of their seconds.
     */
    private record Counts(
            long facts, long missions, long flaggedMissions, long flaggedSum, long withinTarget, Double p95Seconds) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, null);
    }

    private static Counts counts(Map<String, Map<Integer, Counts>> byKind, String kind, int window) {
        return byKind.getOrDefault(kind, Map.of()).getOrDefault(window, Counts.NONE);
    }

    private Kpi approvalLatency(Counts rounds) {
        Double hours = rounds.facts() == 0 || rounds.p95Seconds() == null ? null : rounds.p95Seconds() / 3600;
        return Kpi.of(
                APPROVAL_LATENCY,
                "Approval latency (P95)",
                hours,
                "hours",
                targets.approvalLatency(),
                AT_MOST,
                rounds.withinTarget(),
                rounds.facts());
    }

    /** Missions, not visits: a mission that entered Execute twice in a window counts once there. */
    private Kpi escalationRate(Counts reached) {
        return Kpi.of(
                VALIDATOR_ESCALATION_RATE,
                "Validator escalation rate",
                percent(reached.flaggedMissions(), reached.missions()),
                "%",
                targets.validatorEscalationRate(),
                AT_MOST,
                reached.flaggedMissions(),
                reached.missions());
    }

    private Kpi undoSuccess(Counts undos, Counts failures) {
        long attempted = undos.facts();
        long completed = attempted - failures.facts();
        return Kpi.of(
                UNDO_EXECUTION_SUCCESS,
                "Undo execution success",
                percent(completed, attempted),
                "%",
                targets.undoExecutionSuccess(),
                AT_LEAST,
                completed,
                attempted);
    }

    private Kpi libraryReuse(Counts planned) {
        return Kpi.of(
                LIBRARY_REUSE,
                "Library reuse",
                percent(planned.flaggedMissions(), planned.missions()),
                "%",
                targets.libraryReuse(),
                AT_LEAST,
                planned.flaggedMissions(),
                planned.missions());
    }

    private static Double percent(long numerator, long denominator) {
        return denominator == 0 ? null : 100.0 * numerator / denominator;
    }

    /** the error boundary event on "Run the undo plan" */
    static final String UNDO_FAILED_BOUNDARY = "boundary_undoFailed";

    /**
     * The window of a timestamp column's value, 0 for [rangeFrom, rangeFrom + bucket): whole seconds since
     * {@code :fromEpoch}, divided (integer division) by {@code :bucketSeconds}. The engine writes its timestamps in the
     * JVM's time zone, which is the session time zone on both databases (pgjdbc sets it at connect), so the cast to
     * TIMESTAMP WITH TIME ZONE gives back the instant. Only rows of [rangeFrom, rangeTo) reach it: the query filters
     * the column by that range first, through an index.
     */
    private static String bucket(String column) {
        return "CAST(FLOOR(EXTRACT(EPOCH FROM CAST(" + column
                + " AS TIMESTAMP WITH TIME ZONE)) - :fromEpoch) AS BIGINT)" + " / :bucketSeconds";
    }

    /**
     * Every KPI of every window of the range in one query: the materialized facts of the range (one index range of
     * {@code kpi_facts}, index only on PostgreSQL) and the facts of the live set ({@link KpiFacts#liveJourneys}:
     * running journeys and ended ones not materialized yet, found by their keys), each put into its window by
     * arithmetic ({@link #bucket}) and counted per kind and window. The live set's lookups are nested loops over the
     * engine's process-instance indexes ({@link ReportingPlans} allows no hash or merge join here).
     */
    private static final String FACTS_BY_WINDOW =
            """
            WITH %s,
            live AS (%s),
            facts AS (
                SELECT kind, occurred_at, mission_id, flagged, seconds FROM kpi_facts
                WHERE occurred_at >= :rangeFrom AND occurred_at < :rangeTo
                UNION ALL
                SELECT kind, occurred_at, mission_id, flagged, seconds FROM live
                WHERE occurred_at >= :rangeFrom AND occurred_at < :rangeTo
            )
            SELECT kind, window_no, COUNT(*) AS facts, COUNT(DISTINCT mission_id) AS missions,
                   COUNT(DISTINCT CASE WHEN flagged > 0 THEN mission_id END) AS flagged_missions,
                   COALESCE(SUM(flagged), 0) AS flagged_sum,
                   COUNT(CASE WHEN seconds <= :targetSeconds THEN 1 END) AS within_target,
                   PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY seconds) AS p95_seconds
            FROM (SELECT kind, %s AS window_no, mission_id, flagged, seconds FROM facts) b
            GROUP BY kind, window_no""".formatted(KpiFacts.liveJourneys(), KpiFacts.factsOf(), bucket("occurred_at"));

    /**
     * The one definition of "a mission reused a library asset", for the library-reuse KPI and the feedback board
     * alike: one of its plays came from the library ({@code libraryAssetId}), or its feedback names a reused asset.
     * One probe each into the mission's plays and its feedback.
     */
    static String reusedLibraryAsset(String missionId) {
        return """
                ((SELECT COUNT(*) FROM mission_plays mp WHERE mp.mission_id = %1$s
                    AND mp.library_asset_id IS NOT NULL AND TRIM(mp.library_asset_id) <> '') > 0
                 OR (SELECT COUNT(*) FROM mission_feedback f WHERE f.mission_id = %1$s
                    AND f.library_assets_reused IS NOT NULL AND TRIM(f.library_assets_reused) <> '') > 0)""".formatted(missionId);
    }
}
