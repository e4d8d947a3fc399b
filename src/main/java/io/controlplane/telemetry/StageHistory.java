package io.controlplane.telemetry;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The historical stage export ({@code mission_stage_history_vw}, V8): every stage visit of the five-stage and the
 * legacy eight-stage journey, each with both labels — {@code stage_v3} (the five-stage name) always, and
 * {@code stage_legacy} (the legacy stage itself, or the legacy names a five-stage stage replaced).
 */
@Repository
class StageHistory {
    /** the most rows one export returns; a narrower window or one mission gets the rest */
    static final int MAX_ROWS = 10_000;

    record Visit(String missionId, String processInstanceId, String model, String activityId, String stageCode,
                 String stageV3, String stageLegacy, Instant enteredAt, Instant leftAt, String outcome) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    StageHistory(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Visits of one mission (all time) when {@code missionId} is given, else visits entered in {@code [from, to)};
     * with an {@code owner}, only visits of the missions that person owns.
     */
    List<Visit> visits(String missionId, Instant from, Instant to, String owner) {
        MapSqlParameterSource p = new MapSqlParameterSource("mission", missionId).addValue("owner", owner)
                .addValue("from", from == null ? null : Timestamp.from(from))
                .addValue("to", to == null ? null : Timestamp.from(to));
        String where = missionId != null ? "mission_id = :mission" : "entered_at >= :from AND entered_at < :to";
        if (missionId != null && from != null) {
            where += " AND entered_at >= :from AND entered_at < :to";
        }
        if (owner != null) {
            where += " AND mission_id IN (SELECT id FROM missions WHERE owner = :owner)";
        }
        return jdbc.query("SELECT * FROM mission_stage_history_vw WHERE " + where
                        + " ORDER BY entered_at, position, process_instance_id FETCH FIRST " + MAX_ROWS + " ROWS ONLY", p,
                (rs, n) -> new Visit(rs.getString("mission_id"), rs.getString("process_instance_id"),
                        rs.getString("model"), rs.getString("activity_id"), rs.getString("stage_code"),
                        rs.getString("stage_v3"), rs.getString("stage_legacy"), instant(rs.getTimestamp("entered_at")),
                        instant(rs.getTimestamp("left_at")), rs.getString("outcome")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
