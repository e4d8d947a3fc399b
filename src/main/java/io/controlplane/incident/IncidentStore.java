package io.controlplane.incident;

import io.controlplane.mission.MissionStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code incidents}: what the runbooks open, who acknowledged, how it was resolved and reviewed. */
@Repository
class IncidentStore {
    private final NamedParameterJdbcTemplate jdbc;

    IncidentStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(IncidentService.Incident i) {
        jdbc.update(
                """
                INSERT INTO incidents (id, mission_id, kind, severity, status, stage, summary, runbook_instance_id, opened_at)
                VALUES (:id, :mission, :kind, :severity, :status, :stage, :summary, :runbook, :opened)""",
                new MapSqlParameterSource("id", i.id())
                        .addValue("mission", i.missionId())
                        .addValue("kind", i.kind())
                        .addValue("severity", i.severity())
                        .addValue("status", i.status())
                        .addValue("stage", i.stage())
                        .addValue("summary", i.summary())
                        .addValue("runbook", i.runbookInstanceId())
                        .addValue("opened", MissionStore.odt(i.openedAt())));
    }

    Optional<IncidentService.Incident> find(String id) {
        return jdbc
                .query(
                        "SELECT * FROM incidents WHERE id = :id",
                        new MapSqlParameterSource("id", id),
                        IncidentStore::map)
                .stream()
                .findFirst();
    }

    List<IncidentService.Incident> list(String status, String missionId, int limit, long offset) {
        return jdbc.query(
                "SELECT * FROM incidents WHERE " + where(status, missionId)
                        + " ORDER BY opened_at DESC, id LIMIT :limit OFFSET :offset",
                new MapSqlParameterSource("status", status)
                        .addValue("mission", missionId)
                        .addValue("limit", limit)
                        .addValue("offset", offset),
                IncidentStore::map);
    }

    long count(String status, String missionId) {
        Long n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM incidents WHERE " + where(status, missionId),
                new MapSqlParameterSource("status", status).addValue("mission", missionId),
                Long.class);
        return n == null ? 0 : n;
    }

    /** Filters are added only when given: PostgreSQL cannot type a NULL parameter in ":p IS NULL". */
    private static String where(String status, String missionId) {
        return (status == null ? "1=1" : "status = :status") + (missionId == null ? "" : " AND mission_id = :mission");
    }

    /** @return true when the incident was open and is now acknowledged */
    boolean acknowledge(String id, String by, String via, Instant at) {
        return jdbc.update(
                        "UPDATE incidents SET status = 'ACKNOWLEDGED', acknowledged_at = :at, acknowledged_by = :by, "
                                + "acknowledged_via = :via WHERE id = :id AND status = 'OPEN'",
                        new MapSqlParameterSource("id", id)
                                .addValue("by", by)
                                .addValue("via", via)
                                .addValue("at", MissionStore.odt(at)))
                == 1;
    }

    boolean resolve(String id, String by, String resolution, Instant at) {
        return jdbc.update(
                        "UPDATE incidents SET status = 'RESOLVED', resolved_at = :at, resolved_by = :by, "
                                + "resolution = :resolution WHERE id = :id AND status <> 'RESOLVED'",
                        new MapSqlParameterSource("id", id)
                                .addValue("by", by)
                                .addValue("resolution", resolution)
                                .addValue("at", MissionStore.odt(at)))
                == 1;
    }

    void review(String id, String by, String summary, Instant at) {
        jdbc.update(
                "UPDATE incidents SET reviewed_at = :at, reviewed_by = :by, review_summary = :summary WHERE id = :id",
                new MapSqlParameterSource("id", id)
                        .addValue("by", by)
                        .addValue("summary", summary)
                        .addValue("at", MissionStore.odt(at)));
    }

    private static IncidentService.Incident map(ResultSet rs, int n) throws SQLException {
        return new IncidentService.Incident(
                rs.getString("id"),
                rs.getString("mission_id"),
                rs.getString("kind"),
                rs.getString("severity"),
                rs.getString("status"),
                rs.getString("stage"),
                rs.getString("summary"),
                rs.getString("runbook_instance_id"),
                MissionStore.instant(rs, "opened_at"),
                MissionStore.instant(rs, "acknowledged_at"),
                rs.getString("acknowledged_by"),
                rs.getString("acknowledged_via"),
                MissionStore.instant(rs, "resolved_at"),
                rs.getString("resolved_by"),
                rs.getString("resolution"),
                MissionStore.instant(rs, "reviewed_at"),
                rs.getString("reviewed_by"),
                rs.getString("review_summary"));
    }
}
