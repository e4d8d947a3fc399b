package io.controlplane.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.Stage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stage rollup over a window [from, to), per stage sub-process of the journey ("visits": its activity instances in
 * {@code ACT_HI_ACTINST}, {@code PROC_DEF_KEY_ = 'mission-journey'}):
 * <ul>
 * <li>{@code missionsEntered}: distinct process instances with a visit that started in the window;</li>
 * <li>{@code leftTotal}, {@code leftForward} (ended and not canceled, {@code ACT_INST_STATE_} ≠ 2), {@code successRate}
 * = leftForward / leftTotal, and the dwell mean / P50 / P95 (seconds, end − start): over visits that ended in the
 * window;</li>
 * <li>{@code inStageNow}: visits open now (no end time), whatever their start.</li>
 * </ul>
 * Each figure is one index range per sub-process id ({@code cp_idx_hi_actinst_act_time} for starts, V9;
 * {@code cp_idx_hi_actinst_act_end} for ends and open visits, V12), so the cost follows the window, not the history.
 * Aggregation is by sub-process id; the labels come from {@link Stage} afterwards (no label strings in any sort).
 */
@Repository
class StageRollups {

    /** One stage's rollup; dwell in seconds over visits ended in the window, success rate a fraction (null: none left). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record StageRollup(
            String stageCode,
            String stageV3,
            String stageLegacy,
            long missionsEntered,
            long inStageNow,
            Double dwellMeanSeconds,
            Double dwellP50Seconds,
            Double dwellP95Seconds,
            long leftForward,
            long leftTotal,
            Double successRate) {}

    /** The response of {@code GET /api/stages/rollup}: the window it covers and one item per stage, in journey order. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Rollup(Instant from, Instant to, List<StageRollup> items) {}

    /** The stage sub-process of each stage in bpmn/mission-journey.bpmn (stage_labels.sub_process_id, V3). */
    static final Map<Stage, String> SUB_PROCESS = Map.of(
            Stage.DEFINE, MissionJourney.Elements.SUB_DEFINE,
            Stage.PREPARE, MissionJourney.Elements.SUB_PREPARE,
            Stage.PLAN_APPROVE, MissionJourney.Elements.SUB_PLAN_APPROVE,
            Stage.EXECUTE_OBSERVE, MissionJourney.Elements.SUB_EXECUTE_OBSERVE,
            Stage.REFLECT_IMPROVE, MissionJourney.Elements.SUB_REFLECT_IMPROVE);

    private final NamedParameterJdbcTemplate jdbc;

    StageRollups(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every stage in journey order, or only {@code stage} when given, over [from, to). */
    @Transactional(readOnly = true)
    Rollup rollup(Instant from, Instant to, Stage stage) {
        List<Stage> stages = stage == null ? List.of(Stage.values()) : List.of(stage);
        List<String> subs = stages.stream().map(SUB_PROCESS::get).toList();
        MapSqlParameterSource p = new MapSqlParameterSource("subs", subs)
                .addValue("journey", MissionJourney.PROCESS_KEY)
                .addValue("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to));

        Map<String, Long> entered = new HashMap<>();
        // distinct missions per stage: group by (sub-process, instance) first — hashed, no text ordering
        jdbc.query("""
                SELECT e.sub_process_id, COUNT(*) AS missions
                FROM (SELECT a.ACT_ID_ AS sub_process_id, a.PROC_INST_ID_ AS proc_inst_id
                      FROM ACT_HI_ACTINST a
                      WHERE a.ACT_ID_ IN (:subs) AND a.START_TIME_ >= :from AND a.START_TIME_ < :to
                        AND a.PROC_DEF_KEY_ = :journey
                      GROUP BY a.ACT_ID_, a.PROC_INST_ID_) e
                GROUP BY e.sub_process_id
                """, p, rs -> {
            entered.put(rs.getString(1), rs.getLong(2));
        });

        Map<String, Long> open = new HashMap<>();
        jdbc.query("""
                SELECT a.ACT_ID_, COUNT(*) FROM ACT_HI_ACTINST a
                WHERE a.ACT_ID_ IN (:subs) AND a.END_TIME_ IS NULL AND a.PROC_DEF_KEY_ = :journey
                GROUP BY a.ACT_ID_
                """, p, rs -> {
            open.put(rs.getString(1), rs.getLong(2));
        });

        Map<String, Object[]> left = new HashMap<>();
        jdbc.query("""
                SELECT v.sub_process_id, COUNT(*) AS left_total,
                       SUM(CASE WHEN COALESCE(v.state, 0) <> 2 THEN 1 ELSE 0 END) AS left_forward,
                       AVG(v.dwell_seconds) AS dwell_mean,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v.dwell_seconds) AS dwell_p50,
                       PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY v.dwell_seconds) AS dwell_p95
                FROM (SELECT a.ACT_ID_ AS sub_process_id, a.ACT_INST_STATE_ AS state,
                             CAST(EXTRACT(EPOCH FROM a.END_TIME_) - EXTRACT(EPOCH FROM a.START_TIME_) AS DOUBLE PRECISION)
                                 AS dwell_seconds
                      FROM ACT_HI_ACTINST a
                      WHERE a.ACT_ID_ IN (:subs) AND a.END_TIME_ >= :from AND a.END_TIME_ < :to
                        AND a.PROC_DEF_KEY_ = :journey) v
                GROUP BY v.sub_process_id
                """, p, rs -> {
            left.put(rs.getString(1), new Object[] {
                rs.getLong(2), rs.getLong(3), number(rs.getObject(4)), number(rs.getObject(5)), number(rs.getObject(6))
            });
        });

        List<StageRollup> items = new ArrayList<>();
        for (Stage s : stages) {
            String sub = SUB_PROCESS.get(s);
            Object[] l = left.get(sub);
            long leftTotal = l == null ? 0 : (Long) l[0];
            long leftForward = l == null ? 0 : (Long) l[1];
            items.add(new StageRollup(
                    s.name(),
                    s.displayName(),
                    String.join(" + ", s.legacyNames()),
                    entered.getOrDefault(sub, 0L),
                    open.getOrDefault(sub, 0L),
                    l == null ? null : (Double) l[2],
                    l == null ? null : (Double) l[3],
                    l == null ? null : (Double) l[4],
                    leftForward,
                    leftTotal,
                    leftTotal == 0 ? null : (double) leftForward / leftTotal));
        }
        return new Rollup(from, to, List.copyOf(items));
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
