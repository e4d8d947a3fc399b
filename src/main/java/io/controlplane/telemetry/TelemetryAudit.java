package io.controlplane.telemetry;

import io.controlplane.backlog.BacklogService;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.mission.TelemetryCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The guide's weekly telemetry audit ({@code audit_telemetry_events --mode check}): for every mission created in the
 * window, the catalog events expected for each stage it passed (its readiness artifact exists) that are missing, and
 * events recorded under a stage other than the catalog's. {@code check} records each gap as a {@code telemetry-gap}
 * finding (once) and raises a backlog item for every open finding (once); {@code report} only reports.
 */
@Service
public class TelemetryAudit {

    /** What the engine emits when a stage completes normally: the audit's expectations. */
    static final Map<Stage, List<TelemetryCatalog>> EXPECTED = new EnumMap<>(Map.of(
            Stage.DEFINE, List.of(TelemetryCatalog.INTENT_SUBMITTED, TelemetryCatalog.MISSION_BRIEF_LOCKED),
            Stage.PREPARE,
                    List.of(
                            TelemetryCatalog.DATA_PREVIEW_GENERATED,
                            TelemetryCatalog.SCOPE_GRANTED,
                            TelemetryCatalog.READINESS_STATUS_CHANGED),
            Stage.PLAN_APPROVE,
                    List.of(
                            TelemetryCatalog.PLAN_RANKED,
                            TelemetryCatalog.APPROVAL_REQUESTED,
                            TelemetryCatalog.APPROVAL_GRANTED,
                            TelemetryCatalog.PLAN_APPROVED),
            Stage.EXECUTE_OBSERVE,
                    List.of(TelemetryCatalog.EXECUTION_STARTED, TelemetryCatalog.EVIDENCE_BUNDLE_GENERATED),
            Stage.REFLECT_IMPROVE,
                    List.of(
                            TelemetryCatalog.FEEDBACK_SUBMITTED,
                            TelemetryCatalog.MISSION_RETROSPECTIVE_LOGGED,
                            TelemetryCatalog.MISSION_COMPLETED)));

    public record Gap(String missionId, String stage, String event, String kind, String detail) {}

    public record Report(String mode, Instant from, Instant to, int missions, List<Gap> gaps) {
        public boolean clean() {
            return gaps.isEmpty();
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    /** Where {@code check} raises a backlog item per open finding; {@code null}: no backlog (tests). */
    private final BacklogService backlog;

    TelemetryAudit(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, null);
    }

    @Autowired
    TelemetryAudit(NamedParameterJdbcTemplate jdbc, BacklogService backlog) {
        this.jdbc = jdbc;
        this.backlog = backlog;
    }

    /** @param missionId one mission, or {@code null} for every mission created in [from, to) */
    @Transactional
    public Report audit(boolean check, Instant from, Instant to, String missionId) {
        MapSqlParameterSource p = new MapSqlParameterSource("from", MissionStore.odt(from))
                .addValue("to", MissionStore.odt(to))
                .addValue("mission", missionId);
        List<String> missions = jdbc.queryForList(
                "SELECT id FROM missions WHERE created_at >= :from AND created_at < :to"
                        + (missionId == null ? "" : " AND id = :mission") + " ORDER BY created_at, id",
                p,
                String.class);
        List<Gap> gaps = new ArrayList<>();
        for (String mission : missions) {
            MapSqlParameterSource m = new MapSqlParameterSource("mission", mission);
            Set<String> passed = new HashSet<>(jdbc.queryForList(
                    "SELECT DISTINCT stage FROM mission_evidence WHERE mission_id = :mission", m, String.class));
            Set<String> seen = new HashSet<>();
            jdbc.query("SELECT name, stage FROM telemetry_events WHERE mission_id = :mission", m, rs -> {
                String name = rs.getString("name");
                String stage = rs.getString("stage");
                seen.add(name);
                TelemetryCatalog.ofName(name).flatMap(TelemetryCatalog::stage).ifPresent(expected -> {
                    if (!expected.name().equals(stage)) {
                        gaps.add(new Gap(
                                mission,
                                stage,
                                name,
                                "STAGE_MISMATCH",
                                name + " recorded under " + stage + ", the catalog says " + expected.name()));
                    }
                });
            });
            for (Stage stage : Stage.values()) {
                if (!passed.contains(stage.name())) {
                    continue;
                }
                for (TelemetryCatalog event : EXPECTED.get(stage)) {
                    if (!seen.contains(event.eventName())) {
                        gaps.add(new Gap(
                                mission,
                                stage.name(),
                                event.eventName(),
                                "MISSING",
                                event.eventName() + " missing for " + stage.displayName()
                                        + ", which the mission passed"));
                    }
                }
            }
        }
        List<Gap> distinct = gaps.stream().distinct().toList();
        if (check) {
            distinct.forEach(this::record);
            if (backlog != null) {
                backlog.importTelemetryGaps(); // every OPEN finding gets its telemetry_gap backlog item, once
            }
        }
        return new Report(check ? "CHECK" : "REPORT", from, to, missions.size(), distinct);
    }

    /** A finding is recorded once; a later audit that finds the same gap leaves it as it is. */
    private void record(Gap gap) {
        MapSqlParameterSource g = new MapSqlParameterSource("mission", gap.missionId())
                .addValue("stage", gap.stage())
                .addValue("event", gap.event())
                .addValue("kind", gap.kind())
                .addValue("detail", gap.detail())
                .addValue("at", MissionStore.odt(Instant.now()));
        Long exists = jdbc.queryForObject(
                "SELECT COUNT(*) FROM telemetry_gaps WHERE mission_id = :mission "
                        + "AND event_name = :event AND kind = :kind",
                g,
                Long.class);
        if (exists == null || exists == 0) {
            jdbc.update(
                    "INSERT INTO telemetry_gaps (mission_id, stage, event_name, kind, detail, status, found_at) "
                            + "VALUES (:mission, :stage, :event, :kind, :detail, 'OPEN', :at)",
                    g);
        }
    }

    public long openFindings(String missionId) {
        Long n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM telemetry_gaps WHERE mission_id = :mission AND status = 'OPEN'",
                new MapSqlParameterSource("mission", missionId),
                Long.class);
        return n == null ? 0 : n;
    }
}
