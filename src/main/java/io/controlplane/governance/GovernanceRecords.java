package io.controlplane.governance;

import io.controlplane.governance.BatchRecords.PlayWithoutUndo;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the records of a batch of missions for the check: each kind in one query for the whole batch, so a batch
 * costs a constant number of queries whatever its size. The control plane's tables are read here, the engine's
 * history by {@link HistoryRecords}.
 */
@Component
class GovernanceRecords {
    private final NamedParameterJdbcTemplate jdbc;
    private final HistoryRecords history;

    GovernanceRecords(NamedParameterJdbcTemplate jdbc, HistoryRecords history) {
        this.jdbc = jdbc;
        this.history = history;
    }

    BatchRecords read(List<MissionStore.Mission> batch) {
        BatchRecords r = new BatchRecords();
        if (batch.isEmpty()) {
            return r;
        }
        List<String> ids = batch.stream().map(MissionStore.Mission::id).toList();
        List<String> instances = batch.stream()
                .map(MissionStore.Mission::processInstanceId)
                .filter(Objects::nonNull)
                .toList();
        MapSqlParameterSource p = new MapSqlParameterSource("ids", ids);
        decisions(p, r);
        artifacts(p, r);
        plays(p, r);
        if (!r.escalatedPlays.isEmpty()) {
            escalations(List.copyOf(r.escalatedPlays.keySet()), r);
        }
        redPlays(p, r);
        if (!instances.isEmpty()) {
            history.journeys(ids, instances, r);
        }
        List<String> withLegacyRecords = batch.stream()
                .filter(m -> m.processInstanceId() != null
                        && r.artifacts(m.id()).stream().anyMatch(EvidenceRules::isLegacyRecord))
                .map(MissionStore.Mission::processInstanceId)
                .toList();
        if (!withLegacyRecords.isEmpty()) {
            history.legacyStages(withLegacyRecords, r);
        }
        return r;
    }

    private void decisions(MapSqlParameterSource p, BatchRecords r) {
        jdbc.query("SELECT * FROM mission_approvals WHERE mission_id IN (:ids) ORDER BY decided_at, id", p, rs -> {
            r.decisions
                    .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                    .add(approval(rs));
        });
    }

    private static ApprovalStore.Approval approval(ResultSet rs) throws SQLException {
        return new ApprovalStore.Approval(
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
                rs.getObject("evidence_id", Long.class));
    }

    private void artifacts(MapSqlParameterSource p, BatchRecords r) {
        jdbc.query("SELECT * FROM mission_evidence WHERE mission_id IN (:ids) ORDER BY rendered_at, id", p, rs -> {
            r.artifacts
                    .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                    .add(new EvidenceService.Artifact(
                            rs.getLong("id"),
                            Stage.valueOf(rs.getString("stage")),
                            rs.getString("template"),
                            rs.getString("sha256"),
                            MissionStore.instant(rs, "rendered_at"),
                            rs.getString("content")));
        });
    }

    /** Executed mutating plays without an undo plan, and the plays whose steps escalated a safeguard. */
    private void plays(MapSqlParameterSource p, BatchRecords r) {
        jdbc.query(
                "SELECT mission_id, approval_round, play_id, name FROM mission_plays WHERE mission_id IN (:ids) "
                        + "AND mutating = TRUE AND executed_at IS NOT NULL AND undo_plan_json IS NULL "
                        + "ORDER BY approval_round, play_rank",
                p,
                rs -> {
                    r.playsWithoutUndo
                            .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                            .add(new PlayWithoutUndo(
                                    rs.getString("play_id"), rs.getString("name"), rs.getInt("approval_round")));
                });
        jdbc.query(
                "SELECT DISTINCT mission_id, play_id FROM mission_steps WHERE mission_id IN (:ids) "
                        + "AND safeguard_outcome = 'escalate' ORDER BY mission_id, play_id",
                p,
                rs -> {
                    r.escalatedPlays
                            .computeIfAbsent(rs.getString("mission_id"), k -> new ArrayList<>())
                            .add(rs.getString("play_id"));
                });
    }

    /** The escalation rule's records, for the missions of a batch that escalated a play. */
    private void escalations(List<String> escalated, BatchRecords r) {
        MapSqlParameterSource p = new MapSqlParameterSource("ids", escalated)
                .addValue("checkpoint", Checkpoint.VIOLATION_DECISION.taskKey());
        jdbc.query(
                "SELECT mission_id, play_id, name FROM mission_plays WHERE mission_id IN (:ids) ORDER BY approval_round",
                p,
                rs -> {
                    r.playNames
                            .computeIfAbsent(rs.getString("mission_id"), k -> new HashMap<>())
                            .put(rs.getString("play_id"), rs.getString("name"));
                });
        r.decidedRunbooks.addAll(jdbc.queryForList(
                "SELECT process_instance_id FROM mission_approvals "
                        + "WHERE mission_id IN (:ids) AND checkpoint = :checkpoint",
                p,
                String.class));
        history.violationRunbooks(escalated, r);
    }

    /** The missions whose latest approval round holds a red play (the red-play confirmation opens their execution). */
    private void redPlays(MapSqlParameterSource p, BatchRecords r) {
        jdbc.query(
                "SELECT p.mission_id FROM mission_plays p WHERE p.mission_id IN (:ids) AND p.risk_grade = 'red' "
                        + "AND p.approval_round = (SELECT MAX(m.approval_round) FROM mission_plays m WHERE m.mission_id = p.mission_id)",
                p,
                rs -> {
                    r.withRedPlays.add(rs.getString(1));
                });
    }
}
