package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Topics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/**
 * What {@code /actuator/prometheus} serves follows Prometheus' conventions (issue #15), checked by Prometheus' own
 * linter, {@code promtool check metrics}, and by the rules a dashboard relies on: every family has help text and a
 * snake_case name, counters are counters, agent task latency is a histogram, and the Grafana dashboard queries only
 * names the service exports, with {@code histogram_quantile} over the buckets and {@code max} (never {@code sum}) over
 * the cluster-wide gauges every replica reports alike.
 */
@IntegrationTest
class PrometheusConventionsTest {
    private static final Path DASHBOARD = Path.of("helm", "control-plane", "dashboards", "control-plane.json");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) ?(.*)$");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? \\S+.*$");
    private static final Pattern CAMEL = Pattern.compile("[a-z0-9][A-Z]");

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    RestClient.Builder restClient;

    private String scrape;

    /**
     * One agent report, so that the agent task histogram has a series to show, and an HTTP request in and out, so
     * that the framework's request meters are there whichever test ran before.
     */
    @BeforeEach
    void scrape() {
        String id = drive.start("mo", JourneyDriver.brief("Prometheus conventions"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(91));
        restClient
                .baseUrl("http://localhost:" + port)
                .build()
                .get()
                .uri("/actuator/health")
                .retrieve()
                .toBodilessEntity();
        Http.Response r = new Http(port).get("/actuator/prometheus", "ta");
        assertThat(r.status()).isEqualTo(200);
        scrape = r.body();
    }

    /** What promtool and the assertions saw, for the reader of a failure (target/ is build output). */
    private void keep() throws IOException {
        Files.writeString(Path.of("target", "prometheus-scrape.txt"), scrape);
    }

    @Test
    void promtoolCheckMetricsFindsNothing() throws Exception {
        keep();
        File promtool = promtool();
        Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String findings = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(findings)
                .as("promtool check metrics on /actuator/prometheus")
                .isBlank();
        assertThat(p.exitValue())
                .as("promtool's exit code (findings: %s)", findings)
                .isZero();
    }

    @Test
    void everyFamilyHasHelpTextAndASnakeCaseName() {
        Map<String, String> types = types();
        Map<String, String> help = new LinkedHashMap<>();
        List<String> samples = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            Matcher m = HELP.matcher(line);
            if (m.matches()) {
                help.put(m.group(1), m.group(2).strip());
            }
            Matcher s = SAMPLE.matcher(line);
            if (!line.startsWith("#") && s.matches()) {
                samples.add(s.group(1));
            }
        }
        assertThat(types).as("families in the scrape").isNotEmpty();
        assertThat(types.keySet())
                .as("families without help text")
                .allSatisfy(name ->
                        assertThat(help.get(name)).as("HELP of %s", name).isNotBlank());
        assertThat(new TreeSet<>(types.keySet()))
                .as("camelCase family names")
                .noneMatch(name -> CAMEL.matcher(name).find());
        assertThat(new TreeSet<>(samples))
                .as("camelCase sample names")
                .noneMatch(name -> CAMEL.matcher(name).find());
        // every sample belongs to a declared family (no untyped series slipped in)
        assertThat(samples)
                .allSatisfy(name ->
                        assertThat(family(name, types)).as("family of %s", name).isNotNull());
    }

    @Test
    void countersAreCountersAndAgentLatencyIsAHistogram() {
        Map<String, String> types = types();
        types.forEach((name, type) -> {
            if (type.equals("counter")) {
                assertThat(name).as("counter family").endsWith("_total");
            } else {
                assertThat(name).as("a %s named like a counter", type).doesNotEndWith("_total");
            }
        });
        assertThat(types)
                .containsEntry("controlplane_notifications_total", "counter")
                .containsEntry("controlplane_agent_task_seconds", "histogram");
        // client-side percentiles cannot be aggregated across replicas (a summary with count and sum only can)
        assertThat(scrape).doesNotContain("quantile=\"");
        // SLO buckets a latency objective can be read from, plus +Inf, for the topic the agent reported on
        List<String> buckets = scrape.lines()
                .filter(l -> l.startsWith("controlplane_agent_task_seconds_bucket{")
                        && l.contains("topic=\"mission.data.inspect\""))
                .toList();
        for (String le : List.of("1.0", "60.0", "300.0", "3600.0", "+Inf")) {
            assertThat(buckets).as("bucket le=%s", le).anyMatch(l -> l.contains("le=\"" + le + "\""));
        }
        assertThat(buckets).as("buckets per topic").hasSizeBetween(20, 100);
    }

    @Test
    void theDashboardQueriesExportedNamesWithHistogramQuantileAndMaxOverClusterWideGauges() throws IOException {
        Map<String, String> types = types();
        // cluster-wide figures say so in their help text: every replica computes them from the shared database
        TreeSet<String> clusterWide = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher m = HELP.matcher(line);
            if (m.matches() && m.group(2).contains("cluster-wide")) {
                clusterWide.add(m.group(1));
            }
        }
        assertThat(clusterWide)
                .contains(
                        "controlplane_missions_active",
                        "controlplane_incidents_open",
                        "controlplane_kpi_value",
                        "controlplane_kpi_target",
                        "controlplane_kpi_met",
                        "controlplane_notifications_total");
        List<String> exprs = new ArrayList<>();
        new ObjectMapper()
                .readTree(Files.readString(DASHBOARD))
                .path("panels")
                .forEach(panel -> panel.path("targets")
                        .forEach(t -> exprs.add(t.path("expr").asText())));
        assertThat(exprs).isNotEmpty();
        Pattern name = Pattern.compile("controlplane_[a-z0-9_]+");
        for (String expr : exprs) {
            Matcher m = name.matcher(expr);
            assertThat(m.find()).as("a control plane metric in %s", expr).isTrue();
            do {
                String family = family(m.group(), types);
                assertThat(family)
                        .as("%s in the dashboard query %s is exported", m.group(), expr)
                        .isNotNull();
                if (clusterWide.contains(family)) {
                    // sum over two replicas would double the figure; max shows it once
                    assertThat(expr)
                            .as("cluster-wide %s", family)
                            .startsWith("max by")
                            .doesNotContain("sum");
                }
                if (types.get(family).equals("histogram")) {
                    assertThat(expr)
                            .as("latency from the buckets, aggregated across replicas")
                            .matches("histogram_quantile\\(0\\.95, sum by \\(le, topic\\) \\(rate\\(" + family
                                    + "_bucket\\[5m]\\)\\)\\)");
                }
            } while (m.find());
        }
        assertThat(String.join("\n", exprs)).contains("histogram_quantile(");
    }

    /** promtool parses every dashboard query, as recording rules (a YAML rule file written as JSON). */
    @Test
    void promtoolParsesEveryDashboardQuery() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Map<String, String>> rules = new ArrayList<>();
        json.readTree(Files.readString(DASHBOARD))
                .path("panels")
                .forEach(panel -> panel.path("targets")
                        .forEach(t -> rules.add(Map.of(
                                "record",
                                "dashboard:panel_" + panel.path("id").asText() + "_"
                                        + t.path("refId").asText(),
                                "expr",
                                t.path("expr").asText()))));
        Path file = Files.createTempFile("dashboard-queries", ".yaml");
        try {
            Files.writeString(
                    file,
                    json.writeValueAsString(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
            Process p = new ProcessBuilder(promtool().getPath(), "check", "rules", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(p.exitValue())
                    .as("promtool check rules over the dashboard's queries: %s", out)
                    .isZero();
            assertThat(out).contains("SUCCESS: " + rules.size() + " rules found");
        } finally {
            Files.delete(file);
        }
    }

    /** The family a sample name belongs to: itself, or with the histogram / summary suffix taken off. */
    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_created")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private Map<String, String> types() {
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = TYPE.matcher(line);
            if (m.matches()) {
                types.put(m.group(1), m.group(2));
            }
        }
        return types;
    }

    /** promtool from Debian's prometheus package; without it the test fails and says how to install it. */
    private static File promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "promtool");
            if (f.canExecute()) {
                return f;
            }
        }
        return fail("promtool is not installed: DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus "
                + "(Debian's package ships it; .ci/run installs it)");
    }
}
