package io.controlplane.telemetry;

import io.controlplane.platform.Page;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
    /** the most rows one CSV export returns; a narrower window or one mission gets the rest */
    static final int MAX_ROWS = 10_000;

    record Visit(
            String missionId,
            String processInstanceId,
            String model,
            String activityId,
            String stageCode,
            String stageV3,
            String stageLegacy,
            Instant enteredAt,
            Instant leftAt,
            String outcome) {}

    private final NamedParameterJdbcTemplate jdbc;

    StageHistory(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Visits of one mission (all time) when {@code missionId} is given, else visits entered in {@code [from, to)};
     * with an {@code owner}, only visits of the missions that person owns.
     */
    List<Visit> visits(String missionId, Instant from, Instant to, String owner) {
        return visits(missionId, from, to, owner, MAX_ROWS, 0);
    }

    /** One page of the same visits (the JSON answer), and how many there are in all. */
    Page<Visit> page(String missionId, Instant from, Instant to, String owner, Page.Request paging) {
        Long total = jdbc.queryForObject(
                "SELECT COUNT(*) FROM mission_stage_history_vw WHERE " + where(missionId, from, owner),
                params(missionId, from, to, owner),
                Long.class);
        return Page.of(
                paging, visits(missionId, from, to, owner, paging.size(), paging.offset()), total == null ? 0 : total);
    }

    private List<Visit> visits(String missionId, Instant from, Instant to, String owner, int limit, long offset) {
        return jdbc.query(
                "SELECT * FROM mission_stage_history_vw WHERE " + where(missionId, from, owner)
                        + " ORDER BY entered_at, position, process_instance_id LIMIT :limit OFFSET :offset",
                params(missionId, from, to, owner).addValue("limit", limit).addValue("offset", offset),
                (rs, n) -> new Visit(
                        rs.getString("mission_id"),
                        rs.getString("process_instance_id"),
                        constant(rs.getString("model")),
                        rs.getString("activity_id"),
                        rs.getString("stage_code"),
                        rs.getString("stage_v3"),
                        rs.getString("stage_legacy"),
                        instant(rs.getTimestamp("entered_at")),
                        instant(rs.getTimestamp("left_at")),
                        constant(rs.getString("outcome"))));
    }

    private static String where(String missionId, Instant from, String owner) {
        String where = missionId != null ? "mission_id = :mission" : "entered_at >= :from AND entered_at < :to";
        if (missionId != null && from != null) {
            where += " AND entered_at >= :from AND entered_at < :to";
        }
        if (owner != null) {
            where += " AND mission_id IN (SELECT id FROM missions WHERE owner = :owner)";
        }
        return where;
    }

    private static MapSqlParameterSource params(String missionId, Instant from, Instant to, String owner) {
        return new MapSqlParameterSource("mission", missionId)
                .addValue("owner", owner)
                .addValue("from", from == null ? null : Timestamp.from(from))
                .addValue("to", to == null ? null : Timestamp.from(to));
    }

    /**
     * The view's {@code model} ({@code five-stage}, {@code eight-stage}) and {@code outcome} ({@code active},
     * {@code completed}, {@code canceled}) in the API's one enum casing: {@code FIVE_STAGE}, {@code COMPLETED}.
     */
    static String constant(String value) {
        return value == null ? null : value.strip().replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
