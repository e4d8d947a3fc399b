package io.controlplane.mission;

import io.controlplane.platform.ConflictException;
import io.controlplane.platform.TransactionCache;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The mission read model ({@code missions}, {@code mission_feedback}), kept current by the journey's listeners. */
@Repository
public class MissionStore {

    /** ACTIVE while the journey runs; how it ended otherwise. */
    public enum Status {
        ACTIVE,
        COMPLETED,
        ROLLED_BACK,
        ABORTED
    }

    /** One mission as stored. Safeguards and toolkits are kept as the JSON the brief was validated into. */
    public record Mission(
            String id,
            String processInstanceId,
            String title,
            String objective,
            String persona,
            String kpiMetric,
            BigDecimal kpiTarget,
            String safeguardsJson,
            String toolkitsJson,
            String owner,
            Stage stage,
            Status status,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt) {}

    public record Feedback(
            int rating,
            BigDecimal effortSavedHours,
            String satisfaction,
            String libraryAssetsReused,
            String blockers,
            String submittedBy,
            Instant submittedAt) {}

    private final NamedParameterJdbcTemplate jdbc;

    public MissionStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The candidate groups of these open tasks, in one query (Camunda's API reads them a task at a time, and fails
     * for a task someone completes in between). A task completed meanwhile simply has none.
     */
    public Map<String, List<String>> candidateGroups(Collection<String> taskIds) {
        Map<String, List<String>> groups = new HashMap<>();
        if (taskIds.isEmpty()) {
            return groups;
        }
        jdbc.query("""
                SELECT TASK_ID_, GROUP_ID_ FROM ACT_RU_IDENTITYLINK
                WHERE TASK_ID_ IN (:tasks) AND TYPE_ = 'candidate' AND GROUP_ID_ IS NOT NULL ORDER BY GROUP_ID_
                """, new MapSqlParameterSource("tasks", taskIds), (ResultSet rs) -> {
            groups.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
        });
        return groups;
    }

    public static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static OffsetDateTime odt(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    /** @throws io.controlplane.platform.ConflictException when a mission with this id (business key) exists already */
    public void insert(Mission m) {
        try {
            insertRow(m);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("A mission with the business key '" + m.id()
                    + "' exists already: choose another business key, or none to get a new one. Nothing was started.");
        }
    }

    private void insertRow(Mission m) {
        forget(m.id());
        jdbc.update(
                """
                INSERT INTO missions (id, process_instance_id, title, objective, persona, kpi_metric, kpi_target,
                  safeguards_json, toolkits_json, owner, stage, status, created_at, updated_at)
                VALUES (:id, :pi, :title, :objective, :persona, :metric, :target, :safeguards, :toolkits, :owner,
                  :stage, :status, :created, :created)""",
                new MapSqlParameterSource()
                        .addValue("id", m.id())
                        .addValue("pi", m.processInstanceId())
                        .addValue("title", m.title())
                        .addValue("objective", m.objective())
                        .addValue("persona", m.persona())
                        .addValue("metric", m.kpiMetric())
                        .addValue("target", m.kpiTarget())
                        .addValue("safeguards", m.safeguardsJson())
                        .addValue("toolkits", m.toolkitsJson())
                        .addValue("owner", m.owner())
                        .addValue("stage", m.stage().name())
                        .addValue("status", m.status().name())
                        .addValue("created", odt(m.createdAt())));
    }

    /**
     * The mission, read once per transaction: the journey's listeners, delegates and checks of one step ask for the
     * same row many times (about 28 reads per mission otherwise). Every write through this store drops the
     * transaction's copy, so a read after a write sees the write.
     */
    public Optional<Mission> find(String id) {
        Map<String, Optional<Mission>> cache = TransactionCache.map(CACHE);
        if (cache != null && cache.containsKey(id)) {
            return cache.get(id);
        }
        Optional<Mission> found = jdbc
                .query("SELECT * FROM missions WHERE id = :id", new MapSqlParameterSource("id", id), MissionStore::map)
                .stream()
                .findFirst();
        if (cache != null) {
            cache.put(id, found);
        }
        return found;
    }

    private static final String CACHE = "missions";

    private static void forget(String id) {
        Map<String, Optional<Mission>> cache = TransactionCache.map(CACHE);
        if (cache != null) {
            cache.remove(id);
        }
    }

    public List<Mission> list(Stage stage, Status status, int page, int size) {
        return list(stage, status, null, page, size);
    }

    /** A page of missions by stage and status (each optional), only {@code owner}'s when one is given. */
    public List<Mission> list(Stage stage, Status status, String owner, int page, int size) {
        return jdbc.query(
                "SELECT * FROM missions WHERE " + filter(stage, status, owner)
                        + " ORDER BY created_at DESC, id LIMIT :size OFFSET :offset",
                params(stage, status, owner).addValue("size", size).addValue("offset", (long) page * size),
                MissionStore::map);
    }

    public long count(Stage stage, Status status) {
        return count(stage, status, null);
    }

    public long count(Stage stage, Status status, String owner) {
        Long n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM missions WHERE " + filter(stage, status, owner),
                params(stage, status, owner),
                Long.class);
        return n == null ? 0 : n;
    }

