package io.controlplane.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.controlplane.mission.Stage;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads {@code mission_stage_rollup_vw} (V3): per stage, missions entered, in stage now, dwell, success rate. */
@Repository
class StageRollups {

    /** One stage's rollup; dwell in seconds over finished visits, success rate as a fraction (null: none left). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record StageRollup(String stageCode, String stageV3, String stageLegacy, long missionsEntered, long inStageNow,
                       Double dwellMeanSeconds, Double dwellP50Seconds, Double dwellP95Seconds, long leftForward,
                       long leftTotal, Double successRate) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    StageRollups(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every stage in journey order, or only {@code stage} when given. */
    List<StageRollup> rollup(Stage stage) {
        return jdbc.query("""
                SELECT stage_code, stage_v3, stage_legacy, missions_entered, in_stage_now, dwell_mean_seconds,
                       dwell_p50_seconds, dwell_p95_seconds, left_forward, left_total, success_rate
                FROM mission_stage_rollup_vw
                """ + (stage == null ? "" : "WHERE stage_code = :stage ") + "ORDER BY position",
                new MapSqlParameterSource("stage", stage == null ? null : stage.name()),
                (rs, n) -> new StageRollup(rs.getString("stage_code"), rs.getString("stage_v3"),
                        rs.getString("stage_legacy"), rs.getLong("missions_entered"), rs.getLong("in_stage_now"),
                        number(rs.getObject("dwell_mean_seconds")), number(rs.getObject("dwell_p50_seconds")),
                        number(rs.getObject("dwell_p95_seconds")), rs.getLong("left_forward"), rs.getLong("left_total"),
                        number(rs.getObject("success_rate"))));
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
