package io.controlplane.mission;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code mission_approvals}, part of the mission aggregate: one row per checkpoint decision, linked to its stage's evidence once rendered. */
@Repository
public class ApprovalStore {

    public record Approval(
            long id,
            String missionId,
            String activityInstanceId,
            String checkpoint,
            String checkpointName,
            Stage stage,
            String decidedBy,
            String role,
            String decision,
            String comment,
            Instant decidedAt,
            Long evidenceId) {}

    private final NamedParameterJdbcTemplate jdbc;

    public ApprovalStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A decision at checkpoint {@code checkpoint} (the task's key), named {@code checkpointName}, of {@code stage}. */
    public void insert(
            String missionId,
            String processInstanceId,
            String activityInstanceId,
            String checkpoint,
            String checkpointName,
            Stage stage,
            String decidedBy,
            String role,
            String decision,
            String comment,
            Instant at) {
        jdbc.update(
                """
                INSERT INTO mission_approvals (mission_id, process_instance_id, activity_instance_id, checkpoint, checkpoint_name,
                  stage, decided_by, role, decision, comment, decided_at)
                VALUES (:mission, :pi, :activity, :checkpoint, :name, :stage, :by, :role, :decision, :comment, :at)""",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("pi", processInstanceId)
                        .addValue("activity", activityInstanceId)
                        .addValue("checkpoint", checkpoint)
                        .addValue("name", checkpointName)
                        .addValue("stage", stage.name())
                        .addValue("by", decidedBy)
                        .addValue("role", role)
                        .addValue("decision", decision)
                        .addValue("comment", comment)
                        .addValue("at", MissionStore.odt(at)));
    }

    public List<Approval> forMission(String missionId) {
        return jdbc.query(
                "SELECT * FROM mission_approvals WHERE mission_id = :id ORDER BY decided_at, id",
                new MapSqlParameterSource("id", missionId),
                (rs, n) -> new Approval(
                        rs.getLong("id"),
                        rs.getString("mission_id"),
                        rs.getString("activity_instance_id"),
                        rs.getString("checkpoint"),
                        rs.getString("checkpoint_name"),
                        Stage.valueOf(rs.getString("stage")),
                        rs.getString("decided_by"),
                        rs.getString("role"),
                        rs.getString("decision"),
                        rs.getString("comment"),
                        MissionStore.instant(rs, "decided_at"),
                        (Long) rs.getObject("evidence_id", Long.class)));
    }

    /** Decisions of one stage not yet covered by a rendered artifact. */
    public List<Approval> unlinked(String missionId, Stage stage) {
        return forMission(missionId).stream()
                .filter(a -> a.stage() == stage && a.evidenceId() == null)
                .toList();
    }

    public void linkEvidence(String missionId, Stage stage, long evidenceId) {
        jdbc.update(
                "UPDATE mission_approvals SET evidence_id = :evidence WHERE mission_id = :mission AND stage = :stage "
                        + "AND evidence_id IS NULL",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("stage", stage.name())
                        .addValue("evidence", evidenceId));
    }
}
