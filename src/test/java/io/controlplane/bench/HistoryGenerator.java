package io.controlplane.bench;

import io.controlplane.mission.MissionJourney;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The generated history: the rows of a few real journeys of each kind (the templates), copied with
 * {@code INSERT ... SELECT} once per generated mission, each copy with times of its own.
 *
 * <p>Copy {@code g} (1 = the newest) belongs to week {@code (g - 1) / missionsPerWeek} before the anchor, so a week's
 * content is the same whatever the size: growing the history adds older weeks and leaves the recent ones as they
 * were. Every random figure of a copy is a hash of its number and the seed ({@code md5}), not a generator's state, so
 * the same copy gets the same figures in any run and any growth step.
 *
 * <p>Times: a template's timeline is cut at its stages' first starts; each of the five segments is stretched by a
 * factor of its own per copy, log-normal around {@code stretch} ({@code exp(sigma · N(0, 1))}), so durations and dwell
 * differ per copy and per stage while the order of events stays the template's. The copy is placed so it ends (or, when
 * still active, was last touched) at a uniformly random moment of its week. Active copies are only generated in the
 * newest week: the number of open missions stays the same while the history grows. Timestamps are truncated to the
 * millisecond (what the engine's Java API returns), so both sides of the comparison see the same values.
 */
final class HistoryGenerator {

    /** Engine history tables the generated history fills: the ones the KPIs, the rollup and the naive side read. */
    static final List<String> HISTORY_TABLES =
            List.of("act_hi_procinst", "act_hi_actinst", "act_hi_taskinst", "act_hi_varinst", "act_hi_incident");
    /** The control plane's tables, parents first. Evidence (large rendered documents) is not copied. */
    static final List<String> PROJECT_TABLES = List.of(
            "missions",
            "mission_approvals",
            "mission_plays",
            "mission_steps",
            "mission_feedback",
            "incidents",
            "telemetry_events",
            "notification_log",
            "library_assets");
    /** Engine columns ending in ID_ that name a definition or a shared blob, not an instance: copied unchanged. */
    static final Set<String> SHARED_ID_COLUMNS = Set.of(
            "proc_def_id_",
            "act_id_",
            "deployment_id_",
            "tenant_id_",
            "user_id_",
            "group_id_",
            "case_def_id_",
            "dec_def_id_",
            "dec_req_id_",
            "job_def_id_",
            "failed_act_id_",
            "failed_activity_id_",
            "activity_id_",
            "bytearray_id_",
            "error_details_id_",
            "exception_stack_id_",
            "job_exception_stack_id_",
            "worker_id_",
            "start_act_id_",
            "end_act_id_",
            "batch_id_",
            "root_dec_inst_id_");
    /** Control plane columns holding an instance id of the copied mission. */
    static final Set<String> PROJECT_ID_COLUMNS = Set.of(
            "id",
            "mission_id",
            "process_instance_id",
            "activity_instance_id",
            "runbook_instance_id",
            "incident_id",
            "source_mission_id");

    static final Set<String> TIMED_ENGINE_TABLES = Set.of("act_hi_procinst", "act_hi_actinst", "act_hi_taskinst");
    static final long IDENTITY_STRIDE = 10_000_000L;
    static final int CHUNK = 10_000;

    /** One template: a real journey's mission id, its share in percent of the copies, and whether it is active. */
    record Template(String name, String missionId, int share, boolean active) {}

    private final int missionsPerWeek;
    private final double stretch;
    private final double sigma;
    private final long seed;
    private final Instant anchor;
    private final Consumer<String> log;
    private int generated;

    HistoryGenerator(
            int missionsPerWeek, double stretch, double sigma, long seed, Instant anchor, Consumer<String> log) {
        this.missionsPerWeek = missionsPerWeek;
        this.stretch = stretch;
        this.sigma = sigma;
        this.seed = seed;
        this.anchor = anchor;
        this.log = log;
    }

    int generated() {
        return generated;
    }

    /** Weeks of history at {@code missions} generated missions. */
    double weeks(int missions) {
        return missions / (double) missionsPerWeek;
    }

    /** Grows the history to {@code total} generated missions (adds copies generated()+1 .. total), then VACUUM ANALYZE. */
    void growTo(Connection c, List<Template> templates, int total) throws SQLException {
        if (total <= generated) {
            return;
        }
        if (total > 999_999) {
            throw new IllegalArgumentException("at most 999,999 generated missions (the copy suffix has six digits)");
        }
        int first = generated + 1;
        log.accept(String.format(
                "generating missions %,d to %,d (%.0f weeks before %s)", first, total, weeks(total), anchor));
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("SET synchronous_commit = off");
            // a bulk load: foreign keys of the copies hold by construction (the benchmark connects as a superuser)
            try {
                s.execute("SET session_replication_role = replica");
            } catch (SQLException notSuperuser) {
                log.accept("not a superuser: foreign keys are checked row by row (slower)");
            }
            s.execute("SET maintenance_work_mem = '256MB'");
            s.execute("DROP TABLE IF EXISTS bench_templates");
            s.execute("DROP TABLE IF EXISTS bench_copies");
            templatesTable(s, templates);
            copiesTable(s, first, total);
            for (String table : HISTORY_TABLES) {
                String where = "s.root_proc_inst_id_ = c.root"
                        + ("act_hi_varinst".equals(table)
                                ? " AND s.name_ IN ("
                                        + NaiveDashboards.VARIABLES_READ.stream()
                                                .map(n -> "'" + n + "'")
                                                .collect(Collectors.joining(", "))
                                        + ")"
                                : "");
                load(c, s, table, copyStatement(c, table, where, true), first, total);
            }
            for (String table : PROJECT_TABLES) {
                String where = "missions".equals(table)
                        ? "s.id = c.mission"
                        : "library_assets".equals(table)
                                ? "s.source_mission_id = c.mission"
                                : "s.mission_id = c.mission";
                load(c, s, table, copyStatement(c, table, where, false), first, total);
                if (hasColumn(c, table, "id", "bigint")) {
                    s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT MAX(id) FROM "
                            + table + "))");
                }
            }
            s.execute("SET session_replication_role = origin");
            long v0 = System.nanoTime();
            s.execute("VACUUM ANALYZE");
            log.accept(String.format("  VACUUM ANALYZE in %.0f s", (System.nanoTime() - v0) / 1e9));
        }
        generated = total;
    }

    private void load(Connection c, Statement s, String table, String insert, int first, int total)
            throws SQLException {
        long t0 = System.nanoTime();
        // building an index once after a bulk load is much faster than maintaining it row by row; a growth step into a
        // large table keeps its indexes (a rebuild would cost the whole table)
        List<String> indexes = total - first + 1 >= generated ? dropIndexes(c, table) : List.of();
        for (int from = first; from <= total; from += CHUNK) {
            String sql = insert + " AND c.copy_no BETWEEN " + from + " AND " + Math.min(total, from + CHUNK - 1);
            try {
                s.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("copying into " + table + " failed: " + e.getMessage() + "\n" + sql, e);
            }
        }
        for (String index : indexes) {
            s.execute(index);
        }
        log.accept(String.format("  %s: %.0f s", table, (System.nanoTime() - t0) / 1e9));
    }

    /**
     * {@code bench_templates}: per template its root process instance, start, the stage boundaries (seconds after the
     * start at which Prepare, Plan &amp; Approve, Execute &amp; Observe, Reflect &amp; Improve first started; 1e9 when
     * never), its span (end, or last event when active) and its share as a range [lo, hi) of 0..100.
     */
    private void templatesTable(Statement s, List<Template> templates) throws SQLException {
        s.execute(
                "CREATE TEMP TABLE bench_templates (name VARCHAR(40), mission VARCHAR(64), root VARCHAR(64), t0 TIMESTAMP, "
                        + "s1 DOUBLE PRECISION, s2 DOUBLE PRECISION, s3 DOUBLE PRECISION, s4 DOUBLE PRECISION, "
                        + "span DOUBLE PRECISION, lo DOUBLE PRECISION, hi DOUBLE PRECISION, active BOOLEAN)");
        int lo = 0;
        // finished templates first, the active ones at the top of 0..100 (older weeks draw from 0..finishedShare only)
        List<Template> ordered =
                new ArrayList<>(templates.stream().filter(t -> !t.active()).toList());
        ordered.addAll(templates.stream().filter(Template::active).toList());
        for (Template t : ordered) {
            int hi = lo + t.share();
            String stage =
                    "COALESCE((SELECT EXTRACT(EPOCH FROM MIN(a.start_time_) - p.start_time_) FROM act_hi_actinst a "
                            + "WHERE a.proc_inst_id_ = p.id_ AND a.act_id_ = '%s'), 1e9)";
            s.execute(String.format(
                    Locale.ROOT,
                    """
                    INSERT INTO bench_templates
                    SELECT '%s', m.id, p.id_, p.start_time_, %s, %s, %s, %s,
                           EXTRACT(EPOCH FROM COALESCE(p.end_time_, (SELECT MAX(COALESCE(a.end_time_, a.start_time_))
                                   FROM act_hi_actinst a WHERE a.root_proc_inst_id_ = p.id_)) - p.start_time_),
                           %d, %d, %s
                    FROM missions m JOIN act_hi_procinst p ON p.id_ = m.process_instance_id WHERE m.id = '%s'""",
                    t.name(),
                    String.format(stage, MissionJourney.Elements.SUB_PREPARE),
                    String.format(stage, MissionJourney.Elements.SUB_PLAN_APPROVE),
                    String.format(stage, MissionJourney.Elements.SUB_EXECUTE_OBSERVE),
                    String.format(stage, MissionJourney.Elements.SUB_REFLECT_IMPROVE),
                    lo,
                    hi,
                    t.active(),
                    t.missionId()));
            lo = hi;
        }
        if (lo != 100) {
            throw new IllegalStateException("template shares add up to " + lo + " %, not 100 %");
        }
    }

    /** A uniform number in [0, 1) from the copy number and a salt: the same for the same copy in every run. */
    private String uniform(String salt) {
        return "(CAST(CAST('x' || SUBSTRING(MD5(CAST(g AS VARCHAR) || ':" + salt + ":" + seed
                + "') FROM 1 FOR 8) AS BIT(32)) " + "AS BIGINT) + 0.5) / 4294967296.0";
    }

    /** The stretch factor of one segment: log-normal around {@code stretch} (Box–Muller from two uniforms). */
    private String factor(int k) {
        return String.format(
                Locale.ROOT,
                "%f * EXP(%f * SQRT(-2 * LN(%s)) * COS(2 * PI() * %s))",
                stretch,
                sigma,
                uniform("f" + k + "a"),
                uniform("f" + k + "b"));
    }

    /**
     * The template time {@code x} (seconds after its start) mapped to seconds after the copy's start: stretched
     * segment by segment within the template's span; before the start and after the span (a removal time, a review
     * due days later) the offset from the span's edge is kept as it is.
     */
    static String mapped(String x) {
        String in = "LEAST(GREATEST(" + x + ", 0), c.span)";
        return "(c.f1 * LEAST(" + in + ", c.s1) + c.f2 * GREATEST(0, LEAST(" + in + ", c.s2) - c.s1)"
                + " + c.f3 * GREATEST(0, LEAST(" + in + ", c.s3) - c.s2) + c.f4 * GREATEST(0, LEAST(" + in
                + ", c.s4) - c.s3)"
                + " + c.f5 * GREATEST(0, " + in + " - c.s4) + (" + x + ") - " + in + ")";
    }

    private void copiesTable(Statement s, int first, int total) throws SQLException {
        String finishedShare = "(SELECT COALESCE(MAX(hi), 0) FROM bench_templates WHERE NOT active)";
        s.execute(String.format(
                Locale.ROOT,
                """
                CREATE TEMP TABLE bench_draws AS
                SELECT g, (g - 1) / %d AS week, %s AS slot, %s * 100 AS pick,
                       %s AS f1, %s AS f2, %s AS f3, %s AS f4, %s AS f5
                FROM generate_series(%d, %d) g""",
                missionsPerWeek,
                uniform("slot"),
                uniform("pick"),
                factor(1),
                factor(2),
                factor(3),
                factor(4),
                factor(5),
                first,
                total));
        // the newest week draws from every template; older weeks only from the finished ones (scaled into their range);
        // a copy ends (or, active, was last touched) at its slot: its start is the slot minus its mapped span
        String span = mapped("t.span").replace("c.s", "t.s").replace("c.f", "d.f");
        s.execute(String.format(Locale.ROOT, """
                CREATE TEMP TABLE bench_copies AS
                SELECT d.g AS copy_no, '-g' || LPAD(CAST(d.g AS VARCHAR), 6, '0') AS suffix, t.name, t.mission, t.root, t.t0,
                       t.span, t.s1, t.s2, t.s3, t.s4, d.f1, d.f2, d.f3, d.f4, d.f5,
                       CAST(TIMESTAMP '%s' - (d.week + d.slot) * INTERVAL '7 days' - %s * INTERVAL '1 second'
                            AS TIMESTAMP) AS base
                FROM bench_draws d
                JOIN bench_templates t
                  ON (CASE WHEN d.week = 0 THEN d.pick ELSE d.pick * %s / 100 END) >= t.lo
                 AND (CASE WHEN d.week = 0 THEN d.pick ELSE d.pick * %s / 100 END) < t.hi""", Timestamp.from(anchor), span, finishedShare, finishedShare));
        s.execute("CREATE INDEX ON bench_copies (copy_no)");
        s.execute("ANALYZE bench_copies");
        s.execute("DROP TABLE bench_draws");
    }

    /**
     * Drops the table's secondary indexes (not primary keys or unique constraints) and returns their definitions.
     */
    private static List<String> dropIndexes(Connection c, String table) throws SQLException {
        List<String> definitions = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = '%s'
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""".formatted(table))) {
            while (rs.next()) {
                definitions.add(rs.getString(2));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String d : definitions) {
                s.execute("DROP INDEX " + d.replaceAll("^CREATE (UNIQUE )?INDEX (\\S+) ON .*$", "$2"));
            }
        }
        return definitions;
    }

    /**
     * {@code INSERT INTO table SELECT ...} of every row of the template that matches {@code where}, once per copy in
     * {@code bench_copies}: instance ids get the copy's suffix, timestamps are mapped to the copy's timeline,
     * durations recomputed from the mapped start and end, numeric ids shifted by a stride per copy; evidence links
     * are dropped with the evidence.
     */
    private static String copyStatement(Connection c, String table, String where, boolean engineTable)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) {
                String col = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                String type = rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT);
                int size = rs.getInt("COLUMN_SIZE");
                String src = "s." + col;
                // the 8-character copy suffix is appended, or replaces the id's last 8 characters where the column is
                // too narrow (engine ids end in the node part of a time-based UUID, the same for every id of a run)
                String suffixed = "CASE WHEN LENGTH(" + src + ") + 8 <= " + size + " THEN " + src + " || c.suffix ELSE "
                        + "SUBSTRING(" + src + " FROM 1 FOR LENGTH(" + src + ") - 8) || c.suffix END";
                columns.add(col);
                if (type.startsWith("timestamp")) {
                    values.add(time(src));
                } else if (engineTable && col.equals("duration_") && TIMED_ENGINE_TABLES.contains(table)) {
                    values.add("CAST(EXTRACT(EPOCH FROM " + time("s.end_time_") + " - " + time("s.start_time_")
                            + ") * 1000 AS BIGINT)");
                } else if (engineTable
                        && (col.equals("id_") || col.endsWith("_id_") || col.equals("business_key_"))
                        && !SHARED_ID_COLUMNS.contains(col)) {
                    values.add(suffixed);
                } else if (!engineTable && col.equals("evidence_id")) {
                    values.add("NULL");
                } else if (!engineTable && PROJECT_ID_COLUMNS.contains(col) && type.contains("int")) {
                    values.add(src + " + CAST(c.copy_no AS BIGINT) * " + IDENTITY_STRIDE);
                } else if (!engineTable && PROJECT_ID_COLUMNS.contains(col)) {
                    values.add(suffixed);
                } else {
                    values.add(src);
                }
            }
        }
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + String.join(", ", values)
                + " FROM " + table + " s JOIN bench_copies c ON " + where + " WHERE TRUE";
    }

    /** A template timestamp on the copy's timeline, to the millisecond. */
    private static String time(String src) {
        return "DATE_TRUNC('milliseconds', c.base + "
                + mapped("EXTRACT(EPOCH FROM CAST(" + src + " AS TIMESTAMP) - c.t0)") + " * INTERVAL '1 second')";
    }

    private static boolean hasColumn(Connection c, String table, String column, String type) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(null, null, table, column)) {
            return rs.next()
                    && rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT).contains(type.substring(0, 3));
        }
    }

    /** Every template's share, as printed in the report. */
    static String shares(List<Template> templates) {
        return templates.stream()
                .map(t -> t.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + t.share() + " %")
                .collect(Collectors.joining(", "));
    }
}
