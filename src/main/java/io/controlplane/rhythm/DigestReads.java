package io.controlplane.rhythm;

import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL the digests read beside {@code KpiService} and {@code Boards}: Camunda's history (stages, runbooks,
 * escalations) and the control plane's incidents, library and backlog, each as of an instant or inside a window, each
 * row a record. Lists are capped at {@link RhythmDigests#LISTED} rows.
 */
@Component
class DigestReads {
    record IncidentCounts(long open, long acknowledged, long reviewsOverdue) {}

    record OpenIncident(String id, String state, String kind, String severity, String missionId) {}

    record OverdueReview(String id, String kind, Instant resolvedAt) {}

    /** A stage's visits in a window: entered, and left forward (not cancelled by a rollback or abort). */
    record Throughput(long entered, long leftForward) {}

    record Blocker(Stage stage, String missionId, String title, Instant since) {}

    record RunbookRuns(String runbook, long started, long ended) {}

    record Escalation(String missionId, Instant started, boolean open) {}

    record LibraryAsset(String id, String name, String sourceMissionId) {}

    record ReusedAsset(String id, String name, int reuseCount) {}

    record BacklogItem(Stage stage, long id, String title, BigDecimal priority, String status) {}

    /*
     * An incident's status at the instant, as GET /api/incidents?status= reads it now (issue #15: the standup counted
     * acknowledged incidents as open): OPEN = opened by then, neither acknowledged nor resolved by then; ACKNOWLEDGED =
     * acknowledged by then, not resolved by then. The store sets each timestamp with its status.
     */
    private static final String OPEN_AT = "opened_at <= :at AND (acknowledged_at IS NULL OR acknowledged_at > :at)"
            + " AND (resolved_at IS NULL OR resolved_at > :at)";
    private static final String ACKNOWLEDGED_AT =
            "acknowledged_at <= :at AND (resolved_at IS NULL OR resolved_at > :at)";
    /** resolved more than review-within before the instant, not reviewed by then */
    private static final String REVIEW_OVERDUE_AT =
            "resolved_at <= :reviewDue AND (reviewed_at IS NULL OR reviewed_at > :at)";

    private final NamedParameterJdbcTemplate jdbc;

    DigestReads(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Missions in each stage at the instant: a stage sub-process entered by then and not left by then, of the journey
     * or of the eight-stage legacy journey still in flight (its stages map onto the five, V8), so that at "now" the
     * figure is what {@code GET /api/missions?status=ACTIVE&stage=} counts (issue #15: the standup left legacy
     * missions out). Every stage is present, in stage order.
     */
    Map<Stage, Long> activeByStage(Instant at) {
        Map<Stage, Long> active = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            active.put(s, 0L);
        }
        jdbc.query(
                """
                SELECT l.stage_code AS stage, COUNT(DISTINCT a.PROC_INST_ID_) AS missions
                FROM ACT_HI_ACTINST a
                JOIN stage_labels l ON (a.PROC_DEF_KEY_ = :journey AND l.sub_process_id = a.ACT_ID_)
                                    OR (a.PROC_DEF_KEY_ = :legacy AND l.legacy_sub_process_id = a.ACT_ID_)
                WHERE a.START_TIME_ <= :at AND (a.END_TIME_ IS NULL OR a.END_TIME_ > :at)
                GROUP BY l.stage_code""",
                new MapSqlParameterSource("journey", MissionJourney.PROCESS_KEY)
                        .addValue("legacy", LegacyJourney.PROCESS_KEY)
                        .addValue("at", Timestamp.from(at)),
                rs -> {
                    long missions = rs.getLong("missions");
                    Stage.fromCode(rs.getString("stage")).ifPresent(s -> active.put(s, missions));
                });
        return active;
    }

    IncidentCounts incidentCounts(Instant at, Duration reviewWithin) {
        MapSqlParameterSource p = incidentParameters(at, reviewWithin);
        return new IncidentCounts(
                count("SELECT COUNT(*) FROM incidents WHERE " + OPEN_AT, p),
                count("SELECT COUNT(*) FROM incidents WHERE " + ACKNOWLEDGED_AT, p),
                count("SELECT COUNT(*) FROM incidents WHERE " + REVIEW_OVERDUE_AT, p));
    }

    /** The incidents open or acknowledged (not resolved) at the instant, oldest first. */
    List<OpenIncident> openIncidents(Instant at) {
        return jdbc.query(
                "SELECT id, kind, severity, mission_id, CASE WHEN " + OPEN_AT
                        + " THEN 'open' ELSE 'acknowledged' END AS state FROM incidents WHERE (" + OPEN_AT + ") OR ("
                        + ACKNOWLEDGED_AT + ") ORDER BY opened_at, id LIMIT :limit",
                incidentParameters(at, Duration.ZERO),
                (rs, n) -> new OpenIncident(
                        rs.getString("id"),
                        rs.getString("state"),
                        rs.getString("kind"),
                        rs.getString("severity"),
                        rs.getString("mission_id")));
    }

    List<OverdueReview> overdueReviews(Instant at, Duration reviewWithin) {
        return jdbc.query(
                "SELECT id, kind, resolved_at FROM incidents WHERE " + REVIEW_OVERDUE_AT
                        + " ORDER BY resolved_at, id LIMIT :limit",
                incidentParameters(at, reviewWithin),
                (rs, n) -> new OverdueReview(
                        rs.getString("id"), rs.getString("kind"), MissionStore.instant(rs, "resolved_at")));
    }

    private static MapSqlParameterSource incidentParameters(Instant at, Duration reviewWithin) {
        return new MapSqlParameterSource("at", MissionStore.odt(at))
                .addValue("reviewDue", MissionStore.odt(at.minus(reviewWithin)))
                .addValue("limit", RhythmDigests.LISTED);
    }

    /** Every stage, in stage order, with its journey visits in [from, to). */
    Map<Stage, Throughput> stageThroughput(Instant from, Instant to) {
        Map<Stage, Throughput> throughput = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            throughput.put(s, new Throughput(0, 0));
        }
        jdbc.query(StageSql.THROUGHPUT, window(from, to), rs -> {
            Throughput t = new Throughput(rs.getLong("entered"), rs.getLong("left_forward"));
            Stage.fromCode(rs.getString("stage")).ifPresent(s -> throughput.put(s, t));
        });
        return throughput;
    }

    /** Per stage, the {@code per} missions in it at {@code to} that entered it first; by stage, then entry. */
    List<Blocker> blockers(Instant from, Instant to, int per) {
        return jdbc.query(
                StageSql.BLOCKERS,
                window(from, to).addValue("per", per),
                (rs, n) -> new Blocker(
                        Stage.fromCode(rs.getString("stage")).orElseThrow(),
                        rs.getString("mission_id"),
                        rs.getString("title"),
                        rs.getTimestamp("since").toInstant()));
    }

    /** Runbook instances started in the window, by runbook. */
    List<RunbookRuns> runbookRuns(Instant from, Instant to) {
        return jdbc.query(
                """
                SELECT PROC_DEF_KEY_ AS runbook, COUNT(*) AS started, COUNT(END_TIME_) AS ended
                FROM ACT_HI_PROCINST
                WHERE PROC_DEF_KEY_ LIKE 'runbook-%' AND START_TIME_ >= :from AND START_TIME_ < :to
                GROUP BY PROC_DEF_KEY_ ORDER BY PROC_DEF_KEY_""",
                window(from, to),
                (rs, n) -> new RunbookRuns(rs.getString("runbook"), rs.getLong("started"), rs.getLong("ended")));
    }

    /** Runbook model versions deployed in the window, as "key vN". */
    List<String> runbookVersions(Instant from, Instant to) {
        return jdbc.query("""
                SELECT d.KEY_ AS runbook, d.VERSION_ AS version
                FROM ACT_RE_PROCDEF d JOIN ACT_RE_DEPLOYMENT r ON r.ID_ = d.DEPLOYMENT_ID_
                WHERE d.KEY_ LIKE 'runbook-%' AND r.DEPLOY_TIME_ >= :from AND r.DEPLOY_TIME_ < :to
                ORDER BY d.KEY_, d.VERSION_""", window(from, to), (rs, n) -> rs.getString("runbook") + " v" + rs.getInt("version"));
    }

    /** Safeguard-violation runbooks started in the window. */
    long escalationCount(Instant from, Instant to) {
        return count(
                "SELECT COUNT(*) FROM ACT_HI_PROCINST WHERE PROC_DEF_KEY_ = :violation "
                        + "AND START_TIME_ >= :from AND START_TIME_ < :to",
                escalationWindow(from, to));
    }

    List<Escalation> escalations(Instant from, Instant to) {
        return jdbc.query(
                """
                SELECT BUSINESS_KEY_ AS mission_id, START_TIME_ AS started, END_TIME_ AS ended FROM ACT_HI_PROCINST
                WHERE PROC_DEF_KEY_ = :violation AND START_TIME_ >= :from AND START_TIME_ < :to
                ORDER BY START_TIME_, ID_ LIMIT :limit""",
                escalationWindow(from, to),
                (rs, n) -> new Escalation(
                        rs.getString("mission_id"),
                        rs.getTimestamp("started").toInstant(),
                        rs.getTimestamp("ended") == null));
    }

    private static MapSqlParameterSource escalationWindow(Instant from, Instant to) {
        return window(from, to)
                .addValue("violation", Runbooks.SAFEGUARD_VIOLATION)
                .addValue("limit", RhythmDigests.LISTED);
    }

    long libraryContributionCount(Instant from, Instant to) {
        return count(
                "SELECT COUNT(*) FROM library_assets WHERE created_at >= :from AND created_at < :to",
                libraryWindow(from, to));
    }

    List<LibraryAsset> libraryContributions(Instant from, Instant to) {
        return jdbc.query(
                """
                SELECT id, name, source_mission_id FROM library_assets
                WHERE created_at >= :from AND created_at < :to ORDER BY created_at, id LIMIT :limit""",
                libraryWindow(from, to),
                (rs, n) ->
                        new LibraryAsset(rs.getString("id"), rs.getString("name"), rs.getString("source_mission_id")));
    }

    /** The assets created before {@code to} that were reused, most reused first. */
    List<ReusedAsset> mostReused(Instant from, Instant to) {
        return jdbc.query(
                """
                SELECT id, name, reuse_count FROM library_assets
                WHERE reuse_count > 0 AND created_at < :to ORDER BY reuse_count DESC, id LIMIT :limit""",
                libraryWindow(from, to),
                (rs, n) -> new ReusedAsset(rs.getString("id"), rs.getString("name"), rs.getInt("reuse_count")));
    }

    private static MapSqlParameterSource libraryWindow(Instant from, Instant to) {
        return new MapSqlParameterSource("from", MissionStore.odt(from))
                .addValue("to", MissionStore.odt(to))
                .addValue("limit", RhythmDigests.LISTED);
    }

    /** Per stage, the {@code per} open backlog items (not done, created by then) of highest priority. */
    List<BacklogItem> backlogTop(Instant at, int per) {
        return jdbc.query(
                """
                WITH ranked AS (
                    SELECT id, title, stage, priority, status, kpi,
                           ROW_NUMBER() OVER (PARTITION BY stage ORDER BY priority DESC, id) AS rn
                    FROM backlog_items WHERE status <> 'DONE' AND created_at <= :at
                )
                SELECT id, title, stage, priority, status, kpi, rn FROM ranked WHERE rn <= :per ORDER BY stage, rn""",
                new MapSqlParameterSource("at", MissionStore.odt(at)).addValue("per", per),
                (rs, n) -> new BacklogItem(
                        Stage.fromCode(rs.getString("stage")).orElse(Stage.EXECUTE_OBSERVE),
                        rs.getLong("id"),
                        rs.getString("title"),
                        rs.getBigDecimal("priority"),
                        rs.getString("status")));
    }

    private static MapSqlParameterSource window(Instant from, Instant to) {
        return new MapSqlParameterSource("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to))
                .addValue("journey", MissionJourney.PROCESS_KEY);
    }

    private long count(String sql, MapSqlParameterSource p) {
        Long n = jdbc.queryForObject(sql, p, Long.class);
        return n == null ? 0 : n;
    }

    /** The stage SQL over the journey's activity history. */
    private static final class StageSql {
        static final String THROUGHPUT = """
                SELECT l.stage_code AS stage,
                       COUNT(CASE WHEN a.START_TIME_ >= :from AND a.START_TIME_ < :to THEN 1 END) AS entered,
                       COUNT(CASE WHEN a.END_TIME_ >= :from AND a.END_TIME_ < :to AND COALESCE(a.ACT_INST_STATE_, 0) <> 2
                                  THEN 1 END) AS left_forward
                FROM ACT_HI_ACTINST a
                JOIN (SELECT DISTINCT stage_code, sub_process_id FROM stage_labels) l ON l.sub_process_id = a.ACT_ID_
                WHERE a.PROC_DEF_KEY_ = :journey AND a.START_TIME_ < :to AND (a.END_TIME_ IS NULL OR a.END_TIME_ >= :from)
                GROUP BY l.stage_code""";

        /** Per stage, the missions in it at the end of the window that entered it first. */
        static final String BLOCKERS = """
                WITH waiting AS (
                    SELECT l.stage_code AS stage, p.BUSINESS_KEY_ AS mission_id, a.START_TIME_ AS since,
                           ROW_NUMBER() OVER (PARTITION BY l.stage_code ORDER BY a.START_TIME_, p.BUSINESS_KEY_) AS rn
                    FROM ACT_HI_ACTINST a
                    JOIN (SELECT DISTINCT stage_code, sub_process_id FROM stage_labels) l ON l.sub_process_id = a.ACT_ID_
                    JOIN ACT_HI_PROCINST p ON p.ID_ = a.PROC_INST_ID_
                    WHERE a.PROC_DEF_KEY_ = :journey AND a.START_TIME_ <= :to AND (a.END_TIME_ IS NULL OR a.END_TIME_ > :to)
                )
                SELECT w.stage, w.mission_id, COALESCE(m.title, w.mission_id) AS title, w.since
                FROM waiting w LEFT JOIN missions m ON m.id = w.mission_id
                WHERE w.rn <= :per
                ORDER BY w.stage, w.rn""";

        private StageSql() {}
    }
}
