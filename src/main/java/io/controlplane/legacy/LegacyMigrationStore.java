package io.controlplane.legacy;

import io.controlplane.mission.MissionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code legacy_migrations} and {@code legacy_migration_instances}: what each migration batch was given. */
@Repository
class LegacyMigrationStore {

    record Run(
            String batchId,
            String sourceDefinitionId,
            String targetDefinitionId,
            String batchJobDefinitionId,
            String startedBy,
            Instant startedAt) {}

    record Instance(
            String processInstanceId,
            String missionId,
            String legacyStage,
            String sourceActivityId,
            String targetActivityId) {}

    private final NamedParameterJdbcTemplate jdbc;

    LegacyMigrationStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Run run, List<Instance> instances) {
        jdbc.update(
                """
                INSERT INTO legacy_migrations (batch_id, source_definition_id, target_definition_id,
                  batch_job_definition_id, started_by, started_at)
                VALUES (:batch, :source, :target, :jobDef, :by, :at)""",
                new MapSqlParameterSource("batch", run.batchId())
                        .addValue("source", run.sourceDefinitionId())
                        .addValue("target", run.targetDefinitionId())
                        .addValue("jobDef", run.batchJobDefinitionId())
                        .addValue("by", run.startedBy())
                        .addValue("at", MissionStore.odt(run.startedAt())));
        for (Instance i : instances) {
            jdbc.update(
                    """
                    INSERT INTO legacy_migration_instances (batch_id, process_instance_id, mission_id, legacy_stage,
                      source_activity_id, target_activity_id)
                    VALUES (:batch, :pi, :mission, :stage, :source, :target)""",
                    new MapSqlParameterSource("batch", run.batchId())
                            .addValue("pi", i.processInstanceId())
                            .addValue("mission", i.missionId())
                            .addValue("stage", i.legacyStage())
                            .addValue("source", i.sourceActivityId())
                            .addValue("target", i.targetActivityId()));
        }
    }

    Optional<Run> run(String batchId) {
        return jdbc
                .query(
                        "SELECT * FROM legacy_migrations WHERE batch_id = :batch",
                        new MapSqlParameterSource("batch", batchId),
                        (rs, n) -> new Run(
                                rs.getString("batch_id"),
                                rs.getString("source_definition_id"),
                                rs.getString("target_definition_id"),
                                rs.getString("batch_job_definition_id"),
                                rs.getString("started_by"),
                                MissionStore.instant(rs, "started_at")))
                .stream()
                .findFirst();
    }

    List<Instance> instances(String batchId) {
        return jdbc.query(
                """
                SELECT * FROM legacy_migration_instances WHERE batch_id = :batch
                ORDER BY legacy_stage, process_instance_id""",
                new MapSqlParameterSource("batch", batchId),
                (rs, n) -> new Instance(
                        rs.getString("process_instance_id"),
                        rs.getString("mission_id"),
                        rs.getString("legacy_stage"),
                        rs.getString("source_activity_id"),
                        rs.getString("target_activity_id")));
    }
}
