package io.controlplane.mission;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** {@code mission_evidence}: rendered readiness artifacts with their SHA-256. */
@Repository
class EvidenceStore {

    record Evidence(
            long id,
            String missionId,
            Stage stage,
            String template,
            String content,
            String sha256,
            Instant renderedAt) {}

    private final NamedParameterJdbcTemplate jdbc;

    EvidenceStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String missionId, Stage stage, String content, String sha256, Instant at) {
        return insert(missionId, stage, stage.evidenceTemplate(), content, sha256, at);
    }

    /** An artifact rendered from another template than the stage's own (a migrated mission's legacy record). */
    long insert(String missionId, Stage stage, String template, String content, String sha256, Instant at) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                """
                INSERT INTO mission_evidence (mission_id, stage, template, content, sha256, rendered_at)
                VALUES (:mission, :stage, :template, :content, :sha, :at)""",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("stage", stage.name())
                        .addValue("template", template)
                        .addValue("content", content)
                        .addValue("sha", sha256)
                        .addValue("at", MissionStore.odt(at)),
                keys,
                new String[] {"id"});
        return keys.getKey().longValue();
    }

    List<Evidence> forMission(String missionId) {
        return jdbc.query(
                "SELECT * FROM mission_evidence WHERE mission_id = :id ORDER BY rendered_at, id",
                new MapSqlParameterSource("id", missionId),
                (rs, n) -> new Evidence(
                        rs.getLong("id"),
                        rs.getString("mission_id"),
                        Stage.valueOf(rs.getString("stage")),
                        rs.getString("template"),
                        rs.getString("content"),
                        rs.getString("sha256"),
                        MissionStore.instant(rs, "rendered_at")));
    }

    /** The latest artifact of a stage (a stage re-entered after process modification renders again). */
    Optional<Evidence> latest(String missionId, Stage stage) {
        List<Evidence> all =
                forMission(missionId).stream().filter(e -> e.stage() == stage).toList();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
}
