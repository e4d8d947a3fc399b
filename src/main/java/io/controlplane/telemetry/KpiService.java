package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Elements;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.controlplane.mission.MissionJourney;
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
    public record Kpi(String key, String name, Double value, String unit, double target, String comparator, Boolean met,
               Long numerator, Long denominator) {

        static Kpi of(String key, String name, Double value, String unit, double target, String comparator,
                      Long numerator, Long denominator) {
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
    record Week(String week, Instant from, Instant to, List<Kpi> kpis) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final KpiProperties.Targets targets;

    KpiService(NamedParameterJdbcTemplate jdbc, KpiProperties properties) {
        this.jdbc = jdbc;
        this.targets = properties.targets();
    }

    public static Instant now() {
        return ClockUtil.getCurrentTime().toInstant();
    }

    @Transactional(readOnly = true)
    public Report report(Instant from, Instant to) {
        return reports(List.of(new Window(from, to))).get(0);
    }

    /** The last {@code weeks} ISO weeks (UTC), oldest first, ending with the current one. */
    @Transactional(readOnly = true)
    List<Week> weekly(int weeks) {
        Instant monday = now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).with(DayOfWeek.MONDAY).toInstant();
        List<Window> windows = new ArrayList<>();
        for (int i = weeks - 1; i >= 0; i--) {
            Instant from = monday.minus(Duration.ofDays(7L * i));
            windows.add(new Window(from, from.plus(Duration.ofDays(7))));
        }
        List<Report> reports = reports(windows);
        List<Week> out = new ArrayList<>();
        for (Report r : reports) {
            var date = r.from().atOffset(ZoneOffset.UTC);
            String label = String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            out.add(new Week(label, r.from(), r.to(), r.kpis()));
        }
        return out;
    }

    /** A period [from, to) the KPIs are computed over. */
    public record Window(Instant from, Instant to) {
        public Window {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to");
            }
        }
    }

    /**
     * The KPIs of every window at once, in the windows' order: one query per KPI whatever the number of windows (the
     * windows are a derived table the history is joined to), so 52 weeks cost five queries, not 260
     * (docs/performance.md).
     */
    @Transactional(readOnly = true)
    public List<Report> reports(List<Window> windows) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("journey", MissionJourney.PROCESS_KEY)
                .addValue("completedEnd", Elements.END)
                .addValue("governance", Elements.PACKET_REVIEW_GOVERNANCE)
                .addValue("operations", Elements.PACKET_REVIEW_OPERATIONS)
                .addValue("targetSeconds", targets.approvalLatency() * 3600)
                .addValue("execute", Elements.SUB_EXECUTE_OBSERVE)
                .addValue("undo", Elements.UNDO_PLAY).addValue("undoFailed", UNDO_FAILED_BOUNDARY)
                .addValue("plan", Elements.SUB_PLAN_APPROVE)
                .addValue("rangeFrom", Timestamp.from(windows.stream().map(Window::from).min(Instant::compareTo).orElseThrow()))
                .addValue("rangeTo", Timestamp.from(windows.stream().map(Window::to).max(Instant::compareTo).orElseThrow()));
        StringBuilder cte = new StringBuilder("WITH kpi_windows AS (");
        for (int i = 0; i < windows.size(); i++) {
            cte.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i)
                    .append(" AS window_no, CAST(:from").append(i).append(" AS TIMESTAMP) AS w_from, CAST(:to").append(i)
                    .append(" AS TIMESTAMP) AS w_to");
            p.addValue("from" + i, Timestamp.from(windows.get(i).from())).addValue("to" + i, Timestamp.from(windows.get(i).to()));
        }
        cte.append(")");
        Map<Integer, Map<String, Object>> completed = byWindow(cte + " " + COMPLETED_MISSIONS, p);
        Map<Integer, Map<String, Object>> rounds = byWindow(cte + ", " + APPROVAL_ROUNDS, p);
        Map<Integer, Map<String, Object>> reached = byWindow(cte + ", " + REACHED_EXECUTE, p);
        Map<Integer, Map<String, Object>> undos = byWindow(cte + " " + UNDO_EXECUTIONS, p);
        Map<Integer, Map<String, Object>> planned = byWindow(cte + ", " + PLANNED_MISSIONS, p);
        List<Report> out = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            Map<String, Object> none = Map.of();
            Map<String, Object> c = completed.getOrDefault(i, none);
            long completions = count(c.get("completed"));
            long withFeedback = count(c.get("with_feedback"));
            double weeks = Duration.between(w.from(), w.to()).getSeconds() / SECONDS_PER_WEEK;
            List<Kpi> kpis = new ArrayList<>();
            kpis.add(Kpi.of(MISSION_THROUGHPUT, "Mission throughput", (double) completions, "missions",
                    targets.missionThroughput() * weeks, AT_LEAST, completions, null));
            kpis.add(approvalLatency(rounds.getOrDefault(i, none)));
            kpis.add(escalationRate(reached.getOrDefault(i, none)));
            kpis.add(undoSuccess(undos.getOrDefault(i, none)));
            kpis.add(Kpi.of(FEEDBACK_PARTICIPATION, "Feedback participation", percent(withFeedback, completions), "%",
                    targets.feedbackParticipation(), AT_LEAST, withFeedback, completions));
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
        return Kpi.of(APPROVAL_LATENCY, "Approval latency (P95)", hours, "hours", targets.approvalLatency(), AT_MOST,
                count(row.get("within_target")), rounds);
    }

    private Kpi escalationRate(Map<String, Object> row) {
        long reached = count(row.get("reached"));
        long escalated = count(row.get("escalated"));
        return Kpi.of(VALIDATOR_ESCALATION_RATE, "Validator escalation rate", percent(escalated, reached), "%",
                targets.validatorEscalationRate(), AT_MOST, escalated, reached);
    }

    private Kpi undoSuccess(Map<String, Object> row) {
        long attempted = count(row.get("attempted"));
        long completed = attempted - count(row.get("failed"));
        return Kpi.of(UNDO_EXECUTION_SUCCESS, "Undo execution success", percent(completed, attempted), "%",
                targets.undoExecutionSuccess(), AT_LEAST, completed, attempted);
    }

    private Kpi libraryReuse(Map<String, Object> row) {
        long planned = count(row.get("planned"));
        long reused = count(row.get("reused"));
        return Kpi.of(LIBRARY_REUSE, "Library reuse", percent(reused, planned), "%", targets.libraryReuse(), AT_LEAST,
                reused, planned);
    }

    private static Double percent(long numerator, long denominator) {
        return denominator == 0 ? null : 100.0 * numerator / denominator;
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** the error boundary event on "Run the undo plan" */
    static final String UNDO_FAILED_BOUNDARY = "boundary_undoFailed";

    // Every query below follows "WITH kpi_windows AS (...)": window_no, w_from, w_to per window [w_from, w_to).

    /** Journeys that ended at "Mission completed" in the window, and how many of those missions left feedback. */
    private static final String COMPLETED_MISSIONS = """
            SELECT w.window_no, COUNT(*) AS completed, COUNT(f.mission_id) AS with_feedback
            FROM kpi_windows w
            JOIN ACT_HI_PROCINST p ON p.END_TIME_ >= w.w_from AND p.END_TIME_ < w.w_to
            LEFT JOIN mission_feedback f ON f.mission_id = p.BUSINESS_KEY_
            WHERE p.PROC_DEF_KEY_ = :journey AND p.END_ACT_ID_ = :completedEnd
            GROUP BY w.window_no""";

    /**
     * Approval rounds: the n-th governance and the n-th operations packet review task of a journey form round n; a
     * round lasts from its tasks' creation to the later co-signature, and counts in the window of that co-signature.
     * Only journeys with a packet review task that ended inside the windows' range are read: a round's last
     * co-signature is one of its tasks' end, so no round of another journey can count (V9 indexes the task ends).
     */
    private static final String APPROVAL_ROUNDS = """
            reviews AS (
                SELECT t.PROC_INST_ID_ AS proc_inst_id, t.TASK_DEF_KEY_ AS task_key, t.START_TIME_ AS created,
                       t.END_TIME_ AS ended, t.DELETE_REASON_ AS delete_reason,
                       ROW_NUMBER() OVER (PARTITION BY t.PROC_INST_ID_, t.TASK_DEF_KEY_ ORDER BY t.START_TIME_) AS round_no
                FROM ACT_HI_TASKINST t
                WHERE t.PROC_DEF_KEY_ = :journey AND t.TASK_DEF_KEY_ IN (:governance, :operations)
                  AND t.PROC_INST_ID_ IN (
                      SELECT s.PROC_INST_ID_ FROM ACT_HI_TASKINST s
                      WHERE s.TASK_DEF_KEY_ IN (:governance, :operations) AND s.PROC_DEF_KEY_ = :journey
                        AND s.END_TIME_ >= :rangeFrom AND s.END_TIME_ < :rangeTo)
            ),
            rounds AS (
                SELECT proc_inst_id, round_no, MIN(created) AS opened, MAX(ended) AS last_signed,
                       COUNT(DISTINCT task_key) AS task_keys,
                       COUNT(CASE WHEN ended IS NOT NULL AND delete_reason = 'completed' THEN 1 END) AS signatures
                FROM reviews
                GROUP BY proc_inst_id, round_no
            ),
            latencies AS (
                SELECT w.window_no,
                       CAST(EXTRACT(EPOCH FROM r.last_signed) - EXTRACT(EPOCH FROM r.opened) AS DOUBLE PRECISION) AS seconds
                FROM rounds r
                JOIN kpi_windows w ON r.last_signed >= w.w_from AND r.last_signed < w.w_to
                WHERE r.task_keys = 2 AND r.signatures = 2
            )
            SELECT window_no, COUNT(*) AS rounds,
                   COUNT(CASE WHEN seconds <= :targetSeconds THEN 1 END) AS within_target,
                   PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY seconds) AS p95_seconds
            FROM latencies
            GROUP BY window_no""";

    /**
     * Missions whose Execute &amp; Observe started in the window, and how many of them had a step escalated (looked
     * up per reached mission through its steps' index, not by reading every escalated step).
     */
    private static final String REACHED_EXECUTE = """
            reached AS (
                SELECT DISTINCT w.window_no, p.BUSINESS_KEY_ AS mission_id
                FROM kpi_windows w
                JOIN ACT_HI_ACTINST a ON a.START_TIME_ >= w.w_from AND a.START_TIME_ < w.w_to
                JOIN ACT_HI_PROCINST p ON p.ID_ = a.PROC_INST_ID_
                WHERE a.ACT_ID_ = :execute AND a.PROC_DEF_KEY_ = :journey
            )
            SELECT r.window_no, COUNT(*) AS reached,
                   COUNT(CASE WHEN EXISTS (SELECT 1 FROM mission_steps s
                                           WHERE s.mission_id = r.mission_id AND s.safeguard_outcome = 'escalate')
                              THEN 1 END) AS escalated
            FROM reached r
            GROUP BY r.window_no""";

    /** Undo executions that ended in the window, and the failures among them (the error boundary fired). */
    private static final String UNDO_EXECUTIONS = """
            SELECT w.window_no, COUNT(CASE WHEN a.ACT_ID_ = :undo THEN 1 END) AS attempted,
                   COUNT(CASE WHEN a.ACT_ID_ = :undoFailed THEN 1 END) AS failed
            FROM kpi_windows w
            JOIN ACT_HI_ACTINST a ON a.END_TIME_ >= w.w_from AND a.END_TIME_ < w.w_to
            WHERE a.ACT_ID_ IN (:undo, :undoFailed) AND a.PROC_DEF_KEY_ = :journey
            GROUP BY w.window_no""";

    /** Missions whose Plan &amp; Approve started in the window, and how many of them reused a library asset. */
    private static final String PLANNED_MISSIONS = """
            planned AS (
                SELECT DISTINCT w.window_no, p.BUSINESS_KEY_ AS mission_id
                FROM kpi_windows w
                JOIN ACT_HI_ACTINST a ON a.START_TIME_ >= w.w_from AND a.START_TIME_ < w.w_to
                JOIN ACT_HI_PROCINST p ON p.ID_ = a.PROC_INST_ID_
                WHERE a.ACT_ID_ = :plan AND a.PROC_DEF_KEY_ = :journey
            )
            SELECT pl.window_no, COUNT(*) AS planned,
                   COUNT(CASE WHEN EXISTS (SELECT 1 FROM mission_plays mp
                                           WHERE mp.mission_id = pl.mission_id
                                             AND mp.library_asset_id IS NOT NULL AND TRIM(mp.library_asset_id) <> '')
                                OR EXISTS (SELECT 1 FROM mission_feedback f
                                           WHERE f.mission_id = pl.mission_id
                                             AND f.library_assets_reused IS NOT NULL AND TRIM(f.library_assets_reused) <> '')
                              THEN 1 END) AS reused
            FROM planned pl
            GROUP BY pl.window_no""";
}
