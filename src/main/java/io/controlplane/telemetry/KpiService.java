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
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The six business KPIs of the operations guide, as DOMAIN.md defines them, over a window [from, to). Each is one SQL
 * aggregate over Camunda's history ({@code ACT_HI_*}) and the control plane's tables; nothing is loaded row by row.
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
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        MapSqlParameterSource window = new MapSqlParameterSource()
                .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to))
                .addValue("journey", MissionJourney.PROCESS_KEY);
        List<Kpi> kpis = new ArrayList<>();
        Map<String, Object> completed = jdbc.queryForMap(COMPLETED_MISSIONS, window
                .addValue("completedEnd", Elements.END));
        long completions = count(completed.get("completed"));
        long withFeedback = count(completed.get("with_feedback"));
        double weeks = Duration.between(from, to).getSeconds() / SECONDS_PER_WEEK;
        kpis.add(Kpi.of(MISSION_THROUGHPUT, "Mission throughput", (double) completions, "missions",
                targets.missionThroughput() * weeks, AT_LEAST, completions, null));
        kpis.add(approvalLatency(window));
        kpis.add(escalationRate(window));
        kpis.add(undoSuccess(window));
        kpis.add(Kpi.of(FEEDBACK_PARTICIPATION, "Feedback participation", percent(withFeedback, completions), "%",
                targets.feedbackParticipation(), AT_LEAST, withFeedback, completions));
        kpis.add(libraryReuse(window));
        return new Report(from, to, List.copyOf(kpis));
    }

    /** The last {@code weeks} ISO weeks (UTC), oldest first, ending with the current one. */
    @Transactional(readOnly = true)
    List<Week> weekly(int weeks) {
        Instant monday = now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).with(DayOfWeek.MONDAY).toInstant();
        List<Week> out = new ArrayList<>();
        for (int i = weeks - 1; i >= 0; i--) {
            Instant from = monday.minus(Duration.ofDays(7L * i));
            Instant to = from.plus(Duration.ofDays(7));
            var date = from.atOffset(ZoneOffset.UTC);
            String label = String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            out.add(new Week(label, from, to, report(from, to).kpis()));
        }
        return out;
    }

    private Kpi approvalLatency(MapSqlParameterSource window) {
        Map<String, Object> row = jdbc.queryForMap(APPROVAL_ROUNDS, window
                .addValue("governance", Elements.PACKET_REVIEW_GOVERNANCE)
                .addValue("operations", Elements.PACKET_REVIEW_OPERATIONS)
                .addValue("targetSeconds", targets.approvalLatency() * 3600));
        long rounds = count(row.get("rounds"));
        Object p95 = row.get("p95_seconds");
        Double hours = rounds == 0 || p95 == null ? null : ((Number) p95).doubleValue() / 3600;
        return Kpi.of(APPROVAL_LATENCY, "Approval latency (P95)", hours, "hours", targets.approvalLatency(), AT_MOST,
                count(row.get("within_target")), rounds);
    }

    private Kpi escalationRate(MapSqlParameterSource window) {
        Map<String, Object> row = jdbc.queryForMap(REACHED_EXECUTE, window
                .addValue("execute", Elements.SUB_EXECUTE_OBSERVE));
        long reached = count(row.get("reached"));
        long escalated = count(row.get("escalated"));
        return Kpi.of(VALIDATOR_ESCALATION_RATE, "Validator escalation rate", percent(escalated, reached), "%",
                targets.validatorEscalationRate(), AT_MOST, escalated, reached);
    }

    private Kpi undoSuccess(MapSqlParameterSource window) {
        Map<String, Object> row = jdbc.queryForMap(UNDO_EXECUTIONS, window
                .addValue("undo", Elements.UNDO_PLAY).addValue("undoFailed", UNDO_FAILED_BOUNDARY));
        long attempted = count(row.get("attempted"));
        long completed = attempted - count(row.get("failed"));
        return Kpi.of(UNDO_EXECUTION_SUCCESS, "Undo execution success", percent(completed, attempted), "%",
                targets.undoExecutionSuccess(), AT_LEAST, completed, attempted);
    }

    private Kpi libraryReuse(MapSqlParameterSource window) {
        Map<String, Object> row = jdbc.queryForMap(PLANNED_MISSIONS, window
                .addValue("plan", Elements.SUB_PLAN_APPROVE));
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

    /** Journeys that ended at "Mission completed" in the window, and how many of those missions left feedback. */
    private static final String COMPLETED_MISSIONS = """
            SELECT COUNT(*) AS completed, COUNT(f.mission_id) AS with_feedback
            FROM ACT_HI_PROCINST p
            LEFT JOIN mission_feedback f ON f.mission_id = p.BUSINESS_KEY_
            WHERE p.PROC_DEF_KEY_ = :journey AND p.END_ACT_ID_ = :completedEnd
              AND p.END_TIME_ >= :from AND p.END_TIME_ < :to""";

    /**
     * Approval rounds: the n-th governance and the n-th operations packet review task of a journey form round n; a
     * round lasts from its tasks' creation to the later co-signature, and counts in the window of that co-signature.
     */
    private static final String APPROVAL_ROUNDS = """
            WITH reviews AS (
                SELECT t.PROC_INST_ID_ AS proc_inst_id, t.TASK_DEF_KEY_ AS task_key, t.START_TIME_ AS created,
                       t.END_TIME_ AS ended, t.DELETE_REASON_ AS delete_reason,
                       ROW_NUMBER() OVER (PARTITION BY t.PROC_INST_ID_, t.TASK_DEF_KEY_ ORDER BY t.START_TIME_) AS round_no
                FROM ACT_HI_TASKINST t
                WHERE t.PROC_DEF_KEY_ = :journey AND t.TASK_DEF_KEY_ IN (:governance, :operations)
            ),
            rounds AS (
                SELECT proc_inst_id, round_no, MIN(created) AS opened, MAX(ended) AS last_signed,
                       COUNT(DISTINCT task_key) AS task_keys,
                       COUNT(CASE WHEN ended IS NOT NULL AND delete_reason = 'completed' THEN 1 END) AS signatures
                FROM reviews
                GROUP BY proc_inst_id, round_no
            ),
            latencies AS (
                SELECT CAST(EXTRACT(EPOCH FROM last_signed) - EXTRACT(EPOCH FROM opened) AS DOUBLE PRECISION) AS seconds
                FROM rounds
                WHERE task_keys = 2 AND signatures = 2 AND last_signed >= :from AND last_signed < :to
            )
            SELECT COUNT(*) AS rounds,
                   COUNT(CASE WHEN seconds <= :targetSeconds THEN 1 END) AS within_target,
                   PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY seconds) AS p95_seconds
            FROM latencies""";

    /** Missions whose Execute &amp; Observe started in the window, and how many of them had a step escalated. */
    private static final String REACHED_EXECUTE = """
            WITH reached AS (
                SELECT DISTINCT p.BUSINESS_KEY_ AS mission_id
                FROM ACT_HI_ACTINST a
                JOIN ACT_HI_PROCINST p ON p.ID_ = a.PROC_INST_ID_
                WHERE a.PROC_DEF_KEY_ = :journey AND a.ACT_ID_ = :execute
                  AND a.START_TIME_ >= :from AND a.START_TIME_ < :to
            ),
            escalated AS (
                SELECT DISTINCT mission_id FROM mission_steps WHERE safeguard_outcome = 'escalate'
            )
            SELECT COUNT(*) AS reached, COUNT(e.mission_id) AS escalated
            FROM reached r
            LEFT JOIN escalated e ON e.mission_id = r.mission_id""";

    /** Undo executions that ended in the window, and the failures among them (the error boundary fired). */
    private static final String UNDO_EXECUTIONS = """
            SELECT COUNT(CASE WHEN a.ACT_ID_ = :undo THEN 1 END) AS attempted,
                   COUNT(CASE WHEN a.ACT_ID_ = :undoFailed THEN 1 END) AS failed
            FROM ACT_HI_ACTINST a
            WHERE a.PROC_DEF_KEY_ = :journey AND a.ACT_ID_ IN (:undo, :undoFailed)
              AND a.END_TIME_ >= :from AND a.END_TIME_ < :to""";

    /** Missions whose Plan &amp; Approve started in the window, and how many of them reused a library asset. */
    private static final String PLANNED_MISSIONS = """
            WITH planned AS (
                SELECT DISTINCT p.BUSINESS_KEY_ AS mission_id
                FROM ACT_HI_ACTINST a
                JOIN ACT_HI_PROCINST p ON p.ID_ = a.PROC_INST_ID_
                WHERE a.PROC_DEF_KEY_ = :journey AND a.ACT_ID_ = :plan
                  AND a.START_TIME_ >= :from AND a.START_TIME_ < :to
            ),
            reused AS (
                SELECT mission_id FROM mission_plays
                WHERE library_asset_id IS NOT NULL AND TRIM(library_asset_id) <> ''
                UNION
                SELECT mission_id FROM mission_feedback
                WHERE library_assets_reused IS NOT NULL AND TRIM(library_assets_reused) <> ''
            )
            SELECT COUNT(*) AS planned, COUNT(r.mission_id) AS reused
            FROM planned pl
            LEFT JOIN reused r ON r.mission_id = pl.mission_id""";
}
