package io.controlplane.telemetry;

import io.controlplane.mission.MissionStore;
import io.controlplane.platform.JsonValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes telemetry events of the catalog into {@code telemetry_events}, in the caller's transaction, so an event
 * exists exactly when the step that emits it committed.
 */
@Component
public class TelemetryEvents {
    public static final String VALIDATOR_ALERT_RAISED = TelemetryCatalog.VALIDATOR_ALERT_RAISED.eventName();
    public static final String VALIDATOR_OVERRIDE_REQUESTED = TelemetryCatalog.VALIDATOR_OVERRIDE_REQUESTED.eventName();
    public static final String UNDO_REQUESTED = TelemetryCatalog.UNDO_REQUESTED.eventName();
    public static final String UNDO_COMPLETED = TelemetryCatalog.UNDO_COMPLETED.eventName();
    public static final String INCIDENT_OPENED = TelemetryCatalog.INCIDENT_OPENED.eventName();
    public static final String INCIDENT_RESOLVED = TelemetryCatalog.INCIDENT_RESOLVED.eventName();
    public static final String EXECUTION_PAUSED = TelemetryCatalog.EXECUTION_PAUSED.eventName();

    /** One stored event. */
    public record Event(long id, String name, String missionId, String stage, String agent, Instant occurredAt,
                        String attributes) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonValues json;

    TelemetryEvents(NamedParameterJdbcTemplate jdbc, JsonValues json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Emits a catalog event at the catalog's stage (or {@code stage} for events of any stage). */
    public void emit(TelemetryCatalog event, String missionId, Map<String, ?> attributes) {
        emit(event.eventName(), missionId, event.stage().map(Enum::name).orElse(null), null, attributes);
    }

    public void emit(String name, String missionId, String stage, String agent, Map<String, ?> attributes) {
        if (TelemetryCatalog.ofName(name).isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is not in the telemetry catalog");
        }
        jdbc.update("""
                INSERT INTO telemetry_events (name, mission_id, stage, agent, occurred_at, attributes)
                VALUES (:name, :mission, :stage, :agent, :at, :attributes)""",
                new MapSqlParameterSource("name", name).addValue("mission", missionId).addValue("stage", stage)
                        .addValue("agent", agent).addValue("at", MissionStore.odt(Instant.now()))
                        .addValue("attributes", attributes == null || attributes.isEmpty() ? null : json.write(attributes)));
    }

    public List<Event> list(String missionId, String name, int limit) {
        String where = (missionId == null ? "1=1" : "mission_id = :mission") + (name == null ? "" : " AND name = :name");
        return jdbc.query("SELECT * FROM telemetry_events WHERE " + where + " ORDER BY occurred_at DESC, id DESC LIMIT :limit",
                new MapSqlParameterSource("mission", missionId).addValue("name", name).addValue("limit", limit),
                (rs, n) -> new Event(rs.getLong("id"), rs.getString("name"), rs.getString("mission_id"), rs.getString("stage"),
                        rs.getString("agent"), MissionStore.instant(rs, "occurred_at"), rs.getString("attributes")));
    }

    public long count(String name, String missionId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM telemetry_events WHERE name = :name AND mission_id = :mission",
                new MapSqlParameterSource("name", name).addValue("mission", missionId), Long.class);
        return n == null ? 0 : n;
    }
}
