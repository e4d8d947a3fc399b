package io.controlplane.telemetry;

import io.controlplane.mission.MissionStore;
import io.controlplane.platform.JsonValues;
import java.time.Instant;
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
    /** Event names emitted so far; the full catalog and agent-posted events come with the telemetry work. */
    public static final String VALIDATOR_ALERT_RAISED = "validator_alert_raised";
    public static final String VALIDATOR_OVERRIDE_REQUESTED = "validator_override_requested";
    public static final String UNDO_REQUESTED = "undo_requested";
    public static final String UNDO_COMPLETED = "undo_completed";
    public static final String INCIDENT_OPENED = "incident_opened";
    public static final String INCIDENT_RESOLVED = "incident_resolved";
    public static final String EXECUTION_PAUSED = "execution_paused";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonValues json;

    TelemetryEvents(NamedParameterJdbcTemplate jdbc, JsonValues json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void emit(String name, String missionId, String stage, String agent, Map<String, ?> attributes) {
        jdbc.update("""
                INSERT INTO telemetry_events (name, mission_id, stage, agent, occurred_at, attributes)
                VALUES (:name, :mission, :stage, :agent, :at, :attributes)""",
                new MapSqlParameterSource("name", name).addValue("mission", missionId).addValue("stage", stage)
                        .addValue("agent", agent).addValue("at", MissionStore.odt(Instant.now()))
                        .addValue("attributes", attributes == null || attributes.isEmpty() ? null : json.write(attributes)));
    }

    public long count(String name, String missionId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM telemetry_events WHERE name = :name AND mission_id = :mission",
                new MapSqlParameterSource("name", name).addValue("mission", missionId), Long.class);
        return n == null ? 0 : n;
    }
}
