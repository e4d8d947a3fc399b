package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Elements;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.controlplane.mission.MissionJourney;
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
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The six business KPIs of the operations guide, as docs/domain.md defines them, over a window [from, to). Each is one SQL
 * aggregate over Camunda's history ({@code ACT_HI_*}) and the control plane's tables; nothing is loaded row by row,
 * and several windows (the weekly series) share one query per KPI.
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

    KpiService(NamedParameterJdbcTemplate jdbc, KpiProperties properties, ReportingPlans reportingPlans) {
        this.jdbc = jdbc;
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
     * are one {@link #series}: the governance council's four weeks cost five queries, not twenty; any other window is
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
     * The KPIs of {@code buckets} consecutive windows of {@code bucket} each, from {@code rangeFrom}: five queries
     * whatever the number of windows. Each reads the rows of the one range [rangeFrom, rangeFrom + buckets × bucket)
     * through an index range and puts every row into its window by arithmetic ({@link #BUCKET}), so the cost is set by
     * the range, not by the history or the number of windows (docs/performance.md).
     */
    @Transactional(readOnly = true)
    public List<Report> series(Instant rangeFrom, Duration bucket, int buckets) {
        if (buckets < 1 || bucket.isNegative() || bucket.isZero()) {
            throw new IllegalArgumentException("a series needs at least one window of a positive length");
        }
        reportingPlans.apply();
        Instant rangeTo = rangeFrom.plus(bucket.multipliedBy(buckets));
        // a window's length in whole seconds, rounded up: a one-window series of a fractional length still puts every
        // row of [rangeFrom, rangeTo) into window 0
        long bucketSeconds = bucket.getSeconds() + (bucket.getNano() > 0 ? 1 : 0);
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("journey", MissionJourney.PROCESS_KEY)
                .addValue("completedEnd", Elements.END)
                .addValue("governance", Elements.PACKET_REVIEW_GOVERNANCE)
                .addValue("operations", Elements.PACKET_REVIEW_OPERATIONS)
                .addValue("targetSeconds", targets.approvalLatency() * 3600)
                .addValue("execute", Elements.SUB_EXECUTE_OBSERVE)
                .addValue("undo", Elements.UNDO_PLAY)
                .addValue("undoFailed", UNDO_FAILED_BOUNDARY)
                .addValue("plan", Elements.SUB_PLAN_APPROVE)
                .addValue("rangeFrom", Timestamp.from(rangeFrom))
                .addValue("rangeTo", Timestamp.from(rangeTo))
                .addValue(
                        "fromEpoch",
                        BigDecimal.valueOf(rangeFrom.getEpochSecond()).add(BigDecimal.valueOf(rangeFrom.getNano(), 9)))
                .addValue("bucketSeconds", bucketSeconds);
        Map<Integer, Map<String, Object>> completed = byWindow(COMPLETED_MISSIONS, p);
        Map<Integer, Map<String, Object>> rounds = byWindow(APPROVAL_ROUNDS, p);
        Map<Integer, Map<String, Object>> reached = byWindow(REACHED_EXECUTE, p);
        Map<Integer, Map<String, Object>> undos = byWindow(UNDO_EXECUTIONS, p);
        Map<Integer, Map<String, Object>> planned = byWindow(PLANNED_MISSIONS, p);
        List<Report> out = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            Window w = new Window(rangeFrom.plus(bucket.multipliedBy(i)), rangeFrom.plus(bucket.multipliedBy(i + 1L)));
            Map<String, Object> none = Map.of();
            Map<String, Object> c = completed.getOrDefault(i, none);
            long completions = count(c.get("completed"));
            long withFeedback = count(c.get("with_feedback"));
            double weeks = Duration.between(w.from(), w.to()).getSeconds() / SECONDS_PER_WEEK;
            List<Kpi> kpis = new ArrayList<>();
            kpis.add(Kpi.of(
                    MISSION_THROUGHPUT,
                    "Mission throughput",
                    (double) completions,
                    "missions",
                    targets.missionThroughput() * weeks,
                    AT_LEAST,
                    completions,
                    null));
            kpis.add(approvalLatency(rounds.getOrDefault(i, none)));
            kpis.add(escalationRate(reached.getOrDefault(i, none)));
            kpis.add(undoSuccess(undos.getOrDefault(i, none)));
            kpis.add(Kpi.of(
                    FEEDBACK_PARTICIPATION,
                    "Feedback participation",
                    percent(withFeedback, completions),
                    "%",
                    targets.feedbackParticipation(),
                    AT_LEAST,
                    withFeedback,
                    completions));
            kpis.add(libraryReuse(planned.getOrDefault(i, none)));
            out.add(new Report(w.from(), w.to(), List.copyOf(kpis)));
        }
        return out;
    }

    /** The query's rows by their {@code window_no}; windows without a row are absent. */
    private Map<Integer, Map<String, Object>> byWindow(String sql, MapSqlParameterSource p) {
        Map<Integer, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> row : jdbc.queryForList(sql, p)) {
            Map<String, Object> lower = new HashMap<>();
            row.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            out.put(((Number) lower.get("window_no")).intValue(), lower);
        }
        return out;
    }

    private Kpi approvalLatency(Map<String, Object> row) {
        long rounds = count(row.get("rounds"));
        Object p95 = row.get("p95_seconds");
        Double hours = rounds == 0 || p95 == null ? null : ((Number) p95).doubleValue() / 3600;
        return Kpi.of(
                APPROVAL_LATENCY,
                "Approval latency (P95)",
                hours,
                "hours",
                targets.approvalLatency(),
                AT_MOST,
                count(row.get("within_target")),
                rounds);
    }

    private Kpi escalationRate(Map<String, Object> row) {
        long reached = count(row.get("reached"));
        long escalated = count(row.get("escalated"));
        return Kpi.of(
                VALIDATOR_ESCALATION_RATE,
                "Validator escalation rate",
                percent(escalated, reached),
                "%",
                targets.validatorEscalationRate(),
                AT_MOST,
                escalated,
                reached);
    }

    private Kpi undoSuccess(Map<String, Object> row) {
        long attempted = count(row.get("attempted"));
        long completed = attempted - count(row.get("failed"));
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

    private Kpi libraryReuse(Map<String, Object> row) {
        long planned = count(row.get("planned"));
        long reused = count(row.get("reused"));
        return Kpi.of(
                LIBRARY_REUSE,
                "Library reuse",
                percent(reused, planned),
                "%",
                targets.libraryReuse(),
                AT_LEAST,
                reused,
                planned);
    }

    private static Double percent(long numerator, long denominator) {
        return denominator == 0 ? null : 100.0 * numerator / denominator;
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** the error boundary event on "Run the undo plan" */
    static final String UNDO_FAILED_BOUNDARY = "boundary_undoFailed";

    /**
     * The window of a timestamp column's value, 0 for [rangeFrom, rangeFrom + bucket): whole seconds since
     * {@code :fromEpoch}, divided (integer division) by {@code :bucketSeconds}. The engine writes its timestamps in the
     * JVM's time zone, which is the session time zone on both databases (pgjdbc sets it at connect), so the cast to
     * TIMESTAMP WITH TIME ZONE gives back the instant. Only rows of [rangeFrom, rangeTo) reach it: every query filters
     * the column by that range first, through an index.
     */
    private static String bucket(String column) {
        return "CAST(FLOOR(EXTRACT(EPOCH FROM CAST(" + column
                + " AS TIMESTAMP WITH TIME ZONE)) - :fromEpoch) AS BIGINT)" + " / :bucketSeconds";
    }

    /*
     * Plan shape, on purpose: each query reads its range through an index range, and every further row it needs is
     * looked up by key, one probe per row of the range. Those lookups are scalar subqueries (PostgreSQL runs a scalar
     * subquery once per row and never turns it into a hash join; an EXISTS it may hash, and a LIMIT 1 it may answer with
     * a sequential scan) or, for the approval rounds, a join the reporting transaction lets run only as a nested loop
     * ({@link ReportingPlans}): a hash would read the whole table, the plan that grew with the history
     * (docs/performance.md).
     */

    /** Journeys that ended at "Mission completed" in the range (by their end time), and how many left feedback. */
    private static final String COMPLETED_MISSIONS = """
            SELECT window_no, COUNT(*) AS completed, SUM(feedback) AS with_feedback
            FROM (
                SELECT %s AS window_no,
                       (SELECT COUNT(*) FROM mission_feedback f WHERE f.mission_id = p.BUSINESS_KEY_) AS feedback
                FROM ACT_HI_PROCINST p
                WHERE p.END_TIME_ >= :rangeFrom AND p.END_TIME_ < :rangeTo
                  AND p.PROC_DEF_KEY_ = :journey AND p.END_ACT_ID_ = :completedEnd
            ) c
            GROUP BY window_no""".formatted(bucket("p.END_TIME_"));

    /**
     * Approval rounds: the n-th governance and the n-th operations packet review task of a journey form round n; a
     * round lasts from its tasks' creation to the later co-signature, and counts in the window of that co-signature.
     * A round's last co-signature is one of its tasks' end, so only journeys with a packet review task that ended in
     * the range can have a round there: those are found first (V11's index on the task key, end time and process
     * instance, index only), then their review tasks by process instance id (the engine's
     * ACT_IDX_HI_TASKINST_PROCINST), one index probe per journey: on PostgreSQL the reporting transaction allows no
     * hash or merge join ({@link ReportingPlans}), which would read every review task of the history into the hash.
     * The journey filter is on the second step only: a process instance has one definition, so the set is the same.
     */
    private static final String APPROVAL_ROUNDS = """
            WITH journeys AS (
                SELECT DISTINCT s.PROC_INST_ID_ AS proc_inst_id FROM ACT_HI_TASKINST s
                WHERE s.TASK_DEF_KEY_ IN (:governance, :operations)
                  AND s.END_TIME_ >= :rangeFrom AND s.END_TIME_ < :rangeTo
            ),
            reviews AS (
                SELECT t.PROC_INST_ID_ AS proc_inst_id, t.TASK_DEF_KEY_ AS task_key, t.START_TIME_ AS created,
                       t.END_TIME_ AS ended, t.DELETE_REASON_ AS delete_reason,
                       ROW_NUMBER() OVER (PARTITION BY t.PROC_INST_ID_, t.TASK_DEF_KEY_ ORDER BY t.START_TIME_) AS round_no
                FROM journeys j
                JOIN ACT_HI_TASKINST t ON t.PROC_INST_ID_ = j.proc_inst_id
                WHERE t.TASK_DEF_KEY_ IN (:governance, :operations) AND t.PROC_DEF_KEY_ = :journey
            ),
            rounds AS (
                SELECT proc_inst_id, round_no, MIN(created) AS opened, MAX(ended) AS last_signed,
                       COUNT(DISTINCT task_key) AS task_keys,
                       COUNT(CASE WHEN ended IS NOT NULL AND delete_reason = 'completed' THEN 1 END) AS signatures
                FROM reviews
                GROUP BY proc_inst_id, round_no
            ),
            latencies AS (
                SELECT %s AS window_no,
                       CAST(EXTRACT(EPOCH FROM r.last_signed) - EXTRACT(EPOCH FROM r.opened) AS DOUBLE PRECISION) AS seconds
                FROM rounds r
                WHERE r.task_keys = 2 AND r.signatures = 2
                  AND r.last_signed >= :rangeFrom AND r.last_signed < :rangeTo
            )
            SELECT window_no, COUNT(*) AS rounds,
                   COUNT(CASE WHEN seconds <= :targetSeconds THEN 1 END) AS within_target,
                   PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY seconds) AS p95_seconds
            FROM latencies
            GROUP BY window_no""".formatted(bucket("r.last_signed"));

    /**
     * Missions whose Execute &amp; Observe started in the range (index only: V9's activity index), their mission id by
     * the process instance's primary key, and how many of them had a step escalated (one probe into the mission's
     * steps each, stopping at the first).
     */
    private static final String REACHED_EXECUTE = """
            SELECT window_no, COUNT(*) AS reached,
                   COUNT(CASE WHEN (SELECT COUNT(*) FROM mission_steps s
                                    WHERE s.mission_id = r.mission_id AND s.safeguard_outcome = 'escalate') > 0
                              THEN 1 END) AS escalated
            FROM (
                SELECT DISTINCT %s AS window_no,
                       (SELECT p.BUSINESS_KEY_ FROM ACT_HI_PROCINST p WHERE p.ID_ = a.PROC_INST_ID_) AS mission_id
                FROM ACT_HI_ACTINST a
                WHERE a.ACT_ID_ = :execute AND a.START_TIME_ >= :rangeFrom AND a.START_TIME_ < :rangeTo
                  AND a.PROC_DEF_KEY_ = :journey
            ) r
            GROUP BY window_no""".formatted(bucket("a.START_TIME_"));

    /**
     * Undo executions that ended in the range, and the failures among them (the error boundary fired). An activity
     * ends after it starts, so {@code START_TIME_ < :rangeTo} bounds V9's activity index range from above.
     */
    private static final String UNDO_EXECUTIONS = """
            SELECT window_no, COUNT(CASE WHEN act_id = :undo THEN 1 END) AS attempted,
                   COUNT(CASE WHEN act_id = :undoFailed THEN 1 END) AS failed
            FROM (
                SELECT %s AS window_no, a.ACT_ID_ AS act_id
                FROM ACT_HI_ACTINST a
                WHERE a.ACT_ID_ IN (:undo, :undoFailed) AND a.START_TIME_ < :rangeTo
                  AND a.END_TIME_ >= :rangeFrom AND a.END_TIME_ < :rangeTo AND a.PROC_DEF_KEY_ = :journey
            ) u
            GROUP BY window_no""".formatted(bucket("a.END_TIME_"));

    /**
     * Missions whose Plan &amp; Approve started in the range, and how many of them reused a library asset (a play or
     * the feedback names one: one probe each into the mission's plays and its feedback).
     */
    private static final String PLANNED_MISSIONS =
            """
            SELECT window_no, COUNT(*) AS planned, COUNT(CASE WHEN %s THEN 1 END) AS reused
            FROM (
                SELECT DISTINCT %s AS window_no,
                       (SELECT p.BUSINESS_KEY_ FROM ACT_HI_PROCINST p WHERE p.ID_ = a.PROC_INST_ID_) AS mission_id
                FROM ACT_HI_ACTINST a
                WHERE a.ACT_ID_ = :plan AND a.START_TIME_ >= :rangeFrom AND a.START_TIME_ < :rangeTo
                  AND a.PROC_DEF_KEY_ = :journey
            ) pl
            GROUP BY window_no""".formatted(reusedLibraryAsset("pl.mission_id"), bucket("a.START_TIME_"));

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
