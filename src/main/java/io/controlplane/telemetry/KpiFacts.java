package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Elements;

import io.controlplane.mission.MissionJourney;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The KPIs' read model (issue #13, docs/performance.md): every fact a KPI counts — a journey completed, an approval
 * round signed, Execute &amp; Observe or Plan &amp; Approve entered, an undo run — as one row of {@code kpi_facts},
 * with the time that puts it into a window. The facts come from the engine's history by one definition
 * ({@link #factsOf}), used two ways:
 * <ul>
 * <li>for journeys that have <b>ended</b>, this job materializes them once (nothing in their history changes after
 * the end), in chunks, in the order the journeys ended;</li>
 * <li>for journeys still running, or ended but not yet materialized, {@link KpiService} computes them per call from
 * history, through the journeys' keys — a set bounded by the open missions and the last run's lag, not by the
 * history.</li>
 * </ul>
 * A journey is in exactly one of the two sets in any one statement: its facts and its {@code kpi_fact_journeys} row
 * commit together, and the live set is "no such row". Journeys whose end committed more than
 * {@code late-commits} after their end time fall out of both until {@link #rebuild()}: the margin covers clock
 * skew between nodes and long transactions. Two nodes may run the job at once: each chunk locks the progress row.
 */
@Component
public class KpiFacts {
    private static final Logger log = LoggerFactory.getLogger(KpiFacts.class);

    static final String COMPLETED = "COMPLETED";
    static final String ROUND = "ROUND";
    static final String REACHED = "REACHED";
    static final String PLANNED = "PLANNED";
    static final String UNDO = "UNDO";
    static final String UNDO_FAILED = "UNDO_FAILED";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final KpiProperties.Facts properties;
    private final ReportingPlans reportingPlans;

    KpiFacts(
            NamedParameterJdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            KpiProperties properties,
            ReportingPlans reportingPlans) {
        this.jdbc = jdbc;
        this.reportingPlans = reportingPlans;
        this.transaction = new TransactionTemplate(transactions);
        this.properties = properties.facts();
    }

    @Scheduled(fixedDelayString = "${controlplane.kpis.facts.refresh-ms}", initialDelay = 10_000)
    void refresh() {
        if (properties.enabled()) {
            int journeys = catchUp();
            if (journeys > 0) {
                log.debug("Materialized the KPI facts of {} ended journeys", journeys);
            }
        }
    }

    /**
     * Materializes the facts of every ended journey not materialized yet, chunk by chunk (one transaction each);
     * returns how many journeys it added.
     */
    public int catchUp() {
        int total = 0;
        while (true) {
            Integer added = transaction.execute(status -> materializeChunk());
            if (added == null || added == 0) {
                refreshStatistics(total);
                return total;
            }
            total += added;
        }
    }

    /** journeys added by one catch-up from which PostgreSQL's statistics of the fact tables are taken again at once */
    static final int ANALYZE_AFTER = 1_000;

    /**
     * A large catch-up (an upgrade's first run, a rescan, a rebuild) changes the fact tables faster than autovacuum
     * re-analyzes them, and a plan made on statistics from before it can read the whole table instead of a window's
     * range (docs/performance.md, "Why the misses"): so the job takes them again itself. The minute's regular run adds
     * far fewer and leaves them to autovacuum.
     */
    private void refreshStatistics(int added) {
        if (added >= ANALYZE_AFTER && reportingPlans.postgres()) {
            jdbc.getJdbcTemplate().execute("ANALYZE kpi_facts, kpi_fact_journeys");
        }
    }

    /** Forgets every materialized fact and materializes the whole history again (after a change of a definition). */
    public int rebuild() {
        transaction.executeWithoutResult(status -> {
            lockProgress();
            jdbc.getJdbcTemplate().update("DELETE FROM kpi_facts");
            jdbc.getJdbcTemplate().update("DELETE FROM kpi_fact_journeys");
            resetProgress();
        });
        return catchUp();
    }

    /**
     * Materializes every ended journey that is not materialized yet, wherever its end lies: after history was added
     * behind the progress (a restore, an import of older history), which the regular run, looking forward from its
     * progress, does not see. One pass over the ended journeys' end-time index; the facts already there stay.
     */
    public int rescan() {
        transaction.executeWithoutResult(status -> {
            lockProgress();
            resetProgress();
        });
        return catchUp();
    }

    private void resetProgress() {
        jdbc.update(
                "UPDATE kpi_fact_progress SET materialized_to = :epoch WHERE id = 1",
                new MapSqlParameterSource("epoch", Timestamp.from(Instant.EPOCH)));
    }

    /** Where the live set starts: journeys that ended from here on may not be materialized yet. */
    Timestamp liveFrom() {
        Timestamp progress = jdbc.getJdbcTemplate()
                .queryForObject("SELECT materialized_to FROM kpi_fact_progress WHERE id = 1", Timestamp.class);
        Instant from = progress.toInstant().minus(properties.lateCommits());
        return Timestamp.from(from.isBefore(Instant.EPOCH) ? Instant.EPOCH : from);
    }

    private Timestamp lockProgress() {
        return jdbc.getJdbcTemplate()
                .queryForObject(
                        "SELECT materialized_to FROM kpi_fact_progress WHERE id = 1 FOR UPDATE", Timestamp.class);
    }

    private int materializeChunk() {
        lockProgress();
        MapSqlParameterSource p = parameters().addValue("liveFrom", liveFrom()).addValue("chunk", properties.chunk());
        List<Ended> ended = jdbc.query("""
                SELECT p.ID_ AS id, p.END_TIME_ AS ended_at FROM ACT_HI_PROCINST p
                WHERE p.END_TIME_ >= :liveFrom AND p.PROC_DEF_KEY_ = :journey
                  AND (SELECT COUNT(*) FROM kpi_fact_journeys m WHERE m.proc_inst_id = p.ID_) = 0
                ORDER BY p.END_TIME_
                FETCH FIRST :chunk ROWS ONLY""", p, (rs, i) -> new Ended(rs.getString("id"), rs.getTimestamp("ended_at")));
        if (ended.isEmpty()) {
            return 0;
        }
        List<String> ids = ended.stream().map(Ended::id).toList();
        p.addValue("ids", ids);
        // read, then written in one batch: H2 takes no WITH before an INSERT
        List<Object[]> rows =
                jdbc.query("WITH " + journeys("p.ID_ IN (:ids)") + " " + factsOf(), p, (rs, i) -> new Object[] {
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3).trim(),
                    rs.getTimestamp(4),
                    rs.getInt(5),
                    rs.getObject(6, Double.class)
                });
        jdbc.getJdbcTemplate()
                .batchUpdate(
                        "INSERT INTO kpi_facts (proc_inst_id, mission_id, kind, occurred_at, flagged, seconds)"
                                + " VALUES (?, ?, ?, ?, ?, ?)",
                        rows);
        jdbc.update("""
                INSERT INTO kpi_fact_journeys (proc_inst_id, ended_at)
                SELECT p.ID_, p.END_TIME_ FROM ACT_HI_PROCINST p WHERE p.ID_ IN (:ids)""", p);
        jdbc.update(
                "UPDATE kpi_fact_progress SET materialized_to = :to WHERE id = 1 AND materialized_to < :to",
                new MapSqlParameterSource("to", ended.get(ended.size() - 1).endedAt()));
        return ended.size();
    }

    private record Ended(String id, Timestamp endedAt) {}

    /** The names the fact queries bind, beside the caller's own. */
    static MapSqlParameterSource parameters() {
        return new MapSqlParameterSource()
                .addValue("journey", MissionJourney.PROCESS_KEY)
                .addValue("completedEnd", Elements.END)
                .addValue("governance", Elements.PACKET_REVIEW_GOVERNANCE)
                .addValue("operations", Elements.PACKET_REVIEW_OPERATIONS)
                .addValue("execute", Elements.SUB_EXECUTE_OBSERVE)
                .addValue("undo", Elements.UNDO_PLAY)
                .addValue("undoFailed", KpiService.UNDO_FAILED_BOUNDARY)
                .addValue("plan", Elements.SUB_PLAN_APPROVE);
    }

    /** A CTE {@code j} of mission journeys (process instance, mission id, end, end event) chosen by {@code where}. */
    static String journeys(String where) {
        return """
                j AS (
                    SELECT p.ID_ AS proc_inst_id, p.BUSINESS_KEY_ AS mission_id, p.END_TIME_ AS ended_at,
                           p.END_ACT_ID_ AS end_act
                    FROM ACT_HI_PROCINST p WHERE %s AND p.PROC_DEF_KEY_ = :journey
                )""".formatted(where);
    }

    /**
     * The live set: running journeys, and those ended since {@code :liveFrom} whose facts are not materialized (two
     * index ranges of ACT_HI_PROCINST's end time, one probe of kpi_fact_journeys' key each).
     */
    static String liveJourneys() {
        return """
                j AS (
                    SELECT p.ID_ AS proc_inst_id, p.BUSINESS_KEY_ AS mission_id, p.END_TIME_ AS ended_at,
                           p.END_ACT_ID_ AS end_act
                    FROM ACT_HI_PROCINST p WHERE p.END_TIME_ IS NULL AND p.PROC_DEF_KEY_ = :journey
                    UNION ALL
                    SELECT p.ID_, p.BUSINESS_KEY_, p.END_TIME_, p.END_ACT_ID_
                    FROM ACT_HI_PROCINST p WHERE p.END_TIME_ >= :liveFrom AND p.PROC_DEF_KEY_ = :journey
                      AND (SELECT COUNT(*) FROM kpi_fact_journeys m WHERE m.proc_inst_id = p.ID_) = 0
                )""";
    }

    /**
     * The facts of the journeys of CTE {@code j}, as docs/domain.md defines the KPIs (columns proc_inst_id,
     * mission_id, kind, occurred_at, flagged, seconds). Every row is found from the journey's key: its review tasks
     * by ACT_IDX_HI_TASKINST_PROCINST, its stage and undo activities by ACT_IDX_HI_ACT_INST_PROCINST, its feedback,
     * steps and plays by mission id.
     * <ul>
     * <li>COMPLETED at the end of a journey that ended at "Mission completed"; flagged: its feedback rows.</li>
     * <li>ROUND: the n-th governance and the n-th operations packet review task form round n; it lasts from its tasks'
     * creation to the later co-signature and counts at that co-signature, when both were completed.</li>
     * <li>REACHED when Execute &amp; Observe started (each time); flagged when a step of the mission escalated.</li>
     * <li>UNDO / UNDO_FAILED when the undo task ended / its error boundary fired.</li>
     * <li>PLANNED when Plan &amp; Approve started (each time); flagged when the mission reused a library asset.</li>
     * </ul>
     */
    static String factsOf() {
        return """
                SELECT j.proc_inst_id, j.mission_id, CAST('COMPLETED' AS VARCHAR(16)) AS kind, j.ended_at AS occurred_at,
                       CAST((SELECT COUNT(*) FROM mission_feedback f WHERE f.mission_id = j.mission_id) AS INTEGER)
                           AS flagged,
                       CAST(NULL AS DOUBLE PRECISION) AS seconds
                FROM j WHERE j.end_act = :completedEnd AND j.ended_at IS NOT NULL
                UNION ALL
                SELECT r.proc_inst_id, r.mission_id, 'ROUND', r.last_signed, 0,
                       CAST(EXTRACT(EPOCH FROM r.last_signed) - EXTRACT(EPOCH FROM r.opened) AS DOUBLE PRECISION)
                FROM (
                    SELECT proc_inst_id, mission_id, MIN(created) AS opened, MAX(ended) AS last_signed,
                           COUNT(DISTINCT task_key) AS task_keys,
                           COUNT(CASE WHEN ended IS NOT NULL AND delete_reason = 'completed' THEN 1 END) AS signatures
                    FROM (
                        SELECT j.proc_inst_id, j.mission_id, t.TASK_DEF_KEY_ AS task_key, t.START_TIME_ AS created,
                               t.END_TIME_ AS ended, t.DELETE_REASON_ AS delete_reason,
                               ROW_NUMBER() OVER (PARTITION BY t.PROC_INST_ID_, t.TASK_DEF_KEY_ ORDER BY t.START_TIME_)
                                   AS round_no
                        FROM j JOIN ACT_HI_TASKINST t ON t.PROC_INST_ID_ = j.proc_inst_id
                        WHERE t.TASK_DEF_KEY_ IN (:governance, :operations)
                    ) reviews
                    GROUP BY proc_inst_id, mission_id, round_no
                ) r
                WHERE r.task_keys = 2 AND r.signatures = 2
                UNION ALL
                SELECT j.proc_inst_id, j.mission_id, 'REACHED', a.START_TIME_,
                       CASE WHEN (SELECT COUNT(*) FROM mission_steps s WHERE s.mission_id = j.mission_id
                                  AND s.safeguard_outcome = 'escalate') > 0 THEN 1 ELSE 0 END,
                       NULL
                FROM j JOIN ACT_HI_ACTINST a ON a.PROC_INST_ID_ = j.proc_inst_id AND a.ACT_ID_ = :execute
                UNION ALL
                SELECT j.proc_inst_id, j.mission_id, CASE WHEN a.ACT_ID_ = :undo THEN 'UNDO' ELSE 'UNDO_FAILED' END,
                       a.END_TIME_, 0, NULL
                FROM j JOIN ACT_HI_ACTINST a ON a.PROC_INST_ID_ = j.proc_inst_id AND a.ACT_ID_ IN (:undo, :undoFailed)
                WHERE a.END_TIME_ IS NOT NULL
                UNION ALL
                SELECT j.proc_inst_id, j.mission_id, 'PLANNED', a.START_TIME_,
                       CASE WHEN %s THEN 1 ELSE 0 END, NULL
                FROM j JOIN ACT_HI_ACTINST a ON a.PROC_INST_ID_ = j.proc_inst_id AND a.ACT_ID_ = :plan""".formatted(KpiService.reusedLibraryAsset("j.mission_id"));
    }
}
