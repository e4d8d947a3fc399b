package io.controlplane.telemetry;

import io.controlplane.mission.Stage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The control plane's own metrics at {@code /actuator/prometheus}: active missions by stage, open incidents by kind,
 * notification outcomes per channel (gauges over the tables, cached briefly so scrapes stay cheap), and how long agents
 * take per topic (a timer the agent-report listeners record).
 */
@Component
public class ControlPlaneMetrics implements MeterBinder {
    private static final Duration CACHE = Duration.ofSeconds(15);
    private static final List<String> INCIDENT_KINDS = List.of("safeguard_violation", "undo_failure", "oauth_drift", "kpi_miss");
    private static final List<String> CHANNELS = List.of("slack", "pagerduty", "email");
    private static final List<String> OUTCOMES = List.of("SENT", "LOGGED");

    private static final List<String> KPIS = List.of("mission-throughput", "approval-latency", "validator-escalation-rate",
            "undo-execution-success", "feedback-participation", "library-reuse");
    /** the KPIs are recomputed at most this often for scrapes */
    private static final Duration KPI_CACHE = Duration.ofMinutes(1);

    private final NamedParameterJdbcTemplate jdbc;
    private final KpiService kpis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile KpiCache kpiCache;
    private MeterRegistry registry;

    ControlPlaneMetrics(NamedParameterJdbcTemplate jdbc, KpiService kpis) {
        this.jdbc = jdbc;
        this.kpis = kpis;
    }

    private record KpiCache(long at, Map<String, KpiService.Kpi> byKey) {
    }

    private record Cached(long at, Map<String, Long> counts) {
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (Stage stage : Stage.values()) {
            Gauge.builder("controlplane.missions.active", () -> count("missions", () -> grouped(
                    "SELECT stage AS k, COUNT(*) AS n FROM missions WHERE status = 'ACTIVE' GROUP BY stage")).getOrDefault(stage.name(), 0L))
                    .description("Active missions by stage").tag("stage", stage.name()).register(registry);
        }
        for (String kind : INCIDENT_KINDS) {
            Gauge.builder("controlplane.incidents.open", () -> count("incidents", () -> grouped(
                    "SELECT kind AS k, COUNT(*) AS n FROM incidents WHERE status <> 'RESOLVED' GROUP BY kind")).getOrDefault(kind, 0L))
                    .description("Incidents not resolved, by kind").tag("kind", kind).register(registry);
        }
        for (String key : KPIS) {
            Gauge.builder("controlplane.kpi.value", () -> kpiField(key, KpiService.Kpi::value))
                    .description("KPI over the trailing 7 days (NaN without data)").tag("kpi", key).register(registry);
            Gauge.builder("controlplane.kpi.target", () -> kpiField(key, KpiService.Kpi::target))
                    .description("KPI target from configuration").tag("kpi", key).register(registry);
            Gauge.builder("controlplane.kpi.met", () -> kpiField(key, k -> k.met() == null ? null : k.met() ? 1 : 0))
                    .description("1 when the KPI meets its target, 0 when it misses, NaN without data").tag("kpi", key)
                    .register(registry);
        }
        for (String channel : CHANNELS) {
            for (String outcome : OUTCOMES) {
                Gauge.builder("controlplane.notifications", () -> count("notifications", () -> grouped(
                        "SELECT channel || ':' || outcome AS k, COUNT(*) AS n FROM notification_log GROUP BY channel, outcome"))
                                .getOrDefault(channel + ":" + outcome, 0L))
                        .description("Notifications by channel and outcome (SENT, or LOGGED with the channel not configured)")
                        .tags("channel", channel, "outcome", outcome.toLowerCase()).register(registry);
            }
        }
    }

    /** The trailing seven days' KPI, as {@code GET /api/kpis} reports it. */
    private KpiService.Kpi kpi(String key) {
        KpiCache c = kpiCache;
        long now = System.nanoTime();
        if (c == null || now - c.at() > KPI_CACHE.toNanos()) {
            java.time.Instant to = KpiService.now();
            Map<String, KpiService.Kpi> byKey = new ConcurrentHashMap<>();
            kpis.report(to.minus(Duration.ofDays(7)), to).kpis().forEach(k -> byKey.put(k.key(), k));
            c = new KpiCache(now, byKey);
            kpiCache = c;
        }
        return c.byKey().get(key);
    }

    private double kpiField(String key, java.util.function.Function<KpiService.Kpi, Number> field) {
        KpiService.Kpi k = kpi(key);
        Number n = k == null ? null : field.apply(k);
        return n == null ? Double.NaN : n.doubleValue();
    }

    /** Records how long an agent took for one external task of {@code topic}. */
    public void agentTask(String topic, Duration duration) {
        if (registry != null && duration != null && !duration.isNegative()) {
            Timer.builder("controlplane.agent.task").description("Time from an agent task's creation to its completion")
                    .tag("topic", topic).publishPercentiles(0.5, 0.95).register(registry).record(duration);
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
