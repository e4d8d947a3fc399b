package io.controlplane.telemetry;

import io.controlplane.execution.AgentTaskReported;
import io.controlplane.mission.AgentRunRecorded;
import io.controlplane.mission.Stage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The control plane's own metrics at {@code /actuator/prometheus}: active missions by stage, open incidents by kind,
 * the KPIs, notifications per channel (read from the tables, cached briefly so scrapes stay cheap), and how long agents
 * take per topic (a histogram the agent-report listeners record).
 *
 * <p>The figures read from the shared database are cluster-wide: every replica reports the same value, so a query
 * aggregates them with {@code max}, never {@code sum} (which would double them at two replicas). Each replica exports
 * them rather than one elected replica: no leader to lose, no series that vanishes while a pod restarts, at the cost
 * of one cached query per replica (docs/operations.md#metrics). Their help text says "cluster-wide" so that a reader
 * of the scrape (and PrometheusConventionsTest) can tell. Agent task latency is per replica (the one that received
 * the report), so its buckets are summed.
 */
@Component
public class ControlPlaneMetrics implements MeterBinder {
    private static final Duration CACHE = Duration.ofSeconds(15);
    private static final List<String> INCIDENT_KINDS =
            List.of("safeguard_violation", "undo_failure", "oauth_drift", "kpi_miss");
    private static final List<String> CHANNELS = List.of("slack", "pagerduty", "email");
    private static final List<String> OUTCOMES = List.of("SENT", "LOGGED");

    private static final List<String> KPIS = List.of(
            "mission-throughput",
            "approval-latency",
            "validator-escalation-rate",
            "undo-execution-success",
            "feedback-participation",
            "library-reuse");
    /** the KPIs are recomputed at most this often for scrapes */
    private static final Duration KPI_CACHE = Duration.ofMinutes(1);

    private static final String CLUSTER_WIDE =
            " (cluster-wide: every replica reports the same value, aggregate with max)";
    /**
     * Agent task latency: histogram buckets between these bounds for histogram_quantile, plus buckets at the
     * objectives a team would set for an agent step (a simulated agent answers within seconds, a real one working
     * a play may take an hour; slower than the maximum only counts in +Inf). About 75 buckets per topic.
     */
    private static final Duration AGENT_TASK_MIN = Duration.ofMillis(250);

    private static final Duration AGENT_TASK_MAX = Duration.ofHours(2);
    private static final Duration[] AGENT_TASK_SLOS = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofHours(1)
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final KpiService kpis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile KpiCache kpiCache;
    private MeterRegistry registry;

    ControlPlaneMetrics(NamedParameterJdbcTemplate jdbc, KpiService kpis) {
        this.jdbc = jdbc;
        this.kpis = kpis;
    }

    private record KpiCache(long at, Map<String, KpiService.Kpi> byKey) {}

    private record Cached(long at, Map<String, Long> counts) {}

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (Stage stage : Stage.values()) {
            Gauge.builder(
                            "controlplane.missions.active",
                            () -> count(
                                            "missions",
                                            () -> grouped(
                                                    "SELECT stage AS k, COUNT(*) AS n FROM missions WHERE status = 'ACTIVE' GROUP BY stage"))
                                    .getOrDefault(stage.name(), 0L))
                    .description("Active missions by stage" + CLUSTER_WIDE)
                    .tag("stage", stage.name())
                    .register(registry);
        }
        for (String kind : INCIDENT_KINDS) {
            Gauge.builder(
                            "controlplane.incidents.open",
                            () -> count(
                                            "incidents",
                                            () -> grouped(
                                                    "SELECT kind AS k, COUNT(*) AS n FROM incidents WHERE status <> 'RESOLVED' GROUP BY kind"))
                                    .getOrDefault(kind, 0L))
                    .description("Incidents not resolved, by kind" + CLUSTER_WIDE)
                    .tag("kind", kind)
                    .register(registry);
        }
        for (String key : KPIS) {
            Gauge.builder("controlplane.kpi.value", () -> kpiField(key, KpiService.Kpi::value))
                    .description("KPI over the trailing 7 days, NaN without data" + CLUSTER_WIDE)
                    .tag("kpi", key)
                    .register(registry);
            Gauge.builder("controlplane.kpi.target", () -> kpiField(key, KpiService.Kpi::target))
                    .description("KPI target from configuration" + CLUSTER_WIDE)
                    .tag("kpi", key)
                    .register(registry);
            Gauge.builder("controlplane.kpi.met", () -> kpiField(key, k -> k.met() == null ? null : k.met() ? 1 : 0))
                    .description("1 when the KPI meets its target, 0 when it misses, NaN without data" + CLUSTER_WIDE)
                    .tag("kpi", key)
                    .register(registry);
        }
        for (String channel : CHANNELS) {
            for (String outcome : OUTCOMES) {
                // a counter: notification_log only grows (no code deletes from it), and a counter is what rate() and
                // increase() are for. Read from the table, so it counts every replica's notifications and survives
                // restarts without a reset.
                FunctionCounter.builder(
                                "controlplane.notifications",
                                this,
                                m -> m.count(
                                                "notifications",
                                                () -> grouped(
                                                        "SELECT channel || ':' || outcome AS k, COUNT(*) AS n FROM notification_log GROUP BY channel, outcome"))
                                        .getOrDefault(channel + ":" + outcome, 0L))
                        .description("Notifications recorded by channel and outcome (sent, or logged with the channel "
                                + "not configured)" + CLUSTER_WIDE)
                        .tags("channel", channel, "outcome", outcome.toLowerCase())
                        .register(registry);
            }
        }
    }

    /** The trailing seven days' KPI, as {@code GET /api/kpis} reports it. */
    private KpiService.Kpi kpi(String key) {
        KpiCache c = kpiCache;
        long now = System.nanoTime();
        if (c == null || now - c.at() > KPI_CACHE.toNanos()) {
            Instant to = KpiService.now();
            Map<String, KpiService.Kpi> byKey = new ConcurrentHashMap<>();
            kpis.report(to.minus(Duration.ofDays(7)), to).kpis().forEach(k -> byKey.put(k.key(), k));
            c = new KpiCache(now, byKey);
            kpiCache = c;
        }
        return c.byKey().get(key);
    }

    private double kpiField(String key, Function<KpiService.Kpi, Number> field) {
        KpiService.Kpi k = kpi(key);
        Number n = k == null ? null : field.apply(k);
        return n == null ? Double.NaN : n.doubleValue();
    }

    /**
     * Records how long an agent took for one external task, once its report committed (a report rolled back, or run
     * again after a conflict, is not counted twice).
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void agentTask(AgentTaskReported report) {
        agentTask(report.topic(), report.duration());
    }

    /**
     * Counts what an agent reported it used (the agent ledger), once its report committed. Per replica: the replica
     * that took the report counts it, so a query sums over replicas.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void agentRun(AgentRunRecorded run) {
        if (registry == null) {
            return;
        }
        io.micrometer.core.instrument.Counter.builder("controlplane.agent.cost.cents")
                .description(
                        "Cost in cents the agents reported for their external tasks, counted by the replica that took the report")
                .tag("topic", run.topic())
                .register(registry)
                .increment(run.costCents());
        for (Map.Entry<String, Long> tokens :
                Map.of("in", run.tokensIn(), "out", run.tokensOut()).entrySet()) {
            io.micrometer.core.instrument.Counter.builder("controlplane.agent.tokens")
                    .description(
                            "Tokens the agents reported for their external tasks (direction in or out), counted by the replica that took the report")
                    .tag("topic", run.topic())
                    .tag("direction", tokens.getKey())
                    .register(registry)
                    .increment(tokens.getValue());
        }
    }

    /** Records how long an agent took for one external task of {@code topic}. */
    private void agentTask(String topic, Duration duration) {
        if (registry != null && duration != null && !duration.isNegative()) {
            // a histogram, not client-side percentiles: percentiles cannot be added up across replicas, buckets can
            // (histogram_quantile over sum by (le, topic) in the dashboard)
            Timer.builder("controlplane.agent.task")
                    .description(
                            "Time from an agent task's creation to its completion, on the replica that took the report")
                    .tag("topic", topic)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(AGENT_TASK_MIN)
                    .maximumExpectedValue(AGENT_TASK_MAX)
                    .serviceLevelObjectives(AGENT_TASK_SLOS)
                    .register(registry)
                    .record(duration);
        }
    }

    /** Gauges evaluated on every scrape share one query per table for {@link #CACHE}. */
    private Map<String, Long> count(String key, Supplier<Map<String, Long>> query) {
        Cached c = cache.get(key);
        long now = System.nanoTime();
        if (c == null || now - c.at() > CACHE.toNanos()) {
            c = new Cached(now, query.get());
            cache.put(key, c);
        }
        return c.counts();
    }

    private Map<String, Long> grouped(String sql) {
        Map<String, Long> out = new ConcurrentHashMap<>();
        jdbc.query(sql, new MapSqlParameterSource(), rs -> {
            out.put(rs.getString("k"), rs.getLong("n"));
        });
        return out;
    }
}
