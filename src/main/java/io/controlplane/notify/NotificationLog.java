package io.controlplane.notify;

import io.controlplane.mission.MissionStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** {@code notification_log}: what every channel sent, or would have sent, so people can check who was told what. */
@Repository
class NotificationLog {
    static final String SENT = "SENT";
    static final String LOGGED = "LOGGED";

    private final NamedParameterJdbcTemplate jdbc;

    NotificationLog(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes one row. Values longer than their column are cut rather than refused: a message that already went out
     * must not fail (and be sent again on retry) because its record is too long. {@code payload} is exactly what
     * went (or would have gone) to the channel, credentials aside: it is never cut.
     *
     * @return the row id
     */
    long record(
            String channel,
            String outcome,
            Notification n,
            String recipient,
            String subject,
            String body,
            String payload,
            String dedupKey,
            Instant at) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                """
                INSERT INTO notification_log (channel, outcome, kind, incident_id, mission_id, recipient, subject, body,
                  payload, dedup_key, created_at)
                VALUES (:channel, :outcome, :kind, :incident, :mission, :recipient, :subject, :body, :payload, :dedup,
                  :at)""",
                new MapSqlParameterSource("channel", channel)
                        .addValue("outcome", outcome)
                        .addValue("kind", NotificationText.truncate(n.kind(), 40))
                        .addValue("incident", NotificationText.truncate(n.incidentId(), 40))
                        .addValue("mission", NotificationText.truncate(n.missionId(), 64))
                        .addValue("recipient", NotificationText.truncate(recipient, 1000))
                        .addValue("subject", NotificationText.truncate(subject, 500))
                        .addValue("body", body)
                        .addValue("payload", payload)
                        .addValue("dedup", NotificationText.truncate(dedupKey, 100))
                        .addValue("at", MissionStore.odt(at)),
                keys,
                new String[] {"id"});
        return keys.getKey().longValue();
    }

    /** The newest rows first; each filter applies only when given. */
    List<LoggedNotification> recent(String channel, String incidentId, String missionId, int limit, long offset) {
        MapSqlParameterSource p = new MapSqlParameterSource("limit", limit).addValue("offset", offset);
        return jdbc.query(
                "SELECT * FROM notification_log" + where(p, channel, incidentId, missionId)
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset",
                p,
                NotificationLog::map);
    }

    long count(String channel, String incidentId, String missionId) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        Long n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM notification_log" + where(p, channel, incidentId, missionId), p, Long.class);
        return n == null ? 0 : n;
    }

    private static String where(MapSqlParameterSource p, String channel, String incidentId, String missionId) {
        List<String> where = new ArrayList<>();
        if (channel != null) {
            where.add("channel = :channel");
            p.addValue("channel", channel);
        }
        if (incidentId != null) {
            where.add("incident_id = :incident");
            p.addValue("incident", incidentId);
        }
        if (missionId != null) {
            where.add("mission_id = :mission");
            p.addValue("mission", missionId);
        }
        return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    }

    private static LoggedNotification map(ResultSet rs, int row) throws SQLException {
        return new LoggedNotification(
                rs.getLong("id"),
                rs.getString("channel"),
                rs.getString("outcome"),
                rs.getString("kind"),
                rs.getString("incident_id"),
                rs.getString("mission_id"),
                rs.getString("recipient"),
                rs.getString("subject"),
                rs.getString("body"),
                rs.getString("payload"),
                rs.getString("dedup_key"),
                MissionStore.instant(rs, "created_at"));
    }
}
