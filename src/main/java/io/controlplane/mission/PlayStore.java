package io.controlplane.mission;

import io.controlplane.platform.TransactionCache;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code mission_plays}: the planner's ranked plays per approval round, their risk grade and execution outcome. */
@Repository
public class PlayStore {

    public record Play(
            String missionId,
            int round,
            String playId,
            int rank,
            String name,
            String description,
            String impact,
            String reversibility,
            boolean mutating,
            String riskGrade,
            String undoPlanJson,
            String libraryAssetId,
            String status,
            String resultSummary,
            String resultSha256,
            Instant executedAt) {}

    public static final String PLANNED = "PLANNED";

    private final NamedParameterJdbcTemplate jdbc;

    PlayStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Play p) {
        forget(p.missionId());
        jdbc.update(
                """
                INSERT INTO mission_plays (mission_id, approval_round, play_id, play_rank, name, description, impact,
                  reversibility, mutating, risk_grade, undo_plan_json, library_asset_id, status)
                VALUES (:mission, :round, :play, :rank, :name, :description, :impact, :reversibility, :mutating,
                  :grade, :undo, :asset, :status)""",
                new MapSqlParameterSource("mission", p.missionId())
                        .addValue("round", p.round())
                        .addValue("play", p.playId())
                        .addValue("rank", p.rank())
                        .addValue("name", p.name())
                        .addValue("description", p.description())
                        .addValue("impact", p.impact())
                        .addValue("reversibility", p.reversibility())
                        .addValue("mutating", p.mutating())
                        .addValue("grade", p.riskGrade())
                        .addValue("undo", p.undoPlanJson())
                        .addValue("asset", p.libraryAssetId())
                        .addValue("status", p.status()));
    }

    public int latestRound(String missionId) {
        Integer r = jdbc.queryForObject(
                "SELECT MAX(approval_round) FROM mission_plays WHERE mission_id = :id",
                new MapSqlParameterSource("id", missionId),
                Integer.class);
        return r == null ? 0 : r;
    }

    /** The plays of the mission's latest (approved) round, in rank order. */
    public List<Play> latest(String missionId) {
        Map<String, List<Play>> cache = cache();
        if (cache != null && cache.containsKey(missionId)) {
            return cache.get(missionId);
        }
        List<Play> found = List.copyOf(jdbc.query(
                "SELECT * FROM mission_plays WHERE mission_id = :id AND approval_round = "
                        + "(SELECT MAX(approval_round) FROM mission_plays WHERE mission_id = :id) ORDER BY play_rank",
                new MapSqlParameterSource("id", missionId),
                PlayStore::map));
        if (cache != null) {
            cache.put(missionId, found);
        }
        return found;
    }

    public Optional<Play> find(String missionId, String playId) {
        return latest(missionId).stream().filter(p -> p.playId().equals(playId)).findFirst();
    }

    public void recordOutcome(
            String missionId, int round, String playId, String status, String summary, String sha256, Instant at) {
        Map<String, List<Play>> cache = cache();
        List<Play> cached = cache == null ? null : cache.get(missionId);
        if (cached != null) {
            // the transaction's copy gets the same change (the execution summary reads it right after)
            cache.put(
                    missionId,
                    cached.stream()
                            .map(p -> p.round() == round && p.playId().equals(playId)
                                    ? new Play(
                                            p.missionId(),
                                            p.round(),
                                            p.playId(),
                                            p.rank(),
                                            p.name(),
                                            p.description(),
                                            p.impact(),
                                            p.reversibility(),
                                            p.mutating(),
                                            p.riskGrade(),
                                            p.undoPlanJson(),
                                            p.libraryAssetId(),
                                            status,
                                            summary,
                                            sha256,
                                            at)
                                    : p)
                            .toList());
        }
        jdbc.update(
                "UPDATE mission_plays SET status = :status, result_summary = :summary, result_sha256 = :sha, "
                        + "executed_at = :at WHERE mission_id = :mission AND approval_round = :round AND play_id = :play",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("round", round)
                        .addValue("play", playId)
                        .addValue("status", status)
                        .addValue("summary", summary)
                        .addValue("sha", sha256)
                        .addValue("at", MissionStore.odt(at)));
    }

    public void recordUndo(String missionId, int round, String playId, String status, Instant at) {
        forget(missionId);
        jdbc.update(
                "UPDATE mission_plays SET undo_status = :status, undone_at = :at "
                        + "WHERE mission_id = :mission AND approval_round = :round AND play_id = :play",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("round", round)
                        .addValue("play", playId)
                        .addValue("status", status)
                        .addValue("at", MissionStore.odt(at)));
    }

    private static void forget(String missionId) {
        Map<String, List<Play>> cache = cache();
        if (cache != null) {
            cache.remove(missionId);
        }
    }

    /**
     * The latest round's plays read in the current transaction ({@link TransactionCache}), like MissionStore's copy of
     * the mission row: one agent report reads them for the play, the execution summary, the next play's description
     * and the multi-instance collection (about 19 reads per mission otherwise). Every write through this store updates
     * or drops the copy.
     */
    private static Map<String, List<Play>> cache() {
        return TransactionCache.map("latest-plays");
    }

    private static Play map(ResultSet rs, int n) throws SQLException {
        return new Play(
                rs.getString("mission_id"),
                rs.getInt("approval_round"),
                rs.getString("play_id"),
                rs.getInt("play_rank"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("impact"),
                rs.getString("reversibility"),
                rs.getBoolean("mutating"),
                rs.getString("risk_grade"),
                rs.getString("undo_plan_json"),
                rs.getString("library_asset_id"),
                rs.getString("status"),
                rs.getString("result_summary"),
                rs.getString("result_sha256"),
                MissionStore.instant(rs, "executed_at"));
    }
}
