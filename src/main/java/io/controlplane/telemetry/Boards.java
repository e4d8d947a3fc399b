package io.controlplane.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.JsonValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The three boards of the operations guide's "Telemetry &amp; Dashboards" over a window [from, to): Safeguard
 * Compliance, Undo Readiness and Feedback Insights. Counts are SQL aggregates; the one exception is the alerts by
 * safeguard and code, whose keys live in {@code telemetry_events.attributes} (JSON in a TEXT column): the window's
 * {@code validator_alert_raised} rows are read and their JSON parsed here, as H2 and PostgreSQL share no JSON syntax.
 * Percentages are 0–100, null when there is nothing to divide by. Listed rows are capped at {@link #MAX_LISTED}, newest
 * first; the counts next to them are not. Every query is one index range over its window (V9, V11: the board
 * tables' time columns), with the plans {@link ReportingPlans} makes stable on PostgreSQL.
 */
@Service
public class Boards {
    static final int MAX_LISTED = 200;
    static final List<String> OUTCOMES = List.of("auto_fix", "retry_later", "escalate");

    /** Alerts raised for one safeguard type and finding code. */
    public record AlertCount(String safeguard, String code, long alerts) {}

    /** Steps the validator auto-fixed, of the steps it flagged (any outcome but none). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Adoption(Double percent, long autoFixed, long flagged) {}

    /** A checkpoint decision as the boards list it: an override reason or a curator's sign-off. */
    public record Decision(String missionId, String decision, String comment, String decidedBy, Instant decidedAt) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SafeguardCompliance(
            Instant from,
            Instant to,
            long alerts,
            List<AlertCount> alertsByCode,
            Adoption autoFixAdoption,
            Map<String, Long> outcomes,
            long overrideDecisions,
            List<Decision> overrideReasons) {}

    /** Executed mutating plays with an undo plan, of the executed mutating plays. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Coverage(Double percent, long withUndoPlan, long executedMutating) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UndoReadiness(
            Instant from,
            Instant to,
            Coverage undoCoverage,
            long playsExecuted,
            long undoRunsCompleted,
            long undoFailures,
            long missionsRolledBack) {}

    public record LibraryReuse(String missionId, String assets) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FeedbackInsights(
            Instant from,
            Instant to,
            long feedbackCount,
            Double averageRating,
            Map<String, Long> ratingDistribution,
            BigDecimal effortSavedHoursTotal,
            Double effortSavedHoursAverage,
            Map<String, Long> satisfaction,
            long libraryContributions,
            List<Decision> curatorSignOffs,
            long missionsReusingAssets,
            List<LibraryReuse> reusedAssets) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonValues json;
    private final ReportingPlans reportingPlans;

    Boards(NamedParameterJdbcTemplate jdbc, JsonValues json, ReportingPlans reportingPlans) {
        this.jdbc = jdbc;
        this.json = json;
        this.reportingPlans = reportingPlans;
    }

    private static MapSqlParameterSource window(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        return new MapSqlParameterSource("from", MissionStore.odt(from))
                .addValue("to", MissionStore.odt(to))
                .addValue("limit", MAX_LISTED);
    }

    @Transactional(readOnly = true)
    public SafeguardCompliance safeguardCompliance(Instant from, Instant to) {
        reportingPlans.apply();
        MapSqlParameterSource w = window(from, to)
                .addValue("alert", TelemetryCatalog.VALIDATOR_ALERT_RAISED.eventName())
                .addValue("checkpoint", Runbooks.Elements.VIOLATION_DECISION);
        Map<List<String>, Long> byCode = new TreeMap<>(
                Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
        long alerts = 0;
        for (String attributes : jdbc.queryForList("""
                SELECT attributes FROM telemetry_events
                WHERE name = :alert AND occurred_at >= :from AND occurred_at < :to""", w, String.class)) {
            JsonNode a = attributes(attributes);
            byCode.merge(
                    List.of(
                            a.path("safeguard").asText("unknown"),
                            a.path("code").asText("unknown")),
                    1L,
                    Long::sum);
            alerts++;
        }
        List<AlertCount> counts = new ArrayList<>();
        byCode.forEach((k, n) -> counts.add(new AlertCount(k.get(0), k.get(1), n)));
        counts.sort(Comparator.comparingLong(AlertCount::alerts).reversed()); // stable: ties stay by safeguard, code

        Map<String, Long> outcomes = new LinkedHashMap<>();
        OUTCOMES.forEach(o -> outcomes.put(o, 0L));
        jdbc.query("""
                SELECT safeguard_outcome, COUNT(*) AS steps FROM mission_steps
                WHERE safeguard_outcome <> 'none' AND occurred_at >= :from AND occurred_at < :to
                GROUP BY safeguard_outcome""", w, rs -> {
            outcomes.put(rs.getString("safeguard_outcome"), rs.getLong("steps"));
        });
        long flagged = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long autoFixed = outcomes.get("auto_fix");

        long overrides = count(jdbc.queryForObject("""
                SELECT COUNT(*) FROM mission_approvals
                WHERE checkpoint = :checkpoint AND decided_at >= :from AND decided_at < :to""", w, Long.class));
        return new SafeguardCompliance(
                from,
                to,
                alerts,
                List.copyOf(counts),
                new Adoption(percent(autoFixed, flagged), autoFixed, flagged),
                outcomes,
                overrides,
                decisions(w));
    }

    @Transactional(readOnly = true)
    public UndoReadiness undoReadiness(Instant from, Instant to) {
        reportingPlans.apply();
        MapSqlParameterSource w = window(from, to)
                .addValue("undoFailure", "undo_failure")
                .addValue("rolledBack", MissionStore.Status.ROLLED_BACK.name());
        Map<String, Object> plays = jdbc.queryForMap("""
                SELECT COUNT(*) AS executed,
                       COUNT(CASE WHEN mutating THEN 1 END) AS executed_mutating,
                       COUNT(CASE WHEN mutating AND undo_plan_json IS NOT NULL AND TRIM(undo_plan_json) <> ''
                                  THEN 1 END) AS with_undo_plan
                FROM mission_plays
                WHERE executed_at >= :from AND executed_at < :to""", w);
        long mutating = count(plays.get("executed_mutating"));
        long withPlan = count(plays.get("with_undo_plan"));
        long undone = count(jdbc.queryForObject("""
                SELECT COUNT(*) FROM mission_plays
                WHERE undo_status = 'UNDONE' AND undone_at >= :from AND undone_at < :to""", w, Long.class));
        long failures = count(jdbc.queryForObject("""
                SELECT COUNT(*) FROM incidents
                WHERE kind = :undoFailure AND opened_at >= :from AND opened_at < :to""", w, Long.class));
        long rolledBack = count(jdbc.queryForObject("""
                SELECT COUNT(*) FROM missions
                WHERE status = :rolledBack AND completed_at >= :from AND completed_at < :to""", w, Long.class));
        return new UndoReadiness(
                from,
                to,
                new Coverage(percent(withPlan, mutating), withPlan, mutating),
                count(plays.get("executed")),
                undone,
                failures,
                rolledBack);
    }

    @Transactional(readOnly = true)
    public FeedbackInsights feedbackInsights(Instant from, Instant to) {
        reportingPlans.apply();
        MapSqlParameterSource w =
                window(from, to).addValue("checkpoint", MissionJourney.Elements.RETRO_SIGN_OFF_CURATOR);
        Map<String, Object> totals = jdbc.queryForMap("""
                SELECT COUNT(*) AS feedback, AVG(CAST(rating AS DOUBLE PRECISION)) AS avg_rating,
                       SUM(effort_saved_hours) AS effort_total,
                       AVG(CAST(effort_saved_hours AS DOUBLE PRECISION)) AS effort_avg
                FROM mission_feedback
                WHERE submitted_at >= :from AND submitted_at < :to""", w);
        Map<String, Long> ratings = new LinkedHashMap<>();
        for (int r = 1; r <= 5; r++) {
            ratings.put(Integer.toString(r), 0L);
        }
        Map<String, Long> satisfaction = new LinkedHashMap<>();
        jdbc.query("""
                SELECT rating, COUNT(*) AS n FROM mission_feedback
                WHERE submitted_at >= :from AND submitted_at < :to
                GROUP BY rating ORDER BY rating""", w, rs -> {
            ratings.put(Integer.toString(rs.getInt("rating")), rs.getLong("n"));
        });
        jdbc.query("""
                SELECT satisfaction, COUNT(*) AS n FROM mission_feedback
                WHERE submitted_at >= :from AND submitted_at < :to
                GROUP BY satisfaction ORDER BY satisfaction""", w, rs -> {
            satisfaction.put(rs.getString("satisfaction"), rs.getLong("n"));
        });
        long contributions = count(jdbc.queryForObject("""
                SELECT COUNT(*) FROM mission_approvals
                WHERE checkpoint = :checkpoint AND decided_at >= :from AND decided_at < :to""", w, Long.class));
        w.addValue("plan", MissionJourney.Elements.SUB_PLAN_APPROVE).addValue("journey", MissionJourney.PROCESS_KEY);
        // one pass over the window's planned missions: all reusing ones, newest first (counted, then the first listed)
        List<String> reusing = jdbc.queryForList(REUSING_MISSIONS + " ORDER BY started DESC, mission_id", w).stream()
                .map(r -> (String) r.get("mission_id"))
                .toList();
        BigDecimal effortTotal = (BigDecimal) totals.get("effort_total");
        return new FeedbackInsights(
                from,
                to,
                count(totals.get("feedback")),
                number(totals.get("avg_rating")),
                ratings,
                effortTotal == null ? BigDecimal.ZERO : effortTotal,
                number(totals.get("effort_avg")),
                satisfaction,
                contributions,
                decisions(w),
                reusing.size(),
                reusedAssets(reusing.subList(0, Math.min(MAX_LISTED, reusing.size()))));
    }

    /**
     * The missions that reused a library asset, counted as the library-reuse KPI counts them (issue #15: the board
     * said "0 missions reusing assets" beside a KPI of 3/4): those whose Plan &amp; Approve started in the window, by
     * {@link KpiService#reusedLibraryAsset}'s one definition; newest plan first.
     */
    private static final String REUSING_MISSIONS = """
            SELECT pl.mission_id, MAX(pl.started) AS started
            FROM (
                SELECT (SELECT p.BUSINESS_KEY_ FROM ACT_HI_PROCINST p WHERE p.ID_ = a.PROC_INST_ID_) AS mission_id,
                       a.START_TIME_ AS started
                FROM ACT_HI_ACTINST a
                WHERE a.ACT_ID_ = :plan AND a.START_TIME_ >= :from AND a.START_TIME_ < :to AND a.PROC_DEF_KEY_ = :journey
            ) pl
            WHERE %s
            GROUP BY pl.mission_id""".formatted(KpiService.reusedLibraryAsset("pl.mission_id"));

    /** The listed reusing missions with the assets they reused: their plays' library assets, then their feedback's. */
    private List<LibraryReuse> reusedAssets(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Set<String>> assets = new LinkedHashMap<>();
        ids.forEach(id -> assets.put(id, new LinkedHashSet<>()));
        MapSqlParameterSource p = new MapSqlParameterSource("ids", ids);
        jdbc.query("""
                SELECT mission_id, library_asset_id AS asset FROM mission_plays
                WHERE mission_id IN (:ids) AND library_asset_id IS NOT NULL AND TRIM(library_asset_id) <> ''
                ORDER BY mission_id, library_asset_id""", p, rs -> {
            assets.get(rs.getString("mission_id")).add(rs.getString("asset").trim());
        });
        jdbc.query("""
                SELECT mission_id, library_assets_reused AS asset FROM mission_feedback
                WHERE mission_id IN (:ids) AND library_assets_reused IS NOT NULL AND TRIM(library_assets_reused) <> ''
                ORDER BY mission_id""", p, rs -> {
            assets.get(rs.getString("mission_id")).add(rs.getString("asset").trim());
        });
        return assets.entrySet().stream()
                .map(e -> new LibraryReuse(e.getKey(), String.join(", ", e.getValue())))
                .toList();
    }

    /** The decisions at {@code :checkpoint} in the window, newest first. */
    private List<Decision> decisions(MapSqlParameterSource w) {
        return jdbc.query(
                """
                SELECT mission_id, decision, comment, decided_by, decided_at FROM mission_approvals
                WHERE checkpoint = :checkpoint AND decided_at >= :from AND decided_at < :to
                ORDER BY decided_at DESC, id DESC LIMIT :limit""",
                w,
                (rs, n) -> new Decision(
                        rs.getString("mission_id"),
                        rs.getString("decision"),
                        rs.getString("comment"),
                        rs.getString("decided_by"),
                        MissionStore.instant(rs, "decided_at")));
    }

    /** An alert's attributes; absent or unreadable JSON counts under "unknown" rather than failing the board. */
    private JsonNode attributes(String text) {
        try {
            JsonNode node = json.read(text);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException unreadable) {
            return MissingNode.getInstance();
        }
    }

    private static Double percent(long numerator, long denominator) {
        return denominator == 0 ? null : 100.0 * numerator / denominator;
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
