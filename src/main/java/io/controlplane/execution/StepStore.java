package io.controlplane.execution;

import io.controlplane.mission.MissionStore;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code mission_steps}: what agents reported doing, with the validator's verdict; the history rate and budget checks read. */
@Repository
class StepStore {
    private final NamedParameterJdbcTemplate jdbc;

    StepStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String missionId, String playId, StepReport step, String outcome, String findings) {
        jdbc.update(
                """
                INSERT INTO mission_steps (mission_id, play_id, action, occurred_at, recipient, recipient_time_zone,
                  spend_cents, reversible, scopes_used, safeguard_outcome, findings)
                VALUES (:mission, :play, :action, :at, :recipient, :zone, :spend, :reversible, :scopes, :outcome, :findings)""",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("play", playId)
                        .addValue("action", step.action())
                        .addValue("at", MissionStore.odt(step.at()))
                        .addValue("recipient", step.recipient())
                        .addValue("zone", step.recipientTimeZone())
                        .addValue("spend", step.spendCents())
                        .addValue("reversible", step.reversible())
                        .addValue("scopes", String.join(",", step.scopesUsed()))
                        .addValue("outcome", outcome)
                        .addValue("findings", findings));
    }

    /** Steps that took effect (accepted, or escalated to a validator); steps sent back to run again did not. */
    List<StepReport> history(String missionId) {
        return jdbc.query(
                "SELECT * FROM mission_steps WHERE mission_id = :mission AND safeguard_outcome IN ('none', 'escalate') "
                        + "ORDER BY occurred_at",
                new MapSqlParameterSource("mission", missionId),
                (rs, n) -> new StepReport(
                        rs.getString("action"),
                        MissionStore.instant(rs, "occurred_at"),
                        rs.getString("recipient"),
                        rs.getString("recipient_time_zone"),
                        rs.getLong("spend_cents"),
                        rs.getBoolean("reversible"),
                        true,
                        null,
                        rs.getString("scopes_used") == null
                                        || rs.getString("scopes_used").isEmpty()
                                ? List.of()
                                : Arrays.asList(rs.getString("scopes_used").split(","))));
    }

    long count(String missionId, String outcome) {
        Long n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM mission_steps WHERE mission_id = :mission AND safeguard_outcome = :outcome",
                new MapSqlParameterSource("mission", missionId).addValue("outcome", outcome),
                Long.class);
        return n == null ? 0 : n;
    }
}
