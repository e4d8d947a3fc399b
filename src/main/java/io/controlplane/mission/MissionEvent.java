package io.controlplane.mission;

import java.util.Map;

/**
 * Something a mission went through, named by the telemetry catalog: published with Spring's
 * {@code ApplicationEventPublisher} by the feature where it happened, inside the engine's transaction, and recorded by
 * the telemetry package's listener in that same transaction (so the event exists exactly when the step committed).
 * Features publish; none of them knows how telemetry stores or counts it.
 *
 * @param event the catalog entry
 * @param missionId the mission's business key
 * @param stage the stage it happened in: the catalog's own, or the caller's for events of any stage (incidents)
 * @param agent the agent that caused it, if one did
 * @param attributes the event's attributes (stored as JSON)
 */
public record MissionEvent(
        TelemetryCatalog event, String missionId, Stage stage, String agent, Map<String, ?> attributes) {
    public MissionEvent {
        if (stage == null) {
            stage = event.stage().orElse(null);
        }
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** An event at its catalog stage. */
    public static MissionEvent of(TelemetryCatalog event, String missionId, Map<String, ?> attributes) {
        return new MissionEvent(event, missionId, null, null, attributes);
    }

    /** An event caused by an agent (at its catalog stage). */
    public static MissionEvent byAgent(
            TelemetryCatalog event, String missionId, String agent, Map<String, ?> attributes) {
        return new MissionEvent(event, missionId, null, agent, attributes);
    }
}