    private static String filter(Stage stage, Status status, String owner) {
        return (stage == null ? "1=1" : "stage = :stage")
                + (status == null ? "" : " AND status = :status")
                + (owner == null ? "" : " AND owner = :owner");
    }

    private static MapSqlParameterSource params(Stage stage, Status status, String owner) {
        return new MapSqlParameterSource()
                .addValue("stage", stage == null ? null : stage.name())
                .addValue("status", status == null ? null : status.name())
                .addValue("owner", owner);
    }

    public void updateStage(String id, Stage stage) {
        forget(id);
        jdbc.update(
                "UPDATE missions SET stage = :stage, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", id)
                        .addValue("stage", stage.name())
                        .addValue("now", odt(Instant.now())));
    }

    /**
     * Moves the mission to {@code stage} unless it is already there; false when it was (or the mission is unknown).
     * The same one statement as {@link #updateStage}.
     */
    public boolean enterStage(String id, Stage stage) {
        forget(id);
        return jdbc.update(
                        "UPDATE missions SET stage = :stage, updated_at = :now WHERE id = :id AND stage <> :stage",
                        new MapSqlParameterSource("id", id)
                                .addValue("stage", stage.name())
                                .addValue("now", odt(Instant.now())))
                == 1;
    }

    public void finish(String id, Status status) {
        forget(id);
        Instant now = Instant.now();
        jdbc.update(
                "UPDATE missions SET status = :status, updated_at = :now, completed_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", id)
                        .addValue("status", status.name())
                        .addValue("now", odt(now)));
    }

    public boolean exists(String id) {
        if (id == null) {
            return false;
        }
        // through the transaction's copy: a checkpoint asks this right after reading the row for its owner
        return find(id).isPresent();
    }

    public void reviseBrief(String id, String objective, String kpiMetric, BigDecimal kpiTarget) {
        forget(id);
        jdbc.update(
                "UPDATE missions SET objective = :objective, kpi_metric = :metric, kpi_target = :target, "
                        + "updated_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", id)
                        .addValue("objective", objective)
                        .addValue("metric", kpiMetric)
                        .addValue("target", kpiTarget)
                        .addValue("now", odt(Instant.now())));
    }

    public void reviseToolkits(String id, String toolkitsJson) {
        forget(id);
        jdbc.update(
                "UPDATE missions SET toolkits_json = :toolkits, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", id)
                        .addValue("toolkits", toolkitsJson)
                        .addValue("now", odt(Instant.now())));
    }

    public void saveFeedback(String missionId, Feedback f) {
        MapSqlParameterSource p = new MapSqlParameterSource("id", missionId)
                .addValue("rating", f.rating())
                .addValue("effort", f.effortSavedHours())
                .addValue("satisfaction", f.satisfaction())
                .addValue("reused", f.libraryAssetsReused())
                .addValue("blockers", f.blockers())
                .addValue("by", f.submittedBy())
                .addValue("at", odt(f.submittedAt()));
        // The feedback task runs once per mission; a re-run (after process modification) replaces the earlier answer.
        jdbc.update("DELETE FROM mission_feedback WHERE mission_id = :id", p);
        jdbc.update("""
                INSERT INTO mission_feedback (mission_id, rating, effort_saved_hours, satisfaction,
                  library_assets_reused, blockers, submitted_by, submitted_at)
                VALUES (:id, :rating, :effort, :satisfaction, :reused, :blockers, :by, :at)""", p);
    }

    public Optional<Feedback> feedback(String missionId) {
        return jdbc
                .query(
                        "SELECT * FROM mission_feedback WHERE mission_id = :id",
                        new MapSqlParameterSource("id", missionId),
                        (rs, n) -> new Feedback(
                                rs.getInt("rating"),
                                rs.getBigDecimal("effort_saved_hours"),
                                rs.getString("satisfaction"),
                                rs.getString("library_assets_reused"),
                                rs.getString("blockers"),
                                rs.getString("submitted_by"),
                                instant(rs, "submitted_at")))
                .stream()
                .findFirst();
    }

    private static Mission map(ResultSet rs, int row) throws SQLException {
        return new Mission(
                rs.getString("id"),
                rs.getString("process_instance_id"),
                rs.getString("title"),
                rs.getString("objective"),
                rs.getString("persona"),
                rs.getString("kpi_metric"),
                rs.getBigDecimal("kpi_target"),
                rs.getString("safeguards_json"),
                rs.getString("toolkits_json"),
                rs.getString("owner"),
                Stage.valueOf(rs.getString("stage")),
                Status.valueOf(rs.getString("status")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "completed_at"));
    }
}
