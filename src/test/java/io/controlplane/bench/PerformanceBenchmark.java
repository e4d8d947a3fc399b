package io.controlplane.bench;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.ControlPlaneApplication;
import io.controlplane.execution.SimulatedAgent;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The performance benchmark of docs/performance.md: journey throughput of the service against a bare BPMN baseline,
 * the dashboard endpoints over a generated history against the same KPIs computed the way a typical Camunda project
 * would (HistoryService queries, aggregation in Java), and the service's footprint. It starts the real service on
 * PostgreSQL, in a database of its own that it creates and drops, on a free port, and prints Markdown tables.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbench verify} (see the {@code bench} profile in pom.xml); sizes are system properties
 * ({@code -Dbench.missions=100000 -Dbench.journeySeconds=20 ...}, listed in {@link Settings}). Not part of the test run.
 *
 * <p>Journeys are driven in-process through the engine's Java API, as {@code JourneyDriver} does: simulated people
 * complete every checkpoint as the demo users (with their groups, so authorizations apply), and the service's own
 * {@link SimulatedAgent} logic serves every external task of the mission ({@link SimulatedAgent#runOnce(String)}).
 * Each client drives one mission at a time, start to end.
 *
 * <p>The history of many missions is not run through the engine (far too slow on two cores): a few real journeys of
 * each kind are run first, then their rows — engine history ({@code ACT_HI_*} with a root process instance) and the
 * control plane's tables — are copied with {@code INSERT ... SELECT}, ids suffixed per copy and timestamps moved into
 * the last 52 weeks (durations stretched), so every copy is shaped exactly like a real run.
 */
public final class PerformanceBenchmark {

    /** Sizes and connection; every one is a system property {@code bench.<name>}. */
    record Settings(int missions, int journeySeconds, int warmupSeconds, List<Integer> clients, int reps, int naiveReps,
                    String server, String database, String user, String password, boolean keep, double stretch,
                    Path output) {
        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("bench.missions", 100_000),
                    Integer.getInteger("bench.journeySeconds", 20),
                    Integer.getInteger("bench.warmupSeconds", 5),
                    Arrays.stream(System.getProperty("bench.clients", "1,4,16").split(",")).map(String::trim)
                            .map(Integer::valueOf).toList(),
                    Integer.getInteger("bench.reps", 30),
                    Integer.getInteger("bench.naiveReps", 3),
                    System.getProperty("bench.server", "127.0.0.1:5432"),
                    System.getProperty("bench.database", "controlplane_bench"),
                    System.getProperty("bench.user", "postgres"),
                    System.getProperty("bench.password", ""),
                    Boolean.getBoolean("bench.keep"),
                    // 1 ms of a benchmark journey becomes this many ms in the generated history (minutes to hours)
                    Double.parseDouble(System.getProperty("bench.stretch", "20000")),
                    Path.of(System.getProperty("bench.output", "target/bench/performance.md")));
        }
    }

    /** The kinds of completed mission in the generated history, and their share in percent. */
    enum Scenario {
        COMPLETED(70), WITHOUT_FEEDBACK(12), PACKET_REJECTED_ONCE(8), ESCALATED(5), UNDONE(5);

        final int share;

        Scenario(int share) {
            this.share = share;
        }
    }

    static final Map<String, List<String>> GROUPS = Map.of(
            "mo", List.of("mission-owner"), "gv", List.of("governance-validator"),
            "gv2", List.of("governance-validator"), "oc", List.of("operations-command"),
            "ta", List.of("telemetry-analyst"), "kc", List.of("knowledge-curator"));
    static final String BASELINE_KEY = "bench-baseline";
    static final String BASELINE_WORKER = "baseline-agent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final StringBuilder report = new StringBuilder();
    private ConfigurableApplicationContext context;
    private ProcessEngine engine;
    private MissionService missions;
    private SimulatedAgent agent;
    private HttpClient http;
    private int port;
    private String journeyDefinitionId;
    private final Map<String, String> baselinePayloads = new HashMap<>();
    /** What makes the run fail (exit 1) after its report: failed journeys, KPIs that disagree. */
    private final List<String> failures = new ArrayList<>();

    PerformanceBenchmark(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        PerformanceBenchmark bench = new PerformanceBenchmark(Settings.fromSystemProperties());
        int exit = 0;
        try {
            bench.run();
        } catch (Throwable failed) {
            failed.printStackTrace();
            exit = 1;
        } finally {
            bench.close();
        }
        System.exit(exit);
    }

    void run() throws Exception {
        long benchStart = System.nanoTime();
        out("# Performance benchmark run\n");
        machine();
        recreateDatabase();

        // ---- start-up
        long t0 = System.nanoTime();
        context = new SpringApplication(ControlPlaneApplication.class).run(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + jdbcUrl(settings.database()),
                "--spring.datasource.username=" + settings.user(),
                "--spring.datasource.password=" + settings.password(),
                "--server.port=0",
                "--controlplane.demo.missions=false",
                // the benchmark's clients are the agents; the polling demo agent would compete with them
                "--controlplane.agent.simulated.enabled=false",
                "--logging.level.root=WARN",
                "--logging.level.io.controlplane.bench=INFO");
        double startupSeconds = (System.nanoTime() - t0) / 1e9;
        double sinceJvmStart = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        long heapAfterStart = usedHeapMb();
        engine = context.getBean(ProcessEngine.class);
        missions = context.getBean(MissionService.class);
        agent = context.getBean(SimulatedAgent.class);
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        journeyDefinitionId = engine.getRepositoryService().createProcessDefinitionQuery()
                .processDefinitionKey(MissionJourney.PROCESS_KEY).latestVersion().singleResult().getId();
        engine.getRepositoryService().createDeployment().name("bench-baseline")
                .addClasspathResource("bench/baseline-journey.bpmn").deploy();
        baselinePayloads();
        log("service started in %.1f s", startupSeconds);

        // ---- journey throughput (bench.journeySeconds=0 skips it)
        if (settings.journeySeconds() > 0) {
            throughput();
        }

        // ---- footprint of one journey, and the templates of the generated history
        Map<Scenario, String> templates = new LinkedHashMap<>();
        for (Scenario s : Scenario.values()) {
            templates.put(s, serviceJourney(s));
        }
        String baselineOne = baselineJourney();
        historyRowsPerMission(templates.get(Scenario.COMPLETED), baselineOne);

        // ---- dashboard at scale
        long g0 = System.nanoTime();
        int generated = generateHistory(templates);
        double generateSeconds = (System.nanoTime() - g0) / 1e9;
        dashboards(generated, generateSeconds);
        long heapAfterHistory = usedHeapMb();

        // ---- footprint
        out("\n## Footprint\n");
        out("| figure | value |");
        out("|---|---:|");
        out(String.format("| start-up to ready (SpringApplication.run, fresh database: schema, Flyway, deployment) | %.1f s |",
                startupSeconds));
        out(String.format("| start-up to ready, from JVM start | %.1f s |", sinceJvmStart));
        out(String.format("| heap used after start (after GC) | %d MB |", heapAfterStart));
        out(String.format("| heap used after the %,d-mission history and the dashboard runs (after GC) | %d MB |", generated,
                heapAfterHistory));
        out(String.format("| database size after the run | %s |", scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")));
        out(String.format("| max heap (-Xmx) | %d MB |", Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        out(String.format("%n_Whole run: %.0f s; load at the end: %s._", (System.nanoTime() - benchStart) / 1e9, loadAverage()));
        writeReport();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("The benchmark ran, but: " + String.join("; ", failures));
        }
    }

    // ------------------------------------------------------------------------------------------------ machine, db

    private void machine() throws IOException {
        out("## Machine\n");
        out("| | |");
        out("|---|---|");
        out("| date (UTC) | " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " |");
        out("| CPU | " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores available to the JVM |");
        out("| memory | " + memTotal() + " |");
        out("| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " |");
        out("| Java | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", -Xmx "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB |");
        try (Connection c = admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            out("| PostgreSQL | " + rs.getString(1).replaceAll(" on .*", "") + " at " + settings.server() + " |");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + settings.server(), e);
        }
        out("| load average at start (1, 5, 15 min) | " + loadAverage() + " |");
        out(String.format("| sizes | %,d generated missions, %d s per throughput point (+%d s warm-up), clients %s, %d calls per endpoint |",
                settings.missions(), settings.journeySeconds(), settings.warmupSeconds(), settings.clients(), settings.reps()));
    }

    private static String cpuModel() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.replaceAll("model name\\s*:\\s*", "")).orElse("unknown CPU");
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() throws IOException {
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.exists(meminfo)) {
            return Files.readAllLines(meminfo).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> String.format("%.1f GB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .orElse("?");
        }
        return "?";
    }

    private static String loadAverage() {
        try {
            String[] l = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return l[0] + ", " + l[1] + ", " + l[2];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + settings.server() + "/" + database;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), settings.user(), settings.password());
    }

    private Connection bench() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(settings.database()), settings.user(), settings.password());
    }

    private void recreateDatabase() throws SQLException {
        if (!settings.database().matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("bench.database must be a plain lower-case name");
        }
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + settings.database() + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + settings.database());
        }
    }

    void close() {
        if (context != null) {
            context.close();
        }
        if (!settings.keep()) {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + settings.database() + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop " + settings.database() + ": " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ throughput

    private void throughput() throws Exception {
        out("\n## Journey throughput\n");
        out("Missions per second through the whole journey (start to *Mission completed*), each client driving one mission "
                + "at a time; journey latency is one mission's start to end.\n");
        out("| clients | service missions/s | baseline missions/s | service / baseline | service journey P50 / P95 ms | baseline journey P50 / P95 ms | errors |");
        out("|---:|---:|---:|---:|---:|---:|---:|");
        for (int clients : settings.clients()) {
            Rate service = rate(clients, () -> serviceJourney(Scenario.COMPLETED));
            Rate baseline = rate(clients, this::baselineJourney);
            out(String.format("| %d | %.2f | %.2f | **%.0f %%** | %.0f / %.0f | %.0f / %.0f | %d |", clients,
                    service.perSecond(), baseline.perSecond(), 100 * service.perSecond() / baseline.perSecond(),
                    service.p50(), service.p95(), baseline.p50(), baseline.p95(), service.errors() + baseline.errors()));
            if (service.errors() + baseline.errors() > 0) {
                failures.add((service.errors() + baseline.errors()) + " journeys failed at " + clients + " clients");
            }
            if (service.firstError() != null || baseline.firstError() != null) {
                out("\nFirst error: " + (service.firstError() != null ? service.firstError() : baseline.firstError()) + "\n");
            }
        }
        out("");
        activityCounts();
    }

    record Rate(double perSecond, double p50, double p95, int errors, String firstError) {
    }

    /** Runs {@code journey} on {@code clients} threads: a warm-up, then counts the journeys finished in the window. */
    private Rate rate(int clients, Supplier<String> journey) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long warmEnd = System.nanoTime() + settings.warmupSeconds() * 1_000_000_000L;
            long end = warmEnd + settings.journeySeconds() * 1_000_000_000L;
            ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
            AtomicInteger errors = new AtomicInteger();
            AtomicReference<String> firstError = new AtomicReference<>();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        try {
                            journey.get();
                            long done = System.nanoTime();
                            if (done >= warmEnd && done <= end) { // steady state: completions in the window
                                latencies.add((done - start) / 1e6);
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            List<Double> sorted = latencies.stream().sorted().toList();
            return new Rate(sorted.size() / (double) settings.journeySeconds(), percentile(sorted, 0.5),
                    percentile(sorted, 0.95), errors.get(), firstError.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One mission through the service, start to end; returns its id. */
    String serviceJourney(Scenario scenario) {
        MissionRequest brief = brief(scenario);
        String id = missions.start(brief, "mo", GROUPS.get("mo")).id();
        drive(id, MissionJourney.PROCESS_KEY, scenario, () -> agent.runOnce(id));
        return id;
    }

    /** One instance of the bare baseline process, start to end, with the same people and a bare worker. */
    String baselineJourney() {
        String id = "b-" + java.util.UUID.randomUUID();
        MissionRequest brief = brief(Scenario.COMPLETED);
        engine.getRuntimeService().createProcessInstanceByKey(BASELINE_KEY).businessKey(id)
                .setVariable(Vars.MISSION_TITLE, brief.title()).setVariable(Vars.OBJECTIVE, brief.objective())
                .setVariable(Vars.PERSONA, brief.persona()).setVariable(Vars.KPI_METRIC, brief.kpi().metric())
                .setVariable(Vars.KPI_TARGET, brief.kpi().target().doubleValue())
                .setVariable(Vars.SAFEGUARDS, baselinePayloads.get("safeguards"))
                .setVariable(Vars.TOOLKITS, baselinePayloads.get("toolkits"))
                .execute();
        drive(id, BASELINE_KEY, Scenario.COMPLETED, () -> baselineWorker(id));
        return id;
    }

    static MissionRequest brief(Scenario scenario) {
        String objective = scenario == Scenario.ESCALATED
                ? "Reactivation guaranteed for every dormant account" // the tone safeguard forbids "guaranteed"
                : "Re-engage accounts with no activity for 90 days";
        return new MissionRequest("Benchmark mission", objective, "Revenue operations",
                new MissionRequest.Kpi("reactivated accounts", BigDecimal.valueOf(40)),
                List.of(new MissionRequest.Safeguard("tone", null, null),
                        new MissionRequest.Safeguard("quiet_window", "high", Map.of("start", "21:00")),
                        new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 30, "burst", 10))),
                List.of(new MissionRequest.Toolkit("hubspot", List.of("crm.objects.contacts.read", "crm.objects.contacts.write"))));
    }

    /**
     * The simulated people: completes every open checkpoint of the mission (and its runbooks) as the role that owns
     * it, lets the agent work, until the process {@code key} with this business key has ended.
     */
    private void drive(String id, String key, Scenario scenario, Supplier<Integer> agentStep) {
        TaskService tasks = engine.getTaskService();
        RuntimeService runtime = engine.getRuntimeService();
        boolean[] rejected = {false};
        int idle = 0;
        while (true) {
            boolean progressed = false;
            for (Task task : tasks.createTaskQuery().processInstanceBusinessKey(id).list()) {
                String taskKey = task.getTaskDefinitionKey();
                if (Elements.MISSION_FEEDBACK.equals(taskKey) && scenario == Scenario.WITHOUT_FEEDBACK) {
                    // feedback skipped, as an operator would in Cockpit: straight to the three signatures
                    runtime.createProcessInstanceModification(task.getProcessInstanceId())
                            .startBeforeActivity(Elements.RETRO_SIGN_OFF_OWNER)
                            .startBeforeActivity(Elements.RETRO_SIGN_OFF_CURATOR)
                            .startBeforeActivity(Elements.RETRO_SIGN_OFF_ANALYST)
                            .cancelAllForActivity(Elements.MISSION_FEEDBACK).execute();
                    progressed = true;
                    continue;
                }
                Decision d = decide(taskKey, scenario, rejected, task.getProcessInstanceId());
                if (d == null) {
                    continue;
                }
                Runnable complete = () -> tasks.complete(task.getId(), new HashMap<>(d.variables()));
                // the bare baseline is the engine alone: its model has no step contract, so the control plane's
                // engine guard (part of the service's cost) is not applied to it
                as(d.user(), BASELINE_KEY.equals(key) ? () -> io.controlplane.journey.EngineGuard.asService(() -> {
                    complete.run();
                    return null;
                }) : complete);
                progressed = true;
            }
            if (agentStep.get() > 0) {
                progressed = true;
            }
            if (progressed) {
                idle = 0;
                continue;
            }
            if (runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).processDefinitionKey(key).count() == 0) {
                return;
            }
            if (++idle > 500) {
                throw new IllegalStateException("journey " + id + " makes no progress");
            }
            sleep(10); // a job (notification delivery) is due for the job executor
        }
    }

    record Decision(String user, Map<String, Object> variables) {
    }

    private Decision decide(String taskKey, Scenario scenario, boolean[] rejected, String processInstanceId) {
        return switch (taskKey) {
            case Elements.INTENT_CONFIRMATION -> new Decision("gv", Map.of(Vars.INTENT_DECISION, "approve",
                    Vars.SAFEGUARDS_ACKNOWLEDGED, true));
            case Elements.TOOLKIT_AUTHORIZATION -> new Decision("oc", Map.of(Vars.TOOLKIT_DECISION, "authorize",
                    Vars.SCOPES_VALIDATED, true, Vars.READ_ONLY_PATH_CONFIRMED, true));
            case Elements.PACKET_REVIEW_GOVERNANCE -> {
                boolean reject = scenario == Scenario.PACKET_REJECTED_ONCE && !rejected[0];
                rejected[0] = rejected[0] || reject;
                yield new Decision("gv", Map.of(Vars.GV_PACKET_DECISION, reject ? "reject" : "approve",
                        Vars.GV_PACKET_COMMENT, reject ? "the undo plan of update-records is too thin" : "checked"));
            }
            case Elements.PACKET_REVIEW_OPERATIONS -> new Decision("oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
            case Elements.TELEMETRY_HOOKS_VERIFICATION -> new Decision("ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
            case Elements.RED_PLAY_CONFIRMATION -> new Decision("gv2", Map.of(Vars.RED_PLAY_DECISION, "confirm"));
            case Elements.LIVE_OVERSIGHT -> scenario == Scenario.UNDONE && engine.getHistoryService()
                    .createHistoricActivityInstanceQuery().processInstanceId(processInstanceId)
                    .activityId(Elements.EXECUTE_PLAY).finished().count() >= 2 // the first play is read-only
                    ? new Decision("oc", Map.of(Vars.OVERSIGHT_DECISION, "trigger_undo", Vars.OVERSIGHT_NOTE,
                    "customer complaints about the drafts"))
                    : null; // stays open while the plays run, closed by the journey when the last one has
            case Elements.MISSION_FEEDBACK -> new Decision("mo", Map.of(Vars.FEEDBACK_RATING, 4L,
                    Vars.EFFORT_SAVED_HOURS, 3L, Vars.FEEDBACK_SATISFACTION, "satisfied"));
            case Elements.RETRO_SIGN_OFF_OWNER -> new Decision("mo", Map.of(Vars.OWNER_SIGN_OFF, true));
            case Elements.RETRO_SIGN_OFF_CURATOR -> new Decision("kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
            case Elements.RETRO_SIGN_OFF_ANALYST -> new Decision("ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
            case Runbooks.Elements.VIOLATION_DECISION -> new Decision("gv", Map.of(Runbooks.Vars.VIOLATION_DECISION,
                    "resume", Runbooks.Vars.VIOLATION_NOTE, "wording approved by legal for this campaign"));
            default -> null; // e.g. a post-incident review, due days later: not part of the journey
        };
    }

    private void as(String user, Runnable action) {
        IdentityService identity = engine.getIdentityService();
        identity.setAuthentication(user, GROUPS.get(user));
        try {
            action.run();
        } finally {
            identity.clearAuthentication();
        }
    }

    /** The baseline's worker: the same answers in shape and size as the simulated agent's, without its logic. */
    private int baselineWorker(String businessKey) {
        ExternalTaskService external = engine.getExternalTaskService();
        List<LockedExternalTask> locked = external.fetchAndLock(10, BASELINE_WORKER)
                .topic("bench.baseline.inspect", 60_000).businessKey(businessKey)
                .topic("bench.baseline.rank", 60_000).businessKey(businessKey)
                .topic("bench.baseline.execute", 60_000).businessKey(businessKey)
                .execute();
        for (LockedExternalTask task : locked) {
            Map<String, Object> result = switch (task.getTopicName()) {
                case "bench.baseline.inspect" -> Map.of(Vars.DATA_COVERAGE_PERCENT, 91.0, Vars.DATA_PREVIEW_SUMMARY,
                        baselinePayloads.get("preview"));
                case "bench.baseline.rank" -> Map.of(Vars.RANKED_PLAYS, baselinePayloads.get("plays"), Vars.PLAY_COUNT, 3);
                default -> Map.of(Vars.PLAY_OUTCOME, baselinePayloads.get("outcome"), "playOutcomeStatus", "succeeded");
            };
            external.complete(task.getId(), BASELINE_WORKER, result);
        }
        return locked.size();
    }

    private void baselinePayloads() throws IOException {
        MissionRequest brief = brief(Scenario.COMPLETED);
        baselinePayloads.put("safeguards", JSON.writeValueAsString(brief.safeguards()));
        baselinePayloads.put("toolkits", JSON.writeValueAsString(brief.toolkits()));
        baselinePayloads.put("preview", "Read-only sample of 500 records from hubspot: 91.0 % have every field the plays need.");
        List<Map<String, Object>> plays = new ArrayList<>();
        for (String id : List.of("segment-audience", "draft-outreach", "update-records")) {
            plays.add(Map.of("playId", id, "name", "Play " + id, "description", "What " + id + " does",
                    "impact", "medium", "reversibility", "reversible", "mutating", true,
                    "undoPlan", Map.of("label", "Undo " + id, "windowMinutes", 15, "steps", List.of("Revert"),
                            "impactSummary", "Reverts what the play changed", "riskAssessment", "low")));
        }
        baselinePayloads.put("plays", JSON.writeValueAsString(plays));
        baselinePayloads.put("outcome", JSON.writeValueAsString(Map.of("status", "succeeded", "summary",
                "Play: 120 records touched", "recordsTouched", 120, "agent", BASELINE_WORKER, "steps", List.of(Map.of(
                        "action", "send_message", "at", Instant.now().toString(), "recipient", "contact-1@example.org",
                        "recipientTimeZone", "Europe/Berlin", "text", "Hello!", "spendCents", 25, "reversible", true)))));
    }

    /** What one completed journey of each kind executes, by activity type: the baseline mirrors the service's path. */
    private void activityCounts() throws SQLException {
        out("Activity instances of one completed journey, by type (from `ACT_HI_ACTINST`):\n");
        Map<String, long[]> counts = new TreeMap<>();
        try (Connection c = bench(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT a.act_type_, SUM(CASE WHEN p.proc_def_key_ = 'mission-journey' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN p.proc_def_key_ = 'bench-baseline' THEN 1 ELSE 0 END)
                FROM act_hi_actinst a JOIN act_hi_procinst p ON p.id_ = a.proc_inst_id_
                WHERE p.id_ IN (SELECT id_ FROM act_hi_procinst WHERE proc_def_key_ = 'mission-journey'
                                  AND end_act_id_ = 'endEvent_missionCompleted' ORDER BY start_time_ LIMIT 1)
                   OR p.id_ IN (SELECT id_ FROM act_hi_procinst WHERE proc_def_key_ = 'bench-baseline'
                                  AND end_time_ IS NOT NULL ORDER BY start_time_ LIMIT 1)
                GROUP BY a.act_type_""")) {
            while (rs.next()) {
                counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        out("| activity type | service journey | baseline |");
        out("|---|---:|---:|");
        counts.forEach((type, n) -> out("| " + type + " | " + n[0] + " | " + n[1] + " |"));
        out("");
    }

    // ------------------------------------------------------------------------------------------------ footprint

    private void historyRowsPerMission(String missionId, String baselineId) throws SQLException {
        out("\n## History rows written per mission\n");
        out("Rows one completed mission leaves behind (engine history by root process instance, and the control plane's "
                + "tables), against one completed baseline instance.\n");
        out("| table | service journey | baseline |");
        out("|---|---:|---:|");
        long totalService = 0;
        long totalBaseline = 0;
        try (Connection c = bench()) {
            String serviceRoot = string(c, "SELECT process_instance_id FROM missions WHERE id = '" + missionId + "'");
            String baselineRoot = string(c, "SELECT id_ FROM act_hi_procinst WHERE business_key_ = '" + baselineId + "'");
            for (String table : tablesWithColumn(c, "root_proc_inst_id_")) {
                long a = count(c, "SELECT COUNT(*) FROM " + table + " WHERE root_proc_inst_id_ = '" + serviceRoot + "'");
                long b = count(c, "SELECT COUNT(*) FROM " + table + " WHERE root_proc_inst_id_ = '" + baselineRoot + "'");
                if (a + b > 0) {
                    out("| " + table + " | " + a + " | " + b + " |");
                    totalService += a;
                    totalBaseline += b;
                }
            }
            for (String table : List.of("missions", "mission_evidence", "mission_approvals", "mission_plays",
                    "mission_steps", "mission_feedback", "telemetry_events", "incidents", "notification_log")) {
                long a = count(c, "SELECT COUNT(*) FROM " + table + " WHERE "
                        + ("missions".equals(table) ? "id" : "mission_id") + " = '" + missionId + "'");
                out("| " + table + " | " + a + " | – |");
                totalService += a;
            }
        }
        out(String.format("| **total** | **%d** | **%d** |", totalService, totalBaseline));
    }

    // ------------------------------------------------------------------------------------------------ history

    /** Engine history tables the generated history fills: the ones the KPIs, the rollup and the naive queries read. */
    static final List<String> HISTORY_TABLES = List.of("act_hi_procinst", "act_hi_actinst", "act_hi_taskinst",
            "act_hi_varinst", "act_hi_incident");
    /** The control plane's tables, parents first. Evidence (large rendered documents) is not copied. */
    static final List<String> PROJECT_TABLES = List.of("missions", "mission_approvals", "mission_plays", "mission_steps",
            "mission_feedback", "incidents", "telemetry_events", "notification_log");
    /** Engine columns ending in ID_ that name a definition or a shared blob, not an instance: copied unchanged. */
    static final Set<String> SHARED_ID_COLUMNS = Set.of("proc_def_id_", "act_id_", "deployment_id_", "tenant_id_",
            "user_id_", "group_id_", "case_def_id_", "dec_def_id_", "dec_req_id_", "job_def_id_", "failed_act_id_",
            "failed_activity_id_", "activity_id_", "bytearray_id_", "error_details_id_", "exception_stack_id_",
            "job_exception_stack_id_", "worker_id_", "start_act_id_", "end_act_id_", "batch_id_", "root_dec_inst_id_");
    /** Control plane columns holding an instance id of the copied mission. */
    static final Set<String> PROJECT_ID_COLUMNS = Set.of("id", "mission_id", "process_instance_id",
            "activity_instance_id", "runbook_instance_id", "incident_id", "source_mission_id");
    static final long IDENTITY_STRIDE = 10_000_000L;

    private int generateHistory(Map<Scenario, String> templates) throws SQLException {
        int n = settings.missions();
        log("generating a history of %,d missions", n);
        try (Connection c = bench(); Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = off");
            // a bulk load: foreign keys of the copies hold by construction (the benchmark connects as a superuser)
            try {
                s.execute("SET session_replication_role = replica");
            } catch (SQLException notSuperuser) {
                log("not a superuser: foreign keys are checked row by row (slower)");
            }
            s.execute("SET maintenance_work_mem = '256MB'");
            s.execute("CREATE TEMP TABLE bench_templates (scenario VARCHAR(40), mission VARCHAR(64), root VARCHAR(64), "
                    + "t0 TIMESTAMP, lo INT, hi INT)");
            int lo = 0;
            for (Map.Entry<Scenario, String> t : templates.entrySet()) {
                int hi = lo + t.getKey().share;
                s.execute("INSERT INTO bench_templates SELECT '" + t.getKey() + "', m.id, m.process_instance_id, p.start_time_, "
                        + lo + ", " + hi + " FROM missions m JOIN act_hi_procinst p ON p.id_ = m.process_instance_id "
                        + "WHERE m.id = '" + t.getValue() + "'");
                lo = hi;
            }
            double spanSeconds = count(c, "SELECT CAST(MAX(EXTRACT(EPOCH FROM p.end_time_ - p.start_time_)) * 1000 AS BIGINT) "
                    + "FROM act_hi_procinst p JOIN bench_templates t ON t.root = p.id_") / 1000.0 * settings.stretch();
            // copy k of n starts at an even spread over the last 52 weeks, ending in the past
            s.execute(String.format(java.util.Locale.ROOT, """
                    CREATE TEMP TABLE bench_copies AS
                    SELECT g AS copy_no, '-g' || LPAD(CAST(g AS VARCHAR), 6, '0') AS suffix, t.scenario, t.mission, t.root, t.t0,
                           CAST(LOCALTIMESTAMP - INTERVAL '364 days' + (g - 1) * ((INTERVAL '364 days' - %f * INTERVAL '1 second') / %d)
                                AS TIMESTAMP) AS base
                    FROM generate_series(1, %d) g
                    JOIN bench_templates t ON MOD(g * 37, 100) >= t.lo AND MOD(g * 37, 100) < t.hi""",
                    spanSeconds + 60, n, n));
            s.execute("CREATE INDEX ON bench_copies (copy_no)");
            int chunk = 10_000;
            for (String table : HISTORY_TABLES) {
                String insert = copyStatement(c, table, "s.root_proc_inst_id_ = c.root", true);
                List<String> indexes = dropIndexes(c, table);
                for (int from = 1; from <= n; from += chunk) {
                    s.execute(insert + " AND c.copy_no BETWEEN " + from + " AND " + Math.min(n, from + chunk - 1));
                }
                for (String index : indexes) {
                    s.execute(index);
                }
                log("  %s copied", table);
            }
            for (String table : PROJECT_TABLES) {
                String where = "missions".equals(table) ? "s.id = c.mission" : "s.mission_id = c.mission";
                String insert = copyStatement(c, table, where, false);
                List<String> indexes = dropIndexes(c, table);
                for (int from = 1; from <= n; from += chunk) {
                    s.execute(insert + " AND c.copy_no BETWEEN " + from + " AND " + Math.min(n, from + chunk - 1));
                }
                for (String index : indexes) {
                    s.execute(index);
                }
                if (hasColumn(c, table, "id", "bigint")) {
                    s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT MAX(id) FROM " + table + "))");
                }
                log("  %s copied", table);
            }
            for (String table : concat(HISTORY_TABLES, PROJECT_TABLES)) {
                s.execute("VACUUM ANALYZE " + table);
            }
        }
        return n;
    }

    /**
     * Drops the table's secondary indexes (not primary keys or unique constraints) and returns their definitions:
     * building an index once after a bulk load is much faster than maintaining it row by row.
     */
    private static List<String> dropIndexes(Connection c, String table) throws SQLException {
        List<String> definitions = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
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
     * {@code bench_copies}: instance ids get the copy's suffix, timestamps move to the copy's start (durations times
     * the stretch), numeric ids are shifted by a stride per copy; evidence links are dropped with the evidence.
     */
    private String copyStatement(Connection c, String table, String where, boolean engineTable) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) {
                String col = rs.getString("COLUMN_NAME").toLowerCase();
                String type = rs.getString("TYPE_NAME").toLowerCase();
                int size = rs.getInt("COLUMN_SIZE");
                String src = "s." + col;
                // the 8-character copy suffix is appended, or replaces the id's last 8 characters where the column is
                // too narrow (engine ids end in the node part of a time-based UUID, the same for every id of a run)
                String suffixed = "CASE WHEN LENGTH(" + src + ") + 8 <= " + size + " THEN " + src + " || c.suffix ELSE "
                        + "SUBSTRING(" + src + " FROM 1 FOR LENGTH(" + src + ") - 8) || c.suffix END";
                columns.add(col);
                String stretch = String.format(java.util.Locale.ROOT, "%f", settings.stretch());
                if (type.startsWith("timestamp")) {
                    values.add("c.base + (CAST(" + src + " AS TIMESTAMP) - c.t0) * " + stretch);
                } else if (engineTable && col.equals("duration_")) {
                    values.add("CAST(" + src + " * " + stretch + " AS BIGINT)");
                } else if (engineTable && (col.equals("id_") || col.endsWith("_id_") || col.equals("business_key_"))
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

    // ------------------------------------------------------------------------------------------------ dashboards

    private void dashboards(int generated, double generateSeconds) throws Exception {
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(7));
        String window = "from=" + from + "&to=" + now;
        long total;
        long inWindow;
        try (Connection c = bench()) {
            total = count(c, "SELECT COUNT(*) FROM act_hi_procinst WHERE proc_def_key_ = 'mission-journey' AND end_time_ IS NOT NULL");
            inWindow = count(c, "SELECT COUNT(*) FROM act_hi_procinst WHERE proc_def_key_ = 'mission-journey' "
                    + "AND end_time_ >= CAST('" + Timestamp.from(from) + "' AS TIMESTAMP)");
        }
        out("\n## Dashboard at scale\n");
        out(String.format("History: %,d generated missions (%s) in %.0f s, %,d finished journeys in all, %,d of them in "
                        + "the trailing 7 days. Each endpoint is called over HTTP as `ta` (Basic auth), %d times after "
                        + "2 warm-up calls; the naive computation runs in-process through `HistoryService`, %d times.%n",
                generated, Arrays.stream(Scenario.values()).map(s -> s.name().toLowerCase().replace('_', ' ') + " "
                        + s.share + " %").collect(Collectors.joining(", ")), generateSeconds, total, inWindow,
                settings.reps(), settings.naiveReps()));
        out("| endpoint | P50 ms | P95 ms | naive HistoryService P50 ms | naive / service (P50) |");
        out("|---|---:|---:|---:|---:|");
        Instant monday = now.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).with(DayOfWeek.MONDAY).toInstant();
        Naive naive = new Naive(engine.getHistoryService(), journeyDefinitionId);
        Map<String, Object> naiveKpis = new LinkedHashMap<>();
        endpoint("GET /api/kpis (trailing 7 days)", "/api/kpis?" + window,
                () -> naiveKpis.putAll(naive.kpis(from, now)));
        endpoint("GET /api/kpis/weekly (4 weeks, the default)", "/api/kpis/weekly?weeks=4", () -> {
            for (int i = 3; i >= 0; i--) {
                Instant f = monday.minus(Duration.ofDays(7L * i));
                naive.kpis(f, f.plus(Duration.ofDays(7)));
            }
        });
        endpoint("GET /api/kpis/weekly?weeks=52", "/api/kpis/weekly?weeks=52", null);
        endpoint("GET /api/stages/rollup", "/api/stages/rollup", naive::rollup);
        endpoint("GET /api/boards/safeguard-compliance (7 days)", "/api/boards/safeguard-compliance?" + window, null);
        endpoint("GET /api/boards/undo-readiness (7 days)", "/api/boards/undo-readiness?" + window, null);
        endpoint("GET /api/boards/feedback-insights (7 days)", "/api/boards/feedback-insights?" + window, null);
        endpoint("GET /api/backlog/board", "/api/backlog/board", null);
        endpoint("GET /api/governance/check", "/api/governance/check", null);

        out("\nThe same KPIs both ways, trailing 7 days (the service's figures from `GET /api/kpis`):\n");
        JsonNode service = JSON.readTree(get("/api/kpis?" + window).body());
        out("| KPI | service value (numerator / denominator) | naive value (numerator / denominator) |");
        out("|---|---:|---:|");
        for (JsonNode k : service.path("kpis")) {
            Object[] n = (Object[]) naiveKpis.get(k.path("key").asText());
            boolean agree = n != null && fmt(k.path("value")).equals(fmt(n[0]));
            out(String.format("| %s | %s (%s / %s) | %s%s |", k.path("name").asText(), fmt(k.path("value")),
                    k.path("numerator").asText("–"), k.path("denominator").asText("–"),
                    n == null ? "–" : String.format("%s (%s / %s)", fmt(n[0]), n[1], n[2]), agree ? "" : " **≠**"));
            if (!agree) {
                failures.add("KPI " + k.path("key").asText() + " differs between the service and the naive computation");
            }
        }
    }

    private static String fmt(Object v) {
        if (v instanceof JsonNode j) {
            return j.isNull() || j.isMissingNode() ? "–" : String.format("%.2f", j.asDouble());
        }
        return v == null ? "–" : String.format("%.2f", ((Number) v).doubleValue());
    }

    private void endpoint(String label, String path, Runnable naive) throws Exception {
        for (int i = 0; i < 2; i++) {
            get(path);
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < settings.reps(); i++) {
            long t = System.nanoTime();
            get(path);
            times.add((System.nanoTime() - t) / 1e6);
            if (i >= 2 && times.stream().mapToDouble(Double::doubleValue).sum() > 60_000) {
                break; // a very slow endpoint: a few calls tell enough
            }
        }
        Collections.sort(times);
        String naiveCols = " – | – |";
        if (naive != null) {
            naive.run(); // warm-up
            List<Double> naiveTimes = new ArrayList<>();
            for (int i = 0; i < settings.naiveReps(); i++) {
                long t = System.nanoTime();
                naive.run();
                naiveTimes.add((System.nanoTime() - t) / 1e6);
            }
            Collections.sort(naiveTimes);
            double ratio = percentile(naiveTimes, 0.5) / percentile(times, 0.5);
            naiveCols = String.format(" %.0f | **%.0f×** |", percentile(naiveTimes, 0.5), ratio);
        }
        out(String.format("| %s | %.1f | %.1f |%s", label, percentile(times, 0.5), percentile(times, 0.95), naiveCols));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ta:demo".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    /**
     * The KPIs and the stage rollup the way a typical Camunda 7 project computes them: HistoryService queries, one
     * query per process instance where the API offers nothing better, aggregation in Java. Same definitions as
     * KpiService (docs/domain.md), so the figures agree.
     */
    static final class Naive {
        private final HistoryService history;
        private final String definitionId;

        Naive(HistoryService history, String definitionId) {
            this.history = history;
            this.definitionId = definitionId;
        }

        /** key → {value, numerator, denominator} */
        Map<String, Object[]> kpis(Instant from, Instant to) {
            Date f = Date.from(from);
            Date t = Date.from(to);
            Map<String, Object[]> out = new LinkedHashMap<>();
            // throughput and feedback: completed journeys in the window, then each one's feedback variable
            List<HistoricProcessInstance> finished = history.createHistoricProcessInstanceQuery()
                    .processDefinitionKey(MissionJourney.PROCESS_KEY).finishedAfter(f).finishedBefore(t).list();
            List<HistoricProcessInstance> completed = finished.stream()
                    .filter(p -> Elements.END.equals(p.getEndActivityId()) && p.getEndTime().before(t)).toList();
            long withFeedback = completed.stream().filter(p -> history.createHistoricVariableInstanceQuery()
                    .processInstanceId(p.getId()).variableName(Vars.FEEDBACK_RATING).count() > 0).count();
            out.put("mission-throughput", new Object[] {(double) completed.size(), completed.size(), "–"});
            out.put("feedback-participation", new Object[] {pct(withFeedback, completed.size()), withFeedback, completed.size()});
            // approval latency: packet reviews finished in the window, then every review task of those journeys
            Set<String> reviewed = history.createHistoricTaskInstanceQuery().processDefinitionKey(MissionJourney.PROCESS_KEY)
                    .taskDefinitionKeyIn(Elements.PACKET_REVIEW_GOVERNANCE, Elements.PACKET_REVIEW_OPERATIONS)
                    .finishedAfter(f).finishedBefore(t).list().stream().map(HistoricTaskInstance::getProcessInstanceId)
                    .collect(Collectors.toSet());
            List<Double> latencies = new ArrayList<>();
            for (String pi : reviewed) {
                Map<String, List<HistoricTaskInstance>> byKey = history.createHistoricTaskInstanceQuery().processInstanceId(pi)
                        .taskDefinitionKeyIn(Elements.PACKET_REVIEW_GOVERNANCE, Elements.PACKET_REVIEW_OPERATIONS).list()
                        .stream().sorted(Comparator.comparing(HistoricTaskInstance::getStartTime))
                        .collect(Collectors.groupingBy(HistoricTaskInstance::getTaskDefinitionKey));
                List<HistoricTaskInstance> gov = byKey.getOrDefault(Elements.PACKET_REVIEW_GOVERNANCE, List.of());
                List<HistoricTaskInstance> ops = byKey.getOrDefault(Elements.PACKET_REVIEW_OPERATIONS, List.of());
                for (int round = 0; round < Math.min(gov.size(), ops.size()); round++) {
                    HistoricTaskInstance g = gov.get(round);
                    HistoricTaskInstance o = ops.get(round);
                    if (g.getEndTime() == null || o.getEndTime() == null || !"completed".equals(g.getDeleteReason())
                            || !"completed".equals(o.getDeleteReason())) {
                        continue;
                    }
                    Date opened = g.getStartTime().before(o.getStartTime()) ? g.getStartTime() : o.getStartTime();
                    Date signed = g.getEndTime().after(o.getEndTime()) ? g.getEndTime() : o.getEndTime();
                    if (!signed.before(f) && signed.before(t)) {
                        latencies.add((signed.getTime() - opened.getTime()) / 1000.0);
                    }
                }
            }
            Collections.sort(latencies);
            out.put("approval-latency", new Object[] {latencies.isEmpty() ? null : interpolated(latencies, 0.95) / 3600,
                    "–", latencies.size()});
            // escalation rate: journeys that entered Execute & Observe, then whether each called the violation runbook
            Set<String> reached = started(Elements.SUB_EXECUTE_OBSERVE, f, t);
            long escalated = reached.stream().filter(pi -> history.createHistoricActivityInstanceQuery().processInstanceId(pi)
                    .activityId(Elements.SAFEGUARD_VIOLATION_RUNBOOK).count() > 0).count();
            out.put("validator-escalation-rate", new Object[] {pct(escalated, reached.size()), escalated, reached.size()});
            // undo success: undo executions that ended in the window, and the failed ones
            long attempted = history.createHistoricActivityInstanceQuery().processDefinitionId(definitionId)
                    .activityId(Elements.UNDO_PLAY).finishedAfter(f).finishedBefore(t).list().size();
            long failed = history.createHistoricActivityInstanceQuery().processDefinitionId(definitionId)
                    .activityId("boundary_undoFailed").finishedAfter(f).finishedBefore(t).list().size();
            out.put("undo-execution-success", new Object[] {pct(attempted - failed, attempted), attempted - failed, attempted});
            // library reuse: journeys that entered Plan & Approve, then each one's reuse variable
            Set<String> planned = started(Elements.SUB_PLAN_APPROVE, f, t);
            long reused = planned.stream().filter(pi -> history.createHistoricVariableInstanceQuery().processInstanceId(pi)
                    .variableName(Vars.LIBRARY_ASSETS_REUSED).list().stream()
                    .anyMatch(v -> v.getValue() != null && !v.getValue().toString().isBlank())).count();
            out.put("library-reuse", new Object[] {pct(reused, planned.size()), reused, planned.size()});
            return out;
        }

        private Set<String> started(String activityId, Date f, Date t) {
            return history.createHistoricActivityInstanceQuery().processDefinitionId(definitionId).activityId(activityId)
                    .startedAfter(f).startedBefore(t).list().stream()
                    .filter(a -> a.getStartTime().before(t))
                    .map(HistoricActivityInstance::getProcessInstanceId).collect(Collectors.toSet());
        }

        /** Per stage sub-process: missions entered, in stage now, dwell mean / P50 / P95, left forward / left. */
        Map<String, double[]> rollup() {
            Map<String, double[]> out = new LinkedHashMap<>();
            for (String sub : List.of(Elements.SUB_DEFINE, Elements.SUB_PREPARE, Elements.SUB_PLAN_APPROVE,
                    Elements.SUB_EXECUTE_OBSERVE, Elements.SUB_REFLECT_IMPROVE)) {
                List<HistoricActivityInstance> visits = history.createHistoricActivityInstanceQuery()
                        .processDefinitionId(definitionId).activityId(sub).list();
                Set<String> entered = new HashSet<>();
                List<Double> dwell = new ArrayList<>();
                long inStage = 0;
                long forward = 0;
                for (HistoricActivityInstance v : visits) {
                    entered.add(v.getProcessInstanceId());
                    if (v.getEndTime() == null) {
                        inStage++;
                    } else {
                        dwell.add((v.getEndTime().getTime() - v.getStartTime().getTime()) / 1000.0);
                        if (!v.isCanceled()) {
                            forward++;
                        }
                    }
                }
                Collections.sort(dwell);
                out.put(sub, new double[] {entered.size(), inStage,
                        dwell.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                        dwell.isEmpty() ? Double.NaN : interpolated(dwell, 0.5),
                        dwell.isEmpty() ? Double.NaN : interpolated(dwell, 0.95), forward, dwell.size()});
            }
            return out;
        }

        private static Double pct(long numerator, long denominator) {
            return denominator == 0 ? null : 100.0 * numerator / denominator;
        }

        /** PERCENTILE_CONT: linear interpolation between the closest ranks. */
        static double interpolated(List<Double> sorted, double p) {
            double rank = p * (sorted.size() - 1);
            int lo = (int) Math.floor(rank);
            int hi = (int) Math.ceil(rank);
            return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (rank - lo);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Nearest-rank percentile of sorted values (NaN when empty). */
    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> tablesWithColumn(Connection c, String column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = '"
                        + column + "' AND table_name LIKE 'act\\_%' ORDER BY table_name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static boolean hasColumn(Connection c, String table, String column, String type) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(null, null, table, column)) {
            return rs.next() && rs.getString("TYPE_NAME").toLowerCase().contains(type.substring(0, 3));
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String scalar(String sql) throws SQLException {
        try (Connection c = bench()) {
            return string(c, sql);
        }
    }

    private static long usedHeapMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024 * 1024);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void out(String line) {
        System.out.println(line);
        report.append(line).append('\n');
    }

    private static void log(String format, Object... args) {
        System.err.printf("[bench %s] %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), String.format(format, args));
    }

    private void writeReport() throws IOException {
        Files.createDirectories(settings.output().toAbsolutePath().getParent());
        Files.writeString(settings.output(), report.toString());
        log("report written to %s", settings.output().toAbsolutePath());
    }
}
